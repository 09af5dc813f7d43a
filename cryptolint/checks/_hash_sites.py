"""Where data enters a hash: what CRY201 and CRY206 share.

- `hash_site(ctx, call)`: when `call` feeds data to a hash (a constructor such
  as `hashlib.sha256(data)`, `hashlib.new("md5", data)`, PyCryptodome
  `SHA256.new(data)`, or `.update(data)` on a hash object made by one of
  those or by `cryptography`'s `hashes.Hash(...)`), the algorithm, the data
  argument and the call that made the hash object.
- `feeds(ctx, site)`: every data expression that goes into one hash object.
- `feeds_slow_hash`, `length_normalisation`: hashing that is a step of a
  password hash or KDF (a pre-hash for bcrypt, an HMAC key reduction).
- `iteration(ctx, site)`: the loop that hashes the digest of `site` again
  and again (`for _ in range(1000): h = sha256(h + salt).digest()`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Collection, List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.analysis.names import ROLE_WORDS, split_words
from cryptolint.checks._password_values import HASHED_WORDS
from cryptolint.context import Context

#: Human spelling of hash algorithm names.
_PRETTY = {
    "md2": "MD2", "md4": "MD4", "md5": "MD5", "sha": "SHA-1", "sha1": "SHA-1", "ripemd160": "RIPEMD-160",
    "md5-sha1": "MD5-SHA1", "md5_sha1": "MD5-SHA1", "sm3": "SM3",
    "blake2b": "BLAKE2b", "blake2s": "BLAKE2s", "shake_128": "SHAKE128", "shake_256": "SHAKE256",
    "shake128": "SHAKE128", "shake256": "SHAKE256",
}


def pretty_algorithm(name: Optional[str]) -> str:
    """`sha256` -> `SHA-256`, `sha3_512` -> `SHA3-512`, `md5` -> `MD5`."""
    if name is None:
        return "a fast hash"
    lowered = name.lower()
    if lowered in _PRETTY:
        return _PRETTY[lowered]
    if lowered.startswith("sha3_"):
        return "SHA3-" + lowered[5:]
    if lowered.startswith("sha512_"):
        return "SHA-512/" + lowered[7:]
    if lowered.startswith("sha"):
        return "SHA-" + lowered[3:]
    return name.upper()


@dataclass(frozen=True)
class HashSite:
    """A call through which data enters a hash."""

    call: ast.Call
    #: `constructor` (data given when the object is made), or `update`.
    kind: str
    #: The data argument (None: the call hashes nothing).
    data: Optional[ast.expr]
    #: Lower-case algorithm name (`md5`, `sha256`), None when not known.
    algorithm: Optional[str]
    #: The call that made the hash object (the call itself for constructors),
    #: None when it cannot be found.
    constructor: Optional[ast.Call]
    #: Its qualified name (`hashlib.sha256`, `hashlib.new`...).
    maker: str


def hash_site(ctx: Context, call: ast.Call) -> Optional[HashSite]:
    """The hash that `call` feeds, or None if it is not a hash call."""
    name = ctx.call_name(call)
    if name is None:
        return None
    made = _made_hash(ctx, call, name)
    if made is not None:
        algorithm, data = made
        return HashSite(call, "constructor", data, algorithm, call, name)
    owner, _, method = name.rpartition(".")
    if method not in apis.HASH_UPDATE_METHODS or not owner.endswith("()"):
        return None
    maker = owner[:-2]
    if maker not in apis.HASH_CONSTRUCTORS and maker not in apis.HASH_BY_NAME and maker not in apis.HASH_CONTEXTS:
        return None
    if not call.args or isinstance(call.args[0], ast.Starred):
        return None
    constructor = _constructor(ctx, call, maker)
    algorithm = apis.HASH_CONSTRUCTORS.get(maker)
    if algorithm is None and constructor is not None:
        made = _made_hash(ctx, constructor, maker)
        algorithm = made[0] if made is not None else None
    return HashSite(call, "update", call.args[0], algorithm, constructor, maker)


def _made_hash(ctx: Context, call: ast.Call, name: str) -> Optional[Tuple[Optional[str], Optional[ast.expr]]]:
    """(algorithm, data) for a call that makes a hash object."""
    if name in apis.HASH_CONSTRUCTORS:
        return apis.HASH_CONSTRUCTORS[name], _data_argument(call, 0)
    api = apis.HASH_BY_NAME.get(name)
    if api is not None and "data" in api.params:
        algo = ctx.values.string(apis.argument(call, api, "algorithm"))
        data = apis.argument(call, api, "data")
        if data is None:
            data = _data_argument(call, None)
        return (algo.lower() if algo else None), data
    api = apis.HASH_CONTEXTS.get(name)
    if api is not None:
        algorithm = apis.argument(call, api, "algorithm")
        algo = None
        if isinstance(algorithm, ast.Call):
            algo = apis.HASH_ALGORITHM_CLASSES.get(ctx.call_name(algorithm) or "")
        return algo, None
    return None


def _data_argument(call: ast.Call, position: Optional[int]) -> Optional[ast.expr]:
    if position is not None and len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    for kw in call.keywords:
        if kw.arg in apis.HASH_DATA_KEYWORDS:
            return kw.value
    return None


def _constructor(ctx: Context, call: ast.Call, maker: str) -> Optional[ast.Call]:
    """The call that made the object whose method `call` calls."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    value: Optional[ast.AST] = owner
    if isinstance(owner, ast.Name):
        value = ctx.module.single_value(owner.id, ctx.module.scope_of(owner))
    elif isinstance(owner, ast.Attribute):
        value = ctx.module.attribute_value(owner)
    if isinstance(value, ast.Call) and ctx.call_name(value) == maker:
        return value
    return None


