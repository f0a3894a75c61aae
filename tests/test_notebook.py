"""In a Jupyter notebook: a derivation, its verified result and one step's verdict displayed inline.

What a notebook shows is what IPython's display machinery asks for (``DisplayFormatter``: the
mime bundle of ``_repr_html_`` and ``_repr_latex_``), and, end to end, what a notebook run by
nbclient in a fresh kernel holds in its outputs.
"""

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import smoothsym
from smoothsym.errors import DerivationError, LoadError
from smoothsym.render import render_pages
from smoothsym.settings import PROFILES

IPython_formatters = pytest.importorskip("IPython.core.formatters", reason="IPython is in the test extra")

ROOT = Path(__file__).resolve().parent.parent
SOFTPLUS = ROOT / "derivations" / "softplus.py"  # 15 steps, a limit with a plot, proved and checked claims
MAX_FROM_ABS = ROOT / "derivations" / "max_from_abs.py"  # step 4: refuted as stated, with a counterexample


def bundle(obj) -> dict:
    """The mime bundle a notebook receives for ``obj``."""
    data, _ = IPython_formatters.DisplayFormatter().format(obj)
    return data


def prose(page: str) -> str:
    """The words of an HTML display: no formula (MathML), plot (SVG) or stylesheet, no tags."""
    for element in ("math", "svg", "style"):
        page = re.sub(rf"<{element}\b.*?</{element}>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def softplus():
    return smoothsym.load(SOFTPLUS)


@pytest.fixture(scope="module")
def softplus_result(softplus):
    return softplus.verify(cache=False)


def test_a_derivation_file_loads_by_its_path_and_bad_paths_are_named(tmp_path):
    derivation = smoothsym.load(SOFTPLUS)
    assert (derivation.name, len(derivation.steps)) == ("softplus", 15)
    with pytest.raises(LoadError, match="no such file or directory: .*missing.py"):
        smoothsym.load(tmp_path / "missing.py")
    broken = tmp_path / "broken.py"
    broken.write_text("from smoothsym import Derivation\n\nraise ValueError('line three')\n")
    with pytest.raises(LoadError) as error:
        smoothsym.load(broken)
    assert (Path(error.value.file).name, error.value.line) == ("broken.py", 3)


def test_a_derivation_displays_its_steps_as_the_report_does_each_claim_not_verified(softplus):
    data = bundle(softplus)
    page = data["text/html"]
    assert page.startswith('<div class="smoothsym-notebook">')
    assert page.count('<section class="step"') == 15
    assert "<math" in page and "softplus, the smooth ReLU, and its positive gradient" in page
    assert "LogSumExp of two variables" in page  # a step's why=
    words = prose(page)
    # the 9 claims say so, the 6 given steps are stated; no verdict is shown that was not computed
    assert "not verified 9 claims not verified yet" in words  # the header
    assert words.count("not verified") == 2 + 9 * 2  # and each claim's badge and box
    assert not re.search(r"\b(proved|checked|refuted)\b", words.replace("not verified", ""))
    latex = data["text/latex"]
    assert latex.startswith("$$\\begin{aligned}") and latex.rstrip().endswith("\\end{aligned}$$")
    assert latex.count("\\text{not verified}") == 9 and latex.count("\\text{given}") == 6


def test_a_verified_derivation_displays_the_reports_page_body(softplus_result):
    page = bundle(softplus_result)["text/html"]
    report = render_pages([softplus_result], PROFILES["default"], index=False)[0]["softplus.html"]
    body = report[report.index("<body>") + len("<body>"):report.index("<footer")]
    body = body.replace('<p class="muted"><a href="index.html">All derivations</a></p>\n', "")
    assert body.strip() in page  # the report's own page, verdicts, evidence and plots, byte for byte
    assert 'href="index.html"' not in page  # no index beside a notebook
    assert page.count('<svg class="plot"') == 2  # the two limits' convergence plots, inline
    words = prose(page)
    assert "checked" in words and "proved" in words and "not verified" not in words
    assert re.search(r"agrees at \d+ points to 50 digits", words)  # a numeric check's points and digits


def test_its_css_restyles_nothing_outside_its_box_and_nothing_is_fetched(softplus, softplus_result):
    for page in (bundle(softplus)["text/html"], bundle(softplus_result)["text/html"]):
        (css,) = re.findall(r'<div class="smoothsym-notebook">\n<style>(.*?)</style>', page, flags=re.S)
        rules = re.findall(r"([^{}]+)\{[^{}]*\}", css)
        assert len(rules) > 20
        for selectors in rules:
            for selector in selectors.split(","):
                assert selector.strip().startswith(".smoothsym-notebook"), selector
        # the plots' own style is confined to them; no script, stylesheet, font or image is loaded
        assert re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.S)[1:] in ([], ["svg.plot *{stroke-linejoin: round; stroke-linecap: butt}"] * 2)
        assert not re.search(r"<script|<link|<img|<iframe|@import|url\((?!#)|src=", page)  # url(#clip): the plot's own


