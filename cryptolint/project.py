"""The project pass of `cryptolint check`: summaries of other modules, by import.

A first pass checks every file alone and keeps each file's summary
(`cryptolint.analysis.summaries`: what its functions return, where their
parameters go, its telling literal constants, what it imports).  This module
maps each file to the dotted names it can be imported by, and gives each
file the entries of the project modules it imports, keyed by the name the
file itself uses for them (`.settings.DATA_KEY` after `from . import
settings`, `config.NONCE` after `import config` or `from config import
NONCE`).  A file that gets any entry is checked again with them; every other
file's first-pass findings are final.

Imports resolve to project files the way Python would find them when the
project's top-level packages are importable: `a.b.c` is `a/b/c.py` or
`a/b/c/__init__.py` below the folder that holds the top package `a`
(folders with `__init__.py` are packages); a plain module imports its
siblings (`import config` next to `config.py`, as a script or a flat
project does); relative imports count their dots from the file's package.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from cryptolint.analysis.summaries import ConstantSummary, Entry, ModuleSummary, to_data


def module_name(path: str, is_package: Optional[Callable[[str], bool]] = None) -> Tuple[str, str]:
    """(dotted name from the top package, folder of the top package) of the
    file at `path`: `shop/views.py` in package `shop` -> (`shop.views`, `.`).
    `is_package(folder)`: whether a folder holds `__init__.py` (default: ask the file system)."""
    holds_init = is_package or (lambda folder: os.path.isfile(os.path.join(folder, "__init__.py")))
    absolute = os.path.abspath(path)
    folder, filename = os.path.split(absolute)
    stem = filename[:-3] if filename.endswith(".py") else filename
    parts = [] if stem == "__init__" else [stem]
    while holds_init(folder):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
        if not package:
            break
    return ".".join(parts), folder


class ProjectIndex:
    """Every checked module's summary, by the names it can be imported by."""

    def __init__(self, summaries: Mapping[str, ModuleSummary]) -> None:
        self._by_path = {os.path.abspath(p): s for p, s in summaries.items()}
        self._packages: Dict[str, bool] = {}  # folder -> holds __init__.py (asked once per folder)
        self._names: Dict[Tuple[str, str], str] = {}  # (root folder, dotted name) -> path
        self._dotted: Dict[str, List[str]] = {}  # dotted name -> paths (any root)
        self._entries: Dict[str, Dict[str, Entry]] = {}
        #: The last part of every indexed module's name: a dotted name that
        #: ends otherwise names none of them (`_module` is not asked).
        self._lasts: Set[str] = set()
        for path, summary in self._by_path.items():
            name, root = self._module_name(path)
            self._names[(root, name)] = path
            self._dotted.setdefault(name, []).append(path)
            self._entries[path] = summary.entries()
            self._lasts.add(name.rpartition(".")[2])

    def _is_package(self, folder: str) -> bool:
        known = self._packages.get(folder)
        if known is None:
            known = self._packages[folder] = os.path.isfile(os.path.join(folder, "__init__.py"))
        return known

    def _module_name(self, path: str) -> Tuple[str, str]:
        return module_name(path, self._is_package)

    def _module(self, importer: str, named: Tuple[str, str], dotted: str) -> Optional[str]:
        """The path of the project module `importer` (whose `module_name` is
        `named`) means by `dotted`."""
        last = dotted.rpartition(".")[2]
        if last and last not in self._lasts:
            return None  # (`.` and `..` name a package by the importer's place)
        name, root = named
        if dotted.startswith("."):
            level = len(dotted) - len(dotted.lstrip("."))
            package = name.split(".") if os.path.basename(importer) == "__init__.py" else name.split(".")[:-1]
            if level - 1 > len(package):
                return None
            base = package[: len(package) - (level - 1)]
            rest = dotted[level:]
            full = ".".join(base + ([rest] if rest else []))
            return self._names.get((root, full))
        found = self._names.get((root, dotted))
        if found is not None:
            return found
        sibling = os.path.join(os.path.dirname(importer), *dotted.split(".")) + ".py"
        if sibling in self._by_path:
            return sibling
        candidates = self._dotted.get(dotted, [])
        return candidates[0] if len(candidates) == 1 else None

    def foreign_for(self, path: str, summary: Optional[ModuleSummary]) -> Dict[str, Entry]:
        """The entries of project modules that the file at `path` imports,
        keyed by the qualified name the file resolves them to."""
        if summary is None or not summary.imports or not self._entries:
            return {}
        path = os.path.abspath(path)
        named = self._module_name(path)
        found: Dict[str, Entry] = {}
        for imported in summary.imports:
            module = self._module(path, named, imported)
            if module is not None and module != path:
                for name, entry in self._entries.get(module, {}).items():
                    found[f"{imported}.{name}"] = entry
                continue
            head, _, attr = imported.rpartition(".")
            if not head:
                continue
            module = self._module(path, named, head)
            if module is not None and module != path:
                prefix = f"{imported}."
                for name, entry in self._entries.get(module, {}).items():
                    if name == attr:
                        found[imported] = entry
                    elif name.startswith(attr + "."):
                        found[prefix + name[len(attr) + 1:]] = entry
        return found


def used_by(foreign: Mapping[str, Entry], source: str) -> Dict[str, Entry]:
    """The entries of `foreign` that the module with this `source` can
    reach: a rule meets an entry only where the module resolves a name to its
    key, and the last part of that name (`DATA_KEY` of `config.DATA_KEY`,
    `sign` of `util.Client.sign`) is spelled in the source, as a whole word
    (identifiers in NFKC form, as Python reads them).  An entry the module
    never names cannot change its findings, so it neither makes the file be
    checked again nor enters its cache key."""
    text = source if source.isascii() else unicodedata.normalize("NFKC", source)
    words: Dict[str, bool] = {}
    kept: Dict[str, Entry] = {}
    for key, entry in foreign.items():
        last = key.rsplit(".", 1)[-1]
        named = words.get(last)
        if named is None:
            named = words[last] = last in text and re.search(r"\b%s\b" % re.escape(last), text) is not None
        if named:
            kept[key] = entry
    return kept


def foreign_digest(foreign: Mapping[str, Entry]) -> bytes:
    """A stable digest of `foreign`, for cache keys: a change in any entry
    a file uses makes its cached findings stale."""
    functions = tuple(sorted((k, v) for k, v in foreign.items() if not isinstance(v, ConstantSummary)))
    constants = tuple(sorted((k, v) for k, v in foreign.items() if isinstance(v, ConstantSummary)))
    data = to_data(ModuleSummary(tuple(v for _, v in functions), tuple(v for _, v in constants), ()))
    keys = [k for k, _ in functions] + [k for k, _ in constants]
    text = json.dumps([keys, data], sort_keys=True, ensure_ascii=True)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def needs_project(paths: Sequence[str]) -> bool:
    return len(paths) > 1
