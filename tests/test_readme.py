"""The README's generated parts are current, and it documents every setting.

Regenerate the rule table and the example output with:

    python -m tests.test_readme --update
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Callable, Dict

from cryptolint.catalog import render_markdown
from cryptolint.config import KEYS
from cryptolint.policy import OVERRIDABLE
from tests.helpers import README, ROOT

UPDATE = "python -m tests.test_readme --update"
EXAMPLE = ["check", "fixtures/projects/example/"]


def example_output() -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [sys.executable, "-m", "cryptolint", *EXAMPLE], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 1, result.stderr
    return f"```text\n{result.stdout}```\n"


GENERATED: Dict[str, Callable[[], str]] = {
    "rules": render_markdown,
    "example-output": example_output,
}


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert match, f"README.md lacks the <!-- {name}:start/end --> markers"
    return match.group(1)


def test_rule_table_is_current():
    assert section(README.read_text(encoding="utf-8"), "rules") == render_markdown(), (
        f"README's rule table is stale; regenerate it with `{UPDATE}`"
    )


def test_example_output_is_current():
    readme = README.read_text(encoding="utf-8")
    assert f"cryptolint {' '.join(EXAMPLE)}" in readme
    assert section(readme, "example-output") == example_output(), (
        f"README's example output is stale; regenerate it with `{UPDATE}`"
    )


def test_every_setting_is_documented():
    readme = README.read_text(encoding="utf-8")
    for key in KEYS:
        assert f"| `{key}` |" in readme, key
    for threshold in [*OVERRIDABLE, "pbkdf2-sha256"]:
        assert f"`{threshold}`" in readme, threshold


def test_every_check_option_is_in_the_options_table():
    """`cryptolint check --help` and the README's option table agree."""
    import argparse

    from cryptolint.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    check = commands.choices["check"]
    table = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `-")]
    missing = []
    for action in check._actions:  # noqa: SLF001
        longs = [o for o in action.option_strings if o.startswith("--")]
        if not longs or action.help == argparse.SUPPRESS or "--help" in longs:
            continue
        if not any(f"`{longs[0]}" in row for row in table):
            missing.append(longs[0])
    assert missing == [], f"README's option table lacks {missing}"


def test_ci_runs_the_readme_test_command():
    readme = README.read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    install, tests = commands[0], commands[1]
    # Both install the pinned test environment, so a commit tests alike everywhere.
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install -c constraints.txt -e '.[test]'")
    assert tests.startswith(".venv/bin/")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    assert "pins=(-c constraints.txt)" in ci and '"${pins[@]}" -e \'.[test]\'' in ci
    assert tests[len(".venv/bin/"):] in [line.strip() for line in ci.splitlines()]


def update() -> None:
    text = README.read_text(encoding="utf-8")
    for name, render in GENERATED.items():
        section(text, name)
        new = render()
        text = re.sub(
            rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
            lambda m: m.group(1) + new + m.group(2),
            text,
            flags=re.S,
        )
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: {UPDATE}")
    update()
    print("README.md regenerated; review `git diff README.md`")


def test_performance_section_quotes_the_committed_results():
    """The README's figures are those of bench/RESULTS.md (rerun, then update both)."""
    results = (ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8")
    walls = {}
    for line in results.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 8 and cells[2].replace(".", "").isdigit():
            walls[cells[0]] = float(cells[2])
    quoted = section(README.read_text(encoding="utf-8"), "performance")
    for row, shown in [
        ("cryptolint check, cold (--no-cache)", "{:.1f} s"),
        ("cryptolint check, warm (cache primed)", "{:.2f} s"),
        ("cryptolint check, cold, -j 1", "{:.1f} s"),
        ("bandit, crypto tests only", "{:.1f} s"),
        ("flake8 default, without cryptolint", "{:.1f} s"),
        ("flake8 default, with cryptolint", "{:.1f} s"),
    ]:
        assert shown.format(walls[row]) in quoted, row


def test_the_test_code_section_lists_the_rules_that_check_test_code():
    from cryptolint.checks._base import TestCode
    from cryptolint.registry import check_classes

    readme = README.read_text(encoding="utf-8")
    section = readme.split("### Test code\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"CRY\d{3}", section))
    assert listed == {cls.CODE for cls in check_classes() if cls.TEST_CODE is not TestCode.SKIP}
