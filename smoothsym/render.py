"""Reports: verified derivations rendered to HTML and LaTeX through Jinja templates.

Rendering reads ``DerivationResult`` objects (``runner.verify``'s output) and never verifies.
It builds a plain view of each derivation (``DerivationView``: steps, formulas, evidence, plots,
with SymPy expressions left as expressions) and hands it to the templates; the format lives only
in the templates and in one filter table per format (``math`` prints an expression as MathML or
LaTeX, ``sci`` a number, ``relation`` a step's relation).

Prose is typeset too (``prose.py``): a title's or a justification's ``$...$`` is TeX, drawn as
MathML (``prose`` filter) or kept as math in LaTeX; the evidence the checks write as plain text
(``lim_(k->oo) previous = claim``, ``~ c e^(-0.5 k)``, ``always >= 0``) has its formulas marked
and typeset here (``words``), as have sample points (``point``) and step labels (``label``: a
label also names its step in tests and messages, so it keeps its source text). ``plain`` is
prose as Unicode text (``prose.plain``, what the terminal prints too), for a ``<title>`` or an
``aria-label``. The engine's strings themselves are unchanged: the plots, ``--json`` and the
terminal read them as they are.

Templates are files in ``smoothsym/templates/{html,tex}``: a base and one partial per region
(header, step, evidence, counterexample, plot). A user directory given as ``templates=`` is
searched first, so it overrides any of them. Both environments use ``StrictUndefined``; the HTML
one autoescapes, the TeX one uses ``\\VAR{...}``, ``\\BLOCK{...}`` and ``\\#{...}`` as delimiters
(braces and parentheses are LaTeX's) and escapes every plain string it prints.

Nothing in a report depends on when or how fast it was made (no dates, no run times, no random
ids), so regenerating without changes gives the same bytes and ``check_reports`` can tell CI
which committed reports are stale.

What a page prints is held to the names validated at load (``model.name_problem``) once more
here: a symbol or function name that LaTeX would read as a command is refused, never printed;
a page's file name is a plain name inside the reports directory, never a path. A page that
cannot be rendered (an expression no printer can write) becomes an error page for that
derivation; the others are still written. ``write_reports`` replaces every page of a run or
none: the new set is written to a staging folder first, then swapped in.
"""

from __future__ import annotations

import os
import decimal
import re
import shutil
import subprocess
import tempfile
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import sympy as sp
from markupsafe import Markup

from . import __version__
from .errors import SmoothsymError
from .files import WriteError, is_temporary, make_folder, reason, replace_atomically, shown_path
from .mathml import tex_to_mathml, to_mathml
from .prose import LONG_FRACTION, escaped, long_fraction_tex, marked, marked_prose, plain, split
from .model import Relation, any_integer_size, name_problem, unsafe_name_in
from . import plots
from .plots import Plot, comparison_plot, convergence_plot, point_label
from .runner import DerivationResult, StepResult
from .verdict import ConvergenceEvidence, Counterexample, NumericEvidence, Status

TEMPLATE_DIR = Path(__file__).parent / "templates"
FORMATS = ("html", "tex")
PARTIALS = {
    "html": ("base.html", "index.html", "derivation.html", "header.html", "step.html", "evidence.html",
             "counterexample.html", "plot.html"),
    "tex": ("base.tex", "derivation.tex", "header.tex", "step.tex", "evidence.tex", "counterexample.tex", "plot.tex"),
}


class ReportError(SmoothsymError):
    """A report could not be rendered: a missing template, a template naming a missing field,
    a TeX run that failed. ``template`` and ``line`` say where, when a template is at fault.

    Remedy: fix the template (or the ``--templates`` directory) at the line named.
    """

    def __init__(self, message: str, template: str | None = None, line: int | None = None) -> None:
        self.template = template
        self.line = line
        where = f"{template}:{line}: " if template and line else (f"{template}: " if template else "")
        super().__init__(where + message)


# -- the view: what the templates see --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of running text: words (prose: its ``$...$`` is TeX), or an expression to typeset inline."""

    text: str = ""
    expr: object = None


@dataclass(frozen=True, slots=True)
class Formula:
    """``lhs relation rhs``; ``lhs`` is None for a stated expression. ``limit`` is the variable
    k of a relation that holds as k -> oo."""

    lhs: object
    relation: str  # "=", "<=", ">=", "<", ">", "~" (equal in the limit), "≈" (approximately), "" (stated)
    rhs: object
    limit: object = None


@dataclass(frozen=True, slots=True)
class EvidenceView:
    kind: str  # "numeric" or "convergence"
    item: object  # the NumericEvidence or ConvergenceEvidence itself
    worst_point: str = ""
    paths: tuple = ()  # (point, rate, last finite error) of the plotted points
    plot: Plot | None = None


@dataclass(frozen=True, slots=True)
class StepView:
    number: int
    label: str
    kind: str
    why: str
    line: int
    formula: Formula
    transformation: tuple[Part, ...]
    where: tuple
    status: str  # proved, checked, given, refuted, ...
    badge: str  # what the badge says
    badge_class: str
    expected: str  # the reason a refutation is expected, or ""
    method: str
    how: str  # the method as the words after the badge: "by sympy: cancel"
    detail: str
    evidence: tuple[EvidenceView, ...]
    counterexample: Counterexample | None


@dataclass(frozen=True, slots=True)
class Counts:
    proved: int = 0
    checked: int = 0
    refuted_as_stated: int = 0
    given: int = 0
    timeout: int = 0  # the symbolic attempt ran out of time; numeric evidence still shown
    inconclusive: int = 0  # a limit neither shown to converge nor to fail, and not proved
    failing: int = 0  # refuted unexpectedly, disputed, error, missed expected refutation


@dataclass(frozen=True, slots=True)
class DerivationView:
    name: str
    title: str
    source: str
    file: str
    error: str
    status: str
    badge_class: str
    counts: Counts
    conclusion: object
    symbols: tuple[tuple[object, str], ...]
    domain: tuple
    steps: tuple[StepView, ...]
    comparisons: tuple  # of Comparison
    html_file: str
    tex_file: str


@dataclass(frozen=True, slots=True)
class SettingsView:
    digits: int
    points: int
    seed: int
    time_limit: float
    limit_ks: str
    version: str = __version__


