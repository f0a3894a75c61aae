"""`smoothsym export --target torch` and `--target jax`: the modules a user gets, with backward passes
that are the catalog's verified derivatives.

Written once per target by the command line from the stable forms, the code's formulas and the
derivatives behind the backward passes (``derivations/export_gradients.py``, ``lse_gradient.py``),
imported from the written file. Checked here as a user sees it: each docstring names the verified
steps of its backward pass; the gradients equal those formulas (mpmath, 50 digits), finite
differences and the framework's own functions; they stay finite where the naive formula overflows;
a parameter without a verified derivative cannot be differentiated silently. The kernels
themselves are tested in test_export_torch.py and test_export_jax.py.
"""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from smoothsym import export
from smoothsym.cli import main
from shared_verification import verified as shared_verified

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [str(ROOT / "derivations" / name) for name in
           ("stable_forms.py", "export_forms.py", "export_gradients.py", "lse_gradient.py", "softmax_onehot.py")]
ELEMENTWISE_WITH_DERIVATIVES = {
    "softplus": ("x",), "smooth_max": ("x", "y"), "smooth_abs": ("x",), "sigmoid": ("x",),
    "log_sigmoid": ("x",), "binary_cross_entropy_with_logits": ("z", "t"),
}
REDUCTION_STEPS = {  # the function, and the derivation whose steps its backward pass cites
    "logsumexp": "lse-gradient", "softmax": "export-gradients", "log_softmax": "export-gradients",
    "softmax_cross_entropy": "stable-forms",
}


@functools.lru_cache(maxsize=None)
def verified():
    """The derivations verified once for both targets (what `smoothsym export --target torch`
    verifies: the exported steps and the derivatives behind the backward passes; with no names
    given, ``export.verified_for`` takes every derivation of the files, as here), once in the
    session and shared by the xdist workers (tests/shared_verification.py)."""
    return shared_verified(SOURCES)


@functools.lru_cache(maxsize=None)
def written(target: str):
    """(source text, module) of the module `smoothsym export SOURCES --target target` writes
    (export.export, the CLI's call, from the shared verification)."""
    folder = Path(tempfile.mkdtemp(prefix=f"smoothsym-export-{target}-"))
    path = folder / f"smooth_{target}.py"
    done = export.assemble(SOURCES, target=target, verified=verified())
    assert not done.refused, done.refused
    path.write_text(done.source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"exported_{target}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return path.read_text(encoding="utf-8"), module


def within(value: float, exact, dtype, ulps: float) -> bool:
    """|value - exact| <= ulps spacings of ``dtype`` at the true result (the smallest subnormal at
    least: a result below the dtype's range may round to 0)."""
    spacing = float(np.spacing(np.abs(np.array(float(exact), dtype=dtype))))
    spacing = max(spacing, float(np.finfo(dtype).smallest_subnormal))
    with mpmath.workdps(50):
        return float(abs(mpmath.mpf(value) - exact)) <= ulps * spacing


def sigmoid(v):
    """The logistic sigmoid at 50 digits, written here independently of the derivation."""
    with mpmath.workdps(50):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(v)))


# -- torch ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def torch_module():
    torch = pytest.importorskip("torch", reason="the frameworks extra is not installed: pip install -e '.[frameworks]'")
    return torch, written("torch")[1]


