"""The real flake8, in a subprocess, with the cryptolint plugin (entry point `CRY`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest

from cryptolint.diagnostic import Diagnostic, Span
from cryptolint.engine import decode_source
from cryptolint.registry import all_rules
from cryptolint.suppression import NoqaMap, source_lines
from tests.helpers import FIXTURES_DIR, fixture_files, fixture_markers, marker_mismatches

FLAKE8_FORMAT = "%(path)s|%(row)d|%(col)d|%(code)s"
#: A project whose findings all need another module's summary: the CLI's
#: project pass reports them, flake8 (one file at a time) cannot; see
#: `test_flake8_sees_one_module_at_a_time`.
CROSS_MODULE = FIXTURES_DIR / "projects" / "cross_module"
ALL_FIXTURES = sorted(p for p in FIXTURES_DIR.rglob("*.py") if CROSS_MODULE not in p.parents)
OFF_BY_DEFAULT = ",".join(rule.code for rule in all_rules() if not rule.default_enabled)
Finding = Tuple[str, int, int, str]


def _env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def flake8(*args: str, cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
        timeout=300, env=_env(),
    )


def flake8_findings(*args: str, cwd: Path, stdin: Optional[str] = None) -> List[Finding]:
    result = flake8("--select", "CRY", f"--format={FLAKE8_FORMAT}", *args, cwd=cwd, stdin=stdin)
    assert result.returncode in (0, 1), result.stderr
    found = []
    for line in result.stdout.splitlines():
        path, row, col, code = line.split("|")
        found.append((os.path.normpath(path), int(row), int(col), code))
    return sorted(found)


def cryptolint_findings(*args: str, cwd: Path) -> List[Finding]:
    result = subprocess.run(
        [sys.executable, "-m", "cryptolint", "check", "--format", "json", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300, env=_env(),
    )
    assert result.returncode in (0, 1), result.stderr
    return sorted(
        (os.path.normpath(d["path"]), d["line"], d["column"], d["code"]) for d in json.loads(result.stdout)
    )


def by_file(findings: List[Finding]) -> Dict[str, Set[Finding]]:
    grouped: Dict[str, Set[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding[0], set()).add(finding)
    return grouped


# ----------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def both_tools_on_fixtures() -> Tuple[Dict[str, Set[Finding]], Dict[str, Set[Finding]]]:
    """Both tools over fixtures/ once, default settings, no configuration files."""
    return (
        by_file(flake8_findings("--isolated", ".", cwd=FIXTURES_DIR)),
        by_file(cryptolint_findings("--isolated", ".", cwd=FIXTURES_DIR)),
    )


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=[str(p.relative_to(FIXTURES_DIR)) for p in ALL_FIXTURES])
def test_flake8_and_cli_report_the_same_findings(both_tools_on_fixtures, path):
    """Same (path, line, column, code) set, `# noqa` lines included."""
    from_flake8, from_cli = both_tools_on_fixtures
    name = str(path.relative_to(FIXTURES_DIR))
    assert from_flake8.get(name, set()) == from_cli.get(name, set())


def test_parity_covers_noqa_lines(both_tools_on_fixtures):
    from_flake8, _ = both_tools_on_fixtures
    lines = {(line, col) for _, line, col, _ in from_flake8["projects/suppression/noqa_variants.py"]}
    assert lines == {(19, 20), (20, 20), (23, 18), (30, 5)}


def test_flake8_reports_every_fixture_marker():
    """With every rule on, flake8's findings are exactly the `# error:` markers not under `# noqa`."""
    args = ["--isolated", "--extend-exclude", "projects,*.fixed.py", "."]
    if OFF_BY_DEFAULT:
        args.insert(0, f"--cryptolint-enable={OFF_BY_DEFAULT}")
    found = by_file(flake8_findings(*args, cwd=FIXTURES_DIR))
    for path in fixture_files():
        name = str(path.relative_to(FIXTURES_DIR))
        text = decode_source(path.read_bytes())
        noqa = NoqaMap(source_lines(text))  # markers count findings before `# noqa`
        markers = [
            marker for marker in fixture_markers(text)
            if not noqa.suppresses(Diagnostic(marker.code, "", "", Span(marker.line, 0, marker.line, 0)))
        ]
        reported = [(line, col, code) for _, line, col, code in found.get(name, set())]
        missing, unexpected = marker_mismatches(markers, reported)
        assert (missing, unexpected) == ([], []), name
    assert set(found) <= {str(p.relative_to(FIXTURES_DIR)) for p in fixture_files()}


def test_flake8_sees_one_module_at_a_time(both_tools_on_fixtures):
    """What the README says of the plugin: it checks each file alone, so a
    literal key in `config.py` used in `views.py` is the CLI's finding only;
    each module alone is exactly what `cryptolint check` says of it alone."""
    from_flake8, from_cli = both_tools_on_fixtures
    views = os.path.join("projects", "cross_module", "shop", "views.py")
    assert {code for _, _, _, code in from_cli[views]} == {"CRY101", "CRY301", "CRY303", "CRY401", "CRY501"}
    for path in sorted(CROSS_MODULE.rglob("*.py")):
        name = str(path.relative_to(FIXTURES_DIR))
        alone = cryptolint_findings("--isolated", name, cwd=FIXTURES_DIR)
        assert from_flake8.get(name, set()) == set(alone) == set(), name


