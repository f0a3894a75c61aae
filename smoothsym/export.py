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
against mpmath at 50 digits, and writes the verdicts and the measured error into each function's
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
import keyword
import os
import re
import types
from dataclasses import dataclass, replace

import mpmath
import numpy
import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import MpmathPrinter, PythonCodePrinter

from . import __version__
from .errors import SmoothsymError
from .files import write_atomically
from .loader import discover
from .runner import DerivationResult, verify_many
from .settings import PROFILES, CheckSettings
from .verdict import Status, weakest

TARGETS = ("numpy", "math", "mpmath")
REFERENCE_DIGITS = 50
_KERNELS = {"numpy": "kernels_numpy.py", "math": "kernels_scalar.py", "mpmath": "kernels_scalar.py"}
_IMPORTS = {"numpy": "import numpy\n", "math": "import math\nimport math as _m\n", "mpmath": "import mpmath\nimport mpmath as _m\n"}


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
    """A reduction template: its signature, and how its verified instance is compared.

    ``entry``: what of the template's output the instance's left side states (the whole row's
    value, or its first entry, with the target class 0); ``scale``: "input" (ULP of
    max(|result|, max|x|)) or "unit" (ULP of 1: the entries are probabilities, or differences
    of them)."""

    signature: str
    entry: str  # "row" or "first"
    scale: str
    note: str
    takes_k: bool = True
    targets: bool = False


_ONE_SHIFT = (
    "Code: a template (smoothsym/kernels_*.py) over the last axis (or `axis`). numpy: one shift c for"
    " the whole array when its spread k (max - min) <= 1200 (the verified 'any shift'), else the row's max."
)
REDUCTIONS = {
    "logsumexp": Reduction("logsumexp(x, k=1, axis=-1)", "row", "input", _ONE_SHIFT),
    "softmax": Reduction("softmax(x, k=1, axis=-1)", "first", "unit", _ONE_SHIFT),
    "softmax_cross_entropy": Reduction(
        "softmax_cross_entropy(z, y)", "row", "input",
        "Code: logsumexp(z) - z[y] over the last axis, y the integer target classes (shifted as in logsumexp).",
        takes_k=False, targets=True,
    ),
    "softmax_cross_entropy_grad": Reduction(
        "softmax_cross_entropy_grad(z, y)", "first", "unit",
        "Code: softmax(z) minus the one-hot of y over the last axis.", takes_k=False, targets=True,
    ),
}
_SCALAR_SIGNATURES = {"logsumexp": "logsumexp(x, k=1)", "softmax": "softmax(x, k=1)"}


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
        f"step {r.number} {r.step.label or r.step.kind}: {r.outcome} [{r.verdict.method}]"
        for r in chain if r.step.kind != "given"
    )


def _marked(result: DerivationResult) -> list[Export]:
    """The steps marked export=..., refusing any whose chain did not pass."""
    found = []
    for r in result.steps:
        if not r.step.export:
            continue
        chain = _chain_of(result, r.number)
        where = f"{result.file}:{r.step.location.line}, derivation {result.name!r}, step {r.number}"
        failing = [c for c in chain if not c.passes()]
        if failing:
            bad = ", ".join(f"step {c.number} is {c.outcome}" for c in failing)
            raise ExportError(f"{where}: will not export {r.step.export!r}: {bad}")
        signature = Signature.parse(r.step.export)
        reduction = None
        if r.step.kind == "generalise":
            reduction = REDUCTIONS.get(signature.name)
            if reduction is None:
                raise ExportError(
                    f"{where}: an n-variable step is exported through a reduction template; "
                    f"{signature.name!r} is none of {', '.join(REDUCTIONS)}"
                )
            signature = Signature.parse(reduction.signature)
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


def exports_of(results, names=()) -> list[Export]:
    """Every export the verified derivations offer, or only those named; unknown names raise."""
    found: dict[str, Export] = {}
    for result in results:
        if result.error is not None:
            raise ExportError(str(result.error))
        candidates = _marked(result)
        conclusion = _conclusion(result)
        if conclusion is not None and conclusion.name not in {e.name for e in candidates}:
            candidates.append(conclusion)
        for e in candidates:
            if e.name in found:
                first = found[e.name]
                raise ExportError(f"two exports are named {e.name!r}: {first.derivation} step {first.steps[-1]} and {e.derivation} step {e.steps[-1]}")
            found[e.name] = e
    if names:
        unknown = [n for n in names if n not in found]
        if unknown:
            raise ExportError(f"no export named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(found)) or '(none)'}")
        return [found[n] for n in names]
    return list(found.values())


# -- code --------------------------------------------------------------------------------------


class _NumPyCode(NumPyPrinter):
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


