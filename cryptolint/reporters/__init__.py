"""Renderers of a finished run: one module per output format.

A reporter gets a `Report` (every file's result, already sorted) and a text
stream.  Add a format by writing a module with a `Reporter` subclass and
listing it in `REPORTERS`.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Sequence, TextIO, Tuple, Type

from cryptolint.diagnostic import Diagnostic
from cryptolint.runner import FileResult, FixMode, is_fixable


class OutputFormat(enum.Enum):
    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True)
class Finding:
    """A diagnostic with the path it was found in."""

    path: str
    diagnostic: Diagnostic

    def sort_key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.diagnostic.line, self.diagnostic.column, self.diagnostic.code)


@dataclass(frozen=True)
class Report:
    """The outcome of a run, as every reporter sees it."""

    results: Sequence[FileResult]
    fix_mode: FixMode = FixMode.REPORT
    unsafe_fixes: bool = False
    show_fixes: bool = False
    statistics: bool = False
    quiet: bool = False

    @property
    def files_checked(self) -> int:
        return len(self.results)

    def findings(self) -> List[Finding]:
        """Remaining findings, sorted by path, line, column, code."""
        found = [Finding(r.display, d) for r in self.results for d in r.diagnostics]
        return sorted(found, key=Finding.sort_key)

    def fixed(self) -> List[Finding]:
        found = [Finding(r.display, d) for r in self.results for d in r.fixed]
        return sorted(found, key=Finding.sort_key)

    def counts(self) -> List[Tuple[str, str, int, bool]]:
        """(code, name, count, any fixable) per code, by code."""
        findings = self.findings()
        counter = Counter(f.diagnostic.code for f in findings)
        names = {f.diagnostic.code: f.diagnostic.name for f in findings}
        fixable = {f.diagnostic.code for f in findings if is_fixable(f.diagnostic, True)}
        return [(code, names[code], counter[code], code in fixable) for code in sorted(counter)]


class Reporter:
    """Writes a `Report` to a stream."""

    def write(self, report: Report, out: TextIO) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def reporter_for(output_format: OutputFormat) -> Reporter:
    from cryptolint.reporters.json import JsonReporter
    from cryptolint.reporters.text import TextReporter

    reporters: Dict[OutputFormat, Type[Reporter]] = {
        OutputFormat.TEXT: TextReporter,
        OutputFormat.JSON: JsonReporter,
    }
    return reporters[output_format]()


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


__all__ = ["Finding", "OutputFormat", "Report", "Reporter", "plural", "reporter_for"]
