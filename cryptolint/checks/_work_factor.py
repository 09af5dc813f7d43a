"""What the work-factor rules (CRY202 bcrypt, CRY203 Argon2, CRY204 PBKDF2 and
scrypt) share: reading an integer setting of a call (counting the API's
default when it is omitted), naming the call the way the user wrote it, telling
a password input from a high-entropy key, and building the argument edits of
their fixes."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from cryptolint.analysis import apis
from cryptolint.context import Context
from cryptolint.diagnostic import Edit, Span

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

    @property
    def is_default(self) -> bool:
        return self.expr is None


def skip_file(ctx: Context) -> bool:
    """Test code lowers work factors on purpose (to run fast); it is checked
    only when the settings ask for secrets in tests."""
    return ctx.is_test_file and not ctx.settings.secrets_in_tests


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
    value = ctx.values.integer(expr)
    if value is None:
        return None
    return Setting(name, value, expr)


def keyword_setting(ctx: Context, call: ast.Call, keyword: str) -> Optional[Setting]:
    """The integer keyword argument `keyword` of `call`, if known."""
    for kw in call.keywords:
        if kw.arg == keyword:
            value = ctx.values.integer(kw.value)
            return Setting(keyword, value, kw.value) if value is not None else None
    return None


def unpacks(call: ast.Call) -> bool:
    """`*args` or `**kwargs` could hold any omitted argument."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def callee(ctx: Context, call: ast.Call, qualname: str) -> str:
    """The callee as the user wrote it (`bcrypt.gensalt`, `PBKDF2HMAC`), or the
    end of its qualified name when the spelling is long."""
    spelled = " ".join(ctx.source(call.func).split())
    if len(spelled) > 40:
        return ".".join(qualname.replace("()", "").split(".")[-2:])
    return spelled


def shown(ctx: Context, item: Setting) -> str:
    """`rounds=10`, or `rounds=ROUNDS` when the value came from a name."""
    text = " ".join(ctx.source(item.expr).split()) if item.expr is not None else str(item.value)
    return f"{item.name}={text}"


def describe(ctx: Context, call: ast.Call, qualname: str, items: Sequence[Setting]) -> str:
    """"`gs(rounds=R)` (`bcrypt.gensalt`, `R` is `10`)": the call with the
    settings in question, the library name when the callee is an alias, and
    the values of settings given through names."""
    spelled = " ".join(ctx.source(call.func).split())
    plain = qualname.replace("()", "")
    text = f"`{callee(ctx, call, qualname)}({', '.join(shown(ctx, i) for i in items if i.expr is not None)})`"
    notes = []
    if len(spelled) <= 40 and spelled.rsplit(".", 1)[-1] != plain.rsplit(".", 1)[-1]:
        notes.append(f"`{plain}`")
    for item in items:
        if item.expr is not None and any(isinstance(n, (ast.Name, ast.Attribute)) for n in ast.walk(item.expr)):
            notes.append(f"`{' '.join(ctx.source(item.expr).split())}` is `{item.value}`")
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


# ------------------------------------------------------------------- fixes
def replace(ctx: Context, expr: ast.AST, text: str) -> Edit:
    """Replace the argument expression `expr` (just the value) with `text`."""
    return Edit(ctx.span(expr), _escape(text))


def rebuild_call(
    ctx: Context,
    call: ast.Call,
    replacements: Optional[Dict[int, str]] = None,
    extra: Sequence[str] = (),
) -> Optional[Edit]:
    """Rewrite `call` keeping every argument as a hole, except those whose
    `id(expr)` is in `replacements` (written as the given text), and append
    the `extra` keyword arguments (`"rounds=12"`).  None if the call unpacks
    `**kwargs`, which could already hold an added keyword."""
    if any(k.arg is None for k in call.keywords) and extra:
        return None
    replacements = replacements or {}
    holes: List[Span] = [ctx.span(call.func)]
    parts: List[str] = []

    def hole(expr: ast.AST) -> str:
        if id(expr) in replacements:
            return _escape(replacements[id(expr)])
        holes.append(ctx.span(expr))
        return "{%d}" % (len(holes) - 1)

    for arg in call.args:
        if isinstance(arg, ast.Starred):
            parts.append("*" + hole(arg.value))
        else:
            parts.append(hole(arg))
    for kw in call.keywords:
        parts.append(("**" if kw.arg is None else f"{kw.arg}=") + hole(kw.value))
    parts.extend(_escape(e) for e in extra)
    return Edit(ctx.span(call), "{0}(" + ", ".join(parts) + ")", tuple(holes))


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
