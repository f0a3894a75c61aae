"""Catalog part 2 (LogSumExp, softmax, the softmax cross-entropy) as a user sees it: each
derivation verifies with no unexpected failure; each claim that fails as stated is refuted at the
point the mathematics predicts (a tie, asserted as a property of the point); the facts SymPy can
prove are proved, the rest checked. Fast tests verify only the steps they look at; verifying
whole derivations is marked slow."""

from functools import lru_cache

import pytest
import sympy as sp
from sympy import Rational

from smoothsym.loader import discover
from smoothsym.runner import verify
from smoothsym.settings import PROFILES
from smoothsym.verdict import Status
from shared_verification import verified as shared

FILES = ["lse_gradient", "softmax_onehot", "lse_bounds", "softplus", "hinge_to_cross_entropy", "pairwise_losses"]


@lru_cache(maxsize=None)
def derivation(file):
    catalog = discover([f"derivations/{file}.py"])
    assert not catalog.errors, catalog.errors
    (found,) = catalog.derivations
    return found


def numbers(file, label, kind):
    """The numbers of the steps of ``kind`` labelled ``label``."""
    found = [number for number, step, _ in derivation(file).chain() if step.label == label and step.kind == kind]
    assert found, f"no {kind} step labelled {label!r} in {file}"
    return found


def verified(file, steps=None):
    """The numbered steps verified here; every step: once in the session, shared by the xdist
    workers (tests/shared_verification.py)."""
    if not steps:
        (found,) = shared(f"derivations/{file}.py", PROFILES["default"])
        return found
    return verify(derivation(file), PROFILES["default"], steps=set(steps))


def statuses(result):
    return [r.verdict.status for r in result.steps]


def point(r):
    """A refuted step's counterexample point, as exact rationals by symbol name."""
    assert r.verdict.status is Status.REFUTED, r.verdict.summary()
    return {name: Rational(value) for name, value in r.verdict.counterexample.point.items()}


# -- ∇LSE = softmax -------------------------------------------------------------------------

def test_lse_gradient_is_softmax_proved_for_two_and_for_n_2_to_8():
    result = verified("lse_gradient")
    assert result.passes()
    checked = [r for r in result.steps if r.step.kind != "given"]
    assert all(r.verdict.status is Status.PROVED for r in checked), [(r.number, r.verdict.status) for r in checked]
    generalised = [r for r in checked if r.step.kind == "generalise"]
    assert len(generalised) == 3 and all("n = 2..8" in r.verdict.method for r in generalised)


def test_sympy_derives_the_softmax_for_general_n_outside_the_engine():
    """The engine's verdict covers n = 2..8; SymPy's own derivative of the Sum form gives the
    softmax for every n (for 1 <= i <= n), which the engine cannot yet take as a step."""
    x = sp.IndexedBase("x", real=True)
    i, j, n = sp.symbols("i j n", integer=True, positive=True)
    k = sp.Symbol("k", positive=True)
    lse = sp.log(sp.Sum(sp.exp(k * x[j]), (j, 1, n))) / k
    derivative = sp.simplify(sp.diff(lse, x[i]).doit())
    softmax = sp.exp(k * x[i]) / sp.Sum(sp.exp(k * x[j]), (j, 1, n))
    assert derivative == sp.Piecewise((softmax, i <= n), (0, True))


# -- softmax -> one-hot ------------------------------------------------------------------------

def test_one_hot_as_read_is_refuted_at_a_tie():
    (number,) = [n for n in numbers("softmax_onehot", "softmax → one-hot(argmax)", "limit") if derivation("softmax_onehot").steps[n - 1].expect_refuted]
    (r,) = verified("softmax_onehot", {number}).steps
    at = point(r)
    assert at["x"] == at["y"]
    assert "0.5" in r.verdict.counterexample.lhs
    assert r.passes()


def test_one_hot_holds_where_the_max_is_unique_and_ties_share_one_half():
    unique = numbers("softmax_onehot", "when the max is unique", "limit")
    ties = [n for n in numbers("softmax_onehot", "softmax → one-hot(argmax)", "limit") if not derivation("softmax_onehot").steps[n - 1].expect_refuted]
    result = verified("softmax_onehot", unique + ties)
    assert statuses(result) == [Status.PROVED, Status.PROVED]
    assert derivation("softmax_onehot").steps[unique[0] - 1].where == (sp.Ne(sp.Symbol("x", real=True), sp.Symbol("y", real=True)),)


