"""Running a derivation: each step verified against the expression before it.

``verify`` walks the chain once and returns a ``DerivationResult``; nothing after it (reports,
exports, the command line) verifies again.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DerivationError
from .model import Derivation, Step, StepContext
from .settings import CheckSettings
from .verdict import Status, Verdict, weakest


# The method of a verdict given to a step whose worker was killed at the wall-clock limit: it
# depends on the machine's load, so it is reported as a timeout but never cached.
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


# -- many derivations, in parallel --------------------------------------------------------


def _verify_in_child(derivation: Derivation, settings: CheckSettings, connection) -> None:
    """In a forked child: verify, send the verdicts (plain data: the steps themselves may hold
    functions that do not pickle), and exit."""
    try:
        result = verify(derivation, settings)
        connection.send(("ok", [(r.number, r.verdict) for r in result.steps]))
    except BaseException as exc:  # the parent reports it as this derivation's error
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def _assemble(derivation: Derivation, message) -> DerivationResult:
    kind, payload = message
    if kind != "ok":
        error = derivation.error(f"its verification process failed: {payload}")
        return DerivationResult(derivation.name, derivation.location.file, derivation, (), error)
    verdicts = dict(payload)
    steps = tuple(StepResult(n, step, before, verdicts[n]) for n, step, before in derivation.chain())
    return DerivationResult(derivation.name, derivation.location.file, derivation, steps)


def verify_many(derivations, settings: CheckSettings, jobs: int = 1, cache=None):
    """Verify derivations, yielding each result in catalog order (deterministic output), with
    up to ``jobs`` forked processes, one per derivation. A process that crashes or is killed
    becomes an error result for its derivation; the others still finish.

    With a ``cache`` (a ``cache.VerificationCache``), a derivation whose entry is current is
    not verified again, and each new result is offered to the cache."""
    derivations = tuple(derivations)
    if cache is None:
        yield from _verify_in_processes(derivations, settings, jobs)
        return
    cached = [cache.load(d, settings) for d in derivations]
    fresh = _verify_in_processes(tuple(d for d, hit in zip(derivations, cached) if hit is None), settings, jobs)
    for hit in cached:
        if hit is None:
            hit = next(fresh)
            cache.store(hit, settings)
        yield hit


def _verify_in_processes(derivations: tuple, settings: CheckSettings, jobs: int):
    """``verify_many`` without a cache."""
    if jobs <= 1 or len(derivations) <= 1:
        for derivation in derivations:
            yield verify(derivation, settings)
        return
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    waiting = list(range(len(derivations)))
    running: dict = {}  # index -> (process, receiving end)
    finished: dict[int, DerivationResult] = {}
    next_to_yield = 0
    try:
        while next_to_yield < len(derivations):
            while waiting and len(running) < jobs:
                index = waiting.pop(0)
                receiving, sending = context.Pipe(duplex=False)
                process = context.Process(target=_verify_in_child, args=(derivations[index], settings, sending), daemon=True)
                process.start()
                sending.close()
                running[index] = (process, receiving)
            ready = wait([conn for _, conn in running.values()])
            for index, (process, conn) in list(running.items()):
                if conn not in ready:
                    continue
                try:
                    message = conn.recv()
                except EOFError:  # the process died before it could answer
                    process.join()
                    message = ("error", f"it ended without a result (exit code {process.exitcode})")
                conn.close()
                process.join()
                del running[index]
                finished[index] = _assemble(derivations[index], message)
            while next_to_yield in finished:
                yield finished.pop(next_to_yield)
                next_to_yield += 1
    finally:
        for process, conn in running.values():  # interrupted: leave no orphan behind
            process.kill()
            process.join()
            conn.close()
