"""The three checks every step kind is built from: equal, bound (<=), limit.

Each runs the numeric check first (fast, and it refutes at once), then the symbolic proof
under the step's time limit, and judges the pair — trusting no single oracle:

    numeric agrees, SymPy proves         -> proved   (the SymPy method named)
    numeric agrees, SymPy does not know  -> checked  (numeric only, never called proved)
    numeric agrees, SymPy runs out       -> timeout  (numeric evidence still attached)
    numeric counterexample, no proof     -> refuted  (the counterexample survived a replay)
    numeric counterexample, SymPy proves -> disputed (shown as such, never a pass)
    limit numerically inconclusive       -> inconclusive, SymPy's answer or none (never proved)

A counterexample is certified by ball arithmetic (the difference's ball excludes 0); only
where Arb cannot evaluate a function is it an mpmath one, and the method says so.
"""

from __future__ import annotations

import decimal
import itertools
import math
import time
from dataclasses import replace

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from . import balls, extremes, numeric, symbolic
from .constraints import index_range_declaration
from .errors import StepTimeout
from .model import StepContext
from .sampling import Sampler, _sign, break_points, critical_expressions, point_text, real_roots, violated_fact
from .timelimit import time_limit
from .verdict import ConvergenceEvidence, Counterexample, NumericEvidence, Status, Verdict, weakest


def _attempt_proof(prove, *args, context: StepContext) -> tuple[str | None, str]:
    """Run a symbolic prover under the time limit: (method or None, what happened)."""
    try:
        with time_limit(context.settings.time_limit):
            return prove(*args), ""
    except StepTimeout:
        return None, "timeout"
    except Exception as exc:  # SymPy raising is "don't know", recorded, never a pass
        return None, f"SymPy raised {type(exc).__name__}: {exc}"


def _hinted_proof(prove_by, prove, *args, context: StepContext) -> tuple[str | None, str]:
    """The step's hinted method first, then the usual methods, each under its own time limit (a
    hint that fails or runs out leaves the usual methods all their time: it never weakens)."""
    if not context.hint:
        return _attempt_proof(prove, *args, context=context)
    proof, hint_trouble = _attempt_proof(prove_by, context.hint, *args, context=context)
    if proof:
        return proof, ""
    proof, trouble = _attempt_proof(prove, *args, context=context)
    if proof or trouble:
        return proof, trouble
    ran_out = f"ran out of its {context.settings.time_limit:g} s" if hint_trouble == "timeout" else "did not prove it"
    return None, f"the hint {context.hint} {ran_out}"


def _judge(evidence, proof: str | None, trouble: str, context: StepContext, started: float) -> Verdict:
    seconds = time.perf_counter() - started
    if isinstance(evidence, Counterexample):
        if proof:
            return Verdict(
                Status.DISPUTED,
                f"sympy: {proof} vs mpmath counterexample",
                (evidence,),
                detail="SymPy claims a proof, but the numeric check found a counterexample that survived replay",
                seconds=seconds,
            )
        if not evidence.certified:
            # a refutation is a certified counterexample: numbers that disagree where no ball
            # arithmetic could follow (a function Arb has no counterpart for) stand against the
            # claim, fail the run, and decide nothing
            return Verdict(
                Status.DISPUTED,
                _counterexample_method(evidence),
                (evidence,),
                detail=f"the sides differ by {evidence.difference} at {numeric.point_label_text(evidence.point)} at {evidence.digits} and "
                       f"{evidence.replay_digits} digits, but no ball enclosure shows it"
                       + (f" ({evidence.note})" if evidence.note else "") + ": not refuted",
                seconds=seconds,
            )
        return Verdict(Status.REFUTED, _counterexample_method(evidence), (evidence,), seconds=seconds)
    inconclusive = isinstance(evidence, ConvergenceEvidence) and not evidence.conclusive
    if inconclusive:
        # "proved" needs the numeric check's agreement too: a SymPy answer the numbers could
        # neither confirm nor refute (ln(k)/k^(1/100) still grows at k = 10^64) is not enough
        if proof:
            detail = f"SymPy ({proof}) says it holds, but the numeric check could not confirm it: the error neither vanished nor showed a certified gap"
        else:
            detail = "no symbolic proof, and the error neither vanished nor showed a certified gap" + (
                f" (symbolic proof ran out of its {context.settings.time_limit:g} s)" if trouble == "timeout" else ""
            )
        method = f"sympy: {proof}; Arb inconclusive" if proof else "Arb only"
        return Verdict(Status.INCONCLUSIVE, method, (evidence,), detail=detail, seconds=seconds)
    if proof:
        return Verdict(Status.PROVED, f"sympy: {proof}", (evidence,), seconds=seconds)
    if trouble == "timeout":
        return Verdict(
            Status.TIMEOUT,
            _numeric_method(evidence),
            (evidence,),
            detail=f"symbolic proof ran out of its {context.settings.time_limit:g} s" + _thin(evidence, context),
            seconds=seconds,
        )
    detail = "no symbolic proof found" + (f" ({trouble})" if trouble else "") + _thin(evidence, context)
    return Verdict(Status.CHECKED, _numeric_method(evidence), (evidence,), detail=detail, seconds=seconds)


THIN_EVIDENCE = "thin evidence"  # in a verdict's detail; `verify` prints such a detail on its own line


def _thin(evidence, context: StepContext) -> str:
    """For a numeric-only verdict: "; thin evidence: ..." when it rests on fewer than half the
    judged points the settings ask for (a narrow domain, most points undefined), else "". Half,
    not all: a random draw that repeats one, or an edge point skipped, is no thinner evidence.

    The status stays ``checked``: every point judged agreed, and "checked" already says numeric
    only; the detail says how little that is. A claim without symbols has one point, all there is."""
    if not isinstance(evidence, NumericEvidence) or not evidence.worst_point:
        return ""
    if 2 * evidence.points >= context.settings.points:
        return ""
    unjudged = [f"{n} {what}" for n, what in ((evidence.skipped, "skipped"), (evidence.undecided, "undecided")) if n]
    return (
        f"; {THIN_EVIDENCE}: {evidence.points} point{'s' if evidence.points != 1 else ''} judged, "
        f"under half the {context.settings.points} asked for" + (f" ({', '.join(unjudged)})" if unjudged else "")
    )


def _counterexample_method(evidence: Counterexample) -> str:
    return "certified counterexample (Arb)" if evidence.certified else "mpmath counterexample (not certified)"


def _numeric_method(evidence) -> str:
    if isinstance(evidence, NumericEvidence) and evidence.oracle != "Arb balls":
        return "mpmath only"
    return "numeric only (Arb)"


def _stand_in(number: int, arity: int) -> sp.Lambda:
    """A concrete smooth function for the number-th undefined function of a claim: no special
    values, different for each function and each argument."""
    us = sp.symbols(f"u1:{arity + 1}", real=True)
    mixed = sum((j + 1) * u for j, u in enumerate(us))
    shift = sp.Rational(2 * number + 1, 3)
    return sp.Lambda(us, sp.sin(mixed + shift) + sp.exp(sum(us) / (number + 3)))


def _with_stand_ins(exprs: tuple) -> tuple[tuple, str]:
    """The expressions with each undefined function f (a placeholder for any function: the
    claim must hold whatever f is) replaced by a concrete smooth one and the derivatives done,
    for the numbers to evaluate, and the text saying so ("" where there is none). SymPy's proof
    is of the claim itself, for every f."""
    functions = sorted({a.func for e in exprs if isinstance(e, sp.Basic) for a in e.atoms(AppliedUndef)}, key=str)
    if not functions:
        return exprs, ""
    replacing = {}
    for number, f in enumerate(functions):
        arities = {len(a.args) for e in exprs if isinstance(e, sp.Basic) for a in e.atoms(AppliedUndef) if a.func == f}
        replacing[f] = _stand_in(number, max(arities))
    replaced = tuple(e.replace(lambda node: isinstance(node, AppliedUndef), lambda node: replacing[node.func](*node.args)).doit()
                     if isinstance(e, sp.Basic) else e for e in exprs)
    names = ", ".join(f"{f}({', '.join(map(str, replacing[f].variables))}) = {replacing[f].expr}" for f in functions)
    return replaced, f" (numbers with {names} standing for any function)"


def check_equal(lhs: sp.Basic, rhs: sp.Basic, context: StepContext, what: str) -> Verdict:
    """``lhs == rhs`` on the domain (for every n and index, when it is a claim over a symbolic n:
    see ``check_over_n``)."""
    if over_symbolic_n(lhs, rhs):
        return check_over_n(lhs, rhs, context, what)
    started = time.perf_counter()
    difference = sp.sympify(lhs) - sp.sympify(rhs)
    unevaluated = next(iter(difference.atoms(sp.Derivative)), None) if isinstance(difference, sp.Expr) else None
    if unevaluated is not None and not unevaluated.expr.atoms(AppliedUndef):
        return Verdict(Status.ERROR, "", detail=f"{what}: SymPy leaves {unevaluated} unevaluated (it has no derivative "
                                                  f"rule for it), so there is nothing to compare the claim with")
    numbers, stand_ins = _with_stand_ins((lhs, rhs))
    evidence = numeric.equality_evidence(
        *numbers, context.symbols, context.constraints, context.settings, context.seed, what + stand_ins
    )
    proof, trouble = _hinted_proof(symbolic.prove_equal_by, symbolic.prove_equal, lhs, rhs, context.constraints,
                                   context=context)
    return _judge(evidence, proof, trouble, context, started)


def check_bound(smaller: sp.Basic, larger: sp.Basic, context: StepContext, what: str,
                written_reversed: bool = False) -> Verdict:
    """``smaller <= larger`` on the domain; ``written_reversed`` when the user wrote it as
    ``larger >= smaller`` (a counterexample then shows ``larger`` as its lhs, as written)."""
    if over_symbolic_n(smaller, larger):
        return check_over_n(smaller, larger, context, what, relation="<=", written_reversed=written_reversed)
    started = time.perf_counter()
    evidence = numeric.equality_evidence(
        smaller, larger, context.symbols, context.constraints, context.settings, context.seed, what, relation="<=",
        written_reversed=written_reversed,
    )
    # against a certified counterexample the cheap methods still run (a proof would be a dispute),
    # but not simplify, the last resort: it costs more than the rest of the check and has proved
    # no bound of the catalog or of the soundness corpus
    last_resort = not (isinstance(evidence, Counterexample) and evidence.certified)
    proof, trouble = _hinted_proof(symbolic.prove_nonnegative_by,
                                   lambda gap, constraints: symbolic.prove_nonnegative(gap, constraints, last_resort),
                                   larger - smaller, context.constraints, context=context)
    return _judge(evidence, proof, trouble, context, started)


