"""What the engine needs to know about the user's choices, already validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet, Optional, Tuple

from cryptolint.policy import DEFAULT_POLICY, Policy


@dataclass(frozen=True)
class Settings:
    """Validated settings: rule selection, policy and name lists.

    `select` of None means the default set (every rule that is on by default).
    Codes and prefixes are matched the ruff way: the most specific matching
    entry wins, and `ignore` wins a tie.
    """

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    policy: Policy = DEFAULT_POLICY
    #: Extra identifier words that mean secrets (`["hush"]`).
    secret_names: FrozenSet[str] = frozenset()
    #: Words that never mean secrets, even when they look like one.
    not_secret_names: FrozenSet[str] = frozenset()
    #: Run every rule in test code too (off: the rules whose findings are
    #: fixtures there, such as literal passwords, skip test code).
    all_rules_in_tests: bool = False
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = field(default=())
    #: Protocols the checked package implements (`cryptolint.protocols`):
    #: findings of rules marked for them become notes.
    protocols: FrozenSet[str] = frozenset()
    #: Honour bandit's `# nosec` and ruff's `# noqa: Snnn` comments (cryptolint.suppression).
    honour_nosec: bool = False
    #: Report `# noqa` codes that suppress nothing, as CRY003.
    report_unused_noqa: bool = False
    #: The oldest Python the checked project supports (None: unknown): no fix
    #: is offered that needs a newer one (`secrets` needs 3.6).
    target_version: Optional[Tuple[int, int]] = None

    def is_enabled(self, code: str, default_enabled: bool = True) -> bool:
        """Whether the rule `code` runs under these settings."""
        best_len = -1
        enabled = False
        positive = (
            list(self.select) if self.select is not None else []
        ) + list(self.extend_select)
        if self.select is None and default_enabled:
            best_len, enabled = 0, True
        for prefix in positive:
            if _matches(code, prefix) and _weight(prefix) > best_len:
                # Rules off by default are turned on only by their full code
                # or by the `strict` policy.
                if default_enabled or prefix == code or self.policy.strict:
                    best_len, enabled = _weight(prefix), True
        for prefix in self.ignore:
            if _matches(code, prefix) and _weight(prefix) >= best_len:
                best_len, enabled = _weight(prefix), False
        if code.startswith("CRY0") and not any(_matches(code, p) for p in self.ignore):
            return True
        return enabled


def _matches(code: str, prefix: str) -> bool:
    return prefix.upper() in ("ALL",) or code.startswith(prefix.upper())


def _weight(prefix: str) -> int:
    return 0 if prefix.upper() == "ALL" else len(prefix)
