"""What one side of a comparison says about secrecy (for CRY401).

Word tables and pure helpers, kept apart from the check so that each module
stays readable: which names are items of a sequence (`prev_token`), which
are typed input (`password2`), which literals look like real credentials,
and which expressions read a request or a user table.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from typing import FrozenSet, Optional

from cryptolint.analysis import apis
from cryptolint.analysis.names import ROLE_WORDS, SECRET_ROLES, SecretName, split_words
from cryptolint.analysis.scopes import Module

# Evidence levels an operand gives that the comparison involves a secret.
EXCLUDED, NONE, WEAK, STRONG = -1, 0, 1, 2

#: Keyed MAC constructors (`hmac.new`, cryptography's `HMAC`...): a digest
#: made by one of them is secret-derived.
MAC_MAKERS = frozenset(name for name, api in apis.KEYED_APIS.items() if api.kind == "mac")
#: Calls whose comparison builds a SQL expression, not a Python bool.
QUERY_CALLS = frozenset(
    "filter filter_by where having join outerjoin exclude get query select on and_ or_ not_ "
    "get_or_create update_or_create first_or_404 one_or_none case".split()
)
QUERY_COMBINERS = frozenset({"and_", "or_", "not_", "Q"})
#: Methods whose equality is structural, not an authentication check.
STRUCTURAL_METHODS = frozenset(
    "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ __hash__ __cmp__ __contains__ _key".split()
)
#: Modifiers that make `key`/`token` a position in a sequence or a lookup key.
ORDINAL_WORDS = frozenset(
    """
    other prev previous next cur curr current last first end start begin open close
    opening closing this that lookahead peek stop eof eol head tail left right lhs
    rhs outer inner parent child sub new old sort dict lookup seen
    identity wildcard sentinel marker special pad bos eos unk sep cls mask eot
    continuation pagination page cursor sync resume progress cancel cancellation
    cache lock version creation idempotency change etag revision
    """.split()
)
#: Function and class names that mark a tokenizer or parser.
LEXICAL_WORDS = frozenset(
    """
    parse parser parsing lex lexer tokenize tokenizer tokenise scan scanner
    grammar tokens expect consume peek lookahead advance accept eat compiler
    highlighter formatter translator
    """.split()
)
#: Words that make the other side of a comparison a candidate checked
#: against a secret (`token == expected`, `stored == provided`).
COUNTERPART_WORDS = frozenset(
    """
    provided given supplied received submitted incoming candidate entered input
    attempt guess presented claimed sent untrusted remote expected stored actual
    computed calculated correct valid known saved real reference good right
    authorization
    """.split()
)
#: Parameter words that name who is checked, not what they present.
IDENTITY_WORDS = frozenset(
    "user username name email mail login phone account uid id kind type old previous new current".split()
)
#: Function-name words of signing calls (`sign`, `compute_hmac`).
SIGNING_WORDS = frozenset({"sign", "signed", "hmac", "mac"})
MAKING_VERBS = frozenset({"compute", "calculate", "calc", "generate", "gen", "make", "create", "build", "expected", "get"})
VERIFYING_WORDS = frozenset({"verify", "check", "validate", "authenticate", "auth", "authorize", "webhook", "valid", "signed"})
#: Modules whose import makes `signature`/`mac`/`digest` names mean crypto.
CRYPTO_MODULES = frozenset(
    "hmac hashlib secrets cryptography crypto cryptodome nacl jwt jose itsdangerous ecdsa rsa openssl base64 binascii passlib bcrypt argon2 webhooks".split()
)
#: Containers that map users to their secrets.
USER_TABLES = frozenset({"users", "accounts", "passwords", "credentials", "tokens", "keys", "secrets", "api", "clients"})
#: Roots of expressions that hold request data.
REQUEST_ROOTS = frozenset({"request", "req", "environ", "headers", "cookies", "flask"})
#: Words that say a `key` is key material, not a lookup key.
SECRET_KEY_WORDS = frozenset(
    """
    api apikey secret private priv signing encryption encrypt decryption decrypt
    access auth hmac mac master shared session license client app psk aes
    symmetric crypto cipher fernet jwt webhook bot
    """.split()
)
#: Words that make a password-like name a stored hash, not typed input.
HASHED_WORDS = frozenset({"hash", "hashed", "digest", "encoded", "crypted", "stored", "db", "saved", "expected"})
#: Words that mark the second copy in a "type it twice" check.
TWICE_WORDS = frozenset(
    """
    confirm confirmation confirmed again repeat repeated retype retyped re verify
    verification verified second new old current previous prev orig original check
    twice other
    """.split()
)
#: Attribute owners that hold user input (a form, a request, parsed arguments).
INPUT_OWNERS = frozenset(
    "self form request data args kwargs params options opts ns namespace cleaned_data payload body values fields attrs validated_data".split()
)
DIGEST_TYPES = {"digest": "bytes", "hexdigest": "ascii", "finalize": "bytes"}
CARRIER_METHODS = frozenset({"encode", "decode", "lower", "upper", "strip", "rstrip", "lstrip", "hex"})
BYTES_ENCODERS = frozenset(
    {"base64.b64encode", "base64.urlsafe_b64encode", "base64.b32encode", "base64.b16encode", "binascii.hexlify", "binascii.b2a_hex"}
)
NON_SECRET_RESULTS = apis.NON_SECRET_RESULTS
WORDY = re.compile(r"[-_.:/ ]")


@dataclass(frozen=True)
class Evidence:
    """What one side of a comparison tells about secrecy."""

    level: int
    #: `name`, `digest` (a computed MAC/hash), `literal`, or `` (nothing).
    kind: str = ""
    #: `bytes` or `ascii` when the value's type is known (for the fix).
    type: Optional[str] = None
    named: Optional[SecretName] = None
    keyed: bool = False
    #: A fast hash of a password: CRY201's comparison, not this rule's.
    of_password: bool = False


NO_EVIDENCE = Evidence(NONE)
EXCLUDED_SIDE = Evidence(EXCLUDED)


def literal_evidence(value: object) -> Evidence:
    """A constant side: excluded unless it looks like a real secret."""
    if value is None or isinstance(value, (bool, int, float)):
        return EXCLUDED_SIDE
    if isinstance(value, bytes):
        try:
            text = value.decode("ascii")
        except UnicodeDecodeError:
            return Evidence(WEAK, "literal", "bytes") if len(value) >= 8 else EXCLUDED_SIDE
        found = literal_evidence(text)
        return Evidence(found.level, found.kind, "bytes") if found.level != EXCLUDED else found
    if not isinstance(value, str) or not secret_looking(value):
        return EXCLUDED_SIDE
    return Evidence(WEAK, "literal", "ascii" if value.isascii() else None)


def secret_looking(text: str) -> bool:
    """`sk_live_4f9a8b7c6d5e`, `password123`; not `set-password`, `(`, `not`."""
    if len(text) < 8 or any(c.isspace() for c in text):
        return False
    for part in WORDY.split(text):
        has_digit = any(c.isdigit() for c in part)
        has_alpha = any(c.isalpha() for c in part)
        if len(part) >= 8 and has_digit and has_alpha:
            return True
        if len(part) >= 20 and part.isalnum() and not part.isalpha():
            return True
        if len(part) >= 24 and re.fullmatch(r"[A-Za-z0-9+/=]+", part) and not part.islower():
            return True
    return False


def name_level(named: SecretName) -> int:
    words = named.words
    if named.role in ("nonce", "iv", "salt"):
        return NONE
    if named.weak or named.role == "session":
        return WEAK  # `session_id` is as often a database or SSH session's number
    modifiers = set(words[:-1])
    if named.role == "digest" and modifiers and modifiers <= ORDINAL_WORDS:
        return EXCLUDED
    if named.role == "digest":
        # `password_hash`, `token_digest`; not `key_hash` (a public key's fingerprint)
        secretish = any(
            (ROLE_WORDS.get(w) in SECRET_ROLES and w != "key") or ROLE_WORDS.get(w) in ("mac", "signature")
            for w in words[:-1]
        )
        return STRONG if secretish else WEAK
    if named.role in ("token", "key", "signature", "mac") and modifiers and modifiers <= ORDINAL_WORDS:
        return EXCLUDED  # `prev_token`, `other_key`, `pad_token`: one item of a sequence
    if named.role == "key":
        return STRONG if modifiers & SECRET_KEY_WORDS or "apikey" in words else WEAK
    return STRONG


def crypto_module(qualname: str) -> bool:
    parts = qualname.lower().split(".")
    return bool(set(parts) & CRYPTO_MODULES) or any(w in p for p in parts for w in ("auth", "sign", "crypt", "secur", "hmac"))


def constant_like(expr: ast.expr) -> bool:
    """`API_TOKEN`, `oauth.SIGNATURE_PLAINTEXT`: a module or class constant."""
    ident = identifier(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    return ident is not None and ident.isupper()


def counterpart(expr: ast.expr) -> bool:
    """A value checked against a secret: named so, or read from a request."""
    ident = identifier(expr)
    if ident is not None and set(split_words(ident)) & COUNTERPART_WORDS:
        return True
    while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(expr, ast.Call):
            expr = expr.func
        else:
            expr = expr.value
    return isinstance(expr, ast.Name) and expr.id in REQUEST_ROOTS


def stored(expr: ast.expr) -> bool:
    """`users[username]`, `self.users.get(name)`: a value looked up in a user table."""
    container: Optional[ast.expr] = None
    if isinstance(expr, ast.Subscript):
        container = expr.value
    elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
        container = expr.func.value
    ident = identifier(container) if container is not None else None
    return ident is not None and bool(set(split_words(ident)) & USER_TABLES)


def retype(inner: Evidence, method: str) -> Evidence:
    kind: Optional[str]
    if method == "encode":
        kind = "bytes"
    elif method == "hex":
        kind = "ascii"
    elif method == "decode":
        kind = "ascii" if inner.type == "bytes" and inner.kind == "digest" else None
    else:
        kind = inner.type
    return replace(inner, type=kind)


def mac_call(name: Optional[str]) -> bool:
    return name is not None and any(name.startswith(maker + "()") for maker in MAC_MAKERS)


def identifier(expr: ast.expr) -> Optional[str]:
    """The name a reader sees: variable, attribute, string key or `.get` key."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return None
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if expr.func.attr in ("get", "pop", "getlist") and expr.args:
            first = expr.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                return first.value
        if expr.func.attr in CARRIER_METHODS:
            return identifier(expr.func.value)
    return None


