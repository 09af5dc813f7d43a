"""The pre-commit hooks, run by the real `pre-commit try-repo` in a throwaway repository.

pre-commit clones the hook repository at a commit and pip-installs it into a
fresh virtual environment, so the hooks are tested the way users get them.
The repository under test is a snapshot of this working tree (package, rule
pages, pyproject.toml, README.md, .pre-commit-hooks.yaml) committed to a new
git repository: that works the same in a fresh CI clone, in a working tree
with uncommitted changes, and in an unpacked sdist without `.git`.  Both hooks
run in one `try-repo` call, so the package is installed once (PyPI must be
reachable for its dependencies); everything pre-commit writes stays in
`tmp_path`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from tests.helpers import ROOT

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
SNAPSHOT = ("cryptolint", "rules", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
BAD = 'import random\n\nreset_token = random.choice("abcdef0123456789")\n'
FINDING = "app.py:3:15: CRY101 `random.choice` makes `reset_token` predictable; use `secrets.choice`"


def clean_env(tmp_path: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "GIT_", "PRE_COMMIT", "VIRTUAL_ENV")) and k not in ("NO_COLOR", "FORCE_COLOR")}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    # try-repo keeps its store in a temporary directory: keep that in tmp_path too
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), TMPDIR=str(tmp_path / "tmp"))
    env.update(GIT_AUTHOR_NAME="test", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="test", GIT_COMMITTER_EMAIL="test@example.invalid")
    return env


def git(*args: str, cwd: Path, env: Dict[str, str]) -> None:
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env,
                   check=True, capture_output=True)


def snapshot(destination: Path, env: Dict[str, str]) -> Path:
    """This working tree's installable files as a one-commit git repository."""
    destination.mkdir()
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, destination / name)
    git("init", "-q", cwd=destination, env=env)
    git("add", "-A", cwd=destination, env=env)
    git("commit", "-q", "-m", "snapshot", cwd=destination, env=env)
    return destination


def pre_commit(*args: str, cwd: Path, env: Dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args, "--color", "never"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900)


def hook_sections(output: str) -> Dict[str, List[str]]:
    """pre-commit's output, by hook: the `name....Passed/Failed` line starts a section."""
    sections: Dict[str, List[str]] = {}
    current: List[str] = []
    for line in output.splitlines():
        match = re.match(r"^(\S.*?)\.{3,}(Passed|Failed|Skipped)", line)
        if match:
            current = sections.setdefault(match.group(1).strip(), [match.group(2)])
        else:
            current.append(line)
    return sections


@pytest.mark.slow
def test_hooks_with_the_real_pre_commit(tmp_path):
    env = clean_env(tmp_path)
    hooks = snapshot(tmp_path / "cryptolint-hooks", env)
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.cryptolint]\nextend-exclude = ["migrations"]\n')
    (project / "app.py").write_text(BAD)
    (project / "clean.py").write_text("import secrets\n\nreset_token = secrets.token_urlsafe(32)\n")
    (project / "migrations" / "0001_initial.py").write_text(BAD)  # excluded in the configuration
    git("init", "-q", cwd=project, env=env)
    git("add", "-A", cwd=project, env=env)

    result = pre_commit("try-repo", str(hooks), "--all-files", cwd=project, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    sections = hook_sections(result.stdout)
    check, fix = sections["cryptolint"], sections["cryptolint (fix)"]
    # the check hook fails with the finding, and skips the excluded migration
    assert check[0] == "Failed" and "- exit code: 1" in check
    assert FINDING in check
    assert not any("migrations" in line for line in check)
    # the fix hook (run next) repairs the file, and fails because it changed it
    assert fix[0] == "Failed" and "- files were modified by this hook" in fix
    assert "Found 1 problem in 1 file (1 fixed, 0 remaining)" in fix
    assert (project / "app.py").read_text() == 'import secrets\n\nreset_token = secrets.choice("abcdef0123456789")\n'
    assert (project / "migrations" / "0001_initial.py").read_text() == BAD
    assert (project / "clean.py").read_text().startswith("import secrets\n")


def test_hooks_file_is_a_valid_manifest():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(HOOKS_FILE))}
    assert set(hooks) == {"cryptolint", "cryptolint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types"] == ["python"] and hook["pass_filenames"] is True
        assert hook["entry"].startswith("cryptolint check ") and "--force-exclude" in hook["entry"]
    assert "--fix --exit-non-zero-on-fix" in hooks["cryptolint-fix"]["entry"]
