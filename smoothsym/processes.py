"""Child processes that run the user's code: derivation files are Python, and a file may hang,
exit, start threads or eat memory. What runs a user's code runs in a forked child that the
parent can stop from outside, so that one bad file never takes the run down with it.

- ``start_child`` forks a child (``multiprocessing``'s fork context: the child inherits the
  loaded catalog, nothing is pickled but the answers) that dies with its parent (Linux's
  ``PR_SET_PDEATHSIG``: even a ``kill -9`` of the parent leaves no worker behind), ignores
  Ctrl-C (the parent decides what an interrupt stops) and has its memory capped.
- ``stop_on_sigterm`` turns SIGTERM in the parent into an exception, so that the ``finally``
  blocks that kill the children run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import signal
import sys
import threading
import time
from multiprocessing.connection import wait
from contextlib import contextmanager

# A child's address-space cap: far above what a step needs (a worker uses ~0.5 GB), low enough
# that an expression blowing up stops with MemoryError long before the machine swaps.
MEMORY_LIMIT_BYTES = 6 * 2**30

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the parent's finally still kills
        pass


def _limit_memory() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT_BYTES, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX, or not allowed
        pass


def _child_main(target, args) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_memory()
    target(*args)


def start_child(target, *args):
    """Fork a child running ``target(*args, connection)``; returns (process, parent's end of a
    duplex pipe)."""
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(target=_child_main, args=(target, (*args, child_end)), daemon=True)
    process.start()
    child_end.close()
    return process, parent_end


def stop(process, connection=None) -> None:
    """Kill a child (it may be running anything) and reap it."""
    if process.is_alive():
        process.kill()
    process.join()
    if connection is not None:
        connection.close()


# A signal sent to this process (Ctrl-C, kill) may be delivered to any of its threads (a Jupyter
# kernel has several, as has a program that uses torch or JAX). Python runs the handler in the main thread, but only once that
# thread runs Python code again: a main thread asleep in select() is not woken, and would sleep on
# to the end of its timeout (a step's whole wall-clock bound). So waits on children are sliced.
SIGNAL_LATENCY = 0.2  # seconds


def wait_for(connections: list, deadline: float) -> list:
    """The connections ready to read (or closed) by ``deadline`` (a time.monotonic() time); [] if
    none is by then. Waits in slices of SIGNAL_LATENCY, so a signal is acted on within one."""
    while True:
        left = deadline - time.monotonic()
        ready = wait(connections, timeout=max(0.0, min(left, SIGNAL_LATENCY)))
        if ready or left <= SIGNAL_LATENCY:
            return ready


class Terminated(BaseException):
    """SIGTERM reached the parent while children were running (a BaseException, like
    KeyboardInterrupt: nothing should swallow it)."""


@contextmanager
def stop_on_sigterm():
    """Within the block, SIGTERM raises ``Terminated`` (so the children are killed on the way
    out) instead of ending the process on the spot."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def terminate(signum, frame):
        raise Terminated("terminated (SIGTERM)")

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_code_text(process) -> str:
    code = process.exitcode
    if code is None:
        return "it is still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@contextmanager
def any_integer_size():
    """Let Python print integers of any size inside the block (by default it refuses one of more
    than 4300 digits, and SymPy prints ``factorial(3000)`` that way); the limit is restored after.

    >>> with any_integer_size():
    ...     len(str(10 ** 5000))
    5001
    """
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:  # Python before 3.11: no limit
        yield
        return
    before = get()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(before)
