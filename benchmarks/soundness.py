"""Soundness benchmark: claims of known truth through smoothsym and through plain SymPy.

How to run (from the repository root, with the project's virtualenv):

    .venv/bin/python benchmarks/soundness.py                  # the whole corpus, 2 workers
    .venv/bin/python benchmarks/soundness.py -j 1 --only adv- # claims whose id contains "adv-"
    .venv/bin/python benchmarks/soundness.py --limit 20 --json out.json
    .venv/bin/python benchmarks/soundness.py --no-baseline --timeout 30 --profile fast

The corpus is ``benchmarks/soundness_corpus.py``: equalities, limits at +oo and bounds, each with
its TRUTH decided by hand (true claims copied from SymPy's and Fungrim's test material, false
mutants of each, and adversarial claims built to mislead a sampler). Every claim is judged

* by the engine: ``smoothsym.checks.check_equal / check_limit / check_bound`` with the claim's
  symbols and domain, ``PROFILES[--profile]``, seed 0, in a worker process killed after
  ``--timeout`` wall-clock seconds (the claim then counts as ``timeout``);
* by the baseline, in its own worker task: ``sympy.simplify(lhs - rhs) == 0`` for equalities,
  ``sympy.limit(expr, k, oo) == target`` (or their difference simplifying to 0) for limits,
  ``sympy.simplify(larger - smaller).is_nonnegative`` for bounds, under ``--baseline-limit``
  seconds (a timeout or an exception is "not proved"). The baseline knows the symbols'
  assumptions, not the domain constraints.

Printed, per kind and in total: the claims, how many are true and false; the engine's proved /
checked / refuted / disputed / inconclusive / timeout / error counts; FALSE PROOFS (a false
claim proved), FALSE ACCEPTS (a false claim proved or checked), FALSE REFUTATIONS (a true claim
refuted), true claims disputed, missed refutations (false claims not refuted); the baseline's
proved count and its false proofs; the summed seconds of each. Then every false proof, false
accept, false refutation and disputed true claim, by id, with the verdict's summary.

Exit status 0 (it is a measurement, not a test); ``tests/test_claims_from_others.py`` holds
the expectations.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for path in (ROOT, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)

import soundness_corpus as corpus  # noqa: E402

STATUSES = ("proved", "checked", "refuted", "disputed", "inconclusive", "timeout", "error")


# --------------------------------------------------------------------------------------
# worker side
# --------------------------------------------------------------------------------------
def _engine(claim_id: str, profile: str) -> dict:
    import sympy as sp

    from smoothsym.checks import check_bound, check_equal, check_limit
    from smoothsym.model import StepContext
    from smoothsym.settings import PROFILES

    claim = corpus.BY_ID[claim_id]
    context = StepContext(settings=PROFILES[profile], symbols=claim.symbols, constraints=claim.where, seed=0)
    started = time.perf_counter()
    try:
        if claim.kind == "equal":
            verdict = check_equal(sp.sympify(claim.lhs), sp.sympify(claim.rhs), context, "lhs = rhs")
        elif claim.kind == "limit":
            verdict = check_limit(sp.sympify(claim.expr), claim.var, sp.sympify(claim.target), context, "lim expr = target")
        else:
            verdict = check_bound(sp.sympify(claim.smaller), sp.sympify(claim.larger), context, "smaller <= larger")
    except Exception as exc:  # the engine raising is an "error" verdict of the benchmark
        return {"status": "error", "method": "", "summary": f"{type(exc).__name__}: {exc}"[:500],
                "seconds": time.perf_counter() - started}
    status = getattr(verdict.status, "value", str(verdict.status)).lower()
    return {"status": status, "method": verdict.method, "summary": verdict.summary()[:800],
            "seconds": time.perf_counter() - started}


class _BaselineTimeout(BaseException):
    """Raised by the alarm; a BaseException so SymPy's ``except Exception`` cannot swallow it."""


def _baseline(claim_id: str, seconds: float) -> dict:
    import sympy as sp

    claim = corpus.BY_ID[claim_id]

    def expire(signum, frame):
        raise _BaselineTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.perf_counter()
    outcome, detail = False, ""
    try:
        if claim.kind == "equal":
            outcome = sp.simplify(sp.sympify(claim.lhs) - sp.sympify(claim.rhs)) == 0
        elif claim.kind == "limit":
            value = sp.limit(sp.sympify(claim.expr), claim.var, sp.oo)
            target = sp.sympify(claim.target)
            outcome = value == target or (value.is_finite and sp.simplify(value - target) == 0)
        else:
            outcome = sp.simplify(sp.sympify(claim.larger) - sp.sympify(claim.smaller)).is_nonnegative is True
        outcome = bool(outcome)
    except _BaselineTimeout:
        detail = "timeout"
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"[:200]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return {"proved": outcome, "detail": detail, "seconds": time.perf_counter() - started}


