"""The jax kernels (smoothsym/kernels_jax.py), as a user of the exported jax module sees them.

Checked: SciPy's own facts, exactly; the dtype kept; values against mpmath at 50 digits (Hypothesis,
float32 and float64, relative ULPs of the true result, allowed to grow with the condition number);
+-inf/NaN rows as scipy.special; batch invariance bit for bit beside outlier rows; k = inf; bad k,
axis, targets; the custom_jvp derivatives against finite differences and against jax.nn's own
gradients (jax.grad, jax.vjp, jax.jvp, under jax.jit); and the elementwise helpers, through a
softplus, a sigmoid and a smooth max printed as export.py prints them.

XLA on CPU flushes subnormal results to zero (jnp.exp(-712.0) is 0.0, as is jax.nn.softmax's
e^-95 in float32): where the true result is below the least normal number the error is measured in
units of that number instead.
"""

import pytest

jax = pytest.importorskip("jax", reason="the jax export extra is not installed: pip install -e '.[frameworks]'")
jax.config.update("jax_enable_x64", True)  # before any array is made: float64 is tested too

import logging  # noqa: E402
import math  # noqa: E402

import jax.numpy as jnp  # noqa: E402
import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import scipy.special  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from smoothsym import kernels_jax as K  # noqa: E402

inf, nan = math.inf, math.nan
F16, BF16, F32, F64 = jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64


# -- references at 50 digits ------------------------------------------------------------------------------


def ulps(computed, exact, dtype=np.float64) -> float:
    """|computed - exact| in ULPs of ``dtype`` at the true result; below the least normal number
    (where XLA flushes to zero) in units of that number."""
    computed, tiny = float(computed), float(np.finfo(dtype).tiny)
    if computed == float(exact):
        return 0.0
    with mpmath.workdps(60):
        error = abs(mpmath.mpf(computed) - mpmath.mpf(exact))
        if abs(exact) < tiny:
            return float(error / tiny)
        return float(error / float(np.spacing(np.array(abs(float(exact)), dtype=dtype))))


def reference(row, k=1.0):
    """At 50 digits: LSE_k, softmax_k, log softmax_k of a row, each with its condition number (the
    relative change of the result per relative change of the entries), pivoted on the max with its
    own term kept out of the sum (or ln(1 + 1e-200) would round to 0 even at 50 digits)."""
    with mpmath.workdps(50):
        v = [mpmath.mpf(float(a)) for a in row]
        k = mpmath.mpf(k)
        top = max(v)
        pivot = v.index(top)
        rest = mpmath.fsum(mpmath.exp(k * (a - top)) for j, a in enumerate(v) if j != pivot)
        log_total = mpmath.log1p(rest)
        lse = top + log_total / k
        p = [mpmath.exp(k * (a - top)) / (1 + rest) for a in v]
        log_p = [k * (a - top) - log_total for a in v]
        lse_kappa = mpmath.fsum(q * abs(a) for q, a in zip(p, v)) / abs(lse) if lse else mpmath.inf
        # 1 - p_i and sum_{j != i} p_j |x_j| without cancellation (at the pivot p_i may be 1 - 1e-60)
        weighted = mpmath.fsum(q * abs(a) for q, a in zip(p, v))
        pivot_rest = mpmath.fsum(q * abs(a) for j, (q, a) in enumerate(zip(p, v)) if j != pivot)
        p_kappa = []
        for i, (q, a) in enumerate(zip(p, v)):
            if i == pivot:
                p_kappa.append(k * (abs(a) * rest / (1 + rest) + pivot_rest))
            else:
                p_kappa.append(k * (abs(a) * (1 + rest - mpmath.exp(k * (a - top))) / (1 + rest) + (weighted - q * abs(a))))
        log_kappa = [c / abs(lp) if lp else mpmath.inf for c, lp in zip(p_kappa, log_p)]
        return lse, float(lse_kappa), p, [float(c) for c in p_kappa], log_p, [float(c) for c in log_kappa]


def reference_cross_entropy(row, y):
    """-ln softmax(row)_y = (M - z_y) + ln(1 + rest) at 50 digits, and its condition number."""
    with mpmath.workdps(50):
        v = [mpmath.mpf(float(a)) for a in row]
        top = max(v)
        pivot = v.index(top)
        rest = mpmath.fsum(mpmath.exp(a - top) for j, a in enumerate(v) if j != pivot)
        loss = (top - v[y]) + mpmath.log1p(rest)
        p = [mpmath.exp(a - top) / (1 + rest) for a in v]
        change = abs(v[y]) * mpmath.fsum(p[j] for j in range(len(v)) if j != y) + mpmath.fsum(
            p[j] * abs(v[j]) for j in range(len(v)) if j != y)
        return loss, float(change / abs(loss)) if loss else inf


# -- SciPy's facts, exactly --------------------------------------------------------------------------------


