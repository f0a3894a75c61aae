"""The pytest plugin as a user meets it: `pytest derivations/` on a copy of a small catalog
(smooth |x|, a file with a refuted and an expected-refuted step, a file that does not load)."""

import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

import smoothsym.pytest_plugin as plugin
from smoothsym.verdict import Status, Verdict

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent

WRONG = '''"""Two wrong rewrites: one a mistake, one declared refuted as stated.

>>> 1 + 1
3
"""

from sympy import Abs, Max, Symbol

from smoothsym import Derivation, Given, Rewrite

x = Symbol("x", real=True)
y = Symbol("y", real=True)

derivation = Derivation(
    name="wrong",
    title="wrong",
    symbols=(x, y),
    steps=[
        Given(Abs(x), label="(1)"),
        Rewrite(x, label="(2)", why="forgetting the sign"),
        Given(Max(x, y)),
        Rewrite((x + y + Abs(x - y)) / 2, label="(3)"),
        Rewrite(y, label="(4)", expect_refuted="max(x, y) is not y when x > y"),
    ],
)
'''


@pytest.fixture
def catalog(pytester):
    """A project with derivations/ (three files) and a tests/ folder of its own."""
    folder = pytester.mkdir("derivations")
    shutil.copy(ROOT / "derivations/smooth_abs.py", folder / "smooth_abs.py")
    shutil.copy(ROOT / "tests/fixtures/broken/syntax_error.py", folder / "syntax_error.py")
    (folder / "wrong.py").write_text(WRONG)
    pytester.mkdir("tests")
    pytester.path.joinpath("tests", "test_plain.py").write_text("def test_plain():\n    assert True\n")
    return pytester


def test_each_step_is_an_item_with_a_readable_id(catalog):
    result = catalog.runpytest("derivations/smooth_abs.py", "--collect-only", "-q")
    ids = [line for line in result.outlines if "::" in line]
    assert ids[0] == "derivations/smooth_abs.py::smooth-abs::step-1[(2)]"
    assert "derivations/smooth_abs.py::smooth-abs::step-4[(3)]" in ids
    assert len(ids) == 10


def test_outcomes_refuted_fails_expected_refutation_is_xfail_unloadable_file_fails(catalog):
    result = catalog.runpytest("derivations", "-p", "no:randomly")
    result.assert_outcomes(passed=13, failed=2, xfailed=1)
    result.stdout.fnmatch_lines([
        "derivations/syntax_error.py:7: syntax error: '(' was never closed",
        "FAILED derivations/syntax_error.py::load*",
        "FAILED derivations/wrong.py::wrong::step-2[[](2)[]]*",
    ])


def test_a_refuted_step_shows_the_step_the_counterexample_and_a_reproduction(catalog):
    result = catalog.runpytest("derivations/wrong.py")
    result.stdout.fnmatch_lines([
        "wrong step 2 (2) (rewrite, derivations/wrong.py:20): refuted",
        "  Rewrite(x, label='(2)', why='forgetting the sign')",
        "  from: Abs(x)",
        "  counterexample: previous = claim fails at x = -1",
        "    lhs = 1.0",
        "    rhs = -1.0",
        "    difference = 2.0 (tolerance 1e-47 relative to max(1, |lhs|, |rhs|); replayed at 100 digits)",
        "    seed = 2",
        "  reproduce: python -c \"import sympy as sp;*subs={x: sp.Rational('-1')}))\"",
        "  rerun: smoothsym verify derivations/wrong.py --only wrong --no-cache",
    ])
    assert "Traceback" not in result.stdout.str()


def test_junit_xml_has_one_testcase_per_step_with_verdict_and_method(catalog):
    catalog.runpytest("derivations/smooth_abs.py", "derivations/wrong.py", "--junitxml=out.xml")
    cases = ET.parse(catalog.path / "out.xml").getroot().iter("testcase")
    found = {c.get("classname") + "::" + c.get("name"): c for c in cases}
    assert len(found) == 15
    props = {p.get("name"): p.get("value") for p in found["derivations.smooth_abs.smooth-abs::step-10[(7)]"].iter("property")}
    assert props["verdict"] == "proved" and props["method"].startswith("sympy:")
    wrong = found["derivations.wrong.wrong::step-2[(2)]"]
    assert wrong.find("failure") is not None and "x = -1" in wrong.find("failure").text
    assert {p.get("name"): p.get("value") for p in wrong.iter("property")}["verdict"] == "refuted"
    xfailed = found["derivations.wrong.wrong::step-5[(4)]"]
    assert xfailed.find("skipped").get("type") == "pytest.xfail"


