"""The project pass of `cryptolint check`: summaries of other modules, by import,
and a warm run that re-checks only what a change can affect."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import List, Set, Tuple

import pytest

from cryptolint import cli
from cryptolint.analysis.summaries import from_data, to_data
from cryptolint.engine import analyse_source

CONFIG = 'DATA_KEY = b"\\x8f\\x1a\\x03\\x9b\\x77\\x12\\xee\\x4c\\x90\\x01\\x5d\\xa2\\x33\\xc4\\x6e\\x19"\nKEY_ID = "primary"\nNONCE = bytes(12)\n'
HELPERS = """import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import config
from config import NONCE


def seal(data):
    return AESGCM(config.DATA_KEY).encrypt(os.urandom(12), data, config.KEY_ID.encode())


def seal_fixed(key, data):
    return AESGCM(key).encrypt(NONCE, data, None)
"""
UTIL = """import random


def random_string(length=16):
    return "".join(random.choice("abcdef0123456789") for _ in range(length))
"""
VIEWS = """from . import settings
from .util import random_string


def signup(user):
    user.activation_code = random_string(8)
    user.color = random_string(6)
    return settings.SECRET_KEY
"""
SETTINGS = 'SECRET_KEY = "not-from-here"\nDEBUG = True\n'
OTHER = """import random


def jitter():
    return random.random()
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "vault").mkdir()
    (tmp_path / "vault" / "__init__.py").write_text("")
    (tmp_path / "vault" / "config.py").write_text(CONFIG)
    (tmp_path / "vault" / "helpers.py").write_text(HELPERS)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "util.py").write_text(UTIL)
    (tmp_path / "shop" / "views.py").write_text(VIEWS)
    (tmp_path / "shop" / "settings.py").write_text(SETTINGS)
    (tmp_path / "other.py").write_text(OTHER)
    return tmp_path


def findings(capsys, *args: str) -> Set[Tuple[str, int, int, str]]:
    code = cli.main(["check", "--isolated", "--format", "json", "-j", "1", *args])
    assert code in (0, 1)
    return {(d["path"], d["line"], d["column"], d["code"]) for d in json.loads(capsys.readouterr().out)}


CROSS_MODULE = {
    ("vault/helpers.py", 10, 19, "CRY301"),  # config.DATA_KEY, a literal in config.py
    ("vault/helpers.py", 14, 32, "CRY501"),  # NONCE = bytes(12) in config.py
    ("shop/views.py", 6, 28, "CRY101"),  # random_string() returns random.choice output
}


def test_cross_module_findings_exactly(app, monkeypatch, capsys):
    monkeypatch.chdir(app)
    assert findings(capsys, "--no-cache", ".") == CROSS_MODULE


def test_one_file_alone_sees_no_other_module(app, monkeypatch, capsys):
    """What the flake8 plugin sees: one file, no summaries of others."""
    monkeypatch.chdir(app)
    assert findings(capsys, "--no-cache", "vault/helpers.py") == set()
    assert findings(capsys, "--no-cache", "shop/views.py") == set()


def test_summaries_round_trip_as_data(app):
    _, summary = analyse_source((app / "vault" / "config.py").read_bytes(), "config.py", summarise=True)
    assert summary is not None
    assert [(c.name, c.value) for c in summary.constants] == [
        ("DATA_KEY", bytes.fromhex("8f1a039b7712ee4c90015da233c46e19")), ("NONCE", bytes(12))
    ]
    assert from_data(json.loads(json.dumps(to_data(summary)))) == summary
    _, util = analyse_source((app / "shop" / "util.py").read_bytes(), "util.py", summarise=True)
    assert util is not None
    assert [(f.name, f.returns, f.source) for f in util.functions] == [("random_string", "insecure-random", "random.choice")]


def parsed_during(monkeypatch, capsys, *args: str) -> Tuple[List[str], Set[Tuple[str, int, int, str]]]:
    import cryptolint.engine

    seen: List[str] = []
    real = ast.parse

    def counting(source, filename="<unknown>", *rest, **options):
        seen.append(str(filename))
        return real(source, filename, *rest, **options)

    monkeypatch.setattr(cryptolint.engine.ast, "parse", counting)
    try:
        found = findings(capsys, *args)
    finally:
        monkeypatch.setattr(cryptolint.engine.ast, "parse", real)
    return sorted(seen), found


def test_warm_run_rechecks_only_what_a_change_can_affect(app, monkeypatch, capsys):
    monkeypatch.chdir(app)
    cache = ["--cache-dir", str(app / ".cache"), "."]
    cold, found = parsed_during(monkeypatch, capsys, *cache)
    assert found == CROSS_MODULE
    # every file once, and the two that use other modules' summaries once more
    assert sorted(Path(p).name for p in cold) == sorted(
        ["other.py", "util.py", "views.py", "settings.py", "config.py", "helpers.py", "views.py", "helpers.py"]
    )
    warm, found = parsed_during(monkeypatch, capsys, *cache)
    assert (warm, found) == ([], CROSS_MODULE)
    # a file nobody imports: only it
    (app / "other.py").write_text(OTHER + "\n\ndef again():\n    return random.random()\n")
    changed, found = parsed_during(monkeypatch, capsys, *cache)
    assert [Path(p).name for p in changed] == ["other.py"] and found == CROSS_MODULE
    # a constant another module uses: it, and the module that uses it
    (app / "vault" / "config.py").write_text(CONFIG.replace("NONCE = bytes(12)", "NONCE = bytes(16)"))
    changed, found = parsed_during(monkeypatch, capsys, *cache)
    assert sorted(Path(p).name for p in changed) == ["config.py", "helpers.py"] and found == CROSS_MODULE
    # a change that no other module can see: only the changed file
    (app / "shop" / "util.py").write_text(UTIL + "\n# a comment\n")
    changed, found = parsed_during(monkeypatch, capsys, *cache)
    assert [Path(p).name for p in changed] == ["util.py"] and found == CROSS_MODULE
    # a new entry of an imported module that its importer never names
    # (`helpers.py` does `import config` but spells no `SPARE_NONCE`): only the changed file
    (app / "vault" / "config.py").write_text(CONFIG.replace("NONCE = bytes(12)", "NONCE = bytes(16)") + 'SPARE_NONCE = bytes(8)\n')
    changed, found = parsed_during(monkeypatch, capsys, *cache)
    assert [Path(p).name for p in changed] == ["config.py"] and found == CROSS_MODULE
    # and once the importer names it, the importer is checked again with it
    (app / "vault" / "helpers.py").write_text(HELPERS + "\n\ndef spare(key, data):\n    return AESGCM(key).encrypt(config.SPARE_NONCE, data, None)\n")
    changed, found = parsed_during(monkeypatch, capsys, *cache)
    assert sorted(Path(p).name for p in changed) == ["helpers.py", "helpers.py"]
    assert found == CROSS_MODULE | {("vault/helpers.py", 18, 32, "CRY501")}  # config.SPARE_NONCE = bytes(8)
