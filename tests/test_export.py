"""`smoothsym export`: the exported module as a user gets it, checked against mpmath at 50 digits.

The module is written once (the stable forms of ``derivations/stable_forms.py`` and the code's
own formulas, ``derivations/export_forms.py``; numpy target) and imported from the written file;
one test imports it in a fresh interpreter to show that it needs no SymPy. Accuracy is relative:
ULPs of the true result (mpmath, written here independently of the derivation), allowed to grow
with the problem's condition number kappa = sum |x_i df/dx_i| / |f| (what rounding the inputs
costs any algorithm): the goal is <= ULP_GOAL * max(1, kappa). The issue-11 guarantees (float32,
float16, batch invariance, scipy's semantics, the new functions) are in test_export_numpy.py.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from smoothsym import PROFILES, lambdified
from smoothsym.cli import main
from smoothsym.export import ExportError, build, export, exports_of, load_source, module_source
from shared_verification import verified

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_export_shared import written_module  # noqa: E402  (one export for both test files)

ROOT = Path(__file__).resolve().parents[1]
STABLE = str(ROOT / "derivations" / "stable_forms.py")
FORMS = str(ROOT / "derivations" / "export_forms.py")
FAST = PROFILES["default"]
ULP_GOAL = 3.0
mp = mpmath.mp


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def exported():
    """The module written by `smoothsym export` (the command line), imported from its file."""
    return written_module()


@pytest.fixture(scope="session")
def verified_exports():
    return exports_of(verified([STABLE, FORMS], FAST))  # once in the session (tests/shared_verification.py)


# -- reference values, written independently of the derivation -----------------------------------


def ulps(computed, exact, scale=None, dtype=np.float64) -> float:
    """|computed - exact| in units of the spacing of ``dtype`` at |exact| (the true result; the
    smallest subnormal at 0), or at ``scale`` when given (an absolute error, e.g. ULP of 1)."""
    computed = float(computed)
    at = abs(float(exact)) if scale is None else abs(float(scale))
    spacing = float(np.spacing(np.array(at, dtype=dtype)))
    if spacing == 0 or not np.isfinite(spacing):
        spacing = float(np.finfo(dtype).smallest_subnormal)
    if computed == float(exact):
        return 0.0
    with mpmath.workdps(60):
        return float(abs(mpmath.mpf(computed) - mpmath.mpf(exact)) / spacing)


def lse_condition(row, k=1.0) -> float:
    """kappa of LSE at row: sum |x_i| softmax_i / |LSE| (the gradient of LSE is the softmax)."""
    with mpmath.workdps(50):
        p = mp_softmax(row, k)
        value = mp_lse(row, k)
        spread = mpmath.fsum(abs(mpmath.mpf(v)) * w for v, w in zip(row, p) if w)
        return float(spread / abs(value)) if value else (0.0 if spread == 0 else np.inf)


def within(computed, exact, kappa=1.0, dtype=np.float64) -> bool:
    return ulps(computed, exact, dtype=dtype) <= ULP_GOAL * max(1.0, kappa)


def mp_lse(row, k=1.0):
    """LSE_k at 50 digits: shifted by the max, and the max's own term 1 kept out of the sum, or
    ln(1 + 1e-200) would round to 0 even at 50 digits."""
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(v)) for v in row]
        top, k = max(values), mpmath.mpf(k)
        pivot = values.index(top)
        rest = mpmath.fsum(mpmath.exp(k * (v - top)) for j, v in enumerate(values) if j != pivot)
        return top + mpmath.log1p(rest) / k


def mp_cross_entropy(row, y):
    """-ln softmax_y(row) = (M - z_y) + ln(1 + rest) at 50 digits (not LSE - z_y: LSE rounds
    relative to M, and the loss of a confident right prediction is far smaller)."""
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(v)) for v in row]
        top = max(values)
        pivot = values.index(top)
        rest = mpmath.fsum(mpmath.exp(v - top) for j, v in enumerate(values) if j != pivot)
        return (top - values[y]) + mpmath.log1p(rest)


def mp_softmax(row, k=1.0):
    with mpmath.workdps(50):
        terms = [mpmath.exp(mpmath.mpf(k) * mpmath.mpf(float(v))) for v in row]
        total = mpmath.fsum(terms)
        return [t / total for t in terms]


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
scaled = st.one_of(finite, st.floats(-3, 3), st.floats(-800, 800))
sharpness = st.sampled_from([1.0, 0.5, 7.0, 1e-3, 1e3])
rows = st.lists(scaled, min_size=1, max_size=8)


# -- the written module -----------------------------------------------------------------------------


def test_the_written_module_imports_without_sympy(exported):
    path, _ = exported
    script = textwrap.dedent(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("m", {str(path)!r})
        m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
        heavy = sorted(n for n in sys.modules if n.split(".")[0] in ("sympy", "mpmath", "smoothsym", "scipy"))
        print(heavy, float(m.logsumexp([1000.0, 1000.0])))
    """)
    out = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=str(path.parent))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[]", "1000.6931471805599"]


