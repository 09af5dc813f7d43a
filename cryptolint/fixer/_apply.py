"""One pass: apply the non-overlapping fixes of a file with LibCST.

Each edit names the exact span of an `ast` expression.  The span is looked up
among LibCST's syntactic positions (which, like `ast`, leave out the
expression's own parentheses), the template is parsed as an expression with
a placeholder name per hole, the placeholders are replaced by the user's own
nodes (so their comments and formatting survive), and the result is
parenthesized where precedence or a neighbouring keyword demands it.
"""

from __future__ import annotations

import ast
import string
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from cryptolint.diagnostic import Diagnostic, Edit, Import, Span
from cryptolint.fixer._bindings import bound_name, rebinds
from cryptolint.fixer._imports import add_imports, remove_unused_imports
from cryptolint.fixer._precedence import needs_parentheses, parenthesize
from cryptolint.fixer._source import LineIndex
from cryptolint.fixer._tree import Located

_HOLE = "__cryptolint_hole_{}__"


class FixError(Exception):
    """A fix cannot be applied as written: a bug in the rule that made it."""


class _Skip(Exception):
    """This fix cannot be applied here with certainty; leave it unapplied."""


@dataclass(frozen=True)
class Pass:
    """What one pass did: the new text and the diagnostics it fixed."""

    text: str
    applied: Tuple[Diagnostic, ...]


def select(diagnostics: Iterable[Diagnostic], lines: LineIndex) -> List[Diagnostic]:
    """The diagnostics whose fixes can all be applied together, first come first.

    Identical edits made by several diagnostics count once; a fix that
    overlaps one already chosen waits for the next pass.
    """
    taken: Set[Edit] = set()
    ranges: List[Tuple[int, int]] = []  # what chosen fixes replace
    read: List[Tuple[int, int]] = []  # what they copy (holes outside their spans, if any)
    chosen: List[Diagnostic] = []
    for diagnostic in diagnostics:
        assert diagnostic.fix is not None
        edits = [e for e in dict.fromkeys(diagnostic.fix.edits) if e not in taken]
        spans = [_range(e.span, lines, diagnostic) for e in edits]
        reads = [_range(h, lines, diagnostic) for e in edits for h in e.holes]
        for i, first in enumerate(spans):
            if any(_overlap(first, other) for other in spans[i + 1 :]):
                raise FixError(f"{_where(diagnostic)}: the edits of one fix overlap")
        if any(_overlap(mine, other) for mine in spans + reads for other in ranges) or any(
            _overlap(mine, other) for mine in spans for other in read
        ):
            continue
        taken.update(edits)
        ranges.extend(spans)
        read.extend(reads)
        chosen.append(diagnostic)
    return chosen


