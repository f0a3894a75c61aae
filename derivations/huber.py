"""The Huber loss, Smooth L1, and the pseudo-Huber loss (Part 3).

Sources: P. J. Huber, "Robust Estimation of a Location Parameter", Ann. Math. Statist. 35 (1964):
rho(a) = a^2/2 for |a| <= delta, delta |a| - delta^2/2 for |a| > delta, quadratic near 0 and
linear in the tails, its derivative psi(a) = max(-delta, min(a, delta)) the residual clipped to
[-delta, delta]; R. Girshick, "Fast R-CNN" (ICCV 2015), eq. (3): smooth_L1(x) = 0.5 x^2 if
|x| < 1, |x| - 0.5 otherwise, the Huber loss with delta = 1 (PyTorch's torch.nn.HuberLoss documentation: "this loss
differs from SmoothL1Loss by a factor of delta (AKA beta in Smooth L1)", SmoothL1Loss being
0.5 x^2/beta for |x| < beta, |x| - 0.5 beta otherwise); P. Charbonnier et al., "Two
deterministic half-quadratic regularization algorithms for computed imaging" (ICIP 1994): the
pseudo-Huber (Charbonnier) loss delta^2 (sqrt(1 + (a/delta)^2) - 1), smooth everywhere, a^2/2
near 0 and of slope delta far out, never above the Huber loss and at most delta^2/2 below it.

For export the pseudo-Huber is written without its cancellation: delta^2 (sqrt(1 + (a/delta)^2) - 1)
loses every digit once (a/delta)^2 is below the rounding unit (a = 1e-9 gives 0, not 5e-19);
multiplied by its conjugate it is a^2 / (1 + sqrt(1 + (a/delta)^2)), and with hypot and |a| taken
apart, |a| delta (|a| / (delta + hypot(delta, |a|))), no intermediate overflows where the loss is
finite (a^2 does once |a| > 1.3e154, a/delta once delta is small).
"""

from sympy import Abs, Max, Min, Mul, Piecewise, Rational, Symbol, sqrt
from sympy.codegen.cfunctions import hypot

from smoothsym import Asymptotic, Bound, Derivation, Differentiate, Given, Limit, Rewrite, Substitute

a = Symbol("a", real=True)  # the residual
d = Symbol("delta", positive=True)  # the threshold

HUBER = Piecewise((a**2 / 2, Abs(a) <= d), (d * (Abs(a) - d / 2), True))
SMOOTH_L1 = Piecewise((a**2 / 2, Abs(a) < 1), (Abs(a) - Rational(1, 2), True))
PSEUDO_HUBER = d**2 * (sqrt(1 + (a / d) ** 2) - 1)

derivation = Derivation(
    name="huber",
    title=r"Huber, Smooth L1 = Huber at $\delta = 1$, and the pseudo-Huber loss",
    source="Part 3: Huber 1964; Girshick 2015 (Fast R-CNN); Charbonnier et al. 1994",
    symbols=(a, d),
    steps=[
        Given(HUBER, label="Huber", why=r"quadratic for $|a| \le \delta$, linear beyond, the two joined at $|a| = \delta$"),
        Rewrite(Piecewise((a**2 / 2, Abs(a) <= d), (d * Abs(a) - d**2 / 2, True)), label="Huber",
                why=r"the linear piece as the page writes it, $\delta |a| - \delta^2/2$", export="huber(a, delta=1)"),
        Differentiate(a, Max(-d, Min(a, d)), label="psi",
                      why="a inside [-delta, delta], delta sign(a) outside: the residual clipped"),
        Given(HUBER, label="Smooth L1", why="the Huber loss, for Fast R-CNN's smooth L1"),
        Substitute(d, 1, SMOOTH_L1, label="Fast R-CNN (3)",
                   why=r"$\delta = 1$; at $|x| = 1$ both pieces are $1/2$, so $<$ or $\le$ does not matter"),
        Given(HUBER, label="PyTorch HuberLoss", why=r"the Huber loss, against PyTorch's SmoothL1Loss with $\beta = \delta$"),
        Rewrite(d * Piecewise((a**2 / (2 * d), Abs(a) < d), (Abs(a) - d / 2, True)), label="PyTorch HuberLoss",
                why="PyTorch: Huber 'differs from SmoothL1Loss by a factor of delta (AKA beta in Smooth L1)'"),
        Given(PSEUDO_HUBER, label="pseudo-Huber", why="Charbonnier's smooth Huber"),
        Asymptotic(a, a**2 / 2, 4, label="pseudo-Huber", why=r"$\sqrt{1 + u} = 1 + u/2 - u^2/8 + \dots$: $a^2/2$ near 0"),
        Given(PSEUDO_HUBER / Abs(a), label="pseudo-Huber", why="its slope far out"),
        Limit(a, d, label="pseudo-Huber", why=r"$\sqrt{1 + (a/\delta)^2} \sim |a|/\delta$: linear with slope $\delta$"),
        Given(PSEUDO_HUBER, label="pseudo-Huber <= Huber"),
        Bound(HUBER, label="pseudo-Huber <= Huber",
              why=r"$a^2/(1 + s) \le a^2/2$ with $s = \sqrt{1 + (a/\delta)^2} \ge 1$; beyond $\delta$, by convexity of the square root"),
        Given(HUBER - PSEUDO_HUBER, label="Huber - pseudo-Huber"),
        Bound(d**2 / 2, label="Huber - pseudo-Huber", why=r"the gap grows to $\delta^2/2$ far out and never beyond"),
        Given(PSEUDO_HUBER, label="pseudo-Huber, stable", why=r"cancels for $|a| \ll \delta$"),
        Rewrite(a**2 / (1 + sqrt(1 + (a / d) ** 2)), label="pseudo-Huber, stable",
                why=r"multiply by the conjugate: $\delta^2 (s - 1) = \delta^2 (s^2 - 1)/(s + 1) = a^2/(s + 1)$"),
        Rewrite(Mul(Abs(a), d, Abs(a) / (d + hypot(d, Abs(a))), evaluate=False), label="pseudo-Huber, stable",
                why=r"$\sqrt{1 + (a/\delta)^2} = \operatorname{hypot}(\delta, a)/\delta$; $a^2$ and $a/\delta$ overflow where the loss does not, while $|a|/(\delta + \operatorname{hypot}(\delta, |a|))$ lies in $[0, 1]$ (the product is kept unevaluated: SymPy would fold $|a|\,|a|$ back into $a^2$)",
                export="pseudo_huber(a, delta=1)"),
        Given(PSEUDO_HUBER, label="pseudo-Huber gradient"),
        Differentiate(a, a / sqrt(1 + (a / d) ** 2), label="pseudo-Huber gradient",
                      why=r"$\delta^2 \frac{d}{da} \sqrt{1 + (a/\delta)^2}$: a smooth clip, $|\cdot| < \delta$"),
        Bound(d, label="pseudo-Huber gradient", why=r"$|a|/\sqrt{1 + (a/\delta)^2} < |a|/(|a|/\delta)$"),
    ],
)