@pytest.mark.parametrize("call, expected", [
    (lambda: K.logsumexp(jnp.array([0.0, -40.0])), 4.2483542552915889e-18),  # jax.nn.logsumexp gives 0.0
    (lambda: K.logsumexp(jnp.array([1000.0, 1000.0])), 1000.6931471805599),
    (lambda: K.logsumexp(jnp.array([inf, -inf])), inf),
    (lambda: K.logsumexp(jnp.array([-inf, -inf])), -inf),
    (lambda: K.logsumexp(3.0), 3.0),
    (lambda: K.logsumexp([]), -inf),  # the log of an empty sum
    (lambda: K.log_softmax(jnp.array([0.0, -40.0])).tolist(), [-4.2483542552915889e-18, -40.0]),
    (lambda: K.softmax(jnp.array([-inf, 0.0])).tolist(), [0.0, 1.0]),
    (lambda: K.softmax_cross_entropy(jnp.array([1e300, 1e300, 1e300]), 1), 1.0986122886681098),  # ln 3
    (lambda: K.softmax_cross_entropy(jnp.array([0.0, -40.0, -50.0]), 0), float(np.log1p(np.exp(-40.0) + np.exp(-50.0)))),
    (lambda: K.softmax_cross_entropy_grad(jnp.array([0.0, -40.0]), 0).tolist(), [-4.2483542552915889e-18, 4.2483542552915889e-18]),
])
def test_scipys_facts_exactly(call, expected):
    got = call()
    assert (got if isinstance(got, list) else float(got)) == expected


def test_float32_and_float16_do_not_overflow():
    got = K.logsumexp(jnp.array([100, 99], dtype=F32))
    assert got.dtype == F32 and got == np.float32(100.31326)
    half = K.logsumexp(jnp.array([12, 11], dtype=F16))
    assert half.dtype == F16 and bool(jnp.isfinite(half)) and ulps(half, reference([12, 11])[0], np.float16) <= 0.5
    assert ulps(K.logsumexp(jnp.array([-120, -121], dtype=F32)), reference([-120, -121])[0], np.float32) <= 1


def test_tiny_results_keep_their_relative_accuracy():
    """The pivot's own term is kept out of the sum: log1p(s) of a tiny s, never ln(1 + s)."""
    for row in ([0.0, -40.0], [0.0, -700.0, -701.0], [0.0] + [-50.0] * 30, [0.0] + [-50.0] * 100):
        x = jnp.array(row)
        assert ulps(K.logsumexp(x) - row[0], reference(row)[0] - row[0]) <= 1.0, row
        loss, _ = reference_cross_entropy(row, 0)
        assert ulps(K.softmax_cross_entropy(x, 0), loss) <= 1.0, row
        assert ulps(K.log_softmax(x)[0], reference(row)[4][0]) <= 1.0, row


# -- dtypes --------------------------------------------------------------------------------------------------


CALLS = {
    "logsumexp": lambda x: K.logsumexp(x, axis=-1),
    "softmax": lambda x: K.softmax(x),
    "log_softmax": lambda x: K.log_softmax(x),
    "softmax_cross_entropy": lambda x: K.softmax_cross_entropy(x, jnp.zeros(x.shape[:-1], dtype=int)),
    "softmax_cross_entropy_grad": lambda x: K.softmax_cross_entropy_grad(x, jnp.zeros(x.shape[:-1], dtype=int)),
}


@pytest.mark.parametrize("dtype", [F16, BF16, F32, F64])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_reduction_keeps_the_input_dtype(name, dtype):
    for shape in ((3, 4), (2, 1), (5,)):
        x = jnp.linspace(-3, 3, math.prod(shape)).reshape(shape).astype(dtype)
        got = CALLS[name](x)
        assert got.dtype == dtype, (name, shape, got.dtype)
    if dtype == F16:  # computed in float32 and rounded once: 0.5 ULP of float16
        row = [3.0, -1.5, 0.25]
        assert ulps(K.logsumexp(jnp.array(row, dtype=F16)), reference(row)[0], np.float16) <= 0.5


def test_integers_and_lists_become_the_default_float_and_complex_is_refused():
    assert K.logsumexp(jnp.array([1, 2, 3])).dtype == F64  # jax's default float dtype (x64 enabled here)
    assert K.softmax([True, False]).dtype == F64
    assert K.log_softmax([[1.0, 2.0]]).shape == (1, 2)
    with pytest.raises(TypeError, match="x must be an array of real numbers, not of dtype complex"):
        K.logsumexp(jnp.array([1 + 1j]))
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        K.softmax("abc")
    with pytest.raises(TypeError, match="z must be an array of real numbers"):
        K.softmax_cross_entropy([[1j, 2.0]], [0])


# -- values against mpmath -----------------------------------------------------------------------------------


finite32 = st.floats(min_value=-1e4, max_value=1e4, width=32, allow_nan=False, allow_infinity=False)
rows32 = st.lists(st.one_of(finite32, st.floats(-3, 3, width=32), st.floats(-90, 90, width=32)), min_size=1, max_size=9)
finite64 = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
rows64 = st.lists(st.one_of(finite64, st.floats(-3, 3), st.floats(-800, 800)), min_size=1, max_size=9)

# Relative ULPs of the true result, where the problem is well conditioned (kappa <= 1), and per unit
# of kappa elsewhere. XLA's own exp and log1p are up to ~1.2 and ~1.7 ULP (measured against mpmath),
# so softmax = e^{k(x_i - M)}/(1 + s) reaches ~3 ULP; logsumexp, log_softmax and the cross-entropy
# stay near 2 (the worst measured over 3000 random rows each: 1.95, 2.30, 1.90).
BOUND = {"logsumexp": 2.5, "log_softmax": 2.5, "softmax_cross_entropy": 2.5, "softmax": 3.5}


