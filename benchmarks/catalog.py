"""Benchmark: the whole catalog verified cold, against the plain SymPy baseline.

    python3 benchmarks/catalog.py [PATH ...] [--baseline-limit 10] [--json FILE] [--no-baseline]

1. smoothsym: ``python -m smoothsym.cli verify --no-cache --json`` in a fresh process, timed
   wall-clock; the per-step verdicts and seconds come from its JSON.
2. The baseline, what most tools do, in a fresh process too: for every step,

       rewrite        sympy.simplify(before - after) == 0
       differentiate  sympy.simplify(diff(before, x) - after) == 0
       integrate      sympy.simplify(diff(after, x) - before) == 0, and the constant:
                      sympy.limit(after - value, x, at) == 0 (or after(at) == value)
       substitute     sympy.simplify(before.subs(a, b) - after) == 0, and with limit=k
                      sympy.limit(b, k, oo) == a
       limit          sympy.limit(before, k, oo) == after
       drop-term      sympy.limit(before - after, k, oo) == 0
       bound          sympy.simplify(after - before).is_nonnegative  (before <= after; >= swapped)
       generalise     the equality / limit form above for each n

   each call under ``smoothsym.timelimit.time_limit`` (10 s by default); a timeout or an
   exception counts as not proved. The baseline sees the symbols' assumptions but not the
   derivation's domain or a step's ``where`` (plain SymPy has no place for them).

It prints, per step kind: the steps, what each side proves, and the time; then the totals and
the time ratio. A baseline "proof" of a step smoothsym refutes (or the page's claim that is
refuted as stated) is counted as a wrong answer.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# -- the baseline (runs in its own process) ------------------------------------------------------


def _baseline_checks(step, before):
    """The plain-SymPy checks of one step, as zero-argument functions that return a bool."""
    import sympy as sp

    kind = step.kind
    if kind == "rewrite":
        return [lambda: sp.simplify(before - step.claim) == 0]
    if kind == "differentiate":
        return [lambda: sp.simplify(sp.diff(before, step.variable) - step.claim) == 0]
    if kind == "integrate":
        x, at, value = step.variable, step.fixed_by.at, step.fixed_by.value
        checks = [lambda: sp.simplify(sp.diff(step.claim, x) - before) == 0]
        if at in (sp.oo, -sp.oo):
            checks.append(lambda: sp.limit(step.claim - value, x, at) == 0)
        else:
            checks.append(lambda: sp.simplify(step.claim.subs(x, at) - value) == 0)
        return checks
    if kind == "substitute":
        checks = [lambda: sp.simplify(before.subs(step.old, step.new) - step.claim) == 0]
        if step.limit is not None:
            checks.append(lambda: sp.limit(step.new, step.limit, sp.oo) == step.old)
        return checks
    if kind == "limit":
        direction = step.side or ("+-" if step.to not in (sp.oo, -sp.oo) else "-" if step.to == sp.oo else "+")
        return [lambda: sp.limit(before, step.variable, step.to, direction) == step.claim]
    if kind == "approximate":  # the bound |previous - b| <= tol (relative: tol |previous|), as a Bound's
        scale = sp.Abs(before) if step.relative else 1
        return [lambda: sp.simplify(step.tolerance * scale - sp.Abs(before - step.claim)).is_nonnegative is True]
    if kind == "asymptotic":  # the ratio (previous - b)/|x - a|^n has a finite limit
        x, a = step.variable, step.to
        direction = step.side or "+-"
        return [lambda: sp.limit((before - step.claim) / sp.Abs(x - a) ** step.order, x, a, direction).is_finite is True]
    if kind == "drop-term":
        return [lambda: sp.limit(before - step.claim, step.limit, sp.oo) == 0]
    if kind == "bound":
        smaller, larger = (before, step.claim) if step.direction == "<=" else (step.claim, before)
        return [lambda: sp.simplify(larger - smaller).is_nonnegative is True]
    if kind == "generalise":
        checks = []
        for n in step.ns:
            lhs, rhs = step.instance(n)
            if step.limit is None:
                checks.append(lambda lhs=lhs, rhs=rhs: sp.simplify(lhs - rhs) == 0)
            else:
                checks.append(lambda lhs=lhs, rhs=rhs: sp.limit(lhs, step.limit, sp.oo) == rhs)
        return checks
    raise ValueError(f"no baseline for step kind {kind!r}")


def run_baseline(paths: list[str], limit: float) -> dict:
    """Every claiming step of the catalog through the baseline: {derivation: {number: result}}."""
    from smoothsym.errors import StepTimeout
    from smoothsym.loader import discover
    from smoothsym.timelimit import time_limit

    started = time.perf_counter()
    catalog = discover(paths)
    results = {}
    for d in catalog.derivations:
        mine = results.setdefault(d.name, {})
        for number, step, before in d.chain():
            if step.kind == "given":
                continue
            t0 = time.perf_counter()
            outcome = "proved"
            for check in _baseline_checks(step, before):
                try:
                    with time_limit(limit):
                        ok = check()
                except StepTimeout:
                    outcome = "timeout"
                    break
                except Exception as exc:  # SymPy raising: not proved
                    outcome = f"error: {type(exc).__name__}"
                    break
                if not ok:
                    outcome = "not proved"
                    break
            mine[str(number)] = {"kind": step.kind, "outcome": outcome, "seconds": time.perf_counter() - t0}
    return {"seconds": time.perf_counter() - started, "steps": results}


# -- the benchmark ---------------------------------------------------------------------------------


def _fresh(args: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    return time.perf_counter() - started, done


def run_smoothsym(paths: list[str], jobs: int = 1) -> tuple[float, dict, int]:
    """Wall-clock seconds of a cold ``smoothsym verify`` (no cache), its JSON, its exit code."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "verdicts.json")
        seconds, done = _fresh(["-B", "-m", "smoothsym.cli", "verify", *paths, "--no-cache", "-j", str(jobs), "--json", out])
        if not os.path.exists(out):
            raise SystemExit(f"smoothsym verify wrote no JSON:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        with open(out, encoding="utf-8") as handle:
            return seconds, json.load(handle), done.returncode


def run_warm(paths: list[str]) -> float:
    """Wall-clock seconds of ``smoothsym verify`` when every derivation is in the cache (a
    temporary cache folder, filled by one run first)."""
    with tempfile.TemporaryDirectory() as cache:
        env = {"SMOOTHSYM_CACHE_DIR": cache}
        _fresh(["-B", "-m", "smoothsym.cli", "verify", *paths, "-j", "2"], env)
        return min(_fresh(["-B", "-m", "smoothsym.cli", "verify", *paths], env)[0] for _ in range(3))


def run_baseline_cold(paths: list[str], limit: float) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "baseline.json")
        seconds, done = _fresh(["-B", str(Path(__file__).resolve()), "--baseline-only", out, "--baseline-limit", str(limit), *paths])
        if done.returncode != 0:
            raise SystemExit(f"the baseline failed:\n{done.stderr[-3000:]}")
        with open(out, encoding="utf-8") as handle:
            return seconds, json.load(handle)


