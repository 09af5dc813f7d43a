"""`cryptolint server`, driven over stdio by pygls's LSP client, as an editor would.

Every test starts the server as a subprocess (`python -m cryptolint
server`) and talks LSP to it: initialize, didOpen, publishDiagnostics,
codeAction (and resolve), executeCommand with the server's applyEdit, hover,
didChange, didSave, didChangeConfiguration, didChangeWatchedFiles, shutdown
and exit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from cryptolint.catalog import page_text  # noqa: E402
from cryptolint.engine import decode_source  # noqa: E402
from cryptolint.registry import rule_by_code  # noqa: E402
from tests.helpers import FIXTURES_DIR  # noqa: E402
from tests.lsp_client import CAPABILITIES, Editor, apply_text_edits, edits_of  # noqa: E402

APP = textwrap.dedent('''\
    import hashlib
    import random


    def make_reset_token():
        return "".join(random.choice("abcdef") for _ in range(32))


    def hash_password(password):
        return hashlib.md5(password.encode()).hexdigest()


    SECRET_KEY = "django-insecure-0x!b7^k2#q9m$w4@z"
''')
#: (line, character, end line, end character, code), 0-based as LSP counts.
APP_FINDINGS = [(5, 19, 5, 42, "CRY101"), (9, 11, 9, 41, "CRY201"), (12, 13, 12, 48, "CRY302")]
TOKEN = textwrap.dedent('''\
    import random


    def make_reset_token():
        return "".join(random.choice("abcdef") for _ in range(32))
''')
TOKEN_FIXED = TOKEN.replace("import random", "import secrets").replace("random.choice", "secrets.choice")


def env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def found(published: types.PublishDiagnosticsParams) -> List[Tuple[int, int, int, int, str]]:
    return [(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code)
            for d in published.diagnostics]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / "pyproject.toml").write_text("[tool.cryptolint]\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def shared(workspace: Path) -> Iterator[Editor]:
    """One server for the tests that leave its settings alone (each works in its own folder)."""
    session = Editor(workspace, stderr=workspace / "server.log")
    yield session
    session.stop()


@pytest.fixture
def project(workspace: Path, request: pytest.FixtureRequest) -> Path:
    folder = workspace / re.sub(r"\W", "_", request.node.name)
    folder.mkdir()
    return folder


@pytest.fixture
def editor(shared: Editor) -> Iterator[Editor]:
    shared.apply_edits = True
    yield shared
    shared.apply_edits = True


def resolved_text(editor: Editor, uri: str, text: str, action: types.CodeAction) -> str:
    if action.edit is None:
        action = editor.resolve(action)
    assert action.edit is not None, action
    assert action.edit.document_changes, "a versioned edit, since the client supports them"
    return apply_text_edits(text, edits_of(action.edit, uri))


# ------------------------------------------------------------- handshake
def test_initialize_announces_what_the_server_does(editor):
    capabilities = editor.result.capabilities
    assert editor.result.server_info.name == "cryptolint"
    sync = capabilities.text_document_sync
    assert sync.open_close and sync.change == types.TextDocumentSyncKind.Full and sync.save
    assert capabilities.code_action_provider.code_action_kinds == ("quickfix", "source.fixAll.cryptolint")
    assert capabilities.code_action_provider.resolve_provider is True
    assert capabilities.hover_provider
    assert list(capabilities.execute_command_provider.commands) == ["cryptolint.applyFixAll"]
    assert capabilities.position_encoding == types.PositionEncodingKind.Utf16
    # after `initialized`, it asks to hear about configuration files changing
    registration = editor.registrations.wait(lambda r: True).registrations[0]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert registration.register_options == {"watchers": [{"globPattern": "**/pyproject.toml"}]}


def test_shutdown_then_exit_ends_the_server_with_status_0(project, tmp_path):
    session = Editor(project, stderr=tmp_path / "server.log")
    assert session.shutdown() == 0


def test_server_without_the_lsp_extra_says_how_to_install_it(tmp_path):
    code = "import sys; sys.modules['pygls'] = None; from cryptolint.cli import main; sys.exit(main(['server']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env(), timeout=120)
    assert result.returncode == 2
    assert "pip install 'cryptolint[lsp]'" in result.stderr


# ------------------------------------------------------------ diagnostics
def test_diagnostics_on_open_for_an_unsaved_buffer(editor, project):
    (project / "app.py").write_text("print('saved contents differ')\n", encoding="utf-8")
    uri = editor.open(project / "app.py", APP)
    published = editor.published(uri, 1)
    assert found(published) == APP_FINDINGS
    first = published.diagnostics[0]
    assert first.source == "cryptolint"
    assert first.severity == types.DiagnosticSeverity.Error
    assert first.message == (
        "`random.choice` makes the value returned by `make_reset_token` predictable; use `secrets.choice`")
    assert first.code_description.href == (
        "https://github.com/cryptolint/cryptolint/blob/main/rules/CRY101-insecure-random.md")
    assert [d.data for d in published.diagnostics] == [
        {"fix": "Use `secrets.choice`", "safety": "safe"},
        {"fix": "Hash the password with `safe.hash_password` (Argon2id); new hashes are stored in another format, old ones still verify",
         "safety": "unsafe"},
        {"fix": "Read `APP_SECRET_KEY` from the environment (the variable must be set wherever this runs)", "safety": "unsafe"},
    ]


def test_strict_findings_have_the_lower_level_as_severity(project, tmp_path):
    session = Editor(project, initialization_options={"strict": True}, stderr=tmp_path / "server.log")
    try:
        uri = session.open(project / "dice.py", "import random\n\nroll = random.randint(1, 6)\n")
        published = session.published(uri, 1)
        assert found(published) == [(2, 7, 2, 27, "CRY101")]
        assert published.diagnostics[0].severity == types.DiagnosticSeverity.Information  # level `note`
    finally:
        session.stop()


def test_change_is_debounced_and_only_the_latest_version_published(project, tmp_path):
    session = Editor(project, initialization_options={"debounce": 2000}, stderr=tmp_path / "server.log")
    try:
        uri = session.open(project / "app.py", "x = 1\n")
        assert found(session.published(uri, 1)) == []
        mark = session.diagnostics.mark()
        # a burst of typing: the versions between its first and its last are never linted
        session.change(uri, "import random\n", 2)
        session.change(uri, TOKEN.replace("random.choice", "random.sample"), 3)
        session.change(uri, "import random\n", 4)
        session.change(uri, TOKEN, 5)
        assert found(session.published(uri, 5, after=mark)) == [(4, 19, 4, 42, "CRY101")]
        assert {p.version for p in session.diagnostics.items[mark:] if p.uri == uri} <= {2, 5}
    finally:
        session.stop()


def test_change_and_save_lint_again(editor, project):
    (project / "pyproject.toml").write_text("[tool.cryptolint]\n", encoding="utf-8")
    path = project / "tokens.py"
    path.write_text("x = 1\n", encoding="utf-8")
    uri = editor.open(path, "x = 1\n")
    assert found(editor.published(uri, 1)) == []
    editor.change(uri, TOKEN, 2)
    assert found(editor.published(uri, 2)) == [(4, 19, 4, 42, "CRY101")]
    path.write_text(TOKEN, encoding="utf-8")
    mark = editor.diagnostics.mark()
    editor.save(uri)
    assert found(editor.published(uri, 2, after=mark)) == [(4, 19, 4, 42, "CRY101")]
    # the saved buffer's findings went to the project's cache, the one `cryptolint check` uses
    assert list((project / ".cryptolint_cache").glob("*/*/*.json"))


def test_close_clears_the_diagnostics(editor, project):
    uri = editor.open(project / "tokens.py", TOKEN)
    assert found(editor.published(uri, 1)) == [(4, 19, 4, 42, "CRY101")]
    mark = editor.diagnostics.mark()
    editor.close_document(uri)
    assert editor.published(uri, after=mark).diagnostics == ()


def test_files_that_are_not_python_are_left_alone(editor, project):
    notes = editor.open(project / "notes.txt", TOKEN, language="plaintext")
    script = editor.open(project / "bin" / "tool", TOKEN, language="python")
    assert found(editor.published(script, 1)) == [(4, 19, 4, 42, "CRY101")]
    assert not [p for p in editor.diagnostics.items if p.uri == notes]


def test_positions_are_in_the_negotiated_units(editor, project, tmp_path):
    text = 'import random\n\ntoken = "😀" + random.choice("ab")\n'
    utf16 = editor
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf32]),
        text_document=CAPABILITIES.text_document, workspace=CAPABILITIES.workspace)
    utf32 = Editor(project, capabilities=capabilities, stderr=tmp_path / "utf32.log")
    try:
        assert found(utf16.published(utf16.open(project / "a.py", text), 1)) == [(2, 15, 2, 34, "CRY101")]
        assert found(utf32.published(utf32.open(project / "a.py", text), 1)) == [(2, 14, 2, 33, "CRY101")]
    finally:
        utf32.stop()


# ------------------------------------------------------------ bad buffers
@pytest.mark.parametrize("text, expected", [
    pytest.param("import random\n\ndef f(:\n    token = random.random()\n",
                 [(2, 6, 2, 6, "CRY001")], id="syntax-error"),
    pytest.param("import random\ntoken = random.random()\0\n", [(1, 23, 1, 23, "CRY001")], id="null-byte"),
    pytest.param("import random\ntoken = '\udcff'\nkey = random.random()\n",
                 [(1, 0, 1, 0, "CRY001")], id="lone-surrogate"),
    # where the parser gives up on garbage differs between Python versions (3.10: line 2)
    pytest.param("random " + "".join(chr(c) for c in range(1, 400)) * 3, [(None, None, None, None, "CRY001")], id="garbage"),
    pytest.param("# -*- coding: latin-1 -*-\nimport random\ntoken = 'é' + random.choice('ab')\n",
                 [(2, 14, 2, 32, "CRY101")], id="latin-1"),
])
def test_broken_buffers_are_reported_not_fatal(editor, project, text, expected):
    uri = editor.open(project / "broken.py", text)
    published = editor.published(uri, 1)
    positions = [e[0] is not None for e in expected]
    assert [f[:2] + (f[4],) if exact else (f[4],) for f, exact in zip(found(published), positions)] == [
        e[:2] + (e[4],) if exact else (e[4],) for e, exact in zip(expected, positions)]
    assert len(found(published)) == len(expected)
    # the server is still there and answers
    ok = editor.open(project / "ok.py", TOKEN)
    assert found(editor.published(ok, 1)) == [(4, 19, 4, 42, "CRY101")]


def test_a_huge_buffer_does_not_hold_up_a_small_one(editor, project):
    block = TOKEN.replace("def make_reset_token", "def make_reset_token_{n}")
    huge = "".join(block.replace("{n}", str(n)) for n in range(4000))  # 20,000 lines
    mark = editor.diagnostics.mark()
    big = editor.open(project / "huge.py", huge)
    small = editor.open(project / "small.py", TOKEN)
    first_small = editor.published(small, 1, after=mark)
    big_published = editor.published(big, 1, after=mark)
    order = [p.uri for p in editor.diagnostics.items[mark:]]
    assert order.index(small) < order.index(big)
    assert found(first_small) == [(4, 19, 4, 42, "CRY101")]
    assert found(big_published) == [(5 * n + 4, 19, 5 * n + 4, 42, "CRY101") for n in range(4000)]


# ------------------------------------------------------ configuration
def test_configuration_is_found_from_the_files_folder(editor, project):
    (project / "pyproject.toml").write_text(textwrap.dedent('''\
        [tool.cryptolint]
        extend-exclude = ["generated"]

        [tool.cryptolint.per-file-ignores]
        "legacy/*" = ["CRY101"]
    '''), encoding="utf-8")
    inner = project / "service"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[tool.cryptolint]\nignore = ["CRY302"]\n', encoding="utf-8")
    legacy = editor.open(project / "legacy" / "app.py", APP)
    generated = editor.open(project / "generated" / "app.py", APP)
    service = editor.open(inner / "app.py", APP)
    plain = editor.open(project / "app.py", APP)
    assert found(editor.published(legacy, 1)) == APP_FINDINGS[1:]
    assert found(editor.published(generated, 1)) == []
    assert found(editor.published(service, 1)) == APP_FINDINGS[:2]
    assert found(editor.published(plain, 1)) == APP_FINDINGS


def test_noqa_in_the_buffer_is_honoured(editor, project):
    uri = editor.open(project / "app.py", APP.replace("range(32))\n", "range(32))  # noqa: CRY101\n"))
    assert found(editor.published(uri, 1)) == APP_FINDINGS[1:]


def test_workspace_configuration_change_lints_again(project, tmp_path):
    editor = Editor(project, stderr=tmp_path / "server.log")
    try:
        _configuration_change(editor, project)
    finally:
        editor.stop()


def _configuration_change(editor: Editor, project: Path) -> None:
    uri = editor.open(project / "app.py", APP)
    assert found(editor.published(uri, 1)) == APP_FINDINGS
    mark = editor.diagnostics.mark()
    editor.configure({"cryptolint": {"ignore": ["CRY2", "CRY302"]}})
    assert found(editor.published(uri, 1, after=mark)) == APP_FINDINGS[:1]
    # a bad setting is shown to the user and the last good settings stay
    mark = editor.diagnostics.mark()
    editor.configure({"cryptolint": {"ignore": ["CRY999"]}})
    message = editor.messages.wait(lambda m: True)
    assert message.type == types.MessageType.Error
    assert "cryptolint settings: `ignore`: unknown rule code or prefix `CRY999`" in message.message
    assert found(editor.published(uri, 1, after=mark)) == APP_FINDINGS[:1]


def test_settings_are_pulled_when_the_pushed_ones_are_not_for_cryptolint(project, tmp_path):
    editor = Editor(project, stderr=tmp_path / "server.log")
    try:
        uri = editor.open(project / "app.py", APP)
        assert found(editor.published(uri, 1)) == APP_FINDINGS
        editor.workspace_settings = {"ignore": ["CRY101"]}
        mark = editor.diagnostics.mark()
        editor.configure({"python": {"analysis": {"typeCheckingMode": "basic"}}})  # every section, as VS Code pushes
        assert found(editor.published(uri, 1, after=mark)) == APP_FINDINGS[1:]
        # Helix pushes its `config` table as it is
        mark = editor.diagnostics.mark()
        editor.configure({"ignore": ["CRY201"]})
        assert found(editor.published(uri, 1, after=mark)) == [APP_FINDINGS[0], APP_FINDINGS[2]]
        assert editor.messages.items == []
    finally:
        editor.stop()


def test_configuration_file_changes_lint_again(editor, project):
    uri = editor.open(project / "app.py", APP)
    assert found(editor.published(uri, 1)) == APP_FINDINGS
    (project / "pyproject.toml").write_text('[tool.cryptolint]\nignore = ["CRY101"]\n', encoding="utf-8")
    mark = editor.diagnostics.mark()
    editor.files_changed(project / "pyproject.toml")
    assert found(editor.published(uri, 1, after=mark)) == APP_FINDINGS[1:]
    # a broken configuration: the error is shown, nothing is reported
    (project / "pyproject.toml").write_text('[tool.cryptolint]\nselect = "CRY1"\n', encoding="utf-8")
    mark = editor.diagnostics.mark()
    editor.files_changed(project / "pyproject.toml")
    assert found(editor.published(uri, 1, after=mark)) == []
    assert "`select`: expected an array of strings" in editor.messages.wait(lambda m: True).message


# ----------------------------------------------------------- code actions
def test_quick_fix_for_a_safe_fix(editor, project):
    uri = editor.open(project / "tokens.py", TOKEN)
    editor.published(uri, 1)
    actions = editor.code_actions(uri, 4, 25)
    assert [(a.title, a.kind, a.is_preferred) for a in actions] == [
        ("CRY101 Use `secrets.choice`", "quickfix", True),
        ("CRY101 Suppress with `# noqa: CRY101`", "quickfix", False),
        ("cryptolint: fix all safe problems", "source.fixAll.cryptolint", None),
    ]
    assert actions[0].edit is None  # filled in by codeAction/resolve, which this client supports
    assert [d.code for d in actions[0].diagnostics] == ["CRY101"]
    assert resolved_text(editor, uri, TOKEN, actions[0]) == TOKEN_FIXED
    assert resolved_text(editor, uri, TOKEN, actions[2]) == TOKEN_FIXED


def test_unsafe_fixes_are_marked_and_never_preferred(editor, project):
    uri = editor.open(project / "app.py", APP)
    editor.published(uri, 1)
    actions = editor.code_actions(uri, 12, 20, only=["quickfix"])
    assert [(a.title, a.is_preferred) for a in actions] == [
        ("CRY302 Read `APP_SECRET_KEY` from the environment (the variable must be set wherever this runs) (unsafe fix)", False),
        ("CRY302 Suppress with `# noqa: CRY302`", False),
    ]
    expected = APP.replace("import hashlib\n", "import hashlib\nimport os\n").replace(
        '"django-insecure-0x!b7^k2#q9m$w4@z"', 'os.environ["APP_SECRET_KEY"]')
    assert resolved_text(editor, uri, APP, actions[0]) == expected


def test_fix_all_applies_only_safe_fixes_like_the_cli(editor, project):
    uri = editor.open(project / "app.py", APP)
    editor.published(uri, 1)
    (action,) = editor.code_actions(uri, 0, 0, only=["source.fixAll"])
    assert action.kind == "source.fixAll.cryptolint"
    cli = subprocess.run([sys.executable, "-m", "cryptolint", "check", "--fix", "-", "--stdin-filename", "app.py"],
                         input=APP, capture_output=True, text=True, cwd=project, env=env(), timeout=120)
    assert cli.stdout == APP.replace("import random", "import secrets").replace("random.choice", "secrets.choice")
    assert resolved_text(editor, uri, APP, action) == cli.stdout
    # nothing left that a safe fix could change: no fix-all offered
    editor.change(uri, cli.stdout, 2)
    editor.published(uri, 2)
    assert editor.code_actions(uri, 0, 0, only=["source.fixAll"]) == []


def test_code_actions_carry_edits_for_clients_that_cannot_resolve(project, tmp_path):
    text_document = types.TextDocumentClientCapabilities(
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=CAPABILITIES.text_document.code_action.code_action_literal_support))
    capabilities = types.ClientCapabilities(text_document=text_document, workspace=types.WorkspaceClientCapabilities(
        apply_edit=True))
    session = Editor(project, capabilities=capabilities, stderr=tmp_path / "server.log")
    try:
        uri = session.open(project / "tokens.py", TOKEN)
        session.published(uri, 1)
        fix, suppress, fix_all = session.code_actions(uri, 4, 25)
        assert fix.edit.changes is not None and fix.edit.document_changes is None  # unversioned for this client
        assert apply_text_edits(TOKEN, edits_of(fix.edit, uri)) == TOKEN_FIXED
        assert apply_text_edits(TOKEN, edits_of(fix_all.edit, uri)) == TOKEN_FIXED
        assert apply_text_edits(TOKEN, edits_of(suppress.edit, uri)) == TOKEN.replace(
            "range(32))\n", "range(32))  # noqa: CRY101\n")
    finally:
        session.stop()


@pytest.mark.parametrize("before, after", [
    pytest.param(TOKEN, TOKEN.replace("range(32))\n", "range(32))  # noqa: CRY101\n"), id="new-comment"),
    pytest.param(TOKEN.replace("range(32))\n", "range(32))  # noqa: E501 (long)\n"),
                 TOKEN.replace("range(32))\n", "range(32))  # noqa: E501, CRY101 (long)\n"), id="existing-noqa"),
    pytest.param(TOKEN.replace('"".join(', '"".join(  # keep\n        ').replace("\n", "\r\n"),
                 TOKEN.replace('"".join(', '"".join(  # keep\n        ').replace(
                     "range(32))", "range(32))  # noqa: CRY101").replace("\n", "\r\n"), id="inside-brackets-crlf"),
    pytest.param(TOKEN.replace("return ", "token = ").replace('"".join(', '\\\n        "".join('),
                 TOKEN.replace("return ", "token = ").replace('"".join(', '\\\n        "".join(').replace(
                     "range(32))", "range(32))  # noqa: CRY101"), id="backslash-continuation"),
])
def test_suppress_with_noqa(editor, project, before, after):
    uri = editor.open(project / "tokens.py", before)
    (finding,) = editor.published(uri, 1).diagnostics
    (suppress,) = [a for a in editor.code_actions(uri, finding.range.start.line, finding.range.start.character)
                   if "Suppress" in a.title]
    assert resolved_text(editor, uri, before, suppress) == after
    editor.change(uri, after, 2)
    assert found(editor.published(uri, 2)) == []


def test_syntax_errors_offer_no_actions(editor, project):
    uri = editor.open(project / "broken.py", "import random\ndef f(:\n")
    assert found(editor.published(uri, 1)) == [(1, 6, 1, 6, "CRY001")]
    assert editor.code_actions(uri, 1, 6) == []


def test_stale_action_resolves_to_no_edit(editor, project):
    uri = editor.open(project / "tokens.py", TOKEN)
    editor.published(uri, 1)
    fix = editor.code_actions(uri, 4, 25)[0]
    editor.change(uri, TOKEN + "\n", 2)
    editor.published(uri, 2)
    assert editor.resolve(fix).edit is None


def test_execute_fix_all_sends_the_edit_to_the_client(editor, project):
    uri = editor.open(project / "tokens.py", TOKEN)
    editor.published(uri, 1)
    assert editor.execute("cryptolint.applyFixAll", uri) is True
    applied = editor.edits.wait(lambda e: True)
    assert applied.label == "cryptolint: fix all safe problems"
    assert apply_text_edits(TOKEN, edits_of(applied.edit, uri)) == TOKEN_FIXED
    # refused by the editor: the command says so
    editor.apply_edits = False
    assert editor.execute("cryptolint.applyFixAll", {"uri": uri}) is False
    # nothing to fix: no edit is sent
    clean = editor.open(project / "clean.py", "x = 1\n")
    editor.published(clean, 1)
    assert editor.execute("cryptolint.applyFixAll", clean) is False
    assert len(editor.edits.items) == 2


# ------------------------------------------------------------------ hover
def test_hover_on_a_finding_shows_the_rules_page(editor, project):
    uri = editor.open(project / "app.py", APP)
    editor.published(uri, 1)
    hover = editor.hover(uri, 9, 20)
    assert hover.contents.kind == types.MarkupKind.Markdown
    page = page_text(rule_by_code("CRY201")).strip()
    assert hover.contents.value == page
    for section in ("## What it does", "## Why is this bad", "```python bad", "```python good"):
        assert section in hover.contents.value
    assert (hover.range.start.line, hover.range.start.character, hover.range.end.character) == (9, 11, 41)
    assert editor.hover(uri, 0, 3) is None


# ------------------------------------------------------------------ parity
PARITY_FIXTURES = sorted(p for p in FIXTURES_DIR.glob("*/*.py") if p.parent.name != "projects"
                         and not p.name.endswith(".fixed.py"))


def test_diagnostics_equal_the_clis_and_flake8s(project, tmp_path):
    """The same buffers through the server, `cryptolint check` and flake8: the same (line, column, code)."""
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf32]))
    session = Editor(project, capabilities=capabilities, stderr=tmp_path / "server.log")
    names = []
    try:
        server: Set[Tuple[str, int, int, str]] = set()
        for index, fixture in enumerate(PARITY_FIXTURES):
            name = f"{fixture.parent.name}_{fixture.name}"
            names.append(name)
            data = fixture.read_bytes()
            (project / name).write_bytes(data)
            text = decode_source(data)  # as an editor that reads the coding cookie
            published = session.published(session.open(project / name, text), 1)
            server |= {(name, d.range.start.line + 1, d.range.start.character + 1, d.code)
                       for d in published.diagnostics}
    finally:
        session.stop()
    cli = subprocess.run([sys.executable, "-m", "cryptolint", "check", "--no-cache", "--format", "json", *names],
                         cwd=project, capture_output=True, text=True, env=env(), timeout=300)
    assert cli.returncode == 1, cli.stderr
    from_cli = {(d["path"], d["line"], d["column"], d["code"]) for d in json.loads(cli.stdout)}
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select", "CRY",
                             "--format", "%(path)s:%(row)d:%(col)d:%(code)s", *names],
                            cwd=project, capture_output=True, text=True, env=env(), timeout=300)
    assert flake8.returncode == 1, flake8.stderr
    from_flake8 = set()
    for line in flake8.stdout.splitlines():
        path, row, col, code = line.rsplit(":", 3)
        from_flake8.add((path, int(row), int(col), code))
    assert len(server) > 200
    assert server == from_cli == from_flake8
