"""Speed of the torch templates of `smoothsym export --target torch` (smoothsym/kernels_torch.py)
against torch's own functions, run by hand:

    .venv/bin/python benchmarks/export_torch.py
    .venv/bin/python benchmarks/export_torch.py --elements 1e7 --repeats 31 --threads 1

Peers: torch.logsumexp, torch.softmax, torch.log_softmax and
torch.nn.functional.cross_entropy(reduction='none'), on standard-normal input of about
``--elements`` entries in rows of n (the last dim; the cross-entropy's classes). Each cell is the
ratio peer time / our time (> 1: ours is faster), the median of ``--repeats`` interleaved runs
(ours and the peer alternate, so a change in the machine's load hits both), for the forward pass
alone and for forward + backward (the backward of ``out.backward(g)`` with a fixed random g). The
machine load (os.getloadavg) is printed before and after, and torch's thread count.

The kernel file is imported directly: these are the functions an exported module copies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from smoothsym import kernels_torch as K  # noqa: E402

FUNCTIONS = {
    # name: (ours, the peer), each called as f(x) on rows along the last dim
    "logsumexp": (lambda x, y: K.logsumexp(x, dim=-1), lambda x, y: torch.logsumexp(x, dim=-1)),
    "softmax": (lambda x, y: K.softmax(x, dim=-1), lambda x, y: torch.softmax(x, dim=-1)),
    "log_softmax": (lambda x, y: K.log_softmax(x, dim=-1), lambda x, y: torch.log_softmax(x, dim=-1)),
    "cross_entropy": (lambda x, y: K.softmax_cross_entropy(x, y), lambda x, y: F.cross_entropy(x, y, reduction="none")),
}


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def ratio(ours, peer, repeats: int) -> tuple[float, float, float]:
    """(median peer time / median our time, our median in ms, the peer's in ms), interleaved runs
    after one warm-up of each."""
    ours(), peer()
    mine, theirs = [], []
    for _ in range(repeats):
        mine.append(timed(ours))
        theirs.append(timed(peer))
    a, b = statistics.median(mine), statistics.median(theirs)
    return b / a, a * 1e3, b * 1e3


def cases(name, n, dtype, elements, backward):
    rows = max(1, int(elements) // n)
    generator = torch.Generator().manual_seed(n)
    x = torch.randn(rows, n, dtype=dtype, generator=generator)
    y = torch.randint(0, n, (rows,), generator=generator)
    ours, peer = FUNCTIONS[name]
    if not backward:
        def forward(f):
            return lambda: f(x, y)
        return forward(ours), forward(peer)
    xg = x.clone().requires_grad_(True)
    g = torch.randn(peer(x, y).shape, dtype=dtype, generator=generator)

    def both(f):
        def run():
            xg.grad = None
            f(xg, y).backward(g)
        return run
    return both(ours), both(peer)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=float, default=1e6)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 10, 1000])
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's own)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} cpus; "
          f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"ratio = peer time / smoothsym time (> 1: smoothsym faster), median of {args.repeats}, "
          f"{args.elements:.0e} elements; in brackets our ms / the peer's ms")
    header = f"{'function':<14} {'pass':<9} {'dtype':<8}" + "".join(f"{'n=' + str(n):>24}" for n in args.sizes)
    print(header)
    worst = {}
    for name in FUNCTIONS:
        for backward in (False, True):
            for dtype in (torch.float32, torch.float64):
                cells = []
                for n in args.sizes:
                    r, a, b = ratio(*cases(name, n, dtype, args.elements, backward), args.repeats)
                    key = "forward+backward" if backward else "forward"
                    worst[key] = min(worst.get(key, float("inf")), r)
                    cells.append(f"{r:.2f} ({a:.2f}/{b:.2f})")
                print(f"{name:<14} {'fwd+bwd' if backward else 'forward':<9} {str(dtype)[6:]:<8}" + "".join(f"{c:>24}" for c in cells))
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("worst ratio: " + ", ".join(f"{key} {value:.2f}" for key, value in worst.items())
          + " (goal: >= 1/1.2 = 0.83 forward)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
