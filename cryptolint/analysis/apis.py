"""Knowledge of crypto APIs, as data.

Each entry says, for one callable (by qualified name), where its interesting
arguments are: which one is the key, the nonce, the salt, the iteration
count...  Checks ask `argument(call, api, "nonce")` instead of knowing that
`AESGCM.encrypt` takes the nonce first.  Supporting another library means
adding entries here, not writing visitors.

Instances are written as `Class()`: `...AESGCM().encrypt` is the `encrypt`
method of an `AESGCM` object, as `scopes.Module.resolve` spells it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Dict, FrozenSet, Iterable, Mapping, Optional, Tuple

# Both PyCryptodome namespaces (and PyCrypto, which shares `Crypto`).
_PYCRYPTODOME = ("Crypto", "Cryptodome")
_HAZMAT = "cryptography.hazmat.primitives"
_AEAD = f"{_HAZMAT}.ciphers.aead"
_MODES = f"{_HAZMAT}.ciphers.modes"
_ALGORITHMS = f"{_HAZMAT}.ciphers.algorithms"
_ALGORITHMS_DECREPIT = "cryptography.hazmat.decrepit.ciphers.algorithms"
_MODES_DECREPIT = "cryptography.hazmat.decrepit.ciphers.modes"


@dataclass(frozen=True)
class Param:
    """Where an argument is: its position (None: keyword-only) and keyword."""

    position: Optional[int]
    keyword: Optional[str]


@dataclass(frozen=True)
class Api:
    """What the checks know about one callable."""

    name: str
    kind: str
    params: Mapping[str, Param] = field(default_factory=dict)
    #: Free-form facts: default values, nonce size, algorithm name...
    facts: Mapping[str, object] = field(default_factory=dict)


def _api(name: str, kind: str, params: Optional[Dict[str, Tuple[Optional[int], Optional[str]]]] = None, **facts: object) -> Api:
    return Api(
        name=name,
        kind=kind,
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


# --------------------------------------------------------------- randomness
#: Functions of `random` (module level, and methods of `random.Random`).
RANDOM_FUNCTIONS: FrozenSet[str] = frozenset(
    """
    random uniform triangular randint randrange choice choices sample shuffle
    getrandbits randbytes gauss normalvariate lognormvariate expovariate
    vonmisesvariate gammavariate betavariate paretovariate weibullvariate
    binomialvariate
    """.split()
)
NUMPY_RANDOM_FUNCTIONS: FrozenSet[str] = frozenset(
    """
    rand randn randint random_integers random_sample random ranf sample choice
    bytes shuffle permutation integers uniform normal standard_normal
    """.split()
)


def _insecure_random_names() -> FrozenSet[str]:
    names = set()
    for fn in RANDOM_FUNCTIONS:
        names.add(f"random.{fn}")
        names.add(f"random.Random().{fn}")
    for fn in NUMPY_RANDOM_FUNCTIONS:
        names.add(f"numpy.random.{fn}")
        for cls in ("numpy.random.RandomState()", "numpy.random.default_rng()", "numpy.random.Generator()"):
            names.add(f"{cls}.{fn}")
    return frozenset(names)


#: Qualified names of calls whose output is predictable.
INSECURE_RANDOM: FrozenSet[str] = _insecure_random_names()

#: Calls that return fresh bytes/strings from the OS's CSPRNG, with the
#: position/keyword of their length argument (None: fixed size) and the size
#: in bytes they produce when that argument is missing.
FRESH_RANDOM: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("os.urandom", "random-bytes", {"size": (0, "size")}),
            _api("os.getrandom", "random-bytes", {"size": (0, "size")}),
            _api("secrets.token_bytes", "random-bytes", {"size": (0, "nbytes")}, default_size=32),
            _api("secrets.token_hex", "random-text", {"size": (0, "nbytes")}, default_size=32),
            _api("secrets.token_urlsafe", "random-text", {"size": (0, "nbytes")}, default_size=32),
            _api("random.SystemRandom().randbytes", "random-bytes", {"size": (0, "n")}),
            _api("ssl.RAND_bytes", "random-bytes", {"size": (0, None)}),
            _api("nacl.utils.random", "random-bytes", {"size": (0, "size")}, default_size=32),
            _api(f"{_AEAD}.AESGCM.generate_key", "random-key"),
            _api(f"{_AEAD}.AESCCM.generate_key", "random-key"),
            _api(f"{_AEAD}.AESOCB3.generate_key", "random-key"),
            _api(f"{_AEAD}.AESSIV.generate_key", "random-key"),
            _api(f"{_AEAD}.AESGCMSIV.generate_key", "random-key"),
            _api(f"{_AEAD}.ChaCha20Poly1305.generate_key", "random-key"),
            _api("cryptography.fernet.Fernet.generate_key", "random-key"),
            _api("bcrypt.gensalt", "random-salt"),
            *(
                _api(f"{pkg}.Random.get_random_bytes", "random-bytes", {"size": (0, "n")})
                for pkg in _PYCRYPTODOME
            ),
            *(
                _api(f"{pkg}.Random.new().read", "random-bytes", {"size": (0, None)})
                for pkg in _PYCRYPTODOME
            ),
        )
    }
)

#: Token makers whose length argument CRY103 checks.
TOKEN_MAKERS: FrozenSet[str] = frozenset(
    {
        "secrets.token_bytes",
        "secrets.token_hex",
        "secrets.token_urlsafe",
        "os.urandom",
        "Crypto.Random.get_random_bytes",
        "Cryptodome.Random.get_random_bytes",
    }
)

#: uuid functions and what makes them unsuitable for secrets.
UUID_FUNCTIONS: Mapping[str, str] = MappingProxyType(
    {
        "uuid.uuid1": "is built from the time and the host's MAC address",
        "uuid.uuid3": "is derived from a name by MD5",
        "uuid.uuid5": "is derived from a name by SHA-1",
        "uuid.uuid4": "is not promised to come from a CSPRNG",
        "uuid.uuid6": "is built from the time",
        "uuid.uuid7": "is built from the time",
    }
)

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

# --------------------------------------------------- password hashing & KDF
PASSWORD_HASH_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("bcrypt.gensalt", "bcrypt-salt", {"rounds": (0, "rounds")}, default_rounds=12),
            _api("bcrypt.hashpw", "bcrypt-hash", {"password": (0, "password"), "salt": (1, "salt")}),
            # `rounds` here is linear (bcrypt_pbkdf), not bcrypt's log2 cost.
            _api("bcrypt.kdf", "bcrypt-kdf", {"password": (0, "password"), "salt": (1, "salt"), "rounds": (3, "rounds")}),
            *(
                _api(f"{pkg}.Protocol.KDF.bcrypt", "bcrypt-hash", {"password": (0, "password"), "rounds": (1, "cost"), "salt": (2, "salt")})
                for pkg in _PYCRYPTODOME
            ),
            # Flask-Bcrypt: `rounds` defaults to the app's BCRYPT_LOG_ROUNDS (12).
            _api("flask_bcrypt.Bcrypt().generate_password_hash", "bcrypt-hash", {"password": (0, "password"), "rounds": (1, "rounds")}),
            _api("flask_bcrypt.generate_password_hash", "bcrypt-hash", {"password": (0, "password"), "rounds": (1, "rounds")}),
            # `method` is "pbkdf2[:hash[:iterations]]" or "scrypt[:n:r:p]".
            _api("werkzeug.security.generate_password_hash", "werkzeug-hash", {"password": (0, "password"), "method": (1, "method")}),
            _api(
                "argon2.PasswordHasher", "argon2-hasher",
                {"time_cost": (0, "time_cost"), "memory_cost": (1, "memory_cost"), "parallelism": (2, "parallelism"), "type": (6, "type")},
                # argon2-cffi >= 21.2: RFC 9106's low-memory profile, Argon2id.
                defaults={"time_cost": 3, "memory_cost": 65536, "parallelism": 4, "type": "id"},
            ),
            *(
                _api(
                    f"argon2.low_level.{fn}", "argon2-hash",
                    {"password": (0, "secret"), "salt": (1, "salt"), "time_cost": (2, "time_cost"), "memory_cost": (3, "memory_cost"), "parallelism": (4, "parallelism"), "type": (6, "type")},
                    required=True,
                )
                for fn in ("hash_secret", "hash_secret_raw")
            ),
            *(
                _api(
                    f"argon2.{fn}", "argon2-hash",
                    {"password": (0, "password"), "salt": (1, "salt"), "time_cost": (2, "time_cost"), "memory_cost": (3, "memory_cost"), "parallelism": (4, "parallelism"), "type": (6, "type")},
                    # argon2-cffi >= 21.2 (PasswordHasher's); the type was always Argon2i.
                    defaults={"time_cost": 3, "memory_cost": 65536, "parallelism": 4, "type": "i"},
                )
                for fn in ("hash_password", "hash_password_raw")
            ),
            _api(
                "argon2.Parameters", "argon2-hasher",
                {"type": (0, "type"), "time_cost": (4, "time_cost"), "memory_cost": (5, "memory_cost"), "parallelism": (6, "parallelism")},
                required=True,
            ),
        )
    }
)

#: argon2-cffi's variants; only Argon2id is recommended for passwords.
ARGON2_TYPES: Mapping[str, str] = MappingProxyType(
    {"argon2.Type.I": "i", "argon2.Type.D": "d", "argon2.Type.ID": "id",
     "argon2.low_level.Type.I": "i", "argon2.low_level.Type.D": "d", "argon2.low_level.Type.ID": "id"}
)
#: argon2-cffi profiles below RFC 9106/OWASP.
WEAK_ARGON2_PROFILES: FrozenSet[str] = frozenset({"argon2.profiles.CHEAPEST"})
#: argon2-cffi's `argon2.profiles` (all Argon2id): name -> (time_cost,
#: memory_cost in KiB, parallelism), checked against the policy.
ARGON2_PROFILES: Mapping[str, Tuple[int, int, int]] = MappingProxyType(
    {
        "argon2.profiles.RFC_9106_HIGH_MEMORY": (1, 2097152, 4),
        "argon2.profiles.RFC_9106_LOW_MEMORY": (3, 65536, 4),
        "argon2.profiles.PRE_21_2": (2, 102400, 8),
        "argon2.profiles.CHEAPEST": (1, 8, 1),
    }
)

#: passlib handlers whose work factor is set by `rounds`/`default_rounds`
#: (on `.using()`, the deprecated `.hash(..., rounds=)`, or `CryptContext`'s
#: `<handler>__rounds`): handler -> (family, hash).  For bcrypt `rounds` is the
#: log2 cost; for PBKDF2 it is the iteration count.
PASSLIB_HANDLERS: Mapping[str, Tuple[str, Optional[str]]] = MappingProxyType(
    {
        "bcrypt": ("bcrypt", None),
        "bcrypt_sha256": ("bcrypt", None),
        "pbkdf2_sha1": ("pbkdf2", "sha1"),
        "pbkdf2_sha256": ("pbkdf2", "sha256"),
        "pbkdf2_sha512": ("pbkdf2", "sha512"),
        "django_pbkdf2_sha1": ("pbkdf2", "sha1"),
        "django_pbkdf2_sha256": ("pbkdf2", "sha256"),
        "ldap_pbkdf2_sha1": ("pbkdf2", "sha1"),
        "ldap_pbkdf2_sha256": ("pbkdf2", "sha256"),
        "ldap_pbkdf2_sha512": ("pbkdf2", "sha512"),
    }
)
#: Handler methods that take settings keywords, and the keywords that set the
#: work factor of new hashes (`min_rounds` only affects `needs_update`).
PASSLIB_SETTING_METHODS: FrozenSet[str] = frozenset({"using", "hash", "encrypt"})
PASSLIB_ROUNDS_KEYWORDS: Tuple[str, ...] = ("rounds", "default_rounds")
#: PBKDF2 settings fixed by a protocol, not chosen: (hash, iterations) -> the
#: protocol and a word its salt expression always holds (BIP-39 seeds salt
#: with "mnemonic" + passphrase; WPA2's PSK salts with the SSID).
PROTOCOL_PBKDF2: Mapping[Tuple[str, int], Tuple[str, str]] = MappingProxyType(
    {("sha512", 2048): ("BIP-39", "mnemonic"), ("sha1", 4096): ("WPA2-PSK", "ssid")}
)
#: Django password hashers whose work factor a subclass sets as class
#: attributes (`class Fast(PBKDF2PasswordHasher): iterations = 1000`):
#: params map roles to attribute names; `defaults` are Django 5.2's, which
#: apply to the attributes a subclass leaves alone.  Django's encoded hashes
#: record these settings, so old hashes verify after a change.
DJANGO_HASHERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("django.contrib.auth.hashers.PBKDF2PasswordHasher", "pbkdf2", {"iterations": (None, "iterations"), "hash": (None, "digest")}, default_hash="sha256"),
            _api("django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher", "pbkdf2", {"iterations": (None, "iterations"), "hash": (None, "digest")}, default_hash="sha1"),
            *(
                _api(f"django.contrib.auth.hashers.{cls}", "bcrypt-hash", {"rounds": (None, "rounds")}, defaults={"rounds": 12})
                for cls in ("BCryptSHA256PasswordHasher", "BCryptPasswordHasher")
            ),
            _api(
                "django.contrib.auth.hashers.Argon2PasswordHasher", "argon2-hasher",
                {"time_cost": (None, "time_cost"), "memory_cost": (None, "memory_cost"), "parallelism": (None, "parallelism")},
                defaults={"time_cost": 2, "memory_cost": 102400, "parallelism": 8},
            ),
            _api(
                "django.contrib.auth.hashers.ScryptPasswordHasher", "scrypt",
                {"n": (None, "work_factor"), "r": (None, "block_size"), "p": (None, "parallelism")},
                defaults={"n": 2**14, "r": 8, "p": 5},
            ),
        )
    }
)
#: Calls that take `<handler>__rounds=` keywords.
PASSLIB_CONTEXTS: FrozenSet[str] = frozenset(
    {
        "passlib.context.CryptContext",
        "passlib.context.CryptContext().copy",
        "passlib.context.CryptContext().using",
        "passlib.context.CryptContext().update",
    }
)


def passlib_handler(qualname: Optional[str]) -> Optional[Tuple[str, str]]:
    """(handler, method) for `passlib.hash.<handler>.<method>` (or the
    `passlib.handlers.<module>.<handler>.<method>` spelling), else None."""
    if not qualname or not qualname.startswith(("passlib.hash.", "passlib.handlers.")):
        return None
    parts = qualname.split(".")
    if len(parts) < 4 or parts[-1] not in PASSLIB_SETTING_METHODS or parts[-2] not in PASSLIB_HANDLERS:
        return None
    if parts[1] == "hash" and len(parts) != 4 or parts[1] == "handlers" and len(parts) != 5:
        return None
    return parts[-2], parts[-1]

KDF_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("hashlib.pbkdf2_hmac", "pbkdf2", {"hash": (0, "hash_name"), "password": (1, "password"), "salt": (2, "salt"), "iterations": (3, "iterations")}),
            _api(f"{_HAZMAT}.kdf.pbkdf2.PBKDF2HMAC", "pbkdf2", {"algorithm": (0, "algorithm"), "salt": (2, "salt"), "iterations": (3, "iterations")}),
            _api("hashlib.scrypt", "scrypt", {"password": (0, "password"), "salt": (None, "salt"), "n": (None, "n"), "r": (None, "r"), "p": (None, "p")}),
            _api(f"{_HAZMAT}.kdf.scrypt.Scrypt", "scrypt", {"salt": (0, "salt"), "n": (2, "n"), "r": (3, "r"), "p": (4, "p")}),
            *(
                # Without `count` and `prf`/`hmac_hash_module`: 1000 rounds of HMAC-SHA1.
                _api(f"{pkg}.Protocol.KDF.PBKDF2", "pbkdf2", {"password": (0, "password"), "salt": (1, "salt"), "iterations": (3, "count"), "prf": (4, "prf"), "hash": (5, "hmac_hash_module")}, default_iterations=1000, default_hash="sha1")
                for pkg in _PYCRYPTODOME
            ),
            *(
                _api(f"{pkg}.Protocol.KDF.scrypt", "scrypt", {"password": (0, "password"), "salt": (1, "salt"), "n": (3, "N"), "r": (4, "r"), "p": (5, "p")})
                for pkg in _PYCRYPTODOME
            ),
            _api("crypt.crypt", "crypt", {"password": (0, "word"), "salt": (1, "salt")}),
        )
    }
)

# ---------------------------------------------------------------- encryption
#: Calls that take key material, and where.
KEYED_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("cryptography.fernet.Fernet", "cipher", {"key": (0, "key")}),
            _api("cryptography.fernet.MultiFernet", "cipher", {"keys": (0, "fernets")}),
            *(
                _api(f"{_AEAD}.{cls}", "aead", {"key": (0, "key")})
                for cls in ("AESGCM", "AESCCM", "AESOCB3", "AESSIV", "AESGCMSIV", "ChaCha20Poly1305")
            ),
            *(
                _api(f"{mod}.{cls}", "cipher-algorithm", {"key": (0, "key")})
                for mod in (_ALGORITHMS, _ALGORITHMS_DECREPIT)
                for cls in ("AES", "AES128", "AES256", "Camellia", "TripleDES", "Blowfish", "CAST5", "ARC4", "IDEA", "SEED", "SM4", "RC2")
            ),
            _api(f"{_ALGORITHMS}.ChaCha20", "cipher-algorithm", {"key": (0, "key"), "nonce": (1, "nonce")}),
            _api("hmac.new", "mac", {"key": (0, "key"), "digestmod": (2, "digestmod")}),
            _api("hmac.HMAC", "mac", {"key": (0, "key"), "digestmod": (2, "digestmod")}),
            _api("hmac.digest", "mac", {"key": (0, "key"), "digestmod": (2, "digest")}),
            _api(f"{_HAZMAT}.hmac.HMAC", "mac", {"key": (0, "key"), "algorithm": (1, "algorithm")}),
            _api(f"{_HAZMAT}.poly1305.Poly1305", "mac", {"key": (0, "key")}),
            _api(f"{_HAZMAT}.kdf.hkdf.HKDF().derive", "kdf-input", {"key": (0, "key_material")}),
            _api(f"{_HAZMAT}.kdf.hkdf.HKDFExpand().derive", "kdf-input", {"key": (0, "key_material")}),
            _api("jwt.encode", "jwt", {"key": (1, "key")}),
            _api("jwt.decode", "jwt", {"key": (1, "key")}),
            _api("jwt.api_jwt.encode", "jwt", {"key": (1, "key")}),
            _api("jwt.api_jwt.decode", "jwt", {"key": (1, "key")}),
            _api("jose.jwt.encode", "jwt", {"key": (1, "key")}),
            _api("jose.jwt.decode", "jwt", {"key": (1, "key")}),
            *(
                _api(f"itsdangerous.{cls}", "signer", {"key": (0, "secret_key")})
                for cls in ("Signer", "TimestampSigner", "Serializer", "TimedSerializer", "URLSafeSerializer", "URLSafeTimedSerializer")
            ),
            *(
                _api(f"{pkg}.Cipher.{cls}.new", "pycryptodome-cipher", {"key": (0, "key"), "mode": (1, "mode"), "iv": (2, "iv"), "nonce": (None, "nonce")}, algorithm=cls)
                for pkg in _PYCRYPTODOME
                for cls in ("AES", "DES", "DES3", "ARC2", "Blowfish", "CAST")
            ),
            *(
                _api(f"{pkg}.Cipher.{cls}.new", "pycryptodome-cipher", {"key": (0, "key"), "nonce": (1, "nonce")}, algorithm=cls)
                for pkg in _PYCRYPTODOME
                for cls in ("ChaCha20", "ChaCha20_Poly1305", "Salsa20", "XChaCha20")
            ),
            *(
                _api(f"{pkg}.Cipher.ARC4.new", "pycryptodome-cipher", {"key": (0, "key")}, algorithm="ARC4")
                for pkg in _PYCRYPTODOME
            ),
            *(
                _api(f"{pkg}.Hash.HMAC.new", "mac", {"key": (0, "key"), "digestmod": (2, "digestmod")})
                for pkg in _PYCRYPTODOME
            ),
            _api("nacl.secret.SecretBox", "aead", {"key": (0, "key")}),
            _api("nacl.secret.Aead", "aead", {"key": (0, "key")}),
            # multiprocessing's HMAC challenge-response: the authkey is the shared secret.
            _api("multiprocessing.connection.Listener", "authkey", {"key": (3, "authkey")}),
            _api("multiprocessing.connection.Client", "authkey", {"key": (2, "authkey")}),
            _api("multiprocessing.connection.deliver_challenge", "authkey", {"key": (1, "authkey")}),
            _api("multiprocessing.connection.answer_challenge", "authkey", {"key": (1, "authkey")}),
            *(
                _api(f"multiprocessing.managers.{cls}", "authkey", {"key": (1, "authkey")})
                for cls in ("BaseManager", "SyncManager", "SharedMemoryManager")
            ),
        )
    }
)

#: PyNaCl (`library="pynacl"`, reported as CRY608 rather than CRY501/CRY502).
#: `nacl-box`: the `encrypt` methods of `SecretBox`, `Aead` (XChaCha20-Poly1305)
#: and `Box`, whose nonce may be left out (`makes_nonce`: the library then
#: draws a random one) and whose result, an `EncryptedMessage`, carries the
#: nonce in front of the ciphertext (`decrypt` reads it from there).  `nacl-binding`: the
#: low-level `nacl.bindings` functions, which require a nonce and return the
#: bare ciphertext.  Sizes are libsodium's `*_NONCEBYTES`/`*_NPUBBYTES`, which
#: the functions require exactly.  Checked against PyNaCl 1.6.
def _pynacl_nonce_apis() -> Tuple[Api, ...]:
    box = tuple(
        _api(
            f"nacl.{mod}.{cls}().encrypt", "nacl-box", params, nonce_size=24, accepted=(24, 24),
            algorithm=cls, direction="encrypt", authenticated=True, library="pynacl", makes_nonce=True,
        )
        for mod, cls, params in (
            ("secret", "SecretBox", {"data": (0, "plaintext"), "nonce": (1, "nonce")}),
            ("secret", "Aead", {"data": (0, "plaintext"), "aad": (1, "aad"), "nonce": (2, "nonce")}),
            ("public", "Box", {"data": (0, "plaintext"), "nonce": (1, "nonce")}),
        )
    )
    bindings = tuple(
        _api(
            f"nacl.bindings{where}.{fn}", "nacl-binding", params, nonce_size=size, accepted=(size, size),
            algorithm=fn, direction="encrypt", authenticated=True, library="pynacl",
        )
        for fn, module, params, size in (
            *(
                (fn, "crypto_secretbox", {"data": (0, "message"), "nonce": (1, "nonce"), "key": (2, "key")}, 24)
                for fn in ("crypto_secretbox", "crypto_secretbox_easy")
            ),
            *(
                (fn, "crypto_box", {"data": (0, "message"), "nonce": (1, "nonce"), "key": (3, "sk")}, 24)
                for fn in ("crypto_box", "crypto_box_easy")
            ),
            *(
                (fn, "crypto_box", {"data": (0, "message"), "nonce": (1, "nonce"), "key": (2, "k")}, 24)
                for fn in ("crypto_box_afternm", "crypto_box_easy_afternm")
            ),
            *(
                (f"crypto_aead_{aead}_encrypt", "crypto_aead", {"data": (0, "message"), "aad": (1, "aad"), "nonce": (2, "nonce"), "key": (3, "key")}, size)
                for aead, size in (
                    ("chacha20poly1305", 8), ("chacha20poly1305_ietf", 12), ("xchacha20poly1305_ietf", 24),
                    ("aes256gcm", 12), ("aegis128l", 16), ("aegis256", 32),
                )
            ),
        )
        for where in ("", f".{module}")
    )
    return box + bindings


PYNACL_NONCE_APIS: Tuple[Api, ...] = _pynacl_nonce_apis()


#: Calls that take a nonce or IV, and where.  Facts: `nonce_size` is the size
#: in bytes a fresh random nonce should have for the construction (for block
#: modes: one AES block; a 64-bit block cipher wants 8); `accepted` is the
#: (smallest, largest) size the library takes; `min_random_size` is the
#: smallest *random* nonce that is safe, set only where the library accepts
#: shorter ones (AES-GCM takes 8 to 128 bytes, but NIST SP 800-38D budgets
#: random nonces at 96 bits); `direction` is "encrypt" for calls that always
#: encrypt; `decrypting_params` are arguments given only when decrypting;
#: `authenticated` marks AEAD constructions.  A mode object or a PyCryptodome
#: cipher encrypts or decrypts according to what the cipher made from it is
#: used for (`CIPHER_METHODS`).
#: Verified against cryptography 50 and PyCryptodome 3.x/4.x signatures.
NONCE_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(
                    f"{_AEAD}.{cls}().{method}", "aead-encrypt", {"nonce": (0, "nonce"), "data": (1, "data")},
                    nonce_size=size, accepted=accepted, algorithm=cls, direction="encrypt", authenticated=True,
                    **({"min_random_size": 12} if cls == "AESGCM" else {}),
                )
                for cls, size, accepted in (
                    ("AESGCM", 12, (8, 128)), ("ChaCha20Poly1305", 12, (12, 12)), ("AESCCM", 13, (7, 13)),
                    ("AESOCB3", 12, (12, 15)), ("AESGCMSIV", 12, (12, 12)),
                )
                for method in ("encrypt", "encrypt_into")
            ),
            _api(
                f"{_MODES}.GCM", "mode", {"nonce": (0, "initialization_vector"), "tag": (1, "tag"), "min_tag_length": (2, "min_tag_length")},
                nonce_size=12, accepted=(8, 128), min_random_size=12, mode="GCM", role="nonce", authenticated=True,
                decrypting_params=("tag",),
            ),
            *(
                _api(f"{mod}.{mode}", "mode", {"nonce": (0, "initialization_vector")}, nonce_size=16, mode=mode, role="IV")
                for mod, names in ((_MODES, ("CBC", "OFB", "CFB", "CFB8")), (_MODES_DECREPIT, ("OFB", "CFB", "CFB8")))
                for mode in names
            ),
            _api(f"{_MODES}.CTR", "mode", {"nonce": (0, "nonce")}, nonce_size=16, mode="CTR", role="nonce"),
            _api(f"{_ALGORITHMS}.ChaCha20", "cipher-algorithm", {"key": (0, "key"), "nonce": (1, "nonce")}, nonce_size=16, accepted=(16, 16), algorithm="ChaCha20", role="nonce"),
            *(
                # `new(key, mode, x)`: x is the IV or the nonce depending on the
                # mode (PYCRYPTODOME_THIRD_ARGUMENT); `IV=` is an alias of `iv=`.
                _api(
                    f"{pkg}.Cipher.{cls}.new", "pycryptodome-cipher",
                    {"key": (0, "key"), "mode": (1, "mode"), "iv": (2, "iv"), "nonce": (None, "nonce"),
                     "initial_value": (None, "initial_value"), "counter": (None, "counter")},
                    algorithm=cls, block_size=block,
                )
                for pkg in _PYCRYPTODOME
                for cls, block in (("AES", 16), ("DES", 8), ("DES3", 8), ("ARC2", 8), ("Blowfish", 8), ("CAST", 8))
            ),
            *(
                # ChaCha20.new and ChaCha20_Poly1305.new take keywords only.
                _api(
                    f"{pkg}.Cipher.{cls}.new", "pycryptodome-stream", {"key": (position, "key"), "nonce": (None if position is None else 1, "nonce")},
                    nonce_size=size, accepted=accepted, algorithm=cls, role="nonce", authenticated=cls == "ChaCha20_Poly1305",
                )
                for pkg in _PYCRYPTODOME
                for cls, position, size, accepted in (
                    ("ChaCha20", None, 12, (8, 24)), ("ChaCha20_Poly1305", None, 12, (8, 24)), ("Salsa20", 0, 8, (8, 8)),
                )
            ),
            *PYNACL_NONCE_APIS,
        )
    }
)

#: Methods that decrypt with a nonce that came with the ciphertext.
DECRYPT_METHODS: FrozenSet[str] = frozenset(
    f"{_AEAD}.{cls}().{method}"
    for cls in ("AESGCM", "ChaCha20Poly1305", "AESCCM", "AESOCB3", "AESGCMSIV", "AESSIV")
    for method in ("decrypt", "decrypt_into")
)

#: `cryptography`'s `Cipher(algorithm, mode)`: a mode object or a ChaCha20
#: algorithm takes part in encryption only through one of these.
CIPHER_CONSTRUCTORS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"{_HAZMAT}.ciphers.{where}Cipher", "cipher", {"algorithm": (0, "algorithm"), "mode": (1, "mode")})
            for where in ("", "base.")
        )
    }
)
#: Methods of cipher objects (`cryptography`'s `Cipher`, PyCryptodome's mode
#: objects) -> the direction calling them shows: "encrypt" for the side that
#: protects data (encrypting, or making a tag as GMAC does), "decrypt" for the
#: side that reads it, "chain" for methods that return the object itself
#: (PyCryptodome's `update(aad)`).  Others (`.nonce`, `.iv`) show neither.
CIPHER_METHODS: Mapping[str, str] = MappingProxyType(
    {
        "encryptor": "encrypt",
        "decryptor": "decrypt",
        "encrypt": "encrypt",
        "encrypt_and_digest": "encrypt",
        "digest": "encrypt",
        "hexdigest": "encrypt",
        "decrypt": "decrypt",
        "decrypt_and_verify": "decrypt",
        "verify": "decrypt",
        "hexverify": "decrypt",
        "update": "chain",
    }
)

#: PyCryptodome mode constants -> mode name (DES, DES3, ARC2, Blowfish and
#: CAST have 64-bit blocks and no CCM/GCM/OCB/SIV/KW modes).  PyCryptodome 4.5
#: added GCM_SIV (an AEAD that survives a repeated nonce, leaking only whether
#: two messages were equal) and XTS (disk-sector encryption keyed by a tweak,
#: with no tag: made for storage, not for messages).
PYCRYPTODOME_MODES: Mapping[str, str] = MappingProxyType(
    {
        f"{pkg}.Cipher.{cls}.MODE_{mode}": mode
        for pkg in _PYCRYPTODOME
        for cls, modes in (
            ("AES", ("ECB", "CBC", "CFB", "OFB", "CTR", "OPENPGP", "CCM", "EAX", "SIV", "GCM", "OCB", "KW", "KWP", "GCM_SIV", "XTS")),
            *((cls, ("ECB", "CBC", "CFB", "OFB", "CTR", "OPENPGP", "EAX")) for cls in ("DES", "DES3", "ARC2", "Blowfish", "CAST")),
        )
        for mode in modes
    }
)
#: The values of those constants (code may pass the number itself).
PYCRYPTODOME_MODE_NUMBERS: Mapping[int, str] = MappingProxyType(
    {1: "ECB", 2: "CBC", 3: "CFB", 5: "OFB", 6: "CTR", 7: "OPENPGP", 8: "CCM", 9: "EAX", 10: "SIV", 11: "GCM", 12: "OCB", 13: "KW", 14: "KWP", 15: "GCM_SIV", 16: "XTS"}
)
#: What `new(key, mode, x)`'s third positional argument is, by mode (CTR, ECB,
#: KW and KWP take none; XTS takes its tweak only by keyword); and the keywords
#: that name it.
PYCRYPTODOME_THIRD_ARGUMENT: Mapping[str, str] = MappingProxyType(
    {"CBC": "iv", "CFB": "iv", "OFB": "iv", "OPENPGP": "iv", "CCM": "nonce", "EAX": "nonce", "SIV": "nonce", "GCM": "nonce", "OCB": "nonce", "GCM_SIV": "nonce"}
)
PYCRYPTODOME_NONCE_KEYWORDS: Mapping[str, Tuple[str, ...]] = MappingProxyType({"iv": ("iv", "IV"), "nonce": ("nonce",)})
#: The nonce size (bytes) each PyCryptodome mode wants with a 128-bit block
#: cipher (its own default for a random one, except GCM, where 12 bytes is the
#: standard size and PyCryptodome's default is 16).  IV modes want one block
#: and CTR half of one: see `pycryptodome_nonce_size`.
MODE_NONCE_SIZES: Mapping[str, int] = MappingProxyType(
    {"GCM": 12, "CCM": 11, "EAX": 16, "OCB": 15, "SIV": 16, "CBC": 16, "CFB": 16, "OFB": 16, "CTR": 8, "OPENPGP": 16, "GCM_SIV": 12}
)
#: PyCryptodome modes that authenticate (a repeated nonce also breaks the tag).
AUTHENTICATED_MODES: FrozenSet[str] = frozenset({"GCM", "CCM", "EAX", "OCB", "SIV", "GCM_SIV"})
#: Smallest safe random nonce by PyCryptodome mode, where shorter ones are accepted.
MODE_MIN_RANDOM_SIZES: Mapping[str, int] = MappingProxyType({"GCM": 12})
#: PyCryptodome's CTR counter blocks: `Counter.new(nbits, prefix, suffix, initial_value)`.
COUNTER_MAKERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"{pkg}.Util.Counter.new", "counter", {"prefix": (1, "prefix"), "suffix": (2, "suffix"), "initial_value": (3, "initial_value")})
            for pkg in _PYCRYPTODOME
        )
    }
)
#: Library constants code builds nonces from (`b"\0" * AES.block_size`).
KNOWN_CONSTANTS: Mapping[str, int] = MappingProxyType(
    {
        **{f"{pkg}.Cipher.{cls}.block_size": size for pkg in _PYCRYPTODOME for cls, size in (("AES", 16), ("DES", 8), ("DES3", 8), ("ARC2", 8), ("Blowfish", 8), ("CAST", 8))},
        **{f"{mod}.{cls}.block_size": bits for mod in (_ALGORITHMS, _ALGORITHMS_DECREPIT) for cls, bits in (("AES", 128), ("Camellia", 128), ("SM4", 128), ("TripleDES", 64), ("Blowfish", 64), ("CAST5", 64), ("IDEA", 64), ("SEED", 128), ("RC2", 64))},
        **{f"nacl.{name}": 24 for name in ("secret.SecretBox.NONCE_SIZE", "secret.Aead.NONCE_SIZE", "public.Box.NONCE_SIZE", "bindings.crypto_secretbox_NONCEBYTES", "bindings.crypto_box_NONCEBYTES", "bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES")},
    }
)


def pycryptodome_mode(
    call: ast.Call,
    api: Api,
    resolve: Callable[[ast.expr], Optional[str]],
    integer: Callable[[ast.expr], Optional[int]],
) -> Optional[str]:
    """The mode name of a PyCryptodome `new(key, mode, ...)` call (by its
    qualified name or its number), or None."""
    expr = argument(call, api, "mode")
    if expr is None:
        return None
    name = PYCRYPTODOME_MODES.get(resolve(expr) or "")
    if name is None:
        number = integer(expr)
        name = PYCRYPTODOME_MODE_NUMBERS.get(number) if number is not None else None
    return name


def pycryptodome_nonce(call: ast.Call, mode: str) -> Optional[Tuple[str, ast.expr]]:
    """(`iv` or `nonce`, expression) given to a PyCryptodome block cipher's
    `new(key, mode, ...)` in `mode`, positionally or by keyword."""
    role = PYCRYPTODOME_THIRD_ARGUMENT.get(mode, "nonce" if mode == "CTR" else "")
    if not role:
        return None
    for keyword in PYCRYPTODOME_NONCE_KEYWORDS[role]:
        for kw in call.keywords:
            if kw.arg == keyword:
                return role, kw.value
    if mode in PYCRYPTODOME_THIRD_ARGUMENT and len(call.args) > 2 and not any(isinstance(a, ast.Starred) for a in call.args[:3]):
        return role, call.args[2]
    return None


def pycryptodome_nonce_size(mode: str, block_size: int) -> Optional[int]:
    """The nonce size PyCryptodome's `mode` wants for a cipher with `block_size`."""
    if mode in ("CBC", "CFB", "OFB", "OPENPGP"):
        return block_size
    if mode == "CTR":
        return block_size // 2 if block_size >= 16 else None
    return MODE_NONCE_SIZES.get(mode)


