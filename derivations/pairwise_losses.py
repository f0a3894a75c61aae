"""Pair-wise losses: the triplet loss and NCA (seed Part 2).

The hinge loss with two classes, the scores read as negative distances (z_y = -d(a, p) for the
positive, z = -d(a, n) for the negative), is the triplet loss max(0, d(a, p) - d(a, n) + m).
Smoothing its ReLU by softplus gives ln(1 + e^{d(a,p) - d(a,n) + m}), and with m = 0 this is the
pair-wise softmax loss. NCA's p_ij = e^{-d(i,j)} / sum_{l != i} e^{-d(i,l)} is the softmax over
negative distances: each row sums to 1, and with the distances scaled by s -> oo it picks the
nearest neighbour when that is unique; two neighbours at the same distance share 1/2.
"""

from sympy import Eq, IndexedBase, Limit as Lim, Max, Ne, Piecewise, Rational, S, Sum, Symbol, exp, log, oo, symbols

from smoothsym import Derivation, Generalise, Given, Limit, Rewrite, Substitute

z1, z2 = symbols("z_1:3", real=True)  # scores of the target (positive) and the other (negative) class
d_ap = Symbol("d_ap", nonnegative=True)  # d(a, p): anchor to positive
d_an = Symbol("d_an", nonnegative=True)  # d(a, n): anchor to negative
m = Symbol("m", real=True)  # the margin
k = Symbol("k", positive=True)
sc = Symbol("s", positive=True)  # the distance scale
d1, d2 = symbols("d_1:3", nonnegative=True)  # distances from point i to two neighbours
c = Symbol("c", real=True)  # a shift of every distance
j = Symbol("j", integer=True, positive=True)
l = Symbol("l", integer=True, positive=True)
i = Symbol("i", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
dist = Symbol("d", real=True)
D = IndexedBase(dist)

triplet = Max(0, d_ap - d_an + m)
p_12 = exp(-sc * d1) / (exp(-sc * d1) + exp(-sc * d2))  # p_i1 with two neighbours, scale s


def nca(distances, index, scale=sc):
    """p_i,index = e^{-s d_index} / sum_l e^{-s d_l} over the neighbours l of i."""
    return exp(-scale * distances[index]) / sum(exp(-scale * v) for v in distances)


def row_sums_to_one(count):
    """sum_j p_ij = 1 over count neighbours (the page's scale s = 1)."""
    ds = symbols(f"d_1:{count + 1}", nonnegative=True)
    return sum(nca(ds, index, scale=1) for index in range(count)), S.One


def shift_invariant(count):
    """Adding c to every distance leaves p_i1 unchanged."""
    ds = symbols(f"d_1:{count + 1}", nonnegative=True)
    return nca(tuple(v + c for v in ds), 0), nca(ds, 0)


def nearest_first(count):
    """The distances shifted so that the unique nearest is at d_1 = 0, the others d_l = g_l > 0."""
    return (S.Zero,) + symbols(f"g_2:{count + 1}", positive=True)


def nearest_wins(count):
    """Neighbour 1 the unique nearest: with the distances shifted so that d_1 = 0, d_l = g_l > 0.
    Its p_i1 tends to 1 (and every other p_il to 0, the row summing to 1)."""
    return nca(nearest_first(count), 0), S.One


P_N = exp(-sc * D[j]) / Sum(exp(-sc * D[l]), (l, 1, n))

derivation = Derivation(
    name="pairwise-losses",
    title="The triplet loss and NCA: the hinge and the softmax, pair-wise",
    source="Part 2: pairwise ranking",
    symbols=(z1, z2, d_ap, d_an, m, k, sc, d1, d2, c, j, l, i, n, dist),
    conclusion=Eq(Lim(p_12, sc, oo), Piecewise((1, d1 < d2), (Rational(1, 2), Eq(d1, d2)), (0, True))),
    steps=[
        Given(Max(0, z2 - z1 + m), label="the hinge loss", why=r"$\max(0, \max_{i \ne y} z_i - z_y + m)$ with one other class"),
        Substitute(z1, -d_ap, Max(0, z2 + d_ap + m), label="pair-wise", why="the target's score is minus the anchor-positive distance"),
        Substitute(
            z2, -d_an, triplet,
            label="the triplet loss max(0, d(a, p) − d(a, n) + m)",
            why="the other score is minus the anchor-negative distance",
        ),
        Substitute(
            triplet, log(1 + exp(k * (d_ap - d_an + m))) / k, log(1 + exp(k * (d_ap - d_an + m))) / k, limit=k,
            label="its smoothed form",
            why=r"the ReLU replaced by softplus, an approximation exact only as $k \to \infty$",
        ),
        Substitute(k, 1, log(1 + exp(d_ap - d_an + m)), label="its smoothed form", why="the page's softplus takes $k = 1$"),
        Substitute(m, 0, log(1 + exp(d_ap - d_an)), label="the pair-wise version of the softmax loss", why="no margin"),
        Rewrite(
            -log(exp(-d_ap) / (exp(-d_ap) + exp(-d_an))),
            label="the pair-wise version of the softmax loss",
            why="the cross-entropy of the softmax over the negative distances, the positive as the target",
        ),
        Given(P_N, label=r"$p_{ij} = e^{-d(i,j)} / \sum_{l \ne i} e^{-d(i,l)}$", why="NCA, the distances $d_l = d(i, l)$ to the $n$ neighbours, scaled by $s$"),
        Generalise(
            Eq(Sum(P_N.subs(sc, 1), (j, 1, n)), 1), row_sums_to_one,
            label="each row sums to 1", why="the terms share one denominator, their sum",
        ),
        Generalise(
            Eq(exp(-sc * (D[j] + c)) / Sum(exp(-sc * (D[l] + c)), (l, 1, n)), P_N), shift_invariant,
            label="NCA", why="a common shift of the distances cancels, so the nearest may be put at distance 0",
        ),
        Generalise(
            Eq(Lim(P_N.subs(j, 1), sc, oo), 1), nearest_wins, limit=sc,
            variables=lambda count: {D: nearest_first(count)},
            label="it picks the nearest neighbour",
            why=r"with the unique nearest at 0 and the others $g_l > 0$ away: $1/(1 + \sum_l e^{-s g_l}) \to 1$",
        ),
        Given(p_12, label="pᵢⱼ", why="$p_{i1}$ with two neighbours, distances scaled by $s$"),
        Limit(
            sc, Piecewise((1, d1 <= d2), (0, True)),
            label="it picks the nearest neighbour",
            why="read at every point: the one-hot of the (first) nearest neighbour",
            expect_refuted="two neighbours at the same distance keep $p = 1/2$ each for every $s$",
        ),
        Given(p_12, label="pᵢⱼ", why="$p_{i1}$ with two neighbours, again"),
        Limit(
            sc, Piecewise((1, d1 < d2), (0, True)),
            label="it picks the nearest neighbour", where=(Ne(d1, d2),),
            why=r"when the nearest is unique: $1/(1 + e^{-s (d_2 - d_1)}) \to 1$ or $0$",
        ),
        Given(p_12, label="pᵢⱼ", why="$p_{i1}$ with two neighbours, at every distance"),
        Limit(
            sc, Piecewise((1, d1 < d2), (Rational(1, 2), Eq(d1, d2)), (0, True)),
            label="it picks the nearest neighbour", why="with the tie included: equally near neighbours share the weight",
        ),
    ],
)