def _task(kind: str, claim_id: str, option) -> dict:
    return _engine(claim_id, option) if kind == "engine" else _baseline(claim_id, option)


# --------------------------------------------------------------------------------------
# scheduler: at most `jobs` tasks in flight, each killed after its own wall-clock limit
# --------------------------------------------------------------------------------------
def _new_pool(jobs: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))


def _kill_pool(pool: cf.ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except Exception:
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def run_tasks(tasks: list[tuple[str, str, object, float]], jobs: int, progress=None) -> dict:
    """tasks: (kind, claim id, option, wall-clock limit). Returns {(kind, id): result}."""
    results: dict = {}
    pending = list(reversed(tasks))
    pool = _new_pool(jobs)
    inflight: dict = {}  # future -> (task, started)
    try:
        while pending or inflight:
            while pending and len(inflight) < jobs:
                task = pending.pop()
                inflight[pool.submit(_task, task[0], task[1], task[2])] = (task, time.monotonic())
            done, _ = cf.wait(list(inflight), timeout=0.25, return_when=cf.FIRST_COMPLETED)
            broken = False
            for future in done:
                task, started = inflight.pop(future)
                try:
                    results[(task[0], task[1])] = future.result()
                except cf.process.BrokenProcessPool:
                    pending.append(task)  # lost with a killed worker: run it again
                    broken = True
                except Exception as exc:
                    results[(task[0], task[1])] = _failed(task, f"worker: {type(exc).__name__}: {exc}", time.monotonic() - started)
                if progress and (task[0], task[1]) in results:
                    progress(task, results[(task[0], task[1])])
            now = time.monotonic()
            late = [f for f, (task, started) in inflight.items() if now - started > task[3]]
            if late or broken:
                for future in late:
                    task, started = inflight.pop(future)
                    results[(task[0], task[1])] = _failed(task, "timeout", now - started)
                    if progress:
                        progress(task, results[(task[0], task[1])])
                # a stuck worker cannot be stopped alone: kill the pool, rerun what was in it
                pending.extend(task for task, _ in inflight.values())
                inflight.clear()
                _kill_pool(pool)
                pool = _new_pool(jobs)
    finally:
        _kill_pool(pool)
    return results


def _failed(task, why: str, seconds: float) -> dict:
    if task[0] == "engine":
        status = "timeout" if why == "timeout" else "error"
        return {"status": status, "method": "", "summary": f"killed after {seconds:.0f} s wall clock" if why == "timeout" else why,
                "seconds": seconds, "killed": why == "timeout"}
    return {"proved": False, "detail": why, "seconds": seconds}


# --------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------
def tally(claims, results, baseline: bool) -> dict:
    rows: dict = {}
    for claim in claims:
        engine = results.get(("engine", claim.id))
        base = results.get(("baseline", claim.id)) if baseline else None
        for group in (claim.kind, "total"):
            row = rows.setdefault(group, Counter())
            row["claims"] += 1
            row["true" if claim.truth else "false"] += 1
            if engine:
                status = engine["status"]
                row[status if status in STATUSES else "other"] += 1
                row["killed"] += bool(engine.get("killed"))
                row["engine_seconds"] += engine["seconds"]
                if not claim.truth:
                    row["FALSE PROOFS"] += status == "proved"
                    row["FALSE ACCEPTS"] += status in ("proved", "checked")
                    row["missed refutations"] += status != "refuted"
                else:
                    row["FALSE REFUTATIONS"] += status == "refuted"
                    row["true disputed"] += status == "disputed"
            if base:
                row["baseline proved"] += base["proved"]
                row["baseline false proofs"] += base["proved"] and not claim.truth
                row["baseline timeouts"] += base["detail"] == "timeout"
                row["baseline_seconds"] += base["seconds"]
    return rows


COLUMNS = ("claims", "true", "false", "proved", "checked", "refuted", "disputed", "inconclusive", "timeout", "error",
           "FALSE PROOFS", "FALSE ACCEPTS", "FALSE REFUTATIONS", "true disputed", "missed refutations",
           "baseline proved", "baseline false proofs", "baseline timeouts")


def print_report(claims, results, baseline: bool, wall: float, out=sys.stdout) -> dict:
    rows = tally(claims, results, baseline)
    groups = [g for g in ("equal", "limit", "bound") if g in rows] + ["total"]
    width = max(len(c) for c in COLUMNS) + 2
    print("\n" + " " * width + "".join(f"{g:>9}" for g in groups), file=out)
    for column in COLUMNS + ("engine_seconds", "baseline_seconds"):
        if column.startswith("baseline") and not baseline:
            continue
        cells = []
        for g in groups:
            value = rows.get(g, Counter())[column]
            cells.append(f"{value:>9.1f}" if column.endswith("seconds") else f"{value:>9d}")
        print(f"{column:<{width}}" + "".join(cells), file=out)
    killed = rows["total"]["killed"]
    if killed:
        print(f"(of the timeouts, {killed} killed at the wall-clock limit)", file=out)
    print(f"wall time {wall:.1f} s", file=out)

    sections = [
        ("FALSE PROOFS (false claim proved)", lambda c, e: not c.truth and e["status"] == "proved"),
        ("FALSE ACCEPTS (false claim checked)", lambda c, e: not c.truth and e["status"] == "checked"),
        ("FALSE REFUTATIONS (true claim refuted)", lambda c, e: c.truth and e["status"] == "refuted"),
        ("TRUE CLAIMS DISPUTED", lambda c, e: c.truth and e["status"] == "disputed"),
    ]
    for title, test in sections:
        hits = [c for c in claims if ("engine", c.id) in results and test(c, results[("engine", c.id)])]
        print(f"\n{title}: {len(hits)}", file=out)
        for c in hits:
            e = results[("engine", c.id)]
            print(f"  {c.id}  [{c.source}]  {c.text()}", file=out)
            print(f"      {e['status']} ({e['method']}): {e['summary'][:300]}", file=out)
            if c.note:
                print(f"      truth: {c.note}", file=out)
    if baseline:
        hits = [c for c in claims if not c.truth and results.get(("baseline", c.id), {}).get("proved")]
        print(f"\nBASELINE FALSE PROOFS: {len(hits)}", file=out)
        for c in hits:
            print(f"  {c.id}  {c.text()}", file=out)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--only", action="append", default=[], help="run the claims whose id contains this (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N selected claims")
    parser.add_argument("--json", help="write every claim's verdicts to this file")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall-clock seconds per claim in the engine (default 60)")
    parser.add_argument("--baseline-limit", type=float, default=5.0, help="seconds per baseline SymPy call (default 5)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    parser.add_argument("--profile", default="default", help="engine settings profile (default 'default')")
    parser.add_argument("-q", "--quiet", action="store_true", help="no per-claim progress lines")
    args = parser.parse_args(argv)

    claims = [c for c in corpus.CLAIMS if not args.only or any(s in c.id for s in args.only)]
    if args.limit:
        claims = claims[: args.limit]
    baseline = not args.no_baseline
    tasks = [("engine", c.id, args.profile, args.timeout) for c in claims]
    if baseline:
        tasks += [("baseline", c.id, args.baseline_limit, args.baseline_limit + 15) for c in claims]
    print(f"{len(claims)} claims ({sum(c.truth for c in claims)} true), {len(tasks)} tasks, -j {args.jobs}", flush=True)

    count = [0]

    def progress(task, result):
        count[0] += 1
        if args.quiet:
            return
        claim = corpus.BY_ID[task[1]]
        if task[0] == "engine":
            what = result["status"]
            flag = ""
            if not claim.truth and what in ("proved", "checked"):
                flag = "  <-- FALSE ACCEPT"
            elif claim.truth and what in ("refuted", "disputed"):
                flag = f"  <-- TRUE CLAIM {what.upper()}"
        else:
            what = "baseline " + ("proved" if result["proved"] else f"no ({result['detail'][:30]})" if result["detail"] else "no")
            flag = "  <-- baseline false proof" if result["proved"] and not claim.truth else ""
        print(f"[{count[0]}/{len(tasks)}] {task[1]:<28} {'T' if claim.truth else 'F'} {what} {result['seconds']:.1f}s{flag}", flush=True)

    import smoothsym.checks  # noqa: F401  (imported once here, inherited by the forked workers)

    started = time.perf_counter()
    results = run_tasks(tasks, args.jobs, progress)
    wall = time.perf_counter() - started
    rows = print_report(claims, results, baseline, wall)

    if args.json:
        data = {
            "wall_seconds": wall,
            "profile": args.profile,
            "totals": {g: dict(r) for g, r in rows.items()},
            "claims": [
                {"id": c.id, "source": c.source, "kind": c.kind, "truth": c.truth, "claim": c.text(), "note": c.note,
                 "engine": results.get(("engine", c.id)), "baseline": results.get(("baseline", c.id))}
                for c in claims
            ],
        }
        with open(args.json, "w") as handle:
            json.dump(data, handle, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
