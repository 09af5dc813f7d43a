"""The shape of API knowledge: `Api` and `Param` records, argument lookup, table helpers."""

from __future__ import annotations

import enum

import ast
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Mapping, Optional, Tuple

# Both PyCryptodome namespaces (and PyCrypto, which shares `Crypto`).
_PYCRYPTODOME = ("Crypto", "Cryptodome")
_HAZMAT = "cryptography.hazmat.primitives"
_AEAD = f"{_HAZMAT}.ciphers.aead"
_MODES = f"{_HAZMAT}.ciphers.modes"
_ALGORITHMS = f"{_HAZMAT}.ciphers.algorithms"
_ALGORITHMS_DECREPIT = "cryptography.hazmat.decrepit.ciphers.algorithms"
_MODES_DECREPIT = "cryptography.hazmat.decrepit.ciphers.modes"


class _Name(str, enum.Enum):
    """A closed vocabulary: comparing with a misspelt string is caught by
    tests/test_layers.py, and a table entry with one fails at import."""

    def __str__(self) -> str:
        return str(self.value)


class Kind(_Name):
    """What kind of callable an `Api` describes; rules branch on it."""

    AEAD = "aead"
    AEAD_ENCRYPT = "aead-encrypt"
    ARGON2_HASH = "argon2-hash"
    ARGON2_HASHER = "argon2-hasher"
    AUTHKEY = "authkey"
    BCRYPT_HASH = "bcrypt-hash"
    BCRYPT_KDF = "bcrypt-kdf"
    BCRYPT_SALT = "bcrypt-salt"
    CIPHER = "cipher"
    CIPHER_ALGORITHM = "cipher-algorithm"
    CODEC = "codec"
    COUNTER = "counter"
    CRYPT = "crypt"
    CRYPT_SALT = "crypt-salt"
    DJANGO_HASH = "django-hash"
    DJANGO_HASHER = "django-hasher"
    ENCRYPT = "encrypt"
    HASH = "hash"
    HASH_WRAPPER = "hash-wrapper"
    HKDF = "hkdf"
    HMAC = "hmac"
    HTTP = "http"
    HTTP_AUTH = "http-auth"
    JWT = "jwt"
    JWT_DECODE = "jwt-decode"
    JWT_DECODER = "jwt-decoder"
    JWT_ENCODE = "jwt-encode"
    KDF_INPUT = "kdf-input"
    KEYGEN = "keygen"
    KEY_EXPORT = "key-export"
    LOGIN = "login"
    M2CRYPTO_CIPHER = "m2crypto-cipher"
    MAC = "mac"
    MODE = "mode"
    NACL_BINDING = "nacl-binding"
    NACL_BOX = "nacl-box"
    PBKDF2 = "pbkdf2"
    PKCS1V15_CALL = "pkcs1v15-call"
    PKCS1V15_CIPHER = "pkcs1v15-cipher"
    PYCRYPTODOME_CIPHER = "pycryptodome-cipher"
    PYCRYPTODOME_STREAM = "pycryptodome-stream"
    PYDES_CIPHER = "pydes-cipher"
    RANDOM_BYTES = "random-bytes"
    RANDOM_KEY = "random-key"
    RANDOM_SALT = "random-salt"
    RANDOM_TEXT = "random-text"
    RSA_ENCRYPT = "rsa-encrypt"
    SCRYPT = "scrypt"
    SIGN = "sign"
    SIGNER = "signer"
    SSH_CLIENT = "ssh-client"
    SSL_CALL = "ssl-call"
    SSL_CONTEXT = "ssl-context"
    TLS_CLIENT = "tls-client"
    WERKZEUG_HASH = "werkzeug-hash"


