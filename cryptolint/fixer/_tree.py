"""A LibCST module with node positions, walked only where the edits are.

A LibCST traversal costs tens of microseconds per node, so a pass that
visited the whole module three times (parents, replacement, imports) took
seconds on a large file.  Positions come from one code generation
(`PositionProvider`); after that, the walks that find a target's ancestors
and swap targets for replacements enter only the nodes whose range contains
a target.
"""

from __future__ import annotations

from typing import Collection, Dict, List, Mapping, Optional, Tuple

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

Key = Tuple[int, int, int, int]


class Located:
    """A module and the syntactic position of each of its nodes."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.positions: Mapping[cst.CSTNode, CodeRange] = _positions(module)
        self.by_span: Dict[Key, cst.BaseExpression] = {}
        for node, where in self.positions.items():
            if isinstance(node, cst.BaseExpression):
                self.by_span.setdefault(_key(where), node)

    def ancestors(self, targets: Collection[cst.CSTNode]) -> Dict[cst.CSTNode, List[cst.CSTNode]]:
        """For each target, its ancestors from the module down to its parent."""
        visitor = _Ancestors(self, targets)
        self.module.visit(visitor)
        return visitor.found

    def replace(self, plan: Mapping[cst.CSTNode, cst.CSTNode]) -> cst.Module:
        """The module with each key of `plan` (by identity) swapped for its value."""
        result = self.module.visit(_Replacer(self, plan))
        assert isinstance(result, cst.Module)
        return result

    def holds_any(self, node: cst.CSTNode, ranges: Collection[CodeRange]) -> bool:
        """Whether `node` may contain one of `ranges` (unknown positions: yes)."""
        where = self.positions.get(node)
        if where is None or getattr(node, "decorators", None):
            return True  # a decorated definition's position starts after its decorators
        start, end = (where.start.line, where.start.column), (where.end.line, where.end.column)
        return any(
            start <= (r.start.line, r.start.column) and (r.end.line, r.end.column) <= end for r in ranges
        )


def _positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """`PositionProvider`'s answer for `module`.

    `MetadataWrapper.resolve` also runs an (empty) batch of visitors over the
    whole tree, which doubles the cost; asking the provider directly does
    not.  The module is freshly parsed, so every node is unique and the
    wrapper's defensive copy is not needed either.
    """
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    try:
        return PositionProvider()._gen(wrapper)  # type: ignore[return-value]  # noqa: SLF001 - see the docstring
    except (AttributeError, TypeError):  # pragma: no cover - a LibCST that changed its internals
        return wrapper.resolve(PositionProvider)


def _key(where: CodeRange) -> Key:
    return (where.start.line, where.start.column, where.end.line, where.end.column)


class _Ancestors(cst.CSTVisitor):
    def __init__(self, located: Located, targets: Collection[cst.CSTNode]) -> None:
        super().__init__()
        self.located = located
        self.targets = set(targets)
        self.ranges = [located.positions[t] for t in targets]
        self.stack: List[cst.CSTNode] = []
        self.found: Dict[cst.CSTNode, List[cst.CSTNode]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node in self.targets:
            self.found[node] = list(self.stack)
            return False
        if len(self.found) == len(self.targets) or not self.located.holds_any(node, self.ranges):
            return False
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()


class _Replacer(cst.CSTTransformer):
    def __init__(self, located: Located, plan: Mapping[cst.CSTNode, cst.CSTNode]) -> None:
        super().__init__()
        self.located = located
        self.plan = plan
        self.ranges = [located.positions[t] for t in plan]

    def on_visit(self, node: cst.CSTNode) -> bool:
        return node not in self.plan and self.located.holds_any(node, self.ranges)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        return self.plan.get(original_node, updated_node)


def parent_of(chain: Optional[List[cst.CSTNode]]) -> Optional[cst.CSTNode]:
    return chain[-1] if chain else None
