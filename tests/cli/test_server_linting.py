"""What the language server does with a buffer, without the protocol
(`cryptolint.server.linting`): settings, remembered findings, the disk cache,
edits."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from cryptolint.config import ConfigError
from cryptolint.diagnostic import Diagnostic, Span
from cryptolint.server import linting
from cryptolint.server.linting import ClientSettings, Linter, Project, encode_buffer, line_edits, noqa_edit
from cryptolint.source import split_lines

TOKEN = 'import random\n\n\ndef make_reset_token():\n    return "".join(random.choice("abcdef") for _ in range(32))\n'


def apply(text: str, edits: List[linting.TextEdit]) -> str:
    """Apply code-point edits (from the last, so positions stay valid)."""
    lines = split_lines(text)

    def offset(line: int, column: int) -> int:
        return sum(len(x) for x in lines[:line]) + column

    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        start, end = offset(edit.line, edit.column), offset(edit.end_line, edit.end_column)
        text = text[:start] + edit.text + text[end:]
    return text


@pytest.mark.parametrize("before, after", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\nb\nc", "a\nb\nC"),  # the last line has no ending: the edit stops at its end
    ("a\nb\nc", "a\nb\nc\nd"),
    ("a\nb\nc\n", "a\nb\nc\nd\n"),
    ("a\r\nb\r\n", "import x\r\na\r\nb\r\n"),
    ("a\nb", ""),
    ("", "a\n"),
    ("x = 1\x0cy = 2\n", "x = 1\x0cy = 3\n"),  # a form feed does not end a line
])
def test_line_edits_turn_one_text_into_the_other(before, after):
    edits = line_edits(before, after)
    assert apply(before, edits) == after
    lines = split_lines(before)
    for edit in edits:  # never a position past the text's last line
        assert edit.end_line < len(lines) or (edit.end_line == len(lines) and edit.end_column == 0
                                               and (not lines or lines[-1].endswith("\n")))


def test_noqa_edit_leaves_a_blanket_noqa_alone():
    lines = split_lines("token = random.random()  # noqa\n")
    finding = Diagnostic("CRY101", "insecure-random", "m", Span(1, 8, 1, 23))
    assert noqa_edit(lines, finding) is None


def test_buffers_are_encoded_as_python_would_read_them():
    assert encode_buffer("# -*- coding: latin-1 -*-\nx = 'é'\n") == (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", "iso-8859-1")
    assert encode_buffer("x = 'é'\n") == ("x = 'é'\n".encode(), "utf-8")
    # not representable in the declared encoding, or not text at all: UTF-8, surrogates kept
    assert encode_buffer("# coding: ascii\nx = 'é'\n")[1] == "utf-8"
    assert encode_buffer("x = '\ud800'\n") == (b"x = '\xed\xa0\x80'\n", "utf-8")


def test_settings_are_checked_like_the_configuration_file():
    assert ClientSettings.from_json({"cryptolint": {"extendSelect": ["CRY102"], "debounce": 0}}) == ClientSettings(
        extend_select=("CRY102",), debounce_ms=0)
    assert ClientSettings.from_json(None) == ClientSettings()
    for bad, message in [
        ({"ignore": "CRY1"}, "`ignore`: expected an array of strings"),
        ({"strict": 1}, "`strict`: expected true or false"),
        ({"debounce": 20_000}, "`debounce`: expected milliseconds from 0 to 10000"),
        ({"policy": "lax"}, "`policy`: unknown policy `lax`"),
        ({"selekt": ["CRY1"]}, "unknown key `selekt`"),
        ([1], "expected an object"),
    ]:
        with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
            ClientSettings.from_json(bad)


def counting(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    calls: List[str] = []
    real = linting.check_bytes

    def check_bytes(data, display, options, path=None):  # type: ignore[no-untyped-def]
        calls.append(f"{display} cache={'yes' if options.cache else 'no'} saved={path is not None}")
        return real(data, display, options, path=path)

    monkeypatch.setattr(linting, "check_bytes", check_bytes)
    return calls


def test_findings_are_remembered_by_content(tmp_path, monkeypatch):
    calls = counting(monkeypatch)
    linter = Linter(Project())
    path = str(tmp_path / "tokens.py")
    first = linter.lint(path, TOKEN)
    assert [(d.line, d.column, d.code) for d in first.diagnostics] == [(5, 19, "CRY101")]
    assert linter.lint(path, TOKEN + "# edited\n").diagnostics == first.diagnostics
    assert linter.lint(path, TOKEN).diagnostics == first.diagnostics  # back to the first contents: not linted again
    assert len(calls) == 2
    linter.project = Project(ClientSettings(ignore=("CRY101",)))  # other settings: other findings
    assert linter.lint(path, TOKEN).diagnostics == ()
    assert len(calls) == 3


def test_the_disk_cache_is_used_for_saved_contents_of_a_project(tmp_path, monkeypatch):
    calls = counting(monkeypatch)
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.cryptolint]\n", encoding="utf-8")
    (project / "tokens.py").write_text(TOKEN, encoding="utf-8")
    path = str(project / "tokens.py")
    Linter(Project()).lint(path, TOKEN + "# unsaved\n")
    assert not (project / ".cryptolint_cache").exists()
    Linter(Project()).lint(path, TOKEN)
    assert len(list((project / ".cryptolint_cache").glob("*/*/*.json"))) == 1
    # outside any project, nothing is written (the working directory is not a project)
    loose = tmp_path / "loose.py"
    loose.write_text(TOKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    Linter(Project()).lint(str(loose), TOKEN)
    assert not (tmp_path / ".cryptolint_cache").exists()
    assert calls == [f"{path} cache=no saved=False", f"{path} cache=yes saved=True", f"{loose} cache=no saved=True"]


def test_an_excluded_file_has_no_findings_and_no_fixes(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cryptolint]\nextend-exclude = ["vendor"]\n', encoding="utf-8")
    linter = Linter(Project())
    path = str(tmp_path / "vendor" / "tokens.py")
    findings = linter.lint(path, TOKEN)
    assert findings.excluded and findings.diagnostics == ()
    assert linter.fix_all(path, TOKEN) is None
    assert linter.fix_all(str(tmp_path / "tokens.py"), TOKEN) == TOKEN.replace("random", "secrets")


def test_settings_file_is_read_again_when_it_changes(tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.cryptolint]\n", encoding="utf-8")
    project = Project()
    path = str(tmp_path / "a.py")
    assert project.configuration(path).settings.ignore == ()
    config.write_text('[tool.cryptolint]\nignore = ["CRY101", "CRY2"]\n', encoding="utf-8")
    assert project.configuration(path).settings.ignore == ("CRY101", "CRY2")
    Path(config).write_text('[tool.cryptolint]\nignore = "CRY1"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="`ignore`: expected an array of strings"):
        project.configuration(path)
