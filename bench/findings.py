"""Count findings per rule over the running interpreter's standard library
and installed site-packages (every rule on, test code included or not).

    python bench/findings.py [--include-tests] [PATH ...]

Prints one line per rule with its count, then every finding, so that what
fires on real code can be read and judged.  Not run by CI.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import sysconfig
from dataclasses import replace
from typing import Iterator, List

from cryptolint.engine import lint_source
from cryptolint.registry import all_rules
from cryptolint.settings import Settings


def python_files(roots: List[str]) -> Iterator[str]:
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(".py"):
                    yield os.path.join(dirpath, name)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="default: stdlib and site-packages")
    parser.add_argument("--include-tests", action="store_true", help="also report in test code")
    args = parser.parse_args(argv)
    roots = args.paths or sorted({sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"]})
    settings = Settings(select=tuple(rule.code for rule in all_rules()))
    if args.include_tests:
        settings = replace(settings, all_rules_in_tests=True)
    counts: collections.Counter = collections.Counter()
    lines = []
    files = 0
    for path in python_files(roots):
        files += 1
        with open(path, "rb") as handle:
            data = handle.read()
        for d in lint_source(data, path, settings):
            counts[d.code] += 1
            if d.code != "CRY001":
                lines.append(f"{path}:{d.line}:{d.column + 1}: {d.code} {d.message}")
    print(f"{files} files under {', '.join(roots)}")
    for rule in all_rules():
        print(f"{rule.code}  {rule.name:28} {counts.get(rule.code, 0)}")
    print()
    print("\n".join(lines))
    return 1 if counts.get("CRY002") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
