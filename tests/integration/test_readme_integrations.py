"""The README's integration snippets, tried as a new user would: each block
marked `<!-- snippet:NAME -->` is parsed by the tool that reads it, and its
cryptolint commands are run on a copy of the example project."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict, List

import jsonschema
import pytest
import yaml

from cryptolint import __version__
from cryptolint.catalog import HOMEPAGE
from tests.helpers import FIXTURES_DIR, README, ROOT, SCHEMA, TOKENS, project, run, runner_commands, snippet

EXAMPLE = FIXTURES_DIR / "projects" / "example"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy)
    return copy


def cryptolint(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a README command line (`cryptolint ...`, maybe `< file`) with this checkout's cryptolint."""
    words = shlex.split(command)
    assert words[0] == "cryptolint", command
    stdin = None
    if "<" in words:
        at = words.index("<")
        stdin, words = (cwd / words[at + 1]).read_text(encoding="utf-8"), words[:at]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cryptolint", *words[1:]], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def run_steps(commands: List[str], cwd: Path) -> List[subprocess.CompletedProcess]:
    """The cryptolint commands among CI steps (installing is skipped: this checkout is installed)."""
    ran = []
    for command in commands:
        if command.startswith("pip install"):
            assert command == "pip install cryptolint"
            continue
        ran.append(cryptolint(command, cwd))
    assert ran
    return ran


def test_text_output_sample_is_what_cryptolint_prints(tmp_path):
    root = project(tmp_path, {"app/tokens.py": TOKENS})
    assert run("check", cwd=root).stdout == snippet("text-output")


def test_github_actions_workflow(example):
    workflow: Dict[str, Any] = yaml.safe_load(snippet("github-actions"))
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"  # upload-sarif needs it
    steps = job["steps"]
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    annotate, sarif = run_steps([step["run"] for step in steps if "run" in step], example)
    # annotations: one workflow command per finding, as the runner parses them
    assert annotate.returncode == 1
    commands = runner_commands(annotate.stdout)
    assert len(commands) == 4 and {name for name, _, _ in commands} == {"error"}
    assert {props["file"] for _, props, _ in commands} == {
        "accounts/passwords.py", "accounts/settings.py", "accounts/tokens.py"}
    # the SARIF step succeeds (so the upload runs) and writes what the upload step reads
    assert sarif.returncode == 0
    log = json.loads((example / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    jsonschema.validate(log, SCHEMA)
    assert len(log["runs"][0]["results"]) == 4
    later = steps[steps.index(upload) - 1:]
    assert all(step.get("if") == "${{ !cancelled() }}" for step in later)  # they run after a failed check


def test_gitlab_ci_job(example):
    job = yaml.safe_load(snippet("gitlab-ci"))["cryptolint"]
    (result,) = run_steps(job["script"], example)
    assert result.returncode == 1 and result.stdout == ""
    report = json.loads((example / job["artifacts"]["reports"]["codequality"]).read_text(encoding="utf-8"))
    assert sorted((issue["location"]["path"], issue["check_name"]) for issue in report) == [
        ("accounts/passwords.py", "CRY201"), ("accounts/passwords.py", "CRY401"),
        ("accounts/settings.py", "CRY302"), ("accounts/tokens.py", "CRY101"),
    ]
    assert job["artifacts"]["when"] == "always"


def test_junit_command_from_the_ci_section(example):
    command = re.search(r"`(cryptolint check --format junit [^`]*)`", README.read_text(encoding="utf-8")).group(1)
    result = cryptolint(command, example)
    assert result.returncode == 1
    suite = ET.parse(example / "cryptolint.xml").getroot().find("testsuite")
    assert suite.get("failures") == "4"


def test_pre_commit_config(tmp_path):
    from pre_commit.clientlib import load_config, load_manifest

    config_file = tmp_path / ".pre-commit-config.yaml"
    config_file.write_text(snippet("pre-commit"), encoding="utf-8")
    (repo,) = load_config(str(config_file))["repos"]  # pre-commit's own schema check
    assert repo["repo"] == HOMEPAGE
    assert repo["rev"] == f"v{__version__}"
    offered = {hook["id"] for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert {hook["id"] for hook in repo["hooks"]} <= offered
    assert "- id: cryptolint-fix" in snippet("pre-commit")  # the commented alternative names a real hook too
    assert "cryptolint-fix" in offered


def test_editor_command(example):
    result = cryptolint(snippet("editor").strip(), example)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "accounts/tokens.py:9:20: CRY101 `random.choice` makes the value returned by `generate_reset_token`"
        " predictable; use `secrets.choice`",
        "Found 1 problem in 1 file (1 fixable with --fix)",
    ]
    fixed = cryptolint(snippet("editor").strip().replace("check ", "check --fix ", 1), example)
    assert "secrets.choice(ALPHABET)" in fixed.stdout and fixed.returncode == 0


def test_codemod_command_writes_what_fix_writes(tmp_path):
    """The README's LibCST command over one copy of the example, `cryptolint
    check --fix` over another: the same files change, to the same bytes."""
    words = shlex.split(snippet("codemod").strip())
    assert words[:4] == ["python", "-m", "libcst.tool", "codemod"] and words[-1] == "src/"
    by_codemod, by_fix = tmp_path / "codemod", tmp_path / "fix"
    shutil.copytree(EXAMPLE, by_codemod)
    shutil.copytree(EXAMPLE, by_fix)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run([sys.executable, *words[1:-1], "--hide-progress", "."], cwd=by_codemod,
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert cryptolint("cryptolint check --fix --no-cache .", by_fix).returncode == 1  # unsafe fixes remain
    changed = {}
    for path in sorted(EXAMPLE.rglob("*.py")):
        name = str(path.relative_to(EXAMPLE))
        assert (by_codemod / name).read_bytes() == (by_fix / name).read_bytes(), name
        if (by_fix / name).read_bytes() != path.read_bytes():
            changed[name] = (by_fix / name).read_text(encoding="utf-8")
    assert list(changed) == ["accounts/tokens.py"]
    assert "secrets.choice(ALPHABET)" in changed["accounts/tokens.py"]


def test_flake8_configuration_block(tmp_path):
    """The README's `[flake8]` block, as a user's setup.cfg, with the real flake8."""
    block = re.search(r"```ini\n(\[flake8\]\n.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    root = project(tmp_path, {"app/tokens.py": TOKENS})
    (root / "setup.cfg").write_text(block, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run([sys.executable, "-m", "flake8", "app"], cwd=root, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "app/tokens.py:8:20: CRY101 " in result.stdout
