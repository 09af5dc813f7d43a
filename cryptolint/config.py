"""`[tool.cryptolint]` in the nearest pyproject.toml, merged with command-line flags.

Reading is strict: an unknown key, a value of the wrong type, an unknown
policy or rule code is a `ConfigError` naming the file and the key, never a
silent default.  Command-line flags win over the file.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from cryptolint.globs import PathPattern, absolute, split_patterns
from cryptolint import protocols
from cryptolint.policy import POLICIES, Policy, with_overrides
from cryptolint.registry import CATEGORIES, all_rules
from cryptolint.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

#: Skipped when walking directories, unless `exclude` replaces the list.
#: Directories holding a `pyvenv.cfg` (virtual environments) are always skipped.
DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", "env", ".tox", ".nox", ".eggs", "*.egg-info",
    "build", "dist", "__pycache__", "node_modules", ".mypy_cache", ".pytest_cache",
    ".cryptolint_cache",
)

PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class FileConfig:
    """The validated contents of one configuration table."""

    path: Optional[Path] = None
    #: Directory that relative patterns start from (absolute, POSIX).
    root: str = field(default_factory=lambda: absolute("."))
    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    exclude: Optional[Tuple[str, ...]] = None
    extend_exclude: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    secret_names: Tuple[str, ...] = ()
    not_secret_names: Tuple[str, ...] = ()
    policy: Optional[str] = None
    thresholds: Tuple[Tuple[str, Any], ...] = ()
    all_rules_in_tests: Optional[bool] = None
    honour_nosec: Optional[bool] = None
    #: What the table says the old way (deprecated keys), one message each.
    deprecations: Tuple[str, ...] = ()
    #: The oldest Python the project supports: `target-version`, else the
    #: lower bound of `[project] requires-python`.
    target_version: Optional[Tuple[int, int]] = None
    protocols: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None or empty means "not given"."""

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    exclude: Optional[Tuple[str, ...]] = None
    extend_exclude: Tuple[str, ...] = ()
    policy: Optional[str] = None
    #: `--strict`: the auditor's mode on top of the policy (see `Policy.strict`).
    strict: bool = False
    force_exclude: bool = False
    #: None: as the file says.
    honour_nosec: Optional[bool] = None
    report_unused_noqa: bool = False


@dataclass(frozen=True)
class Configuration:
    """Everything a run needs: engine settings plus the file-walk options."""

    settings: Settings
    exclude: Tuple[PathPattern, ...]
    force_exclude: bool = False
    root: str = field(default_factory=lambda: absolute("."))
    source: Optional[Path] = None
    #: Warnings about the configuration (deprecated keys) for the front end to show.
    warnings: Tuple[str, ...] = ()


