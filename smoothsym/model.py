"""The model: a derivation is declared symbols, a domain and an ordered chain of steps.

Steps are frozen data. Each step kind is one class (in ``steps.py``) registered in one table,
``STEP_KINDS``, which checks the class when it is added. The base class owns the public
``verify``; a kind implements only its hooks: ``output`` (what the step arrives at, usually its
claim) and ``check`` (how the claim is judged).

Nothing here checks mathematics; it only holds it, validates its shape and says where it came
from (file and line), so errors can point at the derivation file.
"""

from __future__ import annotations

import enum
import os
import re
import sys
import time
import unicodedata
from dataclasses import KW_ONLY, dataclass, field, fields, replace
from typing import TYPE_CHECKING, ClassVar

import sympy as sp
from sympy.core.function import AppliedUndef

from .constraints import ConstraintError, TooManyCases, cases, is_eliminated, without_idle_declarations
from .processes import any_integer_size  # noqa: F401 - this module's API
from .prose import math_problem
from .errors import DerivationError, StepTimeout
from .settings import CheckSettings
from .symbolic import hint_problem
from .verdict import Status, Verdict

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where something was written: the derivation file and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def caller_location() -> SourceLocation:
    """The first frame outside the smoothsym package: the line of the derivation file."""
    frame = sys._getframe(1)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(_PACKAGE_DIR + os.sep) and "dataclasses" not in path and "<string>" not in path:
            return SourceLocation(os.path.relpath(path), frame.f_lineno)
        frame = frame.f_back
    return SourceLocation("<unknown>", 0)


class Relation(enum.Enum):
    """How a step's claim relates to the expression before it."""

    START = "start"
    EQUAL = "="
    EQUAL_IN_LIMIT = "= in the limit"
    LESS_EQUAL = "<="
    GREATER_EQUAL = ">="
    LESS = "<"
    GREATER = ">"
    DERIVATIVE = "is the derivative of"
    ANTIDERIVATIVE = "is an antiderivative of"
    APPROXIMATE = "≈"  # |previous - claim| within a stated tolerance (Approximate)
    ASYMPTOTIC = "= + O"  # previous = claim + O(|x - a|^n) as x -> a (Asymptotic)


