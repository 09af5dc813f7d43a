"""CRY701: base64, hex or ROT13 passed off as encryption of a secret."""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.flows import CARRIER_CALLS, CARRIER_METHODS, Sink
from cryptolint.analysis.names import SecretName, split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._password_values import HASHED_WORDS, display_name, leaves, password_role, role_of

#: Words of a destination or function that claim the value is protected.
PROTECT_WORDS = frozenset(
    """
    encrypt encrypted encrypts encryption encipher enciphered cipher ciphered
    ciphertext crypt crypted obfuscate obfuscated obfuscation obfuscates
    protect protected protects scramble scrambled hide hidden hides secure
    secured secures conceal concealed
    """.split()
)
#: Verbs that start the name of a function that claims to protect its input.
PROTECT_VERBS = frozenset("encrypt encipher cipher crypt obfuscate protect scramble hide secure conceal".split())
#: Words that claim a value is a hash (a claim only about passwords).
HASH_CLAIM_WORDS = frozenset({"hash", "hashed", "hashes", "digest"})
#: Words of a destination that admit the value is only encoded.
ENCODED_WORDS = frozenset({"b64", "base64", "encoded", "hex", "hexlified", "rot13", "b32", "b16", "b85", "header", "auth", "basic"})
#: Words of a secret's own name that say it is already protected or public.
PROTECTED_SOURCE_WORDS = HASHED_WORDS | frozenset({"wrapped", "sealed", "encrypted", "signed", "public", "pub", "ciphertext"})
#: Calls a function that "only encodes" may make besides the encodings.
_PLAIN_CONVERSIONS = frozenset({"builtins.str", "builtins.bytes", "builtins.bytearray", "json.dumps"})


