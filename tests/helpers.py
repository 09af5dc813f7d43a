"""Shared test helpers: rule pages, fixture markers, engine shortcuts."""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

from cryptolint.engine import lint_source
from cryptolint.registry import all_rules
from cryptolint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
FIXTURES_DIR = ROOT / "fixtures"

#: Every rule on, including those off by default, with the default policy.
ALL_ON = Settings(select=tuple(rule.code for rule in all_rules()))

_BLOCK = re.compile(r"^```python (bad|good|fixed)[^\n]*\n(.*?)^```", re.S | re.M)
_MARKER = re.compile(r"#\s*error:\s*((?:CRY\d{3}[\s,]*)+)")


@dataclass(frozen=True)
class Page:
    path: Path
    code: str
    name: str
    text: str
    blocks: Dict[str, List[str]]


def rule_pages() -> List[Page]:
    pages = []
    for path in sorted(RULES_DIR.glob("CRY*.md")):
        code, _, name = path.stem.partition("-")
        text = path.read_text(encoding="utf-8")
        blocks: Dict[str, List[str]] = {"bad": [], "good": [], "fixed": []}
        for kind, body in _BLOCK.findall(text):
            blocks[kind].append(body)
        pages.append(Page(path, code, name, text, blocks))
    return pages


def expected_markers(source: str) -> Set[Tuple[int, str]]:
    """(line, code) pairs marked with `# error: CRYnnn` in a fixture."""
    expected = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.search(line)
        if match:
            for code in re.findall(r"CRY\d{3}", match.group(1)):
                expected.add((number, code))
    return expected


def lint(source: str, path: str = "example.py", settings: Optional[Settings] = None) -> List[Tuple[int, int, str]]:
    """(line, column, code) of every diagnostic, with every rule on."""
    return [(d.line, d.column, d.code) for d in lint_source(source, path, settings or ALL_ON)]


def codes(source: str, path: str = "example.py", settings: Optional[Settings] = None) -> List[str]:
    return [code for _, _, code in lint(source, path, settings)]


def fixture_files() -> List[Path]:
    return sorted(
        p for p in FIXTURES_DIR.rglob("*.py")
        if not p.name.endswith(".fixed.py") and "projects" not in p.relative_to(FIXTURES_DIR).parts
    )


class UpstreamNews(UserWarning):
    """A library offers a member cryptolint's tables do not list yet: knowledge
    to add, not a broken build.  `CRYPTOLINT_UPSTREAM_STRICT=1` (the run against
    the newest releases) turns it into a failure."""


def report_new_members(table: str, offered: Set[str], listed: Set[str]) -> None:
    """Warn (or, when strict, fail) about members of an installed library that
    the table named `table` does not know."""
    new = sorted(offered - listed)
    if not new:
        return
    message = f"{table}: the installed library offers {', '.join(new)}, which cryptolint does not list"
    if os.environ.get("CRYPTOLINT_UPSTREAM_STRICT") == "1":
        raise AssertionError(message)
    warnings.warn(UpstreamNews(message), stacklevel=2)