def _badge(r: StepResult) -> tuple[str, str]:
    status = r.verdict.status
    if r.expected_refutation:
        if status is Status.REFUTED:
            return "refuted as stated (expected)", "refuted-expected"
        return f"{status.value} (expected refuted!)", "error"
    if r.step.kind == "generalise" and status in (Status.PROVED, Status.CHECKED):
        # shown for the n it names, not for every n: a badge and wording of its own, never
        # the plain green "proved" of a claim proved on its whole domain
        return f"{status.value} for {_ns_text(r.step.ns)}", f"{status.value}-instances"
    return status.value, status.value


def _ns_text(ns) -> str:
    """The n a generalised claim was checked for: "n = 2, …, 8" or "n in 2, 4, 8"."""
    ns = list(ns)
    if ns == list(range(ns[0], ns[-1] + 1)) and len(ns) > 2:
        return f"n = {ns[0]}, \u2026, {ns[-1]}"
    return ("n = " if len(ns) == 1 else "n in ") + ", ".join(map(str, ns))


_EACH_N = re.compile(r"^for each n (?:= [0-9.]+|in \[[0-9, ]*\]): ")


def _how(r: StepResult) -> str:
    """How the verdict was reached, as the words after its badge: "by sympy: cancel"; a
    generalised claim's "each n by sympy: cancel" (its badge already names the n)."""
    method = r.verdict.method
    if not method:
        return ""
    if r.step.kind == "generalise" and _EACH_N.match(method):
        return "each n by " + _EACH_N.sub("", method)
    return "by " + method


def _limit_of(step):
    return getattr(step, "limit", None) or getattr(step, "variable", None)


def _formula(r: StepResult, before_shown=None) -> Formula:
    """The step's formula as the page prints it: the claim as written (``shown=``) when the step
    keeps one, and likewise the expression before it (``before_shown``, the previous step's)."""
    step, before, kind = r.step, r.before, r.step.kind
    if before is not None and before_shown is not None:
        before = before_shown
    claim = step.shown if step.shown is not None else step.claim
    relation = step.relation
    if relation is Relation.START or before is None or kind == "generalise":
        return Formula(None, "", claim, getattr(step, "limit", None) if kind == "generalise" else None)
    if relation is Relation.DERIVATIVE:
        return Formula(sp.Derivative(before, step.variable), "=", claim)
    if relation is Relation.ANTIDERIVATIVE:  # a definite integral shows its bounds
        shown = step.integral_expression(before) if hasattr(step, "integral_expression") else sp.Integral(before, step.variable)
        return Formula(shown, "=", claim)
    if kind == "limit":  # x -> a, a side, or -oo as written
        shown = step.limit_expression(before) if hasattr(step, "limit_expression") else sp.Limit(before, step.variable, sp.oo)
        return Formula(shown, "=", claim)
    if relation is Relation.EQUAL_IN_LIMIT:
        return Formula(before, "~", claim, _limit_of(step))
    if relation is Relation.APPROXIMATE:
        return Formula(before, "≈", claim)
    if relation is Relation.ASYMPTOTIC:  # previous = claim + O(...), the claim's terms as written
        return Formula(before, "=", sp.Add(*sp.Add.make_args(claim), step.order_term(), evaluate=False))
    if relation is Relation.LESS_EQUAL:
        return Formula(before, "<=", claim)
    if relation is Relation.GREATER_EQUAL:
        return Formula(before, ">=", claim)
    if relation in (Relation.LESS, Relation.GREATER):
        return Formula(before, relation.value, claim)
    return Formula(before, "=", claim)


MAX_DECIMAL_DIGITS = 8  # significant digits of a rational still shown as the decimal it was written as


def _decimal(value: sp.Basic) -> sp.Basic:
    """A terminating decimal written exactly, ``Rational("0.044715")`` (SymPy keeps 8943/200000),
    as the decimal 0.044715, for display only: when its denominator is 2^a 5^b, it has at most
    MAX_DECIMAL_DIGITS significant digits and it is shorter than the fraction (1/2 and 3/8 stay
    fractions); any other value as it is.

    >>> _decimal(sp.Rational("0.044715")), _decimal(sp.Rational("4.74e-4")), _decimal(sp.Rational(1, 2))
    (0.044715, 0.000474, 1/2)
    """
    if not (isinstance(value, sp.Rational) and not value.is_Integer):
        return value
    text = _decimal_text(value.p, value.q)
    if text is None:
        return value
    return sp.Float(text, max(len(text.lstrip("-0.").replace(".", "")), 1))


def _decimal_text(p: int, q: int) -> str | None:
    """p/q as the decimal it is, when ``_decimal`` would show it so; else None."""
    rest = q
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1 or q == 1:
        return None
    with decimal.localcontext() as exact:
        exact.prec = len(str(q)) + len(str(abs(p))) + 2
        text = format(decimal.Decimal(p) / decimal.Decimal(q), "f")
    significant = len(text.lstrip("-0.").replace(".", ""))
    if significant > MAX_DECIMAL_DIGITS or len(text) >= len(f"{p}/{q}"):
        return None
    return text


_FRACTION = re.compile(r"(?<![\w.)])(-?[0-9]+)/([0-9]+)(?![\w.(])")


def _decimals_in_label(label: str) -> str:
    """A sample point's label, "x = -32221/5000, y = 1/2", with its terminating fractions as the
    decimals they are, "x = -6.4442, y = 1/2" (the reproduction commands keep the fractions).

    >>> _decimals_in_label("x = -32221/5000, y = 1/2, z = sqrt(2)/2, k = 1997/10000")
    'x = -6.4442, y = 1/2, z = sqrt(2)/2, k = 0.1997'
    """
    return _FRACTION.sub(lambda m: _decimal_text(int(m.group(1)), int(m.group(2))) or m.group(0), str(label))


