"""Limits anywhere (x -> a, one-sided, x -> -oo) and definite integrals, as a user writes them.

The true claims are SymPy's own test facts (sympy/series/tests/test_limits.py and
sympy/integrals/tests/test_integrals.py); each has a mutant (one constant changed), which must
come back refuted. Nothing here may be a false proof or a false refutation: a true claim is
proved or checked, never refuted; a mutant is refuted, and certified wherever the engine says so.
"""

import re

import pytest
import sympy as sp
from sympy import Abs, S, atan, cos, cot, exp, floor, log, oo, pi, sign, sin, sqrt

from smoothsym import Derivation, Given, Limit, Status
from smoothsym.errors import DerivationError
from smoothsym.steps import Condition, Integrate

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
a = sp.Symbol("a", positive=True)
k = sp.Symbol("k", positive=True)
p = sp.Symbol("p", positive=True)


def one_step(before, step):
    """A derivation of two steps, Given(before) and the step, its symbols declared."""
    found = set(sp.sympify(before).free_symbols) | set(sp.sympify(step.claim).free_symbols) | {step.variable}
    for bound in getattr(step, "over", None) or ():
        found |= sp.sympify(bound).free_symbols
    to = getattr(step, "to", oo)
    found |= sp.sympify(to).free_symbols
    symbols = tuple(sorted(found, key=lambda s: s.name))
    return Derivation(name="claim", title="claim", symbols=symbols, steps=[Given(before), step])


def verdict_of(run, before, step):
    return run(one_step(before, step)).steps[1].verdict


# -- limits: (integrand, Limit step as written, the mutant's claim) -----------------------------
# each from sympy/series/tests/test_limits.py: limit(expr, x, a[, dir]) == value
LIMITS = {
    "x log x -> 0 as x -> 0+ (test_basic1)": (x * log(x), Limit(x, 0, to=0, side="+"), S(1) / 10),
    "x^x -> 1 as x -> 0+ (test_basic2)": (x**x, Limit(x, 1, to=0, side="+"), S(9) / 10),
    "(e^x - 1)/x -> 1 as x -> 0 (test_basic2)": ((exp(x) - 1) / x, Limit(x, 1, to=0), S(2)),
    "2x^8 + y/x^3 -> 512 - y/8 as x -> -2 (test_basic4)": (2 * x**8 + y * x**-3, Limit(x, 512 - y / 8, to=-2), 512 - y / 7),
    "(1 - cos x)/x^2 as x -> 1/2 (issue 3792)": ((1 - cos(x)) / x**2, Limit(x, 4 - 4 * cos(S.Half), to=S.Half), 4 - 4 * cos(S(1) / 3)),
    "log(x)/(x^2 + 3) -> log(2)/7 as x -> 2 (issue 4090)": (log(x) / (x**2 + 3), Limit(x, log(2) / 7, to=2), log(2) / 6),
    "x e^x/(e^x - 1) -> 0 as x -> -oo (issue 2929)": (x * exp(x) / (exp(x) - 1), Limit(x, 0, to=-oo), S(1) / 1000),
    "cos(z)/sign(z) -> -1 as z -> pi- (issue 21606)": (cos(z) / sign(z), Limit(z, -1, to=pi, side="-"), S(1)),
    "(|x + y| - |x - y|)/(2x) -> sign(y) as x -> 0 (issue 9449)": ((Abs(x + y) - Abs(x - y)) / (2 * x), Limit(x, sign(y), to=0), 2 * sign(y)),
    "floor(x) -> 1 as x -> 2- (test_floor)": (floor(x), Limit(x, 1, to=2, side="-"), S(2)),
    "atan(x) sin(1/x) -> 0 as x -> 0 (test_atan)": (atan(x) * sin(1 / x), Limit(x, 0, to=0), S(1) / 100),
    "floor(atan(x)) -> -2 as x -> -oo (issue 9158)": (floor(atan(x)), Limit(x, -2, to=-oo), S(-1)),
    "cot(x) -> 0 as x -> pi/2+ (issue 4547)": (cot(x), Limit(x, 0, to=pi / 2, side="+"), S(1) / 10**6),
}