def test_flake8_exact_positions_on_the_exemplar():
    found = flake8_findings("--isolated", "randomness/insecure_random.py", cwd=FIXTURES_DIR)
    source = (FIXTURES_DIR / "randomness" / "insecure_random.py").read_text(encoding="utf-8").splitlines()
    for _, line, col, code in found:
        # the column points at the call: `random...`/an alias, as the CLI reports it
        assert source[line - 1][col - 1].isidentifier(), (line, col, code)
    assert all(code == "CRY101" for *_, code in found) and found


# ----------------------------------------------------------- options
TOKEN_MODULE = 'import random\n\nreset_token = random.choice("abcdef0123456789")\nhush = random.choice("ab")\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "app" / "tokens.py").write_text(TOKEN_MODULE)
    (tmp_path / "tests" / "test_tokens.py").write_text(TOKEN_MODULE)
    return tmp_path


def test_stdin_parallel_jobs_and_per_file_ignores(project):
    from_stdin = flake8_findings("--isolated", "-", "--stdin-display-name", "app/tokens.py", cwd=project,
                                 stdin=TOKEN_MODULE)
    assert from_stdin == [("app/tokens.py", 3, 15, "CRY101")]
    files = {f"app/m{i}.py": TOKEN_MODULE for i in range(6)}
    for name, text in files.items():
        (project / name).write_text(text)
    serial = flake8_findings("--isolated", "-j", "1", "app", cwd=project)
    assert flake8_findings("--isolated", "-j", "2", "app", cwd=project) == serial
    assert serial == sorted([(f"app/m{i}.py", 3, 15, "CRY101") for i in range(6)] + [("app/tokens.py", 3, 15, "CRY101")])
    ignored = flake8_findings("--isolated", "--per-file-ignores=app/m*.py:CRY101", "app", cwd=project)
    assert ignored == [("app/tokens.py", 3, 15, "CRY101")]


def test_extend_select_without_select(project):
    result = flake8("--isolated", "--extend-select", "CRY", f"--format={FLAKE8_FORMAT}", "app", cwd=project)
    assert "app/tokens.py|3|15|CRY101" in result.stdout.splitlines()


@pytest.mark.parametrize("config_name", ["setup.cfg", "tox.ini", ".flake8"])
def test_options_from_flake8_config_files(project, config_name):
    assert flake8_findings(".", cwd=project) == [("app/tokens.py", 3, 15, "CRY101")]
    (project / config_name).write_text(
        "[flake8]\n"
        "cryptolint-all-rules-in-tests = true\n"
        "cryptolint-secret-names = hush, sesame\n"
        "cryptolint-not-secret-names = reset_token\n"
        "cryptolint-policy = owasp-2021\n"
        "cryptolint-enable = CRY101\n"
    )
    assert flake8_findings(".", cwd=project) == [("app/tokens.py", 4, 8, "CRY101"), ("tests/test_tokens.py", 4, 8, "CRY101")]


def test_the_old_name_of_all_rules_in_tests_still_works_and_warns(project):
    (project / "setup.cfg").write_text("[flake8]\ncryptolint-secrets-in-tests = true\ncryptolint-enable = CRY101\n")
    result = flake8(f"--format={FLAKE8_FORMAT}", ".", cwd=project)
    assert "./tests/test_tokens.py|3|15|CRY101" in result.stdout.splitlines()
    assert "cryptolint-secrets-in-tests is deprecated, use cryptolint-all-rules-in-tests" in result.stderr


@pytest.mark.parametrize(
    "option, message",
    [
        ("--cryptolint-policy=owasp-2099", "--cryptolint-policy: unknown policy `owasp-2099`"),
        ("--cryptolint-enable=CRY9", "--cryptolint-enable: unknown rule code or prefix `CRY9`"),
    ],
)
def test_bad_plugin_options_are_usage_errors(project, option, message):
    result = flake8("--isolated", "--select", "CRY", option, "app", cwd=project)
    assert result.returncode == 2
    assert f"flake8: error: {message}" in result.stderr


def test_plugin_never_reads_the_file():
    """The adapter works from flake8's lines and tree alone (no file on disk)."""
    import ast

    from cryptolint.flake8_plugin import CryptolintChecker

    lines = TOKEN_MODULE.splitlines(keepends=True)
    checker = CryptolintChecker(ast.parse(TOKEN_MODULE), lines, "app/does-not-exist.py")
    assert [(line, col, text.split()[0]) for line, col, text, _ in checker.run()] == [(3, 14, "CRY101")]


def test_config_file_options_reach_parallel_workers_and_stdin(project):
    """`cryptolint-*` options read from `setup.cfg` hold in every `-j` worker and for `flake8 -`."""
    (project / "setup.cfg").write_text(
        "[flake8]\nselect = CRY\ncryptolint-secret-names = hush\ncryptolint-not-secret-names = reset_token\n"
        "per-file-ignores =\n    app/m0.py: CRY101\n"
    )
    for i in range(6):
        (project / "app" / f"m{i}.py").write_text(TOKEN_MODULE)
    expected = sorted([(f"app/m{i}.py", 4, 8, "CRY101") for i in range(1, 6)] + [("app/tokens.py", 4, 8, "CRY101")])
    assert flake8_findings("-j", "2", "app", cwd=project) == expected
    assert flake8_findings("-j", "1", "app", cwd=project) == expected
    # stdin: the configured names apply, and per-file-ignores match the display name
    assert flake8_findings("-", "--stdin-display-name", "app/new.py", cwd=project, stdin=TOKEN_MODULE) == [
        ("app/new.py", 4, 8, "CRY101")]
    assert flake8_findings("-", "--stdin-display-name", "app/m0.py", cwd=project, stdin=TOKEN_MODULE) == []
