"""CRY401: a secret compared with `==` / `!=` (timing side channel)."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.names import SecretName, split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.context import Context
from cryptolint.checks.timing_unsafe_compare._sides import (
    BYTES_ENCODERS, CARRIER_METHODS, DIGEST_TYPES, EXCLUDED, EXCLUDED_SIDE, HASHED_WORDS,
    IDENTITY_WORDS, INPUT_OWNERS, LEXICAL_WORDS, MAKING_VERBS, NO_EVIDENCE, NON_SECRET_RESULTS, NONE,
    SIGNING_WORDS, STRONG, STRUCTURAL_METHODS, TWICE_WORDS, VERIFYING_WORDS, WEAK, Evidence,
    change_check, constant_like, counterpart, identifier, imports_crypto, input_like, literal_evidence,
    mac_call, name_level, password_words, query_expression, retype, stored,
)
from cryptolint.diagnostic import Applicability, Edit, Fix, Import


#: Words of a value kept to check input against.
STORED_HASH_WORDS = frozenset({"stored", "saved", "hash", "hashed", "digest", "expected", "recorded"})


class TimingUnsafeCompare(Check):
    CODE = "CRY401"
    NAME = "timing-unsafe-compare"
    CATEGORY = "comparisons"
    SUMMARY = "A secret (MAC, signature, digest, token, password hash, API key) is compared with `==` or `!=`."
    MESSAGE = "A secret is compared with `==`, which leaks timing; use `hmac.compare_digest`"
    #: Tests compare tokens and digests with `==` in their assertions.
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
    CWE = (208,)
    #: Every secret this rule can see is named by one of these words, or made
    #: by a MAC (`hmac`, `.digest()`).
    TRIGGERS = (
        "code", "cred", "csrf", "digest", "hash", "key", "mac", "otp", "pass", "pin",
        "psk", "pw", "secret", "session", "sig", "token", "xsrf",
    )

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._context: Optional[bool] = None

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            if isinstance(op, (ast.In, ast.NotIn)):
                found = self._membership(node, left, right)
                symbol = "in" if isinstance(op, ast.In) else "not in"
                fixable = False
            elif isinstance(op, (ast.Eq, ast.NotEq)):
                found = self._judge(node, left, right)
                symbol = "==" if isinstance(op, ast.Eq) else "!="
                fixable = len(node.ops) == 1
            else:
                continue
            if found is None:
                continue
            secret, a, b = found
            message = f"{self._display(secret)} is compared with `{symbol}`, which leaks timing; use `hmac.compare_digest`"
            self.report(node, message, self._fix(node, a, b) if fixable else None)
            return

    def visit_Call(self, call: ast.Call) -> None:
        """`operator.eq(a, b)` / `operator.ne(a, b)`: `==` by another name."""
        name = self.ctx.call_name(call)
        if name not in ("operator.eq", "operator.ne", "operator.__eq__", "operator.__ne__") or len(call.args) != 2:
            return
        found = self._judge(call, call.args[0], call.args[1])
        if found is not None:
            shown = name.replace("__", "")
            self.report(call, f"{self._display(found[0])} is compared with `{shown}`, which leaks timing; use `hmac.compare_digest`")

    def _membership(self, node: ast.Compare, left: ast.expr, right: ast.expr) -> Optional[Tuple[ast.expr, Evidence, Evidence]]:
        """`x in (a, b)` compares `x` with each item; `x in secrets` with the
        items of a collection named for secrets (`backup_codes`)."""
        if isinstance(right, (ast.Tuple, ast.List, ast.Set)):
            for item in right.elts:
                found = self._judge(node, left, item)
                if found is not None:
                    return found
            return None
        named = self._collection_name(right)
        if named is None or not self.ctx.control.attacker(left):
            return None
        level = name_level(named)
        if level < STRONG:
            return None
        return right, Evidence(level, "name", None, named), self.evidence(left)

    # ------------------------------------------------------------ judgement
    def _judge(self, node: ast.AST, left: ast.expr, right: ast.expr) -> Optional[Tuple[ast.expr, Evidence, Evidence]]:
        a, b = self.evidence(left), self.evidence(right)
        if a.level == EXCLUDED or b.level == EXCLUDED:
            return None
        if a.of_password or b.of_password:
            return None  # a fast hash of a password: CRY201 replaces the whole check
        if a.kind == "digest" and b.kind == "digest" and self._computed(left) and self._computed(right):
            return None  # two MACs computed here (double-HMAC verification)
        control = self.ctx.control
        from_left, from_right = control.attacker(left), control.attacker(right)
        if from_left and from_right:
            return None  # both sides come from the same party: no secret to time
        # The other side of a connection chooses one side, the other is a secret:
        # the comparison is a timing oracle whatever the names say.
        presented = (from_left and self._guarded(node, right, b)) or (from_right and self._guarded(node, left, a))
        hashed = (self._hashed_input(left) and self._stored_hash(right)) or (self._hashed_input(right) and self._stored_hash(left))
        if hashed:
            presented, from_left = True, self._hashed_input(left)
        if not presented and not (self._secret_pair(node, left, a, right, b) or self._secret_pair(node, right, b, left, a)):
            return None
        if self._same_value(left, right) or (isinstance(node, ast.Compare) and change_check(self.ctx.module, node, left, right)):
            return None
        if self._structural(node) or (isinstance(node, ast.Compare) and query_expression(self.ctx.module, node, left, right)):
            return None
        if self._twice(left, right) or self._lexical(node, left, a) or self._lexical(node, right, b):
            return None
        if not presented and not (a.keyed or b.keyed) and (self._lookup(left) or self._lookup(right)):
            return None  # searching records for the one with this token, like a query
        if not (presented or self._stated(a) or self._stated(b) or self._signed(left) or self._signed(right) or self._verifier(node)):
            return None  # `signature`, `digest` alone are as often fingerprints
        secret = left if (a.level, a.kind == "name") >= (b.level, b.kind == "name") else right
        if presented:
            secret = right if from_left else left
        return secret, a, b

    def _guarded(self, node: ast.AST, expr: ast.expr, evidence: Evidence) -> bool:
        """What a presented value is checked against is a secret: a MAC or
        KDF output, a strongly named secret (`ADMIN_TOKEN`, `user.login_code`),
        a record of one (`api_key.value`), or anything named like a secret
        inside a `verify_*`/`check_*` function."""
        if evidence.keyed or (evidence.level == STRONG and evidence.kind in ("name", "digest")):
            return True
        if evidence.level >= WEAK and evidence.kind == "name" and self._verifier_name(node):
            return True
        return self._record_of_secret(expr)

    def _hashed_input(self, expr: ast.expr) -> bool:
        """`sha256(candidate.encode()).hexdigest()`: a digest of presented input."""
        if isinstance(expr, ast.Name):
            expr = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr)) or expr
        if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("digest", "hexdigest")):
            return False
        made = expr.func.value
        if not isinstance(made, ast.Call) or self.ctx.call_name(made) not in apis.HASH_CONSTRUCTORS:
            return False
        return any(self.ctx.control.attacker(arg) for arg in made.args)

    def _stored_hash(self, expr: ast.expr) -> bool:
        """`stored`, `user.pin_hash`, `record.digest`: a hash kept to check input against."""
        if stored(expr):
            return True
        ident = identifier(expr)
        return ident is not None and bool(set(split_words(ident)) & STORED_HASH_WORDS)

    def _record_of_secret(self, expr: ast.expr) -> bool:
        """`stored.value` where `stored = ApiKey.query...first()`: a field of a
        record whose class or table names a secret."""
        if not isinstance(expr, ast.Attribute) or expr.attr not in ("value", "data", "secret", "digest", "hash", "key"):
            return False
        owner: Optional[ast.AST] = expr.value
        for _ in range(8):
            if isinstance(owner, ast.Name):
                value = self.ctx.module.single_value(owner.id, self.ctx.module.scope_of(owner))
                if value is None:
                    break
                owner = value
            elif isinstance(owner, ast.Call):
                owner = owner.func
            elif isinstance(owner, (ast.Attribute, ast.Subscript)):
                owner = owner.value
            else:
                break
        if not isinstance(owner, ast.Name) or owner is expr.value:
            return False
        named = self.ctx.classify(owner.id)
        return named is not None and name_level(named) == STRONG

    def _collection_name(self, expr: ast.expr) -> Optional[SecretName]:
        """`backup_codes`, `self.api_keys`, `VALID_TOKENS`: a collection of
        secrets (bare `codes` and `pins` weakly: also status codes)."""
        ident = identifier(expr)
        if not ident or not ident.lower().endswith("s"):
            return None
        named = self.ctx.classify(ident[:-1])
        if named is None and ident.lower() in ("codes", "pins", "otps"):
            return SecretName("session", ("code",))  # a weak role: counts with other evidence only
        return named

    def _secret_pair(self, node: ast.AST, expr: ast.expr, ev: Evidence, other: ast.expr, oev: Evidence) -> bool:
        """Whether `expr` (a secret) against `other` is a secret comparison."""
        if ev.level == STRONG:
            if oev.level >= WEAK:
                return True
            if ev.keyed:
                return True  # a MAC computed here against anything
            return not constant_like(expr) and self._candidate(node, other, ev)
        if ev.level == WEAK and ev.kind == "digest" and self._computed(expr):
            # `sig == sha256(data).digest()`: a home-made signature check
            return oev.kind == "name" and oev.named is not None and oev.named.role in ("signature", "mac")
        return False

    def _candidate(self, node: ast.AST, expr: ast.expr, secret: Evidence) -> bool:
        """A value checked against a secret: named so, read from a request or a
        user table, or a parameter of a `verify_*`/`check_*` function."""
        if counterpart(expr) or stored(expr):
            return True
        if isinstance(expr, ast.Name):
            value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
            if value is not None:
                return counterpart(value) or stored(value)
            _, bindings = self.ctx.module.lookup(expr.id, self.ctx.module.scope_of(expr))
            if not bindings or any(b.kind != "param" for b in bindings) or not self._verifier_name(node):
                return False
            # `verify_otp(user, code)`; not `validate_password(password, username)`
            named = secret.named
            return named is not None and not named.is_password and not set(split_words(expr.id)) & IDENTITY_WORDS
        return False

    def evidence(self, expr: ast.expr, depth: int = 0) -> Evidence:
        """How strongly `expr` looks like a secret, and what type it has."""
        if depth > 6:
            return NO_EVIDENCE
        const = self.ctx.values.constant(expr)
        if const is not None:
            literal = literal_evidence(const.value)
            if literal.level == EXCLUDED:
                return literal
            named = self._named(expr, depth)
            return Evidence(max(literal.level, named.level), "literal", literal.type, named.named)
        if isinstance(expr, ast.Call):
            return self._call_evidence(expr, depth)
        if isinstance(expr, (ast.JoinedStr, ast.BinOp)):
            return self._joined(expr, depth)
        if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Slice) and isinstance(expr.value, ast.Call):
            cut = self._call_evidence(expr.value, depth + 1)
            if cut.kind == "digest":
                return cut  # `hmac.new(...).hexdigest()[:6]`: a truncated MAC or digest (HOTP's codes)
        if isinstance(expr, (ast.Name, ast.Attribute, ast.Subscript)):
            return self._named(expr, depth)
        return NO_EVIDENCE

    def _named(self, expr: ast.expr, depth: int) -> Evidence:
        ident = identifier(expr)
        if ident is not None and ident.startswith("__") and ident.endswith("__"):
            return NO_EVIDENCE
        value: Optional[ast.expr] = None
        if isinstance(expr, ast.Name):
            value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
            item = self._item_of(expr) if value is None else None
            if item is not None:
                return item
        elif isinstance(expr, ast.Attribute):
            value = self.ctx.module.attribute_value(expr)
            prop = self.ctx.summaries.property_named(expr.attr) if value is None else None
            if prop is not None and prop.returns in ("mac", "kdf"):
                return Evidence(STRONG, "digest", None, keyed=True)  # a property returning `hmac.new(...)...`
        inner = self.evidence(value, depth + 1) if value is not None else NO_EVIDENCE
        if inner.level == EXCLUDED:
            return inner
        named = self.ctx.classify(ident) if ident is not None else None
        if named is None and isinstance(expr, ast.Name) and value is not None:
            return inner
        level = name_level(named) if named is not None else NONE
        if inner.level > level:
            return inner
        return replace(inner, level=level, kind="name" if named is not None else "", named=named)

    def _item_of(self, expr: ast.Name) -> Optional[Evidence]:
        """`k` in `any(k == x for k in api_keys)`: an item of a collection of secrets."""
        _, bindings = self.ctx.module.lookup(expr.id, self.ctx.module.scope_of(expr))
        if not bindings or not all(b.kind == "loop" and isinstance(b.node, ast.comprehension) for b in bindings):
            return None
        collection = bindings[0].node.iter  # type: ignore[attr-defined]
        if isinstance(collection, ast.Call) and isinstance(collection.func, ast.Attribute) and collection.func.attr == "values" and not collection.args:
            collection = collection.func.value  # `API_KEYS.values()`: the secrets of a table keyed by owner
        elif isinstance(collection, ast.Name) and isinstance(
            self.ctx.module.single_value(collection.id, self.ctx.module.scope_of(collection)), (ast.Dict, ast.DictComp)
        ):
            return None  # `for owner in API_KEYS`: a table's keys name whose secret it is
        named = self._collection_name(collection)
        if named is None:
            return None
        return Evidence(name_level(named), "name", None, named)

    def _call_evidence(self, call: ast.Call, depth: int) -> Evidence:
        name = self.ctx.call_name(call)
        if name in NON_SECRET_RESULTS:
            return EXCLUDED_SIDE
        func = call.func
        if name == "hmac.digest":
            return Evidence(STRONG, "digest", "bytes", keyed=True)
        if isinstance(func, ast.Attribute) and func.attr in DIGEST_TYPES:
            keyed = mac_call(name) or self._mac_receiver(func.value)
            if func.attr == "finalize" and not keyed:
                return NO_EVIDENCE
            level = STRONG if keyed else WEAK
            return Evidence(level, "digest", DIGEST_TYPES[func.attr], keyed=keyed, of_password=self._hashes_password(func.value))
        fresh = apis.FRESH_RANDOM.get(name or "")
        if fresh is not None:
            kind = fresh.kind
            return Evidence(STRONG, "name", "bytes" if kind == "random-bytes" else "ascii" if kind == "random-text" else None)
        if isinstance(func, ast.Attribute) and func.attr in CARRIER_METHODS and not call.keywords:
            inner = self.evidence(func.value, depth + 1)
            return retype(inner, func.attr)
        if name in BYTES_ENCODERS and call.args:
            inner = self.evidence(call.args[0], depth + 1)
            return replace(inner, type="bytes")
        if name in ("builtins.str", "builtins.bytes") and len(call.args) == 1:
            inner = self.evidence(call.args[0], depth + 1)
            keep = inner.type if name == "builtins.bytes" and inner.type == "bytes" else None
            return replace(inner, type=keep)
        summary = self.ctx.summaries.of_call(call)
        if summary is not None and summary.returns in ("mac", "kdf"):
            return Evidence(STRONG, "digest", None, keyed=True)  # `self._signature(...)`, `cookie_mac(v)`
        named = self.ctx.flows.role_of(call)
        if named is None:
            if summary is not None and summary.returns == "digest":
                return Evidence(WEAK, "digest", None)
            return NO_EVIDENCE
        return Evidence(name_level(named), "name", None, named)

    def _joined(self, expr: ast.expr, depth: int) -> Evidence:
        """`"sha256=" + digest`, `f"Bearer {token}"`: the strongest part."""
        if isinstance(expr, ast.BinOp) and not isinstance(expr.op, (ast.Add, ast.Mod)):
            return NO_EVIDENCE
        parts: List[ast.expr] = []
        if isinstance(expr, ast.BinOp):
            parts = [expr.left, expr.right]
        else:
            parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in expr.values]  # type: ignore[attr-defined]
        best, types = NO_EVIDENCE, set()
        for part in parts:
            if isinstance(part, ast.Constant) and isinstance(part.value, (int, float, complex)) and isinstance(expr, ast.BinOp):
                return EXCLUDED_SIDE  # `closer.token + 1`: arithmetic, a number
            if isinstance(part, ast.Constant):
                value = part.value
                types.add("bytes" if isinstance(value, bytes) else "ascii" if isinstance(value, str) and value.isascii() else None)
                continue
            found = self.evidence(part, depth + 1)
            if found.level == EXCLUDED:
                found = NO_EVIDENCE
            types.add(found.type)
            if found.level > best.level:
                best = found
        joined_type = next(iter(types)) if len(types) == 1 else None
        if isinstance(expr, ast.JoinedStr):  # always text; bytes parts format as ASCII `b'..'`
            joined_type = "ascii" if types <= {"ascii", "bytes"} else None
        return replace(best, type=joined_type)

    def _hashes_password(self, receiver: ast.expr) -> bool:
        """`hashlib.sha256(password.encode())`, directly or through a name."""
        if isinstance(receiver, ast.Name):
            receiver = self.ctx.module.single_value(receiver.id, self.ctx.module.scope_of(receiver)) or receiver
        if not isinstance(receiver, ast.Call) or self.ctx.call_name(receiver) not in apis.HASH_CONSTRUCTORS:
            return False
        roles = [self.ctx.flows.role_of(arg) for arg in receiver.args]
        return any(role is not None and role.is_password for role in roles)

    def _mac_receiver(self, receiver: ast.expr) -> bool:
        """`mac.digest()`, `self._hmac.hexdigest()`: named as a MAC."""
        named = self.ctx.flows.role_of(receiver)
        return named is not None and named.role == "mac"

    def _computed(self, expr: ast.expr) -> bool:
        """A digest computed in this function (a call, or a name bound to one)."""
        if isinstance(expr, ast.Name):
            expr = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr)) or expr
        return isinstance(expr, ast.Call)

    # ----------------------------------------------------------- exclusions
    def _root(self, expr: ast.expr) -> ast.expr:
        for _ in range(6):
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in CARRIER_METHODS:
                expr = expr.func.value
            elif isinstance(expr, ast.Name):
                value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
                if not isinstance(value, (ast.Name, ast.Attribute, ast.Call)):
                    return expr
                expr = value
            else:
                return expr
        return expr

    def _same_value(self, left: ast.expr, right: ast.expr) -> bool:
        """`secret.encode() == orig` after `orig = secret`: a round trip."""
        if ast.dump(self._root(left)) == ast.dump(self._root(right)):
            return True
        # `claim.token == other.token`, `creds.secret_key == cached.secret_key`:
        # fields of two records, an identity check
        if not (isinstance(left, ast.Attribute) and isinstance(right, ast.Attribute)):
            return False
        if counterpart(left) or counterpart(right):
            return False
        if left.attr == right.attr:
            return True
        owners = [left.value, right.value]
        return all(isinstance(o, ast.Name) and o.id not in INPUT_OWNERS and o.id != "cls" for o in owners) and (
            ast.dump(owners[0]) != ast.dump(owners[1])
        )

    def _structural(self, node: ast.AST) -> bool:
        func = self.ctx.module.enclosing_function(node)
        return func is not None and getattr(func, "name", "") in STRUCTURAL_METHODS

    def _twice(self, left: ast.expr, right: ast.expr) -> bool:
        """`password != password2`: two copies of typed input, not a secret check."""
        first, second = password_words(left), password_words(right)
        if first is None or second is None:
            return False
        words = [first, second]
        if any(w & HASHED_WORDS for w in words):
            return False
        if not any(w & TWICE_WORDS or "#digit" in w for w in words):
            return False
        return input_like(left) and input_like(right)

    def _lookup(self, expr: ast.expr) -> bool:
        """`endpoint.token` where `endpoint` is a loop variable: a search."""
        while isinstance(expr, (ast.Attribute, ast.Subscript)) or (
            isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
        ):
            expr = expr.func.value if isinstance(expr, ast.Call) else expr.value  # type: ignore[union-attr,attr-defined]
        if not isinstance(expr, ast.Name):
            return False
        _, bindings = self.ctx.module.lookup(expr.id, self.ctx.module.scope_of(expr))
        return bool(bindings) and all(b.kind == "loop" for b in bindings)

    def _crypto_context(self) -> bool:
        if self._context is None:
            self._context = imports_crypto(self.ctx.module)
        return self._context

    def _signed(self, expr: ast.expr, depth: int = 0) -> bool:
        """A value made by a signing call, or read from a request."""
        if depth > 4:
            return False
        if counterpart(expr) and not isinstance(expr, ast.Name):
            return True
        if isinstance(expr, ast.Name):
            value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
            return value is not None and self._signed(value, depth + 1)
        if isinstance(expr, (ast.BinOp, ast.JoinedStr)):
            parts = [expr.left, expr.right] if isinstance(expr, ast.BinOp) else [getattr(v, "value", v) for v in expr.values]
            return any(self._signed(part, depth + 1) for part in parts)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in CARRIER_METHODS:
                return self._signed(func.value, depth + 1)
            ident = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            words = set(split_words(ident))
            if (self.ctx.call_name(expr) or "").startswith("inspect."):
                return False
            return bool(words & SIGNING_WORDS) or bool(words & {"signature", "sig"} and words & MAKING_VERBS)
        return False

    def _verifier(self, node: ast.AST) -> bool:
        """Inside `verify_signature`/`check_mac` of a module that imports crypto."""
        return self._verifier_name(node) and self._crypto_context()

    def _verifier_name(self, node: ast.AST) -> bool:
        func = self.ctx.module.enclosing_function(node)
        return bool(set(split_words(getattr(func, "name", ""))) & VERIFYING_WORDS)

    @staticmethod
    def _stated(evidence: Evidence) -> bool:
        """Evidence that needs no context: a MAC, a password, a token, a key..."""
        if evidence.keyed or evidence.kind == "literal":
            return evidence.level >= WEAK
        named = evidence.named
        # `password_hash`, `token_digest` are STRONG; a bare `signature` or `mac` is not enough
        return named is not None and evidence.level == STRONG and named.role not in ("signature", "mac")

    def _lexical(self, node: ast.AST, expr: ast.expr, evidence: Evidence) -> bool:
        """A parser's token (`for token in tokens`), not an auth token."""
        if evidence.named is None or evidence.named.role != "token" or evidence.kind != "name":
            return False
        if isinstance(expr, ast.Name):
            _, bindings = self.ctx.module.lookup(expr.id, self.ctx.module.scope_of(expr))
            if bindings and all(b.kind in ("loop", "unpack") for b in bindings):
                return True
        for anc in self.ctx.module.ancestors(node):
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                words = set(split_words(anc.name))
                if words & LEXICAL_WORDS:
                    return True
        return False

    # ----------------------------------------------------------------- fix
    def _fix(self, node: ast.Compare, a: Evidence, b: Evidence) -> Optional[Fix]:
        left, right = node.left, node.comparators[0]
        if any(isinstance(x, (ast.Yield, ast.YieldFrom, ast.Starred)) for x in (left, right)):
            return None
        scope = self.ctx.module.scope_of(node)
        _, bindings = self.ctx.module.lookup("hmac", scope)
        if bindings and not all(bd.kind == "import" and bd.qualname == "hmac" for bd in bindings):
            return None  # `hmac` means something else here
        negate = isinstance(node.ops[0], ast.NotEq)
        template = ("not " if negate else "") + "hmac.compare_digest({0}, {1})"
        safe = a.type is not None and a.type == b.type
        return Fix(
            title="Use `hmac.compare_digest`",
            applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(node), template, (self.ctx.span(left), self.ctx.span(right))),),
            add_imports=(Import("hmac"),),
        )

    def _display(self, expr: ast.expr) -> str:
        text = self.ctx.spelled(expr)
        if len(text) <= 40:
            return f"`{text}`"
        ident = identifier(expr)
        if ident:
            return f"`{ident}`"
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            return f"the result of `.{expr.func.attr}()`"
        return "a secret"


