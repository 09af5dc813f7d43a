"""How a cold run grows with the size of the tree: wall time and the peak
memory of every process, on trees of millions of lines.

    python bench/scale.py [--sizes 1.25,2.5,5] [--jobs N] [--keep DIR]

Each tree is made of copies of the benchmark corpus (the running
interpreter's standard library and site-packages, bench/_corpus.py), one
copy after another and the last one cut at the file that reaches the size,
in a temporary directory (or DIR, kept for a rerun).  Sizes are in millions
of lines.  Each tree is checked once with `cryptolint check --no-cache`;
while it runs, every process of the run (the main process and its workers)
is sampled from /proc every 0.1 s for its peak resident set (VmHWM, which
only grows, so the last sample of a process is within 0.1 s of its peak).

Printed: per size, files, lines, wall seconds, microseconds per line, and
the peak resident set of the main process and of the largest worker; then
the ratio of time per line at the largest size to the smallest (1.0 is
linear growth) and whether every process stayed under 1 GiB.  No assertion:
the figures are for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import _corpus

GIB = 1024 ** 3


@dataclass
class Tree:
    root: Path
    files: int = 0
    lines: int = 0


@dataclass
class Sample:
    """The largest VmHWM seen for each process of one run, in bytes."""

    peaks: Dict[int, int] = field(default_factory=dict)


def build(destination: Path, target_lines: int, parts: List[_corpus.Part]) -> Tree:
    """Copies of the corpus below `destination` until `target_lines` lines."""
    tree = Tree(destination)
    copy = 0
    while tree.lines < target_lines:
        for part in parts:
            for name in part.files:
                source = part.root / name
                target = destination / f"copy{copy}" / part.name / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                data = target.read_bytes()
                tree.files += 1
                tree.lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
                if tree.lines >= target_lines:
                    return tree
        copy += 1
    return tree


def _descendants(pid: int) -> List[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        for child in map(int, children):
            found.append(child)
            queue.append(child)
    return found


def _peak(pid: int) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _watch(process: subprocess.Popen, sample: Sample, stop: threading.Event) -> None:
    while not stop.is_set():
        for pid in [process.pid] + _descendants(process.pid):
            peak = _peak(pid)
            if peak is not None and peak > sample.peaks.get(pid, 0):
                sample.peaks[pid] = peak
        stop.wait(0.1)


def measure(tree: Tree, jobs: Optional[int]) -> Dict[str, float]:
    command = [sys.executable, "-m", "cryptolint", "check", "--no-cache", "--isolated", "-q", "--exit-zero",
               "--format", "concise"]
    if jobs:
        command += ["-j", str(jobs)]
    sample, stop = Sample(), threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(command + [str(tree.root)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watcher = threading.Thread(target=_watch, args=(process, sample, stop), daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    stop.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"cryptolint exited {process.returncode}: {stderr.decode(errors='replace')[-2000:]}")
    main = sample.peaks.pop(process.pid, 0)
    return {
        "wall": wall,
        "main_mib": main / 2 ** 20,
        "worker_mib": max(sample.peaks.values(), default=0) / 2 ** 20,
        "workers": len(sample.peaks),
        "largest_bytes": max([main, *sample.peaks.values()]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1.25,2.5,5", help="millions of lines, comma-separated")
    parser.add_argument("--jobs", type=int, help="worker processes (default: cryptolint's, one per core)")
    parser.add_argument("--keep", type=Path, help="build the trees here and keep them (reused when present)")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    parts = _corpus.parts()
    base = args.keep or Path(tempfile.mkdtemp(prefix="cryptolint-scale-"))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, jobs: {args.jobs or 'default'}")
    print(f"corpus: {sum(len(p.files) for p in parts):,} files from {', '.join(p.name for p in parts)}")
    print()
    print("| million lines | files | lines | wall s | µs/line | main process peak MiB | largest worker peak MiB | workers |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    try:
        for size in sizes:
            destination = base / f"{size:g}M"
            if destination.exists() and not args.keep:
                shutil.rmtree(destination)
            tree = build(destination, int(size * 1_000_000), parts) if not destination.exists() else _count(destination)
            figures = measure(tree, args.jobs)
            rows.append((tree, figures))
            print(f"| {size:g} | {tree.files:,} | {tree.lines:,} | {figures['wall']:.1f} "
                  f"| {figures['wall'] / tree.lines * 1e6:.2f} | {figures['main_mib']:.0f} "
                  f"| {figures['worker_mib']:.0f} | {figures['workers']:.0f} |", flush=True)
            if not args.keep:
                shutil.rmtree(destination)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    (small, first), (large, last) = rows[0], rows[-1]
    ratio = (last["wall"] / large.lines) / (first["wall"] / small.lines)
    print()
    print(f"time per line, largest tree over smallest: {ratio:.2f} (1.00 is linear growth)")
    largest = max(figures["largest_bytes"] for _, figures in rows)
    print(f"largest peak resident set of any process: {largest / 2 ** 20:.0f} MiB "
          f"({'under' if largest < GIB else 'OVER'} 1 GiB)")


def _count(root: Path) -> Tree:
    tree = Tree(root)
    for path in root.rglob("*.py"):
        data = path.read_bytes()
        tree.files += 1
        tree.lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return tree


if __name__ == "__main__":
    main()
