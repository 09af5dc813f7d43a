"""Which names a module binds and uses, read from its `ast`.

Two questions the fixer asks on every pass are answered here rather than
with LibCST's scope analysis, which costs seconds on a large module (measured
on ansible's vault module, 1,500 lines: `ScopeProvider` 4 s and
`GatherUnusedImportsVisitor` 18 s, against milliseconds for `ast.parse`).
Both answers lean to the safe side:

* a fix that imports `secrets` is refused if anything anywhere in the module
  binds `secrets` to something else (even in an unrelated function);
* an import is kept if its name occurs anywhere (in any scope, in any string,
  as in `__all__`, a string annotation or `globals()["name"]`).
"""

from __future__ import annotations

import ast
from typing import Iterable, Iterator, Set, Union

from cryptolint.diagnostic import Import


def bound_name(imp: Import) -> str:
    """The name an import binds in the importing module."""
    return imp.name if imp.name is not None else imp.module.split(".")[0]


def imports_as(node: Union[ast.Import, ast.ImportFrom], alias: ast.alias, imp: Import) -> bool:
    """Whether `alias` (of `node`) binds `imp`'s name to what `imp` means."""
    name = bound_name(imp)
    if isinstance(node, ast.Import):
        return imp.name is None and alias.asname in (None, name) and (
            alias.name == imp.module or (alias.asname is None and alias.name.startswith(imp.module + "."))
        )
    return (
        imp.name is not None
        and node.level == 0
        and node.module == imp.module
        and alias.name == imp.name
        and alias.asname in (None, name)
    )


def rebinds(tree: ast.AST, imp: Import) -> bool:
    """Whether anything in `tree` binds `imp`'s name other than an import of `imp`."""
    name = bound_name(imp)
    return any(binding == name for binding in _bindings(tree, imp))


def _bindings(tree: ast.AST, imp: Import) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            yield from node.names
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*" and not imports_as(node, alias, imp):
                    yield alias.asname or alias.name.split(".")[0]
        else:
            for field in ("name", "rest"):  # match patterns: MatchAs, MatchStar, MatchMapping
                value = getattr(node, field, None) if type(node).__name__.startswith("Match") else None
                if isinstance(value, str):
                    yield value


def names_in_use(tree: ast.AST, names: Iterable[str]) -> Set[str]:
    """Those of `names` that occur in `tree` other than as what an import binds."""
    wanted = set(names)
    found: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in wanted:
            found.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(wanted.intersection(node.names))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 300:
            # `__all__` entries, string annotations, `eval("name.attr")`: a
            # string that reads as an expression counts with its names.
            if any(name in node.value for name in wanted):
                found.update(wanted.intersection(_names_in_text(node.value)))
        if found == wanted:
            break
    return found


def _names_in_text(text: str) -> Set[str]:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