def check(name, computed, exact, kappa, dtype, n=1):
    error = ulps(computed, exact, dtype)
    if error > BOUND[name] * max(1.0, kappa):
        # XLA flushes a term e^{k(x_j - M)} below the least normal number to 0 (e^-88 in float32):
        # log_softmax([0, 0, 88])[2] = -log1p(2 e^-88) = -1.2e-38 comes out 0.0, as jax.nn's does
        with mpmath.workdps(50):
            flushed = abs(mpmath.mpf(float(computed)) - exact) <= 2 * n * float(np.finfo(dtype).tiny)
        assert flushed, (name, float(computed), exact, error, kappa)


def check_row(row, k, dtype, numpy_dtype):
    x = jnp.array(row, dtype=dtype)
    lse, lse_kappa, p, p_kappa, log_p, log_kappa = reference(np.asarray(row, dtype=numpy_dtype), k)
    got = K.logsumexp(x, k=k)
    assert got.dtype == dtype
    check("logsumexp", got, lse, lse_kappa, numpy_dtype, len(row))
    for i, (c, e, kappa) in enumerate(zip(K.softmax(x, k=k), p, p_kappa)):
        check("softmax", c, e, kappa, numpy_dtype, len(row))
    for c, e, kappa in zip(K.log_softmax(x, k=k), log_p, log_kappa):
        check("log_softmax", c, e, kappa, numpy_dtype, len(row))
    for y in {0, len(row) - 1, int(np.argmax(np.asarray(row, dtype=numpy_dtype)))}:
        loss, kappa = reference_cross_entropy(np.asarray(row, dtype=numpy_dtype), y)
        check("softmax_cross_entropy", K.softmax_cross_entropy(x, y), loss, kappa, numpy_dtype, len(row))


@settings(max_examples=50, deadline=None)
@given(rows32, st.sampled_from([1.0, 7.0, 0.25, 3.0]))  # k exact in float32, as the reference's
def test_float32_values_against_mpmath(row, k):
    check_row(row, k, F32, np.float32)


@settings(max_examples=50, deadline=None)
@given(rows64, st.sampled_from([1.0, 0.5]))
def test_float64_values_against_mpmath(row, k):
    check_row(row, k, F64, np.float64)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=2, max_size=6), st.integers(1, 4))
def test_ties_are_counted_not_cancelled(row, copies):
    """A row whose max is repeated: the pivot's term only is left out (s = rest + m - 1)."""
    row = row + [max(row)] * copies
    check_row(row, 1.0, F64, np.float64)


@pytest.mark.parametrize("n", [33, 100])
def test_long_rows_against_mpmath(n):
    """Rows past the short-row path (the arithmetic tie mask), with ties and a dominant entry."""
    rng = np.random.default_rng(n)
    for row in (rng.standard_normal(n) * 3, np.r_[0.0, np.full(n - 1, -45.0)], np.r_[2.0, 2.0, rng.standard_normal(n - 2)]):
        check_row(row.tolist(), 1.0, F64, np.float64)
        check_row(row.tolist(), 0.5, F32, np.float32)


# -- +-inf and NaN rows, as scipy.special ----------------------------------------------------------------------


SPECIAL_ROWS = [[-inf, -inf], [inf, 0.0], [inf, inf], [nan, 1.0], [-inf, 0.0], [inf, -inf], [1.0, nan, inf],
                [-inf, 2.0, 2.0], [0.0, -inf, -40.0]]


@pytest.mark.parametrize("row", SPECIAL_ROWS, ids=str)
@pytest.mark.parametrize("dtype", [F32, F64])
def test_infinite_and_nan_rows_as_scipy_special(row, dtype):
    x = np.array(row)
    with np.errstate(all="ignore"):
        expected = (scipy.special.logsumexp(x), scipy.special.softmax(x), scipy.special.log_softmax(x))
    got = (K.logsumexp(jnp.array(row, dtype=dtype)), K.softmax(jnp.array(row, dtype=dtype)),
           K.log_softmax(jnp.array(row, dtype=dtype)))
    for g, e in zip(got, expected):
        # atol: scipy's log_softmax([0, -inf, -40]) rounds ln(1 + e^-40) to 0; ours keeps -4.2e-18
        assert np.allclose(np.asarray(g, dtype=np.float64), e, equal_nan=True, rtol=1e-6, atol=1e-17), (row, g, e)
    loss = K.softmax_cross_entropy(jnp.array(row, dtype=dtype), 0)
    with np.errstate(all="ignore"):
        assert np.allclose(float(loss), scipy.special.logsumexp(x) - x[0], equal_nan=True), (row, loss)


