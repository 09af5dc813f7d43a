"""One file in, sorted diagnostics out: pre-filter, parse, analyse, check.

The engine is pure: it reads no files, prints nothing and applies no
suppressions (the front-ends do that).  The flake8 plugin passes flake8's own
tree so the file is not parsed twice.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import sys
import tokenize
import unicodedata
import warnings
from functools import lru_cache
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Type, Union

from cryptolint.analysis.summaries import Entry, ModuleSummary
from cryptolint.checks._base import Check
from cryptolint.context import Context
from cryptolint.diagnostic import Diagnostic, Span
from cryptolint.registry import check_classes
from cryptolint.settings import Settings

DEFAULT_SETTINGS = Settings()


class SourceError(Exception):
    """The bytes of a file are not Python source text (bad encoding...)."""

    def __init__(self, message: str, line: int = 1, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def split_lines(text: str) -> List[str]:
    """`text` split after each `\\r\\n`, `\\r` or `\\n`, endings kept.

    Python ends lines only there; `str.splitlines` also splits on form feeds
    and other separators, which would shift every line after them.
    """
    return io.StringIO(text, newline="").readlines()


def decode_source(data: bytes) -> str:
    """Decode `data` as Python does: BOM, then PEP 263 cookie, then UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot decode: {exc.msg}", exc.lineno or 1) from exc
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        raise SourceError(f"cannot decode as {encoding}: {exc}", line) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


@lru_cache(maxsize=64)
def enabled_checks(settings: Settings) -> Tuple[Type[Check], ...]:
    """The check classes that run under `settings`, by code."""
    return tuple(cls for cls in check_classes() if settings.is_enabled(cls.CODE, cls.DEFAULT_ENABLED))


def _prefilter(text: str, checks: Sequence[Type[Check]], settings: Settings = DEFAULT_SETTINGS) -> List[Type[Check]]:
    """The checks that might fire: those with a trigger word in the source.

    A user's own secret names (`secret-names`) are not in any rule's
    triggers, so a file that mentions one is given to every check.  Python
    reads identifiers in NFKC form (`ｒａｎｄｏｍ` is `random`), so a
    non-ASCII source is searched in that form too.
    """
    lowered = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    if any(word.lower() in lowered for word in settings.secret_names):
        return list(checks)
    cache: Dict[str, bool] = {}
    selected = []
    for cls in checks:
        if not cls.TRIGGERS:
            selected.append(cls)
            continue
        for word in cls.TRIGGERS:
            hit = cache.get(word)
            if hit is None:
                hit = cache[word] = word in lowered
            if hit:
                selected.append(cls)
                break
    return selected


