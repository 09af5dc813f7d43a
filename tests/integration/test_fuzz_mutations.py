"""Fuzzing with mutated fixtures: real inputs (every fixture file, fix goldens
included, and every rule page's `bad` block), damaged the ways files get
damaged -- lines deleted, duplicated, swapped or re-indented, tokens and
snippets of other fixtures inserted, the file cut off, bytes flipped (invalid
UTF-8, null bytes), line endings swapped, a BOM or a latin-1 cookie added, a
line wrapped in deep parentheses.  Whatever comes out:

- the engine and the CLI's per-file path never raise, never report CRY002
  and print no warning (not even Python's own about the code it reads);
- the fixer (unsafe fixes on) never raises and prints nothing; what it
  rewrites parses, in the file's own encoding, with its BOM, line endings,
  coding cookie, final newline and comments kept;
- fixing the fixed output changes nothing, in-process and through the real
  command line (`--fix` twice equals `--fix` once).

What the fuzzing found is at the end, as plain examples.

CI runs a small, derandomized budget (the same examples on every run); set
CRYPTOLINT_FUZZ_EXAMPLES=2000 for a long, randomized run that also keeps the
failures it finds in Hypothesis' database.
"""

from __future__ import annotations

import ast
import codecs
import io
import json
import os
import random
import re
import shutil
import tokenize
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryptolint import cli
from cryptolint.diagnostic import Diagnostic
from cryptolint.engine import SourceError, decode_source, lint_source
from cryptolint.fixer import FixResult, fix_source
from cryptolint.runner import RunOptions, check_bytes
from cryptolint.settings import Settings
from tests.helpers import ALL_ON, FIXTURES_DIR, rule_pages, run

