"""CRY704: TLS certificate or host name checking switched off."""

from __future__ import annotations

import ast
from typing import Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._library_refs import find
from cryptolint.checks._checking_optout import user_choice
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Edit, Fix, Import

_RISK = "so an attacker on the network can pose as the server and read or change the traffic"
_TITLE = "Turn certificate checking back on"


class TlsVerificationDisabled(Check):
    CODE = "CRY704"
    NAME = "tls-verification-disabled"
    CATEGORY = "key-management"
    SUMMARY = "TLS certificate or host name checking is switched off (`verify=False`, `CERT_NONE`, `check_hostname = False`, unverified contexts), or a context that never checks (`ssl.SSLContext()`) reaches a client."
    MESSAGE = f"TLS certificate checking is switched off, {_RISK}; leave it on"
    #: `verify=False` in a test helper that ships turns verification off for its users too.
    TEST_CODE = TestCode.HELPERS
    FIX = Applicability.UNSAFE
    CWE = (295, 297)
    TRIGGERS = ("verify", "ssl", "cert_none")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._reported: Set[ast.Call] = set()

    # ------------------------------------------------------------ calls
    def visit_Call(self, call: ast.Call) -> None:
        self._reaches_client(call)
        name = self.ctx.module.call_name_through_with(call)
        api = apis.TLS_VERIFY_APIS.get(name) if name else None
        if api is None:
            return
        shown = self.ctx.shown(call.func, name)
        for role, param in api.params.items():
            value = apis.argument_or_keyword(call, api, role)
            if value is None or user_choice(self.ctx, value):
                continue
            written = f"`{param.keyword}={self.ctx.shown(value)}`"
            if role in ("verify", "legacy_verify", "hostname") and self.ctx.values.is_false(value):
                written += "" if self.ctx.source(value) == "False" else " (False)"
                if role == "hostname":
                    message = f"{written} makes `{shown}` accept a certificate issued for any host name, {_RISK}; leave it out"
                else:
                    message = f"{written} makes `{shown}` accept any certificate, {_RISK}; leave checking on and name the CA to trust if it is private"
                fix = self._true_fix(value) if role == "verify" and api.facts.get("fixable") else None
                self.report(value, message, fix)
            elif role == "cert_reqs" and self._cert_none(value):
                message = f"{written} makes `{shown}` accept any certificate, {_RISK}; use `CERT_REQUIRED`"
                self.report(value, message, self._required_fix(value))

    def _cert_none(self, value: ast.expr) -> bool:
        text = self.ctx.values.string(value)
        if text is not None:
            return text.upper() in apis.CERT_NONE_NAMES
        ref = find(self.ctx, value)
        return ref is not None and ref.call is None and ref.qualname in apis.CERT_NONE_CONSTANTS

    # ------------------------------------------------------ assignments
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if not isinstance(target, ast.Attribute) or user_choice(self.ctx, node):
                continue
            if target.attr == "verify" and self.ctx.values.is_false(node.value):
                owner = self.ctx.resolve(target.value)
                if owner in apis.TLS_VERIFY_ATTRIBUTE_OWNERS:
                    message = f"`{self.ctx.shown(target)} = False` makes every request of this session accept any certificate, {_RISK}; leave it on"
                    self.report(node.value, message, self._true_fix(node.value))
            elif target.attr in apis.SSL_CONTEXT_SWITCHES and self._client_context(target.value):
                self._context_switch(target, node.value)

    def _context_switch(self, target: ast.Attribute, value: ast.expr) -> None:
        shown = self.ctx.shown(target)
        if apis.SSL_CONTEXT_SWITCHES[target.attr] == "false":
            if self.ctx.values.is_false(value):
                message = f"`{shown} = False` makes this client context accept a certificate issued for any host name, {_RISK}; leave it on"
                self.report(value, message, self._true_fix(value))
        elif self._cert_none(value):
            message = f"`{shown} = {self.ctx.shown(value)}` makes this client context accept any certificate, {_RISK}; use `ssl.CERT_REQUIRED`"
            self.report(value, message, self._required_fix(value))

    def _client_context(self, owner: ast.expr) -> bool:
        """`owner` is a context made for a client (one that checks by default)."""
        ref = find(self.ctx, owner)
        if ref is None or ref.call is None:
            return False
        api = apis.SSL_CONTEXT_MAKERS.get(ref.qualname or "")
        if api is None:
            return False
        if "purpose" in api.params:
            purpose = apis.argument(ref.call, api, "purpose")
            return purpose is None or self.ctx.resolve(purpose) not in apis.SERVER_PURPOSES
        if "protocol" in api.params:
            protocol = apis.argument(ref.call, api, "protocol")
            return protocol is not None and self.ctx.resolve(protocol) in apis.CLIENT_PROTOCOLS
        return api.facts.get("side") == "client"

    # ------------------------------------- contexts that never checked
    def _reaches_client(self, call: ast.Call) -> None:
        """A context made without checking (`ssl.SSLContext()`,
        `SSLContext(PROTOCOL_TLS)`) and never told to check, handed to a
        client: `urlopen(url, context=ctx)`, `ctx.wrap_socket(sock, ...)`."""
        context, client = self._client_context_argument(call)
        if context is None or user_choice(self.ctx, call):
            return
        ref = find(self.ctx, context)
        if ref is None or ref.call is None or ref.qualname != "ssl.SSLContext" or ref.call in self._reported:
            return
        made = ref.call
        protocol = apis.argument(made, apis.SSL_CONTEXT_MAKERS["ssl.SSLContext"], "protocol")
        if protocol is not None and self.ctx.resolve(protocol) not in apis.NON_VERIFYING_PROTOCOLS:
            return
        if user_choice(self.ctx, made) or self._told_to_check(made):
            return
        self._reported.add(made)
        message = (
            f"`{self.ctx.shown(made)}` makes a context that checks neither certificates nor host names, and "
            f"`{client}` on line {call.lineno} speaks TLS with it as the client, {_RISK}; "
            "use `ssl.create_default_context()` or `PROTOCOL_TLS_CLIENT`"
        )
        self.report(made, message)

    def _client_context_argument(self, call: ast.Call) -> Tuple[Optional[ast.expr], str]:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in apis.CONTEXT_WRAPPERS:
            server = apis.keyword_value(call, "server_side")
            side = self.ctx.values.constant(server) if server is not None else None
            if server is not None and (side is None or side.value):
                return None, ""
            return func.value, self.ctx.shown(func)
        name = self.ctx.module.call_name_through_with(call)
        api = apis.TLS_CLIENTS.get(name) if name else None
        if api is None:
            return None, ""
        return apis.argument_or_keyword(call, api, "context"), self.ctx.shown(func, name)

    def _told_to_check(self, made: ast.Call) -> bool:
        """The context is bound to a name whose `verify_mode` or
        `check_hostname` is set (to anything but off) where it is made, or is
        handed to other code that may set them."""
        holder = self.ctx.module.parent(made)
        if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1):
            return False
        text = self.ctx.source(holder.targets[0])
        scope: ast.AST = self.ctx.module.enclosing_function(made) or self.ctx.module.tree
        if text.startswith("self."):
            scope = next((a for a in self.ctx.module.ancestors(made) if isinstance(a, ast.ClassDef)), scope)
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in apis.CONTEXT_CHECKING_SETTINGS and self.ctx.source(target.value) == text:
                        if not (self.ctx.values.is_false(node.value) or self._cert_none(node.value)):
                            return True
            elif isinstance(node, ast.Call) and node is not made:
                if any(self.ctx.source(arg) == text for arg in node.args) and not self._client_context_argument(node)[0]:
                    return True
        return False

    # ----------------------------------------------- unverified contexts
    def visit_Name(self, node: ast.AST) -> None:
        ident = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if ident is None or not ident.startswith("_create_unverified") or not isinstance(getattr(node, "ctx", None), ast.Load):
            return
        name = self.ctx.resolve(node)
        checking = apis.UNVERIFIED_CONTEXT_MAKERS.get(name or "")
        if checking is None or user_choice(self.ctx, node) or self._checks_again(node):
            return
        message = (
            f"`{name}` makes a context that checks neither certificates nor host names, {_RISK}; "
            f"use `ssl.{checking}()`"
        )
        self.report(node, message, self._context_fix(node, checking))

    visit_Attribute = visit_Name

    def _checks_again(self, node: ast.AST) -> bool:
        """The unverified context is thrown away (`ssl._create_unverified_context()`
        as a statement), or turned back to checking before use
        (`ctx.check_hostname = True` also requires certificates)."""
        call = self.ctx.module.parent(node)
        if not isinstance(call, ast.Call) or call.func is not node:
            return False
        holder = self.ctx.module.parent(call)
        if isinstance(holder, ast.Expr):
            return True
        if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name)):
            return False
        for use in self.ctx.flows.uses(holder.targets[0]):
            attribute = self.ctx.module.parent(use)
            assign = self.ctx.module.parent(attribute) if isinstance(attribute, ast.Attribute) else None
            if isinstance(assign, ast.Assign) and isinstance(attribute, ast.Attribute) and attribute in assign.targets:
                value = self.ctx.values.constant(assign.value)
                if attribute.attr == "check_hostname" and value is not None and value.value is True:
                    return True
                if attribute.attr == "verify_mode" and self.ctx.resolve(assign.value) in apis.CERT_REQUIRED_CONSTANTS:
                    return True
        return False

    def _context_fix(self, node: ast.AST, checking: str) -> Optional[Fix]:
        parent = self.ctx.module.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            # `create_default_context(purpose, *, cafile, capath, cadata)`
            # shares only the keyword-only parameters.
            if parent.args or any(k.arg not in ("cafile", "capath", "cadata") for k in parent.keywords):
                return None
        if isinstance(node, ast.Attribute):
            edit = Edit(self.ctx.span(node), "{0}." + checking, (self.ctx.span(node.value),))
            return Fix(_TITLE, Applicability.UNSAFE, (edit,))
        assert isinstance(node, ast.Name)
        return Fix(
            _TITLE,
            Applicability.UNSAFE,
            (Edit(self.ctx.span(node), f"ssl.{checking}"),),
            add_imports=(Import("ssl"),),
            remove_imports=(Import("ssl", node.id),),
        )

    # ------------------------------------------------------------- fixes
    def _true_fix(self, value: ast.expr) -> Optional[Fix]:
        if not (isinstance(value, ast.Constant) and value.value is False):
            return None  # a shared constant may serve other code
        return Fix(_TITLE, Applicability.UNSAFE, (Edit(self.ctx.span(value), "True"),))

    def _required_fix(self, value: ast.expr) -> Optional[Fix]:
        edit: Optional[Edit] = None
        imports: Tuple[Import, ...] = ()
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            source = self.ctx.source(value)
            quote = source[-1] if source[-1:] in ("'", '"') else '"'
            edit = Edit(self.ctx.span(value), f"{quote}{apis.CERT_REQUIRED}{quote}")
        elif isinstance(value, ast.Attribute) and value.attr == "CERT_NONE" and self.ctx.resolve(value) in apis.CERT_NONE_CONSTANTS:
            edit = Edit(self.ctx.span(value), "{0}." + apis.CERT_REQUIRED, (self.ctx.span(value.value),))
        elif isinstance(value, ast.Name) and self._imported(value) and self.ctx.resolve(value) in apis.CERT_NONE_CONSTANTS:
            edit = Edit(self.ctx.span(value), f"ssl.{apis.CERT_REQUIRED}")
            imports = (Import("ssl"),)
        if edit is None:
            return None
        removes = (Import("ssl", value.id),) if isinstance(value, ast.Name) else ()
        return Fix(_TITLE, Applicability.UNSAFE, (edit,), add_imports=imports, remove_imports=removes)

    def _imported(self, name: ast.Name) -> bool:
        _, bindings = self.ctx.module.lookup(name.id, self.ctx.module.scope_of(name))
        return bool(bindings) and all(b.kind == "import" for b in bindings)
