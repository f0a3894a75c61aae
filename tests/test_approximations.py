"""Approximations with a tolerance (Approximate) and big-O expansions (Asymptotic), as a user
writes them and reads their verdicts.

Approximate: the GELU tanh form against x Phi(x) (Hendrycks and Gimpel, "Gaussian Error Linear
Units", 2016; largest error 4.7324e-4), the logistic sigmoid against the probit Phi(sqrt(pi/8) x)
(Bishop, "Pattern Recognition and Machine Learning", section 4.5.2), tanh x ~ x on [-1/2, 1/2]
and Stirling's formula, whose relative error at x = 1 is 1 - sqrt(2 pi)/e (DLMF 5.11.3). A
tolerance above the largest error is checked (a search is no proof), one below it refuted by a
certified counterexample.

Asymptotic: SymPy's own series facts (sympy/series/tests/test_series.py: sin, exp, log(1 + x),
tanh, log x at 1) are proved; a wrong order or a wrong coefficient is refuted (certified); a
claim the numbers cannot settle is never refuted.
"""

import re

import pytest
import sympy as sp
from sympy import Rational, erf, exp, gamma, log, pi, sin, sqrt, tanh

from smoothsym import Approximate, Asymptotic, Derivation, Given, Limit, Status
from smoothsym.errors import DerivationError
from smoothsym.mutate import MUTANT_SETTINGS, _equivalence, mutants_of, run_mutant
from smoothsym.runner import step_context

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
s = sp.Symbol("s", positive=True)

PHI = (1 + erf(x / sqrt(2))) / 2
GELU = x * PHI
GELU_TANH = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + Rational("0.044715") * x**3)))


def verdict_of(run, before, step, symbols=(x,), domain=()):
    d = Derivation(name="claim", title="claim", symbols=symbols, steps=[Given(before), step], domain=domain)
    return run(d).steps[1].verdict


def largest_error(verdict) -> tuple[float, list[float]]:
    """The largest error and its point's coordinates, as the verdict's detail names them."""
    found = re.search(r"found: (\S+) at (.*?);", verdict.method)
    assert found, verdict.method
    return float(found.group(1)), [float(sp.Rational(v)) for v in re.findall(r"[=≈] (-?[\d./]+)", found.group(2))]


def margin(verdict) -> float:
    return float(re.search(r"margin to the tolerance \S+: ([^;\s]+);", verdict.method).group(1))


# -- Approximate ------------------------------------------------------------------------------

def test_the_gelu_tanh_form_within_4_74e_4_is_checked_with_its_largest_error_and_where(run):
    v = verdict_of(run, GELU, Approximate(GELU_TANH, Rational("4.74e-4")))
    assert v.status is Status.CHECKED  # a search is evidence, not a proof
    assert v.method.startswith("a search for the maximum of |previous - claim| (many starts, Nelder-Mead")
    error, (where,) = largest_error(v)
    assert error == pytest.approx(4.7324e-4, abs=1e-8)
    assert abs(where) == pytest.approx(2.6989, abs=1e-3)
    assert margin(v) == pytest.approx(4.74e-4 - 4.73236e-4, rel=1e-2)


def test_the_gelu_tanh_form_within_4_73e_4_is_refuted_by_a_certified_counterexample(run):
    v = verdict_of(run, GELU, Approximate(GELU_TANH, Rational("4.73e-4")))
    assert v.status is Status.REFUTED
    assert v.counterexample.certified and "certified counterexample (Arb)" in v.method
    assert float(v.counterexample.lhs) > 4.73e-4  # |previous - claim| at the failing point
    assert margin(v) < 0


def test_the_sigmoid_against_the_probit_is_checked_and_a_tolerance_below_its_error_refuted(run):
    # sigma(x) ~ Phi(sqrt(pi/8) x): Bishop, PRML 4.5.2; largest error 0.01767 near |x| = 2.76
    sigmoid, probit = 1 / (1 + exp(-x)), PHI.subs(x, sqrt(pi / 8) * x)
    v = verdict_of(run, sigmoid, Approximate(probit, Rational(2, 100)))
    assert v.status is Status.CHECKED
    error, (where,) = largest_error(v)
    assert error == pytest.approx(0.0176712, rel=1e-5) and abs(where) == pytest.approx(2.7636, abs=1e-3)
    refuted = verdict_of(run, sigmoid, Approximate(probit, Rational(175, 10000)))
    assert refuted.status is Status.REFUTED and refuted.counterexample.certified


