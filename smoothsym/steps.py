"""The step kinds: one class each, its docstring the rule it checks.

A kind says what its claim is related to (``relation``), what the next step starts from
(``output``) and how its claim is judged (``check``), built from the three checks in
``checks.py``. Adding a kind is adding one class here with ``@step_kind``.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> Rewrite(2*x, label="(1)", why="x + x = 2x")
Rewrite(2*x, label='(1)', why='x + x = 2x')
"""

from __future__ import annotations

import itertools
import re
from dataclasses import KW_ONLY, dataclass, replace
from functools import lru_cache

import sympy as sp
from sympy.core.function import AppliedUndef

from .checks import (_distance_text, _number_text, check_approximation, check_asymptotic, check_bound, check_continuous,
                     check_defined_for_parameters, check_differentiable, check_equal, check_integral, check_limit,
                     check_over_n, check_strict_bound, over_symbolic_n)
from .errors import StepTimeout
from .model import Relation, Step, StepContext, _as_expression, step_kind
from .sampling import violated_fact
from .timelimit import time_limit
from .verdict import Status, Verdict, weakest


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Given(Step):
    """Given(e): the chain starts (or restarts) from e; nothing is claimed, nothing checked."""

    kind = "given"
    relation = Relation.START

    claim: sp.Basic

    def check(self, before, context: StepContext) -> Verdict:
        return Verdict(Status.GIVEN, "stated", detail="the starting expression")


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Rewrite(Step):
    """Rewrite(b): previous = b, an identity on the domain."""

    kind = "rewrite"
    relation = Relation.EQUAL

    claim: sp.Basic

    def check(self, before, context: StepContext) -> Verdict:
        return check_equal(before, self.claim, context, "previous = claim")


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Differentiate(Step):
    """Differentiate(x, b): d/dx previous = b; the engine differentiates, the claim is compared.

    x may be an entry x[j] of an IndexedBase, previous a claim over a symbolic n (with
    Sum(..., (i, 1, n)) and entries x[i]): d/dx_j previous = b is then a gradient (done twice, a
    Hessian; of an entry p_i, a Jacobian), checked at n = 1, 2, 3, 5, 8, 40 (the expression at each
    n differentiated by x_j, for each j) and proved for all n where summation algebra can. Over
    two sizes (Sums to M and to N, entries phi[n, i]) each free index ranges over its own size: j
    of w[j] over the size w is summed to; where the claim says it nowhere, declare it,
    ``where=(j <= M,)``."""

    kind = "differentiate"
    relation = Relation.DERIVATIVE

    variable: sp.Symbol
    claim: sp.Basic

    def expressions(self):
        return {"variable": self.variable, "claim": self.claim}

    def check(self, before, context: StepContext) -> Verdict:
        if over_symbolic_n(before, self.claim, self.variable):
            # each concrete n differentiates the expression at that n: SymPy's derivative of the
            # Sum (with its Kronecker deltas) is what the proof for all n uses, not the numbers
            v = self.variable
            name = (f"{v.base.label}_{','.join(map(str, v.indices))}" if isinstance(v, sp.Indexed) else str(v))
            return check_over_n(before, self.claim, context, f"d/d{name} previous = claim", variable=v)
        derivative = sp.diff(before, self.variable)
        verdicts = [check_equal(derivative, self.claim, context, f"d/d{self.variable} previous = claim")]
        verdicts += check_differentiable(before, self.variable, self.claim, context)
        return Verdict.combine(verdicts)


@dataclass(frozen=True, slots=True)
class Condition:
    """What fixes an integration constant: F(x) - value -> 0 as x -> at (at may be +-oo);
    for a finite ``at``, simply F(at) = value."""

    at: sp.Basic
    value: sp.Basic
    why: str = ""


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Integrate(Step):
    """Integrate(x, F, fixed_by=Condition(at, value)): dF/dx = previous, and the constant of F is
    the one the condition fixes. SymPy's ``integrate`` is never trusted: F is differentiated.

    Integrate(x, v, over=(a, b)): the definite integral of previous dx over [a, b] is v (a, b
    finite, or -oo / +oo; v free of x). Always checked by quadrature (mpmath's tanh-sinh at the
    settings' digits and at twice them, split at the integrand's kinks and poles inside (a, b));
    proved only where the closed form holds for every value of the other symbols: an integrand
    polynomial in x, or one without other symbols, whose ``sympy.integrate`` is a closed form
    that the equality check shows equal to v. Otherwise "checked", with the digits reached.
    A value the quadratures miss is refuted only with a certificate: Arb's rigorous integration
    (acb.integral) over a finite window, or a ball enclosure on a partition of it, plus for an
    infinite bound a certified bound of the tail beyond the window (from the integrand's
    log-derivative: f'/f <= -c on [R, oo) gives a tail of at most |f(R)|/c; an integrable
    singularity at a finite end, log x at 0, is such a tail in y = 1/|x - end|); where neither
    excludes v the step is "disputed", never refuted.

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> Integrate(x, sp.sqrt(sp.pi) / 2, over=(0, sp.oo))   # the Gaussian integral of exp(-x^2)
    Integrate(x, sqrt(pi)/2, over=(0, oo))
    """

    kind = "integrate"
    relation = Relation.ANTIDERIVATIVE

    variable: sp.Symbol
    claim: sp.Basic
    _: KW_ONLY
    fixed_by: Condition | None = None
    over: tuple | None = None

    def __post_init__(self):
        if isinstance(self.over, (tuple, list)):
            bounds = tuple(sp.Integer(e) if isinstance(e, int) and not isinstance(e, bool) else e for e in self.over)
            object.__setattr__(self, "over", bounds)

    def expressions(self):
        found = {"variable": self.variable, "claim": self.claim}
        if self.fixed_by is not None:
            found.update({"fixed_by.at": self.fixed_by.at, "fixed_by.value": self.fixed_by.value})
        if isinstance(self.over, tuple) and len(self.over) == 2:
            found.update({"over (lower bound)": self.over[0], "over (upper bound)": self.over[1]})
        return found

    def validate_against(self, before):
        x = self.variable
        if self.over is None:
            if self.fixed_by is None:
                return ("say which integral: an antiderivative F is only fixed up to a constant, so write "
                        "Integrate(x, F, fixed_by=Condition(at, value)); for a definite integral over [a, b] "
                        "write Integrate(x, value, over=(a, b))")
            return _condition_problem(self.fixed_by, x, self.where)
        if self.fixed_by is not None:
            return ("over=(a, b) claims a definite integral, whose value has no constant to fix: drop fixed_by= "
                    "(or drop over= and claim an antiderivative)")
        if not (isinstance(self.over, tuple) and len(self.over) == 2):
            return f"over= must be the pair of bounds (a, b), e.g. over=(0, sympy.oo), not {self.over!r}"
        a, b = self.over
        for bound in (a, b):
            if bound.has(sp.zoo, sp.nan) or (bound.has(sp.oo, -sp.oo) and bound not in (sp.oo, -sp.oo)):
                return f"the bound {bound} is neither finite nor sympy.oo / -sympy.oo"
            if x in bound.free_symbols:
                return f"the bound {bound} depends on the integration variable {x}: rename one of them"
        if isinstance(self.claim, sp.Basic) and x in self.claim.free_symbols:
            return (f"a definite integral over [{a}, {b}] is a number free of {x}, but the claim {self.claim} depends on "
                    f"{x}; for an antiderivative write Integrate({x}, F, fixed_by=Condition(at, value))")
        if x.is_integer:
            return f"{x} is declared integer; an integration variable must be declared real=True"
        for sign, bad in (("nonnegative", "is_negative"), ("nonpositive", "is_positive")):
            if getattr(x, f"is_{sign}") and any(getattr(bound, bad) for bound in (a, b)):
                return (f"{x} is declared {sign}, but the range [{a}, {b}] leaves that sign (SymPy has already "
                        f"simplified previous with it): declare {x} real=True")
        return None

    def check(self, before, context: StepContext) -> Verdict:
        x = self.variable
        if self.over is not None:
            a, b = self.over
            return check_integral(before, x, a, b, self.claim, context, f"integral of previous d{x} over [{a}, {b}] = claim")
        verdicts = [check_equal(sp.diff(self.claim, x), before, context, f"d/d{x} claim = previous")]
        at, value = self.fixed_by.at, self.fixed_by.value
        if at in (sp.oo, -sp.oo):
            sign = 1 if at == sp.oo else -1
            gap = (self.claim - value).subs(x, sign * x)
            verdicts.append(check_limit(gap, x, sp.Integer(0), context, f"claim - ({value}) -> 0 as {x} -> {at}"))
        else:
            verdicts.append(check_equal(self.claim.subs(x, at), value, context, f"claim at {x} = {at} equals {value}"))
        verdicts += check_continuous(self.claim, x, before, context)
        verdicts += check_defined_for_parameters(self.claim, x, before, context)
        return Verdict.combine(verdicts)

    def integral_expression(self, before: sp.Basic) -> sp.Integral:
        """The claim's left side as SymPy's unevaluated Integral (for display), with its bounds."""
        if self.over is None:
            return sp.Integral(before, self.variable)
        return sp.Integral(before, (self.variable, *self.over))


