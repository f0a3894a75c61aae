"""Issue 11, numpy target: the exported functions are trustworthy in every float dtype.

The module is the one test_export.py writes (``exported``, a session fixture: stable_forms.py and
export_forms.py). Checked here: SciPy's own test facts as exact expectations; the dtype kept and
accuracy in it (Hypothesis against mpmath at 50 digits, float32 and float64, relative ULPs of the
true result allowed to grow with the condition number); the adversarial classes of the docstrings
(the numbers printed there hold); batch invariance (a row's bits do not depend on its batch);
scipy.special's semantics; the new functions and the accurate cross-entropy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from smoothsym import lambdified
from smoothsym.export import REDUCTIONS, reduction_accuracy
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_export import mp_cross_entropy, mp_lse, mp_softmax, ulps  # noqa: E402  (the references, plain functions)
from test_export_shared import ROOT, written_module  # noqa: E402


@pytest.fixture(scope="module")
def exported():
    return written_module()

inf, nan = np.inf, np.nan
F32 = np.float32


# -- SciPy's own facts, exactly ------------------------------------------------------------------------


@pytest.mark.parametrize("call, expected", [
    (lambda m: m.logsumexp([0.0, -40.0]), 4.248354255291589e-18),  # ln(1 + e^-40) rounds to 0
    (lambda m: m.logsumexp([1000.0, 1000.0]), 1000.6931471805599),
    (lambda m: m.logsumexp([[1e10, 1e-10], [-1e10, -inf]], axis=-1).tolist(), [1e10, -1e10]),
    (lambda m: m.logsumexp([1.0, 10000.0], b=[1.0, 0.0]), 1.0),  # a zero weight drops its term
    (lambda m: m.logsumexp([1.0, 1.0], b=[1.0, -1.0], return_sign=True), (-inf, 0.0)),
    (lambda m: m.logsumexp([1.0, 1.0, 1.0], b=[1.0, -1.0, -1.0], return_sign=True), (1.0, -1.0)),
    (lambda m: m.logsumexp([inf, -inf]), inf),
    (lambda m: m.logsumexp([-inf, -inf]), -inf),
    (lambda m: m.logsumexp(3.0), 3.0),
    (lambda m: m.softmax([-inf, 0.0]).tolist(), [0.0, 1.0]),
    (lambda m: m.log_softmax([0.0, -40.0]).tolist(), [-4.248354255291589e-18, -40.0]),
    (lambda m: m.softmax_cross_entropy(np.array([1e300, 1e300, 1e300]), 1), 1.0986122886681098),  # ln 3, was 0
    (lambda m: m.softmax_cross_entropy(np.array([0.0, -40.0, -50.0]), 0), float(np.log1p(np.exp(-40.0) + np.exp(-50.0)))),
    (lambda m: m.softmax_cross_entropy_grad(np.array([0.0, -40.0]), 0).tolist(), [-4.248354255291589e-18, 4.248354255291589e-18]),
    (lambda m: m.sigmoid(-700.0), float(np.exp(-700.0) / (1 + np.exp(-700.0)))),
    (lambda m: m.log_sigmoid(40.0), -4.248354255291589e-18),
    (lambda m: m.binary_cross_entropy_with_logits(40.0, 1.0), 4.248354255291589e-18),
    (lambda m: m.binary_cross_entropy_with_logits(-40.0, 0.0), 4.248354255291589e-18),
    (lambda m: m.binary_cross_entropy_with_logits(0.0, 0.5), 0.6931471805599453),
])
def test_exact_facts(exported, call, expected):
    _, m = exported
    got = call(m)
    assert (tuple(map(float, got)) if isinstance(got, tuple) else got) == expected


def test_nan_propagates_and_weights_negative_sum_is_nan(exported):
    _, m = exported
    assert np.isnan(m.logsumexp([nan, 1.0])) and np.isnan(m.logsumexp([1.0, 2.0], b=[1.0, -1.0]))
    assert np.isnan(m.softmax([inf, 0.0, 0.0])).all()  # as scipy.special (was [nan, 0, 0])
    assert np.isnan(m.sigmoid(nan)) and np.isnan(m.binary_cross_entropy_with_logits(nan, 1.0))


def test_the_default_axis_is_scipys_none(exported):
    _, m = exported
    x = np.random.default_rng(3).standard_normal((4, 5))
    assert m.logsumexp(x) == m.logsumexp(x.ravel())
    assert np.allclose(m.softmax(x).sum(), 1.0) and m.softmax(x).shape == (4, 5)
    assert m.softmax(np.float64(3.0)).shape == () and m.softmax(np.float64(3.0)) == 1.0


def test_k_is_keyword_only_and_inf_is_the_limit(exported):
    _, m = exported
    x = np.array([1.0, 3.0, 3.0, -inf])
    assert m.logsumexp(x, k=inf) == 3.0
    assert m.softmax(x, k=inf).tolist() == [0.0, 0.5, 0.5, 0.0]  # the tied maxima share the weight
    assert m.log_softmax(x, k=inf).tolist() == [-inf, -np.log(2), -np.log(2), -inf]
    with pytest.raises(TypeError):
        m.logsumexp(x, None, None, False, False, 2.0)  # scipy's positional arguments keep their meaning
    with pytest.raises(ValueError, match="k must be one positive number"):
        m.logsumexp(x, k=0)


def test_elementwise_k_inf_is_the_limit(exported):
    """softplus -> max(x, 0), smooth max -> max, smooth |x| -> |x| (SymPy's value at k = oo, checked
    at export against k = 1e30); was NaN at x = 0."""
    _, m = exported
    x = np.array([-2.0, 0.0, 3.0])
    assert m.softplus(x, k=inf).tolist() == [0.0, 0.0, 3.0]
    assert m.smooth_max(x, 0.0, k=inf).tolist() == [0.0, 0.0, 3.0]
    assert m.smooth_abs(x.astype(F32), inf).tolist() == [2.0, 0.0, 3.0] and m.smooth_abs(x.astype(F32), inf).dtype == F32
    assert m.softplus(np.zeros(2), k=np.array([1.0, inf])).tolist() == [np.log(2), 0.0]
    assert "k = inf: Max(0, x)" in m.softplus.__doc__


def test_softmax_one_hot_of_nan_is_nan():
    f = lambdified("softmax_one_hot", str(ROOT / "derivations" / "softmax_onehot.py"))
    assert np.isnan(f(nan, 0.0)) and f(1.0, 0.0) == 1.0 and f(0.0, 0.0) == 0.5
    assert f(F32(1.0), F32(2.0)).dtype == np.float32


# -- every float dtype ---------------------------------------------------------------------------------


def test_the_issues_float32_and_float16_cases(exported):
    _, m = exported
    for x, dtype in (([100, 99], F32), ([-120, -121], F32), ([12, 11], np.float16)):
        got = m.logsumexp(np.array(x, dtype=dtype))
        exact = mp_lse(x)
        assert got.dtype == dtype and ulps(got, exact, dtype=dtype) <= 0.5, (x, got)


CALLS = {
    "logsumexp": lambda m, x: m.logsumexp(x, axis=-1),
    "softmax": lambda m, x: m.softmax(x, axis=-1),
    "log_softmax": lambda m, x: m.log_softmax(x, axis=-1),
    "softmax_cross_entropy": lambda m, x: m.softmax_cross_entropy(x, np.zeros(x.shape[:-1], dtype=int)),
    "softmax_cross_entropy_grad": lambda m, x: m.softmax_cross_entropy_grad(x, np.zeros(x.shape[:-1], dtype=int)),
    "softplus": lambda m, x: m.softplus(x, k=2.0),
    "smooth_abs": lambda m, x: m.smooth_abs(x, 2.0),
    "smooth_max": lambda m, x: m.smooth_max(x, x[..., ::-1]),
    "sigmoid": lambda m, x: m.sigmoid(x),
    "log_sigmoid": lambda m, x: m.log_sigmoid(x),
    "binary_cross_entropy_with_logits": lambda m, x: m.binary_cross_entropy_with_logits(x, 0.25),
}


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_function_keeps_the_input_dtype(exported, name, dtype):
    _, m = exported
    for shape in ((3, 4), (2, 1), (5,)):
        x = np.linspace(-3, 3, int(np.prod(shape))).reshape(shape).astype(dtype)
        got = np.asarray(CALLS[name](m, x))
        assert got.dtype == dtype, (name, shape, got.dtype)


finite32 = st.floats(min_value=-1e4, max_value=1e4, width=32, allow_nan=False, allow_infinity=False)
rows32 = st.lists(st.one_of(finite32, st.floats(-3, 3, width=32)), min_size=1, max_size=9)


def within32(computed, exact, kappa=1.0) -> bool:
    """Computed in float64, rounded once: <= 0.5 ULP of float32, plus what the float64 rounding
    (2^-29 of a float32 ULP per unit condition number) can add."""
    return ulps(computed, exact, dtype=F32) <= 0.5 + 1e-6 + kappa * 2.0**-27


@settings(max_examples=200, deadline=None)
@given(rows32, st.sampled_from([1.0, 0.5, 7.0]))
def test_float32_reductions_against_mpmath(exported, row, k):
    _, m = exported
    x = np.array(row, dtype=F32)
    got = m.logsumexp(x, k=k)
    assert got.dtype == F32
    big = max(abs(float(v)) for v in row) + 1
    assert within32(got, mp_lse(row, k), big / max(abs(float(mp_lse(row, k))), 1e-30))
    for c, e in zip(m.softmax(x, k=k), mp_softmax(row, k)):
        assert ulps(c, e, dtype=F32) <= 0.5 + 1e-6 + k * big * 2.0**-27
    y = len(row) - 1
    ce = mp_cross_entropy(row, y)
    assert within32(m.softmax_cross_entropy(x, y), ce, big / max(abs(float(ce)), 1e-30))


@settings(max_examples=200, deadline=None)
@given(finite32, st.sampled_from([0.0, 0.25, 1.0]))
def test_float32_elementwise_against_mpmath(exported, x, t):
    _, m = exported
    with mpmath.workdps(50):
        v = mpmath.mpf(float(x))
        sigmoid = 1 / (1 + mpmath.exp(-v))
        log_sigmoid = -mpmath.log1p(mpmath.exp(-v)) if x > 0 else v - mpmath.log1p(mpmath.exp(v))
        softplus_neg = -log_sigmoid  # softplus(-x)
        bce = t * softplus_neg + (1 - t) * (softplus_neg + v)
    assert within32(m.sigmoid(F32(x)), sigmoid, 1 + abs(float(x)))
    assert within32(m.log_sigmoid(F32(x)), log_sigmoid, 1 + abs(float(x)))
    kappa = (abs(float(x)) + 1) * 2 / max(abs(float(bce)), 1e-30)
    assert within32(m.binary_cross_entropy_with_logits(F32(x), t), bce, kappa)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=9), st.sampled_from([1.0, 0.5, 7.0, 1e-3]))
def test_float64_log_softmax_against_mpmath(exported, row, k):
    _, m = exported
    p = mp_softmax(row, k)
    with mpmath.workdps(50):
        values = [mpmath.mpf(v) for v in row]
        top = max(values)
        pivot = values.index(top)
        # ln(1 + rest) directly: LSE - M at 50 digits would lose what lies 50 digits below M
        log_total = mpmath.log1p(mpmath.fsum(mpmath.exp(k * (v - top)) for j, v in enumerate(values) if j != pivot))
    for i, c in enumerate(m.log_softmax(np.array(row), k=k)):
        with mpmath.workdps(50):
            exact = k * (values[i] - top) - log_total
            kappa = float(k * (abs(mpmath.mpf(row[i])) * mpmath.fsum(w for j, w in enumerate(p) if j != i)
                               + mpmath.fsum(abs(mpmath.mpf(v)) * w for j, (v, w) in enumerate(zip(row, p)) if j != i))
                          / abs(exact)) if exact else 0.0
        assert ulps(c, exact) <= 3 * max(1.0, kappa), (i, c, exact)


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0, 1))
def test_float64_sigmoid_family_against_mpmath(exported, x, t):
    _, m = exported
    with mpmath.workdps(50):
        v = mpmath.mpf(x)
        log_sigmoid = -mpmath.log1p(mpmath.exp(-v)) if x > 0 else v - mpmath.log1p(mpmath.exp(v))
        bce = t * (-log_sigmoid) + (1 - t) * (v - log_sigmoid)
    assert ulps(m.sigmoid(x), mpmath.exp(log_sigmoid)) <= 3 * max(1.0, abs(x))
    assert ulps(m.log_sigmoid(x), log_sigmoid) <= 3 * max(1.0, abs(x) / max(abs(float(log_sigmoid)), 1e-300))
    kappa = (2 * abs(x) + abs(x * t)) / max(abs(float(bce)), 1e-300)
    assert ulps(m.binary_cross_entropy_with_logits(x, t), bce) <= 3 * max(1.0, kappa)


# -- the adversarial classes of the docstrings -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("dtype", ["float64", "float32", "float16"])
def test_the_adversarial_classes_hold_their_bounds(exported, name, dtype):
    """What the docstrings print: <= 3.5 ULP where well conditioned (kappa <= 2) and <= 3 ULP per
    unit condition number in float64; <= 0.5 + tiny ULP in float32 and float16 (computed in float64); and every
    +-inf/NaN input as scipy.special. A bound broken here is a number printed wrong."""
    _, m = exported
    a = reduction_accuracy(name, getattr(m, name), dtype=dtype, seed=11, ns=(2, 9, 33), count=3)
    assert a.specials_ok == a.specials > 0
    if dtype == "float64":
        assert a.worst_well <= 3.5 and a.per_condition <= 3.0, a
    else:
        assert a.worst_well <= 0.5001 and a.per_condition <= 0.5001, a


@pytest.mark.parametrize("name, row", [
    ("logsumexp", [-1.5497498823846, -1.2260115849306, -0.7047376067149]),  # a result near 0: top + log1p(s) cancels
    ("log_softmax", [1e5, 1e-310, -3.0]),  # entries 315 orders of magnitude apart
    ("softmax_cross_entropy", [0.0, -40.0, -1e-300]),
])
def test_the_truth_the_docstrings_are_measured_against_holds_50_digits(name, row):
    """The adversarial rows' true results (what every ULP in a docstring is measured against) are
    known to 50 significant digits, also where they cancel: compared with mpmath at 150 digits."""
    from smoothsym.export import _true_reduction

    values, _ = _true_reduction(name, np.array(row), 1.0, 0)
    with mpmath.workdps(150):
        xs = [mpmath.mpf(v) for v in row]
        top = max(xs)  # shifted by the max: ln(1 + e^{-1e5}) is not lost next to 1e5
        rest = mpmath.log1p(mpmath.fsum(mpmath.exp(v - top) for v in xs if v != top))
        truth = {"logsumexp": [top + rest], "log_softmax": [(v - top) - rest for v in xs],
                 "softmax_cross_entropy": [(top - xs[0]) + rest]}[name]
        for got, true in zip(values, truth, strict=True):
            assert abs(got - true) <= abs(true) * mpmath.mpf(10) ** -50, (got, true)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["float64", "float32", "float16"]),
       st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, 5e-324, -1e-310, 1e-300, 2.0 ** -969, 1e308]),
       st.integers(-60, 60), st.integers(-(10 ** 30), 10 ** 30))
def test_the_ulp_errors_the_docstrings_print_are_the_50_digit_differences(dtype, value, shift, digits):
    """``_ulp_error`` (every ULP number of a docstring) takes |computed - truth| from a double-double
    of the 50-digit truth: it gives what mpmath's 50-digit difference gives, to far below the 3
    digits printed, for results near the computed value and far from it, subnormal and huge."""
    from smoothsym.export import REFERENCE_DIGITS, _ulp_error

    with mpmath.workdps(REFERENCE_DIGITS):
        truth = mpmath.mpf(value) * (1 + mpmath.mpf(digits) / 10 ** 40) * mpmath.mpf(2) ** shift
        computed = float(np.asarray(float(truth), dtype=dtype)) if abs(truth) < np.finfo(dtype).max else value
        info = np.finfo(dtype)
        if abs(truth) > info.max:
            return  # the overflow rule (only inf of the truth's sign is right), not a difference
        with np.errstate(over="ignore"):
            rounded = np.array(abs(float(truth)), dtype=dtype)
            spacing = float(np.spacing(rounded))
            up = float(np.nextafter(np.asarray(computed, dtype=dtype), np.asarray(np.inf, dtype=dtype)))
        if not rounded < info.max:  # at the dtype's max: the ULP below it
            spacing = float(info.max) - float(np.nextafter(np.array(info.max, dtype=dtype), np.array(0, dtype=dtype)))
        if spacing == 0:  # the export's own rule at 0
            spacing = float(info.smallest_subnormal)
        for c in (computed, up, 0.0):
            if not np.isfinite(c):
                continue
            expected = float(abs(mpmath.mpf(c) - truth) / spacing)
            with np.errstate(over="ignore"):
                got = _ulp_error(c, truth, dtype)
            assert got == expected or abs(got - expected) <= 1e-12 * max(expected, 1.0), (c, truth, dtype)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_a_truth_just_beyond_the_largest_float_counts_its_correct_rounding_to_max_as_right(dtype):
    """A float16 log_softmax entry whose truth is -65518.9 rounds to -65504 (max + half an ULP is
    65520): that result is 0.47 ULP off, not infinitely; -inf is right only from the boundary on."""
    from smoothsym.export import _ulp_error

    info = np.finfo(dtype)
    top = mpmath.mpf(float(info.max))
    ulp = top - mpmath.mpf(float(np.nextafter(np.array(info.max, dtype=dtype), np.array(0, dtype=dtype))))
    with mpmath.workdps(60):
        inside, beyond = -(top + ulp * mpmath.mpf("0.47")), -(top + ulp * mpmath.mpf("0.5"))
        assert _ulp_error(-float(info.max), inside, dtype) == pytest.approx(0.47)
        assert _ulp_error(-np.inf, inside, dtype) == np.inf
        assert _ulp_error(-np.inf, beyond, dtype) == 0.0
        assert _ulp_error(-float(info.max), beyond, dtype) == np.inf
        assert _ulp_error(float(info.max), top - ulp / 4, dtype) == pytest.approx(0.25)


@pytest.mark.parametrize("x", [-37.0, -8.0, -1e-8, 0.0, 3.0, 26.0])
def test_the_condition_numbers_in_balls_are_mpmaths_at_their_digits(x):
    """GELU's condition number sum |x f'(x)| / |f| (the docstrings' "ULP per unit condition number"):
    its gradient in Arb balls (not mpmath's fallback) at up to 2000 more digits where the result
    is tiny, as mpmath gives it at 2400 digits."""
    from sympy import Abs, Symbol, erf, erfc, sqrt

    from smoothsym.export import _ElementwiseTruth

    s = Symbol("x")
    gelu = s * (1 + erf(s / sqrt(2))) / 2
    stable = gelu if x >= 0 else s * erfc(Abs(s) / sqrt(2)) / 2  # the truth without 1 + erf's cancellation (x <= 0)
    truth = _ElementwiseTruth(stable, gelu, ("x",), ("x",))
    kind, exact, kappa = truth._computed((x,))
    assert kind == "value"
    assert truth._ball_spread((x,), 60) is not None  # the balls narrowed: the figure is theirs
    with mpmath.workdps(2400):
        v = mpmath.mpf(x)
        f = v * (1 + mpmath.erf(v / mpmath.sqrt(2))) / 2
        slope = (1 + mpmath.erf(v / mpmath.sqrt(2))) / 2 + v * mpmath.exp(-v * v / 2) / mpmath.sqrt(2 * mpmath.pi)
        expected = float(abs(v * slope / f)) if f != 0 else 0.0
    assert kappa == pytest.approx(expected, rel=1e-12, abs=0.0) if expected else kappa in (0.0, np.inf)


def test_results_near_zero_with_one_dominant_entry_keep_relative_accuracy(exported):
    """The class the old metric could not see: the result far below the entries' scale."""
    _, m = exported
    for row in ([0.0, -40.0], [0.0, -700.0, -701.0], [0.0] + [-50.0] * 30, [1e-300, -745.0]):
        exact = mp_lse(row)
        assert ulps(m.logsumexp(np.array(row)), exact) <= 1.0, row
        y_exact = mp_cross_entropy(row, 0)
        assert ulps(m.softmax_cross_entropy(np.array(row), 0), y_exact) <= 1.0, row


@pytest.mark.parametrize("n", [100, 1000])
@pytest.mark.parametrize("centre", [0.5, -30.0, 650.0, 800.0, -1e4])
def test_long_rows_hold_their_bounds_on_either_side_of_the_unshifted_range(exported, n, centre):
    """Rows longer than 64 (the long-row code), standard normal about ``centre``: the max in
    [0, 709 - ln n] (softmax, and logsumexp in float32, with no shift), below 0 and above
    (shifted). float64: <= 3.5 ULP where well conditioned (kappa <= 2), <= 3 ULP per unit
    condition number, as the adversarial classes; float32: 0.5 ULP plus what the float64
    rounding can add."""
    _, m = exported
    rng = np.random.default_rng(n + abs(int(centre)))
    rows = centre + rng.standard_normal((2, n))
    for dtype in (np.float64, F32):
        x = rows.astype(dtype)
        got = m.softmax(x, axis=-1)
        assert got.dtype == dtype
        lse = m.logsumexp(x, axis=-1)
        assert lse.dtype == dtype
        for row, values, total in zip(x, got, lse):
            exact = mp_softmax(row)
            p = np.array([float(e) for e in exact])
            spread = float(np.sum(np.abs(row.astype(float)) * p))
            exact_lse = mp_lse(row)
            kappa_lse = spread / max(abs(float(exact_lse)), 1e-300)  # sum_j |x_j| p_j / |LSE|
            if dtype is F32:
                assert within32(total, exact_lse, kappa_lse), (centre, total, exact_lse)
            else:
                assert ulps(total, exact_lse) <= 3.0 * max(1.0, kappa_lse), (centre, total, exact_lse)
            for v, e, w, pi in zip(values, exact, np.abs(row.astype(float)), p):
                kappa = w * (1 - pi) + spread - w * pi  # sum_j |x_j d p_i/d x_j| / p_i
                if dtype is F32:
                    assert ulps(v, e, dtype=F32) <= 0.5 + 1e-6 + kappa * 2.0**-27, (centre, v, e)
                else:
                    error = ulps(v, e)
                    assert error <= (3.5 if kappa <= 2 else 3.0 * kappa), (centre, v, e, kappa)


def test_long_softmax_rows_keep_entries_near_the_subnormal_range(exported):
    """The unshifted form at a max in [0, 709 - ln n]: e^{x_j} below the normal range belongs to
    an entry whose softmax is below 2.2e-308, kept to within an ULP of the smallest subnormal;
    and a max near the top of the range neither overflows nor loses accuracy."""
    _, m = exported
    tail = [-1000.0] * 90
    for row in ([1.0, -707.0, -708.5, -709.0, -720.0, -740.0, -745.5] + tail,
                [0.0, 0.0, -3.0, -744.0] + tail,
                [702.0, 701.0, 700.5] + [650.0] * 97,
                [702.1] * 100):
        got = m.softmax(np.array(row), axis=-1)
        for v, e in zip(got, mp_softmax(row)):
            assert ulps(v, e) <= (1.0 if abs(float(e)) < 2.3e-308 else 3.5), (row[:4], v, e)


# -- batch invariance ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 5, 8, 9, 33, 200])
def test_a_rows_bits_do_not_depend_on_its_batch(exported, n):
    """Each row alone, then among 1000 others with outliers (huge, tiny, inf, NaN), at offsets
    that cross the cache blocks: the same bits, for every reduction."""
    _, m = exported
    rng = np.random.default_rng(n)
    rows = rng.standard_normal((20, n)) * rng.choice([1e-3, 1.0, 40.0, 1e4], (20, 1))
    batch = rng.standard_normal((1000 + 70000 // n, n))
    outliers = rng.choice(len(batch), 60, replace=False)
    batch[outliers] = rng.choice([1e300, -1e300, 1e-310, inf, -inf, nan, 800.0], (60, n))
    places = rng.choice(len(batch), len(rows), replace=False)
    batch[places] = rows
    y = np.zeros(len(batch), dtype=int)
    for name, call in CALLS.items():
        if name in ("softplus", "smooth_abs", "smooth_max", "sigmoid", "log_sigmoid", "binary_cross_entropy_with_logits"):
            continue
        together = call(m, batch)
        for place, row in zip(places, rows):
            alone = call(m, row[None])[0]
            assert np.array_equal(np.asarray(alone), np.asarray(together[place]), equal_nan=True), (name, place)
    with np.errstate(over="ignore"):  # 1e300 outliers become inf in float32
        single = batch.astype(F32)
    together = m.logsumexp(single, axis=-1)
    for place, row in zip(places, rows):  # and a batch of float32 rows
        assert together[place] == m.logsumexp(row.astype(F32))


# -- the cross-entropy beats the naive form where predictions are confident --------------------------------------


def test_confident_predictions_keep_their_loss_and_gradient(exported):
    _, m = exported
    z = np.array([[30.0, 0.0, -5.0], [1e300, 1e300, 0.0], [-1e300, 1e300, 0.0]])
    y = np.array([0, 1, 0])
    loss = m.softmax_cross_entropy(z, y)
    for row, t, value in zip(z, y, loss):
        assert ulps(value, mp_cross_entropy(row, t)) <= 1.0, row
    naive = np.log(np.exp(z[0] - 30).sum()) + 30 - 30  # lse - z_y: 1 + e^-30 rounds, so it loses digits
    assert ulps(naive, mp_cross_entropy(z[0], 0)) > 1e3
    grad = m.softmax_cross_entropy_grad(z[:1], y[:1])[0]
    with mpmath.workdps(50):
        p = mp_softmax(z[0])
        exact = -(p[1] + p[2])
    assert ulps(grad[0], exact) <= 2.0  # -s/(1 + s), not p - 1 (which keeps only ~7 digits here)
