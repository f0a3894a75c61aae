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

from dataclasses import KW_ONLY, dataclass, replace

import sympy as sp

from .checks import check_bound, check_equal, check_limit
from .model import Relation, Step, StepContext, step_kind
from .verdict import Status, Verdict


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
    """Differentiate(x, b): d/dx previous = b; the engine differentiates, the claim is compared."""

    kind = "differentiate"
    relation = Relation.DERIVATIVE

    variable: sp.Symbol
    claim: sp.Basic

    def expressions(self):
        return {"variable": self.variable, "claim": self.claim}

    def check(self, before, context: StepContext) -> Verdict:
        derivative = sp.diff(before, self.variable)
        return check_equal(derivative, self.claim, context, f"d/d{self.variable} previous = claim")


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
    the one the condition fixes. SymPy's ``integrate`` is never trusted: F is differentiated."""

    kind = "integrate"
    relation = Relation.ANTIDERIVATIVE

    variable: sp.Symbol
    claim: sp.Basic
    _: KW_ONLY
    fixed_by: Condition | None = None

    def expressions(self):
        found = {"variable": self.variable, "claim": self.claim}
        if self.fixed_by is not None:
            found.update({"fixed_by.at": self.fixed_by.at, "fixed_by.value": self.fixed_by.value})
        return found

    def validate_against(self, before):
        if self.fixed_by is None:
            return "an antiderivative is only fixed up to a constant: say what fixes it, fixed_by=Condition(at, value)"
        return None

    def check(self, before, context: StepContext) -> Verdict:
        x = self.variable
        verdicts = [check_equal(sp.diff(self.claim, x), before, context, f"d/d{x} claim = previous")]
        at, value = self.fixed_by.at, self.fixed_by.value
        if at in (sp.oo, -sp.oo):
            sign = 1 if at == sp.oo else -1
            gap = (self.claim - value).subs(x, sign * x)
            verdicts.append(check_limit(gap, x, sp.Integer(0), context, f"claim - ({value}) -> 0 as {x} -> {at}"))
        else:
            verdicts.append(check_equal(self.claim.subs(x, at), value, context, f"claim at {x} = {at} equals {value}"))
        return Verdict.combine(verdicts)


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
        return None

    def check(self, before, context: StepContext) -> Verdict:
        replaced = before.subs(self.old, self.new)
        verdicts = [check_equal(replaced, self.claim, context, f"previous with {self.old} -> {self.new} = claim")]
        if self.limit is not None:
            k = self.limit
            verdicts.append(check_limit(self.new, k, self.old, context, f"lim_({k}->oo) {self.new} = {self.old}"))
        return Verdict.combine(verdicts)


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Limit(Step):
    """Limit(k, b): lim_{k -> +oo} previous = b."""

    kind = "limit"
    relation = Relation.EQUAL_IN_LIMIT

    variable: sp.Symbol
    claim: sp.Basic

    def expressions(self):
        return {"variable": self.variable, "claim": self.claim}

    def check(self, before, context: StepContext) -> Verdict:
        k = self.variable
        return check_limit(before, k, self.claim, context, f"lim_({k}->oo) previous = claim")


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
    """Bound(b, "<="): previous <= b on the domain (">=": previous >= b)."""

    kind = "bound"

    claim: sp.Basic
    direction: str = "<="

    @property
    def relation(self) -> Relation:
        return Relation.LESS_EQUAL if self.direction == "<=" else Relation.GREATER_EQUAL

    def validate_against(self, before):
        if self.direction not in ("<=", ">="):
            return f'direction must be "<=" or ">=", not {self.direction!r}'
        return None

    def check(self, before, context: StepContext) -> Verdict:
        if self.direction == "<=":
            return check_bound(before, self.claim, context, "previous <= claim")
        return check_bound(self.claim, before, context, "previous >= claim")


@step_kind
@dataclass(frozen=True, slots=True, repr=False)
class Generalise(Step):
    """Generalise(c, instance, ns=(2..8)): the n-variable claim c, checked for each n in ns, where
    instance(n) = (lhs, rhs) states it for n variables: lhs = rhs; with ``limit=k``
    lim_{k -> oo} lhs = rhs; with ``direction="<="`` (or ">=") lhs <= rhs. The verdict says which
    n were checked: no n beyond them is claimed."""

    kind = "generalise"

    claim: sp.Basic
    instance: object  # Callable[[int], tuple[sp.Basic, sp.Basic]]
    _: KW_ONLY
    ns: tuple = tuple(range(2, 9))
    limit: sp.Symbol | None = None
    direction: str = "="

    @property
    def relation(self) -> Relation:
        if self.direction != "=":
            return Relation.LESS_EQUAL if self.direction == "<=" else Relation.GREATER_EQUAL
        return Relation.EQUAL if self.limit is None else Relation.EQUAL_IN_LIMIT

    def validate_against(self, before):
        if not callable(self.instance):
            return f"instance must be a function of n returning (lhs, rhs), not {type(self.instance).__name__}"
        if not self.ns:
            return "ns names no n to check"
        if self.direction not in ("=", "<=", ">="):
            return f'direction must be "=", "<=" or ">=", not {self.direction!r}'
        if self.direction != "=" and self.limit is not None:
            return "a bound (direction <= or >=) cannot also be a limit"
        # only the first n is built here: building every n (Max of 8 arguments) would make
        # loading the catalog slow; a later n that fails to build is that check's error
        pair = self.instance(self.ns[0])
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(e, sp.Basic) for e in pair)):
            return f"instance({self.ns[0]}) must return a pair of SymPy expressions (lhs, rhs), not {pair!r}"
        return None

    def _check_instance(self, n: int, context: StepContext) -> Verdict:
        lhs, rhs = self.instance(n)
        extra = sorted((lhs.free_symbols | rhs.free_symbols) - set(context.symbols), key=sp.default_sort_key)
        context = replace(context, symbols=context.symbols + tuple(extra))
        if self.limit is not None:
            return check_limit(lhs, self.limit, rhs, context, f"n = {n}: lim_({self.limit}->oo) lhs = rhs")
        if self.direction == "<=":
            return check_bound(lhs, rhs, context, f"n = {n}: lhs <= rhs")
        if self.direction == ">=":
            return check_bound(rhs, lhs, context, f"n = {n}: lhs >= rhs")
        return check_equal(lhs, rhs, context, f"n = {n}: lhs = rhs")

    def check(self, before, context: StepContext) -> Verdict:
        verdicts = [self._check_instance(n, context) for n in self.ns]
        combined = Verdict.combine(verdicts)
        methods = sorted({v.method for v in verdicts})
        consecutive = list(self.ns) == list(range(self.ns[0], self.ns[-1] + 1))
        ns = f"n = {self.ns[0]}..{self.ns[-1]}" if consecutive else f"n in {list(self.ns)}"
        return Verdict(combined.status, f"for each {ns}: {' / '.join(methods)}", combined.evidence, combined.detail, combined.seconds)
