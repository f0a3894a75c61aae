"""Catalog part 3 (the everyday ML derivations) as a user sees it: each derivation verifies with
nothing failing; the key verdicts (proved for all n, the GELU tanh form's measured maximum error,
what stays checked); the exported functions exist and are accurate in float64 and float32 against
mpmath. Verifying whole derivations is slow; the fast tests verify only the steps they look at."""

from functools import lru_cache

import mpmath
import numpy
import pytest

from smoothsym.export import exports_of, load_source, module_source
from smoothsym.loader import discover
from smoothsym.runner import verify, verify_many
from smoothsym.settings import PROFILES
from smoothsym.verdict import Status
from shared_verification import verified as shared

FILES = ["softmax_cross_entropy_gradient", "logistic_regression", "gelu_tanh", "huber", "bce_with_logits"]


@lru_cache(maxsize=None)
def derivation(file):
    catalog = discover([f"derivations/{file}.py"])
    assert not catalog.errors, catalog.errors
    (found,) = catalog.derivations
    return found


def numbers(file, label, kind):
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


@pytest.mark.parametrize("file", FILES)
def test_each_part3_file_names_part3_and_cites_its_source(file):
    d = derivation(file)
    assert d.source.startswith("Part 3: ")
    docstring = open(f"derivations/{file}.py", encoding="utf-8").read().split('"""')[1]
    assert "(Part 3)" in docstring.splitlines()[0]
    assert "Source: " in docstring or "Sources: " in docstring


@pytest.mark.slow
@pytest.mark.parametrize("file", FILES)
def test_each_part3_derivation_verifies_with_nothing_failing(file):
    result = verified(file)
    assert result.passes(), [(r.number, r.verdict.summary()) for r in result.steps if not r.passes()]
    assert all(r.verdict.status in (Status.PROVED, Status.CHECKED, Status.GIVEN) for r in result.steps)


# -- the softmax cross-entropy over n classes -----------------------------------------------------

def test_cross_entropy_gradient_is_p_minus_one_hot_proved_for_all_n():
    (number,) = numbers("softmax_cross_entropy_gradient", "dL/df_k = p_k - 1(y = k)", "differentiate")
    result = verified("softmax_cross_entropy_gradient", range(1, number + 1))
    r = result.steps[-1]
    assert r.verdict.status is Status.PROVED, r.verdict.summary()
    assert "for all n, j, y" in r.verdict.method


def test_softmax_jacobian_proved_for_all_n():
    (number,) = numbers("softmax_cross_entropy_gradient", "softmax Jacobian", "differentiate")
    (r,) = verified("softmax_cross_entropy_gradient", {number}).steps
    assert r.verdict.status is Status.PROVED and "for all n, i, j" in r.verdict.method


def test_the_shifted_scores_stay_checked_at_the_n_named():
    (number,) = numbers("softmax_cross_entropy_gradient", "numeric stability", "rewrite")
    (r,) = verified("softmax_cross_entropy_gradient", {number}).steps
    assert r.verdict.status is Status.CHECKED and "n = 1, 2, 3, 5, 8, 40" in r.verdict.method


# -- logistic regression --------------------------------------------------------------------------

@pytest.mark.slow
def test_logistic_regression_gradient_hessian_and_convexity_proved():
    """Written as PRML writes it, over M features and N samples: the gradient's j and the
    Hessian's j, k range over the features, proved for all M and N."""
    result = verified("logistic_regression")
    assert [r.step.kind for r in result.steps] == ["given", "differentiate", "given", "differentiate", "differentiate",
                                                   "given", "rewrite", "rewrite", "bound"]
    by_label = {}
    for r in result.steps:
        by_label.setdefault(r.step.label, []).append(r.verdict)
    (gradient,) = by_label["(4.91)"]
    assert gradient.status is Status.PROVED and "for all M, N, j" in gradient.method and "j = 1..M" in gradient.method
    hessian, form = by_label["(4.97)"]
    assert hessian.status is Status.PROVED and "for all M, N, j, k" in hessian.method
    assert form.status is Status.PROVED and "two sums exchanged" in form.method
    assert [v.status for v in by_label["convexity"]] == [Status.PROVED]


