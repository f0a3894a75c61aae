"""The convergence plots as a reader sees them (issue 13): the axes suit the rate (log-log for a
power of k, log10 |error| on a linear axis for an exponential one), every series is there and
told apart from the others, the x axis names the limit's own variable, errors far below a float
(1e-435) are placed, and the SVG and the PDF figure are byte-identical from run to run; the .tex
includes the PDF figure and compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp

from smoothsym import Derivation, Given, Limit
from smoothsym.plots import FIGURE_NAME, comparison_plot, convergence_plot, forget_drawn, pdf, svg
from smoothsym.render import render_reports, write_reports
from smoothsym.runner import verify
from smoothsym.settings import PROFILES
from smoothsym.verdict import ConvergenceEvidence, ConvergencePath

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
KS = ("10", "100", "1000", "10000")


def evidence(*paths, variable="k"):
    return ConvergenceEvidence("lim_{k->oo} f = g", variable, tuple(paths), 50, "always >= 0", paths[0].rate)


def power_path(point, c="0.693"):
    errors = tuple(f"{c}e-{i + 1}" for i in range(len(KS)))
    return ConvergencePath(point, KS, errors, f"~ {c} k^-1.00", True)


# e^(-k) at k = 10, 100, 1000: 4.5e-5, 3.7e-44, 5.1e-435 (far below a float), then below the resolution
EXPONENTIAL = ConvergencePath({"x": "1"}, KS, ("4.54e-5", "3.72e-44", "5.08e-435", "<1.0e-950"),
                              "~ c e^(-1.0 k) (exponential)", True)


def lines(svg_text: str) -> dict[int, dict]:
    """Each drawn series of an SVG: its line's stroke and dashes, its marker's shape, its points."""
    root = ET.fromstring(svg_text)
    markers = {e.get("id"): e.get("d") for e in root.iter(f"{SVG}path") if e.get("id")}
    found = {}
    for group in root.iter(f"{SVG}g"):
        match = re.fullmatch(r"plot-[0-9a-f]{16}-series-(\d+)", group.get("id") or "")
        if not match:
            continue
        line = group.find(f"{SVG}path")
        style = dict(part.strip().split(": ") for part in line.get("style").split(";") if part.strip())
        uses = list(group.iter(f"{SVG}use"))
        found[int(match.group(1))] = {
            "stroke": style["stroke"],
            "dashes": style.get("stroke-dasharray", "solid"),
            "marker": markers[uses[0].get(XLINK).lstrip("#")],
            "fill": uses[0].get("style"),
            "points": len(uses),
        }
    return found


def texts(svg_text: str) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(svg_text).iter(f"{SVG}text")]


def mathtexts(svg_text: str) -> list[str]:
    """The source of each text matplotlib drew as mathtext (it keeps it in a comment beside the glyphs)."""
    return re.findall(r"<!-- (.*?) -->", svg_text)


def test_a_power_rate_is_drawn_on_log_log_axes():
    plot = convergence_plot(evidence(power_path({"x": "0"})))
    assert not plot.semilog
    drawn = svg(plot)
    assert "|error| (log scale)" in texts(drawn) and "k (log scale)" in texts(drawn)
    assert lines(drawn)[0]["points"] == len(KS)


def test_an_exponential_rate_is_drawn_as_log10_error_on_a_linear_axis_with_its_tiny_errors_placed():
    plot = convergence_plot(evidence(EXPONENTIAL))
    assert plot.semilog and plot.ylabel == "log10 |error|"
    # 5.08e-435 is log10 -434.29 (computed with mpmath: as a float it would be 0 and lost)
    assert plot.series[0].logs[:3] == pytest.approx((-4.343, -43.429, -434.294), abs=1e-3)
    assert plot.series[0].logs[3] is None
    drawn = svg(plot)
    assert "log10 |error|" in texts(drawn)
    assert lines(drawn)[0]["points"] == 3  # the three resolved errors, none lost below a floor
    ticks = [float(t) for t in texts(drawn) if re.fullmatch(r"-?\d+", t)]
    assert min(ticks) <= -400  # the axis reaches down to the 1e-435 point
    assert "-below-0" in drawn  # the error below the resolution is drawn too, as such


def test_identical_series_are_each_drawn_and_told_apart():
    # five points with the same error: each series must still be there and look different
    plot = convergence_plot(evidence(*(power_path({"x": str(i)}) for i in range(5))))
    drawn = lines(svg(plot))
    assert sorted(drawn) == [0, 1, 2, 3, 4]
    assert len({s["stroke"] for s in drawn.values()}) == 5
    assert len({s["marker"] for s in drawn.values()}) == 5
    assert drawn[0]["dashes"] == "solid" and len({drawn[i]["dashes"] for i in (1, 2, 3)} - {"solid"}) == 3  # stacked lines interleave
    assert all(s["points"] == len(KS) for s in drawn.values())
    legend = mathtexts(svg(plot))
    assert all(f"${'x'} = {i}$: $\\sim 0.693\\,k^{{-1.00}}$" in legend for i in range(5)), legend


def test_compared_limits_differ_in_colour_per_limit_and_dash_per_point_and_show_their_constants():
    # the plot picks two shared points: the slowest, and the slowest that is not a tie x = y
    at = [{"x": "-1", "y": "2"}, {"x": "0", "y": "0"}, {"x": "1", "y": "3"}]
    entries = [(label, evidence(*(power_path(point, c) for point in at)))
               for label, c in (("(11)", "0.693"), ("(13)", "0.347"), ("(14)", "0.527"))]
    plot = comparison_plot(entries, "the limits compared")
    drawn = lines(svg(plot))
    assert len(drawn) == 6
    triples = {(s["stroke"], s["dashes"], s["marker"]) for s in drawn.values()}
    assert len(triples) == 6
    assert len({s["stroke"] for s in drawn.values()}) == 3  # a colour per limit
    assert [s["dashes"] == "solid" for _, s in sorted(drawn.items())] == [True] * 3 + [False] * 3  # a dash per point
    # one power of k for all: a second panel of |error| k, which tends to 0.693, 0.347 and 0.527
    assert plot.scaled_power == 1.0
    assert len(re.findall(r'id="plot-[0-9a-f]{16}-scaled-\d"', svg(plot))) == 6


def test_the_fitted_rate_is_drawn_over_the_points_it_was_read_from():
    plot = convergence_plot(evidence(power_path({"x": "0"})))
    (x1, y1), (x2, y2) = plot.series[0].fit
    assert (x1, x2) == (1.0, 4.0)  # the last four resolved points, k = 10 to 10^4
    assert y1 == pytest.approx(-1.159, abs=1e-3) and y2 == pytest.approx(-4.159, abs=1e-3)  # 0.693 k^-1
    assert '-fit-0"' in svg(plot)


def test_two_plots_on_one_page_share_no_element_id():
    first, second = (svg(convergence_plot(evidence(power_path({"x": point})))) for point in ("0", "1"))
    ids = [re.findall(r' id="([^"]+)"', text) for text in (first, second)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    assert all(len(set(i)) == len(i) for i in ids)


def test_two_renders_are_byte_identical_also_in_another_process():
    plot = comparison_plot([("(a)", evidence(power_path({"x": "0"}))), ("(b)", evidence(EXPONENTIAL))], "compared")
    first = svg(plot), pdf(plot)
    forget_drawn()  # drawn again, not remembered
    assert (svg(plot), pdf(plot)) == first
    assert b"CreationDate" not in pdf(plot) and "<dc:date>" not in svg(plot)
    script = (
        "import hashlib, sys\n"
        "sys.path.insert(0, %r)\n"
        "from tests.test_plots import evidence, power_path, EXPONENTIAL\n"
        "from smoothsym.plots import comparison_plot, svg, pdf\n"
        "plot = comparison_plot([('(a)', evidence(power_path({'x': '0'}))), ('(b)', evidence(EXPONENTIAL))], 'compared')\n"
        "print(hashlib.sha256(svg(plot).encode()).hexdigest(), hashlib.sha256(pdf(plot)).hexdigest())\n"
    ) % str(Path(__file__).resolve().parents[1])
    import hashlib

    here = f"{hashlib.sha256(svg(plot).encode()).hexdigest()} {hashlib.sha256(pdf(plot)).hexdigest()}"
    there = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                           env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"})
    assert there.returncode == 0, there.stderr
    assert there.stdout.strip() == here



def test_a_pdf_figure_embeds_kept_font_subsets_byte_for_byte_as_matplotlib_alone(monkeypatch):
    """The font subsets of PDF figures are cut once per glyph set and read back after: the bytes
    are matplotlib's own, and its function is restored after each figure."""
    import contextlib

    from matplotlib.backends import _backend_pdf_ps

    import smoothsym.plots as plots

    plot = comparison_plot([("(a)", evidence(power_path({"x": "0"}))), ("(b)", evidence(EXPONENTIAL))], "subsets")
    forget_drawn()
    plots._SUBSETS.clear()
    cut = pdf(plot)  # the subsets cut by fontTools
    assert plots._SUBSETS
    forget_drawn()
    kept = pdf(plot)  # read back from their bytes
    forget_drawn()
    monkeypatch.setattr(plots, "_font_subsets_kept", contextlib.nullcontext)
    alone = pdf(plot)  # matplotlib alone
    assert cut == kept == alone
    assert _backend_pdf_ps.get_glyphs_subset.__module__ == "matplotlib.backends._backend_pdf_ps"

