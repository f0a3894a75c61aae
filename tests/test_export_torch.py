"""The torch target of `smoothsym export`: the kernel file smoothsym/kernels_torch.py, checked directly.

Organised by what a user sees: values against mpmath at 50 digits (float32 and float64, in ULPs of
the true result, allowed to grow with the condition number kappa = sum |x_i df/dx_i| / |f|: 2 ULP
for logsumexp, log_softmax and the loss, 3 for softmax and the loss's gradient, see ULP_QUOTIENT), SciPy's
own facts, the dtype kept, scipy.special's +-inf/NaN rows, batch invariance, k = inf, the errors;
then the backward passes (the verified derivatives: gradcheck, torch's own gradients, finite
where torch's are, the accurate ones where torch's cancel); then the elementwise helpers that the
printed functions call, through a softplus, a smooth max and a sigmoid written as export prints them.
"""

import pytest
torch = pytest.importorskip("torch", reason="the torch export extra is not installed: pip install -e '.[frameworks]'")

import ast  # noqa: E402
import doctest  # noqa: E402
import inspect  # noqa: E402
import math  # noqa: E402
from pathlib import Path  # noqa: E402

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from smoothsym import kernels_torch as K  # noqa: E402

inf, nan = math.inf, math.nan
F32, F64 = torch.float32, torch.float64


@pytest.fixture(autouse=True)
def seeded():
    """Every test's random tensors the same in every run (a failure can be replayed)."""
    torch.manual_seed(2026)


def T(values, dtype=F64, **kw):
    return torch.tensor(values, dtype=dtype, **kw)


# -- the file as export.py copies it --------------------------------------------------------------


SIGNATURES = {
    "logsumexp": "(x, dim=-1, keepdim=False, *, k=1)",
    "softmax": "(x, dim=-1, *, k=1)",
    "log_softmax": "(x, dim=-1, *, k=1)",
    "softmax_cross_entropy": "(z, y)",
    "softmax_cross_entropy_grad": "(z, y)",
}


def test_the_kernel_file_keeps_the_contract_of_export():
    """Only `import math` and `import torch` at the top (the exported module's own imports); public
    functions exactly the five, each with a one-line header and no docstring of its own (export
    inserts one); nothing that changes torch's global state; the module docstring's examples hold."""
    source = Path(K.__file__).read_text()
    tree = ast.parse(source)
    imports = [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert imports == ["import math", "import torch"]
    public = [node for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    assert {node.name: str(inspect.signature(getattr(K, node.name))) for node in public} == SIGNATURES
    decorated = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.decorator_list]
    assert not decorated, f"export copies a def from its own line: the decorators of {decorated} would be dropped"
    for node in public:
        assert ast.get_docstring(node) is None, node.name
        assert source.splitlines()[node.lineno - 1].rstrip().endswith(":"), f"{node.name}: the def header is not one line"
    for forbidden in ("set_default_dtype", "set_num_threads", "set_grad_enabled(", "manual_seed"):
        assert forbidden not in source
    assert doctest.testmod(K).failed == 0


def test_the_copied_statements_run_with_only_math_and_torch():
    """What the exported module holds (every statement but the docstring and the imports, each
    public function given a docstring) runs in a namespace of math and torch alone."""
    tree = ast.parse(Path(K.__file__).read_text())
    body = [node for node in tree.body[1:] if not isinstance(node, (ast.Import, ast.ImportFrom))]
    for node in body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            node.body.insert(0, ast.Expr(ast.Constant(f"{node.name}: an inserted docstring")))
    namespace = {"math": math, "torch": torch, "__name__": "exported"}
    exec(compile(ast.fix_missing_locations(ast.Module(body=body, type_ignores=[])), "<exported>", "exec"), namespace)
    x = T([[0.0, -40.0, -50.0], [1.0, 1.0, 3.0]], requires_grad=True)
    assert namespace["logsumexp"](x)[0].item() == float(mpmath.log1p(mpmath.exp(-40) + mpmath.exp(-50)))
    namespace["softmax_cross_entropy"](x, torch.tensor([0, 2])).sum().backward()
    assert torch.allclose(x.grad, namespace["softmax_cross_entropy_grad"](x.detach(), torch.tensor([0, 2])))
    assert namespace["log_softmax"].__doc__ == "log_softmax: an inserted docstring"


# -- references at 50 digits ----------------------------------------------------------------------


def mp_lse(row, k=1.0):
    """LSE_k at 50 digits, the max's own term kept out of the sum (so 1 + 1e-200 is not lost)."""
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(v)) for v in row]
        k = mpmath.mpf(k)
        top = max(values)
        p = values.index(top)
        rest = mpmath.fsum(mpmath.exp(k * (v - top)) for j, v in enumerate(values) if j != p)
        return top + mpmath.log1p(rest) / k, top, rest


def mp_softmax(row, k=1.0):
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(v)) for v in row]
        top = max(values)
        terms = [mpmath.exp(mpmath.mpf(k) * (v - top)) for v in values]
        total = mpmath.fsum(terms)
        return [t / total for t in terms]


def mp_log_softmax(row, k, i):
    """ln softmax_k(x)_i = k(x_i - M) - log1p(rest) at 50 digits (ln of a p near 1 would lose its digits)."""
    with mpmath.workdps(50):
        lse, top, rest = mp_lse(row, k)
        return mpmath.mpf(k) * (mpmath.mpf(float(row[i])) - top) - mpmath.log1p(rest)


