"""The softmax is a smooth one-hot of the arg-max, not a smooth max (seed Part 2).

The page: lim_{k -> oo} softmax(k x) = one-hot(argmax x) "when the max is unique". Read without
that condition (argmax picking the first maximiser, as argmax functions do) it fails at a tie:
there the tied entries share the weight, each tending to 1/m for m tied maxima. The steps state
the one-hot limit as read, refute it at a tie, then check it where the max is unique and give
the limit at ties.
"""

from sympy import Eq, IndexedBase, Limit as Lim, Max, Ne, Piecewise, Rational, S, Sum, Symbol, exp, oo, symbols

from smoothsym import Derivation, Generalise, Given, Limit

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)
i = Symbol("i", integer=True, positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
m = Symbol("m", integer=True, positive=True)  # how many entries tie for the maximum
x_max = Symbol("x_max", real=True)  # max_j x_j, in the displayed n-variable claim
c = Symbol("c", real=True)  # a shift added to every x_j
d = Symbol("d", positive=True)  # the gap below a tied maximum

X = IndexedBase(x)

softmax_x = exp(k * x) / (exp(k * x) + exp(k * y))


def softmax(xs, index):
    """The softmax entry e^{k x_index} / sum_j e^{k x_j}."""
    return exp(k * xs[index]) / sum(exp(k * v) for v in xs)


def shift_invariant(count):
    """softmax_1(x + c) = softmax_1(x): the common factor e^{k c} cancels."""
    xs = symbols(f"x_1:{count + 1}", real=True)
    return softmax(tuple(v + c for v in xs), 0), softmax(xs, 0)


def below_the_max(count):
    """x = (0, -d_2, ..., -d_n) with every gap d_j > 0: x_1 = 0 the unique maximum."""
    return (S.Zero,) + tuple(-d for d in symbols(f"d_2:{count + 1}", positive=True))


def unique_max_wins(count):
    """The entry of the unique maximum x_1 = 0 tends to 1."""
    return softmax(below_the_max(count), 0), S.One


def tied(count):
    """x = (0, ..., 0, -d) with d > 0: count - 1 entries tied at the maximum 0, one below it."""
    return (S.Zero,) * (count - 1) + (-d,)


def ties_share(count):
    """count - 1 entries tied at the maximum 0 and one below it, at -d (d > 0): a tied entry tends
    to 1/(count - 1)."""
    return softmax(tied(count), 0), Rational(1, count - 1)


def tied_variables(count):
    """What the displayed tie claim stands for in the instance: x = tied(count), x_max its
    maximum and m the number of entries equal to it (count - 1); the index i stays free."""
    xs = tied(count)
    top = Max(*xs)
    return {X: xs, x_max: top, m: sum(1 for v in xs if v == top)}


SOFTMAX_N = exp(k * X[i]) / Sum(exp(k * X[j]), (j, 1, n))

derivation = Derivation(
    name="softmax-one-hot",
    title="softmax(kx) tends to the one-hot vector of the arg-max",
    source="Part 2: softmax",
    symbols=(x, y, k, i, j, n, m, x_max, c, d),
    conclusion=Eq(Lim(softmax_x, k, oo), Piecewise((1, x > y), (Rational(1, 2), Eq(x, y)), (0, True))),
    steps=[
        Given(softmax_x, label="softmax", why=r"the first entry of $\operatorname{softmax}(k x, k y)$"),
        Limit(
            k, Piecewise((1, x >= y), (0, True)),
            label="softmax → one-hot(argmax)",
            why=r"read without the page's condition: one-hot of argmax, which picks $x$ when $x = \max(x, y)$",
            expect_refuted="at a tie $x = y$ both entries are $1/2$ for every $k$, so the limit is $1/2$, not one-hot",
        ),
        Given(softmax_x, label="softmax", why=r"the first entry of $\operatorname{softmax}(k x, k y)$, again"),
        Limit(
            k, Piecewise((1, x > y), (0, True)),
            label="when the max is unique",
            why="$e^{kx}/(e^{kx} + e^{ky}) = 1/(1 + e^{-k(x - y)})$ tends to 1 for $x > y$ and to 0 for $x < y$",
            where=(Ne(x, y),),
        ),
        Given(softmax_x, label="softmax", why=r"the first entry of $\operatorname{softmax}(k x, k y)$, at every $x, y$"),
        Limit(
            k, Piecewise((1, x > y), (Rational(1, 2), Eq(x, y)), (0, True)),
            label="softmax → one-hot(argmax)",
            why="with the tie included: the two tied entries share the weight equally",
        ),
        Given(SOFTMAX_N, label="softmax", why="an entry of the $n$-variable softmax of $k x$"),
        Generalise(
            Eq(exp(k * (X[i] + c)) / Sum(exp(k * (X[j] + c)), (j, 1, n)), SOFTMAX_N), shift_invariant,
            label="softmax",
            why="adding $c$ to every $x_j$ multiplies the numerator and the denominator by $e^{k c}$; so the maximum may be taken to be 0",
        ),
        Generalise(
            Eq(Lim(exp(k * X[1]) / Sum(exp(k * X[j]), (j, 1, n)), k, oo), 1), unique_max_wins, limit=k,
            variables=lambda count: {X: below_the_max(count)},
            label="when the max is unique",
            why=r"with $x_1 = 0$ the unique maximum and $x_j = -d_j < 0$: $1/(1 + \sum_j e^{-k d_j}) \to 1$; the entries are positive and sum to 1, so every other entry tends to 0: the limit is the one-hot vector",
        ),
        Generalise(
            Eq(Lim(SOFTMAX_N, k, oo), Piecewise((1 / m, Eq(X[i], x_max)), (0, True))), ties_share, limit=k,
            variables=tied_variables,
            label="softmax → one-hot(argmax)",
            why="at a tie the tied entries share the weight: checked with $n - 1$ entries tied at the maximum and one below, where each tied entry tends to $1/m = 1/(n - 1)$ and the one below to 0",
        ),
    ],
)
