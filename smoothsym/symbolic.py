"""Cheap, sound symbolic proof methods (SymPy only).

The entry points, each trying a table of small named methods, cheapest first:

* ``prove_equal(lhs, rhs, constraints)``      -- lhs == rhs on the whole allowed domain
* ``prove_limit(expr, k, target, constraints)`` -- lim_{k -> +oo} expr == target
* ``prove_nonnegative(expr, constraints)``    -- expr >= 0 on the whole allowed domain
* ``prove_definite_integral(f, x, a, b, value, constraints)`` -- the integral of f dx over [a, b] == value
* ``prove_equal_for_all_n`` / ``prove_nonnegative_for_all_n`` -- the same for claims over a
  symbolic n (Sum(..., (k, 1, n)), entries x[i], KroneckerDelta), by summation algebra first

The allowed domain is given by the SymPy assumptions of the free symbols and by
``constraints`` (relationals such as ``x >= 0``, ``x + y >= 0``, ``Ne(x, 0)``). Equalities
(``Eq(y1 + y2 + y3, 1)``) and finite sets (``Contains(y, FiniteSet(0, 1))``) are eliminated
first, by substitution (``constraints.py``): the claim is proved in every case of the domain
(``y3 = 1 - y1 - y2``; ``y = 0`` and ``y = 1``), or not at all.

A step's hint (``by="trigsimp"``) names one SymPy method of ``HINTS``: ``prove_equal_by`` and
``prove_nonnegative_by`` try that method alone, under the same guards (exact floats, the
domain's sign facts, no proof on an empty domain, no nan or zoo), and succeed only when it
turns lhs - rhs into an exact 0 (or the bound's gap into an expression SymPy's assumptions
know is nonnegative).

Each returns the name of the method that succeeded, or None.  None is *not* a
disproof.  Soundness comes first: a method may only succeed when its rule is
valid for every allowed value, so every rewrite used here is either an identity
(``expand``, ``cancel``, ``exp(a+b) = exp(a)exp(b)``, ...) or is guarded by
assumptions checked beforehand (exp-compare needs real sides; case splits need
real arguments; infeasible cases are skipped only when Fourier-Motzkin
elimination proves them infeasible).  No ``force=True`` rewrite is used.

The caller enforces time limits with SIGALRM raising a BaseException subclass,
so this module only ever catches ``Exception``.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Iterator, Sequence

import sympy
from sympy.series.gruntz import gruntz
from sympy import (Abs, Add, Dummy, Eq, Float, Heaviside, Max, Min, Mul,
                   Ne, Piecewise, Rational, S, Symbol, cancel, exp, expand,
                   expand_log, expand_mul, log, logcombine, oo, powsimp,
                   sign, together)
from sympy.core.relational import Relational
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Or, to_dnf

from . import sympy_fixes  # noqa: F401 - SymPy's own bugs fixed before any claim is built
from .constraints import Case, ConstraintError, TooManyCases, cases, is_eliminated, summary

__all__ = ["HINTS", "prove_definite_integral", "prove_equal", "prove_equal_by", "prove_equal_for_all_n", "prove_limit",
           "prove_nonnegative", "prove_nonnegative_by", "prove_nonnegative_for_all_n"]

Conds = tuple  # tuple of SymPy booleans (relationals, And, ...), all assumed to hold

# Limits on the size of the search, so a pathological input fails fast instead
# of eating the caller's time budget.
_MAX_LEAVES = 256        # case-split leaves per proof
_MAX_FM_ROWS = 400       # rows in Fourier-Motzkin elimination
_MAX_NE_SPLITS = 4       # Ne(u, 0) facts split into u > 0 | u < 0
_MAX_ORDER_SYMBOLS = 3   # symbols for the weak-ordering split in limits


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def _try(fn: Callable[[], bool]) -> bool:
    """Run a SymPy-based check; a failing SymPy call (Exception) counts as 'not proved'."""
    try:
        return bool(fn())
    except Exception:  # never BaseException: the caller's timeout must propagate
        return False


def _is_zero(e: sympy.Basic) -> bool:
    """Structural zero only: no assumption-based guessing."""
    return e == 0


def _exact_floats(e: sympy.Basic) -> sympy.Basic:
    """Replace every Float by its exact binary value as a Rational.

    Why: Float arithmetic rounds, so x + 1 + 1e-20 - (x + 1) could collapse to 0.
    """
    floats = e.atoms(Float)
    return e.xreplace({f: Rational(f) for f in floats}) if floats else e


def as_elementary(e: sympy.Basic) -> sympy.Basic:
    """Codegen's numeric devices written as the elementary functions they are: log1p(z) ->
    log(1 + z), expm1(z) -> e^z - 1, log2, log10, exp2, Cbrt, Sqrt, hypot, fma likewise: the
    form every method here knows. Every SymPy limit and series is asked of this form: SymPy
    1.14's limit of (h + log1p(e^-h) - log 2)/h at 0+ is -1/2 (it is 1/2), of (h + expm1(e^-h)
    - e + 1)/h it is -e (it is 1 - e); with log and exp it answers right."""
    from sympy.codegen import cfunctions as c

    forms = {
        c.log1p: lambda z: log(1 + z), c.expm1: lambda z: exp(z) - 1, c.log2: lambda z: log(z) / log(2),
        c.log10: lambda z: log(z) / log(10), c.exp2: lambda z: 2**z, c.Cbrt: lambda z: sympy.cbrt(z),
        c.Sqrt: lambda z: sympy.sqrt(z), c.hypot: lambda u, v: sympy.sqrt(u**2 + v**2),
        c.fma: lambda u, v, w: u * v + w,
    }
    kinds = tuple(forms)
    if not isinstance(e, sympy.Basic) or not e.has(*kinds):
        return e
    return e.replace(lambda a: isinstance(a, kinds), lambda a: forms[type(a)](*a.args))


def _true_conds(conds: Sequence) -> Conds | None:
    """Sympify, drop conditions that are trivially True; None if one is trivially False."""
    out = []
    for c in conds:
        c = sympy.sympify(c)
        if c is S.true or isinstance(c, BooleanTrue):
            continue
        if c is S.false or isinstance(c, BooleanFalse):
            return None
        out.append(c)
    return tuple(out)


# --------------------------------------------------------------------------
# Preprocessing: constraints on single symbols become SymPy assumptions
# --------------------------------------------------------------------------

_KEPT_ASSUMPTIONS = ("integer", "rational", "real", "positive", "negative",
                     "nonnegative", "nonpositive", "nonzero")


def _sign_fact(c: sympy.Basic) -> tuple[Symbol, str] | None:
    """If c says 's >= 0', 's > 0', 's <= 0', 's < 0' or 'Ne(s, 0)' for a real symbol s, return (s, fact)."""
    if not isinstance(c, Relational):
        return None
    u = expand(c.lhs - c.rhs)
    coeff, s = u.as_coeff_Mul()
    if not (isinstance(s, Symbol) and s.is_real and coeff.is_Rational and coeff != 0):
        return None
    flip = coeff < 0
    facts = {"GreaterThan": ("nonnegative", "nonpositive"), "StrictGreaterThan": ("positive", "negative"),
             "LessThan": ("nonpositive", "nonnegative"), "StrictLessThan": ("negative", "positive"),
             "Unequality": ("nonzero", "nonzero")}
    pair = facts.get(type(c).__name__)
    if pair is None:
        return None
    return s, pair[1] if flip else pair[0]


def _symbols_to_dummies(constraints: Conds) -> dict:
    """Map each real symbol with a sign constraint to a Dummy carrying that sign as an assumption.

    Sound: the claim is quantified over exactly the same values; SymPy just gets to know them.
    """
    facts: dict[Symbol, set[str]] = {}
    for c in constraints:
        f = _sign_fact(c)
        if f is not None:
            facts.setdefault(f[0], set()).add(f[1])
    mapping = {}
    for s, new in facts.items():
        kw = {a: True for a in _KEPT_ASSUMPTIONS if s.assumptions0.get(a) is True}
        kw.update({a: True for a in new})
        kw["real"] = True
        try:
            mapping[s] = Dummy(s.name, **kw)
        except Exception:  # inconsistent assumptions: keep the symbol, FM will see the conflict
            continue
    return mapping


def _prepare(exprs: Sequence, constraints: Sequence) -> tuple[tuple, Conds] | None:
    """Exact floats, sign constraints as assumptions; None when the domain is (provably) empty.

    Refusing empty domains avoids 'vacuously true' answers for contradictory inputs.
    """
    exprs = tuple(as_elementary(_exact_floats(sympy.sympify(e))) for e in exprs)
    conds = _true_conds(_exact_floats(sympy.sympify(c)) for c in constraints)
    if conds is None:
        return None
    mapping = _symbols_to_dummies(conds)
    if mapping:
        exprs = tuple(e.xreplace(mapping) for e in exprs)
        conds = _true_conds(c.xreplace(mapping) for c in conds)
        if conds is None:
            return None
    if _infeasible(conds):
        return None
    return exprs, conds


# --------------------------------------------------------------------------
# Linear real arithmetic: Fourier-Motzkin infeasibility (exact, sound)
# --------------------------------------------------------------------------
# A row (coeffs, const, strict) means  sum(coeffs[s] * s) + const  > 0 (strict) or >= 0.

Row = tuple  # (dict[Symbol, Fraction], Fraction, bool)


def _linear_form(u: sympy.Expr) -> tuple[dict, Fraction] | None:
    """Coefficients of u as a rational linear form in real symbols, or None if u is not one."""
    coeffs: dict = {}
    const = Fraction(0)
    for term in Add.make_args(expand(u)):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            return None
        c = Fraction(int(c.p), int(c.q))
        if rest == 1:
            const += c
        elif isinstance(rest, Symbol) and rest.is_real:
            coeffs[rest] = coeffs.get(rest, Fraction(0)) + c
        else:
            return None
    return {s: c for s, c in coeffs.items() if c != 0}, const


def _rows_of(cond: sympy.Basic) -> list | None:
    """Rows for a relational/And; None if the condition cannot be used (it is then dropped, which is sound)."""
    if isinstance(cond, And):
        rows = []
        for a in cond.args:
            r = _rows_of(a)
            if r is not None:
                rows += r
        return rows
    if not isinstance(cond, Relational) or isinstance(cond, Ne):
        return None
    form = _linear_form(cond.lhs - cond.rhs)
    if form is None:
        return None
    co, c0 = form
    neg = ({s: -v for s, v in co.items()}, -c0)
    name = type(cond).__name__
    if name == "GreaterThan":
        return [(co, c0, False)]
    if name == "StrictGreaterThan":
        return [(co, c0, True)]
    if name == "LessThan":
        return [(*neg, False)]
    if name == "StrictLessThan":
        return [(*neg, True)]
    if name == "Equality":
        return [(co, c0, False), (*neg, False)]
    return None


def _assumption_rows(symbols) -> list:
    """Sign facts that SymPy assumptions give for real symbols."""
    rows = []
    for s in symbols:
        if not s.is_real:
            continue
        one = {s: Fraction(1)}
        minus = {s: Fraction(-1)}
        if s.is_positive:
            rows.append((one, Fraction(0), True))
        elif s.is_nonnegative:
            rows.append((one, Fraction(0), False))
        if s.is_negative:
            rows.append((minus, Fraction(0), True))
        elif s.is_nonpositive:
            rows.append((minus, Fraction(0), False))
    return rows


def _fm_infeasible(rows: list) -> bool:
    """Fourier-Motzkin: True only if the rows have no real solution (exact rational arithmetic)."""
    rows = list(rows)
    while True:
        for co, c0, strict in rows:
            if not co and (c0 < 0 or (c0 == 0 and strict)):
                return True
        variables = {s for co, _, _ in rows for s in co}
        if not variables:
            return False
        # eliminate the variable producing the fewest new rows
        def cost(v):
            p = sum(1 for co, _, _ in rows if co.get(v, 0) > 0)
            n = sum(1 for co, _, _ in rows if co.get(v, 0) < 0)
            return p * n - p - n
        v = min(variables, key=lambda s: (cost(s), str(s)))
        pos = [r for r in rows if r[0].get(v, 0) > 0]
        neg = [r for r in rows if r[0].get(v, 0) < 0]
        new = [r for r in rows if r[0].get(v, 0) == 0]
        for (pc, p0, ps), (nc, n0, ns) in itertools.product(pos, neg):
            a, b = pc[v], -nc[v]          # b * prow + a * nrow eliminates v
            co = {}
            for s in set(pc) | set(nc):
                c = b * pc.get(s, 0) + a * nc.get(s, 0)
                if c != 0 and s != v:
                    co[s] = c
            new.append((co, b * p0 + a * n0, ps or ns))
        if len(new) > _MAX_FM_ROWS:
            return False                  # give up: 'not shown infeasible' is the safe answer
        rows = new


def _infeasible(conds: Conds) -> bool:
    """True only when conds (plus the sign assumptions of their symbols) provably have no real solution.

    Ne(u, 0) with u linear is split into u > 0 or u < 0; both branches must be infeasible.
    """
    conds = _true_conds(conds)   # SymPy may already have evaluated a condition to True/False
    if conds is None:
        return True
    rows, nonzero = [], []
    for c in conds:
        if isinstance(c, Ne):
            if _linear_form(c.lhs - c.rhs) is not None:
                nonzero.append(c.lhs - c.rhs)
            continue
        r = _rows_of(c)
        if r is not None:
            rows += r
    symbols = set().union(*(c.free_symbols for c in conds)) if conds else set()
    rows += _assumption_rows(symbols)
    # a nonzero assumption (e.g. from the constraint Ne(x, 0)) is a Ne fact too
    nonzero += [s for s in sorted(symbols, key=str)
                if s.is_real and s.is_nonzero and not (s.is_positive or s.is_negative)]
    nonzero = nonzero[:_MAX_NE_SPLITS]
    for signs in itertools.product((1, -1), repeat=len(nonzero)):
        extra = []
        for u, sg in zip(nonzero, signs):
            co, c0 = _linear_form(sg * u)
            extra.append((co, c0, True))
        if not _fm_infeasible(rows + extra):
            return False
    return True


# --------------------------------------------------------------------------
# Case splitting on Abs, Max, Min, sign, Heaviside, Piecewise
# --------------------------------------------------------------------------

_CASE_TYPES = (Abs, Max, Min, sign, Heaviside, Piecewise)
_UNDEFINED = object()   # replacement for "no Piecewise branch applies": such a case must be infeasible


class _CannotSplit(Exception):
    """An atom could not be split soundly (e.g. a non-real argument)."""


def _strip_positive(u: sympy.Expr) -> sympy.Expr:
    """u / c for the positive factors c of u: sign(c*v) = sign(v) for c > 0 (keeps conditions linear)."""
    if isinstance(u, Mul):
        kept = [f for f in u.args if not f.is_positive]
        if len(kept) < len(u.args):
            return Mul(*kept)
    return u


def _sign_cases(u: sympy.Expr, pos, neg, zero) -> list:
    """Three cases u > 0, u < 0, u = 0 with the given replacements (zero may be merged elsewhere)."""
    v = _strip_positive(u)
    return [((v > 0,), pos), ((v < 0,), neg), ((Eq(v, 0),), zero)]


def _conjuncts(c: sympy.Basic) -> tuple:
    """The conjuncts of c in a deterministic order (And.make_args gives a frozenset)."""
    return () if c is S.true else tuple(sorted(And.make_args(c), key=str))


def _piecewise_cases(pw: Piecewise) -> list:
    """Branch i applies when its condition holds and no earlier one does (DNF disjuncts as cases)."""
    cases, earlier = [], []
    for e, c in pw.args:
        cond = And(c, *[sympy.Not(p) for p in earlier])
        earlier.append(c)
        if cond is S.false:
            continue
        for disjunct in Or.make_args(to_dnf(cond)):
            cases.append((_conjuncts(disjunct), e))
    rest = And(*[sympy.Not(p) for p in earlier])
    if rest is not S.false:
        for disjunct in Or.make_args(to_dnf(rest)):
            cases.append((_conjuncts(disjunct), _UNDEFINED))
    return cases


def _cases_of(atom: sympy.Basic) -> list:
    """All (conditions, replacement) cases of a piecewise-defined atom; conditions cover the real line."""
    if isinstance(atom, Piecewise):
        return _piecewise_cases(atom)
    args = atom.args
    split_on = args[:1] if isinstance(atom, Heaviside) else args   # Heaviside's 2nd arg is H(0)
    if not all(a.is_extended_real for a in split_on):
        raise _CannotSplit(atom)   # Abs(u) = |u| != +-u, sign(u) = u/|u| for complex u
    u = args[0]
    if isinstance(atom, Abs):
        v = _strip_positive(u)
        return [((v >= 0,), u), ((v < 0,), -u)]
    if isinstance(atom, sign):
        return _sign_cases(u, S.One, S.NegativeOne, S.Zero)
    if isinstance(atom, Heaviside):
        return _sign_cases(u, S.One, S.Zero, atom.func(S.Zero, *args[1:]))
    if isinstance(atom, (Max, Min)):
        rel = (lambda a, b: a >= b) if isinstance(atom, Max) else (lambda a, b: a <= b)
        return [(tuple(rel(a, b) for b in args if b is not a), a) for a in args]
    raise _CannotSplit(atom)


def _innermost_case_atom(exprs: Sequence) -> sympy.Basic | None:
    """A case atom none of whose arguments contains another one (so its conditions are atom-free)."""
    for e in exprs:
        for node in sympy.preorder_traversal(e):
            if isinstance(node, _CASE_TYPES) and not any(a.has(*_CASE_TYPES) for a in node.args):
                return node
    return None


def _split_cases(exprs: tuple, conds: Conds) -> Iterator[tuple[tuple, Conds, list]]:
    """Yield (exprs, conds, split atoms) for every feasible combination of cases.

    Infeasible combinations are skipped only when Fourier-Motzkin proves them so.
    Raises _CannotSplit when an atom cannot be split or a Piecewise has a feasible undefined gap.
    """
    atom = _innermost_case_atom(exprs)
    if atom is None:
        yield exprs, conds, []
        return
    for case_conds, repl in _cases_of(atom):
        new_conds = _true_conds(conds + tuple(case_conds))
        if new_conds is None or _infeasible(new_conds):
            continue
        if repl is _UNDEFINED:
            raise _CannotSplit(atom)
        new_exprs = tuple(e.xreplace({atom: repl}) for e in exprs)
        for leaf, leaf_conds, atoms in _split_cases(new_exprs, new_conds):
            yield leaf, leaf_conds, [atom] + atoms


def _rational(f: Fraction) -> Rational:
    return Rational(f.numerator, f.denominator)


def _case_facts(conds: Conds) -> list[tuple[sympy.Expr, str]]:
    """Linear facts u > 0 ('gt'), u >= 0 ('ge'), u = 0 ('eq') of the conditions.

    A fact u >= 0 is upgraded to u = 0 when u > 0 is infeasible with the conditions
    (e.g. y >= x together with x - y >= 0 gives x = y), so that implied equalities are used.
    """
    facts = []
    for cond in conds:
        for co, c0, strict in _rows_of(cond) or []:
            if not co:
                continue
            u = Add(*[_rational(c) * t for t, c in co.items()], _rational(c0))
            kind = "gt" if strict else "eq" if _infeasible(conds + (u > 0,)) else "ge"
            facts.append((u, kind))
    return facts


def _realize(exprs: tuple, conds: Conds) -> tuple:
    """Build the linear case conditions into the expressions by substitution.

    For u >= 0 (> 0, = 0) with u linear and real symbol s in it (coefficient c), set
    s = (d - (u - c*s)) / c with a fresh Dummy d >= 0 (d > 0, d = 0).  Every point of the
    case is reached by some parameter value, so proving the result for all parameters
    is sound (it may cover a superset, which only costs completeness).
    """
    pending = _case_facts(conds)
    while pending:
        u, kind = pending.pop(0)
        symbols = [t for t in u.free_symbols if t.is_real]
        if not symbols:
            continue
        # prefer symbols with no sign assumption: replacing them loses nothing
        s = min(symbols, key=lambda t: (t.is_nonnegative is not None or t.is_nonpositive is not None, str(t)))
        c = u.coeff(s)
        d = {"eq": S.Zero, "gt": Dummy("d", positive=True), "ge": Dummy("d", nonnegative=True)}[kind]
        value = (d - (u - c * s)) / c
        exprs = tuple(e.xreplace({s: value}) for e in exprs)
        pending = [(expand(v.xreplace({s: value})), kd) for v, kd in pending]
    return exprs


# --------------------------------------------------------------------------
# Equality methods: each takes (lhs, rhs) and returns True only on a proof
# --------------------------------------------------------------------------

def _eq_identical(lhs, rhs) -> bool:
    """Structurally identical after SymPy's automatic evaluation."""
    return lhs == rhs


