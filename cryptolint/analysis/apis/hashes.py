"""Hash functions: constructors, algorithm classes, digest methods, constant-time compares."""

from __future__ import annotations

from types import MappingProxyType
from typing import Dict, FrozenSet, Mapping

from cryptolint.analysis.apis._core import Api, _HAZMAT, _PYCRYPTODOME, _api

# ------------------------------------------------------------------- hashes
#: Hash algorithm names that are fast (unfit for passwords).
FAST_HASHES: FrozenSet[str] = frozenset(
    """
    md4 md5 sha1 sha224 sha256 sha384 sha512 sha512_224 sha512_256 sha3_224
    sha3_256 sha3_384 sha3_512 shake_128 shake_256 blake2b blake2s ripemd160
    sm3 md5-sha1 md5_sha1
    """.split()
)
#: Hash algorithms broken for collision resistance.
WEAK_HASHES: FrozenSet[str] = frozenset({"md2", "md4", "md5", "sha1", "sha", "md5-sha1", "md5_sha1", "ripemd", "ripemd160"})


def _hash_constructors() -> Dict[str, str]:
    table: Dict[str, str] = {}
    for name in FAST_HASHES:
        if "-" in name:
            continue
        table[f"hashlib.{name}"] = name
        table[f"_hashlib.openssl_{name}"] = name
    for name in ("MD2", "MD4", "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3_224", "SHA3_256", "SHA3_384", "SHA3_512", "BLAKE2b", "BLAKE2s", "RIPEMD160", "SHAKE128", "SHAKE256"):
        algo = name.lower().replace("shake", "shake_") if name.startswith("SHAKE") else name.lower()
        for pkg in _PYCRYPTODOME:
            table[f"{pkg}.Hash.{name}.new"] = algo
    table["Crypto.Hash.SHA.new"] = "sha1"
    return table


#: Hash constructors that take data: qualified name -> algorithm.
HASH_CONSTRUCTORS: Mapping[str, str] = MappingProxyType(_hash_constructors())

#: `cryptography` hash algorithm classes -> algorithm.
HASH_ALGORITHM_CLASSES: Mapping[str, str] = MappingProxyType(
    {
        f"{_HAZMAT}.hashes.{cls}": cls.lower()
        for cls in (
            "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA512_224",
            "SHA512_256", "SHA3_224", "SHA3_256", "SHA3_384", "SHA3_512",
            "SHAKE128", "SHAKE256", "BLAKE2b", "BLAKE2s", "SM3",
        )
    }
)

#: Callables that hash their data argument with an algorithm named by a string.
HASH_BY_NAME: Mapping[str, Api] = MappingProxyType(
    {
        "hashlib.new": _api("hashlib.new", "hash", {"algorithm": (0, "name"), "data": (1, "data")}),
        "hashlib.file_digest": _api("hashlib.file_digest", "hash", {"algorithm": (1, "digest")}),
    }
)

#: Hash object methods that feed data.
HASH_UPDATE_METHODS: FrozenSet[str] = frozenset({"update"})
#: Methods that finish a hash (and a MAC) into a digest.
DIGEST_METHODS: FrozenSet[str] = frozenset({"digest", "hexdigest", "finalize"})
#: Calls whose result says something *about* a value but is never secret
#: itself (`len(token)`, `type(key)`, `inspect.signature(f)`).
NON_SECRET_RESULTS: FrozenSet[str] = frozenset(
    {
        "builtins.len", "builtins.type", "builtins.id", "builtins.isinstance",
        "builtins.issubclass", "builtins.hash", "builtins.bool", "builtins.ord",
        "builtins.callable", "builtins.hasattr", "builtins.repr",
        "inspect.signature", "inspect.Signature", "inspect.Signature.from_callable",
        "inspect.getfullargspec", "inspect.getargspec", "inspect.getcallargs",
        "typing.get_type_hints", "os.path.exists", "os.path.isfile",
    }
)
#: Keywords by which hash constructors take their data (`string` before 3.12).
HASH_DATA_KEYWORDS: FrozenSet[str] = frozenset({"data", "string"})
#: Hash objects whose algorithm is an argument and whose data comes by `.update()`.
HASH_CONTEXTS: Mapping[str, Api] = MappingProxyType(
    {f"{_HAZMAT}.hashes.Hash": _api(f"{_HAZMAT}.hashes.Hash", "hash", {"algorithm": (0, "algorithm")})}
)
#: Constants that make a hash protocol-fixed rather than a choice: the
#: WebSocket handshake GUID (RFC 6455, `Sec-WebSocket-Accept` = SHA-1(key + GUID)).
PROTOCOL_HASH_CONSTANTS: FrozenSet[str] = frozenset({"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"})

#: Calls that read a password typed by the user.
PASSWORD_SOURCES: FrozenSet[str] = frozenset({"getpass.getpass"})
#: Services that define how a password is hashed before it is sent to them
#: (Have I Been Pwned's k-anonymity range API takes a SHA-1 prefix).
PASSWORD_HASH_SERVICES: FrozenSet[str] = frozenset({"pwnedpasswords.com"})
#: Functions that compare two values in constant time.
CONSTANT_TIME_COMPARES: FrozenSet[str] = frozenset(
    {"hmac.compare_digest", "secrets.compare_digest", "cryptolint.safe.compare", "django.utils.crypto.constant_time_compare"}
)
#: Padding calls whose output is their first argument, padded.
PADDING_CALLS: FrozenSet[str] = frozenset(
    {
        f"{_HAZMAT}.padding.PKCS7().padder().update",
        f"{_HAZMAT}.padding.ANSIX923().padder().update",
        *(f"{pkg}.Util.Padding.pad" for pkg in _PYCRYPTODOME),
    }
)
