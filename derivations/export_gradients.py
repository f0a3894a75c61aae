"""The derivatives the torch and JAX exports use as their backward passes (issue 11).

`smoothsym export --target torch` (or `jax`) gives each exported function a backward pass that is a
verified derivative, not the framework's autodiff of the forward code:

* an elementwise function F exported from a step's claim (softplus, sigmoid, ...) is differentiated
  here, starting from that very claim (the Given is the exported stable form, symbol for symbol):
  each `Differentiate` step's claim is printed as the derivative code, and it is written in a
  stable form too (e^{min(x, 0)}/(1 + e^{-|x|}) for the sigmoid, never 1/(1 + e^{-x}));
* a reduction's template implements a vector-Jacobian product; its Jacobian is a step here
  (softmax, log-softmax) or in `lse-gradient` (∇LSE = softmax) and `stable-forms` (the
  cross-entropy's gradient = softmax - one-hot). The n-variable claims are checked for n = 2..8.

Linking is mechanical: a Differentiate step whose starting expression is an exported formula is
that function's derivative in the step's variable (`export.py`, `derivatives_of`).
"""

from sympy import Abs, Derivative, Eq, IndexedBase, Max, Min, Sum, Symbol, exp, log, symbols, tanh
from sympy.codegen.cfunctions import log1p

from smoothsym import Derivation, Differentiate, Generalise, Given

