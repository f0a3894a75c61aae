"""Check settings: how hard the verifier looks, as one frozen value passed explicitly.

No precision or seed lives in a global. Named profiles replace scattered knobs:

>>> PROFILES["default"].digits
50
>>> PROFILES["fast"].replace(time_limit=1.0).time_limit
1.0
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """How a step is checked.

    digits       significant decimal digits every numeric value is computed to (mpmath);
                 the working precision is raised above this automatically where a value
                 is not yet stable (cancellation, e^{k x} with large k x).
    points       random points drawn from the declared domain, on top of the edge points.
    seed         seed of the point sampler; the same seed gives the same points.
    time_limit   seconds allowed for the symbolic proof of one step.
    limit_ks     the values of k along which a limit is checked numerically.
    limit_points points (random plus edge) at which a limit is followed along k.
    max_digits   the mpmath fallback's precision cap (functions Arb cannot evaluate).
    max_bits     the ball arithmetic's precision budget per value (2^16 bits ~ 19700 digits);
                 a point still undecided then is counted as undecided, never turned into a
                 verdict. A budget in bits, not seconds, so that the same claim gets the same
                 evidence on a loaded machine (the reports are compared byte for byte).
    point_seconds  a wall-clock backstop per point, for a claim whose every doubling is slow.
    search_seconds the backstop of the search for a bound's worst points (``extremes.py``), whose
                 work is bounded by counts so that the points do not depend on the machine's load.
    wall_seconds the wall-clock bound on one whole step (every phase: numeric, symbolic, the
                 user's own functions), enforced from outside the process that runs it: the
                 worker is killed and the step reported as an error (nothing was checked). None: 60 s + 12 x time_limit,
                 far above what any step of the catalog needs, so that only a hang reaches it.
    """

    digits: int = 50
    points: int = 24
    seed: int = 0
    time_limit: float = 5.0
    limit_ks: tuple[int, ...] = (10, 10**2, 10**3, 10**4, 10**5, 10**6, 10**8, 10**12, 10**16, 10**24, 10**32, 10**48, 10**64)
    limit_points: int = 8
    max_digits: int = 600
    max_bits: int = 2**16
    point_seconds: float = 30.0
    search_seconds: float = 10.0
    wall_seconds: float | None = None

    @property
    def tolerance_digits(self) -> int:
        """Digits two values must agree to; three fewer than computed, a margin for the last
        digits' rounding in both sides and their difference (never tuned per step)."""
        return self.digits - 3

    @property
    def replay_digits(self) -> int:
        """Precision at which a counterexample is replayed before it is believed."""
        return 2 * self.digits

    @property
    def step_wall_seconds(self) -> float:
        return self.wall_seconds if self.wall_seconds is not None else 60.0 + 12.0 * self.time_limit

    def replace(self, **changes) -> "CheckSettings":
        return dataclasses.replace(self, **changes)


PROFILES: dict[str, CheckSettings] = {
    "fast": CheckSettings(digits=50, points=20, time_limit=2.0, limit_points=6),
    "default": CheckSettings(),
    "thorough": CheckSettings(digits=80, points=100, time_limit=30.0, limit_points=20, max_bits=2**20),
}
