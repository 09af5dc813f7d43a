"""What the fixtures cannot show for CRY501-CRY503: each fix's applicability,
the exact messages, and the one-step call-site helpers in `scopes`."""

from __future__ import annotations

import ast
import textwrap
from typing import List, Optional, Tuple

from cryptolint.analysis.scopes import Module
from cryptolint.analysis.values import Values
from cryptolint.engine import lint_source
from cryptolint.registry import all_rules
from tests.helpers import ALL_ON

_OFF_BY_DEFAULT = frozenset(rule.code for rule in all_rules() if not rule.default_enabled)
HEADER = """\
import os
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from Crypto.Cipher import AES
"""


def _findings(body: str) -> List[Tuple[int, str, str, Optional[str]]]:
    """The findings of the rules on by default (CRY505, off by default,
    also reports these unauthenticated CBC examples)."""
    source = HEADER + textwrap.dedent(body)
    return [
        (d.line - HEADER.count("\n"), d.code, d.message, d.fix.applicability.value if d.fix else None)
        for d in lint_source(source, "example.py", ALL_ON)
        if d.code not in _OFF_BY_DEFAULT
    ]


def test_static_nonce_fix_is_safe_when_the_nonce_is_returned():
    (found,) = _findings(
        """
        def seal(key, data):
            nonce = b"\\x00" * 12
            return nonce, AESGCM(key).encrypt(nonce, data, None)
        """
    )
    assert found == (
        4, "CRY501",
        "`nonce` is a constant (`b\"\\x00\" * 12`) used to encrypt with `AESGCM`; make a fresh `os.urandom(12)` for every encryption",
        "safe",
    )


def test_static_nonce_fix_is_safe_when_stored_with_the_ciphertext():
    (found,) = _findings(
        """
        def seal(key, data, db):
            iv = bytes(16)
            encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
            sealed = encryptor.update(data) + encryptor.finalize()
            db.save(iv=iv, sealed=sealed)
        """
    )
    assert found[1] == "CRY501" and found[3] == "safe"


def test_static_nonce_fix_is_unsafe_when_kept_elsewhere_and_absent_when_lost():
    found = _findings(
        """
        def kept(self, key, data):
            nonce = bytes(12)
            self.nonce = nonce
            return AESGCM(key).encrypt(nonce, data, None)

        def lost(key, data):
            nonce = bytes(12)
            return AESGCM(key).encrypt(nonce, data, None)

        NONCE = bytes(12)

        def module_level(key, data):
            return NONCE + AESGCM(key).encrypt(NONCE, data, None)
        """
    )
    assert [(line, code, fix) for line, code, _, fix in found] == [
        (5, "CRY501", "unsafe"), (9, "CRY501", None), (14, "CRY501", None),
    ]


def test_static_nonce_no_fix_when_the_variable_encrypts_twice():
    found = _findings(
        """
        def twice(key, a, b):
            nonce = bytes(12)
            return nonce, AESGCM(key).encrypt(nonce, a, None), AESGCM(key).encrypt(nonce, b, None)
        """
    )
    assert [(code, fix) for _, code, _, fix in found] == [("CRY501", None), ("CRY501", None)]


def test_static_nonce_keeps_the_length_of_the_old_constant():
    (found,) = _findings(
        """
        def seal(key, data):
            nonce = b"0123456789abcdef"
            return nonce + AESGCM(key).encrypt(nonce, data, None)
        """
    )
    assert "`os.urandom(16)`" in found[2]


def test_one_step_message_names_the_helper():
    (found,) = _findings(
        """
        def make_cipher(key, iv):
            return Cipher(algorithms.AES(key), modes.CBC(iv))

        def seal(key, data):
            return make_cipher(key, b"\\0" * 16).encryptor().update(data)
        """
    )
    assert found[:2] == (6, "CRY501")
    assert found[2].startswith("the IV `b\"\\0\" * 16` is a constant that `make_cipher` passes on to `modes.CBC`;")


