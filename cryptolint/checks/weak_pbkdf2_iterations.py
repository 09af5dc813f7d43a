"""CRY204: PBKDF2 with fewer iterations, or scrypt with a smaller cost, than
the policy asks for."""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.edits import rebuild_call, replace_value
from cryptolint.checks import _library_refs as refs
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix

#: OWASP's scrypt settings equivalent to its base (N=2**17, r=8, p=1): with
#: N*r halved k times, p must be at least `_SCRYPT_P[k]` (N=2**16 p=2,
#: 2**15 p=3, 2**14 p=5, 2**13 p=10).  Less memory than that is never enough.
_SCRYPT_P: Tuple[int, ...] = (1, 2, 3, 5, 10)
#: hashlib.scrypt refuses more than `maxmem` bytes (OpenSSL's default: 32 MiB);
#: it needs a little over 128*n*r*p.  Werkzeug's margin.
_MAXMEM_FACTOR = 132


def _hash_label(hash_name: Optional[str]) -> str:
    """` with HMAC-SHA-256` (or nothing when the hash is unknown)."""
    if not hash_name:
        return ""
    upper = hash_name.upper().replace("_", "-")
    if upper.startswith("SHA") and upper[3:].isdigit():
        upper = f"SHA-{upper[3:]}"
    return f" with HMAC-{upper}"


#: What a raw KDF fix says about its effect beyond the file.
_REDERIVED = " (values derived before no longer match: stored hashes need the old count to verify)"

