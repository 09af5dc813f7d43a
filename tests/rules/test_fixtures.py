"""Fixture files mark every line that must be reported with `# error: CRYnnn`
(`# error: CRYnnn:COLUMN` pins the column too); every other line must stay
clean, with every rule switched on."""

from __future__ import annotations

import json

import pytest

from cryptolint import cli
from cryptolint.engine import decode_source
from tests.helpers import FIXTURES_DIR, fixture_files, fixture_markers, lint, marker_mismatches

FILES = fixture_files()
#: Projects whose markers hold under `cryptolint check` over the whole
#: project (findings that need another module's summary).
PROJECTS = [FIXTURES_DIR / "projects" / "cross_module"]


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES_DIR)) for p in FILES])
def test_fixture_markers_match_findings(path):
    source = decode_source(path.read_bytes())  # as Python reads it: cookie, BOM
    found = [(line, column + 1, code) for line, column, code in lint(source, str(path.relative_to(FIXTURES_DIR)))]
    missing, unexpected = marker_mismatches(fixture_markers(source), found)
    assert not missing and not unexpected, f"missing={missing} unexpected={unexpected}"


@pytest.mark.parametrize("root", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project_fixture_markers_match_findings(root, monkeypatch, capsys):
    """Every module's markers, with every rule on, when the project is
    checked as one: each marked line reported at its column, nothing else."""
    monkeypatch.chdir(root)
    status = cli.main(["check", "--isolated", "--no-cache", "-j", "1", "--format", "json", "--extend-select", "CRY", "."])
    assert status == 1
    found = json.loads(capsys.readouterr().out)
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        mine = [(d["line"], d["column"], d["code"]) for d in found if d["path"] == name]
        missing, unexpected = marker_mismatches(fixture_markers(path.read_text(encoding="utf-8")), mine)
        assert not missing and not unexpected, f"{name}: missing={missing} unexpected={unexpected}"
    assert {d["path"] for d in found} <= {p.relative_to(root).as_posix() for p in root.rglob("*.py")}
