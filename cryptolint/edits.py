"""Generic edits a fix is made of, from the nodes of the checked tree.

- `replace_value(ctx, expr, text)`: `expr` (an argument's value) becomes `text`;
- `rebuild_call(ctx, call, ...)`: `call` rewritten with arguments replaced,
  dropped or added, every other argument kept as written (a hole).
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Sequence

from cryptolint.context import Context
from cryptolint.diagnostic import Edit, Span


def replace_value(ctx: Context, expr: ast.AST, text: str) -> Edit:
    """Replace the argument expression `expr` (just the value) with `text`."""
    return Edit(ctx.span(expr), _escape(text))


def rebuild_call(
    ctx: Context,
    call: ast.Call,
    replacements: Optional[Dict[int, str]] = None,
    extra: Sequence[str] = (),
    drop: Sequence[ast.expr] = (),
) -> Optional[Edit]:
    """Rewrite `call` keeping every argument as a hole, except those whose
    `id(expr)` is in `replacements` (written as the given text) and those in
    `drop` (left out), and append the `extra` keyword arguments
    (`"rounds=12"`).  None if the call unpacks `**kwargs`, which could
    already hold an added keyword."""
    if any(k.arg is None for k in call.keywords) and extra:
        return None
    replacements = replacements or {}
    dropped = {id(expr) for expr in drop}
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
        elif id(arg) not in dropped:
            parts.append(hole(arg))
    for kw in call.keywords:
        if id(kw.value) not in dropped:
            parts.append(("**" if kw.arg is None else f"{kw.arg}=") + hole(kw.value))
    parts.extend(_escape(e) for e in extra)
    return Edit(ctx.span(call), "{0}(" + ", ".join(parts) + ")", tuple(holes))


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
