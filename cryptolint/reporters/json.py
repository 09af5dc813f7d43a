"""A JSON array of findings (1-based line and column, end exclusive)."""

from __future__ import annotations

import json
from typing import Any, Dict, TextIO

from cryptolint.reporters import Finding, Report, Reporter


def finding_to_json(finding: Finding) -> Dict[str, Any]:
    d = finding.diagnostic
    fix = None
    if d.fix is not None:
        fix = {"applicability": d.fix.applicability.value, "title": d.fix.title}
    return {
        "path": finding.path,
        "line": d.span.line,
        "column": d.span.column + 1,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column + 1,
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "fix": fix,
        "level": d.level.value,
    }


class JsonReporter(Reporter):
    def write(self, report: Report, out: TextIO) -> None:
        if report.statistics:
            data: Any = [
                {"code": code, "name": name, "count": count, "fixable": fixable}
                for code, name, count, fixable in report.counts()
            ]
        else:
            data = [finding_to_json(f) for f in report.findings()]
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
