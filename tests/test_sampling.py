"""The sampler: the exceptional points of a claim (solved exactly, algebraic values included),
assumptions honoured exactly (even, odd, prime, irrational, signs), and bounded cost."""

import time

import mpmath
import pytest
import sympy as sp

from smoothsym import Derivation, DerivationError, Given, Rewrite
from smoothsym.sampling import (
    Sampler,
    complexity,
    critical_expressions,
    point_text,
    real_roots,
    to_mpmath,
    value_code,
)

x, y, z = sp.symbols("x y z", real=True)
k = sp.Symbol("k", positive=True)


def values(points, symbol):
    return [p[symbol] for p in points]


# -- exceptional points -----------------------------------------------------------------


def test_a_limit_that_fails_at_an_irrational_point_gets_that_point():
    """lim 1/(1 + k(x - sqrt 2)^2) = 0 is false at x = sqrt(2) only: the coefficient of k."""
    claim = 1 / (1 + k * (x - sp.sqrt(2)) ** 2)
    sampler = Sampler((x,), (), 0, claims=(claim, sp.Integer(0)), limit=k)
    assert sp.sqrt(2) in values(sampler.exceptional_points(), x)
    assert sp.sqrt(2) in values(sampler.edge_points(), x)
    assert sp.sqrt(2) in values(sampler.points(8), x)
    assert critical_expressions((claim,), k)[0] == sp.expand((x - sp.sqrt(2)) ** 2)


def test_the_limit_variable_is_never_sampled():
    sampler = Sampler((x, k), (), 0, claims=(sp.exp(-k * x**2),), limit=k)
    assert sampler.symbols == (x,)
    assert all(set(p) == {x} for p in sampler.points(5))
    assert sp.Integer(0) in values(sampler.exceptional_points(), x)


@pytest.mark.parametrize(
    "claim, roots",
    [
        ((x - sp.Rational(1, 7)) ** 2, {sp.Rational(1, 7)}),
        ((x**2 - 2) ** 2, {sp.sqrt(2), -sp.sqrt(2)}),
        (1 / (x - 3), {sp.Integer(3)}),
        (x**2 - x - 1, {(1 + sp.sqrt(5)) / 2, (1 - sp.sqrt(5)) / 2}),
        (sp.exp(x) - 2, {sp.log(2)}),
    ],
    ids=["1/7", "+-sqrt2", "pole", "golden", "log2"],
)
def test_the_zeros_of_an_expression_are_exceptional_points(claim, roots):
    found = set(values(Sampler((x,), claims=(claim,)).exceptional_points(), x))
    assert roots <= found


@pytest.mark.parametrize(
    "inner, root",
    [((x - sp.Rational(1, 7)) ** 2, sp.Rational(1, 7)), ((x**2 - 2) ** 2, sp.sqrt(2)), ((x - 3) ** 2, sp.Integer(3))],
)
def test_a_coefficient_of_the_limit_variable_gives_its_zeros(inner, root):
    sampler = Sampler((x,), claims=(1 / (1 + k * inner),), limit=k)
    found = values(sampler.exceptional_points(), x)
    assert root in found
    if inner == (x**2 - 2) ** 2:
        assert -sp.sqrt(2) in found


def test_exp_and_powers_of_the_limit_variable():
    """exp(k a(x)): the zeros of a; b^k: |b| = 1 (b - 1, b + 1)."""
    sampler = Sampler((x,), claims=(sp.exp(k * (x - sp.Rational(1, 3))), (x / 2) ** k), limit=k)
    found = set(values(sampler.exceptional_points(), x))
    assert {sp.Rational(1, 3), sp.Integer(2), sp.Integer(-2)} <= found


def test_abs_of_a_sum_gives_a_point_with_x_equal_to_minus_y():
    points = Sampler((x, y), claims=(sp.Abs(x + y),)).exceptional_points()
    assert any(p[x] == -p[y] for p in points)


