"""The package's layers, read from its imports.

- `analysis/` knows Python and crypto APIs, nothing of rules, context or
  front ends: it imports only `analysis/` (and the standard library);
- a rule module (`checks/<rule>.py`) imports no other rule module: what two
  rules share lives in a family module (`checks/_<family>.py`) or lower;
- a family module imports no rule module.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

from tests.helpers import ROOT
from tests.layout import Layer, from_target, layer_violations

PACKAGE = ROOT / "cryptolint"


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(root: Path) -> Iterator[Tuple[str, str, int]]:
    """(importing module, imported module or module.name, line) for every
    import of the package under `root`, at any depth of the code."""
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield module, alias.name, node.lineno
            elif isinstance(node, ast.ImportFrom):
                target = from_target(node, module, is_package)
                yield module, target, node.lineno
                for alias in node.names:
                    yield module, f"{target}.{alias.name}", node.lineno


def _rule_module(name: str, root: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 3 and parts[:2] == [root, "checks"] and not parts[2].startswith("_")


def _family_module(name: str, root: str) -> bool:
    parts = name.split(".")
    return len(parts) == 3 and parts[:2] == [root, "checks"] and parts[2].startswith("_")


def violations(root: Path) -> List[str]:
    """Every import of the package under `root` that crosses a layer the wrong way."""
    name = root.name
    found = []
    for importer, imported, line in imports(root):
        if not imported.startswith(name + ".") and imported != name:
            continue
        where = f"{importer}:{line} imports {imported}"
        if importer.startswith(f"{name}.analysis") and not imported.startswith(f"{name}.analysis"):
            found.append(f"{where}: analysis/ imports upward")
        if _rule_module(imported, name) and ".".join(imported.split(".")[:3]) != ".".join(importer.split(".")[:3]):
            if _rule_module(importer, name):
                found.append(f"{where}: a rule imports another rule")
            elif _family_module(importer, name):
                found.append(f"{where}: a family module imports a rule")
    return sorted(set(found))


def test_the_package_keeps_its_layers():
    assert violations(PACKAGE) == []


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    for folder in ("analysis", "checks"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "context.py").write_text("from pkg.analysis import values\n")
    (root / "analysis" / "values.py").write_text("import ast\nfrom pkg.analysis import names\n")
    (root / "analysis" / "names.py").write_text("")
    (root / "checks" / "_family.py").write_text("from pkg.analysis import names\n")
    (root / "checks" / "first.py").write_text("from pkg.checks._family import x\nfrom pkg.context import Context\n")
    (root / "checks" / "second.py").write_text("from pkg.checks import _family\n")
    return root


def test_the_layer_test_passes_a_clean_package(synthetic: Path):
    assert violations(synthetic) == []


def test_the_layer_test_sees_analysis_import_upward(synthetic: Path):
    (synthetic / "analysis" / "names.py").write_text("def f():\n    from pkg.context import Context\n")
    assert set(violations(synthetic)) == {
        "pkg.analysis.names:2 imports pkg.context: analysis/ imports upward",
        "pkg.analysis.names:2 imports pkg.context.Context: analysis/ imports upward",
    }


@pytest.mark.parametrize(
    "statement, imported",
    [
        ("from pkg.checks.first import Rule\n", "pkg.checks.first"),
        ("from pkg.checks import first\n", "pkg.checks.first"),
        ("from . import first\n", "pkg.checks.first"),
        ("import pkg.checks.first\n", "pkg.checks.first"),
    ],
)
def test_the_layer_test_sees_a_rule_import_a_rule(synthetic: Path, statement: str, imported: str):
    (synthetic / "checks" / "second.py").write_text(statement)
    assert f"pkg.checks.second:1 imports {imported}: a rule imports another rule" in violations(synthetic)


def test_the_layer_test_sees_a_family_module_import_a_rule(synthetic: Path):
    (synthetic / "checks" / "_family.py").write_text("from pkg.checks.first import helper\n")
    assert set(violations(synthetic)) == {
        "pkg.checks._family:1 imports pkg.checks.first: a family module imports a rule",
        "pkg.checks._family:1 imports pkg.checks.first.helper: a family module imports a rule",
    }


def test_the_api_package_reexports_every_public_table():
    """`apis.NAME` reads every table of every family module, so a rule need
    not know which module holds it."""
    from cryptolint.analysis import apis

    folder = PACKAGE / "analysis" / "apis"
    modules = sorted(p for p in folder.glob("*.py") if p.name != "__init__.py")
    assert {p.stem for p in modules} >= {"_core", "ciphers", "hashes", "kdfs", "keys", "tls", "jwt"}
    for path in modules:
        defined = set()
        for stmt in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
                defined.add(stmt.name)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                defined.add(stmt.target.id)
            elif isinstance(stmt, ast.Assign):
                defined.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        module = __import__(f"cryptolint.analysis.apis.{path.stem}", fromlist=["x"])
        missing = sorted(n for n in defined if not n.startswith("_") and getattr(apis, n, None) is not getattr(module, n))
        assert not missing, f"{path.stem}: {missing}"


def vocabulary_misuses(root: Path) -> List[str]:
    """String literals compared with an API's `kind`, or used as a key of its
    `facts`, that are not in the `Kind`/`Fact` vocabularies: a typo there
    turns a rule off silently."""
    from cryptolint.analysis.apis import Fact, Kind

    kinds, facts = {k.value for k in Kind}, {f.value for f in Fact}
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "kind":
                owner = ast.unparse(node.left.value)
                if not owner.endswith("api"):
                    continue
                for right in node.comparators:
                    elts = right.elts if isinstance(right, (ast.Tuple, ast.List, ast.Set)) else [right]
                    for elt in elts:
                        if isinstance(elt, ast.Constant) and isinstance(elt.value, str) and elt.value not in kinds:
                            found.append(f"{where}: unknown kind {elt.value!r}")
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and node.targets[0].id.endswith("_KINDS"):
                for elt in ast.walk(node.value):
                    if isinstance(elt, ast.Constant) and isinstance(elt.value, str) and elt.value not in kinds:
                        found.append(f"{where}: unknown kind {elt.value!r}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "facts" and node.args:
                key = node.args[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in facts:
                    found.append(f"{where}: unknown fact {key.value!r}")
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "facts":
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in facts:
                    found.append(f"{where}: unknown fact {key.value!r}")
    return found


def test_rules_use_only_known_kinds_and_facts():
    assert vocabulary_misuses(PACKAGE) == []


def test_the_vocabulary_test_sees_a_typo(tmp_path: Path):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "rule.py").write_text(
        "_MAC_KINDS = frozenset({'mac', 'hmca'})\n"
        "if api.kind == 'pbkdf'  or site.api.kind in ('scrypt', 'argon'):\n"
        "    x = api.facts.get('nonce_sise'), api.facts['mode'], api.facts['mdoe']\n",
        encoding="utf-8",
    )
    assert vocabulary_misuses(root) == [
        "pkg/rule.py:1: unknown kind 'hmca'",
        "pkg/rule.py:2: unknown kind 'pbkdf'",
        "pkg/rule.py:2: unknown kind 'argon'",
        "pkg/rule.py:3: unknown fact 'nonce_sise'",
        "pkg/rule.py:3: unknown fact 'mdoe'",
    ]


def test_a_table_entry_with_an_unknown_kind_or_fact_fails_when_it_loads():
    from cryptolint.analysis.apis._core import _api

    assert _api("m.f", "mac", {"key": (0, "key")}, library="m").kind == "mac"
    with pytest.raises(ValueError, match="'hmca' is not a valid Kind"):
        _api("m.f", "hmca")
    with pytest.raises(ValueError, match="'libary' is not a valid Fact"):
        _api("m.f", "mac", libary="m")


def test_the_package_keeps_the_layers_of_its_map():
    """The layer table of ARCHITECTURE.md (`tests.layout.LAYERS`): every
    module in one layer, every import into a layer its own may import."""
    assert layer_violations() == []


def test_the_layer_table_sees_an_import_across_layers(synthetic: Path):
    (synthetic / "registry.py").write_text("from pkg.checks import first\n")
    (synthetic / "checks" / "_family.py").write_text("import pkg.registry\n")
    (synthetic / "checks" / "second.py").write_text("from pkg.checks.first import helper\n")
    (synthetic / "analysis" / "names.py").write_text("from pkg.diagnostic import Span\n")
    (synthetic / "diagnostic.py").write_text("")
    (synthetic / "stray.py").write_text("")
    layers = (
        Layer("analysis", ("analysis/",), ()),
        Layer("core", ("__init__.py", "diagnostic.py"), ()),
        Layer("context", ("context.py",), ("analysis", "core")),
        Layer("families", ("checks/__init__.py", "checks/_*.py"), ("analysis", "core", "context")),
        Layer("rules", ("checks/[!_]*",), ("analysis", "core", "context", "families")),
        Layer("engine", ("registry.py",), ("rules", "families")),
    )
    assert layer_violations(synthetic, layers) == [
        "pkg.analysis.names:1 imports pkg.diagnostic: analysis may not import core",
        "pkg.checks._family:1 imports pkg.registry: families may not import engine",
        "pkg.checks.second:1 imports pkg.checks.first: a rule imports another rule",
        "stray.py: in no layers []",
    ]
    (synthetic / "stray.py").unlink()
    assert "diagnostic.py: in 2 layers ['core', 'engine']" in layer_violations(
        synthetic, layers[:-1] + (Layer("engine", ("registry.py", "diagnostic.py"), ()),)
    )
