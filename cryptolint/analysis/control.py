"""Who controls a value: is it read from a request, a socket or a handler's
input, so that an attacker chooses it and can time what is done with it?

- `Control.attacker(expr)`: the value comes from the other side of a
  connection: a part of an HTTP request in Flask, Django, FastAPI, Starlette,
  aiohttp or tornado (`request.args["x"]`, `request.headers.get(...)`,
  `request.META[...]`, `self.request.body`, `self.get_argument(...)`), a
  socket or websocket read (`conn.recv(128)`, `await ws.receive_str()`), a
  FastAPI parameter declared with `Header()`/`Cookie()`/`Query()`/`Form()`,
  a function of this module that returns such input (summaries), or a
  parameter named for what a caller presents (`submitted`, `provided`,
  `presented`, `candidate`...).  Followed through names, `.decode()`,
  `.strip()`, `str()`, `bytes()`, slicing and parsing (`header.split(",")`).
"""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis.names import split_words
from cryptolint.analysis.scopes import Module
from cryptolint.analysis.summaries import SOCKET_READS, Summaries, reads_request
from cryptolint.analysis.values import Values

_MAX_DEPTH = 6
#: Words of handler parameters that hold what the other side presents.
PRESENTED_WORDS = frozenset(
    "submitted provided presented candidate supplied received given entered incoming untrusted claimed attempt guess".split()
)
#: FastAPI/Starlette parameter declarations that read the request.
REQUEST_PARAMS = frozenset(
    f"fastapi.{name}" for name in ("Header", "Cookie", "Query", "Form", "Body", "Path", "File")
)
#: Calls and methods through which input stays input.
_PASSING_METHODS = frozenset(
    "decode encode strip rstrip lstrip lower upper split rsplit partition rpartition removeprefix removesuffix "
    "replace get pop getlist get_json json text".split()
)
_PASSING_CALLS = frozenset(
    "builtins.str builtins.bytes builtins.bytearray builtins.dict builtins.list builtins.tuple "
    "base64.b64decode base64.urlsafe_b64decode binascii.unhexlify bytes.fromhex json.loads urllib.parse.unquote".split()
)
#: tornado's `RequestHandler` readers (`self.get_argument("sig")`).
_HANDLER_READERS = frozenset(
    "get_argument get_arguments get_body_argument get_query_argument get_cookie get_secure_cookie".split()
)


class Control:
    """Answers who controls a value in one module."""

    def __init__(self, module: Module, values: Values, summaries: Summaries) -> None:
        self.module = module
        self.values = values
        self.summaries = summaries

    def attacker(self, expr: Optional[ast.AST], depth: int = 0) -> bool:
        """Whether the other side of a connection chooses `expr`'s value."""
        if expr is None or depth > _MAX_DEPTH:
            return False
        if isinstance(expr, (ast.Attribute, ast.Subscript)) and reads_request(expr):
            return True
        if isinstance(expr, ast.Await):
            return self.attacker(expr.value, depth + 1)
        if isinstance(expr, ast.Subscript):
            return self.attacker(expr.value, depth + 1)
        if isinstance(expr, ast.Call):
            return self._call(expr, depth)
        if isinstance(expr, ast.Name):
            return self._name(expr, depth)
        if isinstance(expr, (ast.GeneratorExp, ast.ListComp)):
            return any(self.attacker(gen.iter, depth + 1) for gen in expr.generators)
        return False

    def _call(self, call: ast.Call, depth: int) -> bool:
        func = call.func
        if isinstance(func, ast.Attribute):
            if reads_request(func.value) or (func.attr in _HANDLER_READERS and _is_self(func.value)):
                return True
            if func.attr in SOCKET_READS and not _is_file_like(func.value):
                return True
            if func.attr in _PASSING_METHODS:
                return self.attacker(func.value, depth + 1)
        name = self.module.call_name(call)
        if name in _PASSING_CALLS and call.args:
            return self.attacker(call.args[0], depth + 1)
        summary = self.summaries.of_call(call)
        return summary is not None and summary.returns == "input"

    def _name(self, expr: ast.Name, depth: int) -> bool:
        _, bindings = self.module.lookup(expr.id, self.module.scope_of(expr))
        if not bindings:
            return False
        for binding in bindings:
            if binding.kind == "param":
                if set(split_words(expr.id)) & PRESENTED_WORDS:
                    return True
                default = binding.value
                if isinstance(default, ast.Call) and self.module.call_name(default) in REQUEST_PARAMS:
                    return True
            elif binding.kind in ("assign", "unpack", "with") and binding.value is not None:
                if self.attacker(binding.value, depth + 1):
                    return True
            elif binding.kind in ("unpack", "loop") and isinstance(binding.node, (ast.Assign, ast.For, ast.comprehension)):
                source = binding.node.value if isinstance(binding.node, ast.Assign) else binding.node.iter
                if self.attacker(source, depth + 1):
                    return True
        return False


def _is_self(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Name) and expr.id == "self"


def _is_file_like(receiver: ast.expr) -> bool:
    ident = receiver.id if isinstance(receiver, ast.Name) else receiver.attr if isinstance(receiver, ast.Attribute) else ""
    return ident in ("f", "fh", "fp", "file", "handle", "stdin", "infile", "stream", "reader")
