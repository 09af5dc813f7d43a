"""The engine's pre-filter: sound (never skips a file a rule would report on)."""

from __future__ import annotations

import pytest

from cryptolint.engine import _prefilter, enabled_checks, lint_source
from tests.helpers import ALL_ON, FIXTURES_DIR, fixture_files


def test_identifiers_are_matched_as_python_reads_them():
    """Python normalises identifiers to NFKC: `ｒａｎｄｏｍ` is the module `random`."""
    source = "import ｒａｎｄｏｍ\n\ntoken = ｒａｎｄｏｍ.choice('ab')\n"
    assert [(d.line, d.code) for d in lint_source(source, "app.py", ALL_ON)] == [(3, "CRY101")]
    ascii_source = "import random\n\ntoken = random.choice('ab')\n"
    assert [(d.line, d.code) for d in lint_source(ascii_source, "app.py", ALL_ON)] == [(3, "CRY101")]


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES_DIR)))
def test_every_rule_that_reports_on_a_fixture_passes_its_prefilter(path):
    """Run every check on every fixture (no pre-filter): a rule that reports
    must be one the pre-filter lets through."""
    from cryptolint.engine import decode_source, run_checks, split_lines
    import ast

    text = decode_source(path.read_bytes())
    checks = enabled_checks(ALL_ON)
    reported = {d.code for d in run_checks(ast.parse(text), split_lines(text), str(path.relative_to(FIXTURES_DIR)), ALL_ON, checks)}
    passed = {cls.CODE for cls in _prefilter(text, checks, ALL_ON)}
    assert reported - passed - {"CRY001", "CRY002"} == set()
