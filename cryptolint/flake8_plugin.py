"""cryptolint as a flake8 plugin (`CRY` codes): a thin adapter over the engine.

flake8 hands over its own `tree`, `lines` and file name; the engine reuses
the tree (no second parse) and never reads the file, so `flake8 -` works.
flake8 itself applies `--select`, `--ignore`, `--per-file-ignores` and
`# noqa`.  Options (command line, or `setup.cfg` / `tox.ini` / `.flake8`):

    [flake8]
    extend-select = CRY
    cryptolint-policy = owasp-2023
    cryptolint-secret-names = hush, sesame
    cryptolint-not-secret-names = monkey_key
    cryptolint-all-rules-in-tests = false
    cryptolint-enable = CRY102
"""

from __future__ import annotations

import argparse
import ast
import sys
import warnings
from typing import Any, ClassVar, Iterator, List, Sequence, Tuple, Type

from cryptolint import __version__
from cryptolint.config import ConfigError, validate_codes
from cryptolint.engine import few_collections, lint_source
from cryptolint.policy import DEFAULT_POLICY, POLICIES
from cryptolint.settings import Settings


class CryptolintChecker:
    """flake8 tree plugin: yields `(line, column, "CRYnnn message", type)`."""

    name = "cryptolint"
    version = __version__
    #: Set from flake8's options by `parse_options` (once per process).
    settings: ClassVar[Settings] = Settings()

    def __init__(self, tree: ast.Module, lines: Sequence[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[Tuple[int, int, str, Type[Any]]]:
        source = "".join(self.lines)
        # The collector is turned down only while this file is analysed, as in
        # `cryptolint check`: flake8's own work keeps its settings.
        with few_collections():
            diagnostics = lint_source(source, self.filename, self.settings, tree=self.tree)
        for diagnostic in diagnostics:
            yield diagnostic.line, diagnostic.column, f"{diagnostic.code} {diagnostic.message}", type(self)

    @classmethod
    def add_options(cls, manager: Any) -> None:
        manager.add_option(
            "--cryptolint-policy", default=DEFAULT_POLICY.name, parse_from_config=True,
            help=f"cryptolint threshold policy: {', '.join(sorted(POLICIES))} (default: %(default)s)",
        )
        manager.add_option(
            "--cryptolint-secret-names", default="", parse_from_config=True, comma_separated_list=True,
            help="cryptolint: extra words that name secrets (comma-separated)",
        )
        manager.add_option(
            "--cryptolint-not-secret-names", default="", parse_from_config=True, comma_separated_list=True,
            help="cryptolint: identifiers or words that never name secrets (comma-separated)",
        )
        manager.add_option(
            "--cryptolint-all-rules-in-tests", action="store_true", default=False, parse_from_config=True,
            help="cryptolint: run every rule in test code too (by default the rules whose findings are fixtures there skip it)",
        )
        manager.add_option(
            "--cryptolint-secrets-in-tests", action="store_true", default=False, parse_from_config=True,
            help="cryptolint: deprecated name of --cryptolint-all-rules-in-tests",
        )
        manager.add_option(
            "--cryptolint-enable", default="", parse_from_config=True, comma_separated_list=True,
            help="cryptolint: rules to turn on that are off by default (codes, comma-separated)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        try:
            cls.settings = settings_from_options(options)
        except ConfigError as exc:
            print(f"flake8: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None


def _words(value: Any) -> List[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [item.strip() for item in value or () if item.strip()]


def _all_rules_in_tests(options: argparse.Namespace) -> bool:
    if getattr(options, "cryptolint_secrets_in_tests", False):
        warnings.warn(
            "cryptolint-secrets-in-tests is deprecated, use cryptolint-all-rules-in-tests", FutureWarning, stacklevel=2
        )
        return True
    return bool(getattr(options, "cryptolint_all_rules_in_tests", False))


def settings_from_options(options: argparse.Namespace) -> Settings:
    """Settings from flake8's parsed options; ConfigError names the bad option."""
    policy_name = getattr(options, "cryptolint_policy", DEFAULT_POLICY.name) or DEFAULT_POLICY.name
    if policy_name not in POLICIES:
        raise ConfigError(
            f"--cryptolint-policy: unknown policy `{policy_name}` (known: {', '.join(sorted(POLICIES))})"
        )
    try:
        enable = validate_codes(_words(getattr(options, "cryptolint_enable", ())))
    except ConfigError as exc:
        raise ConfigError(f"--cryptolint-enable: {exc}") from None
    return Settings(
        extend_select=enable,
        policy=POLICIES[policy_name],
        secret_names=frozenset(w.lower() for w in _words(getattr(options, "cryptolint_secret_names", ()))),
        not_secret_names=frozenset(w.lower() for w in _words(getattr(options, "cryptolint_not_secret_names", ()))),
        all_rules_in_tests=_all_rules_in_tests(options),
    )
