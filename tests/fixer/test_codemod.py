"""The LibCST door: `python -m libcst.tool codemod -x cryptolint.codemod.FixCryptography`
applies the fixes of `cryptolint check --fix` (the fix goldens, byte for
byte), with the same configuration, selection, `# noqa` and refusals."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
from libcst.codemod import CodemodContext, TransformFailure, TransformResult, TransformSkip, TransformSuccess
from libcst.codemod import transform_module

from cryptolint.codemod import FixCryptography
from cryptolint.registry import all_rules
from tests.helpers import FIX_INPUTS, ONE_LINER, golden_of, project, run

COMMAND = "cryptolint.codemod.FixCryptography"
EVERY_RULE = ",".join(rule.code for rule in all_rules())
#: A safe fix (CRY101) and an unsafe one (CRY401) in one module.
TWO_FIXES = (
    "import random\n\n\ndef check(api_token, given):\n    return api_token == given\n\n\n"
    'reset_token = random.choice("abcdef0123456789")\n'
)
SAFE_FIXED = TWO_FIXES.replace("import random", "import secrets").replace("random.choice", "secrets.choice")
COMPARE_FIXED = TWO_FIXES.replace("import random\n", "import hmac\nimport random\n").replace(
    "api_token == given", "hmac.compare_digest(api_token, given)"
)
BOTH_FIXED = SAFE_FIXED.replace("import secrets\n", "import hmac\nimport secrets\n").replace(
    "api_token == given", "hmac.compare_digest(api_token, given)"
)


def libcst_tool(*args: str, cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    """`python -m libcst.tool codemod -x ...FixCryptography --no-format ARGS` in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    command = [sys.executable, "-m", "libcst.tool", "codemod", "-x", COMMAND, "--no-format", "--hide-progress", *args]
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=300)


def codemod(root: Path, name: str, source: str, **options: object) -> TransformResult:
    """The codemod run in-process by LibCST's own `transform_module` on `root/name`."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return transform_module(FixCryptography(CodemodContext(filename=str(path)), **options), source)


def code_of(result: TransformResult) -> str:
    assert isinstance(result, TransformSuccess), result
    return result.code


# --------------------------------------------------------------- goldens
@pytest.fixture(scope="module")
def codemodded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of every fix input and every golden, run through the real
    `libcst.tool` once, as the golden test fixes them: every rule, unsafe fixes on."""
    root = tmp_path_factory.mktemp("codemod")
    for directory, paths in (("fixes", FIX_INPUTS), ("goldens", [golden_of(p) for p in FIX_INPUTS])):
        (root / directory).mkdir()
        for path in paths:
            shutil.copyfile(path, root / directory / path.name)
    result = libcst_tool("--unsafe-fixes", "--isolated", "--select", EVERY_RULE, "fixes", "goldens", cwd=root)
    assert result.returncode == 0, result.stderr
    assert f"Transformed {2 * len(FIX_INPUTS)} files successfully" in result.stderr
    assert "Failed to codemod 0 files" in result.stderr
    return root


@pytest.mark.parametrize("path", FIX_INPUTS, ids=[p.stem for p in FIX_INPUTS])
def test_the_codemod_gives_the_fix_golden(codemodded: Path, path: Path) -> None:
    assert (codemodded / "fixes" / path.name).read_bytes() == golden_of(path).read_bytes()


@pytest.mark.parametrize("path", FIX_INPUTS, ids=[p.stem for p in FIX_INPUTS])
def test_the_codemod_leaves_a_golden_as_it_is(codemodded: Path, path: Path) -> None:
    golden = golden_of(path)
    assert (codemodded / "goldens" / golden.name).read_bytes() == golden.read_bytes()


# --------------------------------------------------------------- options
def test_safe_fixes_by_default_and_unsafe_ones_on_request(tmp_path: Path) -> None:
    assert code_of(codemod(tmp_path, "app.py", TWO_FIXES)) == SAFE_FIXED
    assert code_of(codemod(tmp_path, "app.py", TWO_FIXES, unsafe_fixes=True)) == BOTH_FIXED


def test_select_and_ignore_choose_the_rules_to_fix(tmp_path: Path) -> None:
    assert code_of(codemod(tmp_path, "app.py", TWO_FIXES, unsafe_fixes=True, select=["CRY4"])) == COMPARE_FIXED
    assert code_of(codemod(tmp_path, "app.py", TWO_FIXES, unsafe_fixes=True, ignore=["CRY101"])) == COMPARE_FIXED
    assert code_of(codemod(tmp_path, "app.py", TWO_FIXES, select=["CRY4"])) == TWO_FIXES


