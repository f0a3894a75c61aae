"""The first derivation, the seed's smooth |x| (2)-(7), as a user verifies it."""

import dataclasses

import mpmath
import pytest
import sympy as sp

from smoothsym import Condition, Derivation, Status
from smoothsym.verdict import ConvergenceEvidence

SMOOTH_ABS = "derivations/smooth_abs.py"


def test_every_step_is_proved_or_checked(run):
    result = run(SMOOTH_ABS)
    assert result.passes()
    statuses = [r.verdict.status for r in result.steps]
    assert statuses[0] is Status.GIVEN
    assert all(s in (Status.PROVED, Status.CHECKED) for s in statuses[1:]), statuses
    assert [r.step.label for r in result.steps] == ["(2)", "(2)", "(4)", "(3)", "(5)", "(6)", "(6)", "(6)", "(7)", "(7)"]


def test_every_check_names_its_points_and_digits(run):
    for r in run(SMOOTH_ABS).steps[1:]:
        assert r.verdict.evidence, r
        for e in r.verdict.evidence:
            assert e.digits >= 50
            if isinstance(e, ConvergenceEvidence):
                assert len(e.paths) >= 8 and e.paths[0].ks[:6] == ("10", "100", "1000", "10000", "100000", "1000000")
                assert e.paths[0].ks[-1] == str(10**64)  # followed far beyond 10^6
            else:
                assert e.points >= 20


def test_the_limit_at_a_tie_converges_like_ln2_over_k(run):
    """At x = 0, (1/k) ln(e^{kx} + e^{-kx}) - |x| = ln 2 / k exactly: the slowest point."""
    limit_step = run(SMOOTH_ABS).steps[-1]
    (evidence,) = limit_step.verdict.evidence
    at_zero = next(p for p in evidence.paths if p.point == {"x": "0"})
    assert at_zero.rate.startswith("~ 0.693 k^-1.00")
    at_million = at_zero.ks.index("1000000")
    assert mpmath.almosteq(mpmath.mpf(at_zero.errors[at_million]), mpmath.log(2) / 10**6, rel_eps=1e-3)
    assert evidence.slowest_rate == at_zero.rate
    assert evidence.error_sign.startswith("always >= 0")
    away = next(p for p in evidence.paths if p.point == {"x": "1"})
    assert "exponential" in away.rate


def _with_step(derivation, number, **changes):
    steps = list(derivation.steps)
    steps[number - 1] = dataclasses.replace(steps[number - 1], **changes)
    return dataclasses.replace(derivation, steps=tuple(steps))


def test_a_wrong_integration_constant_is_caught(load, run):
    derivation = load(SMOOTH_ABS)
    x, k = derivation.symbols
    integrate = derivation.steps[5]
    shifted = _with_step(derivation, 6, claim=integrate.claim + sp.log(2) / k)
    (result,) = run(shifted, steps={6}).steps
    verdict = result.verdict
    assert verdict.status is Status.REFUTED
    ce = verdict.counterexample
    assert "-> 0 as x -> oo" in ce.what  # the derivative still matches: the constant is what fails
    # the error along x is the constant itself, ln 2 / k, at the shrunk point k = 1
    assert ce.point == {"k": "1"}
    assert mpmath.almosteq(mpmath.mpf(ce.difference), mpmath.log(2), rel_eps=1e-5)


def test_a_wrong_condition_for_the_constant_is_caught(load, run):
    derivation = load(SMOOTH_ABS)
    x, k = derivation.symbols
    wrong = _with_step(derivation, 6, fixed_by=Condition(0, sp.Integer(0)))
    (result,) = run(wrong, steps={6}).steps
    verdict = result.verdict
    assert verdict.status is Status.REFUTED
    assert "at x = 0 equals 0" in verdict.counterexample.what


def test_a_flipped_sign_in_the_rewrite_is_refuted_at_a_simple_point(load, run):
    derivation = load(SMOOTH_ABS)
    x, k = derivation.symbols
    flipped = _with_step(derivation, 8, claim=sp.log(2 + sp.exp(k * x) - sp.exp(-k * x)) / k)
    (result,) = run(flipped, steps={8}).steps
    verdict = result.verdict
    assert verdict.status is Status.REFUTED
    ce = verdict.counterexample
    assert set(ce.point.values()) <= {"0", "1", "-1", "2", "-2", "1/2", "-1/2"}, ce.point
    assert ce.reproduce.startswith("python -c")


def test_dropping_a_term_that_matters_is_refuted(load, run):
    derivation = load(SMOOTH_ABS)
    x, k = derivation.symbols
    # dropping e^{-kx} instead of the constant 2 changes the limit for x < 0
    wrong = _with_step(derivation, 9, term=sp.exp(-k * x), claim=sp.log(2 + sp.exp(k * x)) / k)
    (result,) = run(wrong, steps={9}).steps
    verdict = result.verdict
    assert verdict.status is Status.REFUTED
    assert sp.Rational(verdict.counterexample.point["x"]) < 0
