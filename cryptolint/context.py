"""Everything a check may ask about the file it is checking."""

from __future__ import annotations

import ast
import fnmatch
from functools import cached_property
from typing import List, Mapping, Optional, Sequence

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
TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "*_tests.py", "conftest.py")


def is_test_path(path: str) -> bool:
    """Whether `path` (as given: relative paths are read from the project
    root) names test code: a file under a `tests`/`test`/`testing` folder,
    or a `test_*.py`, `*_test.py` or `conftest.py` file."""
    parts = path.replace("\\", "/").split("/")
    if any(part in TEST_DIRECTORIES for part in parts[:-1]):
        return True
    return any(fnmatch.fnmatchcase(parts[-1], pattern) for pattern in TEST_FILE_PATTERNS)


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
        self.module = Module(tree)
        self.values = Values(self.module, foreign)
        #: What functions here (and imported project ones) return and take.
        self.summaries = Summaries(self.module, self.values, settings.secret_names, settings.not_secret_names, foreign)
        self.flows = Flows(self.module, self.values, settings.secret_names, settings.not_secret_names, self.summaries)
        #: Who chooses a value: the other side of a connection, or this program.
        self.control = Control(self.module, self.values, self.summaries)

    # ----------------------------------------------------------- shortcuts
    def resolve(self, expr: ast.AST) -> Optional[str]:
        return self.module.resolve(expr)

    def call_name(self, call: ast.Call) -> Optional[str]:
        return self.module.call_name(call)

    def classify(self, identifier: str) -> Optional[SecretName]:
        return self.flows.classify(identifier)

    @cached_property
    def is_test_file(self) -> bool:
        return is_test_path(self.path)

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

    def source(self, node: ast.AST) -> str:
        """The exact source text of `node`."""
        span = self.span(node)
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.column : span.end_column]
        parts: List[str] = [self.lines[span.line - 1][span.column :]]
        parts.extend(self.lines[span.line : span.end_line - 1])
        parts.append(self.lines[span.end_line - 1][: span.end_column])
        return "".join(parts)
