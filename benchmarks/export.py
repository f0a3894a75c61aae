"""Accuracy and speed of the exported numpy module (`smoothsym export`), against scipy.special, run by hand.

    .venv/bin/python benchmarks/export.py                 # both tables, 1e6 elements
    .venv/bin/python benchmarks/export.py --only accuracy
    .venv/bin/python benchmarks/export.py --sizes 1e6 1e7
    .venv/bin/python benchmarks/export.py --only speed --clock cpu   # CPU time: steadier on a loaded machine
    .venv/bin/python benchmarks/export.py --only floors   # what no numpy code can beat (accuracy, speed)

Accuracy: the same adversarial inputs as the docstrings (smoothsym.export.reduction_accuracy and
elementwise_accuracy: normal at scales 1 to 1e5, ties, one dominant entry, results near 0,
subnormals, -inf entries, +-inf and NaN; k = 1 since the peers have no k), per dtype, against
mpmath at 50 digits. Columns: the worst relative error in ULPs of the true result where the
problem is well conditioned (kappa <= 2), the worst ULPs per unit condition number
(ULP / max(1, kappa)), the worst relative ULPs overall, and the +-inf/NaN inputs whose result is
scipy.special's. The peers: scipy.special.logsumexp / softmax / log_softmax, logsumexp(z) - z_y for
the cross-entropy, np.logaddexp(0, x) for softplus, scipy.special.expit / log_expit for sigmoid /
log_sigmoid. (For float16 input scipy.special.expit / log_expit return float32: their error is
then far below a float16 ULP, but the dtype is not kept.)

A second table measures the reductions the same way on rows of 200 entries: rows longer than 64
take their own code (softmax there by its definition where the max allows it, see
kernels_numpy._plain_shift), which the first table's lengths do not reach.

Speed: best of R runs on standard-normal input, rows of n (last axis), ours and the peer's run
in turn (interleaved, so a burst of load falls on both), as the ratio
peer time / smoothsym time measured in the same run (> 1: smoothsym is faster), and the time in
units of one np.exp pass over the same array (allocating its output). The machine load
(os.getloadavg) is printed before and after. ``--clock cpu`` times by the calling thread's CPU
time (time.thread_time; numpy and scipy run these single-threaded) instead of the wall clock:
time spent waiting for a CPU on a loaded machine is then not counted (the caches are still shared).

scipy is imported here only: it is not a dependency of smoothsym or of the exported module.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np
import scipy
import scipy.special

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from smoothsym.export import build, elementwise_accuracy, load_source, reduction_accuracy  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..")
PATHS = [os.path.join(ROOT, "derivations", "stable_forms.py"), os.path.join(ROOT, "derivations", "export_forms.py")]
DTYPES = ("float64", "float32", "float16")
LONG = 200  # the row length of the second accuracy table


CLOCK = time.perf_counter  # --clock cpu: time.thread_time


def best_time(function, repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by the machine)."""
    return best_times([function], repeats)[0]


def best_times(functions, repeats: int) -> list[float]:
    """The fastest of ``repeats`` runs of each function, in seconds, the runs interleaved (one of
    each in turn): a burst of load on the shared machine then falls on every function alike, not
    on whichever happened to be timed during it."""
    best = [float("inf")] * len(functions)
    for _ in range(repeats):
        for i, function in enumerate(functions):
            started = CLOCK()
            function()
            best[i] = min(best[i], CLOCK() - started)
    return best


def _scipy_cross_entropy(z, y):
    z = np.asarray(z)
    return scipy.special.logsumexp(z, axis=-1) - np.take_along_axis(z, np.asarray(y)[..., None], axis=-1)[..., 0]


REDUCTION_PEERS = {
    "logsumexp": ("scipy.special.logsumexp", lambda x, axis=-1, k=1.0: scipy.special.logsumexp(x, axis=axis)),
    "softmax": ("scipy.special.softmax", lambda x, axis=-1, k=1.0: scipy.special.softmax(x, axis=axis)),
    "log_softmax": ("scipy.special.log_softmax", lambda x, axis=-1, k=1.0: scipy.special.log_softmax(x, axis=axis)),
    "softmax_cross_entropy": ("scipy logsumexp(z) - z[y]", _scipy_cross_entropy),
}
ELEMENTWISE_PEERS = {
    "softplus": ("np.logaddexp(0, x)", lambda x, k=1.0: np.logaddexp(np.zeros((), dtype=np.asarray(x).dtype), x)),
    "sigmoid": ("scipy.special.expit", lambda x: scipy.special.expit(x)),
    "log_sigmoid": ("scipy.special.log_expit", lambda x: scipy.special.log_expit(x)),
}


