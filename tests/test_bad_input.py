"""Broken derivation files: each error names the file, the line and the step, and the rest of
the catalog still loads and runs."""

import shutil

import pytest
import sympy as sp

from smoothsym import Derivation, DerivationError, Given, Rewrite
from smoothsym.cli import main
from smoothsym.loader import discover

BROKEN = "tests/fixtures/broken"

# file -> (line, step or None, words the message must contain)
EXPECTED = {
    "syntax_error.py": (7, None, "syntax error: '(' was never closed"),
    "raises_on_import.py": (9, None, "importing it raised KeyError: 'b'"),
    "undeclared_symbol.py": (15, 2, "symbol y in claim is not declared"),
    "not_sympy.py": (14, 2, "claim of this rewrite step is float 0.5, not a SymPy expression"),
    "chain_mismatch.py": (15, 2, "does not contain Heaviside(x), so nothing is substituted"),
    "no_derivation.py": (1, None, "defines no derivation"),
    "empty.py": (8, None, "the derivation has no steps"),
}


@pytest.fixture(scope="module")
def catalog():
    return discover([BROKEN, "derivations/smooth_abs.py"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_is_named_with_its_line_and_step(catalog, name):
    line, step, words = EXPECTED[name]
    (error,) = [e for e in catalog.errors if e.file.endswith(name)]
    assert isinstance(error, DerivationError)
    assert (error.line, error.step) == (line, step)
    assert words in str(error)
    assert str(error).startswith(f"{BROKEN}/{name}:{line}")


def test_two_derivations_with_one_name_are_an_error_naming_both_files(catalog):
    (error,) = [e for e in catalog.errors if "already defined" in str(e)]
    assert error.derivation == "smooth-abs"
    assert "derivations/smooth_abs.py" in str(error) or "duplicate_name.py" in str(error)


def test_the_rest_of_the_catalog_still_runs(tmp_path, capsys):
    """A directory with one good and several broken files: the good one is verified, the
    broken ones are listed as errors, and the run fails."""
    for f in ("syntax_error.py", "raises_on_import.py", "undeclared_symbol.py"):
        shutil.copy(f"{BROKEN}/{f}", tmp_path / f)
    shutil.copy("tests/fixtures/cases/checked_arctan.py", tmp_path / "good.py")
    code = main(["verify", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.count("ERROR ") == 3
    assert "arctan-complement" in out and "checked" in out
    assert "4 derivations, 2 steps" in out


def test_a_non_sympy_object_in_a_constraint_or_symbol_list_is_named():
    x = sp.Symbol("x", real=True)
    with pytest.raises(DerivationError, match="symbols must be SymPy symbols; got 'x'"):
        Derivation(name="d", title="t", symbols=("x",), steps=[Given(x)])
    with pytest.raises(DerivationError, match=r"step 2 'a': claim of this rewrite step is str 'x \+ 1'"):
        Derivation(name="d", title="t", symbols=(x,), steps=[Given(x), Rewrite("x + 1", label="a")])


def test_a_symbol_declared_with_other_assumptions_is_named():
    x = sp.Symbol("x", real=True)
    with pytest.raises(DerivationError, match="symbol x in claim has assumptions .* but is declared with"):
        Derivation(name="d", title="t", symbols=(x,), steps=[Given(sp.Symbol("x") + 1)])


def test_an_unknown_derivation_name_is_a_clear_error(capsys):
    code = main(["verify", "derivations/smooth_abs.py", "--only", "smooth-ab"])
    assert code == 2
    assert "no derivation named 'smooth-ab'; known: smooth-abs" in capsys.readouterr().err


def test_a_missing_path_is_a_clear_error(capsys):
    assert main(["verify", "no/such/dir"]) == 2
    assert "no such file or directory: no/such/dir" in capsys.readouterr().err
