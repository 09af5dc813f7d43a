"""What the language server does with a buffer, without the protocol.

A buffer is linted as `cryptolint check - --stdin-filename FILE
--force-exclude` would lint it: the configuration is the one found from the
file's folder, excludes and `per-file-ignores` apply, `# noqa` is honoured,
and the findings are those of `runner.check_bytes`, the CLI's own per-file
step.  Fixes are the fixer's (`--fix -` for "fix all", one diagnostic's fix
for a quick fix), turned into line edits.  Nothing here knows about LSP, and
no rule logic lives here: the engine, the fixer and the suppression filter
decide everything.

Positions here are the engine's: 1-based lines, 0-based columns in code
points.  The protocol layer converts them to the client's units.
"""

from __future__ import annotations

import difflib
import io
import os
import threading
import tokenize
from collections import OrderedDict
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Sequence, Tuple

from cryptolint.cache import DEFAULT_CACHE_DIR, Cache
from cryptolint.config import ConfigError, Configuration, FileConfig, Overrides, find_config, load_file, merge
from cryptolint.config import _bool, _codes, _policy
from cryptolint.diagnostic import Applicability, Diagnostic
from cryptolint.discovery import is_excluded
from cryptolint.settings import Settings
from cryptolint.runner import FileResult, FixMode, RunOptions, check_bytes, read_file
from cryptolint.source import split_lines
from cryptolint.suppression import NoqaMap, SuppressionFilter

#: How long a change waits for the next keystroke before it is linted.
DEFAULT_DEBOUNCE_MS = 50


# ------------------------------------------------------------ client settings
@dataclass(frozen=True)
class ClientSettings:
    """The editor's settings for cryptolint (`initializationOptions`, or the
    `cryptolint` section of `workspace/didChangeConfiguration`): the
    command-line options of `cryptolint check`, layered over the project's
    configuration in the same way."""

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    policy: Optional[str] = None
    strict: bool = False
    disable_noqa: bool = False
    honour_nosec: Optional[bool] = None
    report_unused_noqa: bool = False
    #: A configuration file to read instead of searching (`--config`).
    config: Optional[str] = None
    #: Ignore every configuration file (`--isolated`).
    isolated: bool = False
    debounce_ms: int = DEFAULT_DEBOUNCE_MS

    #: The keys of the settings object (camelCase, as editors write settings).
    KEYS: ClassVar[Tuple[str, ...]] = ()

    @classmethod
    def from_json(cls, value: Any) -> "ClientSettings":
        """Read the settings object; ConfigError names the key at fault.  A
        `{"cryptolint": {...}}` wrapper is unwrapped; None means defaults."""
        if value is None:
            return cls()
        if isinstance(value, Mapping) and isinstance(value.get("cryptolint"), Mapping):
            value = value["cryptolint"]
        if not isinstance(value, Mapping):
            raise ConfigError(f"cryptolint settings: expected an object, got {value!r}")
        values: Dict[str, Any] = {}
        for key, item in value.items():
            reader = _SETTING_READERS.get(key)
            if reader is None:
                known = ", ".join(sorted(_SETTING_READERS))
                raise ConfigError(f"cryptolint settings: unknown key `{key}` (known: {known})")
            if item is None:
                continue
            try:
                values[_FIELDS[key]] = reader(item)
            except ConfigError as exc:
                raise ConfigError(f"cryptolint settings: `{key}`: {exc}") from None
        return cls(**values)

    def overrides(self) -> Overrides:
        return Overrides(
            select=self.select,
            extend_select=self.extend_select,
            ignore=self.ignore,
            policy=self.policy,
            strict=self.strict,
            force_exclude=True,
            honour_nosec=self.honour_nosec,
            report_unused_noqa=self.report_unused_noqa,
        )


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"expected a string, got {value!r}")
    return value


def _milliseconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise ConfigError(f"expected milliseconds from 0 to 10000, got {value!r}")
    return value


#: Values are checked as `[tool.cryptolint]` checks its own.
_SETTING_READERS: Dict[str, Callable[[Any], Any]] = {
    "select": _codes,
    "extendSelect": _codes,
    "ignore": _codes,
    "policy": _policy,
    "strict": _bool,
    "disableNoqa": _bool,
    "honourNosec": _bool,
    "reportUnusedNoqa": _bool,
    "config": _text,
    "isolated": _bool,
    "debounce": _milliseconds,
}
_FIELDS: Dict[str, str] = {
    "select": "select", "extendSelect": "extend_select", "ignore": "ignore", "policy": "policy",
    "strict": "strict", "disableNoqa": "disable_noqa", "honourNosec": "honour_nosec",
    "reportUnusedNoqa": "report_unused_noqa", "config": "config", "isolated": "isolated",
    "debounce": "debounce_ms",
}
ClientSettings.KEYS = tuple(_SETTING_READERS)


