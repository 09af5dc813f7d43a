"""SARIF 2.1.0, as GitHub code scanning and other SAST dashboards read it.

* `tool.driver.rules` describes every rule: its page as help (text and
  markdown) and `helpUri`, and in `properties` the `security-severity`
  score, `precision` and tags (`security`, `external/cwe/cwe-NNN`) that
  GitHub uses to rank and filter alerts.
* Each result points at its region (1-based lines and columns, columns in
  Unicode code points, `endColumn` one past the last character) in a file
  named relative to `%SRCROOT%` (the directory cryptolint ran in), carries a
  `partialFingerprints` entry that does not depend on the line number (the
  baseline's fingerprint, `cryptolint.baseline`), its `level` (error, or
  warning/note for what only the auditor's mode adds), and, when the rule
  offers a fix, the fix as SARIF replacements.
* Problems that stopped a file from being checked are tool notifications,
  and make `executionSuccessful` false.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, TextIO
from urllib.parse import quote

from cryptolint import __version__
from cryptolint.catalog import HOMEPAGE, page_text, page_url, section
from cryptolint.diagnostic import Applicability, Span
from cryptolint.registry import Rule, all_rules
from cryptolint.reporters import Finding, Report, Reporter, clean
from cryptolint.reporters._fixes import FixText

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: The key of our entry in `partialFingerprints` (the baseline's fingerprint, `cryptolint.baseline`).
FINGERPRINT_KEY = "cryptolint/v1"
SRCROOT = "%SRCROOT%"

def tags(rule: Rule) -> List[str]:
    """Tags as GitHub reads them: `security` marks a security alert; CWEs as `external/cwe/cwe-NNN`."""
    found = [rule.category]
    if rule.security_severity is not None:
        found = ["security", "cryptography", *found]
    return found + [f"external/cwe/cwe-{cwe:03d}" for cwe in rule.cwe]


def rule_descriptor(rule: Rule) -> Dict[str, Any]:
    page = page_text(rule)
    what = section(page, "What it does") or rule.summary
    # the whole page once, as markdown; a shorter plain text (SARIF wants one) to keep the log small
    text = "\n\n".join(filter(None, [what, section(page, "Why is this bad"), f"See {page_url(rule)}"]))
    properties: Dict[str, Any] = {"tags": tags(rule), "precision": "medium" if rule.heuristic else "high"}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what},
        "help": {"text": text, "markdown": page},
        "helpUri": page_url(rule),
        "defaultConfiguration": {"enabled": rule.default_enabled, "level": "error"},
        "properties": properties,
    }


def artifact_location(path: str) -> Dict[str, str]:
    """A relative path against `%SRCROOT%`, an absolute one as a `file:` URI; percent-encoded
    from the name's bytes, so an undecodable file name is still named exactly."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:
        raw = clean(path).encode("utf-8")
    if os.path.isabs(path):
        return {"uri": "file://" + quote(raw, safe="/")}
    return {"uri": quote(raw, safe="/"), "uriBaseId": SRCROOT}


def region(span: Span) -> Dict[str, int]:
    """SARIF's region: 1-based, `endColumn` one past the last character, never before the start."""
    start = (max(span.line, 1), span.column + 1)
    end = max(start, (max(span.end_line, 1), span.end_column + 1))
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


class SarifReporter(Reporter):
    def write(self, report: Report, out: TextIO) -> None:
        rules = list(all_rules())
        index = {rule.code: number for number, rule in enumerate(rules)}
        results = []
        fix_makers: Dict[int, FixText] = {}
        for finding in report.findings():
            maker = fix_makers.setdefault(id(finding.lines), FixText(finding.lines))
            results.append(self.result(finding, index, maker))
        run: Dict[str, Any] = {
            "tool": {"driver": {
                "name": "cryptolint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [rule_descriptor(rule) for rule in rules],
            }},
            "invocations": [{
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": clean(error)}} for error in report.errors
                ],
            }],
            "originalUriBaseIds": {SRCROOT: {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        json.dump(log, out, indent=2, ensure_ascii=False)
        out.write("\n")

    def result(self, finding: Finding, index: Dict[str, int], fixes: FixText) -> Dict[str, Any]:
        d = finding.diagnostic
        location = artifact_location(finding.path)
        result: Dict[str, Any] = {
            "ruleId": d.code,
            "level": d.level.value,
            "message": {"text": clean(d.message)},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": region(d.span)}}],
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        edits = fixes.edits(d.fix) if d.fix is not None and finding.lines else []
        if d.fix is not None and edits:
            safety = "safe" if d.fix.applicability is Applicability.SAFE else "unsafe"
            replacements = [
                {"deletedRegion": region(edit.span), "insertedContent": {"text": clean(edit.text)}} for edit in edits
            ]
            result["fixes"] = [{
                "description": {"text": f"{clean(d.fix.title)} ({safety} fix)"},
                "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
            }]
        return result