def _cells(a) -> str:
    def f(v):
        return "inf" if v == np.inf else (f"{v:.3g}" if v < 1e4 else f"{v:.1e}")
    return f"{f(a.worst_well)} / {f(a.per_condition)} / {f(a.worst)} / {a.specials_ok}/{a.specials}"


def accuracy_table(m, exports, ns=None, count=4) -> list[str]:
    """The accuracy rows; ``ns``: the row lengths of the reductions (default reduction_accuracy's,
    2, 3, 8 and 33; the elementwise functions are left out when given); ``count``: rows per input
    class and scale (4 is the docstrings' own sample: too few to see a tail)."""
    lengths = {"count": count} if ns is None else {"ns": ns, "count": count}
    lines = [
        "| function | dtype | smoothsym: well conditioned / per unit kappa / overall / +-inf,NaN as scipy | peer | peer: the same |",
        "|---|---|---|---|---|",
    ]
    by_name = {e.name: e for e in exports}
    for name, (peer, function) in REDUCTION_PEERS.items():
        for dtype in DTYPES:
            ours = reduction_accuracy(name, getattr(m, name), dtype=dtype, ks=(1.0,), **lengths)
            with np.errstate(all="ignore"):
                theirs = reduction_accuracy(name, function, dtype=dtype, ks=(1.0,), **lengths)
            lines.append(f"| {name} | {dtype} | {_cells(ours)} | {peer} | {_cells(theirs)} |")
    elementwise = ELEMENTWISE_PEERS if ns is None else {}
    for name, (peer, function) in elementwise.items():
        e = by_name[name]
        for dtype in DTYPES:
            ours = elementwise_accuracy(e, getattr(m, name), dtype=dtype, ks=(1.0,))
            with np.errstate(all="ignore"):
                theirs = elementwise_accuracy(e, function, dtype=dtype, ks=(1.0,))
            lines.append(f"| {name} | {dtype} | {_cells(ours)} | {peer} | {_cells(theirs)} |")
    return lines


def floors(m, repeats: int, rng) -> list[str]:
    """What no numpy code can beat, measured: (1) float64 softmax's accuracy when every step is
    rounded correctly (each e^{x_i} and the row's sum rounded once from extended precision, then
    one division), against ours and scipy's, on 2000 standard-normal rows, against a long-double
    reference; (2) for float32 rows of 1000, the time of the one pass a float32 result accurate to
    0.5 ULP needs (np.exp of the entries into float64: numpy's float32 exp errs by up to 2.5 ULP)
    against scipy's whole float32 softmax and logsumexp: the ratio no such code can exceed."""
    lines = []
    if np.finfo(np.longdouble).nmant < 63:
        lines.append("(1) skipped: this platform's long double is no wider than float64")
    else:
        lines += ["| rows of n | well conditioned (kappa <= 2): correctly rounded steps | smoothsym | scipy.special.softmax |",
                  "|---|---|---|---|"]
        for n in (200, 1000):
            x = rng.standard_normal((2000, n))
            wide = x.astype(np.longdouble)
            e = np.exp(wide)
            exact = e / e.sum(axis=1, keepdims=True)
            ulp = np.spacing(exact.astype(np.float64)).astype(np.longdouble)
            p = exact.astype(np.float64)
            kappa = np.abs(x) * (1 - p) + (np.abs(x) * p).sum(axis=1, keepdims=True) - np.abs(x) * p
            well = kappa <= 2

            def worst(q):
                return float(((np.abs(q.astype(np.longdouble) - exact) / ulp).astype(np.float64))[well].max())
            rounded = e.astype(np.float64) / e.sum(axis=1).astype(np.float64)[:, None]
            lines.append(f"| {n} | {worst(rounded):.2f} | {worst(m.softmax(x, axis=-1)):.2f} | "
                         f"{worst(scipy.special.softmax(x, axis=-1)):.2f} |")
    x = rng.standard_normal((1000, 1000)).astype(np.float32)
    t_exp, t_softmax, t_lse = best_times([lambda: np.exp(x, dtype=np.float64), lambda: scipy.special.softmax(x, axis=-1),
                                          lambda: scipy.special.logsumexp(x, axis=-1)], repeats)
    lines.append(f"\n(2) float32, 1000 rows of 1000: np.exp(x, dtype=float64) {t_exp * 1e3:.2f} ms; scipy.special.softmax "
                 f"{t_softmax * 1e3:.2f} ms, logsumexp {t_lse * 1e3:.2f} ms: at most {t_softmax / t_exp:.2f}x and "
                 f"{t_lse / t_exp:.2f}x for any code with that pass")
    return lines


