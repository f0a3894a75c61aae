"""The page's accuracy claims: (13) converges far worse than (11); (14) is more accurate than (11).

Each claim is read as a bound between the errors |smooth max - max(x, y)| at the same k, for
every k = 1, 2, ... (sampled with x and y): "far worse" at least means "worse at every k".
Errors measured at 80 digits (k = 1, 10, 100, 1000; "0" is below 1e-80):

    point          (11) LSE                 (13) odd power              (14) e^{e^{kt}}
    (1, 1/2)       0.47  6.7e-4  1.9e-24 0  0.04   2.3e-8  1.6e-63 0    0.10  0  0  0
    (1/5, 1/10)    0.64  3.1e-2  4.5e-7  4e-47  8e-3 4.5e-9 3.1e-64 0  0.42 1.3e-4 0 0
    (10, 9)        0.31  4.5e-6  3.7e-46 0  2.0    5.0e-2  3.2e-11 0    0  0  0  0
    (100, 99)      0.31  4.5e-6  3.7e-46 0  25     2.9     6.2e-2 9e-11 0  0  0  0
    (1, 1) tie     ln2/k: 0.69 ... 6.9e-4   (2^{1/(2k+1)} - 1): 0.26 ... 3.5e-4   0.23 3.2e-6 2.6e-46 0
    (3, 3) tie     ln2/k                    3(2^{1/(2k+1)} - 1): 0.78 ... 1.0e-3  0.034 6.5e-15 0 0
    (0, 0)         ln2/k                    0 (exact)                   ln(1 + ln 2)/k = 0.53/k
    (0, -1)        0.31  4.5e-6  3.7e-46 0  1 (no convergence)          ln(ln(e + 1))/k = 0.27/k
    (1/100, -5)    6.7e-3 1.8e-23 0 0       5.01 (no convergence)      0.27 0.023 2.3e-4 0
    (-1, -2)       0.31  4.5e-6  3.7e-46 0  1 (no convergence)          0.95 0.96 0.996 1 (-> |max|)

Fitted rates: (11) ln2/k at ties (k^-1), e^{-k|x-y|}/k otherwise, the same at every scale;
(13) M ln2/(2k) at ties (k^-1, proportional to the scale M), (m/M)^{2k+1} M/(2k) otherwise
(scale-free: it depends on the ratio m/M only), and no convergence when x + y < 0 or x = -y != 0;
(14) ln2 e^{-kM}/k at ties with M > 0, doubly exponential otherwise, 0.27/k to 0.53/k when
max(x, y) = 0, and no convergence when max(x, y) < 0.

Verdicts (each a step below): (13) worse than (11) at every k -- refuted as stated (at the
origin (13) is exact); holds when x, y >= 3, where the ratio m/M is close to 1 and (13) is slower.
(14) more accurate than (11) -- refuted as stated (negative arguments); holds when x, y >= 0;
refuted again for max(x, y) > 0 with a far negative argument at small k, where (14) wins only for
large enough k.
"""

from sympy import Abs, Max, Symbol, exp, log, sign

from smoothsym import Bound, Derivation, Given

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", integer=True, positive=True)  # (13) needs the odd power 2k + 1


eq11 = log(exp(k * x) + exp(k * y)) / k
s13 = x ** (2 * k + 1) + y ** (2 * k + 1)
eq13 = sign(s13) * Abs(s13) ** (1 / (2 * k + 1))  # the real odd root: see smooth_max_recipe.py
eq14 = log(log(exp(exp(k * x)) + exp(exp(k * y)))) / k

error11 = eq11 - Max(x, y)  # >= 0 everywhere
error13 = Abs(eq13 - Max(x, y))
error14 = eq14 - Max(x, y)  # >= 0 everywhere

derivation = Derivation(
    name="smooth-max-accuracy",
    title="How accurate are (11), (13) and (14) at equal $k$?",
    source="(13), (14): the accuracy claims",
    symbols=(x, y, k),
    steps=[
        # -- "(13)'s accuracy is far worse than (11)'s" ------------------------------------------
        Given(error13, label="(13) converges far worse than (11)", why="the error of (13) at $k$"),
        Bound(
            error11, ">=", label="(13) converges far worse than (11)",
            why="far worse at least means worse at every $k$, on the whole line the recipe claims",
            expect_refuted=r"(13) is exact at $x = y = 0$ and when one argument is 0 and the other positive, while (11) is off by up to $\ln(2)/k$",
        ),
        Given(error13, label="(13) is worse than (11) when x, y >= 3", why="the domain found with the engine"),
        Bound(
            error11, ">=", label="(13) is worse than (11) when x, y >= 3",
            why="for large arguments the ratio $m/M$ is close to 1, and $(m/M)^{2k+1}$ decays slower than $e^{-k(M - m)}$",
            where=(x >= 3, y >= 3),
        ),
        # -- "(14) is more accurate than (11)" -----------------------------------------------------
        Given(error14, label="(14) is more accurate than (11)", why="the error of (14) at $k$"),
        Bound(
            error11, "<=", label="(14) is more accurate than (11)",
            why="more accurate at every $k$, on the whole line the recipe claims",
            expect_refuted=r"with a negative argument and $\max(x, y) \le 0$, (14) is worse: its error is $\ln(\ln(e + 1))/k$ at $(0, -1)$ and tends to $|\max(x, y)|$ for $\max(x, y) < 0$",
        ),
        Given(error14, label="(14) is more accurate than (11) when x, y >= 0",
              why="the domain found with the engine"),
        Bound(
            error11, "<=", label="(14) is more accurate than (11) when x, y >= 0",
            why="then the smaller argument's $e^{e^{k m}}$ is negligible beside $e^{e^{k M}}$ much sooner than $e^{k m}$ beside $e^{k M}$",
            where=(x >= 0, y >= 0),
        ),
        Given(error14, label="(14) is more accurate than (11) when max(x, y) > 0",
              why="a positive max with a negative argument"),
        Bound(
            error11, "<=", label="(14) is more accurate than (11) when max(x, y) > 0",
            why=r"a wider domain than $x, y \ge 0$, checked as well",
            expect_refuted=r"a negative argument still adds $e^{e^{k m}} \ge 1$ to the sum of (14) but almost nothing to that of (11), so at small $k M$ (14) is worse",
            where=(Max(x, y) > 0,),
        ),
    ],
)
