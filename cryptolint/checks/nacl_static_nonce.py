"""CRY608: a constant or reused nonce given to PyNaCl's `encrypt`.

The same analysis as CRY501 (constant nonces) and CRY502 (reused nonces),
run on PyNaCl's calls only (`apis.PYNACL_NONCE_APIS`); those two rules leave
PyNaCl to this one, so that a finding carries the library's own advice: its
`encrypt(message)` makes a fresh nonce itself and returns it with the
ciphertext.
"""

from __future__ import annotations

import ast
from typing import Tuple, Union

from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._constant_nonces import ConstantNonces
from cryptolint.checks._reused_nonces import ReusedNonces
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability


class NaclStaticNonce(Check):
    CODE = "CRY608"
    NAME = "nacl-static-nonce"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "PyNaCl's `encrypt` (`SecretBox`, `Box`, `Aead`, `nacl.bindings`) is given a constant or reused nonce."
    MESSAGE = "A constant or reused nonce is given to PyNaCl; pass no nonce, so that `encrypt` makes a fresh one"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
    CWE = (323, 329)
    TRIGGERS = ("nacl",)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._parts: Tuple[Union[ConstantNonces, ReusedNonces], ...] = (ConstantNonces(self, pynacl=True), ReusedNonces(self, pynacl=True))

    def visit_Call(self, node: ast.Call) -> None:
        for part in self._parts:
            part.visit_Call(node)

    def finish(self) -> None:
        for part in self._parts:
            part.finish()
            self.diagnostics.extend(part.diagnostics)
