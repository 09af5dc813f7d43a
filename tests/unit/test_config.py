"""`[tool.cryptolint]`: discovery, strict validation, merging with the command line."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from cryptolint.config import (
    DEFAULT_EXCLUDE,
    KEYS,
    ConfigError,
    FileConfig,
    Overrides,
    find_config,
    load_file,
    merge,
    resolve,
    split_codes,
    start_directory,
)
from cryptolint.globs import PathPattern
from cryptolint.policy import POLICIES
from cryptolint.settings import Settings


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pyproject(tmp_path: Path, body: str) -> Path:
    return write(tmp_path / "pyproject.toml", "[tool.cryptolint]\n" + body)


# ---------------------------------------------------------------- finding
def test_nearest_pyproject_with_a_cryptolint_table_wins(tmp_path):
    outer = pyproject(tmp_path, 'select = ["CRY1"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')  # no table: skipped
    inner_dir = tmp_path / "pkg" / "sub"
    inner_dir.mkdir()
    assert find_config(inner_dir) == outer
    inner = pyproject(inner_dir, "")
    assert find_config(inner_dir / "module.py") == inner


def test_no_configuration_means_defaults(tmp_path):
    config = resolve(start=tmp_path, isolated=True)
    assert config.settings == Settings()
    assert [p.pattern for p in config.exclude] == list(DEFAULT_EXCLUDE)
    assert config.source is None


def test_start_directory_is_the_first_path_or_the_stdin_filename(tmp_path):
    assert start_directory([str(tmp_path / "missing" / "x.py")]) == tmp_path
    assert start_directory(["-"], str(tmp_path / "a.py")) == tmp_path
    assert start_directory([]) == Path(".")


# ---------------------------------------------------------------- reading
def test_every_key_is_read(tmp_path):
    path = pyproject(tmp_path, """\
