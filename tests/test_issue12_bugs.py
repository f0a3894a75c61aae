"""The five bugs of issue 12's "Other bugs met on the way", each as the user met it."""

import re

import mpmath
import pytest

from smoothsym.verdict import Counterexample
import sympy as sp
from flint import acb

from smoothsym import Bound, Derivation, Differentiate, Generalise, Given, Rewrite, Status, balls, numeric
from smoothsym.settings import PROFILES
from smoothsym.verdict import NumericEvidence

x = sp.Symbol("x", real=True)
m = sp.Symbol("m", integer=True)


@pytest.mark.parametrize("digits", [50, 200])
def test_a_failure_that_does_not_survive_replay_is_undecided_not_a_crash(digits):
    """--digits 200 crashed with TypeError: '>' not supported between 'NoneType' and 'mpf': a
    point where one side is undefined failed at the working digits (1e-(digits/2) away it is off
    by |x|^(3/2), more than the tolerance), passed the replay at twice the digits, and stayed among
    the judged points with no error. It is now undecided, never judged.

    The claim is false (on 0 < |x| < 10^-10 the sides differ by |x|^(3/2)), and since the edges
    of |x| < 10^-10 are solved as exceptional points, with the stretch between them and 0, the
    sampler finds it: an mpmath counterexample there (upper gamma has no Arb counterpart, so not
    certified), never a crash."""
    z = sp.uppergamma(sp.Rational(1, 3), 2)  # no upper gamma in Arb here: the mpmath fallback, whose nearby points scale with the digits
    lhs = sp.Piecewise((z, x > 0), (z, x < 0))  # undefined at x = 0
    rhs = z + sp.Piecewise((sp.Abs(x) ** sp.Rational(3, 2), sp.Abs(x) < sp.Rational(1, 10**10)), (0, True))
    evidence = numeric.equality_evidence(lhs, rhs, (x,), (), PROFILES["default"].replace(digits=digits), 2)
    assert isinstance(evidence, Counterexample) and not evidence.certified
    assert 0 < abs(sp.Rational(evidence.point["x"])) < sp.Rational(1, 10**10)
    assert evidence.digits == digits


def test_dirac_delta_is_zero_off_its_support_and_undefined_on_it():
    """d/dx sign(x) = 2 DiracDelta(x): Arb and the mpmath fallback both evaluate it."""
    f = balls.ball_function(2 * sp.DiracDelta(x - 1), (x,))
    assert f(acb(3)) == acb(0)
    with pytest.raises(balls.Undefined, match="DiracDelta at its support"):
        f(acb(1))
    g = numeric.compiled(2 * sp.DiracDelta(x) + sp.DiracDelta(x, 1), (x,))
    assert numeric._raw_value(g, (sp.Integer(2),), 30) == 0
    assert numeric._raw_value(g, (sp.Integer(0),), 30) is None  # undefined, never a value


def test_differentiating_a_piecewise_with_sign_is_judged(run):
    """Was NameError: DiracDelta. d/dx (x sign x) = sign x + 2x DiracDelta(x): sign x off 0, and
    x = 0 (an exceptional point of sign) is skipped as undefined, counted, never passed. At 0
    itself x sign x = |x| has no derivative (sign(0) = 0 is claimed there): stated on x != 0 the
    step is proved, stated everywhere it is refuted by the one-sided derivatives (1 and -1)."""
    def step(where):
        return run(Derivation(name="sign-piecewise", title="t", symbols=(x,), steps=[
            Given(sp.Piecewise((x * sp.sign(x), x < 1), (x, True))),
            Differentiate(x, sp.Piecewise((sp.sign(x), x < 1), (1, True)), where=where),
        ])).steps[1]

    off_zero = step((sp.Ne(x, 0),))
    assert off_zero.verdict.status is Status.PROVED, off_zero.verdict.summary()
    (evidence,) = off_zero.verdict.evidence
    assert evidence.points >= 25
    everywhere = step(())
    assert everywhere.verdict.status is Status.REFUTED
    assert "the derivative from the right at x = 0" in everywhere.verdict.counterexample.what


def test_a_wrong_derivative_of_sign_is_refuted(run):
    derivation = Derivation(name="sign-wrong", title="t", symbols=(x,), steps=[
        Given(sp.sign(x)), Differentiate(x, sp.Integer(1)),
    ])
    step = run(derivation).steps[1]
    assert step.verdict.status is Status.REFUTED


