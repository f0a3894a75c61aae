"""From the multi-class hinge loss to the softmax cross-entropy (seed Part 2).

Scores z_1, z_2, z_3, target class y = 1, margin m: L = max(0, max(z_2, z_3) - z_1 + m).
Step 1 replaces the inner max by LSE_k (exact only as k -> oo; LSE >= max, so it adds an
implicit margin), then takes the page's k = 1. In the active region (the hinge argument > 0) the
non-target gradients are a softmax over the non-targets: they sum to 1, the target's is -1, the
total 0 and the absolute sum 2. Step 2 replaces the outer max(., 0) by softplus (again exact as
k -> oo, then k = 1); past the margin the hinge gives no gradient, softplus still a little. With
m = 0 the result is the softmax cross-entropy -ln(e^{z_1} / sum_i e^{z_i}), whose gradient is
softmax - one-hot. The gradient facts and the last identity are then checked for n = 2..8
classes.
"""

from sympy import Abs, Eq, IndexedBase, KroneckerDelta, Max, Derivative, S, Sum, Symbol, exp, log, symbols

from smoothsym import Bound, Derivation, Differentiate, Generalise, Given, Rewrite, Substitute

z1, z2, z3 = symbols("z_1:4", real=True)  # z_1 the target class's score
m = Symbol("m", real=True)  # the margin
k = Symbol("k", positive=True)
s = Symbol("s", real=True)  # a common shift, to differentiate along (1, ..., 1)
i = Symbol("i", integer=True, positive=True)
j = Symbol("j", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
y = Symbol("y", integer=True, positive=True)
z = Symbol("z", real=True)
Z = IndexedBase(z)


def lse(*xs, scale=k):
    """LSE_k(x_1, ..., x_n) = (1/k) ln sum_i e^{k x_i}."""
    return log(sum(exp(scale * v) for v in xs)) / scale


hinge = Max(0, Max(z2, z3) - z1 + m)
hinge_k = Max(0, lse(z2, z3) - z1 + m)
u = lse(z2, z3, scale=1) - z1 + m  # the hinge argument with k = 1
hinge_1 = Max(0, u)
soft = log(1 + exp(u))
cross_entropy = -log(exp(z1) / (exp(z1) + exp(z2) + exp(z3)))
ACTIVE = (u > 0,)
total = exp(z1) + exp(z2) + exp(z3)


# -- n classes: scores z_1 (the target), z_2, ..., z_n ----------------------------------------

def scores(count):
    return symbols(f"z_1:{count + 1}", real=True)


def active_loss(count, shift_target=0, shift_others=0):
    """The hinge argument ln sum_{i >= 2} e^{z_i} - z_1 + m (the loss in the active region),
    with the target's score shifted by shift_target and the others' by shift_others."""
    zs = scores(count)
    return log(sum(exp(v + shift_others) for v in zs[1:])) - (zs[0] + shift_target) + m


def non_targets_sum_to_one(count):
    return active_loss(count, shift_others=s).diff(s), S.One


def target_is_minus_one(count):
    return active_loss(count, shift_target=s).diff(s), S.NegativeOne


def total_is_zero(count):
    return active_loss(count, shift_target=s, shift_others=s).diff(s), S.Zero


def absolute_sum_is_two(count):
    zs = scores(count)
    loss = active_loss(count)
    return sum(Abs(loss.diff(v)) for v in zs), S(2)


def cross_entropy_identity(count):
    """With m = 0, softplus of the hinge argument is -ln softmax_1."""
    zs = scores(count)
    return log(1 + sum(exp(v - zs[0]) for v in zs[1:])), -log(exp(zs[0]) / sum(exp(v) for v in zs))


def ce(count):
    zs = scores(count)
    return zs, -log(exp(zs[0]) / sum(exp(v) for v in zs))


def ce_gradient_target(count):
    zs, loss = ce(count)
    return loss.diff(zs[0]), exp(zs[0]) / sum(exp(v) for v in zs) - 1


def ce_gradient_other(count):
    zs, loss = ce(count)
    return loss.diff(zs[-1]), exp(zs[-1]) / sum(exp(v) for v in zs)


LOSS_N = log(Sum(exp(Z[i]), (i, 2, n))) - Z[1] + m
CE_N = -log(exp(Z[y]) / Sum(exp(Z[i]), (i, 1, n)))
SOFTMAX_N = exp(Z[i]) / Sum(exp(Z[j]), (j, 1, n))

derivation = Derivation(
    name="hinge-to-cross-entropy",
    title="From the hinge loss to the softmax cross-entropy",
    source="Part 2: the softmax loss",
    symbols=(z1, z2, z3, m, k, s, i, j, n, y, z),
    conclusion=Eq(Derivative(CE_N, Z[i]), SOFTMAX_N - KroneckerDelta(i, y)),
    steps=[
        Given(hinge, label=r"$L = \max(0, \max_{i \ne y} z_i - z_y + m)$", why="the multi-class hinge loss, target class $y = 1$, three classes"),
        Substitute(
            Max(z2, z3), lse(z2, z3), hinge_k, limit=k,
            label="replace the inner max by LSE",
            why=r"$\mathrm{LSE}_k(z_2, z_3) \to \max(z_2, z_3)$: an approximation, exact only as $k \to \infty$",
        ),
        Substitute(k, 1, hinge_1, label="L₁ (k = 1)", why="the page's loss takes $k = 1$"),
        Given(hinge_k, label="L₁", why=r"the hinge with the inner $\mathrm{LSE}_k$"),
        Bound(hinge, ">=", label="LSE ≥ max", why=r"$\mathrm{LSE} \ge \max$ and $\max(0, \cdot)$ is increasing: the LSE adds an implicit margin"),
        Given(hinge_k, label="L₁", why=r"the hinge with the inner $\mathrm{LSE}_k$, again"),
        Bound(hinge + log(2) / k, "<=", label="LSE ≥ max", why=r"the margin added is at most $\ln(2)/k$ for two non-target classes"),
        Given(hinge_1, label="L₁", why="the loss after step 1"),
        Rewrite(u, label="in the active region", why=r"where the hinge argument is positive, $\max(0, u) = u$", where=ACTIVE),
        Differentiate(
            z2, exp(z2) / (exp(z2) + exp(z3)),
            label="a softmax over the non-targets", why=r"$\partial \mathrm{LSE} / \partial z_2$ is the softmax entry of $z_2$ among the non-targets",
        ),
        Given(LOSS_N, label="in the active region", why="the loss in the active region, $n$ classes, target $y = 1$ ($n = 3$ above)"),
        Generalise(
            Eq(Sum(Derivative(LOSS_N, Z[i]), (i, 2, n)), 1), non_targets_sum_to_one,
            label="they sum to 1", why=r"$\frac{d}{ds}$ of the loss with every non-target score shifted by $s$",
        ),
        Generalise(Eq(Derivative(LOSS_N, Z[1]), -1), target_is_minus_one, label="the target's gradient is −1", why="$z_1$ enters as $-z_1$"),
        Generalise(
            Eq(Sum(Derivative(LOSS_N, Z[i]), (i, 1, n)), 0), total_is_zero,
            label="the total is 0", why=r"$\frac{d}{ds}$ of the loss with every score shifted by $s$",
        ),
        Generalise(
            Eq(Sum(Abs(Derivative(LOSS_N, Z[i])), (i, 1, n)), 2), absolute_sum_is_two,
            label="the sum of absolute values is 2", why="$|-1|$ plus the positive non-target softmax, which sums to 1",
        ),
        Given(hinge_1, label="L₁", why="the loss after step 1"),
        Substitute(
            hinge_1, log(1 + exp(k * u)) / k, log(1 + exp(k * u)) / k, limit=k,
            label="replace max(x, 0) by softplus",
            why=r"the ReLU $\max(0, u)$ is the limit of the smooth $\frac{1}{k} \ln(1 + e^{k u})$: an approximation, exact only as $k \to \infty$",
        ),
        Substitute(k, 1, soft, label="softplus ln(1 + eˣ)", why="the page's softplus takes $k = 1$"),
        Given(hinge_1, label="L₁", why="the hinge loss after step 1"),
        Differentiate(z1, 0, label="past the margin", why="once $z_1$ exceeds the LSE by the margin the hinge gives no gradient", where=(u < 0,)),
        Given(soft, label="softplus ln(1 + eˣ)", why="the loss after step 2"),
        Differentiate(z1, -1 / (1 + exp(-u)), label="softplus ln(1 + eˣ)", why="the chain rule: minus the sigmoid of the hinge argument"),
        Bound(
            -exp(-Abs(u)) / 2, "<=",
            label="it still gets a little gradient",
            why="the sigmoid of $u$ is at least $e^{-|u|}/2 > 0$, also past the margin ($u < 0$)",
        ),
        Given(soft, label="softplus ln(1 + eˣ)", why="the loss after step 2"),
        Substitute(m, 0, log(1 + exp(lse(z2, z3, scale=1) - z1)), label="with m = 0", why="no margin"),
        Rewrite(log(1 + exp(z2 - z1) + exp(z3 - z1)), label=r"$\ln(1 + \sum_{i \ne y} e^{z_i - z_y})$", why=r"$e^{\ln(e^{z_2} + e^{z_3}) - z_1}$"),
        Rewrite(cross_entropy, label="the softmax cross-entropy loss", why=r"$1 + \sum_{i \ne 1} e^{z_i - z_1} = \sum_i e^{z_i} / e^{z_1}$"),
        Differentiate(z1, exp(z1) / total - 1, label="∇CE = softmax − one-hot", why=r"the target's entry: $\operatorname{softmax}_1 - 1$"),
        Given(cross_entropy, label="the softmax cross-entropy loss", why="the loss with $m = 0$"),
        Differentiate(z2, exp(z2) / total, label="∇CE = softmax − one-hot", why=r"a non-target's entry: $\operatorname{softmax}_2 - 0$"),
        Given(CE_N, label="the softmax cross-entropy loss", why="n classes"),
        Generalise(
            Eq(log(1 + Sum(exp(Z[i] - Z[1]), (i, 2, n))), -log(exp(Z[1]) / Sum(exp(Z[i]), (i, 1, n)))), cross_entropy_identity,
            label="the softmax cross-entropy loss", why=r"softplus of the hinge argument with $m = 0$ is $-\ln \operatorname{softmax}_1$",
        ),
        Generalise(
            Eq(Derivative(CE_N, Z[y]), SOFTMAX_N.subs(i, y) - 1), ce_gradient_target,
            label="∇CE = softmax − one-hot", why=r"the target's entry, $\operatorname{softmax}_1 - 1$",
        ),
        Generalise(
            Eq(Derivative(CE_N, Z[n]), SOFTMAX_N.subs(i, n) - KroneckerDelta(n, y)), ce_gradient_other,
            label="∇CE = softmax − one-hot",
            why=r"the last entry, $\operatorname{softmax}_n - [n = y]$: $\operatorname{softmax}_n - 0$ for a non-target (the instance's $y = 1$), $\operatorname{softmax}_n - 1$ when the last class is the target",
        ),
    ],
)