def test_a_plot_is_drawn_once_in_a_process_and_the_callers_rcparams_change_nothing(monkeypatch):
    """A page shown again (a notebook's display, the report after the check) does not draw its
    figures again; and what is drawn does not depend on the caller's matplotlib settings, so a
    remembered figure is the one a fresh process draws."""
    import matplotlib

    import smoothsym.plots as plots

    plot = comparison_plot([("(a)", evidence(power_path({"x": "0"}))), ("(b)", evidence(EXPONENTIAL))], "once")
    forget_drawn()
    drawn = []
    figure = plots._figure
    monkeypatch.setattr(plots, "_figure", lambda p: drawn.append(p.digest) or figure(p))
    first = svg(plot), pdf(plot)
    assert (svg(plot), pdf(plot)) == first and len(drawn) == 2  # one figure per format, then remembered
    forget_drawn()
    with matplotlib.rc_context({"lines.linewidth": 6, "font.size": 20, "axes.facecolor": "#ffe0e0",
                                "axes.prop_cycle": matplotlib.cycler(color=["#ff0000"]), "svg.fonttype": "path"}):
        assert (svg(plot), pdf(plot)) == first
    assert len(drawn) == 4


x = sp.Symbol("x", real=True)
t = sp.Symbol("t", positive=True)

