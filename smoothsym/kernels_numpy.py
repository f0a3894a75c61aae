"""The numpy code templates of ``smoothsym export``: reductions over an axis, and input checks.

An exported module is printed from verified SymPy expressions where it can be; a reduction over
an axis (LogSumExp, softmax, the cross-entropy) cannot be printed from an n-variable instance, so
its code is one of the functions below, copied verbatim into the exported module (with the
docstring replaced by the verified formula and its verdict). This file imports only numpy, like
the module it is copied into; ``tests/test_export.py`` checks every template against the verified
instances n = 2..8 at 50 digits.

Two verified forms of LSE are used (derivation ``stable-forms``):

* any shift c:  LSE_k(x) = c + (1/k) ln sum_i e^{k(x_i - c)} for every real c;
* max shift:    the same with c = M = max_i x_i, where every exponent is <= 0.

The per-row max costs two passes over a short row (max, then a broadcast subtract); so
LogSumExp takes one shift for a whole block of rows where it is as accurate (the verified "any
shift" identity): c = 0 when every |k x| <= ``_SPREAD``/2 = 600 (no overflow, no subnormals, and
k x is rounded relative to x itself), or the block's midpoint when every entry is within a
factor 2 of it (x - c is then exact). softmax always shifts by the row's max. Short rows are
summed column by column, and every pass runs over cache-sized blocks of rows.
Infinite or NaN entries take the per-row path, with
scipy.special's semantics: a row's infinite max shifts by 0, so an all -inf row gives -inf, a
+inf entry +inf, and NaN propagates.

>>> import numpy
>>> float(logsumexp([1000.0, 1000.0]))  # 1000 + ln 2; the naive form gives inf
1000.6931471805599
>>> logsumexp([[-numpy.inf, -numpy.inf], [0.0, numpy.inf]]).tolist()
[-inf, inf]
>>> softmax([1.0, 2.0], axis=3)
Traceback (most recent call last):
ValueError: axis 3 is out of range for x with 1 dimension(s)
"""

import numpy

# every exponent of the one-shift path lies in [-_SPREAD/2, _SPREAD/2]: e^600 * 10^40 < 1.8e308
_SPREAD = 1200.0
_MAX_ROW = 10**40
_BLOCK = 1 << 18  # elements per block: 2 MiB of float64, within the cache (measured best of 2^15..2^18)


def _real(value, name):
    """``value`` as a floating array (integers become float64); an error naming the argument."""
    try:
        array = numpy.asarray(value)
    except Exception as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if array.dtype.kind in "iub":
        return array.astype(numpy.float64)
    if array.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, not of dtype {array.dtype}")
    return array


def _sharpness(k):
    """k as a positive float: the sharpness, one number."""
    value = _real(k, "k")
    if value.ndim != 0 or not value > 0:
        raise ValueError(f"k must be one positive number, not {k!r}")
    return float(value)


def _rows(x, axis):
    """x with ``axis`` moved last (a view), and the axis checked."""
    if isinstance(axis, bool) or not isinstance(axis, (int, numpy.integer)):
        raise TypeError(f"axis must be an integer, not {axis!r}")
    x = numpy.atleast_1d(x)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for x with {x.ndim} dimension(s)")
    return numpy.moveaxis(x, axis, -1)


def _one_shift(x, k):
    """One shift c for the whole block when it is as accurate as each row's max, or None.

    c = 0 when every |k x| <= _SPREAD/2: then k x is rounded relative to x itself. Otherwise the
    midpoint of the range, only if every entry lies within a factor 2 of it (same sign, high <=
    2 low): then x - c is exact (Sterbenz). A shift far from a row's entries would add
    ulp(|x - c|) to a result whose scale is only max |x_row|."""
    if x.size == 0 or x.shape[-1] > _MAX_ROW:
        return None
    low, high = x.min(), x.max()
    if not (numpy.isfinite(low) and numpy.isfinite(high)):
        return None  # an infinity or NaN: the per-row rules of scipy.special
    if k * max(-low, high) <= _SPREAD / 2:
        return 0.0
    if k * (high - low) <= _SPREAD and (0 < low and high <= 2 * low or high < 0 and low >= 2 * high):
        return low / 2 + high / 2  # halves first: (low + high) may overflow
    return None


def _shifted_exp(x, k, c):
    """e^{k(x - c)} as a new contiguous array, c a number or a column of per-row shifts."""
    t = numpy.subtract(x, c)
    if k != 1:
        t *= k
    return numpy.exp(t, out=t)


def _row_max_shift(x):
    """The per-row max as a column; an infinite or NaN max shifts by 0 (scipy.special's rule).
    Short rows are scanned column by column: numpy's max(axis=-1) is ~4x slower on rows of 10."""
    if x.shape[-1] > 32:
        top = x.max(axis=-1, keepdims=True)
    else:
        top = x[..., 0].copy()
        for j in range(1, x.shape[-1]):
            numpy.maximum(top, x[..., j], out=top)
        top = top[..., None]
    return numpy.where(numpy.isfinite(top), top, 0.0)


