"""Mutation testing: every claim of the catalog deliberately broken, and the verifier must notice.

For each step that claims something (every kind but ``Given``; steps with ``expect_refuted``
are already refuted and skipped, the narrowed steps after them are mutated), the claim is
corrupted in several ways:

``negate``     the whole claim negated;
``flip-sign``  one term of a sum negated (a subtraction flipped, or an addition);
``constant``   a constant changed (2 -> 3, 1/2 -> 3/2), or, with none, a coefficient doubled;
``shift``      a constant 1 added; for a bound it *tightens* the bound (a looser bound is
               still true, so it would be no corruption);
``swap``       two like variables exchanged (x <-> y), or x -> -x with a single variable;
``drop-term``  one term of a sum dropped.

A mutant is the step with its claim replaced (``dataclasses.replace``); for ``Generalise`` the
``instance`` is wrapped so that every n's right-hand side is corrupted the same way.

A corruption that changes nothing the step claims is no corruption. It is skipped, and
counted with its reason, only when that is *shown*, never because the mutant survived:

* ``structural``  the mutated expression is the original one after SymPy's automatic
  canonicalisation (Max(y, x) is Max(x, y), Abs(-x) is Abs(x), 0 negated is 0);
* ``vanishing``   in a step judged in the limit k -> oo, the mutant differs from the original
  only by terms c(x)/k^p with p > 0 and c free of k: the same limit, structurally (a limit at
  -oo or at a finite point a is first written as one at +oo, k = -u or a +- 1/u, as it is judged);
* ``same expansion`` in an Asymptotic step, the mutant is within O(|x - a|^n) of the original,
  shown by the step's own check (proved);
* shown by both oracles, a SymPy proof *and* mpmath agreement at every sample point, on the
  step's domain: the same function (``proved``), the same limit in a limit step (``same
  limit``), or, in a bound step, a bound on the far side of the original (``weaker bound``:
  previous <= b and b <= b' give previous <= b', still true).

A mutant that survives anyway is a verifier bug, or a true claim no oracle could show to be
one; ``KillReport.with_hand_proofs`` takes the latter with a proof written out by hand
(``HAND_PROOFS``: the catalog's five). ``python -m smoothsym.mutate`` applies them: a
hand-proved mutant is listed as ``TRUE`` (a true claim, rightly not refuted), and the run exits
0 when every other mutant is killed; it exits 1 on a survivor, or on a hand-proved true claim
the verifier refuted (a soundness bug).

>>> import sympy as sp
>>> from smoothsym import Derivation, Given, Rewrite
>>> x = sp.Symbol("x", real=True)
>>> d = Derivation(name="twice", title="twice", symbols=(x,), steps=[Given(x + x), Rewrite(2 * x)])
>>> [m.operator for m in mutants_of(d).mutants]
['negate', 'constant', 'shift', 'swap']
>>> outcome = run_mutant(mutants_of(d).mutants[0], PROFILES["fast"])
>>> outcome.killed, outcome.how
(True, 'refuted')
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sympy as sp
from sympy.logic.boolalg import Boolean

from . import numeric, symbolic
from .checks import approach, check_asymptotic
from .errors import DerivationError, StepTimeout
from .model import Derivation, Relation, Step
from .prose import plain
from .runner import WALL_CLOCK_METHOD, step_context, verify
from .settings import PROFILES, CheckSettings
from .timelimit import time_limit
from .verdict import Counterexample, Status, Verdict

OPERATORS = ("negate", "flip-sign", "constant", "shift", "swap", "drop-term")
EQUIVALENCE_TIME_LIMIT = 5.0  # seconds for showing that a corruption changes nothing
MUTANT_TIME_LIMIT = 60.0  # seconds for judging one mutant, numeric check included


# -- corrupting one expression ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mutation:
    """One corruption of an expression: which operator, what it did, the result."""

    operator: str
    description: str
    expr: sp.Basic


def _value_nodes(expr: sp.Basic) -> list[sp.Basic]:
    """The nodes of ``expr`` that are values, in pre-order: Piecewise conditions and other
    booleans are not entered (corrupting x > 0 into x > 1 is a different kind of change)."""
    found = []

    def walk(node):
        if isinstance(node, (Boolean, sp.core.relational.Relational)):
            return
        found.append(node)
        for arg in node.args:
            walk(arg)

    walk(expr)
    return found


def _first_add(expr: sp.Basic) -> sp.Add | None:
    return next((n for n in _value_nodes(expr) if isinstance(n, sp.Add)), None)


def _numbers(expr: sp.Basic) -> list[sp.Rational]:
    """The rational constants of ``expr`` in value positions, in pre-order, without repeats."""
    seen = []
    for n in _value_nodes(expr):
        if isinstance(n, sp.Rational) and n not in seen:
            seen.append(n)
    return seen


def negate(expr: sp.Basic) -> Mutation:
    return Mutation("negate", "claim negated", -expr)


def flip_sign(expr: sp.Basic) -> Mutation | None:
    """Negate one term of the first sum: a subtracted term if there is one, else the first."""
    add = _first_add(expr)
    if add is None:
        return None
    terms = list(add.args)
    i = next((j for j, t in enumerate(terms) if t.could_extract_minus_sign()), 0)
    old = terms[i]
    terms[i] = -old
    kind = "subtraction flipped" if old.could_extract_minus_sign() else "term negated"
    return Mutation("flip-sign", f"{kind}: {old} -> {terms[i]} in {add}", expr.xreplace({add: sp.Add(*terms)}))


def change_constant(expr: sp.Basic) -> Mutation:
    """A constant changed (its first non-trivial one, n -> n + 1); with none, the first product
    (or the claim) doubled: 1/k -> 2/k."""
    for n in _numbers(expr):
        if n not in (0, 1, -1):
            return Mutation("constant", f"constant {n} -> {n + 1}", expr.xreplace({n: n + 1}))
    mul = next((m for m in _value_nodes(expr) if isinstance(m, sp.Mul)), None)
    if mul is not None:
        return Mutation("constant", f"coefficient doubled: {mul} -> {2 * mul}", expr.xreplace({mul: 2 * mul}))
    return Mutation("constant", "claim doubled", 2 * expr)


def shift(expr: sp.Basic, direction: int = 1) -> Mutation:
    """A constant added: +1, or -1 with ``direction=-1``."""
    return Mutation("shift", f"constant {'+' if direction > 0 else '-'}1 added", expr + direction)


def swap_variables(expr: sp.Basic, symbols: Iterable[sp.Symbol], fixed: Iterable[sp.Symbol] = ()) -> list[Mutation]:
    """x <-> y for the first pair of like variables (same assumptions) whose exchange changes
    ``expr``. When every exchange leaves ``expr`` unchanged (it is symmetric), that exchange is
    returned (to be counted as equivalent) together with x -> -x for the first variable, as
    with a single variable. Limit variables (``fixed``) are left alone; no variable, no swap.
    """
    fixed = set(fixed)
    free = [s for s in symbols if s in expr.free_symbols and s not in fixed]
    pairs = [(a, b) for i, a in enumerate(free) for b in free[i + 1:] if a.assumptions0 == b.assumptions0]
    found = []
    for a, b in pairs:
        mutated = expr.xreplace({a: b, b: a})
        if mutated != expr:
            return [Mutation("swap", f"{a} <-> {b}", mutated)]
    if pairs:
        a, b = pairs[0]
        found.append(Mutation("swap", f"{a} <-> {b} (every exchange of like variables)", expr))
    if free:
        s = free[0]
        found.append(Mutation("swap", f"{s} -> -{s}", expr.xreplace({s: -s})))
    return found


def drop_term(expr: sp.Basic) -> Mutation | None:
    """The first term of the first sum dropped."""
    add = _first_add(expr)
    if add is None:
        return None
    dropped = add.args[0]
    return Mutation("drop-term", f"term {dropped} dropped from {add}", expr.xreplace({add: sp.Add(*add.args[1:])}))


def mutations(
    expr: sp.Basic,
    symbols: Iterable[sp.Symbol],
    *,
    fixed: Iterable[sp.Symbol] = (),
    tighten: int = 0,
) -> list[Mutation]:
    """Every corruption of ``expr`` (including ones that turn out to change nothing).

    ``tighten`` is +1 for a claimed lower bound (previous >= claim: the claim is raised), -1 for
    an upper bound (previous <= claim: it is lowered), 0 for an equality.
    """
    symbols = tuple(symbols)
    found = [negate(expr), flip_sign(expr), change_constant(expr), shift(expr, tighten or 1)]
    found += swap_variables(expr, symbols, fixed)
    found.append(drop_term(expr))
    return [m for m in found if m is not None]


# -- mutants of steps --------------------------------------------------------------------


class MutatedInstance:
    """``Generalise.instance`` with each n's right-hand side replaced by its corruption."""

    def __init__(self, instance: Callable, rhs_for: dict):
        self.instance = instance
        self.rhs_for = dict(rhs_for)

    def __call__(self, n: int):
        lhs, rhs = self.instance(n)
        return lhs, self.rhs_for.get(n, rhs)

    def __repr__(self) -> str:
        return f"MutatedInstance({self.instance!r})"


