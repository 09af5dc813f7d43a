"""A synchronous LSP client for tests and benchmarks: pygls's own client,
driving `cryptolint server` in a subprocess over stdio.

pygls's client is asynchronous; its event loop runs in a thread here, so a
test reads as a sequence of requests and notifications.  Everything the
server sends on its own (diagnostics, messages, edits to apply, capability
registrations) is recorded in order.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, TypeVar

from lsprotocol import types
from pygls.client import run_async
from pygls.lsp.client import LanguageClient

T = TypeVar("T")
TIMEOUT = 120.0

#: What the tests' editor says it can do (a client like VS Code's).
CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                )
            ),
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]),
            is_preferred_support=True,
        ),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
    ),
    workspace=types.WorkspaceClientCapabilities(
        apply_edit=True,
        configuration=True,
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
        did_change_configuration=types.DidChangeConfigurationClientCapabilities(dynamic_registration=False),
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
    ),
)


class _Client(LanguageClient):
    def __init__(self, stderr: Any) -> None:
        super().__init__("cryptolint-tests", "1")
        self._stderr = stderr

    async def start_io(self, cmd: str, *args: str, **kwargs: Any) -> None:
        """pygls's `start_io`, with the server's stderr to a file (a pipe
        nobody reads would fill up and stall the server)."""
        server = await asyncio.create_subprocess_exec(
            cmd, *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=self._stderr, **kwargs
        )
        assert server.stdout is not None and server.stdin is not None
        self.protocol.set_writer(server.stdin)
        connection = asyncio.create_task(run_async(
            stop_event=self._stop_event, reader=server.stdout, protocol=self.protocol,
            logger=__import__("logging").getLogger(__name__), error_handler=self.report_server_error,
        ))
        self._server = server
        self._async_tasks.extend([connection, asyncio.create_task(self._server_exit())])


class Received:
    """Messages from the server, in order, with waiting."""

    def __init__(self) -> None:
        self.items: List[Any] = []
        self._changed = threading.Condition()

    def add(self, item: Any) -> None:
        with self._changed:
            self.items.append(item)
            self._changed.notify_all()

    def mark(self) -> int:
        with self._changed:
            return len(self.items)

    def wait(self, match: Callable[[Any], bool], after: int = 0, timeout: float = TIMEOUT) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for item in self.items[after:]:
                    if match(item):
                        return item
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"nothing matched among {self.items[after:]!r}")
                self._changed.wait(left)


class Editor:
    """An LSP session with `cryptolint server`, started in `cwd`."""

    def __init__(
        self,
        cwd: Path,
        initialization_options: Any = None,
        capabilities: types.ClientCapabilities = CAPABILITIES,
        root: Optional[Path] = None,
        stderr: Optional[Path] = None,
    ) -> None:
        self.diagnostics = Received()
        self.messages = Received()
        self.edits = Received()
        self.registrations = Received()
        self.apply_edits = True
        #: What the editor answers to `workspace/configuration` (section `cryptolint`).
        self.workspace_settings: Any = None
        self._stopped = False
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._stderr = open(stderr or os.devnull, "wb")
        self.client = _Client(self._stderr)
        self._listen()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        self.call(self.client.start_io(sys.executable, "-m", "cryptolint", "server", cwd=str(cwd), env=env))
        root = root or cwd
        self.result = self.call(self.client.initialize_async(types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=initialization_options,
        )))
        self.notify(self.client.initialized, types.InitializedParams())

    def _listen(self) -> None:
        client = self.client

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics.add(params)

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.messages.add(params)

        @client.feature(types.WORKSPACE_APPLY_EDIT)
        def apply(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            self.edits.add(params)
            return types.ApplyWorkspaceEditResult(applied=self.apply_edits)

        @client.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(params: types.ConfigurationParams) -> List[Any]:
            return [self.workspace_settings if item.section == "cryptolint" else None for item in params.items]

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registrations.add(params)

    # ------------------------------------------------------------ plumbing
    def call(self, coroutine: Any, timeout: float = TIMEOUT) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def notify(self, method: Callable[[Any], None], params: Any) -> None:
        async def send() -> None:
            method(params)

        self.call(send())

    # ------------------------------------------------------------- editing
    def open(self, path: Path, text: str, version: int = 1, language: str = "python") -> str:
        uri = path.as_uri()
        self.notify(self.client.text_document_did_open, types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify(self.client.text_document_did_change, types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    def save(self, uri: str) -> None:
        self.notify(self.client.text_document_did_save,
                    types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))

    def close_document(self, uri: str) -> None:
        self.notify(self.client.text_document_did_close,
                    types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))

    def configure(self, settings: Any) -> None:
        self.notify(self.client.workspace_did_change_configuration,
                    types.DidChangeConfigurationParams(settings=settings))

    def files_changed(self, *paths: Path) -> None:
        events = [types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Changed) for p in paths]
        self.notify(self.client.workspace_did_change_watched_files, types.DidChangeWatchedFilesParams(events))

    def published(self, uri: str, version: Optional[int] = None, after: int = 0,
                  timeout: float = TIMEOUT) -> types.PublishDiagnosticsParams:
        """The first diagnostics published for `uri` (at `version`) since mark `after`."""
        return self.diagnostics.wait(
            lambda p: p.uri == uri and (version is None or p.version == version), after, timeout)

    def code_actions(self, uri: str, line: int, column: int, end_line: Optional[int] = None,
                     end_column: Optional[int] = None, only: Optional[Sequence[str]] = None) -> List[types.CodeAction]:
        end = types.Position(line if end_line is None else end_line, column if end_column is None else end_column)
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(line, column), end),
            context=types.CodeActionContext(diagnostics=[], only=list(only) if only is not None else None),
        )
        return self.call(self.client.text_document_code_action_async(params)) or []

    def resolve(self, action: types.CodeAction) -> types.CodeAction:
        return self.call(self.client.code_action_resolve_async(action))

    def hover(self, uri: str, line: int, column: int) -> Optional[types.Hover]:
        params = types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(line, column))
        return self.call(self.client.text_document_hover_async(params))

    def execute(self, command: str, *arguments: Any) -> Any:
        params = types.ExecuteCommandParams(command=command, arguments=list(arguments))
        return self.call(self.client.workspace_execute_command_async(params))

    # ------------------------------------------------------------ shutting down
    def shutdown(self) -> Optional[int]:
        """`shutdown`, then `exit`; the server's exit status."""
        try:
            self.call(self.client.shutdown_async(None), timeout=30)
            self.notify(self.client.exit, None)
            server = self.client._server
            self.call(asyncio.wait_for(server.wait(), 30), timeout=40)
            return server.returncode
        finally:
            self.stop()

    def stop(self) -> None:
        """End the server (killed, if it has not exited) and the client; again is a no-op."""
        if self._stopped:
            return
        self._stopped = True
        server = getattr(self.client, "_server", None)
        if server is not None and server.returncode is None:
            server.kill()
            try:
                self.call(server.wait(), timeout=10)
            except Exception:
                pass
        try:
            self.call(self.client.stop(), timeout=10)
        except Exception:
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self._stderr.close()


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """`text` with LSP edits applied (positions in UTF-16 units, as negotiated)."""
    lines = _lsp_lines(text)

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        start = sum(len(line) for line in lines[: position.line])
        line = lines[position.line]
        units = 0
        for index, char in enumerate(line):
            if units >= position.character or char in "\r\n":
                return start + index
            units += 2 if ord(char) > 0xFFFF else 1
        return start + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def _lsp_lines(text: str) -> List[str]:
    """Lines as LSP counts them: split after `\\r\\n`, `\\r` or `\\n`, plus the
    (maybe empty) line after the last ending."""
    import io

    lines = io.StringIO(text, newline="").readlines()
    if not lines or lines[-1].endswith(("\n", "\r")):
        lines.append("")
    return lines


def edits_of(edit: types.WorkspaceEdit, uri: str) -> List[types.TextEdit]:
    """The text edits of `edit` for `uri` (document changes or plain changes)."""
    if edit.document_changes:
        return [e for change in edit.document_changes
                if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri
                for e in change.edits]
    return list((edit.changes or {}).get(uri, []))
