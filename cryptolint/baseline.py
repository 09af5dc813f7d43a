"""Baselines: record today's findings, then report only new ones.

A baseline is a JSON file::

    {"version": 1, "entries": [{"path": "app/tokens.py", "code": "CRY101",
                                "fingerprint": "3f0c..."}]}

`path` is relative to the directory of the baseline file, with `/`
separators, so the file works from any working directory and on any OS.
The fingerprint hashes the code, the finding's source line with surrounding
whitespace stripped, and the index of the finding among findings of the same
code on identical lines of that file.  Line numbers are not part of it: a
finding whose line moves (code added above it, re-indentation) stays
baselined; one whose line is edited, or a second copy of a baselined line,
is reported.

Matching is one to one: each entry hides at most one finding.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Counter as CounterType
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

from cryptolint.diagnostic import Diagnostic
from cryptolint.results import FileResult
from cryptolint.suppression import source_lines

VERSION = 1

Key = Tuple[str, str, str]  # (path, code, fingerprint)


class BaselineError(Exception):
    """The baseline file is missing, unreadable or malformed; the message names it."""


def fingerprint(code: str, line_text: str, occurrence: int) -> str:
    """A stable hash of a finding that ignores its line number."""
    data = f"{code}\0{line_text.strip()}\0{occurrence}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:20]


def relative_path(display: str, root: str) -> str:
    """`display` (as reported) relative to `root`, with `/` separators."""
    if display == "-":
        return display
    return Path(os.path.relpath(os.path.abspath(display), root)).as_posix()


def file_keys(path: str, diagnostics: Sequence[Diagnostic], lines: Sequence[str]) -> List[Key]:
    """The baseline key of each diagnostic of one file, in the given order."""
    seen: CounterType[Tuple[str, str]] = Counter()
    keys: List[Key] = [("", "", "")] * len(diagnostics)
    order = sorted(range(len(diagnostics)), key=lambda i: (diagnostics[i].line, diagnostics[i].column))
    for index in order:
        d = diagnostics[index]
        text = lines[d.line - 1].strip() if 1 <= d.line <= len(lines) else ""
        occurrence = seen[(d.code, text)]
        seen[(d.code, text)] += 1
        keys[index] = (path, d.code, fingerprint(d.code, text, occurrence))
    return keys


def _lines(display: str, sources: Mapping[str, bytes]) -> List[str]:
    data = sources.get(display)
    if data is None:
        try:
            with open(display, "rb") as handle:
                data = handle.read()
        except OSError:
            return []
    return source_lines(data)


@dataclass
class Baseline:
    """The entries of a baseline file, as a multiset of keys."""

    path: Path
    entries: CounterType[Key]

    @property
    def root(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
        except ValueError as exc:
            raise BaselineError(f"{path}: the baseline is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise BaselineError(f"{path}: not a cryptolint baseline (expected an object with \"version\": {VERSION})")
        entries = data.get("entries")
        if not isinstance(entries, list):
            raise BaselineError(f"{path}: `entries` must be an array")
        keys: CounterType[Key] = Counter()
        for number, entry in enumerate(entries):
            fields = [entry.get(name) for name in ("path", "code", "fingerprint")] if isinstance(entry, dict) else []
            if len(fields) != 3 or not all(isinstance(value, str) for value in fields):
                raise BaselineError(f"{path}: entry {number} needs string `path`, `code` and `fingerprint`")
            keys[(str(fields[0]), str(fields[1]), str(fields[2]))] += 1
        return cls(path, keys)

    def filter(
        self, results: Sequence[FileResult], sources: Mapping[str, bytes] = {}
    ) -> Tuple[List[FileResult], int]:
        """`results` without the baselined findings, and how many were hidden."""
        remaining = Counter(self.entries)
        hidden = 0
        filtered: List[FileResult] = []
        for result in results:
            if not result.diagnostics:
                filtered.append(result)
                continue
            path = relative_path(result.display, self.root)
            keys = file_keys(path, result.diagnostics, _lines(result.display, sources))
            kept = []
            for diagnostic, key in zip(result.diagnostics, keys):
                if remaining[key] > 0:
                    remaining[key] -= 1
                    hidden += 1
                else:
                    kept.append(diagnostic)
            filtered.append(replace(result, diagnostics=tuple(kept)))
        return filtered, hidden


def write(path: Path, results: Iterable[FileResult], sources: Mapping[str, bytes] = {}) -> int:
    """Record every finding of `results` in `path`; returns how many."""
    root = os.path.dirname(os.path.abspath(path))
    keys: List[Key] = []
    for result in results:
        if result.diagnostics:
            display_path = relative_path(result.display, root)
            keys.extend(file_keys(display_path, result.diagnostics, _lines(result.display, sources)))
    entries = [{"path": p, "code": c, "fingerprint": f} for p, c, f in sorted(keys)]
    text = json.dumps({"version": VERSION, "entries": entries}, indent=2, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return len(entries)


def read_sources(files: Iterable[Tuple[str, str]]) -> Dict[str, bytes]:
    """The contents of `(display, path)` files before `--fix` rewrites them, by display name."""
    sources: Dict[str, bytes] = {}
    for display, path in files:
        try:
            with open(path, "rb") as handle:
                sources[display] = handle.read()
        except OSError:
            pass
    return sources


__all__ = ["Baseline", "BaselineError", "VERSION", "fingerprint", "read_sources", "write"]
