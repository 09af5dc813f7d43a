"""CRY103: a secret token or key made from too few random bytes."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.analysis.names import split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.diagnostic import Applicability, Edit, Fix

#: Values that only need to be unique or unpredictable, not long: a short
#: nonce/IV is CRY503's business (a 12-byte GCM nonce is correct).
_NOT_TOKEN_ROLES = frozenset({"nonce", "iv", "salt"})
#: Codes a person types (`otp`, `pin`, `reset_code`): short by design and
#: protected by rate limiting and expiry, not by length.
_TYPED_ROLES = frozenset({"otp", "pin", "code"})
#: API kinds whose keys have fixed sizes (DES takes 8 bytes, CAST5 at most
#: 16): raising the size there would break the cipher, so no fix is offered.
_FIXED_KEY_KINDS = frozenset({"cipher-algorithm", "pycryptodome-cipher", "pycryptodome-stream"})
#: Words of a name that says the random bytes are not a token: a mask XORed
#: into a token (tornado's 4-byte XSRF mask), padding, jitter, a blinding
#: factor, a multipart boundary.  Their length is part of a format.
_NOT_TOKEN_WORDS = frozenset({"mask", "masking", "pad", "padding", "jitter", "blinding", "boundary"})
#: The size a fix writes (or the policy's minimum, when that is larger).
_FIXED_SIZE = 32


class ShortToken(Check):
    CODE = "CRY103"
    NAME = "short-token"
    CATEGORY = "randomness"
    SUMMARY = "A secret token or key is made from fewer random bytes than the policy's minimum (16 by default)."
    MESSAGE = "A secret is made from too few random bytes; use at least 16"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (331, 326)
    #: Every token maker is reached through one of these names.
    TRIGGERS = ("urandom", "token_", "get_random_bytes")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if name not in apis.TOKEN_MAKERS:
            return
        api = apis.FRESH_RANDOM.get(name)
        if api is None:
            return
        size = apis.argument(node, api, "size")
        nbytes = self.ctx.values.integer(size)
        minimum = self.ctx.policy.token_bytes
        if size is None or nbytes is None or not 0 < nbytes < minimum:
            return
        sinks = self.ctx.flows.sinks(node)
        if any(s.role is not None and s.role.role in _NOT_TOKEN_ROLES for s in sinks):
            return
        if any(s.kind == "name" and set(split_words(s.name)) & _NOT_TOKEN_WORDS for s in sinks):
            return  # `mask = os.urandom(4)`, then mixed into a token: not the token
        secret = [s for s in sinks if s.role is not None and s.role.is_secret and s.role.role not in _TYPED_ROLES]
        if not secret:
            return
        target = max(_FIXED_SIZE, minimum)
        spelled = self.ctx.spelled(node.func)
        given = self.ctx.spelled(size)
        shown = f"`{spelled}({given if len(given) <= 30 else nbytes})`"
        if spelled != name.replace("()", ""):
            shown += f" (`{name.replace('()', '')}`)"
        message = (
            f"{shown} gives {secret[0].describe()} only {nbytes} random bytes; "
            f"use at least {minimum}, such as `{spelled}({target})`"
        )
        self.report(size, message, self._fix(node, size, sinks, target))

    # ------------------------------------------------------------------ fix
    def _fix(self, node: ast.Call, size: ast.expr, sinks: List[Sink], target: int) -> Optional[Fix]:
        if not self._size_used_only_here(size):
            return None
        if any(api.kind in _FIXED_KEY_KINDS for api in self._downstream_apis(sinks)):
            return None
        # Unsafe: a longer value is a change of format.  Code that checks or
        # slices the length, a column sized for it, a peer that expects it
        # (a 16-byte AES-128 key, a 20-byte HMAC-SHA1 key) all break.
        return Fix(
            title=f"Use {target} random bytes (the value gets longer: code, storage or peers that expect its length must follow)",
            applicability=Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(self._edited(size)), str(target)),),
        )

    def _edited(self, size: ast.expr) -> ast.expr:
        """The expression the fix rewrites: the size argument, or the literal
        of a local variable read only here (`n = 8` then `token_hex(n)`), so
        that the fix leaves no unused variable behind.  A module constant is
        left alone: other modules may import it."""
        if isinstance(size, ast.Name):
            owner, _ = self.ctx.module.lookup(size.id, self.ctx.module.scope_of(size))
            value = self.ctx.module.single_value(size.id, self.ctx.module.scope_of(size))
            if owner is not None and owner.is_function and isinstance(value, ast.Constant):
                return value
        return size

    def _size_used_only_here(self, size: ast.expr) -> bool:
        """A literal, or a variable nothing else reads: code that checks a
        token's length against the same constant would break otherwise."""
        if isinstance(size, ast.Constant):
            return True
        if not isinstance(size, ast.Name):
            return False
        _, bindings = self.ctx.module.lookup(size.id, self.ctx.module.scope_of(size))
        for binding in bindings:
            for target in _bound_names(binding.node, size.id):
                if any(use is not size for use in self.ctx.flows.uses(target)):
                    return False
        return bool(bindings)

    def _downstream_apis(self, sinks: List[Sink]) -> Iterator[apis.Api]:
        """The crypto APIs the value reaches, also past a secret-named
        variable (where `sinks` stops: `key = os.urandom(8)` then `DES.new(key)`)."""
        for sink in sinks:
            if sink.api is not None:
                yield sink.api
            if sink.kind != "name":
                continue
            for target in _bound_names(sink.node, sink.name):
                for use in self.ctx.flows.uses(target):
                    for later in self.ctx.flows.sinks(use):
                        if later.api is not None:
                            yield later.api


def _bound_names(stmt: ast.AST, name: str) -> Iterator[ast.Name]:
    """The `Name` targets of an assignment statement that bind `name`."""
    targets: List[ast.AST] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
        targets = [stmt.target]
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name) and sub.id == name:
                yield sub
