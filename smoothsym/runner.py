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


@dataclass(frozen=True, slots=True)
class StepResult:
    """One step, what it started from, and its verdict."""

    number: int
    step: Step
    before: object
    verdict: Verdict

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
        reproduce=f"smoothsym verify {derivation.location.file} --seed {settings.seed}",
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