def test_k_selects_steps_and_x_stops_at_the_first_failure(catalog):
    catalog.runpytest("derivations", "-k", "wrong and step-2").assert_outcomes(failed=1, deselected=15)
    catalog.runpytest("derivations/wrong.py", "-x").assert_outcomes(passed=1, failed=1)


def test_last_failed_reruns_only_the_failed_steps(catalog):
    catalog.runpytest("derivations").assert_outcomes(passed=13, failed=2, xfailed=1)
    result = catalog.runpytest("derivations", "--lf")
    result.assert_outcomes(failed=2, deselected=4)  # and smooth_abs.py is not even collected
    result.stdout.fnmatch_lines(["run-last-failure: rerun previous 2 failures (skipped 1 file)"])


def _count_verified(monkeypatch) -> list:
    """Record the derivations whose steps are handed to worker processes."""
    from smoothsym import runner

    calls, original = [], runner._verify_steps

    def counting(derivations, tasks, settings, jobs):
        calls.extend(sorted({derivations[index].name for index, _ in tasks}))
        return original(derivations, tasks, settings, jobs)

    monkeypatch.setattr(runner, "_verify_steps", counting)
    return calls


def test_each_derivation_is_verified_once_not_once_per_step(catalog, monkeypatch):
    calls = _count_verified(monkeypatch)
    catalog.runpytest("derivations/smooth_abs.py", "--smoothsym-no-cache").assert_outcomes(passed=10)
    assert calls == ["smooth-abs"]


def test_the_cache_spares_the_second_run(catalog, monkeypatch):
    calls = _count_verified(monkeypatch)
    catalog.runpytest("derivations/smooth_abs.py").assert_outcomes(passed=10)
    catalog.runpytest("derivations/smooth_abs.py").assert_outcomes(passed=10)
    assert calls == ["smooth-abs"]


def test_testpaths_never_collect_derivations_and_doctests_skip_them(catalog):
    """The project's own config (testpaths, --doctest-modules) runs its tests only; pointed at
    derivations/, the failing doctest in wrong.py's docstring is not collected."""
    catalog.makeini("[pytest]\ntestpaths = tests\naddopts = --doctest-modules\n")
    catalog.runpytest().assert_outcomes(passed=1)
    result = catalog.runpytest("derivations/wrong.py")
    result.assert_outcomes(passed=3, failed=1, xfailed=1)


def test_smoothsym_paths_adds_derivations_to_a_plain_run(catalog):
    catalog.makeini("[pytest]\ntestpaths = tests\nsmoothsym_paths = derivations/smooth_abs.py\n")
    catalog.runpytest().assert_outcomes(passed=11)


def test_a_timeout_fails_or_is_skipped_when_allowed(catalog, monkeypatch):
    """The verdict is made a timeout here (the engine's timeouts are tested in test_verdicts.py):
    a real one depends on the machine, and this test is about what the plugin does with it."""

    from smoothsym.runner import verify_many

    def timing_out(derivations, settings, jobs, cache):
        for result in verify_many(derivations, settings, jobs, cache):
            last = result.steps[-1]
            late = replace(last, verdict=Verdict(Status.TIMEOUT, "", detail=f"no result within {settings.time_limit:g} s"))
            yield replace(result, steps=result.steps[:-1] + (late,))

    monkeypatch.setattr(plugin, "verify_many", timing_out)
    result = catalog.runpytest("derivations/smooth_abs.py", "--smoothsym-time-limit", "0.5", "--smoothsym-no-cache")
    result.assert_outcomes(passed=9, failed=1)
    result.stdout.fnmatch_lines([
        "smooth-abs step 10 (7) (limit, derivations/smooth_abs.py:*): timeout (--smoothsym-allow-timeout skips timeouts)",
        "  detail: no result within 0.5 s",
    ])
    allowed = catalog.runpytest("derivations/smooth_abs.py", "--smoothsym-no-cache", "--smoothsym-allow-timeout", "-rs")
    allowed.assert_outcomes(passed=9, skipped=1)
    allowed.stdout.fnmatch_lines(["SKIPPED [[]1[]] derivations/smooth_abs.py:*: timeout: no result within 5 s"])


def test_two_derivations_with_one_name_fail_the_second_as_the_cli_does(catalog):
    (catalog.path / "derivations" / "zz_copy.py").write_text(WRONG)
    result = catalog.runpytest("derivations", "-k", "wrong or load")
    result.stdout.fnmatch_lines(["*zz_copy.py*a derivation named 'wrong' is already defined at*names must be unique*"])
    result.assert_outcomes(failed=3, xfailed=1, passed=3)  # wrong's step 2, syntax_error, the copy
