"""Everything a check may ask about the file it is checking."""

from __future__ import annotations

import ast
import enum
import fnmatch
import re
import sys
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypeVar

from cryptolint.analysis.control import Control
from cryptolint.analysis.flows import Flows
from cryptolint.analysis.names import SecretName
from cryptolint.analysis.scopes import Module
from cryptolint.analysis.summaries import Entry, Summaries
from cryptolint.analysis.values import Values
from cryptolint.diagnostic import Span
from cryptolint.settings import Settings

#: Folders whose files are test code, and test file names.
TEST_DIRECTORIES = frozenset({"tests", "test", "testing"})
TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "*_tests.py", "conftest.py", "tests.py", "test.py")


def is_test_path(path: str) -> bool:
    """Whether `path` (as given: relative paths are read from the project
    root) names test code: a file under a `tests`/`test`/`testing` folder,
    or a `test_*.py`, `*_test.py`, `tests.py` (Django's), `test.py` or `conftest.py` file."""
    parts = path.replace("\\", "/").split("/")
    if any(part in TEST_DIRECTORIES for part in parts[:-1]):
        return True
    return any(fnmatch.fnmatchcase(parts[-1], pattern) for pattern in TEST_FILE_PATTERNS)


_Analysis = TypeVar("_Analysis")


#: An import of a test framework at the start of a line: the file is a test
#: harness wherever it lives (`mypkg/testing.py` importing pytest).
_HARNESS_IMPORT = re.compile(r"^[ \t]*(?:import|from)[ \t]+(?:pytest|_pytest|unittest|hypothesis|nose2?)\b", re.M)
#: How deliberately vulnerable lab and training code says what it is, near
#: the top of the file ("# Deliberately vulnerable: do not deploy").
_LAB_MARKER = re.compile(r"\b(?:deliberately|intentionally)[ \t]+(?:vulnerable|insecure)\b|\bvulnerable[ \t]+by[ \t]+design\b", re.I)
#: How far from the top a lab marker counts.
_LAB_MARKER_REACH = 2000


class TestCodeKind(enum.Enum):
    """Which kind of test code a file is."""

    __test__ = False  # not a pytest test class

    #: A test file by its path (`is_test_path`): it stays with the project.
    TEST_FILE = "test file"
    #: A test harness outside the test folders (it imports pytest, unittest,
    #: hypothesis or nose): a helper that usually ships with the package.
    HARNESS = "harness"
    #: Lab or training code that declares itself deliberately vulnerable.
    LAB = "lab"


def kind_of_test_code(path: str, text: str) -> Optional[TestCodeKind]:
    """Which kind of test code the file at `path` with source `text` is, or
    None for code that is not test code."""
    if is_test_path(path):
        return TestCodeKind.TEST_FILE
    if _LAB_MARKER.search(text, 0, _LAB_MARKER_REACH):
        return TestCodeKind.LAB
    if _HARNESS_IMPORT.search(text):
        return TestCodeKind.HARNESS
    return None


def is_test_code(path: str, text: str) -> bool:
    """Whether the file at `path` with source `text` is test code of any kind."""
    return kind_of_test_code(path, text) is not None


def place_import_names(tree: ast.Module, lines: Sequence[str]) -> None:
    """Give each name of an import its position, as Python 3.10 and later do
    (`import a, pyDes` reports `pyDes` at its column, not the statement's),
    so findings are placed alike on every supported Python.  The names are
    found in order after the `import` keyword; one not found keeps none."""
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or not node.names or hasattr(node.names[0], "lineno"):
            continue
        first, last = node.lineno, getattr(node, "end_lineno", None) or node.lineno
        if not 1 <= first <= last <= len(lines):
            continue
        text = "".join(lines[first - 1 : last])
        starts = [0]
        for text_line in lines[first - 1 : last]:
            starts.append(starts[-1] + len(text_line))
        keyword = re.compile(r"\bimport\b").search(text, _char_offset(lines[first - 1], node.col_offset))
        position = keyword.end() if keyword else 0
        for alias in node.names:
            if alias.name == "*":
                continue
            pattern = r"\s*\.\s*".join(re.escape(part) for part in alias.name.split("."))
            if alias.asname:
                pattern += r"\s+as\s+" + re.escape(alias.asname)
            found = re.compile(r"(?<![\w.])" + pattern + r"(?!\w)").search(text, position)
            if found is None:
                break
            for point, (index, column) in (("", _line_column(starts, found.start())), ("end_", _line_column(starts, found.end()))):
                source_line = lines[first - 1 + index]
                setattr(alias, f"{point}lineno", first + index)
                setattr(alias, f"{point}col_offset", len(source_line[:column].encode("utf-8", "surrogatepass")))
            position = found.end()


