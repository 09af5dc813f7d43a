"""The data every check produces and every front-end renders."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple


class Level(enum.Enum):
    """How a finding is shown (SARIF's result `level`): `error` for what the
    rules report in context, `warning` and `note` for what only the auditor's
    mode (`policy = "strict"`, `--strict`) adds: every use of a weak
    primitive, most of them harmless.  Not the rule's security severity
    (`rule.Rule.severity`), which says how bad a true finding is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Applicability(enum.Enum):
    """Whether a fix preserves behaviour (`safe`) or needs a human (`unsafe`)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Span:
    """A source range: 1-based lines, 0-based character columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Import:
    """An import a fix needs (`import module` or `from module import name`)."""

    module: str
    name: Optional[str] = None


@dataclass(frozen=True)
class Edit:
    """Replace the expression at `span` with `template`.

    `template` is Python source in which `{0}`, `{1}`, ... stand for the
    original source of `holes[0]`, `holes[1]`, ... so that the rewritten code
    keeps the user's own sub-expressions, comments and formatting.  Literal
    braces in the template are doubled, as in `str.format`.
    """

    span: Span
    template: str
    holes: Tuple[Span, ...] = ()


@dataclass(frozen=True)
class Fix:
    """A repair attached to a diagnostic, applied by the fixer."""

    title: str
    applicability: Applicability
    edits: Tuple[Edit, ...]
    add_imports: Tuple[Import, ...] = ()
    remove_imports: Tuple[Import, ...] = ()


@dataclass(frozen=True)
class Diagnostic:
    """One finding: which rule, where, what, and optionally how to fix it."""

    code: str
    name: str
    message: str
    span: Span
    fix: Optional[Fix] = field(default=None, compare=False)
    level: Level = field(default=Level.ERROR, compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> Tuple[int, int, str]:
        return (self.span.line, self.span.column, self.code)
