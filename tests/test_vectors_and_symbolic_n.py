"""Claims over a symbolic n, as a user sees their verdicts: entries x[i] of an IndexedBase, sums
Sum(..., (i, 1, n)), Kronecker deltas, gradients, Jacobians and Hessians (``Differentiate`` over an
entry x[j]) and positive semi-definiteness as a ``Bound``.

Each is checked at concrete n (1, 2, 3, 5, 8 and 40; 12 for a double sum) and proved for all n
only where summation algebra can, the rules named; a false claim (an index slip, a wrong bound of
a sum) is refuted with a certified counterexample naming n and the indices. The claims come from
public derivations: the softmax and its Jacobian, CS231n's softmax-loss gradient, PRML's
logistic-regression gradient (eq. 4.91), the log-sum-exp Hessian.

Claims over two sizes (M features, N samples: PRML's least squares, eqs. 3.12-3.13, and a Gram
matrix's quadratic form) are checked at each pair of sizes named, each free index over its own
size, read from the claim (w[j], phi[n, j]) or declared (``where=(j <= M,)``), never guessed; a
range written nowhere is an error that says how to declare it."""

import pytest
import sympy as sp
from sympy import IndexedBase, KroneckerDelta, Rational, Sum, exp, log

from smoothsym import Bound, Derivation, DerivationError, Differentiate, Given, Rewrite, Status
from smoothsym.mathml import to_mathml

n = sp.Symbol("n", integer=True, positive=True)
i, j, k, y = sp.symbols("i j k y", integer=True, positive=True)
x_, u_, f_, t_ = sp.symbols("x u f t", real=True)
x, u, f, t = IndexedBase(x_), IndexedBase(u_), IndexedBase(f_), IndexedBase(t_)
w = sp.Symbol("w", real=True)
M = sp.Symbol("M", integer=True, positive=True)  # two sizes: M features, N samples
N = sp.Symbol("N", integer=True, positive=True)
phi_, A_ = sp.symbols("phi A", real=True)
phi, A = IndexedBase(phi_), IndexedBase(A_)  # phi[n, i]: the i-th feature of sample n
SYMBOLS = (n, i, j, k, y, x_, u_, f_, t_, w, M, N, phi_, A_)

Z = Sum(exp(x[k]), (k, 1, n))


def p(a):
    """softmax_a(x) = e^{x_a} / sum_k e^{x_k}"""
    return exp(x[a]) / Z


def verdicts(run, *steps):
    """The verdicts of the steps after the Given, as the user's derivation states them."""
    derivation = Derivation(name="vectors", title="vectors", symbols=SYMBOLS, steps=steps)
    return [s.verdict for s in run(derivation).steps[1:]]


def only(run, *steps):
    (verdict,) = verdicts(run, *steps)
    return verdict


# -- sums over a symbolic n: proved for all n by summation algebra, or checked at named n ----------

def test_a_softmax_sums_to_one_for_all_n(run):
    verdict = only(run, Given(Sum(p(i), (i, 1, n))), Rewrite(1))
    assert verdict.status is Status.PROVED
    assert "for all n" in verdict.method and "a factor free of the index taken out" in verdict.method
    assert "n = 1, 2, 3, 5, 8, 12" in verdict.method  # the n it was also checked at (a sum inside a sum)


def test_a_wrong_bound_of_the_sum_is_refuted_at_a_named_n(run):
    verdict = only(run, Given(Sum(p(i), (i, 2, n))), Rewrite(1))
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample.certified
    assert verdict.counterexample.what.startswith("at n = 1:")  # the empty sum, 0 != 1