def test_the_latex_display_compiles(softplus, softplus_result, tmp_path):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    step = softplus_result.steps[2]
    parts = [bundle(obj)["text/latex"] for obj in (softplus, softplus_result, step)]
    document = tmp_path / "cells.tex"
    document.write_text("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
                        + "\n".join(parts) + "\n\\end{document}\n")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", document.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "\\lim_{k \\to \\infty}" in parts[2] and "\\text{proved}" in parts[2]


def test_the_prose_holds_no_raw_tex(softplus_result):
    words = prose(bundle(softplus_result)["text/html"])
    for raw in ("\\frac", "lim_(", "^{", "_{", "->oo"):
        assert raw not in words, raw


def test_a_cell_verifies_one_step_and_shows_its_verdict(softplus):
    result = softplus.verify_step(3, cache=False)
    assert (result.number, result.verdict.status.value, result.cached) == (3, "proved", False)
    data = bundle(result)
    words = prose(data["text/html"])
    assert "3. max(x, 0) = lim (1/k) ln(1 +" in words  # its number and label, the label's e^{kx} typeset:
    assert re.search(r"ln\(1 \+ <math[^>]*>.*?<msup>", data["text/html"])
    assert "proved by sympy" in words  # the badge and the method
    assert re.search(r"followed at \d+ points along <math><mi>k</mi></math> = 10, 100,", data["text/html"])  # the evidence
    assert "at 50 digits" in words and '<svg class="plot"' in data["text/html"]
    assert "<math" in data["text/html"]  # the claim
    assert "\\text{proved}" in data["text/latex"]


def test_a_refuted_step_shows_its_counterexample():
    result = smoothsym.load(MAX_FROM_ABS).verify_step(4, cache=False)
    assert result.outcome == "refuted as stated (expected)"
    words = prose(bundle(result)["text/html"])
    assert "refuted as stated (expected)" in words
    assert "Counterexample (the claim fails as stated, as expected)" in words
    assert "certified by ball arithmetic" in words and re.search(r"seed \d+", words)
    assert "reproduce:" in words


def test_a_verdict_alone_shows_its_status_method_and_evidence():
    result = smoothsym.load(MAX_FROM_ABS).verify_step(4, cache=False)
    words = prose(bundle(result.verdict)["text/html"])
    # on its own a verdict knows no expected refutation: it says what was found
    assert words.startswith("refuted by certified counterexample")
    assert "Counterexample : previous = claim fails at" in words and "certified by ball arithmetic" in words
    assert "reproduce:" in words


def test_a_file_that_did_not_load_displays_its_error(tmp_path):
    from smoothsym.loader import discover
    from smoothsym.runner import failed_load

    broken = tmp_path / "broken.py"
    broken.write_text("from smoothsym import Derivation\n\nraise ValueError('line three')\n")
    (error,) = discover([str(broken)]).errors
    page = bundle(failed_load(error))["text/html"]
    words = prose(page)
    assert "This derivation could not be loaded:" in words and "broken.py:3" in words and "line three" in words
    assert '<span class="badge error">error</span>' in page


