"""The rule base class: dispatch from method names, the test-code policy, shared analyses."""

from __future__ import annotations

import ast
from dataclasses import replace

import pytest

from cryptolint.checks._base import Check, TestCode
from cryptolint.context import Context
from cryptolint.engine import _prefilter, for_file, lint_source, run_checks
from cryptolint.registry import check_classes
from tests.helpers import ALL_ON


class _Calls(Check):
    CODE = "CRY999"
    NAME = "calls"
    CATEGORY = "key-management"
    SUMMARY = "Every call and every name (a test rule)."
    MESSAGE = "a call"

    def visit_Call(self, node: ast.Call) -> None:
        self.report(node, f"call {self.ctx.spelled(node.func)}")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "x":
            self.report(node, "name x")


def test_node_types_come_from_the_method_names():
    assert _Calls.HANDLERS == {ast.Call: "visit_Call", ast.Name: "visit_Name"}
    assert set(_Calls.NODES) == {ast.Call, ast.Name}


def test_each_method_gets_its_own_node_type():
    found = run_checks(ast.parse("f(x)\n"), ["f(x)\n"], "app.py", ALL_ON, [_Calls])
    assert [(d.message, d.span.line, d.span.column, d.span.end_column) for d in found] == [
        ("call f", 1, 0, 4), ("name x", 1, 2, 3),
    ]


def test_a_misspelt_visit_method_is_refused():
    with pytest.raises(TypeError, match="`Cal` is not an `ast` node type"):
        type("Bad", (Check,), {"visit_Cal": lambda self, node: None})


@pytest.mark.parametrize("legacy", ["NODES", "visit"])
def test_the_old_dispatch_is_refused(legacy):
    with pytest.raises(TypeError, match=f"instead of `{legacy}`"):
        type("Old", (Check,), {legacy: ()})


def test_no_visit_method_asserts_the_type_of_its_node():
    """The engine hands each `visit_<Node>` only nodes of its type."""
    for cls in check_classes():
        assert cls.HANDLERS, cls.CODE
        source = ast.parse(open(__import__(cls.__module__, fromlist=["x"]).__file__, encoding="utf-8").read())
        for method in ast.walk(source):
            if isinstance(method, ast.FunctionDef) and method.name.startswith("visit_"):
                asserts = [n for n in ast.walk(method) if isinstance(n, ast.Assert) and "isinstance(node" in ast.unparse(n)]
                assert not asserts, f"{cls.CODE}.{method.name}"


def _rule(policy: TestCode) -> type:
    return type(f"Rule{policy.name}", (_Calls,), {"TEST_CODE": policy})


_FILES = {
    "production": ("app.py", "f()\n"),
    "test file": ("tests/test_app.py", "f()\n"),
    "harness": ("mypkg/testing.py", "import pytest\nf()\n"),
    "lab": ("labs/login.py", "# Deliberately vulnerable\nf()\n"),
}


@pytest.mark.parametrize(
    "policy, everything, runs_in",
    [
        (TestCode.REPORT, False, {"production", "test file", "harness", "lab"}),
        (TestCode.HELPERS, False, {"production", "harness"}),
        (TestCode.SKIP, False, {"production"}),
        (TestCode.SKIP, True, {"production", "test file", "harness", "lab"}),
        (TestCode.HELPERS, True, {"production", "test file", "harness", "lab"}),
    ],
)
def test_the_engine_applies_the_test_code_policy(policy, everything, runs_in):
    cls = _rule(policy)
    settings = replace(ALL_ON, all_rules_in_tests=everything)
    for kind, (path, text) in _FILES.items():
        assert list(for_file([cls], path, text, settings)) == ([cls] if kind in runs_in else []), kind
        lines = text.splitlines(True)
        found = run_checks(ast.parse(text), lines, path, settings, [cls])
        assert [(d.code, d.span.line, d.span.column) for d in found] == ([("CRY999", len(lines), 0)] if kind in runs_in else []), kind