def speed_table(m, size: int, repeats: int, rng) -> list[str]:
    lines = [
        f"| {size:.0e} elements | dtype | n | smoothsym (ms) | np.exp passes | peer | peer (ms) | peer / smoothsym |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for dtype in ("float64", "float32"):
        for n in (2, 10, 1000):
            x = rng.standard_normal((size // n, n)).astype(dtype)
            t_exp = best_time(lambda: np.exp(x), repeats)
            for name, peer, ours, theirs in [
                ("logsumexp", "scipy.special.logsumexp", lambda: m.logsumexp(x, axis=-1),
                 lambda: scipy.special.logsumexp(x, axis=-1)),
                ("softmax", "scipy.special.softmax", lambda: m.softmax(x, axis=-1), lambda: scipy.special.softmax(x, axis=-1)),
                ("log_softmax", "scipy.special.log_softmax", lambda: m.log_softmax(x, axis=-1),
                 lambda: scipy.special.log_softmax(x, axis=-1)),
            ]:
                t_ours, t_theirs = best_times([ours, theirs], repeats)
                lines.append(f"| {name} | {dtype} | {n} | {t_ours * 1e3:.2f} | {t_ours / t_exp:.2f} | {peer} | "
                             f"{t_theirs * 1e3:.2f} | {t_theirs / t_ours:.2f}x |")
        flat = rng.standard_normal(size).astype(dtype)
        zero = np.zeros((), dtype=dtype)
        t_exp = best_time(lambda: np.exp(flat), repeats)
        for name, peer, ours, theirs in [
            ("softplus", "np.logaddexp(0, x)", lambda: m.softplus(flat), lambda: np.logaddexp(zero, flat)),
            ("sigmoid", "scipy.special.expit", lambda: m.sigmoid(flat), lambda: scipy.special.expit(flat)),
            ("log_sigmoid", "scipy.special.log_expit", lambda: m.log_sigmoid(flat), lambda: scipy.special.log_expit(flat)),
        ]:
            t_ours, t_theirs = best_times([ours, theirs], repeats)
            lines.append(f"| {name} | {dtype} | - | {t_ours * 1e3:.2f} | {t_ours / t_exp:.2f} | {peer} | "
                         f"{t_theirs * 1e3:.2f} | {t_theirs / t_ours:.2f}x |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6])
    parser.add_argument("--repeats", type=int, default=0, help="runs per timing (default 7 at 1e6, 3 at 1e7)")
    parser.add_argument("--only", choices=("accuracy", "speed", "floors"))
    parser.add_argument("--rows", type=int, default=4, help="rows per input class and scale, short rows (default 4)")
    parser.add_argument("--long-rows", type=int, default=50, help="the same for the rows of 200 (default 50)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="speed by the wall clock (default) or by the thread's CPU time")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    with tempfile.TemporaryDirectory():
        source, exports = build(PATHS)
        m = load_source(source, "smooth_numpy")
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} (before)")
    if args.only in (None, "accuracy"):
        print(f"\nAccuracy, k = 1 (ULPs of the true result in the dtype, mpmath at 50 digits; {args.rows} rows per class and scale):\n")
        print("\n".join(accuracy_table(m, exports, count=args.rows)), flush=True)
        print(f"\nThe same, reductions over rows of {LONG} entries (the code for rows longer than 64; {args.long_rows} rows per class and scale):\n")
        print("\n".join(accuracy_table(m, exports, ns=(LONG,), count=args.long_rows)), flush=True)
    if args.only in (None, "floors"):
        print("\nFloors (what no numpy code can beat):\n")
        print("\n".join(floors(m, args.repeats or 7, np.random.default_rng(1))), flush=True)
    if args.only in (None, "speed"):
        rng = np.random.default_rng(0)
        for size in args.sizes:
            repeats = args.repeats or (7 if size <= 1e6 else 3)
            print(f"\nSpeed ({'CPU time of the thread' if args.clock == 'cpu' else 'wall clock'}, best of {repeats}):")
            print("\n" + "\n".join(speed_table(m, int(size), repeats, rng)), flush=True)
    print(f"\nload average {' '.join(f'{v:.2f}' for v in os.getloadavg())} (after)")


if __name__ == "__main__":
    main()