def point_prose(point: dict[str, str]) -> str:
    """A sample point as prose, each coordinate a formula, its terminating fractions as decimals:
    ``$x = -6.4442$, $y = \\frac{1}{2}$``. A value SymPy cannot read stays words.

    >>> point_prose({"x": "-32221/5000", "z_1": "sqrt(2)/2"}), point_prose({})
    ('$x = -6.4442$, $z_{1} = \\\\frac{\\\\sqrt{2}}{2}$', '(no symbols)')
    """
    shown = []
    for name, value in point.items():
        try:
            expr = sp.sympify(str(value))  # the engine's own str() of a number: read back as that number
            if not expr.is_number:
                raise TypeError(value)
            if expr.is_Rational and len(str(abs(expr.p))) + len(str(expr.q)) > LONG_FRACTION:
                # a searched point's exact fraction of dozens of digits cannot break across a line
                value_tex = long_fraction_tex("-" if expr < 0 else "", abs(int(expr.p)), int(expr.q))
                tex = f"{_latex(sp.Symbol(name))} = {value_tex}"
            else:
                tex = _latex(sp.Eq(sp.Symbol(name), expr, evaluate=False))
        except Exception:  # "undefined", or a value no printer writes: said as it is
            shown.append(escaped(_decimals_in_label(f"{name} = {value}")))
            continue
        shown.append(f"${tex}$")
    return ", ".join(shown) or "(no symbols)"


_INDEX_NAMES = "jlpqrsuvwk"  # k last: it is the smoothing parameter on most pages


def _shown(expr):
    """``expr`` as a page prints it: exact decimals as decimals (``_decimal``; an exponent stays
    as written), and a summation index that is also free around its sum renamed (the conclusion
    d/dz_i of ln(sum over i of e^{z_i}) reads as one i, two meanings: the sum's becomes j).
    Only the display changes; the verdicts are about the expression as it is."""
    if not isinstance(expr, sp.Basic):
        return expr
    free = {s.name for s in expr.free_symbols}

    def fresh(like, inside, around):
        # a name free nowhere in the expression, nor used inside this sum: another sum may use
        # it too (sum over j on both sides of an equation is the usual way to write it)
        avoid = free | {s.name for s in inside.atoms(sp.Symbol)} | {s.name for s in around}
        for name in _INDEX_NAMES:
            if name not in avoid:
                return sp.Symbol(name, **{k: v for k, v in like.assumptions0.items() if v is not None})
        return like

    def walk(node, around: frozenset):
        if isinstance(node, sp.Rational):
            return _decimal(node)
        if node.is_Atom or not node.args:
            return node
        if isinstance(node, sp.Sum):
            renames = {}
            for index, *_ in node.limits:
                if index in around:
                    renames[index] = fresh(index, node, around)
            if renames:
                node = sp.Sum(node.function.xreplace(renames),
                              *[(renames.get(i, i), *rest) for i, *rest in node.limits])
        args = node.args
        if isinstance(node, sp.Pow):
            new = (walk(node.base, around), node.exp)
        else:
            new = []
            for n, arg in enumerate(args):
                siblings = set().union(*(a.free_symbols for m, a in enumerate(args) if m != n)) if len(args) > 1 else set()
                new.append(walk(arg, around | siblings))
            new = tuple(new)
        if new == tuple(args):
            return node
        try:
            return node.func(*new, evaluate=False)
        except TypeError:
            return node.func(*new)

    return walk(expr, frozenset())


def _transformation(step) -> tuple[Part, ...]:
    """The step's transformation in words and inline math, by kind (unknown kinds: their name)."""
    kind = step.kind
    k = _limit_of(step)
    if kind == "given":
        return (Part("start from the stated expression"),)
    if kind == "rewrite":
        return (Part("rewrite: an identity on the domain"),)
    if kind == "differentiate":
        return (Part("differentiate with respect to "), Part(expr=step.variable))
    if kind == "integrate":
        parts = [Part("integrate in "), Part(expr=step.variable)]
        if getattr(step, "over", None) is not None:
            a, b = step.over
            return (*parts, Part(" over "), Part(expr=sp.Interval(a, b)))
        condition = step.fixed_by
        if condition is not None:
            parts += [Part("; the constant is fixed by "), Part(expr=sp.Symbol("F") - condition.value),
                      Part(" \u2192 0 as "), Part(expr=step.variable), Part(" \u2192 "), Part(expr=condition.at)]
            if condition.why:  # the author's prose, its $...$ math
                parts.append(Part(f" ({condition.why})"))
        return tuple(parts)
    if kind == "substitute":
        parts = [Part("replace "), Part(expr=step.old), Part(" by "), Part(expr=step.new)]
        if step.limit is not None:
            parts += [Part(", exact only as "), Part(expr=step.limit), Part(" \u2192 \u221e")]
        return tuple(parts)
    if kind == "limit":
        to, side = getattr(step, "to", sp.oo), getattr(step, "side", "")
        if to == sp.oo:
            return (Part("let "), Part(expr=step.variable), Part(" \u2192 \u221e"))
        where = {"+": " from the right", "-": " from the left"}.get(side, "")
        return (Part("let "), Part(expr=step.variable), Part(" \u2192 "), Part(expr=to), Part(where))
    if kind == "drop-term":
        return (Part("drop the term "), Part(expr=step.term), Part(", negligible as "), Part(expr=step.limit),
                Part(" \u2192 \u221e"))
    if kind == "bound":
        return (Part("bound: an inequality on the domain"),)
    if kind == "approximate":
        bound = " |previous|" if step.relative else ""
        return (Part("approximate: |previous \u2212 claim| \u2264 "), Part(expr=_decimal(step.tolerance)),
                Part(f"{bound} on the domain (the largest error searched for)"))
    if kind == "asymptotic":
        where = {"+": " from the right", "-": " from the left"}.get(step.side, "")
        return (Part("asymptotic expansion as "), Part(expr=step.variable), Part(" \u2192 "), Part(expr=step.to),
                Part(where))
    if kind == "generalise":
        parts = [Part(f"generalise to n variables; each instance checked for {_ns_text(step.ns)}")]
        if step.limit is not None:
            parts += [Part(", as "), Part(expr=step.limit), Part(" \u2192 \u221e")]
        return tuple(parts)
    return (Part(kind),)


def _plot_axis(item: ConvergenceEvidence, step) -> dict:
    """The x axis of a limit step's plot in its own variable: a limit at a finite point a is
    followed along u -> oo with x = a +- 1/u, at -oo along x = -u; the plot says so."""
    var, to = getattr(step, "variable", None), sp.sympify(getattr(step, "to", sp.oo))
    if not isinstance(var, sp.Symbol) or item.variable == var.name:
        return {}
    if to == -sp.oo:
        return {"variable": f"-{var.name}"}
    if to.is_finite:
        return {"variable": var.name, "finite": str(to)}
    return {}


