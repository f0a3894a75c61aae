"""Exporting verified formulas as numeric code: ``smoothsym export`` and ``lambdified``.

What can be exported:

* a step marked ``export="name"`` (or ``export="name(x, k=1)"``, fixing the argument order and
  defaults): its claim, printed by SymPy's code printers as an elementwise function;
* a ``Generalise`` step marked ``export="name"`` where ``name`` is a reduction template in
  ``kernels_numpy.py`` / ``kernels_scalar.py`` (``logsumexp``, ``softmax``,
  ``softmax_cross_entropy``, ``softmax_cross_entropy_grad``): its code is the template, checked
  against the step's verified instances when the export is measured;
* a derivation's conclusion ``Eq(lhs, rhs)`` whose right side holds no limit, sum, derivative or
  indexed symbol: an elementwise function named after the derivation (``smooth-abs`` ->
  ``smooth_abs``).

Exporting verifies each derivation it takes from once (``runner.verify_many``), refuses a marked step
whose chain is not verified (refuted, disputed, timeout, error), evaluates every exported function
against the truth at 50 digits (mpmath for an elementwise function, Arb balls for a reduction), and writes the verdicts and the measured error into each function's
docstring. The naive form (the chain's ``Given``) is never the code; elementwise functions use it
only where the stable form meets inf - inf at an infinite input, where the naive form gives the
limit (``smooth_max(inf, inf) = inf``).

Nothing from a derivation runs when the exported module is imported: a default value in a
signature must be a literal number, string or None (printed with ``repr``), and every text the
module's docstrings quote (names, paths, the command) is escaped so it cannot end the docstring.

>>> import sympy as sp
>>> Signature.parse("softplus(x, k=1)")
Signature(name='softplus', params=('x', 'k'), defaults=(('k', '1'),))
>>> Signature.parse("soft plus")
Traceback (most recent call last):
smoothsym.export.ExportError: export name 'soft plus' is not a Python function name or signature, e.g. "softplus(x, k=1)"
>>> Signature.parse("f(x, k=__import__('os').getcwd())")
Traceback (most recent call last):
smoothsym.export.ExportError: export signature "f(x, k=__import__('os').getcwd())": the default of k is __import__('os').getcwd(), not a literal number, string or None (it would run when the exported module is imported)
"""

from __future__ import annotations

import ast
import contextlib
import functools
import keyword
import math
import os
import re
import types
from dataclasses import dataclass, replace

import mpmath
import numpy
import sympy as sp
from sympy.codegen.cfunctions import log1p
from sympy.printing.numpy import JaxPrinter, NumPyPrinter
from sympy.printing.pycode import MpmathPrinter, PythonCodePrinter

from flint import acb, arb

from . import __version__, balls
from .balls import digits_to_bits, midpoint, working_bits
from .errors import SmoothsymError
from .files import write_atomically
from .loader import discover
from .prose import plain
from .runner import DerivationResult, verify_many
from .settings import PROFILES, CheckSettings
from .verdict import Status, weakest

TARGETS = ("numpy", "math", "mpmath", "torch", "jax")
FRAMEWORKS = ("torch", "jax")  # targets with a backward pass: the catalog's verified derivatives
REFERENCE_DIGITS = 50
_KERNELS = {"numpy": "kernels_numpy.py", "math": "kernels_scalar.py", "mpmath": "kernels_scalar.py",
            "torch": "kernels_torch.py", "jax": "kernels_jax.py"}
_IMPORTS = {"numpy": "import numpy\n", "math": "import math\nimport math as _m\n", "mpmath": "import mpmath\nimport mpmath as _m\n",
            "torch": "import math\nimport torch\n", "jax": "import math\nimport jax\nimport jax.numpy as jnp\n"}


class ExportError(SmoothsymError, ValueError):
    """An export cannot be made: an unknown name or target, a step not verified, a formula no
    printer can write. Remedy: the message names the function, derivation and step."""


