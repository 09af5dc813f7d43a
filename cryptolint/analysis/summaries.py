"""What each function returns and where its parameters go: function summaries.

A summary is a small piece of data per function, method and property of a
module: the kind of value it returns (`RETURN_NATURES`) and the API it comes
from, and the role each parameter plays (a key, nonce, IV, salt, password or
a compared value).  Per module, the constants bound once to a literal whose
name says what they are (`DATA_KEY = b"..."`, `NONCE = bytes(12)`).

Rules ask `Summaries.of_call(call)` ("what does this call return?"),
`Summaries.param_role(call, arg)` ("what does this argument become?") and
`Values.constant` (which asks `foreign` for module constants of other
files).  Inside one module the answers come from the module's own functions,
in every front end.  `cryptolint check` also hands the engine the summaries
of the project modules a file imports (`foreign`, keyed by the qualified name
as the file spells it: `.settings.DATA_KEY`, `config.NONCE`,
`shop.util.random_string`); see `cryptolint.project`.

Summaries are plain frozen data (strings, bytes, ints and tuples) so that the
CLI can cache them with a file's findings and send them between processes.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple, Union

from cryptolint.analysis import apis
from cryptolint.analysis.names import SecretName, classify, is_secret_maker, split_words
from cryptolint.analysis.scopes import Module
from cryptolint.analysis.values import Values

#: What a function can be known to return, strongest evidence first (not API
#: `Kind`s: the nature of a value, whatever API made it).
RETURN_NATURES = ("insecure-random", "mac", "kdf", "digest", "csprng", "input", "literal")
#: Roles a parameter can flow into.
PARAM_ROLES = ("key", "nonce", "iv", "salt", "password", "compare")
_RANK = {kind: index for index, kind in enumerate(RETURN_NATURES)}
_MAX_DEPTH = 6

#: Methods that pass a value through unchanged in nature.
_CARRIER_METHODS = frozenset(
    "join encode decode hex format upper lower strip rstrip lstrip zfill rjust ljust replace to_bytes tobytes".split()
)
_CARRIER_CALLS = frozenset(
    "builtins.str builtins.bytes builtins.bytearray builtins.int builtins.hex builtins.format builtins.repr "
    "base64.b64encode base64.urlsafe_b64encode base64.b32encode base64.b16encode binascii.hexlify "
    "binascii.b2a_hex".split()
)
#: Roots of framework request objects and the attributes that hold input.
REQUEST_ROOTS = frozenset({"request", "req", "flask", "environ"})
REQUEST_PARTS = frozenset(
    "args form values json data files headers cookies GET POST META COOKIES body query_params path_params "
    "query match_info query_arguments body_arguments arguments get_json get_data get_argument get_body_argument "
    "get_query_argument get_cookie get_secure_cookie post text environ headers_in".split()
)
#: Methods that read from a socket, a websocket or a stream peer.
SOCKET_READS = frozenset(
    "recv recv_into recvfrom recv_bytes receive receive_str receive_bytes receive_text receive_json readline".split()
)

Literal = Union[str, bytes, int, float, bool, None]


@dataclass(frozen=True)
class FunctionSummary:
    """What a function returns and where its parameters go."""

    #: `random_string`, `Client._nonce`, `Share.mac` (a property).
    name: str
    #: One of `RETURN_NATURES`, or "" (nothing known).
    returns: str = ""
    #: The API the value comes from (`random.choice`, `hmac.new`).
    source: str = ""
    #: (parameter, role) for each parameter that flows into a role.
    params: Tuple[Tuple[str, str], ...] = ()
    #: Parameter names in order (without `self`/`cls` of methods).
    signature: Tuple[str, ...] = ()
    #: The function's own name says it makes a secret (`new_token`): the
    #: randomness inside it is reported there, not at its callers.
    secret_named: bool = False
    is_property: bool = False
    #: It returns (a transformation of) its first parameter: `b(text)`.
    passes_first: bool = False

    def role_of_param(self, name: str) -> str:
        return next((role for param, role in self.params if param == name), "")


@dataclass(frozen=True)
class ConstantSummary:
    """A module constant bound once to a literal, under a telling name."""

    name: str
    value: Literal
    line: int


Entry = Union[FunctionSummary, ConstantSummary]


@dataclass(frozen=True)
class ModuleSummary:
    functions: Tuple[FunctionSummary, ...] = ()
    constants: Tuple[ConstantSummary, ...] = ()
    #: What the module imports, as its bindings spell it (`config`,
    #: `.settings`, `shop.util.random_string`): where `foreign` entries can come from.
    imports: Tuple[str, ...] = ()

    def entries(self) -> Dict[str, Entry]:
        """Exported entries by dotted name inside the module (`Client.sign`)."""
        found: Dict[str, Entry] = {c.name: c for c in self.constants}
        found.update((f.name, f) for f in self.functions)
        return found

    @property
    def empty(self) -> bool:
        return not (self.functions or self.constants)


def merge(kinds: List[Tuple[str, str]]) -> Tuple[str, str]:
    """The strongest (kind, source) of several; literal only when all are."""
    known = [k for k in kinds if k[0]]
    if not known:
        return "", ""
    if any(k[0] == "literal" for k in known) and not all(k[0] == "literal" for k in known):
        known = [k for k in known if k[0] != "literal"]
    return min(known, key=lambda k: _RANK[k[0]])


def joined(kinds: List[Tuple[str, str]]) -> Tuple[str, str]:
    """The kind of a value made by joining parts: predictable if any part is
    predictable output of `random`; else what every non-literal part is
    (`"sha256=" + mac`), unknown when the parts differ (`iv + ciphertext`)."""
    random_part = next((k for k in kinds if k[0] == "insecure-random"), None)
    if random_part is not None:
        return random_part
    kinds = [k for k in kinds if k[0] != "literal"] or kinds
    if kinds and all(k[0] and k[0] == kinds[0][0] for k in kinds):
        return kinds[0]
    return "", ""


class Summaries:
    """The summaries of one module's functions, and of imported project ones."""

    def __init__(self, module: Module, values: Values, extra: FrozenSet[str] = frozenset(), excluded: FrozenSet[str] = frozenset(),
                 foreign: Optional[Mapping[str, Entry]] = None) -> None:
        self.module = module
        self.values = values
        self.extra = extra
        self.excluded = excluded
        self.foreign: Mapping[str, Entry] = foreign or {}
        self._by_node: Dict[ast.AST, FunctionSummary] = {}
        self._properties: Optional[Dict[str, List[ast.AST]]] = None
        self._busy: Set[ast.AST] = set()
        self._built = False
        self._by_function: Optional[Dict[ast.AST, Tuple[List[ast.Return], List[ast.Name]]]] = None

    # ------------------------------------------------------------ building
    def _functions(self) -> List[ast.AST]:
        return [n for t in (ast.FunctionDef, ast.AsyncFunctionDef) for n in self.module.nodes_by_type.get(t, [])]

    def _build(self) -> None:
        """Every function's summary (the export needs them all; a rule's
        question computes only the functions it reaches)."""
        if self._built:
            return
        self._built = True
        for func in self._functions():
            self._summary(func)

    def _property_nodes(self) -> Dict[str, List[ast.AST]]:
        """Properties of this module by name, in source order (decorators
        only: no summary is computed to find them)."""
        if self._properties is None:
            self._properties = {}
            for func in self._functions():
                if any(_decorator_name(d) in ("property", "cached_property") for d in getattr(func, "decorator_list", [])):
                    self._properties.setdefault(getattr(func, "name", ""), []).append(func)
        return self._properties

    def _summary(self, func: ast.AST) -> FunctionSummary:
        done = self._by_node.get(func)
        if done is not None:
            return done
        if func in self._busy:
            return FunctionSummary(getattr(func, "name", ""))
        self._busy.add(func)
        try:
            summary = self._compute(func)
        finally:
            self._busy.discard(func)
        self._by_node[func] = summary
        return summary

    def _compute(self, func: ast.AST) -> FunctionSummary:
        name = getattr(func, "name", "")
        owner = self.module.parent(func)
        qualified = f"{owner.name}.{name}" if isinstance(owner, ast.ClassDef) else name
        decorators = getattr(func, "decorator_list", [])
        is_property = any(_decorator_name(d) in ("property", "cached_property") for d in decorators)
        static = any(_decorator_name(d) == "staticmethod" for d in decorators)
        args = func.args  # type: ignore[attr-defined]
        positional = [a.arg for a in list(getattr(args, "posonlyargs", [])) + list(args.args)]
        if isinstance(owner, ast.ClassDef) and positional and not static:
            positional = positional[1:]
        signature = tuple(positional + [a.arg for a in args.kwonlyargs])
        returned = [r.value for r in self._returns(func) if r.value is not None]
        kind, source = merge([self.kind(value) for value in returned])
        passes_first = not kind and len(signature) == 1 and bool(returned) and all(
            self._carried_name(value) == signature[0] for value in returned
        )
        secret_named = is_secret_maker(name, self.extra) is not None or (
            is_property and (classify(name, self.extra, self.excluded) or _NO_ROLE).is_secret
        )
        return FunctionSummary(
            qualified, kind, source, self._param_roles(func, signature), signature, secret_named, is_property, passes_first
        )

    def _carried_name(self, expr: ast.AST) -> str:
        """The variable `expr` is, through carriers: `text.encode("ascii")` -> `text`."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, ast.Name):
                return expr.id
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in _CARRIER_METHODS:
                expr = expr.func.value
            elif isinstance(expr, ast.Call) and len(expr.args) == 1 and self.module.call_name(expr) in _CARRIER_CALLS:
                expr = expr.args[0]
            else:
                return ""
        return ""

    def _index(self) -> Dict[ast.AST, Tuple[List[ast.Return], List[ast.Name]]]:
        """Returns and parameter reads by function, from the module's node
        index: one pass over those nodes for the whole module."""
        if self._by_function is None:
            index: Dict[ast.AST, Tuple[List[ast.Return], List[ast.Name]]] = {}
            for node in self.module.nodes_by_type.get(ast.Return, []):
                scope = self.module.scope_of(node)
                if scope.is_function:
                    index.setdefault(scope.node, ([], []))[0].append(node)  # type: ignore[arg-type]
            for node in self.module.nodes_by_type.get(ast.Name, []):
                if not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                    continue
                scope = self.module.scope_of(node)
                if not scope.is_function:
                    continue
                bindings = scope.bindings.get(node.id)  # type: ignore[attr-defined]
                if bindings and all(b.kind == "param" for b in bindings):
                    index.setdefault(scope.node, ([], []))[1].append(node)  # type: ignore[arg-type]
            self._by_function = index
        return self._by_function

    def _returns(self, func: ast.AST) -> List[ast.Return]:
        return self._index().get(func, ([], []))[0]

    def _param_roles(self, func: ast.AST, signature: Tuple[str, ...]) -> Tuple[Tuple[str, str], ...]:
        roles: List[Tuple[str, str]] = []
        wanted = set(signature)
        if not wanted:
            return ()
        seen: Dict[str, str] = {}
        for node in self._index().get(func, ([], []))[1]:
            if node.id in seen or node.id not in wanted:
                continue
            role = self._role_of_use(node)
            if role:
                seen[node.id] = role
        for param in signature:
            if param in seen:
                roles.append((param, seen[param]))
        return tuple(roles)

    def _role_of_use(self, node: ast.expr) -> str:
        """What the parameter read at `node` becomes: an API argument, or a compared side."""
        child: ast.AST = node
        for _ in range(4):
            parent = self.module.parent(child)
            if parent is None:
                return ""
            if isinstance(parent, ast.Call) and child is not parent.func:
                return self._api_argument_role(parent, child)
            if isinstance(parent, ast.keyword):
                call = self.module.parent(parent)
                return self._api_argument_role(call, child) if isinstance(call, ast.Call) else ""
            if isinstance(parent, ast.Compare):
                return "compare" if any(isinstance(op, (ast.Eq, ast.NotEq)) for op in parent.ops) else ""
            if isinstance(parent, ast.Attribute) and parent.attr in ("encode", "decode"):
                child = self.module.parent(parent) or parent  # `key.encode()`
                continue
            return ""
        return ""

    def _api_argument_role(self, call: ast.Call, arg: ast.AST) -> str:
        name = self.module.call_name(call)
        if name:
            for table in (apis.KEYED_APIS, apis.NONCE_APIS, apis.KDF_APIS, apis.PASSWORD_HASH_APIS):
                api = table.get(name)
                if api is None:
                    continue
                for role in api.params:
                    if role in ("key", "keys", "nonce", "iv", "salt", "password") and apis.argument(call, api, role) is arg:
                        return "key" if role == "keys" else role
        return ""

    # ------------------------------------------------------------- queries
    def kind(self, expr: Optional[ast.AST], depth: int = 0) -> Tuple[str, str]:
        """(kind, source) of the value `expr` holds, as far as it is known."""
        if expr is None or depth > _MAX_DEPTH:
            return "", ""
        if isinstance(expr, ast.Constant):
            return ("literal", "") if isinstance(expr.value, (str, bytes)) else ("", "")
        if isinstance(expr, ast.Call):
            return self._call_kind(expr, depth)
        if isinstance(expr, ast.Name):
            values = self.values.assigned_values(expr)
            if values:
                return merge([self.kind(v, depth + 1) for v in values])
            const = self._foreign_constant(self.module.resolve(expr))
            return ("literal", "") if const is not None else ("", "")
        if isinstance(expr, ast.Attribute):
            if reads_request(expr):
                return "input", ""
            value = self.module.attribute_value(expr)
            if value is not None:
                return self.kind(value, depth + 1)
            prop = self.property_named(expr.attr)
            if prop is not None:
                return prop.returns, prop.source
            if self._foreign_constant(self.module.resolve(expr)) is not None:
                return "literal", ""
            return "", ""
        if isinstance(expr, ast.Subscript):
            if reads_request(expr):
                return "input", ""
            return self.kind(expr.value, depth + 1)
        if isinstance(expr, (ast.BinOp, ast.JoinedStr)):
            parts = [expr.left, expr.right] if isinstance(expr, ast.BinOp) else [
                v.value if isinstance(v, ast.FormattedValue) else v for v in expr.values
            ]
            return joined([self.kind(p, depth + 1) for p in parts])
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return self.kind(expr.elt, depth + 1)
        if isinstance(expr, ast.IfExp):
            return merge([self.kind(expr.body, depth + 1), self.kind(expr.orelse, depth + 1)])
        if isinstance(expr, ast.Await):
            return self.kind(expr.value, depth + 1)
        return "", ""

    def _call_kind(self, call: ast.Call, depth: int) -> Tuple[str, str]:
        name = self.module.call_name(call) or ""
        func = call.func
        if name in apis.INSECURE_RANDOM:
            return "insecure-random", name.replace("()", "")
        if name in apis.FRESH_RANDOM:
            return "csprng", name
        if name == "hmac.digest" or _is_mac_maker(name):
            return "mac", name.split("()")[0]
        if name in apis.KDF_APIS or name in apis.PASSWORD_HASH_APIS:
            return "kdf", name
        if isinstance(func, ast.Attribute):
            if func.attr in ("digest", "hexdigest", "finalize", "derive", "sign"):
                inner = self._call_kind_of_receiver(func.value, depth)
                if inner[0] in ("mac", "kdf"):
                    return inner
                if func.attr == "derive" or (name.split("()")[0] in apis.KDF_APIS):
                    return "kdf", name.split("()")[0]
                if func.attr in ("digest", "hexdigest") and (name.split("()")[0] in apis.HASH_CONSTRUCTORS or inner[0] == "digest"):
                    return "digest", name.split("()")[0]
                return inner if inner[0] == "digest" else ("", "")
            if func.attr in SOCKET_READS and not _is_file_like(func.value):
                return "input", func.attr
            if reads_request(func.value) and func.attr in ("get", "getlist", "pop", "get_json", "get_data"):
                return "input", ""
            if func.attr in _CARRIER_METHODS:
                if func.attr in ("join", "format"):
                    return joined([self.kind(a, depth + 1) for a in call.args])
                return self.kind(func.value, depth + 1)
        if name in _CARRIER_CALLS and call.args:
            return self.kind(call.args[0], depth + 1)
        if name in apis.HASH_CONSTRUCTORS:
            return "digest", name
        summary = self.of_call(call)
        if summary is not None and summary.returns:
            return summary.returns, summary.source
        if name and call.args and not call.keywords and len(call.args) == 1 and "." not in name.rstrip("()"):
            # `b("".join(random.choice(...)))`: an unknown one-argument wrapper of this module
            inner = self.kind(call.args[0], depth + 1)
            if inner[0] == "insecure-random":
                return inner
        return "", ""

    def _call_kind_of_receiver(self, receiver: ast.expr, depth: int) -> Tuple[str, str]:
        if isinstance(receiver, ast.Call):
            return self._call_kind(receiver, depth + 1)
        return self.kind(receiver, depth + 1)

    def of_call(self, call: ast.Call) -> Optional[FunctionSummary]:
        """The summary of the function `call` calls: one of this module, or an
        imported project function (`foreign`), or a property/method known by
        a unique name in this module (`self._sign(...)`)."""
        target = self.module.called_function(call)
        if target is not None:
            return self._summary(target[0])
        name = self.module.call_name(call)
        if name is not None:
            found = self.foreign.get(name)
            if isinstance(found, FunctionSummary):
                return found
        return None

    def param_role(self, call: ast.Call, arg: ast.AST) -> str:
        """The role that `arg`, passed in `call`, plays inside the callee."""
        summary = self.of_call(call)
        if summary is None or not summary.params:
            return ""
        for kw in call.keywords:
            if kw.value is arg and kw.arg:
                return summary.role_of_param(kw.arg)
        if any(isinstance(a, ast.Starred) for a in call.args):
            return ""
        for index, value in enumerate(call.args):
            if value is arg and index < len(summary.signature):
                return summary.role_of_param(summary.signature[index])
        return ""

    def property_named(self, attr: str) -> Optional[FunctionSummary]:
        """A property of this module (or an imported one) named `attr` whose result is known."""
        for func in self._property_nodes().get(attr, ()):
            summary = self._summary(func)
            if summary.returns:
                return summary
        for entry in self.foreign.values():  # `share.mac`, where `Share` comes from a project module
            if isinstance(entry, FunctionSummary) and entry.is_property and entry.returns:
                if entry.name.rsplit(".", 1)[-1] == attr:
                    return entry
        return None

    def _foreign_constant(self, qualname: Optional[str]) -> Optional[ConstantSummary]:
        if not qualname:
            return None
        found = self.foreign.get(qualname)
        return found if isinstance(found, ConstantSummary) else None

    # ------------------------------------------------------------- export
    def module_summary(self, source: Optional[str] = None) -> ModuleSummary:
        """The entries other modules may use: functions whose result or
        parameters are known, and literal constants under a telling name.

        With the module's `source`, functions are summarised only if some
        word a telling summary starts from occurs in it (`may_export`):
        most modules have none, and their functions are left alone."""
        functions: Tuple[FunctionSummary, ...] = ()
        if source is None or may_export(source):
            self._build()
            functions = tuple(
                sorted(
                    (s for node, s in self._by_node.items() if _telling(s) and self._exported(node)),
                    key=lambda s: s.name,
                )
            )
        return ModuleSummary(functions, self._constants(), self._imports())

    def _exported(self, func: ast.AST) -> bool:
        owner = self.module.parent(func)
        return owner is self.module.tree or (isinstance(owner, ast.ClassDef) and self.module.parent(owner) is self.module.tree)

    def _constants(self) -> Tuple[ConstantSummary, ...]:
        found = []
        for name, bindings in self.module.module_scope.bindings.items():
            if len(bindings) != 1 or bindings[0].kind != "assign" or not self._telling(name):
                continue
            const = self.values.constant(bindings[0].value)
            if const is not None and isinstance(const.value, (str, bytes)):
                found.append(ConstantSummary(name, const.value, getattr(bindings[0].node, "lineno", 0)))
        return tuple(sorted(found, key=lambda c: c.name))

    def _telling(self, name: str) -> bool:
        """A constant name that says what the value is for (`DATA_KEY`, `NONCE`)."""
        if classify(name, self.extra, self.excluded) is not None:
            return True
        words = split_words(name)
        return bool(words) and words[-1] in _CONSTANT_WORDS

    def _imports(self) -> Tuple[str, ...]:
        names = set()
        for bindings in self.module.module_scope.bindings.values():
            for binding in bindings:
                if binding.kind == "import" and binding.qualname:
                    names.add(binding.qualname)
        return tuple(sorted(names))


_NO_ROLE = SecretName("", ())
#: Last words of constant names whose literal other modules may use as key material.
_CONSTANT_WORDS = frozenset({"key", "secret", "nonce", "iv", "salt", "token", "password", "pepper", "passphrase", "authkey"})


#: What a function must return for other modules' rules to use it (a plain
#: digest, CSPRNG output or a literal changes no judgement across modules).
_EXPORTED_RETURNS = frozenset({"insecure-random", "mac", "kdf", "input"})


def _telling(summary: FunctionSummary) -> bool:
    """Whether other modules' judgements can use `summary`: each exported
    entry makes its importers be checked twice, so only those that can
    change a finding are."""
    if summary.returns in _EXPORTED_RETURNS and not (summary.returns == "insecure-random" and summary.secret_named):
        return True
    return any(role != "compare" for _, role in summary.params)


def _seed_words() -> FrozenSet[str]:
    """Every word an exported function summary needs in the module's source.

    A telling summary (`_telling`) starts from a call of an API of the
    tables below (its qualified name starts with an imported module the
    source names: `random`, `hmac`, `Crypto`...), a `.derive()` or socket
    read method, or a request read (`request.args`, `self.request.body`,
    `environ[...]`); whatever the module's own functions and properties
    return is made of those."""
    roots = {
        name.split(".", 1)[0]
        for table in (apis.INSECURE_RANDOM, apis.KEYED_APIS, apis.NONCE_APIS, apis.KDF_APIS, apis.PASSWORD_HASH_APIS)
        for name in table
    }
    return frozenset(roots | {"hmac", "derive", "request"} | SOCKET_READS | REQUEST_ROOTS)


_SEEDS = {word: re.compile(r"\b%s\b" % re.escape(word)) for word in sorted(_seed_words())}


def may_export(source: str) -> bool:
    """Whether a function of the module with this `source` can have a
    summary other modules use: False only when no word one starts from
    occurs in it as a whole word (identifiers in NFKC form, as Python reads them)."""
    text = source if source.isascii() else unicodedata.normalize("NFKC", source)
    # A substring test first: most words are absent, and `in` is far cheaper than a search for a whole word.
    return any(word in text and pattern.search(text) is not None for word, pattern in _SEEDS.items())


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_mac_maker(name: str) -> bool:
    base = name.split("()")[0]
    api = apis.KEYED_APIS.get(base)
    return api is not None and api.kind == "mac"


def reads_request(expr: ast.expr) -> bool:
    """`request.args["x"]`, `request.headers.get(...)`, `self.request.body`:
    a part of an HTTP request."""
    node: ast.AST = expr
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            node = node.func
    root = node.id if isinstance(node, ast.Name) else ""
    if parts and parts[-1] == "request" and root == "self":
        return True  # tornado's `self.request.body`
    return root in REQUEST_ROOTS and bool(set(parts) & REQUEST_PARTS)


def _is_file_like(receiver: ast.expr) -> bool:
    ident = receiver.id if isinstance(receiver, ast.Name) else receiver.attr if isinstance(receiver, ast.Attribute) else ""
    return ident in ("f", "fh", "fp", "file", "handle", "stdin", "infile", "stream")


# ---------------------------------------------------------------- as data
def to_data(summary: ModuleSummary) -> Dict[str, Any]:
    """`summary` as JSON-ready data (bytes as `{"hex": ...}`)."""

    def value(v: Literal) -> object:
        return {"hex": v.hex()} if isinstance(v, bytes) else v

    return {
        "functions": [
            [f.name, f.returns, f.source, [list(p) for p in f.params], list(f.signature), f.secret_named, f.is_property, f.passes_first]
            for f in summary.functions
        ],
        "constants": [[c.name, value(c.value), c.line] for c in summary.constants],
        "imports": list(summary.imports),
    }


def from_data(data: object) -> ModuleSummary:
    """The summary `to_data` made; ValueError for anything else."""
    try:
        functions = tuple(
            FunctionSummary(
                _text(n), _text(r), _text(s), tuple((_text(a), _text(b)) for a, b in p), tuple(_text(x) for x in sig),
                _flag(sn), _flag(ip), _flag(pf),
            )
            for n, r, s, p, sig, sn, ip, pf in data["functions"]  # type: ignore[index]
        )
        constants = tuple(
            ConstantSummary(_text(n), bytes.fromhex(v["hex"]) if isinstance(v, dict) else _text(v), int(line))
            for n, v, line in data["constants"]  # type: ignore[index]
        )
        imports = tuple(_text(i) for i in data["imports"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a module summary: {exc}") from None
    return ModuleSummary(functions, constants, imports)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected a bool")
    return value
