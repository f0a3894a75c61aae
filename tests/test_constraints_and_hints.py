"""Equality and finite-set constraints (issue 12, item 4) and hints (item 6), by what a user sees.

A domain may say ``Eq(p1 + p2 + p3, 1)`` (a probability vector) or ``Contains(y, FiniteSet(0,
1))`` (a label): the sampler draws points on that set exactly, and the prover proves the claim
there (in every case), so a claim true only on the set is proved with the constraint and refuted
without it, and a false claim is refuted at a point of the set. A step's ``by=`` names the SymPy
method that proves it: identities from SymPy's own tests that the usual methods leave "checked"
are proved with the hint, a false mutant is refuted with it, and a hint that does not help leaves
the usual verdict.
"""

from __future__ import annotations

import pytest
import sympy as sp
from sympy import Contains, Eq, FiniteSet, Max, Ne, asinh, cosh, coth, exp, log, sech, sinh, tanh

from smoothsym import Bound, Derivation, DerivationError, Given, Limit, Rewrite, Status
from smoothsym.cache import key_content
from smoothsym.sampling import Sampler
from smoothsym.settings import PROFILES

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
z = sp.Symbol("z", real=True)
a = sp.Symbol("a", positive=True)
b = sp.Symbol("b", positive=True)
p1, p2, p3 = PROBABILITIES = sp.symbols("p1:4", nonnegative=True)
SIMPLEX = (Eq(p1 + p2 + p3, 1),)
LABEL = (Contains(y, FiniteSet(0, 1)),)


def sigmoid(t):
    return 1 / (1 + exp(-t))


# PyTorch's BCELoss on one example (torch.nn.BCELoss docs), with the prediction sigma(z)
BCE = -(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))


def claim(before, after, symbols, where=(), by="", domain=(), step=Rewrite):
    """One claimed step from ``before``: its verdict as ``smoothsym verify`` shows it."""
    return Derivation(
        name="claim", title="one claim", symbols=symbols, domain=domain,
        steps=[Given(before), step(after, where=where, by=by, label="(1)")],
    )


def verdict_of(run, derivation):
    return run(derivation).steps[1].verdict


# -- finite sets: labels y in {0, 1} ------------------------------------------------------------

def test_a_claim_true_only_on_labels_is_proved_with_the_constraint_and_refuted_without(run):
    on_labels = verdict_of(run, claim(y**2, y, (y,), where=LABEL))
    assert on_labels.status is Status.PROVED
    assert on_labels.method == "sympy: with y in {0, 1} (2 cases): identical"
    everywhere = verdict_of(run, claim(y**2, y, (y,)))
    assert everywhere.status is Status.REFUTED
    assert everywhere.counterexample.point["y"] not in ("0", "1")


def test_bce_on_labels_is_softplus_minus_yz_proved_case_by_case(run):
    """BCE(sigma(z), y) = softplus(z) - y z (the logits form of TensorFlow's
    sigmoid_cross_entropy_with_logits), for a label y in {0, 1}."""
    verdict = verdict_of(run, claim(BCE, log(1 + exp(z)) - y * z, (y, z), where=LABEL))
    assert verdict.status is Status.PROVED
    assert verdict.method.startswith("sympy: with y in {0, 1} (2 cases): ")


def test_bce_for_a_soft_target_in_the_unit_interval_is_proved_too(run):
    verdict = verdict_of(run, claim(BCE, log(1 + exp(z)) - y * z, (y, z), where=(y >= 0, y <= 1)))
    assert verdict.status is Status.PROVED and verdict.method == "sympy: simplify"


def test_a_false_bce_is_refuted_at_a_label(run):
    """softplus(z) + y z agrees at y = 0 and is wrong at y = 1: the counterexample is there."""
    verdict = verdict_of(run, claim(BCE, log(1 + exp(z)) + y * z, (y, z), where=LABEL))
    assert verdict.status is Status.REFUTED and verdict.counterexample.certified
    assert verdict.counterexample.point["y"] == "1"


