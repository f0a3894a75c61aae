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