def _evidence(item, plot: bool = True, step=None) -> EvidenceView | None:
    if isinstance(item, NumericEvidence):
        return EvidenceView("numeric", item, worst_point=point_prose(item.worst_point))
    if isinstance(item, ConvergenceEvidence):
        from .plots import representative_paths, log10_error

        paths = []
        for p in representative_paths(item):
            last = next((e for e in reversed(p.errors) if log10_error(e) is not None), p.errors[-1])
            paths.append((point_prose(p.point), p.rate, last))
        plot = convergence_plot(item, **_plot_axis(item, step)) if item.paths and plot else None
        return EvidenceView("convergence", item, paths=tuple(paths), plot=plot)
    return None  # a counterexample is shown on its own


def _step_view(r: StepResult, before_shown=None) -> StepView:
    badge, badge_class = _badge(r)
    # a generalised limit carries one convergence record per n: plot the first and the last
    limits = [i for i, e in enumerate(r.verdict.evidence) if isinstance(e, ConvergenceEvidence)]
    plotted = set(limits[:1] + limits[-1:])
    # a derivative's limits are its one-sided difference quotients at a kink: listed, not drawn
    drawn = r.step.kind != "differentiate"
    evidence = tuple(
        v for v in (_evidence(e, drawn and (i in plotted or r.step.kind != "generalise"), r.step)
                    for i, e in enumerate(r.verdict.evidence))
        if v is not None
    )
    return StepView(
        number=r.number,
        label=r.step.label,
        kind=r.step.kind,
        why=r.step.why,
        line=r.step.location.line,
        formula=_formula(r, before_shown),
        transformation=_transformation(r.step),
        where=tuple(r.step.where),
        status=r.verdict.status.value,
        badge=badge,
        badge_class=badge_class,
        expected=r.step.expect_refuted,
        method=r.verdict.method,
        how=_how(r),
        detail=r.verdict.detail,
        evidence=evidence,
        counterexample=r.verdict.counterexample,
    )


def _step_views(steps) -> tuple[StepView, ...]:
    """Each step's view; a step after one that keeps its claim as written (``shown=``) starts
    from that form too, when it starts from that claim."""
    views, previous = [], None
    for r in steps:
        before_shown = None
        if previous is not None and previous.step.shown is not None and r.before == previous.step.claim:
            before_shown = previous.step.shown
        views.append(_step_view(r, before_shown))
        previous = r
    return tuple(views)


def _counts(result: DerivationResult) -> Counts:
    c = {"proved": 0, "checked": 0, "refuted_as_stated": 0, "given": 0, "timeout": 0, "inconclusive": 0, "failing": 0}
    for r in result.steps:
        status = r.verdict.status
        if r.expected_refutation:
            c["refuted_as_stated" if status is Status.REFUTED else "failing"] += 1
        elif status.value in c:
            c[status.value] += 1
        else:
            c["failing"] += 1
    return Counts(**c)


_ASSUMPTIONS = ("positive", "negative", "nonnegative", "nonpositive", "integer", "real", "complex")


def _assumption(symbol) -> str:
    found = [a for a in _ASSUMPTIONS if symbol.assumptions0.get(a)]
    if "integer" in found and "positive" in found:
        return "positive integer"
    return found[0] if found else "no assumptions"


@dataclass(frozen=True, slots=True)
class Comparison:
    """Limit steps of one derivation that reach the same limit, compared on one plot."""

    claim: object
    variable: object
    labels: tuple[str, ...]
    plot: Plot


def _comparisons(steps: tuple[StepResult, ...]) -> tuple[Comparison, ...]:
    """Limit steps that claim the same limit in the same variable (e.g. (11), (13) and (14), each
    tending to max(x, y)), under distinct labels, compared on one plot each. Claims refuted as
    stated are left out: their paths need not converge."""
    groups: dict[tuple[str, str], list[tuple[str, ConvergenceEvidence, StepResult]]] = {}
    for r in steps:
        if r.step.kind != "limit" or r.expected_refutation or not r.passes():
            continue
        evidence = next((e for e in r.verdict.evidence if isinstance(e, ConvergenceEvidence)), None)
        if evidence is None:
            continue
        group = groups.setdefault((sp.srepr(r.step.variable), sp.srepr(r.step.claim)), [])
        label = r.step.label or f"step {r.number}"
        if label not in [entry[0] for entry in group]:
            group.append((label, evidence, r))
    found = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group = group[:MAX_COMPARED]
        labels = tuple(label for label, _, _ in group)
        first = group[0][2].step
        plot = comparison_plot([(label, ev) for label, ev, _ in group], "the limits compared",
                               **_plot_axis(group[0][1], first))
        if plot is not None:
            found.append(Comparison(first.claim, first.variable, labels, plot))
    return tuple(found)


MAX_COMPARED = 5


def page_stem(name: str, taken: set[str] = frozenset()) -> str:
    """The file name (without .html/.tex) of a page: the derivation's name, which the model has
    validated; for a file that failed to load (named by its path), its base name made safe. Never
    a path, a hidden name, 'index', or a name in ``taken`` (compared ignoring case).

    >>> page_stem("smooth-abs"), page_stem("../../x/y.py"), page_stem("index"), page_stem("a", {"a"})
    ('smooth-abs', 'y.py', 'index-page', 'a-2')
    """
    stem = name
    if name_problem(name, "derivation"):
        base = str(name).replace(os.sep, "/").rsplit("/", 1)[-1]
        stem = re.sub(r"[^\w.-]+", "_", base).strip("._-")[:80] or "derivation"
        if name_problem(stem, "derivation"):
            stem = f"{stem}-page" if stem.lower() == "index" else "derivation"
    candidate, n = stem, 2
    while candidate.lower() in {t.lower() for t in taken}:
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def derivation_view(result: DerivationResult, stem: str | None = None) -> DerivationView:
    """What a derivation's page shows, from its verified result; ``stem`` names its files."""
    d = result.derivation
    counts = _counts(result)
    status = result.status.value
    stem = stem or page_stem(result.name)
    return DerivationView(
        name=shown_path(result.name),
        title=d.title if d else shown_path(result.name),
        source=d.source if d else "",
        file=shown_path(result.file),
        error=shown_path(str(result.error)) if result.error else "",
        status=status,
        badge_class=status,
        counts=counts,
        conclusion=d.conclusion if d else None,
        symbols=tuple((s, _assumption(s)) for s in d.symbols) if d else (),
        domain=tuple(d.domain) if d else (),
        steps=_step_views(result.steps),
        comparisons=_comparisons(result.steps),
        html_file=f"{stem}.html",
        tex_file=f"{stem}.tex",
    )