def test_a_false_greater_equal_bound_shows_lhs_and_rhs_as_written(run):
    """previous >= claim, x^2 >= x^2 + 1: fails at x = 0 with lhs = x^2 = 0, rhs = x^2 + 1 = 1."""
    derivation = Derivation(name="ge", title="t", symbols=(x,), steps=[Given(x**2), Bound(x**2 + 1, ">=")])
    ce = run(derivation).steps[1].verdict.counterexample
    assert (ce.point, ce.lhs, ce.rhs, ce.difference) == ({"x": "0"}, "0.0", "1.0", "-1.0")
    assert ce.summary().startswith("previous >= claim fails at x = 0: lhs = 0.0, rhs = 1.0, difference -1.0 ")
    assert "print(sp.N((x**2) - (x**2 + 1), 100" in ce.reproduce


def test_a_false_greater_equal_generalise_shows_lhs_and_rhs_as_written(run):
    n = sp.Symbol("n", integer=True, positive=True)
    derivation = Derivation(name="ge-n", title="t", symbols=(x, n), steps=[
        Given(x),
        Generalise(sp.GreaterThan(n * x**2, n * x**2 + 1), lambda n: (n * x**2, n * x**2 + 1), ns=(2,), direction=">="),
    ])
    ce = run(derivation).steps[1].verdict.counterexample
    assert (ce.lhs, ce.rhs, ce.difference) == ("0.0", "1.0", "-1.0")


def test_checked_on_few_points_says_thin_evidence(run):
    """m in {1, ..., 4}: only 4 points can be judged; checked, and the detail says how thin."""
    claim = sp.atan(m) + sp.atan(sp.Integer(1) / m)
    derivation = Derivation(name="thin", title="t", symbols=(m,), domain=(m >= 1, m <= 4),
                            steps=[Given(claim), Rewrite(sp.pi / 2)])
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.CHECKED
    assert verdict.detail == "no symbolic proof found; thin evidence: 4 points judged, under half the 24 asked for"


def test_thin_evidence_counts_the_skipped_points(run):
    claim = sp.Piecewise((sp.atan(x) + sp.atan(1 / x), x > 1000))
    derivation = Derivation(name="thin-undefined", title="t", symbols=(x,),
                            steps=[Given(claim), Rewrite(sp.Piecewise((sp.pi / 2, x > 1000)))])
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.CHECKED
    assert verdict.detail == "no symbolic proof found; thin evidence: 1 point judged, under half the 24 asked for (27 skipped)"


def test_enough_points_are_not_thin(run):
    derivation = Derivation(name="not-thin", title="t", symbols=(x,), domain=(x > 0,),
                            steps=[Given(sp.atan(x) + sp.atan(1 / x)), Rewrite(sp.pi / 2)])
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.CHECKED and "thin" not in verdict.detail


def test_an_instance_returning_a_python_zero_is_exact(run):
    """The rhs 0 of softmax_sum(n) is a Python int: exact, taken as Integer(0)."""
    result = run("tests/fixtures/bugs/instance_returns_int.py")
    assert result.steps[1].verdict.status is Status.PROVED


def halves(n):
    return (sp.Integer(1), sp.Integer(1)) if n == 2 else (sp.Integer(1), 0.5)


def test_an_instance_returning_a_float_names_the_function_the_n_and_the_side(run):
    derivation = Derivation(name="halves", title="t", symbols=(), steps=[
        Given(sp.Integer(1)), Generalise(sp.Eq(sp.Integer(1), sp.Integer(1), evaluate=False), halves, ns=(2, 3)),
    ])
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.ERROR
    line = derivation.steps[1].location.line
    assert verdict.detail == (
        f"TypeError: tests/test_issue12_bugs.py:{line}: the rhs returned by the instance function halves(3) "
        "is float 0.5, not a SymPy expression; write exact numbers, e.g. sympy.Rational(1, 2)"
    )


def test_an_instance_returning_no_pair_is_refused_at_load_naming_it():
    with pytest.raises(Exception) as raised:
        Derivation(name="no-pair", title="t", symbols=(), steps=[
            Given(sp.Integer(1)), Generalise(sp.Eq(sp.Integer(1), sp.Integer(1), evaluate=False), lambda n: 0, ns=(2,)),
        ])
    assert "the instance function <lambda>(2) must return a pair of SymPy expressions (lhs, rhs), not 0" in str(raised.value)


def test_verify_prints_thin_evidence_on_its_own_line(capsys):
    from smoothsym.cli import main

    assert main(["verify", "tests/fixtures/bugs/thin_evidence.py", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"thin-evidence +2 rewrite +checked", out)
    assert "      no symbolic proof found; thin evidence: 4 points judged, under half the 24 asked for\n" in out
