"""What the nonce rules (CRY501-CRY503) share: where a nonce or IV is given
to a cipher, whether that cipher encrypts, and what the nonce is made of.

- `NonceSites(ctx).at(call)`: the nonce sites a call makes.  A *direct* site
  is an API from `apis.NONCE_APIS` (an AEAD `.encrypt`, a `modes.X(...)`, a
  PyCryptodome `new(...)`) with its nonce argument.  A *one-step* site is a
  call of a function of this module whose parameter flows, unchanged, into a
  direct site's nonce (`make_cipher(key, b"\\0" * 16)`): its nonce is the
  caller's argument.
- `encrypts(site)`: True when the cipher is used to encrypt, False when it
  only decrypts, None when that cannot be seen (see `_cipher_use`).
- `constant(site)`: the expression that makes the nonce a constant, if it is
  one (a literal, a module constant, `bytes(12)`, a constant `Counter.new`).
- `random_size(expr)`: the byte length of a fresh random nonce.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.scopes import Binding, Module
from cryptolint.edits import rebuild_call
from cryptolint.checks._cipher_use import CONSTANT_PLAINTEXT, DECRYPT, ENCRYPT, MAC, RETURNED, CipherUses, definition
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Fix

_MAX_DEPTH = 6


@dataclass(frozen=True)
class NonceSite:
    """One place where an expression becomes a cipher's nonce or IV."""

    #: The API call that takes the nonce (for a one-step site: inside the helper).
    call: ast.Call
    api: apis.Api
    #: What is given as the nonce: the API argument, or the caller's argument.
    nonce: ast.expr
    #: "nonce" or "IV", as the library calls it.
    role: str
    #: How messages name the construction: "`AESGCM`", "`AES` in CBC mode".
    label: str
    #: The byte size a fresh nonce should have, when known.
    size: Optional[int]
    #: The smallest safe random nonce, where the library accepts shorter ones.
    min_random_size: Optional[int] = None
    #: The call of the helper function the nonce went through (one-step sites).
    via: Optional[ast.Call] = None
    #: An authenticated mode (GCM, CCM, ChaCha20-Poly1305...).
    aead: bool = False


