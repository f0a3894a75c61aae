"""`smoothsym report` as a user sees it: the pages, their evidence and plots, byte-identical
regeneration, `--check`, bad input named clearly, and the output checked where it is read: the
HTML in headless Chromium (skipped only when no Chromium is installed) and the LaTeX with
pdflatex (skipped only when pdflatex is absent)."""

import dataclasses
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp

from smoothsym import Derivation, Given, Limit, Rewrite
from smoothsym.cli import main
from smoothsym.plots import FIGURE_NAME
from smoothsym.render import ReportError, render_pages, render_reports, stale_reports, tex_escape, write_reports
from smoothsym.runner import verify
from shared_verification import verified
from smoothsym.settings import PROFILES

ROOT = Path(__file__).resolve().parent.parent
SMOOTH_ABS = str(ROOT / "derivations" / "smooth_abs.py")
SETTINGS = PROFILES["fast"]

x = sp.Symbol("x", real=True)
k = sp.Symbol("k", positive=True)

# A small derivation with what smooth-abs lacks: a claim refuted as stated (with its
# counterexample), and text that must be escaped in both formats.
TRICKY = Derivation(
    name="tricky",
    title="Escaping <b>&</b> 100% of $x_1$",
    symbols=(x, k),
    source="(test)",
    steps=[
        Given(sp.Abs(x), label="(a)", why="start: <script>alert(1)</script> & 50% {x_1} ~ ^ \\ θ ≥ 0"),
        Rewrite(x, label="(b)", why="|x| = x", expect_refuted="|x| = x only for x >= 0"),
        Given(sp.log(1 + sp.exp(k * x)) / k, label="(c)"),
        Limit(k, sp.Max(x, 0), label="(d)", why="softplus tends to the ReLU"),
        Given(sp.log(2 + sp.exp(k * x)) / k, label="(e)"),
        Limit(k, sp.Max(x, 0), label="(e)", why="so does this one, more slowly at x = 0"),
    ],
)


@pytest.fixture(scope="module")
def results():
    (smooth_abs,) = verified(SMOOTH_ABS, SETTINGS)  # once in the session (tests/shared_verification.py)
    return [smooth_abs, verify(TRICKY, SETTINGS)]


@pytest.fixture(scope="module")
def files(results):
    return render_reports(results, SETTINGS)


def test_one_page_and_one_tex_per_derivation_and_an_index(files):
    pages = [name for name in files if not FIGURE_NAME.fullmatch(name)]
    assert pages == ["index.html", "smooth-abs.html", "smooth-abs.tex", "tricky.html", "tricky.tex"]
    # and the PDF figures the .tex files include, each one included by some .tex
    included = {name for tex in ("smooth-abs.tex", "tricky.tex")
                for name in re.findall(r"\\includegraphics\[[^]]*\]\{([^}]+)\}", files[tex])}
    assert included and included == set(files) - set(pages)


def test_the_index_lists_each_derivation_with_its_verdict_and_counts(files, results):
    index = files["index.html"]
    for result in results:
        assert f'href="{result.name}.html"' in index
    row = index.split('href="tricky.html"')[1].split("</tr>")[0]
    # tricky: (b) refuted as stated, (d) proved or checked, two givens
    cells = re.findall(r'<td class="n">(\d+)</td>', row)
    assert int(cells[2]) == 1  # refuted as stated
    assert int(cells[4]) == 0  # failing


def test_each_step_shows_label_formula_transformation_verdict_and_evidence(files, results):
    page = files["smooth-abs.html"]
    smooth_abs = results[0]
    for r in smooth_abs.steps:
        section = page.split(f'<section class="step" id="step-{r.number}">')[1].split("</section>")[0]
        assert f"{r.number}. {r.step.label}" in section
        assert '<math display="block">' in section
        assert f'class="badge {r.verdict.status.value}"' in section
        if r.step.kind in ("limit", "drop-term"):
            assert '<svg class="plot"' in section and '-series-0"' in section  # a matplotlib line (was: <polyline)
        if r.verdict.status.value in ("proved", "checked"):
            assert "points to 50 digits" in section or "followed at" in section
    # the limit's rate at the tie x = 0 (ln 2 / k) is shown, from the evidence, typeset: ~ 0.693 k^(-1.00)
    assert "<mo>∼</mo><mn>0.693</mn><mspace width=\"0.167em\" /><msup><mi>k</mi><mo>−</mo><mn>1.00</mn></msup>" in re.sub(r"</?mrow>", "", page)


