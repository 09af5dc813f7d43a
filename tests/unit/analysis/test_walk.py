"""The analysis walk's tables stay in step with the code that reads them."""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap

from cryptolint.analysis import _walk
from cryptolint.analysis.scopes import Module


def test_binding_nodes_are_the_types_bind_reads():
    source = textwrap.dedent(inspect.getsource(Module._bind))
    read = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance":
            if len(node.args) == 2 and node.args[0].id == "node":  # type: ignore[attr-defined]
                types = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
                read.update(getattr(ast, t.attr) for t in types)  # type: ignore[attr-defined]
    assert read == set(_walk.BINDING_NODES)


def test_the_walk_skips_only_fields_that_hold_no_nodes():
    """Every node `ast.walk` finds (but the shared leaves) is in `nodes_by_type`, once."""
    source = textwrap.dedent('''
        import a.b as c, d
        from e import (f as g)
        @deco(x)
        async def h(i: int, /, j=1, *k, l: "m" = 2, **n) -> o:
            global p
            async with q as (r, s): pass
            async for t in u: yield
            try: v = [w async for w in x if w]
            except E as err: raise
        class K(Base, metaclass=M):
            a: int = (b := 3)
            c += f"{d!r:>{e}}" if not f else -g @ h
            lambda *, x=1: x
        ''')
    if sys.version_info >= (3, 10):  # match statements, with their own node types
        source += textwrap.dedent('''
            match y:
                case {"k": [1, *rest]} | Point(x=0) as z: pass
                case _: del y.attr, y[0]
            ''')
    tree = ast.parse(source)
    expected = [n for n in ast.walk(tree) if not isinstance(n, _walk.LEAVES)]
    module = Module(tree)
    walked = [n for nodes in module.nodes_by_type.values() for n in nodes]
    assert sorted(map(id, walked)) == sorted(map(id, expected))
