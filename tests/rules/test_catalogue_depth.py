"""What the fixtures cannot show for the deeper catalogue forms: the exact
messages of iterated password hashing (CRY201), SHA-crypt rounds (CRY607)
and test doubles of security factories (CRY707), the fix an iterated hash
does not get, and the test files CRY707 leaves alone."""

from __future__ import annotations

import textwrap
from typing import List, Optional, Tuple

from cryptolint.engine import lint_source
from tests.helpers import ALL_ON


def _findings(source: str, path: str = "app/accounts.py") -> List[Tuple[int, int, str, str, Optional[str]]]:
    return [
        (d.line, d.column, d.code, d.message, d.fix.applicability.value if d.fix else None)
        for d in lint_source(textwrap.dedent(source), path, ALL_ON)
    ]


ITERATED = """\
import hashlib


def hash_password(password, salt):
    digest = hashlib.sha256(salt + password.encode()).hexdigest()
    for _ in range(1000):
        digest = hashlib.sha256(digest.encode() + salt).hexdigest()
    return digest


def single(password):
    return hashlib.sha256(password.encode()).hexdigest()
"""


def test_an_iterated_password_hash_says_the_count_does_not_help_and_gets_no_fix():
    found = _findings(ITERATED)
    assert [(line, column, code) for line, column, code, _, _ in found] == [(5, 13, "CRY201"), (12, 11, "CRY201")]
    assert found[0][3] == (
        "`hashlib.sha256` hashes the password `password` with SHA-256 iterated `1000` times (line 6), still fast to "
        "brute-force: the iteration count does not make a fast hash a password hash (every round runs at GPU speed "
        "and costs no memory); use `safe.hash_password` (Argon2id) or bcrypt"
    )
    assert found[0][4] is None  # replacing the first round alone would break the chain
    assert found[1][3].endswith("with SHA-256, which is fast to brute-force; use `safe.hash_password` (Argon2id) or bcrypt")
    assert found[1][4] == "unsafe"


def test_iterated_hashing_of_other_data_is_not_reported():
    source = """\
    from hashlib import sha256


    def hash_chain(seed, length):
        h = seed
        for _ in range(length):
            h = sha256(h).digest()
        return h
    """
    assert _findings(source) == []


SHIPPED_DOUBLE = """\
import os
from unittest import mock


@mock.patch("os.urandom", lambda size: bytes(size))
def replay(recording):
    return recording.play()
"""


def test_a_test_double_of_a_security_factory_is_reported_where_it_ships():
    assert _findings(SHIPPED_DOUBLE, "replaylib/testing.py") == [
        (
            5, 12, "CRY707",
            "`mock.patch` replaces `os.urandom`, the operating system's random bytes for every caller, while it is "
            "active, so every part of the program, its libraries included, silently loses that protection; outside "
            "a test suite, patch the one caller's own reference or pass what it needs",
            None,
        )
    ]


def test_a_test_double_in_a_test_file_is_the_test_suite_s_business():
    assert _findings(SHIPPED_DOUBLE, "tests/test_replay.py") == []


def test_sha_crypt_rounds_message_names_the_rounds_and_the_minimum():
    source = """\
    import crypt
    salt = crypt.mksalt(crypt.METHOD_SHA512, rounds=5000)
    """
    assert _findings(source) == [
        (
            2, 48, "CRY607",
            "`crypt.mksalt(rounds=5000)` makes `crypt` hash passwords with `5000` rounds of SHA-512-crypt, below the "
            "minimum `535000`, fast to crack; use `rounds=535000` or more, or argon2-cffi (`crypt` is gone in Python 3.13)",
            None,
        )
    ]
