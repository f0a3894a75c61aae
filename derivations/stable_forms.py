"""Stable forms of the smooth functions, for numeric code (issue 5: export).

The naive formulas overflow: e^{kx} is inf in float64 once kx > 709. Each function is rewritten
into a form whose exponentials never exceed 1, by shifting with the maximum M:
LSE_k(x) = M + (1/k) ln sum_i e^{k(x_i - M)}, and for two terms
max(x, y) + (1/k) log1p(e^{-k|x - y|}). The engine verifies every rewrite against the naive form;
`smoothsym export` then prints code from the steps marked ``export=``, never from the naive form.

SymPy ships rewrites for this in ``sympy.codegen.rewriting``; they are used where they are right
and checked like any other step: ``log1p_opt`` is true (but keeps the overflowing e^{kx}), and
``logsumexp_2terms_opt`` (SymPy 1.14) drops the shift, log(e^a + e^b) -> max(a, b) +
log1p(e^{min(a, b)}), which the engine refutes.
"""

from sympy import Abs, Derivative, Eq, IndexedBase, Max, Sum, Symbol, exp, log, symbols
from sympy.codegen.cfunctions import log1p
from sympy.codegen.rewriting import log1p_opt, logsumexp_2terms_opt, optimize

from smoothsym import Derivation, Generalise, Given, Rewrite

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)
i = Symbol("i", integer=True, positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
z = Symbol("z", real=True)
X = IndexedBase(x)  # x_1, ..., x_n in the displayed n-variable claims
Z = IndexedBase(z)  # the scores z_1, ..., z_n of the cross-entropy; z_1 the target's
M = Symbol("M", real=True)  # only displayed: M = max_i x_i
c = Symbol("c", real=True)  # any shift

lse_xy = log(exp(k * x) + exp(k * y)) / k
softplus = log(1 + exp(k * x)) / k
smooth_abs = log(exp(k * x) + exp(-k * x)) / k


def variables(count, name="x"):
    """x_1, ..., x_count."""
    return symbols(f"{name}_1:{count + 1}", real=True)


def shifted_sum(xs, scale=k):
    """sum_i e^{scale (x_i - M)} with M = max_i x_i: every term <= 1, one term = 1."""
    top = Max(*xs)
    return sum(exp(scale * (v - top)) for v in xs)


def lse_shift(count):
    """LSE_k(x_1..x_n) = M + (1/k) ln sum_i e^{k(x_i - M)}."""
    xs = variables(count)
    return log(sum(exp(k * v) for v in xs)) / k, Max(*xs) + log(shifted_sum(xs)) / k


def lse_any_shift(count):
    """LSE_k(x_1..x_n) = c + (1/k) ln sum_i e^{k(x_i - c)} for any real c."""
    xs = variables(count)
    return log(sum(exp(k * v) for v in xs)) / k, c + log(sum(exp(k * (v - c)) for v in xs)) / k


def softmax_shift(count):
    """e^{k x_1} / sum_j e^{k x_j} = e^{k(x_1 - M)} / sum_j e^{k(x_j - M)}."""
    xs = variables(count)
    naive = exp(k * xs[0]) / sum(exp(k * v) for v in xs)
    return naive, exp(k * (xs[0] - Max(*xs))) / shifted_sum(xs)


def cross_entropy(zs):
    """-ln softmax_1(z): the cross-entropy of the scores z with target class 1."""
    return -log(exp(zs[0]) / sum(exp(v) for v in zs))


def cross_entropy_shift(count):
    """-ln(e^{z_1} / sum_j e^{z_j}) = M + ln sum_j e^{z_j - M} - z_1."""
    zs = variables(count, "z")
    return cross_entropy(zs), Max(*zs) + log(shifted_sum(zs, 1)) - zs[0]


def shifted_softmax(zs, index):
    return exp(zs[index] - Max(*zs)) / shifted_sum(zs, 1)


def target_gradient(count):
    """d/dz_1 of the cross-entropy = softmax_1 - 1 (softmax minus the one-hot, at the target)."""
    zs = variables(count, "z")
    return cross_entropy(zs).diff(zs[0]), shifted_softmax(zs, 0) - 1


def other_gradient(count):
    """d/dz_n of the cross-entropy = softmax_n (the one-hot is 0 off the target)."""
    zs = variables(count, "z")
    return cross_entropy(zs).diff(zs[-1]), shifted_softmax(zs, count - 1)


LSE_N = log(Sum(exp(k * X[j]), (j, 1, n))) / k
LSE_N_SHIFTED = M + log(Sum(exp(k * (X[j] - M)), (j, 1, n))) / k
SOFTMAX_N = exp(k * X[i]) / Sum(exp(k * X[j]), (j, 1, n))
SOFTMAX_N_SHIFTED = exp(k * (X[i] - M)) / Sum(exp(k * (X[j] - M)), (j, 1, n))
CE_N = -log(exp(Z[1]) / Sum(exp(Z[j]), (j, 1, n)))
CE_N_SHIFTED = M + log(Sum(exp(Z[j] - M), (j, 1, n))) - Z[1]

derivation = Derivation(
    name="stable-forms",
    title="Stable forms of LogSumExp, softmax, softplus and the cross-entropy",
    source="Part 2 (for export)",
    symbols=(x, y, k, i, j, n, z, M, c),
    conclusion=Eq(LSE_N, LSE_N_SHIFTED),
    steps=[
        # -- two terms: SymPy's own rewrites, checked ------------------------------------
        Given(lse_xy, label="LSE_k(x, y)", why="LogSumExp of two variables, naive: $e^{kx}$ overflows for $kx > 709$"),
        Rewrite(
            optimize(lse_xy, [logsumexp_2terms_opt, log1p_opt]),
            label="sympy.codegen.rewriting.logsumexp_2terms_opt",
            why="SymPy's two-term optimisation, applied as shipped",
            expect_refuted=r"it writes $\max(a, b) + \operatorname{log1p}(e^{\min(a, b)})$ without subtracting the max: at $x = y = 0$ it is right only by chance, at $x = 1$, $y = 0$ it gives $1 + \ln 2$ instead of $\ln(e + 1)$",
        ),
        Given(lse_xy, label="LSE_k(x, y)", why="LogSumExp of two variables, again"),
        Rewrite(
            Max(x, y) + log(exp(k * (x - Max(x, y))) + exp(k * (y - Max(x, y)))) / k,
            label="max-shift", why=r"$e^{kx} + e^{ky} = e^{kM}(e^{k(x-M)} + e^{k(y-M)})$ with $M = \max(x, y)$",
        ),
        Rewrite(
            Max(x, y) + log1p(exp(-k * Abs(x - y))) / k,
            label="binary smooth max, stable",
            why=r"one shifted term is $e^0 = 1$ and the other $e^{-k|x-y|} \le 1$: log1p keeps it exact when it is tiny",
            export="smooth_max(x, y, k=1)",
        ),
        # -- n terms ---------------------------------------------------------------------
        Given(LSE_N, label="LSE_k(x)", why="LogSumExp of n variables, naive"),
        Generalise(
            Eq(LSE_N, c + log(Sum(exp(k * (X[j] - c)), (j, 1, n))) / k), lse_any_shift,
            label="any shift", why="$e^{k x_i} = e^{kc} e^{k(x_i - c)}$ for every real $c$: one shift may serve a whole array",
        ),
        Generalise(
            Eq(LSE_N, LSE_N_SHIFTED), lse_shift,
            label="max-shift", why=r"factor $e^{kM}$, $M = \max_i x_i$, out of the sum: every exponent is $\le 0$",
            export="logsumexp",
        ),
        Given(SOFTMAX_N, label="softmax", why="the softmax entry, naive: inf/inf = NaN once $k x_i > 709$"),
        Generalise(
            Eq(SOFTMAX_N, SOFTMAX_N_SHIFTED), softmax_shift,
            label="shifted softmax", why="multiply above and below by $e^{-kM}$",
            export="softmax",
        ),
        # -- softplus and smooth |x| ------------------------------------------------------
        Given(softplus, label="softplus", why=r"softplus $\frac{1}{k} \ln(1 + e^{kx})$, naive"),
        Rewrite(
            optimize(softplus, [log1p_opt]),
            label="sympy.codegen.rewriting.log1p_opt",
            why="SymPy's log1p optimisation: true, but $e^{kx}$ still overflows for $kx > 709$",
        ),
        Rewrite(
            Max(x, 0) + log1p(exp(-k * Abs(x))) / k,
            label="softplus, stable",
            why=r"$\mathrm{LSE}_k(x, 0)$ shifted by $\max(x, 0)$: the remaining term is $e^{-k|x|} \le 1$",
            export="softplus(x, k=1)",
        ),
        Given(smooth_abs, label="(7)", why=r"the smooth $|x|$, $\frac{1}{k} \ln(e^{kx} + e^{-kx})$, naive"),
        Rewrite(
            Abs(x) + log1p(exp(-2 * k * Abs(x))) / k,
            label="smooth |x|, stable",
            why=r"$\mathrm{LSE}_k(x, -x)$ shifted by $\max(x, -x) = |x|$: the other term is $e^{-2k|x|}$",
            export="smooth_abs(x, k)",
        ),
        # -- the softmax cross-entropy and its gradient -------------------------------------
        Given(CE_N, label="cross-entropy", why=r"$-\ln \operatorname{softmax}_1(z)$, naive, target class 1"),
        Generalise(
            Eq(CE_N, CE_N_SHIFTED), cross_entropy_shift,
            label="z-shifted cross-entropy", why=r"$-\ln(e^{z_1}/S) = \ln S - z_1$ and $\ln S = M + \ln \sum_j e^{z_j - M}$",
            export="softmax_cross_entropy",
        ),
        Generalise(
            Eq(Derivative(CE_N, Z[1]), exp(Z[1] - M) / Sum(exp(Z[j] - M), (j, 1, n)) - 1), target_gradient,
            label="gradient = softmax - one-hot",
            why=r"at the target: $\frac{\partial}{\partial z_1} (\ln S - z_1) = \operatorname{softmax}_1 - 1$ (the engine differentiates each $n$)",
            export="softmax_cross_entropy_grad",
        ),
        Generalise(
            Eq(Derivative(CE_N, Z[n]), exp(Z[n] - M) / Sum(exp(Z[j] - M), (j, 1, n))), other_gradient,
            label="gradient = softmax - one-hot",
            why=r"off the target: $\frac{\partial}{\partial z_n} \ln S = \operatorname{softmax}_n$",
        ),
    ],
)