def mp_softmax_minus_onehot(row, y):
    """softmax(z) - onehot(y) at 50 digits, p_y - 1 as -sum_{j != y} e^{z_j} / sum_j e^{z_j}."""
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(v)) for v in row]
        top = max(values)
        terms = [mpmath.exp(v - top) for v in values]
        total = mpmath.fsum(terms)
        return [(-mpmath.fsum(t for j, t in enumerate(terms) if j != y) if i == y else terms[i]) / total for i in range(len(row))]


def ulps(computed, exact, dtype) -> float:
    """|computed - exact| in units of the spacing of ``dtype`` at |exact| (the smallest subnormal at 0)."""
    computed = float(computed)
    spacing = float(np.spacing(np.array(abs(float(exact)), dtype=np.float32 if dtype == F32 else np.float64)))
    if spacing == 0 or not math.isfinite(spacing):
        spacing = float(np.finfo(np.float32 if dtype == F32 else np.float64).smallest_subnormal)
    if computed == float(exact):
        return 0.0
    with mpmath.workdps(60):
        return float(abs(mpmath.mpf(computed) - mpmath.mpf(exact)) / spacing)


def lse_kappa(row, k):
    """kappa of LSE_k: sum_i p_i |x_i| / |LSE| (dLSE/dx_i = p_i)."""
    with mpmath.workdps(50):
        p = mp_softmax(row, k)
        value = mp_lse(row, k)[0]
        return float(mpmath.fsum(pi * abs(mpmath.mpf(float(x))) for pi, x in zip(p, row)) / max(abs(value), mpmath.mpf(10) ** -400))


def log_softmax_kappa(row, k, i):
    """kappa of ln softmax_k(x)_i: k (|x_i| (1 - p_i) + sum_{j != i} |x_j| p_j) / |ln p_i|."""
    with mpmath.workdps(50):
        p = mp_softmax(row, k)
        others = mpmath.fsum(pj for j, pj in enumerate(p) if j != i)  # 1 - p_i, not rounded away near 1
        spread = abs(mpmath.mpf(float(row[i]))) * others + mpmath.fsum(abs(mpmath.mpf(float(x))) * pj for j, (x, pj) in enumerate(zip(row, p)) if j != i)
        log_p = mp_log_softmax(row, k, i)  # not ln p_i: a p_i near 1 has lost the digits of its log
        return float(k * spread / max(abs(log_p), mpmath.mpf(10) ** -400)), float(k * spread)


ULP = 2.0  # the contract: <= 2 ULP of the true result where well conditioned (kappa <= 1)
# softmax_i = e^{k(x_i - M)} / (1 + s) in the input's own dtype rounds the exp, s, 1 + s and the
# quotient: up to ~2 eps relative, which is up to ~3 ULP of a result at the top of its binade
# (Hypothesis found 2.92 ULP in float64: [0, 0.634, 1e-13, -1.556]); the contract's 2 is not met there.
ULP_QUOTIENT = 3.0


def within(computed, exact, dtype, kappa, bound=ULP):
    return ulps(computed, exact, dtype) <= bound * max(1.0, kappa)


finite64 = st.one_of(st.floats(-3, 3), st.floats(-800, 800), st.floats(-1e6, 1e6))
finite32 = finite64.map(lambda v: float(np.float32(v)))
sharpness = st.sampled_from([1.0, 0.5, 7.0])
FAST = settings(max_examples=120, deadline=None)


# -- values against mpmath ------------------------------------------------------------------------


@pytest.mark.parametrize("dtype, entries", [(F64, finite64), (F32, finite32)])
def test_logsumexp_softmax_and_log_softmax_against_mpmath(dtype, entries):
    @FAST
    @given(st.lists(entries, min_size=1, max_size=9), sharpness)
    def check(row, k):
        x = T(row, dtype)
        lse = K.logsumexp(x, k=k)
        assert within(lse, mp_lse(row, k)[0], dtype, lse_kappa(row, k)), (row, k)
        p, exact_p = K.softmax(x, k=k), mp_softmax(row, k)
        logp = K.log_softmax(x, k=k)
        for i, row_i in enumerate(row):
            kappa_log, kappa = log_softmax_kappa(row, k, i)
            if float(exact_p[i]) > 1e-30:  # below, float32 is subnormal or 0; the absolute error is what counts
                assert within(p[i], exact_p[i], dtype, kappa, ULP_QUOTIENT), (row, k, i)
            assert within(logp[i], mp_log_softmax(row, k, i), dtype, kappa_log), (row, k, i)
    check()


@pytest.mark.parametrize("dtype, entries", [(F64, finite64), (F32, finite32)])
def test_cross_entropy_and_its_gradient_against_mpmath(dtype, entries):
    @FAST
    @given(st.lists(entries, min_size=1, max_size=9), st.data())
    def check(row, data):
        y = data.draw(st.integers(0, len(row) - 1))
        z, target = T([row], dtype), torch.tensor([y])
        p = mp_softmax(row)
        loss = -mp_log_softmax(row, 1.0, y)
        kappa_log, _ = log_softmax_kappa(row, 1.0, y)
        assert within(K.softmax_cross_entropy(z, target)[0], loss, dtype, kappa_log), (row, y)
        gradient = K.softmax_cross_entropy_grad(z, target)[0]
        for i, exact in enumerate(mp_softmax_minus_onehot(row, y)):
            _, kappa = log_softmax_kappa(row, 1.0, i)
            if abs(float(exact)) > 1e-30:
                assert within(gradient[i], exact, dtype, kappa / max(float(abs(exact)), 1e-320) * float(p[i]), ULP_QUOTIENT), (row, y, i)
    check()


# -- SciPy's facts, exactly -------------------------------------------------------------------------


