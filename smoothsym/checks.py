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

import time

import sympy as sp

from . import numeric, symbolic
from .errors import StepTimeout
from .model import StepContext
from .timelimit import time_limit
from .verdict import ConvergenceEvidence, Counterexample, NumericEvidence, Status, Verdict


def _attempt_proof(prove, *args, context: StepContext) -> tuple[str | None, str]:
    """Run a symbolic prover under the time limit: (method or None, what happened)."""
    try:
        with time_limit(context.settings.time_limit):
            return prove(*args), ""
    except StepTimeout:
        return None, "timeout"
    except Exception as exc:  # SymPy raising is "don't know", recorded, never a pass
        return None, f"SymPy raised {type(exc).__name__}: {exc}"


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


def check_equal(lhs: sp.Basic, rhs: sp.Basic, context: StepContext, what: str) -> Verdict:
    """``lhs == rhs`` on the domain."""
    started = time.perf_counter()
    evidence = numeric.equality_evidence(
        lhs, rhs, context.symbols, context.constraints, context.settings, context.seed, what
    )
    proof, trouble = _attempt_proof(symbolic.prove_equal, lhs, rhs, context.constraints, context=context)
    return _judge(evidence, proof, trouble, context, started)


def check_bound(smaller: sp.Basic, larger: sp.Basic, context: StepContext, what: str,
                written_reversed: bool = False) -> Verdict:
    """``smaller <= larger`` on the domain; ``written_reversed`` when the user wrote it as
    ``larger >= smaller`` (a counterexample then shows ``larger`` as its lhs, as written)."""
    started = time.perf_counter()
    evidence = numeric.equality_evidence(
        smaller, larger, context.symbols, context.constraints, context.settings, context.seed, what, relation="<=",
        written_reversed=written_reversed,
    )
    # against a certified counterexample the cheap methods still run (a proof would be a dispute),
    # but not simplify, the last resort: it costs more than the rest of the check and has proved
    # no bound of the catalog or of the soundness corpus
    last_resort = not (isinstance(evidence, Counterexample) and evidence.certified)
    proof, trouble = _attempt_proof(symbolic.prove_nonnegative, larger - smaller, context.constraints, last_resort,
                                    context=context)
    return _judge(evidence, proof, trouble, context, started)


def check_limit(expr: sp.Basic, var: sp.Symbol, target: sp.Basic, context: StepContext, what: str) -> Verdict:
    """``lim_{var -> +oo} expr == target`` on the domain."""
    started = time.perf_counter()
    evidence = numeric.limit_evidence(
        expr, var, target, context.symbols, context.constraints, context.settings, context.seed, what
    )
    proof, trouble = _attempt_proof(symbolic.prove_limit, expr, var, target, context.constraints, context=context)
    return _judge(evidence, proof, trouble, context, started)
