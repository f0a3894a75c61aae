"""Numeric evidence at arbitrary precision: equality at sample points and limits along k.

Every value is computed with mpmath and is *stable*: evaluated at two precisions, and the
precision doubled until both agree to the requested digits (cancellation in ln(1 + e^{-kx})
or e^{kx} with k x = 10^6 is then handled, not hidden). Two sides agree at a point when

    |lhs - rhs| <= 10^-(digits - 3) * max(1, |lhs|, |rhs|)

(mpmath's ``almosteq`` convention), so the tolerance follows from the precision alone. A
failing point is shrunk towards small integers and simple rationals and replayed at twice the
digits before it is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp
from sympy.printing.pycode import MpmathPrinter

from .sampling import Point, Sampler, point_text
from .settings import CheckSettings
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
_MPMATH_EXTRAS = {
    "Heaviside": lambda x, h0=mpmath.mpf(1) / 2: mpmath.mpf(0) if x < 0 else (h0 if x == 0 else mpmath.mpf(1)),
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
        args = [mpmath.mpf(v.p) / v.q for v in point_values]
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


def resolved_error(expr: sp.Basic, symbols: tuple, point: Point, digits: int, max_digits: int):
    """A small quantity (an error) to 3 significant digits, or a bound on it.

    Returns (value, resolved): ``resolved`` False means |value| is below what ``max_digits``
    can resolve and only its bound 10^-(dps - 10) is known. An infinite error is resolved:
    it is known exactly, and is no small quantity.
    """
    function = compiled(expr, symbols)
    values = tuple(point[s] for s in symbols)
    dps = digits + 10
    previous = _raw_value(function, values, dps)
    while True:
        dps *= 2
        current = _raw_value(function, values, dps)
        if current is None or current is BEYOND or previous is BEYOND:
            return (BEYOND if (current is BEYOND or previous is BEYOND) else None), False
        if mpmath.isinf(current):
            return current, True
        if previous is not None:
            resolved_here = abs(current) > mpmath.mpf(10) ** (-(dps // 2 - 10))
            if resolved_here and abs(current - previous) <= abs(current) / 1000:
                return current, True
        if dps >= max_digits:
            return mpmath.mpf(10) ** (-(dps - 10)), False
        previous = current


def fmt(value, digits: int = 6) -> str:
    """A number as short text: ``None`` is 'undefined'."""
    if value is None:
        return "undefined"
    if isinstance(value, mpmath.mpc):
        return f"{mpmath.nstr(value.real, digits)}{'+' if value.imag >= 0 else '-'}{mpmath.nstr(abs(value.imag), digits)}i"
    return mpmath.nstr(value, digits)


def relevant_symbols(symbols: tuple, *exprs: sp.Basic) -> tuple:
    """The declared symbols that occur in ``exprs``, in declaration order."""
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs))
    return tuple(s for s in symbols if s in free)


def _assumption_args(symbol: sp.Symbol) -> str:
    """The assumptions a symbol was declared with, as keyword arguments."""
    declared = getattr(symbol, "_assumptions_orig", None) or symbol.assumptions0
    return "".join(f", {k}={v}" for k, v in sorted(declared.items()))


def reproduce_line(lhs: sp.Basic, rhs: sp.Basic, point: Point, digits: int) -> str:
    """One pasteable line that recomputes the difference at the point with SymPy's evalf."""
    syms = sorted(point, key=lambda s: s.name)
    decl = "; ".join(f"{s.name} = sp.Symbol({s.name!r}{_assumption_args(s)})" for s in syms)
    subs = ", ".join(f"{s.name}: sp.Rational('{point[s]}')" for s in syms)
    return (
        f"python -c \"import sympy as sp; from sympy import *; {decl}; "
        f"print(sp.N(({lhs}) - ({rhs}), {digits}, subs={{{subs}}}))\""
    )


@dataclass(frozen=True, slots=True)
class _PointOutcome:
    """Both sides at one point; ``error`` is relative, None where one side only is undefined."""

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


