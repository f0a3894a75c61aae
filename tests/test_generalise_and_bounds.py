"""Generalise checks the n-variable claim it displays; extremes.worst_points finds where a bound
is closest to failing (by search, not by sampling)."""

import time

import mpmath
import pytest
import sympy as sp
from sympy import Abs, Eq, Function, IndexedBase, Rational, Sum, erf, exp, pi, sin, sqrt, tanh

from smoothsym import Derivation, Generalise, Given, Status
from smoothsym.extremes import worst_points
from smoothsym.verdict import Counterexample
from smoothsym.sampling import Sampler

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
c = sp.Symbol("c", real=True)
i = sp.Symbol("i", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
X = IndexedBase(x)


def value(expr, point, digits=50):
    return sp.N(expr.subs(point), digits)


# -- Generalise: the displayed claim is compared with each instance ----------------------------------

def test_an_index_slip_in_the_displayed_claim_is_refuted_naming_n(run):
    (_, step) = run("tests/fixtures/cases/generalise_index_slip.py").steps
    assert step.verdict.status in (Status.REFUTED, Status.ERROR)
    assert "n = 2: the displayed claim is not the instance" in step.verdict.detail
    assert "x_1*x_2" in step.verdict.detail and "x_1**2" in step.verdict.detail
    assert not step.passes()


def test_a_displayed_claim_its_instances_state_is_accepted(run):
    (_, step) = run("tests/fixtures/cases/generalise_displayed_ok.py").steps
    assert step.verdict.status is Status.PROVED
    assert "displayed claim = instance" in step.verdict.method and "not checked" not in step.verdict.method


def sum_of(count):
    xs = sp.symbols(f"x_1:{count + 1}", real=True)
    return sum(xs), sum(xs)


def test_a_displayed_claim_that_cannot_be_built_is_at_most_checked(run):
    """A placeholder function (no value at any n) cannot be compared: never called proved."""
    total = Function("total")
    derivation = Derivation(
        name="placeholder", title="placeholder", symbols=(x, i, n),
        steps=[Given(Sum(X[i], (i, 1, n))), Generalise(Eq(Sum(X[i], (i, 1, n)), total(X[i])), sum_of, ns=(2, 3))],
    )
    (_, step) = run(derivation).steps
    assert step.verdict.status is Status.CHECKED and step.passes()
    assert "displayed claim not checked" in step.verdict.detail and "total" in step.verdict.detail


def test_a_free_index_is_checked_at_every_index():
    """x[i] outside any Sum: the claim is stated for each i; here it holds only at i = 1, which is
    what the instance states, so the step is not proved (and says where the claim fails)."""

    def first(count):
        xs = sp.symbols(f"x_1:{count + 1}", real=True)
        return xs[0] ** 2, xs[0] ** 2

    shown = Eq(X[i] ** 2, X[1] ** 2)
    step = Generalise(shown, first, ns=(2, 3))
    from smoothsym.model import StepContext
    from smoothsym.settings import PROFILES

    context = StepContext(PROFILES["fast"], (x, i, n), (), 1)
    verdict = step.verify(None, context)
    assert verdict.status is Status.CHECKED
    assert "i = 2" in verdict.detail


def test_variables_say_what_the_displayed_names_stand_for(run):
    """With variables=, a displayed claim over x[j] and a placeholder M is built from the instance."""
    M = sp.Symbol("M", real=True)
    j = sp.Symbol("j", integer=True, positive=True)

    def shifted(count):
        xs = sp.symbols(f"x_1:{count + 1}", real=True)
        return sp.log(sum(exp(v) for v in xs)), sp.Max(*xs) + sp.log(sum(exp(v - sp.Max(*xs)) for v in xs))

    def variables(count):
        return {M: sp.Max(*sp.symbols(f"x_1:{count + 1}", real=True))}

    lse = sp.log(Sum(exp(X[j]), (j, 1, n)))
    derivation = Derivation(
        name="shift", title="shift", symbols=(x, j, n, M),
        steps=[Given(lse), Generalise(Eq(lse, M + sp.log(Sum(exp(X[j] - M), (j, 1, n)))), shifted, ns=(2, 3), variables=variables)],
    )
    (_, step) = run(derivation).steps
    assert step.passes() and "displayed claim = instance" in step.verdict.method


# -- extremes.worst_points ---------------------------------------------------------------------------

GELU_GAP = Abs(x / 2 * (1 + tanh(sqrt(2 / pi) * (x + Rational("0.044715") * x**3))) - x * (1 + erf(x / sqrt(2))) / 2)


def test_the_gelu_bound_is_violated_at_the_point_found():
    """|GELU_tanh - GELU_erf| <= 4.73e-4 looks true when sampled; its maximum is 4.7324e-4 near |x| = 2.7."""
    excess = GELU_GAP - Rational("4.73e-4")
    started = time.perf_counter()
    points = worst_points(excess, (x,), Sampler((x,), (), 0), seed=0)
    assert time.perf_counter() - started < 20  # budget 2 s; generous for a loaded machine
    best = points[0]
    assert isinstance(best[x], sp.Rational)
    assert value(excess, best) > 0  # the bound fails there
    assert abs(abs(float(best[x])) - 2.699) < 1e-2


def test_x_exp_minus_x_peaks_at_one():
    p = sp.Symbol("p", positive=True)
    (best, *_) = worst_points(p * exp(-p), (p,), Sampler((p,), (), 0), seed=1)
    assert abs(best[p] - 1) < 1e-5
    assert abs(value(p * exp(-p), best) - sp.exp(-1)) < 1e-10


def test_sin_x_over_x_beyond_a_constraint():
    """On x > 4 the largest sin(x)/x is the local maximum near x = 7.7253 (value 0.128375)."""
    points = worst_points(sin(x) / x, (x,), Sampler((x,), (x > 4,), 0), seed=2)
    assert points and all(p[x] > 4 for p in points)
    assert abs(float(points[0][x]) - 7.725252) < 1e-3
    assert abs(value(sin(x) / x, points[0]) - Rational("0.1283745535")) < 1e-8


def test_two_variables():
    bump = -(x - Rational(1, 3)) ** 2 - (y + Rational(2, 7)) ** 2 + Rational(1, 1000)
    (best, *_) = worst_points(bump, (x, y), Sampler((x, y), (), 0), seed=3)
    assert value(bump, best) > 0
    assert abs(best[x] - Rational(1, 3)) < 1e-4 and abs(best[y] + Rational(2, 7)) < 1e-4


def test_integer_symbols_take_integer_values():
    m = sp.Symbol("m", integer=True, positive=True)
    points = worst_points(-(m - Rational(37, 10)) ** 2, (m,), Sampler((m,), (), 0), seed=4)
    assert points[0] == {m: 4}
    assert all(p[m].is_Integer and p[m] > 0 for p in points)


def test_undefined_and_overflowing_points_are_never_returned():
    excess = exp(exp(x)) - sp.log(x)  # log undefined for x <= 0, e^{e^x} overflows float64 for x > 6.5
    points = worst_points(excess, (x,), Sampler((x,), (), 0), seed=5)
    assert points
    for p in points:
        assert p[x] > 0 and mpmath.isfinite(mpmath.mpf(str(value(excess, p, 30))))


def test_the_time_budget_is_respected():
    """An expensive expression (nested special functions, 3 variables) with a short budget."""
    z = sp.Symbol("z", real=True)
    slow = sp.gamma(1 + x**2) * sp.besselj(2, y) * sp.zeta(3 + z**2) - sp.loggamma(2 + x**2 + y**2)
    started = time.perf_counter()
    points = worst_points(slow, (x, y, z), Sampler((x, y, z), (), 0), seed=6, budget_seconds=0.5)
    assert time.perf_counter() - started < 30  # generous: the point is that it stops
    assert all(set(p) == {x, y, z} for p in points)


# Pinsker's inequality for two Bernoulli distributions, KL(q, p) >= 2 (q - p)^2, is tight on the
# whole line q = p, where both sides vanish. Strengthened to 2 + eps it fails only in a patch of
# width ~sqrt(eps) around p = q = 1/2, by at most ~3 eps^2 / 16 (2e-21 for eps = 10^-10), while its
# excess is exactly 0 all along the line: a climb of the excess stalls on that ridge.

p_ = sp.Symbol("p", positive=True)
q_ = sp.Symbol("q", positive=True)
BERNOULLI_KL = q_ * sp.log(q_ / p_) + (1 - q_) * sp.log((1 - q_) / (1 - p_))


def pinsker(constant):
    from smoothsym import Bound

    return Derivation(name="pinsker", title="Pinsker", symbols=(p_, q_), domain=(p_ < 1, q_ < 1),
                      steps=[Given(BERNOULLI_KL), Bound(constant * (q_ - p_) ** 2, ">=")])


def test_pinsker_holds_and_its_strengthening_fails_beside_the_line_where_it_is_tight(run):
    (_, true) = run(pinsker(2)).steps
    assert true.verdict.status is Status.CHECKED, true.verdict.summary()
    for eps in (Rational(1, 10**6), Rational(1, 10**10)):
        (_, false) = run(pinsker(2 + eps)).steps
        assert false.verdict.status is Status.REFUTED, false.verdict.summary()
        assert "certified" in false.verdict.method
        (counterexample,) = [e for e in false.verdict.evidence if isinstance(e, Counterexample)]
        assert counterexample.certified and set(counterexample.point) == {"p", "q"}
        assert abs(float(sp.Rational(counterexample.point["p"])) - 0.5) < 1e-3


def test_a_bound_failing_only_at_a_corner_of_its_domain_is_refuted_there(run):
    """1 - BC <= TV for Bernoulli p, q (BC = sqrt(pq) + sqrt((1 - p)(1 - q))) tends to equality
    only as p -> 0 and q -> 1 together; times 1 + 10^-10 it fails only beyond p < 10^-21 with q >
    1 - 10^-21 (a held-out probe's false accept): the corners of the domain are judged."""
    from smoothsym import Bound

    hellinger = 1 - sp.sqrt(p_ * q_) - sp.sqrt((1 - p_) * (1 - q_))

    def claim(factor):
        return Derivation(name="hellinger-tv", title="Hellinger and TV", symbols=(p_, q_), domain=(p_ < 1, q_ < 1),
                          steps=[Given(factor * hellinger), Bound(Abs(q_ - p_), "<=")])

    (_, true) = run(claim(1)).steps
    assert true.verdict.status is Status.CHECKED, true.verdict.summary()
    (_, false) = run(claim(1 + Rational(1, 10**10))).steps
    assert false.verdict.status is Status.REFUTED, false.verdict.summary()
    (counterexample,) = [e for e in false.verdict.evidence if isinstance(e, Counterexample)]
    assert counterexample.certified
    at_p, at_q = sp.Rational(counterexample.point["p"]), sp.Rational(counterexample.point["q"])
    assert at_p < Rational(1, 10**21) and 1 - at_q < Rational(1, 10**21)


# -- strict bounds: Bound(b, "<") and Bound(b, ">") ---------------------------------------------------
# real claims: positivity of e^x, the logistic function below 1 (in floating point it rounds to 1
# for x > 37, but the claim is about the reals), softplus above the identity, LogSumExp above the
# max (its tie x1 = x2 included); and two that fail at one point: x^2 > 0 and cosh x > 1 at x = 0

x1 = sp.Symbol("x1", real=True)
x2 = sp.Symbol("x2", real=True)


def strict(before, bound, *symbols):
    from smoothsym import Bound

    return Derivation(name="strict", title="strict", symbols=symbols or (x,), steps=[Given(before), Bound(*bound)])


@pytest.mark.parametrize("before, bound, symbols", [
    (exp(x), (0, ">"), (x,)),
    (1 / (1 + exp(-x)), (1, "<"), (x,)),
    (sp.log(1 + exp(x)), (x, ">"), (x,)),
    (sp.log(exp(x1) + exp(x2)), (sp.Max(x1, x2), ">"), (x1, x2)),
    (sp.Max(x1, x2), (sp.log(exp(x1) + exp(x2)), "<"), (x1, x2)),
])
def test_a_true_strict_bound_is_proved_strictly(run, before, bound, symbols):
    (_, step) = run(strict(before, bound, *symbols)).steps
    assert step.verdict.status is Status.PROVED, step.verdict.summary()
    assert "strict: sympy: " in step.verdict.method


@pytest.mark.parametrize("before, bound, at", [
    (x**2, (0, ">"), "x = 0"),
    (sp.cosh(x), (1, ">"), "x = 0"),
    (-x**2, (0, "<"), "x = 0"),
    ((x - sqrt(2))**2, (0, ">"), "x = sqrt(2)"),  # an algebraic point: the exact root of the gap
    (x**2 - 2 * x + 2, (1, ">"), "x = 1"),
])
def test_a_strict_bound_with_a_point_of_equality_is_refuted_there(run, before, bound, at):
    """x^2 >= 0 holds (proved), but x^2 > 0 fails at x = 0: exactly equal there, certified by
    SymPy's exact value of the difference."""
    (_, step) = run(strict(before, bound)).steps
    verdict = step.verdict
    assert verdict.status is Status.REFUTED, verdict.summary()
    assert verdict.method == "certified counterexample (exact equality)"
    ce = verdict.counterexample
    assert ce.certified and ce.difference == "0 (exactly)"
    assert f"previous = claim exactly at {at}" in verdict.detail
    assert ce.what == f"previous {bound[1]} claim"
    # the same bound with "=" allowed holds
    from smoothsym import Bound

    weak = Derivation(name="weak", title="weak", symbols=(x,), steps=[Given(before), Bound(bound[0], bound[1] + "=")])
    assert run(weak).steps[1].verdict.status in (Status.PROVED, Status.CHECKED)  # cosh x >= 1: checked


def test_a_strict_bound_says_what_each_part_showed(run):
    """The points agree with "=" allowed (all agreement at points can show), and an equality is
    certified by SymPy's exact value there, not by ball arithmetic."""
    (_, proved) = run(strict(exp(x), (0, ">"))).steps
    assert proved.verdict.evidence[0].what == "previous >= claim"
    (_, refuted) = run(strict(x**2, (0, ">"))).steps
    ce = refuted.verdict.counterexample
    assert "certified by SymPy's exact value of claim - previous, 0 at the point" in ce.summary()
    assert "ball arithmetic" not in ce.summary()


def test_a_strict_bound_that_fails_non_strictly_is_refuted_as_the_bound_is(run):
    (_, step) = run(strict(sin(x), (Rational(1, 2), "<"))).steps
    assert step.verdict.status is Status.REFUTED and step.verdict.counterexample.certified
    assert step.verdict.counterexample.what == "previous < claim"


def test_a_strict_bound_without_a_strict_proof_is_checked_not_proved(run):
    """1 + x^4 - x^2 > 0 (its minimum 3/4 at x^2 = 1/2): SymPy proves >= 0 only via a case it
    cannot make strict, so it is at most checked; never proved without a strict proof."""
    (_, step) = run(strict(1 + x**4 - 2 * x**2 + x**2, (0, ">"))).steps
    assert step.verdict.status in (Status.PROVED, Status.CHECKED)
    if step.verdict.status is Status.CHECKED:
        assert "strictness not proved" in step.verdict.detail


def test_a_wrong_strict_direction_says_what_to_write():
    from smoothsym import Bound
    from smoothsym.errors import DerivationError

    with pytest.raises(DerivationError, match='direction must be "<=", ">=", "<" or ">", not \'=<\''):
        Derivation(name="bad", title="bad", symbols=(x,), steps=[Given(x), Bound(0, "=<")])


def test_a_strict_bound_renders_as_written(run):
    from smoothsym.render import _formula, _html_relation, _tex_relation

    result = run(strict(exp(x), (0, ">")))
    formula = _formula(result.steps[1])
    assert formula.relation == ">"
    assert str(_html_relation(formula)) == "<mo>&gt;</mo>" and str(_tex_relation(formula)) == ">"
    assert result.steps[1].verdict.status is Status.PROVED


def test_a_strict_bound_over_a_symbolic_n_is_at_most_checked(run):
    """The bound with "=" allowed is proved for all n, but strictness is not proved for every n (only searched for an equality at n = 1, 2, 3):
    never "proved" on the strength of the weaker claim."""
    from sympy import IndexedBase, Sum

    from smoothsym import Bound

    x_ = sp.Symbol("x", real=True)
    X_ = IndexedBase(x_)
    k = sp.Symbol("k", integer=True, positive=True)
    derivation = Derivation(name="sum", title="sum", symbols=(x_, k, n),
                            steps=[Given(Sum(exp(X_[k]), (k, 1, n))), Bound(0, ">")])
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.CHECKED
    assert "strict: not proved over a symbolic n" in verdict.method


def test_a_strict_bound_over_a_symbolic_n_is_refuted_where_it_is_an_equality(run):
    """sum_i x_i^2 > 0 passed as "checked" (strictness was not judged over n): at n = 1, x_1 = 0
    the sides are exactly equal. sum_i (x_i^2 + 1) > 0 stays at most checked (not proved strict)."""
    from smoothsym import Bound

    def verdict(start):
        return run(Derivation(name="s", title="s", symbols=(x, n, i), steps=[
            Given(start), Bound(sp.Integer(0), ">")])).steps[1].verdict

    wrong = verdict(Sum(X[i] ** 2, (i, 1, n)))
    assert wrong.status is Status.REFUTED and wrong.counterexample.point["n"] == "1", wrong.summary()
    assert wrong.counterexample.certified
    true = verdict(Sum(X[i] ** 2 + 1, (i, 1, n)))
    assert true.status is Status.CHECKED and "strictness not proved for all n" in true.detail


def test_a_displayed_nested_sum_with_an_inner_bound_on_the_outer_index_is_checked(run):
    """sum_i sum_{j <= i} x_j = sum_j (n - j + 1) x_j: SymPy keeps the nested Sum unexpanded at
    a concrete n, so the display was "not checked" and an index slip in it passed."""
    j = sp.Symbol("j", integer=True, positive=True)

    def prefix_sums(count):
        xs = sp.symbols(f"x_1:{count + 1}", real=True)
        return sum(sum(xs[:a + 1]) for a in range(count)), sum((count - b) * xs[b] for b in range(count))

    def verdict(weight):
        claim = Eq(Sum(Sum(X[j], (j, 1, i)), (i, 1, n)), Sum(weight * X[j], (j, 1, n)))
        return run(Derivation(name="s", title="s", symbols=(x, n, i, j), steps=[
            Given(x), Generalise(claim, prefix_sums)])).steps[1].verdict

    right = verdict(n - j + 1)
    assert right.status is Status.PROVED and "displayed claim = instance" in right.method, right.summary()
    slip = verdict(n - j)
    assert slip.status is Status.REFUTED and "displayed claim refuted by itself" in slip.method
