"""The PyNaCl knowledge in `apis` (CRY608) checked against the real library:
where each call takes its nonce, the size it requires, and the behaviour the
fix relies on (`encrypt` without a nonce makes one and returns it in front of
the ciphertext).  (Tests may import the libraries; rules never do.)"""

from __future__ import annotations

import inspect

import pytest

from cryptolint.analysis import apis
from tests.helpers import load_qualname, report_new_members

nacl = pytest.importorskip("nacl")


@pytest.mark.parametrize("api", apis.PYNACL_NONCE_APIS, ids=[a.name for a in apis.PYNACL_NONCE_APIS])
def test_positions_match_the_signatures(api: apis.Api) -> None:
    params = [p for p in inspect.signature(load_qualname(api.name)).parameters.values() if p.name != "self"]
    for role, param in api.params.items():
        assert param.position is not None
        assert params[param.position].name == param.keyword, role
    assert api.facts["library"] == "pynacl" and api.facts["direction"] == "encrypt"


@pytest.mark.parametrize("api", apis.PYNACL_NONCE_APIS, ids=[a.name for a in apis.PYNACL_NONCE_APIS])
def test_nonce_sizes_are_the_required_ones(api: apis.Api) -> None:
    import nacl.bindings
    import nacl.public
    import nacl.secret

    size = api.facts["nonce_size"]
    assert api.facts["accepted"] == (size, size)
    if api.kind == "nacl-box":
        owner = {"SecretBox": nacl.secret.SecretBox, "Aead": nacl.secret.Aead, "Box": nacl.public.Box}[api.facts["algorithm"]]
        assert owner.NONCE_SIZE == size
    else:
        name = str(api.facts["algorithm"])
        constant = name.replace("_encrypt", "_NPUBBYTES") if name.startswith("crypto_aead") else None
        constant = constant or ("crypto_box_NONCEBYTES" if name.startswith("crypto_box") else "crypto_secretbox_NONCEBYTES")
        assert getattr(nacl.bindings, constant) == size


def _takes_a_nonce(function: object) -> bool:
    try:
        return "nonce" in inspect.signature(function).parameters  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def test_every_binding_that_encrypts_with_a_nonce_is_known() -> None:
    """Opening or decrypting with a constant nonce reuses nothing: the encrypting side only."""
    import nacl.bindings

    offered = {
        f"nacl.bindings.{name}"
        for name in dir(nacl.bindings)
        if not name.startswith("_") and "open" not in name and "decrypt" not in name
        and _takes_a_nonce(getattr(nacl.bindings, name))
    }
    listed = {api.name for api in apis.PYNACL_NONCE_APIS}
    assert {name for name in listed if name.count(".") == 2} <= offered
    report_new_members("PYNACL_NONCE_APIS", offered, listed)


def test_known_constants_are_the_library_values() -> None:
    for name, value in apis.KNOWN_CONSTANTS.items():
        if name.startswith("nacl."):
            assert load_qualname(name) == value, name


def test_encrypt_without_a_nonce_keeps_the_layout_the_fix_relies_on() -> None:
    import nacl.public
    import nacl.secret
    import nacl.utils

    key = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)
    box = nacl.secret.SecretBox(key)
    fixed = box.encrypt(b"message", b"\x00" * 24)
    fresh = box.encrypt(b"message")
    assert len(fresh) == len(fixed) and fresh.nonce != fixed.nonce
    assert bytes(fresh) == fresh.nonce + fresh.ciphertext
    assert box.decrypt(fresh) == box.decrypt(fixed) == b"message"
    aead = nacl.secret.Aead(key)
    assert aead.decrypt(aead.encrypt(b"message", b"aad"), b"aad") == b"message"
    alice, bob = nacl.public.PrivateKey.generate(), nacl.public.PrivateKey.generate()
    sealed = nacl.public.Box(alice, bob.public_key).encrypt(b"message")
    assert nacl.public.Box(bob, alice.public_key).decrypt(sealed) == b"message"
