"""Benchmark cryptolint against flake8, bandit and ruff, offline, in one run.

    python bench/run.py [--runs 3] [--budget 300] [--only cryptolint,bandit] [--json out.json]

The corpus is the running interpreter's standard library and its installed
site-packages, copied into one temporary tree so that every tool sees the
same `.py` files (their default excludes differ; each is told to exclude
nothing).  Each command runs `--runs` times in a fresh measuring process,
in rounds (every command once, then every command again), so a slow spell
of a shared machine falls on all rows alike; a command whose runs have
already taken `--budget` seconds sits out the later rounds;
the table shows the median wall time, the median CPU time (user + system,
all processes), files/s and lines/s from the wall time, the largest
resident set of any one process, and each row's wall time over cryptolint's
cold run.  Every tool uses its default parallelism (cryptolint and flake8:
one process per core; ruff: threads; bandit: one process).

flake8 runs through `_flake8.py`, which hides named plugins from flake8's
plugin discovery, to measure flake8 with and without the cryptolint plugin
in one environment (see that file).  After the table: the issue's targets,
and where cryptolint's cold time goes, phase by phase, on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import _corpus
import _phases

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
NOTHING = "__bench_excludes_nothing__"
#: bandit's tests about cryptography, TLS and secrets (`bandit -h` lists them all).
BANDIT_CRYPTO = "B105,B106,B107,B303,B304,B305,B311,B323,B324,B413,B501,B502,B503,B504,B505,B507,B508,B509"
FLAKE8_DEFAULT_PLUGINS = "pycodestyle,pyflakes,mccabe"


def commands(corpus: Path, cache: Path) -> List[Tuple[str, List[str], Dict[str, str]]]:
    """(label, command, extra environment) of every measured run."""
    cryptolint = [PYTHON, "-m", "cryptolint", "check", "--isolated", "--exclude", NOTHING, "-q", "--exit-zero"]
    flake8 = [PYTHON, str(HERE / "_flake8.py"), "--isolated", "--exclude", NOTHING, "--exit-zero"]
    hide = "BENCH_FLAKE8_HIDE"
    return [
        ("cryptolint check, cold (--no-cache)", cryptolint + ["--no-cache", str(corpus)], {}),
        ("cryptolint check, cold, -j 1", cryptolint + ["--no-cache", "-j", "1", str(corpus)], {}),
        ("cryptolint check, warm (cache primed)", cryptolint + ["--cache-dir", str(cache), str(corpus)], {}),
        ("ast.parse of every file, in parallel (the floor)", [PYTHON, str(HERE / "_parse_floor.py"), str(corpus)], {}),
        ("flake8 --select CRY (all plugins run)", flake8 + ["--select", "CRY", str(corpus)], {}),
        ("flake8 --select CRY, only the cryptolint plugin", flake8 + ["--select", "CRY", str(corpus)],
         {hide: FLAKE8_DEFAULT_PLUGINS}),
        ("flake8 --select E9, no plugins (flake8's floor)", flake8 + ["--select", "E9", str(corpus)],
         {hide: FLAKE8_DEFAULT_PLUGINS + ",cryptolint"}),
        ("flake8 default, without cryptolint", flake8 + [str(corpus)], {hide: "cryptolint"}),
        ("flake8 default, with cryptolint", flake8 + [str(corpus)], {}),
        ("bandit, crypto tests only", [PYTHON, "-m", "bandit", "-q", "-r", str(corpus), "-x", NOTHING,
                                       "-t", BANDIT_CRYPTO, "-f", "json", "-o", os.devnull], {}),
        ("ruff check --select S", [PYTHON, "-m", "ruff", "check", "--isolated", "--no-cache", "--exclude", NOTHING,
                                   "--no-respect-gitignore", "--select", "S", "--exit-zero", "-q", str(corpus)], {}),
    ]


def measure(command: Sequence[str], env: Dict[str, str]) -> Dict[str, float]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    full_env.update(env)
    out = subprocess.run([PYTHON, str(HERE / "_measure.py"), *command], capture_output=True, text=True,
                         env=full_env, check=True)
    result = json.loads(out.stdout)
    if result["returncode"] not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result['returncode']}):\n{result['stderr']}")
    return result


def median_of(runs: List[Dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> Dict[str, str]:
    cpu = "unknown"
    memory = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
        kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpus": str(os.cpu_count()), "usable cpus": str(len(os.sched_getaffinity(0))),
        "cpu": cpu, "memory": memory, "os": platform.platform(), "load average at start": " ".join(
            f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        **{name: version(name) for name in ("cryptolint", "flake8", "pycodestyle", "pyflakes", "bandit", "ruff")},
    }


def flake8_plugins(env: Dict[str, str]) -> str:
    full_env = {**os.environ, **env}
    out = subprocess.run([PYTHON, str(HERE / "_flake8.py"), "--version"], capture_output=True, text=True,
                         env=full_env, check=True)
    return out.stdout.split("\n")[0].split("(", 1)[1].split(")")[0] or "no plugins"


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (median; default 3)")
    parser.add_argument("--budget", type=float, default=300.0,
                        help="stop repeating a command once its runs took this many seconds (default 300)")
    parser.add_argument("--only", help="comma-separated words: run only the rows whose label has one")
    parser.add_argument("--no-phases", action="store_true", help="skip the in-process phase breakdown")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    report: Dict[str, object] = {"machine": machine()}
    parts = _corpus.parts()
    with tempfile.TemporaryDirectory(prefix="cryptolint-bench-") as temporary:
        corpus = _corpus.copy(parts, Path(temporary) / "corpus")
        cache = Path(temporary) / "cache"
        files = sum(len(p.files) for p in parts)
        lines = sum(p.lines for p in parts)
        report["corpus"] = [
            {"part": p.name, "from": str(p.root), "files": len(p.files), "lines": p.lines, "mib": p.size / 2**20}
            for p in parts
        ]
        print_header(report)
        chosen = [(label, command, env) for label, command, env in commands(corpus, cache)
                  if not args.only or any(word in label for word in args.only.split(","))]
        measured: Dict[str, List[Dict[str, float]]] = {label: [] for label, _, _ in chosen}
        # Round-robin: every command's first run, then every command's second,
        # so that a slower spell of the machine touches all rows alike.
        for round_number in range(args.runs):
            for label, command, env in chosen:
                runs = measured[label]
                if round_number and sum(r["wall"] for r in runs) >= args.budget:
                    continue
                if "warm" in label and not runs:
                    measure(command, env)  # prime the cache
                runs.append(measure(command, env))
                print(f"  round {round_number + 1}: {label}: {runs[-1]['wall']:.2f} s", file=sys.stderr)
        rows = []
        for label, _, env in chosen:
            runs = measured[label]
            row = {"label": label, "wall": median_of(runs, "wall"), "cpu": median_of(runs, "cpu"),
                   "maxrss_mib": max(r["maxrss_mib"] for r in runs), "runs": [r["wall"] for r in runs]}
            if label.startswith("flake8"):
                row["plugins"] = flake8_plugins(env)
            rows.append(row)
        report["rows"] = rows
        print_table(rows, files, lines)
        print_targets(rows)
        if not args.no_phases:
            report["phases"] = _phases.breakdown(corpus)
            _phases.print_breakdown(report["phases"], lines)  # type: ignore[arg-type]
    report["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nLoad average at the end: {report['load average at end']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


def print_header(report: Dict[str, object]) -> None:
    print("## Machine and versions\n")
    for key, value in report["machine"].items():  # type: ignore[attr-defined]
        print(f"- {key}: {value}")
    print("\n## Corpus\n")
    print("| part | from | files | lines | MiB |\n|---|---|---:|---:|---:|")
    for part in report["corpus"]:  # type: ignore[attr-defined]
        print(f"| {part['part']} | `{part['from']}` | {part['files']:,} | {part['lines']:,} | {part['mib']:.1f} |")
    print()
    sys.stdout.flush()


def print_table(rows: List[Dict[str, object]], files: int, lines: int) -> None:
    base = next((r["wall"] for r in rows if str(r["label"]).startswith("cryptolint check, cold (")), None)
    print(f"## Results ({files:,} files, {lines:,} lines)\n")
    print("| command | runs | median wall s | CPU s | files/s | lines/s | peak RSS MiB | wall / cryptolint cold |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        wall = float(row["wall"])  # type: ignore[arg-type]
        ratio = f"{wall / float(base):.2f}x" if base else "-"  # type: ignore[arg-type]
        print(f"| {row['label']} | {len(row['runs'])} | {wall:.2f} | {float(row['cpu']):.1f} | {files / wall:,.0f} | {lines / wall:,.0f}"  # type: ignore[arg-type]
              f" | {float(row['maxrss_mib']):.0f} | {ratio} |")  # type: ignore[arg-type]
    plugins = [(r["label"], r["plugins"]) for r in rows if "plugins" in r]
    if plugins:
        print("\nflake8 plugins loaded in each row: " + "; ".join(f"{label}: {names}" for label, names in plugins))
    print()


def print_targets(rows: List[Dict[str, object]]) -> None:
    wall = {str(r["label"]): float(r["wall"]) for r in rows}  # type: ignore[arg-type]
    cpu = {str(r["label"]): float(r["cpu"]) for r in rows}  # type: ignore[arg-type]
    cold, warm = wall.get("cryptolint check, cold (--no-cache)"), wall.get("cryptolint check, warm (cache primed)")
    bandit = wall.get("bandit, crypto tests only")
    without, with_ = wall.get("flake8 default, without cryptolint"), wall.get("flake8 default, with cryptolint")
    print("## Targets\n")
    if cold and bandit:
        cpu_ratio = cpu["bandit, crypto tests only"] / cpu["cryptolint check, cold (--no-cache)"]
        print(f"- cold run vs bandit's crypto tests: {bandit / cold:.1f}x faster by wall time "
              f"({cpu_ratio:.1f}x by CPU time); target >= 10x: {'met' if bandit / cold >= 10 else 'MISSED'}")
    floor = wall.get("ast.parse of every file, in parallel (the floor)")
    if cold and floor:
        print(f"- cold run vs the parallel `ast.parse` floor: {cold / floor:.2f}x; target <= 2x: "
              f"{'met' if cold / floor <= 2 else 'MISSED'}")
    if cold and warm:
        print(f"- warm vs cold: {cold / warm:.1f}x faster; target >= 10x: {'met' if cold / warm >= 10 else 'MISSED'}")
    if without and with_:
        extra = (with_ - without) / without * 100
        cpu_extra = (cpu["flake8 default, with cryptolint"] - cpu["flake8 default, without cryptolint"]) / cpu[
            "flake8 default, without cryptolint"] * 100
        print(f"- the plugin adds {extra:+.1f}% to a default flake8 run by wall time ({cpu_extra:+.1f}% by CPU time); "
              f"target <= 10%: {'met' if extra <= 10 else 'MISSED'}")
    print()


if __name__ == "__main__":
    main()
