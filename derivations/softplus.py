"""softplus is the smooth ReLU (seed Part 2).

(1/k) ln(1 + e^{kx}) is LogSumExp of x and 0, so it tends to max(x, 0), from above, by at most
ln(2)/k. Its derivative is the sigmoid 1/(1 + e^{-kx}), positive everywhere: where the ReLU is
flat (x < 0) and gives no gradient, softplus still gives at least e^{-k|x|}/2 (the page's "a
little gradient even past the LSE").
"""

from sympy import Abs, Eq, Heaviside, Limit as Lim, Max, Ne, Symbol, exp, log, oo

from smoothsym import Bound, Derivation, Differentiate, Given, Limit, Rewrite, Substitute

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)

softplus = log(1 + exp(k * x)) / k
sigmoid = 1 / (1 + exp(-k * x))

derivation = Derivation(
    name="softplus",
    title="softplus, the smooth ReLU, and its positive gradient",
    source="Part 2: softplus",
    symbols=(x, y, k),
    conclusion=Eq(Max(x, 0), Lim(softplus, k, oo)),
    steps=[
        Given(log(exp(k * x) + exp(k * y)) / k, label="LSE_k(x, y)", why="LogSumExp of two variables"),
        Substitute(y, 0, softplus, label="= lim LSE_k(x, 0)", why=r"with $y = 0$, $e^{k y} = 1$: $\mathrm{LSE}_k(x, 0)$ is softplus"),
        Limit(k, Max(x, 0), label="max(x, 0) = lim (1/k) ln(1 + e^{kx})", why=r"$\mathrm{LSE}_k(x, 0) \to \max(x, 0)$, the ReLU"),
        Given(softplus, label="softplus", why="softplus, for its distance from the ReLU"),
        Bound(Max(x, 0), ">=", label="the smooth ReLU", why=r"$\mathrm{LSE} \ge \max$: softplus lies above the ReLU"),
        Given(softplus, label="softplus", why="softplus, again"),
        Bound(Max(x, 0) + log(2) / k, "<=", label="the smooth ReLU", why=r"$\mathrm{LSE}_k \le \max + \ln(2)/k$ for two entries"),
        Given(Max(x, 0), label="ReLU", why=r"the ReLU $\max(x, 0)$"),
        Differentiate(x, 0, label="ReLU", why="flat left of 0: no gradient at all", where=(x < 0,)),
        Given(softplus, label="softplus", why="softplus, for its gradient"),
        Differentiate(x, exp(k * x) / (1 + exp(k * x)), label="softplus ln(1 + eˣ)", why=r"the chain rule: $\frac{1}{k} k e^{kx}/(1 + e^{kx})$"),
        Rewrite(sigmoid, label="softplus", why="divide by $e^{kx}$: the gradient is the sigmoid of $kx$"),
        Bound(
            exp(-k * Abs(x)) / 2, ">=",
            label="a little gradient even past the LSE",
            why=r"for $x \ge 0$ the sigmoid is $\ge 1/2$, for $x < 0$ it is $e^{kx}/(e^{kx} + 1) \ge e^{kx}/2$: positive everywhere",
        ),
        Given(sigmoid, label="softplus", why="the gradient of softplus"),
        Limit(k, Heaviside(x), label="ReLU", why="tends to the ReLU's gradient, the unit step, away from 0", where=(Ne(x, 0),)),
    ],
)