# ------------------------------------------------------------ configuration
@dataclass(frozen=True)
class _Found:
    config_file: Optional[Path]
    stamp: Optional[Tuple[int, int]]
    configuration: Configuration


def _stamp(path: Optional[Path]) -> Optional[Tuple[int, int]]:
    if path is None:
        return None
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


class Project:
    """The configuration of each folder, read once and kept while its file
    is unchanged (a new `pyproject.toml` is seen after `invalidate`)."""

    def __init__(self, settings: ClientSettings = ClientSettings()) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._by_folder: Dict[str, _Found] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._by_folder.clear()

    def configuration(self, path: str) -> Configuration:
        """The configuration for the file at `path` (ConfigError if it is broken)."""
        folder = os.path.dirname(path) or "."
        with self._lock:
            found = self._by_folder.get(folder)
        if found is not None and _stamp(found.config_file) == found.stamp:
            return found.configuration
        found = self._read(folder)
        with self._lock:
            self._by_folder[folder] = found
        return found.configuration

    def _read(self, folder: str) -> _Found:
        settings = self.settings
        if settings.isolated:
            config_file: Optional[Path] = None
        elif settings.config is not None:
            config_file = Path(settings.config)
        else:
            start = Path(folder)
            while not start.exists() and start != start.parent:
                start = start.parent
            config_file = find_config(start)
        stamp = _stamp(config_file)
        file = load_file(config_file) if config_file is not None else FileConfig()
        return _Found(config_file, stamp, merge(file, settings.overrides()))


# ------------------------------------------------------------------ linting
@dataclass(frozen=True)
class Findings:
    """What the server shows for one version of a buffer."""

    diagnostics: Tuple[Diagnostic, ...] = ()
    #: The buffer's lines as the engine counts them (endings kept).
    lines: Tuple[str, ...] = field(default=(), repr=False)
    #: The file is excluded by the configuration: nothing is reported.
    excluded: bool = False


def encode_buffer(text: str) -> Tuple[bytes, str]:
    """The bytes a saved buffer would have, and their encoding: the PEP 263
    encoding the text declares (UTF-8 by default).  Text that cannot be
    encoded that way (lone surrogates from a broken file) is kept as UTF-8
    with the surrogates passed through, which the engine reports as CRY001."""
    raw = text.encode("utf-8", "surrogatepass")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError:
        return raw, "utf-8"
    if encoding in ("utf-8", "utf-8-sig"):
        return raw, "utf-8"
    try:
        return text.encode(encoding), encoding
    except (UnicodeEncodeError, LookupError):
        return raw, "utf-8"


def decode_buffer(data: bytes, encoding: str) -> str:
    return data.decode(encoding, "surrogatepass" if encoding == "utf-8" else "strict")