# ------------------------------------------------ modes, ciphers and tags
#: `cryptography`'s mode classes -> mode name (`modes.ECB()`, `modes.CBC(iv)`).
CRYPTOGRAPHY_MODES: Mapping[str, str] = MappingProxyType(
    {
        **{f"{_MODES}.{mode}": mode for mode in ("ECB", "CBC", "CTR", "OFB", "CFB", "CFB8", "GCM", "XTS")},
        **{f"{_MODES_DECREPIT}.{mode}": mode for mode in ("OFB", "CFB", "CFB8")},
    }
)
#: Modes that encrypt without authenticating (PyCryptodome's OPENPGP is CFB).
#: XTS is left out: it is built for disks, where no room for a tag exists.
UNAUTHENTICATED_MODES: FrozenSet[str] = frozenset({"CBC", "CTR", "OFB", "CFB", "CFB8", "OPENPGP"})
#: Why each weak cipher is weak, by the name messages give it.
WEAK_CIPHER_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "DES": "has a 56-bit key that can be found by brute force",
        "3DES": "has 64-bit blocks that collide after about 32 GiB (Sweet32) and is withdrawn by NIST",
        "RC4": "has a biased keystream that leaks the plaintext",
        "RC2": "has 64-bit blocks and a key schedule open to related-key attacks",
        "Blowfish": "has 64-bit blocks that collide after about 32 GiB (Sweet32)",
        "CAST5": "has 64-bit blocks that collide after about 32 GiB (Sweet32)",
        "IDEA": "has 64-bit blocks that collide after about 32 GiB (Sweet32)",
        "SEED": "is a legacy cipher kept only for compatibility",
        "XOR": "is a repeating-key XOR that frequency analysis undoes",
    }
)
#: Constructors of weak ciphers -> the cipher's name (see WEAK_CIPHER_REASONS).
#: `cryptography` moved them to `decrepit` (TripleDES keeps an alias in
#: `algorithms`); PyCrypto alone has `XOR`; pyDes has DES and 3DES.
WEAK_CIPHERS: Mapping[str, str] = MappingProxyType(
    {
        **{
            f"{mod}.{cls}": algorithm
            for mod in (_ALGORITHMS, _ALGORITHMS_DECREPIT)
            for cls, algorithm in (
                ("TripleDES", "3DES"), ("Blowfish", "Blowfish"), ("CAST5", "CAST5"), ("ARC4", "RC4"),
                ("IDEA", "IDEA"), ("SEED", "SEED"), ("RC2", "RC2"),
            )
        },
        **{
            f"{pkg}.Cipher.{cls}.new": algorithm
            for pkg in _PYCRYPTODOME
            for cls, algorithm in (
                ("DES", "DES"), ("DES3", "3DES"), ("ARC2", "RC2"), ("ARC4", "RC4"), ("Blowfish", "Blowfish"),
                ("CAST", "CAST5"), ("XOR", "XOR"),
            )
        },
        **{f"{pkg}.Cipher.ARC4.ARC4Cipher": "RC4" for pkg in _PYCRYPTODOME},
        "pyDes.des": "DES",
        "pyDes.triple_des": "3DES",
        "M2Crypto.RC4.RC4": "RC4",
    }
)
#: pyDes: `des(key, mode=ECB, IV=None, pad=None, padmode=PAD_NORMAL)`, the
#: same for `triple_des`; ECB unless a mode is given.
PYDES_CIPHERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"pyDes.{cls}", "pydes-cipher", {"key": (0, "key"), "mode": (1, "mode"), "iv": (2, "IV")}, default_mode="ECB")
            for cls in ("des", "triple_des")
        )
    }
)
PYDES_MODES: Mapping[str, str] = MappingProxyType({"pyDes.ECB": "ECB", "pyDes.CBC": "CBC"})
PYDES_MODE_NUMBERS: Mapping[int, str] = MappingProxyType({0: "ECB", 1: "CBC"})
#: PyCrypto's block ciphers default to ECB when `new(key)` gets no mode
#: (PyCryptodome, which took over the `Crypto` name, requires one).
PYCRYPTO_DEFAULT_MODE = "ECB"
#: M2Crypto's `EVP.Cipher(alg, key, iv, op)`: `alg` is OpenSSL's cipher name
#: with underscores (`des_ede3_cbc`, `aes_128_ecb`, `rc4`); `op` is 1 to
#: encrypt and 0 to decrypt.
M2CRYPTO_CIPHERS: Mapping[str, Api] = MappingProxyType(
    {
        "M2Crypto.EVP.Cipher": _api(
            "M2Crypto.EVP.Cipher", "m2crypto-cipher", {"algorithm": (0, "alg"), "key": (1, "key"), "iv": (2, "iv"), "op": (3, "op")},
            directions={1: "encrypt", 0: "decrypt"},
        ),
    }
)
#: OpenSSL cipher-name prefixes of weak ciphers, longest first.
OPENSSL_WEAK_PREFIXES: Tuple[Tuple[str, str], ...] = (
    ("des_ede3", "3DES"), ("des_ede", "3DES"), ("desx", "DES"), ("des", "DES"), ("bf", "Blowfish"),
    ("cast5", "CAST5"), ("rc4", "RC4"), ("rc2", "RC2"), ("idea", "IDEA"), ("seed", "SEED"),
)
#: OpenSSL cipher-name suffixes -> mode (`cfb64` is CFB on a 64-bit block).
OPENSSL_MODE_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {"ecb": "ECB", "cbc": "CBC", "ctr": "CTR", "ofb": "OFB", "cfb": "CFB", "cfb1": "CFB", "cfb8": "CFB8", "cfb64": "CFB", "cfb128": "CFB", "gcm": "GCM", "ccm": "CCM", "ocb": "OCB"}
)


