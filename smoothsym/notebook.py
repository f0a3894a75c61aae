"""Notebooks: a derivation, its verdicts and one step's verdict shown inline in Jupyter.

Jupyter asks an object for ``_repr_html_`` and ``_repr_latex_``; ``Derivation``,
``DerivationResult``, ``StepResult`` (and ``Verdict``, HTML only) answer with the functions
here, imported only when a notebook asks (``import smoothsym`` stays light). Nothing here verifies on its own: a
derivation shown before it is verified says "not verified" on every claim.

- HTML: what the report prints (``render.py``'s views, templates and MathML; plots as inline
  SVG), in a box whose CSS is the report's own stylesheet scoped to the box, so that it
  restyles nothing else in the notebook. No script, no font or stylesheet from a network.
- LaTeX: the chain as one ``aligned`` display, the step's number and label, the formula and
  its verdict on each row, for MathJax (JupyterLab, nbconvert) and pdflatex alike.

Verifying from a cell (``derivation.verify()``, ``derivation.verify_step(5)``) runs the steps
the way ``smoothsym verify`` does: in a worker process under the settings' wall-clock bound per
step, through the verification cache unless ``cache=False``.

>>> from smoothsym.notebook import scoped_css
>>> scoped_css("body { margin: 0 } h1, a.x { color: red }")
'.smoothsym-notebook { margin: 0 }\\n.smoothsym-notebook h1, .smoothsym-notebook a.x { color: red }'
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata

BOX_CLASS = "smoothsym-notebook"  # the box every display is drawn in; its CSS reaches no further
NOT_VERIFIED = "not verified"


# -- loading and verifying from a cell -----------------------------------------------------------


def load(path: str | os.PathLike, name: str | None = None):
    """The derivation defined in the file ``path`` (the one named ``name``, when the file defines
    several), imported as ``smoothsym verify`` imports it: in isolation, its import bounded in
    time. A file that cannot be loaded raises its ``LoadError`` (file, line, reason)."""
    from .errors import LoadError
    from .loader import discover

    catalog = discover([os.fspath(path)])
    if catalog.errors:
        raise catalog.errors[0]
    if name is not None:
        catalog = catalog.select([name])
    if len(catalog.derivations) != 1:
        raise LoadError(f"the file defines {len(catalog.derivations)} derivations ({', '.join(catalog.names())}); "
                        "name the one to load: load(path, name)", file=os.fspath(path))
    return catalog.derivations[0]


def _settings(settings):
    """Settings as given, a profile by name ("fast", "default", "thorough"), or the default."""
    from .errors import SmoothsymError
    from .settings import PROFILES

    if settings is None:
        return PROFILES["default"]
    if isinstance(settings, str):
        if settings not in PROFILES:
            raise SmoothsymError(f"no settings profile named {settings!r}; the profiles are {', '.join(sorted(PROFILES))}")
        return PROFILES[settings]
    return settings


def _cache(cache: bool):
    from .cache import VerificationCache

    return VerificationCache() if cache else None


def verify(derivation, settings=None, cache: bool = True, jobs: int = 1):
    """Every step of ``derivation`` verified, in ``jobs`` worker processes, as a
    ``DerivationResult``; a current cache entry is read instead, and a new result stored.
    ``settings``: a ``CheckSettings``, a profile's name, or None for the default profile."""
    from .runner import verify_many

    return next(verify_many([derivation], _settings(settings), jobs, _cache(cache)))


def verify_step(derivation, number: int, settings=None, cache: bool = True):
    """Step ``number`` (1 is the first, as in the report) verified alone, as a ``StepResult``.
    When the cache holds the whole derivation's current verdicts, this step's is read from it
    (``cached`` is then true); a step verified alone is never stored (a part of a run is not a
    derivation's verdict)."""
    from .runner import verify_many

    count = len(derivation.steps)
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= count:
        raise derivation.error(f"verify_step({number!r}): there is no such step; the steps are numbered 1 to {count}")
    settings = _settings(settings)
    store = _cache(cache)
    if store is not None:
        hit = store.load_many([derivation], settings, 1)[0]
        if hit is not None:
            return hit.steps[number - 1]
    return next(verify_many([derivation], settings, 1, None, {0: {number}})).steps[0]


# -- HTML ------------------------------------------------------------------------------------------