def _eq_expand(lhs, rhs) -> bool:
    """expand(lhs - rhs) == 0 (expand only applies assumption-safe rewrites)."""
    return _is_zero(expand(lhs - rhs))


def _eq_cancel(lhs, rhs) -> bool:
    """cancel(together(lhs - rhs)) == 0: rational-function identity (up to removable singularities)."""
    return _is_zero(cancel(together(lhs - rhs)))


def _eq_expand_log(lhs, rhs) -> bool:
    """expand(expand_log(lhs - rhs)) == 0 with force=False (log(ab) split only for positive a, b)."""
    return _is_zero(expand(expand_log(lhs - rhs, force=False)))


def _eq_logcombine(lhs, rhs) -> bool:
    """powsimp(logcombine(lhs - rhs)) == 0 with force=False (logs combined only for positive args)."""
    return _is_zero(expand(powsimp(logcombine(lhs - rhs, force=False))))


def _exp_multipliers(lhs, rhs, positive: bool) -> list:
    """Real factors m != 0 (m > 0 if positive) to scale both sides by before exponentiating.

    Candidates: 1 and the denominator of together(lhs - rhs) (e.g. k or 2k for log(...)/k).
    """
    out = [S.One]
    _, den = sympy.fraction(together(lhs - rhs))
    for m in (den, *Mul.make_args(den)):
        if m not in out and m.is_real and (m.is_positive if positive else m.is_nonzero):
            out.append(m)
    return out


def _exp_of(e: sympy.Expr) -> sympy.Expr:
    """exp(e) with exp(a + b) = exp(a)exp(b) and exp(c log A) = A**c applied (both identities)."""
    return expand(exp(expand(e)))


def _eq_exp_compare(lhs, rhs) -> bool:
    """For real a, b and real m != 0: a == b  <=>  exp(m a) == exp(m b); compare the latter by expand."""
    if not (lhs.has(log) or rhs.has(log)) or not (lhs.is_real and rhs.is_real):  # the structural test first
        return False
    # expand for every multiplier before the dearer cancel for any: the same answer, and a claim
    # that expand proves at the second multiplier does not pay for cancel at the first
    # (a SymPy failure at one multiplier ends the search there, as it did when each multiplier
    # had both tests in turn: the earlier multipliers still get their cancel)
    diffs = []
    try:
        for m in _exp_multipliers(lhs, rhs, positive=False):
            diff = _exp_of(m * lhs) - _exp_of(m * rhs)
            if _is_zero(expand(diff)):
                return True
            diffs.append(diff)
    except Exception:
        if any(_is_zero(cancel(together(diff))) for diff in diffs):
            return True
        raise
    return any(_is_zero(cancel(together(diff))) for diff in diffs)


def _eq_exp_compare_powsimp(lhs, rhs) -> bool:
    """As exp-compare, but compare with expand(powsimp(.)) (combines exp(a)*exp(b) products first)."""
    if not (lhs.has(log) or rhs.has(log)) or not (lhs.is_real and rhs.is_real):  # the structural test first
        return False
    for m in _exp_multipliers(lhs, rhs, positive=False):
        diff = exp(expand(m * lhs)) - exp(expand(m * rhs))
        if _is_zero(expand(powsimp(diff))) or _is_zero(expand(powsimp(expand(diff)))):
            return True
    return False


# The cheap, case-free methods, in the order tried.
_EQUALITY_METHODS: list[tuple[str, Callable]] = [
    ("identical", _eq_identical),
    ("expand", _eq_expand),
    ("cancel", _eq_cancel),
    ("expand_log + expand", _eq_expand_log),
    ("logcombine + powsimp", _eq_logcombine),
    ("exp-compare + expand", _eq_exp_compare),
    ("exp-compare + powsimp", _eq_exp_compare_powsimp),
]


