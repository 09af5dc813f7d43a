"""What an expression holds, as far as it can be known without running it.

- `constant(expr)`: the literal value, folding `b"\\x00" * 12`, `bytes(12)`,
  `"k".encode()`, `bytes.fromhex("...")`, base64/hex decoding, f-strings of
  constants and names bound once to any of these.
- `integer(expr)`: an integer constant (`2**17`, `600_000`, a module constant).
- `fresh_random(expr)`: a fresh value from the OS's CSPRNG.
- `sources(expr, predicate)`: the sub-expressions a value is built from,
  followed through local variables, comprehensions and joins.
"""

from __future__ import annotations

import ast
import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Dict, Iterator, List, Mapping, Optional, Set, Union

from cryptolint.analysis import apis
from cryptolint.analysis.scopes import Module

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import TypeGuard

_MAX_DEPTH = 8
_MAX_CONST_LEN = 1 << 16

Literal = Union[str, bytes, int, float, bool, None]


@dataclass(frozen=True)
class Constant:
    """A value known at analysis time, and the literal it came from."""

    value: Literal
    origin: ast.AST


#: Decoders of literal text; their input is `str` or `bytes` as each accepts.
_DECODERS: Dict[str, Optional[Callable[..., bytes]]] = {
    "base64.b64decode": base64.b64decode,
    "base64.urlsafe_b64decode": base64.urlsafe_b64decode,
    "base64.standard_b64decode": base64.standard_b64decode,
    "base64.b32decode": base64.b32decode,
    "base64.b16decode": base64.b16decode,
    "binascii.unhexlify": binascii.unhexlify,
    "binascii.a2b_hex": binascii.a2b_hex,
    "binascii.a2b_base64": binascii.a2b_base64,
    "builtins.bytes.fromhex": bytes.fromhex,
    "builtins.bytearray.fromhex": bytes.fromhex,
    "codecs.decode": None,
}

#: Calls that do not make a value from their arguments (`len(token)` is a
#: number, not the token); `sources` does not look inside them.
OPAQUE_CALLS = frozenset(
    {
        "builtins.len", "builtins.range", "builtins.isinstance", "builtins.print",
        "builtins.type", "builtins.id", "builtins.bool", "builtins.hasattr",
        "builtins.getattr", "builtins.callable", "time.sleep", "asyncio.sleep",
    }
)