def declared_not_for_security(site: HashSite) -> bool:
    """`usedforsecurity=False` on the call or on the hash object's constructor."""
    for call in (site.call, site.constructor):
        if call is None:
            continue
        flag = apis.keyword_value(call, "usedforsecurity")
        if isinstance(flag, ast.Constant) and flag.value is False:
            return True
    return False


def keyed(site: HashSite) -> bool:
    """A BLAKE2 hash with a `key=`: a MAC, not a plain hash."""
    if site.constructor is None:
        return False
    return apis.keyword_value(site.constructor, "key") is not None


def display_callee(ctx: Context, site: HashSite) -> str:
    """"`hashlib.sha256`", "`sha256` (`hashlib.sha256`)", or "`h.update`"."""
    func = site.call.func
    spelled = ctx.spelled(func)
    if site.kind == "update":
        return f"`{spelled}`" if len(spelled) <= 40 else "`update`"
    if spelled == site.maker or len(spelled) > 40:
        return f"`{site.maker}`"
    return f"`{spelled}` (`{site.maker}`)"


def feeds(ctx: Context, site: HashSite) -> List[ast.expr]:
    """Every data expression that goes into the hash object of `site`: the
    constructor's data and each `.update(...)` on the variable bound to it."""
    out: List[ast.expr] = []
    constructor = site.constructor
    if constructor is None:
        return [site.data] if site.data is not None else []
    made = _made_hash(ctx, constructor, site.maker)
    if made is not None and made[1] is not None:
        out.append(made[1])
    parent = ctx.module.parent(constructor)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        for use in ctx.flows.uses(parent.targets[0]):
            attribute = ctx.module.parent(use)
            call = ctx.module.parent(attribute) if isinstance(attribute, ast.Attribute) else None
            if isinstance(call, ast.Call) and isinstance(attribute, ast.Attribute) and call.func is attribute and attribute.attr in apis.HASH_UPDATE_METHODS and call.args:
                out.append(call.args[0])
    elif isinstance(parent, ast.Attribute) and parent.attr in apis.HASH_UPDATE_METHODS:
        call = ctx.module.parent(parent)
        if isinstance(call, ast.Call) and call.args:
            out.append(call.args[0])
    if site.data is not None and all(d is not site.data for d in out):
        out.append(site.data)
    return out


#: Parts of the name of a function or class that implements a KDF or a slow
#: password hash, whose inner hashing of the password is part of the slow
#: construction (`_bcrypt_pbkdf`, `BCryptSHA256PasswordHasher`).
_KDF_WORDS = frozenset({"pbkdf", "kdf", "bcrypt", "scrypt", "argon2", "hmac"})


def digest_sinks(ctx: Context, site: HashSite) -> List[Sink]:
    """Where the digest of the hash object of `site` goes."""
    node = site.constructor if site.constructor is not None else site.call
    return ctx.flows.sinks(node)


def feeds_slow_hash(ctx: Context, site: HashSite) -> bool:
    """The digest is a pre-hash handed to a password hash or KDF
    (`bcrypt.hashpw(b64encode(sha256(pw).digest()), salt)`), or the hashing
    is part of a KDF's own implementation."""
    slow = (apis.KDF_APIS, apis.PASSWORD_HASH_APIS)
    for ancestor in ctx.module.ancestors(site.call):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            lowered = ancestor.name.lower()
            if any(word in lowered for word in _KDF_WORDS):
                return True
    for sink in digest_sinks(ctx, site):
        if sink.kind == "api" and sink.api is not None and any(sink.api.name in t for t in slow):
            return True
        if sink.kind == "name" and isinstance(sink.node, (ast.Assign, ast.AnnAssign)):
            targets = sink.node.targets if isinstance(sink.node, ast.Assign) else [sink.node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id == sink.name:
                    for use in ctx.flows.uses(target):
                        if _inside_call_of(ctx, use, slow):
                            return True
    return False


def _inside_call_of(ctx: Context, node: ast.AST, tables: Tuple[Collection[str], ...]) -> bool:
    for ancestor in ctx.module.ancestors(node):
        if isinstance(ancestor, ast.stmt):
            return False
        if isinstance(ancestor, ast.Call):
            name = ctx.call_name(ancestor)
            if name is not None and any(name in t for t in tables):
                return True
    return False


def length_normalisation(ctx: Context, site: HashSite, value: ast.AST) -> bool:
    """`if len(password) > 72: password = sha256(password).digest()`: the hash
    only shortens an over-long password (bcrypt's limit, an HMAC key)."""
    name = _base_name(value)
    if name is None:
        return False
    for ancestor in ctx.module.ancestors(site.call):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp, ast.While)):
            for sub in ast.walk(ancestor.test):
                if isinstance(sub, ast.Call) and ctx.call_name(sub) == "builtins.len" and sub.args:
                    if _base_name(sub.args[0]) == name:
                        return True
    return False


