"""The ``smoothsym`` command: ``verify``, ``report``, ``export``, ``new`` and ``list``.

``smoothsym verify [PATH ...]`` prints one line per step and a summary, and exits 0 only when
nothing is refuted (unexpectedly), disputed or errored; ``--strict`` also fails on timeouts and
numeric-only steps, and never reads the verification cache (a cached verdict is a speed-up,
never evidence). A step whose verdict was read from the cache shows ``cached`` in its time
column (and ``"cached": true`` in ``--json``). ``--json -`` writes the JSON to standard output
and the step lines to standard error. ``-q`` prints only failures and the summary, ``-v`` every
step's evidence, ``-x`` stops after the first failing derivation, ``-k EXPRESSION`` selects
derivations and steps as pytest's ``-k`` selects tests.

The options are click's (typed and checked while the command line is read, so a bad value is a
usage error, exit 2, before any file is imported); the colours and the progress line are rich's:
a terminal only, never with ``NO_COLOR`` set or in piped output.

Output that cannot be written (a read-only folder, a full disk) is an error naming the path,
with no traceback, and leaves the file that was there as it was. A file name that is not UTF-8
is printed with its odd bytes as ``\\xff``.

Prose (a title, a step's label, its ``why=`` and ``expect_refuted=``) is printed as plain text
(``prose.plain``): its ``$...$`` TeX read into Unicode, ``$\\sigma(a) \\ge 0$`` as ``σ(a) ≥ 0``.
``--json`` carries both: ``title``, ``label``, ``why`` and ``expected_refutation`` as written in
the source (TeX and all), and ``title_text``, ``label_text``, ``why_text`` and
``expected_refutation_text`` as the terminal prints them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
import sys
import time
import types
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.text import Text

from . import __version__, replay
from .errors import SmoothsymError
from .files import shown_path, write_atomically
from .processes import Terminated, any_integer_size
from .prose import plain
from .settings import PROFILES
from .verdict import Status

if TYPE_CHECKING:
    from .runner import DerivationResult

# The engine (SymPy, the checks, the loader) is imported where a command first needs it: a warm
# `verify` that replays its last run (replay.py) needs none of it, and starts in a fraction of
# the time SymPy takes to import.

# Fewer significant digits than a double's 16 cannot tell a wrong step's small error from
# rounding, and the numeric tolerance is three digits below the working precision.
MIN_DIGITS = 16


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


# -- what a terminal shows: colour and progress (rich), plain text anywhere else -------------------

def console(stream) -> Console:
    """A console writing ``stream``: colour only on a terminal (or where ``FORCE_COLOR`` asks for
    it), none at all under ``NO_COLOR`` (https://no-color.org); never wrapped nor cropped, so a
    piped line is the same text as a terminal's; brackets and paths printed as written."""
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(file=stream, color_system=None if plain else "auto", soft_wrap=True,
                   highlight=False, markup=False, emoji=False)


# The outcome column, coloured by what it means to the run: passes green, numeric-only cyan,
# undecided yellow, failures red; a verdict from the cache is marked apart (it took no time).
OUTCOME_STYLE = {
    Status.PROVED: "green", Status.GIVEN: "green", Status.CHECKED: "cyan",
    Status.INCONCLUSIVE: "yellow", Status.TIMEOUT: "yellow",
    Status.DISPUTED: "bold red", Status.ERROR: "bold red", Status.REFUTED: "bold red",
}
CACHED_STYLE = "bold magenta"


def _outcome_style(r) -> str:
    if r.expected_refutation:
        return "green" if r.passes() else "bold red"
    return OUTCOME_STYLE.get(r.verdict.status, "")


def _step_parts(result: DerivationResult, r) -> dict:
    """A step line's columns and their styles (what a replayed run prints again)."""
    verdict = r.verdict
    cached = bool(getattr(r, "cached", False))
    return {"head": f"{result.name:<22} {r.number:>3} {r.step.kind:<13} ", "outcome": f"{r.outcome:<30}",
            "style": _outcome_style(r), "time": f"{'cached':>7}" if cached else f"{verdict.seconds:6.2f}s",
            "cached": cached, "tail": f"  {plain(r.step.label, label=True) or '-'}  [{verdict.method}]"}


def _line_of(parts: dict) -> Text:
    line = Text(parts["head"])
    line.append(parts["outcome"], style=parts["style"])
    line.append(" ")
    line.append(parts["time"], style=CACHED_STYLE if parts["cached"] else "")
    line.append(parts["tail"])
    return line


def _step_line(result: DerivationResult, r) -> Text:
    """derivation, step, kind, outcome, time, method, label: the fixed-width columns first, so
    long labels and methods never shift the others. A verdict read from the cache took no time
    in this run: its time column says ``cached``, in a colour of its own."""
    return _line_of(_step_parts(result, r))


def _details(r) -> list[str]:
    """The evidence worth a line of its own: counterexamples, and why a step did not pass."""
    from .checks import THIN_EVIDENCE

    lines = []
    if r.step.expect_refuted and r.verdict.status is Status.REFUTED:
        lines.append(f"      expected: {plain(r.step.expect_refuted)}")
    ce = r.verdict.counterexample
    if ce is not None:
        lines.append(f"      counterexample: {ce.summary()}")
        lines.append(f"      reproduce: {ce.reproduce}")
    elif r.verdict.status not in (Status.PROVED, Status.GIVEN, Status.CHECKED) and r.verdict.detail:
        lines.append(f"      {r.verdict.detail}")
    elif THIN_EVIDENCE in r.verdict.detail:  # a pass, but on few points: said where it is seen
        lines.append(f"      {r.verdict.detail}")
    return lines


def _all_details(r) -> list[str]:
    """``-v``: every piece of a step's evidence (points, digits, errors, convergence), not only
    what a failure needs, and its detail."""
    lines = _details(r)
    shown = "\n".join(lines)
    if r.verdict.detail and r.verdict.detail not in shown:
        lines.append(f"      {r.verdict.detail}")
    for evidence in r.verdict.evidence:
        if evidence is not r.verdict.counterexample:
            lines.append(f"      evidence: {evidence.summary()}")
    return lines


class Progress:
    """A rich progress line ("verified smooth-abs ━━━━━━ 3/12 0:00:04") on a terminal, erased when
    the run ends; nothing when the stream is no terminal (a pipe, a file, a CI log), even if
    ``FORCE_COLOR`` makes its colours show. It never refreshes by itself: a refresh thread would
    be alive while the engine forks its workers."""

    def __init__(self, total: int, screen: Console) -> None:
        self.bar = None
        if total > 1 and screen.file.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                           console=screen, transient=True, auto_refresh=False, redirect_stdout=False, redirect_stderr=False)
            self.task = self.bar.add_task("verifying", total=total)
            self.bar.start()
            self.bar.refresh()

    def update(self, done: int, name: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, description=f"verified {name}")
            self.bar.refresh()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