def _condition_problem(condition: Condition, x: sp.Symbol, where: tuple) -> str | None:
    """Why a Condition cannot fix the constant: a complex point or value, or a point outside
    what x is declared to be or the step's where= (there the claim is not stated)."""
    at, value = sp.sympify(condition.at), sp.sympify(condition.value)
    for name, e in (("point", at), ("value", value)):
        if e.has(sp.I) or (e.is_extended_real is False if name == "point" else e.is_real is False):
            return f"the condition's {name} {e} is not real: an antiderivative of a real function is fixed at a real point, by a real value"
    if at in (sp.oo, -sp.oo):
        return None
    if x in at.free_symbols:
        return f"the condition's point {at} depends on the integration variable {x}"
    fact = violated_fact(x, at)
    if fact:
        return f"the condition's point {x} = {at} is outside the domain: {x} is declared {fact}"
    for c in where:
        if x in getattr(c, "free_symbols", ()) and c.subs(x, at) == sp.false:
            return f"the condition's point {x} = {at} is outside the step's domain ({c})"
    return None


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Substitute(Step):
    """Substitute(a, b, c): c = previous with a replaced by b; with ``limit=k``, b is only an
    approximation of a that becomes exact as k -> oo, and previous = lim c."""

    kind = "substitute"

    old: sp.Basic
    new: sp.Basic
    claim: sp.Basic
    _: KW_ONLY
    limit: sp.Symbol | None = None

    @property
    def relation(self) -> Relation:
        return Relation.EQUAL if self.limit is None else Relation.EQUAL_IN_LIMIT

    def expressions(self):
        found = {"old": self.old, "new": self.new, "claim": self.claim}
        if self.limit is not None:
            found["limit"] = self.limit
        return found

    def validate_against(self, before):
        if before is not None and not before.has(self.old):
            return f"the previous expression {before} does not contain {self.old}, so nothing is substituted"
        if isinstance(self.old, sp.Symbol) and isinstance(self.new, (sp.Basic, int)):
            # SymPy has already simplified previous with what the symbol is declared to be (|k| = k
            # for a positive k): a value it cannot take gives a claim the step never checked
            fact = violated_fact(self.old, self.new)
            if fact:
                return (f"{self.old} is declared {fact}, so it cannot take the value "
                        f"{self.new} (SymPy has already simplified the previous expression with that assumption); "
                        f"declare {self.old} with the assumptions the value meets")
        return None

    def check(self, before, context: StepContext) -> Verdict:
        replaced = before.subs(self.old, self.new)
        verdicts = [check_equal(replaced, self.claim, context, f"previous with {self.old} -> {self.new} = claim")]
        if self.limit is not None:
            k = self.limit
            verdicts.append(check_limit(self.new, k, self.old, context, f"lim_({k}->oo) {self.new} = {self.old}"))
            if _jumps_in(before, self.old):
                # the limit passes through previous only where it is continuous in what was
                # replaced (sign(sqrt(x^2 + 1/k)) -> 1, not sign(|x|) = 0 at x = 0): judged itself
                verdicts.append(check_limit(self.claim, k, before, context, f"lim_({k}->oo) claim = previous"))
        elif not isinstance(self.old, (sp.Symbol, sp.Indexed)) and not self.old.atoms(AppliedUndef):
            # an expression replaced by another is an identity the step relies on (sigma(x) by
            # (1 + tanh(x/2))/2), not a value given to a parameter (k -> 1) nor a placeholder
            # f(x) given its definition: judged itself
            verdicts.append(check_equal(self.old, self.new, context, f"{self.old} = {self.new}"))
        return Verdict.combine(verdicts)


_JUMPING = (sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.frac, sp.Piecewise, sp.DiracDelta)


