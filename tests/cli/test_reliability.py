"""Hostile input through the real command line: every bad file gets a clear
message and the right exit status, and the other files are still checked.

Root reads any file whatever its mode (CI runs as root), so an unreadable file
is simulated: as a FIFO (which the run must refuse, not wait on forever), and
by making the read fail in-process with EACCES.  A file deleted between
discovery and reading is simulated the same way, deleting it after the walk.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple, Union

import pytest

from cryptolint import cli
from tests.helpers import ONE_LINER, ONE_LINER_FINDING, project, run

GOOD = "z_good.py"  # sorted last: every other file is checked before it
GOOD_FINDING = (GOOD, 3, "CRY101")
LINE = "token = random.choice('ab')\n"  # CRY101 at column 9 (1-based)
#: A 5 MB file: generated assignments, then one finding on the last line.
BIG_LINES = 200_000


def _big() -> bytes:
    body = "".join(f"value_{i} = {i} * 2 + len('{i:>8}')\n" for i in range(BIG_LINES - 2))
    return ("import random\n" + body + LINE).encode()


#: name -> (contents, expected findings as (line, column, code, message start)).
BAD_INPUTS: Dict[str, Tuple[Union[str, bytes], List[Tuple[int, int, str, str]]]] = {
    "syntax_error.py": ("import random\n\ndef f(:\n    pass\n", [(3, 7, "CRY001", "cannot parse: invalid syntax")]),
    "null_byte.py": (b"import random\nx = 1\nab\x00c = 2\n", [(3, 3, "CRY001", "cannot parse: the file contains a null byte")]),
    "invalid_utf8.py": (b"import random\nname = '\xff\xfe'\n", [(2, 1, "CRY001", "cannot decode as utf-8")]),
    "bad_cookie.py": (b"# -*- coding: klingon -*-\nimport random\n", [(1, 1, "CRY001", "cannot decode: unknown encoding")]),
    "latin1.py": (("# -*- coding: latin-1 -*-\n# caf\xe9 \xe0 la cr\xe8me\nimport random\nnom = '\xe9t\xe9'; " + LINE)
                  .encode("latin-1"), [(4, 22, "CRY101", "`random.choice` makes `token` predictable")]),
    "bom.py": (b"\xef\xbb\xbfimport random\n" + LINE.encode(), [(2, 9, "CRY101", "`random.choice`")]),
    "crlf.py": (("import random\r\n\r\n" + LINE.replace("\n", "\r\n")).encode(), [(3, 9, "CRY101", "`random.choice`")]),
    "mixed_endings.py": (b"import random\r\nx = 1\ry = 2\n" + LINE.encode(), [(4, 9, "CRY101", "`random.choice`")]),
    "form_feed.py": ("import random\n\x0c\n" + LINE, [(3, 9, "CRY101", "`random.choice`")]),
    "empty.py": (b"", []),
    "only_newlines.py": (b"\n\n\n", []),
    "big.py": (_big(), [(BIG_LINES, 9, "CRY101", "`random.choice`")]),
    "deep_parentheses.py": ("import random\nx = " + "(" * 300 + "1" + ")" * 300 + "\n", [(2, 205, "CRY001", "cannot parse: too many nested parentheses")]),
    # Python 3.9 and 3.10 parse it (and it holds no finding); 3.11+ refuse it
    "deep_binop.py": ("import random\nx = " + " + ".join(["a"] * 100_000) + "\n",
                      [(1, 1, "CRY001", "cannot parse: the code is nested too deeply for Python's parser")]
                      if sys.version_info >= (3, 11) else []),
    "deep_unary.py": ("import random\nx = " + "-" * 100_000 + "1\n",
                      [(1, 1, "CRY001", "cannot parse: the code is nested too deeply for Python's parser")]),
    "long_and_chain.py": ("import random\nx = " + " and ".join(["a"] * 100_000) + "\n" + LINE,
                          [(3, 9, "CRY101", "`random.choice`")]),
    "long_string_concatenation.py": ("import random\nx = " + " ".join(["'a'"] * 50_000) + "\n" + LINE,
                                     [(3, 9, "CRY101", "`random.choice`")]),
}


def _json(result) -> List[Tuple[str, int, int, str, str]]:
    return [(d["path"], d["line"], d["column"], d["code"], d["message"]) for d in json.loads(result.stdout)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("hostile"), {GOOD: ONE_LINER, **{k: v for k, (v, _) in BAD_INPUTS.items()}})
    (root / "dir_named_like_a_module.py").mkdir()
    (root / "dir_named_like_a_module.py" / "inner.py").write_text(ONE_LINER)
    (root / "dangling.py").symlink_to(root / "missing.py")
    (root / "loop.py").symlink_to(root / "loop.py")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root)  # a directory link loop: not followed
    os.mkfifo(root / "fifo.py")
    return root


@pytest.fixture(scope="module")
def hostile_run(hostile: Path):
    start = time.monotonic()
    result = run("check", "--format", "json", "--no-cache", cwd=hostile)
    return result, time.monotonic() - start


@pytest.mark.slow
def test_every_bad_input_is_reported_clearly_and_the_rest_is_checked(hostile_run):
    result, seconds = hostile_run
    found = _json(result)
    expected = [(GOOD, 3, 15, "CRY101")] + [("dir_named_like_a_module.py/inner.py", 3, 15, "CRY101")]
    for name, (_, findings) in BAD_INPUTS.items():
        expected.extend((name, line, column, code) for line, column, code, _ in findings)
    assert sorted(f[:4] for f in found) == sorted(expected)
    messages = {(f[0], f[1]): f[4] for f in found}
    for name, (_, findings) in BAD_INPUTS.items():
        for line, _, _, start in findings:
            assert messages[(name, line)].startswith(start), (name, messages[(name, line)])
    assert result.returncode == 1  # findings (CRY001 included); nothing that stops the run
    assert seconds < 120


@pytest.mark.slow
def test_odd_directory_entries_are_warnings(hostile_run):
    result, _ = hostile_run
    assert result.stderr.splitlines() == [
        "cryptolint: warning: dangling.py: skipped, dangling symbolic link",
        "cryptolint: warning: fifo.py: skipped, not a regular file",
        "cryptolint: warning: loop.py: skipped, symbolic link loop",
    ]


@pytest.mark.parametrize(
    "name, message",
    [
        ("dangling.py", "dangling.py: dangling symbolic link"),
        ("loop.py", "loop.py: symbolic link loop"),
        ("fifo.py", "fifo.py: not a regular file"),
        ("nothing_here.py", "nothing_here.py: no such file or directory"),
    ],
)
def test_odd_paths_given_explicitly_are_errors(hostile: Path, name: str, message: str):
    result = run("check", "-q", "--format", "concise", "--no-cache", name, GOOD, cwd=hostile)
    assert result.stdout.splitlines() == [f"{GOOD}:{ONE_LINER_FINDING}"]
    assert result.stderr == f"cryptolint: error: {message}\n"
    assert result.returncode == 2


def test_a_directory_named_like_a_module_is_walked(hostile: Path):
    result = run("check", "-q", "--format", "concise", "--no-cache", "dir_named_like_a_module.py", cwd=hostile)
    assert result.stdout.splitlines() == [f"dir_named_like_a_module.py/inner.py:{ONE_LINER_FINDING}"]


@pytest.mark.slow
def test_the_fixer_survives_the_bad_inputs(hostile: Path, tmp_path: Path):
    """`--fix` over the same files: what can be fixed is, nothing crashes, and the
    files that cannot be rewritten say why."""
    for name in ("long_and_chain.py", "long_string_concatenation.py", "latin1.py", "crlf.py", GOOD):
        (tmp_path / name).write_bytes((hostile / name).read_bytes())
    (tmp_path / "pyproject.toml").write_text("[tool.cryptolint]\n")
    result = run("check", "--fix", "-q", "--no-cache", cwd=tmp_path)
    errors = sorted(result.stderr.splitlines())
    assert len(errors) == 2
    assert errors[0] == "cryptolint: error: long_and_chain.py: not fixed: the code is nested too deeply to rewrite"
    # (a LibCST limit: valid Python that its parser refuses)
    assert errors[1].startswith("cryptolint: error: long_string_concatenation.py: not fixed: LibCST cannot parse the file:")
    assert result.returncode == 2
    latin1 = (tmp_path / "latin1.py").read_bytes()
    assert latin1 == (hostile / "latin1.py").read_bytes().replace(b"random", b"secrets")  # encoding kept
    assert (tmp_path / "crlf.py").read_bytes() == b"import secrets\r\n\r\ntoken = secrets.choice('ab')\r\n"
    assert (tmp_path / "long_and_chain.py").read_bytes() == (hostile / "long_and_chain.py").read_bytes()


# ------------------------------------------------------ failures in reading
def test_an_unreadable_file_is_an_error_and_the_rest_is_checked(tmp_path: Path, monkeypatch, capsys):
    import cryptolint.runner

    root = project(tmp_path, {"a_secret.py": ONE_LINER, GOOD: ONE_LINER})
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if str(path).endswith("a_secret.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(cryptolint.runner.os, "open", deny)
    monkeypatch.chdir(root)
    assert cli.main(["check", "-q", "--format", "concise", "-j", "1", "--no-cache"]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{GOOD}:{ONE_LINER_FINDING}"]
    assert err == "cryptolint: error: a_secret.py: cannot read: Permission denied\n"


def test_a_file_deleted_after_discovery_is_an_error(tmp_path: Path, monkeypatch, capsys):
    root = project(tmp_path, {"a_gone.py": ONE_LINER, GOOD: ONE_LINER})
    real_discover = cli.discover

    def discover_then_delete(paths, config):
        found = real_discover(paths, config)
        (root / "a_gone.py").unlink()
        return found

    monkeypatch.setattr(cli, "discover", discover_then_delete)
    monkeypatch.chdir(root)
    assert cli.main(["check", "-q", "--format", "concise", "-j", "1"]) == 2  # with the cache on: its lookup must not fail either
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{GOOD}:{ONE_LINER_FINDING}"]
    assert err == "cryptolint: error: a_gone.py: cannot read: No such file or directory\n"


# ------------------------------------------------------ configuration
@pytest.mark.parametrize(
    "contents, message",
    [
        (b"[tool.cryptolint\n", "pyproject.toml: invalid TOML: "),
        (b"[tool.cryptolint]\nselect = 'CRY1'\n", "`select`: expected an array of strings"),
        (b"[tool.cryptolint]\nunknown-key = 1\n", "unknown key `unknown-key`"),
        (b"[tool]\ncryptolint = 3\n", "[tool.cryptolint] must be a table"),
        (b"[tool.cryptolint]\nselect = ['CRY1'\n", "pyproject.toml: invalid TOML: "),
        (b"\xff\xfe[tool.cryptolint]\n", "pyproject.toml: "),
        (b"[tool.cryptolint]\nthresholds = { bcrypt-rounds = -1 }\n", "`thresholds`: threshold `bcrypt-rounds` must be"),
    ],
)
def test_a_malformed_pyproject_is_a_clear_error(tmp_path: Path, contents: bytes, message: str):
    root = project(tmp_path, {"app.py": ONE_LINER})
    (root / "pyproject.toml").write_bytes(contents)
    result = run("check", cwd=root)
    assert result.stdout == ""
    assert result.stderr.startswith("cryptolint: error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.returncode == 2