def openssl_cipher(name: str) -> Tuple[Optional[str], Optional[str]]:
    """(weak algorithm or None, mode or None) of an OpenSSL cipher name as
    M2Crypto spells it (`des_ede3_cbc` -> ("3DES", "CBC"))."""
    parts = name.lower().replace("-", "_").split("_")
    mode = OPENSSL_MODE_SUFFIXES.get(parts[-1]) if len(parts) > 1 else None
    base = "_".join(parts[:-1]) if mode else "_".join(parts)
    for prefix, algorithm in OPENSSL_WEAK_PREFIXES:
        if base == prefix or base.startswith(prefix + "_"):
            return algorithm, mode
    return None, mode


#: Where an AEAD takes the length of its tag, in bytes.  GCM's
#: `min_tag_length` only matters when decrypting (the tag made when
#: encrypting is always 16 bytes); the others set the tag made and accepted.
TAG_LENGTH_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"{_MODES}.GCM", "mode", {"tag_length": (2, "min_tag_length")}, mode="GCM", direction="decrypt"),
            _api(f"{_AEAD}.AESCCM", "aead", {"tag_length": (1, "tag_length")}, mode="CCM"),
        )
    }
)
#: PyCryptodome's `new(key, mode, ..., mac_len=n)`: the modes that take it.
PYCRYPTODOME_TAG_MODES: FrozenSet[str] = frozenset({"GCM", "EAX", "CCM", "OCB"})
PYCRYPTODOME_TAG_KEYWORD = "mac_len"
#: The full tag of every AEAD above, and what a fix sets.
FULL_TAG_BYTES = 16
#: Calls that authenticate data: MACs and signatures (an encryption with one
#: of these in the same function is taken as encrypt-then-MAC).  Instances'
#: methods (`hmac.new().update`) count through their constructor.
MAC_APIS: FrozenSet[str] = frozenset(
    {
        "hmac.new", "hmac.HMAC", "hmac.digest",
        f"{_HAZMAT}.hmac.HMAC", f"{_HAZMAT}.cmac.CMAC", f"{_HAZMAT}.poly1305.Poly1305",
        f"{_HAZMAT}.poly1305.Poly1305.generate_tag",
        *(
            f"{pkg}.{module}.new"
            for pkg in _PYCRYPTODOME
            for module in (
                "Hash.HMAC", "Hash.CMAC", "Hash.Poly1305", "Hash.KMAC128", "Hash.KMAC256",
                "Signature.pss", "Signature.pkcs1_15", "Signature.DSS", "Signature.eddsa", "Signature.PKCS1_v1_5", "Signature.PKCS1_PSS",
            )
        ),
        "nacl.bindings.crypto_onetimeauth", "nacl.bindings.crypto_auth",
        "django.utils.crypto.salted_hmac", "django.core.signing.dumps",
    }
)
#: Words in the name of a called function or method that say it
#: authenticates (`key.sign(...)`, `compute_hmac(...)`, `_auth_tag(...)`).
MAC_WORDS: FrozenSet[str] = frozenset({"mac", "hmac", "cmac", "gmac", "sign", "signature", "tag", "authenticate"})