def test_a_limit_true_only_on_labels_is_proved_case_by_case(run):
    k = sp.Symbol("k", positive=True)

    def limit(where):
        derivation = Derivation(name="limit", title="t", symbols=(y, k),
                                steps=[Given(y**2 + 1 / k), Limit(k, y, where=where, label="(1)")])
        return verdict_of(run, derivation)

    on_labels = limit(LABEL)
    assert on_labels.status is Status.PROVED
    assert on_labels.method == "sympy: with y in {0, 1} (2 cases): sympy.limit"
    assert limit(()).status is Status.REFUTED


def test_a_polynomial_equality_in_one_symbol_is_its_finite_set_of_roots(run):
    verdict = verdict_of(run, claim(y**3, y, (y,), where=(Eq(y**2, y),)))
    assert verdict.status is Status.PROVED
    assert verdict.method == "sympy: with y**2 = y (2 cases): identical"


LABELS = sp.symbols("y1:9", real=True)


def labels(n):
    return tuple(Contains(t, FiniteSet(0, 1)) for t in LABELS[:n])


def test_sixteen_label_combinations_are_each_proved(run):
    ys = LABELS[:4]
    verdict = verdict_of(run, claim(sum(t**2 for t in ys), sum(ys), ys, where=labels(4)))
    assert verdict.status is Status.PROVED
    assert verdict.method.endswith("(16 cases): identical")


def test_too_many_label_combinations_are_sampled_and_the_claim_only_checked(run):
    """256 combinations: the sampler draws 16 of them, the prover does without the sets, so
    sum y_i^2 = sum y_i (true on labels only) is checked, never proved; a mutant wrong only when
    y8 = 1 is refuted at a drawn combination with y8 = 1."""
    verdict = verdict_of(run, claim(sum(t**2 for t in LABELS), sum(LABELS), LABELS, where=labels(8)))
    assert verdict.status is Status.CHECKED and verdict.method == "numeric only (Arb)"
    mutant = verdict_of(run, claim(sum(t**3 for t in LABELS), sum(LABELS) + LABELS[7], LABELS, where=labels(8)))
    assert mutant.status is Status.REFUTED
    point = mutant.counterexample.point
    assert point["y8"] == "1" and set(point.values()) <= {"0", "1"}


def test_a_one_hot_label_is_labels_and_an_equality_together(run):
    """y1, y2 in {0, 1} with y1 + y2 = 1 (a one-hot target): y1 y2 = 0 is proved in the two
    cases left, and the mutant y1 y2 = y1 is refuted at the one-hot point y1 = 1."""
    y1, y2 = LABELS[:2]
    one_hot = labels(2) + (Eq(y1 + y2, 1),)
    proved = verdict_of(run, claim(y1 * y2, sp.Integer(0), (y1, y2), domain=one_hot))
    assert proved.status is Status.PROVED and "(2 cases)" in proved.method
    mutant = verdict_of(run, claim(y1 * y2, y1, (y1, y2), domain=one_hot))
    assert mutant.status is Status.REFUTED
    assert mutant.counterexample.point == {"y1": "1", "y2": "0"}


def test_an_empty_finite_set_domain_is_an_error_never_a_vacuous_proof(run):
    """a positive symbol in {-1, 0}: no case is left, so there is nothing to check or prove."""
    verdict = verdict_of(run, claim(a, -a, (a,), where=(Contains(a, FiniteSet(-1, 0)),)))
    assert verdict.status is Status.ERROR
    assert "no point satisfies the domain" in verdict.detail


# -- equalities: a probability vector ------------------------------------------------------------

def test_the_sampler_draws_exact_points_of_the_simplex():
    sampler = Sampler(PROBABILITIES, SIMPLEX, seed=3, claims=(log(p1) * p3,))
    points = sampler.points(24)
    assert len(points) >= 10
    for point in points:
        assert all(isinstance(v, sp.Rational) and v >= 0 for v in point.values())
        assert sum(point.values()) == 1
        assert list(point) == list(PROBABILITIES)  # declaration order, as a counterexample shows it
    # the claim's exceptional point p1 = 0 (log's argument) lies on the surface
    assert any(point[p1] == 0 for point in sampler.exceptional_points())


