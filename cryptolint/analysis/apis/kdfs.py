"""Password hashing and key derivation: bcrypt, argon2, passlib, Django hashers, PBKDF2, scrypt, crypt, weak schemes."""

from __future__ import annotations

from types import MappingProxyType
from typing import FrozenSet, Mapping, Optional, Tuple

from cryptolint.analysis.apis._core import Api, _HAZMAT, _PYCRYPTODOME, _api

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
#: log2 cost; for PBKDF2 it is the iteration count; for SHA-crypt (CRY607) the
#: linear round count (passlib 1.7 defaults: 535000 for `sha256_crypt`, 656000
#: for `sha512_crypt`; the scheme accepts 1000 and up).
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
        "sha256_crypt": ("sha-crypt", "sha256"),
        "sha512_crypt": ("sha-crypt", "sha512"),
        "ldap_sha256_crypt": ("sha-crypt", "sha256"),
        "ldap_sha512_crypt": ("sha-crypt", "sha512"),
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

#: Constructions that turn key material into a key with one fast HMAC, and
#: so are no password KDF (CRY702): where the input goes, and what a
#: message calls them.  An HMAC counts only under a constant key
#: (`hmac.new(b"", password, sha256)`); HKDF always.
PASSWORD_UNFIT_KDFS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(name, "hmac", {"key": (0, "key"), "material": (1, "msg")}, what="an HMAC under a constant key, one fast hash")
                for name in ("hmac.new", "hmac.HMAC")
            ),
            _api("hmac.digest", "hmac", {"key": (0, "key"), "material": (1, "msg")}, what="an HMAC under a constant key, one fast hash"),
            *(
                _api(f"{_HAZMAT}.kdf.{mod}().derive", "hkdf", {"material": (0, "key_material")}, what="HKDF, built for keys that are already random, not for passwords")
                for mod in ("hkdf.HKDF", "hkdf.HKDFExpand", "concatkdf.ConcatKDFHash", "concatkdf.ConcatKDFHMAC", "x963kdf.X963KDF")
            ),
            *(
                _api(f"{pkg}.Protocol.KDF.HKDF", "hkdf", {"material": (0, "master")}, what="HKDF, built for keys that are already random, not for passwords")
                for pkg in _PYCRYPTODOME
            ),
        )
    }
)
#: Key-taking APIs whose key a shaped password must not be (CRY702): the
#: ciphers; a password as an HMAC key is how CRAM-MD5 and friends work.
CIPHER_KEY_KINDS: FrozenSet[str] = frozenset({"cipher", "aead", "cipher-algorithm", "pycryptodome-cipher"})
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
#: The `crypt` methods whose cost `crypt.mksalt(method, rounds=)` sets
#: linearly (SHA-crypt), and the salt prefixes that select them
#: (`$6$rounds=1000$...`).  Without `rounds`, the salt carries none and the
#: C library's default applies (glibc: 5000).
CRYPT_SHA_METHODS: Mapping[str, str] = MappingProxyType(
    {"crypt.METHOD_SHA256": "SHA-256-crypt", "crypt.METHOD_SHA512": "SHA-512-crypt"}
)
CRYPT_SHA_PREFIXES: Mapping[str, str] = MappingProxyType({"$5$": "SHA-256-crypt", "$6$": "SHA-512-crypt"})
#: The `crypt` method whose `mksalt(method, rounds=)` is bcrypt's: `rounds`
#: is 2**cost, a power of two (CPython's default 2**12), judged by CRY202.
CRYPT_BLOWFISH_METHOD = "crypt.METHOD_BLOWFISH"
CRYPT_CALLS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("crypt.crypt", "crypt", {"password": (0, "word"), "salt": (1, "salt")}),
            _api("crypt.mksalt", "crypt-salt", {"salt": (0, "method"), "rounds": (None, "rounds")}),
        )
    }
)
#: Werkzeug's `generate_password_hash` methods other than `pbkdf2`/`scrypt`
#: (before 2.3: one salted HMAC with any hashlib name, or `plain`).
WERKZEUG_SLOW_METHODS: FrozenSet[str] = frozenset({"pbkdf2", "scrypt"})