def test_every_seed_function_is_exported_with_its_verdict_and_accuracy(exported):
    _, m = exported
    assert sorted(m.__all__) == [
        "binary_cross_entropy_with_logits", "log_sigmoid", "log_softmax", "logsumexp", "sigmoid", "smooth_abs",
        "smooth_max", "softmax", "softmax_cross_entropy", "softmax_cross_entropy_grad", "softplus",
    ]
    doc = m.softplus.__doc__
    assert "softplus(x, k) = Max(0, x) + log1p(exp(-k*Abs(x)))/k" in doc
    assert "From derivation 'stable-forms'" in doc and "Verified: proved" in doc  # log1p is proved through log(1 + z)
    assert "Accuracy (numpy, against mpmath at 50 digits, relative: ULPs of the true result):" in doc
    for dtype in ("float64", "float32", "float16"):
        assert f"  {dtype} " in doc and "ULP per unit condition number" in doc
    assert "Naive form (not the code): log(exp(k*x) + 1)/k" in doc
    lse = m.logsumexp.__doc__
    assert "Verified: proved" in lse and "From derivation 'export-forms'" in lse and "log1p(Sum(" in lse


def test_the_naive_forms_overflow_where_the_exports_do_not(exported):
    _, m = exported
    x = np.array([[1000.0, 999.0, -1e5], [1e5, 1e5, 1e5]])
    with np.errstate(all="ignore"):
        naive = np.log(np.exp(x).sum(axis=-1))
    assert not np.isfinite(naive).any()
    assert np.isfinite(m.logsumexp(x, axis=-1)).all()
    assert np.isfinite(m.softmax(x, axis=-1)).all() and np.allclose(m.softmax(x, axis=-1).sum(axis=-1), 1)
    assert np.isfinite(m.softplus(np.array([1e5, -1e5]))).all()


# -- accuracy against mpmath (property-based): relative, per unit condition number ---------------------


def softmax_condition(row, i, k=1.0) -> float:
    """kappa of softmax_i: k(|x_i|(1 - p_i) + sum_{j != i} |x_j| p_j)."""
    p = mp_softmax(row, k)
    with mpmath.workdps(50):
        rest = mpmath.fsum(w for j, w in enumerate(p) if j != i)
        others = mpmath.fsum(abs(mpmath.mpf(v)) * w for j, (v, w) in enumerate(zip(row, p)) if j != i)
        return float(k * (abs(mpmath.mpf(row[i])) * rest + others))


@settings(max_examples=300, deadline=None)
@given(rows, sharpness)
def test_logsumexp_relative_error(exported, row, k):
    _, m = exported
    exact = mp_lse(row, k)
    assert within(m.logsumexp(np.array(row), k=k), exact, lse_condition(row, k))


@settings(max_examples=300, deadline=None)
@given(scaled, scaled, sharpness)
def test_smooth_max_relative_error(exported, x, y, k):
    _, m = exported
    assert within(m.smooth_max(x, y, k), mp_lse([x, y], k), lse_condition([x, y], k))


