"""CRY503: a random AES-GCM nonce shorter than 12 bytes."""

from __future__ import annotations

import ast
from typing import List, Optional, Set

from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._nonce_sites import NonceSite, NonceSites, spelled
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability, Edit, Fix

#: Expressions that splice a nonce into a longer byte string, whose reader
#: then splits it at a fixed offset.
_SPLICING_CALLS = frozenset({"builtins.bytes.join", "struct.pack", "struct.pack_into"})


class ShortNonce(Check):
    CODE = "CRY503"
    NAME = "short-nonce"
    CATEGORY = "nonces-and-modes"
    SUMMARY = "A random AES-GCM nonce is shorter than 12 bytes."
    MESSAGE = "A random AES-GCM nonce is shorter than 12 bytes; make it 12 bytes"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
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
        """Raise the literal size argument.  Safe when the nonce is kept as a
        value of its own; unsafe when it is spliced into a byte string (a
        reader that splits at the old length would break) or its size is a
        named constant (used elsewhere, perhaps to split)."""
        if len(random_call.args) != 1 or random_call.keywords:
            return None
        size_arg = random_call.args[0]
        literal = isinstance(size_arg, ast.Constant)
        spliced = any(self._spliced(use) for use in self._uses(site.nonce, random_call))
        return Fix(
            title=f"Make the nonce {minimum} bytes",
            applicability=Applicability.SAFE if literal and not spliced else Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(size_arg), str(minimum)),),
        )

    def _uses(self, nonce: ast.expr, random_call: ast.Call) -> List[ast.AST]:
        """The expressions that read the nonce: the random call itself, or
        every load of the name it is bound to."""
        if not isinstance(nonce, ast.Name):
            return [random_call]
        module = self.ctx.module
        scope = module.scope_of(nonce)
        owner, _ = module.lookup(nonce.id, scope)
        return [
            n for n in module.nodes_by_type.get(ast.Name, [])
            if n.id == nonce.id and isinstance(n.ctx, ast.Load)  # type: ignore[attr-defined]
            and module.lookup(nonce.id, module.scope_of(n))[0] is owner
        ]

    def _spliced(self, use: ast.AST) -> bool:
        parent = self.ctx.module.parent(use)
        if isinstance(parent, (ast.BinOp, ast.JoinedStr, ast.FormattedValue)):
            return True
        if isinstance(parent, (ast.List, ast.Tuple)):
            holder = self.ctx.module.parent(parent)
            if isinstance(holder, ast.Call) and isinstance(holder.func, ast.Attribute) and holder.func.attr == "join":
                return True
        if isinstance(parent, ast.Call) and use in parent.args:
            if self.ctx.call_name(parent) in _SPLICING_CALLS:
                return True
            if isinstance(parent.func, ast.Attribute) and parent.func.attr in ("join", "write", "extend"):
                return True
        return False