def password_words(expr: ast.expr) -> Optional[FrozenSet[str]]:
    ident = identifier(expr)
    if ident is None:
        return None
    words = split_words(ident)
    if not any(ROLE_WORDS.get(w) == "password" for w in words):
        return None
    found = set(words)
    if ident.rstrip("_")[-1:].isdigit():
        found.add("#digit")
    return frozenset(found)


def input_like(expr: ast.expr) -> bool:
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in CARRIER_METHODS:
        expr = expr.func.value
    if isinstance(expr, ast.Attribute):
        owner = expr.value
        return isinstance(owner, ast.Name) and owner.id in INPUT_OWNERS
    return isinstance(expr, (ast.Name, ast.Subscript, ast.Call))


def is_column(expr: ast.expr) -> bool:
    """`User.api_key` (a model class attribute) or `table.c.token`."""
    if not isinstance(expr, ast.Attribute) or not expr.attr[:1].islower():
        return False
    owner = expr.value
    if isinstance(owner, ast.Name):
        return owner.id[:1].isupper() and not owner.id.isupper()
    return isinstance(owner, ast.Attribute) and owner.attr in ("c", "columns")


def callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def query_expression(module: Module, node: ast.Compare, left: ast.expr, right: ast.expr) -> bool:
    """`Model.api_key == key` inside `.filter(...)`, or a model column."""
    if is_column(left) or is_column(right):
        return True
    child: ast.AST = node
    for parent in module.ancestors(node):
        if isinstance(parent, ast.Call) and child is not parent.func:
            called = callee(parent)
            if called in QUERY_CALLS:
                return True
            if called not in QUERY_COMBINERS:
                return False
        elif isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.BitAnd, ast.BitOr)):
            pass
        elif not isinstance(parent, (ast.UnaryOp, ast.List, ast.Tuple, ast.Starred, ast.keyword)):
            return False
        child = parent
    return False


