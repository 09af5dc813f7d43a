"""Which files a run checks: the paths given, walked, minus the excludes.

* Directories are walked for `.py` and `.pyi` files, skipping excluded names
  and patterns, directories that hold a `pyvenv.cfg` (virtual environments),
  and symbolic links to directories (they may loop).
* A path given explicitly is checked even when an exclude matches it, unless
  `--force-exclude` is on (what editors and pre-commit want).  A file given
  explicitly is checked whatever its extension.
* A path that does not exist is an error; a dangling symbolic link, a link
  loop or a file that is not a regular file (a FIFO would block the run)
  found while walking is a warning.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from typing import Iterator, List, Sequence, Set, Tuple

from cryptolint.config import Configuration
from cryptolint.globs import PathPattern, absolute, to_posix

PYTHON_SUFFIXES = (".py", ".pyi")
VENV_MARKER = "pyvenv.cfg"


@dataclass(frozen=True)
class SourceFile:
    """A file to check: where it is, and how reports name it."""

    path: str
    display: str


@dataclass
class Discovery:
    files: List[SourceFile] = field(default_factory=list)
    #: Problems that make the run fail (exit 2): a missing path.
    errors: List[str] = field(default_factory=list)
    #: Things the user should know that do not fail the run.
    warnings: List[str] = field(default_factory=list)


def display_path(path: str) -> str:
    """`path` relative to the working directory when inside it, else absolute."""
    full = absolute(path)
    cwd = absolute(".")
    if full == cwd:
        return "."
    if full.startswith(cwd.rstrip("/") + "/"):
        return full[len(cwd.rstrip("/")) + 1 :]
    return full


def is_excluded(path: str, config: Configuration) -> bool:
    """Whether `path` (or a directory above it, below the project root) is excluded."""
    full = absolute(path)
    return any(pattern.matches(full, config.root) for pattern in config.exclude)


def discover(paths: Sequence[str], config: Configuration) -> Discovery:
    """The files under `paths`, in a stable (sorted) order, without duplicates."""
    found = Discovery()
    seen: Set[str] = set()
    for given in paths:
        full = absolute(given)
        if not os.path.lexists(given):
            found.errors.append(f"{given}: no such file or directory")
            continue
        if not os.path.exists(given):
            found.errors.append(f"{given}: {_broken_link(given)}")
            continue
        if config.force_exclude and is_excluded(full, config):
            continue
        if os.path.isdir(given):
            entries = _walk(full, config.exclude, found)
        elif not os.path.isfile(given):
            found.errors.append(f"{given}: not a regular file")  # a FIFO would block the run
            continue
        else:
            entries = iter([full])
        for entry in entries:
            if entry not in seen:
                seen.add(entry)
                found.files.append(SourceFile(entry, display_path(entry)))
    found.files.sort(key=lambda f: f.display)
    return found


def _walk(directory: str, patterns: Tuple[PathPattern, ...], found: Discovery) -> Iterator[str]:
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        found.errors.append(f"{display_path(directory)}: cannot list directory: {exc.strerror or exc}")
        return
    subdirectories = []
    for entry in entries:
        path = to_posix(os.path.join(directory, entry.name))
        if any(p.matches_entry(path, entry.name) for p in patterns):
            continue
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:  # pragma: no cover - raced with a deletion
            continue
        if is_dir:
            if not os.path.exists(os.path.join(path, VENV_MARKER)):
                subdirectories.append(path)
            continue
        if not entry.name.endswith(PYTHON_SUFFIXES):
            continue
        if is_link and not os.path.exists(path):
            found.warnings.append(f"{display_path(path)}: skipped, {_broken_link(path)}")
            continue
        if is_link and os.path.isdir(path):
            continue  # a link to a directory named like a module
        if not _is_file(entry):
            found.warnings.append(f"{display_path(path)}: skipped, not a regular file")
            continue
        yield path
    for subdirectory in subdirectories:
        yield from _walk(subdirectory, patterns, found)


def _is_file(entry: "os.DirEntry[str]") -> bool:
    try:
        return entry.is_file()  # from the directory listing; a stat only for links
    except OSError:  # pragma: no cover - raced with a deletion
        return False


def _broken_link(path: str) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "dangling symbolic link"