def _jumps_in(expr: sp.Basic, part: sp.Basic) -> bool:
    """Whether ``expr`` may jump as a function of its sub-expression ``part``: a sign, Heaviside,
    floor, Piecewise or relation of it. Elsewhere (Max, Abs, exp, log, powers) it is continuous
    in ``part`` where defined, so lim new = part gives lim expr(new) = expr(part)."""
    u = sp.Dummy("u")
    replaced = expr.subs(part, u)
    return any(node.has(u) for node in replaced.atoms(*_JUMPING, sp.core.relational.Relational))


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Limit(Step):
    """Limit(x, b, to=a, side=s): lim_{x -> a} previous = b; a is +oo (the default, written
    Limit(k, b)), -oo or a finite expression free of x; for a finite a, side="+" (from the
    right), "-" (from the left) or "" (two-sided: both one-sided limits are b).

    Each is judged as a limit at +oo by substitution, u -> +oo: x = -u for -oo, x = a + 1/u
    from the right, x = a - 1/u from the left; so the numeric path is x - a = 10^-1 .. 10^-64
    and the proof the one for +oo, its case splits on the other symbols included.

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> Limit(x, 1, to=0)                      # lim_{x -> 0} sin(x)/x = 1
    Limit(x, 1, to=0)
    >>> Limit(x, 0, to=0, side="+")            # lim_{x -> 0+} x log x = 0
    Limit(x, 0, to=0, side='+')
    >>> Limit(x, 0, to=-sp.oo)                 # lim_{x -> -oo} x e^x = 0
    Limit(x, 0, to=-oo)
    """

    kind = "limit"
    relation = Relation.EQUAL_IN_LIMIT

    variable: sp.Symbol
    claim: sp.Basic
    _: KW_ONLY
    to: sp.Basic = sp.oo
    side: str = ""

    def __post_init__(self):
        if isinstance(self.to, int) and not isinstance(self.to, bool):
            object.__setattr__(self, "to", sp.Integer(self.to))

    def expressions(self):
        found = {"variable": self.variable, "claim": self.claim}
        if self.to is not sp.oo:
            found["to"] = self.to
        return found

    def validate_against(self, before):
        x, to, side = self.variable, self.to, self.side
        if not isinstance(x, sp.Symbol):
            return f"the limit variable must be a SymPy symbol, not {x!r}"
        if side not in ("", "+", "-"):
            return f'side must be "+" (from the right), "-" (from the left) or "" (two-sided), not {side!r}'
        if not isinstance(to, sp.Basic):
            return f"to= must be a SymPy expression, sympy.oo or -sympy.oo, not {type(to).__name__} {to!r}"
        if to in (sp.oo, -sp.oo):
            if side:
                return f"side= is for a finite limit point; {x} -> {to} has one side only: drop side={side!r}"
        elif to.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            return f"to={to} is not a limit point: write to=sympy.oo, to=-sympy.oo or a finite expression"
        elif x in to.free_symbols:
            return f"the limit point to={to} depends on the limit variable {x} itself"
        if to is sp.oo:  # the original form, k -> +oo: judged as it always was
            return None
        if isinstance(self.claim, sp.Basic) and self.claim.has(x):
            return f"the claimed limit {self.claim} still depends on {x}, the variable that tends to {to}"
        if to not in (sp.oo, -sp.oo) and x.is_integer:
            return f"{x} is declared integer, so it cannot tend to the finite point {to}; declare it real=True"
        reason = _outside_assumptions(x, to, side)
        if reason:
            return reason
        return None

    def check(self, before, context: StepContext) -> Verdict:
        x, to = self.variable, self.to
        return check_limit(before, x, self.claim, context, f"lim_({x}->{_limit_point(to, self.side)}) previous = claim",
                           to=to, side=self.side)

    def limit_expression(self, before: sp.Basic) -> sp.Limit:
        """The claim's left side as SymPy's unevaluated Limit (for display), e.g. Limit(f, x, 0, "+");
        SymPy's two-sided direction is "+-"."""
        direction = self.side or ("+-" if self.to not in (sp.oo, -sp.oo) else "-" if self.to == sp.oo else "+")
        return sp.Limit(before, self.variable, self.to, direction)


def _limit_point(to: sp.Basic, side: str) -> str:
    """How a limit point reads in a check's description: oo, -oo, 0, 0+, 0-."""
    return f"{to}{side}"


def _outside_assumptions(x: sp.Symbol, to: sp.Basic, side: str) -> str | None:
    """Why x's declared sign keeps it from approaching ``to`` (from ``side``), or None."""
    nonnegative, nonpositive = x.is_nonnegative, x.is_nonpositive
    if not (nonnegative or nonpositive):
        return None
    sign = "nonnegative" if nonnegative else "nonpositive"
    if to == -sp.oo and nonnegative:
        return f"{x} is declared {sign}, so it cannot tend to -oo; declare it real=True"
    if to in (sp.oo, -sp.oo):
        return None

    def reachable(one: str) -> bool:  # x = to + 1/u (right) or to - 1/u (left), u large:
        # within x's sign for every value of to's symbols, as SymPy's assumptions show
        if nonnegative:
            return bool(to.is_nonnegative if one == "+" else to.is_positive)
        return bool(to.is_nonpositive if one == "-" else to.is_negative)

    for one in (side,) if side else ("+", "-"):
        if not reachable(one):
            where = "right" if one == "+" else "left"
            other = "-" if one == "+" else "+"
            remedy = (f'; for the limit from the {"left" if other == "-" else "right"} write side="{other}"'
                      if not side and reachable(other) else "; declare it real=True")
            return f"{x} is declared {sign}, so it cannot approach {to} from the {where}{remedy}"
    return None


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class DropTerm(Step):
    """DropTerm(t, b, limit=k): b is previous without the term t, whose effect vanishes:
    previous - b -> 0 as k -> +oo."""

    kind = "drop-term"
    relation = Relation.EQUAL_IN_LIMIT

    term: sp.Basic
    claim: sp.Basic
    _: KW_ONLY
    limit: sp.Symbol

    def expressions(self):
        return {"term": self.term, "claim": self.claim, "limit": self.limit}

    def validate_against(self, before):
        if before is not None and not before.has(self.term):
            return f"the term {self.term} to drop does not occur in the previous expression {before}"
        return None

    def check(self, before, context: StepContext) -> Verdict:
        k = self.limit
        return check_limit(before - self.claim, k, sp.Integer(0), context, f"previous - claim -> 0 as {k} -> oo")


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Bound(Step):
    """Bound(b, "<="): previous <= b on the domain (">=": previous >= b; "<" and ">": strictly).

    A strict bound is the bound with "=" allowed, and then no point of equality: a point where
    previous = b exactly (SymPy's exact value of the difference, at a rational or algebraic
    point: the sampler's edge and random points, the difference's real roots in one symbol)
    refutes it, certified. So does the search's closest point read as a simple number (log 2,
    pi/2) where the sides are exactly equal there; where they meet within 10^-30 at a point no
    exact number names ((x e^x - 1)^2 > 0 at W(1)), the bound is "inconclusive". "proved" needs
    the strict inequality proved on the whole domain, its exceptional points included
    (``symbolic.prove_positive``); otherwise at most "checked".

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> Bound(0, ">")          # e^x > 0 on the reals (proved); x^2 > 0 is refuted at x = 0
    Bound(0, '>')
    """

    kind = "bound"

    claim: sp.Basic
    direction: str = "<="

    @property
    def relation(self) -> Relation:
        return {"<=": Relation.LESS_EQUAL, ">=": Relation.GREATER_EQUAL, "<": Relation.LESS,
                ">": Relation.GREATER}.get(self.direction, Relation.LESS_EQUAL)

    def validate_against(self, before):
        if self.direction not in ("<=", ">=", "<", ">"):
            return f'direction must be "<=", ">=", "<" or ">", not {self.direction!r}'
        return None

    def check(self, before, context: StepContext) -> Verdict:
        if self.direction == "<=":
            return check_bound(before, self.claim, context, "previous <= claim")
        if self.direction == ">=":
            return check_bound(self.claim, before, context, "previous >= claim", written_reversed=True)
        if self.direction == "<":
            return check_strict_bound(before, self.claim, context, "previous < claim")
        return check_strict_bound(self.claim, before, context, "previous > claim", written_reversed=True)