# -- batch invariance --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [2, 10, 33, 1000])
def test_a_rows_bits_do_not_depend_on_its_batch(n, dtype):
    """Each row alone, then among others with outliers (huge, tiny, inf, NaN): the same bits,
    eagerly and under jax.jit, for every reduction. (XLA's own reductions of rows over 32 entries
    changed a row's bits between 1 and 7-5000 rows, measured 2026-12-03: hence 33 and 1000.)"""
    rng = np.random.default_rng(n)
    rows = rng.standard_normal((8, n)) * rng.choice([1e-3, 1.0, 40.0, 1e4], (8, 1))
    batch = rng.standard_normal((1000, n))
    outliers = rng.choice(len(batch), 60, replace=False)
    batch[outliers] = rng.choice([1e300, -1e300, 1e-310, inf, -inf, nan, 800.0], (60, n))
    places = rng.choice(np.setdiff1d(np.arange(len(batch)), outliers), len(rows), replace=False)
    batch[places] = rows
    with np.errstate(over="ignore"):
        batch, rows = jnp.asarray(batch, dtype=dtype), jnp.asarray(rows, dtype=dtype)
    for name, call in CALLS.items():
        together = np.asarray(call(batch))
        jitted = np.asarray(jax.jit(call)(batch))
        for place, row in zip(places, rows):
            alone = np.asarray(call(row[None]))[0]
            assert np.array_equal(alone, together[place], equal_nan=True), (name, place)
            assert np.array_equal(alone, jitted[place], equal_nan=True), (name, place, "jit")


# -- axes, keepdims, k -------------------------------------------------------------------------------------------


def test_axes_keepdims_and_the_default_axes():
    x = jnp.asarray(np.random.default_rng(3).standard_normal((3, 4, 5)))
    assert np.array_equal(K.logsumexp(x), K.logsumexp(x.ravel()))  # axis=None: every axis, one row (the same bits)
    assert np.allclose(K.logsumexp(x, axis=(0, 2)), jax.nn.logsumexp(x, axis=(0, 2)), rtol=1e-14)
    assert K.logsumexp(x, axis=(0, 2), keepdims=True).shape == (1, 4, 1)
    assert K.logsumexp(x, axis=-2).shape == (3, 5)
    assert np.allclose(K.softmax(x), jax.nn.softmax(x), rtol=1e-14)  # axis=-1 by default, as jax.nn
    assert np.allclose(K.softmax(x, axis=(0, 1)), jax.nn.softmax(x, axis=(0, 1)), rtol=1e-14)
    assert np.allclose(K.log_softmax(x, axis=None), jax.nn.log_softmax(x, axis=None), rtol=1e-14, atol=1e-15)
    assert K.softmax(3.0, axis=None) == 1.0 and K.softmax(jnp.zeros((0, 3))).shape == (0, 3)
    assert K.logsumexp(jnp.zeros((2, 0)), axis=1).tolist() == [-inf, -inf]
    assert K.logsumexp(jnp.zeros((0, 3)), axis=1).shape == (0,)


def test_k_is_a_sharpness_and_inf_its_limit():
    x = jnp.array([1.0, 3.0, 3.0, -inf])
    assert K.logsumexp(x, k=inf) == 3.0
    assert K.softmax(x, k=inf).tolist() == [0.0, 0.5, 0.5, 0.0]  # the tied maxima share the weight
    assert K.log_softmax(x, k=inf).tolist() == [-inf, -math.log(2), -math.log(2), -inf]
    row = [0.3, -1.2, 2.0]
    assert ulps(K.logsumexp(jnp.array(row), k=2.5), reference(row, 2.5)[0]) <= 2
    assert K.logsumexp(jnp.array(row), k=np.float64(2.5)) == K.logsumexp(jnp.array(row), k=2.5)  # a 0-d array
    assert K.logsumexp(jnp.array(row), k=jnp.array(2.5)) == K.logsumexp(jnp.array(row), k=2.5)
    assert K.logsumexp(jnp.array(row), k=2) == K.logsumexp(jnp.array(row), k=2.0)
    with pytest.raises(TypeError):
        K.logsumexp(x, None, False, 2.0)  # keyword-only


def test_a_schedule_of_k_compiles_nothing_new(caplog):
    """k is a run-time argument of the compiled kernels: a user who anneals k (a new value every
    step) pays one compile per shape, not one per value; k = inf, the limit, has its own kernel."""
    x = jnp.linspace(-3.0, 3.0, 35).reshape(5, 7)

    def compiles(ks):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="jax"), jax.log_compiles(True):
            for k in ks:
                K.logsumexp(x, axis=-1, k=k), K.softmax(x, k=k), K.log_softmax(x, k=k)
                jax.grad(lambda v: K.logsumexp(v, k=k))(x)
        return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Compiling ")]

    compiles([1.0])  # this shape's kernels (and jax's own little helpers) compiled once
    assert compiles([0.37, 2.0, 7.5, 1e-3, 1e3]) == []
    assert compiles([inf]) != []  # the limit's own kernels
    assert compiles([inf, 3.0]) == []


# the array is made when the test runs: one made at collection starts XLA's threads in every pytest
# worker, and each of the engine's forks in the rest of the run would then happen beside them
@pytest.mark.parametrize("k", [0, -1.0, nan, "2", [1.0, 2.0], True, pytest.param("array", id="jnp.array([1.0])"), 1j])
def test_a_bad_k_is_refused_by_name(k):
    k = jnp.array([1.0]) if k == "array" else k
    for f in (K.logsumexp, K.softmax, K.log_softmax):
        with pytest.raises(ValueError, match="k must be"):
            f(jnp.array([1.0, 2.0]), k=k)


def test_a_traced_k_is_refused():
    with pytest.raises(ValueError, match="no verified derivative in k"):
        jax.grad(lambda k: K.logsumexp(jnp.array([1.0, 2.0]), k=k))(1.0)
    with pytest.raises(ValueError, match="k must be one concrete number"):
        jax.jit(lambda x, k: K.softmax(x, k=k))(jnp.array([1.0, 2.0]), 2.0)


