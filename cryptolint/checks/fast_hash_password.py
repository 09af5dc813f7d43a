"""CRY201: a password hashed with a fast hash (MD5, SHA-1, SHA-2, SHA-3, BLAKE2)."""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.names import split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._hash_sites import (
    HashSite,
    display_callee,
    feeds_slow_hash,
    hash_site,
    iteration,
    key_sink,
    length_normalisation,
    password_hash_sink,
    pretty_algorithm,
    security_hash_site,
)
from cryptolint.checks._homemade_kdf import evp_chain
from cryptolint.checks._password_values import display_name, leaves, password_leaves, password_role, role_of
from cryptolint.diagnostic import Applicability, Edit, Fix, Import

#: Algorithms whose unsalted hex digests `safe.verify_password` still accepts,
#: so that a fixed comparison keeps verifying the hashes already stored.
_LEGACY_HEX = frozenset({"md5", "sha1", "sha256", "sha512"})
#: Encodings that `safe` uses for a `str` password (UTF-8).
_UTF8 = frozenset({"utf-8", "utf8", "UTF-8", "UTF8"})
#: Words of a function name that says it checks a password rather than
#: making a hash to store.
_VERIFY_WORDS = frozenset("check verify validate authenticate auth login compare matches match valid".split())
_SAFE = Import("cryptolint", "safe")
#: What the title of every password-hash fix says about its effect beyond the file.
_STORED = "new hashes are stored in another format, old ones still verify"
#: Where a digest is kept whole (stored or returned), so that an Argon2 hash
#: can take its place; not sliced, upper-cased or concatenated, and not handed
#: to another API, whose other end may expect exactly this hash.
_WHOLE_VALUE_PARENTS = (ast.Assign, ast.AnnAssign, ast.Return, ast.keyword)
#: Words of a value hashed together with a password in challenge-response
#: protocols.
_CHALLENGE_WORDS = frozenset({"nonce", "cnonce", "challenge", "realm", "scramble"})


