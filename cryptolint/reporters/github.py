"""GitHub Actions workflow commands: one annotation per finding.

    ::error file=app/tokens.py,line=8,endLine=8,col=20,endColumn=43,title=CRY101::`random.choice` makes ...

The runner reads a command from the start of any line of the job's output,
so every value is escaped exactly as GitHub's toolkit does (`%`, `\\r`, `\\n`
in the message; also `:` and `,` in properties): a file name or a message
holding a newline, `%0A` or `::` cannot end the annotation or start another
command.  Nothing else is printed.
"""

from __future__ import annotations

from typing import TextIO

from cryptolint.diagnostic import Level
from cryptolint.reporters import Finding, Report, Reporter, clean

#: Annotation commands by the finding's level.
COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def escape_data(text: str) -> str:
    """The toolkit's `escapeData`: for the message after `::`."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The toolkit's `escapeProperty`: for `key=value` properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    d = finding.diagnostic
    span = d.span
    properties = {
        "file": clean(finding.path),
        "line": str(max(span.line, 1)),
        "endLine": str(max(span.end_line, span.line, 1)),
        "col": str(span.column + 1),
        "endColumn": str(max(span.end_column, span.column) + 1),
        "title": d.code,
    }
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[d.level]} {rendered}::{escape_data(clean(d.message))}"


class GithubReporter(Reporter):
    def write(self, report: Report, out: TextIO) -> None:
        for finding in report.findings():
            out.write(annotation(finding) + "\n")
