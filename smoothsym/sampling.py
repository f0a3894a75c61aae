"""Points drawn from a declared domain: random ones, the edge points where claims typically
break, and the exceptional points of the claims themselves.

A point maps each symbol to an exact real SymPy number, so a failing point can be printed
exactly, shrunk towards small integers and replayed at any precision. Most values are
rationals; the exceptional points and a few edge points are other exact reals: algebraic
numbers (``sqrt(2)``, ``(1 + sqrt(5))/2``) or simple transcendental ones (``pi/4``).
``to_mpmath`` turns any of them into an mpmath number at the working precision.

The ``Sampler`` honours each symbol's SymPy assumptions exactly (integer, even, odd, prime,
rational, irrational, positive, nonnegative, nonzero, ...) and the domain's constraints
(``x + y >= 0``, ``Ne(x, 0)``); on a domain with equalities or finite sets (``Eq(p1 + p2 + p3,
1)``, ``Contains(y, FiniteSet(0, 1))``) it samples each case of ``constraints.cases`` (p3 = 1 -
p1 - p2; y = 0, y = 1) in its free symbols and completes the points, so they lie on the set
exactly. It always includes the edge points: zero, ties (x = y), large
magnitudes where k*x is around 10^3, and a few irrational values. Given the expressions of a
claim (``claims``) and its limit variable (``limit``), it also includes the claim's
*exceptional points*: the real zeros of its denominators, of the arguments of Abs, Max, Min,
sign and Heaviside, of the sides of its relations and Piecewise conditions, and of the
coefficients of the limit variable (``1 + k*(x - sqrt(2))**2`` gives ``x = sqrt(2)``), solved
exactly.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True); k = sp.Symbol("k", positive=True)
>>> s = Sampler((x, k), (sp.Ne(x, 0),), seed=1)
>>> pts = s.points(10)
>>> all(p[k] > 0 and p[x] != 0 for p in pts)
True
>>> s = Sampler((x,), claims=(1 / (1 + k * (x - sp.sqrt(2))**2),), limit=k)
>>> [p[x] for p in s.exceptional_points()]
[sqrt(2)]
>>> sp.sqrt(2) in [p[x] for p in s.edge_points()]
True
"""

from __future__ import annotations

import math
import random
import time
import zlib
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from functools import lru_cache
from itertools import combinations, product

import mpmath
import numpy
import sympy as sp
from sympy.core.relational import Relational

from .constraints import MAX_CASES, Case, drawn_cases, is_eliminated
from .errors import StepTimeout
from .timelimit import time_limit

Point = dict  # dict[sp.Symbol, exact real SymPy number: sp.Rational, or e.g. sqrt(2), pi/4]

SIMPLE_VALUES = tuple(
    sp.Rational(v)
    for v in ("0", "1", "-1", "2", "-2", "1/2", "-1/2", "3", "-3", "1/3", "-1/3", "3/2", "-3/2", "5", "-5", "10", "-10")
)
# simplest-first values for shrinking a symbol declared irrational (no rational is allowed)
IRRATIONAL_VALUES = (sp.sqrt(2) / 2, -sp.sqrt(2) / 2, sp.sqrt(2), -sp.sqrt(2), sp.pi / 4, -sp.pi / 4)
# edge values off the rationals: all coordinates sqrt(2)/2, then these in turn
EDGE_IRRATIONALS = (sp.pi / 4, -sp.sqrt(3), (1 + sp.sqrt(5)) / 2)
LARGE = sp.Integer(1000)  # |k x| around 10^3: e^(k x) far beyond float64, easy for mpmath
MAX_CASE_POINTS = 64  # edge points over all the cases of a finite-set domain (see _from_pieces)
MAX_TIE_PAIRS = 6  # edge points stay few when a claim has many variables
MAX_LARGE_SYMBOLS = 3

# exceptional points: bounded work, whatever the claim
MAX_CRITICAL = 30  # critical expressions solved per sampler
MAX_CRITICAL_SYMBOLS = 3  # an expression in more symbols is skipped
MAX_DEGREE = 6  # polynomial (numerator) degree beyond which an equation is skipped
MAX_ROOTS = 4  # real roots kept per equation, simplest first
MAX_POINTS_PER_EXPRESSION = 3
MAX_EXCEPTIONAL_POINTS = 16
MAX_FAR_NEIGHBOURS = 4  # points either side of an exceptional point beyond LARGE (_either_side)
MAX_VALUE_TEXT = 60  # a root longer than this as text is skipped (nested radicals)
MAX_EQUATION_NODES = 100  # an equation larger than this (in expression nodes) is skipped
MAX_NODES = 3000  # sub-expressions of one claim scanned for critical expressions
SOLVE_SECONDS = 2.0  # CPU seconds one equation may take; a backstop, the guards above come first

_SIGN_FACTS = ("positive", "negative", "nonnegative", "nonpositive", "zero", "nonzero")
# the SymPy facts a value must share with its symbol, when the symbol's fact is known
FACTS = (
    "zero", "nonzero", "positive", "negative", "nonnegative", "nonpositive",
    "integer", "rational", "irrational", "algebraic", "transcendental",
    "even", "odd", "prime", "composite",
)


# -- exact real values -------------------------------------------------------------------


def complexity(value: sp.Expr) -> int:
    """How far a value is from simple: |numerator| + denominator for a rational; any other
    value (sqrt(2), pi/4) is more complex than every simple rational: 1000 + its text length."""
    if isinstance(value, sp.Rational):
        return abs(int(value.p)) + int(value.q)
    return 1000 + len(str(value))


def point_text(point: Point) -> dict[str, str]:
    """A point as ``{name: "exact value"}``, in declaration order (``"1/7"``, ``"sqrt(2)"``)."""
    return {s.name: str(v) for s, v in point.items()}


def value_code(value: sp.Expr) -> str:
    """Python source for an exact value, for pasteable reproduction lines: ``sp.Rational('1/7')``
    or ``sp.sympify('sqrt(2)')``."""
    if isinstance(value, sp.Rational):
        return f"sp.Rational('{value}')"
    return f"sp.sympify('{value}')"


@lru_cache(maxsize=8192)
def _evaluated(value: sp.Expr, dps: int):
    return sp.N(value, dps + 10)


def to_mpmath(value: sp.Expr):
    """An exact real value as an mpmath mpf at the current working precision (``mpmath.mp``,
    e.g. inside ``mpmath.workdps(n)``): exact division for a rational, evalf otherwise."""
    if isinstance(value, sp.Rational):
        return mpmath.mpf(int(value.p)) / int(value.q)
    if isinstance(value, (int, Fraction)):
        return mpmath.mpf(Fraction(value).numerator) / Fraction(value).denominator
    number = _evaluated(sp.sympify(value), mpmath.mp.dps)
    if not isinstance(number, sp.Float):
        raise ValueError(f"{value} is not a real number")
    return +mpmath.mpf(number._mpf_)


@lru_cache(maxsize=8192)
def _sign(value: sp.Expr) -> int | None:
    """The sign of an exact real value (-1, 0, 1), or None if SymPy cannot decide it."""
    if isinstance(value, sp.Rational):
        return (value.p > 0) - (value.p < 0)
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    return None


def _has_fact(value: sp.Expr, fact: str) -> bool | None:
    if fact in _SIGN_FACTS:
        sign = _sign(value)
        if sign is None:
            return None
        return {
            "positive": sign > 0, "negative": sign < 0, "nonnegative": sign >= 0,
            "nonpositive": sign <= 0, "zero": sign == 0, "nonzero": sign != 0,
        }[fact]
    return getattr(value, "is_" + fact)


