"""End-to-end: adopting cryptolint on a legacy codebase (baselines, --diff-base,
bandit/ruff annotations, --report-unused-noqa), running the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import lines, project, run

TOKEN = 'reset_token = random.choice("abcdef0123456789")\n'
TWO = "import random\n\n" + TOKEN + 'api_token = random.choice("abcdef0123456789")\n'
RESET = "`random.choice` makes `reset_token` predictable; use `secrets.choice`"
API = "`random.choice` makes `api_token` predictable; use `secrets.choice`"


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return run("check", "--format", "concise", "-j", "1", *args, cwd=cwd)


# ------------------------------------------------------------ baseline
def test_write_baseline_records_findings_and_exits_0(tmp_path):
    root = project(tmp_path, {"app/t.py": TWO})
    result = check(root, "--write-baseline", "baseline.json")
    assert (lines(result), result.stderr, result.returncode) == (["Wrote 2 findings to baseline.json"], "", 0)
    data = json.loads((root / "baseline.json").read_text())
    assert data["version"] == 1
    assert [(e["path"], e["code"]) for e in data["entries"]] == [("app/t.py", "CRY101")] * 2
    assert len({e["fingerprint"] for e in data["entries"]}) == 2


def test_baseline_hides_recorded_findings_even_when_lines_move(tmp_path):
    root = project(tmp_path, {"app/t.py": "import random\n\n" + TOKEN})
    assert check(root, "--write-baseline", "baseline.json").returncode == 0
    # the baselined line moves down and is re-indented; a new finding appears
    (root / "app/t.py").write_text("import random\n\n\nif True:\n    " + TOKEN + 'api_token = random.choice("ab")\n')
    result = check(root, "--baseline", "baseline.json")
    assert lines(result) == [
        "app/t.py:6:13: CRY101 " + API,
        "Found 1 problem in 1 file (1 fixable with --fix)",
    ]
    assert result.stderr == "cryptolint: 1 baselined finding not shown (baseline.json)\n"
    assert result.returncode == 1


def test_baseline_is_one_to_one_a_copied_line_is_new(tmp_path):
    root = project(tmp_path, {"app/t.py": "import random\n\n" + TOKEN})
    check(root, "--write-baseline", "baseline.json")
    (root / "app/t.py").write_text("import random\n\n" + TOKEN + TOKEN)
    result = check(root, "--baseline", "baseline.json")
    assert lines(result)[0] == "app/t.py:4:15: CRY101 " + RESET
    assert result.returncode == 1


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path):
    root = project(tmp_path, {"app/t.py": TWO})
    check(root, "--write-baseline", "ci/baseline.json")
    assert json.loads((root / "ci/baseline.json").read_text())["entries"][0]["path"] == "../app/t.py"
    result = check(root / "app", "--baseline", "../ci/baseline.json", ".")
    assert (lines(result), result.returncode) == (["All checks passed"], 0)


def test_fix_and_diff_still_fix_baselined_findings(tmp_path):
    root = project(tmp_path, {"app/t.py": TWO})
    check(root, "--write-baseline", "baseline.json")
    diff = run("check", "--diff", "--baseline", "baseline.json", cwd=root)
    assert "+reset_token = secrets.choice(\"abcdef0123456789\")" in diff.stdout.splitlines()
    fixed = check(root, "--fix", "--baseline", "baseline.json")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "secrets.choice" in (root / "app/t.py").read_text()


def test_bad_baseline_is_an_error(tmp_path):
    root = project(tmp_path, {"app/t.py": TWO, "bad.json": '{"entries": []}'})
    missing = check(root, "--baseline", "nope.json")
    assert missing.stderr == (
        "cryptolint: error: nope.json: no such baseline file (create it with --write-baseline)\n"
    )
    assert missing.returncode == 2
    bad = check(root, "--baseline", "bad.json")
    assert bad.stderr == (
        'cryptolint: error: bad.json: not a cryptolint baseline (expected an object with "version": 1)\n'
    )
    assert bad.returncode == 2


def test_write_baseline_rejects_fix(tmp_path):
    result = check(project(tmp_path, {"app/t.py": TWO}), "--write-baseline", "b.json", "--fix")
    assert result.returncode == 2
    assert "--write-baseline cannot be combined with --baseline, --fix or --diff" in result.stderr


# ------------------------------------------------------------ --diff-base
def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root,
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = project(tmp_path, {"app/t.py": "import random\n\n" + TOKEN})
    git(root, "init", "-q", ".")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    return root


def test_diff_base_reports_only_changed_lines(repo):
    (repo / "app/t.py").write_text("import random\n\n" + TOKEN + 'api_token = random.choice("ab")\n')
    (repo / "app/new.py").write_text("import random\n\n" + TOKEN)  # untracked: wholly changed
    result = check(repo, "--diff-base", "HEAD")
    assert lines(result) == [
        "app/new.py:3:15: CRY101 " + RESET,
        "app/t.py:4:13: CRY101 " + API,
        "Found 2 problems in 2 files (2 fixable with --fix)",
    ]
    assert result.returncode == 1


def test_diff_base_clean_when_nothing_changed(repo):
    result = check(repo, "--diff-base", "HEAD")
    assert (lines(result), result.returncode) == (["All checks passed"], 0)
    assert check(repo).returncode == 1


def test_diff_base_unknown_ref(repo):
    result = check(repo, "--diff-base", "no-such-branch")
    assert (result.stdout, result.stderr, result.returncode) == (
        "", "cryptolint: error: --diff-base: unknown git ref `no-such-branch`\n", 2,
    )


def test_diff_base_outside_a_repository(tmp_path):
    (tmp_path / "plain").mkdir()
    root = project(tmp_path / "plain", {"app/t.py": TWO})
    result = check(root, "--diff-base", "HEAD")
    assert result.stderr == f"cryptolint: error: --diff-base: {root} is not inside a git repository\n"
    assert result.returncode == 2


# ------------------------------------------------------------ bandit / ruff annotations
ANNOTATED = '''\
import random

a_token = random.choice("ab")  # nosec B311 -- demo data
b_token = random.choice("ab")  # noqa: S311 reviewed
c_token = random.choice("ab")  # nosec
d_token = random.choice("ab")  # nosec B324
e_token = random.choice("ab")  # nosec: B303,B311
x = 1  # noqa: CRY101, E501
y = 2  # nosec B311
z = 3  # noqa: CRY101, CRY003
w = 4  # noqa
'''


def finding(line: int, column: int, name: str) -> str:
    return f"app/n.py:{line}:{column}: CRY101 `random.choice` makes `{name}` predictable; use `secrets.choice`"


def test_nosec_and_ruff_codes_are_ignored_by_default(tmp_path):
    result = check(project(tmp_path, {"app/n.py": ANNOTATED}))
    assert lines(result) == [
        finding(3, 11, "a_token"), finding(4, 11, "b_token"), finding(5, 11, "c_token"),
        finding(6, 11, "d_token"), finding(7, 11, "e_token"),
        "Found 5 problems in 1 file (5 fixable with --fix)",
    ]


@pytest.mark.parametrize("how", ["flag", "config"])
def test_honour_nosec_maps_bandit_and_ruff_codes(tmp_path, how):
    root = project(tmp_path, {"app/n.py": ANNOTATED}, "honour-nosec = true\n" if how == "config" else "")
    result = check(root, *(["--honour-nosec"] if how == "flag" else []))
    assert lines(result) == [finding(6, 11, "d_token"), "Found 1 problem in 1 file (1 fixable with --fix)"]
    assert result.returncode == 1


def test_report_unused_noqa(tmp_path):
    root = project(tmp_path, {"app/n.py": ANNOTATED})
    result = check(root, "--honour-nosec", "--report-unused-noqa")
    assert lines(result) == [
        finding(6, 11, "d_token"),
        "app/n.py:6:32: CRY003 `B324` in `# nosec` silences nothing on this line; remove it",
        "app/n.py:7:32: CRY003 `B303` in `# nosec` silences nothing on this line; remove it",
        "app/n.py:8:8: CRY003 `CRY101` in `# noqa` silences nothing on this line; remove it",
        "app/n.py:9:8: CRY003 `B311` in `# nosec` silences nothing on this line; remove it",
        "Found 5 problems in 1 file (1 fixable with --fix)",
    ]
    # without --honour-nosec, bandit/ruff codes are another tool's business
    plain = check(root, "--report-unused-noqa")
    assert [line for line in lines(plain) if "CRY003" in line] == [
        "app/n.py:8:8: CRY003 `CRY101` in `# noqa` silences nothing on this line; remove it",
    ]
    # a code whose rule is not checked in this run is not reported as unused
    assert "CRY003" not in check(root, "--report-unused-noqa", "--select", "CRY2").stdout
    assert "CRY003" not in check(root, "--report-unused-noqa", "--ignore", "CRY003").stdout
    assert "CRY003" not in check(root).stdout


def test_mapped_codes_name_real_rules():
    from cryptolint.registry import rule_by_code
    from cryptolint.suppression import FOREIGN_CODES

    assert {code for codes in FOREIGN_CODES.values() for code in codes if rule_by_code(code) is None} == set()
    assert FOREIGN_CODES["S311"] == FOREIGN_CODES["B311"] == ("CRY101",)