@settings(max_examples=300, deadline=None)
@given(scaled, sharpness)
def test_softplus_and_smooth_abs_relative_error(exported, x, k):
    _, m = exported
    assert within(m.softplus(x, k), mp_lse([x, 0.0], k), lse_condition([x, 0.0], k))
    assert within(m.smooth_abs(x, k), mp_lse([x, -x], k), lse_condition([x, -x], k) + 1)  # x twice: one more


@settings(max_examples=200, deadline=None)
@given(rows, sharpness)
def test_softmax_relative_error(exported, row, k):
    _, m = exported
    computed = m.softmax(np.array(row), k=k)
    for i, (c, e) in enumerate(zip(computed, mp_softmax(row, k))):
        assert within(c, e, softmax_condition(row, i, k)), i


@settings(max_examples=200, deadline=None)
@given(rows.filter(lambda r: len(r) >= 2), st.data())
def test_cross_entropy_and_gradient(exported, row, data):
    """The cross-entropy in ULPs of itself; its gradient entries in ULP of 1 (they are
    differences of probabilities; test_export_numpy checks the target entry relatively)."""
    _, m = exported
    y = data.draw(st.integers(0, len(row) - 1))
    with mpmath.workdps(50):
        exact = mp_cross_entropy(row, y)
        p = mp_softmax(row)
        # |z_y| (1 - p_y) as |z_y| times the others' sum: 1 - p_y cancels at 50 digits when p_y is near 1
        spread = abs(mpmath.mpf(row[y])) * mpmath.fsum(w for j, w in enumerate(p) if j != y) + mpmath.fsum(
            abs(mpmath.mpf(v)) * w for j, (v, w) in enumerate(zip(row, p)) if j != y)
    computed = m.softmax_cross_entropy(np.array(row), y)
    kappa = float(spread / exact) if exact else np.inf
    assert within(computed, exact, kappa)
    gradient = m.softmax_cross_entropy_grad(np.array(row), y)
    expected = mp_softmax(row)
    expected[y] -= 1
    for c, e in zip(gradient, expected):
        assert ulps(c, e, 1.0) <= ULP_GOAL


def test_a_large_batch_of_rows_takes_every_path_accurately(exported):
    """Rows of 7 (column by column), 30 and 200 entries (argmax and numpy's .sum), narrow and wide."""
    _, m = exported
    rng = np.random.default_rng(5)
    for n in (7, 30, 200):
        for spread in (1.0, 1e5):
            x = rng.standard_normal((30, n)) * spread
            for k in (1.0, 3.0):
                got = m.logsumexp(x, axis=-1, k=k)
                assert isinstance(m.logsumexp(x[0], k=k), float)  # one row alone: a number
                for row, value in zip(x, got):
                    assert within(value, mp_lse(row, k), lse_condition(row, k))


def test_small_rows_beside_large_ones_keep_their_own_accuracy(exported):
    """[0.1, 0.2] next to rows of -1000 and 190 once lost 804 ULP of its own scale (one shift
    for the block); now every row is shifted by its own max."""
    _, m = exported
    rng = np.random.default_rng(7)
    for far in ([-1000.0, 190.0], [1e4, 1e4 + 3], [-5e3, -4e3]):
        x = np.vstack([rng.standard_normal((50, 2)) * 0.3, np.array([[far[0]] * 2, [far[1]] * 2])])
        for row, value in zip(x, m.logsumexp(x, axis=1)):
            assert within(value, mp_lse(row), lse_condition(row)), row


def test_ties_and_tiny_differences(exported):
    _, m = exported
    for base in (0.0, 1.0, -700.0, 1e5):
        for row in ([base] * 5, [base, np.nextafter(base, np.inf), base]):
            assert within(m.logsumexp(np.array(row)), mp_lse(row), lse_condition(row))
        assert within(m.smooth_max(base, base), mp_lse([base, base]), lse_condition([base, base]))


# -- the verified expressions and the templates agree --------------------------------------------


