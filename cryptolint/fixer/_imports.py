"""Adding and removing imports the way the file already writes them.

New `import x` statements go into the file's top import block: into the
group (blank-line separated) that holds the same kind of import (standard
library, or third party for `from cryptolint import safe`), at the sorted
position when the group is sorted.  A name needed from a module that the
file already imports from is added to that `from` statement.  An import a
fix asks to remove goes only when its name occurs nowhere else in the
module (`_bindings`), and a removed line's leading comments and blank lines
move to the next statement, so an encoding cookie or a section comment is
never lost.
"""

from __future__ import annotations

import ast
import sys
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from cryptolint.diagnostic import Import
from cryptolint.fixer._bindings import names_in_use

Statement = Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]
ImportNode = Union[cst.Import, cst.ImportFrom]

_STDLIB: frozenset = getattr(sys, "stdlib_module_names", frozenset()) or frozenset(
    "abc argparse ast asyncio base64 binascii collections contextlib copy crypt dataclasses datetime "
    "enum functools getpass glob hashlib hmac io itertools json logging math os pathlib pickle random "
    "re secrets shutil socket ssl string struct subprocess sys tempfile threading time typing "
    "unittest urllib uuid warnings".split()
)
_FUTURE, _STDLIB_KIND, _THIRD_PARTY, _LOCAL = 0, 1, 2, 3


def _module_name(node: cst.ImportFrom) -> Optional[str]:
    if node.relative or node.module is None:
        return None
    return cst.Module([]).code_for_node(node.module)


def _import_of(statement: cst.CSTNode) -> Optional[ImportNode]:
    """The import of a one-statement line, else None."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            return small
    return None


# ------------------------------------------------------------------ adding
def add_imports(module: cst.Module, imports: Iterable[Import]) -> cst.Module:
    """`module` with each of `imports` present at module level."""
    for imp in sorted(set(imports), key=lambda i: (i.module, i.name or "")):
        if _present(module, imp):
            continue
        if imp.name is not None:
            merged = _merge_into_from(module, imp)
            if merged is not None:
                module = merged
                continue
        module = _insert(module, imp)
    return module


def _present(module: cst.Module, imp: Import) -> bool:
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import) and imp.name is None:
                for alias in small.names:
                    if alias.evaluated_alias is None and alias.evaluated_name.split(".")[0] == imp.module.split(".")[0]:
                        if alias.evaluated_name == imp.module or "." not in imp.module:
                            return True
            if isinstance(small, cst.ImportFrom) and imp.name is not None and _module_name(small) == imp.module:
                if isinstance(small.names, cst.ImportStar):
                    continue
                if any(a.evaluated_name == imp.name and a.evaluated_alias in (None, imp.name) for a in small.names):
                    return True
    return False


def _merge_into_from(module: cst.Module, imp: Import) -> Optional[cst.Module]:
    """Add `imp.name` to the file's first `from imp.module import ...`."""
    for index, statement in enumerate(module.body):
        node = _import_of(statement)
        if not isinstance(node, cst.ImportFrom) or _module_name(node) != imp.module:
            continue
        if isinstance(node.names, cst.ImportStar):
            continue
        names = list(node.names)
        position = _sorted_position([a.evaluated_name for a in names], imp.name or "")
        separator = next((a.comma for a in names[:-1] if isinstance(a.comma, cst.Comma)), None)
        separator = separator or cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        new = cst.ImportAlias(name=cst.Name(imp.name or ""))
        if position < len(names):
            names.insert(position, new.with_changes(comma=separator))
        else:
            names[-1], last_comma = names[-1].with_changes(comma=separator), names[-1].comma
            names.append(new.with_changes(comma=last_comma))
        assert isinstance(statement, cst.SimpleStatementLine)
        line = statement.with_changes(body=[node.with_changes(names=names)])
        return module.with_changes(body=[*module.body[:index], line, *module.body[index + 1 :]])
    return None


def _sorted_position(names: Sequence[str], new: str) -> int:
    """Where `new` goes among `names`: sorted if they are, else at the end."""
    orders: Tuple[Callable[[str], Any], ...] = (_isort_key, str.lower, str)
    for key in orders:
        keys = [key(n) for n in names]
        if keys == sorted(keys):
            return next((i for i, k in enumerate(keys) if k > key(new)), len(names))
    return len(names)