@dataclass(frozen=True, slots=True)
class Mutant:
    """A step of a derivation with its claim corrupted."""

    derivation: Derivation
    number: int
    original: Step
    step: Step
    operator: str
    description: str

    def where(self) -> str:
        label = f" {plain(self.original.label, label=True)}" if self.original.label else ""
        return f"{self.derivation.name} step {self.number}{label} ({self.original.kind})"

    def __str__(self) -> str:
        return f"{self.where()}: {self.operator}: {self.description}"


@dataclass(frozen=True, slots=True)
class Equivalent:
    """A corruption that changes nothing, and how that was shown."""

    derivation: str
    number: int
    kind: str
    operator: str
    description: str
    reason: str  # "structural", "vanishing" or "proved: <method>"

    def __str__(self) -> str:
        return f"{self.derivation} step {self.number} ({self.kind}): {self.operator}: {self.description} [{self.reason}]"


@dataclass(frozen=True, slots=True)
class Mutants:
    """A derivation's mutants and the corruptions skipped as equivalent."""

    mutants: tuple[Mutant, ...]
    equivalent: tuple[Equivalent, ...]


def _limit_variable(step: Step) -> sp.Symbol | None:
    """The k of a step whose claim is judged in the limit k -> oo (None for the others; a
    Substitute with ``limit=k`` judges its claim by equality, only its b -> a in the limit)."""
    if step.relation is not Relation.EQUAL_IN_LIMIT or step.kind == "substitute":
        return None
    return getattr(step, "limit", None) or getattr(step, "variable", None)