def test_a_bound_failing_only_beyond_the_concrete_n_is_refuted_where_its_closed_form_says(run):
    """sum_{i<=n} 1/i <= ln n + 0.5772 + 1/(2n) (Euler's constant truncated) holds at n = 1, 2, 3,
    5, 8, 40 and fails from n = 73; an identity off by a polynomial vanishing at those n fails at
    n = 4. Both were "checked at n = ..."; the closed form's values at n = 1..100 say where to look."""
    harmonic = only(run, Given(Sum(1 / i, (i, 1, n))), Bound(log(n) + Rational(5772, 10000) + 1 / (2 * n)))
    assert harmonic.status is Status.REFUTED and harmonic.counterexample.certified, harmonic.summary()
    assert harmonic.counterexample.what.startswith("at n = "), harmonic.counterexample.what
    assert int(harmonic.counterexample.what.split()[3].rstrip(":")) >= 73
    slipped = n * (n + 1) / 2 + (n - 1) * (n - 2) * (n - 3) * (n - 5) * (n - 8) * (n - 40)
    assert only(run, Given(Sum(i, (i, 1, n))), Rewrite(slipped)).status is Status.REFUTED
    true = only(run, Given(Sum(1 / i, (i, 1, n))), Bound(log(n) + 1))
    assert true.status in (Status.PROVED, Status.CHECKED), true.summary()


def test_a_gradient_where_the_expression_is_undefined_at_n_1_is_not_refuted_there(run):
    """-f_y + log sum_{l<=n-1} e^(f_l) is log 0 at n = 1: its derivative there is no counterexample."""
    l = sp.Symbol("l", integer=True, positive=True)
    partial = Sum(exp(f[l]), (l, 1, n - 1))
    loss = -f[y] + log(partial)
    gradient = -KroneckerDelta(j, y) + sp.Piecewise((exp(f[j]) / partial, j <= n - 1), (0, True))
    verdict = only(run, Given(loss), Differentiate(f[j], gradient))
    assert verdict.status in (Status.PROVED, Status.CHECKED), verdict.summary()


def test_a_gradient_or_an_entry_off_only_beyond_the_concrete_n_is_refuted_where_written_out(run):
    """With a derivative or a free index there is no closed form to scan: the claim written out at
    a few more n (4, 6, 7, 9, 13, 16) at one plain point says where to look. d/dx_j sum x_i^2 = 2 x_j
    + a polynomial vanishing at n = 1, 2, 3, 5, 8, 40 was "checked"."""
    vanishing = (n - 1) * (n - 2) * (n - 3) * (n - 5) * (n - 8) * (n - 40)
    gradient = only(run, Given(Sum(x[i] ** 2, (i, 1, n))), Differentiate(x[j], 2 * x[j] + vanishing))
    assert gradient.status is Status.REFUTED and gradient.counterexample.certified, gradient.summary()
    assert gradient.counterexample.what.startswith("at n = 4, j = "), gradient.counterexample.what
    entry = only(run, Given(p(j)), Rewrite(p(j) + vanishing * x[j] / 10**6))
    assert entry.status is Status.REFUTED, entry.summary()
    true = only(run, Given(Sum(x[i] ** 2, (i, 1, n))), Differentiate(x[j], 2 * x[j]))
    assert true.status is Status.PROVED and "where the claim written out looked worst" not in true.method, true.method


def test_a_telescoping_sum_is_proved_and_a_slipped_end_refuted(run):
    telescoping = Sum(x[k + 1] - x[k], (k, 1, n - 1))
    proved = only(run, Given(telescoping), Rewrite(x[n] - x[1]))
    assert proved.status is Status.PROVED
    assert "index shift" in proved.method and "range split at the ends" in proved.method
    wrong = only(run, Given(telescoping), Rewrite(x[n] - x[2]))
    assert wrong.status is Status.REFUTED and wrong.counterexample.what.startswith("at n = 1:")


def test_a_closed_form_sum_is_proved_by_sympy_summation(run):
    verdict = only(run, Given(Sum(k, (k, 1, n))), Rewrite(n * (n + 1) / 2))
    assert verdict.status is Status.PROVED and "closed form (SymPy's summation)" in verdict.method
    wrong = only(run, Given(Sum(k, (k, 1, n))), Rewrite(n * (n - 1) / 2))
    assert wrong.status is Status.REFUTED