class FastHashPassword(Check):
    CODE = "CRY201"
    NAME = "fast-hash-password"
    CATEGORY = "passwords-and-hashing"
    SUMMARY = "A password is hashed with a fast hash (MD5, SHA-1, SHA-2, SHA-3, BLAKE2) instead of a password hash."
    MESSAGE = "A password is hashed with a fast hash; use a password hash such as `safe.hash_password` (Argon2id)"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (916, 328)
    TRIGGERS = ("hashlib", "crypto")

    def visit_Call(self, node: ast.Call) -> None:
        site = security_hash_site(self.ctx, node)
        if site is None or site.data is None:
            return
        passwords = password_leaves(self.ctx, site.data)
        rounds = iteration(self.ctx, site)
        if not passwords and rounds is not None:
            # `h = password.encode()`, then `h = sha256(h + salt).digest()` in a loop
            passwords = [leaf for seed in rounds.seeds if not self._holds_hash(seed) for leaf in password_leaves(self.ctx, seed)]
        if not passwords:
            self._stored_as_password_hash(site)
            return
        if feeds_slow_hash(self.ctx, site) or length_normalisation(self.ctx, site, passwords[0]):
            return
        if self._challenge_response(site.data) or self._breach_lookup(node):
            return
        if key_sink(self.ctx, site) is not None or (evp_chain(self.ctx, site) and self.ctx.settings.is_enabled("CRY702")):
            return  # a key derived from the password: CRY702's
        callee = display_callee(self.ctx, site)
        what = display_name(self.ctx, passwords[0])
        message = f"{callee} hashes the password `{what}` with {self._how(site)}; use `safe.hash_password` (Argon2id) or bcrypt"
        self.report(node, message, None if rounds is not None else self._fix(site))

    def _how(self, site: HashSite) -> str:
        """"SHA-256, which is fast to brute-force", or for a hash iterated by
        hand, why the iteration count does not make it a password hash."""
        algorithm = pretty_algorithm(site.algorithm)
        rounds = iteration(self.ctx, site)
        if rounds is None:
            return f"{algorithm}, which is fast to brute-force"
        return (
            f"{algorithm} {rounds.describe()}, still fast to brute-force: the iteration count does not make a fast hash "
            "a password hash (every round runs at GPU speed and costs no memory)"
        )

    def _stored_as_password_hash(self, site: HashSite) -> None:
        """A digest of unnamed data kept as a password hash
        (`user.password_hash = sha256(form_value).hexdigest()`)."""
        if site.kind != "constructor" or site.data is None or feeds_slow_hash(self.ctx, site):
            return
        sink = password_hash_sink(self.ctx, site)
        if sink is None:
            return
        for leaf in leaves(self.ctx, site.data):
            role = role_of(self.ctx, leaf)
            if role is not None and role.role != "salt":
                return
        if self.ctx.values.sources(site.data, self._random_call):
            return
        where = f"`{sink.name}`" if sink.kind != "return" else f"the value returned by `{sink.name}`"
        message = (
            f"{display_callee(self.ctx, site)} makes the password hash {where} with "
            f"{self._how(site)}; use `safe.hash_password` (Argon2id) or bcrypt"
        )
        self.report(site.call, message)

    def _random_call(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        name = self.ctx.call_name(node) or ""
        return name in apis.FRESH_RANDOM or name in apis.INSECURE_RANDOM or name.startswith(("secrets.", "uuid."))

    def _challenge_response(self, data: ast.expr) -> bool:
        """The password is hashed with a server's challenge (HTTP Digest's
        realm and nonce, APOP, MySQL's scramble): the protocol fixes the hash,
        and nothing is stored."""
        for leaf in leaves(self.ctx, data):
            for sub in ast.walk(leaf):
                ident = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
                if ident is not None and any(w in _CHALLENGE_WORDS for w in split_words(ident)):
                    return True
        return False

    def _breach_lookup(self, node: ast.Call) -> bool:
        """The hash goes to a service that defines it (Have I Been Pwned)."""
        scope: ast.AST = self.ctx.module.enclosing_function(node) or self.ctx.tree
        for sub in ast.walk(scope):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                if any(service in sub.value for service in apis.PASSWORD_HASH_SERVICES):
                    return True
        return False

    # ------------------------------------------------------------------ fix
    def _fix(self, site: HashSite) -> Optional[Fix]:
        """`hashlib.<fast>(pw).hexdigest()` -> `safe.hash_password(pw)`, and a
        comparison with a stored hash -> `safe.verify_password(pw, stored)`."""
        call = site.call
        if site.kind != "constructor" or not site.maker.startswith("hashlib.") or site.maker == "hashlib.new":
            return None
        if len(call.args) != 1 or call.keywords or isinstance(call.args[0], ast.Starred):
            return None
        plain = self._plain_password(call.args[0])
        if plain is None:
            return None
        hexdigest = self.ctx.module.parent(call)
        if not (isinstance(hexdigest, ast.Attribute) and hexdigest.attr == "hexdigest"):
            return None
        digest_call = self.ctx.module.parent(hexdigest)
        if not (isinstance(digest_call, ast.Call) and digest_call.func is hexdigest and not digest_call.args and not digest_call.keywords):
            return None
        parent = self.ctx.module.parent(digest_call)
        if isinstance(parent, ast.Compare):
            return self._verify_fix(parent, digest_call, plain, site)
        if isinstance(parent, ast.Call) and self.ctx.call_name(parent) in apis.CONSTANT_TIME_COMPARES:
            return self._verify_call_fix(parent, digest_call, plain, site)
        if not isinstance(parent, _WHOLE_VALUE_PARENTS) or self._handed_on(parent, digest_call):
            return None
        verifications = self._verifications(digest_call, plain)
        if verifications is None or (verifications and site.algorithm not in _LEGACY_HEX):
            return None
        hashing = Edit(self.ctx.span(digest_call), "safe.hash_password({0})", (self.ctx.span(plain),))
        if not verifications:
            return Fix(
                title=f"Hash the password with `safe.hash_password` (Argon2id); {_STORED}",
                applicability=Applicability.UNSAFE,
                edits=(hashing,),
                add_imports=(_SAFE,),
                remove_imports=self._import_of(call.func),
            )
        return Fix(
            title=f"Hash the password with `safe.hash_password` (Argon2id) and check it with `safe.verify_password`; {_STORED}",
            applicability=Applicability.UNSAFE,
            edits=(hashing, *(edit for edit, _ in verifications)),
            add_imports=(_SAFE,),
            remove_imports=self._import_of(call.func, *(func for _, func in verifications if func is not None)),
        )

    def _import_of(self, *funcs: ast.AST) -> Tuple[Import, ...]:
        """The imports the replaced callees came from, for the fixer to drop if unused."""
        found = []
        for func in funcs:
            ident = func.value if isinstance(func, ast.Attribute) else func
            if not isinstance(ident, ast.Name):
                continue
            _, bindings = self.ctx.module.lookup(ident.id, self.ctx.module.scope_of(ident))
            for binding in bindings:
                if binding.kind != "import" or not binding.qualname:
                    continue
                if isinstance(func, ast.Attribute):
                    found.append(Import(binding.qualname))
                else:
                    module, _, name = binding.qualname.rpartition(".")
                    if module:
                        found.append(Import(module, name))
        return tuple(dict.fromkeys(found))

    def _plain_password(self, data: ast.expr) -> Optional[ast.expr]:
        """The password itself when `data` is just the password (or its UTF-8 encoding)."""
        if isinstance(data, ast.Call) and isinstance(data.func, ast.Attribute) and data.func.attr == "encode":
            if data.keywords or len(data.args) > 1:
                return None
            if data.args and not (isinstance(data.args[0], ast.Constant) and data.args[0].value in _UTF8):
                return None
            inner = data.func.value
            return inner if password_role(self.ctx, inner) is not None else None
        if isinstance(data, (ast.Name, ast.Attribute, ast.Subscript)) and password_role(self.ctx, data) is not None:
            return data
        return None

    def _verify_fix(self, compare: ast.Compare, digest_call: ast.Call, plain: ast.expr, site: HashSite) -> Optional[Fix]:
        if len(compare.ops) != 1 or not isinstance(compare.ops[0], (ast.Eq, ast.NotEq)):
            return None
        if site.algorithm not in _LEGACY_HEX:
            return None
        stored = compare.comparators[0] if compare.left is digest_call else compare.left
        if self._holds_hash(stored):
            return None
        template = "safe.verify_password({0}, {1})"
        if isinstance(compare.ops[0], ast.NotEq):
            template = "not " + template
            if not self._not_fits(compare):
                template = f"({template})"
        return Fix(
            title="Verify with `safe.verify_password` (accepts the old hex digests too)",
            applicability=Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(compare), template, (self.ctx.span(plain), self.ctx.span(stored))),),
            add_imports=(_SAFE,),
            remove_imports=self._import_of(site.call.func),
        )

    def _verify_call_fix(self, call: ast.Call, digest_call: ast.Call, plain: ast.expr, site: HashSite) -> Optional[Fix]:
        """`hmac.compare_digest(stored, sha256(pw).hexdigest())` -> `safe.verify_password(pw, stored)`."""
        if site.algorithm not in _LEGACY_HEX or len(call.args) != 2 or call.keywords:
            return None
        stored = call.args[0] if call.args[1] is digest_call else call.args[1]
        if isinstance(stored, ast.Starred) or self._holds_hash(stored):
            return None
        return Fix(
            title="Verify with `safe.verify_password` (accepts the old hex digests too)",
            applicability=Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(call), "safe.verify_password({0}, {1})", (self.ctx.span(plain), self.ctx.span(stored))),),
            add_imports=(_SAFE,),
            remove_imports=self._import_of(site.call.func, call.func),
        )

    def _holds_hash(self, expr: ast.AST) -> bool:
        return any(isinstance(n, ast.Call) and hash_site(self.ctx, n) is not None for n in ast.walk(expr))

    def _not_fits(self, compare: ast.Compare) -> bool:
        """Whether `not ...` can stand where `compare` stands without parentheses."""
        parent = self.ctx.module.parent(compare)
        if isinstance(parent, (ast.If, ast.While, ast.Assert, ast.IfExp)):
            return parent.test is compare
        return isinstance(parent, (ast.BoolOp, ast.Return, ast.Assign, ast.AnnAssign, ast.Expr))

    def _handed_on(self, parent: ast.AST, digest_call: ast.Call) -> bool:
        """Whether the digest goes to something outside this module's control,
        which may define the hash (a third-party API that expects MD5): an
        argument, a keyword not named for a hash, an item of a subscript
        (`params["password"] = ...`), or a local variable later passed on."""
        if isinstance(parent, ast.keyword):
            return not set(split_words(parent.arg or "")) & {"hash", "hashed", "digest"}
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if any(isinstance(t, ast.Subscript) for t in targets):
                return True
            for target in targets:
                if isinstance(target, ast.Name):
                    for use in self.ctx.flows.uses(target):
                        holder = self.ctx.module.parent(use)
                        if isinstance(holder, (ast.keyword, ast.Dict, ast.Tuple, ast.List)) or (
                            isinstance(holder, ast.Call) and use in holder.args and not self._compared(use)
                        ):
                            return True
        return False

    def _verifications(self, digest_call: ast.Call, plain: ast.expr) -> Optional[List[Tuple[Edit, Optional[ast.AST]]]]:
        """The edits that make every check of this hash a `safe.verify_password`
        call (with the callee of a constant-time compare they replace), or None
        when some check cannot be rewritten, so that an Argon2 hash would never
        match it: the fix is then not offered at all."""
        parent = self.ctx.module.parent(digest_call)
        function = self.ctx.module.enclosing_function(digest_call)
        named = function is not None and not isinstance(function, ast.Lambda)
        if named and any(w in _VERIFY_WORDS for w in split_words(function.name)):  # type: ignore[union-attr]
            return None
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            uses = self.ctx.flows.uses(parent.targets[0])
            if any(self._compared(u) for u in uses):
                return None  # `digest = ...; digest == stored`: too far to rewrite with certainty
            returned = any(isinstance(self.ctx.module.parent(u), ast.Return) for u in uses)
        else:
            returned = isinstance(parent, ast.Return)
        if not (returned and named):
            return []
        return self._checks_of(function, plain)  # type: ignore[arg-type]

    def _checks_of(self, function: ast.AST, plain: ast.expr) -> Optional[List[Tuple[Edit, Optional[ast.AST]]]]:
        """`hash_password(pw) == stored` -> `safe.verify_password(pw, stored)`
        for every call of `function` (which returns the hash of its parameter
        `plain`) that is compared; None if one is compared in another way."""
        name = getattr(function, "name", "")
        sites = self.ctx.module.call_sites(function)
        called = {id(call.func) for call, _ in sites}
        for node in self.ctx.module.nodes_by_type.get(ast.Name, []) + self.ctx.module.nodes_by_type.get(ast.Attribute, []):
            ident = node.id if isinstance(node, ast.Name) else node.attr  # type: ignore[attr-defined]
            if ident == name and id(node) not in called and not isinstance(getattr(node, "ctx", None), ast.Store):
                return None  # passed around or called on another object: its checks cannot be followed
        edits: List[Tuple[Edit, Optional[ast.AST]]] = []
        for call, skipped in sites:
            use = self.ctx.module.parent(call)
            if isinstance(use, ast.Assign) and any(
                isinstance(t, ast.Name) and any(self._compared(u) for u in self.ctx.flows.uses(t)) for t in use.targets
            ):
                return None
            if not self._compared(call):
                continue
            if not isinstance(plain, ast.Name):
                return None
            password = self.ctx.module.argument_for(call, function, plain.id, skipped)
            if password is None or len(call.args) + len(call.keywords) != 1:
                return None
            edit = self._check_edit(use, call, password)  # type: ignore[arg-type]
            if edit is None:
                return None
            edits.append(edit)
        return edits

    def _check_edit(self, use: ast.AST, hashed: ast.expr, password: ast.expr) -> Optional[Tuple[Edit, Optional[ast.AST]]]:
        """The edit that turns the comparison `use` of `hashed` into `safe.verify_password(password, stored)`."""
        if isinstance(use, ast.Compare):
            if len(use.ops) != 1 or not isinstance(use.ops[0], (ast.Eq, ast.NotEq)):
                return None  # `in`, `is`, `<`, chains: no verify call means the same
            stored = use.comparators[0] if use.left is hashed else use.left
            template = "safe.verify_password({0}, {1})"
            if isinstance(use.ops[0], ast.NotEq):
                template = "not " + template if self._not_fits(use) else f"(not {template})"
            func: Optional[ast.AST] = None
        else:
            assert isinstance(use, ast.Call)
            if len(use.args) != 2 or use.keywords:
                return None
            stored = use.args[0] if use.args[1] is hashed else use.args[1]
            template, func = "safe.verify_password({0}, {1})", use.func
        if isinstance(stored, ast.Starred) or self._holds_hash(stored):
            return None
        return Edit(self.ctx.span(use), template, (self.ctx.span(password), self.ctx.span(stored))), func

    def _compared(self, node: ast.AST) -> bool:
        parent = self.ctx.module.parent(node)
        if isinstance(parent, ast.Compare):
            return True
        return isinstance(parent, ast.Call) and self.ctx.call_name(parent) in apis.CONSTANT_TIME_COMPARES
