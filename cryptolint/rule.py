"""What the catalogue knows about a rule, as data: families, severities, the tool's own rules.

It sits below the rules and the registry alike: the rule base class
(`checks._base`) reads a family's code prefix from here, and the registry,
which imports every rule, lists them as `Rule` records.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

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
