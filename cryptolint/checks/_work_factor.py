"""What the work-factor rules (CRY202 bcrypt, CRY203 Argon2, CRY204 PBKDF2 and
scrypt) share: reading an integer setting of a call (counting the API's
default when it is omitted), naming the call the way the user wrote it, telling
a password input from a high-entropy key, and building the argument edits of
their fixes."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence

from cryptolint.analysis import apis
from cryptolint.context import Context

#: Words that make a name a password even when its head is `key`
#: (`password_key`, `pin_key`).
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pw", "passphrase", "passcode", "pin"})


@dataclass(frozen=True)
class Setting:
    """One integer setting of a call: its value, and the expression that gave
    it (None when the API's default applies because the argument is omitted)."""

    name: str
    value: int
    expr: Optional[ast.expr]
    #: The default of the function parameter `expr` names, when the value
    #: comes from there (`def derive(pw, iterations=1000)`).
    origin: Optional[ast.expr] = None

    @property
    def is_default(self) -> bool:
        return self.expr is None

    @property
    def target(self) -> Optional[ast.expr]:
        """The expression a fix replaces, or None when no argument edit fits.

        A value from a parameter default gets no fix for now: the edit would
        be the default itself, but the fixer does not reach into a parameter
        (LibCST's position of `Param` leaves out its default)."""
        return self.expr if self.origin is None else None


def setting(ctx: Context, call: ast.Call, api: apis.Api, role: str, default: Optional[int] = None) -> Optional[Setting]:
    """The integer `role` of `call`: given (a literal, a module constant, a
    local bound once), or `default` when omitted.  None when it is unknown
    (a parameter, `*args`/`**kwargs`, a value computed at run time)."""
    param = api.params.get(role)
    if param is None:
        return None
    expr = apis.argument(call, api, role)
    name = param.keyword or role
    if expr is None:
        if default is None or unpacks(call):
            return None
        return Setting(name, default, None)
    return _known(ctx, name, expr)


def keyword_setting(ctx: Context, call: ast.Call, keyword: str) -> Optional[Setting]:
    """The integer keyword argument `keyword` of `call`, if known."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return _known(ctx, keyword, kw.value)
    return None


def _known(ctx: Context, name: str, expr: ast.expr) -> Optional[Setting]:
    value = ctx.values.integer(expr)
    if value is not None:
        return Setting(name, value, expr)
    default = parameter_default(ctx, expr)
    value = ctx.values.integer(default)
    if default is None or value is None:
        return None
    return Setting(name, value, expr, default)


def parameter_default(ctx: Context, expr: ast.expr) -> Optional[ast.expr]:
    """The default value of the parameter that `expr` names, if the name is
    never rebound in the function: what every caller that omits it gets."""
    if not isinstance(expr, ast.Name):
        return None
    _, bindings = ctx.module.lookup(expr.id, ctx.module.scope_of(expr))
    if len(bindings) == 1 and bindings[0].kind == "param":
        return bindings[0].value
    return None


def unpacks(call: ast.Call) -> bool:
    """`*args` or `**kwargs` could hold any omitted argument."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def callee(ctx: Context, call: ast.Call, qualname: str) -> str:
    """The callee as the user wrote it (`bcrypt.gensalt`, `PBKDF2HMAC`), or the
    end of its qualified name when the spelling is long."""
    spelled = ctx.spelled(call.func)
    if len(spelled) > 40:
        return ".".join(qualname.replace("()", "").split(".")[-2:])
    return spelled


def shown(ctx: Context, item: Setting) -> str:
    """`rounds=10`, or `rounds=ROUNDS` when the value came from a name."""
    text = ctx.spelled(item.expr) if item.expr is not None else str(item.value)
    return f"{item.name}={text}"


def describe(ctx: Context, call: ast.Call, qualname: str, items: Sequence[Setting]) -> str:
    """"`gs(rounds=R)` (`bcrypt.gensalt`, `R` is `10`)": the call with the
    settings in question, the library name when the callee is an alias, and
    the values of settings given through names."""
    spelled = ctx.spelled(call.func)
    plain = qualname.replace("()", "")
    text = f"`{callee(ctx, call, qualname)}({', '.join(shown(ctx, i) for i in items if i.expr is not None)})`"
    notes = []
    if len(spelled) <= 40 and spelled.rsplit(".", 1)[-1] != plain.rsplit(".", 1)[-1]:
        notes.append(f"`{plain}`")
    for item in items:
        if item.expr is not None and any(isinstance(n, (ast.Name, ast.Attribute)) for n in ast.walk(item.expr)):
            verb = "defaults to" if item.origin is not None else "is"
            notes.append(f"`{' '.join(ctx.source(item.expr).split())}` {verb} `{item.value}`")
    return text + (f" ({', '.join(notes)})" if notes else "")


def high_entropy_input(ctx: Context, expr: Optional[ast.AST]) -> bool:
    """Whether `expr` is known to be a random key rather than a password: fresh
    CSPRNG output, or a value named as a key (`master_key`) with no password
    word in its name.  Unknown inputs are not high-entropy."""
    if expr is None:
        return False
    if ctx.values.fresh_random(expr) is not None:
        return True
    role = ctx.flows.role_of(expr)
    return role is not None and role.role == "key" and not any(w in _PASSWORD_WORDS for w in role.words)


def derived_input(ctx: Context, constructor: ast.Call) -> Optional[ast.expr]:
    """For a KDF object (`PBKDF2HMAC(...)`, `Scrypt(...)`), the key material
    later given to its `.derive()`/`.verify()`, when there is exactly one."""
    inputs: List[ast.expr] = []
    parent = ctx.module.parent(constructor)
    if isinstance(parent, ast.Attribute):
        inputs.extend(_method_argument(ctx, parent))
    elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        for use in ctx.flows.uses(parent.targets[0]):
            attr = ctx.module.parent(use)
            if isinstance(attr, ast.Attribute):
                inputs.extend(_method_argument(ctx, attr))
    return inputs[0] if len(inputs) == 1 else None


def _method_argument(ctx: Context, attr: ast.Attribute) -> List[ast.expr]:
    call = ctx.module.parent(attr)
    if attr.attr in ("derive", "verify") and isinstance(call, ast.Call) and call.func is attr and call.args:
        return [call.args[0]]
    return []


@dataclass(frozen=True)
class HasherClass:
    """A subclass of a Django password hasher that sets its work factor."""

    node: ast.ClassDef
    api: apis.Api
    #: role -> the value set in the class body, or Django's default.
    settings: Dict[str, Setting]
    #: attribute -> the expression the class body assigns to it.
    assigned: Dict[str, ast.expr]

    def describe(self, ctx: Context, items: Sequence[Setting]) -> str:
        """"`iterations = 1000` in `Fast` (subclass of `PBKDF2PasswordHasher`)"."""
        parts = ", ".join(f"{i.name} = {' '.join(ctx.source(i.expr).split())}" for i in items if i.expr is not None)
        return f"`{parts}` in `{self.node.name}` (subclass of `{self.api.name.rsplit('.', 1)[-1]}`)"


def django_hasher(ctx: Context, node: ast.ClassDef, kinds: FrozenSet[str]) -> Optional[HasherClass]:
    """`node` if it subclasses a Django hasher of one of `kinds` and assigns
    a known integer to at least one of its work-factor attributes."""
    api = None
    for base in node.bases:
        api = apis.DJANGO_HASHERS.get(ctx.resolve(base) or "")
        if api is not None:
            break
    if api is None or api.kind not in kinds:
        return None
    assigned: Dict[str, ast.expr] = {}
    counts: Dict[str, int] = {}
    for stmt in node.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Name):
                counts[target.id] = counts.get(target.id, 0) + 1
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                    assigned[target.id] = stmt.value
    defaults: Dict[str, object] = dict(api.facts.get("defaults", {}))  # type: ignore[call-overload]
    settings: Dict[str, Setting] = {}
    given = False
    for role, param in api.params.items():
        attribute = param.keyword or role
        if counts.get(attribute, 0) > 1 or (attribute in counts and attribute not in assigned):
            return None  # set more than once: unknown
        if attribute in assigned:
            value = ctx.values.integer(assigned[attribute])
            if value is not None:
                settings[role] = Setting(attribute, value, assigned[attribute])
                given = True
            elif role != "hash":
                return None
        elif isinstance(defaults.get(role), int):
            settings[role] = Setting(attribute, defaults[role], None)  # type: ignore[arg-type]
    return HasherClass(node, api, settings, assigned) if given else None
