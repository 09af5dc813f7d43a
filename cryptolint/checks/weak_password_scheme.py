"""CRY607: new password hashes made with a fast or broken scheme (passlib,
Django's hashers, `crypt`, old Werkzeug methods)."""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis import apis
from cryptolint.analysis.names import split_words
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._cipher_use import definition
from cryptolint.context import Context

_PASSLIB_SAFER = "use passlib's `argon2` or `bcrypt`"
_DJANGO_SAFER = "put `Argon2PasswordHasher` or `PBKDF2PasswordHasher` first (Django upgrades old hashes at login)"
_CRYPT_SAFER = "use `crypt.METHOD_SHA512`, or argon2-cffi (`crypt` is gone in Python 3.13)"
#: Words of a test or development switch (`if "test" in sys.argv:`, `if DEBUG:`).
_TEST_WORDS = frozenset({"test", "tests", "testing", "debug", "pytest"})


class WeakPasswordScheme(Check):
    CODE = "CRY607"
    NAME = "weak-password-scheme"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = (
        "New password hashes are made with a fast or broken scheme: passlib's `md5_crypt`, `des_crypt`, "
        "`ldap_md5`..., a weak `CryptContext` default, Django's MD5/SHA-1 hashers, `crypt`'s DES/MD5."
    )
    MESSAGE = "Passwords are hashed with a fast or broken scheme; use argon2 or bcrypt"
    TEST_CODE = TestCode.SKIP
    CWE = (916, 328)
    TRIGGERS = ("passlib", "password_hashers", "make_password", "get_hasher", "passwordhasher", "crypt", "generate_password_hash")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if name is None:
            return
        scheme = _passlib_scheme(name)
        handler = apis.passlib_handler(name)
        if scheme is not None and scheme in apis.WEAK_PASSLIB_SCHEMES:
            self._passlib(node.func, f"`{_spelled(self.ctx.source(node.func), name)}`", scheme)
        elif handler is not None and apis.PASSLIB_HANDLERS[handler[0]][0] == "sha-crypt":
            for keyword in apis.PASSLIB_ROUNDS_KEYWORDS:
                self._sha_crypt_rounds(node, name, wf.keyword_setting(self.ctx, node, keyword), handler[0])
        elif name in apis.PASSLIB_CONTEXTS:
            self._context(node, name)
            for kw in node.keywords:
                handler_name, _, option = (kw.arg or "").partition("__")
                if apis.PASSLIB_HANDLERS.get(handler_name, ("", None))[0] == "sha-crypt" and option in apis.PASSLIB_ROUNDS_KEYWORDS:
                    self._sha_crypt_rounds(node, name, wf.keyword_setting(self.ctx, node, kw.arg or ""), handler_name)
        elif name in apis.DJANGO_HASHER_CALLS:
            api = apis.DJANGO_HASHER_CALLS[name]
            if api.kind == "django-hash":
                self._django_hasher(apis.argument(node, api, "hasher"), "make_password")
        elif name.endswith("().encode"):
            self._django_encode(node, name[: -len("().encode")])
        elif name in apis.CRYPT_CALLS:
            self._crypt(node, apis.CRYPT_CALLS[name])
        elif apis.PASSWORD_HASH_APIS.get(name) is not None and apis.PASSWORD_HASH_APIS[name].kind == "werkzeug-hash":
            self._werkzeug(node, apis.PASSWORD_HASH_APIS[name])

    # -------------------------------------------------------------- passlib
    def _passlib(self, node: ast.AST, shown: str, scheme: str) -> None:
        why = apis.WEAK_PASSLIB_SCHEMES[scheme]
        self.report(node, f"{shown} hashes passwords with `{scheme}` ({why}), fast to crack; {_PASSLIB_SAFER}")

    def _sha_crypt_rounds(self, node: ast.Call, name: str, item: Optional[wf.Setting], handler: str) -> None:
        """`sha512_crypt.using(rounds=5000)`, `sha256_crypt.hash(pw, rounds=1000)`,
        `CryptContext(sha512_crypt__default_rounds=1000)`: SHA-crypt below the
        policy's rounds.  The hashes record their rounds, so raising them is
        only a matter of new hashes."""
        minimum = self.ctx.policy.sha_crypt_rounds
        if item is None or item.expr is None or item.value >= minimum:
            return
        described = wf.describe(self.ctx, node, name, [item])
        self.report(
            item.expr,
            f"{described} makes `{handler}` hashes with `{item.value}` rounds, below the minimum `{minimum}`, "
            f"fast to crack; leave `{item.name}` at passlib's default or raise it to `{minimum}`",
        )

    def _context(self, node: ast.Call, name: str) -> None:
        """The scheme a `CryptContext` hashes new passwords with: `default=`,
        else the first of `schemes`."""
        default = apis.keyword_value(node, "default")
        schemes = apis.keyword_value(node, "schemes")
        if schemes is None and name == "passlib.context.CryptContext" and node.args:
            schemes = node.args[0]
        chosen = default if default is not None else _first(self.ctx, schemes)
        scheme = self._scheme_name(chosen) if chosen is not None else None
        if scheme is None or scheme not in apis.WEAK_PASSLIB_SCHEMES or chosen is None:
            return
        why = apis.WEAK_PASSLIB_SCHEMES[scheme]
        self.report(
            chosen,
            f"`{scheme}` is the default scheme of this `CryptContext` ({why}), so new hashes are fast to crack; "
            f"put `argon2` or `bcrypt` first and list `{scheme}` under `deprecated`",
        )

    def _scheme_name(self, expr: ast.expr) -> Optional[str]:
        text = self.ctx.values.string(expr)
        if text is not None:
            return text.split(",")[0].strip()
        qualname = self.ctx.resolve(expr) or ""
        if qualname.startswith("passlib.hash."):
            return qualname[len("passlib.hash."):]
        return None

    # --------------------------------------------------------------- django
    def visit_Assign(self, node: ast.AST) -> None:
        """`PASSWORD_HASHERS = [...]` at module level whose first entry is weak."""
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
        value = getattr(node, "value", None)
        if value is None or not any(isinstance(t, ast.Name) and t.id == "PASSWORD_HASHERS" for t in targets):
            return
        if self.ctx.module.enclosing_function(node) is not None or self._for_tests(node):
            return
        first = _first(self.ctx, value)
        text = self.ctx.values.string(first) if first is not None else None
        for algorithm, (cls, why) in apis.DJANGO_WEAK_HASHERS.items():
            if text == cls and first is not None:
                self.report(
                    first,
                    f"`{cls.rsplit('.', 1)[1]}` is first in `PASSWORD_HASHERS`, so new passwords get {why}; {_DJANGO_SAFER}",
                )

    visit_AnnAssign = visit_Assign

    def _for_tests(self, node: ast.AST) -> bool:
        """Settings for a test run: a settings file named for tests, or an
        assignment under `if "test" in sys.argv:` / `if DEBUG:`."""
        stem = self.ctx.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if _TEST_WORDS & set(split_words(stem)):
            return True
        for anc in self.ctx.module.ancestors(node):
            if isinstance(anc, ast.If):
                for sub in ast.walk(anc.test):
                    word = sub.id if isinstance(sub, ast.Name) else sub.value if isinstance(sub, ast.Constant) else None
                    if isinstance(word, str) and _TEST_WORDS & set(split_words(word)):
                        return True
        return False

    def _django_hasher(self, expr: Optional[ast.expr], where: str) -> None:
        if expr is None:
            return
        text = self.ctx.values.string(expr)
        found = apis.DJANGO_WEAK_HASHERS.get(text) if text is not None else None
        if found is None and isinstance(expr, ast.Call):
            called = self.ctx.call_name(expr)
            found = next((entry for entry in apis.DJANGO_WEAK_HASHERS.values() if entry[0] == called), None)
        if found is not None:
            shown = self.ctx.spelled(expr)
            self.report(expr, f"`{where}` with `{shown}` hashes passwords with {found[1]}; leave the hasher at Django's default")

    def _django_encode(self, node: ast.Call, owner: str) -> None:
        """`get_hasher("md5").encode(...)`, `MD5PasswordHasher().encode(...)`."""
        if owner == "django.contrib.auth.hashers.get_hasher":
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            made = definition(self.ctx.module, receiver) if receiver is not None else None
            if isinstance(made, ast.Call):
                api = apis.DJANGO_HASHER_CALLS[owner]
                self._django_hasher(apis.argument(made, api, "hasher"), "get_hasher")
            return
        for cls, why in apis.DJANGO_WEAK_HASHERS.values():
            if owner == cls:
                self.report(node.func, f"`{cls.rsplit('.', 1)[1]}` hashes passwords with {why}; use `make_password` with Django's default hasher")

    # ---------------------------------------------------------------- crypt
    def _crypt(self, node: ast.Call, api: apis.Api) -> None:
        expr = apis.argument(node, api, "salt")
        if api.kind == "crypt-salt":
            self._mksalt_rounds(node, api, expr)
        if expr is None:
            return
        method = self.ctx.resolve(expr)
        why = apis.CRYPT_WEAK_METHODS.get(method or "")
        if why is None and api.kind == "crypt":
            salt = self.ctx.values.string(expr)
            if salt is not None and (salt.startswith(("$1$", "$apr1$")) or (len(salt) == 2 and salt.isalnum())):
                why = apis.CRYPT_WEAK_METHODS["crypt.METHOD_MD5" if salt.startswith("$") else "crypt.METHOD_CRYPT"]
        if why is not None:
            shown = self.ctx.spelled(expr)
            self.report(expr, f"`{_spelled(shown, shown)}` makes `crypt` hash passwords with {why}; {_CRYPT_SAFER}")
        elif api.kind == "crypt":
            self._salt_rounds(expr)

    def _mksalt_rounds(self, node: ast.Call, api: apis.Api, method: Optional[ast.expr]) -> None:
        """`crypt.mksalt(crypt.METHOD_SHA512, rounds=1000)`."""
        scheme = apis.CRYPT_SHA_METHODS.get(self.ctx.resolve(method) or "") if method is not None else None
        item = wf.setting(self.ctx, node, api, "rounds")
        if scheme is not None and item is not None and item.expr is not None and not self._random_word(node):
            self._crypt_rounds(item.expr, wf.describe(self.ctx, node, "crypt.mksalt", [item]), scheme, item.value)

    def _random_word(self, salt: ast.Call) -> bool:
        """`crypt.crypt(secrets.token_urlsafe(32), crypt.mksalt(...))`: a
        random word no guessing reaches, whatever the rounds."""
        call = self.ctx.module.parent(salt)
        if not isinstance(call, ast.Call) or self.ctx.call_name(call) != "crypt.crypt":
            return False
        api = apis.CRYPT_CALLS["crypt.crypt"]
        return apis.argument(call, api, "salt") is salt and wf.high_entropy_input(self.ctx, apis.argument(call, api, "password"))

    def _salt_rounds(self, expr: ast.expr) -> None:
        """A constant salt that selects SHA-crypt with few rounds: `"$6$rounds=1000$..."`."""
        salt = self.ctx.values.string(expr)
        scheme = apis.CRYPT_SHA_PREFIXES.get((salt or "")[:3])
        rounds = (salt or "")[3:].split("$", 1)[0]
        if salt is None or scheme is None or not rounds.startswith("rounds=") or not rounds[7:].isdigit():
            return
        self._crypt_rounds(expr, f"`{_spelled(self.ctx.spelled(expr), 'the salt')}`", scheme, int(rounds[7:]))

    def _crypt_rounds(self, expr: ast.expr, shown: str, scheme: str, rounds: int) -> None:
        minimum = self.ctx.policy.sha_crypt_rounds
        if rounds < minimum:
            self.report(
                expr,
                f"{shown} makes `crypt` hash passwords with `{rounds}` rounds of {scheme}, below the minimum `{minimum}`, "
                f"fast to crack; use `rounds={minimum}` or more, or argon2-cffi (`crypt` is gone in Python 3.13)",
            )

    # ------------------------------------------------------------- werkzeug
    def _werkzeug(self, node: ast.Call, api: apis.Api) -> None:
        expr = apis.argument(node, api, "method")
        method = self.ctx.values.string(expr) if expr is not None else None
        if expr is None or method is None or method.split(":")[0] in apis.WERKZEUG_SLOW_METHODS:
            return
        what = "stores the password itself" if method == "plain" else f"hashes with one salted round of `{method.split(':')[0]}`"
        self.report(expr, f"`method=\"{method}\"` {what}; leave `method` at Werkzeug's default (`scrypt`) or use `pbkdf2`")


