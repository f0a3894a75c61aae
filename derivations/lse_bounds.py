"""LogSumExp lies above the max, strictly, and at most ln(n)/k above it (seed Part 2).

The page: "LSE is >= max, with equality under very strict conditions, so using it adds an
implicit margin"; the standard bounds max(x) <= LSE_k(x) <= max(x) + ln(n)/k are its
quantitative form. For two variables the gap is exactly (1/k) ln(1 + e^{-k|x - y|}), which is
strictly positive: for finite k there is no equality at any point, not even at a unique maximum
(that reading is refuted); equality holds only in the limits k -> oo or y -> -oo. The two-sided
bound is then checked for n = 2..8 variables, one chain each (the engine's Generalise states
equalities and limits, not bounds), and the upper bound is attained when all n entries tie.
"""

from sympy import Abs, Max, Ne, Symbol, exp, log, symbols

from smoothsym import Bound, Derivation, Given, Limit, Rewrite

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)
d = Symbol("d", positive=True)  # how far y lies below x
XS = symbols("x_1:9", real=True)  # x_1, ..., x_8
NS = range(2, 9)


def lse(*xs):
    """LSE_k(x_1, ..., x_n) = (1/k) ln sum_i e^{k x_i}."""
    return log(sum(exp(k * v) for v in xs)) / k


def bounds_for(n):
    """The chains max <= LSE_k <= max + ln(n)/k for n variables, and the tie that attains the upper bound."""
    xs = XS[:n]
    return [
        Given(lse(*xs), label="LSE_k(x)", why=f"LogSumExp of $n = {n}$ variables"),
        Bound(Max(*xs), ">=", label="LSE ≥ max", why=r"the sum contains $e^{k \max}$, and every other term is positive"),
        Given(lse(*xs), label="LSE_k(x)", why=f"LogSumExp of $n = {n}$ variables"),
        Bound(
            Max(*xs) + log(n) / k, "<=", label="LSE_k ≤ max + ln(n)/k",
            why=rf"each of the {n} terms is at most $e^{{k \max}}$, so the sum is at most ${n} e^{{k \max}}$",
        ),
        Given(lse(*(XS[0],) * n), label="LSE_k(x)", why=f"all $n = {n}$ entries tied at $x_1$"),
        Rewrite(XS[0] + log(n) / k, label="LSE_k ≤ max + ln(n)/k", why="the upper bound is attained when all entries tie"),
    ]


derivation = Derivation(
    name="lse-bounds",
    title=r"LogSumExp is above the max, by at most $\ln(n)/k$",
    source="Part 2: LSE ≥ max",
    symbols=(x, y, k, d) + XS,
    steps=[
        Given(lse(x, y), label="LSE_k(x, y)", why="LogSumExp of two variables"),
        Rewrite(
            Max(x, y) + log(1 + exp(-k * Abs(x - y))) / k,
            label="LSE ≥ max",
            why=r"factor $e^{k \max(x, y)}$ out of the sum; the other term becomes $e^{-k|x - y|}$",
        ),
        Bound(
            Max(x, y) + log(2) * exp(-k * Abs(x - y)) / k, ">=",
            label="LSE ≥ max",
            why=r"$\ln(1 + u) \ge u \ln 2$ for $0 \le u \le 1$ ($\ln(1 + u)$ is concave): the gap is strictly positive for every finite $k$",
        ),
        Bound(Max(x, y), ">=", label="LSE ≥ max", why=r"the gap's lower bound $\ln(2) e^{-k|x - y|}/k$ is positive"),
        Given(lse(x, y), label="LSE_k(x, y)", why="LogSumExp of two variables, again"),
        Rewrite(
            Max(x, y),
            label="with equality under very strict conditions",
            why="read as: equality where the maximum is unique",
            where=(Ne(x, y),),
            expect_refuted=r"$\mathrm{LSE}_k - \max = \frac{1}{k} \ln(1 + e^{-k|x - y|}) > 0$ at every point for finite $k$: no equality, even at a unique maximum",
        ),
        Given(lse(x, y) - Max(x, y), label="LSE - max", why="the gap, the implicit margin LSE adds"),
        Limit(k, 0, label="equality", why=r"equality holds only in the limit: the gap is at most $\ln(2)/k$"),
        Given(lse(x, x - d) - x, label="LSE - max", why="the gap when $y = x - d$ lies $d$ below the maximum $x$"),
        Limit(d, 0, label="equality", why=r"or when the other entry falls infinitely far below: $\frac{1}{k} \ln(1 + e^{-k d}) \to 0$ as $d \to \infty$"),
        Given(lse(x, y), label="LSE_k(x, y)", why="LogSumExp of two variables, for the upper bound"),
        Bound(Max(x, y) + log(2) / k, "<=", label="LSE_k ≤ max + ln(n)/k", why=r"the gap $\frac{1}{k} \ln(1 + e^{-k|x - y|})$ is at most $\ln(2)/k$"),
        *[step for n in NS for step in bounds_for(n)],
    ],
)
