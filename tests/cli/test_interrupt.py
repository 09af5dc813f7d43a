"""Ctrl-C on a real run: the CLI in a subprocess over a copy of the standard
library, signalled at random moments while its workers are busy, in check
and --fix modes, with one SIGINT and with two.

After every stop: exit status 130, no process of the run's group left, no
temporary file of the fixer or the cache left, every file either as it was
or exactly as --fix makes it, and every cache entry readable.  At the end a
cached run over the cache the stops left behind reports exactly what a run
without the cache reports.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest

from bench._corpus import parts
from cryptolint.cache import loads
from cryptolint.config import resolve
from cryptolint.runner import FixMode, RunOptions, check_bytes
from tests.helpers import TOKENS

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")

#: About half the stdlib: a cold run takes several seconds, far longer than
#: the latest moment a signal is sent (LATEST), even on a fast machine.
CORPUS_LINES = 400_000
LATEST = 1.5
#: Stops per mode; each seeded, so a failure can be replayed.
TRIALS = 3
SEED = int(os.environ.get("CRYPTOLINT_INTERRUPT_SEED", random.randrange(1 << 30)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stdlib files, and beside every third one a file with a safe fix, so that
    --fix is writing files all through the run."""
    root = tmp_path_factory.mktemp("interrupt")
    (root / "pyproject.toml").write_text("[tool.cryptolint]\n")
    stdlib = parts()[0]
    lines = 0
    for number, name in enumerate(stdlib.files):
        target = root / "lib" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stdlib.root / name, target)
        lines += target.read_bytes().count(b"\n")
        if number % 3 == 0:
            target.with_name(f"zz_tokens_{number}.py").write_text(TOKENS)
        if lines >= CORPUS_LINES:
            break
    return root


def snapshot(root: Path) -> Dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "lib").rglob("*")) if p.is_file()}