@pytest.mark.parametrize("name", LIMITS)
def test_limits_from_sympys_tests_are_proved(run, name):
    before, step, _ = LIMITS[name]
    verdict = verdict_of(run, before, step)
    assert verdict.status is Status.PROVED, verdict.summary()
    assert "sympy.limit" in verdict.method
    if step.to not in (oo, -oo) and not step.side:  # two-sided: both sides, each named
        assert f"{step.variable} -> {step.to}+" in verdict.method and f"{step.variable} -> {step.to}-" in verdict.method


@pytest.mark.parametrize("name", LIMITS)
def test_their_mutants_are_refuted_with_a_certified_gap(run, name):
    before, step, wrong = LIMITS[name]
    verdict = verdict_of(run, before, Limit(step.variable, wrong, to=step.to, side=step.side))
    assert verdict.status is Status.REFUTED, verdict.summary()
    ce = verdict.counterexample
    assert ce.certified and ce.tolerance.startswith("a certified gap")
    assert f"as {step.variable} = " in ce.what and "-> oo" in ce.what  # the path followed, said


def test_a_two_sided_limit_needs_both_sides(run):
    """|x|/x -> 1 from the right only: the two-sided claim is refuted by the left side."""
    right = verdict_of(run, Abs(x) / x, Limit(x, 1, to=0, side="+"))
    both = verdict_of(run, Abs(x) / x, Limit(x, 1, to=0))
    assert right.status is Status.PROVED
    assert both.status is Status.REFUTED and "x -> 0-: certified counterexample" in both.method


def test_limit_at_a_point_given_by_a_symbol_is_proved_in_every_case_of_it(run):
    """(x^2 - y^2)/(x - y) -> 2y as x -> y, for every real y (cases y > 0, y < 0, y = 0)."""
    verdict = verdict_of(run, (x**2 - y**2) / (x - y), Limit(x, 2 * y, to=y))
    assert verdict.status is Status.PROVED and "cases y>0, y<0, y=0" in verdict.method


def test_not_real_on_one_side_is_an_error_saying_what_to_write(run):
    """sqrt(x) has no real values left of 0: no limit to refute there, so the step says so."""
    verdict = verdict_of(run, sqrt(x), Limit(x, 0, to=0))
    assert verdict.status is Status.ERROR
    assert "not real to the left of x = 0" in verdict.detail and 'side="+"' in verdict.detail
    assert verdict_of(run, sqrt(x), Limit(x, 0, to=0, side="+")).status is Status.PROVED
    # a certified gap on the side where it is real still refutes the two-sided claim
    wrong = verdict_of(run, sqrt(x), Limit(x, 1, to=0))
    assert wrong.status is Status.REFUTED and wrong.counterexample.certified


def test_an_infinite_target_is_an_error_saying_what_to_write(run):
    """lim k = oo: the numeric check follows an error to 0, which an infinite target has none of;
    the step says so and how to state the divergence (it said "Arb cannot evaluate NegativeInfinity")."""
    verdict = verdict_of(run, k, Limit(k, oo))
    assert verdict.status is Status.ERROR
    assert "the target oo is infinite" in verdict.detail and "lim 1/(k) = 0" in verdict.detail


def test_the_limit_to_plus_infinity_is_written_and_judged_as_before(run):
    assert repr(Limit(k, 0)) == "Limit(k, 0)" and Limit(k, 0) == Limit(k, 0, to=oo)
    verdict = verdict_of(run, 1 / k, Limit(k, 0))
    assert verdict.status is Status.PROVED and verdict.evidence[0].what == "lim_(k->oo) previous = claim"


@pytest.mark.parametrize("step, message", [
    (lambda: Limit(x, 0, to=oo, side="+"), "side= is for a finite limit point"),
    (lambda: Limit(x, 0, to=0, side="left"), 'side must be "+" (from the right), "-" (from the left)'),
    (lambda: Limit(x, x, to=0), "still depends on x"),
    (lambda: Limit(x, 0, to=x + 1), "depends on the limit variable x itself"),
    (lambda: Limit(p, 0, to=-oo), "p is declared nonnegative, so it cannot tend to -oo"),
    (lambda: Limit(p, 0, to=0), 'cannot approach 0 from the left; for the limit from the right write side="+"'),
    (lambda: Limit(sp.Symbol("n", integer=True), 0, to=1), "declared integer"),
])
def test_a_wrong_limit_step_says_what_to_write(step, message):
    with pytest.raises(DerivationError, match=re.escape(message)):
        built = step()
        one_step(built.variable, built)