# -- approximations and big-O ---------------------------------------------------------------------

@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Approximate(Step):
    """Approximate(b, tol): previous ≈ b, with |previous - b| <= tol on the domain; with
    relative=True, |previous - b| <= tol |previous|. tol is an exact positive number (write
    4.74e-4 as sympy.Rational("4.74e-4")). The next step starts from b.

    The largest error is searched for, not sampled (many starts, Nelder-Mead, a 45-digit polish
    of the best): the verdict names the largest error found, its point and the margin to tol;
    a tol below it is refuted by a certified counterexample (ball arithmetic). "proved" needs a
    symbolic proof of the bound on the whole domain; a search is evidence only: "checked".

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> Approximate(x, sp.Rational(1, 40), where=(x >= 0, x <= sp.Rational(1, 2)))  # sin x ≈ x: 0.0206 at 1/2
    Approximate(x, 1/40, where=(x >= 0, x <= 1/2))
    """

    kind = "approximate"
    relation = Relation.APPROXIMATE

    claim: sp.Basic
    tolerance: sp.Basic
    _: KW_ONLY
    relative: bool = False  # True: the error relative to |previous|, |previous - b| <= tol |previous|

    def __post_init__(self):
        if isinstance(self.tolerance, int) and not isinstance(self.tolerance, bool):
            object.__setattr__(self, "tolerance", sp.Integer(self.tolerance))

    def expressions(self):
        return {"claim": self.claim, "tolerance": self.tolerance}

    def validate_against(self, before):
        tol = self.tolerance
        if tol.free_symbols:
            return f"the tolerance {tol} depends on {', '.join(sorted(map(str, tol.free_symbols)))}: a tolerance is a number"
        if tol.is_positive is not True or tol.is_finite is not True:
            return f"the tolerance {tol} is not a finite positive number"
        if not isinstance(self.relative, bool):
            return f"relative= must be True or False, not {self.relative!r}"
        return None

    def check(self, before, context: StepContext) -> Verdict:
        what = f"|previous - claim| <= {_number_text(self.tolerance)}" + (" |previous|" if self.relative else "")
        return check_approximation(before, self.claim, self.tolerance, context, what, relative=self.relative)


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Asymptotic(Step):
    """Asymptotic(x, b, n, to=a, side=s): previous = b + O(|x - a|^n) as x -> a (a finite,
    default 0; side="+" from the right, "-" from the left, "" both). n is an exact number. The
    next step starts from b. With to=oo (or -oo): previous = b + O(|x|^-n) as x -> oo, that is
    (previous - b) x^n bounded for large x; judged as the claim at u = 0+ with x = 1/u (x = -1/u
    for -oo): previous(1/u) = b(1/u) + O(u^n).

    Judged per side on the ratio r = (previous - b)/|x - a|^n: SymPy's limit c of r, then the
    limit machinery (Limit's: x - a = 10^-1 .. 10^-64 in ball arithmetic, and SymPy's proof):
    lim r = c finite, so r is bounded ("proved" when that limit is proved). If SymPy finds
    c = +-oo, the leading term L |x - a|^m of previous - b (m < n) contradicts the claim, which
    implies (previous - b)/|x - a|^m -> 0: that limit's certified refutation refutes the step;
    numbers that cannot certify it leave it "disputed", never refuted. With no c from SymPy,
    only the consequence (previous - b)/|x - a|^(n-1) -> 0 is judged: "inconclusive" at best.

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> Asymptotic(x, x - x**3/6, 5)                 # sin x = x - x^3/6 + O(x^5)
    Asymptotic(x, -x**3/6 + x, 5)
    >>> Asymptotic(x, x - 1, 2, to=1, side="+")      # log x = (x - 1) + O((x - 1)^2), x -> 1+
    Asymptotic(x, x - 1, 2, to=1, side='+')
    >>> Asymptotic(x, sp.pi/2 - 1/x, 3, to=sp.oo)    # atan x = pi/2 - 1/x + O(x^-3), x -> oo
    Asymptotic(x, pi/2 - 1/x, 3, to=oo)
    """

    kind = "asymptotic"
    relation = Relation.ASYMPTOTIC

    variable: sp.Symbol
    claim: sp.Basic
    order: sp.Basic
    _: KW_ONLY
    to: sp.Basic = sp.Integer(0)
    side: str = ""

    def __post_init__(self):
        for name in ("order", "to"):
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, sp.Integer(value))

    def expressions(self):
        return {"variable": self.variable, "claim": self.claim, "order": self.order, "to": self.to}

    def validate_against(self, before):
        x, to, side, n = self.variable, self.to, self.side, self.order
        if not isinstance(x, sp.Symbol):
            return f"the variable must be a SymPy symbol, not {x!r}"
        if side not in ("", "+", "-"):
            return f'side must be "+" (from the right), "-" (from the left) or "" (both sides), not {side!r}'
        if n.free_symbols or not n.is_real or not n.is_finite:
            return f"the order {n} must be a real number (the n of O(|{x} - a|^n))"
        if to in (sp.oo, -sp.oo):
            if side:
                return f"side= is for a finite point; {x} -> {to} has one side only: drop side={side!r}"
            return _outside_assumptions(x, to, side)
        if to.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            return f"to={to} is not a point: write to=sympy.oo, to=-sympy.oo or a finite expression"
        if x in to.free_symbols:
            return f"the point to={to} depends on the variable {x} itself"
        if x.is_integer:
            return f"{x} is declared integer, so it cannot tend to the finite point {to}; declare it real=True"
        return _outside_assumptions(x, to, side)

    def check(self, before, context: StepContext) -> Verdict:
        x, to = self.variable, self.to
        if to in (sp.oo, -sp.oo):
            sign = 1 if to == sp.oo else -1
            taken = {s.name for s in context.symbols} | {s.name for e in (before, self.claim) for s in sp.sympify(e).free_symbols}
            u = sp.Symbol(next(n for n in ("u", "v", "w", *(f"u{i}" for i in range(1, 100))) if n not in taken), positive=True)
            what = (f"previous = claim + O(|{x}|^-{self.order}) as {x} -> {to} "
                    f"(as {x} = {'-' if sign < 0 else ''}1/{u}, {u} -> 0+)")
            along = {x: sign / u}
            verdict = check_asymptotic(sp.sympify(before).subs(along), sp.sympify(self.claim).subs(along), u, self.order,
                                       context, what, to=sp.Integer(0), side="+")
            return replace(verdict, method=_in_x(verdict.method, u, x), detail=_in_x(verdict.detail, u, x))
        what = f"previous = claim + O({_distance_text(x, to, self.order)}) as {x} -> {_limit_point(to, self.side)}"
        return check_asymptotic(before, self.claim, x, self.order, context, what, to=to, side=self.side)

    def order_term(self) -> sp.Order:
        """The O term as SymPy's Order (for display): O(x^n) at 0, O((x - a)^n; x -> a) elsewhere,
        O(x^-n; x -> oo) at infinity."""
        x, to = self.variable, self.to
        if to in (sp.oo, -sp.oo):
            return sp.Order(x ** -self.order, (x, to))
        return sp.Order(x**self.order) if to == 0 else sp.Order((x - to) ** self.order, (x, to))