def test_tanh_x_near_x_on_a_bounded_domain_is_worst_at_the_edge(run):
    domain = (x >= -Rational(1, 2), x <= Rational(1, 2))
    v = verdict_of(run, tanh(x), Approximate(x, Rational("0.038")), domain=domain)
    assert v.status is Status.CHECKED
    error, (where,) = largest_error(v)
    assert error == pytest.approx(float(Rational(1, 2) - tanh(Rational(1, 2))), rel=1e-5) and abs(where) == 0.5
    refuted = verdict_of(run, tanh(x), Approximate(x, Rational("0.0378")), domain=domain)
    assert refuted.status is Status.REFUTED and refuted.counterexample.certified


def test_stirling_relative_error_is_largest_at_one(run):
    stirling = sqrt(2 * pi * x) * (x / sp.E) ** x
    v = verdict_of(run, gamma(x + 1), Approximate(stirling, Rational(8, 100), relative=True), domain=(x >= 1,))
    assert v.status is Status.CHECKED and "the maximum of |previous - claim|/|previous|" in v.method
    error, where = largest_error(v)
    assert error == pytest.approx(float(1 - sqrt(2 * pi) / sp.E), rel=1e-5) and where == [1.0]
    refuted = verdict_of(run, gamma(x + 1), Approximate(stirling, Rational(77, 1000), relative=True), domain=(x >= 1,))
    assert refuted.status is Status.REFUTED and refuted.counterexample.certified


def test_an_approximation_of_a_constant_is_proved_when_sympy_shows_the_bound(run):
    v = verdict_of(run, pi, Approximate(Rational(22, 7), Rational(1, 500)), symbols=())
    assert v.status is Status.PROVED, v
    assert largest_error(v)[0] == pytest.approx(float(Rational(22, 7) - pi), rel=1e-5)
    refuted = verdict_of(run, pi, Approximate(Rational(22, 7), Rational(1, 1000)), symbols=())
    assert refuted.status is Status.REFUTED and refuted.counterexample.certified


def test_the_next_step_starts_from_the_approximation():
    step = Approximate(x, Rational(1, 10))
    assert step.output(sin(x)) == x and step.relation.value == "≈"


@pytest.mark.parametrize("tolerance, message", [
    (0.01, "float"),
    (-Rational(1, 100), "not a finite positive number"),
    (a, "depends on a: a tolerance is a number"),
])
def test_a_bad_tolerance_is_an_error_naming_the_step(tolerance, message):
    with pytest.raises(DerivationError) as caught:
        Derivation(name="bad", title="bad", symbols=(x, a), steps=[Given(sin(x)), Approximate(x, tolerance)])
    assert message in str(caught.value) and caught.value.step == 2 and caught.value.line > 0


# -- Asymptotic -------------------------------------------------------------------------------

SERIES_FACTS = [  # sympy/series/tests/test_series.py and test_order.py
    (sin(x), x - x**3 / 6, 5, {}),
    (exp(x), 1 + x + x**2 / 2, 3, {}),
    (log(1 + x), x - x**2 / 2, 3, {}),
    (tanh(x), x - x**3 / 3, 5, {}),
    (log(x), x - 1, 2, {"to": 1}),
    (sp.cos(x), 1 - x**2 / 2 + x**4 / 24, 6, {}),
]


@pytest.mark.parametrize("before, claim, n, where", SERIES_FACTS, ids=[str(f[0]) for f in SERIES_FACTS])
def test_sympys_series_facts_are_proved_through_the_ratio_limit(run, before, claim, n, where):
    v = verdict_of(run, before, Asymptotic(x, claim, n, **where))
    assert v.status is Status.PROVED, v
    assert "so it is bounded" in v.method and "x -> " in v.method  # both sides, each named


def test_a_parameter_is_honoured_by_case_splits(run):
    v = verdict_of(run, exp(a * x), Asymptotic(x, 1 + a * x, 2), symbols=(x, a))
    assert v.status is Status.PROVED and "cases" in v.method


@pytest.mark.parametrize("claim, n, leading", [
    (x - x**3 / 6, 6, "order 5 < 6"),      # sin x - (x - x^3/6) ~ x^5/120 is not O(x^6)
    (x - x**3 / 5, 5, "order 3 < 5"),      # a wrong coefficient
    (x + x**3 / 6, 5, "order 3 < 5"),      # a wrong sign
    (1 + x, 2, "order 0 < 2"),             # a constant too many
])
def test_a_wrong_order_or_coefficient_is_refuted_by_a_certified_counterexample(run, claim, n, leading):
    v = verdict_of(run, sin(x), Asymptotic(x, claim, n))
    assert v.status is Status.REFUTED
    assert v.counterexample.certified and "certified counterexample (Arb)" in v.method
    assert "the claim implies" in v.method and leading in v.detail