class NonceSites:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.module = ctx.module
        self.uses = CipherUses(ctx)
        self._param_sites: Optional[Dict[ast.AST, List[Tuple[NonceSite, str]]]] = None

    # --------------------------------------------------------------- sites
    def at(self, call: ast.Call) -> List[NonceSite]:
        """The sites `call` makes: its own, and those of a helper it calls."""
        found: List[NonceSite] = []
        direct = self.direct(call)
        if direct is not None:
            found.append(direct)
        target = self.module.called_function(call)
        if target is not None:
            func, skipped = target
            for inner, param in self._sites_by_param().get(func, []):
                arg = self.module.argument_for(call, func, param, skipped)
                if arg is not None:
                    found.append(
                        NonceSite(inner.call, inner.api, arg, inner.role, inner.label, inner.size, inner.min_random_size, call, inner.aead)
                    )
        return found

    def direct(self, call: ast.Call) -> Optional[NonceSite]:
        name = self.ctx.call_name(call)
        api = apis.NONCE_APIS.get(name) if name else None
        if api is None:
            return None
        facts = api.facts
        if api.kind == "pycryptodome-cipher":
            return self._pycryptodome(call, api)
        nonce = apis.argument(call, api, "nonce")
        if nonce is None:
            return None
        label = facts.get("algorithm") or f"modes.{facts.get('mode')}"
        if api.kind == "cipher-algorithm":
            label = f"algorithms.{label}"
        return NonceSite(
            call, api, nonce, str(facts.get("role", "nonce")), f"`{label}`",
            _int(facts.get("nonce_size")), _int(facts.get("min_random_size")), aead=bool(facts.get("authenticated")),
        )

    def _pycryptodome(self, call: ast.Call, api: apis.Api) -> Optional[NonceSite]:
        mode = apis.pycryptodome_mode(call, api, self.ctx.resolve, self.ctx.values.integer)
        if mode is None:
            return None
        block = _int(api.facts.get("block_size")) or 16
        label = f"`{api.facts.get('algorithm')}` in {mode} mode"
        size = apis.pycryptodome_nonce_size(mode, block)
        minimum = apis.MODE_MIN_RANDOM_SIZES.get(mode)
        if mode == "CTR":
            counter = apis.keyword_value(call, "counter")
            if counter is not None:
                return NonceSite(call, api, counter, "counter", label, size)
            initial = apis.keyword_value(call, "initial_value")
            if initial is not None and self.ctx.values.constant(initial) is None:
                return None  # the counter block's varying part is elsewhere
        found = apis.pycryptodome_nonce(call, mode)
        if found is None:
            return None
        role, nonce = found
        aead = mode in apis.AUTHENTICATED_MODES
        return NonceSite(call, api, nonce, "IV" if role == "iv" else "nonce", label, size, minimum, aead=aead)

    def _sites_by_param(self) -> Dict[ast.AST, List[Tuple[NonceSite, str]]]:
        """Direct sites whose nonce is a parameter of the enclosing function
        (never rebound there), by function."""
        if self._param_sites is None:
            table: Dict[ast.AST, List[Tuple[NonceSite, str]]] = {}
            for call in self.module.nodes_by_type.get(ast.Call, []):
                site = self.direct(call)  # type: ignore[arg-type]
                if site is None or not isinstance(site.nonce, ast.Name):
                    continue
                func = self.module.enclosing_function(call)
                param = self.parameter(site.nonce)
                if func is not None and param is not None and param.node in _parameters(func):
                    table.setdefault(func, []).append((site, site.nonce.id))
            self._param_sites = table
        return self._param_sites

    def parameter(self, name: ast.Name) -> Optional[Binding]:
        """The parameter binding `name` reads, if it is its only binding."""
        _, bindings = self.module.lookup(name.id, self.module.scope_of(name))
        if len(bindings) == 1 and bindings[0].kind == "param":
            return bindings[0]
        return None

    # ----------------------------------------------------------- direction
    def encrypts(self, site: NonceSite) -> Optional[bool]:
        """Whether the site's cipher encrypts: True when it does, False when
        it only decrypts or is never used, None when its use cannot be seen.

        Encrypting bytes of one repeated value (a keystream generator) is not
        counted for unauthenticated modes, where a repeated nonce leaks no
        plaintext then; with an AEAD it still exposes the authentication key.
        The last block of a CBC encryption kept alone is a CBC-MAC, whose IV
        is zero by definition.
        """
        facts = site.api.facts
        for param in facts.get("decrypting_params", ()):  # type: ignore[attr-defined]
            if apis.argument(site.call, site.api, param) is not None:
                return False  # `modes.GCM(iv, tag)` only decrypts
        fixed = facts.get("direction")
        if fixed is not None:
            found: Set[str] = {str(fixed)}
        else:
            found = self.uses.of(site.call, stop_at_return=site.via is not None)
        if RETURNED in found and site.via is not None:
            found = (found - {RETURNED}) | self.uses.of(site.via)
        if CONSTANT_PLAINTEXT in found:
            found = (found - {CONSTANT_PLAINTEXT}) | ({ENCRYPT} if site.aead else set())
        found.discard(MAC)
        if ENCRYPT in found:
            return True
        if not found or found == {DECRYPT}:
            return False  # only decrypts, or is never used
        return None

    # ----------------------------------------------------------------- keys
    def key(self, site: NonceSite) -> Optional[ast.AST]:
        """The key expression of the site's cipher, in the frame of its nonce."""
        call, sites = site.call, self
        key: Optional[ast.AST] = None
        if site.api.kind in ("aead-encrypt", "nacl-box") and isinstance(call.func, ast.Attribute):
            receiver = sites.definition(call.func.value)
            key = receiver
            if isinstance(receiver, ast.Call):
                key = receiver.args[0] if receiver.args else apis.keyword_value(receiver, "key")
        elif site.api.kind in ("pycryptodome-cipher", "pycryptodome-stream", "nacl-binding"):
            key = apis.argument(call, site.api, "key") or apis.keyword_value(call, "key")
        else:
            parent = self.module.parent(call)
            if isinstance(parent, ast.keyword):
                parent = self.module.parent(parent)
            ctor = apis.CIPHER_CONSTRUCTORS.get(self.ctx.call_name(parent) or "") if isinstance(parent, ast.Call) else None
            if ctor is not None:
                algorithm = sites.definition(apis.argument(parent, ctor, "algorithm"))  # type: ignore[arg-type]
                key = algorithm.args[0] if isinstance(algorithm, ast.Call) and algorithm.args else algorithm
        if key is None or site.via is None:
            return key
        if isinstance(key, ast.Name) and sites.parameter(key) is not None:
            target = self.module.called_function(site.via)
            return self.module.argument_for(site.via, target[0], key.id, target[1]) if target else None
        return key

    def single_use_key(self, site: NonceSite) -> bool:
        """Whether the site's key is made fresh (`AESGCM.generate_key`,
        `os.urandom(32)`) in the same function and pass as the encryption, so
        a fixed nonce is used once per key."""
        key = self.key(site)
        if not isinstance(key, ast.Name):
            return False
        scope = self.module.scope_of(key)
        owner, bindings = self.module.lookup(key.id, scope)
        if owner is not scope or not scope.is_function or len(bindings) != 1 or bindings[0].kind != "assign":
            return False
        binding = bindings[0]
        if self.ctx.values.fresh_random(binding.value) is None:
            return False
        return innermost_loop(self.module, binding.node) is innermost_loop(self.module, site.via or site.call)

    # --------------------------------------------------------------- values
    def constant(self, site: NonceSite) -> Optional[ast.AST]:
        """The expression that makes the site's nonce constant, or None."""
        if site.role == "counter":
            return self._constant_counter(site.nonce)
        const = self.ctx.values.constant(site.nonce)
        if const is None or not isinstance(const.value, (bytes, str)):
            return None
        return self.definition(site.nonce)

    def _constant_counter(self, expr: ast.expr) -> Optional[ast.AST]:
        made = self.definition(expr)
        if not isinstance(made, ast.Call):
            return None
        api = apis.COUNTER_MAKERS.get(self.ctx.call_name(made) or "")
        if api is None or any(k.arg is None for k in made.keywords):
            return None
        for role in api.params:
            part = apis.argument(made, api, role)
            if part is not None and self.ctx.values.constant(part) is None:
                return None
        return made

    def definition(self, expr: ast.expr) -> ast.expr:
        """`expr`, or what the name or attribute it reads is bound to once."""
        return definition(self.module, expr)

    def random_size(self, expr: ast.expr) -> Optional[Tuple[ast.Call, int]]:
        """(the CSPRNG call, its size in bytes) when `expr` is fresh random
        bytes of a known size, read directly or through a name bound once."""
        made = self.definition(expr)
        if not isinstance(made, ast.Call):
            return None
        name = self.ctx.call_name(made)
        api = apis.FRESH_RANDOM.get(name or "")
        if api is None or api.kind != "random-bytes":
            return None
        size_arg = apis.argument(made, api, "size")
        size = self.ctx.values.integer(size_arg) if size_arg is not None else _int(api.facts.get("default_size"))
        if size is None:
            return None
        return made, size