def check_strict_bound(smaller: sp.Basic, larger: sp.Basic, context: StepContext, what: str,
                       written_reversed: bool = False) -> Verdict:
    """``smaller < larger`` on the domain: the bound ``smaller <= larger`` (``check_bound``), then
    strictness.

    A point where the two sides are exactly equal refutes it, certified by SymPy's exact value
    of larger - smaller there (0 at a rational or algebraic point); such points are looked for
    among the sampler's edge and random points and the exact real roots of larger - smaller in
    one symbol. "proved" needs the bound proved and ``symbolic.prove_positive`` (every case of a
    split strictly, its boundary cases too); otherwise the step is at most "checked": points where
    the gap's ball is positive and no point of equality say nothing for the whole domain."""
    # the points agree with "=" allowed, which is all they can show; a counterexample to the
    # bound with "=" allowed is one to the strict bound too, and is named for it
    allowing = what.replace(" < ", " <= ", 1).replace(" > ", " >= ", 1)
    weak = check_bound(smaller, larger, context, allowing, written_reversed=written_reversed)
    if weak.status in (Status.REFUTED, Status.DISPUTED, Status.ERROR):
        return replace(weak, evidence=tuple(replace(e, what=what) if isinstance(e, Counterexample) else e
                                            for e in weak.evidence))
    started = time.perf_counter()
    gap = sp.sympify(larger) - sp.sympify(smaller)
    over_n = over_symbolic_n(smaller, larger)
    equal = _equality_over_n(smaller, larger, context) if over_n else _equality_point(smaller, larger, context)
    tie = None if over_n or equal is not None else _near_tie(smaller, larger, weak, context)
    if tie is not None and tie[3] is not None:  # the near tie, named exactly, is an equality
        equal = tie[3]
    if equal is None and over_n:  # strictness is not proved for every n: at most checked
        searched = "no point of exact equality found at the first concrete n"
        return Verdict(weakest([weak.status, Status.CHECKED]), weak.method + "; strict: not proved over a symbolic n",
                       weak.evidence, "; ".join(d for d in (weak.detail, f"strictness not proved for all n ({searched})") if d),
                       weak.seconds + time.perf_counter() - started)
    if equal is not None:
        point, lhs_value, *concrete = equal
        if concrete:  # the sides at the n of the point, with its entries x_1, x_2, ...
            smaller, larger = concrete
        shown = (larger, smaller) if written_reversed else (smaller, larger)
        evidence = Counterexample(
            what=what, point=point_text(point), lhs=str(lhs_value), rhs=str(lhs_value), difference="0 (exactly)",
            tolerance="exact: SymPy evaluates claim - previous to 0 there, so the strict bound fails",
            digits=context.settings.digits, replay_digits=context.settings.replay_digits, seed=context.seed,
            reproduce=numeric.reproduce_line(*shown, point, context.settings.replay_digits),
            note="equality where the bound is claimed strict", certified=True,
            certificate="SymPy's exact value of claim - previous, 0 at the point")
        proof, _ = _attempt_proof(symbolic.prove_positive, gap, context.constraints, context=context)
        if proof:  # SymPy's strict proof against an exact equality: say so, never a pass
            return Verdict(Status.DISPUTED, f"sympy: {proof} vs exact equality", (evidence,),
                           "SymPy proves it strict, but the two sides are exactly equal at a point",
                           weak.seconds + time.perf_counter() - started)
        return Verdict(Status.REFUTED, "certified counterexample (exact equality)", (evidence,),
                       f"previous = claim exactly at {numeric.point_label_text(point)}; the non-strict bound: {weak.method}",
                       weak.seconds + time.perf_counter() - started)
    proof, trouble = _attempt_proof(symbolic.prove_positive, gap, context.constraints, context=context)
    seconds = weak.seconds + time.perf_counter() - started
    if proof and weak.status in (Status.PROVED, Status.CHECKED, Status.TIMEOUT):
        # a strict proof proves the bound with "=" allowed too; the numbers agreed with it
        method = f"{weak.method}; strict: sympy: {proof}" if weak.status is Status.PROVED else f"strict: sympy: {proof}"
        return Verdict(Status.PROVED, method, weak.evidence, "", seconds)
    if tie is not None and not proof:
        point, margin, symbol, _ = tie
        approximately = ", ".join(f"{s.name} ~ {sp.N(v, 17)}" for s, v in point.items())
        return Verdict(
            Status.INCONCLUSIVE, weak.method + "; strict: not decided", weak.evidence,
            "; ".join(d for d in (weak.detail, (
                f"strictness not decided: at {approximately} the sides agree to "
                f"within 10^-30 (margin {numeric.fmt(margin, 3)} relative to max(1, |lhs|, |rhs|)) and part on either side "
                f"in {symbol}: a point of exact equality may lie there that no exact root names")) if d),
            seconds)
    status = weakest([weak.status, Status.CHECKED])
    why = ("strictness not proved" + (f" (symbolic proof {trouble})" if trouble else "") +
           ": no point of exact equality found among the edge, random and root points")
    detail = "; ".join(d for d in (weak.detail, why) if d)
    return Verdict(status, weak.method + ("; strict: not proved" if not proof else f"; strict: sympy: {proof}"),
                   weak.evidence, detail, seconds)


SNAP_TOLERANCE = sp.Rational(1, 10**25)  # how close a near tie's coordinate is to the simple number it is read as
SNAP_DENOMINATOR = 10**6  # a rational with a larger denominator is not a simpler name of the coordinate


def _near_tie(smaller: sp.Basic, larger: sp.Basic, weak: Verdict, context: StepContext):
    """(point, margin, symbol, equality) where the strict bound's worst point is a near tie
    (``numeric.near_tie``), else None. ``equality`` is (exact point, value) where the point
    itself, or its coordinates read as simple numbers (a root of the claim's critical
    expressions: log 2 for |x - log 2|; else nsimplify with pi and e: 10^-32 as 0, 1.5707963...
    as pi/2), make the sides exactly equal, as ``_equality_point`` returns; else None."""
    found = next((e for e in weak.evidence if isinstance(e, NumericEvidence) and e.search and e.worst_point), None)
    if found is None:
        return None
    by_name = {s.name: s for s in context.symbols}
    try:
        point = {by_name[name]: sp.sympify(value) for name, value in found.worst_point.items()}
    except (KeyError, sp.SympifyError):
        return None
    tie = numeric.near_tie(smaller, larger, point, context.symbols, context.constraints, context.settings, context.seed)
    if tie is None:
        return None
    margin, symbol = tie
    roots = {}  # the claim's exceptional values in each symbol: log(2) for |x - log 2|
    for expr in critical_expressions((smaller, larger, larger - smaller)):
        (symbol_of, *others) = expr.free_symbols or (None,)
        if not others and symbol_of in point:
            roots.setdefault(symbol_of, []).extend(real_roots(expr, symbol_of))
    snapped = {}
    for s, value in point.items():
        near = [r for r in roots.get(s, ()) if abs(sp.N(r - value, 40)) <= SNAP_TOLERANCE * max(1, abs(value))]
        if near:
            snapped[s] = near[0]
            continue
        try:
            with time_limit(1.0):
                simple = sp.nsimplify(sp.Float(value, 40), [sp.pi, sp.E], tolerance=SNAP_TOLERANCE)
        except StepTimeout:
            raise
        except Exception:  # noqa: BLE001 - no simpler name: the coordinate stays as it is
            simple = value
        if simple.is_Rational and simple.q > SNAP_DENOMINATOR:
            simple = value
        snapped[s] = simple
    # the point itself first (atan x < atan(1/2) on x <= 1/2, closest at 1/2, the domain's end)
    equality = _equality_point(smaller, larger, context, candidates=[point])
    if equality is None and snapped != point:
        if not _defined_in_domain(smaller, larger, snapped, context):
            # the gap tends to 0 at a point outside the domain (x^2 > 0 for x != 0, at x = 0):
            # no point of the domain is a tie there
            return None
        equality = _equality_point(smaller, larger, context, candidates=[snapped])
    if equality is None and symbol is None:  # close, but not parting either way: no sign of a tie
        return None
    return point, margin, symbol, equality


def _defined_in_domain(smaller: sp.Basic, larger: sp.Basic, point: dict, context: StepContext) -> bool:
    """Whether ``point`` is in the domain and both sides have a finite value there (SymPy's)."""
    syms = tuple(s for s in context.symbols if s in point)
    usable = tuple(c for c in context.constraints if c.free_symbols <= set(syms))
    if not Sampler(syms, usable, context.seed).allows(point):
        return False
    try:
        with time_limit(1.0):
            values = [sp.sympify(side).xreplace(point) for side in (smaller, larger)]
            return not any(v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or v.is_finite is False for v in values)
    except StepTimeout:
        return True  # unknown: the tie stands as found
    except Exception:  # noqa: BLE001 - SymPy raising at the point: not shown defined
        return False


EQUALITY_SEARCH_SECONDS = 5.0  # CPU seconds the search for a point of equality may take in all
EQUALITY_NS = 3  # concrete cases (n = 1, 2, 3) searched for an equality over a symbolic n


def _equality_over_n(smaller: sp.Basic, larger: sp.Basic, context: StepContext):
    """``_equality_point`` for a claim over a symbolic n: at the first concrete cases (n = 1, 2,
    3, the indices with them), (point with n named, value, smaller at n, larger at n) or None.
    sum_i x_i^2 > 0 has x = 0 at every n."""
    smaller, larger = sp.sympify(smaller), sp.sympify(larger)
    sizes, indices = sizes_and_indices(smaller, larger)
    sizes, size_of = index_sizes(sizes, indices, (smaller, larger), context.constraints, None)
    cases, _ = _concrete_cases(sizes, indices, max(_nesting(e) for e in (smaller, larger)), size_of)
    fixed = set(sizes) | set(indices)
    symbols = tuple(s for s in context.symbols if s not in fixed)
    for values in list(cases)[:EQUALITY_NS]:
        constraints = [at_concrete_n(c, values) if c.free_symbols & fixed or over_symbolic_n(c) else c
                       for c in context.constraints]
        if any(c is sp.false for c in constraints):
            continue
        constraints = tuple(c for c in constraints if c is not sp.true)
        a, b = at_concrete_n(smaller, values), at_concrete_n(larger, values)
        entries = sorted((a.free_symbols | b.free_symbols) - set(symbols), key=lambda v: v.name)
        found = _equality_point(a, b, replace(context, symbols=symbols + tuple(entries), constraints=constraints))
        if found is not None:
            point, value = found
            return {**{s: values[s] for s in sizes + indices if s in values}, **point}, value, a, b
    return None


MAX_TIE_DEGREE = 12  # a polynomial gap up to this degree has its real roots isolated exactly (CRootOf)