def test_the_variance_form_is_proved_by_cauchy_schwarz(run):
    """sum p_i u_i^2 - (sum p_i u_i)^2 >= 0: with weights e^{x_i} >= 0, (sum w u)^2 <= (sum w)(sum w u^2)."""
    variance = Sum(p(i) * u[i] ** 2, (i, 1, n)) - Sum(p(i) * u[i], (i, 1, n)) ** 2
    verdict = only(run, Given(variance), Bound(0, ">="))
    assert verdict.status is Status.PROVED and "Cauchy-Schwarz" in verdict.method


def test_cauchy_schwarz_without_nonnegative_weights_is_refuted_not_proved(run):
    """sum u^2 - (sum u)^2 >= 0 misses the factor n (the weights 1 sum to n, not 1)."""
    verdict = only(run, Given(Sum(u[i] ** 2, (i, 1, n)) - Sum(u[i], (i, 1, n)) ** 2), Bound(0, ">="))
    assert verdict.status is Status.REFUTED and verdict.counterexample.what.startswith("at n = 2:")
    weighted = only(run, Given(Sum(x[i] * u[i] ** 2, (i, 1, n)) * Sum(x[i], (i, 1, n)) - Sum(x[i] * u[i], (i, 1, n)) ** 2),
                    Bound(0, ">="))
    assert weighted.status is Status.REFUTED  # x_i may be negative: no weights


def test_jensen_for_log_sum_exp_is_only_checked_and_says_so(run):
    """LSE(x) >= mean(x) + log n is Jensen's inequality, which no summation rule reaches."""
    jensen = log(Z) - Sum(x[k], (k, 1, n)) / n - log(n)
    verdict = only(run, Given(jensen), Bound(0, ">="))
    assert verdict.status is Status.CHECKED
    assert verdict.method.startswith("numeric only (Arb) at n = 1, 2, 3, 5, 8, 40")
    assert "no proof for all n by summation algebra" in verdict.detail
    assert "checked only at the n named" in verdict.detail


# -- gradients, Jacobians, Hessians: Differentiate over an entry x[j] --------------------------------

def test_the_gradient_of_log_sum_exp_is_the_softmax(run):
    verdict = only(run, Given(log(Z)), Differentiate(x[j], p(j)))
    assert verdict.status is Status.PROVED
    assert "for all n, j" in verdict.method and "delta sum" in verdict.method
    assert "n = 1, 2, 3, 5, 8, 40; j = 1..n" in verdict.method


def test_a_gradient_with_the_wrong_range_is_refuted_naming_n_and_the_index(run):
    verdict = only(run, Given(log(Z)), Differentiate(x[j], exp(x[j]) / Sum(exp(x[k]), (k, 2, n))))
    assert verdict.status is Status.REFUTED
    assert verdict.counterexample.certified
    assert "n = 1, j = 1" in verdict.counterexample.what or "n = 2, j = 1" in verdict.counterexample.what


def test_the_softmax_jacobian_is_proved_and_an_index_slip_refuted(run):
    """d p_i / d x_j = p_i (delta_ij - p_j); it is symmetric, so p_j (delta_ij - p_i) is the same
    matrix and must not be refuted; p_i (delta_ij - p_i) is an index slip."""
    jacobian, symmetric, slip = verdicts(
        run,
        Given(p(i)), Differentiate(x[j], p(i) * (KroneckerDelta(i, j) - p(j))),
        Given(p(i)), Differentiate(x[j], p(j) * (KroneckerDelta(i, j) - p(i))),
        Given(p(i)), Differentiate(x[j], p(i) * (KroneckerDelta(i, j) - p(i))),
    )[0::2]
    assert jacobian.status is Status.PROVED and "cases i = j; i != j" in jacobian.method
    assert symmetric.status is Status.PROVED
    assert slip.status is Status.REFUTED and slip.counterexample.certified
    assert slip.counterexample.what.startswith("at n = 2, i = 1, j = 2:")  # off the diagonal


def test_the_hessian_of_log_sum_exp_twice_differentiated(run):
    gradient, hessian = verdicts(run, Given(log(Z)), Differentiate(x[i], p(i)),
                                 Differentiate(x[j], p(i) * (KroneckerDelta(i, j) - p(j))))
    assert gradient.status is Status.PROVED and hessian.status is Status.PROVED


