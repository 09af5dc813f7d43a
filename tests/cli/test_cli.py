"""End-to-end: `python -m cryptolint` and the `cryptolint` script over small projects."""

from __future__ import annotations

import ast
import json
import os
import subprocess
from pathlib import Path
from typing import List

import pytest

from cryptolint import __version__, cli
from cryptolint.registry import all_rules, rule_by_code
from tests.helpers import (
    BROKEN, CLEAN, FIXTURES_DIR, ONE_LINER, ONE_LINER_FINDING, ROOT, TOKENS, TOKENS_FINDING, TOKENS_FIXED,
    expected_markers, lines, project, run, text_lines,
)


def syntax_error(source: str) -> str:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return f"{exc.lineno}:{exc.offset}: CRY001 cannot parse: {exc.msg}"
    raise AssertionError("expected a syntax error")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return project(tmp_path, {
        "app/__init__.py": "",
        "app/tokens.py": TOKENS,
        "app/session.py": CLEAN,
        "app/broken.py": BROKEN,
    })


# ----------------------------------------------------------- output
@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
def test_text_output_exit_1(app, script):
    result = run("check", "-j", "1", cwd=app, script=script)
    assert result.stdout.splitlines() == [
        f"app/broken.py:{syntax_error(BROKEN)}",
        "   |",
        " 4 | def f(:",
        "   |       ^",
        "",
        f"app/tokens.py:{TOKENS_FINDING}",
        "   |",
        ' 8 |     return "".join(random.choice(ALPHABET) for _ in range(32))',
        "   |                    ^^^^^^^^^^^^^^^^^^^^^^^",
        "   = fix: Use `secrets.choice` (safe fix)",
        "",
        "Found 2 problems in 2 files (1 fixable with --fix)",
    ]
    assert result.stderr == ""
    assert result.returncode == 1
    concise = run("check", "-j", "1", "--format", "concise", cwd=app, script=script)
    assert concise.stdout.splitlines() == [
        f"app/broken.py:{syntax_error(BROKEN)}",
        f"app/tokens.py:{TOKENS_FINDING}",
        "Found 2 problems in 2 files (1 fixable with --fix)",
    ]


def test_clean_project_exit_0(tmp_path):
    result = run("check", cwd=project(tmp_path, {"ok.py": CLEAN, "stub.pyi": "def f() -> int: ...\n"}))
    assert (lines(result), result.returncode) == (["All checks passed"], 0)


def test_json_output(app):
    result = run("check", "--format", "json", "app/tokens.py", "app/session.py", cwd=app)
    assert result.returncode == 1
    assert json.loads(result.stdout) == [{
        "path": "app/tokens.py", "line": 8, "column": 20, "end_line": 8, "end_column": 43,
        "code": "CRY101", "name": "insecure-random",
        "message": "`random.choice` makes the value returned by `make_reset_token` predictable; use `secrets.choice`",
        "fix": {"applicability": "safe", "title": "Use `secrets.choice`"}, "level": "error",
    }]


def test_output_is_sorted_and_independent_of_jobs(tmp_path):
    files = {f"pkg/m{i:02d}.py": ONE_LINER for i in range(12)}
    files["pkg/a_broken.py"] = BROKEN
    root = project(tmp_path, files)
    serial, parallel = run("check", "-j", "1", cwd=root), run("check", "-j", "3", cwd=root)
    assert lines(serial) == lines(parallel)
    assert lines(serial) == (
        [f"pkg/a_broken.py:{syntax_error(BROKEN)}"]
        + [f"pkg/m{i:02d}.py:{ONE_LINER_FINDING}" for i in range(12)]
        + ["Found 13 problems in 13 files (12 fixable with --fix)"]
    )


def test_quiet_statistics_and_exit_zero(app):
    result = run("check", "-q", "--statistics", "--exit-zero", cwd=app)
    assert (lines(result), result.returncode) == (["1  CRY001  syntax-error", "1  CRY101  insecure-random  [fixable]"], 0)
    stats = json.loads(run("check", "--statistics", "--format", "json", cwd=app).stdout)
    assert stats == [
        {"code": "CRY001", "name": "syntax-error", "count": 1, "fixable": False},
        {"code": "CRY101", "name": "insecure-random", "count": 1, "fixable": True},
    ]


