"""What a cipher object is used for: the direction analysis the nonce rules
share (a fixed IV only matters where something is encrypted).

`CipherUses(ctx).of(expr)` follows the value of `expr` (a `modes.X(...)`, an
`algorithms.ChaCha20(...)`, a PyCryptodome cipher) into `Cipher(...)`,
through local variables, `self.` attributes and `return` (to the module's
call sites of the function), to the methods called on it, and returns what
they show (`apis.CIPHER_METHODS`): ENCRYPT, DECRYPT, UNKNOWN when the value
escapes (passed to a call, stored in a container), RETURNED when asked to
stop at `return`, CONSTANT_PLAINTEXT for encrypting bytes of one repeated
value (a keystream) and MAC for a CBC-MAC (only the last block kept).
"""

from __future__ import annotations

import ast
from typing import List, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.scopes import Module
from cryptolint.context import Context

_MAX_DEPTH = 6
ENCRYPT = "encrypt"
DECRYPT = "decrypt"
UNKNOWN = "unknown"
RETURNED = "return"
CONSTANT_PLAINTEXT = "constant-plaintext"
MAC = "mac"


class CipherUses:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.module = ctx.module

    def of(self, expr: ast.AST, depth: int = 0, stop_at_return: bool = False) -> Set[str]:
        """What the value of `expr` (a cipher, mode or cipher object) is used for."""
        if depth > _MAX_DEPTH:
            return {UNKNOWN}
        parent = self.module.parent(expr)
        if isinstance(parent, ast.keyword):
            expr, parent = parent, self.module.parent(parent)
        if isinstance(parent, ast.Attribute):
            grand = self.module.parent(parent)
            if isinstance(grand, ast.Call) and grand.func is parent:
                direction = apis.CIPHER_METHODS.get(parent.attr)
                if direction == "chain":
                    return self.of(grand, depth + 1, stop_at_return)
                if direction == ENCRYPT and parent.attr == "encrypt":
                    return {self._encryption_kind(grand)}
                return {direction} if direction else set()
            return set()  # `.nonce`, `.iv`, `.block_size`
        if isinstance(parent, ast.Call):
            stream = apis.PYAES_STREAMS.get(self.ctx.call_name(parent) or "")
            if stream is not None:
                return {stream}
            ctor = apis.CIPHER_CONSTRUCTORS.get(self.ctx.call_name(parent) or "")
            value = expr.value if isinstance(expr, ast.keyword) else expr
            if ctor is not None and value in (apis.argument(parent, ctor, "mode"), apis.argument(parent, ctor, "algorithm")):
                return self.of(parent, depth + 1, stop_at_return)
            return {UNKNOWN}
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            found: Set[str] = set()
            for target in targets:
                found |= self._target_directions(target, parent, depth, stop_at_return)
            return found
        if isinstance(parent, ast.Return):
            if stop_at_return:
                return {RETURNED}
            func = self.module.enclosing_function(parent)
            sites = self.module.call_sites(func) if func is not None else []
            if not sites:
                return {UNKNOWN}
            found = set()
            for call, _ in sites:
                found |= self.of(call, depth + 1)
            return found
        if isinstance(parent, ast.Expr):
            return set()
        return {UNKNOWN}

    def _encryption_kind(self, call: ast.Call) -> str:
        """`encrypt(...)` of a constant, of which only the last block is kept
        (CBC-MAC), or plain encryption."""
        if call.args and self._fixed_content(call.args[0]):
            return CONSTANT_PLAINTEXT
        parent = self.module.parent(call)
        if isinstance(parent, ast.Subscript) and parent.value is call and isinstance(parent.slice, ast.Slice):
            lower = self.ctx.values.integer(parent.slice.lower) if parent.slice.lower is not None else None
            if lower is not None and lower < 0 and parent.slice.upper is None:
                return MAC
        return ENCRYPT

    def _fixed_content(self, expr: ast.expr) -> bool:
        """Bytes of one repeated value, as a keystream generator encrypts
        (`bytes(64)`, `b"\0" * n`, `bytes(len(data))`): no plaintext to leak."""
        made = definition(self.module, expr)
        const = self.ctx.values.constant(made)
        if const is not None:
            return isinstance(const.value, (bytes, str)) and len(set(const.value)) <= 1
        if isinstance(made, ast.Call) and self.ctx.call_name(made) in ("builtins.bytes", "builtins.bytearray"):
            size = made.args[0] if len(made.args) == 1 and not made.keywords else None
            return isinstance(size, ast.Call) and self.ctx.call_name(size) == "builtins.len"
        if isinstance(made, ast.BinOp) and isinstance(made.op, ast.Mult):
            for side in (made.left, made.right):
                part = self.ctx.values.constant(side)
                if part is not None and isinstance(part.value, (bytes, str)) and len(set(part.value)) == 1:
                    return True
        return False

    def _target_directions(self, target: ast.AST, stmt: ast.AST, depth: int, stop_at_return: bool) -> Set[str]:
        if isinstance(target, ast.Name):
            uses = self.uses_of_binding(target, stmt)
            found: Set[str] = set()
            for use in uses:
                found |= self.of(use, depth + 1, stop_at_return)
            return found
        if isinstance(target, ast.Attribute):
            found = set()
            for load in self.attribute_loads(target):
                found |= self.of(load, depth + 1, stop_at_return)
            return found or {UNKNOWN}
        return {UNKNOWN}

    def uses_of_binding(self, target: ast.Name, stmt: ast.AST) -> List[ast.Name]:
        """Loads of `target`'s variable that this assignment reaches in
        straight-line order (up to the next assignment of the name)."""
        scope = self.module.scope_of(target)
        _, bindings = self.module.lookup(target.id, scope)
        start = _position(stmt)
        later = [_position(b.node) for b in bindings if _position(b.node) > start]
        end = min(later) if later else (1 << 30, 0)
        return [use for use in self.ctx.flows.uses(target) if start < _position(use) < end]

    def attribute_loads(self, target: ast.Attribute) -> List[ast.Attribute]:
        """Reads of `self.<attr>` in the methods of the class that sets `target`."""
        if not isinstance(target.value, ast.Name):
            return []
        cls = self.module.class_of_method(self.module.scope_of(target), target.value.id)
        if cls is None:
            return []
        loads = []
        for node in self.module.nodes_by_type.get(ast.Attribute, []):
            if node.attr != target.attr or not isinstance(node.ctx, ast.Load) or not isinstance(node.value, ast.Name):  # type: ignore[attr-defined]
                continue
            if self.module.class_of_method(self.module.scope_of(node), node.value.id) is cls:  # type: ignore[attr-defined]
                loads.append(node)
        return loads  # type: ignore[return-value]


def definition(module: Module, expr: ast.expr) -> ast.expr:
    """`expr`, or what the name or attribute it reads is bound to once."""
    for _ in range(_MAX_DEPTH):
        value = None
        if isinstance(expr, ast.Name):
            value = module.single_value(expr.id, module.scope_of(expr))
        elif isinstance(expr, ast.Attribute):
            value = module.attribute_value(expr)
        if value is None:
            return expr
        expr = value
    return expr


def _position(node: ast.AST) -> Tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
