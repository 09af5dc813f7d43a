"""The test suite's own layout: test modules sit in the directory of the layer
they test and share code through `tests/helpers.py` and `conftest.py` only."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List

from tests.helpers import ROOT

TESTS = ROOT / "tests"
#: tests/<layer>/ directories, as the README's "Tests" section lists them.
LAYERS = {"unit", "unit/analysis", "rules", "fixer", "cli", "integration"}
#: Test modules that stay at the top: the README's own tests (its update
#: command is `python -m tests.test_readme --update`) and this one.
TOP_LEVEL = {"test_readme.py", "test_harness.py"}


def all_test_modules() -> List[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def imported_modules(path: Path) -> List[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_no_test_module_imports_another() -> None:
    offenders = {
        str(path.relative_to(ROOT)): [name for name in imported_modules(path) if name.split(".")[-1].startswith("test_")]
        for path in all_test_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_every_test_module_sits_in_a_layer_directory() -> None:
    misplaced = [
        str(path.relative_to(TESTS))
        for path in all_test_modules()
        if path.parent == TESTS and path.name not in TOP_LEVEL
        or path.parent != TESTS and str(path.parent.relative_to(TESTS).as_posix()) not in LAYERS
    ]
    assert misplaced == []


def test_every_layer_directory_is_a_package() -> None:
    """Packages give every test module a unique name (`tests.cli.test_cli`)
    and put the repository root on `sys.path` for `from tests.helpers import`."""
    assert [layer for layer in sorted(LAYERS) if not (TESTS / layer / "__init__.py").is_file()] == []
    assert (TESTS / "__init__.py").is_file()