class EncodingAsEncryption(Check):
    CODE = "CRY701"
    NAME = "encoding-as-encryption"
    CATEGORY = "key-management"
    SUMMARY = "A secret is only base64-, hex- or ROT13-encoded where the code claims to encrypt, hide or hash it."
    MESSAGE = "A secret is only encoded, which anyone can undo; encrypt it (`safe.encrypt`) or, for a password, hash it (`safe.hash_password`)"
    TEST_CODE = TestCode.SKIP
    CWE = (261, 311)
    TRIGGERS = ("base64", "binascii", "codecs", "b64encode", "hexlify")

    def visit_Call(self, node: ast.Call) -> None:
        found = self._encoding(node)
        if found is None:
            return
        encoding, data = found
        if self._joined_with_colon(data):
            return  # `user:password` for HTTP Basic authentication: the protocol
        secret = self._secret(data)
        callee = self.ctx.named(node.func, self.ctx.call_name(node))
        if secret is not None:
            leaf, role = secret
            claim = self._claim(node, role)
            if claim is not None:
                what = display_name(self.ctx, leaf)
                self.report(node, f"{callee} only {encoding}-encodes `{what}` for {claim}, which anyone can decode; {_safer(role)}")
            return
        function = self._encoding_only_function(node, data)
        if function is not None:
            self.report(
                node,
                f"`{function}` only {encoding}-encodes its input, which anyone can decode; "
                "encrypt with a real cipher (`safe.encrypt`, Fernet) or, for passwords, hash (`safe.hash_password`)",
            )

    # ----------------------------------------------------------- the call
    def _encoding(self, call: ast.Call) -> Optional[Tuple[str, ast.expr]]:
        """(encoding, data) for a call that only re-encodes its data."""
        name = self.ctx.call_name(call)
        if name is None:
            return None
        if name in apis.REVERSIBLE_ENCODINGS:
            if call.args and not isinstance(call.args[0], ast.Starred):
                return apis.REVERSIBLE_ENCODINGS[name], call.args[0]
            return None
        api = apis.CODEC_ENCODERS.get(name)
        if api is None:
            return None
        codec = self.ctx.values.string(apis.argument(call, api, "codec"))
        data = apis.argument(call, api, "data")
        encoding = apis.REVERSIBLE_CODECS.get(codec.lower()) if codec else None
        return (encoding, data) if encoding is not None and data is not None else None

    def _joined_with_colon(self, data: ast.expr) -> bool:
        def colon(node: ast.AST) -> bool:
            value = getattr(node, "value", None) if isinstance(node, ast.Constant) else None
            return isinstance(value, (str, bytes)) and (":" in value if isinstance(value, str) else b":" in value)

        return bool(self.ctx.values.sources(data, colon))

    # --------------------------------------------------------- the secret
    def _secret(self, data: ast.expr) -> Optional[Tuple[ast.AST, SecretName]]:
        """A piece of `data` named as a plain secret (not a hash, ciphertext or public key)."""
        for leaf in leaves(self.ctx, data):
            role = password_role(self.ctx, leaf) or role_of(self.ctx, leaf)
            if role is None or not role.is_secret:
                continue
            if PROTECTED_SOURCE_WORDS & set(role.words) or (role.weak and not self._bound_plainly(leaf)):
                continue
            if self.ctx.values.sources(leaf, self._transforming_call):
                continue  # `key = public_key.encrypt(...)`: already protected
            return leaf, role
        return None

    def _bound_plainly(self, leaf: ast.AST) -> bool:
        """A bare `key`/`pin` is taken for a secret only when read from a
        secret-looking attribute or subscript (`self.key`, `form["pin"]`)."""
        return isinstance(leaf, (ast.Attribute, ast.Subscript))

    def _transforming_call(self, node: ast.AST) -> bool:
        """A call that makes new data from its input (a cipher, a hash, a
        signature), as opposed to reading or re-encoding it."""
        if not isinstance(node, ast.Call):
            return False
        name = self.ctx.call_name(node)
        if name in CARRIER_CALLS or name in apis.REVERSIBLE_ENCODINGS or name in apis.CODEC_ENCODERS:
            return False
        func = node.func
        ident = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if ident in CARRIER_METHODS and ident not in ("digest", "hexdigest"):
            return False
        words = set(split_words(ident))
        return bool(words & (PROTECT_WORDS | HASH_CLAIM_WORDS | {"sign", "seal", "wrap", "mac", "hmac", "encrypt", "hexdigest", "derive", "finalize"}))

    # ---------------------------------------------------------- the claim
    def _claim(self, call: ast.Call, role: SecretName) -> Optional[str]:
        """Where the encoded value goes, when that place claims it is protected."""
        for sink in self.ctx.flows.sinks(call):
            claim = self._sink_claim(sink, role)
            if claim is not None:
                return claim
        return None

    def _sink_claim(self, sink: Sink, role: SecretName) -> Optional[str]:
        words = set(split_words(sink.name))
        if words & ENCODED_WORDS:
            return None
        if sink.kind == "return":
            if words & PROTECT_WORDS:
                return f"the value returned by `{sink.name}`"
            return None
        if sink.kind not in ("name", "key", "keyword"):
            return None
        if words & PROTECT_WORDS or role.is_password and words & HASH_CLAIM_WORDS:
            return f"`{sink.name}`"
        if sink.kind == "name" and role.is_password and sink.role is not None and sink.role.is_password and _stored_on_object(sink):
            return f"the stored password field `{sink.name}`"
        return None

    # ------------------------------------------- functions that only encode
    def _encoding_only_function(self, call: ast.Call, data: ast.expr) -> Optional[str]:
        """The name of the function this call is in, when the name says it
        encrypts or obfuscates, the encoded value is what it returns, and
        the function makes no call but encodings and plain conversions."""
        function = self.ctx.module.enclosing_function(call)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        words = split_words(function.name)
        if not words or words[0] not in PROTECT_VERBS:
            return None
        for leaf in leaves(self.ctx, data):
            if PROTECTED_SOURCE_WORDS & set(_words(leaf)):
                return None  # `def encrypt_blob(ciphertext)`: already encrypted
        if not any(s.kind == "return" and s.name == function.name for s in self.ctx.flows.sinks(call)):
            return None
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and node is not call and not self._plain(node):
                return None
        return function.name

    def _plain(self, call: ast.Call) -> bool:
        name = self.ctx.call_name(call)
        if name in apis.REVERSIBLE_ENCODINGS or name in apis.CODEC_ENCODERS or name in _PLAIN_CONVERSIONS:
            return True
        func = call.func
        return isinstance(func, ast.Attribute) and func.attr in ("encode", "decode", "join", "strip")


def _words(leaf: ast.AST) -> Tuple[str, ...]:
    """The words of a name or attribute, secret-like or not (`ciphertext`)."""
    ident = leaf.id if isinstance(leaf, ast.Name) else leaf.attr if isinstance(leaf, ast.Attribute) else ""
    return split_words(ident)


def _stored_on_object(sink: Sink) -> bool:
    """`user.password = ...`: kept on a model or record, not a local."""
    stmt = sink.node
    target = getattr(stmt, "target", None)
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [target] if isinstance(target, ast.expr) else []
    return any(isinstance(t, ast.Attribute) and t.attr == sink.name for t in targets)


def _safer(role: SecretName) -> str:
    if role.is_password:
        return "store a hash (`safe.hash_password`), or encrypt it (`safe.encrypt`) if it must be read back"
    return "encrypt it with a real cipher (`safe.encrypt`, Fernet) and keep the key elsewhere"
