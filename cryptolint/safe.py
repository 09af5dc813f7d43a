"""Secure replacements for the patterns cryptolint reports.

Fixes point here when no one-line standard-library change is correct, and
applications may call these helpers directly.  This module imports nothing of
the linter, and imports its crypto libraries (`argon2-cffi`, `bcrypt`,
`cryptography`) only when a function needs them: install them with
``pip install cryptolint[safe]``.

Every function states its guarantees in its docstring.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import string
import time
from typing import Iterable, Optional, Sequence, Tuple, Union

__all__ = [
    "InvalidSignature",
    "MissingSecretError",
    "compare",
    "decrypt",
    "derive_key",
    "encrypt",
    "fernet_decrypt",
    "fernet_encrypt",
    "fernet_rotate",
    "generate_key",
    "hash_password",
    "needs_rehash",
    "password",
    "secret",
    "sign",
    "token",
    "token_hex",
    "verify",
    "verify_and_upgrade",
    "verify_password",
    "wipe",
]

BytesLike = Union[bytes, bytearray, memoryview]
Text = Union[str, bytes]

#: Characters `password()` draws from by default: letters, digits, symbols
#: that survive shells and URLs.
DEFAULT_ALPHABET = string.ascii_letters + string.digits + "!#$%&()*+,-./:;<=>?@[]^_{|}~"
_CLASSES = {
    "upper": string.ascii_uppercase,
    "lower": string.ascii_lowercase,
    "digit": string.digits,
    "symbol": string.punctuation,
}
NONCE_SIZE = 12
_KEY_SIZES = (16, 24, 32)


class MissingSecretError(KeyError):
    """A secret that `secret()` was asked for is not set in the environment."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "missing secret"


class InvalidSignature(ValueError):
    """A signature, ciphertext or token failed verification."""


# --------------------------------------------------------------- randomness
def token(nbytes: int = 32) -> str:
    """A URL-safe text token with `nbytes` bytes of entropy from the OS CSPRNG."""
    _check_size(nbytes)
    return secrets.token_urlsafe(nbytes)


def token_hex(nbytes: int = 32) -> str:
    """A hexadecimal token (2 * `nbytes` characters) from the OS CSPRNG."""
    _check_size(nbytes)
    return secrets.token_hex(nbytes)


def password(
    length: int = 16,
    alphabet: str = DEFAULT_ALPHABET,
    require: Iterable[str] = ("upper", "lower", "digit", "symbol"),
) -> str:
    """A random password of `length` characters drawn uniformly from `alphabet`.

    Every class named in `require` (`upper`, `lower`, `digit`, `symbol`) appears
    at least once; candidates that miss one are discarded and drawn again, so
    the result stays uniform over the passwords that satisfy the requirement.
    """
    required = tuple(require)
    unknown = [name for name in required if name not in _CLASSES]
    if unknown:
        raise ValueError(f"unknown character classes: {', '.join(unknown)}")
    if length < max(len(required), 1):
        raise ValueError("length is too short for the required character classes")
    for name in required:
        if not any(c in _CLASSES[name] for c in alphabet):
            raise ValueError(f"alphabet has no {name} character")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in _CLASSES[name] for c in candidate) for name in required):
            return candidate


def _check_size(nbytes: int) -> None:
    if nbytes < 16:
        raise ValueError("a secret token needs at least 16 bytes of entropy")


# ------------------------------------------------------- password hashing
def _hasher():  # -> argon2.PasswordHasher
    from argon2 import PasswordHasher
    from argon2.profiles import RFC_9106_LOW_MEMORY

    return PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


def hash_password(plain: Text) -> str:
    """Hash a password with Argon2id (RFC 9106 low-memory profile: t=3,
    m=64 MiB, p=4) and a fresh 16-byte salt.

    The result is a self-describing PHC string (`$argon2id$v=19$...`) that
    carries its parameters, so it can be verified after the defaults change.
    """
    return _hasher().hash(plain)


def verify_password(plain: Text, stored: Text, *, legacy: bool = True) -> bool:
    """Whether `plain` matches `stored`, in time independent of where they differ.

    Recognises Argon2 PHC strings, bcrypt (`$2a$`, `$2b$`, `$2y$`), Django's
    and passlib's PBKDF2 formats, and, when `legacy` is true, the unsalted
    hex digests (MD5, SHA-1, SHA-256, SHA-512) that older code stored, so an
    application can move to `hash_password` without locking users out: use
    `verify_and_upgrade` to replace such hashes on the next login.  Returns
    False for a malformed or unrecognised `stored` value; never raises for a
    wrong password.
    """
    stored_text = stored.decode("ascii", "replace") if isinstance(stored, bytes) else stored
    plain_bytes = plain.encode("utf-8") if isinstance(plain, str) else bytes(plain)
    scheme = _scheme(stored_text)
    if scheme == "argon2":
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return _hasher().verify(stored_text, plain_bytes)
        except (VerificationError, InvalidHashError):
            return False
    if scheme == "bcrypt":
        import bcrypt

        try:
            return bcrypt.checkpw(plain_bytes, stored_text.encode("ascii"))
        except ValueError:
            return False
    if scheme == "django-pbkdf2":
        return _verify_django_pbkdf2(plain_bytes, stored_text)
    if scheme == "passlib-pbkdf2":
        return _verify_passlib_pbkdf2(plain_bytes, stored_text)
    if scheme == "hex" and legacy:
        algorithm = _HEX_DIGESTS[len(stored_text)]
        digest = hashlib.new(algorithm, plain_bytes).hexdigest()
        return hmac.compare_digest(digest, stored_text.lower())
    return False


