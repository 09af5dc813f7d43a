"""`--format sarif|github|gitlab|junit`, checked against what their consumers read:
the SARIF 2.1.0 schema, GitHub's runner's command parser, GitLab's required
Code Quality fields, a JUnit XML parse."""

from __future__ import annotations

import ast
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List
from urllib.parse import unquote

import jsonschema
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from cryptolint import __version__
from cryptolint.catalog import page_text
from cryptolint.diagnostic import Diagnostic, Level, Span
from cryptolint.engine import lint_source
from cryptolint.registry import SECURITY_SEVERITY, CATEGORIES, all_rules, rule_by_code
from cryptolint.reporters import Finding
from cryptolint.reporters.github import annotation
from tests.helpers import BROKEN, CLEAN, LINE_BREAK, ONE_LINER, ROOT, TOKENS, project, run, runner_commands

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
RESET = "`random.choice` makes `reset_token` predictable; use `secrets.choice`"
#: A file whose fix needs an import the file does not have yet.
COMPARE = "def check(api_token, given):\n    return api_token == given\n"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return project(tmp_path, {
        "app/tokens.py": TOKENS, "app/one.py": ONE_LINER, "app/clean.py": CLEAN, "app/broken.py": BROKEN,
        "app/compare.py": COMPARE,
    })


def report(root: Path, output_format: str, *args: str, status: int = 1) -> str:
    result = run("check", "--format", output_format, "-j", "1", *args, cwd=root)
    assert result.returncode == status, result.stderr
    return result.stdout


# ------------------------------------------------------------------ SARIF
def test_sarif_validates_against_the_schema_and_describes_every_rule(app):
    log = json.loads(report(app, "sarif"))
    jsonschema.validate(log, SCHEMA)
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("cryptolint", __version__)
    assert driver["informationUri"] == PROJECT["urls"]["Homepage"]  # pyproject.toml and catalog.HOMEPAGE agree
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in all_rules()]
    cry101 = next(rule for rule in driver["rules"] if rule["id"] == "CRY101")
    page = page_text(rule_by_code("CRY101"))
    assert cry101["name"] == "insecure-random"
    assert cry101["shortDescription"]["text"] == rule_by_code("CRY101").summary
    assert cry101["fullDescription"]["text"].startswith("Reports a call to the `random` module")
    assert cry101["help"]["markdown"] == page
    assert cry101["help"]["text"].startswith(cry101["fullDescription"]["text"] + "\n\n`random` is a Mersenne Twister")
    assert cry101["help"]["text"].endswith("\n\nSee " + cry101["helpUri"])
    assert cry101["helpUri"].endswith("/rules/CRY101-insecure-random.md")
    assert cry101["properties"]["security-severity"] == "7.5"
    assert {"security", "external/cwe/cwe-338", "external/cwe/cwe-330"} <= set(cry101["properties"]["tags"])
    syntax = next(rule for rule in driver["rules"] if rule["id"] == "CRY001")
    assert "security-severity" not in syntax["properties"] and "security" not in syntax["properties"]["tags"]