def apply_pass(text: str, diagnostics: Sequence[Diagnostic]) -> Pass:
    """Apply the fixes of `diagnostics` (already selected) to `text`."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise FixError(f"LibCST cannot parse the file: {exc.message} (line {exc.raw_line})") from exc
    if text.endswith("\r") and not module.has_trailing_newline:
        module = module.with_changes(has_trailing_newline=True)  # LibCST's parser drops a last bare `\r`
    planner = _Planner(Located(module), LineIndex(text))
    plan: Dict[cst.CSTNode, cst.BaseExpression] = {}
    applied: List[Diagnostic] = []
    for diagnostic, replacements in planner.plan_all(diagnostics):
        plan.update(replacements)
        applied.append(diagnostic)
    if not plan:
        return Pass(text, ())
    try:
        result = planner.located.replace(plan)
    except cst.CSTValidationError as exc:
        raise FixError(f"a replacement does not fit where it goes: {exc}") from exc
    adds = [imp for d in applied for imp in d.fix.add_imports]  # type: ignore[union-attr]
    removes = [imp for d in applied for imp in d.fix.remove_imports if imp not in adds]  # type: ignore[union-attr]
    result = add_imports(result, adds)
    result = remove_unused_imports(result, removes)
    return Pass(result.code, tuple(applied))


_Targets = List[Tuple[Edit, cst.BaseExpression, List[cst.BaseExpression]]]


class _Planner:
    """Finds the nodes of a module by span and builds their replacements."""

    def __init__(self, located: Located, lines: LineIndex) -> None:
        self.located = located
        self.module = located.module
        self.lines = lines
        self.ancestry: Dict[cst.CSTNode, List[cst.CSTNode]] = {}
        self._tree: Optional[ast.Module] = None

    def plan_all(
        self, diagnostics: Sequence[Diagnostic]
    ) -> Iterator[Tuple[Diagnostic, Dict[cst.CSTNode, cst.BaseExpression]]]:
        """Each diagnostic whose fix can be applied here, with its replacements."""
        located: List[Tuple[Diagnostic, _Targets]] = []
        for diagnostic in diagnostics:
            assert diagnostic.fix is not None
            try:
                self._check_names(diagnostic.fix.add_imports)
                targets = [
                    (edit, self.find(edit.span), [self.find(hole) for hole in edit.holes])
                    for edit in dict.fromkeys(diagnostic.fix.edits)
                ]
            except _Skip:
                continue
            located.append((diagnostic, targets))
        self.ancestry = self.located.ancestors({t for _, ts in located for _, t, _ in ts})
        for diagnostic, targets in located:
            try:
                built: Dict[cst.CSTNode, cst.BaseExpression] = {target: self._build(diagnostic, edit, target, holes) for edit, target, holes in targets}
            except _Skip:
                continue
            yield diagnostic, built

    def _build(
        self, diagnostic: Diagnostic, edit: Edit, target: cst.BaseExpression, holes: List[cst.BaseExpression]
    ) -> cst.BaseExpression:
        expression = _template(edit.template, len(holes), self.module, diagnostic)
        filled = expression.visit(_Filler(holes))
        assert isinstance(filled, cst.BaseExpression)
        fitted = self._fit(filled, target, edit.span)
        if _comments(target) - _comments(fitted):  # one between the parts of `"a"  # x` / `"b"`, not in a hole
            raise _Skip("the replacement would drop a comment")
        return fitted

    def find(self, span: Span) -> cst.BaseExpression:
        """The expression whose syntactic position is exactly `span`."""
        node = self.located.by_span.get((span.line, span.column, span.end_line, span.end_column))
        if node is not None:
            return node
        # `ast` gives a generator expression that is a call's only argument
        # the call's parentheses; LibCST does not.
        where = self.lines.range(span)
        text = self.lines.text
        if where is not None and where[1] - where[0] >= 2:
            start, end = where
            if text[start] == "(" and text[end - 1] == ")":
                start, end = start + 1, end - 1
                while start < end and text[start] in " \t\r\n":
                    start += 1
                while end > start and text[end - 1] in " \t\r\n":
                    end -= 1
                key = self.lines.position(start) + self.lines.position(end)
                node = self.located.by_span.get(key)
                if isinstance(node, cst.GeneratorExp):
                    return node
        raise _Skip(f"no expression at {span}")

    def _check_names(self, imports: Sequence[Import]) -> None:
        """Refuse when a name the fix imports is bound to something else in the module."""
        if not imports:
            return
        if self._tree is None:
            self._tree = ast.parse(self.lines.text)
        for imp in imports:
            if rebinds(self._tree, imp):
                raise _Skip(f"`{bound_name(imp)}` is bound to something else in this module")

    def _fit(self, node: cst.BaseExpression, target: cst.BaseExpression, span: Span) -> cst.BaseExpression:
        """`node` made ready to stand where `target` is."""
        if target.lpar:
            return node.with_changes(lpar=target.lpar, rpar=target.rpar)
        chain = self.ancestry.get(target, [])
        parent = chain[-1] if chain else None
        grandparent = chain[-2] if len(chain) > 1 else None
        code = _code(node)
        self._check_fstring(chain, code)
        wrap = parent is not None and needs_parentheses(node, parent, target, grandparent)
        wrap = wrap or _exposed_newline(code) or self._touches_word(span, code)
        return parenthesize(node) if wrap and not node.lpar else node

    def _touches_word(self, span: Span, code: str) -> bool:
        """Whether `code` would run into a keyword or name next to the span."""
        where = self.lines.range(span)
        if where is None or not code:
            return False
        text = self.lines.text
        before = text[where[0] - 1] if where[0] > 0 else " "
        after = text[where[1]] if where[1] < len(text) else " "
        return (_word(before) and _word(code[0])) or (_word(after) and _word(code[-1]))

    @staticmethod
    def _check_fstring(chain: Sequence[cst.CSTNode], code: str) -> None:
        """Before Python 3.12 an f-string field cannot hold its own quote or a backslash."""
        for node in reversed(chain):
            if isinstance(node, cst.FormattedString):
                quote = node.start.lstrip("rRfFbBuU")[:1]
                if quote in code or "\\" in code:
                    raise _Skip("the replacement cannot go inside this f-string")
                return


def _template(template: str, holes: int, module: cst.Module, diagnostic: Diagnostic) -> cst.BaseExpression:
    """Parse `template` with one placeholder name per `{n}`."""
    parts: List[str] = []
    try:
        for literal, field, spec, conversion in string.Formatter().parse(template):
            parts.append(literal)
            if field is None:
                continue
            if spec or conversion or not field.isdigit() or int(field) >= holes:
                raise FixError(f"{_where(diagnostic)}: bad hole `{{{field}}}` in template {template!r}")
            parts.append(_HOLE.format(field))
    except ValueError as exc:
        raise FixError(f"{_where(diagnostic)}: bad template {template!r}: {exc}") from exc
    try:
        return cst.parse_expression("".join(parts), config=module.config_for_parsing)
    except cst.ParserSyntaxError as exc:
        raise FixError(f"{_where(diagnostic)}: template {template!r} is not an expression") from exc


class _Filler(cst.CSTTransformer):
    """Puts the user's nodes into a parsed template's placeholders."""

    def __init__(self, holes: Sequence[cst.BaseExpression]) -> None:
        super().__init__()
        self.holes = {_HOLE.format(i): node for i, node in enumerate(holes)}
        self.used: Set[str] = set()
        self.stack: List[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        self.stack.pop()
        if not (isinstance(original_node, cst.Name) and original_node.value in self.holes):
            return updated_node
        hole = self.holes[original_node.value]
        if original_node.value in self.used:
            hole = hole.deep_clone()
        self.used.add(original_node.value)
        parent = self.stack[-1] if self.stack else None
        if isinstance(parent, (cst.Attribute, cst.Arg)) and original_node is not getattr(parent, "value", None):
            raise FixError("a template hole must stand for an expression")
        if hole.lpar or parent is None:
            return hole
        grandparent = self.stack[-2] if len(self.stack) > 1 else None
        if needs_parentheses(hole, parent, original_node, grandparent) or _exposed_newline(_code(hole)):
            return parenthesize(hole)
        return hole


def _comments(node: cst.CSTNode) -> Counter:
    """The comments inside `node`."""
    found: Counter = Counter()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Comment):
            found[current.value] += 1
        stack.extend(current.children)
    return found


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _exposed_newline(code: str) -> bool:
    """Whether `code` spans lines that only its old surroundings held together."""
    if "\n" not in code and "\r" not in code:
        return False
    try:
        compile(code, "<replacement>", "eval", dont_inherit=True)
    except SyntaxError:
        return True
    return False


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _range(span: Span, lines: LineIndex, diagnostic: Diagnostic) -> Tuple[int, int]:
    where = lines.range(span)
    if where is None:
        raise FixError(f"{_where(diagnostic)}: edit span {span} is outside the file")
    return where


def _overlap(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a == b or (a[0] < b[1] and b[0] < a[1])


def _where(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.code} at {diagnostic.line}:{diagnostic.column + 1}"
