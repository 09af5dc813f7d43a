"""`cryptolint rules` and `cryptolint rule CODE`: the catalogue, for people.

Rule pages live in the repository's `rules/` directory; the wheel carries
them as `cryptolint/_rules` (see pyproject.toml), so an installed package
finds them there and a source checkout finds `../rules`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

from cryptolint.registry import Rule, all_rules, rule_by_code

PACKAGE_DIR = Path(__file__).resolve().parent
PAGE_DIRS = (PACKAGE_DIR / "_rules", PACKAGE_DIR.parent / "rules")
#: Where the project lives; rule pages are linked below it (SARIF `helpUri`).
HOMEPAGE = "https://github.com/cryptolint/cryptolint"


def page_path(rule: Rule) -> Optional[Path]:
    """The rule's page, if one is installed or in the source tree."""
    for directory in PAGE_DIRS:
        candidate = directory / f"{rule.code}-{rule.name}.md"
        if candidate.is_file():
            return candidate
    return None


def explain(code: str) -> Optional[str]:
    """The text `cryptolint rule CODE` prints, or None for an unknown code."""
    rule = rule_by_code(code.strip().upper())
    return None if rule is None else page_text(rule)


def page_text(rule: Rule) -> str:
    """The rule's page; for a rule without one (the tool's own), a short stand-in."""
    page = page_path(rule)
    if page is not None:
        return page.read_text(encoding="utf-8")
    fix = f"\nFix: {rule.fix.value}.\n" if rule.fix else ""
    return f"# {rule.code}: {rule.name}\n\n{rule.summary}\n{fix}"


def page_url(rule: Rule) -> str:
    """Where the rule's page is published (the README's rule table for the tool's own)."""
    if page_path(rule) is None:
        return f"{HOMEPAGE}#rules"
    return f"{HOMEPAGE}/blob/main/rules/{rule.code}-{rule.name}.md"


def section(page: str, title: str) -> Optional[str]:
    """The text of a page's `## title` section, code blocks included, or None."""
    match = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", page, re.M | re.S)
    return match.group(1).strip() if match else None


def _fix(rule: Rule) -> str:
    return rule.fix.value if rule.fix else "-"


def _protocols(rule: Rule) -> str:
    """The `protocol` marker: the protocols whose specifications fix what the rule reports."""
    return ", ".join(rule.protocols) if rule.protocols else "-"


def _default(rule: Rule) -> str:
    return "on" if rule.default_enabled else "off"


def rule_to_json(rule: Rule) -> Dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.category,
        "summary": rule.summary,
        "fix": rule.fix.value if rule.fix else None,
        "default_enabled": rule.default_enabled,
        "heuristic": rule.heuristic,
        "cwe": list(rule.cwe),
        "protocols": list(rule.protocols),
        "severity": rule.severity.value,
        "security_severity": rule.security_severity,
    }


def render_json() -> str:
    return json.dumps([rule_to_json(rule) for rule in all_rules()], indent=2) + "\n"


def render_text() -> str:
    header = ("CODE", "NAME", "FAMILY", "FIX", "DEFAULT", "SUMMARY")
    rows = [header] + [(r.code, r.name, r.category, _fix(r), _default(r), r.summary) for r in all_rules()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        lines.append("  ".join(cells + [row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def render_markdown() -> str:
    """The README's rule table (codes link to their pages in `rules/`)."""
    lines: List[str] = [
        "| Code | Name | Family | Fix | Default | Protocol | What it flags |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in all_rules():
        code = rule.code if rule.category == "tool" else f"[{rule.code}](rules/{rule.code}-{rule.name}.md)"
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| {code} | `{rule.name}` | {rule.category} | {_fix(rule)} | {_default(rule)} | {_protocols(rule)} | {summary} |")
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
