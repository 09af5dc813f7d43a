"""The catalogue of rules, discovered by walking `cryptolint.checks`."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Iterable, Optional, Tuple, Type

from cryptolint.diagnostic import Applicability

#: Family ids, one per hundred of the code space (see ARCHITECTURE.md).
CATEGORIES: Dict[str, str] = {
    "tool": "CRY0",
    "randomness": "CRY1",
    "passwords-and-hashing": "CRY2",
    "secrets-in-source": "CRY3",
    "comparisons": "CRY4",
    "nonces-and-modes": "CRY5",
    "algorithms-and-key-sizes": "CRY6",
    "key-management": "CRY7",
}


@dataclass(frozen=True)
class Rule:
    """What the catalogue knows about one rule."""

    code: str
    name: str
    category: str
    summary: str
    default_enabled: bool
    fix: Optional[Applicability]
    heuristic: bool = False
    cwe: Tuple[int, ...] = ()
    severity: str = "error"


#: Rules of the tool itself; they have no check class.
TOOL_RULES: Tuple[Rule, ...] = (
    Rule(
        code="CRY001",
        name="syntax-error",
        category="tool",
        summary="The file could not be parsed, so it was not checked.",
        default_enabled=True,
        fix=None,
    ),
    Rule(
        code="CRY002",
        name="internal-error",
        category="tool",
        summary="A rule failed on this file; the other rules still ran.",
        default_enabled=True,
        fix=None,
    ),
    Rule(
        code="CRY003",
        name="unused-noqa",
        category="tool",
        summary="A `# noqa` (or honoured `# nosec`) code silences nothing; reported with `--report-unused-noqa`.",
        default_enabled=True,
        fix=None,
    ),
)


@lru_cache(maxsize=None)
def check_classes() -> Tuple[Type["Check"], ...]:  # noqa: F821 - defined in checks
    """Import every module of `cryptolint.checks` and return its checks, by code."""
    from cryptolint import checks
    from cryptolint.checks._base import Check

    found = []
    for info in pkgutil.iter_modules(checks.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"cryptolint.checks.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Check)
                and value is not Check
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return tuple(sorted(found, key=lambda cls: cls.CODE))


@lru_cache(maxsize=None)
def all_rules() -> Tuple[Rule, ...]:
    """Every rule, the tool's own first, sorted by code."""
    rules = list(TOOL_RULES)
    for cls in check_classes():
        rules.append(cls.rule())
    return tuple(sorted(rules, key=lambda rule: rule.code))


def rule_by_code(code: str) -> Optional[Rule]:
    for rule in all_rules():
        if rule.code == code:
            return rule
    return None


def codes() -> Iterable[str]:
    return (rule.code for rule in all_rules())
