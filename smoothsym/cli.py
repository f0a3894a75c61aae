"""The ``smoothsym`` command: ``verify`` and ``list``.

``smoothsym verify [PATH ...]`` prints one line per step and a summary, and exits 0 only when
nothing is refuted (unexpectedly), disputed or errored; ``--strict`` also fails on timeouts and
numeric-only steps.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

from . import __version__
from .errors import SmoothsymError
from .files import write_atomically
from .loader import discover
from .runner import DerivationResult, failed_load, verify, verify_many
from .settings import PROFILES
from .verdict import Status


def _settings(args):
    settings = PROFILES[args.profile]
    changes = {}
    if args.time_limit is not None:
        changes["time_limit"] = args.time_limit
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.digits is not None:
        changes["digits"] = args.digits
    return settings.replace(**changes)


def _step_line(result: DerivationResult, r) -> str:
    """derivation, step, kind, outcome, time, method, label: the fixed-width columns first, so
    long labels and methods never shift the others."""
    verdict = r.verdict
    return (
        f"{result.name:<22} {r.number:>3} {r.step.kind:<13} {r.outcome:<30} {verdict.seconds:6.2f}s  "
        f"{r.step.label or '-'}  [{verdict.method}]"
    )


def _details(r) -> list[str]:
    """The evidence worth a line of its own: counterexamples, and why a step did not pass."""
    lines = []
    if r.step.expect_refuted and r.verdict.status is Status.REFUTED:
        lines.append(f"      expected: {r.step.expect_refuted}")
    ce = r.verdict.counterexample
    if ce is not None:
        lines.append(f"      counterexample: {ce.summary()}")
        lines.append(f"      reproduce: {ce.reproduce}")
    elif r.verdict.status not in (Status.PROVED, Status.GIVEN, Status.CHECKED) and r.verdict.detail:
        lines.append(f"      {r.verdict.detail}")
    return lines


def _as_json(results: list[DerivationResult], settings) -> dict:
    def step_json(r):
        v = r.verdict
        return {
            "number": r.number,
            "label": r.step.label,
            "kind": r.step.kind,
            "why": r.step.why,
            "line": r.step.location.line,
            "claim": str(r.step.claim),
            "status": v.status.value,
            "outcome": r.outcome,
            "expected_refutation": r.step.expect_refuted or None,
            "method": v.method,
            "detail": v.detail,
            "seconds": round(v.seconds, 3),
            "evidence": [{"type": type(e).__name__, **dataclasses.asdict(e)} for e in v.evidence],
        }

    return {
        "smoothsym": __version__,
        "settings": dataclasses.asdict(settings),
        "derivations": [
            {
                "name": res.name,
                "file": res.file,
                "status": res.status.value,
                "error": str(res.error) if res.error else None,
                "steps": [step_json(r) for r in res.steps],
            }
            for res in results
        ],
    }


def cmd_verify(args) -> int:
    settings = _settings(args)
    started = time.perf_counter()
    catalog = discover(args.paths)
    results: list[DerivationResult] = [failed_load(e) for e in catalog.errors]
    for error in catalog.errors:
        print(f"ERROR {error}", flush=True)
    for result in verify_many(catalog.select(args.only or []).derivations, settings, args.jobs):
        results.append(result)
        if result.error is not None:
            print(f"ERROR {result.error}", flush=True)
        for r in result.steps:
            print(_step_line(result, r), flush=True)
            for line in _details(r):
                print(line, flush=True)
    steps = [r for res in results for r in res.steps]
    counts: dict[str, int] = {}
    for res in results:
        for key, n in res.counts().items():
            counts[key] = counts.get(key, 0) + n
    failed = [res for res in results if not res.passes(args.strict)]
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {key}" for key, n in sorted(counts.items()))
    print(
        f"{len(results)} derivations, {len(steps)} steps: {summary or 'nothing verified'}; "
        f"{len(failed)} failing{' (strict)' if args.strict else ''} in {elapsed:.1f}s"
    )
    for res in failed:
        bad = [r for r in res.steps if not r.passes(args.strict)]
        where = ", ".join(f"step {r.number} {r.step.label} {r.outcome}" for r in bad) or str(res.error)
        print(f"FAILED {res.name} ({res.file}): {where}")
    if args.json:
        write_atomically(args.json, json.dumps(_as_json(results, settings), indent=2, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def cmd_list(args) -> int:
    catalog = discover(args.paths)
    for d in catalog.derivations:
        print(f"{d.name:<24} {d.source:<12} {len(d.steps):>3} steps  {d.location.file}  {d.title}")
    for error in catalog.errors:
        print(f"ERROR {error}")
    return 1 if catalog.errors else 0


def cmd_report(args) -> int:
    """Verify, then render the reports (rendering never verifies again); ``--check`` only
    compares them with the files in the reports directory."""
    from . import render  # only the report command needs Jinja and the templates

    settings = _settings(args)
    catalog = discover(args.paths)
    selected = catalog.select(args.only or [])
    results = [] if args.only else [failed_load(e) for e in catalog.errors]
    for derivation in selected.derivations:
        result = verify(derivation, settings)
        results.append(result)
        print(f"verified {result.name}: {result.status.value} ({len(result.steps)} steps)", flush=True)
    complete = not args.only
    files = render.render_reports(results, settings, templates=args.templates, index=complete)
    if args.check:
        stale = render.stale_reports(args.out, files, complete=complete)
        for line in stale:
            print(f"stale: {line}")
        if stale:
            print(f"{len(stale)} report file(s) differ from what the current sources produce; run: smoothsym report")
            return 1
        print(f"{len(files)} report files in {args.out} are current")
        return 0
    written, removed = render.write_reports(args.out, files, complete=complete)
    for path in removed:
        print(f"removed {path} (no derivation produces it any more)")
    if args.pdf:
        for name in files:
            if name.endswith(".tex"):
                written.append(render.compile_pdf(os.path.join(args.out, name)))
    print(f"wrote {len(written)} files to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smoothsym", description="Machine-checked derivations.")
    parser.add_argument("--version", action="version", version=f"smoothsym {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    v = commands.add_parser("verify", help="verify every step of the derivations")
    v.add_argument("paths", nargs="*", help="derivation files or directories (default: derivations/)")
    v.add_argument("--only", nargs="+", metavar="NAME", help="verify only these derivations")
    v.add_argument("--json", metavar="FILE", help="write every verdict with its evidence as JSON")
    v.add_argument("--strict", action="store_true", help="also fail on timeouts and numeric-only steps")
    v.add_argument("--profile", choices=sorted(PROFILES), default="default", help="how hard to look")
    v.add_argument("--time-limit", type=float, help="seconds for each step's symbolic proof")
    v.add_argument("--seed", type=int, help="seed of the point sampler")
    v.add_argument("--digits", type=int, help="significant digits of the numeric checks")
    v.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="verify derivations in N processes (output order stays the catalog's)")
    v.set_defaults(run=cmd_verify)

    rp = commands.add_parser("report", help="write the HTML and LaTeX reports of the derivations")
    rp.add_argument("paths", nargs="*", help="derivation files or directories (default: derivations/)")
    rp.add_argument("--only", nargs="+", metavar="NAME", help="only these derivations' pages (no index)")
    rp.add_argument("--out", default="reports", metavar="DIR", help="the reports directory (default: reports)")
    rp.add_argument("--templates", metavar="DIR", help="a directory of templates overriding the built-in ones")
    rp.add_argument("--pdf", action="store_true", help="also compile each .tex to PDF (needs pdflatex)")
    rp.add_argument("--check", action="store_true", help="write nothing; fail naming the reports that are stale")
    rp.add_argument("--profile", choices=sorted(PROFILES), default="default", help="how hard to look")
    rp.add_argument("--time-limit", type=float, help="seconds for each step's symbolic proof")
    rp.add_argument("--seed", type=int, help="seed of the point sampler")
    rp.add_argument("--digits", type=int, help="significant digits of the numeric checks")
    rp.set_defaults(run=cmd_report)

    ls = commands.add_parser("list", help="list the derivations")
    ls.add_argument("paths", nargs="*")
    ls.set_defaults(run=cmd_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except SmoothsymError as exc:
        print(f"smoothsym: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
