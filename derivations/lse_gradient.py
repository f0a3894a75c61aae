"""The gradient of LogSumExp is the softmax (seed Part 2).

LSE_k(x) = (1/k) ln sum_i e^{k x_i}; differentiating, dLSE/dx_i = e^{k x_i} / sum_j e^{k x_j},
the softmax, whose entries are positive and sum to 1. Shown for two variables step by step,
then for n = 2..8 variables (the engine differentiates each instance; no n beyond 8 is claimed
by the verdict).
"""

from sympy import Derivative, Eq, IndexedBase, S, Sum, Symbol, exp, log, symbols

from smoothsym import Derivation, Differentiate, Generalise, Given, Rewrite

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)
i = Symbol("i", integer=True, positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)

X = IndexedBase(x)  # x_1, ..., x_n in the displayed n-variable claims


def variables(count):
    """x_1, ..., x_count: the variables of the n-variable instance."""
    return symbols(f"x_1:{count + 1}", real=True)


def lse(xs):
    """LSE_k(x_1, ..., x_n) = (1/k) ln sum_i e^{k x_i}."""
    return log(sum(exp(k * v) for v in xs)) / k


def softmax(xs, index):
    """The softmax entry e^{k x_index} / sum_j e^{k x_j}."""
    return exp(k * xs[index]) / sum(exp(k * v) for v in xs)


def gradient_is_softmax(count):
    """dLSE/dx_1 = softmax_1 for count variables (every x_i alike: LSE is symmetric)."""
    xs = variables(count)
    return lse(xs).diff(xs[0]), softmax(xs, 0)


def last_gradient_is_softmax(count):
    """dLSE/dx_n = softmax_n: the last variable, so both ends of the index range are checked."""
    xs = variables(count)
    return lse(xs).diff(xs[-1]), softmax(xs, count - 1)


def softmax_sums_to_one(count):
    """sum_i softmax_i = 1 for count variables."""
    xs = variables(count)
    return sum(softmax(xs, index) for index in range(count)), S.One


LSE_N = log(Sum(exp(k * X[j]), (j, 1, n))) / k
SOFTMAX_N = exp(k * X[i]) / Sum(exp(k * X[j]), (j, 1, n))

derivation = Derivation(
    name="lse-gradient",
    title="The gradient of LogSumExp is the softmax",
    source="Part 2: LSE and softmax",
    symbols=(x, y, k, i, j, n),
    conclusion=Eq(Derivative(LSE_N, X[i]), SOFTMAX_N),
    steps=[
        Given(log(exp(k * x) + exp(k * y)) / k, label="LSE_k(x, y)", why="LogSumExp of two variables"),
        Differentiate(
            x, exp(k * x) / (exp(k * x) + exp(k * y)),
            label="∇LSE = softmax",
            why=r"the chain rule: $\frac{1}{k} k e^{kx} / (e^{kx} + e^{ky})$",
        ),
        Rewrite(
            1 / (1 + exp(-k * (x - y))),
            label="∇LSE = softmax",
            why="for two variables the softmax entry is the sigmoid of $k(x - y)$",
        ),
        Given(exp(k * x) / (exp(k * x) + exp(k * y)) + exp(k * y) / (exp(k * x) + exp(k * y)),
              label="softmax", why="the two entries of the two-variable softmax, added"),
        Rewrite(1, label="softmax", why="the entries share one denominator, which they add up to"),
        Given(LSE_N, label="LSE_k(x)", why="LogSumExp of n variables"),
        Generalise(
            Eq(Derivative(LSE_N, X[i]), SOFTMAX_N), gradient_is_softmax,
            label="∇LSE = softmax",
            why=r"$\frac{d}{dx_1}$ of the $n$-variable LSE is the first softmax entry (the engine differentiates each $n$)",
        ),
        Generalise(
            Eq(Derivative(LSE_N, X[n]), exp(k * X[n]) / Sum(exp(k * X[j]), (j, 1, n))), last_gradient_is_softmax,
            label="∇LSE = softmax",
            why="the same for the last variable $x_n$",
        ),
        Generalise(
            Eq(Sum(SOFTMAX_N, (i, 1, n)), 1), softmax_sums_to_one,
            label="softmax",
            why="the softmax entries sum to 1, so the gradient of LSE sums to 1",
        ),
    ],
)
