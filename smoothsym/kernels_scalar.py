"""The scalar code templates of ``smoothsym export --target math`` (and ``--target mpmath``).

The same reductions as ``kernels_numpy.py``, over a sequence of numbers, in the verified max-shift
form LSE_k(x) = M + (1/k) ln sum_i e^{k(x_i - M)}, M = max_i x_i, summed exactly (``fsum``). The
module is written against ``_m``: the exported module binds it to ``math`` or to ``mpmath``.

>>> logsumexp([1000, 1000])
1000.6931471805599
>>> softmax_cross_entropy([0.0, 0.0], 1)
0.6931471805599453
>>> logsumexp([])
-inf
"""

import math as _m


def _reals(x, name):
    """The sequence x as a list of numbers; an error naming the argument otherwise."""
    try:
        values = list(x)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of real numbers, not {type(x).__name__}") from None
    for v in values:
        if isinstance(v, (str, bytes, complex)) or not hasattr(v, "__float__"):
            raise TypeError(f"{name} must hold real numbers; it holds {v!r}")
    return values


def _sharpness(k):
    if isinstance(k, (str, bytes, complex)) or not hasattr(k, "__float__") or not k > 0:
        raise ValueError(f"k must be one positive number, not {k!r}")
    return k


def _shift(values):
    """The max, or 0 where it is infinite (an all -inf row gives -inf, a +inf entry +inf)."""
    top = max(values)
    return 0 if _m.isinf(top) else top


def logsumexp(x, k=1):
    values, k = _reals(x, "x"), _sharpness(k)
    if not values:
        return -_m.inf
    if any(_m.isnan(v) for v in values):
        return _m.nan
    c = _shift(values)
    total = _m.fsum(_m.exp(k * (v - c)) for v in values)
    return c + _m.log(total) / k if total > 0 else -_m.inf


def softmax(x, k=1):
    values, k = _reals(x, "x"), _sharpness(k)
    if not values:
        return []
    c = _shift(values)
    terms = [_m.exp(k * (v - c)) for v in values]
    total = _m.fsum(terms)
    return [t / total for t in terms]


def _target(values, y):
    if isinstance(y, bool) or not isinstance(y, int) or not 0 <= y < len(values):
        raise ValueError(f"y must be a class index in 0..{len(values) - 1}, not {y!r}")
    return y


def softmax_cross_entropy(z, y):
    values = _reals(z, "z")
    y = _target(values, y)
    return logsumexp(values) - values[y]


def softmax_cross_entropy_grad(z, y):
    values = _reals(z, "z")
    y = _target(values, y)
    gradient = softmax(values)
    gradient[y] -= 1
    return gradient


def _settle(value, naive, *args):
    """Where the stable form meets inf - inf (no input NaN), the naive form's limit."""
    if _m.isnan(value) and not any(_m.isnan(a) for a in args):
        try:
            return naive(*args)
        except (OverflowError, ValueError, ZeroDivisionError):
            return value
    return value