def change_check(module: Module, node: ast.Compare, left: ast.expr, right: ast.expr) -> bool:
    """`if self.token != token: self.token = token`: a setter, not a check."""
    stmt = module.parent(node)
    if not isinstance(stmt, ast.If) or stmt.test is not node:
        return False
    sides = {ast.dump(left), ast.dump(right)}
    for child in stmt.body:
        if isinstance(child, ast.Assign) and any(ast.dump(t).replace("Store()", "Load()") in sides for t in child.targets):
            return True
    return False


#: Constant-time comparisons: importing one is what the fix for a compare
#: adds, and says nothing about what the module does.
_COMPARE_ONLY = frozenset({"hmac.compare_digest", "secrets.compare_digest"})


def imports_crypto(module: Module) -> bool:
    """Whether the module imports anything about hashing, signing or auth.

    `hmac` (or `secrets`) used only for `compare_digest` does not count: it
    is what this rule's own fix imports, and a file's findings must not
    change because an earlier fix made it safer."""
    for scope in module.scopes.values():
        for bindings in scope.bindings.values():
            for binding in bindings:
                if binding.kind != "import" or not binding.qualname or not crypto_module(binding.qualname):
                    continue
                if binding.qualname in _COMPARE_ONLY:
                    continue
                if binding.qualname in ("hmac", "secrets") and _used_only_for_compare(module, binding.name):
                    continue
                return True
    return False


def _used_only_for_compare(module: Module, name: str) -> bool:
    """Whether every use of the imported module `name` is `name.compare_digest`."""
    for node in module.nodes_by_type.get(ast.Name, []):
        if getattr(node, "id", None) != name or not isinstance(getattr(node, "ctx", None), ast.Load):
            continue
        parent = module.parent(node)
        if not (isinstance(parent, ast.Attribute) and parent.attr == "compare_digest"):
            return False
    return True
