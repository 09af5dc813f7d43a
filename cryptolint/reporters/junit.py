"""JUnit XML, as CI systems (GitLab, Jenkins, Azure, CircleCI) show test results.

One `<testsuite name="cryptolint">` inside `<testsuites>`.  Each finding is a
failed `<testcase>` (classname: the file, name: code and position, `file`
and `line` attributes) whose `<failure>` holds the code as `type`, the
message, and the flake8-style line as text; each file checked without
findings is a passing test case; a file that could not be checked is an
`<error>`.  Characters XML 1.0 cannot carry are replaced, so the file is
always well-formed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from cryptolint.reporters import Report, Reporter, clean
from cryptolint.reporters.text import format_finding

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with what XML 1.0 forbids (control characters, lone surrogates) as U+FFFD."""
    return _NOT_XML.sub("\ufffd", clean(text))


class JunitReporter(Reporter):
    def write(self, report: Report, out: TextIO) -> None:
        suite = ET.Element("testsuite", name="cryptolint")
        failures = errors = 0
        with_findings = set()
        for finding in report.findings():
            d = finding.diagnostic
            with_findings.add(finding.path)
            case = ET.SubElement(
                suite, "testcase", classname=xml_text(finding.path),
                name=xml_text(f"{d.code} at {d.line}:{d.column + 1}"), file=xml_text(finding.path), line=str(d.line),
            )
            failure = ET.SubElement(case, "failure", message=xml_text(d.message), type=d.code)
            failure.text = xml_text(format_finding(finding))
            failures += 1
        for result in sorted(report.results, key=lambda r: r.display):
            if result.display not in with_findings and not result.errors:
                ET.SubElement(suite, "testcase", classname=xml_text(result.display), name="cryptolint",
                              file=xml_text(result.display))
        for message in report.errors:
            case = ET.SubElement(suite, "testcase", classname="cryptolint", name="cannot check")
            ET.SubElement(case, "error", message=xml_text(message), type="error").text = xml_text(message)
            errors += 1
        tests = len(suite)
        counts = {"tests": str(tests), "failures": str(failures), "errors": str(errors), "skipped": "0"}
        suite.attrib.update(counts)
        root = ET.Element("testsuites", {"name": "cryptolint", **counts})
        root.append(suite)
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")