def test_each_template_matches_its_verified_instances(exported, verified_exports):
    """The template's output against each of its steps' own verified right sides, n = 2..8, at 50
    digits (for a pivoted form, with the pivot x_1 = the row's max: the rows are reordered so)."""
    import sympy as sp

    _, m = exported
    rng = np.random.default_rng(1)
    templates = [e for e in verified_exports if e.reduction is not None]
    assert {e.name for e in templates} == {
        "logsumexp", "softmax", "log_softmax", "softmax_cross_entropy", "softmax_cross_entropy_grad"}
    for e in templates:
        for source in (e, *e.also):
            for n in range(2, 9):
                _, rhs = source.instance(n)
                ks = [s for s in rhs.free_symbols if s.name == "k"]
                variables = sorted((s for s in rhs.free_symbols if s.name != "k"), key=lambda s: int(s.name.split("_")[1]))
                f = sp.lambdify(variables + ks, rhs, "mpmath")
                x = rng.standard_normal((20, n)) * 50
                x[:, 0] = x.max(axis=1) + 1.0  # x_1 the max: the pivot the code takes
                k = 2.0 if ks else 1.0
                target = n - 1 if "cross_entropy" in e.name and source.derivation == "export-forms" else 0
                if "grad" in e.name:
                    target = 0
                y = np.full(20, target)
                out = getattr(m, e.name)(x, axis=-1, k=k) if e.reduction.takes_k else getattr(m, e.name)(x, y)
                entry = n - 1 if (e.name == "log_softmax") else 0
                for row, value in zip(x, out):
                    value = value[entry] if e.reduction.output == "entries" else value
                    with mpmath.workdps(50):
                        exact = f(*map(mpmath.mpf, row), *([mpmath.mpf(k)] if ks else []))
                    assert ulps(value, exact, max(abs(float(exact)), 1.0)) <= ULP_GOAL, (e.name, source.derivation, n, row)


# -- infinities, NaN, empty arrays, integers ---------------------------------------------------------


def test_infinities_and_nan_follow_scipy(exported):
    _, m = exported
    inf, nan = np.inf, np.nan
    x = np.array([[-inf, -inf], [1.0, inf], [-inf, 2.0], [nan, 1.0], [3.0, 4.0]])
    got = m.logsumexp(x, axis=1)
    assert got[0] == -inf and got[1] == inf and got[2] == 2.0 and np.isnan(got[3])
    assert within(got[4], mp_lse([3.0, 4.0]))  # a finite row beside them stays exact
    assert m.smooth_max(inf, inf) == inf and m.smooth_max(-inf, -inf) == -inf and m.smooth_max(-inf, 1.0) == 1.0
    assert np.isnan(m.smooth_max(nan, 1.0))
    assert m.softplus(inf) == inf and m.softplus(-inf) == 0.0 and m.smooth_abs(-inf, 1) == inf
    assert m.softmax(np.array([-inf, 0.0])).tolist() == [0.0, 1.0]


def test_empty_arrays_and_integer_dtypes(exported):
    _, m = exported
    assert m.logsumexp(np.empty((3, 0)), axis=1).tolist() == [-np.inf] * 3
    assert m.logsumexp(np.empty((0, 4)), axis=1).shape == (0,)
    assert m.softmax(np.empty((2, 0)), axis=1).shape == (2, 0)
    assert m.softplus(np.array([], dtype=float)).shape == (0,)
    ints = np.array([[1, 2, 3], [7, 7, 7]], dtype=np.int64)
    assert np.array_equal(m.logsumexp(ints, axis=1), m.logsumexp(ints.astype(float), axis=1))
    assert np.array_equal(m.softplus(np.arange(-3, 4)), m.softplus(np.arange(-3.0, 4.0)))
    assert m.softmax_cross_entropy(np.array([[0, 0]]), np.array([1])).tolist() == [np.log(2)]


def test_axis(exported):
    _, m = exported
    x = np.random.default_rng(2).standard_normal((3, 4, 5))
    for axis in (0, 1, 2, -1, -3, (0, 2), (1, -1), None):
        assert np.allclose(m.logsumexp(x, axis=axis), np.log(np.exp(x).sum(axis=axis)))
        assert np.allclose(m.softmax(x, axis=axis), np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True))
        assert np.allclose(m.log_softmax(x, axis=axis), np.log(np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)))
        assert m.logsumexp(x, axis=axis, keepdims=True).shape == np.exp(x).sum(axis=axis, keepdims=True).shape


