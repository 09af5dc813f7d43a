"""CRY301: a key written in the source is passed as key material to a crypto API."""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._secret_literals import LiteralSite, Text, env_fix, env_name, numbered_name, trace
from cryptolint.checks._secret_values import is_public_material
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability


def default_env_name(api: apis.Api) -> str:
    """An environment variable name for a key given straight to `api`."""
    if api.kind == "jwt":
        return "JWT_SECRET_KEY"
    if api.kind == "signer":
        return "SECRET_KEY"
    if api.kind == "kdf-input":
        return "MASTER_KEY"
    if api.kind == "pycryptodome-cipher":
        return env_name(f"{api.facts.get('algorithm', 'cipher')}_KEY")
    parts = api.name.replace("()", "").split(".")
    owner = parts[-2] if parts[-1][:1].islower() and len(parts) >= 2 else parts[-1]
    if owner in ("hmac", "HMAC"):
        return "HMAC_KEY"
    return f"{owner.upper()}_KEY"


class HardcodedKey(Check):
    CODE = "CRY301"
    NAME = "hardcoded-key"
    CATEGORY = "secrets-in-source"
    SUMMARY = "A key written in the source is passed to a cipher, MAC, KDF, JWT or signing API."
    MESSAGE = "A key written in the source is passed to a crypto API; read it from the environment or a secrets manager"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (321, 798)
    TRIGGERS = ("crypto", "hmac", "jwt", "jose", "itsdangerous", "nacl", "authkey")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._unnamed: Optional[List[Tuple[str, Text]]] = None

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        api = apis.KEYED_APIS.get(name) if name else None
        if api is None or "key" not in api.params:
            return
        arg = apis.argument(node, api, "key")
        if arg is None:
            return
        site = trace(self.ctx, arg, deep=True)
        if site is None or not site.value.strip() or is_public_material(site.value):
            return
        shown = api.shown
        if site.via is not None:
            message = f"`{site.via}` is a key written in the source, used by `{shown}`; read it from the environment or a secrets manager"
        elif site.node is arg:
            message = f"`{shown}` gets a literal key; read it from the environment or a secrets manager"
        else:
            # Never quote the literal: messages end up in CI logs.
            message = f"`{shown}` gets a key derived from a literal; read it from the environment or a secrets manager"
        self.report(arg, message, env_fix(self.ctx, site, self._env_name(site, api)))

    def _env_name(self, site: LiteralSite, api: apis.Api) -> str:
        """The variable's own name (as CRY302 names it), else one made from
        the API, numbered when different literals in the file would share it."""
        if site.via is not None and len(site.via) > 2:
            return env_name(site.via)
        if self._unnamed is None:
            self._unnamed = self._unnamed_sites()
        return numbered_name(default_env_name(api), site.value, self._unnamed)

    def _unnamed_sites(self) -> List[Tuple[str, Text]]:
        """(name, value) of the literal keys written straight into keyed calls."""
        found = []
        for call in self.ctx.module.nodes_of(ast.Call):
            api = apis.KEYED_APIS.get(self.ctx.call_name(call) or "")  # type: ignore[arg-type]
            arg = apis.argument(call, api, "key") if api is not None else None
            site = trace(self.ctx, arg, deep=True) if arg is not None else None
            if api is not None and site is not None and (site.via is None or len(site.via) <= 2):
                found.append((site.node.lineno, site.node.col_offset, default_env_name(api), site.value))
        return [(name, value) for _, _, name, value in sorted(found, key=lambda f: (f[0], f[1]))]
