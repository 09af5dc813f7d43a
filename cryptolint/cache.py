"""A cache of each file's findings, so an unchanged file is not parsed again.

An entry is keyed on everything the findings depend on: the file's bytes,
its path (test code is judged differently, per-file-ignores match paths), the
settings, whether `# noqa` is honoured, and cryptolint itself: its version,
the Python version (the `ast` it parses with) and a hash of its own source,
so that an edited rule in a development checkout never reads stale results.

Layout: `<cache-dir>/<code hash>/<2 hex>/<38 hex>.json`, one small file an
entry.  Files are written to a temporary name and renamed into place, so
concurrent runs and worker processes never see half an entry; an entry that
does not read back exactly (truncated, edited, from another format) is a miss
and is written again.  Entries are JSON, never pickle: a cache directory can
come from a checked-out repository, and reading it must not run code.  The
cache never fails a run: when it cannot be read or written it is skipped.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import sys
import tempfile
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from cryptolint import __version__
from cryptolint.analysis.summaries import ModuleSummary, from_data, to_data
from cryptolint.diagnostic import Diagnostic
from cryptolint.interrupt import atomic
from cryptolint.settings import Settings

DEFAULT_CACHE_DIR = ".cryptolint_cache"
#: Bump when the entry layout changes (the code hash changes with it anyway).
#: 2: entries also hold the file's summary for the project pass.
FORMAT = 2
_README = "# Created by cryptolint: a cache of findings, safe to delete.\n*\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is a cryptolint cache (https://bford.info/cachedir/).\n"


class CacheFormatError(ValueError):
    """An entry does not describe diagnostics exactly."""


@dataclass(frozen=True)
class Cache:
    """Where entries live and the salt that binds them to one configuration."""

    directory: str
    salt: str

    @classmethod
    def open(cls, directory: Path, settings: Settings, noqa: bool = True) -> "Cache":
        """A cache in `directory` for runs with `settings` (nothing is written yet)."""
        salt = hashlib.blake2b(settings_key(settings, noqa).encode("utf-8"), digest_size=16).hexdigest()
        return cls(str(Path(directory) / code_fingerprint()[:16]), salt)

    def key(self, data: bytes, path: str, display: str, extra: bytes = b"") -> str:
        """The key of `data` at `path`; `extra` is what else its findings
        depend on (a digest of the other modules' summaries it was given)."""
        digest = hashlib.blake2b(digest_size=20)
        for part in (self.salt.encode(), os.fsencode(path), os.fsencode(display), extra):
            digest.update(part)
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key[2:] + ".json")

    def get(self, key: str) -> Optional[Tuple[Diagnostic, ...]]:
        """The diagnostics stored under `key`, or None (missing or unreadable)."""
        entry = self.get_entry(key)
        return None if entry is None else entry[0]

    def get_entry(self, key: str) -> Optional[Tuple[Tuple[Diagnostic, ...], Optional[ModuleSummary]]]:
        """The diagnostics and module summary stored under `key`, or None."""
        try:
            with open(self._entry(key), "rb") as handle:
                return loads_entry(handle.read())
        except (OSError, ValueError, RecursionError):
            return None

    def put(self, key: str, diagnostics: Sequence[Diagnostic], summary: Optional[ModuleSummary] = None) -> None:
        """Store `diagnostics` (and the file's summary) under `key`,
        atomically; failures are ignored."""
        entry = self._entry(key)
        try:
            payload = dumps(diagnostics, summary)
            shard = os.path.dirname(entry)
            if not os.path.isdir(shard):
                self._prepare()
                os.makedirs(shard, exist_ok=True)
        except (OSError, TypeError, ValueError):
            return
        with atomic():  # a Ctrl-C waits until the entry is in place or its temporary file gone
            try:
                fd, temporary = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=shard)
            except OSError:
                return
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(payload)
                os.replace(temporary, entry)
            except OSError:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass

    def _prepare(self) -> None:
        """Mark the cache's root as a cache: ignored by git, skipped by backups."""
        root = os.path.dirname(self.directory)
        os.makedirs(root, exist_ok=True)
        for name, text in ((".gitignore", _README), ("CACHEDIR.TAG", _TAG)):
            marker = os.path.join(root, name)
            if not os.path.exists(marker):
                try:
                    with open(marker, "x", encoding="utf-8") as handle:
                        handle.write(text)
                except OSError:  # another process wrote it first, or read-only
                    pass


# ------------------------------------------------------------------ keys
@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of cryptolint's version, its own source files and the Python version."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.implementation.cache_tag}\0{sys.version_info[:3]}\0".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.blake2b(data, digest_size=20).digest())
    return digest.hexdigest()


def settings_key(settings: Settings, noqa: bool = True) -> str:
    """`settings` as canonical JSON (sets sorted), so equal settings give one key
    whatever the process's hash seed."""
    return json.dumps({"settings": _canonical(settings), "noqa": noqa}, sort_keys=True, separators=(",", ":"))


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return _canonical(value.value)
    if isinstance(value, Mapping):
        return sorted([str(k), _canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


# --------------------------------------------------- diagnostics <-> JSON
def dumps(diagnostics: Sequence[Diagnostic], summary: Optional[ModuleSummary] = None) -> bytes:
    """Diagnostics, fixes included, and the file's summary, as JSON bytes (see `loads`)."""
    body = {
        "format": FORMAT,
        "diagnostics": [_encode(d) for d in diagnostics],
        "summary": to_data(summary) if summary is not None else None,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Tuple[Diagnostic, ...]:
    """The diagnostics `dumps` wrote; CacheFormatError for anything else."""
    return loads_entry(data)[0]


def loads_entry(data: bytes) -> Tuple[Tuple[Diagnostic, ...], Optional[ModuleSummary]]:
    """The diagnostics and summary `dumps` wrote; CacheFormatError for anything else."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CacheFormatError(str(exc)) from None
    if not isinstance(body, dict) or body.get("format") != FORMAT or not isinstance(body.get("diagnostics"), list):
        raise CacheFormatError("not a cryptolint cache entry")
    diagnostics = tuple(_decode(Diagnostic, item) for item in body["diagnostics"])
    try:
        summary = from_data(body["summary"]) if body.get("summary") is not None else None
    except ValueError as exc:
        raise CacheFormatError(str(exc)) from None
    return diagnostics, summary


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if value is None or type(value) in (str, int, bool):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


@lru_cache(maxsize=None)
def _hints(cls: type) -> Dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, data: Any) -> Any:
    """`data` rebuilt as a value of type `hint`, checked strictly."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union:
        if data is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise CacheFormatError(f"unsupported type {hint}")
        return _decode(options[0], data)
    if origin is tuple:
        if not isinstance(data, list) or len(args) != 2 or args[1] is not Ellipsis:
            raise CacheFormatError(f"expected a list for {hint}")
        return tuple(_decode(args[0], item) for item in data)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(data)
        except ValueError as exc:
            raise CacheFormatError(str(exc)) from None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        names = [f.name for f in dataclasses.fields(hint)]
        if not isinstance(data, dict) or sorted(data) != sorted(names):
            raise CacheFormatError(f"expected the fields of {hint.__name__}")
        hints = _hints(hint)
        return hint(**{name: _decode(hints[name], data[name]) for name in names})
    if hint in (str, int, bool) and type(data) is hint:
        return data
    raise CacheFormatError(f"expected {hint}, got {type(data).__name__}")