def _int(value: object) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _parameters(func: ast.AST) -> List[ast.arg]:
    args = getattr(func, "args", None)
    if args is None:
        return []
    return list(getattr(args, "posonlyargs", [])) + list(args.args) + list(args.kwonlyargs)


def _position(node: ast.AST) -> Tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def innermost_loop(module: Module, node: ast.AST) -> Optional[ast.AST]:
    """The innermost loop or comprehension around `node` in its function."""
    for anc in module.ancestors(node):
        if isinstance(anc, (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return anc
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return None
    return None


# ------------------------------------------------------------ messages
def spelled(ctx: Context, expr: ast.AST, limit: int = 40) -> Optional[str]:
    """The source of `expr` on one line, or None when it is too long."""
    text = ctx.spelled(expr)
    return text if len(text) <= limit else None


def fresh_size(site: NonceSite, value: object = None) -> Optional[int]:
    """The size of the fresh nonce to suggest: the old value's, when the
    library takes it (so the format stays the same), else the API's (None
    when no random size is safe, as for CTR with a 64-bit block cipher)."""
    if isinstance(value, (bytes, str)) and 0 < len(value) <= 128 and site.role != "counter":
        accepted = site.api.facts.get("accepted")
        low, high = accepted if isinstance(accepted, tuple) else (1, 128)
        if low <= len(value) <= high:
            return len(value)
    return site.size


def advice(size: Optional[int], site: Optional[NonceSite] = None) -> str:
    """The end of every nonce message."""
    if site is not None and site.via is None and site.api.facts.get("makes_nonce"):
        return "pass no nonce, so that `encrypt` makes a fresh one and keeps it with the ciphertext"
    if size is None:
        return "make a fresh nonce for every encryption"
    return f"make a fresh `os.urandom({size})` for every encryption"


def is_pynacl(site: NonceSite) -> bool:
    """A PyNaCl site: CRY608 reports it, CRY501/CRY502 leave it alone."""
    return site.api.facts.get("library") == "pynacl"


def drop_nonce_fix(ctx: Context, site: NonceSite) -> Optional[Fix]:
    """Leave the nonce out of a call that then makes a fresh one and returns
    it in front of the ciphertext (`makes_nonce`: PyNaCl's `encrypt`).

    Safe when the result is used whole: whatever reads it (`decrypt(blob)`)
    finds the new nonce where it found the old one.  No fix when the result
    is cut (`.ciphertext`, `blob[24:]`), whose reader brings its own nonce.
    """
    call = site.call
    if not site.api.facts.get("makes_nonce") or site.via is not None or not _kept_whole(ctx, call):
        return None
    by_keyword = any(kw.value is site.nonce for kw in call.keywords)
    last_positional = bool(call.args) and call.args[-1] is site.nonce
    if not (by_keyword or last_positional) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    edit = rebuild_call(ctx, call, drop=(site.nonce,))
    if edit is None:
        return None
    return Fix("Pass no nonce: `encrypt` makes a fresh one", Applicability.SAFE, (edit,))


def _kept_whole(ctx: Context, call: ast.Call, depth: int = 0) -> bool:
    """The result of `call` is never cut into its parts (`.ciphertext`, a
    slice), here or, when it is returned, where this module calls the function."""
    parent = ctx.module.parent(call)
    if _cut(parent, call):
        return False
    if isinstance(parent, ast.Return):
        func = ctx.module.enclosing_function(parent)
        sites = ctx.module.call_sites(func) if func is not None and depth < 2 else []
        return all(_kept_whole(ctx, site, depth + 1) for site, _ in sites)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        for target in targets:
            if isinstance(target, ast.Name):
                if any(_cut(ctx.module.parent(use), use) for use in ctx.flows.uses(target)):
                    return False
            else:
                return False  # `self.blob = ...`: its readers are out of sight
    return True


def _cut(parent: Optional[ast.AST], child: ast.AST) -> bool:
    if isinstance(parent, ast.Attribute):
        return parent.attr == "ciphertext"
    return isinstance(parent, ast.Subscript) and parent.value is child
