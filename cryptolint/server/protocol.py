"""The Language Server Protocol side of `cryptolint server` (pygls).

Diagnostics are published on open, on save and, debounced, on change (a
change after a quiet spell is linted at once, a burst of changes once more
when it pauses).
Linting runs in a pool of threads, never on the thread that reads and
answers messages: a slow file does not hold up another file's diagnostics,
hover or code actions.  Each document has at most one run in flight; a
change cancels the runs of that document still waiting (for the debounce or
for a thread), and a result for a version that is no longer current is
dropped instead of published.

Documents are synchronised in full: pygls applies incremental changes on
lines split by `str.splitlines`, which also splits at form feeds and other
separators that Python and editors do not count as line ends.
"""

from __future__ import annotations

import asyncio
import gc
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from cryptolint import __version__
from cryptolint.catalog import page_text, page_url
from cryptolint.config import ConfigError
from cryptolint.diagnostic import Applicability, Diagnostic, Level
from cryptolint.engine import LINTING_GC_THRESHOLD
from cryptolint.registry import check_classes, rule_by_code
from cryptolint.server.linting import (
    ClientSettings, Findings, Linter, Project, TextEdit, line_edits, noqa_edit,
)

FIX_ALL_KIND = "source.fixAll.cryptolint"
FIX_ALL_COMMAND = "cryptolint.applyFixAll"
#: Threads that lint: enough that one slow file leaves others a thread.
LINT_THREADS = 4
PYTHON_SUFFIXES = (".py", ".pyi")
_SEVERITY = {
    Level.ERROR: types.DiagnosticSeverity.Error,
    Level.WARNING: types.DiagnosticSeverity.Warning,
    Level.NOTE: types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class Published:
    """The findings last published for a document, and for which version."""

    version: Optional[int]
    text: str
    path: str
    findings: Findings


class CryptolintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("cryptolint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.project = Project()
        self.linter = Linter(self.project)
        self.lint_pool = ThreadPoolExecutor(LINT_THREADS, thread_name_prefix="cryptolint-lint")
        self.published: Dict[str, Published] = {}
        self.python_documents: Set[str] = set()
        self._waiting: Dict[str, "asyncio.Task[None]"] = {}
        self._running: Dict[str, "Future[Findings]"] = {}
        #: When each document was last opened or changed (event loop time).
        self._last_edit: Dict[str, float] = {}
        self._shown_errors: Set[str] = set()

    # ------------------------------------------------------------ settings
    @property
    def settings(self) -> ClientSettings:
        return self.project.settings

    def apply_settings(self, value: Any) -> None:
        """Take new client settings (an invalid object keeps the old ones)."""
        try:
            settings = ClientSettings.from_json(value)
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        self.project = Project(settings)
        self.linter.project = self.project
        self._shown_errors.clear()

    async def configuration_changed(self, settings: Any) -> None:
        """`workspace/didChangeConfiguration`: settings pushed by the editor,
        or, when what it pushes is not for cryptolint, pulled with
        `workspace/configuration` (section `cryptolint`) if it can answer."""
        ours = _our_settings(settings)
        capabilities = self.client_capabilities.workspace
        if ours is None and capabilities is not None and capabilities.configuration:
            item = types.ConfigurationItem(section="cryptolint")
            answer = await self.workspace_configuration_async(types.ConfigurationParams(items=[item]))
            ours = answer[0] if answer else None
        if ours is not None:
            self.apply_settings(ours)
        self.project.invalidate()
        self.schedule_all()

    def show_error(self, message: str) -> None:
        if message in self._shown_errors:
            return
        self._shown_errors.add(message)
        self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"cryptolint: {message}"))

    # ------------------------------------------------------------- documents
    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            root = self.workspace.root_path or os.getcwd()
            path = os.path.join(root, "untitled.py")
        return os.path.abspath(path)

    def wants(self, uri: str, language_id: Optional[str] = None) -> bool:
        return language_id == "python" or self.path_of(uri).endswith(PYTHON_SUFFIXES)

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Lint `uri` after `delay` seconds, replacing a run still waiting."""
        waiting = self._waiting.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self._waiting[uri] = asyncio.ensure_future(self._lint_later(uri, delay))

    def edited(self, uri: str) -> None:
        """Lint after a change: at once after a quiet spell, else once the
        typing pauses for the debounce time (a burst of keystrokes is linted
        at its first and at its last)."""
        now = asyncio.get_event_loop().time()
        debounce = self.settings.debounce_ms / 1000
        quiet = now - self._last_edit.get(uri, float("-inf")) >= debounce
        self._last_edit[uri] = now
        self.schedule(uri, 0.0 if quiet else debounce)

    def opened(self, uri: str) -> None:
        self.python_documents.add(uri)
        self._last_edit[uri] = asyncio.get_event_loop().time()
        self.schedule(uri)

    def schedule_all(self) -> None:
        for uri in sorted(self.python_documents):
            self.schedule(uri)

    def forget(self, uri: str) -> None:
        waiting = self._waiting.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.python_documents.discard(uri)
        self.published.pop(uri, None)
        self._running.pop(uri, None)
        self._last_edit.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        running = self._running.get(uri)
        if running is not None and not running.done():
            # one run per document: wait for the one a thread is busy with
            await asyncio.wait([asyncio.wrap_future(running)])
        document = self.workspace.text_documents.get(uri)
        if document is None or uri not in self.python_documents:
            return
        version, text, path = document.version, document.source, self.path_of(uri)
        future = self.lint_pool.submit(self.linter.lint, path, text)
        self._running[uri] = future
        findings = await self._findings(future)  # cancelled here: a queued run never starts
        current = self.workspace.text_documents.get(uri)
        if current is None or current.version != version or current.source != text:
            return  # a newer version is on its way
        self.publish(uri, Published(version, text, path, findings))

    async def _findings(self, future: "Future[Findings]") -> Findings:
        """What a lint run found; a broken configuration is shown, and nothing is reported."""
        try:
            return await asyncio.wrap_future(future)
        except ConfigError as exc:
            self.show_error(str(exc))
            return Findings()

    def publish(self, uri: str, published: Published) -> None:
        self.published[uri] = published
        lines = published.findings.lines
        diagnostics = [self.to_lsp(d, lines) for d in published.findings.diagnostics]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=published.version)
        )

    def current(self, uri: str) -> Optional[Published]:
        """The published findings, if they are for the document's current text."""
        published = self.published.get(uri)
        document = self.workspace.text_documents.get(uri)
        if published is None or document is None or document.source != published.text:
            return None
        return published

    async def findings_now(self, uri: str) -> Optional[Published]:
        """The current findings, linting now if the published ones are stale."""
        published = self.current(uri)
        if published is not None or uri not in self.python_documents:
            return published
        document = self.workspace.get_text_document(uri)
        version, text, path = document.version, document.source, self.path_of(uri)
        findings = await self._findings(self.lint_pool.submit(self.linter.lint, path, text))
        return Published(version, text, path, findings)

    # -------------------------------------------------------------- positions
    def to_range(self, lines: Sequence[str], line: int, column: int, end_line: int, end_column: int) -> types.Range:
        """A range in the client's units from 0-based lines and code-point columns."""
        codec = self.workspace.position_codec
        return codec.range_to_client_units(
            list(lines), types.Range(types.Position(line, column), types.Position(end_line, end_column))
        )

    def span_range(self, diagnostic: Diagnostic, lines: Sequence[str]) -> types.Range:
        span = diagnostic.span
        return self.to_range(lines, span.line - 1, span.column, span.end_line - 1, span.end_column)

    def to_lsp(self, diagnostic: Diagnostic, lines: Sequence[str]) -> types.Diagnostic:
        href = _page_url(diagnostic.code)
        fix = diagnostic.fix
        return types.Diagnostic(
            range=self.span_range(diagnostic, lines),
            message=diagnostic.message,
            severity=_SEVERITY[diagnostic.level],
            code=diagnostic.code,
            code_description=types.CodeDescription(href=href) if href is not None else None,
            source="cryptolint",
            data={"fix": fix.title, "safety": fix.applicability.value} if fix is not None else None,
        )

    def text_edits(self, edits: Iterable[TextEdit], lines: Sequence[str]) -> List[types.TextEdit]:
        return [
            types.TextEdit(self.to_range(lines, e.line, e.column, e.end_line, e.end_column), e.text) for e in edits
        ]

    def workspace_edit(self, uri: str, version: Optional[int], edits: List[types.TextEdit]) -> types.WorkspaceEdit:
        capabilities = self.client_capabilities.workspace
        versioned = bool(capabilities and capabilities.workspace_edit and capabilities.workspace_edit.document_changes)
        if versioned:
            document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(document, edits)])
        return types.WorkspaceEdit(changes={uri: edits})

    # ---------------------------------------------------------- code actions
    def resolves_edits(self) -> bool:
        document = self.client_capabilities.text_document
        support = document and document.code_action and document.code_action.resolve_support
        return bool(support and "edit" in support.properties)

    async def code_actions(self, params: types.CodeActionParams) -> List[types.CodeAction]:
        uri = params.text_document.uri
        published = await self.findings_now(uri)
        if published is None:
            return []
        only = params.context.only
        lines = published.findings.lines
        actions: List[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix, only):
            for diagnostic in published.findings.diagnostics:
                target = self.span_range(diagnostic, lines)
                if not _overlaps(target, params.range):
                    continue
                actions.extend(self._quick_fixes(uri, published, diagnostic))
        if _wanted(FIX_ALL_KIND, only) and any(_safe(d) for d in published.findings.diagnostics):
            actions.append(types.CodeAction(
                title="cryptolint: fix all safe problems",
                kind=FIX_ALL_KIND,
                data={"uri": uri, "version": published.version, "action": "fixAll"},
            ))
        if not self.resolves_edits():
            actions = [await self.resolve(action) for action in actions]
        return actions

    def _quick_fixes(self, uri: str, published: Published, diagnostic: Diagnostic) -> List[types.CodeAction]:
        lines = published.findings.lines
        shown = [self.to_lsp(diagnostic, lines)]
        found = []
        fix = diagnostic.fix
        if fix is not None and fix.edits:
            safe = fix.applicability is Applicability.SAFE
            found.append(types.CodeAction(
                title=f"{diagnostic.code} {fix.title}" + ("" if safe else " (unsafe fix)"),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=shown,
                is_preferred=safe,
                data={"uri": uri, "version": published.version, "action": "fix", "code": diagnostic.code,
                      "span": list(_span(diagnostic))},
            ))
        if not diagnostic.code.startswith("CRY0"):
            edit = noqa_edit(lines, diagnostic)
            if edit is not None:
                found.append(types.CodeAction(
                    title=f"{diagnostic.code} Suppress with `# noqa: {diagnostic.code}`",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=shown,
                    is_preferred=False,
                    edit=self.workspace_edit(uri, published.version, self.text_edits([edit], lines)),
                ))
        return found

    async def resolve(self, action: types.CodeAction) -> types.CodeAction:
        """Fill in the edit of a fix action (LibCST work, on a lint thread)."""
        data = action.data
        if action.edit is not None or not isinstance(data, dict):
            return action
        uri = data.get("uri")
        if not isinstance(uri, str):
            return action
        published = self.current(uri)
        if published is None or published.version != data.get("version"):
            return action  # the document changed since: no edit rather than a wrong one
        if data.get("action") == "fixAll":
            fixed = await self._in_pool(self.linter.fix_all, published.path, published.text)
        else:
            target = next((d for d in published.findings.diagnostics
                           if d.code == data.get("code") and list(_span(d)) == data.get("span")), None)
            if target is None:
                return action
            fixed = await self._in_pool(self.linter.fix_one, published.path, published.text, target)
        if fixed is not None:
            edits = self.text_edits(line_edits(published.text, fixed), published.findings.lines)
            action.edit = self.workspace_edit(uri, published.version, edits)
        return action

    async def _in_pool(self, function: Any, *args: Any) -> Any:
        try:
            return await asyncio.wrap_future(self.lint_pool.submit(function, *args))
        except ConfigError as exc:
            self.show_error(str(exc))
            return None

    async def apply_fix_all(self, uri: str) -> bool:
        """`cryptolint.applyFixAll`: ask the client to apply every safe fix."""
        published = await self.findings_now(uri)
        if published is None:
            return False
        fixed = await self._in_pool(self.linter.fix_all, published.path, published.text)
        if fixed is None:
            return False
        edits = self.text_edits(line_edits(published.text, fixed), published.findings.lines)
        result = await self.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(
            edit=self.workspace_edit(uri, published.version, edits), label="cryptolint: fix all safe problems",
        ))
        return bool(result.applied)

    # ------------------------------------------------------------------ hover
    def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        published = self.current(params.text_document.uri)
        if published is None:
            return None
        lines = list(published.findings.lines)
        position = self.workspace.position_codec.position_from_client_units(lines, params.position)
        at = (position.line + 1, position.character)
        hits = [d for d in published.findings.diagnostics if _covers(d, at)]
        pages = []
        for code in dict.fromkeys(d.code for d in hits):
            rule = rule_by_code(code)
            if rule is not None:
                pages.append(page_text(rule).strip())
        if not pages:
            return None
        content = types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages))
        return types.Hover(contents=content, range=self.span_range(hits[0], lines))

    def close(self) -> None:
        for task in self._waiting.values():
            task.cancel()
        self.lint_pool.shutdown(wait=False, cancel_futures=True)


