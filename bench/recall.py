"""Recall and precision per rule on the labelled realistic corpus.

    python bench/recall.py [--half tune|heldout|both] [--json out.json]

`bench/corpus/realistic/` holds application modules written to look like
real code (Flask and Django views, Celery tasks, an SDK client, an OTP
service, webhook receivers, an encryption helper with its config module).
Each misuse is labelled with `# error: CRYnnn` on the line a finding must
point at; every other line is code a reviewer would leave alone.  The
corpus is split in two: `tune/`, which rules were developed against, and
`heldout/`, which was written at the same time and not looked at while
tuning, so its figures say how the rules do on code they were not shaped
by.

Each half is checked as one project through `cryptolint check` (so the
cross-module pass runs), the findings are matched to the labels by
(file, line, code), and the table shows per rule: labelled misuses, found
(true positives), missed, false findings, recall and precision.  Codes
that appear in neither a label nor a finding are not listed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set, Tuple

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus" / "realistic"
LABEL = re.compile(r"#\s*error:\s*((?:CRY\d{3}[,\s]*)+)")

Key = Tuple[str, int, str]


def labels(root: Path) -> Set[Key]:
    found: Set[Key] = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = LABEL.search(line)
            if match:
                for code in re.findall(r"CRY\d{3}", match.group(1)):
                    found.add((rel, number, code))
    return found


def findings(root: Path) -> Set[Key]:
    command = [sys.executable, "-m", "cryptolint", "check", "--isolated", "--no-cache", "--format", "json", "--exit-zero", "."]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cryptolint failed ({done.returncode}): {done.stderr}")
    found: Set[Key] = set()
    for item in json.loads(done.stdout or "[]"):
        found.add((Path(item["path"]).as_posix().lstrip("./") if item["path"].startswith("./") else Path(item["path"]).as_posix(), item["line"], item["code"]))
    return found


def score(expected: Set[Key], found: Set[Key]) -> Dict[str, Dict[str, int]]:
    table: Dict[str, Counter] = {}
    for key in expected | found:
        row = table.setdefault(key[2], Counter())
        if key in expected and key in found:
            row["found"] += 1
        elif key in expected:
            row["missed"] += 1
        else:
            row["false"] += 1
    return {code: dict(row) for code, row in sorted(table.items())}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "-"


def render(title: str, table: Dict[str, Dict[str, int]]) -> List[str]:
    out = [f"## {title}", "", "| rule | labelled | found | missed | false | recall | precision |", "|---|---:|---:|---:|---:|---:|---:|"]
    total = Counter()
    for code, row in table.items():
        found, missed, false = row.get("found", 0), row.get("missed", 0), row.get("false", 0)
        total.update(found=found, missed=missed, false=false)
        out.append(f"| {code} | {found + missed} | {found} | {missed} | {false} | {_ratio(found, found + missed)} | {_ratio(found, found + false)} |")
    f, m, x = total["found"], total["missed"], total["false"]
    out.append(f"| all | {f + m} | {f} | {m} | {x} | {_ratio(f, f + m)} | {_ratio(f, f + x)} |")
    return out


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tune", "heldout", "both"), default="both")
    parser.add_argument("--misses", action="store_true", help="list every missed label and false finding")
    parser.add_argument("--json", help="write the tables as JSON here")
    args = parser.parse_args(argv)
    halves = ("tune", "heldout") if args.half == "both" else (args.half,)
    result = {}
    for half in halves:
        root = CORPUS / half
        expected, found = labels(root), findings(root)
        result[half] = score(expected, found)
        print("\n".join(render(f"{half}/", result[half])))
        if args.misses:
            for key in sorted(expected - found):
                print(f"  missed {half}/{key[0]}:{key[1]} {key[2]}")
            for key in sorted(found - expected):
                print(f"  false  {half}/{key[0]}:{key[1]} {key[2]}")
        print()
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