def _toward_infinity(step: Step, difference: sp.Basic, k: sp.Symbol) -> list[tuple[sp.Basic, sp.Symbol]]:
    """``difference`` along each way the step's k tends to its limit point, as a function of a
    u -> +oo (the substitutions ``checks.approach`` makes): k itself for k -> +oo, k = -u for
    -oo, k = a + 1/u from the right and a - 1/u from the left of a finite a (both for a
    two-sided limit). Each (expression, u)."""
    to, side = getattr(step, "to", sp.oo), getattr(step, "side", "")
    if to is sp.oo:
        return [(difference, k)]
    sides = (side,) if side else ("+",) if to == -sp.oo else ("+", "-")
    found = []
    for one in sides:
        u, along = approach(k, to, one, (difference,), (k,))
        found.append((difference.subs(k, along), u))
    return found


def _vanishes(difference: sp.Basic, k: sp.Symbol) -> bool:
    """Structurally a sum of c/k^p with p > 0 and c free of k: it -> 0 as k -> oo (a limit at
    another point is first brought to this one by ``_toward_infinity``)."""
    terms = sp.Add.make_args(sp.expand(difference))
    for term in terms:
        power = sp.Integer(0)
        for factor in sp.Mul.make_args(term):
            if factor == k:
                power += 1
            elif isinstance(factor, sp.Pow) and factor.base == k and factor.exp.is_Rational:
                power += factor.exp
            elif factor.has(k):
                return False
        if not power < 0:
            return False
    return True