class _MpmathCode(MpmathPrinter):
    def _print_log1p(self, expr):
        return f"mpmath.log1p({self._print(expr.args[0])})"


_PRINTERS = {"numpy": _NumPyCode, "math": PythonCodePrinter, "mpmath": _MpmathCode}


def _printed(expr: sp.Basic, target: str, where: str) -> str:
    printer = _PRINTERS[target]({"fully_qualified_modules": True, "strict": True})
    try:
        return printer.doprint(expr)
    except Exception as exc:  # a function the target has no code for
        raise ExportError(f"{where}: the {target} printer cannot write {expr}: {exc}") from None


def _docstring(e: Export, target: str) -> str:
    if e.reduction is None:
        formula = [f"{e.name}({', '.join(e.signature.params)}) = {sp.sstr(e.expression)}"]
    else:
        claim = e.expression
        formula = [sp.sstr(claim.lhs), f"  = {sp.sstr(claim.rhs)}"] if isinstance(claim, sp.Eq) else [sp.sstr(claim)]
        if any(s.name == "M" for s in claim.free_symbols):
            formula.append("where M is the row's max (an infinite max shifts by 0, as scipy.special).")
        formula.append(e.reduction.note)
    lines = [
        *formula,
        "",
        f"From derivation {e.derivation!r} ({e.file}:{e.line}), steps {e.steps[0]}-{e.steps[-1]} ({e.label}).",
        f"Verified: {e.status.value}.",
        *e.verdicts.splitlines(),
        f"Accuracy ({target}, against mpmath at {REFERENCE_DIGITS} digits): {e.accuracy}.",
    ]
    if e.naive is not None and e.reduction is None:
        lines.append(f"Naive form (not the code): {sp.sstr(e.naive)}")
    escaped = (_doc_text(line) for line in lines)
    text = "\n".join(f"    {line}" if line else "" for line in escaped)
    return f'    """{text[4:]}\n    """\n'


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
    arguments = ", ".join(params)
    body = []
    if target == "numpy":
        body += [f"    {p} = _real({p}, {p!r})\n" for p in params]
        if len(params) > 1:
            body.append(f"    _broadcast({', '.join(f'{p}={p}' for p in params)})\n")
        body.append("    with numpy.errstate(all=\"ignore\"):\n")
        indent = "        "
    else:
        body += [f"    _number({p}, {p!r})\n" for p in params]
        indent = "    "
    value = stable if naive is None else f"_settle({stable}, lambda {arguments}: {naive}, {arguments})"
    if target != "numpy":
        value = f"_guarded(lambda: {value})"
    body.append(f"{indent}return {value}\n")
    return f"def {e.name}({e.signature.source()}):\n{_docstring(e, target)}{''.join(body)}"


def _kernel_module(target: str) -> tuple[str, dict[str, str]]:
    """The template file's helpers (private functions and constants, verbatim) and its public
    functions' sources by name (docstring-free: the export writes its own)."""
    path = os.path.join(os.path.dirname(__file__), _KERNELS[target])
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    tree = ast.parse(source)
    helpers, public = [], {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) or (isinstance(node, ast.Expr) and node is tree.body[0]):
            continue
        text = ast.get_source_segment(source, node, padded=True)
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            public[node.name] = text
        else:
            helpers.append(text)
    return "\n\n".join(helpers), public


def _reduction_source(e: Export, target: str, public: dict[str, str]) -> str:
    text = public[e.name]
    header, rest = text.split("\n", 1)
    if target != "numpy" and e.name in _SCALAR_SIGNATURES:
        e = replace(e, signature=Signature.parse(_SCALAR_SIGNATURES[e.name]))
    return f"{header}\n{_docstring(e, target)}{rest}"


_SCALAR_EXTRAS = '''

def _number(value, name):
    """An error naming the argument unless value is one real number."""
    if isinstance(value, (str, bytes, complex)) or not hasattr(value, "__float__"):
        raise TypeError(f"{name} must be a real number, not {value!r}")


def _guarded(compute):
    """The value; an overflow (only in a naive fallback) is infinite, not an exception."""
    try:
        return compute()
    except OverflowError:
        return _m.inf
'''


