"""Run one command and print, as JSON, its wall time and the resources of it
and its descendants (`resource.getrusage(RUSAGE_CHILDREN)` in this fresh
process, so the figures are the command's own).  Used by run.py."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    command = sys.argv[1:]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        # Linux reports kibibytes: the largest resident set of any one process.
        "maxrss_mib": usage.ru_maxrss / 1024,
        "returncode": done.returncode,
        "stderr": done.stderr.decode("utf-8", "replace")[-2000:],
    }))


if __name__ == "__main__":
    main()