def test_scipys_facts_hold_exactly():
    assert K.logsumexp(T([0.0, -40.0])).item() == 4.2483542552915889e-18  # torch.logsumexp gives 0.0
    assert K.logsumexp(T([0.0, -40.0, -40.0])).item() == float(mpmath.log1p(2 * mpmath.exp(-40)))
    assert K.logsumexp(T([1000.0, 1000.0])).item() == 1000.6931471805599
    assert K.logsumexp(T([[1e10, 1e-10], [-1e10, -inf]]), dim=-1).tolist() == [1e10, -1e10]
    assert K.log_softmax(T([0.0, -40.0])).tolist() == [-4.248354255291589e-18, -40.0]
    assert K.softmax_cross_entropy(T([[1e300, 1e300, 1e300]]), torch.tensor([1])).item() == 1.0986122886681098  # ln 3
    assert K.softmax_cross_entropy(T([[0.0, -40.0, -50.0]]), torch.tensor([0])).item() == math.log1p(math.exp(-40.0) + math.exp(-50.0))
    assert K.softmax_cross_entropy_grad(T([[0.0, -40.0]]), torch.tensor([0])).tolist() == [[-4.248354255291589e-18, 4.248354255291589e-18]]


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [5, 1000, 3000])  # float32 rows over 1448 take the pivot out by its index
def test_ties_and_long_rows_keep_the_pivot_out_exactly(dtype, n):
    generator = torch.Generator().manual_seed(n)
    row = torch.cat([torch.zeros(n // 2, dtype=F64), -torch.rand(n - n // 2, generator=generator, dtype=F64) * 30 - 20]).to(dtype)
    exact, _, _ = mp_lse(row.tolist())
    assert ulps(K.logsumexp(row), exact, dtype) <= 1.0
    assert ulps(K.log_softmax(row)[0], mp_log_softmax(row.tolist(), 1.0, 0), dtype) <= 1.0
    assert ulps(K.softmax(row)[0], mp_softmax(row.tolist())[0], dtype) <= 1.5
    # s = (n - 1) e^-40 alone: kept to a few ULP (kappa = 40 here, and n terms are summed), where a
    # "sum - 1" would leave nothing of it in float32 and ~1e-2 relative error in float64
    alone = T([0.0] + [-40.0] * (n - 1), dtype)
    with mpmath.workdps(50):
        assert ulps(K.logsumexp(alone), mpmath.log1p((n - 1) * mpmath.exp(-40)), dtype) <= 4.0


ROW_33 = [0.17553862856764266, -0.32036252695140677, -1.9040879486160345, 0.9584066801413982, -0.3618586803043011,
          -0.8523900581258608, -0.37731674369381457, 0.13820030314832132, 1.50790948434714, -0.1659332030062026,
          0.4724074969585104, 1.373579376897762, 0.5335505312737927, 1.0685641574187916, -0.47650985895095554,
          0.7710493264739775, -0.057976000069692585, 1.0744112374891797, -1.0035595719921404, -0.7795577532427447,
          1.2687315727053823, -0.19608397256936924, -0.35896064670446953, 0.0775724193502392, -0.6894974573528612,
          1.3319413685305603, -1.249162651675905, -0.15059799836040494, 0.3469527857023623, -0.10444706906656219,
          -0.8022875453678814, -0.8683891967525209, 0.4253944258208237]  # export's softmax rows, seed 0: 1 + s summed one ULP low


def test_float64_softmax_divides_by_an_accurate_total():
    """_over_total's 1 + s is correct to ~0.5 ULP and its rounding put back: every entry of ROW_33's
    softmax is within 1.5 ULP of the true one (dividing by the plain sum of the terms, one ULP low,
    put every entry at 1.9-2.2 ULP)."""
    exact_p = mp_softmax(ROW_33)
    assert max(ulps(v, e, F64) for v, e in zip(K.softmax(T(ROW_33)), exact_p)) <= 1.5
    terms = torch.exp(T([ROW_33]) - max(ROW_33))
    plain = terms / terms.sum()
    assert max(ulps(v, e, F64) for v, e in zip(plain[0], exact_p)) > 1.5  # what the test guards against


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_float64_softmax_is_not_worse_than_torchs_on_exports_rows(seed):
    """The goal of issue 11: on export's adversarial rows (smoothsym.export.reduction_accuracy) the
    worst ULP where well conditioned is no more than torch.softmax's (1.90-2.56 on these seeds)."""
    from smoothsym.export import reduction_accuracy
    ours = reduction_accuracy("softmax", lambda x, dim=-1, k=1.0: K.softmax(x, dim, k=k), "torch", dtype="float64", ks=(1.0,), seed=seed)
    theirs = reduction_accuracy("softmax", lambda x, dim=-1, k=1.0: torch.softmax(x, dim), "torch", dtype="float64", ks=(1.0,), seed=seed)
    assert ours.worst_well <= min(theirs.worst_well, ULP), (ours.worst_well, theirs.worst_well)


def test_float32_and_float16_stay_in_range():
    got = K.logsumexp(T([100.0, 99.0], F32))
    assert got.dtype == F32 and got.item() == float(np.float32(100.31326))  # not inf
    half = K.logsumexp(T([12.0, 11.0], torch.float16))  # e^12 overflows float16; computed in float32
    assert half.dtype == torch.float16 and half.item() == float(np.float16(float(mp_lse([12.0, 11.0])[0])))
    for f in (K.softmax, K.log_softmax):
        assert torch.isfinite(f(T([12.0, 11.0], torch.float16))).all()
    assert K.softmax(T([88.0, 89.0], F32)).tolist() == pytest.approx([0.26894142, 0.73105858])


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, F32, F64])
def test_every_function_keeps_the_input_dtype(dtype):
    x = torch.randn(3, 4, dtype=F64).to(dtype)
    y = torch.tensor([0, 3, 1])
    for got in (K.logsumexp(x), K.softmax(x), K.log_softmax(x), K.softmax_cross_entropy(x, y), K.softmax_cross_entropy_grad(x, y)):
        assert got.dtype == dtype
    # rounded once from the float32 (or own-dtype) result
    assert K.logsumexp(x).tolist() == K.logsumexp(x.to(F32) if dtype in (torch.float16, torch.bfloat16) else x).to(dtype).tolist()


def test_integer_and_list_input_becomes_the_default_float_dtype():
    assert K.logsumexp([1, 2]).dtype == torch.get_default_dtype()
    assert K.softmax(torch.tensor([True, False])).dtype == torch.get_default_dtype()
    assert K.logsumexp(np.array([0.0, -40.0])).item() == 4.248354255291589e-18  # a numpy float64 array stays float64


def test_shapes_dims_and_keepdim_as_torch():
    x = torch.randn(2, 3, 4, dtype=F64, generator=torch.Generator().manual_seed(5))
    for dim in (0, 1, -1, (0, 2), (2, 0), (0, 1, 2), None, [1, 2]):
        dims = dim if dim is not None else (0, 1, 2)
        for keepdim in (False, True):
            ours, theirs = K.logsumexp(x, dim, keepdim), torch.logsumexp(x, dims, keepdim)
            assert ours.shape == theirs.shape and torch.allclose(ours, theirs, rtol=4e-15, atol=0)  # torch's own errs by ~2 ULP
        p = K.softmax(x, dim)
        assert p.shape == x.shape and torch.allclose(p.sum(dim=dims), torch.ones(()).to(F64))
        assert torch.allclose(K.log_softmax(x, dim).exp(), p)
    assert K.logsumexp(torch.tensor(3.0)).shape == () and K.softmax(torch.tensor(3.0)).item() == 1.0
    assert K.logsumexp(torch.empty(3, 0), dim=1).tolist() == [-inf] * 3  # ln 0, as torch.logsumexp
    assert K.softmax(torch.empty(0, 3)).shape == (0, 3)
    assert K.softmax_cross_entropy(torch.randn(2, 3, 5), torch.zeros(2, 3, dtype=torch.long)).shape == (2, 3)


# -- +-inf and NaN rows, as scipy.special -------------------------------------------------------------


def test_rows_with_infinities_and_nan_follow_scipy_special():
    rows = T([[-inf, -inf], [0.0, inf], [inf, inf], [nan, 1.0], [-inf, 0.0], [inf, -inf]])
    wide = T([[-inf, -inf, -inf], [0.0, inf, 1.0], [inf, inf, 0.0], [1.0, nan, 2.0], [-inf, 0.0, -inf], [inf, -inf, -inf]])
    for x in (rows, wide):
        assert K.logsumexp(x, dim=1).tolist()[:2] == [-inf, inf]
        lse = K.logsumexp(x, dim=1)
        assert lse[2] == inf and math.isnan(lse[3]) and lse[4] == 0.0 and lse[5] == inf
        p = K.softmax(x, dim=1)
        assert torch.isnan(p[:4]).all() and torch.isnan(p[5]).all()  # a row holding +inf is all NaN
        assert p[4].tolist() == [0.0, 1.0] + [0.0] * (x.shape[1] - 2)
        logp = K.log_softmax(x, dim=1)
        assert torch.isnan(logp[0]).all() and logp[1, 0] == -inf and math.isnan(logp[1, 1])  # x - max, unshifted
        assert logp[4].tolist() == [-inf, 0.0] + [-inf] * (x.shape[1] - 2)
    y = torch.tensor([0, 0, 0, 0, 1, 1])
    ce = K.softmax_cross_entropy(rows, y)  # ln sum e^z - z_y unshifted where the max is not finite
    assert math.isnan(ce[0]) and ce[1] == inf and math.isnan(ce[2]) and math.isnan(ce[3]) and ce[4] == 0.0 and ce[5] == inf
    assert torch.isnan(K.softmax_cross_entropy_grad(rows, y)[:4]).all()


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1000, 3000])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_a_rows_bits_do_not_depend_on_its_batch(n, dtype):
    """The same row alone and beside outlier rows (1e300, inf, NaN, -inf), along either dim."""
    generator = torch.Generator().manual_seed(n)
    row = (torch.randn(n, generator=generator, dtype=F64) * 30).to(dtype)
    big = 1e300 if dtype == F64 else 3e38
    outliers = torch.stack([torch.full((n,), big, dtype=dtype), torch.full((n,), inf, dtype=dtype),
                            torch.full((n,), nan, dtype=dtype), torch.full((n,), -inf, dtype=dtype), row * 2])
    batch = torch.cat([outliers[:2], row[None], outliers[2:]])
    y = torch.tensor([n - 1] * 6)
    for f in (K.logsumexp, K.softmax, K.log_softmax):
        alone = f(row[None], dim=1)[0]
        for kw in ({}, {"k": 7.0}, {"k": inf}):
            alone = f(row[None], dim=1, **kw)[0]
            assert torch.equal(f(batch, dim=1, **kw)[2], alone)
            # the rows as columns: a layout of its own (torch sums a strided dim in another order)
            assert torch.equal(f(batch.T.contiguous(), dim=0, **kw)[..., 2], f(row[:, None], dim=0, **kw)[..., 0])
    assert torch.equal(K.softmax_cross_entropy(batch, y)[2], K.softmax_cross_entropy(row[None], y[:1])[0])
    assert torch.equal(K.softmax_cross_entropy_grad(batch, y)[2], K.softmax_cross_entropy_grad(row[None], y[:1])[0])


