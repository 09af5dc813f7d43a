"""CRY303: a constant salt is passed to a password hash or KDF."""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._secret_literals import LiteralSite, Text, env_fix, env_name, numbered_name, trace
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability

#: API kind -> environment variable named for a salt given straight to it.
_DEFAULT_NAMES = {
    "pbkdf2": "PBKDF2_SALT",
    "scrypt": "SCRYPT_SALT",
    "bcrypt-hash": "BCRYPT_SALT",
    "bcrypt-kdf": "BCRYPT_KDF_SALT",
    "argon2-hash": "ARGON2_SALT",
    "crypt": "CRYPT_SALT",
}

#: API kind -> the salt it should get.
_CURES = {
    "bcrypt-hash": "`bcrypt.gensalt()` and verify with `bcrypt.checkpw`",
    "crypt": "`crypt.mksalt()` and verify against the stored hash",
}


class HardcodedSalt(Check):
    CODE = "CRY303"
    NAME = "hardcoded-salt"
    CATEGORY = "secrets-in-source"
    SUMMARY = "A constant salt written in the source is passed to a password hash or KDF."
    MESSAGE = "A constant salt is passed to a password hash; use a random salt per password, stored beside the hash"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (760,)
    TRIGGERS = ("crypt", "pbkdf2", "argon2")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._unnamed: Optional[List[Tuple[str, Text]]] = None

    def visit_Call(self, node: ast.Call) -> None:
        found = self._salt(node)
        if found is None:
            return
        api, arg, site = found
        what = f"`{site.via}`" if site.via is not None else "a literal"
        cure = _CURES.get(api.kind, "a random salt per password (`os.urandom(16)`) stored beside the hash")
        message = f"`{api.shown}` gets a constant salt ({what}), so equal passwords hash alike; use {cure}"
        self.report(arg, message, env_fix(self.ctx, site, self._env_name(site, api)))

    def _salt(self, call: ast.Call) -> Optional[Tuple[apis.Api, ast.expr, LiteralSite]]:
        """The API, salt argument and literal of a call given a constant salt."""
        name = self.ctx.call_name(call)
        if name is None:
            return None
        api = apis.KDF_APIS.get(name) or apis.PASSWORD_HASH_APIS.get(name)
        if api is None or "salt" not in api.params:
            return None
        arg = apis.argument(call, api, "salt")
        site = trace(self.ctx, arg, deep=True) if arg is not None else None
        if arg is None or site is None:
            return None
        return api, arg, site

    def _env_name(self, site: LiteralSite, api: apis.Api) -> str:
        if site.via is not None and len(site.via) > 2:
            return env_name(site.via)
        if self._unnamed is None:
            found = []
            for call in self.ctx.module.nodes_of(ast.Call):
                other = self._salt(call)
                if other is not None and (other[2].via is None or len(other[2].via) <= 2):
                    node = other[2].node
                    found.append((node.lineno, node.col_offset, _default_name(other[0]), other[2].value))
            self._unnamed = [(n, v) for _, _, n, v in sorted(found, key=lambda f: (f[0], f[1]))]
        return numbered_name(_default_name(api), site.value, self._unnamed)


def _default_name(api: apis.Api) -> str:
    return _DEFAULT_NAMES.get(api.kind, "PASSWORD_SALT")