def _tie_candidates(gap: sp.Expr, x: sp.Symbol) -> list:
    """Where a strict bound's gap may be exactly 0, most likely first: its exact real roots, the
    roots of its derivative (a tie is a minimum of the gap: x log x + 1/e at 1/e, where log x + 1
    vanishes, though x log x + 1/e itself is not solved), and, for a polynomial gap, its real
    roots as CRootOf ((x^3 - 2)^2 at 2^(1/3), (x^5 - x - 1)^2 at its one real root)."""
    found = []
    for expr in (gap, sp.diff(gap, x)):  # real_roots turns SymPy's failures into (): no roots, no evidence
        found += [r for r in real_roots(expr, x) if r not in found]
    try:
        if gap.is_polynomial(x) and not gap.free_symbols - {x}:
            poly = sp.Poly(gap, x)
            if 1 <= poly.degree() <= MAX_TIE_DEGREE:
                found += [r for r in dict.fromkeys(poly.real_roots()) if r not in found]
    except StepTimeout:
        raise
    except Exception:  # noqa: BLE001 - a polynomial SymPy cannot isolate: its roots are not tried
        pass
    return found


def _equality_point(smaller: sp.Basic, larger: sp.Basic, context: StepContext, candidates: list | None = None):
    """(point, value) where smaller and larger are both defined and exactly equal, or None
    (at most 1 s of SymPy per point, EQUALITY_SEARCH_SECONDS in all: none found is no proof).
    ``candidates``: only these points, else the exact roots, edge and random points."""
    smaller, larger = sp.sympify(smaller), sp.sympify(larger)
    syms = numeric.relevant_symbols(context.symbols, smaller, larger, *context.constraints)
    usable = tuple(c for c in context.constraints if c.free_symbols <= set(syms))
    gap = larger - smaller
    if not syms:
        candidates = [{}]
    else:
        sampler = Sampler(syms, usable, context.seed, claims=(smaller, larger))
        if candidates is None:
            candidates = []  # the exact roots first: where an equality is most likely
            if len(syms) == 1:
                candidates += [{syms[0]: root} for root in _tie_candidates(gap, syms[0])]
            candidates += sampler.edge_points() + sampler.random_points(context.settings.points)
        candidates = [p for p in candidates if sampler.allows(p)]
    seen = set()
    ends = time.process_time() + EQUALITY_SEARCH_SECONDS
    for point in candidates:
        key = tuple(sorted((str(s), str(v)) for s, v in point.items()))
        left = ends - time.process_time()
        if key in seen or left <= 0:
            continue
        seen.add(key)
        try:
            with time_limit(min(1.0, left)):
                low, high = smaller.xreplace(point), larger.xreplace(point)
                if any(v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or v.free_symbols for v in (low, high)):
                    continue
                difference = high - low
                if difference == 0 or difference.is_zero is True or sp.simplify(difference) == 0:
                    if low.is_finite is not False and low.is_real is not False:
                        return point, low
        except StepTimeout:
            continue
        except Exception:  # noqa: BLE001 - SymPy raising at a point: no equality shown there
            continue
    return None


def check_limit(expr: sp.Basic, var: sp.Symbol, target: sp.Basic, context: StepContext, what: str,
                to: sp.Basic = sp.oo, side: str = "") -> Verdict:
    """``lim_{var -> to} expr == target`` on the domain: ``to`` is +oo (the default), -oo or
    finite, ``side`` "+" or "-" for a one-sided limit at a finite ``to`` ("" for two-sided).

    Every limit is judged as one at +oo, by substitution (see ``approach``): var = -u for -oo,
    var = to + 1/u from the right and var = to - 1/u from the left, u -> +oo; a two-sided limit
    is both one-sided ones, and the weaker verdict of the two stands."""
    to = sp.sympify(to)
    if sp.sympify(target).has(sp.oo, -sp.oo, sp.zoo):
        # the numeric check follows expr - target to 0 along growing k: an infinite target has no error
        raise ValueError(f"{what}: the target {target} is infinite, which the numeric check cannot follow; "
                         f"state the divergence as a finite limit, e.g. lim 1/({expr}) = 0 with the sign of "
                         f"({expr}) as a bound")
    if over_symbolic_n(expr, target):
        raise ValueError("a limit of an expression over a symbolic n (a Sum to n, an entry x[i]) is not supported; "
                         "state it for n variables with Generalise(..., limit=k)")
    if to is sp.oo:
        return _limit_at_infinity(expr, var, target, context, what)
    sides = ("+", "-") if to != -sp.oo and not side else (side,)
    # constraints on the limit variable say where var lives, not where the other symbols do
    # (dropped as for k -> +oo, where they are dropped by the numeric and the symbolic checks);
    # a side they exclude (x > 0 for x -> 0) is not approached: the limit is from the other one
    if len(sides) == 2:
        sides = _sides_allowed(var, to, expr, context, what)
    context = replace(context, constraints=tuple(c for c in context.constraints if var not in c.free_symbols))
    verdicts, unreal = [], []
    for one_side in sides:
        u, along = approach(var, to, one_side, (expr, target, *context.constraints), context.symbols)
        followed = f"{what} (as {var} = {along}, {u} -> oo)"
        verdict = _limit_at_infinity(expr.subs(var, along), u, target, context, followed)
        if verdict.status in (Status.REFUTED, Status.DISPUTED) and _undefined_side(verdict):
            # not a certified gap between values: the expression is not real (or undefined) on
            # this side at all, so there is no limit from it to judge
            unreal.append((one_side, verdict))
            continue
        if len(sides) == 2:  # say which side each method and detail is about
            label = f"{var} -> {to}{one_side}"
            verdict = Verdict(verdict.status, f"{label}: {verdict.method}" if verdict.method else "", verdict.evidence,
                              f"{label}: {verdict.detail}" if verdict.detail else "", verdict.seconds)
        verdicts.append(verdict)
    if unreal and not any(v.status is Status.REFUTED for v in verdicts):  # a real gap refutes anyway
        one_side, verdict = unreal[0]
        where = f"to the {_SIDE_WORDS[one_side]} of {var} = {to}" if one_side else f"as {var} -> {to}"
        other = "+" if one_side == "-" else "-"
        remedy = (f'; for the limit from the {_SIDE_WORDS[other]} write Limit({var}, claim, to={to}, side="{other}")'
                  if len(sides) == 2 and len(unreal) == 1 else "")
        reason = verdict.counterexample.tolerance.removeprefix("a certified gap: ")
        return Verdict(Status.ERROR, "", (), detail=f"{what}: the expression is not real {where} ({reason}){remedy}",
                       seconds=sum(v.seconds for v in verdicts) + verdict.seconds)
    return Verdict.combine(verdicts)


_SIDE_WORDS = {"+": "right", "-": "left"}


def _sides_allowed(var: sp.Symbol, to: sp.Basic, expr: sp.Basic, context: StepContext, what: str) -> tuple:
    """("+", "-"), less the sides of ``to`` the domain's constraints on var exclude (x > 0: only
    "+"); an error where they exclude both."""
    own = tuple(c for c in context.constraints if var in c.free_symbols)
    if not own:
        return ("+", "-")
    h = _small_step({s.name for s in context.symbols} | {s.name for s in sp.sympify(expr).free_symbols})
    kept = tuple(one for one in ("+", "-") if _inside_domain(to + (h if one == "+" else -h), var, own))
    if not kept:
        raise ValueError(f"{what}: the domain ({', '.join(map(str, own))}) leaves no side from which {var} approaches {to}")
    return kept


def _undefined_side(verdict: Verdict) -> bool:
    """A limit refuted because the expression is undefined or not real on that side, not by a gap."""
    ce = verdict.counterexample
    return ce is not None and ("not real at" in ce.tolerance or "undefined at" in ce.tolerance)


def approach(var: sp.Symbol, to: sp.Basic, side: str, exprs: tuple, symbols: tuple) -> tuple[sp.Symbol, sp.Basic]:
    """(u, what var becomes) for var -> to along u -> +oo: -u for -oo, to + 1/u from the right
    ("+"), to - 1/u from the left ("-"); u a positive symbol named like none in ``exprs`` or
    ``symbols``.

    >>> x = sp.Symbol("x", real=True)
    >>> approach(x, sp.Integer(0), "-", (1/x,), (x,))
    (u, -1/u)
    >>> approach(x, -sp.oo, "", (x,), (x,))
    (u, -u)
    """
    taken = {s.name for s in symbols} | {s.name for e in exprs for s in sp.sympify(e).free_symbols}
    name = next(n for n in ("u", "v", "w", *(f"u{i}" for i in range(1, 100))) if n not in taken)
    u = sp.Symbol(name, positive=True)
    if to == -sp.oo:
        return u, -u
    return u, to + 1 / u if side == "+" else to - 1 / u


def _limit_at_infinity(expr: sp.Basic, var: sp.Symbol, target: sp.Basic, context: StepContext, what: str) -> Verdict:
    """``lim_{var -> +oo} expr == target`` on the domain."""
    started = time.perf_counter()
    evidence = numeric.limit_evidence(
        expr, var, target, context.symbols, context.constraints, context.settings, context.seed, what
    )
    proof, trouble = _attempt_proof(symbolic.prove_limit, expr, var, target, context.constraints, context=context)
    return _judge(evidence, proof, trouble, context, started)


def check_integral(integrand: sp.Basic, var: sp.Symbol, lower: sp.Basic, upper: sp.Basic, value: sp.Basic,
                   context: StepContext, what: str) -> Verdict:
    """``integral of integrand d var over [lower, upper] == value`` on the domain of the other
    symbols: quadrature at two precisions always (``numeric.integral_evidence``), and a proof
    only where the closed form is sound for every value of the other symbols
    (``symbolic.prove_definite_integral``); the method names the digits the quadrature reached.

    A quadrature that misses the claim refutes it only when ball arithmetic certifies the gap
    (``numeric._certified_gap``: Arb's integration over a window, a certified bound of each
    infinite tail); otherwise the verdict is ``disputed``: never a pass, never a refutation."""
    if over_symbolic_n(integrand, value):
        raise ValueError("an integral of an expression over a symbolic n (a Sum to n, an entry x[i]) is not supported")
    started = time.perf_counter()
    constraints = tuple(c for c in context.constraints if var not in c.free_symbols)
    evidence = numeric.integral_evidence(
        integrand, var, lower, upper, value, context.symbols, constraints, context.settings, context.seed, what
    )
    proof, trouble = _attempt_proof(symbolic.prove_definite_integral, integrand, var, lower, upper, value,
                                    constraints, context=context)
    verdict = _judge(evidence, proof, trouble, context, started)  # an uncertified miss: disputed there
    if isinstance(evidence, NumericEvidence) and verdict.status in (Status.CHECKED, Status.TIMEOUT):
        others = (integrand.free_symbols | sp.sympify(lower).free_symbols | sp.sympify(upper).free_symbols) - {var}
        if proof is None and not trouble and others and not sp.sympify(integrand).is_polynomial(var):
            why = ("no symbolic proof: sympy.integrate answers for generic values of "
                   f"{', '.join(sorted(s.name for s in others))} only, which is no proof on the whole domain")
            verdict = Verdict(verdict.status, verdict.method, verdict.evidence,
                              why + verdict.detail.removeprefix("no symbolic proof found"), verdict.seconds)
        verdict = Verdict(verdict.status, evidence.oracle, verdict.evidence, verdict.detail, verdict.seconds)
    return verdict


