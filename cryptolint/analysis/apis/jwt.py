"""JSON Web Token libraries: decoders, verification options, algorithms."""

from __future__ import annotations

from types import MappingProxyType
from typing import FrozenSet, Mapping

from cryptolint.analysis.apis._core import Api, _api

#: JWT decoders (CRY703), with where the key, the allowed algorithms, the
#: options and a verification switch go.  PyJWT 2 takes `algorithms` third;
#: PyJWT 1 took `verify` there (`legacy_verify_position`) and accepted any
#: algorithm when `algorithms` was left out (`requires_algorithms`).
#: Checked against PyJWT 1.7 and 2.10, python-jose 3.5 and Authlib 1.6.
_PYJWT_DECODERS = tuple(
    f"{owner}.{fn}"
    for owner in ("jwt", "jwt.api_jwt", "jwt.PyJWT()", "jwt.api_jwt.PyJWT()", "jwt.api_jws", "jwt.PyJWS()", "jwt.api_jws.PyJWS()")
    for fn in ("decode", "decode_complete")
)
JWT_DECODERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(
                    name, "jwt-decode",
                    {"token": (0, "jwt"), "key": (1, "key"), "algorithms": (2, "algorithms"), "options": (3, "options"), "verify": (None, "verify")},
                    library="PyJWT", requires_algorithms=True, legacy_verify_position=2,
                )
                for name in _PYJWT_DECODERS
            ),
            _api(
                "jose.jwt.decode", "jwt-decode",
                {"token": (0, "token"), "key": (1, "key"), "algorithms": (2, "algorithms"), "options": (3, "options")},
                library="python-jose",
            ),
            _api(
                "jose.jws.verify", "jwt-decode",
                {"token": (0, "token"), "key": (1, "key"), "algorithms": (2, "algorithms"), "verify": (3, "verify")},
                library="python-jose",
            ),
            *(
                _api(f"authlib.jose.{where}{cls}", "jwt-decoder", {"algorithms": (0, "algorithms")}, library="Authlib")
                for where in ("", "rfc7519.", "rfc7515.")
                for cls in ("JsonWebToken", "JsonWebSignature")
            ),
        )
    }
)
#: JWT encoders (CRY703): where the signing key and the algorithm go.  An
#: algorithm `none`, or no key, issues a token anyone can forge.
JWT_ENCODERS: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            *(
                _api(f"{owner}.encode", "jwt-encode", {"key": (1, "key"), "algorithm": (2, "algorithm")}, default_algorithm="HS256")
                for owner in ("jwt", "jwt.api_jwt", "jwt.PyJWT()", "jwt.api_jwt.PyJWT()", "jwt.api_jws", "jwt.PyJWS()", "jwt.api_jws.PyJWS()")
            ),
            _api("jose.jwt.encode", "jwt-encode", {"key": (1, "key"), "algorithm": (2, "algorithm")}, default_algorithm="HS256"),
            _api("jose.jws.sign", "jwt-encode", {"key": (1, "key"), "algorithm": (3, "algorithm")}, default_algorithm="HS256"),
        )
    }
)
#: Signing "algorithms" that sign nothing: itsdangerous's `NoneAlgorithm`
#: (any signature of the right form passes).
UNSIGNED_SIGNERS: FrozenSet[str] = frozenset({"itsdangerous.NoneAlgorithm", "itsdangerous.signer.NoneAlgorithm"})
#: The `options` entry that turns signature checking off when False.
JWT_VERIFY_OPTION = "verify_signature"
#: Algorithm names that mean an unsigned token.
JWT_UNSIGNED_ALGORITHMS: FrozenSet[str] = frozenset({"none"})
#: Calls that read a token's header before it is verified: `algorithms`
#: made from them let the token pick its own algorithm.
JWT_UNVERIFIED_READERS: FrozenSet[str] = frozenset(
    {
        "jwt.get_unverified_header", "jwt.api_jws.get_unverified_header", "jwt.PyJWS().get_unverified_header",
        "jose.jwt.get_unverified_header", "jose.jwt.get_unverified_headers", "jose.jwt.get_unverified_claims",
        "jose.jws.get_unverified_header", "jose.jws.get_unverified_headers",
    }
)
#: Keys that carry their algorithm (PyJWT 2 then needs no `algorithms`).
JWT_KEYS_WITH_ALGORITHM: FrozenSet[str] = frozenset(
    {
        "jwt.PyJWK", "jwt.api_jwk.PyJWK", "jwt.PyJWK.from_json", "jwt.PyJWK.from_dict",
        *(
            f"{owner}().{method}"
            for owner in ("jwt.PyJWKClient", "jwt.jwks_client.PyJWKClient")
            for method in ("get_signing_key", "get_signing_key_from_jwt")
        ),
    }
)
