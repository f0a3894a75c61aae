"""Numeric evidence, rigorous where it decides: equality at sample points and limits along k.

Every comparison is made with ball arithmetic (Arb, ``balls.py``) at exact point values
(rationals, and algebraic points such as sqrt(2) where a claim breaks): the precision is
doubled until the ball of lhs - rhs either excludes 0, a *certified* counterexample, or is
narrower than the tolerance

    |lhs - rhs| <= 10^-(digits - 3) * max(1, |lhs|, |rhs|)

(mpmath's ``almosteq`` convention), so the tolerance follows from the precision alone and no
digit lost to cancellation can pass for a disagreement. A point the precision budget cannot
decide (``CheckSettings.max_bits``) is counted as undecided, never as a verdict. A
failing point is shrunk towards small integers and simple rationals (only to points that
still fail with certainty) and replayed at twice the digits. Where Arb lacks a function, mpmath
at doubling precision is the fallback; its counterexamples say they are not certified, and a step
they contradict is disputed, not refuted (checks._judge).
"""

from __future__ import annotations

import itertools
import math
import re
import time
from dataclasses import dataclass
from functools import cached_property, lru_cache

import mpmath
import sympy as sp
from flint import acb, arb, fmpq
from flint import ctx as flint_ctx
from sympy.printing.pycode import MpmathPrinter

from . import balls, extremes, symbolic
from .sampling import (Point, Sampler, _classified, _linear_root, _zero_factors, break_points, critical_expressions, point_text,
                       real_roots, to_mpmath, unnamed_roots, value_code)
from .errors import StepTimeout
from .settings import CheckSettings
from .timelimit import time_limit
from .verdict import ConvergenceEvidence, ConvergencePath, Counterexample, NumericEvidence

# e^z with |Re z| beyond this cannot be computed in reasonable time: mpmath reduces z modulo
# ln 2, which needs as many digits of ln 2 as z has before its point (e^{e^{kx}} at k x = 10^6
# would take ~40 s per value). Such a point is "beyond range": skipped and counted, never a
# counterexample and never a pass.
EXP_ARGUMENT_LIMIT = mpmath.mpf(10) ** 100


class BeyondRange(ArithmeticError):
    """A value too large for mpmath to compute in reasonable time (see EXP_ARGUMENT_LIMIT)."""


BEYOND = "beyond range"  # the value of an expression at a point beyond range


def _exp(z):
    if abs(mpmath.re(z)) > EXP_ARGUMENT_LIMIT:
        raise BeyondRange(f"e^z with |z| = {mpmath.nstr(abs(mpmath.re(z)), 3)}")
    return mpmath.exp(z)


# Functions mpmath lacks under SymPy's names, or whose SymPy meaning differs.
def _dirac_delta(x, order=0):
    """0 off its support; at x = 0 no number: undefined there (ValueError), never a value."""
    if x == 0:
        raise ValueError("DiracDelta at its support")
    return mpmath.mpf(0)


_MPMATH_EXTRAS = {
    "Heaviside": lambda x, h0=mpmath.mpf(1) / 2: mpmath.mpf(0) if x < 0 else (h0 if x == 0 else mpmath.mpf(1)),
    "DiracDelta": _dirac_delta,
    "sign": mpmath.sign,
    "exp": _exp,
}


class _ExactIntegerPrinter(MpmathPrinter):
    """Prints integers as mpf: a bare Python 1 in a Piecewise branch would make 1/(1 + 1 + 1)
    a float division, computed in double precision."""

    def _print_Integer(self, expr):
        return f"mpf({expr.p})"


@lru_cache(maxsize=4096)
def compiled(expr: sp.Basic, symbols: tuple) -> object:
    """``expr`` as a Python function of ``symbols`` on mpmath numbers (lambdify, cached)."""
    # unqualified names, so that exp, Heaviside and sign resolve to _MPMATH_EXTRAS first
    printer = _ExactIntegerPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})
    return sp.lambdify(symbols, expr, modules=[_MPMATH_EXTRAS, "mpmath"], printer=printer)


def _raw_value(function, point_values: tuple, dps: int):
    """One evaluation at ``dps`` digits; None where the expression is undefined, BEYOND where it
    is too large to compute."""
    with mpmath.workdps(dps):
        args = [to_mpmath(v) for v in point_values]
        try:
            value = function(*args)
        except BeyondRange:
            return BEYOND
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        if value is None:
            return None
        try:
            value = mpmath.mpmathify(value)
        except (TypeError, ValueError):
            return None
        if mpmath.isnan(value):
            return None
        if isinstance(value, mpmath.mpc) and value.imag == 0:
            value = value.real
        return +value


def _difference(a, b):
    """|a - b| / max(1, |a|, |b|) (mpmath's almosteq scale); None where either is undefined."""
    if a is None or b is None:
        return None
    if mpmath.isinf(a) or mpmath.isinf(b):
        return mpmath.inf if a != b else mpmath.mpf(0)
    return abs(a - b) / max(mpmath.mpf(1), abs(a), abs(b))


def _close(a, b, digits: int) -> bool:
    """Both undefined, or equal to ``digits`` digits relative to max(1, |a|, |b|)."""
    if a is None and b is None:
        return True
    error = _difference(a, b)
    return error is not None and error <= mpmath.mpf(10) ** (-digits)


@dataclass(frozen=True, slots=True)
class Value:
    """A value (None where undefined, BEYOND past mpmath's range) and the digits it took."""

    value: object
    dps: int


def stable_value(expr: sp.Basic, symbols: tuple, point: Point, digits: int, max_digits: int) -> Value:
    """``expr`` at ``point``, correct to ``digits`` digits relative to max(1, |value|).

    Evaluated at digits + 10 and at twice that, doubling until two successive results agree.
    An infinite value is retried up to ``max_digits``, then called beyond range.
    """
    function = compiled(expr, symbols)
    values = tuple(point[s] for s in symbols)
    dps = digits + 10
    previous = _raw_value(function, values, dps)
    if previous is BEYOND:
        return Value(BEYOND, dps)
    while True:
        dps *= 2
        current = _raw_value(function, values, dps)
        if current is BEYOND:
            return Value(BEYOND, dps)
        # an infinity at a finite point is never believed: at 120 digits e^{e^{-1000}} is exactly
        # 1 and ln(ln 1) = -inf, where the true value is -1000 (480 digits see it). One that
        # persists to max_digits is beyond range: skipped and counted, never a verdict.
        infinite = current is not None and mpmath.isinf(current)
        if infinite and dps >= max_digits:
            return Value(BEYOND, dps)
        if _close(previous, current, digits + 2) and not infinite:
            return Value(current, dps)
        if dps >= max_digits:
            return Value(current, dps)
        previous = current


def fmt(value, digits: int = 6) -> str:
    """A number as short text: ``None`` is 'undefined'."""
    if value is None:
        return "undefined"
    if isinstance(value, mpmath.mpc):
        return f"{mpmath.nstr(value.real, digits)}{'+' if value.imag >= 0 else '-'}{mpmath.nstr(abs(value.imag), digits)}i"
    text = mpmath.nstr(value, digits)
    mantissa, _, exponent = text.partition("e")
    if len(exponent) > 12:  # e^(-10^512) at a far point: its exponent has 512 digits of its own
        sign = "-" if exponent.startswith("-") else ""
        return f"{mantissa}e{sign}{mpmath.nstr(mpmath.mpf(exponent.lstrip('+-')), 3)}"
    return text


def relevant_symbols(symbols: tuple, *exprs: sp.Basic) -> tuple:
    """The declared symbols that occur in ``exprs``, in declaration order."""
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    return tuple(s for s in symbols if s in free)


def _assumption_args(symbol: sp.Symbol) -> str:
    """The assumptions a symbol was declared with, as keyword arguments."""
    declared = getattr(symbol, "_assumptions_orig", None) or symbol.assumptions0
    return "".join(f", {k}={v}" for k, v in sorted(declared.items()))


class _ExactStrPrinter(sp.printing.str.StrPrinter):
    """SymPy's str, with each rational written S(p)/q: pasted into Python, 1/3 is 0.333."""

    def _print_Rational(self, expr):
        return f"-S({-expr.p})/{expr.q}" if expr.p < 0 else f"S({expr.p})/{expr.q}"


def _code(expr) -> str:
    """An expression as Python that rebuilds it exactly: x + S(1)/3, not x + 0.333."""
    return _ExactStrPrinter().doprint(sp.sympify(expr))


def reproduce_line(lhs: sp.Basic, rhs: sp.Basic, point: Point, digits: int) -> str:
    """One pasteable line that recomputes the difference at the point with SymPy's evalf."""
    syms = sorted(point, key=lambda s: s.name)
    decl = "; ".join(f"{s.name} = sp.Symbol({s.name!r}{_assumption_args(s)})" for s in syms)
    subs = ", ".join(f"{s.name}: {value_code(point[s])}" for s in syms)
    return (
        f"python -c \"import sympy as sp; from sympy import *; {decl}; "
        f"print(sp.N(({_code(lhs)}) - ({_code(rhs)}), {digits}, subs={{{subs}}}))\""
    )



# -- the mpmath fallback (functions Arb cannot evaluate) --------------------------------

@dataclass(frozen=True, slots=True)
class _MpPointOutcome:
    """Both sides at one point (the mpmath fallback); ``error`` is relative, None where one side only is undefined."""

    point: Point
    lhs: object
    rhs: object
    error: object
    dps: int
    fails: bool

    @property
    def judged(self) -> bool:
        """False where the point says nothing: both sides undefined, or beyond mpmath's range."""
        both_undefined = self.lhs is None and self.rhs is None
        return not (both_undefined or self.lhs is BEYOND or self.rhs is BEYOND)


