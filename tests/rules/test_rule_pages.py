"""Every rule page's examples are executed: `bad` fires exactly its rule,
`good` fires nothing, and every page has a rule and every rule a page."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from cryptolint import cli
from cryptolint.registry import all_rules, check_classes
from tests.helpers import RULES_DIR, codes, lint, project, rule_pages

PAGES = rule_pages()
SECTIONS = ["What it does", "Why is this bad", "Example", "Use instead"]


def _ids(pages):
    return [p.code for p in pages]


#: Every multi-module example: (page, `bad` or `good`, its modules by path).
PROJECTS = [(p, kind, files) for p in PAGES for kind in ("bad", "good") for files in p.projects[kind]]
PROJECT_IDS = [f"{p.code}-{kind}-project{n}" for n, (p, kind, _) in enumerate(PROJECTS, start=1)]


def _project_findings(root: Path, files: Dict[str, str], monkeypatch, capsys) -> List[Tuple[str, int, str]]:
    """(path, line, code) of what `cryptolint check` reports over the
    modules of a multi-module example, every rule on."""
    project(root, files)
    monkeypatch.chdir(root)
    status = cli.main(["check", "--isolated", "--no-cache", "-j", "1", "--format", "json", "--extend-select", "CRY", "."])
    assert status in (0, 1)
    return sorted((d["path"], d["line"], d["code"]) for d in json.loads(capsys.readouterr().out))


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


@pytest.mark.parametrize("page, kind, files", PROJECTS, ids=PROJECT_IDS)
def test_multi_module_examples(page, kind, files, tmp_path, monkeypatch, capsys):
    """A `bad project` example fires exactly its rule under `cryptolint check`,
    and only because the project pass reads the other modules (each module
    alone, as the flake8 plugin sees it, lacks a finding); a `good project`
    example is clean."""
    for source in files.values():
        ast.parse(source)
    found = _project_findings(tmp_path, files, monkeypatch, capsys)
    if kind == "good":
        assert found == []
        return
    assert found and {code for _, _, code in found} == {page.code}, found
    alone = sorted((path, line, code) for path, source in files.items() for line, _, code in lint(source, path))
    assert set(alone) < set(found), "the example does not need the other modules"


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