def test_max_min_sign_heaviside_and_piecewise_give_their_kinks():
    claims = (sp.Max(x, y) + sp.Min(x, 2 * z), sp.sign(z - 1), sp.Heaviside(x - sp.Rational(5, 2)),
              sp.Piecewise((x, y > sp.Rational(1, 3)), (0, True)))
    points = Sampler((x, y, z), claims=claims).exceptional_points()
    assert any(p[x] == p[y] for p in points)
    assert any(p[x] == 2 * p[z] for p in points)
    assert sp.Integer(1) in values(points, z)
    assert sp.Rational(5, 2) in values(points, x)
    assert sp.Rational(1, 3) in values(points, y)


def test_relations_in_a_claim_give_the_points_where_they_are_tight():
    points = Sampler((x,), claims=(sp.Le(x**2, 3),)).exceptional_points()
    assert {sp.sqrt(3), -sp.sqrt(3)} <= set(values(points, x))


def test_exceptional_points_honour_assumptions_and_constraints():
    positive = sp.Symbol("x", positive=True)
    # the roots the domain allows, and (one symbol) points between consecutive roots: never a
    # root outside it (-sqrt(2), -3), nor a non-integer value for an integer symbol
    points = Sampler((positive,), claims=((positive**2 - 2) ** 2,)).exceptional_points()
    assert sp.sqrt(2) in values(points, positive) and all(v > 0 for v in values(points, positive))
    points = Sampler((x,), (x > 0,), claims=((x**2 - 2) ** 2, 1 / (x + 3))).exceptional_points()
    assert sp.sqrt(2) in values(points, x) and all(v > 0 for v in values(points, x))
    n = sp.Symbol("n", integer=True)
    points = Sampler((n,), claims=(1 / (n - sp.Rational(1, 2)), 1 / (n - 4))).exceptional_points()
    assert 4 in values(points, n) and all(v.is_Integer for v in values(points, n))


def test_several_symbols_are_solved_for_one_the_others_fixed():
    points = Sampler((x, y), claims=(1 / (x**2 + y - 3),)).exceptional_points()
    assert points and all(p[x] ** 2 + p[y] - 3 == 0 for p in points)


def test_equations_beyond_the_guards_are_skipped_quickly():
    """Degree 7, x = e^{-x}, many symbols, exp(15y) + e^656 + exp(-15y), x = cos(x): no points,
    and no long wait (all in well under a second of CPU)."""
    w = sp.Symbol("w", real=True)
    nasty = (x**7 - x - 1, x - sp.exp(-x), 1 / (x + y + z + w),
             sp.exp(15 * y) + sp.exp(sp.Rational(6561, 10)) + sp.exp(-15 * y), x - sp.cos(x))
    started = time.process_time()
    sampler = Sampler((x, y, z, w), claims=nasty)
    assert sampler.exceptional_points() == []
    assert time.process_time() - started < 5


def test_the_real_roots_of_an_irreducible_cubic_or_quintic_are_exact_points():
    """No radicals of degree <= 2 give x^3 - x - 1 = 0 (1.3247...), where 1/(1 + k (x^3 - x - 1)^2)
    -> 0 fails (a held-out probe's false accept): its real roots are CRootOf, exact, evaluated in
    balls as narrow as the precision; a square of a quintic, expanded to degree 10, gives its base's."""
    assert len(real_roots(x**3 - 3 * x + 1, x)) == 3
    (root,) = real_roots(x**3 - x - 1, x)
    assert isinstance(root, sp.CRootOf) and abs(float(root) - 1.3247179572447460) < 1e-15
    (root,) = real_roots(sp.expand((x**5 - x - 1) ** 2), x)
    assert isinstance(root, sp.CRootOf) and root.poly.degree() == 5