# -- -k: pytest's keyword expressions ---------------------------------------------------------------

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def keyword_expression(text: str):
    """``-k``'s expression as a function of a step's names: a word is true when it is part of
    one of them (case-insensitive; a number only as a whole number), combined with ``and``,
    ``or``, ``not`` and parentheses, as in pytest. A ValueError says where it does not parse.

    >>> match = keyword_expression("smooth and not 7")
    >>> match(["smooth-abs", "(6)", "6"]), match(["smooth-abs", "(7)", "7"]), match(["smooth-abs", "(17)", "17"])
    (True, False, True)
    >>> keyword_expression("smooth and")
    Traceback (most recent call last):
    ...
    ValueError: -k 'smooth and': a word is missing at the end
    """
    tokens = _TOKEN.findall(text)
    position = 0

    def fail(what: str):
        at = f"before {tokens[position]!r}" if position < len(tokens) else "at the end"
        raise ValueError(f"-k {text!r}: {what} {at}")

    def peek():
        return tokens[position] if position < len(tokens) else None

    def take():
        nonlocal position
        position += 1
        return tokens[position - 1]

    def either():
        left = both()
        while peek() == "or":
            take()
            right = both()
            left = (lambda a, b: lambda names: a(names) or b(names))(left, right)
        return left

    def both():
        left = negated()
        while peek() == "and":
            take()
            right = negated()
            left = (lambda a, b: lambda names: a(names) and b(names))(left, right)
        return left

    def negated():
        token = peek()
        if token == "not":
            take()
            inner = negated()
            return lambda names: not inner(names)
        if token == "(":
            take()
            inner = either()
            if peek() != ")":
                fail("a ')' is missing")
            take()
            return inner
        if token is None or token in ("and", "or", ")"):
            fail("a word is missing")
        word = take().lower()
        if word.isdigit():  # a number is a whole number: -k 1 is step 1 or label (1), not step 10
            whole = re.compile(rf"(?<!\d){word}(?!\d)")
            return lambda names: any(whole.search(name) for name in names)
        return lambda names: any(word in name.lower() for name in names)

    if not tokens:
        raise ValueError("-k '': the expression is empty")
    match = either()
    if position < len(tokens):
        fail("'and' or 'or' is missing")
    return match


