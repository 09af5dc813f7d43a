"""CRY703: a JWT decoded without checking its signature, or letting the token choose its algorithm."""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.names import split_words
from cryptolint.checks._base import Check, TestCode

_FORGED = "so anyone can forge its claims"
#: Words of a function or variable that say, honestly, that the claims are
#: read unverified (`get_unverified_claims`, `peek_payload`).
_UNVERIFIED_WORDS = frozenset({"unverified", "unsafe", "insecure", "peek", "untrusted"})
#: What an unverified decode may be read for: choosing the key that then
#: verifies the token (its header, key id, issuer, algorithm).
_KEY_SELECTION_FIELDS = frozenset({"header", "kid", "iss", "alg", "jku", "x5u", "x5t"})


class JwtVerificationDisabled(Check):
    CODE = "CRY703"
    NAME = "jwt-verification-disabled"
    CATEGORY = "key-management"
    SUMMARY = "A JWT is decoded without checking its signature, the token may choose its own algorithm (`none`, no `algorithms`), or a token is issued unsigned (`algorithm=\"none\"`, itsdangerous's `NoneAlgorithm`)."
    MESSAGE = f"A JWT is decoded without checking its signature, {_FORGED}; verify it with the issuer's key and a fixed `algorithms` list"
    TEST_CODE = TestCode.SKIP
    CWE = (347, 345)
    TRIGGERS = ("jwt", "jose", "jws", "nonealgorithm")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.module.call_name_through_with(node)
        if name is not None and (name in apis.JWT_ENCODERS or name in apis.UNSIGNED_SIGNERS):
            self._unsigned_issued(node, name)
            return
        api = apis.JWT_DECODERS.get(name) if name else None
        if api is None:
            return
        shown = self.ctx.shown(node.func, name)
        algorithms = self._argument(node, api, "algorithms")
        if api.kind == "jwt-decoder":
            self._unsigned_allowed(algorithms, shown)
            return
        disabled = self._verification_off(node, api)
        if disabled is not None:
            if not self._pre_read(node, api):
                where, what = disabled
                self.report(where, f"`{shown}` skips the signature check (`{what}`), {_FORGED}; verify it with the issuer's key and a fixed `algorithms` list")
            return
        if algorithms is not None:
            if not self._unsigned_allowed(algorithms, shown):
                self._token_chosen(algorithms, shown)
            return
        if api.facts.get("requires_algorithms") and self._key_without_algorithm(node, api):
            self.report(
                node.func,
                f"`{shown}` gets a key but no `algorithms`: PyJWT 1.x then accepts the algorithm the token names "
                "(an HMAC made with a public key, or `none`), 2.x refuses; pass a fixed list such as `algorithms=[\"RS256\"]`",
            )

    # --------------------------------------------------------- issuing
    def _unsigned_issued(self, call: ast.Call, name: str) -> None:
        """`jwt.encode(claims, None, algorithm="none")`, itsdangerous's `NoneAlgorithm()`."""
        shown = self.ctx.shown(call.func, name)
        if name in apis.UNSIGNED_SIGNERS:
            self.report(
                call,
                f"`{shown}` signs nothing, so any token of the right form passes and anyone can forge one; "
                "keep the default HMAC algorithm with a secret key",
            )
            return
        api = apis.JWT_ENCODERS[name]
        algorithm = apis.argument_or_keyword(call, api, "algorithm")
        text = self.ctx.values.string(algorithm) if algorithm is not None else None
        if algorithm is not None and text is not None and text.lower() in apis.JWT_UNSIGNED_ALGORITHMS:
            self.report(algorithm, f"`{shown}` issues an unsigned token (`algorithm={self.ctx.shown(algorithm)}`), {_FORGED}; sign it with a secret or private key")
            return
        key = apis.argument_or_keyword(call, api, "key")
        if key is not None and algorithm is None:
            const = self.ctx.values.constant(key)
            if const is not None and const.value is None:
                self.report(key, f"`{shown}` is given no key (`None`), so the token is not signed with a secret and {_FORGED[3:]}; sign it with a secret or private key")

    # ------------------------------------------------------------ arguments
    def _argument(self, call: ast.Call, api: apis.Api, role: str) -> Optional[ast.expr]:
        found = apis.argument_or_keyword(call, api, role)
        if role == "algorithms" and found is not None and self._is_legacy_verify(call, api, found):
            return None
        return found

    def _is_legacy_verify(self, call: ast.Call, api: apis.Api, found: ast.expr) -> bool:
        """PyJWT 1.x took `verify` where 2.x takes `algorithms`: a boolean there is 1.x's."""
        position = api.facts.get("legacy_verify_position")
        if not isinstance(position, int) or len(call.args) <= position or call.args[position] is not found:
            return False
        const = self.ctx.values.constant(found)
        return const is not None and isinstance(const.value, bool)

    def _verification_off(self, call: ast.Call, api: apis.Api) -> Optional[Tuple[ast.expr, str]]:
        """The argument that turns the signature check off, and how a message shows it."""
        verify = self._argument(call, api, "verify")
        if verify is not None and self.ctx.values.is_false(verify):
            return verify, f"verify={self.ctx.shown(verify)}"
        legacy = api.facts.get("legacy_verify_position")
        if isinstance(legacy, int) and len(call.args) > legacy and self._is_legacy_verify(call, api, call.args[legacy]):
            if self.ctx.values.is_false(call.args[legacy]):
                return call.args[legacy], f"verify={self.ctx.shown(call.args[legacy])}"
        options = self._argument(call, api, "options")
        if options is None:
            return None
        value = self._option(options, apis.JWT_VERIFY_OPTION)
        if value is None or not self.ctx.values.is_false(value):
            return None
        if any(sub is value for sub in ast.walk(options)):
            return value, f'"{apis.JWT_VERIFY_OPTION}": {self.ctx.shown(value)}'
        return options, f"options={self.ctx.shown(options)}"

    def _option(self, options: ast.expr, key: str) -> Optional[ast.expr]:
        """The value of `key` in an options dict (a literal, `dict(...)`, or a
        name or attribute bound once to one)."""
        node = self._bound(options)
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == key:
                    return v
        if isinstance(node, ast.Call) and self.ctx.call_name(node) == "builtins.dict":
            return apis.keyword_value(node, key)
        return None

    def _bound(self, expr: ast.expr) -> Optional[ast.AST]:
        """What a name (or `self.` attribute) bound once holds, else `expr`."""
        if isinstance(expr, ast.Name):
            return self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
        if isinstance(expr, ast.Attribute):
            return self.ctx.module.attribute_value(expr)
        return expr

    # ----------------------------------------------------------- algorithms
    def _unsigned_allowed(self, algorithms: Optional[ast.expr], shown: str) -> bool:
        """`algorithms=["none"]`: unsigned tokens pass."""
        if algorithms is None:
            return False
        for item in self._items(algorithms):
            text = self.ctx.values.string(item)
            if text is not None and text.lower() in apis.JWT_UNSIGNED_ALGORITHMS:
                inline = any(sub is item for sub in ast.walk(algorithms))
                where = "" if inline else f" (through `{self.ctx.shown(algorithms)}`)"
                self.report(
                    item if inline else algorithms,
                    f"`{shown}` accepts the `{text}` algorithm{where}, so an unsigned token passes and anyone can forge one; "
                    "allow only the algorithm the issuer signs with",
                )
                return True
        return False

    def _items(self, algorithms: ast.expr) -> List[ast.expr]:
        node = self._bound(algorithms)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return list(node.elts)
        return [node] if isinstance(node, ast.expr) else []

    def _token_chosen(self, algorithms: ast.expr, shown: str) -> None:
        """`algorithms=[header["alg"]]` after `get_unverified_header(token)`."""
        readers = self.ctx.values.sources(algorithms, self._unverified_reader)
        if readers:
            self.report(
                algorithms,
                f"`{shown}` takes its `algorithms` from the token's own header, so the token picks how it is checked "
                "(an HMAC made with a public key passes); use the fixed algorithm the issuer signs with",
            )

    def _unverified_reader(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and self.ctx.module.call_name_through_with(node) in apis.JWT_UNVERIFIED_READERS

    def _key_without_algorithm(self, call: ast.Call, api: apis.Api) -> bool:
        key = self._argument(call, api, "key")
        if key is None or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return False
        const = self.ctx.values.constant(key)
        if const is not None and not const.value:
            return False  # `key=""`: nothing to verify with
        made = self.ctx.values.sources(key, lambda n: isinstance(n, ast.Call) and self.ctx.module.call_name_through_with(n) in apis.JWT_KEYS_WITH_ALGORITHM)
        return not made

    # ------------------------------------------------------- honest pre-reads
    def _pre_read(self, call: ast.Call, api: apis.Api) -> bool:
        """An unverified decode that is only a first look: in a function that
        says it reads unverified claims, bound to such a name, read only for
        the fields that choose the verifying key, or followed by a verified
        decode of the same token."""
        function = self.ctx.module.enclosing_function(call)
        if function is not None and not isinstance(function, ast.Lambda) and _UNVERIFIED_WORDS & set(split_words(function.name)):
            return True
        parent = self.ctx.module.parent(call)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            target = parent.targets[0]
            if _UNVERIFIED_WORDS & set(split_words(target.id)):
                return True
            uses = self.ctx.flows.uses(target)
            if uses and all(self._key_selection(use) for use in uses):
                return True
        elif self._key_selection(call):
            return True
        return self._verified_later(call, api, function)

    def _key_selection(self, node: ast.AST) -> bool:
        parent = self.ctx.module.parent(node)
        key: Optional[ast.AST] = None
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = parent.slice
        elif isinstance(parent, ast.Attribute) and parent.attr == "get":
            call = self.ctx.module.parent(parent)
            if isinstance(call, ast.Call) and call.args:
                key = call.args[0]
        return isinstance(key, ast.Constant) and key.value in _KEY_SELECTION_FIELDS

    def _verified_later(self, call: ast.Call, api: apis.Api, function: Optional[ast.AST]) -> bool:
        token = self._argument(call, api, "token")
        if token is None or function is None:
            return False
        text = self.ctx.source(token)
        for other in ast.walk(function):
            if not isinstance(other, ast.Call) or other is call or other.lineno < call.lineno:
                continue
            other_api = apis.JWT_DECODERS.get(self.ctx.module.call_name_through_with(other) or "")
            if other_api is None or other_api.kind != "jwt-decode":
                continue
            other_token = self._argument(other, other_api, "token")
            if other_token is not None and self.ctx.source(other_token) == text and self._verification_off(other, other_api) is None:
                return True
        return False