def _both_oracles(evidence, prove) -> str | None:
    """The SymPy method that proved it, when mpmath agrees too (no counterexample); else None."""
    try:
        with time_limit(EQUIVALENCE_TIME_LIMIT):
            if isinstance(evidence(), Counterexample):
                return None
            return prove()
    except StepTimeout:
        return None
    except Exception:  # SymPy or mpmath raising (no point defined, ...) is "not shown"
        return None


def _equivalence(original, mutated, step: Step, context) -> str | None:
    """Why ``mutated`` makes the step claim nothing new (``original`` implies it on the step's
    domain), or None for a real corruption:

    * structural: the same expression after SymPy's canonicalisation;
    * vanishing: in a limit step, a difference c/k^p (p > 0, c free of k);
    * shown by both oracles (a SymPy proof and mpmath agreement at every sample point): the
      same function (an equality step), the same limit (a limit step: mutated - original -> 0),
      or a weaker bound (a bound step: the mutant lies on the far side of the original).
    """
    if mutated == original:
        return "structural"
    syms, cons, settings, seed = context.symbols, context.constraints, context.settings, context.seed
    k = _limit_variable(step)
    if k is not None:  # the difference must vanish along every way k tends to the step's point
        paths = _toward_infinity(step, mutated - original, k)
        if all(_vanishes(gap, u) for gap, u in paths):
            return "vanishing"
        cons = tuple(c for c in cons if k not in c.free_symbols) if len(paths) > 1 or paths[0][1] != k else cons
        methods = []
        for gap, u in paths:
            method = _both_oracles(
                lambda: numeric.limit_evidence(gap, u, sp.Integer(0), syms, cons, settings, seed, "mutant - original -> 0"),
                lambda: symbolic.prove_limit(gap, u, sp.Integer(0), cons),
            )
            if not method:
                return None
            methods.append(method)
        return f"same limit, proved: {' + '.join(dict.fromkeys(methods))}"
    if step.kind == "asymptotic":
        # a mutant within O(|x - a|^n) of the original is the same expansion: shown when the
        # step's own check proves original = mutant + O(|x - a|^n) (SymPy and the numbers)
        try:
            with time_limit(EQUIVALENCE_TIME_LIMIT):
                verdict = check_asymptotic(original, mutated, step.variable, step.order, context,
                                           "original = mutant + O", to=step.to, side=step.side)
        except StepTimeout:
            return None
        except Exception:  # noqa: BLE001 - not shown
            return None
        return f"same expansion, proved: {verdict.method}" if verdict.status is Status.PROVED else None
    if step.kind == "bound":
        # previous <= claim: a larger claim is weaker; previous >= claim: a smaller one
        low, high = (original, mutated) if step.direction.startswith("<") else (mutated, original)
        method = _both_oracles(
            lambda: numeric.equality_evidence(low, high, syms, cons, settings, seed, "weaker", relation="<="),
            lambda: symbolic.prove_nonnegative(high - low, cons),
        )
        return f"weaker bound, proved: {method}" if method else None
    method = _both_oracles(
        lambda: numeric.equality_evidence(original, mutated, syms, cons, settings, seed, "original = mutant"),
        lambda: symbolic.prove_equal(original, mutated, cons),
    )
    return f"proved: {method}" if method else None


