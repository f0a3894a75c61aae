"""The command line's conventions, as a user runs it (pytest / ruff style): --version, -h, -q / -v,
-x, -k, the cached marker, colour on a terminal only (NO_COLOR, FORCE_COLOR), --json -, arguments
checked before any work, aligned `list` output, and no progress line in piped output.

Every run is a fresh `python -m smoothsym.cli` with its output piped, as in CI; the cache is a
folder (and signing key) of the test's own."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import smoothsym

ROOT = Path(__file__).resolve().parent.parent
SMOOTH_ABS = "derivations/smooth_abs.py"
ARCTAN = "tests/fixtures/cases/checked_arctan.py"
ESCAPE = "\x1b["

WRONG = (
    "from sympy import Symbol, Max, Abs\n"
    "from smoothsym import Derivation, Given, Rewrite\n"
    "x = Symbol('x', real=True); y = Symbol('y', real=True)\n"
    "derivation = Derivation(name='wrong', title='(1) on all reals', symbols=(x, y),\n"
    "    steps=[Given(Max(x, y), label='(0)'), Rewrite((Abs(x + y) + Abs(x - y))/2, label='(1)')])\n"
)

# A derivation that leaves a file beside itself when it is imported: a run that checked its
# arguments first never imports it.
NOTICED = (
    "import pathlib\n"
    "pathlib.Path(__file__).with_name('imported').write_text('imported')\n"
    "from sympy import Symbol\n"
    "from smoothsym import Derivation, Given, Rewrite\n"
    "x = Symbol('x', real=True)\n"
    "derivation = Derivation(name='noticed', title='t', symbols=(x,),\n"
    "    steps=[Given(x**2 - 1), Rewrite((x - 1)*(x + 1), export='noticed_square')])\n"
)


@pytest.fixture
def run(tmp_path):
    """``run(*arguments, **environment)``: (exit status, stdout, stderr) of the command, with
    NO_COLOR and FORCE_COLOR unset unless given, and a cache of this test's own."""
    def run(*arguments, **environment):
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        env.update(SMOOTHSYM_CACHE_DIR=str(tmp_path / "cache"), SMOOTHSYM_CACHE_SECRET=str(tmp_path / "cache-key"))
        env.update(environment)
        done = subprocess.run([sys.executable, "-m", "smoothsym.cli", *map(str, arguments)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        return done.returncode, done.stdout, done.stderr
    return run


def steps_shown(out: str, name: str = "smooth-abs") -> list[int]:
    return [int(line.split()[1]) for line in out.splitlines() if line.startswith(name + " ")]


# -- --version and -h ------------------------------------------------------------------------------

def test_version_names_the_package_version(run):
    assert run("--version")[:2] == (0, f"smoothsym {smoothsym.__version__}\n")


@pytest.mark.parametrize("command", ["verify", "report", "export", "new", "list"])
def test_h_is_help_for_every_command(run, command):
    code, out, _ = run(command, "-h")
    assert code == 0 and out.startswith(f"Usage: smoothsym {command} ")


def test_verify_help_lists_the_conventions(run):
    out = run("verify", "--help")[1]
    for option in ("-k EXPRESSION", "-x, --exitfirst", "-q, --quiet", "-v, --verbose", "--json FILE", "-j, --jobs N"):
        assert option in out


# -- arguments checked before any work --------------------------------------------------------------

@pytest.mark.parametrize("arguments, message", [
    (["verify", "-j", "0"], "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1."),
    (["verify", "--jobs", "-2"], "Invalid value for '-j' / '--jobs': -2 is not in the range x>=1."),
    (["report", "-j", "0"], "Invalid value for '-j' / '--jobs': 0 is not in the range x>=1."),
    (["verify", "--time-limit", "-1"], "Invalid value for '--time-limit': -1.0 is not in the range x>0."),
    (["verify", "--time-limit", "0"], "Invalid value for '--time-limit': 0.0 is not in the range x>0."),
    (["verify", "--wall-limit", "0"], "Invalid value for '--wall-limit': 0.0 is not in the range x>0."),
    (["verify", "--digits", "5"], "Invalid value for '--digits': 5 is not in the range x>=16."),
    (["verify", "--profile", "quick"], "Invalid value for '--profile': 'quick' is not one of"),
    (["verify", "-k", "smooth and"], "-k 'smooth and': a word is missing at the end"),
    (["verify", "-k", "(smooth"], "-k '(smooth': a ')' is missing at the end"),
    (["verify", "-q", "-v"], "-q and -v cannot be used together"),
    (["verify", "--no-such-option"], "No such option '--no-such-option'"),
    (["export", "--target", "fortran", "-o", "out.py"], "unknown target 'fortran'; choose one of numpy, math, mpmath, torch, jax"),
    (["export", "--target", "numpy"], "Missing option '-o' / '--output'"),
    (["new", "not a name"], "'not a name' cannot name a module; use letters, digits, - and _"),
])
def test_a_bad_argument_is_a_usage_error_before_any_file_is_imported(run, tmp_path, arguments, message):
    (tmp_path / "noticed.py").write_text(NOTICED)
    paths = [] if arguments[0] == "new" else [tmp_path / "noticed.py"]
    code, out, err = run(*arguments, *paths)
    assert code == 2, out + err
    assert out == "" and err.startswith("smoothsym: error: ") and len(err.splitlines()) == 1, err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "imported").exists()  # no verification ran: the file was never imported


def test_the_file_is_imported_when_the_arguments_are_right(run, tmp_path):
    """The control of the test above: the marker does show a run."""
    (tmp_path / "noticed.py").write_text(NOTICED)
    code, out, err = run("verify", tmp_path / "noticed.py", "--no-cache", "-j", "1")
    assert code == 0, out + err
    assert (tmp_path / "imported").exists()


def test_a_missing_path_is_a_usage_error_before_the_others_are_imported(run, tmp_path):
    (tmp_path / "noticed.py").write_text(NOTICED)
    code, out, err = run("verify", tmp_path / "noticed.py", "no/such/dir")
    assert code == 2 and out == ""
    assert err == "smoothsym: error: no such file or directory: no/such/dir (see smoothsym verify -h)\n"
    assert not (tmp_path / "imported").exists()


@pytest.mark.parametrize("framework", ["jax", "torch"])
def test_a_missing_framework_is_named_before_the_catalog_is_verified(run, tmp_path, framework):
    """--target torch / jax without the framework installed (here: one whose import fails)."""
    hidden = tmp_path / "hidden" / framework
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text(f"raise ImportError('no {framework} here')\n")
    (tmp_path / "noticed.py").write_text(NOTICED)
    path = os.pathsep.join([str(tmp_path / "hidden"), os.environ.get("PYTHONPATH", str(ROOT))])
    code, out, err = run("export", tmp_path / "noticed.py", "--target", framework, "-o", tmp_path / "out.py",
                         PYTHONPATH=path)
    assert code == 2 and out == ""
    assert f"smoothsym: error: --target {framework} needs {framework} installed" in err
    assert "pip install -e '.[frameworks]'" in err
    assert not (tmp_path / "imported").exists() and not (tmp_path / "out.py").exists()


# -- -k: derivations and steps by name, label, kind, number -------------------------------------------

@pytest.mark.parametrize("expression, numbers", [
    ("integrate or limit", [6, 10]),  # step kinds
    ("6", [6, 7, 8]),  # step 6 and the steps labelled (6)
    ("1", [1]),  # a number is a whole number: not step 10
    ("2", [1, 2]),  # step 1 is labelled (2)
    ("smooth_abs and not 7 and not integrate", [1, 2, 3, 4, 5, 8]),  # the file name; not, and
    ("(2 or 3) and rewrite", [3, 4]),  # parentheses
])
def test_k_selects_steps_by_label_number_and_kind(run, expression, numbers):
    code, out, err = run("verify", SMOOTH_ABS, "-k", expression, "--no-cache")
    assert code == 0, out + err
    assert steps_shown(out) == numbers
    assert out.splitlines()[-1].startswith(f"1 derivations, {len(numbers)} steps (-k: {len(numbers)} of 10 steps selected): ")


def test_k_selects_derivations_by_name_and_keeps_only(run):
    code, out, _ = run("verify", SMOOTH_ABS, ARCTAN, "-k", "arctan", "--no-cache")
    assert code == 0 and steps_shown(out) == [] and steps_shown(out, "arctan-complement") == [1, 2]
    assert out.splitlines()[-1].startswith("1 derivations, 2 steps (-k: 2 of 12 steps selected): ")
    code, out, err = run("verify", SMOOTH_ABS, ARCTAN, "-k", "arctan", "--only", "smooth-abs", "--no-cache")
    assert code == 2 and out == ""
    assert err == "smoothsym: error: -k 'arctan' selects no step of the 1 derivation(s) found (see smoothsym verify -h)\n"


def test_k_results_of_some_steps_are_never_cached(run):
    run("verify", SMOOTH_ABS, "-k", "limit")
    code, out, _ = run("verify", SMOOTH_ABS)
    assert code == 0 and len(steps_shown(out)) == 10 and "cached" not in out  # verified whole, then cached
    code, out, _ = run("verify", SMOOTH_ABS, "-k", "limit")
    assert code == 0 and steps_shown(out) == [10] and "cached" not in out  # some steps: never from the cache


def test_k_json_holds_the_selected_steps(run, tmp_path):
    code, out, err = run("verify", SMOOTH_ABS, "-k", "limit", "--no-cache", "--json", "-")
    assert code == 0
    (derivation,) = json.loads(out)["derivations"]
    assert [s["number"] for s in derivation["steps"]] == [10]


# -- --only as it always was ------------------------------------------------------------------------

@pytest.mark.parametrize("only", [["--only", "smooth-abs", "arctan-complement"],
                                  ["--only", "smooth-abs", "--only", "arctan-complement"]])
def test_only_takes_several_names(run, only):
    code, out, _ = run("verify", SMOOTH_ABS, ARCTAN, "tests/fixtures/robust/good.py", *only, "--no-cache")
    assert code == 0 and out.splitlines()[-1].startswith("2 derivations, 12 steps")


# -- -x, -q, -v ------------------------------------------------------------------------------------

@pytest.fixture
def failing_first(tmp_path):
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "a_wrong.py").write_text(WRONG)
    (folder / "b_good.py").write_text((ROOT / "tests/fixtures/robust/good.py").read_text())
    return folder


