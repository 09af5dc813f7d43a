"""The work-factor rules read their thresholds from the policy: another dated
policy (`owasp-2021`) or a single override changes what they report."""

from __future__ import annotations

import textwrap
from typing import Any, Dict, List, Tuple

import pytest

from cryptolint.checks.weak_argon2_parameters import required_memory
from cryptolint.engine import lint_source
from cryptolint.policy import DEFAULT_POLICY, POLICIES, Policy, with_overrides
from cryptolint.registry import all_rules
from cryptolint.settings import Settings

OWASP_2021 = POLICIES["owasp-2021"]


def _settings(policy: Policy) -> Settings:
    return Settings(select=tuple(rule.code for rule in all_rules()), policy=policy)


def _findings(source: str, policy: Policy, code: str) -> List[Tuple[int, int, str]]:
    diagnostics = lint_source(textwrap.dedent(source), "app/hashing.py", _settings(policy))
    return [(d.line, d.column, d.message) for d in diagnostics if d.code == code]


def _positions(source: str, policy: Policy, code: str) -> List[Tuple[int, int]]:
    return [(line, column) for line, column, _ in _findings(source, policy, code)]


def _override(**values: Any) -> Policy:
    return with_overrides(DEFAULT_POLICY, {key.replace("_", "-"): value for key, value in values.items()})


# ------------------------------------------------------------------ CRY202
BCRYPT_11 = """\
import bcrypt
salt = bcrypt.gensalt(rounds=11)
"""
BCRYPT_13 = """\
import bcrypt
salt = bcrypt.gensalt(13)
default = bcrypt.gensalt()
"""


def test_bcrypt_cost_11_is_weak_under_owasp_2023_but_not_2021():
    assert _positions(BCRYPT_11, DEFAULT_POLICY, "CRY202") == [(2, 29)]
    assert _positions(BCRYPT_11, OWASP_2021, "CRY202") == []


def test_bcrypt_override_raises_the_minimum_and_the_fix_follows_it():
    policy = _override(bcrypt_rounds=14)
    assert _positions(BCRYPT_13, DEFAULT_POLICY, "CRY202") == []
    found = _findings(BCRYPT_13, policy, "CRY202")
    assert [(line, column) for line, column, _ in found] == [(2, 22), (3, 10)]
    assert found[0][2] == "`bcrypt.gensalt(rounds=13)` is below the minimum cost `14`; use `rounds=14`"
    assert found[1][2] == "`bcrypt.gensalt()` uses the default cost `12`, below the minimum `14`; use `rounds=14`"
    diagnostics = lint_source(BCRYPT_13, "app/hashing.py", _settings(policy))
    fixes = [d.fix for d in diagnostics if d.code == "CRY202"]
    assert [f.edits[0].template for f in fixes if f] == ["14", "{0}(rounds=14)"]


def test_bcrypt_override_can_lower_the_minimum():
    assert _positions(BCRYPT_11, _override(bcrypt_rounds=10), "CRY202") == []


# ------------------------------------------------------- CRY607 SHA-crypt
SHA_CRYPT = """\
import crypt
from passlib.hash import sha512_crypt
hasher = sha512_crypt.using(rounds=600_000)
salt = crypt.mksalt(crypt.METHOD_SHA256, rounds=100_000)
"""


def test_sha_crypt_rounds_follow_the_threshold():
    assert _positions(SHA_CRYPT, DEFAULT_POLICY, "CRY607") == [(4, 48)]
    found = _findings(SHA_CRYPT, _override(sha_crypt_rounds=700_000), "CRY607")
    assert [(line, column) for line, column, _ in found] == [(3, 35), (4, 48)]
    assert found[0][2] == (
        "`sha512_crypt.using(rounds=600_000)` makes `sha512_crypt` hashes with `600000` rounds, below the minimum "
        "`700000`, fast to crack; leave `rounds` at passlib's default or raise it to `700000`"
    )
    assert _positions(SHA_CRYPT, _override(sha_crypt_rounds=50_000), "CRY607") == []


# ------------------------------------------------------------------ CRY203
ARGON2_16_MIB = """\
from argon2 import PasswordHasher
hasher = PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1)
"""
ARGON2_DEFAULTS = """\
from argon2 import PasswordHasher
hasher = PasswordHasher()
single = PasswordHasher(parallelism=1)
"""


def test_argon2_16_mib_is_weak_under_owasp_2023_but_not_2021():
    assert _positions(ARGON2_16_MIB, DEFAULT_POLICY, "CRY203") == [(2, 49)]
    assert _positions(ARGON2_16_MIB, OWASP_2021, "CRY203") == []


