"""Deprecated crypto libraries (PyCrypto...) and their raw, unpadded primitives."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, Tuple

from cryptolint.analysis.apis.keys import _USE_AEAD, _USE_URANDOM

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
