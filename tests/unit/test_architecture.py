"""ARCHITECTURE.md, the map of the code, held to the code.

Every module and package of `cryptolint/` has a row in its module table,
every path it names exists, its layer table is the one the layer test
enforces (`tests.layout.LAYERS`), its table of imports made inside
functions is exactly what the code has, and its steps for adding a rule
name only what the rule base class, the context and the API tables have.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from cryptolint import rule as rule_records
from cryptolint.analysis import apis
from cryptolint.analysis.apis import _core
from cryptolint.checks import _base
from cryptolint.checks._base import Check, TestCode
from cryptolint.context import Context
from cryptolint.diagnostic import Applicability
from cryptolint.registry import check_classes
from cryptolint.settings import Settings
from tests.helpers import README, ROOT
from tests.layout import LAYERS, PACKAGE, Layer, import_edges, modules

MAP = ROOT / "ARCHITECTURE.md"
_TICKED = re.compile(r"`([^`]+)`")


def section(text: str, heading: str) -> str:
    """The body under the heading `heading` (any level), up to the next
    heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", text, re.M)
    assert match, f"no section {heading!r}"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, match.end())
    return text[match.end() : end.start() if end else len(text)]


def table(text: str) -> List[List[str]]:
    """The rows of the first Markdown table in `text`, header and rule left out."""
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def ticked(cell: str) -> List[str]:
    return _TICKED.findall(cell)


def document() -> str:
    return MAP.read_text(encoding="utf-8")


# ------------------------------------------------------------ module table
def module_rows(text: str) -> Dict[str, str]:
    """Module table: path -> role."""
    return {ticked(path)[0]: role for path, role in table(section(text, "Where each module lives"))}


def package_paths(root: Path = PACKAGE) -> Set[str]:
    """Every module of the package by path, a package by its folder (`cryptolint/fixer/`)."""
    found = set()
    for path in modules(root).values():
        relative = path.relative_to(root.parent).as_posix()
        found.add(relative[: -len("__init__.py")] if path.name == "__init__.py" else relative)
    return found


def test_every_module_and_package_has_a_row():
    listed, present = set(module_rows(document())), package_paths()
    assert sorted(present - listed) == [], "modules missing from the module table"
    assert sorted(listed - present) == [], "rows for modules that do not exist"


def test_the_module_table_sees_a_missing_and_a_stale_row():
    text = document().replace("| `cryptolint/plan.py` | the fix plan of one file |\n", "")
    text = text.replace("| `cryptolint/rule.py` |", "| `cryptolint/rules.py` |")
    listed, present = set(module_rows(text)), package_paths()
    assert sorted(present - listed) == ["cryptolint/plan.py", "cryptolint/rule.py"]
    assert sorted(listed - present) == ["cryptolint/rules.py"]


def test_each_rule_row_names_its_rule():
    by_file = {}
    for cls in check_classes():
        path = Path(__import__(cls.__module__, fromlist=["x"]).__file__ or "")
        relative = path.relative_to(ROOT).as_posix()
        by_file[relative[: -len("__init__.py")] if path.name == "__init__.py" else relative] = (cls.CODE, cls.NAME)
    named = {}
    for path, role in module_rows(document()).items():
        match = re.match(r"rule (CRY\d{3}) `([a-z0-9-]+)`", role)
        if match:
            named[path] = (match.group(1), match.group(2))
    assert named == by_file


# ------------------------------------------------------------------ paths
#: Where a named path starts, for it to count as one (names of modules
#: below `cryptolint/` in the layer table are checked against the layers).
_PATH = re.compile(r"^(?:cryptolint|tests|rules|fixtures|bench|\.ci)/\S*$")


def named_paths(text: str) -> List[str]:
    return sorted({token for token in _TICKED.findall(text) if _PATH.match(token)})


def missing_paths(text: str, root: Path = ROOT) -> List[str]:
    """Named paths with nothing behind them (`<name>` stands for any name)."""
    missing = []
    for token in named_paths(text):
        pattern = re.sub(r"<[^>]+>", "*", token).rstrip("/")
        if not any(root.glob(pattern)):
            missing.append(token)
    return missing


def test_every_path_the_map_names_exists():
    text = document()
    assert set(module_rows(text)) <= set(named_paths(text))
    assert missing_paths(text) == []


def test_the_path_test_sees_a_wrong_path():
    text = document() + "\nSee `cryptolint/fixing.py`, `tests/unit/<x>_nowhere.py` and `rules/<CODE>-<name>.md`.\n"
    assert missing_paths(text) == ["cryptolint/fixing.py", "tests/unit/<x>_nowhere.py"]


# ----------------------------------------------------------------- layers
def layers_of(text: str) -> Tuple[Layer, ...]:
    found = []
    for name, holds, may_import in table(section(text, "Layers")):
        found.append(Layer(ticked(name)[0], tuple(ticked(holds)), tuple(ticked(may_import))))
    return tuple(found)


def test_the_layer_table_is_the_one_the_layer_test_enforces():
    assert layers_of(document()) == LAYERS


