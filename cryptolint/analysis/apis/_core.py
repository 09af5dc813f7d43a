"""The shape of API knowledge: `Api` and `Param` records, argument lookup, table helpers."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping, Optional, Tuple

# Both PyCryptodome namespaces (and PyCrypto, which shares `Crypto`).
_PYCRYPTODOME = ("Crypto", "Cryptodome")
_HAZMAT = "cryptography.hazmat.primitives"
_AEAD = f"{_HAZMAT}.ciphers.aead"
_MODES = f"{_HAZMAT}.ciphers.modes"
_ALGORITHMS = f"{_HAZMAT}.ciphers.algorithms"
_ALGORITHMS_DECREPIT = "cryptography.hazmat.decrepit.ciphers.algorithms"
_MODES_DECREPIT = "cryptography.hazmat.decrepit.ciphers.modes"


@dataclass(frozen=True)
class Param:
    """Where an argument is: its position (None: keyword-only) and keyword."""

    position: Optional[int]
    keyword: Optional[str]


@dataclass(frozen=True)
class Api:
    """What the checks know about one callable."""

    name: str
    kind: str
    params: Mapping[str, Param] = field(default_factory=dict)
    #: Free-form facts: default values, nonce size, algorithm name...
    facts: Mapping[str, object] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        """How a message names the API: `Fernet`, `AESGCM`, `hmac.new`, `HKDF.derive`, `jwt.encode`, `AES.new`."""
        parts = self.name.replace("()", "").split(".")
        if len(parts) >= 2 and parts[-1][:1].islower():
            return ".".join(parts[-2:])
        return parts[-1]


def _api(name: str, kind: str, params: Optional[Mapping[str, Tuple[Optional[int], Optional[str]]]] = None, **facts: object) -> Api:
    return Api(
        name=name,
        kind=kind,
        params=MappingProxyType({role: Param(*where) for role, where in (params or {}).items()}),
        facts=MappingProxyType(facts),
    )


def argument(call: ast.Call, api: Api, role: str) -> Optional[ast.expr]:
    """The expression passed for `role` in `call`, or None if absent."""
    param = api.params.get(role)
    if param is None:
        return None
    if param.keyword is not None:
        for kw in call.keywords:
            if kw.arg == param.keyword:
                return kw.value
    if param.position is not None and param.position < len(call.args):
        for arg in call.args[: param.position + 1]:
            if isinstance(arg, ast.Starred):
                return None
        return call.args[param.position]
    return None


def keyword_value(call: ast.Call, name: str) -> Optional[ast.expr]:
    """The value of keyword `name` in `call`, looking into literal `**{...}`."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
        if kw.arg is None and isinstance(kw.value, ast.Dict):
            for key, value in zip(kw.value.keys, kw.value.values):
                if isinstance(key, ast.Constant) and key.value == name:
                    return value
    return None


def lookup(table: Mapping[str, Api], qualname: Optional[str]) -> Optional[Api]:
    """The entry for `qualname` in `table`, or None."""
    if qualname is None:
        return None
    return table.get(qualname)


def names_of(*tables: Mapping[str, object]) -> Iterable[str]:
    for table in tables:
        yield from table