def _in_x(text: str, u: sp.Symbol, x: sp.Symbol) -> str:
    """A verdict's text about u = 1/|x| said in x: "/|u|^3" as "*|x|^3", "|u|^2" as "|x|^-2".

    >>> _in_x("the ratio (previous - claim)/|u|^3 tends to 1; ~ 2*|u|^1", sp.Symbol("u"), sp.Symbol("x"))
    'the ratio (previous - claim)*|x|^3 tends to 1; ~ 2*|x|^-1'
    """
    text = re.sub(rf"/\|{u}\|\^([\w./]+)", rf"*|{x}|^\1", text)
    return re.sub(rf"\|{u}\|\^([\w./]+)", rf"|{x}|^-\1", text)


# -- Generalise: the displayed n-variable claim, compared with each instance ---------------------

_FREE_INDEX_CASES = 64  # at most this many values of the displayed claim's free indices per n
_SHOWN = 70  # characters of an expression quoted in a message


def _short(expr: sp.Basic) -> str:
    text = str(expr)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _equivalent(a: sp.Basic, b: sp.Basic, cheap: bool = False) -> str | None:
    """A cheap symbolic reason why a and b are the same expression, or None (don't know);
    with ``cheap``, only structural identity."""
    if a == b:
        return "identical"
    if cheap:
        return None
    try:
        with time_limit(2.0):
            difference = a - b
            if sp.expand(difference) == 0:
                return "expand"
            if sp.cancel(sp.together(difference)) == 0:
                return "cancel"
    except StepTimeout:
        return None
    except Exception:  # noqa: BLE001 - SymPy raising is "don't know"
        return None
    return None


@dataclass(frozen=True, slots=True)
class _Shown:
    """The displayed claim at one n (and one value of each free index), mapped onto the
    instance's variables: its two sides, or the reason it could not be built."""

    at: str  # "n = 3" or "n = 3, i = 2"
    lhs: sp.Basic | None = None
    rhs: sp.Basic | None = None
    problem: str = ""
    placeholders: tuple = ()  # symbols of the displayed claim that the instance does not have


# A displayed side with n (and the free indices) substituted and expanded, shared by the steps
# that display the same side (LSE_n in "any shift" and in "max-shift"): a pure function of the
# side and the values, and a StepTimeout is never stored.
_SHOWN_SIDES: dict = {}


MAX_UNROLLED_TERMS = 4096  # terms a nested Sum with an index-dependent bound is unrolled into


@lru_cache(maxsize=2048)
def _expanded_sum(node: sp.Basic) -> sp.Basic:
    return _unrolled(node.doit())


def _unrolled(expr: sp.Basic) -> sp.Basic:
    """Sums and Products whose bounds are numbers once their outer indices are, written out:
    SymPy keeps Sum(x[j], (j, 1, i), (i, 1, 2)) as it stands (the inner bound is the outer
    index), which is x[1] + (x[1] + x[2])."""
    def unroll(node):
        if not isinstance(node, (sp.Sum, sp.Product)):
            return node
        *inner, (index, low, high) = node.limits
        if not (low.is_Integer and high.is_Integer) or high - low >= MAX_UNROLLED_TERMS:
            return node
        body = node.function if not inner else node.func(node.function, *inner)
        terms = [_unrolled(body.subs(index, v).doit()) for v in range(int(low), int(high) + 1)]
        return sp.Add(*terms) if isinstance(node, sp.Sum) else sp.Mul(*terms)

    if not expr.has(sp.Sum, sp.Product):
        return expr
    return expr.replace(lambda node: isinstance(node, (sp.Sum, sp.Product)), unroll)


def _outer_sums(expr: sp.Basic, found: set) -> None:
    if isinstance(expr, (sp.Sum, sp.Product)):
        found.add(expr)
        return
    for arg in expr.args:
        _outer_sums(arg, found)