def step_names(derivation, number: int, step) -> list[str]:
    """What ``-k`` matches a step against: its derivation's name and file name, its label, its
    kind and its number (a label as written and as printed: ``-k σ`` finds ``$\\sigma$``)."""
    stem = os.path.splitext(os.path.basename(derivation.location.file))[0]
    return [derivation.name, stem, step.label or "", plain(step.label, label=True), step.kind, str(number)]


def _keyword_selection(derivations, match):
    """The derivations with a step ``match`` selects, and for each with only some selected,
    their numbers (by its index among the derivations kept)."""
    kept, some = [], {}
    for derivation in derivations:
        chain = list(derivation.chain())
        chosen = {n for n, step, _ in chain if match(step_names(derivation, n, step))}
        if chosen:
            if len(chosen) < len(chain):
                some[len(kept)] = chosen
            kept.append(derivation)
    return kept, some


def _step_json(r) -> dict:
    v = r.verdict
    return {
        "number": r.number,
        "label": r.step.label,
        "label_text": plain(r.step.label, label=True),
        "kind": r.step.kind,
        "why": r.step.why,
        "why_text": plain(r.step.why),
        "line": r.step.location.line,
        "claim": str(r.step.claim),
        "status": v.status.value,
        "outcome": r.outcome,
        "expected_refutation": r.step.expect_refuted or None,
        "expected_refutation_text": plain(r.step.expect_refuted) if r.step.expect_refuted else None,
        "method": v.method,
        "detail": v.detail,
        "seconds": round(v.seconds, 3),
        "cached": bool(getattr(r, "cached", False)),
        "evidence": [{"type": type(e).__name__, **dataclasses.asdict(e)} for e in v.evidence],
    }


