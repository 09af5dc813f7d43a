"""cryptolint reads code and never runs it: it neither imports, executes nor
evaluates the files it checks or fixes.

The project below is full of traps: every file writes a marker when it is run
or imported (a package `__init__`, `__main__`, `conftest.py`, `setup.py`, a
build backend named by `pyproject.toml`, `sitecustomize.py`, modules named
like the stdlib ones the rules look for, a `.pth` file), and `app/tokens.py`
adds code that runs on attribute access, class creation or evaluation
(module and metaclass `__getattr__`, `__init_subclass__`, decorators, string
annotations, strings that are code for `eval`, a value too large to fold).
Every `.py` file also holds a finding with a fix, so nothing is skipped by
the pre-filter and the fixer (LibCST) goes through all of them.

1. The CLI (check, a cached re-check, `--fix --unsafe-fixes`) and `flake8
   --select CRY` run in subprocesses with the project as working directory:
   no marker appears.
2. The CLI runs in-process in a fresh interpreter under an audit hook
   (PEP 578), with the project first on `sys.path` so a careless import
   would load it: no code object of a project file is executed, no project
   module is imported, no process is started, and the project's files are
   compiled only to an AST (`ast.parse`), except, with `--fix`, by the
   fixer's check that its output still compiles, which never runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

BIN = Path(sys.executable).parent
#: Modules the project defines; the linter must import none of them.
PROJECT_MODULES = ["app", "conftest", "setup", "sitecustomize", "usercustomize", "trap_backend"]
#: Project files named like the stdlib modules that rules resolve names against.
SHADOWS = ["random", "secrets", "hashlib", "hmac"]
FINDING = 'reset_token = random.choice("abcdef")\n'


def _touch(markers: Path, label: str) -> str:
    """A statement that leaves a marker named `label` when run."""
    return f"open({str(markers / label)!r}, 'w').close()"


def _trap(markers: Path, label: str) -> str:
    return f"import random\n{_touch(markers, label)}\n{FINDING}"


def _tokens(markers: Path) -> str:
    def code(label: str) -> str:  # a string that is code, for anything tempted to eval it
        return f"__import__('pathlib').Path({str(markers / label)!r}).touch()"

    return f'''"""Tokens.

>>> {_touch(markers, "doctest")}
"""
import hashlib
import os
import random

{_touch(markers, "tokens")}


def __getattr__(name):
    {_touch(markers, "module-getattr")}
    raise AttributeError(name)


def mark(function):
    {_touch(markers, "decorator")}
    return function


class Meta(type):
    def __new__(mcs, name, bases, namespace, **kwargs):
        {_touch(markers, "metaclass")}
        return super().__new__(mcs, name, bases, namespace)

    def __getattr__(cls, name):
        {_touch(markers, "class-getattr")}
        raise AttributeError(name)


class Tokens(metaclass=Meta):
    def __init_subclass__(cls, **kwargs):
        {_touch(markers, "init-subclass")}

    def __class_getitem__(cls, item):
        {_touch(markers, "class-getitem")}

    @mark
    def reset_token(self, length: "{code('annotation')}" = 16) -> "{code('return-annotation')}":
        return random.choice("abcdef")  # type: ignore


PAYLOAD = "{code('payload')}"
digest = hashlib.new("{code('hash-name')} or 'md5'")
api_password = os.environ.get("{code('env-name')} or PASSWORD", "hunter2hunter2")
session_key = random.choice("{code('literal')}")
nonce = b"\\x00" * 10 ** 12
exec("{code('exec')}")
eval("{code('eval')}")
formatted = f"{{eval(PAYLOAD)}}"
'''


@pytest.fixture
def trapped(tmp_path: Path) -> Dict[str, Path]:
    markers = tmp_path / "markers"
    markers.mkdir()
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    files = {
        "app/__init__.py": _trap(markers, "package-init"),
        "app/__main__.py": (
            _trap(markers, "main") + f"if __name__ == '__main__':\n    {_touch(markers, 'main-guard')}\n"
        ),
        "app/tokens.py": _tokens(markers),
        "app/stubs.pyi": _trap(markers, "stub"),
        **{f"{name}.py": _trap(markers, name) for name in PROJECT_MODULES[1:] + SHADOWS},
        "cryptolint-trap.pth": f"import os; {_touch(markers, 'pth')}\n",
        "pyproject.toml": (
            '[build-system]\nrequires = []\nbuild-backend = "trap_backend"\nbackend-path = ["."]\n\n'
            '[project]\nname = "trap"\nversion = "0"\n\n[tool.cryptolint]\n'
        ),
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return {"root": root, "markers": markers}


def _with_findings(root: Path) -> List[str]:
    """The `.py` files that must be reported (`conftest.py` is test code, where CRY101 is quiet)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py") if p.name != "conftest.py")


