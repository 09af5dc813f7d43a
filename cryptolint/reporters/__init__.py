"""Renderers of a finished run: one module per output format.

A reporter gets a `Report` (every file's result) and a text stream.  Add a
format by writing a module with a `Reporter` subclass, a member of
`OutputFormat`, and an entry in `REPORTERS`.  What a rule is worth
(severity, CWE) comes from the registry; a reporter only translates it into
its format's words.
"""

from __future__ import annotations

import enum
import importlib
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Mapping, Optional, Sequence, TextIO, Tuple

from cryptolint.baseline import file_keys
from cryptolint.diagnostic import Diagnostic
from cryptolint.registry import Rule, rule_by_code
from cryptolint.results import FileResult, FixMode, is_fixable


class OutputFormat(enum.Enum):
    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"
    JUNIT = "junit"

    @property
    def has_statistics(self) -> bool:
        """Whether `--statistics` means something in this format."""
        return self in (OutputFormat.TEXT, OutputFormat.CONCISE, OutputFormat.JSON)


#: Module and class of each format's reporter (imported only when used).
REPORTERS = {
    OutputFormat.TEXT: ("text", "TextReporter"),
    OutputFormat.CONCISE: ("text", "ConciseReporter"),
    OutputFormat.JSON: ("json", "JsonReporter"),
    OutputFormat.SARIF: ("sarif", "SarifReporter"),
    OutputFormat.GITHUB: ("github", "GithubReporter"),
    OutputFormat.GITLAB: ("gitlab", "GitlabReporter"),
    OutputFormat.JUNIT: ("junit", "JunitReporter"),
}


@dataclass(frozen=True)
class Finding:
    """A diagnostic with the path it was found in and the lines of that file."""

    path: str
    diagnostic: Diagnostic
    #: The file's lines (shared by its findings; empty when unknown).
    lines: Tuple[str, ...] = field(default=(), repr=False, compare=False)
    #: Identifies the finding across line moves; the baseline's fingerprint
    #: (`cryptolint.baseline`): rule, line text, occurrence; no line number, no path.
    fingerprint: str = ""

    def sort_key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.diagnostic.line, self.diagnostic.column, self.diagnostic.code)

    @property
    def rule(self) -> Optional[Rule]:
        return rule_by_code(self.diagnostic.code)

    @property
    def source_line(self) -> str:
        """The text of the line the finding starts on, without its ending ("" when unknown)."""
        line = self.diagnostic.line
        return self.lines[line - 1].rstrip("\r\n") if 1 <= line <= len(self.lines) else ""


@dataclass(frozen=True)
class Report:
    """The outcome of a run, as every reporter sees it."""

    results: Sequence[FileResult]
    fix_mode: FixMode = FixMode.REPORT
    unsafe_fixes: bool = False
    show_fixes: bool = False
    statistics: bool = False
    quiet: bool = False
    #: Problems that made the run fail (exit 2): unreadable files, missing paths.
    errors: Tuple[str, ...] = ()

    @property
    def files_checked(self) -> int:
        return len(self.results)

    def findings(self) -> List[Finding]:
        """Remaining findings, sorted by path, line, column, code."""
        found = []
        for result in self.results:
            keys = file_keys(result.display, result.diagnostics, result.lines)
            for diagnostic, (_, _, fingerprint) in zip(result.diagnostics, keys):
                found.append(Finding(result.display, diagnostic, result.lines, fingerprint))
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

    #: Use ANSI colours (set by `reporter_for`; only text formats use it).
    color: bool = False

    def write(self, report: Report, out: TextIO) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def reporter_for(output_format: OutputFormat, color: bool = False) -> Reporter:
    """The reporter of a format; `color` is for those that write to terminals."""
    module_name, class_name = REPORTERS[output_format]
    module = importlib.import_module(f"cryptolint.reporters.{module_name}")
    reporter: Reporter = getattr(module, class_name)()
    reporter.color = color
    return reporter


def use_color(choice: str, stream: TextIO, environ: Optional[Mapping[str, str]] = None) -> bool:
    """Whether to colour output written to `stream`.

    `always` and `never` are obeyed.  `auto` colours a terminal only: not when
    `NO_COLOR` is set to anything non-empty (no-color.org), nor for
    `TERM=dumb`; `FORCE_COLOR` (non-empty) colours a pipe too, as in CI logs.
    """
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        terminal = False
    return terminal and env.get("TERM") != "dumb"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def clean(text: str) -> str:
    """`text` safe to encode as UTF-8: lone surrogates (undecodable file names) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


__all__ = ["Finding", "OutputFormat", "REPORTERS", "Report", "Reporter", "clean", "plural", "reporter_for", "use_color"]