def test_zeros_of_sines_and_cosines_are_exceptional_points():
    """sin, cos or tan of a linear argument, a polynomial of degree <= 2 in it: the principal
    solutions and one period either side, the domain keeping its own (pi in [3, 4])."""
    assert real_roots(sp.cos(x), x) == (sp.pi / 2, -sp.pi / 2, 3 * sp.pi / 2, 5 * sp.pi / 2)
    assert real_roots(sp.sin(x) - 1, x) == (sp.pi / 2, 5 * sp.pi / 2, -3 * sp.pi / 2)
    assert real_roots(sp.tan(2 * x - 1), x) == (sp.Rational(1, 2), sp.Rational(1, 2) + sp.pi / 2, sp.Rational(1, 2) - sp.pi / 2)
    assert real_roots(sp.sin(x) - 2, x) == ()
    points = Sampler((x,), (x >= 3, x <= 4), claims=(sp.sign(sp.sin(x)),)).exceptional_points()
    assert values(points, x)[0] == sp.pi and all(3 <= v <= 4 for v in values(points, x))  # and one between pi and 2 pi


def test_the_number_of_exceptional_points_is_bounded():
    claims = tuple(sp.Abs(x - sp.Rational(i, 7)) for i in range(100))
    sampler = Sampler((x,), claims=claims)
    from smoothsym.sampling import MAX_BETWEEN, MAX_EXCEPTIONAL_POINTS

    # the roots, at most 16, and at most 4 points between consecutive ones
    assert 0 < len(sampler.exceptional_points()) <= MAX_EXCEPTIONAL_POINTS + MAX_BETWEEN == 20
    assert len(critical_expressions(claims)) <= 30


def test_points_are_reproducible_and_without_duplicates():
    claims = (sp.Abs(x + y), 1 / (1 + k * (x - sp.sqrt(2)) ** 2))
    a = Sampler((x, y), (), 5, claims=claims, limit=k).points(10)
    b = Sampler((x, y), (), 5, claims=claims, limit=k).points(10)
    assert a == b
    keys = [tuple(p.values()) for p in a]
    assert len(keys) == len(set(keys))


# -- algebraic values -------------------------------------------------------------------


def test_edge_points_include_irrational_values():
    edge = Sampler((x, y)).edge_points()
    assert any(not p[x].is_Rational for p in edge)
    assert sp.sqrt(2) / 2 in values(edge, x)


def test_constraints_are_decided_exactly_at_algebraic_points():
    sampler = Sampler((x,), (x**2 >= 2,))
    assert sampler.allows({x: sp.sqrt(2)})
    assert not Sampler((x,), (x**2 > 2,)).allows({x: sp.sqrt(2)})
    assert not sampler.allows({x: sp.Rational(141, 100)})
    golden = (1 + sp.sqrt(5)) / 2
    assert Sampler((x,), (sp.Eq(x**2, x + 1),)).allows({x: golden})
    assert not Sampler((x,), (sp.Ne(x**2 - x - 1, 0),)).allows({x: golden})


def test_algebraic_values_shrink_to_rationals_and_print_exactly():
    simple = (sp.Rational(99, 100), sp.Rational(-1, 7), sp.Integer(500))
    assert complexity(sp.sqrt(2)) > max(complexity(v) for v in simple)
    assert complexity((1 + sp.sqrt(5)) / 2) > complexity(sp.sqrt(2))
    sampler = Sampler((x,))
    simpler = sampler.simpler({x: sp.sqrt(2)})
    assert simpler and all(p[x].is_Rational for p in simpler)
    assert {x: sp.Rational(3, 2)} in simpler and {x: sp.Integer(1)} in simpler
    assert point_text({x: sp.sqrt(2), y: sp.Rational(1, 7)}) == {"x": "sqrt(2)", "y": "1/7"}
    assert value_code(sp.sqrt(2)) == "sp.sympify('sqrt(2)')" and value_code(sp.Rational(1, 7)) == "sp.Rational('1/7')"


def test_to_mpmath_gives_the_value_at_the_working_precision():
    with mpmath.workdps(60):
        assert abs(to_mpmath(sp.sqrt(2)) - mpmath.sqrt(2)) < mpmath.mpf(10) ** -58
        assert to_mpmath(sp.Rational(1, 7)) == mpmath.mpf(1) / 7
        assert abs(to_mpmath(sp.pi / 4) - mpmath.pi / 4) < mpmath.mpf(10) ** -58


