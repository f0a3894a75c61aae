"""What a reader of a report sees of the mathematics: numbers as written (0.044715, not
8943/200000), a claim kept as written (``shown=``), the Kronecker delta as δ, d/dx (-ln x)
bracketed, a summation index that does not clash with a free one, a negative-number claim, a
generalised claim's own badge, limit rates in the limit's own variable, and a PDF without '?'
for subscripts and without lines running into the margin."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp
from sympy import Eq, IndexedBase, KroneckerDelta, Rational, Sum, exp, log

from smoothsym import Derivation, Differentiate, Generalise, Given, Limit, Rewrite
from smoothsym.errors import DerivationError
from smoothsym.render import compile_pdf, render_reports, write_reports
from smoothsym.runner import verify
from smoothsym.settings import PROFILES

SETTINGS = PROFILES["fast"]
PDFLATEX = shutil.which("pdflatex")
PDFTOTEXT = shutil.which("pdftotext")

x = sp.Symbol("x", real=True)
t = sp.Symbol("t", positive=True)
y = sp.Symbol("y", positive=True)
k = sp.Symbol("k", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
z = sp.Symbol("z", real=True)
Z = IndexedBase(z)

with sp.evaluate(False):
    TWO_X_WRITTEN = x + x  # SymPy would build 2*x

# a formula far wider than the page, as LogSumExp of many arguments gets
WIDE = sum(exp(k * x + j) for j in range(24)) / k


def square_sum(count):
    xs = sp.symbols(f"x_1:{count + 1}", real=True)
    return sum(v**2 for v in xs), sum(v**2 for v in xs)


X = IndexedBase(x)

DISPLAY = Derivation(
    name="display",
    title="What the page shows: zᵢ and x₁ in a label",
    symbols=(x, t, y, k, i, n, z),
    source="(test)",
    steps=[
        Given(x + Rational("0.044715") * x**3, label="GELU's cubic", why="0.044715 as written"),
        Given(x / 2, label="a half stays a half"),
        Given(2 * x, shown=TWO_X_WRITTEN, label="as written", why="x + x, not 2x"),
        Rewrite(3 * x - x, label="after it"),
        Given(-log(x**2 + 1), label="minus ln"),
        Differentiate(x, -2 * x / (x**2 + 1)),
        Given(KroneckerDelta(i, n), label="delta"),
        Given(Eq(sp.Derivative(-log(exp(Z[i]) / Sum(exp(Z[i]), (i, 1, n))), Z[i]), 0), label="a free i and a summed i"),
        Given(-1 + 1 / t, label="tends to -1"),
        Limit(t, -1, label="a limit in t"),
        Given(exp(-k * y), label="exponential rates"),
        Limit(k, 0, label="rates ranked"),
        Given(Sum(X[i] ** 2, (i, 1, n)), label="squares"),
        Generalise(Eq(Sum(X[i] ** 2, (i, 1, n)), Sum(X[i] ** 2, (i, 1, n))), square_sum, ns=(2, 3, 4),
                   label="for each n"),
        Given(WIDE, label="x\u2081 wide"),
        Rewrite(WIDE + 1, label="a refuted wide claim", expect_refuted="off by one"),
    ],
)


@pytest.fixture(scope="module")
def result():
    return verify(DISPLAY, SETTINGS)


@pytest.fixture(scope="module")
def pages(result):
    return render_reports([result], SETTINGS)


def _section(page: str, label: str) -> str:
    """The HTML of the step labelled ``label``."""
    start = page.index(f". {label}</span>")
    end = page.find('<section class="step"', start)
    return page[start:end if end > 0 else len(page)]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _rows_dropped(html: str) -> str:
    """MathML with its <mrow> grouping left out: what is drawn, in order."""
    return re.sub(r"</?mrow>", "", html)


def test_an_exact_decimal_is_shown_as_the_decimal_written(pages):
    page, tex = pages["display.html"], pages["display.tex"]
    cubic = _section(page, "GELU&#39;s cubic")
    assert "<mn>0.044715</mn>" in cubic and "8943" not in cubic and "200000" not in cubic
    assert "0.044715 x^{3}" in tex and "8943" not in tex
    half = _section(page, "a half stays a half")
    assert "<mfrac>" in half and "0.5" not in half


def test_a_claim_kept_as_written_is_shown_as_written_and_checked_evaluated(result, pages):
    written = _text(_section(pages["display.html"], "as written"))
    assert "x+x" in written and "2⁢x" not in written.split("as written")[1]
    # the next step starts from the claim as written too: x + x = 3x - x
    after = _section(pages["display.html"], "after it")
    assert _text(after).startswith(". after it") and "x+x=" in _text(after).replace("\u2062", "")
    assert result.steps[3].verdict.status.value == "proved"


def test_a_shown_form_that_is_not_the_claim_is_refused_naming_the_step():
    with pytest.raises(DerivationError, match=r"step 2.*shown= must be the claim written unevaluated"):
        Derivation(name="wrong-shown", title="t", symbols=(x,), steps=[Given(x), Rewrite(2 * x, shown=x + 1)])


def test_the_kronecker_delta_is_delta_with_its_indices(pages):
    delta = _section(pages["display.html"], "delta")
    assert "<msub><mi>δ</mi><mrow><mi>i</mi><mi>n</mi></mrow></msub>" in delta
    assert "kroneckerdelta" not in pages["display.html"].lower()
    assert r"\delta_{i n}" in pages["display.tex"]


def test_the_derivative_of_minus_ln_is_bracketed(pages):
    step = _text(_section(pages["display.html"], "differentiate"))
    assert "(−ln(" in step.replace("\u2062", "")
    assert r"\left(- \ln{\left(x^{2} + 1 \right)}\right)" in pages["display.tex"]


def test_a_summation_index_is_not_the_free_index(pages):
    step = _section(pages["display.html"], "a free i and a summed i")
    # d/dz_i of a sum over j, not over i: the sum's index is renamed for the page
    assert "<mi>i</mi><mo>=</mo><mn>1</mn>" not in step and "<mi>j</mi><mo>=</mo><mn>1</mn>" in step


def test_a_negative_number_claim_renders(pages, tmp_path):
    step = _section(pages["display.html"], "a limit in t")
    for formula in re.findall(r"<math[^>]*>.*?</math>", step):
        ET.fromstring(formula)  # well-formed: the old page broke on <mn>-1</mn>
    assert "<mo>−</mo><mn>1</mn>" in step


def test_a_limit_in_t_states_its_rate_in_t(pages):
    section = _section(pages["display.html"], "a limit in t")
    step = _text(section)
    # the rate is typeset: ~ 1.0 t^{-1.00}, a power of t, none of k
    assert "<msup><mi>t</mi><mo>−</mo><mn>1.00</mn></msup>" in _rows_dropped(section)
    assert "<msup><mi>k</mi>" not in section and "k^-" not in step and "t^-" not in step
    assert "10<sup>8</sup>" in section and "10^8" not in section  # the values followed, as powers
    assert "$10^{8}$" in pages["display.tex"]


def test_the_slowest_exponential_rate_is_the_smallest_exponent(result, pages):
    evidence = next(e for e in result.steps[11].verdict.evidence if hasattr(e, "slowest_rate"))
    rates = [float(re.search(r"e\^\(-([0-9.]+) k\)", p.rate).group(1)) for p in evidence.paths
             if re.search(r"e\^\(-([0-9.]+) k\)", p.rate)]
    assert len(set(rates)) > 1, rates  # the sample points have different y, so different rates
    slowest = float(re.search(r"e\^\(-([0-9.]+) k\)", evidence.slowest_rate).group(1))
    assert slowest == min(rates)
    # typeset: slowest ~ c e^{-a k}, the exponent's a the slowest one's
    exponent = evidence.slowest_rate.split('e^(-')[1].split(' ')[0]
    assert (f"slowest <math><mo>∼</mo><mi>c</mi><mspace width=\"0.167em\" /><msup><mi>e</mi><mo>−</mo>"
            f"<mn>{exponent}</mn><mi>k</mi></msup></math>") in _rows_dropped(pages["display.html"])
    assert f"$\\sim c\\,e^{{-{exponent} k}}$" in pages["display.tex"]


def test_sample_points_show_terminating_fractions_as_decimals(result, pages):
    step = _section(pages["display.html"], "rates ranked")
    shown = re.findall(r"<li>at ([^:]*):", step)
    exact = [p.point for e in result.steps[11].verdict.evidence if hasattr(e, "paths") for p in e.paths]
    assert any("/" in str(v) and str(v).split("/")[1].strip("0") in ("1", "2", "5", "25", "125", "625")
               for point in exact for v in point.values()), exact  # a random point is such a fraction
    # each point is typeset, y = 2.8682 rather than y = 14341/5000
    assert all(label.startswith("<math>") for label in shown), shown
    assert not any(re.search(r"<mfrac><mrow><mn>[0-9]+</mn></mrow><mrow><mn>[0-9]*0</mn>", label) for label in shown), shown
    assert any(re.search(r"<mo>=</mo><mn>[0-9]+\.[0-9]+</mn>", label) for label in shown), shown
    assert any("<msqrt>" in label for label in shown), shown  # sqrt(2)/2 is not a terminating decimal: kept


def test_a_claim_checked_for_n_2_to_4_has_its_own_badge(result, pages):
    status = result.steps[13].verdict.status.value
    assert status in ("proved", "checked")
    step = _section(pages["display.html"], "for each n")
    assert f'<span class="badge {status}-instances">{status} for n = 2, …, 4</span>' in step
    assert f'"badge {status}"' not in step and "by for each" not in step
    assert f"{status} for n = 2, …, 4</strong> each n by " in step
    assert rf"\badge{{{status}-instances}}{{{status} for n = 2, \dots{{}}, 4}}" in pages["display.tex"]


def test_the_tex_header_names_the_derivation_without_a_stray_bracket(pages):
    assert r"(derivation \texttt{display})\\" in pages["display.tex"]


def test_subscripts_in_text_become_textsubscript(pages):
    tex = pages["display.tex"]
    assert r"z\textsubscript{i} and x\textsubscript{1}" in tex and "?" not in tex.split(r"\begin{document}")[1]


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (CI installs texlive-latex-base texlive-latex-recommended)")
def test_the_pdf_has_no_question_marks_and_no_overfull_lines(pages, tmp_path):
    write_reports(str(tmp_path), pages)
    tex = tmp_path / "display.tex"
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-output-directory", str(tmp_path), str(tex)],
                         capture_output=True, cwd=tmp_path, timeout=300)
    log_text = (tmp_path / "display.log").read_text(encoding="latin-1")
    assert run.returncode == 0, log_text[-2000:]
    assert log_text.count("Overfull") == 0, re.findall(r"Overfull.*", log_text)
    if PDFTOTEXT:
        text = subprocess.run([PDFTOTEXT, str(tmp_path / "display.pdf"), "-"], capture_output=True, text=True,
                              timeout=60).stdout
        assert "What the page shows" in text and "?" not in text


def test_pdfs_next_to_the_reports_are_not_committed():
    ignored = subprocess.run(["git", "check-ignore", "-q", "reports/smooth-abs.pdf"],
                             cwd=Path(__file__).resolve().parent.parent)
    assert ignored.returncode == 0
    # the plots' figures are part of the reports (the .tex pages include them; report --check compares them)
    figure = subprocess.run(["git", "check-ignore", "-q", "reports/plot+0123456789abcdef.pdf"],
                            cwd=Path(__file__).resolve().parent.parent)
    assert figure.returncode == 1
