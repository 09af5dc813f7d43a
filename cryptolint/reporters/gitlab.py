"""GitLab Code Quality: the JSON array a `codequality` report artifact holds.

Each issue has what GitLab reads: `description`, `check_name`, a
`fingerprint` unique in the report (GitLab compares the fingerprints of two
pipelines to say which findings a merge request adds or fixes, so it does not
depend on the line number), `severity` (`info`, `minor`, `major`,
`critical` or `blocker`) and `location.path` (relative to the project root,
i.e. where cryptolint ran) with `location.lines.begin`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, TextIO

from cryptolint.diagnostic import Level
from cryptolint.registry import Severity
from cryptolint.reporters import Finding, Report, Reporter, clean

#: GitLab's words for the rule's severity (`rule.Rule.severity`); GitLab's
#: `blocker` is left for what a team decides itself.
SEVERITIES = {Severity.CRITICAL: "critical", Severity.HIGH: "major", Severity.MEDIUM: "minor", Severity.LOW: "info"}
#: Findings the auditor's mode adds below the rules' own level.
BELOW_ERROR = {Level.WARNING: "minor", Level.NOTE: "info"}


def severity(finding: Finding) -> str:
    below = BELOW_ERROR.get(finding.diagnostic.level)
    if below is not None:
        return below
    rule = finding.rule
    return SEVERITIES[rule.severity] if rule is not None else "major"


def issue(finding: Finding) -> Dict[str, Any]:
    d = finding.diagnostic
    path = clean(finding.path)
    # the baseline's fingerprint leaves the path out; GitLab's must be unique in the whole report
    fingerprint = hashlib.sha256(f"{path}\0{finding.fingerprint}".encode("utf-8")).hexdigest()
    return {
        "type": "issue",
        "engine_name": "cryptolint",
        "check_name": d.code,
        "description": f"{d.code} {clean(d.message)}",
        "categories": ["Security"],
        "fingerprint": fingerprint,
        "severity": severity(finding),
        "location": {
            "path": path,
            "lines": {"begin": max(d.span.line, 1), "end": max(d.span.end_line, d.span.line, 1)},
        },
    }


class GitlabReporter(Reporter):
    def write(self, report: Report, out: TextIO) -> None:
        json.dump([issue(finding) for finding in report.findings()], out, indent=2, ensure_ascii=False)
        out.write("\n")
