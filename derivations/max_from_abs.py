"""A smooth max from the smooth |x|: the seed's equations (1) and (8)-(11).

max(x, y) is written with absolute values (1), each |.| replaced by the smooth |x| of (7),
the two logarithms combined (9), the terms e^{-2kx}, e^{-2ky} dropped (10) and 2k renamed k:
max(x, y) = lim_{k -> oo} (1/k) ln(e^{kx} + e^{ky}) (11), LogSumExp.

The page states (1) and (8)-(10) for x >= 0, y >= 0. (1) is kept on all reals too, as a claim
that fails as stated; the engine's counterexample has x + y < 0, and (1) is then checked on
x + y >= 0, where it does hold. The page's claim that (11) also holds when x or y is negative
is checked as stated, on all reals.
"""

from sympy import Abs, Eq, Limit as Lim, Max, Symbol, exp, log, oo

from smoothsym import Derivation, DropTerm, Given, Limit, Rewrite, Substitute

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)

PAGE_DOMAIN = (x >= 0, y >= 0)


def smooth_abs(u):
    """(7): |u| = lim_{k -> oo} (1/k) ln(e^{ku} + e^{-ku})."""
    return log(exp(k * u) + exp(-k * u)) / k


abs_formula = (Abs(x + y) + Abs(x - y)) / 2
eq8 = (log(exp(k * (x + y)) + exp(-k * (x + y))) + log(exp(k * (x - y)) + exp(-k * (x - y)))) / (2 * k)
eq9 = log(exp(2 * k * x) + exp(-2 * k * x) + exp(2 * k * y) + exp(-2 * k * y)) / (2 * k)
eq10 = log(exp(2 * k * x) + exp(2 * k * y)) / (2 * k)
eq11 = log(exp(k * x) + exp(k * y)) / k

derivation = Derivation(
    name="max-from-abs",
    title="A smooth max from the smooth $|x|$: LogSumExp",
    source="(1), (8)-(11)",
    symbols=(x, y, k),
    conclusion=Eq(Max(x, y), Lim(eq11, k, oo)),
    steps=[
        # (1) on the domain the page states
        Given(Max(x, y), label="(1)", why=r"the max of two numbers, to be written with $|\cdot|$"),
        Rewrite(
            abs_formula,
            label="(1)", why=r"for $x, y \ge 0$ the half-sum of $|x + y|$ and $|x - y|$ is the larger of $x$ and $y$",
            where=PAGE_DOMAIN,
        ),
        # (1) without the page's domain: fails as stated
        Given(Max(x, y), label="(1) on all reals", why="the same identity, read without the page's domain"),
        Rewrite(
            abs_formula,
            label="(1) on all reals", why="the page's formula applied to any real $x, y$",
            expect_refuted=r"for $x + y < 0$ the right side is $\max(|x|, |y|) = -\min(x, y)$, not $\max(x, y)$",
        ),
        Given(Max(x, y), label="(1) holds when x + y >= 0", why="the domain found from the counterexample"),
        Rewrite(
            abs_formula,
            label="(1) holds when x + y >= 0",
            why=r"$(|x + y| + |x - y|)/2 = \max(|x|, |y|)$, which is $\max(x, y)$ exactly when $\max(x, y) \ge -\min(x, y)$",
            where=(x + y >= 0,),
        ),
        Given(abs_formula, label="(1) on all reals, corrected", why="what the right side of (1) is everywhere"),
        Rewrite(
            Max(Abs(x), Abs(y)),
            label="(1) on all reals, corrected", why="case split on the signs of $x + y$ and $x - y$",
        ),
        # (8)-(11), on the page's domain
        Given(Max(x, y), label="(8)", why=r"start again from $\max(x, y)$ with the page's domain $x, y \ge 0$"),
        Rewrite(abs_formula, label="(1)", why="(1) on the page's domain", where=PAGE_DOMAIN),
        Substitute(
            Abs(x + y), smooth_abs(x + y),
            (smooth_abs(x + y) + Abs(x - y)) / 2, limit=k,
            label="(8)", why="(7) with $x + y$ in place of $x$", where=PAGE_DOMAIN,
        ),
        Substitute(
            Abs(x - y), smooth_abs(x - y), eq8, limit=k,
            label="(8)", why="(7) with $x - y$ in place of $x$", where=PAGE_DOMAIN,
        ),
        Rewrite(
            eq9,
            label="(9)", why=r"$\ln a + \ln b = \ln ab$, and $(e^{k(x+y)} + e^{-k(x+y)})(e^{k(x-y)} + e^{-k(x-y)})$ has the four terms $e^{\pm 2kx}$, $e^{\pm 2ky}$",
            where=PAGE_DOMAIN,
        ),
        DropTerm(
            exp(-2 * k * x), log(exp(2 * k * x) + exp(2 * k * y) + exp(-2 * k * y)) / (2 * k), limit=k,
            label="(10)", why=r"for $x, y \ge 0$, $e^{-2kx} \le 1$ is negligible beside $e^{2kx} + e^{2ky} \ge 2$; the change is at most $\ln(3/2)/(2k)$",
            where=PAGE_DOMAIN,
        ),
        DropTerm(
            exp(-2 * k * y), eq10, limit=k,
            label="(10)", why=r"likewise $e^{-2ky} \le 1$ beside $e^{2kx} + e^{2ky}$; the change is at most $\ln(3/2)/(2k)$",
            where=PAGE_DOMAIN,
        ),
        Limit(k, Max(x, y), label="(10)", why=r"$\frac{1}{2k} \ln(e^{2kx} + e^{2ky})$ tends to the larger exponent over $2k$", where=PAGE_DOMAIN),
        # (10) -> (11): the renaming 2k -> k
        Given(eq10, label="(10) -> (11)", why="(10) again, to rename its parameter"),
        Substitute(
            k, k / 2, eq11,
            label="(11)",
            why=r"renaming $2k$ as $k$ is the exact substitution $k \to k/2$, which keeps the limit because $k/2 \to \infty$ as $k \to \infty$",
        ),
        Limit(k, Max(x, y), label="(11)", why="LogSumExp tends to the larger of $x$ and $y$", where=PAGE_DOMAIN),
        # (11) also for negative x or y, as the page claims
        Given(eq11, label="(11) also holds when x or y is negative", why="the page's claim, checked on all reals"),
        Limit(
            k, Max(x, y),
            label="(11) also holds when x or y is negative",
            why=r"$\frac{1}{k} \ln(e^{kx} + e^{ky}) = \max(x, y) + \frac{1}{k} \ln(1 + e^{-k|x - y|})$ for every real $x, y$",
        ),
    ],
)
