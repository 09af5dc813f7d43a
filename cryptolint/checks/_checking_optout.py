"""Opt-outs of checking offered to the user: shared by the rules about
certificate, host-key and signature checking (CRY704, CRY707, CRY708).

- `user_choice(ctx, node)`: the statement sits on the off branch of a
  setting about checking (`if not validate_certs: ctx.check_hostname = False`):
  the code offers an opt-out, it does not impose one.
- `checking_when_true(ctx, test)`: whether a condition being true means
  checking is on, off, or says nothing about checking.
"""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis import apis
from cryptolint.analysis.names import split_words
from cryptolint.context import Context

#: Words of a condition that name checking: true means checking is on
#: (`verify`, `validate_certs`, `check_hostname`, `strict_host_key_checking`),
#: and words that turn such a name around (`no_verify`, `skip_validation`,
#: `disable_ssl_verification`).  `ssl`, `tls` and `secure` name transport,
#: not checking: `if use_ssl:` is no opt-out.
_CHECKING_WORDS = frozenset(
    """
    verify verification verified validate validation validated check checks
    checking strict
    """.split()
)
_NEGATING_WORDS = frozenset("no not skip disable disabled ignore without dont".split())
#: Words for what is checked: negated (`ignore_ssl_certs`, `skip_cert`) they
#: say checking is off; alone (`if cert:`) they say nothing.
_CHECKED_WORDS = frozenset("cert certs certificate certificates".split())
#: Words that alone say checking is off (`insecure`, `self.unverified`).
_OFF_WORDS = frozenset({"insecure", "unverified", "noverify", "noverification", "novalidate"})
#: Constants a setting is compared with that mean off, and on.
_OFF_VALUES = frozenset({False, 0, "", "0", "false", "no", "off", "none", "never", "ignore"})
_ON_VALUES = frozenset({True, 1, "1", "true", "yes", "on", "required", "always", "strict"})
#: Calls whose arguments name no setting (`hasattr(ssl, "_create_unverified_context")`).
_NOT_SETTINGS = frozenset({"hasattr", "getattr", "isinstance", "callable", "issubclass", "len"})



def user_choice(ctx: Context, node: ast.AST) -> bool:
    """`node` sits on the off branch of an `if` (or a conditional expression,
    or a loop) whose test reads a setting about certificate, host-key or
    signature checking: `if not validate_certs:`, `if insecure:`, the
    `else` of `if verify:`.  The code offers an opt-out, it does not impose
    one.  A test that names no checking (`if use_ssl:`, `if secure:`,
    `hasattr(ssl, ...)`) or whose polarity is unknown is no opt-out."""
    child: ast.AST = node
    for ancestor in ctx.module.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp, ast.While)) and child is not ancestor.test:
            on = checking_when_true(ctx, ancestor.test)
            in_body = child is ancestor.body or (isinstance(ancestor.body, list) and child in ancestor.body)
            if on is (not in_body):
                return True
        child = ancestor
    return False


def checking_when_true(ctx: Context, test: ast.AST) -> Optional[bool]:
    """Whether `test` being true means checking is on (True), off (False),
    or says nothing about checking (None)."""
    if isinstance(test, ast.NamedExpr):
        inner = checking_when_true(ctx, test.value)
        return inner if inner is not None else checking_when_true(ctx, test.target)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = checking_when_true(ctx, test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        parts = [checking_when_true(ctx, value) for value in test.values]
        if isinstance(test.op, ast.And):
            # The body runs only when every part is true.
            return False if False in parts else True if True in parts else None
        return parts[0] if parts and all(part is parts[0] for part in parts) else None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _compared(ctx, test.left, test.ops[0], test.comparators[0])
    if isinstance(test, ast.Call):
        func = test.func.id if isinstance(test.func, ast.Name) else test.func.attr if isinstance(test.func, ast.Attribute) else None
        if func in _NOT_SETTINGS:
            return None
        if func == "bool" and len(test.args) == 1:
            return checking_when_true(ctx, test.args[0])
        for arg in test.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return _identifier_polarity(arg.value)
        return _identifier_polarity(func) if func else None
    ident = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
    if isinstance(test, ast.Subscript) and isinstance(test.slice, ast.Constant) and isinstance(test.slice.value, str):
        ident = test.slice.value
    return _identifier_polarity(ident) if ident else None


def _compared(ctx: Context, left: ast.AST, op: ast.cmpop, right: ast.AST) -> Optional[bool]:
    if isinstance(op, (ast.Eq, ast.Is)):
        same = True
    elif isinstance(op, (ast.NotEq, ast.IsNot)):
        same = False
    else:
        return None
    for setting, other in ((left, right), (right, left)):
        if ctx.resolve(other) in apis.CERT_NONE_CONSTANTS:
            return not same
        if ctx.resolve(other) in apis.CERT_REQUIRED_CONSTANTS:
            return same
        if isinstance(other, ast.Constant) and other.value is not None:
            value = other.value.lower() if isinstance(other.value, str) else other.value
            if isinstance(value, (bool, int, str)) and value in _OFF_VALUES | _ON_VALUES:
                inner = checking_when_true(ctx, setting)
                if inner is None:
                    return None
                truthy = value in _ON_VALUES
                return inner if truthy == same else not inner
    return None


def _identifier_polarity(identifier: str) -> Optional[bool]:
    words = set(split_words(identifier)) | {identifier.lower().replace("_", "")}
    if words & _OFF_WORDS:
        return False
    if words & _CHECKING_WORDS:
        return not (words & _NEGATING_WORDS)
    if words & _CHECKED_WORDS and words & _NEGATING_WORDS:
        return False
    return None
