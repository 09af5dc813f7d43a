"""CRY605: an HMAC made without naming its hash (`hmac.new(key, msg)`)."""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis import apis
from cryptolint.edits import rebuild_call, replace_value
from cryptolint.checks import _library_refs as refs
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix


class HmacMissingDigestmod(Check):
    CODE = "CRY605"
    NAME = "hmac-missing-digestmod"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "An HMAC is made without `digestmod`: MD5 before Python 3.8 (and in PyCryptodome), a `TypeError` since."
    MESSAGE = "`hmac.new` is called without `digestmod`; pass `digestmod=hashlib.sha256`"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (327, 328)
    TRIGGERS = ("hmac",)

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        default = apis.HMAC_DEFAULT_HASHES.get(name or "")
        api = apis.KEYED_APIS.get(name or "")
        if default is None or api is None or name is None:
            return  # tests check that the call without a hash raises
        if not self._missing(node, api):
            return
        algorithm, removed_in = default
        spelled = wf.callee(self.ctx, node, name)
        callee = f"`{spelled}`" + (f" (`{name}`)" if spelled != name else "")
        if name.startswith("hmac."):
            wanted = "hashlib.sha256"
            spelled_as = refs.spell(self.ctx, node, wanted, prefer_module=True)
            problem = f"{callee} without `digestmod` raises `TypeError` since Python {removed_in} and computed HMAC-MD5 before"
        else:
            wanted = f"{name.split('.')[0]}.Hash.SHA256"
            spelled_as = refs.spell(self.ctx, node, wanted, prefer_module=False)
            problem = f"{callee} without `digestmod` computes HMAC-{algorithm.upper()}, PyCryptodome's default"
        safer = spelled_as[0] if spelled_as is not None else wanted
        edit = self._edit(node, api, safer) if spelled_as is not None else None
        fix = None
        if edit is not None and spelled_as is not None and not refs.fixed_by_protocol(self.ctx, node):
            title = f"Pass `digestmod={safer}` (the MAC changes: every peer and stored value that checks it must follow)"
            fix = Fix(title, Applicability.UNSAFE, (edit,), add_imports=spelled_as[1])
        self.report(node, f"{problem}; pass `digestmod={safer}`", fix)

    def _missing(self, node: ast.Call, api: apis.Api) -> bool:
        """No `digestmod` (or `None`/`""`, which mean the same), and no
        `*args`/`**kwargs` that could hold one."""
        if wf.unpacks(node):
            return False
        expr = apis.argument(node, api, "digestmod")
        if expr is None:
            return True
        return isinstance(expr, ast.Constant) and expr.value in (None, "")

    def _edit(self, node: ast.Call, api: apis.Api, safer: str) -> Optional[Edit]:
        expr = apis.argument(node, api, "digestmod")
        if expr is not None:
            return replace_value(self.ctx, expr, safer)
        return rebuild_call(self.ctx, node, extra=(f"digestmod={safer}",))
