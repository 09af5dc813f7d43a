"""The benchmark corpus: the running interpreter's standard library and its
installed site-packages, as lists of `.py` files (shared by run.py and findings.py)."""

from __future__ import annotations

import os
import shutil
import site
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Set, Tuple

#: Directory names that hold installed packages, skipped inside the stdlib.
PACKAGE_DIRS = {"site-packages", "dist-packages"}


@dataclass(frozen=True)
class Part:
    """One source tree of the corpus and its `.py` files (paths relative to `root`)."""

    name: str
    root: Path
    files: Tuple[str, ...]

    @property
    def lines(self) -> int:
        return sum(_count_lines(self.root / name) for name in self.files)

    @property
    def size(self) -> int:
        return sum((self.root / name).stat().st_size for name in self.files)


def site_directories() -> List[Path]:
    """The running interpreter's site-packages directories (a venv's, not its base's)."""
    found: List[Path] = []
    candidates = list(site.getsitepackages()) + [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    for candidate in candidates:
        path = Path(candidate).resolve()
        if path.is_dir() and path not in found:
            found.append(path)
    return found


def parts() -> List[Part]:
    """The stdlib (without any site-packages inside it) and each site-packages directory."""
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    result = [Part("stdlib", stdlib, tuple(_python_files(stdlib)))]
    sites = site_directories()
    for number, directory in enumerate(sites):
        name = "site-packages" if len(sites) == 1 else f"site-packages-{number + 1}"
        result.append(Part(name, directory, tuple(_python_files(directory))))
    return result


def _python_files(root: Path) -> Iterator[str]:
    """Regular `.py` files below `root`, sorted, not following links, skipping
    `__pycache__` and (below the stdlib) installed packages."""
    seen: Set[str] = set()
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__" and d not in PACKAGE_DIRS)
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.endswith(".py") and not os.path.islink(path) and os.path.isfile(path):
                relative = os.path.relpath(path, root)
                if relative not in seen:
                    seen.add(relative)
                    yield relative


def copy(corpus_parts: List[Part], destination: Path) -> Path:
    """Copy every part's files below `destination/<part name>/`, so every tool
    sees the same files in one tree (their default excludes differ)."""
    for part in corpus_parts:
        for name in part.files:
            target = destination / part.name / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(part.root / name, target)
    return destination


def _count_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
