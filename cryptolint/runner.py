"""Check files: read, lint, filter suppressions, optionally fix; in parallel.

Every file is independent, so files are spread over worker processes
(`--jobs`); results come back in the order the files were given, so output
does not depend on scheduling.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import stat
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from cryptolint.diagnostic import Diagnostic, Span
from cryptolint.discovery import SourceFile
from cryptolint.analysis.summaries import Entry, ModuleSummary
from cryptolint.engine import LINTING_GC_THRESHOLD, analyse_source, few_collections
from cryptolint.interrupt import become_worker, ignoring_interrupts
from cryptolint.project import ProjectIndex, foreign_digest, used_by
from cryptolint.results import FileResult, FixMode, RunOptions, is_fixable, selected
from cryptolint.settings import Settings
from cryptolint.source import SourceError, SourceText
from cryptolint.suppression import SuppressionFilter, source_lines

if TYPE_CHECKING:  # pragma: no cover
    from cryptolint.cache import Cache

__all__ = ["FileResult", "FixMode", "RunOptions", "check_bytes", "check_file", "default_jobs", "is_fixable", "lint", "run"]


def lint(data: Union[str, bytes], display: str, settings: Settings, foreign: Optional[Mapping[str, Entry]] = None) -> List[Diagnostic]:
    """The engine's findings, CRY0xx ones only when the selection keeps them."""
    return _lint(data, display, settings, foreign)[0]


def _lint(
    data: Union[str, bytes], display: str, settings: Settings, foreign: Optional[Mapping[str, Entry]] = None
) -> Tuple[List[Diagnostic], Optional[ModuleSummary]]:
    found, summary = analyse_source(data, display, settings, foreign=foreign, summarise=True)
    codes = selected(settings, found)
    return [d for d in found if d.code in codes], summary


def check_file(file: SourceFile, options: RunOptions, foreign: Optional[Mapping[str, Entry]] = None) -> FileResult:
    """Read `file` and check it; I/O problems become an error, never an exception."""
    try:
        data = read_file(file.path)
    except OSError as exc:
        return FileResult(file.display, errors=(f"{file.display}: cannot read: {exc.strerror or exc}",))
    return check_bytes(data, file.display, options, path=file.path, foreign=foreign)