# ------------------------------------------------------- selection
# `broken` (CRY001) is asserted only while some rule runs: with every rule
# switched off the engine's pre-filter parses nothing, so the syntax error goes
# unseen (whether other rules run depends on the catalogue, hence None).
@pytest.mark.parametrize(
    "flags, tokens, broken",
    [
        (["--select", "CRY1"], True, True),  # CRY0 (the tool's own) stays on unless ignored
        (["--select", "CRY1", "--ignore", "CRY0"], True, False),
        (["--select", "cry10,CRY001"], True, True),
        (["--select", "CRY101", "--ignore", "CRY001"], True, False),
        (["--ignore", "CRY1"], False, None),
        (["--ignore", "CRY10"], False, None),
        (["--ignore", "CRY001,CRY101"], False, False),
        (["--select", "CRY1", "--ignore", "CRY101"], False, None),
        (["--select", "CRY001", "--extend-select", "CRY1"], True, True),
        (["--extend-select", "CRY101", "--ignore", "CRY1"], True, True),
        (["--select", "ALL", "--ignore", "CRY0"], True, False),
    ],
)
def test_select_ignore_extend_select_by_prefix(app, flags, tokens, broken):
    result = run("check", "-q", *flags, cwd=app)
    found = [line.split(":")[0] for line in lines(result)]
    assert ("app/tokens.py" in found) is tokens
    if broken is not None:
        assert ("app/broken.py" in found) is broken
    assert set(found) <= {"app/tokens.py", "app/broken.py"}
    assert result.returncode == (1 if found else 0)


def test_configured_selection_and_cli_layer(app):
    (app / "pyproject.toml").write_text('[tool.cryptolint]\nignore = ["CRY101"]\n')
    assert "app/tokens.py" not in [l.split(":")[0] for l in lines(run("check", "-q", cwd=app))]
    overruled = run("check", "-q", "--extend-select", "CRY1", cwd=app)
    assert [l.split(":")[0] for l in lines(overruled)] == ["app/broken.py", "app/tokens.py"]


def test_unknown_code_on_the_command_line_is_a_usage_error(app):
    result = run("check", "--select", "CRY9", cwd=app)
    assert result.returncode == 2 and result.stdout == ""
    assert "argument --select: unknown rule code or prefix `CRY9`" in result.stderr


# ------------------------------------------------------- files
def test_default_excludes_and_virtual_environments(tmp_path):
    bad = ONE_LINER
    root = project(tmp_path, {
        "src/app.py": bad,
        "src/app.pyi": bad,
        "src/notes.txt": bad,
        ".venv/lib/m.py": bad, "venv/m.py": bad, "env/m.py": bad,
        "myenv/pyvenv.cfg": "home = /usr\n", "myenv/lib/m.py": bad,
        "build/m.py": bad, "dist/m.py": bad, "node_modules/m.py": bad, ".git/hooks/m.py": bad,
        "src/__pycache__/m.py": bad, ".tox/m.py": bad, "pkg.egg-info/m.py": bad, ".mypy_cache/m.py": bad,
        "src/module.py/inner.py": bad,  # a directory named like a module is walked into
    })
    found = [line.split(":")[0] for line in lines(run("check", "-q", cwd=root))]
    assert found == ["src/app.py", "src/app.pyi", "src/module.py/inner.py"]


def test_exclude_extend_exclude_and_explicit_files(tmp_path):
    root = project(
        tmp_path,
        {"src/app.py": ONE_LINER, "src/gen/api.py": ONE_LINER, "build/m.py": ONE_LINER, "x/legacy.py": ONE_LINER},
        config='extend-exclude = ["src/gen", "legacy.py"]\n',
    )

    def found(*args: str) -> List[str]:
        return [line.split(":")[0] for line in lines(run("check", "-q", *args, cwd=root))]

    assert found() == ["src/app.py"]
    assert found("--exclude", "src") == ["build/m.py"]  # replaces the defaults, not extend-exclude
    assert found("--extend-exclude", "app.py") == []
    assert found("src/gen/api.py", "x") == ["src/gen/api.py"]  # an explicit file is checked
    assert found("--force-exclude", "src/gen/api.py", "x/legacy.py") == []
    assert found("build") == ["build/m.py"]  # an explicit directory is walked