# ----------------------------------------------------------------- finding
def find_config(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a `[tool.cryptolint]` table, from `start` upwards."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / PYPROJECT
        if candidate.is_file() and "cryptolint" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _nearest_requires_python(start: Path) -> Optional[Tuple[int, int]]:
    """`requires-python` of the nearest pyproject.toml, with or without a
    `[tool.cryptolint]` table (fixes must run on every Python it allows)."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / PYPROJECT
        if candidate.is_file():
            try:
                return requires_python(_read_toml(candidate))
            except ConfigError:
                return None  # not ours to judge: no [tool.cryptolint] in it
    return None


def start_directory(paths: Sequence[str], stdin_filename: Optional[str] = None) -> Path:
    """Where the configuration search starts: the first path, or the working directory."""
    first = stdin_filename if (not paths or paths[0] == "-") and stdin_filename else (paths[0] if paths else ".")
    if first == "-":
        first = "."
    path = Path(first)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path if path.exists() else Path(".")


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc


# ----------------------------------------------------------------- reading
def load_file(path: Path) -> FileConfig:
    """Read and validate `path`: a pyproject.toml (its `[tool.cryptolint]`) or a bare TOML table."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    data = _read_toml(path)
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("cryptolint")
        if table is None:
            raise ConfigError(f"{path}: has no [tool.cryptolint] table")
        where = "[tool.cryptolint]"
    else:
        table, where = data, "the top-level table"
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table")
    config = parse_table(table, path, where)
    if config.target_version is None:
        config = replace(config, target_version=requires_python(data))
    return config


def requires_python(data: Mapping[str, Any]) -> Optional[Tuple[int, int]]:
    """The oldest Python `[project] requires-python` allows (`>=3.8`,
    `>=2.7, !=3.0.*`, `~=3.9`), or None when it sets no lower bound."""
    project = data.get("project")
    spec = project.get("requires-python") if isinstance(project, dict) else None
    if not isinstance(spec, str):
        return None
    bounds = []
    for clause in spec.split(","):
        match = re.match(r"\s*(>=|~=|==|>)\s*(\d+)(?:\.(\d+))?", clause)
        if match:
            bounds.append((int(match.group(2)), int(match.group(3) or 0)))
    return min(bounds) if bounds else None


def _target_version(value: Any) -> Tuple[int, int]:
    """`"py38"`, `"3.8"` or `"2.7"` -> (3, 8)."""
    text = value if isinstance(value, str) else ""
    match = re.fullmatch(r"py(\d)(\d+)|(\d+)\.(\d+)", text.strip())
    if not match:
        raise ConfigError(f"expected a Python version such as \"py38\" or \"3.8\", got {value!r}")
    major, minor = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return int(major), int(minor)


def parse_table(table: Mapping[str, Any], path: Optional[Path], where: str = "[tool.cryptolint]") -> FileConfig:
    """Validate one configuration table; `path` names it in error messages."""
    location = str(path) if path else "<config>"
    root = absolute(str(path.parent)) if path else absolute(".")
    values: Dict[str, Any] = {}
    deprecations = []
    for written, value in table.items():
        key = RENAMED_KEYS.get(written, written)
        if key != written:
            if key in table:
                raise ConfigError(f"{location}: {where}: `{written}` is the old name of `{key}`; keep only `{key}`")
            deprecations.append(f"{location}: {where}: `{written}` is deprecated, use `{key}`")
        reader = _READERS.get(key)
        if reader is None:
            raise ConfigError(f"{location}: {where}: unknown key `{key}`{_suggest(key, _READERS)}")
        try:
            values[key.replace("-", "_")] = reader(value)
        except ConfigError as exc:
            raise ConfigError(f"{location}: {where}: `{written}`: {exc}") from None
    if "per_file_ignores" in values:
        values["per_file_ignores"] = tuple(
            (PathPattern.make(glob, root).anchored(), codes) for glob, codes in values["per_file_ignores"]
        )
    config = FileConfig(path=path, root=root, deprecations=tuple(deprecations), **values)
    try:  # the thresholds must apply to the policy named here (and to the default)
        with_overrides(POLICIES[config.policy or "owasp-2023"], dict(config.thresholds))
    except ValueError as exc:
        raise ConfigError(f"{location}: {where}: `thresholds`: {exc}") from None
    return config


def _suggest(key: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(key.replace("_", "-"), list(known), n=1, cutoff=cutoff)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)


def _strings(value: Any) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"expected an array of strings, got {_type_name(value)} {value!r}")
    return tuple(value)


def _codes(value: Any) -> Tuple[str, ...]:
    return validate_codes(_strings(value))


def _selected_codes(value: Any) -> Tuple[str, ...]:
    codes = _codes(value)
    if not codes:  # `select = []` would check nothing and pass every file
        raise ConfigError("an empty selection checks nothing; list codes or prefixes (`[\"CRY1\"]`), or remove the key for the default rules")
    return codes


def _names(value: Any) -> Tuple[str, ...]:
    names = _strings(value)
    for name in names:
        if not name.replace("_", "").isalnum():
            raise ConfigError(f"`{name}` is not an identifier or word")
    return tuple(name.lower() for name in names)


def _patterns(value: Any) -> Tuple[str, ...]:
    patterns = _strings(value)
    if any(not p.strip() for p in patterns):
        raise ConfigError("patterns must not be empty")
    return patterns


def _policy(value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"expected a string, got {_type_name(value)} {value!r}")
    return validate_policy(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"expected true or false, got {_type_name(value)} {value!r}")
    return value


def _table(value: Any) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"expected a table, got {_type_name(value)} {value!r}")
    return value


def _thresholds(value: Any) -> Tuple[Tuple[str, Any], ...]:
    return tuple(sorted(_table(value).items()))