#: Calls that encrypt their plaintext argument (for "passwords are never
#: encrypted"): qualified name -> Api with a `data` param.
ENCRYPT_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("cryptography.fernet.Fernet().encrypt", "encrypt", {"data": (0, "data")}),
            _api("cryptography.fernet.Fernet().encrypt_at_time", "encrypt", {"data": (0, "data")}),
            _api("cryptography.fernet.MultiFernet().encrypt", "encrypt", {"data": (0, "msg")}),
            *(
                _api(f"{_AEAD}.{cls}().encrypt", "encrypt", {"data": (1, "data")})
                for cls in ("AESGCM", "ChaCha20Poly1305", "AESCCM", "AESOCB3", "AESGCMSIV")
            ),
            _api(f"{_AEAD}.AESSIV().encrypt", "encrypt", {"data": (0, "data")}),
            _api(f"{_HAZMAT}.ciphers.Cipher().encryptor().update", "encrypt", {"data": (0, "data")}),
            *(
                _api(f"{pkg}.Cipher.{cls}.new().{method}", "encrypt", {"data": (0, "plaintext")})
                for pkg in _PYCRYPTODOME
                for cls in ("AES", "DES", "DES3", "ARC2", "ARC4", "Blowfish", "CAST", "ChaCha20", "ChaCha20_Poly1305", "Salsa20", "PKCS1_OAEP", "PKCS1_v1_5")
                for method in ("encrypt", "encrypt_and_digest")
            ),
            _api("nacl.secret.SecretBox().encrypt", "encrypt", {"data": (0, "plaintext")}),
            _api("nacl.public.Box().encrypt", "encrypt", {"data": (0, "plaintext")}),
            _api("nacl.public.SealedBox().encrypt", "encrypt", {"data": (0, "plaintext")}),
        )
    }
)