def _removable_singularity(lhs, rhs, symbols, point, digits, max_digits, tolerance) -> bool:
    """Whether a point where only one side is undefined is a removable singularity: both sides
    defined and equal (to the full tolerance) at the two nearby points point +- 10^-(digits/2).

    Why: SymPy writes d/dt t^(2k+1) as (2k+1) t^(2k+1)/t, undefined at t = 0 where the claim
    (2k+1) t^(2k) is 0; a gap at one point is not a wrong claim. A side undefined on a whole
    region stays undefined nearby, so it is still a counterexample. Integer symbols are not moved."""
    delta = sp.Rational(1, 10 ** (digits // 2))
    movable = [s for s in symbols if not s.is_integer]
    if not movable:
        return False
    for sign in (1, -1):
        nearby = {s: (v + sign * delta if s in movable else v) for s, v in point.items()}
        a = stable_value(lhs, symbols, nearby, digits, max_digits).value
        b = stable_value(rhs, symbols, nearby, digits, max_digits).value
        if a is None or b is None or a is BEYOND or b is BEYOND:
            return False
        error = _difference(a, b)
        if error is None or error > tolerance:
            return False
    return True


def _compare_at_mpmath(lhs, rhs, symbols, point, digits, max_digits, tolerance_digits, relation) -> _MpPointOutcome:
    a = stable_value(lhs, symbols, point, digits, max_digits)
    b = stable_value(rhs, symbols, point, digits, max_digits)
    dps = max(a.dps, b.dps)
    if (a.value is None and b.value is None) or a.value is BEYOND or b.value is BEYOND:
        return _MpPointOutcome(point, a.value, b.value, None, dps, fails=False)
    tolerance = mpmath.mpf(10) ** (-tolerance_digits)
    if (a.value is None) != (b.value is None) and _removable_singularity(
        lhs, rhs, symbols, point, digits, max_digits, tolerance
    ):
        return _MpPointOutcome(point, None, None, None, dps, fails=False)
    if relation == "<=":
        # lhs <= rhs up to the tolerance; the "error" is how far lhs exceeds rhs
        if a.value is None or b.value is None or isinstance(a.value, mpmath.mpc) or isinstance(b.value, mpmath.mpc):
            return _MpPointOutcome(point, a.value, b.value, None, dps, fails=True)
        if mpmath.isinf(a.value) or mpmath.isinf(b.value):
            return _MpPointOutcome(point, a.value, b.value, mpmath.mpf(0), dps, fails=not a.value <= b.value)
        excess = (a.value - b.value) / max(mpmath.mpf(1), abs(a.value), abs(b.value))
        return _MpPointOutcome(point, a.value, b.value, max(excess, mpmath.mpf(0)), dps, fails=excess > tolerance)
    error = _difference(a.value, b.value)
    fails = error is None or error > tolerance
    return _MpPointOutcome(point, a.value, b.value, error, dps, fails)


# -- the rigorous comparison at one point (Arb balls) --------------------------------------
#
# Each side is evaluated as a ball at exact point values, the precision doubled until the
# difference's ball either excludes 0 (a certified disagreement: the claim is false there,
# whatever digits were lost on the way) or is narrower than the tolerance (agreement to it).
# A value that stays undecided within the point's budget is said to be so: never a refutation.

AGREE, DIFFER, SKIP, UNDECIDED = "agree", "differ", "skip", "undecided"


@dataclass(frozen=True)
class _PointOutcome:
    """Both sides at one point and what they say.

    ``outcome`` is AGREE (within the tolerance), DIFFER (certified: the difference's ball
    excludes 0, or one side is certainly undefined where the other is not and their limits
    differ), SKIP (both sides undefined, or a removable singularity) or UNDECIDED (the budget
    ran out first). ``error`` is the relative difference (mpmath number) where both are known.
    ``sides`` are the two sides as found: acb balls at ``bits`` (the fallback's mpmath
    numbers), None or UNDEFINED where not known; ``lhs``, ``rhs`` and ``difference`` are their
    mpmath values, worked out only when asked for (the worst point, a counterexample): most
    points are only judged."""

    point: Point
    sides: tuple
    error: object
    bits: int
    outcome: str
    certified: bool = True
    note: str = ""

    @cached_property
    def lhs(self):
        return _shown(self.sides[0])

    @cached_property
    def rhs(self):
        return _shown(self.sides[1])

    @cached_property
    def difference(self):
        """lhs - rhs from the balls (their midpoints lose it to rounding), or None."""
        a, b = self.sides
        if not (isinstance(a, acb) and isinstance(b, acb)):
            return None
        with balls.working_bits(self.bits):
            return _to_mp(a - b)

    @property
    def fails(self) -> bool:
        return self.outcome == DIFFER

    @property
    def judged(self) -> bool:
        return self.outcome in (AGREE, DIFFER)

    @property
    def dps(self) -> int:
        return int(self.bits / 3.3219280948873626)


UNDEFINED = "undefined"


_TRANSCENDENTAL = (sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.erf)


def _cheap_to_decide(node: sp.Basic, point: Point) -> bool:
    """Whether SymPy can evaluate ``node`` at the point quickly: an algebraic node, or small point
    values. (At x = 1000, SymPy asks whether e^{e^x} - ... is negative by evaluating it with
    mpmath, a minute per call; such a node stays undecided instead.)"""
    if all(abs(point[s]) <= 50 for s in node.free_symbols if s in point):
        return True
    algebraic_powers = all(p.exp.is_Rational for p in node.atoms(sp.Pow))
    return algebraic_powers and not node.has(*_TRANSCENDENTAL)


def _decide_exactly(expr: sp.Basic, node: sp.Basic, point: Point) -> sp.Basic | None:
    """``expr`` with an undecided ``node`` replaced by its exact value at the point: a relation
    by true/false, an argument that SymPy shows to be exactly 0 by 0 (a tie or a pole at an
    algebraic point). None when SymPy cannot decide it either."""
    if node is None or not _cheap_to_decide(node, point):
        return None
    value = node.xreplace(point)
    if value in (sp.true, sp.false):
        return expr.xreplace({node: value})
    if value == 0 or (isinstance(value, sp.Expr) and value.is_zero):
        return expr.xreplace({node: sp.Integer(0)})
    return None


def _side(function, values, bits):
    """A side at ``bits``: a finite acb ball, UNDEFINED, None (not yet known at this
    precision), or the Undecided exception naming the node to decide exactly."""
    with balls.working_bits(bits):
        try:
            value = function(*values())
        except balls.Undecided as undecided:
            return undecided
        except (balls.Undefined, ZeroDivisionError):
            return UNDEFINED
    if not balls.is_finite(value):
        return None
    return value


def _to_mp(z):
    """An acb ball's midpoint as an mpmath number of 40 digits (for display and rates)."""
    with mpmath.workdps(40):
        re = balls.midpoint(z.real)
        if balls.is_real(z):
            return re
        return mpmath.mpc(re, balls.midpoint(z.imag))


def _relative(diff, a, b):
    """|diff| / max(1, |a|, |b|) as an upper bound (arb) and the scale (arb lower bound)."""
    scale = max(abs(a).abs_lower(), abs(b).abs_lower(), arb(1))
    return abs(diff).abs_upper() / scale, scale


class _BallComparison:
    """Compares two expressions at points with ball arithmetic, under a per-point budget."""

    def __init__(self, lhs, rhs, symbols, settings, relation, allows=lambda point: True, nearby=None):
        self.lhs, self.rhs, self.symbols, self.relation = lhs, rhs, symbols, relation
        self.allows = allows  # nearby points of a gap are judged inside the domain only
        # the point moved by delta (Sampler.nearby: on an equality's surface, along it)
        self.nearby = nearby or (lambda point, delta: {s: (v + delta if not s.is_integer else v) for s, v in point.items()})
        self.settings = settings
        self.functions = (balls.ball_function(lhs, symbols), balls.ball_function(rhs, symbols))
        self.tolerance = arb(10) ** (-settings.tolerance_digits)

    def _values(self, point):
        """The point's coordinates as exact balls at the working precision, made once per
        precision: both sides, and each retry at the same bits, share them (balls are values)."""
        made: dict = {}

        def values():
            bits = flint_ctx.prec
            if bits not in made:
                made[bits] = [balls.exact_ball(point[s]) for s in self.symbols]
            return made[bits]

        return values

    def sides(self, point, digits):
        """(lhs, rhs, bits): each a finite ball, UNDEFINED, or None when the budget ran out.

        The first evaluation is at twice the starting precision: a point that agrees there with
        room to spare (its balls widened by 2^(bits/2), what halving the precision costs them,
        still agree) is what an agreement at the starting precision retried at twice the bits
        would give, at half the evaluations."""
        start = balls.digits_to_bits(digits + 10)
        bits = 2 * start
        deadline = time.monotonic() + self.settings.point_seconds
        exprs = [self.lhs, self.rhs]
        functions = list(self.functions)
        known = [None, None]
        order = (0, 1)
        values = self._values(point)
        while True:
            last = bits >= self.settings.max_bits  # the budget's last level: both sides are wanted
            for i in order:
                if known[i] is UNDEFINED:
                    continue
                if i == order[1] and known[order[0]] is None and not last:
                    # the first side is not known at these bits, so nothing is decided here
                    # whatever the other one is: it is evaluated at the level where it counts
                    # (a side whose pole or branch needs 10^5 bits left the other one to be
                    # computed, in vain, at every doubling)
                    continue
                value = _side(functions[i], values, bits)
                if isinstance(value, balls.Undecided):
                    # more digits cannot separate an exact tie: once they have been tried, SymPy decides it
                    decided = _decide_exactly(exprs[i], value.node, point) if bits >= 4 * start else None
                    if decided is not None:
                        exprs[i] = decided
                        try:
                            functions[i] = balls.ball_function(decided, self.symbols)
                        except balls.Unsupported:
                            pass
                        value = _side(functions[i], values, bits)
                    if isinstance(value, balls.Undecided):
                        value = None
                known[i] = value
            a, b = known
            if a is not None and b is not None:
                if a is UNDEFINED or b is UNDEFINED:
                    return a, b, bits
                with balls.working_bits(bits):
                    decision = self._decide(a, b)
                if decision == AGREE:
                    if self._agrees_widened(a, b, bits):
                        return a, b, bits
                    return self._confirmed(a, b, bits, functions, point)
                if decision is not None:
                    return a, b, bits
            if bits >= self.settings.max_bits or time.monotonic() > deadline:
                return known[0], known[1], bits
            bits *= 2
            order = (1, 0) if known[1] is None and known[0] is not None else (0, 1)  # the unknown side first

    def _agrees_widened(self, a, b, bits) -> bool:
        """Whether ``a`` and ``b`` (balls at ``bits``) still agree to the tolerance with their
        radii multiplied by 2^(bits/2): an agreement at half the bits, inferred, whose retry at
        twice those bits (these balls) found no certified difference."""
        factor = arb(2) ** (bits // 2)
        with balls.working_bits(bits):
            wide = [acb(arb(z.real.mid(), z.real.rad() * factor), arb(z.imag.mid(), z.imag.rad() * factor)) for z in (a, b)]
            return self._decide(*wide) == AGREE

    def _confirmed(self, a, b, bits, functions, point):
        """An agreement to the tolerance, retried once at twice the bits: a difference below the
        tolerance but not zero (sqrt(x^2 + 1) - x = 1/(2x) is off by 10^-61 relative at
        x = 10^30) is then still a certified counterexample. A true identity's ball keeps 0."""
        values = self._values(point)
        c = _side(functions[0], values, 2 * bits)
        d = _side(functions[1], values, 2 * bits)
        if not (isinstance(c, acb) and isinstance(d, acb)):
            return a, b, bits
        with balls.working_bits(2 * bits):
            if self.relation == "<=":
                differs = balls.is_real(c) and balls.is_real(d) and c.real - d.real > 0
            else:
                differs = balls.excludes_zero(c - d)
        return (c, d, 2 * bits) if differs else (a, b, bits)

    def _decide(self, a, b):
        """AGREE, DIFFER or None (not yet decided) for two finite balls."""
        if self.relation == "<=":
            if not (balls.is_real(a) and balls.is_real(b)):
                if a.imag.contains(0) and b.imag.contains(0):
                    return None
                return DIFFER  # a bound between non-real numbers is false
            excess = a.real - b.real
            _, scale = _relative(excess, a, b)
            if excess > 0:
                return DIFFER
            if (excess - self.tolerance * scale) <= 0:
                return AGREE
            return None
        diff = a - b
        if balls.excludes_zero(diff):
            return DIFFER
        bound, _ = _relative(diff, a, b)
        if bound <= self.tolerance:
            return AGREE
        return None

    def error(self, a, b):
        """The relative difference; for a bound signed: negative is the margin by which it holds."""
        if self.relation == "<=":
            excess = a.real - b.real
            return _to_mp(acb(excess / _relative(excess, a, b)[1]))
        diff = a - b
        return _to_mp(acb(abs(diff) / _relative(diff, a, b)[1]))

    def at(self, point, digits) -> _PointOutcome:
        a, b, bits = self.sides(point, digits)
        if a is None or b is None:
            return _PointOutcome(point, (a, b), None, bits, UNDECIDED, note="budget ran out")
        if a is UNDEFINED and b is UNDEFINED:
            return _PointOutcome(point, (None, None), None, bits, SKIP, note="both sides undefined")
        if a is UNDEFINED or b is UNDEFINED:
            return self._one_side_undefined(point, a, b, bits, digits)
        with balls.working_bits(bits):
            decision = self._decide(a, b)
            error = self.error(a, b) if decision is not None else None
        if decision is None:
            return _PointOutcome(point, (a, b), None, bits, UNDECIDED, note="budget ran out")
        return _PointOutcome(point, (a, b), error, bits, decision)

    def _one_side_undefined(self, point, a, b, bits, digits) -> _PointOutcome:
        """One side is certainly undefined: a removable gap (skipped) when both sides have the
        same limit there, judged from nearby points point +- delta, delta = 2^-40 and 2^-80;
        otherwise a counterexample."""
        movable = [s for s in self.symbols if not s.is_integer]
        sides = [sign for sign in (1, -1) if self.allows(self.nearby(point, sign * sp.Rational(1, 2**40)))]
        if movable and sides:
            gaps = []
            for sign in sides:
                for delta in (sp.Rational(1, 2**40), sp.Rational(1, 2**80)):
                    nearby = self.nearby(point, sign * delta)
                    c, d, near_bits = self.sides(nearby, digits)
                    if c is None or d is None or c is UNDEFINED or d is UNDEFINED:
                        gaps = None
                        break
                    with balls.working_bits(near_bits):
                        gaps.append(_relative(c - d, c, d)[0])
                if gaps is None:
                    break
            if gaps is not None:
                pairs = [gaps[i:i + 2] for i in range(0, len(gaps), 2)]
                shrinking = all(far2 <= far / 2**20 or far2 <= self.tolerance for far, far2 in pairs)
                if shrinking:
                    return _PointOutcome(point, (a, b), None, bits, SKIP, note="removable singularity")
        side = "lhs" if a is UNDEFINED else "rhs"
        return _PointOutcome(point, (a, b), None, bits, DIFFER, note=f"{side} is undefined there and the other side is not")


def _shown(value):
    """A side as an mpmath number: a ball's midpoint, the fallback's number as it is, or None."""
    if value is None or value is UNDEFINED:
        return None
    return _to_mp(value) if isinstance(value, acb) else value


class _MpmathComparison:
    """The fallback where Arb cannot evaluate a function: mpmath at doubling precision. Its
    disagreements are replayed at twice the digits but are not certified."""

    def __init__(self, lhs, rhs, symbols, settings, relation, missing):
        self.lhs, self.rhs, self.symbols, self.settings, self.relation = lhs, rhs, symbols, settings, relation
        self.missing = missing

    def at(self, point, digits) -> _PointOutcome:
        max_digits = max(self.settings.max_digits, 4 * digits)
        old = _compare_at_mpmath(self.lhs, self.rhs, self.symbols, point, digits, max_digits,
                                 self.settings.tolerance_digits, self.relation)
        if not old.judged:
            outcome = SKIP
        else:
            outcome = DIFFER if old.fails else AGREE
        return _PointOutcome(point, (old.lhs, old.rhs), old.error, balls.digits_to_bits(old.dps), outcome,
                             certified=False, note=f"mpmath (Arb cannot evaluate {self.missing})")


def _comparison(lhs, rhs, symbols, settings, relation, allows, nearby=None):
    try:
        return _BallComparison(lhs, rhs, symbols, settings, relation, allows, nearby)
    except balls.Unsupported as exc:
        return _MpmathComparison(lhs, rhs, symbols, settings, relation, str(exc))


# A bound's supremum may be approached only as a coordinate tends to 0 or to infinity, beyond
# the search's reach (sin(x)/x <= 1 - 10^-30 fails at x = 10^-20 only, atan(x) <= pi/2 - 10^-30
# past x = 10^30 only, log log x <= 5 past x = e^148 ~ 10^64, x^(1/1000) <= 2 past 10^301): from
# the worst point found, each coordinate is also put at these values.
_FAR_AND_NEAR = tuple(sp.Integer(10) ** e * sign for e in (16, 32, 64, 128, 512, -16, -32, -64) for sign in (1, -1))


def _far_and_near(base: dict, sampler: Sampler) -> list:
    """``base`` with one coordinate at a time moved to each of _FAR_AND_NEAR, where allowed."""
    found = []
    for s in sampler.symbols:
        for value in _FAR_AND_NEAR:
            if s.is_integer and not value.is_integer:
                continue
            moved = dict(base)
            moved[s] = value
            if sampler.allows(moved):
                found.append(moved)
    return found


# A supremum approached only at a corner of the domain, every coordinate at its end at once: the
# Hellinger bound (1 + 10^-6)(1 - sqrt(pq) - sqrt((1 - p)(1 - q))) <= |q - p| on 0 < p, q < 1 fails
# only near p = 0 and q = 1 together (by 8e-7 at p = 10^-14, q = 1 - 10^-14), where no random
# point goes and one coordinate moved at a time does not reach; atan x + atan y <= pi - 10^-20
# fails only as x and y both grow. Each coordinate's ends: 0 for a signed symbol, a number a
# one-symbol constraint bounds it by (q < 1), or +-infinity; the corners are every combination of
# ends, at distances 10^-16, 10^-32, 10^-64 from the finite ones and at +-10^16, 10^32, 10^64.
_CORNER_EXPONENTS = (16, 32, 64)
_MAX_CORNERS = 8  # combinations of ends (three symbols with two ends each): more would add 48 points and up


def _ends(symbol: sp.Symbol, constraints: tuple) -> list:
    """The ends of a coordinate's range, each as a function of an exponent e giving the point
    10^-e from a finite end (relative to the end's size), or 10^e out towards an infinite one."""
    lower = upper = None
    if symbol.is_positive or symbol.is_nonnegative:
        lower = sp.Integer(0)
    if symbol.is_negative or symbol.is_nonpositive:
        upper = sp.Integer(0)
    for c in constraints:
        if not isinstance(c, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            continue
        if c.lhs == symbol and c.rhs.is_Rational:
            bound, below = c.rhs, isinstance(c, (sp.StrictLessThan, sp.LessThan))
        elif c.rhs == symbol and c.lhs.is_Rational:
            bound, below = c.lhs, isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan))
        else:
            continue
        if below:
            upper = bound if upper is None else min(upper, bound)
        else:
            lower = bound if lower is None else max(lower, bound)
    return [(lambda e, edge=edge, side=side: edge + side * sp.Integer(10) ** -e * max(sp.Integer(1), abs(edge)))
            if edge is not None else (lambda e, side=side: -side * sp.Integer(10) ** e)
            for edge, side in ((lower, 1), (upper, -1))]


def _corners(sampler: Sampler) -> list:
    """Points at the domain's corners, every coordinate near one of its ends at once (see
    _CORNER_EXPONENTS), where allowed; none for an integer symbol, only the two diagonal ones
    for too many combinations."""
    symbols = sampler.symbols
    if not symbols or any(s.is_integer for s in symbols):
        return []
    ends = [_ends(s, sampler.constraints) for s in symbols]
    # counted before listed: a sum over a symbolic n checked at n = 30 has 2^30 corners; beyond
    # _MAX_CORNERS only the two diagonal ones, every coordinate at its lower end or every one at
    # its upper end (a symmetric claim's: atan a + atan b + atan c + atan d <= 2 pi - 10^-20)
    if math.prod(len(e) for e in ends) > _MAX_CORNERS:
        combinations = [tuple(e[0] for e in ends), tuple(e[-1] for e in ends)]
    else:
        combinations = list(itertools.product(*ends))
    found = []
    for e in _CORNER_EXPONENTS:
        for chosen in combinations:
            point = {s: end(e) for s, end in zip(symbols, chosen)}
            if sampler.allows(point):
                found.append(point)
    return found


def equality_evidence(
    lhs: sp.Basic,
    rhs: sp.Basic,
    symbols: tuple,
    constraints: tuple,
    settings: CheckSettings,
    seed: int,
    what: str = "lhs = rhs",
    relation: str = "=",
    extra_points: tuple = (),
    written_reversed: bool = False,
):
    """NumericEvidence that ``lhs == rhs`` (or ``lhs <= rhs`` with relation "<=") at the sampled
    points, or the simplest Counterexample.

    ``symbols`` are the declared symbols; only those occurring are sampled. ``extra_points``
    (e.g. the worst points a search found for a bound) are checked too. ``written_reversed``:
    the user wrote the bound as ``rhs >= lhs``, so a counterexample shows their lhs (``rhs``
    here) as its lhs, as written.
    """
    syms = relevant_symbols(symbols, lhs, rhs, *constraints)
    usable = tuple(c for c in constraints if c.free_symbols <= set(syms))
    # the claim's exceptional points too; for a bound also where it is tight (lhs = rhs), whose
    # far side (x/(x + 10^30) <= 1/2 past x = 10^30) no random point reaches
    claims = (lhs, rhs) if relation == "=" else (lhs, rhs, lhs - rhs)
    sampler = Sampler(syms, usable, seed, claims=claims)
    tol_digits = settings.tolerance_digits
    tolerance = f"1e-{tol_digits} relative to max(1, |lhs|, |rhs|)"
    comparison = _comparison(lhs, rhs, syms, settings, relation, sampler.allows, sampler.nearby)

    def compare(point, digits):
        return comparison.at(point, digits)

    points = sampler.points(settings.points)
    searched = ""
    if relation == "<=" and syms:
        # a bound is searched, not only sampled: the maxima of lhs - rhs join the points
        found = extremes.worst_points(lhs - rhs, syms, sampler, seed=seed, budget_seconds=settings.search_seconds,
                                     sides=(lhs, rhs))
        base = found[0] if found else (points[0] if points else None)
        extra_points = (tuple(extra_points) + tuple(found) + tuple(_far_and_near(base, sampler) if base else ())
                        + tuple(_corners(sampler)))
        searched = f"searched for the maximum of lhs - rhs ({len(found)} local maxima)"
    points += [p for p in extra_points if set(p) == set(syms) and sampler.allows(p)]
    if not points:
        raise ValueError(f"no point satisfies the domain {', '.join(map(str, usable))} and the symbols' assumptions")
    outcomes = [compare(p, settings.digits) for p in points]
    for index, failure in enumerate(outcomes):
        if not failure.fails:
            continue
        shrunk = _shrink(failure, sampler, lambda p: compare(p, settings.digits))
        replay = compare(shrunk.point, settings.replay_digits)
        if not replay.fails:  # only the uncertified fallback can change its mind
            replay = compare(failure.point, settings.replay_digits)
            if not replay.fails:
                # a failure the replay does not confirm is no evidence either way: undecided,
                # never judged (its error may be none at all: a side undefined, 1e-37 off nearby)
                outcomes[index] = _PointOutcome(failure.point, failure.sides, None, failure.bits,
                                                UNDECIDED, failure.certified, "changed with the precision")
                continue
        return _counterexample(replay, lhs, rhs, what, tolerance, settings, seed, written_reversed)
    judged = [o for o in outcomes if o.judged]
    if not judged:
        undecided = sum(o.outcome == UNDECIDED for o in outcomes)
        raise ValueError(
            f"no sample point where {what} is defined and decidable ({len(outcomes)} tried, "
            f"{undecided} undecided within the budget); check the domain"
        )
    worst = max(judged, key=lambda o: o.error)  # none fails here, so every error is a number
    certified = all(o.certified for o in judged)
    max_error = worst.error
    if relation == "<=":
        max_error = max(worst.error, mpmath.mpf(0))
        if searched:
            searched += f"; closest to failing at {point_label_text(worst.point)}: (lhs - rhs)/max(1, |lhs|, |rhs|) = {fmt(worst.error, 3)}"
    return NumericEvidence(
        what=what,
        points=len(judged),
        digits=settings.digits,
        tolerance=tolerance,
        max_error=fmt(max_error, 3),
        worst_point=point_text(worst.point),
        seed=seed,
        skipped=sum(o.outcome == SKIP for o in outcomes),
        raised_to=max(o.dps for o in outcomes),
        undecided=sum(o.outcome == UNDECIDED for o in outcomes),
        oracle="Arb balls" if certified else judged[0].note,
        search=searched,
    )


TIE_STEP = sp.Rational(1, 10**6)  # the relative step either side of a near tie, to see the sides part
# The search polishes its best point to ~32 significant digits, so a tie it approaches is seen
# as a margin of about 10^-32 (|x - log 2| + y^2) or its square ((x e^x - 1)^2): margins below
# TIE_MARGIN (or the tolerance, whichever is larger) are what a tie looks like at that resolution.
TIE_MARGIN = mpmath.mpf(10) ** -30


def near_tie(smaller: sp.Basic, larger: sp.Basic, point: Point, symbols: tuple, constraints: tuple,
             settings: CheckSettings, seed: int):
    """Whether a strict bound smaller < larger may be exactly tight at a point no exact root
    names ((x e^x - 1)^2 > 0 at W(1), sin(x)^2 + cos(y)^2 > 0 at (0, pi/2) with its coordinates
    only approximated): at ``point`` (the bound's worst point found) the sides agree within
    TIE_MARGIN, yet a relative step of TIE_STEP in one coordinate, either way, parts them by
    more than it. A gap tending to 0 along the sampled range's edge (1/(1 + x^2) > 0 at x =
    10^32, x^3 > 0 at x = 10^-32 on x > 0) does not part so, or cannot step to both sides.

    Returns (margin, symbol) where the sides agree within TIE_MARGIN at the point: the margin
    (larger - smaller)/max(1, |smaller|, |larger|) as an mpmath number, and the coordinate that
    parts the sides (None where none does); else None."""
    syms = tuple(s for s in symbols if s in point)
    usable = tuple(c for c in constraints if c.free_symbols <= set(syms))
    sampler = Sampler(syms, usable, seed)
    comparison = _comparison(smaller, larger, syms, settings, "<=", sampler.allows, sampler.nearby)
    tolerance = max(mpmath.mpf(10) ** -settings.tolerance_digits, TIE_MARGIN)

    def margin(at):
        outcome = comparison.at(at, settings.digits)
        return -outcome.error if outcome.outcome == AGREE and outcome.error is not None else None

    here = margin(point)
    if here is None or here > tolerance:
        return None
    for s in syms:
        if s.is_integer:
            continue
        step = TIE_STEP * max(abs(point[s]), sp.Integer(1))
        moved = [{**point, s: point[s] + sign * step} for sign in (1, -1)]
        if not all(sampler.allows(m) for m in moved):
            continue
        parted = [margin(m) for m in moved]
        if all(m is not None and m > tolerance for m in parted):
            return here, s
    return here, None


def _counterexample(outcome: _PointOutcome, lhs, rhs, what, tolerance, settings, seed,
                    written_reversed: bool = False) -> Counterexample:
    note = outcome.note if outcome.lhs is None or outcome.rhs is None else ""
    difference = outcome.difference
    if difference is None and outcome.lhs is not None and outcome.rhs is not None:
        difference = outcome.lhs - outcome.rhs
    shown_lhs, shown_rhs = outcome.lhs, outcome.rhs
    if written_reversed:  # "previous >= claim" was checked as claim <= previous: shown as written
        lhs, rhs, shown_lhs, shown_rhs = rhs, lhs, shown_rhs, shown_lhs
        difference = -difference if difference is not None else None
        if note.startswith(("lhs ", "rhs ")):  # "lhs is undefined there and the other side is not"
            note = {"lhs": "rhs", "rhs": "lhs"}[note[:3]] + note[3:]
    return Counterexample(
        what=what,
        point=point_text(outcome.point),
        lhs=fmt(shown_lhs, 20),
        rhs=fmt(shown_rhs, 20),
        difference=fmt(difference, 6),
        tolerance=tolerance,
        digits=settings.digits,
        replay_digits=settings.replay_digits,
        seed=seed,
        reproduce=reproduce_line(lhs, rhs, outcome.point, settings.replay_digits),
        note=note,
        certified=outcome.certified,
    )


def _shrink(failure, sampler: Sampler, recheck):
    """Greedily replace coordinates by simpler values while the point still fails (a certified
    disagreement: a point that is merely undefined, skipped or undecided never attracts it)."""
    current = failure
    for _ in range(50):
        for candidate in sampler.simpler(current.point):
            outcome = recheck(candidate)
            if outcome.fails:
                current = outcome
                break
        else:
            return current
    return current


# -- limits -----------------------------------------------------------------------------
#
# A limit is followed at each point along k = 10, 10^2, ..., 10^6 and on to 10^64 (Arb computes
# at k = 10^64 as easily as at 10: the precision grows with the digits k needs). The error at
# each k is a ball. The path converges when the error is certified below the tolerance at the
# last k, or when the tail k = 10^16, 10^32, 10^48, 10^64 fits L + c r^j (any power law
# c k^-p is such a geometric sequence in j) and the extrapolated L (Aitken's delta-squared,
# exact for that model; or L + c/ln k + d/ln^2 k) is 0 within the fit's spread. It fails only
# on a certified gap: every tail error's ball excludes 0 with one sign and the fit extrapolates
# to a nonzero L, or the error is settled to ~84 digits, or it grows by more than 10^6.
# Anything else (ln(k)/k^(1/100), still growing at 10^64) is inconclusive, never a refutation.

TAIL_KS = (10**16, 10**32, 10**48, 10**64)
# where an error that fell below the tolerance at the last k only must still be below it (_follow)
CONFIRMING_K = 10**96
CONVERGES, FAILS, INCONCLUSIVE = "converges", "fails", "inconclusive"


@dataclass(frozen=True, slots=True)
class _PathOutcome:
    ks: list
    errors: list  # mpmath numbers (signed error relative to max(1, |target|)), None where undefined
    resolved: list  # False where the error is only known to be below the tolerance
    verdict: str | None  # CONVERGES, FAILS, INCONCLUSIVE, or None (too few values of k)
    reason: str = ""


def _limit_error(function, target_function, values, k_value, settings, deadline):
    """The error (expr - target)/max(1, |target|) at one k as a ball resolved to the working
    digits (the extrapolation differences them) or certified below the tolerance: (ball, resolved) | (UNDEFINED, _) | (None, _) when undecided."""
    tol = arb(10) ** (-settings.tolerance_digits)
    bits = balls.digits_to_bits(settings.digits + 10) + int(k_value).bit_length()
    while True:
        with balls.working_bits(bits):
            try:
                args = values() + [balls.exact_ball(k_value) if isinstance(k_value, sp.Rational) else acb(k_value)]
                value = function(*args)
                target = target_function(*args)
            except (balls.Undefined, ZeroDivisionError):
                return UNDEFINED, False
            except balls.Undecided:
                value = target = None
            if value is not None and balls.is_finite(value) and balls.is_finite(target):
                scale = max(abs(target).abs_lower(), arb(1))
                error = (value - target) / scale
                size = abs(error)
                if size.abs_upper() <= tol:
                    return error, False
                # the tail is differenced twice by the extrapolation: resolve it to twice the digits
                wanted = tol * tol if k_value >= TAIL_KS[0] else tol
                if size.rad() <= size.abs_lower() * wanted:
                    return error, True
        if bits >= 4 * settings.max_bits or time.monotonic() > deadline:
            return None, False
        bits *= 2


def _aitken(e0, e1, e2):
    """Aitken's delta-squared extrapolation of three successive terms (arb balls)."""
    denominator = e2 - 2 * e1 + e0
    if denominator.contains(0):
        return None
    return e2 - (e2 - e1) ** 2 / denominator


def _at_zero(us, es):
    """The polynomial through (u_j, e_j) evaluated at u = 0 (Lagrange; arb balls)."""
    total = arb(0)
    for j, (uj, ej) in enumerate(zip(us, es)):
        weight = arb(1)
        for m, um in enumerate(us):
            if m != j:
                weight *= arb(um) / (arb(um) - arb(uj))
        total += ej * weight
    return total


def _extrapolations(e):
    """(name, estimate from e[0..2], estimate from e[1..3]) for each model of the tail:
    L + c r^j (any power law c k^-p: Aitken's delta-squared, exact for it), and
    L + c/ln k + d/ln^2 k (logarithmic convergence, 1/ln k: polynomial extrapolation in 1/j,
    since ln k_j = 16 j ln 10 along the tail)."""
    found = []
    first, second = _aitken(*e[:3]), _aitken(*e[1:])
    if first is not None and second is not None:
        found.append(("geometric", first, second))
    us = [fmpq(1, j) for j in (1, 2, 3, 4)]
    found.append(("logarithmic", _at_zero(us[:3], e[:3]), _at_zero(us[1:], e[1:])))
    return found


def _tail_verdict(tail_balls, tolerance) -> tuple[str, str]:
    """The verdict of a path from its tail errors (real arb balls at TAIL_KS)."""
    e = tail_balls
    same_sign = all(b > 0 for b in e[1:]) or all(b < 0 for b in e[1:])
    settled = max(abs(a - b).abs_upper() for a in e for b in e) <= abs(e[-1]).abs_lower() * tolerance**2 * 10**10
    if settled and same_sign:
        # constant to ~84 digits over 48 decades of k (1/(1 + k (x - sqrt 2)^2) at x = sqrt 2)
        return FAILS, f"the error stays at {mpmath.nstr(_to_mp(acb(e[-1])), 6)} along k = 10^16..10^64 (every error's ball excludes 0)"
    shrinks = abs(e[-1]).abs_upper() < abs(e[0]).abs_lower()
    for model, first, second in _extrapolations(e):
        spread = abs(first - second).abs_upper() + first.rad() + second.rad()
        if not spread <= abs(e[-1]).abs_lower() / 1000 + tolerance:
            continue  # the model does not fit this tail
        limit = abs(second).abs_upper()
        estimate = f"{mpmath.nstr(_to_mp(acb(second)), 3)} +- {mpmath.nstr(_to_mp(acb(spread)), 2)} ({model} fit)"
        if limit <= 10 * spread + tolerance:
            if shrinks:  # Aitken also "sums" a growing geometric sequence to 0
                return CONVERGES, f"extrapolated error {estimate}"
            continue
        if same_sign and abs(second).abs_lower() > 10 * spread + tolerance and abs(second - e[-1]).abs_upper() <= abs(second).abs_lower():
            return FAILS, (f"the error tends to {mpmath.nstr(_to_mp(acb(second)), 6)}, extrapolated from "
                           f"k = 10^16..10^64 ({model} fit, every error's ball excludes 0)")
    shrinking = all(abs(b).abs_upper() < abs(a).abs_lower() for a, b in zip(e, e[1:]))
    if shrinking:
        return INCONCLUSIVE, "the error shrinks along k = 10^16..10^64 but too slowly to extrapolate"
    if _grows(e):
        return FAILS, "the error grows by more than 10^6 along k = 10^16..10^64 (every error's ball excludes 0)"
    # an error that neither fits nor shrinks may still be late: ln(k)/k^(1/100) grows until
    # k = e^100 ~ 10^43 and only then tends to 0. No refutation without a certified gap.
    return INCONCLUSIVE, "the error neither settles nor shrinks along k = 10^16..10^64"


def _follow(expr, target, var, syms, point, settings, digits) -> _PathOutcome:
    """The signed error of expr against target along settings.limit_ks at one point.

    At an irrational point (an exceptional one: x = sqrt 3, where k (x - sqrt 3) vanishes) the
    balls of x - sqrt 3 only contain 0, so a Heaviside or sign of it stays undecided at every
    precision; there the point is substituted exactly first, SymPy's own arithmetic making such
    an argument the exact 0 it is, and the limit followed in what remains."""
    outcome = _follow_balls(expr, target, var, syms, point, settings, digits)
    if outcome.verdict is None and not all(isinstance(v, sp.Rational) for v in point.values()):
        exact = _substituted_exactly((expr, target), point)
        if exact is not None:
            expr, target, syms, point = exact[0], exact[1], (), {}
            outcome = _follow_balls(expr, target, var, syms, point, settings, digits)
    if outcome.verdict != CONVERGES or var.is_integer:
        return outcome
    # k = 10^j lands on every zero of sin(pi k), k - floor(k), sin(pi log10 k): a real k is also
    # followed off the powers of ten, along the tail times OFF_GRID, and must converge there too
    off = _follow_balls(expr, target, var, syms, point, settings.replace(limit_ks=TAIL_KS), digits, factor=OFF_GRID)
    if off.verdict in (CONVERGES, None):  # None: beyond the budget there (erfc(x) e^(x^2) at x = 10^64 c), nothing against it
        return outcome
    return _PathOutcome(outcome.ks, outcome.errors, outcome.resolved, INCONCLUSIVE,
                        f"it converges along {var.name} = 10^j, but not along {var.name} = 10^16..10^64 times {OFF_GRID} "
                        f"(off the powers of ten: {off.reason or 'too few values'}; an oscillation?)")


# a factor off the powers of ten (its denominator 987 = 3 * 7 * 47 is prime to 10): sin(pi k c),
# frac(k c), sin(pi log10(k c)) are far from 0 along k = 10^j
OFF_GRID = sp.Rational(1597, 987)


def _substituted_exactly(exprs: tuple, point) -> tuple | None:
    """The expressions with the point's exact values put in (SymPy evaluating what it can), or
    None where that is not quick (a transcendental node at a large value, see _cheap_to_decide)."""
    if not all(_cheap_to_decide(e, point) for e in exprs):
        return None
    try:
        with time_limit(2.0):
            return tuple(sp.sympify(e).xreplace(point) for e in exprs)
    except StepTimeout:
        return None


MAX_PATH_EXPONENT = 4000  # a threshold beyond 10^4000 in k is not followed past


@lru_cache(maxsize=1024)
def _thresholds(expr: sp.Basic, target: sp.Basic, var: sp.Symbol) -> tuple:
    """Where expr or target changes character in var, in the other symbols (solved once per
    limit, not per point): their kinks and poles, and the centre of a smooth step
    1/(1 + e^(-(k - 10^70)/10^69)), where an exp, tanh, atan or erf argument linear in var vanishes."""
    found = []
    for e in (expr, target):
        centres = [r for node in e.atoms(sp.exp, sp.tanh, sp.atan, sp.erf) if var in node.args[0].free_symbols
                   for r in [_linear_root(node.args[0], var)] if r is not None]
        found += [sp.sympify(r) for r in (*break_points(e, var), *centres)]
    return tuple(found)


def _past_thresholds(expr, target, var, point) -> int:
    """1, or the power of 10 that puts the path past the largest kink or pole of the
    expression in the limit variable at this point, when that lies beyond 10^12: along k up
    to 10^64, Min(k, 10^70)/k is 1 throughout, yet its limit is 0. Past the last break the
    expression is what it will stay; the path is scaled by 10^e (k = 10 .. 10^64 times 10^e).
    So past the largest number the claim writes, too (symbolic.written_digits): k/(k + 10^300) - 1
    is -1 to 236 digits all along k <= 10^64, which looked settled, a certified gap."""
    largest = symbolic.written_digits(sp.sympify(expr), sp.sympify(target)) if var in sp.sympify(expr).free_symbols else 0
    for root in _thresholds(sp.sympify(expr), sp.sympify(target), var):
        try:
            value = sp.N(root.xreplace(point), 15)
        except Exception:  # noqa: BLE001 (a threshold that does not evaluate: not followed past)
            continue
        if value.is_real and value.is_finite and value > 0:
            largest = max(largest, int(mpmath.floor(mpmath.log10(mpmath.mpf(str(value))))) + 1)
    if largest <= 12:
        return 1
    return 10 ** min(largest, MAX_PATH_EXPONENT)


def _follow_balls(expr, target, var, syms, point, settings, digits, factor=1) -> _PathOutcome:
    """``_follow`` in ball arithmetic only; ``factor``: every k of the path times it."""
    all_syms = syms + (var,)
    function = balls.ball_function(expr, all_syms)
    target_function = balls.ball_function(target, all_syms)
    values = lambda: [balls.exact_ball(point[s]) for s in syms]
    deadline = time.monotonic() + settings.point_seconds * 4
    ks, errors, resolved, tail, nonreal = [], [], [], {}, set()
    settings = settings.replace(digits=digits)
    scale = _past_thresholds(expr, target, var, point) * factor
    tail_ks = [k * scale for k in TAIL_KS]
    for k in settings.limit_ks:
        k *= scale
        error, ok = _limit_error(function, target_function, values, k, settings, deadline)
        if error is None:  # beyond what the budget can compute (e^{e^{k x}} at k x = 10^16)
            break
        ks.append(k)
        if error is UNDEFINED:
            errors.append(None)
            resolved.append(False)
            continue
        if not balls.is_real(error) and not error.imag.contains(0):
            # non-real at small k only (sqrt(k/(k - 1000)) for k < 1000) says nothing of the limit
            errors.append(_to_mp(error))
            resolved.append(True)
            nonreal.add(k)
            continue
        errors.append(_to_mp(acb(error.real)))
        resolved.append(ok)
        tail[k] = error.real
    if len(ks) < MIN_LIMIT_KS:
        return _PathOutcome(ks, errors, resolved, None, "beyond range")
    tolerance = arb(10) ** (-settings.tolerance_digits)
    last = ks[-1]
    if errors[-1] is None:
        return _PathOutcome(ks, errors, resolved, FAILS, f"undefined at {var.name} = {last}")
    if last in nonreal:
        return _PathOutcome(ks, errors, resolved, FAILS, f"not real at {var.name} = {_k_text(last)}, the real target cannot be approached")
    if not resolved[-1]:
        if len(resolved) < 2 or not resolved[-2]:
            return _PathOutcome(ks, errors, resolved, CONVERGES, "below the tolerance")
        # below the tolerance at the last k only: a claimed limit that is the expression's value
        # at that k (1/ln k "tends to" 1/(64 ln 10)) looks so too. It must stay there further on.
        confirming = CONFIRMING_K * scale
        error, ok = _limit_error(function, target_function, values, confirming, settings, deadline)
        if error is None or error is UNDEFINED:
            return _PathOutcome(ks, errors, resolved, INCONCLUSIVE,
                                f"the error was below the tolerance at {var.name} = {_k_text(last)} only, and could not be "
                                f"followed to {var.name} = {_k_text(confirming)} to confirm it")
        ks.append(confirming)
        errors.append(_to_mp(acb(error.real)) if balls.is_real(error) or error.imag.contains(0) else _to_mp(error))
        resolved.append(ok)
        if not ok:
            return _PathOutcome(ks, errors, resolved, CONVERGES, "below the tolerance")
        return _PathOutcome(ks, errors, resolved, INCONCLUSIVE,
                            f"the error was below the tolerance at {var.name} = {_k_text(last)} only: it is "
                            f"{fmt(errors[-1], 3)} again at {var.name} = {_k_text(confirming)}")
    if all(k in tail for k in tail_ks):
        with balls.working_bits(4 * balls.digits_to_bits(digits)):  # the differences need the digits
            verdict, reason = _tail_verdict([tail[k] for k in tail_ks], tolerance)
            # still falling at the end, or growing (it may turn: (k/10^70) e^(-k/10^70) -> 0 grows up
            # to k = 10^70): followed on before any verdict but convergence
            late = verdict != CONVERGES and (_still_falling([tail[k] for k in tail_ks]) or _grows([tail[k] for k in tail_ks]))
        if late:
            return _followed_later(function, target_function, values, settings, deadline, scale, var, ks, errors, resolved)
        if scale > 1:
            reason += f" (k scaled by {_k_text(scale)}: past the expression's last kink or pole in {var.name})"
        return _PathOutcome(ks, errors, resolved, verdict, reason)
    # the path stopped before the far tail (the budget): judge by the old rule, never refute
    shrinking = [abs(e) for e in errors[-4:] if e is not None]
    if len(shrinking) >= 3 and all(b <= a / 2 for a, b in zip(shrinking, shrinking[1:])):
        return _PathOutcome(ks, errors, resolved, INCONCLUSIVE, f"shrinking, but followed only to {var.name} = {last}")
    return _PathOutcome(ks, errors, resolved, INCONCLUSIVE, f"followed only to {var.name} = {last}")


def _grows(tail) -> bool:
    """Whether a tail's error grows tenfold from each k to the next, and by more than 10^6 in all."""
    e = tail
    growing = all(abs(b).abs_lower() > 10 * abs(a).abs_upper() for a, b in zip(e, e[1:]))
    return bool(growing and abs(e[-1]).abs_lower() > 10**6 * abs(e[0]).abs_upper())


def _still_falling(tail) -> bool:
    """Whether a tail's error is still on its way down at its end: smaller in size at the last k
    than before, by a step larger than the one before it (k/(k + 10^60) - 1 is -1 to 12 digits up
    to k = 10^48 and -10^-4 at 10^64: it converges, only later than the path looked). Such a
    tail fits "L + c r^j" with L = -1 as well as a settled one does, and was refuted so."""
    e = tail
    last, before = abs(e[-1] - e[-2]), abs(e[-2] - e[-3])
    return bool(abs(e[-1]).abs_upper() < abs(e[-2]).abs_lower() and last.abs_lower() > before.abs_upper())


# an error still falling at k = 10^64 is followed on along tails of the same shape, equally spaced
# in log k (so the extrapolations' models keep their form): k = 10^(16 s j), j = 1..4
_LATER_SPREADS = (2, 4, 8, 16)


def _followed_later(function, target_function, values, settings, deadline, scale, var, ks, errors, resolved) -> _PathOutcome:
    """The path of a tail still falling or growing at k = 10^64, followed on to k = 10^128,
    10^256, 10^512, 10^1024 (times the path's scale; tails of the same shape, ``_LATER_SPREADS``):
    judged by the first of those tails that converges or fails on a settled gap; one that grows on
    all the way fails; any other end is inconclusive, never a refutation."""
    tolerance = arb(10) ** (-settings.tolerance_digits)
    ks, errors, resolved = list(ks), list(errors), list(resolved)
    note = f" (the error was still changing at {var.name} = 10^64: followed on)"
    growing = last_reason = ""
    for spread in _LATER_SPREADS:
        later = [10 ** (16 * spread * j) * scale for j in (1, 2, 3, 4)]
        tail = []
        for k in later:
            error, ok = _limit_error(function, target_function, values, k, settings, deadline)
            if error is None or error is UNDEFINED or not (balls.is_real(error) or error.imag.contains(0)):
                return _PathOutcome(ks, errors, resolved, INCONCLUSIVE,
                                    f"the error was still changing at {var.name} = 10^64 and could not be followed to "
                                    f"{var.name} = {_k_text(k)}")
            tail.append(error.real)
            if k > ks[-1]:
                ks.append(k)
                errors.append(_to_mp(acb(error.real)))
                resolved.append(ok)
        if not ok:  # certified below the tolerance at the far end
            return _PathOutcome(ks, errors, resolved, CONVERGES, f"below the tolerance at {var.name} = {_k_text(later[-1])}" + note)
        with balls.working_bits(4 * balls.digits_to_bits(settings.digits)):
            if _still_falling(tail):
                continue
            verdict, reason = _tail_verdict(tail, tolerance)
            grows = _grows(tail)
        reason = reason.replace("k = 10^16..10^64", f"{var.name} = 10^{16 * spread}..10^{64 * spread}") + note
        if verdict == CONVERGES or (verdict == FAILS and not grows):
            return _PathOutcome(ks, errors, resolved, verdict, reason)
        growing = reason if grows else ""
        last_reason = reason
    if growing:  # grown tenfold at every step out to 10^1024
        return _PathOutcome(ks, errors, resolved, FAILS, growing)
    return _PathOutcome(ks, errors, resolved, INCONCLUSIVE, last_reason or
                        f"the error was still falling at {var.name} = {_k_text(ks[-1])}: a limit this late is not judged")


def _rate(ks: list[int], errors: list, resolved: list[bool], var: str = "k", tolerance=None) -> str:
    """A convergence rate from errors along growing ``var`` (k, or the limit's own variable):
    c k^-p or c e^(-a k)."""
    pts = [(k, abs(e)) for k, e, r in zip(ks, errors, resolved) if e is not None and r and e != 0]
    if not pts:
        # an error of exactly 0 (the claim's sides the same at an exactly substituted point) is
        # only known to be below the tolerance, as every unresolved one
        first = next((e for e in errors if e), tolerance if tolerance is not None else mpmath.mpf(10) ** -50)
        return f"below 1e-{_exp10(first)} from {var} = {ks[0]} on (faster than any power)"
    slopes = [  # -d log|error| / d log k between successive resolved points
        float((mpmath.log(e1) - mpmath.log(e2)) / (mpmath.log(k2) - mpmath.log(k1)))
        for (k1, e1), (k2, e2) in zip(pts, pts[1:])
    ]
    if len(pts) >= 3:
        # a power law stays one even when its tail drops below the tolerance (ln 2 / k at 10^48)
        p = slopes[-1]
        if p > 0 and all(abs(q - p) <= 0.1 * p for q in slopes[-3:]):
            c = pts[-1][1] * mpmath.mpf(pts[-1][0]) ** p
            return f"~ {mpmath.nstr(c, 3)} {var}^-{p:.2f}"
    if len(pts) == 1 or len(pts) < len(ks) and pts[-1][0] != ks[-1]:
        (k1, e1) = pts[-2] if len(pts) > 1 else pts[-1]
        (k2, e2) = pts[-1]
        if k2 > k1:
            a = (mpmath.log(e1) - mpmath.log(e2)) / (k2 - k1)
            return f"~ c e^(-{mpmath.nstr(a, 3)} {var}) (exponential)"
        return f"{mpmath.nstr(e2, 3)} at {var} = {k2}, then below resolution (exponential)"
    p = slopes[-1]
    if p > 0 and slopes[0] > 0 and max(slopes) / max(min(slopes), 1e-9) > 1.5 and slopes[-1] > 2 * slopes[0]:
        (k1, e1), (k2, e2) = pts[-2], pts[-1]
        a = (mpmath.log(e1) - mpmath.log(e2)) / (k2 - k1)
        return f"~ c e^(-{mpmath.nstr(a, 3)} {var}) (exponential)"
    c = pts[-1][1] * mpmath.mpf(pts[-1][0]) ** p
    if p <= 0:  # the error does not shrink at the end: no rate of convergence to state
        return f"not shrinking: ~ {mpmath.nstr(c, 3)} {var}^{-p:.2f} at the last {var}"
    return f"~ {mpmath.nstr(c, 3)} {var}^-{p:.2f}"


def _exp10(value) -> int:
    return int(-mpmath.floor(mpmath.log10(abs(value)))) if value else 0


MIN_LIMIT_KS = 3  # values of k a path needs before it can say "converges" or "does not"


def _error_text(e, r, tolerance) -> str:
    """An error along the path: its value, or "<bound" where it is only known below the tolerance."""
    if e is None:
        return "undefined"
    return fmt(e, 4) if r else f"<{fmt(tolerance if e == 0 else abs(e), 1)}"


def limit_evidence(
    expr: sp.Basic,
    var: sp.Symbol,
    target: sp.Basic,
    symbols: tuple,
    constraints: tuple,
    settings: CheckSettings,
    seed: int,
    what: str,
):
    """ConvergenceEvidence that lim_{var -> oo} expr = target at sample points, or a Counterexample
    where a certified gap persists (shrunk to a simple point, replayed at twice the digits)."""
    syms = tuple(s for s in relevant_symbols(symbols, expr, target, *constraints) if s != var)
    usable = tuple(c for c in constraints if c.free_symbols <= set(syms))
    sampler = Sampler(syms, usable, seed, claims=(expr, target), limit=var)
    points = sampler.edge_points() + sampler.random_points(settings.limit_points)
    tolerance = mpmath.mpf(10) ** (-settings.tolerance_digits)
    if not points:
        raise ValueError(f"no point satisfies the domain {', '.join(map(str, usable))} and the symbols' assumptions")
    try:
        balls.ball_function(expr - target, syms + (var,))
    except balls.Unsupported as exc:
        raise ValueError(f"{what}: Arb cannot evaluate {exc}, so the limit cannot be followed far enough") from None

    def follow(point, digits):
        return _follow(expr, target, var, syms, point, settings, digits)

    paths, signs, beyond, inconclusive = [], set(), [], []
    for point in points:
        outcome = follow(point, settings.digits)
        if outcome.verdict is None:
            beyond.append(point)
            continue
        if outcome.verdict == FAILS:
            return _limit_counterexample(expr, var, target, syms, point, sampler, follow, settings, seed, what)
        if outcome.verdict == INCONCLUSIVE:
            inconclusive.append((point, outcome.reason))
        paths.append(ConvergencePath(
            point=point_text(point),
            ks=tuple(str(k) for k in outcome.ks),
            errors=tuple(_error_text(e, r, tolerance) for e, r in zip(outcome.errors, outcome.resolved)),
            rate=_rate(outcome.ks, outcome.errors, outcome.resolved, var.name, tolerance)
            + (f"; {outcome.reason}" if outcome.reason.startswith("extrapolated") else ""),
            converges=outcome.verdict == CONVERGES,
        ))
        signs.update(mpmath.sign(e) for e, r in zip(outcome.errors, outcome.resolved) if r and e is not None)
    for symbol, coefficient, root in _unnamed_coefficient_roots(expr, target, var, syms):
        point = {s: sp.Integer(1) for s in syms}
        point[symbol] = sp.Rational(str(root))
        own = Sampler((symbol,), tuple(c for c in usable if c.free_symbols <= {symbol}))
        if not own.allows({symbol: point[symbol]}):  # outside the domain (x > 2 leaves out 0.739...): nothing lost
            continue
        inconclusive.append((point, f"the coefficient {coefficient} of {var.name} vanishes at {symbol} = "
                                    f"{mpmath.nstr(root, 12)}..., a root no exact value is found for: the limit may differ "
                                    f"there, and no exact point there can be followed"))
    if not paths:
        raise ValueError(
            f"{what}: beyond what Arb can compute within the budget before {var.name} = "
            f"{settings.limit_ks[MIN_LIMIT_KS - 1]} at every point tried; nothing can be concluded"
        )
    if signs <= {1, 0}:
        sign = "always >= 0 (approaches from above)"
    elif signs <= {-1, 0}:
        sign = "always <= 0 (approaches from below)"
    else:
        sign = "both signs"
    return ConvergenceEvidence(
        what=what,
        variable=var.name,
        paths=tuple(paths),
        digits=settings.digits,
        error_sign=sign,
        slowest_rate=_slowest(paths),
        beyond_range=tuple(point_text(p) for p in beyond),
        inconclusive=tuple(f"{point_label_text(p)}: {reason}" for p, reason in inconclusive),
    )


@lru_cache(maxsize=1024)
def _factored(coefficient: sp.Expr) -> sp.Expr:
    """sympy.factor within 1 s, else the coefficient as it is: the coefficient of k in -k (p log p
    - 1)^2 comes expanded, and its double root has no sign change to find. Cached: every limit
    step of a derivation asks again for the same coefficients."""
    try:
        with time_limit(1.0):
            return sp.factor(coefficient)
    except StepTimeout:
        return coefficient
    except Exception:  # noqa: BLE001 (SymPy cannot factor it: as it is)
        return coefficient


def _unnamed_coefficient_roots(expr, target, var, syms) -> list:
    """(symbol, factor, root) for each factor of a coefficient of the limit variable in one
    symbol whose real roots SymPy names none of, but which has some (sampling.unnamed_roots):
    1/(1 + k (cos x - x)^2) -> 0 fails at x = 0.739085..., which no exact point reaches."""
    found = []
    for claim in (expr, target):
        for coefficient in _classified(sp.sympify(claim), var)[0]:
            for factor in _zero_factors(_factored(sp.sympify(coefficient))):
                if len(factor.free_symbols) != 1 or not factor.free_symbols <= set(syms):
                    continue
                (symbol,) = factor.free_symbols
                found += [(symbol, factor, root) for root in unnamed_roots(factor, symbol)
                          if not any(s == symbol and r == root for s, _, r in found)]
    return found


def point_label_text(point) -> str:
    """A point (symbols, or their names as a counterexample keeps them) as "x = 1, y = 1/2"; a
    far or tiny coordinate as a power of ten (10^512, not its 513 digits)."""
    return ", ".join(f"{getattr(s, 'name', s)} = {_short_number(v)}" for s, v in point.items()) or "(no symbols)"


def _power_of_ten(n: int) -> int | None:
    """e where |n| = 10^e (e > 20), else None."""
    digits = str(abs(n))
    return len(digits) - 1 if len(digits) > 21 and digits == "1" + "0" * (len(digits) - 1) else None


def _short_number(v):
    """10^e, -10^e or 10^-e for a coordinate that is one (an exact power far out or near 0), else v."""
    if isinstance(v, sp.Rational) and (v.p != 0):
        sign = "-" if v.p < 0 else ""
        if v.q == 1 and (e := _power_of_ten(v.p)) is not None:
            return f"{sign}10^{e}"
        if abs(v.p) == 1 and (e := _power_of_ten(v.q)) is not None:
            return f"{sign}10^-{e}"
    return v


_POWER_RATE = re.compile(r"^~ \S+ \w+\^-([0-9.]+)")
_UNMEASURED_RATE = re.compile(r"^([0-9.]+(?:e[-+]?[0-9]+)?) at \w+ = [0-9]+, then below resolution")
_EXPONENTIAL_RATE = re.compile(r"e\^\(-([0-9.]+(?:e[-+]?[0-9]+)?) \w+\)")


def _rate_rank(rate: str) -> tuple[int, float]:
    """How slowly a path's rate converges, slowest first: c k^-p by p, then c e^(-a k) by a, then
    an exponential whose rate was not measured (by its last error, larger first), then a path below
    the tolerance from the start.

    >>> sorted(["~ c e^(-1.0 k) (exponential)", "~ c e^(-0.0801 k) (exponential)", "~ 0.69 k^-1.00"], key=_rate_rank)
    ['~ 0.69 k^-1.00', '~ c e^(-0.0801 k) (exponential)', '~ c e^(-1.0 k) (exponential)']
    >>> sorted(["9.36e-14 at k = 10, then below resolution (exponential)",
    ...         "2.08e-8 at k = 10, then below resolution (exponential)"], key=_rate_rank)[0]
    '2.08e-8 at k = 10, then below resolution (exponential)'
    """
    power = _POWER_RATE.match(rate)
    if power:
        return (0, float(power.group(1)))
    exponential = _EXPONENTIAL_RATE.search(rate)
    if exponential:
        return (1, float(exponential.group(1)))
    unmeasured = _UNMEASURED_RATE.match(rate)
    if unmeasured:  # the larger error before it drops below resolution is the slower path
        return (2, -float(unmeasured.group(1)))
    return (2, 0.0) if "exponential" in rate else (3, 0.0)


def _slowest(paths) -> str:
    return min(paths, key=lambda path: _rate_rank(path.rate)).rate if paths else "-"


def _limit_counterexample(expr, var, target, syms, point, sampler, follow, settings, seed, what):
    def fails(p):
        return follow(p, settings.digits).verdict == FAILS

    current = point
    for _ in range(30):
        for candidate in sampler.simpler(current):
            if fails(candidate):
                current = candidate
                break
        else:
            break
    outcome = follow(current, settings.replay_digits)
    if outcome.verdict != FAILS:
        current = point
        outcome = follow(current, settings.replay_digits)
    if outcome.verdict != FAILS:  # did not survive replay at higher precision
        raise ValueError(f"{what}: the limit check at {point_text(current)} changes with the precision")
    ks, errors = outcome.ks, outcome.errors
    full = dict(current)
    full[var] = sp.Integer(ks[-1])
    all_syms = syms + (var,)
    value = _display_value(expr, all_syms, full, settings)
    goal = _display_value(target, all_syms, full, settings)
    trail = ", ".join(f"{_k_text(k)}: {fmt(e, 3)}" for k, e in zip(ks, errors))
    # the errors are relative to max(1, |target|): say so where that is not the plain difference
    relative = goal is not None and goal is not BEYOND and mpmath.isfinite(goal) and abs(goal) > 1
    return Counterexample(
        what=what,
        point=point_text(current),
        lhs=f"{fmt(value, 20)} (at {var.name} = {_k_text(ks[-1])})",
        rhs=fmt(goal, 20),
        difference=(fmt(errors[-1], 6) + (" relative to |rhs|" if relative else "")) if errors[-1] is not None else "undefined",
        tolerance=f"a certified gap: {outcome.reason}",
        digits=settings.digits,
        replay_digits=settings.replay_digits,
        seed=seed,
        reproduce=reproduce_line(expr, target, full, settings.replay_digits),
        note=f"{'relative ' if relative else ''}error along {var.name}: {trail}",
        certified=True,
    )


def _k_text(k: int) -> str:
    text = str(k)
    return f"10^{len(text) - 1}" if text.strip("0") == "1" and len(text) > 7 else text


def _display_value(expr, symbols, point, settings):
    function = balls.ball_function(expr, symbols)
    bits = balls.digits_to_bits(settings.replay_digits) + max(int(v).bit_length() for v in point.values() if v.is_Integer) if point else 0
    for _ in range(8):
        with balls.working_bits(max(bits, 64)):
            try:
                value = function(*[balls.exact_ball(point[s]) for s in symbols])
            except (balls.Undefined, balls.Undecided, ZeroDivisionError):
                return None
            if balls.is_finite(value) and abs(value).rad() <= abs(value).abs_lower() / 10**20:
                return _to_mp(value)
        bits *= 2
    return _to_mp(value) if balls.is_finite(value) else None


# -- definite integrals -------------------------------------------------------------------
#
# The integral of previous over [a, b] is computed at each point of the other symbols by
# mpmath's tanh-sinh quadrature, split at the integrand's exceptional points inside (a, b)
# (kinks, poles, branch points), at the settings' digits and again at twice them. The two must
# agree (with mpmath's error estimates) to at least MIN_QUADRATURE_DIGITS digits before the
# point says anything; the claim agrees where it is within that spread. A disagreement counts
# only when it exceeds the spread by 10^6, and is then certified where possible: over a finite
# window [A, B] by Arb's rigorous integration (acb.integral, where the integrand is holomorphic
# near the path) or else by ball arithmetic on a partition of [A, B] (each piece's integral
# lies in its width times the ball of the integrand over the piece), refined where the
# enclosure is widest; an infinite bound adds a tail beyond the window whose size is certified
# from the integrand's log-derivative (``_tail_bound``); where Arb cannot integrate up to a
# finite end (log x at 0), the piece next to it is such a tail too, in y = 1/|x - end|. Where
# neither certifies, the
# counterexample is mpmath's and says it is not certified (the step is then disputed).

MIN_QUADRATURE_DIGITS = 20  # digits the two quadratures must agree to before a point counts
DIVERGENT = 10**6  # a quadrature this far above the claim, and growing this much with the digits, diverges
QUADRATURE_GAP = 10**6  # a disagreement must exceed the quadratures' spread by this factor
ENCLOSURE_EVALUATIONS = 20000  # ball evaluations of the integrand spent on one certification
MAX_BREAKPOINTS = 12
# a tail starts at R = 2^j beyond the window's finite end, the first j of these whose bound is
# far below the gap (the bounds shrink with R; a coarse ladder keeps the attempts few)
TAIL_DOUBLINGS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64)


@dataclass(frozen=True, slots=True)
class _Quadrature:
    value: object  # the integral at twice the digits (mpmath), None where it could not be computed
    spread: object  # relative: |I(d) - I(2d)| + both error estimates, over max(1, |I|, |claim|)
    claim: object  # the claimed value at the point (mpmath)
    breakpoints: tuple = ()
    why: str = ""  # why there is no value
    diverges: tuple = ()  # (at the settings' digits, at twice them) where the integral looks divergent
    method: str = "tanh-sinh"  # mpmath's rule that gave the value: "tanh-sinh" or "quadosc" (see _oscillation)


def _decreasing(a, b) -> bool:
    """Whether the range from a to b runs downwards (a > b, both numbers)."""
    try:
        return bool(sp.sympify(a) > sp.sympify(b))
    except TypeError:  # not comparable: taken as written
        return False


def _breakpoints(integrand: sp.Basic, var: sp.Symbol, a, b) -> tuple:
    """Exceptional points of the integrand (in var alone) strictly between a and b, in order
    from a to b (descending where a > b: the integral over [0, a] at a = -2)."""
    if _decreasing(a, b):
        return tuple(reversed(_breakpoints(integrand, var, b, a)))
    found = []
    for factor in critical_expressions((integrand,)):
        if factor.free_symbols != {var}:
            continue
        for root in real_roots(factor, var):
            try:
                inside = bool(sp.Gt(root, a)) and bool(sp.Lt(root, b))
            except TypeError:
                continue
            if inside and root not in found:
                found.append(root)
    found.sort(key=lambda r: sp.N(r, 30))
    return tuple(found[:MAX_BREAKPOINTS])


def _tiny_exp(z):
    """e^z as ``_exp``, but 0 where Re z < -10^100 (e^z < 10^(-4 10^99): below any precision, and
    far below every factor the quadrature meets there) and inf where Re z > 10^100 (for real z):
    tanh-sinh samples an infinite range out to huge x, where e^(-x^2) is beyond range but plainly
    negligible, and x/(e^x - 1) is x/inf = 0. An inf that meets a 0 or another inf gives NaN,
    and the quadrature then decides nothing (never a finite value made up)."""
    if mpmath.re(z) < -EXP_ARGUMENT_LIMIT:
        return mpmath.mpf(0)
    if mpmath.re(z) > EXP_ARGUMENT_LIMIT and mpmath.im(z) == 0:
        return mpmath.inf
    return _exp(z)


@lru_cache(maxsize=1024)
def _quadrature_function(expr: sp.Basic, var: sp.Symbol):
    printer = _ExactIntegerPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True})
    return sp.lambdify((var,), expr, modules=[{**_MPMATH_EXTRAS, "exp": _tiny_exp}, "mpmath"], printer=printer)