# -- plots as figures ---------------------------------------------------------------------------


def _html_svg(plot: Plot) -> Markup:
    """A plot as inline SVG (drawn by matplotlib; the page needs no file or network beside it)."""
    drawn = plots.svg(plot)
    # a screen reader's name for the figure: its title's formulas in words, not the engine's text
    named = plain(marked(plot.title)).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(re.sub(r'aria-label="[^"]*"', lambda _m: f'aria-label="{named}"', drawn, count=1))


def _plots(view: DerivationView):
    for step in view.steps:
        for ev in step.evidence:
            if ev.plot is not None:
                yield ev.plot
    for comparison in view.comparisons:
        yield comparison.plot


def figure_files(view: DerivationView) -> dict[str, bytes]:
    """The PDF figures a page's .tex includes, by file name (beside it in the reports folder)."""
    return {p.pdf_file: plots.pdf(p) for p in _plots(view)}


# -- the two formats: one filter table each ----------------------------------------------------


def _sci_parts(text: str) -> tuple[str, str, str]:
    """("<" or "", mantissa, exponent) of a number string such as "<1.0e-950" or "-3.2e-5"."""
    text = str(text).strip()
    prefix = ""
    if text.startswith("<"):
        prefix, text = "<", text[1:]
    match = re.fullmatch(r"([-+]?[0-9.]+)[eE]([-+]?[0-9]+)", text)
    if not match:
        return prefix, text, ""
    mantissa, exponent = match.group(1), str(int(match.group(2)))
    return prefix, mantissa, exponent


_HTML_RELATIONS = {"=": "=", "<=": "\u2264", ">=": "\u2265", "<": "<", ">": ">", "~": "=", "≈": "\u2248", "": ""}


class UnprintableError(ReportError):
    """An expression a page cannot print: a name LaTeX would read as a command (a derivation
    built without the model's validation). Remedy: rename the symbol or function."""


# An integer of more than DISPLAY_DIGITS digits is shown as its first and last digits and its
# length; the exact value is the derivation file's (and `verify --json`'s).
DISPLAY_DIGITS = 100
SHOWN_DIGITS = 12
_PLACEHOLDER = "smoothsymbignumber"


def _checked(expr) -> None:
    problem = unsafe_name_in(expr) if isinstance(expr, sp.Basic) else None
    if problem:
        raise UnprintableError(f"will not print {type(expr).__name__} with an unsafe name: {problem}")


def _abbreviated(expr) -> tuple[object, dict[str, tuple[str, str, int]]]:
    """``expr`` with each integer (or numerator, denominator) longer than DISPLAY_DIGITS replaced
    by a placeholder symbol; and each placeholder's (first digits, last digits, length)."""
    if not isinstance(expr, sp.Basic):
        return expr, {}
    with any_integer_size():
        big = [r for r in expr.atoms(sp.Rational)
               if max(len(str(abs(r.p))), len(str(r.q))) > DISPLAY_DIGITS]
        if not big:
            return expr, {}
        shown: dict[str, tuple[str, str, int]] = {}
        placeholders: dict[int, sp.Symbol] = {}

        def part(n: int):
            if len(str(n)) <= DISPLAY_DIGITS:
                return sp.Integer(n)
            if n not in placeholders:
                index, letters = len(placeholders), ""
                while True:
                    index, digit = divmod(index, 26)
                    letters = chr(ord("a") + digit) + letters
                    if not index:
                        break
                name = f"{_PLACEHOLDER}q{letters}"
                text = str(n)
                shown[name] = (text[:SHOWN_DIGITS], text[-SHOWN_DIGITS:], len(text))
                placeholders[n] = sp.Symbol(name)
            return placeholders[n]

        replacements = {}
        for r in big:
            numerator = part(abs(r.p)) * (-1 if r.p < 0 else 1)
            replacements[r] = numerator if r.q == 1 else sp.Mul(numerator, sp.Pow(part(r.q), -1, evaluate=False), evaluate=False)
        return expr.xreplace(replacements), shown


def _html_math(expr) -> Markup:
    _checked(expr)
    expr, shown = _abbreviated(_shown(expr))
    with any_integer_size():
        text = to_mathml(expr)
    for name, (head, tail, length) in shown.items():
        text = text.replace(
            f"<mi>{name}</mi>",
            f"<mrow><mn>{head}\u2026{tail}</mn><mspace width=\"0.2em\"/><mtext>({length} digits)</mtext></mrow>",
        )
    return Markup(text)


def _html_relation(formula: Formula) -> Markup:
    symbol = _HTML_RELATIONS[formula.relation]
    if formula.relation == "~":
        under = f"<mrow>{_html_math(formula.limit)}<mo>&#x2192;</mo><mi>&#x221E;</mi></mrow>"
        return Markup(f'<munder><mo>=</mo>{under}</munder>')
    return Markup(f"<mo>{Markup.escape(symbol)}</mo>") if symbol else Markup("")


def _html_sci(text) -> Markup:
    prefix, mantissa, exponent = _sci_parts(text)
    prefix = "&lt;\u2009" if prefix else ""
    mantissa = mantissa.replace("-", "\u2212")
    if not exponent:
        return Markup(prefix) + Markup.escape(mantissa)
    exponent = exponent.replace("-", "\u2212")
    if mantissa in ("1", "1.0"):
        return Markup(f"{prefix}10<sup>{Markup.escape(exponent)}</sup>")
    return Markup(f"{prefix}{Markup.escape(mantissa)}\u2009\u00d7\u200910<sup>{Markup.escape(exponent)}</sup>")


def _pieces(text) -> list[tuple[bool, str]]:
    """Prose as words and formulas; text never validated as prose (a file name on an error page,
    "a$b.py") with an unbalanced dollar is all words."""
    try:
        return split(str(text))
    except ValueError:
        return [(False, str(text))]


