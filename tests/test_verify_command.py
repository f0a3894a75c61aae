"""`smoothsym verify` and `smoothsym list`, as a user runs them."""

import json
import re
import subprocess
import sys

import pytest

from smoothsym.cli import main

SMOOTH_ABS = "derivations/smooth_abs.py"


def test_verify_prints_one_line_per_step_and_a_summary(capsys):
    assert main(["verify", SMOOTH_ABS]) == 0
    lines = capsys.readouterr().out.splitlines()
    steps = [line for line in lines if line.startswith("smooth-abs")]
    assert len(steps) == 10
    number, kind, verdict, seconds, label = steps[5].split()[1:6]
    assert (number, kind, verdict, label) == ("6", "integrate", "proved", "(6)")
    assert seconds.endswith("s") and float(seconds[:-1]) >= 0  # the time it took
    assert "[sympy: " in steps[5]  # the method, last
    assert lines[-1].startswith("1 derivations, 10 steps: ") and "0 failing" in lines[-1]


def test_json_holds_every_verdict_with_its_evidence(tmp_path, capsys):
    out = tmp_path / "verdicts.json"
    assert main(["verify", SMOOTH_ABS, "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    (derivation,) = data["derivations"]
    assert derivation["name"] == "smooth-abs" and derivation["status"] in ("proved", "checked")
    limit = derivation["steps"][-1]
    assert limit["kind"] == "limit" and limit["label"] == "(7)"
    (evidence,) = limit["evidence"]
    assert evidence["type"] == "ConvergenceEvidence"
    assert evidence["paths"][0]["ks"][:6] == ["10", "100", "1000", "10000", "100000", "1000000"]
    assert evidence["paths"][0]["ks"][-1] == str(10**64)
    assert data["settings"]["digits"] == 50
    assert not list(tmp_path.glob(".tmp-*"))  # written through a temporary file, none left


def test_a_refutation_fails_the_run_and_shows_the_counterexample(tmp_path, capsys):
    broken = tmp_path / "wrong.py"
    broken.write_text(
        "from sympy import Symbol, Max, Abs\n"
        "from smoothsym import Derivation, Given, Rewrite\n"
        "x = Symbol('x', real=True); y = Symbol('y', real=True)\n"
        "derivation = Derivation(name='wrong', title='(1) on all reals', symbols=(x, y),\n"
        "    steps=[Given(Max(x, y)), Rewrite((Abs(x + y) + Abs(x - y))/2, label='(1)')])\n"
    )
    assert main(["verify", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "refuted" in out and "counterexample: previous = claim fails at x = " in out
    assert "reproduce: python -c" in out
    assert "FAILED wrong" in out and "step 2 (1) refuted" in out


def test_strict_also_fails_on_numeric_only_steps(capsys):
    assert main(["verify", "tests/fixtures/cases/checked_arctan.py"]) == 0
    assert main(["verify", "tests/fixtures/cases/checked_arctan.py", "--strict"]) == 1
    assert "failing (strict)" in capsys.readouterr().out


def test_list_names_each_derivation(capsys):
    assert main(["list", SMOOTH_ABS]) == 0
    out = capsys.readouterr().out
    assert out.startswith("smooth-abs") and "(2)-(7)" in out and "10 steps" in out


def test_the_console_script_runs_the_catalog():
    """The installed command, on the default catalog folder, as the README says."""
    done = subprocess.run(
        [sys.executable, "-m", "smoothsym.cli", "verify", "--only", "smooth-abs"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smooth-abs" in done.stdout


def test_jobs_keep_the_catalog_order_and_the_verdicts(capsys):
    paths = ["derivations/smooth_abs.py", "tests/fixtures/cases/checked_arctan.py"]
    assert main(["verify", *paths]) == 0
    one = capsys.readouterr().out.splitlines()
    assert main(["verify", *paths, "-j", "2"]) == 0
    two = capsys.readouterr().out.splitlines()

    def without_times(lines):
        return [line.split()[:4] + line.split()[5:] for line in lines[:-1]]

    assert without_times(one) == without_times(two) and len(one) == 13


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crashed_worker_is_an_error_for_its_step_only(capsys, jobs):
    paths = ["tests/fixtures/crash/dies_midway.py", "tests/fixtures/cases/checked_arctan.py"]
    assert main(["verify", *paths, "-j", jobs, "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"dies-midway +1 given +given", out)  # the step before it keeps its verdict
    assert re.search(r"dies-midway +2 generalise +error", out)
    assert "the process checking it ended without a verdict (exit code 9)" in out
    assert re.search(r"arctan-complement .* checked", out)  # the other derivation still ran
    assert "FAILED dies-midway (tests/fixtures/crash/dies_midway.py): step 2 sum error" in out


def test_progress_shows_on_a_terminal_only():
    """A rich progress line on a terminal, erased at the end; nothing at all in a pipe or a CI
    log, even where FORCE_COLOR makes rich treat the stream as a terminal."""
    import io

    from rich.console import Console

    from smoothsym.cli import Progress, console

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    progress = Progress(3, console(screen))
    progress.update(1, "smooth-abs")
    progress.stop()
    assert "verified smooth-abs" in screen.getvalue() and "1/3" in screen.getvalue()

    log = io.StringIO()  # a CI log: not a terminal, plain lines only
    forced = Console(file=log, force_terminal=True)  # what FORCE_COLOR=1 does: colours, but no progress line
    assert forced.is_terminal
    quiet = Progress(3, forced)
    quiet.update(1, "smooth-abs")
    quiet.stop()
    assert log.getvalue() == ""


# -- prose: a title's, a label's and a justification's $...$ is TeX, printed as text ---------------

PROSE = r'''from sympy import Symbol, exp
from smoothsym import Derivation, Differentiate, Given, Rewrite

a = Symbol("a", real=True)
derivation = Derivation(
    name="sigmoid-prose",
    title=r"The sigmoid's derivative, $\frac{d\sigma}{da} = \sigma(a)(1 - \sigma(a))$",
    symbols=(a,),
    steps=[
        Given(1 / (1 + exp(-a)), label=r"(1) $\sigma(a)$", why=r"the logistic function $\frac{1}{1 + e^{-a}}$"),
        Differentiate(a, exp(-a) / (1 + exp(-a))**2, label=r"(2) $\sigma'(a) \ge 0$", why=r"the chain rule, $e^{-a} > 0$"),
        Rewrite(2 / (1 + exp(-a)), label=r"(3) $2\sigma(a)$", why=r"wrong: $\sigma'(0) = \frac{1}{4}$",
                expect_refuted=r"at $a = 0$ it is $\frac{1}{4} \ne 1$"),
        Given(1 / (1 + exp(-a)), label="(4) recipe: g^{-1} when a >= 0"),
        Rewrite(3 / (1 + exp(-a)), label=r"(5) $3\sigma(a)$"),
    ],
)
'''
RAW_TEX = re.compile(r"\$|\\|\^\{|_\{|->|>=|<=")  # what a reader of plain text should never see


def test_prose_math_is_printed_as_text_on_the_terminal(tmp_path, capsys):
    path = tmp_path / "sigmoid_prose.py"
    path.write_text(PROSE)
    assert main(["verify", str(path), "-v", "--no-cache"]) == 1  # step 5 is wrong
    out = capsys.readouterr().out
    shown = [line for line in out.splitlines() if not line.lstrip().startswith("reproduce:")]  # python code
    assert [line for line in shown if RAW_TEX.search(line)] == []
    steps = [line for line in shown if line.startswith("sigmoid-prose")]
    assert "  (1) σ(a)  [" in steps[0] and "  (2) σ′(a) ≥ 0  [" in steps[1] and "  (3) 2σ(a)  [" in steps[2]
    assert "  (4) recipe: g⁻¹ when a ≥ 0  [" in steps[3]  # a label's words read as the page reads them
    assert "      expected: at a = 0 it is 1/4 ≠ 1" in shown
    assert "FAILED sigmoid-prose" in out and "step 5 (5) 3σ(a) refuted" in out
    assert main(["list", str(path)]) == 0
    listed = capsys.readouterr().out
    assert listed.rstrip().endswith("The sigmoid's derivative, dσ/da = σ(a)(1 − σ(a))") and "$" not in listed


def test_json_carries_the_prose_as_written_and_as_text(tmp_path, capsys):
    path = tmp_path / "sigmoid_prose.py"
    path.write_text(PROSE)
    out = tmp_path / "verdicts.json"
    main(["verify", str(path), "--no-cache", "--json", str(out)])
    (derivation,) = json.loads(out.read_text())["derivations"]
    assert derivation["title"] == r"The sigmoid's derivative, $\frac{d\sigma}{da} = \sigma(a)(1 - \sigma(a))$"
    assert derivation["title_text"] == "The sigmoid's derivative, dσ/da = σ(a)(1 − σ(a))"
    first, second, third = derivation["steps"][:3]
    assert (first["label"], first["label_text"]) == (r"(1) $\sigma(a)$", "(1) σ(a)")
    assert (first["why"], first["why_text"]) == (r"the logistic function $\frac{1}{1 + e^{-a}}$", "the logistic function 1/(1 + e⁻ᵃ)")
    assert second["why_text"] == "the chain rule, e⁻ᵃ > 0"
    assert third["expected_refutation"] == r"at $a = 0$ it is $\frac{1}{4} \ne 1$"
    assert third["expected_refutation_text"] == "at a = 0 it is 1/4 ≠ 1"
    assert derivation["steps"][4]["expected_refutation_text"] is None
    assert not any(RAW_TEX.search(step[key]) for step in derivation["steps"] for key in ("label_text", "why_text"))


@pytest.mark.parametrize("why, says", [
    (r"the chain rule, $e^{-a} > 0", "the step's why 'the chain rule, $e^{-a} > 0' has an unbalanced '$'"),
    (r"the chain rule, $\input{x}$", "the step's why: the formula $\\input{x}$ uses \\input, which is not a math command"),
])
def test_a_malformed_formula_is_a_load_error_naming_file_line_and_step(tmp_path, capsys, why, says):
    path = tmp_path / "sigmoid_prose.py"
    path.write_text(PROSE.replace(r'why=r"the chain rule, $e^{-a} > 0$"', f'why=r"{why}"'))
    assert main(["verify", str(path), "--no-cache"]) == 1
    (error,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("ERROR ")]
    # where, with the step's label as text; what, with the formula as written
    assert f"sigmoid_prose.py:11, derivation 'sigmoid-prose', step 2 (2) σ′(a) ≥ 0: {says}" in error


def test_no_prose_of_the_catalog_prints_tex_as_text():
    """Every title, label, why and expected refutation of the catalog, as the terminal prints it."""
    from smoothsym.loader import discover
    from smoothsym.prose import plain

    catalog = discover(["derivations"])
    assert not catalog.errors
    shown = [(d.name, plain(d.title)) for d in catalog.derivations]
    shown += [(d.name, plain(text, label=what == "label")) for d in catalog.derivations for s in d.steps
              for what, text in (("label", s.label), ("why", s.why), ("expect_refuted", s.expect_refuted))]
    assert [(name, text) for name, text in shown if RAW_TEX.search(text)] == []
