"""The key-size, padding and signature knowledge in `apis` (CRY602-CRY605)
checked against the real libraries: where each call takes its key size,
curve, exponent or hash, the curves' sizes, and what an HMAC without a hash
means.  Libraries that are not installed are skipped.  (Tests may import the
libraries; rules never do.)"""

from __future__ import annotations

import hmac
import importlib
import inspect
import pkgutil
from typing import Any, List, Tuple

import pytest

from cryptolint.analysis import apis
from tests.helpers import load_qualname, report_new_members

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _load(qualname: str) -> Any:
    """The object a qualified name stands for (`Class().method` -> the method),
    or skip the test when its library (or that name) is not installed."""
    try:
        return load_qualname(qualname)
    except (ImportError, AttributeError):
        pytest.skip(f"{qualname} is not installed")


def _parameters(func: Any) -> List[inspect.Parameter]:
    target = func.__init__ if inspect.isclass(func) else func
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        pytest.skip(f"no signature for {func!r}")
    return [p for p in params if p.name not in ("self", "cls")]


def _position(api: apis.Api, role: str) -> int:
    position = api.params[role].position
    assert position is not None, (api.name, role)
    return position


def _positions(method: str) -> Tuple[int, ...]:
    positions = apis.SIGNATURE_METHODS[method].facts["positions"]
    assert isinstance(positions, tuple)
    return positions


def _check_params(api: apis.Api) -> None:
    params = _parameters(_load(api.name))
    names = [p.name for p in params]
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    for role, param in api.params.items():
        if param.keyword is not None and not any(p.kind == p.VAR_KEYWORD for p in params):
            assert param.keyword in names, (api.name, role)
        if param.position is not None:
            assert positional[param.position] == param.keyword, (api.name, role)


@pytest.mark.parametrize("name", sorted(apis.KEY_GENERATORS))
def test_key_generator_parameters(name: str) -> None:
    _check_params(apis.KEY_GENERATORS[name])


@pytest.mark.parametrize("name", sorted(n for n in apis.SIGNATURE_APIS if ".new()." not in n and "SigningKey." not in n))
def test_signature_hash_parameters(name: str) -> None:
    _check_params(apis.SIGNATURE_APIS[name])


@pytest.mark.parametrize("name", sorted(apis.SIGNATURE_HASH_WRAPPERS))
def test_signature_hash_wrappers(name: str) -> None:
    _check_params(apis.SIGNATURE_HASH_WRAPPERS[name])


@pytest.mark.parametrize("name", sorted(n for n in apis.PKCS1V15_CIPHERS if n.endswith(".new")))
def test_pkcs1v15_cipher_parameters(name: str) -> None:
    api = apis.PKCS1V15_CIPHERS[name]
    _check_params(api)
    oaep = _load(f"{api.facts['replacement']}.new")
    assert "hashAlgo" in inspect.signature(oaep).parameters


@pytest.mark.filterwarnings("ignore:Diffie-Hellman over finite fields")
def test_every_cryptography_key_generator_is_known() -> None:
    """The module-level generators of `cryptography`'s asymmetric keys (the
    key classes' own `generate()` of X25519, Ed25519... take no size)."""
    asymmetric = pytest.importorskip("cryptography.hazmat.primitives.asymmetric")
    prefix = f"{asymmetric.__name__}."
    offered = {
        f"{prefix}{module.name}.{function}"
        for module in pkgutil.iter_modules(asymmetric.__path__)
        for function in ("generate_private_key", "generate_parameters")
        if hasattr(importlib.import_module(f"{prefix}{module.name}"), function)
    }
    listed = {name for name in apis.KEY_GENERATORS if name.startswith(prefix)}
    assert listed <= offered
    report_new_members("KEY_GENERATORS (cryptography)", offered, listed)


def test_cryptography_rsa_encryption_takes_the_padding_second() -> None:
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    for method, cls in (("encrypt", rsa.RSAPublicKey), ("decrypt", rsa.RSAPrivateKey)):
        positional = [p.name for p in _parameters(getattr(cls, method))]
        api = apis.RSA_ENCRYPTION_METHODS[method]
        assert positional[_position(api, "padding")] == api.params["padding"].keyword