class Linter:
    """Lints and fixes buffers; safe to call from several threads at once."""

    def __init__(self, project: Project, memo_size: int = 256) -> None:
        self.project = project
        self._memo: "OrderedDict[str, Tuple[Diagnostic, ...]]" = OrderedDict()
        self._memo_size = memo_size
        self._lock = threading.Lock()

    def options(self, configuration: Configuration, fix_mode: FixMode = FixMode.REPORT) -> RunOptions:
        return RunOptions(configuration.settings, fix_mode, noqa=not self.project.settings.disable_noqa)

    def lint(self, path: str, text: str) -> Findings:
        """The findings for `text`, the unsaved contents of the file at `path`.

        Findings are remembered by content (as the CLI's cache keys them), so
        a buffer that comes back to earlier contents, or is linted again
        after an unrelated event, is not analysed again.  A buffer equal to
        its saved file also uses the project's on-disk cache, the one
        `cryptolint check` reads and writes."""
        configuration = self.project.configuration(path)
        if is_excluded(path, configuration):
            return Findings(excluded=True)
        data, _ = encode_buffer(text)
        options = self.options(configuration)
        memo = Cache("", _salt(options))
        key = memo.key(data, path, path)
        with self._lock:
            kept = self._memo.get(key)
            if kept is not None:
                self._memo.move_to_end(key)
        if kept is None:
            saved = _saved_path(path, data)
            if saved is not None and configuration.source is not None:
                # a project folder to keep the cache in, and the saved contents
                directory = Path(configuration.root) / DEFAULT_CACHE_DIR
                options = replace(options, cache=Cache.open(directory, options.settings, options.noqa))
            kept = check_bytes(data, path, options, path=saved).diagnostics
            if not any(d.code == "CRY002" for d in kept):
                with self._lock:
                    self._memo[key] = kept
                    while len(self._memo) > self._memo_size:
                        self._memo.popitem(last=False)
        return Findings(kept, tuple(split_lines(text.lstrip("\ufeff"))))

    def fix_all(self, path: str, text: str) -> Optional[str]:
        """The buffer with every safe fix applied (`cryptolint check --fix -`),
        or None when nothing changes."""
        configuration = self.project.configuration(path)
        if is_excluded(path, configuration):
            return None
        data, encoding = encode_buffer(text)
        result = check_bytes(data, path, self.options(configuration, FixMode.FIX), path=None)
        return _changed(result, data, encoding)

    def fix_one(self, path: str, text: str, target: Diagnostic) -> Optional[str]:
        """The buffer with `target`'s fix applied (and what the fixer does
        with it: imports), or None when the fix cannot be applied."""
        from cryptolint import fixer

        configuration = self.project.configuration(path)
        data, encoding = encode_buffer(text)
        settings = configuration.settings
        options = self.options(configuration)
        keep = SuppressionFilter.for_source(data, path, settings, noqa=options.noqa)
        unsafe = target.fix is not None and target.fix.applicability is Applicability.UNSAFE

        def only_target(diagnostic: Diagnostic) -> bool:
            return diagnostic == target and keep.keep(diagnostic)

        result = fixer.fix_source(data, path, settings, unsafe=unsafe, keep=only_target, max_passes=1)
        if result.error or not result.changed:
            return None
        return decode_buffer(result.fixed, encoding)


@lru_cache(maxsize=32)
def _salt_of(settings: Settings, noqa: bool) -> str:
    return Cache.open(Path("."), settings, noqa).salt


def _salt(options: RunOptions) -> str:
    return _salt_of(options.settings, options.noqa)


def _saved_path(path: str, data: bytes) -> Optional[str]:
    """`path` when the buffer is what is saved there, else None."""
    try:
        return path if read_file(path) == data else None
    except OSError:
        return None


def _changed(result: FileResult, data: bytes, encoding: str) -> Optional[str]:
    if result.errors or result.fixed_source is None or result.fixed_source == data:
        return None
    return decode_buffer(result.fixed_source, encoding)


# -------------------------------------------------------------------- edits
@dataclass(frozen=True)
class TextEdit:
    """Replace from (line, column) to (end_line, end_column) with `text`:
    0-based lines, columns in code points."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def line_edits(before: str, after: str) -> List[TextEdit]:
    """The edits that turn `before` into `after`, whole lines at a time, so
    that an editor keeps its marks and cursor on every line no fix touches."""
    old, new = split_lines(before), split_lines(after)
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(_replace_lines(old, i1, i2, "".join(new[j1:j2])))
    return edits


def _replace_lines(lines: Sequence[str], first: int, last: int, text: str) -> TextEdit:
    """Replace lines `first` up to `last` (exclusive, 0-based) with `text`.

    LSP counts one more line than there are line endings, so the line after
    the last one exists only when the text ends with a line ending; an edit
    reaching the end of a text without one ends at the end of its last line.
    """
    if last < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return TextEdit(first, 0, last, 0, text)
    end_line, end_column = len(lines) - 1, len(lines[-1])
    if first == len(lines):
        return TextEdit(end_line, end_column, end_line, end_column, text)
    return TextEdit(first, 0, end_line, end_column, text)


def noqa_edit(lines: Sequence[str], diagnostic: Diagnostic) -> Optional[TextEdit]:
    """The edit that silences `diagnostic` with `# noqa: CODE`: the code added
    to the `# noqa` comment that covers its line, or a new comment at the end
    of the line where flake8 and cryptolint look for one.  None when a blanket
    `# noqa` already covers the line."""
    noqa = NoqaMap(lines)
    code = diagnostic.code
    directive = noqa.directive_for(diagnostic.line)
    if directive is not None:
        if directive.codes is None:
            return None
        column = directive.column + directive.length
        return TextEdit(directive.line - 1, column, directive.line - 1, column, f", {code}")
    number = noqa.comment_line(diagnostic.line)
    if not 1 <= number <= len(lines):
        return None
    content = lines[number - 1].rstrip("\r\n")
    end = len(content)
    return TextEdit(number - 1, end, number - 1, end, f"  # noqa: {code}")