def _oscillation(integrand: sp.Basic, var: sp.Symbol):
    """(|a|, m) for an integrand oscillating as sin or cos of a polynomial with the leading term
    a x^m (one such term, a a number, m >= 1: sin(x)/x, Fresnel's sin(x^2)), or None: over an
    infinite range tanh-sinh does not settle on them (on sin(x^2) it returns ever larger values,
    which read as a divergence), and mpmath's quadosc (summing the integrals between the zeros,
    extrapolated) is the tool. The Bessel functions J and Y of such an argument count too: far out
    J_nu(u) ~ sqrt(2/(pi u)) cos(u - nu pi/2 - pi/4), so the same half-periods pi/a (shifted by a
    phase, which quadosc's extrapolation does not need exact) cut it; on J_0 over [0, oo)
    tanh-sinh returned -6.8e31 at 50 digits, a "divergence" of an integral that is 1."""
    found = set()
    integrand = sp.sympify(integrand)
    for node in integrand.atoms(sp.sin, sp.cos, sp.besselj, sp.bessely):
        if isinstance(node, (sp.besselj, sp.bessely)):
            order, argument = node.args
            if var in order.free_symbols:
                return None
        else:
            argument = node.args[0]
        if var not in argument.free_symbols:
            continue
        if not argument.is_polynomial(var):
            return None
        poly = sp.Poly(argument, var)
        found.add((abs(poly.LC()), poly.degree()))
    if len(found) != 1:
        return None
    ((a, m),) = found
    return (to_mpmath(a), m) if a.is_number and a.is_positive and m >= 1 else None


