"""CRY604: MD5 or SHA-1 in a digital signature or certificate, or MD5 in an HMAC."""

from __future__ import annotations

import ast
from typing import Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.checks import _library_refs as refs
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._hash_sites import pretty_algorithm
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Fix

#: Roles under which `apis.KEYED_APIS` MAC entries take their hash.
_MAC_HASH_ROLES = ("digestmod", "algorithm")


class WeakSignatureHash(Check):
    CODE = "CRY604"
    NAME = "weak-signature-hash"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "A signature or certificate is made with MD5 or SHA-1, or an HMAC with MD5."
    MESSAGE = "A signature is made with a broken hash (MD5 or SHA-1); use SHA-256"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (327, 328)
    PROTOCOLS = ("ntlm", "kerberos", "ms-rpc", "hotp", "totp")
    #: Every weak hash is named `md2`/`md4`/`md5`/`sha1`/`sha-1`, or is
    #: PyCryptodome's `Crypto.Hash.SHA` module.
    TRIGGERS = ("md5", "md4", "md2", "sha1", "sha-1", "hash import sha", "hash.sha")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        #: Hash expressions already reported (an `ECDSA(...)` bound once may
        #: serve several `sign` calls).
        self._reported: Set[int] = set()

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node) or ""
        api = apis.SIGNATURE_APIS.get(name)
        if api is not None:
            self._signature(node, api, apis.argument(node, api, "hash"), wrapped=False)
            return
        api = apis.KEYED_APIS.get(name)
        if api is not None:
            if api.kind == "mac":
                self._mac(node, name, api)
            return
        func = node.func
        method = apis.SIGNATURE_METHODS.get(func.attr) if isinstance(func, ast.Attribute) else None
        if method is not None:
            self._method(node, method)

    # ---------------------------------------------------------- signatures
    def _method(self, node: ast.Call, api: apis.Api) -> None:
        """`key.sign(data, padding, hashes.SHA1())`, `key.sign(data,
        ec.ECDSA(hashes.SHA1()))`, `builder.sign(key, hashes.MD5())`: the
        receiver is rarely known, a `cryptography` hash argument is the sign."""
        positions = api.facts.get("positions")
        if not isinstance(positions, tuple) or any(isinstance(a, ast.Starred) for a in node.args):
            return
        keywords = {param.keyword for param in api.params.values()}
        candidates = [node.args[i] for i in positions if i < len(node.args)]
        candidates += [kw.value for kw in node.keywords if kw.arg in keywords]
        for expr in candidates:
            ref = refs.find(self.ctx, expr)
            wrapper = apis.SIGNATURE_HASH_WRAPPERS.get(ref.qualname or "") if ref is not None else None
            if ref is not None and ref.call is not None and wrapper is not None:
                inner = apis.argument(ref.call, wrapper, "hash")
                self._signature(node, api, inner, wrapped=wrapper.name.endswith("Prehashed"))
            elif ref is not None and ref.qualname in apis.HASH_ALGORITHM_CLASSES:
                self._signature(node, api, expr, wrapped=False)

    def _signature(self, node: ast.Call, api: apis.Api, expr: Optional[ast.expr], wrapped: bool) -> None:
        """Report `expr` if it names a hash too weak to sign with.  `wrapped`:
        the data is a digest made before (`Prehashed`), which a fix of the
        hash alone would not change."""
        ref = refs.find(self.ctx, expr)
        algorithm = refs.hash_algorithm(self.ctx, ref)
        if expr is None or ref is None or algorithm not in apis.WEAK_SIGNATURE_HASHES or id(expr) in self._reported:
            return
        verifies = api.facts.get("direction") == "verify"
        if verifies and not self.ctx.policy.strict:
            return  # checking someone else's legacy signature is rarely a choice
        prehashed = wrapped or (self.ctx.call_name(node) or "").endswith("sign_hash")
        fix, safer = self._fix(ref, prehashed, node)
        verb = "accepts signatures made with" if verifies else "signs with"
        message = (
            f"`{self.ctx.shown(node.func)}` {verb} {_shown(self.ctx, expr, ref, algorithm)}, "
            f"which collision attacks break for signatures; use {safer}"
        )
        self._reported.add(id(expr))
        self.report(expr, message, fix)

    # ----------------------------------------------------------------- MACs
    def _mac(self, node: ast.Call, name: str, api: apis.Api) -> None:
        role = next((r for r in _MAC_HASH_ROLES if r in api.params), None)
        expr = apis.argument(node, api, role) if role is not None else None
        ref = refs.find(self.ctx, expr)
        algorithm = refs.hash_algorithm(self.ctx, ref)
        weak = apis.WEAK_MAC_HASHES | (frozenset({"sha1"}) if self.ctx.policy.strict else frozenset())
        if expr is None or ref is None or algorithm not in weak or self._protocol_fixed(node):
            return
        fix, safer = self._fix(ref, False, node)
        callee = wf.callee(self.ctx, node, name)
        if algorithm == "sha1":
            why = "which is not broken but is below the strict policy's bar"
        else:
            why = "a hash broken for collisions that leaves HMAC no safety margin"
        message = f"`{callee}` computes HMAC-{pretty_algorithm(algorithm)} with {_shown(self.ctx, expr, ref, algorithm)}, {why}; use {safer}"
        self.report(expr, message, fix)

    def _protocol_fixed(self, node: ast.Call) -> bool:
        """Inside a function or class named for a protocol that fixes
        HMAC-MD5 (`auth_cram_md5`, `_CRAM_MD5_AUTH`, `NTLMv2Response`)."""
        for ancestor in self.ctx.module.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                words = "".join(c if c.isalnum() else " " for c in ancestor.name.lower()).split()
                if any(word.startswith(start) for word in words for start in apis.MAC_PROTOCOL_WORDS):
                    return True
        return False

    # ------------------------------------------------------------------ fix
    def _fix(self, ref: refs.Ref, prehashed: bool, node: ast.AST) -> Tuple[Optional[Fix], str]:
        """The fix (the hash expression -> SHA-256 in the same form) and how
        the message names the safer choice.  No fix where a protocol fixes the
        hash: every peer would reject the result."""
        new = refs.sha256_name(ref)
        swapped = refs.swap(self.ctx, ref, new) if new is not None and not prehashed else None
        if swapped is None or new is None:
            return None, "SHA-256"
        edit, imports = swapped
        shown = _replacement_text(self.ctx, ref, new)
        if refs.fixed_by_protocol(self.ctx, node):
            return None, shown
        title = f"Use {shown} (signatures and MACs change: every peer and stored value that checks them must follow)"
        return Fix(title, Applicability.UNSAFE, (edit,), add_imports=imports), shown


def _shown(ctx: Context, expr: ast.expr, ref: refs.Ref, algorithm: str) -> str:
    """"`hashes.SHA1()`" or "`HASH` (`hashes.SHA1()`, SHA-1)"."""
    at_call = ctx.shown(expr)
    written = ctx.shown(ref.written)
    pretty = pretty_algorithm(algorithm)
    if at_call == written:
        return f"`{at_call}`" + ("" if pretty.replace("-", "").lower() in at_call.replace("-", "").lower() else f" ({pretty})")
    return f"`{at_call}` (`{written}`, {pretty})"


def _replacement_text(ctx: Context, ref: refs.Ref, new: str) -> str:
    """"`hashes.SHA256()`", "`hashlib.sha256`", "`"sha256"`": the hash as the fix writes it."""
    if ref.text is not None:
        return f"`{refs.quoted(ctx, ref.node, new)}`"
    target = ref.node.value if ref.call is not None and isinstance(ref.node, ast.Attribute) and ref.node.attr == "new" else ref.node
    prefix = ctx.shown(target.value) + "." if isinstance(target, ast.Attribute) else ""
    suffix = ""
    if ref.call is not None:
        suffix = ".new(...)" if target is not ref.node else "()"
    return f"`{prefix}{new}{suffix}`"