def _generalise_mutants(step, number, derivation, context):
    """Mutants of a Generalise step: each operator applied to every n's right-hand side."""
    fixed = (step.limit,) if step.limit is not None else ()
    pairs = {n: step.instance_pair(n) for n in step.ns}
    per_n = {}
    for n, (lhs, rhs) in pairs.items():
        # the declared symbols first, then the instance's own (x1, x2, ...) in their order
        syms = [s for s in context.symbols] + sorted(
            (lhs.free_symbols | rhs.free_symbols) - set(context.symbols), key=sp.default_sort_key
        )
        per_n[n] = dict(_keyed(mutations(rhs, syms, fixed=fixed)))
    keys = []
    for table in per_n.values():
        keys += [key for key in table if key not in keys]
    found, equivalent = [], []
    for key in keys:
        example = next(table[key] for table in per_n.values() if key in table)
        changed = {n: table[key] for n, table in per_n.items() if key in table and table[key].expr != pairs[n][1]}
        reasons = []
        for n, m in changed.items():
            extra = sorted((m.expr.free_symbols | pairs[n][1].free_symbols) - set(context.symbols), key=sp.default_sort_key)
            n_context = dataclasses.replace(context, symbols=context.symbols + tuple(extra))
            reasons.append(_equivalence(pairs[n][1], m.expr, step, n_context))
        if all(reasons):  # unchanged (or shown equal) for every n
            reason = next((r for r in reasons if r), "structural")
            equivalent.append(Equivalent(derivation.name, number, step.kind, key[0], f"{example.description} (every n)", reason))
            continue
        first = next(iter(changed))
        instance = MutatedInstance(step.instance, {n: m.expr for n, m in changed.items()})
        found.append(Mutant(
            derivation, number, step, dataclasses.replace(step, instance=instance),
            key[0], f"{changed[first].description} (n = {first}; likewise for each n)",
        ))
    return found, equivalent


def _keyed(ms: list[Mutation]):
    """((operator, index among that operator's mutations), mutation): keys that match across n."""
    counts: dict[str, int] = {}
    for m in ms:
        i = counts.get(m.operator, 0)
        counts[m.operator] = i + 1
        yield (m.operator, i), m


def mutants_of_step(derivation: Derivation, number: int, settings: CheckSettings | None = None) -> Mutants:
    """The mutants of step ``number`` of ``derivation`` (none for a Given or a step already
    refuted as stated), and the corruptions skipped as equivalent, with the reason."""
    settings = settings or MUTANT_SETTINGS
    step = derivation.steps[number - 1]
    if step.kind == "given" or step.expect_refuted:
        return Mutants((), ())
    context = step_context(derivation, number, step, settings)
    if step.kind == "generalise":
        found, equivalent = _generalise_mutants(step, number, derivation, context)
        return Mutants(tuple(found), tuple(equivalent))
    tighten = 0
    if step.kind == "bound":
        tighten = -1 if step.direction.startswith("<") else 1
    fixed = tuple(s for s in (getattr(step, "variable", None) if _limit_variable(step) else None, getattr(step, "limit", None)) if s is not None)
    claim = sp.sympify(step.claim)
    found, equivalent = [], []
    for m in mutations(claim, derivation.symbols, fixed=fixed, tighten=tighten):
        reason = _equivalence(claim, m.expr, step, context)
        if reason:
            equivalent.append(Equivalent(derivation.name, number, step.kind, m.operator, m.description, reason))
        else:
            found.append(Mutant(derivation, number, step, dataclasses.replace(step, claim=m.expr), m.operator, m.description))
    return Mutants(tuple(found), tuple(equivalent))


def mutants_of(derivation: Derivation, settings: CheckSettings | None = None) -> Mutants:
    """Every mutant of every claiming step of ``derivation``, and the corruptions skipped as
    equivalent (with the reason)."""
    found, equivalent = [], []
    for number in range(1, len(derivation.steps) + 1):
        step_mutants = mutants_of_step(derivation, number, settings)
        found += step_mutants.mutants
        equivalent += step_mutants.equivalent
    return Mutants(tuple(found), tuple(equivalent))


