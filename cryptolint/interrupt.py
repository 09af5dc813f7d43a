"""Stopping a run on Ctrl-C without leaving half-done work behind.

* The main process turns SIGINT into KeyboardInterrupt, as Python does,
  except inside an `atomic()` section (writing a fixed file or a cache
  entry): there the interrupt waits until the section ends, so a temporary
  file is always either renamed into place or removed.
* Worker processes ignore SIGINT (a Ctrl-C reaches the whole process group;
  stopping is the main process's decision) and leave on the SIGTERM the main
  process sends them, at once, or at the end of the atomic section they are
  in.  They hold nothing else that needs cleaning up.
* After the first Ctrl-C the main process ignores further ones: stopping the
  workers is bounded (a few seconds at most), and the run exits 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Any, Callable, Iterator, Optional

#: The exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130

_depth = 0
_pending: Optional[Callable[[], None]] = None


@contextlib.contextmanager
def atomic() -> Iterator[None]:
    """A section a stop request waits for (in this process)."""
    global _depth, _pending
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending is not None:
            action, _pending = _pending, None
            action()


def _deferring(action: Callable[[], None]) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        global _pending
        if _depth:
            _pending = action
        else:
            action()

    return handler


def _raise_interrupt() -> None:
    # The run is leaving: from now on Ctrl-C is ignored, so a second one
    # cannot cut the stop short (orphaned workers) or end it with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _leave_worker() -> None:
    os._exit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def interruptible(then_ignore: bool = False) -> Iterator[None]:
    """Around a run in the main process: Ctrl-C raises KeyboardInterrupt,
    outside atomic sections, once; after it SIGINT stays ignored (the process
    is on its way out).  A no-op off the main thread, and where SIGINT was
    ignored by whoever started the process (a background job).  With
    `then_ignore` (the command line, whose work is done when the block ends),
    a Ctrl-C after the block is ignored rather than turned into a traceback
    while the report is flushed and the interpreter exits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, _deferring(_raise_interrupt))
    try:
        yield
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # also when raised by other means
        raise
    signal.signal(signal.SIGINT, signal.SIG_IGN if then_ignore else previous)


@contextlib.contextmanager
def ignoring_interrupts() -> Iterator[None]:
    """While the main process stops its workers: another Ctrl-C changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def become_worker() -> None:
    """In a worker process, before any work: see the module's docstring."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _deferring(_leave_worker))