def _derivation_json(res: DerivationResult) -> tuple[dict, str | None]:
    """One derivation's entry, and why its verdicts could not be written (then the entry says
    so, as an error, and the others are written whole)."""
    title = getattr(res.derivation, "title", None)  # None: the file did not load
    entry = {"name": res.name, "title": title, "title_text": plain(title) if title is not None else None,
             "file": res.file, "status": res.status.value,
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


def _say_steps(screen: Console, result, args) -> None:
    """A derivation's step lines as ``-q`` / ``-v`` ask: ``-q`` only the steps that fail. A
    replayed derivation's lines are the ones its recording run would print now."""
    strict = getattr(args, "strict", False)
    if isinstance(result, replay.Replayed):
        for step in result.steps:
            if args.quiet and step["passes"]:
                continue
            screen.print(_line_of(step))
            for line in step["all_details" if args.verbose else "details"]:
                screen.print(line)
        return
    for r in result.steps:
        if args.quiet and r.passes(strict):
            continue
        screen.print(_step_line(result, r))
        for line in (_all_details(r) if args.verbose else _details(r)):
            screen.print(line)


def cmd_verify(args) -> int:
    settings = _settings(args)
    started = time.perf_counter()
    to_stdout = args.json == "-"
    # `--json -`: standard output holds the JSON only
    screen = console(sys.stderr if to_stdout else sys.stdout)

    # --strict asks for evidence: a cached verdict is a speed-up, never evidence; -k verifies
    # some steps of a derivation, which is never cached (so never replayed) either
    caching = not (args.no_cache or args.strict)
    records = replay.Records() if caching and args.keyword is None else None
    replayed = records.replayable(args.paths, settings) if records is not None else {}
    reused = {path: found for path, found in replayed.items() if found is not None}
    if _unanswered(args.only, reused):
        reused = {}  # --only names a derivation no record holds: the full run says which there are
    results: list = []
    some, selected = None, ""
    if replayed and len(reused) == len(replayed):  # nothing any file read has changed: SymPy never imported
        order, loaded, chosen, runs = list(replayed), {}, [], iter(())
    else:
        from .cache import VerificationCache
        from .runner import failed_load, verify_many

        cache = VerificationCache() if caching else None
        if cache is not None:
            cache.record = records is not None
        catalog = _discover(args, record=records is not None, skip=set(reused))
        if set(catalog.names()) & {res.name for found in reused.values() for res in found}:
            reused = {}  # a name defined twice: the whole catalog is loaded, so the error names both files
            catalog = _discover(args, record=records is not None)
        results = [failed_load(e) for e in catalog.errors]
        for error in catalog.errors:
            screen.print(f"ERROR {error}", style="bold red")
        if args.only:  # the names a replayed file answers are not looked for among the imported ones
            wanted = [n for n in args.only if _unanswered([n], reused)]
            chosen = catalog.select(wanted).derivations if wanted else []
        else:
            chosen = catalog.derivations
        if args.keyword is not None:  # read (and checked) with the options: it parses
            candidates = chosen
            chosen, some = _keyword_selection(candidates, keyword_expression(args.keyword))
            if not chosen:
                raise click.UsageError(f"-k {args.keyword!r} selects no step of the {len(candidates)} derivation(s) found")
            count = sum(len(some[i]) if i in some else len(d.steps) for i, d in enumerate(chosen))
            selected = f" (-k: {count} of {sum(len(d.steps) for d in candidates)} steps selected)"
        picked = {id(d) for d in chosen}
        order = catalog.order
        loaded = {path: [d for d in derivations if id(d) in picked] for path, _, derivations in catalog.files}
        runs = verify_many(chosen, settings, args.jobs, cache, some)
    stopped = args.exitfirst and bool(results)  # -x: a file that did not load is the first failure
    shown = [res for path in order if path in reused for res in reused[path] if _chosen(res, args.only)]
    left = len(chosen) + len(shown)
    if not stopped:
        progress = Progress(left, screen if screen.file.isatty() else console(sys.stderr))
        try:
            for path in order:
                if path in reused:
                    batch = [res for res in reused[path] if _chosen(res, args.only)]
                else:
                    batch = (next(runs) for _ in loaded.get(path, []))
                for result in batch:
                    results.append(result)
                    left -= 1
                    if result.error is not None:
                        screen.print(f"ERROR {result.error}", style="bold red")
                    _say_steps(screen, result, args)
                    progress.update(len(results), result.name)
                    if args.exitfirst and not result.passes(args.strict):
                        stopped = True
                        break
                if stopped:
                    break
        finally:
            if hasattr(runs, "close"):
                runs.close()  # -x: the workers stop with the run
            progress.stop()
        if records is not None and len(reused) < len(replayed) and not stopped:
            _record_for_replay(catalog, results, settings, cache, records)
    problems: list = []
    data = _as_json(results, settings, problems) if args.json else None
    steps = sum(res.step_count if isinstance(res, replay.Replayed) else len(res.steps) for res in results)
    counts: dict[str, int] = {}
    for res in results:
        for key, n in res.counts().items():
            counts[key] = counts.get(key, 0) + n
    failed = [res for res in results if not res.passes(args.strict)]
    unwritten = [(res, problem) for res, problem in problems if res not in failed]
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {key}" for key, n in sorted(counts.items()))
    line = (
        f"{len(results)} derivations, {steps} steps{selected}: {summary or 'nothing verified'}; "
        f"{len(failed) + len(unwritten)} failing{' (strict)' if args.strict else ''} in {elapsed:.1f}s"
    )
    if stopped:
        line += f"; stopped after the first failing derivation (-x): {left} not verified"
    screen.print(line, style="bold red" if failed or unwritten else "bold green")
    for res in failed:
        if isinstance(res, replay.Replayed):
            where = res.failures
        else:
            bad = [r for r in res.steps if not r.passes(args.strict)]
            where = ", ".join(f"step {r.number} {plain(r.step.label, label=True)} {r.outcome}" for r in bad) or str(res.error)
        screen.print(f"FAILED {res.name} ({res.file}): {where}", style="red")
    for res, problem in unwritten:
        screen.print(f"FAILED {res.name} ({res.file}): {problem}", style="red")
    if data is not None:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
        if to_stdout:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomically(args.json, text)
    return 1 if failed or unwritten else 0


def _chosen(res, only) -> bool:
    """Whether --only (names or file stems, as ``Catalog.select``) picks a replayed derivation."""
    return not only or res.name in only or os.path.splitext(os.path.basename(res.file))[0] in only


def _unanswered(only, reused: dict) -> bool:
    """Whether --only names a derivation that no replayed file holds."""
    return bool(only) and any(not any(_chosen(res, [name]) for found in reused.values() for res in found)
                              for name in only)


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
            res, key, keyed = by_derivation.get(id(d)), cache.keys.get(id(d)), cache.key_inputs.get(id(d))
            if res is None or res.error is not None or key is None or keyed is None:
                break
            if not records.entry_holds(str(cache.entry_path(d)), key):
                break
            cached = DerivationResult(res.name, res.file, d, tuple(dataclasses.replace(r, cached=True) for r in res.steps))
            entry, problem = _derivation_json(cached)
            if problem is not None:
                break
            inputs.merge(keyed)
            steps = [{**_step_parts(cached, r), "passes": r.passes(), "details": _details(r), "all_details": _all_details(r)}
                     for r in cached.steps]
            bad = [r for r in cached.steps if not r.passes()]
            found.append({"name": res.name, "file": res.file, "key": key, "entry": str(cache.entry_path(d)),
                          "steps": steps, "json": entry, "counts": cached.counts(), "passes": cached.passes(),
                          "failures": ", ".join(f"step {r.number} {plain(r.step.label, label=True)} {r.outcome}" for r in bad),
                          "step_count": len(cached.steps)})
        else:
            if found:
                records.store(str(path), inputs, settings, found)


def cmd_list(args) -> int:
    """One aligned row per derivation: name, source labels, steps, file, title."""
    catalog = _discover(args)
    rows = [(d.name, d.source, f"{len(d.steps)} steps", shown_path(d.location.file), plain(d.title))
            for d in catalog.derivations]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for name, source, steps, file, title in rows:
        print(f"{name:<{widths[0]}}  {source:<{widths[1]}}  {steps:>{widths[2]}}  {file:<{widths[3]}}  {title}".rstrip())
    for error in catalog.errors:
        print(f"ERROR {error}")
    return 1 if catalog.errors else 0


def _figure_store(args, results):
    """Where the figures of earlier runs are kept (plots.FigureStore): ``figures/`` in
    ``$SMOOTHSYM_CACHE_DIR``, else in the ``.smoothsym_cache/`` beside the first derivation file,
    as the verification cache; none with ``--no-cache``, or where the cache's secret is unusable."""
    from .identity import CACHE_DIRECTORY_VARIABLE, CACHE_FOLDER
    from .plots import FigureStore

    named = os.environ.get(CACHE_DIRECTORY_VARIABLE)
    files = [r.file for r in results if r.file]
    if args.no_cache or not (named or files):
        return None
    store = FigureStore(Path(named) / "figures" if named else Path(files[0]).resolve().parent / CACHE_FOLDER / "figures")
    return None if store.problem else store


def cmd_report(args) -> int:
    """Verify, then render the reports (rendering never verifies again); ``--check`` only
    compares them with the files in the reports directory."""
    from . import render  # only the report command needs Jinja and the templates
    from .cache import VerificationCache
    from .runner import failed_load, verify_many

    settings = _settings(args)
    screen = console(sys.stdout)
    catalog = _discover(args)
    selected = catalog.select(args.only or [])
    results = [] if args.only else [failed_load(e) for e in catalog.errors]
    cache = None if args.no_cache else VerificationCache()
    for result in verify_many(selected.derivations, settings, args.jobs, cache):
        results.append(result)
        counts = ", ".join(f"{n} {key}" for key, n in sorted(result.counts().items()))
        if not args.quiet:
            print(f"verified {result.name}: {result.status.value} ({len(result.steps)} steps: {counts})", flush=True)
        if args.verbose:
            _say_steps(screen, result, args)
    failing = [r for r in results if not r.passes()]
    for r in failing:
        screen.print(f"FAILED {r.name} ({r.file}): {r.error or 'see its report'}", style="red")
    complete = not args.only
    files, unrendered = render.render_pages(results, settings, templates=args.templates, index=complete, jobs=args.jobs,
                                            figures=_figure_store(args, results))
    for failure in unrendered:
        screen.print(f"FAILED {failure}", style="red")
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
        if not args.quiet:
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


# -- the command line (click) -----------------------------------------------------------------------
#
# Every option's value is checked as the command line is read, before any derivation file is
# imported: a wrong value is a usage error (exit 2) in one line, whatever the command would
# have done first.

def _existing_paths(ctx, param, paths):
    for raw in paths:
        if not os.path.exists(raw):
            raise click.UsageError(f"no such file or directory: {shown_path(raw)}", ctx)
    return list(paths)


def _only(ctx, param, names):
    """``--only a b`` as well as ``--only a --only b``: the names, in order."""
    return list(names) or None


def _target(ctx, param, target):
    """A target export writes, whose framework (torch, jax) is installed: known before the
    catalog is imported and verified, not after."""
    from . import export  # the printers, not the frameworks: those are imported only to check them

    if target not in export.TARGETS:
        raise click.BadParameter(f"unknown target {target!r}; choose one of {', '.join(export.TARGETS)}", ctx, param)
    try:
        export._framework_present(target)
    except SmoothsymError as exc:
        raise click.UsageError(str(exc), ctx) from None
    return target


def _keyword(ctx, param, text):
    if text is not None:
        try:
            keyword_expression(text)
        except ValueError as exc:
            raise click.UsageError(str(exc), ctx) from None
    return text


def _module_name(ctx, param, name):
    if not name.replace("-", "_").isidentifier():
        raise click.UsageError(f"{name!r} cannot name a module; use letters, digits, - and _", ctx)
    return name


def _spread_only(args: list[str]) -> list[str]:
    """``--only a b c`` (several names after one ``--only``, as the command has always taken them)
    as ``--only a --only b --only c``: click gives an option one value per use. The names run to
    the next option; after ``--`` nothing is an option.

    >>> _spread_only(["x.py", "--only", "a", "b", "-j", "2", "--only", "c"])
    ['x.py', '--only', 'a', '--only', 'b', '-j', '2', '--only', 'c']
    >>> _spread_only(["--only", "-k", "x"])  # no name: click says --only needs one
    ['--only', '-k', 'x']
    """
    spread, rest = [], list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            return spread + [arg] + rest
        if arg != "--only":
            spread.append(arg)
            continue
        names = []
        while rest and not rest[0].startswith("-"):
            names.append(rest.pop(0))
        spread += [part for name in names for part in ("--only", name)] or ["--only"]
    return spread


class _Command(click.Command):
    def parse_args(self, ctx, args):
        return super().parse_args(ctx, _spread_only(args))


def _runs(command):
    """The command's body, with a SmoothsymError as one line (exit 2), an interruption as 130
    and SIGTERM as 143, and no traceback for either."""

    @functools.wraps(command)
    def run(**options) -> int:
        args = types.SimpleNamespace(**options)
        if getattr(args, "quiet", False) and getattr(args, "verbose", False):
            raise click.UsageError("-q and -v cannot be used together", click.get_current_context())
        try:
            return command(args)
        except SmoothsymError as exc:
            print(f"smoothsym: error: {exc}", file=sys.stderr)
            return 2
        except (KeyboardInterrupt, Terminated) as exc:  # the workers are already stopped
            print(f"smoothsym: {'interrupted' if isinstance(exc, KeyboardInterrupt) else exc}; nothing more was written", file=sys.stderr)
            return 130 if isinstance(exc, KeyboardInterrupt) else 143

    return run


def _check_options(*, jobs: bool = True):
    """The options every command that verifies shares: what to verify and how hard."""
    options = [
        click.argument("paths", nargs=-1, callback=_existing_paths),
        click.option("--profile", type=click.Choice(sorted(PROFILES)), default="default", show_default=True,
                     help="how hard to look"),
        click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
                     help="CPU seconds for each step's symbolic proof (above 0)"),
        click.option("--seed", type=int, help="seed of the point sampler"),
        click.option("--digits", type=click.IntRange(min=MIN_DIGITS), metavar="N",
                     help=f"significant digits of the numeric checks (at least {MIN_DIGITS})"),
        click.option("--wall-limit", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
                     help="wall-clock seconds for importing one file and for checking one step, enforced from outside "
                     "(the process is stopped; default 60 for an import, 60 + 12 x time limit for a step)"),
    ]
    if jobs:
        options.append(click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, metavar="N",
                                    help="check steps (and draw a report's plots) in N worker processes (output order stays the catalog's)"))

    def add(command):
        for option in reversed(options):
            command = option(command)
        return command

    return add