def _with_limits_far_out(function, integrand: sp.Basic, var: sp.Symbol):
    """``function``, but where it is NaN past |x| = 10^100 (inf/inf: e^-x/(1 + e^-x)^2 at x =
    -10^200, the logistic density, its exponentials beyond range) the integrand's limit at that
    end (SymPy's, a finite number, asked once per end) instead: tanh-sinh samples out there, where
    the integrand of a convergent integral has long reached it. Without such a limit the NaN stays
    (nothing decided)."""
    limits: dict = {}

    def at_end(sign: int):
        if sign not in limits:
            limits[sign] = None
            try:
                with time_limit(2.0):
                    value = sp.limit(symbolic.as_elementary(integrand), var, sign * sp.oo)
                if isinstance(value, sp.Expr) and value.is_number and value.is_finite and value.is_real:
                    limits[sign] = to_mpmath(value)
            except StepTimeout:
                pass
            except Exception:  # noqa: BLE001 - SymPy cannot take the limit: the NaN stays
                pass
        return limits[sign]

    def guarded(t):
        value = function(t)
        if mpmath.isnan(value) and abs(t) > EXP_ARGUMENT_LIMIT:
            end = at_end(1 if t > 0 else -1)
            if end is not None:
                return end
        return value

    return guarded


OSCILLATION_PROBE = 200  # where an oscillating integrand is asked whether it has already vanished