def _row_sum(t):
    """The sum of each row (last axis). numpy's .sum(axis=-1) is slow on short rows (~10x an exp
    pass at n = 2): up to 8 columns are added one by one, up to 64 by einsum; longer rows by
    .sum, whose pairwise summation keeps the rounding at O(log n) ULP."""
    n = t.shape[-1]
    if n <= 8:
        total = t[..., 0].copy()
        for j in range(1, n):
            total += t[..., j]
        return total
    if n <= 64:
        return numpy.asarray(numpy.einsum("...j->...", t))
    return numpy.asarray(t.sum(axis=-1))


def _blocks(rows):
    """Slices of whole rows of a 2-d array, about ``_BLOCK`` elements each: each block's
    temporaries stay in the cache, so the passes over a block cost cache, not memory, traffic."""
    step = max(1, _BLOCK // max(1, rows.shape[-1]))
    return [slice(start, start + step) for start in range(0, rows.shape[0], step)]


def _lse_rows(x, k):
    """LSE_k of each row of a 2-d float block (at least one entry per row)."""
    c = _one_shift(x, k)
    if c is None:
        c = _row_max_shift(x)
        total = _row_sum(_shifted_exp(x, k, c))
        c = c[:, 0]
    else:
        total = _row_sum(_shifted_exp(x, k, c))
    value = numpy.log(total, out=total)
    if k != 1:
        value /= k
    value += c
    return value


def _lse_last(x, k):
    """LSE_k over the last axis of a float array with at least one entry per row, block by block."""
    rows = x.reshape(-1, x.shape[-1])
    out = numpy.empty(rows.shape[0])
    for part in _blocks(rows):
        out[part] = _lse_rows(rows[part], k)
    return out.reshape(x.shape[:-1])[()]  # a number, not a 0-d array, for one row


def _softmax_last(x, k):
    """softmax_k over the last axis, block by block, shifted by each row's max: a shift far from
    a row's entries makes exponents of ~|x - c| whose rounding is relative error in every entry."""
    rows = x.reshape(-1, x.shape[-1])
    out = numpy.empty(rows.shape)
    for part in _blocks(rows):
        e = out[part]
        numpy.subtract(rows[part], _row_max_shift(rows[part]), out=e)
        if k != 1:
            e *= k
        numpy.exp(e, out=e)
        e *= (1.0 / _row_sum(e))[:, None]
    return out.reshape(x.shape)


def logsumexp(x, k=1, axis=-1):
    x = _rows(_real(x, "x"), axis)
    k = _sharpness(k)
    if x.shape[-1] == 0:  # the sum of no terms is 0, its log -inf (as scipy.special)
        return numpy.full(x.shape[:-1], -numpy.inf)
    if x.shape[-1] == 1:  # LSE of one term is the term (c = 0 would round it at the scale of 1)
        return x[..., 0].copy()[()]
    with numpy.errstate(all="ignore"):
        return _lse_last(x, k)


def softmax(x, k=1, axis=-1):
    x = _real(x, "x")
    rows = _rows(x, axis)
    k = _sharpness(k)
    if rows.size == 0:
        return numpy.moveaxis(numpy.zeros(rows.shape), -1, axis)
    with numpy.errstate(all="ignore"):
        e = _softmax_last(rows, k)
    return numpy.moveaxis(e, -1, axis)


def _targets(z, y):
    """The class indices y, checked against the scores z (classes on the last axis)."""
    y = numpy.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"y must be integer class indices, not of dtype {y.dtype}")
    if y.shape != z.shape[:-1]:
        raise ValueError(f"y has shape {y.shape}, but z of shape {z.shape} needs y of shape {z.shape[:-1]}")
    if y.size and (y.min() < 0 or y.max() >= z.shape[-1]):
        raise ValueError(f"y must be class indices in 0..{z.shape[-1] - 1}")
    return y[..., None]


def softmax_cross_entropy(z, y):
    z = _rows(_real(z, "z"), -1)
    y = _targets(z, y)
    if z.shape[-1] == 0:
        raise ValueError("z has no classes (its last axis is empty)")
    with numpy.errstate(all="ignore"):
        return _lse_last(z, 1.0) - numpy.take_along_axis(z, y, axis=-1)[..., 0]


def softmax_cross_entropy_grad(z, y):
    z = _rows(_real(z, "z"), -1)
    y = _targets(z, y)
    if z.shape[-1] == 0:
        raise ValueError("z has no classes (its last axis is empty)")
    gradient = softmax(z)
    numpy.put_along_axis(gradient, y, numpy.take_along_axis(gradient, y, axis=-1) - 1.0, axis=-1)
    return gradient


def _settle(value, naive, *args):
    """Where the stable form meets inf - inf (at an infinite input; no input NaN), the naive form,
    which gives the limit there without overflow: e.g. smooth_max(inf, inf) = inf."""
    broken = numpy.isnan(value)
    if not broken.any():
        return value
    for a in args:
        broken &= ~numpy.isnan(a)
    return numpy.where(broken, naive(*args), value)


def _broadcast(**arrays):
    """Check that the named arrays broadcast together; an error naming them otherwise."""
    try:
        numpy.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {a.shape}" for name, a in arrays.items())
        raise ValueError(f"the shapes of {shapes} do not broadcast together") from None
