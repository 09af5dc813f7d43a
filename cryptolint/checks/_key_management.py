"""What the key-management rules (CRY701-CRY706) share.

- `is_false(ctx, expr)`: the expression is the constant False (a literal, a
  module constant or a local bound once; never a parameter).
- `user_choice(ctx, node)`: the statement runs only when a setting says so
  (`if not validate_certs: ctx.check_hostname = False`): the code offers an
  opt-out, it does not impose one.
"""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis.names import split_words
from cryptolint.context import Context

#: Words of a condition that make it a user's setting about checking
#: (`validate_certs`, `self.insecure`, `options.no_verify`, `ssl_verify`).
_OPTION_WORDS = frozenset(
    """
    verify verification validate validation insecure secure ssl tls cert certs
    certificate certificates check checks unverified skip strict trust trusted
    """.split()
)


def is_false(ctx: Context, expr: Optional[ast.AST]) -> bool:
    if expr is None:
        return False
    const = ctx.values.constant(expr)
    return const is not None and const.value is False


def user_choice(ctx: Context, node: ast.AST) -> bool:
    """`node` sits in the body of an `if` (or a conditional expression) whose
    test reads a setting about certificate or signature checking."""
    child: ast.AST = node
    for ancestor in ctx.module.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp, ast.While)) and child is not ancestor.test:
            if _mentions_option(ancestor.test):
                return True
        child = ancestor
    return False


def _mentions_option(test: ast.AST) -> bool:
    for sub in ast.walk(test):
        ident = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
        if ident is None and isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            ident = sub.value
        if ident is not None and any(word in _OPTION_WORDS for word in split_words(ident)):
            return True
    return False
