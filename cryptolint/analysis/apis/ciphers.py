"""Symmetric encryption: keyed APIs, nonces and IVs, modes, weak ciphers, tags, MACs."""

from __future__ import annotations

import ast
from types import MappingProxyType
from typing import Callable, FrozenSet, Mapping, Optional, Tuple

from cryptolint.analysis.apis._core import Api, _AEAD, _ALGORITHMS, _ALGORITHMS_DECREPIT, _HAZMAT, _MODES, _MODES_DECREPIT, _PYCRYPTODOME, _api, argument

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
#: pyaes (pure-Python AES): one class per mode, none authenticated ->
#: the mode.  `Encrypter(mode)`/`Decrypter(mode)` stream through one.
PYAES_MODES: Mapping[str, str] = MappingProxyType(
    {
        f"pyaes.{where}AESModeOfOperation{mode}": mode
        for where in ("", "aes.")
        for mode in ("ECB", "CBC", "CTR", "CFB", "OFB")
    }
)
PYAES_STREAMS: Mapping[str, str] = MappingProxyType(
    {
        f"pyaes.{where}{cls}": direction
        for where in ("", "blockfeeder.")
        for cls, direction in (("Encrypter", "encrypt"), ("Decrypter", "decrypt"))
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
