"""Verdicts: what the verifier says about a step, and the evidence it rests on.

A verdict is a status plus evidence. The status names how the step was judged, never more:

- ``proved``   a SymPy method showed it, and the numeric check agreed;
- ``checked``  numerically only (points, digits, largest error): never shown as proved;
- ``inconclusive`` a limit whose numeric error neither vanished nor showed a certified gap
               (ln(k)/k^(1/100), still growing at k = 10^64): not refuted, and not proved even
               when SymPy says it holds, since the numbers could not confirm it;
- ``refuted``  a counterexample that survived a replay at higher precision;
- ``disputed`` SymPy and mpmath disagree, or the numbers contradict a claim without a
               certificate (a definite integral whose quadratures miss the claimed value but
               whose ball enclosure cannot exclude it); never a pass, never a refutation;
- ``timeout``  the symbolic attempt ran out of time (numeric evidence is still shown);
- ``error``    the step could not be judged at all, with the reason;
- ``given``    a starting expression: stated, not a claim, so nothing to check.

>>> Status.CHECKED.is_pass, Status.REFUTED.is_pass
(True, False)
>>> weakest([Status.PROVED, Status.CHECKED, Status.GIVEN])
<Status.CHECKED: 'checked'>
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(enum.Enum):
    PROVED = "proved"
    CHECKED = "checked"
    INCONCLUSIVE = "inconclusive"
    GIVEN = "given"
    TIMEOUT = "timeout"
    DISPUTED = "disputed"
    ERROR = "error"
    REFUTED = "refuted"

    @property
    def is_pass(self) -> bool:
        """Whether a run that reaches this status may exit 0 (``--strict`` asks for more)."""
        return self in (Status.PROVED, Status.CHECKED, Status.GIVEN, Status.TIMEOUT, Status.INCONCLUSIVE)

    @property
    def rank(self) -> int:
        """Strength, strongest first; the weakest step decides the derivation."""
        return _RANK[self]


_RANK = {
    Status.GIVEN: 0,
    Status.PROVED: 1,
    Status.CHECKED: 2,
    Status.INCONCLUSIVE: 3,
    Status.TIMEOUT: 4,
    Status.DISPUTED: 5,
    Status.ERROR: 6,
    Status.REFUTED: 7,
}


def weakest(statuses) -> Status:
    """The weakest of some statuses (``given`` when there are none)."""
    return max(statuses, key=lambda s: s.rank, default=Status.GIVEN)


@dataclass(frozen=True, slots=True)
class NumericEvidence:
    """Agreement at sample points: how many, at what precision, the largest error seen."""

    what: str  # e.g. "lhs = rhs", "d/dx claim = previous", "previous <= claim"
    points: int
    digits: int
    tolerance: str  # e.g. "1e-47 relative to max(1, |lhs|, |rhs|)"
    max_error: str
    worst_point: dict[str, str]
    seed: int
    skipped: int = 0  # points where neither side is defined, or beyond mpmath's range
    raised_to: int = 0  # highest working precision used (digits), when raised
    undecided: int = 0  # points the budget could not decide (never counted either way)
    oracle: str = "Arb balls"  # what computed the values: ball arithmetic, or the mpmath fallback
    search: str = ""  # for a bound: how its worst points were searched for

    def summary(self) -> str:
        text = (
            f"{self.what}: {self.points} points at {self.digits} digits ({self.oracle}), "
            f"max error {self.max_error}"
        )
        if self.raised_to > self.digits:
            text += f" (precision raised to {self.raised_to} digits)"
        if self.skipped:
            text += f"; {self.skipped} points skipped (undefined on both sides, or a removable singularity)"
        if self.undecided:
            text += f"; {self.undecided} points undecided within the budget"
        if self.search:
            text += f"; {self.search}"
        return text


@dataclass(frozen=True, slots=True)
class Counterexample:
    """The simplest failing point found, both sides, the difference, and how to replay it."""

    what: str
    point: dict[str, str]
    lhs: str
    rhs: str
    difference: str
    tolerance: str
    digits: int
    replay_digits: int
    seed: int
    reproduce: str
    note: str = ""
    certified: bool = False  # ball arithmetic showed the difference's ball excludes 0 ...
    certificate: str = ""  # ... or, where set, what else certified it (SymPy's exact value 0 at the point)

    def summary(self) -> str:
        at = ", ".join(f"{k} = {v}" for k, v in self.point.items()) or "(no symbols)"
        how = f"certified by {self.certificate or 'ball arithmetic'}" if self.certified else f"replayed at {self.replay_digits} digits, not certified"
        text = (
            f"{self.what} fails at {at}: lhs = {self.lhs}, rhs = {self.rhs}, "
            f"difference {self.difference} (tolerance {self.tolerance}; "
            f"{how}; seed {self.seed})"
        )
        return text + (f"; {self.note}" if self.note else "")


@dataclass(frozen=True, slots=True)
class ConvergencePath:
    """The error of a limit claim followed along growing k at one point."""

    point: dict[str, str]
    ks: tuple[str, ...]
    errors: tuple[str, ...]  # signed: expression minus its claimed limit
    rate: str  # e.g. "~ 0.69 k^-1.00", "~ c e^(-2.0 k)", "below 1e-1200 from k = 10"
    converges: bool


@dataclass(frozen=True, slots=True)
class ConvergenceEvidence:
    """A limit followed numerically at several points, with a rate and the sign of the error."""

    what: str  # e.g. "lim_{k->oo} previous = claim"
    variable: str
    paths: tuple[ConvergencePath, ...]
    digits: int
    error_sign: str  # "always >= 0", "always <= 0" or "both signs"
    slowest_rate: str
    beyond_range: tuple[dict[str, str], ...] = ()  # points skipped: values beyond what can be computed
    inconclusive: tuple[str, ...] = ()  # points where the error neither vanished nor showed a gap

    def summary(self) -> str:
        text = (
            f"{self.what}: followed at {len(self.paths)} points along {self.variable} = "
            f"{self.ks_text}; slowest {self.slowest_rate}; "
            f"error {self.error_sign}"
        )
        if self.beyond_range:
            text += f"; {len(self.beyond_range)} points skipped, beyond what can be computed"
        if self.inconclusive:
            text += f"; inconclusive at {len(self.inconclusive)} points ({self.inconclusive[0]})"
        return text

    @property
    def ks_text(self) -> str:
        """The values of k followed, powers of ten beyond 10^6 written as such."""
        return ", ".join(k_text(k) for k in self.paths[0].ks) if self.paths else "-"

    @property
    def conclusive(self) -> bool:
        return not self.inconclusive


def k_text(k: str) -> str:
    """k as text, a power of ten beyond 10^6 written as one.

    >>> k_text("10000000000000000"), k_text("1000")
    ('10^16', '1000')
    """
    return f"10^{len(k) - 1}" if len(k) > 7 and k.strip("0") == "1" else k


Evidence = NumericEvidence | Counterexample | ConvergenceEvidence


@dataclass(frozen=True, slots=True)
class Verdict:
    """The status of one check or step, the method that decided it, and its evidence."""

    status: Status
    method: str
    evidence: tuple[Evidence, ...] = ()
    detail: str = ""
    seconds: float = 0.0

    @property
    def counterexample(self) -> Counterexample | None:
        return next((e for e in self.evidence if isinstance(e, Counterexample)), None)

    def summary(self) -> str:
        parts = [self.detail] if self.detail else []
        parts += [e.summary() for e in self.evidence]
        return "; ".join(parts)

    def _repr_html_(self) -> str:
        """Jupyter's display (notebook.py, imported when a notebook asks)."""
        from .notebook import verdict_html

        return verdict_html(self)

    @staticmethod
    def combine(verdicts: list["Verdict"]) -> "Verdict":
        """One verdict for several checks of a step: the weakest status, all methods and evidence."""
        status = weakest(v.status for v in verdicts)
        methods = [v.method for v in verdicts if v.method]
        details = [v.detail for v in verdicts if v.detail and v.status == status]
        return Verdict(
            status=status,
            method="; ".join(methods),
            evidence=tuple(e for v in verdicts for e in v.evidence),
            detail="; ".join(details),
            seconds=sum(v.seconds for v in verdicts),
        )