select = ["cry1", "CRY2"]
extend-select = ["CRY101"]
ignore = ["CRY201"]
exclude = ["generated"]
extend-exclude = ["legacy/*"]
per-file-ignores = { "tests/*" = ["CRY3"], "conftest.py" = ["CRY101"] }
secret-names = ["Hush", "sesame_word"]
not-secret-names = ["monkey_key"]
policy = "owasp-2021"
thresholds = { bcrypt-rounds = 14, pbkdf2-sha256 = 700000 }
all-rules-in-tests = true
honour-nosec = true
target-version = "py35"
protocols = ["NTLM", "websocket"]
""")
    file = load_file(path)
    assert file.select == ("CRY1", "CRY2")
    assert file.extend_select == ("CRY101",)
    assert file.ignore == ("CRY201",)
    assert file.exclude == ("generated",)
    assert file.extend_exclude == ("legacy/*",)
    root = tmp_path.resolve().as_posix()
    assert file.per_file_ignores == ((f"{root}/tests/*", ("CRY3",)), (f"{root}/**/conftest.py", ("CRY101",)))
    assert file.secret_names == ("hush", "sesame_word")
    assert file.not_secret_names == ("monkey_key",)
    settings = merge(file, Overrides()).settings
    assert settings.policy.name == "owasp-2021"
    assert settings.policy.bcrypt_rounds == 14
    assert settings.policy.pbkdf2_minimum("sha256") == 700_000
    assert settings.policy.pbkdf2_minimum("sha512") == POLICIES["owasp-2021"].pbkdf2_minimum("sha512")
    assert settings.all_rules_in_tests is True
    assert file.deprecations == ()
    assert settings.honour_nosec is True
    assert settings.target_version == (3, 5)
    assert settings.protocols == frozenset({"ntlm", "websocket"})
    assert merge(file, Overrides(honour_nosec=False)).settings.honour_nosec is False
    assert settings.secret_names == frozenset({"hush", "sesame_word"})
    assert set(KEYS) == {
        "select", "extend-select", "ignore", "exclude", "extend-exclude", "per-file-ignores",
        "secret-names", "not-secret-names", "policy", "thresholds", "all-rules-in-tests",
        "honour-nosec", "target-version", "protocols",
    }


@pytest.mark.parametrize(
    "body, message",
    [
        ('selekt = ["CRY1"]\n', "[tool.cryptolint]: unknown key `selekt` (did you mean `select`?)"),
        ('per_file_ignores = {}\n', "unknown key `per_file_ignores` (did you mean `per-file-ignores`?)"),
        ('select = "CRY1"\n', "`select`: expected an array of strings, got a string 'CRY1'"),
        ("ignore = [101]\n", "`ignore`: expected an array of strings, got an array [101]"),
        ('select = ["CRY9"]\n', "`select`: unknown rule code or prefix `CRY9`"),
        ('extend-select = ["XYZ1"]\n', "`extend-select`: unknown rule code or prefix `XYZ1`"),
        ('policy = "owasp-2099"\n', "`policy`: unknown policy `owasp-2099` (known: owasp-2021, owasp-2023, strict)"),
        ("policy = 2023\n", "`policy`: expected a string, got an integer 2023"),
        ('secrets-in-tests = "yes"\n', "`secrets-in-tests`: expected true or false, got a string 'yes'"),
        ("thresholds = { bcrypt-round = 12 }\n", "`thresholds`: unknown threshold `bcrypt-round`"),
        ("thresholds = { bcrypt-rounds = -1 }\n", "`thresholds`: threshold `bcrypt-rounds` must be a positive integer"),
        ('thresholds = { uuid4-is-weak = 1 }\n', "`thresholds`: threshold `uuid4-is-weak` must be true or false"),
        ("thresholds = 5\n", "`thresholds`: expected a table, got an integer 5"),
        ('per-file-ignores = { "tests/*" = ["CRY999"] }\n', "`per-file-ignores`: `tests/*`: unknown rule code or prefix `CRY999`"),
        ('per-file-ignores = ["tests"]\n', "`per-file-ignores`: expected a table"),
        ('secret-names = ["two words"]\n', "`secret-names`: `two words` is not an identifier or word"),
        ('exclude = [""]\n', "`exclude`: patterns must not be empty"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path, body, message):
    path = pyproject(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        resolve(start=tmp_path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_malformed_toml_is_an_error_naming_the_file(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[tool.cryptolint\nselect = 1\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: invalid TOML: .*line 1"):
        resolve(start=tmp_path)
    assert str(path) in str(pytest.raises(ConfigError, resolve, start=tmp_path).value)


def test_explicit_config_file(tmp_path):
    bare = write(tmp_path / "cryptolint.toml", 'select = ["CRY101"]\n')
    assert resolve(config_file=bare).settings.select == ("CRY101",)
    empty = write(tmp_path / "other" / "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"other/pyproject.toml: has no \[tool.cryptolint\] table"):
        resolve(config_file=empty)
    with pytest.raises(ConfigError, match="missing.toml: no such configuration file"):
        resolve(config_file=tmp_path / "missing.toml")


def test_isolated_ignores_the_configuration(tmp_path):
    pyproject(tmp_path, 'select = ["CRY9"]\n')  # would be an error if read
    assert resolve(start=tmp_path, isolated=True).settings == Settings()


# ---------------------------------------------------------------- merging
def selection(file: FileConfig, cli: Overrides):
    settings = merge(file, cli).settings
    return settings.select, settings.extend_select, settings.ignore


def test_cli_select_replaces_the_whole_configured_selection():
    file = FileConfig(select=("CRY2",), extend_select=("CRY102",), ignore=("CRY101",))
    assert selection(file, Overrides(select=("CRY1",))) == (("CRY1",), (), ())


def test_cli_extend_select_overrules_a_configured_ignore():
    file = FileConfig(ignore=("CRY101", "CRY2"))
    select, extend, ignore = selection(file, Overrides(extend_select=("CRY1",)))
    assert (select, extend, ignore) == (None, ("CRY1",), ("CRY2",))
    assert merge(file, Overrides(extend_select=("CRY1",))).settings.is_enabled("CRY101")


def test_cli_ignore_overrules_a_configured_select():
    file = FileConfig(select=("CRY101", "CRY2"), extend_select=("CRY102",))
    settings = merge(file, Overrides(ignore=("CRY1",))).settings
    assert (settings.select, settings.extend_select, settings.ignore) == (("CRY2",), (), ("CRY1",))
    assert not settings.is_enabled("CRY101")


def test_cli_policy_wins_and_configured_thresholds_still_apply():
    file = FileConfig(policy="owasp-2021", thresholds=(("bcrypt-rounds", 13),))
    policy = merge(file, Overrides(policy="strict")).settings.policy
    assert policy.name == "strict" and policy.strict and policy.bcrypt_rounds == 13


def test_excludes_default_replaced_and_extended(tmp_path):
    root = tmp_path.resolve().as_posix()
    config = merge(FileConfig(root=root, extend_exclude=("gen/*",)), Overrides(extend_exclude=("x",)))
    assert [p.pattern for p in config.exclude] == [*DEFAULT_EXCLUDE, "gen/*", "x"]
    assert config.exclude[len(DEFAULT_EXCLUDE)].absolute_pattern == f"{root}/gen/*"
    replaced = merge(FileConfig(root=root, exclude=("only",)), Overrides())
    assert [p.pattern for p in replaced.exclude] == ["only"]
    cli = merge(FileConfig(root=root, exclude=("only",)), Overrides(exclude=("cli",)))
    assert [p.pattern for p in cli.exclude] == ["cli"]


def test_split_codes_validates_command_line_lists():
    assert split_codes("cry101, CRY2") == ("CRY101", "CRY2")
    assert split_codes("ALL") == ("ALL",)
    with pytest.raises(ConfigError, match="unknown rule code or prefix `CRY8`"):
        split_codes("CRY1,CRY8")


def test_settings_survive_pickling_for_worker_processes():
    settings = merge(FileConfig(policy="owasp-2021", thresholds=(("pbkdf2-sha256", 700000),)), Overrides()).settings
    again = pickle.loads(pickle.dumps(settings))
    assert again == settings and hash(again) == hash(settings)
    assert again.policy.pbkdf2_minimum("sha256") == 700_000


# ---------------------------------------------------------------- globs
@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        ("tests/*", "/p/tests/a.py", True),
        ("tests/*", "/p/tests/sub/a.py", True),  # an ancestor matches
        ("tests/*", "/p/src/tests/a.py", False),  # anchored at the root
        ("**/migrations/*.py", "/p/migrations/0001.py", True),
        ("**/migrations/*.py", "/p/a/b/migrations/0001.py", True),
        ("src/*.py", "/p/src/sub/a.py", False),  # `*` stays in one component
        ("build", "/p/x/build/a.py", True),  # a name matches any component below the root
        ("*.egg-info", "/p/x.egg-info/PKG-INFO", True),
        ("test_?.py", "/p/t/test_a.py", True),
        ("src/[!a]*.py", "/p/src/b.py", True),
        ("src/[!a]*.py", "/p/src/a.py", False),
    ],
)
def test_path_patterns(pattern, path, expected):
    assert PathPattern.make(pattern, "/p").matches(path, "/p") is expected


def test_name_patterns_ignore_directories_above_the_root():
    pattern = PathPattern.make("build", "/home/build/proj")
    assert not pattern.matches("/home/build/proj/src/a.py", "/home/build/proj")
    assert pattern.matches("/home/build/proj/src/build/a.py", "/home/build/proj")


def test_the_old_name_of_all_rules_in_tests_still_works_and_warns(tmp_path):
    path = tmp_path / "cryptolint.toml"
    path.write_text("secrets-in-tests = true\n")
    file = load_file(path)
    assert file.all_rules_in_tests is True
    assert file.deprecations == (f"{path}: the top-level table: `secrets-in-tests` is deprecated, use `all-rules-in-tests`",)
    configuration = merge(file, Overrides())
    assert configuration.settings.all_rules_in_tests is True
    assert configuration.warnings == file.deprecations


def test_the_old_and_new_name_together_are_an_error(tmp_path):
    path = tmp_path / "cryptolint.toml"
    path.write_text("secrets-in-tests = true\nall-rules-in-tests = false\n")
    with pytest.raises(ConfigError, match="`secrets-in-tests` is the old name of `all-rules-in-tests`; keep only `all-rules-in-tests`"):
        load_file(path)


@pytest.mark.parametrize(
    "spec, oldest",
    [(">=3.8", (3, 8)), (">=2.7, !=3.0.*, !=3.1.*", (2, 7)), ("~=3.9", (3, 9)), (">3.6", (3, 6)), ("<4", None)],
)
def test_the_oldest_python_comes_from_requires_python(tmp_path, spec, oldest):
    (tmp_path / "pyproject.toml").write_text(f'[project]\nrequires-python = "{spec}"\n\n[tool.cryptolint]\n')
    assert load_file(tmp_path / "pyproject.toml").target_version == oldest


def test_target_version_wins_over_requires_python_and_is_validated(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nrequires-python = ">=3.8"\n\n[tool.cryptolint]\ntarget-version = "2.7"\n')
    assert load_file(path).target_version == (2, 7)
    path.write_text('[tool.cryptolint]\ntarget-version = "python3"\n')
    with pytest.raises(ConfigError, match="target-version"):
        load_file(path)


def test_requires_python_is_read_without_a_cryptolint_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.5"\n')
    assert resolve(start=tmp_path).settings.target_version == (3, 5)