# -------------------------------------------------------------- credentials
#: Calls that take a password positionally (keywords are read by name), with
#: the environment variable a fix reads it from.
CREDENTIAL_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"smtplib.{cls}().login", "login", {"password": (1, "password")}, env="SMTP_PASSWORD")
                for cls in ("SMTP", "SMTP_SSL", "LMTP")
            ),
            *(
                _api(f"ftplib.{cls}().login", "login", {"password": (1, "passwd")}, env="FTP_PASSWORD")
                for cls in ("FTP", "FTP_TLS")
            ),
            *(_api(f"ftplib.{cls}", "login", {"password": (2, "passwd")}, env="FTP_PASSWORD") for cls in ("FTP", "FTP_TLS")),
            *(
                _api(f"imaplib.{cls}().login", "login", {"password": (1, "password")}, env="IMAP_PASSWORD")
                for cls in ("IMAP4", "IMAP4_SSL")
            ),
            *(_api(f"poplib.{cls}().pass_", "login", {"password": (0, "pswd")}, env="POP3_PASSWORD") for cls in ("POP3", "POP3_SSL")),
            *(
                _api(f"urllib.request.{cls}().add_password", "login", {"password": (3, "passwd")}, env="HTTP_PASSWORD")
                for cls in ("HTTPPasswordMgr", "HTTPPasswordMgrWithDefaultRealm", "HTTPPasswordMgrWithPriorAuth")
            ),
            *(
                _api(name, "http-auth", {"password": (1, "password")}, env="HTTP_PASSWORD")
                for name in (
                    "requests.auth.HTTPBasicAuth", "requests.auth.HTTPDigestAuth", "requests.auth.HTTPProxyAuth",
                    "requests.HTTPBasicAuth", "requests.HTTPDigestAuth", "httpx.BasicAuth", "httpx.DigestAuth",
                    "aiohttp.BasicAuth", "aiohttp.helpers.BasicAuth",
                )
            ),
            *(
                _api(f"{mod}.SSHClient().connect", "login", {"password": (3, "password")}, env="SSH_PASSWORD")
                for mod in ("paramiko", "paramiko.client")
            ),
            _api("paramiko.Transport().connect", "login", {"password": (2, "password")}, env="SSH_PASSWORD"),
            _api("ldap3.Connection", "login", {"password": (2, "password")}, env="LDAP_PASSWORD"),
            _api("keyring.set_password", "login", {"password": (2, "password")}, env="KEYRING_PASSWORD"),
        )
    }
)
#: Keywords whose value may be a `(user, password)` pair: `auth=("u", "p")`.
CREDENTIAL_PAIR_KEYWORDS: FrozenSet[str] = frozenset({"auth", "http_auth", "basic_auth", "proxy_auth"})


# ------------------------------------------- asymmetric keys and signatures
_ASYMMETRIC = f"{_HAZMAT}.asymmetric"
#: The RSA public exponent to use: FIPS 186-5 asks for one above 2**16, and
#: `cryptography` accepts only 65537 and, for legacy keys, 3.
RSA_PUBLIC_EXPONENT = 65537

#: Calls that generate an asymmetric key or its domain parameters, and where
#: its strength is set: `bits` (the modulus size), `curve` (an elliptic curve
#: object or name), `exponent` (RSA's public exponent), `type` (pyOpenSSL's
#: key type, which decides the family).  Facts: `family` (the policy minimum
#: that applies: rsa, dsa, dh, elgamal or ec), `default_bits` and
#: `default_curve` where the argument may be omitted, `safe_curve` (what a fix
#: puts in place of a weak curve, spelled as that library names it), and
#: `fixed_bits` where the protocol takes one size only: SSH's `ssh-dss` keys
#: are 1024-bit DSA, so no larger key fixes them, only another key type.
#: Checked against cryptography 50, PyCryptodome 4.4, python-rsa 4.9,
#: python-ecdsa 0.19, pyOpenSSL 25, paramiko 3.5 and 5.1, and M2Crypto.
KEY_GENERATORS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"{_ASYMMETRIC}.rsa.generate_private_key", "keygen", {"exponent": (0, "public_exponent"), "bits": (1, "key_size")}, family="rsa"),
            _api(f"{_ASYMMETRIC}.dsa.generate_private_key", "keygen", {"bits": (0, "key_size")}, family="dsa"),
            _api(f"{_ASYMMETRIC}.dsa.generate_parameters", "keygen", {"bits": (0, "key_size")}, family="dsa"),
            _api(f"{_ASYMMETRIC}.dh.generate_parameters", "keygen", {"bits": (1, "key_size")}, family="dh"),
            _api(f"{_ASYMMETRIC}.ec.generate_private_key", "keygen", {"curve": (0, "curve")}, family="ec", safe_curve="SECP256R1"),
            *(
                _api(f"{pkg}.PublicKey.{cls}.generate", "keygen", params, family=family)
                for pkg in _PYCRYPTODOME
                for cls, family, params in (
                    ("RSA", "rsa", {"bits": (0, "bits"), "exponent": (2, "e")}),
                    ("DSA", "dsa", {"bits": (0, "bits")}),
                    ("ElGamal", "elgamal", {"bits": (0, "bits")}),
                )
            ),
            *(_api(f"{pkg}.PublicKey.ECC.generate", "keygen", {"curve": (None, "curve")}, family="ec", safe_curve="P-256") for pkg in _PYCRYPTODOME),
            *(_api(name, "keygen", {"bits": (0, "bits")}, family="rsa") for name in ("paramiko.RSAKey.generate", "paramiko.rsakey.RSAKey.generate")),
            *(
                _api(name, "keygen", {"bits": (0, "bits")}, family="dsa", default_bits=1024, fixed_bits=1024)
                for name in ("paramiko.DSSKey.generate", "paramiko.dsskey.DSSKey.generate")
            ),
            *(_api(name, "keygen", {"bits": (0, "nbits"), "exponent": (3, "exponent")}, family="rsa") for name in ("rsa.newkeys", "rsa.key.newkeys")),
            _api("OpenSSL.crypto.PKey().generate_key", "keygen", {"type": (0, "type"), "bits": (1, "bits")}),
            *(
                _api(f"{mod}.SigningKey.generate", "keygen", {"curve": (0, "curve")}, family="ec", default_curve="NIST192p", safe_curve="NIST256p")
                for mod in ("ecdsa", "ecdsa.keys")
            ),
            _api("M2Crypto.RSA.gen_key", "keygen", {"bits": (0, "bits"), "exponent": (1, "e")}, family="rsa"),
            _api("M2Crypto.DSA.gen_params", "keygen", {"bits": (0, "bits")}, family="dsa"),
            _api("M2Crypto.DH.gen_params", "keygen", {"bits": (0, "plen")}, family="dh"),
        )
    }
)
#: pyOpenSSL's key types -> family.
OPENSSL_KEY_TYPES: Mapping[str, str] = MappingProxyType({"OpenSSL.crypto.TYPE_RSA": "rsa", "OpenSSL.crypto.TYPE_DSA": "dsa"})

#: Elliptic curves by qualified name (`cryptography` classes, python-ecdsa
#: curve objects) -> size in bits.  `cryptography` dropped its binary SECT
#: curves in version 45; older code still names them.
EC_CURVES: Mapping[str, int] = MappingProxyType(
    {
        **{
            f"{_ASYMMETRIC}.ec.{cls}": bits
            for cls, bits in (
                ("SECP192R1", 192), ("SECP224R1", 224), ("SECP256R1", 256), ("SECP256K1", 256), ("SECP384R1", 384),
                ("SECP521R1", 521), ("BrainpoolP256R1", 256), ("BrainpoolP384R1", 384), ("BrainpoolP512R1", 512),
                ("SECT163K1", 163), ("SECT163R2", 163), ("SECT233K1", 233), ("SECT233R1", 233), ("SECT283K1", 283),
                ("SECT283R1", 283), ("SECT409K1", 409), ("SECT409R1", 409), ("SECT571K1", 571), ("SECT571R1", 571),
            )
        },
        **{
            f"{mod}.{name}": bits
            for mod in ("ecdsa", "ecdsa.curves")
            for name, bits in (
                ("NIST192p", 192), ("NIST224p", 224), ("NIST256p", 256), ("NIST384p", 384), ("NIST521p", 521),
                ("SECP112r1", 112), ("SECP112r2", 112), ("SECP128r1", 128), ("SECP160r1", 160), ("SECP256k1", 256),
                *((f"BRAINPOOLP{size}{kind}1", size) for size in (160, 192, 224, 256, 320, 384, 512) for kind in "rt"),
                ("Ed25519", 255), ("Ed448", 448),
            )
        },
    }
)
#: PyCryptodome's curve names (`ECC.generate(curve="P-192")`) -> size in bits.
PYCRYPTODOME_CURVES: Mapping[str, int] = MappingProxyType(
    {
        **{name: bits for bits in (192, 224, 256, 384, 521) for name in (f"p{bits}", f"NIST P-{bits}", f"P-{bits}", f"prime{bits}v1", f"secp{bits}r1", f"nistp{bits}")},
        **{name: 255 for name in ("ed25519", "Ed25519", "curve25519", "Curve25519", "X25519")},
        **{name: 448 for name in ("ed448", "Ed448", "curve448", "Curve448", "X448")},
        **{name: 256 for name in ("secp256k1", "k256", "K-256", "bitcoin")},
    }
)