# -- judging mutants -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MutantOutcome:
    """What the verifier said about a mutant: a verdict, or the DerivationError (its text) that
    kept the mutated derivation from loading. Plain data, so worker processes can return it."""

    derivation: str
    number: int
    label: str
    kind: str
    claim: str  # the original claim (for a Generalise, its displayed claim)
    operator: str
    description: str
    verdict: Verdict | None
    error: str | None = None
    seconds: float = 0.0

    @classmethod
    def of(cls, mutant: Mutant, verdict: Verdict | None, error: str | None, seconds: float) -> "MutantOutcome":
        original = mutant.original
        return cls(mutant.derivation.name, mutant.number, original.label, original.kind, str(original.claim),
                   mutant.operator, mutant.description, verdict, error, seconds)

    @property
    def killed(self) -> bool:
        """Refuted, disputed (numbers against the claim that no ball arithmetic could certify),
        rejected at load, or judged an error by the check itself (the claim has no case in the
        domain where it is defined, say): each fails the run, so the user is told. A step stopped
        by the wall clock is no kill (it says nothing about the claim)."""
        if self.error is not None or self.verdict.status in (Status.REFUTED, Status.DISPUTED):
            return True
        return self.verdict.status is Status.ERROR and self.verdict.method != WALL_CLOCK_METHOD

    @property
    def how(self) -> str:
        return "rejected at load" if self.error is not None else self.verdict.status.value

    def __str__(self) -> str:
        text = f"{self.derivation} step {self.number} ({self.kind}): {self.operator}: {self.description}: {self.how}"
        if self.error is not None:
            return f"{text} ({self.error})"
        if not self.killed:
            text += f" [{self.verdict.method}] {self.verdict.summary()[:400]}"
        return text


def run_mutant(mutant: Mutant, settings: CheckSettings) -> MutantOutcome:
    """Verify the mutated step against the unchanged steps before it.

    The derivation is rebuilt up to the mutated step (so the mutant itself is validated, and
    a later step's own shape check cannot hide whether this claim is caught)."""
    started = time.perf_counter()
    d = mutant.derivation
    try:
        mutated = dataclasses.replace(d, steps=d.steps[: mutant.number - 1] + (mutant.step,))
    except DerivationError as exc:
        return MutantOutcome.of(mutant, None, str(exc), time.perf_counter() - started)
    try:
        # the step's own time limit covers its symbolic proof only; this one covers it all
        with time_limit(MUTANT_TIME_LIMIT):
            verdict = verify(mutated, settings, steps={mutant.number}).steps[0].verdict
    except StepTimeout:
        verdict = Verdict(Status.TIMEOUT, "", detail=f"the mutant was not judged within {MUTANT_TIME_LIMIT:g} s")
    return MutantOutcome.of(mutant, verdict, None, time.perf_counter() - started)


MUTANT_SETTINGS = PROFILES["fast"].replace(time_limit=1.0)

# Corruptions of catalog claims that change nothing the step claims, where neither oracle
# could show it (so they are not skipped as equivalent), proved by hand. Keyed by (derivation,
# step label, original claim, operator, description): a changed derivation no longer matches,
# and its survivors show up again for a fresh look. The verifier must accept these (they are
# true), never refute them. (tests/test_mutations.py holds the same table as HAND_PROVED.)
HAND_PROOFS: dict[tuple[str, str, str, str, str], str] = {
    ("max-from-abs", "(10)", "log(exp(2*k*x) + exp(2*k*y) + exp(-2*k*y))/(2*k)", "flip-sign",
     "term negated: exp(-2*k*y) -> -exp(-2*k*y) in exp(2*k*x) + exp(2*k*y) + exp(-2*k*y)"):
        "for y >= 0, e^{2ky} - e^{-2ky} >= 0, so e^{2kx} <= A' = e^{2kx} + e^{2ky} - e^{-2ky} <= e^{2kx} + e^{2ky} "
        "and A' >= e^{2ky} - 1: ln(A')/(2k) -> max(x, y) like the original claim (same limit)",
    ("smooth-max-accuracy", "(13) is worse than (11) when x, y >= 3", "-Max(x, y) + log(exp(k*x) + exp(k*y))/k",
     "swap", "x -> -x"):
        "for x, y >= 3 the mutant is -y + ln(e^{-kx} + e^{ky})/k = ln(1 + e^{-k(x+y)})/k <= ln(1 + e^{-k|x-y|})/k, "
        "the original claim, since |x - y| <= x + y: a weaker lower bound",
    ("softmax-cross-entropy-gradient", "Hessian",
     "(-exp(f[j])/Sum(exp(f[k]), (k, 1, n)) + KroneckerDelta(i, j))*exp(f[i])/Sum(exp(f[k]), (k, 1, n))", "swap", "i <-> j"):
        "the Hessian of LSE is symmetric: p_i (delta_ij - p_j) = delta_ij p_i - p_i p_j, and delta_ij p_i = delta_ij p_j, "
        "so exchanging i and j gives the same matrix (the engine proves the mutant for all n)",
    ("softmax-cross-entropy-gradient", "softmax Jacobian",
     "(-exp(f[i])/Sum(exp(f[k]), (k, 1, n)) + KroneckerDelta(i, j))*exp(f[j])/Sum(exp(f[k]), (k, 1, n))", "swap", "i <-> j"):
        "the softmax Jacobian p_j (delta_ij - p_i) = delta_ij p_j - p_i p_j is symmetric in i and j (delta_ij p_j = "
        "delta_ij p_i), so exchanging them gives the same matrix",
    ("smooth-max-recipe", "(14) holds when max(x, y) >= 0, from below", "Max(x, y)", "negate", "claim negated"):
        "where max(x, y) >= 0, -max(x, y) <= max(x, y): a weaker lower bound "
        "(symbolic.prove_nonnegative(2*Max(x, y), (Max(x, y) >= 0,)) does not see it)",
}

