"""Names as a reviewer reads them: run-together compounds, paths read by every
segment, protocol nonce words, public qualifiers, parameter defaults."""

from __future__ import annotations

import ast

import pytest

from cryptolint.analysis.names import classify, classify_path, default_parameter, path_segments, split_compound


@pytest.mark.parametrize(
    "word, pieces",
    [
        ("authkey", ("auth", "key")), ("keyvalue", ("key", "value")), ("sessionkey", ("session", "key")),
        ("resettoken", ("reset", "token")), ("dbpasswd", ("db", "passwd")), ("rootpass", ("root", "password")),
        ("privatekey", ("private", "key")), ("apikey", ("apikey",)), ("passwd", ("passwd",)),
        ("monkey", ("monkey",)), ("turkey", ("turkey",)), ("keyboard", ("keyboard",)),
        ("tokenizer", ("tokenizer",)), ("passthrough", ("passthrough",)), ("hashable", ("hashable",)),
        ("keyword", ("keyword",)), ("compass", ("compass",)), ("whiskey", ("whiskey",)),
    ],
)
def test_split_compound(word, pieces):
    assert split_compound(word) == pieces


@pytest.mark.parametrize(
    "name, role",
    [
        ("authkey", "key"), ("AUTHKEY", "key"), ("default_authkey", "key"), ("apikey", "key"),
        ("passwd", "password"), ("keyvalue", "key"), ("sessionkey", "session"), ("resettoken", "token"),
        ("challenge", "nonce"), ("cnonce", "nonce"), ("confounder", "nonce"),
        ("RECAPTCHA_PRIVATE_KEY", "key"), ("site_secret_key", "key"),
    ],
)
def test_compound_and_protocol_names(name, role):
    named = classify(name)
    assert named is not None and named.role == role


@pytest.mark.parametrize(
    "name",
    [
        "monkey", "turkey", "keyboard", "tokenizer", "passthrough", "hashable", "keylen", "keyname",
        "pubkey", "hashkey", "cachekey", "passage", "RECAPTCHA_SITE_KEY", "hcaptcha_sitekey",
        "STRIPE_PUBLISHABLE_KEY", "recaptcha_public_key", "oauth_client_id_key", "shuffle_tokens",
    ],
)
def test_words_that_only_contain_a_role_and_public_keys(name):
    assert classify(name) is None


@pytest.mark.parametrize(
    "source, segments, role",
    [
        ('ticket["key"]["keyvalue"]', ["ticket", "key", "keyvalue"], "key"),
        ("self.session.token", ["self", "session", "token"], "token"),
        ("self.session.key", ["self", "session", "key"], "session"),
        ('creds["token"][0]', ["creds", "token", None], "token"),
        ("self.token.value", ["self", "token", "value"], "token"),
        ('cache["key"]', ["cache", "key"], None),
        ("row.key", ["row", "key"], None),
        ("keys.public.key", ["keys", "public", "key"], None),
        ("d[k]", ["d", None], None),
    ],
)
def test_paths_are_read_by_every_segment(source, segments, role):
    expr = ast.parse(source, mode="eval").body
    assert path_segments(expr) == segments
    named = classify_path(segments)
    assert (named.role if named is not None else None) == role


def test_default_parameter():
    func = ast.parse("def f(dc, challenge=g(), *, salt=h()): pass").body[0]
    arguments = func.args  # type: ignore[attr-defined]
    assert default_parameter(arguments, arguments.defaults[0]).arg == "challenge"
    assert default_parameter(arguments, arguments.kw_defaults[0]).arg == "salt"
    assert default_parameter(arguments, func) is None
