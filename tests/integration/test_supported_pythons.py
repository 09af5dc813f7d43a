"""One list of supported Pythons: pyproject's classifiers and requires-python,
the interpreters `.ci/run` tests, the README's statement, and the version the
pre-commit and CI snippets pin (the newest, since cryptolint reads the syntax
of the Python it runs on)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import yaml

from tests.helpers import ROOT, snippet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

CI = ROOT / ".ci" / "run"
BASH = shutil.which("bash") or "/bin/bash"


def classifiers() -> List[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefix = "Programming Language :: Python :: 3."
    return [c[len("Programming Language :: Python :: "):] for c in project["classifiers"] if c.startswith(prefix)]


def test_one_list_of_supported_versions():
    versions = classifiers()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == f">={versions[0]}"
    supported = re.search(r"^SUPPORTED=\(([^)]*)\)", CI.read_text(encoding="utf-8"), re.M)
    assert supported and supported.group(1).split() == versions
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = ", ".join(versions[:-1]) + " and " + versions[-1]
    assert f"cryptolint runs on Python {stated}, and every change is\ntested on each of them" in readme
    assert f"{sys.version_info[0]}.{sys.version_info[1]}" in versions  # this run is one of them


def test_the_snippets_pin_the_newest_supported_python():
    newest = classifiers()[-1]
    (repo,) = yaml.safe_load(snippet("pre-commit"))["repos"]
    assert [hook.get("language_version") for hook in repo["hooks"]] == [f"python{newest}"]
    (job,) = yaml.safe_load(snippet("github-actions"))["jobs"].values()
    (setup,) = [step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@")]
    assert setup["with"]["python-version"] == newest
    assert yaml.safe_load(snippet("gitlab-ci"))["cryptolint"]["image"] == f"python:{newest}"


def test_ci_finds_an_interpreter_on_path_and_skips_a_broken_shim(tmp_path: Path):
    """`find_python` from `.ci/run`: a `python3.X` on PATH that runs is taken; a
    pyenv shim for a version that is not selected exits non-zero and is not."""
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    good, shims = tmp_path / "good", tmp_path / "shims"
    good.mkdir()
    shims.mkdir()
    (good / f"python{here}").symlink_to(sys.executable)
    shim = shims / f"python{here}"
    shim.write_text("#!/bin/sh\necho 'pyenv: python: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    function = re.search(r"^find_python\(\) \{.*?^\}", CI.read_text(encoding="utf-8"), re.M | re.S).group(0)

    def find(path: str, version: str) -> str:
        script = f"{function}\nfind_python {version}\n"
        env = {"PATH": path, "HOME": str(tmp_path)}  # nothing else on PATH, no pyenv
        return subprocess.run([BASH, "-c", script], env=env, capture_output=True, text=True, check=True).stdout

    assert find(f"{good}", here) == f"{good}/python{here}\n"
    assert find(f"{shims}:{good}", here) == f"{good}/python{here}\n"
    assert find(f"{shims}", here) == ""
    other = "3.8" if here != "3.8" else "3.7"
    (good / f"python{other}").symlink_to(sys.executable)  # named 3.8, but is not
    assert find(f"{good}", other) == ""
