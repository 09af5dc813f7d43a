"""The text formats for people: source excerpts, colour on terminals only,
`--output-file`, `--quiet`, `--statistics`, `--exit-non-zero-on-fix`, and the
help text's examples."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys

import pytest

from cryptolint.cli import EXAMPLES, _with_command, build_parser
from cryptolint.diagnostic import Applicability, Diagnostic, Edit, Fix, Span
from cryptolint.reporters import Finding, use_color
from cryptolint.reporters.text import excerpt
from tests.helpers import ONE_LINER, ONE_LINER_FINDING, TOKENS, project, run, text_lines

ESC = "\x1b["


def finding(line: str, column: int, end_column: int, fix: bool = False) -> Finding:
    edit = Edit(Span(1, column, 1, end_column), "x")
    made = Fix("Use `x`", Applicability.UNSAFE, (edit,)) if fix else None
    return Finding("t.py", Diagnostic("CRY101", "n", "m", Span(1, column, 1, end_column), made), (line + "\n",))


def test_excerpt_aligns_the_caret_under_tabs_wide_characters_and_escaped_controls():
    assert excerpt(finding("\tx = f(a)", 5, 9)) == [
        "   |", " 1 | \tx = f(a)", "   | \t    ^^^^",
    ]
    # `日本` is two columns wide each on a terminal; ESC is shown as `\x1b`, four columns
    assert excerpt(finding('s = "日本\x1b" + f()', 12, 15)) == [
        "   |", ' 1 | s = "日本\\x1b" + f()', "   | " + " " * 17 + "^^^",
    ]
    fix_line = excerpt(finding("token = choice()", 8, 16, fix=True))[-1]
    assert fix_line == "   = fix: Use `x` (unsafe fix, needs --unsafe-fixes)"


def test_excerpt_of_a_long_line_is_cut_around_the_finding():
    line = "x = [" + "1, " * 100 + "choice()]"
    column = line.index("choice")
    _, source, carets = excerpt(finding(line, column, column + 8))
    assert source.startswith(" 1 | ...") and len(source) < 140
    assert source[carets.index("^"):carets.index("^") + 8] == "choice()"


def test_excerpt_is_left_out_when_the_line_is_unknown_or_blank():
    assert excerpt(Finding("t.py", Diagnostic("CRY001", "n", "m", Span(1, 0, 1, 0)))) == []
    assert excerpt(finding("   ", 0, 1)) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("choice, env, terminal, expected", [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True),  # empty means unset (no-color.org)
    ("auto", {"TERM": "dumb"}, True, False),
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
    ("always", {"NO_COLOR": "1"}, False, True),  # a flag beats the environment
    ("never", {"FORCE_COLOR": "1"}, True, False),
])
def test_use_color(choice, env, terminal, expected):
    assert use_color(choice, Terminal() if terminal else io.StringIO(), env) is expected


def env_without(*names: str) -> dict:
    return {k: v for k, v in os.environ.items() if k not in names and not k.startswith("PYTHON")}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("extra_env, coloured", [({}, True), ({"NO_COLOR": "1"}, False)])
def test_colour_on_a_real_terminal_only(tmp_path, extra_env, coloured):
    import pty

    root = project(tmp_path, {"t.py": ONE_LINER})
    main, secondary = pty.openpty()
    env = {**env_without("NO_COLOR", "FORCE_COLOR"), "TERM": "xterm", **extra_env}
    process = subprocess.run([sys.executable, "-m", "cryptolint", "check", "t.py"], cwd=root, stdout=secondary,
                             stderr=subprocess.PIPE, env=env, timeout=120)
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert process.returncode == 1
    assert (ESC.encode() in output) is coloured
    assert b"CRY101" in output
    piped = run("check", "t.py", cwd=root)  # the same run into a pipe: never coloured
    assert ESC not in piped.stdout
    forced = subprocess.run([sys.executable, "-m", "cryptolint", "check", "--color", "always", "t.py"], cwd=root,
                            capture_output=True, text=True, env=env_without("NO_COLOR"), timeout=120)
    assert f"{ESC}1m{ESC}31mCRY101{ESC}0m" in forced.stdout


def test_output_file_takes_the_report(tmp_path):
    root = project(tmp_path, {"t.py": ONE_LINER})
    result = run("check", "--format", "sarif", "--output-file", "reports/out.sarif", cwd=root)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", "")
    assert json.loads((root / "reports" / "out.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "CRY101"
    text = run("check", "-o", "out.txt", "--color", "auto", cwd=root, env={"FORCE_COLOR": ""})
    assert text.stdout == "" and text_lines((root / "out.txt").read_text())[0] == f"t.py:{ONE_LINER_FINDING}"
    (root / "blocked").write_text("a file, not a directory")
    unwritable = run("check", "--output-file", "blocked/out.txt", cwd=root)
    assert unwritable.returncode == 2
    assert unwritable.stderr.startswith("cryptolint: error: blocked/out.txt: cannot write the report")


def test_quiet_and_statistics(tmp_path):
    root = project(tmp_path, {"a.py": ONE_LINER, "b.py": ONE_LINER})
    assert run("check", "-q", "--format", "concise", cwd=root).stdout.splitlines() == [
        f"a.py:{ONE_LINER_FINDING}", f"b.py:{ONE_LINER_FINDING}",
    ]
    assert run("check", "--statistics", cwd=root).stdout.splitlines() == [
        "2  CRY101  insecure-random  [fixable]", "Found 2 problems in 2 files (2 fixable with --fix)",
    ]


def test_exit_non_zero_on_fix(tmp_path):
    root = project(tmp_path, {"t.py": TOKENS})
    assert run("check", "--fix", "--exit-non-zero-on-fix", cwd=root).returncode == 1  # changed a file
    assert run("check", "--fix", "--exit-non-zero-on-fix", cwd=root).returncode == 0  # nothing left to change
    stdin = run("check", "--fix", "--exit-non-zero-on-fix", "-", cwd=root, stdin=ONE_LINER)
    assert stdin.returncode == 1 and "secrets.choice" in stdin.stdout


def test_every_example_in_the_help_parses():
    assert "examples:" in build_parser().format_help()
    for line in EXAMPLES.splitlines()[1:]:
        command = line.split("|")[-1].strip().split("  ")[0]  # after a pipe, before the comment
        words = shlex.split(command)
        assert words[0] == "cryptolint", line
        build_parser().parse_args(_with_command(words[1:]))


def test_help_lists_every_output_format(tmp_path):
    help_text = run("check", "--help", cwd=tmp_path).stdout
    for name in ("text", "concise", "json", "sarif", "github", "gitlab", "junit"):
        assert name in help_text
    assert "examples:" in run("--help", cwd=tmp_path).stdout
