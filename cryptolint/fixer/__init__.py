"""The fixer: apply the fixes that rules attach to their diagnostics.

Only files with a fix to apply are parsed with LibCST.  Each pass applies all
non-overlapping fixes of a file at once (`_apply`), adds and removes imports
once (`_imports`), and the file is linted again, until nothing fixable is
left or `max_passes` is reached.  Every intermediate result must parse (and
compile, when the original did); otherwise the original is kept and
`FixResult.error` says why.  Everything a fix does not touch keeps its bytes:
comments, formatting, encoding, BOM, line endings, the trailing newline.

`keep` is the front-end's suppression filter.  It is always called with
diagnostics whose positions refer to the ORIGINAL source (lines of later
passes are mapped back), so a filter built from the original file's
`# noqa` comments stays right after a fix has added an import line.
`FixResult.remaining` holds diagnostics of the fixed text, in its positions.
"""

from __future__ import annotations

import ast
import warnings
from collections import Counter
from dataclasses import dataclass, replace
from typing import Callable, FrozenSet, List, Optional, Sequence, Tuple

from cryptolint.diagnostic import Applicability, Diagnostic
from cryptolint.engine import lint_source
from cryptolint.fixer._apply import FixError, apply_pass, select
from cryptolint.fixer._source import LineIndex, compose, line_map, map_span
from cryptolint.fixer._write import FileChangedError, write_fixed
from cryptolint.settings import Settings
from cryptolint.source import SourceError, SourceText, split_lines

__all__ = ["FileChangedError", "FixError", "FixResult", "fix_source", "keep_all", "write_fixed"]

Keep = Callable[[Diagnostic], bool]


def keep_all(diagnostic: Diagnostic) -> bool:
    """The default filter: nothing is suppressed."""
    return True


@dataclass(frozen=True)
class FixResult:
    """What fixing one file produced."""

    original: bytes
    #: The fixed bytes; `original` itself when nothing changed.
    fixed: bytes
    #: Diagnostics whose fixes were applied (all passes), positions in the original.
    applied: Tuple[Diagnostic, ...]
    #: Diagnostics of the fixed text that pass `keep`.
    remaining: Tuple[Diagnostic, ...]
    #: Why fixing was abandoned (the original is kept), or None.
    error: Optional[str] = None

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_source(
    data: bytes,
    path: str,
    settings: Settings,
    *,
    unsafe: bool = False,
    keep: Keep = keep_all,
    max_passes: int = 8,
    source: Optional[SourceText] = None,
    found: Optional[Sequence[Diagnostic]] = None,
) -> FixResult:
    """Fix one file's bytes: safe fixes, and unsafe ones too with `unsafe`.

    `source` (the decoded bytes) and `found` (the engine's findings for
    them) spare decoding and linting again when the caller has them.
    Never raises for any input: a problem is reported in `error`, with the
    original bytes kept.
    """
    allowed = frozenset({Applicability.SAFE, Applicability.UNSAFE} if unsafe else {Applicability.SAFE})
    if source is None:
        try:
            source = SourceText.decode(data)
        except SourceError:
            found = lint_source(data, path, settings) if found is None else found
            return FixResult(data, data, (), tuple(d for d in found if keep(d)))
    if found is None:
        found = lint_source(source.text, path, settings)
    unchanged = FixResult(data, data, (), tuple(d for d in found if keep(d)))
    if not _fixable(found, allowed, keep, None):
        return unchanged
    try:
        if source.encode(source.text) != data:
            return replace(unchanged, error="its bytes do not survive decoding and encoding again")
        if _bare_cr_and_lf(source.text):
            return replace(unchanged, error="some of its lines end in a bare carriage return, others in a bare line feed")
        with warnings.catch_warnings():  # Python's warnings about the code (`1if x`) are not ours to print
            warnings.simplefilter("ignore")
            if _nesting(source.text) > MAX_NESTING:
                raise RecursionError  # LibCST's native parser would overflow the C stack and crash
            fixer = _Fixer(path, settings, allowed, keep, _compiles(source.text, path))
            text, applied, remaining = fixer.run(source.text, found, max_passes)
        if text == source.text:
            return unchanged
        fixed = source.encode(text)
        if not _reads_back(fixed, replace(source, text=text)):
            raise FixError("Python would read the fixed file in another encoding (a coding comment moved)")
    except FixError as exc:
        return replace(unchanged, error=str(exc))
    except UnicodeEncodeError as exc:
        return replace(unchanged, error=f"the fixed text cannot be written as {exc.encoding}: {exc.reason}")
    except RecursionError:
        return replace(unchanged, error="the code is nested too deeply to rewrite")
    except Exception as exc:  # a bug in the fixer or LibCST must not lose the file
        return replace(unchanged, error=f"internal error: {exc.__class__.__name__}: {exc}; please report it")
    return FixResult(data, fixed, tuple(applied), tuple(remaining))


