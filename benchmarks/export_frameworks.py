"""Accuracy of the torch and JAX exports, values and gradients, against the frameworks' own functions, run by hand.

    .venv/bin/python benchmarks/export_frameworks.py                 # both targets
    .venv/bin/python benchmarks/export_frameworks.py --targets torch

The modules are what `smoothsym export --target torch / jax` writes (smoothsym.export.build, from
the stable forms, the code's formulas and the derivatives behind the backward passes). Inputs and
metric are the docstrings' (smoothsym.export.reduction_accuracy / elementwise_accuracy: normal at
scales 1 to 1e5, ties, one dominant entry, results near 0, subnormals, -inf entries, +-inf and NaN;
k = 1, since the peers have no k), per dtype, against mpmath at 50 digits. Columns: the worst
relative error in ULPs of the true result where the problem is well conditioned (kappa <= 2), the
worst ULPs per unit condition number, the worst overall, and the +-inf/NaN inputs whose result is
scipy.special's.

Gradients: for each elementwise function with a verified derivative, the framework's gradient of
ours (the backward pass printed from the derivative's step) and of the peer (autodiff of the
peer's own function), both measured against that derivative formula at 50 digits, on the same
inputs: the worst relative ULPs over all of them (no condition number here). The peers: torch.logsumexp / softmax / log_softmax / F.cross_entropy(reduction="none") /
F.softplus / sigmoid / F.logsigmoid / F.binary_cross_entropy_with_logits; jax.nn.logsumexp /
softmax / log_softmax / -log_softmax[y] / softplus / sigmoid / log_sigmoid, and the BCE written
with jax.nn.log_sigmoid as optax does. torch and jax are imported here only.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from dataclasses import replace

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from smoothsym.export import DTYPES, _dtype_available, build, elementwise_accuracy, load_source, reduction_accuracy  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
PATHS = [os.path.join(ROOT, "derivations", name) for name in
         ("stable_forms.py", "export_forms.py", "export_gradients.py", "lse_gradient.py")]


def torch_peers():
    import torch
    import torch.nn.functional as F

    def ce(z, y):
        return F.cross_entropy(z.reshape(-1, z.shape[-1]), y.reshape(-1), reduction="none").reshape(y.shape)

    reductions = {
        "logsumexp": ("torch.logsumexp", lambda x, dim=-1, k=1.0: torch.logsumexp(x, dim)),
        "softmax": ("torch.softmax", lambda x, dim=-1, k=1.0: torch.softmax(x, dim)),
        "log_softmax": ("torch.log_softmax", lambda x, dim=-1, k=1.0: torch.log_softmax(x, dim)),
        "softmax_cross_entropy": ("F.cross_entropy", lambda z, y: ce(z, torch.as_tensor(y))),
    }
    elementwise = {
        "softplus": ("F.softplus", lambda x, k=1.0: F.softplus(x)),
        "sigmoid": ("torch.sigmoid", torch.sigmoid),
        "log_sigmoid": ("F.logsigmoid", F.logsigmoid),
        "binary_cross_entropy_with_logits": (
            "F.binary_cross_entropy_with_logits",
            lambda z, t: F.binary_cross_entropy_with_logits(z, torch.as_tensor(t, dtype=z.dtype).expand_as(z), reduction="none")),
    }
    return reductions, elementwise


def jax_peers():
    import jax
    import jax.numpy as jnp

    def ce(z, y):
        return -jnp.take_along_axis(jax.nn.log_softmax(z, axis=-1), jnp.asarray(y)[..., None], axis=-1)[..., 0]

    reductions = {
        "logsumexp": ("jax.nn.logsumexp", lambda x, axis=-1, k=1.0: jax.nn.logsumexp(x, axis=axis)),
        "softmax": ("jax.nn.softmax", lambda x, axis=-1, k=1.0: jax.nn.softmax(x, axis=axis)),
        "log_softmax": ("jax.nn.log_softmax", lambda x, axis=-1, k=1.0: jax.nn.log_softmax(x, axis=axis)),
        "softmax_cross_entropy": ("-log_softmax(z)[y]", ce),
    }
    elementwise = {
        "softplus": ("jax.nn.softplus", lambda x, k=1.0: jax.nn.softplus(x)),
        "sigmoid": ("jax.nn.sigmoid", jax.nn.sigmoid),
        "log_sigmoid": ("jax.nn.log_sigmoid", jax.nn.log_sigmoid),
        "binary_cross_entropy_with_logits": (
            "optax-style BCE", lambda z, t: -(t * jax.nn.log_sigmoid(z) + (1 - t) * jax.nn.log_sigmoid(-z))),
    }
    return reductions, elementwise


def gradient_of(function, target: str, index: int):
    """x -> d/d(argument index) of sum(function(...)), by the framework's own reverse mode."""
    if target == "torch":
        import torch

        def grad(*args, **named):
            args = [a.detach().clone().requires_grad_() if i == index else a for i, a in enumerate(args)]
            out = function(*args, **named)
            return torch.autograd.grad(out.sum(), args[index])[0]
    else:
        import jax

        def grad(*args, **named):
            def scalar(a):
                return function(*args[:index], a, *args[index + 1:], **named).sum()
            return jax.grad(scalar)(args[index])
    return grad