# -- memoised within a process: the same SymPy call for several steps or instances --------------
# A Generalise step's instances, the ordering cases of a limit and the steps of a derivation
# repeat the same limits and identities, up to the numbering of the Dummies each call makes (a
# fresh k, fresh case parameters). The key renames the Dummies in order of their indices to
# fixed negative indices (never a real Dummy's: SymPy counts upwards from a positive start), so
# equal calls share one entry; the call itself runs on that canonical form and its answer is
# renamed back, so the answer does not depend on which step asked first.

_MEMO_SIZE = 2048


class _Memo:
    """A bounded memo of one pure function of SymPy expressions (no side effects, no time
    dependence: a call that raises, a timeout included, is not stored)."""

    def __init__(self, function: Callable):
        self.function = function
        self.entries: dict = {}

    def __call__(self, *args):
        dummies = sorted(set().union(*(a.atoms(Dummy) for a in args if isinstance(a, sympy.Basic))),
                         key=lambda d: d.dummy_index)
        rename = {d: Dummy(d.name, dummy_index=i - len(dummies), **d.assumptions0) for i, d in enumerate(dummies)}
        key = tuple(a.xreplace(rename) if isinstance(a, sympy.Basic) and rename else a for a in args)
        if key in self.entries:
            value = self.entries[key]
        else:
            value = self.function(*key)
            if len(self.entries) >= _MEMO_SIZE:
                self.entries.pop(next(iter(self.entries)))
            self.entries[key] = value
        if rename and isinstance(value, sympy.Basic):
            value = value.xreplace({v: d for d, v in rename.items()})
        return value


def _memoised(function: Callable) -> Callable:
    memo = _Memo(function)
    memo.__doc__, memo.__name__ = function.__doc__, function.__name__
    return memo


def _undefined(e: sympy.Basic) -> bool:
    """nan/zoo inside: nan == nan structurally, but such a claim is not an identity."""
    return e.has(S.NaN, sympy.zoo)


@_memoised
def _cheap_equal(lhs, rhs) -> str | None:
    """Name of the first cheap equality method that succeeds."""
    if _undefined(lhs) or _undefined(rhs):
        return None
    for name, method in _EQUALITY_METHODS:
        if _try(lambda: method(lhs, rhs)):
            return name
    return None


def _atom_names(atoms) -> str:
    names = []
    for a in atoms:
        n = type(a).__name__
        if n not in names:
            names.append(n)
    return ", ".join(names)


def _case_split(exprs: tuple, conds: Conds, leaf: Callable[[tuple, Conds], str | None],
                last_resort: Callable[[tuple, Conds], str | None] | None = None,
                failed: list | None = None) -> str | None:
    """Prove `leaf` in every feasible case of the case atoms; name 'case split on A, B: m1, m2'.

    ``last_resort`` (an expensive method) is tried on a case only when `leaf` fails there, and the
    split stops at the first case it cannot prove either; that case is then appended to ``failed``."""
    if _innermost_case_atom(exprs) is None:
        return None
    atoms, methods = [], []
    try:
        for n, (case_exprs, case_conds, split) in enumerate(_split_cases(exprs, conds)):
            if n >= _MAX_LEAVES:
                return None
            name = leaf(case_exprs, case_conds)
            if name is None:
                name = leaf(_realize(case_exprs, case_conds), case_conds)
            if name is None and last_resort is not None:
                name = last_resort(case_exprs, case_conds)
                if name is None and failed is not None:
                    failed.append(case_exprs)
            if name is None:
                return None
            atoms += split
            if name not in methods:
                methods.append(name)
    except Exception:   # _CannotSplit, or a failing SymPy call inside a case
        return None
    if not methods:   # every case infeasible: the domain is empty; refuse vacuous proofs
        return None
    return f"case split on {_atom_names(atoms)}: {', '.join(methods)}"


def _eq_simplify(lhs, rhs) -> bool:
    """simplify(lhs - rhs) == 0 (expensive; last resort)."""
    return _is_zero(sympy.simplify(lhs - rhs))


def prove_equal(lhs: sympy.Expr, rhs: sympy.Expr, constraints: tuple = ()) -> str | None:
    """Return the name of the method that proved lhs == rhs for every value of the free symbols allowed by
    their SymPy assumptions and by `constraints`; None when no method succeeded (which is NOT a disproof).

    Order: cheap identities (table _EQUALITY_METHODS), case split on Abs/Max/Min/sign/Heaviside/Piecewise
    with the cheap identities in each case, then simplify. Equality and finite-set constraints are
    eliminated first (``_in_every_case``).
    """
    found = _eliminated_cases(constraints)
    if found is not None:
        return _in_every_case(lambda m, c: prove_equal(_sub(lhs, m), _sub(rhs, m), c), constraints, found)
    prepared = _prepare((lhs, rhs), constraints)
    if prepared is None:
        return None
    (lhs, rhs), conds = prepared
    if _undefined(lhs) or _undefined(rhs):
        return None
    name = _cheap_equal(lhs, rhs)
    if name is not None:
        return name
    name = _case_split((lhs, rhs), conds, lambda e, c: _cheap_equal(*e))
    if name is not None:
        return name
    if _try(lambda: _eq_simplify(lhs, rhs)):
        return "simplify"
    return None


# --------------------------------------------------------------------------
# Equality and finite-set constraints: the claim proved in every case
# --------------------------------------------------------------------------

def _sub(e, mapping: dict):
    return sympy.sympify(e).xreplace(mapping) if mapping else sympy.sympify(e)


def _eliminated_cases(constraints: Sequence) -> tuple | None:
    """The cases of an equality or finite-set domain (``constraints.cases``), or None when the
    constraints have neither. Where they cannot be eliminated (too many cases, an equality not
    solvable for a symbol), the one case of the larger domain without them: a proof there holds
    on the smaller domain too."""
    constraints = tuple(sympy.sympify(c) for c in constraints)
    try:
        return cases(constraints)
    except (ConstraintError, TooManyCases):
        return (Case((), tuple(c for c in constraints if not is_eliminated(c))),)


def _in_every_case(prove_case: Callable[[dict, Conds], str | None], constraints: Sequence, found: tuple) -> str | None:
    """``prove_case(substitution, constraints left)`` in every case; the methods named after the
    cases ("with y3 = 1 - y1 - y2: expand", "with y in {0, 1} (2 cases): expand"), None when a
    case is not proved or there is no case at all (an empty domain: no vacuous proof)."""
    if not found:
        return None
    methods = []
    for case in found:
        name = prove_case(case.mapping, case.constraints)
        if name is None:
            return None
        if name not in methods:
            methods.append(name)
    if not any(case.substitution for case in found):
        return ", ".join(methods)
    return f"with {summary(tuple(sympy.sympify(c) for c in constraints), found)}: {', '.join(methods)}"


# --------------------------------------------------------------------------
# Hints: the one SymPy method a step names (by="trigsimp")
# --------------------------------------------------------------------------

def _rewritten(target):
    """e.rewrite(target), then the cheap exact forms, then simplify (rewrite is an identity)."""
    def method(e):
        e = e.rewrite(target)
        for tidy in (expand, lambda t: cancel(together(t)), lambda t: expand(powsimp(t))):
            done = tidy(e)
            if _is_zero(done):
                return done
        return sympy.simplify(e)
    return method


# name -> e |-> an expression equal to e on the domain (an identity, or one valid under the
# symbols' assumptions, which carry the domain's sign facts); no force=True, no numeric method
HINTS: dict[str, Callable] = {
    "simplify": sympy.simplify,
    "trigsimp": sympy.trigsimp,
    "exptrigsimp": sympy.exptrigsimp,
    "fu": sympy.fu,
    "expand_trig": lambda e: expand(sympy.expand_trig(e)),
    "rewrite(exp)": _rewritten(exp),
    "rewrite(cos)": _rewritten(sympy.cos),
    "rewrite(sin)": _rewritten(sympy.sin),
    "rewrite(tanh)": _rewritten(sympy.tanh),
    "rewrite(log)": _rewritten(log),
    "rewrite(erf)": _rewritten(sympy.erf),  # erfc, erfi as erf: the GELU forms
    "cancel": lambda e: cancel(together(e)),
    "factor": sympy.factor,
    "expand": expand,
    "together": together,
    "powsimp": lambda e: expand(powsimp(e)),
    "powdenest": lambda e: expand(sympy.powdenest(e, force=False)),
    "logcombine": lambda e: expand(logcombine(e, force=False)),
    "expand_log": lambda e: expand(expand_log(e, force=False)),
    "radsimp": sympy.radsimp,
    "ratsimp": sympy.ratsimp,
}  # not nsimplify: it guesses numbers from floats, which proves nothing


def hint_problem(hint: object) -> str | None:
    """Why ``hint`` names no method of ``HINTS``, or None.

    >>> print(hint_problem("trigsimp"))
    None
    >>> print(hint_problem("trigsimplify"))  # doctest: +ELLIPSIS
    by='trigsimplify' names no proof method; choose one of: cancel, expand, ...
    """
    if isinstance(hint, str) and hint in HINTS:
        return None
    return f"by={hint!r} names no proof method; choose one of: {', '.join(sorted(HINTS))}"


def _hinted(hint: str, e: sympy.Expr) -> sympy.Expr:
    return HINTS[hint](e)


def prove_equal_by(hint: str, lhs: sympy.Expr, rhs: sympy.Expr, constraints: tuple = ()) -> str | None:
    """"<hint> (hint)" when the hinted method turns lhs - rhs into an exact 0 on the domain (in
    every case of an equality or finite-set domain), else None (not a disproof)."""
    found = _eliminated_cases(constraints)
    if found is not None:
        return _in_every_case(lambda m, c: prove_equal_by(hint, _sub(lhs, m), _sub(rhs, m), c), constraints, found)
    prepared = _prepare((lhs, rhs), constraints)
    if prepared is None:
        return None
    (lhs, rhs), conds = prepared
    if _undefined(lhs) or _undefined(rhs):
        return None

    def hinted_zero(difference) -> bool:
        try:
            rewritten = _hinted(hint, difference)
        except Exception:  # SymPy raising is "not proved"
            return False
        return _is_zero(rewritten) or bool(_try(lambda: _is_zero(expand(rewritten))))

    if hinted_zero(lhs - rhs):
        return f"{hint} (hint)"
    # a Piecewise/Abs/Max the method cannot see through: the same method in each case of the split
    return _case_split((lhs, rhs), conds,
                       lambda e, c: _cheap_equal(*e) or (f"{hint} (hint)" if hinted_zero(e[0] - e[1]) else None))


def prove_nonnegative_by(hint: str, expr: sympy.Expr, constraints: tuple = ()) -> str | None:
    """"<hint> (hint) + <method>" when the hinted method turns expr into one the cheap
    nonnegativity methods prove >= 0 on the domain, else None (not a disproof)."""
    found = _eliminated_cases(constraints)
    if found is not None:
        return _in_every_case(lambda m, c: prove_nonnegative_by(hint, _sub(expr, m), c), constraints, found)
    prepared = _prepare((expr,), constraints)
    if prepared is None:
        return None
    (expr,), _ = prepared
    if _undefined(expr):
        return None
    try:
        rewritten = _hinted(hint, expr)
    except Exception:
        return None
    if _undefined(rewritten):
        return None
    name = _cheap_nonnegative(rewritten)
    return f"{hint} (hint) + {name}" if name else None


# --------------------------------------------------------------------------
# Nonnegativity methods: each takes expr and returns True only on a proof
# --------------------------------------------------------------------------

def _nn_assumptions(e) -> bool:
    """SymPy's assumption system says e >= 0 (e.g. log(1 + exp(x)) since 1 + exp(x) >= 1)."""
    return e.is_nonnegative is True


def _nn_sum_of_nonnegative(e) -> bool:
    """Every term of expand(e) is nonnegative."""
    return all(t.is_nonnegative is True for t in Add.make_args(expand(e)))


def _split_signed_terms(e) -> tuple:
    """e = P - N with P the terms of positive numeric coefficient, N the negated others."""
    pos, neg = [], []
    for t in Add.make_args(e):
        (pos if t.as_coeff_Mul()[0] > 0 else neg).append(t)
    return Add(*pos), -Add(*neg)


