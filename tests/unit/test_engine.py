"""The engine: decoding, line splitting, the pre-filter, test paths, errors."""

from __future__ import annotations

import ast

import pytest

from cryptolint.context import TestCodeKind, is_test_code, is_test_path, kind_of_test_code
from cryptolint.engine import decode_source, lint_source, run_checks, split_lines
from tests.helpers import ALL_ON

BAD = "import random\n\ndef make_token():\n    return random.choice('abc')\n"


def test_form_feed_does_not_shift_lines():
    assert split_lines("a\x0cb\r\nc\rd\ne") == ["a\x0cb\r\n", "c\r", "d\n", "e"]
    found = lint_source("\x0c\n" + BAD, "app.py", ALL_ON)
    assert [(d.line, d.column, d.code) for d in found] == [(5, 11, "CRY101")]
    assert found[0].message.startswith("`random.choice` makes")


def test_columns_are_characters_not_bytes():
    source = "import random\n\ndef make_token():\n    s = 'é'; return random.choice('abc')\n"
    found = lint_source(source, "app.py", ALL_ON)
    assert [(d.line, d.column) for d in found] == [(4, 20)]


def test_bytes_are_decoded_with_bom_and_cookie():
    latin = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + BAD
    found = lint_source(latin.encode("latin-1"), "app.py", ALL_ON)
    assert [(d.line, d.code) for d in found] == [(6, "CRY101")]
    found = lint_source(b"\xef\xbb\xbf" + BAD.encode(), "app.py", ALL_ON)
    assert [(d.line, d.code) for d in found] == [(4, "CRY101")]
    assert decode_source(b"\xef\xbb\xbfx = 1\n") == "x = 1\n"


def test_undecodable_and_unparseable_sources_are_cry001():
    found = lint_source(b"import random\nx = '\xff\xfe'\n", "app.py", ALL_ON)
    assert [(d.line, d.code) for d in found] == [(2, "CRY001")]
    assert "cannot decode" in found[0].message
    found = lint_source("import random\ndef f(:\n", "app.py", ALL_ON)
    assert [(d.line, d.column, d.code) for d in found] == [(2, 6, "CRY001")]
    found = lint_source("import random\nx = '\0'\n", "app.py", ALL_ON)
    assert [d.code for d in found] in (["CRY001"], [])


def test_prefilter_skips_files_without_triggers():
    # No trigger word of any rule: nothing is parsed, so even a syntax error
    # is not reported (there was nothing to check).
    assert lint_source("def f(:\n", "app.py", ALL_ON) == []


def test_flake8_tree_is_reused():
    tree = ast.parse(BAD)
    found = run_checks(tree, split_lines(BAD), "app.py", ALL_ON)
    assert [(d.line, d.code) for d in found] == [(4, "CRY101")]


def test_deep_nesting_does_not_crash():
    source = "import random\ntoken = " + "(" * 180 + "random.random()" + ")" * 180 + "\n"
    found = lint_source(source, "app.py", ALL_ON)
    assert {d.code for d in found} <= {"CRY001", "CRY101"} and found


@pytest.mark.parametrize(
    "path, expected",
    [
        ("tests/test_app.py", True), ("pkg/tests/helpers.py", True), ("test_app.py", True),
        ("app_test.py", True), ("conftest.py", True), ("src/app.py", False),
        ("test_data/app.py", False), ("contest.py", False), ("app/tests.py", True), ("test.py", True),
        ("latest.py", False), ("pytests.py", False),
    ],
)
def test_test_paths(path, expected):
    assert is_test_path(path) is expected


@pytest.mark.parametrize(
    "path, text, expected",
    [
        ("src/app.py", "import os\n", False),
        ("tests/helpers.py", "import os\n", True),
        ("mypkg/testing.py", "import pytest\n", True),
        ("mypkg/testing.py", "from unittest import mock\n", True),
        ("mypkg/testing.py", "    import hypothesis.strategies as st\n", True),
        ("mypkg/testing.py", "from _pytest.fixtures import fixture\n", True),
        ("labs/login.py", '"""Deliberately vulnerable login form for the training course."""\n', True),
        ("labs/login.py", "# Intentionally insecure: do not deploy\n", True),
        ("labs/login.py", "# vulnerable by design\n", True),
        # tempting, but production code
        ("src/app.py", "# run under pytest in CI\nx = 'import pytest'\n", False),
        ("src/app.py", "import pytest_plugins_registry\n", False),
        ("src/app.py", "from unittestlib import x\n", False),
        ("src/app.py", "x = 1\n" * 400 + "# deliberately vulnerable\n", False),
        ("src/app.py", "# not vulnerable, deliberately so\n", False),
    ],
)
def test_test_code_by_path_imports_and_markers(path, text, expected):
    assert is_test_code(path, text) is expected


@pytest.mark.parametrize(
    "path, text, kind",
    [
        ("src/app.py", "import os\n", None),
        ("tests/helpers.py", "import pytest\n", TestCodeKind.TEST_FILE),
        ("mypkg/testing.py", "import pytest\n", TestCodeKind.HARNESS),
        ("labs/login.py", "# Deliberately vulnerable\nimport unittest\n", TestCodeKind.LAB),
    ],
)
def test_kinds_of_test_code(path, text, kind):
    assert kind_of_test_code(path, text) is kind


def test_configured_secret_names_pass_the_prefilter():
    from dataclasses import replace

    source = 'hush = "Zx9vQ2mL7pR4tW8y"\n'
    assert lint_source(source, "app.py", ALL_ON) == []
    settings = replace(ALL_ON, secret_names=frozenset({"hush"}))
    assert [(d.line, d.code) for d in lint_source(source, "app.py", settings)] == [(1, "CRY302")]
