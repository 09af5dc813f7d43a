"""Writing a fixed file back: atomically, only if it did not change meanwhile."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from cryptolint.interrupt import atomic

if TYPE_CHECKING:  # pragma: no cover
    from cryptolint.fixer import FixResult


class FileChangedError(Exception):
    """The file on disk is no longer the one that was fixed; nothing was written."""


def write_fixed(path: Path, result: "FixResult") -> None:
    """Replace `path` by `result.fixed`, atomically.

    The file is re-read first: if it no longer holds `result.original`
    (someone edited it since it was read), FileChangedError is raised and
    nothing is written.  An unchanged result writes nothing (the mtime stays).
    The new content goes to a temporary file in the same directory, with the
    original's permission bits, is flushed to disk, and then renamed over the
    original (through a symlink, to its target), so readers see either the old
    or the new file and never a partial one.
    """
    target = Path(os.path.realpath(path))
    with open(target, "rb") as handle:
        current = handle.read()
    if current != result.original:
        raise FileChangedError(f"{path} changed on disk since it was read")
    if not result.changed:
        return
    mode = stat.S_IMODE(os.stat(target).st_mode)
    with atomic():  # a Ctrl-C waits until the temporary file is renamed or removed
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".cryptolint-tmp", dir=str(target.parent))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(result.fixed)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(str(directory), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
