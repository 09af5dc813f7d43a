"""CRY102: a secret made with `uuid` (time based, name based, or `uuid4` under a strict policy)."""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from cryptolint.analysis import apis
from cryptolint.analysis.flows import Sink
from cryptolint.analysis.names import ROLE_WORDS, split_words
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._imports import import_of
from cryptolint.diagnostic import Applicability, Edit, Fix, Import, Level

#: A crypto API argument a uuid must never fill (besides key material).
_API_ROLES = frozenset({"nonce", "iv"})
#: uuid functions whose value is a deterministic function of their arguments:
#: code may recompute it, so replacing it by a random token is not offered.
_DERIVED = frozenset({"uuid.uuid3", "uuid.uuid5"})
#: Keywords through which a field/column/dataclass calls a uuid function to
#: make its default value (`models.UUIDField(default=uuid.uuid1)`).
_FACTORY_KEYWORDS = frozenset({"default", "default_factory", "insert_default"})
#: Replacement for a uuid read through one of these attributes (same type).
_ATTRIBUTE_REPLACEMENTS = {"hex": "secrets.token_hex(16)", "bytes": "secrets.token_bytes(16)"}
_TOKEN = "secrets.token_urlsafe(32)"
_STR_CONVERSION = 115  # `!s` in an f-string