def _exp_compare(e, holds: Callable) -> bool:
    """For real P, N and m > 0: P - N >= 0 <=> exp(m P) - exp(m N) >= 0, and the same with > (exp
    is strictly increasing): ``holds`` of the difference of exponentials (e's logs gone) decides."""
    if not e.has(log):
        return False
    p, n = _split_signed_terms(expand_mul(e))
    if not (p.is_real and n.is_real):
        return False
    return any(holds(expand(_exp_of(m * p) - _exp_of(m * n))) for m in _exp_multipliers(p, n, positive=True))


def _nn_exp_compare(e) -> bool:
    """P - N >= 0 as exp(m P) - exp(m N) >= 0 (``_exp_compare``)."""
    return _exp_compare(e, lambda diff: _nn_assumptions(diff) or _nn_sum_of_nonnegative(diff))


_NONNEGATIVE_METHODS: list[tuple[str, Callable]] = [
    ("assumptions", _nn_assumptions),
    ("sum of nonnegative terms", _nn_sum_of_nonnegative),
    ("exp-compare", _nn_exp_compare),
]


def _first_method(methods: list, e) -> str | None:
    """The name of the first of ``methods`` (name, method) that proves its claim about e."""
    return next((name for name, method in methods if _try(lambda: method(e))), None)


def _cheap_nonnegative(e) -> str | None:
    return _first_method(_NONNEGATIVE_METHODS, e)


def prove_nonnegative(expr: sympy.Expr, constraints: tuple = (), last_resort: bool = True) -> str | None:
    """Prove expr >= 0 for every allowed value; method name or None.

    Order: table _NONNEGATIVE_METHODS, case split with those methods per case (and simplify +
    assumptions on the first case they cannot prove), simplify + assumptions on the whole
    expression when it has no cases. ``last_resort=False`` leaves simplify out (the caller
    holds a certified counterexample, which simplify could only dispute).
    """
    found = _eliminated_cases(constraints)
    if found is not None:
        return _in_every_case(lambda m, c: prove_nonnegative(_sub(expr, m), c, last_resort), constraints, found)
    prepared = _prepare((expr,), constraints)
    if prepared is None:
        return None
    (expr,), conds = prepared
    name = _cheap_nonnegative(expr)
    if name is not None:
        return name
    # a linear gap over a linear domain (y1 <= 1 on the simplex y1 + y2 + y3 = 1): expr < 0
    # together with the constraints has no real solution
    if conds and _linear_form(expr) is not None and _try(lambda: _infeasible(conds + (expr < 0,))):
        return "linear arithmetic (Fourier-Motzkin)"
    # simplify is the last resort: where the expression splits into cases, it is tried on the first
    # case the cheap methods cannot prove (an expression without Max, Abs, ... in it, smaller than
    # the whole, on which SymPy's assumptions have a chance), and a case it cannot prove either
    # ends the attempt; only an expression with no cases is simplified whole
    failed: list = []
    name = _case_split((expr,), conds, lambda e, c: _cheap_nonnegative(e[0]),
                       last_resort=(lambda e, c: _simplified_nonnegative(e[0])) if last_resort else None, failed=failed)
    if name is not None or failed or not last_resort:
        return name
    return _simplified_nonnegative(expr)


# --------------------------------------------------------------------------
# Strict positivity (a strict Bound): each method returns True only on a proof of expr > 0
# --------------------------------------------------------------------------

def _pos_assumptions(e) -> bool:
    """SymPy's assumption system says e > 0 (e.g. exp(x), or 1 + x**2)."""
    return e.is_positive is True


def _pos_sum(e) -> bool:
    """Every term of expand(e) is nonnegative and one of them positive."""
    terms = Add.make_args(expand(e))
    return all(t.is_nonnegative is True for t in terms) and any(t.is_positive is True for t in terms)


def _pos_together(e) -> bool:
    """together(e), one fraction (1 - 1/(1 + e^-x) = e^-x/(1 + e^-x)), is positive by assumptions."""
    fraction = sympy.together(e)
    return fraction.is_positive is True or sympy.cancel(fraction).is_positive is True


def _pos_exp_compare(e) -> bool:
    """P - N > 0 as exp(m P) - exp(m N) > 0 (``_exp_compare``)."""
    return _exp_compare(e, lambda diff: _pos_assumptions(diff) or _pos_sum(diff) or _pos_together(diff))


_POSITIVE_METHODS: list[tuple[str, Callable]] = [
    ("assumptions (> 0)", _pos_assumptions),
    ("sum of nonnegative terms, one positive", _pos_sum),
    ("together + assumptions (> 0)", _pos_together),
    ("exp-compare (> 0)", _pos_exp_compare),
]


def _cheap_positive(e) -> str | None:
    return _first_method(_POSITIVE_METHODS, e)


def prove_positive(expr: sympy.Expr, constraints: tuple = ()) -> str | None:
    """Prove expr > 0 for every allowed value, its exceptional points included (each case of a
    split is proved strictly, the boundary cases too); method name or None (not a disproof).

    >>> x = sympy.Symbol("x", real=True)
    >>> prove_positive(sympy.exp(x)), prove_positive(x**2)
    ('assumptions (> 0)', None)
    """
    found = _eliminated_cases(constraints)
    if found is not None:
        return _in_every_case(lambda m, c: prove_positive(_sub(expr, m), c), constraints, found)
    prepared = _prepare((expr,), constraints)
    if prepared is None:
        return None
    (expr,), conds = prepared
    if _undefined(expr):
        return None
    name = _cheap_positive(expr)
    if name is not None:
        return name
    return _case_split((expr,), conds, lambda e, c: _cheap_positive(e[0]))


def _simplified_nonnegative(expr) -> str | None:
    if _try(lambda: _nn_assumptions(sympy.simplify(expr))):
        return "simplify + assumptions"
    return None


# --------------------------------------------------------------------------
# Limit methods (k -> +oo): each returns the limit value it proved, or None
# --------------------------------------------------------------------------

def _lim_free(expr, k, conds):
    """An expression free of k is its own limit."""
    return expr if not expr.has(k) else None


def _log_sum_exp_term(term, k):
    """c * Max(a_i) if term == (c/k) * log(sum_i c_i exp(k a_i + b_i)) with c_i exp(b_i) > 0, a_i real, all free of k.

    Rule: log(sum c_i e^{k a_i}) = k M + log(sum c_i e^{k (a_i - M)}) with M = max a_i, and the
    last log is bounded for k >= 0, so (1/k) log(...) -> M.
    """
    logs = [f for f in Mul.make_args(term) if isinstance(f, log) and f.has(k)]
    if len(logs) != 1:
        return None
    c = cancel(term / logs[0] * k)
    if c.has(k) or not c.is_real:
        return None
    slopes = []
    for t in Add.make_args(expand_mul(logs[0].args[0])):
        coeff, rest = t.as_independent(k, as_Add=False)
        if rest == 1:
            a, b = S.Zero, S.Zero
        elif isinstance(rest, exp):
            exponent = expand(rest.args[0])
            a = exponent.coeff(k, 1)
            b = expand(exponent - a * k)
            if a.has(k) or b.has(k):
                return None
        else:
            return None
        if not ((coeff * exp(b)).is_positive and a.is_real):
            return None
        slopes.append(a)
    return c * Max(*slopes)


def _lim_log_sum_exp(expr, k, conds):
    """Sum over terms: k-free terms stay, (c/k) log(sum c_i exp(k a_i)) -> c Max(a_i)."""
    total = S.Zero
    for term in Add.make_args(expand_mul(expr)):
        if not term.has(k):
            total += term
            continue
        value = _log_sum_exp_term(term, k)
        if value is None:
            return None
        total += value
    return total


@_memoised
def _sympy_limit(expr, k):
    """sympy.limit, accepted only if it is a finite, k-free, fully evaluated value that Gruntz's
    algorithm, asked directly, does not contradict: sympy.limit's own shortcuts before it can be
    wrong where gruntz is right (lim (ln(k + 1)/ln k)^(k ln k) is 1 by sympy.limit, e by gruntz)."""
    value = sympy.limit(expr, k, oo)
    if (value.has(k) or value.has(sympy.Limit) or value.has(sympy.AccumBounds)
            or value.has(S.NaN) or value.has(oo, -oo, sympy.zoo)):
        return None
    if _flattened_divergence(expr, k):
        return None
    try:
        second = gruntz(expr, k, oo)
    except Exception:  # noqa: BLE001 (gruntz cannot do it: sympy.limit's value stands alone, as before)
        return value
    if second == value or _is_zero(sympy.simplify(second - value)):
        return value
    # the two disagree, so one of them is wrong (gruntz says -oo for a GELU remainder whose limit
    # is -sqrt(2)/(12 sqrt(pi))): sympy.limit's value stands only where the expression's own
    # values at large k agree with it and not with gruntz's; else no proof
    if _near_at_large_k(expr, k, value) and not _near_at_large_k(expr, k, second):
        return value
    return None


_LARGE_KS = (Float(10**16, 30), Float(10**32, 30))


@lru_cache(maxsize=1024)
def written_digits(*exprs) -> int:
    """The number of decimal digits of the largest number written in ``exprs`` (a numerator or a
    denominator beyond 10^12), 0 if none: the scale a claim names for its limit variable
    (k/(k + 10^300) turns at k ~ 10^300, 1 - e^(-k/10^70) at 10^70)."""
    sizes = [max(abs(int(r.p)), int(r.q)) for e in exprs for r in sympy.sympify(e).atoms(Rational)]
    return max((len(str(v)) for v in sizes if v > 10**12), default=0)


def _large_ks(expr) -> tuple:
    """_LARGE_KS, times 10^d past the largest number written in expr (``written_digits``):
    k + 10^60 is 10^60 at both k = 10^16 and 10^32, which looks settled, though it diverges."""
    digits = written_digits(expr)
    return (Float(10**16 * 10**digits, 30), Float(10**32 * 10**digits, 30)) if digits else _LARGE_KS
# functions whose value hardly moves once their argument is large: a wrong infinite limit of the
# argument is invisible in their value, at any precision the numeric check can afford
_FLATTENING = (sympy.atan, sympy.acot, sympy.tanh, sympy.coth, sympy.erf, sympy.erfc, sympy.exp)
_SETTLED = Rational(1, 10**12)  # a relative change from k = 10^16 to 10^32 below this: not diverging


def _flattened_divergence(expr, k) -> bool:
    """Whether sympy.limit's answer may rest on a wrong infinite limit inside a function that
    flattens it (a guard, not a proof): sympy.limit says (k + 1)^(k + 1)/k^k - e k -> oo (it
    tends to e/2), so atan(10^100 ((k + 1)^(k + 1)/k^k - e k)) -> pi/2, and the numbers, within
    10^-100 of pi/2, cannot tell. True where an argument of atan, tanh, erf, exp, ... (or the
    base of a negative power) tends to +-oo by sympy.limit, yet its values at k = 10^16 and 10^32
    (the other symbols at fixed samples) agree to 12 digits: it has settled, not diverged."""
    arguments = [node.args[0] for node in expr.atoms(*_FLATTENING)]
    arguments += [node.base for node in expr.atoms(sympy.Pow) if node.exp.is_number and node.exp.is_negative]
    for argument in dict.fromkeys(a for a in arguments if a.has(k) and not a.is_Symbol):
        try:
            inner = sympy.limit(argument, k, oo)
        except Exception:  # noqa: BLE001 (no inner limit: nothing to doubt)
            continue
        if inner not in (oo, -oo):
            continue
        params = sorted(argument.free_symbols - {k}, key=str)
        sample = {p: _SAMPLES[i % len(_SAMPLES)] for i, p in enumerate(params)}
        near, far = (argument.evalf(30, subs={**sample, k: at}) for at in _large_ks(argument))
        if not (near.is_real and far.is_real and near.is_finite and far.is_finite) or far == 0:
            continue
        if abs(far - near) <= _SETTLED * abs(far):
            return True
    return False


