"""The package's modules, its import graph and its layers, read from the code:
what the layer, import-cycle and architecture-notes tests share.

Modules are named by their path below the package folder (`engine.py`,
`fixer/_apply.py`, `analysis/` for a package's `__init__.py` is
`analysis/__init__.py`), the way ARCHITECTURE.md names them.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

from tests.helpers import ROOT

PACKAGE = ROOT / "cryptolint"


@dataclass(frozen=True)
class Layer:
    """A layer of the package: the modules it holds (path patterns below the
    package folder; `x/` is a whole sub-package) and the layers it may import
    besides its own."""

    name: str
    holds: Tuple[str, ...]
    may_import: Tuple[str, ...]


#: The package's layers, bottom up.  ARCHITECTURE.md states the same table
#: (tests/unit/test_architecture.py compares them); tests/unit/test_layers.py
#: holds the code to it.  In `rules`, a module may import only modules of
#: its own rule (a rule package's private modules), never another rule.
LAYERS: Tuple[Layer, ...] = (
    Layer("analysis", ("analysis/",), ()),
    Layer("safe", ("safe.py",), ()),
    Layer(
        "core",
        ("__init__.py", "diagnostic.py", "rule.py", "policy.py", "settings.py", "protocols.py", "plan.py",
         "source.py", "syntax_hints.py", "globs.py", "interrupt.py"),
        (),
    ),
    Layer("context", ("context.py", "edits.py"), ("analysis", "core")),
    Layer("families", ("checks/__init__.py", "checks/_*.py"), ("analysis", "core", "context")),
    Layer("rules", ("checks/[!_]*",), ("analysis", "core", "context", "families")),
    Layer("engine", ("registry.py", "engine.py"), ("analysis", "core", "context", "families", "rules")),
    Layer(
        "pipeline",
        ("results.py", "suppression.py", "project.py", "cache.py", "config.py", "discovery.py", "runner.py",
         "baseline.py", "gitdiff.py", "fixer/"),
        ("analysis", "core", "engine"),
    ),
    Layer("reporting", ("reporters/", "catalog.py"), ("core", "engine", "pipeline")),
    Layer(
        "front ends",
        ("cli.py", "__main__.py", "flake8_plugin.py", "server/", "codemod.py", "adoption.py"),
        ("core", "engine", "pipeline", "reporting"),
    ),
)


def modules(root: Path = PACKAGE) -> Dict[str, Path]:
    """Dotted module name -> file, for every module of the package at `root`."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def relative(root: Path, path: Path) -> str:
    """A module's path below the package folder, with `/`."""
    return path.relative_to(root).as_posix()


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_on_import(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """The import statements that run when the module is imported: at module
    level, in `if`/`try`/`with` blocks there, not under `if TYPE_CHECKING:`."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt
        elif isinstance(stmt, ast.If):
            if not _type_checking(stmt):
                yield from _run_on_import(stmt.body)
                yield from _run_on_import(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody, *(h.body for h in stmt.handlers)):
                yield from _run_on_import(block)
        elif isinstance(stmt, ast.With):
            yield from _run_on_import(stmt.body)


def _type_only(tree: ast.Module) -> Set[int]:
    """ids of the import statements under `if TYPE_CHECKING:`."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            found.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return found


@dataclass(frozen=True)
class ImportEdge:
    importer: str
    #: The package module imported, or for a module outside the package its top-level name.
    imported: str
    line: int
    #: "module" (run on import), "function" (run later) or "typing" (under TYPE_CHECKING).
    when: str


def from_target(stmt: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The dotted name a `from ... import` of module `importer` reads from,
    relative imports resolved (`is_package`: `importer` is an `__init__.py`)."""
    if not stmt.level:
        return stmt.module or ""
    base = importer.split(".")
    prefix = ".".join(base[: len(base) - stmt.level + (1 if is_package else 0)])
    return f"{prefix}.{stmt.module}" if stmt.module else prefix


def _targets(stmt: ast.stmt, importer: str, is_package: bool, known: Dict[str, Path]) -> List[str]:
    """The modules `stmt` imports: a package module by its longest known
    name (`from pkg import sub` is `pkg.sub` when `sub` is a module, `pkg`
    otherwise), anything else by its top-level name."""
    if isinstance(stmt, ast.Import):
        names = [alias.name for alias in stmt.names]
    else:
        assert isinstance(stmt, ast.ImportFrom)
        target = from_target(stmt, importer, is_package)
        names = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target for alias in stmt.names]
    found = []
    for name in names:
        module: Optional[str] = name
        while module and module not in known:
            module = module.rpartition(".")[0]
        found.append(module or name.split(".")[0])
    return sorted(set(found))


def import_edges(root: Path = PACKAGE) -> List[ImportEdge]:
    """Every import of every module of the package at `root`."""
    known = modules(root)
    edges = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        on_import = {id(stmt) for stmt in _run_on_import(tree.body)}
        typing_only = _type_only(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            when = "module" if id(node) in on_import else "typing" if id(node) in typing_only else "function"
            for target in _targets(node, name, path.name == "__init__.py", known):
                if target != name:
                    edges.append(ImportEdge(name, target, node.lineno, when))
    return edges


def import_cycles(root: Path = PACKAGE) -> List[List[str]]:
    """The cycles of the graph of imports that run when a module is imported
    (each as its modules, sorted; Tarjan's strongly connected components)."""
    known = modules(root)
    graph: Dict[str, List[str]] = {name: [] for name in known}
    for edge in import_edges(root):
        if edge.when == "module" and edge.imported in known:
            graph[edge.importer].append(edge.imported)
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    cycles: List[List[str]] = []

    def visit(node: str) -> None:  # recursion depth: the package's longest import chain
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph[node]:
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return sorted(cycles)


def layer_of(path: str, layers: Sequence[Layer] = LAYERS) -> List[str]:
    """The layers whose patterns hold the module at `path` (below the package folder)."""
    found = []
    for layer in layers:
        for pattern in layer.holds:
            if (path.startswith(pattern) if pattern.endswith("/") else fnmatch.fnmatchcase(path, pattern)):
                found.append(layer.name)
                break
    return found


def layer_violations(root: Path = PACKAGE, layers: Sequence[Layer] = LAYERS) -> List[str]:
    """Modules in no layer or in two, and imports (at any depth, type-only
    ones too) from a layer into one it may not import."""
    known = modules(root)
    where = {name: layer_of(relative(root, path), layers) for name, path in known.items()}
    found = [f"{relative(root, known[n])}: in {len(w) or 'no'} layers {w}" for n, w in where.items() if len(w) != 1]
    allowed = {layer.name: set(layer.may_import) | {layer.name} for layer in layers}
    for edge in import_edges(root):
        if edge.imported not in known or len(where[edge.importer]) != 1 or len(where[edge.imported]) != 1:
            continue
        source, target = where[edge.importer][0], where[edge.imported][0]
        if source == target == "rules":
            if edge.importer.split(".")[:3] != edge.imported.split(".")[:3]:
                found.append(f"{edge.importer}:{edge.line} imports {edge.imported}: a rule imports another rule")
        elif target not in allowed[source]:
            found.append(f"{edge.importer}:{edge.line} imports {edge.imported}: {source} may not import {target}")
    return sorted(set(found))
