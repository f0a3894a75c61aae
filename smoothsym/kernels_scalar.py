"""The scalar code templates of ``smoothsym export --target math`` (and ``--target mpmath``).

The same reductions as ``kernels_numpy.py``, over a sequence of numbers, in the verified log1p
form about the max (``derivations/export_forms.py``): LSE_k(x) = M + (1/k) log1p(s), s the exact
sum (``fsum``) of e^{k(x_j - M)} over every entry but the first max. The module is written against
``_m``: the exported module binds it to ``math`` or to ``mpmath``.

>>> logsumexp([1000, 1000])
1000.6931471805599
>>> logsumexp([0.0, -40.0])  # ln(1 + e^-40) would round to 0
4.248354255291589e-18
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
        raise ValueError(f"k must be one positive number (inf for the limit), not {k!r}")
    return k


def _shift(values):
    """The max, or 0 where it is infinite (an all -inf row gives -inf, a +inf entry +inf)."""
    top = max(values)
    return 0 if _m.isinf(top) else top


def _rest(values, k):
    """The max M and s = sum of e^{k(v - M)} over every entry but the first max (exact: fsum)."""
    top = max(values)
    pivot = values.index(top)
    return top, _m.fsum(_m.exp(k * (v - top)) for j, v in enumerate(values) if j != pivot)


def logsumexp(x, k=1):
    values, k = _reals(x, "x"), _sharpness(k)
    if not values:
        return -_m.inf
    if any(_m.isnan(v) for v in values):
        return _m.nan
    if _m.isinf(max(values)):
        return max(values)  # +inf, or -inf for a row of -inf only
    if _m.isinf(k):
        return max(values)
    top, s = _rest(values, k)
    return top + _m.log1p(s) / k


def log_softmax(x, k=1):
    values, k = _reals(x, "x"), _sharpness(k)
    if not values:
        return []
    if any(_m.isnan(v) for v in values) or _m.isinf(max(values)) or _m.isinf(k):
        return [_m.log(p) if p > 0 else -_m.inf for p in softmax(values, k)]
    top, s = _rest(values, k)
    return [k * (v - top) - _m.log1p(s) for v in values]


def softmax(x, k=1):
    values, k = _reals(x, "x"), _sharpness(k)
    if not values:
        return []
    if any(_m.isnan(v) for v in values):
        return [_m.nan] * len(values)
    top = max(values)
    if _m.isinf(k) and not _m.isinf(top):  # the limit: the tied maxima share 1/m
        ties = sum(1 for v in values if v == top)
        return [1 / ties if v == top else 0 * top for v in values]
    terms = [_m.exp(k * (v - top)) if not _m.isinf(top) else _m.nan for v in values]
    total = _m.fsum(terms)
    return [t / total for t in terms]


def _target(values, y):
    if isinstance(y, bool) or not isinstance(y, int) or not 0 <= y < len(values):
        raise ValueError(f"y must be a class index in 0..{len(values) - 1}, not {y!r}")
    return y


def softmax_cross_entropy(z, y):
    values = _reals(z, "z")
    y = _target(values, y)
    if any(_m.isnan(v) for v in values) or _m.isinf(max(values)):
        return logsumexp(values) - values[y]
    top, s = _rest(values, 1)
    return (top - values[y]) + _m.log1p(s)


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