def _expanded(expr: sp.Basic) -> sp.Basic:
    """``expr.doit()``, its outermost Sums and Products expanded once each (a Sum's doit does not
    depend on where it stands): the displayed claim at n = 2..8 and at each value of a free index
    repeats the same Sums, and the steps of a derivation share them."""
    sums: set = set()
    _outer_sums(expr, sums)
    bound = _bound_symbols(expr) if sums else set()
    sums = {node for node in sums if not (node.free_symbols & bound)}
    if sums:
        expr = expr.xreplace({node: _expanded_sum(node) for node in sums})
    return _unrolled(expr.doit())


def _bound_symbols(expr: sp.Basic) -> set:
    """The symbols some construct of ``expr`` binds (a Sum's index, an Integral's variable): a
    Sum mentioning one of them is expanded where it stands, not apart."""
    bound: set = set()
    for node in sp.preorder_traversal(expr):
        variables = getattr(node, "bound_symbols", ())
        if variables:
            bound |= set(variables)
    return bound


def _family(instance_symbols, label: str) -> dict[int, sp.Symbol]:
    """The instance's variables of one indexed family: x_1, x_2, ... (or x1, x2, ...) by index."""
    pattern = re.compile(rf"{re.escape(label)}_?(\d+)$")
    found = {}
    for s in instance_symbols:
        match = pattern.match(s.name)
        if match:
            found[int(match.group(1))] = s
    return found


