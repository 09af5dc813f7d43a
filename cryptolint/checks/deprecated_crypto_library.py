"""CRY606: an unmaintained crypto library (PyCrypto, simple-crypt, pyDes,
Keyczar) or a deprecated weak API (`rand_pseudo_bytes`, PyCrypto's textbook
RSA on key objects)."""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._base import Check

#: A key's public half (`key.publickey().encrypt`), as names resolve.
_PUBLIC = "().publickey"


class DeprecatedCryptoLibrary(Check):
    CODE = "CRY606"
    NAME = "deprecated-crypto-library"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = (
        "An unmaintained crypto library is imported (PyCrypto-only modules, simple-crypt, pyDes, Keyczar), "
        "or a deprecated weak API is called (`rand_pseudo_bytes`, PyCrypto's textbook RSA)."
    )
    MESSAGE = "An unmaintained crypto library is used; use `cryptography`"
    CWE = (327, 1104)
    TRIGGERS = ("crypto", "pydes", "keyczar", "rand_pseudo_bytes")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(alias.name, _where(alias, node))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        if self._module(node.module, node):
            return
        for alias in node.names:
            self._module(f"{node.module}.{alias.name}", _where(alias, node))

    # -------------------------------------------------------------- imports
    def _module(self, name: str, node: ast.AST) -> bool:
        found = _deprecated(name)
        if found is None:
            return False
        what, instead = found
        self.report(node, f"`{name}` {what}; {instead}")
        return True

    # ---------------------------------------------------------------- calls
    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if name is None:
            return
        known = apis.DEPRECATED_CALLS.get(name)
        if known is not None:
            why, instead = known
            self.report(node.func, f"`{name}` {why}; {instead}")
            return
        raw = _raw_key_method(name)
        if raw is not None:
            what, instead = raw
            spelled = self.ctx.spelled(node.func)
            shown = spelled if len(spelled) <= 40 else name.rsplit(".", 1)[-1]
            self.report(node.func, f"`{shown}` {what}; {instead}")


def _deprecated(name: str) -> Optional[Tuple[str, str]]:
    """The entry of `DEPRECATED_MODULES` that `name` is or lies under."""
    for module, entry in apis.DEPRECATED_MODULES.items():
        if name == module or name.startswith(module + "."):
            return entry
    return None


def _raw_key_method(name: str) -> Optional[Tuple[str, str]]:
    """The `PYCRYPTO_RAW_METHODS` entry for `Crypto.PublicKey.RSA.importKey().encrypt`
    and the like (also through `.publickey()`), else None."""
    owner, _, method = name.rpartition(".")
    if method not in apis.PYCRYPTO_RAW_METHODS or not owner.endswith("()"):
        return None
    maker = owner[:-2]
    while maker.endswith(_PUBLIC):
        maker = maker[: -len(_PUBLIC)]
    family = apis.PYCRYPTO_KEY_MAKERS.get(maker)
    return apis.PYCRYPTO_RAW_METHODS[method].get(family) if family is not None else None


def _where(alias: ast.alias, statement: ast.AST) -> ast.AST:
    """The imported name itself (Python >= 3.10 gives aliases positions)."""
    return alias if hasattr(alias, "lineno") else statement