# limits in variables not named k: one at a finite point, one at infinity
OWN_VARIABLES = Derivation(
    name="own-variables",
    title="Limits in their own variables",
    symbols=(x, t),
    source="(test)",
    steps=[
        Given(sp.sin(x) / x, label="(a)"),
        Limit(x, 1, to=0, label="(b)", why="sin x / x tends to 1 at 0"),
        Given(sp.log(1 + sp.exp(t * x)) / t, label="(c)"),
        Limit(t, sp.Max(x, 0), label="(d)", why="softplus tends to the ReLU"),
    ],
)


@pytest.fixture(scope="module")
def own_files():
    return render_reports([verify(OWN_VARIABLES, PROFILES["fast"])], PROFILES["fast"])


def test_the_x_axis_names_the_limits_own_variable(own_files):
    page = own_files["own-variables.html"]
    step = {n: page.split(f'<section class="step" id="step-{n}">')[1].split("</section>")[0] for n in (2, 4)}
    # at the finite point x -> 0 the plot is against the distance |x|, not the auxiliary u or k
    assert "|x| (log scale)" in step[2] and "k (log scale)" not in step[2]
    assert "t (log scale)" in step[4]
    # and so does the legend's rate: sin x / x - 1 ~ -x^2/6, not "k^-2" in the auxiliary variable
    figures = {n: mathtexts(re.search(r"<svg.*?</svg>", step[n], re.S).group(0)) for n in (2, 4)}
    assert any(r"\sim 0.167\,|x|^{2.00}" in text for text in figures[2]), figures[2]
    assert not any("k^" in text for text in figures[2] + figures[4])
    assert any(r"\sim 0.693\,t^{-1.00}" in text for text in figures[4]), figures[4]


def test_the_tex_includes_each_pdf_figure_and_compiles(own_files, tmp_path):
    tex = own_files["own-variables.tex"]
    included = re.findall(r"\\includegraphics\[[^]]*\]\{([^}]+)\}", tex)
    assert included and all(FIGURE_NAME.fullmatch(name) for name in included)
    assert all(own_files[name].startswith(b"%PDF") for name in included)
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    from smoothsym.render import compile_pdf

    write_reports(str(tmp_path), own_files)
    compiled = Path(compile_pdf(str(tmp_path / "own-variables.tex")))
    # the figure is in the PDF: pdflatex embeds each included PDF as a form XObject
    assert len(re.findall(rb"/Subtype\s*/Form", compiled.read_bytes())) >= len(set(included))


def test_figures_are_written_checked_and_removed_with_their_pages(own_files, tmp_path):
    from smoothsym.render import stale_reports

    out = str(tmp_path / "reports")
    write_reports(out, own_files)
    figures = sorted(name for name in own_files if FIGURE_NAME.fullmatch(name))
    assert figures and stale_reports(out, own_files) == []
    Path(out, figures[0]).write_bytes(b"%PDF-1.4 not this figure")
    Path(out, "plot+0123456789abcdef.pdf").write_bytes(b"%PDF-1.4 a figure no page includes any more")
    stale = stale_reports(out, own_files)
    assert f"{out}/{figures[0]} (differs)" in stale and f"{out}/plot+0123456789abcdef.pdf (no longer produced)" in stale
    Path(out, "own-variables.pdf").write_bytes(b"%PDF-1.4 the page, as --pdf compiled it")
    write_reports(out, own_files)  # regenerating rewrites the one and removes the other
    assert stale_reports(out, own_files) == [] and not Path(out, "plot+0123456789abcdef.pdf").exists()
    assert Path(out, "own-variables.pdf").exists()  # a page's compiled PDF is not taken for a stale figure