# -- where a function breaks: a derivative or an antiderivative across a kink or a jump --------

def _small_step(names: set) -> sp.Symbol:
    """A positive symbol h for x = c + h, named like nothing in use."""
    name = next(n for n in ("h", "eps", *(f"h{i}" for i in range(1, 100))) if n not in names)
    return sp.Symbol(name, positive=True)


def _inside_domain(value: sp.Basic, x: sp.Symbol, constraints: tuple) -> bool:
    """Whether x = value meets x's declared facts and no constraint on x is false there
    (undecided, with other symbols in value or the constraint, counts as inside)."""
    return violated_fact(x, value) is None and not any(
        x in c.free_symbols and c.subs(x, value) == sp.false for c in constraints)


def _interior(c: sp.Basic, x: sp.Symbol, h: sp.Symbol, constraints: tuple) -> bool:
    """Whether the domain holds c and a neighbourhood of it (c + h, c - h for small h > 0): not a
    point the domain excludes (``Ne(x, 0)``), nor one on its edge (0 for x < 0 or x >= 0), where
    a one-sided function makes no claim across."""
    return all(_inside_domain(point, x, constraints) for point in (c, c + h, c - h))


def _breaks_inside(expr: sp.Basic, x: sp.Symbol, others: tuple, context: StepContext) -> tuple[sp.Symbol, list]:
    """(h, the break points of expr in x inside the domain): h a positive symbol named like
    nothing in expr, others or the derivation, for the one-sided approaches x = c +- h."""
    names = {s.name for s in context.symbols} | {s.name for e in (expr, *others) for s in e.free_symbols}
    h = _small_step(names)
    return h, [c for c in break_points(expr, x) if _interior(c, x, h, context.constraints)]


def _strict_sign(value: sp.Basic) -> int | None:
    sign = _sign(sp.sympify(value))
    return sign if sign in (1, -1) else None


def _sign_near(value: sp.Basic, h: sp.Symbol) -> int | None:
    """The sign of ``value`` for every small h > 0: that of its value at h = 0 where nonzero,
    else of its first nonzero derivative there (x^2 - 1 at x = 1 + h: 0, then 2 > 0); None
    where SymPy cannot tell (a derivative neither provably 0 nor of known sign), or past the
    third derivative."""
    value = sp.sympify(value)
    for _ in range(4):
        at_zero = value.subs(h, 0)
        sign = _strict_sign(at_zero)
        if sign is not None:
            return sign
        if not (at_zero == 0 or sp.simplify(at_zero) == 0):
            return None
        value = sp.diff(value, h)
    return None


def _relation_near(condition: sp.Basic, h: sp.Symbol) -> bool | None:
    """Whether ``condition`` holds for every small h > 0, decided by the sign of each relation's
    lhs - rhs just beside h = 0 (``_sign_near``); None where that sign is unknown."""
    if condition in (sp.true, sp.false):
        return bool(condition)
    if isinstance(condition, (sp.And, sp.Or, sp.Not)):
        parts = [_relation_near(c, h) for c in condition.args]
        if isinstance(condition, sp.Not):
            return None if parts[0] is None else not parts[0]
        if isinstance(condition, sp.And):
            return False if False in parts else None if None in parts else True
        return True if True in parts else None if None in parts else False
    if not isinstance(condition, sp.core.relational.Relational):
        return None
    sign = _sign_near(condition.lhs - condition.rhs, h)
    if sign is None:
        return None
    if isinstance(condition, (sp.StrictLessThan, sp.LessThan)):
        return sign < 0
    if isinstance(condition, (sp.StrictGreaterThan, sp.GreaterThan)):
        return sign > 0
    return isinstance(condition, sp.Ne)


def _settled(expr: sp.Basic, h: sp.Symbol) -> sp.Basic:
    """``expr`` as it reads for every small h > 0: each Piecewise, Max, Min, Abs, sign and
    Heaviside whose branch the signs just beside h = 0 decide (``_sign_near``) replaced by that
    branch (at a = 0, Piecewise((a^2/2, |a| <= d), ...) with d > 0 is a^2/2; at a = d + h it is
    the linear piece), so that sympy.limit sees a smooth expression; the undecided ones are left."""
    def settle(node):
        if isinstance(node, sp.Piecewise):
            for value, condition in node.args:
                holds = _relation_near(condition, h)
                if holds is None:
                    return node
                if holds:
                    return value
            return node
        if isinstance(node, (sp.Max, sp.Min)):
            for i, a in enumerate(node.args):
                signs = [_sign_near(a - b, h) for j, b in enumerate(node.args) if j != i]
                if all(s == (1 if isinstance(node, sp.Max) else -1) for s in signs):
                    return node.args[i]
            return node
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            sign = _sign_near(node.args[0], h)
            if sign is None:
                return node
            u = node.args[0]
            return {sp.Abs: sign * u, sp.sign: sp.Integer(sign), sp.Heaviside: sp.Integer(1 if sign > 0 else 0)}[node.func]
        return node

    return sp.sympify(expr).replace(lambda n: isinstance(n, (sp.Piecewise, sp.Max, sp.Min, sp.Abs, sp.sign, sp.Heaviside)),
                                    settle)


def _one_sided_limit(expr: sp.Basic, h: sp.Symbol, context: StepContext):
    """lim_{h -> 0+} of ``expr`` by sympy.limit, after ``_settled``; None where a Piecewise is
    left undecided (sympy.limit answers those wrongly: the right quotient of Piecewise((x^2,
    x^2 <= 1), (|x|, True)) at 1 comes back 2, it is 1) or SymPy cannot answer."""
    settled = symbolic.as_elementary(_settled(expr, h))
    if settled.has(sp.Piecewise):
        return None
    answer, _ = _sympy_answer(lambda: sp.limit(settled, h, 0, "+"), context)
    return answer


def _same(a: sp.Basic, b: sp.Basic, context: StepContext) -> bool:
    """Whether SymPy shows a = b (both finite numbers or expressions), under the time limit."""
    if not (_finite_number(a, None) and _finite_number(b, None)):
        return False
    answer, _ = _sympy_answer(lambda: sp.simplify(a - b) == 0, context)
    return bool(answer)


def check_differentiable(f: sp.Basic, x: sp.Symbol, slope: sp.Basic, context: StepContext) -> list[Verdict]:
    """The claim d/dx f = slope where f may kink or jump (``break_points``: |x - 3| at 3, a
    Piecewise at its conditions' edges) inside the domain: there the derivative exists only if
    both one-sided difference quotients (f(c +- h) - f(c))/(+-h) tend to slope(c). Where SymPy's
    one-sided limits show it, nothing is added (the identity's proof stands); elsewhere each side
    is a limit judged like any other, so |x - 3|' = sign(x - 3) is refuted at 3 by a certified
    gap (1 vs 0), and the remedy is the page's own: ``where=(Ne(x, 3),)``. A point where f or the
    slope is undefined is outside their domain, and skipped."""
    f, slope = sp.sympify(f), sp.sympify(slope)
    h, breaks = _breaks_inside(f, x, (slope,), context)
    verdicts = []
    for c in breaks:
        value, claimed = f.subs(x, c), slope.subs(x, c)
        if not (_finite_number(value, x) and _finite_number(claimed, x)):
            continue
        for side, word in ((1, "right"), (-1, "left")):
            quotient = (f.subs(x, c + side * h) - value) / (side * h)
            answer = _one_sided_limit(quotient, h, context)
            if answer is not None and _same(answer, claimed, context):
                continue
            verdicts.append(check_limit(quotient, h, claimed, context,
                                        f"the derivative from the {word} at {x} = {c} is the claim there, {claimed}",
                                        to=sp.Integer(0), side="+"))
    return verdicts


def check_continuous(antiderivative: sp.Basic, x: sp.Symbol, integrand: sp.Basic, context: StepContext) -> list[Verdict]:
    """The claim that F is an antiderivative of f (F' = f, one constant fixed by a condition)
    where F may jump (``break_points``: atan(1/x) and acot(x) at 0, a Piecewise at its edges)
    inside the domain: F' = f at every other point says nothing there, and F(b) - F(a) = the
    integral of f over [a, b] fails across a jump. Where SymPy's one-sided limits of F agree,
    nothing is added; where they differ (or are unknown), that definite integral over
    [c - d, c + d] is judged like any other (certified by Arb's integration, so a jump refutes);
    where F is unbounded at c the integral does not pass it: inconclusive, with the remedy."""
    antiderivative, integrand = sp.sympify(antiderivative), sp.sympify(integrand)
    h, breaks = _breaks_inside(antiderivative, x, (integrand,), context)
    verdicts = []
    for c in breaks:
        sides = [_one_sided_limit(antiderivative.subs(x, c + side * h), h, context) for side in (1, -1)]
        right, left = sides
        if right is not None and left is not None and _same(right, left, context):
            continue
        if any(isinstance(v, sp.Expr) and v.has(sp.oo, -sp.oo, sp.zoo) for v in sides):
            verdicts.append(Verdict(
                Status.INCONCLUSIVE, "sympy.limit",
                detail=f"the claim is unbounded at {x} = {c} inside the domain ({x} -> {c}+: {right}, {x} -> {c}-: {left}): "
                       f"the integral from the condition's point does not pass it, so the claim holds on one side at "
                       f"most; say which, e.g. where=({x} > {c},)"))
            continue
        width = next((d for d in (sp.Rational(1, 2), sp.Rational(1, 16), sp.Rational(1, 256))
                      if _interior(c - d, x, h, context.constraints) and _interior(c + d, x, h, context.constraints)), None)
        if width is None:
            continue
        a, b = c - width, c + width
        jump = (f"jumps by {sp.simplify(right - left)}" if right is not None and left is not None
                else "may jump (SymPy's one-sided limits are unknown)")
        verdicts.append(check_integral(integrand, x, a, b, antiderivative.subs(x, b) - antiderivative.subs(x, a), context,
                                       f"the claim {jump} at {x} = {c}: integral of previous over [{a}, {b}] = claim({b}) - claim({a})"))
    return verdicts


