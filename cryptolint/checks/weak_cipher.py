"""CRY601: a broken or obsolete cipher (DES, 3DES, RC4, Blowfish...)."""

from __future__ import annotations

import ast
from typing import Optional

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._cipher_sites import AlgorithmSite, CipherRule, safer


class WeakCipher(CipherRule, Check):
    CODE = "CRY601"
    NAME = "weak-cipher"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "Data is encrypted with a broken or obsolete cipher: DES, 3DES, RC4, RC2, Blowfish, CAST5, IDEA, SEED or XOR."
    MESSAGE = "A broken or obsolete cipher encrypts data; use `AESGCM`"
    #: A broken cipher in a test helper ships with it, and is copied from it.
    TEST_CODE = TestCode.HELPERS
    CWE = (327,)
    #: The cipher libraries, and the two spellings of a hand-written repeating-key XOR.
    TRIGGERS = ("crypto", "pydes", "pyaes", "cycle(", "% len(")
    PROTOCOLS = ("ntlm", "kerberos", "ms-rpc")

    def visit_Call(self, node: ast.Call) -> None:
        self._xor_cipher(node)
        site = self.sites.algorithm(node)
        if site is None or self.sites.decrypts_only(site):
            return  # reading legacy data (old key files, old archives) is how one migrates
        self.report(site.node, self._message(site))

    # ------------------------------------------------- hand-written XOR
    def _xor_cipher(self, call: ast.Call) -> None:
        """`bytes(b ^ key[i % len(key)] for i, b in enumerate(data))`,
        `bytes(a ^ b for a, b in zip(data, itertools.cycle(key)))`: a
        repeating-key XOR, with a key named as one (a WebSocket `mask` is not)."""
        name = self.ctx.call_name(call)
        joined = isinstance(call.func, ast.Attribute) and call.func.attr == "join"
        if not (joined or name in ("builtins.bytes", "builtins.bytearray")) or len(call.args) != 1:
            return
        made = call.args[0]
        if not isinstance(made, (ast.GeneratorExp, ast.ListComp)):
            return
        for sub in ast.walk(made.elt):
            if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.BitXor):
                for side in (sub.left, sub.right):
                    key = self._repeated(side, made)
                    role = self.ctx.flows.role_of(key) if key is not None else None
                    if key is not None and role is not None and (role.is_secret or role.role == "key"):
                        self.report(
                            sub,
                            f"`{_one_line(self.ctx.source(sub))}` encrypts with the key `{_one_line(self.ctx.source(key))}` repeated, "
                            f"a repeating-key XOR that {apis.WEAK_CIPHER_REASONS['XOR'].split(' that ', 1)[1]}; use `AESGCM`",
                        )
                        return

    def _repeated(self, side: ast.expr, made: ast.AST) -> Optional[ast.expr]:
        """The key `side` cycles through: `key[i % len(key)]`, or a name
        zipped from `itertools.cycle(key)`, each maybe through `ord()`."""
        if isinstance(side, ast.Call) and self.ctx.call_name(side) == "builtins.ord" and len(side.args) == 1:
            side = side.args[0]
        if isinstance(side, ast.Subscript) and isinstance(side.slice, ast.BinOp) and isinstance(side.slice.op, ast.Mod):
            size = side.slice.right
            if isinstance(size, ast.Call) and self.ctx.call_name(size) == "builtins.len" and size.args:
                if self.ctx.source(size.args[0]) == self.ctx.source(side.value):
                    return side.value
            return None
        if not isinstance(side, ast.Name):
            return None
        for generator in getattr(made, "generators", []):
            target, source = generator.target, generator.iter
            if not (isinstance(target, ast.Tuple) and isinstance(source, ast.Call) and self.ctx.call_name(source) == "builtins.zip"):
                continue
            for element, argument in zip(target.elts, source.args):
                if isinstance(element, ast.Name) and element.id == side.id and isinstance(argument, ast.Call):
                    if self.ctx.call_name(argument) == "itertools.cycle" and argument.args:
                        return argument.args[0]
        return None

    @staticmethod
    def _message(site: AlgorithmSite) -> str:
        reason = apis.WEAK_CIPHER_REASONS[site.algorithm]
        named = site.label if site.algorithm.lower() in site.label.lower() else f"{site.label} ({site.algorithm})"
        return f"{named} {reason}; use {safer(site)}"


def _one_line(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
