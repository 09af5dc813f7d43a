"""CRY206: MD5 or SHA-1 applied to secret material, or used to make a token."""

from __future__ import annotations

import ast
from typing import FrozenSet, List, Optional, Set

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.analysis.names import TRANSPARENT_TAILS, SecretName, split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._hash_sites import (
    HashSite,
    declared_not_for_security,
    display_callee,
    feeds,
    hash_site,
    keyed,
    pretty_algorithm,
)
from cryptolint.checks._password_values import display_name, leaves, password_leaves, role_of
from cryptolint.diagnostic import Level

#: Roles of data that must not go through MD5/SHA-1 (passwords are CRY201's).
_SECRET_DATA_ROLES = frozenset({"token", "secret", "key", "otp", "pin", "csrf", "session", "code", "signature", "mac"})
#: Words of a destination that make the digest an identifier, not a secret:
#: cache keys, ETags, lock and file names, fingerprints, shard choices.
_NON_SECURITY_WORDS = frozenset(
    """
    cache cached etag lock lockfile checksum checksums fingerprint fingerprints
    thumbprint filename file files path dir directory name names id ids kid
    label tag bucket shard partition slot color colour avatar gravatar
    dedup dedupe uid guid identifier ident idx index bucket buckets
    """.split()
)
#: Words of a destination that name a hash *of* a secret (`hash_pin`,
#: `token_digest`): not a token made by the hash.
_HASH_OF_WORDS = frozenset({"hash", "hashed", "digest", "hexdigest"})
#: Words before the head of a token-like destination that make it a content
#: or cache marker (`version_token`, `cache_token`, `content_signature`).
_MARKER_MODIFIERS = _NON_SECURITY_WORDS | frozenset({"version", "content", "revision", "build", "asset", "static", "change", "state"})
#: Words of a callee that mean "this looks something up or logs it" when
#: the digest is passed to it (`cache.get(md5(token).hexdigest())`).
_LOOKUP_CALL_WORDS = frozenset(
    {"cache", "caches", "memcache", "memoize", "lock", "log", "logger", "logging", "debug", "info", "warning", "print"}
)
#: Words in front of `key` that name public key material, whose digest is a
#: fingerprint (`host_key`, `cert_key`).
_PUBLIC_KEY_MODIFIERS = frozenset({"host", "hostkey", "known", "cert", "certificate", "x509", "server", "ssh", "authorized", "gpg", "pgp"})
#: Calls that turn a digest into a number (a bucket or shard index).
_NUMERIC_CALLS = frozenset({"builtins.int", "builtins.int.from_bytes"})
#: Bare words that are often not secrets at all (`key`, `pin`, `sig`).
_WEAK_WORDS = frozenset({"key", "pin", "sig", "mac", "digest", "code"})


