"""Meta-tests over the catalogue: codes, names, families, fixes, modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cryptolint.checks._base import Check
from cryptolint.diagnostic import Applicability
from cryptolint.registry import CATEGORIES, all_rules, check_classes

CLASSES = check_classes()


def test_codes_and_names_are_unique():
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


@pytest.mark.parametrize("cls", CLASSES, ids=[c.CODE for c in CLASSES])
def test_metadata(cls):
    assert re.fullmatch(r"CRY[1-9]\d\d", cls.CODE)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cls.NAME)
    assert cls.CATEGORY in CATEGORIES
    assert cls.CODE.startswith(CATEGORIES[cls.CATEGORY])
    cls.validate()
    assert cls.SUMMARY and cls.MESSAGE
    assert not cls.MESSAGE.endswith(".") and not cls.MESSAGE.startswith("CRY")
    assert cls.NODES and all(issubclass(t, ast.AST) for t in cls.NODES)
    assert cls.FIX is None or isinstance(cls.FIX, Applicability)
    assert all(t == t.lower() for t in cls.TRIGGERS)


@pytest.mark.parametrize("cls", CLASSES, ids=[c.CODE for c in CLASSES])
def test_module_and_class_follow_the_rule_name(cls):
    module = cls.__module__.rsplit(".", 1)[-1]
    assert module == cls.NAME.replace("-", "_")
    assert cls.__name__ == "".join(part.capitalize() for part in cls.NAME.split("-"))
    assert not cls.__name__.endswith("Rule")


def test_one_rule_per_module():
    modules = [cls.__module__ for cls in CLASSES]
    assert len(modules) == len(set(modules))


def test_checks_never_import_the_libraries_they_inspect():
    package = Path(__import__("cryptolint.checks", fromlist=["x"]).__file__).parent
    forbidden = {"cryptography", "Crypto", "Cryptodome", "bcrypt", "argon2", "nacl", "jwt", "passlib", "libcst"}
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"


def test_check_subclasses_are_all_registered():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    registered = set(CLASSES)
    for sub in subclasses(Check):
        if sub.__module__.startswith("cryptolint.checks."):
            assert sub in registered