@lru_cache(maxsize=1024)
def required_facts(symbol: sp.Symbol) -> tuple[tuple[str, bool], ...]:
    """The facts of ``FACTS`` SymPy knows about ``symbol`` (declared or implied: prime implies
    positive and integer, odd implies nonzero), as (fact, True/False) pairs."""
    found = []
    for fact in FACTS:
        known = getattr(symbol, "is_" + fact)
        if known is not None:
            found.append((fact, bool(known)))
    return tuple(found)


def violated_fact(symbol: sp.Symbol, value: sp.Basic) -> str | None:
    """The first fact ``symbol`` is declared with that ``value`` is known not to meet, worded as
    declared ("positive", "not zero"), or None (met, or not known either way: k -> a for a
    symbol a of unknown sign).

    >>> violated_fact(sp.Symbol("k", positive=True), sp.Integer(-1)), violated_fact(sp.Symbol("k", positive=True), sp.Integer(2))
    ('positive', None)
    """
    value = sp.sympify(value)
    for fact, wanted in required_facts(symbol):
        if _has_fact(value, fact) is (not wanted):
            return fact if wanted else f"not {fact}"
    return None


@lru_cache(maxsize=1024)
def _facts(symbol: sp.Symbol) -> MappingProxyType:
    """``required_facts`` as a read-only mapping (one, shared by every call)."""
    return MappingProxyType(dict(required_facts(symbol)))


def _decimal(text: str) -> sp.Rational:
    """The exact value of a decimal numeral such as "-3.1416" or "1.2e-05" (as
    ``sp.Rational(Fraction(text))``, without SymPy's parsing of the Fraction)."""
    value = Fraction(text)
    return sp.Rational(value.numerator, value.denominator)


@lru_cache(maxsize=65536)
def _admits(symbol: sp.Symbol, value: sp.Expr) -> bool:
    if not isinstance(value, sp.Rational) and not (value.is_number and value.is_real):
        return False
    return all(_has_fact(value, fact) is wanted for fact, wanted in required_facts(symbol))


def _nearest_integer(value: sp.Expr) -> sp.Integer:
    if isinstance(value, sp.Rational):
        return sp.Integer(round(value))
    return sp.Integer(round(float(value)))


def _rationalized(value: sp.Expr) -> sp.Rational:
    """A short decimal near an irrational value (0.71 for sqrt(2)/2)."""
    return sp.Rational(round(float(value) * 100), 100)


# -- constraints -------------------------------------------------------------------------

SIGN_TESTS = {  # the sign of lhs - rhs that makes each relation hold
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


def _exact_sign(difference: sp.Expr) -> int | None:
    """The sign of an exact number that is zero or nearly so: exact where SymPy can decide,
    else from 300 digits."""
    if isinstance(difference, sp.Rational):
        return (difference.p > 0) - (difference.p < 0)
    if difference.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
        return None
    value = difference.evalf(60)
    if isinstance(value, sp.Float) and abs(value) > sp.Float(10) ** -50:
        return 1 if value > 0 else -1
    if difference.equals(0):
        return 0
    value = difference.evalf(300)
    if isinstance(value, sp.Float) and abs(value) > sp.Float(10) ** -280:
        return 1 if value > 0 else -1
    return None


def _holds(constraint: sp.Basic, point: Point) -> bool:
    """Whether a constraint holds at a point: decided by the sign of lhs - rhs at 30 digits when
    that sign is clear (fast, and SymPy's subs is slow on exp and log), exactly otherwise."""
    test = SIGN_TESTS.get(type(constraint))
    if test is not None:
        symbols = tuple(sorted(constraint.free_symbols, key=lambda s: s.name))
        try:
            with mpmath.workdps(30):
                difference = _difference_function(constraint, symbols)(*(to_mpmath(point[s]) for s in symbols))
            if isinstance(difference, mpmath.mpf) and abs(difference) > mpmath.mpf(10) ** -20:
                return bool(test(difference))
        except (KeyError, ZeroDivisionError, ValueError, TypeError, OverflowError):
            pass
        try:
            sign = _exact_sign(sp.sympify(constraint.lhs - constraint.rhs).subs(point))
        except (TypeError, ValueError):
            sign = None
        return sign is not None and bool(test(sign))
    truth = constraint.subs(point)
    if truth not in (sp.true, sp.false):
        truth = sp.sympify(truth).evalf(60) if hasattr(truth, "evalf") else truth
    return truth is sp.true or truth == True  # noqa: E712 (SymPy booleans)


# -- exceptional points: where a claim's expressions break -------------------------------


def _zero_factors(expr: sp.Expr) -> list[sp.Expr]:
    """``expr`` split into factors with the same real zeros, numbers and signs dropped:
    3*(x - 1/7)**2*y gives [x - 1/7, y]."""
    if not isinstance(expr, sp.Expr) or expr.is_number:
        return []
    if expr.is_Mul:
        return [f for arg in expr.args for f in _zero_factors(arg)]
    if expr.is_Pow and expr.exp.is_number and expr.exp.is_positive:
        return _zero_factors(expr.base)
    if expr.is_Pow and expr.exp.is_negative:  # 1/b: no zeros (b's are poles, found apart)
        return []
    if expr.is_Add:
        expr = expr.as_content_primitive()[1]
        if expr.could_extract_minus_sign():
            expr = -expr
    return [expr]


@lru_cache(maxsize=512)
def critical_expressions(claims: tuple, limit: sp.Symbol | None = None) -> tuple:
    """The expressions whose real zeros are the exceptional points of ``claims``, most telling
    first: the coefficients of the positive powers of ``limit`` in every sub-expression
    polynomial in it (and b - 1, b + 1 for a power b^(k...)), then the arguments of Abs, sign,
    Heaviside and DiracDelta, the differences of the arguments of Max and Min and of the sides
    of every relation (Piecewise conditions included), then denominators, then the arguments of
    logarithms and roots, and last the claims themselves. Each is split into factors; a factor
    with ``limit`` in it is dropped; the result is deduplicated, at most ``MAX_CRITICAL`` long.

    >>> x, y = sp.symbols("x y", real=True); k = sp.Symbol("k", positive=True)
    >>> critical_expressions((sp.exp(k * (x - y)) + sp.Abs(x + y) / (x - 3),), k)
    (x - y, x + y, x - 3)
    """
    coefficients, kinks, extrema, poles, branches = [], [], [], [], []
    for claim in claims:
        more = _classified(sp.sympify(claim), limit)
        coefficients += more[0]
        kinks += more[1]
        extrema += more[2]
        poles += more[3]
        branches += more[4]
    found: list[sp.Expr] = []
    tops = [c for c in map(sp.sympify, claims) if isinstance(c, sp.Expr)]
    for expr in coefficients + kinks + extrema + poles + branches + tops:
        for factor in _zero_factors(sp.sympify(expr)):
            if factor not in found and (limit is None or limit not in factor.free_symbols):
                found.append(factor)
    return tuple(found[:MAX_CRITICAL])


@lru_cache(maxsize=2048)
def _classified(claim: sp.Basic, limit: sp.Symbol | None) -> tuple[tuple, tuple, tuple, tuple, tuple]:
    """The sub-expressions of one claim whose zeros are exceptional: (coefficients of ``limit``,
    kinks and jumps, extrema, poles, branch points), as ``critical_expressions`` orders them.
    Cached: the steps of a derivation share their sides, and each sampler asks again."""
    coefficients, kinks, extrema, poles, branches = [], [], [], [], []
    for count, node in enumerate(sp.preorder_traversal(claim)):
        if count >= MAX_NODES:
            break
        if isinstance(node, Relational):
            if isinstance(node.lhs, sp.Expr) and isinstance(node.rhs, sp.Expr):
                kinks.append(node.lhs - node.rhs)
            continue
        if not isinstance(node, sp.Expr) or node.is_number:
            continue
        if limit is not None and limit in node.free_symbols and node != limit:
            if node.is_polynomial(limit):
                try:
                    terms = sp.Poly(node, limit).terms()
                except Exception:  # noqa: BLE001 (a node SymPy cannot make a Poly: no coefficients)
                    terms = []
                coefficients += [c for (power,), c in terms if power >= 1]
            if node.is_Pow and limit in node.exp.free_symbols and limit not in node.base.free_symbols:
                coefficients += [node.base - 1, node.base + 1]
            if node.is_Add:  # a e^(k x) + e^(k y): where a = 0 the term, and the limit, is gone
                for term in node.args:
                    if limit in term.free_symbols:
                        coefficient = term.as_independent(limit, as_Add=False)[0]
                        if not coefficient.is_number:
                            coefficients.append(coefficient)
        if isinstance(node, sp.exp):  # e^(-100 (x - 700)^2): a bump at its vertex, x = 700
            argument = node.args[0]
            for symbol in argument.free_symbols - {limit}:
                # quadratic in symbol: its second derivative a nonzero constant in it (sp.degree
                # builds a Poly, slow on arguments with many symbols)
                if not argument.is_polynomial(symbol):
                    continue
                slope = sp.diff(argument, symbol)
                curvature = sp.diff(slope, symbol)
                if curvature != 0 and symbol not in curvature.free_symbols:
                    extrema.append(slope)
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside, sp.DiracDelta, sp.acot)):
            kinks.append(node.args[0])  # acot jumps at 0 (from -pi/2 to pi/2, SymPy's convention)
        elif isinstance(node, (sp.Max, sp.Min)):
            kinks += [a - b for a, b in list(combinations(node.args, 2))[:10]]
        elif isinstance(node, sp.atan2):  # its branch cut: y = 0 (x < 0), and x = 0
            kinks += list(node.args)
        elif node.is_Pow and node.exp.is_negative:
            poles.append(node.base)
        elif node.is_Pow and node.exp.is_number and not node.exp.is_integer:
            branches.append(node.base)
        elif isinstance(node, sp.log):
            branches.append(node.args[0])
    return tuple(coefficients), tuple(kinks), tuple(extrema), tuple(poles), tuple(branches)


