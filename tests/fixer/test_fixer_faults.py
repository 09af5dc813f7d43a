"""`--fix` under faults, end to end: a failed or interrupted write never
loses or truncates a file, a file edited meanwhile is not overwritten, and
files that are not fixed keep their bytes, mode and mtime.

tests/fixer/test_fixer_write.py covers `write_fixed` itself (mode kept, symlinks,
a failing rename); these go through the command line.  Disk-full and
read-only-directory failures are simulated by making the system call fail
(root writes into a read-only directory, and a real full disk is not
available in CI); the interrupted run is real: a subprocess killed with
SIGKILL at three points of the write.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict

import pytest

import cryptolint.fixer
import cryptolint.fixer._write as write_module
from cryptolint import cli
from cryptolint.fixer import fix_source
from tests.helpers import ALL_ON, CLEAN, ONE_LINER, TOKENS, TOKENS_FIXED, project

FIXED_ONE_LINER = ONE_LINER.replace("import random", "import secrets").replace("random.choice", "secrets.choice")


def _fixable_project(tmp_path: Path) -> Path:
    return project(tmp_path, {"a_target.py": ONE_LINER, "b_other.py": TOKENS, "c_clean.py": CLEAN})


def _no_temporaries(root: Path) -> None:
    assert [p.name for p in root.rglob("*") if "cryptolint-tmp" in p.name] == []


def _fix(root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> tuple:
    monkeypatch.chdir(root)
    status = cli.main(["check", "--fix", "-q", "--format", "concise", "-j", "1", "--no-cache"])
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------- failed writes
def _failing_fsync(path_part: str):
    real = os.fsync

    def fsync(fd: int) -> None:
        if path_part in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    return fsync


@pytest.mark.parametrize(
    "fault, message",
    [
        ("fsync", "No space left on device"),  # a full disk, reported when the data is flushed
        ("write", "No space left on device"),  # a full disk, reported by write() halfway
        ("mkstemp", "Permission denied"),  # a read-only directory (for anyone but root)
        ("replace", "Read-only file system"),  # the rename refused
    ],
)
def test_a_failed_write_leaves_the_original_intact(tmp_path, monkeypatch, capsys, fault, message):
    root = _fixable_project(tmp_path)
    original = (root / "a_target.py").read_bytes()
    if fault == "fsync":
        monkeypatch.setattr(write_module.os, "fsync", _failing_fsync(".a_target.py."))
    elif fault == "write":
        real_fdopen = os.fdopen

        class HalfWrite:
            def __init__(self, handle) -> None:
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                if ".a_target.py." in os.readlink(f"/proc/self/fd/{self.handle.fileno()}"):
                    self.handle.write(data[: len(data) // 2])
                    self.handle.flush()
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return self.handle.write(data)

            def __getattr__(self, name: str):
                return getattr(self.handle, name)

        monkeypatch.setattr(write_module.os, "fdopen", lambda fd, mode: HalfWrite(real_fdopen(fd, mode)))
    elif fault == "mkstemp":
        real_mkstemp = write_module.tempfile.mkstemp

        def mkstemp(prefix: str = "", **kwargs: object):
            if prefix.startswith(".a_target.py."):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            return real_mkstemp(prefix=prefix, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(write_module.tempfile, "mkstemp", mkstemp)
    else:
        real_replace = os.replace

        def replace(src: str, dst: object) -> None:
            if str(dst).endswith("a_target.py"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            real_replace(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(write_module.os, "replace", replace)
    status, out, err = _fix(root, monkeypatch, capsys)
    assert err == f"cryptolint: error: a_target.py: not fixed: cannot write: {message}\n"
    assert status == 2
    assert (root / "a_target.py").read_bytes() == original
    assert (root / "b_other.py").read_text() == TOKENS_FIXED  # the other file is still fixed
    assert out.splitlines()[0].startswith("a_target.py:3:15: CRY101")  # and the finding still reported
    _no_temporaries(root)


def test_a_file_edited_while_it_is_fixed_is_not_overwritten(tmp_path, monkeypatch, capsys):
    """An editor saves the file after cryptolint read it and before it writes."""
    root = _fixable_project(tmp_path)
    edited = ONE_LINER + "# saved by the editor meanwhile\n"
    real = cryptolint.fixer.fix_source

    def fix_then_edit(data, path, *args, **kwargs):
        result = real(data, path, *args, **kwargs)
        if path.endswith("a_target.py"):
            (root / "a_target.py").write_text(edited)
        return result

    monkeypatch.setattr(cryptolint.fixer, "fix_source", fix_then_edit)
    status, _, err = _fix(root, monkeypatch, capsys)
    assert err == "cryptolint: error: a_target.py: not fixed: the file changed on disk while it was being checked\n"
    assert status == 2
    assert (root / "a_target.py").read_text() == edited
    assert (root / "b_other.py").read_text() == TOKENS_FIXED
    _no_temporaries(root)


def test_untouched_files_keep_bytes_mode_mtime_and_inode(tmp_path):
    files: Dict[str, str] = {
        "fixed_private.py": ONE_LINER, "fixed_readonly.py": ONE_LINER, "fixed_script.py": ONE_LINER,
        "clean.py": CLEAN, "noqa.py": ONE_LINER.replace('")\n', '")  # noqa: CRY101\n'),
        "broken.py": "import random\ndef f(:\n", "unsafe_only.py": 'SECRET_KEY = "django-insecure-7c4f9b1e2d8a6f30"\n',
        "stub.pyi": "import random\n",
    }
    root = project(tmp_path, files)
    modes = {"fixed_private.py": 0o600, "fixed_readonly.py": 0o444, "fixed_script.py": 0o755,
             "clean.py": 0o640, "noqa.py": 0o604, "broken.py": 0o666, "unsafe_only.py": 0o400, "stub.pyi": 0o644}
    for name, mode in modes.items():
        os.chmod(root / name, mode)
        os.utime(root / name, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = {name: os.stat(root / name) for name in files}
    result = subprocess.run([sys.executable, "-m", "cryptolint", "check", "--fix", "-q", "--no-cache"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1  # broken.py and the unsafe finding remain
    for name in files:
        after = os.stat(root / name)
        assert stat.S_IMODE(after.st_mode) == modes[name], name
        if name.startswith("fixed_"):
            assert (root / name).read_text() == FIXED_ONE_LINER
        else:
            assert (root / name).read_text() == files[name], name
            assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
                before[name].st_ino, before[name].st_mtime_ns, before[name].st_size), name
    _no_temporaries(root)


# ------------------------------------------------------- an interrupted run
_CHILD = r"""
import os, sys, time
stage, marker, target = sys.argv[1:4]

