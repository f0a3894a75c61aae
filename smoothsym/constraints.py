"""Equality and finite-set constraints, eliminated by substitution.

A constraint ``Eq(y1 + y2 + y3, 1)`` fixes one symbol by the others (``y3 = 1 - y1 - y2``), and
``Contains(y, FiniteSet(0, 1))`` lets a symbol take the listed values only. Neither can be met by
drawing each symbol on its own, and neither is a fact a proof by case splits on signs can use;
so both are eliminated the same way for the sampler and for the prover: a ``Case`` is a
substitution (``y3 -> 1 - y1 - y2``, ``y -> 0``) with the constraints left over after it. The
domain is the union of its cases; a claim holds on it when it holds in every case.

An equality is solved for a symbol it is linear in with a constant coefficient, rationally
(``y3 = 1 - y1 - y2``: rational values of the others give a rational y3, which ball
arithmetic takes exactly); an equality in one symbol only that is no such (``Eq(y**2, y)``) is
the finite set of its real roots. The solved symbol's own sign assumptions (declared
``nonnegative=True``, say) become constraints on the expression it is replaced by.

>>> import sympy as sp
>>> y1, y2, y3 = sp.symbols("y1:4", nonnegative=True)
>>> (case,) = cases((sp.Eq(y1 + y2 + y3, 1),), (y1, y2, y3))
>>> case.label, case.constraints
('y3 = -y1 - y2 + 1', (-y1 - y2 + 1 >= 0,))
>>> y = sp.Symbol("y", real=True)
>>> [c.label for c in cases((sp.Contains(y, sp.FiniteSet(0, 1)),), (y,))]
['y = 0', 'y = 1']
>>> cases((y >= 0,), (y,)) is None  # nothing to eliminate
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

MAX_CASES = 16  # finite-set combinations the sampler enumerates; beyond that it draws this many
MAX_PROOF_CASES = 64  # cases the prover proves one by one; beyond that it does without the sets


class ConstraintError(ValueError):
    """A constraint that cannot be eliminated: an equality linear in none of its symbols with a
    constant coefficient and not in one symbol only, or a set that is not a finite set of exact
    real numbers. Remedy: write the equality solved for one symbol (``Eq(y3, 1 - y1 - y2)``), or
    list the values (``Contains(y, FiniteSet(0, 1))``)."""


class TooManyCases(ValueError):
    """More than the allowed number of finite-set combinations."""


@dataclass(frozen=True, slots=True)
class Case:
    """One piece of the domain: ``substitution`` (symbol, value) pairs, each value free of every
    substituted symbol, and the ``constraints`` left over (in the remaining symbols)."""

    substitution: tuple
    constraints: tuple

    @property
    def mapping(self) -> dict:
        return dict(self.substitution)

    @property
    def label(self) -> str:
        return ", ".join(f"{s} = {v}" for s, v in self.substitution)


def index_range_declaration(part: sp.Basic) -> tuple | None:
    """(j, M) when ``part`` declares the range of a free index, ``j <= M`` (or ``j < M + 1``,
    ``M >= j``): j an integer symbol, M an integer positive symbol, a size; (j, None) for the
    lower end ``1 <= j`` (or ``j >= 1``, ``j > 0``); None for anything else. Used by the checks
    of claims over several sizes (``checks.index_sizes``).

    >>> j, M = sp.Symbol("j", integer=True), sp.Symbol("M", integer=True, positive=True)
    >>> index_range_declaration(j <= M), index_range_declaration(1 <= j), index_range_declaration(j <= M - 1)
    ((j, M), (j, None), None)
    """
    if not isinstance(part, (sp.LessThan, sp.StrictLessThan, sp.GreaterThan, sp.StrictGreaterThan)):
        return None
    small, large = (part.lhs, part.rhs) if isinstance(part, (sp.LessThan, sp.StrictLessThan)) else (part.rhs, part.lhs)
    gap = sp.expand(large - small - (1 if isinstance(part, (sp.StrictLessThan, sp.StrictGreaterThan)) else 0))
    symbols = [v for v in gap.free_symbols if isinstance(v, sp.Symbol)]
    if len(symbols) == 1 and sp.expand(gap - symbols[0] + 1) == 0 and symbols[0].is_integer:
        return symbols[0], None
    for index in symbols:
        size = sp.expand(gap + index)
        if (index.is_integer and isinstance(size, sp.Symbol) and size != index and size.is_integer
                and size.is_positive):
            return index, size
    return None


def without_idle_declarations(constraints: tuple, exprs: tuple) -> tuple:
    """The constraints without the declarations of free-index ranges (``j <= M``, alone or in an
    ``&`` with ``1 <= j``) whose index occurs in none of ``exprs``: such a declaration speaks of
    the claims that index, and a step without j would otherwise draw j and M as variables."""
    present = set().union(*(sp.sympify(e).free_symbols for e in exprs if isinstance(e, sp.Basic)))
    kept = []
    for c in constraints:
        parts = c.args if isinstance(c, sp.And) else (c,)
        found = [index_range_declaration(p) for p in parts]
        if all(f is not None and f[0] not in present for f in found):
            continue
        kept.append(c)
    return tuple(kept)


def is_eliminated(constraint: sp.Basic) -> bool:
    """Whether a constraint is one this module eliminates: an equality or a set membership."""
    return isinstance(constraint, (sp.Eq, sp.Contains))


def _finite_values(constraint: sp.Contains) -> tuple[sp.Symbol, tuple]:
    symbol, values = constraint.args
    if not isinstance(symbol, sp.Symbol):
        raise ConstraintError(f"{constraint}: the element must be one symbol, not {symbol}")
    if isinstance(values, sp.Range) and values.free_symbols:
        raise ConstraintError(
            f"{constraint}: a range with a symbolic end is no finite set; for a free index j = 1..M of a claim "
            f"over several sizes write the inequality {symbol} <= {values.sup} (see Derivation's domain)"
        )
    if not isinstance(values, sp.FiniteSet):
        raise ConstraintError(
            f"{constraint}: only a finite set of values can be a constraint here, e.g. Contains({symbol}, "
            "FiniteSet(0, 1)); an interval is two inequalities"
        )
    for v in values:
        if not (isinstance(v, sp.Expr) and v.is_number and v.is_real is True and not v.has(sp.Float)):
            raise ConstraintError(f"{constraint}: every value must be an exact real number, not {v}")
    return symbol, tuple(sorted(values, key=sp.default_sort_key))


def _real_roots(difference: sp.Expr, symbol: sp.Symbol) -> tuple | None:
    """The exact real roots of a polynomial equation in one symbol, or None if it is none."""
    numerator, denominator = sp.together(difference).as_numer_denom()
    if not numerator.is_polynomial(symbol):
        return None
    try:
        poly = sp.Poly(numerator, symbol)
        if not all(c.is_Rational for c in poly.coeffs()):
            return None
        roots = [r for r in sp.roots(poly, filter="R") if r.is_real is True]
    except (sp.PolynomialError, NotImplementedError, ValueError):
        return None
    if sum(sp.roots(poly, filter="R").values()) < sum(1 for _ in sp.real_roots(poly)):
        return None  # a real root without a closed form: not exact values
    return tuple(r for r in sorted(set(roots), key=sp.default_sort_key) if denominator.subs(symbol, r) != 0)


def _solution(difference: sp.Expr, symbols: tuple) -> tuple[sp.Symbol, sp.Expr] | None:
    """(s, value) with difference = 0 <=> s = value, s linear in difference with a constant
    nonzero coefficient; a rational-function value and a symbol without assumptions preferred,
    then the last symbol declared."""
    order = {s: i for i, s in enumerate(symbols)}
    found = []
    for s in difference.free_symbols:
        if not isinstance(s, sp.Symbol):
            continue
        expanded = sp.expand(difference)
        slope = expanded.coeff(s, 1)
        rest = sp.expand(expanded - slope * s)
        if not (slope.is_number and slope != 0 and s not in rest.free_symbols):
            continue
        value = sp.expand(-rest / slope)
        rational = value.is_rational_function() and not value.atoms(sp.NumberSymbol) and all(
            n.is_Rational for n in value.atoms(sp.Number))
        declared = sum(1 for fact in ("positive", "negative", "nonnegative", "nonpositive", "nonzero", "integer")
                       if getattr(s, "is_" + fact) is not None)
        found.append(((not rational, declared, -order.get(s, -1), s.name), s, value))
    if not found:
        return None
    _, s, value = min(found, key=lambda f: f[0])
    return s, value


def _own_facts(symbol: sp.Symbol, value: sp.Expr) -> list | None:
    """The symbol's declared sign facts as constraints on its value; None where the value breaks
    one outright (y positive and y = 0). An integer assumption cannot be written as a
    constraint: it is left out (the sampler still tests it at every point; the prover then
    proves the claim on a larger set, which is sound)."""
    facts = []
    for fact, relation in (("positive", sp.StrictGreaterThan), ("negative", sp.StrictLessThan),
                           ("nonnegative", sp.GreaterThan), ("nonpositive", sp.LessThan)):
        if getattr(symbol, "is_" + fact) is True:
            facts.append(relation(value, 0))
    if symbol.is_nonzero is True and symbol.is_positive is not True and symbol.is_negative is not True:
        facts.append(sp.Ne(value, 0))
    if value.is_number and symbol.is_integer is True and value.is_integer is False:
        return None
    kept = []
    for f in facts:
        if f is sp.false:
            return None
        if f is not sp.true:
            kept.append(f)
    return kept


def _apply(substitution: tuple, symbol: sp.Symbol, value: sp.Expr) -> tuple:
    """The substitution with symbol -> value added, the earlier values rewritten by it."""
    return tuple((s, sp.expand(v.xreplace({symbol: value}))) for s, v in substitution) + ((symbol, value),)


def _expand(substitution: tuple, pending: tuple, symbols: tuple, rng: random.Random | None):
    """Every case (rng None) or one drawn case (rng given) of the pending constraints."""
    mapping = dict(substitution)
    remaining = []
    for index, c in enumerate(pending):
        c = c.xreplace(mapping) if mapping else c
        if c is sp.true:
            continue
        if c is sp.false:
            return  # this piece of the domain is empty
        if not is_eliminated(c):
            remaining.append(c)
            continue
        rest = tuple(remaining) + tuple(pending[index + 1:])
        if isinstance(c, sp.Contains):
            symbol, values = _finite_values(c)
            choices = values if rng is None else [rng.choice(values)]
            for v in choices:
                facts = _own_facts(symbol, v)
                if facts is not None:
                    yield from _expand(_apply(substitution, symbol, v), tuple(facts) + rest, symbols, rng)
            return
        difference = sp.expand(c.lhs - c.rhs)
        solved = _solution(difference, symbols)
        if solved is None:
            free = sorted(difference.free_symbols, key=lambda s: s.name)
            roots = _real_roots(difference, free[0]) if len(free) == 1 else None
            if roots is None:
                raise ConstraintError(
                    f"the equality {c} cannot be solved for one of its symbols: it is linear in none of "
                    f"{', '.join(s.name for s in free)} with a constant coefficient, and not a polynomial in one "
                    "symbol with exact roots; write it solved for one symbol, e.g. Eq(y3, 1 - y1 - y2), or as "
                    "Contains(y, FiniteSet(...))"
                )
            yield from _expand(substitution, (sp.Contains(free[0], sp.FiniteSet(*roots)),) + rest, symbols, rng)
            return
        symbol, value = solved
        facts = _own_facts(symbol, value)
        if facts is not None:
            yield from _expand(_apply(substitution, symbol, value), tuple(facts) + rest, symbols, rng)
        return
    yield Case(substitution, tuple(remaining))


def _sets_first(constraints: tuple) -> tuple:
    """The set memberships first: an equality solved for y first would leave Contains(1 - x,
    {0, 1}), no longer a symbol's finite set."""
    return tuple(sorted(constraints, key=lambda c: not isinstance(c, sp.Contains)))


