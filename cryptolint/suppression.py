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

With `honour-nosec` (command line only; the flake8 plugin leaves comments to
flake8), bandit's `# nosec` (every code) and `# nosec B311,B324` and ruff's
`# noqa: S311` also silence the CRY rules that find the same problem
(`FOREIGN_CODES`).  Text after the codes (a justification) is allowed.

With `report-unused-noqa`, `filter` adds a CRY003 finding for each comment
whose CRY (or mapped) codes silenced nothing; blanket comments are left
alone, since other tools may need them.

Comments and logical lines are found with `tokenize`.  One difference from
flake8: flake8 also honours `# noqa` written inside a string literal, since
it searches the line's text; cryptolint only reads comments.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

from cryptolint.diagnostic import Diagnostic, Span
from cryptolint.globs import PathPattern, absolute
from cryptolint.registry import all_rules
from cryptolint.settings import Settings
from cryptolint.source import source_lines

#: flake8's `defaults.NOQA_INLINE_REGEXP`, verbatim.
NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
#: flake8's `defaults.NOQA_FILE`, also accepting `# cryptolint: noqa`.
NOQA_FILE = re.compile(r"\s*# (?:flake8|cryptolint)[:=]\s*noqa", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\s]")
#: bandit's `# nosec` with optional test ids (`# nosec B311, B324`, `# nosec: B303`).
NOSEC_INLINE = re.compile(r"#\s*nosec\b:?\s*(?P<codes>(?:[A-Z][0-9]{3}(?:[,\s]+|$))*)")

#: bandit test ids -> the CRY rules that report the same problem.  ruff's
#: flake8-bandit codes are the same numbers with `S` (S311 is B311); both
#: spellings are accepted in `# nosec` and in `# noqa`.
BANDIT_TO_CRY: Dict[str, Tuple[str, ...]] = {
    "B105": ("CRY302",),  # hardcoded_password_string
    "B106": ("CRY302",),  # hardcoded_password_funcarg
    "B107": ("CRY302",),  # hardcoded_password_default
    "B303": ("CRY206", "CRY201"),  # md5 / sha1 (blacklist)
    "B304": ("CRY601",),  # insecure ciphers
    "B305": ("CRY504",),  # insecure cipher modes (ECB)
    "B311": ("CRY101",),  # random
    "B323": ("CRY704",),  # ssl._create_unverified_context
    "B324": ("CRY206", "CRY201"),  # hashlib md5 / sha1
    "B501": ("CRY704",),  # request_with_no_cert_validation
    "B502": ("CRY705",),  # ssl_with_bad_version
    "B503": ("CRY705",),  # ssl_with_bad_defaults
    "B504": ("CRY705",),  # ssl_with_no_version
    "B505": ("CRY602",),  # weak_cryptographic_key
}
FOREIGN_CODES: Dict[str, Tuple[str, ...]] = {
    **BANDIT_TO_CRY, **{"S" + code[1:]: rules for code, rules in BANDIT_TO_CRY.items()},
}


@dataclass(frozen=True)
class Noqa:
    """One `# noqa` comment: where it is and what it silences."""

    line: int
    column: int
    #: None for a blanket `# noqa`.
    codes: Optional[Tuple[str, ...]]
    #: Length of the directive's text (for reporting it).
    length: int = 0
    #: "noqa" or "nosec".
    kind: str = "noqa"

    @classmethod
    def parse(cls, comment: str, line: int, column: int) -> Optional["Noqa"]:
        match = NOQA_INLINE.search(comment)
        if match is None:
            return None
        codes_text = match.group("codes")
        if codes_text is None:
            return cls(line, column + match.start(), None, len(match.group(0)))
        codes = tuple(part.strip() for part in _SEPARATORS.split(codes_text) if part.strip())
        return cls(line, column + match.start(), codes, len(match.group(0).rstrip(", \t")))

    @classmethod
    def parse_nosec(cls, comment: str, line: int, column: int) -> Optional["Noqa"]:
        """bandit's `# nosec [B311,...]` (every code when no id is listed)."""
        match = NOSEC_INLINE.search(comment)
        if match is None:
            return None
        codes = tuple(part for part in _SEPARATORS.split(match.group("codes")) if part)
        return cls(line, column + match.start(), codes or None, len(match.group(0).rstrip(", \t")), "nosec")

    def matching(self, code: str, foreign: bool = False) -> Optional[str]:
        """The listed code that silences `code` ("" for a blanket directive), or None."""
        if self.codes is None:
            return ""
        for listed in self.codes:
            if code.startswith(listed) or (foreign and code in FOREIGN_CODES.get(listed, ())):
                return listed
        return None

    def suppresses(self, code: str, foreign: bool = False) -> bool:
        return self.matching(code, foreign) is not None