@lru_cache(maxsize=1024)
def break_points(expr: sp.Expr, x: sp.Symbol) -> tuple:
    """Where ``expr`` may jump, kink or blow up as x varies: the roots in x of its kinks (Abs,
    sign, Heaviside, Max, Min, acot, Piecewise conditions), poles and branch points, each exact
    and free of x, possibly in the other symbols (|x - a| gives a), at most ``MAX_ROOTS`` per
    expression; () where none is found quickly.

    >>> x, a = sp.symbols("x a", real=True)
    >>> break_points(sp.atan(1 / x) + sp.Abs(x - a), x)
    (a, 0)
    """
    _, kinks, _, poles, branches = _classified(sp.sympify(expr), None)
    kinks, poles, branches = list(kinks), list(poles), list(branches)
    found = []
    for part in kinks + poles + branches:
        if x not in part.free_symbols:
            continue
        for root in _timed_solve(part, x)[:MAX_ROOTS]:
            if x not in root.free_symbols and root.is_real is not False and not root.has(sp.I, sp.nan, sp.zoo) \
                    and root not in found:
                found.append(root)
    return tuple(found)


def _explicit_real(value: sp.Expr) -> bool:
    if isinstance(value, sp.CRootOf):  # a real root of an integer polynomial, as itself
        return bool(value.is_real)
    return (
        isinstance(value, sp.Expr)
        and value.is_number
        and not value.has(sp.I, sp.nan, sp.zoo, sp.oo, -sp.oo, sp.CRootOf)
        and len(str(value)) <= MAX_VALUE_TEXT
        and value.is_real is True
    )