def _verbosity(command):
    command = click.option("-v", "--verbose", is_flag=True, help="also every step's evidence: points, digits, errors")(command)
    return click.option("-q", "--quiet", is_flag=True, help="only the failures and the summary")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="smoothsym", message="%(prog)s %(version)s")
def cli() -> None:
    """Machine-checked derivations."""


@cli.command(cls=_Command)
@_check_options()
@click.option("--only", multiple=True, metavar="NAME", callback=_only,
              help="verify only these derivations (by name or file name; --only a b or --only a --only b)")
@click.option("-k", "keyword", metavar="EXPRESSION", callback=_keyword,
              help="only the steps matching: words matched in the derivation's name and file, a step's label, kind "
              "and number (a number as a whole number), with and, or, not and parentheses, as pytest's -k")
@click.option("-x", "--exitfirst", is_flag=True, help="stop after the first failing derivation")
@_verbosity
@click.option("--json", metavar="FILE", help="write every verdict with its evidence as JSON (-: to standard output)")
@click.option("--strict", is_flag=True, help="also fail on timeouts and numeric-only steps")
@click.option("--no-cache", is_flag=True, help="verify again even what the cache holds (see smoothsym/cache.py)")
@_runs
def verify(args) -> int:
    """Verify every step of the derivations."""
    return cmd_verify(args)


