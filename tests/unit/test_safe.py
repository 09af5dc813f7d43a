"""`cryptolint.safe`, tested against the real libraries."""

from __future__ import annotations

import base64
import hashlib
import os
import string
import subprocess
import sys
import time

import bcrypt
import pytest
from cryptography.fernet import Fernet

from cryptolint import safe


def test_module_imports_nothing_of_the_linter_or_crypto_libraries_eagerly():
    code = (
        "import sys, cryptolint.safe\n"
        "bad = [m for m in ('libcst', 'flake8', 'argon2', 'bcrypt', 'cryptography', 'cryptolint.engine') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tokens_have_the_requested_entropy():
    assert len(base64.urlsafe_b64decode(safe.token() + "=")) == 32
    assert len(safe.token_hex(20)) == 40
    assert set(safe.token_hex()) <= set("0123456789abcdef")
    assert safe.token() != safe.token()
    with pytest.raises(ValueError):
        safe.token(8)


def test_password_meets_requirements():
    for _ in range(50):
        pw = safe.password(12)
        assert len(pw) == 12
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw)
        assert any(c.isdigit() for c in pw) and any(c in string.punctuation for c in pw)
    assert set(safe.password(30, alphabet="ab", require=())) <= {"a", "b"}
    with pytest.raises(ValueError):
        safe.password(2)
    with pytest.raises(ValueError):
        safe.password(10, alphabet="abc")


@pytest.mark.slow
def test_hash_and_verify_password():
    stored = safe.hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert "m=65536,t=3,p=4" in stored
    assert safe.verify_password("correct horse", stored)
    assert not safe.verify_password("wrong", stored)
    assert safe.verify_password(b"correct horse", stored.encode())
    assert not safe.needs_rehash(stored)
    assert safe.hash_password("x") != safe.hash_password("x")


def test_verify_bcrypt_and_pbkdf2_and_legacy_digests():
    bhash = bcrypt.hashpw(b"pw", bcrypt.gensalt(rounds=4)).decode()
    assert safe.verify_password("pw", bhash) and not safe.verify_password("nope", bhash)
    derived = base64.b64encode(hashlib.pbkdf2_hmac("sha256", b"pw", b"saltsalt", 1000)).decode()
    django = f"pbkdf2_sha256$1000$saltsalt${derived}"
    assert safe.verify_password("pw", django) and not safe.verify_password("nope", django)
    legacy = hashlib.sha256(b"pw").hexdigest()
    assert safe.verify_password("pw", legacy)
    assert not safe.verify_password("pw", legacy, legacy=False)
    assert not safe.verify_password("nope", hashlib.md5(b"pw").hexdigest())
    assert not safe.verify_password("pw", "garbage$format")
    for stored in (bhash, django, legacy):
        assert safe.needs_rehash(stored)


@pytest.mark.slow
def test_verify_and_upgrade_migrates_legacy_hashes():
    legacy = hashlib.md5(b"hunter2").hexdigest()
    ok, new = safe.verify_and_upgrade("hunter2", legacy)
    assert ok and new is not None and safe.verify_password("hunter2", new)
    assert safe.verify_and_upgrade("wrong", legacy) == (False, None)
    assert safe.verify_and_upgrade("hunter2", new) == (True, None)


def test_compare():
    assert safe.compare("abc", "abc") and safe.compare(b"abc", b"abc")
    assert safe.compare("ünïcode", "ünïcode")
    assert not safe.compare("abc", "abd")
    assert not safe.compare("abc", b"abc")


def test_aead_round_trip_and_failures():
    key = safe.generate_key()
    blob = safe.encrypt(key, b"secret data", aad=b"user:1")
    assert safe.decrypt(key, blob, aad=b"user:1") == b"secret data"
    assert blob[:12] != safe.encrypt(key, b"secret data", aad=b"user:1")[:12]
    with pytest.raises(safe.InvalidSignature):
        safe.decrypt(safe.generate_key(), blob, aad=b"user:1")
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(safe.InvalidSignature):
        safe.decrypt(key, bytes(tampered), aad=b"user:1")
    with pytest.raises(safe.InvalidSignature):
        safe.decrypt(key, blob, aad=b"user:2")
    with pytest.raises(safe.InvalidSignature):
        safe.decrypt(key, b"short")
    with pytest.raises(ValueError):
        safe.encrypt(b"short key", b"x")


def test_fernet_rotation_and_ttl():
    old, new = Fernet.generate_key(), Fernet.generate_key()
    token = safe.fernet_encrypt(old, b"data")
    assert safe.fernet_decrypt([new, old], token) == b"data"
    rotated = safe.fernet_rotate([new, old], token)
    assert safe.fernet_decrypt(new, rotated) == b"data"
    with pytest.raises(safe.InvalidSignature):
        safe.fernet_decrypt(old, rotated)
    stale = Fernet(new).encrypt_at_time(b"data", int(time.time()) - 3600)
    with pytest.raises(safe.InvalidSignature):
        safe.fernet_decrypt(new, stale, ttl=60)
    assert safe.fernet_decrypt(new, stale, ttl=7200) == b"data"


def test_sign_and_verify():
    key = os.urandom(32)
    sig = safe.sign(key, b"payload")
    assert safe.verify(key, b"payload", sig)
    assert safe.verify(key, b"payload", sig, max_age=60)
    assert not safe.verify(key, b"other", sig)
    assert not safe.verify(os.urandom(32), b"payload", sig)
    assert not safe.verify(key, b"payload", "garbage")
    old_ts = str(int(time.time()) - 3600)
    old_sig = f"{old_ts}.{safe._mac(key, old_ts, b'payload')}"
    assert safe.verify(key, b"payload", old_sig)
    assert not safe.verify(key, b"payload", old_sig, max_age=60)


def test_derive_key_secret_and_wipe(monkeypatch):
    master = os.urandom(32)
    a, b = safe.derive_key(master, "db"), safe.derive_key(master, "api")
    assert len(a) == 32 and a != b and a == safe.derive_key(master, "db")
    assert len(safe.derive_key(master, "x", 16)) == 16
    with pytest.raises(ValueError):
        safe.derive_key(b"short", "db")
    monkeypatch.setenv("CRYPTOLINT_TEST_SECRET", "s3cr3t")
    assert safe.secret("CRYPTOLINT_TEST_SECRET") == "s3cr3t"
    monkeypatch.delenv("CRYPTOLINT_TEST_SECRET")
    with pytest.raises(safe.MissingSecretError, match="set the environment variable CRYPTOLINT_TEST_SECRET"):
        safe.secret("CRYPTOLINT_TEST_SECRET")
    buf = bytearray(b"key material")
    safe.wipe(buf)
    assert buf == bytearray(len(b"key material"))
    with pytest.raises(TypeError):
        safe.wipe(b"immutable")  # type: ignore[arg-type]