def check_defined_for_parameters(antiderivative: sp.Basic, x: sp.Symbol, integrand: sp.Basic,
                                 context: StepContext) -> list[Verdict]:
    """The claim that F is an antiderivative of f for every value of the other symbols: where F
    is undefined at a value the domain allows and f is not (e^(ax)/a at a = 0, where e^(ax) is 1
    and its antiderivative x; x^(a+1)/(a+1) at a = -1), the claim fails there. The derivative
    check cannot see it: SymPy cancels a/a before any point is judged. Certified by SymPy's exact
    value (zoo or nan) of F there; the remedy is a where= excluding the value."""
    antiderivative, integrand = sp.sympify(antiderivative), sp.sympify(integrand)
    verdicts = []
    for s in sorted(antiderivative.free_symbols - {x}, key=lambda v: v.name):
        if not isinstance(s, sp.Symbol) or s.is_integer:
            continue
        for c in break_points(antiderivative, s):
            if x in c.free_symbols or c.free_symbols or not _inside_domain(c, s, context.constraints):
                continue
            value, given = antiderivative.subs(s, c), integrand.subs(s, c)
            if not value.has(sp.zoo, sp.nan) or given.has(sp.zoo, sp.nan) or given.is_finite is False:
                continue
            # a removable singularity, (e^(ax) - 1)/a at a = 0 -> x, an antiderivative of e^(0 x):
            # skipped, as a removable singularity of an identity is
            limit, _ = _sympy_answer(lambda: sp.limit(symbolic.as_elementary(antiderivative), s, c, "+-"), context)
            if limit is not None and _finite_number(limit, s) and _same(sp.diff(limit, x), given, context):
                continue
            point = {s: c}
            remedy = f"where=(Ne({s}, {c}),)"
            # each symbol with the assumptions it was declared with (k positive stays positive)
            declared = "; ".join(f"{v.name} = sp.Symbol({v.name!r}{numeric._assumption_args(v)})"
                                 for v in sorted(antiderivative.free_symbols, key=lambda v: v.name))
            evidence = Counterexample(
                what=f"the claim for every {s}", point=point_text(point), lhs=f"{given} (previous)", rhs=str(value),
                difference="undefined (the claim only)",
                tolerance=f"exact: SymPy evaluates the claim to {value} at {s} = {c}, where previous is {given}",
                digits=context.settings.digits, replay_digits=context.settings.replay_digits, seed=context.seed,
                reproduce=f"python -c \"import sympy as sp; from sympy import *; {declared}; "
                          f"print(({numeric._code(antiderivative)}).subs({s}, {numeric._code(c)}))\"",
                note=f"an antiderivative undefined where the integrand is defined; for the other values of {s} state {remedy}",
                certified=True, certificate="SymPy's exact value of the claim there")
            verdicts.append(Verdict(Status.REFUTED, "certified counterexample (exact value)", (evidence,),
                                    f"the claim is undefined at {s} = {c}, where previous is {given}: state {remedy}"))
            break
    return verdicts


# -- approximations and big-O ---------------------------------------------------------------

def _largest_error(error: sp.Basic, syms: tuple, sampler, context: StepContext) -> tuple[dict, str, object]:
    """Where the search for the maximum of ``error`` (extremes.worst_points: many starts, local
    refinement, a 45-digit polish of the best) ended, and the error there: (point, text, value)
    with value an mpmath number (None where the error could not be evaluated): the midpoint of
    a ball evaluation at the exact point, at the settings' digits (far more than are shown), or
    mpmath's value where Arb cannot evaluate a function of it."""
    found = extremes.worst_points(error, syms, sampler, seed=context.seed, budget_seconds=context.settings.search_seconds,
                                  count=1) if syms else [{}]
    if not found:  # the error is undefined wherever the search looked: the bound's own check decides
        return {}, "none (the error is undefined at every point searched)", None
    point = found[0]
    value = None
    try:
        with balls.working_bits(balls.digits_to_bits(context.settings.digits)):
            ball = balls.ball_function(error, syms)(*(balls.exact_ball(point[s]) for s in syms))
            if balls.is_finite(ball):
                value = mpmath.mpf(ball.real.mid().str(context.settings.digits, radius=False))
    except (balls.Unsupported, balls.Undecided, balls.Undefined, ZeroDivisionError, ValueError):
        try:  # Arb cannot evaluate a function of it: mpmath at the working digits
            with mpmath.workdps(context.settings.digits):
                value = mpmath.mpf(sp.N(error.subs(point), context.settings.digits))
        except (TypeError, ValueError):
            value = None
    return point, numeric.fmt(value, 10) if value is not None else "undefined", value


def _number_text(value: sp.Basic) -> str:
    """An exact number as text: a terminating decimal as written (237/500000 as 0.000474),
    anything else to 10 digits (1/3 as 0.3333333333)."""
    if value.is_Integer:
        return str(value)
    if value.is_Rational:
        q = value.q
        for prime in (2, 5):
            while q % prime == 0:
                q //= prime
        if q == 1:
            with decimal.localcontext() as exact:
                exact.prec = len(str(value.q)) + len(str(abs(value.p))) + 2
                text = str(decimal.Decimal(value.p) / decimal.Decimal(value.q)).replace("E", "e")
            if len(text) <= 24:
                return text
    return numeric.fmt(mpmath.mpf(sp.N(value, 30)), 10)


def check_approximation(previous: sp.Basic, claim: sp.Basic, tolerance: sp.Basic, context: StepContext, what: str,
                        relative: bool = False) -> Verdict:
    """``|previous - claim| <= tolerance`` on the domain (``relative``: ``<= tolerance |previous|``).

    The largest error is searched for, not sampled (``_largest_error``), and the bound is then
    judged as a Bound is (``numeric.equality_evidence`` with relation "<=", its own search and
    the largest error's point among its points; ``symbolic.prove_nonnegative`` for a proof), so a
    tolerance below the largest error is refuted by a certified counterexample. The verdict's
    method names the largest error found, its point and the margin left to the tolerance."""
    started = time.perf_counter()
    gap = previous - claim
    error = sp.Abs(gap) / sp.Abs(previous) if relative else sp.Abs(gap)
    allowed = tolerance * sp.Abs(previous) if relative else tolerance
    syms = numeric.relevant_symbols(context.symbols, previous, claim, *context.constraints)
    usable = tuple(c for c in context.constraints if c.free_symbols <= set(syms))
    sampler = Sampler(syms, usable, context.seed, claims=(previous, claim))
    point, largest, value = _largest_error(error, syms, sampler, context)
    # the bound's own check sees the largest error's point to 12 digits (short enough to read in
    # a counterexample, and its own search polishes a maximum within 1e-9 of the tolerance)
    rounded = {s: v if v.is_Integer else sp.Rational(mpmath.nstr(mpmath.mpf(v.p) / v.q, 12)) for s, v in point.items()}
    evidence = numeric.equality_evidence(
        sp.Abs(gap), allowed, context.symbols, context.constraints, context.settings, context.seed, what,
        relation="<=", extra_points=(rounded,) if rounded else (),
    )
    exceeds = value is not None and value > mpmath.mpf(sp.N(tolerance, context.settings.digits))
    if exceeds and not isinstance(evidence, Counterexample) and rounded != point:
        # the largest error exceeds the tolerance at the search's own (polished) point, but not at
        # its 12-digit rounding: the bound is judged at the polished point itself
        evidence = numeric.equality_evidence(
            sp.Abs(gap), allowed, context.symbols, context.constraints, context.settings, context.seed, what,
            relation="<=", extra_points=(point,),
        )
    last_resort = not (isinstance(evidence, Counterexample) and evidence.certified)
    proof, trouble = _attempt_proof(symbolic.prove_nonnegative, allowed - sp.Abs(gap), context.constraints, last_resort,
                                    context=context)
    verdict = _judge(evidence, proof, trouble, context, started)
    measure = "|previous - claim|/|previous|" if relative else "|previous - claim|"
    at = ", ".join(f"{s.name} = {v}" if v.is_Integer or len(str(v)) <= 12 else f"{s.name} ≈ {numeric.fmt(sp.N(v, 15), 10)}"
                   for s, v in point.items()) or "(no symbols)"
    found = f"largest found: {largest} at {at}"
    if value is not None:
        with mpmath.workdps(context.settings.digits):
            margin = mpmath.mpf(sp.N(tolerance, context.settings.digits)) - value
        found += f"; margin to the tolerance {_number_text(tolerance)}: {numeric.fmt(margin, 3)}"
    # the largest error is the step's answer: in the method, which every output shows
    method = f"a search for the maximum of {measure} (many starts, Nelder-Mead, 45-digit polish): {found}; {verdict.method}"
    return Verdict(verdict.status, method, verdict.evidence, verdict.detail, time.perf_counter() - started)


def check_asymptotic(previous: sp.Basic, claim: sp.Basic, var: sp.Symbol, order: sp.Basic, context: StepContext,
                     what: str, to: sp.Basic = sp.Integer(0), side: str = "") -> Verdict:
    """``previous = claim + O(|var - to|^order)`` as ``var -> to`` (from ``side``; "" both sides).

    Per side, with gap = previous - claim and ratio = gap/|var - to|^order: SymPy's limit c of the
    ratio, then

    * c finite: ``lim ratio = c`` judged by ``check_limit`` (numbers along var - to = 10^-1 ..
      10^-64, and SymPy's proof): a converging ratio is bounded, so proved is proved. A certified
      gap there refutes only SymPy's c, not the claim: disputed;
    * c infinite: the leading term L |var - to|^m of gap (m < order) makes ``lim gap/|var - to|^m
      = 0``, a consequence of the claim, false; its certified refutation refutes the claim. If
      the numbers cannot certify it, disputed (SymPy against numbers), never refuted;
    * no c (SymPy fails, or the ratio oscillates): only the consequence ``gap/|var - to|^(order-1)
      -> 0`` is judged; refuted if it fails (certified), else inconclusive."""
    sides = (side,) if side else _sides_allowed(var, to, previous - claim, context, what)
    verdicts = []
    for one in sides:
        verdict = _asymptotic_side(previous - claim, var, order, to, one, context, what)
        if len(sides) == 2:
            label = f"{var} -> {to}{one}"
            verdict = Verdict(verdict.status, f"{label}: {verdict.method}" if verdict.method else "", verdict.evidence,
                              f"{label}: {verdict.detail}" if verdict.detail else "", verdict.seconds)
        verdicts.append(verdict)
    return Verdict.combine(verdicts)


def _sympy_answer(compute, context: StepContext):
    """A SymPy computation under the time limit: (answer, "") or (None, what went wrong)."""
    try:
        with time_limit(context.settings.time_limit):
            return compute(), ""
    except StepTimeout:
        return None, f"ran out of its {context.settings.time_limit:g} s"
    except Exception as exc:  # noqa: BLE001 - SymPy raising is "don't know"
        return None, f"raised {type(exc).__name__}: {exc}"


def _finite_number(value, var) -> bool:
    return (isinstance(value, sp.Expr) and not value.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.AccumBounds, sp.Limit)
            and var not in value.free_symbols and value.is_finite is not False)