def test_torch_module_offers_what_the_numpy_module_offers_and_each_docstring_says_its_backward(torch_module):
    _, module = torch_module
    names = set(module.__all__)
    assert set(ELEMENTWISE_WITH_DERIVATIVES) | set(REDUCTION_STEPS) | {"softmax_cross_entropy_grad", "softmax_one_hot"} <= names
    for name in names:
        assert "Backward" in getattr(module, name).__doc__, name
    for name, variables in ELEMENTWISE_WITH_DERIVATIVES.items():
        doc = getattr(module, name).__doc__
        assert "Backward: the verified derivatives, printed as code:" in doc
        for v in variables:
            assert f"d/d{v} = " in doc and "export-gradients step" in doc, (name, v)
    for name, derivation in REDUCTION_STEPS.items():
        doc = getattr(module, name).__doc__
        assert "Backward (the template's vector-Jacobian product)" in doc and f"{derivation} step" in doc, name
    # softmax_one_hot's Piecewise has no verified derivative: the docstring says autograd does it
    assert "torch's autograd of the code above" in module.softmax_one_hot.__doc__


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_torch_softplus_gradient_is_sigmoid_of_kx_and_finite_far_out(torch_module, dtype):
    torch, module = torch_module
    x = torch.tensor([-1000.0, -30.0, -1.0, 0.0, 1e-8, 2.5, 30.0, 1000.0], dtype=getattr(torch, dtype), requires_grad=True)
    for k in (1.0, 0.5, 7.0):
        (grad,) = torch.autograd.grad(module.softplus(x, k=k).sum(), x)
        assert grad.dtype == x.dtype and torch.isfinite(grad).all()
        for v, g in zip(x.detach().tolist(), grad.tolist()):
            assert within(g, sigmoid(k * v), dtype, 4), (v, k, g)
        # torch's own softplus (with no threshold switch to x) agrees where its gradient is finite;
        # in float32 its gradient at x = 1000 is NaN (e^{kx} overflows), ours is 1
        theirs = torch.autograd.grad(torch.nn.functional.softplus(x, beta=k, threshold=1e9).sum(), x)[0]
        finite = torch.isfinite(theirs)
        assert torch.allclose(grad[finite], theirs[finite], rtol=8 * float(np.finfo(dtype).eps), atol=0)


def test_torch_elementwise_gradients_match_finite_differences_and_torchs_own(torch_module):
    torch, module = torch_module
    F = torch.nn.functional
    x = torch.linspace(-6, 6, 25, dtype=torch.float64, requires_grad=True)
    y = torch.linspace(5, -7, 25, dtype=torch.float64, requires_grad=True)
    t = torch.tensor([0.0, 1.0] * 12 + [0.5], dtype=torch.float64, requires_grad=True)  # hard targets, as in training
    assert torch.autograd.gradcheck(lambda a: module.sigmoid(a), (x,))
    assert torch.autograd.gradcheck(lambda a: module.log_sigmoid(a), (x,))
    assert torch.autograd.gradcheck(lambda a, b: module.smooth_max(a, b, k=2.0), (x, y))
    assert torch.autograd.gradcheck(lambda a: module.smooth_abs(a, k=3.0), (x,))
    assert torch.autograd.gradcheck(lambda a, b: module.binary_cross_entropy_with_logits(a, b), (x, t))
    # against the derivatives written here (50 digits) to 4 ULP, and against torch's own functions'
    # gradients loosely: torch's sigmoid' = s(1 - s) cancels where s is near 1 (x = 6: 3 digits lost)
    exact = {
        "sigmoid": lambda v: sigmoid(v) * sigmoid(-v), "log_sigmoid": lambda v: sigmoid(-v),
        "bce": lambda v, w: sigmoid(v) - mpmath.mpf(w),
    }
    pairs = [
        (module.sigmoid, torch.sigmoid, exact["sigmoid"]), (module.log_sigmoid, F.logsigmoid, exact["log_sigmoid"]),
        (lambda a: module.binary_cross_entropy_with_logits(a, t.detach()),
         lambda a: F.binary_cross_entropy_with_logits(a, t.detach(), reduction="none"), None),
    ]
    for ours, theirs, truth in pairs:
        mine = torch.autograd.grad(ours(x).sum(), x)[0]
        peer = torch.autograd.grad(theirs(x).sum(), x)[0]
        assert torch.allclose(mine, peer, rtol=1e-9, atol=1e-300)
        points = x.detach().tolist()
        wanted = [truth(v) for v in points] if truth else [exact["bce"](v, w) for v, w in zip(points, t.detach().tolist())]
        assert all(within(g, e, "float64", 4) for g, e in zip(mine.tolist(), wanted)), truth


def test_torch_bce_gradient_keeps_its_digits_for_a_confident_hard_target(torch_module):
    # sigma(z) - t at t = 1, z = 30: torch's own gradient rounds sigma(30) = 1 - 9.36e-14 first and
    # keeps 3 digits; the verified form is -sigma(-z), to the last bit
    torch, module = torch_module
    z = torch.tensor([6.0, 30.0, 700.0], dtype=torch.float64, requires_grad=True)
    t = torch.ones(3, dtype=torch.float64)
    (grad,) = torch.autograd.grad(module.binary_cross_entropy_with_logits(z, t).sum(), z)
    assert all(within(g, -sigmoid(-v), "float64", 1) for g, v in zip(grad.tolist(), z.tolist()))
    peer = torch.autograd.grad(torch.nn.functional.binary_cross_entropy_with_logits(z, t, reduction="none").sum(), z)[0]
    assert abs(peer[1].item() / grad[1].item() - 1) > 1e-4  # theirs: 13 of 16 digits lost


