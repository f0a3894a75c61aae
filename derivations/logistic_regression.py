"""Logistic regression: the gradient and Hessian of its cross-entropy error, and its convexity (Part 3).

Source: C. M. Bishop, Pattern Recognition and Machine Learning (2006), section 4.3.2 "Logistic
regression" and 4.3.3: y_n = sigma(a_n) with a_n = w^T phi_n (4.87), dsigma/da = sigma(1 - sigma)
(4.88), the error E(w) = -sum_n {t_n ln y_n + (1 - t_n) ln(1 - y_n)} (4.90), its gradient
grad E(w) = sum_n (y_n - t_n) phi_n (4.91), its Hessian H = sum_n y_n (1 - y_n) phi_n phi_n^T
(4.97), and "H is positive definite ... u^T H u > 0 for an arbitrary vector u", so E is convex
in w with a unique minimum.

Written as the page writes it, over its two sizes: M features (the weights w_1..w_M, the feature
matrix phi with phi[n, i] the i-th feature of sample n) and N samples (the targets t_n). The free
feature indices j and k of the gradient and the Hessian range over 1..M: the engine reads that
from the claim (w[j], and phi[n, j] where the activation sums phi's second slot up to M), and
checks them at each M, N named and each j, k <= M. The sums are proved for all M and N by
summation algebra.

Bishop's targets t_n are 0 or 1; every identity here holds for any real t_n, so the t_n are left
real (a stronger check). The page's "> 0" needs the phi_n to span the feature space; the engine
proves ">= 0", which holds for all data (semi-definite: E convex).
"""

from sympy import IndexedBase, Sum, Symbol, exp, log, symbols

from smoothsym import Bound, Derivation, Differentiate, Given, Rewrite

M = Symbol("M", integer=True, positive=True)  # features
N = Symbol("N", integer=True, positive=True)  # samples
i, j, k, n = symbols("i j k n", integer=True)  # feature indices i, j, k; sample index n
w_, phi_, t_, u_ = symbols("w phi t u", real=True)
w, phi, t, u = IndexedBase(w_), IndexedBase(phi_), IndexedBase(t_), IndexedBase(u_)  # weights, features, targets, a direction
a = Symbol("a", real=True)  # an activation


def sigma(x):
    """The logistic sigmoid (4.59)."""
    return 1 / (1 + exp(-x))


def activation(m):
    """a_m = w^T phi_m (4.87)."""
    return Sum(w[i] * phi[m, i], (i, 1, M))


def y(m):
    """y_m = sigma(w^T phi_m) (4.87)."""
    return sigma(activation(m))


ERROR = -Sum(t[n] * log(y(n)) + (1 - t[n]) * log(1 - y(n)), (n, 1, N))  # (4.90)
HESSIAN = Sum(y(n) * (1 - y(n)) * phi[n, j] * phi[n, k], (n, 1, N))  # H_jk (4.97)


def square(m):
    """(u^T phi_m)^2."""
    return Sum(u[i] * phi[m, i], (i, 1, M)) ** 2


derivation = Derivation(
    name="logistic-regression",
    title="Logistic regression: gradient (4.91), Hessian (4.97), and a convex error",
    source="Part 3: Bishop PRML 4.3.2 (4.91), (4.97)",
    symbols=(M, N, i, j, k, n, w_, phi_, t_, u_, a),
    steps=[
        Given(sigma(a), label="(4.59)", why="the logistic sigmoid"),
        Differentiate(a, sigma(a) * (1 - sigma(a)), label="(4.88)",
                      why=r"$\frac{d\sigma}{da} = e^{-a}/(1 + e^{-a})^2 = \sigma (1 - \sigma)$"),
        Given(ERROR, label="(4.90)",
              why=r"the cross-entropy error of the $N$ samples, $y_n = \sigma(w^T \phi_n)$ with $M$ features"),
        Differentiate(w[j], Sum((y(n) - t[n]) * phi[n, j], (n, 1, N)), label="(4.91)",
                      why=r"(4.88) and the chain rule: $\frac{\partial E}{\partial y_n} = (y_n - t_n)/(y_n (1 - y_n))$ "
                          r"and $\frac{\partial a_n}{\partial w_j} = \phi_{nj}$"),
        Differentiate(w[k], HESSIAN, label="(4.97)",
                      why=r"only $y_n$ depends on $w_k$: (4.88) again, $H_{jk} = \sum_n y_n (1 - y_n) \phi_{nj} \phi_{nk}$"),
        Given(Sum(Sum(u[j] * u[k] * HESSIAN, (k, 1, M)), (j, 1, M)), label="u^T H u",
              why=r"the Hessian's quadratic form in an arbitrary direction $u$"),
        Rewrite(Sum(y(n) * (1 - y(n)) * square(n), (n, 1, N)), label="(4.97)",
                why=r"the sums over $j$ and $k$ taken inside the one over $n$: $\sum_n y_n (1 - y_n) (u^T \phi_n)^2$"),
        Rewrite(Sum(exp(-activation(n)) / (1 + exp(-activation(n))) ** 2 * square(n), (n, 1, N)), label="(4.88)",
                why=r"$y (1 - y) = e^{-a}/(1 + e^{-a})^2$"),
        Bound(0, ">=", label="convexity",
              why=r"a sum of positive factors times squares: $u^T H u \ge 0$, $H$ is positive semi-definite and $E$ convex"),
    ],
)