def _compare_at(lhs, rhs, symbols, point, digits, max_digits, tolerance_digits, relation) -> _PointOutcome:
    a = stable_value(lhs, symbols, point, digits, max_digits)
    b = stable_value(rhs, symbols, point, digits, max_digits)
    dps = max(a.dps, b.dps)
    if (a.value is None and b.value is None) or a.value is BEYOND or b.value is BEYOND:
        return _PointOutcome(point, a.value, b.value, None, dps, fails=False)
    tolerance = mpmath.mpf(10) ** (-tolerance_digits)
    if (a.value is None) != (b.value is None) and _removable_singularity(
        lhs, rhs, symbols, point, digits, max_digits, tolerance
    ):
        return _PointOutcome(point, None, None, None, dps, fails=False)
    if relation == "<=":
        # lhs <= rhs up to the tolerance; the "error" is how far lhs exceeds rhs
        if a.value is None or b.value is None or isinstance(a.value, mpmath.mpc) or isinstance(b.value, mpmath.mpc):
            return _PointOutcome(point, a.value, b.value, None, dps, fails=True)
        if mpmath.isinf(a.value) or mpmath.isinf(b.value):
            return _PointOutcome(point, a.value, b.value, mpmath.mpf(0), dps, fails=not a.value <= b.value)
        excess = (a.value - b.value) / max(mpmath.mpf(1), abs(a.value), abs(b.value))
        return _PointOutcome(point, a.value, b.value, max(excess, mpmath.mpf(0)), dps, fails=excess > tolerance)
    error = _difference(a.value, b.value)
    fails = error is None or error > tolerance
    return _PointOutcome(point, a.value, b.value, error, dps, fails)


def equality_evidence(
    lhs: sp.Basic,
    rhs: sp.Basic,
    symbols: tuple,
    constraints: tuple,
    settings: CheckSettings,
    seed: int,
    what: str = "lhs = rhs",
    relation: str = "=",
):
    """NumericEvidence that ``lhs == rhs`` (or ``lhs <= rhs`` with relation "<=") at the sampled
    points, or the simplest Counterexample.

    ``symbols`` are the declared symbols; only those occurring are sampled.
    """
    syms = relevant_symbols(symbols, lhs, rhs, *constraints)
    usable = tuple(c for c in constraints if c.free_symbols <= set(syms))
    sampler = Sampler(syms, usable, seed)
    tol_digits = settings.tolerance_digits
    tolerance = f"1e-{tol_digits} relative to max(1, |lhs|, |rhs|)"

    def compare(point, digits):
        return _compare_at(lhs, rhs, syms, point, digits, max(settings.max_digits, 4 * digits), tol_digits, relation)

    points = sampler.points(settings.points)
    if not points:
        raise ValueError(f"no point satisfies the domain {', '.join(map(str, usable))} and the symbols' assumptions")
    outcomes = [compare(p, settings.digits) for p in points]
    judged = [o for o in outcomes if o.judged]
    for failure in (o for o in outcomes if o.fails):
        shrunk = _shrink(failure, sampler, lambda p: compare(p, settings.digits))
        replay = compare(shrunk.point, settings.replay_digits)
        if not replay.fails:  # a precision artefact, not a counterexample; try the next failure
            continue
        note = ""
        if replay.lhs is None or replay.rhs is None:
            note = f"{'lhs' if replay.lhs is None else 'rhs'} is undefined (or not a number) there"
        return Counterexample(
            what=what,
            point=point_text(shrunk.point),
            lhs=fmt(replay.lhs, 20),
            rhs=fmt(replay.rhs, 20),
            difference=fmt(None if replay.lhs is None or replay.rhs is None else replay.lhs - replay.rhs, 6),
            tolerance=tolerance,
            digits=settings.digits,
            replay_digits=settings.replay_digits,
            seed=seed,
            reproduce=reproduce_line(lhs, rhs, shrunk.point, settings.replay_digits),
            note=note,
        )
    if not judged:
        raise ValueError(
            f"no sample point where {what} is defined and within mpmath's range ({len(outcomes)} tried); check the domain"
        )
    worst = max(judged, key=lambda o: o.error)  # none fails here, so every error is a number
    return NumericEvidence(
        what=what,
        points=len(judged),
        digits=settings.digits,
        tolerance=tolerance,
        max_error=fmt(worst.error, 3),
        worst_point=point_text(worst.point),
        seed=seed,
        skipped=len(outcomes) - len(judged),
        raised_to=max(o.dps for o in outcomes),
    )


