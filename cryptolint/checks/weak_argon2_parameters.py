"""CRY203: Argon2 (argon2-cffi) with too little memory or time, or the
Argon2i/Argon2d variant, for passwords."""

from __future__ import annotations

import ast
from fractions import Fraction
from typing import Dict, List, Mapping, Optional

from cryptolint.analysis import apis
from cryptolint.edits import replace_value
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix, Import
from cryptolint.policy import Policy

_ARGON2_KINDS = frozenset({"argon2-hasher", "argon2-hash"})
#: The fix's target: argon2-cffi's defaults, RFC 9106's low-memory profile.
_RFC_9106: Mapping[str, object] = apis.PASSWORD_HASH_APIS["argon2.PasswordHasher"].facts["defaults"]  # type: ignore[assignment]
_RFC_PROFILE = "RFC_9106_LOW_MEMORY"
#: OWASP trades memory for passes down to 7 MiB (at t=5) from its 19 MiB
#: base (at t=2); below that share of the policy's memory, more passes no
#: longer make up for it.
_LOWEST_MEMORY_SHARE = Fraction(7, 19)
_VARIANTS = {"i": "Argon2i", "d": "Argon2d", "id": "Argon2id"}
_PARAMS = ("time_cost", "memory_cost", "parallelism")


def required_memory(policy: Policy, time_cost: int) -> int:
    """The least `memory_cost` (KiB) that passes with `time_cost` passes.

    The policy's pair (m, t) fixes a memory-time product m*t.  With fewer
    passes the memory must keep that product (t=1 needs 2m).  With more
    passes it may fall to m*t/passes rounded down to whole MiB (OWASP's
    equivalent settings: 19 MiB/t=2, 12 MiB/t=3, 9 MiB/t=4, 7 MiB/t=5), but
    never below 7/19 of the policy's memory.
    """
    memory, passes = policy.argon2_memory_kib, policy.argon2_time_cost
    product = memory * passes
    if time_cost <= passes:
        return -(-product // max(time_cost, 1))
    floor = _whole_mib(int(memory * _LOWEST_MEMORY_SHARE))
    return max(_whole_mib(product // time_cost), floor)


def _whole_mib(kib: int) -> int:
    return kib - kib % 1024 if kib >= 1024 else kib


def shortfalls(policy: Policy, time_cost: int, memory_cost: int, parallelism: int) -> List[str]:
    """What is below the policy, in words; empty when the setting passes."""
    problems = []
    need = required_memory(policy, time_cost)
    if memory_cost < need:
        problems.append(f"the minimum `memory_cost={need}` at `time_cost={time_cost}`")
    if parallelism < policy.argon2_parallelism:
        problems.append(f"the minimum `parallelism={policy.argon2_parallelism}`")
    return problems


class WeakArgon2Parameters(Check):
    CODE = "CRY203"
    NAME = "weak-argon2-parameters"
    CATEGORY = "passwords-and-hashing"
    SUMMARY = "Argon2 runs with less memory or time than RFC 9106/OWASP advise, or as Argon2i/Argon2d for passwords."
    MESSAGE = "Argon2 parameters are below the configured minimum; use argon2-cffi's defaults"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
    CWE = (916,)
    TRIGGERS = ("argon2",)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            self._profile(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._profile(node)

    # ----------------------------------------------------------- calls
    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        api = apis.PASSWORD_HASH_APIS.get(name) if name else None
        if api is None or name is None or api.kind not in _ARGON2_KINDS:
            return
        defaults: Mapping[str, object] = api.facts.get("defaults", {})  # type: ignore[assignment]
        secret = apis.argument(node, api, "password")
        if not wf.high_entropy_input(self.ctx, secret):
            items = [wf.setting(self.ctx, node, api, role, _int(defaults.get(role))) for role in _PARAMS]
            if all(item is not None for item in items):
                self._parameters(node, name, items)  # type: ignore[arg-type]
        self._variant(node, name, api, defaults, secret)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """`class Cheap(Argon2PasswordHasher): memory_cost = 1024` (Django)."""
        hasher = wf.django_hasher(self.ctx, node, frozenset({"argon2-hasher"}))
        if hasher is None or any(role not in hasher.settings for role in _PARAMS):
            return
        items = [hasher.settings[role] for role in _PARAMS]
        self._parameters(node, hasher.api.name, items, hasher.describe(self.ctx, items))

    def _parameters(self, node: ast.AST, name: str, items: List[wf.Setting], described: Optional[str] = None) -> None:
        time_cost, memory_cost, parallelism = (item.value for item in items)
        if time_cost < 1:
            return
        problems = shortfalls(self.ctx.policy, time_cost, memory_cost, parallelism)
        if not problems:
            return
        changes = self._raised(items)
        fix = self._fix(name, items, changes)
        if fix is None:
            # No edit reaches the policy: name the least that would.
            changes = {"memory_cost": max(memory_cost, required_memory(self.ctx.policy, time_cost))}
            if parallelism < self.ctx.policy.argon2_parallelism:
                changes["parallelism"] = self.ctx.policy.argon2_parallelism
        wanted = ", ".join(f"{role}={value}" for role, value in changes.items())
        if described is None:
            assert isinstance(node, ast.Call)
            described = wf.describe(self.ctx, node, name, items)
            if all(item.is_default for item in items):
                described += " with its defaults"
        message = f"{described} is below {' and '.join(problems)}; use `{wanted}`"
        by_role = dict(zip(_PARAMS, items))
        target = next(
            (by_role[r].expr for r in ("memory_cost", "time_cost", "parallelism") if r in changes and by_role[r].expr is not None),
            None,
        )
        self.report(target if target is not None else node, message, fix)

    def _raised(self, items: List[wf.Setting]) -> Dict[str, int]:
        """Time and memory given below RFC 9106's profile raised to it, and a
        parallelism below the policy raised to the profile's (or the policy's).
        Omitted settings keep their defaults (the fix edits arguments only)."""
        changes: Dict[str, int] = {}
        for role, item in zip(_PARAMS, items):
            rfc = _int(_RFC_9106[role]) or 0
            if role == "parallelism":
                if item.value < self.ctx.policy.argon2_parallelism:
                    changes[role] = max(rfc, self.ctx.policy.argon2_parallelism)
            elif item.value < rfc and not item.is_default:
                changes[role] = rfc
        return changes

    def _fix(self, name: str, items: List[wf.Setting], changes: Dict[str, int]) -> Optional[Fix]:
        values = {role: changes.get(role, item.value) for role, item in zip(_PARAMS, items)}
        if not changes or shortfalls(self.ctx.policy, values["time_cost"], values["memory_cost"], values["parallelism"]):
            return None
        edits: List[Edit] = []
        for role, item in zip(_PARAMS, items):
            if role in changes:
                if item.target is None:
                    return None
                edits.append(replace_value(self.ctx, item.target, str(changes[role])))
        # Encoded hashes carry their parameters; raw output is a derived key.
        raw = name.endswith("_raw")
        return Fix(
            title="Use RFC 9106's low-memory parameters" if len(changes) > 1 else f"Use `{next(iter(changes))}={next(iter(changes.values()))}`",
            applicability=Applicability.UNSAFE if raw else Applicability.SAFE,
            edits=tuple(edits),
        )

    def _variant(self, node: ast.Call, name: str, api: apis.Api, defaults: Mapping[str, object], secret: Optional[ast.expr]) -> None:
        expr = apis.argument(node, api, "type")
        if expr is None:
            if wf.unpacks(node):
                return
            variant = defaults.get("type")
        else:
            variant = apis.ARGON2_TYPES.get(self.ctx.resolve(expr) or "")
        if variant not in ("i", "d"):
            return
        if name.endswith("hash_secret_raw"):
            # A raw hash is a KDF; only a password input makes the variant wrong.
            role = self.ctx.flows.role_of(secret)
            if role is None or not role.is_password:
                return
        label = _VARIANTS[str(variant)]
        display = wf.callee(self.ctx, node, name)
        fix: Optional[Fix] = None
        if expr is None:
            message = f"`{display}` hashes with {label} by default, not Argon2id; use `argon2.PasswordHasher`"
        else:
            spelled = self.ctx.spelled(expr)
            message = f"`{display}(type={spelled})` hashes with {label}, not Argon2id; use `Type.ID`"
            if api.kind == "argon2-hasher" and isinstance(expr, ast.Attribute) and expr.attr in ("I", "D"):
                fix = Fix(
                    title="Use `Type.ID`",
                    applicability=Applicability.UNSAFE,
                    edits=(Edit(self.ctx.span(expr), "{0}.ID", (self.ctx.span(expr.value),)),),
                )
        self.report(expr if expr is not None else node.func, message, fix)

    # -------------------------------------------------------- profiles
    def _profile(self, node: ast.AST) -> None:
        short = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        if not any(p.endswith("." + short) for p in apis.ARGON2_PROFILES):
            return
        qualname = self.ctx.resolve(node)
        values = apis.ARGON2_PROFILES.get(qualname or "")
        if values is None or qualname is None:
            return
        time_cost, memory_cost, parallelism = values
        problems = shortfalls(self.ctx.policy, time_cost, memory_cost, parallelism)
        if not problems:
            return
        spelled = self.ctx.spelled(node)
        message = (
            f"`{spelled}` (`time_cost={time_cost}, memory_cost={memory_cost}`) is below "
            f"{' and '.join(problems)}; use `{_RFC_PROFILE}`"
        )
        self.report(node, message, self._profile_fix(node))

    def _profile_fix(self, node: ast.AST) -> Optional[Fix]:
        t, m, p = apis.ARGON2_PROFILES[f"argon2.profiles.{_RFC_PROFILE}"]
        if shortfalls(self.ctx.policy, t, m, p):
            return None
        title = f"Use `{_RFC_PROFILE}`"
        if isinstance(node, ast.Attribute):
            edit = Edit(self.ctx.span(node), "{0}." + _RFC_PROFILE, (self.ctx.span(node.value),))
            return Fix(title=title, applicability=Applicability.SAFE, edits=(edit,))
        if isinstance(node, ast.Name):
            return Fix(
                title=title,
                applicability=Applicability.SAFE,
                edits=(Edit(self.ctx.span(node), _RFC_PROFILE),),
                add_imports=(Import("argon2.profiles", _RFC_PROFILE),),
                remove_imports=(Import("argon2.profiles", node.id),),
            )
        return None


def _int(value: object) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
