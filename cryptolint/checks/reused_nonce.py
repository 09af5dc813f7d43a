"""CRY502: one nonce used for more than one encryption (the detection: `_reused_nonces`)."""

from __future__ import annotations

import ast

from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._reused_nonces import ReusedNonces
from cryptolint.context import Context


class ReusedNonce(Check):
    CODE = "CRY502"
    NAME = "reused-nonce"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "One nonce or IV is used for more than one encryption (made once, or passed twice without being renewed)."
    MESSAGE = "A nonce is used for more than one encryption; make a fresh `os.urandom(12)` for every encryption"
    TEST_CODE = TestCode.SKIP
    CWE = (323,)
    TRIGGERS = ("crypto", "nonce", "challenge", "confounder", "salt")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.part = ReusedNonces(self, pynacl=False)
        self.diagnostics = self.part.diagnostics

    def visit_Call(self, node: ast.Call) -> None:
        self.part.visit_Call(node)

    def visit_arguments(self, node: ast.arguments) -> None:
        self.part.visit_arguments(node)