def test_x_stops_after_the_first_failing_derivation(run, failing_first):
    code, out, _ = run("verify", failing_first, "-x", "--no-cache")
    assert code == 1
    assert steps_shown(out, "wrong") == [1, 2] and steps_shown(out, "robust-good") == []
    summary = [line for line in out.splitlines() if line.startswith("1 derivations")]
    assert summary and summary[0].endswith("; stopped after the first failing derivation (-x): 1 not verified")
    assert "FAILED wrong" in out
    code, out, _ = run("verify", failing_first, "--no-cache")  # without -x: the rest still runs
    assert code == 1 and steps_shown(out, "robust-good") == [1, 2] and "stopped" not in out


def test_x_stops_at_a_file_that_did_not_load(run, failing_first):
    (failing_first / "0_broken.py").write_text("this is not python\n")
    code, out, _ = run("verify", failing_first, "--exitfirst", "--no-cache")
    assert code == 1 and out.startswith("ERROR ") and steps_shown(out, "wrong") == []
    assert "stopped after the first failing derivation (-x): 2 not verified" in out


def test_q_prints_only_the_failures_and_the_summary(run, failing_first):
    code, out, _ = run("verify", failing_first, "-q", "--no-cache")
    assert code == 1
    assert steps_shown(out, "wrong") == [2] and steps_shown(out, "robust-good") == []  # the failing step only
    assert "counterexample: previous = claim fails at x = " in out  # with its evidence
    assert any(line.startswith("2 derivations, 4 steps: ") for line in out.splitlines()) and "FAILED wrong" in out
    code, out, _ = run("verify", SMOOTH_ABS, "--quiet", "--no-cache")
    assert code == 0 and len(out.splitlines()) == 1 and out.startswith("1 derivations, 10 steps: ")


