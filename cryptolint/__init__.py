"""cryptolint: finds insecure cryptography in Python code, and fixes it."""

from __future__ import annotations

from cryptolint.diagnostic import Applicability, Diagnostic, Edit, Fix, Import, Span
from cryptolint.engine import lint_source
from cryptolint.policy import POLICIES, Policy
from cryptolint.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "Import",
    "POLICIES",
    "Policy",
    "Settings",
    "Span",
    "__version__",
    "lint_source",
]