def test_a_claim_refuted_as_stated_shows_its_counterexample(files):
    page = files["tricky.html"]
    section = page.split('id="step-2"')[1].split("</section>")[0]
    assert "refuted as stated (expected)" in section
    assert "Counterexample" in section and "|x| = x only for x ≥ 0" in section
    assert re.search(r"<mi>x</mi><mo>=</mo><mo>−</mo><mn>[0-9.]+</mn>", re.sub(r"</?mrow>", "", section))


def test_limits_with_the_same_claim_are_compared_on_one_plot(files):
    page = files["tricky.html"]
    comparison = page.split('<h2 id="comparison-1">')[1]
    assert "<strong>(d)</strong>, <strong>(e)</strong>" in comparison
    # one line per step at each of the two shared points the plot picks
    assert len(re.findall(r'<g id="plot-[0-9a-f]+-series-\d+">', comparison)) == 4  # matplotlib lines (was: <polyline)
    # the legend's mathtext (its source is kept beside the drawn glyphs)
    assert r"<!-- (d) at $x = 0$: $\sim 0.693\,k^{-1.00}$" in comparison
    assert r"<!-- (e) at $x = 0$: $\sim 1.1\,k^{-1.00}$" in comparison
    assert r"\section*{Accuracy compared" in files["tricky.tex"]
    assert "comparison-1" not in files["smooth-abs.html"]  # a single limit step: nothing to compare


def test_the_mathml_is_well_formed_xml_with_no_double_struck_e(files):
    for name in ("smooth-abs.html", "tricky.html", "index.html"):
        for math in re.findall(r"<math.*?</math>", files[name], flags=re.S):
            ET.fromstring(math)  # raises on a raw "<" or an unknown entity
        assert "\u2147" not in files[name] and "&#x2147;" not in files[name] and "&ExponentialE;" not in files[name]


def test_text_is_escaped_in_html_and_in_tex(files):
    assert "<script>" not in files["tricky.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 50%" in files["tricky.html"]
    assert r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} \& 50\% \{x\_1\}" in files["tricky.tex"]
    assert r"$\theta$ $\ge$ 0" in files["tricky.tex"]
    assert tex_escape("a_b & c") == r"a\_b \& c"


def test_regenerating_gives_identical_bytes_and_no_run_times(results, files):
    """Same verdicts with other run times: the same bytes (no time, date or id in the pages)."""
    slower = [
        dataclasses.replace(res, steps=tuple(
            dataclasses.replace(r, verdict=dataclasses.replace(r.verdict, seconds=r.verdict.seconds + 12.345))
            for r in res.steps))
        for res in results
    ]
    import smoothsym.plots as plots

    plots.forget_drawn()  # the figures drawn again, not remembered
    assert render_reports(slower, SETTINGS) == files
    assert render_reports(results, SETTINGS) == files


def test_plots_drawn_in_two_processes_give_the_same_bytes_and_leave_no_process(results, files):
    """`report -j 2` draws the plots in two processes: the same files as one by one, and no
    child left after."""
    import multiprocessing

    import smoothsym.plots as plots

    plots.forget_drawn()  # else the figures this process drew already are not drawn again
    assert render_reports(results, SETTINGS, jobs=2) == files
    assert multiprocessing.active_children() == []


def test_a_plot_that_cannot_be_drawn_fails_its_page_with_any_number_of_jobs(results, monkeypatch):
    """A plot whose drawing raises (in a drawing child too) makes its page an error page naming
    the error, as when drawn in this process."""
    import smoothsym.plots as plots

    def broken(plot):
        raise RuntimeError(f"no figure for {plot.title[:20]!r}")

    monkeypatch.setattr(plots, "_figure", broken)
    plots.forget_drawn()  # the figures drawn before the break would be shown
    one = render_pages(results, SETTINGS, jobs=1)
    two = render_pages(results, SETTINGS, jobs=2)
    assert one == two
    files, failures = two
    assert [f.name for f in failures] == ["smooth-abs", "tricky"]
    assert all("RuntimeError: no figure for" in f.message for f in failures)
    assert "its page could not be rendered: RuntimeError: no figure for" in files["smooth-abs.html"]


def test_check_names_stale_missing_and_orphaned_files(tmp_path, files):
    out = str(tmp_path / "reports")
    write_reports(out, files)
    assert stale_reports(out, files) == []
    Path(out, "tricky.tex").write_text("edited by hand\n")
    Path(out, "smooth-abs.html").unlink()
    Path(out, "gone.html").write_text("a derivation that was deleted\n")
    assert stale_reports(out, files) == [
        f"{out}/smooth-abs.html (missing)",
        f"{out}/tricky.tex (differs)",
        f"{out}/gone.html (no longer produced)",
    ]
    write_reports(out, files)  # regenerating removes the orphan
    assert stale_reports(out, files) == [] and not Path(out, "gone.html").exists()


