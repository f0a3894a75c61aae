"""Where a bound is closest to failing: a search for the points that maximise an excess.

A bound ``smaller <= larger`` sampled at a few dozen points can be "checked" although it fails in
a narrow window: |GELU_tanh(x) - GELU_erf(x)| <= 4.73e-4 fails only near |x| = 2.699, where the gap
peaks at 4.7324e-4. ``worst_points`` searches for the maxima of ``excess = smaller - larger``
instead of sampling it: many starts (the sampler's points, random ones over several scales, a
grid for one variable), a coarse scan in float64, then local refinement (Nelder-Mead, then an
integer neighbourhood for integer symbols), within a time budget. Its answer is only a list of
good candidate points, as exact short rationals; the engine judges the bound at them with its
own rigorous comparison.

>>> import sympy as sp
>>> from smoothsym.sampling import Sampler
>>> x = sp.Symbol("x", positive=True)
>>> (best, *_) = worst_points(x * sp.exp(-x), (x,), Sampler((x,)), seed=0)
>>> abs(float(best[x]) - 1) < 1e-6
True
"""

from __future__ import annotations

import math
import time
import warnings
from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from flint import acb, arb, arf, fmpq

from . import balls
from .sampling import SIGN_TESTS

_SCAN_POINTS = 4000  # random points of the coarse scan (a grid is added for one variable)
_STARTS = 5  # local refinements started from the best scanned points
_DIGITS = 30  # precision of the final ranking (Arb balls, or mpmath)
_INTEGER_MOVES = 40  # moves of the integer neighbourhood search per start


@lru_cache(maxsize=4096)
def _flags(symbol: sp.Symbol) -> tuple[bool, bool, bool, bool, bool, bool]:
    """(integer, positive, nonnegative, negative, nonpositive, nonzero) as the symbol's
    assumptions say (``assumptions0`` builds a new dict at every call: looked up once here)."""
    a = symbol.assumptions0
    return (bool(a.get("integer")), bool(a.get("positive")), bool(a.get("nonnegative")), bool(a.get("negative")),
            bool(a.get("nonpositive")), bool(a.get("nonzero") or a.get("zero") is False))


def _admits(symbol: sp.Symbol, value: float) -> bool:
    """Whether a float satisfies the symbol's own assumptions (sign, integrality)."""
    integer, positive, nonnegative, negative, nonpositive, nonzero = _flags(symbol)
    if not math.isfinite(value):
        return False
    if integer and value != round(value):
        return False
    if positive and not value > 0:
        return False
    if nonnegative and not value >= 0:
        return False
    if negative and not value < 0:
        return False
    if nonpositive and not value <= 0:
        return False
    if nonzero and value == 0:
        return False
    return True


def _admitted(symbol: sp.Symbol, values: np.ndarray) -> np.ndarray:
    """``_admits`` for a whole column of floats at once."""
    integer, positive, nonnegative, negative, nonpositive, nonzero = _flags(symbol)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(values)
        if integer:
            ok &= values == np.round(values)
        if positive:
            ok &= values > 0
        if nonnegative:
            ok &= values >= 0
        if negative:
            ok &= values < 0
        if nonpositive:
            ok &= values <= 0
        if nonzero:
            ok &= values != 0
    return ok


def _fit(symbol: sp.Symbol, values: np.ndarray) -> np.ndarray:
    """Raw values moved into the symbol's assumptions (absolute value for a sign, rounding)."""
    a = symbol.assumptions0
    if a.get("integer"):
        values = np.round(values)
    if a.get("positive") or a.get("nonnegative"):
        values = np.abs(values)
    if a.get("negative") or a.get("nonpositive"):
        values = -np.abs(values)
    if a.get("positive") or a.get("negative") or a.get("nonzero"):
        values = np.where(values == 0, -1.0 if a.get("negative") else 1.0, values)
    return values


def _rational(symbol: sp.Symbol, value: float) -> sp.Rational:
    """A short exact rational near ``value`` (an integer for an integer symbol)."""
    if symbol.assumptions0.get("integer"):
        return sp.Integer(int(round(value)))
    value = float(value)
    return sp.Rational(repr(round(value, 12))) if abs(value) < 1e15 else sp.Rational(int(round(value)))


