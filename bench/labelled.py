"""Score rules on labelled modules: for each file, the `# error: CRYnnn`
markers found, those missed, and findings on unmarked lines, per rule.

    python bench/labelled.py [--codes CRY101,CRY302] FILE ...

Run it on the same files with an older checkout first (`PYTHONPATH=<old tree>`)
to see what a change gained.  Prints figures; not run by CI.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path
from typing import Counter, List, Set, Tuple

from cryptolint.engine import decode_source, lint_source
from cryptolint.registry import all_rules
from cryptolint.settings import Settings

_MARKER = re.compile(r"#\s*error:(.*)$")


def markers(source: str) -> Set[Tuple[int, str]]:
    found = set()
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.search(line)
        if match:
            found |= {(number, code) for code in re.findall(r"CRY\d{3}", match.group(1))}
    return found


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--codes", help="comma-separated rule codes (default: every rule)")
    args = parser.parse_args(argv)
    settings = Settings(select=tuple(rule.code for rule in all_rules()))
    wanted = set(args.codes.split(",")) if args.codes else {rule.code for rule in all_rules()}
    found_by: Counter[str] = collections.Counter()
    missed_by: Counter[str] = collections.Counter()
    extra_by: Counter[str] = collections.Counter()
    for name in args.files:
        path = Path(name)
        source = decode_source(path.read_bytes())
        expected = {m for m in markers(source) if m[1] in wanted}
        found = {(d.line, d.code) for d in lint_source(source, str(path), settings) if d.code in wanted}
        for line, code in sorted(expected - found):
            print(f"missed   {path}:{line}: {code}")
        for line, code in sorted(found - expected):
            print(f"unmarked {path}:{line}: {code}")
        found_by.update(code for _, code in expected & found)
        missed_by.update(code for _, code in expected - found)
        extra_by.update(code for _, code in found - expected)
    print(f"\n{'rule':8} {'found':>6} {'marked':>6} {'unmarked':>8}")
    for code in sorted(set(found_by) | set(missed_by) | set(extra_by)):
        marked = found_by[code] + missed_by[code]
        print(f"{code:8} {found_by[code]:>6} {marked:>6} {extra_by[code]:>8}")
    total = sum(found_by.values())
    print(f"{'total':8} {total:>6} {total + sum(missed_by.values()):>6} {sum(extra_by.values()):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