def test_tie_shares_for_n_2_to_8_proved():
    (number,) = numbers("softmax_onehot", "softmax → one-hot(argmax)", "generalise")
    (r,) = verified("softmax_onehot", {number}).steps
    assert r.verdict.status is Status.PROVED and "n = 2..8" in r.verdict.method


# -- LSE >= max and its bounds -------------------------------------------------------------------

def test_equality_at_a_unique_max_is_refuted_with_a_positive_gap():
    (number,) = numbers("lse_bounds", "with equality under very strict conditions", "rewrite")
    (r,) = verified("lse_bounds", {number}).steps
    at = point(r)
    assert at["x"] != at["y"]
    assert sp.Float(r.verdict.counterexample.difference) > 0  # LSE - max > 0 there


def test_lse_is_max_plus_a_positive_gap_for_two_variables():
    rewrite = numbers("lse_bounds", "LSE ≥ max", "rewrite")
    bounds = numbers("lse_bounds", "LSE ≥ max", "bound")[:2]  # the two-variable chain comes first
    result = verified("lse_bounds", rewrite + bounds)
    assert statuses(result) == [Status.PROVED, Status.CHECKED, Status.PROVED]
    assert result.passes()


def test_equality_only_in_the_limits_proved():
    result = verified("lse_bounds", numbers("lse_bounds", "equality", "limit"))
    assert statuses(result) == [Status.PROVED, Status.PROVED]


# -- softplus ----------------------------------------------------------------------------------

def test_softplus_is_the_smooth_relu_with_a_positive_gradient():
    result = verified("softplus")
    assert result.passes()
    by_label = {r.step.label: r.verdict.status for r in result.steps if r.step.kind in ("limit", "bound")}
    assert by_label["max(x, 0) = lim (1/k) ln(1 + e^{kx})"] is Status.PROVED
    assert by_label["a little gradient even past the LSE"] is Status.CHECKED  # numeric only: said so


# -- the hinge -> cross-entropy chain ---------------------------------------------------------------

def test_each_replacement_is_a_substitution_exact_in_the_limit_k():
    for label in ("replace the inner max by LSE", "replace max(x, 0) by softplus"):
        (number,) = numbers("hinge_to_cross_entropy", label, "substitute")
        step = derivation("hinge_to_cross_entropy").steps[number - 1]
        assert step.limit == sp.Symbol("k", positive=True)
        (r,) = verified("hinge_to_cross_entropy", {number}).steps
        assert r.verdict.status is Status.PROVED


def test_gradient_facts_in_the_active_region_proved_for_n_2_to_8():
    labels = ("they sum to 1", "the target's gradient is −1", "the total is 0", "the sum of absolute values is 2")
    chosen = [n for label in labels for n in numbers("hinge_to_cross_entropy", label, "generalise")]
    result = verified("hinge_to_cross_entropy", chosen)
    assert statuses(result) == [Status.PROVED] * 4


def test_cross_entropy_and_its_gradient_proved():
    chosen = numbers("hinge_to_cross_entropy", "the softmax cross-entropy loss", "rewrite") + numbers(
        "hinge_to_cross_entropy", "∇CE = softmax − one-hot", "differentiate") + numbers(
        "hinge_to_cross_entropy", "∇CE = softmax − one-hot", "generalise")
    result = verified("hinge_to_cross_entropy", chosen)
    assert statuses(result) == [Status.PROVED] * 5


# -- pair-wise losses --------------------------------------------------------------------------

def test_triplet_loss_and_its_smoothed_form_proved():
    chosen = [n for n, step, _ in derivation("pairwise_losses").chain() if n <= 7 and step.kind != "given"]
    result = verified("pairwise_losses", chosen)
    assert statuses(result) == [Status.PROVED] * len(chosen)


def test_nca_nearest_neighbour_refuted_at_equal_distances():
    found = [n for n in numbers("pairwise_losses", "it picks the nearest neighbour", "limit") if derivation("pairwise_losses").steps[n - 1].expect_refuted]
    (r,) = verified("pairwise_losses", found).steps
    at = point(r)
    assert at["d_1"] == at["d_2"]


def test_nca_rows_sum_to_one_proved():
    (number,) = numbers("pairwise_losses", "each row sums to 1", "generalise")
    (r,) = verified("pairwise_losses", {number}).steps
    assert r.verdict.status is Status.PROVED


# -- whole derivations ------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("file", FILES)
def test_derivation_verifies_with_no_unexpected_failure(file):
    result = verified(file)
    assert [(r.number, r.step.label, r.verdict.status.value) for r in result.steps if not r.passes()] == []
    assert all(r.verdict.status is not Status.TIMEOUT for r in result.steps)