def _html_prose(text) -> Markup:
    """Prose (a title, a justification): its words escaped, each ``$...$`` drawn as MathML."""
    out = []
    for is_math, piece in _pieces(text):
        if not is_math:
            out.append(Markup.escape(piece))
            continue
        try:
            out.append(Markup(f"<math>{tex_to_mathml(piece)}</math>"))
        except Exception:  # TeX the load-time check did not see (a page built without it): shown as source
            out.append(Markup("<code>") + Markup.escape(f"${piece}$") + Markup("</code>"))
    return Markup("").join(out)


def _html_words(text) -> Markup:
    """The engine's evidence text ("lim_(k->oo) previous = claim"), its formulas drawn as MathML."""
    return _html_prose(marked(text))


def _html_values(text) -> Markup:
    """A list of values such as "10, 100, 10^8" with each power as 10<sup>8</sup>."""
    shown = []
    for value in str(text).split(", "):
        match = _POWER.match(value)
        shown.append(Markup(f"{match.group(1)}<sup>{match.group(2)}</sup>") if match else Markup.escape(value))
    return Markup(", ").join(shown)


class TexSafe(str):
    """A string that is already LaTeX; the TeX environment prints it unescaped."""


_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_",
    "%": r"\%", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
}
_TEX_UNICODE = {
    "\u2212": "$-$", "\u2264": r"$\le$", "\u2265": r"$\ge$", "\u2260": r"$\ne$", "\u2192": r"$\to$",
    "\u221e": r"$\infty$", "\u2026": r"\dots{}", "\u2013": "--", "\u2014": "---", "\u2009": r"\,", "\u00d7": r"$\times$",
    "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''", "\u00b7": r"$\cdot$", "\u2248": r"$\approx$",
    "\u2211": r"$\sum$", "\u222b": r"$\int$", "\u2202": r"$\partial$", "\u2208": r"$\in$", "\u00b1": r"$\pm$",
    "\u221a": r"$\surd$", "\u2032": "$'$", "\u00a0": "~", "\u2207": r"$\nabla$", "\u220f": r"$\prod$",
    "\u226a": r"$\ll$", "\u226b": r"$\gg$", "\u223c": r"$\sim$", "\u2261": r"$\equiv$", "\u2200": r"$\forall$",
}


def tex_escape(text: str) -> str:
    """Plain text made safe for pdflatex: specials escaped, Greek and common symbols as commands,
    subscripts and superscripts (zᵢ, x₁) as ``\\textsubscript``, control characters as ``?``.

    >>> tex_escape("100% of x_1 -> θ ≥ 0")
    '100\\\\% of x\\\\_1 -\\\\textgreater{} $\\\\theta$ $\\\\ge$ 0'
    """
    out = []
    for ch in str(text):
        if ch in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[ch])
        elif ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) == "Cc":
            out.append("?")
        elif ord(ch) < 128:
            out.append(ch)
        elif ch in _TEX_UNICODE:
            out.append(_TEX_UNICODE[ch])
        elif _script(ch):
            out.append(_script(ch))
        else:
            name = unicodedata.name(ch, "")
            if name.startswith("GREEK SMALL LETTER "):
                out.append("$\\" + name.rsplit(" ", 1)[-1].lower() + "$")
            elif name.startswith("GREEK CAPITAL LETTER "):
                out.append("$\\" + name.rsplit(" ", 1)[-1].capitalize() + "$")
            elif unicodedata.category(ch).startswith("L") and ord(ch) < 0x250:
                out.append(ch)  # accented Latin letters: inputenc's utf8 knows them
            else:
                out.append("?")
    return "".join(out)


def _script(ch: str) -> str:
    """A Unicode subscript or superscript (zᵢ, x₁, x²) as LaTeX's \\textsubscript{i}, or ""."""
    kind, _, code = unicodedata.decomposition(ch).partition(" ")
    command = {"<sub>": "textsubscript", "<super>": "textsuperscript"}.get(kind)
    if command is None or not code:
        return ""
    base = chr(int(code, 16))
    inner = tex_escape(base) if base != ch else "?"
    return f"\\{command}{{{inner}}}"


_BREAK_AFTER = ",(*/+=;"


def _tex_code(text) -> TexSafe:
    """Code for \\texttt (a reproduction command): escaped, with a break allowed after each
    comma, bracket and operator and inside long runs of digits, so that it wraps at the margin."""
    out = []
    run = 0
    for ch in str(text):
        out.append(tex_escape(ch))
        run = run + 1 if ch.isdigit() else 0
        if ch in _BREAK_AFTER or (run and run % 16 == 0):
            out.append(r"\allowbreak{}")
    return TexSafe("".join(out))


_POWER = re.compile(r"^(\d+)\^(\d+)$")


def _tex_prose(text) -> TexSafe:
    """Prose in LaTeX: its words escaped, each ``$...$`` kept as math (validated at load)."""
    return TexSafe("".join(f"${piece}$" if is_math else tex_escape(piece) for is_math, piece in _pieces(text)))


def _tex_words(text) -> TexSafe:
    """The engine's evidence text in LaTeX, its formulas as math."""
    return _tex_prose(marked(text))


def _tex_values(text) -> TexSafe:
    """A list of values such as "10, 100, 10^8" as text with each power typeset, so the list
    can break between values (one math formula could not)."""
    shown = []
    for value in str(text).split(", "):
        match = _POWER.match(value)
        shown.append(f"${match.group(1)}^{{{match.group(2)}}}$" if match else tex_escape(value))
    return TexSafe(", ".join(shown))


def _tex_finalize(value):
    if isinstance(value, TexSafe):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return tex_escape(value)


def _latex(expr, **options) -> str:
    """SymPy's LaTeX for ``expr``, refusing unsafe names, long integers abbreviated."""
    _checked(expr)
    expr, shown = _abbreviated(_shown(expr))
    with any_integer_size():
        text = sp.latex(expr, **options)
    for name, (head, tail, length) in shown.items():
        text = re.sub(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", lambda _m: f"{head}\\ldots {tail}\\,({length}\\text{{ digits}})", text)
    return text


def _tex_math(expr) -> TexSafe:
    return TexSafe(_latex(expr, ln_notation=True))


_TEX_RELATIONS = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "≈": r"\approx", "": ""}


