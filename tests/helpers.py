"""Shared test helpers: rule pages, fixture markers, engine shortcuts, the CLI
in a subprocess over small projects, the GitHub runner's command parser, and
the library tables checked against the installed libraries.

Test modules import from here (or get fixtures from conftest.py), never from
one another."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple, Union

from cryptolint.engine import lint_source
from cryptolint.fixer import FixResult, fix_source
from cryptolint.registry import all_rules
from cryptolint.settings import Settings
from cryptolint.suppression import SuppressionFilter

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
FIXTURES_DIR = ROOT / "fixtures"
README = ROOT / "README.md"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

#: Every rule on, including those off by default, with the default policy.
ALL_ON = Settings(select=tuple(rule.code for rule in all_rules()))

_BLOCK = re.compile(r"^```python (bad|good|fixed)( project)?[^\n]*\n(.*?)^```", re.S | re.M)
#: `# file: config.py` opens one module of a `python bad project` block.
_FILE_HEADER = re.compile(r"^# file: (\S+)\n", re.M)
#: `# error: CRY101` or, pinning the (1-based) column, `# error: CRY101:20`;
#: several codes separated by commas or spaces.
_MARKER = re.compile(r"#\s*error:\s*((?:CRY\d{3}(?::\d+)?[\s,]*)+)")
_MARKED = re.compile(r"(CRY\d{3})(?::(\d+))?")


@dataclass(frozen=True)
class Page:
    path: Path
    code: str
    name: str
    text: str
    blocks: Dict[str, List[str]]
    #: `python bad project` / `python good project` blocks: several modules
    #: (`# file: NAME` before each), checked together by `cryptolint check`.
    projects: Dict[str, List[Dict[str, str]]]


def rule_pages() -> List[Page]:
    pages = []
    for path in sorted(RULES_DIR.glob("CRY*.md")):
        code, _, name = path.stem.partition("-")
        text = path.read_text(encoding="utf-8")
        blocks: Dict[str, List[str]] = {"bad": [], "good": [], "fixed": []}
        projects: Dict[str, List[Dict[str, str]]] = {"bad": [], "good": []}
        for kind, project_block, body in _BLOCK.findall(text):
            if project_block:
                projects[kind].append(project_files(body))
            else:
                blocks[kind].append(body)
        pages.append(Page(path, code, name, text, blocks, projects))
    return pages


def project_files(body: str) -> Dict[str, str]:
    """The modules of a multi-file example, by path: each starts at its
    `# file: NAME` line (left out of the module's text)."""
    parts = _FILE_HEADER.split(body)
    assert not parts[0].strip() and len(parts) >= 5, "a project block holds two or more `# file:` modules"
    return dict(zip(parts[1::2], parts[2::2]))


@dataclass(frozen=True, order=True)
class Marker:
    """`# error: CODE[:COLUMN]` on a fixture line."""

    line: int
    code: str
    #: 1-based, as `cryptolint check` and flake8 print it; None: any column.
    column: Optional[int] = None


def fixture_markers(source: str) -> List[Marker]:
    """Every `# error:` marker of a fixture, in order."""
    markers = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.search(line)
        if match:
            for code, column in _MARKED.findall(match.group(1)):
                markers.append(Marker(number, code, int(column) if column else None))
    return markers


def expected_markers(source: str) -> Set[Tuple[int, str]]:
    """(line, code) pairs marked with `# error: CRYnnn` in a fixture."""
    return {(marker.line, marker.code) for marker in fixture_markers(source)}


Position = Tuple[int, Optional[int], str]


def marker_mismatches(
    markers: Iterable[Marker], found: Iterable[Tuple[int, int, str]]
) -> Tuple[List[Position], List[Position]]:
    """What the markers expect and `found` (line, 1-based column, code) lacks,
    and what `found` has that no marker expects, as (line, column, code).

    A line's code is expected when a marker names it.  When every marker of
    that line and code pins a column, the findings of that code on the line
    must be at exactly those columns; an unpinned marker accepts any."""
    pinned: Dict[Tuple[int, str], Set[int]] = {}
    loose: Set[Tuple[int, str]] = set()
    for marker in markers:
        if marker.column is None:
            loose.add((marker.line, marker.code))
        else:
            pinned.setdefault((marker.line, marker.code), set()).add(marker.column)
    columns: Dict[Tuple[int, str], Set[int]] = {}
    for line, column, code in found:
        columns.setdefault((line, code), set()).add(column)
    missing: List[Position] = []
    unexpected: List[Position] = []
    for key in sorted(loose | set(pinned)):
        at = columns.get(key, set())
        if not at:
            missing.append((key[0], None, key[1]))
        missing.extend((key[0], column, key[1]) for column in sorted(pinned.get(key, set()) - at) if at)
        if key not in loose:
            unexpected.extend((key[0], column, key[1]) for column in sorted(at - pinned[key]))
    for key in sorted(set(columns) - loose - set(pinned)):
        unexpected.extend((key[0], column, key[1]) for column in sorted(columns[key]))
    return missing, unexpected


def lint(source: str, path: str = "example.py", settings: Optional[Settings] = None) -> List[Tuple[int, int, str]]:
    """(line, column, code) of every diagnostic, with every rule on."""
    return [(d.line, d.column, d.code) for d in lint_source(source, path, settings or ALL_ON)]


def codes(source: str, path: str = "example.py", settings: Optional[Settings] = None) -> List[str]:
    return [code for _, _, code in lint(source, path, settings)]


#: Fix goldens: `name.py` fixed (unsafe fixes on, every rule on) is `name.fixed.py`.
FIXES_DIR = FIXTURES_DIR / "fixes"
FIX_INPUTS = sorted(p for p in FIXES_DIR.glob("*.py") if not p.name.endswith(".fixed.py"))


def golden_of(path: Path) -> Path:
    """`name.py` -> `name.fixed.py`, beside it."""
    return path.with_name(path.name[: -len(".py")] + ".fixed.py")


def fix_like_the_cli(
    data: bytes, path: str = "example.py", settings: Optional[Settings] = None, *, unsafe: bool = False
) -> FixResult:
    """What `cryptolint check --fix` does to one file's bytes: every rule on
    unless `settings` says otherwise, `# noqa` honoured."""
    settings = settings or ALL_ON
    keep = SuppressionFilter.for_source(data, path, settings)
    return fix_source(data, path, settings, unsafe=unsafe, keep=keep.keep)


def assert_fixes(
    before: Union[str, bytes],
    after: Union[str, bytes],
    *,
    unsafe: bool = False,
    settings: Optional[Settings] = None,
    path: str = "example.py",
) -> FixResult:
    """Fixing `before` (as `fix_like_the_cli`) gives exactly `after`, without
    an error, and fixing `after` again changes nothing.  Text is UTF-8; pass
    bytes to compare encodings, BOMs and line endings exactly."""
    as_text = isinstance(before, str)
    data = before.encode("utf-8") if isinstance(before, str) else before
    expected = after.encode("utf-8") if isinstance(after, str) else after
    result = fix_like_the_cli(data, path, settings, unsafe=unsafe)
    assert result.error is None, result.error
    if as_text:  # a readable diff when it fails
        assert result.fixed.decode("utf-8") == after
    assert result.fixed == expected
    if expected != data:
        again = fix_like_the_cli(expected, path, settings, unsafe=unsafe)
        assert (again.error, again.fixed, again.applied) == (None, expected, ()), "fixing the result again changed it"
    return result


def fixture_files() -> List[Path]:
    return sorted(
        p for p in FIXTURES_DIR.rglob("*.py")
        if not p.name.endswith(".fixed.py") and "projects" not in p.relative_to(FIXTURES_DIR).parts
    )


class UpstreamNews(UserWarning):
    """A library offers a member cryptolint's tables do not list yet: knowledge
    to add, not a broken build.  `CRYPTOLINT_UPSTREAM_STRICT=1` (the run against
    the newest releases) turns it into a failure."""


def report_new_members(table: str, offered: Set[str], listed: Set[str]) -> None:
    """Warn (or, when strict, fail) about members of an installed library that
    the table named `table` does not know."""
    new = sorted(offered - listed)
    if not new:
        return
    message = f"{table}: the installed library offers {', '.join(new)}, which cryptolint does not list"
    if os.environ.get("CRYPTOLINT_UPSTREAM_STRICT") == "1":
        raise AssertionError(message)
    warnings.warn(UpstreamNews(message), stacklevel=2)


def public_classes(module: Any, base: type = object) -> Set[str]:
    """`module.Class` for every concrete public class `module` offers that
    derives from `base` (found with `dir`: some libraries load them lazily)."""
    found = set()
    for name in dir(module):
        member = getattr(module, name, None) if not name.startswith("_") else None
        if inspect.isclass(member) and issubclass(member, base) and member is not base and not inspect.isabstract(member):
            found.add(f"{module.__name__}.{name}")
    return found


def load_qualname(qualname: str) -> Any:
    """The object a qualified name of the API tables stands for (`Class().method`
    -> the method): the longest prefix that imports as a module, then
    attributes, where an attribute wins over a submodule of the same name
    (`nacl.bindings.crypto_box` is a function; `nacl.bindings.crypto_box.crypto_box`
    the same one).  ImportError when the library is not installed,
    AttributeError when it lacks the name."""
    parts = qualname.replace("()", "").split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            try:  # a submodule that its package does not import (`Crypto.Cipher.AES`)
                return importlib.import_module(".".join(parts))
            except ImportError:
                raise AttributeError(f"{qualname}: no such attribute in the installed library") from None
        return obj
    return importlib.import_module(".".join(parts))


# ------------------------------------------------ the CLI over small projects
SCRIPT = Path(sys.executable).with_name("cryptolint")

TOKENS = '''\
import random
import string

ALPHABET = string.ascii_letters + string.digits


def make_reset_token():
    return "".join(random.choice(ALPHABET) for _ in range(32))


def shuffled(cards):
    deck = list(cards)
    random.shuffle(deck)
    return deck
'''
TOKENS_FINDING = (
    "8:20: CRY101 `random.choice` makes the value returned by `make_reset_token` predictable; use `secrets.choice`"
)
ONE_LINER = 'import random\n\nreset_token = random.choice("abcdef0123456789")\n'
ONE_LINER_FINDING = "3:15: CRY101 `random.choice` makes `reset_token` predictable; use `secrets.choice`"
CLEAN = "import secrets\n\n\ndef make_reset_token():\n    return secrets.token_urlsafe(32)\n"
# (mentions `random`: the engine's pre-filter parses only files that could hold a finding)
BROKEN = "import random\n\n\ndef f(:\n    pass\n"
TOKENS_FIXED = TOKENS.replace("import random\n", "import random\nimport secrets\n").replace(
    "random.choice(", "secrets.choice("
)


def project(root: Path, files: Dict[str, Union[str, bytes]], config: str = "") -> Path:
    """A project with a (possibly empty) [tool.cryptolint] table, so no outer config applies."""
    (root / "pyproject.toml").write_text("[tool.cryptolint]\n" + config, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(
    *args: str, cwd: Path, stdin: Optional[str] = None, script: bool = False, env: Optional[Dict[str, str]] = None
) -> subprocess.CompletedProcess:
    """The CLI in a subprocess; `env` adds to a clean environment (no PYTHON*, no colour settings)."""
    command = [str(SCRIPT)] if script else [sys.executable, "-m", "cryptolint"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in ("NO_COLOR", "FORCE_COLOR")}
    env = {**clean, **(env or {})}
    return subprocess.run(
        command + list(args), cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120, env=env,
    )


EXCERPT_LINE = re.compile(r"^ +\d* +[|=]")


def text_lines(output: str) -> List[str]:
    """The finding, fix and summary lines of text output: the source excerpts
    under each finding (` 8 | code`, `   | ^^^`, `   = fix: ...`) and the
    blank lines after them are left out."""
    return [line for line in output.splitlines() if line and not EXCERPT_LINE.match(line)]


def lines(result: subprocess.CompletedProcess) -> List[str]:
    return text_lines(result.stdout)


# ------------------------------------------------ GitHub's runner
#: How the Actions runner splits output into lines (.NET ReadLine) and reads a
#: command from one (ActionCommand.TryParseV2), including its unescaping.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _unescape(text: str, mappings: List[Tuple[str, str]]) -> str:
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


_DATA = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]
_PROPERTY = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]


def runner_commands(output: str) -> List[Tuple[str, Dict[str, str], str]]:
    commands = []
    for line in LINE_BREAK.split(output):
        line = line.lstrip()
        if not line.startswith("::"):
            continue
        end = line.find("::", 2)
        if end < 0:
            continue
        info = line[2:end]
        name, _, props = info.partition(" ")
        properties = {}
        for prop in filter(None, props.strip().split(",")):
            key, sep, value = prop.partition("=")
            if sep and key and value:
                properties[key] = _unescape(value, _PROPERTY)
        commands.append((name, properties, _unescape(line[end + 2:], _DATA)))
    return commands


def snippet(name: str) -> str:
    """The body of the README's code block marked `<!-- snippet:NAME -->`."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- snippet:{name} -->\n```\w*\n(.*?)```\n", text, re.S)
    assert match, f"README.md has no snippet `{name}`"
    return match.group(1)