def _negligible_far_out(function, a, b, digits: int) -> bool:
    """Whether the integrand is below 10^-(digits + 10) at x = +-OSCILLATION_PROBE at each
    infinite end (and beyond, at 2 and 4 times that): then it decays fast and the oscillation
    needs no quadosc."""
    ends = [sign for end, sign in ((b, 1), (a, -1)) if end in (sp.oo, -sp.oo)]
    with mpmath.workdps(30):
        try:
            return all(abs(mpmath.mpmathify(function(mpmath.mpf(sign * scale * OSCILLATION_PROBE)))) < mpmath.mpf(10) ** -(digits + 10)
                       for sign in ends for scale in (1, 2, 4))
        except Exception:  # noqa: BLE001 - not evaluable there: keep quadosc
            return False


_PEAK_GRID = tuple(sign * m * 10**j for j in range(-1, 9) for m in (1, 2, 5) for sign in (1, -1))
_PEAK_DOMINANCE = 10**6  # the far peak exceeds |f| at every node tanh-sinh starts from by this much


def _far_peak(function, a, b, breaks):
    """Over an infinite range, where the integrand's mass sits far from every node tanh-sinh
    clusters at (the ends, the breakpoints, 0 for (-oo, oo)): a point to split at, or None.
    The Gumbel density e^{-(z-c)} e^{-e^{-(z-c)}} at c = 1000 has its mass within a few units
    of z = 1000; over (-oo, oo) tanh-sinh's nodes there are too sparse and both precisions
    returned ~0 and agreed, which disputed the true mean c + gamma. |f| is scanned on
    +-{1, 2, 5} x 10^j (j = -1..8) inside (a, b); where its largest value exceeds |f| at every
    starting node by 10^6 and lies 10 or more from them, the peak is narrowed by golden section
    between its grid neighbours (float precision suffices: only a node is placed there)."""
    if not (a == -sp.oo or b == sp.oo) or _decreasing(a, b):
        return None
    starts = [e for e in (a, *breaks, b) if e not in (sp.oo, -sp.oo)] or [sp.S.Zero]
    low = -mpmath.inf if a == -sp.oo else to_mpmath(a)
    high = mpmath.inf if b == sp.oo else to_mpmath(b)
    with mpmath.workdps(20):
        def size(z):
            try:
                v = mpmath.mpmathify(function(mpmath.mpf(z)))
                return abs(v) if mpmath.isfinite(v) else mpmath.mpf(0)
            except Exception:  # noqa: BLE001 - undefined there: no mass seen
                return mpmath.mpf(0)

        grid = sorted(z for z in _PEAK_GRID if low < z < high)
        if not grid:
            return None
        sizes = [size(z) for z in grid]
        best = max(range(len(grid)), key=lambda i: sizes[i])
        start_points = [to_mpmath(e) for e in starts]
        base = max(size(z) for z in start_points)
        if sizes[best] <= _PEAK_DOMINANCE * base or min(abs(grid[best] - z) for z in start_points) < 10:
            return None
        lo = grid[best - 1] if best > 0 else grid[best] - 1
        hi = grid[best + 1] if best + 1 < len(grid) else grid[best] + 1
        lo, hi = max(mpmath.mpf(lo), low), min(mpmath.mpf(hi), high)
        # golden section, one new evaluation per step; 60 steps narrow the widest bracket
        # (3e8, at 10^8) to ~1e-4, well inside a peak of width ~1
        golden = (mpmath.sqrt(5) - 1) / 2
        u, w = hi - golden * (hi - lo), lo + golden * (hi - lo)
        at_u, at_w = size(u), size(w)
        for _ in range(60):
            if at_u >= at_w:
                hi, w, at_w = w, u, at_u
                u = hi - golden * (hi - lo)
                at_u = size(u)
            else:
                lo, u, at_u = u, w, at_w
                w = lo + golden * (hi - lo)
                at_w = size(w)
        peak = sp.Rational(mpmath.nstr((lo + hi) / 2, 12, strip_zeros=True))
    if not (sp.Gt(peak, a) == sp.true and sp.Lt(peak, b) == sp.true) or peak in breaks:
        return None
    return peak