x = Symbol("x", real=True)
y = Symbol("y", real=True)
z = Symbol("z", real=True)
t = Symbol("t", real=True)
k = Symbol("k", positive=True)
i = Symbol("i", integer=True, positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
X = IndexedBase(x)


def stable_sigmoid(u, scale=1):
    """sigma(scale u) = e^{scale min(u, 0)} / (1 + e^{-scale |u|}): no exponent is positive."""
    return exp(scale * Min(u, 0)) / (1 + exp(-scale * Abs(u)))


# The exported stable forms, exactly as the steps marked export= state them.
SOFTPLUS = Max(x, 0) + log1p(exp(-k * Abs(x))) / k  # stable-forms, "softplus, stable"
SMOOTH_MAX = Max(x, y) + log1p(exp(-k * Abs(x - y))) / k  # stable-forms, "binary smooth max, stable"
SMOOTH_ABS = Abs(x) + log1p(exp(-2 * k * Abs(x))) / k  # stable-forms, "smooth |x|, stable"
SIGMOID = exp(Min(x, 0)) / (1 + exp(-Abs(x)))  # export-forms, "sigmoid, stable"
LOG_SIGMOID = Min(x, 0) - log1p(exp(-Abs(x)))  # export-forms, "log sigmoid, stable"
BCE = Max(z, 0) - z * t + log1p(exp(-Abs(z)))  # export-forms, "binary cross-entropy with logits, stable"


def variables(count):
    """x_1, ..., x_count."""
    return symbols(f"x_1:{count + 1}", real=True)


def softmax(xs, index):
    """softmax_k(x)_index = e^{k x_index} / sum_j e^{k x_j}."""
    return exp(k * xs[index]) / sum(exp(k * v) for v in xs)


def softmax_diagonal(count):
    """d softmax_1 / dx_1 = k p_1 (1 - p_1)."""
    xs = variables(count)
    p = softmax(xs, 0)
    return p.diff(xs[0]), k * p * (1 - p)


def softmax_off_diagonal(count):
    """d softmax_1 / dx_n = -k p_1 p_n."""
    xs = variables(count)
    return softmax(xs, 0).diff(xs[-1]), -k * softmax(xs, 0) * softmax(xs, count - 1)


def log_softmax_diagonal(count):
    """d ln softmax_1 / dx_1 = k (1 - p_1)."""
    xs = variables(count)
    return log(softmax(xs, 0)).diff(xs[0]), k * (1 - softmax(xs, 0))


def log_softmax_off_diagonal(count):
    """d ln softmax_1 / dx_n = -k p_n."""
    xs = variables(count)
    return log(softmax(xs, 0)).diff(xs[-1]), -k * softmax(xs, count - 1)


def softmax_n(index):
    return exp(k * X[index]) / Sum(exp(k * X[j]), (j, 1, n))


derivation = Derivation(
    name="export-gradients",
    title="The derivatives behind the torch and JAX backward passes",
    source="issue 11 (export you can trust)",
    symbols=(x, y, z, t, k, i, j, n),
    conclusion=Eq(Derivative(softmax_n(1), X[n]), -k * softmax_n(1) * softmax_n(n)),
    steps=[
        # -- elementwise: each from the exported stable form -------------------------------------
        Given(SOFTPLUS, label="softplus, stable", why="the exported softplus"),
        Differentiate(
            x, stable_sigmoid(x, k), label="softplus' = sigmoid(kx)",
            why=r"$\frac{d}{dx} \max(x, 0)$ is the unit step and $\frac{d}{dx} |x| = \operatorname{sign} x$; on each side of 0 they combine to $e^{kx}/(1 + e^{kx})$, written without a positive exponent",
        ),
        Given(SMOOTH_MAX, label="binary smooth max, stable", why="the exported smooth max"),
        Differentiate(x, stable_sigmoid(x - y, k), label="∂/∂x smooth max = sigmoid(k(x - y))",
                      why="the softmax weight of $x$ among $(x, y)$"),
        Given(SMOOTH_MAX, label="binary smooth max, stable", why="the exported smooth max, again"),
        Differentiate(y, stable_sigmoid(y - x, k), label="∂/∂y smooth max = sigmoid(k(y - x))",
                      why="the softmax weight of $y$; the two add up to 1"),
        Given(SMOOTH_ABS, label="smooth |x|, stable", why="the exported smooth $|x|$"),
        Differentiate(x, tanh(k * x), label="smooth |x|' = tanh(kx)",
                      why=r"the derivative of $\frac{1}{k} \ln(2 \cosh kx)$; $\tanh$ is bounded, so stable as it stands"),
        Given(SIGMOID, label="sigmoid, stable", why="the exported sigmoid"),
        Differentiate(x, exp(-Abs(x)) / (1 + exp(-Abs(x))) ** 2, label="sigmoid' = sigmoid(x) sigmoid(-x)",
                      why=r"$\sigma(x)(1 - \sigma(x)) = e^{-|x|}/(1 + e^{-|x|})^2$, the same on both sides of 0"),
        Given(LOG_SIGMOID, label="log sigmoid, stable", why="the exported log-sigmoid"),
        Differentiate(x, stable_sigmoid(-x), label="log sigmoid' = sigmoid(-x)",
                      why=r"$\frac{d}{dx}$ of $-\operatorname{softplus}(-x)$ is $\sigma(-x)$"),
        Given(BCE, label="binary cross-entropy with logits, stable", why="the exported loss"),
        Differentiate(z, (1 - t) * stable_sigmoid(z) - t * stable_sigmoid(-z), label="∂/∂z = sigmoid(z) - t",
                      why=r"the prediction minus the target, written as $(1 - t) \sigma(z) - t \sigma(-z)$: for a hard target $t = 1$ it is $-\sigma(-z)$ exactly, where $\sigma(z) - 1$ would cancel ($z = 6$ loses 3 digits)"),
        Given(BCE, label="binary cross-entropy with logits, stable", why="the exported loss, again"),
        Differentiate(t, -z, label="∂/∂t = -z", why="the loss is linear in the target"),
        # -- reductions: the Jacobians the templates' vector-Jacobian products use ----------------
        Given(softmax_n(1), label="softmax", why="the first softmax entry of n variables"),
        Generalise(
            Eq(Derivative(softmax_n(1), X[1]), k * softmax_n(1) * (1 - softmax_n(1))), softmax_diagonal,
            label="softmax Jacobian", why="the quotient rule: $k p_1 - k p_1^2$",
        ),
        Generalise(
            Eq(Derivative(softmax_n(1), X[n]), -k * softmax_n(1) * softmax_n(n)), softmax_off_diagonal,
            label="softmax Jacobian",
            why=r"only the denominator holds $x_n$: $\partial \operatorname{softmax}_i / \partial x_j = k p_i (\delta_{ij} - p_j)$, whose product with $g$ is $k p (g - \sum g p)$",
        ),
        Given(log(softmax_n(1)), label="log softmax", why="the log of the first softmax entry"),
        Generalise(
            Eq(Derivative(log(softmax_n(1)), X[1]), k * (1 - softmax_n(1))), log_softmax_diagonal,
            label="log-softmax Jacobian", why=r"$k x_1 - \mathrm{LSE}$: $k$ minus $k$ times the first entry of $\nabla \mathrm{LSE}$",
        ),
        Generalise(
            Eq(Derivative(log(softmax_n(1)), X[n]), -k * softmax_n(n)), log_softmax_off_diagonal,
            label="log-softmax Jacobian",
            why=r"$\partial \ln \operatorname{softmax}_i / \partial x_j = k (\delta_{ij} - p_j)$, whose product with $g$ is $k (g - p \sum g)$",
        ),
    ],
)