def module_source(exports: list[Export], target: str, command: str = "smoothsym export") -> str:
    """The text of a standalone module defining every export for ``target``."""
    if target not in TARGETS:
        raise ExportError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    helpers, public = _kernel_module(target)
    functions = []
    for e in exports:
        functions.append(_reduction_source(e, target, public) if e.reduction else _elementwise_source(e, target))
    names = sorted(e.name for e in exports)
    header = (
        f'"""Numeric functions exported by smoothsym {__version__} from verified derivations (target: {target}).\n\n'
        f"Generated by: {_doc_text(command)}\n"
        f"Do not edit: change the derivation and export again. Needs only "
        f"{'the standard library' if target == 'math' else target} at run time.\n\n"
        + "".join(_doc_text(f"{e.name}: {e.derivation}, step {e.steps[-1]} ({e.status.value})") + "\n" for e in exports)
        + '"""\n\n'
    )
    extras = _SCALAR_EXTRAS if target != "numpy" else ""
    parts = [helpers.strip() + extras.rstrip()] + [f.strip() for f in functions]
    return header + _IMPORTS[target] + f"\n__all__ = {names!r}\n\n\n" + "\n\n\n".join(parts) + "\n"


def load_source(source: str, name: str = "smoothsym_exported") -> types.ModuleType:
    """Execute a generated module's text as a fresh module."""
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


# -- accuracy ----------------------------------------------------------------------------------


def _ulps(computed, exact, scale) -> numpy.ndarray:
    """|computed - exact| in units of the float64 spacing at ``scale``."""
    computed = numpy.asarray(computed, dtype=float)
    exact = numpy.asarray(exact, dtype=float)
    error = numpy.where(computed == exact, 0.0, numpy.abs(computed - exact))
    return error / numpy.spacing(numpy.abs(numpy.asarray(scale, dtype=float)))


def _mp_reference(expr, symbols, rows) -> list:
    """``expr`` at each row of float values, at REFERENCE_DIGITS digits, rounded to float."""
    function = sp.lambdify(symbols, expr, modules="mpmath")
    with mpmath.workdps(REFERENCE_DIGITS):
        return [float(function(*(mpmath.mpf(float(v)) for v in row))) for row in rows]


def _sample(count_vars: int, rng) -> numpy.ndarray:
    """Points: normal at scales 1 to 1e5 (past exp's overflow at 709), ties, tiny differences."""
    blocks = [rng.standard_normal((40, count_vars)) * s for s in (1.0, 30.0, 1e3, 1e5)]
    tie = rng.standard_normal((20, 1)) * numpy.array([[1.0], [1e3]]).repeat(10, axis=0)
    blocks.append(numpy.repeat(tie, count_vars, axis=1))
    near = numpy.repeat(tie, count_vars, axis=1)
    near[:, 1:] += numpy.spacing(near[:, 1:]) * numpy.arange(1, count_vars)
    blocks.append(near)
    return numpy.vstack(blocks)


_KS = (1.0, 0.5, 7.0)


def _call(function, target, *args):
    if target == "numpy":
        return numpy.asarray(function(*args), dtype=float)
    columns = [numpy.broadcast_to(numpy.asarray(a, dtype=float), numpy.shape(args[0])) for a in args]
    return numpy.array([float(function(*(c[i] for c in columns))) for i in range(len(columns[0]))])


def _elementwise_accuracy(e: Export, function, target: str, rng) -> tuple[float, int]:
    params = e.signature.params
    inputs = [p for p in params if p != "k"]
    symbols = [sp.Symbol(p) for p in params]
    expr = e.expression.subs({s: sp.Symbol(s.name) for s in e.expression.free_symbols})
    reference = e.naive.subs({s: sp.Symbol(s.name) for s in e.naive.free_symbols}) if e.naive is not None else expr
    worst, count = 0.0, 0
    for k in (_KS if "k" in params else (None,)):
        points = _sample(len(inputs), rng)
        rows = [[*row, k] if k is not None else list(row) for row in points]
        ordered = [[dict(zip(inputs + ["k"], row))[p] for p in params] for row in rows]
        exact = numpy.array(_mp_reference(reference, symbols, ordered))
        columns = [numpy.array([r[i] for r in ordered]) for i in range(len(params))]
        computed = _call(function, target, *columns)
        scale = numpy.maximum(numpy.abs(exact), numpy.abs(points).max(axis=1))
        worst = max(worst, float(_ulps(computed, exact, scale).max()))
        count += len(rows)
    return worst, count


def _reduction_accuracy(e: Export, function, target: str, rng) -> tuple[float, int]:
    r = e.reduction
    worst, count = 0.0, 0
    for n in (2, 3, 5, 8):
        lhs, _ = e.instance(n)
        k_symbol = next((s for s in lhs.free_symbols if s.name == "k"), None)
        variables = sorted((s for s in lhs.free_symbols if s is not k_symbol), key=lambda s: int(re.sub(r"\D", "", s.name)))
        for k in (_KS if r.takes_k else (1.0,)):
            rows = _sample(n, rng)
            symbols = variables + ([k_symbol] if k_symbol is not None else [])
            values = [list(row) + ([k] if k_symbol is not None else []) for row in rows]
            exact = numpy.array(_mp_reference(lhs, symbols, values))
            if target == "numpy":
                second = numpy.zeros(len(rows), dtype=int) if r.targets else k
                out = numpy.asarray(function(rows, second))
            else:
                out = [function(list(map(float, row)), 0 if r.targets else k) for row in rows]
            out = numpy.array([float(o[0]) if r.entry == "first" else float(o) for o in out])
            scale = numpy.maximum(numpy.abs(exact), numpy.abs(rows).max(axis=1)) if r.scale == "input" else numpy.ones(len(rows))
            worst = max(worst, float(_ulps(out, exact, scale).max()))
            count += len(rows)
    return worst, count