#: Allocations between collections of the youngest generation, and how many
#: of those between collections of the next two (Python's default: 700, 10, 10).
LINTING_GC_THRESHOLD = (50_000, 20, 100)


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """Run Python's cycle collector rarely while files are linted.

    Linting a file allocates hundreds of thousands of AST nodes and dict
    entries that live exactly as long as the file is checked, and reference
    counting frees them.  At the default threshold the collector started
    after every 700 allocations and kept scanning the same long-lived
    objects: profiling a cold run over the stdlib and site-packages put a
    quarter of its time there.  Objects that exist before linting starts
    (modules, rule tables) are frozen out of the scans altogether.
    """
    threshold = gc.get_threshold()
    freezing = gc.get_freeze_count() == 0  # a caller's own frozen objects are left alone
    if freezing:
        gc.freeze()
    gc.set_threshold(*LINTING_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if freezing:
            gc.unfreeze()


def lint_source(
    source: Union[str, bytes],
    path: str = "<stdin>",
    settings: Settings = DEFAULT_SETTINGS,
    tree: Optional[ast.Module] = None,
    foreign: Optional[Mapping[str, Entry]] = None,
) -> List[Diagnostic]:
    """Check one module's source and return its diagnostics, sorted.

    `foreign`: summaries of the project modules it imports, by the name it
    uses (`cryptolint check` builds them; see `cryptolint.project`)."""
    return analyse_source(source, path, settings, tree, foreign)[0]


def analyse_source(
    source: Union[str, bytes],
    path: str = "<stdin>",
    settings: Settings = DEFAULT_SETTINGS,
    tree: Optional[ast.Module] = None,
    foreign: Optional[Mapping[str, Entry]] = None,
    summarise: bool = False,
) -> Tuple[List[Diagnostic], Optional[ModuleSummary]]:
    """`lint_source`, and with `summarise` the module's summary for other
    modules (None when the file was not analysed: no rule could fire in it,
    or it does not parse)."""
    if isinstance(source, bytes):
        try:
            text = decode_source(source)
        except SourceError as exc:
            return [_tool_diagnostic("CRY001", str(exc), exc.line, exc.column)], None
    else:
        text = source[1:] if source.startswith("\ufeff") else source
    checks = _prefilter(text, enabled_checks(settings), settings)
    if tree is None:
        if not checks:
            return [], None
        try:
            with warnings.catch_warnings():  # Python's warnings about the code (`1if x`) are not ours to print
                warnings.simplefilter("ignore")
                tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            return [_unparseable(text, exc)], None
    elif not checks:
        return [], None
    lines = split_lines(text)
    return _run(tree, lines, path, settings, checks, foreign, summarise)


def run_checks(
    tree: ast.Module,
    lines: Sequence[str],
    path: str,
    settings: Settings,
    checks: Optional[Sequence[Type[Check]]] = None,
    foreign: Optional[Mapping[str, Entry]] = None,
) -> List[Diagnostic]:
    """Run `checks` (default: every enabled one) over an already parsed tree."""
    return _run(tree, lines, path, settings, checks, foreign, False)[0]


def _run(
    tree: ast.Module,
    lines: Sequence[str],
    path: str,
    settings: Settings,
    checks: Optional[Sequence[Type[Check]]],
    foreign: Optional[Mapping[str, Entry]],
    summarise: bool,
) -> Tuple[List[Diagnostic], Optional[ModuleSummary]]:
    if checks is None:
        checks = enabled_checks(settings)
    try:
        ctx = Context(path, lines, tree, settings, foreign)
    except RecursionError:
        return [_tool_diagnostic("CRY001", "cannot analyse: the code is nested too deeply", 1, 0)], None
    instances = [cls(ctx) for cls in checks]
    dispatch: Dict[type, List[Check]] = {}
    for check in instances:
        for node_type in check.NODES:
            dispatch.setdefault(node_type, []).append(check)
    failures: List[Diagnostic] = []
    failed: set = set()
    for node_type, nodes in ctx.module.nodes_by_type.items():
        interested = dispatch.get(node_type)
        if not interested:
            continue
        for check in interested:
            if check.CODE in failed:
                continue
            for node in nodes:
                try:
                    check.visit(node)
                except Exception as exc:  # a bug in one rule must not stop the others
                    failed.add(check.CODE)
                    failures.append(_internal_error(check.CODE, exc, node))
                    break
    for check in instances:
        if check.CODE in failed:
            continue
        try:
            check.finish()
        except Exception as exc:
            failed.add(check.CODE)
            failures.append(_internal_error(check.CODE, exc, tree))
    seen = set()
    result: List[Diagnostic] = []
    for check in instances:
        if check.CODE in failed:
            continue
        for diagnostic in check.diagnostics:
            key = (diagnostic.code, diagnostic.span)
            if key not in seen:
                seen.add(key)
                result.append(diagnostic)
    result.extend(failures)
    result.sort(key=Diagnostic.sort_key)
    summary: Optional[ModuleSummary] = None
    if summarise:
        try:
            summary = ctx.summaries.module_summary()
        except (RecursionError, Exception):  # a summary is an extra: never lose the findings for it
            summary = None
    return result, summary


def _tool_diagnostic(code: str, message: str, line: int, column: int) -> Diagnostic:
    name = {"CRY001": "syntax-error", "CRY002": "internal-error"}[code]
    return Diagnostic(code=code, name=name, message=message, span=Span(line, column, line, column))


def _syntax_error(exc: SyntaxError) -> Diagnostic:
    line = exc.lineno or 1
    column = max((exc.offset or 1) - 1, 0)
    return _tool_diagnostic("CRY001", f"cannot parse: {exc.msg}", line, column)


def _unparseable(text: str, exc: Exception) -> Diagnostic:
    """CRY001 for a file `ast.parse` refuses, where it says (or where the null byte is)."""
    null = text.find("\0")
    if null >= 0 and (isinstance(exc, ValueError) or getattr(exc, "lineno", 1) is None):
        line = text.count("\n", 0, null) + 1  # (Python < 3.12 does not say where)
        return _tool_diagnostic("CRY001", "cannot parse: the file contains a null byte", line, null - text.rfind("\n", 0, null) - 1)
    if isinstance(exc, SyntaxError):
        return _syntax_error(exc)
    if isinstance(exc, (RecursionError, MemoryError)):
        reason = f"the code is nested too deeply for Python's parser ({exc.__class__.__name__})"
        return _tool_diagnostic("CRY001", f"cannot parse: {reason}", 1, 0)
    return _tool_diagnostic("CRY001", f"cannot parse: {exc.__class__.__name__}: {exc}", 1, 0)


def _internal_error(code: str, exc: BaseException, node: ast.AST) -> Diagnostic:
    line = getattr(node, "lineno", 1)
    message = f"internal error in {code}: {exc.__class__.__name__}: {exc}; please report it"
    print_hint = sys.flags.dev_mode
    if print_hint:  # pragma: no cover - debugging aid
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    return _tool_diagnostic("CRY002", message, line, getattr(node, "col_offset", 0))
