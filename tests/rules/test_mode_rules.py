"""What the fixtures cannot show for CRY504-CRY506 and CRY601: the exact
messages, the fix and its applicability, the policy thresholds, and the rules
that stay out of test files."""

from __future__ import annotations

import dataclasses
import textwrap
from typing import List, Optional, Tuple

from cryptolint.engine import lint_source
from cryptolint.policy import DEFAULT_POLICY
from cryptolint.registry import rule_by_code
from tests.helpers import ALL_ON

HEADER = """\
import os
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM
from Crypto.Cipher import AES, DES3
"""


def _findings(body: str, path: str = "example.py", settings=ALL_ON) -> List[Tuple[int, str, str, Optional[str]]]:
    source = HEADER + textwrap.dedent(body)
    return [
        (d.line - HEADER.count("\n"), d.code, d.message, d.fix.applicability.value if d.fix else None)
        for d in lint_source(source, path, settings)
    ]


def test_ecb_messages():
    found = _findings(
        """
        def a(key, data):
            return AES.new(key, AES.MODE_ECB).encrypt(data)

        def b(key, data):
            return AES.new(key).encrypt(data)
        """
    )
    assert found == [
        (3, "CRY504", "`AES.MODE_ECB` leaks patterns in the plaintext; use `AES.MODE_GCM`", None),
        (6, "CRY504", "`AES.new` without a mode is ECB in PyCrypto, which leaks patterns in the plaintext; use `AES.MODE_GCM`", None),
    ]


def test_weak_cipher_message_names_the_cipher_and_why():
    (found,) = _findings(
        """
        def a(key, data):
            cipher = DES3.new(key, DES3.MODE_EAX)
            return cipher.nonce, cipher.encrypt_and_digest(data)
        """
    )
    assert found == (
        3, "CRY601",
        "`DES3.new` (3DES) has 64-bit blocks that collide after about 32 GiB (Sweet32) and is withdrawn by NIST; "
        "use `AES.new(key, AES.MODE_GCM)`",
        None,
    )


def test_unauthenticated_encryption_is_off_by_default_and_names_the_function():
    body = """
        def seal(key, data):
            cipher = AES.new(key, AES.MODE_CBC)
            return cipher.iv + cipher.encrypt(data)
        """
    rule = rule_by_code("CRY505")
    assert rule is not None and not rule.default_enabled and rule.heuristic
    assert _findings(body) == [
        (3, "CRY505",
         "`AES.MODE_CBC` encrypts in `seal` with no MAC over the ciphertext, so it can be changed undetected; "
         "use `AES.MODE_GCM` or an HMAC of the ciphertext",
         None),
    ]


def test_short_tag_fix_is_unsafe_and_only_for_literals():
    found = _findings(
        """
        TAG = 4

        def literal(key, data):
            nonce = os.urandom(13)
            return nonce, AESCCM(key, tag_length=4).encrypt(nonce, data, None)

        def constant(key, data):
            cipher = AES.new(key, AES.MODE_GCM, mac_len=TAG)
            return cipher.nonce, cipher.encrypt_and_digest(data)
        """
    )
    assert found == [
        (6, "CRY506", "`tag_length=4` cuts the `AESCCM` tag to 4 bytes, which can be forged; use 16 bytes", "unsafe"),
        (9, "CRY506", "`mac_len=TAG` (4) cuts the `AES` GCM tag to 4 bytes, which can be forged; use 16 bytes", None),
    ]


def test_short_tag_thresholds_come_from_the_policy():
    body = """
        def f(key, data):
            cipher = AES.new(key, AES.MODE_GCM, mac_len=12)
            return cipher.nonce, cipher.encrypt_and_digest(data)
        """
    assert _findings(body) == []
    stricter = dataclasses.replace(ALL_ON, policy=dataclasses.replace(DEFAULT_POLICY, gcm_tag_bytes=16))
    assert [code for _, code, _, _ in _findings(body, settings=stricter)] == ["CRY506"]


def test_test_helpers_report_ecb_and_broken_ciphers_test_files_do_not():
    """ECB and a broken cipher in a test harness outside the test folders ship
    with the package (TestCode.HELPERS); in a test file they are known-answer
    tests, and a short tag exercises what the library accepts (TestCode.SKIP)."""
    body = """
        def f(key, data):
            return AES.new(key, AES.MODE_ECB).encrypt(data)

        def g(key, data):
            cipher = DES3.new(key, DES3.MODE_EAX, mac_len=4)
            return cipher.nonce, cipher.encrypt_and_digest(data)

        def h(key, nonce, data):
            return AES.new(key, AES.MODE_GCM, nonce=nonce, mac_len=4).encrypt_and_digest(data)
        """
    everywhere = [(line, code) for line, code, _, _ in _findings(body)]
    assert everywhere == [(3, "CRY504"), (6, "CRY601"), (10, "CRY506")]
    assert _findings(body, "tests/test_example.py") == []
    assert [(line, code) for line, code, _, _ in _findings("import unittest\n" + textwrap.dedent(body), "mypkg/testing.py")] == [
        (4, "CRY504"), (7, "CRY601"),
    ]
