"""What the algorithm rules (CRY602 key sizes, CRY603 RSA padding, CRY604
signature hashes, CRY605 HMAC digests) share: finding the library object an
argument names, and naming another one in the file's own style for a fix.

- `find(ctx, expr)`: follows an argument through local variables, module
  constants and `self.` attributes set once, to the string, the call
  (`hashes.SHA1()`, `SHA1.new(data)`) or the imported name (`hashlib.md5`,
  `ecdsa.NIST192p`) it is.
- `hash_algorithm(ctx, ref)`: the hash such a reference names, however the
  library takes it (a name, a `cryptography` hash object, a hashlib
  constructor, a PyCryptodome hash module or object).
- `spell(ctx, at, qualname, ...)`: how to write a library name at `at`, with
  the import that needs.
- `swap(ctx, ref, new)`: an edit that names `new` instead of what `ref` names
  (`hashes.SHA1()` -> `hashes.SHA256()`, `"md5"` -> `"sha256"`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.scopes import Binding, Scope
from cryptolint.context import Context
from cryptolint.diagnostic import Edit, Import

_MAX_DEPTH = 6
#: Modules whose members a fix writes through the module's name: the names
#: of `cryptography`'s hash classes (`SHA256`, `MD5`) are also PyCryptodome's
#: hash modules, and two fixes in one file must not import both.
_MODULE_STYLE = frozenset({"cryptography.hazmat.primitives.hashes"})


@dataclass(frozen=True)
class Ref:
    """An argument that names a library object, and where that name is written."""

    #: The expression at the call.
    argument: ast.expr
    #: What it names (`cryptography.hazmat.primitives.hashes.SHA1`), without
    #: `()`; None for a string.
    qualname: Optional[str]
    #: The string, for objects named by a string (`"md5"`, `"P-192"`).
    text: Optional[str]
    #: The Name/Attribute that names the object, or the string constant.
    node: ast.expr
    #: The call made of `node` (`hashes.SHA1()`, `SHA1.new(data)`), if any.
    call: Optional[ast.Call] = None

    @property
    def inline(self) -> bool:
        """Written in the argument itself rather than bound elsewhere."""
        return self.argument is self.node or self.argument is self.call

    @property
    def written(self) -> ast.expr:
        """The whole expression that makes the object."""
        return self.call if self.call is not None else self.node


def find(ctx: Context, expr: Optional[ast.expr]) -> Optional[Ref]:
    """The string, call or imported name that `expr` is, following names bound once."""
    if expr is None:
        return None
    return _find(ctx, expr, expr, 0)


def _find(ctx: Context, argument: ast.expr, expr: ast.expr, depth: int) -> Optional[Ref]:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, bytes)):
        text = expr.value.decode("latin-1") if isinstance(expr.value, bytes) else expr.value
        return Ref(argument, None, text, expr)
    if isinstance(expr, ast.Call):
        name = ctx.call_name(expr)
        return Ref(argument, name, None, expr.func, expr) if name is not None else None
    value: Optional[ast.expr] = None
    if isinstance(expr, ast.Name):
        value = ctx.module.single_value(expr.id, ctx.module.scope_of(expr))
    elif isinstance(expr, ast.Attribute):
        value = ctx.module.attribute_value(expr)
    else:
        return None
    if value is not None:
        return _find(ctx, argument, value, depth + 1)
    name = ctx.resolve(expr)
    if name is None or name.startswith("builtins.") or "()" in name:
        return None
    return Ref(argument, name, None, expr)


# ------------------------------------------------------------------ hashes
def normalise_hash_name(text: str) -> str:
    """`SHA-1`, `sha1`, `SHA1` -> `sha1`; `md5-sha1` keeps its dash."""
    lowered = text.strip().lower()
    return lowered if lowered in ("md5-sha1", "md5_sha1") else lowered.replace("-", "").replace("_", "")


def hash_algorithm(ctx: Context, ref: Optional[Ref]) -> Optional[str]:
    """The lower-case hash `ref` names, or None."""
    if ref is None:
        return None
    if ref.text is not None:
        return normalise_hash_name(ref.text)
    name = ref.qualname or ""
    if ref.call is not None:
        algorithm = apis.HASH_ALGORITHM_CLASSES.get(name) or apis.HASH_CONSTRUCTORS.get(name)
        if algorithm is None and name in apis.HASH_BY_NAME:
            text = ctx.values.string(apis.argument(ref.call, apis.HASH_BY_NAME[name], "algorithm"))
            algorithm = normalise_hash_name(text) if text else None
        return algorithm
    # A hashlib constructor, a `cryptography` hash class, a PyCryptodome module.
    return apis.HASH_CONSTRUCTORS.get(name) or apis.HASH_ALGORITHM_CLASSES.get(name) or apis.HASH_CONSTRUCTORS.get(f"{name}.new")


def sha256_name(ref: Ref) -> Optional[str]:
    """SHA-256 spelled as `ref`'s library names its hashes (`sha256` for
    hashlib, `SHA256` for `cryptography` and PyCryptodome, `SHA-256` for a
    name written with a dash), or None when the library has no such name."""
    if ref.text is not None:
        if "-" in ref.text:
            return "SHA-256"
        return "SHA256" if ref.text.isupper() else "sha256"
    name = _target_name(ref)
    if name is None or not _names_a_hash(name):
        return None  # `hashlib.new("md5")`: the name is not the hash's
    module, _, last = name.rpartition(".")
    new = "SHA256" if last.upper() == last else "sha256"
    return new if _names_a_hash(f"{module}.{new}") else None


def _names_a_hash(qualname: str) -> bool:
    """A hashlib constructor, a `cryptography` hash class, a PyCryptodome hash module."""
    return (
        qualname in apis.HASH_CONSTRUCTORS
        or qualname in apis.HASH_ALGORITHM_CLASSES
        or f"{qualname}.new" in apis.HASH_CONSTRUCTORS
    )


# ------------------------------------------------------------------- edits
def _target(ref: Ref) -> ast.expr:
    """The name a swap rewrites: `SHA1` in `SHA1.new(data)`, else the name itself."""
    node = ref.node
    if ref.call is not None and isinstance(node, ast.Attribute) and node.attr == "new":
        return node.value
    return node


def _target_name(ref: Ref) -> Optional[str]:
    """The qualified name of `_target(ref)`."""
    name = ref.qualname
    if name is not None and _target(ref) is not ref.node and name.endswith(".new"):
        return name[: -len(".new")]
    return name


def swap(ctx: Context, ref: Ref, new: str) -> Optional[Tuple[Edit, Tuple[Import, ...]]]:
    """An edit making `ref` name `new` (the last part of a name, or a whole
    string) instead.  Where the argument writes the name, it is rewritten in
    place; otherwise the argument is replaced by a copy spelled for the call
    (a constant may have other users), except for objects made with
    arguments (`h = SHA1.new(data)`), rewritten in their binding when that
    is in the same function."""
    if ref.text is not None:
        return Edit(ctx.span(ref.argument), _escape(quoted(ctx, ref.node, new))), ()
    target = _target(ref)
    name = _target_name(ref)
    if name is None or not isinstance(target, (ast.Name, ast.Attribute)):
        return None
    module = name.rpartition(".")[0]
    made_with_arguments = ref.call is not None and bool(ref.call.args or ref.call.keywords)
    if ref.inline or made_with_arguments:
        if not ref.inline and not _same_function(ctx, ref.written, ref.argument):
            return None
        if isinstance(target, ast.Attribute):
            return Edit(ctx.span(target), "{0}." + new, (ctx.span(target.value),)), ()
        in_place = spell(ctx, target, f"{module}.{new}", prefer_module=False)
        return (Edit(ctx.span(target), in_place[0]), in_place[1]) if in_place is not None else None
    spelled = spell(ctx, ref.argument, f"{module}.{new}", prefer_module=isinstance(target, ast.Attribute))
    if spelled is None:
        return None
    text, imports = spelled
    return Edit(ctx.span(ref.argument), text + ("()" if ref.call is not None else "")), imports


def quoted(ctx: Context, constant: ast.expr, text: str) -> str:
    """`text` as a literal written like `constant` (its prefix and quotes)."""
    source = ctx.source(constant)
    prefix = ""
    while source and source[0] in "bBrRuU":
        prefix += source[0]
        source = source[1:]
    quote = source[0] if source[:1] in ("'", '"') else '"'
    return f"{prefix}{quote}{text}{quote}"


def _escape(text: str) -> str:
    """`text` as an edit template (literal braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def _same_function(ctx: Context, a: ast.AST, b: ast.AST) -> bool:
    func = ctx.module.enclosing_function(a)
    return func is not None and func is ctx.module.enclosing_function(b)


def spell(ctx: Context, at: ast.AST, qualname: str, prefer_module: bool) -> Optional[Tuple[str, Tuple[Import, ...]]]:
    """How to write `qualname` at `at`: a name already imported for it
    (`SHA256` after `from Crypto.Hash import SHA256`), or its module's name
    and the member (`hashes.SHA256`), else with the import to add: the
    module (`from cryptography.hazmat.primitives import hashes`, `import
    hashlib`) when `prefer_module`, otherwise the member itself.  None when
    the name that import would bind means something else in the module."""
    module, _, member = qualname.rpartition(".")
    prefer_module = prefer_module or module in _MODULE_STYLE
    direct = _imported_as(ctx, at, qualname)
    if direct is not None:
        return direct, ()
    owner = _imported_as(ctx, at, module)
    if owner is not None:
        return f"{owner}.{member}", ()
    if not prefer_module:
        return (member, (Import(module, member),)) if _free(ctx, member, qualname) else None
    parent, _, last = module.rpartition(".")
    if not _free(ctx, last if parent else module.split(".")[0], module if parent else module.split(".")[0]):
        return None
    if parent:
        return f"{last}.{member}", (Import(parent, last),)
    return f"{module}.{member}", (Import(module),)


def _free(ctx: Context, name: str, qualname: str) -> bool:
    """Whether importing `qualname` as `name` clashes with nothing: no scope
    binds `name` other than by importing that same thing."""
    for scope in ctx.module.scopes.values():
        for binding in scope.bindings.get(name, []):
            if binding.kind != "import" or binding.qualname != qualname:
                return False
    return True


def _imported_as(ctx: Context, at: ast.AST, qualname: str) -> Optional[str]:
    """A name visible at `at` that only imports bind, to `qualname`."""
    module = ctx.module
    scope = module.scope_of(at)
    candidates: List[str] = []
    current: Optional[Scope] = scope
    while current is not None:
        for name, bindings in current.bindings.items():
            if _imports(bindings, qualname):
                candidates.append(name)
        current = current.parent
    preferred = qualname.rpartition(".")[2]
    for name in sorted(candidates, key=lambda n: (n != preferred, n)):
        if _imports(module.lookup(name, scope)[1], qualname):
            return name
    return None


def _imports(bindings: List[Binding], qualname: str) -> bool:
    return bool(bindings) and all(b.kind == "import" and b.qualname == qualname for b in bindings)


def fixed_by_protocol(ctx: Context, node: ast.AST) -> bool:
    """Whether a protocol's specification fixes the primitive at `node`: the
    file, or a class or function around `node`, is named for one (`ntlm.py`,
    `class KerberosCrypto`, `def auth_cram_md5`), or the module imports an
    implementation of one (paramiko: SSH fixes `ssh-dss` to SHA-1).  A fix
    there would break every peer, so none is offered."""
    for part in ctx.path.replace("\\", "/").split("/"):  # whole words: `/home/smbecker/` is no SMB
        name = part.rsplit(".", 1)[0] if part.endswith((".py", ".pyi")) else part
        if name in apis.PROTOCOL_PACKAGES or set(_words(name)) & apis.PROTOCOL_FIXED_WORDS:
            return True
    for ancestor in ctx.module.ancestors(node):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if any(word.startswith(start) for word in _words(ancestor.name) for start in apis.PROTOCOL_FIXED_WORDS):
                return True
    for imported in ctx.module.nodes_by_type.get(ast.Import, []) + ctx.module.nodes_by_type.get(ast.ImportFrom, []):
        if isinstance(imported, ast.ImportFrom):
            modules = [imported.module or ""] if not imported.level else []
        else:
            modules = [alias.name for alias in imported.names]  # type: ignore[attr-defined]
        if any(m.split(".")[0] in apis.PROTOCOL_PACKAGES for m in modules):
            return True
    return False


def _words(name: str) -> List[str]:
    return "".join(c if c.isalnum() else " " for c in name.lower()).split()
