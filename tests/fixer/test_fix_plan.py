"""The fix plan: one fix per root cause, and `check`, `--diff` and `--fix`
describing exactly the same fixes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import List, Set, Tuple

import pytest

from cryptolint.diagnostic import Applicability, Diagnostic, Edit, Fix, Span
from cryptolint.engine import lint_source
from cryptolint.fixer import fix_source
from cryptolint.plan import plan_fixes
from cryptolint.runner import is_fixable
from cryptolint.suppression import SuppressionFilter
from tests.helpers import ALL_ON, FIXTURES_DIR, ROOT

EXAMPLE = FIXTURES_DIR / "projects" / "example"
ALL_FIXTURES = sorted(p for p in FIXTURES_DIR.rglob("*.py") if not p.name.endswith(".fixed.py"))

Found = Set[Tuple[str, Span]]


def announced(data: bytes, display: str, unsafe: bool) -> Found:
    """What `check` shows as fixable (after `# noqa`)."""
    keep = SuppressionFilter.for_source(data, display, ALL_ON)
    return {(d.code, d.span) for d in lint_source(data, display, ALL_ON) if keep.keep(d) and is_fixable(d, unsafe)}


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", ALL_FIXTURES, ids=[str(p.relative_to(FIXTURES_DIR)) for p in ALL_FIXTURES])
def test_fix_applies_exactly_what_check_announces(path: Path, unsafe: bool) -> None:
    data = path.read_bytes()
    display = str(path.relative_to(FIXTURES_DIR))
    keep = SuppressionFilter.for_source(data, display, ALL_ON)
    result = fix_source(data, display, ALL_ON, unsafe=unsafe, keep=keep.keep)
    assert result.error is None
    assert {(d.code, d.span) for d in result.applied} == announced(data, display, unsafe)


def test_the_example_hash_and_its_check_are_fixed_together() -> None:
    source = (EXAMPLE / "accounts" / "passwords.py").read_bytes()
    result = fix_source(source, "passwords.py", ALL_ON, unsafe=True)
    assert [(d.code, d.line) for d in result.applied] == [("CRY201", 6), ("CRY401", 10)]
    fixed = result.fixed.decode()
    assert "    return safe.hash_password(password)  # error: CRY201\n" in fixed
    assert "    return safe.verify_password(password, stored_hash)  # error: CRY401\n" in fixed


def test_the_rewritten_compare_is_fixed_together_with_its_hash() -> None:
    # A second run after a fix of the compare alone (`hmac.compare_digest`)
    # offers the joint fix again, never the hash alone.
    source = textwrap.dedent(
        """\
        import hashlib
        import hmac


        def hash_password(password):
            return hashlib.sha256(password.encode()).hexdigest()


        def check_password(password, stored_hash):
            return hmac.compare_digest(hash_password(password), stored_hash)
        """
    )
    [finding] = lint_source(source, "passwords.py", ALL_ON)
    assert finding.fix is not None
    assert [(e.span, e.template) for e in finding.fix.edits] == [
        (Span(6, 11, 6, 56), "safe.hash_password({0})"),
        (Span(10, 11, 10, 68), "safe.verify_password({0}, {1})"),
    ]
    assert "new hashes are stored in another format" in finding.fix.title


@pytest.mark.parametrize(
    "check",
    [
        "return hash_password(password) in hashes",  # `in`: no verify call means the same
        "return hash_password(password) == stored_hash == other",  # a chain
        "computed = hash_password(password)\n    return computed == stored_hash",  # through a variable
        "return sorted(map(hash_password, [password])) == [stored_hash]",  # passed around
    ],
    ids=["in", "chain", "variable", "callback"],
)
def test_a_hash_whose_check_cannot_be_rewritten_is_not_fixed(check: str) -> None:
    source = (
        "import hashlib\n\n\ndef hash_password(password):\n"
        "    return hashlib.sha256(password.encode()).hexdigest()\n\n\n"
        f"def check_password(password, stored_hash, hashes=(), other=None):\n    {check}\n"
    )
    found = [d for d in lint_source(source, "passwords.py", ALL_ON) if d.code == "CRY201"]
    assert [(d.line, d.column, d.fix) for d in found] == [(5, 11, None)]


def test_plan_gives_a_joint_fix_to_every_finding_it_rewrites() -> None:
    joint = Fix("both", Applicability.UNSAFE, (Edit(Span(1, 0, 1, 5), "a"), Edit(Span(3, 4, 3, 9), "b")))
    own = Fix("own", Applicability.SAFE, (Edit(Span(3, 4, 3, 9), "c"),))
    inner = Fix("inner", Applicability.SAFE, (Edit(Span(3, 5, 3, 6), "d"),))
    elsewhere = Fix("elsewhere", Applicability.SAFE, (Edit(Span(5, 0, 5, 1), "e"),))
    findings = [
        Diagnostic("CRY201", "x", "m", Span(1, 0, 1, 5), joint),
        Diagnostic("CRY401", "x", "m", Span(3, 4, 3, 9), own),
        Diagnostic("CRY101", "x", "m", Span(3, 5, 3, 6), inner),
        Diagnostic("CRY103", "x", "m", Span(5, 0, 5, 1), elsewhere),
    ]
    assert [d.fix for d in plan_fixes(findings)] == [joint, joint, None, elsewhere]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cryptolint", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_example_check_diff_and_fix_count_the_same_fixes(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    check = run_cli("check", "--format", "concise", ".", cwd=project)
    assert check.stdout.splitlines()[-1] == "Found 4 problems in 3 files (1 fixable with --fix, 3 more with --fix --unsafe-fixes)"
    diff = run_cli("check", "--diff", "--unsafe-fixes", ".", cwd=project)
    assert diff.stderr.splitlines()[-1] == "Would fix 4 problems in 3 files (0 remaining)"
    safe = run_cli("check", "--diff", ".", cwd=project)
    assert safe.stderr.splitlines()[-1] == "Would fix 1 problem in 1 file (3 remaining)"
    fixed = run_cli("check", "--fix", "--unsafe-fixes", "--show-fixes", "--format", "concise", ".", cwd=project)
    listed: List[str] = [line.split(": ", 1)[0] for line in fixed.stdout.splitlines() if line.startswith("  ")]
    assert listed == [
        "  accounts/passwords.py:6:12",
        "  accounts/passwords.py:10:12",
        "  accounts/settings.py:5:14",
        "  accounts/tokens.py:9:20",
    ]
    assert fixed.stdout.splitlines()[-1] == "Found 4 problems in 3 files (4 fixed, 0 remaining)"



TOKEN = "import random\n\n\ndef make_reset_token(alphabet):\n    return ''.join(random.choice(alphabet) for _ in range(32))\n"


def test_no_fix_is_offered_in_test_code() -> None:
    settings = replace(ALL_ON, all_rules_in_tests=True)
    [finding] = lint_source(TOKEN, "tests/test_tokens.py", settings)
    assert (finding.code, finding.line, finding.column, finding.fix) == ("CRY101", 5, 19, None)
    [finding] = lint_source(TOKEN, "tokens.py", settings)
    assert finding.fix is not None and finding.fix.title == "Use `secrets.choice`"


@pytest.mark.parametrize("target, offered", [(None, True), ((3, 6), True), ((3, 5), False), ((2, 7), False)])
def test_no_fix_needs_a_newer_python_than_the_project_supports(target, offered: bool) -> None:
    [finding] = lint_source(TOKEN, "tokens.py", replace(ALL_ON, target_version=target))
    assert (finding.code, finding.fix is not None) == ("CRY101", offered)


def test_the_project_python_decides_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=2.7"\n')
    (tmp_path / "tokens.py").write_text(TOKEN)
    check = run_cli("check", "--format", "concise", ".", cwd=tmp_path)
    assert check.stdout.splitlines() == [
        "tokens.py:5:20: CRY101 `random.choice` makes the value returned by `make_reset_token` predictable; use `secrets.choice`",
        "Found 1 problem in 1 file",
    ]


def test_readme_shows_what_the_environment_fix_makes_of_the_example() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- snippet:env-fix -->\n```python\n(.*?)```\n", readme, re.S)
    assert match is not None
    settings = EXAMPLE / "accounts" / "settings.py"
    result = fix_source(settings.read_bytes(), "accounts/settings.py", ALL_ON, unsafe=True)
    assert result.fixed.decode() == match.group(1)
