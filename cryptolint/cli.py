"""The `cryptolint` command: argument parsing, then the file walk and the run.

    cryptolint check [PATH ...]       check files and directories (default: .)
    cryptolint --fix [PATH ...]       shorthand for `cryptolint check --fix`
    cryptolint rules                  list the rules
    cryptolint rule CRY101            print a rule's page (also: explain)
    cryptolint server                 a language server over stdio (the lsp extra)

Exit status: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, TextIO

from cryptolint import __version__, adoption, server
from cryptolint.baseline import read_sources
from cryptolint.cache import DEFAULT_CACHE_DIR, Cache
from cryptolint.catalog import RENDERERS
from cryptolint.catalog import explain as page
from cryptolint.config import ConfigError, Configuration, Overrides, resolve, split_codes, start_directory
from cryptolint.discovery import discover, is_excluded
from cryptolint.interrupt import EXIT_INTERRUPTED, interruptible
from cryptolint.policy import POLICIES
from cryptolint.reporters import OutputFormat, Report, reporter_for, use_color
from cryptolint.reporters.text import printable
from cryptolint.results import FileResult, FixMode, RunOptions
from cryptolint.runner import check_bytes, default_jobs, run

COMMANDS = ("check", "rules", "rule", "explain", "server")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EXAMPLES = """\
examples:
  cryptolint check                      check every Python file below .
  cryptolint check src/ --select CRY1   only the randomness rules
  cryptolint --fix src/                 apply safe fixes
  cryptolint check --diff .             show the fixes, write nothing
  cryptolint check --format sarif --output-file cryptolint.sarif .
  cryptolint check --format github .    annotations in a GitHub Actions job
  cat app.py | cryptolint check - --stdin-filename app.py
  cryptolint rules                      list the rules
  cryptolint rule CRY101                explain one rule