def test_bad_axes_are_refused_by_name():
    x = jnp.array([[1.0, 2.0]])
    with pytest.raises(ValueError, match="axis 3 is out of bounds for array of dimension 2"):
        K.softmax(x, axis=3)
    with pytest.raises(ValueError, match="axis 1 is repeated"):
        K.logsumexp(x, axis=(1, -1))
    with pytest.raises(TypeError, match="axis must be None, an integer or a tuple of integers"):
        K.log_softmax(x, axis=1.5)


def test_bad_targets_are_refused_by_name():
    z = jnp.zeros((2, 3))
    with pytest.raises(TypeError, match="y must be integer class indices, not of dtype float"):
        K.softmax_cross_entropy(z, jnp.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"y has shape \(3,\), but z of shape \(2, 3\) needs y of shape \(2,\)"):
        K.softmax_cross_entropy(z, jnp.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"y must be class indices in 0..2"):
        K.softmax_cross_entropy_grad(z, jnp.array([0, 3]))
    with pytest.raises(ValueError, match="z must have at least one axis"):
        K.softmax_cross_entropy(1.0, 0)
    with pytest.raises(ValueError, match="has no classes"):
        K.softmax_cross_entropy(jnp.zeros((2, 0)), jnp.array([0, 0]))
    # under jax.jit the range cannot be checked before the run: a bad target's row is NaN
    loss = jax.jit(K.softmax_cross_entropy)(z, jnp.array([0, 7]))
    assert float(loss[0]) == math.log(3) and math.isnan(loss[1])


# -- the derivatives: the derivation's, as custom_jvp rules ------------------------------------------------------------


def numeric_gradient(f, x, h=1e-6):
    """Central differences of a scalar function, one entry at a time (float64)."""
    x = np.asarray(x, dtype=np.float64)
    f = jax.jit(f)  # compiled once: one dispatch per evaluation
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (float(f(jnp.asarray(x + e))) - float(f(jnp.asarray(x - e)))) / (2 * h)
    return out


PEERS = [
    ("logsumexp", lambda x, k: K.logsumexp(x, axis=-1, k=k), lambda x: jax.nn.logsumexp(x, axis=-1)),
    ("softmax", lambda x, k: K.softmax(x, k=k), lambda x: jax.nn.softmax(x)),
    ("log_softmax", lambda x, k: K.log_softmax(x, k=k), lambda x: jax.nn.log_softmax(x)),
]


@pytest.mark.parametrize("name, ours, peer", PEERS, ids=[p[0] for p in PEERS])
def test_gradients_match_jax_nn_and_finite_differences(name, ours, peer):
    rng = np.random.default_rng(7)
    x = jnp.asarray(rng.standard_normal((3, 5)) * 2)
    w = jnp.asarray(rng.standard_normal(ours(x, 1).shape))

    def loss(f):
        return lambda x: jnp.sum(w * f(x))

    expected = jax.grad(loss(peer))(x)
    assert np.allclose(jax.grad(loss(lambda x: ours(x, 1)))(x), expected, rtol=1e-12, atol=1e-14)  # eagerly
    k = 3.0  # jax.nn has no k: LSE_k(x) = LSE(k x)/k, softmax_k(x) = softmax(k x)
    scaled = {"logsumexp": lambda x: peer(k * x) / k}.get(name, lambda x: peer(k * x))
    got = jax.jit(jax.grad(loss(lambda x: ours(x, k))))(x)
    assert np.allclose(got, jax.jit(jax.grad(loss(scaled)))(x), rtol=1e-12, atol=1e-14)
    assert np.allclose(got, numeric_gradient(loss(lambda x: ours(x, k)), x), rtol=1e-6, atol=1e-8)
    assert np.allclose(jax.jit(jax.grad(loss(lambda x: ours(x, 1))))(x), expected, rtol=1e-12, atol=1e-14)
    value, pullback = jax.vjp(lambda x: ours(x, 1), x)
    assert np.allclose(pullback(w)[0], expected, rtol=1e-12, atol=1e-14)
    t = jnp.asarray(rng.standard_normal(x.shape))
    assert np.allclose(jax.jvp(lambda x: ours(x, 1), (x,), (t,))[1], jax.jvp(peer, (x,), (t,))[1], rtol=1e-12, atol=1e-14)
    # a second derivative goes through the rules' own pieces
    row = x[0]
    assert np.allclose(jax.jit(jax.hessian(lambda r: jnp.sum(w[0] * ours(r[None], 1)[0])))(row),
                       jax.jit(jax.hessian(lambda r: jnp.sum(w[0] * peer(r[None])[0])))(row), rtol=1e-10, atol=1e-12)


