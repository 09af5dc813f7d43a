"""Keys made from passwords by hand, which CRY702 reports and CRY201 leaves to it.

- `evp_chain(ctx, site)`: the hash is OpenSSL's `EVP_BytesToKey` written out:
  in a loop, each digest hashed again with the password
  (`d = md5(d + password + salt).digest()`).
- `shaped_password(ctx, expr)`: `expr` is a password only shaped to a key's
  length (`password.encode().ljust(32, b"\\0")[:32]`): the password, and the
  shaping steps a message names.
- `fast_keyed_hash(ctx, expr)`: `expr` is one HMAC or HKDF of a password
  (`hmac.new(b"", password, sha256).digest()`, `HKDF(...).derive(password)`):
  the call, the password and what a message calls the construction.
"""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.checks._hash_sites import HashSite
from cryptolint.checks._password_values import password_leaves, password_role
from cryptolint.context import Context

_MAX_DEPTH = 6
#: Methods that change a value's type or length but add no secret.
_SHAPING_METHODS = {
    "encode": None, "decode": None, "strip": None, "rstrip": None, "lstrip": None,
    "ljust": "padded", "rjust": "padded", "zfill": "padded", "center": "padded",
}
_CONVERSIONS = frozenset({"builtins.bytes", "builtins.bytearray", "builtins.str"})


def evp_chain(ctx: Context, site: HashSite) -> bool:
    """The hash runs in a loop and hashes its own previous digest together
    with a password: `EVP_BytesToKey`'s MD5 chain."""
    if site.data is None or site.kind != "constructor" or not password_leaves(ctx, site.data):
        return False
    loop = next((a for a in ctx.module.ancestors(site.call) if isinstance(a, (ast.While, ast.For, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))), None)
    if not isinstance(loop, (ast.While, ast.For)):
        return False
    statement = next((a for a in ctx.module.ancestors(site.call) if isinstance(a, ast.stmt)), None)
    if not isinstance(statement, (ast.Assign, ast.AugAssign)):
        return False
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    assigned = {t.id for t in targets if isinstance(t, ast.Name)}
    used = {n.id for n in ast.walk(site.data) if isinstance(n, ast.Name)}
    return bool(assigned & used)


def shaped_password(ctx: Context, expr: ast.AST) -> Optional[Tuple[ast.AST, List[str]]]:
    """The password `expr` is, after steps that only shape it (encode, pad,
    slice, `bytes(...)`), and what those steps did; None if `expr` is not a
    shaped password or was not shaped at all."""
    steps: List[str] = []
    node: Optional[ast.AST] = expr
    found: Optional[ast.AST] = None
    for _ in range(_MAX_DEPTH):
        if node is None:
            break
        if password_role(ctx, node) is not None:
            found = node
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            steps.append("truncated")
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SHAPING_METHODS:
            steps.append(_SHAPING_METHODS[node.func.attr] or "")
            node = node.func.value
        elif isinstance(node, ast.Call) and len(node.args) >= 1 and ctx.call_name(node) in _CONVERSIONS | apis.PADDING_CALLS:
            steps.append("padded" if ctx.call_name(node) in apis.PADDING_CALLS else "")
            node = node.args[0]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _constant_like(ctx, node.right):
            steps.append("padded")
            node = node.left
        elif isinstance(node, ast.Name) and found is None:
            node = ctx.module.single_value(node.id, ctx.module.scope_of(node))
        else:
            break
    if found is None or not steps:
        return None
    return found, sorted(set(step for step in steps if step))


def _constant_like(ctx: Context, expr: ast.AST) -> bool:
    """`b"\\0" * (32 - len(pw))`, `b"="`: padding, not a secret."""
    if ctx.values.constant(expr) is not None:
        return True
    return isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult) and (
        ctx.values.constant(expr.left) is not None or ctx.values.constant(expr.right) is not None
    )


def fast_keyed_hash(ctx: Context, expr: ast.AST) -> Optional[Tuple[ast.Call, ast.AST, str]]:
    """`expr` (followed through names bound once and `.digest()`) is an HMAC
    under a constant key, or an HKDF, of a password."""
    node: Optional[ast.AST] = expr
    for _ in range(_MAX_DEPTH):
        if isinstance(node, ast.Name):
            node = ctx.module.single_value(node.id, ctx.module.scope_of(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("digest", "hexdigest") and not node.args:
            node = node.func.value
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            node = node.value
        else:
            break
    if not isinstance(node, ast.Call):
        return None
    name = ctx.call_name(node) or ""
    api = apis.PASSWORD_UNFIT_KDFS.get(name)
    if api is None:
        return None
    material = apis.argument(node, api, "material")
    passwords = password_leaves(ctx, material) if material is not None else []
    if not passwords:
        return None
    if api.kind == "hmac":
        key = apis.argument(node, api, "key")
        if key is None or ctx.values.constant(key) is None:
            return None  # an HMAC under a real key is a MAC, not a KDF
    return node, passwords[0], str(api.facts["what"])