def _distance_text(var, to, power) -> str:
    """|x|^n at 0, |x - a|^n elsewhere, as the step's texts write them."""
    return f"|{var}|^{power}" if to == 0 else f"|{var} - {to}|^{power}"


def _exact_constants(expr: sp.Basic, context: StepContext) -> sp.Basic:
    """``expr`` with each constant function value written as the number it is: tanh(log 2) is
    3/5, cosh(log 3) is 5/3. Left as they are, sympy.limit and as_leading_term see
    -3/5 + tanh(log 2) as a nonzero leading coefficient (mish(x) = 3x/5 + ... was disputed)."""
    def exact(node):
        value, _ = _sympy_answer(lambda: sp.simplify(node.rewrite(sp.exp)), context)
        return value if value is not None and sp.count_ops(value) < sp.count_ops(node) + 2 else node

    return expr.replace(lambda n: isinstance(n, sp.Function) and n.is_number and not n.is_Rational
                        and isinstance(n, (HyperbolicFunction, TrigonometricFunction)), exact)


def _leading_term(expr: sp.Basic, t: sp.Symbol, order, context: StepContext):
    """(c, m): the first term c t^m of expr's series at t = 0+ whose coefficient is not exactly 0
    (SymPy's as_leading_term gives -5/4 + cosh(log 2), which is 0), or None."""
    terms: dict = {}
    series = sp.series(expr, t, 0, int(sp.ceiling(order)) + 1).removeO()
    for term in sp.Add.make_args(sp.expand(series)):
        c, m = term.as_coeff_exponent(t)
        if t in c.free_symbols:
            return None
        terms[m] = terms.get(m, 0) + c
    for m in sorted(terms, key=lambda e: float(e)):
        c = _exact_constants(sp.sympify(terms[m]), context)
        if not (c == 0 or sp.simplify(c) == 0):
            return sp.simplify(c), m
    return None


def _asymptotic_side(gap, var, order, to, side, context: StepContext, what: str) -> Verdict:
    started = time.perf_counter()
    distance = sp.Abs(var - to)
    t = sp.Dummy("t", positive=True)  # var = to + t from the right, to - t from the left
    along = to + t if side == "+" else to - t
    gap_t = _exact_constants(symbolic.as_elementary(gap.subs(var, along)), context)
    coefficient, trouble = _sympy_answer(lambda: sp.limit(gap_t / t**order, t, 0, "+"), context)
    if coefficient is not None and not _finite_number(coefficient, t):
        # sympy.limit says oo for mish's ratio, whose limit is -2/125 (gruntz, and the series):
        # the finite answer is then what the numbers are asked to confirm (check_limit below)
        other, _ = _sympy_answer(lambda: sp.gruntz(gap_t / t**order, t, 0, "+"), context)
        if other is not None and _finite_number(other, t):
            coefficient = other
    ratio_text = f"(previous - claim)/{_distance_text(var, to, order)}"
    if coefficient is not None and _finite_number(coefficient, t):
        verdict = check_limit(gap / distance**order, var, coefficient, context,
                              f"{what}: {ratio_text} -> {coefficient}", to=to, side=side)
        if verdict.status is Status.REFUTED:
            return Verdict(Status.DISPUTED, f"sympy limit {coefficient} vs {verdict.method}", verdict.evidence,
                           f"SymPy's limit of the ratio is {coefficient}, but the numbers show a certified gap to it; "
                           "the claim itself is not refuted (the ratio may tend to another finite value)",
                           time.perf_counter() - started)
        method = (f"the ratio {ratio_text} tends to {coefficient}, so it is bounded: {verdict.method}"
                  if verdict.status.is_pass and verdict.status is not Status.INCONCLUSIVE else verdict.method)
        return Verdict(verdict.status, method, verdict.evidence, verdict.detail, time.perf_counter() - started)
    leading = None
    if coefficient is not None and coefficient.has(sp.oo, -sp.oo, sp.zoo):
        lead, _ = _sympy_answer(lambda: _leading_term(gap_t, t, order, context), context)
        if lead is not None:
            factor, exponent = lead
            if t not in factor.free_symbols and exponent.is_real and (exponent < order) is sp.true:
                leading = (factor, exponent)
    if leading is not None:
        factor, m = leading
        consequence = f"(previous - claim)/{_distance_text(var, to, m)} -> 0"
        verdict = check_limit(gap / distance**m, var, sp.Integer(0), context, f"{what}: {consequence}", to=to, side=side)
        if verdict.status is Status.REFUTED:
            method = (f"{verdict.method}: the claim implies {consequence} (as {m} < {order}), but previous - claim "
                      f"~ {factor}*{_distance_text(var, to, m)}")
            return Verdict(Status.REFUTED, method, verdict.evidence,
                           f"SymPy: the ratio {ratio_text} -> {coefficient}; the leading term of previous - claim is "
                           f"of order {m} < {order}", time.perf_counter() - started)
        # numbers agreeing with the claim against SymPy's leading term: disputed; numbers that
        # settle nothing: inconclusive; an error (a side where it is not real) stays an error
        status = {Status.PROVED: Status.DISPUTED, Status.CHECKED: Status.DISPUTED,
                  Status.TIMEOUT: Status.INCONCLUSIVE}.get(verdict.status, verdict.status)
        return Verdict(status, f"sympy: ratio -> {coefficient} vs {verdict.method}", verdict.evidence,
                       f"SymPy says previous - claim ~ {factor}*{_distance_text(var, to, m)} with {m} < {order}, but the numbers "
                       f"could not certify {consequence} false ({verdict.status.value})", time.perf_counter() - started)
    why = (f"SymPy's limit of the ratio {ratio_text} is {coefficient}" if coefficient is not None
           else f"SymPy's limit of the ratio {trouble}")
    weaker = order - 1
    consequence = f"(previous - claim)/{_distance_text(var, to, weaker)} -> 0"
    verdict = check_limit(gap / distance**weaker, var, sp.Integer(0), context, f"{what}: {consequence}", to=to, side=side)
    if verdict.status is Status.REFUTED:
        return Verdict(Status.REFUTED, f"{verdict.method}: the claim implies {consequence}, which fails", verdict.evidence,
                       why, time.perf_counter() - started)
    status = Status.INCONCLUSIVE if verdict.status.is_pass else verdict.status
    return Verdict(status, f"only the consequence {consequence}: {verdict.method}", verdict.evidence,
                   f"{why}; the numbers judged only the consequence {consequence} ({verdict.status.value}), "
                   "which does not show the ratio bounded", time.perf_counter() - started)


# -- claims over a symbolic n: indexed entries x[i], Sum(..., (i, 1, n)), KroneckerDelta ----------

CONCRETE_NS = (1, 2, 3, 5, 8, 40)  # the n a claim over a symbolic n is checked at
CONCRETE_NS_NESTED = (1, 2, 3, 5, 8, 12)  # ... when Sums are nested: a double sum has n^2 terms
CONCRETE_NS_SEVERAL = (1, 2, 3, 5)  # each size's n, when a claim has two sizes (n and m) ...
SEVERAL_PRODUCT = 6  # ... in the combinations whose product is at most this: each size reaches 5 (the
# others at 1), two sizes both above 1 and unequal (2, 3) are met, and an M x N matrix at M = N = 5
# (25 entries, each free index over its own size: the cost of a gradient of a sum over both sizes
# times 25) is not
INDEX_VALUES_WITHOUT_N = 3  # a free index of a claim without Sums takes the values 1..3
_ALL_INDEX_CASES = 9  # up to this many values of the free indices at one n: all of them


class NotConcrete(ValueError):
    """A claim over a symbolic n that does not become an ordinary expression at a concrete n."""


def over_symbolic_n(*exprs: sp.Basic) -> bool:
    """Whether a claim has indexed entries, Kronecker deltas or a Sum whose bounds are symbolic:
    then it is checked at concrete n (and proved for all n where summation algebra can)."""
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        if e.has(sp.Indexed, sp.KroneckerDelta):
            return True
        if any(lower.free_symbols or upper.free_symbols for s in e.atoms(sp.Sum) for _, lower, upper in s.limits):
            return True
    return False


def sizes_and_indices(*exprs: sp.Basic) -> tuple[tuple, tuple]:
    """(the sizes: integer symbols bounding a Sum, such as n; the free indices: integer symbols
    indexing an entry or a delta outside every Sum), each sorted by name."""
    sizes, indices = set(), set()
    for e in map(sp.sympify, exprs):
        free = e.free_symbols  # not the index of an enclosing Sum (a triangular sum's k = 1..i)
        for s in e.atoms(sp.Sum):
            for _, lower, upper in s.limits:
                sizes |= {v for v in lower.free_symbols | upper.free_symbols if isinstance(v, sp.Symbol) and v in free}
        for node in e.atoms(sp.Indexed, sp.KroneckerDelta):
            args = node.indices if isinstance(node, sp.Indexed) else node.args
            for index in args:
                indices |= {v for v in index.free_symbols if isinstance(v, sp.Symbol) and v in free}
    indices -= sizes
    key = lambda v: v.name  # noqa: E731
    return tuple(sorted(sizes, key=key)), tuple(sorted(indices, key=key))


def entry_symbol(entry: sp.Indexed) -> sp.Symbol:
    """The ordinary variable an entry x[3] stands for at a concrete n: x_3 (x_2_3 for m[2, 3]),
    real as the IndexedBase is."""
    base = entry.base
    label = base.label.name if hasattr(base.label, "name") else str(base.label)
    facts = {key: True for key in ("real", "positive", "nonnegative", "negative", "nonpositive", "integer")
             if entry.is_real and getattr(entry, f"is_{key}")}
    return sp.Symbol(f"{label}_{'_'.join(str(int(i)) for i in entry.indices)}", **facts)


def at_concrete_n(expr: sp.Basic, values: dict) -> sp.Basic:
    """``expr`` with its sizes and free indices given values, its Sums, deltas and derivatives
    carried out, and each entry x[k] replaced by the variable x_k: an ordinary expression."""
    e = expr.subs(values) if values else expr
    e = _expand_sums(e)
    if e.has(sp.Derivative):
        e = e.replace(lambda node: isinstance(node, sp.Derivative), lambda node: node.doit())
    mapping = {}
    for entry in e.atoms(sp.Indexed):
        if not all(index.is_Integer for index in entry.indices):
            raise NotConcrete(f"{entry} has no numeric index at {_values_text(values)}")
        mapping[entry] = entry_symbol(entry)
    e = e.xreplace(mapping)
    if e.has(sp.Sum, sp.KroneckerDelta, sp.Indexed):
        raise NotConcrete(f"a Sum or delta in it does not expand at {_values_text(values)}: {e}")
    return e


