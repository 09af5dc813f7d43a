"""One nonce used for more than one encryption: the detection of CRY502, and of CRY608 for PyNaCl."""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.names import parameter_defaults
from cryptolint.analysis.scopes import Scope
from cryptolint.checks._base import Check, Part
from cryptolint.checks._nonce_sites import NonceSite, NonceSites, advice, drop_nonce_fix, fresh_size, is_pynacl, spelled

#: A variable the nonce is read from: ("name", identifier, owner scope id) or
#: ("attr", attribute, class scope id) for `self.<attribute>`.
Variable = Tuple[str, str, int]

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
#: Parameters whose random default is a reused value (nonces, challenges, IVs, salts).
_ONCE_ROLES = frozenset({"nonce", "iv", "salt"})
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_FRAMES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)
#: Methods that read a bytes-like nonce without changing it.
_READING_METHODS = frozenset({"hex", "decode", "copy", "tobytes", "startswith", "endswith", "find", "index", "count", "rjust", "ljust"})


class ReusedNonces(Part):
    def __init__(self, rule: Check, pynacl: bool) -> None:
        super().__init__(rule)
        self.sites = self.ctx.shared(NonceSites)
        #: Check PyNaCl's sites only (for CRY608), or every other one.
        self.pynacl = pynacl
        self._by_frame: Optional[Dict[ast.AST, List[Tuple[NonceSite, Variable]]]] = None

    def visit_Call(self, node: ast.Call) -> None:
        for site in self.sites.at(node):
            if not self._encryption(site):
                continue
            reason = self._made_once(site) or self._in_loop(site) or self._used_again(site)
            if reason:
                self.report(site.nonce, f"{reason}; {advice(fresh_size(site), site)}", drop_nonce_fix(self.ctx, site))

    def _encryption(self, site: NonceSite) -> bool:
        """A cipher seen to encrypt (a reuse needs two encryptions), whose
        nonce is not a constant (constants are CRY501's)."""
        if is_pynacl(site) is not self.pynacl:
            return False
        return self.sites.encrypts(site) is True and self.sites.constant(site) is None

    def visit_arguments(self, arguments: ast.arguments) -> None:
        if not self.pynacl:
            self._random_defaults(arguments)

    def _random_defaults(self, arguments: ast.arguments) -> None:
        """`def __init__(self, challenge=os.urandom(8))`: a default is made
        once, when the function is defined, so every call that does not pass
        the nonce, challenge or salt shares one value."""
        func = self.ctx.module.parent(arguments)
        for param, default in parameter_defaults(arguments):
            named = self.ctx.classify(param.arg)
            if named is None or named.role not in _ONCE_ROLES or not self._random(default):
                continue
            if self._cipher_nonce(func, param.arg):
                continue  # reported where the cipher takes it (`_made_once`)
            name = getattr(func, "name", "the function")
            shown = spelled(self.ctx, default) or "a random value"
            self.report(
                default,
                f"`{param.arg}` defaults to `{shown}`, which is made once when `{name}` is defined, "
                f"so every call that does not pass `{param.arg}` reuses it; make it inside the function",
            )

    def _cipher_nonce(self, func: Optional[ast.AST], name: str) -> bool:
        """Whether `func` passes its parameter `name` to a cipher as the nonce."""
        for node in ast.walk(func) if func is not None else ():
            if isinstance(node, ast.Call):
                if any(isinstance(s.nonce, ast.Name) and s.nonce.id == name for s in self.sites.at(node)):
                    return True
        return False

    def _random(self, expr: ast.AST) -> bool:
        """A value drawn from a random generator (secure or not)."""
        if self.ctx.values.fresh_random(expr) is not None:
            return True
        return any(
            isinstance(n, ast.Call) and self.ctx.call_name(n) in apis.INSECURE_RANDOM for n in ast.walk(expr)
        )

    # ---------------------------------------------------- made only once
    def _made_once(self, site: NonceSite) -> Optional[str]:
        expr = site.nonce
        module = self.ctx.module
        fresh = self.ctx.values.fresh_random
        if isinstance(expr, ast.Name):
            owner, bindings = module.lookup(expr.id, module.scope_of(expr))
            if len(bindings) != 1:
                return None
            binding = bindings[0]
            if binding.value is None:
                return None
            shown = spelled(self.ctx, binding.value) or "a random value"
            if binding.kind == "param" and fresh(binding.value) is not None and owner is not None:
                name = getattr(owner.node, "name", "the function")
                return (
                    f"`{expr.id}` defaults to `{shown}`, which is made once when `{name}` is defined, "
                    f"so every call that does not pass `{expr.id}` reuses it with {site.label}"
                )
            if binding.kind == "assign" and owner is module.module_scope and module.scope_of(expr) is not owner and fresh(binding.value) is not None:
                if self._runs_once(expr):
                    return None
                return f"`{expr.id}` is made once at import (`{shown}`) and reused by every encryption with {site.label}"
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            cls = module.class_of_method(module.scope_of(expr), expr.value.id)
            if cls is None:
                return None
            sets = cls.attributes.get(expr.attr, [])
            class_level = cls.bindings.get(expr.attr, [])
            shown_name = spelled(self.ctx, expr)
            if not self._takes_data(expr):
                return None  # `def seal(self)`: an object per message, sealed once
            if len(sets) == 1 and not class_level:
                method, binding = sets[0]
                if binding.kind == "assign" and method != self._method(module.scope_of(expr)) and fresh(binding.value) is not None:
                    return f"`{shown_name}` is made once in `{method}` and reused by every encryption with {site.label}"
            elif not sets and len(class_level) == 1 and class_level[0].kind == "assign" and fresh(class_level[0].value) is not None:
                return f"`{shown_name}` is made once when the class is defined and reused by every encryption with {site.label}"
        return None

    def _runs_once(self, node: ast.AST) -> bool:
        """Whether the function around `node` is a script's entry point: called
        once in this module, from module level outside any loop."""
        module = self.ctx.module
        func = module.enclosing_function(node)
        if func is None or module.enclosing_function(func) is not None or isinstance(module.parent(func), ast.ClassDef):
            return False
        sites = module.call_sites(func)
        if len(sites) != 1:
            return False
        call = sites[0][0]
        return module.enclosing_function(call) is None and not any(isinstance(a, _LOOPS) for a in module.ancestors(call))

    def _takes_data(self, node: ast.AST) -> bool:
        """Whether the method around `node` takes arguments besides `self`,
        so each call may bring a new plaintext."""
        func = self.ctx.module.enclosing_function(node)
        args = getattr(func, "args", None)
        if args is None:
            return False
        return len(args.posonlyargs) + len(args.args) > 1 or bool(args.kwonlyargs or args.vararg or args.kwarg)

    @staticmethod
    def _method(scope: Scope) -> Optional[str]:
        current: Optional[Scope] = scope
        while current is not None and current.is_function:
            if current.parent is not None and current.parent.is_class:
                return getattr(current.node, "name", None)
            current = current.parent
        return None

    # ------------------------------------------------------------- loops
    def _in_loop(self, site: NonceSite) -> Optional[str]:
        var = self._variable(site.nonce)
        if var is None:
            return None
        module = self.ctx.module
        child: ast.AST = site.nonce
        for anc in module.ancestors(site.nonce):
            if isinstance(anc, _FRAMES) or isinstance(anc, ast.ClassDef):
                return None
            loop = isinstance(anc, _LOOPS) and child in anc.body or isinstance(anc, _COMPREHENSIONS) and child in _elements(anc)
            if loop:
                if self._stored_in(var, anc) or self._ends_after(site.nonce, anc):
                    return None
                key = self.sites.key(site)
                if key is not None and self._names(key) & self._bound_in(anc):
                    return None  # a different key on every pass
                name = spelled(self.ctx, site.nonce)
                return f"`{name}` does not change inside the loop, so every encryption with {site.label} in it reuses it"
            child = anc
        return None

    def _ends_after(
        self,
        node: ast.AST,
        holder: ast.AST,
        leaving: Tuple[type, ...] = (ast.Return, ast.Raise, ast.Break),
        until: Optional[ast.AST] = None,
    ) -> bool:
        """Whether the code between `node` and its ancestor `holder` always
        leaves (return, raise, break) after `node` (and, in `holder`'s own
        block, before `until`)."""
        module = self.ctx.module
        current = node
        while current is not holder:
            parent = module.parent(current)
            if parent is None:
                return False
            if isinstance(current, ast.Return) and ast.Return in leaving:
                return True
            if isinstance(current, ast.stmt):
                for field in ("body", "orelse", "finalbody"):
                    block = getattr(parent, field, None)
                    if isinstance(block, list) and current in block:
                        rest = block[block.index(current) + 1:]
                        if parent is holder and until is not None and until in rest:
                            rest = rest[: rest.index(until)]
                        if any(isinstance(s, leaving) for s in rest):
                            return True
            current = parent
        return False

    # --------------------------------------------- two uses, no renewal
    def _used_again(self, site: NonceSite) -> Optional[str]:
        var = self._variable(site.nonce)
        if var is None:
            return None
        frame = self._frame(site.nonce)
        here = _position(site.nonce)
        earlier = [t for t, v in self._frames().get(frame, []) if v == var and _position(t.nonce) < here]
        for other in reversed(earlier):
            if self._renewed(var, frame, other.nonce, site.nonce) or self._exclusive(other.nonce, site.nonce):
                return None
            key, other_key = self.sites.key(site), self.sites.key(other)
            if key is None or other_key is None or ast.dump(key) != ast.dump(other_key):
                return None
            if self._names(key) & self._stored_between(frame, other.nonce, site.nonce):
                return None
            name = spelled(self.ctx, site.nonce)
            return f"`{name}` was already used to encrypt with {other.label} on line {other.nonce.lineno} and is used again without being renewed"
        return None

    def _frames(self) -> Dict[ast.AST, List[Tuple[NonceSite, Variable]]]:
        if self._by_frame is None:
            table: Dict[ast.AST, List[Tuple[NonceSite, Variable]]] = {}
            for call in self.ctx.module.nodes_by_type.get(ast.Call, []):
                for site in self.sites.at(call):  # type: ignore[arg-type]
                    var = self._variable(site.nonce)
                    if var is not None and self._encryption(site):
                        table.setdefault(self._frame(site.nonce), []).append((site, var))
            self._by_frame = table
        return self._by_frame

    def _frame(self, node: ast.AST) -> ast.AST:
        return self.ctx.module.enclosing_function(node) or self.ctx.tree

    def _renewed(self, var: Variable, frame: ast.AST, first: ast.AST, second: ast.AST) -> bool:
        """Whether the variable may get a new value between two reads."""
        return any(self._changes(var, node) for node in self._between(frame, first, second))

    def _changes(self, var: Variable, node: ast.AST) -> bool:
        """Whether `node` may give the variable a new value: it assigns it,
        changes it in place (`nonce[0] += 1`, `nonce.extend(...)`) or, for
        `self.<attr>`, calls another method of the object."""
        if var[0] == "name":
            if isinstance(node, ast.Name) and node.id == var[1] and isinstance(node.ctx, (ast.Store, ast.Del)):
                return True
            if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store) and _is_name(node.value, var[1]):
                return True
            return (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and _is_name(node.func.value, var[1]) and node.func.attr not in _READING_METHODS
            )
        if isinstance(node, ast.Attribute) and node.attr == var[1] and isinstance(node.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            module = self.ctx.module
            return module.class_of_method(module.scope_of(node), node.func.value.id) is not None
        return False

    def _between(self, frame: ast.AST, first: ast.AST, second: ast.AST) -> List[ast.AST]:
        """Nodes of `frame` that run between two positions (not the calls that
        hold the second one)."""
        low, high = _position(first), _position(second)
        holders = {id(n) for n in self.ctx.module.ancestors(second)}
        return [n for n in ast.walk(frame) if low < _position(n) < high and id(n) not in holders]

    def _stored_between(self, frame: ast.AST, first: ast.AST, second: ast.AST) -> Set[str]:
        """Names assigned between two positions of `frame`."""
        return {
            n.id for n in self._between(frame, first, second)
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))
        }

    def _exclusive(self, first: ast.AST, second: ast.AST) -> bool:
        """Whether the two nodes cannot both run: different arms of an
        `if`/`try`/`match`, or the first one's path returns or raises."""
        module = self.ctx.module
        seconds = [second, *module.ancestors(second)]
        second_ids = {id(n) for n in seconds}
        previous = first
        for node in module.ancestors(first):
            if id(node) in second_ids:
                theirs = next(n for n in seconds if module.parent(n) is node)
                mine, other = _arm(node, previous), _arm(node, theirs)
                if mine is not None and other is not None and mine != other:
                    return True
                return self._ends_after(first, node, (ast.Return, ast.Raise), until=theirs)
            previous = node
        return False

    # ------------------------------------------------------------ helpers
    def _variable(self, expr: ast.AST) -> Optional[Variable]:
        module = self.ctx.module
        if isinstance(expr, ast.Name):
            owner, bindings = module.lookup(expr.id, module.scope_of(expr))
            return ("name", expr.id, id(owner)) if owner is not None and bindings else None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            cls = module.class_of_method(module.scope_of(expr), expr.value.id)
            return ("attr", expr.attr, id(cls)) if cls is not None else None
        return None

    @staticmethod
    def _names(expr: ast.AST) -> Set[str]:
        return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}

    @staticmethod
    def _bound_in(node: ast.AST) -> Set[str]:
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}

    def _stored_in(self, var: Variable, loop: ast.AST) -> bool:
        return any(self._changes(var, node) for node in ast.walk(loop))


def _arm(holder: ast.AST, child: ast.AST) -> Optional[str]:
    """Which branch of `holder` `child` is in, when `holder` branches."""
    if isinstance(holder, ast.IfExp):
        return "body" if child is holder.body else ("orelse" if child is holder.orelse else None)
    if isinstance(holder, ast.If):
        return "body" if child in holder.body else ("orelse" if child in holder.orelse else None)
    handlers = getattr(holder, "handlers", None)
    if isinstance(handlers, list):  # try / try*
        if child in handlers:
            return f"handler{handlers.index(child)}"
        return "body" if child in getattr(holder, "body", []) else None
    cases = getattr(holder, "cases", None)
    if isinstance(cases, list) and child in cases:  # match
        return f"case{cases.index(child)}"
    return None


def _elements(comprehension: ast.AST) -> List[ast.AST]:
    """The parts of a comprehension evaluated once per item."""
    parts = [getattr(comprehension, name, None) for name in ("elt", "key", "value")]
    generators = getattr(comprehension, "generators", [])
    return [p for p in parts if p is not None] + list(generators[1:]) + [c for g in generators for c in g.ifs]


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _position(node: ast.AST) -> Tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
