"""Path patterns for `exclude` and `per-file-ignores`.

Two kinds of pattern, the way people write them in `.gitignore`:

* a pattern without `/` (`build`, `*.egg-info`, `test_*.py`) names a file or
  directory: it matches any path that has a component of that name (below the
  project root, when the path is inside it);
* a pattern with `/` (`src/legacy/*`, `**/migrations/*.py`) is anchored at the
  directory it was written in (the configuration file's directory, or the
  working directory for command-line options) and matches a path or any of
  its ancestors, so `tests/*` covers every file below `tests/`.

`*` and `?` stay inside one path component, `**` spans any number of
components, `[abc]` / `[!abc]` are character classes.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional, Pattern, Sequence, Tuple


def to_posix(path: str) -> str:
    """`path` with `/` separators (Windows paths compare like POSIX ones)."""
    return path.replace(os.sep, "/") if os.sep != "/" else path


def absolute(path: str, base: Optional[str] = None) -> str:
    """`path` made absolute against `base` (default: the working directory), normalised, POSIX."""
    if not os.path.isabs(path):
        path = os.path.join(base or os.getcwd(), path)
    return to_posix(os.path.normpath(path))


@lru_cache(maxsize=512)
def _compile(glob: str) -> Pattern[str]:
    out = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                out.append(re.escape(char))
                i += 1
                continue
            body = glob[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


@dataclass(frozen=True)
class PathPattern:
    """One pattern, with the directory it is anchored at (for `/` patterns)."""

    pattern: str
    #: Absolute POSIX directory that relative `/` patterns start from.
    anchor: str

    @classmethod
    def make(cls, pattern: str, anchor: Optional[str] = None) -> "PathPattern":
        anchor = absolute(anchor or os.getcwd())
        pattern = to_posix(pattern).rstrip("/") or "/"
        if pattern.startswith("./"):
            pattern = pattern[2:]
        return cls(pattern, anchor)

    @property
    def is_name(self) -> bool:
        """A bare name pattern, matched against path components."""
        return "/" not in self.pattern

    @property
    def absolute_pattern(self) -> str:
        if self.is_name or _is_absolute(self.pattern):
            return self.pattern
        return posixpath.join(self.anchor, self.pattern)

    def anchored(self) -> str:
        """The pattern as one absolute `/` pattern: a name becomes `<anchor>/**/name`."""
        if self.is_name:
            return posixpath.join(self.anchor, "**", self.pattern)
        return self.absolute_pattern

    def matches_entry(self, path: str, name: str) -> bool:
        """Whether the walk should skip `path` (absolute POSIX) whose last component is `name`."""
        if self.is_name:
            return _compile(self.pattern).match(name) is not None
        return _compile(self.absolute_pattern).match(path) is not None

    def matches(self, path: str, root: Optional[str] = None) -> bool:
        """Whether `path` (absolute POSIX) or one of its ancestors matches.

        Name patterns are tried on the components below `root` when the path
        is inside it, and on every component otherwise.
        """
        if self.is_name:
            regex = _compile(self.pattern)
            return any(regex.match(part) for part in _components(path, root))
        regex = _compile(self.absolute_pattern)
        candidate = path
        while True:
            if regex.match(candidate):
                return True
            parent = posixpath.dirname(candidate)
            if parent == candidate:
                return False
            candidate = parent


def _is_absolute(pattern: str) -> bool:
    return pattern.startswith("/") or re.match(r"[A-Za-z]:/", pattern) is not None


def _components(path: str, root: Optional[str]) -> Sequence[str]:
    if root and (path == root or path.startswith(root.rstrip("/") + "/")):
        relative = path[len(root.rstrip("/")) + 1 :]
    else:
        relative = path
    return [part for part in relative.split("/") if part]


def any_match(patterns: Iterable[PathPattern], path: str, root: Optional[str] = None) -> Optional[PathPattern]:
    """The first pattern that matches `path` or one of its ancestors."""
    for pattern in patterns:
        if pattern.matches(path, root):
            return pattern
    return None


def split_patterns(patterns: Iterable[str], anchor: Optional[str] = None) -> Tuple[PathPattern, ...]:
    return tuple(PathPattern.make(p, anchor) for p in patterns if p.strip())