def _fraction(symbol: sp.Symbol, value: float) -> Fraction:
    """``_rational`` as a Python Fraction (the same number, without building a SymPy Rational
    from text: the search evaluates thousands of points in Arb only)."""
    if _flags(symbol)[0]:
        return Fraction(int(round(value)))
    value = float(value)
    return Fraction(repr(round(value, 12))) if abs(value) < 1e15 else Fraction(int(round(value)))


def _fraction_ball(q: Fraction) -> acb:
    """The same ball as ``balls.exact_ball`` of the equal SymPy Rational."""
    if q.denominator == 1:
        return acb(q.numerator)
    return acb(arb(fmpq(q.numerator, q.denominator)))


def _binary_ball(c) -> acb:
    """An mpmath number as an exact ball (its binary mantissa and exponent; mpmath's ``man_exp``
    drops the sign, so from ``_mpf_``)."""
    sign, man, exp, _ = mpmath.mpf(c)._mpf_
    return acb(arb(arf((-int(man) if sign else int(man), int(exp)))))


class _Objective:
    """excess as a float function of a point (a tuple of floats); -inf where it is undefined,
    overflows or leaves the domain."""

    def __init__(self, excess: sp.Basic, symbols: tuple, sampler, in_balls: bool = False):
        self.symbols = symbols
        # in_balls: every value of the climb from Arb at 30 digits, not float64 (a relative
        # excess near a set where both sides vanish is float64's rounding noise: up to 1)
        self.in_balls = in_balls
        self.sampler = sampler
        self.constrained = bool(getattr(sampler, "constraints", True)) if sampler is not None else False
        try:
            self.vector = sp.lambdify(symbols, excess, modules="numpy")
        except Exception:  # noqa: BLE001 - no numpy form: the scalar forms below serve
            self.vector = None
        try:
            self.scalar = sp.lambdify(symbols, excess, modules="math")
        except Exception:  # noqa: BLE001
            self.scalar = None
        self.excess = excess
        self._precise = None  # the mpmath form, built on first use (most searches never need it)
        try:  # Arb is far faster than mpmath where arguments are huge (e^{e^{k x}} at k x = 100)
            self.ball = balls.ball_function(excess, symbols)
        except balls.Unsupported:
            self.ball = None
        self.allowed: dict[tuple, bool] = {}
        self.float_constraints = None
        try:
            self.float_constraints = [
                (sp.lambdify(symbols, c.lhs - c.rhs, modules="math"), SIGN_TESTS[type(c)])
                for c in getattr(sampler, "constraints", ())
            ]
        except Exception:  # noqa: BLE001 - a constraint without a float form: exact tests only
            self.float_constraints = None

    @property
    def precise(self):
        if self._precise is None:
            self._precise = sp.lambdify(self.symbols, self.excess, modules="mpmath")
        return self._precise

    def allows(self, values) -> bool:
        if not all(_admits(s, v) for s, v in zip(self.symbols, values)):
            return False
        if not self.constrained:
            return True
        key = tuple(values)
        if key not in self.allowed:
            try:
                self.allowed[key] = bool(self.sampler.allows(self.rational_point(values)))
            except Exception:  # noqa: BLE001 - a constraint that cannot be decided there
                self.allowed[key] = False
        return self.allowed[key]

    def rational_point(self, values) -> dict:
        return {s: _rational(s, v) for s, v in zip(self.symbols, values)}

    def _value(self, function, values) -> float:
        try:
            if function is self.scalar:  # math-module code raises, it does not warn: no filters to set up
                result = complex(function(*values))
            else:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    result = complex(function(*values))
        except Exception:  # noqa: BLE001 - undefined, overflowing: not a candidate
            return -math.inf
        if result.imag != 0 and abs(result.imag) > 1e-12 * max(1.0, abs(result.real)):
            return -math.inf
        value = result.real
        return value if math.isfinite(value) else -math.inf

    def __call__(self, values) -> float:
        """The excess at an allowed point, in float64 (the mpmath value where float64 fails)."""
        values = tuple(float(v) for v in values)
        if not all(_admits(s, v) for s, v in zip(self.symbols, values)):
            return -math.inf
        value = -math.inf
        if self.in_balls and self.ball is not None:
            value = self.exact(values)
            return value if value != -math.inf and self.roughly_allows(values) else -math.inf
        for function in (self.scalar, self.vector):
            if function is not None:
                value = self._value(function, values)
                if value != -math.inf:
                    break
        if value == -math.inf:
            value = self.exact(values, digits=15)
        if value == -math.inf or not self.roughly_allows(values):
            return -math.inf
        return value

    def roughly_allows(self, values) -> bool:
        """The domain test during the search, in float64 where the answer is clear (the exact
        test, SymPy's, costs a millisecond a call); the returned candidates are tested exactly."""
        if not all(_admits(s, v) for s, v in zip(self.symbols, values)):
            return False
        if not self.constrained:
            return True
        if self.float_constraints is None:
            return self.allows(values)
        for function, test in self.float_constraints:
            try:
                d = float(function(*values))
            except Exception:  # noqa: BLE001 - undecidable in floats: ask the exact test
                return self.allows(values)
            if not math.isfinite(d) or abs(d) <= 1e-9 * (1 + max(abs(v) for v in values)):
                return self.allows(values)
            if not test(d):
                return False
        return True

    def exact(self, values, digits: int = _DIGITS) -> float:
        """The excess at the point's exact rationals, with mpmath (-inf where undefined)."""
        if self.ball is not None:
            return self._ball_value([_fraction(s, v) for s, v in zip(self.symbols, values)], digits)
        point = self.rational_point(values)
        try:
            with mpmath.workdps(digits):
                result = self.precise(*(mpmath.mpf(point[s].p) / point[s].q for s in self.symbols))
                result = mpmath.mpmathify(result)
                if isinstance(result, mpmath.mpc):
                    if abs(result.imag) > mpmath.mpf(10) ** (-digits // 2) * max(1, abs(result.real)):
                        return -math.inf
                    result = result.real
                if not mpmath.isfinite(result):
                    return -math.inf
                return float(result)
        except Exception:  # noqa: BLE001
            return -math.inf

    def _ball_value(self, exact_values, digits: int) -> float:
        """The excess at exact values with ball arithmetic (-inf where undefined or unresolved)."""
        with balls.working_bits(balls.digits_to_bits(digits)):
            try:
                z = self.ball(*(_fraction_ball(v) if isinstance(v, Fraction) else balls.exact_ball(v) for v in exact_values))
            except (balls.Undecided, balls.Undefined, ZeroDivisionError):
                return -math.inf
            if not balls.is_finite(z) or not z.imag.contains(0) and abs(z.imag).abs_lower() > 1e-12 * max(1.0, float(abs(z.real).abs_upper())):
                return -math.inf
            return float(z.real.mid())

    def polish_value(self, coordinates: tuple, bits: int):
        """The excess at mpmath coordinates (binary numbers, so exact balls) in Arb at ``bits``:
        its midpoint as an mpmath number (at the caller's mpmath precision), -inf where it is
        certainly undefined or not real, None where Arb cannot tell (the caller asks mpmath).
        "Real" as the mpmath polish says it: an imaginary part below 10^-30."""
        with balls.working_bits(bits):
            try:
                z = self.ball(*(_binary_ball(c) for c in coordinates))
            except (balls.Undefined, ZeroDivisionError):
                return -mpmath.inf
            except balls.Undecided:
                return None
            if not balls.is_finite(z):
                return None
            if not z.imag.is_zero():
                magnitude = abs(z.imag)
                if magnitude.abs_lower() >= arb(10) ** -30:
                    return -mpmath.inf
                if magnitude.abs_upper() >= arb(10) ** -30:
                    return None
            return balls.midpoint(z.real)

    def scan(self, columns: list[np.ndarray]) -> np.ndarray:
        """The excess at many points at once (vectorised where numpy can; -inf where undefined)."""
        size = len(columns[0]) if columns else 1
        if self.vector is not None:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    raw = np.asarray(self.vector(*columns))
                raw = np.broadcast_to(raw, (size,))
                if np.iscomplexobj(raw):
                    raw = np.where(np.abs(raw.imag) <= 1e-12 * np.maximum(1, np.abs(raw.real)), raw.real, np.nan)
                values = np.asarray(raw, dtype=float)
                return np.where(np.isfinite(values), values, -np.inf)
            except Exception:  # noqa: BLE001 - fall back to one point at a time
                pass
        # Python floats, not numpy scalars: math-module code then raises on an overflow (skipped)
        # where numpy scalars would print a RuntimeWarning for each point
        return np.array([self._value(self.scalar or self.precise, tuple(float(c[i]) for c in columns)) for i in range(size)])


def _starts(symbols: tuple, sampler, rng: np.random.Generator, count: int) -> list[np.ndarray]:
    """Start values for each symbol: random over several scales, a grid for one variable, and
    the sampler's own points: its edge and exceptional ones (a bump's vertex, a kink), then
    random ones."""
    parts = []
    third = max(count // 3, 1)
    scales = [
        rng.uniform(-10, 10, third),
        rng.uniform(-3, 3, third),
        rng.choice((-1.0, 1.0), count - 2 * third) * 10 ** rng.uniform(-3, 3, count - 2 * third),
    ]
    for _ in symbols:
        parts.append(np.concatenate([rng.permutation(np.concatenate(scales))]))
    if len(symbols) == 1:
        grid = np.concatenate([np.linspace(-10, 10, 4001), np.geomspace(1e-3, 1e3, 600), -np.geomspace(1e-3, 1e3, 600)])
        parts = [np.concatenate([parts[0], grid])]
    columns = [_fit(s, p) for s, p in zip(symbols, parts)]
    if sampler is not None:
        try:
            sampled = (sampler.edge_points() if hasattr(sampler, "edge_points") else []) + sampler.random_points(24)
        except Exception:  # noqa: BLE001 - the search still has its own starts
            sampled = []
        if sampled:
            extra = [np.array([float(p[s]) for p in sampled if s in p]) for s in symbols]
            if all(len(e) == len(sampled) for e in extra):
                columns = [np.concatenate([c, e]) for c, e in zip(columns, extra)]
    return columns


def _nelder_mead(f, start: np.ndarray, deadline: float, iterations: int = 120) -> tuple[np.ndarray, float]:
    """Maximise f from ``start`` (Nelder-Mead on -f), stopping at the deadline."""
    dims = len(start)
    simplex = [start.astype(float)]
    for i in range(dims):
        vertex = start.astype(float).copy()
        vertex[i] += max(abs(vertex[i]) * 0.05, 0.05)
        simplex.append(vertex)
    values = [f(v) for v in simplex]
    for _ in range(iterations):
        if time.perf_counter() > deadline:
            break
        order = sorted(range(dims + 1), key=lambda i: -values[i])
        simplex, values = [simplex[i] for i in order], [values[i] for i in order]
        size = max(np.max(np.abs(v - simplex[0])) for v in simplex[1:])
        if size <= 1e-13 * (1 + np.max(np.abs(simplex[0]))):
            break
        spread = values[0] - values[-1]
        if size <= 1e-6 * (1 + np.max(np.abs(simplex[0]))) and spread <= 1e-15 * (1 + abs(values[0])):
            break  # on a plateau (a bound attained on a whole interval): nothing left to climb
        centroid = np.mean(simplex[:-1], axis=0)
        worst = simplex[-1]
        reflected = centroid + (centroid - worst)
        fr = f(reflected)
        if fr > values[0]:
            expanded = centroid + 2 * (centroid - worst)
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe > fr else (reflected, fr)
        elif fr > values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = centroid + 0.5 * (worst - centroid) if fr <= values[-1] else centroid + 0.5 * (reflected - centroid)
            fc = f(contracted)
            if fc > max(values[-1], fr):
                simplex[-1], values[-1] = contracted, fc
            else:  # shrink towards the best vertex
                simplex = [simplex[0]] + [simplex[0] + 0.5 * (v - simplex[0]) for v in simplex[1:]]
                values = [values[0]] + [f(v) for v in simplex[1:]]
    best = max(range(dims + 1), key=lambda i: values[i])
    return simplex[best], values[best]


def _integer_steps(f, point: np.ndarray, value: float, integers: list[int], deadline: float) -> tuple[np.ndarray, float]:
    """Improve the integer coordinates by steps of +-1, +-2, +-4, ... while the excess grows, at
    most _INTEGER_MOVES moves (an excess that grows with k forever would walk on otherwise)."""
    improved, moves = True, 0
    while improved and moves < _INTEGER_MOVES and time.perf_counter() < deadline:
        moves += 1
        improved = False
        for i in integers:
            for step in (1, -1, 2, -2, 4, -4, 8, -8):
                trial = point.copy()
                trial[i] = round(trial[i]) + step
                trial_value = f(trial)
                if trial_value > value:
                    point, value, improved = trial, trial_value, True
                    break
    return point, value


def _near(a: tuple, b: tuple) -> bool:
    return all(abs(float(u) - float(v)) <= 1e-4 * (1 + abs(float(v))) for u, v in zip(a, b))


def worst_points(
    excess: sp.Basic,
    symbols: tuple,
    sampler,
    seed: int = 0,
    count: int = 4,
    budget_seconds: float = 2.0,
    sides: tuple | None = None,
) -> list[dict]:
    """Up to ``count`` points, best first, where ``excess`` (e.g. smaller - larger for a bound
    smaller <= larger) is largest over the domain: each a dict {symbol: exact sympy Rational}
    (an Integer for an integer symbol) that ``sampler.allows``. ``sampler`` needs ``allows(point)``
    and ``random_points(n)`` (a ``sampling.Sampler``; None searches the symbols' assumptions
    only). The search stops after about ``budget_seconds`` (plus one final ranking of the few
    candidates at 30 digits); points where the excess is undefined or overflows are never
    returned. The points are candidates, not a verdict: judge the bound at them exactly.

    ``sides`` = (smaller, larger): where a maximum found is tight (within float64's blur of 0)
    and both sides nearly vanish there (|smaller| + |larger| < 10^-6), the search climbs the
    relative excess (smaller - larger)/(|smaller| + |larger|) too, from those points, with a
    backstop of its own (so such a search may take up to twice ``budget_seconds``).
    A bound tight on a whole curve where both sides vanish (Pinsker's KL(q, p) >= 2 (q - p)^2 on
    q = p) has an excess of 0 all along it, a ridge that gives the climb nothing to follow, while
    a strengthening (2 + 10^-6 in place of 2) fails only in a patch 10^-3 wide beside it; the
    ratio of the sides' vanishing orders is what varies along the curve, and the relative excess
    follows it there."""
    pieces = sampler.pieces() if hasattr(sampler, "pieces") else None
    if pieces is not None:  # an equality or finite-set domain: searched case by case, on its surface
        return _worst_points_in_cases(sp.sympify(excess), sampler, pieces, seed, count, budget_seconds, sides)
    started = time.perf_counter()
    # The work is bounded by counts (scan points, starts, iterations), so the same claim gets the
    # same points on a loaded machine; the clock is only a backstop against a pathological claim.
    deadline = started + budget_seconds
    symbols = tuple(symbols)
    if not symbols:
        return [{}]
    objective = _Objective(sp.sympify(excess), symbols, sampler)
    rng = np.random.default_rng(seed)

    # coarse scan: many points at once, float64
    columns = _starts(symbols, sampler, rng, _SCAN_POINTS)
    admitted = np.ones(len(columns[0]), dtype=bool)
    for s, c in zip(symbols, columns):
        admitted &= _admitted(s, np.asarray(c, dtype=float))
    columns = [c[admitted] for c in columns]
    if len(columns[0]):  # repeated points (rounded integers, clipped signs) scanned once
        _, first = np.unique(np.stack(columns, axis=1), axis=0, return_index=True)
        columns = [c[np.sort(first)] for c in columns]
    starts = _best_starts(objective, columns)
    refined = _climb(objective, starts, deadline)
    candidates = _ranked(objective, refined + starts)
    if sides is not None and candidates and candidates[0][1] > -_POLISH_MARGIN:
        smaller, larger = (sp.sympify(side) for side in sides)
        size = _Objective(sp.Abs(smaller) + sp.Abs(larger), symbols, sampler)
        vanishing = [c for c in candidates if c[1] > -_POLISH_MARGIN and size.exact(tuple(float(v) for v in c[0])) < _VANISHING]
    else:
        vanishing = []
    if vanishing:  # tight where both sides (nearly) vanish: the relative excess is climbed too
        relative = _Objective(sp.sympify(excess) / (sp.Abs(smaller) + sp.Abs(larger)), symbols, sampler, in_balls=True)
        tight = [(np.array([float(v) for v in key]), relative(tuple(float(v) for v in key))) for key, _, _ in vanishing]
        climbed = _climb(relative, tight, started + 2 * budget_seconds)
        candidates = _ranked(objective, climbed + refined + starts)
    polish_until = time.perf_counter() + budget_seconds
    # only the best maximum, and only within float64's blur of failing, needs the polish
    return [
        _polish(objective, exact, polish_until) if rank == 0 and score > -_POLISH_MARGIN else exact
        for rank, (_, score, exact) in enumerate(candidates[:count])
    ]


def _best_starts(objective: "_Objective", columns: list[np.ndarray]) -> list[tuple[np.ndarray, float]]:
    """The best distinct allowed points of a float64 scan of the objective over ``columns``
    (the constraints checked only for those)."""
    scanned = objective.scan(columns) if len(columns[0]) else np.array([])
    order = np.argsort(-scanned, kind="stable")
    starts: list[tuple[np.ndarray, float]] = []
    for index in order:
        if len(starts) >= _STARTS or scanned[index] == -np.inf:
            break
        point = np.array([c[index] for c in columns])
        if any(np.allclose(point, p, rtol=1e-3, atol=1e-6) for p, _ in starts):
            continue
        if objective.allows(tuple(point)):
            starts.append((point, float(scanned[index])))
    return starts


def _climb(objective: "_Objective", starts: list, deadline: float) -> list[tuple[np.ndarray, float]]:
    """Local refinement of the objective from each start while the budget lasts: Nelder-Mead
    over the real coordinates, then steps of the integer ones."""
    symbols = objective.symbols
    integers = [i for i, s in enumerate(symbols) if s.assumptions0.get("integer")]

    def f(values):
        values = np.array(values, dtype=float)
        for i in integers:
            values[i] = round(values[i])
        return objective(tuple(values))

    refined: list[tuple[np.ndarray, float]] = []
    for point, value in starts:
        point = np.array(point, dtype=float)
        if time.perf_counter() > deadline:
            refined.append((point, value))
            continue
        if len(integers) < len(symbols):
            point, value = _nelder_mead(f, point, deadline)
        for i in integers:
            point[i] = round(point[i])
        value = f(point)
        if integers:
            point, value = _integer_steps(f, point, value, integers, deadline)
        refined.append((point, value))
    return refined


def _ranked(objective: "_Objective", points: list) -> list[tuple[tuple, float, dict]]:
    """The points as exact short rationals ranked by the excess at 30 digits, best first: one
    per maximum, allowed, defined there. Each (key, score, {symbol: Rational})."""
    symbols = objective.symbols
    candidates = []
    for point, _ in points:
        exact = objective.rational_point(point)
        key = tuple(exact[s] for s in symbols)
        if any(_near(key, k) for k, _, _ in candidates):  # one point per maximum
            continue
        values = tuple(float(v) for v in key)
        if not objective.allows(values):
            continue
        score = objective.exact(values)
        if score != -math.inf:
            candidates.append((key, score, exact))
    candidates.sort(key=lambda c: -c[1])
    return candidates


def _worst_points_in_cases(excess, sampler, pieces, seed, count, budget_seconds, sides=None) -> list[dict]:
    """``worst_points`` on each case's free symbols (the excess with the case's substitution
    made), completed to points of the whole domain; the best ``count`` over all cases, first."""
    found = []
    for case, inner in pieces:
        reduced = excess.xreplace(case.mapping)
        reduced_sides = None if sides is None else tuple(sp.sympify(side).xreplace(case.mapping) for side in sides)
        for point in worst_points(reduced, inner.symbols, inner, seed, count, budget_seconds / len(pieces), reduced_sides):
            full = sampler.completed(case, point)
            if sampler.allows(full):
                found.append(full)
    objective = _Objective(excess, sampler.symbols, sampler)
    scored = [(objective.exact(tuple(float(p[s]) for s in sampler.symbols)), p) for p in found]
    scored.sort(key=lambda pair: -pair[0])
    return [p for _, p in scored[:count]]


_POLISH_MARGIN = 1e-9  # float64 excesses below -1e-9 are trustworthy enough: no polish
_VANISHING = 1e-6  # |smaller| + |larger| below this at a tight point: the sides vanish there
_POLISH_DIGITS = 45  # a maximum of sin at the irrational pi/2 is resolved to ~1e-40 in x
_POLISH_BITS = balls.digits_to_bits(_POLISH_DIGITS + 10)  # Arb's: 10 digits to spare for its radius


def _polish(objective: "_Objective", point: dict, deadline: float) -> dict:
    """The maximum near ``point`` refined in high precision, coordinate by coordinate (golden
    section at 45 digits): float64 cannot see that sin(x) > 1 - 10^-20 near pi/2, where the
    excess is flat to 16 digits over a width of 10^-8, so the float optimum is not good enough
    for a bound that fails only there. Returns exact rationals of ~32 significant digits."""
    symbols = objective.symbols
    current = dict(point)
    with mpmath.workdps(_POLISH_DIGITS):
        coordinates = {s: mpmath.mpf(v.p) / v.q for s, v in current.items()}

        def value(values):
            if objective.ball is not None:  # Arb first: the same digits at a fraction of mpmath's cost
                found = objective.polish_value(tuple(values[s] for s in symbols), _POLISH_BITS)
                if found is not None:
                    return found
            try:
                result = mpmath.mpmathify(objective.precise(*(values[s] for s in symbols)))
                if isinstance(result, mpmath.mpc):
                    result = result.real if abs(result.imag) < mpmath.mpf(10) ** -30 else -mpmath.inf
                return result if mpmath.isfinite(result) else -mpmath.inf
            except Exception:  # noqa: BLE001 - undefined there
                return -mpmath.inf

        best = value(coordinates)
        golden = (mpmath.sqrt(5) - 1) / 2
        for s in symbols:
            if s.assumptions0.get("integer") or time.perf_counter() > deadline:
                continue
            centre = coordinates[s]
            scale = max(abs(centre), mpmath.mpf(1))
            lo, hi = centre - scale * mpmath.mpf(10) ** -6, centre + scale * mpmath.mpf(10) ** -6
            a, b = hi - golden * (hi - lo), lo + golden * (hi - lo)
            fa, fb = value({**coordinates, s: a}), value({**coordinates, s: b})
            for _ in range(160):
                if hi - lo <= scale * mpmath.mpf(10) ** -34 or time.perf_counter() > deadline:
                    break
                if fa >= fb:
                    hi, b, fb = b, a, fa
                    a = hi - golden * (hi - lo)
                    fa = value({**coordinates, s: a})
                else:
                    lo, a, fa = a, b, fb
                    b = lo + golden * (hi - lo)
                    fb = value({**coordinates, s: b})
            middle = sp.Rational(mpmath.nstr((lo + hi) / 2, 32, strip_zeros=True))
            trial = {**coordinates, s: mpmath.mpf(middle.p) / middle.q}
            found = value(trial)
            candidate = {**current, s: middle}
            if found > best and objective.allows(tuple(float(candidate[t]) for t in symbols)) and (
                objective.sampler is None or objective.sampler.allows(candidate)
            ):
                current, coordinates, best = candidate, trial, found
    return current