# -- definite integrals: (integrand, Integrate step, the mutant's value) ------------------------
# each from sympy/integrals/tests/test_integrals.py (test_basics4 of test_limits.py for 1/(x^3 + 1))
INTEGRALS = {
    "e^-x over [0, oo) = 1 (issue 3532)": (exp(-x), Integrate(x, 1, over=(0, oo)), S(11) / 10),
    "log(x)/(1 - x) over [0, 1] = -pi^2/6 (test_log_polylog)": (log(x) / (1 - x), Integrate(x, -pi**2 / 6, over=(0, 1)), -pi**2 / 5),
    "(1 + cos 2x)/(3 - 2 cos 2x) over [0, pi] (issue 8623)": ((1 + cos(2 * x)) / (3 - 2 * cos(2 * x)), Integrate(x, -pi / 2 + sqrt(5) * pi / 2, over=(0, pi)), -pi / 2 + sqrt(6) * pi / 2),
    "1/(2 - cos x) over [0, pi] = pi/sqrt(3) (issue 9569)": (1 / (2 - cos(x)), Integrate(x, pi / sqrt(3), over=(0, pi)), pi / sqrt(2)),
    "1/(2 + cos x) over [0, pi] = pi/sqrt(3) (issue 13749)": (1 / (2 + cos(x)), Integrate(x, pi / sqrt(3), over=(0, pi)), pi / sqrt(3) + S(1) / 10**4),
    "1/(x^3 + 1) over [0, oo) = 2 pi sqrt(3)/9 (test_basic4)": (1 / (x**3 + 1), Integrate(x, 2 * pi * sqrt(3) / 9, over=(0, oo)), 2 * pi * sqrt(3) / 8),
    "x^2 + 1 over [-1, 2] = 6 (test_transform)": (x**2 + 1, Integrate(x, 6, over=(-1, 2)), S(7)),
    "e^-x^2 over (-oo, oo) = sqrt(pi) (test_evalf_integrals)": (exp(-x**2), Integrate(x, sqrt(pi), over=(-oo, oo)), sqrt(pi) + S(1) / 10**3),
    "y x^2 + z x + 1 over [0, t] (test_integration)": (y * x**2 + z * x + 1, Integrate(x, y * t**3 / 3 + z * t**2 / 2 + t, over=(0, t)), y * t**3 / 3 + z * t**2 / 2 + 2 * t),
}


@pytest.mark.parametrize("name", INTEGRALS)
def test_definite_integrals_from_sympys_tests_are_proved_and_the_quadrature_agrees(run, name):
    before, step, _ = INTEGRALS[name]
    verdict = verdict_of(run, before, step)
    assert verdict.status is Status.PROVED, verdict.summary()
    assert verdict.method.startswith(("sympy: sympy.integrate + ", "sympy: polynomial antiderivative + "))
    (evidence,) = verdict.evidence
    assert evidence.oracle == "numeric quadrature (mpmath tanh-sinh), 47 digits"


@pytest.mark.parametrize("name", INTEGRALS)
def test_their_mutants_are_refuted_certified_over_a_finite_range_and_an_infinite_one(run, name):
    """Over [0, oo) and (-oo, oo) too: Arb's integration over a window plus a certified bound
    of each tail; and past the log at x = 0 (and the removable 0/0 at x = 1) of log(x)/(1 - x),
    the piece next to each end bounded as a tail in y = 1/|x - end|."""
    before, step, wrong = INTEGRALS[name]
    verdict = verdict_of(run, before, Integrate(step.variable, wrong, over=step.over))
    ce = verdict.counterexample
    assert verdict.status is Status.REFUTED, verdict.summary()
    assert ce.certified and "ball enclosure of the integral" in ce.tolerance
    assert verdict.method == "certified counterexample (Arb)"
    if any(b in (oo, -oo) for b in step.over):
        assert "|tail beyond x = " in ce.tolerance
    if name.startswith("log(x)"):
        assert "next to x = 0|" in ce.tolerance and "next to x = 1|" in ce.tolerance


