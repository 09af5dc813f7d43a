"""CRY001 says when a file is written for a newer Python than the one running
cryptolint (and which), or looks like Python 2, and what to do.

Each case runs on every supported interpreter: where the running Python has
the feature the file parses and there is no CRY001 at all; where it does not,
the parser's own message and position come first and the hint follows."""

from __future__ import annotations

import ast
import sys
from typing import Optional, Tuple

import pytest

from cryptolint.engine import lint_source

NEWER = "{what} needs Python {v} or later and cryptolint runs on Python {r}; run cryptolint with Python {v}+ (pre-commit: `language_version: python{v}`)"
PY2 = "this looks like Python 2 ({what}), which cryptolint does not read; port the file to Python 3 or exclude it"
RUNNING = f"{sys.version_info[0]}.{sys.version_info[1]}"

# (source, the version it needs, what the hint names); every file mentions
# `random` so that the pre-filter hands it to the parser.
NEWER_CASES = {
    "type-statement": ("import random\ntype Key = bytes\n", (3, 12), "a `type` statement (PEP 695)"),
    "generic-def": ("import random\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n", (3, 12),
                    "a generic function or class (PEP 695)"),
    "generic-class": ("import random\nclass Box[T]:\n    pass\n", (3, 12), "a generic function or class (PEP 695)"),
    "type-param-default": ("import random\ndef f[T = int](x: T) -> T:\n    return x\n", (3, 13),
                           "a type parameter default (PEP 696)"),
    "fstring-quotes": ('import random\nd = {"a": 1}\nx = f"{d["a"]}"\n', (3, 12),
                       "this f-string (PEP 701: quotes, backslashes or comments inside the braces)"),
    "fstring-backslash": ("import random\ny = f\"{'\\n'.join(['a'])}\"\n", (3, 12),
                          "this f-string (PEP 701: quotes, backslashes or comments inside the braces)"),
    "except-star": ("import random\ntry:\n    pass\nexcept* ValueError:\n    pass\n", (3, 11), "`except*` (PEP 654)"),
    "match": ("import random\nmatch random.random():\n    case 1:\n        pass\n", (3, 10),
              "a `match` statement (PEP 634)"),
    "template-string": ("import random\nname = 'x'\nx = t'hello {name}'\n", (3, 14), "a template string (PEP 750)"),
}

PY2_CASES = {
    "print": ("import random\nprint 'hello', random.random()\n", "a `print` statement"),
    "exec": ("import random\nexec 'x = 1'\n", "an `exec` statement"),
    "except-comma": ("import random\ntry:\n    pass\nexcept ValueError, e:\n    pass\n", "`except X, e:`"),
    "backticks": ("import random\nx = `random.random()`\n", "backticks for `repr`"),
    "octal": ("import os, random\nos.chmod('f', 0777)\n", "an octal literal like `0777`"),
    "ur-prefix": ("import random\nx = ur'abc'\n", "a `ur''` string prefix"),
    "long": ("import random\nx = 10L\n", "a long integer like `10L`"),
    "raise-comma": ("import random\nraise ValueError, 'bad'\n", "`raise E, message`"),
    "not-equal": ("import random\nif 1 <> 2:\n    pass\n", "the `<>` operator"),
}

#: Broken files that only look like a feature: no hint may excuse them.
BROKEN = {
    "plain": "import random\ndef f(:\n    pass\n",
    "match-as-a-name-then-garbage": "import random\nmatch = 3\nmatch x:\n",
    "newer-feature-and-a-real-mistake": 'import random\nd = {"a": 1}\nx = f"{d["a"]}"\ntype X = = 1\n',
    "backtick-in-a-string": "import random\nx = '`'\ndef f(:\n    pass\n",
}


def parse_error(source: str) -> Optional[Tuple[int, int, str]]:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return exc.lineno or 1, max((exc.offset or 1) - 1, 0), exc.msg
    return None


def cry001(source: str):
    return [(d.line, d.column, d.message) for d in lint_source(source.encode(), "x.py") if d.code == "CRY001"]


@pytest.mark.parametrize("name", sorted(NEWER_CASES))
def test_syntax_of_a_newer_python_is_named_with_its_version(name):
    source, needed, what = NEWER_CASES[name]
    error = parse_error(source)
    if sys.version_info[:2] >= needed:
        assert error is None and cry001(source) == []
        return
    assert error is not None
    line, column, message = error
    version = f"{needed[0]}.{needed[1]}"
    hint = NEWER.format(what=what, v=version, r=RUNNING)
    assert cry001(source) == [(line, column, f"cannot parse: {message}; {hint}")]


@pytest.mark.parametrize("name", sorted(PY2_CASES))
def test_python_2_is_recognised(name):
    source, what = PY2_CASES[name]
    if name == "except-comma" and sys.version_info >= (3, 14):
        pytest.skip("PEP 758: `except A, B:` is Python 3.14 syntax")
    line, column, message = parse_error(source)
    assert cry001(source) == [(line, column, f"cannot parse: {message}; {PY2.format(what=what)}")]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_real_mistake_gets_no_excuse(name):
    source = BROKEN[name]
    line, column, message = parse_error(source)
    assert cry001(source) == [(line, column, f"cannot parse: {message}")]


def test_a_hint_never_names_the_running_version_or_an_older_one():
    from cryptolint.syntax_hints import hint

    source = "import random\ntype Key = bytes\n"
    exc = SyntaxError("invalid syntax", ("x.py", 2, 6, "type Key = bytes\n"))
    lines = source.splitlines(keepends=True)
    assert hint(exc, lines, version=(3, 11)) == NEWER.format(what="a `type` statement (PEP 695)", v="3.12", r="3.11")
    assert hint(exc, lines, version=(3, 12)) is None
    assert hint(exc, lines, version=(3, 13)) is None
