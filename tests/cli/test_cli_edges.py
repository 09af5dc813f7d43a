"""The edges of the command line: mistyped commands and options, missing
paths, and rule selections that check nothing or contradict themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import TOKENS, TOKENS_FINDING, lines, project, run

USAGE = "usage: cryptolint [-h] [--version] COMMAND ...\n"
COMMANDS = "commands: check, rules, rule, explain, server"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return project(tmp_path, {"app/tokens.py": TOKENS})


# ------------------------------------------------------ commands
@pytest.mark.parametrize(
    "word, suggestion",
    [
        ("fix", "`cryptolint --fix ...` (or `cryptolint check --fix ...`)"),
        ("diff", "`cryptolint --diff ...` (or `cryptolint check --diff ...`)"),
        ("chek", "`cryptolint check`"),
        ("rulse", "`cryptolint rule`"),
        ("explian", "`cryptolint explain`"),
    ],
)
def test_a_mistyped_command_is_a_usage_error_not_a_path(app, word, suggestion):
    (app / word).mkdir()  # even a directory of that name is not checked by accident
    (app / word / "tokens.py").write_text(TOKENS)
    result = run(word, "app", cwd=app)
    assert result.stdout == ""
    assert result.stderr == USAGE + (
        f"cryptolint: error: unknown command `{word}`; did you mean {suggestion}? ({COMMANDS};"
        f" to check a path named `{word}`, use `cryptolint check {word}`)\n"
    )
    assert result.returncode == 2
    # the way the message gives checks the path
    named = run("check", "-q", word, cwd=app)
    assert (lines(named), named.returncode) == ([f"{word}/tokens.py:{TOKENS_FINDING}"], 1)


def test_a_word_that_is_neither_command_nor_path(app):
    result = run("frobnicate", cwd=app)
    assert (result.stdout, result.returncode) == ("", 2)
    assert result.stderr == USAGE + (
        "cryptolint: error: `frobnicate` is neither a command (check, rules, rule, explain, server) nor an existing path\n"
    )


def test_the_documented_shorthands_still_check(app):
    fix = run("--fix", "app", cwd=app)  # `cryptolint --fix src/`
    assert (fix.returncode, "secrets.choice" in (app / "app" / "tokens.py").read_text()) == (0, True)
    (app / "app" / "tokens.py").write_text(TOKENS)
    for first in ("app", "app/", "app/tokens.py", "./app"):
        result = run(first, "-q", cwd=app)
        assert (lines(result), result.returncode) == ([f"app/tokens.py:{TOKENS_FINDING}"], 1), first


# ------------------------------------------------------- options
@pytest.mark.parametrize(
    "args, prog, message",
    [
        (["check", "--slect", "CRY1", "app"], "cryptolint check", "unknown option `--slect` (did you mean `--select`?)"),
        (["check", "--fixx", "app"], "cryptolint check", "unknown option `--fixx` (did you mean `--fix`?)"),
        (["--unsafe-fxes", "app"], "cryptolint check", "unknown option `--unsafe-fxes` (did you mean `--unsafe-fixes`?)"),
        (["check", "--exlude=build", "app"], "cryptolint check", "unknown option `--exlude` (did you mean `--exclude`?)"),
        (["rules", "--formt", "json"], "cryptolint rules", "unknown option `--formt` (did you mean `--format`?)"),
        (["check", "--zzzzzz", "app"], "cryptolint check", "unknown option `--zzzzzz` (see `cryptolint check --help`)"),
        (["rules", "extra"], "cryptolint rules", "unrecognized arguments: extra"),
    ],
)
def test_unknown_options_get_a_suggestion(app, args, prog, message):
    result = run(*args, cwd=app)
    assert (result.stdout, result.returncode) == ("", 2)
    assert result.stderr.splitlines()[-1] == f"{prog}: error: {message}"
    assert "secrets" not in (app / "app" / "tokens.py").read_text()  # nothing ran


# --------------------------------------------------------- paths
def test_missing_paths_are_errors_and_the_rest_is_still_checked(app):
    result = run("check", "gone/", "app", "missing.py", cwd=app)
    assert lines(result) == [f"app/tokens.py:{TOKENS_FINDING}", "Found 1 problem in 1 file (1 fixable with --fix)"]
    assert result.stderr == (
        "cryptolint: error: gone/: no such file or directory\n"
        "cryptolint: error: missing.py: no such file or directory\n"
    )
    assert result.returncode == 2


def test_a_missing_path_alone_does_not_say_all_checks_passed(app):
    result = run("check", "gone.py", cwd=app)
    assert lines(result) == ["No problems found in what could be checked; 1 error"]
    assert result.stderr == "cryptolint: error: gone.py: no such file or directory\n"
    assert result.returncode == 2


# ----------------------------------------------------- selection
@pytest.mark.parametrize(
    "config, flags, message",
    [
        ('select = []\n', [],
         "{pyproject}: [tool.cryptolint]: `select`: an empty selection checks nothing; list codes or prefixes"
         ' (`["CRY1"]`), or remove the key for the default rules'),
        ('', ["--select", ""], "cryptolint check: error: argument --select: expected rule codes or prefixes, e.g. `CRY1`, not an empty list"),
        ('select = ["CRY1"]\nignore = ["CRY1"]\n', [],
         "{pyproject}: contradictory rule selection: `CRY1` is both selected and ignored; keep it in one of the two lists"),
        ('', ["--select", "CRY101", "--ignore", "CRY101"],
         "contradictory rule selection: `CRY101` is both selected and ignored; keep it in one of the two lists"),
        ('', ["--extend-select", "CRY5", "--ignore", "CRY5"],
         "contradictory rule selection: `CRY5` is both selected and ignored; keep it in one of the two lists"),
        ('', ["--ignore", "CRY"],
         "the rule selection checks nothing: the default rules minus `CRY` leave no rule on (rules that are off"
         " by default are turned on by their full code); see `cryptolint rules`"),
        ('select = ["CRY1", "CRY2"]\n', ["--ignore", "CRY1,CRY2"],
         "the rule selection checks nothing: every selected rule is also ignored"),
        ('', ["--select", "CRY0"],
         "the rule selection checks nothing: `CRY0` turns no rule on (rules that are off"
         " by default are turned on by their full code); see `cryptolint rules`"),
        ('', ["--select", "CRY999"],
         "cryptolint check: error: argument --select: unknown rule code or prefix `CRY999`"),
        ('select = ["CRY1O1"]\n', [],
         "{pyproject}: [tool.cryptolint]: `select`: unknown rule code or prefix `CRY1O1` (did you mean `CRY101`?)"),
    ],
)
def test_empty_contradictory_and_unknown_selections_are_configuration_errors(app, config, flags, message):
    (app / "pyproject.toml").write_text("[tool.cryptolint]\n" + config)
    result = run("check", *flags, "app", cwd=app)
    assert (result.stdout, result.returncode) == ("", 2)
    if message.startswith("cryptolint check: "):  # argparse's usage line, then the error
        assert result.stderr.splitlines()[-1] == message
    else:
        assert result.stderr == "cryptolint: error: " + message.format(pyproject=app / "pyproject.toml") + "\n"


@pytest.mark.parametrize(
    "flags",
    [
        ["--select", "CRY1", "--ignore", "CRY101"],  # a narrower ignore inside a select: the usual way
        ["--select", "CRY001"],  # a parse-only run, asked for by name
        ["--select", "ALL", "--ignore", "CRY0"],
    ],
)
def test_selections_that_are_not_contradictory_run(app, flags):
    result = run("check", "-q", *flags, "app", cwd=app)
    assert result.returncode in (0, 1) and result.stderr == ""