def stop_here():
    with open(marker, "w"):
        pass
    time.sleep(120)  # killed here

real_fdopen, real_replace = os.fdopen, os.replace
if stage == "writing":
    class Halfway:
        def __init__(self, handle): self.handle = handle
        def __enter__(self): return self
        def __exit__(self, *exc): self.handle.close()
        def write(self, data):
            self.handle.write(data[: len(data) // 2]); self.handle.flush(); os.fsync(self.handle.fileno())
            stop_here()
        def __getattr__(self, name): return getattr(self.handle, name)
    os.fdopen = lambda fd, mode: Halfway(real_fdopen(fd, mode))
elif stage == "renaming":
    def replace(src, dst): stop_here()
    os.replace = replace
elif stage == "renamed":
    def replace(src, dst): real_replace(src, dst); stop_here()
    os.replace = replace

from cryptolint import cli
sys.exit(cli.main(["check", "--fix", "-q", "-j", "1", "--no-cache", target]))
"""


def _large_fixable() -> bytes:
    body = "".join(f"def helper_{i}(value):\n    return value * {i} + len(str(value))\n\n\n" for i in range(1000))
    return ("import random\n\n\n" + body + "reset_token = random.choice('abcdef')\n").encode()


@pytest.mark.slow
@pytest.mark.parametrize("stage, survivor", [("writing", "old"), ("renaming", "old"), ("renamed", "new")])
def test_a_run_killed_mid_write_leaves_the_old_or_the_new_file(tmp_path, stage, survivor):
    old = _large_fixable()
    new = fix_source(old, "big_module.py", ALL_ON).fixed
    assert new != old and len(old) > 60_000
    root = project(tmp_path, {"big_module.py": old})
    marker = tmp_path / "stopped"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, stage, str(marker), "big_module.py"], cwd=root, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline, "the child never reached the write"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert (root / "big_module.py").read_bytes() == (old if survivor == "old" else new)
    leftovers = [p.name for p in root.iterdir() if "cryptolint-tmp" in p.name]
    assert len(leftovers) == (1 if survivor == "old" else 0)  # a killed process cannot clean up after itself
    # The leftover is not a .py file: the next run neither checks nor trips on it, and finishes the job.
    again = subprocess.run([sys.executable, "-m", "cryptolint", "check", "--fix", "-q", "--no-cache"], cwd=root,
                           env=env, capture_output=True, text=True, timeout=300)
    assert (again.returncode, again.stderr) == (0, "")
    assert (root / "big_module.py").read_bytes() == new
