"""Hostile file names and hostile source text cannot inject anything into the
reports: every format says exactly what the engine found, in a form its
reader parses back to the same thing, and nothing more.

tests/cli/test_output_formats.py covers GitHub annotations for awkward file names
and messages built by hand.  Here the hostility comes from the project
itself, through the real command line:

* source text: a secret whose environment variable name (reflected into the
  CRY302 message) and a string literal on a flagged line (shown in the text
  excerpt) hold terminal escape sequences, BEL, backspace, the C1 CSI, bidi
  controls, the Unicode line separators U+2028 and U+0085, a newline followed
  by a workflow command, `::error::` and percent escapes;
* file names: newline, `::`, `%`, `,`, `=`, spaces, non-ASCII letters, a
  leading `-`, an escape sequence, bidi control, U+2028, U+0085, something
  that reads as a URI scheme, `?` and `#`, bytes that are not UTF-8; and,
  on stderr, a dangling link and a missing path whose names start a workflow
  command after a newline.

Each format is checked the way its consumer reads it: the GitHub runner's
command parser over stdout and stderr (both land in the job log), SARIF
against its schema with URIs that decode back to the file's bytes, GitLab's
JSON, JUnit's XML, and for text no control character reaching the terminal.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List, Tuple
from urllib.parse import unquote_to_bytes, urlsplit

import jsonschema
import pytest

from cryptolint.engine import lint_source
from cryptolint.reporters import clean
from cryptolint.reporters.text import BLUE, BOLD, CYAN, RED, RESET, printable
from cryptolint.settings import Settings
from tests.helpers import LINE_BREAK, ONE_LINER, SCHEMA, runner_commands

#: Terminal and Unicode trouble; none of our own colour codes, so stripping
#: those cannot hide a leak.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b[8m\u2028\x85\u202e\u2066\x08\x9b::error::%0A%25"
#: An environment variable name the CRY302 message quotes: HOSTILE, then a
#: newline (escaped in the literal) that would start a workflow command.
ENV_LITERAL = '"' + HOSTILE + '\\n::error file=pwned.py,line=1::injected\\r DB_PASSWORD"'
SOURCE = (
    "import os\nimport random\n\n"
    f"# {HOSTILE}\n"
    f'password = os.environ.get({ENV_LITERAL}, "hunter2hunter2")\n'
    f'reset_token = random.choice("{HOSTILE}")\n'
)
NAMES = [
    "new\nline.py", "carriage\rreturn.py", "::error file=x.py::owned.py", "per%25cent%0A.py", "comma,equals=.py",
    "with spaces .py", "naïve_ключ_密钥.py", "-rf.py", "--format=github.py", "\x1b[2Jclear\x1b]0;t\x07.py",
    "bidi\u202eyp.txt.py", "sep\u2028arator.py", "nel\x85.py", "javascript:alert(1).py", "q?h#.py",
]
UNDECODABLE = b"bad\xff.py"
DANGLING = "dangling\x1b[2J\n::error file=pwned.py::from a link.py"
MISSING = "missing\n::warning file=pwned.py::from an argument.py"
Expected = Dict[Tuple[str, str], Tuple[int, int, int, int, str]]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "pyproject.toml").write_text("[tool.cryptolint]\n", encoding="utf-8")
    (root / "source.py").write_text(SOURCE, encoding="utf-8")
    for name in NAMES:
        (root / name).write_text(ONE_LINER, encoding="utf-8")
    with open(os.path.join(os.fsencode(root), UNDECODABLE), "wb") as handle:
        handle.write(ONE_LINER.encode())
    (root / DANGLING).symlink_to(root / "nowhere")
    return root


def all_names() -> List[str]:
    return ["source.py", *NAMES, os.fsdecode(UNDECODABLE)]


def expected() -> Expected:
    """(name, code) -> (line, column, end line, end column, message), 1-based columns, from the engine."""
    found: Expected = {}
    for name in all_names():
        source = SOURCE if name == "source.py" else ONE_LINER
        for d in lint_source(source, name, Settings()):
            key = (name, d.code)
            assert key not in found
            found[key] = (d.span.line, d.span.column + 1, d.span.end_line, d.span.end_column + 1, d.message)
    return found


def test_the_source_really_is_hostile():
    messages = {code: message for (name, code), (*_, message) in expected().items() if name == "source.py"}
    assert sorted(messages) == ["CRY101", "CRY302"]
    assert all(c in messages["CRY302"] for c in "\x1b\x07\x08\x9b\u2028\x85\u202e\n\r")
    assert "\n::error file=pwned.py,line=1::injected\r" in messages["CRY302"]


def report(root: Path, output_format: str, *args: str) -> Tuple[str, str]:
    """stdout and stderr of a run, decoded strictly as UTF-8 (exit 2: MISSING does not exist)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in ("NO_COLOR", "FORCE_COLOR")}
    command = [sys.executable, "-m", "cryptolint", "check", "--no-cache", "-j", "1", "--format", output_format, *args]
    result = subprocess.run(command + ["--", ".", MISSING], cwd=root, capture_output=True, env=env, timeout=120)
    stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    return stdout, stderr


