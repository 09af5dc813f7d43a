"""What the mode and cipher rules (CRY504-CRY506, CRY601) share: where a call
picks a block-cipher mode or a cipher algorithm, and what the cipher it makes
is used for.

- `CipherSites(ctx).mode(call)`: the `ModeSite` a call makes: a
  `cryptography` mode object (`modes.ECB()`), a PyCryptodome `new(key, mode)`
  (PyCrypto's `new(key)` without a mode is ECB), pyDes's `des(key, mode)`
  (ECB by default), or M2Crypto's `EVP.Cipher("aes_128_ecb", ...)`.
- `CipherSites(ctx).algorithm(call)`: the `AlgorithmSite` of a call that
  makes a weak cipher (`apis.WEAK_CIPHERS`, M2Crypto's cipher names).
- `directions(site)`: what the cipher is used for (`_cipher_use`'s ENCRYPT,
  DECRYPT, UNKNOWN...), or the direction an argument fixes (M2Crypto's `op`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar, List, Optional, Set, Tuple, Union

from cryptolint.analysis import apis
from cryptolint.checks._cipher_use import CONSTANT_PLAINTEXT, DECRYPT, MAC, CipherUses
from cryptolint.checks._base import TestCode
from cryptolint.context import Context

_PYCRYPTODOME_KINDS = frozenset({"pycryptodome-cipher"})
_MAX_DEPTH = 6
#: Methods that take the data a cipher object encrypts.
_DATA_METHODS = frozenset({"encrypt", "update"})


@dataclass(frozen=True)
class ModeSite:
    """One place where a cipher gets its mode."""

    #: The call that makes the mode or the cipher.
    call: ast.Call
    #: "ECB", "CBC", "GCM"...
    mode: str
    #: The narrowest node that shows the mode (the mode argument or object).
    node: ast.AST
    #: How messages name the mode: "`modes.ECB`", "`AES.MODE_ECB`".
    label: str
    #: "cryptography", "pycryptodome", "pydes" or "m2crypto".
    library: str
    #: The block cipher, as the library names it ("AES", "DES3"), if known.
    algorithm: Optional[str] = None
    #: A direction fixed by an argument (M2Crypto's `op`), else None.
    direction: Optional[str] = None


@dataclass(frozen=True)
class AlgorithmSite:
    """One place where a weak cipher is made."""

    call: ast.Call
    #: The cipher's name in `apis.WEAK_CIPHER_REASONS` ("3DES", "RC4").
    algorithm: str
    node: ast.AST
    #: How messages name the constructor: "`algorithms.TripleDES`".
    label: str
    library: str
    direction: Optional[str] = None


Site = Union[ModeSite, AlgorithmSite]

#: What messages suggest instead, by library.
_SAFER = {
    "cryptography": "`AESGCM`",
    "pycryptodome": "`AES.new(key, AES.MODE_GCM)`",
    "pycrypto": "`AES.new(key, AES.MODE_GCM)`",
    "pyaes": "`AESGCM` from `cryptography` (pyaes has no authenticated mode)",
}


def safer(site: Site) -> str:
    """The authenticated cipher (or, for a PyCryptodome mode, the mode) a
    message suggests, in the site's library."""
    if isinstance(site, ModeSite) and site.library in ("pycryptodome", "pycrypto"):
        return "`AES.MODE_GCM`"
    return _SAFER.get(site.library, "`AESGCM` from `cryptography`")


class CipherRule:
    """Mixin (before `Check`) of the rules that read cipher sites: the
    file's shared `CipherSites`, and test code skipped unless all rules run
    there (known-answer tests run ECB, legacy ciphers and short tags on
    purpose)."""

    #: `cryptography`, `Crypto`, `Cryptodome`, `M2Crypto`, `pyDes` or `pyaes`.
    TRIGGERS: ClassVar[Tuple[str, ...]] = ("crypto", "pydes", "pyaes")
    TEST_CODE: ClassVar[TestCode] = TestCode.SKIP
    ctx: Context

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)  # type: ignore[call-arg]
        self.sites = ctx.shared(CipherSites)


