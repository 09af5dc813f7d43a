"""What the secrets-in-source rules (CRY301-CRY303) share.

- `trace(ctx, expr, deep)`: the literal an expression is made of, followed
  through names bound once (local variables, module constants, `self.` and
  class attributes), `.encode()`/`.decode()`, base64/hex decoding and constant
  folding (`b"\\x00" * 16`, `bytes(16)`, `b"".join([...])`), and parameters
  never rebound to their default.  With `deep`, also
  through transformations that keep a value literal-derived without being
  folded (base64/hex *encoding*, a hash digest of a literal, padding and
  slicing): a key hashed from a literal is still a key written in the source.
- `env_fix(ctx, site, name)`: the fix all three rules offer: the literal
  becomes `os.environ["NAME"]` (`.encode()` where bytes were used).
- `env_name(identifier)`: `apiKey`, `api_key`, `app.secret_key` -> `API_KEY`...
"""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Union

from cryptolint.analysis import apis
from cryptolint.analysis.names import split_words
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Edit, Fix, Import

_MAX_DEPTH = 8

#: Calls that decode their first argument (folded by `ctx.values.constant`).
_DECODERS = frozenset(
    {
        "base64.b64decode", "base64.urlsafe_b64decode", "base64.standard_b64decode",
        "base64.b32decode", "base64.b16decode", "binascii.unhexlify", "binascii.a2b_hex",
        "binascii.a2b_base64", "builtins.bytes.fromhex", "builtins.bytearray.fromhex",
        "codecs.decode",
    }
)
#: Calls whose result is made only from their first argument (for `deep`).
_ENCODERS = frozenset(
    {
        "base64.b64encode", "base64.urlsafe_b64encode", "base64.standard_b64encode",
        "base64.b32encode", "base64.b16encode", "base64.b85encode", "binascii.hexlify",
        "binascii.b2a_hex", "binascii.b2a_base64", "codecs.encode", "builtins.bytes",
        "builtins.bytearray", "builtins.str", "builtins.memoryview",
    }
)
#: String/bytes methods whose result is made from the receiver (for `deep`).
_LITERAL_METHODS = frozenset({"ljust", "rjust", "zfill", "strip", "rstrip", "lstrip", "upper", "lower", "center"})

Text = Union[str, bytes]


@dataclass(frozen=True)
class LiteralSite:
    """Where a literal that a value is made of sits in the source.

    `node` is the expression a fix replaces: the literal itself, or an
    expression folded only from literals (`b"\\x00" * 16`).  `value` is the
    value of `node`.  `via` is the name the literal is bound to when it was
    reached through a variable, constant or attribute (the innermost one);
    None when it is written where it is used.
    """

    node: ast.expr
    value: Text
    via: Optional[str] = None
    #: The literal is in another module (`config.DATA_KEY`): `node` is the
    #: name here, and no fix is offered (the literal is not in this file).
    foreign: bool = False


def trace(ctx: Context, expr: Optional[ast.AST], deep: bool = False, _depth: int = 0, _via: Optional[str] = None) -> Optional[LiteralSite]:
    """The literal `expr` is made of, or None if it is not made of literals."""
    if expr is None or _depth > _MAX_DEPTH:
        return None
    if isinstance(expr, ast.Constant):
        if isinstance(expr.value, (str, bytes)):
            return LiteralSite(expr, expr.value, _via)
        return None
    if isinstance(expr, (ast.Name, ast.Attribute)):
        if isinstance(expr, ast.Name):
            value = ctx.module.single_value(expr.id, ctx.module.scope_of(expr)) or _default_of(ctx, expr)
        else:
            value = ctx.module.attribute_value(expr)
        if value is not None:
            return trace(ctx, value, deep, _depth + 1, expr.id if isinstance(expr, ast.Name) else expr.attr)
        imported = ctx.values.foreign_constant(expr)
        if imported is not None and isinstance(imported.value, (str, bytes)):
            shown = ctx.module.resolve(expr) or ""
            return LiteralSite(expr, imported.value, shown.lstrip(".") or None, foreign=True)
        return None
    if isinstance(expr, ast.Call):
        inner = _call_inner(ctx, expr, deep)
        if inner is not None:
            found = trace(ctx, inner, deep, _depth + 1, _via)
            if found is not None:
                return found
    if deep and isinstance(expr, ast.Subscript) and isinstance(expr.slice, (ast.Slice, ast.Constant)):
        return trace(ctx, expr.value, deep, _depth + 1, _via)
    if isinstance(expr, (ast.BinOp, ast.JoinedStr, ast.Call)):
        folded = ctx.values.constant(expr)
        if folded is not None and isinstance(folded.value, (str, bytes)):
            return LiteralSite(expr, folded.value, _via)
    return None


def _default_of(ctx: Context, name: ast.Name) -> Optional[ast.expr]:
    """The default of the parameter `name` reads, when the function never
    rebinds it: `def start(authkey="secret password"): Listener(authkey=authkey)`
    uses the literal whenever a caller leaves it out."""
    _, bindings = ctx.module.lookup(name.id, ctx.module.scope_of(name))
    if len(bindings) == 1 and bindings[0].kind == "param":
        return bindings[0].value
    return None


def _call_inner(ctx: Context, call: ast.Call, deep: bool) -> Optional[ast.expr]:
    """The argument or receiver a literal-preserving call is made from."""
    func = call.func
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if isinstance(func, ast.Attribute):
        if func.attr in ("encode", "decode") and len(call.args) <= 1:
            return func.value
        if deep and func.attr in _LITERAL_METHODS:
            return func.value
        if deep and func.attr in apis.DIGEST_METHODS and isinstance(func.value, ast.Call) and not call.args:
            return _hashed_data(ctx, func.value)
    name = ctx.call_name(call)
    if name in _DECODERS and len(call.args) >= 1:
        return call.args[0]
    if deep and name in _ENCODERS and len(call.args) == 1:
        return call.args[0]
    return None