"""


def _codes(value: str) -> List[str]:
    if not value.replace(",", "").strip():
        raise argparse.ArgumentTypeError("expected rule codes or prefixes, e.g. `CRY1`, not an empty list")
    try:
        return list(split_codes(value))
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _patterns(value: str) -> List[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of processes, not {value!r}")
    return jobs


def _flatten(groups: Optional[List[List[str]]]) -> Optional[tuple]:
    return None if groups is None else tuple(item for group in groups for item in group)


class _Parser(argparse.ArgumentParser):
    """argparse, with a "did you mean" for an unknown option."""

    def parse_args(self, args: Optional[Sequence[str]] = None, namespace: Optional[argparse.Namespace] = None) -> argparse.Namespace:  # type: ignore[override]
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self.commands.get(getattr(parsed, "command", None) or "", self)
            command.error(_unrecognized(extras, command))
        return parsed

    @property
    def commands(self) -> Dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}


def _unrecognized(extras: List[str], parser: argparse.ArgumentParser) -> str:
    options = [option for action in parser._actions for option in action.option_strings if option.startswith("--")]
    for extra in extras:
        if extra.startswith("-") and extra != "-":
            name = extra.split("=", 1)[0]
            close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (see `{parser.prog} --help`)"
            return f"unknown option `{name}`{hint}"
    return "unrecognized arguments: " + " ".join(extras)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cryptolint",
        description="Find insecure cryptography in Python code, and fix it.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cryptolint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_check(commands)
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    for name in ("rule", "explain"):
        page = commands.add_parser(name, help="print the page of one rule")
        page.add_argument("code", metavar="CODE", help="a rule code, e.g. CRY101")
    commands.add_parser("server", help="run a language server (LSP) over stdio, for editors; needs cryptolint[lsp]")
    return parser


def _add_check(commands: "argparse._SubParsersAction[_Parser]") -> None:
    check = commands.add_parser(
        "check", help="check files and directories", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .); - reads stdin")
    check.add_argument("--stdin-filename", metavar="PATH", help="the name of the file read from stdin")
    rules = check.add_argument_group("rule selection (codes or prefixes, comma-separated)")
    rules.add_argument("--select", type=_codes, action="append", metavar="CODES",
                       help="check only these rules (replaces the configured selection)")
    rules.add_argument("--extend-select", type=_codes, action="append", metavar="CODES",
                       help="check these rules too (also turns on rules that are off by default)")
    rules.add_argument("--ignore", type=_codes, action="append", metavar="CODES", help="do not check these rules")
    rules.add_argument("--policy", choices=sorted(POLICIES), help="threshold policy (default: owasp-2023)")
    rules.add_argument("--strict", action="store_true",
                       help="auditor's mode: also report every `random` call, MD5/SHA-1 hash and uuid4 secret, at a lower level")
    rules.add_argument("--disable-noqa", action="store_true", help="ignore `# noqa` comments")
    files = check.add_argument_group("files")
    files.add_argument("--exclude", type=_patterns, action="append", metavar="PATTERNS",
                       help="patterns to skip, replacing the configured and default ones")
    files.add_argument("--extend-exclude", type=_patterns, action="append", metavar="PATTERNS",
                       help="patterns to skip, in addition")
    files.add_argument("--force-exclude", action="store_true", help="apply excludes to paths given explicitly too")
    files.add_argument("--config", type=Path, metavar="FILE", help="read this configuration file")
    files.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    files.add_argument("--no-cache", action="store_true", help="neither read nor write the cache of findings")
    files.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="where to cache the findings of unchanged files (default: .cryptolint_cache)")
    fixes = check.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply safe fixes")
    fixes.add_argument("--unsafe-fixes", action="store_true", help="also apply (with --fix) or count unsafe fixes")
    fixes.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    fixes.add_argument("--show-fixes", action="store_true", help="list the fixes applied")
    fixes.add_argument("--exit-non-zero-on-fix", action="store_true",
                       help="with --fix: exit 1 when a file was changed, even if nothing remains (pre-commit)")
    output = check.add_argument_group("output")
    output.add_argument("--format", choices=[f.value for f in OutputFormat], default="text",
                        help="text (with source lines), concise (one line each), json, sarif, github"
                             " (Actions annotations), gitlab (code quality), junit (default: text)")
    output.add_argument("-o", "--output-file", type=Path, metavar="FILE", help="write the report to FILE")
    output.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour text output: auto (on a terminal, unless NO_COLOR is set), always, never")
    output.add_argument("--statistics", action="store_true", help="count findings per rule instead of listing them")
    output.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    output.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    output.add_argument("-j", "--jobs", type=_jobs, metavar="N", help="worker processes (default: one per core)")
    adopt = check.add_argument_group("adopting cryptolint on an existing codebase")
    adopt.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not recorded in FILE")
    adopt.add_argument("--write-baseline", type=Path, metavar="FILE",
                       help="record the current findings in FILE, report nothing and exit 0")
    adopt.add_argument("--diff-base", metavar="REF", help="report only findings on lines changed since git REF")
    adopt.add_argument("--honour-nosec", action="store_true", default=None,
                       help="honour bandit's `# nosec` and ruff's `# noqa: S311` comments, mapped to CRY rules")
    adopt.add_argument("--report-unused-noqa", action="store_true",
                       help="report `# noqa: CRYnnn` comments that suppress nothing (CRY003)")


class UsageError(Exception):
    """The command line names no command cryptolint has."""


def _with_command(argv: List[str], parser: Optional[argparse.ArgumentParser] = None) -> List[str]:
    """`cryptolint --fix src` and `cryptolint src` mean `cryptolint check ...`.

    A first word that looks like a command but is none (`cryptolint fix app`,
    `cryptolint chek`) is a usage error, never a path to check: a word that is
    close to a command or names an option of `check` always, any other bare
    word when no such path exists.  `cryptolint check fix` checks a path `fix`.
    """
    if not argv or argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version"):
        return argv
    first = argv[0]
    if first.startswith("-") or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", first):
        return ["check", *argv]
    options = {option[2:]: option for action in _check_parser(parser or build_parser())._actions
               for option in action.option_strings if option.startswith("--")}
    commands = difflib.get_close_matches(first.lower(), COMMANDS, n=1, cutoff=0.6)
    if first in options:
        suggestion = f"`cryptolint {options[first]} ...` (or `cryptolint check {options[first]} ...`)"
    elif commands:
        suggestion = f"`cryptolint {commands[0]}`"
    elif not os.path.lexists(first):
        raise UsageError(f"`{first}` is neither a command ({', '.join(COMMANDS)}) nor an existing path")
    else:
        return ["check", *argv]
    raise UsageError(
        f"unknown command `{first}`; did you mean {suggestion}? (commands: {', '.join(COMMANDS)};"
        f" to check a path named `{first}`, use `cryptolint check {first}`)"
    )


def _check_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    return parser.commands["check"] if isinstance(parser, _Parser) else parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args_list = _with_command(list(sys.argv[1:] if argv is None else argv), parser)
    except UsageError as exc:
        parser.error(str(exc))
    args = parser.parse_args(args_list)
    try:
        if args.command == "check":
            with interruptible(then_ignore=argv is None):  # the process, not a caller's program
                return check(args, parser)
        if args.command == "rules":
            sys.stdout.write(RENDERERS[args.format]())
            return EXIT_CLEAN
        if args.command in ("rule", "explain"):
            return explain(args.code)
        if args.command == "server":
            return server.main()
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    except ConfigError as exc:
        _error(str(exc))
        return EXIT_ERROR
    except BrokenPipeError:  # `cryptolint check | head`
        sys.stderr.close()
        return EXIT_ERROR
    except KeyboardInterrupt:  # workers are stopped and no file is half-written (cryptolint.interrupt)
        _error("interrupted")
        return EXIT_INTERRUPTED


def explain(code: str) -> int:
    text = page(code)
    if text is None:
        _error(f"unknown rule `{code}` (see `cryptolint rules`)")
        return EXIT_ERROR
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_CLEAN


def _error(message: str) -> None:
    # escaped: a file name must not end the line (a new line could start a
    # GitHub workflow command) nor send control sequences to the terminal
    print(f"cryptolint: error: {printable(message)}", file=sys.stderr)


def _warning(message: str) -> None:
    print(f"cryptolint: warning: {printable(message)}", file=sys.stderr)


# ----------------------------------------------------------------- check
def check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    paths: List[str] = args.paths or ["."]
    reading_stdin = "-" in paths
    if reading_stdin and len(paths) > 1:
        parser.error("`-` (stdin) cannot be combined with other paths")
    if args.config and args.isolated:
        parser.error("--config and --isolated cannot be used together")
    if args.statistics and not OutputFormat(args.format).has_statistics:
        parser.error(f"--statistics does not go with --format {args.format} (text, concise or json)")
    overrides = Overrides(
        select=_flatten(args.select),
        extend_select=_flatten(args.extend_select) or (),
        ignore=_flatten(args.ignore) or (),
        exclude=_flatten(args.exclude),
        extend_exclude=_flatten(args.extend_exclude) or (),
        policy=args.policy,
        strict=args.strict,
        force_exclude=args.force_exclude,
        honour_nosec=args.honour_nosec,
        report_unused_noqa=args.report_unused_noqa,
    )
    config = resolve(overrides, start_directory(paths, args.stdin_filename), args.config, args.isolated)
    for message in config.warnings:
        _warning(message)
    fix_mode = FixMode.DIFF if args.diff else FixMode.FIX if args.fix else FixMode.REPORT
    options = RunOptions(config.settings, fix_mode, args.unsafe_fixes, noqa=not args.disable_noqa)
    if not args.no_cache and not reading_stdin:
        cache = Cache.open(args.cache_dir or Path(DEFAULT_CACHE_DIR), config.settings, options.noqa)
        options = replace(options, cache=cache)
    errors: List[str] = []
    sources: Dict[str, bytes] = {}
    if args.write_baseline and (args.baseline or fix_mode is not FixMode.REPORT):
        parser.error("--write-baseline cannot be combined with --baseline, --fix or --diff")
    if reading_stdin:
        results = _check_stdin(args, config, options)
    else:
        found = discover(paths, config)
        errors.extend(found.errors)
        for message in found.warnings:
            _warning(message)
        if not found.files and not found.errors:
            _warning("no Python files found under " + ", ".join(paths))
        if args.baseline and fix_mode is FixMode.FIX:  # fingerprints need the lines before fixing
            sources = read_sources((file.display, file.path) for file in found.files)
        try:
            results = run(found.files, options, args.jobs or default_jobs())
        except RuntimeError as exc:
            _error(f"internal error: {exc}")
            return EXIT_ERROR
    if args.diff_base or args.baseline or args.write_baseline:
        try:
            results, written = adoption.adopt(args, paths, results, errors, sources)
        except adoption.AdoptionError as exc:
            _error(str(exc))
            return EXIT_ERROR
        if written is not None:
            return written
    return _finish(args, results, errors, fix_mode)


def _check_stdin(args: argparse.Namespace, config: Configuration, options: RunOptions) -> List[FileResult]:
    data = sys.stdin.buffer.read()
    display = args.stdin_filename or "-"
    if args.stdin_filename and config.force_exclude and is_excluded(args.stdin_filename, config):
        if options.fix_mode is FixMode.FIX:
            _write_bytes(sys.stdout, data)
        return []
    result = check_bytes(data, display, options, path=None)
    if options.fix_mode is FixMode.FIX:
        _write_bytes(sys.stdout, result.fixed_source if result.fixed_source is not None else data)
    return [result]


def _write_bytes(stream: TextIO, data: bytes) -> None:
    stream.flush()
    stream.buffer.write(data)
    stream.buffer.flush()


def _finish(args: argparse.Namespace, results: List[FileResult], errors: List[str], fix_mode: FixMode) -> int:
    for result in results:
        errors.extend(result.errors)
        for message in result.warnings:
            _warning(message)
    report = Report(
        results, fix_mode, args.unsafe_fixes, args.show_fixes, args.statistics, args.quiet, tuple(errors),
    )
    if fix_mode is FixMode.DIFF:
        for result in sorted(results, key=lambda r: r.display):
            sys.stdout.write(result.diff)
        sys.stdout.flush()
    output_format = OutputFormat.TEXT if fix_mode is FixMode.DIFF else OutputFormat(args.format)
    if not _write_report(args, report, output_format):
        return EXIT_ERROR
    for message in errors:
        _error(message)
    if errors or any(result.internal_error for result in results):
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if args.exit_non_zero_on_fix and fix_mode is FixMode.FIX and any(result.fixed for result in results):
        return EXIT_FINDINGS
    if fix_mode is FixMode.DIFF:
        return EXIT_FINDINGS if any(result.diff for result in results) else EXIT_CLEAN
    return EXIT_FINDINGS if any(result.diagnostics for result in results) else EXIT_CLEAN


def _write_report(args: argparse.Namespace, report: Report, output_format: OutputFormat) -> bool:
    """Write the report to `--output-file`, or to stdout (stderr when stdout carries
    the fixed source of `--fix -` or the diff); False when the file cannot be written."""
    if args.output_file is not None:
        try:
            args.output_file.parent.mkdir(parents=True, exist_ok=True)
            with args.output_file.open("w", encoding="utf-8", newline="") as handle:
                reporter_for(output_format, use_color(args.color, handle)).write(report, handle)
        except OSError as exc:
            _error(f"{args.output_file}: cannot write the report: {exc.strerror or exc}")
            return False
        return True
    reading_stdin = "-" in (args.paths or [])
    to_stderr = report.fix_mode is FixMode.DIFF or (report.fix_mode is FixMode.FIX and reading_stdin)
    out = sys.stderr if to_stderr else sys.stdout
    reporter_for(output_format, use_color(args.color, out)).write(report, out)
    out.flush()
    return True