def _passlib_scheme(name: str) -> Optional[str]:
    """The scheme of `passlib.hash.<scheme>[.using()].<hash method>` (or the
    `passlib.handlers.<module>.<scheme>` spelling, or a preset context)."""
    owner, _, method = name.rpartition(".")
    if method not in apis.PASSLIB_HASH_METHODS:
        return None
    while owner.endswith(".using()"):
        owner = owner[: -len(".using()")]
    preset = apis.PASSLIB_WEAK_PRESETS.get(owner)
    if preset is not None:
        return preset
    parts = owner.split(".")
    if len(parts) == 3 and parts[:2] == ["passlib", "hash"]:
        return parts[2]
    if len(parts) == 4 and parts[:2] == ["passlib", "handlers"]:
        return parts[3]
    return None


def _first(ctx: Context, expr: Optional[ast.expr]) -> Optional[ast.expr]:
    """The first element of a list or tuple literal (through a name bound once),
    or a comma-separated string itself."""
    if expr is None:
        return None
    made = definition(ctx.module, expr)
    if isinstance(made, (ast.List, ast.Tuple)):
        return made.elts[0] if made.elts and not isinstance(made.elts[0], ast.Starred) else None
    if isinstance(made, ast.BinOp) and isinstance(made.op, ast.Add):
        return _first(ctx, made.left)
    if isinstance(made, ast.Constant) and isinstance(made.value, str):
        return made
    return None


def _spelled(text: str, qualname: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else qualname.rsplit(".", 1)[-1]