def test_v_prints_every_steps_evidence(run):
    code, out, _ = run("verify", SMOOTH_ABS, "-k", "2 or limit", "-v", "--no-cache")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "      the starting expression"  # the given step's detail
    assert re.match(r"      evidence: d/dx previous = claim: \d+ points at 50 digits", lines[3])
    assert re.search(r"\n      evidence: .* followed at \d+ points along k = 10, 100, 1000", out)  # the limit's convergence
    plain = run("verify", SMOOTH_ABS, "-k", "2 or limit", "--no-cache")[1]
    assert "evidence:" not in plain  # only -v shows the evidence of passing steps


def test_report_q_and_v(run, tmp_path):
    out_dir = tmp_path / "reports"
    code, out, _ = run("report", SMOOTH_ABS, "--out", out_dir, "--profile", "fast", "-q")
    written = len([p for p in out_dir.iterdir() if p.is_file()])  # the page, its .tex, the index and the plots' PDF figures
    assert code == 0 and out == f"wrote {written} files to {out_dir}\n" and written > 3
    code, out, _ = run("report", SMOOTH_ABS, "--out", out_dir, "--profile", "fast", "-v", "--check")
    assert code == 0 and out.startswith("verified smooth-abs: ")
    assert len(steps_shown(out)) == 10 and "      evidence: " in out


# -- the cached marker and colour -------------------------------------------------------------------

TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "200"}