#: As in test_fixer_property (not imported from it: building its hypothesmith
#: strategies takes seconds).  The default budget is fixed and derandomized, so
#: CI is reproducible; a long run explores new examples every time and keeps
#: its failures in Hypothesis' database.
LONG_RUN = "CRYPTOLINT_FUZZ_EXAMPLES" in os.environ
MUTANTS = settings(
    max_examples=int(os.environ.get("CRYPTOLINT_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    derandomize=not LONG_RUN,
    **({} if LONG_RUN else {"database": None}),
)
SETTINGS = {"all-on": ALL_ON, "default": Settings()}
BOM = codecs.BOM_UTF8


# ------------------------------------------------------------------ inputs
def _corpus() -> List[Tuple[str, bytes]]:
    """(name, bytes) of every fixture and every page's `bad` block."""
    found = [(str(p.relative_to(FIXTURES_DIR)), p.read_bytes()) for p in sorted(FIXTURES_DIR.rglob("*.py"))]
    for page in rule_pages():
        found.extend((f"{page.code}-bad{n}.py", b.encode()) for n, b in enumerate(page.blocks["bad"], 1))
    return found


CORPUS = _corpus()

#: Draws an integer in [low, high]: Hypothesis' `draw` in a strategy, a seeded
#: `random.Random` for the files of the command-line tests.
Draw = Callable[[int, int], int]
TOKENS = [
    b"(", b")", b"[", b"]", b"{", b"}", b":", b",", b".", b"=", b"==", b"\\", b"\\\n", b"'", b'"', b'"""', b"#",
    b"\n", b"\r", b"\t", b"\x0c", b"\x00", b"\xff", b"\xe9", b"\xef\xbb\xbf", b"if", b"else", b"lambda", b"yield",
    b"await", b"async ", b"def ", b"class ", b"return", b"import ", b"from ", b"global x\n", b"nonlocal x\n",
    b"del ", b"*", b"**", b"@", b":=", b"->", b"...", b"None", b"f'{", b"}'", b"b'", b"# noqa", b"# noqa: CRY101",
    b"random", b"secrets", b"hashlib.md5", b"random.choice(x)", b"os.urandom(16)", b"password", b"token",
    b"key = b'0' * 16", b"1if ", b"0or ", b"'\\d'", b"\xc3\xa9", b"\xe2\x80\xa8", b"\xf0\x9f\x94\x91", b"\xed\xa0\x80",
]
INDENTS = [b"", b" ", b"  ", b"    ", b"        ", b"\t", b"\t    ", b" \t", b"\x0c", b"    " * 30]
BYTES = [0x00, 0xFF, 0xFE, 0x80, 0xC3, 0xE9, 0x0D, 0x0A, 0x5C, 0x22, 0x27, 0x28, 0x09, 0x0C, 0x1A, 0x23]
COOKIES = [b"# -*- coding: latin-1 -*-", b"# coding=iso-8859-1", b"# vim: set fileencoding=latin-1 :"]
ENDINGS = (b"\r\n", b"\n", b"\r")


def _lines(data: bytes) -> List[bytes]:
    return data.splitlines(keepends=True)  # (bytes split at \r\n, \r and \n only, as Python does)


def _body(line: bytes) -> Tuple[bytes, bytes, bytes]:
    """(indentation, content, line ending) of one line."""
    ending = next((e for e in ENDINGS if line.endswith(e)), b"")
    content = line[: len(line) - len(ending)]
    stripped = content.lstrip(b" \t\x0c")
    return content[: len(content) - len(stripped)], stripped, ending


def delete_line(data: bytes, draw: Draw) -> bytes:
    lines = _lines(data)
    if lines:
        del lines[draw(0, len(lines) - 1)]
    return b"".join(lines)


def duplicate_line(data: bytes, draw: Draw) -> bytes:
    lines = _lines(data)
    if lines:
        i = draw(0, len(lines) - 1)
        lines.insert(i, lines[i])
    return b"".join(lines)


def swap_lines(data: bytes, draw: Draw) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        i, j = draw(0, len(lines) - 1), draw(0, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def reindent_line(data: bytes, draw: Draw) -> bytes:
    lines = _lines(data)
    if lines:
        i = draw(0, len(lines) - 1)
        _, content, ending = _body(lines[i])
        lines[i] = INDENTS[draw(0, len(INDENTS) - 1)] + content + ending
    return b"".join(lines)


def insert_token(data: bytes, draw: Draw) -> bytes:
    at = draw(0, len(data))
    return data[:at] + TOKENS[draw(0, len(TOKENS) - 1)] + data[at:]


def insert_snippet(data: bytes, draw: Draw) -> bytes:
    """A few lines of another input, re-indented like the line they go before."""
    other = _lines(CORPUS[draw(0, len(CORPUS) - 1)][1])
    if not other:
        return data
    start = draw(0, len(other) - 1)
    snippet = other[start : start + draw(1, 8)]
    lines = _lines(data)
    at = draw(0, len(lines))
    if at < len(lines) and draw(0, 1):
        indent = _body(lines[at])[0]
        snippet = [indent + _body(line)[1] + (_body(line)[2] or b"\n") for line in snippet]
    return b"".join(lines[:at] + snippet + lines[at:])


def truncate(data: bytes, draw: Draw) -> bytes:
    return data[: draw(0, len(data))]


def flip_byte(data: bytes, draw: Draw) -> bytes:
    if not data:
        return data
    at = draw(0, len(data) - 1)
    how = draw(0, 2)
    value = BYTES[draw(0, len(BYTES) - 1)] if how == 0 else data[at] ^ (1 << draw(0, 7)) if how == 1 else draw(0, 255)
    return data[:at] + bytes([value]) + data[at + 1 :]


def swap_line_endings(data: bytes, draw: Draw) -> bytes:
    how = draw(0, 3)
    if how == 0:
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if how == 1:
        return data.replace(b"\r\n", b"\n")
    if how == 2:
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    lines = _lines(data)  # one line's ending changed: mixed endings
    if lines:
        i = draw(0, len(lines) - 1)
        indent, content, _ = _body(lines[i])
        lines[i] = indent + content + ENDINGS[draw(0, 2)]
    return b"".join(lines)


def add_bom(data: bytes, draw: Draw) -> bytes:
    return data if data.startswith(BOM) else BOM + data


def latin1_cookie(data: bytes, draw: Draw) -> bytes:
    """Re-encode as latin-1 (when the text allows it) under a PEP 263 cookie on
    line 1, on line 2 after a shebang, or after the first line (where Python
    ignores it unless that line is a comment)."""
    try:
        data = data.decode("utf-8").encode("latin-1")
    except (UnicodeDecodeError, UnicodeEncodeError):
        pass
    cookie = COOKIES[draw(0, len(COOKIES) - 1)] + b"\n"
    where = draw(0, 2)
    if where == 0:
        return cookie + data
    if where == 1:
        return b"#!/usr/bin/env python\n" + cookie + data
    lines = _lines(data)
    return b"".join(lines[:1] + [cookie] + lines[1:])


def deep_parentheses(data: bytes, draw: Draw) -> bytes:
    """Wrap a line's expression (the right-hand side of an assignment, what a
    `return` returns, or the whole line) in up to 260 parentheses (Python's
    parser stops at 200)."""
    lines = _lines(data)
    if not lines:
        return data
    i = draw(0, len(lines) - 1)
    indent, content, ending = _body(lines[i])
    content, hash_, comment = content.partition(b"  # ")
    depth = draw(1, 260)
    head, equals, tail = content.partition(b" = ")
    if not equals:
        head, keyword, tail = content.partition(b"return ")
        head, equals = head + keyword, b""
        if not keyword:
            head, tail = b"", content
    lines[i] = indent + head + equals + b"(" * depth + tail + b")" * depth + hash_ + comment + ending
    return b"".join(lines)


MUTATIONS: Sequence[Callable[[bytes, Draw], bytes]] = (
    delete_line, duplicate_line, swap_lines, reindent_line, insert_token, insert_snippet, truncate, flip_byte,
    swap_line_endings, add_bom, latin1_cookie, deep_parentheses,
)


@dataclass(frozen=True)
class Mutant:
    """A damaged input, and how it was made (Hypothesis prints this)."""

    seed: str
    steps: Tuple[str, ...]
    data: bytes

    @property
    def path(self) -> str:
        return self.seed  # keeps `tests/...` paths, which some rules treat differently


def mutate(draw: Draw, count: int) -> Mutant:
    seed, data = CORPUS[draw(0, len(CORPUS) - 1)]
    steps = []
    for _ in range(count):
        mutation = MUTATIONS[draw(0, len(MUTATIONS) - 1)]
        data = mutation(data, draw)
        steps.append(mutation.__name__)
    return Mutant(seed, tuple(steps), data)


@st.composite
def mutants(draw: Callable) -> Mutant:
    return mutate(lambda low, high: draw(st.integers(low, high)), draw(st.integers(1, 4)))


def seeded_mutants(seed: int, count: int) -> List[Mutant]:
    rng = random.Random(seed)
    return [mutate(rng.randint, rng.randint(1, 4)) for _ in range(count)]


# -------------------------------------------------------------- properties
def _parses(data: bytes) -> bool:
    """Whether `data`, decoded as Python decodes it, parses (quietly)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(decode_source(data))
    except Exception:  # SourceError, SyntaxError, ValueError (null byte), RecursionError, MemoryError
        return False
    return True


def _text(data: bytes) -> Optional[str]:
    try:
        return decode_source(data)
    except SourceError:
        return None


def _endings(data: bytes) -> Set[bytes]:
    return {_body(line)[2] for line in _lines(data)} - {b""}


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
_BLANK = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")


def _cookie_line(data: bytes) -> Optional[Tuple[int, bytes]]:
    """The line that holds the coding cookie Python obeys, with its number
    (line 1, or line 2 below a comment or blank line, as PEP 263 says)."""
    lines = [line.lstrip(BOM) if n == 0 else line for n, line in enumerate(_lines(data)[:2])]
    for number, line in enumerate(lines):
        if _COOKIE.match(line):
            return number, line
        if not _BLANK.match(line):
            break
    return None


def _comments(data: bytes) -> Optional[Counter]:
    """The comments of a file (None when `tokenize` cannot read it)."""
    try:
        text = decode_source(data)
        found = tokenize.generate_tokens(io.StringIO(text, newline="").readline)
        return Counter(token.string for token in found if token.type == tokenize.COMMENT)
    except (SyntaxError, tokenize.TokenError, ValueError):
        return None


def _encoding(data: bytes) -> str:
    return tokenize.detect_encoding(io.BytesIO(data).readline)[0]


@pytest.mark.slow
@MUTANTS
@given(mutant=mutants())
def test_the_engine_never_raises_nor_fails_inside(mutant: Mutant) -> None:
    for name, chosen in SETTINGS.items():
        with warnings.catch_warnings(record=True) as printed:
            warnings.simplefilter("always")
            found = lint_source(mutant.data, mutant.path, chosen)  # must not raise
            result = check_bytes(mutant.data, mutant.path, RunOptions(chosen))  # + `# noqa` handling
        assert not [d for d in found if d.code == "CRY002"], (name, found)
        assert found == sorted(found, key=Diagnostic.sort_key)
        assert not result.internal_error and not result.errors, (name, result)
        text = _text(mutant.data)
        if text is not None:  # text in (as the flake8 plugin's callers give it): the same answer
            assert lint_source(text, mutant.path, chosen) == found
        assert [str(w.message) for w in printed] == []  # (Python's SyntaxWarnings about the code included)


def _fix(data: bytes, path: str, chosen: Settings) -> FixResult:
    """`fix_source`, which must neither raise nor print a warning."""
    with warnings.catch_warnings(record=True) as printed:
        warnings.simplefilter("always")
        result = fix_source(data, path, chosen, unsafe=True)
    assert [str(w.message) for w in printed] == []  # (Python's SyntaxWarnings about the code included)
    return result


def _check_fix(mutant: Mutant, chosen: Settings) -> None:
    first = _fix(mutant.data, mutant.path, chosen)
    assert first.error is None or not first.changed
    if first.changed:
        assert _parses(mutant.data), "an unparseable file was rewritten"
        assert _parses(first.fixed), "the fixed file does not parse, in its own encoding"
        assert first.fixed.startswith(BOM) == mutant.data.startswith(BOM)
        assert _endings(first.fixed) <= (_endings(mutant.data) or {b"\n"})
        assert _encoding(first.fixed) == _encoding(mutant.data)
        assert _cookie_line(first.fixed) == _cookie_line(mutant.data)
        assert first.fixed.endswith((b"\r", b"\n")) == mutant.data.endswith((b"\r", b"\n"))
        before, after = _comments(mutant.data), _comments(first.fixed)
        assert before is None or (after is not None and not before - after), "a comment was lost"
    again = _fix(first.fixed, mutant.path, chosen)
    assert again.fixed == first.fixed, "fixing twice changed more than fixing once"
    assert again.applied == ()


@pytest.mark.slow
@MUTANTS
@given(mutant=mutants())
def test_the_fixer_keeps_files_valid_and_reaches_a_fixpoint(mutant: Mutant) -> None:
    for chosen in SETTINGS.values():
        _check_fix(mutant, chosen)


# -------------------------------------------------- through the command line
#: Fixtures copied into the project, whole (the fix goldens, both halves, and
#: the first fixture of each rule family); mutated files are added to them.
PROJECT_FIXTURES = sorted(FIXTURES_DIR.glob("fixes/*.py")) + [
    sorted(family.glob("*.py"))[0] for family in sorted(FIXTURES_DIR.iterdir())
    if family.name not in ("fixes", "projects") and list(family.glob("*.py"))
]
MUTATED_FILES = 8
SEED = 6


def _project(root: Path) -> Path:
    (root / "pyproject.toml").write_text("[tool.cryptolint]\n", encoding="utf-8")
    for source in PROJECT_FIXTURES:
        name = str(source.relative_to(FIXTURES_DIR)).replace("/", "__")
        shutil.copyfile(source, root / name)
    for number, mutant in enumerate(seeded_mutants(SEED, MUTATED_FILES)):
        (root / f"mutant_{number}.py").write_bytes(mutant.data)
    return root


def _snapshot(root: Path) -> Dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}


Findings = Set[Tuple[str, int, int, str, str]]


def _findings(stdout: str) -> Findings:
    return {(d["path"], d["line"], d["column"], d["code"], d["message"]) for d in json.loads(stdout)}


FIX = ["check", "--fix", "--unsafe-fixes", "--select", "CRY", "--format", "json", "-q"]


def _fix_in_process(capsys: pytest.CaptureFixture) -> Tuple[int, Findings, str]:
    status = cli.main(FIX + ["-j", "1", "--no-cache"])
    out, err = capsys.readouterr()
    return status, _findings(out), err


def test_the_mutants_of_the_command_line_tests_are_damaged() -> None:
    """The seeded files are not just copies: some no longer parse, some still do."""
    made = seeded_mutants(SEED, MUTATED_FILES)
    parseable = [_parses(m.data) for m in made]
    assert any(parseable) and not all(parseable), [(m.seed, m.steps) for m in made]


@pytest.mark.slow
def test_fixing_twice_equals_fixing_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = _project(tmp_path)
    before = _snapshot(root)
    monkeypatch.chdir(root)
    status, findings, errors = _fix_in_process(capsys)
    once = _snapshot(root)
    assert once != before, "the first run fixed nothing"
    assert all(_parses(data) for name, data in once.items() if once[name] != before[name])
    again_status, again_findings, again_errors = _fix_in_process(capsys)
    assert _snapshot(root) == once, "the second run changed files"
    assert (again_status, again_findings, again_errors) == (status, findings, errors)
    assert not [f for f in findings if f[3] == "CRY002"]


@pytest.mark.slow
def test_fixing_twice_through_the_real_entry_point(tmp_path: Path) -> None:
    """The installed command, with its worker processes and its cache."""
    root = _project(tmp_path)
    first = run(*FIX, cwd=root)
    once = _snapshot(root)
    second = run(*FIX, cwd=root)
    assert _snapshot(root) == once
    assert second.returncode == first.returncode
    assert second.stderr == first.stderr
    assert _findings(second.stdout) == _findings(first.stdout)
    assert first.returncode in (0, 1, 2) and "Traceback" not in first.stderr + second.stderr


# ------------------------------------- what the fuzzing found, as examples
WARNS = b"import random\nx = 1if y else 2\npattern = '\\d'\ntoken = random.choice('ab')\n"


def test_python_warnings_about_the_code_are_not_printed() -> None:
    """`1if` (SyntaxWarning) and `'\\d'` (DeprecationWarning, SyntaxWarning from
    Python 3.12) were printed on stderr by the engine and, three times, by the fixer."""
    with warnings.catch_warnings(record=True) as printed:
        warnings.simplefilter("always")
        assert [d.code for d in lint_source(WARNS, "app.py", ALL_ON)] == ["CRY101"]
        result = fix_source(WARNS, "app.py", ALL_ON)
    assert result.fixed == WARNS.replace(b"random", b"secrets")
    assert [str(w.message) for w in printed] == []


def test_a_file_mixing_bare_cr_and_lf_endings_is_not_fixed() -> None:
    """The import line added after `import hmac\\n` ended in the first line's
    `\\r`, which the blank `\\n` line after it turned into one `\\r\\n` line."""
    data = b"import hashlib as hl\rimport hmac\n\n\ndef register(user, password):\n    user.password_hash = hl.sha256(password.encode()).hexdigest()\n"
    result = fix_source(data, "app.py", ALL_ON, unsafe=True)
    assert result.fixed == data
    assert result.error == "some of its lines end in a bare carriage return, others in a bare line feed"
    assert [d.code for d in result.remaining] == ["CRY201"]


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_files_with_one_kind_of_ending_are_still_fixed(ending: str) -> None:
    """(With bare `\r` endings the file lost its last one: LibCST's parser
    does not count a final bare `\r` as the trailing newline.)"""
    data = "import hashlib as hl\nimport hmac\n\n\ndef register(user, password):\n    user.password_hash = hl.sha256(password.encode()).hexdigest()\n"
    result = fix_source(data.replace("\n", ending).encode(), "app.py", ALL_ON, unsafe=True)
    assert result.error is None
    expected = "import hmac\n\nfrom cryptolint import safe\n\n\ndef register(user, password):\n    user.password_hash = safe.hash_password(password)\n"
    assert result.fixed == expected.replace("\n", ending).encode()


def test_a_fix_that_would_drop_a_comment_is_not_applied() -> None:
    """Found by duplicating a line of fixes/hardcoded_secret_env.py: the literal
    replaced was `"a"  # first` `"b"`, whose first comment went with it."""
    data = b'def connect(driver):\n    return driver.connect(passwd=(\n        "Tr0ub4dor&3"  # first\n        "Tr0ub4dor&3"  # second\n    ))\n'
    result = fix_source(data, "app.py", ALL_ON, unsafe=True)
    assert (result.fixed, result.error, [d.code for d in result.remaining]) == (data, None, ["CRY302"])
    single = data.replace(b'        "Tr0ub4dor&3"  # second\n', b"")  # the comment after the last part is kept
    assert fix_source(single, "app.py", ALL_ON, unsafe=True).fixed == (
        b'import os\n\ndef connect(driver):\n    return driver.connect(passwd=(\n        os.environ["APP_PASSWD"]  # first\n    ))\n'
    )


def test_a_fix_that_would_change_the_encoding_is_not_applied() -> None:
    """A coding comment below a line of code does nothing; the fix removed that
    line (an unused import), and the comment, now on line 1, made the UTF-8
    file read as latin-1."""
    data = "import hashlib\n# -*- coding: latin-1 -*-\nimport os\n\nname = 'café'\ndigest = hashlib.sha256(password.encode()).hexdigest()\n"
    result = fix_source(data.encode(), "app.py", ALL_ON, unsafe=True)
    assert result.fixed == data.encode()
    assert result.error == "Python would read the fixed file in another encoding (a coding comment moved)"