def _polynomial_roots(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Real roots of a polynomial of degree <= MAX_DEGREE: from its factors of degree <= 2 over
    the field of its coefficients when they are algebraic (an irreducible factor of degree 3 or
    more with rational coefficients as CRootOf, one with irrational ones skipped), by the
    quadratic formula when they are transcendental (no factoring then: over ZZ[exp(656)] it can
    take minutes)."""
    algebraic = not expr.atoms(sp.Function, sp.NumberSymbol)
    try:
        poly = sp.Poly(expr, x, extension=True) if algebraic else sp.Poly(expr, x)
        if algebraic and poly.degree() > MAX_DEGREE and all(c.is_Rational for c in poly.all_coeffs()):
            poly = poly.sqf_part()  # a square's roots are its base's: (x^5 - x - 1)^2 expanded is of degree 10
        if not 1 <= poly.degree() <= MAX_DEGREE or (not algebraic and poly.degree() > 2):
            return []
        factors = [f for f, _ in poly.factor_list()[1]] if algebraic and poly.degree() > 1 else [poly]
    except Exception:  # noqa: BLE001 (not a polynomial SymPy can handle: skipped)
        return []
    roots = []
    for factor in factors:
        if factor.degree() == 1:
            c1, c0 = factor.all_coeffs()
            roots.append(sp.sympify(-c0 / c1))
        elif factor.degree() == 2:
            a, b, c = factor.all_coeffs()
            discriminant = sp.sympify(b**2 - 4 * a * c)
            if _sign(discriminant) in (0, 1):
                root = sp.sqrt(discriminant)
                roots += [(-b + root) / (2 * a), (-b - root) / (2 * a)]
        elif all(c.is_Rational for c in factor.all_coeffs()):
            # an irreducible cubic or beyond over the rationals: its real roots as CRootOf, exact
            # (x^3 - x - 1 = 0 at 1.3247..., where 1/(1 + k (x^3 - x - 1)^2) -> 0 fails)
            roots += list(sp.Poly(factor.as_expr(), x).real_roots())
    return [r if isinstance(r, (sp.Rational, sp.CRootOf)) else sp.radsimp(r) for r in roots]


def _linear_root(expr: sp.Expr, g: sp.Symbol) -> sp.Expr | None:
    """-c0/c1 when ``expr`` is visibly c1*g + c0 (c0, c1 free of g), else None: a cheap look at
    the root, without building a Poly."""
    constant, slope = [], []
    for term in sp.Add.make_args(expr):
        if g not in term.free_symbols:
            constant.append(term)
            continue
        coefficient, rest = term.as_independent(g, as_Add=False)
        if rest != g:
            return None
        slope.append(coefficient)
    if not slope:
        return None
    return -sp.Add(*constant) / sp.Add(*slope)


def _clearly_negative(value: sp.Expr) -> bool:
    """Whether an exact number is negative by a wide margin at 30 digits (a cheap test: a value
    it passes would be refused by ``_sign`` too, or be no explicit real at all)."""
    try:
        number = value.evalf(30)
    except Exception:  # noqa: BLE001 (not evaluable: decided the slow way)
        return False
    return isinstance(number, sp.Float) and number < -1e-20


@lru_cache(maxsize=4096)
def _invertible(generator: sp.Expr, x: sp.Symbol) -> bool:
    return (
        isinstance(generator, (sp.exp, sp.log))
        and generator.args[0].is_polynomial(x)
        and sp.degree(generator.args[0], x) <= 2
    )


def _transcendental_roots(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Real roots of a polynomial in one exp(a(x)) or log(a(x)), a of degree <= 2:
    exp(x) - 2 gives log(2). Anything else (exp(x) and exp(2*x), x*exp(x)) is skipped."""
    atoms = [a for a in expr.atoms(sp.exp, sp.log) if x in a.free_symbols]
    if len(atoms) != 1 or not _invertible(atoms[0], x):
        return []
    (generator,) = atoms
    g = sp.Dummy("g", real=True)
    reduced = expr.xreplace({generator: g})
    if x in reduced.free_symbols or not reduced.is_polynomial(g):
        return []
    if isinstance(generator, sp.exp):
        linear = _linear_root(reduced, g)
        if linear is not None and _clearly_negative(linear):
            return []  # exp(a) = r < 0 (a sum of exponentials): no root, and no Poly built to see it
    roots = []
    for r in _polynomial_roots(reduced, g):
        if isinstance(generator, sp.exp) and _clearly_negative(r):
            continue  # exp(a) = r < 0: no root (cheaper than _explicit_real and _sign, same outcome)
        if not _explicit_real(r):
            continue
        if isinstance(generator, sp.exp):
            if _sign(r) != 1:
                continue
            inner = generator.args[0] - sp.log(r)
        else:
            inner = generator.args[0] - sp.exp(r)
        roots += _polynomial_roots(inner, x)
    return roots


def _size(expr: sp.Basic, limit: int) -> int:
    """The number of nodes of ``expr``, counted up to ``limit``."""
    for count, _ in enumerate(sp.preorder_traversal(expr)):
        if count >= limit:
            break
    return count


def _solve(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    if _size(expr, MAX_EQUATION_NODES) >= MAX_EQUATION_NODES:
        return []
    numerator = sp.sympify(expr).as_numer_denom()[0]
    roots = []
    for factor in _zero_factors(numerator):
        if x not in factor.free_symbols:
            continue
        if factor.is_polynomial(x):
            roots += _polynomial_roots(factor, x)
        elif (absolute := _one_abs(factor, x)) is not None:
            roots += _abs_roots(factor, absolute, x)
        else:
            roots += _transcendental_roots(factor, x) or _trigonometric_roots(factor, x)
    return roots


def _one_abs(expr: sp.Expr, x: sp.Symbol):
    """The one Abs(u) of ``expr`` with u polynomial in x, or None."""
    found = [a for a in expr.atoms(sp.Abs) if x in a.free_symbols]
    if len(found) != 1 or not found[0].args[0].is_polynomial(x):
        return None
    return found[0]


def _abs_roots(expr: sp.Expr, absolute: sp.Abs, x: sp.Symbol) -> list[sp.Expr]:
    """The roots of an equation in one |u| (|x| - 1: 1 and -1; the edges of a Piecewise on
    |x| <= 1): solved with u and with -u for |u|, each root kept on its own side (u >= 0, u <= 0)."""
    u = absolute.args[0]
    roots = []
    for sign in (1, -1):
        branch = expr.xreplace({absolute: sign * u})
        if x in branch.atoms(sp.Abs) or not branch.is_polynomial(x):
            continue
        for r in _polynomial_roots(branch, x):
            side = _sign(sp.sympify(u.subs(x, r)))
            if side is None and r.free_symbols:
                roots.append(r)  # in the other symbols: the side depends on them, kept
            elif side in (0, sign):
                roots.append(r)
    return roots


_PERIODS = (0, 1, -1)  # the solutions of sin(a) = r kept: the principal ones and one period either side


def _trigonometric_roots(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """Real roots of a polynomial of degree <= 2 in one sin, cos or tan of a linear a(x) = p x + q:
    cos(x) gives pi/2, -pi/2, 3 pi/2, ...; sin(x) - 1 gives pi/2, 5 pi/2, -3 pi/2. The principal
    solutions and one period to either side (a domain such as [3, 4] holds pi); the sampler keeps
    those its domain allows."""
    atoms = [a for a in expr.atoms(sp.sin, sp.cos, sp.tan) if x in a.free_symbols]
    if len(atoms) != 1:
        return []
    (generator,) = atoms
    inner = generator.args[0]
    if not inner.is_polynomial(x) or sp.degree(inner, x) != 1:
        return []
    g = sp.Dummy("g", real=True)
    reduced = expr.xreplace({generator: g})
    if x in reduced.free_symbols or not reduced.is_polynomial(g):
        return []
    angles = []
    for r in _polynomial_roots(reduced, g):
        if not _explicit_real(r):
            continue
        if isinstance(generator, sp.tan):
            angles += [sp.atan(r) + n * sp.pi for n in _PERIODS]
        elif _sign(abs(r) - 1) != 1:
            base = (sp.asin(r), sp.pi - sp.asin(r)) if isinstance(generator, sp.sin) else (sp.acos(r), -sp.acos(r))
            angles += [b + 2 * n * sp.pi for b in dict.fromkeys(base) for n in _PERIODS]
    p, q = sp.Poly(inner, x).all_coeffs()
    return [(angle - q) / p for angle in angles]


def _timed_solve(expr: sp.Expr, x: sp.Symbol) -> list[sp.Expr]:
    """``_solve`` within SOLVE_SECONDS: [] where it runs out or SymPy raises (an equation not
    solved is skipped); an outer time limit expiring meanwhile is raised on."""
    started = time.process_time()
    try:
        with time_limit(SOLVE_SECONDS):
            return _solve(expr, x)
    except StepTimeout:
        if time.process_time() - started < 0.9 * SOLVE_SECONDS:
            raise  # an outer limit expired, not ours
        return []
    except Exception:  # noqa: BLE001 (SymPy raises many kinds; an equation not solved is skipped)
        return []


@lru_cache(maxsize=4096)
def real_roots(expr: sp.Expr, x: sp.Symbol) -> tuple:
    """The real roots of ``expr`` = 0 in the one symbol ``x``, exact, at most ``MAX_ROOTS``,
    simplest first; () where they are not found quickly (an equation that is not polynomial of
    degree <= MAX_DEGREE in x or in one exp/log of x, an irreducible cubic or beyond).

    >>> x = sp.Symbol("x", real=True)
    >>> real_roots((x**2 - 2)**2, x), real_roots(sp.exp(x) - 2, x), real_roots(x**2 + 1, x)
    ((sqrt(2), -sqrt(2)), (log(2),), ())
    """
    unique = []
    for r in _timed_solve(expr, x):
        if _explicit_real(r) and r not in unique:
            unique.append(r)
    unique.sort(key=lambda r: (complexity(abs(r)), _sign(r) == -1, str(r)))
    return tuple(unique[:MAX_ROOTS])


UNNAMED_RANGE = 50  # |x| up to this is scanned for roots no exact value names
UNNAMED_GRID = 4001


@lru_cache(maxsize=1024)
def unnamed_roots(expr: sp.Expr, x: sp.Symbol) -> tuple:
    """Real roots of ``expr`` = 0 in the one symbol ``x`` with |x| <= UNNAMED_RANGE that SymPy
    gives no exact value for (x = cos x at 0.739085..., x sin x = 1): found by a sign change or
    a near-zero minimum of |expr| on a grid, confirmed by mpmath's findroot to 30 digits; as
    floats, at most MAX_ROOTS. Only where ``real_roots`` finds none: such a point cannot be
    sampled exactly, so a claim that breaks there can only be called inconclusive."""
    if real_roots(expr, x) or x not in expr.free_symbols or expr.free_symbols != {x}:
        return ()
    try:
        f = sp.lambdify(x, expr, "numpy")
        f_mp = sp.lambdify(x, expr, "mpmath")
        grid = numpy.linspace(-UNNAMED_RANGE, UNNAMED_RANGE, UNNAMED_GRID)
        with numpy.errstate(all="ignore"):
            values = numpy.asarray(f(grid), dtype=float) * numpy.ones_like(grid)
    except Exception:  # noqa: BLE001 (not evaluable as floats: nothing found)
        return ()
    finite = numpy.isfinite(values)
    starts = [grid[i] for i in range(len(grid) - 1)
              if finite[i] and finite[i + 1] and values[i] * values[i + 1] < 0]
    size = numpy.abs(values)
    starts += [grid[i] for i in range(1, len(grid) - 1) if finite[i - 1] and finite[i] and finite[i + 1]
               and size[i] <= size[i - 1] and size[i] <= size[i + 1] and size[i] < 1e-3]
    found = []
    with mpmath.workdps(40):
        for start in starts:
            try:
                root = mpmath.findroot(f_mp, mpmath.mpf(float(start)))
            except Exception:  # noqa: BLE001 (no convergence from there: not a root)
                continue
            if not isinstance(root, mpmath.mpf) or abs(root) > UNNAMED_RANGE or abs(f_mp(root)) > mpmath.mpf(10) ** -30:
                continue
            simple = sp.Rational(round(float(root) * 840), 840)  # 0 of sin(x) - x/2: exact, and sampled as it is
            if abs(root - mpmath.mpf(float(simple))) < mpmath.mpf(10) ** -20 and expr.xreplace({x: simple}) == 0:
                continue
            if all(abs(root - r) > mpmath.mpf(10) ** -20 for r in found):
                found.append(root)
            if len(found) >= MAX_ROOTS:
                break
    return tuple(float(r) for r in found)


def _rational_near(value: sp.Expr) -> sp.Rational:
    """An exact bound as itself if rational, else a rational within 10^-30 of it."""
    return value if value.is_Rational else sp.Rational(str(sp.N(value, 30)))


def _interval(bounds: list) -> tuple | None:
    """(the largest lower bound, the smallest upper bound) of one symbol's (at, above) bounds, as
    rationals, or None unless it has both with lower < upper."""
    lows = [_rational_near(at) for at, above in bounds if above]
    highs = [_rational_near(at) for at, above in bounds if not above]
    if not lows or not highs or max(lows) >= min(highs):
        return None
    return max(lows), min(highs)


# -- the sampler --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sampler:
    """Draws points of ``symbols`` allowed by their assumptions and by ``constraints``.

    ``claims``  expressions whose exceptional points (see ``critical_expressions``) are added
                to the edge points;
    ``limit``   the limit variable of the claim, or None: never sampled here, its coefficients
                in the claims give exceptional points.
    """

    symbols: tuple
    constraints: tuple = ()
    seed: int = 0
    claims: tuple = ()
    limit: sp.Symbol | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "symbols", tuple(s for s in self.symbols if s != self.limit))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        object.__setattr__(self, "claims", tuple(sp.sympify(c) for c in self.claims))

    # -- what is allowed ----------------------------------------------------------
    def admits_value(self, symbol: sp.Symbol, value: sp.Expr) -> bool:
        """Whether ``value`` (an exact real number) satisfies the symbol's own assumptions:
        every fact of ``FACTS`` SymPy knows about the symbol holds for the value."""
        return _admits(symbol, sp.sympify(value))

    def allows(self, point: Point) -> bool:
        """Whether a point satisfies every assumption and every constraint."""
        for s, v in point.items():
            # a rational value is any real symbol's without asking (the common case, and cheap)
            if (_facts(s) or not isinstance(v, sp.Rational)) and not self.admits_value(s, v):
                return False
        return all(_holds(c, point) for c in self.constraints)

    # -- drawing ------------------------------------------------------------------
    def _fit(self, symbol: sp.Symbol, value: sp.Expr) -> sp.Expr:
        """Move a raw value to one the symbol's assumptions admit: rounded for an integer,
        made even, odd, prime or composite, given the declared sign, made irrational."""
        facts = _facts(symbol)
        if not facts:  # a real symbol (most of them): any real value
            return value if isinstance(value, sp.Basic) else sp.sympify(value)
        if facts.get("zero"):
            return sp.Integer(0)
        value = sp.sympify(value)
        if facts.get("integer"):
            value = _nearest_integer(value)
        elif facts.get("rational") and not isinstance(value, sp.Rational):
            value = _rationalized(value)
        elif facts.get("algebraic") and value.is_algebraic is not True:
            value = _rationalized(value)
        if facts.get("integer") is False and isinstance(value, sp.Integer):
            value += sp.Rational(1, 2)
        if facts.get("transcendental") and not value.is_transcendental:
            base = _rationalized(value) if not isinstance(value, sp.Rational) else value
            value = base * sp.pi if base != 0 else sp.pi / 4
        elif facts.get("irrational") and isinstance(value, sp.Rational):
            value = value * sp.sqrt(2) if value != 0 else sp.sqrt(2) / 2
        sign = _sign(value)
        if (facts.get("positive") or facts.get("nonnegative")) and sign == -1:
            value = -value
        if (facts.get("negative") or facts.get("nonpositive")) and sign == 1:
            value = -value
        if isinstance(value, sp.Integer):
            value = self._fit_integer(facts, value)
        if value == 0 and (facts.get("positive") or facts.get("negative") or facts.get("nonzero")):
            base = sp.Integer(2 if facts.get("even") else 1)
            value = -base if facts.get("negative") else base
        return value

    @staticmethod
    def _fit_integer(facts: dict, value: sp.Integer) -> sp.Integer:
        """An integer made prime, composite, even or odd as declared (the nearest such, upwards
        for primes and composites, towards zero for evens, away from zero for odds)."""
        if facts.get("prime"):
            if facts.get("even"):
                return sp.Integer(2)
            prime = sp.Integer(sp.nextprime(max(int(abs(value)), 2) - 1))
            return sp.Integer(3) if prime == 2 and facts.get("odd") else prime
        if facts.get("composite"):
            n = max(int(abs(value)), 4)
            while sp.isprime(n) or (facts.get("even") and n % 2) or (facts.get("odd") and not n % 2):
                n += 1
            return sp.Integer(n)
        if facts.get("even") and value % 2:
            value = value - 1 if value > 0 else value + 1
        if facts.get("odd") and not value % 2:
            value = value + 1 if value >= 0 else value - 1
        if facts.get("prime") is False and value.is_prime:
            step = 2 if facts.get("even") or facts.get("odd") else 1
            while value.is_prime:
                value += step
        return value

    def _draw(self, rng: random.Random) -> sp.Rational:
        """A raw rational (``_fit`` then moves it to the symbol's assumptions)."""
        kind = rng.random()
        if kind < 0.2:
            return sp.Integer(rng.randint(-5, 5))
        if kind < 0.35:
            return sp.Rational(rng.randint(-20, 20), rng.choice((2, 3, 4, 5, 8, 10)))
        if kind < 0.75:
            return _decimal(f"{rng.uniform(-10, 10):.4f}")
        if kind < 0.92:
            magnitude = 10 ** rng.uniform(-3, 2)
            return _decimal(f"{magnitude:.4g}") * rng.choice((1, -1))
        return _decimal(f"{10 ** rng.uniform(2.5, 3.2):.4g}") * rng.choice((1, -1))

    def random_points(self, count: int) -> list[Point]:
        pieces = _pieces(self)
        if pieces is not None:
            share = max(1, -(-count // max(len(pieces), 1)))
            return self._from_pieces(lambda inner: inner.random_points(share), count)
        rng = random.Random(self.seed)
        found: list[Point] = []
        for _ in range(200 * max(count, 1)):
            if len(found) >= count:
                break
            point = {s: self._fit(s, self._draw(rng)) for s in self.symbols}
            if self.allows(point):
                found.append(point)
        if len(found) < count:
            found += self._near_bounds(rng, count - len(found))
        return found

    def _bounds(self) -> dict:
        """Each symbol's numeric bounds from the constraints that bound it alone (x > 10^30)."""
        bounds: dict = {}
        for c in self.constraints:
            if not isinstance(c, sp.core.relational.Relational) or isinstance(c, (sp.Eq, sp.Ne)):
                continue
            free = c.free_symbols
            if len(free) != 1:
                continue
            (symbol,) = free
            difference = sp.expand(c.lhs - c.rhs)
            slope = difference.coeff(symbol, 1)
            if not (slope.is_number and slope != 0 and (difference - slope * symbol).is_number):
                continue
            at = -(difference - slope * symbol) / slope
            above = isinstance(c, (sp.StrictGreaterThan, sp.GreaterThan)) == bool(slope > 0)
            bounds.setdefault(symbol, []).append((at, above))
        return bounds

    def _near_bounds(self, rng: random.Random, count: int) -> list[Point]:
        """Points drawn beside the constraints' own bounds, for a domain random draws around
        [-10, 10] (and magnitudes to ~1600) never reach, such as x > 10^30."""
        bounds = self._bounds()
        if not bounds:
            return []
        found: list[Point] = []
        between = {s: _interval(b) for s, b in bounds.items()}
        for _ in range(50 * count):
            if len(found) >= count:
                break
            point = {}
            for s in self.symbols:
                if s not in bounds:
                    point[s] = self._fit(s, self._draw(rng))
                    continue
                if between[s] is not None:  # 1000 < x < 1001, 0 < x < 10^-6: inside, anywhere
                    low, high = between[s]
                    point[s] = self._fit(s, low + (high - low) * sp.Rational(rng.randint(1, 999), 1000))
                    continue
                at, above = bounds[s][rng.randrange(len(bounds[s]))]
                at = _rational_near(at)
                offset = (abs(at) + 1) * sp.Rational(rng.randint(1, 1000), 100)
                point[s] = self._fit(s, at + offset if above else at - offset)
            if self.allows(point):
                found.append(point)
        return found

    def fixed_edge_points(self) -> list[Point]:
        """Zero, ones, ties, large magnitudes and irrational values, each kept only where the
        domain allows it (the edge points without the claims' exceptional points)."""
        if _pieces(self) is not None:
            return self._from_pieces(lambda inner: inner.fixed_edge_points())
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
        # off the rationals: a claim true only at rational points, or one whose check
        # silently assumes rational input, fails here
        irrational = [
            {s: self._fit(s, sp.sqrt(2) / 2) for s in syms},
            {s: self._fit(s, EDGE_IRRATIONALS[i % len(EDGE_IRRATIONALS)]) for i, s in enumerate(syms)},
        ]
        return _unique([p for p in base + ties + large + irrational if self.allows(p)], syms)

    def edge_points(self) -> list[Point]:
        """The fixed edge points (``fixed_edge_points``), the domain's edges (``_domain_edges``),
        then the claims' exceptional points (``exceptional_points``); duplicates removed, order
        kept."""
        return _unique(self.fixed_edge_points() + list(_domain_edges(self.symbols, self.constraints))
                       + self.exceptional_points(), self.symbols)

    def _tie_pairs(self) -> list[tuple]:
        """Pairs of like symbols to tie: all pairs for a few symbols, neighbours beyond that
        (n variables would otherwise give n(n-1)/2 pairs)."""
        syms = self.symbols
        pairs = [(a, b) for i, a in enumerate(syms) for b in syms[i + 1:] if a.assumptions0 == b.assumptions0]
        if len(pairs) <= MAX_TIE_PAIRS:
            return pairs
        neighbours = [(a, b) for a, b in zip(syms, syms[1:]) if a.assumptions0 == b.assumptions0]
        return neighbours[: MAX_TIE_PAIRS - 1] + [p for p in pairs[-1:] if p not in neighbours]

    # -- exceptional points ----------------------------------------------------------
    def exceptional_points(self) -> list[Point]:
        """Points where the claims' critical expressions vanish (``critical_expressions``),
        solved exactly: an expression in one symbol at its real roots; one in two or three
        symbols for one of them, the others fixed at a simple and at a drawn value. The other
        symbols of the point take drawn values, drawn from the expression and the symbols (not
        the seed), so each expression is solved once for all the steps that share it. Allowed points only, at most
        ``MAX_EXCEPTIONAL_POINTS``, the first point of every expression before any second one.
        On an equality or finite-set domain (see ``constraints.py``), those of the claims with the
        substitution of each case made: the exceptional points on the constraint surface."""
        if _pieces(self) is not None:
            return self._from_pieces(lambda inner: inner.exceptional_points(), 2 * MAX_EXCEPTIONAL_POINTS)
        return [dict(p) for p in _exceptional_points(self)]

    def _expression_points(self, expr: sp.Expr, rng: random.Random) -> list[Point]:
        involved = [s for s in self.symbols if s in expr.free_symbols]
        rest = {s: self._fit(s, self._draw(rng)) for s in self.symbols}
        ones = {s: self._fit(s, sp.Integer(1)) for s in self.symbols}
        # solve for a symbol that takes any real value first: a root is rarely an integer
        order = sorted(involved, key=lambda s: (s.is_integer is True, s.is_rational is True, len(required_facts(s))))
        found: list[Point] = []
        for target in order:
            others = [s for s in involved if s != target]
            fixings = [{}] if not others else [{s: rest[s] for s in others}, {s: ones[s] for s in others}]
            for fixed in fixings:
                equation = expr.xreplace(fixed)
                for root in real_roots(equation, target)[:2]:
                    for background in (rest, ones):
                        point = {s: background[s] for s in self.symbols}
                        point.update(fixed)
                        point[target] = root
                        if self.allows(point):
                            if point not in found:
                                found.append(point)
                            break
                    if not fixed:
                        # the other symbols' order matters too: at a = 0, log(a e^(kx) + e^(ky))/k
                        # tends to y, which is max(x, y) only where y >= x; the drawn values
                        # negated give the other order
                        point = {s: self._fit(s, -rest[s]) for s in self.symbols}
                        point[target] = root
                        if self.allows(point) and point not in found:
                            found.append(point)
                        if self.limit is not None and root != 0 and root.is_real and root.is_finite:
                            # and, for a limit, relative to the root itself: at y = 2, log(|y - 2|
                            # e^(kx) + e^(ky))/k tends to 2, which is max(x, y) only where x <= 2
                            point = {s: self._fit(s, _rational_near(root + 1 + abs(rest[s])))
                                     if s != target else root for s in self.symbols}
                            if self.allows(point) and point not in found:
                                found.append(point)
                    if len(found) >= MAX_POINTS_PER_EXPRESSION:
                        return found[:MAX_POINTS_PER_EXPRESSION]
            if found:
                return found
        return found

    # -- equality and finite-set domains: one sampler per case ------------------------
    def pieces(self) -> tuple | None:
        """(case, sampler of the case's free symbols) for each case of an equality or finite-set
        domain, or None on a domain without such constraints (see ``_pieces``)."""
        return _pieces(self)

    def nearby(self, point: Point, delta: sp.Rational) -> Point:
        """``point`` moved by ``delta`` in each coordinate that is not an integer's, to judge a
        gap from nearby points: on an equality or finite-set domain, in the free coordinates of
        its case only, the others following (so the nearby point lies on the surface too)."""
        pieces = _pieces(self)
        if pieces is not None:
            for case, inner in pieces:
                free = {s: point[s] for s in inner.symbols}
                if self.completed(case, free) != point:
                    continue
                movable = [s for s in inner.symbols if not s.is_integer]
                # a surface point is often on the domain's edge too (p1 = 0, p2 = 1 on the
                # simplex): the first direction whose nearby point is allowed, all coordinates
                # moving first (p1 + delta, p2 - delta), so the point leaves where it was singular
                first = None
                for direction in _directions(len(movable)):
                    moved = dict(free)
                    moved.update({t: free[t] + d * delta for t, d in zip(movable, direction)})
                    candidate = self.completed(case, moved)
                    first = first or candidate
                    if self.allows(candidate):
                        return candidate
                return first if first is not None else dict(point)
        return {s: v if s.is_integer else v + delta for s, v in point.items()}

    def completed(self, case: Case, free: Point) -> Point:
        """A point of a case's free symbols with the substituted ones added, in declaration order."""
        solved = {s: sp.sympify(v).xreplace(free) for s, v in case.substitution}
        return {s: free[s] if s in free else solved[s] for s in self.symbols}

    def _from_pieces(self, draw, cap: int | None = None) -> list[Point]:
        """``draw(inner)`` for each case's sampler, completed and allowed, taken in turn (the
        first point of every case before any second one), at most ``cap`` (or
        ``MAX_CASE_POINTS``, or the longest case's count if that is more)."""
        found = []
        for case, inner in _pieces(self):
            completed = [self.completed(case, p) for p in draw(inner)]
            found.append([p for p in completed if self.allows(p)])
        longest = max((len(points) for points in found), default=0)
        cap = cap if cap is not None else max(MAX_CASE_POINTS, longest)
        ordered = [points[i] for i in range(longest) for points in found if i < len(points)]
        return _unique(ordered, self.symbols)[:cap]

    # -- all points --------------------------------------------------------------------
    def points(self, count: int) -> list[Point]:
        """The edge points (fixed, then exceptional), then ``count`` random points; duplicates
        removed, order kept."""
        return _unique(self.edge_points() + self.random_points(count), self.symbols)

    def simpler(self, point: Point) -> list[Point]:
        """Allowed points one step simpler than ``point``: one coordinate replaced by a simple
        value or by a rounding of itself (the candidates for shrinking a counterexample). A
        rational is simpler than any irrational value, so shrinking leaves sqrt(2) only when no
        rational near it fails too. On an equality or finite-set domain, the point stays in its
        case: the free coordinates are simplified and the substituted ones follow them."""
        pieces = _pieces(self)
        if pieces is not None:
            for case, inner in pieces:
                free = {s: point[s] for s in inner.symbols}
                if self.completed(case, free) == point:
                    return [p for p in map(lambda q: self.completed(case, q), inner.simpler(free)) if self.allows(p)]
            return []
        candidates = []
        for s in self.symbols:
            v = point[s]
            if isinstance(v, sp.Rational):
                roundings = [sp.Integer(round(v)), sp.Rational(round(v * 2), 2), sp.Rational(round(v * 10), 10)]
            else:
                f = float(v)  # inf beyond 1.8e308 (an algebraic point far out): no roundings then
                roundings = ([sp.Integer(round(f)), sp.Rational(round(f * 2), 2), sp.Rational(round(f * 10), 10)]
                             if math.isfinite(f) else [])
            options = list(SIMPLE_VALUES) + roundings
            if s.is_irrational:
                options += list(IRRATIONAL_VALUES)
            for o in options:
                if complexity(o) < complexity(v) or (complexity(o) == complexity(v) and abs(o) < abs(v)):
                    candidate = dict(point)
                    candidate[s] = o
                    if self.allows(candidate):
                        candidates.append(candidate)
        candidates.sort(key=lambda p: sum(complexity(v) for v in p.values()))
        return candidates


MAX_DIRECTION_SYMBOLS = 4  # every sign pattern up to this many free coordinates, then the axes


@lru_cache(maxsize=64)
def _directions(count: int) -> tuple:
    """Directions to move ``count`` coordinates in, all of them moving first: (1, ..., 1), then
    the other sign patterns (up to ``MAX_DIRECTION_SYMBOLS`` coordinates), then each axis."""
    if count == 0:
        return ()
    ones = (1,) * count
    patterns = [p for p in product((1, -1), repeat=count) if p != ones] if count <= MAX_DIRECTION_SYMBOLS else []
    axes = [tuple(sign if i == j else 0 for j in range(count)) for i in range(count) for sign in (1, -1)]
    return (ones, *patterns, *axes)


@lru_cache(maxsize=256)
def _pieces(sampler: Sampler) -> tuple | None:
    """(case, sampler of the case's free symbols) for each case of an equality or finite-set
    domain (``constraints.drawn_cases``: all cases when few, drawn ones when many), or None on
    a domain without such constraints. The case's sampler has the case's constraints left over
    and the claims with its substitution made, so its exceptional points lie on the surface."""
    constraints = tuple(c for c in sampler.constraints if not isinstance(c, bool))
    if not any(is_eliminated(c) for c in constraints):
        return None
    found = []
    cases = drawn_cases(constraints, sampler.symbols, MAX_CASES, sampler.seed)
    for index, case in enumerate(cases):
        mapping = case.mapping
        inner = Sampler(
            tuple(s for s in sampler.symbols if s not in mapping),
            case.constraints,
            sampler.seed + index,
            tuple(c.xreplace(mapping) for c in sampler.claims),
            sampler.limit,
        )
        found.append((case, inner))
    return tuple(found)


def _unique(points: list[Point], symbols: tuple) -> list[Point]:
    seen, result = set(), []
    for p in points:
        key = tuple(p[s] for s in symbols)
        if key not in seen:
            seen.add(key)
            result.append(p)
    return result


@lru_cache(maxsize=256)
def _exceptional_points(sampler: Sampler) -> tuple:
    if not sampler.claims or not sampler.symbols:
        return ()
    sampled = set(sampler.symbols)
    per_expression, firsts, single = [], [], []
    for expr in critical_expressions(sampler.claims, sampler.limit):
        free = expr.free_symbols
        if not free or not free <= sampled or len(free) > MAX_CRITICAL_SYMBOLS:
            continue
        points = _expression_points(expr, sampler.symbols, sampler.constraints, sampler.limit)
        per_expression.append(points)
        if len(free) == 1 and points:
            single.append((next(iter(free)), points))
        if points:
            firsts.append(points[0])
            # the result is the first points in order, then the second ones: once the first
            # points alone fill it, the expressions left cannot change it (and cost solving)
            if len(_unique(firsts, sampler.symbols)) >= MAX_EXCEPTIONAL_POINTS:
                break
    ordered = [ps[i] for i in range(MAX_POINTS_PER_EXPRESSION) for ps in per_expression if i < len(ps)]
    chosen = _unique(ordered, sampler.symbols)[:MAX_EXCEPTIONAL_POINTS]
    beyond = [moved for point in chosen for moved in _either_side(sampler, point)]
    return tuple(_unique(chosen + _joint_point(sampler, single) + _between(sampler, chosen) + _branch_cut_points(sampler)
                         + _unique(beyond, sampler.symbols)[:MAX_FAR_NEIGHBOURS], sampler.symbols))


MAX_DOMAIN_EDGES = 8  # points on or just inside the edges the constraints draw
EDGE_STEP = sp.Rational(1, 2**20)  # how far inside an open edge (relative to max(1, |edge|))


@lru_cache(maxsize=512)
def _domain_edges(symbols: tuple, constraints: tuple) -> tuple:
    """Points on the edges the domain's inequalities draw, or just inside an open one: a claim
    true on [-pi, pi] and stated on [-3.15, 3.15] fails only in the slivers beyond pi, which the
    random points rarely hit (acos(cos x) = |x| there), and a strict bound may be tight only at
    its domain's end (sin x > 2x/pi on (0, pi/2], equal at pi/2). Each inequality is solved for
    its first symbol that takes any real value, the others at 1; the edge itself where the
    domain holds it, else the edge moved inside by EDGE_STEP (1 for an integer)."""
    sampler = Sampler(symbols, constraints)
    ones = {s: sampler._fit(s, sp.Integer(1)) for s in symbols}
    found = []
    for constraint in constraints:
        if not isinstance(constraint, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan)):
            continue
        expr = constraint.lhs - constraint.rhs
        involved = sorted((s for s in symbols if s in expr.free_symbols), key=lambda s: (s.is_integer is True, s.name))
        if not involved or len(involved) > MAX_CRITICAL_SYMBOLS:
            continue
        target = involved[0]
        for root in real_roots(expr.xreplace({s: ones[s] for s in involved[1:]}), target)[:2]:
            step = sp.Integer(1) if target.is_integer else EDGE_STEP * max(sp.Integer(1), abs(_rational_near(root)))
            for moved in (root, _rational_near(root) + step, _rational_near(root) - step):
                point = {**ones, target: moved}
                if sampler.allows(point):
                    found.append(point)
                    break
        if len(found) >= MAX_DOMAIN_EDGES:
            break
    return tuple(found[:MAX_DOMAIN_EDGES])


MAX_BETWEEN = 4  # midpoints between consecutive exceptional values of a one-symbol claim


def _between(sampler: Sampler, chosen: list) -> list[Point]:
    """For a claim in one symbol, the midpoints between its consecutive exceptional values:
    Max(x, 2x - 5)' = Piecewise((2, x > 4), (1, True)) holds at its kinks 4 and 5 and fails only
    between them, where no random draw need fall."""
    if len(sampler.symbols) != 1:
        return []
    (s,) = sampler.symbols
    # the roots themselves, also those the domain excludes (x = 5 under Ne(x, 5)): the stretch
    # between two of them is in the domain all the same
    roots = {r for expr in critical_expressions(sampler.claims, sampler.limit) if expr.free_symbols == {s}
             for r in real_roots(expr, s)}
    values = sorted(roots | {p[s] for p in chosen if p[s].is_Rational}, key=lambda v: float(v))
    found = []
    for low, high in zip(values, values[1:]):
        for fraction in (sp.Rational(1, 2), sp.Rational(1, 4)):  # the quarter where the middle is excluded (Ne(x, 5))
            point = {s: sampler._fit(s, _rational_near(low + fraction * (high - low)))}
            if low < point[s] < high and sampler.allows(point):
                found.append(point)
                break
        if len(found) >= MAX_BETWEEN:
            break
    return found


def _joint_point(sampler: Sampler, single: list) -> list[Point]:
    """Points where critical expressions in different single symbols meet: each expression's
    points put the other symbols at drawn values, yet |x - 1/3| + |y - 2/7| > 0 fails only at
    x = 1/3 and y = 2/7 at once. The first root of each symbol together; and the middle of each
    symbol's narrowest stretch between two roots together: a box |x - 1/3| < 10^-6, |y - 2/7| <
    10^-6 has its edges as roots, and is 1 only at the middles together. ``single``: (symbol, its
    expression's points) for each critical expression in one symbol."""
    firsts, values = {}, {}
    for symbol, points in single:
        firsts.setdefault(symbol, points[0])
        values.setdefault(symbol, set()).update(p[symbol] for p in points if p[symbol].is_Rational)
    found = []
    background = next(iter(firsts.values()), {})  # the other symbols' drawn values
    if len(firsts) >= 2:
        found.append({**background, **{symbol: point[symbol] for symbol, point in firsts.items()}})
    middles = {}
    for symbol, roots in values.items():
        ordered = sorted(roots)
        if len(ordered) >= 2:
            low, high = min(zip(ordered, ordered[1:]), key=lambda pair: pair[1] - pair[0])
            middles[symbol] = sampler._fit(symbol, _rational_near((low + high) / 2))
    if len(middles) >= 2:
        found.append({**background, **middles})
    return [p for p in found if set(p) == set(sampler.symbols) and sampler.allows(p)]


def _branch_cut_points(sampler: Sampler) -> list[Point]:
    """A point on the branch cut of each atan2(y, x) in the claims: y = 0 with x = -1 (the other
    symbols at 1), where atan2 jumps from -pi to pi. The zeros of y alone are sampled with x
    drawn, often positive, so atan2(-y, x) = -atan2(y, x) looked true."""
    found = []
    ones = {s: sampler._fit(s, sp.Integer(1)) for s in sampler.symbols}
    for claim in sampler.claims:
        for node in sp.sympify(claim).atoms(sp.atan2):
            y, x = node.args
            for target in sorted(y.free_symbols & set(sampler.symbols), key=sp.default_sort_key):
                point = dict(ones)
                root = next(iter(real_roots(y.xreplace({s: v for s, v in ones.items() if s != target}), target)), None)
                if root is None:
                    continue
                point[target] = root
                others = sorted((x.free_symbols & set(sampler.symbols)) - {target}, key=sp.default_sort_key)
                for other in others:
                    fixed = {s: v for s, v in point.items() if s != other}
                    negative = next(iter(real_roots(x.xreplace(fixed) + 1, other)), None)
                    if negative is not None:
                        point[other] = negative
                        break
                if sampler.allows(point):
                    found.append(point)
                break
    return found[:MAX_FAR_NEIGHBOURS]


def _either_side(sampler: Sampler, point: Point) -> list[Point]:
    """An exceptional point beyond the random points' range (a kink of Min(x, 10^4) at x = 10^4)
    moved just to either side of it, each coordinate beyond that range by a factor 1 +- 2^-10
    (an integer's by at least 1): at the kink itself both sides of a claim such as Min(x, 10^4) = x
    agree, past it they differ, and no random point goes that far."""
    far = [s for s in sampler.symbols if abs(point[s]) > LARGE]
    if not far:
        return []
    found = []
    for direction in (1, -1):
        moved = dict(point)
        for s in far:
            step = abs(point[s]) / 1024
            if s.is_integer:
                step = max(sp.Integer(1), sp.floor(step))
            moved[s] = point[s] + direction * step if point[s] > 0 else point[s] - direction * step
        if sampler.allows(moved):
            found.append(moved)
    return found


@lru_cache(maxsize=4096)
def _expression_points(expr: sp.Expr, symbols: tuple, constraints: tuple, limit: sp.Symbol | None = None) -> tuple:
    """The points where one critical expression vanishes (``Sampler._expression_points``), shared
    by every sampler of the same symbols and constraints: the steps of a derivation repeat the
    same sub-expressions (a denominator, an Abs, a sum of exponentials), and solving them is the
    costly part of the exceptional points. The other symbols' drawn values therefore depend on
    the expression and the symbols only (a fixed seed from their text), not on the sampler's
    seed: the exceptional points of a claim are the same in every step and every run."""
    key = f"{expr}|{','.join(s.name for s in symbols)}".encode()
    rng = random.Random(104729 + zlib.crc32(key))
    return tuple(Sampler(symbols, constraints, limit=limit)._expression_points(expr, rng))
