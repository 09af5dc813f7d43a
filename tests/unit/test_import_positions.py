"""Import names get the positions Python 3.10+ gives them on 3.9 too, so a
finding about an imported name is placed alike on every supported Python."""

from __future__ import annotations

import ast
import sys

import pytest

from cryptolint.context import place_import_names
from cryptolint.source import split_lines

FIELDS = ("lineno", "col_offset", "end_lineno", "end_col_offset")

SOURCES = [
    "import os, pyDes\n",
    "from Crypto.Cipher import (\n    AES,  # AES here is a comment\n    ARC4 as rc4,\n)\n",
    "import Crypto.Cipher.DES\n",
    "import Crypto . Cipher as c; import pyDes\n",
    "from Crypto.Cipher \\\n    import DES3, \\\n        Blowfish\n",
    "s = 'é'; import pyDes as des\n",
    "if True:\n    from . import ciphers, pyDes\n",
]


def _names(tree: ast.AST) -> list:
    return [a for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names]


@pytest.mark.skipif(sys.version_info < (3, 10), reason="compares with the positions Python 3.10 gives")
@pytest.mark.parametrize("source", SOURCES)
def test_placed_names_match_what_python_310_gives(source):
    expected = [tuple(getattr(a, f) for f in FIELDS) for a in _names(ast.parse(source))]
    tree = ast.parse(source)
    for alias in _names(tree):
        for field in FIELDS:
            delattr(alias, field)
    place_import_names(tree, split_lines(source))
    assert [tuple(getattr(a, f, None) for f in FIELDS) for a in _names(tree)] == expected


def test_names_that_have_positions_are_left_alone():
    tree = ast.parse("import pyDes\n")
    alias = _names(tree)[0]
    alias.lineno, alias.col_offset = 1, 7
    place_import_names(tree, ["import pyDes\n"])
    assert (alias.lineno, alias.col_offset) == (1, 7)
