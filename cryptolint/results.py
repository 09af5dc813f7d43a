"""What checking a file produces, and what a run was asked to do: the types
the runner makes, the fixer fills in and the reporters render."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Sequence, Set, Tuple

from cryptolint.diagnostic import Applicability, Diagnostic
from cryptolint.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from cryptolint.analysis.summaries import ModuleSummary
    from cryptolint.cache import Cache


class FixMode(enum.Enum):
    """What to do with fixable findings."""

    REPORT = "report"  # only report them
    FIX = "fix"  # apply and write
    DIFF = "diff"  # show what would change, write nothing


@dataclass(frozen=True)
class RunOptions:
    settings: Settings
    fix_mode: FixMode = FixMode.REPORT
    unsafe_fixes: bool = False
    #: Honour `# noqa` comments (False: `--disable-noqa`).
    noqa: bool = True
    #: Where findings of unchanged files are kept between runs (None: nowhere).
    cache: Optional["Cache"] = None


@dataclass(frozen=True)
class FileResult:
    """What happened to one file."""

    display: str
    #: Findings to report (after suppressions; after fixing, what remains).
    diagnostics: Tuple[Diagnostic, ...] = ()
    #: Findings whose fixes were applied (or would be, with `--diff`).
    fixed: Tuple[Diagnostic, ...] = ()
    #: Unified diff of the fixes (`--diff`), empty when nothing changes.
    diff: str = ""
    #: The fixed contents, when they differ from the input.
    fixed_source: Optional[bytes] = None
    #: Failures that make the run exit 2 (unreadable file, fix abandoned).
    errors: Tuple[str, ...] = ()
    #: Notes that do not fail the run.
    warnings: Tuple[str, ...] = ()
    #: The source lines `diagnostics` point into (endings kept), when there
    #: are any: reporters show and fingerprint the offending line.
    lines: Tuple[str, ...] = field(default=(), repr=False, compare=False)
    #: What the file offers other modules (the project pass), when analysed.
    summary: Optional["ModuleSummary"] = field(default=None, repr=False, compare=False)

    @property
    def internal_error(self) -> bool:
        return any(d.code == "CRY002" for d in self.diagnostics)


def is_fixable(diagnostic: Diagnostic, unsafe: bool) -> bool:
    """Whether `diagnostic` carries a fix that this run may apply."""
    fix = diagnostic.fix
    return fix is not None and (unsafe or fix.applicability is Applicability.SAFE)


def selected(settings: Settings, diagnostics: Sequence[Diagnostic]) -> Set[str]:
    """The codes among `diagnostics` to report: the engine always reports its
    own CRY0xx findings, the selection decides whether they are shown."""
    return {d.code for d in diagnostics if not d.code.startswith("CRY0") or settings.is_enabled(d.code)}