def _oscillatory_quad(function, nodes, oscillation):
    """quad over the finite pieces, quadosc over an infinite end (by reflection at -oo) between
    the zeros of sin(a x^m), (n pi/a)^(1/m), which are those of the integrand's far out; the
    error estimate is the finite pieces' only (quadosc gives none: the two precisions' spread
    is the test)."""
    a, m = oscillation
    zeros = (lambda n: n * mpmath.pi / a) if m == 1 else (lambda n: mpmath.root(n * mpmath.pi / a, m))
    total, error = mpmath.mpf(0), mpmath.mpf(0)
    finite = [n for n in nodes if mpmath.isfinite(n)]
    if len(finite) >= 2:
        total, error = mpmath.quad(function, finite, error=True)
    if nodes[-1] == mpmath.inf:
        start = finite[-1] if finite else mpmath.mpf(0)
        total += mpmath.quadosc(function, [start, mpmath.inf], zeros=zeros)
    if nodes[0] == -mpmath.inf:
        end = finite[0] if finite else mpmath.mpf(0)
        total += mpmath.quadosc(lambda t: function(-t), [-end, mpmath.inf], zeros=zeros)
    return total, error


def _quadrature(integrand, var, lower, upper, value, syms, point, settings) -> _Quadrature:
    subs = dict(point)
    a, b = (sp.sympify(e).xreplace(subs) for e in (lower, upper))
    f_here = sp.sympify(integrand).xreplace(subs)
    claim_here = sp.sympify(value).xreplace(subs)
    if claim_here.has(sp.zoo, sp.nan):  # 1/(a + 1) at a = -1: SymPy's complex infinity, nothing to compare
        return _Quadrature(None, None, None, (), "the claimed value is undefined there")
    if f_here.has(sp.zoo, sp.nan):
        return _Quadrature(None, None, None, (), "the integrand is undefined there")
    breaks = _breakpoints(f_here, var, a, b)
    # log(e^(x^2/2) e^(-(x - c)^2/2)/d) taken apart (assumption-safe: each factor is positive):
    # as written it is beyond range far out, where the Gaussian around it is 0
    function = _quadrature_function(sp.expand_log(f_here, force=False) if f_here.has(sp.log) else f_here, var)
    if sp.oo in (a, b) or -sp.oo in (a, b):
        function = _with_limits_far_out(function, f_here, var)
    oscillation = _oscillation(f_here, var) if sp.oo in (a, b) or -sp.oo in (a, b) else None
    if oscillation and _negligible_far_out(function, a, b, settings.replay_digits):
        oscillation = None  # e^(-x^2) cos(2yx): tanh-sinh settles on it, far faster than quadosc
    peak = None if oscillation else _far_peak(function, a, b, breaks)
    if peak is not None:
        breaks = tuple(sorted((*breaks, peak), key=lambda e: float(e)))
    results = []
    for dps in (settings.digits, settings.replay_digits):
        with mpmath.workdps(dps + 10):
            nodes = [to_mpmath(e) if e not in (sp.oo, -sp.oo) else (mpmath.inf if e == sp.oo else -mpmath.inf)
                     for e in (a, *breaks, b)]
            try:
                total, error = (_oscillatory_quad(function, nodes, oscillation) if oscillation
                                else mpmath.quad(function, nodes, error=True))
                claim = _raw_value(compiled(claim_here, ()), (), dps + 10)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError, BeyondRange) as exc:
                tail = _divergent_tail(f_here, var, a, b)
                claim = _raw_value(compiled(claim_here, ()), (), dps + 10) if tail else None
                if tail and claim is not None and claim is not BEYOND and mpmath.isfinite(claim):
                    # e^(-ax) over [0, oo) at a = -1: the quadrature overflows on e^x, whose
                    # integral diverges; a finite claim there is against it
                    return _Quadrature(None, None, claim, breaks, tail, diverges=(None, None))
                return _Quadrature(None, None, None, breaks, f"the integrand cannot be evaluated ({type(exc).__name__})")
            total = mpmath.mpmathify(total)
            if isinstance(total, mpmath.mpc) and total.imag == 0:
                total = total.real
            if not mpmath.isfinite(total):
                if mpmath.isinf(total) and claim is not None and claim is not BEYOND and mpmath.isfinite(claim):
                    tail = _divergent_tail(f_here, var, a, b)  # why, where SymPy's limit says it
                    if tail:
                        return _Quadrature(None, None, claim, breaks, tail, diverges=(None, None))
                    return _Quadrature(None, None, claim, breaks, "the integral diverges there", diverges=(total, total))
                return _Quadrature(None, None, None, breaks, "the quadrature is not finite")
            if claim is None or claim is BEYOND or not mpmath.isfinite(claim):
                return _Quadrature(None, None, None, breaks, "the claimed value is undefined there")
            results.append((total, abs(error), claim))
    (low, low_error, _), (high, high_error, claim) = results
    with mpmath.workdps(settings.replay_digits + 10):
        if abs(low) > DIVERGENT * max(1, abs(claim)) and abs(high) > DIVERGENT * abs(low):
            # tanh-sinh on a divergent integral (x^-2 over [0, 1]) returns ever larger values as
            # its nodes approach the singularity: 2.9e64 at 50 digits, 2.4e114 at 100
            return _Quadrature(None, None, claim, breaks, "the integral diverges there", diverges=(low, high))
        scale = max(mpmath.mpf(1), abs(high), abs(claim))
        spread = (abs(high - low) + low_error + high_error) / scale
    if spread > mpmath.mpf(10) ** (-MIN_QUADRATURE_DIGITS):
        # unsettled: a divergence too slow for the test above (x^(-1.1) at 0 gives 10^6 at 50
        # digits, 10^11 at 100) shows in the integrand's behaviour at an end
        tail = _divergent_tail(f_here, var, a, b)
        if tail:
            return _Quadrature(None, None, claim, breaks, tail, diverges=(None, None))
    return _Quadrature(high, spread, claim, breaks, method="quadosc" if oscillation else "tanh-sinh")


TAIL_PROBE = 10**6  # where the integrand is evaluated to confirm SymPy's nonzero limit at an infinite end


def _divergent_tail(integrand: sp.Basic, var: sp.Symbol, lower, upper) -> str:
    """Why the integral diverges at an end, or "": at an infinite end the integrand (other
    symbols substituted) tends to a nonzero limit or to infinity; at a finite end e, (x - e)
    times it does (it is then at least c/|x - e| there: x^(-1.1) at 0). By SymPy's limit (at
    most 2 s per end), sanity-checked at var = +-TAIL_PROBE, or 1/TAIL_PROBE inside a finite end."""
    for end, sign in ((upper, 1), (lower, -1)):
        if end in (sp.oo, -sp.oo):
            watched, towards, probe_at = integrand, end, sign * TAIL_PROBE
        else:
            if _decreasing(lower, upper):
                sign = -sign
            # from inside the range: x -> a+ at the lower end, x -> b- at the upper one
            watched, towards = (var - end) * integrand, end
            probe_at = end - sign * sp.Rational(1, TAIL_PROBE)
        try:
            with time_limit(2.0):
                watched = symbolic.as_elementary(watched)
                limit = (sp.limit(watched, var, towards) if end in (sp.oo, -sp.oo)
                         else sp.limit(watched, var, towards, dir="-" if sign > 0 else "+"))
        except StepTimeout:
            continue
        except Exception:  # noqa: BLE001 - SymPy cannot take the limit: no divergence shown
            continue
        if not isinstance(limit, sp.Expr) or limit.has(sp.nan, sp.AccumBounds) or limit == 0 or limit.is_zero:
            continue
        if not (limit in (sp.oo, -sp.oo, sp.zoo) or (limit.is_number and limit.is_zero is False)):
            continue
        with mpmath.workdps(30):
            try:
                probe = _raw_value(compiled(watched, (var,)), (to_mpmath(sp.sympify(probe_at)),), 30)
            except Exception:  # noqa: BLE001 - not evaluable there: beyond range is large, not small
                probe = BEYOND
            if probe is None or (probe is not BEYOND and abs(probe) < mpmath.mpf(10) ** -10):
                continue
        if end in (sp.oo, -sp.oo):
            return f"the integrand tends to {limit} as {var} -> {end} (SymPy's limit), so the integral diverges"
        return (f"({var - end}) times the integrand tends to {limit} as {var} -> {end} (SymPy's limit): "
                f"the integrand is at least c/|{var - end}| there, so the integral diverges")
    return ""


# nodes whose function is not smooth where it is finite and real: the enclosure stays first order
_NOT_SMOOTH = (sp.Abs, sp.sign, sp.Max, sp.Min, sp.Piecewise, sp.Heaviside, sp.floor, sp.ceiling, sp.frac,
               sp.DiracDelta, sp.re, sp.im, sp.arg, sp.Mod, sp.core.relational.Relational)