#: Padding that makes an RSA encryption PKCS#1 v1.5 (RSAES-PKCS1-v1_5) when
#: it is given to one of `RSA_ENCRYPTION_METHODS`.  The same `PKCS1v15()`
#: object given to `sign` makes RSASSA-PKCS1-v1_5 signatures, which are fine.
PKCS1V15_PADDINGS: FrozenSet[str] = frozenset({f"{_ASYMMETRIC}.padding.PKCS1v15", "M2Crypto.RSA.pkcs1_padding"})
#: RSA encryption methods by name, with where their padding goes: keys are
#: rarely resolvable (they are loaded or passed in), so a `PKCS1V15_PADDINGS`
#: argument there identifies the call.  `direction`: encrypt or decrypt.
RSA_ENCRYPTION_METHODS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("encrypt", "rsa-encrypt", {"padding": (1, "padding")}, direction="encrypt"),
            _api("decrypt", "rsa-encrypt", {"padding": (1, "padding")}, direction="decrypt"),
            _api("public_encrypt", "rsa-encrypt", {"padding": (1, "padding")}, direction="encrypt"),
            _api("private_decrypt", "rsa-encrypt", {"padding": (1, "padding")}, direction="decrypt"),
        )
    }
)
#: Calls that are PKCS#1 v1.5 encryption whatever their arguments: PyCryptodome's
#: `Crypto.Cipher.PKCS1_v1_5` (not `Crypto.Signature.PKCS1_v1_5`) and
#: python-rsa, which implements no other encryption padding.  `replacement`:
#: the OAEP cipher of the same library, when there is one.
PKCS1V15_CIPHERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"{pkg}.Cipher.PKCS1_v1_5.new", "pkcs1v15-cipher", {"key": (0, "key"), "randfunc": (1, "randfunc")}, replacement=f"{pkg}.Cipher.PKCS1_OAEP")
                for pkg in _PYCRYPTODOME
            ),
            *(
                _api(f"{mod}.{fn}", "pkcs1v15-call", {}, direction=fn)
                for mod in ("rsa", "rsa.pkcs1")
                for fn in ("encrypt", "decrypt")
            ),
        )
    }
)

#: Hashes too weak to sign with (collisions let one signature cover two
#: documents), and those an HMAC should not use.  HMAC-SHA1 is still a sound
#: MAC (HMAC does not need collision resistance) that protocols fix (TOTP,
#: OAuth 1.0a), so only the strict policy reports it.
WEAK_SIGNATURE_HASHES: FrozenSet[str] = frozenset({"md2", "md4", "md5", "sha1", "md5-sha1", "md5_sha1"})
WEAK_MAC_HASHES: FrozenSet[str] = frozenset({"md2", "md4", "md5"})
#: Starts of words in the name of a function or class that implements an
#: authentication protocol whose MAC is HMAC-MD5 by definition (CRAM-MD5,
#: RFC 2195; NTLMv2; APOP; RADIUS; TACACS+; MS-CHAP): not the code's choice.
MAC_PROTOCOL_WORDS: FrozenSet[str] = frozenset({"cram", "ntlm", "apop", "radius", "tacacs", "mschap"})
#: Methods that sign (or verify) with a hash among their arguments: RSA keys'
#: `sign(data, padding, algorithm)`, DSA's `sign(data, algorithm)`, EC's
#: `sign(data, signature_algorithm)`, X.509 builders' `sign(private_key,
#: algorithm)`; `verify` takes the signature first; `signer`/`verifier` are
#: the API before cryptography 2.0.  Keys are rarely resolvable, so a call
#: is identified by the method name and a `cryptography` hash, `ECDSA(...)`
#: or `Prehashed(...)` at one of `positions` or keywords.
SIGNATURE_METHODS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("sign", "sign", {"hash": (None, "algorithm"), "signature_algorithm": (None, "signature_algorithm")}, positions=(1, 2), direction="sign"),
            _api("signer", "sign", {"hash": (None, "algorithm"), "signature_algorithm": (None, "signature_algorithm")}, positions=(0, 1), direction="sign"),
            _api("verify", "sign", {"hash": (None, "algorithm"), "signature_algorithm": (None, "signature_algorithm")}, positions=(2, 3), direction="verify"),
            _api("verifier", "sign", {"hash": (None, "algorithm"), "signature_algorithm": (None, "signature_algorithm")}, positions=(1, 2), direction="verify"),
        )
    }
)
#: `cryptography` objects that carry the hash a signature uses.
SIGNATURE_HASH_WRAPPERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"{_ASYMMETRIC}.ec.ECDSA", "hash-wrapper", {"hash": (0, "algorithm")}),
            _api(f"{_ASYMMETRIC}.utils.Prehashed", "hash-wrapper", {"hash": (0, "algorithm")}),
        )
    }
)
#: Signing calls known by qualified name, with where the hash goes: a hash
#: object (PyCryptodome), a hash name (python-rsa, pyOpenSSL) or a hash
#: function (python-ecdsa).  `direction`: sign or verify.
SIGNATURE_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"{pkg}.Signature.{scheme}.new().{method}", "sign", {"hash": (0, "msg_hash")}, direction=method)
                for pkg in _PYCRYPTODOME
                for scheme in ("pkcs1_15", "pss", "DSS", "PKCS1_v1_5", "PKCS1_PSS")
                for method in ("sign", "verify")
            ),
            *(
                _api(f"{mod}.{fn}", "sign", {"hash": (2, "hash_method")}, direction="sign")
                for mod in ("rsa", "rsa.pkcs1")
                for fn in ("sign", "sign_hash")
            ),
            _api("OpenSSL.crypto.sign", "sign", {"hash": (2, "digest")}, direction="sign"),
            _api("OpenSSL.crypto.verify", "sign", {"hash": (3, "digest")}, direction="verify"),
            _api("OpenSSL.crypto.X509().sign", "sign", {"hash": (1, "digest")}, direction="sign"),
            _api("OpenSSL.crypto.X509Req().sign", "sign", {"hash": (1, "digest")}, direction="sign"),
            _api("OpenSSL.crypto.CRL().export", "sign", {"hash": (4, "digest")}, direction="sign"),
            *(
                _api(f"{mod}.SigningKey.{maker}", "sign", {"hash": (position, "hashfunc")}, direction="sign")
                for mod in ("ecdsa", "ecdsa.keys")
                for maker, position in (("generate", 2), ("from_string", 2), ("from_secret_exponent", 2), ("from_pem", 1), ("from_der", 1))
            ),
            *(
                _api(f"{mod}.SigningKey.{maker}().{method}", "sign", {"hash": (position, "hashfunc")}, direction="sign")
                for mod in ("ecdsa", "ecdsa.keys")
                for maker in ("generate", "from_string", "from_secret_exponent", "from_pem", "from_der")
                for method, position in (("sign", 2), ("sign_deterministic", 1))
            ),
        )
    }
)
#: HMAC constructors whose hash may be left out: (the hash that meant, the
#: Python version that made it an error).  The standard library's
#: `digestmod` defaulted to MD5 until Python 3.8; PyCryptodome's still does.
HMAC_DEFAULT_HASHES: Mapping[str, Tuple[str, Optional[str]]] = MappingProxyType(
    {
        "hmac.new": ("md5", "3.8"),
        "hmac.HMAC": ("md5", "3.8"),
        **{f"{pkg}.Hash.HMAC.new": ("md5", None) for pkg in _PYCRYPTODOME},
    }
)


def lookup(table: Mapping[str, Api], qualname: Optional[str]) -> Optional[Api]:
    """The entry for `qualname` in `table`, or None."""
    if qualname is None:
        return None
    return table.get(qualname)


def names_of(*tables: Mapping[str, object]) -> Iterable[str]:
    for table in tables:
        yield from table


# ----------------------------------------------------------- key management
#: Encodings anyone can undo (CRY701): qualified name -> what a message calls
#: the encoding.  They carry the data, hide nothing.
REVERSIBLE_ENCODINGS: Mapping[str, str] = MappingProxyType(
    {
        **{f"base64.{fn}": "base64" for fn in ("b64encode", "standard_b64encode", "urlsafe_b64encode", "encodebytes", "encodestring")},
        **{f"base64.{fn}": "base32" for fn in ("b32encode", "b32hexencode")},
        "base64.b16encode": "hex", "base64.b85encode": "base85", "base64.a85encode": "Ascii85",
        "binascii.hexlify": "hex", "binascii.b2a_hex": "hex", "binascii.b2a_base64": "base64",
    }
)
#: `codecs.encode(obj, encoding)`: the codecs among its text/bytes
#: transforms that only disguise data -> what a message calls them.
CODEC_ENCODERS: Mapping[str, Api] = MappingProxyType(
    {"codecs.encode": _api("codecs.encode", "codec", {"data": (0, "obj"), "codec": (1, "encoding")})}
)
REVERSIBLE_CODECS: Mapping[str, str] = MappingProxyType(
    {
        **{name: "ROT13" for name in ("rot13", "rot_13", "rot-13")},
        **{name: "base64" for name in ("base64", "base_64", "base64_codec")},
        **{name: "hex" for name in ("hex", "hex_codec")},
    }
)