_POOL_DERIVATIONS: list[Derivation] = []


def _mutate_step(task):
    """One step's mutants generated and judged (in a worker: only plain data travels back)."""
    index, number, settings = task
    derivation = _POOL_DERIVATIONS[index]
    found = mutants_of_step(derivation, number, settings)
    return [run_mutant(m, settings) for m in found.mutants], list(found.equivalent)


def _run_tasks(tasks: list, jobs: int, done=lambda task, result: None) -> list:
    """Each task's result, in order; ``done(task, result)`` is called as each one comes back."""
    if jobs <= 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for t in tasks:
            results.append(_mutate_step(t))
            done(t, results[-1])
        return results
    # forked workers inherit the derivations: their instance functions need no pickling
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results = []
        for t, result in zip(tasks, pool.imap(_mutate_step, tasks, chunksize=1)):
            results.append(result)
            done(t, result)
        return results


@dataclass(frozen=True, slots=True)
class KillReport:
    """Mutation results per derivation."""

    outcomes: tuple[MutantOutcome, ...]
    equivalent: tuple[Equivalent, ...]
    seconds: float

    @property
    def survivors(self) -> list[MutantOutcome]:
        return [o for o in self.outcomes if not o.killed]

    def with_hand_proofs(self, proofs: dict) -> tuple["KillReport", list[MutantOutcome]]:
        """Move the mutants that ``proofs`` shows equivalent by hand, keyed by (derivation,
        step label, original claim, operator, description), to ``equivalent``. Returns the new report and the
        ones among them the verifier *refuted*: true claims refuted, a soundness bug."""
        def key(o):
            return (o.derivation, o.label, o.claim, o.operator, o.description)

        moved = [o for o in self.outcomes if key(o) in proofs]
        kept = tuple(o for o in self.outcomes if key(o) not in proofs)
        same = tuple(
            Equivalent(o.derivation, o.number, o.kind, o.operator, o.description, f"hand proof: {proofs[key(o)]}")
            for o in moved
        )
        wrongly_refuted = [o for o in moved if o.killed]
        return KillReport(kept, self.equivalent + same, self.seconds), wrongly_refuted

    def table(self) -> str:
        names = []
        for o in self.outcomes:
            if o.derivation not in names:
                names.append(o.derivation)
        for e in self.equivalent:
            if e.derivation not in names:
                names.append(e.derivation)
        lines = [f"{'derivation':<26} {'mutants':>7} {'killed':>6} {'refuted':>7} {'at load':>7} {'equiv.':>6} {'kill rate':>9}"]
        for name in names + ["TOTAL"]:
            mine = [o for o in self.outcomes if name in ("TOTAL", o.derivation)]
            same = [e for e in self.equivalent if name in ("TOTAL", e.derivation)]
            killed = sum(o.killed for o in mine)
            at_load = sum(o.error is not None for o in mine)
            rate = f"{100 * killed / len(mine):.1f} %" if mine else "-"
            lines.append(f"{name:<26} {len(mine):>7} {killed:>6} {killed - at_load:>7} {at_load:>7} {len(same):>6} {rate:>9}")
        lines.append(f"({len(self.outcomes)} mutants judged in {self.seconds:.1f} s)")
        return "\n".join(lines)


