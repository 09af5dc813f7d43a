"""The nonce knowledge in `apis` checked against the real libraries: where
each API takes its nonce, which sizes it accepts, what PyCryptodome's third
positional argument means in each mode, and the library constants the values
analysis folds.  (Tests may import the libraries; rules never do.)"""

from __future__ import annotations

import importlib
import inspect
import os
from typing import Any

import pytest

from cryptolint.analysis import apis
from tests.helpers import load_qualname, public_classes, report_new_members

pytestmark = pytest.mark.filterwarnings("ignore:.*has been moved to cryptography.hazmat.decrepit")


def _positional(func: Any) -> list:
    params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
    return [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


CRYPTOGRAPHY = sorted(name for name in apis.NONCE_APIS if name.startswith("cryptography."))


@pytest.mark.parametrize("name", CRYPTOGRAPHY)
def test_cryptography_nonce_positions(name: str) -> None:
    api = apis.NONCE_APIS[name]
    target = load_qualname(name)
    func = target.__init__ if inspect.isclass(target) else target
    nonce = api.params["nonce"]
    positional = _positional(func)
    assert positional[nonce.position].name == nonce.keyword
    for role, param in api.params.items():
        if param.position is not None:
            assert positional[param.position].name == param.keyword, role


AEAD_SIZES = [
    (name, api) for name, api in apis.NONCE_APIS.items()
    if api.kind == "aead-encrypt" and name.endswith(".encrypt")
]


@pytest.mark.parametrize("name, api", AEAD_SIZES, ids=[n.split(".")[-2] for n, _ in AEAD_SIZES])
def test_aead_accepted_nonce_sizes(name: str, api: apis.Api) -> None:
    cls = load_qualname(name.rsplit("()", 1)[0])
    aead = cls(cls.generate_key(256) if "ChaCha" not in name else cls.generate_key())
    low, high = api.facts["accepted"]  # type: ignore[misc]
    assert low <= api.facts["nonce_size"] <= high  # type: ignore[operator]
    for size in (low, high):
        aead.encrypt(os.urandom(size), b"data", None)
    for size in (low - 1, high + 1):
        with pytest.raises(ValueError):
            aead.encrypt(os.urandom(size), b"data", None)


#: AEADs that take no nonce: AES-SIV is deterministic (a nonce, if any, is
#: the last piece of associated data).
NO_NONCE_AEADS = {"cryptography.hazmat.primitives.ciphers.aead.AESSIV"}


def test_every_cryptography_aead_is_known() -> None:
    from cryptography.hazmat.primitives.ciphers import aead

    listed = {name.split("()", 1)[0] for name in apis.NONCE_APIS if name.startswith(f"{aead.__name__}.")}
    offered = public_classes(aead)
    assert listed and listed <= offered
    assert NO_NONCE_AEADS <= offered
    report_new_members("NONCE_APIS (cryptography AEADs)", offered, listed | NO_NONCE_AEADS)


def test_gcm_mode_accepts_short_nonces_that_min_random_size_reports() -> None:
    from cryptography.hazmat.primitives.ciphers import modes

    api = apis.NONCE_APIS["cryptography.hazmat.primitives.ciphers.modes.GCM"]
    low, _ = api.facts["accepted"]  # type: ignore[misc]
    modes.GCM(os.urandom(low))
    with pytest.raises(ValueError):
        modes.GCM(os.urandom(low - 1))
    assert api.facts["min_random_size"] == 12


def test_decrypt_methods_and_cipher_constructors_exist() -> None:
    for name in apis.DECRYPT_METHODS:
        assert callable(load_qualname(name))
    for name, api in apis.CIPHER_CONSTRUCTORS.items():
        positional = _positional(load_qualname(name).__init__)
        for param in api.params.values():
            assert positional[param.position].name == param.keyword


def test_known_cryptography_constants() -> None:
    checked = 0
    for name, value in apis.KNOWN_CONSTANTS.items():
        if name.startswith("cryptography."):
            try:
                real = load_qualname(name)
            except AttributeError:
                continue  # moved or removed in this version; older code still uses it
            assert real == value, name
            checked += 1
    assert checked >= 10


# ------------------------------------------------------------- PyCryptodome
@pytest.fixture(scope="module")
def crypto() -> Any:
    return pytest.importorskip("Crypto.Cipher")


def test_pycryptodome_mode_constants(crypto: Any) -> None:
    for name, mode in apis.PYCRYPTODOME_MODES.items():
        if not name.startswith("Crypto."):
            continue
        value = load_qualname(name)
        assert apis.PYCRYPTODOME_MODE_NUMBERS[value] == mode, name
    for cls in ("AES", "DES", "DES3", "ARC2", "Blowfish", "CAST"):
        module = importlib.import_module(f"Crypto.Cipher.{cls}")
        real = {attr for attr in dir(module) if attr.startswith("MODE_")}
        listed = {n.rsplit(".", 1)[1] for n in apis.PYCRYPTODOME_MODES if n.startswith(f"Crypto.Cipher.{cls}.")}
        assert listed <= real, cls  # everything listed exists in the pinned version
        report_new_members(f"PYCRYPTODOME_MODES ({cls})", real, listed)


def test_pycryptodome_block_sizes(crypto: Any) -> None:
    for name, api in apis.NONCE_APIS.items():
        if name.startswith("Crypto.") and api.kind == "pycryptodome-cipher":
            module = importlib.import_module(name.rsplit(".", 1)[0])
            assert module.block_size == api.facts["block_size"], name
    for name, value in apis.KNOWN_CONSTANTS.items():
        if name.startswith("Crypto."):
            assert load_qualname(name) == value, name


@pytest.mark.parametrize("mode", sorted(apis.PYCRYPTODOME_THIRD_ARGUMENT))
def test_pycryptodome_third_argument(crypto: Any, mode: str) -> None:
    from Crypto.Cipher import AES

    role = apis.PYCRYPTODOME_THIRD_ARGUMENT[mode]
    size = apis.pycryptodome_nonce_size(mode, 16)
    value = os.urandom(size)  # type: ignore[arg-type]
    cipher = AES.new(os.urandom(32 if mode == "SIV" else 16), getattr(AES, f"MODE_{mode}"), value)
    if role == "iv":
        assert cipher.iv == value
        for keyword in apis.PYCRYPTODOME_NONCE_KEYWORDS["iv"]:
            assert AES.new(os.urandom(16), getattr(AES, f"MODE_{mode}"), **{keyword: value}).iv == value
    else:
        assert cipher.nonce == value


def test_pycryptodome_ctr_takes_no_third_argument_and_its_default_nonce(crypto: Any) -> None:
    from Crypto.Cipher import AES, DES3

    with pytest.raises(TypeError):
        AES.new(os.urandom(16), AES.MODE_CTR, os.urandom(8))
    assert len(AES.new(os.urandom(16), AES.MODE_CTR).nonce) == apis.pycryptodome_nonce_size("CTR", 16)
    assert apis.pycryptodome_nonce_size("CTR", 8) is None
    with pytest.raises(TypeError):
        DES3.new(DES3.adjust_key_parity(os.urandom(24)), DES3.MODE_CTR)


def test_pycryptodome_stream_ciphers(crypto: Any) -> None:
    from Crypto.Cipher import ChaCha20, ChaCha20_Poly1305, Salsa20

    for module in (ChaCha20, ChaCha20_Poly1305, Salsa20):
        api = apis.NONCE_APIS[f"Crypto.Cipher.{module.__name__.rsplit('.', 1)[1]}.new"]
        params = inspect.signature(module.new).parameters
        keyword_only = params["nonce"].kind is inspect.Parameter.KEYWORD_ONLY
        assert (api.params["nonce"].position is None) == keyword_only
        low, high = api.facts["accepted"]  # type: ignore[misc]
        module.new(key=os.urandom(32), nonce=os.urandom(low))
        module.new(key=os.urandom(32), nonce=os.urandom(high))
        with pytest.raises(ValueError):
            module.new(key=os.urandom(32), nonce=os.urandom(low - 1))


def test_pycryptodome_counter_parameters(crypto: Any) -> None:
    from Crypto.Util import Counter

    api = apis.COUNTER_MAKERS["Crypto.Util.Counter.new"]
    positional = _positional(Counter.new)
    for param in api.params.values():
        assert positional[param.position].name == param.keyword