def test_torch_gradients_stay_finite_where_the_naive_formula_overflows(torch_module):
    torch, module = torch_module
    x = torch.tensor([-1000.0, 1000.0], dtype=torch.float32, requires_grad=True)
    for function, expected in ((module.sigmoid, [0.0, 0.0]), (module.log_sigmoid, [1.0, 0.0]),
                               (lambda a: module.softplus(a, k=1e8), [0.0, 1.0])):
        (grad,) = torch.autograd.grad(function(x).sum(), x)
        assert grad.tolist() == expected
    rows = torch.tensor([[1000.0, 0.0], [-1000.0, -1000.0]], dtype=torch.float32, requires_grad=True)
    (grad,) = torch.autograd.grad(module.logsumexp(rows, dim=-1).sum(), rows)
    assert grad.tolist() == [[1.0, 0.0], [0.5, 0.5]]


def test_torch_reduction_gradients_are_the_verified_jacobians(torch_module):
    torch, module = torch_module
    F = torch.nn.functional
    generator = torch.Generator().manual_seed(0)
    x = (torch.randn(5, 7, generator=generator, dtype=torch.float64) * 3).requires_grad_()
    for k in (1.0, 0.5, 3.0):
        assert torch.autograd.gradcheck(lambda a: module.logsumexp(a, dim=-1, k=k), (x,))
        assert torch.autograd.gradcheck(lambda a: module.softmax(a, dim=-1, k=k), (x,))
        assert torch.autograd.gradcheck(lambda a: module.log_softmax(a, dim=-1, k=k), (x,))
    (grad,) = torch.autograd.grad(module.logsumexp(x, dim=-1).sum(), x)
    assert torch.allclose(grad, torch.softmax(x, dim=-1), rtol=1e-14, atol=1e-300)  # ∇LSE = softmax
    y = torch.tensor([0, 3, 6, 1, 2])
    (grad,) = torch.autograd.grad(module.softmax_cross_entropy(x, y).sum(), x)
    peer = torch.autograd.grad(F.cross_entropy(x, y, reduction="none").sum(), x)[0]
    assert torch.allclose(grad, peer, rtol=1e-13, atol=1e-16)
    assert torch.allclose(grad, module.softmax_cross_entropy_grad(x.detach(), y), rtol=1e-14, atol=1e-300)


def test_torch_a_parameter_without_a_verified_derivative_cannot_be_differentiated(torch_module):
    torch, module = torch_module
    k = torch.tensor(2.0, requires_grad=True)
    with pytest.raises(ValueError, match="k"):
        module.softplus(torch.tensor([1.0]), k=k)
    with pytest.raises(ValueError, match="k"):
        module.softplus(torch.tensor([1.0]), k=-1.0)
    with pytest.raises(ValueError, match="k"):
        module.logsumexp(torch.tensor([1.0, 2.0]), k=0.0)


@settings(max_examples=40, deadline=None)
@given(st.floats(-700, 700), st.sampled_from([0.25, 1.0, 4.0]))
def test_torch_softplus_and_its_gradient_against_mpmath(torch_module, v, k):
    torch, module = torch_module
    for dtype in (torch.float32, torch.float64):
        x = torch.tensor([v], dtype=dtype, requires_grad=True)
        value = module.softplus(x, k=k)
        (grad,) = torch.autograd.grad(value.sum(), x)
        name = str(dtype).removeprefix("torch.")
        xv = x.detach().item()
        with mpmath.workdps(50):
            exact = mpmath.log1p(mpmath.exp(k * mpmath.mpf(xv))) / k
            kappa = max(1.0, float(abs(xv) * sigmoid(k * xv) / exact))  # |x f'(x) / f(x)|: what rounding x costs
        assert within(value.item(), exact, name, 2 * kappa), (xv, k, value.item())
        assert within(grad.item(), sigmoid(k * xv), name, 4 * max(1.0, k * abs(xv))), (xv, k, grad.item())


# -- jax -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jax_module():
    jax = pytest.importorskip("jax", reason="the frameworks extra is not installed: pip install -e '.[frameworks]'")
    return jax, written("jax")[1]