# -- GELU ------------------------------------------------------------------------------------------

def test_gelu_tanh_form_checked_with_its_largest_error_4_73e_4():
    (number,) = numbers("gelu_tanh", "tanh approximation", "approximate")
    (r,) = verified("gelu_tanh", {number}).steps
    assert r.verdict.status is Status.CHECKED  # a search, no proof
    assert "largest found: 0.000473235" in r.verdict.method and "2.69894" in r.verdict.method


def test_gelu_limits_and_expansion_proved():
    steps = numbers("gelu_tanh", "GELU -> ReLU", "limit") + numbers("gelu_tanh", "near 0", "asymptotic")
    result = verified("gelu_tanh", steps)
    assert [r.verdict.status for r in result.steps] == [Status.PROVED] * 3


def test_gelu_stable_forms_for_export_pass_and_say_how():
    """The forms gelu(x) and gelu_tanh(x) are printed from: x/2 erfc(|x|/sqrt 2) for x < 0 (proved:
    the hint rewrite(erf) in each case of the Piecewise and |x|), 1 + tanh u = 2 sigma(2u) (proved by rewriting in exp), and
    the sigmoid's stable form (checked); the written modules are tested in test_export_gelu.py."""
    steps = numbers("gelu_tanh", "GELU, stable", "rewrite") + numbers("gelu_tanh", "GELU tanh form, stable", "rewrite")
    result = verified("gelu_tanh", steps)
    assert [r.verdict.status for r in result.steps] == [Status.PROVED, Status.PROVED, Status.CHECKED]
    assert result.steps[0].verdict.method == "sympy: case split on Abs, Piecewise: expand, rewrite(erf) (hint)"
    assert result.steps[1].verdict.method == "sympy: rewrite(exp) (hint)"
    assert [r.step.export for r in result.steps] == ["gelu(x)", "", "gelu_tanh(x)"]


# -- exports ---------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def exported():
    results = verify_many([derivation("huber"), derivation("bce_with_logits")], PROFILES["default"])
    exports = exports_of(results)
    return load_source(module_source(exports, "numpy"))


def reference(function, *args):
    with mpmath.workdps(50):
        return float(function(*[mpmath.mpf(float(a)) for a in args]))


def bce(x, z):
    return max(x, 0) - x * z + mpmath.log1p(mpmath.exp(-abs(x)))


def huber(a, d):
    return a * a / 2 if abs(a) <= d else d * (abs(a) - d / 2)


def pseudo_huber(a, d):
    return d * d * (mpmath.sqrt(1 + (a / d) ** 2) - 1)


CASES = [
    ("sigmoid_cross_entropy_with_logits", bce, [(-800.0, 1.0), (-3.0, 0.25), (0.0, 0.0), (1e-8, 1.0), (40.0, 1.0), (800.0, 0.0)]),
    ("huber", huber, [(-3.0, 1.0), (0.5, 1.0), (1.0, 1.0), (1e-20, 0.1), (1e30, 2.0)]),
    ("pseudo_huber", pseudo_huber, [(1e-9, 1.0), (0.5, 1.0), (-3.0, 0.1), (1e200, 1.0), (1e30, 1e-8)]),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, exact, points", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("dtype, ulps", [(numpy.float64, 8), (numpy.float32, 2)])
def test_exported_functions_are_accurate_on_arrays(name, exact, points, dtype, ulps):
    function = getattr(exported(), name)
    with numpy.errstate(over="ignore"):  # 1e200 is inf in float32: an infinite input, on purpose
        columns = [numpy.array(column, dtype=dtype) for column in zip(*points)]
    got = function(*columns)
    assert got.dtype == dtype and got.shape == columns[0].shape
    for value, args in zip(got, zip(*columns)):
        truth = reference(exact, *args)
        if abs(truth) > numpy.finfo(dtype).max:
            assert numpy.isinf(value)
            continue
        assert abs(float(value) - truth) <= ulps * numpy.spacing(dtype(abs(truth))) + numpy.finfo(dtype).tiny, (name, args, value, truth)