class WeakPbkdf2Iterations(Check):
    CODE = "CRY204"
    NAME = "weak-pbkdf2-iterations"
    CATEGORY = "passwords-and-hashing"
    SUMMARY = "PBKDF2 runs fewer iterations, or scrypt a smaller cost, than the configured minimum for passwords."
    MESSAGE = "The PBKDF2 iteration count is below the configured minimum; raise it"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (916,)
    TRIGGERS = ("pbkdf2", "scrypt")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._hasher_class(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if name is None:
            return
        api = apis.KDF_APIS.get(name)
        if api is not None:
            if api.kind == "pbkdf2":
                self._pbkdf2(node, name, api)
            elif api.kind == "scrypt":
                self._scrypt(node, name, api)
            return
        api = apis.PASSWORD_HASH_APIS.get(name)
        if api is not None and api.kind == "werkzeug-hash":
            self._werkzeug(node, name, api)
            return
        handler = apis.passlib_handler(name)
        if handler is not None:
            family, hash_name = apis.PASSLIB_HANDLERS[handler[0]]
            if family == "pbkdf2":
                for keyword in apis.PASSLIB_ROUNDS_KEYWORDS:
                    item = wf.keyword_setting(self.ctx, node, keyword)
                    if item is not None:
                        self._passlib(node, name, item, hash_name)
            return
        if name in apis.PASSLIB_CONTEXTS:
            for kw in node.keywords:
                scheme, _, option = (kw.arg or "").partition("__")
                family, hash_name = apis.PASSLIB_HANDLERS.get(scheme, ("", None))
                if family == "pbkdf2" and option in apis.PASSLIB_ROUNDS_KEYWORDS:
                    item = wf.keyword_setting(self.ctx, node, kw.arg or "")
                    if item is not None:
                        self._passlib(node, name, item, hash_name)

    # ------------------------------------------------------------ PBKDF2
    def _pbkdf2(self, node: ast.Call, name: str, api: apis.Api) -> None:
        default = api.facts.get("default_iterations")
        item = wf.setting(self.ctx, node, api, "iterations", default if isinstance(default, int) else None)
        if item is None or item.value < 1:
            return  # unknown, or not a count the library accepts
        hash_name = self._pbkdf2_hash(node, api)
        minimum = self._minimum(hash_name)
        if item.value >= minimum:
            return
        if wf.high_entropy_input(self.ctx, self._input(node, api)) or self._protocol(node, api, hash_name, item.value):
            return
        target = self.ctx.policy.pbkdf2_minimum(hash_name or "sha256")
        label = _hash_label(hash_name)
        described = wf.describe(self.ctx, node, name, [item])
        if item.is_default:
            described = f"`{wf.callee(self.ctx, node, name)}` without `{item.name}` (`{item.value}` iterations)"
        message = f"{described}{label} is below the minimum `{minimum}` iterations; use `{item.name}={target}`"
        edit = self._edit(node, item, str(target))
        fix = None
        if edit is not None and self._fixable_kdf(node):
            fix = Fix(f"Use `{item.name}={target}`{_REDERIVED}", Applicability.UNSAFE, (edit,))
        self.report(item.expr if item.expr is not None else node, message, fix)

    def _pbkdf2_hash(self, node: ast.Call, api: apis.Api) -> Optional[str]:
        """The hash PBKDF2 runs with, or None when unknown."""
        for role in ("hash", "algorithm"):
            if role in api.params:
                expr = apis.argument(node, api, role)
                if expr is not None:
                    return self._hash_of(expr)
        if apis.argument(node, api, "prf") is not None or wf.unpacks(node):
            return None
        default = api.facts.get("default_hash")
        return default if isinstance(default, str) else None

    def _hash_of(self, expr: ast.AST, depth: int = 0) -> Optional[str]:
        text = self.ctx.values.string(expr)
        if text is not None:
            return text.lower().replace("-", "")
        if isinstance(expr, ast.Name) and depth < 4:
            value = self.ctx.module.single_value(expr.id, self.ctx.module.scope_of(expr))
            if value is not None:
                return self._hash_of(value, depth + 1)
        if isinstance(expr, ast.Call):
            return apis.HASH_ALGORITHM_CLASSES.get(self.ctx.call_name(expr) or "")
        # PyCryptodome passes the hash module (`hmac_hash_module=SHA256`),
        # Django a hashlib constructor (`digest = hashlib.sha512`).
        resolved = self.ctx.resolve(expr) or ""
        for known in (apis.HASH_CONSTRUCTORS.get(resolved), apis.HASH_CONSTRUCTORS.get(f"{resolved}.new"), apis.HASH_ALGORITHM_CLASSES.get(resolved)):
            if known is not None:
                return known
        return None

    def _minimum(self, hash_name: Optional[str]) -> int:
        """The policy's minimum for `hash_name`; with an unknown hash, the
        lowest minimum of any hash, so that an unknown hash never fires wrongly."""
        if hash_name is not None:
            return self.ctx.policy.pbkdf2_minimum(hash_name)
        return min(self.ctx.policy.pbkdf2_iterations.values())

    def _protocol(self, node: ast.Call, api: apis.Api, hash_name: Optional[str], iterations: int) -> bool:
        """A protocol's fixed setting (BIP-39, WPA2-PSK), recognised by its salt."""
        known = apis.PROTOCOL_PBKDF2.get((hash_name or "", iterations))
        salt = apis.argument(node, api, "salt")
        if known is None or salt is None:
            return False
        word = known[1]
        for sub in ast.walk(salt):
            text = sub.value if isinstance(sub, ast.Constant) else getattr(sub, "id", None) or getattr(sub, "attr", None)
            if isinstance(text, bytes):
                text = text.decode("latin-1")
            if isinstance(text, str) and word in text.lower():
                return True
        return False

    def _input(self, node: ast.Call, api: apis.Api) -> Optional[ast.expr]:
        if "password" in api.params:
            return apis.argument(node, api, "password")
        return wf.derived_input(self.ctx, node)

    def _edit(self, node: ast.Call, item: wf.Setting, value: str) -> Optional[Edit]:
        if item.target is not None:
            return replace_value(self.ctx, item.target, value)
        if item.is_default:
            return rebuild_call(self.ctx, node, extra=(f"{item.name}={value}",))
        return None

    # ------------------------------------------------------------ scrypt
    def _scrypt(self, node: ast.Call, name: str, api: apis.Api) -> None:
        n = wf.setting(self.ctx, node, api, "n")
        r = wf.setting(self.ctx, node, api, "r")
        if n is None or r is None:
            return
        p = wf.setting(self.ctx, node, api, "p")
        if not self._scrypt_weak(n.value, r.value, p.value if p is not None else None):
            return
        if wf.high_entropy_input(self.ctx, self._input(node, api)):
            return
        policy = self.ctx.policy
        changes: Dict[str, Tuple[wf.Setting, int]] = {}
        if n.value < policy.scrypt_n:
            changes["n"] = (n, policy.scrypt_n)
        if r.value < policy.scrypt_r:
            changes["r"] = (r, policy.scrypt_r)
        items = [i for i in (n, r, p) if i is not None]
        wanted = ", ".join(f"{item.name}={value}" for item, value in changes.values()) or f"n={policy.scrypt_n}"
        message = (
            f"{wf.describe(self.ctx, node, name, items)} is below the minimum cost "
            f"`n={policy.scrypt_n}, r={policy.scrypt_r}`; use `{wanted}`"
        )
        target = r.expr if "n" not in changes and "r" in changes else n.expr
        fix = self._scrypt_fix(node, name, changes, p) if self._fixable_kdf(node) else None
        self.report(target if target is not None else node, message, fix)

    def _scrypt_weak(self, n: int, r: int, p: Optional[int]) -> bool:
        policy = self.ctx.policy
        if n < 2 or r < 1:
            return False  # not a valid setting; the library raises
        if r < policy.scrypt_r:
            return True
        base, memory = policy.scrypt_n * policy.scrypt_r, n * r
        if memory >= base:
            return False
        halvings = 0
        while memory << halvings < base:
            halvings += 1
        if halvings >= len(_SCRYPT_P):
            return True
        return p is not None and p < _SCRYPT_P[halvings]

    def _fixable_kdf(self, node: ast.Call) -> bool:
        """Whether a raw KDF's parameters may be raised by a fix: not when its
        output becomes a key (an encrypted vault: data encrypted under the old
        count would never decrypt again, and there is no verification step
        where a migration could hook in), nor where a protocol fixes them
        (Kerberos's string-to-key)."""
        if refs.fixed_by_protocol(self.ctx, node):
            return False
        for sink in self.ctx.flows.sinks(node):
            role = sink.role or (self.ctx.classify(sink.name) if sink.kind in ("name", "return") else None)
            if sink.api is not None or (role is not None and role.role == "key"):
                return False
        return True

    def _scrypt_fix(self, node: ast.Call, name: str, changes: Dict[str, Tuple[wf.Setting, int]], p: Optional[wf.Setting]) -> Optional[Fix]:
        if not changes or any(item.target is None for item, _ in changes.values()):
            return None
        title = "Use " + ", ".join(f"`{item.name}={value}`" for item, value in changes.values()) + _REDERIVED
        edits = tuple(replace_value(self.ctx, item.target, str(value)) for item, value in changes.values() if item.target is not None)
        if name != "hashlib.scrypt":
            return Fix(title, Applicability.UNSAFE, edits)
        # hashlib.scrypt refuses to use more than `maxmem` bytes (OpenSSL's
        # default, 32 MiB, is below n=2**17, r=8): the fix must allow it.
        api = apis.KDF_APIS[name]
        if p is None or any(
            item is not None and item.origin is not None
            for item in (p, wf.setting(self.ctx, node, api, "n"), wf.setting(self.ctx, node, api, "r"), wf.keyword_setting(self.ctx, node, "maxmem"))
        ):
            return None  # a caller may pass other values: no `maxmem` fits them all
        values = {role: wf.setting(self.ctx, node, api, role) for role in ("n", "r")}
        n_value = changes["n"][1] if "n" in changes else values["n"].value  # type: ignore[union-attr]
        r_value = changes["r"][1] if "r" in changes else values["r"].value  # type: ignore[union-attr]
        needed = _MAXMEM_FACTOR * n_value * r_value * p.value
        maxmem = wf.keyword_setting(self.ctx, node, "maxmem")
        if maxmem is not None and maxmem.value >= needed:
            return Fix(title, Applicability.UNSAFE, edits)
        replacements = {id(item.expr): str(value) for item, value in changes.values()}
        extra: List[str] = []
        if maxmem is not None:
            replacements[id(maxmem.expr)] = str(needed)
        elif any(kw.arg == "maxmem" for kw in node.keywords):
            return None  # given, but not a known number
        else:
            extra.append(f"maxmem={needed}")
        edit = rebuild_call(self.ctx, node, replacements, extra)
        if edit is None:
            return None
        return Fix(title.replace(_REDERIVED, f" with `maxmem={needed}`{_REDERIVED}"), Applicability.UNSAFE, (edit,))

    # ------------------------------------------------------------ Django
    def _hasher_class(self, node: ast.ClassDef) -> None:
        """`class Fast(PBKDF2PasswordHasher): iterations = 1000`, and the
        scrypt hasher's `work_factor`/`block_size`/`parallelism`."""
        hasher = wf.django_hasher(self.ctx, node, frozenset({"pbkdf2", "scrypt"}))
        if hasher is None:
            return
        if hasher.api.kind == "pbkdf2":
            item = hasher.settings.get("iterations")
            if item is None or item.expr is None:
                return
            digest = hasher.assigned.get("digest")
            hash_name = self._hash_of(digest) if digest is not None else hasher.api.facts.get("default_hash")
            self._settled(node, item, hash_name if isinstance(hash_name, str) else None, hasher.describe(self.ctx, [item]))
            return
        n, r, p = (hasher.settings.get(role) for role in ("n", "r", "p"))
        if n is None or r is None or p is None or not self._scrypt_weak(n.value, r.value, p.value):
            return
        policy = self.ctx.policy
        changes = [(item, value) for item, value in ((n, policy.scrypt_n), (r, policy.scrypt_r)) if item.value < value]
        wanted = ", ".join(f"{item.name} = {value}" for item, value in changes)
        message = (
            f"{hasher.describe(self.ctx, [n, r, p])} is below the minimum cost "
            f"`n={policy.scrypt_n}, r={policy.scrypt_r}`; use `{wanted}`"
        )
        fix = None
        if changes and all(item.target is not None for item, _ in changes):
            # Django's scrypt hashes record n, r and p: old hashes verify.
            edits = tuple(replace_value(self.ctx, item.target, str(value)) for item, value in changes if item.target is not None)
            fix = Fix(f"Use `{wanted}`", Applicability.SAFE, edits)
        target = next((item.expr for item in (n, r, p) if item.expr is not None), None)
        self.report(target if target is not None else node, message, fix)

    # ---------------------------------------------------- passlib, werkzeug
    def _passlib(self, node: ast.Call, name: str, item: wf.Setting, hash_name: Optional[str]) -> None:
        self._settled(node, item, hash_name, wf.describe(self.ctx, node, name, [item]), "=")

    def _settled(self, node: ast.AST, item: wf.Setting, hash_name: Optional[str], described: str, sign: str = " = ") -> None:
        """PBKDF2 rounds of a scheme whose hashes record them (passlib,
        Django): the fix is safe, old hashes still verify."""
        minimum = self._minimum(hash_name)
        if item.value >= minimum or item.expr is None:
            return
        message = f"{described}{_hash_label(hash_name)} is below the minimum `{minimum}` iterations; use `{item.name}{sign}{minimum}`"
        fix = None
        if item.target is not None:
            fix = Fix(f"Use `{item.name}{sign}{minimum}`", Applicability.SAFE, (replace_value(self.ctx, item.target, str(minimum)),))
        self.report(item.expr, message, fix)

    def _werkzeug(self, node: ast.Call, name: str, api: apis.Api) -> None:
        expr = apis.argument(node, api, "method")
        method = self.ctx.values.string(expr) if expr is not None else None
        if expr is None or method is None:
            return
        parts = method.split(":")
        fixed: Optional[str] = None
        if parts[0] == "pbkdf2" and len(parts) == 3 and parts[2].isdigit():
            minimum = self.ctx.policy.pbkdf2_minimum(parts[1])
            if int(parts[2]) >= minimum:
                return
            fixed = f"pbkdf2:{parts[1]}:{minimum}"
            problem = f"runs `{parts[2]}` PBKDF2 iterations, below the minimum `{minimum}`"
        elif parts[0] == "scrypt" and len(parts) == 4 and all(x.isdigit() for x in parts[1:]):
            n, r, p = (int(x) for x in parts[1:])
            if not self._scrypt_weak(n, r, p):
                return
            policy = self.ctx.policy
            fixed = f"scrypt:{max(n, policy.scrypt_n)}:{max(r, policy.scrypt_r)}:{p}"
            problem = f"is below the minimum cost `n={policy.scrypt_n}, r={policy.scrypt_r}`"
        else:
            return
        spelled = self.ctx.spelled(expr)
        message = f"`{wf.callee(self.ctx, node, name)}(method={spelled})` {problem}; use `method=\"{fixed}\"`"
        quote = "'" if spelled.startswith("'") else '"'
        # Werkzeug's hashes record their method: old hashes still verify.
        fix = Fix(f"Use `method=\"{fixed}\"`", Applicability.SAFE, (replace_value(self.ctx, expr, f"{quote}{fixed}{quote}"),))
        self.report(expr, message, fix)