def test_report_command_writes_then_check_passes_and_fails(tmp_path, capsys):
    out = str(tmp_path / "reports")
    args = [SMOOTH_ABS, "--out", out, "--profile", "fast"]
    assert main(["report", *args]) == 0
    written = sorted(os.listdir(out))
    assert [n for n in written if not FIGURE_NAME.fullmatch(n)] == ["index.html", "smooth-abs.html", "smooth-abs.tex"]
    assert any(FIGURE_NAME.fullmatch(n) for n in written)  # the .tex's PDF figures, beside it
    assert main(["report", *args, "--check"]) == 0
    assert any(Path(os.environ["SMOOTHSYM_CACHE_DIR"], "figures").glob("*.pdf"))  # the figures kept for the next run
    Path(out, "smooth-abs.tex").write_text("stale\n")
    capsys.readouterr()
    assert main(["report", *args, "--check"]) == 1
    assert f"stale: {out}/smooth-abs.tex (differs)" in capsys.readouterr().out


def test_figures_of_an_earlier_run_are_not_drawn_again_and_a_tampered_one_is(tmp_path, results, files, monkeypatch):
    """`smoothsym report` keeps each figure it draws in the cache folder, signed; the next run
    draws only the plots that changed. A figure file edited by hand (or by anyone without the
    user's secret) is never shown: it is drawn again and replaced."""
    import smoothsym.plots as plots

    store = plots.FigureStore(tmp_path / "figures", secret=tmp_path / "secret")
    drawn = []
    figure = plots._figure
    monkeypatch.setattr(plots, "_figure", lambda p: drawn.append(p.digest) or figure(p))
    plots.forget_drawn()
    assert render_reports(results, SETTINGS, figures=store) == files
    first = len(drawn)
    stored = sorted((tmp_path / "figures").iterdir())
    assert first > 0 and len(stored) == first  # one file per figure drawn (an SVG and a PDF per plot)
    plots.forget_drawn()  # as a new process: only the files
    assert render_reports(results, SETTINGS, figures=store, jobs=2) == files
    assert len(drawn) == first  # nothing drawn again, in this process or a drawing child
    victim = next(p for p in stored if p.suffix == ".svg")
    header, _, svg_text = victim.read_bytes().partition(b"\n")
    victim.write_bytes(header + b"\n" + svg_text.replace(b"<svg", b"<svg data-forged='1'", 1))
    plots.forget_drawn()
    assert render_reports(results, SETTINGS, figures=store) == files  # the true figure, drawn again
    assert len(drawn) == first + 1 and b"forged" not in victim.read_bytes()
    other = plots.FigureStore(tmp_path / "figures", secret=tmp_path / "another-secret")
    assert all(other.load(p.suffix[1:], p.name.split("-")[0]) is None for p in stored)  # another user's: not trusted


def test_figures_unused_for_a_month_are_removed_and_the_rest_kept(tmp_path, results):
    import time

    import smoothsym.plots as plots

    folder = tmp_path / "figures"
    folder.mkdir()
    month = time.time() - 31 * 86400
    stale, recent, other = folder / f"{'a' * 16}-{'b' * 16}.svg", folder / f"{'c' * 16}-{'d' * 16}.pdf", folder / "notes.txt"
    for path in (stale, recent, other):
        path.write_text("x")
    os.utime(stale, (month, month))
    os.utime(other, (month, month))  # not a figure's name: never touched
    plots.forget_drawn()
    tricky = [r for r in results if r.name == "tricky"]
    render_reports(tricky, SETTINGS, figures=plots.FigureStore(folder, secret=tmp_path / "secret"))
    assert not stale.exists() and recent.exists() and other.exists()


def test_report_no_cache_draws_every_figure_and_stores_none(tmp_path, monkeypatch):
    monkeypatch.setenv("SMOOTHSYM_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["report", SMOOTH_ABS, "--out", str(tmp_path / "reports"), "--profile", "fast", "--no-cache", "-q"]) == 0
    assert not (tmp_path / "cache" / "figures").exists()


def test_an_unknown_derivation_name_is_named(tmp_path, capsys):
    assert main(["report", SMOOTH_ABS, "--only", "no-such-thing", "--out", str(tmp_path)]) == 2
    assert "no derivation named 'no-such-thing'; known: smooth-abs" in capsys.readouterr().err


def test_a_user_template_overrides_a_partial(tmp_path, results):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "step.html").write_text("<p>my step {{ step.number }}: {{ step.badge }}</p>\n")
    tricky = [r for r in results if r.name == "tricky"]  # the page looked at (smooth-abs's plots cost ~10 s to draw)
    files = render_reports(tricky, SETTINGS, templates=str(tmp_path))
    assert "<p>my step 2: refuted as stated (expected)</p>" in files["tricky.html"]
    assert '<section class="step"' not in files["tricky.html"]
    assert r"\subsection*" in files["tricky.tex"]  # the TeX partials are untouched