def test_the_layer_comparison_sees_a_changed_layer():
    text = document().replace(
        "| `pipeline` | `results.py`, `suppression.py`, `project.py`, `cache.py`, `config.py`, `discovery.py`, "
        "`runner.py`, `baseline.py`, `gitdiff.py`, `fixer/` | `analysis`, `core`, `engine` |",
        "| `pipeline` | `results.py`, `suppression.py`, `project.py`, `cache.py`, `config.py`, `discovery.py`, "
        "`runner.py`, `baseline.py`, `gitdiff.py`, `fixer/` | `analysis`, `core`, `engine`, `rules` |",
    )
    assert text != document()
    changed = [(a, b) for a, b in zip(layers_of(text), LAYERS) if a != b]
    assert [(a.name, a.may_import, b.may_import) for a, b in changed] == [
        ("pipeline", ("analysis", "core", "engine", "rules"), ("analysis", "core", "engine"))
    ]


# ----------------------------------------------------- imports in functions
def _module(token: str) -> str:
    """`cryptolint/fixer/__init__.py` -> `cryptolint.fixer`; other names as they are."""
    if not token.endswith(".py"):
        return token
    parts = token[: -len(".py")].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def documented_deferred(text: str) -> Set[Tuple[str, str]]:
    rows = table(section(text, "Imports made inside functions"))
    return {(_module(ticked(importer)[0]), _module(imported)) for importer, cell, _ in rows for imported in ticked(cell)}


def test_every_import_inside_a_function_is_listed_with_its_reason():
    code = {(edge.importer, edge.imported) for edge in import_edges() if edge.when == "function"}
    assert sorted(code - documented_deferred(document())) == [], "imports inside functions the map does not explain"
    assert sorted(documented_deferred(document()) - code) == [], "listed imports the code no longer defers"


def test_the_deferred_import_table_sees_a_missing_row():
    text = document().replace("| `cryptolint/syntax_hints.py` | `libcst` |", "| `cryptolint/syntax_hints.py` | |")
    code = {(edge.importer, edge.imported) for edge in import_edges() if edge.when == "function"}
    assert sorted(code - documented_deferred(text)) == [("cryptolint.syntax_hints", "libcst")]


# ---------------------------------------------------------------- families
def families_of(text: str) -> Dict[str, str]:
    return {ticked(family)[0]: ticked(codes)[0] for family, codes in table(section(text, "Rule families"))}


def test_the_family_table_is_the_registry_s():
    assert families_of(document()) == rule_records.CATEGORIES


def test_the_family_table_test_sees_a_changed_prefix():
    text = document().replace("| `comparisons` | `CRY4` |", "| `comparisons` | `CRY8` |")
    assert {k: v for k, v in families_of(text).items() if rule_records.CATEGORIES[k] != v} == {"comparisons": "CRY8"}


# ------------------------------------------------------------ adding a rule
def _context() -> Context:
    source = "import hashlib\n"
    return Context("example.py", source.splitlines(keepends=True), ast.parse(source), Settings())


def _class_attributes() -> Set[str]:
    return {name for name in Check.__annotations__ if name.isupper()}


def unknown_names(text: str) -> List[str]:
    """Names in the steps for adding a rule that the code does not have: a
    rule's class attributes (upper case; the families' `CATEGORIES` too),
    `self.` and `self.ctx.` members, enum members, `apis.` tables and
    functions, and the classes the steps name."""
    ctx = _context()
    owners = {"self.ctx.": ctx, "self.": Check, "TestCode.": TestCode, "Applicability.": Applicability, "apis.": apis}
    classes = (_base, apis, _core)
    unknown = []
    for token in ticked(section(text, "Adding a rule")):
        name = token.split(" = ")[0].split("(")[0]
        if name in ("None", "True", "False"):
            continue
        if re.fullmatch(r"[A-Z][A-Z_]+", name):
            known = name in _class_attributes() or hasattr(rule_records, name)
        elif re.fullmatch(r"_?[A-Za-z]\w*", name) and (name[0].isupper() or name.startswith("_")):
            known = any(hasattr(module, name) for module in classes)
        else:
            prefix = next((p for p in owners if name.startswith(p)), None)
            known = prefix is None or hasattr(owners[prefix], name[len(prefix) :])
        if not known:
            unknown.append(token)
    return unknown


def test_adding_a_rule_names_only_what_the_code_has():
    assert unknown_names(document()) == []


def test_adding_a_rule_names_every_class_attribute_of_a_rule():
    named = {token.split(" = ")[0] for token in ticked(section(document(), "Adding a rule"))}
    assert sorted(_class_attributes() - named) == []


def test_the_rule_steps_test_sees_a_renamed_attribute():
    text = document().replace("in `TRIGGERS`:", "in `TRIGGER_WORDS`:").replace(
        "`self.ctx.control`", "`self.ctx.controls`"
    ).replace("`TestCode.SKIP`", "`TestCode.SKIPPED`").replace("subclass of `Check`", "subclass of `Checker`")
    assert unknown_names(text) == ["Checker", "TestCode.SKIPPED", "TRIGGER_WORDS", "self.ctx.controls"]


def test_the_readme_points_rule_writers_to_the_map():
    development = section(README.read_text(encoding="utf-8"), "Development")
    writing_a_rule = development.split("**Writing a rule.**")[1].split("**Tests.**")[0]
    assert "[ARCHITECTURE.md](ARCHITECTURE.md)" in writing_a_rule


SECTIONS = [
    "One file, start to finish", "One engine, several front ends", "The project pass and the cache",
    "Layers", "Imports made inside functions", "Rule families", "Adding a rule", "The fix model", "Where each module lives",
]


@pytest.mark.parametrize("heading", SECTIONS)
def test_the_map_has_its_sections(heading: str):
    assert section(document(), heading).strip()