# ------------------------------------------------------------------ GitHub
def test_github_log_holds_exactly_one_annotation_per_finding(hostile):
    stdout, stderr = report(hostile, "github")
    lines = [line for line in LINE_BREAK.split(stdout) if line]
    assert len(lines) == len(expected()) and all(line.startswith("::error file=") for line in lines)
    # stderr lands in the same job log: its file names must not start commands either
    seen = sorted((props.pop("file"), props.pop("title"), props, data)
                  for name, props, data in runner_commands(stdout + "\n" + stderr) if name == "error")
    assert len(seen) == len(runner_commands(stdout + "\n" + stderr))
    wanted = sorted(
        (clean(name), code, {"line": str(line), "endLine": str(end_line), "col": str(col), "endColumn": str(end_col)},
         message)
        for (name, code), (line, col, end_line, end_col, message) in expected().items()
    )
    assert seen == wanted
    assert "cryptolint: warning: dangling\\x1b[2J\\n::error" in stderr
    assert "cryptolint: error: missing\\n::warning" in stderr


# ------------------------------------------------------------------ SARIF
_URI = re.compile(r"[A-Za-z0-9\-._~%/]+")


def test_sarif_stays_valid_and_its_uris_decode_to_the_exact_file_names(hostile):
    stdout, _ = report(hostile, "sarif", "--unsafe-fixes")
    log = json.loads(stdout)  # strict: a raw control character in a string would not load
    jsonschema.validate(log, SCHEMA)
    (run_,) = log["runs"]
    seen: Expected = {}
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert _URI.fullmatch(uri), uri  # percent-encoded: no scheme, query, fragment or space
        assert (urlsplit(uri).scheme, urlsplit(uri).netloc) == ("", "")
        raw = unquote_to_bytes(uri)
        assert os.path.lexists(os.path.join(os.fsencode(hostile), raw))
        region = location["region"]
        seen[(os.fsdecode(raw), result["ruleId"])] = (
            region["startLine"], region["startColumn"], region["endLine"], region["endColumn"],
            result["message"]["text"],
        )
    assert seen == expected()
    (invocation,) = run_["invocations"]
    notes = [note["message"]["text"] for note in invocation["toolExecutionNotifications"]]
    assert notes == [f"{MISSING}: no such file or directory"]
    # the fix carries the hostile literal through JSON intact
    (result,) = [r for r in run_["results"] if r["ruleId"] == "CRY302"]
    fixed = apply_fix(SOURCE, result["fixes"][0])
    assert fixed == SOURCE.replace(f'os.environ.get({ENV_LITERAL}, "hunter2hunter2")', f"os.environ[{ENV_LITERAL}]")


