"""CRY702: an encryption or MAC key made from a password with a fast hash."""

from __future__ import annotations

import ast
from typing import Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._homemade_kdf import evp_chain, fast_keyed_hash, shaped_password
from cryptolint.checks._hash_sites import display_callee, feeds_slow_hash, key_sink, length_normalisation, pretty_algorithm, security_hash_site
from cryptolint.checks._password_values import display_name, password_leaves
from cryptolint.context import Context


class FastHashKeyDerivation(Check):
    CODE = "CRY702"
    NAME = "fast-hash-key-derivation"
    CATEGORY = "key-management"
    SUMMARY = "A key is made from a password with a fast hash (`sha256(password).digest()` used as a cipher, Fernet or HMAC key)."
    MESSAGE = "A key is made from a password with a fast hash, so guessing the password is cheap; derive it with a salted, slow KDF (`Scrypt`, `PBKDF2HMAC`)"
    TEST_CODE = TestCode.SKIP
    CWE = (916, 327)
    TRIGGERS = ("hashlib", "crypto", "hmac", "nacl")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._reported: Set[ast.Call] = set()

    def visit_Call(self, node: ast.Call) -> None:
        self._homemade(node)
        site = security_hash_site(self.ctx, node)
        if site is None or site.data is None:
            return
        passwords = password_leaves(self.ctx, site.data)
        if not passwords or feeds_slow_hash(self.ctx, site) or length_normalisation(self.ctx, site, passwords[0]):
            return
        if evp_chain(self.ctx, site):
            self.report(
                node,
                f"{display_callee(self.ctx, site)} chained in a loop over the password `{display_name(self.ctx, passwords[0])}` is "
                f"OpenSSL's `EVP_BytesToKey`: one fast {pretty_algorithm(site.algorithm)} per block, so guessing the password is cheap; "
                f"{self._slow_kdf()}",
            )
            return
        sink = key_sink(self.ctx, site)
        if sink is None:
            return
        message = (
            f"{display_callee(self.ctx, site)} turns the password `{display_name(self.ctx, passwords[0])}` into "
            f"{_describe(sink)} with one fast {pretty_algorithm(site.algorithm)}, so guessing the password is cheap; "
            f"{self._slow_kdf()}"
        )
        self.report(node, message)

    def _slow_kdf(self) -> str:
        iterations = self.ctx.policy.pbkdf2_minimum("sha256")
        return f"derive it with a salted, slow KDF (`Scrypt`, or `PBKDF2HMAC` with {iterations:,} iterations) and store the salt"

    # ------------------------------------------------- home-made KDFs
    def _homemade(self, call: ast.Call) -> None:
        """A cipher keyed with a password only padded or truncated, or with
        one HMAC or HKDF of it; an HKDF of a password anywhere."""
        name = self.ctx.call_name(call) or ""
        api = apis.KEYED_APIS.get(name)
        if api is not None and api.kind in apis.CIPHER_KEY_KINDS:
            key = apis.argument_or_keyword(call, api, "key")
            shaped = shaped_password(self.ctx, key) if key is not None else None
            if key is not None and shaped is not None:
                password, steps = shaped
                how = " and ".join(steps) if steps else "re-encoded"
                self.report(
                    key,
                    f"`{api.shown}` is keyed with the password `{display_name(self.ctx, password)}` itself, only {how}, "
                    f"so the key is as guessable as the password; {self._slow_kdf()}",
                )
                return
            keyed = fast_keyed_hash(self.ctx, key) if key is not None else None
            if keyed is not None and keyed[0] not in self._reported:
                self._report_keyed(keyed, f"the key of `{api.shown}`")
            return
        if name in apis.PASSWORD_UNFIT_KDFS and apis.PASSWORD_UNFIT_KDFS[name].kind == "hkdf":
            keyed = fast_keyed_hash(self.ctx, call)
            if keyed is not None and call not in self._reported:
                self._report_keyed(keyed, "a key")

    def _report_keyed(self, keyed: Tuple[ast.Call, ast.AST, str], what: str) -> None:
        call, password, construction = keyed
        self._reported.add(call)
        self.report(
            call,
            f"`{_short(self.ctx.call_name(call) or self.ctx.shown(call.func))}` turns the password `{display_name(self.ctx, password)}` into {what} with {construction}, "
            f"so guessing the password is cheap; {self._slow_kdf()}",
        )


def _short(qualname: str) -> str:
    """`cryptography...hkdf.HKDF().derive` -> `HKDF.derive`; `hmac.new` stays."""
    return ".".join(part.replace("()", "") for part in qualname.split(".")[-2:])


def _describe(sink: Sink) -> str:
    if sink.kind == "api" and sink.api is not None:
        return f"the key of `{sink.api.shown}`"
    return f"the key `{sink.name}`"
