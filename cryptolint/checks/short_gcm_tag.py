"""CRY506: an authentication tag cut below the policy's length."""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._base import Check
from cryptolint.checks._cipher_sites import CipherRule
from cryptolint.checks._cipher_use import ENCRYPT, definition
from cryptolint.diagnostic import Applicability, Edit, Fix

_GCM = "GCM"


class ShortGcmTag(CipherRule, Check):
    CODE = "CRY506"
    NAME = "short-gcm-tag"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "An AEAD tag is cut short: GCM below 12 bytes (`min_tag_length`, `mac_len`, `tag[:n]`), CCM/EAX/OCB below 8."
    MESSAGE = "The GCM tag is shorter than 12 bytes, which makes forgeries feasible; use 16 bytes"
    FIX = Applicability.UNSAFE
    CWE = (328, 354)
    #: Every finding spells its mode or its keyword.
    TRIGGERS = ("gcm", "ccm", "mac_len", "tag_length")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._slice(node)

    def visit_Call(self, node: ast.Call) -> None:
        found = self._tag_length(node)
        if found is None:
            return
        expr, keyword, mode, owner = found
        length = self.ctx.values.integer(expr)
        if length is None or length >= self._minimum(mode):
            return
        spelled = self.ctx.spelled(expr)
        shown = f"`{keyword}={length}`" if isinstance(expr, ast.Constant) or len(spelled) > 30 else f"`{keyword}={spelled}` ({length})"
        if keyword == "min_tag_length":
            message = f"{shown} lets {owner} accept {length}-byte tags, which can be forged; require {apis.FULL_TAG_BYTES}-byte tags"
        else:
            message = f"{shown} cuts the {owner} tag to {length} bytes, which can be forged; use {apis.FULL_TAG_BYTES} bytes"
        self.report(expr, message, self._fix(expr))

    # ------------------------------------------------------------ sites
    def _tag_length(self, call: ast.Call) -> Optional[Tuple[ast.expr, str, str, str]]:
        """(tag length expression, its keyword, mode, how to name the cipher)."""
        name = self.ctx.call_name(call) or ""
        api = apis.TAG_LENGTH_APIS.get(name)
        if api is not None:
            expr = apis.argument(call, api, "tag_length")
            if expr is None:
                return None
            mode = str(api.facts["mode"])
            if api.facts.get("direction") == "decrypt" and self.sites.uses.of(call) == {ENCRYPT}:
                return None  # ignored when encrypting: the tag made is always whole
            owner = f"`modes.{mode}`" if api.kind == "mode" else f"`{name.rsplit('.', 1)[1]}`"
            return expr, str(api.params["tag_length"].keyword), mode, owner
        site = self.sites.mode(call)
        if site is None or site.library != "pycryptodome" or site.mode not in apis.PYCRYPTODOME_TAG_MODES:
            return None
        nonce_api = apis.NONCE_APIS.get(name)
        if nonce_api is None or nonce_api.facts.get("block_size") != 16:
            return None  # 64-bit block ciphers cannot make longer tags
        expr = apis.keyword_value(call, apis.PYCRYPTODOME_TAG_KEYWORD)
        if expr is None:
            return None
        return expr, apis.PYCRYPTODOME_TAG_KEYWORD, site.mode, f"`{site.algorithm}` {site.mode}"

    def _slice(self, node: ast.Subscript) -> None:
        """`encryptor.tag[:8]`, `cipher.digest()[:8]` of a GCM cipher."""
        upper = _prefix_length(node)
        if upper is None:
            return
        length = self.ctx.values.integer(upper)
        if length is None or length <= 0 or length >= self.ctx.policy.gcm_tag_bytes:
            return
        if not self._gcm_tag(node.value):
            return
        shown = self.ctx.spelled(node)
        shown = f"`{shown}`" if len(shown) <= 40 else "this slice"
        self.report(node, f"{shown} keeps {length} bytes of the GCM tag, which can be forged; keep all {apis.FULL_TAG_BYTES}")

    def _gcm_tag(self, expr: ast.expr) -> bool:
        """`expr` is the tag of a GCM encryption: `<encryptor>.tag` of a
        `Cipher(..., modes.GCM(...))`, or `<cipher>.digest()` of a
        PyCryptodome GCM cipher."""
        module = self.ctx.module
        if isinstance(expr, ast.Attribute) and expr.attr == "tag":
            made = definition(module, expr.value)
            if not (isinstance(made, ast.Call) and isinstance(made.func, ast.Attribute) and made.func.attr == "encryptor"):
                return False
            cipher = definition(module, made.func.value)
            if not isinstance(cipher, ast.Call):
                return False
            ctor = apis.CIPHER_CONSTRUCTORS.get(self.ctx.call_name(cipher) or "")
            mode = definition(module, apis.argument(cipher, ctor, "mode")) if ctor else None  # type: ignore[arg-type]
            site = self.sites.mode(mode) if isinstance(mode, ast.Call) else None
            return site is not None and site.mode == _GCM
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "digest" and not expr.args:
            made = definition(module, expr.func.value)
            site = self.sites.mode(made) if isinstance(made, ast.Call) else None
            return site is not None and site.library == "pycryptodome" and site.mode == _GCM
        return False

    # ---------------------------------------------------------- helpers
    def _minimum(self, mode: str) -> int:
        policy = self.ctx.policy
        return policy.gcm_tag_bytes if mode == _GCM else policy.aead_tag_bytes

    def _fix(self, expr: ast.expr) -> Optional[Fix]:
        """Raise a literal length to the full tag.  Unsafe: tags already
        stored or sent at the short length stop verifying, and a peer that
        still cuts its tags is rejected."""
        if not (isinstance(expr, ast.Constant) and isinstance(expr.value, int)):
            return None
        return Fix(
            title=f"Use {apis.FULL_TAG_BYTES}-byte tags",
            applicability=Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(expr), str(apis.FULL_TAG_BYTES)),),
        )


def _prefix_length(node: ast.Subscript) -> Optional[ast.expr]:
    """`n` in `x[:n]` (or `x[0:n]`)."""
    part = node.slice
    if not isinstance(part, ast.Slice) or part.upper is None or part.step is not None:
        return None
    if part.lower is not None and not (isinstance(part.lower, ast.Constant) and part.lower.value == 0):
        return None
    return part.upper