def test_a_missing_template_is_named(tmp_path, results):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "step.html").write_text('{% include "my_badge.html" %}\n')
    with pytest.raises(ReportError, match=r"template 'my_badge.html' not found"):
        render_reports(results, SETTINGS, templates=str(tmp_path))


def test_a_template_using_a_missing_field_is_named_with_its_line(tmp_path, results):
    (tmp_path / "tex").mkdir()
    (tmp_path / "tex" / "step.tex").write_text("\\VAR{ step.number }\n\\VAR{ step.seconds }\n")
    with pytest.raises(ReportError) as caught:
        render_reports(results, SETTINGS, templates=str(tmp_path))
    assert caught.value.template.endswith("tex/step.tex") and caught.value.line == 2
    assert "has no attribute 'seconds'" in str(caught.value)


def test_a_failed_run_leaves_the_reports_untouched(tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["report", SMOOTH_ABS, "--out", str(out), "--profile", "fast"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad"
    (bad / "html").mkdir(parents=True)
    (bad / "html" / "index.html").write_text("{{ derivations[0].nothing }}\n")
    assert main(["report", SMOOTH_ABS, "--out", str(out), "--profile", "fast", "--templates", str(bad)]) == 2
    assert "index.html:1: the template uses a missing field" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, no temp files


# -- the output where it is read -----------------------------------------------------------------

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                 if shutil.which(n)), None)
PDFLATEX = shutil.which("pdflatex")

# Appended to a copy of a page: measures what the browser laid out and writes it into the DOM.
MEASURE = """<script>
(function () {
  const box = e => { const r = e.getBoundingClientRect(); return [r.width, r.height, r.top, r.bottom]; };
  const out = {
    math: [...document.querySelectorAll("math")].map(box),
    fractions: [...document.querySelectorAll("mfrac")].map(f => [box(f.children[0]), box(f.children[1])]),
    errors: document.querySelectorAll("merror").length,
    plots: [...document.querySelectorAll("svg.plot")].map(box),
    mathFont: document.querySelector("math") ? getComputedStyle(document.querySelector("math")).fontFamily : "",
  };
  const pre = document.createElement("pre");
  pre.id = "layout";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _layout_in_chromium(page: Path, profile: Path) -> dict:
    measured = page.with_name("measured-" + page.name)
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=3000", "--dump-dom", measured.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    found = re.search(r'<pre id="layout">(.*?)</pre>', run.stdout, flags=re.S)
    assert found, f"no layout from Chromium (exit {run.returncode}): {run.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it: apt-get install chromium)")
def test_the_pages_render_their_formulas_in_chromium(tmp_path, files):
    write_reports(str(tmp_path), files)
    index = _layout_in_chromium(tmp_path / "index.html", tmp_path / "profile")
    assert index["errors"] == 0
    page = _layout_in_chromium(tmp_path / "smooth-abs.html", tmp_path / "profile")
    assert page["errors"] == 0
    assert len(page["math"]) > 20
    assert all(w > 0 and h > 0 for w, h, _, _ in page["math"]), page["math"]
    # laid out as mathematics, not as inline text: every numerator sits above its denominator
    assert page["fractions"]
    assert all(num[3] <= den[2] + 1 for num, den in page["fractions"]), page["fractions"]
    # the convergence plots of the substitute (5), integrate (6), drop-term and limit (7) steps
    assert len(page["plots"]) >= 4 and all(w > 300 and h > 150 for w, h, _, _ in page["plots"])
    assert "Latin Modern Math" in page["mathFont"]


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (CI installs texlive-latex-base texlive-latex-recommended)")
def test_the_tex_compiles_with_pdflatex(tmp_path, files):
    from smoothsym.render import compile_pdf

    write_reports(str(tmp_path), files)
    for name in ("smooth-abs.tex", "tricky.tex"):
        pdf = compile_pdf(str(tmp_path / name))
        assert Path(pdf).read_bytes().startswith(b"%PDF")
    first = Path(pdf).read_bytes()
    assert Path(compile_pdf(str(tmp_path / "tricky.tex"))).read_bytes() == first  # no date, no /ID