# -- bad input: an error naming the argument --------------------------------------------------------------


@pytest.mark.parametrize("call, error, text", [
    (lambda m: m.smooth_max(np.ones(2), np.ones(3)), ValueError, "x (2,), y (3,), k () do not broadcast"),
    (lambda m: m.logsumexp(np.ones((2, 3)), axis=2), np.exceptions.AxisError, "axis 2 is out of bounds for array of dimension 2"),
    (lambda m: m.softmax(np.ones(3), axis="last"), TypeError, "axis must be None, an integer or a tuple of integers"),
    (lambda m: m.logsumexp(np.ones((2, 3)), axis=(1, -1)), ValueError, "axis 1 is repeated"),
    (lambda m: m.logsumexp(["a", "b"]), TypeError, "x must be an array of real numbers"),
    (lambda m: m.softplus(np.array([1j])), TypeError, "x must be an array of real numbers"),
    (lambda m: m.logsumexp([1.0], k=-1), ValueError, "k must be one positive number"),
    (lambda m: m.softmax([1.0], k=0), ValueError, "k must be one positive number"),
    (lambda m: m.softplus([1.0], k=0), ValueError, "k must be positive (inf for the limit), not 0.0"),
    (lambda m: m.smooth_max([1.0], 2.0, k=np.array([1.0, -1.0])), ValueError, "k must be positive (inf for the limit)"),
    (lambda m: m.softplus([1.0], k=np.nan), ValueError, "k must be positive (inf for the limit), not nan"),
    (lambda m: m.softmax_cross_entropy(np.ones((2, 3)), np.array([0.5, 1.0])), TypeError, "y must be integer class indices"),
    (lambda m: m.softmax_cross_entropy(np.ones((2, 3)), np.array([0, 1, 2])), ValueError, "y has shape (3,)"),
    (lambda m: m.softmax_cross_entropy_grad(np.ones((2, 3)), np.array([0, 3])), ValueError, "y must be class indices in 0..2"),
])
def test_bad_input_names_the_argument(exported, call, error, text):
    _, m = exported
    with pytest.raises(error) as info:
        call(m)
    assert text in str(info.value)


def test_unknown_name_or_target(tmp_path, capsys):
    out = tmp_path / "m.py"
    out.write_text("keep me\n")
    assert main(["export", STABLE, "-o", str(out), "--only", "softmin"]) == 2
    assert "no export named 'softmin'; known: logsumexp," in capsys.readouterr().err
    assert main(["export", STABLE, "-o", str(out), "--target", "fortran"]) == 2
    assert "unknown target 'fortran'; choose one of numpy, math, mpmath" in capsys.readouterr().err
    assert out.read_text() == "keep me\n"  # nothing half-written, nothing replaced


# -- the user's own derivations ----------------------------------------------------------------------------

USER = '''
from sympy import Max, Symbol, exp, log
from smoothsym import Derivation, Given, Rewrite
x = Symbol("x", real=True)
t = Symbol("t", positive=True)
derivation = Derivation(name="my-softplus", title="t", symbols=(x, t), steps=[
    Given(t * log(1 + exp(x / t))),
    Rewrite(t * log(1 + exp(-abs(x) / t)) + Max(x, 0), export="temperature_softplus(x, t=1)"),
    {wrong}
])
'''


def test_a_user_exports_their_own_derivation_with_one_command(tmp_path):
    source = tmp_path / "mine.py"
    source.write_text(USER.format(wrong=""))
    out = tmp_path / "mine_numpy.py"
    assert main(["export", str(source), "-o", str(out)]) == 0
    m = _load(out)
    assert ulps(m.temperature_softplus(1000.0, t=0.5), 1000.0, 1000.0) == 0
    assert "From derivation 'my-softplus'" in m.temperature_softplus.__doc__