def test_hessians_of_batches_match_autodiff_of_jax_nn():
    # jax.hessian (forward over reverse through the custom_jvp rules), eager and jitted, on a batch
    # of rows, k = 1 and k != 1, and the cross-entropy, against autodiff of jax.nn's functions
    rng = np.random.default_rng(9)
    x = jnp.asarray(rng.standard_normal((3, 4)) * 2)
    w = jnp.asarray(rng.standard_normal((3, 4)))
    y = jnp.array([0, 3, 1])

    def peer_cross_entropy(z):
        return -jnp.take_along_axis(jax.nn.log_softmax(z, axis=-1), y[:, None], axis=-1)[:, 0]

    pairs = [
        (lambda v: jnp.sum(K.logsumexp(v, axis=-1)), lambda v: jnp.sum(jax.nn.logsumexp(v, axis=-1))),
        (lambda v: K.logsumexp(v, axis=None, k=0.5), lambda v: jax.nn.logsumexp(0.5 * v) / 0.5),
        (lambda v: jnp.sum(w * K.softmax(v)), lambda v: jnp.sum(w * jax.nn.softmax(v))),
        (lambda v: jnp.sum(w * K.softmax(v, axis=0, k=3)), lambda v: jnp.sum(w * jax.nn.softmax(3 * v, axis=0))),
        (lambda v: jnp.sum(w * K.log_softmax(v)), lambda v: jnp.sum(w * jax.nn.log_softmax(v))),
        (lambda v: jnp.sum(K.softmax_cross_entropy(v, y)), lambda v: jnp.sum(peer_cross_entropy(v))),
    ]
    for i, (ours, peer) in enumerate(pairs):
        expected = jax.hessian(peer)(x)
        assert expected.shape == (3, 4, 3, 4)
        assert np.allclose(jax.hessian(ours)(x), expected, rtol=1e-12, atol=1e-14), i
        assert np.allclose(jax.jit(jax.hessian(ours))(x), expected, rtol=1e-12, atol=1e-14), i


def test_gradients_over_tuple_axes_and_keepdims():
    rng = np.random.default_rng(8)
    x = jnp.asarray(rng.standard_normal((2, 3, 4)))
    for axis in ((0, 2), None):
        for keepdims in (False, True):
            w = jnp.asarray(rng.standard_normal(K.logsumexp(x, axis=axis, keepdims=keepdims).shape))
            got = jax.jit(jax.grad(lambda x: jnp.sum(w * K.logsumexp(x, axis=axis, keepdims=keepdims))))(x)
            expected = jax.jit(jax.grad(lambda x: jnp.sum(w * jax.nn.logsumexp(x, axis=axis, keepdims=keepdims))))(x)
            assert np.allclose(got, expected, rtol=1e-12, atol=1e-14), (axis, keepdims)
        v = jnp.asarray(rng.standard_normal(x.shape))
        for ours, peer in ((K.softmax, jax.nn.softmax), (K.log_softmax, jax.nn.log_softmax)):
            got = jax.jit(jax.grad(lambda x: jnp.sum(v * ours(x, axis=axis))))(x)
            expected = jax.jit(jax.grad(lambda x: jnp.sum(v * peer(x, axis=axis))))(x)
            assert np.allclose(got, expected, rtol=1e-12, atol=1e-14), (ours, axis)


def peer_cross_entropy(z, y):
    return jax.nn.logsumexp(z, axis=-1) - jnp.take_along_axis(z, y[..., None], axis=-1)[..., 0]


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    rng = np.random.default_rng(9)
    z = jnp.asarray(rng.standard_normal((4, 6)) * 3)
    y = jnp.array([0, 5, 2, 2])
    w = jnp.asarray(rng.standard_normal(4))
    got = jax.grad(lambda z: jnp.sum(w * K.softmax_cross_entropy(z, y)))(z)
    assert np.allclose(got, jax.grad(lambda z: jnp.sum(w * peer_cross_entropy(z, y)))(z), rtol=1e-12, atol=1e-14)
    assert np.allclose(got, w[:, None] * K.softmax_cross_entropy_grad(z, y), rtol=1e-14, atol=0)
    assert np.allclose(got, numeric_gradient(lambda z: jnp.sum(w * K.softmax_cross_entropy(z, y)), z), rtol=1e-6, atol=1e-8)
    assert np.allclose(jax.jit(jax.grad(lambda z, y: jnp.sum(K.softmax_cross_entropy(z, y))))(z, y),
                       K.softmax_cross_entropy_grad(z, y), rtol=1e-14, atol=0)
    # a confident right prediction: -s/(1 + s) at the target, not p - 1 (which keeps ~7 digits here)
    row = [30.0, 0.0, -5.0]
    g = jax.grad(lambda z: K.softmax_cross_entropy(z, 0))(jnp.array(row))
    p = reference(row)[2]
    assert ulps(g[0], -(p[1] + p[2])) <= 2 and ulps(g[1], p[1]) <= 3


def test_gradients_stay_finite_where_jaxs_are():
    for f, peer in ((K.logsumexp, jax.nn.logsumexp), (K.softmax, jax.nn.softmax), (K.log_softmax, jax.nn.log_softmax)):
        for row in ([1000.0, 0.0], [-1000.0, 0.0, 1e4], [88.0, -88.0], [1e30, 0.0]):
            x = jnp.array(row, dtype=F32)
            ours = jax.jit(jax.grad(lambda x: jnp.sum(jnp.arange(1.0, 1 + len(row), dtype=F32) * f(x))))(x)
            theirs = jax.jit(jax.grad(lambda x: jnp.sum(jnp.arange(1.0, 1 + len(row), dtype=F32) * peer(x))))(x)
            assert bool(jnp.all(jnp.isfinite(theirs))) and bool(jnp.all(jnp.isfinite(ours))), (f, row, ours)
            assert np.allclose(ours, theirs, rtol=1e-6, atol=1e-30), (f, row, ours, theirs)
    g = jax.grad(lambda z: K.softmax_cross_entropy(z, 0))(jnp.array([1000.0, 0.0], dtype=F32))
    assert bool(jnp.all(jnp.isfinite(g)))


