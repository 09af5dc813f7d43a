"""Which diagnostics the user silenced: `# noqa` comments and per-file-ignores.

`# noqa` follows flake8 exactly, so a file reads the same under both tools:

* `# noqa` (any case) silences every code; `# noqa: CRY101,CRY2` or
  `# noqa:CRY101 CRY2` silences codes starting with one of the listed codes;
  `# noqa : CRY101` (space before the colon) and `# noqa: CRY` (no digit) are
  blanket, as in flake8; codes are compared case-sensitively, as in flake8.
* A diagnostic is matched against the text flake8 maps its line to: the
  lines from one NL/NEWLINE token to the next.  So a comment after a
  multi-line string or on any line of a statement continued with `\\`
  covers all of its lines (the first `# noqa` there counts), while inside
  brackets each physical line stands alone (tokenize ends each with NL).
* A comment-only line `# flake8: noqa` or `# cryptolint: noqa` exempts the file.

Comments and logical lines are found with `tokenize`.  One difference from
flake8: flake8 also honours `# noqa` written inside a string literal, since
it searches the line's text; cryptolint only reads comments.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Union

from cryptolint.diagnostic import Diagnostic
from cryptolint.globs import PathPattern, absolute
from cryptolint.settings import Settings

#: flake8's `defaults.NOQA_INLINE_REGEXP`, verbatim.
NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
#: flake8's `defaults.NOQA_FILE`, also accepting `# cryptolint: noqa`.
NOQA_FILE = re.compile(r"\s*# (?:flake8|cryptolint)[:=]\s*noqa", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\s]")


@dataclass(frozen=True)
class Noqa:
    """One `# noqa` comment: where it is and what it silences."""

    line: int
    column: int
    #: None for a blanket `# noqa`.
    codes: Optional[Tuple[str, ...]]

    @classmethod
    def parse(cls, comment: str, line: int, column: int) -> Optional["Noqa"]:
        match = NOQA_INLINE.search(comment)
        if match is None:
            return None
        codes_text = match.group("codes")
        if codes_text is None:
            return cls(line, column + match.start(), None)
        codes = tuple(part.strip() for part in _SEPARATORS.split(codes_text) if part.strip())
        return cls(line, column + match.start(), codes)

    def suppresses(self, code: str) -> bool:
        return self.codes is None or code in self.codes or code.startswith(self.codes)


class NoqaMap:
    """For each line, the `# noqa` comment that covers it (flake8's line mapping)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._by_line: Dict[int, Optional[Noqa]] = {}
        self.directives: List[Noqa] = []
        self.file_exempt = False
        self.tokenized = self._scan()

    def _scan(self) -> bool:
        source = "".join(self.lines)
        first = len(self.lines) + 2
        start, end = first, -1
        pending: List[Noqa] = []
        try:
            for token in tokenize.generate_tokens(io.StringIO(source).readline):
                kind, text, (s_line, s_col), (e_line, _), physical = token
                if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                    continue
                start, end = min(start, s_line), max(end, e_line)
                if kind == tokenize.COMMENT:
                    if NOQA_FILE.match(physical) and not physical[:s_col].strip():
                        self.file_exempt = True
                    directive = Noqa.parse(text, s_line, s_col)
                    if directive is not None:
                        pending.append(directive)
                        self.directives.append(directive)
                elif kind in (tokenize.NL, tokenize.NEWLINE):
                    chosen = pending[0] if pending else None
                    for number in range(start, end + 1):
                        self._by_line[number] = chosen
                    start, end, pending = first, -1, []
        except (tokenize.TokenError, SyntaxError):
            # Like flake8: a file that does not tokenize falls back to the
            # physical line of each diagnostic.
            self._by_line.clear()
            self.directives.clear()
            self.file_exempt = False
            return False
        return True

    def directive_for(self, line: int) -> Optional[Noqa]:
        """The `# noqa` that covers `line`, if any."""
        if line in self._by_line:
            return self._by_line[line]
        if not 1 <= line <= len(self.lines):
            return None
        # Not mapped (the file did not tokenize): flake8 reads the physical line.
        return Noqa.parse(self.lines[line - 1], line, 0)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        if self.file_exempt:
            return True
        directive = self.directive_for(diagnostic.line)
        return directive is not None and directive.suppresses(diagnostic.code)


def per_file_ignored(path: str, settings: Settings) -> Tuple[str, ...]:
    """The codes (prefixes) `per-file-ignores` switches off for `path`."""
    if not settings.per_file_ignores:
        return ()
    full = absolute(path)
    codes: List[str] = []
    for pattern, ignored in settings.per_file_ignores:
        if PathPattern.make(pattern).matches(full):
            codes.extend(ignored)
    return tuple(codes)


class SuppressionFilter:
    """Decides which diagnostics of one file the user wants to see.

    Used by the CLI (before reporting) and by the fixer (a silenced
    diagnostic is not fixed either).  `lines` is the decoded source, split
    with line endings kept.
    """

    def __init__(self, lines: Sequence[str], path: str, settings: Settings, *, noqa: bool = True) -> None:
        self.path = path
        self.noqa = NoqaMap(lines) if noqa else None
        self.ignored = tuple(code.upper() for code in per_file_ignored(path, settings))

    @classmethod
    def for_source(
        cls, source: Union[str, bytes], path: str, settings: Settings, *, noqa: bool = True
    ) -> "SuppressionFilter":
        """A filter for raw file contents (undecodable bytes have no `# noqa`)."""
        return cls(source_lines(source), path, settings, noqa=noqa)

    def keep(self, diagnostic: Diagnostic) -> bool:
        """False when a `# noqa` or a per-file-ignore silences `diagnostic`."""
        if self.ignored and any(p == "ALL" or diagnostic.code.startswith(p) for p in self.ignored):
            return False
        return not (self.noqa is not None and self.noqa.suppresses(diagnostic))

    __call__ = keep

    def filter(self, diagnostics: Sequence[Diagnostic]) -> List[Diagnostic]:
        return [d for d in diagnostics if self.keep(d)]


def source_lines(source: Union[str, bytes]) -> List[str]:
    """The lines of `source` as the engine sees them (decoded, BOM removed)."""
    if isinstance(source, bytes):
        from cryptolint.engine import SourceError, decode_source

        try:
            source = decode_source(source)
        except SourceError:
            return []
    elif source.startswith("\ufeff"):
        source = source[1:]
    return split_lines(source)


def split_lines(text: str) -> List[str]:
    """`text` split after each `\\r\\n`, `\\r` or `\\n`, endings kept.

    Only those end lines for Python; `str.splitlines` also splits on form
    feeds and other separators, which would shift line numbers.
    """
    return _LINE.findall(text)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