#: JWT decoders (CRY703), with where the key, the allowed algorithms, the
#: options and a verification switch go.  PyJWT 2 takes `algorithms` third;
#: PyJWT 1 took `verify` there (`legacy_verify_position`) and accepted any
#: algorithm when `algorithms` was left out (`requires_algorithms`).
#: Checked against PyJWT 1.7 and 2.10, python-jose 3.5 and Authlib 1.6.
_PYJWT_DECODERS = tuple(
    f"{owner}.{fn}"
    for owner in ("jwt", "jwt.api_jwt", "jwt.PyJWT()", "jwt.api_jwt.PyJWT()", "jwt.api_jws", "jwt.PyJWS()", "jwt.api_jws.PyJWS()")
    for fn in ("decode", "decode_complete")
)
JWT_DECODERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(
                    name, "jwt-decode",
                    {"token": (0, "jwt"), "key": (1, "key"), "algorithms": (2, "algorithms"), "options": (3, "options"), "verify": (None, "verify")},
                    library="PyJWT", requires_algorithms=True, legacy_verify_position=2,
                )
                for name in _PYJWT_DECODERS
            ),
            _api(
                "jose.jwt.decode", "jwt-decode",
                {"token": (0, "token"), "key": (1, "key"), "algorithms": (2, "algorithms"), "options": (3, "options")},
                library="python-jose",
            ),
            _api(
                "jose.jws.verify", "jwt-decode",
                {"token": (0, "token"), "key": (1, "key"), "algorithms": (2, "algorithms"), "verify": (3, "verify")},
                library="python-jose",
            ),
            *(
                _api(f"authlib.jose.{where}{cls}", "jwt-decoder", {"algorithms": (0, "algorithms")}, library="Authlib")
                for where in ("", "rfc7519.", "rfc7515.")
                for cls in ("JsonWebToken", "JsonWebSignature")
            ),
        )
    }
)
#: The `options` entry that turns signature checking off when False.
JWT_VERIFY_OPTION = "verify_signature"
#: Algorithm names that mean an unsigned token.
JWT_UNSIGNED_ALGORITHMS: FrozenSet[str] = frozenset({"none"})
#: Calls that read a token's header before it is verified: `algorithms`
#: made from them let the token pick its own algorithm.
JWT_UNVERIFIED_READERS: FrozenSet[str] = frozenset(
    {
        "jwt.get_unverified_header", "jwt.api_jws.get_unverified_header", "jwt.PyJWS().get_unverified_header",
        "jose.jwt.get_unverified_header", "jose.jwt.get_unverified_headers", "jose.jwt.get_unverified_claims",
        "jose.jws.get_unverified_header", "jose.jws.get_unverified_headers",
    }
)
#: Keys that carry their algorithm (PyJWT 2 then needs no `algorithms`).
JWT_KEYS_WITH_ALGORITHM: FrozenSet[str] = frozenset(
    {
        "jwt.PyJWK", "jwt.api_jwk.PyJWK", "jwt.PyJWK.from_json", "jwt.PyJWK.from_dict",
        *(
            f"{owner}().{method}"
            for owner in ("jwt.PyJWKClient", "jwt.jwks_client.PyJWKClient")
            for method in ("get_signing_key", "get_signing_key_from_jwt")
        ),
    }
)

#: HTTP clients with a certificate-verification switch (CRY704), by role:
#: `verify` turns checking off when False, `cert_reqs` when it is
#: `CERT_NONE`, `hostname` turns the host name check off when False.  Fact
#: `fixable`: True is a valid value of the `verify` keyword in every version
#: (aiohttp's `ssl` took None, not True, before 3.9).
_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
TLS_VERIFY_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"{owner}.{method}", "http", {"verify": (None, "verify")}, fixable=True)
                for owner in (
                    "requests", "requests.api", "requests.Session()", "requests.sessions.Session()",
                    "requests.session()", "requests.sessions.session()",
                )
                for method in (*_HTTP_METHODS, "send")
                if method != "send" or "()" in owner
            ),
            *(_api(f"httpx.{fn}", "http", {"verify": (None, "verify")}, fixable=True) for fn in (*_HTTP_METHODS, "stream")),
            *(
                _api(f"httpx.{cls}", "http", {"verify": (None, "verify")}, fixable=True)
                for cls in ("Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport")
            ),
            *(
                _api(name, "http", {"verify": (None, "ssl"), "legacy_verify": (None, "verify_ssl")})
                for name in (
                    "aiohttp.request", "aiohttp.TCPConnector", "aiohttp.connector.TCPConnector",
                    *(f"aiohttp.ClientSession().{method}" for method in (*_HTTP_METHODS, "ws_connect")),
                )
            ),
            *(
                _api(f"{pkg}.{name}", "http", {"cert_reqs": (None, "cert_reqs"), "hostname": (None, "assert_hostname")})
                for pkg in ("urllib3", "requests.packages.urllib3")
                for name in (
                    "PoolManager", "ProxyManager", "HTTPSConnectionPool", "connection_from_url", "proxy_from_url",
                    "poolmanager.PoolManager", "poolmanager.ProxyManager", "connectionpool.HTTPSConnectionPool",
                    "connectionpool.connection_from_url",
                )
            ),
            *(
                _api(f"urllib3.{where}create_urllib3_context", "ssl-context", {"cert_reqs": (1, "cert_reqs")})
                for where in ("util.", "util.ssl_.")
            ),
        )
    }
)
#: Objects whose `verify` attribute turns checking off when set to False.
TLS_VERIFY_ATTRIBUTE_OWNERS: FrozenSet[str] = frozenset(
    {"requests.Session()", "requests.sessions.Session()", "requests.session()", "requests.sessions.session()"}
)
#: `ssl` constants that turn certificate checking off, and the one that turns it on.
CERT_NONE_CONSTANTS: FrozenSet[str] = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
CERT_NONE_NAMES: FrozenSet[str] = frozenset({"CERT_NONE", "NONE"})
CERT_REQUIRED = "CERT_REQUIRED"
CERT_REQUIRED_CONSTANTS: FrozenSet[str] = frozenset({"ssl.CERT_REQUIRED", "ssl.VerifyMode.CERT_REQUIRED"})
#: Calls that make an `ssl.SSLContext`, with what decides its side: a
#: `purpose` (`Purpose.CLIENT_AUTH` makes a server's context) or a
#: `protocol` (`PROTOCOL_TLS_CLIENT` a client's).  A client context checks
#: certificates and host names unless told not to; a server context does not
#: ask for client certificates by default, which is fine.
SSL_CONTEXT_MAKERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("ssl.create_default_context", "ssl-context", {"purpose": (0, "purpose")}, side="client"),
            _api("ssl.SSLContext", "ssl-context", {"protocol": (0, "protocol")}, side=None),
            *(_api(f"urllib3.{where}create_urllib3_context", "ssl-context", {}, side="client") for where in ("util.", "util.ssl_.")),
        )
    }
)
SERVER_PURPOSES: FrozenSet[str] = frozenset({"ssl.Purpose.CLIENT_AUTH"})
CLIENT_PROTOCOLS: FrozenSet[str] = frozenset({"ssl.PROTOCOL_TLS_CLIENT"})
#: Context attributes that switch a check off, and the value that does.
SSL_CONTEXT_SWITCHES: Mapping[str, str] = MappingProxyType({"check_hostname": "false", "verify_mode": "cert-none"})
#: Functions that make a context that checks nothing (any reference, called
#: or installed as `ssl._create_default_https_context`), and their checking
#: equivalent.
UNVERIFIED_CONTEXT_MAKERS: Mapping[str, str] = MappingProxyType({"ssl._create_unverified_context": "create_default_context"})

#: Protocol versions with known attacks, by constant -> the version: SSL 2
#: (RFC 6176), SSL 3 (RFC 7568), TLS 1.0 and 1.1 (RFC 8996) (CRY705).
#: pyOpenSSL's `SSLv23_METHOD` and `ssl.PROTOCOL_TLS` negotiate the highest
#: version both sides have, so they are not in this table.
WEAK_TLS_VERSIONS: Mapping[str, str] = MappingProxyType(
    {
        **{f"ssl.PROTOCOL_{name}": version for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))},
        **{f"ssl.TLSVersion.{name}": version for name, version in (("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))},
        **{
            f"OpenSSL.SSL.{name}_METHOD": version
            for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))
        },
    }
)
#: Options that turn a weak version off; clearing one (`options &= ~OP_NO_TLSv1`) turns it back on.
WEAK_TLS_DISABLERS: Mapping[str, str] = MappingProxyType(
    {
        f"{owner}.OP_NO_{name}": version
        for owner in ("ssl", "ssl.Options", "OpenSSL.SSL")
        for name, version in (("SSLv2", "SSL 2.0"), ("SSLv3", "SSL 3.0"), ("TLSv1", "TLS 1.0"), ("TLSv1_1", "TLS 1.1"))
    }
)
#: Calls that choose a protocol version, with where: `protocol` (a
#: `PROTOCOL_*`/`*_METHOD` constant) or `minimum`/`maximum` (a `TLSVersion`).
TLS_VERSION_APIS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("ssl.SSLContext", "ssl-context", {"protocol": (0, "protocol")}),
            _api("ssl.get_server_certificate", "ssl-call", {"protocol": (1, "ssl_version")}),
            _api("OpenSSL.SSL.Context", "ssl-context", {"protocol": (0, "method")}),
            *(
                _api(f"urllib3.{where}create_urllib3_context", "ssl-context", {"protocol": (0, "ssl_version"), "minimum": (None, "ssl_minimum_version"), "maximum": (None, "ssl_maximum_version")})
                for where in ("util.", "util.ssl_.")
            ),
        )
    }
)
#: Keywords that choose a version on any call (urllib3's pools and
#: requests adapters' `init_poolmanager(..., ssl_version=...)`).
TLS_VERSION_KEYWORDS: Mapping[str, str] = MappingProxyType(
    {"ssl_version": "protocol", "ssl_minimum_version": "minimum", "ssl_maximum_version": "maximum"}
)
#: `SSLContext` attributes that bound the versions a context accepts.
TLS_VERSION_ATTRIBUTES: Mapping[str, str] = MappingProxyType({"minimum_version": "minimum", "maximum_version": "maximum"})
#: Functions that wrap a socket in TLS the legacy way -> why that is weak.
LEGACY_TLS_WRAPPERS: Mapping[str, str] = MappingProxyType(
    {"ssl.wrap_socket": "checks no certificate or host name by default and was removed in Python 3.12"}
)

