"""What a value is made of, and whether it is a password: the questions
CRY201, CRY205 and CRY206 ask about the data they see.

- `leaves(ctx, expr)`: the pieces a value is assembled from (`salt + pw`,
  f-strings, `"%s%s" % (...)`, `"".join([...])`, `.format()`, `.encode()`,
  `bytes(...)`, padding), followed through local variables bound once.
- `password_role(ctx, expr)`: the password-like name of a piece, if any
  (`password`, `form["password"]`, `form.password.data`, `getpass.getpass()`,
  the parameter of `def hash_password(plain)`), never a hash of one
  (`password_hash`, `hashed_password`).
"""

from __future__ import annotations

import ast
from typing import List, Optional

from cryptolint.analysis import apis
from cryptolint.analysis.names import ROLE_WORDS, TRANSPARENT_TAILS, SecretName, split_words
from cryptolint.context import Context

_MAX_DEPTH = 6

#: Words that make a password-like name mean a hash or ciphertext of one.
HASHED_WORDS = frozenset({"hash", "hashed", "hashes", "encrypted", "crypted", "enc", "digest", "cipher", "ciphertext"})

#: Function-name words of conversions that keep their argument's nature
#: (`force_bytes(password)`, `to_bytes(pw)`, `pad(password, 16)`).
_CONVERSION_WORDS = frozenset(
    "to as ensure force smart bytes str string text unicode utf8 encode encoded normalize normalise ascii pad padded b".split()
)


def leaves(ctx: Context, expr: Optional[ast.AST]) -> List[ast.AST]:
    """The named or opaque pieces `expr` is assembled from."""
    found: List[ast.AST] = []
    if expr is not None:
        _leaves(ctx, expr, found, 0)
    return found


def _leaves(ctx: Context, expr: ast.AST, found: List[ast.AST], depth: int) -> None:
    if depth > _MAX_DEPTH:
        found.append(expr)
        return
    if isinstance(expr, ast.Constant) or role_of(ctx, expr) is not None or password_source(ctx, expr):
        found.append(expr)
        return
    parts = _parts(ctx, expr)
    if parts is None:
        found.append(expr)
        return
    for part in parts:
        _leaves(ctx, part, found, depth + 1)


def _parts(ctx: Context, expr: ast.AST) -> Optional[List[ast.AST]]:
    """The sub-expressions `expr` concatenates or converts, or None if it is a leaf."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod)):
        return [expr.left, expr.right]
    if isinstance(expr, ast.JoinedStr):
        return [v.value if isinstance(v, ast.FormattedValue) else v for v in expr.values]
    if isinstance(expr, ast.FormattedValue):
        return [expr.value]
    if isinstance(expr, (ast.Tuple, ast.List)):
        return list(expr.elts)
    if isinstance(expr, ast.Name):
        value = ctx.module.single_value(expr.id, ctx.module.scope_of(expr))
        return [value] if value is not None else None
    if isinstance(expr, ast.Call):
        return _call_parts(ctx, expr)
    return None


def _call_parts(ctx: Context, call: ast.Call) -> Optional[List[ast.AST]]:
    func = call.func
    if isinstance(func, ast.Attribute):
        if func.attr == "join" and len(call.args) == 1:
            arg = call.args[0]
            return list(arg.elts) if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
        if func.attr == "format":
            return [func.value, *call.args, *(kw.value for kw in call.keywords)]
        if func.attr in ("encode", "decode", "strip", "lower", "upper", "rstrip", "lstrip"):
            return [func.value]
    name = ctx.call_name(call)
    if name in apis.PADDING_CALLS and call.args:
        return [call.args[0]]
    if name in ("builtins.str", "builtins.bytes", "builtins.bytearray") and call.args:
        return [call.args[0]]
    ident = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    words = split_words(ident)
    if words and all(w in _CONVERSION_WORDS for w in words) and call.args:
        return [call.args[0]]
    return None


def password_source(ctx: Context, expr: ast.AST) -> bool:
    """A call that reads a password from the user (`getpass.getpass()`)."""
    return isinstance(expr, ast.Call) and ctx.call_name(expr) in apis.PASSWORD_SOURCES


def role_of(ctx: Context, expr: ast.AST) -> Optional[SecretName]:
    """`ctx.flows.role_of`, also seeing through a wrapper attribute such as
    WTForms' `form.password.data`."""
    found = ctx.flows.role_of(expr)
    if found is not None:
        return found
    inner = _strip_encoding(expr)
    if isinstance(inner, ast.Attribute) and inner.attr in TRANSPARENT_TAILS:
        if isinstance(inner.value, (ast.Attribute, ast.Subscript)):
            return ctx.flows.role_of(inner.value)
    return None


def _strip_encoding(expr: ast.AST) -> ast.AST:
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ("encode", "decode", "strip"):
        expr = expr.func.value
    return expr


def password_parameter(ctx: Context, expr: ast.AST) -> bool:
    """A parameter of a function named for a password (`def hash_password(plain)`)."""
    inner = _strip_encoding(expr)
    if not isinstance(inner, ast.Name):
        return False
    owner, bindings = ctx.module.lookup(inner.id, ctx.module.scope_of(inner))
    if owner is None or len(bindings) != 1 or bindings[0].kind != "param":
        return False
    function = owner.node
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or inner.id in ("self", "cls"):
        return False
    words = split_words(function.name)
    return bool(words) and ROLE_WORDS.get(words[-1]) == "password"


def password_role(ctx: Context, expr: ast.AST) -> Optional[SecretName]:
    """The password-like name of `expr` (not a hash of a password)."""
    if password_source(ctx, expr):
        return SecretName("password", ("password",))
    role = role_of(ctx, expr)
    if role is None and password_parameter(ctx, expr):
        return SecretName("password", ("password",))
    if role is None or not role.is_password:
        return None
    if any(word in HASHED_WORDS for word in role.words):
        return None
    return role


def password_leaves(ctx: Context, expr: Optional[ast.AST]) -> List[ast.AST]:
    """The pieces of `expr` that are passwords."""
    return [leaf for leaf in leaves(ctx, expr) if password_role(ctx, leaf) is not None]


def display_name(ctx: Context, expr: ast.AST) -> str:
    """How a message names a value: its source if short, else its name
    (`password`, not `password.encode("utf-8")`)."""
    while isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Attribute) and expr.func.attr in ("encode", "decode"):
            inner: ast.AST = expr.func.value
        elif ctx.call_name(expr) in ("builtins.bytes", "builtins.str") and expr.args:
            inner = expr.args[0]
        else:
            break
        if role_of(ctx, inner) is None and not password_parameter(ctx, inner):
            break
        expr = inner
    text = ctx.spelled(expr)
    if len(text) <= 40:
        return text
    role = ctx.flows.role_of(expr)
    return "_".join(role.words) if role is not None else text[:37] + "..."