def measure(e: Export, function, target: str, seed: int = 0) -> str:
    """The worst error of ``function`` against mpmath, as a sentence for the docstring."""
    rng = numpy.random.default_rng(seed)
    if e.reduction is None:
        worst, count = _elementwise_accuracy(e, function, target, rng)
        scale = "max(|result|, max |input|) (k excluded)"
    else:
        worst, count = _reduction_accuracy(e, function, target, rng)
        scale = "max(|result|, max |x|)" if e.reduction.scale == "input" else "1"
    if not numpy.isfinite(worst):  # never ship a form that overflows where the truth is finite
        raise ExportError(
            f"{e.name} is not numerically stable as written: it returns inf or NaN where the true value "
            f"is finite (e.g. at |input| around 1e3 and beyond); add a verified Rewrite to a stable form "
            f"(a max-shift, log1p) and export that step instead"
        )
    return (
        f"worst {worst:.2f} ULP of {scale} at {count} points (normal at scales 1 to 1e5, ties, "
        f"tiny differences{', k = 1, 0.5, 7' if 'k' in e.signature.params else ''})"
    )


# -- the two entry points ------------------------------------------------------------------


def _verified(paths, names, settings: CheckSettings) -> list[DerivationResult]:
    """Verify the derivations under ``paths`` that offer an export (only those providing
    ``names``, when given): one verification each."""
    catalog = discover(list(paths))
    if catalog.errors:
        raise ExportError(str(catalog.errors[0]))
    offers = {d.name: _offers(d) for d in catalog.derivations}
    known = set().union(*offers.values())
    unknown = [n for n in names if n not in known]
    if unknown:  # said before anything is verified
        raise ExportError(f"no export named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known)) or '(none)'}")
    wanted = set(names)
    chosen = [d for d in catalog.derivations if not wanted or offers[d.name] & wanted]
    return list(verify_many(chosen, settings, jobs=2))  # in worker processes, under the wall-clock bound


def _offers(d) -> set[str]:
    """The names a derivation may export (its conclusion's only if it turns out printable)."""
    found = {REDUCTIONS[name].signature.split("(")[0] if name in REDUCTIONS else name
             for name in (Signature.parse(s.export).name for s in d.steps if s.export)}
    if d.conclusion is not None:
        found.add(d.name.replace("-", "_"))
    return found


def build(paths=("derivations",), names=(), target="numpy", settings: CheckSettings | None = None,
          command="smoothsym export") -> tuple[str, list[Export]]:
    """Verify, collect, write the module's text and measure each function: (source, exports)."""
    if target not in TARGETS:
        raise ExportError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    settings = settings or PROFILES["default"]
    exports = exports_of(_verified(paths, names, settings), names)
    if not exports:
        raise ExportError(f"nothing to export under {', '.join(paths)}: mark a step with export=\"name\"")
    draft = _compiled(module_source(exports, target, command))
    measured = [replace(e, accuracy=measure(e, getattr(draft, e.name), target)) for e in exports]
    source = module_source(measured, target, command)
    _compiled(source)
    return source, measured


def _compiled(source: str) -> types.ModuleType:
    """The generated module, loaded; one that does not compile is an ExportError, not a crash."""
    try:
        return load_source(source)
    except (SyntaxError, ValueError) as exc:
        raise ExportError(f"the generated module does not compile ({type(exc).__name__}: {exc}); please report this") from None


def export(paths, output: str, names=(), target="numpy", settings=None, command="smoothsym export") -> list[Export]:
    """Write the exported module to ``output`` (whole or not at all)."""
    source, exports = build(paths, names, target, settings, command)
    write_atomically(output, source)
    return exports


def lambdified(name: str, *paths: str, target: str = "numpy", settings: CheckSettings | None = None):
    """The exported function ``name`` as a callable, without writing a file.

    ``paths``: derivation files or directories (default ``derivations/``)."""
    source, _ = build(paths or ("derivations",), (name,), target, settings)
    return getattr(load_source(source, f"smoothsym_{name}"), name)
