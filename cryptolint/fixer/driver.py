"""The `--fix` / `--diff` path: hand a file to the fixer, write or show the result.

The runner imports this module (and with it LibCST) only for files that
have a fix to apply, so plain checking never loads LibCST.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from cryptolint import fixer
from cryptolint.diagnostic import Diagnostic
from cryptolint.results import FileResult, FixMode, RunOptions, selected
from cryptolint.source import SourceText, readable_lines, source_lines
from cryptolint.suppression import SuppressionFilter


def fix_file(
    data: bytes,
    display: str,
    path: Optional[str],
    options: RunOptions,
    keep: SuppressionFilter,
    found: Sequence[Diagnostic],
    *,
    source: Optional[SourceText] = None,
    lines: Optional[Sequence[str]] = None,
    linted: Optional[Sequence[Diagnostic]] = None,
) -> FileResult:
    """Fix `data`; write it back to `path` with `--fix`, describe it with `--diff`.

    `found` are the findings to report (suppressions applied); `source`,
    `lines` and `linted` (the engine's findings before suppressions) are the
    decoded text, its lines and the lint the runner already made, handed on
    so that the file is neither decoded nor linted again before its first fix."""
    original_lines = tuple(lines) if lines is not None else tuple(source_lines(data))
    unfixed = FileResult(display, tuple(found), lines=original_lines if found else ())
    result = fixer.fix_source(
        data, display, options.settings, unsafe=options.unsafe_fixes, keep=keep.keep, source=source, found=linted
    )
    if result.error:
        return _with_error(unfixed, f"{display}: not fixed: {result.error}")
    # `remaining` passed `keep` (the fixer maps positions back to the
    # original lines, so the `# noqa` map stays valid); CRY0xx follow the selection.
    remaining = tuple(d for d in result.remaining if d.code in selected(options.settings, result.remaining))
    if not result.changed:
        return FileResult(display, remaining, lines=original_lines if remaining else ())
    applied = tuple(result.applied)
    if options.fix_mode is FixMode.DIFF:
        # `remaining` is in the positions of the fixed text
        return FileResult(display, remaining, applied, diff=unified_diff(data, result.fixed, display),
                          lines=_lines(result.fixed, remaining))
    if path is not None:
        try:
            fixer.write_fixed(Path(path), result)
        except fixer.FileChangedError:
            return _with_error(unfixed, f"{display}: not fixed: the file changed on disk while it was being checked")
        except OSError as exc:
            return _with_error(unfixed, f"{display}: not fixed: cannot write: {exc.strerror or exc}")
    return FileResult(display, remaining, applied, fixed_source=result.fixed, lines=_lines(result.fixed, remaining))


def _with_error(result: FileResult, message: str) -> FileResult:
    return replace(result, errors=result.errors + (message,))


def _lines(data: bytes, diagnostics: Sequence[Diagnostic]) -> Tuple[str, ...]:
    """The lines reporters show, kept only when there is something to show."""
    return tuple(source_lines(data)) if diagnostics else ()


def unified_diff(before: bytes, after: bytes, display: str) -> str:
    """A unified diff of two versions of a file, as `patch -p0` reads it."""
    lines: List[str] = []
    for line in difflib.unified_diff(readable_lines(before), readable_lines(after), fromfile=display, tofile=display):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    return "".join(lines)
