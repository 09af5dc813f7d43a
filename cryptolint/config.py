"""`[tool.cryptolint]` in the nearest pyproject.toml, merged with command-line flags.

Reading is strict: an unknown key, a value of the wrong type, an unknown
policy or rule code is a `ConfigError` naming the file and the key, never a
silent default.  Command-line flags win over the file.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from cryptolint.globs import PathPattern, absolute, split_patterns
from cryptolint.policy import POLICIES, with_overrides
from cryptolint import protocols
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
    secrets_in_tests: Optional[bool] = None
    honour_nosec: Optional[bool] = None
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
    return parse_table(table, path, where)


def parse_table(table: Mapping[str, Any], path: Optional[Path], where: str = "[tool.cryptolint]") -> FileConfig:
    """Validate one configuration table; `path` names it in error messages."""
    location = str(path) if path else "<config>"
    root = absolute(str(path.parent)) if path else absolute(".")
    values: Dict[str, Any] = {}
    for key, value in table.items():
        reader = _READERS.get(key)
        if reader is None:
            raise ConfigError(f"{location}: {where}: unknown key `{key}`{_suggest(key, _READERS)}")
        try:
            values[key.replace("-", "_")] = reader(value)
        except ConfigError as exc:
            raise ConfigError(f"{location}: {where}: `{key}`: {exc}") from None
    if "per_file_ignores" in values:
        values["per_file_ignores"] = tuple(
            (PathPattern.make(glob, root).anchored(), codes) for glob, codes in values["per_file_ignores"]
        )
    config = FileConfig(path=path, root=root, **values)
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
    "select": _codes,
    "extend-select": _codes,
    "ignore": _codes,
    "exclude": _patterns,
    "extend-exclude": _patterns,
    "per-file-ignores": _per_file_ignores,
    "secret-names": _names,
    "not-secret-names": _names,
    "policy": _policy,
    "thresholds": _thresholds,
    "secrets-in-tests": _bool,
    "honour-nosec": _bool,
    "protocols": _protocols,
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
        file = load_file(found) if found else FileConfig()
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
    settings = Settings(
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        policy=policy,
        secret_names=frozenset(file.secret_names),
        not_secret_names=frozenset(file.not_secret_names),
        secrets_in_tests=bool(file.secrets_in_tests),
        per_file_ignores=file.per_file_ignores,
        protocols=frozenset(file.protocols),
        honour_nosec=bool(file.honour_nosec if cli.honour_nosec is None else cli.honour_nosec),
        report_unused_noqa=cli.report_unused_noqa,
    )
    cwd = absolute(".")
    if cli.exclude is not None:
        base = split_patterns(cli.exclude, cwd)
    elif file.exclude is not None:
        base = split_patterns(file.exclude, file.root)
    else:
        base = split_patterns(DEFAULT_EXCLUDE, cwd)
    exclude = base + split_patterns(file.extend_exclude, file.root) + split_patterns(cli.extend_exclude, cwd)
    return Configuration(settings, exclude, cli.force_exclude, file.root, file.path)


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