def test_jax_module_offers_the_same_functions_with_verified_backward_passes(jax_module, torch_module):
    _, module = jax_module
    _, torch_one = torch_module
    assert set(module.__all__) == set(torch_one.__all__)
    for name, variables in ELEMENTWISE_WITH_DERIVATIVES.items():
        doc = getattr(module, name).__doc__
        assert all(f"d/d{v} = " in doc for v in variables) and "export-gradients step" in doc, name
    assert "JAX's autodiff of the code above" in module.softmax_one_hot.__doc__


def test_jax_gradients_are_the_verified_derivatives_under_jit(jax_module):
    jax, module = jax_module
    import jax.numpy as jnp

    with jax.enable_x64(True):
        x = jnp.array([-1000.0, -30.0, -1.0, 0.0, 2.5, 30.0, 1000.0])
        grad = jax.jit(jax.grad(lambda a: module.softplus(a, k=2.0).sum()))(x)
        assert [float(g) for g in grad] == pytest.approx([float(sigmoid(2 * v)) for v in x.tolist()], rel=4e-16, abs=1e-300)
        z, t = jnp.array([1.0, -2.0, 40.0]), jnp.array([0.3, 1.0, 0.0])
        dz, dt = jax.grad(lambda a, b: module.binary_cross_entropy_with_logits(a, b).sum(), argnums=(0, 1))(z, t)
        assert [float(g) for g in dz] == pytest.approx([float(sigmoid(v)) - w for v, w in zip(z.tolist(), t.tolist())], rel=1e-15)
        assert [float(g) for g in dt] == [-1.0, 2.0, -40.0]
        rows = jnp.array([[0.0, -40.0, 3.0], [1000.0, 0.0, -1.0]])
        grad = jax.jit(jax.grad(lambda a: module.logsumexp(a, axis=-1).sum()))(rows)
        assert np.allclose(np.asarray(grad), np.asarray(jax.nn.softmax(rows, axis=-1)), rtol=1e-14, atol=1e-300)
        y = jnp.array([2, 0])
        grad = jax.grad(lambda a: module.softmax_cross_entropy(a, y).sum())(rows)
        assert np.allclose(np.asarray(grad), np.asarray(module.softmax_cross_entropy_grad(rows, y)), rtol=1e-14, atol=1e-300)
        from jax.test_util import check_grads  # (jax.test_util is not an attribute until imported)

        check_grads(lambda a: module.log_softmax(a, axis=-1, k=0.5), (rows[:1] / 100,), order=1, modes=("rev", "fwd"))


def test_jax_float32_gradients_stay_finite(jax_module):
    jax, module = jax_module
    import jax.numpy as jnp

    x = jnp.array([-1000.0, 1000.0], dtype=jnp.float32)
    assert [float(g) for g in jax.grad(lambda a: module.sigmoid(a).sum())(x)] == [0.0, 0.0]
    assert [float(g) for g in jax.grad(lambda a: module.log_sigmoid(a).sum())(x)] == [1.0, 0.0]


# -- the command line ------------------------------------------------------------------------------


def test_the_command_line_links_a_function_to_its_derivative_in_another_file(tmp_path, capsys):
    pytest.importorskip("jax", reason="the frameworks extra is not installed: pip install -e '.[frameworks]'")
    out = tmp_path / "softplus_jax.py"
    assert main(["export", SOURCES[0], SOURCES[2], "--only", "softplus", "--target", "jax", "-o", str(out)]) == 0
    assert "wrote 1 functions" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "export-gradients step 2 (softplus' = sigmoid(kx)): proved" in text and "return _verified(" in text
    assert "jax_enable_x64" not in text  # the module never changes JAX's settings


# -- without the framework ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["torch", "jax"])
def test_export_to_a_missing_framework_says_how_to_install_it(tmp_path, target):
    script = textwrap.dedent(f"""
        import sys
        sys.modules[{target!r}] = None  # as if not installed
        from smoothsym.cli import main
        sys.exit(main(["export", {SOURCES[0]!r}, "--target", {target!r}, "-o", {str(tmp_path / 'out.py')!r}]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"--target {target} needs {target} installed" in done.stderr and "pip install -e '.[frameworks]'" in done.stderr
    assert not (tmp_path / "out.py").exists()
