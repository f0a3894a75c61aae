"""The page's general recipe for a smooth max, and its instances (11), (13), (14).

The page: take g increasing on the whole real line and growing faster than linearly; then
max(x_1, ..., x_n) ~ g^{-1}(g(x_1) + ... + g(x_n)). Its instances, as k -> oo:
(11) g(t) = e^{kt}, (13) g(t) = t^{2k+1}, (14) g(t) = e^{e^{kt}}.
The page states the recipe without a domain, so each instance is checked on the whole real line.

What the engine finds: each g is increasing and g^{-1} undoes g on the whole line, yet only (11)
tends to max(x, y) everywhere. (13) tends to the argument of larger absolute value (0 when
x = -y), so it holds when x + y > 0 or x = y; (14) tends to max(x, y, 0), so it holds when
max(x, y) >= 0. The recipe misses a condition that (11) alone meets: g(t) -> 0 as t -> -oo, so
that a small argument adds nothing to the sum.

k is a positive integer here: (13) needs the odd power 2k + 1; (11) and (14) use the same k so
the three can be compared at equal k (their limits along real k are in max_from_abs.py).
"""

from sympy import Abs, Eq, Limit as Lim, Max, Min, Ne, Or, Symbol, exp, log, oo, sign

from smoothsym import Bound, Derivation, Differentiate, Given, Limit, Rewrite

x = Symbol("x", real=True)
y = Symbol("y", real=True)
t = Symbol("t", real=True)
k = Symbol("k", integer=True, positive=True)



def g11(u):
    return exp(k * u)


def g11_inverse(s, evaluate=True):
    return log(s, evaluate=evaluate) / k


def g13(u):
    return u ** (2 * k + 1)


def g13_inverse(s):
    # The REAL odd root. SymPy's s**(1/(2k+1)) is the principal root, complex for s < 0
    # ((-8)**(1/3) = 1 + sqrt(3) i), so it would not undo t^{2k+1} for t < 0; sign(s)|s|^{1/(2k+1)}
    # is what sympy.real_root(s, 2k + 1) returns.
    return sign(s) * Abs(s) ** (1 / (2 * k + 1))


def g14(u):
    return exp(exp(k * u))


def g14_inverse(s, evaluate=True):
    return log(log(s, evaluate=evaluate), evaluate=evaluate) / k


def recipe(g, g_inverse, *args):
    """g^{-1}(g(x_1) + ... + g(x_n))."""
    return g_inverse(sum(g(a) for a in args))


eq11 = recipe(g11, g11_inverse, x, y)
eq13 = recipe(g13, g13_inverse, x, y)
eq13_page = (x ** (2 * k + 1) + y ** (2 * k + 1)) ** (1 / (2 * k + 1))  # as printed, principal root
eq14 = recipe(g14, g14_inverse, x, y)