@pytest.mark.parametrize("integrand, lower, upper, value, off", [
    (log(x), 0, 1, S(-1), S(1) / 10**9),  # log at 0
    (1 / sqrt(x), 0, 4, S(4), S(1) / 10**6),  # x^(-1/2) at 0
    (log(x) * exp(-x), 0, oo, -sp.EulerGamma, S(1) / 10**8),  # both: a log at 0 and a tail
])
def test_an_integrable_singularity_at_an_end_is_certified_past(run, integrand, lower, upper, value, off):
    assert verdict_of(run, integrand, Integrate(x, value, over=(lower, upper))).status in (Status.PROVED, Status.CHECKED)
    verdict = verdict_of(run, integrand, Integrate(x, value + off, over=(lower, upper)))
    assert verdict.status is Status.REFUTED and verdict.counterexample.certified, verdict.summary()
    assert f"next to x = {lower}|" in verdict.counterexample.tolerance


# -- infinite ranges: (integrand, Integrate step, the mutant's value, how it is judged when true) ---
# the classical values: the exponential and the Gaussian integral, the Gamma integral
# x e^(-a x) = 1/a^2, a power tail 1/x^2 (its tail bounded as |f(R)| R/(p - 1), not by an
# exponential), the Gaussian's second and fourth moments, and softplus-type integrands
# (log(1 + e^x) over (-oo, 0] = pi^2/12 = eta(2); the logistic density sigma (1 - sigma), half of it)
sigma = 1 / (1 + exp(-x))
INFINITE = {
    "e^-x over [0, oo) = 1": (exp(-x), Integrate(x, 1, over=(0, oo)), 1 + S(1) / 10**8, Status.PROVED),
    "e^-x^2 over (-oo, oo) = sqrt(pi)": (exp(-x**2), Integrate(x, sqrt(pi), over=(-oo, oo)), sqrt(pi) * (1 + S(1) / 10**10), Status.PROVED),
    "x e^(-a x) over [0, oo) = 1/a^2": (x * exp(-a * x), Integrate(x, 1 / a**2, over=(0, oo)), (1 + S(1) / 10**6) / a**2, Status.CHECKED),
    "1/x^2 over [1, oo) = 1": (1 / x**2, Integrate(x, 1, over=(1, oo)), S(1001) / 1000, Status.PROVED),
    "x^2 e^-x^2 over (-oo, oo) = sqrt(pi)/2": (x**2 * exp(-x**2), Integrate(x, sqrt(pi) / 2, over=(-oo, oo)), sqrt(pi) / 2 + S(1) / 10**9, Status.PROVED),
    "x^4 e^-x^2 over (-oo, oo) = 3 sqrt(pi)/4": (x**4 * exp(-x**2), Integrate(x, 3 * sqrt(pi) / 4, over=(-oo, oo)), 3 * sqrt(pi) / 4 * (1 + S(1) / 10**9), Status.PROVED),
    "log(1 + e^x) over (-oo, 0] = pi^2/12": (log(1 + exp(x)), Integrate(x, pi**2 / 12, over=(-oo, 0)), pi**2 / 12 + S(1) / 10**9, None),
    "sigma (1 - sigma) over [0, oo) = 1/2": (sigma * (1 - sigma), Integrate(x, S(1) / 2, over=(0, oo)), S(1) / 2 + S(1) / 10**9, None),
}


@pytest.mark.parametrize("name", INFINITE)
def test_a_true_integral_over_an_infinite_range_is_never_refuted(run, name):
    before, step, _, expected = INFINITE[name]
    verdict = verdict_of(run, before, step)
    assert verdict.status in ((expected,) if expected else (Status.PROVED, Status.CHECKED)), verdict.summary()


@pytest.mark.parametrize("name", INFINITE)
def test_a_wrong_value_over_an_infinite_range_is_refuted_certified(run, name):
    """A gap of 10^-8 .. 10^-10 relative: Arb's integration over the window [A, B] and a
    certified bound of each tail beyond it, the bound far below the gap."""
    before, step, wrong, _ = INFINITE[name]
    verdict = verdict_of(run, before, Integrate(step.variable, wrong, over=step.over))
    assert verdict.status is Status.REFUTED, verdict.summary()
    ce = verdict.counterexample
    assert ce.certified and verdict.method == "certified counterexample (Arb)"
    assert "excluding 0 (Arb's rigorous integration (acb.integral); |tail beyond x = " in ce.tolerance
    tails = re.findall(r"\|tail beyond x = (-?\d+)\| <= (\S+)", ce.tolerance)
    assert len(tails) == sum(b in (oo, -oo) for b in step.over)
    gap = abs(float(ce.difference))
    assert all(float(bound.rstrip(";)")) < gap / 100 for _, bound in tails)