def test_cs231n_softmax_loss_gradient(run):
    """CS231n (linear classification notes): L = -log(e^{f_y} / sum_j e^{f_j}) has
    dL/df_k = p_k - 1(k = y); the mutant p_y - 1(k = y) is refuted."""
    loss = -log(exp(f[y]) / Sum(exp(f[j]), (j, 1, n)))

    def q(a):
        return exp(f[a]) / Sum(exp(f[j]), (j, 1, n))

    right, _, mutant = verdicts(run, Given(loss), Differentiate(f[k], q(k) - KroneckerDelta(k, y)),
                                Given(loss), Differentiate(f[k], q(y) - KroneckerDelta(k, y)))
    assert right.status is Status.PROVED and "for all n, k, y" in right.method
    assert mutant.status is Status.REFUTED and mutant.counterexample.certified
    assert mutant.counterexample.what.startswith("at n = 2, k = ")


def test_prml_logistic_regression_gradient(run):
    """PRML eq. (4.90)-(4.91), one feature: E(w) = -sum_m [t_m ln s_m + (1 - t_m) ln(1 - s_m)] with
    s_m = sigma(w x_m) has dE/dw = sum_m (s_m - t_m) x_m; the mutant (t_m - s_m) x_m is refuted."""

    def sigma(z):
        return 1 / (1 + exp(-z))

    error = -Sum(t[k] * log(sigma(w * x[k])) + (1 - t[k]) * log(1 - sigma(w * x[k])), (k, 1, n))
    right, _, mutant = verdicts(run, Given(error), Differentiate(w, Sum((sigma(w * x[k]) - t[k]) * x[k], (k, 1, n))),
                                Given(error), Differentiate(w, Sum((t[k] - sigma(w * x[k])) * x[k], (k, 1, n))))
    assert right.status is Status.PROVED and "termwise" in right.method
    assert mutant.status is Status.REFUTED and mutant.counterexample.what.startswith("at n = 1:")


# -- positive semi-definiteness as a bound: u^T H u >= 0 --------------------------------------------

def quadratic_form(entry):
    return Sum(Sum(u[i] * u[j] * entry, (j, 1, n)), (i, 1, n))


def test_a_sum_of_squares_form_is_proved_positive_semidefinite(run):
    verdict = only(run, Given(quadratic_form(KroneckerDelta(i, j) * (1 + x[i] ** 2))), Bound(0, ">="))
    assert verdict.status is Status.PROVED and "delta sum" in verdict.method


def test_a_rank_one_form_is_proved_positive_semidefinite(run):
    """u^T (a a^T) u = (a . u)^2, the Gauss-Newton form: the factor free of j comes out of the
    inner sum, the two sums are one, and a square is nonnegative."""
    verdict = only(run, Given(quadratic_form(x[i] * x[j])), Bound(0, ">="))
    assert verdict.status is Status.PROVED and "a factor free of the index taken out" in verdict.method


def test_the_softmax_hessian_is_proved_psd_and_its_negative_refuted(run):
    hessian = p(i) * (KroneckerDelta(i, j) - p(j))
    psd, negative = verdicts(run, Given(quadratic_form(hessian)), Bound(0, ">="),
                             Given(quadratic_form(-hessian)), Bound(0, ">="))[0::2]
    assert psd.status is Status.PROVED and "delta sum" in psd.method and "Cauchy-Schwarz" in psd.method
    assert "n = 1, 2, 3, 5, 8, 12" in psd.method
    assert negative.status is Status.REFUTED and negative.counterexample.certified
    assert negative.counterexample.what.startswith("at n = 2:")


# -- declarations: a wrong one is an error naming the file, line and step ---------------------------

def test_an_undeclared_label_of_an_indexed_base_is_named():
    v = IndexedBase(sp.Symbol("v", real=True))
    with pytest.raises(DerivationError) as caught:
        Derivation(name="d", title="d", symbols=(n, k), steps=(Given(Sum(v[k], (k, 1, n))), Rewrite(Sum(v[k], (k, 1, n)))))
    message = str(caught.value)
    assert "test_vectors_and_symbolic_n.py" in message and "step 1" in message
    assert "it labels the IndexedBase v" in message