def _clean_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def _run(command: List[str], cwd: Path) -> subprocess.CompletedProcess:
    """A console script, so the working directory is not on `sys.path` by Python's doing."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=_clean_env())


@pytest.mark.slow
def test_cli_and_flake8_never_run_the_code_they_read(trapped):
    root, markers = trapped["root"], trapped["markers"]
    cryptolint = [str(BIN / "cryptolint"), "check"]
    first = _run(cryptolint + ["--format", "json", "."], root)
    assert first.returncode == 1, first.stderr
    found = {(d["path"], d["code"]) for d in json.loads(first.stdout)}
    assert {(name, "CRY101") for name in _with_findings(root)} <= found  # every file was analysed
    cached = _run(cryptolint + ["--format", "json", "."], root)
    assert {(d["path"], d["code"]) for d in json.loads(cached.stdout)} == found
    flake8 = _run([str(BIN / "flake8"), "--select", "CRY", "."], root)
    assert flake8.returncode == 1 and "app/tokens.py:" in flake8.stdout, flake8.stdout + flake8.stderr
    fixed = _run(cryptolint + ["--fix", "--unsafe-fixes", "--no-cache", "."], root)
    assert fixed.returncode in (0, 1), fixed.stderr
    assert "secrets.choice" in (root / "app" / "tokens.py").read_text(encoding="utf-8")
    assert sorted(os.listdir(markers)) == []


#: Runs the CLI in a fresh interpreter under an audit hook.  Arguments: the
#: project, where to write what it saw, then as JSON cryptolint's arguments,
#: the project's module names and the stdlib modules the project shadows.
HARNESS = r"""
import json, os, sys
project, out, argv = os.path.realpath(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
modules, shadows = json.loads(sys.argv[4]), json.loads(sys.argv[5])
for name in shadows:  # the real ones, loaded before the project is on the path
    __import__(name)
from cryptolint import cli

PROCESS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.spawn")
events = []

def ours(filename):
    if not isinstance(filename, (str, bytes)):
        return None
    path = os.path.realpath(os.fsdecode(filename))
    return path if path.startswith(project + os.sep) and os.path.isfile(path) else None

def hook(event, args):
    if event == "exec":
        path = ours(getattr(args[0], "co_filename", None))
        if path:
            events.append(["exec", path, ""])
    elif event == "compile":
        path = ours(args[1])
        if path:
            caller = sys._getframe(1).f_code
            events.append(["compile", path, f"{os.path.basename(caller.co_filename)}:{caller.co_name}"])
    elif event == "import":
        if str(args[0]).partition(".")[0] in modules:
            events.append(["import", str(args[0]), ""])
    elif event.startswith(PROCESS):
        events.append([event, repr(args)[:200], ""])

sys.path.insert(0, project)  # a careless import would now load the project's files
sys.addaudithook(hook)
status = cli.main(argv)
loaded = {name: getattr(sys.modules.get(name), "__file__", None) for name in shadows}
with open(out, "w") as handle:
    json.dump({"status": status, "events": events, "loaded": loaded}, handle)
"""


@pytest.mark.parametrize("fix", [False, True], ids=["check", "fix"])
def test_audit_hook_sees_no_import_execution_or_process(trapped, tmp_path, fix):
    root, markers = trapped["root"], trapped["markers"]
    argv = ["check", "-j", "1", "--no-cache", "--format", "json", "--output-file", str(tmp_path / "findings.json"), "."]
    if fix:
        argv[1:1] = ["--fix", "--unsafe-fixes"]
    out = tmp_path / "audit.json"
    result = subprocess.run(
        [sys.executable, "-I", "-c", HARNESS, str(root), str(out), json.dumps(argv), json.dumps(PROJECT_MODULES),
         json.dumps(SHADOWS)],
        cwd=root, capture_output=True, text=True, timeout=120, env=_clean_env(),
    )
    assert result.returncode == 0, result.stderr
    audit = json.loads(out.read_text(encoding="utf-8"))
    assert audit["status"] in ((0, 1) if fix else (1,)), result.stderr
    findings = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    if fix:  # every file went through the fixer
        assert all("secrets.choice" in (root / name).read_text(encoding="utf-8") for name in _with_findings(root))
    else:  # every file was analysed, and nothing was written
        assert {d["path"] for d in findings} >= set(_with_findings(root))
        assert "secrets.choice" not in (root / "app" / "tokens.py").read_text(encoding="utf-8")
    events = audit["events"]
    assert [e for e in events if e[0] != "compile"] == []
    # ast.parse raises "compile" too; anything else would make bytecode of the user's code
    compiled = {caller for kind, _, caller in events if kind == "compile"}
    assert "ast.py:parse" in compiled
    assert compiled - {"ast.py:parse"} == ({"__init__.py:_compiles"} if fix else set())
    for name, path in audit["loaded"].items():
        assert path is None or not Path(path).resolve().is_relative_to(root.resolve()), name
    assert sorted(os.listdir(markers)) == []