def compare(ours_seconds: float, ours: dict, base_seconds: float, base: dict) -> dict:
    """Per step kind and in total: steps, proved by each, checked/refuted by smoothsym, time."""
    rows: dict[str, dict] = {}

    def row(kind):
        return rows.setdefault(kind, {
            "steps": 0, "proved": 0, "checked": 0, "refuted": 0, "other": 0, "seconds": 0.0,
            "base_proved": 0, "base_timeout": 0, "base_wrong": 0, "base_seconds": 0.0,
        })

    for d in ours["derivations"]:
        baseline = base["steps"].get(d["name"], {})
        for s in d["steps"]:
            if s["kind"] == "given":
                continue
            for r in (row(s["kind"]), row("TOTAL")):
                r["steps"] += 1
                status = s["status"]
                r[status if status in ("proved", "checked", "refuted") else "other"] += 1
                r["seconds"] += s["seconds"]
                b = baseline.get(str(s["number"]))
                if b is None:
                    continue
                r["base_seconds"] += b["seconds"]
                if b["outcome"] == "proved":
                    r["base_proved"] += 1
                    if status == "refuted":  # a false claim (or one stated on too wide a domain)
                        r["base_wrong"] += 1
                elif b["outcome"] == "timeout":
                    r["base_timeout"] += 1
    return {
        "rows": rows,
        "smoothsym_wall": ours_seconds,
        "baseline_wall": base_seconds,
        "baseline_in_process": base["seconds"],
    }


