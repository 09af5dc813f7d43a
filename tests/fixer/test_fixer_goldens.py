"""Fix goldens: `fixtures/fixes/<name>.py`, fixed with unsafe fixes on and
`# noqa` honoured, must equal `<name>.fixed.py` byte for byte.

Goldens are never typed by hand: run

    CRYPTOLINT_UPDATE_GOLDENS=1 pytest tests/fixer/test_fixer_goldens.py

to (re)write them, then review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cryptolint.fixer import FixResult
from tests.helpers import FIX_INPUTS as INPUTS, FIXES_DIR, FIXTURES_DIR, fix_like_the_cli, golden_of

UPDATE = os.environ.get("CRYPTOLINT_UPDATE_GOLDENS") == "1"


def fix_golden(data: bytes, path: Path) -> FixResult:
    return fix_like_the_cli(data, str(path.relative_to(FIXTURES_DIR)), unsafe=True)


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_fixing_gives_the_golden(path: Path) -> None:
    data = path.read_bytes()
    result = fix_golden(data, path)
    assert result.error is None
    assert result.changed, "a fix fixture must have something to fix"
    golden = golden_of(path)
    if UPDATE and (not golden.exists() or golden.read_bytes() != result.fixed):
        golden.write_bytes(result.fixed)
    assert golden.exists(), "no golden yet: run with CRYPTOLINT_UPDATE_GOLDENS=1 and review it"
    assert result.fixed == golden.read_bytes()


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_golden_is_a_fixpoint(path: Path) -> None:
    golden = golden_of(path)
    data = golden.read_bytes()
    result = fix_golden(data, golden)
    assert result.error is None
    assert result.fixed == data
    assert not result.applied


def test_every_golden_has_an_input() -> None:
    goldens = {p.name for p in FIXES_DIR.glob("*.fixed.py")}
    assert goldens == {golden_of(p).name for p in INPUTS}
