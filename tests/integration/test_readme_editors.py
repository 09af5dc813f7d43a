"""The README's language-server set-ups, tried: each editor snippet is read by
the parser its editor uses where Python has one (JSON, TOML), checked for
balanced structure otherwise (Lua, Emacs Lisp); its command must be
`cryptolint server`, its settings must be ones the server accepts, and the
server is then started with those settings and must report a finding."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List

import jsonschema
import pytest

pytest.importorskip("pygls")

from cryptolint.server.linting import ClientSettings  # noqa: E402
from cryptolint.server.protocol import FIX_ALL_KIND  # noqa: E402
from tests.lsp_client import Editor  # noqa: E402
from tests.helpers import snippet  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

#: The settings the Generic LSP Client (v2) extension declares (its
#: package.json `contributes.configuration`), as a JSON schema.
GLSPC_SETTINGS = {
    "type": "object",
    "properties": {
        "glspc.server.command": {"type": "string", "minLength": 1},
        "glspc.server.commandArguments": {"type": "array", "items": {"type": "string"}},
        "glspc.server.languageId": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "glspc.server.environmentVariables": {"type": "object", "additionalProperties": {"type": "string"}},
        "glspc.server.initializationOptions": {"type": "object"},
        "glspc.trace.server": {"enum": ["off", "messages", "compact", "verbose"]},
        "editor.codeActionsOnSave": {"type": "object",
                                     "additionalProperties": {"enum": ["explicit", "always", "never"]}},
    },
    "additionalProperties": False,
    "required": ["glspc.server.command", "glspc.server.languageId"],
}
TOKEN = 'import random\n\n\ndef make_reset_token():\n    return "".join(random.choice("abcdef") for _ in range(32))\n'


def serves(tmp_path: Path, options: Any) -> None:
    """The server, started with `options` as an editor would send them, reports the finding."""
    ClientSettings.from_json(options)  # accepted as they are
    project = tmp_path / "project"
    project.mkdir()
    session = Editor(project, initialization_options=options, stderr=tmp_path / "server.log")
    try:
        published = session.published(session.open(project / "tokens.py", TOKEN), 1)
        assert [(d.range.start.line, d.range.start.character, d.code) for d in published.diagnostics] == [
            (4, 19, "CRY101")]
        assert session.messages.items == []  # no complaint about the settings
    finally:
        session.stop()


def balanced(code: str, comment: str, brackets: Dict[str, str]) -> List[str]:
    """Check `code`'s brackets pair up outside strings and comments; return its strings."""
    strings: List[str] = []
    stack: List[str] = []
    index = 0
    while index < len(code):
        char = code[index]
        if code.startswith(comment, index):
            index = code.find("\n", index)
            index = len(code) if index < 0 else index
            continue
        if char in "\"'" and not (comment == ";" and char == "'"):  # elisp's ' quotes, it opens no string
            end = code.index(char, index + 1)
            strings.append(code[index + 1:end])
            index = end + 1
            continue
        if char in brackets:
            stack.append(brackets[char])
        elif char in brackets.values():
            assert stack and stack.pop() == char, f"unbalanced {char!r} at {index}"
        index += 1
    assert stack == [], f"unclosed {stack}"
    return strings


def test_vscode_settings(tmp_path):
    settings = json.loads(snippet("vscode"))
    jsonschema.validate(settings, GLSPC_SETTINGS)
    command = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    assert command == ["cryptolint", "server"]
    assert settings["glspc.server.languageId"] == ["python"]
    assert list(settings["editor.codeActionsOnSave"]) == [FIX_ALL_KIND]
    serves(tmp_path, settings["glspc.server.initializationOptions"])


def test_helix_languages_toml(tmp_path):
    config = tomllib.loads(snippet("helix"))
    server = config["language-server"]["cryptolint"]
    assert [server["command"], *server["args"]] == ["cryptolint", "server"]
    (python,) = [language for language in config["language"] if language["name"] == "python"]
    assert "cryptolint" in python["language-servers"]
    serves(tmp_path, server["config"])


def test_neovim_lua(tmp_path):
    lua = snippet("neovim")
    strings = balanced(lua, "--", {"(": ")", "{": "}", "[": "]"})
    assert re.search(r"\bcmd = \{ \"cryptolint\", \"server\" \}", lua)
    assert re.search(r"\bvim\.lsp\.start\(\{", lua) and 'pattern = "python"' in lua
    assert "pyproject.toml" in strings
    table = re.search(r"\binit_options = \{(.*?)\}", lua).group(1)
    options = {key: json.loads(value) for key, value in re.findall(r"(\w+) = ([^,]+)", table)}
    serves(tmp_path, options)


def test_emacs_eglot(tmp_path):
    elisp = snippet("emacs")
    strings = balanced(elisp, ";", {"(": ")"})
    assert strings == ["cryptolint", "server"]
    assert re.search(r"\(add-to-list 'eglot-server-programs\s+'\(\(python-mode python-ts-mode\)\s+\. \(", elisp)
    plist = re.search(r":initializationOptions \((.*?)\)", elisp).group(1).split()
    options = {key.lstrip(":"): json.loads(value) for key, value in zip(plist[::2], plist[1::2])}
    serves(tmp_path, options)