def test_a_tail_that_cannot_be_bounded_leaves_a_wrong_value_disputed_not_refuted(run):
    """e^-x (2 + erf x) over [0, oo) = 2 + e^(1/4) erfc(1/2): the interval arithmetic of the
    tail has no erf, so no tail is certified; the quadratures miss the value + 10^-6, and that
    is disputed (never a pass), never refuted."""
    before = exp(-x) * (2 + sp.erf(x))
    value = 2 + exp(S(1) / 4) * sp.erfc(S(1) / 2)
    assert verdict_of(run, before, Integrate(x, value, over=(0, oo))).status in (Status.PROVED, Status.CHECKED)
    verdict = verdict_of(run, before, Integrate(x, value + S(1) / 10**6, over=(0, oo)))
    assert verdict.status is Status.DISPUTED and not verdict.status.is_pass
    ce = verdict.counterexample
    assert not ce.certified and "could not be bounded" in ce.tolerance
    assert "not refuted" in verdict.detail


@pytest.mark.parametrize("integrand, lower, value, wrong", [
    (exp(-x) * cos(x), 0, S(1) / 2, S(1) / 2 + S(1) / 10**9),  # |cos| <= 1: the tail of e^-x
    (exp(-x**2) * sin(x)**2, -oo, sqrt(pi) * (1 - exp(-1)) / 2, sqrt(pi) * (1 - exp(-1)) / 2 - S(1) / 10**9),
    (exp(-x) * (2 + sin(x)), 0, S(5) / 2, S(5) / 2 + S(1) / 10**6),  # term by term: 2 e^-x, e^-x sin x
])
def test_an_oscillating_factor_and_a_sum_are_bounded_term_by_term(integrand, lower, value, wrong):
    from smoothsym import numeric
    from smoothsym.settings import PROFILES

    assert numeric._certified_gap(integrand, x, sp.sympify(lower), oo, value, (), {}, PROFILES["default"])[0] is None
    gap, how = numeric._certified_gap(integrand, x, sp.sympify(lower), oo, wrong, (), {}, PROFILES["default"],
                                      estimate=sp.N(value - wrong))
    assert gap is not None and "|tail beyond x = " in how
    assert (gap.real > 0) == (wrong < value)


def test_a_bump_far_out_is_inside_the_window_not_lost_in_the_tail():
    """e^-x + e^-(x - 1000)^2: no tail bound holds before x = 1000 (the bump's log-derivative
    is positive there), so the window reaches past it; a claim that misses the bump (1, what a
    quadrature that never samples near 1000 would find) is certified wrong by sqrt(pi)."""
    from smoothsym import numeric
    from smoothsym.settings import PROFILES

    f = exp(-x) + exp(-(x - 1000)**2)
    true = 1 + sqrt(pi) * (1 + sp.erf(1000)) / 2
    assert numeric._certified_gap(f, x, S(0), oo, true, (), {}, PROFILES["default"], estimate=S(1) / 10**9)[0] is None
    gap, how = numeric._certified_gap(f, x, S(0), oo, S(1), (), {}, PROFILES["default"], estimate=-sqrt(pi))
    assert gap is not None and abs(float(gap.real.mid()) - float(sp.sqrt(sp.pi))) < 1e-9
    assert int(re.search(r"tail beyond x = (\d+)", how).group(1)) > 1000


