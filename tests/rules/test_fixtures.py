"""Fixture files mark every line that must be reported with `# error: CRYnnn`;
every other line must stay clean, with every rule switched on."""

from __future__ import annotations

import pytest

from cryptolint.engine import decode_source
from tests.helpers import FIXTURES_DIR, expected_markers, fixture_files, lint

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES_DIR)) for p in FILES])
def test_fixture_markers_match_findings(path):
    source = decode_source(path.read_bytes())  # as Python reads it: cookie, BOM
    found = {(line, code) for line, _, code in lint(source, str(path.relative_to(FIXTURES_DIR)))}
    expected = expected_markers(source)
    missing = sorted(expected - found)
    unexpected = sorted(found - expected)
    assert not missing and not unexpected, f"missing={missing} unexpected={unexpected}"