#: Calls that serialize a private key (CRY706), with where its protection
#: goes.  Fact `unprotected`: the qualified name of the object that means no
#: encryption (`cryptography`'s `NoEncryption()`); without it, leaving the
#: argument out or passing None does.  `by_method`: known by the method name
#: alone (the key object is rarely resolvable), the arguments telling it is
#: a private key.  `writes`: the call writes the file itself (`target`:
#: `path` or an open `file`).  Checked against cryptography 50,
#: PyCryptodome 4.4, pyOpenSSL 25 and paramiko 3.5/5.1.
PRIVATE_KEY_EXPORTS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("private_bytes", "key-export", {"protection": (2, "encryption_algorithm")}, by_method=True, unprotected=f"{_HAZMAT}.serialization.NoEncryption"),
            *(
                _api(f"{pkg}.PublicKey.{cls}.generate().{method}", "key-export", {"protection": (position, "passphrase")})
                for pkg in _PYCRYPTODOME
                for cls, position in (("RSA", 1), ("DSA", 2), ("ECC", None))
                for method in ("export_key", "exportKey")
            ),
            _api("OpenSSL.crypto.dump_privatekey", "key-export", {"protection": (2, "cipher")}),
            _api("write_private_key_file", "key-export", {"protection": (1, "password"), "target": (0, "filename")}, by_method=True, writes="path", library="paramiko"),
            _api("write_private_key", "key-export", {"protection": (1, "password"), "target": (0, "file_obj")}, by_method=True, writes="file", library="paramiko"),
        )
    }
)
#: Calls that open a file for writing and return it, and those that make a
#: temporary file (kept with owner-only permissions and removed after use).
FILE_OPENERS: FrozenSet[str] = frozenset({"builtins.open", "io.open", "os.fdopen", "codecs.open", "pathlib.Path().open"})
TEMPORARY_FILES: FrozenSet[str] = frozenset(
    {"tempfile.mkstemp", "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "tempfile.SpooledTemporaryFile"}
)
#: Methods that write their argument to the file they are called on
#: (`Path.write_bytes`, an open file's `write`), and `os.write(fd, data)`.
FILE_WRITE_METHODS: FrozenSet[str] = frozenset({"write", "writelines", "write_bytes", "write_text"})
FD_WRITERS: FrozenSet[str] = frozenset({"os.write"})


# ------------------------------------------------ deprecated crypto libraries
_USE_AEAD = "use `AESGCM` from `cryptography`"
_USE_URANDOM = "use `os.urandom` or `secrets.token_bytes`"
_PYCRYPTO = "PyCrypto, unmaintained since 2013 with known unfixed flaws (CVE-2013-7459)"
#: Modules (and their submodules) whose import means a deprecated crypto
#: library (CRY606): qualified name -> (what a message says of it, what to
#: use instead).  PyCryptodome installs as `Crypto` too and is maintained, so
#: only modules that PyCrypto shipped and PyCryptodome never did (it dropped
#: them in its first release, 3.0) count; `Crypto.Random.Fortuna`,
#: `Crypto.Hash.SHA`, `RSA.importKey` and the like were in some PyCryptodome
#: release and do not.
DEPRECATED_MODULES: Mapping[str, Tuple[str, str]] = MappingProxyType(
    {
        **{
            f"Crypto.{module}": (f"is {what} of {_PYCRYPTO}", instead)
            for module, what, instead in (
                ("Cipher.XOR", "the repeating-key XOR", _USE_AEAD),
                ("Random.OSRNG", "the OS random source", _USE_URANDOM),
                ("Util.randpool", "the `RandomPool` (deprecated even there)", _USE_URANDOM),
                ("Random.randpool", "the `RandomPool` (deprecated even there)", _USE_URANDOM),
                ("Util.winrandom", "the Windows random source", _USE_URANDOM),
                ("Protocol.AllOrNothing", "the all-or-nothing transform", _USE_AEAD),
                ("Protocol.Chaffing", "the chaffing-and-winnowing scheme", _USE_AEAD),
            )
        },
        "simplecrypt": ("(simple-crypt) is unmaintained since 2014 and built on PyCrypto", "use `cryptography`'s `Fernet`"),
        "pyDes": ("is unmaintained since 2010 and offers only DES and 3DES", _USE_AEAD),
        "keyczar": ("(Keyczar) is deprecated by its authors", "use Tink or `cryptography`"),
    }
)
#: Deprecated calls that give weak results: qualified name -> (what a
#: message says of it, what to use instead).
DEPRECATED_CALLS: Mapping[str, Tuple[str, str]] = MappingProxyType(
    {
        **{
            name: ("may return bytes that are not unpredictable (OpenSSL deprecated `RAND_pseudo_bytes`)", _USE_URANDOM)
            for name in ("M2Crypto.Rand.rand_pseudo_bytes", "M2Crypto.m2.rand_pseudo_bytes", "ssl.RAND_pseudo_bytes")
        },
    }
)
#: PyCrypto's key objects did raw ("textbook") public-key operations:
#: `key.encrypt(data, K)`, `key.sign(data, K)`.  PyCryptodome's keys raise
#: NotImplementedError there, so such a call is PyCrypto.  Key makers ->
#: family; method -> family -> (what a message says of it, what to use instead).
PYCRYPTO_KEY_MAKERS: Mapping[str, str] = MappingProxyType(
    {
        f"Crypto.PublicKey.{family}.{maker}": family
        for family in ("RSA", "DSA", "ElGamal")
        for maker in ("generate", "importKey", "import_key", "construct")
    }
)
_UNPADDED = "is PyCrypto's textbook {}, with no padding: deterministic and malleable"
_FORGEABLE = "is PyCrypto's textbook RSA signature, with no padding: signatures can be forged from others"
_CALLER_K = "is PyCrypto's raw {} signature, whose secret per-signature `K` the caller supplies (one repeated `K` gives the key away)"
_USE_CRYPTOGRAPHY = "use `cryptography`"
PYCRYPTO_RAW_METHODS: Mapping[str, Mapping[str, Tuple[str, str]]] = MappingProxyType(
    {
        "encrypt": {"RSA": (_UNPADDED.format("RSA"), "use `PKCS1_OAEP.new(key).encrypt`"), "ElGamal": (_UNPADDED.format("ElGamal"), _USE_CRYPTOGRAPHY)},
        "decrypt": {"RSA": (_UNPADDED.format("RSA"), "use `PKCS1_OAEP.new(key).decrypt`"), "ElGamal": (_UNPADDED.format("ElGamal"), _USE_CRYPTOGRAPHY)},
        "sign": {
            "RSA": (_FORGEABLE, "use `pss.new(key).sign`"),
            "DSA": (_CALLER_K.format("DSA"), 'use `DSS.new(key, "fips-186-3").sign`'),
            "ElGamal": (_CALLER_K.format("ElGamal"), _USE_CRYPTOGRAPHY),
        },
        "verify": {
            "RSA": (_FORGEABLE, "use `pss.new(key).verify`"),
            "DSA": ("is PyCrypto's raw DSA verification", 'use `DSS.new(key, "fips-186-3").verify`'),
            "ElGamal": ("is PyCrypto's raw ElGamal verification", _USE_CRYPTOGRAPHY),
        },
        "blind": {"RSA": ("is PyCrypto's raw RSA blinding", _USE_CRYPTOGRAPHY)},
        "unblind": {"RSA": ("is PyCrypto's raw RSA blinding", _USE_CRYPTOGRAPHY)},
    }
)


# --------------------------------------------------- weak password schemes
_DES = "DES-crypt, which reads only the first 8 characters"
#: passlib schemes that store passwords weakly (CRY607): scheme -> why.
#: Left out on purpose: schemes with a tunable, adequate default cost
#: (`sha1_crypt`, `phpass`, `fshp`, the PBKDF2 variants, `msdcc2`, whose
#: costs CRY204 judges where it can), and `unix_disabled`/`django_disabled`/
#: `unix_fallback`, which mark accounts rather than hash passwords, and
#: `htdigest`, which HTTP Digest authentication defines (no stronger choice).
WEAK_PASSLIB_SCHEMES: Mapping[str, str] = MappingProxyType(
    {
        **{name: _DES for name in ("des_crypt", "bsdi_crypt", "bigcrypt", "crypt16", "ldap_des_crypt", "ldap_bsdi_crypt", "django_des_crypt", "oracle10")},
        **{name: "MD5-crypt, a thousand rounds of MD5" for name in ("md5_crypt", "apr_md5_crypt", "ldap_md5_crypt")},
        "sun_md5_crypt": "iterated MD5 with a low default cost",
        **{
            name: f"one unsalted round of {digest}"
            for name, digest in (
                ("hex_md4", "MD4"), ("hex_md5", "MD5"), ("hex_sha1", "SHA-1"), ("hex_sha256", "SHA-256"), ("hex_sha512", "SHA-512"),
                ("ldap_md5", "MD5"), ("ldap_sha1", "SHA-1"), ("ldap_hex_md5", "MD5"), ("ldap_hex_sha1", "SHA-1"),
                ("mysql41", "double SHA-1"), ("nthash", "MD4"), ("bsd_nthash", "MD4"),
            )
        },
        **{
            name: f"one salted round of {digest}"
            for name, digest in (
                ("ldap_salted_md5", "MD5"), ("ldap_salted_sha1", "SHA-1"), ("ldap_salted_sha256", "SHA-256"),
                ("ldap_salted_sha512", "SHA-512"), ("django_salted_md5", "MD5"), ("django_salted_sha1", "SHA-1"),
                ("postgres_md5", "MD5 (the salt is the user name)"), ("oracle11", "SHA-1"), ("mssql2000", "SHA-1"),
                ("mssql2005", "SHA-1"), ("msdcc", "MD4 (the salt is the user name)"), ("cisco_pix", "MD5"), ("cisco_asa", "MD5"),
            )
        },
        "mysql323": "MySQL's pre-4.1 hash, which is broken",
        "lmhash": "LAN Manager's hash, which is broken",
        "cisco_type7": "a reversible encoding, not a hash",
        **{name: "the password itself" for name in ("plaintext", "ldap_plaintext", "roundup_plaintext")},
    }
)
#: Methods of a passlib handler (or preset context) that make a new hash.
PASSLIB_HASH_METHODS: FrozenSet[str] = frozenset({"hash", "encrypt", "genhash"})
#: passlib's preset contexts whose default scheme is weak -> that scheme.
PASSLIB_WEAK_PRESETS: Mapping[str, str] = MappingProxyType(
    {
        "passlib.apps.ldap_context": "ldap_salted_sha512",
        "passlib.apps.ldap_nocrypt_context": "ldap_salted_sha512",
        "passlib.apps.mysql3_context": "mysql323",
        "passlib.apps.mysql4_context": "mysql41",
        "passlib.apps.mysql_context": "mysql41",
        "passlib.apps.postgres_context": "postgres_md5",
        "passlib.apps.django10_context": "django_salted_sha1",
        "passlib.apps.roundup10_context": "ldap_hex_sha1",
    }
)
_DJANGO_HASHERS = "django.contrib.auth.hashers"
#: Django's fast or broken hashers: algorithm name (what `make_password`'s
#: `hasher=` and `get_hasher` take) -> (class, why).  Django keeps
#: `MD5PasswordHasher` for speeding up tests, never for production.
DJANGO_WEAK_HASHERS: Mapping[str, Tuple[str, str]] = MappingProxyType(
    {
        "md5": (f"{_DJANGO_HASHERS}.MD5PasswordHasher", "one salted round of MD5"),
        "unsalted_md5": (f"{_DJANGO_HASHERS}.UnsaltedMD5PasswordHasher", "one unsalted round of MD5"),
        "sha1": (f"{_DJANGO_HASHERS}.SHA1PasswordHasher", "one salted round of SHA-1"),
        "unsalted_sha1": (f"{_DJANGO_HASHERS}.UnsaltedSHA1PasswordHasher", "one unsalted round of SHA-1"),
        "crypt": (f"{_DJANGO_HASHERS}.CryptPasswordHasher", "the system's `crypt`, DES-based on many systems"),
    }
)
#: Django calls that take a hasher: `make_password(password, salt, hasher)`,
#: `get_hasher(algorithm)`.
DJANGO_HASHER_CALLS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api(f"{_DJANGO_HASHERS}.make_password", "django-hash", {"hasher": (2, "hasher")}),
            _api(f"{_DJANGO_HASHERS}.get_hasher", "django-hasher", {"hasher": (0, "algorithm")}),
        )
    }
)
#: The standard library's `crypt` methods that are weak -> why (`crypt.crypt(word,
#: crypt.METHOD_MD5)`, `crypt.mksalt(crypt.METHOD_CRYPT)`), and salt prefixes
#: that select them (a two-character salt is DES).
CRYPT_WEAK_METHODS: Mapping[str, str] = MappingProxyType(
    {"crypt.METHOD_CRYPT": _DES, "crypt.METHOD_MD5": "MD5-crypt, a thousand rounds of MD5"}
)
CRYPT_CALLS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("crypt.crypt", "crypt", {"password": (0, "word"), "salt": (1, "salt")}),
            _api("crypt.mksalt", "crypt-salt", {"salt": (0, "method")}),
        )
    }
)
#: Werkzeug's `generate_password_hash` methods other than `pbkdf2`/`scrypt`
#: (before 2.3: one salted HMAC with any hashlib name, or `plain`).
WERKZEUG_SLOW_METHODS: FrozenSet[str] = frozenset({"pbkdf2", "scrypt"})
