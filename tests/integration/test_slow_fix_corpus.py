"""`--fix --unsafe-fixes` over a copy of the whole standard library and
site-packages of the running interpreter, through the real command line, with
every rule on: no internal error, no refusal other than the documented ones,
every changed file still byte-compiles, and a second run changes nothing.

Slow, so skipped unless asked for:

    CRYPTOLINT_SLOW=1 pytest tests/integration/test_slow_fix_corpus.py

Measured once on the development machine (2 cores, Python 3.11.7, 4954 files,
71 MB, while another benchmark shared the cores): 2 min 32 s in all; the
first `--fix` 89 s (57 files changed, no refusal, no internal error), the
second 60 s (nothing changed).  Files a fix would need to touch but cannot
with certainty (`os` bound to something else in the module, for a fix that
imports `os`) are left alone silently, by design.

The corpus is the one bench/ measures (the stdlib without its site-packages,
then each site-packages directory), listed by `bench/_corpus.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from cryptolint.registry import all_rules

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import _corpus  # noqa: E402  (bench/ is not a package)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("CRYPTOLINT_SLOW") != "1",
        reason="takes minutes: run with CRYPTOLINT_SLOW=1 pytest tests/integration/test_slow_fix_corpus.py",
    ),
]

#: Refusals the fixer documents (cryptolint/fixer/__init__.py): the file is
#: left as it was, with a message, and the run exits 2.  Anything else after
#: "not fixed:" (a result that would not compile, overlapping edits, a bad
#: template, an internal error) is a bug.
DOCUMENTED_REFUSALS = (
    "its bytes do not survive decoding and encoding again",
    "the code is nested too deeply to rewrite",
    "the fixed text cannot be written as",
)


def _copy_corpus(destination: Path) -> Dict[Path, bytes]:
    """Copy the corpus below `destination`; copy -> the bytes copied."""
    parts = _corpus.parts()
    _corpus.copy(parts, destination)
    return {destination / part.name / name: (part.root / name).read_bytes() for part in parts for name in part.files}


def _compile_error(data: bytes, path: Path) -> str:
    """Why `data` does not byte-compile under this Python ('' when it does);
    bytes, so the PEP 263 cookie and the BOM are honoured."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return ""


def _fix(corpus: Path, config: Path, report: Path) -> subprocess.CompletedProcess:
    command = [
        sys.executable, "-m", "cryptolint", "check", "--fix", "--unsafe-fixes", "--config", str(config),
        "--no-cache", "--format", "json", "--output-file", str(report), ".",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(command, cwd=corpus, capture_output=True, text=True, env=env, timeout=3 * 3600)


def _refusals(stderr: str) -> Tuple[List[str], List[str]]:
    """(documented, undocumented) "not fixed" messages and other errors."""
    documented, other = [], []
    for line in stderr.splitlines():
        if not line.startswith("cryptolint: error: "):
            continue
        if "not fixed: " in line and any(reason in line for reason in DOCUMENTED_REFUSALS):
            documented.append(line)
        else:
            other.append(line)
    return documented, other


def _snapshot(files: List[Path]) -> Dict[Path, Tuple[bytes, int]]:
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}


def test_fix_twice_over_the_stdlib_and_site_packages(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    copies = _copy_corpus(corpus)
    assert len(copies) > 1000
    # Every rule on (those off by default only by their full code), test code included, nothing excluded.
    config = tmp_path / "cryptolint.toml"
    codes = ", ".join(f'"{rule.code}"' for rule in all_rules())
    config.write_text(f"select = [{codes}]\nall-rules-in-tests = true\nexclude = []\n", encoding="utf-8")

    started = time.monotonic()
    first = _fix(corpus, config, tmp_path / "first.json")
    print(f"first --fix: {time.monotonic() - started:.0f} s, {len(copies)} files")
    assert "internal error" not in first.stderr, first.stderr[-5000:]
    documented, other = _refusals(first.stderr)
    assert other == [], "\n".join(other[:50])
    assert first.returncode in (0, 1) or (first.returncode == 2 and documented), first.stderr[-5000:]
    findings = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    crashes = [f"{d['path']}:{d['line']}: {d['message']}" for d in findings if d["code"] == "CRY002"]
    assert crashes == [], "\n".join(crashes[:50])

    changed = {copy: original for copy, original in copies.items() if copy.read_bytes() != original}
    assert changed, "with every rule on and unsafe fixes, something in the corpus should be fixed"
    broken = []
    for copy, original in sorted(changed.items()):
        if _compile_error(original, copy):
            continue  # did not compile before the fix either (Python 2 test data, templates)
        error = _compile_error(copy.read_bytes(), copy)
        if error:
            broken.append(f"{copy.relative_to(corpus)}: {error}")
    assert broken == [], "\n".join(broken)

    before = _snapshot(sorted(copies))
    started = time.monotonic()
    second = _fix(corpus, config, tmp_path / "second.json")
    print(f"second --fix: {time.monotonic() - started:.0f} s, {len(changed)} files changed by the first")
    assert "internal error" not in second.stderr, second.stderr[-5000:]
    assert _refusals(second.stderr)[1] == [], second.stderr[-5000:]
    assert second.returncode in (0, 1, 2), second.stderr[-5000:]
    after = _snapshot(sorted(copies))
    rewritten = [str(path.relative_to(corpus)) for path in sorted(copies) if after[path] != before[path]]
    assert rewritten == [], "a second --fix changed:\n" + "\n".join(rewritten)