def test_a_sum_index_not_declared_integer_is_named():
    m = sp.Symbol("m", real=True)
    with pytest.raises(DerivationError) as caught:
        Derivation(name="d", title="d", symbols=SYMBOLS + (m,), steps=(Given(Sum(x[m], (m, 1, n))), Rewrite(Rational(1))))
    assert "the index m of x[m]" in str(caught.value) or "the index m of the Sum" in str(caught.value)
    assert "step 1" in str(caught.value) and "integer=True" in str(caught.value)


def test_a_size_not_declared_integer_is_named():
    size = sp.Symbol("N", positive=True)
    with pytest.raises(DerivationError) as caught:
        Derivation(name="d", title="d", symbols=SYMBOLS + (size,), steps=(Given(Sum(x[k], (k, 1, size))),))
    assert "upper bound N" in str(caught.value) and "integer=True, positive=True" in str(caught.value)


def test_complex_entries_are_refused():
    c = IndexedBase(sp.Symbol("c"))
    with pytest.raises(DerivationError):
        Derivation(name="d", title="d", symbols=SYMBOLS + (sp.Symbol("c"),), steps=(Given(Sum(c[k], (k, 1, n))),))


# -- display ------------------------------------------------------------------------------------------

def test_the_kronecker_delta_and_partials_print_as_mathematics():
    text = to_mathml(sp.Derivative(p(i), x[j]) - p(i) * (KroneckerDelta(i, j) - p(j)))
    assert "kroneckerdelta" not in text.lower()
    assert "<msub><mi>δ</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub>" in text
    assert "∂" in text and "<msub><mi>x</mi><mi>j</mi></msub>" in text


# -- two sizes: M features and N samples, each free index over its own size ---------------------------

def two_sizes(*steps, domain=()):
    return Derivation(name="two-sizes", title="two sizes", symbols=SYMBOLS, steps=steps, domain=domain)


def activation(m):
    """w^T phi_m, M features: phi's second slot runs over 1..M."""
    return Sum(x[i] * phi[m, i], (i, 1, M))


LEAST_SQUARES = Sum((t[k] - activation(k)) ** 2, (k, 1, N)) / 2  # PRML (3.12), weights x


def test_a_least_squares_gradient_over_features_and_samples_is_proved(run):
    """dE/dx_j = -sum_n (t_n - x^T phi_n) phi_nj: j ranges over the M features, read from x[j] and
    from phi[n, j] (phi's second slot is summed up to M); checked at each (M, N) named, each j <= M."""
    verdict = only(run, Given(LEAST_SQUARES), Differentiate(x[j], -Sum((t[k] - activation(k)) * phi[k, j], (k, 1, N))))
    assert verdict.status is Status.PROVED, verdict
    assert "for all M, N, j" in verdict.method and "delta sum" in verdict.method
    assert "M, N = 1, 2, 3, 5 with M*N <= 6; j = 1..M" in verdict.method


def test_its_hessian_has_two_free_indices_over_the_features(run):
    gradient, hessian = verdicts(run, Given(LEAST_SQUARES),
                                 Differentiate(x[j], -Sum((t[k] - activation(k)) * phi[k, j], (k, 1, N))),
                                 Differentiate(x[y], Sum(phi[k, j] * phi[k, y], (k, 1, N))))
    assert gradient.status is Status.PROVED and hessian.status is Status.PROVED, hessian
    assert "for all M, N, j, y" in hessian.method and "j, y each 1..M" in hessian.method


def test_an_index_slip_phi_jn_for_phi_nj_is_refuted_naming_the_sizes_and_the_index(run):
    verdict = only(run, Given(LEAST_SQUARES), Differentiate(x[j], -Sum((t[k] - activation(k)) * phi[j, k], (k, 1, N))))
    assert verdict.status is Status.REFUTED and verdict.counterexample.certified
    what = verdict.counterexample.what
    assert what.startswith("at M = ") and ", N = " in what and ", j = " in what, what


