"""Logistic regression: the gradient and Hessian of its cross-entropy error, and its convexity (Part 3).

Source: C. M. Bishop, Pattern Recognition and Machine Learning (2006), section 4.3.2 "Logistic
regression" and 4.3.3: y = sigma(w^T phi) (4.87), dsigma/da = sigma(1 - sigma) (4.88), the error
E(w) = -sum_n {t_n ln y_n + (1 - t_n) ln(1 - y_n)} (4.90), its gradient
grad E(w) = sum_n (y_n - t_n) phi_n (4.91), its Hessian H = sum_n y_n (1 - y_n) phi_n phi_n^T
(4.97), and "H is positive definite ... u^T H u > 0 for an arbitrary vector u", so E is convex
in w with a unique minimum.

Written for M features at once (w and phi IndexedBases, the gradient's index j free): each term
of the sum over n is one sample's error, and the gradient, Hessian and u^T H u of the sum are the
sums of the terms'. The engine cannot take a claim with free feature indices over two sizes
(M features and N samples), so the sum over the N samples is taken in a direction v, along the
line w + s v: dE/ds = v^T grad E and d^2E/ds^2 = v^T H v, with b_n = v^T phi_n and a_n = w^T phi_n.
The page's "> 0" needs the phi_n to span the feature space; the engine proves ">= 0", which holds
for all data (semi-definite: E convex).
"""

from sympy import IndexedBase, Sum, Symbol, exp, log, symbols

from smoothsym import Bound, Derivation, Differentiate, Given, Rewrite

M = Symbol("M", integer=True, positive=True)  # features
N = Symbol("N", integer=True, positive=True)  # samples
i, j, k, m = symbols("i j k m", integer=True)  # feature indices i, j, k; sample index m
w_, phi_, u_ = symbols("w phi u", real=True)
w, phi, u = IndexedBase(w_), IndexedBase(phi_), IndexedBase(u_)  # weights, one sample's features, a direction
t = Symbol("t", real=True)  # one sample's target (the identities hold for any real t; Bishop's t is 0 or 1)
a_ = Symbol("A", real=True)
b_ = Symbol("B", real=True)
T_ = Symbol("T", real=True)
A, B, T = IndexedBase(a_), IndexedBase(b_), IndexedBase(T_)  # a_n = w^T phi_n, b_n = v^T phi_n, targets t_n
s = Symbol("s", real=True)  # the step along the direction v
a = Symbol("a", real=True)  # an activation


def sigma(x):
    """The logistic sigmoid (4.59)."""
    return 1 / (1 + exp(-x))


ACTIVATION = Sum(w[k] * phi[k], (k, 1, M))  # a = w^T phi
Y = sigma(ACTIVATION)  # y = sigma(w^T phi) (4.87)


def error(y, target):
    """One sample's cross-entropy error, a term of (4.90)."""
    return -(target * log(y) + (1 - target) * log(1 - y))


def line(n):
    """a_n + s b_n: the activation of sample n at w + s v."""
    return A[n] + s * B[n]


derivation = Derivation(
    name="logistic-regression",
    title="Logistic regression: gradient (4.91), Hessian (4.97), and a convex error",
    source="Part 3: Bishop PRML 4.3.2 (4.91), (4.97)",
    symbols=(M, N, i, j, k, m, w_, phi_, u_, t, a_, b_, T_, s, a),
    steps=[
        Given(sigma(a), label="(4.88)", why="the logistic sigmoid"),
        Differentiate(a, sigma(a) * (1 - sigma(a)), label="(4.88)", why="dsigma/da = e^{-a}/(1 + e^{-a})^2"),
        Given(error(Y, t), label="(4.90)", why="one sample's term of the cross-entropy error, y = sigma(w^T phi)"),
        Differentiate(w[j], (Y - t) * phi[j], label="(4.91)",
                      why="(4.88) and the chain rule: d/dy of the error is (y - t)/(y(1 - y)), and da/dw_j = phi_j"),
        Differentiate(w[i], Y * (1 - Y) * phi[i] * phi[j], label="(4.97)",
                      why="only y depends on w_i: (4.88) again; the term y(1 - y) phi phi^T"),
        Given(Sum(Sum(u[i] * u[j] * Y * (1 - Y) * phi[i] * phi[j], (j, 1, M)), (i, 1, M)), label="(4.97)",
              why="u^T H u for one sample's term"),
        Rewrite(Y * (1 - Y) * Sum(u[k] * phi[k], (k, 1, M)) ** 2, label="(4.97)",
                why="the double sum factors: y(1 - y) (u^T phi)^2"),
        Rewrite(exp(-ACTIVATION) / (1 + exp(-ACTIVATION)) ** 2 * Sum(u[k] * phi[k], (k, 1, M)) ** 2, label="(4.88)",
                why="y(1 - y) = e^{-a}/(1 + e^{-a})^2"),
        Bound(0, ">=", label="u^T H u >= 0", why="a positive factor times a square: each term, hence the sum over n, is semi-definite"),
        Given(-Sum(T[m] * log(sigma(line(m))) + (1 - T[m]) * log(1 - sigma(line(m))), (m, 1, N)), label="(4.90)",
              why="the error of all N samples along the line w + s v"),
        Differentiate(s, Sum((sigma(line(m)) - T[m]) * B[m], (m, 1, N)), label="(4.91)",
                      why="v^T grad E = sum_n (y_n - t_n) v^T phi_n"),
        Differentiate(s, Sum(sigma(line(m)) * (1 - sigma(line(m))) * B[m] ** 2, (m, 1, N)), label="(4.97)",
                      why="v^T H v = sum_n y_n (1 - y_n) (v^T phi_n)^2"),
        Rewrite(Sum(exp(-line(m)) / (1 + exp(-line(m))) ** 2 * B[m] ** 2, (m, 1, N)), label="(4.88)",
                why="y(1 - y) = e^{-a}/(1 + e^{-a})^2"),
        Bound(0, ">=", label="convexity", why="a sum of nonnegative terms: E is convex in w"),
    ],
)
