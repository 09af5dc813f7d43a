"""CRY601: a broken or obsolete cipher (DES, 3DES, RC4, Blowfish...)."""

from __future__ import annotations

import ast

from cryptolint.analysis import apis
from cryptolint.checks._base import Check
from cryptolint.checks._cipher_sites import AlgorithmSite, CipherRule, safer


class WeakCipher(CipherRule, Check):
    CODE = "CRY601"
    NAME = "weak-cipher"
    CATEGORY = "algorithms-and-key-sizes"
    SUMMARY = "Data is encrypted with a broken or obsolete cipher: DES, 3DES, RC4, RC2, Blowfish, CAST5, IDEA, SEED or XOR."
    MESSAGE = "A broken or obsolete cipher encrypts data; use `AESGCM`"
    CWE = (327,)
    PROTOCOLS = ("ntlm", "kerberos", "ms-rpc")

    def check(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Call)
        site = self.sites.algorithm(node)
        if site is None or self.sites.decrypts_only(site):
            return  # reading legacy data (old key files, old archives) is how one migrates
        self.report(site.node, self._message(site))

    @staticmethod
    def _message(site: AlgorithmSite) -> str:
        reason = apis.WEAK_CIPHER_REASONS[site.algorithm]
        named = site.label if site.algorithm.lower() in site.label.lower() else f"{site.label} ({site.algorithm})"
        return f"{named} {reason}; use {safer(site)}"