def test_argon2_memory_override_reaches_the_defaults_and_offers_no_fix_that_cannot_pass():
    policy = _override(argon2_memory_kib=65536, argon2_time_cost=4)
    found = lint_source(ARGON2_DEFAULTS, "app/hashing.py", _settings(policy))
    weak = [d for d in found if d.code == "CRY203"]
    assert [(d.line, d.column) for d in weak] == [(2, 9), (3, 9)]
    assert weak[0].message == (
        "`PasswordHasher()` with its defaults is below the minimum `memory_cost=87382` at `time_cost=3`; "
        "use `memory_cost=87382`"
    )
    assert all(d.fix is None for d in weak)
    assert _positions(ARGON2_DEFAULTS, DEFAULT_POLICY, "CRY203") == []


def test_argon2_parallelism_override():
    policy = _override(argon2_parallelism=2)
    assert _positions(ARGON2_DEFAULTS, policy, "CRY203") == [(3, 36)]


@pytest.mark.parametrize(
    "time_cost, memory_cost",
    [(1, 47104), (2, 19456), (3, 12288), (4, 9216), (5, 7168), (8, 7168), (1, 38912)],
)
def test_owasp_equivalent_argon2_settings_pass(time_cost, memory_cost):
    assert memory_cost >= required_memory(DEFAULT_POLICY, time_cost)


@pytest.mark.parametrize(
    "time_cost, memory_cost",
    [(1, 38911), (2, 19455), (3, 12287), (4, 9215), (5, 7167), (10, 7167), (40, 1024)],
)
def test_argon2_settings_below_the_trade_off_fail(time_cost, memory_cost):
    assert memory_cost < required_memory(DEFAULT_POLICY, time_cost)


def test_argon2_trade_off_scales_with_the_policy():
    assert required_memory(OWASP_2021, 2) == 15360
    assert required_memory(OWASP_2021, 1) == 30720
    assert required_memory(OWASP_2021, 3) == 10240
    assert required_memory(OWASP_2021, 9) == 5120


# ------------------------------------------------------------------ CRY204
PBKDF2_400K = """\
import hashlib
def derive(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password, salt, 400_000)
"""
PBKDF2_SHA512 = """\
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
def derive(password, salt):
    return PBKDF2HMAC(hashes.SHA512(), 32, salt, 150_000).derive(password)
"""
SCRYPT_2_17 = """\
import hashlib
def derive(password, salt):
    return hashlib.scrypt(password, salt=salt, n=2**17, r=8, p=1, maxmem=2**28)
"""


def test_pbkdf2_400k_is_weak_under_owasp_2023_but_not_2021():
    found = _findings(PBKDF2_400K, DEFAULT_POLICY, "CRY204")
    assert [(line, column) for line, column, _ in found] == [(3, 57)]
    assert "use `iterations=600000`" in found[0][2]
    assert _positions(PBKDF2_400K, OWASP_2021, "CRY204") == []


def test_pbkdf2_minimum_depends_on_the_hash_in_each_policy():
    assert _positions(PBKDF2_SHA512, DEFAULT_POLICY, "CRY204") == [(4, 49)]
    assert _positions(PBKDF2_SHA512, OWASP_2021, "CRY204") == []


def test_pbkdf2_override_per_hash():
    raised = _override(pbkdf2_sha256=1_000_000)
    found = _findings(PBKDF2_400K.replace("400_000", "600_000"), raised, "CRY204")
    assert [(line, column) for line, column, _ in found] == [(3, 57)]
    assert "use `iterations=1000000`" in found[0][2]
    lowered = _override(pbkdf2_sha256=300_000)
    assert _positions(PBKDF2_400K, lowered, "CRY204") == []


@pytest.mark.parametrize("overrides, expected", [({}, []), ({"scrypt_n": 2**18}, [(3, 49)]), ({"scrypt_r": 16}, [(3, 58)])])
def test_scrypt_overrides(overrides: Dict[str, int], expected: List[Tuple[int, int]]):
    assert _positions(SCRYPT_2_17, _override(**overrides), "CRY204") == expected


def test_owasp_scrypt_trade_off_scales_with_the_policy():
    half = SCRYPT_2_17.replace("n=2**17", "n=2**16").replace("p=1", "p=2")
    assert _positions(half, DEFAULT_POLICY, "CRY204") == []
    assert _positions(half.replace("p=2", "p=1"), DEFAULT_POLICY, "CRY204") == [(3, 49)]
    assert _positions(half, _override(scrypt_n=2**18), "CRY204") == [(3, 49)]