def _char_offset(line: str, byte_offset: int) -> int:
    return len(line.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "replace"))


def _line_column(starts: List[int], offset: int) -> Tuple[int, int]:
    """(line index, column) of a character offset into joined lines."""
    line = 0
    while line + 1 < len(starts) - 1 and starts[line + 1] <= offset:
        line += 1
    return line, offset - starts[line]


class Context:
    """One file under analysis: its source, tree, and the shared analyses."""

    def __init__(
        self,
        path: str,
        lines: Sequence[str],
        tree: ast.Module,
        settings: Settings,
        foreign: Optional[Mapping[str, Entry]] = None,
    ) -> None:
        self.path = path
        self.lines = lines
        self.tree = tree
        self.settings = settings
        self.policy = settings.policy
        if sys.version_info < (3, 10):
            place_import_names(tree, lines)
        self.module = Module(tree)
        self.values = Values(self.module, foreign)
        #: What functions here (and imported project ones) return and take.
        self.summaries = Summaries(self.module, self.values, settings.secret_names, settings.not_secret_names, foreign)
        self.flows = Flows(self.module, self.values, settings.secret_names, settings.not_secret_names, self.summaries)
        #: Who chooses a value: the other side of a connection, or this program.
        self.control = Control(self.module, self.values, self.summaries)
        self._shared: Dict[Callable[..., Any], Any] = {}

    @property
    def test_code(self) -> Optional[TestCodeKind]:
        """Which kind of test code this file is (`kind_of_test_code`), or None."""
        try:
            return self._test_code
        except AttributeError:
            self._test_code: Optional[TestCodeKind] = kind_of_test_code(self.path, "".join(self.lines))
            return self._test_code

    @property
    def is_test_file(self) -> bool:
        """Whether this file is test code of any kind: fixes that would make a
        test suite need configuration (an environment variable, a new hash
        format) are not offered there."""
        return self.test_code is not None

    def shared(self, factory: Callable[["Context"], _Analysis]) -> _Analysis:
        """The per-file analysis `factory(self)`, built once for every rule that asks."""
        try:
            return self._shared[factory]  # type: ignore[no-any-return]
        except KeyError:
            made = self._shared[factory] = factory(self)
            return made

    # ----------------------------------------------------------- shortcuts
    def resolve(self, expr: ast.AST) -> Optional[str]:
        return self.module.resolve(expr)

    def call_name(self, call: ast.Call) -> Optional[str]:
        return self.module.call_name(call)

    def classify(self, identifier: str) -> Optional[SecretName]:
        return self.flows.classify(identifier)

    # ------------------------------------------------------------ positions
    def span(self, node: ast.AST) -> Span:
        """The character span of `node` (ast columns are UTF-8 byte offsets)."""
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = self._char_column(line, getattr(node, "col_offset", 0))
        end_col_raw = getattr(node, "end_col_offset", None)
        end_col = self._char_column(end_line, end_col_raw) if end_col_raw is not None else col
        return Span(line, col, end_line, end_col)

    def _char_column(self, line: int, byte_col: int) -> int:
        if 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            if text.isascii():
                return byte_col
            return len(text.encode("utf-8", "surrogatepass")[:byte_col].decode("utf-8", "replace"))
        return byte_col

    def spelled(self, node: ast.AST) -> str:
        """The source of `node` on one line (runs of whitespace made one space), for messages."""
        return " ".join(self.source(node).split())

    def shown(self, node: ast.AST, qualname: Optional[str] = None, limit: int = 40) -> str:
        """How a message shows a callee or value: its source on one line, or
        `qualname` (without `()`) when that is longer than `limit`, or the
        source cut to `limit` with `...` when there is no `qualname`."""
        text = self.spelled(node)
        if len(text) <= limit or qualname is None:
            return text if len(text) <= limit else text[: limit - 3] + "..."
        return qualname.replace("()", "")

    def named(self, node: ast.AST, qualname: Optional[str]) -> str:
        """"`ssl.CERT_NONE`", or "`NO_CHECK` (`ssl.CERT_NONE`)" when spelled otherwise."""
        text = self.shown(node)
        if qualname is None or text == qualname:
            return f"`{text}`"
        return f"`{text}` (`{qualname}`)"

    def source(self, node: ast.AST) -> str:
        """The exact source text of `node`."""
        span = self.span(node)
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.column : span.end_column]
        parts: List[str] = [self.lines[span.line - 1][span.column :]]
        parts.extend(self.lines[span.line : span.end_line - 1])
        parts.append(self.lines[span.end_line - 1][: span.end_column])
        return "".join(parts)
