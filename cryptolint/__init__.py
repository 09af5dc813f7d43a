"""cryptolint: finds insecure cryptography in Python code, and fixes it.

The public API is re-exported here lazily, so that `from cryptolint import
safe` in an application does not import the linter (libcst, flake8, ast
analysis) along with it.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Applicability": "cryptolint.diagnostic",
    "Diagnostic": "cryptolint.diagnostic",
    "Edit": "cryptolint.diagnostic",
    "Fix": "cryptolint.diagnostic",
    "Import": "cryptolint.diagnostic",
    "Level": "cryptolint.diagnostic",
    "Span": "cryptolint.diagnostic",
    "lint_source": "cryptolint.engine",
    "POLICIES": "cryptolint.policy",
    "Policy": "cryptolint.policy",
    "Settings": "cryptolint.settings",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cryptolint' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted(list(globals()) + list(_EXPORTS))
