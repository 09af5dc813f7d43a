"""Fixed code still does its job: representative programs are fixed, written
to a temporary directory and run in a subprocess that checks what they return
(length, alphabet, range, type), so a fix that parses but breaks the program
is caught."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def _fix_and_run(tmp_path: Path, name: str, program: str, check: str, expected_applied: int) -> str:
    result = fix_source(program.encode(), f"{name}.py", ALL_ON, unsafe=True)
    assert result.error is None
    assert len(result.applied) == expected_applied
    (tmp_path / f"{name}.py").write_bytes(result.fixed)
    (tmp_path / "check.py").write_text(check)
    done = subprocess.run(
        [sys.executable, "check.py"], cwd=str(tmp_path), capture_output=True, text=True, timeout=120
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

