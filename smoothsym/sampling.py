"""Points drawn from a declared domain: random ones and the edge points where claims break.

A point maps each symbol to an exact rational, so a failing point can be printed exactly,
shrunk towards small integers and replayed at any precision. The ``Sampler`` honours each
symbol's SymPy assumptions (positive, nonnegative, integer, nonzero, ...) and the domain's
constraints (``x + y >= 0``, ``Ne(x, 0)``), and always includes the edge points: zero, ties
(x = y), and large magnitudes where k*x is around 10^3.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True); k = sp.Symbol("k", positive=True)
>>> s = Sampler((x, k), (sp.Ne(x, 0),), seed=1)
>>> pts = s.points(10)
>>> all(p[k] > 0 and p[x] != 0 for p in pts)
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy as sp

Point = dict  # dict[sp.Symbol, sp.Rational]

SIMPLE_VALUES = tuple(
    sp.Rational(v)
    for v in ("0", "1", "-1", "2", "-2", "1/2", "-1/2", "3", "-3", "1/3", "-1/3", "3/2", "-3/2", "5", "-5", "10", "-10")
)
LARGE = sp.Integer(1000)  # |k x| around 10^3: e^(k x) far beyond float64, easy for mpmath
MAX_TIE_PAIRS = 6  # edge points stay few when a claim has many variables
MAX_LARGE_SYMBOLS = 3


def complexity(value: sp.Rational) -> int:
    """How far a rational is from simple: |numerator| + denominator."""
    return abs(int(value.p)) + int(value.q)


def point_text(point: Point) -> dict[str, str]:
    """A point as ``{name: "exact value"}``, in declaration order."""
    return {s.name: str(v) for s, v in point.items()}


_SIGN_TESTS = {
    sp.StrictGreaterThan: lambda d: d > 0,
    sp.GreaterThan: lambda d: d >= 0,
    sp.StrictLessThan: lambda d: d < 0,
    sp.LessThan: lambda d: d <= 0,
    sp.Ne: lambda d: d != 0,
    sp.Eq: lambda d: d == 0,
}


@lru_cache(maxsize=1024)
def _difference_function(constraint: sp.Basic, symbols: tuple):
    return sp.lambdify(symbols, constraint.lhs - constraint.rhs, modules="mpmath")


def _holds(constraint: sp.Basic, point: Point) -> bool:
    """Whether a constraint holds at a point: decided by the sign of lhs - rhs at 30 digits when
    that sign is clear (fast, and SymPy's subs is slow on exp and log), exactly otherwise."""
    test = _SIGN_TESTS.get(type(constraint))
    if test is not None:
        symbols = tuple(sorted(constraint.free_symbols, key=lambda s: s.name))
        try:
            with mpmath.workdps(30):
                difference = _difference_function(constraint, symbols)(*(mpmath.mpf(point[s].p) / point[s].q for s in symbols))
            if isinstance(difference, mpmath.mpf) and abs(difference) > mpmath.mpf(10) ** -20:
                return bool(test(difference))
        except (KeyError, ZeroDivisionError, ValueError, TypeError, OverflowError):
            pass
    truth = constraint.subs(point)
    if truth not in (sp.true, sp.false):
        truth = sp.sympify(truth).evalf(60) if hasattr(truth, "evalf") else truth
    return truth is sp.true or truth == True  # noqa: E712 (SymPy booleans)


@dataclass(frozen=True, slots=True)
class Sampler:
    """Draws points of ``symbols`` allowed by their assumptions and by ``constraints``."""

    symbols: tuple
    constraints: tuple = ()
    seed: int = 0

    # -- what is allowed ----------------------------------------------------------
    def admits_value(self, symbol: sp.Symbol, value: sp.Rational) -> bool:
        """Whether ``value`` satisfies the symbol's own assumptions."""
        a = symbol.assumptions0
        if a.get("integer") and value.q != 1:
            return False
        if a.get("positive") and not value > 0:
            return False
        if a.get("nonnegative") and not value >= 0:
            return False
        if a.get("negative") and not value < 0:
            return False
        if a.get("nonpositive") and not value <= 0:
            return False
        if (a.get("nonzero") or a.get("zero") is False) and value == 0:
            return False
        return True

    def allows(self, point: Point) -> bool:
        """Whether a point satisfies every assumption and every constraint."""
        if not all(self.admits_value(s, v) for s, v in point.items()):
            return False
        return all(_holds(c, point) for c in self.constraints)

    # -- drawing ------------------------------------------------------------------
    def _fit(self, symbol: sp.Symbol, value: sp.Rational) -> sp.Rational:
        """Nudge a raw value towards the symbol's assumptions (sign, integrality)."""
        a = symbol.assumptions0
        if a.get("integer"):
            value = sp.Integer(round(value))
        if a.get("positive") or a.get("nonnegative"):
            value = abs(value)
        if a.get("negative") or a.get("nonpositive"):
            value = -abs(value)
        if value == 0 and (a.get("positive") or a.get("negative") or a.get("nonzero")):
            value = sp.Integer(-1 if a.get("negative") else 1)
        return value

    def _draw(self, rng: random.Random) -> sp.Rational:
        kind = rng.random()
        if kind < 0.2:
            return sp.Integer(rng.randint(-5, 5))
        if kind < 0.35:
            return sp.Rational(rng.randint(-20, 20), rng.choice((2, 3, 4, 5, 8, 10)))
        if kind < 0.75:
            return sp.Rational(Fraction(f"{rng.uniform(-10, 10):.4f}"))
        if kind < 0.92:
            magnitude = 10 ** rng.uniform(-3, 2)
            return sp.Rational(Fraction(f"{magnitude:.4g}")) * rng.choice((1, -1))
        return sp.Rational(Fraction(f"{10 ** rng.uniform(2.5, 3.2):.4g}")) * rng.choice((1, -1))

    def random_points(self, count: int) -> list[Point]:
        rng = random.Random(self.seed)
        found: list[Point] = []
        for _ in range(200 * max(count, 1)):
            if len(found) >= count:
                break
            point = {s: self._fit(s, self._draw(rng)) for s in self.symbols}
            if self.allows(point):
                found.append(point)
        return found

    def edge_points(self) -> list[Point]:
        """Zero, ones, ties and large magnitudes, each kept only where the domain allows it."""
        rng = random.Random(self.seed + 7919)
        syms = self.symbols
        base = [
            {s: self._fit(s, sp.Integer(0)) for s in syms},
            {s: self._fit(s, sp.Integer(1)) for s in syms},
            {s: self._fit(s, sp.Integer(-1)) for s in syms},
            {s: self._fit(s, sp.Integer(2 if i % 2 else -1)) for i, s in enumerate(syms)},
        ]
        ties = []
        for a, b in self._tie_pairs():
            for value in (sp.Integer(0), sp.Rational(3, 2), sp.Rational(-3, 2)):
                point = {s: self._fit(s, self._draw(rng)) for s in syms}
                point[a] = point[b] = self._fit(a, value)
                ties.append(point)
        if len(syms) > 2:  # every coordinate tied: the slowest case of a smooth max
            ties.append({s: self._fit(s, sp.Rational(3, 2)) for s in syms})
        large = []
        for s in syms[:MAX_LARGE_SYMBOLS]:
            for sign in (1, -1):
                point = {t: self._fit(t, sp.Integer(1)) for t in syms}
                point[s] = self._fit(s, sign * LARGE)
                large.append(point)
        large.append({s: self._fit(s, LARGE * (1 if i % 2 else -1)) for i, s in enumerate(syms)})
        # every coordinate large and of one sign: all the arguments of a max negative (or
        # positive) at once, which random points almost never give for many variables
        large += [{s: self._fit(s, sign * LARGE) for s in syms} for sign in (1, -1)]
        return [p for p in base + ties + large if self.allows(p)]

    def _tie_pairs(self) -> list[tuple]:
        """Pairs of like symbols to tie: all pairs for a few symbols, neighbours beyond that
        (n variables would otherwise give n(n-1)/2 pairs)."""
        syms = self.symbols
        pairs = [(a, b) for i, a in enumerate(syms) for b in syms[i + 1:] if a.assumptions0 == b.assumptions0]
        if len(pairs) <= MAX_TIE_PAIRS:
            return pairs
        neighbours = [(a, b) for a, b in zip(syms, syms[1:]) if a.assumptions0 == b.assumptions0]
        return neighbours[: MAX_TIE_PAIRS - 1] + [p for p in pairs[-1:] if p not in neighbours]

    def points(self, count: int) -> list[Point]:
        """The edge points, then ``count`` random points; duplicates removed, order kept."""
        seen, result = set(), []
        for p in self.edge_points() + self.random_points(count):
            key = tuple(p[s] for s in self.symbols)
            if key not in seen:
                seen.add(key)
                result.append(p)
        return result

    def simpler(self, point: Point) -> list[Point]:
        """Allowed points one step simpler than ``point``: one coordinate replaced by a simple
        value or by a rounding of itself (the candidates for shrinking a counterexample)."""
        candidates = []
        for s in self.symbols:
            v = point[s]
            options = list(SIMPLE_VALUES) + [sp.Integer(round(v)), sp.Rational(round(v * 2), 2), sp.Rational(round(v * 10), 10)]
            for o in options:
                if complexity(o) < complexity(v) or (complexity(o) == complexity(v) and abs(o) < abs(v)):
                    candidate = dict(point)
                    candidate[s] = o
                    if self.allows(candidate):
                        candidates.append(candidate)
        candidates.sort(key=lambda p: sum(complexity(v) for v in p.values()))
        return candidates
