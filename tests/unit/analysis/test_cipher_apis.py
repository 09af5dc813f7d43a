"""The mode, cipher and tag knowledge in `apis` (used by CRY504-CRY506 and
CRY601) checked against the real libraries: the weak cipher constructors
exist where the table says, the mode classes and constants are what they are
called, pyDes defaults to ECB, and the tag-length parameters sit where the
table puts them.  (Tests may import the libraries; rules never do.)"""

from __future__ import annotations

import inspect
import os

import pytest

from cryptolint.analysis import apis
from tests.helpers import load_qualname, public_classes, report_new_members

pytestmark = pytest.mark.filterwarnings("ignore:.*has been moved to cryptography.hazmat.decrepit")


def _optional(name: str) -> bool:
    """Whether `name` belongs to a library that may be absent here (pyDes,
    M2Crypto, PyCryptodome's `Cryptodome` twin) or to code that left it
    (PyCrypto's `XOR`, cryptography's old homes of the decrepit ciphers)."""
    if name.startswith(("pyDes.", "M2Crypto.", "Cryptodome.")) or ".XOR." in name:
        return True
    return name.startswith("cryptography.hazmat.primitives.ciphers.algorithms.")


@pytest.mark.parametrize("name", sorted(apis.WEAK_CIPHERS))
def test_weak_cipher_constructors_exist(name: str) -> None:
    assert apis.WEAK_CIPHERS[name] in apis.WEAK_CIPHER_REASONS
    try:
        target = load_qualname(name)
    except (ImportError, AttributeError):
        if _optional(name):
            pytest.skip(f"{name} is not in the installed libraries")
        raise
    assert callable(target)


def test_both_pycryptodome_namespaces_are_listed() -> None:
    crypto = {n[len("Crypto."):] for n in apis.WEAK_CIPHERS if n.startswith("Crypto.")}
    dome = {n[len("Cryptodome."):] for n in apis.WEAK_CIPHERS if n.startswith("Cryptodome.")}
    assert crypto == dome and len(crypto) == 8


#: Ciphers `cryptography` keeps in `decrepit` that are rare rather than weak.
NOT_WEAK_IN_DECREPIT = {"cryptography.hazmat.decrepit.ciphers.algorithms.Camellia"}


def test_the_decrepit_home_holds_every_weak_cryptography_cipher() -> None:
    from cryptography.hazmat.decrepit.ciphers import algorithms
    from cryptography.hazmat.primitives.ciphers import CipherAlgorithm

    decrepit = [n for n in apis.WEAK_CIPHERS if n.startswith("cryptography.hazmat.decrepit.")]
    assert len(decrepit) == 7
    for name in decrepit:
        assert callable(load_qualname(name)), name
    offered = public_classes(algorithms, CipherAlgorithm)
    assert NOT_WEAK_IN_DECREPIT <= offered
    report_new_members("WEAK_CIPHERS (decrepit)", offered, set(decrepit) | NOT_WEAK_IN_DECREPIT)


def test_cryptography_mode_classes() -> None:
    from cryptography.hazmat.primitives.ciphers import modes

    for name, mode in apis.CRYPTOGRAPHY_MODES.items():
        cls = load_qualname(name)
        assert cls.name == mode or cls.__name__ == mode, name
    assert apis.UNAUTHENTICATED_MODES <= set(apis.CRYPTOGRAPHY_MODES.values()) | {"OPENPGP"}
    report_new_members("CRYPTOGRAPHY_MODES", public_classes(modes, modes.Mode), set(apis.CRYPTOGRAPHY_MODES))


def test_tag_length_parameters() -> None:
    from cryptography.hazmat.primitives.ciphers import modes
    from cryptography.hazmat.primitives.ciphers.aead import AESCCM

    gcm = apis.TAG_LENGTH_APIS["cryptography.hazmat.primitives.ciphers.modes.GCM"].params["tag_length"]
    params = [p for p in inspect.signature(modes.GCM.__init__).parameters if p != "self"]
    assert params[gcm.position] == gcm.keyword
    ccm = apis.TAG_LENGTH_APIS["cryptography.hazmat.primitives.ciphers.aead.AESCCM"].params["tag_length"]
    key = AESCCM.generate_key(128)
    nonce = os.urandom(13)
    short = AESCCM(key, 4).encrypt(nonce, b"data", None)
    assert len(AESCCM(key, **{ccm.keyword: 4}).encrypt(nonce, b"data", None)) == len(short) == 4 + 4
    assert len(AESCCM(key, apis.FULL_TAG_BYTES).encrypt(nonce, b"data", None)) == 4 + apis.FULL_TAG_BYTES
    assert modes.GCM(os.urandom(12), b"t" * 4, **{gcm.keyword: 4}).tag == b"t" * 4


def test_pycryptodome_mac_len() -> None:
    aes = pytest.importorskip("Crypto.Cipher.AES")
    for mode in apis.PYCRYPTODOME_TAG_MODES:
        cipher = aes.new(os.urandom(16), getattr(aes, f"MODE_{mode}"), **{apis.PYCRYPTODOME_TAG_KEYWORD: 8})
        assert len(cipher.encrypt_and_digest(b"data")[1]) == 8, mode
        cipher = aes.new(os.urandom(16), getattr(aes, f"MODE_{mode}"), **{apis.PYCRYPTODOME_TAG_KEYWORD: apis.FULL_TAG_BYTES})
        assert len(cipher.encrypt_and_digest(b"data")[1]) == apis.FULL_TAG_BYTES, mode


def test_pycrypto_default_mode_is_refused_by_pycryptodome() -> None:
    aes = pytest.importorskip("Crypto.Cipher.AES")
    with pytest.raises(TypeError):
        aes.new(os.urandom(16))
    assert apis.PYCRYPTO_DEFAULT_MODE == "ECB"


def test_pydes_defaults_to_ecb() -> None:
    pydes = pytest.importorskip("pyDes")
    for name, api in apis.PYDES_CIPHERS.items():
        cls = load_qualname(name)
        params = [p for p in inspect.signature(cls.__init__).parameters.values() if p.name != "self"]
        for role, param in api.params.items():
            assert params[param.position].name == param.keyword, role
        mode = params[api.params["mode"].position].default
        assert apis.PYDES_MODE_NUMBERS[mode] == api.facts["default_mode"] == "ECB"
    for name, mode in apis.PYDES_MODES.items():
        assert apis.PYDES_MODE_NUMBERS[getattr(pydes, name.rsplit(".", 1)[1])] == mode


@pytest.mark.parametrize(
    "name, expected",
    [
        ("des_ede3_cbc", ("3DES", "CBC")),
        ("des_ecb", ("DES", "ECB")),
        ("bf_cfb", ("Blowfish", "CFB")),
        ("rc4", ("RC4", None)),
        ("rc2_40_cbc", ("RC2", "CBC")),
        ("aes_128_ecb", (None, "ECB")),
        ("aes_256_gcm", (None, "GCM")),
        ("camellia_128_cbc", (None, "CBC")),
    ],
)
def test_openssl_cipher_names(name: str, expected: tuple) -> None:
    assert apis.openssl_cipher(name) == expected
