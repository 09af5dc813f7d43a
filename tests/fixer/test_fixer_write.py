"""write_fixed: atomic, refuses a file that changed, keeps the mode, leaves
untouched files untouched."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cryptolint.fixer import FileChangedError, fix_source, write_fixed
from tests.helpers import ALL_ON

BAD = b"import random\n\ntoken = random.choice('ab')\n"
GOOD = b"import secrets\n\ntoken = secrets.choice('ab')\n"


def _fix(path: Path):
    return fix_source(path.read_bytes(), "tokens.py", ALL_ON)  # a tmp path looks like test code


def test_writes_the_fixed_bytes_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "tokens.py"
    path.write_bytes(BAD)
    os.chmod(path, 0o751)
    write_fixed(path, _fix(path))
    assert path.read_bytes() == GOOD
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.py"]  # no temporary file left


def test_refuses_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "tokens.py"
    path.write_bytes(BAD)
    result = _fix(path)
    path.write_bytes(BAD + b"# edited meanwhile\n")
    with pytest.raises(FileChangedError):
        write_fixed(path, result)
    assert path.read_bytes() == BAD + b"# edited meanwhile\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.py"]


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "clean.py"
    path.write_bytes(b"import secrets\n")
    os.utime(path, (1_000_000, 1_000_000))
    result = _fix(path)
    assert not result.changed
    write_fixed(path, result)
    assert path.stat().st_mtime == 1_000_000
    assert path.read_bytes() == b"import secrets\n"


def test_a_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_bytes(BAD)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_fixed(link, _fix(link))
    assert link.is_symlink()
    assert target.read_bytes() == GOOD


def test_a_failed_write_leaves_the_original_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tokens.py"
    path.write_bytes(BAD)
    result = _fix(path)

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_fixed(path, result)
    assert path.read_bytes() == BAD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.py"]
