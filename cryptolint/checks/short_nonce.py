"""CRY503: a random AES-GCM nonce shorter than 12 bytes."""

from __future__ import annotations

import ast
from typing import Optional, Set

from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._nonce_sites import NonceSite, NonceSites, spelled
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Edit, Fix


class ShortNonce(Check):
    CODE = "CRY503"
    NAME = "short-nonce"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "A random AES-GCM nonce is shorter than 12 bytes."
    MESSAGE = "A random AES-GCM nonce is shorter than 12 bytes; make it 12 bytes"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (330, 323)
    TRIGGERS = ("crypto",)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.sites = ctx.shared(NonceSites)
        self._seen: Set[int] = set()

    def visit_Call(self, node: ast.Call) -> None:
        for site in self.sites.at(node):
            minimum = site.min_random_size
            if minimum is None or self.sites.encrypts(site) is False:
                continue
            made = self.sites.random_size(site.nonce)
            if made is None or made[1] >= minimum or id(made[0]) in self._seen:
                continue
            random_call, size = made
            self._seen.add(id(random_call))
            shown = spelled(self.ctx, random_call) or "a random value"
            article = "an" if size in (8, 11) else "a"
            message = (
                f"`{shown}` makes {article} {size}-byte nonce for {site.label}, which is likely to repeat "
                f"after about 2**{size * 4} encryptions; use {minimum} random bytes"
            )
            self.report(random_call, message, self._fix(site, random_call, minimum))

    def _fix(self, site: NonceSite, random_call: ast.Call, minimum: int) -> Optional[Fix]:
        """Raise the literal size argument.  Unsafe: the nonce gets longer,
        and a reader that splits a message at the old length, a column or a
        peer that expects it, would break."""
        if len(random_call.args) != 1 or random_call.keywords:
            return None
        size_arg = random_call.args[0]
        return Fix(
            title=f"Make the nonce {minimum} bytes (readers that expect the old length must follow)",
            applicability=Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(size_arg), str(minimum)),),
        )
