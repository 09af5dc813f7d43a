"""The command line's adoption steps, applied to a finished run's results.

In order: `--diff-base` keeps findings on changed lines, then
`--write-baseline` records what is left (and ends the run), or `--baseline`
hides what is recorded.  Fixing happened before: `--fix`/`--diff` fix
baselined findings and findings on unchanged lines too, since fixes are
asked for explicitly; only the report is narrowed.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Mapping, Optional, Sequence, Tuple

from cryptolint import baseline, gitdiff
from cryptolint.reporters import plural
from cryptolint.results import FileResult


class AdoptionError(Exception):
    """A bad baseline file or a failed git query; exit status 2."""


def adopt(
    args: argparse.Namespace,
    paths: Sequence[str],
    results: List[FileResult],
    errors: List[str],
    sources: Mapping[str, bytes],
) -> Tuple[List[FileResult], Optional[int]]:
    """(results to report, None) or (results, exit status) when the run ends here."""
    try:
        if args.diff_base:
            _, changed = gitdiff.changed_lines(args.diff_base, paths)
            results = gitdiff.filter_results(results, changed)
        if args.write_baseline:
            count = baseline.write(args.write_baseline, results, sources)
            for result in results:
                errors.extend(result.errors)
            for message in errors:
                print(f"cryptolint: error: {message}", file=sys.stderr)
            print(f"Wrote {plural(count, 'finding')} to {args.write_baseline}")
            return results, 2 if errors else 0
        if args.baseline:
            results, hidden = baseline.Baseline.load(args.baseline).filter(results, sources)
            if hidden and not args.quiet:
                print(f"cryptolint: {plural(hidden, 'baselined finding')} not shown ({args.baseline})",
                      file=sys.stderr)
    except (baseline.BaselineError, gitdiff.GitDiffError) as exc:
        raise AdoptionError(str(exc)) from None
    return results, None


__all__ = ["AdoptionError", "adopt"]