@dataclass(frozen=True, slots=True)
class StepContext:
    """What one step's check may use: settings, the declared symbols, the constraints in force
    (the derivation's domain plus the step's own ``where``), a per-step seed, and the step's
    hint (its ``by``: the SymPy method its proof is tried with first)."""

    settings: CheckSettings
    symbols: tuple[sp.Symbol, ...]
    constraints: tuple[sp.Basic, ...]
    seed: int
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """A step: from the previous expression to ``claim``, related by the kind's ``relation``.

    Common fields, given by keyword in every kind:
    ``label``  the seed's equation label it reproduces, e.g. ``"(6)"``;
    ``why``    the justification, one sentence;
    ``where``  constraints under which the page states the claim (added to the domain): an
               inequality ``x >= 0``, ``Ne(x, 0)``, an equality ``Eq(y1 + y2 + y3, 1)``, a
               finite set ``Contains(y, FiniteSet(0, 1))``, or the range of a free index over
               one of a claim's sizes, ``j <= M`` (j = 1..M);
    ``by``     a hint: the SymPy method that proves the claim (``"trigsimp"``, ``"rewrite(exp)"``;
               the choices are ``symbolic.HINTS``), tried first on each identity or bound the
               step checks; the usual methods follow when it does not prove it, so a hint
               never weakens a verdict (a limit takes no hint);
    ``expect_refuted``  non-empty when the claim is known to fail *as stated*: the reason. The
               step stays in the catalog, is shown as "refuted as stated, expected", and fails
               the run only if it is *not* refuted.
    ``export`` non-empty to offer the step's claim as a numeric function: its name, with the
               argument order and defaults if wanted, e.g. ``"softplus(x, k=1)"``
               (``smoothsym export``, see ``export.py``);
    ``shown``  the claim as the reports print it, when SymPy's evaluation at construction would
               change what was written (x^(2k+1) + (-x)^(2k+1) becomes 0): the same claim
               written unevaluated, ``with sympy.evaluate(False): ...`` or with
               ``UnevaluatedExpr``. It is checked at load to evaluate to the claim; the checks
               judge the claim, the pages print this.
    """

    kind: ClassVar[str] = "step"
    relation: ClassVar[Relation] = Relation.EQUAL

    # every kind declares its own positional fields, ending with ``claim``
    _: KW_ONLY
    label: str = ""
    why: str = ""
    where: tuple = ()
    by: str = ""
    expect_refuted: str = ""
    export: str = ""
    shown: object = None
    location: SourceLocation = field(default_factory=caller_location, compare=False, repr=False)

    def __repr__(self) -> str:
        """Positional fields first, then the keywords that differ from their defaults."""
        shown, keywords = [], []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "location":
                continue
            if f.kw_only:
                if value != f.default:
                    keywords.append(f"{f.name}={value!r}")
            else:
                shown.append(repr(value))
        return f"{type(self).__name__}({', '.join(shown + keywords)})"

    # -- hooks a kind may override -------------------------------------------------
    def output(self, before: sp.Basic | None) -> sp.Basic:
        """The expression the next step starts from."""
        return self.claim

    def check(self, before: sp.Basic | None, context: StepContext) -> Verdict:
        """Judge the claim against ``before``; every kind implements this."""
        raise NotImplementedError

    def expressions(self) -> dict[str, object]:
        """Every SymPy-valued field by name (validated for type and declared symbols)."""
        return {"claim": self.claim}

    def validate_against(self, before: sp.Basic | None) -> str | None:
        """A reason why this step cannot follow ``before`` (a broken chain), or None."""
        return None

    def display(self) -> str:
        """A one-line plain description of the transformation, for text output."""
        return self.kind

    # -- the one public verify --------------------------------------------------------
    def verify(self, before: sp.Basic | None, context: StepContext) -> Verdict:
        """Check the step, timing it; turn a time-out or a crash into a verdict, never a hang."""
        started = time.perf_counter()
        if self.by:
            context = replace(context, hint=self.by)
        if context.constraints:  # a declared range j <= M of an index this step does not use: not a variable here
            kept = without_idle_declarations(context.constraints, (before, *self.expressions().values()))
            if kept != context.constraints:
                context = replace(context, constraints=kept)
        try:
            verdict = self.check(before, context)
        except StepTimeout:
            verdict = Verdict(Status.TIMEOUT, "", detail=f"no result within {context.settings.time_limit:g} s")
        except Exception as exc:  # a crash in a check is the step's error, not the run's
            verdict = Verdict(Status.ERROR, "", detail=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - started
        return Verdict(verdict.status, verdict.method, verdict.evidence, verdict.detail, seconds)


STEP_KINDS: dict[str, type[Step]] = {}


def step_kind(cls: type[Step]) -> type[Step]:
    """Register a step kind, checking it when it is added rather than when it is first used."""
    if cls.kind in STEP_KINDS:
        raise TypeError(f"step kind {cls.kind!r} is registered twice ({STEP_KINDS[cls.kind].__name__}, {cls.__name__})")
    if cls.check is Step.check:
        raise TypeError(f"step kind {cls.__name__} does not implement check()")
    if not cls.__doc__:
        raise TypeError(f"step kind {cls.__name__} needs a docstring stating its rule")
    STEP_KINDS[cls.kind] = cls
    return cls


FLOAT_REMEDY = "write exact numbers: sympy.Rational('0.1') or sympy.Rational(1, 10)"


def _as_expression(value: object, what: str) -> sp.Basic:
    """``value`` as an exact SymPy expression, or a TypeError saying what is wrong with it: not
    SymPy at all, or a float anywhere inside (``0.5*x``, or a Python ``beta / 2`` that SymPy
    turned into a Float): a float is no exact number, so the claim could not be proved."""
    if isinstance(value, bool) or isinstance(value, (str, float)):
        raise TypeError(
            f"{what} is {type(value).__name__} {value!r}, not a SymPy expression"
            + ("; write exact numbers, e.g. sympy.Rational(1, 2)" if isinstance(value, float) else "")
        )
    if isinstance(value, int):
        return sp.Integer(value)
    if not isinstance(value, sp.Basic):
        raise TypeError(f"{what} is a {type(value).__name__}, not a SymPy expression")
    floats = sorted(value.atoms(sp.Float), key=lambda f: (abs(f), f))
    if floats:
        shown = ", ".join(_float_text(f) for f in floats[:3]) + (", ..." if len(floats) > 3 else "")
        text = str(value)
        text = text if len(text) <= 100 else text[:97] + "..."
        raise TypeError(
            f"{what} contains the float{'s' if len(floats) > 1 else ''} {shown} (in {text}); a Python "
            f"float such as 0.5*x or beta / 2 becomes an inexact sympy.Float; {FLOAT_REMEDY}"
        )
    return value


def evaluated(expr: sp.Basic) -> sp.Basic:
    """``expr`` as SymPy would have built it with evaluation on: each node rebuilt from its
    evaluated arguments, ``UnevaluatedExpr`` unwrapped.

    >>> x = sp.Symbol("x")
    >>> with sp.evaluate(False):
    ...     written = x + x
    >>> written, evaluated(written), evaluated(sp.UnevaluatedExpr(x) * 2)
    (x + x, 2*x, 2*x)
    """
    if isinstance(expr, sp.UnevaluatedExpr):
        return evaluated(expr.args[0])
    if not isinstance(expr, sp.Basic) or expr.is_Atom or not expr.args:
        return expr
    return expr.func(*(evaluated(a) for a in expr.args))


def _float_text(number: sp.Float) -> str:
    """A Float as it was most likely written: 0.1 rather than 0.100000000000000."""
    short = repr(float(number))
    try:
        same = sp.Float(short, precision=number._prec) == number
    except (ValueError, TypeError):
        same = False
    return short if same else str(number)


def _not_real_reason(symbol: sp.Symbol) -> str | None:
    """Why a declared symbol cannot be sampled: the sampler draws real values only."""
    if symbol.is_real is True:
        return None
    if symbol.is_real is False:
        declared = getattr(symbol, "_assumptions_orig", None) or symbol.assumptions0
        shown = ", ".join(f"{k}={v}" for k, v in sorted(declared.items()))
        return (
            f"symbol {symbol.name} is not real (declared {shown}): smoothsym samples "
            "real values only; declare it real=True, positive=True or integer=True"
        )
    return (
        f"symbol {symbol.name} may be complex (declared without real=True): smoothsym samples real "
        "values only; declare it real=True, positive=True or integer=True"
    )


# -- names and text: validated once, at load ---------------------------------------------------

# A derivation's name becomes its report's file name (NAME.html, NAME.tex) and its export's
# docstring; a symbol's or function's name is printed verbatim by SymPy's LaTeX printer and
# becomes a parameter of an exported function. So each is held to a grammar with no path
# separator, backslash, brace, quote or control character in it.
_DERIVATION_NAME = re.compile(r"[^\W_][\w.-]*")
RESERVED_NAMES = ("index",)  # the reports' index page is index.html
MAX_NAME_LENGTH = 100
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def name_problem(name: object, kind: str) -> str | None:
    r"""Why ``name`` cannot name a ``kind`` ("derivation", "symbol" or "function"), or None.

    A derivation's name: letters, digits, '-', '_' and '.' (no '..'), starting with a letter or
    digit; a symbol's or function's: a Python identifier (``x``, ``z_1``, ``theta``, ``θ``).

    >>> name_problem("smooth-abs", "derivation") is None, name_problem("z_1", "symbol") is None
    (True, True)
    >>> print(name_problem("../x", "derivation"))
    derivation name '../x' may hold only letters, digits, '-', '_' and '.' (no '..'), starting with a letter or digit: it names the report files NAME.html and NAME.tex
    >>> print(name_problem("\\input{/etc/passwd}", "symbol"))
    symbol name '\\input{/etc/passwd}' is not a Python identifier (letters, digits and '_', e.g. x, z_1, theta, θ): it is printed verbatim in LaTeX and names a parameter of an exported function
    """
    if not isinstance(name, str) or not name:
        return f"a {kind} needs a non-empty name (a str), not {name!r}"
    if len(name) > MAX_NAME_LENGTH:
        return f"{kind} name {name[:40]!r}... is {len(name)} characters long; at most {MAX_NAME_LENGTH}"
    if kind == "derivation":
        if not _DERIVATION_NAME.fullmatch(name) or ".." in name:
            return (
                f"derivation name {name!r} may hold only letters, digits, '-', '_' and '.' (no '..'), "
                "starting with a letter or digit: it names the report files NAME.html and NAME.tex"
            )
        if name.lower() in RESERVED_NAMES:
            return f"derivation name {name!r} is reserved: the reports' index page is {name.lower()}.html"
        return None
    if not name.isidentifier() or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        use = "names a parameter of an exported function" if kind == "symbol" else "names a function in exported code"
        return (
            f"{kind} name {name!r} is not a Python identifier (letters, digits and '_', e.g. x, z_1, theta, θ): "
            f"it is printed verbatim in LaTeX and {use}"
        )
    return None


def text_problem(text: object, what: str, lines: bool = False) -> str | None:
    """Why ``text`` (a title, label, justification) cannot be shown as written, or None: it must
    be a str with no control character (a newline or tab allowed in prose, ``lines``) and no
    bidirectional override, which would rewrite a terminal's or a page's text around it.

    >>> print(text_problem("(6)", "label"))
    None
    >>> print(text_problem("(6)\\x1b[2J", "label"))
    label '(6)\\x1b[2J' contains the control character '\\x1b'; write plain text
    """
    if not isinstance(text, str):
        return f"{what} must be a str, not {type(text).__name__} {text!r}"
    allowed = "\n\t" if lines else ""
    for ch in text:
        if (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in _BIDI:
            shown = text if len(text) <= 60 else text[:57] + "..."
            return f"{what} {shown!r} contains the control character {ch!r}; write plain text"
    return None


def names_in(expr: sp.Basic) -> list[tuple[str, str]]:
    """Every (kind, name) SymPy would print for ``expr``: symbols (bound ones too, such as a
    Sum's index) and undefined functions, sorted.

    >>> x = sp.Symbol("x"); f = sp.Function("f")
    >>> names_in(sp.Sum(f(x) * sp.Symbol("i"), (sp.Symbol("i"), 1, 3)))
    [('function', 'f'), ('symbol', 'i'), ('symbol', 'x')]
    """
    found: set[tuple[str, str]] = set()

    def walk(node):
        if isinstance(node, sp.Symbol):
            found.add(("symbol", node.name))
        elif isinstance(node, AppliedUndef):
            found.add(("function", type(node).__name__))
        # a Limit keeps its direction as a symbol named "+" or "-": no name of the derivation's
        for arg in node.args[:3] if isinstance(node, sp.Limit) else node.args:
            if isinstance(arg, sp.Basic):
                walk(arg)

    if isinstance(expr, sp.Basic):
        walk(expr)
    return sorted(found)


def unsafe_name_in(expr: sp.Basic) -> str | None:
    """The first reason a name in ``expr`` cannot be printed (see ``name_problem``), or None."""
    for kind, name in names_in(expr):
        problem = name_problem(name, kind)
        if problem:
            return problem
    return None




@dataclass(frozen=True, slots=True)
class Derivation:
    """A derivation: a titled chain of steps over declared symbols and a domain.

    ``symbols``  every symbol the steps use, declared with its SymPy assumptions; each must be
                 known real (real=True, positive=True, integer=True, ...): values are sampled
                 on the real line only, honouring integer, even, odd, prime, rational, sign;
    ``domain``   extra constraints, e.g. ``(x + y >= 0,)``, honoured by sampling and proof: also
                 equalities, ``Eq(y1 + y2 + y3, 1)``, solved for one symbol (linear in it with a
                 constant coefficient) and substituted, and finite sets, ``Contains(y,
                 FiniteSet(0, 1))``, whose values are enumerated (see ``constraints.py``); and
                 ``j <= M``, with j a free index and M a size (integer=True, positive=True),
                 declares that j ranges over 1..M in a claim over several sizes (where the
                 claim does not say it itself: see ``checks.index_sizes``; a step without j
                 ignores it);
    ``source``   the seed's equation labels it encodes, e.g. ``"(2)-(7)"``;
    ``conclusion`` what the chain establishes, as a SymPy relation (for the reports).
    """

    name: str
    title: str
    symbols: tuple
    steps: tuple
    _: KW_ONLY
    source: str = ""
    domain: tuple = ()
    conclusion: object = None
    location: SourceLocation = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "symbols", tuple(self.symbols))
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "domain", tuple(self.domain))
        self._validate()

    def error(self, message: str, step: int | None = None) -> DerivationError:
        """A DerivationError pointing at this derivation, or at one of its steps."""
        loc = self.location if step is None else self.steps[step - 1].location
        label = self.steps[step - 1].label if step is not None else None
        if label is not None and text_problem(label, "label"):
            label = None  # the message itself shows it, escaped
        name = self.name if not name_problem(self.name, "derivation") else None
        return DerivationError(message, file=loc.file, line=loc.line, derivation=name, step=step, label=label)

    def _validate(self) -> None:
        problem = name_problem(self.name, "derivation")
        if problem:
            raise self.error(problem)
        for what, text in (("title", self.title), ("source", self.source)):
            problem = text_problem(text, f"the derivation's {what}")
            if problem is None and what == "title":  # prose: its $...$ is TeX
                problem = math_problem(text, "the derivation's title")
            if problem:
                raise self.error(problem)
        if not self.steps:
            raise self.error("the derivation has no steps; start with Given(expression)")
        for s in self.symbols:
            if not isinstance(s, sp.Symbol):
                raise self.error(f"symbols must be SymPy symbols; got {s!r}")
            problem = name_problem(s.name, "symbol")
            if problem:
                raise self.error(problem)
            reason = _not_real_reason(s)
            if reason:
                raise self.error(reason)
        declared = {s.name: s for s in self.symbols}
        for i, c in enumerate(self.domain):
            try:
                expr = _as_expression(c, f"domain constraint {i + 1}")
            except TypeError as exc:
                raise self.error(str(exc)) from None
            self._check_symbols(expr, declared, None, "the domain")
        self._check_eliminated(self.domain, None)
        self._check_names(self.conclusion, None, "the conclusion")
        for number, step in enumerate(self.steps, start=1):
            if not isinstance(step, Step):
                raise self.error(f"step {number} is a {type(step).__name__}, not a smoothsym step")
            for what, text, lines in (("label", step.label, False), ("why", step.why, True),
                                      ("expect_refuted", step.expect_refuted, True), ("export", step.export, False)):
                problem = text_problem(text, f"the step's {what}", lines)
                if problem is None and what in ("label", "why", "expect_refuted"):  # prose: its $...$ is TeX
                    problem = math_problem(text, f"the step's {what}")
                if problem:
                    raise self.error(problem, number)
            for field_name, value in step.expressions().items():
                try:
                    expr = _as_expression(value, f"{field_name} of this {step.kind} step")
                except TypeError as exc:
                    raise self.error(str(exc), number) from None
                self._check_symbols(expr, declared, number, field_name)
                undefined = next((u for u in (sp.nan, sp.zoo) if isinstance(expr, sp.Basic) and expr.has(u)), None)
                if undefined is not None:
                    # SymPy's value of 0/0 (nan) or 1/0 (zoo) written into a claim: nothing to check
                    raise self.error(f"{field_name} of this {step.kind} step holds {undefined} "
                                     f"({'not a number, as 0/0' if undefined is sp.nan else 'complex infinity, as 1/0'}): "
                                     f"SymPy evaluated an undefined expression; write what is meant (a limit, a "
                                     f"Piecewise, or a where= excluding the point)", number)
                if step.kind != "generalise":  # its claim is only expanded at the n it names
                    self._check_indices(expr, number, field_name)
            for c in step.where:
                try:
                    expr = _as_expression(c, "a where-constraint")
                except TypeError as exc:
                    raise self.error(str(exc), number) from None
                self._check_symbols(expr, declared, number, "where")
            if step.where:
                self._check_eliminated(self.domain + tuple(step.where), number)
            if step.shown is not None:
                self._check_shown(step, declared, number)
            if step.by:
                problem = hint_problem(step.by)
                if problem is None and step.relation is Relation.START:
                    problem = f"by={step.by!r}: a {step.kind} step claims nothing, so there is nothing to prove"
                elif problem is None and step.relation is Relation.EQUAL_IN_LIMIT:
                    problem = (f"by={step.by!r}: a {step.kind} step is proved by limits, which take no hint; "
                               "a hint names the method of an identity or a bound")
                if problem:
                    raise self.error(problem, number)
        if not isinstance(self.steps[0], STEP_KINDS.get("given", ())):
            raise self.error("the first step must be Given(expression): the chain needs a start", 1)
        before = None
        for number, step in enumerate(self.steps, start=1):
            reason = step.validate_against(before)
            if (reason is None and before is not None and step.relation is not Relation.START
                    and step.kind != "generalise" and not isinstance(sp.sympify(before), sp.Expr)):
                reason = (f"the previous step's claim {before} is a relation, not an expression this {step.kind} step "
                          f"can continue from; start again with Given(expression)")
            if reason:
                raise self.error(reason, number)
            before = step.output(before)

    def _check_shown(self, step: Step, declared: dict, number: int) -> None:
        """``shown=`` must be the claim itself, only unevaluated: evaluated, it is the claim."""
        try:
            expr = _as_expression(step.shown, f"shown= of this {step.kind} step")
        except TypeError as exc:
            raise self.error(str(exc), number) from None
        self._check_symbols(expr, declared, number, "shown")
        claim = getattr(step, "claim", None)
        if claim is None:
            raise self.error(f"shown= is given, but a {step.kind} step has no claim to show", number)
        as_evaluated = evaluated(expr)
        if as_evaluated != claim and as_evaluated != evaluated(claim):
            raise self.error(
                f"shown= must be the claim written unevaluated, but it evaluates to {as_evaluated}, "
                f"not to the claim {claim}", number)

    def _check_eliminated(self, constraints: tuple, step: int | None) -> None:
        """Every equality solvable for a symbol and every set a finite set of exact reals."""
        if not any(is_eliminated(c) for c in constraints):
            return
        try:
            cases(constraints, self.symbols)
        except TooManyCases:
            pass  # many finite-set combinations: sampled, and the prover does without them
        except ConstraintError as exc:
            raise self.error(str(exc), step) from None

    def _check_names(self, expr: object, step: int | None, what: str) -> None:
        """Every symbol and function name in ``expr`` printable (see ``name_problem``)."""
        problem = unsafe_name_in(expr) if isinstance(expr, sp.Basic) else None
        if problem:
            raise self.error(f"{problem} (in {what})", step)

    def _check_symbols(self, expr: sp.Basic, declared: dict, step: int | None, what: str) -> None:
        self._check_names(expr, step, what)
        for sym in sorted(expr.free_symbols, key=lambda s: s.name):
            if not isinstance(sym, sp.Symbol):
                continue
            known = declared.get(sym.name)
            if known is None:
                msg = f"symbol {sym.name} in {what} is not declared; add it to symbols=(...)"
                if any(base.label == sym for base in expr.atoms(sp.IndexedBase)):
                    msg += (f" (it labels the IndexedBase {sym.name}: declare {sym.name} = Symbol({sym.name!r}, "
                            f"real=True), list it in symbols= and write IndexedBase({sym.name}), whose entries "
                            f"are then real)")
            elif known != sym:
                msg = (
                    f"symbol {sym.name} in {what} has assumptions {sym.assumptions0} but is declared "
                    f"with {known.assumptions0}; use the declared symbol"
                )
            else:
                continue
            raise self.error(msg, step)

    def _check_indices(self, expr: sp.Basic, step: int | None, what: str) -> None:
        """A Sum's index and bounds, an entry's index and a Kronecker delta's arguments must be
        integers (declared integer=True): they are checked at n = 1, 2, 3, ... and at each index
        value, and SymPy's summation algebra holds for integer ranges only; an entry x[i] must be
        real (its IndexedBase's label declared real), as every sampled value is."""
        for node in sp.preorder_traversal(expr):
            if isinstance(node, sp.Sum):
                for index, lower, upper in node.limits:
                    for part, role in ((index, "index"), (lower, "lower bound"), (upper, "upper bound")):
                        if part in (sp.oo, -sp.oo):
                            raise self.error(f"the Sum {node} in {what} is infinite (its {role} is {part}), which smoothsym "
                                             "does not check (a Sum is checked at concrete sizes, and a limit over the "
                                             "size is not supported either); state the claim for a finite size n, "
                                             "Symbol('n', integer=True, positive=True)", step)
                        if part.is_integer is not True:
                            raise self.error(f"the {role} {part} of the Sum {node} in {what} is not declared an integer; "
                                             f"declare it Symbol({str(part)!r}, integer=True)"
                                             + (" (a size n: integer=True, positive=True)" if role == "upper bound" else ""),
                                             step)
            elif isinstance(node, (sp.Indexed, sp.KroneckerDelta)):
                for index in node.indices if isinstance(node, sp.Indexed) else node.args:
                    if index.is_integer is not True:
                        raise self.error(f"the index {index} of {node} in {what} is not declared an integer; "
                                         f"declare it Symbol({str(index)!r}, integer=True)", step)
                if isinstance(node, sp.Indexed) and node.is_real is not True:
                    label = node.base.label
                    raise self.error(f"the entry {node} in {what} may be complex: smoothsym samples real values only; "
                                     f"write IndexedBase({label}) with {label} = Symbol({str(label)!r}, real=True)", step)

    def constraints_for(self, step: Step) -> tuple:
        return self.domain + tuple(step.where)

    def chain(self) -> "Iterable[tuple[int, Step, sp.Basic | None]]":
        """Each step with its number and the expression it starts from."""
        before = None
        for number, step in enumerate(self.steps, start=1):
            yield number, step, before
            before = step.output(before)

    # -- from a notebook cell. Verifying and drawing live above the model (runner.py, render.py,
    # by way of notebook.py), imported only when called: the model imports nothing above it.
    def verify(self, settings=None, cache: bool = True, jobs: int = 1):
        """Every step verified, as a ``DerivationResult``, as ``smoothsym verify`` does: in
        ``jobs`` worker processes, through the cache unless ``cache=False``. ``settings``: a
        ``CheckSettings``, a profile's name ("fast", "thorough"), or None for the default."""
        from .notebook import verify

        return verify(self, settings, cache, jobs)

    def verify_step(self, number: int, settings=None, cache: bool = True):
        """Step ``number`` (1 is the first) verified alone, as a ``StepResult`` (see
        ``notebook.verify_step`` for the cache)."""
        from .notebook import verify_step

        return verify_step(self, number, settings, cache)

    def _repr_html_(self) -> str:
        from .notebook import derivation_html

        return derivation_html(self)

    def _repr_latex_(self) -> str:
        from .notebook import derivation_latex

        return derivation_latex(self)