def test_gini_impurity_on_the_simplex_is_proved_by_substitution(run):
    """scikit-learn's Gini impurity 1 - sum p_i^2 = 2 sum_{i<j} p_i p_j for a probability
    vector (it uses (sum p_i)^2 = 1): proved with p3 = 1 - p1 - p2, refuted without the
    constraint and, with a wrong factor, refuted at a point of the simplex."""
    gini = 1 - (p1**2 + p2**2 + p3**2)
    pairs = p1 * p2 + p1 * p3 + p2 * p3
    proved = verdict_of(run, claim(gini, 2 * pairs, PROBABILITIES, domain=SIMPLEX))
    assert proved.status is Status.PROVED
    assert proved.method == "sympy: with p3 = -p1 - p2 + 1: expand"
    assert verdict_of(run, claim(gini, 2 * pairs, PROBABILITIES)).status is Status.REFUTED
    mutant = verdict_of(run, claim(gini, pairs, PROBABILITIES, domain=SIMPLEX))
    assert mutant.status is Status.REFUTED and mutant.counterexample.certified
    point = {name: sp.Rational(v) for name, v in mutant.counterexample.point.items()}
    assert sum(point.values()) == 1 and min(point.values()) >= 0


def test_a_removable_singularity_on_the_simplex_is_judged_along_it(run):
    """(p1^2 - p1)/p1 = p1 - 1: at p1 = 0 (p2 = 1, p3 = 0, a corner) the left side is undefined;
    the nearby points that judge the gap lie on the simplex too (p1 + d, p2 - d), so it is a
    removable singularity, not a counterexample."""
    verdict = verdict_of(run, claim((p1**2 - p1) / p1, p1 - 1, PROBABILITIES, domain=SIMPLEX))
    assert verdict.status is Status.PROVED and verdict.method == "sympy: with p3 = -p1 - p2 + 1: expand"


def test_a_bound_on_the_simplex_is_proved_by_linear_arithmetic(run):
    proved = verdict_of(run, claim(p1, sp.Integer(1), PROBABILITIES, where=SIMPLEX, step=Bound))
    assert proved.status is Status.PROVED
    assert proved.method == "sympy: with p3 = -p1 - p2 + 1: linear arithmetic (Fourier-Motzkin)"
    mutant = verdict_of(run, claim(p1, sp.Rational(1, 2), PROBABILITIES, where=SIMPLEX, step=Bound))
    assert mutant.status is Status.REFUTED
    assert mutant.counterexample.point == {"p1": "1", "p2": "0", "p3": "0"}


def test_a_bound_false_only_near_its_maximum_on_the_simplex_is_found_by_the_search(run):
    """p1 p2 <= 1/4 - 10^-6 fails only near p1 = p2 = 1/2: the search for the worst points runs
    on the surface (case by case, in the free symbols), and the counterexample is its maximum."""
    mutant = verdict_of(run, claim(p1 * p2, sp.Rational(1, 4) - sp.Rational(1, 10**6), PROBABILITIES,
                                   where=SIMPLEX, step=Bound))
    assert mutant.status is Status.REFUTED
    assert mutant.counterexample.point == {"p1": "1/2", "p2": "1/2", "p3": "0"}
    true_bound = verdict_of(run, claim(p1 * p2, sp.Rational(1, 4), PROBABILITIES, where=SIMPLEX, step=Bound))
    assert true_bound.status is Status.CHECKED


def test_an_equality_that_cannot_be_solved_is_an_error_naming_file_line_and_step():
    with pytest.raises(DerivationError) as caught:
        claim(x * y, sp.Integer(1), (x, y), where=(Eq(x * y, 1),))
    error = caught.value
    assert error.file.endswith("test_constraints_and_hints.py") and error.step == 2
    assert "the equality Eq(x*y, 1) cannot be solved for one of its symbols" in str(error)
    assert "write it solved for one symbol" in str(error)