@cli.command(cls=_Command)
@_check_options()
@click.option("--only", multiple=True, metavar="NAME", callback=_only, help="only these derivations' pages (no index)")
@_verbosity
@click.option("--out", default="reports", metavar="DIR", show_default=True, help="the reports directory")
@click.option("--templates", metavar="DIR", help="a directory of templates overriding the built-in ones")
@click.option("--pdf", is_flag=True, help="also compile each .tex to PDF (needs pdflatex)")
@click.option("--check", is_flag=True, help="write nothing; fail naming the reports that are stale")
@click.option("--no-cache", is_flag=True, help="verify again even what the cache holds, and draw every figure again")
@_runs
def report(args) -> int:
    """Write the HTML and LaTeX reports of the derivations."""
    return cmd_report(args)


@cli.command()
@click.argument("name", callback=_module_name)
@click.option("--dir", default="derivations", show_default=True, help="where to write it")
@_runs
def new(args) -> int:
    """Write a commented starting derivation file NAME (e.g. smooth-min: smooth_min.py)."""
    return cmd_new(args)


@cli.command(cls=_Command)
@_check_options(jobs=False)
@click.option("--target", default="numpy", show_default=True, callback=_target,
              help="numpy (arrays), math (scalars), mpmath (arbitrary precision), torch or jax (tensors, with the "
              "catalog's verified derivatives as the backward pass; pip install -e '.[frameworks]')")