def test_per_file_ignores(tmp_path):
    root = project(
        tmp_path,
        {"src/app.py": ONE_LINER, "tests/test_app.py": ONE_LINER, "scripts/seed.py": ONE_LINER,
         "other/seed.py": BROKEN},
        config='per-file-ignores = { "tests/*" = ["CRY1"], "seed.py" = ["CRY101"] }\n',
    )
    result = run("check", cwd=root)
    assert lines(result)[:2] == [f"other/seed.py:{syntax_error(BROKEN)}", f"src/app.py:{ONE_LINER_FINDING}"]
    assert len(lines(result)) == 3


def test_noqa_variants(tmp_path):
    sample = FIXTURES_DIR / "projects" / "suppression" / "noqa_variants.py"
    root = project(tmp_path, {"noqa_variants.py": sample.read_text(encoding="utf-8")})
    result = run("check", "-q", cwd=root)
    reported = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines(result)]
    # other code, lower-case code, `#noqa` without a space, an unmarked line inside brackets
    assert reported == [(19, 20), (20, 20), (23, 18), (30, 5)]
    assert len(lines(run("check", "-q", "--disable-noqa", cwd=root))) == 20


def test_syntax_error_does_not_stop_the_run_and_odd_files(tmp_path):
    root = project(tmp_path, {
        "a_broken.py": BROKEN,
        "b_binary.py": b"\x00\x01\x02\xff\xfe",
        "c_latin1.py": "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"),
        "d_bad_utf8.py": b"x = '\xff'\n",
        "e_ok.py": ONE_LINER,
    })
    (root / "f_dangling.py").symlink_to(root / "missing.py")
    result = run("check", "--format", "json", cwd=root)
    found = [(item["path"], item["line"], item["code"]) for item in json.loads(result.stdout)]
    assert found == [
        ("a_broken.py", 4, "CRY001"), ("b_binary.py", 1, "CRY001"), ("d_bad_utf8.py", 1, "CRY001"),
        ("e_ok.py", 3, "CRY101"),
    ]
    assert result.stderr == "cryptolint: warning: f_dangling.py: skipped, dangling symbolic link\n"
    assert result.returncode == 1


def test_missing_path_is_an_error_but_the_rest_is_checked(app):
    result = run("check", "nope.py", "app/tokens.py", cwd=app)
    assert lines(result) == [f"app/tokens.py:{TOKENS_FINDING}", "Found 1 problem in 1 file (1 fixable with --fix)"]
    assert result.stderr == "cryptolint: error: nope.py: no such file or directory\n"
    assert result.returncode == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_an_error(app):
    (app / "app" / "tokens.py").chmod(0)
    result = run("check", cwd=app)
    assert "cryptolint: error: app/tokens.py: cannot read: Permission denied" in result.stderr
    assert result.returncode == 2


# ------------------------------------------------------- config
def test_bad_configuration_exits_2_naming_file_and_key(app):
    (app / "pyproject.toml").write_text('[tool.cryptolint]\npolicy = "owasp-2099"\n')
    result = run("check", cwd=app / "app")
    assert result.stdout == ""
    assert result.stderr == (
        f"cryptolint: error: {app / 'pyproject.toml'}: [tool.cryptolint]: `policy`: unknown policy `owasp-2099`"
        " (known: owasp-2021, owasp-2023, strict)\n"
    )
    assert result.returncode == 2
    assert run("check", "--isolated", "-q", cwd=app).returncode == 1
    (app / "pyproject.toml").write_text("[tool.cryptolint\n")
    broken = run("check", cwd=app)
    assert broken.returncode == 2 and "pyproject.toml: invalid TOML" in broken.stderr


def test_config_file_option(app):
    (app / "randomness.toml").write_text('select = ["CRY1"]\n')
    result = run("check", "-q", "--config", "randomness.toml", cwd=app)
    assert [line.split(":")[0] for line in lines(result)] == ["app/broken.py", "app/tokens.py"]


# ------------------------------------------------------- stdin
def test_stdin_with_filename_and_per_file_ignores(app):
    result = run("check", "-", "--stdin-filename", "app/tokens.py", cwd=app, stdin=TOKENS)
    assert lines(result) == [f"app/tokens.py:{TOKENS_FINDING}", "Found 1 problem in 1 file (1 fixable with --fix)"]
    assert result.returncode == 1
    anonymous = run("check", "-", "-q", cwd=app, stdin=ONE_LINER)
    assert lines(anonymous) == [f"-:{ONE_LINER_FINDING}"]
    (app / "pyproject.toml").write_text('[tool.cryptolint]\nper-file-ignores = { "app/*" = ["CRY1"] }\n')
    ignored = run("check", "-", "--stdin-filename", "app/tokens.py", cwd=app, stdin=TOKENS)
    assert (lines(ignored), ignored.returncode) == (["All checks passed"], 0)


