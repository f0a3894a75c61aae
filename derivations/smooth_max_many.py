"""LogSumExp for any number of variables: the seed's equation (12).

max(x_1, ..., x_n) = lim_{k -> oo} (1/k) ln(e^{k x_1} + ... + e^{k x_n}), on all reals (the page
states no domain). For a symbolic n (IndexedBase and Sum) SymPy cannot take the limit
(``sympy.limit`` raises NotImplementedError: it finds no most rapidly varying term of a Sum), and
the engine cannot sample n variables for a symbolic n; so the claim is checked for each
n = 2..8 by Generalise, and the verdict claims no n beyond 8.
"""

from sympy import Eq, IndexedBase, Limit as Lim, Max, Sum, Symbol, exp, log, oo, symbols

from smoothsym import Derivation, Generalise, Given

k = Symbol("k", positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)

X = IndexedBase(Symbol("x", real=True))  # x_1, ..., x_n in the displayed n-variable claim
# max(x_1, ..., x_n) in the displayed claim: SymPy's Max needs its arguments listed, so for a
# symbolic n it is a name, and Generalise is told (variables=) that it is Max of the instance's x_j
x_max = Symbol("x_max", real=True)

LSE_N = log(Sum(exp(k * X[j]), (j, 1, n))) / k


def variables(count):
    """x_1, ..., x_count: the variables of the n-variable instance."""
    return symbols(f"x_1:{count + 1}", real=True)


def lse_tends_to_max(count):
    """(1/k) ln sum_i e^{k x_i} and max(x_1, ..., x_count): the n-variable instance of (12)."""
    xs = variables(count)
    return log(sum(exp(k * v) for v in xs)) / k, Max(*xs)


derivation = Derivation(
    name="smooth-max-many",
    title="LogSumExp is a smooth max of any number of variables",
    source="(12)",
    symbols=(X.label, k, j, n, x_max),
    conclusion=Eq(x_max, Lim(LSE_N, k, oo)),
    steps=[
        Given(LSE_N, label="(12)", why="LogSumExp of n variables, (11) with a sum of n exponentials"),
        Generalise(
            Eq(x_max, Lim(LSE_N, k, oo)), lse_tends_to_max, limit=k,
            variables=lambda count: {x_max: Max(*variables(count))},
            label="(12)",
            why=r"$x_{\max} = \max(x_1, \dots, x_n)$; the largest exponential dominates the sum: $x_{\max} \le \mathrm{LSE}_k \le x_{\max} + \ln(n)/k$",
        ),
    ],
)