def needs_rehash(stored: Text) -> bool:
    """Whether `stored` should be replaced by `hash_password`'s output: any
    format other than Argon2id, or Argon2id below the current parameters."""
    stored_text = stored.decode("ascii", "replace") if isinstance(stored, bytes) else stored
    if _scheme(stored_text) != "argon2" or not stored_text.startswith("$argon2id$"):
        return True
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored_text)
    except InvalidHashError:
        return True


def verify_and_upgrade(plain: Text, stored: Text) -> Tuple[bool, Optional[str]]:
    """Verify `plain` and, if it matched a legacy or weak hash, re-hash it.

    Returns `(verified, new_hash)`: `new_hash` is None when nothing needs to
    change (or the password was wrong), otherwise the Argon2id hash to store
    in place of `stored`.  This is how applications migrate on login.
    """
    if not verify_password(plain, stored):
        return False, None
    if needs_rehash(stored):
        return True, hash_password(plain)
    return True, None


_HEX_DIGESTS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_HEX = frozenset("0123456789abcdefABCDEF")


def _scheme(stored: str) -> Optional[str]:
    if stored.startswith("$argon2"):
        return "argon2"
    if stored.startswith(("$2a$", "$2b$", "$2y$")):
        return "bcrypt"
    if stored.startswith(("pbkdf2_sha256$", "pbkdf2_sha1$")):
        return "django-pbkdf2"
    if stored.startswith(("$pbkdf2-sha256$", "$pbkdf2-sha512$", "$pbkdf2$")):
        return "passlib-pbkdf2"
    if len(stored) in _HEX_DIGESTS and all(c in _HEX for c in stored):
        return "hex"
    return None


def _verify_django_pbkdf2(plain: bytes, stored: str) -> bool:
    try:
        algorithm, iterations, salt, encoded = stored.split("$", 3)
        digest_name = algorithm.split("_", 1)[1]
        expected = base64.b64decode(encoded)
        rounds = int(iterations)
    except (ValueError, IndexError, binascii.Error):
        return False
    derived = hashlib.pbkdf2_hmac(digest_name, plain, salt.encode("utf-8"), rounds, len(expected))
    return hmac.compare_digest(derived, expected)


def _ab64decode(data: str) -> bytes:
    data = data.replace(".", "+")
    return base64.b64decode(data + "=" * (-len(data) % 4))


def _verify_passlib_pbkdf2(plain: bytes, stored: str) -> bool:
    try:
        _, ident, rounds, salt, checksum = stored.split("$")
        digest_name = {"pbkdf2": "sha1", "pbkdf2-sha256": "sha256", "pbkdf2-sha512": "sha512"}[ident]
        expected = _ab64decode(checksum)
        derived = hashlib.pbkdf2_hmac(digest_name, plain, _ab64decode(salt), int(rounds), len(expected))
    except (ValueError, KeyError, binascii.Error):
        return False
    return hmac.compare_digest(derived, expected)


# ------------------------------------------------------------ comparisons
def compare(a: Text, b: Text) -> bool:
    """Constant-time equality of two str or bytes values.

    Unlike `hmac.compare_digest`, it accepts non-ASCII text (compared as
    UTF-8) and a str against bytes (never equal).  The time taken depends on
    the lengths only, not on where the values differ.
    """
    a_bytes = a.encode("utf-8") if isinstance(a, str) else bytes(a)
    b_bytes = b.encode("utf-8") if isinstance(b, str) else bytes(b)
    same_type = isinstance(a, str) == isinstance(b, str)
    return hmac.compare_digest(a_bytes, b_bytes) and same_type


# ------------------------------------------------------------------- AEAD
def generate_key() -> bytes:
    """A fresh 256-bit key for `encrypt`/`decrypt`."""
    return secrets.token_bytes(32)


def _aesgcm(key: BytesLike):
    if len(key) not in _KEY_SIZES:
        raise ValueError("key must be 16, 24 or 32 bytes (use generate_key())")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(bytes(key))


