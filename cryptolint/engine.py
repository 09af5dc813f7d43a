"""One file in, sorted diagnostics out: pre-filter, parse, analyse, check.

The engine is pure: it reads no files, prints nothing and applies no
suppressions (the front-ends do that).  The flake8 plugin passes flake8's own
tree so the file is not parsed twice.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import sys
import traceback
import unicodedata
import warnings
from functools import lru_cache
from typing import Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Type, Union

from cryptolint.analysis.summaries import Entry, ModuleSummary
from cryptolint.checks._base import Check, TestCode
from cryptolint.context import Context, kind_of_test_code
from cryptolint.diagnostic import Diagnostic, Span
from cryptolint import protocols
from cryptolint.plan import plan_fixes
from cryptolint.registry import check_classes, protocol_markers
from cryptolint.settings import Settings
from cryptolint.source import SourceError, decode_source, split_lines
from cryptolint.syntax_hints import hint

DEFAULT_SETTINGS = Settings()


@lru_cache(maxsize=64)
def enabled_checks(settings: Settings) -> Tuple[Type[Check], ...]:
    """The check classes that run under `settings`, by code."""
    return tuple(cls for cls in check_classes() if settings.is_enabled(cls.CODE, cls.DEFAULT_ENABLED))


def for_file(checks: Sequence[Type[Check]], path: str, text: str, settings: Settings) -> Sequence[Type[Check]]:
    """`checks` without those whose declared test-code policy skips the file
    at `path` with source `text` (`context.kind_of_test_code`)."""
    if settings.all_rules_in_tests or all(cls.TEST_CODE is TestCode.REPORT for cls in checks):
        return checks
    kind = kind_of_test_code(path, text)
    if kind is None:
        return checks
    return [cls for cls in checks if cls.runs_on(kind, settings.all_rules_in_tests)]


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


#: What the interpreter keeps frozen by itself: 0, but a few hundred objects on
#: Python 3.12.1 (a count that `gc.unfreeze()` then takes to 0).
_FROZEN_AT_START = gc.get_freeze_count()


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
    freezing = gc.get_freeze_count() <= _FROZEN_AT_START  # a caller's own frozen objects are left alone
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
    checks = _prefilter(text, for_file(enabled_checks(settings), path, text, settings), settings)
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
    checks = for_file(enabled_checks(settings) if checks is None else checks, path, "".join(lines), settings)
    return _run(tree, lines, path, settings, checks, foreign, False)[0] if checks else []


def _run(
    tree: ast.Module,
    lines: Sequence[str],
    path: str,
    settings: Settings,
    checks: Sequence[Type[Check]],
    foreign: Optional[Mapping[str, Entry]],
    summarise: bool,
) -> Tuple[List[Diagnostic], Optional[ModuleSummary]]:
    try:
        ctx = Context(path, lines, tree, settings, foreign)
    except RecursionError:
        return [_tool_diagnostic("CRY001", "cannot analyse: the code is nested too deeply", 1, 0)], None
    instances = [cls(ctx) for cls in checks]
    dispatch: Dict[type, List[Tuple[Check, Callable[[ast.AST], None]]]] = {}
    for check in instances:
        for node_type, handler in check.handlers().items():
            dispatch.setdefault(node_type, []).append((check, handler))
    failures: List[Diagnostic] = []
    failed: Set[str] = set()
    for node_type, nodes in ctx.module.nodes_by_type.items():
        interested = dispatch.get(node_type)
        if not interested:
            continue
        for check, handler in interested:
            if check.CODE in failed:
                continue
            for node in nodes:
                try:
                    handler(node)
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
    declared = settings.protocols | protocols.declared_in(lines)
    result = protocols.lower(result, declared, protocol_markers())
    result.extend(failures)
    result.sort(key=Diagnostic.sort_key)
    summary: Optional[ModuleSummary] = None
    if summarise:
        try:
            summary = ctx.summaries.module_summary("".join(lines))
        except (RecursionError, Exception):  # a summary is an extra: never lose the findings for it
            summary = None
    # Whether the file is test code matters only to fixes (a search of its whole text: not for a file with none).
    test_code = any(d.fix is not None for d in result) and ctx.is_test_file
    return plan_fixes(result, test_code, settings.target_version), summary


def _tool_diagnostic(code: str, message: str, line: int, column: int) -> Diagnostic:
    name = {"CRY001": "syntax-error", "CRY002": "internal-error"}[code]
    return Diagnostic(code=code, name=name, message=message, span=Span(line, column, line, column))


def _syntax_error(exc: SyntaxError, text: str = "") -> Diagnostic:
    line = exc.lineno or 1
    column = max((exc.offset or 1) - 1, 0)
    why = hint(exc, split_lines(text)) if text else None
    return _tool_diagnostic("CRY001", f"cannot parse: {exc.msg}" + (f"; {why}" if why else ""), line, column)


def _unparseable(text: str, exc: Exception) -> Diagnostic:
    """CRY001 for a file `ast.parse` refuses, where it says (or where the null byte is)."""
    null = text.find("\0")
    if null >= 0 and (isinstance(exc, ValueError) or getattr(exc, "lineno", 1) is None):
        line = text.count("\n", 0, null) + 1  # (Python < 3.12 does not say where)
        return _tool_diagnostic("CRY001", "cannot parse: the file contains a null byte", line, null - text.rfind("\n", 0, null) - 1)
    if isinstance(exc, SyntaxError):
        return _syntax_error(exc, text)
    if isinstance(exc, (RecursionError, MemoryError)):
        reason = f"the code is nested too deeply for Python's parser ({exc.__class__.__name__})"
        return _tool_diagnostic("CRY001", f"cannot parse: {reason}", 1, 0)
    return _tool_diagnostic("CRY001", f"cannot parse: {exc.__class__.__name__}: {exc}", 1, 0)


def _internal_error(code: str, exc: BaseException, node: ast.AST) -> Diagnostic:
    line = getattr(node, "lineno", 1)
    message = f"internal error in {code}: {exc.__class__.__name__}: {exc}; please report it"
    print_hint = sys.flags.dev_mode
    if print_hint:  # pragma: no cover - debugging aid
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    return _tool_diagnostic("CRY002", message, line, getattr(node, "col_offset", 0))
