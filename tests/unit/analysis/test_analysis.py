"""The shared analysis: qualified names, name reading, constant folding, flows."""

from __future__ import annotations

import ast
import textwrap

import pytest

from cryptolint.analysis.flows import Flows
from cryptolint.analysis.names import classify, is_secret_maker, split_words
from cryptolint.analysis.scopes import Module
from cryptolint.analysis.values import Values


def _module(source: str):
    tree = ast.parse(textwrap.dedent(source))
    module = Module(tree)
    return module, Values(module), Flows(module, Values(module), frozenset(), frozenset())


def _calls(module):
    return {ast.unparse(c): module.call_name(c) for c in module.nodes_by_type[ast.Call]}


def test_resolves_imports_aliases_and_function_level_imports():
    module, _, _ = _module(
        """
        import hashlib as h
        import os.path
        from random import choice as pick
        def f():
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            AESGCM(k).encrypt(n, d, None)
            h.sha256(b)
            pick(x)
            os.path.join(a)
        """
    )
    calls = _calls(module)
    assert calls["h.sha256(b)"] == "hashlib.sha256"
    assert calls["pick(x)"] == "random.choice"
    assert calls["AESGCM(k).encrypt(n, d, None)"] == "cryptography.hazmat.primitives.ciphers.aead.AESGCM().encrypt"
    assert calls["os.path.join(a)"] == "os.path.join"


def test_function_level_import_does_not_leak_to_module():
    module, _, _ = _module(
        """
        def f():
            import hashlib as h
        h.md5(b)
        """
    )
    assert _calls(module)["h.md5(b)"] is None


def test_instances_through_locals_and_init_attributes():
    module, _, _ = _module(
        """
        import random
        rng = random.Random(1)
        rng.choice(x)
        class C:
            def __init__(self):
                self.gen = random.Random()
            def m(self):
                self.gen.randint(1, 2)
        """
    )
    calls = _calls(module)
    assert calls["rng.choice(x)"] == "random.Random().choice"
    assert calls["self.gen.randint(1, 2)"] == "random.Random().randint"


def test_rebound_name_is_not_resolved():
    module, _, _ = _module(
        """
        import random
        import secrets
        gen = random
        gen = secrets
        gen.choice(x)
        """
    )
    assert _calls(module)["gen.choice(x)"] is None


def test_shadowed_builtin_is_not_builtin():
    module, _, _ = _module(
        """
        def bytes(n):
            return n
        bytes(12)
        len(x)
        """
    )
    calls = _calls(module)
    assert calls["bytes(12)"] is None
    assert calls["len(x)"] == "builtins.len"


@pytest.mark.parametrize(
    "name, words",
    [("resetToken", ("reset", "token")), ("API_KEY", ("api", "key")), ("XMLHttpKey2", ("xml", "http", "key"))],
)
def test_split_words(name, words):
    assert split_words(name) == words


@pytest.mark.parametrize(
    "name, role",
    [
        ("token", "token"), ("api_key", "key"), ("signing_key", "key"), ("key", "key"),
        ("SECRET_KEY", "key"), ("password", "password"), ("db_passwd", "password"), ("pwd", "password"),
        ("nonce", "nonce"), ("iv", "iv"), ("salt", "salt"), ("otp", "otp"), ("pin", "pin"),
        ("csrf_token", "token"), ("session_id", "session"), ("reset_code", "code"),
        ("verification_code", "code"), ("signature", "signature"), ("sig", "signature"),
        ("mac", "mac"), ("hmac", "mac"), ("digest", "digest"), ("password_hash", "digest"),
        ("client_secret", "secret"), ("token_bytes", "token"),
    ],
)
def test_secret_names(name, role):
    named = classify(name)
    assert named is not None and named.role == role