def test_a_set_that_is_not_finite_is_an_error_naming_the_remedy():
    with pytest.raises(DerivationError) as caught:
        Derivation(name="d", title="t", symbols=(y,), domain=(Contains(y, sp.Interval(0, 1)),), steps=[Given(y)])
    assert caught.value.step is None
    assert "only a finite set of values can be a constraint here" in str(caught.value)


def test_a_constraint_change_is_a_cache_miss():
    settings = PROFILES["default"]
    keys = {str(key_content(claim(y**2, y, (y,), where=(Contains(y, FiniteSet(*values)),)), settings))
            for values in ((0, 1), (0, 1, 2))}
    assert len(keys) == 2


# -- hints --------------------------------------------------------------------------------------

# (where in SymPy's tests, lhs, rhs, domain, the hint that proves it); each left "checked" by
# the usual methods
SYMPY_IDENTITIES = [
    ("test_trigsimp.py::test_exptrigsimp:393", (2 * exp(x) - 2 * exp(-x)) / (exp(x) + exp(-x)), 2 * tanh(x), (),
     "exptrigsimp"),
    ("test_trigsimp.py::test_exptrigsimp:394", (2 * exp(2 * x) - 2) / (exp(2 * x) + 1), 2 * tanh(x), (), "rewrite(exp)"),
    ("test_trigsimp.py::test_exptrigsimp:411", y * (exp(x) - exp(-x)) / (exp(x) + exp(-x)), y * tanh(x), (),
     "exptrigsimp"),
    ("test_hyperbolic.py::test_tanh_rewrite", tanh(x), (exp(x) - exp(-x)) / (exp(x) + exp(-x)), (), "rewrite(exp)"),
    ("test_hyperbolic.py::test_coth_rewrite", coth(x), (exp(x) + exp(-x)) / (exp(x) - exp(-x)), (Ne(x, 0),),
     "rewrite(exp)"),
    ("test_hyperbolic.py::test_sech_rewrite", sech(x), 1 / (exp(x) / 2 + exp(-x) / 2), (), "rewrite(exp)"),
    ("test_hyperbolic.py::test_coth_expansion", coth(2 * a), (coth(a)**2 + 1) / (2 * coth(a)), (), "expand_trig"),
    ("test_hyperbolic.py::test_coth:344", coth(3 * a), (coth(a)**3 + 3 * coth(a)) / (1 + 3 * coth(a)**2), (),
     "expand_trig"),
    ("test_hyperbolic.py::test_coth:346", coth(a + b), (1 + coth(a) * coth(b)) / (coth(a) + coth(b)), (), "expand_trig"),
    ("test_hyperbolic.py::test_asinh_rewrite", asinh(x), log(x + sp.sqrt(x**2 + 1)), (), "rewrite(log)"),
    ("tanh(2x), as expand_trig writes it", tanh(2 * x), 2 * tanh(x) / (1 + tanh(x)**2), (), "trigsimp"),
    ("the sigmoid by tanh", sigmoid(x), (1 + tanh(x / 2)) / 2, (), "rewrite(exp)"),
]


def _symbols(*exprs):
    return tuple(sorted(set().union(*(sp.sympify(e).free_symbols for e in exprs)), key=lambda s: s.name))


@pytest.mark.parametrize("where, lhs, rhs, domain, hint", SYMPY_IDENTITIES, ids=[c[0] for c in SYMPY_IDENTITIES])
def test_a_hint_proves_a_sympy_identity_the_usual_methods_only_check(run, where, lhs, rhs, domain, hint):
    symbols = _symbols(lhs, rhs)
    usual = verdict_of(run, claim(lhs, rhs, symbols, domain=domain))
    assert usual.status is Status.CHECKED
    hinted = verdict_of(run, claim(lhs, rhs, symbols, domain=domain, by=hint))
    assert hinted.status is Status.PROVED and hinted.method == f"sympy: {hint} (hint)"