def test_stdin_as_an_editor_calls_it_from_another_directory(tmp_path):
    """An editor pipes the buffer and names the file absolutely, from whatever directory it runs in:
    the file's project configuration applies (per-file-ignores, excludes with --force-exclude)."""
    (tmp_path / "proj").mkdir()
    root = project(tmp_path / "proj", {}, config='per-file-ignores = { "app/legacy.py" = ["CRY1"] }\n'
                                                 'extend-exclude = ["gen"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def check(name: str, *flags: str) -> subprocess.CompletedProcess:
        return run("check", "--format", "json", *flags, "-", "--stdin-filename", str(root / name), cwd=elsewhere,
                   stdin=ONE_LINER)

    reported = check("app/views.py")
    assert [(d["path"], d["line"], d["code"]) for d in json.loads(reported.stdout)] == [
        (str(root / "app/views.py"), 3, "CRY101")]
    assert json.loads(check("app/legacy.py").stdout) == []
    assert len(json.loads(check("gen/api.py").stdout)) == 1  # a file given explicitly is checked...
    assert json.loads(check("gen/api.py", "--force-exclude").stdout) == []  # ...unless excludes are forced
    untouched = check("gen/api.py", "--force-exclude", "--fix")
    assert (untouched.stdout, untouched.returncode) == (ONE_LINER, 0)  # `--fix -` echoes an excluded buffer
    fixed = check("app/views.py", "--fix")
    assert fixed.stdout == ONE_LINER.replace("random", "secrets")
    assert json.loads(fixed.stderr) == []  # the report goes to stderr, nothing remains


# ------------------------------------------------------- commands
def test_shorthand_without_subcommand(app):
    result = run("app/tokens.py", "-q", cwd=app)
    assert lines(result) == [f"app/tokens.py:{TOKENS_FINDING}"]


def test_version_and_help(tmp_path):
    assert run("--version", cwd=tmp_path).stdout == f"cryptolint {__version__}\n"
    assert "examples:" in run("check", "--help", cwd=tmp_path).stdout
    assert run(cwd=tmp_path).returncode == 2


def test_rules_and_rule_pages(tmp_path):
    table = run("rules", cwd=tmp_path)
    assert table.stdout.splitlines()[0].split() == ["CODE", "NAME", "FAMILY", "FIX", "DEFAULT", "SUMMARY"]
    listed = json.loads(run("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [rule["code"] for rule in listed] == [rule.code for rule in all_rules()]
    cry101 = next(rule for rule in listed if rule["code"] == "CRY101")
    assert cry101["fix"] == "safe" and cry101["default_enabled"] is True
    page = run("rule", "CRY101", cwd=tmp_path)
    assert page.stdout == (ROOT / "rules" / "CRY101-insecure-random.md").read_text(encoding="utf-8")
    assert run("explain", "cry101", cwd=tmp_path).stdout == page.stdout
    assert run("rule", "CRY001", cwd=tmp_path).stdout.startswith("# CRY001: syntax-error\n")
    unknown = run("rule", "CRY999", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown rule `CRY999`" in unknown.stderr


def test_internal_error_exits_2_and_still_reports(app, monkeypatch, capsys):
    import cryptolint.runner

    real = cryptolint.runner.analyse_source

    def crash_on_tokens(source, path, settings, **options):
        if path.endswith("tokens.py"):
            raise RuntimeError("boom")
        return real(source, path, settings, **options)

    monkeypatch.setattr(cryptolint.runner, "analyse_source", crash_on_tokens)
    monkeypatch.chdir(app)
    assert cli.main(["check", "-j", "1"]) == 2
    assert text_lines(capsys.readouterr().out) == [
        f"app/broken.py:{syntax_error(BROKEN)}",
        "app/tokens.py:1:1: CRY002 internal error while checking this file: RuntimeError: boom; please report it",
        "Found 2 problems in 2 files",
    ]


def test_a_file_that_cannot_be_read_is_an_error_not_a_crash(tmp_path):
    from cryptolint.discovery import SourceFile
    from cryptolint.runner import RunOptions, check_file
    from cryptolint.settings import Settings

    (tmp_path / "pkg.py").mkdir()
    result = check_file(SourceFile(str(tmp_path / "pkg.py"), "pkg.py"), RunOptions(Settings()))
    assert result.diagnostics == ()
    assert result.errors == ("pkg.py: cannot read: Is a directory",)


# ------------------------------------------------------- fixes
def test_fix_writes_safe_fixes_and_leaves_clean_files_alone(tmp_path):
    root = project(tmp_path, {"app/tokens.py": TOKENS, "app/session.py": CLEAN})
    untouched = (root / "app" / "session.py").stat().st_mtime_ns
    result = run("--fix", "--show-fixes", "app", cwd=root)
    assert lines(result) == [
        "Fixed 1 problem:",
        "  app/tokens.py:8:20: CRY101 Use `secrets.choice`",
        "Found 1 problem in 1 file (1 fixed, 0 remaining)",
    ]
    assert result.returncode == 0
    assert (root / "app" / "tokens.py").read_text() == TOKENS_FIXED
    assert (root / "app" / "session.py").stat().st_mtime_ns == untouched
    again = run("check", "--fix", cwd=root)
    assert (lines(again), again.returncode) == (["All checks passed"], 0)


def test_fix_keeps_noqa_lines_and_reports_what_remains(tmp_path):
    noqa_line = '    return "".join(random.choice(ALPHABET) for _ in range(32))  # noqa: CRY101\n'
    source = TOKENS.replace('    return "".join(random.choice(ALPHABET) for _ in range(32))\n', noqa_line)
    root = project(tmp_path, {"app/tokens.py": source, "app/broken.py": BROKEN})
    result = run("check", "--fix", cwd=root)
    assert lines(result) == [f"app/broken.py:{syntax_error(BROKEN)}", "Found 1 problem in 1 file (0 fixed, 1 remaining)"]
    assert result.returncode == 1
    assert (root / "app" / "tokens.py").read_text() == source


def test_diff_shows_and_writes_nothing(tmp_path):
    root = project(tmp_path, {"app/tokens.py": TOKENS, "app/session.py": CLEAN})
    result = run("check", "--diff", cwd=root)
    diff = result.stdout
    assert diff.startswith("--- app/tokens.py\n+++ app/tokens.py\n@@ -1,11 +1,12 @@\n import random\n+import secrets\n")
    assert [line for line in diff.splitlines() if line[:1] in "+-"] == [
        "--- app/tokens.py", "+++ app/tokens.py", "+import secrets",
        '-    return "".join(random.choice(ALPHABET) for _ in range(32))',
        '+    return "".join(secrets.choice(ALPHABET) for _ in range(32))',
    ]
    # the diff is a patch: `git apply` turns the file into the fixed one
    copy = tmp_path / "copy"
    (copy / "app").mkdir(parents=True)
    (copy / "app" / "tokens.py").write_text(TOKENS)
    subprocess.run(["git", "apply", "-p0", "-"], cwd=copy, input=diff, text=True, check=True)
    assert (copy / "app" / "tokens.py").read_text() == TOKENS_FIXED
    assert result.stderr == "Would fix 1 problem in 1 file (0 remaining)\n"
    assert result.returncode == 1
    assert (root / "app" / "tokens.py").read_text() == TOKENS
    clean = run("check", "--diff", "app/session.py", cwd=root)
    assert (clean.stdout, clean.stderr, clean.returncode) == ("", "No fixes to apply\n", 0)


def test_fix_from_stdin_writes_the_fixed_source_to_stdout(app):
    result = run("check", "--fix", "-", "--stdin-filename", "app/tokens.py", cwd=app, stdin=TOKENS)
    assert result.stdout == TOKENS_FIXED
    assert result.stderr == "Found 1 problem in 1 file (1 fixed, 0 remaining)\n"
    assert result.returncode == 0
    assert (app / "app" / "tokens.py").read_text() == TOKENS  # nothing written


def test_unsafe_fixes_need_the_flag(tmp_path):
    if rule_by_code("CRY302") is None:
        pytest.skip("needs CRY302 (hardcoded-secret), whose fix is unsafe")
    source = 'import os\n\nSECRET_KEY = "django-insecure-7c4f9b1e2d8a6f30"\n'
    root = project(tmp_path, {"settings.py": source})
    summary = lines(run("check", cwd=root))[-1]
    assert summary == "Found 1 problem in 1 file (1 with --fix --unsafe-fixes)"
    safe_only = run("check", "--fix", "-q", cwd=root)
    assert [line.split(":")[:4] for line in lines(safe_only)] == [["settings.py", "3", "14", " CRY302 `SECRET_KEY` is a literal secret in source; read it from the environment or a secrets manager"]]
    assert safe_only.returncode == 1 and (root / "settings.py").read_text() == source
    unsafe = run("check", "--fix", "--unsafe-fixes", cwd=root)
    assert (lines(unsafe), unsafe.returncode) == (["Found 1 problem in 1 file (1 fixed, 0 remaining)"], 0)
    assert (root / "settings.py").read_text() != source


def test_a_file_changed_on_disk_is_not_overwritten(app, monkeypatch, capsys):
    from cryptolint import fixer

    def changed(path, result):
        raise fixer.FileChangedError(str(path))

    monkeypatch.setattr(fixer, "write_fixed", changed)
    monkeypatch.chdir(app)
    assert cli.main(["check", "--fix", "-j", "1", "app/tokens.py"]) == 2
    captured = capsys.readouterr()
    assert text_lines(captured.out) == [f"app/tokens.py:{TOKENS_FINDING}", "Found 1 problem in 1 file (0 fixed, 1 remaining)"]
    assert captured.err == "cryptolint: error: app/tokens.py: not fixed: the file changed on disk while it was being checked\n"


# ------------------------------------------------------- the example project
def test_example_project_reports_exactly_its_marked_lines():
    """fixtures/projects/example (the README's example): what is marked `# error:` and
    not excluded, ignored per file or under `# noqa`, for the rules that exist."""
    example = FIXTURES_DIR / "projects" / "example"
    result = run("check", "--format", "json", str(example.relative_to(ROOT)), cwd=ROOT)
    found = {(Path(d["path"]).relative_to(example.relative_to(ROOT)).as_posix(), d["line"], d["code"])
             for d in json.loads(result.stdout)}
    known = {rule.code for rule in all_rules()}
    expected = set()
    for path in sorted(example.rglob("*.py")):
        name = path.relative_to(example).as_posix()
        if name.startswith("migrations/") or name == "accounts/legacy.py":
            continue  # extend-exclude, per-file-ignores in its pyproject.toml
        for line, code in expected_markers(path.read_text(encoding="utf-8")):
            if code in known:
                expected.add((name, line, code))
    assert found == expected
    assert result.returncode == 1


def test_rule_pages_come_from_the_wheel_copy_first(tmp_path, monkeypatch):
    """pyproject.toml force-includes rules/ as cryptolint/_rules in the wheel."""
    from cryptolint import catalog

    packaged = tmp_path / "_rules"
    packaged.mkdir()
    (packaged / "CRY101-insecure-random.md").write_text("# CRY101: insecure-random\n\npackaged copy\n")
    monkeypatch.setattr(catalog, "PAGE_DIRS", (packaged, ROOT / "rules"))
    assert catalog.explain("CRY101") == "# CRY101: insecure-random\n\npackaged copy\n"
    monkeypatch.setattr(catalog, "PAGE_DIRS", (tmp_path / "missing", ROOT / "rules"))
    assert catalog.explain("CRY101") == (ROOT / "rules" / "CRY101-insecure-random.md").read_text(encoding="utf-8")


def test_the_collector_runs_rarely_while_linting_and_is_restored_after():
    """`few_collections` (a quarter of a cold run was cycle collection) is
    scoped: a program that calls the runner keeps its own settings."""
    import gc

    from cryptolint import engine

    before = gc.get_threshold()
    with engine.few_collections():
        assert gc.get_threshold() == engine.LINTING_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() <= engine._FROZEN_AT_START  # nothing of ours stays frozen (3.12.1 starts above 0)


def test_the_old_name_of_all_rules_in_tests_warns_and_still_works(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, {"tests/test_tokens.py": "import random\n\ntoken = random.random()\n"},
                   "secrets-in-tests = true\n")
    monkeypatch.chdir(root)
    assert cli.main(["check", "-j", "1", "--no-cache", "tests"]) == 1
    captured = capsys.readouterr()
    assert "tests/test_tokens.py:3:9: CRY101" in captured.out
    assert (
        f"cryptolint: warning: {root / 'pyproject.toml'}: [tool.cryptolint]: `secrets-in-tests` is deprecated, use `all-rules-in-tests`"
        in captured.err.splitlines()
    )
