"""The verifier never accepts a broken step: every claim of the catalog, deliberately corrupted
(sign flipped, constant changed, variables swapped, a term dropped, ...), comes back refuted
or is rejected when the derivation loads.

Run with ``pytest -s`` to see the kill rate per derivation. A surviving mutant is a verifier
bug to fix, never a mutant to skip: only corruptions *shown* to change nothing (the same
expression after canonicalisation, a difference c/k^p in a limit step, or equality proved by
SymPy and mpmath together) are skipped, and they are counted and listed.
"""

from dataclasses import replace
from pathlib import Path

import sys

import pytest
import sympy as sp

from smoothsym import Derivation, Given, Limit, Rewrite
from smoothsym.loader import discover
from smoothsym.mutate import HAND_PROOFS, MUTANT_SETTINGS, mutants_of, mutate_catalog, run_mutant
from smoothsym.verdict import Status

ROOT = Path(__file__).resolve().parent.parent


def _catalog(*files):
    catalog = discover([str(ROOT / "derivations" / f) for f in files] if files else [str(ROOT / "derivations")])
    assert not catalog.errors, catalog.errors
    return catalog.derivations


def _assert_all_killed(report):
    # corruptions that change nothing the step claims, where neither oracle could show it, are
    # proved by hand in mutate.HAND_PROOFS: the verifier must accept them, never refute them
    report, wrongly_refuted = report.with_hand_proofs(HAND_PROOFS)
    print()
    print(report.table())
    for e in report.equivalent:
        print(f"  skipped as equivalent: {e}")
    assert not wrongly_refuted, "true claims (equivalent by hand proof) refuted:\n" + "\n".join(map(str, wrongly_refuted))
    survivors = "\n".join(str(o) for o in report.survivors)
    assert not survivors, f"mutants the verifier accepted (verifier bugs):\n{survivors}"


def test_every_mutant_of_smooth_abs_is_refuted():
    report = mutate_catalog(_catalog("smooth_abs.py"))
    assert len(report.outcomes) >= 3 * 9  # nine claiming steps, at least three corruptions each
    _assert_all_killed(report)


CATALOG_FILES = sorted(p.name for p in (ROOT / "derivations").glob("*.py") if not p.name.startswith("_"))


@pytest.fixture
def progress(capfd):
    """A line on the terminal as each step's mutants are judged, past pytest's capture (also from
    an xdist worker, whose stderr is the terminal's): a file's mutants can take minutes."""

    def show(line):
        with capfd.disabled():
            print(line, file=sys.stderr, flush=True)

    return show


@pytest.mark.slow
@pytest.mark.parametrize("file", CATALOG_FILES)
def test_every_mutant_of_the_catalog_is_refuted(file, progress):
    """One item per derivation file, so that a long run shows its progress (and pytest-xdist
    can share the files between its workers); within a file, a line per step (``progress``)."""
    derivations = _catalog(file)
    report = mutate_catalog(derivations, progress=progress)
    for d in derivations:  # every claiming step (not already refuted as stated) is mutated
        claiming = {n for n, s, _ in d.chain() if s.kind != "given" and not s.expect_refuted}
        mutated = {o.number for o in report.outcomes if o.derivation == d.name}
        assert mutated == claiming, f"{d.name}: steps {sorted(claiming - mutated)} have no mutant"
    _assert_all_killed(report)


# -- the mutation operators themselves -------------------------------------------------------

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
k = sp.Symbol("k", positive=True)


def test_each_claiming_step_gets_at_least_three_corruptions_and_givens_none():
    (d,) = _catalog("smooth_abs.py")
    found = mutants_of(d)
    per_step = {}
    for m in found.mutants:
        per_step.setdefault(m.number, set()).add(m.operator)
        assert m.step.claim != m.original.claim
    assert 1 not in per_step  # the Given
    assert all(len(ops) >= 3 for ops in per_step.values()), per_step


def test_symmetric_swaps_are_skipped_as_structurally_equivalent_and_counted():
    d = Derivation(
        name="sym", title="sym", symbols=(x, y),
        steps=[Given(sp.Max(x, y)), Rewrite((x + y + sp.Abs(x - y)) / 2)],
    )
    found = mutants_of(d)
    skipped = [e for e in found.equivalent if e.operator == "swap"]
    assert skipped and skipped[0].reason == "structural"
    assert "x <-> y" in skipped[0].description
    assert any(m.operator == "swap" and m.description == "x -> -x" for m in found.mutants)


def test_a_vanishing_change_in_a_limit_step_is_equivalent_not_a_mutant():
    d = Derivation(name="lim", title="lim", symbols=(x, k), steps=[Given(x + 1 / k), Limit(k, x + 2 / k)])
    found = mutants_of(d)
    assert ("constant", "vanishing") in [(e.operator, e.reason) for e in found.equivalent]  # 2/k -> 3/k


def test_an_equivalent_found_by_proof_is_skipped_with_its_method():
    # 2 ln(1 + e^{kx})/k - x is even in x: x -> -x changes nothing (smooth-abs step 6)
    (d,) = _catalog("smooth_abs.py")
    proved = [e for e in mutants_of(d).equivalent if e.reason.startswith("proved")]
    assert [(e.number, e.operator, e.description) for e in proved] == [(6, "swap", "x -> -x")]


def test_a_true_claim_is_never_counted_killed():
    """The harness can fail: the unmutated step, run as a 'mutant', is not killed."""
    (d,) = _catalog("smooth_abs.py")
    mutant = mutants_of(d).mutants[0]
    unchanged = replace(mutant, step=mutant.original, operator="none", description="unchanged")
    outcome = run_mutant(unchanged, MUTANT_SETTINGS)
    assert not outcome.killed and outcome.verdict.status in (Status.PROVED, Status.CHECKED)