def _isort_key(name: str) -> Tuple[int, str]:
    """isort's default `order_by_type`: CONSTANTS, Classes, then functions."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _kind(node: ImportNode) -> int:
    if isinstance(node, cst.ImportFrom):
        name = _module_name(node)
        if name is None:
            return _LOCAL
    else:
        name = node.names[0].evaluated_name
    top = name.split(".")[0]
    if top == "__future__":
        return _FUTURE
    return _STDLIB_KIND if top in _STDLIB else _THIRD_PARTY


def _sort_name(node: ImportNode) -> str:
    if isinstance(node, cst.ImportFrom):
        return (_module_name(node) or "").lower()
    return node.names[0].evaluated_name.lower()


def _insert(module: cst.Module, imp: Import) -> cst.Module:
    """Insert a new import statement for `imp` where the file's style puts it."""
    text = f"import {imp.module}" if imp.name is None else f"from {imp.module} import {imp.name}"
    new = cst.parse_statement(text, config=module.config_for_parsing)
    assert isinstance(new, cst.SimpleStatementLine)
    body = list(module.body)
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _import_of(body[end]) is not None:
        end += 1
    while start < end and _kind(_import_of(body[start])) == _FUTURE:  # type: ignore[arg-type]
        start += 1
    kind = _STDLIB_KIND if imp.module.split(".")[0] in _STDLIB else _THIRD_PARTY
    groups = _groups(body, start, end)
    same = [g for g in groups if _kind(_import_of(body[g[0]])) == kind]  # type: ignore[arg-type]
    if same:
        first, last = same[0]
        at = _position_in_group(body, first, last, new.body[0], imp)  # type: ignore[arg-type]
        return module.with_changes(body=_put(body, at, new, at == first))
    later = [g for g in groups if _kind(_import_of(body[g[0]])) > kind]  # type: ignore[arg-type]
    if later:
        # A new group of its own, before the groups of later kinds.
        at = later[0][0]
        blank, rest = _split_leading(body[at].leading_lines)
        body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine()] * max(1, len(blank)) + rest)
        body.insert(at, new.with_changes(leading_lines=blank))
        return module.with_changes(body=body)
    if groups:
        # A new group after the last one.
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
        return module.with_changes(body=_put(body, end, new, False))
    if start < len(body):
        following = body[start]
        blank, rest = _split_leading(following.leading_lines)
        new = new.with_changes(leading_lines=blank)
        body[start] = following.with_changes(leading_lines=[cst.EmptyLine()] * max(1, len(blank)) + rest)
    body.insert(start, new)
    return module.with_changes(body=body)


def _groups(body: Sequence[Statement], start: int, end: int) -> List[Tuple[int, int]]:
    """(first, last) index of each blank-line separated group of imports."""
    groups: List[Tuple[int, int]] = []
    for index in range(start, end):
        if not groups or body[index].leading_lines:
            groups.append((index, index))
        else:
            groups[-1] = (groups[-1][0], index)
    return groups


def _position_in_group(body: Sequence[Statement], first: int, last: int, new: ImportNode, imp: Import) -> int:
    """The index to insert `new` at inside one group, keeping its order."""
    members = [(i, _import_of(body[i])) for i in range(first, last + 1)]
    same = [(i, n) for i, n in members if type(n) is type(new)]
    if not same:
        if isinstance(new, cst.Import):  # plain imports before `from` imports
            return first
        return last + 1
    names = [_sort_name(n) for _, n in same]  # type: ignore[arg-type]
    position = _sorted_position(names, _sort_name(new))
    if position < len(same):
        return same[position][0]
    return same[-1][0] + 1


def _put(body: List[Statement], at: int, new: cst.SimpleStatementLine, take_leading: bool) -> List[Statement]:
    """Insert `new` at `at`; at the start of a group it takes over the group's leading lines."""
    body = list(body)
    if take_leading and at < len(body):
        new = new.with_changes(leading_lines=body[at].leading_lines)
        body[at] = body[at].with_changes(leading_lines=[])
    body.insert(at, new)
    return body


def _split_leading(lines: Sequence[cst.EmptyLine]) -> Tuple[List[cst.EmptyLine], List[cst.EmptyLine]]:
    blank: List[cst.EmptyLine] = []
    for line in lines:
        if line.comment is not None:
            break
        blank.append(line)
    return blank, list(lines[len(blank) :])


