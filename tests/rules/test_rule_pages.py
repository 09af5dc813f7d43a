"""Every rule page's examples are executed: `bad` fires exactly its rule,
`good` fires nothing, and every page has a rule and every rule a page."""

from __future__ import annotations

import ast

import pytest

from cryptolint.registry import all_rules, check_classes
from tests.helpers import RULES_DIR, codes, rule_pages

PAGES = rule_pages()
SECTIONS = ["What it does", "Why is this bad", "Example", "Use instead"]


def _ids(pages):
    return [p.code for p in pages]


def test_every_rule_has_a_page_and_every_page_a_rule():
    page_codes = {(p.code, p.name) for p in PAGES}
    rule_codes = {(r.code, r.name) for r in all_rules() if not r.code.startswith("CRY0")}
    assert page_codes == rule_codes


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_page_sections_in_order(page):
    headings = [line[3:].strip() for line in page.text.splitlines() if line.startswith("## ")]
    expected = list(SECTIONS)
    if page.blocks["fixed"]:
        expected.append("Fixed")
    cls = next(c for c in check_classes() if c.CODE == page.code)
    if cls.FIX is not None:
        expected.append("Fix safety")
    expected.append("References")
    assert headings == expected
    assert page.text.startswith(f"# {page.code}: {page.name}\n")


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_bad_examples_fire_exactly_this_rule(page):
    assert page.blocks["bad"], "a page needs a bad example"
    for block in page.blocks["bad"]:
        ast.parse(block)
        found = codes(block)
        assert found and set(found) == {page.code}, found


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_good_examples_are_clean(page):
    assert page.blocks["good"], "a page needs a good example"
    for block in page.blocks["good"]:
        ast.parse(block)
        assert codes(block) == []


def test_rules_directory_holds_only_rule_pages():
    for path in RULES_DIR.iterdir():
        assert path.name.startswith("CRY") and path.suffix == ".md" or path.name == "README.md"


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_page_says_what_the_rule_does_in_test_code(page):
    """A page tells what its rule's declared test-code policy does."""
    from cryptolint.checks._base import TestCode

    cls = next(c for c in check_classes() if c.CODE == page.code)
    text = " ".join(page.text.split())
    if cls.TEST_CODE is TestCode.REPORT:
        assert "Test code is checked too" in text
    elif cls.TEST_CODE is TestCode.HELPERS:
        assert "Test helpers are checked too" in text and "all-rules-in-tests = true" in text
    else:
        assert "all-rules-in-tests = true" in text and "checked too" not in text