def _near_at_large_k(expr, k, value) -> bool:
    """Whether expr at k = 10^16 and 10^32 (30 digits, the other symbols at fixed samples) is
    within 1% of ``value`` (an infinite value: beyond 10^3 in its sign). A guard choosing between
    two symbolic answers, not a proof."""
    params = sorted((expr.free_symbols | sympy.sympify(value).free_symbols) - {k}, key=str)
    sample = {p: _SAMPLES[i % len(_SAMPLES)] for i, p in enumerate(params)}
    for at in _large_ks(expr):
        got = expr.evalf(30, subs={**sample, k: at})
        if not got.is_real or not got.is_finite:
            return False
        if value in (oo, -oo):
            if not abs(got) > 1000 or (got > 0) != (value is oo):
                return False
            continue
        limit_value = sympy.sympify(value).evalf(30, subs=sample)
        if not limit_value.is_real or abs(got - limit_value) > _SPOT_TOL * (1 + abs(limit_value)):
            return False
    return True


def _weak_orderings(items: list) -> Iterator[list]:
    """All ordered set partitions of items (blocks listed from smallest to largest)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for ordering in _weak_orderings(rest):
        for i in range(len(ordering)):          # join an existing block
            yield ordering[:i] + [ordering[i] + [first]] + ordering[i + 1:]
        for i in range(len(ordering) + 1):      # or form a new block
            yield ordering[:i] + [[first]] + ordering[i:]


def _ordering_case(blocks: list) -> tuple[dict, Conds, dict]:
    """Substitution realizing a weak ordering of symbols and 0 by sums of positive dummies, its conditions,
    and the inverse map (each new dummy as a difference of the symbols, used to name exceptional sets)."""
    zero = next(i for i, b in enumerate(blocks) if S.Zero in b)
    value = {zero: S.Zero}
    inverse = {}
    for i in range(zero + 1, len(blocks)):
        p = Dummy("p", positive=True)
        value[i] = value[i - 1] + p
        inverse[p] = blocks[i][0] - blocks[i - 1][0]
    for i in range(zero - 1, -1, -1):
        n = Dummy("n", positive=True)
        value[i] = value[i + 1] - n
        inverse[n] = blocks[i + 1][0] - blocks[i][0]
    subs = {s: value[i] for i, b in enumerate(blocks) for s in b if s != 0}
    conds = []
    for i, b in enumerate(blocks):
        conds += [Eq(b[0], s) for s in b[1:]]
        if i + 1 < len(blocks):
            conds.append(b[0] < blocks[i + 1][0])
    return subs, tuple(conds), inverse


def _spot_check(expr, k, value) -> bool:
    """Heuristic guard, not a proof: expr at k = 10^4 is close to value at two sample points.

    Why: sympy.limit silently assumes orderings it cannot know, e.g. it returns 2*s for
    lim log(exp(k(1+s)) + exp(2ks))/k with s > 0 (wrong for s < 1).  All free symbols here
    are positive case dummies, so any positive sample is allowed.
    """
    params = sorted((expr.free_symbols | value.free_symbols) - {k}, key=str)
    if not params:
        # nothing to assume about: the guard would only reject slow limits (1/ln k is 0.11 at
        # k = 10^4); the step's numeric check, followed to k = 10^64, must still agree
        return True
    for shift in (0, 1):
        sample = {p: _SAMPLES[(i + shift) % len(_SAMPLES)] for i, p in enumerate(params)}
        # evalf(subs=...) evaluates numerically: exact substitution would build huge rationals
        at_k = expr.evalf(30, subs={**sample, k: _SPOT_K})
        limit_value = value.evalf(30, subs=sample)
        if not (at_k.is_real and limit_value.is_real):
            return False
        if abs(at_k - limit_value) > _SPOT_TOL * (1 + abs(limit_value)):
            return False
    return True


_SAMPLES = tuple(Float(v, 30) for v in ("0.43", "1.3", "2.5", "0.2"))
_SPOT_K = Float(10**4, 30)
_SPOT_TOL = Rational(1, 100)


# --------------------------------------------------------------------------
# Exceptional sets of a limit: where the generic answer of sympy.limit may change
# --------------------------------------------------------------------------
# sympy.limit answers for a *generic* value of the other symbols: lim 1/(1 + k(x - sqrt(2))^2) = 0,
# although it is 1 at x = sqrt(2).  A limit is a piecewise function of the other symbols, and its
# pieces change only where a "critical expression" (a k-free coefficient that decides which term
# dominates) vanishes or changes sign.  So, in every ordering case, each critical expression must
# have a sign SymPy knows (>= 0 or <= 0 by assumptions), and its zero set is split off and proved
# separately; a critical expression of one symbol with unknown sign splits that symbol's range
# at its real roots into points and open intervals (each parametrized by a positive dummy).
# Anything that cannot be split this way refuses the proof.

_MAX_LIMIT_LEAVES = 40    # sympy.limit calls per proof (generic cases and exceptional points)
_MAX_SPLIT_DEPTH = 4      # nested exceptional splits


class _Refuse(Exception):
    """The limit cannot be split soundly: the proof is refused."""


class _LimitRun:
    """State of one prove_limit run: the budget of sympy.limit calls and the names of the splits made."""

    def __init__(self, inverse: dict):
        self.leaves = 0
        self.inverse = dict(inverse)   # dummy -> expression in the caller's symbols (for naming)
        self.notes: list[str] = []

    def spend(self):
        self.leaves += 1
        if self.leaves > _MAX_LIMIT_LEAVES:
            raise _Refuse("too many cases")

    def original(self, e: sympy.Basic) -> sympy.Basic:
        """e in the caller's symbols (dummies of the cases translated back, Dummies shown by name)."""
        for _ in range(2 * _MAX_SPLIT_DEPTH + 2):
            if not any(s in self.inverse for s in e.free_symbols):
                break
            e = e.xreplace(self.inverse)
        return e.xreplace({s: Symbol(s.name) for s in e.free_symbols if isinstance(s, Dummy)})

    def note(self, text: str):
        if text not in self.notes:
            self.notes.append(text)


def _monomials(e: sympy.Basic, k) -> dict:
    """e as a polynomial in its k-generators: {k-dependent monomial: k-free coefficient}."""
    e = expand(e, deep=False, power_exp=False, power_base=False, log=False)
    out: dict = {}
    for term in Add.make_args(e):
        coeff, dep = term.as_independent(k, as_Add=False)
        out[dep] = out.get(dep, S.Zero) + coeff
    return out


def _growth(monomial: sympy.Basic, k):
    """(exponential rate, k-free bases with their exponents, power of k) of a monomial in the k-generators.

    The rate is the sum of the exponents of exp factors and e*log(b) for factors b**e with b free of k.
    """
    rate, bases, power = S.Zero, [], S.Zero
    for f in Mul.make_args(monomial):
        b, e = f.as_base_exp()
        if isinstance(f, exp):
            rate += f.args[0]
        elif isinstance(f, sympy.Pow) and not b.has(k) and e.has(k):
            bases.append((b, e))
            rate += e * log(b)
        elif isinstance(f, sympy.Pow) and b.has(k) and not e.has(k):
            power += e
    return rate, bases, power


def _k_coefficients(e: sympy.Basic, k) -> list:
    """The k-free coefficients of e as a rational function of its k-generators (numerator and denominator)."""
    out = []
    num, den = e.as_numer_denom()
    for part in (num, den):
        if part.has(k):
            out += list(_monomials(part, k).values())
    return out


def _critical_exprs(expr: sympy.Basic, k) -> list:
    """k-free expressions whose zeros (and signs) may change lim_{k->oo} expr.  Over-collects on purpose.

    * for every sub-expression containing k: its coefficients as a polynomial/rational function of its
      k-generators (k, exp(..k..), b**(..k..), log(..k..), ...), e.g. (x - sqrt(2))**2 for k(x - sqrt(2))**2 + 1;
    * for every sum: the differences of the exponential rates of its monomials (which term dominates),
      for b1**e and b2**e with the same exponent b1 - b2 and b1 + b2 instead of the log form, and the
      differences of their powers of k;
    * for b**e with k in e and b free of k: b, b - 1, b + 1 (|b| against 1);
      for b**e with k in b and e free of k: e;
    * for Max/Min containing k: the differences of their arguments.
    A relational containing k (a Piecewise condition) cannot be split: refused.
    """
    out: list = []
    for node in sympy.preorder_traversal(expr):
        if not node.has(k) or node == k:
            continue
        if isinstance(node, (Relational, sympy.logic.boolalg.Boolean)) and not isinstance(node, sympy.Expr):
            raise _Refuse(node)
        if isinstance(node, (Add, Mul, sympy.Pow)):
            out += _k_coefficients(node, k)
        if isinstance(node, sympy.Pow):
            b, e = node.args
            if e.has(k) and not b.has(k):
                out += [b, b - 1, b + 1]
            elif b.has(k) and not e.has(k) and not e.is_Integer:
                out.append(e)
        if isinstance(node, (Max, Min)):
            for a, b in itertools.combinations(node.args, 2):
                out += _k_coefficients(a - b, k) if (a - b).has(k) else [a - b]
        if isinstance(node, Piecewise):
            for _, cond in node.args:
                out += [r.lhs - r.rhs for r in cond.atoms(Relational)]
        if isinstance(node, Add):
            grow = [_growth(dep, k) for dep in _monomials(node, k) if dep != 1]
            for (r1, b1, p1), (r2, b2, p2) in itertools.combinations(grow, 2):
                out.append(p1 - p2)
                if len(b1) == len(b2) == 1 and b1[0][1] == b2[0][1] and (r1 - b1[0][1] * log(b1[0][0])) == (
                        r2 - b2[0][1] * log(b2[0][0])):
                    out += [b1[0][0] - b2[0][0], b1[0][0] + b2[0][0]]
                elif r1 != r2:
                    d = expand(r1 - r2)
                    out += _k_coefficients(d, k) if d.has(k) else [d]
    seen, unique = set(), []
    for c in out:
        c = sympy.sympify(c)
        if c.has(k):
            continue
        if c not in seen:
            seen.add(c)
            unique.append(c)
    return unique


def _forms(c: sympy.Expr) -> Iterator[sympy.Expr]:
    """c itself and equal rewritings of it on which SymPy's assumptions see more (factored forms)."""
    yield c
    t = together(c)
    yield t
    f = sympy.factor(t)
    yield f
    algebraic = [a for a in c.atoms(sympy.Pow) if a.is_number and a.exp.is_Rational and a.base.is_Rational]
    if algebraic:
        yield sympy.factor(t, extension=algebraic)


def _known(c: sympy.Expr, test: str) -> bool:
    """Some form of c has the property (e.g. 'is_nonzero') by SymPy's assumptions."""
    try:
        return any(getattr(f, test) is True for f in _forms(c))
    except Exception:
        return False


def _sign_known(c: sympy.Expr) -> bool:
    """c >= 0 or c <= 0 on the whole case (its zeros are split off separately)."""
    return _known(c, "is_nonnegative") or _known(c, "is_nonpositive")


def _zero_factors(c: sympy.Expr) -> list:
    """The factors of the numerator and denominator of c that may vanish (zeros and poles of c)."""
    num, den = sympy.fraction(together(c))
    out = []
    for part in (num, den):
        if not part.free_symbols:
            if part.is_zero is True or part.is_nonzero is True:
                continue
            raise _Refuse(part)      # a number SymPy cannot decide
        algebraic = [a for a in part.atoms(sympy.Pow) if a.is_number and a.exp.is_Rational and a.base.is_Rational]
        try:
            _, factors = sympy.factor_list(part, extension=algebraic) if algebraic else sympy.factor_list(part)
        except Exception:
            factors = [(part, 1)]
        for f, _ in factors:
            if f.free_symbols and not _known(f, "is_nonzero") and f not in out:
                out.append(f)
    return out


def _allowed(value: sympy.Expr, t: Symbol) -> bool | None:
    """Whether value satisfies the sign assumptions of the case dummy t (True, False, or None: unknown)."""
    checks = [value.is_real]
    if t.is_positive:
        checks.append(value.is_positive)
    elif t.is_negative:
        checks.append(value.is_negative)
    elif t.is_nonnegative:
        checks.append(value.is_nonnegative)
    if any(c is False for c in checks):
        return False
    return True if all(c is True for c in checks) else None


