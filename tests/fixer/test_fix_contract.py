"""The safety contract (README, "Fixes"): a safe fix changes nothing but the
security property; a fix whose effect leaves the file is unsafe and says so
in its title; no fix where a protocol or a peer fixes the primitive."""

from __future__ import annotations

import textwrap
from typing import Optional

import pytest

from cryptolint.diagnostic import Applicability
from cryptolint.engine import lint_source
from tests.helpers import ALL_ON

SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE

CASES = [
    # (id, path, source, code, line, applicability or None for no fix, words the title must hold)
    ("longer-token", "tokens.py", """\
        import secrets
        def make_api_key():
            api_key = secrets.token_hex(8)
            return api_key
        """, "CRY103", 3, UNSAFE, "the value gets longer"),
    ("longer-nonce", "box.py", """\
        import os
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        def seal(key, data):
            nonce = os.urandom(8)
            return nonce, AESGCM(key).encrypt(nonce, data, None)
        """, "CRY503", 4, UNSAFE, "readers that expect the old length"),
    ("larger-key", "keys.py", """\
        from cryptography.hazmat.primitives.asymmetric import rsa
        key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        """, "CRY602", 2, UNSAFE, "change size"),
    ("seeded-random", "draws.py", """\
        import random
        random.seed(7)
        def make_reset_token(alphabet):
            return "".join(random.choice(alphabet) for _ in range(32))
        """, "CRY101", 4, UNSAFE, "no longer repeat from the seed"),
    ("unseeded-random", "draws.py", """\
        import random
        def make_reset_token(alphabet):
            return "".join(random.choice(alphabet) for _ in range(32))
        """, "CRY101", 3, SAFE, "secrets.choice"),
    ("stored-hash", "users.py", """\
        import hashlib
        def register(user, password):
            user.password_hash = hashlib.sha256(password.encode()).hexdigest()
        """, "CRY201", 3, UNSAFE, "stored in another format"),
    ("hash-sent-to-an-api", "client.py", """\
        import hashlib
        def login(client, user, password):
            return client.authenticate(user, hashlib.md5(password.encode()).hexdigest())
        """, "CRY201", 3, None, ""),
    ("hash-posted-through-a-variable", "client.py", """\
        import hashlib
        def login(session, user, password):
            digest = hashlib.md5(password.encode()).hexdigest()
            return session.post("https://example.com/login", data={"user": user, "password": digest})
        """, "CRY201", 3, None, ""),
    ("hmac-md5-elsewhere", "webhooks.py", """\
        import hashlib, hmac
        def sign(key, body):
            return hmac.new(key, body, hashlib.md5).hexdigest()
        """, "CRY604", 3, UNSAFE, "every peer"),
    ("hmac-md5-in-ntlm", "auth/ntlm.py", """\
        import hashlib, hmac
        def sign(key, body):
            return hmac.new(key, body, hashlib.md5).hexdigest()
        """, "CRY604", 3, None, ""),
    ("hmac-md5-in-kerberos-class", "crypto.py", """\
        import hashlib, hmac
        class KerberosRC4:
            def checksum(self, key, body):
                return hmac.new(key, body, hashlib.md5).digest()
        """, "CRY604", 4, None, ""),
    ("ssh-dss-in-paramiko", "dsskey.py", """\
        from cryptography.hazmat.primitives import hashes
        from paramiko.message import Message
        def sign_ssh_data(key, data):
            return key.sign(data, hashes.SHA1())
        """, "CRY604", 4, None, ""),
    ("kdf-for-a-stored-digest", "digests.py", """\
        import hashlib
        def stored_digest(password, salt):
            return hashlib.pbkdf2_hmac("sha256", password, salt, 1000)
        """, "CRY204", 3, UNSAFE, "values derived before no longer match"),
    ("kdf-for-a-vault-key", "vault.py", """\
        import hashlib
        def derive_vault_key(password, salt):
            return hashlib.pbkdf2_hmac("sha256", password, salt, 1000)
        """, "CRY204", 3, None, ""),
    ("env-variable", "app/settings.py", """\
        SECRET_KEY = "k3#x9!vq2p@w7z$m1n8b"
        """, "CRY302", 1, UNSAFE, "`SETTINGS_SECRET_KEY`"),
    ("same-name-different-literals", "app/settings.py", """\
        SECRET_KEY = "k3#x9!vq2p@w7z$m1n8b"
        class Production:
            SECRET_KEY = "p9!vq2k3#x@w7z$m1n8c"
        """, "CRY302", 3, UNSAFE, "`SETTINGS_SECRET_KEY_2`"),
]


@pytest.mark.parametrize("path, source, code, line, applicability, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fix_applicability_follows_the_contract(
    path: str, source: str, code: str, line: int, applicability: Optional[Applicability], words: str
) -> None:
    found = [d for d in lint_source(textwrap.dedent(source), path, ALL_ON) if d.code == code]
    assert line in [d.line for d in found]
    fix = next(d.fix for d in found if d.line == line)
    if applicability is None:
        assert fix is None
    else:
        assert fix is not None and fix.applicability is applicability
        assert words in fix.title


@pytest.mark.parametrize(
    "value, movable",
    [
        ("k3#x9!vq2p@w7z$m1n8b", True),
        ("correct horse battery staple", True),
        ("Enter your password", False),  # a label
        ("your password is wrong.", False),  # a sentence
        ("password for %s", False),  # a format
        ("password", False),  # repeats its name: a field id
        ("abc", False),  # a placeholder
        (b"\x8f\x1d\x02\xaa", True),  # binary key material
    ],
)
def test_only_secret_values_are_moved_to_the_environment(value, movable: bool) -> None:
    from cryptolint.checks._secret_literals import movable as is_movable

    assert is_movable(value, "password") is movable

