"""Speed and accuracy of the exported numeric module (`smoothsym export`), run by hand.

    python3 benchmarks/export.py                  # 1e6 elements
    python3 benchmarks/export.py --sizes 1e6 1e7  # and 1e7 (about 2 minutes more)

For each size and row length n (2, 10, 1000) it times, best of R runs, on standard-normal float64
input: the exported logsumexp / softmax (rows of n, the last axis) and softplus (elementwise),
against scipy.special.logsumexp / softmax, np.logaddexp(0, x), a plain max-shift in numpy and a
naive lambdify of SymPy's formula. Time is given in ms and in units of one np.exp pass over the
same array (allocating its output, as the functions do): the floor. "worst ULP" is measured on
other rows of the same n, normal at scales 1, 1e3 and 1e5 (past exp's overflow at 709), against
mpmath at 50 digits, in ULP of max(|result|, max |x|) (ULP of 1 for softmax entries); inf means
the method returned inf or NaN where the true value is finite.

scipy is imported here only: it is not a dependency of smoothsym or of the exported module.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import mpmath
import numpy as np
import scipy.special
import sympy as sp

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from smoothsym.export import export, load_source  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")


def best_time(function, repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def ulps(computed, exact, scale) -> float:
    computed = float(computed)
    if not np.isfinite(computed):
        return float("inf")
    return 0.0 if computed == float(exact) else abs(computed - float(exact)) / float(np.spacing(abs(float(scale))))


def mp_lse(row):
    with mpmath.workdps(50):
        top = mpmath.mpf(float(max(row)))
        return top + mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v)) - top) for v in row))


def mp_softmax_first(row):
    with mpmath.workdps(50):
        terms = [mpmath.exp(mpmath.mpf(float(v))) for v in row]
        return terms[0] / mpmath.fsum(terms)


def accuracy_rows(n: int, rng) -> np.ndarray:
    count = max(6, 600 // n)
    return np.vstack([rng.standard_normal((count, n)) * s for s in (1.0, 1e3, 1e5)])


def worst(method, rows, exact_of, unit=False) -> float:
    with np.errstate(all="ignore"):
        values = method(rows)
    found = 0.0
    for row, value in zip(rows, values):
        exact = exact_of(row)
        scale = 1.0 if unit else max(abs(float(exact)), float(np.abs(row).max()))
        found = max(found, ulps(value[0] if unit else value, exact, scale))
    return found


def naive_lambdified(n: int, softmax=False):
    """SymPy's formula through lambdify: the naive form, one column per variable."""
    xs = sp.symbols(f"x_1:{n + 1}", real=True)
    total = sum(sp.exp(v) for v in xs)
    if softmax:
        f = sp.lambdify(xs, sp.exp(xs[0]) / total, "numpy")
        return lambda x: f(*x.T)[:, None]
    f = sp.lambdify(xs, sp.log(total), "numpy")
    return lambda x: f(*x.T)


def max_shift_numpy(x):
    """The textbook max-shift in numpy (no inf/NaN rules)."""
    m = x.max(axis=-1, keepdims=True)
    return m[..., 0] + np.log(np.exp(x - m).sum(axis=-1))


def row(table, name, seconds, exp_seconds, reference=None, ulp=None):
    ratio = f"{reference / seconds:6.2f}x" if reference else "      "
    ulp_text = "  inf" if ulp == float("inf") else (f"{ulp:5.1f}" if ulp is not None else "    -")
    table.append(f"  {name:<34} {seconds * 1e3:9.2f} ms {seconds / exp_seconds:7.2f} exp {ratio}   {ulp_text}")


def bench(size: int, m, repeats: int, rng) -> list[str]:
    table = [f"\n{size:.0e} float64 elements   (time, np.exp passes, speed vs scipy / logaddexp, worst ULP)"]
    for n in (2, 10, 1000):
        x = rng.standard_normal((size // n, n))
        t_exp = best_time(lambda: np.exp(x), repeats)
        acc = accuracy_rows(n, rng)
        table.append(f" rows of n = {n}: one np.exp pass {t_exp * 1e3:.2f} ms")
        t_scipy = best_time(lambda: scipy.special.logsumexp(x, axis=-1), repeats)
        exact = mp_lse
        for name, method in [
            ("logsumexp (exported)", lambda a: m.logsumexp(a)),
            ("scipy.special.logsumexp", lambda a: scipy.special.logsumexp(a, axis=-1)),
            ("max-shift numpy", max_shift_numpy),
        ] + ([("naive lambdify", naive_lambdified(n))] if n <= 10 else []):
            seconds = t_scipy if name.startswith("scipy") else best_time(lambda: method(x), repeats)
            row(table, name, seconds, t_exp, t_scipy, worst(method, acc, exact))
        t_scipy = best_time(lambda: scipy.special.softmax(x, axis=-1), repeats)
        for name, method in [
            ("softmax (exported)", lambda a: m.softmax(a)),
            ("scipy.special.softmax", lambda a: scipy.special.softmax(a, axis=-1)),
        ] + ([("naive lambdify softmax", naive_lambdified(n, softmax=True))] if n <= 10 else []):
            seconds = t_scipy if name.startswith("scipy") else best_time(lambda: method(x), repeats)
            row(table, name, seconds, t_exp, t_scipy, worst(method, acc, mp_softmax_first, unit=True))
    flat = rng.standard_normal(size)
    t_exp = best_time(lambda: np.exp(flat), repeats)
    t_ref = best_time(lambda: np.logaddexp(0, flat), repeats)
    acc = np.concatenate([rng.standard_normal(300) * s for s in (1.0, 1e3, 1e5)])
    f_naive = sp.lambdify(sp.Symbol("x"), sp.log(1 + sp.exp(sp.Symbol("x"))), "numpy")
    table.append(f" elementwise softplus: one np.exp pass {t_exp * 1e3:.2f} ms")
    for name, method in [
        ("softplus (exported)", m.softplus),
        ("np.logaddexp(0, x)", lambda a: np.logaddexp(0, a)),
        ("naive lambdify softplus", f_naive),
    ]:
        seconds = t_ref if name.startswith("np.") else best_time(lambda: method(flat), repeats)
        with np.errstate(all="ignore"):
            values = method(acc)
        w = max(ulps(v, mp_lse([a, 0.0]), max(abs(float(mp_lse([a, 0.0]))), abs(a))) for a, v in zip(acc, values))
        row(table, name, seconds, t_exp, t_ref, w)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6])
    parser.add_argument("--repeats", type=int, default=0, help="runs per timing (default 7 at 1e6, 3 at 1e7)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "smooth_numpy.py")
        export([os.path.join(ROOT, "derivations", "stable_forms.py")], path)
        with open(path, encoding="utf-8") as handle:
            m = load_source(handle.read(), "smooth_numpy")
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, {os.cpu_count()} CPUs")
    for size in args.sizes:
        repeats = args.repeats or (7 if size <= 1e6 else 3)
        print("\n".join(bench(int(size), m, repeats, rng)), flush=True)


if __name__ == "__main__":
    main()