def _real_roots(f: sympy.Expr, t: Symbol) -> list:
    """The real zeros of f (one symbol t) allowed by t's assumptions, sorted; _Refuse unless they are explicit."""
    r = Dummy("r", real=True)
    sols = sympy.solveset(f.xreplace({t: r}), r, S.Reals)
    if not isinstance(sols, sympy.FiniteSet):
        raise _Refuse(f)
    roots = []
    for v in sols:
        if not (v.is_number and v.is_real is True):
            raise _Refuse(f)
        ok = _allowed(v, t)
        if ok is None:
            raise _Refuse(f)
        if ok:
            roots.append(v)
    try:
        return sorted(roots, key=lambda v: Float(v.evalf(50), 50))
    except Exception:
        raise _Refuse(f) from None


def _solutions(f: sympy.Expr) -> tuple[Symbol, list]:
    """(t, g_i): f = 0 exactly when t = g_i for one of the g_i (f of several symbols); _Refuse if not shown.

    Only polynomials in t of degree 1 or 2 with a provably nonzero leading coefficient (and a
    discriminant of known sign) are solved: the formulas are then complete for every value.
    """
    for t in sorted(f.free_symbols, key=str):
        if not f.is_polynomial(t):
            continue
        poly = sympy.Poly(f, t)
        coeffs = poly.all_coeffs()
        if poly.degree() not in (1, 2) or not _known(coeffs[0], "is_nonzero"):
            continue
        if poly.degree() == 1:
            return t, [cancel(-coeffs[1] / coeffs[0])]
        a, b, c = coeffs
        disc = expand(b**2 - 4 * a * c)
        if _known(disc, "is_negative"):
            return t, []
        if _known(disc, "is_nonnegative"):
            return t, [(-b + s * sympy.sqrt(disc)) / (2 * a) for s in (1, -1)]
    raise _Refuse(f)


def _same_number(v: sympy.Expr, w: sympy.Expr) -> bool:
    """v == w shown exactly (structurally, by expand, or by simplify to 0)."""
    return v == w or _is_zero(expand(v - w)) or _try(lambda: _is_zero(sympy.simplify(v - w)))


def _covered(g: sympy.Expr, exceptional: list) -> bool:
    """The zero set of g lies inside the exceptional sets already split off (g | f, or its roots are known)."""
    if _known(g, "is_nonzero"):
        return True
    syms = g.free_symbols
    for f, t, sols in exceptional:
        try:
            if sympy.fraction(cancel(f / g))[1].free_symbols.isdisjoint(syms | f.free_symbols):
                return True
        except Exception:
            pass
    if len(syms) == 1:
        (t,) = syms
        try:
            roots = _real_roots(g, t)
        except _Refuse:
            return False
        known = [v for f, s, sols in exceptional if s == t and f.free_symbols == {t} for v in sols]
        return all(any(_same_number(v, w) for w in known) for v in roots)
    return False


def _generic_target(target: sympy.Basic, exceptional: list) -> sympy.Basic:
    """The target off the exceptional sets: Eq(a, b) is False (Ne True) where a - b cannot vanish there.

    Also rewrites the arguments of Heaviside/sign/Abs in factored form (the same value) so that
    their sign is seen by SymPy's assumptions, and drops dominated arguments of Max/Min.
    """
    def decide(rel):
        d = rel.lhs - rel.rhs
        num, den = sympy.fraction(together(d))
        try:
            factors = [f for f, _ in sympy.factor_list(num)[1]] if num.free_symbols else []
        except Exception:
            return rel
        if (num.is_nonzero or num.free_symbols) and all(_covered(f, exceptional) for f in factors):
            return S.false if isinstance(rel, Eq) else S.true
        return rel

    def refactor(atom):
        arg = atom.args[0]
        if not arg.free_symbols:
            return atom
        return atom.func(sympy.factor(together(arg)), *atom.args[1:])

    target = target.replace(lambda a: isinstance(a, (Eq, Ne)), decide)
    target = target.replace(lambda a: isinstance(a, (Heaviside, sign, Abs)), refactor)
    return target.replace(lambda a: isinstance(a, (Max, Min)), _dominated)


def _tidy(e: sympy.Basic, k) -> sympy.Basic:
    """e with each maximal k-free sub-expression (with symbols) in factored form: the same function,
    written so that SymPy's assumptions (and sympy.limit) see its sign, e.g. 1/(1 + q) - 1 -> -q/(q + 1)."""
    if not e.free_symbols:
        return e
    if not e.has(k):
        if not isinstance(e, sympy.Expr) or e.is_Atom:
            return e
        try:
            return sympy.factor(together(e))
        except Exception:
            return e
    if e.is_Atom or not e.args:
        return e
    return e.func(*[_tidy(a, k) for a in e.args])


def _dominated(atom: sympy.Basic) -> sympy.Basic:
    """Max/Min without the arguments another argument provably dominates (Max(a, b) = a when a - b >= 0)."""
    args = list(atom.args)
    test = "is_nonnegative" if isinstance(atom, Max) else "is_nonpositive"
    for a in list(args):
        if len(args) > 1 and any(b is not a and _known(b - a, test) for b in args):
            args.remove(a)
    return atom.func(*args) if len(args) < len(atom.args) else atom


def _outside(piece: sympy.Set, t: Symbol, conds: Conds) -> bool:
    """The piece of t's range lies outside some condition on t alone (polynomial, solved exactly)."""
    r = Dummy("r", real=True)
    for c in conds:
        if not isinstance(c, Relational) or isinstance(c, Ne) or c.free_symbols != {t}:
            continue
        if not (c.lhs - c.rhs).is_polynomial(t):
            continue
        try:
            allowed = sympy.solveset(c.xreplace({t: r}), r, S.Reals)
            if sympy.Intersection(allowed, piece) is S.EmptySet:
                return True
        except Exception:
            continue
    return False


def _limit_over(expr, k, target, conds, run: _LimitRun, depth: int) -> int:
    """Prove the limit in every feasible weak ordering of the symbols and 0; the number of cases proved.

    _Refuse when some case is not proved.
    """
    symbols = sorted((expr.free_symbols | target.free_symbols) - {k}, key=str)
    if not all(s.is_real for s in symbols) or len(symbols) > _MAX_ORDER_SYMBOLS:
        raise _Refuse(symbols)
    proved = 0
    for blocks in _weak_orderings(symbols + [S.Zero]):
        subs, case_conds, inverse = _ordering_case(blocks)
        if _infeasible(conds + case_conds):
            continue
        sub_conds = _true_conds(c.xreplace(subs) for c in conds)
        if sub_conds is None:
            continue
        run.inverse.update(inverse)
        proved += _limit_in_case(expr.xreplace(subs), k, target.xreplace(subs), sub_conds, run, depth)
    return proved


def _equation(lhs: sympy.Expr, rhs: sympy.Expr) -> str:
    """'lhs = rhs' for a note, with a leading minus sign moved to the right."""
    if lhs.could_extract_minus_sign():
        lhs, rhs = -lhs, -rhs
    return f"{lhs} = {rhs}"


def _limit_at(expr, k, target, conds, t, value, run, depth) -> int:
    """The limit on the sub-case t = value (t a case dummy): 0 when the sub-case is excluded."""
    ok = _allowed(value, t)
    if ok is False:
        return 0
    extra = () if ok else ((value > 0,) if t.is_positive else ())
    sub_conds = _true_conds(tuple(c.xreplace({t: value}) for c in conds) + extra)
    if sub_conds is None or _infeasible(sub_conds):
        return 0
    e, tg = _tidy(expr.xreplace({t: value}), k), target.xreplace({t: value})
    if t in e.free_symbols or t in tg.free_symbols:
        raise _Refuse(t)
    if not (e.free_symbols | tg.free_symbols) - {k}:
        return _limit_in_case(e, k, tg, sub_conds, run, depth + 1)
    return _limit_over(e, k, tg, sub_conds, run, depth + 1)


def _split_range(expr, k, target, conds, t, roots, run, depth) -> int:
    """Split the positive dummy t at its roots into points and open intervals, each parametrized by a new
    positive dummy q: (a, b) by a + (b - a)/(1 + q), (a, oo) by a + q, (0, b) by b/(1 + q)."""
    if not t.is_positive:
        raise _Refuse(t)
    proved = 0
    for r in roots:
        before = proved
        proved += _limit_at(expr, k, target, conds, t, r, run, depth)
        if proved > before:
            run.note(f"exceptional {_equation(run.original(t), run.original(r))}")
    edges = [S.Zero, *roots]
    for i, a in enumerate(edges):
        q = Dummy("q", positive=True)
        piece = sympy.Interval.open(a, edges[i + 1] if i + 1 < len(edges) else oo)
        if _outside(piece, t, conds):
            continue
        if i + 1 < len(edges):
            b = edges[i + 1]
            value = a + (b - a) / (1 + q)
            run.inverse[q] = (b - a) / (t - a) - 1
        else:
            value = a + q
            run.inverse[q] = t - a
        proved += _limit_at(expr, k, target, conds, t, value, run, depth)
    run.note(f"split at {', '.join(_equation(run.original(t), run.original(r)) for r in roots)}")
    return proved


def _limit_in_case(expr, k, target, conds, run: _LimitRun, depth: int) -> int:
    """Prove the limit in one ordering case (all free symbols positive dummies); the number of cases proved.

    Each critical expression needs a known sign; its zero set is split off (roots of one symbol,
    or solved for one symbol); a critical expression of one symbol with unknown sign splits the
    range of that symbol.  Then sympy.limit answers for the generic rest, checked against the
    target with the exceptional sets excluded.
    """
    if depth > _MAX_SPLIT_DEPTH:
        raise _Refuse("too deep")
    critical = _critical_exprs(expr, k)
    exceptional: list = []     # (factor, symbol, solutions) whose zero sets were split off
    for c in critical:
        zeros = _zero_factors(c)
        if not _sign_known(c):
            syms = c.free_symbols
            if len(syms) != 1:
                raise _Refuse(c)
            (t,) = syms
            roots = set()
            for c2 in critical:
                if c2.free_symbols == {t}:
                    for f in _zero_factors(c2):
                        roots |= set(_real_roots(f, t))
            roots = sorted(roots, key=lambda v: Float(v.evalf(50), 50))
            if not roots:
                raise _Refuse(c)       # unknown sign and nowhere to split: SymPy would have to guess
            return _split_range(expr, k, target, conds, t, roots, run, depth)
        for f in zeros:
            if any(f == g for g, _, _ in exceptional):
                continue
            if len(f.free_symbols) == 1:
                (t,) = f.free_symbols
                sols = _real_roots(f, t)
            else:
                t, sols = _solutions(f)
            exceptional.append((f, t, sols))
    proved = 0
    for f, t, sols in exceptional:
        for v in sols:
            n = _limit_at(expr, k, target, conds, t, v, run, depth)
            if n:
                run.note(f"exceptional {_equation(run.original(t), run.original(v))}")
            proved += n
    # the generic rest: every critical expression has a known sign and is nonzero
    run.spend()
    value = _sympy_limit(expr, k)
    if value is None or not _spot_check(expr, k, value):
        raise _Refuse(expr)
    generic = _generic_target(target, exceptional)
    if not (_cheap_equal(value, generic) or _case_split(
            (value, generic), (), lambda e, c: _cheap_equal(*e))):
        raise _Refuse(value)
    return proved + 1


def _limit_by_cases(expr, k, target, conds) -> str | None:
    """sympy.limit in every feasible case of a weak ordering of the symbols and 0, with the exceptional sets
    of the critical expressions split off; each value compared with the target.

    In each case every symbol is 0 or a signed sum of positive dummies, so sympy.limit sees
    all signs and orderings of the symbols; each value is also spot-checked numerically.
    """
    symbols = sorted((expr.free_symbols | target.free_symbols) - {k}, key=str)
    if not all(s.is_real for s in symbols) or len(symbols) > _MAX_ORDER_SYMBOLS:
        return None
    run = _LimitRun({})
    try:
        if _limit_over(expr, k, target, conds, run, 0) == 0:
            return None
    except _Refuse:
        return None
    notes = f"; {'; '.join(run.notes)}" if run.notes else ""
    if len(symbols) == 1:
        x = symbols[0].name
        return f"sympy.limit (cases {x}>0, {x}<0, {x}=0{notes})"
    if not symbols:
        return f"sympy.limit{' (' + notes[2:] + ')' if notes else ''}"
    return f"sympy.limit (ordering cases of {', '.join(s.name for s in symbols)}, 0{notes})"