def cases(constraints: tuple, symbols: tuple = (), limit: int = MAX_PROOF_CASES) -> tuple[Case, ...] | None:
    """The cases of the domain (see the module docstring), or None when no constraint is an
    equality or a set membership (nothing to eliminate). ``symbols`` in declaration order: the
    equality is solved for the last one it is linear in, other things equal (by name when
    ``symbols`` is empty). Raises
    ``ConstraintError`` for a constraint that cannot be eliminated, ``TooManyCases`` beyond
    ``limit`` cases. () means the constraints cannot all hold."""
    return _cases(tuple(sp.sympify(c) for c in constraints), tuple(symbols), limit)


@lru_cache(maxsize=1024)
def _cases(constraints: tuple, symbols: tuple, limit: int):
    if not any(is_eliminated(c) for c in constraints):
        return None
    if not symbols:  # no declaration order: by name, so y1 + y2 + y3 = 1 is solved for y3 here too
        symbols = tuple(sorted(set().union(*(c.free_symbols for c in constraints)), key=sp.default_sort_key))
    found = []
    for case in _expand((), _sets_first(constraints), symbols, None):
        found.append(case)
        if len(found) > limit:
            raise TooManyCases(f"the constraints split the domain into more than {limit} cases")
    return tuple(found)


def drawn_cases(constraints: tuple, symbols: tuple, count: int, seed: int) -> tuple[Case, ...]:
    """All cases when at most ``count``, else ``count`` drawn ones (distinct, seeded)."""
    try:
        return cases(constraints, symbols, count) or ()
    except TooManyCases:
        pass
    rng = random.Random(seed)
    found: list[Case] = []
    for _ in range(20 * count):
        if len(found) >= count:
            break
        for case in _expand((), _sets_first(tuple(sp.sympify(c) for c in constraints)), tuple(symbols), rng):
            if case not in found:
                found.append(case)
    return tuple(found)


def summary(constraints: tuple, found: tuple) -> str:
    """How a proof used the eliminated constraints: "y3 = 1 - y1 - y2" for one case, "y in
    {0, 1} (2 cases)" for several."""
    if len(found) == 1:
        return found[0].label
    shown = [f"{c.args[0]} in {c.args[1]}" if isinstance(c, sp.Contains) else f"{c.lhs} = {c.rhs}"
             for c in map(sp.sympify, constraints) if is_eliminated(c)]
    return f"{'; '.join(shown)} ({len(found)} cases)"