class _BranchUses(CipherUses):
    """`CipherUses` that also sees past branches (a cipher bound in one arm
    of an `if`/`elif` chain, each arm binding the same name, is used by every
    later use of the name) and through tests (`if cipher:` uses nothing)."""

    def of(self, expr: ast.AST, depth: int = 0, stop_at_return: bool = False) -> Set[str]:
        parent = self.module.parent(expr)
        if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is expr:
            return set()  # `if cipher:` tests it, nothing more
        if isinstance(parent, ast.Compare) or isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return set()
        return super().of(expr, depth, stop_at_return)

    def uses_of_binding(self, target: ast.Name, stmt: ast.AST) -> List[ast.Name]:
        found = super().uses_of_binding(target, stmt)
        if found:
            return found
        start = _position(stmt)
        return [use for use in self.ctx.flows.uses(target) if _position(use) > start]


class CipherSites:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.uses = _BranchUses(ctx)

    # ---------------------------------------------------------------- modes
    def mode(self, call: ast.Call) -> Optional[ModeSite]:
        name = self.ctx.call_name(call)
        if not name:
            return None
        mode = apis.CRYPTOGRAPHY_MODES.get(name)
        if mode is not None:
            return ModeSite(call, mode, call, f"`modes.{name.rsplit('.', 1)[1]}`", "cryptography")
        api = apis.NONCE_APIS.get(name)
        if api is not None and api.kind in _PYCRYPTODOME_KINDS:
            return self._pycryptodome_mode(call, name, api)
        api = apis.PYDES_CIPHERS.get(name)
        if api is not None:
            return self._pydes_mode(call, name, api)
        mode = apis.PYAES_MODES.get(name)
        if mode is not None:
            return ModeSite(call, mode, call.func, f"`{name.rsplit('.', 1)[1]}`", "pyaes", "AES")
        api = apis.M2CRYPTO_CIPHERS.get(name)
        if api is not None:
            algorithm = self._m2crypto_name(call, api)
            mode = apis.openssl_cipher(algorithm)[1] if algorithm else None
            if mode is not None:
                node = apis.argument(call, api, "algorithm")
                return ModeSite(call, mode, node or call, f"`{algorithm}`", "m2crypto", None, self._m2crypto_direction(call, api))
        return None

    def _pycryptodome_mode(self, call: ast.Call, name: str, api: apis.Api) -> Optional[ModeSite]:
        cls = str(api.facts.get("algorithm"))
        expr = apis.argument(call, api, "mode")
        if expr is None:
            if name.startswith("Crypto.") and not _hides_arguments(call):
                label = f"`{cls}.new` without a mode"
                return ModeSite(call, apis.PYCRYPTO_DEFAULT_MODE, call, label, "pycrypto", cls)
            return None
        mode = apis.pycryptodome_mode(call, api, self.ctx.resolve, self.ctx.values.integer)
        if mode is None:
            return None
        return ModeSite(call, mode, expr, f"`{cls}.MODE_{mode}`", "pycryptodome", cls)

    def _pydes_mode(self, call: ast.Call, name: str, api: apis.Api) -> Optional[ModeSite]:
        expr = apis.argument(call, api, "mode")
        short = name.rsplit(".", 1)[1]
        if expr is None:
            if _hides_arguments(call):
                return None
            return ModeSite(call, str(api.facts["default_mode"]), call, f"`pyDes.{short}` without a mode", "pydes", short)
        mode = apis.PYDES_MODES.get(self.ctx.resolve(expr) or "")
        if mode is None:
            number = self.ctx.values.integer(expr)
            mode = apis.PYDES_MODE_NUMBERS.get(number) if number is not None else None
        if mode is None:
            return None
        return ModeSite(call, mode, expr, f"`pyDes.{mode}`", "pydes", short)

    def _m2crypto_name(self, call: ast.Call, api: apis.Api) -> Optional[str]:
        return self.ctx.values.string(apis.argument(call, api, "algorithm"))

    def _m2crypto_direction(self, call: ast.Call, api: apis.Api) -> Optional[str]:
        op = self.ctx.values.integer(apis.argument(call, api, "op"))
        table = api.facts.get("directions")
        return table.get(op) if isinstance(table, dict) and op is not None else None  # type: ignore[return-value]

    # ----------------------------------------------------------- algorithms
    def algorithm(self, call: ast.Call) -> Optional[AlgorithmSite]:
        name = self.ctx.call_name(call)
        if not name:
            return None
        algorithm = apis.WEAK_CIPHERS.get(name)
        if algorithm is not None:
            parts = name.split(".")
            label = f"`{parts[-2]}.{parts[-1]}`"
            library = "cryptography" if name.startswith("cryptography.") else "pycryptodome" if name.startswith("Crypto") else parts[0].lower()
            return AlgorithmSite(call, algorithm, call.func, label, library)
        api = apis.M2CRYPTO_CIPHERS.get(name)
        if api is not None:
            cipher = self._m2crypto_name(call, api)
            weak = apis.openssl_cipher(cipher)[0] if cipher else None
            if weak is not None:
                node = apis.argument(call, api, "algorithm") or call
                return AlgorithmSite(call, weak, node, f"`{cipher}`", "m2crypto", self._m2crypto_direction(call, api))
        return None

    def weak_algorithm_of(self, site: ModeSite) -> Optional[AlgorithmSite]:
        """The weak cipher (CRY601's site) that `site`'s mode is given to:
        `DES.new(key, DES.MODE_ECB)`, `Cipher(algorithms.TripleDES(k), modes.ECB())`."""
        if site.library != "cryptography":
            return self.algorithm(site.call)
        holder = self.ctx.module.parent(site.call)
        if isinstance(holder, ast.keyword):
            holder = self.ctx.module.parent(holder)
        if not isinstance(holder, ast.Call):
            return None
        for arg in (*holder.args, *(k.value for k in holder.keywords)):
            if isinstance(arg, ast.Call) and arg is not site.call:
                found = self.algorithm(arg)
                if found is not None:
                    return found
        return None

    # ----------------------------------------------------------- directions
    def directions(self, site: Site) -> Set[str]:
        """What the cipher made at `site` is used for (see `_cipher_use`)."""
        if site.direction is not None:
            return {site.direction}
        return self.uses.of(site.call)

    def encrypted_inputs(self, site: Site) -> Optional[List[ast.expr]]:
        """The data the cipher made at `site` encrypts (the arguments of its
        `encrypt`/`update` calls), or None when the cipher escapes where its
        uses cannot be seen."""
        found: List[ast.expr] = []
        return found if self._inputs(site.call, found, 0) else None

    def _inputs(self, expr: ast.AST, found: List[ast.expr], depth: int) -> bool:
        module = self.ctx.module
        parent = module.parent(expr)
        if isinstance(parent, ast.keyword):
            expr, parent = parent, module.parent(parent)
        if depth > _MAX_DEPTH or parent is None:
            return False
        if isinstance(parent, ast.Call) and expr is not parent.func:
            return bool(apis.CIPHER_CONSTRUCTORS.get(self.ctx.call_name(parent) or "")) and self._inputs(parent, found, depth + 1)
        if isinstance(parent, ast.Attribute):
            grand = module.parent(parent)
            if not (isinstance(grand, ast.Call) and grand.func is parent):
                return True  # `.block_size`, `.iv`
            if parent.attr == "encryptor":
                return self._inputs(grand, found, depth + 1)
            if parent.attr in _DATA_METHODS:
                if not grand.args or isinstance(grand.args[0], ast.Starred):
                    return False
                found.append(grand.args[0])
            return True  # decrypting, finishing
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return all(self._inputs(use, found, depth + 1) for use in self.uses.uses_of_binding(parent.targets[0], parent))
        return isinstance(parent, ast.Expr)

    def decrypts_only(self, site: Site) -> bool:
        """The cipher is seen only to decrypt."""
        return self.directions(site) == {DECRYPT}

    def only_reads(self, site: Site) -> bool:
        """The cipher is seen only to decrypt (reading data made elsewhere,
        perhaps long ago), or to encrypt constants (a key check value, a
        keystream, a CBC-MAC): no plaintext of the program's own is exposed."""
        found = self.directions(site)
        return bool(found) and found <= {DECRYPT, CONSTANT_PLAINTEXT, MAC}


def _position(node: ast.AST) -> Tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _hides_arguments(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)
