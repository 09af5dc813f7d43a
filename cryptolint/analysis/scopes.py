"""Scopes, bindings and qualified names for one module's `ast` tree.

One walk over the tree records each node's parent, which scope it belongs to,
and every binding of every name (assignments, parameters, imports, loops...).
From that, `Module.resolve` turns an expression such as `h.sha256` (after
`import hashlib as h`) into the qualified name `hashlib.sha256`, and follows
instances: `rng.choice` after `rng = random.Random()` resolves to
`random.Random().choice`.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Set, Tuple, Type, TypeVar, Union

from cryptolint.analysis._walk import BINDING_NODES, CHILD_FIELDS, SCOPE_NODES, child_fields

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]
ScopeNode = Union[ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda]

_BUILTINS = frozenset(dir(builtins))
_MAX_DEPTH = 12


#: Roles of a node type in `Module._build`.
_PLAIN, _BINDING, _SCOPE = 0, 1, 2
#: node type -> (the fields to walk, last first; its role), filled on first sight.
_KIND_INFO: Dict[type, Tuple[Tuple[str, ...], int]] = {}
#: Fields of scope nodes that are evaluated in the enclosing scope.
_OUTSIDE_FIELDS = {
    ast.ClassDef: frozenset({"bases", "keywords", "decorator_list"}),
    ast.FunctionDef: frozenset({"decorator_list", "returns", "args"}),
    ast.AsyncFunctionDef: frozenset({"decorator_list", "returns", "args"}),
    ast.Lambda: frozenset({"args"}),
}


def _kind_info(kind: type) -> Tuple[Tuple[str, ...], int]:
    role = _SCOPE if kind in SCOPE_NODES else _BINDING if kind in BINDING_NODES else _PLAIN
    fields = CHILD_FIELDS.get(kind)
    if fields is None:
        fields = CHILD_FIELDS[kind] = child_fields(kind)
    return fields, role


def _evaluated_outside_field(kind: type, name: str) -> bool:
    return name in _OUTSIDE_FIELDS.get(kind, ())


def _position(binding: "Binding") -> Tuple[int, int]:
    return getattr(binding.node, "lineno", 0), getattr(binding.node, "col_offset", 0)


_Node = TypeVar("_Node", bound=ast.AST)

class Binding(NamedTuple):
    """One place that gives `name` a value in a scope.

    `kind` is one of: assign (value is the right-hand side), augassign, param,
    import (qualname is the imported name), loop, with, def, class, global,
    unpack (part of a tuple target: value unknown), other.
    """

    name: str
    kind: str
    node: ast.AST
    value: Optional[ast.expr] = None
    qualname: Optional[str] = None


@dataclass
class Scope:
    node: ScopeNode
    parent: Optional["Scope"]
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    globals: Set[str] = field(default_factory=set)
    #: For classes: `self.<attr>` bindings made in the class's methods.
    attributes: Dict[str, List[Tuple[str, Binding]]] = field(default_factory=dict)

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, ast.ClassDef)

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


class Module:
    """The shared structural analysis of one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parents: Dict[ast.AST, ast.AST] = {}
        self.scopes: Dict[ast.AST, Scope] = {}
        self.nodes_by_type: Dict[type, List[ast.AST]] = {}
        self._resolve_cache: Dict[ast.AST, Optional[str]] = {}
        self._call_sites: Optional[Dict[ast.AST, List[Tuple[ast.Call, int]]]] = None
        self.module_scope = Scope(tree, None)
        self.scopes[tree] = self.module_scope
        self._build()

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        # The engine's hot loop: it runs once per node of every file the
        # pre-filter lets through.  The stack holds nodes, and `Scope` objects
        # as markers that switch the current scope when popped, so that a
        # function's body is walked in its own scope while its decorators,
        # defaults and annotations are walked in the enclosing one, in the
        # same order as `ast.iter_child_nodes` (no tuple per node).
        parents = self.parents
        by_type = self.nodes_by_type
        scopes = self.scopes
        scope_of_node: Dict[ast.AST, Scope] = {}
        self._scope_of_node = scope_of_node
        kind_info = _KIND_INFO
        current = self.module_scope
        stack: List[Union[ast.AST, Scope]] = [self.tree]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            kind = node.__class__
            if kind is Scope:
                current = node  # type: ignore[assignment]
                continue
            scope_of_node[node] = current  # type: ignore[index]
            same_kind = by_type.get(kind)
            if same_kind is None:
                same_kind = by_type[kind] = []
            same_kind.append(node)  # type: ignore[arg-type]
            info = kind_info.get(kind)
            if info is None:
                info = kind_info[kind] = _kind_info(kind)
            fields, role = info
            if role != _SCOPE:
                if role == _BINDING:
                    self._bind(node, current)  # type: ignore[arg-type]
                # Inlined `ast.iter_child_nodes`, last child first.
                for name in fields:
                    value: Any = getattr(node, name, None)
                    if value.__class__ is list:
                        for child in reversed(value):
                            if isinstance(child, ast.AST):
                                parents[child] = node  # type: ignore[index,assignment]
                                push(child)
                    elif isinstance(value, ast.AST):
                        parents[value] = node  # type: ignore[index,assignment]
                        push(value)
                continue
            # A scope: its own binding in the enclosing scope, then its children.
            if kind is not ast.Lambda:
                current.add(Binding(node.name, "class" if kind is ast.ClassDef else "def", node))  # type: ignore[union-attr,arg-type]
            inner = Scope(node, current)  # type: ignore[arg-type]
            scopes[node] = inner  # type: ignore[index]
            if kind is not ast.ClassDef:
                self._bind_params(node, inner)  # type: ignore[arg-type]
            below = current  # the scope the item under these children expects
            for name in fields:
                value = getattr(node, name, None)
                wanted = current if _evaluated_outside_field(kind, name) else inner
                children = reversed(value) if value.__class__ is list else (value,)
                for child in children:
                    if isinstance(child, ast.AST):
                        if wanted is not below:
                            push(below)
                            below = wanted
                        parents[child] = node  # type: ignore[index,assignment]
                        push(child)
            if below is not current:
                push(below)
        for s in list(scopes.values()):
            for nodes_list in s.bindings.values():
                if len(nodes_list) > 1:
                    nodes_list.sort(key=_position)

    def _bind_params(self, node: FunctionNode, scope: Scope) -> None:
        args = node.args
        positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            scope.add(Binding(arg.arg, "param", arg, default))
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            scope.add(Binding(arg.arg, "param", arg, default))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                scope.add(Binding(arg.arg, "param", arg))

    def _bind(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(target, node, node.value, scope)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._bind_target(node.target, node, node.value, scope)
        elif isinstance(node, ast.AugAssign):
            self._bind_target(node.target, node, None, scope, kind="augassign")
        elif isinstance(node, ast.NamedExpr):
            target_scope = scope
            self._bind_target(node.target, node, node.value, target_scope)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._bind_target(node.target, node, None, scope, kind="loop")
        elif isinstance(node, ast.comprehension):
            self._bind_target(node.target, node, None, scope, kind="loop")
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, node, None, scope, kind="with")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.add(Binding(alias.asname, "import", node, qualname=alias.name))
                else:
                    top = alias.name.split(".")[0]
                    scope.add(Binding(top, "import", node, qualname=top))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # `from . import settings` -> `.settings`; `from ..a import b` -> `..a.b`:
                # no library API starts with a dot, and the project pass resolves these.
                base = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    sep = "." if node.module else ""
                    scope.add(Binding(alias.asname or alias.name, "import", node, qualname=f"{base}{sep}{alias.name}"))
                return
            if not node.module:
                for alias in node.names:
                    scope.add(Binding(alias.asname or alias.name, "other", node))
                return
            for alias in node.names:
                if alias.name == "*":
                    continue
                scope.add(
                    Binding(alias.asname or alias.name, "import", node, qualname=f"{node.module}.{alias.name}")
                )
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            scope.globals.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.add(Binding(node.name, "other", node))

    def _bind_target(
        self,
        target: ast.AST,
        stmt: ast.AST,
        value: Optional[ast.expr],
        scope: Scope,
        kind: str = "assign",
    ) -> None:
        if isinstance(target, ast.Name):
            scope.add(Binding(target.id, kind if value is not None or kind != "assign" else "unpack", stmt, value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            values: List[Optional[ast.expr]] = [None] * len(target.elts)
            if kind == "assign" and isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                values = list(value.elts)
            for elt, val in zip(target.elts, values):
                if isinstance(elt, ast.Starred):
                    elt, val = elt.value, None
                self._bind_target(elt, stmt, val, scope, kind if val is not None else ("unpack" if kind == "assign" else kind))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            # `self.x = ...` inside a method: record on the enclosing class.
            func = scope
            if func.is_function and func.parent is not None and func.parent.is_class:
                func_node = func.node
                params = getattr(getattr(func_node, "args", None), "args", [])
                if params and params[0].arg == target.value.id:
                    method = getattr(func_node, "name", "<lambda>")
                    func.parent.attributes.setdefault(target.attr, []).append(
                        (method, Binding(target.attr, kind if value is not None else "unpack", stmt, value))
                    )

    # ------------------------------------------------------------- queries
    def scope_of(self, node: ast.AST) -> Scope:
        """The scope whose code contains `node`."""
        return self._scope_of_node.get(node, self.module_scope)

    def nodes_of(self, node_type: Type[_Node]) -> List[_Node]:
        """Every node of exactly `node_type` in the module, in source order."""
        return self.nodes_by_type.get(node_type, [])  # type: ignore[return-value]

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def enclosing_function(self, node: ast.AST) -> Optional[FunctionNode]:
        for anc in self.ancestors(node):
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return anc
        return None

    def lookup(self, name: str, scope: Scope) -> Tuple[Optional[Scope], List[Binding]]:
        """The bindings of `name` visible from `scope` (class bodies are skipped
        from inside methods, as Python does)."""
        current: Optional[Scope] = scope
        first = True
        while current is not None:
            if name in current.globals:
                current = self.module_scope
                return current, current.bindings.get(name, [])
            if (first or not current.is_class) and name in current.bindings:
                return current, current.bindings[name]
            first = False
            current = current.parent
        return None, []

    def single_value(self, name: str, scope: Scope) -> Optional[ast.expr]:
        """The one expression `name` is bound to, if it is assigned exactly once
        (and is not a parameter or rebound anywhere in its scope)."""
        _, bindings = self.lookup(name, scope)
        if len(bindings) == 1 and bindings[0].kind == "assign":
            return bindings[0].value
        return None

    def attribute_value(self, node: ast.Attribute) -> Optional[ast.expr]:
        """The one value of `self.attr` (set once in the class) or `Cls.attr`."""
        if not isinstance(node.value, ast.Name):
            return None
        scope = self.scope_of(node)
        cls_scope = self.class_of_method(scope, node.value.id)
        if cls_scope is not None:
            sets = cls_scope.attributes.get(node.attr, [])
            class_level = [b for b in cls_scope.bindings.get(node.attr, []) if b.kind == "assign"]
            if len(sets) == 1 and sets[0][1].kind == "assign" and not class_level:
                return sets[0][1].value
            if not sets and len(class_level) == 1 and len(cls_scope.bindings.get(node.attr, [])) == 1:
                return class_level[0].value
            return None
        # `Cls.ATTR` for a class defined in this module.
        _, bindings = self.lookup(node.value.id, scope)
        if len(bindings) == 1 and bindings[0].kind == "class":
            cls_scope = self.scopes.get(bindings[0].node)
            if cls_scope is not None:
                attr_bindings = cls_scope.bindings.get(node.attr, [])
                if len(attr_bindings) == 1 and attr_bindings[0].kind == "assign" and not cls_scope.attributes.get(node.attr):
                    return attr_bindings[0].value
        return None

    def class_of_method(self, scope: Scope, self_name: str) -> Optional[Scope]:
        """The class scope when `self_name` is the first parameter of the
        method whose scope is `scope` (or encloses it)."""
        current: Optional[Scope] = scope
        while current is not None and current.is_function:
            if current.parent is not None and current.parent.is_class:
                params = getattr(getattr(current.node, "args", None), "args", [])
                decorators = getattr(current.node, "decorator_list", [])
                is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in decorators)
                if params and params[0].arg == self_name and not is_static:
                    return current.parent
                return None
            current = current.parent
        return None

    def resolve(self, expr: ast.AST, _depth: int = 0) -> Optional[str]:
        """The qualified name `expr` stands for, or None.

        Instances are written with `()`: `AESGCM(key).encrypt` resolves to
        `cryptography.hazmat.primitives.ciphers.aead.AESGCM().encrypt`.
        Unbound builtins resolve to `builtins.<name>`.
        """
        if _depth > _MAX_DEPTH:
            return None
        if _depth == 0:
            cached = self._resolve_cache.get(expr, ...)
            if cached is not ...:
                return cached  # type: ignore[return-value]
        result = self._resolve(expr, _depth)
        if _depth == 0:
            self._resolve_cache[expr] = result
        return result

    def _resolve(self, expr: ast.AST, depth: int) -> Optional[str]:
        if isinstance(expr, ast.Name):
            scope = self.scope_of(expr)
            owner, bindings = self.lookup(expr.id, scope)
            if not bindings:
                return f"builtins.{expr.id}" if expr.id in _BUILTINS else None
            imports = [b for b in bindings if b.kind == "import"]
            if imports and len({b.qualname for b in imports}) == 1 and len(imports) == len(bindings):
                return imports[0].qualname
            if len(bindings) == 1 and bindings[0].kind == "assign" and bindings[0].value is not None:
                value = bindings[0].value
                if isinstance(value, (ast.Name, ast.Attribute, ast.Call)):
                    return self.resolve(value, depth + 1)
            return None
        if isinstance(expr, ast.Attribute):
            held: Optional[ast.expr] = self.attribute_value(expr)
            if isinstance(held, ast.BoolOp) and isinstance(held.op, ast.Or):
                # `self.rng = rng or random.Random()`: the one default that is known
                calls = [v for v in held.values if isinstance(v, ast.Call) and self.resolve(v, depth + 1)]
                held = calls[0] if len(calls) == 1 else None
            if held is not None and isinstance(held, (ast.Name, ast.Attribute, ast.Call)):
                return self.resolve(held, depth + 1)
            base = self.resolve(expr.value, depth + 1)
            if base is None:
                return None
            return f"{base}.{expr.attr}"
        if isinstance(expr, ast.Call):
            func = self.resolve(expr.func, depth + 1)
            return f"{func}()" if func else None
        return None

    def call_name(self, call: ast.Call) -> Optional[str]:
        """The qualified name of the function `call` calls."""
        return self.resolve(call.func)

    def call_name_through_with(self, call: ast.Call) -> Optional[str]:
        """`call_name`, also for a method of an object bound by `with`:
        `with smtplib.SMTP_SSL(host) as server: server.login(...)` calls
        `smtplib.SMTP_SSL().login` (these context managers return themselves)."""
        name = self.call_name(call)
        func = call.func
        if name is not None or not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return name
        owner = func.value.id
        _, bindings = self.lookup(owner, self.scope_of(func.value))
        if len(bindings) != 1 or bindings[0].kind != "with":
            return None
        for item in getattr(bindings[0].node, "items", []):
            target = item.optional_vars
            if isinstance(target, ast.Name) and target.id == owner and isinstance(item.context_expr, ast.Call):
                made = self.call_name(item.context_expr)
                return f"{made}().{func.attr}" if made else None
        return None

    # ------------------------------------------------ one step across calls
    def call_sites(self, func: ast.AST) -> List[Tuple[ast.Call, int]]:
        """The calls in this module of the function or method `func` defined
        here: `helper(...)` by name, `self.helper(...)` from a method of the
        same class.  Each comes with how many leading parameters the call does
        not pass itself (1 for `self.`, 0 otherwise)."""
        if self._call_sites is None:
            self._call_sites = {}
            for call in self.nodes_by_type.get(ast.Call, []):
                target = self.called_function(call)  # type: ignore[arg-type]
                if target is not None:
                    self._call_sites.setdefault(target[0], []).append((call, target[1]))  # type: ignore[arg-type]
        return self._call_sites.get(func, [])

    def called_function(self, call: ast.Call) -> Optional[Tuple[ast.AST, int]]:
        """The function or method of this module that `call` calls (as in
        `call_sites`), with the number of parameters it does not pass."""
        func = call.func
        scope = self.scope_of(call)
        if isinstance(func, ast.Name):
            _, bindings = self.lookup(func.id, scope)
            if len(bindings) == 1 and bindings[0].kind == "def":
                return bindings[0].node, 0
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            cls_scope = self.class_of_method(scope, func.value.id)
            if cls_scope is not None:
                bindings = cls_scope.bindings.get(func.attr, [])
                if len(bindings) == 1 and bindings[0].kind == "def":
                    decorators = getattr(bindings[0].node, "decorator_list", [])
                    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in decorators)
                    return bindings[0].node, 0 if static else 1
        return None

    @staticmethod
    def argument_for(call: ast.Call, func: ast.AST, param: str, skipped: int = 0) -> Optional[ast.expr]:
        """The expression `call` passes for parameter `param` of `func` (None
        if it passes none, or `*args`/`**kwargs` hide which one)."""
        args = getattr(func, "args", None)
        if args is None or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        positional = [a.arg for a in list(getattr(args, "posonlyargs", [])) + list(args.args)][skipped:]
        for kw in call.keywords:
            if kw.arg == param:
                return kw.value
        if param in positional:
            index = positional.index(param)
            if index < len(call.args):
                return call.args[index]
        return None
