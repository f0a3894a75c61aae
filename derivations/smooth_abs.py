"""A smooth |x| from the sigmoid: the seed's equations (2)-(7).

|x| is differentiated, its derivative written with the unit step, the step replaced by the
sigmoid 1/(1 + e^{-kx}) (exact as k -> oo), integrated back, rewritten, and the constant 2
dropped: |x| = lim_{k -> oo} (1/k) ln(e^{kx} + e^{-kx}).
"""

from sympy import Abs, Eq, Heaviside, Limit as Lim, Ne, Piecewise, Symbol, exp, log, oo

from smoothsym import Condition, Derivation, Differentiate, DropTerm, Given, Integrate, Limit, Rewrite, Substitute

x = Symbol("x", real=True)
k = Symbol("k", positive=True)

sigmoid = 1 / (1 + exp(-k * x))

derivation = Derivation(
    name="smooth-abs",
    title="A smooth $|x|$ from the sigmoid",
    source="(2)-(7)",
    symbols=(x, k),
    conclusion=Eq(Abs(x), Lim(log(exp(k * x) + exp(-k * x)) / k, k, oo)),
    steps=[
        Given(Abs(x), label="(2)", why="$f(x) = |x|$, the function to smooth"),
        Differentiate(
            x, Piecewise((1, x > 0), (-1, x < 0)),
            label="(2)", why="$f'(x) = 1$ for $x > 0$ and $-1$ for $x < 0$; $|x|$ has no derivative at 0",
            where=(Ne(x, 0),),
        ),
        Rewrite(
            2 * Piecewise((1, x > 0), (0, x < 0)) - 1,
            label="(4)", why=r"$f'(x) = 2 \theta(x) - 1$, with the unit step $\theta(x) = 1$ for $x > 0$, $0$ for $x < 0$ (3)",
            where=(Ne(x, 0),),
        ),
        Rewrite(
            2 * Heaviside(x) - 1,
            label="(3)", why=r"the unit step $\theta(x)$ is SymPy's Heaviside(x) away from 0",
            where=(Ne(x, 0),),
        ),
        Substitute(
            Heaviside(x), sigmoid, 2 * sigmoid - 1, limit=k,
            label="(5)", why=r"$\theta(x) = \lim_{k \to \infty} 1/(1 + e^{-kx})$ for $x \ne 0$: the sigmoid approximates the step",
            where=(Ne(x, 0),),
        ),
        Integrate(
            x, 2 * log(1 + exp(k * x)) / k - x,
            fixed_by=Condition(oo, x, why="$f(x) = |x| = x$ far to the right"),
            label="(6)", why="integrating $2e^{kx}/(1 + e^{kx}) - 1$",
        ),
        Rewrite(
            (log(1 + exp(k * x)) + log(1 + exp(-k * x))) / k,
            label="(6)", why=r"$x = \frac{1}{k} \ln e^{kx}$, split between the two logarithms",
        ),
        Rewrite(
            log(2 + exp(k * x) + exp(-k * x)) / k,
            label="(6)", why="the sum of logarithms is the logarithm of the product",
        ),
        DropTerm(
            2, log(exp(k * x) + exp(-k * x)) / k, limit=k,
            label="(7)", why=r"the constant 2 is negligible beside $e^{kx} + e^{-kx} \ge 2$ for large $k$",
        ),
        Limit(
            k, Abs(x),
            label="(7)", why=r"$\frac{1}{k} \ln(e^{kx} + e^{-kx}) \to \max(x, -x) = |x|$",
        ),
    ],
)
