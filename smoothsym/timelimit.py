"""A time limit for one check: SymPy is pure Python, so a signal can stop it anywhere.

``time_limit`` raises ``StepTimeout`` (a BaseException, so SymPy's ``except Exception`` does not
swallow it) when the seconds pass. The seconds are CPU seconds of this process (ITIMER_PROF):
a step's verdict must not turn from "checked" into "timeout" because other processes load the
machine, or reports would differ between runs. Limits nest: an inner limit never extends an
outer one, and the outer one is restored afterwards. It needs a POSIX main thread; elsewhere the
check runs without a limit, and ``time_limit_available`` says so.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from .errors import StepTimeout


def time_limit_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None):
    """Run the block for at most ``seconds`` of CPU time; raise ``StepTimeout`` after that."""
    if not seconds or not time_limit_available():
        yield
        return

    def expire(signum, frame):
        # re-armed before raising: an exception raised inside a weakref callback or __del__ is
        # swallowed by Python, and the block would then run on without a limit
        signal.setitimer(signal.ITIMER_PROF, 0.05)
        raise StepTimeout(f"no result within {seconds:g} s")

    started = time.process_time()
    previous_handler = signal.signal(signal.SIGPROF, expire)
    outer_remaining, _ = signal.setitimer(signal.ITIMER_PROF, seconds)
    if outer_remaining and outer_remaining < seconds:  # the outer limit comes first: keep it
        signal.signal(signal.SIGPROF, previous_handler)
        signal.setitimer(signal.ITIMER_PROF, outer_remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous_handler)
        if outer_remaining:
            used = time.process_time() - started
            signal.setitimer(signal.ITIMER_PROF, max(outer_remaining - used, 0.001))