@pytest.mark.parametrize("where, lhs, rhs, domain, hint", SYMPY_IDENTITIES, ids=[c[0] for c in SYMPY_IDENTITIES])
def test_a_hint_never_proves_a_false_mutant(run, where, lhs, rhs, domain, hint):
    """rhs * (1 + 1/1000): a relative error far above the tolerance, refuted, not disputed."""
    symbols = _symbols(lhs, rhs)
    mutant = verdict_of(run, claim(lhs, rhs * (1 + sp.Rational(1, 1000)), symbols, domain=domain, by=hint))
    assert mutant.status is Status.REFUTED and mutant.counterexample.certified


def test_a_hint_that_does_not_prove_it_leaves_the_usual_verdict_and_says_so(run):
    lhs, rhs = tanh(x), (exp(x) - exp(-x)) / (exp(x) + exp(-x))
    verdict = verdict_of(run, claim(lhs, rhs, (x,), by="factor"))
    assert verdict.status is Status.CHECKED
    assert verdict.detail.startswith("no symbolic proof found (the hint factor did not prove it)")
    # a claim the usual methods prove stays proved by them: a hint never weakens
    maximum = verdict_of(run, claim(Max(x, y), (sp.Abs(x + y) + sp.Abs(x - y)) / 2, (x, y), by="expand_trig",
                                    domain=(x >= 0, y >= 0)))
    assert maximum.status is Status.PROVED and maximum.method == "sympy: case split on Max, Abs: identical"


def test_a_hint_on_a_bound_names_its_method_and_never_proves_a_false_one(run):
    """tanh(x)^2 <= 1: trigsimp turns the gap into 1/cosh(x)^2, nonnegative by SymPy's
    assumptions; tanh(x)^2 <= 99/100 is refuted with the same hint."""
    proved = verdict_of(run, claim(tanh(x)**2, sp.Integer(1), (x,), by="trigsimp", step=Bound))
    assert proved.status is Status.PROVED and proved.method == "sympy: trigsimp (hint) + assumptions"
    mutant = verdict_of(run, claim(tanh(x)**2, sp.Rational(99, 100), (x,), by="trigsimp", step=Bound))
    assert mutant.status is Status.REFUTED and mutant.counterexample.certified


def test_a_hint_works_with_a_finite_set_domain(run):
    """cosh(y z) - sinh(y z) = exp(-y z) for a label y: each case proved by rewriting to exp."""
    verdict = verdict_of(run, claim(cosh(y * z) - sinh(y * z), exp(-y * z), (y, z), where=LABEL, by="rewrite(exp)"))
    assert verdict.status is Status.PROVED
    assert verdict.method == "sympy: with y in {0, 1} (2 cases): rewrite(exp) (hint)"


def test_an_unknown_hint_is_an_error_naming_file_line_step_and_the_choices():
    with pytest.raises(DerivationError) as caught:
        claim(tanh(x), tanh(x), (x,), by="trigsimplify")
    error = caught.value
    assert error.file.endswith("test_constraints_and_hints.py") and error.step == 2 and error.line > 0
    message = str(error)
    assert "by='trigsimplify' names no proof method; choose one of: " in message
    assert "rewrite(exp)" in message and "trigsimp" in message and "expand_trig" in message


def test_a_hint_on_a_given_is_an_error():
    with pytest.raises(DerivationError, match="a given step claims nothing"):
        Derivation(name="d", title="t", symbols=(x,), steps=[Given(x, by="trigsimp")])


def test_a_hint_on_a_limit_is_an_error():
    k = sp.Symbol("k", positive=True)
    with pytest.raises(DerivationError, match="a limit step is proved by limits, which take no hint"):
        Derivation(name="d", title="t", symbols=(k,), steps=[Given(1 / k), Limit(k, 0, by="trigsimp")])


def test_a_changed_hint_is_a_cache_miss():
    settings = PROFILES["default"]
    keys = {str(key_content(claim(tanh(x), tanh(x), (x,), by=hint), settings)) for hint in ("", "trigsimp", "rewrite(exp)")}
    assert len(keys) == 3
