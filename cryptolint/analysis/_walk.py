"""What `scopes.Module`'s one walk over a tree visits, as tables.

The walk is the engine's hot loop (it runs on every file the pre-filter
lets through), so it does not call `ast.iter_child_nodes`: it reads, per
node type, only the fields that can hold a node (last field first, since
it pushes children on a stack), which also skips the shared singleton
leaves (`Load`, `Add`, `Eq`...) that no check visits.
"""

from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Tuple

#: Nodes that open a scope.
SCOPE_NODES: FrozenSet[type] = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})
#: The node types `Module._bind` reads (a test keeps this in step with it).
BINDING_NODES: FrozenSet[type] = frozenset({
    ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor, ast.comprehension,
    ast.With, ast.AsyncWith, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.ExceptHandler,
})
#: Shared singletons that no check visits: never walked (they live only in
#: the `ctx`, `op` and `ops` fields), so not in `nodes_by_type`.
LEAVES = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
#: Fields that never hold a node to walk: identifiers, numbers, flags, leaves.
NOT_CHILDREN: FrozenSet[str] = frozenset(
    "ctx op ops id attr arg name asname module level kind type_comment is_async conversion simple tag".split()
)
#: node type -> the fields to walk, last first; filled on first sight of a type.
CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {ast.Constant: ()}


def child_fields(kind: type) -> Tuple[str, ...]:
    """The fields of `kind` that may hold child nodes, in reverse order."""
    if kind.__name__ == "TypeAlias":  # Python 3.12+: its `name` is a Name node
        return tuple(reversed(kind._fields))  # type: ignore[attr-defined]
    return tuple(reversed([field for field in kind._fields if field not in NOT_CHILDREN]))  # type: ignore[attr-defined]