@click.option("-o", "--output", required=True, metavar="FILE.py", help="the module to write")
@click.option("--only", multiple=True, metavar="NAME", callback=_only,
              help="only these functions (all or nothing: one refused is an error)")
@click.option("--strict", is_flag=True, help="exit 1 when a function is refused (the others are still written, as without it)")
@_runs
def export(args) -> int:
    """Write verified formulas as a standalone numeric module."""
    return cmd_export(args)


@cli.command("list")
@click.argument("paths", nargs=-1, callback=_existing_paths)
@_runs
def list_(args) -> int:
    """List the derivations, one aligned row each."""
    return cmd_list(args)


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
    """Run the command line (``argv``, or the process's arguments) and return its exit status."""
    with _printable_streams(), any_integer_size():
        try:
            code = cli.main(args=argv, prog_name="smoothsym", standalone_mode=False)
        except click.exceptions.NoArgsIsHelpError as exc:  # `smoothsym` alone: what it can do
            click.echo(exc.ctx.get_help(), err=True)
            return 2
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "smoothsym"
            print(f"smoothsym: error: {exc.format_message()} (see {where} -h)", file=sys.stderr)
            return 2
        except click.ClickException as exc:
            print(f"smoothsym: error: {exc.format_message()}", file=sys.stderr)
            return exc.exit_code
        except click.exceptions.Abort:  # an interruption while the command line was read
            print("smoothsym: interrupted; nothing more was written", file=sys.stderr)
            return 130
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
