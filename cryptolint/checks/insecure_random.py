"""CRY101: a secret made with the `random` module or `numpy.random`."""

from __future__ import annotations

import ast
from typing import List, Optional

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.checks._base import Check
from cryptolint.checks._imports import import_of
from cryptolint.diagnostic import Applicability, Edit, Fix, Import, Level

#: `random` function -> its `secrets` equivalent, when the call shape allows.
_SECRETS_EQUIVALENT = {
    "choice": "secrets.choice",
    "getrandbits": "secrets.randbits",
    "randbytes": "secrets.token_bytes",
}
_NONCE_ROLES = frozenset({"nonce", "iv", "salt"})



class InsecureRandom(Check):
    CODE = "CRY101"
    NAME = "insecure-random"
    CATEGORY = "randomness"
    SUMMARY = "A secret (token, password, key, nonce, salt) is made with `random` or `numpy.random`."
    MESSAGE = "A secret is made with a predictable random generator; use `secrets`"
    NODES = (ast.Call,)
    FIX = Applicability.SAFE
    CWE = (338, 330)
    TRIGGERS = ("random",)

    def visit(self, node: ast.AST) -> None:
        assert isinstance(node, ast.Call)
        name = self.ctx.call_name(node)
        if name not in apis.INSECURE_RANDOM:
            self._wrapped(node)
            return
        if self.ctx.is_test_file and not self.ctx.settings.secrets_in_tests:
            return
        function = name.rsplit(".", 1)[-1]
        sinks = self._sinks(node, function)
        if not sinks:
            if self.ctx.policy.strict:  # the auditor's mode: every call, as a note
                display, safer = self._display(node, name), self._safer(name, function, node)
                message = f"{display} is predictable; if this value must not be guessed, use `{safer}`"
                self.report(node, message, level=Level.NOTE)
            return
        sink = sinks[0]
        display = self._display(node, name)
        fix = self._fix(node, name, function)
        safer = self._safer(name, function, node)
        message = f"{display} makes {sink.describe()} predictable; use `{safer}`"
        self.report(node, message, fix)

    def _wrapped(self, node: ast.Call) -> None:
        """A call of a function (here or in another project module) that
        returns `random` output: `random_string(16)` bound to a secret.  A
        function named for the secret it makes is reported inside instead."""
        summary = self.ctx.summaries.of_call(node)
        if summary is None or summary.returns != "insecure-random" or summary.secret_named:
            return
        if self.ctx.is_test_file and not self.ctx.settings.secrets_in_tests:
            return
        sinks = self.ctx.flows.secret_sinks(node, _NONCE_ROLES)
        if not sinks:
            return
        shown = " ".join(self.ctx.source(node.func).split())
        message = (
            f"`{shown}()` returns `{summary.source}` output, which makes {sinks[0].describe()} predictable; "
            f"make it with `secrets`"
        )
        self.report(node, message)

    def _sinks(self, node: ast.Call, function: str) -> List[Sink]:
        flows = self.ctx.flows
        if function == "shuffle" and node.args and isinstance(node.args[0], ast.Name):
            # In-place: what the shuffled list later becomes.
            found: List[Sink] = []
            for use in flows.uses(node.args[0]):
                if use.lineno >= node.lineno and use is not node.args[0]:
                    found.extend(flows.secret_sinks(use, _NONCE_ROLES))
            return found
        return flows.secret_sinks(node, _NONCE_ROLES)

    def _display(self, node: ast.Call, name: str) -> str:
        """`random.choice`, or `pick` (`random.choice`) for an alias."""
        spelled = " ".join(self.ctx.source(node.func).split())
        plain = name.replace("()", "")
        if len(spelled) > 40:
            return f"`{plain}`"
        if "()" in name or spelled == plain:
            return f"`{spelled}`"
        return f"`{spelled}` (`{plain}`)"

    @staticmethod
    def _safer(name: str, function: str, node: ast.Call) -> str:
        if name.startswith("numpy."):
            return "secrets.token_bytes"
        if function == "randrange" and len(node.args) == 1 and not node.keywords:
            return "secrets.randbelow"
        if function == "randint":
            return "secrets.randbelow"
        return _SECRETS_EQUIVALENT.get(function, f"secrets.SystemRandom().{function}")

    def _fix(self, node: ast.Call, name: str, function: str) -> Optional[Fix]:
        if name.startswith("numpy."):
            return None
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        edits: List[Edit] = []
        removes: List[Import] = []
        if "random.Random()." in name:
            # Replace the seeded generator itself: every draw becomes secure.
            ctor = self._constructor(node.func)
            if ctor is None:
                return None
            edits.append(Edit(self.ctx.span(ctor), "secrets.SystemRandom()"))
        elif function == "randint" and len(node.args) == 2 and not node.keywords and all(_simple(a) for a in node.args):
            low, high = node.args
            edits.append(
                Edit(self.ctx.span(node), "{0} + secrets.randbelow({1} - {0} + 1)", (self.ctx.span(low), self.ctx.span(high)))
            )
        else:
            target = _SECRETS_EQUIVALENT.get(function)
            if function == "randrange" and len(node.args) == 1 and not node.keywords:
                target = "secrets.randbelow"
            if target is None:
                target = f"secrets.SystemRandom().{function}"
            edits.append(Edit(self.ctx.span(node.func), target))
            removes.append(import_of(self.ctx, node.func, "random"))
        return Fix(
            title=f"Use `{edits[0].template.split('(')[0] if '{' not in edits[0].template else 'secrets.randbelow'}`",
            applicability=Applicability.SAFE,
            edits=tuple(edits),
            add_imports=(Import("secrets"),),
            remove_imports=tuple(r for r in removes if r is not None),
        )

    def _constructor(self, func: ast.AST) -> Optional[ast.Call]:
        if not isinstance(func, ast.Attribute):
            return None
        owner = func.value
        if isinstance(owner, ast.Call):
            return owner
        value: Optional[ast.AST] = None
        if isinstance(owner, ast.Name):
            value = self.ctx.module.single_value(owner.id, self.ctx.module.scope_of(owner))
        elif isinstance(owner, ast.Attribute):
            value = self.ctx.module.attribute_value(owner)
        if isinstance(value, ast.Call) and self.ctx.call_name(value) == "random.Random":
            return value
        return None



def _simple(expr: ast.AST) -> bool:
    return isinstance(expr, (ast.Name, ast.Constant, ast.Attribute)) or (
        isinstance(expr, ast.UnaryOp) and isinstance(expr.operand, ast.Constant)
    )