def mutate_catalog(derivations: Iterable[Derivation], settings: CheckSettings = MUTANT_SETTINGS, jobs: int | None = None,
                   progress: Callable[[str], None] | None = None) -> KillReport:
    """Mutate every claiming step of every derivation and judge every mutant, one step per task
    in ``jobs`` forked worker processes (default: one per CPU). ``progress``, when given, gets a
    line as each step's mutants are judged (a long run shows that it is running, and where)."""
    global _POOL_DERIVATIONS
    started = time.perf_counter()
    _POOL_DERIVATIONS = list(derivations)
    tasks = [
        (i, number, settings)
        for i, d in enumerate(_POOL_DERIVATIONS)
        for number, step in enumerate(d.steps, start=1)
        if step.kind != "given" and not step.expect_refuted
    ]

    def done(task, result):
        if progress is not None:
            index, number, _ = task
            found, _ = result
            nonlocal finished
            finished += 1
            progress(f"mutants of {_POOL_DERIVATIONS[index].name} step {number}: {sum(o.killed for o in found)}/{len(found)}"
                     f" killed ({finished}/{len(tasks)} steps, {time.perf_counter() - started:.0f} s)")

    finished = 0
    try:
        results = _run_tasks(tasks, jobs or os.cpu_count() or 1, done)
    finally:
        _POOL_DERIVATIONS = []
    outcomes = [o for found, _ in results for o in found]
    equivalent = [e for _, same in results for e in same]
    return KillReport(tuple(outcomes), tuple(equivalent), time.perf_counter() - started)


def main(argv: list[str] | None = None, hand_proofs: dict | None = None) -> int:
    """``python -m smoothsym.mutate [PATH ...]``: the kill rate of the catalog, survivors listed.

    Mutants with a hand proof (``hand_proofs``, default ``HAND_PROOFS``) are true claims: they
    are listed as TRUE and need not be killed; exit 0 when every other mutant is killed."""
    import argparse

    from .loader import discover

    parser = argparse.ArgumentParser(prog="python -m smoothsym.mutate", description=main.__doc__)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--only", nargs="+", metavar="NAME")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--equivalent", action="store_true", help="list the corruptions skipped as equivalent")
    args = parser.parse_args(argv)
    catalog = discover(args.paths)
    for error in catalog.errors:
        print(f"ERROR {error}")
    report = mutate_catalog(catalog.select(args.only or []).derivations, jobs=args.jobs)
    proofs = HAND_PROOFS if hand_proofs is None else hand_proofs
    report, wrongly_refuted = report.with_hand_proofs(proofs)
    print(report.table())
    refuted = {(o.derivation, o.number, o.operator, o.description) for o in wrongly_refuted}
    for e in report.equivalent:
        if e.reason.startswith("hand proof: ") and (e.derivation, e.number, e.operator, e.description) not in refuted:
            print(f"TRUE {e.derivation} step {e.number} ({e.kind}): {e.operator}: {e.description}: a true claim, "
                  f"rightly not refuted ({e.reason})")
    for o in wrongly_refuted:
        print(f"REFUTED A TRUE CLAIM {o} (it has a hand proof: a soundness bug)")
    for o in report.survivors:
        print(f"SURVIVED {o}")
    if args.equivalent:
        for e in report.equivalent:
            print(f"EQUIVALENT {e}")
    failed = bool(report.survivors or wrongly_refuted or catalog.errors)
    print(f"{len(report.survivors)} survived, {len(wrongly_refuted)} true claims refuted, "
          f"{len(catalog.errors)} files not loaded: {'FAILED' if failed else 'every mutant that should be killed is killed'}")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