def test_a_skipped_rule_leaves_the_file_unparsed(monkeypatch):
    """The policy is applied before the pre-filter and the parse: a test file
    that only skipping rules could flag is never parsed."""
    def no_parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(ast, "parse", no_parse)
    assert lint_source("import random\nrandom.random()\n", "tests/test_app.py", replace(ALL_ON, select=("CRY101",))) == []
    assert _prefilter("import random\n", for_file([c for c in check_classes() if c.CODE == "CRY101"], "tests/test_x.py", "", ALL_ON)) == []


def test_shared_analyses_are_built_once_per_file():
    built = []

    def analysis(ctx: Context) -> object:
        built.append(ctx)
        return object()

    tree = ast.parse("x = 1\n")
    ctx = Context("app.py", ["x = 1\n"], tree, ALL_ON)
    first = ctx.shared(analysis)
    assert ctx.shared(analysis) is first and built == [ctx]
    other = Context("app.py", ["x = 1\n"], tree, ALL_ON)
    assert other.shared(analysis) is not first and built == [ctx, other]


def test_the_nonce_and_cipher_rules_share_one_analysis_per_file(monkeypatch):
    from cryptolint.checks import _cipher_sites, _nonce_sites

    made = {"nonce": 0, "cipher": 0}
    for module, cls, key in ((_nonce_sites, "NonceSites", "nonce"), (_cipher_sites, "CipherSites", "cipher")):
        original = getattr(module, cls).__init__

        def counting(self, ctx, _original=original, _key=key):
            made[_key] += 1
            _original(self, ctx)

        monkeypatch.setattr(getattr(module, cls), "__init__", counting)
    source = "from Crypto.Cipher import AES\nAES.new(k, AES.MODE_GCM, nonce=b'x' * 12).encrypt(m)\n"
    lint_source(source, "app.py", ALL_ON)
    assert made == {"nonce": 1, "cipher": 1}


def test_spelled_folds_a_node_onto_one_line():
    text = "f(a,\n   b)\n"
    ctx = Context("app.py", text.splitlines(True), ast.parse(text), ALL_ON)
    assert ctx.spelled(ctx.tree.body[0].value) == "f(a, b)"  # type: ignore[attr-defined]


def test_a_fix_takes_the_declared_applicability():
    from cryptolint.diagnostic import Applicability, Edit, Span

    cls = type("Fixing", (_Calls,), {"FIX": Applicability.SAFE})
    ctx = Context("app.py", ["f()\n"], ast.parse("f()\n"), ALL_ON)
    edit = Edit(Span(1, 0, 1, 1), "g")
    assert cls(ctx).fix("Use g", [edit]).applicability is Applicability.SAFE
    assert cls(ctx).fix("Use g", [edit], applicability=Applicability.UNSAFE).applicability is Applicability.UNSAFE
    with pytest.raises(TypeError, match="declares no FIX"):
        _Calls(ctx).fix("Use g", [edit])


@pytest.mark.parametrize(
    "source, qualname, expected",
    [
        ("ssl.CERT_NONE", "ssl.CERT_NONE", "`ssl.CERT_NONE`"),
        ("NO_CHECK", "ssl.CERT_NONE", "`NO_CHECK` (`ssl.CERT_NONE`)"),
        ("x" * 45, None, "`" + "x" * 37 + "...`"),
    ],
)
def test_named_and_shown(source, qualname, expected):
    ctx = Context("app.py", [source + "\n"], ast.parse(source), ALL_ON)
    node = ctx.tree.body[0].value  # type: ignore[attr-defined]
    assert ctx.named(node, qualname) == expected


def test_shown_prefers_the_qualified_name_to_a_long_spelling():
    source = "some.deeply.nested.module.path.to.a.function_name(1)"
    ctx = Context("app.py", [source + "\n"], ast.parse(source), ALL_ON)
    call = ctx.tree.body[0].value  # type: ignore[attr-defined]
    assert ctx.shown(call.func, "lib.function_name()") == "lib.function_name"
    assert ctx.shown(call.func) == "some.deeply.nested.module.path.to.a.f..."