def test_a_bounded_ratio_without_a_limit_is_never_refuted(run):
    # x^3 sin(1/x) = O(x^2) is true; the ratio x sin(1/x) -> 0, but x^2 sin(1/x) = O(x^2) has a
    # ratio sin(1/x) with no limit: not refuted, and not claimed proved either
    v = verdict_of(run, x**2 * sin(1 / x), Asymptotic(x, sp.Integer(0), 2))
    assert v.status is Status.INCONCLUSIVE, v
    assert "does not show the ratio bounded" in v.detail


def test_a_false_claim_the_powers_cannot_refute_is_inconclusive_not_accepted(run):
    # s^2 log s = O(s^2) is false (the ratio log s -> -oo), but every power consequence
    # s^2 log s / s^m -> 0 (m < 2) holds: it is neither refuted nor passed as checked
    v = verdict_of(run, s**2 * log(s), Asymptotic(s, sp.Integer(0), 2, side="+"), symbols=(s,))
    assert v.status is Status.INCONCLUSIVE and "-oo" in v.detail


def test_a_one_sided_expansion_for_a_positive_variable(run):
    # sqrt(s + s^2) = sqrt(s) + s^(3/2)/2 + O(s^(5/2)) as s -> 0+
    v = verdict_of(run, sqrt(s + s**2), Asymptotic(s, sqrt(s) + s**Rational(3, 2) / 2, Rational(5, 2), side="+"),
                   symbols=(s,))
    assert v.status is Status.PROVED, v
    wrong = verdict_of(run, sqrt(s + s**2), Asymptotic(s, sqrt(s), Rational(5, 2), side="+"), symbols=(s,))
    assert wrong.status is Status.REFUTED and "order 3/2 < 5/2" in wrong.detail


def test_a_positive_variable_cannot_approach_zero_from_the_left():
    with pytest.raises(DerivationError, match='cannot approach 0 from the left; for the limit from the right write side="\\+"'):
        Derivation(name="bad", title="bad", symbols=(s,), steps=[Given(sin(s)), Asymptotic(s, s, 3)])


# -- Asymptotic at infinity: previous = b + O(|x|^-n) as x -> oo, judged at u = 0+ with x = 1/u ------

INFINITY_FACTS = [  # softplus, sqrt(x^2 + 1) and arctan at infinity
    (log(1 + exp(x)), x, 3, sp.oo),  # softplus(x) - x = log(1 + e^-x): O(x^-n) for every n
    (sqrt(x**2 + 1), x, 1, sp.oo),
    (sqrt(x**2 + 1), x + 1 / (2 * x), 3, sp.oo),
    (sp.atan(x), pi / 2 - 1 / x, 3, sp.oo),
    (sp.atan(x), -pi / 2 - 1 / x, 3, -sp.oo),
    (log(1 + exp(x)), sp.Integer(0), 2, -sp.oo),  # softplus -> 0 like e^x as x -> -oo
]


@pytest.mark.parametrize("before, claim, n, to", INFINITY_FACTS, ids=[f"{f[0]} at {f[3]}" for f in INFINITY_FACTS])
def test_an_expansion_at_infinity_is_proved_through_x_equal_1_over_u(run, before, claim, n, to):
    v = verdict_of(run, before, Asymptotic(x, claim, n, to=to))
    assert v.status is Status.PROVED, v
    assert f"the ratio (previous - claim)*|x|^{n} tends to " in v.method and "so it is bounded" in v.method
    sign = "-" if to == -sp.oo else ""
    assert all(e.what.startswith(f"previous = claim + O(|x|^-{n}) as x -> {to} (as x = {sign}1/u, u -> 0+)")
               for e in v.evidence)


def test_a_wrong_coefficient_at_infinity_is_refuted():
    """sqrt(x^2 + 1) = x + 1/(2x) - 1/(8x^3) + ...: the claim x + 1/x + O(x^-3) leaves -1/(2x),
    of order 1 < 3, and that refutes it, certified."""
    from smoothsym.runner import verify
    from smoothsym.settings import PROFILES

    d = Derivation(name="wrong", title="wrong", symbols=(x,), steps=[Given(sqrt(x**2 + 1)), Asymptotic(x, x + 1 / x, 3, to=sp.oo)])
    v = verify(d, PROFILES["default"]).steps[1].verdict
    assert v.status is Status.REFUTED, v
    assert v.counterexample.certified
    assert "the claim implies" in v.method