def _protocols(value: Any) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"expected a list of protocol names, got {_type_name(value)} {value!r}")
    try:
        return tuple(sorted(protocols.validate(value)))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _per_file_ignores(value: Any) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    entries = []
    for glob, codes in _table(value).items():
        try:
            entries.append((glob, _codes(codes)))
        except ConfigError as exc:
            raise ConfigError(f"`{glob}`: {exc}") from None
    return tuple(entries)


_READERS: Dict[str, Callable[[Any], Any]] = {
    "select": _selected_codes,
    "extend-select": _codes,
    "ignore": _codes,
    "exclude": _patterns,
    "extend-exclude": _patterns,
    "per-file-ignores": _per_file_ignores,
    "secret-names": _names,
    "not-secret-names": _names,
    "policy": _policy,
    "thresholds": _thresholds,
    "all-rules-in-tests": _bool,
    "honour-nosec": _bool,
    "target-version": _target_version,
    "protocols": _protocols,
}

#: Deprecated keys, still read: old name -> new name.
RENAMED_KEYS: Dict[str, str] = {
    # It switched off 30 of 33 rules in test code, not only secrets.
    "secrets-in-tests": "all-rules-in-tests",
}

#: Every key `[tool.cryptolint]` accepts.
KEYS: Tuple[str, ...] = tuple(_READERS)


# -------------------------------------------------------------- validation
def valid_prefixes() -> List[str]:
    """Codes and prefixes accepted in `select`/`ignore`: rule codes, their prefixes, families."""
    return ["ALL", "CRY", *CATEGORIES.values(), *(rule.code for rule in all_rules())]


def validate_codes(codes: Iterable[str]) -> Tuple[str, ...]:
    """Upper-cased codes; ConfigError for one that no rule or family starts with."""
    known = [rule.code for rule in all_rules()]
    families = set(CATEGORIES.values())
    result = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            raise ConfigError("empty rule code")
        if code not in ("ALL", "CRY") and code not in families and not any(k.startswith(code) for k in known):
            raise ConfigError(f"unknown rule code or prefix `{raw}`{_suggest(code, known, 0.8)}")
        result.append(code)
    return tuple(result)


def validate_policy(name: str) -> str:
    if name not in POLICIES:
        raise ConfigError(f"unknown policy `{name}` (known: {', '.join(sorted(POLICIES))})")
    return name


def split_codes(value: str) -> Tuple[str, ...]:
    """`CRY101, CRY2` -> ('CRY101', 'CRY2'), validated (command-line form)."""
    return validate_codes(part for part in value.replace(" ", ",").split(",") if part.strip())


# ----------------------------------------------------------------- merging
def resolve(
    overrides: Overrides = Overrides(),
    start: Optional[Path] = None,
    config_file: Optional[Path] = None,
    isolated: bool = False,
) -> Configuration:
    """Find and read the configuration, then apply the command line on top."""
    if isolated:
        file = FileConfig()
    elif config_file is not None:
        file = load_file(config_file)
    else:
        found = find_config(start or Path("."))
        file = load_file(found) if found else FileConfig(target_version=_nearest_requires_python(start or Path(".")))
    return merge(file, overrides)


def merge(file: FileConfig, cli: Overrides) -> Configuration:
    select, extend_select, ignore = _selection(file, cli)
    policy_name = validate_policy(cli.policy) if cli.policy else file.policy or "owasp-2023"
    try:
        policy = with_overrides(POLICIES[policy_name], dict(file.thresholds))
    except ValueError as exc:  # pragma: no cover - checked when the file was read
        raise ConfigError(f"{file.path}: `thresholds`: {exc}") from None
    if cli.strict:
        policy = replace(policy, strict=True, uuid4_is_weak=True)
    from_cli = cli.select is not None or cli.extend_select or cli.ignore
    check_selection(select, extend_select, ignore, policy, None if from_cli else file.path)
    settings = Settings(
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        policy=policy,
        secret_names=frozenset(file.secret_names),
        not_secret_names=frozenset(file.not_secret_names),
        all_rules_in_tests=bool(file.all_rules_in_tests),
        per_file_ignores=file.per_file_ignores,
        protocols=frozenset(file.protocols),
        honour_nosec=bool(file.honour_nosec if cli.honour_nosec is None else cli.honour_nosec),
        report_unused_noqa=cli.report_unused_noqa,
        target_version=file.target_version,
    )
    cwd = absolute(".")
    if cli.exclude is not None:
        base = split_patterns(cli.exclude, cwd)
    elif file.exclude is not None:
        base = split_patterns(file.exclude, file.root)
    else:
        base = split_patterns(DEFAULT_EXCLUDE, cwd)
    exclude = base + split_patterns(file.extend_exclude, file.root) + split_patterns(cli.extend_exclude, cwd)
    return Configuration(settings, exclude, cli.force_exclude, file.root, file.path, file.deprecations)


