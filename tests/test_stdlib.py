"""The whole standard library of the running Python is linted, with every rule
on and test code included, without a single internal error (CRY002)."""

from __future__ import annotations

import os
import sysconfig
from dataclasses import replace

from cryptolint.engine import lint_source
from tests.helpers import ALL_ON


def test_stdlib_has_no_internal_errors():
    stdlib = sysconfig.get_paths()["stdlib"]
    settings = replace(ALL_ON, secrets_in_tests=True)
    errors = []
    files = 0
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "dist-packages"))
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            files += 1
            with open(path, "rb") as handle:
                data = handle.read()
            for d in lint_source(data, path, settings):
                if d.code == "CRY002":
                    errors.append(f"{path}:{d.line}: {d.message}")
    assert files > 500
    assert errors == []