def test_gradients_at_k_inf_are_the_limit():
    x = jnp.array([1.0, 3.0, 3.0, -inf])
    assert jax.grad(lambda x: K.logsumexp(x, k=inf))(x).tolist() == [0.0, 0.5, 0.5, 0.0]  # one-hot split among ties
    unique = jnp.array([1.0, 3.0, 2.0])
    assert jax.grad(lambda x: jnp.sum(jnp.arange(3.0) * K.softmax(x, k=inf)))(unique).tolist() == [0.0, 0.0, 0.0]
    # at tied maxima the one-hot jumps: no derivative, NaN (k p (delta - p) has no limit there)
    assert bool(jnp.all(jnp.isnan(jax.grad(lambda x: jnp.sum(jnp.arange(4.0) * K.softmax(x, k=inf)))(x))))


def test_gradients_of_non_finite_rows_are_nan():
    g = jax.grad(lambda x: jnp.sum(K.logsumexp(x, axis=-1)))(jnp.array([[inf, 0.0], [nan, 1.0], [0.0, 1.0]]))
    assert bool(jnp.all(jnp.isnan(g[:2]))) and bool(jnp.all(jnp.isfinite(g[2])))


def test_vmap_and_jit_give_the_eager_bits():
    x = jnp.asarray(np.random.default_rng(10).standard_normal((4, 7)))
    y = jnp.array([0, 1, 6, 3])
    for name, call in CALLS.items():
        assert np.array_equal(jax.jit(call)(x), call(x)), name
    assert np.array_equal(jax.vmap(lambda r: K.logsumexp(r))(x), K.logsumexp(x, axis=-1))
    assert np.array_equal(jax.vmap(K.softmax_cross_entropy)(x, y), K.softmax_cross_entropy(x, y))
    assert np.array_equal(jax.jit(lambda x: K.softmax(x, axis=0, k=2.0))(x), K.softmax(x, axis=0, k=2.0))


# -- the elementwise helpers, through functions printed as export.py prints them -------------------------------------------


PRINTED = '''
def softplus(x, k=1):
    (x,), _dtype = _elementwise_inputs(x=x)
    k = _positive(k, 'k', infinite=True)
    def _value(x):
        return _at_infinity(k, lambda: _maximum(x, 0) + jnp.log1p(jnp.exp(-k*jnp.abs(x)))/k, lambda: _maximum(x, 0))
    def _derivatives(x):
        return (_at_infinity(k, lambda: jnp.exp(_minimum(k*x, 0))/(1 + jnp.exp(-k*jnp.abs(x))), lambda: _maximum(jnp.sign(x), 0)),)
    return _verified(_value, _derivatives, (x,), _dtype)


def sigmoid(x):
    (x,), _dtype = _elementwise_inputs(x=x)
    def _value(x):
        return jnp.exp(_minimum(x, 0))/(1 + jnp.exp(-jnp.abs(x)))
    return _autodiff(_value, (x,), _dtype)


def smooth_max(x, y, k=1):
    (x, y,), _dtype = _elementwise_inputs(x=x, y=y)
    k = _positive(k, 'k')
    def _value(x, y):
        return _settle(_maximum(x, y) + jnp.log1p(jnp.exp(-k*jnp.abs(x - y)))/k, lambda x, y: jnp.log(jnp.exp(k*x) + jnp.exp(k*y))/k, x, y)
    def _derivatives(x, y):
        return (1/(1 + jnp.exp(-k*(x - y))), None)
    return _verified(_value, _derivatives, (x, y), _dtype)
'''


@pytest.fixture(scope="module")
def printed():
    """The printed functions, run in the kernel module's namespace as in an exported module."""
    namespace = {name: value for name, value in vars(K).items() if name.startswith("_") or name in ("jax", "jnp", "math")}
    exec(PRINTED, namespace)
    return namespace


def test_printed_values_dtypes_and_limits(printed):
    softplus, sigmoid, smooth_max = printed["softplus"], printed["sigmoid"], printed["smooth_max"]
    assert float(softplus(40.0)) == 40.0 + math.log1p(math.exp(-40.0)) and softplus(0.5).dtype == F64  # Python numbers: x64's default
    assert softplus(jnp.float32(2.0)).dtype == F32 and softplus(jnp.array([1.0], dtype=F16)).dtype == F16
    assert smooth_max(jnp.ones(2, dtype=F32), 0.5).dtype == F32  # a Python number is weak
    assert softplus(jnp.array([-2.0, 0.0, 3.0]), k=inf).tolist() == [0.0, 0.0, 3.0]
    assert float(sigmoid(-700.0)) == float(np.exp(-700.0) / (1 + np.exp(-700.0)))
    assert float(smooth_max(inf, inf)) == inf  # the stable form meets inf - inf: the naive form settles it
    assert float(smooth_max(inf, 1.0)) == inf and float(smooth_max(-inf, 1.0)) == 1.0
    for value in (softplus(nan), sigmoid(nan), smooth_max(nan, 1.0), smooth_max(1.0, nan)):
        assert math.isnan(float(value))
    assert math.isnan(float(printed["_maximum"](nan, 1.0))) and math.isnan(float(printed["_minimum"](1.0, nan)))