class _Fixer:
    """Runs passes over one file's text until nothing fixable is left."""

    def __init__(
        self, path: str, settings: Settings, allowed: FrozenSet[Applicability], keep: Keep, compiles: bool
    ) -> None:
        self.path = path
        self.settings = settings
        self.allowed = allowed
        self.keep = keep
        self.compiles = compiles

    def run(
        self, text: str, found: Sequence[Diagnostic], max_passes: int
    ) -> Tuple[str, List[Diagnostic], List[Diagnostic]]:
        lines: Optional[List[int]] = None  # line of the current text -> line of the original
        applied: List[Diagnostic] = []
        seen = {text}
        # The plan: the fixes the original findings offer, and nothing else.
        # A later pass applies a fix only as one of these (a fix that had to
        # wait for an overlapping one), never a fix that appeared because an
        # earlier one changed the code: `check` could not have shown it.
        pending = Counter(_planned(d) for d in _fixable(found, self.allowed, self.keep, None))
        for _ in range(max_passes):
            candidates = [d for d in _fixable(found, self.allowed, self.keep, lines) if pending[_planned(d)] > 0]
            if not candidates:
                break
            step = apply_pass(text, select(candidates, LineIndex(text)))
            if not step.applied or step.text == text:
                break
            self.verify(step.text)
            applied.extend(_mapped(d, lines) for d in step.applied)
            pending.subtract(_planned(d) for d in step.applied)
            lines = compose(lines, line_map(text, step.text))
            text = step.text
            found = lint_source(text, self.path, self.settings)
            if text in seen:
                break
            seen.add(text)
        remaining = [d for d in found if self.keep(_mapped(d, lines))]
        return text, applied, remaining

    def verify(self, text: str) -> None:
        """Refuse a result that does not parse (or compile, if the original did)."""
        try:
            with warnings.catch_warnings():  # the user's own warnings are not ours to print
                warnings.simplefilter("ignore")
                tree = ast.parse(text, filename=self.path)
                if self.compiles:
                    compile(tree, self.path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise FixError(f"the fixed code would not be valid Python: {exc.msg} (line {exc.lineno})") from exc
        except ValueError as exc:
            raise FixError(f"the fixed code would not be valid Python: {exc}") from exc


def _fixable(
    found: Sequence[Diagnostic], allowed: FrozenSet[Applicability], keep: Keep, lines: Optional[Sequence[int]]
) -> List[Diagnostic]:
    return [
        d
        for d in found
        if d.fix is not None and d.fix.edits and d.fix.applicability in allowed and keep(_mapped(d, lines))
    ]


def _planned(diagnostic: Diagnostic) -> Tuple[str, str]:
    """What identifies a planned fix from one pass to the next (positions move)."""
    assert diagnostic.fix is not None
    return diagnostic.code, diagnostic.fix.title


def _mapped(diagnostic: Diagnostic, lines: Optional[Sequence[int]]) -> Diagnostic:
    if lines is None:
        return diagnostic
    return replace(diagnostic, span=map_span(diagnostic.span, lines))


#: Deeper than this, LibCST's Python code raises RecursionError anyway; far
#: deeper (`a and b and ...` with thousands of operands, which `ast` keeps
#: flat), its native parser overflows the C stack and kills the process.
MAX_NESTING = 1000


def _nesting(text: str) -> int:
    """How deep LibCST would nest `text`: the `ast` depth, where a chain of
    n `and`/`or` operands counts n - 1 levels (LibCST nests them in pairs)."""
    tree = ast.parse(text)
    deepest = 0
    stack: List[Tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        depth += len(node.values) - 1 if isinstance(node, ast.BoolOp) else 1
        deepest = max(deepest, depth)
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return deepest


def _reads_back(data: bytes, source: SourceText) -> bool:
    """Whether `data` decodes (as Python decodes it) to `source` again."""
    try:
        return SourceText.decode(data) == source
    except SourceError:
        return False


def _bare_cr_and_lf(text: str) -> bool:
    """Whether some lines end in `\\r` alone and others in `\\n` alone.

    A line LibCST adds ends in the first line's ending; put before or after a
    line with the other one, the `\\r` and the `\\n` would read as a single
    `\\r\\n`: two lines merged, an ending the file never had.
    """
    if "\r" not in text.replace("\r\n", ""):
        return False
    endings = {line[len(line.rstrip("\r\n")) :] for line in split_lines(text)}
    return "\r" in endings and "\n" in endings


def _compiles(text: str, path: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
