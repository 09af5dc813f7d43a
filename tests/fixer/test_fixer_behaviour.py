"""Fixed code still does its job: representative programs are fixed, written
to a temporary directory and run in a subprocess that checks what they return
(length, alphabet, range, type), so a fix that parses but breaks the program
is caught."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest

from cryptolint.diagnostic import Applicability
from cryptolint.engine import lint_source
from cryptolint.fixer import fix_source
from tests.helpers import ALL_ON

TOKENS = '''\
import random
import string
from random import randint

ALPHABET = string.ascii_letters + string.digits


def generate_reset_token():
    return "".join(random.choice(ALPHABET) for _ in range(32))


def one_time_code():
    otp = "%06d" % randint(0, 999999)
    return otp


def new_nonce():
    nonce = random.randbytes(12)
    return nonce


def session_id():
    session_id = "%032x" % random.getrandbits(128)
    return session_id


def new_password(length=16):
    chars = list(ALPHABET[:length])
    random.shuffle(chars)
    password = "".join(chars)
    return password


class TokenFactory:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def new_token(self):
        token = "".join(self.rng.choice(ALPHABET) for _ in range(20))
        return token
'''

CHECK_TOKENS = '''\
import string
import tokens

alphabet = set(string.ascii_letters + string.digits)
for _ in range(200):
    token = tokens.generate_reset_token()
    assert isinstance(token, str) and len(token) == 32 and set(token) <= alphabet, token
    otp = tokens.one_time_code()
    assert len(otp) == 6 and otp.isdigit(), otp
    nonce = tokens.new_nonce()
    assert isinstance(nonce, bytes) and len(nonce) == 12, nonce
    sid = tokens.session_id()
    assert len(sid) == 32 and int(sid, 16) < 2**128, sid
    password = tokens.new_password()
    assert sorted(password) == sorted(string.ascii_letters[:16]), password
# The seed no longer decides the tokens.
assert tokens.TokenFactory(7).new_token() != tokens.TokenFactory(7).new_token()
assert len(tokens.TokenFactory(7).new_token()) == 20
print("ok")
'''


def _fix_and_run(
    tmp_path: Path, name: str, program: str, check: str, expected_applied: int, env: Optional[Dict[str, str]] = None
) -> str:
    result = fix_source(program.encode(), f"{name}.py", ALL_ON, unsafe=True)
    assert result.error is None
    assert len(result.applied) == expected_applied
    (tmp_path / f"{name}.py").write_bytes(result.fixed)
    (tmp_path / "check.py").write_text(check)
    done = subprocess.run(
        [sys.executable, "check.py"],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    return result.fixed.decode()


def test_fixed_token_generators_still_make_tokens(tmp_path: Path) -> None:
    fixed = _fix_and_run(tmp_path, "tokens", TOKENS, CHECK_TOKENS, expected_applied=6)
    assert "random." not in fixed.replace("secrets.SystemRandom", "")
    assert "import random\n" not in fixed


def test_the_unfixed_program_passes_the_same_checks_except_the_seed(tmp_path: Path) -> None:
    """The check itself is sound: the original differs only where the seed decides."""
    (tmp_path / "tokens.py").write_text(TOKENS)
    check = CHECK_TOKENS.replace("!= tokens.TokenFactory(7)", "== tokens.TokenFactory(7)")
    (tmp_path / "check.py").write_text(check)
    done = subprocess.run([sys.executable, "check.py"], cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr



PASSWORDS = '''\
import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

HASHER = PasswordHasher(time_cost=1, memory_cost=8192)


def hash_bcrypt(password):
    return bcrypt.hashpw(password, bcrypt.gensalt(rounds=4))


def check_bcrypt(password, stored):
    return bcrypt.checkpw(password, stored)


def hash_argon2(password):
    return HASHER.hash(password)


def check_argon2(password, stored):
    try:
        return HASHER.verify(stored, password)
    except VerifyMismatchError:
        return False
'''

CHECK_PASSWORDS = '''\
import passwords

stored = passwords.hash_bcrypt(b"correct horse")
assert stored.startswith(b"$2b$12$"), stored
assert passwords.check_bcrypt(b"correct horse", stored)
assert not passwords.check_bcrypt(b"wrong horse", stored)
stored = passwords.hash_argon2("correct horse")
assert "m=65536,t=3" in stored, stored
assert passwords.check_argon2("correct horse", stored)
assert not passwords.check_argon2("wrong horse", stored)
print("ok")
'''


@pytest.mark.slow
def test_fixed_password_hashing_still_accepts_the_right_password_only(tmp_path: Path) -> None:
    fixed = _fix_and_run(tmp_path, "passwords", PASSWORDS, CHECK_PASSWORDS, expected_applied=2)
    assert "rounds=12" in fixed and "time_cost=3, memory_cost=65536" in fixed


NONCES = '''\
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = {size}


def encrypt(key, data):
    nonce = {nonce}
    return nonce + AESGCM(key).encrypt(nonce, data, None)


def decrypt(key, blob):
    return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], None)
'''

CHECK_NONCES = '''\
import os
import nonces

key = os.urandom(32)
first = nonces.encrypt(key, b"attack at dawn")
second = nonces.encrypt(key, b"attack at dawn")
assert first[:12] != second[:12], "the nonce must be fresh"
assert nonces.decrypt(key, first) == b"attack at dawn"
assert nonces.decrypt(key, second) == b"attack at dawn"
print("ok")
'''


def test_fixed_constant_nonce_still_round_trips(tmp_path: Path) -> None:
    program = NONCES.format(size=12, nonce='b"\\x00" * 12')
    fixed = _fix_and_run(tmp_path, "nonces", program, CHECK_NONCES, expected_applied=1)
    assert "nonce = os.urandom(12)" in fixed


SEPARATE_NONCE = '''\
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt(key, data):
    nonce = os.urandom(8)
    return nonce, AESGCM(key).encrypt(nonce, data, None)


def decrypt(key, nonce, ciphertext):
    return AESGCM(key).decrypt(nonce, ciphertext, None)
'''

CHECK_SEPARATE_NONCE = '''\
import os
import nonces

key = os.urandom(32)
nonce, ciphertext = nonces.encrypt(key, b"attack at dawn")
assert len(nonce) == 12, len(nonce)
assert nonces.decrypt(key, nonce, ciphertext) == b"attack at dawn"
print("ok")
'''


def test_short_nonce_fix_still_round_trips_where_the_nonce_is_kept_whole(tmp_path: Path) -> None:
    # Unsafe (a longer nonce is a change of format), but where the nonce is
    # kept as a value of its own, decryption still works.
    found = [d for d in lint_source(SEPARATE_NONCE, "nonces.py", ALL_ON) if d.code == "CRY503"]
    assert [d.fix.applicability for d in found if d.fix] == [Applicability.UNSAFE]
    _fix_and_run(tmp_path, "nonces", SEPARATE_NONCE, CHECK_SEPARATE_NONCE, expected_applied=1)


def test_short_nonce_fix_is_unsafe_when_a_reader_splits_at_the_old_size() -> None:
    # Decryption splits the blob at NONCE_BYTES: raising the size at the call
    # alone would break it, so the fix must not be applied without review.
    program = NONCES.format(size=8, nonce="os.urandom(NONCE_BYTES)")
    found = [d for d in lint_source(program, "nonces.py", ALL_ON) if d.code == "CRY503"]
    assert [d.fix.applicability for d in found if d.fix] == [Applicability.UNSAFE]
    assert not fix_source(program.encode(), "nonces.py", ALL_ON).changed


ACCOUNTS = '''\
import hashlib
import hmac


def hash_password(password):
    return hashlib.sha256(password.encode()).hexdigest()


def check_password(password, stored):
    return hmac.compare_digest(stored, hashlib.sha256(password.encode()).hexdigest())


def valid_signature(key, message, signature):
    expected = hmac.new(key, message, "sha256").hexdigest()
    return expected == signature
'''

CHECK_ACCOUNTS = '''\
import hmac
import accounts

stored = accounts.hash_password("correct horse")
assert stored.startswith("$argon2id$"), stored
assert accounts.check_password("correct horse", stored)
assert not accounts.check_password("wrong horse", stored)
signature = hmac.new(b"key", b"message", "sha256").hexdigest()
assert accounts.valid_signature(b"key", b"message", signature)
assert not accounts.valid_signature(b"key", b"message", "0" * 64)
assert not accounts.valid_signature(b"other key", b"message", signature)
print("ok")
'''


@pytest.mark.slow
def test_fixed_password_check_and_signature_check_still_decide_right(tmp_path: Path) -> None:
    fixed = _fix_and_run(tmp_path, "accounts", ACCOUNTS, CHECK_ACCOUNTS, expected_applied=3)
    assert "safe.verify_password(password, stored)" in fixed
    assert "hmac.compare_digest(expected, signature)" in fixed


WEBHOOKS = '''\
import hashlib
import hmac
import uuid

SIGNING_KEY = b"webhook-signing-secret-1234"


def sign(message):
    return hmac.new(SIGNING_KEY, message, hashlib.sha256).hexdigest()


def new_invite_token():
    return str(uuid.uuid1())
'''

CHECK_WEBHOOKS = '''\
import hashlib
import hmac
import string
import webhooks

assert webhooks.sign(b"payload") == hmac.new(b"from the environment", b"payload", hashlib.sha256).hexdigest()
tokens = {webhooks.new_invite_token() for _ in range(100)}
assert len(tokens) == 100
for token in tokens:
    assert len(token) >= 43 and set(token) <= set(string.ascii_letters + string.digits + "-_"), token
print("ok")
'''


def test_fixed_key_comes_from_the_environment_and_tokens_stay_urlsafe(tmp_path: Path) -> None:
    env = {"WEBHOOKS_SIGNING_KEY": "from the environment"}
    fixed = _fix_and_run(tmp_path, "webhooks", WEBHOOKS, CHECK_WEBHOOKS, expected_applied=3, env=env)
    assert 'SIGNING_KEY = os.environ["WEBHOOKS_SIGNING_KEY"].encode()' in fixed
