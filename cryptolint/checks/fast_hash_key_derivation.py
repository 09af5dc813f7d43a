"""CRY702: an encryption or MAC key made from a password with a fast hash."""

from __future__ import annotations

import ast

from cryptolint.analysis.flows import Sink
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._hash_sites import display_callee, feeds_slow_hash, key_sink, length_normalisation, pretty_algorithm, security_hash_site
from cryptolint.checks._password_values import display_name, password_leaves


class FastHashKeyDerivation(Check):
    CODE = "CRY702"
    NAME = "fast-hash-key-derivation"
    CATEGORY = "key-management"
    SUMMARY = "A key is made from a password with a fast hash (`sha256(password).digest()` used as a cipher, Fernet or HMAC key)."
    MESSAGE = "A key is made from a password with a fast hash, so guessing the password is cheap; derive it with a salted, slow KDF (`Scrypt`, `PBKDF2HMAC`)"
    TEST_CODE = TestCode.SKIP
    CWE = (916, 327)
    TRIGGERS = ("hashlib", "crypto")

    def visit_Call(self, node: ast.Call) -> None:
        site = security_hash_site(self.ctx, node)
        if site is None or site.data is None:
            return
        passwords = password_leaves(self.ctx, site.data)
        if not passwords or feeds_slow_hash(self.ctx, site) or length_normalisation(self.ctx, site, passwords[0]):
            return
        sink = key_sink(self.ctx, site)
        if sink is None:
            return
        iterations = self.ctx.policy.pbkdf2_minimum("sha256")
        message = (
            f"{display_callee(self.ctx, site)} turns the password `{display_name(self.ctx, passwords[0])}` into "
            f"{_describe(sink)} with one fast {pretty_algorithm(site.algorithm)}, so guessing the password is cheap; "
            f"derive it with a salted, slow KDF (`Scrypt`, or `PBKDF2HMAC` with {iterations:,} iterations) and store the salt"
        )
        self.report(node, message)


def _describe(sink: Sink) -> str:
    if sink.kind == "api" and sink.api is not None:
        return f"the key of `{sink.api.shown}`"
    return f"the key `{sink.name}`"