def test_a_sum_over_the_wrong_size_is_refuted_where_the_sizes_differ(run):
    """sum_n ... written up to M instead of N: equal at M = N only, so refuted at M != N."""
    verdict = only(run, Given(LEAST_SQUARES), Differentiate(x[j], -Sum((t[k] - activation(k)) * phi[k, j], (k, 1, M))))
    assert verdict.status is Status.REFUTED and verdict.counterexample.certified
    what = verdict.counterexample.what
    sizes = dict(part.split(" = ") for part in what.removeprefix("at ").split(":")[0].split(", "))
    assert sizes["M"] != sizes["N"], what


def test_the_quadratic_form_of_a_gram_matrix_is_proved_by_exchanging_the_sums(run):
    """u^T (Phi^T Phi) u = sum_n (u^T phi_n)^2: the sums over the features taken inside the one over
    the samples; a slip of the form's indices (phi[n, i] phi[k, n]) is refuted."""
    form = Sum(Sum(u[i] * u[j] * Sum(phi[k, i] * phi[k, j], (k, 1, N)), (j, 1, M)), (i, 1, M))
    proved, _, slip = verdicts(run, Given(form), Rewrite(Sum(Sum(u[i] * phi[k, i], (i, 1, M)) ** 2, (k, 1, N))),
                               Given(form), Rewrite(Sum(Sum(u[i] * phi[i, k], (i, 1, M)) ** 2, (k, 1, N))))
    assert proved.status is Status.PROVED and "two sums exchanged" in proved.method
    assert slip.status is Status.REFUTED and slip.counterexample.what.startswith("at M = ")


def test_a_sum_over_two_sizes_without_free_indices_is_checked_at_each_pair(run):
    verdict = only(run, Given(Sum(Sum(x[k] * u[i], (i, 1, M)), (k, 1, N))),
                   Rewrite(Sum(x[k], (k, 1, N)) * Sum(u[i], (i, 1, M))))
    assert verdict.status is Status.PROVED and "for all M, N" in verdict.method
    assert "M, N = 1, 2, 3, 5 with M*N <= 6" in verdict.method


def test_a_range_written_nowhere_is_an_error_that_says_how_to_declare_it(run):
    """f[j] indexes no slot a Sum runs over: j could be a feature or a sample; none is guessed
    (checking j up to the larger size could refute a true claim)."""
    claim = Sum(Sum(phi[k, i], (i, 1, M)), (k, 1, N)) * f[j]
    derivation = two_sizes(Given(claim), Rewrite(Sum(Sum(phi[k, i], (k, 1, N)), (i, 1, M)) * f[j]))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.ERROR
    assert "the range of j is written nowhere" in verdict.detail
    assert "where=(j <= M,)" in verdict.detail and "j then ranges over 1..M" in verdict.detail


@pytest.mark.parametrize("declared", ["where", "domain", "both ends"])
def test_a_declared_range_is_used(run, declared):
    claim = Sum(Sum(phi[k, i], (i, 1, M)), (k, 1, N)) * f[j]
    rewrite = Sum(Sum(phi[k, i], (k, 1, N)), (i, 1, M)) * f[j]
    if declared == "where":
        derivation = two_sizes(Given(claim), Rewrite(rewrite, where=(j <= N,)))
    elif declared == "domain":
        derivation = two_sizes(Given(claim), Rewrite(rewrite), domain=(j <= N,))
    else:
        derivation = two_sizes(Given(claim), Rewrite(rewrite, where=((1 <= j) & (j <= N),)))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.PROVED, verdict
    assert "j = 1..N" in verdict.method


def test_a_declared_range_is_no_variable_of_a_step_without_the_index(run):
    """domain=(j <= M,) speaks of the claims with j: a step in w alone draws w only, not j and M."""
    derivation = two_sizes(Given(w ** 3), Differentiate(w, 3 * w ** 2), domain=((1 <= j) & (j <= M),))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.PROVED
    assert set(verdict.evidence[0].worst_point) == {"w"}


