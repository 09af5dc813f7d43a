"""cryptolint's fixes as a LibCST codemod, for teams that already run codemods:

    python -m libcst.tool codemod -x cryptolint.codemod.FixCryptography --no-format src/

A third door on the same engine, next to `cryptolint check --fix` and the
flake8 plugin: each file goes through the pipeline of `cryptolint check
--fix` (configuration, selection, `# noqa`, per-file-ignores, the fixer's
passes and checks), so the codemod writes exactly the bytes `--fix` would.
No rule or fix is written twice.  LibCST's runner does the rest: walking
paths, worker processes, `--unified-diff`, writing files.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable, Optional, Sequence, TypeVar

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from cryptolint.config import (
    ConfigError, Configuration, Overrides, resolve, split_codes, start_directory, validate_policy,
)
from cryptolint.discovery import display_path, is_excluded
from cryptolint.runner import FixMode, RunOptions, check_bytes

__all__ = ["FixCryptography"]


T = TypeVar("T")


def _argument(check: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type from a configuration check: a bad value is a usage error."""

    def parse(value: str) -> T:
        try:
            return check(value)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


class FixCryptography(CodemodCommand):
    """Apply cryptolint's fixes to each module LibCST hands over."""

    DESCRIPTION = (
        "Fix insecure cryptography with cryptolint's fixes: the safe ones, the unsafe ones too with "
        "--unsafe-fixes. Reads [tool.cryptolint] from the nearest pyproject.toml, as `cryptolint check` does."
    )

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        codes, policy = _argument(split_codes), _argument(validate_policy)
        group = arg_parser.add_argument_group("cryptolint")
        group.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
        group.add_argument("--select", type=codes, metavar="CODES", help="fix only these rules (codes or prefixes)")
        group.add_argument("--extend-select", type=codes, default=(), metavar="CODES", help="fix these rules too")
        group.add_argument("--ignore", type=codes, default=(), metavar="CODES", help="do not fix these rules")
        group.add_argument("--policy", type=policy, metavar="NAME", help="owasp-2023 (default), owasp-2021 or strict")
        group.add_argument("--config", dest="config_file", metavar="FILE", help="read this configuration file")
        group.add_argument("--isolated", action="store_true", help="read no configuration file")
        group.add_argument("--disable-noqa", action="store_true", help="fix `# noqa` lines too")

    def __init__(
        self,
        context: CodemodContext,
        unsafe_fixes: bool = False,
        select: Optional[Sequence[str]] = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        policy: Optional[str] = None,
        config_file: Optional[str] = None,
        isolated: bool = False,
        disable_noqa: bool = False,
    ) -> None:
        super().__init__(context)
        self.unsafe_fixes = unsafe_fixes
        self.overrides = Overrides(
            select=tuple(select) if select is not None else None,
            extend_select=tuple(extend_select),
            ignore=tuple(ignore),
            policy=policy,
        )
        self.config_file = Path(config_file) if config_file else None
        self.isolated = isolated
        self.noqa = not disable_noqa

    def configuration(self, filename: Optional[str]) -> Configuration:
        """The configuration `cryptolint check FILENAME` would use (ConfigError when it is bad)."""
        start = start_directory([filename] if filename else [])
        return resolve(self.overrides, start, self.config_file, self.isolated)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        config = self.configuration(filename)
        if filename and is_excluded(filename, config):
            raise SkipFile("excluded by the cryptolint configuration")
        display = display_path(filename) if filename else "-"
        options = RunOptions(config.settings, FixMode.FIX, self.unsafe_fixes, noqa=self.noqa)
        result = check_bytes(tree.bytes, display, options, path=None)  # path=None: LibCST writes the file
        if result.errors:  # LibCST names the file: the reason alone
            raise SkipFile("; ".join(error.split(f"{display}: ", 1)[-1] for error in result.errors))
        if result.internal_error:
            raise SkipFile(next(d.message for d in result.diagnostics if d.code == "CRY002"))
        if result.fixed_source is None:
            return tree
        return cst.parse_module(result.fixed_source)