class WeakHashForSecurity(Check):
    CODE = "CRY206"
    NAME = "weak-hash-for-security"
    CATEGORY = "passwords-and-hashing"
    SUMMARY = "MD5 or SHA-1 is applied to secret material or used to make a token."
    MESSAGE = "MD5 or SHA-1 is used on secret material; use `hashlib.sha256`, or `hmac` for a keyed check"
    TEST_CODE = TestCode.SKIP
    CWE = (327, 328)
    PROTOCOLS = ("ntlm", "kerberos", "ms-rpc", "websocket")
    TRIGGERS = ("hashlib", "crypto")

    def visit_Call(self, node: ast.Call) -> None:
        site = hash_site(self.ctx, node)
        if site is None or site.algorithm not in apis.WEAK_HASHES:
            return
        if declared_not_for_security(site) or keyed(site):
            return
        data = feeds(self.ctx, site)
        if self._exempt(data):
            return
        if not self._report_in_context(node, site, data) and self.ctx.policy.strict and site.kind == "constructor":
            self._report_context_free(node, site)

    def _report_in_context(self, node: ast.Call, site: HashSite, data: List[ast.expr]) -> bool:
        """Report the weak hash where its input or its digest is a secret."""
        callee = display_callee(self.ctx, site)
        algorithm = pretty_algorithm(site.algorithm)
        secret = self._secret_leaf(site.data)
        if secret is not None and not self._identifier_use(site):
            message = (
                f"{callee} applies {algorithm}, a broken hash, to the secret `{display_name(self.ctx, secret)}`; "
                "use `hashlib.sha256`, or `hmac` with a key for an integrity check"
            )
            self.report(node, message)
            return True
        if site.kind != "constructor" or not data or any(self._secret_leaf(d) is not None for d in data):
            return False
        if self._function_words(node) & (_NON_SECURITY_WORDS | _HASH_OF_WORDS):
            return False
        sink = self._secret_sink(node)
        if sink is None:
            return False
        message = (
            f"{callee} makes {_describe(sink)} with {algorithm} from guessable input; "
            "use `secrets.token_urlsafe` (or `cryptolint.safe.token`) for tokens and `hmac` for signatures"
        )
        self.report(node, message)
        return True

    def _report_context_free(self, node: ast.Call, site: HashSite) -> None:
        """The auditor's mode: every MD5/SHA-1 hash not declared harmless, as a note."""
        callee, algorithm = display_callee(self.ctx, site), pretty_algorithm(site.algorithm)
        declare = " or pass `usedforsecurity=False` if it protects nothing" if site.maker.startswith(("hashlib.", "_hashlib.")) else ""
        self.report(node, f"{callee} uses {algorithm}, a broken hash; use `hashlib.sha256`{declare}", level=Level.NOTE)

    # ------------------------------------------------------------ data side
    def _exempt(self, data: List[ast.expr]) -> bool:
        """Randomness (hashing fresh bytes is fine; `random`/`uuid` inputs are
        CRY101/CRY102's), a password (CRY201's), or a protocol constant."""
        for expr in data:
            if password_leaves(self.ctx, expr):
                return True
            if self.ctx.values.sources(expr, self._random_or_protocol):
                return True
        return False

    def _random_or_protocol(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            value = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
            return isinstance(value, str) and any(c in value for c in apis.PROTOCOL_HASH_CONSTANTS)
        if not isinstance(node, ast.Call):
            return False
        name = self.ctx.call_name(node) or ""
        if name in apis.FRESH_RANDOM or name in apis.INSECURE_RANDOM or name in apis.UUID_FUNCTIONS:
            return True
        if name.startswith(("secrets.", "random.")):
            return True
        func = node.func
        ident = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return any(w in ("random", "urandom", "uuid", "uuid4") for w in split_words(ident))

    def _secret_leaf(self, data: Optional[ast.expr]) -> Optional[ast.AST]:
        for leaf in leaves(self.ctx, data):
            role = role_of(self.ctx, leaf)
            if _is_secret(role) and not self._misnamed(leaf):
                return leaf
        return None

    def _misnamed(self, leaf: ast.AST) -> bool:
        """A secret-looking name that holds something else: a loop variable
        (`for token in tokenize(text)`, the words of a text) or a variable
        assembled from non-secret parts (`token = f"{date}_{amount}"`)."""
        while isinstance(leaf, ast.Call) and isinstance(leaf.func, ast.Attribute) and leaf.func.attr in ("encode", "decode", "lower", "strip"):
            leaf = leaf.func.value
        if not isinstance(leaf, ast.Name):
            return False
        _, bindings = self.ctx.module.lookup(leaf.id, self.ctx.module.scope_of(leaf))
        if bindings and all(b.kind == "loop" for b in bindings):
            return True
        if len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
            value = bindings[0].value
            composed = isinstance(value, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("join", "format")
            )
            if composed:
                return not any(_is_secret(role_of(self.ctx, part)) for part in leaves(self.ctx, value))
        return False

    # ------------------------------------------------------ destination side
    def _function_words(self, node: ast.AST) -> Set[str]:
        """Words of the enclosing function's name: `hash_name` and
        `generate_package_id` make identifiers, whatever their locals are called."""
        function = self.ctx.module.enclosing_function(node)
        if function is None or isinstance(function, ast.Lambda):
            return set()
        return set(split_words(function.name))

    def _destinations(self, node: ast.Call) -> List[Sink]:
        return self.ctx.flows.sinks(node)

    def _identifier_use(self, site: HashSite) -> bool:
        """The digest names something (a cache key, a file, a fingerprint,
        a bucket)."""
        node = site.constructor if site.constructor is not None else site.call
        if self._bucketed(node, 0):
            return True
        for sink in self._destinations(node):
            if not _is_secret(sink.role) and _words_in(sink.name, _NON_SECURITY_WORDS):
                return True
        landing = self._landing_call(node)
        if landing is not None:
            func = landing.func
            words: List[str] = []
            while isinstance(func, ast.Attribute):
                words.extend(split_words(func.attr))
                func = func.value
            if isinstance(func, ast.Name):
                words.extend(split_words(func.id))
            if any(w in _NON_SECURITY_WORDS or w in _LOOKUP_CALL_WORDS for w in words):
                return True
        return False

    def _bucketed(self, node: ast.AST, depth: int) -> bool:
        """The digest becomes a number (`int(md5(t).hexdigest(), 16) % dim`,
        `int.from_bytes(...)`) or a dict key: feature hashing, sharding,
        counting, never a secret."""
        current = node
        for _ in range(10):
            parent = self.ctx.module.parent(current)
            if parent is None or isinstance(parent, ast.stmt) and not isinstance(parent, (ast.Assign, ast.AnnAssign)):
                return False
            if isinstance(parent, ast.Call) and self.ctx.call_name(parent) in _NUMERIC_CALLS:
                return True
            if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Mod, ast.BitAnd)):
                return True
            if isinstance(parent, ast.Subscript) and current is parent.slice:
                return True
            if isinstance(parent, (ast.Assign, ast.AnnAssign)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                if depth >= 2:
                    return False
                for target in targets:
                    if isinstance(target, ast.Name) and self.ctx.classify(target.id) is None:
                        if any(self._bucketed(use, depth + 1) for use in self.ctx.flows.uses(target)):
                            return True
                return False
            current = parent
        return False

    def _landing_call(self, node: ast.AST) -> Optional[ast.Call]:
        """The call the digest is passed to as an argument, if any."""
        current = node
        for _ in range(8):
            parent = self.ctx.module.parent(current)
            if parent is None:
                return None
            if isinstance(parent, ast.Call) and current is not parent.func:
                if isinstance(parent.func, ast.Attribute) and parent.func.attr in ("join", "format", "encode", "decode"):
                    current = parent
                    continue
                return parent
            if isinstance(parent, ast.keyword):
                current = parent
                continue
            if isinstance(parent, (ast.Attribute, ast.Call, ast.Subscript, ast.BinOp, ast.JoinedStr, ast.FormattedValue)):
                current = parent
                continue
            return None
        return None

    def _secret_sink(self, node: ast.Call) -> Optional[Sink]:
        sinks = self._destinations(node)
        if any(not _is_secret(s.role) and _words_in(s.name, _NON_SECURITY_WORDS) for s in sinks):
            return None
        for sink in sinks:
            if sink.kind in ("name", "key", "return", "keyword") and _is_secret(sink.role):
                modifiers = set(_body(sink.role)[:-1]) if sink.role is not None else set()
                if not _words_in(sink.name, _HASH_OF_WORDS) and not modifiers & _MARKER_MODIFIERS:
                    return sink
        return None


def _body(role: SecretName) -> List[str]:
    """The words of a name without wrapper tails (`key_bytes` -> `key`)."""
    body = list(role.words)
    while len(body) > 1 and body[-1] in TRANSPARENT_TAILS:
        body.pop()
    return body


def _is_secret(role: Optional[SecretName]) -> bool:
    if role is None or role.role not in _SECRET_DATA_ROLES:
        return False
    body = _body(role)
    if len(body) == 1 and body[0] in _WEAK_WORDS:
        return False
    if role.role == "key" and any(w in _PUBLIC_KEY_MODIFIERS for w in body[:-1]):
        return False
    return True


def _words_in(identifier: str, words: FrozenSet[str]) -> bool:
    return any(w in words for w in split_words(identifier))


def _describe(sink: Sink) -> str:
    if sink.kind == "return":
        return f"the value returned by `{sink.name}`"
    if sink.kind == "keyword":
        return f"the `{sink.name}` argument"
    return f"`{sink.name}`"
