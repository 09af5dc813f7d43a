"""The catalogue of rules, discovered by walking `cryptolint.checks`."""

from __future__ import annotations

import enum
import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, Optional, Tuple, Type

from cryptolint.diagnostic import Applicability

if TYPE_CHECKING:  # pragma: no cover - a cycle at run time
    from cryptolint.checks._base import Check

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
    #: Protocols whose specifications fix primitives this rule reports
    #: (see `cryptolint.protocols`): declared ones lower its findings to notes.
    protocols: Tuple[str, ...] = ()

    @property
    def security_severity(self) -> Optional[float]:
        """GitHub code scanning's `security-severity` (0.1-10); None for the tool's own rules."""
        return SECURITY_SEVERITY.get(self.code, SECURITY_SEVERITY.get(self.category))

    @property
    def severity(self) -> "Severity":
        """How bad a finding is; a file the tool could not check counts as high."""
        score = self.security_severity
        return Severity.HIGH if score is None else Severity.of_score(score)


class Severity(enum.Enum):
    """GitHub code scanning's buckets of `security-severity`; reporters map them to their levels."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @classmethod
    def of_score(cls, score: float) -> "Severity":
        if score >= 9.0:
            return cls.CRITICAL
        if score >= 7.0:
            return cls.HIGH
        return cls.MEDIUM if score >= 4.0 else cls.LOW


#: The one table of severities: a family's score, overridden by a rule's code.
#: Scores follow CodeQL's for the same weaknesses (weak crypto, predictable
#: randomness, hard-coded credentials: 7.5); a weak but not broken setting
#: (work factor, token or nonce length) or a timing leak is medium.
SECURITY_SEVERITY: Dict[str, float] = {
    "randomness": 7.5,
    "passwords-and-hashing": 7.5,
    "secrets-in-source": 7.5,
    "comparisons": 5.9,
    "nonces-and-modes": 7.5,
    "algorithms-and-key-sizes": 7.5,
    "key-management": 7.5,
    "CRY103": 5.9,  # short-token
    "CRY202": 5.9,  # weak-bcrypt-cost
    "CRY203": 5.9,  # weak-argon2-parameters
    "CRY204": 5.9,  # weak-pbkdf2-iterations
    "CRY503": 5.9,  # short-nonce
    "CRY506": 5.9,  # short-gcm-tag
}


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
def check_classes() -> Tuple[Type["Check"], ...]:
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
