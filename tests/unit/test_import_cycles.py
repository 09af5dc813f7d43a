"""No import cycles inside the package.

The graph is made of the imports that run when a module is imported (module
level, also inside `if`/`try`/`with` there); imports inside functions and
under `if TYPE_CHECKING:` run later or never, and are left out.  A cycle is
broken by moving the shared piece down a layer, never by deferring an
import: ARCHITECTURE.md lists every import made inside a function, and why
(tests/unit/test_architecture.py holds that list to the code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

from tests.layout import import_cycles, import_edges


def test_the_package_has_no_import_cycles():
    assert import_cycles() == []


def _package(root: Path, files: Dict[str, str]) -> Path:
    for name, text in {"__init__.py": "", **files}.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_cycle_test_sees_a_cycle(tmp_path: Path):
    pkg = _package(tmp_path, {
        "registry.py": "from pkg.checks._base import Check\n",
        "checks/__init__.py": "",
        "checks/_base.py": "import ast\nfrom pkg.registry import CATEGORIES\n",
        "engine.py": "from pkg import registry\n",
    })
    assert import_cycles(pkg) == [["pkg.checks._base", "pkg.registry"]]


def test_the_cycle_test_sees_a_cycle_through_relative_imports_and_blocks(tmp_path: Path):
    pkg = _package(tmp_path, {
        "a.py": "try:\n    from . import b\nexcept ImportError:\n    b = None\n",
        "b.py": "if True:\n    from .c import thing\n",
        "c.py": "from pkg.a import *\n",
    })
    assert import_cycles(pkg) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_deferred_and_type_only_imports_make_no_cycle(tmp_path: Path):
    pkg = _package(tmp_path, {
        "registry.py": "def classes():\n    from pkg.base import Check\n    return Check\n",
        "base.py": "from typing import TYPE_CHECKING\nfrom pkg.registry import classes\n"
                   "if TYPE_CHECKING:\n    from pkg.registry import Rule\n",
    })
    assert import_cycles(pkg) == []
    assert {(e.importer, e.imported, e.line, e.when) for e in import_edges(pkg) if e.imported.startswith("pkg")} == {
        ("pkg.registry", "pkg.base", 2, "function"),
        ("pkg.base", "pkg.registry", 2, "module"),
        ("pkg.base", "pkg.registry", 4, "typing"),
    }