def encrypt(key: BytesLike, plaintext: BytesLike, aad: Optional[bytes] = None) -> bytes:
    """Encrypt and authenticate with AES-GCM under a fresh 96-bit random nonce.

    Returns `nonce || ciphertext || tag`.  A nonce is never reused with the
    same key except with probability ~2^-96 per pair; rotate keys well before
    2^32 messages.  `aad` is authenticated, not encrypted, and must be given
    again to `decrypt`.
    """
    nonce = os.urandom(NONCE_SIZE)
    return nonce + _aesgcm(key).encrypt(nonce, bytes(plaintext), aad)


def decrypt(key: BytesLike, blob: BytesLike, aad: Optional[bytes] = None) -> bytes:
    """Reverse `encrypt`.  Raises `InvalidSignature` if the key, the blob or
    the `aad` is wrong or was tampered with; never returns unauthenticated data."""
    from cryptography.exceptions import InvalidTag

    data = bytes(blob)
    if len(data) < NONCE_SIZE + 16:
        raise InvalidSignature("ciphertext is too short")
    try:
        return _aesgcm(key).decrypt(data[:NONCE_SIZE], data[NONCE_SIZE:], aad)
    except InvalidTag:
        raise InvalidSignature("ciphertext failed authentication") from None


# ----------------------------------------------------------------- Fernet
def _multifernet(keys: Union[Text, Sequence[Text]]):
    from cryptography.fernet import Fernet, MultiFernet

    if isinstance(keys, (str, bytes)):
        keys = [keys]
    if not keys:
        raise ValueError("at least one Fernet key is needed")
    return MultiFernet([Fernet(k) for k in keys])


def fernet_encrypt(keys: Union[Text, Sequence[Text]], data: bytes) -> bytes:
    """Encrypt `data` as a Fernet token with the first (primary) key."""
    return _multifernet(keys).encrypt(data)


def fernet_decrypt(keys: Union[Text, Sequence[Text]], token_: bytes, ttl: Optional[int] = None) -> bytes:
    """Decrypt a Fernet token made with any of `keys`.

    With `ttl` (seconds), tokens older than that are rejected.  Raises
    `InvalidSignature` for a wrong key, a tampered or an expired token.
    """
    from cryptography.fernet import InvalidToken

    try:
        return _multifernet(keys).decrypt(token_, ttl=ttl)
    except InvalidToken:
        raise InvalidSignature("Fernet token is invalid or expired") from None


def fernet_rotate(keys: Union[Text, Sequence[Text]], token_: bytes) -> bytes:
    """Re-encrypt a token under the primary key (first of `keys`), keeping
    its original timestamp, so old keys can be retired."""
    from cryptography.fernet import InvalidToken

    try:
        return _multifernet(keys).rotate(token_)
    except InvalidToken:
        raise InvalidSignature("Fernet token is invalid") from None


# ---------------------------------------------------------------- signing
def sign(key: BytesLike, payload: bytes) -> str:
    """An HMAC-SHA256 signature of `payload` bound to the current time.

    Returns `"<unix time>.<base64url mac>"`; `verify` checks it.
    """
    timestamp = str(int(time.time()))
    return f"{timestamp}.{_mac(key, timestamp, payload)}"


def verify(key: BytesLike, payload: bytes, signature: str, max_age: Optional[float] = None) -> bool:
    """Whether `signature` was made by `sign(key, payload)`, in constant time,
    and, with `max_age` (seconds), is no older than that (nor from the future)."""
    timestamp, _, mac = signature.partition(".")
    if not timestamp.isdigit() or not mac:
        return False
    if not hmac.compare_digest(_mac(key, timestamp, payload).encode(), mac.encode("utf-8", "replace")):
        return False
    if max_age is not None:
        age = time.time() - int(timestamp)
        return -5 <= age <= max_age
    return True


def _mac(key: BytesLike, timestamp: str, payload: bytes) -> str:
    digest = hmac.new(bytes(key), timestamp.encode() + b"." + bytes(payload), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# ------------------------------------------------------------ key handling
def derive_key(master: BytesLike, purpose: str, length: int = 32) -> bytes:
    """A key for one `purpose`, derived from a high-entropy `master` key with
    HKDF-SHA256 (`purpose` is the HKDF info).  Different purposes give
    independent keys.  Not for passwords: use `hash_password` for those."""
    if len(master) < 16:
        raise ValueError("the master key must have at least 16 bytes")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode("utf-8")).derive(bytes(master))


def secret(name: str) -> str:
    """The secret `name` from the environment.

    Raises `MissingSecretError` (a KeyError) with a message that says which
    variable to set when it is missing or empty.
    """
    value = os.environ.get(name)
    if not value:
        raise MissingSecretError(f"the secret {name} is not set: set the environment variable {name}")
    return value


def wipe(buffer: bytearray) -> None:
    """Overwrite `buffer` with zeros in place.

    Only mutable buffers can be wiped; Python may still hold copies made
    earlier (immutable bytes, str), so keep secrets in a bytearray from the
    start.
    """
    if not isinstance(buffer, bytearray):
        raise TypeError("only a bytearray can be wiped in place")
    buffer[:] = bytes(len(buffer))
