"""Protocol code: rules marked for a protocol, declared protocols lower their
findings to notes (never hide them), one finding per root cause, and
HMAC-SHA-1 is never called a broken hash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cryptolint.catalog import render_markdown, rule_to_json
from cryptolint.config import ConfigError, load_file
from cryptolint.diagnostic import Level
from cryptolint.engine import lint_source
from cryptolint.policy import POLICIES
from cryptolint.protocols import declared_in
from cryptolint.registry import rule_by_code
from tests.helpers import ALL_ON

NTLM_STYLE = """\
from Crypto.Cipher import DES
import requests


def lm_response(key, challenge):
    return DES.new(key, DES.MODE_ECB).encrypt(challenge)


def fetch(url):
    return requests.get(url, verify=False, timeout=10)
"""


def _found(source: str, settings=ALL_ON, path: str = "ntlm.py"):
    return [(d.line, d.column, d.code, d.level) for d in lint_source(source, path, settings)]


def test_without_a_declaration_weak_primitives_are_errors_and_des_ecb_is_one_finding() -> None:
    assert _found(NTLM_STYLE) == [(6, 11, "CRY601", Level.ERROR), (10, 36, "CRY704", Level.ERROR)]


def test_a_declared_protocol_lowers_only_marked_rules_to_notes() -> None:
    settings = replace(ALL_ON, protocols=frozenset({"ntlm"}))
    diagnostics = lint_source(NTLM_STYLE, "ntlm.py", settings)
    assert [(d.line, d.column, d.code, d.level) for d in diagnostics] == [
        (6, 11, "CRY601", Level.NOTE),
        (10, 36, "CRY704", Level.ERROR),  # switched-off checking is no protocol's requirement
    ]
    assert diagnostics[0].message.endswith("(a note: this code declares it implements ntlm, whose specification may fix this primitive)")


def test_a_protocol_the_rule_is_not_marked_for_changes_nothing() -> None:
    settings = replace(ALL_ON, protocols=frozenset({"websocket"}))
    assert _found(NTLM_STYLE, settings)[0] == (6, 11, "CRY601", Level.ERROR)


def test_a_file_declares_its_protocol_in_a_comment() -> None:
    source = "# cryptolint: implements-protocol=kerberos, ntlm\n" + NTLM_STYLE
    assert _found(source) == [(7, 11, "CRY601", Level.NOTE), (11, 36, "CRY704", Level.ERROR)]
    assert declared_in(["x = 1  # cryptolint: implements-protocol websocket, bogus"]) == frozenset({"websocket"})


def test_ecb_is_reported_when_the_weak_cipher_rule_is_not_selected() -> None:
    settings = replace(ALL_ON, ignore=("CRY601",))
    assert _found(NTLM_STYLE, settings) == [(6, 24, "CRY504", Level.ERROR), (10, 36, "CRY704", Level.ERROR)]


def test_the_rule_table_and_json_show_the_protocol_marker() -> None:
    rule = rule_by_code("CRY601")
    assert rule is not None and rule.protocols == ("ntlm", "kerberos", "ms-rpc")
    assert rule_to_json(rule)["protocols"] == ["ntlm", "kerberos", "ms-rpc"]
    assert "| [CRY601](rules/CRY601-weak-cipher.md) | `weak-cipher` | algorithms-and-key-sizes | - | on | ntlm, kerberos, ms-rpc |" in render_markdown()
    assert "| [CRY704](rules/CRY704-tls-verification-disabled.md) | `tls-verification-disabled` | key-management | unsafe | on | - |" in render_markdown()


def test_configuration_names_known_protocols_only(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.cryptolint]\nprotocols = ["ntlm", "smoke-signals"]\n')
    with pytest.raises(ConfigError, match="unknown protocol `smoke-signals`"):
        load_file(path)
    path.write_text('[tool.cryptolint]\nprotocols = "ntlm"\n')
    with pytest.raises(ConfigError, match="expected a list of protocol names"):
        load_file(path)


def test_a_constant_nonce_shared_by_functions_is_one_finding() -> None:
    source = """\
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE = b"\\x8a\\x1f\\x02\\x9c\\x11\\x42\\x77\\x03\\xaa\\xbb\\xcc\\xdd"


def seal(key, data):
    return AESGCM(key).encrypt(NONCE, data, None)


def seal_with_header(key, data):
    return AESGCM(key).encrypt(NONCE, data, b"v1")
"""
    diagnostics = lint_source(source, "seal.py", ALL_ON)
    assert [(d.line, d.column, d.code) for d in diagnostics] == [(7, 31, "CRY501")]
    assert diagnostics[0].message.endswith("(the same constant also reaches line 11)")


@pytest.mark.parametrize("algorithm", ["sha1", "md5"])
def test_hmac_is_never_called_a_broken_hash(algorithm: str) -> None:
    source = f"import hashlib\nimport hmac\n\n\ndef tag(key, counter):\n    return hmac.new(key, counter, hashlib.{algorithm}).digest()\n"
    strict = replace(ALL_ON, policy=POLICIES["strict"])
    diagnostics = lint_source(source, "otp.py", strict)
    assert [(d.line, d.code) for d in diagnostics] == [(6, "CRY604")]
    assert "a broken hash" not in diagnostics[0].message