def _expand_sums(e: sp.Basic) -> sp.Basic:
    """Each Sum with integer bounds written out term by term, innermost first (an index value put
    in by ``xreplace``: far cheaper than ``doit`` on a double sum at n = 40; a delta of two
    integers is then 0 or 1 as it is built). A Sum whose bounds are another Sum's index (a
    triangular sum, k = 1..i inside i = 1..n) is written out from the outside in instead."""
    if not e.args or isinstance(e, sp.Indexed):
        return e
    if isinstance(e, sp.Sum) and any(not (lower.is_Integer and upper.is_Integer) for _, lower, upper in e.limits[:1]):
        return _expand_outside_in(e)
    try:
        args = [_expand_sums(a) for a in e.args]
    except NotConcrete:
        if not isinstance(e, sp.Sum):
            raise
        return _expand_outside_in(e)
    if isinstance(e, sp.Sum):
        body, limits = args[0], e.limits
        for k, lower, upper in limits:
            if not (lower.is_Integer and upper.is_Integer):
                return _expand_outside_in(e)
            body = sp.Add(*(body.xreplace({k: sp.Integer(v)}) for v in range(int(lower), int(upper) + 1)))
        return body
    return e.func(*args) if any(a is not b for a, b in zip(args, e.args)) else e


def _expand_outside_in(e: sp.Sum) -> sp.Basic:
    """A Sum written out from its outermost limit in: each value of the outer index put into the
    rest (whose bounds may then become integers), and that expanded."""
    k, lower, upper = e.limits[-1]
    if not (lower.is_Integer and upper.is_Integer):
        raise NotConcrete(f"the Sum {e} has the bounds {lower}, {upper}, not integers")
    rest = sp.Sum(e.function, *e.limits[:-1]) if len(e.limits) > 1 else e.function
    return sp.Add(*(_expand_sums(rest.xreplace({k: sp.Integer(v)})) for v in range(int(lower), int(upper) + 1)))


def _values_text(values: dict) -> str:
    return ", ".join(f"{k} = {v}" for k, v in values.items()) or "the claim as written"