def test_a_declared_range_is_checked_only_over_it(run):
    """log sum_n e^{phi_nj} >= mean_n phi_nj + log N (Jensen, no summation rule): true for every
    column j, checked; the column index j is declared to range over the M features."""
    jensen = log(Sum(exp(phi[k, j]), (k, 1, N))) - Sum(phi[k, j], (k, 1, N)) / N - log(N)
    verdict = only(run, Given(jensen), Bound(0, ">=", where=(j <= M,)))
    assert verdict.status is Status.CHECKED, verdict
    assert verdict.method.startswith("numeric only (Arb) at M, N = 1, 2, 3, 5 with M*N <= 6; j = 1..M")
    assert "no proof for all M, N, j by summation algebra" in verdict.detail
    assert "checked only at the sizes named" in verdict.detail


def test_a_declaration_the_claim_contradicts_is_an_error(run):
    derivation = two_sizes(Given(LEAST_SQUARES),
                           Differentiate(x[j], -Sum((t[k] - activation(k)) * phi[k, j], (k, 1, N)), where=(j <= N,)))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.ERROR
    assert "j is declared to range over 1..N, but the claim uses it where a Sum runs over 1..M" in verdict.detail


def test_a_range_set_with_a_symbolic_end_is_refused_at_load_saying_what_to_write():
    with pytest.raises(DerivationError) as caught:
        two_sizes(Given(f[j]), Rewrite(f[j], where=(sp.Contains(j, sp.Range(1, M + 1)),)))
    assert "write the inequality j <= M" in str(caught.value) and "step 2" in str(caught.value)


def test_an_index_used_over_both_sizes_is_an_error(run):
    derivation = two_sizes(Given(Sum(x[i], (i, 1, M)) * Sum(x[k], (k, 1, N)) * x[j]),
                           Rewrite(Sum(x[k], (k, 1, N)) * Sum(x[i], (i, 1, M)) * x[j]))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.ERROR and "j is used where Sums run over M and N" in verdict.detail
    declared = two_sizes(Given(Sum(x[i], (i, 1, M)) * Sum(x[k], (k, 1, N)) * x[j]),
                         Rewrite(Sum(x[k], (k, 1, N)) * Sum(x[i], (i, 1, M)) * x[j], where=(j <= N,)))
    verdict = run(declared).steps[1].verdict
    assert verdict.status is Status.PROVED and "j = 1..N" in verdict.method  # a declaration decides


# -- soundness: false claims over n never proved, true ones never refuted --------------------------

c_ = sp.Symbol("c", real=True)

FALSE_CLAIMS = {
    "a delta sum whose range misses the free index (j = 1)": (Sum(KroneckerDelta(k, j) * x[k], (k, 2, n)), x[j]),
    "a shifted sum is not the sum": (Sum(x[k + 1], (k, 1, n)), Sum(x[k], (k, 1, n))),
    "a sum of squares is not the square of the sum": (Sum(x[k] ** 2, (k, 1, n)), Sum(x[k], (k, 1, n)) ** 2),
    "the diagonal form is not the full one": (Sum(Sum(KroneckerDelta(i, j) * u[i] * u[j], (j, 1, n)), (i, 1, n)),
                                              Sum(u[i], (i, 1, n)) ** 2),
    "a factor that depends on the index cannot be taken out": (Sum(k * x[k], (k, 1, n)), k * Sum(x[k], (k, 1, n))),
    "an end dropped from a telescoping sum": (Sum(x[k + 1] - x[k], (k, 1, n)), x[n] - x[1]),
    "the range split with a wrong end": (Sum(x[k], (k, 2, n)), Sum(x[k], (k, 1, n)) - x[n]),
    "a constant summed once too often": (Sum(c_, (k, 1, n)), (n + 1) * c_),
}

TRUE_CLAIMS = {
    "a delta sums to 1 over the free index's range": (Sum(KroneckerDelta(k, j), (k, 1, n)), Rational(1)),
    "the diagonal form is the sum of squares": (Sum(Sum(KroneckerDelta(i, j) * u[i] * u[j], (j, 1, n)), (i, 1, n)),
                                                Sum(u[i] ** 2, (i, 1, n))),
    "a shifted range is the same sum": (Sum(x[k + 1], (k, 0, n - 1)), Sum(x[k], (k, 1, n))),
    "one more term": (Sum(x[k], (k, 1, n + 1)), Sum(x[k], (k, 1, n)) + x[n + 1]),
    "a constant summed n times": (Sum(c_, (k, 1, n)), n * c_),
}