def _is_docstring(statement: Statement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


# ---------------------------------------------------------------- removing
def remove_unused_imports(module: cst.Module, imports: Iterable[Import]) -> cst.Module:
    """`module` without those of `imports` whose name is no longer used.

    Which names are used is read from the module's `ast` (`_bindings`), not
    from LibCST's scope analysis, which costs seconds on a large file; the
    `ast` answer keeps an import whenever its name occurs anywhere.
    """
    wanted = set(imports)
    if not wanted:
        return module
    finder = _ImportFinder(wanted)
    module.visit(finder)
    if not finder.found:
        return module
    used = names_in_use(ast.parse(module.code), {name for _, name in finder.found})
    doomed = {id(alias) for alias, name in finder.found if name not in used}
    if not doomed:
        return module
    return module.visit(_Remover(lambda alias: id(alias) in doomed))


class _ImportFinder(cst.CSTVisitor):
    """The aliases of `wanted` imports anywhere in a module, with the names they bind."""

    def __init__(self, wanted: Set[Import]) -> None:
        super().__init__()
        self.wanted = wanted
        self.found: List[Tuple[cst.ImportAlias, str]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Import):
            for alias in node.names:
                if Import(alias.evaluated_name) in self.wanted:
                    self.found.append((alias, alias.evaluated_alias or alias.evaluated_name.split(".")[0]))
        elif isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            module = _module_name(node)
            for alias in node.names:
                if module is not None and Import(module, alias.evaluated_name) in self.wanted:
                    self.found.append((alias, alias.evaluated_alias or alias.evaluated_name))
        return not isinstance(node, (cst.BaseExpression, cst.BaseSmallStatement))


class _Remover(cst.CSTTransformer):
    """Drops import aliases; keeps the comments and blank lines around them."""

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Lines are rewritten from their original statements when left.
        return not isinstance(node, (cst.BaseExpression, cst.SimpleStatementLine, cst.SimpleStatementSuite))

    def __init__(self, doomed: Callable[[cst.ImportAlias], bool]) -> None:
        super().__init__()
        self.doomed = doomed
        #: Lines left without statements, by identity: their parent drops
        #: them (LibCST would drop an empty line with its comments).
        self.emptied: Dict[int, cst.SimpleStatementLine] = {}

    def _small(self, statement: cst.BaseSmallStatement) -> Optional[cst.BaseSmallStatement]:
        """`statement` without its doomed aliases; None when none is left."""
        if not isinstance(statement, (cst.Import, cst.ImportFrom)) or isinstance(statement.names, cst.ImportStar):
            return statement
        names = statement.names
        kept = [a for a in names if not self.doomed(a)]
        if len(kept) == len(names):
            return statement
        if not kept:
            return None
        if kept[-1] is not names[-1]:
            kept[-1] = kept[-1].with_changes(comma=_last_comma(kept[-1].comma, names[-1].comma))
        return statement.with_changes(names=kept)

    def _body(
        self, original: Sequence[cst.BaseSmallStatement], body: Sequence[cst.BaseSmallStatement]
    ) -> List[cst.BaseSmallStatement]:
        # Imports have no parts this transformer changes, so the original
        # nodes (whose aliases `doomed` knows by identity) can be kept as such.
        results = [self._small(o) if isinstance(o, (cst.Import, cst.ImportFrom)) else s for o, s in zip(original, body)]
        kept = [r for r in results if r is not None]
        if kept and results[-1] is None:
            # The last statement went: the new last one ends the line as it did.
            kept[-1] = kept[-1].with_changes(semicolon=body[-1].semicolon)
        return kept

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        body = self._body(original_node.body, updated_node.body)
        if body:
            return updated_node.with_changes(body=body)
        marker = updated_node.with_changes(body=[cst.Pass()])
        self.emptied[id(marker)] = marker
        return marker

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        return updated_node.with_changes(body=self._body(original_node.body, updated_node.body) or [cst.Pass()])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body, footer = _drop_empty(updated_node.body, updated_node.footer, self.emptied, module_start=True)
        return updated_node.with_changes(body=body, footer=footer)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body, footer = _drop_empty(updated_node.body, updated_node.footer, self.emptied)
        if not body:
            body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=footer)]
            footer = []
        return updated_node.with_changes(body=body, footer=footer)


def _last_comma(
    own: Union[cst.Comma, cst.MaybeSentinel], removed: Union[cst.Comma, cst.MaybeSentinel]
) -> Union[cst.Comma, cst.MaybeSentinel]:
    """The comma of a new last alias: trailing only if the old last one's was."""
    if not isinstance(removed, cst.Comma) or not isinstance(own, cst.Comma):
        return cst.MaybeSentinel.DEFAULT
    after = removed.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment is not None:
        after = after.with_changes(first_line=cst.TrailingWhitespace(newline=after.first_line.newline))
    return own.with_changes(whitespace_after=after)


def _drop_empty(
    body: Sequence[cst.BaseStatement],
    footer: Sequence[cst.EmptyLine],
    emptied: Dict[int, cst.SimpleStatementLine],
    module_start: bool = False,
) -> Tuple[List[cst.BaseStatement], List[cst.EmptyLine]]:
    """Remove emptied lines, handing their leading lines to what follows.

    Blank lines are not added up: a removed line between two blank-line
    separated groups leaves one separation, not two; and a module whose first
    statement went does not start with the blank lines that followed it.
    """
    result: List[cst.BaseStatement] = []
    pending: Optional[List[cst.EmptyLine]] = None
    for statement in body:
        if emptied.get(id(statement)) is statement:
            pending = [*(pending or []), *emptied[id(statement)].leading_lines]
            continue
        if pending is not None:
            leading = list(getattr(statement, "leading_lines", ()))
            if module_start and not result:
                merged = pending + _split_leading(leading)[1]
            else:
                merged = _merge_leading(pending, leading)
            statement = statement.with_changes(leading_lines=merged)
            pending = None
        result.append(statement)
    return result, [*(pending or []), *footer]


def _merge_leading(removed: List[cst.EmptyLine], kept: List[cst.EmptyLine]) -> List[cst.EmptyLine]:
    """The leading lines of a statement that takes over a removed one's."""
    if any(line.comment is not None for line in removed):
        return [*removed, *kept]
    blank, rest = _split_leading(kept)
    return (removed if len(removed) > len(blank) else blank) + rest
