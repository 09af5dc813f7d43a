"""CRY302: a non-empty literal is bound to a name that means a secret.

Real code is full of secret-looking names that hold no secret: the name of a
form field, header, cookie, session key, environment variable or setting
(`PASSWORD_FIELD = "password"`, `RESET_SESSION_TOKEN = "_password_reset_token"`),
a token type (`"Bearer"`), a placeholder (`"<your-api-key>"`, `"***"`,
`"%(password)s"`), a prompt.  Most of those are weeded out by the name
(`names.classify`), the rest by `secret_value`, which reads the value the way
a reviewer does.  Bare generic names (`key`, `pin`, `token`) count only when
the value looks like key material.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator, Optional

from cryptolint.analysis import apis
from cryptolint.analysis.names import SecretName, parameter_defaults, split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._secret_literals import LiteralSite, env_fix, env_name, trace
from cryptolint.checks._secret_values import (
    AUTH_VALUE, DUMMY_WORDS, KEY_NAME, common_shape, is_catalog, is_prose, secret_value, value_shape,
)
from cryptolint.diagnostic import Applicability, Edit, Fix, Import

#: Roles whose values CRY302 reports (nonces, salts and digests are not secrets).
_ROLES = frozenset({"password", "token", "secret", "key", "otp", "pin", "csrf", "session", "code"})

#: Calls whose second argument is a fallback for a setting read by name.
_ENV_GETTERS = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})


class HardcodedSecret(Check):
    CODE = "CRY302"
    NAME = "hardcoded-secret"
    CATEGORY = "secrets-in-source"
    SUMMARY = "A literal secret (password, API key, token, secret key) is written in the source."
    MESSAGE = "A secret is written in the source; read it from the environment or a secrets manager"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (798, 259)
    TRIGGERS = (
        "pass", "pw", "token", "secret", "cred", "key", "otp", "pin", "csrf", "xsrf", "session", "code", "psk",
        # APIs that take a password positionally (`CREDENTIAL_APIS`)
        "auth", "login", "connect", "ftp", "pop",
    )

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_Dict(self, node: ast.Dict) -> None:
        # A catalog of labels or translations names secrets without holding any.
        literals = [getattr(v, "value", None) for v in node.values]
        catalog, table = is_catalog(literals), common_shape(literals)
        for key, value in zip(node.keys, node.values):
            if catalog and isinstance(value, ast.Constant) and is_prose(str(value.value)):
                continue
            if table is not None and isinstance(value, ast.Constant) and value_shape(value.value) == table:
                continue
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and KEY_NAME.match(key.value):
                self._check(key.value, key.value, value)

    # ------------------------------------------------------------ binders
    def _bind(self, target: ast.AST, value: ast.expr) -> None:
        if isinstance(value, ast.Constant) and self._in_table(value):
            return
        if isinstance(target, ast.Name):
            self._check(target.id, target.id, value)
        elif isinstance(target, ast.Attribute):
            self._check(target.attr, self._shown(target), value)
        elif isinstance(target, ast.Subscript):
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and KEY_NAME.match(key.value):
                # `os.environ["API_KEY"] = "..."`: a fix there would read the variable from itself.
                into_env = self.ctx.resolve(target.value) == "os.environ"
                self._check(key.value, key.value, value, fixable=not into_env)
        elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            if len(target.elts) == len(value.elts) and not any(isinstance(e, ast.Starred) for e in target.elts):
                for sub_target, sub_value in zip(target.elts, value.elts):
                    self._bind(sub_target, sub_value)

    def _in_table(self, value: ast.Constant) -> bool:
        """A class body of like-shaped constants (an `Enum` of GUIDs, a table
        of OIDs): `ResetPassword = "00299570-246d-11d0-a768-00aa006e0529"`."""
        stmt = self.ctx.module.parent(value)
        owner = self.ctx.module.parent(stmt) if stmt is not None else None
        if not isinstance(owner, ast.ClassDef):
            return False
        literals = [
            s.value.value for s in owner.body if isinstance(s, (ast.Assign, ast.AnnAssign)) and isinstance(s.value, ast.Constant)
        ]  # `AuthExpired: Final = "92911"` as much as `AuthExpired = "92911"`
        shape = common_shape(literals)
        return shape is not None and value_shape(value.value) == shape

    def visit_Call(self, call: ast.Call) -> None:
        name = self.ctx.module.call_name_through_with(call)
        keyed = apis.KEYED_APIS.get(name) if name else None
        key_arg = apis.argument(call, keyed, "key") if keyed is not None else None
        for kw in call.keywords:
            if kw.arg and kw.value is not key_arg:  # a crypto API's key is CRY301's
                self._check(kw.arg, kw.arg, kw.value)
            if kw.arg in apis.CREDENTIAL_PAIR_KEYWORDS and isinstance(kw.value, (ast.Tuple, ast.List)) and len(kw.value.elts) == 2:
                # `auth=("user", "hunter2")`: the second item is the password.
                self._check("password", f"{kw.arg}", kw.value.elts[1], env="HTTP_PASSWORD")
        api = apis.CREDENTIAL_APIS.get(name) if name else None
        if api is not None:
            arg = apis.argument(call, api, "password")
            if arg is not None:
                shown = f"the password of `{'.'.join(api.name.replace('()', '').split('.')[-2:])}`"
                self._check("password", shown, arg, env=str(api.facts.get("env", "PASSWORD")), quoted=False)
        if name in _ENV_GETTERS and len(call.args) == 2 and not call.keywords:
            key = call.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self._check(key.value, key.value, call.args[1], fallback=call)

    def _defaults(self, func: ast.AST) -> None:
        args = getattr(func, "args", None)
        if args is None:
            return
        for arg, default in parameter_defaults(args):
            # No fix: a default is evaluated once, at import (and the fixer
            # cannot yet reach a LibCST `Param`'s default by position).
            self._check(arg.arg, arg.arg, default, fixable=False)

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _defaults

    # ------------------------------------------------------------- values
    def _check(
        self,
        identifier: str,
        shown: str,
        value: ast.expr,
        fixable: bool = True,
        fallback: Optional[ast.Call] = None,
        env: Optional[str] = None,
        quoted: bool = True,
    ) -> None:
        named = self.ctx.classify(identifier)
        if identifier.lower() in ("authorization", "proxy-authorization", "proxy_authorization"):
            # `{"Authorization": "Bearer <token>"}`: the credential after the scheme.
            self._authorization(identifier, value)
            return
        if named is None or named.role not in _ROLES:
            return
        for expr in _candidates(value):
            site = trace(self.ctx, expr)
            if site is None or not secret_value(named, identifier, site.value, fallback is not None):
                continue
            if site.via is not None and self._reported_at_definition(site):
                continue
            what = f"`{shown}`" if quoted else shown
            if fallback is not None:
                message = f"{what} falls back to a literal secret in source; read it from the environment or a secrets manager"
            else:
                message = f"{what} is a literal secret in source; read it from the environment or a secrets manager"
            fix = self._fix(site, env or identifier, fallback) if fixable else None
            self.report(expr, message, fix)

    def _authorization(self, identifier: str, value: ast.expr) -> None:
        if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
            return
        match = AUTH_VALUE.match(value.value.strip())
        if match is None:
            return
        credential = match.group(2)
        named = SecretName("token", ("access", "token"))
        if not secret_value(named, "access_token", credential) or (len(credential) < 16 and not re.search(r"\d", credential)):
            return
        message = (
            f"the `{identifier}` header holds a literal `{match.group(1)}` credential; "
            "read it from the environment or a secrets manager"
        )
        self.report(value, message)

    def _reported_at_definition(self, site: LiteralSite) -> bool:
        """The literal reached through `site.via` is judged where it is bound,
        when that name means a secret (or says it is a dummy)."""
        assert site.via is not None
        named = self.ctx.classify(site.via)
        return (named is not None and named.role in _ROLES) or bool(set(split_words(site.via)) & DUMMY_WORDS)

    def _fix(self, site: LiteralSite, identifier: str, fallback: Optional[ast.Call]) -> Optional[Fix]:
        if self.ctx.is_test_file:
            return None  # a fixture secret must not make the test suite need a variable
        if fallback is not None:
            # `os.getenv("SECRET_KEY", "dev")` -> `os.environ["SECRET_KEY"]`: drop the fallback.
            key = fallback.args[0]
            if site.node is not fallback.args[1] or not isinstance(site.value, str) or not isinstance(key, ast.Constant):
                return None
            return Fix(
                title=f"Read `{key.value}` from the environment, with no fallback",  # type: ignore[str-bytes-safe]
                applicability=Applicability.UNSAFE,
                edits=(Edit(self.ctx.span(fallback), "os.environ[{0}]", (self.ctx.span(key),)),),
                add_imports=(Import("os"),),
            )
        if site.via is not None and self._load_count(site) != 1:
            return None
        return env_fix(self.ctx, site, env_name(identifier))

    def _load_count(self, site: LiteralSite) -> int:
        """How many times the name holding the literal is read (0: unknown)."""
        for node in (site.node, *self.ctx.module.ancestors(site.node)):
            parent = self.ctx.module.parent(node)
            if isinstance(parent, ast.Assign) and node is parent.value:
                if len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
                    return len(self.ctx.flows.uses(parent.targets[0]))
                return 0
            if not isinstance(parent, (ast.Call, ast.Attribute, ast.BinOp)):
                return 0
        return 0

    def _shown(self, target: ast.AST) -> str:
        text = self.ctx.spelled(target)
        return text if len(text) <= 40 else getattr(target, "attr", text[:37] + "...")


def _candidates(value: ast.expr) -> Iterator[ast.expr]:
    """The expressions a bound value may be: `"x" if c else y`, `a or "x"`."""
    if isinstance(value, ast.IfExp):
        yield from _candidates(value.body)
        yield from _candidates(value.orelse)
    elif isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        for item in value.values[1:]:
            yield from _candidates(item)
    else:
        yield value
