"""The whole standard library and the installed site-packages of the running
Python are linted through the real command line, in parallel, with every
rule on and test code included, without a single internal error (CRY002)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import List

import pytest

from cryptolint.registry import all_rules

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import _corpus  # noqa: E402  (bench/ is not a package)


def _roots() -> List[Path]:
    """The stdlib's entries (without a base interpreter's site-packages inside
    it) and the running interpreter's site-packages directories: the corpus
    `bench/_corpus.py` defines, as directories to walk."""
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    skipped = _corpus.PACKAGE_DIRS | {"__pycache__"}
    roots = sorted(p for p in stdlib.iterdir() if p.name not in skipped and (p.is_dir() or p.suffix == ".py"))
    return roots + [d for d in _corpus.site_directories() if d.parent != stdlib]


@pytest.mark.slow
def test_stdlib_and_site_packages_have_no_internal_errors(tmp_path: Path) -> None:
    config = tmp_path / "cryptolint.toml"
    codes = ", ".join(f'"{rule.code}"' for rule in all_rules())
    config.write_text(f"select = [{codes}]\nall-rules-in-tests = true\nexclude = []\n", encoding="utf-8")
    report = tmp_path / "report.json"
    roots = _roots()
    command = [
        sys.executable, "-m", "cryptolint", "check", "--config", str(config), "--no-cache", "--exit-zero",
        "--format", "json", "--output-file", str(report), *map(str, roots),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=1800)
    # Unreadable or odd entries of an installation are warnings; nothing may be an error.
    assert done.returncode == 0, done.stderr[-3000:]
    assert "internal error" not in done.stderr
    findings = json.loads(report.read_text(encoding="utf-8"))
    internal = [f"{f['filename']}:{f['line']}: {f['message']}" for f in findings if f["code"] == "CRY002"]
    assert internal == []
    files = sum(1 for root in roots for _, _, names in os.walk(root) for name in names if name.endswith(".py"))
    assert files > 1500
    assert any(root.name == "site-packages" for root in roots)
    # Real findings are made on the way (the stdlib's own MD5 and `==` uses):
    # the rules ran, this is not a walk over nothing.
    assert len({f["code"] for f in findings}) >= 3