@pytest.mark.parametrize("name", sorted(FALSE_CLAIMS))
def test_a_false_claim_over_n_is_refuted_and_never_proved(run, name):
    lhs, rhs = FALSE_CLAIMS[name]
    derivation = Derivation(name="false", title=name, symbols=SYMBOLS + (c_,), steps=(Given(lhs), Rewrite(rhs)))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.REFUTED, verdict
    assert verdict.counterexample.certified and verdict.counterexample.what.startswith("at n = ")


@pytest.mark.parametrize("name", sorted(TRUE_CLAIMS))
def test_a_true_claim_over_n_is_proved_for_all_n(run, name):
    lhs, rhs = TRUE_CLAIMS[name]
    derivation = Derivation(name="true", title=name, symbols=SYMBOLS + (c_,), steps=(Given(lhs), Rewrite(rhs)))
    verdict = run(derivation).steps[1].verdict
    assert verdict.status is Status.PROVED, verdict
    assert "for all n" in verdict.method


FALSE_TWO_SIZE_CLAIMS = {
    "exchanged with the matrix transposed": (Sum(Sum(A[i, k], (k, 1, N)), (i, 1, M)),
                                             Sum(Sum(A[k, i], (i, 1, M)), (k, 1, N))),
    "exchanged where the inner range depends on the outer index": (Sum(Sum(A[i, k], (k, 1, i)), (i, 1, M)),
                                                                   Sum(Sum(A[i, k], (i, 1, M)), (k, 1, M))),
    "a weighted double sum with the weights swapped": (Sum(x[i] * Sum(A[i, k] * u[k], (k, 1, N)), (i, 1, M)),
                                                       Sum(x[k] * Sum(A[i, k] * u[i], (i, 1, M)), (k, 1, N))),
    "a sum over the wrong size": (Sum(Sum(A[i, k], (k, 1, N)), (i, 1, M)), Sum(Sum(A[i, k], (k, 1, M)), (i, 1, M))),
}

TRUE_TWO_SIZE_CLAIMS = {
    "the order of two sums exchanged": (Sum(Sum(A[i, k], (k, 1, N)), (i, 1, M)), Sum(Sum(A[i, k], (i, 1, M)), (k, 1, N))),
    "a bilinear form both ways": (Sum(x[i] * Sum(A[i, k] * u[k], (k, 1, N)), (i, 1, M)),
                                  Sum(u[k] * Sum(A[i, k] * x[i], (i, 1, M)), (k, 1, N))),
    "a product of sums over each size": (Sum(x[i], (i, 1, M)) * Sum(u[k], (k, 1, N)),
                                         Sum(Sum(x[i] * u[k], (i, 1, M)), (k, 1, N))),
}


@pytest.mark.parametrize("name", sorted(FALSE_TWO_SIZE_CLAIMS))
def test_a_false_claim_over_two_sizes_is_refuted_and_never_proved(run, name):
    lhs, rhs = FALSE_TWO_SIZE_CLAIMS[name]
    verdict = run(two_sizes(Given(lhs), Rewrite(rhs))).steps[1].verdict
    assert verdict.status is Status.REFUTED, verdict
    assert verdict.counterexample.certified and verdict.counterexample.what.startswith("at M = ")


@pytest.mark.parametrize("name", sorted(TRUE_TWO_SIZE_CLAIMS))
def test_a_true_claim_over_two_sizes_is_proved_for_all_sizes(run, name):
    lhs, rhs = TRUE_TWO_SIZE_CLAIMS[name]
    verdict = run(two_sizes(Given(lhs), Rewrite(rhs))).steps[1].verdict
    assert verdict.status is Status.PROVED, verdict
    assert "for all M, N" in verdict.method
