"""Running a derivation: each step verified against the expression before it.

``verify`` walks the chain once and returns a ``DerivationResult``; nothing after it (reports,
exports, the command line) verifies again.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from . import processes
from .errors import DerivationError
from .model import Derivation, Step, StepContext, any_integer_size
from .settings import CheckSettings
from .verdict import Status, Verdict, weakest


# The method of a verdict given to a step whose worker was killed at the wall-clock limit. It
# is an error, not a timeout: a CPU-time timeout still carries the numeric check's evidence,
# a killed step carries none, so it must not pass. It depends on the machine's load: never cached.
WALL_CLOCK_METHOD = "stopped at the wall-clock limit"


@dataclass(frozen=True, slots=True)
class StepResult:
    """One step, what it started from, and its verdict."""

    number: int
    step: Step
    before: object
    verdict: Verdict
    cached: bool = False  # the verdict was read from the verification cache, not computed in this run

    @property
    def expected_refutation(self) -> bool:
        return bool(self.step.expect_refuted)

    @property
    def outcome(self) -> str:
        """The verdict as a user reads it, telling expected refutations from failures."""
        status = self.verdict.status
        if self.expected_refutation:
            return "refuted as stated (expected)" if status is Status.REFUTED else f"{status.value} (expected refuted!)"
        return status.value

    def passes(self, strict: bool = False) -> bool:
        status = self.verdict.status
        if self.expected_refutation:
            return status is Status.REFUTED
        if strict:
            return status in (Status.PROVED, Status.GIVEN)
        return status.is_pass

    # Jupyter's display hooks; the drawing lives in notebook.py, imported when a notebook asks
    def _repr_html_(self) -> str:
        from .notebook import step_html

        return step_html(self)

    def _repr_latex_(self) -> str:
        from .notebook import step_latex

        return step_latex(self)


@dataclass(frozen=True, slots=True)
class DerivationResult:
    """A derivation's step results, or the error that kept it from running."""

    name: str
    file: str
    derivation: Derivation | None
    steps: tuple[StepResult, ...] = ()
    error: DerivationError | None = None

    @property
    def status(self) -> Status:
        """The weakest step's status; expected refutations count as passes, missed ones as errors."""
        if self.error is not None:
            return Status.ERROR
        statuses = []
        for r in self.steps:
            if r.expected_refutation:
                statuses.append(Status.PROVED if r.verdict.status is Status.REFUTED else Status.ERROR)
            else:
                statuses.append(r.verdict.status)
        return weakest(statuses)

    def passes(self, strict: bool = False) -> bool:
        return self.error is None and all(r.passes(strict) for r in self.steps)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.steps:
            key = "refuted as stated" if r.expected_refutation and r.verdict.status is Status.REFUTED else r.verdict.status.value
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _repr_html_(self) -> str:
        from .notebook import result_html

        return result_html(self)

    def _repr_latex_(self) -> str:
        from .notebook import result_latex

        return result_latex(self)


def step_context(derivation: Derivation, number: int, step: Step, settings: CheckSettings) -> StepContext:
    seed = settings.seed * 1000 + number
    return StepContext(
        settings=settings,
        symbols=derivation.symbols,
        constraints=derivation.constraints_for(step),
        seed=seed,
    )


def verify(derivation: Derivation, settings: CheckSettings, steps: set[int] | None = None) -> DerivationResult:
    """Verify every step (or the numbered ``steps``) of a derivation."""
    results = []
    for number, step, before in derivation.chain():
        if steps and number not in steps:
            continue
        verdict = step.verify(before, step_context(derivation, number, step, settings))
        results.append(StepResult(number, step, before, verdict))
    return DerivationResult(derivation.name, derivation.location.file, derivation, tuple(results))


def failed_load(error: DerivationError) -> DerivationResult:
    """A result standing for a file that could not be loaded."""
    return DerivationResult(error.derivation or (error.file or "?"), error.file or "?", None, (), error)


# -- many derivations, step by step, in worker processes ----------------------------------
#
# Every step is one task; ``jobs`` worker processes (forked after loading, so they hold the
# catalog) take the tasks (see ``_Pending`` for which), and the results are put back together per
# derivation. The parent runs no user code while verifying: it only hands out tasks and
# watches the clock. A worker that overruns a step's wall-clock bound is killed and replaced,
# and that step alone becomes an error; a worker that dies (``os._exit``, a crash, memory)
# makes that step alone an error. ``concurrent.futures`` cannot do either: killing one of its
# workers breaks the whole pool and loses every task in flight, and it cannot say which task
# a dead worker was running. So the pool is this small loop over pipes.