def _lim_then_compare(method, expr, k, target, conds) -> str | None:
    """Compute the limit with a value-producing method and prove it equals the target."""
    value = method(expr, k, conds)
    if value is None:
        return None
    return prove_equal(value, target, conds)


_LIMIT_VALUE_METHODS: list[tuple[str, Callable]] = [
    ("free of k", _lim_free),
    ("log-sum-exp dominance", _lim_log_sum_exp),
]


def prove_limit(expr: sympy.Expr, k: sympy.Symbol, target: sympy.Expr, constraints: tuple = ()) -> str | None:
    """Prove lim_{k -> +oo} expr == target (target free of k) for every allowed value of the other symbols.

    Order: k-free; log-sum-exp dominance rule; sympy.limit per ordering case (signs and orderings
    of the symbols), each value spot-checked numerically because sympy.limit can be wrong.
    sympy.limit answers for a generic value of the other symbols only, so in each case the zero
    sets of the critical expressions (coefficients deciding which term dominates) are split off and
    proved separately, and a critical expression of unknown sign splits its symbol's range (or
    refuses the proof).  A case excluded by the constraints (Fourier-Motzkin infeasible) is skipped.
    """
    k = sympy.sympify(k)
    if not isinstance(k, Symbol) or k.is_positive is False or sympy.sympify(target).has(k):
        return None
    kk = Dummy("k", positive=True)   # k -> +oo, so only positive k matter
    expr, target = sympy.sympify(expr).xreplace({k: kk}), sympy.sympify(target).xreplace({k: kk})
    constraints = tuple(c for c in constraints if not sympy.sympify(c).has(k))
    found = _eliminated_cases(constraints)
    if found is not None:
        return _in_every_case(lambda m, c: prove_limit(_sub(expr, m), kk, _sub(target, m), c), constraints, found)
    prepared = _prepare((expr, target), constraints)
    if prepared is None:
        return None
    (expr, target), conds = prepared
    for name, method in _LIMIT_VALUE_METHODS:
        try:
            how = _lim_then_compare(method, expr, kk, target, conds)
        except Exception:
            how = None
        if how is not None:
            return f"{name} + {how}"
    try:
        return _limit_by_cases(expr, kk, target, conds)
    except Exception:
        return None


# --------------------------------------------------------------------------
# Definite integrals: the integral of f dx over [a, b] equals a claimed value
# --------------------------------------------------------------------------

def _integral_value(f: sympy.Expr, x: Symbol, a: sympy.Expr, b: sympy.Expr) -> tuple[str, sympy.Expr] | None:
    """(how, the integral's closed form) where it is sound for every allowed value of the other
    symbols, or None.

    * f polynomial in x over a finite [a, b]: the antiderivative of each power, exactly (no
      ``integrate``), valid for every value of the coefficients;
    * f, a, b without other symbols: ``sympy.integrate(f, (x, a, b))``, accepted only as a
      finite closed form (no Integral left, no oo, nan or zoo). ``integrate`` answers for a
      *generic* value of any other symbol (integrate(x**n, (x, 0, 1)) = 1/(n + 1) needs n > -1),
      so with other symbols it is not asked: such an integral is at most numerically checked.
    """
    others = (f.free_symbols | a.free_symbols | b.free_symbols) - {x}
    finite = not any(e.has(oo, -oo, sympy.zoo) for e in (a, b))
    if finite and f.is_polynomial(x):
        antiderivative = sympy.Poly(f, x).integrate().as_expr()
        return "polynomial antiderivative", antiderivative.subs(x, b) - antiderivative.subs(x, a)
    if others:
        return None
    value = sympy.integrate(f, (x, a, b))
    if (value.has(sympy.Integral) or value.has(x) or value.has(oo, -oo, sympy.zoo, S.NaN)
            or value.has(sympy.AccumBounds) or value.free_symbols):
        return None
    return "sympy.integrate", value


def prove_definite_integral(f: sympy.Expr, x: Symbol, a: sympy.Expr, b: sympy.Expr, value: sympy.Expr,
                            constraints: tuple = ()) -> str | None:
    """Prove that the integral of f dx over [a, b] is ``value`` for every allowed value of the
    other symbols: the integral's closed form by ``_integral_value``, then ``prove_equal`` with
    the claim. None is not a disproof (and SymPy's ``integrate`` being fallible, the caller's
    quadrature must agree too before anything is called proved)."""
    f, a, b, value = (sympy.sympify(e) for e in (f, a, b, value))
    found = _integral_value(f, x, a, b)
    if found is None:
        return None
    how, closed = found
    constraints = tuple(c for c in constraints if not sympy.sympify(c).has(x))
    proof = prove_equal(closed, value, constraints)
    return f"{how} + {proof}" if proof else None


# --------------------------------------------------------------------------
# Sums over a symbolic n: summation algebra, then the ordinary methods
# --------------------------------------------------------------------------
#
# An identity between expressions with Sum(f(k), (k, a, n)) over a symbolic n, indexed entries
# x[i] and Kronecker deltas is brought to a canonical form by rules valid for every n:
#
#   linearity       Sum(c f + g) = c Sum(f) + Sum(g)          (c free of k; holds for any range)
#   constant term   Sum(c, (k, a, b)) = c (b - a + 1)
#   delta sum       Sum(KroneckerDelta(k, m) f(k), (k, a, b)) = f(m)   (m inside [a, b])
#   renaming        Sum(f(i), (i, a, b)) = Sum(f(j), (j, a, b))  (the index is bound)
#   exchange        Sum(g(k) Sum(f(k, i), (i, c, d)), (k, a, b)) = Sum(Sum(g(k) f(k, i), (k, a, b)), (i, c, d))
#                   (c, d free of k: finite sums; the Sum over the range of the smaller key goes
#                   inside, so that nested Sums over two sizes M, N come in one canonical order)
#
# and then every Sum left, and every entry x[i] at a free index, is replaced by a symbol of its
# own: an identity proved for *all* values of those symbols holds in particular for the values the
# sums and entries take. A free Kronecker delta KroneckerDelta(i, j) is split into the cases i = j
# (j replaced by i) and i != j (the delta is 0), both proved. A free index ranges over 1..n,
# the range of the claim's sums (over two sizes, 1..its own size: ``index_range`` a dict):
# that is what the delta-sum rule uses. An equation whose sums
# differ may still hold term by term (``_termwise``); a bound may use Cauchy-Schwarz with
# nonnegative weights (``_cauchy_schwarz``).


def _sum_index(level: int) -> Symbol:
    """The canonical name of a Sum's index, by the depth of Sums inside it (innermost 1)."""
    return Symbol(f"_k{level}", integer=True)


def _sum_level(e: sympy.Basic) -> int:
    return max((int(s.limits[0][0].name[2:]) for s in e.atoms(sympy.Sum)
                if s.limits[0][0].name.startswith("_k")), default=0)


def _within(m: sympy.Basic, lower: sympy.Basic, upper: sympy.Basic, index_range: dict | None,
            free_indices: frozenset, enclosing: dict) -> bool:
    """Whether the index value m lies in [lower, upper] for every n: a free index ranges over
    the claim's range, the index of an enclosing Sum over that Sum's range; anything else must
    follow from SymPy's assumptions."""
    if m in free_indices and index_range is not None and (lower, upper) == index_range.get(m):
        return True
    if enclosing.get(m) == (lower, upper):
        return True
    return bool((m - lower).is_nonnegative and (upper - m).is_nonnegative)


def _one_sum(f, k, lower, upper, rules: list, index_range, free_indices, enclosing) -> sympy.Basic:
    """Sum(f, (k, lower, upper)) in canonical form (f already canonical)."""
    f = expand(f, power_exp=False, power_base=False, log=False)
    total = S.Zero
    for term in Add.make_args(f):
        free_part, with_k = term.as_independent(k, as_Add=False)
        if with_k == 1:
            total += free_part * (upper - lower + 1)
            _note(rules, "constant term")
            continue
        if len(Add.make_args(f)) > 1:
            _note(rules, "linearity")
        if not free_part.is_Number:
            _note(rules, "a factor free of the index taken out")
        inner = _exchangeable(with_k, k, lower, upper)
        if inner is not None:
            # Sum_k g_k Sum_n f_nk = Sum_n Sum_k g_k f_nk (finite sums, bounds free of each other's
            # index): the Sum over the range of the smaller key goes inside, so that the order of
            # nested Sums over different sizes is canonical (u^T H u with H = sum_n ...)
            (n, first, last), = inner.limits
            fresh = sympy.Dummy("exchanged", integer=True)
            body = (with_k / inner) * inner.function.xreplace({n: fresh})
            around = dict(enclosing)
            around[fresh] = (first, last)
            body = _one_sum(body, k, lower, upper, rules, index_range, free_indices, around)
            total += free_part * _one_sum(body, fresh, first, last, rules, index_range, free_indices, enclosing)
            _note(rules, "two sums exchanged")
            continue
        delta = next((d for d in Mul.make_args(with_k) if isinstance(d, sympy.KroneckerDelta) and k in d.args), None)
        if delta is not None:
            m = delta.args[1] if delta.args[0] == k else delta.args[0]
            if k not in m.free_symbols and _within(m, lower, upper, index_range, free_indices, enclosing):
                total += free_part * (with_k / delta).subs(k, m)
                _note(rules, "delta sum")
                continue
        body, first, last = _shifted(with_k, k, lower, upper, rules)
        peeled, first, last = _aligned(body, k, first, last, _range_near(last, index_range), rules)
        canonical = _sum_index(_sum_level(body) + 1)
        renamed = body.xreplace({k: canonical})
        if canonical != k:
            _note(rules, "renaming the index")
        total += free_part * (_closed_form(sympy.Sum(renamed, (canonical, first, last)), rules) + peeled)
    return total


def _range_key(lower, upper) -> tuple:
    return (sympy.default_sort_key(upper), sympy.default_sort_key(lower))


def _exchangeable(with_k, k, lower, upper) -> sympy.Sum | None:
    """The one Sum factor of ``with_k`` that depends on k, when the Sum over k may be taken
    inside it: a single limit whose bounds are free of k, over a range of a larger key than
    k's (so that exchanging terminates: the nesting is sorted by range), and no other factor
    with a Sum depending on k."""
    factors = Mul.make_args(with_k)
    sums = [f for f in factors if isinstance(f, sympy.Sum) and k in f.free_symbols]
    if len(sums) != 1 or len(sums[0].limits) != 1:
        return None
    (inner,) = sums
    (n, first, last), = inner.limits
    if k in first.free_symbols or k in last.free_symbols or _range_key(first, last) <= _range_key(lower, upper):
        return None
    if any(f is not inner and any(k in node.free_symbols for node in f.atoms(sympy.Sum)) for f in factors):
        return None
    return inner


def _shifted(body, k, lower, upper, rules: list) -> tuple:
    """Sum(f(k + c), (k, a, b)) = Sum(f(k), (k, a + c, b + c)) when every entry indexed by k is
    indexed by k + c, the same integer c != 0 (an index shift: always valid)."""
    offsets = {index - k for entry in body.atoms(sympy.Indexed) for index in entry.indices if k in index.free_symbols}
    if len(offsets) != 1:
        return body, lower, upper
    (c,) = offsets
    if not (c.is_Integer and c != 0):
        return body, lower, upper
    _note(rules, "index shift")
    return body.xreplace({k: k - c}), lower + c, upper + c


def _range_near(last: sympy.Basic, index_range: dict) -> tuple | None:
    """The range (1, n) of the claim's sizes that a Sum ending at ``last`` is aligned to: the one
    whose size n occurs in ``last`` (None: none, or several)."""
    near = {r for r in (index_range or {}).get(_SIZES, ()) if r[1] in sympy.sympify(last).free_symbols}
    return next(iter(near)) if len(near) == 1 else None


_SIZES = "sizes"  # the key of index_range under which the ranges (1, n) of every size are kept