def _renaming(known: "_Shown", u: int, shown: "_Shown", v: int, fixed: set) -> bool:
    """Whether ``shown`` (the claim at free index v) is ``known`` (at index u) with every variable
    x_u swapped for x_v: then it holds wherever ``known`` does. Only variables of like
    assumptions, and none the constraints mention, are swapped."""
    symbols = known.lhs.free_symbols | known.rhs.free_symbols | shown.lhs.free_symbols | shown.rhs.free_symbols
    by_name = {s.name: s for s in symbols}
    swap = {}
    for s in symbols:
        match = re.match(r"(.*?)(_?)(\d+)$", s.name)
        if not match or int(match.group(3)) != u:
            continue
        partner = by_name.get(f"{match.group(1)}{match.group(2)}{v}")
        if partner is None:
            continue
        if partner.assumptions0 != s.assumptions0 or s in fixed or partner in fixed:
            return False
        swap[s], swap[partner] = partner, s
    if not swap:
        return False
    return known.lhs.xreplace(swap) == shown.lhs and known.rhs.xreplace(swap) == shown.rhs


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Generalise(Step):
    """Generalise(c, instance, ns=(2..8)): the n-variable claim c, checked for each n in ns, where
    instance(n) = (lhs, rhs) states it for n variables: lhs = rhs; with ``limit=k``
    lim_{k -> oo} lhs = rhs; with ``direction="<="`` (or ">=") lhs <= rhs. The verdict says which
    n were checked: no n beyond them is claimed.

    The displayed claim c is checked too, not only shown: for each n it is built with its n
    substituted (the claim's symbol named ``n``, or ``n=``), its Sums and Products expanded and
    each x[j] mapped to the instance's variable x_j (or x j); it must be the instance's claim
    (the same sides), or else it is checked by itself. A free index (x[i] outside any Sum) is
    checked at every i = 1..n. ``variables=`` (a function of n returning a dict) says what a
    displayed name stands for in the instance: an IndexedBase -> the sequence of its entries,
    a symbol -> its value (e.g. M -> Max(x_1, ..., x_n), or i -> 1). A displayed claim that
    cannot be built this way is "not checked", and the step is then at most ``checked``."""

    kind = "generalise"

    claim: sp.Basic
    instance: object  # Callable[[int], tuple[sp.Basic, sp.Basic]]
    _: KW_ONLY
    ns: tuple = tuple(range(2, 9))
    limit: sp.Symbol | None = None
    direction: str = "="
    n: sp.Symbol | None = None  # the displayed claim's n (default: its free symbol named "n")
    variables: object = None  # Callable[[int], dict]: displayed name -> the instance's value(s)

    @property
    def relation(self) -> Relation:
        if self.direction != "=":
            return Relation.LESS_EQUAL if self.direction == "<=" else Relation.GREATER_EQUAL
        return Relation.EQUAL if self.limit is None else Relation.EQUAL_IN_LIMIT

    def expressions(self):
        found = {"claim": self.claim}
        if self.n is not None:
            found["n"] = self.n
        return found

    def validate_against(self, before):
        if not callable(self.instance):
            return f"instance must be a function of n returning (lhs, rhs), not {type(self.instance).__name__}"
        if not self.ns:
            return "ns names no n to check"
        if self.direction not in ("=", "<=", ">="):
            return f'direction must be "=", "<=" or ">=", not {self.direction!r}'
        if self.direction != "=" and self.limit is not None:
            return "a bound (direction <= or >=) cannot also be a limit"
        if self.n is not None and not isinstance(self.n, sp.Symbol):
            return f"n must be the SymPy symbol of n in the displayed claim, not {self.n!r}"
        if self.variables is not None and not callable(self.variables):
            return f"variables must be a function of n returning a dict, not {type(self.variables).__name__}"
        # only the first n is built here: building every n (Max of 8 arguments) would make
        # loading the catalog slow; a later n that fails to build is that check's error
        try:
            self.instance_pair(self.ns[0])
        except TypeError as exc:
            return str(exc)
        if self.variables is not None and not isinstance(self.variables(self.ns[0]), dict):
            return f"variables({self.ns[0]}) must return a dict, not {self.variables(self.ns[0])!r}"
        return None

    def instance_pair(self, n: int) -> tuple[sp.Basic, sp.Basic]:
        """instance(n) as two SymPy expressions: a Python int is exact and becomes an Integer
        (as in every other field); anything else that is not SymPy, a float included, is a
        TypeError naming the function, the n and the side."""
        name = f"the instance function {getattr(self.instance, '__name__', repr(self.instance))}({n})"
        pair = self.instance(n)
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"{name} must return a pair of SymPy expressions (lhs, rhs), not {pair!r}")
        sides = tuple(_as_expression(e, f"the {side} returned by {name}") for side, e in zip(("lhs", "rhs"), pair))
        for e in sides:
            complex_ = sorted((v.name for v in e.free_symbols if isinstance(v, sp.Symbol) and v.is_real is not True))
            if complex_:  # sampled as reals they would check |u|^2 = u^2
                raise TypeError(f"{name} returns the symbol {complex_[0]}, which may be complex (declared without "
                                f"real=True): declare it real=True, e.g. symbols('x_1:{n + 1}', real=True)")
        return sides

    # -- the claim checked, relation by relation ------------------------------------------
    def _judge(self, lhs, rhs, context: StepContext, what: str) -> Verdict:
        extra = sorted((lhs.free_symbols | rhs.free_symbols) - set(context.symbols), key=sp.default_sort_key)
        context = replace(context, symbols=context.symbols + tuple(extra))
        if self.limit is not None:
            return check_limit(lhs, self.limit, rhs, context, f"{what}: lim_({self.limit}->oo) lhs = rhs")
        if self.direction == "<=":
            return check_bound(lhs, rhs, context, f"{what}: lhs <= rhs")
        if self.direction == ">=":
            return check_bound(rhs, lhs, context, f"{what}: lhs >= rhs", written_reversed=True)
        return check_equal(lhs, rhs, context, f"{what}: lhs = rhs")

    # -- the displayed claim ---------------------------------------------------------------
    def _displayed_sides(self) -> tuple[tuple | None, str]:
        """The displayed claim's two sides, oriented as the instance's (lhs, rhs), or why not."""
        c = self.claim
        if self.limit is not None:
            if isinstance(c, sp.Eq):
                for a, b in ((c.lhs, c.rhs), (c.rhs, c.lhs)):
                    if isinstance(a, sp.Limit) and a.args[1] == self.limit and a.args[2] is sp.oo:
                        return (a.args[0], b), ""
            return None, f"it is not Eq(Limit(..., {self.limit}, oo), ...)"
        if self.direction == "=":
            if isinstance(c, sp.Eq):
                return (c.lhs, c.rhs), ""
            return None, "it is not an equation Eq(lhs, rhs)"
        same, other = (sp.LessThan, sp.GreaterThan) if self.direction == "<=" else (sp.GreaterThan, sp.LessThan)
        if type(c) is same:
            return (c.lhs, c.rhs), ""
        if type(c) is other:
            return (c.rhs, c.lhs), ""
        return None, f"it is not a relation lhs {self.direction} rhs"

    def _n_symbol(self) -> sp.Symbol | None:
        if self.n is not None:
            return self.n
        return next((s for s in sorted(self.claim.free_symbols, key=sp.default_sort_key)
                     if isinstance(s, sp.Symbol) and s.name == "n"), None)

    def _free_indices(self, n_symbol) -> tuple:
        """Integer symbols indexing an x[i] outside every Sum: the claim is stated for each."""
        free = self.claim.free_symbols
        found = set()
        for atom in self.claim.atoms(sp.Indexed):
            for index in atom.indices:
                found |= {s for s in index.free_symbols if s in free and s.is_integer and s != n_symbol}
        return tuple(sorted(found, key=sp.default_sort_key))

    def _shown(self, sides, n: int, n_symbol, before: dict, after: dict, bases: dict,
               instance_symbols: set, at: str) -> _Shown:
        """The displayed claim at n with ``before`` substituted (n, indices), expanded, then mapped."""
        built, fresh = [], set()
        for side in sides:
            key = (side, tuple(sorted(before.items(), key=lambda item: sp.default_sort_key(item[0]))))
            expr = _SHOWN_SIDES.get(key)
            if expr is None:
                expr = side.subs(before) if before else side
                try:
                    with time_limit(5.0):
                        expr = _expanded(expr)
                except StepTimeout:
                    return _Shown(at, problem="expanding its Sums took more than 5 s")
                if len(_SHOWN_SIDES) >= 1024:
                    _SHOWN_SIDES.pop(next(iter(_SHOWN_SIDES)))
                _SHOWN_SIDES[key] = expr
            mapping = dict(after)
            for atom in sorted(expr.atoms(sp.Indexed), key=sp.default_sort_key):
                if atom in mapping:
                    continue
                (index,) = atom.indices if len(atom.indices) == 1 else (None,)
                if index is None or not index.is_Integer:
                    return _Shown(at, problem=f"{atom} has no numeric index")
                label = atom.base.label.name if hasattr(atom.base.label, "name") else str(atom.base.label)
                j = int(index)
                if label in bases:
                    entries = bases[label]
                    if not 1 <= j <= len(entries):
                        return _Shown(at, problem=f"{atom} is beyond the {len(entries)} entries given by variables=")
                    mapping[atom] = sp.sympify(entries[j - 1])
                    continue
                family = _family(instance_symbols, label)
                if j in family:
                    mapping[atom] = family[j]
                elif family:  # an entry the instance does not have, e.g. x[n + 1]: a variable of its own
                    like = next(iter(family.values()))
                    mapping[atom] = sp.Symbol(f"{label}_{j}", **like.assumptions0)
                    fresh.add(mapping[atom])
                else:  # the instance has no x_j at all (it simplified them away, or put values in
                    # their place): the displayed claim keeps its own x_j, a placeholder
                    mapping[atom] = sp.Symbol(f"{label}_{j}", **atom.base.label.assumptions0)
            expr = expr.xreplace(mapping)
            if expr.has(sp.Sum, sp.Product):
                return _Shown(at, problem=f"a Sum or Product in it does not expand: {_short(expr)}")
            undefined = expr.atoms(AppliedUndef)
            if undefined:
                names = ", ".join(sorted({str(f.func) for f in undefined}))
                return _Shown(at, problem=f"it uses the placeholder function {names}, which the engine cannot evaluate")
            if expr.atoms(sp.Indexed):
                return _Shown(at, problem=f"{sorted(map(str, expr.atoms(sp.Indexed)))[0]} is left unmapped")
            built.append(expr)
        lhs, rhs = built
        placeholders = (lhs.free_symbols | rhs.free_symbols) - instance_symbols - fresh
        return _Shown(at, lhs, rhs, placeholders=tuple(sorted(placeholders, key=sp.default_sort_key)))

    def _matches(self, shown: _Shown, lhs, rhs, cheap: bool = False) -> str | None:
        """How the displayed sides were seen to be the instance's sides, or None."""
        orders = [(shown.lhs, shown.rhs)]
        if self.limit is None and self.direction == "=":
            orders.append((shown.rhs, shown.lhs))
        for a, b in orders:
            first = _equivalent(a, lhs, cheap)
            second = first and _equivalent(b, rhs, cheap)
            if second:
                return first if first == second else f"{first} + {second}"
        return None

    def _mismatch(self, shown: _Shown, lhs, rhs) -> str:
        """Which side of the displayed claim differs from the instance, quoted."""
        if _equivalent(shown.lhs, lhs) is None:
            return f"its lhs {_short(shown.lhs)} is not the instance's {_short(lhs)}"
        return f"its rhs {_short(shown.rhs)} is not the instance's {_short(rhs)}"

    def _check_displayed(self, n: int, sides, n_symbol, free, lhs, rhs, context: StepContext):
        """(verdicts, reasons not checked, methods) for the displayed claim at n."""
        given = dict(self.variables(n)) if self.variables is not None else {}
        bases, before, after = {}, {}, {}
        if n_symbol is not None:
            before[n_symbol] = sp.Integer(n)
        for key, value in given.items():
            if isinstance(key, sp.IndexedBase):
                bases[key.label.name if hasattr(key.label, "name") else str(key.label)] = tuple(value)
            elif isinstance(key, sp.Symbol) and key in free:
                before[key] = sp.sympify(value)
            else:
                after[key] = sp.sympify(value)
        open_indices = [s for s in free if s not in before]
        cases = list(itertools.product(range(1, n + 1), repeat=len(open_indices)))
        if len(cases) > _FREE_INDEX_CASES:
            return [], [f"n = {n}: its free indices {', '.join(map(str, open_indices))} take {len(cases)} values"], []
        instance_symbols = lhs.free_symbols | rhs.free_symbols
        shown_all = []
        for values in cases:
            at = ", ".join([f"n = {n}"] + [f"{s} = {v}" for s, v in zip(open_indices, values)])
            subs = dict(before)
            subs.update({s: sp.Integer(v) for s, v in zip(open_indices, values)})
            shown = self._shown(sides, n, n_symbol, subs, after, bases, instance_symbols, at)
            if shown.problem:
                return [], [f"{shown.at}: {shown.problem}"], []
            shown_all.append(shown)
        matched, judged, seen, renamed = [], [], [], 0
        fixed = set().union(*(c.free_symbols for c in context.constraints)) if context.constraints else set()
        for shown, values in zip(shown_all, cases):
            # cheapest first: the instance's sides as they stand, an index already judged with
            # its variables renamed, and only then the instance's sides up to expand / cancel
            how = self._matches(shown, lhs, rhs, cheap=True)
            if not how and len(open_indices) == 1 and any(_renaming(rep, u, shown, values[0], fixed) for rep, u in seen):
                renamed += 1  # the claim at an index already judged, its variables renamed
                continue
            how = how or self._matches(shown, lhs, rhs)
            if how:
                matched.append(how)
            else:
                judged.append((shown, self._judge(shown.lhs, shown.rhs, context, f"{shown.at}: displayed claim")))
            if open_indices:
                seen.append((shown, values[0]))
        methods = [f"= instance ({how})" for how in matched]
        if renamed:
            methods.append("the other indices by renaming x_i <-> x_j")
        if not judged:
            return [], [], methods
        bad = (Status.REFUTED, Status.DISPUTED, Status.ERROR)
        failing = [(s, v) for s, v in judged if v.status in bad]
        verdicts = [v for _, v in judged if v.status not in bad]
        methods += [f"by itself ({v.method})" for v in verdicts if v.method]
        reasons = []
        if failing:
            # a failure refutes the step only when the displayed claim is fully determined: not
            # one of several values of a free index (one of which is the instance), and no
            # displayed symbol the instance lacks (a placeholder such as M for the maximum)
            certain = not matched and len(failing) == len(judged) and not any(s.placeholders for s, _ in failing)
            for shown, verdict in failing:
                message = f"{shown.at}: the displayed claim is not the instance ({self._mismatch(shown, lhs, rhs)})"
                if certain:
                    fails = "and it fails by itself" if verdict.status is Status.REFUTED else f"and it is {verdict.status.value} by itself"
                    detail = f"{message} {fails}" + (f"; {verdict.detail}" if verdict.detail else "")
                    verdicts.append(Verdict(verdict.status, f"displayed claim: {verdict.method}", verdict.evidence, detail, verdict.seconds))
                    methods.append(f"{verdict.status.value} by itself ({verdict.method})")
                else:
                    why = (f"with {', '.join(map(str, shown.placeholders))} free (the instance has no such variable)"
                           if shown.placeholders else "while the instance holds at another value of its free index")
                    reasons.append(f"{message}, and {why} it is {verdict.status.value}: {verdict.summary()}")
        return verdicts, reasons, methods

    def check(self, before, context: StepContext) -> Verdict:
        sides, unusable = self._displayed_sides()
        n_symbol = self._n_symbol()
        free = self._free_indices(n_symbol)
        if sides is not None and self.claim.atoms(AppliedUndef):
            names = ", ".join(sorted({str(f.func) for f in self.claim.atoms(AppliedUndef)}))
            sides, unusable = None, f"it uses the placeholder function {names}, which the engine cannot evaluate"
        instance_verdicts, displayed_verdicts, reasons, displayed_methods = [], [], [], []
        for n in self.ns:
            try:
                lhs, rhs = self.instance_pair(n)
            except TypeError as exc:  # a later n than the one checked at load: say where
                raise TypeError(f"{self.location}: {exc}") from None
            instance_verdicts.append(self._judge(lhs, rhs, context, f"n = {n}"))
            if sides is None:
                continue
            verdicts, why, methods = self._check_displayed(n, sides, n_symbol, free, lhs, rhs, context)
            displayed_verdicts += verdicts
            reasons += why
            displayed_methods += methods
        if sides is None:
            reasons = [unusable]
        combined = Verdict.combine(instance_verdicts + displayed_verdicts)
        methods = sorted({v.method for v in instance_verdicts})
        consecutive = list(self.ns) == list(range(self.ns[0], self.ns[-1] + 1))
        ns = f"n = {self.ns[0]}..{self.ns[-1]}" if consecutive else f"n in {list(self.ns)}"
        method = f"for each {ns}: {' / '.join(methods)}"
        status, details = combined.status, [combined.detail] if combined.detail else []
        if reasons:
            status = weakest([status, Status.CHECKED])
            shown = reasons[:3] + ([f"... ({len(reasons) - 3} more)"] if len(reasons) > 3 else [])
            details.append("displayed claim not checked: " + "; ".join(shown))
            method += "; displayed claim not checked"
        else:
            kinds = sorted(set(displayed_methods))
            method += f"; displayed claim {' / '.join(kinds)}" if kinds else ""
        return Verdict(status, method, combined.evidence, "; ".join(details), combined.seconds)