def _serve(derivations: tuple[Derivation, ...], settings: CheckSettings, connection) -> None:
    """A worker: verify the steps it is sent, one at a time, until told to stop. A step that
    leaves a thread running ends the worker after its answer, so that the thread's CPU time
    cannot make later steps (of other derivations) time out."""
    with any_integer_size():  # a claim may hold 3000!: its evidence prints it
        _serve_steps(derivations, settings, connection)


def _serve_steps(derivations: tuple[Derivation, ...], settings: CheckSettings, connection) -> None:
    while True:
        task = connection.recv()
        if task is None:
            return
        index, number = task
        derivation = derivations[index]
        try:
            _, step, before = list(derivation.chain())[number - 1]
            answer = ("ok", step.verify(before, step_context(derivation, number, step, settings)))
        except BaseException as exc:  # SystemExit, KeyboardInterrupt from user code: this step's error
            answer = ("error", f"{type(exc).__name__}: {exc}")
        leaving = threading.active_count() > 1
        connection.send((*answer, leaving))
        if leaving:
            os._exit(0)  # a non-daemon thread would keep a normal exit waiting


class _Worker:
    """One worker process and the step it is on."""

    def __init__(self, derivations: tuple[Derivation, ...], settings: CheckSettings) -> None:
        self.process, self.connection = processes.start_child(_serve, derivations, settings)
        self.task: tuple[int, int] | None = None
        self.derivation: int | None = None  # the derivation it last worked on
        self.deadline = 0.0

    def give(self, task: tuple[int, int], seconds: float) -> None:
        self.task = task
        self.derivation = task[0]
        self.deadline = time.monotonic() + seconds
        self.connection.send(task)

    def answer(self) -> tuple[Verdict, bool]:
        """The verdict it sent, and whether it can go on serving."""
        try:
            kind, payload, leaving = self.connection.recv()
        except (EOFError, OSError):
            self.process.join()
            return _died(self), False
        if kind != "ok":
            return Verdict(Status.ERROR, "", detail=f"the step raised {payload}"), not leaving
        return payload, not leaving

    def stop(self) -> None:
        processes.stop(self.process, self.connection)


def _killed(seconds: float) -> Verdict:
    return Verdict(
        Status.ERROR,
        WALL_CLOCK_METHOD,
        detail=f"no verdict within {seconds:g} s of wall-clock time, so its process was stopped "
        "(a loop, a sleep or a wait in the step's own code, or a check that never ends)",
        seconds=seconds,
    )


def _died(worker: _Worker) -> Verdict:
    return Verdict(
        Status.ERROR,
        "",
        detail=f"the process checking it ended without a verdict ({processes.exit_code_text(worker.process)}): "
        "the step's own code exited, crashed the interpreter or ran out of memory",
    )


# The expected seconds of one step, by kind, from the catalog's cold runs (benchmarks/README.md):
# a claim over a symbolic n (Sum to n, x[i]) is checked at several concrete n and proved by
# summation algebra, the costliest work; a bound is searched for its worst points; a limit is
# followed along k. Only the order in which steps are handed out depends on it, never a verdict.
_KIND_SECONDS = {"given": 0.0, "generalise": 0.65, "bound": 0.6, "approximate": 0.3, "asymptotic": 0.3, "limit": 0.25}
_OTHER_SECONDS = 0.08
_OVER_N_SECONDS = {"differentiate": 4.0}
_OVER_N_OTHER_SECONDS = 1.5


def expected_seconds(step: Step, before) -> float:
    """A rough cost of verifying ``step`` from ``before``, to hand out the longest work first."""
    if step.kind == "given":
        return 0.0
    from .checks import over_symbolic_n  # the checks import SymPy's solvers: not at import time

    try:
        over_n = over_symbolic_n(before, step.output(before))
    except Exception:  # noqa: BLE001 - a step whose output fails is verified (and reported) anyway
        over_n = False
    if over_n and step.kind != "generalise":
        return _OVER_N_SECONDS.get(step.kind, _OVER_N_OTHER_SECONDS)
    return _KIND_SECONDS.get(step.kind, _OTHER_SECONDS)


