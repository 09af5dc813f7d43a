"""A fix as plain text edits, for formats that show fixes without applying them (SARIF).

The fixer (LibCST) is not used here: each edit's template is filled with the
source text of its holes, and each import the fix needs becomes an inserted
line after the module's leading imports.  Two things the fixer does are left
out: parentheses it adds where precedence needs them (rare with the
templates rules use), and removing imports the fix leaves unused (harmless).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import List, Optional, Sequence, Set, Tuple

from cryptolint.diagnostic import Fix, Import, Span


@dataclass(frozen=True)
class TextEdit:
    """Replace `span` (1-based lines, 0-based columns, end exclusive) with `text`."""

    span: Span
    text: str


def span_text(lines: Sequence[str], span: Span) -> str:
    """The source text `span` covers in `lines` (line endings kept)."""
    if not 1 <= span.line <= span.end_line <= len(lines):
        return ""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column : span.end_column]
    middle = "".join(lines[span.line : span.end_line - 1])
    return lines[span.line - 1][span.column :] + middle + lines[span.end_line - 1][: span.end_column]


def import_statement(imp: Import) -> str:
    return f"from {imp.module} import {imp.name}" if imp.name else f"import {imp.module}"


class FixText:
    """Turns the fixes of one file into text edits; parses the file at most once."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._parsed = False
        self._imported: Set[Tuple[str, Optional[str]]] = set()
        self._insert_line: Optional[int] = None

    def edits(self, fix: Fix) -> List[TextEdit]:
        """The replacements of `fix`, then the lines adding its imports; [] when a hole is not in the file."""
        result: List[TextEdit] = []
        for edit in dict.fromkeys(fix.edits):
            holes = [span_text(self.lines, hole) for hole in edit.holes]
            if any(not hole for hole in holes):
                return []
            try:
                result.append(TextEdit(edit.span, edit.template.format(*holes)))
            except (IndexError, KeyError, ValueError):
                return []
        added = self._import_edit(fix.add_imports)
        return sorted(result + ([added] if added else []), key=lambda e: e.span)

    def _import_edit(self, imports: Sequence[Import]) -> Optional[TextEdit]:
        self._parse()
        wanted = [imp for imp in dict.fromkeys(imports) if (imp.module, imp.name) not in self._imported]
        if not wanted or self._insert_line is None:
            return None
        ending = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        text = "".join(import_statement(imp) + ending for imp in wanted)
        line = self._insert_line
        if line > len(self.lines):  # after the last line
            last = self.lines[-1] if self.lines else ""
            if last and not last.endswith(("\n", "\r")):
                end = len(self.lines), len(last)
                return TextEdit(Span(*end, *end), ending + text.rstrip("\r\n"))
        return TextEdit(Span(line, 0, line, 0), text)

    def _parse(self) -> None:
        """Find what the module imports at the top level, and the line after its leading imports."""
        if self._parsed:
            return
        self._parsed = True
        try:
            tree = ast.parse("".join(self.lines))
        except (SyntaxError, ValueError, RecursionError):
            return
        after = 1
        for index, node in enumerate(tree.body):
            docstring = (
                index == 0 and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            )
            if isinstance(node, (ast.Import, ast.ImportFrom)) or docstring:
                after = (node.end_lineno or node.lineno) + 1
                self._note_imports(node)
            else:
                break
        for node in tree.body:
            self._note_imports(node)
        self._insert_line = after

    def _note_imports(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            self._imported.update((alias.name, None) for alias in node.names if alias.asname is None)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            self._imported.update((node.module, alias.name) for alias in node.names if alias.asname is None)