def test_the_tail_bound_is_certified_from_the_log_derivative():
    """|integral of f over [R, oo)| <= |f(R)|/c where f'/f <= -c, or |f(R)| R/(p - 1) where
    x f'/f <= -p < -1: never below the true tail, and None where neither is shown."""
    from smoothsym import numeric

    for f, R, true_tail in [(exp(-x), 4, exp(-4)), (1 / x**2, 8, S(1) / 8), (exp(-x**2), 2, sqrt(pi) * sp.erfc(2) / 2),
                            (log(1 + exp(-x)), 4, None), (1 / (1 + x**2), 16, pi / 2 - atan(16))]:
        bound = numeric._tail_bound(f, x, sp.Integer(R))
        assert bound is not None, f
        if true_tail is not None:
            assert float(bound) >= float(true_tail) and float(bound) < 10 * float(true_tail) + 1e-300
    assert numeric._tail_bound(exp(-x) * (2 + sp.erf(x)), x, sp.Integer(4)) is None  # no interval erf
    assert numeric._tail_bound(1 / x, x, sp.Integer(4)) is None  # no finite tail at all
    # f'/f = -1 - 1/(x - 10)^2 <= -1 everywhere it is defined, but f = e^(-x + 1/(x - 10)) blows up
    # at 10+: its interval -1/[0, oo] = [-oo, 0] must not pass for a bound; beyond 10 it holds
    blows_up = exp(-x + 1 / (x - 10))
    assert numeric._tail_bound(blows_up, x, sp.Integer(8)) is None
    assert float(numeric._tail_bound(blows_up, x, sp.Integer(16))) >= float(sp.Integral(blows_up, (x, 16, oo)).evalf(30))
    # a zero on the tail: no decay bound of f as a whole, but term by term, x e^-x and 10 e^-x
    assert numeric._decay_bound(exp(-x) * (x - 10), x, sp.Integer(4)) is None
    assert float(numeric._tail_bound(exp(-x) * (x - 10), x, sp.Integer(4))) >= float(15 * exp(-4))


def test_an_integral_with_a_parameter_is_checked_not_proved(run):
    """e^(-a x) over [0, oo) = 1/a for a > 0: sympy.integrate answers for generic a only, so the
    quadrature at each sampled a is all the evidence; "checked", with the digits reached."""
    verdict = verdict_of(run, exp(-a * x), Integrate(x, 1 / a, over=(0, oo)))
    assert verdict.status is Status.CHECKED
    assert verdict.method == "numeric quadrature (mpmath tanh-sinh), 47 digits"
    assert "sympy.integrate answers for generic values of a only" in verdict.detail
    assert verdict.evidence[0].points >= 8


@pytest.mark.parametrize("integrand, over", [(1 / x, (-1, 1)), (x / (1 + x**2), (-oo, oo))])
def test_a_divergent_integral_claimed_finite_is_disputed_not_an_error(run, integrand, over):
    """The integral of 1/x over [-1, 1] = 0 (a held-out probe): no quadrature settles, which was
    the step's error; SymPy gives nan, so the claim is disputed, and the step says why."""
    verdict = verdict_of(run, integrand, Integrate(x, 0, over=over))
    assert verdict.status is Status.DISPUTED, verdict.summary()
    assert "sympy.integrate gives nan" in verdict.summary()


def test_an_integral_with_a_kink_inside_is_split_there(run):
    """|x - 1/3| over [0, 1] = 5/18: the quadrature is split at 1/3, so it reaches full digits."""
    verdict = verdict_of(run, Abs(x - S(1) / 3), Integrate(x, S(5) / 18, over=(0, 1)))
    assert verdict.status is Status.PROVED
    wrong = verdict_of(run, Abs(x - S(1) / 3), Integrate(x, S(5) / 17, over=(0, 1)))
    assert wrong.status is Status.REFUTED and wrong.counterexample.certified
    assert wrong.counterexample.note == "split at 1/3"


def test_the_antiderivative_form_is_unchanged(run):
    verdict = verdict_of(run, 2 * x, Integrate(x, x**2 + 1, fixed_by=Condition(0, 1)))
    assert verdict.status is Status.PROVED


@pytest.mark.parametrize("step, message", [
    (lambda: Integrate(x, 1), "for a definite integral over [a, b] write Integrate(x, value, over=(a, b))"),
    (lambda: Integrate(x, 1, over=(0, 1), fixed_by=Condition(0, 0)), "drop fixed_by="),
    (lambda: Integrate(x, 1, over=(0,)), "over= must be the pair of bounds (a, b)"),
    (lambda: Integrate(x, x**2, over=(0, 1)), "but the claim x**2 depends on x"),
    (lambda: Integrate(x, 1, over=(0, x)), "depends on the integration variable x"),
    (lambda: Integrate(p, 1, over=(-1, 1)), "p is declared nonnegative, but the range [-1, 1] leaves that sign"),
])
def test_a_wrong_integral_step_says_what_to_write(step, message):
    with pytest.raises(DerivationError, match=re.escape(message)):
        built = step()
        one_step(built.variable, built)