@pytest.mark.parametrize(
    "name",
    [
        "keyboard", "monkey", "sort_key", "key_func", "primary_key", "cache_key", "dict_keys",
        "password_field", "token_count", "max_tokens", "tokenize", "PASSWORD_FIELD", "TOKEN_HEADER",
        "KEY_ENV", "token_type", "key_id", "public_key", "is_password_valid", "api_key_header",
        "secret_key_env", "user_id", "code",
    ],
)
def test_not_secret_names(name):
    assert classify(name) is None


def test_extra_and_excluded_words():
    assert classify("hush", frozenset({"hush"})) is not None
    assert classify("api_key", frozenset(), frozenset({"api_key"})) is None


@pytest.mark.parametrize(
    "name, secret",
    [("generate_reset_token", True), ("make_token", True), ("new_api_key", True), ("gen_salt", True),
     ("get_token_count", False), ("verify_token", False), ("make_key_func", False)],
)
def test_secret_makers(name, secret):
    assert (is_secret_maker(name) is not None) is secret


@pytest.mark.parametrize(
    "expr, value",
    [
        ("b'\\x00' * 12", b"\x00" * 12),
        ("bytes(12)", bytes(12)),
        ("'key'.encode()", b"key"),
        ("bytes.fromhex('00ff')", b"\x00\xff"),
        ("base64.b64decode('c2VjcmV0')", b"secret"),
        ("binascii.unhexlify(b'6869')", b"hi"),
        ("2 ** 17", 131072),
        ("600_000", 600000),
        ("CONST", b"abc"),
        ("f'{CONST_S}-x'", "s-x"),
        ("b''.join([b'a', b'b'])", b"ab"),
    ],
)
def test_constant_folding(expr, value):
    module, values, _ = _module(f"import base64, binascii\nCONST = b'abc'\nCONST_S = 's'\nuse({expr})\n")
    call = [c for c in module.nodes_by_type[ast.Call] if getattr(c.func, "id", "") == "use"][0]
    folded = values.constant(call.args[0])
    assert folded is not None and folded.value == value


@pytest.mark.parametrize("expr", ["param", "os.urandom(12)", "REBOUND", "bytes(n)", "get()"])
def test_not_constant(expr):
    module, values, _ = _module(f"import os\nREBOUND = b'a'\nREBOUND = b'b'\ndef f(param, n):\n    use({expr})\n")
    call = [c for c in module.nodes_by_type[ast.Call] if getattr(c.func, "id", "") == "use"][0]
    assert values.constant(call.args[0]) is None


def test_fresh_random_through_locals_and_slices():
    module, values, _ = _module("import os, secrets\ndef f():\n    n = os.urandom(16)\n    use(n[:12], secrets.token_bytes(8), b'x')\n")
    call = [c for c in module.nodes_by_type[ast.Call] if getattr(c.func, "id", "") == "use"][0]
    assert [values.fresh_random(a) is not None for a in call.args] == [True, True, False]


def test_sinks_follow_joins_locals_and_returns():
    module, _, flows = _module(
        """
        import random
        def generate_code():
            digits = [str(random.randint(0, 9)) for _ in range(6)]
            code = "".join(digits)
            return code
        def f():
            user.update(api_key=random.random())
        """
    )
    calls = {ast.unparse(c): c for c in module.nodes_by_type[ast.Call]}
    sinks = flows.sinks(calls["random.randint(0, 9)"])
    assert [(s.kind, s.name) for s in sinks] == [("name", "digits"), ("name", "code"), ("return", "generate_code")]
    secret = flows.secret_sinks(calls["random.random()"])
    assert [(s.kind, s.name) for s in secret] == [("keyword", "api_key")]


def test_role_of_request_values():
    module, _, flows = _module("use(request.form['password'], request.headers.get('X-Api-Key'), user.token.encode(), name)\n")
    call = module.nodes_by_type[ast.Call][0]
    roles = [flows.role_of(a) for a in call.args]
    assert [r.role if r else None for r in roles] == ["password", "key", "token", None]