def _hashed_data(ctx: Context, call: ast.Call) -> Optional[ast.expr]:
    """The data argument of `hashlib.sha256(data)` / `hashlib.new(name, data)`."""
    name = ctx.call_name(call)
    if name in apis.HASH_CONSTRUCTORS:
        if call.args:
            return call.args[0]
        for kw in call.keywords:
            if kw.arg in ("data", "string"):
                return kw.value
        return None
    if name == "hashlib.new" and len(call.args) >= 2:
        return call.args[1]
    return None


def in_default(ctx: Context, node: ast.AST) -> bool:
    """Whether `node` is (inside) a parameter's default."""
    return any(isinstance(a, ast.arguments) for a in ctx.module.ancestors(node))


# ------------------------------------------------------------------ fixes
def env_name(identifier: str) -> str:
    """The environment variable named after `identifier` (`apiKey` -> `API_KEY`)."""
    last = identifier.rsplit(".", 1)[-1]
    words: List[str] = []
    for part in last.replace("-", "_").replace(" ", "_").split("_"):
        words.extend(split_words(part) or ((part,) if part.isdigit() else ()))
    name = "_".join(w.upper() for w in words if w)
    if not name or not (name[0].isalpha() or name[0] == "_"):
        name = f"SECRET_{name}" if name else "SECRET"
    return name


def numbered_name(base: str, value: Text, named: Sequence[Tuple[str, Text]]) -> str:
    """`base`, numbered when the file has several different literals that
    would share it (`named`: every (name, value) in source order).  The same
    literal used twice (encrypt and decrypt, hash and verify) shares one name."""
    values: List[Text] = []
    for name, other in named:
        if name == base and other not in values:
            values.append(other)
    if len(values) > 1 and value in values:
        return f"{base}_{values.index(value) + 1}"
    return base


def is_text_bytes(value: bytes) -> bool:
    """Bytes that an environment variable can carry as text."""
    printable = set(string.printable.encode()) - set(b"\t\n\r\x0b\x0c")
    return all(b in printable for b in value)


def env_template(name: str, value: Text) -> str:
    """`os.environ["NAME"]` shaped to stand where `value` was."""
    read = f'os.environ["{name}"]'
    if isinstance(value, bytes):
        if is_text_bytes(value):
            return f"{read}.encode()"
        return f"bytes.fromhex({read})"
    return read


def env_fix(ctx: Context, site: LiteralSite, name: str) -> Optional[Fix]:
    """Replace the literal at `site` with a read of an environment variable
    named after the module and `name` (numbered when different literals of
    the file would share it), or None where no such fix is right: test code
    (a fixture password must not make the suite need a variable), values
    that are not secrets to move (see `movable`), and a parameter's default
    (which the fixer cannot reach by position and where a read would run
    once, at import), and a literal that lives in another module."""
    if site.foreign or ctx.is_test_file or in_default(ctx, site.node) or not movable(site.value, name):
        return None
    variable = env_variable(ctx, name, site.value)
    template = env_template(variable, site.value).replace("{", "{{").replace("}", "}}")
    return Fix(
        title=f"Read `{variable}` from the environment (the variable must be set wherever this runs)",
        applicability=Applicability.UNSAFE,
        edits=(Edit(ctx.span(site.node), template),),
        add_imports=(Import("os"),),
    )


def movable(value: Text, name: str) -> bool:
    """Whether a literal is a secret worth moving to the environment: not
    prose (a label or a sentence: words with a capital first letter, closing
    punctuation or a format field; a lower-case passphrase is a secret), not
    an identifier that repeats its own name (`PASSWORD = "password"`, a field
    or attribute id), not a placeholder of a few characters."""
    if isinstance(value, bytes) and not is_text_bytes(value):
        return True  # binary key material
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if len(text) < 4:
        return False
    if any(ch.isspace() for ch in text) and (text[0].isupper() or text[-1] in ".:?!" or "%" in text or "{" in text):
        return False
    words = [w.lower() for w in split_words(text) if w]
    return not words or words != [w.lower() for w in split_words(name.rsplit(".", 1)[-1])]


def module_word(path: str) -> str:
    """The module's name for environment variables (`accounts/settings.py`
    -> `SETTINGS`, a package's `__init__.py` -> the package), or ""."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if not parts or not parts[-1].endswith((".py", ".pyi")):
        return ""
    stem = parts[-1].rsplit(".", 1)[0]
    if stem == "__init__":
        stem = parts[-2] if len(parts) > 1 else ""
    return env_name(stem) if stem and stem.isidentifier() else ""


def env_variable(ctx: Context, name: str, value: Text) -> str:
    """`MODULE_NAME`, and `MODULE_NAME_2`, `_3`... for further different
    literals of this file that would get the same name (the same literal
    used twice keeps one name), in the order the rules meet them."""
    prefix = module_word(ctx.path)
    base = name
    if prefix and base != prefix and not base.startswith(prefix + "_"):
        base = f"{prefix}_{base}"
    seen = _env_values(ctx).setdefault(base, [])
    if value not in seen:
        seen.append(value)
    index = seen.index(value)
    return base if index == 0 else f"{base}_{index + 1}"


def _env_values(ctx: Context) -> Dict[str, List[Text]]:
    """The literals given each variable name so far in this file (one table
    per file, shared by CRY301-CRY303 so that their names never collide)."""
    table = ctx.__dict__.get("_env_values")
    if table is None:
        table = ctx.__dict__["_env_values"] = {}
    return table