def _tex_relation(formula: Formula) -> TexSafe:
    if formula.relation == "~":
        return TexSafe(r"\underset{" + _latex(formula.limit) + r" \to \infty}{=}")
    return TexSafe(_TEX_RELATIONS[formula.relation])


def _tex_sci(text) -> TexSafe:
    prefix, mantissa, exponent = _sci_parts(text)
    prefix = "<" if prefix else ""
    if not exponent:
        return TexSafe(f"${prefix}{mantissa}$" if re.fullmatch(r"[-+0-9.]+", mantissa) else tex_escape(prefix + mantissa))
    if mantissa in ("1", "1.0"):
        return TexSafe(f"${prefix}10^{{{exponent}}}$")
    return TexSafe(f"${prefix}{mantissa}\\times 10^{{{exponent}}}$")


def _tex_raw(text) -> TexSafe:
    return TexSafe(text)


def _loader(kind: str, templates: str | None) -> jinja2.BaseLoader:
    search = []
    if templates:
        root = Path(templates)
        if not root.is_dir():
            raise ReportError(f"the templates directory {templates} does not exist")
        search += [str(root / kind), str(root)]
    search.append(str(TEMPLATE_DIR / kind))
    return jinja2.FileSystemLoader(search)


def environments(templates: str | None = None) -> dict[str, jinja2.Environment]:
    """The HTML and TeX Jinja environments, with ``templates`` (a directory) searched first."""
    common = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    html = jinja2.Environment(loader=_loader("html", templates), autoescape=True, **common)
    html.filters.update({"math": _html_math, "relation": _html_relation, "sci": _html_sci, "svg": _html_svg,
                         "values": _html_values, "prose": _html_prose, "words": _html_words, "plain": plain,
                         "label": lambda label: _html_prose(marked_prose(label)),
                         "point": lambda point: _html_prose(point_prose(point))})
    tex = jinja2.Environment(
        loader=_loader("tex", templates),
        autoescape=False,
        finalize=_tex_finalize,
        block_start_string="\\BLOCK{", block_end_string="}",
        variable_start_string="\\VAR{", variable_end_string="}",
        comment_start_string="\\#{", comment_end_string="}",
        **common,
    )
    tex.filters.update({"math": _tex_math, "relation": _tex_relation, "sci": _tex_sci, "raw": _tex_raw,
                        "code": _tex_code, "values": _tex_values, "prose": _tex_prose, "words": _tex_words,
                        "plain": plain, "point": lambda point: _tex_prose(point_prose(point)),
                        "label": lambda label: _tex_prose(marked_prose(label))})
    return {"html": html, "tex": tex}


def _render(env: jinja2.Environment, name: str, **context) -> str:
    """Render one template, turning Jinja's errors into ReportErrors that name file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(getattr(env.loader, "searchpath", []))
        raise ReportError(f"template {exc.name!r} not found (searched {searched})", template=exc.name) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ReportError(f"template syntax error: {exc.message}", template=exc.filename or exc.name, line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        template, line = _template_frame(exc)
        raise ReportError(f"the template uses a missing field: {exc.message}", template=template, line=line) from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to them)."""
    found = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".tex")):
            found = (os.path.relpath(frame.filename), frame.lineno)
    return found


# -- the whole set of reports ------------------------------------------------------------------


def render_reports(results: list[DerivationResult], settings, templates: str | None = None,
                   index: bool = True, jobs: int = 1, figures: "plots.FigureStore | None" = None) -> dict[str, str]:
    """Every report file's name (relative to the reports directory) and text, in memory."""
    return render_pages(results, settings, templates, index, jobs, figures)[0]


@dataclass(frozen=True, slots=True)
class PageFailure:
    """A derivation whose page could not be rendered as verified: it shows this error instead."""

    name: str
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.name} ({self.file}): its page could not be rendered: {self.message}"


def render_pages(results: list[DerivationResult], settings, templates: str | None = None,
                 index: bool = True, jobs: int = 1, figures: "plots.FigureStore | None" = None,
                 ) -> tuple[dict[str, str | bytes], list[PageFailure]]:
    """Every report file's name and text (bytes for a PDF figure), and the derivations whose page could not be rendered
    (an expression no printer writes): each of those gets an error page, the others are whole.
    A template's own fault (missing, bad syntax, a missing field) is every page's: it raises.
    The plots (most of the time) are drawn ahead in ``jobs`` processes; the bytes do not depend on it.
    ``figures``: where figures drawn by earlier runs are read (and new ones written), see plots.FigureStore."""
    envs = environments(templates)
    settings_view = SettingsView(
        digits=settings.digits, points=settings.points, seed=settings.seed, time_limit=settings.time_limit,
        limit_ks=", ".join(f"10^{len(str(k)) - 1}" if str(k).strip("0") == "1" else str(k) for k in settings.limit_ks),
    )
    files: dict[str, str] = {}
    views, failures, taken = [], [], set()
    prepared: list[tuple[DerivationResult, str, DerivationView | Exception]] = []
    for result in results:
        stem = page_stem(result.name, taken)
        taken.add(stem)
        try:
            prepared.append((result, stem, derivation_view(result, stem)))
        except Exception as exc:  # the page's failure, told below
            prepared.append((result, stem, exc))
    with plots.figures_from(figures), \
            plots.drawn_ahead([p for *_, v in prepared if isinstance(v, DerivationView) for p in _plots(v)], jobs):
        for result, stem, view in prepared:
            page = _page(result, stem, view, envs, settings_view)
            if isinstance(page, PageFailure):
                failures.append(page)
                view = _error_view(result, stem, page.message)
                page = {view.html_file: _render(envs["html"], "derivation.html", d=view, settings=settings_view),
                        view.tex_file: _render(envs["tex"], "derivation.tex", d=view, settings=settings_view)}
            views.append(view)
            files.update(page)
    if index:
        files["index.html"] = _render(envs["html"], "index.html", derivations=views, settings=settings_view)
    return dict(sorted(files.items())), failures