def _base_name(expr: ast.AST) -> Optional[str]:
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        expr = expr.func.value
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def security_hash_site(ctx: Context, call: ast.Call) -> Optional[HashSite]:
    """`hash_site(ctx, call)` when it hashes some data for security: not
    declared `usedforsecurity=False`, not a keyed BLAKE2 (a MAC)."""
    site = hash_site(ctx, call)
    if site is None or site.data is None:
        return None
    if declared_not_for_security(site) or keyed(site):
        return None
    return site


def key_sink(ctx: Context, site: HashSite) -> Optional[Sink]:
    """Where the digest becomes a key: a key-named variable, attribute or
    keyword (`key = sha256(pw).digest()`) or the key of a crypto API
    (`Fernet(urlsafe_b64encode(sha256(pw).digest()))`)."""
    for sink in digest_sinks(ctx, site):
        if sink.role is not None and sink.role.role == "key":
            return sink
    return None


def password_hash_sink(ctx: Context, site: HashSite) -> Optional[Sink]:
    """Where the digest is kept under a password-hash name (`user.password_hash
    = ...`, `{"pw_hash": ...}`, `return` from `hash_password`): whatever was
    hashed is a password."""
    for sink in digest_sinks(ctx, site):
        if sink.kind not in ("name", "key", "keyword", "return"):
            continue
        words = split_words(sink.name)
        if any(ROLE_WORDS.get(w) == "password" for w in words) and any(w in HASHED_WORDS for w in words):
            return sink
    return None


#: Methods that turn a hash object into the digest a loop hashes again.
_DIGEST_METHODS = frozenset({"digest", "hexdigest"})


@dataclass(frozen=True)
class Iteration:
    """A loop that hashes a digest again: the loop, and its count when known."""

    loop: ast.AST
    count: Optional[int]
    #: What the digest variable holds before the loop (`h = password.encode()`).
    seeds: Tuple[ast.expr, ...] = ()

    def describe(self) -> str:
        """"iterated `1000` times (line 7)", or "iterated in a loop (line 7)"."""
        times = f"iterated `{self.count}` times" if self.count is not None else "iterated in a loop"
        return f"{times} (line {getattr(self.loop, 'lineno', 0)})"


def iteration(ctx: Context, site: HashSite) -> Optional[Iteration]:
    """The `for` or `while` loop, in the function of `site`, that assigns a
    digest of the variable holding `site`'s digest back to that variable:
    `site` inside it (`h = sha256(h + salt).digest()`) or before it (the
    first round, then `digest = sha512(digest + salt).digest()`)."""
    name = _digest_variable(ctx, site.call)
    if name is None:
        return None
    scope = ctx.module.enclosing_function(site.call) or ctx.tree
    for loop in ast.walk(scope):
        if not isinstance(loop, (ast.For, ast.While)) or (ctx.module.enclosing_function(loop) or ctx.tree) is not scope:
            continue
        for node in ast.walk(loop):
            if not isinstance(node, ast.Call) or _digest_variable(ctx, node) != name:
                continue
            again = hash_site(ctx, node)
            if again is not None and again.data is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(again.data)):
                return Iteration(loop, _count(ctx, loop), _seeds(ctx, scope, loop, name))
    return None


def _seeds(ctx: Context, scope: ast.AST, loop: ast.AST, name: str) -> Tuple[ast.expr, ...]:
    """The values `name` is assigned in `scope` before `loop`, outside it."""
    inside = {id(n) for n in ast.walk(loop)}
    return tuple(
        node.value
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign) and id(node) not in inside and getattr(node, "lineno", 0) < getattr(loop, "lineno", 0)
        and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name
        and (ctx.module.enclosing_function(node) or ctx.tree) is scope
    )


def _digest_variable(ctx: Context, call: ast.Call) -> Optional[str]:
    """`h` in `h = sha256(data).digest()` (or `.hexdigest()`)."""
    attribute = ctx.module.parent(call)
    if not isinstance(attribute, ast.Attribute) or attribute.attr not in _DIGEST_METHODS:
        return None
    node = ctx.module.parent(attribute)
    parent = ctx.module.parent(node) if node is not None else None
    if isinstance(node, ast.Call) and isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    return None


def _count(ctx: Context, loop: ast.AST) -> Optional[int]:
    """N for `for _ in range(N)` (or `range(a, b)`), when the bounds are known."""
    if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.Call) or ctx.call_name(loop.iter) != "builtins.range":
        return None
    bounds = [ctx.values.integer(arg) for arg in loop.iter.args]
    if len(bounds) == 1 and bounds[0] is not None:
        return bounds[0]
    if len(bounds) == 2 and bounds[0] is not None and bounds[1] is not None:
        return bounds[1] - bounds[0]
    return None
