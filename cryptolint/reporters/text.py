"""`path:line:col: CODE message` lines (flake8's format), then a summary."""

from __future__ import annotations

from typing import List, TextIO

from cryptolint.reporters import Finding, Report, Reporter, plural
from cryptolint.runner import FixMode, is_fixable


def format_finding(finding: Finding) -> str:
    d = finding.diagnostic
    return f"{finding.path}:{d.line}:{d.column + 1}: {d.code} {d.message}"


class TextReporter(Reporter):
    def write(self, report: Report, out: TextIO) -> None:
        findings = report.findings()
        if report.statistics:
            width = max((len(str(count)) for _, _, count, _ in report.counts()), default=1)
            for code, name, count, fixable in report.counts():
                marker = "  [fixable]" if fixable else ""
                out.write(f"{count:>{width}}  {code}  {name}{marker}\n")
        elif report.fix_mode is not FixMode.DIFF:  # with --diff, the diff is the output
            for finding in findings:
                out.write(format_finding(finding) + "\n")
        if report.show_fixes and report.fix_mode is not FixMode.REPORT:
            fixed = report.fixed()
            verb = "Would fix" if report.fix_mode is FixMode.DIFF else "Fixed"
            if fixed:
                out.write(f"{verb} {plural(len(fixed), 'problem')}:\n")
            for finding in fixed:
                d = finding.diagnostic
                title = d.fix.title if d.fix else d.message
                out.write(f"  {finding.path}:{d.line}:{d.column + 1}: {d.code} {title}\n")
        if not report.quiet:
            out.write(summary(report) + "\n")


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
    if not findings and not fixed:
        return "All checks passed"
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
