"""CRY504: a block cipher used in ECB mode."""

from __future__ import annotations

import ast
from typing import List

from cryptolint.analysis.names import split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._cipher_sites import CipherRule, ModeSite, safer
from cryptolint.checks._cipher_use import definition


class EcbMode(CipherRule, Check):
    CODE = "CRY504"
    NAME = "ecb-mode"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "A block cipher encrypts in ECB mode (`modes.ECB`, `AES.MODE_ECB`, pyDes's default), which leaks patterns."
    MESSAGE = "ECB mode leaks patterns in the plaintext; use `AESGCM`"
    #: An ECB cipher in a test helper ships with it, and is copied from it.
    TEST_CODE = TestCode.HELPERS
    CWE = (327,)
    PROTOCOLS = ("ntlm", "ms-rpc")

    def visit_Call(self, node: ast.Call) -> None:
        site = self.sites.mode(node)
        if site is None or site.mode != "ECB" or self.sites.only_reads(site):
            return
        if self._weak_cipher_reported(site):
            return  # one finding per root cause: the weak cipher is CRY601's, and its fix (AES-GCM) ends ECB too
        inputs = self.sites.encrypted_inputs(site)
        if inputs and all(self._assembled(expr) for expr in inputs):
            return  # the raw block cipher inside another construction
        self.report(site.node, self._message(site))

    def _weak_cipher_reported(self, site: ModeSite) -> bool:
        weak = self.sites.weak_algorithm_of(site)
        return weak is not None and self.ctx.settings.is_enabled("CRY601") and not self.sites.decrypts_only(weak)

    def _assembled(self, expr: ast.expr) -> bool:
        """A single block put together from parts, so the cipher is a building
        block of a hand-written mode: `x ^ y` (CBC, CMAC), `a + r[i]` in AES
        key wrap's loop, `nonce + counter.to_bytes(4, "big")` in a hand-made
        CTR; directly or through a variable bound once.  A concatenation alone
        is no evidence: `padder.update(d) + padder.finalize()` is a whole
        padded message."""
        made = definition(self.ctx.module, expr)
        if isinstance(made, ast.BinOp) and isinstance(made.op, ast.BitXor):
            return True
        if isinstance(made, ast.BinOp) and isinstance(made.op, ast.Add):
            parts = _added(made)
            if any(self._padding(part) for part in parts):
                return False
            return self._in_loop(expr) or any(_block_part(definition(self.ctx.module, part)) for part in parts)
        if isinstance(made, ast.Call):
            func = made.func
            spelled = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            return "xor" in split_words(spelled)
        return False

    def _padding(self, part: ast.expr) -> bool:
        """`padder.update(d)`, `padder.finalize()`, `pad(data, 16)`: padded message bytes."""
        if not isinstance(part, ast.Call):
            return False
        name = self.ctx.call_name(part) or ""
        if "padding" in name.lower() or name.endswith((".pad", "Padding.pad")):
            return True
        func = part.func
        owner = func.value if isinstance(func, ast.Attribute) else None
        if isinstance(func, ast.Attribute) and func.attr in ("update", "finalize") and owner is not None:
            ident = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            return "pad" in ident.lower()
        return isinstance(func, ast.Name) and "pad" in split_words(func.id)

    def _in_loop(self, node: ast.AST) -> bool:
        for anc in self.ctx.module.ancestors(node):
            if isinstance(anc, (ast.For, ast.AsyncFor, ast.While, ast.comprehension, ast.ListComp, ast.GeneratorExp)):
                return True
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return False
        return False

    @staticmethod
    def _message(site: ModeSite) -> str:
        if site.node is site.call and site.library in ("pycrypto", "pydes"):
            what = f"{site.label} is ECB" + (" in PyCrypto" if site.library == "pycrypto" else "")
            return f"{what}, which leaks patterns in the plaintext; use {safer(site)}"
        return f"{site.label} leaks patterns in the plaintext; use {safer(site)}"


def _added(expr: ast.expr) -> List[ast.expr]:
    """The operands of a chain of `+`."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _added(expr.left) + _added(expr.right)
    return [expr]


def _block_part(part: ast.expr) -> bool:
    """A piece of one block: an item or slice (`r[i]`), or an integer made
    bytes (`counter.to_bytes(4, "big")`, `struct.pack(">I", i)`)."""
    if isinstance(part, ast.Subscript):
        return True
    if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Add):  # `b"\xa6\x59\x59\xa6" + n.to_bytes(4, "big")`
        return any(_block_part(p) for p in _added(part))
    if isinstance(part, ast.Call):
        func = part.func
        spelled = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return spelled in ("to_bytes", "pack", "long_to_bytes", "int_to_bytes")
    return False
