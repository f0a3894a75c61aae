"""Catalog part 1, the seed's (1) and (8)-(14), as a user sees it: every derivation verifies with
no unexpected failure, and each claim that fails as stated is refuted with the counterexample
the mathematics predicts (asserted as a property of the point, not the exact point)."""

from functools import lru_cache

import pytest
from sympy import Rational

from smoothsym.settings import PROFILES
from smoothsym.verdict import Status
from shared_verification import verified


@lru_cache(maxsize=None)
def result(file):
    """The verified derivation of derivations/FILE.py, every step (verified once per test session,
    shared by the xdist workers: tests/shared_verification.py)."""
    (found,) = verified(f"derivations/{file}.py", PROFILES["default"])
    return found


def step(file, label, kind):
    """The one step of ``kind`` labelled ``label``."""
    found = [r for r in result(file).steps if r.step.label == label and r.step.kind == kind]
    assert len(found) == 1, f"{len(found)} {kind} steps labelled {label!r} in {file}"
    return found[0]


def point(r):
    """A refuted step's counterexample point, as exact rationals by symbol name."""
    assert r.verdict.status is Status.REFUTED, r.verdict.summary()
    return {name: Rational(value) for name, value in r.verdict.counterexample.point.items()}


def failing(file):
    return [(r.number, r.step.label, r.verdict.status.value) for r in result(file).steps if not r.passes()]


# -- every derivation verifies --------------------------------------------------------------

@pytest.mark.parametrize("file", ["max_from_abs", "smooth_max_many", "smooth_max_accuracy"])
def test_derivation_verifies_with_no_unexpected_failure(file):
    assert failing(file) == []


def test_recipe_derivation_verifies_with_no_unexpected_failure():
    assert failing("smooth_max_recipe") == []


def test_the_power_rule_with_its_removable_gap_at_zero_is_proved():
    """SymPy writes d/dt t^(2k+1) as (2k+1) t^(2k+1)/t, undefined at t = 0 only: a removable
    gap, so the claim (2k+1) t^(2k) is proved, not disputed."""
    assert step("smooth_max_recipe", "recipe, (13)", "differentiate").verdict.status is Status.PROVED


# -- (1) ---------------------------------------------------------------------------------------

def test_eq1_holds_on_the_pages_domain_and_is_refuted_on_all_reals():
    on_domain = [r for r in result("max_from_abs").steps if r.step.label == "(1)" and r.step.kind == "rewrite"]
    assert all(r.verdict.status is Status.PROVED for r in on_domain)
    p = point(step("max_from_abs", "(1) on all reals", "rewrite"))
    assert p["x"] + p["y"] < 0
    assert step("max_from_abs", "(1) holds when x + y >= 0", "rewrite").verdict.status is Status.PROVED


# -- (8)-(11) ------------------------------------------------------------------------------------

@pytest.mark.parametrize("label,kind", [
    ("(8)", "substitute"), ("(9)", "rewrite"), ("(10)", "drop-term"), ("(11)", "substitute"), ("(11)", "limit"),
])
def test_chain_8_to_11_passes(label, kind):
    results = [r for r in result("max_from_abs").steps if r.step.label == label and r.step.kind == kind]
    assert results and all(r.passes() for r in results)


def test_eq10_drops_terms_with_a_rate():
    drops = [r for r in result("max_from_abs").steps if r.step.kind == "drop-term"]
    assert len(drops) == 2
    for r in drops:
        evidence = r.verdict.evidence[0]
        assert evidence.slowest_rate != "-"


def test_eq11_also_holds_for_negative_x_or_y():
    r = step("max_from_abs", "(11) also holds when x or y is negative", "limit")
    assert r.step.where == () and r.verdict.status is Status.PROVED


# -- (12) ------------------------------------------------------------------------------------------

def test_eq12_checked_for_each_n_from_2_to_8():
    r = step("smooth_max_many", "(12)", "generalise")
    assert r.passes() and "n = 2..8" in r.verdict.method


# -- the recipe: (13), (14) on the whole line ------------------------------------------------------

def test_eq13_on_the_whole_line_is_refuted_where_x_plus_y_is_not_positive():
    p = point(step("smooth_max_recipe", "(13) on the whole real line", "limit"))
    assert p["x"] + p["y"] <= 0 and p["x"] != p["y"]


def test_eq13_with_opposite_arguments_gives_zero():
    p = point(step("smooth_max_recipe", "(13) with y = -x", "limit"))
    assert p["x"] != 0
    assert step("smooth_max_recipe", "(13) with y = -x", "rewrite").verdict.status is Status.PROVED


def test_eq13_needs_the_real_root():
    p = point(step("smooth_max_recipe", "recipe: g^{-1}, (13), principal root", "rewrite"))
    assert p["t"] < 0
    assert step("smooth_max_recipe", "recipe: g^{-1}, (13)", "rewrite").passes()


def test_eq13_holds_when_x_plus_y_positive_or_tied_and_tends_to_min_otherwise():
    assert step("smooth_max_recipe", "(13) holds when x + y > 0 or x = y", "limit").passes()
    assert step("smooth_max_recipe", "(13) tends to min(x, y) when x + y < 0", "limit").passes()


def test_eq14_on_the_whole_line_is_refuted_for_negative_arguments():
    p = point(step("smooth_max_recipe", "(14) on the whole real line", "limit"))
    assert max(p["x"], p["y"]) < 0
    assert step("smooth_max_recipe", "(14) tends to 0 when x, y <= 0", "limit").passes()


def test_eq14_holds_when_max_is_nonnegative():
    bounds = [step("smooth_max_recipe", f"(14) holds when max(x, y) >= 0, from {side}", "bound") for side in ("below", "above")]
    assert all(r.passes() for r in bounds)
    assert step("smooth_max_recipe", "(14) holds when max(x, y) >= 0", "limit").passes()


def test_the_recipe_misses_g_to_zero_at_minus_infinity():
    assert step("smooth_max_recipe", "recipe: g(t) -> 0 as t -> -oo, (11)", "limit").passes()
    for eq in ("(13)", "(14)"):
        assert step("smooth_max_recipe", f"recipe: g(t) -> 0 as t -> -oo, {eq}", "limit").verdict.status is Status.REFUTED


# -- the accuracy claims ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def accuracy():
    """The accuracy module itself, for its error expressions."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("smooth_max_accuracy", "derivations/smooth_max_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _at(expr, module, p):
    return expr.subs({module.x: p["x"], module.y: p["y"], module.k: p["k"]}).evalf(30)


def test_eq13_far_worse_is_refuted_where_13_is_more_accurate(accuracy):
    p = point(step("smooth_max_accuracy", "(13) converges far worse than (11)", "bound"))
    assert _at(accuracy.error13, accuracy, p) < _at(accuracy.error11, accuracy, p)


def test_eq13_is_worse_for_large_arguments():
    assert step("smooth_max_accuracy", "(13) is worse than (11) when x, y >= 3", "bound").passes()


def test_eq14_more_accurate_is_refuted_where_14_is_less_accurate(accuracy):
    for label in ("(14) is more accurate than (11)",
                  "(14) is more accurate than (11) when max(x, y) > 0"):
        p = point(step("smooth_max_accuracy", label, "bound"))
        assert min(p["x"], p["y"]) < 0
        assert _at(accuracy.error14, accuracy, p) > _at(accuracy.error11, accuracy, p)


def test_eq14_more_accurate_holds_for_nonnegative_arguments():
    assert step("smooth_max_accuracy", "(14) is more accurate than (11) when x, y >= 0", "bound").passes()
