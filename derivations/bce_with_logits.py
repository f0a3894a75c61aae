"""The binary cross-entropy with logits, in TensorFlow's stable form (Part 3).

Source: the TensorFlow API documentation of `tf.nn.sigmoid_cross_entropy_with_logits`
(tensorflow.org/api_docs/python/tf/nn/sigmoid_cross_entropy_with_logits), for logits x and
labels z:

      z * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x))
    = z * log(1 + exp(-x)) + (1 - z) * (-log(exp(-x)) + log(1 + exp(-x)))
    = z * log(1 + exp(-x)) + (1 - z) * (x + log(1 + exp(-x)))
    = (1 - z) * x + log(1 + exp(-x))
    = x - x * z + log(1 + exp(-x))

"For x < 0, to avoid overflow in exp(-x), we reformulate the above":
x - x z + log(1 + exp(-x)) = log(exp(x)) - x z + log(1 + exp(-x)) = -x z + log(1 + exp(x));
"hence, to ensure stability and avoid overflow, the implementation uses this equivalent
formulation": max(x, 0) - x * z + log(1 + exp(-abs(x))). Each line is a step below, the labels
z any real number (the identities do not need z in [0, 1]). The exported function takes the last
form with log1p (as TensorFlow's kernel does): log(1 + e^{-|x|}) rounds e^{-|x|} away once it is
below the rounding unit, log1p keeps it. Its gradient in x is sigmoid(x) - z.
"""

from sympy import Abs, Max, Symbol, exp, log
from sympy.codegen.cfunctions import log1p

from smoothsym import Derivation, Differentiate, Given, Rewrite

x = Symbol("x", real=True)  # the logits
z = Symbol("z", real=True)  # the labels


def sigmoid(t):
    return 1 / (1 + exp(-t))


derivation = Derivation(
    name="bce-with-logits",
    title=r"The binary cross-entropy with logits: $\max(x, 0) - x z + \log(1 + e^{-|x|})$",
    source="Part 3: TensorFlow, tf.nn.sigmoid_cross_entropy_with_logits",
    symbols=(x, z),
    steps=[
        Given(z * -log(sigmoid(x)) + (1 - z) * -log(1 - sigmoid(x)), label="TF (1)",
              why=r"the cross-entropy of $\sigma(x)$ against $z$"),
        Rewrite(z * log(1 + exp(-x)) + (1 - z) * (-log(exp(-x)) + log(1 + exp(-x))), label="TF (2)",
                why=r"$-\log \sigma(x) = \log(1 + e^{-x})$ and $1 - \sigma(x) = e^{-x}/(1 + e^{-x})$"),
        Rewrite(z * log(1 + exp(-x)) + (1 - z) * (x + log(1 + exp(-x))), label="TF (3)", why=r"$-\log(e^{-x}) = x$"),
        Rewrite((1 - z) * x + log(1 + exp(-x)), label="TF (4)", why="collect the log terms: $z + (1 - z) = 1$"),
        Rewrite(x - x * z + log(1 + exp(-x)), label="TF (5)", why="expand"),
        Rewrite(-x * z + log(1 + exp(x)), label="TF, x < 0", where=(x < 0,),
                why=r"$x + \log(1 + e^{-x}) = \log(e^x (1 + e^{-x})) = \log(1 + e^x)$: no overflow for $x < 0$"),
        Given(x - x * z + log(1 + exp(-x)), label="TF (5)", why="the formulation for every $x$"),
        Rewrite(Max(x, 0) - x * z + log(1 + exp(-Abs(x))), label="TF, stable",
                why=r"the form for $x \ge 0$ and the one for $x < 0$ in one expression"),
        Rewrite(Max(x, 0) - x * z + log1p(exp(-Abs(x))), label="stable, log1p",
                why="log1p keeps $e^{-|x|}$ when it is below the rounding unit",
                export="sigmoid_cross_entropy_with_logits(x, z)"),
        Differentiate(x, sigmoid(x) - z, label="gradient", why="the prediction minus the label"),
    ],
)
