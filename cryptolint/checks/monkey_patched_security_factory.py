"""CRY707: a security factory of the standard library or a client replaced for the whole process."""

from __future__ import annotations

import ast
from typing import List, Optional

from cryptolint.analysis import apis
from cryptolint.checks._base import Check, TestCode
from cryptolint.checks._checking_optout import user_choice
from cryptolint.checks._library_refs import find
from cryptolint.context import Context

#: Identifiers (lower case, without `_`) that promise a cryptographic generator.
_CSPRNG_NAMES = ("systemrandom", "sysrand", "securerandom", "securerng", "csprng", "cryptorandom", "cryptorng", "urandom")
_EVERYONE = "so every part of the program, its libraries included, silently loses that protection"


class MonkeyPatchedSecurityFactory(Check):
    CODE = "CRY707"
    NAME = "monkey-patched-security-factory"
    CATEGORY = "key-management"
    SUMMARY = (
        "A security factory is replaced for the whole process (`ssl.create_default_context = ...`, `os.urandom = ...`, "
        "`requests.Session.verify = False`), a name that promises a CSPRNG holds `random.Random`, or urllib3's warning "
        "is silenced beside switched-off checking."
    )
    MESSAGE = f"A security factory is replaced for the whole process, {_EVERYONE}; leave it alone and configure the one call that needs it"
    #: Test suites patch these factories on purpose (and restore them); a
    #: shipped helper that does so patches its users' process.
    TEST_CODE = TestCode.HELPERS
    CWE = (295, 338, 693)
    TRIGGERS = ("ssl", "urandom", "secrets", "random", "requests", "urllib3", "compare_digest")

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self._silencers: List[ast.Call] = []
        self._switched_off: List[ast.AST] = []

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value, node)

    def visit_Call(self, node: ast.Call) -> None:
        self._call(node)

    # ------------------------------------------------------ replacements
    def _assigned(self, target: ast.expr, value: ast.expr, node: ast.AST) -> None:
        if isinstance(target, ast.Attribute):
            self._replaced(self.ctx.resolve(target), self.ctx.shown(target), value, node)
            if target.attr == "verify" and self.ctx.values.is_false(value):
                self._switched_off.append(value)
            elif target.attr in apis.SSL_CONTEXT_SWITCHES and (self.ctx.values.is_false(value) or self.ctx.resolve(value) in apis.CERT_NONE_CONSTANTS):
                self._switched_off.append(value)
        elif isinstance(target, ast.Name):
            self._csprng_name(target, value)

    def _call(self, call: ast.Call) -> None:
        name = self.ctx.module.call_name_through_with(call)
        if name is not None and name in apis.MOCK_PATCHERS:
            self._mock_patch(call, apis.MOCK_PATCHERS[name])
            return
        if self._monkeypatch_setattr(call, name):
            return
        if name == "builtins.setattr" and len(call.args) == 3:
            owner, attr, value = call.args
            text = self.ctx.values.string(attr)
            resolved = self.ctx.resolve(owner)
            if text is not None and resolved is not None:
                self._replaced(f"{resolved}.{text}", f"{self.ctx.shown(owner)}.{text}", value, call)
            return
        if name in apis.WARNING_SILENCERS and self._silences_insecure_requests(call, name):
            self._silencers.append(call)
        for kw in call.keywords:
            if kw.arg in ("verify", "ssl", "verify_ssl") and self.ctx.values.is_false(kw.value):
                self._switched_off.append(kw.value)
            elif kw.arg == "cert_reqs" and (
                self.ctx.resolve(kw.value) in apis.CERT_NONE_CONSTANTS or (self.ctx.values.string(kw.value) or "").upper() in apis.CERT_NONE_NAMES
            ):
                self._switched_off.append(kw.value)

    def _replaced(self, qualname: Optional[str], shown: str, value: ast.expr, node: ast.AST) -> None:
        if qualname is None or user_choice(self.ctx, node):
            return
        what = apis.SECURITY_FACTORIES.get(qualname)
        if what is not None:
            installed = self.ctx.resolve(value)
            if installed == qualname or self._unverified_maker(value):
                return  # restored, or installing the unverified maker (CRY704 reports and fixes that)
            if qualname == "ssl._create_default_https_context" and installed == "ssl.create_default_context":
                return
            self.report(
                node.targets[0] if isinstance(node, ast.Assign) else node,
                f"`{shown} = {self.ctx.shown(value)}` replaces {what}, {_EVERYONE}; "
                "leave it alone and configure the one call that needs something else",
            )
        elif qualname in apis.CHECKING_DEFAULTS and self.ctx.values.is_false(value):
            self.report(value, f"`{shown} = False` turns certificate checking off for every `requests` session of the process, {_EVERYONE}; leave the default")
        elif qualname in apis.CHECKING_METHODS and self._passes_verify_false(value):
            self.report(value, f"`{shown}` is replaced by a wrapper that passes `verify=False` to every call, {_EVERYONE}; leave it alone")

    # ------------------------------------------------------ test doubles
    def _mock_patch(self, call: ast.Call, form: str) -> None:
        """`mock.patch("os.urandom", fake)`, `mock.patch.object(ssl, "create_default_context")`:
        a replacement for as long as the patcher is active."""
        if form == "path":
            target = call.args[0] if call.args else apis.keyword_value(call, "target")
            path = self.ctx.values.string(target) if target is not None else None
            if target is None or path is None:
                return
            qualname, shown, where, rest = path, path, target, 1
        else:
            if len(call.args) < 2:
                return
            owner, attr = call.args[:2]
            text, resolved = self.ctx.values.string(attr), self.ctx.resolve(owner)
            if text is None or resolved is None:
                return
            qualname, shown, where, rest = f"{resolved}.{text}", f"{self.ctx.shown(owner)}.{text}", attr, 2
        if qualname not in apis.SECURITY_FACTORIES or not self._active(call):
            return
        new = call.args[rest] if len(call.args) > rest else apis.keyword_value(call, "new")
        wraps = apis.keyword_value(call, "wraps")
        if new is None and wraps is not None and self.ctx.resolve(wraps) == qualname:
            return  # a spy that still calls the real factory
        self._patched(qualname, shown, new, where, self.ctx.spelled(call.func))

    def _monkeypatch_setattr(self, call: ast.Call, name: Optional[str]) -> bool:
        """pytest's `monkeypatch.setattr(ssl, "create_default_context", fake)`
        or `monkeypatch.setattr("os.urandom", fake)`, which replace at once."""
        func = call.func
        fixture = isinstance(func, ast.Attribute) and func.attr == "setattr" and isinstance(func.value, ast.Name) and func.value.id == apis.MONKEYPATCH_FIXTURE
        if name not in apis.MONKEYPATCH_SETATTR and not fixture:
            return False
        first = call.args[0] if call.args else None
        path = self.ctx.values.string(first) if first is not None else None
        if first is not None and path is not None and len(call.args) >= 2:
            self._patched(path, path, call.args[1], first, self.ctx.spelled(func))
        elif len(call.args) >= 3:
            owner, attr, value = call.args[:3]
            text, resolved = self.ctx.values.string(attr), self.ctx.resolve(owner)
            if text is not None and resolved is not None:
                self._patched(f"{resolved}.{text}", f"{self.ctx.shown(owner)}.{text}", value, attr, self.ctx.spelled(func))
        return True

    def _patched(self, qualname: str, shown: str, new: Optional[ast.expr], where: ast.expr, how: str) -> None:
        what = apis.SECURITY_FACTORIES.get(qualname)
        if what is None or user_choice(self.ctx, where) or self._in_test(where):
            return
        if new is not None and (self.ctx.resolve(new) == qualname or self._unverified_maker(new)):
            return  # restored, or installing the unverified maker (CRY704 reports and fixes that)
        self.report(
            where,
            f"`{how}` replaces `{shown}`, {what}, while it is active, {_EVERYONE}; outside a test suite, "
            "patch the one caller's own reference or pass what it needs",
        )

    def _in_test(self, node: ast.AST) -> bool:
        """`node` belongs to a test a runner collects, wherever its file is:
        a `test*` function (or its decorator), a method of a `Test*` class
        or of a `TestCase`."""
        for anc in self.ctx.module.ancestors(node):
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef)) and anc.name.startswith("test"):
                return True
            if isinstance(anc, ast.ClassDef) and (
                anc.name.startswith("Test") or any(self.ctx.spelled(base).endswith("TestCase") for base in anc.bases)
            ):
                return True
        return False

    def _active(self, call: ast.Call) -> bool:
        """The patcher takes effect: a decorator, a `with` item, an
        `ExitStack.enter_context` argument, or a patcher whose `.start()` is called."""
        parent = self.ctx.module.parent(call)
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return call in parent.decorator_list
        if isinstance(parent, ast.withitem) or (isinstance(parent, ast.Attribute) and parent.attr == "start"):
            return True
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr == "enter_context":
            return call in parent.args
        if not isinstance(parent, ast.Assign) or len(parent.targets) != 1:
            return False
        target = parent.targets[0]
        if isinstance(target, ast.Name):
            return any(self._started(use) for use in self.ctx.flows.uses(target))
        if isinstance(target, ast.Attribute):
            shown = self.ctx.spelled(target)
            return any(
                isinstance(other.func, ast.Attribute) and other.func.attr == "start" and self.ctx.spelled(other.func.value) == shown
                for other in self.ctx.module.nodes_of(ast.Call)
            )
        return False

    def _started(self, use: ast.Name) -> bool:
        attr = self.ctx.module.parent(use)
        return isinstance(attr, ast.Attribute) and attr.attr == "start" and isinstance(self.ctx.module.parent(attr), ast.Call)

    def _unverified_maker(self, value: ast.expr) -> bool:
        return any(
            isinstance(sub, (ast.Name, ast.Attribute)) and self.ctx.resolve(sub) in apis.UNVERIFIED_CONTEXT_MAKERS
            for sub in ast.walk(value)
        )

    def _passes_verify_false(self, value: ast.expr) -> bool:
        for sub in ast.walk(value):
            if isinstance(sub, ast.keyword) and sub.arg == "verify" and self.ctx.values.is_false(sub.value):
                return True
        return False

    def _csprng_name(self, target: ast.Name, value: ast.expr) -> None:
        """`sysrand = random.Random()`: a name that promises a CSPRNG bound to a predictable generator."""
        flat = target.id.lower().replace("_", "")
        if not any(word in flat for word in _CSPRNG_NAMES):
            return
        ref = find(self.ctx, value)
        made = None
        if ref is not None and ref.qualname is not None:
            made = ref.qualname + ("()" if ref.call is not None and not ref.qualname.endswith("()") else "")
        if made is None or not (made in apis.PREDICTABLE_GENERATORS or made.rstrip("()") in apis.PREDICTABLE_GENERATORS):
            return
        self.report(
            value,
            f"`{target.id}` promises a cryptographic generator but holds `{self.ctx.shown(value)}`, whose output can be "
            "predicted from what it gave before; use `random.SystemRandom()` or `secrets`, and fail rather than fall back",
        )

    # --------------------------------------------------------- warnings
    def _silences_insecure_requests(self, call: ast.Call, name: str) -> bool:
        if user_choice(self.ctx, call):
            return False
        if name.startswith("warnings."):
            category = apis.keyword_value(call, "category")
            if category is None and len(call.args) > 1:
                category = call.args[1]
            return category is not None and self.ctx.resolve(category) in apis.INSECURE_REQUEST_WARNINGS
        category = call.args[0] if call.args else apis.keyword_value(call, "category")
        return category is None or self.ctx.resolve(category) in apis.INSECURE_REQUEST_WARNINGS

    def finish(self) -> None:
        if not self._switched_off:
            return
        first = min(self._switched_off, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
        for call in self._silencers:
            self.report(
                call,
                f"`{self.ctx.shown(call)}` hides the warning urllib3 gives for each unchecked HTTPS request, in a module "
                f"that switches checking off (line {getattr(first, 'lineno', 0)}), so nobody sees where it happens; "
                "turn checking on instead of the warning off",
            )