def table(result: dict, limit: float) -> str:
    rows = result["rows"]
    head = (
        f"{'step kind':<14} {'steps':>5} | {'smoothsym: proved':>17} {'checked':>7} {'refuted':>7} {'other':>5} {'s':>7} | "
        f"{'baseline: proved':>16} {'wrong':>5} {'timeout':>7} {'s':>7}"
    )
    lines = [head, "-" * len(head)]
    kinds = sorted(k for k in rows if k != "TOTAL") + ["TOTAL"]
    for kind in kinds:
        r = rows.get(kind)
        if r is None:
            continue
        if kind == "TOTAL":
            lines.append("-" * len(head))
        lines.append(
            f"{kind:<14} {r['steps']:>5} | {r['proved']:>17} {r['checked']:>7} {r['refuted']:>7} {r['other']:>5} "
            f"{r['seconds']:>7.1f} | {r['base_proved']:>16} {r['base_wrong']:>5} {r['base_timeout']:>7} {r['base_seconds']:>7.1f}"
        )
    total = rows.get("TOTAL", {})
    ours, base = result["smoothsym_wall"], result["baseline_wall"]
    lines += [
        "",
        f"cold wall-clock (fresh process, load + verify): smoothsym {ours:.1f} s, baseline {base:.1f} s "
        f"(time ratio smoothsym/baseline {ours / base:.2f})",
        f"steps proved symbolically: smoothsym {total.get('proved', 0)}, baseline {total.get('base_proved', 0)} "
        f"(baseline limit {limit:g} s per call; {total.get('base_timeout', 0)} timeouts); "
        f"smoothsym also judged {total.get('checked', 0)} numerically and refuted {total.get('refuted', 0)} "
        f"(the baseline 'proved' {total.get('base_wrong', 0)} of those)",
        "'wrong': steps smoothsym refutes (false as stated) that the baseline reports as proved.",
        "'s' per kind: the sum of per-step seconds (smoothsym's from its --json; the wall-clock adds loading).",
    ]
    return "\n".join(lines)


def per_file(verdicts: dict) -> str:
    """The sum of each file's step seconds in the -j 1 run (its JSON), the slowest file first."""
    seconds: dict[str, float] = {}
    slowest: dict[str, tuple[float, int]] = {}
    for derivation in verdicts["derivations"]:
        for step in derivation["steps"]:
            spent = step.get("seconds") or 0.0
            seconds[derivation["file"]] = seconds.get(derivation["file"], 0.0) + spent
            if spent > slowest.get(derivation["file"], (0.0, 0))[0]:
                slowest[derivation["file"]] = (spent, step["number"])
    lines = [f"{'file':48s} {'step s':>7s}  slowest step"]
    for file in sorted(seconds, key=lambda f: -seconds[f]):
        spent, number = slowest.get(file, (0.0, 0))
        lines.append(f"{file:48s} {seconds[file]:7.2f}  {number} ({spent:.2f} s)")
    lines.append(f"{'total':48s} {sum(seconds.values()):7.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="derivation files or directories (default: derivations/)")
    parser.add_argument("--baseline-limit", type=float, default=10.0, help="seconds per baseline SymPy call")
    parser.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    parser.add_argument("--no-baseline", action="store_true",
                        help="smoothsym's cold (-j 1, -j 2) and warm times and the per-file seconds only")
    parser.add_argument("--baseline-only", metavar="OUT", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.baseline_only:
        sys.path.insert(0, str(ROOT))
        with open(args.baseline_only, "w", encoding="utf-8") as handle:
            json.dump(run_baseline(args.paths, args.baseline_limit), handle)
        return 0
    ours_seconds, ours, code = run_smoothsym(args.paths)
    print(f"smoothsym verify: {ours_seconds:.1f} s cold, -j 1 (exit {code})", flush=True)
    two_seconds, _, _ = run_smoothsym(args.paths, jobs=2)
    print(f"smoothsym verify -j 2: {two_seconds:.1f} s cold ({ours_seconds / two_seconds:.2f}x faster than -j 1)", flush=True)
    print(f"smoothsym verify, warm (every derivation cached): {run_warm(args.paths):.2f} s", flush=True)
    print()
    print(per_file(ours))
    if args.no_baseline:
        return 0
    base_seconds, base = run_baseline_cold(args.paths, args.baseline_limit)
    print(f"baseline: {base_seconds:.1f} s cold", flush=True)
    result = compare(ours_seconds, ours, base_seconds, base)
    print()
    print(table(result, args.baseline_limit))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
