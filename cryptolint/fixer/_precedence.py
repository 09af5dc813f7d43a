"""When a replacement expression needs parentheses where it lands.

The fixer builds new expressions from templates and puts them where the old
ones were (and puts the user's sub-expressions into template holes).  Python
reads `a * x + y` differently from `a * (x + y)`, so each placed expression
is compared with what its position in the parent accepts, and parenthesized
when it binds too loosely.  The levels follow the grammar in the Python
reference ("Operator precedence"), lowest first.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

import libcst as cst

YIELD = -2  # also `:=` and a bare generator expression: parenthesized nearly everywhere
TUPLE = -1  # an unparenthesized tuple: only at statement level
LAMBDA = 0
TERNARY = 1
OR = 2
AND = 3
NOT = 4
COMPARE = 5
BIT_OR = 6
BIT_XOR = 7
BIT_AND = 8
SHIFT = 9
ARITH = 10
TERM = 11
UNARY = 12
POWER = 13
AWAIT = 14
ATOM = 15

_BINARY: Dict[Type[cst.CSTNode], int] = {
    cst.BitOr: BIT_OR,
    cst.BitXor: BIT_XOR,
    cst.BitAnd: BIT_AND,
    cst.LeftShift: SHIFT,
    cst.RightShift: SHIFT,
    cst.Add: ARITH,
    cst.Subtract: ARITH,
    cst.Multiply: TERM,
    cst.MatrixMultiply: TERM,
    cst.Divide: TERM,
    cst.FloorDivide: TERM,
    cst.Modulo: TERM,
    cst.Power: POWER,
}

#: Parents whose every expression child may be anything an assignment's
#: right-hand side may be (bare tuples included).
_STATEMENT_LEVEL = (cst.Expr, cst.Assign, cst.AugAssign, cst.AnnAssign, cst.Return, cst.For)


def precedence(node: cst.BaseExpression) -> int:
    """How tightly `node` binds, as it would be printed."""
    if getattr(node, "lpar", ()):
        return ATOM
    if isinstance(node, cst.Lambda):
        return LAMBDA
    if isinstance(node, cst.IfExp):
        return TERNARY
    if isinstance(node, cst.BooleanOperation):
        return OR if isinstance(node.operator, cst.Or) else AND
    if isinstance(node, cst.UnaryOperation):
        return NOT if isinstance(node.operator, cst.Not) else UNARY
    if isinstance(node, cst.Comparison):
        return COMPARE
    if isinstance(node, cst.BinaryOperation):
        return _BINARY[type(node.operator)]
    if isinstance(node, cst.Await):
        return AWAIT
    if isinstance(node, cst.Tuple):
        return TUPLE
    if isinstance(node, (cst.NamedExpr, cst.Yield, cst.GeneratorExp)):
        return YIELD
    return ATOM


def required(parent: cst.CSTNode, child: cst.CSTNode) -> int:
    """The lowest precedence `child` may have, unparenthesized, in `parent`."""
    if isinstance(parent, cst.BinaryOperation):
        level = _BINARY[type(parent.operator)]
        if level == POWER:
            return AWAIT if parent.left is child else UNARY
        return level if parent.left is child else level + 1
    if isinstance(parent, cst.BooleanOperation):
        level = OR if isinstance(parent.operator, cst.Or) else AND
        return level if parent.left is child else level + 1
    if isinstance(parent, cst.UnaryOperation):
        return NOT if isinstance(parent.operator, cst.Not) else UNARY
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        return BIT_OR
    if isinstance(parent, cst.Attribute):
        return ATOM
    if isinstance(parent, cst.Call):
        return ATOM if parent.func is child else TERNARY
    if isinstance(parent, cst.Subscript):
        return ATOM if parent.value is child else TERNARY
    if isinstance(parent, cst.Await):
        return ATOM
    if isinstance(parent, cst.IfExp):
        return LAMBDA if parent.orelse is child else OR
    if isinstance(parent, (cst.CompFor, cst.CompIf)):
        return OR
    if isinstance(parent, (cst.StarredElement, cst.StarredDictElement)):
        return BIT_OR
    if isinstance(parent, cst.DictElement):
        return TERNARY if parent.key is child else LAMBDA
    if isinstance(parent, (cst.Arg, cst.Element, cst.Index, cst.Lambda, cst.NamedExpr)):
        return LAMBDA
    if isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return LAMBDA
    if isinstance(parent, _STATEMENT_LEVEL):
        return TUPLE
    if isinstance(parent, (cst.If, cst.While, cst.Assert, cst.Raise, cst.WithItem, cst.Decorator, cst.Param)):
        return LAMBDA
    # Slices, f-string fields, dict comprehensions, annotations and anything
    # not listed: no lambdas, tuples, walruses or yields without parentheses.
    return TERNARY


def needs_parentheses(
    node: cst.BaseExpression, parent: cst.CSTNode, replaced: cst.CSTNode, grandparent: Optional[cst.CSTNode] = None
) -> bool:
    """Whether `node`, put where `replaced` is in `parent`, must be parenthesized."""
    if node.lpar:
        return False
    if isinstance(parent, cst.Attribute) and isinstance(node, cst.Integer):
        return True  # `1 .real`: the dot would be read as a decimal point
    if isinstance(node, cst.GeneratorExp) and _sole_argument(parent, grandparent):
        return False  # `f(x for x in y)`
    return precedence(node) < required(parent, replaced)


def _sole_argument(parent: cst.CSTNode, grandparent: Optional[cst.CSTNode]) -> bool:
    return (
        isinstance(parent, cst.Arg)
        and parent.keyword is None
        and not parent.star
        and isinstance(grandparent, cst.Call)
        and len(grandparent.args) == 1
    )


def parenthesize(node: cst.BaseExpression) -> cst.BaseExpression:
    """`node` wrapped in one pair of parentheses."""
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