# -- k ---------------------------------------------------------------------------------------------


def test_k_is_the_sharpness_and_inf_is_the_limit():
    x = T([1.0, 3.0, 3.0, -2.0])
    assert K.logsumexp(x, k=2.0).item() == pytest.approx(math.log(sum(math.exp(2 * v) for v in x.tolist())) / 2, rel=1e-15)
    assert K.logsumexp(x, k=torch.tensor(2.0)).item() == K.logsumexp(x, k=2).item()
    assert K.logsumexp(x, k=inf).item() == 3.0
    assert K.softmax(x, k=inf).tolist() == [0.0, 0.5, 0.5, 0.0]  # tied maxima share 1/m
    assert K.log_softmax(x, k=inf).tolist() == [-inf, -math.log(2), -math.log(2), -inf]
    assert K.softmax(x, k=1e6).tolist() == [0.0, 0.5, 0.5, 0.0]  # the limit is approached
    assert K.softmax(T([0.0, inf, 1.0]), k=inf).isnan().all()  # a +inf row as at finite k
    with pytest.raises(TypeError):
        K.logsumexp(x, 0, False, 2.0)  # k is keyword-only


@pytest.mark.parametrize("k", [0, -1, -inf, nan, "1", [1.0, 2.0], True, None, torch.tensor([1.0, 2.0]), 1 + 2j])
def test_a_bad_k_is_refused_naming_k(k):
    for f in (K.logsumexp, K.softmax, K.log_softmax):
        with pytest.raises(ValueError, match=r"^k must be"):
            f(T([1.0, 2.0]), k=k)


