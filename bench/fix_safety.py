"""Fix safety on real projects: their own test suites before and after `--fix`.

    python bench/fix_safety.py [--work /tmp/fix-safety-bench] [--only flask,bottle] [--write bench/FIX_SAFETY.md]

For each project below, at a pinned version: download its source from PyPI
(`pip download --no-deps --no-binary :all:`), unpack it, make a virtualenv of
its own under `--work` and install it (editable) with what its tests need;
run its tests; then apply `cryptolint check --fix` and run them again; then
restore the source and apply `cryptolint check --fix --unsafe-fixes` and run
them a third time.  Test code is checked too (`all-rules-in-tests = true` is
added to the project's `[tool.cryptolint]`).

Per project the table shows the files changed, the fixes applied by rule,
the tests before and after each kind of fix, and whether `check` announced
exactly the fixes that `--fix` applied (`check` counts its fixable findings
in the summary; `--show-fixes` lists what was applied).  The diffs are kept
under `--work` (`NAME.safe.diff`, `NAME.unsafe.diff`) to be read.

Setting a project up and its first test run are kept between invocations
(`--work` keeps them; `--fresh` starts again), so that a second run of the
benchmark only fixes and tests again.  Network tests are skipped; suites
run quietly, in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CRYPTOLINT = [sys.executable, "-m", "cryptolint"]
TEST_TIMEOUT = 900


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    #: What the tests need besides the project (pip requirement strings).
    test_deps: Tuple[str, ...]
    #: The test command, run in the source tree with the venv's python.
    tests: Tuple[str, ...]
    #: Extras to install the project with.
    extras: str = ""
    env: Tuple[Tuple[str, str], ...] = ()


PYTEST = ("-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--tb=line")

PROJECTS: Tuple[Project, ...] = (
    Project("itsdangerous", "2.2.0", ("pytest", "freezegun"), PYTEST + ("tests",)),
    Project("PyJWT", "2.9.0", ("pytest", "cryptography"), PYTEST + ("tests",), extras="[crypto]"),
    Project("bottle", "0.13.2", ("pytest",), PYTEST + ("test",)),
    Project("tornado", "6.4.1", (), ("-m", "tornado.test.runtests", "--quiet")),
    Project("paramiko", "3.4.0", ("pytest", "pytest-relaxed", "icecream", "invoke", "cryptography"), PYTEST + ("tests",)),
    Project("flask", "3.0.3", ("pytest<8",), PYTEST + ("tests",)),
    Project("werkzeug", "3.0.4", ("pytest", "pytest-timeout", "watchdog", "cryptography", "ephemeral-port-reserve",
                                  "pytest-xprocess"), PYTEST + ("-m", "not dev_server", "tests")),
    Project("passlib", "1.7.4", ("pytest", "bcrypt<4.1", "argon2-cffi"), PYTEST + ("passlib/tests",),
            env=(("PASSLIB_TEST_MODE", "quick"),)),
    Project("oauthlib", "3.2.2", ("pytest", "cryptography", "PyJWT", "blinker"), PYTEST + ("tests",)),
)


@dataclass
class Tests:
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    note: str = ""
    #: The ids of failing tests, when the runner names them.
    failing: Tuple[str, ...] = ()

    def cell(self) -> str:
        bad = self.failed + self.errors
        text = f"{self.passed} passed" + (f", {bad} failed" if bad else "")
        return text + (f" ({self.note})" if self.note else "")


@dataclass
class FixRun:
    files: int = 0
    applied: Counter = field(default_factory=Counter)
    announced: int = 0  # what `check` said it would fix
    tests: Optional[Tests] = None
    errors: List[str] = field(default_factory=list)


def run(cmd: Sequence[str], cwd: Path, env: Optional[Dict[str, str]] = None, timeout: int = TEST_TIMEOUT) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("PYTHONPATH", None)
    return subprocess.run(list(cmd), cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


def setup(project: Project, work: Path) -> Tuple[Path, Path, Path]:
    """(pristine source, source the venv runs, venv python), made once."""
    base = work / f"{project.name}-{project.version}"
    pristine, src, venv = base / "pristine", base / "src", base / "venv"
    python = venv / "bin" / "python"
    if (base / "ready").exists():
        return pristine, src, python
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip"]
    got = run(pip + ["download", "-q", "--no-deps", "--no-binary", ":all:", f"{project.name}=={project.version}", "-d", str(base / "dl")], base)
    if got.returncode:
        raise RuntimeError(f"download failed: {got.stderr[-500:]}")
    archive = next((base / "dl").iterdir())
    with tarfile.open(archive) as tar:
        tar.extractall(base / "unpacked")
    top = next((base / "unpacked").iterdir())
    shutil.copytree(top, pristine)
    shutil.copytree(top, src)
    made = run([sys.executable, "-m", "venv", str(venv)], base)
    if made.returncode:
        raise RuntimeError(f"venv failed: {made.stderr[-500:]}")
    deps = [str(python), "-m", "pip", "install", "-q", "-e", f".{project.extras}", *project.test_deps]
    installed = run(deps, src, timeout=1800)
    if installed.returncode:
        raise RuntimeError(f"install failed: {installed.stderr[-800:]}")
    _configure(src)
    _configure(pristine)
    (base / "ready").write_text("")
    return pristine, src, python


def _configure(tree: Path) -> None:
    """Check test code too: `all-rules-in-tests = true` in `[tool.cryptolint]`."""
    pyproject = tree / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8") if pyproject.exists() else ""
    if "[tool.cryptolint]" not in text:
        pyproject.write_text(text + "\n[tool.cryptolint]\nall-rules-in-tests = true\n", encoding="utf-8")


def restore(pristine: Path, src: Path) -> None:
    """Put the pristine source back, keeping what the editable install made."""
    for path in sorted(pristine.rglob("*")):
        if path.is_file():
            target = src / path.relative_to(pristine)
            if not target.exists() or target.read_bytes() != path.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


def run_tests(project: Project, src: Path, python: Path) -> Tests:
    started = time.perf_counter()
    try:
        done = run([str(python), *project.tests], src, env=dict(project.env))
    except subprocess.TimeoutExpired:
        return Tests(note="timed out", seconds=time.perf_counter() - started)
    tests = parse_tests(done.stdout + "\n" + done.stderr)
    tests.seconds = time.perf_counter() - started
    return tests


_PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")
_PYTEST_FAILING = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.M)
_UNITTEST_RAN = re.compile(r"^Ran (\d+) tests?", re.M)
_UNITTEST_BAD = re.compile(r"(failures|errors|skipped)=(\d+)")
_UNITTEST_FAILING = re.compile(r"^(?:FAIL|ERROR): (.+)$", re.M)


def parse_tests(output: str) -> Tests:
    ran = _UNITTEST_RAN.findall(output)
    if ran:
        total = int(ran[-1])
        tail = output[output.rfind("Ran "):]
        counts = {k: int(v) for k, v in _UNITTEST_BAD.findall(tail)}
        bad = counts.get("failures", 0) + counts.get("errors", 0)
        return Tests(total - bad - counts.get("skipped", 0), counts.get("failures", 0), counts.get("errors", 0),
                     counts.get("skipped", 0), failing=tuple(_UNITTEST_FAILING.findall(output)))
    summary = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    if not summary:
        return Tests(note="no summary: " + output.strip()[-300:].replace("\n", " "))
    counts: Dict[str, int] = {}
    for number, kind in _PYTEST_COUNT.findall(summary[-1]):
        counts[kind.rstrip("s") if kind.startswith("error") else kind] = int(number)
    return Tests(counts.get("passed", 0) + counts.get("xfailed", 0), counts.get("failed", 0), counts.get("error", 0),
                 counts.get("skipped", 0), failing=tuple(_PYTEST_FAILING.findall(output)))


_ANNOUNCED_SAFE = re.compile(r"(\d+) fixable with --fix(?!\s*--unsafe)")
_ANNOUNCED_UNSAFE = re.compile(r"(\d+) (?:more |fixable )?with --fix --unsafe-fixes")
_APPLIED = re.compile(r"^  (.+?):\d+:\d+: (CRY\d+) ", re.M)


def announced(src: Path, unsafe: bool) -> int:
    """How many findings `check` says the fix would fix."""
    done = run(CRYPTOLINT + ["check", "--no-cache", "--format", "concise", "."], src, env={"PYTHONPATH": ""})
    output = done.stdout + done.stderr
    safe = sum(int(n) for n in _ANNOUNCED_SAFE.findall(output))
    more = sum(int(n) for n in _ANNOUNCED_UNSAFE.findall(output))
    return safe + (more if unsafe else 0)


def apply_fixes(src: Path, unsafe: bool, diff_to: Path) -> FixRun:
    result = FixRun(announced=announced(src, unsafe))
    extra = ["--unsafe-fixes"] if unsafe else []
    diff = run(CRYPTOLINT + ["check", "--no-cache", "--diff", "-q", *extra, "."], src)
    diff_to.write_text(diff.stdout, encoding="utf-8")
    done = run(CRYPTOLINT + ["check", "--no-cache", "--fix", "--show-fixes", "--format", "concise", *extra, "."], src)
    output = done.stdout + done.stderr
    listed = _APPLIED.findall(output)
    result.applied = Counter(code for _, code in listed)
    result.files = len({path for path, _ in listed})
    result.errors = [line for line in output.splitlines() if line.startswith("cryptolint: error")]
    return result


def bench(project: Project, work: Path, results: Dict[str, dict]) -> None:
    name = project.name
    print(f"== {name} {project.version}", flush=True)
    pristine, src, python = setup(project, work)
    base = src.parent
    before_file = base / "tests-before.json"
    if before_file.exists():
        before = Tests(**json.loads(before_file.read_text()))
    else:
        restore(pristine, src)
        before = run_tests(project, src, python)
        before_file.write_text(json.dumps(before.__dict__))
    print(f"   before: {before.cell()} in {before.seconds:.0f}s", flush=True)
    row: dict = {"version": project.version, "before": before.__dict__}
    for kind, unsafe in (("safe", False), ("unsafe", True)):
        restore(pristine, src)
        fixed = apply_fixes(src, unsafe, work / f"{name}.{kind}.diff")
        fixed.tests = run_tests(project, src, python) if fixed.applied else before
        print(f"   --fix{' --unsafe-fixes' if unsafe else ''}: {fixed.files} files, {dict(fixed.applied)}, "
              f"announced {fixed.announced}; tests {fixed.tests.cell()}", flush=True)
        new_failures = sorted(set(fixed.tests.failing) - set(before.failing))
        row[kind] = {"files": fixed.files, "applied": dict(fixed.applied), "announced": fixed.announced,
                     "tests": fixed.tests.__dict__, "new_failures": new_failures, "errors": fixed.errors}
    restore(pristine, src)
    results[name] = row


def table(results: Dict[str, dict]) -> str:
    lines = [
        "| project | tests before | `--fix`: files, fixes by rule | tests after | `--fix --unsafe-fixes`: files, fixes by rule | tests after | check announced = applied |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        cells = [f"{name} {row['version']}", Tests(**row["before"]).cell()]
        parity = []
        for kind in ("safe", "unsafe"):
            part = row[kind]
            rules = ", ".join(f"{code} {n}" for code, n in sorted(part["applied"].items())) or "none"
            cells.append(f"{part['files']}: {rules}")
            cells.append(Tests(**part["tests"]).cell())
            total = sum(part["applied"].values())
            parity.append(f"{part['announced']}={total}" if part["announced"] == total else f"{part['announced']}≠{total}")
        cells.append(" / ".join(parity))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/fix-safety-bench"))
    parser.add_argument("--only", default="", help="comma-separated project names")
    parser.add_argument("--fresh", action="store_true", help="set every project up again")
    parser.add_argument("--write", type=Path, help="also write the table (markdown) here")
    parser.add_argument("--json", type=Path, help="also write the results (JSON) here")
    args = parser.parse_args(argv)
    if args.fresh:
        shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True, exist_ok=True)
    only = {n.strip().lower() for n in args.only.split(",") if n.strip()}
    results: Dict[str, dict] = {}
    for project in PROJECTS:
        if only and project.name.lower() not in only:
            continue
        try:
            bench(project, args.work, results)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            print(f"   skipped: {exc}", flush=True)
    text = table(results)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
