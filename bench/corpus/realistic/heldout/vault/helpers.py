"""Encrypting secrets at rest."""

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

import config
from config import KDF_SALT, NONCE


def seal(plaintext: bytes) -> bytes:
    return AESGCM(config.DATA_KEY).encrypt(os.urandom(12), plaintext, config.KEY_ID.encode())  # error: CRY301


def seal_fixed(plaintext: bytes, key: bytes) -> bytes:
    return AESGCM(key).encrypt(NONCE, plaintext, None)  # error: CRY501


def seal_chacha(plaintext: bytes, key: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, None)


def derive(passphrase: bytes) -> bytes:
    kdf = PBKDF2HMAC(hashes.SHA256(), 32, KDF_SALT, config.ITERATIONS)  # error: CRY303
    return kdf.derive(passphrase)


def derive_properly(passphrase: bytes, salt: bytes) -> bytes:
    return PBKDF2HMAC(hashes.SHA256(), 32, salt, config.ITERATIONS).derive(passphrase)


def backup(plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(config.BACKUP_KEY).encrypt(nonce, plaintext, None)


def seal_many(key: bytes, items):
    aead = AESGCM(key)
    nonce = os.urandom(12)
    return [aead.encrypt(nonce, item, None) for item in items]  # error: CRY502
