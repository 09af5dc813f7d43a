"""Which import a replaced callee came from, so a fix can drop it when unused."""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.context import Context
from cryptolint.diagnostic import Import


def import_of(ctx: Context, func: ast.AST, module: str) -> Optional[Import]:
    """The import behind `func`: `import <module>` for `module.attr`, or the
    `from x import y` that bound a bare name."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return Import(module)
    if isinstance(func, ast.Name):
        _, bindings = ctx.module.lookup(func.id, ctx.module.scope_of(func))
        for binding in bindings:
            if binding.kind == "import" and binding.qualname:
                source, _, attr = binding.qualname.rpartition(".")
                return Import(source, attr)
    return None
