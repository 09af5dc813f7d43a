"""Random number sources: the `random` module, NumPy, `secrets`, `os.urandom`, uuid."""

from __future__ import annotations

from types import MappingProxyType
from typing import FrozenSet, Mapping

from cryptolint.analysis.apis._core import Api, _AEAD, _PYCRYPTODOME, _api

# --------------------------------------------------------------- randomness
#: Functions of `random` (module level, and methods of `random.Random`).
RANDOM_FUNCTIONS: FrozenSet[str] = frozenset(
    """
    random uniform triangular randint randrange choice choices sample shuffle
    getrandbits randbytes gauss normalvariate lognormvariate expovariate
    vonmisesvariate gammavariate betavariate paretovariate weibullvariate
    binomialvariate
    """.split()
)
NUMPY_RANDOM_FUNCTIONS: FrozenSet[str] = frozenset(
    """
    rand randn randint random_integers random_sample random ranf sample choice
    bytes shuffle permutation integers uniform normal standard_normal
    """.split()
)


def _insecure_random_names() -> FrozenSet[str]:
    names = set()
    for fn in RANDOM_FUNCTIONS:
        names.add(f"random.{fn}")
        names.add(f"random.Random().{fn}")
    for fn in NUMPY_RANDOM_FUNCTIONS:
        names.add(f"numpy.random.{fn}")
        for cls in ("numpy.random.RandomState()", "numpy.random.default_rng()", "numpy.random.Generator()"):
            names.add(f"{cls}.{fn}")
    return frozenset(names)


#: Qualified names of calls whose output is predictable.
INSECURE_RANDOM: FrozenSet[str] = _insecure_random_names()

#: Calls that return fresh bytes/strings from the OS's CSPRNG, with the
#: position/keyword of their length argument (None: fixed size) and the size
#: in bytes they produce when that argument is missing.
FRESH_RANDOM: Mapping[str, Api] = MappingProxyType(
    {
        api.name: api
        for api in (
            _api("os.urandom", "random-bytes", {"size": (0, "size")}),
            _api("os.getrandom", "random-bytes", {"size": (0, "size")}),
            _api("secrets.token_bytes", "random-bytes", {"size": (0, "nbytes")}, default_size=32),
            _api("secrets.token_hex", "random-text", {"size": (0, "nbytes")}, default_size=32),
            _api("secrets.token_urlsafe", "random-text", {"size": (0, "nbytes")}, default_size=32),
            _api("random.SystemRandom().randbytes", "random-bytes", {"size": (0, "n")}),
            _api("ssl.RAND_bytes", "random-bytes", {"size": (0, None)}),
            _api("nacl.utils.random", "random-bytes", {"size": (0, "size")}, default_size=32),
            _api(f"{_AEAD}.AESGCM.generate_key", "random-key"),
            _api(f"{_AEAD}.AESCCM.generate_key", "random-key"),
            _api(f"{_AEAD}.AESOCB3.generate_key", "random-key"),
            _api(f"{_AEAD}.AESSIV.generate_key", "random-key"),
            _api(f"{_AEAD}.AESGCMSIV.generate_key", "random-key"),
            _api(f"{_AEAD}.ChaCha20Poly1305.generate_key", "random-key"),
            _api("cryptography.fernet.Fernet.generate_key", "random-key"),
            _api("bcrypt.gensalt", "random-salt"),
            *(
                _api(f"{pkg}.Random.get_random_bytes", "random-bytes", {"size": (0, "n")})
                for pkg in _PYCRYPTODOME
            ),
            *(
                _api(f"{pkg}.Random.new().read", "random-bytes", {"size": (0, None)})
                for pkg in _PYCRYPTODOME
            ),
        )
    }
)

#: Token makers whose length argument CRY103 checks.
TOKEN_MAKERS: FrozenSet[str] = frozenset(
    {
        "secrets.token_bytes",
        "secrets.token_hex",
        "secrets.token_urlsafe",
        "os.urandom",
        "Crypto.Random.get_random_bytes",
        "Cryptodome.Random.get_random_bytes",
    }
)

#: uuid functions and what makes them unsuitable for secrets.
UUID_FUNCTIONS: Mapping[str, str] = MappingProxyType(
    {
        "uuid.uuid1": "is built from the time and the host's MAC address",
        "uuid.uuid3": "is derived from a name by MD5",
        "uuid.uuid5": "is derived from a name by SHA-1",
        "uuid.uuid4": "is not promised to come from a CSPRNG",
        "uuid.uuid6": "is built from the time",
        "uuid.uuid7": "is built from the time",
    }
)
