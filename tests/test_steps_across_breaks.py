"""Steps whose functions kink, jump or oscillate: a derivative across a kink, an antiderivative
across a jump, a limit whose expression changes past the path's end, a placeholder function.
Each was judged wrongly in derivations written by others (a derivation-level probe, issue 9):
the false ones proved, the true ones errors. Each false claim is refuted with a certificate,
each true one is not."""

import pytest
import sympy as sp
from sympy import Abs, Heaviside, Max, Min, Ne, Piecewise, acot, atan, exp, log, pi, sign

from smoothsym import Condition, Derivation, Differentiate, Given, Integrate, Limit, Rewrite, Status

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", positive=True)
PASSING = (Status.PROVED, Status.CHECKED)


def verdict(run, start, step, symbols=(x,)):
    return run(Derivation(name="d", title="d", symbols=symbols, steps=[Given(start), step])).steps[1].verdict


# -- a derivative where the function kinks or jumps -----------------------------------------

@pytest.mark.parametrize("start, slope", [
    (Abs(x - 3), sign(x - 3)),                       # no derivative at 3, sign(0) = 0 claimed there
    (Max(x, 0), Heaviside(x)),                       # ReLU' = Heaviside: none at 0 (Heaviside(0) = 1/2)
    (Piecewise((x**2, x <= 1), (0, True)), Piecewise((2 * x, x <= 1), (0, True))),  # jumps at 1
], ids=["abs", "relu", "piecewise-jump"])
def test_a_derivative_across_a_kink_is_refuted_with_a_certificate(run, start, slope):
    v = verdict(run, start, Differentiate(x, slope))
    assert v.status is Status.REFUTED, v.summary()
    assert v.counterexample.certified and "the derivative from the" in v.counterexample.what


@pytest.mark.parametrize("start, slope, where", [
    (Abs(x - 3), sign(x - 3), (Ne(x, 3),)),           # the page's own remedy: the kink excluded
    (Max(x, 0), 0, (x < 0,)),                          # on one side of it
    (x * Abs(x), 2 * Abs(x), ()),                      # a kink of |x| that x|x| smooths out
    (Max(x, 0) + log(1 + exp(-Abs(x))), 1 / (1 + exp(-x)), ()),  # stable softplus: kinks cancel
], ids=["excluded", "one-side", "smoothed", "stable-softplus"])
def test_a_derivative_where_the_kink_is_excluded_or_smooth_is_not(run, start, slope, where):
    v = verdict(run, start, Differentiate(x, slope, where=where))
    assert v.status is Status.PROVED, v.summary()


# -- an antiderivative across a jump --------------------------------------------------------

@pytest.mark.parametrize("integrand, antiderivative, condition", [
    (-1 / (1 + x**2), atan(1 / x), Condition(1, pi / 4)),       # jumps by pi at 0
    (-1 / (1 + x**2), acot(x), Condition(0, pi / 2)),           # SymPy's acot jumps at 0 too
    (2 * x, x**2 + Piecewise((1, x > 2), (0, True)), Condition(0, 0)),
], ids=["atan-1/x", "acot", "piecewise"])
def test_an_antiderivative_that_jumps_is_refuted_by_a_certified_integral(run, integrand, antiderivative, condition):
    """F' = f holds at every other point, so only the integral across the jump can show it."""
    v = verdict(run, integrand, Integrate(x, antiderivative, fixed_by=condition))
    assert v.status is Status.REFUTED, v.summary()
    assert v.counterexample.certified and "jumps by" in v.counterexample.what


def test_a_continuous_antiderivative_with_a_kink_is_proved(run):
    assert verdict(run, Abs(x), Integrate(x, x * Abs(x) / 2, fixed_by=Condition(0, 0))).status is Status.PROVED


def test_an_antiderivative_through_a_pole_is_inconclusive_with_the_remedy(run):
    v = verdict(run, 1 / x, Integrate(x, log(Abs(x)), fixed_by=Condition(1, 0)))
    assert v.status is Status.INCONCLUSIVE and "where=(x > 0,)" in v.detail, v.summary()
    on_one_side = verdict(run, 1 / x, Integrate(x, log(Abs(x)), fixed_by=Condition(1, 0), where=(x > 0,)))
    assert on_one_side.status is Status.PROVED


# -- limits: the domain's side, and a threshold past the path ----------------------------------

def test_a_limit_from_the_side_the_domain_allows(run):
    """lim_{x -> 0} |x|/x = 1 on x > 0 was refuted from the left, which the domain excludes."""
    assert verdict(run, Abs(x) / x, Limit(x, 1, to=0, where=(x > 0,))).status is Status.PROVED
    assert verdict(run, sp.sqrt(x), Limit(x, 0, to=0, where=(x > 0,))).status is Status.PROVED
    assert verdict(run, Abs(x) / x, Limit(x, -1, to=0, where=(x > 0,))).status is Status.REFUTED


def test_a_threshold_beyond_the_path_is_followed_past(run):
    """Min(k, 10^70)/k is 1 for every k up to 10^64: its limit is 0, and a certified gap at
    k <= 10^64 was no refutation of it."""
    start = Min(k, sp.Integer(10)**70) / k
    assert verdict(run, start, Limit(k, 0), symbols=(k,)).status in PASSING
    wrong = verdict(run, start, Limit(k, 1), symbols=(k,))
    assert wrong.status is Status.REFUTED and wrong.counterexample.certified, wrong.summary()


# -- placeholders and functions SymPy cannot differentiate -----------------------------------

def test_an_undefined_function_is_checked_with_a_concrete_stand_in(run):
    f = sp.Function("f")
    true = verdict(run, f(x)**2, Differentiate(x, 2 * f(x) * f(x).diff(x)))
    assert true.status is Status.PROVED, true.summary()
    wrong = verdict(run, f(x)**2, Differentiate(x, 2 * f(x)))
    assert wrong.status is Status.REFUTED and "standing for any function" in wrong.counterexample.what


def test_a_derivative_sympy_leaves_unevaluated_is_a_clear_error(run):
    v = verdict(run, sp.floor(x), Differentiate(x, 0))
    assert v.status is Status.ERROR and "leaves Derivative(floor(x), x) unevaluated" in v.detail


def test_an_oscillating_integral_over_an_infinite_range_is_computed(run):
    """The Dirichlet integral: tanh-sinh never settles on sin(x)/x over [0, oo); quadosc does."""
    v = verdict(run, sp.sin(x) / x, Integrate(x, pi / 2, over=(0, sp.oo)))
    assert v.status in PASSING, v.summary()
    wrong = verdict(run, sp.sin(x) / x, Integrate(x, pi / 2 + sp.Rational(1, 10**20), over=(0, sp.oo)))
    assert not wrong.status.is_pass, wrong.summary()


def test_a_limit_counterexample_says_its_difference_is_relative(run):
    """The error along k is relative to max(1, |target|): with target 100 a difference of 1 reads 0.01."""
    v = verdict(run, 100 + 1 / k + 1, Limit(k, 100), symbols=(k,))
    assert v.status is Status.REFUTED
    assert v.counterexample.difference.endswith("relative to |rhs|") and v.counterexample.note.startswith("relative error")
