"""The parallel `ast.parse` floor: read and parse every `.py` file under the
given folders, one process per core, and nothing else.  No linter that parses
with `ast` can check the corpus faster (bench/run.py measures it beside
cryptolint's cold run)."""

from __future__ import annotations

import ast
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import List


def parse(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data, filename=path)
        return 1
    except (SyntaxError, ValueError, RecursionError, MemoryError, OSError):
        return 0


def files(roots: List[str]) -> List[str]:
    found = []
    for root in roots:
        for folder, _, names in os.walk(root):
            found.extend(os.path.join(folder, n) for n in names if n.endswith(".py"))
    return sorted(found)


if __name__ == "__main__":
    paths = files(sys.argv[1:])
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    with ProcessPoolExecutor(jobs) as pool:
        parsed = sum(pool.map(parse, paths, chunksize=max(1, len(paths) // (jobs * 16))))
    print(f"{parsed} of {len(paths)} files parsed", file=sys.stderr)
