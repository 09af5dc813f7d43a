"""Where cryptolint's cold time goes: the engine's phases timed one by one,
in one process, over the benchmark corpus (used by run.py)."""

from __future__ import annotations

import ast
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import cryptolint.engine as engine
from cryptolint.engine import SourceError, decode_source, enabled_checks, few_collections, run_checks, split_lines
from cryptolint.settings import Settings


def breakdown(corpus: Path) -> Dict[str, Any]:
    """Seconds per phase, and how many files (and which rules) pass the pre-filter."""
    settings = Settings()
    checks = enabled_checks(settings)
    paths = sorted(str(p) for p in corpus.rglob("*.py"))
    seconds: Counter = Counter()
    passed: Counter = Counter()
    found: Counter = Counter()
    reached = 0
    walk = [0.0]
    real_context = engine.Context

    def timed_context(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return real_context(*args, **kwargs)
        finally:
            walk[0] += time.perf_counter() - start

    start = time.perf_counter()
    blobs = []
    for path in paths:
        with open(path, "rb") as handle:
            blobs.append(handle.read())
    seconds["read the files"] = time.perf_counter() - start
    engine.Context = timed_context  # type: ignore[misc]
    try:
        with warnings.catch_warnings(), few_collections():  # as `cryptolint check` runs
            warnings.simplefilter("ignore")  # SyntaxWarnings of the corpus
            for path, data in zip(paths, blobs):
                reached += _one(path, data, settings, checks, seconds, passed, found)
    finally:
        engine.Context = real_context  # type: ignore[misc]
    seconds["analysis walk"] = walk[0]
    seconds["checks"] -= walk[0]
    start = time.perf_counter()
    with warnings.catch_warnings(), few_collections():
        warnings.simplefilter("ignore")
        for data in blobs:
            try:
                ast.parse(data)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
    seconds["(ast.parse of every file, for comparison)"] = time.perf_counter() - start
    rules = sorted(passed, key=lambda code: -passed[code])
    return {
        "files": len(paths), "parsed": reached, "seconds": dict(seconds),
        "rules": [{"code": code, "passed": passed[code], "found": found[code]} for code in rules],
    }


def _one(path: str, data: bytes, settings: Settings, checks: Any, seconds: Counter, passed: Counter,
         found: Counter) -> int:
    start = time.perf_counter()
    try:
        text = decode_source(data)
    except SourceError:
        return 0
    decoded = time.perf_counter()
    selected = engine._prefilter(text, checks, settings)
    filtered = time.perf_counter()
    seconds["decode"] += decoded - start
    seconds["pre-filter"] += filtered - decoded
    if not selected:
        return 0
    for cls in selected:
        passed[cls.CODE] += 1
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        seconds["ast.parse"] += time.perf_counter() - filtered
        return 1
    parsed = time.perf_counter()
    diagnostics = run_checks(tree, split_lines(text), path, settings, selected)
    seconds["ast.parse"] += parsed - filtered
    seconds["checks"] += time.perf_counter() - parsed
    for code in {d.code for d in diagnostics}:
        found[code] += 1
    return 1


def print_breakdown(phases: Dict[str, Any], lines: int) -> None:
    seconds: Dict[str, float] = phases["seconds"]
    engine_total = sum(v for k, v in seconds.items() if not k.startswith("("))
    print("## Where cryptolint's cold time goes (engine phases, one process, default rules)\n")
    print("| phase | s | µs/line | share |\n|---|---:|---:|---:|")
    for name in ("read the files", "decode", "pre-filter", "ast.parse", "analysis walk", "checks"):
        value = seconds.get(name, 0.0)
        print(f"| {name} | {value:.2f} | {value / lines * 1e6:.2f} | {value / engine_total:.0%} |")
    print(f"| total | {engine_total:.2f} | {engine_total / lines * 1e6:.2f} | |")
    extra = seconds["(ast.parse of every file, for comparison)"]
    print(f"| (ast.parse of every file, no pre-filter) | {extra:.2f} | {extra / lines * 1e6:.2f} | |")
    share = phases["parsed"] / max(phases["files"], 1)
    print(f"\nThe pre-filter sends {phases['parsed']:,} of {phases['files']:,} files ({share:.0%}) to the parser.")
    print(f"Reading the files is {engine_total / max(seconds['read the files'], 1e-9):.0f}x faster than the engine.\n")
    rows: List[Dict[str, int]] = phases["rules"]
    print("| rule | files its triggers let through | files with a finding |\n|---|---:|---:|")
    for row in rows:
        print(f"| {row['code']} | {row['passed']:,} | {row['found']:,} |")
    print()
