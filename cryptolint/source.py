"""Source bytes -> text, once, the way Python reads them.

Every layer that needs a file's text takes it from here: the engine (what to
parse), suppressions (which line holds which `# noqa`), reporters (the line
to show), the fixer (text it rewrites and encodes back byte for byte), the
diff of `--diff`.  A file is decoded once per run and the text handed on.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass
from typing import List, Union


class SourceError(Exception):
    """The bytes of a file are not Python source text (bad encoding...)."""

    def __init__(self, message: str, line: int = 1, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def split_lines(text: str) -> List[str]:
    """`text` split after each `\\r\\n`, `\\r` or `\\n`, endings kept.

    Python ends lines only there; `str.splitlines` also splits on form feeds
    and other separators, which would shift every line after them.
    """
    return io.StringIO(text, newline="").readlines()


def decode_source(data: bytes) -> str:
    """Decode `data` as Python does: BOM, then PEP 263 cookie, then UTF-8."""
    return SourceText.decode(data).text


@dataclass(frozen=True)
class SourceText:
    """A decoded file and what is needed to encode it back byte for byte."""

    text: str
    encoding: str
    bom: bool

    @classmethod
    def decode(cls, data: bytes) -> "SourceText":
        """Decode as Python does; raises SourceError when that fails."""
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            raise SourceError(f"cannot decode: {exc.msg}", exc.lineno or 1) from exc
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
            raise SourceError(f"cannot decode as {encoding}: {exc}", line) from exc
        if text.startswith("\ufeff"):
            text = text[1:]
        if encoding == "utf-8-sig":
            encoding = "utf-8"
        return cls(text, encoding, data.startswith(codecs.BOM_UTF8))

    def encode(self, text: str) -> bytes:
        """`text` in this file's encoding, with its BOM if it had one."""
        body = text.encode(self.encoding)
        return codecs.BOM_UTF8 + body if self.bom else body

    @property
    def lines(self) -> List[str]:
        return split_lines(self.text)


def source_lines(source: Union[str, bytes]) -> List[str]:
    """The lines of `source` as the engine sees them (decoded, BOM removed);
    [] for bytes that are not source text."""
    if isinstance(source, bytes):
        try:
            source = decode_source(source)
        except SourceError:
            return []
    elif source.startswith("\ufeff"):
        source = source[1:]
    return split_lines(source)


def readable_lines(data: bytes) -> List[str]:
    """The lines of `data` for a person to read (a diff): decoded in the
    file's encoding where possible, undecodable bytes replaced, never failing."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return split_lines(text)
