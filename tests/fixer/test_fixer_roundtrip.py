"""Round trip over every rule page's `bad` block and every fixture file:
fixing (unsafe fixes too) gives code that parses, leaves no diagnostic whose
fix could have been applied, and a second run changes nothing.  A page's
`fixed` block is exactly what fixing its `bad` block gives."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import List, Tuple

import pytest

from cryptolint.engine import decode_source
from cryptolint.fixer import FixResult, fix_source
from tests.helpers import ALL_ON, FIXTURES_DIR, assert_fixes, fixture_files, rule_pages

PAGES = rule_pages()


def _cases() -> List[Tuple[str, str, bytes]]:
    cases = []
    for page in PAGES:
        for number, block in enumerate(page.blocks["bad"], start=1):
            cases.append((f"{page.code}-bad{number}", "example.py", block.encode("utf-8")))
    for path in fixture_files():
        display = str(path.relative_to(FIXTURES_DIR))
        cases.append((display, display, path.read_bytes()))
    return cases


CASES = _cases()


def _fix(data: bytes, path: str) -> FixResult:
    return fix_source(data, path, ALL_ON, unsafe=True)


@pytest.mark.parametrize("name, path, data", CASES, ids=[c[0] for c in CASES])
def test_round_trip(name: str, path: str, data: bytes) -> None:
    result = _fix(data, path)
    assert result.error is None
    ast.parse(decode_source(result.fixed), filename=path)
    left = [(d.line, d.code, d.message) for d in result.remaining if d.fix is not None and d.fix.edits]
    assert left == [], "fixable diagnostics remain after fixing"
    again = _fix(result.fixed, path)
    assert again.error is None
    assert again.fixed == result.fixed
    assert again.applied == ()


FIXED_PAIRS = [
    (f"{page.code}-{number}", bad, good)
    for page in PAGES
    for number, (bad, good) in enumerate(zip(page.blocks["bad"], page.blocks["fixed"]), start=1)
]


@pytest.mark.parametrize("name, bad, expected", FIXED_PAIRS, ids=[p[0] for p in FIXED_PAIRS])
def test_fixing_the_bad_block_gives_the_fixed_block(name: str, bad: str, expected: str) -> None:
    assert_fixes(bad, expected, unsafe=True)


def test_every_fixable_rule_page_has_a_fixed_block() -> None:
    from cryptolint.registry import check_classes

    fixable = {cls.CODE for cls in check_classes() if cls.FIX is not None}
    missing = sorted(p.code for p in PAGES if p.code in fixable and not p.blocks["fixed"])
    assert missing == []


def test_there_are_fixture_files_to_round_trip() -> None:
    assert any(Path(c[1]).parts[0] == "fixes" for c in CASES)
