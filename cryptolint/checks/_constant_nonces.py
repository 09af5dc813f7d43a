"""A constant nonce or IV given to an encryption: the detection of CRY501, and of CRY608 for PyNaCl."""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from cryptolint.analysis.scopes import Module, Scope
from cryptolint.checks._base import Check, Part
from cryptolint.checks._nonce_sites import (
    NonceSite,
    NonceSites,
    advice,
    drop_nonce_fix,
    fresh_size,
    innermost_loop,
    is_pynacl,
    spelled,
)
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Edit, Fix, Import


class ConstantNonces(Part):
    def __init__(self, rule: Check, pynacl: bool) -> None:
        super().__init__(rule)
        self.sites = self.ctx.shared(NonceSites)
        #: Shared constants (module level, or another function's) -> the
        #: reports of their uses, reported once in `finish`.
        self._shared: Dict[int, List[Tuple[ast.AST, str]]] = {}
        #: Check PyNaCl's sites only (for CRY608), or every other one.
        self.pynacl = pynacl

    def visit_Call(self, node: ast.Call) -> None:
        for site in self.sites.at(node):
            if is_pynacl(site) is not self.pynacl:
                continue
            encrypts = self.sites.encrypts(site)
            if encrypts is False:
                continue
            if self.sites.single_use_key(site):
                continue  # a fresh key for this one message: the nonce never repeats under it
            origin = self.sites.constant(site)
            if origin is not None:
                self._report_constant(site, origin, encrypts)
            elif isinstance(site.nonce, ast.Name):
                self._report_default(site, site.nonce, encrypts)

    # ------------------------------------------------------------ reports
    def _report_constant(self, site: NonceSite, origin: ast.AST, encrypts: Optional[bool]) -> None:
        const = self.ctx.values.constant(site.nonce)
        value = const.value if const is not None else None
        size = fresh_size(site, value)
        shown = spelled(self.ctx, origin) or _abridged(self.ctx, origin, value)
        use = self._use(site, encrypts)
        name = spelled(self.ctx, site.nonce) if isinstance(site.nonce, (ast.Name, ast.Attribute)) else None
        if site.role == "counter":
            subject = f"`{name}` is" if name is not None and site.nonce is not origin else "the counter is"
            self.report(site.nonce, f"{subject} a constant counter (`{shown}`) {use}; {advice(size, site)}")
            return
        if name is not None and site.nonce is not origin:
            subject = f"`{name}` is a constant (`{shown}`)"
        else:
            subject = f"the {site.role} `{shown}` is a constant"
        message, fix = f"{subject} {use}; {advice(size, site)}", self._fix(site, value, size)
        if fix is None and self._shared_origin(site, origin):
            self._shared.setdefault(id(origin), []).append((site.nonce, message))
            return
        self.report(site.nonce, message, fix)

    def _shared_origin(self, site: NonceSite, origin: ast.AST) -> bool:
        """The constant is bound outside the function that uses it: every
        use repeats one root cause."""
        module = self.ctx.module
        return origin is not site.nonce and module.enclosing_function(origin) is not module.enclosing_function(site.nonce)

    def finish(self) -> None:
        """One finding per shared constant, at its first use, naming the others."""
        for uses in self._shared.values():
            uses.sort(key=lambda use: (getattr(use[0], "lineno", 0), getattr(use[0], "col_offset", 0)))
            node, message = uses[0]
            first = getattr(node, "lineno", 0)
            others = sorted({getattr(n, "lineno", 0) for n, _ in uses[1:]} - {first})
            if others:
                lines = ", ".join(str(line) for line in others)
                message += f" (the same constant also reaches line{'s' if len(others) > 1 else ''} {lines})"
            self.report(node, message)

    def _report_default(self, site: NonceSite, nonce: ast.Name, encrypts: Optional[bool]) -> None:
        param = self.sites.parameter(nonce)
        if param is None or param.value is None:
            return
        const = self.ctx.values.constant(param.value)
        if const is None or not isinstance(const.value, (bytes, str)):
            return
        shown = spelled(self.ctx, param.value) or "a constant"
        message = f"`{nonce.id}` defaults to a constant (`{shown}`) {self._use(site, encrypts)}; {advice(fresh_size(site, const.value), site)}"
        self.report(nonce, message, drop_nonce_fix(self.ctx, site))

    def _use(self, site: NonceSite, encrypts: Optional[bool]) -> str:
        verb = "used to encrypt with" if encrypts else "given to"
        if site.via is not None:
            helper = spelled(self.ctx, site.via.func) or "a helper"
            return f"that `{helper}` passes on to {site.label}"
        return f"{verb} {site.label}"

    # ---------------------------------------------------------------- fix
    def _fix(self, site: NonceSite, value: object, size: Optional[int]) -> Optional[Fix]:
        """Replace the local binding of the nonce with a fresh one, when the
        nonce travels with the ciphertext (safe) or is kept elsewhere (unsafe).

        An inline or module-level constant gets no fix: a fresh value there
        would be lost (nobody could decrypt) or still shared by every call.
        """
        nonce = site.nonce
        if site.api.facts.get("makes_nonce"):
            return drop_nonce_fix(self.ctx, site)
        if not isinstance(value, bytes) or not isinstance(nonce, ast.Name) or size is None:
            return None
        if site.api.kind == "pycryptodome-cipher" and any(k.arg in ("initial_value", "counter") for k in site.call.keywords):
            return None
        module = self.ctx.module
        scope = module.scope_of(nonce)
        owner, bindings = module.lookup(nonce.id, scope)
        if owner is not scope or not scope.is_function or len(bindings) != 1 or bindings[0].kind != "assign":
            return None
        binding = bindings[0]
        if binding.value is None or innermost_loop(module, binding.node) is not innermost_loop(module, nonce):
            return None
        if not self._os_is_free(scope):
            return None
        others = [use for use in self._loads(nonce) if use is not nonce]
        if not others or any(self._encrypts_with(use) for use in others):
            return None
        encryption = site.via or site.call
        beside = _carried(module, encryption, others)
        return Fix(
            title=f"Make a fresh `os.urandom({size})` {site.role} for every encryption",
            applicability=Applicability.SAFE if beside else Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(binding.value), f"os.urandom({size})"),),
            add_imports=(Import("os"),),
        )

    def _loads(self, nonce: ast.Name) -> List[ast.Name]:
        module = self.ctx.module
        owner, _ = module.lookup(nonce.id, module.scope_of(nonce))
        found = []
        for node in module.nodes_by_type.get(ast.Name, []):
            if node.id == nonce.id and isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                if module.lookup(nonce.id, module.scope_of(node))[0] is owner:
                    found.append(node)
        return found  # type: ignore[return-value]

    def _encrypts_with(self, use: ast.Name) -> bool:
        """Whether `use` is the nonce of another encryption."""
        parent = self.ctx.module.parent(use)
        if isinstance(parent, ast.keyword):
            parent = self.ctx.module.parent(parent)
        if not isinstance(parent, ast.Call):
            return False
        return any(site.nonce is use and self.sites.encrypts(site) is not False for site in self.sites.at(parent))

    def _os_is_free(self, scope: Scope) -> bool:
        """`os` means the `os` module there, or nothing yet."""
        _, bindings = self.ctx.module.lookup("os", scope)
        return all(b.kind == "import" and b.qualname == "os" for b in bindings)