def test_reused_nonce_messages():
    found = _findings(
        """
        NONCE = os.urandom(12)

        def seal(key, data):
            return AESGCM(key).encrypt(NONCE, data, None)

        def twice(key, a, b):
            nonce = os.urandom(12)
            first = AESGCM(key).encrypt(nonce, a, None)
            return nonce, first, AESGCM(key).encrypt(nonce, b, None)
        """
    )
    assert [(line, code, fix) for line, code, _, fix in found] == [(5, "CRY502", None), (10, "CRY502", None)]
    assert found[0][2].startswith("`NONCE` is made once at import (`os.urandom(12)`)")
    assert found[1][2].startswith("`nonce` was already used to encrypt with `AESGCM` on line 13")


def test_short_nonce_fix_applicability():
    found = _findings(
        """
        SIZE = 8

        def kept_apart(key, data):
            nonce = os.urandom(8)
            return nonce, AESGCM(key).encrypt(nonce, data, None)

        def spliced(key, data):
            nonce = os.urandom(8)
            return nonce + AESGCM(key).encrypt(nonce, data, None)

        def named(key, data):
            nonce = os.urandom(SIZE)
            return nonce, AESGCM(key).encrypt(nonce, data, None)
        """
    )
    assert [(line, code, fix) for line, code, _, fix in found] == [
        (5, "CRY503", "unsafe"), (9, "CRY503", "unsafe"), (13, "CRY503", "unsafe"),
    ]
    assert found[0][2] == (
        "`os.urandom(8)` makes an 8-byte nonce for `AESGCM`, which is likely to repeat "
        "after about 2**32 encryptions; use 12 random bytes"
    )


def test_test_files_are_skipped():
    source = HEADER + "def f(key, data):\n    return AESGCM(key).encrypt(bytes(12), data, None)\n"
    assert [d.code for d in lint_source(source, "example.py", ALL_ON)] == ["CRY501"]
    assert lint_source(source, "tests/test_example.py", ALL_ON) == []


def _module(source: str) -> Module:
    return Module(ast.parse(textwrap.dedent(source)))


def test_call_sites_and_arguments_one_step():
    module = _module(
        """
        def helper(key, iv, *, mode=None):
            pass

        class Box:
            def _cipher(self, iv):
                pass

            @staticmethod
            def plain(iv):
                pass

            def seal(self):
                self._cipher(b"a")
                self.plain(b"b")

        helper(k, b"c", mode=1)
        helper(k, iv=b"d")
        helper(*args)
        """
    )
    calls = {ast.unparse(c): c for c in module.nodes_by_type[ast.Call]}
    helper = next(n for n in module.nodes_by_type[ast.FunctionDef] if n.name == "helper")
    sites = [ast.unparse(call) for call, _ in module.call_sites(helper)]
    assert sorted(sites) == ["helper(*args)", "helper(k, b'c', mode=1)", "helper(k, iv=b'd')"]
    assert ast.unparse(module.argument_for(calls["helper(k, b'c', mode=1)"], helper, "iv")) == "b'c'"
    assert ast.unparse(module.argument_for(calls["helper(k, iv=b'd')"], helper, "iv")) == "b'd'"
    assert ast.unparse(module.argument_for(calls["helper(k, b'c', mode=1)"], helper, "mode")) == "1"
    assert module.argument_for(calls["helper(*args)"], helper, "iv") is None
    method, skipped = module.called_function(calls["self._cipher(b'a')"])
    assert getattr(method, "name") == "_cipher" and skipped == 1
    assert ast.unparse(module.argument_for(calls["self._cipher(b'a')"], method, "iv", skipped)) == "b'a'"
    static, skipped = module.called_function(calls["self.plain(b'b')"])
    assert getattr(static, "name") == "plain" and skipped == 0


def test_values_fold_library_block_sizes():
    module = _module(
        """
        from Crypto.Cipher import AES
        from cryptography.hazmat.primitives.ciphers import algorithms
        a = b"\\0" * AES.block_size
        b = bytes(algorithms.AES.block_size // 8)
        """
    )
    values = Values(module)
    a, b = [n.value for n in module.nodes_by_type[ast.Assign]]
    assert values.constant(a).value == bytes(16)
    assert values.constant(b).value == bytes(16)