def _index_cases(tops: tuple) -> tuple[list, bool]:
    """The values the free indices take at one choice of the sizes (index number a in 1..tops[a]):
    all of them when they are few, else each of 1, 2, top//2 + 1 and top (the first, its
    neighbour, the middle, the last; for several indices 1, 2 and the last of each), combined;
    and whether that was all."""
    if not tops:
        return [()], True
    if math.prod(tops) <= _ALL_INDEX_CASES:
        return list(itertools.product(*(range(1, top + 1) for top in tops))), True
    picks = [sorted(v for v in ({1, 2, top // 2 + 1, top} if len(tops) == 1 else {1, 2, top}) if v <= top)
             for top in tops]
    return list(itertools.product(*picks)), False


def _nesting(e: sp.Basic) -> int:
    """How deeply Sums are nested in ``e`` (0: no Sum)."""
    if not isinstance(e, sp.Basic) or not e.args:
        return 0
    inner = max(_nesting(a) for a in e.args)
    return inner + len(e.limits) if isinstance(e, sp.Sum) else inner


SUSPECT_NS = 100  # a claim over one n whose Sums SymPy closes is scanned at n = 1..SUSPECT_NS
SUSPECT_MARGIN = mpmath.mpf(10) ** -20  # a scanned failure this large (relative) is judged exactly


def _suspect_n(lhs: sp.Basic, rhs: sp.Basic, relation: str, sizes: tuple, cases: list):
    """An n in 1..SUSPECT_NS, beyond the concrete ones, where the claim seems to fail, for the
    ordinary check to judge; or None. The Sums are put in closed form (SymPy's doit, at most 1 s)
    with every entry x[i] at 1 (a special case: a failure there is one of the claim); where
    only n is left, its values at n = 1..SUSPECT_NS (30 digits) show where the claim is worst:
    sum_{i<=n} 1/i <= ln n + 0.5772 + 1/(2n) holds at n = 1, 2, 3, 5, 8, 40 and fails from n = 73,
    sum_{i<=n} 2^-i <= 1 - 10^-15 from n = 50. A heuristic choosing where to look, not evidence."""
    if len(sizes) != 1:
        return None
    (n,) = sizes
    try:
        with time_limit(1.0):
            low, high = (sp.sympify(e).replace(lambda t: isinstance(t, sp.Indexed), lambda t: sp.Integer(1)).doit()
                         for e in (lhs, rhs))
            gap = low - high
            if gap.free_symbols - {n} or gap.has(sp.Sum, sp.Product):
                return None
            function = sp.lambdify(n, gap, modules="mpmath")
            scale = sp.lambdify(n, abs(low) + abs(high), modules="mpmath")
    except StepTimeout:
        return None
    except Exception:  # noqa: BLE001 - no closed form SymPy finds quickly: no n to suggest
        return None
    tried = {int(case[n]) for case in cases if n in case}
    worst, worst_score = None, SUSPECT_MARGIN
    with mpmath.workdps(30):
        for value in range(1, SUSPECT_NS + 1):
            if value in tried:
                continue
            try:
                difference = mpmath.mpf(function(value)) if relation == "<=" else abs(mpmath.mpmathify(function(value)))
                score = difference / max(mpmath.mpf(1), mpmath.mpf(abs(scale(value))))
            except Exception:  # noqa: BLE001 - undefined at this n: not a suggestion
                continue
            if score > worst_score:
                worst, worst_score = value, score
    return sp.Integer(worst) if worst is not None else None


SUSPECT_EXPANDED_NS = (4, 6, 7, 9, 13, 16)  # ... one with a free index or a derivative, written out, at these n


def _suspect_case(lhs: sp.Basic, rhs: sp.Basic, relation: str, sizes: tuple, indices: tuple, variable,
                  cases: list, constraints: tuple):
    """For a claim over one n with a free index or a derivative (no closed form to scan, as
    ``_suspect_n`` does): the values of n and the indices, beyond the concrete ones, where the
    claim written out at each n of SUSPECT_EXPANDED_NS seems worst at one plain point (the indices
    at 1 or at n, in turn); or None. d/dx_j sum_i x_i^2 = 2 x_j + (n - 1)(n - 2)(n - 3)(n - 5)(n - 8)(n - 40)
    holds at every concrete n and fails at n = 4. A heuristic choosing where to look, not evidence:
    the case it names is judged like the others."""
    if len(sizes) != 1:
        return None
    (n,) = sizes
    tried = {int(case[n]) for case in cases if n in case}
    worst, worst_score = None, SUSPECT_MARGIN
    try:
        with time_limit(1.0):
            for value in SUSPECT_EXPANDED_NS:
                if value in tried:
                    continue
                # one choice of the indices at each n, the first and the last in turn
                combo = [1 if (value + number) % 2 else value for number in range(len(indices))]
                values = {n: sp.Integer(value), **dict(zip(indices, map(sp.Integer, combo)))}
                score = _scanned_gap(lhs, rhs, relation, variable, values, constraints)
                if score is not None and score > worst_score:
                    worst, worst_score = values, score
    except StepTimeout:
        pass  # the values scanned so far
    return worst


def _scanned_gap(lhs, rhs, relation, variable, values: dict, constraints: tuple):
    """The claim's relative failure at ``values``, written out, at one plain point (30 digits), or
    None where it is undefined or the point is outside the domain."""
    try:
        a, b = at_concrete_n(lhs, values), at_concrete_n(rhs, values)
        if variable is not None:
            a = sp.diff(a, at_concrete_n(variable, values))
        symbols = tuple(sorted(a.free_symbols | b.free_symbols, key=lambda v: v.name))
        # distinct values, never 0 or a tie, moved to what each symbol's assumptions admit
        fit = Sampler(symbols)._fit
        point = {s: fit(s, sp.Rational(number + 2, number + 5) * (-1) ** number) for number, s in enumerate(symbols)}
        for c in constraints:
            if sp.sympify(at_concrete_n(c, values)).xreplace(point) is not sp.true:
                return None
        low, high = (sp.N(e.xreplace(point), 30) for e in (a, b))
        if not (low.is_real and high.is_real) or low.has(sp.zoo, sp.nan) or high.has(sp.zoo, sp.nan):
            return None
        difference = low - high if relation == "<=" else abs(low - high)
        return mpmath.mpf(difference) / max(mpmath.mpf(1), mpmath.mpf(abs(low) + abs(high)))
    except StepTimeout:
        raise
    except Exception:  # noqa: BLE001 - not written out or not evaluated here: no suggestion
        return None


def _concrete_cases(sizes: tuple, indices: tuple, depth: int = 1, size_of: dict | None = None):
    """Each (values of sizes and indices, text of the n) to check, and how the indices were chosen:
    each free index ranges over 1..its size (``size_of``; one size: that one for every index)."""
    if not sizes:
        top = INDEX_VALUES_WITHOUT_N
        cases, _ = _index_cases((top,) * len(indices))
        names = ", ".join(map(str, indices))
        return [dict(zip(indices, map(sp.Integer, c))) for c in cases], f"{names} each in 1..{top}"
    size_of = size_of or {index: sizes[0] for index in indices}
    ns = (CONCRETE_NS if depth <= 1 else CONCRETE_NS_NESTED) if len(sizes) == 1 else CONCRETE_NS_SEVERAL
    chosen, sampled = [], []
    combos = [c for c in itertools.product(ns, repeat=len(sizes)) if len(sizes) == 1 or math.prod(c) <= SEVERAL_PRODUCT]
    for combo in combos:
        at = dict(zip(sizes, map(sp.Integer, combo)))
        cases, everything = _index_cases(tuple(int(at[size_of[index]]) for index in indices))
        if not everything:
            sampled.append(combo)
        for case in cases:
            values = dict(at)
            values.update(zip(indices, map(sp.Integer, case)))
            chosen.append(values)
    if len(sizes) == 1:
        where = f"{sizes[0]} = {', '.join(map(str, ns))}"
    else:
        where = (f"{', '.join(map(str, sizes))} = {', '.join(map(str, ns))} with {'*'.join(map(str, sizes))} "
                 f"<= {SEVERAL_PRODUCT}")
    if indices and len(sizes) == 1:
        names = ", ".join(map(str, indices))
        where += f"; {names} = 1..{sizes[0]}" if len(indices) == 1 else f"; {names} each 1..{sizes[0]}"
        if sampled:
            top = sorted({combo[0] for combo in sampled})
            picks = "1, 2, the middle and the last" if len(indices) == 1 else f"1, 2 and {sizes[0]}"
            where += f" (at {sizes[0]} = {', '.join(map(str, top))}: {picks})"
    elif indices:
        for size in sizes:
            over = [index for index in indices if size_of[index] == size]
            if over:
                names = ", ".join(map(str, over))
                where += f"; {names} = 1..{size}" if len(over) == 1 else f"; {names} each 1..{size}"
        if sampled:
            picks = "1, 2, the middle and the last" if len(indices) == 1 else "1, 2 and the last of each"
            where += f" (where more than {_ALL_INDEX_CASES} cases of the indices: {picks})"
    return chosen, where


def declared_ranges(constraints: tuple, indices: tuple) -> dict:
    """The sizes the constraints declare free indices to range over: ``j <= M`` (or ``j < M + 1``,
    ``M >= j``, alone or in an ``&`` with ``1 <= j``) says j = 1..M, with M an integer symbol, a
    size (``constraints.index_range_declaration``). {index: [the sizes declared]}."""
    found: dict = {}
    for c in constraints:
        for part in (c.args if isinstance(c, sp.And) else (c,)):
            declared = index_range_declaration(part)
            if declared is None or declared[1] is None or declared[0] not in indices or declared[1] in indices:
                continue
            index, size = declared
            found.setdefault(index, [])
            if size not in found[index]:
                found[index].append(size)
    return found


def _slots_summed(exprs: tuple, sizes: tuple) -> tuple[dict, dict]:
    """Where Sums of the claim run over an entry's slot: ({(base, slot): sizes}, and for each
    free index its slots {index: [(base, slot)]}, a Kronecker delta's counting as one (its other
    argument's Sum): the sizes bounding those Sums (the upper bound's sizes)."""
    summed: dict = {}
    used: dict = {}

    def walk(e, bound: dict) -> None:
        if isinstance(e, sp.Sum):
            inner = dict(bound)
            for k, lower, upper in e.limits:
                inner[k] = upper
            walk(e.function, inner)
            return
        if isinstance(e, (sp.Indexed, sp.KroneckerDelta)):
            args = e.indices if isinstance(e, sp.Indexed) else e.args
            for slot, index in enumerate(args):
                key = (e.base, slot) if isinstance(e, sp.Indexed) else ("delta", e)
                for k, upper in bound.items():
                    if (index - k).is_Integer:
                        summed.setdefault(key, set()).update(v for v in upper.free_symbols if v in sizes)
                if isinstance(index, sp.Symbol) and index not in bound:
                    used.setdefault(index, []).append(key)
            return
        for a in e.args:
            walk(a, bound)

    for e in exprs:
        walk(sp.sympify(e), {})
    return summed, used


def index_sizes(sizes: tuple, indices: tuple, exprs: tuple, constraints: tuple,
                variable: sp.Basic | None = None) -> tuple[tuple, dict]:
    """(the sizes, the size each free index ranges over: j = 1..size_of[j]), from what the claim
    writes and the constraints declare, never guessed.

    One size and nothing declared: every free index ranges over it. Otherwise a free index's size
    is the one declared (``j <= M``, see ``declared_ranges``) or the one it is read from: j in
    the slot of an entry (phi[n, j], w[j]) that a Sum of the claim runs over, up to M (a delta
    with a Sum's index counts as such a slot); the ``variable`` of a derivative, w[j], decides
    for its index j (d/dw_j: j indexes w, even where the claim slips, phi[j, n] for phi[n, j],
    which the check then refutes). A declaration decides between two sizes read; a declared
    size the claim contradicts (read, but not that one), an index read to range over two sizes
    and not declared, or one whose range is written nowhere is a ValueError that says how to
    declare it."""
    declared = declared_ranges(constraints, indices)
    if not declared and len(sizes) <= 1:
        return sizes, {index: sizes[0] for index in indices} if sizes else {}
    summed, used = _slots_summed(exprs, sizes)
    _, by_variable = _slots_summed((variable,), sizes) if isinstance(variable, sp.Indexed) else ({}, {})
    size_of, problems = {}, []
    for index in indices:
        read = sorted(set().union(*(summed.get(key, set()) for key in used.get(index, ()))), key=lambda v: v.name)
        decided = sorted(set().union(*(summed.get(key, set()) for key in by_variable.get(index, ()))),
                         key=lambda v: v.name)
        if len(decided) == 1:
            read = decided
        mine = declared.get(index, [])
        if len(mine) > 1:
            problems.append(f"{index} is declared to range over both {mine[0]} and {mine[1]}")
        elif mine and read and mine[0] not in read:
            problems.append(f"{index} is declared to range over 1..{mine[0]}, but the claim uses it where a Sum "
                            f"runs over 1..{', 1..'.join(map(str, read))}")
        elif mine:
            size_of[index] = mine[0]
        elif len(read) == 1:
            size_of[index] = read[0]
        elif read:
            problems.append(f"{index} is used where Sums run over {' and '.join(map(str, read))}")
        else:
            problems.append(f"the range of {index} is written nowhere: no Sum runs over a slot it indexes")
    if problems:
        example = next((i for i in indices if i not in size_of), indices[0])
        raise ValueError(
            f"the free indices {', '.join(map(str, indices))} of a claim over several sizes "
            f"({', '.join(map(str, sizes))}): {'; '.join(problems)}; declare which size each ranges over with a "
            f"constraint, e.g. domain=({example} <= {sizes[0] if sizes else 'M'},) on the derivation or "
            f"where=({example} <= {sizes[0] if sizes else 'M'},) on the step ({example} then ranges over "
            f"1..{sizes[0] if sizes else 'M'})")
    extra = sorted(set(size_of.values()) - set(sizes), key=lambda v: v.name)
    return tuple(sorted(tuple(sizes) + tuple(extra), key=lambda v: v.name)), size_of


def check_over_n(lhs: sp.Basic, rhs: sp.Basic, context: StepContext, what: str, relation: str = "=",
                 written_reversed: bool = False, variable: sp.Basic | None = None) -> Verdict:
    """A claim over a symbolic n, ``lhs == rhs`` (``lhs <= rhs`` with relation "<="; with
    ``variable``, d lhs / d variable == rhs), for every n and every value of its free indices
    (each in 1..n; over several sizes, each in 1..its own size, see ``index_sizes``).

    Checked numerically at concrete n (CONCRETE_NS; over several sizes the combinations of
    CONCRETE_NS_SEVERAL whose product is at most SEVERAL_PRODUCT): the claim at n
    is an ordinary one (Sums expanded, x[k] -> x_k; a derivative taken there, of the expression
    at n), judged by the ordinary numeric check, which refutes with a certified counterexample
    naming n and the indices. Proved for all n only by summation algebra (symbolic.py's
    ``prove_equal_for_all_n``), which names its rules; else "checked", the n named."""
    started = time.perf_counter()
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    exprs = (lhs, rhs) if variable is None else (lhs, rhs, variable)
    sizes, indices = sizes_and_indices(*exprs)
    # which size bounds each free index: read from the claim or declared, never guessed (checking
    # j up to the larger size could refute a true claim: an x[j] beyond its own sum)
    sizes, size_of = index_sizes(sizes, indices, exprs, context.constraints, variable)
    cases, where = _concrete_cases(sizes, indices, max(_nesting(e) for e in exprs), size_of)
    if variable is None and not indices:
        suspect = _suspect_n(lhs, rhs, relation, sizes, cases)
        if suspect is not None:  # after the concrete n: a counterexample at a small n reads best
            cases = list(cases) + [{sizes[0]: suspect}]
            where += f" (and {sizes[0]} = {suspect}, where the closed form looked worst)"
    else:
        suspect = _suspect_case(lhs, rhs, relation, sizes, indices, variable, cases, context.constraints)
        if suspect is not None:
            cases = list(cases) + [suspect]
            where += f" (and {_values_text(suspect)}, where the claim written out looked worst)"
    fixed = set(sizes) | set(indices)
    symbols = tuple(s for s in context.symbols if s not in fixed)
    evidence_by_n, counterexample, skipped = {}, None, []
    for values in cases:
        at = _values_text(values)
        constraints = []
        for c in context.constraints:
            c = at_concrete_n(c, values) if c.free_symbols & fixed or over_symbolic_n(c) else c
            if c is sp.false:
                break
            if c is not sp.true:
                constraints.append(c)
        else:
            a, b = at_concrete_n(lhs, values), at_concrete_n(rhs, values)
            undefined = a.has(sp.zoo, sp.nan)  # the expression itself, before a derivative: log of an empty sum
            if variable is not None:
                a = sp.diff(a, at_concrete_n(variable, values))
            if undefined or a.has(sp.zoo, sp.nan) or b.has(sp.zoo, sp.nan):  # e.g. a division by an empty sum at n = 1
                skipped.append(f"{at} (undefined there)")
                continue
            entries = sorted((a.free_symbols | b.free_symbols | set().union(*(c.free_symbols for c in constraints)))
                             - set(symbols), key=lambda v: v.name)
            evidence = numeric.equality_evidence(a, b, symbols + tuple(entries), tuple(constraints), context.settings,
                                                 context.seed, f"at {at}: {what}", relation=relation,
                                                 written_reversed=written_reversed)
            if isinstance(evidence, Counterexample):
                counterexample = evidence
                break
            key = tuple(values[s] for s in sizes)
            evidence_by_n.setdefault(key, evidence)
            continue
        skipped.append(f"{at} (outside the domain)")
    if counterexample is None and not evidence_by_n:
        raise ValueError(f"no concrete case checked is in the domain with the claim defined ({where})")
    index_range = {index: (sp.Integer(1), size) for index, size in size_of.items()}
    derivative = sp.diff(lhs, variable) if variable is not None else lhs
    if relation == "<=":
        proof, trouble = _attempt_proof(symbolic.prove_nonnegative_for_all_n, rhs - derivative, context.constraints,
                                        index_range, indices, counterexample is None, sizes, context=context)
    else:
        proof, trouble = _attempt_proof(symbolic.prove_equal_for_all_n, derivative, rhs, context.constraints,
                                        index_range, indices, sizes, context=context)
    for_all = f"for all {', '.join(map(str, sizes + indices))}" if sizes or indices else "as stated"
    if counterexample is not None:
        return _judge(counterexample, f"{for_all} ({proof})" if proof else None, trouble, context, started)
    evidence = tuple(evidence_by_n.values())
    seconds = time.perf_counter() - started
    oracle = "Arb" if all(e.oracle == "Arb balls" for e in evidence) else "mpmath"
    checked_at = f"at {where}" + (f"; not at {', '.join(skipped[:3])}" if skipped else "") + (
        f" and {len(skipped) - 3} more" if len(skipped) > 3 else "")
    if proof:
        return Verdict(Status.PROVED, f"sympy: {for_all} ({proof}); {oracle} {checked_at}", evidence, seconds=seconds)
    status = Status.TIMEOUT if trouble == "timeout" else Status.CHECKED
    why = (f"symbolic proof ran out of its {context.settings.time_limit:g} s" if trouble == "timeout"
           else f"no proof {for_all} by summation algebra" + (f" ({trouble})" if trouble else ""))
    method = f"numeric only ({oracle}) {checked_at}" if oracle == "Arb" else f"mpmath only {checked_at}"
    named = "the sizes named" if len(sizes) > 1 else "the n named"
    return Verdict(status, method, evidence, detail=f"{why}; the claim is checked only at {named}", seconds=seconds)