def test_an_asymptotic_step_at_infinity_has_no_side():
    with pytest.raises(DerivationError, match="has one side only: drop side='\\+'"):
        Derivation(name="bad", title="bad", symbols=(x,), steps=[Given(sin(x)), Asymptotic(x, x, 3, to=sp.oo, side="+")])
    with pytest.raises(DerivationError, match="s is declared nonnegative, so it cannot tend to -oo"):
        Derivation(name="bad", title="bad", symbols=(s,), steps=[Given(sin(s)), Asymptotic(s, s, 3, to=-sp.oo)])


def test_the_o_term_at_infinity_is_shown_as_sympys_order():
    step = Asymptotic(x, pi / 2 - 1 / x, 3, to=sp.oo)
    assert step.order_term() == sp.Order(x**-3, (x, sp.oo))


# -- mutation testing -------------------------------------------------------------------------

def test_every_mutant_of_an_expansion_and_an_approximation_is_refuted():
    d = Derivation(name="expansions", title="expansions", symbols=(x,), steps=[
        Given(sin(x)), Asymptotic(x, x - x**3 / 6, 5),
        Given(tanh(x)), Approximate(x, Rational("0.038")),
    ], domain=())
    found = mutants_of(d)
    assert len(found.mutants) >= 6
    outcomes = [run_mutant(m, MUTANT_SETTINGS) for m in found.mutants]
    survivors = [str(o) for o in outcomes if not o.killed]
    assert not survivors, survivors


def test_a_change_within_the_big_o_is_no_mutant():
    d = Derivation(name="e", title="e", symbols=(x,), steps=[Given(sin(x)), Asymptotic(x, x - x**3 / 6 + x**5, 5)])
    step = d.steps[1]
    context = step_context(d, 2, step, MUTANT_SETTINGS)
    assert _equivalence(step.claim, x - x**3 / 6 + 2 * x**5, step, context).startswith("same expansion, proved")
    assert _equivalence(step.claim, x - x**3 / 3 + x**5, step, context) is None


def test_a_vanishing_change_is_judged_at_the_limits_own_point():
    # 1/x vanishes as x -> oo but not as x -> 0: for a limit at 0 it is a real corruption
    d = Derivation(name="l", title="l", symbols=(x,), steps=[Given(sin(x) / x), Limit(x, 1, to=0)])
    step = d.steps[1]
    context = step_context(d, 2, step, MUTANT_SETTINGS)
    assert _equivalence(sp.Integer(1), 1 + 1 / x, step, context) is None
    assert _equivalence(sp.Integer(1), 1 + x, step, context) == "vanishing"
    at_infinity = Derivation(name="k", title="k", symbols=(x,), steps=[Given(1 + 1 / x), Limit(x, 1)])
    context = step_context(at_infinity, 2, at_infinity.steps[1], MUTANT_SETTINGS)
    assert _equivalence(sp.Integer(1), 1 + 1 / x, at_infinity.steps[1], context) == "vanishing"


# -- reports ------------------------------------------------------------------------------------

def test_reports_show_approximately_equal_and_the_big_o_term(run):
    import xml.etree.ElementTree as ET

    from smoothsym import PROFILES
    from smoothsym.render import render_reports

    d = Derivation(name="shown", title="shown", symbols=(x,), steps=[
        Given(tanh(x)), Approximate(x, Rational("0.038"), where=(x >= -Rational(1, 2), x <= Rational(1, 2))),
        Given(sin(x)), Asymptotic(x, x - x**3 / 6, 5),
        Given(log(x)), Asymptotic(x, x - 1, 2, to=1),
    ])
    files = render_reports([run(d)], PROFILES["default"])
    html, tex = files["shown.html"], files["shown.tex"]
    assert "<mo>\u2248</mo>" in html and "order(" not in html
    assert "<mi>O</mi>" in html and "0.038" in html  # the tolerance as written, not 19/500
    for block in re.findall(r"<math.*?</math>", html, flags=re.S):
        ET.fromstring(block)  # well-formed MathML
    assert r"\approx x" in tex and r"O\left(x^{5}\right)" in tex
    assert r"O\left(\left(x - 1\right)^{2}; x\rightarrow 1\right)" in tex
