"""CRY501: a constant nonce or IV given to an encryption (the detection: `_constant_nonces`)."""

from __future__ import annotations

import ast

from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._constant_nonces import ConstantNonces
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability


class StaticNonce(Check):
    CODE = "CRY501"
    NAME = "static-nonce"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "A constant nonce or IV (a literal, `bytes(12)`, a module constant) is given to an encryption."
    MESSAGE = "A constant nonce is used to encrypt; make a fresh `os.urandom(12)` for every encryption"
    #: Known-answer tests use fixed nonces on purpose.
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
    CWE = (323, 329, 1204)
    #: Every API it knows lives in `cryptography`, `Crypto` or `Cryptodome`.
    TRIGGERS = ("crypto",)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.part = ConstantNonces(self, pynacl=False)
        self.diagnostics = self.part.diagnostics

    def visit_Call(self, node: ast.Call) -> None:
        self.part.visit_Call(node)

    def finish(self) -> None:
        self.part.finish()
