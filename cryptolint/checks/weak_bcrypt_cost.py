"""CRY202: a bcrypt cost (`rounds`) below the policy's minimum."""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis import apis
from cryptolint.edits import rebuild_call, replace_value
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix

#: `PASSWORD_HASH_APIS` kinds that make a bcrypt hash (or its salt, which
#: carries the cost) and take the log2 cost as `rounds`.  `bcrypt.kdf` is not
#: one: its `rounds` count linearly, on another scale.
_BCRYPT_KINDS = frozenset({"bcrypt-salt", "bcrypt-hash"})


class WeakBcryptCost(Check):
    CODE = "CRY202"
    NAME = "weak-bcrypt-cost"
    CATEGORY = "passwords-and-hashing"
    SUMMARY = "bcrypt's cost factor (`rounds`) is below the configured minimum."
    MESSAGE = "The bcrypt cost is below the configured minimum; raise `rounds`"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
    CWE = (916,)
    TRIGGERS = ("bcrypt", "blowfish")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._hasher_class(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if name is None:
            return
        api = apis.PASSWORD_HASH_APIS.get(name)
        if api is not None:
            if api.kind in _BCRYPT_KINDS and "rounds" in api.params:
                default = api.facts.get("default_rounds")
                item = wf.setting(self.ctx, node, api, "rounds", default if isinstance(default, int) else None)
                if item is not None:
                    self._check(node, name, item)
            return
        if name == "crypt.mksalt":
            self._crypt_blowfish(node, apis.CRYPT_CALLS[name])
            return
        handler = apis.passlib_handler(name)
        if handler is not None:
            if apis.PASSLIB_HANDLERS[handler[0]][0] == "bcrypt":
                for keyword in apis.PASSLIB_ROUNDS_KEYWORDS:
                    item = wf.keyword_setting(self.ctx, node, keyword)
                    if item is not None:
                        self._check(node, name, item)
            return
        if name in apis.PASSLIB_CONTEXTS:
            for kw in node.keywords:
                scheme, _, option = (kw.arg or "").partition("__")
                family = apis.PASSLIB_HANDLERS.get(scheme, ("", None))[0]
                if family == "bcrypt" and option in apis.PASSLIB_ROUNDS_KEYWORDS:
                    item = wf.keyword_setting(self.ctx, node, kw.arg or "")
                    if item is not None:
                        self._check(node, name, item)

    def _crypt_blowfish(self, node: ast.Call, api: apis.Api) -> None:
        """`crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)`: `rounds` is
        2**cost (CPython refuses any other value)."""
        method = apis.argument(node, api, "salt")
        item = wf.setting(self.ctx, node, api, "rounds")
        if method is None or self.ctx.resolve(method) != apis.CRYPT_BLOWFISH_METHOD or item is None or item.expr is None:
            return
        if item.value < 1 or item.value & (item.value - 1):
            return  # not a power of two: `mksalt` raises
        cost, minimum = item.value.bit_length() - 1, self.ctx.policy.bcrypt_rounds
        if cost < minimum:
            self.report(
                item.expr,
                f"`{self.ctx.spelled(node.func)}({wf.shown(self.ctx, item)})` gives bcrypt the cost `{cost}` "
                f"(`rounds` is 2**cost), below the minimum `{minimum}`; use `rounds={2 ** minimum}` or leave it out",
            )

    def _hasher_class(self, node: ast.ClassDef) -> None:
        """`class Fast(BCryptSHA256PasswordHasher): rounds = 10` (Django)."""
        hasher = wf.django_hasher(self.ctx, node, _BCRYPT_KINDS)
        item = hasher.settings.get("rounds") if hasher is not None else None
        if hasher is None or item is None or item.expr is None:
            return
        minimum = self.ctx.policy.bcrypt_rounds
        if item.value >= minimum:
            return
        message = f"{hasher.describe(self.ctx, [item])} is below the minimum cost `{minimum}`; use `{item.name} = {minimum}`"
        fix = Fix(f"Use `{item.name} = {minimum}`", Applicability.SAFE, (replace_value(self.ctx, item.expr, str(minimum)),))
        self.report(item.expr, message, fix)

    def _check(self, node: ast.Call, name: str, item: wf.Setting) -> None:
        minimum = self.ctx.policy.bcrypt_rounds
        if item.value >= minimum:
            return
        wanted = f"{item.name}={minimum}"
        described = wf.describe(self.ctx, node, name, [item])
        if item.is_default:
            message = f"{described} uses the default cost `{item.value}`, below the minimum `{minimum}`; use `{wanted}`"
        else:
            message = f"{described} is below the minimum cost `{minimum}`; use `{wanted}`"
        self.report(item.expr if item.expr is not None else node, message, self._fix(node, item, minimum))

    def _fix(self, node: ast.Call, item: wf.Setting, minimum: int) -> Optional[Fix]:
        edit: Optional[Edit]
        if item.target is not None:
            edit = replace_value(self.ctx, item.target, str(minimum))
        elif item.is_default:
            edit = rebuild_call(self.ctx, node, extra=(f"{item.name}={minimum}",))
        else:
            edit = None
        if edit is None:
            return None
        return Fix(title=f"Use `{item.name}={minimum}`", applicability=Applicability.SAFE, edits=(edit,))