@pytest.mark.parametrize("integrand, lower, upper, value", [
    (sp.sin(x) ** 2, 0, pi, pi / 2),
    (1 / (2 + cos(x)), 0, pi, pi / sqrt(3)),
    (Abs(x - S(1) / 3), 0, 1, S(5) / 18),
    (exp(-x**2) * x, -1, 2, (exp(-1) - exp(-4)) / 2),
    (sqrt(x), 0, 4, S(16) / 3),
    (y * x**2 + 1, 0, 1, y / 3 + 1),
    (exp(-x), 0, oo, S(1)),
    (exp(-x**2), -oo, oo, sqrt(pi)),
    (x**2 * exp(-x**2), -oo, oo, sqrt(pi) / 2),
    (1 / x**2, 1, oo, S(1)),
    (1 / (1 + x**2), -oo, oo, pi),
    (log(1 + exp(x)), -oo, 0, pi**2 / 12),
    (exp(-Abs(x)), -oo, oo, S(2)),
    (x * exp(-y**2 * x), 0, oo, 1 / y**4),
])
def test_the_enclosure_of_a_true_integral_never_excludes_its_value(integrand, lower, upper, value):
    """What makes an integral's refutation certified, held against true values (tight ones
    included): the ball enclosure must contain them, however it is refined."""
    from smoothsym import numeric
    from smoothsym.settings import PROFILES

    syms = tuple(s for s in (y,) if s in integrand.free_symbols)
    for point in ({y: S(3)}, {y: -S(1) / 7}) if syms else ({},):
        gap, why = numeric._certified_gap(integrand, x, sp.sympify(lower), sp.sympify(upper), value, syms, point,
                                          PROFILES["default"])
        assert gap is None, why


# -- the certificate held against families of known integrals ---------------------------------------
# the Gamma integrals x^k e^(-a x) over [0, oo) = k!/a^(k+1), the Gaussian moments x^(2k) e^(-a x^2)
# over (-oo, oo) = Gamma(k + 1/2)/a^(k + 1/2), the power tails x^-p over [1, oo) = 1/(p - 1): the
# true value is never excluded, and a value off by `off` (relative) either way is excluded with
# the right sign
KNOWN = (
    [(x**k * exp(-q * x), 0, sp.factorial(k) / q**(k + 1), S(1) / 10**12) for k in (0, 2, 4) for q in (S(1) / 3, S(5) / 2)]
    + [(x**(2 * k) * exp(-q * x**2), -oo, sp.gamma(k + S(1) / 2) / q**(k + S(1) / 2), S(1) / 10**12)
       for k in (0, 1, 3) for q in (S(1) / 3, S(5) / 2)]
    + [(x**-p, 1, 1 / (p - 1), S(1) / 10**4) for p in (S(2), S(3), S(5) / 2)]
)


@pytest.mark.parametrize("integrand, lower, value, off", KNOWN, ids=[f"{f[0]} from {f[1]}" for f in KNOWN])
def test_the_certificate_of_a_known_integral_holds_its_value_and_excludes_a_neighbour(integrand, lower, value, off):
    from smoothsym import numeric
    from smoothsym.settings import PROFILES

    lower = sp.sympify(lower)
    gap, why = numeric._certified_gap(integrand, x, lower, oo, value, (), {}, PROFILES["default"], estimate=S(0))
    assert gap is None, why
    for sign in (1, -1):
        wrong = value * (1 + sign * off)
        gap, how = numeric._certified_gap(integrand, x, lower, oo, wrong, (), {}, PROFILES["default"],
                                          estimate=sp.N(value - wrong))
        assert gap is not None, how
        assert (gap.real < 0) == (sign > 0) and (gap.real > 0) == (sign < 0)


@pytest.mark.parametrize("integrand, lower, upper, value", [
    (log(x)**2, 0, 1, S(2)),
    (x**(-S(1) / 3), 0, 1, S(3) / 2),
    (log(x) / (1 - x), 0, 1, -pi**2 / 6),
    (log(1 + x) / x, 0, 1, pi**2 / 12),  # removable at 0
])
def test_past_an_end_singularity_the_enclosure_still_holds_the_true_value(integrand, lower, upper, value):
    """The pieces next to the ends are bounded, not dropped: with the gap estimated at 10^-9 (so
    that the ends are shaved to within 10^-12), the true value is never excluded."""
    from smoothsym import numeric
    from smoothsym.settings import PROFILES

    gap, why = numeric._certified_gap(integrand, x, sp.sympify(lower), sp.sympify(upper), value, (), {},
                                      PROFILES["default"], estimate=sp.Float("1e-9"))
    assert gap is None, why