def _shrink(failure, sampler: Sampler, recheck):
    """Greedily replace coordinates by simpler values while the point still fails."""
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


def _rate(ks: list[int], errors: list, resolved: list[bool]) -> str:
    """A convergence rate from errors along growing k: c k^-p or c e^(-a k)."""
    pts = [(k, abs(e)) for k, e, r in zip(ks, errors, resolved) if r and e != 0]
    if not pts:
        return f"below 1e-{_exp10(errors[0])} from {ks[0]} on (faster than any power)"
    if len(pts) == 1 or len(pts) < len(ks) and pts[-1][0] != ks[-1]:
        # errors become unresolvably small within the range: faster than any power
        (k1, e1) = pts[-2] if len(pts) > 1 else pts[-1]
        (k2, e2) = pts[-1]
        if k2 > k1:
            a = (mpmath.log(e1) - mpmath.log(e2)) / (k2 - k1)
            return f"~ c e^(-{mpmath.nstr(a, 3)} k) (exponential)"
        return f"{mpmath.nstr(e2, 3)} at k = {k2}, then below resolution (exponential)"
    slopes = [
        float((mpmath.log(e1) - mpmath.log(e2)) / (mpmath.log(k2) - mpmath.log(k1)))
        for (k1, e1), (k2, e2) in zip(pts, pts[1:])
    ]
    p = slopes[-1]
    if p > 0 and slopes[0] > 0 and max(slopes) / max(min(slopes), 1e-9) > 1.5 and slopes[-1] > 2 * slopes[0]:
        (k1, e1), (k2, e2) = pts[-2], pts[-1]
        a = (mpmath.log(e1) - mpmath.log(e2)) / (k2 - k1)
        return f"~ c e^(-{mpmath.nstr(a, 3)} k) (exponential)"
    c = pts[-1][1] * mpmath.mpf(pts[-1][0]) ** p
    return f"~ {mpmath.nstr(c, 3)} k^-{p:.2f}"


def _exp10(value) -> int:
    return int(-mpmath.floor(mpmath.log10(abs(value)))) if value else 0


def _path(expr, target, var, syms, point, settings, digits):
    """The signed error expr - target along settings.limit_ks at one point; the path stops at
    the first k where the value is beyond mpmath's range.

    Once an error is below the tolerance, later k are evaluated at the working precision only:
    they need to show the error stays negligible, not resolve how far below it lies (that costs
    hundreds of digits for e^{-k x} at k = 10^6)."""
    difference = expr - target
    all_syms = syms + (var,)
    ks, errors, resolved = [], [], []
    tolerance = mpmath.mpf(10) ** (-settings.tolerance_digits)
    max_digits = max(settings.max_digits, 4 * digits)
    for k in settings.limit_ks:
        full = dict(point)
        full[var] = sp.Integer(k)
        value, ok = resolved_error(difference, all_syms, full, digits, max_digits)
        if value is BEYOND:
            break
        ks.append(k)
        errors.append(value)
        resolved.append(ok)
        if value is not None and not isinstance(value, mpmath.mpc) and (not ok or abs(value) <= tolerance):
            max_digits = 2 * (digits + 10)
    return ks, errors, resolved


MIN_LIMIT_KS = 3  # values of k a path needs before it can say "converges" or "does not"