class NoqaMap:
    """For each line, the `# noqa` comment that covers it (flake8's line mapping)."""

    def __init__(self, lines: Sequence[str], nosec: bool = False) -> None:
        self.lines = lines
        #: Honour `# nosec` and the bandit/ruff codes of `FOREIGN_CODES`.
        self.nosec = nosec
        self._by_line: Dict[int, Optional[Noqa]] = {}
        self._nosec_by_line: Dict[int, Optional[Noqa]] = {}
        #: For each line, the last line of the range a comment covers it from.
        self._range_end: Dict[int, int] = {}
        self.directives: List[Noqa] = []
        self.file_exempt = False
        #: (directive, listed code) pairs that silenced something.
        self.used: Set[Tuple[Noqa, str]] = set()
        # Most files hold no directive at all: they need no tokenize pass
        # (a third of the time of linting a file with findings).
        self._scanned = self._may_hold_directives()
        self.tokenized = self._scan() if self._scanned else True

    def _may_hold_directives(self) -> bool:
        lowered = "".join(self.lines).lower()
        return "noqa" in lowered or (self.nosec and "nosec" in lowered)

    def _scan(self) -> bool:
        source = "".join(self.lines)
        first = len(self.lines) + 2
        start, end = first, -1
        pending: List[Noqa] = []
        pending_nosec: List[Noqa] = []
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
                    nosec = Noqa.parse_nosec(text, s_line, s_col) if self.nosec else None
                    if nosec is not None:
                        pending_nosec.append(nosec)
                        self.directives.append(nosec)
                elif kind in (tokenize.NL, tokenize.NEWLINE):
                    chosen = pending[0] if pending else None
                    chosen_nosec = pending_nosec[0] if pending_nosec else None
                    for number in range(start, end + 1):
                        self._by_line[number] = chosen
                        self._nosec_by_line[number] = chosen_nosec
                        self._range_end[number] = end
                    start, end, pending, pending_nosec = first, -1, [], []
        except (tokenize.TokenError, SyntaxError):
            # Like flake8: a file that does not tokenize falls back to the
            # physical line of each diagnostic.
            self._by_line.clear()
            self._nosec_by_line.clear()
            self._range_end.clear()
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

    def comment_line(self, line: int) -> int:
        """The physical line where a new `# noqa` comment would cover `line`:
        the last line of its statement continued with `\\` or of its
        multi-line string, else `line` itself."""
        if not self._scanned:
            self._scanned = True
            self.tokenized = self._scan()
        return self._range_end.get(line, line)

    def nosec_for(self, line: int) -> Optional[Noqa]:
        """The `# nosec` that covers `line`, if any (None unless honoured)."""
        if not self.nosec:
            return None
        if line in self._nosec_by_line or line in self._by_line:
            return self._nosec_by_line.get(line)
        if not 1 <= line <= len(self.lines):
            return None
        return Noqa.parse_nosec(self.lines[line - 1], line, 0)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        if self.file_exempt:
            return True
        silenced = False
        for directive in (self.directive_for(diagnostic.line), self.nosec_for(diagnostic.line)):
            listed = directive.matching(diagnostic.code, self.nosec) if directive is not None else None
            if directive is not None and listed is not None:
                self.used.add((directive, listed))
                silenced = True
        return silenced


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
        self.settings = settings
        self.noqa = NoqaMap(lines, nosec=settings.honour_nosec) if noqa else None
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
        """The diagnostics to report; with `report-unused-noqa`, plus CRY003 findings."""
        kept = [d for d in diagnostics if self.keep(d)]
        if self.settings.report_unused_noqa and self.noqa is not None:
            kept.extend(d for d in unused_directives(self.noqa, self.settings) if self.keep(d))
        return kept


def unused_directives(noqa: NoqaMap, settings: Settings) -> List[Diagnostic]:
    """CRY003 for each comment whose CRY (or honoured bandit/ruff) codes silenced nothing.

    Only codes of rules this run checks count: `# noqa: CRY206` is not
    unused when CRY206 is not selected.
    """
    if noqa.file_exempt or not settings.is_enabled(UNUSED_NOQA):
        return []
    enabled = [r.code for r in all_rules() if not r.code.startswith("CRY0") and settings.is_enabled(r.code, r.default_enabled)]
    found: List[Diagnostic] = []
    for directive in noqa.directives:
        if directive.codes is None:
            continue
        unused = []
        for listed in directive.codes:
            if listed.startswith("CRY") and not listed.startswith("CRY0"):
                covers = [code for code in enabled if code.startswith(listed)]
            elif noqa.nosec and listed in FOREIGN_CODES:
                covers = [code for code in FOREIGN_CODES[listed] if code in enabled]
            else:
                continue  # another tool's code, or a rule this run does not check
            if covers and (directive, listed) not in noqa.used:
                unused.append(listed)
        if unused:
            text = f"# {directive.kind}"
            names = ", ".join(f"`{code}`" for code in unused)
            verb = "silences" if len(unused) == 1 else "silence"
            message = f"{names} in `{text}` {verb} nothing on this line; remove {'it' if len(unused) == 1 else 'them'}"
            span = Span(directive.line, directive.column, directive.line, directive.column + directive.length)
            found.append(Diagnostic(UNUSED_NOQA, "unused-noqa", message, span))
    return found


#: The tool's own code for an unused suppression.
UNUSED_NOQA = "CRY003"