def _abridged(ctx: Context, origin: ast.AST, value: object) -> str:
    """A short spelling of a long constant: `Counter.new(...)`, `b'0123'...`."""
    if isinstance(origin, ast.Call):
        return f"{spelled(ctx, origin.func) or 'a call'}(...)"
    return repr(value)[:30] + "..." if value is not None else "a constant"


def _statement(module: Module, node: ast.AST) -> ast.AST:
    current = node
    while not isinstance(current, ast.stmt):
        parent = module.parent(current)
        if parent is None:
            return current
        current = parent
    return current


def _carried(module: Module, encryption: ast.AST, others: List[ast.Name]) -> bool:
    """Whether the nonce is returned, or kept in a statement that also holds
    the ciphertext (`nonce + ct`, `{"nonce": nonce, "ct": ct}`, `save(nonce, ct)`)."""
    start = _statement(module, encryption)
    carriers: Set[str] = _targets(start)
    func = module.enclosing_function(encryption)
    body = [n for n in ast.walk(func) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign))] if func else []
    for _ in range(4):
        grown = set(carriers)
        for stmt in body:
            if stmt.value is not None and _reads(stmt.value) & carriers:
                grown |= _targets(stmt)
        if grown == carriers:
            break
        carriers = grown
    for use in others:
        holder = _statement(module, use)
        if isinstance(holder, ast.Return) or any(isinstance(a, (ast.Yield, ast.YieldFrom)) for a in module.ancestors(use)):
            return True
        if holder is start or _reads(holder) & carriers:
            return True
    return False


def _targets(stmt: ast.AST) -> Set[str]:
    if isinstance(stmt, ast.Assign):
        targets: List[ast.AST] = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    else:
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _reads(node: ast.AST) -> Set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
