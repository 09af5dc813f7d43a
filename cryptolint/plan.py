"""The fix plan of one file: which fix each finding offers, decided once.

Rules attach fixes to their own findings; several findings can have one root
cause (a password hash and the comparison that checks it).  The rule that
sees the root cause makes one fix for all of it, with an edit at each place
it rewrites.  The plan, made here after every rule has run and before
anything is shown or written, gives that fix to every finding it rewrites
(so `check` shows it, and `--fix` counts it, on each of them), and takes
away any other fix that would edit the same code: two rules never rewrite one
expression in two ways.

Some fixes are not offered at all: none in test code (a test checks
behaviour, weak settings included, often on purpose: a fix would change what
it tests), and none whose imports the project's oldest Python lacks
(`settings.target_version`: `secrets` needs 3.6).

`check`, `--diff` and `--fix` all see the findings after this step, so they
describe the same set of fixes; the fixer applies only fixes of this plan
(`cryptolint.fixer`), never one that appears after an earlier fix changed the
code.  Pure: no I/O, no LibCST.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from cryptolint.diagnostic import Diagnostic, Fix, Span

#: The first Python of each major line that has a module fixes import
#: (absent: none of that line has it).  `cryptolint.safe` needs what
#: cryptolint itself needs.
SINCE: Mapping[str, Mapping[int, Tuple[int, int]]] = {
    "secrets": {3: (3, 6)},
    "hmac": {2: (2, 7), 3: (3, 3)},  # `compare_digest`: 2.7.7 and 3.3
    "cryptolint": {3: (3, 9)},
}


def plan_fixes(
    diagnostics: Sequence[Diagnostic], test_code: bool = False, target: Optional[Tuple[int, int]] = None
) -> List[Diagnostic]:
    """`diagnostics` (sorted) with their fixes planned together: none in test
    code, none that needs a newer Python than `target`."""
    if test_code or target is not None:
        diagnostics = [
            replace(d, fix=None) if d.fix is not None and (test_code or not runs_on(d.fix, target)) else d
            for d in diagnostics
        ]
    joint = [d.fix for d in diagnostics if d.fix is not None and len(d.fix.edits) > 1]
    if not joint:
        return list(diagnostics)
    # The span each multi-edit fix rewrites -> that fix (the first one wins).
    owner: Dict[Span, Fix] = {}
    for joint_fix in joint:
        for edit in joint_fix.edits:
            owner.setdefault(edit.span, joint_fix)
    planned: List[Diagnostic] = []
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        claimed = owner.get(diagnostic.span)
        if claimed is not None and claimed is not fix:
            diagnostic = replace(diagnostic, fix=claimed)
        elif fix is not None and fix not in joint and any(_overlap(e.span, s) for e in fix.edits for s in owner):
            diagnostic = replace(diagnostic, fix=None)
        planned.append(diagnostic)
    return planned


def _overlap(a: Span, b: Span) -> bool:
    start_a, end_a = (a.line, a.column), (a.end_line, a.end_column)
    start_b, end_b = (b.line, b.column), (b.end_line, b.end_column)
    return a == b or (start_a < end_b and start_b < end_a)


def runs_on(fix: Fix, target: Optional[Tuple[int, int]]) -> bool:
    """Whether every module `fix` imports exists in Python `target` and later."""
    if target is None:
        return True
    for imp in fix.add_imports:
        since = SINCE.get(imp.module.split(".")[0])
        if since is not None and (target[0] not in since or target < since[target[0]]):
            return False
    return True