# -- assumptions honoured exactly --------------------------------------------------------


EVEN = sp.Symbol("e", even=True)
ODD = sp.Symbol("o", odd=True)
PRIME = sp.Symbol("p", prime=True)
ODD_PRIME = sp.Symbol("q", prime=True, odd=True)
NEGATIVE_ODD = sp.Symbol("m", odd=True, negative=True)
POSITIVE_EVEN = sp.Symbol("f", even=True, positive=True)
COMPOSITE = sp.Symbol("c", composite=True)
RATIONAL = sp.Symbol("r", rational=True)
IRRATIONAL = sp.Symbol("i", irrational=True)
NONINTEGER = sp.Symbol("h", real=True, integer=False)
NONZERO = sp.Symbol("n", real=True, nonzero=True)


@pytest.mark.parametrize(
    "symbol, holds",
    [
        (EVEN, lambda v: v.is_integer and v % 2 == 0),
        (ODD, lambda v: v.is_integer and v % 2 == 1),
        (PRIME, lambda v: v.is_Integer and sp.isprime(int(v))),
        (ODD_PRIME, lambda v: v.is_Integer and sp.isprime(int(v)) and v != 2),
        (NEGATIVE_ODD, lambda v: v.is_integer and v < 0 and v % 2 == 1),
        (POSITIVE_EVEN, lambda v: v.is_integer and v > 0 and v % 2 == 0),
        (COMPOSITE, lambda v: v.is_Integer and v > 3 and not sp.isprime(int(v))),
        (RATIONAL, lambda v: v.is_Rational),
        (IRRATIONAL, lambda v: v.is_irrational is True),
        (NONINTEGER, lambda v: v.is_integer is False),
        (NONZERO, lambda v: v != 0),
    ],
    ids=lambda s: s.name if isinstance(s, sp.Symbol) else "",
)
def test_each_assumption_is_honoured_by_every_point(symbol, holds):
    """Random, edge (ties, large, irrational) and exceptional points, and shrinking."""
    sampler = Sampler((symbol, x), (), 3, claims=(sp.Abs(symbol - x), 1 / (symbol**2 - 2), 1 / (symbol - 7)))
    points = sampler.points(40)
    assert len(points) > 20
    assert all(holds(p[symbol]) for p in points), sorted({str(p[symbol]) for p in points})
    assert all(holds(p[symbol]) for p in sampler.simpler(points[-1]))
    assert len({p[symbol] for p in points}) > 3  # not one value again and again


def test_admits_value_is_exact():
    sampler = Sampler(())
    assert sampler.admits_value(ODD, sp.Integer(-3)) and not sampler.admits_value(ODD, sp.Integer(4))
    assert sampler.admits_value(PRIME, sp.Integer(7)) and not sampler.admits_value(PRIME, sp.Integer(9))
    assert not sampler.admits_value(PRIME, sp.Integer(-7)) and not sampler.admits_value(EVEN, sp.Rational(1, 2))
    assert sampler.admits_value(IRRATIONAL, sp.sqrt(2)) and not sampler.admits_value(IRRATIONAL, sp.Integer(1))
    assert not sampler.admits_value(RATIONAL, sp.sqrt(2))
    assert not sampler.admits_value(sp.Symbol("k", positive=True), 1 - sp.sqrt(2))
    assert sampler.admits_value(sp.Symbol("k", positive=True), sp.sqrt(2) - 1)
    assert not sampler.admits_value(sp.Symbol("n", integer=True), sp.sqrt(2))


def test_a_symbol_that_may_be_complex_is_refused_when_the_derivation_is_built():
    u = sp.Symbol("u")
    with pytest.raises(DerivationError) as caught:
        Derivation(name="modulus", title="t", symbols=(u,), steps=[Given(sp.Abs(u) ** 2), Rewrite(u**2)])
    assert "symbol u may be complex (declared without real=True): smoothsym samples real values only" in str(
        caught.value
    )
    assert "declare it real=True, positive=True or integer=True" in str(caught.value)
    assert str(caught.value).startswith("tests/test_sampling.py:")