def test_cryptography_sign_and_verify_take_the_hash_where_the_table_looks() -> None:
    asym = pytest.importorskip("cryptography.hazmat.primitives.asymmetric")
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

    assert asym is not None
    for method in ("sign", "verify"):
        positions = _positions(method)
        for cls in (rsa.RSAPrivateKey, dsa.DSAPrivateKey, ec.EllipticCurvePrivateKey) if method == "sign" else (
            rsa.RSAPublicKey, dsa.DSAPublicKey, ec.EllipticCurvePublicKey
        ):
            names = [p.name for p in _parameters(getattr(cls, method))]
            hash_at = [i for i, n in enumerate(names) if n in ("algorithm", "signature_algorithm")]
            assert hash_at and hash_at[0] in positions, (cls, method)
    from cryptography import x509

    names = [p.name for p in _parameters(x509.CertificateBuilder.sign)]
    assert names.index("algorithm") in _positions("sign")


def test_cryptography_curve_sizes() -> None:
    ec = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ec")
    prefix = "cryptography.hazmat.primitives.asymmetric.ec."
    checked = 0
    for name, bits in apis.EC_CURVES.items():
        if name.startswith(prefix) and hasattr(ec, name[len(prefix):]):
            assert getattr(ec, name[len(prefix):]).key_size == bits, name
            checked += 1
    assert checked >= 9
    # Every curve the installed library offers is known.
    offered = {n for n in dir(ec) if inspect.isclass(getattr(ec, n)) and issubclass(getattr(ec, n), ec.EllipticCurve) and hasattr(getattr(ec, n), "key_size") and n != "EllipticCurve"}
    report_new_members("EC_CURVES", {prefix + n for n in offered}, set(apis.EC_CURVES))


def test_pycryptodome_curve_names() -> None:
    ECC = pytest.importorskip("Crypto.PublicKey.ECC")
    curves = getattr(ECC, "_curves", None)
    if curves is None:
        pytest.skip("PyCryptodome keeps its curve table elsewhere")
    for name, bits in apis.PYCRYPTODOME_CURVES.items():
        assert name in curves, name
        if curves[name].is_weierstrass:
            assert curves[name].modulus_bits == bits, name
    # Every name the installed library accepts is known (its table is lazy: names are attributes).
    offered = {n for n in dir(curves) if not n.startswith("_")} if not isinstance(curves, dict) else set(curves)
    report_new_members("PYCRYPTODOME_CURVES", offered, set(apis.PYCRYPTODOME_CURVES))


def test_python_ecdsa_curve_sizes() -> None:
    curves = pytest.importorskip("ecdsa.curves")
    for name, bits in apis.EC_CURVES.items():
        if name.startswith("ecdsa.curves."):
            curve = getattr(curves, name.rsplit(".", 1)[1])
            assert abs(curve.order.bit_length() - bits) <= 2, name


def test_signature_and_mac_hash_tables() -> None:
    assert apis.WEAK_MAC_HASHES <= apis.WEAK_SIGNATURE_HASHES
    assert "sha1" not in apis.WEAK_MAC_HASHES


def test_stdlib_hmac_requires_a_digest() -> None:
    with pytest.raises(TypeError):
        hmac.new(b"key", b"message")  # type: ignore[call-overload]
    for name in ("hmac.new", "hmac.HMAC"):
        assert apis.HMAC_DEFAULT_HASHES[name] == ("md5", "3.8")
        api = apis.KEYED_APIS[name]
        assert [p.name for p in _parameters(_load(name))][_position(api, "digestmod")] == "digestmod"


def test_pycryptodome_hmac_defaults_to_md5() -> None:
    HMAC = pytest.importorskip("Crypto.Hash.HMAC")
    MD5 = pytest.importorskip("Crypto.Hash.MD5")
    assert HMAC.new(b"key", b"message").hexdigest() == HMAC.new(b"key", b"message", digestmod=MD5).hexdigest()
    assert apis.HMAC_DEFAULT_HASHES["Crypto.Hash.HMAC.new"] == ("md5", None)


def test_rsa_public_exponent_is_the_one_cryptography_recommends() -> None:
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    key = rsa.generate_private_key(public_exponent=apis.RSA_PUBLIC_EXPONENT, key_size=1024)
    assert key.public_key().public_numbers().e == 65537


@pytest.mark.parametrize("module, cls", [("pkcs1_15", "PKCS115_SigScheme"), ("pss", "PSS_SigScheme"), ("DSS", "DssSigScheme")])
def test_pycryptodome_signature_schemes_take_the_hash_first(module: str, cls: str) -> None:
    scheme = getattr(_load(f"Crypto.Signature.{module}"), cls)
    for method in ("sign", "verify"):
        api = apis.SIGNATURE_APIS[f"Crypto.Signature.{module}.new().{method}"]
        names = [p.name for p in _parameters(getattr(scheme, method))]
        assert names[_position(api, "hash")] == api.params["hash"].keyword