def test_one_step_is_read_from_the_cache_once_the_whole_derivation_is_stored(softplus):
    whole = softplus.verify()
    cached = softplus.verify_step(7)
    assert cached.cached and cached.verdict == whole.steps[6].verdict
    assert "read from the verification cache" in prose(bundle(cached)["text/html"])
    again = softplus.verify_step(7, cache=False)
    assert not again.cached and again.verdict.status == whole.steps[6].verdict.status
    assert "verification cache" not in prose(bundle(again)["text/html"])


def test_settings_are_a_profile_by_name_and_an_unknown_one_is_named(softplus):
    fast, default = (softplus.verify_step(5, settings=name, cache=False) for name in ("fast", "default"))
    assert fast.verdict.status.value == default.verdict.status.value == "proved"
    # the fast profile draws 4 random points fewer (20 for 24), on top of the same edge points
    assert default.verdict.evidence[0].points - fast.verdict.evidence[0].points == PROFILES["default"].points - PROFILES["fast"].points == 4
    with pytest.raises(smoothsym.SmoothsymError, match="no settings profile named 'quick'; the profiles are default, fast, thorough"):
        softplus.verify(settings="quick")


@pytest.mark.parametrize("number", [0, 16, "3", True])
def test_a_step_that_does_not_exist_is_named(softplus, number):
    with pytest.raises(DerivationError, match=r"verify_step\(.*\): there is no such step; the steps are numbered 1 to 15") as error:
        softplus.verify_step(number)
    assert Path(error.value.file).name == "softplus.py" and error.value.line


def test_a_notebook_run_in_a_fresh_kernel_shows_the_displays(tmp_path, monkeypatch):
    """A notebook as a researcher writes it, executed by nbclient in a kernel of this interpreter
    (ipykernel's spec written to a temporary folder: nothing installed by hand, nothing of the
    user's Jupyter set-up used)."""
    nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra")
    kernelspec = pytest.importorskip("ipykernel.kernelspec", reason="ipykernel is in the test extra")
    kernels = tmp_path / "jupyter" / "kernels"
    kernelspec.write_kernel_spec(kernels / "smoothsym-test")
    for variable, folder in (("JUPYTER_PATH", tmp_path / "jupyter"), ("JUPYTER_RUNTIME_DIR", tmp_path / "runtime"),
                             ("IPYTHONDIR", tmp_path / "ipython")):
        monkeypatch.setenv(variable, str(folder))
    # the kernel imports this checkout (as an editable install would)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    cells = [
        "import smoothsym",
        "derivation = smoothsym.load(\"derivations/softplus.py\")",  # a notebook beside the catalog
        "derivation",
        "step = derivation.verify_step(3)",
        "step",
        # a derivation written in the notebook itself, verified whole
        "from sympy import Symbol, exp, tanh\n"
        "from smoothsym import Derivation, Given, Rewrite\n"
        "x = Symbol('x', real=True)\n"
        "mine = Derivation(name='tanh-in-a-cell', title='tanh in a cell', symbols=(x,), steps=[\n"
        "    Given(tanh(x)), Rewrite((exp(2 * x) - 1) / (exp(2 * x) + 1), why='multiply by e^x')])\n"
        "mine.verify()",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    client = nbclient.NotebookClient(notebook, kernel_name="smoothsym-test", timeout=300,
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = [cell.outputs for cell in notebook.cells]
    assert [len(o) for o in outputs] == [0, 0, 1, 0, 1, 1], outputs
    shown_derivation, shown_step = outputs[2][0], outputs[4][0]
    assert shown_derivation.output_type == shown_step.output_type == "execute_result"
    assert shown_derivation.data["text/html"] == bundle(smoothsym.load(SOFTPLUS))["text/html"]
    step = shown_step.data["text/html"]
    assert step.startswith('<div class="smoothsym-notebook">') and "<math" in step
    assert "proved by sympy" in prose(step) and '<svg class="plot"' in step
    assert "\\text{proved}" in shown_step.data["text/latex"]
    mine = prose(outputs[5][0].data["text/html"])
    assert "tanh in a cell" in mine and "2. rewrite rewrite" in mine and "multiply by e^x" in mine
    assert re.search(r"verdict (proved|checked) [01] proved, [01] checked numerically only", mine), mine  # which: SymPy's
