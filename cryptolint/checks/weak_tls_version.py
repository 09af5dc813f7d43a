"""CRY705: a TLS connection allowed to use SSL 2/3 or TLS 1.0/1.1, or made with `ssl.wrap_socket`."""

from __future__ import annotations

import ast
import re
from typing import Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._library_refs import find

_WEAK = "a deprecated version with known attacks"
_SAFER = "let the library negotiate the version and require TLS 1.2 or later"


class WeakTlsVersion(Check):
    CODE = "CRY705"
    NAME = "weak-tls-version"
    CATEGORY = "key-management"
    SUMMARY = "A TLS connection may use SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 (or `MINIMUM_SUPPORTED`), allows broken cipher suites (`@SECLEVEL=0`, `RC4`, `NULL`...), or is made with `ssl.wrap_socket`."
    MESSAGE = f"A TLS connection may use {_WEAK}; {_SAFER}"
    #: An old TLS version in a test helper that ships is offered to its users too.
    TEST_CODE = TestCode.HELPERS
    CWE = (326, 327, 757)
    TRIGGERS = ("ssl", "tls", "openssl")

    def visit_Call(self, call: ast.Call) -> None:
        name = self.ctx.module.call_name_through_with(call)
        if isinstance(call.func, ast.Attribute) and call.func.attr in apis.TLS_CIPHER_METHODS and call.args:
            self._ciphers(call.args[0], call, name)
        if name in apis.TLS_VERSION_APIS:
            for kw in call.keywords:
                if kw.arg in apis.TLS_CIPHER_KEYWORDS:
                    self._ciphers(kw.value, call, name)
        if name is None:
            return
        why = apis.LEGACY_TLS_WRAPPERS.get(name)
        if why is not None:
            shown = self.ctx.shown(call.func, name)
            self.report(call.func, f"`{shown}` {why}; wrap sockets with an `SSLContext` (`ssl.create_default_context().wrap_socket(sock, server_hostname=host)`)")
            return
        api = apis.TLS_VERSION_APIS.get(name)
        if api is not None:
            for role in api.params:
                self._check_value(apis.argument(call, api, role), role, name, call)
        for kw in call.keywords:
            chosen = apis.TLS_VERSION_KEYWORDS.get(kw.arg or "")
            if chosen is not None and (api is None or kw.value is not apis.argument(call, api, chosen)):
                self._check_value(kw.value, chosen, name, call)

    def _ciphers(self, value: ast.expr, call: ast.Call, name: Optional[str]) -> None:
        """`ctx.set_ciphers("ALL:@SECLEVEL=0")`: a cipher string that lets
        broken suites in."""
        const = self.ctx.values.constant(value)
        text = const.value if const is not None else None
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        if not isinstance(text, str):
            return
        for token in re.split(r"[:,; ]+", text):
            if not token or token[0] in "!-":
                continue
            parts = [token.lstrip("+").upper()] if token.upper().startswith("@SECLEVEL=") else re.split(r"[-+]", token.upper())
            why = next((apis.WEAK_CIPHER_STRING_PARTS[part] for part in parts if part in apis.WEAK_CIPHER_STRING_PARTS), None)
            if why is not None:
                shown = self.ctx.shown(call.func, name)
                self.report(
                    value,
                    f"`{token}` in the cipher string of `{shown}` allows {why}; "
                    "keep the library's default suites or list only AEAD suites (`ECDHE+AESGCM:ECDHE+CHACHA20`)",
                )
                return

    def _check_value(self, value: Optional[ast.expr], role: str, name: Optional[str], call: ast.Call) -> None:
        weak = self._weak(value, role)
        if weak is None or value is None:
            return
        version, what = weak[0], self.ctx.named(value, weak[1])
        shown = self.ctx.shown(call.func, name)
        if role == "maximum":
            message = f"{what} caps `{shown}` at {version}, {_WEAK}; allow TLS 1.2 or later"
        elif role == "minimum":
            message = f"{what} lets `{shown}` accept {version}, {_WEAK}; require TLS 1.2 or later"
        else:
            message = f"{what} makes `{shown}` use {version}, {_WEAK}; {_SAFER}"
        self.report(value, message)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                # `kwargs["ssl_version"] = ...` in a requests adapter.
                key = target.slice
                role = apis.TLS_VERSION_KEYWORDS.get(key.value) if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
                weak = self._weak(node.value, role)
                if weak is not None:
                    what = self.ctx.named(node.value, weak[1])
                    self.report(node.value, f"{what} makes `{self.ctx.shown(target)}` choose {weak[0]}, {_WEAK}; {_SAFER}")
                continue
            if not isinstance(target, ast.Attribute):
                continue
            role = apis.TLS_VERSION_ATTRIBUTES.get(target.attr)
            weak = self._weak(node.value, role)
            if weak is None:
                continue
            version = weak[0]
            verb, safer = ("caps the context at", "allow") if role == "maximum" else ("lets the context accept", "require")
            message = f"`{self.ctx.shown(target)} = {self.ctx.shown(node.value)}` {verb} {version}, {_WEAK}; {safer} TLS 1.2 or later"
            self.report(node.value, message)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """`ctx.options &= ~ssl.OP_NO_TLSv1`: a weak version switched back on."""
        if not isinstance(node.op, ast.BitAnd) or not isinstance(node.target, ast.Attribute) or node.target.attr != "options":
            return
        for sub in ast.walk(node.value):
            if isinstance(sub, ast.UnaryOp) and isinstance(sub.op, ast.Invert):
                version = apis.WEAK_TLS_DISABLERS.get(self.ctx.resolve(sub.operand) or "")
                if version is not None:
                    message = f"`{self.ctx.shown(sub)}` switches {version}, {_WEAK}, back on for this context; keep it off"
                    self.report(sub, message)

    def _weak(self, value: Optional[ast.expr], role: Optional[str]) -> Optional[Tuple[str, str]]:
        """(weak version, constant) that `value` names, for a `protocol`,
        `minimum` or `maximum` role."""
        if value is None or role is None:
            return None
        ref = find(self.ctx, value)
        if ref is None or ref.call is not None or ref.qualname is None:
            return None
        version = apis.WEAK_TLS_VERSIONS.get(ref.qualname)
        if version is None:
            return None
        is_version = ".TLSVersion." in ref.qualname
        # A `TLSVersion` bounds a range; a `PROTOCOL_*`/`*_METHOD` picks one protocol.
        return (version, ref.qualname) if is_version == (role in ("minimum", "maximum")) else None
