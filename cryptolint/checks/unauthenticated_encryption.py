"""CRY505: encryption in CBC, CTR, OFB or CFB mode with no MAC in sight."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional

from cryptolint.analysis import apis
from cryptolint.analysis.names import split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._cipher_sites import CipherRule, ModeSite, safer
from cryptolint.checks._cipher_use import ENCRYPT
from cryptolint.context import Context

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class UnauthenticatedEncryption(CipherRule, Check):
    CODE = "CRY505"
    NAME = "unauthenticated-encryption"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "Data is encrypted in CBC, CTR, OFB or CFB mode and no MAC or signature is made where it is encrypted."
    MESSAGE = "Data is encrypted without a MAC, so the ciphertext can be changed undetected; use `AESGCM`"
    #: An unauthenticated mode in a test helper ships with it, and is copied from it.
    TEST_CODE = TestCode.HELPERS
    DEFAULT_ENABLED = False
    HEURISTIC = True
    CWE = (353, 649)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._authenticating: Dict[int, bool] = {}

    def visit_Call(self, node: ast.Call) -> None:
        site = self.sites.mode(node)
        if site is None or site.mode not in apis.UNAUTHENTICATED_MODES:
            return
        if ENCRYPT not in self.sites.directions(site):
            return  # decrypting, a keystream, a CBC-MAC, or a use that cannot be seen
        frame = self.ctx.module.enclosing_function(node)
        if any(self._authenticates(f) for f in self._frames(frame)):
            return
        self.report(site.node, self._message(site, frame))

    # ------------------------------------------------------------ frames
    def _frames(self, frame: Optional[ast.AST]) -> List[ast.AST]:
        """The function that encrypts, the module's functions that call it
        (a MAC made over what it returns), and those it calls (a MAC made by
        a helper)."""
        module = self.ctx.module
        if frame is None:
            return [module.tree]
        frames: List[ast.AST] = [frame]
        for call, _ in module.call_sites(frame):
            frames.append(module.enclosing_function(call) or module.tree)
        for call in self._calls(frame):
            target = module.called_function(call)
            if target is not None:
                frames.append(target[0])
        return frames

    def _authenticates(self, frame: ast.AST) -> bool:
        """Whether `frame` makes a MAC or a signature (`hmac.new`, `HMAC`,
        `Poly1305`, `CMAC`, a call named like `sign` or `compute_mac`)."""
        key = id(frame)
        if key not in self._authenticating:
            self._authenticating[key] = any(self._is_mac(call) for call in self._calls(frame))
        return self._authenticating[key]

    def _is_mac(self, call: ast.Call) -> bool:
        name = self.ctx.call_name(call)
        if name and name.split("()", 1)[0] in apis.MAC_APIS:
            return True
        func = call.func
        spelled = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return bool(spelled and set(split_words(spelled)) & apis.MAC_WORDS)

    def _calls(self, frame: ast.AST) -> Iterator[ast.Call]:
        """The calls made in `frame`'s own code (for the module: outside
        its functions and classes)."""
        stack: List[ast.AST] = list(ast.iter_child_nodes(frame))
        top = isinstance(frame, ast.Module)
        while stack:
            node = stack.pop()
            if top and isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
                continue
            if isinstance(node, ast.Call):
                yield node
            stack.extend(ast.iter_child_nodes(node))

    # ----------------------------------------------------------- message
    def _message(self, site: ModeSite, frame: Optional[ast.AST]) -> str:
        where = f" in `{frame.name}`" if isinstance(frame, (ast.FunctionDef, ast.AsyncFunctionDef)) else ""
        return (
            f"{site.label} encrypts{where} with no MAC over the ciphertext, so it can be changed undetected; "
            f"use {safer(site)} or an HMAC of the ciphertext"
        )
