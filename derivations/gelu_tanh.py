"""GELU and its tanh approximation, with the approximation's measured maximum error (Part 3).

Source: D. Hendrycks and K. Gimpel, "Gaussian Error Linear Units (GELUs)", arXiv:1606.08415
(2016): GELU(x) = x P(X <= x) = x Phi(x) = x (1 + erf(x/sqrt 2))/2, "which we can approximate
with 0.5 x (1 + tanh[sqrt(2/pi)(x + 0.044715 x^3)])" or with x sigma(1.702 x).

The paper gives no error bound. The engine searches for the largest error of each approximation
over the whole real line: the tanh form is within 4.74e-4 of x Phi(x) (largest found 4.7324e-4,
at |x| = 2.699), the sigmoid form within 2.1e-2 (largest found 2.0335e-2, at x = 2.270). Both are
"checked": a search is evidence, not a proof. GELU tends to the ReLU: x Phi(x) -> 0 as x -> -oo,
and GELU(x)/x -> 1 as x -> +oo; near 0 it is x/2 + x^2/sqrt(2 pi) + O(x^4).

For export both are rewritten without their cancellation as x -> -oo, where 1 + erf(x/sqrt 2)
and 1 + tanh(u) are differences of numbers near 1 and -1 (x = -10 leaves no correct digit of
GELU(x) = -7.6e-23): 1 + erf(t) = erfc(-t), and erfc of a positive argument keeps its relative
accuracy down to the subnormals; 1 + tanh(u) = 2 sigma(2u), with the sigmoid's stable form
e^{min(t, 0)}/(1 + e^{-|t|}) (no exponent positive, so nothing overflows, not even in float32).
"""

from sympy import Abs, Min, Piecewise, Rational, Symbol, erf, erfc, exp, oo, pi, sqrt, tanh

from smoothsym import Approximate, Asymptotic, Derivation, Given, Limit, Rewrite

x = Symbol("x", real=True)


def Phi(t):
    """The standard normal CDF."""
    return (1 + erf(t / sqrt(2))) / 2


def sigmoid(t):
    return 1 / (1 + exp(-t))


GELU = x * Phi(x)
U = sqrt(2 / pi) * (x + Rational("0.044715") * x**3)  # the tanh form's argument
TANH_FORM = x / 2 * (1 + tanh(U))

derivation = Derivation(
    name="gelu-tanh",
    title=r"GELU: $x \Phi(x)$, its tanh form within $4.74 \cdot 10^{-4}$, its sigmoid form within $2.1 \cdot 10^{-2}$",
    source="Part 3: Hendrycks and Gimpel 2016, GELUs",
    symbols=(x,),
    steps=[
        Given(GELU, label="GELU", why=r"$x$ times the standard normal CDF, $\Phi(x) = (1 + \operatorname{erf}(x/\sqrt{2}))/2$"),
        Approximate(TANH_FORM, Rational("4.74e-4"), label="tanh approximation",
                    why="Hendrycks and Gimpel's tanh form; the largest error is searched for, on the whole line"),
        Given(GELU, label="GELU", why="again, for the sigmoid form"),
        Approximate(x * sigmoid(Rational("1.702") * x), Rational("2.1e-2"), label="sigmoid approximation",
                    why=r"$x \sigma(1.702 x)$, the paper's cheaper form"),
        Given(GELU, label="GELU -> ReLU", why="far left"),
        Limit(x, 0, to=-oo, label="GELU -> ReLU", why=r"$\Phi(x) \sim e^{-x^2/2}/(|x| \sqrt{2 \pi})$ beats the factor $x$"),
        Given(GELU / x, label="GELU -> ReLU", why=r"far right, relative to $x$"),
        Limit(x, 1, label="GELU -> ReLU", why=r"$\Phi(x) \to 1$"),
        Given(GELU, label="near 0"),
        Asymptotic(x, x / 2 + x**2 / sqrt(2 * pi), 4, label="near 0",
                   why=r"$\Phi(x) = 1/2 + x/\sqrt{2 \pi} - x^3/(6 \sqrt{2 \pi}) + \dots$; the $x^3$ term of GELU vanishes"),
        # -- the forms the exported code evaluates -----------------------------------------------------
        Given(GELU, label="GELU, stable", why=r"$1 + \operatorname{erf}(x/\sqrt{2})$ cancels as $x \to -\infty$"),
        Rewrite(x / 2 * Piecewise((erfc(Abs(x) / sqrt(2)), x < 0), (1 + erf(x / sqrt(2)), True)), label="GELU, stable", by="rewrite(erf)",
                why=r"$1 + \operatorname{erf}(t) = \operatorname{erfc}(-t)$, and $-x = |x|$ for $x < 0$: erfc of a positive "
                    r"argument, no difference (written with $|x|$: SymPy would turn $\operatorname{erfc}(-t)$ back into "
                    r"$2 - \operatorname{erfc}(t)$)",
                export="gelu(x)"),
        Given(TANH_FORM, label="GELU tanh form, stable", why=r"$1 + \tanh(u)$ cancels as $x \to -\infty$"),
        Rewrite(x * sigmoid(2 * U), label="GELU tanh form, stable", by="rewrite(exp)",
                why=r"$1 + \tanh u = 1 + (1 - e^{-2u})/(1 + e^{-2u}) = 2/(1 + e^{-2u}) = 2 \sigma(2u)$"),
        Rewrite(x * exp(Min(2 * U, 0)) / (1 + exp(-Abs(2 * U))), label="GELU tanh form, stable",
                why=r"the sigmoid's stable form (export-forms): for $t < 0$ multiply above and below by $e^t$, "
                    "so no exponent is positive",
                export="gelu_tanh(x)"),
    ],
)