class Fact(_Name):
    """The keys of `Api.facts`: what else a rule may ask about an API."""

    ACCEPTED = "accepted"
    ALGORITHM = "algorithm"
    AUTHENTICATED = "authenticated"
    BLOCK_SIZE = "block_size"
    BY_METHOD = "by_method"
    DECRYPTING_PARAMS = "decrypting_params"
    DEFAULTS = "defaults"
    DEFAULT_ALGORITHM = "default_algorithm"
    DEFAULT_BITS = "default_bits"
    DEFAULT_CURVE = "default_curve"
    DEFAULT_HASH = "default_hash"
    DEFAULT_ITERATIONS = "default_iterations"
    DEFAULT_MODE = "default_mode"
    DEFAULT_ROUNDS = "default_rounds"
    DEFAULT_SIZE = "default_size"
    DIRECTION = "direction"
    DIRECTIONS = "directions"
    ENV = "env"
    FAMILY = "family"
    FIXABLE = "fixable"
    FIXED_BITS = "fixed_bits"
    LEGACY_VERIFY_POSITION = "legacy_verify_position"
    LIBRARY = "library"
    MAKES_NONCE = "makes_nonce"
    MIN_RANDOM_SIZE = "min_random_size"
    MODE = "mode"
    NONCE_SIZE = "nonce_size"
    POSITIONS = "positions"
    REPLACEMENT = "replacement"
    REQUIRED = "required"
    REQUIRES_ALGORITHMS = "requires_algorithms"
    ROLE = "role"
    SAFE_CURVE = "safe_curve"
    SIDE = "side"
    UNPROTECTED = "unprotected"
    WHAT = "what"
    WRITES = "writes"


@dataclass(frozen=True)
class Param:
    """Where an argument is: its position (None: keyword-only) and keyword."""

    position: Optional[int]
    keyword: Optional[str]


@dataclass(frozen=True)
class Api:
    """What the checks know about one callable."""

    name: str
    kind: Kind
    params: Mapping[str, Param] = field(default_factory=dict)
    #: Facts by `Fact` name: default values, nonce size, algorithm name...
    facts: Mapping[str, object] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        """How a message names the API: `Fernet`, `AESGCM`, `hmac.new`, `HKDF.derive`, `jwt.encode`, `AES.new`."""
        parts = self.name.replace("()", "").split(".")
        if len(parts) >= 2 and parts[-1][:1].islower():
            return ".".join(parts[-2:])
        return parts[-1]


def _api(name: str, kind: str, params: Optional[Mapping[str, Tuple[Optional[int], Optional[str]]]] = None, **facts: object) -> Api:
    for key in facts:
        Fact(key)  # a misspelt fact name fails here, when the tables load
    return Api(
        name=name,
        kind=Kind(kind),
        params=MappingProxyType({role: Param(*where) for role, where in (params or {}).items()}),
        facts=MappingProxyType(facts),
    )


def argument(call: ast.Call, api: Api, role: str) -> Optional[ast.expr]:
    """The expression passed for `role` in `call`, or None if absent."""
    param = api.params.get(role)
    if param is None:
        return None
    if param.keyword is not None:
        for kw in call.keywords:
            if kw.arg == param.keyword:
                return kw.value
    if param.position is not None and param.position < len(call.args):
        for arg in call.args[: param.position + 1]:
            if isinstance(arg, ast.Starred):
                return None
        return call.args[param.position]
    return None


def argument_or_keyword(call: ast.Call, api: Api, role: str) -> Optional[ast.expr]:
    """`argument(call, api, role)`, also finding a keyword passed in a literal
    `**{...}`; None if absent."""
    param = api.params.get(role)
    if param is None:
        return None
    found = argument(call, api, role)
    if found is None and param.keyword is not None:
        found = keyword_value(call, param.keyword)
    return found


def keyword_value(call: ast.Call, name: str) -> Optional[ast.expr]:
    """The value of keyword `name` in `call`, looking into literal `**{...}`."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
        if kw.arg is None and isinstance(kw.value, ast.Dict):
            for key, value in zip(kw.value.keys, kw.value.values):
                if isinstance(key, ast.Constant) and key.value == name:
                    return value
    return None


def lookup(table: Mapping[str, Api], qualname: Optional[str]) -> Optional[Api]:
    """The entry for `qualname` in `table`, or None."""
    if qualname is None:
        return None
    return table.get(qualname)


def names_of(*tables: Mapping[str, object]) -> Iterable[str]:
    for table in tables:
        yield from table