def _aligned(body, k, first, last, index_range, rules: list) -> tuple:
    """Sum(f, (k, 1 + d, n + e)) as Sum(f, (k, 1, n)) plus or minus the terms at the ends, for
    small integers d <= 1 and e >= -1 with d - e <= 1 (so every range is an ordinary one, of
    length >= 0, for every n >= 1; SymPy's Karr convention is never needed). A telescoping sum
    becomes the two ends this way. Returns (the end terms, the new bounds)."""
    if index_range is None or (first, last) == index_range:
        return S.Zero, first, last
    one, n = index_range
    d, e = first - one, last - n
    if not (d.is_Integer and e.is_Integer and n.is_positive and -2 <= d <= 1 and -1 <= e <= 2 and d - e <= 1):
        return S.Zero, first, last
    at = lambda value: body.xreplace({k: value})  # noqa: E731
    peeled = S.Zero
    if d == 1:
        peeled -= at(one)
    for value in range(int(d), 0):  # d < 0: the terms 1 + d .. 0 before the range
        peeled += at(one + value)
    for value in range(1, int(e) + 1):  # e > 0: the terms n + 1 .. n + e after it
        peeled += at(n + value)
    if e == -1:
        peeled -= at(n)
    _note(rules, "range split at the ends")
    return peeled, one, n


def _closed_form(node: sympy.Sum, rules: list) -> sympy.Basic:
    """SymPy's closed form of a Sum of no entries (sum of k, of k^2, geometric sums), where it has
    one free of Sums and cases; else the Sum itself."""
    if node.has(sympy.Indexed, sympy.KroneckerDelta):
        return node
    try:
        value = node.doit()
    except Exception:  # SymPy raising is "no closed form"
        return node
    if value.has(sympy.Sum, Piecewise):
        return node
    _note(rules, "closed form (SymPy's summation)")
    return value


def _note(rules: list, rule: str) -> None:
    if rule not in rules:
        rules.append(rule)


def summation_canonical(e: sympy.Basic, rules: list, index_range=None, free_indices=frozenset(),
                        enclosing: dict | None = None) -> sympy.Basic:
    """``e`` with every Sum in canonical form (see above), innermost first; ``rules`` collects
    the names of the rules used; derivatives are carried out first. ``enclosing`` maps the
    index of each Sum around ``e`` to its range."""
    enclosing = enclosing or {}
    if isinstance(e, sympy.Derivative):
        e = e.doit()
    if isinstance(e, sympy.Sum):
        around = dict(enclosing)
        around.update({k: (lower, upper) for k, lower, upper in e.limits})
        inner = summation_canonical(e.function, rules, index_range, free_indices, around)
        for k, lower, upper in e.limits:  # innermost limit first
            around.pop(k, None)
            inner = _one_sum(inner, k, lower, upper, rules, index_range, free_indices, around)
        return inner
    if not e.args or isinstance(e, (sympy.Indexed, sympy.IndexedBase)):
        return e
    args = [summation_canonical(a, rules, index_range, free_indices, enclosing) for a in e.args]
    return e.func(*args) if any(a is not b for a, b in zip(args, e.args)) else e


def _generalised(exprs: tuple) -> tuple:
    """Each outermost Sum and each entry x[i] replaced by a symbol of its own (shared by equal
    ones), with the assumptions the sum or entry is known to have."""
    mapping: dict = {}
    for e in exprs:
        for node in sympy.preorder_traversal(e):
            if isinstance(node, sympy.Sum) and node not in mapping:
                if any(node in other.atoms(sympy.Sum) and node != other for other in mapping if isinstance(other, sympy.Sum)):
                    continue
                terms = S.One  # SymPy merges a Sum of a Sum into one of several limits
                for _, lower, upper in node.limits:
                    terms *= upper - lower + 1
                summand = node.function
                if summand.is_positive and terms.is_positive:
                    facts = {"positive": True}
                elif summand.is_nonnegative and terms.is_nonnegative:
                    facts = {"nonnegative": True}
                else:
                    facts = {"real": True} if summand.is_real else {}
                mapping[node] = Symbol(f"_S{len(mapping) + 1}", **facts)
    result = tuple(e.xreplace(mapping) for e in exprs)
    entries: dict = {}
    for e in result:
        for node in e.atoms(sympy.Indexed):
            if node not in entries:
                base = node.base
                facts = {key: value for key, value in base.assumptions0.items()
                         if key in ("real", "positive", "nonnegative", "negative", "nonpositive", "integer") and value}
                entries[node] = Symbol(f"_{base.label}[{','.join(map(str, node.indices))}]", **facts)
    return tuple(e.xreplace(entries) for e in result)


def _delta_cases(exprs: tuple, depth: int = 0) -> Iterator[tuple[tuple, str]]:
    """The cases of the first free Kronecker delta: (exprs in the case, what the case is), each
    case split further on the deltas left; a delta between two non-symbols is kept as it is."""
    deltas = sorted(set().union(*(e.atoms(sympy.KroneckerDelta) for e in exprs)) - _bound_deltas(exprs),
                    key=sympy.default_sort_key)
    delta = next((d for d in deltas if any(isinstance(a, Symbol) for a in d.args)), None)
    if delta is None or depth >= 3:
        yield exprs, ""
        return
    a, b = delta.args
    old, new = (b, a) if isinstance(b, Symbol) else (a, b)
    equal = tuple(e.subs(old, new) for e in exprs)
    unequal = tuple(e.xreplace({delta: S.Zero}) for e in exprs)
    for case, (case_exprs) in ((f"{a} = {b}", equal), (f"{a} != {b}", unequal)):
        for inner, more in _delta_cases(case_exprs, depth + 1):
            yield inner, case + (f", {more}" if more else "")


def _bound_deltas(exprs: tuple) -> set:
    """The deltas inside a Sum (they belong to it, not to a case split)."""
    inside: set = set()
    for e in exprs:
        for s in e.atoms(sympy.Sum):
            inside |= s.atoms(sympy.KroneckerDelta)
    return inside


def _free_of_summation(constraints: tuple) -> tuple:
    return tuple(c for c in constraints if not c.has(sympy.Sum, sympy.Indexed, sympy.KroneckerDelta))


def _ranges(index_range, free_indices, sizes) -> dict:
    """``index_range`` as a dict {free index: (1, its size)}, with the ranges (1, n) of every size
    under ``_SIZES``: a pair (1, n) is every free index's range (a claim of one size)."""
    if index_range is None:
        ranges: dict = {}
    elif isinstance(index_range, dict):
        ranges = dict(index_range)
    else:
        ranges = {index: tuple(index_range) for index in free_indices}
        sizes = tuple(sizes) + (index_range[1],)
    ranges[_SIZES] = frozenset({(S.One, size) for size in sizes} | set(v for k, v in ranges.items() if k != _SIZES))
    return ranges


def _for_all_n(exprs: tuple, constraints: tuple, index_range, free_indices, prove, sizes=()) -> str | None:
    index_range = _ranges(index_range, free_indices, sizes)
    rules: list = []
    canonical = tuple(summation_canonical(e, rules, index_range, frozenset(free_indices)) for e in exprs)
    methods, cases = [], []
    for case_exprs, case in _delta_cases(canonical):
        method = prove(case_exprs, _free_of_summation(constraints))
        if method is None:
            return None
        if method not in methods:
            methods.append(method)
        if case:
            cases.append(case)
    algebra = f"summation algebra: {', '.join(rules)}" if rules else "no summation rule needed"
    split = f"; cases {'; '.join(cases)}" if cases else ""
    return f"{algebra}{split}; then {', '.join(methods)}"


def prove_equal_for_all_n(lhs, rhs, constraints: tuple = (), index_range=None, free_indices=(), sizes=()) -> str | None:
    """lhs == rhs for every n (and every free index in the claim's range ``index_range``: a pair
    (1, n) for every free index, or a dict {index: (1, its size)} when there are several sizes,
    ``sizes``), by summation algebra and then ``prove_equal``; the method, or None.

    >>> n = Symbol("n", integer=True, positive=True); i, j = sympy.symbols("i j", integer=True)
    >>> x = sympy.IndexedBase("x", real=True)
    >>> softmax_sum = sympy.Sum(exp(x[i]) / sympy.Sum(exp(x[j]), (j, 1, n)), (i, 1, n))
    >>> prove_equal_for_all_n(softmax_sum, S.One)
    'summation algebra: renaming the index, a factor free of the index taken out; then identical'
    """
    def prove(exprs, constraints):
        return prove_equal(*_generalised(exprs), constraints) or _termwise(exprs, constraints)

    return _for_all_n((lhs, rhs), constraints, index_range, free_indices, prove, sizes)


def _termwise(exprs: tuple, constraints: tuple) -> str | None:
    """lhs - rhs, with each term c * Sum(f, (k, a, b)) taken into one Sum per range, is
    Sum(f1 + f2 + ..., (k, a, b)) + rest: zero when each summand is zero for every k (the index
    a symbol of its own) and the rest is zero ("termwise")."""
    lhs, rhs = exprs
    index = Symbol("_t", integer=True)
    summands: dict = {}
    rest = S.Zero
    for term in Add.make_args(expand(lhs - rhs, power_exp=False, power_base=False, log=False, deep=False)):
        sums = [f for f in Mul.make_args(term) if isinstance(f, sympy.Sum)]
        if len(sums) != 1 or len(sums[0].limits) != 1:
            rest += term
            continue
        (node,) = sums
        (k, lower, upper), = node.limits
        summands.setdefault((lower, upper), []).append((term / node) * node.function.xreplace({k: index}))
    if not summands:
        return None
    methods = []
    for parts in summands.values():
        method = prove_equal(*_generalised((Add(*parts), S.Zero)), constraints)
        if method is None:
            return None
        methods.append(method)
    if rest != 0:
        method = prove_equal(*_generalised((rest, S.Zero)), constraints)
        if method is None:
            return None
        methods.append(method)
    return f"termwise: {', '.join(dict.fromkeys(methods))}"


def prove_nonnegative_for_all_n(expr, constraints: tuple = (), index_range=None, free_indices=(),
                                last_resort: bool = True, sizes=()) -> str | None:
    """expr >= 0 for every n, as ``prove_equal_for_all_n`` does for an equation."""
    def prove(exprs, constraints):
        return prove_nonnegative(_generalised(exprs)[0], constraints, last_resort) or _cauchy_schwarz(exprs[0], constraints)

    return _for_all_n((expr,), constraints, index_range, free_indices, prove, sizes)


def _same_index(node: sympy.Sum, k: Symbol) -> sympy.Basic:
    """The summand of a one-limit Sum with its index renamed k."""
    (index, _, _), = node.limits
    return node.function.xreplace({index: k})


def _cauchy_schwarz(expr, constraints: tuple) -> str | None:
    """expr >= 0 by Cauchy-Schwarz: for weights w_k >= 0 and real u_k over one range,
    M = Sum(w u), W = Sum(w) > 0 (or the number of terms, w = 1) and Q = Sum(w u^2) satisfy
    M^2 <= W Q, so Q = (M^2 + D) / W with D >= 0; expr with Q so replaced is proved >= 0 for every
    D >= 0 (a weighted variance, the softmax Hessian's form sum p u^2 - (sum p u)^2)."""
    sums = [node for node in expr.atoms(sympy.Sum) if len(node.limits) == 1]
    for m_sum, q_sum in itertools.permutations(sums, 2):
        (k, lower, upper), = m_sum.limits
        if q_sum.limits[0][1:] != (lower, upper):
            continue
        mf, qf = m_sum.function, _same_index(q_sum, k)
        u = cancel(qf / mf)
        if not (u.has(k) and u.is_real):
            continue
        w = cancel(mf / u)
        # each term must be w_k u_k and w_k u_k^2 exactly, with no denominator that could vanish
        if not (w.is_nonnegative and _is_zero(cancel(mf - w * u)) and _is_zero(cancel(qf - w * u ** 2))
                and all(sympy.denom(together(e)).is_positive for e in (u, w))):
            continue
        if _is_zero(w - 1):
            total = upper - lower + 1
        else:
            total = next((node for node in sums if node.limits[0][1:] == (lower, upper)
                          and _is_zero(cancel(_same_index(node, k) - w))), None)
        if total is None or not (total.is_positive or (isinstance(total, sympy.Sum) and total.function.is_positive
                                                       and (upper - lower + 1).is_positive)):
            continue
        gap = Symbol("_D", nonnegative=True)
        method = prove_nonnegative(_generalised((expr.xreplace({q_sum: (m_sum ** 2 + gap) / total}),))[0], constraints)
        if method is not None:
            return f"Cauchy-Schwarz (sum w u)^2 <= (sum w)(sum w u^2) for w >= 0, then {method}"
    return None