class _Pending:
    """The steps still to hand out, per derivation, in order. A worker keeps to one derivation
    while it has steps left (the steps of one derivation share SymPy's caches and the engine's
    memoised limits), and otherwise takes the derivation no other worker is on with the most
    expected work left (``expected_seconds``: the longest first, so that the wall time is not a
    long derivation started last), or, at the end, helps with the one with most work left.

    ``costs`` maps a task to its expected seconds (none: every step counts the same)."""

    def __init__(self, tasks: list[tuple[int, int]], costs: dict | None = None) -> None:
        self.steps: dict[int, list[int]] = {}
        self.costs = costs or {}
        for index, number in tasks:
            self.steps.setdefault(index, []).append(number)

    def __bool__(self) -> bool:
        return bool(self.steps)

    def _left(self, index: int) -> float:
        return sum(self.costs.get((index, n), 1.0) for n in self.steps[index])

    def take(self, current: int | None, others: set) -> tuple[int, int]:
        if current not in self.steps:
            free = [i for i in self.steps if i not in others] or list(self.steps)
            current = max(free, key=lambda i: (self._left(i), len(self.steps[i]), -i))
        numbers = self.steps[current]
        number = numbers.pop(0)
        if not numbers:
            del self.steps[current]
        return current, number


def _verify_steps(derivations: tuple[Derivation, ...], tasks: list[tuple[int, int]], settings: CheckSettings, jobs: int):
    """Verify ``tasks`` ((derivation index, step number) pairs) in ``jobs`` workers; yields
    (task, verdict) as each finishes."""
    if not tasks:
        return
    costs = {}
    if jobs > 1:  # one worker takes every task in turn anyway
        links = {}
        for index, number in tasks:
            if index not in links:
                links[index] = list(derivations[index].chain())
            _, step, before = links[index][number - 1]
            costs[(index, number)] = expected_seconds(step, before)
    pending = _Pending(tasks, costs)
    seconds = settings.step_wall_seconds
    workers = [_Worker(derivations, settings) for _ in range(max(1, min(jobs, len(tasks))))]
    try:
        while pending or any(w.task for w in workers):
            for w in workers:
                if w.task is None and pending:
                    others = {v.derivation for v in workers if v is not w}
                    w.give(pending.take(w.derivation, others), seconds)
            busy = [w for w in workers if w.task]
            ready = processes.wait_for([w.connection for w in busy], min(w.deadline for w in busy))
            for w in busy:
                if w.connection in ready:
                    verdict, serving = w.answer()
                elif time.monotonic() >= w.deadline:
                    verdict, serving = _killed(seconds), False
                else:
                    continue
                yield w.task, verdict
                w.task = None
                if not serving:
                    w.stop()
                    workers[workers.index(w)] = _Worker(derivations, settings)
    finally:
        for w in workers:
            w.stop()


def verify_many(derivations, settings: CheckSettings, jobs: int = 1, cache=None, steps: dict[int, set[int]] | None = None):
    """Verify derivations, yielding each result in catalog order (deterministic output).

    Each step is checked in one of ``jobs`` worker processes (one at least: the user's code
    never runs in the process that reports on it), under the settings' wall-clock bound per
    step. With a ``cache`` (a ``cache.VerificationCache``), a derivation whose entry is current
    is not verified again, and each new result is offered to the cache. ``steps`` maps a
    derivation's index to the step numbers to verify (``smoothsym verify -k``; the others: every
    step); a result of some steps only is neither read from the cache nor stored in it."""
    derivations = tuple(derivations)
    some = steps or {}

    def chain(i: int) -> list:
        return [link for link in derivations[i].chain() if i not in some or link[0] in some[i]]

    whole = [d for i, d in enumerate(derivations) if i not in some]
    loaded = iter(cache.load_many(whole, settings, max(jobs, 1)) if cache is not None and whole else ())
    hits = [None if i in some else next(loaded, None) for i in range(len(derivations))]
    fresh = [i for i, hit in enumerate(hits) if hit is None]
    tasks = [(i, number) for i in fresh for number, _, _ in chain(i)]
    verdicts: dict[tuple[int, int], Verdict] = {}
    with processes.stop_on_sigterm():
        finished = _verify_steps(derivations, tasks, settings, jobs)
        try:
            for index, hit in enumerate(hits):
                if hit is None:
                    derivation = derivations[index]
                    links = chain(index)
                    while any((index, n) not in verdicts for n, _, _ in links):
                        task, verdict = next(finished)
                        verdicts[task] = verdict
                    results = tuple(StepResult(n, step, before, verdicts.pop((index, n))) for n, step, before in links)
                    hit = DerivationResult(derivation.name, derivation.location.file, derivation, results)
                    if cache is not None and index not in some:
                        cache.store(hit, settings)
                yield hit
        finally:
            finished.close()  # an interrupted run (Ctrl-C, SIGTERM, a consumer that stops): no worker left