def scoped_css(css: str, box: str = f".{BOX_CLASS}") -> str:
    """A stylesheet of plain rules (no @-rules) with every selector confined to ``box``: the
    page's ``:root`` and ``body`` become the box itself."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    if "@" in css:
        raise ValueError("scoped_css handles plain rules only; the stylesheet has an @-rule")
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        scoped = []
        for selector in selectors.split(","):
            selector = " ".join(selector.split())
            scoped.append(box if selector in (":root", "body", "html") else f"{box} {selector}")
        rules.append(f"{', '.join(scoped)} {{{body}}}")
    return "\n".join(rules)


# The page's margins (body's rule, now the box's) are a page's, not a cell output's
NOTEBOOK_CSS = f".{BOX_CLASS} {{ margin: 0; padding: .2rem 0 .6rem; max-width: 62rem; }}"


@functools.lru_cache(maxsize=1)
def _html_environment():
    from .render import environments

    return environments()["html"]


@functools.lru_cache(maxsize=1)
def _report_css() -> str:
    """The report's stylesheet (base.html's), scoped to the box: one stylesheet, two places."""
    from .render import ReportError, SettingsView
    from .settings import PROFILES

    defaults = PROFILES["default"]
    # a page with nothing on it, rendered for its <style> only (its footer is thrown away)
    page = _html_environment().get_template("index.html").render(
        derivations=[], settings=SettingsView(defaults.digits, defaults.points, defaults.seed, defaults.time_limit, ""))
    found = re.search(r"<style>(.*?)</style>", page, flags=re.S)
    if found is None:  # unstyled badges and boxes would say nothing: fail, naming the template
        raise ReportError("the report's pages hold no <style> for a notebook to take", template="base.html")
    return scoped_css(found.group(1)) + "\n" + NOTEBOOK_CSS


def _in_box(**context) -> str:
    from markupsafe import Markup

    return _html_environment().get_template("notebook.html").render(css=Markup(_report_css()), **context)


# The header's link back to the reports' index: in a notebook there is no index beside it
_INDEX_LINK = '<p class="muted"><a href="index.html">All derivations</a></p>\n'


def _page_body(view) -> str:
    """The content block of the report's page for ``view`` (derivation.html), without the page
    around it (head, footer) and without the link to the index."""
    template = _html_environment().get_template("derivation.html")
    # the run's settings are not in a result; only the page's footer prints them, and it is
    # left out (None: a region that started to print them would fail, not print wrong ones)
    body = "".join(template.blocks["content"](template.new_context({"d": view, "settings": None})))
    return body.replace(_INDEX_LINK, "", 1)


def result_html(result) -> str:
    """A verified derivation as its report page shows it: header, every step with its verdict,
    evidence and plots (an expression no printer writes: the page's error view)."""
    from markupsafe import Markup

    from .files import shown_path
    from .render import ReportError, _error_view, derivation_view, page_stem

    try:
        view = derivation_view(result)
        body = _page_body(view)
    except ReportError as exc:
        if exc.template is not None:
            raise
        body = _page_body(_error_view(result, page_stem(result.name), shown_path(str(exc))))
    return _in_box(part="page", body=Markup(body))


def _unverified_view(number: int, step, before, before_shown=None):
    """What the report shows of a step, with no verdict: a given step is stated (there is
    nothing to check), every other step "not verified"."""
    from types import SimpleNamespace

    from .render import StepView, _formula, _transformation

    given = step.kind == "given"
    # _formula reads only the step and what it starts from: it is given those, and no verdict
    formula = _formula(SimpleNamespace(step=step, before=before), before_shown)
    status = "given" if given else NOT_VERIFIED
    return StepView(
        number=number, label=step.label, kind=step.kind, why=step.why, line=step.location.line, formula=formula,
        transformation=_transformation(step), where=tuple(step.where), status=status, badge=status,
        badge_class="given" if given else "unverified", expected=step.expect_refuted, method="", how="", detail="",
        evidence=(), counterexample=None,
    )


def _unverified_views(derivation) -> tuple:
    views, previous = [], None
    for number, step, before in derivation.chain():
        before_shown = None  # as the report: after a claim kept as written, start from that form
        if previous is not None and previous.shown is not None and before == previous.claim:
            before_shown = previous.shown
        views.append(_unverified_view(number, step, before, before_shown))
        previous = step
    return tuple(views)


def derivation_html(derivation) -> str:
    """A derivation before it is verified: its header and steps as the report prints them,
    every claim marked "not verified"."""
    from .files import shown_path
    from .render import _assumption

    return _in_box(
        part="derivation", d=derivation, file=shown_path(derivation.location.file), steps=_unverified_views(derivation),
        symbols=tuple((s, _assumption(s)) for s in derivation.symbols),
        claims=sum(1 for s in derivation.steps if s.kind != "given"),
    )


def step_html(result) -> str:
    """One verified step as the report prints it: number, label, formula, badge, method and
    evidence (points, digits, counterexample, plot). A claim written with ``shown=`` on the step
    before is not known here: the formula starts from that step's evaluated claim."""
    from .render import _step_view

    return _in_box(part="step", step=_step_view(result), cached=result.cached)


def verdict_html(verdict) -> str:
    """A verdict on its own (no step, so no claim and no expected refutation): its status,
    method, detail and evidence, as a step's evidence box shows them."""
    from .render import _evidence

    evidence = tuple(v for v in (_evidence(e) for e in verdict.evidence) if v is not None)
    return _in_box(part="verdict", verdict=verdict, evidence=evidence)


# -- LaTeX -----------------------------------------------------------------------------------------

# A character of plain text that both pdflatex and MathJax print as itself inside \text{}
_PLAIN = re.compile(r"[A-Za-z0-9 ,.;:()\[\]!?'/+=*|@\-]")
_IN_MATH = {"_": r"\_", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%", "~": r"\sim",
            "^": r"\hat{\ }", "\\": r"\backslash", "<": "<", ">": ">", '"': "''", "`": "`"}


def text_in_math(text: str) -> str:
    """Plain text for display math: runs of plain characters in ``\\text{}``, every other
    character as math (``\\_``, ``\\ge``, ``\\theta``), which MathJax without its text-macro
    extension and pdflatex both read.

    >>> text_in_math("LSE_k(x, y) ≥ θ")
    '\\\\text{LSE}\\\\_\\\\text{k(x, y) }\\\\ge\\\\text{ }\\\\theta'
    """
    from .render import tex_escape

    out, run = [], []

    def flush():
        if run:
            out.append(r"\text{" + "".join(run) + "}")
            run.clear()

    for ch in str(text):
        if _PLAIN.fullmatch(ch):
            run.append(ch)
            continue
        flush()
        if ch in _IN_MATH:
            out.append(_IN_MATH[ch])
        elif unicodedata.category(ch) == "Cc":
            out.append("?")
        else:
            escaped = tex_escape(ch)
            if escaped.startswith("$") and escaped.endswith("$"):
                out.append(escaped[1:-1])
            elif escaped.startswith((r"\textsubscript{", r"\textsuperscript{")):
                inner = escaped[escaped.index("{") + 1:-1]
                out.append(("_" if "sub" in escaped[:16] else "^") + r"{\text{" + inner + "}}")
            else:
                out.append(r"\text{" + escaped + "}")  # an accented letter, or "?" as the reports print it
    flush()
    return "".join(out)


def prose_in_math(text: str, label: bool = False) -> str:
    """Prose for display math: its ``$...$`` as the TeX it is (validated at load), its words as
    ``text_in_math`` (each formula braced: its TeX stays its own group); a label's words read as the engine's notation first, as a page shows them.

    >>> prose_in_math(r"(1) $\\sigma(a)$ costs \\$1")
    '\\\\text{(1) }{\\\\sigma(a)}\\\\text{ costs }\\\\$\\\\text{1}'
    """
    from .prose import marked_prose, split

    try:
        pieces = split(marked_prose(text) if label else str(text))
    except ValueError:  # refused at load; shown as words
        return text_in_math(text)
    return "".join(f"{{{piece}}}" if is_math else text_in_math(piece) for is_math, piece in pieces)


def _tex_row(view) -> dict:
    from .render import _tex_math, _tex_relation

    f = view.formula
    formula = (f"{_tex_math(f.lhs)} {_tex_relation(f)} " if f.lhs is not None else "") + _tex_math(f.rhs)
    if view.where:
        formula += r",\quad \text{where } " + r",\ ".join(_tex_math(c) for c in view.where)
    name = prose_in_math(f"{view.number}. {view.label}", label=True) if view.label else text_in_math(f"{view.number}. {view.kind}")
    return {"name": name, "formula": formula,
            "badge": text_in_math(view.badge)}


def _latex(title: str, rows) -> str:
    """``title`` and one row per step, as one aligned display."""
    from .render import TexSafe, environments

    return environments()["tex"].get_template("notebook.tex").render(
        title=TexSafe(prose_in_math(title)), rows=[{k: TexSafe(v) for k, v in row.items()} for row in rows])


def result_latex(result) -> str:
    """A verified derivation's chain as LaTeX: each step's formula and verdict."""
    from .render import derivation_view

    view = derivation_view(result)
    return _latex(f"{view.title}: {view.status}", [_tex_row(s) for s in view.steps])


def derivation_latex(derivation) -> str:
    """A derivation's chain as LaTeX before it is verified."""
    return _latex(f"{derivation.title} ({NOT_VERIFIED})", [_tex_row(s) for s in _unverified_views(derivation)])


def step_latex(result) -> str:
    """One verified step as LaTeX: its formula and verdict."""
    from .render import _step_view

    view = _step_view(result)
    return _latex(f"step {view.number}: {view.badge}", [_tex_row(view)])
