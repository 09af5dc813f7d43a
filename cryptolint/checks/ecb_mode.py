"""CRY504: a block cipher used in ECB mode."""

from __future__ import annotations

import ast

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
        """A block put together from parts (`a + r[i]` in AES key wrap,
        `x ^ y` in CMAC, `nonce + counter` in a hand-made CTR), directly or
        through a variable bound once."""
        made = definition(self.ctx.module, expr)
        if isinstance(made, ast.BinOp):
            return isinstance(made.op, (ast.Add, ast.BitXor))
        if isinstance(made, ast.Call):
            func = made.func
            spelled = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            return "xor" in split_words(spelled)
        return False

    @staticmethod
    def _message(site: ModeSite) -> str:
        if site.node is site.call and site.library in ("pycrypto", "pydes"):
            what = f"{site.label} is ECB" + (" in PyCrypto" if site.library == "pycrypto" else "")
            return f"{what}, which leaks patterns in the plaintext; use {safer(site)}"
        return f"{site.label} leaks patterns in the plaintext; use {safer(site)}"