derivation = Derivation(
    name="smooth-max-recipe",
    title="The general recipe $g^{-1}(g(x) + g(y))$ and its instances (11), (13), (14)",
    source="(11), (13), (14) and the general recipe",
    symbols=(x, y, t, k),
    conclusion=Eq(Max(x, y), Lim(eq11, k, oo)),
    steps=[
        # -- (11): g(t) = e^{kt} ------------------------------------------------------------
        Given(g11(t), label="recipe, (11)", why="$g(t) = e^{kt}$"),
        Differentiate(t, k * exp(k * t), label="recipe, (11)", why="the chain rule"),
        Bound(0, ">=", label="recipe: g increasing", why="$k e^{kt} > 0$ on the whole real line"),
        # unevaluated: SymPy would otherwise reduce ln(e^{kt})/k to t as the Given is built, and
        # the step would claim t = t
        Given(g11_inverse(g11(t), evaluate=False), label="recipe: g^{-1}, (11)", why=r"$g^{-1}(s) = \frac{1}{k} \ln s$ applied to $g(t)$"),
        Rewrite(t, label="recipe: g^{-1}, (11)", why=r"$\ln e^{kt} = kt$ for real $t$"),
        Given(eq11, label="(11)", why="the recipe with $g(t) = e^{kt}$ is LogSumExp (11)"),
        Limit(k, Max(x, y), label="(11) on the whole real line", why="the larger exponential dominates the sum"),
        # -- (13): g(t) = t^{2k+1} ----------------------------------------------------------
        Given(g13(t), label="recipe, (13)", why="$g(t) = t^{2k+1}$, an odd power"),
        Differentiate(t, (2 * k + 1) * t ** (2 * k), label="recipe, (13)", why="the power rule"),
        Bound(0, ">=", label="recipe: g increasing", why=r"$(2k + 1) t^{2k} \ge 0$, zero only at $t = 0$"),
        Given(g13_inverse(g13(t)), label="recipe: g^{-1}, (13)", why="$g^{-1}$ is the real $(2k + 1)$-th root"),
        Rewrite(t, label="recipe: g^{-1}, (13)", why="an odd power keeps the sign, and $|t^{2k+1}|^{1/(2k+1)} = |t|$"),
        Given(g13(t) ** (1 / (2 * k + 1)), label="recipe: g^{-1}, (13), principal root",
              why="the same with SymPy's principal root, the formula (13) as printed"),
        Rewrite(
            t, label="recipe: g^{-1}, (13), principal root",
            why="the principal root is not the inverse of $t^{2k+1}$",
            expect_refuted="for $t < 0$ the principal root of $t^{2k+1}$ is complex, not $t$",
        ),
        Given(eq13_page, label="(13)", why="(13) as printed"),
        Rewrite(
            eq13, label="(13)", why=r"for $x + y \ge 0$ the sum of odd powers is $\ge 0$, where both roots agree",
            where=(x + y >= 0,),
        ),
        Given(eq13, label="(13) on the whole real line", why="the recipe with $g(t) = t^{2k+1}$, the real root"),
        Limit(
            k, Max(x, y), label="(13) on the whole real line",
            why="the page builds (13) by the recipe, stated without a domain",
            expect_refuted=r"the root tends to the argument of larger absolute value: 0 when $x = -y$, $\min(x, y)$ when $x + y < 0$",
        ),
        Given(eq13, label="(13) holds when x + y > 0 or x = y", why="the domain found from the counterexamples"),
        Limit(
            k, Max(x, y), label="(13) holds when x + y > 0 or x = y",
            why="then the larger argument is also the larger in absolute value (or the two are equal)",
            where=(Or(x + y > 0, Eq(x, y)),),
        ),
        Given(eq13, label="(13) tends to min(x, y) when x + y < 0", why="what (13) does where it fails"),
        Limit(
            k, Min(x, y), label="(13) tends to min(x, y) when x + y < 0",
            why="then the smaller argument has the larger absolute value and dominates the odd powers",
            where=(x + y < 0,),
        ),
        Given(recipe(g13, g13_inverse, x, -x), label="(13) with y = -x", why="opposite arguments"),
        Rewrite(0, label="(13) with y = -x", why="$x^{2k+1} + (-x)^{2k+1} = 0$ for every $k$"),
        Limit(
            k, Abs(x), label="(13) with y = -x",
            why=r"$\max(x, -x) = |x|$",
            expect_refuted="the odd powers cancel: (13) is 0 for every $k$, not $|x|$",
            where=(Ne(x, 0),),
        ),
        # -- (14): g(t) = e^{e^{kt}} --------------------------------------------------------
        Given(g14(t), label="recipe, (14)", why="$g(t) = e^{e^{kt}}$"),
        Differentiate(t, k * exp(k * t) * exp(exp(k * t)), label="recipe, (14)", why="the chain rule twice"),
        Bound(0, ">=", label="recipe: g increasing", why="a product of positive factors",
              where=()),
        Given(g14_inverse(g14(t), evaluate=False), label="recipe: g^{-1}, (14)", why=r"$g^{-1}(s) = \frac{1}{k} \ln \ln s$ applied to $g(t)$"),
        Rewrite(t, label="recipe: g^{-1}, (14)", why=r"$\ln e^{e^{kt}} = e^{kt}$ and $\ln e^{kt} = kt$ for real $t$",
                where=()),
        Given(eq14, label="(14) on the whole real line",
              why="the recipe with $g(t) = e^{e^{kt}}$"),
        Limit(
            k, Max(x, y), label="(14) on the whole real line",
            why="the page builds (14) by the recipe, stated without a domain",
            expect_refuted=r"$g(t) > 1$ everywhere, so the sum is $> 2$ and (14) $> \ln(\ln 2)/k \to 0$: it tends to 0, not to a negative max",
        ),
        Given(eq14, label="(14) tends to 0 when x, y <= 0", why="what (14) does where it fails"),
        Limit(
            k, 0, label="(14) tends to 0 when x, y <= 0",
            why=r"$e^{e^{kx}} + e^{e^{ky}} \to 2$ or $e + 1$, a constant, whose $\ln \ln$ over $k$ tends to 0",
            where=(x <= 0, y <= 0),
        ),
        Given(eq14, label="(14) holds when max(x, y) >= 0, from below", why=r"squeezed between $\max$ and $\max + \ln(1 + \ln 2)/k$"),
        Bound(
            Max(x, y), ">=", label="(14) holds when max(x, y) >= 0, from below",
            why=r"$e^{e^{kx}} + e^{e^{ky}} > e^{e^{k \max}}$, and $\ln \ln$ and $1/k$ keep the order",
            where=(Max(x, y) >= 0,),
        ),
        Given(eq14, label="(14) holds when max(x, y) >= 0, from above", why="the other side of the squeeze"),
        Bound(
            Max(x, y) + log(1 + log(2)) / k, "<=", label="(14) holds when max(x, y) >= 0, from above",
            why=r"the sum is $\le 2 e^{e^{kM}}$, so (14) $\le M + \ln(1 + \ln 2\, e^{-kM})/k \le M + \ln(1 + \ln 2)/k$ for $M = \max \ge 0$",
            where=(Max(x, y) >= 0,),
        ),
        Limit(k, Max(x, y), label="(14) holds when max(x, y) >= 0",
              why=r"the upper bound of the squeeze tends to $\max(x, y)$ like $\ln(1 + \ln 2)/k$"),
        # -- what the recipe misses ---------------------------------------------------------
        Given(g11(-t), label="recipe: g(t) -> 0 as t -> -oo, (11)", why="a condition the page does not state: small arguments must add nothing"),
        Limit(t, 0, label="recipe: g(t) -> 0 as t -> -oo, (11)", why=r"$e^{-kt} \to 0$", where=(t > 0,)),
        Given(g13(-t), label="recipe: g(t) -> 0 as t -> -oo, (13)", why="the same condition for $t^{2k+1}$"),
        Limit(t, 0, label="recipe: g(t) -> 0 as t -> -oo, (13)", why=r"$(-t)^{2k+1} \to -\infty$",
              expect_refuted=r"an odd power tends to $-\infty$, so a negative argument subtracts from the sum", where=(t > 0,)),
        Given(g14(-t), label="recipe: g(t) -> 0 as t -> -oo, (14)", why="the same condition for $e^{e^{kt}}$"),
        Limit(t, 0, label="recipe: g(t) -> 0 as t -> -oo, (14)", why=r"$e^{e^{-kt}} \to 1$",
              expect_refuted="$e^{e^{-kt}}$ tends to 1, so every argument adds at least 1 to the sum", where=(t > 0,)),
    ],
)