# -- what is exported -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signature:
    """A function's name, its parameters in order, and their defaults (as source text)."""

    name: str
    params: tuple[str, ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def parse(text: str) -> "Signature":
        try:
            node = ast.parse(text.strip(), mode="eval").body
        except SyntaxError:
            node = None
        if isinstance(node, ast.Name):
            return Signature(node.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            params = tuple(a.id for a in node.args if isinstance(a, ast.Name))
            if len(params) == len(node.args) and all(kw.arg is not None for kw in node.keywords):
                defaults = tuple((kw.arg, _literal_default(text, kw.arg, kw.value)) for kw in node.keywords)
                names = params + tuple(name for name, _ in defaults)
                if len(set(names)) < len(names):
                    raise ExportError(f"export signature {text!r} names a parameter twice")
                return Signature(node.func.id, names, defaults)
        raise ExportError(f"export name {text!r} is not a Python function name or signature, e.g. \"softplus(x, k=1)\"")

    def source(self) -> str:
        """The parameter list: ``x, k=1``."""
        defaults = dict(self.defaults)
        return ", ".join(f"{p}={defaults[p]}" if p in defaults else p for p in self.params)


def _literal_default(text: str, name: str, node: ast.expr) -> str:
    """A default value as the source the module gets: the repr of a literal number, string or
    None (``ast.literal_eval``), never an expression that would run on import."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        value = ast  # not a literal: refused below
    if value is None or isinstance(value, (bool, int, float, complex, str)):
        return repr(value)
    raise ExportError(
        f"export signature {text!r}: the default of {name} is {ast.unparse(node)}, not a literal number, "
        "string or None (it would run when the exported module is imported)"
    )


def _doc_text(text: str) -> str:
    r"""``text`` safe inside a module's triple-quoted docstring: backslashes doubled, no three
    double quotes to end it, a file name's odd bytes and control characters as visible escapes.

    >>> print(_doc_text(r"C:\new\N 'q' " + '"' * 3))
    C:\\new\\N 'q' '''
    """
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(ch if ch == "\n" or ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return text.replace("\\", "\\\\").replace('"' * 3, "'" * 3)


@dataclass(frozen=True, slots=True)
class Reduction:
    """A reduction template: its signature (as the module defines it), its parameters for the
    measurement, and a note on the code.

    ``output``: "value" (one number per row) or "entries" (one per entry: softmax, its log, the
    gradient); ``targets``: the second argument is the integer target classes."""

    signature: str
    output: str
    note: str
    takes_k: bool = True
    targets: bool = False


_PIVOT = (
    "Code: a template (smoothsym/kernels_numpy.py), each row pivoted on its own max (batch-invariant: a row's"
    " result never depends on other rows); float16/float32 computed in float64 and rounded once."
)
_AXES = " Axes as scipy.special: axis=None (every axis) by default, an int or a tuple; k is keyword-only."
REDUCTIONS = {
    "logsumexp": Reduction(
        "logsumexp(x, axis=None, b=None, keepdims=False, return_sign=False, *, k=1)", "value",
        _PIVOT + _AXES + " b= weights (a zero weight drops its term), return_sign= as scipy.special.logsumexp.",
    ),
    "softmax": Reduction("softmax(x, axis=None, *, k=1)", "entries", _PIVOT + _AXES),
    "log_softmax": Reduction("log_softmax(x, axis=None, *, k=1)", "entries", _PIVOT + _AXES),
    "softmax_cross_entropy": Reduction(
        "softmax_cross_entropy(z, y)", "value",
        _PIVOT + " Classes on the last axis, y the integer target classes (one per row).", takes_k=False, targets=True,
    ),
    "softmax_cross_entropy_grad": Reduction(
        "softmax_cross_entropy_grad(z, y)", "entries",
        _PIVOT + " softmax(z) minus the one-hot of y, classes on the last axis.", takes_k=False, targets=True,
    ),
}
_SCALAR_SIGNATURES = {"logsumexp": "logsumexp(x, k=1)", "softmax": "softmax(x, k=1)", "log_softmax": "log_softmax(x, k=1)"}


@dataclass(frozen=True, slots=True)
class Export:
    """One function to export: the verified expression and where it comes from."""

    signature: Signature
    expression: sp.Basic  # elementwise: the code; a reduction: the displayed n-variable claim
    naive: sp.Basic | None
    derivation: str
    file: str
    line: int
    steps: tuple[int, ...]  # the chain from its Given to the exported step
    label: str
    status: Status
    verdicts: str
    reduction: Reduction | None = None
    instance: object = None  # Generalise.instance, for a reduction
    accuracy: str = "not measured"
    also: tuple = ()  # a reduction's further verified formulas: Exports of the same template
    backward: tuple = ()  # the verified derivatives the torch/jax targets' backward passes use (Backward)

    @property
    def name(self) -> str:
        return self.signature.name


def _chain_of(result: DerivationResult, number: int) -> list:
    """The step results from the last Given before step ``number`` up to it."""
    by_number = {r.number: r for r in result.steps}
    start = number
    while start > 1 and by_number[start].step.kind != "given":
        start -= 1
    return [by_number[n] for n in range(start, number + 1)]


def _verdict_lines(chain) -> str:
    return "\n".join(
        f"step {r.number} {plain(r.step.label, label=True) or r.step.kind}: {r.outcome} [{r.verdict.method}]"
        for r in chain if r.step.kind != "given"
    )


@dataclass(frozen=True, slots=True)
class Refusal:
    """A function that is not exported, and why; the others still are (the CLI says each)."""

    name: str
    where: str  # file:line, derivation, step
    reason: str

    def line(self) -> str:
        return f"{self.name}: {self.where}: {self.reason}"


def _refuse(refused: list | None, refusal: Refusal) -> None:
    """Record a refusal, or raise it where the caller keeps none (all or nothing)."""
    if refused is None:
        raise ExportError(f"{refusal.where}: {refusal.reason}")
    refused.append(refusal)


def _marked(result: DerivationResult, refused: list | None = None) -> list[Export]:
    """The steps marked export=..., refusing any whose chain did not pass."""
    found = []
    for r in result.steps:
        if not r.step.export:
            continue
        chain = _chain_of(result, r.number)
        where = f"{result.file}:{r.step.location.line}, derivation {result.name!r}, step {r.number}"
        failing = [c for c in chain if not c.passes()]
        signature = Signature.parse(r.step.export)
        if failing:
            bad = ", ".join(f"step {c.number} is {c.outcome}" for c in failing)
            _refuse(refused, Refusal(signature.name, where, f"will not export {r.step.export!r}: {bad}"))
            continue
        reduction = None
        if r.step.kind == "generalise":
            reduction = REDUCTIONS.get(signature.name)
            if reduction is None:
                _refuse(refused, Refusal(signature.name, where, (
                    f"an n-variable step is exported through a reduction template; "
                    f"{signature.name!r} is none of {', '.join(REDUCTIONS)}")))
                continue
            signature = Signature(signature.name, ("x", "k"))
        found.append(Export(
            signature=signature, expression=r.step.claim, naive=chain[0].step.claim, derivation=result.name,
            file=result.file, line=r.step.location.line, steps=tuple(c.number for c in chain), label=r.step.label,
            status=weakest(c.verdict.status for c in chain[1:]), verdicts=_verdict_lines(chain),
            reduction=reduction, instance=getattr(r.step, "instance", None),
        ))
    return found


def _python_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


_NOT_PRINTABLE = (sp.Limit, sp.Sum, sp.Product, sp.Derivative, sp.Integral, sp.Indexed, sp.IndexedBase)


def _conclusion(result: DerivationResult) -> Export | None:
    """The conclusion's right side as an elementwise function, when it is plain and verified."""
    d = result.derivation
    conclusion = d.conclusion
    if not isinstance(conclusion, sp.Eq) or not result.passes():
        return None
    rhs = conclusion.rhs
    if rhs.has(*_NOT_PRINTABLE) or not rhs.free_symbols:
        return None
    params = tuple(s.name for s in d.symbols if s in rhs.free_symbols)
    name = d.name.replace("-", "_")
    if not _python_name(name):  # e.g. "2d-max" or "lse.v2": no function name, so no export
        return None
    return Export(
        signature=Signature(name, params), expression=rhs, naive=None, derivation=d.name,
        file=result.file, line=d.location.line, steps=tuple(r.number for r in result.steps), label="conclusion",
        status=result.status, verdicts=_verdict_lines(result.steps),
    )


@dataclass(frozen=True, slots=True)
class Backward:
    """A verified derivative behind a framework target's backward pass: d(export)/d(variable) =
    expression, the claim of a passing step (for a reduction: the step whose Jacobian the
    template's vector-Jacobian product implements; variable and expression are then None)."""

    variable: str | None
    expression: sp.Basic | None
    derivation: str
    file: str
    step: int
    label: str
    status: Status
    method: str

    def line(self) -> str:
        return f"{self.derivation} step {self.step} ({plain(self.label, label=True)}): {self.status.value} [{self.method}]"


# The Jacobian each reduction template's backward pass implements, by the label of the steps that
# verify it (lse-gradient, export-gradients, stable-forms). A template's backward is code written
# by hand from these formulas, so the link is by name and the docstring quotes the steps.
REDUCTION_JACOBIANS = {
    "logsumexp": ("∇LSE = softmax", "the softmax_k(x) times g"),
    "softmax": ("softmax Jacobian", "k p (g - sum_j g_j p_j)"),
    "log_softmax": ("log-softmax Jacobian", "k (g - p sum_j g_j)"),
    "softmax_cross_entropy": ("gradient = softmax - one-hot", "(softmax(z) - onehot(y)) times g"),
}


def _plain_names(expr):
    """expr with every symbol replaced by an assumption-free one of the same name (a derivation's
    x may be declared real, another's not: the same formula either way)."""
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


def _claims_a_derivative(step) -> bool:
    """A step that states a derivative: a Differentiate, or a claim d(...)/dx = ... (a label alone
    links nothing: a rewrite that shares the label is not a Jacobian)."""
    claim = getattr(step, "claim", None)
    return step.kind == "differentiate" or (isinstance(claim, sp.Eq) and claim.lhs.has(sp.Derivative))


def derivatives_of(results, exports: list[Export]) -> list[Export]:
    """Each export with its verified derivatives: an elementwise export's are the passing
    Differentiate steps whose starting expression is the exported formula itself (symbol for
    symbol); a reduction's, the passing steps REDUCTION_JACOBIANS names."""
    steps = [(result, r) for result in results for r in result.steps if r.passes() and not r.expected_refutation]
    differentiated = [(result, r, _plain_names(r.before)) for result, r in steps  # each once, not once per export
                      if r.step.kind == "differentiate" and r.before is not None]
    found = []
    for e in exports:
        backward = []
        if e.reduction is None:
            formula = _plain_names(e.expression)
            for result, r, before in differentiated:
                if before == formula:
                    variable = r.step.variable.name
                    if variable in e.signature.params and variable not in {b.variable for b in backward}:
                        backward.append(Backward(variable, r.step.claim, result.name, result.file, r.number,
                                                 r.step.label, r.verdict.status, r.verdict.method))
        elif e.name in REDUCTION_JACOBIANS:
            label = REDUCTION_JACOBIANS[e.name][0]
            backward = [Backward(None, None, result.name, result.file, r.number, r.step.label, r.verdict.status, r.verdict.method)
                        for result, r in steps if r.step.label == label and _claims_a_derivative(r.step)]
        found.append(replace(e, backward=tuple(backward)))
    return found


def exports_of(results, names=(), refused: list | None = None) -> list[Export]:
    """Every export the verified derivations offer, or only those named; unknown names raise.
    With a ``refused`` list, a step whose chain did not pass (or a derivation that did not load
    or verify) is recorded there and the others are still offered; without one, it raises."""
    found: dict[str, Export] = {}
    for result in results:
        if result.error is not None:
            where = f"{result.file}, derivation {result.name!r}"
            names_lost = sorted(_offers(result.derivation)) if result.derivation is not None else []
            if refused is None or not names_lost:
                raise ExportError(str(result.error))
            for name in names_lost:
                refused.append(Refusal(name, where, f"the derivation did not verify: {result.error}"))
            continue
        candidates = _marked(result, refused)
        conclusion = _conclusion(result)
        if conclusion is not None and conclusion.name not in {e.name for e in candidates}:
            candidates.append(conclusion)
        for e in candidates:
            if e.name in found and e.reduction is not None and found[e.name].reduction is not None:
                first = found[e.name]  # one template, backed by the verified formulas of both steps
                found[e.name] = replace(first, status=weakest([first.status, e.status]), also=first.also + (e,))
                continue
            if e.name in found:
                first = found[e.name]
                raise ExportError(f"two exports are named {e.name!r}: {first.derivation} step {first.steps[-1]} and {e.derivation} step {e.steps[-1]}")
            found[e.name] = e
    if names:
        lost = {r.name: r for r in refused or ()}
        asked = [lost[n] for n in names if n in lost and n not in found]
        if asked:  # the user asked for exactly these: all or nothing
            raise ExportError("; ".join(f"{r.where}: {r.reason}" for r in asked))
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ExportError(f"no export named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(found)) or '(none)'}")
        return [found[n] for n in names]
    return list(found.values())


# -- code --------------------------------------------------------------------------------------


class _SmallLast:
    """Sums printed with their log1p terms last: max(z, 0) - t z + log1p(e^{-|z|}) must add the
    small correction after the large terms have cancelled (SymPy's own order puts -t z first,
    and (-40 + 4e-18) + 40 is 0, not 4e-18)."""

    def _as_ordered_terms(self, expr, order=None):
        terms = super()._as_ordered_terms(expr, order=order)
        return sorted(terms, key=lambda term: term.has(log1p))  # stable: SymPy's order otherwise


class _NumPyCode(_SmallLast, NumPyPrinter):
    """numpy code; a max or min of two arrays is numpy.maximum/minimum (broadcasting, no copy)."""

    def _nested(self, function, args):
        printed = [self._print(a) for a in args]
        text = printed[0]
        for other in printed[1:]:
            text = f"{function}({text}, {other})"
        return text

    def _print_Max(self, expr):
        return self._nested("numpy.maximum", expr.args)

    def _print_Min(self, expr):
        return self._nested("numpy.minimum", expr.args)

    def _print_Pow(self, expr, rational=False):
        # x**3 of a Python float (a scalar argument stays one) raises OverflowError at 1e300;
        # numpy.power gives inf, and for arrays the same bits as x**n
        if expr.exp.is_Integer and expr.exp >= 2 and not expr.base.is_number:
            return f"numpy.power({self._print(expr.base)}, {expr.exp})"
        return super()._print_Pow(expr, rational=rational)

    # numpy has no erf: the kernel's array erf and erfc (Cody's rational approximations, kernels_numpy.py)
    def _print_erf(self, expr):
        return f"_erf({self._print(expr.args[0])})"

    def _print_erfc(self, expr):
        return f"_erfc({self._print(expr.args[0])})"


class _PythonCode(_SmallLast, PythonCodePrinter):
    pass


class _MpmathCode(_SmallLast, MpmathPrinter):
    def _print_log1p(self, expr):
        return f"mpmath.log1p({self._print(expr.args[0])})"


class _JaxCode(_SmallLast, JaxPrinter):
    """jax.numpy code; a max or min is the kernel's _maximum/_minimum (either side may be a number)."""

    def _nested(self, function, args):
        return _NumPyCode._nested(self, function, args)

    def _print_Max(self, expr):
        return self._nested("_maximum", expr.args)

    def _print_Min(self, expr):
        return self._nested("_minimum", expr.args)

    def _print_erf(self, expr):  # SymPy's JAX printer has none and falls back to math.erf (scalars only)
        return f"jax.lax.erf({self._print(expr.args[0])})"

    def _print_erfc(self, expr):
        return f"jax.lax.erfc({self._print(expr.args[0])})"


class _TorchCode(_JaxCode):
    """torch code: jax.numpy's names (numpy's, which torch mirrors) under ``torch.``; a Piecewise
    is nested torch.where, a comparison Python's operator (torch.equal would compare whole tensors)."""

    def _module_format(self, fqn, register=True):
        if fqn.startswith("jax.numpy."):
            fqn = "torch." + fqn[len("jax.numpy."):]
        return super()._module_format(fqn, register)

    def _print_Piecewise(self, expr):
        if expr.args[-1].cond != True:  # noqa: E712 (a SymPy truth value)
            raise ValueError("a Piecewise without a final True branch")
        text = self._print(expr.args[-1].expr)
        for value, condition in reversed(expr.args[:-1]):
            text = f"torch.where({self._print(condition)}, {self._print(value)}, {text})"
        return text

    def _print_Relational(self, expr):
        return f"({self._print(expr.lhs)} {expr.rel_op} {self._print(expr.rhs)})"

    def _print_Pow(self, expr, rational=False):
        if not expr.free_symbols:  # a constant such as sqrt(2) or 1/sqrt(pi): torch.sqrt takes tensors only
            return _PythonCode({"fully_qualified_modules": True}).doprint(expr)
        return super()._print_Pow(expr, rational=rational)

    def _print_erf(self, expr):
        return f"torch.erf({self._print(expr.args[0])})"

    def _print_erfc(self, expr):
        return f"torch.erfc({self._print(expr.args[0])})"

    def _print_And(self, expr):
        return " & ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr):
        return " | ".join(f"({self._print(a)})" for a in expr.args)


_PRINTERS = {"numpy": _NumPyCode, "math": _PythonCode, "mpmath": _MpmathCode, "torch": _TorchCode, "jax": _JaxCode}


def _printed(expr: sp.Basic, target: str, where: str) -> str:
    printer = _PRINTERS[target]({"fully_qualified_modules": True, "strict": True})
    try:
        code = printer.doprint(expr)
    except Exception as exc:  # a function the target has no code for
        raise ExportError(f"{where}: the {target} printer cannot write {expr}: {exc}") from None
    if target == "numpy":
        # SymPy's NumPy printer falls back to the math module for what numpy lacks (erf, gamma):
        # scalar functions, which an array module must not call (nor does it import math)
        scalar = sorted(set(re.findall(r"\bmath\.(\w+)\(", code)))
        if scalar:
            raise ExportError(f"{where}: numpy has no array function for {', '.join(scalar)} (SymPy would print "
                              f"math.{scalar[0]}, which takes scalars only); export it with --target math, mpmath, "
                              "torch or jax")
    return code


def _claim_lines(e: Export) -> list[str]:
    claim = e.expression
    return [sp.sstr(claim.lhs), f"  = {sp.sstr(claim.rhs)}"] if isinstance(claim, sp.Eq) else [sp.sstr(claim)]


def _origin_lines(e: Export) -> list[str]:
    return [
        f"From derivation {e.derivation!r} ({e.file}:{e.line}), steps {e.steps[0]}-{e.steps[-1]} ({plain(e.label, label=True)}): {e.status.value}.",
        *e.verdicts.splitlines(),
    ]


def _docstring(e: Export, target: str) -> str:
    if e.reduction is None:
        lines = [f"{e.name}({', '.join(e.signature.params)}) = {sp.sstr(e.expression)}", "", *_origin_lines(e)]
    else:
        lines = [*_claim_lines(e)]
        if any(s.name == "M" for s in e.expression.free_symbols):
            lines.append("where M is the row's max.")
        lines += ["", *_origin_lines(e)]
        for other in e.also:  # the template's formula, verified in another derivation
            lines += ["", *_claim_lines(other), *_origin_lines(other)]
        if not any(x.expression.has(log1p) for x in (e, *e.also)):
            lines += ["", "The template's own log1p form (derivations/export_forms.py) was not among the exported paths."]
        lines += ["", e.reduction.note]
    lines += [
        f"Verified: {e.status.value} (the weakest step of the chains above).",
        f"Accuracy ({target}, against {'Arb balls' if e.reduction is not None else 'mpmath'} at {REFERENCE_DIGITS} digits,"
        " relative: ULPs of the true result):",
        *(f"  {part}" for part in e.accuracy.split("; ")),
    ]
    if e.naive is not None and e.reduction is None:
        lines.append(f"Naive form (not the code): {sp.sstr(e.naive)}")
    if target in FRAMEWORKS:
        lines += _backward_lines(e, target)
    if e.reduction is None and target in ("numpy", *FRAMEWORKS):
        for p, limit in _limits_at_infinity(e).items():
            lines.append(f"{p} = inf: {sp.sstr(limit)} (SymPy's value at {p} = oo, checked against {p} = 1e30 at sample points; not a catalog step).")
    escaped = (_doc_text(line) for line in lines)
    text = "\n".join(f"    {line}" if line else "" for line in escaped)
    return f'    """{text[4:]}\n    """\n'


def _backward_lines(e: Export, target: str) -> list[str]:
    """What the backward pass (torch.autograd / jax.custom_jvp) computes, and which verified steps say so."""
    framework = {"torch": "torch's autograd", "jax": "JAX's autodiff"}[target]
    if e.reduction is not None:
        if e.name not in REDUCTION_JACOBIANS:
            return [f"Backward: none of its own ({framework} of the code; this function is itself a gradient)."]
        label, formula = REDUCTION_JACOBIANS[e.name]
        if not e.backward:
            return [f"Backward: {formula}; NO passing catalog step labelled {label!r} was among the verified derivations."]
        return [f"Backward (the template's vector-Jacobian product): {formula}, from the verified derivatives:",
                *(f"  {b.line()}" for b in e.backward)]
    by_variable = {b.variable: b for b in e.backward}
    inputs = [p for p in e.signature.params if p not in _positive_params(e)]
    if not by_variable:
        return [f"Backward: {framework} of the code above (the catalog verifies no derivative of this formula)."]
    lines = ["Backward: the verified derivatives, printed as code:"]
    for p in inputs:
        b = by_variable.get(p)
        missing = "none verified; asking for it is an error" if target == "torch" else f"none verified: {framework} of the code"
        lines.append(f"  d/d{p} = {sp.sstr(b.expression)}: {b.line()}" if b else f"  d/d{p}: {missing}")
    others = _positive_params(e)
    if others:
        lines.append(f"  {', '.join(others)}: a parameter, not differentiated (pass a number)")
    for p in _limits_at_infinity(e):
        if any(_value_at_infinity(b.expression, p) is None for b in e.backward):
            lines.append(f"  at {p} = inf: {framework} of the limit formula (the derivative's limit is no formula SymPy gives)")
    return lines


def _positive_params(e: Export) -> list[str]:
    """The parameters whose symbol is declared positive (a sharpness k, a temperature): checked > 0."""
    return [s.name for s in sorted(e.expression.free_symbols, key=lambda s: s.name) if s.is_positive]


def _limits_at_infinity(e: Export) -> dict:
    """For each positive parameter p (a sharpness k): the formula at p = oo, when SymPy gives one
    free of p and it matches the formula at p = 1e30 (mpmath, 50 digits) at sample points; the
    numpy code uses it where p is inf (softplus -> max(x, 0)). Not a catalog step: the docstring
    says so."""
    return dict(_limits_of(e.expression))


@functools.lru_cache(maxsize=256)
def _limits_of(expression: sp.Basic) -> tuple:
    """``_limits_at_infinity`` of one formula, as (name, limit) pairs: asked for by the docstring,
    the code and the backward lines of each of three module printings, computed once."""
    found = []
    for name in sorted(s.name for s in expression.free_symbols if s.is_positive):
        p = next(s for s in expression.free_symbols if s.name == name)
        try:
            limit = _value_at_infinity(expression, name)
        except Exception:
            continue
        if limit is None:
            continue
        others = sorted(limit.free_symbols | (expression.free_symbols - {p}), key=lambda s: s.name)
        try:
            near = sp.lambdify(others + [p], expression, modules="mpmath")
            at = sp.lambdify(others, limit, modules="mpmath")
            with mpmath.workdps(REFERENCE_DIGITS):
                for values in ((0.0,) * len(others), (1.5,) * len(others), tuple(-2.5 + i for i in range(len(others)))):
                    args = [mpmath.mpf(v) for v in values]
                    if abs(near(*args, mpmath.mpf(10) ** 30) - at(*args)) > mpmath.mpf(10) ** -25:
                        raise ValueError("no match")
        except Exception:
            continue
        found.append((name, limit))
    return tuple(found)


def _value_at_infinity(expr: sp.Basic, name: str) -> sp.Basic | None:
    """expr at the parameter ``name`` = oo as SymPy substitutes it (expr itself if free of it), or
    None where that is no finite formula (sigma(kx) at k = oo is a step, not a substitution)."""
    symbol = next((s for s in expr.free_symbols if s.name == name), None)
    if symbol is None:
        return expr
    limit = expr.subs(symbol, sp.oo)
    if limit.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or symbol in limit.free_symbols:
        return None
    return limit


def _framework_elementwise_source(e: Export, target: str, stable: str, naive: str | None) -> str:
    """An elementwise function for torch or jax: the printed formula as ``_value``, and, when the
    catalog verifies its derivatives, those printed as ``_derivatives`` (the backward pass)."""
    where = f"{e.derivation} step {e.steps[-1]} ({e.name})"
    positive = _positive_params(e)
    inputs = [p for p in e.signature.params if p not in positive]
    if not inputs:
        raise ExportError(f"{where}: every parameter is a positive constant; nothing to compute elementwise")
    arguments = ", ".join(inputs)
    limits = _limits_at_infinity(e)
    body = [f"    ({arguments},), _dtype = _elementwise_inputs({', '.join(f'{p}={p}' for p in inputs)})\n"]
    body += [f"    {p} = _positive({p}, {p!r}, infinite={p in limits})\n" for p in positive]

    unlimited = set()  # parameters p = inf where a derivative has no limit SymPy gives: autodiff there

    def at_infinity(expr, code):
        for p in positive:
            if p in limits:
                limit = _value_at_infinity(expr, p)
                if limit is None:
                    unlimited.add(p)
                    continue
                code = f"_at_infinity({p}, lambda: {code}, lambda: {_printed(limit, target, where)})"
        return code

    value = stable if naive is None else f"_settle({stable}, lambda {arguments}: {naive}, {arguments})"
    body.append(f"    def _value({arguments}):\n        return {at_infinity(e.expression, value)}\n")
    by_variable = {b.variable: b for b in e.backward}
    if by_variable:
        printed = [at_infinity(by_variable[p].expression, _printed(by_variable[p].expression, target, where))
                   if p in by_variable else "None" for p in inputs]
        body.append(f"    def _derivatives({arguments}):\n        return ({', '.join(printed)},)\n")
        if unlimited:  # e.g. softplus at k = inf is max(x, 0): its derivative's limit is a step SymPy cannot give
            at = " or ".join(f"{p} == math.inf" for p in sorted(unlimited))
            body.append(f"    if {at}:\n        return _autodiff(_value, ({arguments},), _dtype)\n")
        body.append(f"    return _verified(_value, _derivatives, ({arguments},), _dtype)\n")
    else:
        body.append(f"    return _autodiff(_value, ({arguments},), _dtype)\n")
    return f"def {e.name}({e.signature.source()}):\n{_docstring(e, target)}{''.join(body)}"


def _elementwise_source(e: Export, target: str) -> str:
    where = f"{e.derivation} step {e.steps[-1]} ({e.name})"
    params = e.signature.params
    symbols = {s.name for s in e.expression.free_symbols}
    if set(params) != symbols:
        raise ExportError(f"{where}: the signature names {', '.join(params) or 'nothing'}; the formula's symbols are {', '.join(sorted(symbols))}")
    bad = [p for p in params if not _python_name(p)]
    if bad:
        raise ExportError(f"{where}: the symbol {bad[0]!r} is a Python keyword and cannot name a parameter; rename it")
    stable = _printed(e.expression, target, where)
    naive = _printed(e.naive, target, where) if e.naive is not None and e.naive.free_symbols <= e.expression.free_symbols else None
    if target in FRAMEWORKS:
        return _framework_elementwise_source(e, target, stable, naive)
    arguments = ", ".join(params)
    body = []
    if target == "numpy":
        body.append(f"    ({arguments},), _dtype = _elementwise_inputs({', '.join(f'{p}={p}' for p in params)})\n")
        body += [f"    _positive({p}, {p!r}, infinite={p in _limits_at_infinity(e)})\n" for p in _positive_params(e)]
        body.append("    with numpy.errstate(all=\"ignore\"):\n")
        indent = "        "
    else:
        body += [f"    _number({p}, {p!r})\n" for p in params]
        body += [f"    _positive({p}, {p!r})\n" for p in _positive_params(e)]
        indent = "    "
    value = stable if naive is None else f"_settle({stable}, lambda {arguments}: {naive}, {arguments})"
    limits = _limits_at_infinity(e) if target == "numpy" else {}
    for p, limit in limits.items():  # where p = inf: the formula's limit
        value = f"_at_infinity({p}, lambda: {value}, lambda: {_printed(limit, target, where)})"
    if target == "numpy":
        value = f"_finish({value}, _dtype, {arguments})"
    else:
        value = f"_guarded(lambda: {value})"
    body.append(f"{indent}return {value}\n")
    return f"def {e.name}({e.signature.source()}):\n{_docstring(e, target)}{''.join(body)}"


def _kernel_module(target: str) -> tuple[str, dict[str, str]]:
    """The template file's helpers (private functions and constants, verbatim) and its public
    functions' sources by name (docstring-free: the export writes its own)."""
    path = os.path.join(os.path.dirname(__file__), _KERNELS[target])
    helpers, public = _parsed_kernels(path, os.stat(path).st_mtime_ns)
    return helpers, dict(public)


@functools.lru_cache(maxsize=16)
def _parsed_kernels(path: str, mtime_ns: int) -> tuple[str, tuple]:
    """``_kernel_module``'s parse, once per file version in a process (a session exports many
    times); each node's source sliced from the lines split once (``_segment``)."""
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    tree = ast.parse(source)
    lines = re.split(r"(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)", source)  # the lines ast.get_source_segment splits
    helpers, public = [], {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) or (isinstance(node, ast.Expr) and node is tree.body[0]):
            continue
        text = _segment(lines, node)
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            public[node.name] = text
        else:
            helpers.append(text)
    return "\n\n".join(helpers), tuple(public.items())


def _segment(lines: list[str], node: ast.stmt) -> str:
    """``ast.get_source_segment(source, node)`` of a top-level statement, from the file's lines
    split once: get_source_segment splits the whole file again at every call."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
    return "".join([lines[first].encode()[node.col_offset:].decode(), *lines[first + 1:last],
                    lines[last].encode()[:node.end_col_offset].decode()])


def _reduction_source(e: Export, target: str, public: dict[str, str]) -> str:
    text = public[e.name]
    header, rest = text.split("\n", 1)
    if target in ("math", "mpmath") and e.name in _SCALAR_SIGNATURES:
        e = replace(e, signature=Signature.parse(_SCALAR_SIGNATURES[e.name]))
    return f"{header}\n{_docstring(e, target)}{rest}"


_SCALAR_EXTRAS = '''

def _number(value, name):
    """An error naming the argument unless value is one real number."""
    if isinstance(value, (str, bytes, complex)) or not hasattr(value, "__float__"):
        raise TypeError(f"{name} must be a real number, not {value!r}")


def _positive(value, name):
    """A parameter declared positive (a sharpness k): finite and > 0, an error otherwise."""
    if not 0 < value < _m.inf:
        raise ValueError(f"{name} must be positive and finite, not {value!r}")


def _guarded(compute):
    """The value; an overflow (only in a naive fallback) is infinite, not an exception."""
    try:
        return compute()
    except OverflowError:
        return _m.inf
'''


def _function_source(e: Export, target: str, public: dict[str, str]) -> str:
    return _reduction_source(e, target, public) if e.reduction else _elementwise_source(e, target)


def module_source(exports: list[Export], target: str, command: str = "smoothsym export", refused=()) -> str:
    """The text of a standalone module defining every export for ``target`` (its docstring also
    lists the ``refused`` functions and why)."""
    if target not in TARGETS:
        raise ExportError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    helpers, public = _kernel_module(target)
    functions = [_function_source(e, target, public) for e in exports]
    names = sorted(e.name for e in exports)
    not_exported = "".join(_doc_text(f"  {r.line()}") + "\n" for r in refused)
    header = (
        f'"""Numeric functions exported by smoothsym {__version__} from verified derivations (target: {target}).\n\n'
        f"Generated by: {_doc_text(command)}\n"
        f"Do not edit: change the derivation and export again. Needs only "
        f"{'the standard library' if target == 'math' else target} at run time.\n\n"
        + "".join(_doc_text(f"{e.name}: {e.derivation}, step {e.steps[-1]} ({e.status.value})") + "\n" for e in exports)
        + (f"\nNot exported (refused):\n{not_exported}" if refused else "")
        + '"""\n\n'
    )
    extras = _SCALAR_EXTRAS if target in ("math", "mpmath") else ""
    parts = [helpers.strip() + extras.rstrip()] + [f.strip() for f in functions]
    return header + _IMPORTS[target] + f"\n__all__ = {names!r}\n\n\n" + "\n\n\n".join(parts) + "\n"


def load_source(source: str, name: str = "smoothsym_exported") -> types.ModuleType:
    """Execute a generated module's text as a fresh module."""
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


# -- accuracy ----------------------------------------------------------------------------------


WELL_CONDITIONED = 2.0  # a point is "well conditioned" when its condition number is at most this
DTYPES = {"numpy": ("float64", "float32", "float16"), "math": ("float64",), "mpmath": ("float64",),
          "torch": ("float64", "float32", "float16"), "jax": ("float64", "float32", "float16")}
KS = (1.0, 0.5, 7.0, 1e-8, 1e8)  # sharpness: usual, then tiny and huge
CLASSES = "normal at scales 1 to 1e5, ties, one dominant entry, results near 0, subnormals, -inf entries, +-inf and NaN"


@dataclass(frozen=True, slots=True)
class Accuracy:
    """What a function's outputs on the adversarial inputs of one dtype measured against mpmath.

    ``worst``: the largest |computed - exact| in ULPs of the true result in that dtype (the
    spacing of the dtype at |exact|; at exact = 0 the smallest subnormal); ``worst_well`` the same
    where the condition number kappa <= WELL_CONDITIONED; ``per_condition`` the largest ULP error
    divided by max(1, kappa), kappa = sum_i |x_i df/dx_i| / |f| (what rounding the inputs alone
    costs any algorithm); ``specials``: inputs holding +-inf or NaN whose result is scipy.special's
    (the limit, or NaN) of how many."""

    dtype: str
    points: int
    worst: float
    worst_well: float
    per_condition: float
    specials_ok: int
    specials: int
    worst_input: str = ""

    def sentence(self) -> str:
        special = f", +-inf/NaN {self.specials_ok}/{self.specials} as scipy.special" if self.specials else ""
        return (f"{self.dtype} {_number(self.worst_well)} ULP where well conditioned, {_number(self.per_condition)} ULP per"
                f" unit condition number, {_number(self.worst)} ULP of the true result overall{special}")


def _number(value: float) -> str:
    return "inf" if value == numpy.inf else f"{value:.3g}"


@functools.lru_cache(maxsize=16)
def _largest_and_its_ulp(dtype: numpy.dtype) -> tuple[float, float]:
    """The dtype's largest finite value and the ULP just below it (numpy's spacing there is inf)."""
    top = numpy.finfo(dtype).max
    return float(top), float(top) - float(numpy.nextafter(numpy.array(top, dtype=dtype), numpy.array(0, dtype=dtype)))


def _ulp_error(computed: float, exact, dtype) -> float:
    """|computed - exact| in ULPs of the true result in ``dtype`` (exact: an mpf)."""
    high, low = _double_double(exact)
    if high != high:  # the truth is NaN
        return 0.0 if numpy.isnan(computed) else numpy.inf
    if numpy.isnan(computed):
        return numpy.inf
    info = numpy.finfo(dtype)
    top, top_ulp = _largest_and_its_ulp(numpy.dtype(dtype))
    # the truth rounds to inf from max + half an ULP on (float16: -65518.9 rounds to -65504, finite)
    if not abs(high) < top and abs(exact) >= mpmath.mpf(top) + mpmath.mpf(top_ulp) / 2:
        return 0.0 if numpy.isinf(computed) and (computed > 0) == (exact > 0) else numpy.inf
    if numpy.isinf(computed):
        return numpy.inf
    rounded = numpy.array(abs(high), dtype=dtype)
    if not rounded < info.max:  # at max, or beyond it up to the rounding boundary: numpy's spacing is inf there
        spacing = top_ulp
    else:
        spacing = float(numpy.spacing(rounded))
    if spacing == 0 or not numpy.isfinite(spacing):
        spacing = float(info.smallest_subnormal)
    if abs(high) < _DOUBLE_DOUBLE_FLOOR:  # the rest would be subnormal, or 0: mpmath's difference
        with mpmath.workdps(REFERENCE_DIGITS):
            return float(abs(mpmath.mpf(float(computed)) - exact) / spacing)
    # |computed - exact| with exact = high + low to 106 bits: computed - high is exact where the
    # two are within a factor 2 of each other (Sterbenz), and elsewhere the error is of the size
    # of the result, where a float's rounding is far below the 3 digits printed. As mpmath's
    # 50-digit difference gives (the same docstrings, byte for byte), at a fraction of the cost.
    return abs((float(computed) - high) - low) / spacing


# Below this the rest of a double-double (2^-53 of it) is no longer a normal float: 2^-969.
_DOUBLE_DOUBLE_FLOOR = 2.0 ** -969


_SPLIT: dict = {}  # an mpf's (mantissa, exponent) -> its double-double (high, low)


def _double_double(exact) -> tuple[float, float]:
    """``exact`` (an mpf) as high + low, the nearest float and the nearest float to the rest;
    remembered: the same true values are measured in every dtype and for every target."""
    key = getattr(exact, "_mpf_", None)
    if key is None:  # a float, or another number mpmath converts
        exact = mpmath.mpf(exact)
        key = exact._mpf_
    found = _SPLIT.get(key)
    if found is None:
        if len(_SPLIT) > 200_000:  # a bound on the memory, not a cache policy
            _SPLIT.clear()
        high = float(exact)
        with mpmath.workdps(REFERENCE_DIGITS):
            low = float(exact - high) if math.isfinite(high) else 0.0
        found = _SPLIT[key] = (high, low)
    return found


def _ratio(top, bottom):
    if bottom == 0:
        return 0.0 if top == 0 else numpy.inf
    return float(abs(top / bottom))


# -- the references: Arb balls, known to REFERENCE_DIGITS, written from the definitions ---------------


_REFERENCES: dict = {}  # (name, row bytes, k, y) -> the 50-digit outputs: one computation serves every target


def _reference(name, row, k, y=0):
    """``_true_reduction``, remembered: the same adversarial row is measured for numpy, torch and
    jax (and again when a module is exported twice in one process)."""
    key = (name, row.tobytes(), row.shape, float(k), int(y))
    found = _REFERENCES.get(key)
    if found is None:
        if len(_REFERENCES) > 200_000:  # a bound on the memory, not a cache policy
            _REFERENCES.clear()
        found = _REFERENCES[key] = _true_reduction(name, row, k, y)
    return found


def _true_reduction(name, row, k, y=0):
    """The true outputs of reduction ``name`` at a finite (or partly -inf) row, as mpmath numbers
    known to REFERENCE_DIGITS, and their condition numbers. Computed in Arb balls (python-flint:
    several times faster than mpmath at these digits), the precision raised until every output's
    ball is narrower than REFERENCE_DIGITS relative digits: where an output cancels (a
    logsumexp near 0, max + log1p(s) with a negative max) the ball says so, and more bits follow."""
    needed = digits_to_bits(REFERENCE_DIGITS)
    bits = needed + 32
    for _ in range(8):
        with working_bits(bits):
            out, kappa = _ball_reduction(name, row, k, y)
        if all(not isinstance(v, arb) or v.rel_accuracy_bits() >= needed for v in out):
            break
        bits *= 2
    else:  # never seen: a measurement against a truth not known to its digits is no measurement
        raise ExportError(f"the true {name}({row.tolist()}, k={k}) is not known to {REFERENCE_DIGITS} digits "
                          f"at {bits // 2} bits")
    with mpmath.workdps(REFERENCE_DIGITS):
        return [mpmath.mpf(v) if isinstance(v, float) else midpoint(v) for v in out], kappa


def _ball_reduction(name, row, k, y):
    """The outputs of ``_true_reduction`` as balls at the working precision (a float where an
    output is infinite: log_softmax at a -inf entry, cross-entropy at a -inf target), and the
    condition numbers as floats."""
    xs = [None if numpy.isneginf(v) else arb(float(v)) for v in row]  # None: a -inf entry, whose term is 0
    pivot = int(numpy.argmax(row))  # the first largest entry (the row holds no NaN, no +inf, not only -inf)
    top = xs[pivot]
    k = arb(1) if name.startswith("softmax_cross") else arb(float(k))
    zero = arb(0)
    terms = [zero if v is None else (k * (v - top)).exp() for v in xs]
    s = sum((t for j, t in enumerate(terms) if j != pivot), zero)
    total = 1 + s
    p = [t / total for t in terms]
    size = [zero if v is None else abs(v) * w for v, w in zip(xs, p)]  # |x_j| p_j
    log1p_s = s.log1p()
    if name == "logsumexp":
        lse = top + log1p_s / k
        return [lse], [_ball_ratio(sum(size, zero), lse)]

    def others(values, i):  # a sum without entry i, never a difference (1 - p_i cancels)
        return sum((v for j, v in enumerate(values) if j != i), zero)

    if name in ("softmax", "log_softmax"):
        out, kappa = [], []
        for i, (v, w) in enumerate(zip(xs, p)):
            if v is None:
                out.append(w if name == "softmax" else -math.inf)
                kappa.append(0.0)
                continue
            spread = k * (abs(v) * others(p, i) + others(size, i))
            value = w if name == "softmax" else k * (v - top) - log1p_s
            out.append(value)
            kappa.append(_ball_ratio(spread * (value if name == "softmax" else 1), value))
        return out, kappa
    if xs[y] is None:  # the target's entry is -inf: the loss is +inf
        ce, ce_kappa = math.inf, math.nan
    else:
        ce = (top - xs[y]) + log1p_s  # not lse - x_y: lse rounds relative to the max
        ce_kappa = _ball_ratio(abs(xs[y]) * others(p, y) + others(size, y), ce)
    if name == "softmax_cross_entropy":
        return [ce], [ce_kappa]
    out, kappa = [], []
    for i, w in enumerate(p):
        g = -others(p, y) if i == y else w
        if xs[i] is None:
            spread = zero
        else:
            rest = [abs(v) * q for j, (v, q) in enumerate(zip(xs, p)) if j != i and v is not None]
            spread = w * (abs(xs[i]) * others(p, i) + sum(rest, zero))
        out.append(g)
        kappa.append(_ball_ratio(spread, g))
    return out, kappa


def _ball_ratio(top: arb, bottom: arb) -> float:
    """``_ratio`` of the balls' midpoints (a condition number needs no digits)."""
    return _ratio(top.mid(), bottom.mid())


def _special_reduction(name, row, y=0) -> list:
    """scipy.special's result at a row holding NaN or +inf, or only -inf."""
    n = len(row)
    nan, inf = numpy.nan, numpy.inf
    if numpy.isnan(row).any():
        return [nan] * (1 if name in ("logsumexp", "softmax_cross_entropy") else n)
    top = float(numpy.max(row))
    if name == "logsumexp":
        return [top]  # +inf, or -inf for a row of -inf only
    if name == "softmax_cross_entropy":
        return [top - float(row[y])]
    if name == "log_softmax" and top == inf:
        return [nan if v == inf else -inf for v in row]
    return [nan] * n


def _rows_of(n, count, rng, dtype):
    """Adversarial rows of n entries, representable in dtype, by class."""
    info = numpy.finfo(dtype)
    big = min(1e5, float(info.max) / 4)
    tiny = float(info.smallest_subnormal)
    groups = {}
    groups["normal"] = numpy.vstack([rng.standard_normal((count, n)) * s for s in (1.0, 30.0, 1e3, big)])
    base = numpy.array([0.0, 1.0, -3.0, -700.0, big, -big])[:, None]
    groups["ties"] = numpy.repeat(base, n, axis=1)
    dominant = numpy.repeat(rng.standard_normal((count, 1)) * 10, n, axis=1)
    dominant[:, 1:] -= rng.uniform(30, 1000, (count, n - 1))
    dominant[0] = [0.0] + [-40.0] * (n - 1)  # scipy.special's own test: logsumexp([0, -40]) = 4.25e-18
    groups["one dominant"] = dominant
    w = rng.uniform(0.1, 1.0, (count, n))
    groups["results near 0"] = numpy.log(w / w.sum(axis=1, keepdims=True))
    groups["subnormals"] = rng.choice([0.0, tiny, -tiny, 3 * tiny, 1e-310, -1e-310], (count, n))
    minus = rng.standard_normal((count, n)) * 3
    minus[:, 1:][rng.uniform(size=(count, n - 1)) < 0.5] = -numpy.inf
    groups["-inf entries"] = minus
    special = rng.standard_normal((3, n))
    special[0, -1] = numpy.nan
    special[1, 0] = numpy.inf
    special[2] = -numpy.inf
    groups["special"] = special
    return {label: numpy.clip(rows, -info.max, info.max, where=numpy.isfinite(rows), out=rows.copy()).astype(dtype)
            for label, rows in groups.items()}


def on_numpy(function, target):
    """A torch or jax function as one taking and giving numpy arrays (floats stay floats; ``axis=``
    is torch's ``dim=``), so the measurement code serves every array target."""
    if target not in FRAMEWORKS:
        return function
    if target == "torch":
        import torch

        def convert(value):
            return torch.from_numpy(numpy.ascontiguousarray(value)) if isinstance(value, numpy.ndarray) else value

        def back(value):
            return value.detach().numpy() if isinstance(value, torch.Tensor) else numpy.asarray(value)
    else:
        import jax.numpy as jnp

        def convert(value):
            return jnp.asarray(value) if isinstance(value, numpy.ndarray) else value

        def back(value):
            return numpy.asarray(value)

    def on_arrays(*args, **named):
        if target == "torch" and "axis" in named:
            named["dim"] = named.pop("axis")
        return back(function(*(convert(a) for a in args), **{key: convert(v) for key, v in named.items()}))

    return on_arrays


def _reduction_call(function, name, target, rows, k, y):
    """The function's outputs for each row, as a list of lists of floats."""
    r = REDUCTIONS[name]
    function = on_numpy(function, target)
    if target in ("math", "mpmath"):
        out = [function([float(v) for v in row], int(t) if r.targets else k) for row, t in zip(rows, y)]
        return [[float(v) for v in (o if isinstance(o, list) else [o])] for o in out]
    if r.targets:
        got = numpy.asarray(function(rows, y))
    else:
        got = numpy.asarray(function(rows, axis=-1, k=k))
    return [[float(v) for v in numpy.atleast_1d(g)] for g in got]


def reduction_accuracy(name, function, target="numpy", dtype="float64", ks=None, seed=0, ns=(2, 3, 8, 33), count=4) -> Accuracy:
    """The accuracy of reduction ``name`` (a function with the template's signature, on rows of
    ``dtype``) on the adversarial rows; also used by benchmarks/export.py for scipy.special."""
    rng = numpy.random.default_rng(seed)
    r = REDUCTIONS[name]
    ks = ks or (KS if r.takes_k else (1.0,))
    stats = _Stats(dtype)
    for n in ns:
        for k in ks:
            classes, targets = [], []
            for label, rows in _rows_of(n, count, rng, dtype).items():
                y = rng.integers(0, n, len(rows))
                if label == "one dominant":
                    y[: len(y) // 2] = 0  # the confident, right prediction (the target is the max)
                classes.append(rows)
                targets.append(y)
            # every class in one batch, one call per (n, k): each row's result is its own (the
            # reductions act along the last axis), and JAX compiles once per shape (k is an argument), not once
            # per class's row count
            rows, y = numpy.vstack(classes), numpy.concatenate(targets)
            got = _reduction_call(function, name, target, rows, k, y)
            for row, t, values in zip(rows, y, got):
                wide = row.astype(float)
                if numpy.isnan(wide).any() or numpy.isposinf(wide).any() or numpy.isneginf(wide).all():
                    stats.special(values, _special_reduction(name, wide, t))
                else:
                    exact, kappa = _reference(name, wide, k, t)
                    stats.add(values, exact, kappa, f"{name}({wide.tolist()}, k={k}{f', y={t}' if r.targets else ''})")
    return stats.result()


class _Stats:
    """Running worst errors of one dtype."""

    def __init__(self, dtype):
        self.dtype = numpy.dtype(dtype)
        self.points = self.specials = self.specials_ok = 0
        self.worst = self.well = self.per = 0.0
        self.where = ""

    def add(self, values, exact, kappa, where):
        self.points += 1
        for v, e, c in zip(values, exact, kappa):
            error = _ulp_error(v, e, self.dtype)
            self.worst = max(self.worst, error)
            if c <= WELL_CONDITIONED:
                self.well = max(self.well, error)
            per = error / max(1.0, c) if error else 0.0
            if per > self.per:
                self.per, self.where = per, where

    def special(self, values, expected):
        self.specials += 1
        same = len(values) == len(expected) and all(
            (numpy.isnan(v) and numpy.isnan(e)) or v == e for v, e in zip(values, expected))
        self.specials_ok += bool(same)

    def result(self) -> Accuracy:
        return Accuracy(self.dtype.name, self.points, self.worst, self.well, self.per, self.specials_ok, self.specials, self.where)


def _plain(expr):
    return expr.subs({s: sp.Symbol(s.name) for s in expr.free_symbols})


def elementwise_accuracy(e: Export, function, target="numpy", dtype="float64", seed=0, count=12, ks=None) -> Accuracy:
    """The accuracy of an elementwise export on adversarial points of ``dtype`` (its positive
    parameters, a sharpness k, at each of ``ks``, default KS)."""
    rng = numpy.random.default_rng(seed)
    params = list(e.signature.params)
    positive = set(_positive_params(e))
    inputs = [p for p in params if p not in positive]
    smooth = _plain(e.naive) if e.naive is not None and e.naive.free_symbols <= e.expression.free_symbols else _plain(e.expression)
    truth = _elementwise_truth(_plain(e.expression), smooth, tuple(params), tuple(inputs))
    info = numpy.finfo(dtype)
    big = min(1e5, float(info.max) / 4)
    tiny = float(info.smallest_subnormal)
    m = len(inputs)
    groups = [rng.standard_normal((count, m)) * s for s in (1.0, 30.0, 1e3, big)]
    groups.append(numpy.repeat(rng.standard_normal((count, 1)) * 30, m, axis=1))  # ties
    groups.append(rng.choice([0.0, tiny, -tiny, 1e-30, -1e-8, 1e-8], (count, m)))  # near 0, subnormals
    groups.append(rng.choice([-1.0, 1.0], (count, m)) * float(info.max) / 8)  # huge
    special = rng.standard_normal((4, m))
    special[0, 0], special[1, 0], special[2, 0], special[3, -1] = numpy.nan, numpy.inf, -numpy.inf, -numpy.inf
    points = numpy.vstack(groups + [special]).astype(dtype)
    stats = _Stats(dtype)
    function = on_numpy(function, target)
    for k in ((ks or KS) if positive else (None,)):
        columns = {p: points[:, i] for i, p in enumerate(inputs)}
        for p in positive:
            columns[p] = k
        if target in ("numpy", *FRAMEWORKS):
            got = numpy.broadcast_to(numpy.asarray(function(*(columns[p] for p in params)), dtype=float), (len(points),))
        else:
            got = [float(function(*(float(columns[p][i]) if p in inputs else columns[p] for p in params))) for i in range(len(points))]
        for i, value in enumerate(got):
            args = [float(columns[p][i]) if p in inputs else columns[p] for p in params]
            if any(math_isnan(a) for a in args):
                stats.special([value], [numpy.nan])
                continue
            kind, exact, kappa = truth.at(tuple(args))
            if kind == "special":
                stats.special([value], [exact])
            elif kind == "value":
                stats.add([value], [exact], [kappa], f"{e.name}({', '.join(map(repr, args))})")
    return stats.result()


@functools.lru_cache(maxsize=256)
def _elementwise_truth(stable: sp.Expr, smooth: sp.Expr, params: tuple, inputs: tuple) -> "_ElementwiseTruth":
    """One ``_ElementwiseTruth`` per formula in a process: its forms lambdified and differentiated
    once, and its points' truths shared by every dtype and target measured."""
    return _ElementwiseTruth(stable, smooth, params, inputs)


class _ElementwiseTruth:
    """The true value of an elementwise export at a point, known to REFERENCE_DIGITS (mpmath, from
    the verified stable form), and its condition number sum_i |x_i df/dx_i| / |f| (from the smooth,
    naive form's derivatives, in Arb balls: where the result is tiny its terms cancel, and they
    are wanted at up to 2000 more digits, where mpmath's erf or exp takes 10-100 ms a value and Arb
    a fraction of that). Remembered per point (``_elementwise_truth`` keeps one per formula), as
    ``_reference`` is: numpy, torch and JAX are measured on the same points. ``at`` gives ("value", exact, kappa), ("special", expected
    float at an infinite input, None), or ("none", None, None) where the truth is undefined."""

    def __init__(self, stable: sp.Expr, smooth: sp.Expr, params: tuple, inputs: tuple):
        self.stable, self.smooth, self.params, self.inputs = stable, smooth, params, inputs
        self.symbols = tuple(sp.Symbol(p) for p in params)
        self._found: dict = {}  # point -> what _computed found there

    @functools.cached_property
    def _mpmath(self):
        stable = sp.lambdify(self.symbols, self.stable, modules="mpmath")
        naive = sp.lambdify(self.symbols, self.smooth, modules="mpmath")
        try:
            derivatives = [sp.diff(self.smooth, sp.Symbol(p)) for p in self.inputs]
            gradient = [sp.lambdify(self.symbols, d, modules="mpmath") for d in derivatives]
        except Exception:
            derivatives = gradient = None
        return stable, naive, derivatives, gradient

    @functools.cached_property
    def _ball_gradient(self):
        """The derivatives as Arb functions, or None where Arb has no counterpart (then mpmath)."""
        derivatives = self._mpmath[2]
        if derivatives is None:
            return None
        try:
            return [balls.ball_function(d, self.symbols) for d in derivatives]
        except Exception:  # noqa: BLE001 - balls.Unsupported, or a node the translation refuses
            return None

    def at(self, args: tuple):
        found = self._found.get(args)
        if found is None:
            found = self._found[args] = self._computed(args)
        return found

    def _computed(self, args: tuple):
        stable, naive, _, gradient = self._mpmath
        with mpmath.workdps(REFERENCE_DIGITS):
            mp_args = [mpmath.mpf(a) for a in args]
            if any(abs(a) == numpy.inf for a in args):
                expected = _mp_value(naive, mp_args)
                if expected is None or mpmath.isnan(expected):
                    expected = _mp_value(stable, mp_args)
                if expected is not None and not mpmath.isnan(expected):
                    return "special", float(expected), None
                return "none", None, None
            exact = _mp_value(stable, mp_args)
            if exact is None:
                return "none", None, None
            kappa = numpy.inf
            if gradient is not None:
                spread = self._ball_spread(args, _gradient_digits(exact))
                try:
                    if spread is None:  # no Arb counterpart, or balls that never narrowed: mpmath
                        with mpmath.workdps(_gradient_digits(exact)):
                            spread = mpmath.fsum(abs(mp_args[self.params.index(p)] * g(*mp_args)) for p, g in zip(self.inputs, gradient))
                    kappa = _ratio(spread, exact)
                except Exception:
                    pass
            return "value", exact, kappa

    def _ball_spread(self, args: tuple, digits: int):
        """sum_i |x_i df/dx_i| at ``digits`` as an mpmath number (its ball's midpoint, the ball
        narrower than 2^-30 relative, the precision doubled up to 3 times), or None."""
        functions = self._ball_gradient
        if functions is None:
            return None
        bits = digits_to_bits(digits)
        for _ in range(4):
            with working_bits(bits):
                values = [acb(arb(float(a))) for a in args]
                try:
                    terms = [abs(values[self.params.index(p)]) * abs(g(*values)) for p, g in zip(self.inputs, functions)]
                except ArithmeticError:  # balls.Undecided / Undefined, 0^-1: mpmath says
                    return None
                spread = sum(terms, arb(0))
            if spread.is_finite() and (spread.is_zero() or spread.rel_accuracy_bits() >= 30):
                with mpmath.workdps(REFERENCE_DIGITS):
                    return midpoint(spread)
            bits *= 2
        return None


def _gradient_digits(exact) -> int:
    """The digits the naive form's gradient is evaluated at: 50 more than the result is small.
    Its terms are of order 1 where the result is tiny (1/2 + erf(x/sqrt 2)/2 + x phi(x) at
    x = -37, a result of 1e-304): at 50 digits they cancel to 0, a condition number of 0."""
    if exact == 0 or not mpmath.isfinite(exact):
        return REFERENCE_DIGITS
    return REFERENCE_DIGITS + min(2000, max(0, -int(mpmath.floor(mpmath.log10(abs(exact))))))


def math_isnan(value) -> bool:
    return value != value


def _mp_value(function, args):
    try:
        return mpmath.mpf(function(*args))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None


def measure(e: Export, function, target: str, seed: int = 0) -> str:
    """The accuracy of ``function`` against mpmath per dtype, as a sentence for the docstring."""
    results = []
    for dtype in DTYPES[target]:
        with _dtype_available(target, dtype):
            if e.reduction is None:
                results.append(elementwise_accuracy(e, function, target, dtype, seed))
            else:
                results.append(reduction_accuracy(e.name, function, target, dtype, seed=seed))
    first = results[0]
    if not numpy.isfinite(first.per_condition):  # never ship a form that overflows where the truth is finite
        raise ExportError(
            f"{e.name} is not numerically stable as written: it returns inf or NaN where the true value "
            f"is finite (e.g. {first.worst_input}); add a verified Rewrite to a stable form "
            f"(a max-shift, log1p) and export that step instead"
        )
    ks = ", k = " + ", ".join(f"{k:g}" for k in KS) if (e.reduction.takes_k if e.reduction else _positive_params(e)) else ""
    return "; ".join(r.sentence() for r in results) + f" at {first.points} inputs per dtype ({CLASSES}{ks})"


def _dtype_available(target: str, dtype: str):
    """JAX computes in float64 only with x64 enabled: switched on while float64 is measured (a
    context, so the user's own setting is left as it was)."""
    if target == "jax" and dtype == "float64":
        import jax

        return jax.enable_x64(True)
    return contextlib.nullcontext()


# -- the two entry points ------------------------------------------------------------------


def _verified(paths, names, settings: CheckSettings, backward: bool = False) -> list[DerivationResult]:
    """Verify the derivations under ``paths`` that offer an export (only those providing
    ``names``, when given, and with ``backward`` those that may hold their derivatives): one
    verification each."""
    catalog = discover(list(paths))
    if catalog.errors:
        raise ExportError(str(catalog.errors[0]))
    offers = {d.name: _offers(d) for d in catalog.derivations}
    known = set().union(*offers.values())
    unknown = [n for n in names if n not in known]
    if unknown:  # said before anything is verified
        raise ExportError(f"no export named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known)) or '(none)'}")
    wanted = set(names)
    chosen = [d for d in catalog.derivations if not wanted or offers[d.name] & wanted or (backward and _holds_derivatives(d))]
    return list(verify_many(chosen, settings, jobs=2))  # in worker processes, under the wall-clock bound


def _holds_derivatives(d) -> bool:
    """Whether a derivation may hold a derivative a framework target's backward pass uses."""
    labels = {label for label, _ in REDUCTION_JACOBIANS.values()}
    return any(s.kind == "differentiate" or s.label in labels for s in d.steps)


def _offers(d) -> set[str]:
    """The names a derivation may export (its conclusion's only if it turns out printable)."""
    found = {Signature.parse(s.export).name for s in d.steps if s.export}
    if d.conclusion is not None:
        found.add(d.name.replace("-", "_"))
    return found


@dataclass(frozen=True, slots=True)
class Assembly:
    """An export's outcome: the module's text, the functions in it, and those refused (with why)."""

    source: str
    exports: list
    refused: list


def verified_for(paths=("derivations",), target="numpy", names=(), settings: CheckSettings | None = None) -> list[DerivationResult]:
    """The verified derivations an export of ``names`` (all: ()) to ``target`` takes: pass them to
    ``assemble(verified=...)`` to export one verification to several targets."""
    _framework_present(target)
    return _verified(paths, names, settings or PROFILES["default"], backward=target in FRAMEWORKS)


def assemble(paths=("derivations",), names=(), target="numpy", settings: CheckSettings | None = None,
             command="smoothsym export", verified: list[DerivationResult] | None = None) -> Assembly:
    """Verify, collect, write the module's text and measure each function. A function that
    cannot be exported (a chain that did not pass, a formula no printer writes, code that is not
    numerically stable) is refused and the others are still exported; a function named in
    ``names`` that is refused, or nothing left to export, is an ExportError."""
    if target not in TARGETS:
        raise ExportError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    settings = settings or PROFILES["default"]
    _framework_present(target)
    results = verified if verified is not None else _verified(paths, names, settings, backward=target in FRAMEWORKS)
    refused: list[Refusal] = []
    exports = exports_of(results, names, refused)
    if target in FRAMEWORKS:
        exports = derivatives_of(results, exports)
    _, public = _kernel_module(target)
    printable = []
    for e in exports:  # each function printed alone first: one the printer cannot write is refused alone
        try:
            _function_source(e, target, public)
        except ExportError as exc:
            refused.append(Refusal(e.name, _where(e), str(exc)))
            continue
        printable.append(e)
    draft = _compiled(module_source(printable, target, command)) if printable else None
    measured = []
    for e in printable:
        try:
            measured.append(replace(e, accuracy=_measured(e, getattr(draft, e.name), target)))
        except ExportError as exc:
            refused.append(Refusal(e.name, _where(e), str(exc)))
    asked = [r for r in refused if r.name in set(names)]
    if asked or not measured:
        if not refused:
            raise ExportError(f"nothing to export under {', '.join(paths)}: mark a step with export=\"name\"")
        raise ExportError("nothing exported: " + "; ".join(r.line() for r in (asked or refused)))
    source = module_source(measured, target, command, refused)
    _compiled(source)
    return Assembly(source, measured, refused)


def _where(e: Export) -> str:
    return f"{e.file}:{e.line}, derivation {e.derivation!r}, step {e.steps[-1]}"


def build(paths=("derivations",), names=(), target="numpy", settings: CheckSettings | None = None,
          command="smoothsym export") -> tuple[str, list[Export]]:
    """``assemble``'s (source, exports): the module's text and the functions in it (a refused
    function is listed, with why, in the module's docstring)."""
    done = assemble(paths, names, target, settings, command)
    return done.source, done.exports


def _measured(e: Export, function, target: str) -> str:
    """measure(), with code that raises on the adversarial inputs an ExportError naming the
    function (nothing is written), not a traceback."""
    try:
        return measure(e, function, target)
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(
            f"the generated {target} code of {e.name} ({e.derivation} step {e.steps[-1]}) raised "
            f"{type(exc).__name__} while it was measured: {str(exc).splitlines()[0] if str(exc) else ''}; please report this"
        ) from exc


def _framework_present(target: str) -> None:
    """An ExportError saying how to install torch or jax when the target's framework is missing
    (the export runs the module it writes, to measure it)."""
    if target not in FRAMEWORKS:
        return
    try:
        __import__(target)
    except ImportError:
        raise ExportError(
            f"--target {target} needs {target} installed (it measures the module it writes): "
            "pip install -e '.[frameworks]'"
        ) from None


def _compiled(source: str) -> types.ModuleType:
    """The generated module, loaded; one that does not compile is an ExportError, not a crash."""
    try:
        return load_source(source)
    except (SyntaxError, ValueError) as exc:
        raise ExportError(f"the generated module does not compile ({type(exc).__name__}: {exc}); please report this") from None


def export(paths, output: str, names=(), target="numpy", settings=None, command="smoothsym export") -> Assembly:
    """Write the exported module to ``output`` (whole or not at all): the Assembly written."""
    done = assemble(paths, names, target, settings, command)
    write_atomically(output, done.source)
    return done


def lambdified(name: str, *paths: str, target: str = "numpy", settings: CheckSettings | None = None):
    """The exported function ``name`` as a callable, without writing a file.

    ``paths``: derivation files or directories (default ``derivations/``)."""
    source, _ = build(paths or ("derivations",), (name,), target, settings)
    return getattr(load_source(source, f"smoothsym_{name}"), name)