def test_piped_output_has_no_escape_codes(run, failing_first):
    code, out, err = run("verify", failing_first, "--no-cache", TERM="xterm-256color")
    assert code == 1 and "refuted" in out
    assert ESCAPE not in out + err


def test_force_color_colours_and_no_color_wins(run):
    code, out, _ = run("verify", SMOOTH_ABS, "-k", "limit", "--no-cache", **TERMINAL)
    assert code == 0 and re.search(r"\x1b\[[0-9;]*m" + re.escape("proved"), out)
    code, out, err = run("verify", SMOOTH_ABS, "-k", "limit", "--no-cache", NO_COLOR="1", **TERMINAL)
    assert code == 0 and "proved" in out and ESCAPE not in out + err


def test_cached_verdicts_are_marked_in_a_colour_of_their_own(run):
    run("verify", SMOOTH_ABS)
    code, out, _ = run("verify", SMOOTH_ABS, **TERMINAL)
    assert code == 0
    line = next(line for line in out.splitlines() if " limit " in line)
    (cached,) = re.findall(r"(\x1b\[[0-9;]*m) +cached\x1b\[0m", line)
    (proved,) = re.findall(r"(\x1b\[[0-9;]*m)proved", line)
    assert cached != proved
    code, out, _ = run("verify", SMOOTH_ABS)  # piped: the word alone
    assert code == 0 and all(line.split()[4] == "cached" for line in out.splitlines()[:-1])


def test_json_dash_is_plain_json_even_where_colour_is_forced(run):
    code, out, err = run("verify", SMOOTH_ABS, "-k", "limit", "--no-cache", "--json", "-", **TERMINAL)
    assert code == 0 and json.loads(out)["derivations"][0]["name"] == "smooth-abs"
    assert "smooth-abs" in err  # the step lines went to standard error


def test_no_progress_line_in_piped_output(run):
    code, out, err = run("verify", SMOOTH_ABS, ARCTAN, "--no-cache", "-j", "2")
    assert code == 0 and "\r" not in out + err and "verified" not in err


# -- list ------------------------------------------------------------------------------------------

def test_list_columns_are_aligned(run):
    code, out, _ = run("list", "derivations", ARCTAN)
    rows = out.splitlines()
    assert code == 0 and len(rows) > 2 and rows[-1].startswith("arctan-complement")  # the paths' order kept
    assert len({re.search(r"\d+ steps", row).end() for row in rows}) == 1, out  # the step counts end together
    assert len({re.search(r"(derivations|tests)/", row).start() for row in rows}) == 1, out  # the files start together


# -- prose math: printed as text, selected as text ---------------------------------------------------

PROSE = (
    "from sympy import Symbol, exp\n"
    "from smoothsym import Derivation, Given, Rewrite\n"
    "a = Symbol('a', real=True)\n"
    "derivation = Derivation(name='prose', title=r'$\\sigma(a)$ twice', symbols=(a,),\n"
    "    steps=[Given(1 / (1 + exp(-a)), label=r'(1) $\\sigma(a)$', why=r'the sigmoid, $\\frac{1}{1 + e^{-a}}$'),\n"
    "           Rewrite(exp(a) / (exp(a) + 1), label=r'(2) $\\sigma(a) = \\frac{e^a}{e^a + 1}$'),\n"
    "           Rewrite(2 / (1 + exp(-a)), label=r'(3) $2\\sigma(a)$')])\n"
)
RAW_TEX = re.compile(r"\$|\\|\^\{|_\{")


def test_prose_math_prints_as_text_in_a_run_and_in_its_replay(run, tmp_path):
    path = tmp_path / "prose.py"
    path.write_text(PROSE)
    code, first, _ = run("verify", path)
    code_again, again, _ = run("verify", path)  # replayed from the record: the lines it printed
    assert code == code_again == 1 and " cached " in again
    for out in (first, again):
        shown = [line for line in out.splitlines() if not line.lstrip().startswith("reproduce:")]
        assert [line for line in shown if RAW_TEX.search(line)] == [], out
        assert "  (2) σ(a) = eᵃ/(eᵃ + 1)  [" in out and "FAILED prose" in out and "step 3 (3) 2σ(a) refuted" in out


def test_k_selects_a_step_by_its_label_as_printed(run, tmp_path):
    path = tmp_path / "prose.py"
    path.write_text(PROSE)
    code, out, _ = run("verify", path, "-k", "2σ", "--no-cache")
    assert code == 1 and steps_shown(out, "prose") == [3]
    code, out, _ = run("verify", path, "-k", "sigma and not 3", "--no-cache")  # the source still matches
    assert code == 0 and steps_shown(out, "prose") == [1, 2]
