"""`--diff-base REF`: keep only findings on lines changed since a git ref.

The changed lines come from `git diff --unified=0 REF -- FILES` (the working
tree, staged or not, against REF): each hunk header `@@ -a,b +c,d @@` adds
lines c .. c+d-1 (a hunk that only deletes adds none).  Files git does not
track (and does not ignore) count as wholly changed.  A finding is kept when
any line of its span is changed.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

from cryptolint.results import FileResult

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
#: Marks a file whose every line counts as changed.
WHOLE_FILE: Optional[Set[int]] = None


class GitDiffError(Exception):
    """Not a git repository, an unknown ref, or git failed; the message says which."""


def _git(args: Sequence[str], cwd: str) -> subprocess.CompletedProcess:
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="surrogateescape")
    except FileNotFoundError:
        raise GitDiffError("--diff-base needs git, which is not installed") from None


def repository_root(cwd: str) -> str:
    result = _git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise GitDiffError(f"--diff-base: {os.path.abspath(cwd)} is not inside a git repository")
    return result.stdout.strip()


def parse_diff(text: str) -> Dict[str, Set[int]]:
    """Changed (added or modified) line numbers per file, from `git diff --unified=0` output."""
    changed: Dict[str, Set[int]] = {}
    current: Optional[Set[int]] = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else changed.setdefault(name[2:] if name.startswith("b/") else name, set())
        elif line.startswith("@@") and current is not None:
            match = HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                current.update(range(start, start + count))
    return changed


def changed_lines(ref: str, paths: Sequence[str], cwd: str = ".") -> Tuple[str, Dict[str, Optional[Set[int]]]]:
    """(repository root, {absolute path: changed lines, or WHOLE_FILE for untracked files})."""
    root = repository_root(cwd)
    if ref.startswith("-") or _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root).returncode:
        raise GitDiffError(f"--diff-base: unknown git ref `{ref}`")
    targets = [os.path.abspath(os.path.join(cwd, p)) for p in paths if p != "-"] or [root]
    diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/",
                 ref, "--", *targets], root)
    if diff.returncode != 0:
        raise GitDiffError(f"--diff-base: git diff failed: {diff.stderr.strip()}")
    result: Dict[str, Optional[Set[int]]] = {
        os.path.realpath(os.path.join(root, name)): lines for name, lines in parse_diff(diff.stdout).items()
    }
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", *targets], root)
    for name in untracked.stdout.split("\0"):
        if name:
            result[os.path.realpath(os.path.join(root, name))] = WHOLE_FILE
    return root, result


def filter_results(results: Sequence[FileResult], changed: Dict[str, Optional[Set[int]]]) -> List[FileResult]:
    """`results` keeping only findings on changed lines."""
    filtered: List[FileResult] = []
    for result in results:
        key = os.path.realpath(result.display)
        if key in changed and changed[key] is WHOLE_FILE:
            filtered.append(result)
            continue
        lines = changed.get(key) or set()
        kept = tuple(
            d for d in result.diagnostics if any(n in lines for n in range(d.span.line, d.span.end_line + 1))
        )
        filtered.append(replace(result, diagnostics=kept))
    return filtered


__all__ = ["GitDiffError", "changed_lines", "filter_results", "parse_diff"]
