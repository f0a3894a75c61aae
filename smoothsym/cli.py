"""The ``smoothsym`` command: ``verify``, ``report``, ``export``, ``new`` and ``list``.

``smoothsym verify [PATH ...]`` prints one line per step and a summary, and exits 0 only when
nothing is refuted (unexpectedly), disputed or errored; ``--strict`` also fails on timeouts and
numeric-only steps, and never reads the verification cache (a cached verdict is a speed-up,
never evidence). A step whose verdict was read from the cache shows ``cached`` in its time
column (and ``"cached": true`` in ``--json``). ``--json -`` writes the JSON to standard output
and the step lines to standard error.

Output that cannot be written (a read-only folder, a full disk) is an error naming the path,
with no traceback, and leaves the file that was there as it was. A file name that is not UTF-8
is printed with its odd bytes as ``\\xff``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
import time
from typing import TYPE_CHECKING

from . import __version__, replay
from .errors import SmoothsymError
from .files import shown_path, write_atomically
from .processes import Terminated, any_integer_size
from .settings import PROFILES
from .verdict import Status

if TYPE_CHECKING:
    from .runner import DerivationResult

# The engine (SymPy, the checks, the loader) is imported where a command first needs it: a warm
# `verify` that replays its last run (replay.py) needs none of it, and starts in a fraction of
# the time SymPy takes to import.


def _settings(args):
    settings = PROFILES[args.profile]
    changes = {}
    if args.time_limit is not None:
        changes["time_limit"] = args.time_limit
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.digits is not None:
        changes["digits"] = args.digits
    if args.wall_limit is not None:
        changes["wall_seconds"] = args.wall_limit
    return settings.replace(**changes)


def _discover(args, record: bool = False, skip: set | None = None):
    """The catalog under the paths given, each file imported under the wall-clock bound (with
    ``record``, what each import read; ``skip``: files replayed instead: see replay.py)."""
    from .loader import discover

    wall = getattr(args, "wall_limit", None)  # `list` only imports: it has no check options
    if wall is None:
        return discover(args.paths, record=record, skip=skip)
    return discover(args.paths, wall_seconds=wall, record=record, skip=skip)


def _step_line(result: DerivationResult, r) -> str:
    """derivation, step, kind, outcome, time, method, label: the fixed-width columns first, so
    long labels and methods never shift the others. A verdict read from the cache took no time
    in this run: its time column says ``cached``."""
    verdict = r.verdict
    seconds = f"{'cached':>7}" if getattr(r, "cached", False) else f"{verdict.seconds:6.2f}s"
    return (
        f"{result.name:<22} {r.number:>3} {r.step.kind:<13} {r.outcome:<30} {seconds}  "
        f"{r.step.label or '-'}  [{verdict.method}]"
    )


def _details(r) -> list[str]:
    """The evidence worth a line of its own: counterexamples, and why a step did not pass."""
    from .checks import THIN_EVIDENCE

    lines = []
    if r.step.expect_refuted and r.verdict.status is Status.REFUTED:
        lines.append(f"      expected: {r.step.expect_refuted}")
    ce = r.verdict.counterexample
    if ce is not None:
        lines.append(f"      counterexample: {ce.summary()}")
        lines.append(f"      reproduce: {ce.reproduce}")
    elif r.verdict.status not in (Status.PROVED, Status.GIVEN, Status.CHECKED) and r.verdict.detail:
        lines.append(f"      {r.verdict.detail}")
    elif THIN_EVIDENCE in r.verdict.detail:  # a pass, but on few points: said where it is seen
        lines.append(f"      {r.verdict.detail}")
    return lines


def _step_json(r) -> dict:
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
        "cached": bool(getattr(r, "cached", False)),
        "evidence": [{"type": type(e).__name__, **dataclasses.asdict(e)} for e in v.evidence],
    }


def _derivation_json(res: DerivationResult) -> tuple[dict, str | None]:
    """One derivation's entry, and why its verdicts could not be written (then the entry says
    so, as an error, and the others are written whole)."""
    entry = {"name": res.name, "file": res.file, "status": res.status.value,
             "error": str(res.error) if res.error else None}
    try:
        steps = [_step_json(r) for r in res.steps]
        json.dumps(steps, default=str)
    except Exception as exc:  # an expression no printer writes is this derivation's, not the run's
        problem = f"its verdicts could not be written as JSON: {type(exc).__name__}: {exc}"
        return {**entry, "status": "error", "error": problem, "steps": []}, problem
    return {**entry, "steps": steps}, None


def _printable(value):
    """``value`` with every string printable as UTF-8 (a non-UTF-8 file name's bytes as \\xff)."""
    if isinstance(value, str):
        return shown_path(value)
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value


def _as_json(results: list[DerivationResult], settings, problems: list | None = None) -> dict:
    """Every verdict with its evidence; ``problems`` collects the (result, reason) of each
    derivation whose verdicts could not be written."""
    entries = []
    for res in results:
        if isinstance(res, replay.Replayed):  # its entry as the run that recorded it wrote it
            entries.append(res.entry)
            continue
        entry, problem = _derivation_json(res)
        entries.append(entry)
        if problem is not None and problems is not None:
            problems.append((res, problem))
    return _printable({
        "smoothsym": __version__,
        "settings": dataclasses.asdict(settings),
        "derivations": entries,
    })


class Progress:
    """A one-line "[3/12] verified smooth-abs" on a terminal, once a run has taken a second;
    nothing in a CI log (not a terminal), so logs keep plain lines only."""

    def __init__(self, total: int, stream=None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.shown = False
        self.active = total > 1 and self.stream.isatty()

    def update(self, done: int, name: str) -> None:
        if self.active and time.perf_counter() - self.started > 1.0:
            self.stream.write(f"\r\033[K[{done}/{self.total}] verified {name}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Erase the line before printing over it."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def cmd_verify(args) -> int:
    settings = _settings(args)
    started = time.perf_counter()
    to_stdout = args.json == "-"
    out = sys.stderr if to_stdout else sys.stdout  # `--json -`: standard output holds the JSON only

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    # --strict asks for evidence: a cached verdict is a speed-up, never evidence
    caching = not (args.no_cache or args.strict)
    records = replay.Records() if caching else None
    replayed = records.replayable(args.paths, settings, args.only) if records is not None else {}
    if replayed and all(files is not None for files in replayed.values()) and not _other_paths(args, replayed):
        # nothing any file read has changed: what the last run printed, SymPy never imported
        results = [res for found in replayed.values() for res in found if _chosen(res, args.only)]
        for res in results:
            for line in res.lines:
                say(line)
        data = _as_json(results, settings) if args.json else None
        return _finish_verify(args, settings, results, [], started, say, data)
    from .cache import VerificationCache
    from .runner import failed_load, verify_many

    reused = {path: found for path, found in replayed.items() if found is not None}
    cache = VerificationCache() if caching else None
    if cache is not None:
        cache.record = True
    catalog = _discover(args, record=cache is not None, skip=set(reused))
    if set(catalog.names()) & {res.name for found in reused.values() for res in found}:
        reused = {}  # a name defined twice: the whole catalog is loaded, so the error names both files
        catalog = _discover(args, record=cache is not None)
    results: list = [failed_load(e) for e in catalog.errors]
    for error in catalog.errors:
        say(f"ERROR {error}")
    if args.only:  # names a replayed file answers are not looked for among the imported ones
        wanted = [n for n in args.only if not any(_chosen(r, [n]) for found in reused.values() for r in found)]
        chosen = catalog.select(wanted).derivations if wanted else []
    else:
        chosen = catalog.derivations
    fresh = iter(verify_many(chosen, settings, args.jobs, cache))
    progress = Progress(len(chosen))
    done = 0
    for path, derivations in _in_file_order(catalog, reused, chosen):
        if path in reused:
            for res in (r for r in reused[path] if _chosen(r, args.only)):
                results.append(res)
                for line in res.lines:
                    say(line)
            continue
        for _ in derivations:
            result = next(fresh)
            progress.clear()
            results.append(result)
            if result.error is not None:
                say(f"ERROR {result.error}")
            for r in result.steps:
                say(_step_line(result, r))
                for line in _details(r):
                    say(line)
            done += 1
            progress.update(done, result.name)
    progress.clear()
    if cache is not None:
        _record_for_replay(catalog, results, settings, cache, records)
    problems: list = []
    data = _as_json(results, settings, problems) if args.json else None
    return _finish_verify(args, settings, results, problems, started, say, data)


def _chosen(res, only) -> bool:
    """Whether --only (names or file stems, as ``Catalog.select``) picks a replayed derivation."""
    return not only or res.name in only or os.path.splitext(os.path.basename(res.file))[0] in only


def _other_paths(args, replayed) -> bool:
    """Whether --only names a derivation no replayed file holds (the full run then says so)."""
    return bool(args.only) and any(not any(_chosen(res, [name]) for found in replayed.values() if found for res in found)
                                   for name in args.only)


def _in_file_order(catalog, reused: dict, chosen: list):
    """(file, its chosen derivations) for every file of the run, replayed ones included, in
    the order of the catalog's files (verify_many yields the chosen derivations in that order)."""
    picked = {id(d) for d in chosen}
    loaded = {path: [d for d in derivations if id(d) in picked] for path, _, derivations in catalog.files}
    for path in sorted(set(loaded) | set(reused), key=catalog.order.index):
        yield path, loaded.get(path, [])


def _record_for_replay(catalog, results, settings, cache, records) -> None:
    """For each file whose every derivation is now in the cache under a key computed in this
    run, what its import and keying read and what a cached run prints (see replay.py)."""
    from .runner import DerivationResult

    by_derivation = {id(res.derivation): res for res in results
                     if not isinstance(res, replay.Replayed) and res.derivation is not None}
    for path, inputs, derivations in catalog.files:
        inputs = replay.Inputs.from_json(inputs.to_json())
        found = []
        for d in derivations:
            res, key = by_derivation.get(id(d)), cache.keys.get(id(d))
            keyed = cache.key_inputs.get(id(d))
            if res is None or res.error is not None or key is None or keyed is None:
                break
            if not records.entry_holds(str(cache.entry_path(d)), key):
                break
            cached = DerivationResult(res.name, res.file, d, tuple(dataclasses.replace(r, cached=True) for r in res.steps))
            entry, problem = _derivation_json(cached)
            if problem is not None:
                break
            inputs.merge(keyed)
            lines = [line for r in cached.steps for line in (_step_line(cached, r), *_details(r))]
            bad = [r for r in cached.steps if not r.passes()]
            found.append({"name": res.name, "file": res.file, "key": key, "entry": str(cache.entry_path(d)),
                            "lines": lines, "json": entry, "counts": cached.counts(), "passes": cached.passes(),
                            "failures": ", ".join(f"step {r.number} {r.step.label} {r.outcome}" for r in bad),
                            "step_count": len(cached.steps)})
        else:
            if found:
                records.store(str(path), inputs, settings, found)


def _finish_verify(args, settings, results, problems, started, say, data) -> int:
    """The summary, the failures and the JSON of a verify run (or of its replay)."""
    to_stdout = args.json == "-"
    if data is not None and "smoothsym" not in data:  # a replay: its entries, in a run's frame
        data = _printable({"smoothsym": __version__, "settings": dataclasses.asdict(settings), **data})
    if not args.json:
        data = None
    steps = sum(res.step_count if isinstance(res, replay.Replayed) else len(res.steps) for res in results)
    counts: dict[str, int] = {}
    for res in results:
        for key, n in res.counts().items():
            counts[key] = counts.get(key, 0) + n
    failed = [res for res in results if not res.passes(args.strict)]
    unwritten = [(res, problem) for res, problem in problems if res not in failed]
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {key}" for key, n in sorted(counts.items()))
    say(
        f"{len(results)} derivations, {steps} steps: {summary or 'nothing verified'}; "
        f"{len(failed) + len(unwritten)} failing{' (strict)' if args.strict else ''} in {elapsed:.1f}s"
    )
    for res in failed:
        bad = [r for r in res.steps if not r.passes(args.strict)] if not isinstance(res, replay.Replayed) else []
        where = res.failures if isinstance(res, replay.Replayed) else (
            ", ".join(f"step {r.number} {r.step.label} {r.outcome}" for r in bad) or str(res.error))
        say(f"FAILED {res.name} ({res.file}): {where}")
    for res, problem in unwritten:
        say(f"FAILED {res.name} ({res.file}): {problem}")
    if data is not None:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
        if to_stdout:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomically(args.json, text)
    return 1 if failed or unwritten else 0


def cmd_list(args) -> int:
    catalog = _discover(args)
    for d in catalog.derivations:
        print(f"{d.name:<24} {d.source:<12} {len(d.steps):>3} steps  {d.location.file}  {d.title}")
    for error in catalog.errors:
        print(f"ERROR {error}")
    return 1 if catalog.errors else 0


def cmd_report(args) -> int:
    """Verify, then render the reports (rendering never verifies again); ``--check`` only
    compares them with the files in the reports directory."""
    from . import render  # only the report command needs Jinja and the templates
    from .cache import VerificationCache
    from .runner import failed_load, verify_many

    settings = _settings(args)
    catalog = _discover(args)
    selected = catalog.select(args.only or [])
    results = [] if args.only else [failed_load(e) for e in catalog.errors]
    cache = None if args.no_cache else VerificationCache()
    for result in verify_many(selected.derivations, settings, args.jobs, cache):
        results.append(result)
        counts = ", ".join(f"{n} {key}" for key, n in sorted(result.counts().items()))
        print(f"verified {result.name}: {result.status.value} ({len(result.steps)} steps: {counts})", flush=True)
    failing = [r for r in results if not r.passes()]
    for r in failing:
        print(f"FAILED {r.name} ({r.file}): {r.error or 'see its report'}")
    complete = not args.only
    files, unrendered = render.render_pages(results, settings, templates=args.templates, index=complete)
    for failure in unrendered:
        print(f"FAILED {failure}")
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
    return 1 if failing or unrendered else 0


NEW_DERIVATION = '''"""{title}: what this derivation shows, and where the page states it.

Replace this example (x^2 - 1 = (x - 1)(x + 1)) with your own steps, then run:
    smoothsym verify {path}
"""

# Exact numbers only: write Rational(1, 2), never 0.5.
from sympy import Symbol

from smoothsym import Derivation, Given, Rewrite

# Every symbol the steps use, with the assumptions that hold on the page's domain
# (real=True, positive=True, ...). The sampler draws points that satisfy them.
x = Symbol("x", real=True)

derivation = Derivation(
    name="{name}",  # unique in the catalog: `smoothsym verify --only {name}`
    title="{title}",
    source="",  # the page's equation labels this encodes, e.g. "(2)-(7)"
    symbols=(x,),
    steps=[
        # Given(expr) starts a chain; each later step relates the previous expression to its claim.
        Given(x**2 - 1, label="(1)", why="the expression to rewrite"),
        # Rewrite(b): previous = b on the domain. Other kinds: Differentiate, Integrate, Substitute,
        # Limit, DropTerm, Bound, Generalise (see derivations/smooth_abs.py).
        Rewrite((x - 1) * (x + 1), label="(2)", why="a difference of squares"),
    ],
)
'''


def cmd_new(args) -> int:
    """Write a commented starting derivation file; never overwrite one."""
    stem = args.name.replace("-", "_")
    if not stem.isidentifier():
        print(f"smoothsym: error: {args.name!r} cannot name a module; use letters, digits, - and _", file=sys.stderr)
        return 2
    path = os.path.join(args.dir, f"{stem}.py")
    if os.path.exists(path):
        print(f"smoothsym: error: {path} exists; choose another name or edit it", file=sys.stderr)
        return 1
    name = stem.replace("_", "-")
    title = name.replace("-", " ").capitalize()
    write_atomically(path, NEW_DERIVATION.format(name=name, title=title, path=path))
    print(f"wrote {path}; verify it with: smoothsym verify {path}")
    return 0


def cmd_export(args) -> int:
    """Verify, then write the marked steps and exportable conclusions as one numeric module."""
    from . import export  # only the export command needs the printers and the templates

    command = "smoothsym export " + " ".join([*args.paths, "--target", args.target, "-o", args.output]
                                               + (["--only", *args.only] if args.only else []))
    done = export.export(args.paths or ["derivations"], args.output, args.only or (), args.target,
                         _settings(args), command)
    for e in done.exports:
        print(f"{e.name:<28} {e.derivation} step {e.steps[-1]}: {e.status.value}; {e.accuracy.split(' at ')[0]}")
    for r in done.refused:
        print(f"refused {r.line()}", file=sys.stderr)
    refused = f"; {len(done.refused)} refused (see above)" if done.refused else ""
    print(f"wrote {len(done.exports)} functions to {args.output} (target {args.target}){refused}")
    return 1 if done.refused and args.strict else 0


def _add_check_options(command: argparse.ArgumentParser, *, jobs: bool = True) -> None:
    """The options every command that verifies shares: what to verify and how hard."""
    command.add_argument("paths", nargs="*", help="derivation files or directories (default: derivations/)")
    command.add_argument("--profile", choices=sorted(PROFILES), default="default", help="how hard to look")
    command.add_argument("--time-limit", type=float, help="CPU seconds for each step's symbolic proof")
    command.add_argument("--seed", type=int, help="seed of the point sampler")
    command.add_argument("--digits", type=int, help="significant digits of the numeric checks")
    command.add_argument(
        "--wall-limit", type=float, metavar="SECONDS",
        help="wall-clock seconds for importing one file and for checking one step, enforced from outside "
        "(the process is stopped; default 60 for an import, 60 + 12 x time limit for a step)",
    )
    if jobs:
        command.add_argument(
            "-j", "--jobs", type=int, default=1, metavar="N",
            help="check steps in N worker processes (output order stays the catalog's)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smoothsym", description="Machine-checked derivations.")
    parser.add_argument("--version", action="version", version=f"smoothsym {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    v = commands.add_parser("verify", help="verify every step of the derivations")
    _add_check_options(v)
    v.add_argument("--only", nargs="+", metavar="NAME", help="verify only these derivations")
    v.add_argument("--json", metavar="FILE", help="write every verdict with its evidence as JSON")
    v.add_argument("--strict", action="store_true", help="also fail on timeouts and numeric-only steps")
    v.add_argument("--no-cache", action="store_true", help="verify again even what the cache holds (see smoothsym/cache.py)")
    v.set_defaults(run=cmd_verify)

    rp = commands.add_parser("report", help="write the HTML and LaTeX reports of the derivations")
    _add_check_options(rp)
    rp.add_argument("--only", nargs="+", metavar="NAME", help="only these derivations' pages (no index)")
    rp.add_argument("--out", default="reports", metavar="DIR", help="the reports directory (default: reports)")
    rp.add_argument("--templates", metavar="DIR", help="a directory of templates overriding the built-in ones")
    rp.add_argument("--pdf", action="store_true", help="also compile each .tex to PDF (needs pdflatex)")
    rp.add_argument("--check", action="store_true", help="write nothing; fail naming the reports that are stale")
    rp.add_argument("--no-cache", action="store_true", help="verify again even what the cache holds")
    rp.set_defaults(run=cmd_report)

    nw = commands.add_parser("new", help="write a commented starting derivation file")
    nw.add_argument("name", help="the derivation's name, e.g. smooth-min (the file is smooth_min.py)")
    nw.add_argument("--dir", default="derivations", help="where to write it (default: derivations/)")
    nw.set_defaults(run=cmd_new)

    ex = commands.add_parser("export", help="write verified formulas as a standalone numeric module")
    _add_check_options(ex, jobs=False)
    ex.add_argument("--target", default="numpy", help="numpy (arrays), math (scalars), mpmath (arbitrary precision), torch or jax "
                    "(tensors, with the catalog's verified derivatives as the backward pass; pip install -e '.[frameworks]')")
    ex.add_argument("-o", "--output", required=True, metavar="FILE.py", help="the module to write")
    ex.add_argument("--only", nargs="+", metavar="NAME", help="only these functions (all or nothing: one refused is an error)")
    ex.add_argument("--strict", action="store_true",
                    help="exit 1 when a function is refused (the others are still written, as without it)")
    ex.set_defaults(run=cmd_export)

    ls = commands.add_parser("list", help="list the derivations")
    ls.add_argument("paths", nargs="*")
    ls.set_defaults(run=cmd_list)
    return parser


@contextlib.contextmanager
def _printable_streams():
    """Standard output and error write what UTF-8 cannot encode (a non-UTF-8 file name's bytes)
    as backslash escapes instead of raising; restored after the command."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        errors = getattr(stream, "errors", None)
        if errors in ("strict", None) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # io.UnsupportedOperation is both
                continue
            changed.append((stream, errors or "strict"))
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(Exception):
                stream.reconfigure(errors=errors)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with _printable_streams(), any_integer_size():
        try:
            return args.run(args)
        except SmoothsymError as exc:
            print(f"smoothsym: error: {exc}", file=sys.stderr)
            return 2
        except (KeyboardInterrupt, Terminated) as exc:  # the workers are already stopped
            print(f"smoothsym: {'interrupted' if isinstance(exc, KeyboardInterrupt) else exc}; nothing more was written", file=sys.stderr)
            return 130 if isinstance(exc, KeyboardInterrupt) else 143


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
