"""The formulas the exported numpy code evaluates (issue 11), each proved against the naive form.

`stable_forms.py` proves the max-shift forms; the code of `smoothsym export` goes one step further,
and each further step is here, so that what runs is a verified formula and not only its idea:

* the reductions pivot on one entry x_1 (the code takes the row's max, so every exponent is <= 0)
  and keep its own term e^0 = 1 out of the sum: ln(1 + s) is then log1p(s), exact when s is tiny
  (logsumexp([0, -40]) = log1p(e^-40) = 4.25e-18, where ln(1 + e^-40) rounds to 0);
* log_softmax and the cross-entropy are differences to the pivot plus the same log1p, so a
  confident prediction (the target is the max) costs no cancellation;
* sigmoid, log_sigmoid and the binary cross-entropy with logits are elementwise, printed from
  these steps by SymPy's numpy printer.

The pivot may be any entry: each identity holds for every real x_1, which the instances check.
"""

from sympy import Abs, Eq, IndexedBase, Max, Min, Sum, Symbol, exp, log, symbols
from sympy.codegen.cfunctions import log1p

from smoothsym import Derivation, Generalise, Given, Rewrite

x = Symbol("x", real=True)
z = Symbol("z", real=True)
t = Symbol("t", real=True)  # the binary target (a probability) of the cross-entropy with logits
k = Symbol("k", positive=True)
i = Symbol("i", integer=True, positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
b = Symbol("b", positive=True)
X = IndexedBase(x)
Z = IndexedBase(z)
B = IndexedBase(b)


def variables(count, name="x", **assumptions):
    """x_1, ..., x_count."""
    return symbols(f"{name}_1:{count + 1}", **(assumptions or {"real": True}))


def pivoted(xs, scale=k):
    """sum_{j >= 2} e^{scale (x_j - x_1)}: the sum without the pivot's own term e^0 = 1."""
    return sum(exp(scale * (v - xs[0])) for v in xs[1:])


def lse_log1p(count):
    """LSE_k(x) = x_1 + (1/k) log1p(sum_{j >= 2} e^{k(x_j - x_1)})."""
    xs = variables(count)
    return log(sum(exp(k * v) for v in xs)) / k, xs[0] + log1p(pivoted(xs)) / k


def weighted_lse_log1p(count):
    """(1/k) ln sum_j b_j e^{k x_j} = x_1 + (ln b_1 + log1p(sum_{j >= 2} (b_j/b_1) e^{k(x_j - x_1)}))/k."""
    xs, bs = variables(count), variables(count, "b", positive=True)
    rest = sum(bs[m] / bs[0] * exp(k * (xs[m] - xs[0])) for m in range(1, count))
    return log(sum(w * exp(k * v) for w, v in zip(bs, xs))) / k, xs[0] + (log(bs[0]) + log1p(rest)) / k


def log_softmax_log1p(count):
    """ln softmax_k(x)_n = k(x_n - x_1) - log1p(sum_{j >= 2} e^{k(x_j - x_1)})."""
    xs = variables(count)
    return log(exp(k * xs[-1]) / sum(exp(k * v) for v in xs)), k * (xs[-1] - xs[0]) - log1p(pivoted(xs))


def cross_entropy_log1p(count):
    """-ln softmax(z)_n = (z_1 - z_n) + log1p(sum_{j >= 2} e^{z_j - z_1}): target n, pivot z_1."""
    zs = variables(count, "z")
    return -log(exp(zs[-1]) / sum(exp(v) for v in zs)), (zs[0] - zs[-1]) + log1p(pivoted(zs, 1))


def target_gradient_log1p(count):
    """softmax(z)_1 - 1 = -s/(1 + s), s = sum_{j >= 2} e^{z_j - z_1}: the gradient at the target
    when the target is the pivot, without the cancellation of p - 1 when p is near 1."""
    zs = variables(count, "z")
    s = pivoted(zs, 1)
    return exp(zs[0]) / sum(exp(v) for v in zs) - 1, -s / (1 + s)


LSE_N = log(Sum(exp(k * X[j]), (j, 1, n))) / k
REST = Sum(exp(k * (X[j] - X[1])), (j, 2, n))
LOG_SOFTMAX_N = log(exp(k * X[i]) / Sum(exp(k * X[j]), (j, 1, n)))
CE_N = -log(exp(Z[n]) / Sum(exp(Z[j]), (j, 1, n)))
Z_REST = Sum(exp(Z[j] - Z[1]), (j, 2, n))

derivation = Derivation(
    name="export-forms",
    title="The formulas the exported code evaluates: log1p forms about a pivot, sigmoid and its relatives",
    source="issue 11 (export you can trust)",
    symbols=(x, z, t, k, i, j, n, b),
    conclusion=Eq(LSE_N, X[1] + log1p(REST) / k),
    steps=[
        # -- reductions ---------------------------------------------------------------------------
        Given(LSE_N, label="LSE_k(x)", why="LogSumExp of n variables, naive"),
        Generalise(
            Eq(LSE_N, X[1] + log1p(REST) / k), lse_log1p,
            label="LSE, log1p about a pivot",
            why=r"factor $e^{k x_1}$ out of the sum; its own term is 1, so $\ln(1 + s) = \operatorname{log1p}(s)$ with $s$ the rest (the code pivots on the row's max: $s \le n - 1$ and every exponent $\le 0$)",
            export="logsumexp",
        ),
        Given(log(Sum(B[j] * exp(k * X[j]), (j, 1, n))) / k, label="weighted LSE", why="scipy's b= weights, $b_j > 0$"),
        Generalise(
            Eq(log(Sum(B[j] * exp(k * X[j]), (j, 1, n))) / k,
               X[1] + (log(B[1]) + log1p(Sum(B[j] / B[1] * exp(k * (X[j] - X[1])), (j, 2, n)))) / k),
            weighted_lse_log1p,
            label="weighted LSE, log1p about a pivot",
            why="factor $b_1 e^{k x_1}$ out of the sum (the code takes $|b_1|$ and the sign apart, for return_sign=)",
        ),
        Given(LOG_SOFTMAX_N, label="log softmax", why=r"the log of a softmax entry, naive: $\ln(\infty/\infty)$ in floating point"),
        Generalise(
            Eq(LOG_SOFTMAX_N, k * (X[i] - X[1]) - log1p(REST)), log_softmax_log1p,
            label="log softmax, log1p about a pivot",
            why=r"$\ln e^{k x_i} - \mathrm{LSE}$: the pivot's $k x_1$ cancels exactly, no large terms are subtracted",
            export="log_softmax",
        ),
        Given(CE_N, label="cross-entropy", why=r"$-\ln \operatorname{softmax}_n(z)$, target class $n$, naive"),
        Generalise(
            Eq(CE_N, (Z[1] - Z[n]) + log1p(Z_REST)), cross_entropy_log1p,
            label="cross-entropy, log1p about a pivot",
            why=r"$\mathrm{LSE}(z) - z_n$ with LSE pivoted on $z_1$: when the target is the pivot (a confident, right prediction) the first term is exactly 0 and the loss is $\operatorname{log1p}(s)$, accurate to the last bit",
            export="softmax_cross_entropy",
        ),
        Given(exp(Z[1]) / Sum(exp(Z[j]), (j, 1, n)) - 1, label="gradient at the target",
              why=r"$\operatorname{softmax}_1 - 1$, naive: cancels when $\operatorname{softmax}_1$ is near 1"),
        Generalise(
            Eq(exp(Z[1]) / Sum(exp(Z[j]), (j, 1, n)) - 1, -Z_REST / (1 + Z_REST)), target_gradient_log1p,
            label="gradient at a pivot target",
            why="$e^{z_1}/(e^{z_1}(1 + s)) - 1 = -s/(1 + s)$: no cancellation",
            export="softmax_cross_entropy_grad",
        ),
        # -- elementwise ----------------------------------------------------------------------------
        Given(1 / (1 + exp(-x)), label="sigmoid", why="the logistic sigmoid, naive: $e^{-x}$ overflows for $x < -709$"),
        Rewrite(
            exp(Min(x, 0)) / (1 + exp(-Abs(x))),
            label="sigmoid, stable",
            why=r"for $x \ge 0$ it is the naive form; for $x < 0$ multiply above and below by $e^x$: no exponent is positive",
            export="sigmoid(x)",
        ),
        Given(log(1 / (1 + exp(-x))), label="log sigmoid", why=r"$\ln \sigma(x) = -\operatorname{softplus}(-x)$, naive"),
        Rewrite(
            Min(x, 0) - log1p(exp(-Abs(x))),
            label="log sigmoid, stable",
            why=r"$-\ln(1 + e^{-x})$ shifted by $\min(x, 0)$: log1p of $e^{-|x|} \le 1$ (accurate where the result is near 0)",
            export="log_sigmoid(x)",
        ),
        Given(-(t * log(1 / (1 + exp(-z))) + (1 - t) * log(1 - 1 / (1 + exp(-z)))),
              label="binary cross-entropy with logits", why=r"$-(t \ln \sigma(z) + (1 - t) \ln(1 - \sigma(z)))$, naive"),
        Rewrite(
            Max(z, 0) - z * t + log1p(exp(-Abs(z))),
            label="binary cross-entropy with logits, stable",
            why=r"$\ln \sigma(z) = -\operatorname{softplus}(-z)$ and $\ln(1 - \sigma(z)) = -\operatorname{softplus}(z)$, $\operatorname{softplus}(z) = \max(z, 0) + \operatorname{log1p}(e^{-|z|})$",
            export="binary_cross_entropy_with_logits(z, t)",
        ),
    ],
)