def test_a_k_that_requires_grad_is_refused():
    with pytest.raises(ValueError, match="no verified derivative in k; pass k as a number"):
        K.logsumexp(T([1.0, 2.0]), k=torch.tensor(2.0, requires_grad=True))


def test_bad_dims_and_inputs_are_refused_saying_what_was_expected():
    x = T([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(IndexError, match="dim 2 is out of range"):
        K.softmax(x, dim=2)
    with pytest.raises(IndexError, match="dim -3 is out of range"):
        K.logsumexp(x, dim=(0, -3))
    with pytest.raises(ValueError, match="dim 1 is repeated"):
        K.logsumexp(x, dim=(1, -1))
    with pytest.raises(ValueError, match="dim=\\(\\) reduces no dim"):
        K.logsumexp(x, dim=())
    with pytest.raises(TypeError, match="dim must be None, an int or a tuple of ints"):
        K.log_softmax(x, dim=1.0)
    with pytest.raises(TypeError, match="x must be a tensor of real numbers, not of dtype torch.complex"):
        K.logsumexp(torch.ones(2, dtype=torch.complex64))
    with pytest.raises(TypeError, match="x must be a tensor of real numbers"):
        K.softmax([[1.0], [1.0, 2.0]])
    with pytest.raises(TypeError, match="y must be integer class indices, not of dtype torch.float"):
        K.softmax_cross_entropy(x, T([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"y has shape \(3,\), but z of shape \(2, 2\) needs y of shape \(2,\)"):
        K.softmax_cross_entropy(x, torch.tensor([0, 1, 1]))
    with pytest.raises(ValueError, match=r"y must be class indices in 0..1"):
        K.softmax_cross_entropy_grad(x, torch.tensor([0, 2]))
    with pytest.raises(ValueError, match="z must have at least one dim"):
        K.softmax_cross_entropy(T(1.0), torch.tensor(0))
    with pytest.raises(ValueError, match="z has no classes"):
        K.softmax_cross_entropy(torch.empty(2, 0), torch.tensor([0, 0]))


# -- the backward passes: the verified derivatives ----------------------------------------------------


@pytest.mark.parametrize("dim", [-1, 0, (0, 2), None])
@pytest.mark.parametrize("k", [1.0, 0.5, 3.0])
def test_gradcheck_in_float64(dim, k):
    x = torch.randn(3, 2, 4, dtype=F64, requires_grad=True)
    for keepdim in (False, True):
        assert torch.autograd.gradcheck(lambda x: K.logsumexp(x, dim, keepdim, k=k), (x,))
    assert torch.autograd.gradcheck(lambda x: K.softmax(x, dim, k=k), (x,))
    assert torch.autograd.gradcheck(lambda x: K.log_softmax(x, dim, k=k), (x,))


def test_gradcheck_of_the_cross_entropy_and_rows_of_two():
    z = torch.randn(5, 4, dtype=F64, requires_grad=True)
    y = torch.tensor([0, 3, 1, 1, 2])
    assert torch.autograd.gradcheck(lambda z: K.softmax_cross_entropy(z, y), (z,))
    pairs = torch.randn(4, 2, dtype=F64, requires_grad=True)
    for f in (K.logsumexp, K.softmax, K.log_softmax):
        assert torch.autograd.gradcheck(lambda x: f(x, k=2.0), (pairs,))
    assert torch.autograd.gradcheck(lambda z: K.softmax_cross_entropy(z, y[:4] % 2), (pairs,))


def test_the_backward_is_the_verified_derivative_not_autograd_through_the_forward():
    x = T([1.0, 2.0, 0.5], requires_grad=True)
    out = K.logsumexp(x)
    (g,) = torch.autograd.grad(out, x, create_graph=True)
    assert torch.allclose(g, K.softmax(x.detach()))
    assert "_LogSumExpBackward" in graph_nodes(out) and "ExpBackward0" not in graph_nodes(out)
    # the gradient's own graph is softmax's verified VJP, not autograd through a forward
    assert "_SoftmaxBackward" in graph_nodes(g) and "ExpBackward0" not in graph_nodes(g)


def graph_nodes(tensor):
    """The names of the autograd nodes behind ``tensor``."""
    names, stack = set(), [tensor.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None:
            names.add(type(node).__name__)
            stack.extend(n for n, _ in node.next_functions)
    return names


SECOND_ORDER = [
    ("logsumexp", lambda x: K.logsumexp(x, dim=1)),
    ("logsumexp over two dims, k = 0.5", lambda x: K.logsumexp(x, dim=(0, 1), k=0.5)),
    ("softmax", lambda x: K.softmax(x, dim=0)),
    ("softmax, k = 3", lambda x: K.softmax(x, dim=1, k=3)),
    ("softmax of rows of two", lambda x: K.softmax(x[:, :2])),
    ("log_softmax", lambda x: K.log_softmax(x)),
    ("log_softmax of rows of two, k = 2", lambda x: K.log_softmax(x[:, :2], k=2)),
    ("cross-entropy", lambda x: K.softmax_cross_entropy(x, torch.tensor([0, 2, 4]))),
]


@pytest.mark.parametrize("name, f", SECOND_ORDER, ids=[name for name, _ in SECOND_ORDER])
def test_the_backward_passes_are_differentiable(name, f):
    # a second derivative (create_graph=True, a Hessian) is autograd through the verified VJPs;
    # gradgradcheck compares it with finite differences of the first derivative in float64
    x = torch.randn(3, 5, dtype=F64, generator=torch.Generator().manual_seed(3)).mul_(2).requires_grad_()
    assert torch.autograd.gradcheck(f, (x,))
    assert torch.autograd.gradgradcheck(f, (x,))


def test_the_hessians_match_torchs_own():
    x = torch.randn(3, 4, dtype=F64, generator=torch.Generator().manual_seed(5)) * 3
    y = torch.tensor([0, 3, 1])
    pairs = [(lambda v: K.logsumexp(v, dim=1).sum(), lambda v: torch.logsumexp(v, dim=1).sum()),
             (lambda v: (K.softmax(v) * x).sum(), lambda v: (torch.softmax(v, -1) * x).sum()),
             (lambda v: (K.log_softmax(v, dim=0) * x).sum(), lambda v: (torch.log_softmax(v, 0) * x).sum()),
             (lambda v: K.softmax_cross_entropy(v, y).sum(), lambda v: torch.nn.functional.cross_entropy(v, y, reduction="sum"))]
    for ours, theirs in pairs:
        a, b = torch.autograd.functional.hessian(ours, x), torch.autograd.functional.hessian(theirs, x)
        assert a.shape == (3, 4, 3, 4) and torch.allclose(a, b, rtol=1e-12, atol=1e-14)


PEERS = [
    (lambda x, d, kd: K.logsumexp(x, d, kd), lambda x, d, kd: torch.logsumexp(x, d, kd), True),
    (lambda x, d, kd: K.softmax(x, d), lambda x, d, kd: torch.softmax(x, d), False),
    (lambda x, d, kd: K.log_softmax(x, d), lambda x, d, kd: torch.log_softmax(x, d), False),
]


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("n", [1, 2, 5, 300])
def test_gradients_agree_with_torchs_own(dtype, n):
    generator = torch.Generator().manual_seed(n)
    x = (torch.randn(4, 3, n, generator=generator, dtype=F64) * 5).to(dtype)
    tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == F32 else dict(rtol=1e-12, atol=1e-14)
    for ours, theirs, reduces in PEERS:
        for d in ((-1, 0, 1, (0, 2), (1, 2)) if reduces else (-1, 0, 1)):
            for keepdim in ((False, True) if reduces else (False,)):
                a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
                va, vb = ours(a, d, keepdim), theirs(b, d, keepdim)
                g = torch.randn(vb.shape, generator=generator, dtype=F64).to(dtype)
                va.backward(g), vb.backward(g)
                assert va.shape == vb.shape and torch.allclose(va, vb, **tolerance)
                assert a.grad.shape == x.shape and torch.allclose(a.grad, b.grad, **tolerance), (d, keepdim)
    z = x.reshape(-1, n)
    y = torch.randint(0, n, (z.shape[0],), generator=generator)
    a, b = z.clone().requires_grad_(), z.clone().requires_grad_()
    va, vb = K.softmax_cross_entropy(a, y), F.cross_entropy(b, y, reduction="none")
    g = torch.rand(vb.shape, generator=generator, dtype=F64).to(dtype)
    va.backward(g), vb.backward(g)
    assert torch.allclose(va, vb, **tolerance) and torch.allclose(a.grad, b.grad, **tolerance)
    assert torch.allclose(K.softmax_cross_entropy_grad(z, y), torch.softmax(z, -1) - F.one_hot(y, n), **tolerance)


@pytest.mark.parametrize("dtype", [F32, F64, torch.float16])
def test_gradients_are_finite_where_torchs_are(dtype):
    for row in ([1000.0, 0.0], [-1000.0, 0.0, 1000.0], [1e30, -1e30, 0.0], [60.0, 60.0, -60.0]):
        x = T(row, dtype)
        if not torch.isfinite(x).all():  # float16 holds no 1e30 (an inf row is scipy's NaN)
            continue
        for ours, theirs, _ in PEERS:
            a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
            ours(a, -1, False).sum().backward(), (theirs(b.float() if dtype == torch.float16 else b, -1, False) * 1.5).sum().backward()
            assert torch.isfinite(a.grad).all() == torch.isfinite(b.grad).all() and a.grad.dtype == dtype
        z = x[None].clone().requires_grad_()
        K.softmax_cross_entropy(z, torch.tensor([1])).sum().backward()
        assert torch.isfinite(z.grad).all()


def test_the_confident_right_prediction_keeps_its_loss_and_gradient():
    """Where torch's own cancel: loss log1p(e^-40) (F.cross_entropy: 0), p_y - 1 = -s/(1 + s) (torch: 0)."""
    z = T([[0.0, -40.0]], requires_grad=True)
    loss = K.softmax_cross_entropy(z, torch.tensor([0]))
    loss.backward()
    assert loss.item() == 4.248354255291589e-18
    assert z.grad.tolist() == [[-4.248354255291589e-18, 4.248354255291589e-18]]
    x = T([0.0, -40.0], requires_grad=True)
    K.log_softmax(x)[0].backward()
    assert x.grad.tolist() == [4.248354255291589e-18, -4.248354255291589e-18]  # k (1 - p_0), not 1 - 1


def test_gradients_at_k_inf_are_the_limits():
    x = T([[1.0, 3.0, 3.0], [0.0, -1.0, 2.0]], requires_grad=True)
    K.logsumexp(x, dim=(1,), k=inf).sum().backward()  # dLSE/dx -> one-hot, split among the ties
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [0.0, 0.0, 1.0]]
    x.grad = None
    (K.logsumexp(x, dim=(0, 1), keepdim=False, k=inf) * 2).backward()
    assert x.grad.tolist() == [[0.0, 1.0, 1.0], [0.0, 0.0, 0.0]]
    x.grad = None
    K.softmax(x[1:], k=inf).backward(T([[1.0, 2.0, 3.0]]))  # one-hot, no ties: the gradient's limit is 0
    assert x.grad.tolist() == [[0.0] * 3, [0.0] * 3]
    assert torch.allclose(torch.autograd.grad(K.softmax(x[1:], k=200.0), x, T([[1.0, 2.0, 3.0]]))[0], x.grad, atol=1e-150)


def test_keepdim_false_unsqueezes_the_gradient_over_tuple_dims():
    x = torch.randn(2, 3, 4, 5, dtype=F64, requires_grad=True)
    g = torch.randn(3, 5, dtype=F64)
    K.logsumexp(x, dim=(0, 2), keepdim=False).backward(g)
    expected = torch.softmax(x.detach().permute(1, 3, 0, 2).reshape(3, 5, 8), -1).reshape(3, 5, 2, 4).permute(2, 0, 3, 1) * g[None, :, None, :]
    assert torch.allclose(x.grad, expected)


# -- the elementwise helpers, through functions written as export prints them --------------------------

PRINTED = '''
def softplus(x, k=1):
    """softplus_k(x) = max(x, 0) + log1p(e^{-k|x|})/k."""
    (x,), _dtype = _elementwise_inputs(x=x)
    k = _positive(k, 'k', infinite=True)
    def _value(x):
        return _at_infinity(k, lambda: _maximum(x, 0) + torch.log1p(torch.exp(-k*torch.abs(x)))/k, lambda: _maximum(x, 0))
    def _derivatives(x):
        return (_at_infinity(k, lambda: torch.exp(_minimum(k*x, 0))/(1 + torch.exp(-k*torch.abs(x))), lambda: torch.where(x > 0, 1.0, torch.where(x < 0, 0.0, 0.5))),)
    return _verified(_value, _derivatives, (x,), _dtype)


def smooth_max(x, y, k=1):
    """max(x, y) + log1p(e^{-k|x - y|})/k, the naive log(e^{kx} + e^{ky})/k where it meets inf - inf."""
    (x, y,), _dtype = _elementwise_inputs(x=x, y=y)
    k = _positive(k, 'k')
    def _value(x, y):
        return _settle(_maximum(x, y) + torch.log1p(torch.exp(-k*torch.abs(x - y)))/k, lambda x, y: torch.log(torch.exp(k*x) + torch.exp(k*y))/k, x, y)
    def _derivatives(x, y):
        return (torch.exp(_minimum(k*(x - y), 0))/(1 + torch.exp(-k*torch.abs(x - y))), torch.exp(_minimum(k*(y - x), 0))/(1 + torch.exp(-k*torch.abs(x - y))),)
    return _verified(_value, _derivatives, (x, y,), _dtype)


def bce_with_logits(x, t):
    """max(x, 0) - x t + log1p(e^{-|x|}); a derivative in x only."""
    (x, t,), _dtype = _elementwise_inputs(x=x, t=t)
    def _value(x, t):
        return _maximum(x, 0) - x*t + torch.log1p(torch.exp(-torch.abs(x)))
    def _derivatives(x, t):
        return (torch.exp(_minimum(x, 0))/(1 + torch.exp(-torch.abs(x))) - t, None,)
    return _verified(_value, _derivatives, (x, t,), _dtype)


def sigmoid(x):
    """e^{min(x, 0)}/(1 + e^{-|x|}), differentiated by torch's autograd (no verified derivative)."""
    (x,), _dtype = _elementwise_inputs(x=x)
    def _value(x):
        return torch.exp(_minimum(x, 0))/(1 + torch.exp(-torch.abs(x)))
    return _autodiff(_value, (x,), _dtype)
'''


@pytest.fixture(scope="module")
def printed():
    """The functions above in a namespace of the kernel file's (as in the exported module)."""
    namespace = {name: value for name, value in vars(K).items() if not name.startswith("__")}
    exec(compile(PRINTED, "<printed>", "exec"), namespace)
    return namespace


def test_printed_values_against_mpmath(printed):
    xs = [-800.0, -40.0, -1.0, -1e-20, 0.0, 1e-20, 1.0, 40.0, 800.0]
    for k in (1.0, 0.5, 7.0):
        got = printed["softplus"](T(xs), k=k)
        with mpmath.workdps(50):
            for x, value in zip(xs, got.tolist()):
                exact = mpmath.log1p(mpmath.exp(k * mpmath.mpf(x))) / k
                assert ulps(value, exact, F64) <= 2, (x, k)
    assert printed["softplus"](T([-1.0, 0.0, 2.0]), k=inf).tolist() == [0.0, 0.0, 2.0]  # the limit max(x, 0)
    assert printed["smooth_max"](inf, inf).item() == inf  # _settle: the naive form where inf - inf met
    assert printed["smooth_max"](-inf, 1.0).item() == 1.0
    assert printed["sigmoid"](T([-700.0])).item() == math.exp(-700.0) / (1 + math.exp(-700.0))
    assert printed["bce_with_logits"](T(40.0), 1.0).item() == 4.248354255291589e-18
    assert printed["bce_with_logits"](40.0, 1.0).item() == float(np.float32(4.248354255291589e-18))  # numbers: float32


def test_printed_gradients_against_finite_differences_and_broadcast_back(printed):
    x = torch.randn(5, dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: printed["softplus"](x, k=3.0), (x,))
    assert torch.autograd.gradcheck(lambda x: printed["sigmoid"](x), (x,))
    a = torch.randn(3, 1, dtype=F64, requires_grad=True)
    b = torch.randn(4, dtype=F64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: printed["smooth_max"](a, b, k=2.0), (a, b))
    out = printed["smooth_max"](a, b)
    assert out.shape == (3, 4)
    out.sum().backward()
    assert a.grad.shape == (3, 1) and b.grad.shape == (4,)  # summed back by torch.broadcast_tensors
    assert torch.allclose(a.grad.sum() + b.grad.sum(), T(12.0))  # d/dx + d/dy = 1 at every entry
    t = torch.rand(5, dtype=F64)
    assert torch.autograd.gradcheck(lambda x: printed["bce_with_logits"](x, t), (x,))
    x32 = torch.tensor([1000.0, -1000.0, 0.0], requires_grad=True)
    printed["softplus"](x32).sum().backward()
    assert x32.grad.tolist() == [1.0, 0.0, 0.5] and x32.grad.dtype == F32


def test_printed_dtypes_nan_and_errors(printed):
    softplus, smooth_max, bce = printed["softplus"], printed["smooth_max"], printed["bce_with_logits"]
    for dtype in (torch.float16, torch.bfloat16, F32, F64):
        assert softplus(torch.ones(2, dtype=dtype)).dtype == dtype
        assert smooth_max(torch.ones(2, dtype=dtype), 3.0).dtype == dtype  # a Python number is weak
    assert softplus(2.0).dtype == torch.get_default_dtype() and softplus(torch.tensor([1, 2])).dtype == torch.get_default_dtype()
    assert smooth_max(torch.ones(2, dtype=F32), torch.ones(2, dtype=F64)).dtype == F64
    assert torch.isnan(softplus(T([nan, 1.0]), k=inf))[0] and torch.isnan(printed["sigmoid"](T([nan])))[0]
    assert torch.isnan(smooth_max(T([nan, 1.0]), T([inf, 1.0])))[0] and not torch.isnan(smooth_max(T([nan, 1.0]), 2.0))[1]
    with pytest.raises(ValueError, match=r"the shapes of x \(3,\), y \(2,\) do not broadcast together"):
        smooth_max(torch.ones(3), torch.ones(2))
    with pytest.raises(TypeError, match="y must be a tensor of real numbers, not of dtype torch.complex"):
        smooth_max(torch.ones(3), torch.ones(3, dtype=torch.complex64))
    with pytest.raises(ValueError, match=r"^k must be positive and finite, not -1$"):
        smooth_max(1.0, 2.0, k=-1)
    with pytest.raises(ValueError, match=r"^k must be positive and finite, not inf$"):
        smooth_max(1.0, 2.0, k=inf)
    with pytest.raises(ValueError, match="k requires grad"):
        softplus(1.0, k=torch.tensor(1.0, requires_grad=True))
    with pytest.raises(ValueError, match=r"no verified derivative of this function in argument #2"):
        bce(T([1.0]), T([0.5], requires_grad=True))
    assert bce(T([1.0]), T([0.5], requires_grad=True).detach()).shape == (1,)


def test_helpers_directly():
    assert K._positive(2, "k") == 2.0 and K._positive(torch.tensor(inf), "k", infinite=True) == inf
    assert K._maximum(T([nan, -1.0, 2.0]), 0).tolist()[1:] == [0.0, 2.0] and math.isnan(K._maximum(T([nan]), 0)[0])
    assert K._minimum(0, T([nan, -1.0, 2.0])).tolist()[1:] == [-1.0, 0.0] and math.isnan(K._minimum(0, T([nan]))[0])
    assert K._maximum(T([1.0]), T([nan])).isnan().all() and K._maximum(1.0, 2.0) == 2.0
    assert K._at_infinity(inf, lambda: 1, lambda: 2) == 2 and K._at_infinity(3.0, lambda: 1, lambda: 2) == 1
    (a, b), dtype = K._elementwise_inputs(a=torch.ones(2, 1, dtype=torch.float16), b=3)
    # computed in float64 (rounded once to the input's float16 at the end)
    assert a.shape == b.shape == (2, 1) and a.dtype == b.dtype == torch.float64 and dtype == torch.float16
    value = K._settle(T([nan, 1.0, nan]), lambda x: torch.full_like(x, 5.0), T([inf, 1.0, nan]))
    assert value.tolist()[:2] == [5.0, 1.0] and math.isnan(value[2])