def apply_fix(source: str, fix: Dict) -> str:
    """Apply a SARIF fix's replacements, with lines ended by LF, CR or CRLF only
    (as Python and the SARIF default count them; not at U+2028 or U+0085)."""
    lines = io.StringIO(source, newline="").readlines()
    for replacement in reversed(fix["artifactChanges"][0]["replacements"]):
        region = replacement["deletedRegion"]
        start, end = (sum(map(len, lines[: region[f"{side}Line"] - 1])) + region[f"{side}Column"] - 1
                      for side in ("start", "end"))
        text = "".join(lines)
        lines = io.StringIO(text[:start] + replacement["insertedContent"]["text"] + text[end:], newline="").readlines()
    return "".join(lines)


# ------------------------------------------------------------------ GitLab
def test_gitlab_report_stays_valid_json_with_exact_paths_and_messages(hostile):
    stdout, _ = report(hostile, "gitlab")
    issues = json.loads(stdout)
    seen = sorted((issue["location"]["path"], issue["check_name"], issue["location"]["lines"]["begin"],
                   issue["description"]) for issue in issues)
    wanted = sorted((clean(name), code, line, f"{code} {message}")
                    for (name, code), (line, _, _, _, message) in expected().items())
    assert seen == wanted
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


# ------------------------------------------------------------------ JUnit
def _xml_safe(text: str) -> str:
    """What XML 1.0 can carry (its Char production), anything else as U+FFFD."""
    def ok(c: str) -> bool:
        n = ord(c)
        return c in "\t\n\r" or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or 0x10000 <= n <= 0x10FFFF
    return "".join(c if ok(c) else "\ufffd" for c in text)


def test_junit_stays_well_formed_and_names_every_file(hostile):
    stdout, _ = report(hostile, "junit")
    root = ET.fromstring(stdout.encode("utf-8"))  # expat: a control character is a parse error
    cases = root.find("testsuite").findall("testcase")
    failures = [(case, case.find("failure")) for case in cases if case.find("failure") is not None]
    seen = sorted((case.get("file"), failure.get("type"), case.get("line"), failure.get("message"))
                  for case, failure in failures)
    wanted = sorted((_xml_safe(clean(name)), code, str(line), _xml_safe(message))
                    for (name, code), (line, _, _, _, message) in expected().items())
    assert seen == wanted
    errors = [case.find("error").get("message") for case in cases if case.find("error") is not None]
    assert errors == [f"{MISSING}: no such file or directory"]


# ------------------------------------------------------------------ text
#: Our own colour codes, the only escape sequences the text formats may write.
OURS = re.compile("|".join(re.escape(code) for code in sorted({BOLD, RED, BLUE, CYAN, RESET})))


def raw_controls(text: str) -> List[str]:
    """Characters that would act on a terminal or split a line for an editor or Python."""
    return sorted({
        repr(c) for c in text if c not in "\n\t" and (unicodedata.category(c)[0] == "C" or c in "\u2028\u2029")
    })


@pytest.mark.parametrize("output_format", ["text", "concise"])
@pytest.mark.parametrize("color", ["never", "always"])
def test_text_sends_no_control_character_to_the_terminal(hostile, output_format, color):
    stdout, stderr = report(hostile, output_format, "--color", color)
    assert raw_controls(OURS.sub("", stdout)) == []
    assert raw_controls(stderr) == []
    assert "naïve_ключ_密钥.py:3:15: " in OURS.sub("", stdout)  # letters are not escaped
    if color == "never":
        # each finding is one line, even for a reader that splits on U+2028 and U+0085
        lines = stdout.splitlines()
        for (name, code), (line, col, _, _, message) in expected().items():
            assert f"{printable(name)}:{line}:{col}: {code} {printable(message)}" in lines
    if output_format == "text" and color == "never":  # the excerpt shows the hostile literal escaped
        assert ' 6 | reset_token = random.choice("\\x1b[2J\\x1b]0;pwned\\x07\\x1b[8m\\u2028\\x85\\u202e' in stdout