def test_the_projects_configuration_applies(tmp_path: Path) -> None:
    """[tool.cryptolint] of the nearest pyproject.toml, as `cryptolint check` reads it."""
    project(tmp_path, {}, config='per-file-ignores = { "legacy/*" = ["CRY101"] }\nextend-exclude = ["vendored"]\n')
    assert code_of(codemod(tmp_path, "app/tokens.py", ONE_LINER)) == ONE_LINER.replace("random", "secrets")
    assert code_of(codemod(tmp_path, "legacy/tokens.py", ONE_LINER)) == ONE_LINER
    skipped = codemod(tmp_path, "vendored/tokens.py", ONE_LINER)
    assert isinstance(skipped, TransformSkip)
    assert skipped.skip_description == "excluded by the cryptolint configuration"
    isolated = codemod(tmp_path, "legacy/tokens.py", ONE_LINER, isolated=True)
    assert code_of(isolated) == ONE_LINER.replace("random", "secrets")


def test_noqa_lines_are_left_alone_unless_noqa_is_disabled(tmp_path: Path) -> None:
    source = ONE_LINER.replace('")\n', '")  # noqa: CRY101\n')
    assert code_of(codemod(tmp_path, "app.py", source)) == source
    assert code_of(codemod(tmp_path, "app.py", source, disable_noqa=True)) == source.replace("random", "secrets")


def test_a_file_with_nothing_to_fix_is_returned_as_it_is(tmp_path: Path) -> None:
    source = "import random\n\nroll = random.randint(1, 6)  # a die, not a secret\n"
    assert code_of(codemod(tmp_path, "dice.py", source)) == source


def test_a_fix_the_fixer_refuses_skips_the_file_with_its_reason(tmp_path: Path) -> None:
    source = (
        "import hashlib as hl\rimport hmac\n\n\n"
        "def register(user, password):\n    user.password_hash = hl.sha256(password.encode()).hexdigest()\n"
    )
    result = codemod(tmp_path, "accounts.py", source, unsafe_fixes=True)
    assert isinstance(result, TransformSkip)
    assert result.skip_description == (
        "not fixed: some of its lines end in a bare carriage return, others in a bare line feed"
    )


def test_a_bad_configuration_fails_the_file_naming_the_key(tmp_path: Path) -> None:
    project(tmp_path, {}, config='policy = "lenient"\n')
    result = codemod(tmp_path, "app.py", ONE_LINER)
    assert isinstance(result, TransformFailure)
    assert "lenient" in str(result.error)


# ----------------------------------------------------------- the real tool
def test_the_tool_writes_fixes_and_reports_them(tmp_path: Path) -> None:
    root = project(tmp_path, {"app/tokens.py": ONE_LINER, "app/compare.py": TWO_FIXES, "app/clean.py": "x = 1\n"})
    result = libcst_tool("app", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Transformed 3 files successfully" in result.stderr
    assert (root / "app/tokens.py").read_text(encoding="utf-8") == ONE_LINER.replace("random", "secrets")
    assert (root / "app/compare.py").read_text(encoding="utf-8") == SAFE_FIXED
    assert (root / "app/clean.py").read_text(encoding="utf-8") == "x = 1\n"
    # what is left is what `cryptolint check --fix` leaves: the unsafe fix
    left = run("check", "-q", "--format", "concise", "--no-cache", "app", cwd=root).stdout.splitlines()
    assert left == [
        "app/compare.py:5:12: CRY401 `api_token` is compared with `==`, which leaks timing; use `hmac.compare_digest`"
    ]


def test_the_tool_reads_stdin_and_shows_a_diff(tmp_path: Path) -> None:
    root = project(tmp_path, {"app.py": ONE_LINER})
    result = libcst_tool("-", cwd=root, stdin=ONE_LINER)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ONE_LINER.replace("random", "secrets") + "\n"  # the tool prints the code
    diff = libcst_tool("--unified-diff", "1", "app.py", cwd=root)
    assert diff.returncode == 0, diff.stderr
    assert "-import random\n+import secrets\n" in diff.stdout
    assert (root / "app.py").read_text(encoding="utf-8") == ONE_LINER  # a diff writes nothing


@pytest.mark.parametrize(
    "args, message",
    [
        (["--select", "CRY999"], "CRY999"),
        (["--ignore", "NOPE"], "NOPE"),
        (["--policy", "lenient"], "lenient"),
    ],
)
def test_an_unknown_code_or_policy_is_a_usage_error(tmp_path: Path, args: list, message: str) -> None:
    root = project(tmp_path, {"app.py": ONE_LINER})
    result = libcst_tool(*args, "app.py", cwd=root)
    assert result.returncode == 2
    assert message in result.stderr and "usage:" in result.stderr
    assert (root / "app.py").read_text(encoding="utf-8") == ONE_LINER
