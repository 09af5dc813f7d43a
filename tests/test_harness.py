"""The test suite's own layout: test modules sit in the directory of the layer
they test and share code through `tests/helpers.py` and `conftest.py` only."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path
from typing import List

import pytest

from cryptolint.engine import decode_source
from tests.helpers import ROOT, Marker, UpstreamNews, report_new_members, expected_markers, fixture_files, fixture_markers, marker_mismatches

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


# ------------------------------------------------------ fixture markers
def test_markers_are_read_with_and_without_columns() -> None:
    source = "a = 1\nb = f()  # error: CRY101:5, CRY302\nc = g()  # error: CRY101 CRY101:9 why\n"
    assert fixture_markers(source) == [
        Marker(2, "CRY101", 5), Marker(2, "CRY302"), Marker(3, "CRY101"), Marker(3, "CRY101", 9),
    ]
    assert expected_markers(source) == {(2, "CRY101"), (2, "CRY302"), (3, "CRY101")}


def test_a_pinned_column_must_match_exactly() -> None:
    markers = [Marker(2, "CRY101", 5)]
    assert marker_mismatches(markers, [(2, 5, "CRY101")]) == ([], [])
    assert marker_mismatches(markers, [(2, 6, "CRY101")]) == ([(2, 5, "CRY101")], [(2, 6, "CRY101")])
    assert marker_mismatches(markers, [(2, 5, "CRY101"), (2, 9, "CRY101")]) == ([], [(2, 9, "CRY101")])
    assert marker_mismatches(markers, []) == ([(2, None, "CRY101")], [])


def test_an_unpinned_marker_takes_any_column_and_unmarked_findings_are_unexpected() -> None:
    markers = [Marker(2, "CRY101"), Marker(2, "CRY101", 9)]
    assert marker_mismatches(markers, [(2, 1, "CRY101"), (2, 9, "CRY101")]) == ([], [])
    assert marker_mismatches(markers, [(2, 1, "CRY101")]) == ([(2, 9, "CRY101")], [])
    assert marker_mismatches([], [(4, 3, "CRY201")]) == ([], [(4, 3, "CRY201")])
    assert marker_mismatches([Marker(2, "CRY101")], [(2, 1, "CRY102")]) == ([(2, None, "CRY101")], [(2, 1, "CRY102")])


def test_a_good_number_of_fixture_lines_pin_their_column() -> None:
    markers = [marker for path in fixture_files() for marker in fixture_markers(decode_source(path.read_bytes()))]
    pinned = [marker for marker in markers if marker.column is not None]
    assert len(pinned) >= 150, (len(pinned), len(markers))


# ------------------------------------------------------ upstream news
def test_new_upstream_members_are_news_not_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRYPTOLINT_UPSTREAM_STRICT", raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report_new_members("MODES", {"a.CBC", "a.GCM", "a.NEW"}, {"a.CBC", "a.GCM"})
        report_new_members("MODES", {"a.CBC"}, {"a.CBC", "a.OLD"})  # listed but gone: the test's own assert
    assert [(w.category, str(w.message)) for w in caught] == [
        (UpstreamNews, "MODES: the installed library offers a.NEW, which cryptolint does not list"),
    ]


def test_strict_runs_fail_on_upstream_news(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRYPTOLINT_UPSTREAM_STRICT", "1")
    with pytest.raises(AssertionError, match="a.NEW"):
        report_new_members("MODES", {"a.NEW"}, set())