def read_file(path: str) -> bytes:
    """The bytes of the regular file at `path`.  Anything else raises OSError
    at once: a FIFO (or a device) is refused, not waited on forever."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb", closefd=True) as handle:
        kind = stat.S_IFMT(os.fstat(fd).st_mode)
        if kind == stat.S_IFDIR:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        if kind != stat.S_IFREG:
            raise OSError(errno.EINVAL, "not a regular file", path)
        return handle.read()


def check_bytes(
    data: bytes,
    display: str,
    options: RunOptions,
    path: Optional[str] = None,
    foreign: Optional[Mapping[str, Entry]] = None,
) -> FileResult:
    """Check one file's contents; `path` is where fixes are written (None: nowhere).

    `foreign`: the summaries of the project modules it imports (the project
    pass).  With a cache (and a path), an unchanged file's findings are read
    from it, and fresh findings are stored in it, keyed also on `foreign`."""
    try:
        settings = options.settings
        cache = options.cache if path is not None else None
        extra = foreign_digest(foreign) if foreign else b""
        key = cache.key(data, path, display, extra) if cache is not None and path is not None else ""
        entry = cache.get_entry(key) if cache is not None else None
        kept, summary = entry if entry is not None else (None, None)
        # Decoded once: the engine lints this text, `# noqa` comments and
        # reporters read its lines, the fixer rewrites it.
        try:
            source: Optional[SourceText] = SourceText.decode(data)
        except SourceError:
            source = None  # the engine reports it (CRY001)
        lines: Tuple[str, ...] = tuple(source.lines) if source is not None else ()
        keep: Optional[SuppressionFilter] = None
        found: Optional[List[Diagnostic]] = None
        if kept is None:
            found, summary = _lint(source.text if source is not None else data, display, settings, foreign)
            # `# noqa` needs a tokenize pass: only for files with something to silence.
            if found or settings.report_unused_noqa:
                keep = SuppressionFilter(list(lines), display, settings, noqa=options.noqa)
                kept = tuple(keep.filter(found))
            else:
                kept = ()
            if cache is not None and not any(d.code == "CRY002" for d in kept):
                cache.put(key, kept, summary)
        if options.fix_mode is FixMode.REPORT or not any(is_fixable(d, options.unsafe_fixes) for d in kept):
            return FileResult(display, kept, lines=lines if kept else (), summary=summary)
        try:
            from cryptolint.fixer.driver import fix_file
        except ImportError as exc:
            message = f"{display}: not fixed: the fixer is unavailable ({exc})"
            return FileResult(display, kept, lines=lines if kept else (), errors=(message,))

        if keep is None:
            keep = SuppressionFilter(list(lines), display, settings, noqa=options.noqa)
        # The findings go to the fixer with the text: the file is not linted again before its first fix.
        return fix_file(data, display, path, options, keep, kept, source=source, lines=lines, linted=found)
    except Exception as exc:  # a bug must not stop the run; report it as CRY002
        message = f"internal error while checking this file: {exc.__class__.__name__}: {exc}; please report it"
        crash = Diagnostic("CRY002", "internal-error", message, Span(1, 0, 1, 0))
        return FileResult(display, (crash,))


# ------------------------------------------------------------ many files
_WORKER_OPTIONS: Optional[RunOptions] = None
#: Below this many files, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 4


def _init_worker(options: RunOptions) -> None:
    global _WORKER_OPTIONS
    become_worker()
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the parent while it forked us
    _WORKER_OPTIONS = options
    # A worker only lints: it keeps the lean collector settings for its life.
    gc.freeze()
    gc.set_threshold(*LINTING_GC_THRESHOLD)


def _check_in_worker(file: SourceFile) -> FileResult:
    assert _WORKER_OPTIONS is not None
    return check_file(file, _WORKER_OPTIONS)


def _recheck_in_worker(item: Tuple[SourceFile, Mapping[str, Entry]]) -> FileResult:
    assert _WORKER_OPTIONS is not None
    return check_file(item[0], _WORKER_OPTIONS, item[1])


def _in_process(item: Any, options: RunOptions) -> FileResult:
    if isinstance(item, tuple):
        return check_file(item[0], options, item[1])
    return check_file(item, options)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(files: Sequence[SourceFile], options: RunOptions, jobs: int = 1) -> List[FileResult]:
    """Check `files`, with up to `jobs` worker processes; results in input order.

    Files whose findings are cached are answered here; only the others go to
    workers (a fully cached run starts none).  When reporting on several
    files, the project pass follows (`_project_pass`)."""
    if options.fix_mode is not FixMode.REPORT:
        return _run(files, options, jobs)
    if options.cache is None:
        return _project_pass(files, _run(files, options, jobs), options, jobs)
    results: List[Optional[FileResult]] = []
    misses: List[SourceFile] = []
    for file in files:
        result = _cached(file, options, options.cache)
        results.append(result)
        if result is None:
            misses.append(file)
    fresh = iter(_run(misses, options, jobs))
    first = [result if result is not None else next(fresh) for result in results]
    return _project_pass(files, first, options, jobs)


def _project_pass(files: Sequence[SourceFile], first: List[FileResult], options: RunOptions, jobs: int) -> List[FileResult]:
    """Check again, with the summaries of the project modules it imports,
    each file that imports one with something to tell (a function returning
    `random` output or a MAC, a parameter that becomes a key, a literal
    `DATA_KEY`) and names that entry in its source; every other file's
    first findings stand.  With a cache, a
    file's second findings are keyed on those summaries too, so a warm run
    re-checks a file only when it or what it uses from others changed."""
    if len(files) < 2:
        return first
    index = ProjectIndex({f.path: r.summary for f, r in zip(files, first) if r.summary is not None and not r.summary.empty})
    again: Dict[int, Tuple[SourceFile, Dict[str, Entry]]] = {}
    for number, (file, result) in enumerate(zip(files, first)):
        foreign = index.foreign_for(file.path, result.summary)
        if foreign:
            foreign = _named_in(file, foreign)
        if foreign:
            again[number] = (file, foreign)
    if not again:
        return first
    items = list(again.values())
    if options.cache is not None:
        answered = [_cached(file, options, options.cache, foreign) for file, foreign in items]
    else:
        answered = [None] * len(items)
    todo = [item for item, done in zip(items, answered) if done is None]
    fresh = iter(_run(todo, options, jobs, _recheck_in_worker))
    second = [done if done is not None else next(fresh) for done in answered]
    out = list(first)
    for number, result in zip(again, second):
        out[number] = replace(result, summary=first[number].summary)
    return out


def _named_in(file: SourceFile, foreign: Dict[str, Entry]) -> Dict[str, Entry]:
    """The entries of `foreign` that `file` names (`project.used_by`); all
    of them when it cannot be read or decoded now (the check reports that)."""
    try:
        return used_by(foreign, SourceText.decode(read_file(file.path)).text)
    except (OSError, SourceError):
        return foreign


def _cached(
    file: SourceFile, options: RunOptions, cache: "Cache", foreign: Optional[Mapping[str, Entry]] = None
) -> Optional[FileResult]:
    try:
        data = read_file(file.path)
    except OSError:
        return None  # the worker reports it
    entry = cache.get_entry(cache.key(data, file.path, file.display, foreign_digest(foreign) if foreign else b""))
    if entry is None:
        return None
    kept, summary = entry
    return FileResult(file.display, kept, lines=tuple(source_lines(data)) if kept else (), summary=summary)


def _run(
    files: Sequence[Any], options: RunOptions, jobs: int, work: Callable[[Any], FileResult] = _check_in_worker
) -> List[FileResult]:
    """`work` on every item (files, or (file, foreign) pairs), in workers when it pays."""
    workers = min(jobs, len(files))
    if workers <= 1 or len(files) < MIN_FILES_FOR_WORKERS:
        with few_collections():
            return [_in_process(item, options) for item in files]
    # Small chunks: one file can take a hundred times another, and with a few
    # large chunks one worker finishes early and idles while the last runs.
    chunksize = max(1, min(32, len(files) // (workers * 16)))
    try:
        pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(options,))
    except (OSError, NotImplementedError, ImportError) as exc:
        return _run_here(files, options, exc)
    try:
        with _ctrl_c_blocked():  # until every worker has started ignoring Ctrl-C
            pool.submit(int).result()
        results = list(pool.map(work, files, chunksize=chunksize))
    except (OSError, NotImplementedError, ImportError) as exc:
        _stop(pool)
        return _run_here(files, options, exc)
    except BrokenProcessPool as exc:
        _stop(pool)
        raise RuntimeError(f"a worker process died: {exc}") from exc
    except BaseException:  # Ctrl-C: end the workers now, leave no work half done
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return results


def _run_here(files: Sequence[Any], options: RunOptions, exc: BaseException) -> List[FileResult]:
    """No process support here (some sandboxes): check in this process."""
    with few_collections():
        results = [_in_process(item, options) for item in files]
    note = f"checked without worker processes ({exc.__class__.__name__}: {exc})"
    return [replace(results[0], warnings=results[0].warnings + (note,))] + results[1:]


@contextlib.contextmanager
def _ctrl_c_blocked() -> Iterator[None]:
    """SIGINT held back in this thread, and in the processes forked meanwhile
    (a worker unblocks it once it ignores it: a Ctrl-C during the fork would
    otherwise kill a worker and turn the stop into a broken pool)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


#: How long stopping waits for the workers to leave before killing them.
STOP_GRACE_SECONDS = 5.0


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the workers: SIGTERM (a worker leaves at once, or when it has
    finished the file or cache entry it is writing), then SIGKILL for any
    still there after the grace time.  Bounded; Ctrl-C is ignored meanwhile."""
    with ignoring_interrupts():
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.terminate()
        with contextlib.suppress(Exception):
            pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            with contextlib.suppress(Exception):
                if process.is_alive():
                    process.kill()
                    process.join(1.0)