def group_members(pgid: int) -> List[int]:
    """Processes whose process group is `pgid` (the run and its workers)."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[2] == str(pgid) and fields[0] != "Z":
                members.append(int(entry))
    return members


def children(pid: int) -> List[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def start(root: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.Popen(
        [sys.executable, "-m", "cryptolint", "check", "-q", "-j", "2", *args, "lib"],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        start_new_session=True,  # its own process group, signalled as a terminal would
    )


def interrupt(
    process: subprocess.Popen, rng: random.Random, double: bool, latest: float, after: Optional[Callable[[], bool]] = None
) -> Optional[str]:
    """SIGINT to the whole group at a random moment (up to `latest` seconds)
    once the workers run (and, with `after`, once it holds); the run's
    stderr, or None when the run had ended before the signal came (the
    caller tries again, sooner).  Fails on a hang."""
    deadline = time.monotonic() + 60
    while len(children(process.pid)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    while after is not None and not after() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, latest))
    if process.poll() is not None:
        process.communicate()
        return None
    os.killpg(process.pid, signal.SIGINT)
    if double:
        time.sleep(rng.uniform(0.0, 0.3))
        if group_members(process.pid):
            os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the run did not stop within 60 s of Ctrl-C")
    if process.returncode in (0, 1) and not stderr:
        return None  # it finished between the check above and the signal
    return stderr.decode()


def _written(root: Path, before: Dict[str, bytes]) -> Callable[[], bool]:
    """Whether a file with a fix (`zz_tokens_*.py`) differs from `before`."""
    fixable = {name: data for name, data in before.items() if Path(name).name.startswith("zz_tokens_")}

    def written() -> bool:
        return any((root / name).read_bytes() != data for name, data in fixable.items())

    return written


def temporary_files(root: Path) -> List[str]:
    return sorted(str(p) for p in root.rglob("*") if p.name.endswith((".cryptolint-tmp", ".tmp")))


def check_cache(cache: Path) -> None:
    for entry in cache.rglob("*.json"):
        loads(entry.read_bytes())  # raises on a truncated or foreign entry


def fixed_version(data: bytes, display: str, root: Path) -> bytes:
    settings = resolve(start=root).settings
    result = check_bytes(data, display, RunOptions(settings, FixMode.FIX), path=None)
    return result.fixed_source if result.fixed_source is not None else data


@pytest.mark.parametrize("mode", ["check", "fix"])
def test_ctrl_c_stops_a_run_cleanly_at_random_moments(corpus, tmp_path, mode):
    rng = random.Random(f"{SEED}-{mode}")
    root = tmp_path / "tree"
    shutil.copytree(corpus, root)
    cache = tmp_path / "cache"
    originals = snapshot(root)
    for trial in range(TRIALS):
        double = trial > 0
        before = snapshot(root)
        args = ["--cache-dir", str(cache)] + (["--fix"] if mode == "fix" else [])
        latest, stderr = LATEST, None
        while stderr is None:  # a run the cache made quick can end before the signal
            assert latest > 0.01, "every run ended before it could be interrupted"
            process = start(root, *args)
            # The last trial of --fix stops the run once it has written a
            # file, so that a stop in the middle of fixing is always tried.
            changed = _written(root, before) if mode == "fix" and trial == TRIALS - 1 else None
            stderr = interrupt(process, rng, double, latest, changed)
            if stderr is None:  # a complete run cached every file: the next would start no worker
                shutil.rmtree(cache, ignore_errors=True)
                latest /= 2
        where = f"seed {SEED}, {mode}, trial {trial}, {'two SIGINTs' if double else 'one SIGINT'}"
        assert group_members(process.pid) == [], f"{where}: processes outlived the run"
        assert temporary_files(root) + temporary_files(cache) == [], where
        assert process.returncode == 130, f"{where}: {stderr}"
        assert stderr == "cryptolint: error: interrupted\n", where
        check_cache(cache)
        after = snapshot(root)
        assert sorted(after) == sorted(before), where
        for name, data in after.items():
            if data != before[name]:
                assert mode == "fix", f"{where}: {name} changed in a check run"
                assert data == fixed_version(before[name], name, root), f"{where}: {name} is neither old nor fixed"
    if mode == "fix":
        assert snapshot(root) != originals, "no stop came while files were being fixed"
        return
    cached = subprocess.run(
        [sys.executable, "-m", "cryptolint", "check", "--cache-dir", str(cache), "lib"],
        cwd=root, capture_output=True, text=True, timeout=600,
    )
    fresh = subprocess.run(
        [sys.executable, "-m", "cryptolint", "check", "--no-cache", "lib"],
        cwd=root, capture_output=True, text=True, timeout=600,
    )
    assert (cached.returncode, cached.stdout, cached.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert fresh.returncode == 1 and "zz_tokens_0.py" in fresh.stdout


def test_a_second_ctrl_c_while_the_workers_stop_is_ignored_and_the_run_exits_130(corpus, tmp_path):
    """Two SIGINTs in quick succession (what `timeout -s INT` and an impatient
    user send): the stop is bounded, the second signal does not undo it."""
    root = tmp_path / "tree"
    shutil.copytree(corpus, root)
    process = start(root, "--no-cache")
    deadline = time.monotonic() + 60
    while len(children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)
    assert process.poll() is None
    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("hung after two SIGINTs")
    assert (process.returncode, stderr.decode()) == (130, "cryptolint: error: interrupted\n")
    assert group_members(process.pid) == []


def test_interrupt_in_the_main_process_waits_for_the_write_in_progress(tmp_path, monkeypatch):
    """-j 1: files are fixed in the main process; a SIGINT arriving during the
    atomic write is held until the rename, then stops the run."""
    from cryptolint import interrupt
    from cryptolint.fixer import _write

    target = tmp_path / "tokens.py"
    target.write_bytes(b"old\n")
    seen = []

    class Result:
        original = b"old\n"
        fixed = b"new\n"
        changed = True

    real_replace = os.replace

    def replace_after_signal(source, destination):
        os.kill(os.getpid(), signal.SIGINT)  # arrives between the temporary file and the rename
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        real_replace(source, destination)

    monkeypatch.setattr(_write.os, "replace", replace_after_signal)
    with interrupt.interruptible(), pytest.raises(KeyboardInterrupt):
        _write.write_fixed(target, Result())  # type: ignore[arg-type]
    monkeypatch.undo()
    assert len(seen[0]) == 2 and seen[0][1] == "tokens.py"  # the temporary file existed then
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tokens.py"]
    assert target.read_bytes() == b"new\n"
