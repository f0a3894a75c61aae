"""The reports as Chromium lays them out (issue 13): prose carries inline math, and what a reader
sees has no raw TeX or engine notation left in it.

A title's, a label's or a justification's ``$...$`` is TeX, drawn as MathML in HTML and kept as
math in LaTeX; the evidence the checks write as text (``lim_(k->oo)``, ``>=``, ``~ c e^(-a k)``)
is typeset too. Pages of the catalog and of a fixture are rendered into a temporary folder and
opened in headless Chromium with a script that measures them: every ``<math>`` has a box, every
fraction's numerator sits above its denominator, no text node outside math and code holds
``$`` (but an escaped dollar, ``\\$5``), ``\\frac``, ``^{``, ``_(``, ``->``, ``>=``; each plot's series differ in colour, marker or
dash and are drawn. The LaTeX of a page with prose math compiles with no overfull line. A
malformed formula is refused when the derivation is built, naming its file, line and step."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from smoothsym import Derivation, Given, Limit, Rewrite
from smoothsym.errors import DerivationError
from smoothsym.render import render_reports, write_reports
from smoothsym.runner import verify
from smoothsym.settings import PROFILES
from shared_verification import verified

SETTINGS = PROFILES["fast"]
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                 if shutil.which(n)), None)
PDFLATEX = shutil.which("pdflatex")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it: apt-get install chromium)")

# pages with prose math, engine evidence, convergence plots and a comparison of limits
CATALOG = ("smooth_abs", "smooth_max_recipe", "smooth_max_accuracy", "softplus", "max_from_abs", "huber", "gelu_tanh")

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", positive=True)

PROSE = Derivation(
    name="prose-math",
    title=r"Prose with math: $\frac{d\sigma}{da} = \sigma(a)(1 - \sigma(a))$ for \$1",
    symbols=(x, k),
    source="(test)",
    steps=[
        Given(sp.log(1 + sp.exp(k * x)) / k, label=r"(1) $\mathrm{LSE}_k(x, 0)$", why=r"softplus, $\frac{1}{k} \ln(1 + e^{kx})$"),
        Limit(k, sp.Max(x, 0), label="(2)", why=r"$\lim_{k \to \infty}$ gives the ReLU $\max(x, 0) \ge 0$; costs \$0"),
        Given(sp.exp(x) * sp.exp(-x), label="(3)"),
        Rewrite(sp.Integer(1), label="(4)", why=r"$e^{x} e^{-x} = 1$, with $x^{2} \ge 0$ beside it"),
        # labels in Unicode, as the catalog writes some: words, and an engine formula with Unicode letters
        Given(sp.exp(x), label="(5) L₁ = softplus ln(1 + eˣ), ∇θ ≥ 0"),
        Rewrite(sp.exp(x), label="(6) e^{xᵢ − x_y} for pᵢⱼ", why=r"$e^{x_i - x_y}$ as the label writes it"),
    ],
)


@pytest.fixture(scope="module")
def pages():
    # the catalog's verdicts verified once in the session (tests/shared_verification.py)
    results = verified([ROOT / "derivations" / f"{name}.py" for name in CATALOG], SETTINGS) + [verify(PROSE, SETTINGS)]
    return render_reports(results, SETTINGS)


@pytest.fixture(scope="module")
def folder(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    write_reports(str(out), pages)
    return out


# Appended to a copy of a page: measures what Chromium laid out and writes it into the DOM.
MEASURE = r"""<script>
(function () {
  const box = e => { const r = e.getBoundingClientRect(); return [r.width, r.height, r.top, r.bottom]; };
  const raw = /\$(?![0-9])|\\[A-Za-z]+|\^\{|\^\(|\^-|_\(|->|>=|<=|\boo\b|\blim_/;
  const skip = new Set(["MATH", "CODE", "SCRIPT", "STYLE", "PRE"]);
  const leftovers = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let inside = false;
    for (let e = node.parentElement; e; e = e.parentElement) {
      if (skip.has(e.tagName.toUpperCase())) { inside = true; break; }
    }
    if (!inside && raw.test(node.data)) leftovers.push(node.data.trim().slice(0, 160));
  }
  const plots = [...document.querySelectorAll("svg.plot")].map(svg => {
    const markers = {};
    svg.querySelectorAll("defs path[id]").forEach(p => { markers[p.id] = p.getAttribute("d"); });
    return [...svg.querySelectorAll("g[id]")].filter(g => /-series-\d+$/.test(g.id)).map(g => {
      const line = g.querySelector("path");
      const uses = g.querySelectorAll("use");
      const use = uses[0];
      const r = line.getBoundingClientRect();
      return {
        stroke: line.style.stroke,
        dash: line.style.strokeDasharray || "solid",
        marker: use ? markers[(use.getAttribute("xlink:href") || use.getAttribute("href") || "").slice(1)] || "" : "",
        width: r.width, height: r.height, points: uses.length,
      };
    });
  });
  const out = {
    title: document.title,
    math: [...document.querySelectorAll("math")].map(box),
    fractions: [...document.querySelectorAll("mfrac")].map(f => [box(f.children[0]), box(f.children[1])]),
    scripts: [...document.querySelectorAll("msup")].map(s => [box(s.children[0]), box(s.children[1])]),
    errors: document.querySelectorAll("merror").length,
    unknown: [...document.querySelectorAll("math *")].filter(e => e.children.length === 0 && /^\\[A-Za-z]/.test(e.textContent)).length,
    leftovers: leftovers,
    plots: plots,
  };
  const pre = document.createElement("pre");
  pre.id = "layout";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


@functools.lru_cache(maxsize=None)
def layout(page: Path) -> dict:
    """What Chromium laid out of ``page`` (a copy with the measuring script appended): measured
    once per page, the three tests below each assert their part of it."""
    measured = page.with_name("measured-" + page.name)
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={page.parent / 'profile'}",
         "--virtual-time-budget=3000", "--dump-dom", measured.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    found = re.search(r'<pre id="layout">(.*?)</pre>', run.stdout, flags=re.S)
    assert found, f"no layout from Chromium (exit {run.returncode}): {run.stderr[-2000:]}"
    text = found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return json.loads(text)


PAGES = ("smooth-abs.html", "smooth-max-recipe.html", "smooth-max-accuracy.html", "softplus.html",
         "max-from-abs.html", "huber.html", "gelu-tanh.html", "prose-math.html", "index.html")


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_every_formula_is_laid_out_as_mathematics(folder, name):
    page = layout(folder / name)
    assert page["math"], "no formula on the page"
    assert all(w > 0 and h > 0 for w, h, _, _ in page["math"]), [m for m in page["math"] if not (m[0] > 0 and m[1] > 0)]
    assert page["errors"] == 0 and page["unknown"] == 0  # no <merror>, no command printed as its name
    # drawn as MathML, not as a run of letters: a numerator above its denominator, a raised exponent
    assert all(num[3] <= den[2] + 1 for num, den in page["fractions"]), page["fractions"]
    assert all(sup[3] < base[3] for base, sup in page["scripts"]), page["scripts"]


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_no_raw_tex_or_engine_notation_is_left_in_the_prose(folder, name):
    page = layout(folder / name)
    assert page["leftovers"] == [], page["leftovers"]
    assert not re.search(r"\$(?![0-9])|\\", page["title"]), page["title"]  # a dollar of money stays


@needs_chromium
@pytest.mark.parametrize("name", ("smooth-abs.html", "max-from-abs.html", "smooth-max-recipe.html", "softplus.html",
                                  "prose-math.html"))
def test_plot_series_are_drawn_and_told_apart(folder, name):
    plots = layout(folder / name)["plots"]
    assert plots, "no plot on the page"
    for series in plots:
        # each series is on the page: its markers placed, its line drawn when it has two points or more
        assert series and all(s["points"] > 0 for s in series), series
        assert all(s["width"] > 0 or s["height"] > 0 for s in series if s["points"] > 1), series
        styles = [(s["stroke"], s["marker"], s["dash"]) for s in series]
        assert len(set(styles)) == len(styles), styles  # no two series look the same
        assert all(s["marker"] for s in series), series


def test_the_prose_math_is_mathml_in_html_and_math_in_latex(pages):
    html, tex = pages["prose-math.html"], pages["prose-math.tex"]
    # the title: a fraction in the heading, a plain-text <title>, an escaped dollar a dollar
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
    assert "<mfrac>" in heading and "for $1" in heading
    assert "<title>Prose with math: dσ/da = σ(a)(1 − σ(a)) for $1: smoothsym</title>" in html
    assert r"\section*{Prose with math: $\frac{d\sigma}{da} = \sigma(a)(1 - \sigma(a))$ for \$1}" in tex
    # a justification's formulas, and its words escaped around them as before
    assert r"$\lim_{k \to \infty}$ gives the ReLU $\max(x, 0) \ge 0$; costs \$0" in tex
    why = re.search(r'<p class="why"><math>.*?costs \$0</p>', html)
    assert why and "<mo>≥</mo>" in why.group(0)
    # a label's math, typeset in the step's header
    assert re.search(r'<span class="label">1\. \(1\) <math>.*?LSE.*?</math></span>', html) or "L</mi>" in html


def test_unicode_in_a_label_is_typeset_in_html_and_latex(pages):
    html, tex = pages["prose-math.html"], pages["prose-math.tex"]
    unicode_words = html.split('id="step-5"')[1].split("</section>")[0]
    assert "L₁ = softplus ln(1 + eˣ), ∇θ ≥ 0" in unicode_words
    assert r"L\textsubscript{1} = softplus ln(1 + e\textsuperscript{x}), $\nabla$$\theta$ $\ge$ 0" in tex
    # "e^{xᵢ − x_y}": its Unicode as TeX, so it is a formula on the page, not TeX left as words
    engine = html.split('id="step-6"')[1].split("</section>")[0]
    assert "^{" not in engine and "<msup><mi>e</mi>" in re.sub(r"</?mrow>", "", engine)
    assert r"$e^{x_{i} - x_y}$ for p\textsubscript{i}\textsubscript{j}" in tex


def test_the_terminal_text_of_a_title_is_the_pages_title(pages):
    from smoothsym.prose import plain

    html = pages["prose-math.html"]
    assert f"<title>{plain(PROSE.title)}: smoothsym</title>" in html and "$" not in plain(PROSE.title).replace("$1", "")


def test_the_evidence_text_is_typeset(pages):
    html, tex = pages["prose-math.html"], pages["prose-math.tex"]
    limit = html.split('id="step-2"')[1].split("</section>")[0]
    assert "lim_(" not in limit and "k-&gt;oo" not in limit and "&gt;=" not in limit
    assert "<msub><mo>lim</mo>" in limit  # lim_{k -> oo} previous = claim
    assert re.search(r"slowest <math><mo>∼</mo><mn>[0-9.]+</mn>.*?<msup><mi>k</mi>", re.sub(r"</?mrow>", "", limit))
    assert "error always ≥ 0" in limit or "error always ≤ 0" in limit or "both signs" in limit
    assert r"$\lim_{k \to \infty}$ previous = claim" in tex and "lim\\_(" not in tex


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (CI installs texlive-latex-base texlive-latex-recommended)")
@pytest.mark.parametrize("name", ("prose-math",) + tuple(name.replace("_", "-") for name in CATALOG))
def test_the_latex_with_prose_math_compiles_without_overfull_lines(folder, name):
    _compiles_without_overfull_lines(folder, name)


COMMITTED = sorted(path.stem for path in (ROOT / "reports").glob("*.tex"))


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (CI installs texlive-latex-base texlive-latex-recommended)")
@pytest.mark.parametrize("name", COMMITTED)
def test_every_committed_latex_report_compiles_without_overfull_lines(name, tmp_path):
    """The whole catalog's pages as `make report` wrote them (`report --check` keeps them current):
    a long searched point (a bound's worst point, an exact fraction of 80 digits) must not push
    past the margin."""
    for path in (ROOT / "reports").iterdir():
        if path.suffix == ".tex" and path.stem == name or path.name.startswith("plot+"):
            shutil.copy(path, tmp_path / path.name)
    _compiles_without_overfull_lines(tmp_path, name)


def _compiles_without_overfull_lines(folder: Path, name: str) -> None:
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-output-directory", str(folder),
                          str(folder / f"{name}.tex")], capture_output=True, cwd=folder, timeout=300)
    log = (folder / f"{name}.log").read_text(encoding="latin-1")
    assert run.returncode == 0, log[-2000:]
    assert log.count("Overfull") == 0, re.findall(r"Overfull.*", log)


def test_a_long_exact_point_is_shown_by_its_leading_digits():
    """A searched worst point is an exact fraction of dozens of digits: the page shows its first
    six (cut, not rounded) and an ellipsis; short fractions stay fractions."""
    from smoothsym.prose import marked

    tex = marked("at a = -18336658581237244597/31250000000000000, d = 4419833687848160104843195097333/"
                 "12500000000000000000000000000000000000000000000000000000, b = -3/2")
    assert r"-586.773\ldots" in tex and r"3.53586\ldots \cdot 10^{-25}" in tex and r"-\frac{3}{2}" in tex
    assert "4419833687848160104843195097333" not in tex


def _prose(why: str = "fine", title: str = "fine", label: str = "(1)") -> Derivation:
    return Derivation(name="bad-prose", title=title, symbols=(x,), source="(test)",
                      steps=[Given(x**2, label="(0)"), Rewrite(x * x, label=label, why=why)])


@pytest.mark.parametrize("why, says", [
    ("costs $5 and more", "has an unbalanced '$' (at character 7): close the formula with '$', or write \\$ for a dollar sign"),
    (r"$\frac{1}{2$ of it", "has unbalanced braces"),
    (r"$\foo x$", "uses \\foo, which is not a known math command"),
    (r"$\input{secret}$", "uses \\input, which is not a math command"),
    ("$50% off$", "which LaTeX reads as markup"),
])
def test_a_malformed_formula_in_a_justification_is_refused_naming_file_line_and_step(why, says):
    with pytest.raises(DerivationError) as caught:
        _prose(why=why)
    error = caught.value
    assert error.step == 2 and error.file.endswith("test_report_structure.py") and error.line
    assert says in str(error) and "the step's why" in str(error)


def test_a_malformed_formula_in_a_title_or_label_is_refused():
    with pytest.raises(DerivationError, match=r"the derivation's title .* unbalanced '\$'"):
        _prose(title="one $ too many")
    with pytest.raises(DerivationError, match=r"step 2 .*: the step's label .* unbalanced '\$'"):
        _prose(label="(1) $x")


def test_an_escaped_dollar_is_a_dollar_and_needs_no_pair():
    assert _prose(why=r"it costs \$5").steps[1].why == r"it costs \$5"