def _cells(a) -> str:
    def f(v):
        return "inf" if v == np.inf else (f"{v:.3g}" if v < 1e4 else f"{v:.1e}")
    return f"{f(a.worst_well)} / {f(a.per_condition)} / {f(a.worst)} / {a.specials_ok}/{a.specials}"


def _overall(a) -> str:
    """A gradient's worst relative ULPs over every input (no condition number: the derivative of a
    min/|x| form has no smooth derivative to weigh it with)."""
    worst = "inf" if a.worst == np.inf else (f"{a.worst:.3g}" if a.worst < 1e4 else f"{a.worst:.1e}")
    return f"{worst} / {a.specials_ok}/{a.specials}"


def tables(target: str) -> list[str]:
    source, exports = build(PATHS, target=target)
    m = load_source(source, f"smoothsym_{target}")
    by_name = {e.name: e for e in exports}
    reductions, elementwise = torch_peers() if target == "torch" else jax_peers()
    lines = [f"### {target}: values", "",
             "| function | dtype | smoothsym: well conditioned / per unit kappa / overall / +-inf,NaN | peer | peer: the same |",
             "|---|---|---|---|---|"]
    for name, (peer, function) in reductions.items():
        for dtype in DTYPES[target]:
            with _dtype_available(target, dtype):
                ours = reduction_accuracy(name, getattr(m, name), target, dtype=dtype, ks=(1.0,))
                theirs = reduction_accuracy(name, function, target, dtype=dtype, ks=(1.0,))
            lines.append(f"| {name} | {dtype} | {_cells(ours)} | {peer} | {_cells(theirs)} |")
    for name, (peer, function) in elementwise.items():
        e = by_name[name]
        for dtype in DTYPES[target]:
            with _dtype_available(target, dtype):
                ours = elementwise_accuracy(e, getattr(m, name), target, dtype=dtype, ks=(1.0,))
                theirs = elementwise_accuracy(e, function, target, dtype=dtype, ks=(1.0,))
            lines.append(f"| {name} | {dtype} | {_cells(ours)} | {peer} | {_cells(theirs)} |")
    lines += ["", f"### {target}: gradients (against the verified derivative at 50 digits)", "",
              "| function | d/d | dtype | smoothsym's backward: worst ULP / +-inf,NaN | peer's autodiff | peer: the same |",
              "|---|---|---|---|---|---|"]
    for name, (peer, function) in elementwise.items():
        e = by_name[name]
        for b in e.backward:
            index = [p for p in e.signature.params if p != "k"].index(b.variable)
            derivative = replace(e, expression=b.expression, naive=None, backward=())
            for dtype in ("float64", "float32"):
                with _dtype_available(target, dtype):
                    ours = elementwise_accuracy(derivative, gradient_of(getattr(m, name), target, index), target, dtype=dtype, ks=(1.0,))
                    theirs = elementwise_accuracy(derivative, gradient_of(function, target, index), target, dtype=dtype, ks=(1.0,))
                lines.append(f"| {name} | {b.variable} | {dtype} | {_overall(ours)} | {peer} | {_overall(theirs)} |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", nargs="+", default=["torch", "jax"], choices=["torch", "jax"])
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for target in args.targets:
        print("\n".join(tables(target)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