def _certified_gap(integrand, var, lower, upper, value, syms, point, settings, estimate=None):
    """(ball, how) with the ball enclosing (integral - claim) and excluding 0, or (None, why not).

    The range is a finite window [A, B] plus, for an infinite bound, a tail beyond it
    (``_tail_bound``: |integral over [R, oo)| <= a certified bound, with [A, B] widened until the
    bound is far below the estimated gap). The window's integral is Arb's rigorous integration
    (``acb.integral``, split at the integrand's exceptional points) where the integrand is
    holomorphic near the path, else the partition enclosure (``_partition_enclosure``)."""
    subs = dict(point)
    try:
        f_here = sp.sympify(integrand).xreplace(subs)
        claim_here = sp.sympify(value).xreplace(subs)
        a, b = (sp.sympify(e).xreplace(subs) for e in (lower, upper))
    except (TypeError, ValueError):
        return None, "the integrand cannot be enclosed"
    deadline = time.monotonic() + settings.point_seconds
    target = abs(estimate) / 1000 if estimate is not None and estimate != 0 else mpmath.mpf(10) ** -30
    tails, texts = [], []
    with balls.working_bits(balls.digits_to_bits(30)):
        try:
            claim = balls.exact_ball(claim_here)
        except (balls.Undefined, balls.Undecided, ZeroDivisionError, balls.Unsupported):
            return None, "the claimed value cannot be enclosed"
        if not balls.is_finite(claim):
            return None, "the claimed value cannot be enclosed"
        window = []
        for bound, sign in ((a, -1), (b, 1)):
            if bound not in (sp.oo, -sp.oo):
                window.append(bound)
                continue
            # the tail beyond the window, as the integral of f(sign x) over [R, oo)
            other = b if sign < 0 else a
            start = 0 if other in (sp.oo, -sp.oo) else max(0, int(sp.ceiling(sign * other)))
            mirrored = f_here.xreplace({var: sign * var})
            found = None
            for j in TAIL_DOUBLINGS:
                R = sp.Integer(start + 2**j)
                tail = _tail_bound(mirrored, var, R)
                if tail is not None and (found is None or tail < found[1]):
                    found = (R, tail)
                if found is not None and found[1] <= target:
                    break
            if found is None:
                return None, f"the tail of the integrand as {var} -> {'-' if sign < 0 else ''}oo could not be bounded"
            R, tail = found
            window.append(sign * R)
            tails.append(acb(arb(0, _arb_upper(tail))))
            texts.append(f"|tail beyond {var} = {sign * R}| <= {mpmath.nstr(tail, 3)}")
        A, B = window
        extra = sum(tails, acb(0))
        breaks = _breakpoints(f_here, var, A, B)
        gap, enclosed = _arb_integral_gap(f_here, var, (A, *breaks, B), extra, claim, settings)
        how = "Arb's rigorous integration (acb.integral)"
        if gap is None and enclosed is not None:  # a finite enclosure holds the claim: no partition does better
            return None, f"the enclosure (Arb's integration, radius {mpmath.nstr(_to_mp(acb(enclosed)), 3)}) holds the claim"
        if gap is None and any(e not in (sp.oo, -sp.oo) for e in (a, b)):
            # Arb could not integrate up to a finite end (a singularity there, integrable as log x
            # at 0, or removable as log(x)/(1 - x) at 1): the piece next to it as a tail in
            # y = 1/|x - end|, over [R, oo), where its integrand is f(end +- 1/y)/y^2
            shaved, pieces, notes = [A, B], [], []
            for index, (end, sign) in enumerate(((a, 1), (b, -1))):
                if end in (sp.oo, -sp.oo):
                    continue
                near = (f_here.xreplace({var: end + sign / var}) / var**2)
                for j in TAIL_DOUBLINGS[1:]:
                    R = sp.Integer(2**j)
                    tail = _tail_bound(near, var, R)
                    if tail is not None and tail <= target:
                        shaved[index] = end + sign * sp.Rational(1, R)
                        pieces.append(acb(arb(0, _arb_upper(tail))))
                        notes.append(f"|integral over the 1/{R} next to {var} = {end}| <= {mpmath.nstr(tail, 3)}")
                        break
            if pieces and bool(shaved[0] < shaved[1]):
                inside = tuple(p for p in breaks if bool(shaved[0] < p) and bool(p < shaved[1]))
                gap, enclosed = _arb_integral_gap(f_here, var, (shaved[0], *inside, shaved[1]),
                                                  extra + sum(pieces, acb(0)), claim, settings)
                texts += notes
                if gap is None and enclosed is not None:
                    return None, (f"the enclosure (Arb's integration past the ends, radius "
                                  f"{mpmath.nstr(_to_mp(acb(enclosed)), 3)}) holds the claim")
        if gap is None:
            gap = _partition_enclosure(f_here, var, A, B, extra, claim, deadline)
            how = "a ball enclosure on a partition"
        if gap is None:
            return None, "the enclosure stayed too wide"
        return gap, how + ("; " + "; ".join(texts) if texts else "")


def _arb_upper(value) -> arb:
    """An mpmath number (or an arb) as an arb at least as large: exact from its mantissa."""
    if isinstance(value, arb):
        return value
    man, exp = mpmath.mpf(value).man_exp
    return arb(int(man)) * arb(2) ** int(exp)


def _arb_integral_gap(f_here, var, nodes, extra, claim, settings):
    """(gap, radius): gap = (integral over the pieces between ``nodes`` + extra) - claim by
    acb.integral, if that ball excludes 0, else None; radius the radius of the last enclosure
    where it was finite (it holds the claim then), else None: the integrand is not holomorphic
    near the path (an Abs, Max, ... that SymPy cannot decide on a piece, as var = lo + t or
    hi - t with t > 0), or Arb's integration did not converge."""
    if len(nodes) >= 2 and _decreasing(nodes[0], nodes[-1]):
        # over [0, a] with a < 0: the integral over the increasing range, negated (the pieces
        # below are parametrised as lo + t, t > 0, which holds only where lo < hi)
        gap, radius = _arb_integral_gap(f_here, var, tuple(reversed(nodes)), -extra, -claim, settings)
        return (-gap if gap is not None else None), radius
    functions = []
    for lo, hi in zip(nodes, nodes[1:]):
        t = sp.Dummy("t", positive=True)
        for near in (lo + t, hi - t):  # the piece's kinks are at its ends only
            inside = f_here.xreplace({var: near}).xreplace({t: var - lo if near == lo + t else hi - var})
            try:
                functions.append(balls.holomorphic_function(inside, (var,)))
                break
            except balls.Unsupported:
                continue
        else:
            return None, None
    radius = None
    for digits in (30, settings.replay_digits):
        with balls.working_bits(balls.digits_to_bits(digits)):
            try:
                ends = [balls.exact_ball(n) for n in nodes]
            except (balls.Undefined, balls.Undecided, ZeroDivisionError, balls.Unsupported):
                return None, None
            if not all(balls.is_real(e) and balls.is_finite(e) for e in ends):
                return None, None
            total = acb(0)
            for function, lo, hi in zip(functions, ends, ends[1:]):
                try:
                    total += acb.integral(function, lo, hi, eval_limit=200000)
                except (ValueError, ZeroDivisionError, ArithmeticError):
                    return None, radius
            if not balls.is_finite(total):
                return None, radius
            gap = total + extra - claim
            if balls.excludes_zero(gap):
                return gap, None
            radius = gap.real.rad()
    return None, radius


_TAIL_U = sp.Symbol("u_tail", positive=True)  # u = 1/x on the tail
_TAIL_E = sp.Symbol("E_tail", positive=True)  # E = e^(-x) on the tail


def _interval(expr: sp.Basic, env: dict):
    """``expr`` over intervals (mpmath.iv, outward rounded, infinite ends allowed), or None
    where a node has no interval counterpart here or leaves the reals.

    A value is infinite only at infinity: a division or a log whose argument's interval reaches
    0 is refused, unless the argument is a power of u = 1/x or E = e^-x themselves, which are 0
    at x = oo only. So where the answer is an interval, expr is finite and continuous at every
    finite point of the tail (a pole at x = 10 inside [8, oo) cannot hide in an end of
    -1/(x - 10)^2 in [-oo, 0]), which is what the tail bound's argument needs."""
    iv = mpmath.iv

    def at_infinity_only(e) -> bool:  # u, E or a positive power of them: 0 at x = oo only
        base, exponent = e.as_base_exp()
        return base in (_TAIL_U, _TAIL_E) and base in env and exponent.is_positive is True

    def nonzero(e, value):
        if not (_low(value) > 0 or _high(value) < 0) and not at_infinity_only(e):
            raise ValueError("a division or a log by a number that may be 0")
        return value

    def ev(e):
        if e in env:
            return env[e]
        if e.is_Integer:
            return iv.mpf(int(e))
        if e.is_Rational:
            return iv.mpf(int(e.p)) / iv.mpf(int(e.q))
        if e is sp.pi:
            return iv.pi
        if e is sp.E:
            return iv.e
        if isinstance(e, sp.Add):
            total = ev(e.args[0])
            for t in e.args[1:]:
                total = total + ev(t)
            return total
        if isinstance(e, sp.Mul):
            total = ev(e.args[0])
            for t in e.args[1:]:
                total = total * ev(t)
            return total
        if isinstance(e, sp.Pow):
            base, exponent = e.args
            if exponent.is_Integer:
                b = ev(base) if exponent > 0 else nonzero(base, ev(base))
                return b ** int(exponent)
            if exponent == sp.Rational(1, 2):
                return iv.sqrt(ev(base))
            if exponent.is_Rational:  # a positive base only: a root of a number that may be < 0 is refused
                b = ev(base)
                if not _low(b) > 0:
                    raise ValueError("a root of a number that may be negative or 0")
                return iv.exp(ev(exponent) * iv.log(b))
            raise ValueError("a power")
        if isinstance(e, sp.exp):
            return iv.exp(ev(e.args[0]))
        if isinstance(e, sp.log) and len(e.args) == 1:
            argument = nonzero(e.args[0], ev(e.args[0]))
            if _high(argument) < 0:
                raise ValueError("the log of a negative number")
            return iv.log(argument)
        if isinstance(e, (sp.sin, sp.cos)):
            return (iv.sin if isinstance(e, sp.sin) else iv.cos)(ev(e.args[0]))
        raise ValueError(type(e).__name__)

    try:
        value = ev(expr)
    except (ValueError, ZeroDivisionError, ArithmeticError, TypeError, AttributeError):
        return None
    if not isinstance(value, type(mpmath.iv.mpf(0))):
        return None
    if mpmath.isnan(_low(value)) or mpmath.isnan(_high(value)):
        return None
    return value


@lru_cache(maxsize=512)
def _cancelled(expr: sp.Basic) -> sp.Basic | None:
    """cancel(together(expr)) within 5 s, or None (SymPy raising, or running out)."""
    try:
        with time_limit(5.0):
            return sp.cancel(sp.together(expr))
    except (StepTimeout, sp.PolynomialError, TypeError, ValueError):
        return None


@lru_cache(maxsize=512)
def _tail_forms(expr: sp.Basic, var: sp.Symbol) -> tuple:
    """expr in var, in u = 1/var and in E = e^-var (None where SymPy cannot write it)."""
    in_u = _cancelled(expr.subs(var, 1 / _TAIL_U))
    try:
        with time_limit(5.0):
            in_e = sp.logcombine(sp.powsimp(expr.subs(var, -sp.log(_TAIL_E))))
            in_e = in_e.replace(lambda e: isinstance(e, sp.log), lambda e: sp.log(sp.cancel(e.args[0])))
    except (StepTimeout, sp.PolynomialError, TypeError, ValueError):
        in_e = None
    return expr, in_u, _cancelled(in_e) if in_e is not None else None


def _upper_on_tail(expr: sp.Basic, var: sp.Symbol, R) -> object:
    """An upper bound (mpmath) of ``expr`` over var in [R, oo), or None: the least of its
    interval evaluations with var itself in [R, oo], u = 1/var in [0, 1/R] and E = e^-var in
    [0, e^-R] (each a form of expr that cancels what the others cannot)."""
    iv = mpmath.iv
    r = iv.mpf(int(R))
    in_x, in_u, in_e = _tail_forms(expr, var)
    forms = [(in_x, {var: iv.mpf([_low(r), mpmath.inf])})]
    if in_u is not None:
        forms.append((in_u, {_TAIL_U: iv.mpf([0, _high(1 / r)])}))
    if in_e is not None:
        forms.append((in_e, {_TAIL_E: iv.mpf([0, _high(iv.exp(-r))])}))
    forms += [bounded for bounded in (_logs_bounded(form, env) for form, env in forms) if bounded is not None]
    best = None
    for form, env in forms:
        if form.free_symbols - set(env):
            continue
        value = _interval(form, env)
        if value is not None and _high(value) < mpmath.inf and (best is None or _high(value) < best):
            best = _high(value)
    return best


def _logs_bounded(form: sp.Basic, env: dict):
    """``form`` with each log(1 + t), t bounded over ``env`` and > -1, written t L with L a new
    variable in [min(1, 1/(1 + max t)), max(1, 1/(1 + min t))] (as t/(1 + t) <= log(1 + t) <= t,
    so L = log(1 + t)/t lies in [1/(1 + t), 1] for t > 0 and in [1, 1/(1 + t)] for t < 0, and
    decreases with t), then cancelled: the softplus tail log(1 + e^-x), whose log-derivative
    is 0/0 at E = e^-x = 0 in interval arithmetic, becomes -1/((1 + E) L). None where there
    is no such log."""
    env = dict(env)
    mapping = {}
    iv = mpmath.iv
    for node in sorted(form.atoms(sp.log), key=sp.default_sort_key):
        if len(node.args) != 1 or node.args[0].free_symbols - set(env):
            continue
        t = node.args[0] - 1
        spread = _interval(t, env)
        if spread is None or not (_low(spread) > -1 and _high(spread) < mpmath.inf):
            continue
        L = sp.Symbol(f"L_tail{len(mapping)}", positive=True)
        low = min(mpmath.mpf(1), _low(1 / (1 + iv.mpf(_high(spread)))))
        high = max(mpmath.mpf(1), _high(1 / (1 + iv.mpf(_low(spread)))))
        env[L] = iv.mpf([low, high])
        mapping[node] = t * L
    if not mapping:
        return None
    bounded = _cancelled(form.xreplace(mapping))
    return (bounded, env) if bounded is not None else None


def _low(interval):
    """The lower end of an mpmath interval as an mpmath number."""
    return mpmath.mp.make_mpf(interval._mpi_[0])


def _high(interval):
    """The upper end of an mpmath interval as an mpmath number."""
    return mpmath.mp.make_mpf(interval._mpi_[1])


@lru_cache(maxsize=256)
def _log_derivatives(f: sp.Basic, var: sp.Symbol):
    """Forms of f'/f (each equal to it wherever f is nonzero and differentiable), or None: what
    bounds the decay of f on a tail. f'/f cancelled into one fraction, and the derivative of
    log f expanded over f's factors (log(a b) -> log a + log b, log(a^k) -> k log a,
    log(e^h) -> h: the derivative of each is (a b)'/(a b), k a'/a and h', exact whatever the
    signs), which interval arithmetic meets with less dependency: -1 - 1/(x - 10)^2 rather
    than (-x^2 + 20 x - 101)/(x^2 - 20 x + 100)."""
    hyperbolic = [sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch]
    found = []
    try:
        with time_limit(5.0):
            dlog = (sp.diff(f, var) / f).rewrite(hyperbolic, sp.exp)
            found.append(sp.cancel(sp.together(dlog)))
    except (StepTimeout, sp.PolynomialError, TypeError, ValueError):
        pass
    try:
        with time_limit(5.0):
            found.append(sp.diff(sp.expand_log(sp.log(f.rewrite(hyperbolic, sp.exp)), force=True), var))
    except (StepTimeout, sp.PolynomialError, TypeError, ValueError):
        pass
    return tuple(dict.fromkeys(found)) or None


@lru_cache(maxsize=512)
def _termwise(expr: sp.Basic) -> tuple:
    """expr as it is, cancelled into one fraction, and expanded with each term cancelled
    (-x/(x^2 - x) as -1/(x - 1)): forms equal wherever expr is defined, which interval
    arithmetic meets with different dependencies."""
    found = [expr, _cancelled(expr)]
    try:
        with time_limit(5.0):
            found.append(sp.Add(*(_cancelled(t) or t for t in sp.Add.make_args(sp.expand(expr)))))
    except (StepTimeout, sp.PolynomialError, TypeError, ValueError):
        pass
    return tuple(dict.fromkeys(e for e in found if e is not None))