class UuidAsSecret(Check):
    CODE = "CRY102"
    NAME = "uuid-as-secret"
    CATEGORY = "randomness"
    SUMMARY = "A secret (token, key, session id) is a time- or name-based UUID (`uuid1`, `uuid3`, `uuid5`)."
    MESSAGE = "A secret is made with a guessable UUID; use `secrets.token_urlsafe()`"
    TEST_CODE = TestCode.SKIP
    FIX = Applicability.UNSAFE
    CWE = (330, 340)
    TRIGGERS = ("uuid",)

    # ------------------------------------------------------------ detection
    def _weak(self, name: Optional[str]) -> bool:
        if name not in apis.UUID_FUNCTIONS:
            return False
        if name == "uuid.uuid4":
            return self.ctx.policy.uuid4_is_weak
        return True

    def visit_Call(self, node: ast.Call) -> None:
        name = self.ctx.call_name(node)
        if not self._weak(name):
            return
        assert name is not None
        sinks = self._sinks(node)
        if not sinks:
            return
        target, template = self._replacement(node, name)
        message = self._message(node, name, sinks[0], template)
        fix = self._fix(node, name, target, template) if target is not None and template is not None else None
        self.report(node, message, fix, _level(name))

    def visit_Name(self, node: ast.AST) -> None:
        """`uuid.uuid1` handed to a field as the factory of its default value."""
        parent = self.ctx.module.parent(node)
        if not (isinstance(parent, ast.keyword) and parent.arg in _FACTORY_KEYWORDS and parent.value is node):
            return
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            return
        name = self.ctx.resolve(node)
        if not self._weak(name):
            return
        assert name is not None
        call = self._factory_call(node)
        if call is None:
            return
        sinks = [s for s in self._secret(self.ctx.flows.sinks(call), node) if s.kind != "api"]
        if not sinks:
            return
        reason = apis.UUID_FUNCTIONS[name]
        message = (
            f"`{name}` makes the default of {sinks[0].describe()}, but it {reason}; "
            f"use a `secrets.token_urlsafe` default"
        )
        self.report(node, message, level=_level(name))

    visit_Attribute = visit_Name

    def _sinks(self, node: ast.AST) -> List[Sink]:
        """Where the uuid becomes a secret: a secret name (not a bare `key`,
        which is more often a lookup key), a secret-making function's return
        value, a secret keyword, or a crypto API's key/nonce/IV.  A uuid that
        is the default of a field (`CharField(default=lambda: uuid1().hex)`)
        becomes what the field is bound to."""
        flows = self.ctx.flows
        top = flows.carrier_top(node)
        lam = self.ctx.module.parent(top)
        if isinstance(lam, ast.Lambda) and lam.body is top:
            field = self._factory_call(lam)
            return self._secret(flows.sinks(field), node) if field is not None else []
        found: List[Sink] = []
        for sink in flows.sinks(node):
            if sink.kind == "keyword" and sink.name in _FACTORY_KEYWORDS:
                holder = self.ctx.module.parent(sink.node)
                if isinstance(holder, ast.Call):
                    found.extend(flows.sinks(holder))
            else:
                found.append(sink)
        return self._secret(found, node)

    def _factory_call(self, value: ast.AST) -> Optional[ast.Call]:
        """The call that `value` is the default/default_factory keyword of."""
        keyword = self.ctx.module.parent(value)
        if isinstance(keyword, ast.keyword) and keyword.arg in _FACTORY_KEYWORDS:
            call = self.ctx.module.parent(keyword)
            if isinstance(call, ast.Call):
                return call
        return None

    def _secret(self, sinks: List[Sink], node: ast.AST) -> List[Sink]:
        found = []
        for sink in sinks:
            if sink.role is None:
                continue
            if sink.kind == "api":
                if sink.role.is_secret or sink.role.role in _API_ROLES:
                    found.append(sink)
            elif sink.role.is_secret and not (sink.role.weak and sink.kind != "return"):
                if not self._fallback_for_other(node, sink):
                    found.append(sink)
        if found and self._mixed_with_entropy(node):
            return []
        return found

    def _mixed_with_entropy(self, node: ast.AST) -> bool:
        """`f"{SECRET_KEY}{uuid1()}"`, `str(uuid1()) + secrets.token_hex()`:
        the value also holds a secret or fresh randomness, so it is not
        guessable from the uuid alone."""
        top = self.ctx.flows.carrier_top(node)
        if top is node:
            return False
        child = node
        for anc in self.ctx.module.ancestors(node):
            for other in ast.iter_child_nodes(anc):
                if other is child or (isinstance(anc, (ast.Call, ast.Attribute)) and other is getattr(anc, "func", None)):
                    continue
                if isinstance(anc, ast.Attribute):
                    continue
                for sub in ast.walk(other):
                    if isinstance(sub, ast.Call) and self.ctx.call_name(sub) in apis.FRESH_RANDOM:
                        return True
                    ident = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
                    role = self.ctx.classify(ident) if ident else None
                    if role is not None and role.is_secret and not role.weak:
                        return True
            if anc is top:
                return False
            child = anc
        return False

    def _fallback_for_other(self, node: ast.AST, sink: Sink) -> bool:
        """`token = idempotency_token or str(uuid4())`: the uuid stands in for
        a value whose own name says it is a non-secret kind of `token`."""
        assert sink.role is not None
        top = self.ctx.flows.carrier_top(node)
        for anc in [node, *self.ctx.module.ancestors(node)]:
            if isinstance(anc, ast.BoolOp):
                for other in anc.values:
                    ident = other.id if isinstance(other, ast.Name) else other.attr if isinstance(other, ast.Attribute) else None
                    if ident is None or self.ctx.classify(ident) is not None:
                        continue
                    if any(ROLE_WORDS.get(word) == sink.role.role for word in split_words(ident)):
                        return True
            if anc is top:
                break
        return False

    def _message(self, node: ast.Call, name: str, sink: Sink, template: Optional[str]) -> str:
        spelled = self.ctx.spelled(node.func)
        display = f"`{spelled}()`" if spelled == name or len(spelled) > 40 else f"`{spelled}()` (`{name}`)"
        reason = apis.UUID_FUNCTIONS[name]
        safer = (template or _TOKEN).split("(")[0]
        return f"{display} makes {sink.describe()}, but it {reason}; use `{safer}`"

    # ------------------------------------------------------------------ fix
    def _replacement(self, node: ast.Call, name: str) -> Tuple[Optional[ast.AST], Optional[str]]:
        """The expression to replace and what with, when the shape allows one."""
        parent = self.ctx.module.parent(node)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            template = _ATTRIBUTE_REPLACEMENTS.get(parent.attr)
            return (parent, template) if template else (None, None)
        if isinstance(parent, ast.Call) and node in parent.args:
            if self.ctx.call_name(parent) == "builtins.str" and len(parent.args) == 1 and not parent.keywords:
                return parent, _TOKEN
            return None, None
        if isinstance(parent, ast.FormattedValue):
            if parent.format_spec is None and parent.conversion in (-1, _STR_CONVERSION):
                return node, _TOKEN
            return None, None
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.Return, ast.keyword)):
            # The UUID object itself becomes a str: only where nothing reads
            # a UUID-only attribute (`.hex`, `.int`...) from it later.
            if self._object_uses_fit_str(parent):
                return node, _TOKEN
        return None, None

    def _object_uses_fit_str(self, stmt: ast.AST) -> bool:
        if isinstance(stmt, (ast.Return, ast.keyword)):
            return True
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]  # type: ignore[attr-defined]
        for target in targets:
            if not isinstance(target, ast.Name):
                if isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
                    return False
                continue
            for use in self.ctx.flows.uses(target):
                parent = self.ctx.module.parent(use)
                if isinstance(parent, ast.Attribute) and not hasattr(str, parent.attr):
                    return False
        return True

    def _fix(self, node: ast.Call, name: str, target: ast.AST, template: str) -> Optional[Fix]:
        if name in _DERIVED:
            return None
        # The replacement drops the call's arguments: only when they have no effect.
        for arg in list(node.args) + [kw.value for kw in node.keywords]:
            if any(isinstance(sub, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)) for sub in ast.walk(arg)):
                return None
        remove = import_of(self.ctx, node.func, "uuid")
        return Fix(
            title=f"Use `{template}`",
            applicability=Applicability.UNSAFE,
            edits=(Edit(self.ctx.span(target), template),),
            add_imports=(Import("secrets"),),
            remove_imports=(remove,) if remove is not None else (),
        )



def _level(name: str) -> Level:
    """`uuid4` secrets are reported only by a strict policy, below the rest:
    CPython draws them from `os.urandom`."""
    return Level.WARNING if name == "uuid.uuid4" else Level.ERROR
