"""Encryption of stored customer data."""

import hashlib
import hmac
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import settings


def encrypt_field(value: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(settings.DATA_KEY).encrypt(nonce, value, None)  # error: CRY301


def decrypt_field(blob: bytes) -> bytes:
    return AESGCM(settings.DATA_KEY).decrypt(blob[:12], blob[12:], None)  # error: CRY301


def encrypt_legacy(key: bytes, data: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # error: CRY504
    return enc.update(padder.update(data) + padder.finalize()) + enc.finalize()


def encrypt_cbc(key: bytes, data: bytes) -> bytes:
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    body = enc.update(padder.update(data) + padder.finalize()) + enc.finalize()
    tag = hmac.new(key, iv + body, hashlib.sha256).digest()
    return iv + body + tag


def sign_cookie(value: str) -> str:
    mac = hmac.new(b"cookie:" + settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)  # error: CRY301
    return value + "." + mac.hexdigest()


def cookie_mac(value: str) -> str:
    return hmac.new(os.environ["COOKIE_KEY"].encode(), value.encode(), hashlib.sha256).hexdigest()


def unsign_cookie(signed: str):
    value, _, mac = signed.rpartition(".")
    if cookie_mac(value) != mac:  # error: CRY401
        return None
    return value


def content_etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
