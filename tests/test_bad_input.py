"""Broken derivation files: each error names the file, the line and the step, and the rest of
the catalog still loads and runs."""

import shutil

import pytest
import sympy as sp

from smoothsym import Derivation, DerivationError, Given, Limit, Rewrite
from smoothsym.cli import main
from smoothsym.loader import discover

BROKEN = "tests/fixtures/broken"

# file -> (line, step or None, words the message must contain)
EXPECTED = {
    "syntax_error.py": (7, None, "syntax error: '(' was never closed"),
    "raises_on_import.py": (9, None, "importing it raised KeyError: 'b'"),
    "undeclared_symbol.py": (15, 2, "symbol y in claim is not declared"),
    "not_sympy.py": (14, 2, "claim of this rewrite step is float 0.5, not a SymPy expression"),
    "float_inside.py": (15, 2, "claim of this rewrite step contains the float 0.1 (in exp(0.1*x))"),
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


def test_a_float_inside_an_expression_names_file_line_step_float_and_remedy(catalog):
    """0.5*x, Float('0.1')*x or a Python beta / 2 inside a claim is no exact number."""
    (error,) = [e for e in catalog.errors if e.file.endswith("float_inside.py")]
    text = str(error)
    assert text.startswith(f"{BROKEN}/float_inside.py:15, derivation 'broken-float-inside', step 2 (2): ")
    assert "contains the float 0.1" in text
    assert "write exact numbers: sympy.Rational('0.1') or sympy.Rational(1, 10)" in text


@pytest.mark.parametrize("where", ["claim", "where", "domain", "limit"])
def test_a_float_anywhere_in_a_step_or_the_domain_is_an_error(where):
    x = sp.Symbol("x", real=True)
    k = sp.Symbol("k", positive=True)
    half = 0.5 * x
    steps = [Given(x), Rewrite(x)]
    domain = ()
    if where == "claim":
        steps = [Given(x), Rewrite(sp.Float("0.1") * x + x)]
    elif where == "where":
        steps = [Given(x), Rewrite(x, where=(x > half,))]
    elif where == "domain":
        domain = (x >= 0.25,)
    else:
        steps = [Given(x + 1 / k), Limit(k, x + 0.5 / k)]
    with pytest.raises(DerivationError) as caught:
        Derivation(name="d", title="t", symbols=(x, k), steps=steps, domain=domain)
    text = str(caught.value)
    assert "contains the float" in text and "sympy.Rational(1, 10)" in text
    assert caught.value.line and caught.value.file.endswith("test_bad_input.py")
    assert (caught.value.step is None) == (where == "domain")


@pytest.mark.parametrize("symbol", [sp.Symbol("u"), sp.Symbol("u", complex=True)], ids=["plain", "complex"])
def test_a_symbol_that_may_be_complex_is_refused(symbol):
    with pytest.raises(DerivationError) as caught:
        Derivation(name="d", title="t", symbols=(symbol,), steps=[Given(sp.Abs(symbol) ** 2), Rewrite(symbol**2)])
    assert (
        "symbol u may be complex (declared without real=True): smoothsym samples real values only; "
        "declare it real=True, positive=True or integer=True"
    ) in str(caught.value)
    assert caught.value.derivation == "d" and caught.value.file.endswith("test_bad_input.py")


def test_an_imaginary_symbol_is_refused():
    u = sp.Symbol("u", imaginary=True)
    with pytest.raises(DerivationError, match=r"symbol u is not real \(declared imaginary=True\)"):
        Derivation(name="d", title="t", symbols=(u,), steps=[Given(u)])


def test_real_integer_and_positive_symbols_are_accepted():
    symbols = (sp.Symbol("x", real=True), sp.Symbol("n", odd=True), sp.Symbol("p", prime=True),
               sp.Symbol("k", positive=True), sp.Symbol("r", rational=True), sp.Symbol("z", irrational=True))
    d = Derivation(name="d", title="t", symbols=symbols, steps=[Given(sum(symbols))])
    assert d.symbols == symbols


@pytest.mark.parametrize("claim, words", [
    (sp.nan, "holds nan (not a number, as 0/0)"),
    (sp.zoo, "holds zoo (complex infinity, as 1/0)"),
], ids=["nan", "zoo"])
def test_an_undefined_value_in_a_claim_is_an_error_not_a_verdict(claim, words):
    """SymPy's 0/0 (nan) or 1/0 (zoo) written into a claim was "disputed" or a KeyError."""
    x = sp.Symbol("x", real=True)
    with pytest.raises(DerivationError, match=words.replace("(", r"\(").replace(")", r"\)")) as caught:
        Derivation(name="d", title="t", symbols=(x,), steps=[Given(1 / x), Rewrite(claim)])
    assert caught.value.step == 2


def test_an_infinite_sum_is_refused_saying_so():
    """Sum(1/i^2, (i, 1, oo)) was refused as "the upper bound oo ... is not declared an integer;
    declare it Symbol('oo', integer=True)": advice that cannot be followed."""
    i = sp.Symbol("i", integer=True, positive=True)
    with pytest.raises(DerivationError, match="is infinite") as caught:
        Derivation(name="d", title="t", symbols=(i,), steps=[Given(sp.Sum(1 / i**2, (i, 1, sp.oo))), Rewrite(sp.pi**2 / 6)])
    assert "Symbol('oo'" not in str(caught.value) and caught.value.step == 1


def test_a_step_cannot_continue_from_a_relation():
    """A Generalise's claim is a relation (here Eq(S, S), which SymPy makes True): the next step
    crashed with "'int' object has no attribute 'is_finite'"."""
    from smoothsym import Generalise

    x = sp.Symbol("x", real=True)
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    X = sp.IndexedBase(x)
    claim = sp.Eq(sp.Sum(X[i], (i, 1, n)), sp.Sum(X[i], (i, 1, n)))
    with pytest.raises(DerivationError, match="is a relation, not an expression this rewrite step can continue from") as caught:
        Derivation(name="d", title="t", symbols=(x, n, i), steps=[
            Given(x), Generalise(claim, lambda m: (sp.S.Zero, sp.S.Zero)), Rewrite(x)])
    assert caught.value.step == 3


def test_a_value_outside_a_symbols_assumptions_is_refused():
    """k declared positive: SymPy has already simplified |k x| to k |x|, so k -> -1 claimed -|x|."""
    from smoothsym import Substitute

    x = sp.Symbol("x", real=True)
    k = sp.Symbol("k", positive=True)
    with pytest.raises(DerivationError, match="k is declared positive, so it cannot take the value -1"):
        Derivation(name="d", title="t", symbols=(x, k), steps=[Given(sp.Abs(k * x)), Substitute(k, -1, -sp.Abs(x))])
    Derivation(name="d", title="t", symbols=(x, k), steps=[Given(sp.Abs(k * x)), Substitute(k, 2, 2 * sp.Abs(x))])


@pytest.mark.parametrize("condition, where, words", [
    ((-1, 0), (sp.Symbol("x", real=True) > 0,), "the condition's point x = -1 is outside the step's domain (x > 0)"),
    ((1, sp.I), (), "the condition's value I is not real"),
], ids=["outside-where", "complex-value"])
def test_a_condition_outside_the_domain_or_complex_is_refused(condition, where, words):
    """Condition(-1, 0) for sqrt(x) on x > 0 was judged at a complex sqrt(-1); Condition(1, I) accepted."""
    from smoothsym import Condition, Integrate

    x = sp.Symbol("x", real=True)
    with pytest.raises(DerivationError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Derivation(name="d", title="t", symbols=(x,), steps=[
            Given(1 / (2 * sp.sqrt(x))), Integrate(x, sp.sqrt(x), fixed_by=Condition(*condition), where=where)])


def test_an_instance_function_returning_a_complex_symbol_is_refused():
    """symbols('u_1:3') without real=True: sampled as reals, |u|^2 = u^2 passed."""
    from smoothsym import Generalise

    x = sp.Symbol("x", real=True)
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    X = sp.IndexedBase(x)

    def squares(count):
        us = sp.symbols(f"u_1:{count + 1}")
        return sum(sp.Abs(u) ** 2 for u in us), sum(u**2 for u in us)

    with pytest.raises(DerivationError, match="returns the symbol u_1, which may be complex"):
        Derivation(name="d", title="t", symbols=(x, n, i), steps=[
            Given(x), Generalise(sp.Eq(sp.Sum(sp.Abs(X[i]) ** 2, (i, 1, n)), sp.Sum(X[i] ** 2, (i, 1, n))), squares)])
