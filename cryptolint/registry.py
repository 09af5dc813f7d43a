"""The catalogue of rules, discovered by walking `cryptolint.checks`.

The records themselves (`Rule`, `CATEGORIES`, severities, the tool's own
rules) live one layer down in `cryptolint.rule`, where the rule base class
reads them too; they are re-exported here.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Optional, Tuple, Type

from cryptolint import checks
from cryptolint.checks._base import Check
from cryptolint.rule import CATEGORIES, SECURITY_SEVERITY, TOOL_RULES, Rule, Severity

__all__ = [
    "CATEGORIES", "SECURITY_SEVERITY", "TOOL_RULES", "Rule", "Severity",
    "all_rules", "check_classes", "codes", "protocol_markers", "rule_by_code",
]


@lru_cache(maxsize=None)
def check_classes() -> Tuple[Type[Check], ...]:
    """Import every module of `cryptolint.checks` and return its checks, by code."""
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


@lru_cache(maxsize=None)
def protocol_markers() -> Dict[str, FrozenSet[str]]:
    """Rule code -> the protocols marked on it."""
    return {rule.code: frozenset(rule.protocols) for rule in all_rules() if rule.protocols}


def rule_by_code(code: str) -> Optional[Rule]:
    for rule in all_rules():
        if rule.code == code:
            return rule
    return None


def codes() -> Iterable[str]:
    return (rule.code for rule in all_rules())
