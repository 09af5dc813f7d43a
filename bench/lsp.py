"""How long `cryptolint server` takes to answer an edit, as an editor sees it.

    python bench/lsp.py [--rounds 20] [--lines 1000]

Starts the server over stdio with pygls's client (tests/lsp_client.py) and
measures, for buffers of `--lines` lines, the wall time from sending
`didOpen` or `didChange` to receiving the `publishDiagnostics` for that
version.  Each round changes a comment, so the server lints afresh instead
of answering from the findings it remembers by content.  `didChange` is
measured with the default debounce (the server waits that long for the next
keystroke) and with none.  Two buffers:

* dense: the rule fixtures, one after the other, padded with plain lines:
  crypto calls on most lines, about a hundred findings (a worst case);
* stdlib: the running interpreter's `random.py` (no findings: it makes no
  secrets), padded or cut to the size.

`didChange` is an edit after a pause in typing (linted at once); "burst end"
is the last of five changes 20 ms apart (linted once the debounce time has
passed after it).

Also times, once per round, listing the code actions at a finding, resolving
a quick fix and fix-all (the edits: the fixer's LibCST work), and hover.  Prints median, 90th percentile and maximum in
milliseconds; needs the lsp extra.  The target is under 200 ms to
`publishDiagnostics` for a 1,000-line buffer.
"""

from __future__ import annotations

import argparse
import ast
import os
import random as _random_module
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptolint.server.linting import DEFAULT_DEBOUNCE_MS  # noqa: E402
from tests.lsp_client import Editor  # noqa: E402


def dense_buffer(lines: int) -> str:
    """Whole fixture files (so it parses) until `lines`, padded with plain code."""
    out: List[str] = []
    for path in sorted((ROOT / "fixtures").glob("*/*.py")):
        if path.parent.name in ("fixes", "projects"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        part = text.splitlines(keepends=True)
        if len(out) + len(part) > lines:
            break
        out.extend(line if line.endswith("\n") else line + "\n" for line in part)
    return _padded(out, lines)


def stdlib_buffer(lines: int) -> str:
    text = Path(_random_module.__file__).read_text(encoding="utf-8")
    return _padded(text.splitlines(keepends=True)[:lines], lines)


def _padded(out: List[str], lines: int) -> str:
    while len(out) < lines - 1:
        out.append(f"value_{len(out)} = {len(out)}\n")
    out.append("# round 0\n")
    return "".join(out[:lines])


def _with_round(text: str, round_: int) -> str:
    head, _, _ = text.rpartition("# round ")
    return f"{head}# round {round_}\n"


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure(editor: Editor, folder: Path, name: str, text: str, rounds: int, debounce: int) -> Dict[str, List[float]]:
    pause = debounce / 1000 + 0.1
    figures: Dict[str, List[float]] = {
        "didOpen": [], "didChange": [], "didChange, burst end": [], "code actions": [], "quick fix": [],
        "fix all": [], "hover": [],
    }
    for round_ in range(1, rounds + 1):
        path = folder / f"{name}_{round_}.py"
        version_text = _with_round(text, round_)
        uri = path.as_uri()
        mark = editor.diagnostics.mark()
        figures["didOpen"].append(_timed(lambda: (editor.open(path, version_text),
                                                  editor.published(uri, 1, after=mark))))
        published = editor.published(uri, 1, after=mark)
        # an edit after a pause in typing
        time.sleep(pause)
        changed = _with_round(text, round_ + rounds)
        mark = editor.diagnostics.mark()
        figures["didChange"].append(_timed(lambda: (editor.change(uri, changed, 2),
                                                    editor.published(uri, 2, after=mark))))
        published = editor.published(uri, 2, after=mark)
        # the last of five keystrokes 20 ms apart
        time.sleep(pause)
        for version in range(3, 7):
            editor.change(uri, _with_round(text, round_ * 10 + version), version)
            time.sleep(0.02)
        last = _with_round(text, round_ * 10 + 7)
        mark = editor.diagnostics.mark()
        figures["didChange, burst end"].append(_timed(lambda: (editor.change(uri, last, 7),
                                                               editor.published(uri, 7, after=mark))))
        fixable = [d for d in published.diagnostics if d.data and d.data.get("safety") == "safe"]
        if fixable:
            start = fixable[0].range.start

            figures["code actions"].append(_timed(lambda: editor.code_actions(uri, start.line, start.character)))

            def quick_fix() -> None:
                actions = editor.code_actions(uri, start.line, start.character, only=["quickfix"])
                editor.resolve(actions[0])

            def fix_all() -> None:
                (action,) = editor.code_actions(uri, 0, 0, only=["source.fixAll"])
                editor.resolve(action)

            figures["quick fix"].append(_timed(quick_fix))
            figures["fix all"].append(_timed(fix_all))
        if published.diagnostics:
            first = published.diagnostics[0].range.start
            figures["hover"].append(_timed(lambda: editor.hover(uri, first.line, first.character)))
        editor.close_document(uri)
    return figures


def report(title: str, figures: Dict[str, List[float]]) -> None:
    print(title)
    print(f"  {'step':<24} {'median':>8} {'p90':>8} {'max':>8}   (ms, {len(figures['didOpen'])} rounds)")
    for step, values in figures.items():
        if not values:
            continue
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
        print(f"  {step:<24} {statistics.median(values):8.1f} {p90:8.1f} {ordered[-1]:8.1f}")


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args(argv)
    buffers = {"dense": dense_buffer(args.lines), "stdlib": stdlib_buffer(args.lines)}
    print(f"cryptolint server, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{args.lines}-line buffers, default debounce {DEFAULT_DEBOUNCE_MS} ms")
    with tempfile.TemporaryDirectory(prefix="cryptolint-lsp-bench-") as scratch:
        folder = Path(scratch)
        (folder / "pyproject.toml").write_text("[tool.cryptolint]\n", encoding="utf-8")
        for debounce in (DEFAULT_DEBOUNCE_MS, 0):
            editor = Editor(folder, initialization_options={"debounce": debounce})
            try:
                editor.published(editor.open(folder / "warm.py", buffers["dense"]), 1)  # imports, first parse
                for name, text in buffers.items():
                    findings = len(editor.published(editor.open(folder / f"{name}.py", text), 1).diagnostics)
                    figures = measure(editor, folder, f"{name}_{debounce}", text, args.rounds, debounce)
                    if debounce != DEFAULT_DEBOUNCE_MS:
                        figures = {step: figures[step] for step in ("didOpen", "didChange", "didChange, burst end")}
                    report(f"{name} buffer ({findings} findings), debounce {debounce} ms:", figures)
                assert editor.shutdown() == 0
            finally:
                editor.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
