"""Why a file did not parse, when the reason is not a mistake in it.

cryptolint parses with the `ast` of the Python it runs on, so a file written
for a newer Python (a `type` statement on 3.11) or an old Python 2 file fails
to parse like a broken one.  Given the parser's error, `hint` says which it
looks like and what to do.  It looks only at the line the parser stopped on
(and the one after, for `match`), and names a version only when that version
is newer than the running one, so a hint never excuses a real mistake by a
feature this Python already has.
"""

from __future__ import annotations

import re
import sys
from typing import List, Optional, Sequence, Tuple

Version = Tuple[int, int]

_NAME = r"[A-Za-z_]\w*"

#: (version, what, pattern over the error line), newest first.
_NEWER: Sequence[Tuple[Version, str, "re.Pattern[str]"]] = (
    ((3, 14), "a template string (PEP 750)", re.compile(r"(?:^|[\s=(\[{,:])(?:[tT][rR]?|[rR][tT])['\"]")),
    ((3, 13), "a type parameter default (PEP 696)",
     re.compile(rf"^\s*(?:(?:async\s+)?def|class)\s+{_NAME}\s*\[[^\]]*=|^\s*type\s+{_NAME}\s*\[[^\]]*=")),
    ((3, 12), "a `type` statement (PEP 695)", re.compile(rf"^\s*type\s+{_NAME}\s*(?:\[.*\])?\s*=")),
    ((3, 12), "a generic function or class (PEP 695)", re.compile(rf"^\s*(?:(?:async\s+)?def|class)\s+{_NAME}\s*\[")),
    ((3, 11), "`except*` (PEP 654)", re.compile(r"^\s*except\s*\*")),
    ((3, 11), "a starred expression in a subscript (PEP 646)", re.compile(r"\[\s*\*\s*" + _NAME + r"|,\s*\*\s*" + _NAME + r"\s*\]")),
    ((3, 10), "a `match` statement (PEP 634)", re.compile(r"^\s*match\s+\S.*:\s*(?:#.*)?$")),
    ((3, 10), "parenthesized context managers", re.compile(r"^\s*(?:async\s+)?with\s*\(.*\bas\b")),
)

#: f-string errors of Pythons before 3.12 that PEP 701 removed (nested quotes,
#: backslashes and comments inside the braces).
_FSTRING_MESSAGES = ("f-string", "unterminated string literal", "unexpected EOF while parsing")

#: (what, test on the error line and the parser's message).
_PYTHON2: Sequence[Tuple[str, "re.Pattern[str]"]] = (
    ("a `print` statement", re.compile(r"^\s*print\s+(?![(=.,)\]}:]|\s*$|\bif\b|\bfor\b)\S")),
    ("an `exec` statement", re.compile(r"^\s*exec\s+(?![(=.,)\]}:]|\s*$)\S")),
    ("`except X, e:`", re.compile(rf"^\s*except\s+[\w.]+\s*,\s*{_NAME}\s*:")),
    ("`raise E, message`", re.compile(r"^\s*raise\s+[\w.]+\s*,")),
    ("an octal literal like `0777`", re.compile(r"(?<![\w.])0\d+(?![\w.])")),
    ("a `ur''` string prefix", re.compile(r"(?<![\w.])[uU][rR]['\"]")),
    ("a long integer like `10L`", re.compile(r"(?<![\w.])\d+[lL](?!\w)")),
    ("the `<>` operator", re.compile(r"<>")),
)


_PY2 = "this looks like Python 2 ({}), which cryptolint does not read; port the file to Python 3 or exclude it"


def running() -> Version:
    return sys.version_info[:2]


def hint(exc: SyntaxError, lines: Sequence[str], version: Optional[Version] = None) -> Optional[str]:
    """What to add to the parser's message, or None when nothing is known.

    A newer feature is named only when LibCST's parser, which reads the
    grammar of Python 3.0 to 3.15 whatever Python runs it, accepts the whole
    file: then the file is valid for some newer Python, not broken.  (LibCST
    is the fixer's engine; it is imported here only for a file that `ast`
    refused.)"""
    version = version or running()
    number = (exc.lineno or 1) - 1
    line = lines[number].rstrip("\r\n") if 0 <= number < len(lines) else (exc.text or "")
    message = exc.msg or ""
    newer = _newer_feature(line, lines[number + 1:number + 4], message, version)
    if newer is not None and _valid_for_a_newer_python("".join(lines)):
        (major, minor), what = newer
        return (
            f"{what} needs Python {major}.{minor} or later and cryptolint runs on Python {version[0]}.{version[1]};"
            f" run cryptolint with Python {major}.{minor}+ (pre-commit: `language_version: python{major}.{minor}`)"
        )
    column = (exc.offset or 1) - 1
    if 0 <= column < len(line) and line[column] == "`":  # a backtick outside a string
        return _PY2.format("backticks for `repr`")
    old = _python2_feature(line, message)
    if old is not None:
        return _PY2.format(old)
    return None


def _newer_feature(line: str, following: Sequence[str], message: str, version: Version) -> Optional[Tuple[Version, str]]:
    for needed, what, pattern in _NEWER:
        if needed <= version or not pattern.search(line):
            continue
        if what.startswith("a `match`") and not any(re.match(r"\s*case\b", text) for text in following if text.strip()):
            continue
        return needed, what
    if version < (3, 12) and message.startswith(_FSTRING_MESSAGES) and re.search(r"(?<![\w.])[rRbB]?[fF][rR]?['\"]", line):
        return (3, 12), "this f-string (PEP 701: quotes, backslashes or comments inside the braces)"
    return None


def _valid_for_a_newer_python(text: str) -> bool:
    try:
        import libcst
    except ImportError:  # pragma: no cover - libcst is a dependency
        return True
    try:
        libcst.parse_module(text)
    except Exception:  # ParserSyntaxError, or anything the parser raises on odd input
        return False
    return True


def _python2_feature(line: str, message: str) -> Optional[str]:
    if "Missing parentheses in call to 'print'" in message:
        return "a `print` statement"
    if "Missing parentheses in call to 'exec'" in message:
        return "an `exec` statement"
    if "leading zeros in decimal integer literals" in message:
        return "an octal literal like `0777`"
    for what, pattern in _PYTHON2:
        if what.startswith("`except") and running() >= (3, 14):
            continue  # PEP 758: `except A, B:` catches both
        if pattern.search(_code_part(line)):
            return what
    return None


def _code_part(line: str) -> str:
    """`line` without a trailing comment (a rough cut: a `#` inside a string ends it too)."""
    return line.split("#", 1)[0]


__all__: List[str] = ["hint", "running"]