class Values:
    """Value questions about one module, answered from its `Module` analysis."""

    def __init__(self, module: Module, foreign: Optional[Mapping[str, object]] = None) -> None:
        self.module = module
        #: Entries of other project modules by the name this module uses
        #: (`cryptolint.analysis.summaries`): their constants fold here too.
        self.foreign: Mapping[str, object] = foreign or {}

    # ----------------------------------------------------------- constants
    def is_false(self, expr: Optional[ast.AST]) -> bool:
        """`expr` is the constant False (a literal, a module constant or a
        local bound once; never a parameter)."""
        if expr is None:
            return False
        const = self.constant(expr)
        return const is not None and const.value is False

    def constant(self, expr: Optional[ast.AST], _depth: int = 0) -> Optional[Constant]:
        """The value of `expr` if it is a literal or built only from literals."""
        if expr is None or _depth > _MAX_DEPTH:
            return None
        try:
            value = self._constant(expr, _depth)
        except Exception:  # folding user data must never crash the linter
            return None
        return value

    def _constant(self, expr: ast.AST, depth: int) -> Optional[Constant]:
        if isinstance(expr, ast.Constant):
            if isinstance(expr.value, (str, bytes, int, float, bool)) or expr.value is None:
                return Constant(expr.value, expr)
            return None
        if isinstance(expr, ast.Name):
            value = self.module.single_value(expr.id, self.module.scope_of(expr))
            if value is None:
                return self.foreign_constant(expr)
            inner = self.constant(value, depth + 1)
            return inner
        if isinstance(expr, ast.Attribute):
            value = self.module.attribute_value(expr)
            if value is not None:
                return self.constant(value, depth + 1)
            known = apis.KNOWN_CONSTANTS.get(self.module.resolve(expr) or "")
            if known is not None:  # `AES.block_size`
                return Constant(known, expr)
            return self.foreign_constant(expr)
        if isinstance(expr, ast.BinOp):
            left = self.constant(expr.left, depth + 1)
            right = self.constant(expr.right, depth + 1)
            if left is None or right is None:
                return None
            return self._binop(expr, left, right)
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
            operand = self.constant(expr.operand, depth + 1)
            if operand is not None and isinstance(operand.value, (int, float)) and not isinstance(operand.value, bool):
                return Constant(-operand.value, operand.origin)
            return None
        if isinstance(expr, ast.JoinedStr):
            parts = []
            for part in expr.values:
                if isinstance(part, ast.Constant):
                    parts.append(str(part.value))
                elif isinstance(part, ast.FormattedValue):
                    inner = self.constant(part.value, depth + 1)
                    if inner is None or part.format_spec is not None or part.conversion not in (-1, None):
                        return None
                    parts.append(str(inner.value))
                else:
                    return None
            return Constant("".join(parts), expr)
        if isinstance(expr, ast.Call):
            return self._call_constant(expr, depth)
        return None

    def foreign_constant(self, expr: ast.expr) -> Optional[Constant]:
        """The literal a name imported from another project module is bound
        to there (`config.DATA_KEY`, `from .settings import NONCE`); its
        origin is the expression here, which is where findings point."""
        if not self.foreign or not isinstance(expr, (ast.Name, ast.Attribute)):
            return None
        entry = self.foreign.get(self.module.resolve(expr) or "")
        value = getattr(entry, "value", None) if entry is not None and not hasattr(entry, "returns") else None
        if isinstance(value, (str, bytes)):
            return Constant(value, expr)
        return None

    def is_foreign(self, expr: ast.expr) -> bool:
        """Whether `expr` names a constant of another project module."""
        return self.foreign_constant(expr) is not None

    @staticmethod
    def _binop(expr: ast.BinOp, left: Constant, right: Constant) -> Optional[Constant]:
        lv, rv = left.value, right.value
        if isinstance(expr.op, ast.Mult):
            if isinstance(lv, (bytes, str)) and isinstance(rv, int) and not isinstance(rv, bool) and 0 <= rv and len(lv) * rv <= _MAX_CONST_LEN:
                return Constant(lv * rv, left.origin)
            if isinstance(rv, (bytes, str)) and isinstance(lv, int) and not isinstance(lv, bool) and 0 <= lv and len(rv) * lv <= _MAX_CONST_LEN:
                return Constant(rv * lv, right.origin)
            if _is_number(lv) and _is_number(rv):
                return Constant(lv * rv, left.origin)
            return None
        if isinstance(expr.op, ast.Add):
            if type(lv) is type(rv) and isinstance(lv, (bytes, str, int, float)):
                return Constant(lv + rv, left.origin)  # type: ignore[operator]
            return None
        if _is_number(lv) and _is_number(rv):
            if isinstance(expr.op, ast.Pow) and isinstance(rv, int) and 0 <= rv <= 64 and abs(lv) < 1 << 16:
                return Constant(lv**rv, left.origin)
            if isinstance(expr.op, ast.Sub):
                return Constant(lv - rv, left.origin)
            if isinstance(expr.op, ast.FloorDiv) and rv:
                return Constant(lv // rv, left.origin)
            if isinstance(expr.op, ast.Div) and rv:
                return Constant(lv / rv, left.origin)
            if isinstance(expr.op, ast.LShift) and isinstance(lv, int) and isinstance(rv, int) and 0 <= rv <= 64:
                return Constant(lv << rv, left.origin)
        return None

    def _call_constant(self, call: ast.Call, depth: int) -> Optional[Constant]:
        func = call.func
        # "literal".encode(...) / b"literal".decode(...)
        if isinstance(func, ast.Attribute) and func.attr in ("encode", "decode") and not call.keywords and len(call.args) <= 1:
            base = self.constant(func.value, depth + 1)
            if base is None:
                return None
            if func.attr == "encode" and isinstance(base.value, str):
                return Constant(base.value.encode("utf-8", "surrogatepass"), base.origin)
            if func.attr == "decode" and isinstance(base.value, bytes):
                return Constant(base.value.decode("utf-8", "replace"), base.origin)
            return None
        # b"".join([...literals...])
        if isinstance(func, ast.Attribute) and func.attr == "join" and len(call.args) == 1:
            sep = self.constant(func.value, depth + 1)
            parts = call.args[0]
            if sep is not None and isinstance(parts, (ast.List, ast.Tuple)):
                items = [self.constant(e, depth + 1) for e in parts.elts]
                if all(i is not None and type(i.value) is type(sep.value) for i in items):
                    return Constant(sep.value.join(i.value for i in items), sep.origin)  # type: ignore[union-attr,misc]
            return None
        name = self.module.resolve(func)
        if name in ("builtins.bytes", "builtins.bytearray"):
            if not call.args:
                return Constant(b"", call)
            if len(call.args) == 1 and not call.keywords:
                arg = self.constant(call.args[0], depth + 1)
                if arg is not None and isinstance(arg.value, int) and not isinstance(arg.value, bool) and 0 <= arg.value <= _MAX_CONST_LEN:
                    return Constant(bytes(arg.value), call)
                if arg is not None and isinstance(arg.value, bytes):
                    return Constant(arg.value, arg.origin)
            if len(call.args) >= 1 and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
                return Constant(call.args[0].value.encode("utf-8", "replace"), call.args[0])
            if len(call.args) == 1 and isinstance(call.args[0], (ast.List, ast.Tuple)):
                items = [self.constant(e, depth + 1) for e in call.args[0].elts]
                if all(i is not None and isinstance(i.value, int) for i in items):
                    try:
                        return Constant(bytes(i.value for i in items), call)  # type: ignore[union-attr,misc]
                    except ValueError:
                        return None
            return None
        if name in ("builtins.str", "builtins.int") and len(call.args) == 1 and not call.keywords:
            arg = self.constant(call.args[0], depth + 1)
            if arg is not None and isinstance(arg.value, (str, int)):
                try:
                    return Constant(str(arg.value) if name == "builtins.str" else int(arg.value), arg.origin)
                except ValueError:
                    return None
            return None
        if name in _DECODERS and call.args:
            arg = self.constant(call.args[0], depth + 1)
            if arg is None or not isinstance(arg.value, (str, bytes)):
                return None
            decoder = _DECODERS[name]
            if decoder is None:
                return Constant(arg.value if isinstance(arg.value, bytes) else arg.value.encode(), arg.origin)
            try:
                return Constant(decoder(arg.value), arg.origin)
            except (ValueError, binascii.Error, TypeError):
                return Constant(b"", arg.origin)
        return None

    def integer(self, expr: Optional[ast.AST]) -> Optional[int]:
        """`expr` as an integer constant, or None."""
        const = self.constant(expr)
        if const is None or isinstance(const.value, bool):
            return None
        if isinstance(const.value, int):
            return const.value
        if isinstance(const.value, float) and const.value.is_integer():
            return int(const.value)
        return None

    def string(self, expr: Optional[ast.AST]) -> Optional[str]:
        const = self.constant(expr)
        if const is not None and isinstance(const.value, str):
            return const.value
        return None

    # --------------------------------------------------------- randomness
    def fresh_random(self, expr: Optional[ast.AST], _depth: int = 0) -> Optional[ast.Call]:
        """The CSPRNG call that `expr` is (directly, or through a name bound
        once, or a slice of one), or None."""
        if expr is None or _depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Call):
            name = self.module.call_name(expr)
            if name in apis.FRESH_RANDOM:
                return expr
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in ("encode", "decode"):
                return self.fresh_random(expr.func.value, _depth + 1)
            if name in ("builtins.bytes", "builtins.bytearray", "builtins.str") and len(expr.args) == 1:
                return self.fresh_random(expr.args[0], _depth + 1)
            return None
        if isinstance(expr, ast.Subscript):
            return self.fresh_random(expr.value, _depth + 1)
        if isinstance(expr, ast.Name):
            value = self.module.single_value(expr.id, self.module.scope_of(expr))
            return self.fresh_random(value, _depth + 1)
        return None

    # ------------------------------------------------------------ sources
    def sources(
        self,
        expr: ast.AST,
        predicate: Callable[[ast.AST], bool],
        follow_names: bool = True,
    ) -> List[ast.AST]:
        """Sub-expressions of `expr` (and of what its names were assigned)
        for which `predicate` is true, in source order, without duplicates.

        Names are followed to every assignment in their scope that comes
        before the use; calls in `OPAQUE_CALLS` are not looked into.
        """
        found: List[ast.AST] = []
        seen: Set[int] = set()
        self._sources(expr, predicate, follow_names, found, seen, 0)
        found.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
        return found

    def _sources(
        self,
        expr: ast.AST,
        predicate: Callable[[ast.AST], bool],
        follow: bool,
        found: List[ast.AST],
        seen: Set[int],
        depth: int,
    ) -> None:
        if depth > _MAX_DEPTH or id(expr) in seen:
            return
        seen.add(id(expr))
        if predicate(expr):
            found.append(expr)
            return
        for node in self._children(expr):
            if isinstance(node, ast.Name) and follow and isinstance(node.ctx, ast.Load):
                for value in self.assigned_values(node):
                    self._sources(value, predicate, follow, found, seen, depth + 1)
                continue
            self._sources(node, predicate, follow, found, seen, depth + 1)

    def _children(self, expr: ast.AST) -> Iterator[ast.AST]:
        if isinstance(expr, ast.Name):
            yield expr
            return
        if isinstance(expr, ast.Call):
            name = self.module.call_name(expr)
            if name in OPAQUE_CALLS:
                return
        if isinstance(expr, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return
        for child in ast.iter_child_nodes(expr):
            if isinstance(child, (ast.expr_context, ast.operator, ast.cmpop, ast.boolop, ast.unaryop)):
                continue
            if isinstance(expr, ast.Subscript) and child is expr.slice:
                continue
            if isinstance(expr, ast.comprehension) and child is expr.target:
                continue
            yield child

    def assigned_values(self, name: ast.Name) -> List[ast.expr]:
        """Every right-hand side assigned to `name` in its scope before this use
        (all of them if the use is inside a loop or a nested function)."""
        scope = self.module.scope_of(name)
        owner, bindings = self.module.lookup(name.id, scope)
        values: List[ast.expr] = []
        line = getattr(name, "lineno", 0)
        for binding in bindings:
            if binding.value is None or binding.kind not in ("assign", "param"):
                continue
            if binding.kind == "param":
                continue
            if owner is scope and getattr(binding.node, "lineno", 0) > line and not self._in_loop(name):
                continue
            values.append(binding.value)
        return values

    def _in_loop(self, node: ast.AST) -> bool:
        for anc in self.module.ancestors(node):
            if isinstance(anc, (ast.For, ast.AsyncFor, ast.While)):
                return True
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
                return False
        return False


def _is_number(value: object) -> TypeGuard[Union[int, float]]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
