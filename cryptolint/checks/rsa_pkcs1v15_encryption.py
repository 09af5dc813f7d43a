"""CRY603: RSA encryption (or decryption) with PKCS#1 v1.5 padding."""

from __future__ import annotations

import ast
from typing import List, Optional

from cryptolint.analysis import apis
from cryptolint.checks import _library_refs as refs
from cryptolint.checks import _work_factor as wf
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix, Import

_PADDING_MODULE = "cryptography.hazmat.primitives.asymmetric.padding"
_HASHES_MODULE = "cryptography.hazmat.primitives.hashes"
_OAEP = "{oaep}(mgf={mgf}(algorithm={sha}()), algorithm={sha}(), label=None)"
_OAEP_PARTS = (f"{_PADDING_MODULE}.OAEP", f"{_PADDING_MODULE}.MGF1", f"{_HASHES_MODULE}.SHA256")


class RsaPkcs1v15Encryption(Check):
    CODE = "CRY603"
    NAME = "rsa-pkcs1v15-encryption"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "RSA encrypts or decrypts with PKCS#1 v1.5 padding (open to padding-oracle attacks) instead of OAEP."
    MESSAGE = "RSA encryption uses PKCS#1 v1.5 padding; use OAEP with MGF1(SHA-256) and SHA-256"
    #: Known-answer vectors use this padding on purpose.
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (780, 327)
    #: `PKCS1v15`, `PKCS1_v1_5`, `pkcs1_padding`, or python-rsa's `rsa` module.
    TRIGGERS = ("pkcs1", "rsa")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        api = apis.PKCS1V15_CIPHERS.get(name or "")
        if api is not None and name is not None:
            self._cipher(node, name, api)
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in apis.RSA_ENCRYPTION_METHODS:
            self._method(node, func, apis.RSA_ENCRYPTION_METHODS[func.attr])

    # ----------------------------------------- `key.encrypt(m, PKCS1v15())`
    def _method(self, node: ast.Call, func: ast.Attribute, api: apis.Api) -> None:
        expr = apis.argument(node, api, "padding")
        ref = refs.find(self.ctx, expr)
        if expr is None or ref is None or ref.qualname not in apis.PKCS1V15_PADDINGS:
            return
        receiver = self.ctx.shown(func)
        shown = self.ctx.shown(expr)
        if api.facts.get("direction") == "decrypt":
            problem = f"`{receiver}` decrypts with RSA PKCS#1 v1.5 padding (`{shown}`), which exposes a padding oracle (Bleichenbacher, Marvin)"
        else:
            problem = f"`{receiver}` encrypts with RSA PKCS#1 v1.5 padding (`{shown}`), open to padding-oracle attacks"
        if ref.qualname.startswith("cryptography."):
            self.report(expr, f"{problem}; use `padding.OAEP` with `MGF1(SHA-256)` and SHA-256", self._oaep_fix(expr, ref))
        else:
            self.report(expr, f"{problem}; use OAEP padding (`RSA.pkcs1_oaep_padding`)")

    def _oaep_fix(self, expr: ast.expr, ref: refs.Ref) -> Optional[Fix]:
        """`padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), ...)`,
        with the names the file already uses (module names when `PKCS1v15`
        is reached through its module, the classes themselves otherwise)."""
        by_module = isinstance(ref.node, ast.Attribute)
        names = [refs.spell(self.ctx, expr, qualname, by_module) for qualname in _OAEP_PARTS]
        if any(n is None for n in names):
            return None  # an import it needs would clash with a name in use
        (oaep, _), (mgf, _), (sha, _) = names  # type: ignore[misc]
        template = _OAEP.format(oaep=oaep, mgf=mgf, sha=sha)
        return Fix(
            "Use OAEP padding with SHA-256",
            Applicability.UNSAFE,
            (Edit(self.ctx.span(expr), template.replace("{", "{{").replace("}", "}}")),),
            add_imports=tuple(imp for n in names if n is not None for imp in n[1]),
        )

    # ------------------------------------ PyCryptodome and python-rsa calls
    def _cipher(self, node: ast.Call, name: str, api: apis.Api) -> None:
        callee = wf.callee(self.ctx, node, name)
        plain = name.replace("()", "")
        library = f" (`{plain}`)" if callee != plain else ""
        replacement = api.facts.get("replacement")
        if not isinstance(replacement, str):
            verb = "decrypts" if api.facts.get("direction") == "decrypt" else "encrypts"
            message = (
                f"`{callee}`{library} {verb} with RSA PKCS#1 v1.5 padding, the only kind python-rsa has, "
                "open to padding-oracle attacks; use `cryptography` with `padding.OAEP`"
            )
            self.report(node, message)
            return
        package = replacement.split(".")[0]
        names = [refs.spell(self.ctx, node, qualname, prefer_module=False) for qualname in (replacement, f"{package}.Hash.SHA256")]
        oaep, sha = (n[0] if n is not None else default for n, default in zip(names, ("PKCS1_OAEP", "SHA256")))
        message = (
            f"`{callee}`{library} makes an RSA PKCS#1 v1.5 cipher, open to padding-oracle attacks; "
            f"use `{oaep}.new(key, hashAlgo={sha})`"
        )
        edit = self._pycryptodome_edit(node, api, f"{oaep}.new", sha) if self._only_encrypts(node) else None
        fix = None
        if edit is not None and all(n is not None for n in names):
            cipher = name.rsplit(".", 1)[0]
            fix = Fix(
                f"Use `{oaep}.new(key, hashAlgo={sha})`",
                Applicability.UNSAFE,
                (edit,),
                add_imports=tuple(imp for n in names if n is not None for imp in n[1]),
                remove_imports=(Import(cipher.rpartition(".")[0], cipher.rpartition(".")[2]),),
            )
        self.report(node, message, fix)

    def _only_encrypts(self, node: ast.Call) -> bool:
        """Whether every use of the cipher is `.encrypt(...)`: OAEP's
        `decrypt` takes no `sentinel`, so a decrypting cipher cannot be swapped."""
        parent = self.ctx.module.parent(node)
        if isinstance(parent, ast.Attribute):
            return parent.attr == "encrypt"
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
            return False
        uses: List[ast.Name] = self.ctx.flows.uses(parent.targets[0])
        return bool(uses) and all(_method_of(self.ctx.module.parent(use), use) == "encrypt" for use in uses)

    def _pycryptodome_edit(self, node: ast.Call, api: apis.Api, callee: str, sha: str) -> Optional[Edit]:
        if wf.unpacks(node) or any(kw.arg not in ("key", "randfunc") for kw in node.keywords):
            return None
        key = apis.argument(node, api, "key")
        if key is None:
            return None
        holes = [self.ctx.span(key)]
        parts = [f"{callee}({{0}}", f"hashAlgo={sha}"]
        randfunc = apis.argument(node, api, "randfunc")
        if randfunc is not None:
            holes.append(self.ctx.span(randfunc))
            parts.append("randfunc={1}")
        return Edit(self.ctx.span(node), ", ".join(parts) + ")", tuple(holes))


def _method_of(parent: Optional[ast.AST], use: ast.AST) -> Optional[str]:
    return parent.attr if isinstance(parent, ast.Attribute) and parent.value is use else None