def test_a_refuted_step_is_never_exported_and_the_rest_of_the_file_still_is(tmp_path, capsys):
    source = tmp_path / "wrong.py"
    source.write_text(USER.format(wrong='Given(log(1 + exp(x))), Rewrite(Max(x, 0), export="relu"),'))
    out = tmp_path / "out.py"
    assert main(["export", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert re.search(r"refused relu: .*wrong\.py:\d+, derivation 'my-softplus', step \d+: will not export 'relu': step \d+ is refuted", err)
    m = _load(out)
    assert not hasattr(m, "relu") and m.temperature_softplus(0.0, t=1.0) == np.log(2)
    assert "Not exported (refused):" in m.__doc__ and "relu" in m.__doc__
    assert main(["export", str(source), "-o", str(out), "--strict"]) == 1  # --strict: a refusal fails the run
    with pytest.raises(ExportError, match=r"will not export 'relu': step \d+ is refuted"):
        build([str(source)], names=("relu",), settings=FAST)  # asked for by name: all or nothing


def test_math_and_mpmath_targets(verified_exports):
    for target in ("math", "mpmath"):
        m = load_source(module_source(verified_exports, target))
        assert float(m.softplus(1000.0)) == 1000.0
        assert float(m.logsumexp([1000, 1000])) == float(np.float64(1000) + np.log(2))
        assert float(m.smooth_max(float("inf"), float("inf"))) == float("inf")
        with pytest.raises(TypeError, match="x must be a real number"):
            m.softplus("1")


def test_lambdified_returns_the_callable():
    f = lambdified("softplus", STABLE)
    assert f(np.array([0.0])).tolist() == [np.log(2)]
    assert "Verified: proved (" in f.__doc__


def test_a_form_that_overflows_is_refused(tmp_path):
    """tanh(x) = 2/(1 + e^{-2x}) - 1 is true, but e^{-2x} overflows at x = -1000 where tanh is -1:
    the naive form is never shipped."""
    (tmp_path / "tanh_sig.py").write_text(
        "from sympy import Symbol, exp, tanh\n"
        "from smoothsym import Derivation, Given, Rewrite\n"
        "x = Symbol('x', real=True)\n"
        "derivation = Derivation(name='tanh-sig', title='tanh', symbols=(x,), steps=[\n"
        "    Given(tanh(x)), Rewrite(2/(1 + exp(-2*x)) - 1, label='t', export='tanh_from_sigmoid(x)')])\n"
    )
    out = tmp_path / "out.py"
    with pytest.raises(ExportError, match="nothing exported: tanh_from_sigmoid: .*tanh_sig.py:5, derivation 'tanh-sig', "
                                          "step 2: tanh_from_sigmoid is not numerically stable as written"):
        export([str(tmp_path)], str(out), target="math")
    assert not out.exists()


def test_one_unstable_function_is_refused_and_the_rest_of_its_file_exported(tmp_path, capsys):
    """Issue 12, item 9: export is per function, not all or nothing per file."""
    (tmp_path / "two.py").write_text(
        "from sympy import Symbol, exp, tanh, log, Max, Abs\n"
        "from sympy.codegen.cfunctions import log1p\n"
        "from smoothsym import Derivation, Given, Rewrite\n"
        "x = Symbol('x', real=True)\n"
        "derivation = Derivation(name='two', title='two', symbols=(x,), steps=[\n"
        "    Given(tanh(x)), Rewrite(2/(1 + exp(-2*x)) - 1, label='t', export='tanh_from_sigmoid(x)'),\n"
        "    Given(log(1 + exp(x))), Rewrite(Max(x, 0) + log1p(exp(-Abs(x))), label='s', export='my_softplus(x)')])\n"
    )
    out = tmp_path / "out.py"
    assert main(["export", str(tmp_path / "two.py"), "--target", "math", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "refused tanh_from_sigmoid: " in captured.err and "not numerically stable as written" in captured.err
    assert "wrote 1 functions" in captured.out and "1 refused" in captured.out
    m = _load(out)
    assert m.my_softplus(1000.0) == 1000.0 and not hasattr(m, "tanh_from_sigmoid")
