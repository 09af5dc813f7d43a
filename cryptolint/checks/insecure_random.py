"""CRY101: a secret made with the `random` module or `numpy.random`."""

from __future__ import annotations

import ast
from typing import List, Optional, Set, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.analysis.names import delivers, mentions_code
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._imports import import_of
from cryptolint.diagnostic import Applicability, Edit, Fix, Import, Level

#: `random` function -> its `secrets` equivalent, when the call shape allows.
_SECRETS_EQUIVALENT = {
    "choice": "secrets.choice",
    "getrandbits": "secrets.randbits",
    "randbytes": "secrets.token_bytes",
}
_NONCE_ROLES = frozenset({"nonce", "iv", "salt"})
#: Continuous distributions: their draws are measurements, never tokens.
_CONTINUOUS = frozenset(
    """
    normal standard_normal randn gauss normalvariate lognormvariate expovariate vonmisesvariate
    gammavariate betavariate paretovariate weibullvariate triangular uniform
    """.split()
)
#: Methods that keep a value for a later check (`cache.set`, `redis.setex`).
_STORE_METHODS = frozenset({"set", "setex", "hset", "set_many", "put", "store", "save", "create", "update_or_create"})



class InsecureRandom(Check):
    CODE = "CRY101"
    NAME = "insecure-random"
    CATEGORY = "randomness"
    SUMMARY = "A secret (token, password, key, nonce, salt) is made with `random` or `numpy.random`."
    MESSAGE = "A secret is made with a predictable random generator; use `secrets`"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.SAFE
    CWE = (338, 330)
    TRIGGERS = ("random",)

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if name not in apis.INSECURE_RANDOM:
            self._wrapped(node)
            return
        function = name.rsplit(".", 1)[-1]
        sinks = self._sinks(node, function)
        if not sinks:
            delivered = self._delivered(node)
            if delivered is not None:
                display, safer = self._display(node, name), self._safer(name, function, node)
                self.report(node, f"{display} makes a one-time code that is {delivered}; use `{safer}`", self._fix(node, name, function))
                return
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
        sinks = flows.secret_sinks(node, _NONCE_ROLES)
        if function in _CONTINUOUS:
            # A Gaussian draw is never a token; a bare `key` there is a plot's or a model's.
            return [s for s in sinks if s.role is not None and not s.role.weak]
        return sinks

    def _delivered(self, node: ast.Call) -> Optional[str]:
        """How a random value that reads as a one-time code reaches a person
        or a store: `code = f"{random.randint(0, 999999):06d}"; send_sms(phone, code)`,
        `cache.set(f"otp:{phone}", value)`.  The value, a name it passes
        through, the message around it or the call must speak of a code."""
        module, flows = self.ctx.module, self.ctx.flows
        todo: List[Tuple[ast.AST, bool]] = [(node, False)]
        seen: Set[int] = set()
        while todo and len(seen) < 32:
            expr, coded = todo.pop()
            top = flows.carrier_top(expr)
            if id(top) in seen:
                continue
            seen.add(id(top))
            coded = coded or any(
                isinstance(n, ast.Constant) and isinstance(n.value, str) and mentions_code(n.value) for n in ast.walk(top)
            )
            parent = module.parent(top)
            if isinstance(parent, ast.keyword):
                parent = module.parent(parent)
            if isinstance(parent, (ast.Assign, ast.AnnAssign)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        named = coded or mentions_code(target.id)
                        todo.extend((use, named) for use in flows.uses(target))
            elif isinstance(parent, ast.Call) and top is not parent.func:
                callee = parent.func.attr if isinstance(parent.func, ast.Attribute) else getattr(parent.func, "id", "")
                others = [a for a in parent.args if a is not top] + [k.value for k in parent.keywords if k.value is not top]
                coded = coded or mentions_code(callee) or any(
                    isinstance(n, ast.Constant) and isinstance(n.value, str) and mentions_code(n.value)
                    for a in others for n in ast.walk(a)
                )
                if coded and delivers(callee):
                    return f"sent by `{callee}`"
                if coded and callee in _STORE_METHODS:
                    return f"stored by `{callee}`"
        return None

    def _display(self, node: ast.Call, name: str) -> str:
        """`random.choice`, or `pick` (`random.choice`) for an alias."""
        spelled = self.ctx.spelled(node.func)
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
        if name.startswith("numpy.") or any(isinstance(a, ast.arguments) for a in self.ctx.module.ancestors(node)):
            return None  # numpy has no one-line equivalent; the fixer cannot reach a default by position
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        edits: List[Edit] = []
        removes: List[Optional[Import]] = []
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
        title = f"Use `{edits[0].template.split('(')[0] if '{' not in edits[0].template else 'secrets.randbelow'}`"
        seeded = self._seeded(node, name)
        return Fix(
            title=title + (" (draws no longer repeat from the seed)" if seeded else ""),
            applicability=Applicability.UNSAFE if seeded else Applicability.SAFE,
            edits=tuple(edits),
            add_imports=(Import("secrets"),),
            remove_imports=tuple(r for r in removes if r is not None),
        )

    def _seeded(self, node: ast.Call, name: str) -> bool:
        """Whether the program seeds the generator (`random.Random(42)`,
        `random.seed(...)`): its draws are then reproducible, and a fix that
        makes them unpredictable changes what it outputs."""
        if "random.Random()." in name:
            ctor = self._constructor(node.func)
            if ctor is not None and (ctor.args or ctor.keywords):
                return True
        return any(
            self.ctx.call_name(call) == "random.seed"  # type: ignore[arg-type]
            for call in self.ctx.module.nodes_by_type.get(ast.Call, [])
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
