"""mypy holds the package's types (configuration: `[tool.mypy]` in pyproject.toml).

The type checks are what keep a misspelt table key or a None where a node
is expected from turning a rule off without a failing test.
"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def test_mypy_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_mypy_sees_a_type_error(tmp_path):
    """The configuration checks what it should: a rule-like module with a
    None passed where a node is expected fails."""
    bad = tmp_path / "bad_rule.py"
    bad.write_text(
        "import ast\n"
        "from typing import Optional\n\n"
        "def first_arg(call: ast.Call) -> Optional[ast.expr]:\n"
        "    return call.args[0] if call.args else None\n\n"
        "def name_of(call: ast.Call) -> str:\n"
        "    return ast.unparse(first_arg(call))\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--config-file", str(ROOT / "pyproject.toml"), str(bad)],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 1
    assert f"{bad.name}:8: error: Argument 1 to \"unparse\" has incompatible type" in result.stdout