@lru_cache(maxsize=None)
def _page_url(code: str) -> Optional[str]:
    rule = rule_by_code(code)
    return page_url(rule) if rule is not None else None


def _our_settings(settings: Any) -> Optional[Any]:
    """cryptolint's part of pushed settings: their `cryptolint` section, or
    the whole object when every key is a cryptolint setting (Helix sends its
    `config` table so); None when nothing in them is for cryptolint."""
    if not isinstance(settings, dict) or not settings:
        return None
    if "cryptolint" in settings:
        return settings["cryptolint"]
    return settings if set(settings) <= set(ClientSettings.KEYS) else None


def _span(diagnostic: Diagnostic) -> Tuple[int, int, int, int]:
    span = diagnostic.span
    return (span.line, span.column, span.end_line, span.end_column)


def _safe(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and bool(fix.edits) and fix.applicability is Applicability.SAFE


def _wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """Whether a code action of `kind` is asked for (`only` lists kinds or their prefixes)."""
    return only is None or any(kind == prefix or kind.startswith(f"{prefix}.") for prefix in only)


def _position(position: types.Position) -> Tuple[int, int]:
    return (position.line, position.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _position(a.start) <= _position(b.end) and _position(b.start) <= _position(a.end)


def _covers(diagnostic: Diagnostic, at: Tuple[int, int]) -> bool:
    span = diagnostic.span
    start, end = (span.line, span.column), (span.end_line, span.end_column)
    if start == end:
        return at[0] == span.line
    return start <= at <= end


# ------------------------------------------------------------------ features
def build_server() -> CryptolintServer:
    server = CryptolintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: CryptolintServer, params: types.InitializeParams) -> None:
        ls.apply_settings(params.initialization_options)

    @server.feature(types.INITIALIZED)
    def initialized(ls: CryptolintServer, params: types.InitializedParams) -> None:
        ls.lint_pool.submit(check_classes)  # import every rule before the first file arrives
        capabilities = ls.client_capabilities.workspace
        watched = capabilities and capabilities.did_change_watched_files
        if watched and watched.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern="**/pyproject.toml")]
            if ls.settings.config:
                watchers.append(types.FileSystemWatcher(glob_pattern=os.path.abspath(ls.settings.config)))
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration(
                id="cryptolint-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CryptolintServer, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        if ls.wants(document.uri, document.language_id):
            ls.opened(document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CryptolintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.python_documents:
            ls.edited(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: CryptolintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(ls.path_of(uri)) == "pyproject.toml":
            ls.project.invalidate()
            ls.schedule_all()
        elif uri in ls.python_documents:
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CryptolintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: CryptolintServer, params: types.DidChangeConfigurationParams) -> None:
        await ls.configuration_changed(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: CryptolintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.project.invalidate()
        ls.schedule_all()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True),
    )
    async def code_action(ls: CryptolintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
        return await ls.code_actions(params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: CryptolintServer, params: types.CodeAction) -> types.CodeAction:
        return await ls.resolve(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: CryptolintServer, params: types.HoverParams) -> Optional[types.Hover]:
        return ls.hover(params)

    @server.command(FIX_ALL_COMMAND)
    async def apply_fix_all(ls: CryptolintServer, *args: Any) -> bool:
        uri = args[0] if args else None
        if isinstance(uri, dict):
            uri = uri.get("uri")
        if not isinstance(uri, str):
            raise ValueError(f"{FIX_ALL_COMMAND} takes the document's URI")
        return await ls.apply_fix_all(uri)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: CryptolintServer, params: Any) -> None:
        ls.close()

    return server


def serve() -> int:
    """Run the server over stdio until the client says `exit`."""
    # A long-lived process that mostly lints: the cycle collector is turned
    # down as in `cryptolint check`'s workers, and startup objects frozen.
    gc.freeze()
    gc.set_threshold(*LINTING_GC_THRESHOLD)
    server = build_server()
    server.start_io()
    server.close()
    return 0