def _tail_bound(f: sp.Basic, var: sp.Symbol, R, depth: int = 0) -> object:
    """``_decay_bound`` of f; else of its majorant without its sine and cosine factors (|f| <=
    |f / (sin(g) cos(h) ...)| where g, h, ... are real on [R, oo), by an interval evaluation of
    each argument there: e^-x cos x has the tail of e^-x); else the sum of its terms' bounds
    (the triangle inequality: e^-x + e^-(x - 1000)^2, whose log-derivative intervals cannot
    bound as a whole)."""
    t = sp.Dummy("t", positive=True)  # on (R, oo) a sign or an Abs of x - R, x, ... is decided
    f = f.xreplace({var: R + t}).xreplace({t: var - R})
    bound = _decay_bound(f, var, R)
    if bound is None and isinstance(f, sp.Mul):
        bound = _without_oscillation(f, var, R)
    if bound is None and depth == 0:
        try:
            with time_limit(5.0):
                terms = sp.Add.make_args(sp.expand(f))
        except StepTimeout:
            return None
        if 1 < len(terms) <= 8:
            bounds = [_tail_bound(term, var, R, depth=1) for term in terms]
            if all(b is not None for b in bounds):
                with mpmath.workprec(80):
                    bound = _high(sum((mpmath.iv.mpf(b) for b in bounds), mpmath.iv.mpf(0)))
    return bound


def _without_oscillation(f: sp.Mul, var: sp.Symbol, R) -> object:
    """``_decay_bound`` of f without its sine and cosine factors, or None."""
    kept, dropped = [], []
    for factor in f.args:
        base, exponent = factor.as_base_exp()
        if isinstance(base, (sp.sin, sp.cos)) and exponent.is_Integer and exponent > 0:
            dropped.append(base.args[0])
        else:
            kept.append(factor)
    if not dropped or not kept:
        return None
    span = {var: mpmath.iv.mpf([int(R), mpmath.inf])}
    if any(_interval(argument, span) is None for argument in dropped):
        return None  # an argument that may not be real there: |sin| <= 1 is not known
    return _decay_bound(sp.Mul(*kept), var, R)


def _decay_bound(f: sp.Basic, var: sp.Symbol, R) -> object:
    """A certified bound (mpmath) of the integral of |f| over [R, oo), or None (R > 0 an integer).

    f smooth on (R, oo) (no Abs, Max, Piecewise, ... once var = R + t with t > 0 lets SymPy
    decide an Abs or sign there) and real at R with f(R) != 0 (a ball), and an upper bound of
    its log-derivative f'/f on [R, oo) by interval arithmetic (``_upper_on_tail``, finite at
    every finite point of the tail): f'/f <= -c < 0 there makes f free of zeros and branch
    points there (either would be a pole of f'/f, or a root of a negative number) and |f(x)| <= |f(R)| e^(-c (x - R)), so the tail is
    at most |f(R)|/c; x f'/f <= -p < -1 makes |f(x)| <= |f(R)| (R/x)^p, a tail of at most
    |f(R)| R/(p - 1). The smaller bound is returned."""
    if f.has(*_NOT_SMOOTH) or f.free_symbols - {var}:
        return None
    derivatives = _log_derivatives(f, var)
    if derivatives is None:
        return None
    try:
        with balls.working_bits(balls.digits_to_bits(30)):
            at = balls.ball_function(f, (var,))(balls.exact_ball(R))
            if not (balls.is_finite(at) and balls.is_real(at) and balls.excludes_zero(at)):
                return None
            man, exp = abs(at.real).upper().mid().man_exp()  # |f(R)| <= size, exactly
            size = mpmath.mpf((int(man), int(exp)))
    except (balls.Unsupported, balls.Undefined, balls.Undecided, ZeroDivisionError, ValueError):
        return None
    bounds = []
    with mpmath.workprec(80):
        for dlog in derivatives:
            for form in _termwise(dlog):
                upper = _upper_on_tail(form, var, R)
                if upper is not None and upper < 0:
                    bounds.append(mpmath.iv.mpf(size) / mpmath.iv.mpf(-upper))
            for form in _termwise(var * dlog):
                upper = _upper_on_tail(form, var, R)
                if upper is not None and upper < -1:
                    bounds.append(mpmath.iv.mpf(size) * mpmath.iv.mpf(int(R)) / (mpmath.iv.mpf(-upper) - 1))
        return min((_high(bound) for bound in bounds), default=None)


def _partition_enclosure(f_here, var, a, b, extra, claim, deadline):
    """(integral over [a, b] + extra) - claim as a ball excluding 0, or None: a partition of
    [a, b] refined where widest, each piece's integral enclosed as below.

    The partition's pieces are balls; the integral over a piece lies in its width times the
    ball of the integrand over the piece (a convex enclosure of its values), so the sum encloses
    the integral whatever the integrand does inside a piece. Where the integrand has no kink
    (no Abs, Max, Piecewise, ...) and its ball over the piece is real, every operation in it was
    real and smooth there, and the Taylor form at the piece's midpoint m, (hi - lo) f(m) +
    f'(m)((hi - m)^2 - (m - lo)^2)/2 within sup|f''| ((hi - m)^3 + (m - lo)^3)/6, is used when
    narrower. A piece whose ball is not finite (a pole, an undecided branch) is halved, and the widest pieces are halved until the sum
    excludes the claim or the evaluations run out."""
    try:
        f = balls.ball_function(f_here, (var,))
    except balls.Unsupported:
        return None
    smooth = None
    if not sp.sympify(f_here).has(*_NOT_SMOOTH):
        try:
            smooth = tuple(balls.ball_function(sp.diff(f_here, var, order), (var,)) for order in (1, 2))
        except balls.Unsupported:
            smooth = None
    values = []
    try:
        a = balls.exact_ball(a)
        b = balls.exact_ball(b)
    except (balls.Undefined, balls.Undecided, ZeroDivisionError, balls.Unsupported):
        return None
    if not (balls.is_real(a) and balls.is_real(b)):
        return None
    a, b = a.real, b.real

    def piece(lo, hi):
        """(lo, hi, contribution ball or None where the integrand's ball is not finite)."""
        try:
            around = acb(lo.union(hi))
            with balls.hulls():  # a piece across a jump: the ball of every branch that may apply
                enclosure = f(*values, around)
        except (balls.Undefined, balls.Undecided, ZeroDivisionError):
            return lo, hi, None
        if not balls.is_finite(enclosure):
            return lo, hi, None
        first_order = enclosure * acb(hi - lo)
        if smooth is None or not balls.is_real(enclosure):
            return lo, hi, first_order
        # all real and smooth on the piece: Taylor at the midpoint m with the remainder
        # bounded by the ball of f'' over the piece (second order: the pieces shrink as h^3)
        try:
            m = acb(arb((lo.mid() + hi.mid()) / 2))
            value, slope = f(*values, m), smooth[0](*values, m)
            curvature = smooth[1](*values, around)
        except (balls.Undefined, balls.Undecided, ZeroDivisionError):
            return lo, hi, first_order
        if not (balls.is_finite(value) and balls.is_finite(slope) and balls.is_finite(curvature)
                and balls.is_real(curvature)):
            return lo, hi, first_order
        right, left = acb(hi) - m, m - acb(lo)
        bound = (abs(curvature) * (abs(right) ** 3 + abs(left) ** 3) / 6).upper()
        second_order = acb(hi - lo) * value + slope * (right**2 - left**2) / 2 + acb(arb(0, bound))
        return lo, hi, second_order if second_order.rad() < first_order.rad() else first_order

    count = 64
    pieces = [piece(a + (b - a) * fmpq(j, count), a + (b - a) * fmpq(j + 1, count)) for j in range(count)]
    evaluations = count
    while evaluations < ENCLOSURE_EVALUATIONS and time.monotonic() < deadline:
        if all(p[2] is not None for p in pieces):
            total = sum((p[2] for p in pieces), acb(0))
            gap = total + extra - claim
            if balls.excludes_zero(gap):
                return gap
        # halve the open pieces and the widest half of the others
        widths = sorted((p[2].rad() if p[2] is not None else None for p in pieces),
                        key=lambda r: (r is not None, r), reverse=True)
        cut = widths[min(len(widths) - 1, len(widths) // 2)]
        refined = []
        for lo, hi, contribution in pieces:
            if contribution is None or cut is None or contribution.rad() >= cut:
                middle = (lo + hi) / 2
                refined += [piece(lo, middle), piece(middle, hi)]
                evaluations += 2
            else:
                refined.append((lo, hi, contribution))
        pieces = refined
        if min(abs(hi - lo).upper() for lo, hi, _ in pieces) < arb(10) ** -30:
            return None  # a singularity the pieces cannot get away from
    return None


def integral_evidence(integrand, var, lower, upper, value, symbols, constraints, settings, seed, what):
    """NumericEvidence that the integral of ``integrand`` d``var`` over [lower, upper] is
    ``value`` at sample points of the other symbols, or a Counterexample (certified by ball
    arithmetic over a finite range where the enclosure excludes the value)."""
    syms = tuple(s for s in relevant_symbols(symbols, integrand, lower, upper, value, *constraints) if s != var)
    usable = tuple(c for c in constraints if c.free_symbols <= set(syms))
    sampler = Sampler(syms, usable, seed, claims=(value, lower, upper))
    points = sampler.edge_points() + sampler.random_points(settings.limit_points) if syms else [{}]
    points = [p for p in points if sampler.allows(p)][: max(settings.limit_points, 1) * 2]
    if not points:
        raise ValueError(f"no point satisfies the domain {', '.join(map(str, usable))} and the symbols' assumptions")
    agreed, unsettled, worst, methods = [], [], None, set()
    for point in points:
        q = _quadrature(integrand, var, lower, upper, value, syms, point, settings)
        if q.diverges:
            return _divergence_counterexample(integrand, var, lower, upper, value, point, q, settings, seed, what)
        if q.value is None:
            unsettled.append((point, q.why))
            continue
        with mpmath.workdps(settings.replay_digits + 10):
            scale = max(mpmath.mpf(1), abs(q.value), abs(q.claim))
            gap = abs(q.value - q.claim) / scale
            floor = mpmath.mpf(10) ** (-settings.tolerance_digits)
            if q.spread > mpmath.mpf(10) ** (-MIN_QUADRATURE_DIGITS):
                unsettled.append((point, f"the quadratures agree to only {_exp10(q.spread)} digits"))
                continue
            if gap <= max(10 * q.spread, floor):
                digits = min(settings.tolerance_digits, _exp10(max(gap, q.spread, floor)))
                agreed.append((point, digits, gap))
                methods.add(q.method)
                if worst is None or gap > worst[2]:
                    worst = (point, digits, gap)
                continue
            if gap <= QUADRATURE_GAP * max(q.spread, floor):
                near = (f"the quadratures' spread {fmt(q.spread, 2)}" if q.spread >= floor else
                        f"the tolerance {fmt(floor, 1)} (the quadratures' spread is {fmt(q.spread, 2)})")
                unsettled.append((point, f"the claim is off by {fmt(gap, 3)}, too close to {near} to call it either way"))
                continue
        return _integral_counterexample(integrand, var, lower, upper, value, syms, point, q, settings, seed, what)
    if not agreed:
        reasons = "; ".join(f"{point_label_text(p)}: {why}" for p, why in unsettled[:3])
        undefined = _sympy_says_undefined(integrand, var, lower, upper, points[0])
        if undefined is not None:  # the integral of 1/x over [-1, 1]: no quadrature settles, and none should
            return Counterexample(
                what=what, point=point_text(points[0]),
                lhs=f"divergent or undefined (sympy.integrate gives {undefined}; no quadrature settles: {reasons})",
                rhs=str(value), difference="undefined",
                tolerance="a finite claim where the integral has no value; SymPy's answer, not certified by balls",
                digits=settings.digits, replay_digits=settings.replay_digits, seed=seed,
                reproduce=_integral_line(integrand, var, lower, upper, value, points[0], settings.replay_digits),
                certified=False)
        raise ValueError(f"{what}: no point where the quadrature settles ({len(unsettled)} tried: {reasons})")
    digits = min(d for _, d, _ in agreed)
    return NumericEvidence(
        what=what,
        points=len(agreed),
        digits=settings.digits,
        tolerance=f"quadrature at {settings.digits} and {settings.replay_digits} digits agreeing, the claim within their spread",
        max_error=fmt(worst[2], 3),
        worst_point=point_text(worst[0]),
        seed=seed,
        undecided=len(unsettled),
        oracle=f"numeric quadrature (mpmath {' and '.join(sorted(methods, reverse=True))}), {digits} digits",
    )


def _sympy_says_undefined(integrand, var, lower, upper, point):
    """nan, oo, -oo or zoo where sympy.integrate (within 5 s) gives that for the definite integral
    at ``point``, else None."""
    try:
        with time_limit(5.0):
            found = sp.integrate(sp.sympify(integrand).xreplace(point), (var, sp.sympify(lower).xreplace(point),
                                                                           sp.sympify(upper).xreplace(point)))
    except StepTimeout:
        return None
    except Exception:  # noqa: BLE001 (SymPy raises many kinds: no answer)
        return None
    return found if found in (sp.nan, sp.oo, -sp.oo, sp.zoo) else None


def _divergence_counterexample(integrand, var, lower, upper, value, point, q, settings, seed, what):
    """A claim of a finite value where the quadratures grow without bound (the integral of x^a
    over [0, 1] at a = -2, claimed 1/(a + 1) = -1): against the claim, but not certified (no
    enclosure shows divergence), so the step is disputed, never a pass."""
    low, high = q.diverges
    grows = (f"the quadrature: {fmt(low, 3)} at {settings.digits} digits, {fmt(high, 3)} at {settings.replay_digits}"
             if low is not None else q.why)
    return Counterexample(
        what=what,
        point=point_text(point),
        lhs=f"divergent ({grows})",
        rhs=fmt(q.claim, 20),
        difference="unbounded",
        tolerance="a finite claim where the integral diverges; " + (
            "mpmath quadrature, not certified" if low is not None else "SymPy's limit, not certified by balls"),
        digits=settings.digits,
        replay_digits=settings.replay_digits,
        seed=seed,
        reproduce=_integral_line(integrand, var, lower, upper, value, point, settings.replay_digits),
        certified=False,
    )


def _integral_counterexample(integrand, var, lower, upper, value, syms, point, q, settings, seed, what):
    difference = q.value - q.claim
    gap, how = _certified_gap(integrand, var, lower, upper, value, syms, point, settings, estimate=difference)
    range_text = f"over [{lower}, {upper}]"
    if gap is not None:
        part, which = (gap.real, "") if not gap.real.contains(0) else (gap.imag, "the imaginary part of ")
        how = (f"ball enclosure of {which}the integral {range_text} minus the claim: {mpmath.nstr(_to_mp(acb(part.mid())), 12)} "
               f"+- {mpmath.nstr(_to_mp(acb(part.rad())), 3)}, excluding 0 ({how})")
    else:
        how = f"mpmath quadrature at {settings.digits} and {settings.replay_digits} digits, not certified ({how})"
    return Counterexample(
        what=what,
        point=point_text(point),
        lhs=f"{fmt(q.value, 20)} (the integral)",
        rhs=fmt(q.claim, 20),
        difference=fmt(difference, 6),
        tolerance=f"the quadratures' spread {fmt(q.spread, 2)} relative; {how}",
        digits=settings.digits,
        replay_digits=settings.replay_digits,
        seed=seed,
        reproduce=_integral_line(integrand, var, lower, upper, value, point, settings.replay_digits),
        note=f"split at {', '.join(map(str, q.breakpoints))}" if q.breakpoints else "",
        certified=gap is not None,
    )


def _integral_line(integrand, var, lower, upper, value, point, digits) -> str:
    syms = sorted(set(point) | {var}, key=lambda s: s.name)
    decl = "; ".join(f"{s.name} = sp.Symbol({s.name!r}{_assumption_args(s)})" for s in syms)
    subs = ", ".join(f"{s.name}: {value_code(point[s])}" for s in sorted(point, key=lambda s: s.name))
    return (
        f"python -c \"import sympy as sp; from sympy import *; {decl}; "
        f"print(sp.N(sp.Integral({_code(integrand)}, ({var}, {_code(lower)}, {_code(upper)})).subs({{{subs}}}) - "
        f"({_code(value)}).subs({{{subs}}}), {digits}))\""
    )