def check_selection(
    select: Optional[Tuple[str, ...]],
    extend_select: Tuple[str, ...],
    ignore: Tuple[str, ...],
    policy: Policy = POLICIES["owasp-2023"],
    path: Optional[Path] = None,
) -> None:
    """ConfigError for a selection that contradicts itself or checks nothing.

    Contradictory: one entry both selected and ignored (`select = ["CRY101"]`
    with `ignore = ["CRY101"]`; ignore would win, so the select is a mistake).
    A narrower ignore inside a wider select (`CRY1` and `CRY101`) is the
    ordinary way to switch one rule off and is fine.  Empty: no rule would
    run; the tool's own CRY0 codes count only when selected by name (a
    parse-only run, `--select CRY001`), as they are otherwise always on.
    """
    where = f"{path}: " if path else ""
    both = [code for code in (select or ()) + extend_select if code in ignore]
    if both:
        raise ConfigError(
            f"{where}contradictory rule selection: `{both[0]}` is both selected and ignored;"
            " keep it in one of the two lists"
        )
    settings = Settings(select=select, extend_select=extend_select, ignore=ignore, policy=policy)
    if any(settings.is_enabled(rule.code, rule.default_enabled) for rule in all_rules() if not rule.code.startswith("CRY0")):
        return
    if any(code.startswith("CRY0") and code != "CRY0" for code in (select or ()) + extend_select):
        return  # only the tool's own findings, asked for by name
    off = " (rules that are off by default are turned on by their full code); see `cryptolint rules`"
    if select is None:
        ignored = ", ".join(f"`{code}`" for code in ignore)
        raise ConfigError(f"{where}the rule selection checks nothing: the default rules minus {ignored} leave no rule on{off}")
    if not select and not extend_select:
        raise ConfigError(f"{where}the rule selection checks nothing: every selected rule is also ignored")
    shown = ", ".join(f"`{code}`" for code in select + extend_select)
    raise ConfigError(f"{where}the rule selection checks nothing: {shown} turns no rule on{off}")


def _covers(prefix: str, code: str) -> bool:
    return prefix == "ALL" or code.startswith(prefix)


def _selection(file: FileConfig, cli: Overrides) -> Tuple[Optional[Tuple[str, ...]], Tuple[str, ...], Tuple[str, ...]]:
    """Rule selection with the command line as a layer over the file.

    `--select` replaces the file's whole selection.  Otherwise the flags are
    added, and an entry of the file that a flag overrules is dropped: the
    file's `ignore = ["CRY101"]` does not beat `--extend-select CRY1`.
    """
    if cli.select is not None:
        return cli.select, cli.extend_select, cli.ignore
    ignore = tuple(i for i in file.ignore if not any(_covers(e, i) for e in cli.extend_select))
    select = file.select
    if select is not None:
        select = tuple(s for s in select if not any(_covers(i, s) for i in cli.ignore))
    extend = tuple(s for s in file.extend_select if not any(_covers(i, s) for i in cli.ignore))
    return select, extend + cli.extend_select, ignore + cli.ignore


def describe_root(config: Configuration) -> str:
    """For messages: which configuration a run used."""
    return str(config.source) if config.source else "defaults (no [tool.cryptolint] found)"


__all__ = [
    "ConfigError", "Configuration", "DEFAULT_EXCLUDE", "FileConfig", "KEYS", "Overrides",
    "find_config", "load_file", "merge", "parse_table", "resolve", "split_codes", "start_directory",
    "validate_codes", "validate_policy",
]
