"""Fixture files mark every line that must be reported with `# error: CRYnnn`
(`# error: CRYnnn:COLUMN` pins the column too); every other line must stay
clean, with every rule switched on."""

from __future__ import annotations

import pytest

from cryptolint.engine import decode_source
from tests.helpers import FIXTURES_DIR, fixture_files, fixture_markers, lint, marker_mismatches

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES_DIR)) for p in FILES])
def test_fixture_markers_match_findings(path):
    source = decode_source(path.read_bytes())  # as Python reads it: cookie, BOM
    found = [(line, column + 1, code) for line, column, code in lint(source, str(path.relative_to(FIXTURES_DIR)))]
    missing, unexpected = marker_mismatches(fixture_markers(source), found)
    assert not missing and not unexpected, f"missing={missing} unexpected={unexpected}"