def test_sarif_results_point_at_the_finding(app):
    run_ = json.loads(report(app, "sarif"))["runs"][0]
    results = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]): r
               for r in run_["results"]}
    assert sorted(results) == [
        ("app/broken.py", "CRY001"), ("app/compare.py", "CRY401"), ("app/one.py", "CRY101"),
        ("app/tokens.py", "CRY101"),
    ]
    one = results[("app/one.py", "CRY101")]
    assert run_["tool"]["driver"]["rules"][one["ruleIndex"]]["id"] == "CRY101"
    assert one["level"] == "error"
    assert one["message"] == {"text": RESET}
    location = one["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/one.py", "uriBaseId": "%SRCROOT%"}
    # `random.choice("abcdef0123456789")` is columns 15-47 of line 3 (1-based, end one past the last)
    assert location["region"] == {"startLine": 3, "startColumn": 15, "endLine": 3, "endColumn": 48}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == app.as_uri() + "/"
    assert run_["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def apply_sarif_fix(source: str, fix: Dict) -> str:
    """Apply a SARIF fix's replacements (1-based, end-exclusive columns), last first."""
    lines = source.splitlines(keepends=True)
    replacements = fix["artifactChanges"][0]["replacements"]
    for replacement in sorted(replacements, key=lambda r: (r["deletedRegion"]["startLine"],
                                                           r["deletedRegion"]["startColumn"]), reverse=True):
        region = replacement["deletedRegion"]
        offsets = [sum(len(line) for line in lines[: region[f"{end}Line"] - 1]) + region[f"{end}Column"] - 1
                   for end in ("start", "end")]
        text = "".join(lines)
        lines = (text[: offsets[0]] + replacement["insertedContent"]["text"] + text[offsets[1]:]).splitlines(True)
    return "".join(lines)


@pytest.mark.parametrize("name, source, code", [
    ("app/tokens.py", TOKENS, "CRY101"),  # `secrets` imported next to the other imports
    ("app/compare.py", COMPARE, "CRY401"),  # a template with holes; `hmac` imported at the top
])
def test_sarif_fixes_repair_the_code_when_applied(app, name, source, code):
    results = json.loads(report(app, "sarif", "--unsafe-fixes"))["runs"][0]["results"]
    result = next(r for r in results if r["ruleId"] == code and name in json.dumps(r["locations"]))
    (fix,) = result["fixes"]
    assert fix["artifactChanges"][0]["artifactLocation"] == {"uri": name, "uriBaseId": "%SRCROOT%"}
    fixed = apply_sarif_fix(source, fix)
    ast.parse(fixed)
    assert [d.code for d in lint_source(fixed, name)] == [], fixed
    (diagnostic,) = [d for d in lint_source(source, name) if d.code == code]
    assert fix["description"]["text"] == f"{diagnostic.fix.title} ({diagnostic.fix.applicability.value} fix)"
    if code == "CRY401":
        assert fixed == "import hmac\ndef check(api_token, given):\n    return hmac.compare_digest(api_token, given)\n"


def test_sarif_fingerprints_survive_moved_lines_and_tell_copies_apart(tmp_path):
    root = project(tmp_path, {"t.py": "import random\n\n" + 'reset_token = random.choice("ab")\n' * 2})

    def prints() -> List[str]:
        results = json.loads(report(root, "sarif"))["runs"][0]["results"]
        return [r["partialFingerprints"]["cryptolint/v1"] for r in results]

    before = prints()
    assert len(set(before)) == 2  # two identical lines: told apart by their occurrence
    moved = "import random\n\n\nif True:  # moved down\n" + '    reset_token = random.choice("ab")\n' * 2
    (root / "t.py").write_text(moved)
    assert prints() == before  # lines moved and re-indented
    (root / "t.py").write_text("import random\n\n" + 'reset_token = random.choice("abc")\n' * 2)
    assert set(prints()).isdisjoint(before)  # the line itself changed


def test_sarif_names_awkward_paths_as_uris_and_reports_errors(app):
    (app / "app" / "we ird%#.py").write_text(ONE_LINER)
    log = json.loads(report(app, "sarif", "app", "missing.py", status=2))
    jsonschema.validate(log, SCHEMA)
    run_ = log["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]]
    assert "app/we%20ird%25%23.py" in uris and unquote("app/we%20ird%25%23.py") == "app/we ird%#.py"
    (invocation,) = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "missing.py: no such file or directory"
    elsewhere = app / "elsewhere"  # a file outside the working directory is named absolutely
    elsewhere.mkdir()
    absolute = json.loads(run("check", "--format", "sarif", str(app / "app" / "one.py"), cwd=elsewhere).stdout)
    location = absolute["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (app / "app" / "one.py").as_uri()}


def test_severity_table_names_only_families_and_rules_that_exist():
    codes = {rule.code for rule in all_rules()}
    assert set(SECURITY_SEVERITY) <= codes | set(CATEGORIES)
    assert all(0.1 <= score <= 10 for score in SECURITY_SEVERITY.values())
    for rule in all_rules():
        assert (rule.security_severity is None) == (rule.category == "tool"), rule.code
    listed = {rule["code"]: rule for rule in json.loads(run("rules", "--format", "json", cwd=ROOT).stdout)}
    assert (listed["CRY101"]["severity"], listed["CRY101"]["security_severity"]) == ("high", 7.5)
    assert (listed["CRY401"]["severity"], listed["CRY001"]["security_severity"]) == ("medium", None)


# ------------------------------------------------------------------ GitHub
HOSTILE_NAMES = [
    "new\nline.py", "carriage\rreturn.py", "per%25cent%0A.py", "x::error file=pwned.py::owned.py",
    "comma,colon:=.py", "::stop-commands::token.py",
]


def test_github_annotations_cannot_be_injected_through_file_names(tmp_path):
    root = project(tmp_path, {name: ONE_LINER for name in HOSTILE_NAMES})
    output = report(root, "github")
    assert len(output.splitlines()) == len(HOSTILE_NAMES)
    assert all(line.startswith("::error file=") for line in output.splitlines())
    commands = runner_commands(output)
    assert sorted(props["file"] for _, props, _ in commands) == sorted(HOSTILE_NAMES)
    for name, props, data in commands:
        assert name == "error"
        assert (props["line"], props["endLine"], props["col"], props["endColumn"]) == ("3", "3", "15", "48")
        assert props["title"] == "CRY101"
        assert data == RESET


@pytest.mark.parametrize("message", [
    "line one\n::error file=x.py,line=1::injected", "carriage\r::warning::injected", "%0A::error::not decoded twice",
    "per cent % and 100%25", "colon: and, comma", "trailing newline\n",
])
def test_github_annotation_carries_any_message_intact(message):
    diagnostic = Diagnostic("CRY101", "insecure-random", message, Span(2, 4, 3, 1), level=Level.WARNING)
    line = annotation(Finding("a,b:c.py", diagnostic))
    assert len(LINE_BREAK.split(line)) == 1
    assert runner_commands(line) == [(
        "warning", {"file": "a,b:c.py", "line": "2", "endLine": "3", "col": "5", "endColumn": "5", "title": "CRY101"},
        message,
    )]


# ------------------------------------------------------------------ GitLab
def test_gitlab_code_quality_has_every_field_gitlab_reads(app):
    issues = json.loads(report(app, "gitlab"))
    assert len(issues) == 4
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert re.fullmatch(r"CRY\d{3}", issue["check_name"])
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert not Path(issue["location"]["path"]).is_absolute()
        assert (app / issue["location"]["path"]).is_file()
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    one = next(issue for issue in issues if issue["location"]["path"] == "app/one.py")
    assert (one["check_name"], one["description"], one["severity"], one["location"]["lines"]) == (
        "CRY101", f"CRY101 {RESET}", "major", {"begin": 3, "end": 3})
    compare = next(issue for issue in issues if issue["check_name"] == "CRY401")
    assert compare["severity"] == "minor"  # timing leaks are medium (registry.SECURITY_SEVERITY)


def test_gitlab_fingerprints_differ_between_files_with_the_same_line(tmp_path):
    root = project(tmp_path, {"a.py": ONE_LINER, "b.py": ONE_LINER})
    issues = json.loads(report(root, "gitlab"))
    assert len({issue["fingerprint"] for issue in issues}) == 2


# ------------------------------------------------------------------ JUnit
def test_junit_xml_is_what_junit_consumers_read(app):
    (app / "app" / "ctl.py").write_text('import random\n\nreset_token = random.choice("\x1b\x07\x00")\n')
    root = ET.fromstring(report(app, "junit", "app", "missing.py", status=2).encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    errors = [case for case in cases if case.find("error") is not None]
    passed = [case for case in cases if len(case) == 0]
    assert [c.get("classname") for c in failures] == ["app/broken.py", "app/compare.py", "app/ctl.py", "app/one.py",
                                                      "app/tokens.py"]
    assert [c.get("classname") for c in passed] == ["app/clean.py"]
    assert suite.get("tests") == root.get("tests") == str(len(cases)) == "7"
    assert suite.get("failures") == str(len(failures)) and suite.get("errors") == str(len(errors)) == "1"
    one = next(c for c in failures if c.get("classname") == "app/one.py")
    assert (one.get("name"), one.get("file"), one.get("line")) == ("CRY101 at 3:15", "app/one.py", "3")
    failure = one.find("failure")
    assert (failure.get("type"), failure.get("message")) == ("CRY101", RESET)
    assert failure.text == f"app/one.py:3:15: CRY101 {RESET}"
    assert errors[0].find("error").get("message") == "missing.py: no such file or directory"


# ------------------------------------------------------------------ all
@pytest.mark.parametrize("output_format", ["sarif", "github", "gitlab", "junit", "json"])
def test_machine_formats_refuse_statistics_or_take_it(app, output_format):
    result = run("check", "--format", output_format, "--statistics", cwd=app)
    if output_format == "json":
        assert result.returncode == 1 and json.loads(result.stdout)
    else:
        assert result.returncode == 2 and "--statistics does not go with" in result.stderr
