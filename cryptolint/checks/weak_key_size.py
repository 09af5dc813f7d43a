"""CRY602: an RSA, DSA, Diffie-Hellman or ElGamal key generated with fewer
bits, or an elliptic-curve key on a smaller curve, than the policy asks for."""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.edits import rebuild_call, replace_value
from cryptolint.checks import _library_refs as refs
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix

#: What a message calls the key of each family.
_NOUNS = {"rsa": "RSA key", "dsa": "DSA key", "dh": "Diffie-Hellman group", "elgamal": "ElGamal key"}


#: What every fix of this rule says about its effect beyond the file.
_LARGER = " (keys, signatures and ciphertexts change size: code and peers that expect the old size must follow)"

class WeakKeySize(Check):
    CODE = "CRY602"
    NAME = "weak-key-size"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "An RSA/DSA/DH key is generated with fewer bits, or an EC key on a smaller curve, than the configured minimum."
    MESSAGE = "The key is generated smaller than the configured minimum; use at least 2048 bits or the SECP256R1 curve"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (326,)
    #: Every generator it knows is called `generate...`, `newkeys`, `gen_key` or `gen_params`.
    TRIGGERS = ("generate", "newkeys", "gen_key", "gen_params")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        api = apis.KEY_GENERATORS.get(name or "")
        if api is None or name is None:
            return
        if "bits" in api.params:
            self._bits(node, name, api)
        if "curve" in api.params:
            self._curve(node, name, api)
        if "exponent" in api.params:
            self._exponent(node, name, api)

    # -------------------------------------------------------------- sizes
    def _bits(self, node: ast.Call, name: str, api: apis.Api) -> None:
        default = api.facts.get("default_bits")
        item = wf.setting(self.ctx, node, api, "bits", default if isinstance(default, int) else None)
        family = self._family(node, api)
        if item is None or family is None:
            return
        minimum = self._minimum(family)
        if not 0 < item.value < minimum:
            return
        noun = _NOUNS.get(family, "key")
        fixed = api.facts.get("fixed_bits")
        if item.is_default:
            described = f"`{wf.callee(self.ctx, node, name)}` without `{item.name}`"
        else:
            described = wf.describe(self.ctx, node, name, [item])
        problem = f"{described} makes a {item.value}-bit {noun}, below the minimum `{minimum}` bits"
        if fixed is not None:
            # SSH's `ssh-dss` takes 1024-bit keys only: a larger one is no fix.
            self.report(item.expr if item.expr is not None else node, f"{problem}; SSH DSA keys cannot be larger, use `RSAKey.generate(bits={minimum})`")
            return
        wanted = f"{item.name}={minimum}"
        edit: Optional[Edit] = None  # none for a parameter's default (see `wf.Setting.target`)
        if item.target is not None:
            edit = replace_value(self.ctx, item.target, str(minimum))
        elif item.is_default:
            edit = rebuild_call(self.ctx, node, extra=(wanted,))
        fix = Fix(f"Use `{wanted}`{_LARGER}", Applicability.UNSAFE, (edit,)) if edit is not None else None
        self.report(item.expr if item.expr is not None else node, f"{problem}; use `{wanted}`", fix)

    def _family(self, node: ast.Call, api: apis.Api) -> Optional[str]:
        """The family whose minimum applies; pyOpenSSL's depends on `type`
        (unknown: the smaller of the RSA and DSA minimums, named "key")."""
        family = api.facts.get("family")
        if isinstance(family, str):
            return family
        kind = apis.argument(node, api, "type")
        found = apis.OPENSSL_KEY_TYPES.get(self.ctx.resolve(kind) or "") if kind is not None else None
        return found or "key"

    def _minimum(self, family: str) -> int:
        policy = self.ctx.policy
        if family == "rsa":
            return policy.rsa_bits
        if family in ("dsa", "dh", "elgamal"):
            return policy.dsa_bits  # finite-field discrete logarithms, as DSA
        return min(policy.rsa_bits, policy.dsa_bits)

    # ------------------------------------------------------------- curves
    def _curve(self, node: ast.Call, name: str, api: apis.Api) -> None:
        expr = apis.argument(node, api, "curve")
        safe = str(api.facts.get("safe_curve", ""))
        minimum = self.ctx.policy.ec_bits
        if expr is None:
            self._default_curve(node, name, api, safe, minimum)
            return
        found = self._curve_of(expr)
        if found is None:
            return
        ref, bits, shown = found
        if bits >= minimum:
            return
        callee = wf.callee(self.ctx, node, name)
        spelled = self.ctx.shown(expr)
        curve = f"`{spelled}`" + (f" (`{shown}`)" if spelled != shown else "")
        swapped = refs.swap(self.ctx, ref, safe)
        replacement = self._replacement(ref, safe)
        message = f"`{callee}` makes a key on the {bits}-bit curve {curve}, below the minimum `{minimum}` bits; use `{replacement}`"
        fix = None
        if swapped is not None:
            edit, imports = swapped
            fix = Fix(f"Use `{replacement}`{_LARGER}", Applicability.UNSAFE, (edit,), add_imports=imports)
        self.report(expr, message, fix)

    def _curve_of(self, expr: ast.expr) -> Optional[Tuple[refs.Ref, int, str]]:
        """(reference, size in bits, how the curve is written) of a curve argument."""
        ref = refs.find(self.ctx, expr)
        if ref is None:
            return None
        if ref.text is not None:
            bits = apis.PYCRYPTODOME_CURVES.get(ref.text)
        else:
            bits = apis.EC_CURVES.get(ref.qualname or "")
        if bits is None:
            return None
        return ref, bits, self.ctx.shown(ref.written)

    def _replacement(self, ref: refs.Ref, safe: str) -> str:
        """The safe curve as the message shows it."""
        if ref.text is not None:
            return refs.quoted(self.ctx, ref.node, safe)
        if isinstance(ref.node, ast.Attribute) and isinstance(ref.node.value, ast.Name):
            text = f"{ref.node.value.id}.{safe}"
        else:
            text = safe
        return text + ("()" if ref.call is not None else "")

    def _default_curve(self, node: ast.Call, name: str, api: apis.Api, safe: str, minimum: int) -> None:
        """python-ecdsa's `SigningKey.generate()` makes NIST P-192 keys."""
        default = api.facts.get("default_curve")
        if not isinstance(default, str) or wf.unpacks(node):
            return
        package = name.split(".")[0]
        bits = apis.EC_CURVES.get(f"{package}.{default}")
        if bits is None or bits >= minimum:
            return
        callee = wf.callee(self.ctx, node, name)
        spelled_as = refs.spell(self.ctx, node, f"{package}.{safe}", prefer_module=False)
        spelled = spelled_as[0] if spelled_as is not None else safe
        message = f"`{callee}` without `curve` makes a key on the {bits}-bit curve `{default}`, below the minimum `{minimum}` bits; use `curve={spelled}`"
        edit = rebuild_call(self.ctx, node, extra=(f"curve={spelled}",)) if spelled_as is not None else None
        fix = None
        if edit is not None and spelled_as is not None:
            fix = Fix(f"Use `curve={spelled}`{_LARGER}", Applicability.UNSAFE, (edit,), add_imports=spelled_as[1])
        self.report(node, message, fix)

    # ----------------------------------------------------------- exponent
    def _exponent(self, node: ast.Call, name: str, api: apis.Api) -> None:
        item = wf.setting(self.ctx, node, api, "exponent")
        wanted = apis.RSA_PUBLIC_EXPONENT
        if item is None or item.expr is None or not 3 <= item.value < wanted:
            return  # the libraries refuse exponents below 3
        message = (
            f"{wf.describe(self.ctx, node, name, [item])} makes an RSA key with the small public exponent "
            f"`{item.value}`, which turns padding flaws into forgeries; use `{item.name}={wanted}`"
        )
        fix = None
        if item.target is not None:
            fix = Fix(f"Use `{item.name}={wanted}`{_LARGER}", Applicability.UNSAFE, (replace_value(self.ctx, item.target, str(wanted)),))
        self.report(item.expr, message, fix)
