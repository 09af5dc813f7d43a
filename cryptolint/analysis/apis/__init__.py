"""Knowledge of crypto APIs, as data.

Each entry says, for one callable (by qualified name), where its interesting
arguments are: which one is the key, the nonce, the salt, the iteration
count...  Checks ask `argument(call, api, "nonce")` instead of knowing that
`AESGCM.encrypt` takes the nonce first.  Supporting another library means
adding entries here, not writing visitors.

Instances are written as `Class()`: `...AESGCM().encrypt` is the `encrypt`
method of an `AESGCM` object, as `scopes.Module.resolve` spells it.

The tables live in one module per library family (`ciphers`, `hashes`,
`kdfs`, `keys`, `tls`, `jwt`...); this package re-exports every public name,
so `from cryptolint.analysis import apis` and `apis.NAME` read them all.
"""

from cryptolint.analysis.apis._core import (  # noqa: F401
    Api,
    Fact,
    Kind,
    Param,
    argument,
    argument_or_keyword,
    keyword_value,
    lookup,
    names_of,
)
from cryptolint.analysis.apis.randomness import (  # noqa: F401
    FRESH_RANDOM,
    INSECURE_RANDOM,
    NUMPY_RANDOM_FUNCTIONS,
    RANDOM_FUNCTIONS,
    TOKEN_MAKERS,
    UUID_FUNCTIONS,
)
from cryptolint.analysis.apis.hashes import (  # noqa: F401
    CONSTANT_TIME_COMPARES,
    DIGEST_METHODS,
    FAST_HASHES,
    HASH_ALGORITHM_CLASSES,
    HASH_BY_NAME,
    HASH_CONSTRUCTORS,
    HASH_CONTEXTS,
    HASH_DATA_KEYWORDS,
    HASH_UPDATE_METHODS,
    NON_SECRET_RESULTS,
    PADDING_CALLS,
    PASSWORD_HASH_SERVICES,
    PASSWORD_SOURCES,
    PROTOCOL_HASH_CONSTANTS,
    WEAK_HASHES,
)
from cryptolint.analysis.apis.kdfs import (  # noqa: F401
    ARGON2_PROFILES,
    ARGON2_TYPES,
    CRYPT_CALLS,
    CRYPT_WEAK_METHODS,
    DJANGO_HASHERS,
    DJANGO_HASHER_CALLS,
    DJANGO_WEAK_HASHERS,
    KDF_APIS,
    PASSLIB_CONTEXTS,
    PASSLIB_HANDLERS,
    PASSLIB_HASH_METHODS,
    PASSLIB_ROUNDS_KEYWORDS,
    PASSLIB_SETTING_METHODS,
    PASSLIB_WEAK_PRESETS,
    PASSWORD_HASH_APIS,
    PROTOCOL_PBKDF2,
    WEAK_ARGON2_PROFILES,
    WEAK_PASSLIB_SCHEMES,
    WERKZEUG_SLOW_METHODS,
    passlib_handler,
)
from cryptolint.analysis.apis.ciphers import (  # noqa: F401
    AUTHENTICATED_MODES,
    CIPHER_CONSTRUCTORS,
    CIPHER_METHODS,
    COUNTER_MAKERS,
    CRYPTOGRAPHY_MODES,
    DECRYPT_METHODS,
    ENCRYPT_APIS,
    FULL_TAG_BYTES,
    KEYED_APIS,
    KNOWN_CONSTANTS,
    M2CRYPTO_CIPHERS,
    MAC_APIS,
    MAC_WORDS,
    MODE_MIN_RANDOM_SIZES,
    MODE_NONCE_SIZES,
    NONCE_APIS,
    OPENSSL_MODE_SUFFIXES,
    OPENSSL_WEAK_PREFIXES,
    PYCRYPTODOME_MODES,
    PYCRYPTODOME_MODE_NUMBERS,
    PYCRYPTODOME_NONCE_KEYWORDS,
    PYCRYPTODOME_TAG_KEYWORD,
    PYCRYPTODOME_TAG_MODES,
    PYCRYPTODOME_THIRD_ARGUMENT,
    PYCRYPTO_DEFAULT_MODE,
    PYDES_CIPHERS,
    PYDES_MODES,
    PYDES_MODE_NUMBERS,
    PYNACL_NONCE_APIS,
    TAG_LENGTH_APIS,
    UNAUTHENTICATED_MODES,
    WEAK_CIPHERS,
    WEAK_CIPHER_REASONS,
    openssl_cipher,
    pycryptodome_mode,
    pycryptodome_nonce,
    pycryptodome_nonce_size,
)
from cryptolint.analysis.apis.credentials import (  # noqa: F401
    CREDENTIAL_APIS,
    CREDENTIAL_PAIR_KEYWORDS,
)
from cryptolint.analysis.apis.keys import (  # noqa: F401
    EC_CURVES,
    FD_WRITERS,
    FILE_OPENERS,
    FILE_WRITE_METHODS,
    HMAC_DEFAULT_HASHES,
    KEY_GENERATORS,
    MAC_PROTOCOL_WORDS,
    PROTOCOL_FIXED_WORDS,
    PROTOCOL_PACKAGES,
    OPENSSL_KEY_TYPES,
    PKCS1V15_CIPHERS,
    PKCS1V15_PADDINGS,
    PRIVATE_KEY_EXPORTS,
    PYCRYPTODOME_CURVES,
    RSA_ENCRYPTION_METHODS,
    RSA_PUBLIC_EXPONENT,
    SIGNATURE_APIS,
    SIGNATURE_HASH_WRAPPERS,
    SIGNATURE_METHODS,
    TEMPORARY_FILES,
    WEAK_MAC_HASHES,
    WEAK_SIGNATURE_HASHES,
)
from cryptolint.analysis.apis.encodings import (  # noqa: F401
    CODEC_ENCODERS,
    REVERSIBLE_CODECS,
    REVERSIBLE_ENCODINGS,
)
from cryptolint.analysis.apis.jwt import (  # noqa: F401
    JWT_DECODERS,
    JWT_KEYS_WITH_ALGORITHM,
    JWT_UNSIGNED_ALGORITHMS,
    JWT_UNVERIFIED_READERS,
    JWT_VERIFY_OPTION,
)
from cryptolint.analysis.apis.tls import (  # noqa: F401
    CERT_NONE_CONSTANTS,
    CERT_NONE_NAMES,
    CERT_REQUIRED,
    CERT_REQUIRED_CONSTANTS,
    CLIENT_PROTOCOLS,
    LEGACY_TLS_WRAPPERS,
    SERVER_PURPOSES,
    SSL_CONTEXT_MAKERS,
    SSL_CONTEXT_SWITCHES,
    TLS_VERIFY_APIS,
    TLS_VERIFY_ATTRIBUTE_OWNERS,
    TLS_VERSION_APIS,
    TLS_VERSION_ATTRIBUTES,
    TLS_VERSION_KEYWORDS,
    UNVERIFIED_CONTEXT_MAKERS,
    WEAK_TLS_DISABLERS,
    WEAK_TLS_VERSIONS,
)
from cryptolint.analysis.apis.legacy import (  # noqa: F401
    DEPRECATED_CALLS,
    DEPRECATED_MODULES,
    PYCRYPTO_KEY_MAKERS,
    PYCRYPTO_RAW_METHODS,
)
