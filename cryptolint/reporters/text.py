"""Text for people: `path:line:col: CODE message` lines, then a summary.

`text` (the default) shows each finding's source line with a caret under
the offending code, and its fix; `concise` is the bare first line
(flake8's format, one line per finding).  Both start every finding with the
same `path:line:col: CODE message` line, so tools that read flake8's output
read either.  Colour (`color`) is for terminals only; whatever the source
holds, control characters are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

import unicodedata
from typing import List, TextIO

from cryptolint.diagnostic import Applicability
from cryptolint.reporters import Finding, Report, Reporter, plural
from cryptolint.results import FixMode, is_fixable

#: Longest stretch of a source line shown; longer lines are cut around the finding.
EXCERPT_WIDTH = 120

BOLD, RED, BLUE, CYAN, RESET = "\x1b[1m", "\x1b[31m", "\x1b[34m", "\x1b[36m", "\x1b[0m"


def printable(text: str) -> str:
    """`text` with control characters (other than tabs) and the Unicode line and
    paragraph separators (which split lines for Python, JavaScript, editors)
    escaped, as `\\x1b` and `\\u2028`: one finding stays one line."""
    if text.isprintable():
        return text
    return "".join(
        c if c == "\t" or (unicodedata.category(c)[0] != "C" and c not in "\u2028\u2029")
        else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_finding(finding: Finding, color: bool = False) -> str:
    """The first line of a finding, `path:line:col: CODE message`."""
    d = finding.diagnostic
    where = f"{printable(finding.path)}:{d.line}:{d.column + 1}:"
    code = f"{BOLD}{RED}{d.code}{RESET}" if color else d.code
    return f"{BOLD + where + RESET if color else where} {code} {printable(d.message)}"


def excerpt(finding: Finding, color: bool = False) -> List[str]:
    """The source line under a gutter, a caret line under the finding, and its fix."""
    d = finding.diagnostic
    text = finding.source_line
    if not text.strip():
        return []
    start = min(d.column, len(text))
    end = d.span.end_column if d.span.end_line == d.line else len(text.rstrip())
    end = max(min(end, len(text)), start + 1)
    if len(text) > EXCERPT_WIDTH:  # a long (minified, generated) line: cut around the finding
        left = max(0, min(start - 20, len(text) - EXCERPT_WIDTH))
        right = left + EXCERPT_WIDTH
        prefix = ("..." if left else "") + text[left:start]
        marked = text[start:min(end, right)]
        rest = text[min(end, right):right] + ("..." if right < len(text) else "")
    else:
        prefix, marked, rest = text[:start], text[start:end], text[end:]
    prefix, marked, rest = printable(prefix), printable(marked), printable(rest)
    # the caret line copies the prefix's tabs, so it lines up however wide a tab is
    pad = "".join(c if c == "\t" else " " * _width(c) for c in prefix)
    carets = "^" * max(1, _width(marked))
    number = str(d.line)
    gutter = " " * len(number)
    bar = f"{BLUE}|{RESET}" if color else "|"
    lines = [
        f" {gutter} {bar}",
        f" {BLUE + number + RESET if color else number} {bar} {prefix}{marked}{rest}",
        f" {gutter} {bar} {pad}{RED + BOLD + carets + RESET if color else carets}",
    ]
    fix = d.fix
    if fix is not None:
        how = "safe fix" if fix.applicability is Applicability.SAFE else "unsafe fix, needs --unsafe-fixes"
        help_text = f"= fix: {printable(fix.title)} ({how})"
        lines.append(f" {gutter} {CYAN + help_text + RESET if color else help_text}")
    return lines


class TextReporter(Reporter):
    #: Show the source line and caret under each finding.
    full = True

    def write(self, report: Report, out: TextIO) -> None:
        if report.statistics:
            width = max((len(str(count)) for _, _, count, _ in report.counts()), default=1)
            for code, name, count, fixable in report.counts():
                marker = "  [fixable]" if fixable else ""
                out.write(f"{count:>{width}}  {code}  {name}{marker}\n")
        elif report.fix_mode is not FixMode.DIFF:  # with --diff, the diff is the output
            for finding in report.findings():
                out.write(format_finding(finding, self.color) + "\n")
                context = excerpt(finding, self.color) if self.full else []
                for line in context:
                    out.write(line + "\n")
                if context:
                    out.write("\n")
        if report.show_fixes and report.fix_mode is not FixMode.REPORT:
            fixed = report.fixed()
            verb = "Would fix" if report.fix_mode is FixMode.DIFF else "Fixed"
            if fixed:
                out.write(f"{verb} {plural(len(fixed), 'problem')}:\n")
            for finding in fixed:
                d = finding.diagnostic
                title = d.fix.title if d.fix else d.message
                out.write(f"  {printable(finding.path)}:{d.line}:{d.column + 1}: {d.code} {printable(title)}\n")
        if not report.quiet:
            line = summary(report)
            out.write((BOLD + line + RESET if self.color else line) + "\n")


class ConciseReporter(TextReporter):
    """One line per finding, as flake8 prints them."""

    full = False


def summary(report: Report) -> str:
    """One line: what was found, and what was or can be fixed."""
    findings = report.findings()
    fixed = report.fixed()
    files = len({f.path for f in findings} | {f.path for f in fixed})
    if report.fix_mode is FixMode.DIFF:
        if not fixed:
            return "No fixes to apply" + (f"; {plural(len(findings), 'problem')} remaining" if findings else "")
        return (
            f"Would fix {plural(len(fixed), 'problem')} in {plural(len({f.path for f in fixed}), 'file')}"
            f" ({len(findings)} remaining)"
        )
    if not findings and not fixed:  # not "passed" when a path was missing or unreadable
        return f"No problems found in what could be checked; {plural(len(report.errors), 'error')}" if report.errors else "All checks passed"
    found = f"Found {plural(len(findings) + len(fixed), 'problem')} in {plural(files, 'file')}"
    if report.fix_mode is FixMode.FIX:
        return f"{found} ({len(fixed)} fixed, {len(findings)} remaining)"
    notes: List[str] = []
    safe = sum(1 for f in findings if is_fixable(f.diagnostic, report.unsafe_fixes))
    unsafe = sum(1 for f in findings if is_fixable(f.diagnostic, True)) - safe
    if safe:
        notes.append(f"{safe} fixable with --fix" + (" --unsafe-fixes" if report.unsafe_fixes else ""))
    if unsafe:
        notes.append(f"{unsafe} {'more ' if safe else ''}with --fix --unsafe-fixes")
    return found + (f" ({', '.join(notes)})" if notes else "")
