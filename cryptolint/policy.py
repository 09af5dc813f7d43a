"""Dated, named sets of thresholds.

Recommendations move (OWASP raised PBKDF2-HMAC-SHA256 from 310,000 to 600,000
iterations between its 2021 and 2023 cheat sheets), so no check hard-codes a
number: each reads it from the active `Policy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Dict, Mapping


class FrozenMap(Dict[str, int]):
    """A read-only, hashable mapping (policies are hashed as cache keys)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("policy thresholds are read-only")

    __setitem__ = __delitem__ = update = pop = clear = setdefault = _readonly  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        # Pickle as a plain dict rebuilt through the constructor: the default
        # protocol restores items with __setitem__, which is read-only here
        # (settings travel to worker processes by pickle).
        return (FrozenMap, (dict(self),))


def _frozen(mapping: Dict[str, int]) -> Mapping[str, int]:
    return FrozenMap(mapping)


@dataclass(frozen=True)
class Policy:
    """Minimum settings below which a check reports."""

    name: str
    argon2_memory_kib: int = 19456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    scrypt_n: int = 2**17
    scrypt_r: int = 8
    bcrypt_rounds: int = 12
    #: SHA-crypt rounds (passlib's `sha256_crypt`/`sha512_crypt`, `crypt`'s
    #: `METHOD_SHA256`/`METHOD_SHA512`): passlib 1.7's default for
    #: `sha256_crypt`, the lower of its two SHA-crypt defaults.  OWASP names
    #: no figure; the C library's 5000 is a hundred times cheaper.
    sha_crypt_rounds: int = 535_000
    #: PBKDF2 iterations by hash name (lower case, as hashlib spells it).
    pbkdf2_iterations: Mapping[str, int] = field(
        default_factory=lambda: _frozen(
            {"sha1": 1_300_000, "sha256": 600_000, "sha512": 210_000}
        )
    )
    rsa_bits: int = 2048
    dsa_bits: int = 2048
    ec_bits: int = 224
    symmetric_key_bits: int = 128
    #: Shortest GCM tag (NIST SP 800-38D allows 96 to 128 bits in general use).
    gcm_tag_bytes: int = 12
    #: Shortest tag of other AEAD modes (CCM, EAX, OCB), whose forgery chance
    #: does not grow with message length as GCM's does.
    aead_tag_bytes: int = 8
    token_bytes: int = 16
    #: Report `uuid.uuid4()` secrets too (CPython draws them from os.urandom,
    #: but nothing in the language promises it).
    uuid4_is_weak: bool = False
    #: Also report the context-free forms (every `random` call, every MD5).
    strict: bool = False

    def pbkdf2_minimum(self, hash_name: str) -> int:
        """The minimum PBKDF2 iterations for `hash_name`; unknown hashes use SHA-256's."""
        table = self.pbkdf2_iterations
        return table.get(hash_name.lower().replace("-", ""), table.get("sha256", 600_000))


#: Settings a user may override one by one, in `[tool.cryptolint.thresholds]`.
OVERRIDABLE: Dict[str, str] = {
    f.name.replace("_", "-"): f.name
    for f in fields(Policy)
    if f.name not in ("name", "pbkdf2_iterations", "strict")
}

POLICIES: Dict[str, Policy] = {
    "owasp-2023": Policy(name="owasp-2023"),
    "owasp-2021": Policy(
        name="owasp-2021",
        argon2_memory_kib=15360,
        argon2_time_cost=2,
        pbkdf2_iterations=_frozen({"sha1": 720_000, "sha256": 310_000, "sha512": 120_000}),
        bcrypt_rounds=10,
    ),
    "strict": Policy(name="strict", uuid4_is_weak=True, strict=True, token_bytes=32),
}

DEFAULT_POLICY = POLICIES["owasp-2023"]


def with_overrides(policy: Policy, overrides: Mapping[str, Any]) -> Policy:
    """Return `policy` with the named settings replaced (keys in kebab-case).

    `pbkdf2-sha256` style keys set one hash's iterations.  Raises ValueError
    on an unknown key or a value of the wrong type.
    """
    changes: Dict[str, Any] = {}
    pbkdf2 = dict(policy.pbkdf2_iterations)
    for key, value in overrides.items():
        if key.startswith("pbkdf2-"):
            _require_positive_int(key, value)
            pbkdf2[key[len("pbkdf2-"):].replace("-", "")] = value
            continue
        attr = OVERRIDABLE.get(key)
        if attr is None:
            known = ", ".join(sorted(OVERRIDABLE) + ["pbkdf2-<hash>"])
            raise ValueError(f"unknown threshold `{key}` (known: {known})")
        if isinstance(getattr(policy, attr), bool):
            if not isinstance(value, bool):
                raise ValueError(f"threshold `{key}` must be true or false, not {value!r}")
        else:
            _require_positive_int(key, value)
        changes[attr] = value
    return replace(policy, pbkdf2_iterations=_frozen(pbkdf2), **changes)


def _require_positive_int(key: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"threshold `{key}` must be a positive integer, not {value!r}")