def _page(result: DerivationResult, stem: str, view: DerivationView | Exception, envs,
          settings_view: SettingsView) -> dict[str, str | bytes] | PageFailure:
    """A derivation's files (its HTML and TeX pages, the PDF figures), or why it has none."""
    try:
        if isinstance(view, Exception):
            raise view
        return {view.html_file: _render(envs["html"], "derivation.html", d=view, settings=settings_view),
                view.tex_file: _render(envs["tex"], "derivation.tex", d=view, settings=settings_view),
                **figure_files(view)}
    except ReportError as exc:
        if exc.template is not None:
            raise
        return PageFailure(shown_path(result.name), shown_path(result.file), str(exc))
    except Exception as exc:  # a printer's crash is this page's, not the run's
        return PageFailure(shown_path(result.name), shown_path(result.file), f"{type(exc).__name__}: {exc}")


def _error_view(result: DerivationResult, stem: str, message: str) -> DerivationView:
    """The page of a derivation that could not be rendered: its name, file and the error."""
    error = f"its page could not be rendered: {message}"
    if result.error is not None:
        error = f"{shown_path(str(result.error))}; {error}"
    return DerivationView(
        name=shown_path(result.name), title=shown_path(result.name), source="", file=shown_path(result.file),
        error=error, status=Status.ERROR.value, badge_class=Status.ERROR.value, counts=Counts(failing=1),
        conclusion=None, symbols=(), domain=(), steps=(), comparisons=(),
        html_file=f"{stem}.html", tex_file=f"{stem}.tex",
    )


REPORT_SUFFIXES = (".html", ".tex")


def stale_reports(directory: str, files: dict[str, str], complete: bool = True) -> list[str]:
    """The report files in ``directory`` that differ from ``files`` or are missing; with
    ``complete``, also report files that the current sources no longer produce."""
    stale = []
    for name, text in files.items():
        path = os.path.join(directory, name)
        try:
            with open(path, "rb") as handle:
                if handle.read() != _data(text):
                    stale.append(f"{path} (differs)")
        except FileNotFoundError:
            stale.append(f"{path} (missing)")
    if complete:
        stale += [f"{os.path.join(directory, name)} (no longer produced)" for name in _orphans(directory, files)]
    return stale


def _orphans(directory: str, files: dict[str, str]) -> list[str]:
    """Report files in ``directory`` that ``files`` does not hold; temporary files and staging
    folders (hidden names, another run's work in progress) are never among them."""
    if not os.path.isdir(directory):
        return []
    return sorted(n for n in os.listdir(directory)
                  if (n.endswith(REPORT_SUFFIXES) or plots.FIGURE_NAME.fullmatch(n))
                  and not is_temporary(n) and n not in files)


def _data(text: str | bytes) -> bytes:
    """A report file's bytes: a page's text in UTF-8, a figure as it is."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _plain_name(name: str) -> None:
    """Refuse a report file name that is not a plain file name inside the reports directory."""
    if (not name or name != os.path.basename(name) or "/" in name or "\\" in name
            or name in (".", "..") or is_temporary(name)):
        raise ReportError(f"refusing to write the report file {name!r}: not a plain file name inside the reports directory")


def write_reports(directory: str, files: dict[str, str | bytes], complete: bool = True) -> tuple[list[str], list[str]]:
    """Write every file, all or none: the new pages go to a staging folder inside ``directory``
    first, and only when every one is on disk are they renamed over the old ones (a rename
    needs no space, so a full disk leaves the old set whole). With ``complete``, remove report
    files no derivation produces any more. Returns (written, removed).

    A folder or disk that cannot be written is a ``WriteError`` naming the path; the reports
    already there are then unchanged. Runs at once each stage their own pages."""
    for name in files:
        _plain_name(name)
    make_folder(directory, "no report was changed")
    try:
        staging = tempfile.mkdtemp(prefix=".staging-", dir=directory)
    except OSError as exc:
        raise WriteError(directory, reason(exc), "no report was changed") from None
    written: list[str] = []
    try:
        path = directory
        try:
            for name, text in files.items():
                path = os.path.join(directory, name)
                staged = os.path.join(staging, name)
                with open(staged, "wb") as handle:
                    handle.write(_data(text))
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(staged, 0o644)
        except OSError as exc:
            raise WriteError(path, reason(exc), f"no report in {shown_path(directory)} was changed") from None
        try:
            for name in files:
                path = os.path.join(directory, name)
                os.replace(os.path.join(staging, name), path)
                written.append(path)
        except OSError as exc:
            raise WriteError(path, reason(exc), f"{len(written)} of {len(files)} pages were replaced") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    removed = []
    if complete:
        for name in _orphans(directory, files):
            for stale in (name, os.path.splitext(name)[0] + ".pdf") if name.endswith(".tex") else (name,):
                path = os.path.join(directory, stale)
                try:
                    os.unlink(path)
                except FileNotFoundError:  # not there, or another run removed it first
                    continue
                except OSError as exc:
                    raise WriteError(path, reason(exc), "every new page was written; this old one is left") from None
                removed.append(path)
    return written, removed


PDF_ENGINE = "pdflatex"


def compile_pdf(tex_path: str) -> str:
    """Compile a report's ``.tex`` with pdflatex in a scratch directory and move the PDF beside it.
    The PDF carries no date (SOURCE_DATE_EPOCH), so it too is reproducible."""
    engine = shutil.which(PDF_ENGINE)
    if engine is None:
        raise ReportError(
            "--pdf needs pdflatex, which is not installed "
            "(apt-get install texlive-latex-base texlive-latex-recommended)"
        )
    target = os.path.splitext(tex_path)[0] + ".pdf"
    # the figures (plot+*.pdf) lie beside the .tex; pdflatex runs in a scratch folder, so it is
    # told to look there too (the trailing separator keeps TeX's own search path)
    here = os.path.dirname(os.path.abspath(tex_path))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1",
           "TEXINPUTS": here + os.sep + os.pathsep + os.environ.get("TEXINPUTS", "")}
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(2):  # twice, for references and page numbers
            run = subprocess.run(
                [engine, "-interaction=nonstopmode", "-halt-on-error", "-output-directory", scratch,
                 os.path.abspath(tex_path)],
                capture_output=True, encoding="utf-8", errors="replace", env=env, cwd=scratch, timeout=300,
            )
            if run.returncode != 0:
                errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
                raise ReportError(f"pdflatex failed: {'; '.join(errors[:3]) or run.stdout[-500:]}", template=tex_path)
        name = os.path.splitext(os.path.basename(tex_path))[0] + ".pdf"
        with open(os.path.join(scratch, name), "rb") as handle:
            replace_atomically(target, handle.read())
    return target
