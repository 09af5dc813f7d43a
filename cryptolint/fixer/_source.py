"""Source bytes <-> text, exactly: encoding, BOM, and line arithmetic.

The fixer works on text and must give back bytes that differ from the
original only where a fix changed something.  So the file's own encoding
(PEP 263 cookie, BOM, UTF-8 default) is remembered and used again, and a
file whose bytes would not survive the decode/encode round trip unchanged is
not fixed at all.
"""

from __future__ import annotations

import bisect
import difflib
from typing import List, Optional, Sequence, Tuple

from cryptolint.diagnostic import Span
from cryptolint.source import SourceText, split_lines

__all__ = ["LineIndex", "SourceText", "compose", "line_map", "map_span", "split_lines"]


class LineIndex:
    """Converts (line, character column) positions to offsets and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: List[int] = [0]
        for line in split_lines(text):
            self.starts.append(self.starts[-1] + len(line))
        if len(self.starts) > 1 and self.starts[-1] == len(text) and not text.endswith(("\n", "\r")):
            self.starts.pop()

    def offset(self, line: int, column: int) -> Optional[int]:
        """The offset of a position, or None when it is not in the text."""
        if not 1 <= line <= len(self.starts) or column < 0:
            return None
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        if start + column > end:
            return None
        return start + column

    def position(self, offset: int) -> Tuple[int, int]:
        """The (line, column) of an offset."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]

    def range(self, span: Span) -> Optional[Tuple[int, int]]:
        """The (start, end) offsets of `span`, or None when it is not in the text."""
        start = self.offset(span.line, span.column)
        end = self.offset(span.end_line, span.end_column)
        if start is None or end is None or end < start:
            return None
        return start, end


def line_map(old: str, new: str) -> List[int]:
    """For each line of `new` (0-based), the line of `old` it came from.

    Unchanged lines map exactly; a rewritten line maps to the line it
    replaced; an inserted line maps to the line it was inserted before.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    result = [0] * len(new_lines)
    last = max(len(old_lines) - 1, 0)
    # A pass changes a few lines: the equal head and tail are matched here, so
    # that difflib (quadratic where many lines are equal, as blank lines are)
    # only sees the middle.  Minutes on a large file became milliseconds.
    head, limit = 0, min(len(old_lines), len(new_lines))
    while head < limit and old_lines[head] == new_lines[head]:
        result[head] = head
        head += 1
    tail = 0
    while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
        result[-tail] = len(old_lines) - tail
    matcher = difflib.SequenceMatcher(
        None, old_lines[head : len(old_lines) - tail], new_lines[head : len(new_lines) - tail], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        for k in range(j1, j2):
            if tag == "equal":
                result[k] = i1 + (k - j1)
            elif tag == "replace":
                result[k] = min(i1 + (k - j1), i2 - 1)
            else:
                result[k] = min(i1, last)
    return result


def compose(first: Optional[Sequence[int]], then: Sequence[int]) -> List[int]:
    """Chain two line maps: `then` maps newest -> middle, `first` middle -> oldest."""
    if first is None:
        return list(then)
    limit = len(first) - 1
    return [first[min(line, limit)] if limit >= 0 else 0 for line in then]


def map_span(span: Span, lines: Optional[Sequence[int]]) -> Span:
    """`span` with its lines moved through a line map (columns are kept)."""
    if lines is None or not lines:
        return span

    def one(line: int) -> int:
        return lines[min(max(line - 1, 0), len(lines) - 1)] + 1

    return Span(one(span.line), span.column, one(span.end_line), span.end_column)
