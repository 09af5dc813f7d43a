"""Asymmetric keys and signatures: key generators, curves, RSA padding, signature hashes, private key exports."""

from __future__ import annotations

from types import MappingProxyType
from typing import FrozenSet, Mapping, Optional, Tuple

from cryptolint.analysis.apis._core import Api, _HAZMAT, _PYCRYPTODOME, _api

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
#: Word starts of protocols whose specification fixes a hash, MAC or KDF
#: (Kerberos's RC4-HMAC, NTLM's HMAC-MD5, SSH's `ssh-dss` and `hmac-md5`,
#: SNMPv3's HMAC-MD5-96): where a file, class or function is named for one,
#: or the module imports an implementation of one, a fix that changes the
#: primitive breaks every peer and is not offered.
PROTOCOL_FIXED_WORDS: FrozenSet[str] = MAC_PROTOCOL_WORDS | frozenset(
    {"kerberos", "krb", "gssapi", "spnego", "ssh", "snmp", "smb", "mschap", "ntowf", "rc4hmac"}
)
#: Top-level packages that implement such protocols.
PROTOCOL_PACKAGES: FrozenSet[str] = frozenset(
    {"paramiko", "asyncssh", "impacket", "pysnmp", "pyrad", "spnego", "gssapi", "krb5", "kerberos",
     "ntlm_auth", "requests_ntlm", "smbprotocol", "pyspnego"}
)
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
            # M2Crypto (0.51): `RSA.sign(digest, algo)`, `RSA.verify(data, sig, algo)`,
            # `X509.sign(pkey, md)`, `EVP.PKey(md=...)`/`reset_context(md)`.
            *(
                _api(f"M2Crypto.RSA.{maker}().{method}", "sign", {"hash": (position, "algo")}, direction=method)
                for maker in ("load_key", "load_key_bio", "load_key_string", "gen_key")
                for method, position in (("sign", 1), ("verify", 2))
            ),
            *(_api(f"M2Crypto.X509.{cls}().sign", "sign", {"hash": (1, "md")}, direction="sign") for cls in ("X509", "Request", "CRL")),
            _api("M2Crypto.EVP.PKey", "sign", {"hash": (None, "md")}, direction="sign"),
            _api("M2Crypto.EVP.PKey().reset_context", "sign", {"hash": (0, "md")}, direction="sign"),
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
