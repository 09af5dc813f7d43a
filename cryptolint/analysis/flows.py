"""Where values go and what they are called: the questions the secret rules share.

- `sinks(expr)`: what a value becomes, climbing through the expressions that
  carry it (`"".join(...)`, f-strings, `str()`, `.hex`, comprehensions...) to
  the name it is bound to, the function that returns it, the keyword it is
  passed as, or the crypto API argument it fills, and on through local
  variables that are used again.
- `role_of(expr)`: what the expression is called (`request.form["password"]`,
  `user.api_key`, `token.encode()`) in the reviewer's terms.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.names import (
    CODE_WORDS, SecretName, classify, classify_path, default_parameter, delivers, is_secret_maker, makes_non_secret,
    path_segments, split_words,
)
from cryptolint.analysis.scopes import Module, Scope
from cryptolint.analysis.values import Values

if TYPE_CHECKING:  # pragma: no cover
    from cryptolint.analysis.summaries import Summaries

_MAX_DEPTH = 6

#: Calls through which a value passes into their result unchanged in nature.
CARRIER_CALLS: FrozenSet[str] = frozenset(
    {
        "builtins.str", "builtins.bytes", "builtins.bytearray", "builtins.int",
        "builtins.hex", "builtins.format", "builtins.repr", "builtins.list",
        "builtins.tuple", "builtins.abs", "builtins.round", "builtins.oct",
        "base64.b64encode", "base64.urlsafe_b64encode", "base64.b32encode",
        "base64.b16encode", "base64.b85encode", "binascii.hexlify",
        "binascii.b2a_hex", "builtins.sorted", "builtins.map", "six.b", "six.u", "six.ensure_binary",
        "six.ensure_str", "six.ensure_text", "six.text_type", "six.binary_type",
    }
)
#: Methods through which a value passes (`"".join`, `.encode()`, `.hex()`...).
CARRIER_METHODS: FrozenSet[str] = frozenset(
    {
        "join", "encode", "decode", "hex", "format", "upper", "lower", "strip",
        "rstrip", "lstrip", "zfill", "rjust", "ljust", "replace", "to_bytes",
        "hexdigest", "digest", "tobytes", "tolist", "astype", "item",
    }
)
#: Attribute reads that carry the value (`uuid4().hex`).
CARRIER_ATTRIBUTES: FrozenSet[str] = frozenset({"hex", "bytes", "int", "urn", "value"})


@dataclass(frozen=True)
class Sink:
    """Where a value ends up.

    kind: `name` (bound to a variable or attribute), `default` (a
    parameter's default; `node` is the `ast.arg`), `key` (stored under a
    dict/subscript key), `return` (returned by a function), `keyword` (passed
    by keyword), `api` (a crypto API argument; `name` is the role there).
    """

    kind: str
    name: str
    node: ast.AST
    role: Optional[SecretName]
    api: Optional[apis.Api] = None

    def describe(self) -> str:
        """How a message names where the value went: `reset_token`, the value
        returned by `make_token`, the key of `hmac.new`."""
        if self.kind == "return":
            return f"the value returned by `{self.name}`"
        if self.kind == "api":
            if self.api is None:
                return f"the {self.name} of the call"
            parts = self.api.name.replace("()", "").split(".")
            shown = ".".join(parts[-2:]) if parts[-1][:1].islower() and len(parts) > 1 else parts[-1]
            return f"the {self.name} of `{shown}`"
        if self.kind == "default":
            return f"`{self.name}` (a default, made once when the function is defined)"
        if self.kind == "keyword":
            return f"the `{self.name}` argument"
        return f"`{self.name}`"


#: Words of calls that send a value to a person or store it (a person alone:
#: `names.delivers`).
HANDOVER_WORDS = frozenset(
    "send mail email sms notify text message deliver set cookie redirect url create save store insert put".split()
)



def _delivers(call: ast.Call) -> bool:
    """`send_reset_mail(...)`, `ResetRequest.create(...)`, `response.set_cookie(...)`."""
    func = call.func
    ident = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return bool(set(split_words(ident)) & HANDOVER_WORDS)


class Flows:
    def __init__(
        self,
        module: Module,
        values: Values,
        extra: FrozenSet[str],
        excluded: FrozenSet[str],
        summaries: Optional["Summaries"] = None,
    ) -> None:
        self.module = module
        self.summaries = summaries
        self.values = values
        self.extra = extra
        self.excluded = excluded
        self._loads: Optional[Dict[Tuple[int, str], List[ast.Name]]] = None

    # -------------------------------------------------------------- naming
    def classify(self, identifier: str) -> Optional[SecretName]:
        return classify(identifier, self.extra, self.excluded)

    def classify_path(self, expr: ast.AST) -> Optional[SecretName]:
        """What an attribute or subscript path names, by every segment."""
        return classify_path(path_segments(expr), self.extra, self.excluded)

    def role_of(self, expr: Optional[ast.AST], _depth: int = 0) -> Optional[SecretName]:
        """What `expr` is called: its variable, attribute or key name."""
        if expr is None or _depth > _MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            named = self.classify(expr.id)
            if named is not None:
                return named
            value = self.module.single_value(expr.id, self.module.scope_of(expr))
            if value is not None and not isinstance(value, ast.Constant):
                return self.role_of(value, _depth + 1)
            return None
        if isinstance(expr, (ast.Attribute, ast.Subscript)):
            return self.classify_path(expr)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute):
                if func.attr in ("get", "pop", "getlist", "getenv", "get_secret") and expr.args:
                    first = expr.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        return self.classify(first.value)
                    return None
                if func.attr in CARRIER_METHODS and func.attr not in ("join", "format"):
                    return self.role_of(func.value, _depth + 1)
            name = self.module.call_name(expr)
            if name in CARRIER_CALLS and expr.args:
                return self.role_of(expr.args[0], _depth + 1)
            if name == "os.getenv" and expr.args:
                return None
            if isinstance(func, (ast.Name, ast.Attribute)):
                ident = func.id if isinstance(func, ast.Name) else func.attr
                return is_secret_maker(ident, self.extra)
        return None

    # --------------------------------------------------------------- sinks
    def sinks(self, expr: ast.AST) -> List[Sink]:
        """Everything `expr`'s value becomes, following local variables."""
        found: List[Sink] = []
        self._sinks(expr, found, set(), 0)
        return found

    def carrier_top(self, expr: ast.AST) -> ast.AST:
        """The outermost expression that still carries `expr`'s value
        (`str(uuid4()).upper()` for `uuid4()`): where `sinks` starts landing."""
        node = expr
        while True:
            parent = self.module.parent(node)
            if parent is None or not self._carries(parent, node):
                return node
            node = parent

    def secret_sinks(self, expr: ast.AST, roles: FrozenSet[str] = frozenset()) -> List[Sink]:
        """The sinks of `expr` that name a secret (or one of `roles`)."""
        out: List[Sink] = []
        found = self.sinks(expr)
        for sink in found:
            if sink.role is None:
                continue
            if sink.role.is_secret or sink.role.role in roles:
                out.append(sink)
        if not out:
            out = self._sent_codes(found)
        func = self.module.enclosing_function(expr)
        if out and func is not None and makes_non_secret(getattr(func, "name", "")):
            # `def make_boundary(): token = random...`: the function says what
            # it makes, and it is not a secret; that is evidence against a
            # local's name, not against where the value goes: a value stored
            # or sent as a secret (`Reset.create(token=token)`,
            # `send_mail(..., token)`) is one whatever the function is called.
            return out if self._delivered(out) else []
        return out

    def _sent_codes(self, sinks: List[Sink]) -> List[Sink]:
        """`code = str(randint(...)); sms.send(phone, "Your code: " + code)`:
        a code or PIN handed to a person is a one-time secret, though the
        bare word names many other things."""
        out = []
        for sink in sinks:
            if sink.kind != "name" or not isinstance(sink.node, ast.Assign) or not set(split_words(sink.name)) & CODE_WORDS:
                continue
            for target in sink.node.targets:
                if isinstance(target, ast.Name) and any(self._sent(use) for use in self.uses(target)):
                    out.append(Sink(sink.kind, sink.name, sink.node, SecretName("otp", (sink.name,))))
                    break
        return out

    def _sent(self, use: ast.Name) -> bool:
        """Whether `use` reaches the argument of a call that sends it to a person."""
        top = self.carrier_top(use)
        parent = self.module.parent(top)
        if isinstance(parent, ast.keyword):
            parent = self.module.parent(parent)
        if not isinstance(parent, ast.Call):
            return False
        func = parent.func
        ident = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return delivers(ident)

    def _delivered(self, sinks: List[Sink]) -> bool:
        """Whether a value bound to a local goes on as a secret: passed under
        a secret's name, stored in a secret-named field or key, used by a
        crypto API, or handed to a call that sends or stores it."""
        for sink in sinks:
            if sink.kind in ("keyword", "key", "api"):
                return True
            if sink.kind != "name" or not isinstance(sink.node, ast.Assign):
                continue
            for target in sink.node.targets:
                if isinstance(target, ast.Attribute):
                    return True  # `user.reset_token = token`
                if not isinstance(target, ast.Name):
                    continue
                for use in self.uses(target):
                    top = self.carrier_top(use)
                    for later in self.sinks(use):
                        if later.role is not None and later.role.is_secret and later.kind in ("keyword", "key", "api", "name"):
                            return True
                    call = self.module.parent(top)
                    if isinstance(call, ast.keyword):
                        call = self.module.parent(call)
                    if isinstance(call, ast.Call) and _delivers(call):
                        return True
        return False

    def _sinks(self, expr: ast.AST, found: List[Sink], seen: Set[int], depth: int) -> None:
        if depth > _MAX_DEPTH or id(expr) in seen:
            return
        seen.add(id(expr))
        node = expr
        while True:
            parent = self.module.parent(node)
            if parent is None:
                return
            if self._carries(parent, node):
                node = parent
                continue
            break
        self._land(parent, node, found, seen, depth)

    def _carries(self, parent: ast.AST, child: ast.AST) -> bool:
        if isinstance(parent, (ast.BinOp, ast.JoinedStr, ast.FormattedValue, ast.IfExp, ast.BoolOp, ast.Starred, ast.List, ast.Tuple, ast.Set)):
            if isinstance(parent, ast.IfExp) and child is parent.test:
                return False
            return True
        if isinstance(parent, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return child is parent.elt
        if isinstance(parent, ast.DictComp):
            return child is parent.value
        if isinstance(parent, ast.Attribute):
            return parent.attr in CARRIER_ATTRIBUTES or parent.attr in CARRIER_METHODS
        if isinstance(parent, ast.Subscript):
            return child is parent.value
        if isinstance(parent, ast.Call):
            if child is parent.func:
                # `x.encode()`: the Attribute carried it here; the call result is the value.
                return isinstance(child, ast.Attribute) and child.attr in CARRIER_METHODS
            if isinstance(parent.func, ast.Attribute) and parent.func.attr in ("join", "format"):
                return True
            name = self.module.call_name(parent)
            if name in CARRIER_CALLS:
                return True
            if name in apis.HASH_CONSTRUCTORS:
                return True
            if self.summaries is not None and len(parent.args) == 1 and not parent.keywords:
                # `b(text)`, `to_bytes(token)`: a wrapper that returns what it is given
                summary = self.summaries.of_call(parent)
                return summary is not None and summary.passes_first
            return False
        if isinstance(parent, ast.Await):
            return True
        return False

    def _land(self, parent: ast.AST, node: ast.AST, found: List[Sink], seen: Set[int], depth: int) -> None:
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                self._land_target(target, parent, found, seen, depth)
            return
        if isinstance(parent, ast.AugAssign) and node is parent.value:
            self._land_target(parent.target, parent, found, seen, depth)
            return
        if isinstance(parent, (ast.Return, ast.Yield)):
            func = self.module.enclosing_function(parent)
            if func is not None and not isinstance(func, ast.Lambda):
                found.append(Sink("return", func.name, parent, is_secret_maker(func.name, self.extra) or self._property_role(func)))
            return
        if isinstance(parent, ast.keyword) and parent.arg:
            call = self.module.parent(parent)
            if isinstance(call, ast.Call):
                api = self._api_role(call, node)
                if api is not None:
                    found.append(api)
                    return
                role = self.summaries.param_role(call, node) if self.summaries is not None else ""
                if role in ("key", "nonce", "iv", "salt", "password"):
                    found.append(Sink("api", role, call, SecretName(role, (role,))))
                    return
            found.append(Sink("keyword", parent.arg, parent, self.classify(parent.arg)))
            return
        if isinstance(parent, ast.Call):
            api = self._api_role(parent, node)
            if api is not None:
                found.append(api)
            elif self.summaries is not None:
                role = self.summaries.param_role(parent, node)
                if role in ("key", "nonce", "iv", "salt", "password"):
                    found.append(Sink("api", role, parent, SecretName(role, (role,))))
            return
        if isinstance(parent, ast.arguments):
            self._land_default(parent, node, found, seen, depth)
            return
        if isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values):
                if value is node and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found.append(Sink("key", key.value, parent, classify_path(self._dict_path(parent, key.value), self.extra, self.excluded)))
            return

    def _land_default(self, arguments: ast.arguments, default: ast.AST, found: List[Sink], seen: Set[int], depth: int) -> None:
        """A parameter's default is an assignment made once, when the function
        is defined: it lands on the parameter, and goes where the parameter goes."""
        param = default_parameter(arguments, default)
        if param is None:
            return
        role = self.classify(param.arg)
        found.append(Sink("default", param.arg, param, role))
        scope = self.module.scopes.get(self.module.parent(arguments))  # type: ignore[arg-type]
        if scope is not None and (role is None or not role.is_secret):
            for use in self._load_index().get((id(scope), param.arg), []):
                self._sinks(use, found, seen, depth + 1)

    def _dict_path(self, node: ast.Dict, key: str) -> List[Optional[str]]:
        """The keys down to `key` in nested dict displays: `{"public": {"key": v}}`
        gives public, key."""
        path: List[Optional[str]] = [key]
        parent = self.module.parent(node)
        while isinstance(parent, ast.Dict) and len(path) < 4:
            outer = next((k for k, v in zip(parent.keys, parent.values) if v is node), None)
            path.insert(0, outer.value if isinstance(outer, ast.Constant) and isinstance(outer.value, str) else None)
            node, parent = parent, self.module.parent(parent)
        return path

    def _property_role(self, func: ast.AST) -> Optional[SecretName]:
        """A `@property` named like a secret (`def api_key(self)`)."""
        decorators = getattr(func, "decorator_list", [])
        if any(isinstance(d, ast.Name) and d.id in ("property", "cached_property") for d in decorators):
            return self.classify(getattr(func, "name", ""))
        return None

    def _land_target(self, target: ast.AST, stmt: ast.AST, found: List[Sink], seen: Set[int], depth: int) -> None:
        if isinstance(target, ast.Name):
            role = self.classify(target.id)
            found.append(Sink("name", target.id, stmt, role))
            if role is None or not role.is_secret:
                for use in self.uses(target):
                    self._sinks(use, found, seen, depth + 1)
        elif isinstance(target, ast.Attribute):
            found.append(Sink("name", target.attr, stmt, self.classify_path(target)))
        elif isinstance(target, ast.Subscript):
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.append(Sink("key", key.value, stmt, self.classify_path(target)))

    def _api_role(self, call: ast.Call, arg: ast.AST) -> Optional[Sink]:
        name = self.module.call_name(call)
        for table in (apis.KEYED_APIS, apis.NONCE_APIS, apis.KDF_APIS, apis.PASSWORD_HASH_APIS):
            api = table.get(name) if name else None
            if api is None:
                continue
            for role in api.params:
                if apis.argument(call, api, role) is arg and role in ("key", "keys", "nonce", "iv", "salt", "password"):
                    named = SecretName(role if role != "keys" else "key", (role,))
                    return Sink("api", role, call, named, api)
        return None

    # ---------------------------------------------------------------- uses
    def uses(self, target: ast.Name) -> List[ast.Name]:
        """Loads of the variable bound by `target`, in the same scope, after it."""
        scope = self.module.scope_of(target)
        loads = self._load_index().get((id(scope), target.id), [])
        line = target.lineno
        return [n for n in loads if n.lineno >= line and n is not target]

    def _load_index(self) -> Dict[Tuple[int, str], List[ast.Name]]:
        if self._loads is None:
            index: Dict[Tuple[int, str], List[ast.Name]] = {}
            for node in self.module.nodes_of(ast.Name):
                if isinstance(node.ctx, ast.Load):
                    scope = self.module.scope_of(node)
                    owner, _ = self.module.lookup(node.id, scope)
                    if owner is not None:
                        index.setdefault((id(owner), node.id), []).append(node)
            self._loads = index
        return self._loads

    def scope_of(self, node: ast.AST) -> Scope:
        return self.module.scope_of(node)