def _converges(errors: list, resolved: list[bool], scale_ok) -> bool:
    """Converged when the last error is negligible, or the errors shrink by at least half per
    decade over the last three decades (an algebraic rate k^-p with p >= 0.3).

    Never converged where the error is undefined or infinite at some k, or not real: an
    expression of real symbols that takes non-real values (a logarithm of a negative number)
    does not approach a real target, even when its imaginary part fades like i pi / k."""
    if any(e is None or mpmath.isinf(e) for e in errors):
        return False
    if any(isinstance(e, mpmath.mpc) and not scale_ok(e.imag) for e in errors):
        return False
    last = errors[-1]
    if not resolved[-1] or scale_ok(last):
        return True
    tail = [abs(e) for e in errors[-4:]]
    return all(b <= a / 2 for a, b in zip(tail, tail[1:]))


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
    where the error does not shrink (shrunk to a simple point, replayed at twice the digits)."""
    syms = tuple(s for s in relevant_symbols(symbols, expr, target, *constraints) if s != var)
    usable = tuple(c for c in constraints if c.free_symbols <= set(syms))
    sampler = Sampler(syms, usable, seed)
    points = sampler.edge_points() + sampler.random_points(settings.limit_points)
    if not points:
        raise ValueError(f"no point satisfies the domain {', '.join(map(str, usable))} and the symbols' assumptions")
    tol = mpmath.mpf(10) ** (-settings.tolerance_digits)

    def follow(point, digits):
        """(ks, errors, resolved, verdict): verdict True (converges), False (does not), or
        None (inconclusive: beyond mpmath's range before three values of k were reached)."""
        ks, errors, resolved = _path(expr, target, var, syms, point, settings, digits)
        if len(ks) < MIN_LIMIT_KS:
            return ks, errors, resolved, None
        return ks, errors, resolved, _converges(errors, resolved, lambda e: abs(e) <= tol)

    paths, signs, beyond = [], set(), []
    for point in points:
        ks, errors, resolved, ok = follow(point, settings.digits)
        if ok is None:
            beyond.append(point)
            continue
        if not ok:
            return _limit_counterexample(expr, var, target, syms, point, sampler, follow, settings, seed, what)
        paths.append(ConvergencePath(
            point=point_text(point),
            ks=tuple(str(k) for k in ks),
            errors=tuple(fmt(e, 4) if r else f"<{fmt(e, 1)}" for e, r in zip(errors, resolved)),
            rate=_rate(ks, errors, resolved),
            converges=True,
        ))
        signs.update(mpmath.sign(e) for e, r in zip(errors, resolved) if r and not isinstance(e, mpmath.mpc))
    if not paths:
        raise ValueError(
            f"{what}: beyond mpmath's range (e^z with |z| > 1e100) before {var.name} = "
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
    )


def _slowest(paths) -> str:
    def key(path):
        rate = path.rate
        if "k^-" in rate:
            return (0, float(rate.split("k^-")[1]))
        return (1, 0.0)

    return min(paths, key=key).rate if paths else "-"


def _limit_counterexample(expr, var, target, syms, point, sampler, follow, settings, seed, what):
    def fails(p):
        return follow(p, settings.digits)[3] is False

    current = point
    for _ in range(30):
        for candidate in sampler.simpler(current):
            if fails(candidate):
                current = candidate
                break
        else:
            break
    ks, errors, resolved, ok = follow(current, settings.replay_digits)
    if ok is not False:  # did not survive replay at higher precision: no counterexample after all
        raise ValueError(f"{what}: the limit check at {point_text(current)} changes with the precision")
    full = dict(current)
    full[var] = sp.Integer(ks[-1])
    all_syms = syms + (var,)
    value = stable_value(expr, all_syms, full, settings.replay_digits, settings.max_digits).value
    goal = stable_value(target, all_syms, full, settings.replay_digits, settings.max_digits).value
    trail = ", ".join(f"{k}: {fmt(e, 3)}" for k, e in zip(ks, errors))
    return Counterexample(
        what=what,
        point=point_text(current),
        lhs=f"{fmt(value, 20)} (at {var.name} = {ks[-1]})",
        rhs=fmt(goal, 20),
        difference=fmt(errors[-1], 6) if errors[-1] is not None else "undefined",
        tolerance=f"the error must shrink at least 2x per decade of {var.name}, or fall below 1e-{settings.tolerance_digits}",
        digits=settings.digits,
        replay_digits=settings.replay_digits,
        seed=seed,
        reproduce=reproduce_line(expr, target, full, settings.replay_digits),
        note=f"error along {var.name}: {trail}",
    )
