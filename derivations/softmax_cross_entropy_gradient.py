"""The softmax cross-entropy over n classes: its gradient, the softmax Jacobian, convexity (Part 3).

Source: the CS231n notes, "Softmax classifier" (cs231n.github.io/linear-classify/#softmax): with
scores f_1..f_n and the correct class y, the loss is L = -ln(e^{f_y} / sum_j e^{f_j})
= -f_y + ln sum_j e^{f_j}; the notes' "practical issues: numeric stability" shift the scores by
C with ln C = -max_j f_j; and the case study "Putting it together" (cs231n.github.io/
neural-networks-case-study/#grad) gives the gradient dL/df_k = p_k - 1(y = k), p = softmax(f).
Written for every n at once: f an IndexedBase, y a free index (each class 1..n), the Jacobian of
the softmax dp_i/df_j = p_i (delta_ij - p_j), and the Hessian of L that same matrix. That the
Hessian is positive semi-definite (L convex in f) is not a step here: the engine proves it, as
Bound(0, ">=") of u^T H u (a p-weighted variance of u after the delta sums), but in about 24 s of
CPU alone, beyond the catalog's budget of 10 s per derivation; logistic_regression.py proves the
convexity of the binary case.
"""

from sympy import IndexedBase, KroneckerDelta, Sum, Symbol, exp, log, symbols

from smoothsym import Bound, Derivation, Differentiate, Given, Rewrite

n = Symbol("n", integer=True, positive=True)  # the number of classes
i, j, k, y = symbols("i j k y", integer=True)  # indices; y the correct class
f_ = Symbol("f", real=True)
f = IndexedBase(f_)  # the scores f_1..f_n
c = Symbol("c", real=True)  # the shift of the scores, ln C = c
Z = Sum(exp(f[k]), (k, 1, n))


def p(a):
    """softmax_a(f) = e^{f_a} / sum_k e^{f_k}."""
    return exp(f[a]) / Z


HESSIAN = p(i) * (KroneckerDelta(i, j) - p(j))

derivation = Derivation(
    name="softmax-cross-entropy-gradient",
    title="The softmax cross-entropy over n classes: gradient p - one-hot, Jacobian, convexity",
    source="Part 3: CS231n, Softmax classifier",
    symbols=(n, i, j, k, y, f_, c),
    steps=[
        Given(-log(p(y)), label="L_i", why="CS231n: the cross-entropy of the softmax against the correct class $y$"),
        Rewrite(-f[y] + log(Z), label="L_i", why=r"$\ln(e^{f_y}/S) = f_y - \ln S$"),
        Differentiate(f[j], p(j) - KroneckerDelta(j, y), label="dL/df_k = p_k - 1(y = k)",
                      why=r"$\frac{\partial}{\partial f_j} (-f_y) = -\delta_{jy}$ and $\frac{\partial}{\partial f_j} \ln S = e^{f_j}/S$"),
        Differentiate(f[i], HESSIAN, label="Hessian", why="only $p_j$ depends on $f_i$: the softmax Jacobian"),
        Given(p(j), label="softmax Jacobian", why="the j-th softmax entry"),
        Differentiate(f[i], p(j) * (KroneckerDelta(i, j) - p(i)), label="softmax Jacobian",
                      why=r"the quotient rule: $\partial p_j / \partial f_i = p_j \delta_{ij} - p_j p_i$"),
        Given(-log(p(y)), label="numeric stability", why="the loss, for its shifted form"),
        Rewrite(-(f[y] - c) + log(Sum(exp(f[k] - c), (k, 1, n))), label="numeric stability",
                why=r"multiply above and below by $C = e^{-c}$: any shift, the notes take $c = \max_j f_j$"),
    ],
)
