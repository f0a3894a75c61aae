"""Rendering the catalog's reports (HTML pages with inline SVG plots, LaTeX with PDF figures).

The verdicts come from the verification cache (run `smoothsym verify` first, or the first
round verifies them), so only the rendering is timed: the pages as `smoothsym report` builds
them: in one process, with each math text laid out once per process (what smoothsym does,
plots._share_math_layouts); with the plots drawn in two processes (`smoothsym report -j 2`);
and, the baseline, in one process with matplotlib's own per-renderer cache only, measured in the
same run, interleaved. All must give the same bytes.

    python benchmarks/render.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ROUND = r"""
import hashlib, sys, time
import smoothsym.plots as plots
from smoothsym.cache import VerificationCache
from smoothsym.loader import discover
from smoothsym.render import render_reports
from smoothsym.runner import verify_many
from smoothsym.settings import PROFILES

if sys.argv[1] == "baseline":
    plots._share_math_layouts = lambda: None  # matplotlib's own cache only
settings = PROFILES["default"]
results = list(verify_many(discover(None).derivations, settings, jobs=2, cache=VerificationCache()))
start = time.perf_counter()
pages = render_reports(results, settings, jobs=2 if sys.argv[1] == "-j 2" else 1)
seconds = time.perf_counter() - start
digest = hashlib.sha256()
for name in sorted(pages):  # file name -> text (or bytes: a PDF figure)
    digest.update(name.encode())
    digest.update(pages[name] if isinstance(pages[name], bytes) else pages[name].encode())
print(f"{seconds:.2f} {digest.hexdigest()[:16]}")
"""


def one_round(kind: str) -> tuple[float, str]:
    out = subprocess.run([sys.executable, "-c", ROUND, kind], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, digest = out.stdout.split()[-2:]
    return float(seconds), digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    times: dict[str, list[float]] = {"smoothsym": [], "-j 2": [], "baseline": []}
    digests = set()
    for _ in range(args.rounds):
        for kind in times:
            seconds, digest = one_round(kind)
            times[kind].append(seconds)
            digests.add(digest)
            print(f"  {kind:9} {seconds:6.1f} s  pages {digest}")
    best = {k: min(v) for k, v in times.items()}
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"render, best of {args.rounds}: smoothsym {best['smoothsym']:.1f} s, with -j 2 {best['-j 2']:.1f} s, "
          f"matplotlib's cache only {best['baseline']:.1f} s: {best['baseline'] / best['smoothsym']:.2f}x and "
          f"{best['baseline'] / best['-j 2']:.2f}x faster than the baseline")
    print("same bytes" if len(digests) == 1 else "THE PAGES DIFFER")
    sys.exit(0 if len(digests) == 1 else 1)


if __name__ == "__main__":
    main()
