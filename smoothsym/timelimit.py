"""A time limit for one check: SymPy is pure Python, so a signal can stop it anywhere.

``time_limit`` raises ``StepTimeout`` (a BaseException, so SymPy's ``except Exception`` does not
swallow it) when the seconds pass. It uses SIGALRM, which exists only in the main thread of a
POSIX process; elsewhere the check runs without a limit, and ``time_limit_available`` says so.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from .errors import StepTimeout


def time_limit_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None):
    """Run the block for at most ``seconds``; raise ``StepTimeout`` after that."""
    if not seconds or not time_limit_available():
        yield
        return

    def expire(signum, frame):
        raise StepTimeout(f"no result within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