def test_printed_gradients_against_finite_differences_and_shapes(printed):
    softplus, sigmoid, smooth_max = printed["softplus"], printed["sigmoid"], printed["smooth_max"]
    x = jnp.asarray(np.random.default_rng(11).standard_normal(5) * 3)
    h = 1e-6
    for f in (lambda x: softplus(x, k=2.5), sigmoid):  # elementwise: all central differences at once
        got = jax.jit(jax.grad(lambda x: jnp.sum(f(x))))(x)
        assert np.allclose(got, (f(x + h) - f(x - h)) / (2 * h), rtol=1e-7, atol=1e-10)
    assert np.allclose(jax.grad(lambda x: jnp.sum(softplus(x)))(x), jax.nn.sigmoid(x), rtol=1e-14)  # eagerly: the verified one
    a, b = jnp.asarray(np.random.default_rng(12).standard_normal((3, 1))), jnp.linspace(-1.0, 1.0, 4)
    ga, gb = jax.jit(jax.grad(lambda a, b: jnp.sum(smooth_max(a, b, k=2.0)), argnums=(0, 1)))(a, b)
    assert ga.shape == (3, 1) and gb.shape == (4,)  # summed back to each input's shape
    full = jnp.broadcast_arrays(a, b)
    assert np.allclose(ga[:, 0], jnp.sum(jax.nn.sigmoid(2.0 * (full[0] - full[1])), axis=1), rtol=1e-14)
    assert np.allclose(gb, jnp.sum(jax.nn.sigmoid(2.0 * (full[1] - full[0])), axis=0), rtol=1e-12)  # y: jax's autodiff
    assert np.allclose(jax.jit(jax.grad(lambda x: jnp.sum(softplus(x))))(x), jax.nn.sigmoid(x), rtol=1e-14)
    at = jax.jit(jax.vmap(jax.grad(lambda x: softplus(x))))(jnp.array([1000.0, -1000.0]))
    assert at.tolist() == [1.0, 0.0]


def test_helper_errors_name_the_argument(printed):
    softplus, smooth_max = printed["softplus"], printed["smooth_max"]
    with pytest.raises(ValueError, match=r"the shapes of x \(2,\), y \(3,\) do not broadcast together"):
        smooth_max(jnp.ones(2), jnp.ones(3))
    with pytest.raises(TypeError, match="y must be an array of real numbers, not of dtype complex"):
        smooth_max(1.0, jnp.array(1j))
    with pytest.raises(ValueError, match="k must be positive and finite, not -1"):
        smooth_max(1.0, 2.0, k=-1)
    with pytest.raises(ValueError, match="k must be positive and finite, not inf"):
        smooth_max(1.0, 2.0, k=inf)
    with pytest.raises(ValueError, match=r"k must be positive \(inf for the limit\), not nan"):
        softplus(1.0, k=nan)
    with pytest.raises(ValueError, match="no verified derivative in k"):
        jax.grad(lambda k: softplus(1.0, k=k))(2.0)
    assert printed["_positive"](jnp.array(2.0), "k") == 2.0 and printed["_positive"](inf, "k", infinite=True) == inf


def test_the_kernel_file_follows_the_export_rules():
    """What export.py copies: no public docstrings, one-line public headers, no framework state changed."""
    import ast
    import inspect

    source = inspect.getsource(K)
    tree = ast.parse(source)
    imports = [ast.get_source_segment(source, n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert imports == ["import math", "import jax", "import jax.numpy as jnp"]
    public = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    assert sorted(n.name for n in public) == sorted(CALLS)
    for node in public:
        assert ast.get_docstring(node) is None, node.name
        assert source.splitlines()[node.lineno - 1].rstrip().endswith(":"), node.name  # a one-line header
    assert "config.update" not in source.split('"""', 2)[2]


def test_the_file_assembled_as_export_does_works():
    """The module export.py writes: the three imports, every top-level statement but the docstring
    and the imports (ast source segments), a docstring inserted after each public header."""
    import ast
    import inspect
    import types

    source = inspect.getsource(K)
    tree = ast.parse(source)
    parts = ["import math\nimport jax\nimport jax.numpy as jnp\n"]
    for node in tree.body[1:]:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        text = ast.get_source_segment(source, node, padded=True)
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            header, rest = text.split("\n", 1)
            text = f'{header}\n    """(inserted docstring)"""\n{rest}'
        parts.append(text)
    module = types.ModuleType("exported_jax")
    exec(compile("\n\n\n".join(parts), "exported_jax", "exec"), module.__dict__)
    x = jnp.array([[0.0, -40.0], [1.0, 2.0]])
    assert module.logsumexp.__doc__ == "(inserted docstring)"
    assert float(module.logsumexp(x[0])) == 4.2483542552915889e-18
    for name in CALLS:  # the rules were registered: the same derivatives as the kernel module's
        f, g = getattr(module, name), getattr(K, name)
        args = (x, jnp.array([0, 1])) if "entropy" in name else (x,)
        assert np.array_equal(jax.grad(lambda x: jnp.sum(jnp.cos(f(x, *args[1:]))))(x),
                              jax.grad(lambda x: jnp.sum(jnp.cos(g(x, *args[1:]))))(x)), name
