"""The numpy code templates of ``smoothsym export``: reductions over axes, and input checks.

An exported module is printed from verified SymPy expressions where it can be (the elementwise
functions); a reduction over an axis cannot be printed from an n-variable instance, so its code is
one of the functions below, copied verbatim into the exported module (with the docstring replaced
by the verified formulas, their verdicts and the measured accuracy). Each template evaluates one
formula that is a verified step of the catalog (``derivations/export_forms.py``):

* logsumexp:    LSE_k(x) = x_p + (1/k) log1p(sum_{j != p} e^{k(x_j - x_p)}), the pivot p a max
                of the row (every exponent <= 0, and the pivot's own term 1 is kept out of the
                sum: the ties' terms are subtracted and m - 1 added back exactly, so
                logsumexp([0, -40]) = log1p(e^-40) = 4.25e-18); rows of two by the binary smooth
                max max(x, y) + log1p(e^{-k|x - y|})/k (stable-forms); float32 and float16 rows
                longer than 64 at k = 1 take s = rest/h, unshifted where the max allows it (the
                softmax rule below, see _narrow_rest);
* with b=:      x_p + (ln|b_p| + ln|1 + sum_{j != p} (b_j/b_p) e^{k(x_j - x_p)}|)/k, and the sign;
* log_softmax:  k(x_i - x_p) - log1p(s), s the same sum;
* softmax:      e^{k(x_i - x_p)} / (1 + s); at k = 1 in float64 (and in every dtype for rows
                longer than 64), e^{x_i - c} / (h + s) with c = 0 where the max M lies in
                [0, 709 - ln n] (the definition e^{x_i} / sum_j e^{x_j} itself: no exponent
                rounded, no pass to shift), else c = M or M - (709 - ln n) (stable-forms "any
                shift"); h = e^{M - c} the max's own term, added last;
* the cross-entropy with target y: (z_p - z_y) + log1p(s) (exactly log1p(s) when y is the max),
  and its gradient softmax - one-hot, -s/(1 + s) at a target that is the max.

Rules, as scipy.special where it has the function: ``axis=None`` (every axis) by default, an int
or a tuple; ``keepdims``; a row whose max is +inf, -inf or NaN is computed unshifted (so an all
-inf row gives -inf, a +inf entry +inf, NaN propagates, and a softmax row holding +inf is all
NaN). k is keyword-only (scipy's positional arguments keep their meaning), must be > 0, and
k = inf gives the limit: the max, and a one-hot softmax whose tied entries share 1/m.

Every row is computed from its own entries only (batch invariance: the same row gives the same
bits in any batch). float16 and float32 input is computed in float64 and rounded once to its own
dtype (so thresholds and exponent ranges are never those of the wrong dtype); float64 and longer
dtypes are computed in their own dtype.

>>> import numpy
>>> float(logsumexp([0.0, -40.0]))  # scipy.special's own test; ln(1 + e^-40) rounds to 0
4.248354255291589e-18
>>> logsumexp(numpy.float32([100, 99]))
np.float32(100.31326)
>>> logsumexp([[-numpy.inf, -numpy.inf], [0.0, numpy.inf]], axis=1).tolist()
[-inf, inf]
>>> softmax([1.0, 2.0], axis=3)
Traceback (most recent call last):
numpy.exceptions.AxisError: axis 3 is out of bounds for array of dimension 1
"""

import numpy

_BLOCK = 1 << 16  # elements per block of rows: the temporaries of a block stay in the cache
_LONG_BLOCK = 1 << 18  # rows longer than 64: few temporaries per entry, so larger blocks (each costs ~15 numpy calls)
_EXP_MAX = 709.0  # e^x is finite in float64 below 709.78
_SHORT = 8  # rows up to this length are scanned column by column (numpy's axis=-1 loops are slow there)


def _real(value, name):
    """``value`` as a floating array (integers and booleans become float64); an error naming the argument."""
    try:
        array = numpy.asarray(value)
    except Exception as exc:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if array.dtype.kind in "iub":
        return array.astype(numpy.float64)
    if array.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, not of dtype {array.dtype}")
    return array


def _working(dtype):
    """The dtype a computation runs in: float64 for float16 and float32 (rounded once at the end)."""
    return numpy.dtype(numpy.float64) if dtype.itemsize < 8 else dtype


def _sharpness(k):
    """k as a Python float > 0 (inf allowed: the limit); an error otherwise."""
    try:
        value = numpy.asarray(k)
        ok = value.ndim == 0 and value.dtype.kind in "iuf" and bool(value > 0)
    except Exception:
        ok = False
    if not ok:
        raise ValueError(f"k must be one positive number (inf for the limit), not {k!r}")
    return float(value)


def _axes(x, axis):
    """The reduced axes of x as a sorted tuple (None: all of them)."""
    if axis is None:
        return tuple(range(x.ndim))
    items = axis if isinstance(axis, tuple) else (axis,)
    for a in items:
        if isinstance(a, bool) or not isinstance(a, (int, numpy.integer)):
            raise TypeError(f"axis must be None, an integer or a tuple of integers, not {axis!r}")
    return tuple(sorted(_normalize(items, x.ndim)))


def _normalize(items, ndim):
    """Each axis in 0..ndim-1; numpy's AxisError when out of bounds, an error when repeated."""
    found = []
    for a in items:
        a = int(a)
        if not -ndim <= a < ndim:
            raise numpy.exceptions.AxisError(f"axis {a} is out of bounds for array of dimension {ndim}")
        a %= ndim
        if a in found:
            raise ValueError(f"axis {a} is repeated")
        found.append(a)
    return found


def _as_rows(x, axes):
    """x with ``axes`` moved last and flattened: a 2-d (rows, n) array (a copy only where needed),
    and the shape of the kept axes."""
    last = tuple(range(x.ndim - len(axes), x.ndim))
    moved = numpy.moveaxis(x, axes, last)
    kept = moved.shape[:x.ndim - len(axes)]
    n = 1
    for size in moved.shape[x.ndim - len(axes):]:
        n *= size
    rows = 1
    for size in kept:
        rows *= size
    return moved.reshape(rows, n), kept


def _from_rows(out, x, axes, kept):
    """Per-row results back to x's shape, the reduced axes moved back (for elementwise outputs)."""
    moved_shape = kept + tuple(x.shape[a] for a in axes)
    last = tuple(range(x.ndim - len(axes), x.ndim))
    return numpy.moveaxis(out.reshape(moved_shape), last, axes)


def _blocks(count, n, size=_BLOCK):
    """Slices of whole rows, about ``size`` elements each."""
    step = max(1, size // max(1, n))
    return [slice(start, start + step) for start in range(0, count, step)]


def _pivot(x):
    """Each row's first max (NaN if the row holds one) and its column."""
    count, n = x.shape
    if n > _SHORT:
        where = x.argmax(axis=1)
        return x[numpy.arange(count), where], where
    top = x[:, 0].copy()
    where = numpy.zeros(count, dtype=numpy.intp)
    for j in range(1, n):
        column = x[:, j]
        numpy.copyto(where, j, where=column > top)
        numpy.maximum(top, column, out=top)  # NaN propagates
    return top, where


def _top(x):
    """Each row's max (NaN if the row holds one): column by column for short rows, by
    maximum.reduceat up to 64 (numpy's max(axis=1) is ~2x slower there), else max(axis=1)."""
    count, n = x.shape
    if n <= _SHORT:
        top = x[:, 0].copy()
        for j in range(1, n):
            numpy.maximum(top, x[:, j], out=top)
        return top
    if n <= 64 and x.flags.c_contiguous:
        return numpy.maximum.reduceat(x.reshape(-1), numpy.arange(0, x.size, n))
    return x.max(axis=1)


def _rest_sum(x, top, k, terms=False):
    """s = sum of e^{k(x_j - M)} over every entry but one max, M = top: the terms of the ties
    (x_j = M, each exactly 1) are taken out and m - 1 of them added back as the exact integer.
    So 1 + s rounds once: summing 1 + e^-20 + e^-20 + ... would round at every term (softmax
    lost 4 ULP so). With terms=True also the terms e^{k(x_j - M)} themselves: (s, terms)."""
    t = numpy.subtract(x, top[:, None])
    if k != 1:
        t *= k
    numpy.exp(t, out=t)
    if x.shape[1] > 64:  # long rows: argmax is cheap there (one pass), so take out one max's term only
        rows = numpy.arange(x.shape[0])
        where = x.argmax(axis=1)
        one = t[rows, where].copy()  # 1, or NaN in a row whose max is not finite
        t[rows, where] = 0.0
        s = _row_sum(t)
        if terms:
            t[rows, where] = one
            return s, t
        return s
    ties = numpy.equal(x, top[:, None]).astype(x.dtype)
    t -= ties
    s = _row_sum(t) + (_row_sum(ties) - 1.0)
    if not terms:
        return s
    t += ties  # exact: a tie's term was 1 - 1 = 0
    return s, t


def _long_terms(x, k):
    """Rows longer than 64 (x in its own dtype): the row indices, each row's first max column p
    (argmax: one pass, in x's own dtype, the same column as after the exact cast), the max x_p in
    the working dtype, and d = k(x - x_p) in the working dtype (the cast and the shift in one
    pass)."""
    rows = numpy.arange(x.shape[0])
    where = x.argmax(axis=1)  # the first max; the first NaN in a row holding one
    work = _working(x.dtype)
    top = x[rows, where].astype(work)
    d = numpy.subtract(x, top[:, None], dtype=work)
    if k != 1:
        d *= k
    return rows, where, top, d


def _narrow_rest(x, rows, where, top):
    """s = sum_{j != p} e^{x_j - M} of float32 or float16 rows longer than 64 (k = 1; p the first
    max, M = top in float64), as rest / h: rest = sum_{j != p} e^{x_j - c}, h = e^{M - c}, c the
    shift of _plain_shift. Where c = 0 (most rows) that is e^{x_j} of the exact float64 value of
    each entry, with no pass to shift; s then errs by a few float64 ULP (the terms, the sum, the
    one division), 2^-29 of a float32 ULP each, and a term below the normal range (x_j < -708.4)
    is < 2.2e-308 e^M of the sum, far below what a float32 result can hold. float64 rows keep the
    max-shift, which needs no division."""
    shift = _plain_shift(top, x.shape[1])
    if shift.any():
        t = numpy.subtract(x, shift[:, None], dtype=numpy.float64)
        numpy.exp(t, out=t)
    else:
        t = numpy.exp(x, dtype=numpy.float64)  # dtype=: the exponential of the exact float64 value
    head = t[rows, where]  # h: e^{M - c}, or e^0 = 1
    return _long_sum(t, rows, where) / head


def _long_sum(t, rows, where):
    """s of the long rows from their terms t (changed in place: the pivot's term set to 0, the
    others summed pairwise, as _row_sum)."""
    t[rows, where] = 0.0
    return t.sum(axis=1)


def _columns(x, k):
    """Rows of 9 to 64 entries (x in its own dtype) as the columns of a C-ordered (n, count) array
    in the working dtype (the cast and the transpose in one copy: every step below then runs over
    whole contiguous rows of it, where numpy's loops over a short last axis are slow). Returns
    each row's max (NaN if the row holds one), the ties x_j = max as a boolean (n, count) array,
    (1 at x_j = max, else 0) as an (n, count) array of the working dtype, their count per row
    minus 1, and d = k(x - max)."""
    d = numpy.array(x.T, dtype=_working(x.dtype), order="C")  # always a copy (x.T may already be C-ordered: x is the caller's)
    top = numpy.maximum.reduce(d, axis=0)  # NaN propagates
    hit = d == top
    ties = hit.astype(d.dtype)
    others = numpy.add.reduce(hit.view(numpy.uint8), axis=0, dtype=numpy.uint8).astype(d.dtype) - 1.0  # n <= 64 < 256
    d -= top
    if k != 1:
        d *= k
    return top, ties, others, d


def _columns_sum(t, ties, others):
    """s from the terms t = e^{d} of _columns (changed in place: the ties' terms, each exactly 1,
    made 0 and m - 1 added back as the exact integer, as _rest_sum), each column summed pairwise."""
    t -= ties
    return _pairwise_columns(t) + others


def _pairwise_columns(t):
    """The sum of each column of an (n, count) array, pairwise: its two halves added, and so on
    (O(log n) ULP, from its own entries only)."""
    n = t.shape[0]
    half = (n + 1) // 2
    u = t[:half].copy()
    u[:n - half] += t[half:]
    while u.shape[0] > 1:
        half = (u.shape[0] + 1) // 2
        u[:u.shape[0] - half] += u[half:]
        u = u[:half]
    return u[0]


def _row_sum(t):
    """The sum of each row, from its own entries only: column by column for short rows, numpy's
    pairwise .sum(axis=1) (O(log n) ULP) for longer ones."""
    n = t.shape[1]
    if n <= _SHORT:
        total = t[:, 0].copy()
        for j in range(1, n):
            total += t[:, j]
        return total
    if n <= 64:
        return numpy.einsum("ij->i", t)
    return t.sum(axis=1)


def _rest(x, top, where, k, b=None, terms=True):
    """The pivoted terms e^{k(x_j - x_p)} (times b_j/b_p), the pivot's own entry 0, as a new
    array (None with terms=False, for short rows summed column by column), and their row sums s."""
    count, n = x.shape
    if not terms and n <= _SHORT:  # column by column: no (count, n) temporaries, no fancy indexing
        s = numpy.zeros(count, dtype=x.dtype)
        head = None if b is None else b[numpy.arange(count), where]
        for j in range(n):
            t = numpy.subtract(x[:, j], top)
            if k != 1:
                t *= k
            numpy.exp(t, out=t)
            if b is not None:
                t *= b[:, j]
                t /= head
            numpy.copyto(t, 0.0, where=where == j)
            s += t
        return None, s
    t = numpy.subtract(x, top[:, None])
    if k != 1:
        t *= k
    numpy.exp(t, out=t)
    if b is not None:
        t *= b
        t /= b[numpy.arange(count), where][:, None]
    t[numpy.arange(count), where] = 0.0
    return t, _row_sum(t)


def _smooth_max(x, k):
    """LSE_k of rows of two: max + log1p(e^{-k|x_1 - x_2|})/k (stable-forms, "binary smooth max, stable")."""
    top = numpy.maximum(x[:, 0], x[:, 1])
    t = numpy.minimum(x[:, 0], x[:, 1])
    t -= top
    if k != 1:
        t *= k
    numpy.exp(t, out=t)
    numpy.log1p(t, out=t)
    if k != 1:
        t /= k
    t += top
    return top, t


def _unshifted(rows, k):
    """scipy.special's rule where a row's max is not finite: the row computed with no shift."""
    e = numpy.exp(rows * k if k != 1 else rows)
    return numpy.log(e.sum(axis=1)) / k


def _lse_block(x, k, b):
    """LSE_k of each row of a 2-d block (n >= 1) in x's own dtype: (log|sum|, sign of the sum) in
    the working dtype."""
    count = x.shape[0]
    if b is None and x.shape[1] > 64 and k != numpy.inf:  # long rows: the argmax gives the pivot and the max in one pass
        if k == 1 and x.dtype != _working(x.dtype):  # float32, float16: see _narrow_rest
            rows, where = numpy.arange(count), x.argmax(axis=1)  # the first max; the first NaN in a row holding one
            top = x[rows, where].astype(numpy.float64)
            value = top + numpy.log1p(_narrow_rest(x, rows, where, top))
        else:
            rows, where, top, t = _long_terms(x, k)
            numpy.exp(t, out=t)
            value = top + numpy.log1p(_long_sum(t, rows, where)) / k
        bad = ~numpy.isfinite(top)
        if bad.any():
            value[bad] = _unshifted(x[bad].astype(value.dtype), k)
        return value, numpy.ones(count, dtype=value.dtype)
    if b is None and _SHORT < x.shape[1] <= 64 and k != numpy.inf:  # rows of 9 to 64: as columns
        top, ties, others, t = _columns(x, k)
        numpy.exp(t, out=t)
        value = top + numpy.log1p(_columns_sum(t, ties, others)) / k
        bad = ~numpy.isfinite(top)
        if bad.any():
            value[bad] = _unshifted(x[bad].astype(value.dtype), k)
        return value, numpy.ones(count, dtype=value.dtype)
    x = x.astype(_working(x.dtype), copy=False)
    if b is not None:
        b = b.astype(x.dtype, copy=False)
    if b is not None:
        x = numpy.where(b == 0, -numpy.inf, x)  # a zero weight drops its term, as scipy.special
    sign = numpy.ones(count, dtype=x.dtype)
    if x.shape[1] == 2 and b is None and k != numpy.inf:
        top, value = _smooth_max(x, k)
        where = None
    elif b is None:
        top, where = _top(x), True
    else:
        top, where = _pivot(x)
    if where is None:
        pass
    elif k == numpy.inf:  # the limit k -> oo: the max
        value = top.copy()
    elif b is None:
        value = top + numpy.log1p(_rest_sum(x, top, k)) / k
    else:
        _, q = _rest(x, top, where, k, b, terms=False)
        head = b[numpy.arange(count), where]
        inside = q > -1
        value = top + (numpy.log(numpy.abs(head)) + numpy.where(inside, numpy.log1p(q), numpy.log(-1 - q))) / k
        sign = numpy.sign(head) * numpy.where(inside, 1.0, numpy.where(q == -1, 0.0, -1.0))
    bad = ~numpy.isfinite(top)
    if bad.any():
        rows = x[bad]
        if b is None:
            value[bad] = _unshifted(rows, 1.0 if k == numpy.inf else k)
        else:
            total = (b[bad] * numpy.exp(rows * k)).sum(axis=1)
            value[bad] = numpy.log(numpy.abs(total)) / k
            sign[bad] = numpy.sign(total)
    return value, sign


def _reduce(x, axis, keepdims, block, b=None):
    """Apply ``block`` to every row of x over ``axis`` (in blocks, in the working dtype): the
    per-row outputs, each of x's dtype, in the kept shape (with ones where keepdims)."""
    axes = _axes(x, axis)
    rows, kept = _as_rows(x, axes)
    weights = None
    if b is not None:
        weights, _ = _as_rows(numpy.broadcast_to(b, x.shape), axes)
    outputs = None
    for part in _blocks(rows.shape[0], rows.shape[1], _LONG_BLOCK if rows.shape[1] > 64 else _BLOCK):
        got = block(rows[part], None if weights is None else weights[part])
        if outputs is None:
            outputs = [numpy.empty(rows.shape[0], dtype=x.dtype) for _ in got]
        for out, value in zip(outputs, got):
            out[part] = value
    if outputs is None:  # no rows
        outputs = [numpy.empty(0, dtype=x.dtype)] * 2
    shape = kept if not keepdims else tuple(1 if a in axes else size for a, size in enumerate(x.shape))
    return [out.reshape(shape)[()] for out in outputs]


def logsumexp(x, axis=None, b=None, keepdims=False, return_sign=False, *, k=1):
    x = _real(x, "x")
    k = _sharpness(k)
    if b is not None:
        b = _real(b, "b")
        if k == numpy.inf:
            raise ValueError("k = inf with weights b is not supported (the limit depends on the weights of the ties)")
        try:
            shape = numpy.broadcast_shapes(x.shape, b.shape)
        except ValueError:
            raise ValueError(f"b of shape {b.shape} does not broadcast with x of shape {x.shape}") from None
        x = numpy.broadcast_to(x, shape)
        b = numpy.broadcast_to(b, shape)
    if x.size == 0 or 0 in [x.shape[a] for a in _axes(x, axis)]:
        axes = _axes(x, axis)
        shape = tuple(1 if a in axes else s for a, s in enumerate(x.shape)) if keepdims else tuple(
            s for a, s in enumerate(x.shape) if a not in axes)
        value = numpy.full(shape, -numpy.inf if 0 in [x.shape[a] for a in axes] else 0.0, dtype=x.dtype)[()]
        return (value, numpy.zeros_like(value)[()]) if return_sign else value
    with numpy.errstate(all="ignore"):
        value, sign = _reduce(x, axis, keepdims, lambda rows, w: _lse_block(rows, k, w), b)
    if return_sign:
        return value, sign
    if b is not None:
        value = numpy.where(sign < 0, numpy.nan, value).astype(x.dtype)[()]
    return value


def _softmax_block(x, k, log, into, spare):
    """softmax_k (or its log) of each row of a 2-d block (x in its own dtype), pivoted on the row's
    max, written into ``into`` (x's dtype: rounded once there); ``spare``: for rows longer than
    64, two flat buffers of the working dtype, each as large as the block, for the temporaries."""
    if x.shape[1] > 64 and k != numpy.inf:
        _softmax_long(x, k, log, into, spare)
        return
    if _SHORT < x.shape[1] and k != numpy.inf and not log:  # rows of 9 to 64: as columns
        top = _softmax_columns(x, k, into)
        bad = ~numpy.isfinite(top)
        if bad.any():
            into[bad] = _not_finite(x[bad].astype(top.dtype), top[bad], k, log)
        return
    if _SHORT < x.shape[1] and k != numpy.inf:  # rows of 9 to 64: as columns
        top, ties, others, d = _columns(x, k)
        last = into.T if into.dtype == d.dtype else d  # the last step straight into the output where no rounding is left
        t = numpy.exp(d)
        numpy.subtract(d, numpy.log1p(_columns_sum(t, ties, others)), out=last)
        if last is d:
            into[...] = d.T
        bad = ~numpy.isfinite(top)
        if bad.any():
            into[bad] = _not_finite(x[bad].astype(top.dtype), top[bad], k, log)
        return
    x = x.astype(_working(x.dtype), copy=False)
    top = _top(x)
    if k == numpy.inf:  # the limit: the tied maxima share 1/m
        hit = (x == top[:, None]).astype(x.dtype)
        m = _row_sum(hit)
        out = numpy.log(hit) - numpy.log(m)[:, None] if log else hit / m[:, None]
    elif log:
        s = _rest_sum(x, top, k)
        out = numpy.subtract(x, top[:, None])
        if k != 1:
            out *= k
        out -= numpy.log1p(s)[:, None]
    else:
        out = _softmax_short(x, top, k, into.dtype)
    bad = ~numpy.isfinite(top)
    if bad.any():
        out[bad] = _not_finite(x[bad], top[bad], k, log)
    into[...] = out


def _softmax_columns(x, k, into):
    """softmax_k of rows of 9 to 64 entries (k finite) into ``into``, as the columns of a C-ordered
    (n, count) array (see _columns): e^{k(x_i - c)} / (rest + m h), c the shift of _plain_shift
    at k = 1 in float64 (else the max), h = e^{k(M - c)} the term of each of the m ties x_j = M
    (1 where c = M), rest the sum of the other terms, pairwise; the ties' terms are kept out of
    that sum and added as the one product m h, so the denominator rounds once more only (as
    1 + s). Returns the max of each row."""
    n = x.shape[1]
    c = numpy.array(x.T, dtype=_working(x.dtype), order="C")  # always a copy (x.T may already be C-ordered: x is the caller's)
    top = numpy.maximum.reduce(c, axis=0)  # NaN propagates
    hit = c == top
    m = numpy.add.reduce(hit.view(numpy.uint8), axis=0, dtype=numpy.uint8).astype(c.dtype)  # n <= 64 < 256
    plain = k == 1 and c.dtype == x.dtype  # float32, float16: the max-shift, fewer passes, as accurate once rounded
    shift = _plain_shift(top, n) if plain else top
    head = numpy.exp(top - shift) if plain else 1.0  # h: the same bits as the ties' terms below (exp is elementwise)
    c -= shift
    if k != 1:
        c *= k
    numpy.exp(c, out=c)
    ties = hit.astype(c.dtype)
    if plain:
        ties *= c  # h at a tie, else 0
    c -= ties
    rest = _pairwise_columns(c)
    c += ties
    last = into.T if into.dtype == c.dtype else c  # the last step straight into the output where no rounding is left
    numpy.divide(c, rest + m * head, out=last)
    if last is c:
        into[...] = c.T
    return top


def _softmax_short(x, top, k, into_dtype):
    """softmax_k of rows of at most 8 entries (k finite, x in the working dtype, ``top`` each
    row's max), as _softmax_columns with the rows summed column by column and the ties' terms
    summed (m h: exact for one max, and the integer m where h = 1)."""
    plain = k == 1 and x.dtype == into_dtype  # as _softmax_columns
    t = numpy.subtract(x, _plain_shift(top, x.shape[1])[:, None] if plain else top[:, None])
    if k != 1:
        t *= k
    numpy.exp(t, out=t)
    ties = numpy.equal(x, top[:, None]).astype(t.dtype)
    if plain:
        ties *= t  # h at a tie, else 0 (a contiguous product: no loop over a short broadcast axis)
    t -= ties
    rest = _row_sum(t)
    t += ties
    t /= (rest + _row_sum(ties))[:, None]  # m h: exact for one max, and m itself where h = 1
    return t


def _plain_shift(top, n):
    """The shift c of each row of softmax at k = 1 (n entries, max M): M - clip(M, 0, L),
    L = _EXP_MAX - ln n. So c = 0 where 0 <= M <= L: softmax is then its definition
    e^{x_i} / sum_j e^{x_j}, and no exponent is rounded (x_i - 0 = x_i exactly, where x_i - M
    rounds: at |x| ~ 1 that cost the max-shift up to 6 ULP at n = 1000, this form 3). It neither
    overflows nor loses a term there: the sum is at most n e^M <= e^{_EXP_MAX}; an e^{x_j} below
    the normal range (x_j < -708.4 <= M - 708.4) belongs to an entry whose softmax is < 2.2e-308,
    which the sum >= e^M >= 1 leaves within the same absolute error. Elsewhere a shift as good as
    the max (stable-forms, "any shift"): c = M where M < 0 (every exponent <= 0), c = M - L where
    M > L (every exponent <= L: the sum stays below e^{_EXP_MAX}); a max that is not finite gives
    a c that is not finite (the row is redone as scipy.special's)."""
    return top - numpy.clip(top, 0.0, _EXP_MAX - numpy.log(n))


def _softmax_long(x, k, log, into, spare):
    """softmax_k (or its log) of rows longer than 64 (k finite), written into ``into``: the argmax
    gives the pivot p and the max in one pass. softmax: e^{k(x_i - c)} / (h + s), s the sum of the
    terms but the pivot's, h = e^{k(x_p - c)} the pivot's own term added last (one rounding, as
    1 + s), c the shift of _plain_shift at k = 1 (no pass at all where every row has c = 0), else
    the max (h = 1); the log: k(x_i - x_p) - log1p(s)."""
    count, n = x.shape
    rows, where = numpy.arange(count), x.argmax(axis=1)  # the first max; the first NaN in a row holding one
    work = _working(x.dtype)
    top = x[rows, where].astype(work)
    d = into if into.dtype == work else spare[0, :x.size].reshape(x.shape)
    shift = _plain_shift(top, n) if not log and k == 1 else top
    if not log and k == 1 and not shift.any():
        numpy.exp(x, out=d, dtype=work)  # dtype=: the exponential of the exact float64 value of a float32 entry
    else:
        numpy.subtract(x, shift[:, None], dtype=work, out=d)
        if k != 1:
            d *= k
        if not log:
            numpy.exp(d, out=d)
    if log:
        t = numpy.exp(d, out=spare[1, :x.size].reshape(x.shape))
        numpy.subtract(d, numpy.log1p(_long_sum(t, rows, where))[:, None], out=into)
    else:
        head = d[rows, where]  # h: e^{x_p} or e^0 = 1
        total = _long_sum(d, rows, where) + head
        d[rows, where] = head
        if d is into:
            d /= total[:, None]
        else:  # into narrower: a product by 1/total in float64 errs by < 2^-51, far below the one rounding to into's dtype
            numpy.multiply(d, (1.0 / total)[:, None], out=into)
    bad = ~numpy.isfinite(top)
    if bad.any():
        into[bad] = _not_finite(x[bad].astype(work), top[bad], k, log)


def _not_finite(x, top, k, log):
    """softmax_k (or its log) of rows whose max ``top`` is not finite, as scipy.special."""
    rows = x * (k if k != numpy.inf else 1.0)
    if log:  # scipy.special.log_softmax: a row whose max is not finite is not shifted
        return rows - numpy.log(numpy.exp(rows).sum(axis=1))[:, None]
    e = numpy.exp(rows - top[:, None])  # scipy.special.softmax: shifted by the max anyway, so +inf gives NaN everywhere
    return e / e.sum(axis=1)[:, None]


def _rowwise(x, axis, compute):
    """An output of x's shape, each row over ``axis`` computed by ``compute`` from its own entries."""
    axes = _axes(x, axis)
    if x.size == 0:
        return numpy.empty(x.shape, dtype=x.dtype)
    rows, kept = _as_rows(x, axes)
    out = numpy.empty(rows.shape, dtype=x.dtype)
    parts = _blocks(rows.shape[0], rows.shape[1], _LONG_BLOCK if rows.shape[1] > 64 else _BLOCK)
    spare = None  # the long rows' temporaries: allocated once, reused by every block
    if rows.shape[1] > 64:
        spare = numpy.empty((2, (parts[0].stop - parts[0].start) * rows.shape[1]), dtype=_working(x.dtype))
    with numpy.errstate(all="ignore"):
        for part in parts:
            compute(rows[part], out[part], spare)
    return _from_rows(out, x, axes, kept)


def softmax(x, axis=None, *, k=1):
    x = _real(x, "x")
    k = _sharpness(k)
    return _rowwise(x, axis, lambda rows, into, spare: _softmax_block(rows, k, False, into, spare))


def log_softmax(x, axis=None, *, k=1):
    x = _real(x, "x")
    k = _sharpness(k)
    return _rowwise(x, axis, lambda rows, into, spare: _softmax_block(rows, k, True, into, spare))


def _targets(z, y):
    """The class indices y, checked against the scores z (classes on the last axis)."""
    y = numpy.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"y must be integer class indices, not of dtype {y.dtype}")
    if y.shape != z.shape[:-1]:
        raise ValueError(f"y has shape {y.shape}, but z of shape {z.shape} needs y of shape {z.shape[:-1]}")
    if y.size and (y.min() < 0 or y.max() >= z.shape[-1]):
        raise ValueError(f"y must be class indices in 0..{z.shape[-1] - 1}")
    return y.reshape(-1)


def _scores(z):
    z = _real(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least one axis (the classes, its last axis)")
    if z.shape[-1] == 0:
        raise ValueError("z has no classes (its last axis is empty)")
    return z


def _cross_entropy_block(z, y):
    count = z.shape[0]
    rows = numpy.arange(count)
    top = _top(z)
    value = (top - z[rows, y]) + numpy.log1p(_rest_sum(z, top, 1.0))
    bad = ~numpy.isfinite(top)
    if bad.any():
        value[bad] = _unshifted(z[bad], 1.0) - z[bad][numpy.arange(bad.sum()), y[bad]]
    return value


def _per_row(block, z, y, per_entry: bool):
    """``block`` over the rows of scores ``z`` (classes on the last axis) with targets ``y``, in
    the working dtype, one block of rows at a time; one value per row, or per entry."""
    z = _scores(z)
    y = _targets(z, y)
    rows = z.reshape(-1, z.shape[-1])
    work = _working(z.dtype)
    out = numpy.empty(rows.shape if per_entry else rows.shape[0], dtype=z.dtype)
    with numpy.errstate(all="ignore"):
        for part in _blocks(rows.shape[0], rows.shape[1]):
            out[part] = block(rows[part].astype(work, copy=False), y[part])
    return out.reshape(z.shape) if per_entry else out.reshape(z.shape[:-1])[()]


def softmax_cross_entropy(z, y):
    return _per_row(_cross_entropy_block, z, y, per_entry=False)


def _gradient_block(z, y):
    count = z.shape[0]
    rows = numpy.arange(count)
    top = _top(z)
    s, out = _rest_sum(z, top, 1.0, terms=True)
    out /= (1.0 + s)[:, None]
    at_target = out[rows, y] - 1.0
    pivot = z[rows, y] == top  # the target is a max: p_y - 1 = -s/(1 + s), s the sum without it
    at_target[pivot] = (-s / (1.0 + s))[pivot]
    out[rows, y] = at_target
    out[~numpy.isfinite(top)] = numpy.nan  # softmax's rule: a row whose max is not finite is NaN
    return out


def softmax_cross_entropy_grad(z, y):
    return _per_row(_gradient_block, z, y, per_entry=True)


def _positive(value, name, infinite=False):
    """An elementwise parameter declared positive (a sharpness k): every entry > 0, and finite
    unless the function has its limit form for inf; an error otherwise."""
    value = numpy.asarray(value)
    ok = (value > 0) & (value <= numpy.inf if infinite else value < numpy.inf)
    if value.size and not bool(numpy.all(ok)):
        what = "positive (inf for the limit)" if infinite else "positive and finite"
        raise ValueError(f"{name} must be {what}, not {value.tolist()!r}")


def _at_infinity(k, value, limit):
    """value() where k is finite, limit() (the formula at k = oo) where k is inf."""
    infinite = numpy.isinf(k)
    if not numpy.any(infinite):
        return value()
    if numpy.all(infinite):
        return limit()
    return numpy.where(infinite, limit(), value())


def _elementwise_inputs(**named):
    """The inputs as floating arrays (a Python number stays a Python float: numpy treats it as
    weak, so float32 input stays float32), checked to broadcast, and the result's dtype."""
    arrays = {}
    for name, value in named.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            arrays[name] = float(value)
        else:
            arrays[name] = _real(value, name)
    strong = [a for a in arrays.values() if not isinstance(a, float)]
    try:
        numpy.broadcast_shapes(*(numpy.shape(a) for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {numpy.shape(a)}" for name, a in arrays.items())
        raise ValueError(f"the shapes of {shapes} do not broadcast together") from None
    dtype = numpy.result_type(*strong) if strong else numpy.dtype(numpy.float64)
    work = _working(dtype)
    return tuple(a if isinstance(a, float) else a.astype(work, copy=False) for a in arrays.values()), dtype


def _finish(value, dtype, *args):
    """The result in the inputs' dtype, NaN wherever an input is NaN (a Piecewise or a max would
    otherwise turn NaN into a number: softmax_one_hot(nan, 0) is NaN, not 0)."""
    value = numpy.asarray(value, dtype=dtype)
    nan = numpy.zeros(value.shape, dtype=bool)
    for a in args:
        nan = nan | numpy.isnan(a)
    if nan.any():
        value = numpy.where(nan, numpy.nan, value).astype(dtype)
    return value[()]


def _settle(value, naive, *args):
    """Where the stable form meets inf - inf (at an infinite input; no input NaN), the naive form,
    which gives the limit there without overflow: e.g. smooth_max(inf, inf) = inf."""
    value = numpy.asarray(value)
    broken = numpy.isnan(value)
    if not broken.any():
        return value
    for a in args:
        broken = broken & ~numpy.isnan(a)
    return numpy.where(broken, naive(*args), value)


# -- erf and erfc of arrays (numpy has neither) ----------------------------------------------------
# W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
# 631-637, in the form of Cody's own CALERF (netlib specfun/erf, last modified March 19, 1990; the
# algorithm behind Cephes' and SciPy's erf and erfc): three ranges of |x|, each a ratio of
# polynomials good to at least 18 significant digits. The coefficients are CALERF's double
# precision DATA statements, digit for digit, in its Horner order (the first coefficient is the
# leading one, the last the constant term). Evaluated in plain float64 the ratios lose up to ~5 ULP
# (the two Horner sums of degree 8 round at every step), so each polynomial is summed by the
# compensated Horner scheme (S. Graillat, P. Langlois and N. Louvet, "Compensated Horner scheme",
# 2005: as accurate as in twice the precision) and the products are kept in double-double until
# one final rounding; what remains is numpy's exp, under 1 ULP.
_ERF_A = (1.85777706184603153e-1, 3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03)  # |x| <= 0.46875: erf(x) = x A(x^2) / B(x^2)
_ERF_B = (1.0, 2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_ERFC_C = (2.15311535474403846e-8, 5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
           2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
           1.23033935479799725e03)  # 0.46875 < y <= 4: erfc(y) = e^{-y^2} C(y) / D(y)
_ERFC_D = (1.0, 1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
           3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)
_ERFC_P = (1.63153871373020978e-2, 3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
           1.60837851487422766e-2, 6.58749161529837803e-4)  # y > 4: erfc(y) = e^{-y^2}/y (1/sqrt(pi) - z P(z)/Q(z)), z = 1/y^2
_ERFC_Q = (1.0, 2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
           2.33520497626869185e-3)
_ERF_SMALL = 0.46875  # Cody's THRESH: below it erf's own ratio, above it erfc's (erf = 1 - erfc)
_ERFC_ZERO = 28.0  # erfc(28) = 6.6e-343, below half the smallest subnormal: 0 from here (and y = inf meets no inf - inf)
_ERFC_SCALED = 26.0  # from here erfc(y) < 1e-296 nears the subnormals: e^{-s^2} is taken times e^64 so it never underflows
_EXP_M64 = (1.603810890548638e-28, -7.361325221284214e-45)  # e^-64 as a double-double (mpmath, 50 digits)
_SQRT_1_PI = (0.5641895835477563, 7.66772980658294e-18)  # 1/sqrt(pi) as a double-double (CALERF's SQRPI, to 32 digits)
_SPLIT = 134217729.0  # 2^27 + 1, Veltkamp's splitter for float64


def _two_sum(a, b):
    """(s, e) with s = fl(a + b) and a + b = s + e exactly (Knuth)."""
    s = a + b
    v = s - a
    return s, (a - (s - v)) + (b - v)


def _two_product(a, b):
    """(p, e) with p = fl(a b) and a b = p + e exactly (Dekker; numpy has no fused multiply-add)."""
    p = a * b
    ca, cb = _SPLIT * a, _SPLIT * b
    a1, b1 = ca - (ca - a), cb - (cb - b)
    a2, b2 = a - a1, b - b1
    return p, ((a1 * b1 - p) + a1 * b2 + a2 * b1) + a2 * b2


def _horner(coefficients, x):
    """The polynomial (leading coefficient first) at x, as a double-double (compensated Horner)."""
    s, c = coefficients[0], 0.0
    for a in coefficients[1:]:
        p, pe = _two_product(s, x)
        s, se = _two_sum(p, a)
        c = c * x + (pe + se)
    return _two_sum(s, c)


def _dd_divide(n, d):
    """n / d for double-doubles, as a double-double."""
    q = n[0] / d[0]
    p, pe = _two_product(q, d[0])
    return _two_sum(q, ((n[0] - p) - pe + n[1] - q * d[1]) / d[0])


def _dd_multiply(a, b):
    p, pe = _two_product(a[0], b[0])
    return _two_sum(p, pe + (a[0] * b[1] + a[1] * b[0]))


def _erf_small(x):
    """erf(x) for |x| <= 0.46875 (a double-double): x A(x^2)/B(x^2)."""
    z = x * x
    return _dd_multiply((x, 0.0), _dd_divide(_horner(_ERF_A, z), _horner(_ERF_B, z)))


def _erfc_right(y):
    """erfc(y) for y > 0.46875, as a double-double (every y >= 0 is computed; NaN stays NaN):
    Cody's ratio of the range, times e^{-y^2} = e^{-s^2} e^{-(y - s)(y + s)}, s = y cut to
    sixteenths (s^2 is exact, so the rounding of y^2, amplified by y^2 in the exponent, never enters)."""
    y = numpy.minimum(y, _ERFC_ZERO)
    middle = _dd_divide(_horner(_ERFC_C, y), _horner(_ERFC_D, y))
    z = 1 / (y * y)  # the tail's correction z P/Q is below 0.008 of 1/sqrt(pi): its rounding hardly counts
    h, e = _two_sum(_SQRT_1_PI[0], -z * (_horner(_ERFC_P, z)[0] / _horner(_ERFC_Q, z)[0]))
    tail = _dd_divide((h, e + _SQRT_1_PI[1]), (y, 0.0))
    ratio = tuple(numpy.where(y <= 4, m, t) for m, t in zip(middle, tail))
    s = numpy.trunc(y * 16) / 16
    scaled = y > _ERFC_SCALED
    # e^{-(y - s)(y + s)}: y - s is exact; the product, up to 3.4 at y = 28, is kept as a
    # double-double (its rounding, times e^{-delta}, would cost 4 ULP), and e^{-(d + e)} = e^{-d} (1 - e)
    h, e = _two_sum(y, s)
    d, de = _dd_multiply((y - s, 0.0), (h, e))
    p, pe = _two_product(numpy.exp(numpy.where(scaled, 64.0, 0.0) - s * s), numpy.exp(-d))
    value = _dd_multiply((p, pe - p * de), ratio)
    shrunk = _dd_multiply(value, _EXP_M64)
    return tuple(numpy.where(scaled, a, b) for a, b in zip(shrunk, value))


def _erf_input(x):
    """x as an array of its working dtype (float16 and float32 in float64), and the result's dtype."""
    x = numpy.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else numpy.dtype(numpy.float64)
    return x.astype(numpy.float64 if dtype.itemsize < 8 else dtype, copy=False), dtype


def _erf(x):
    """erf(x) elementwise, in x's dtype (float16 and float32 computed in float64, rounded once)."""
    x, dtype = _erf_input(x)
    with numpy.errstate(all="ignore"):
        y = numpy.abs(x)
        small = _erf_small(x)
        right = _erfc_right(y)
        one_minus = _two_sum(1.0, -right[0])
        value = numpy.copysign(numpy.where(y <= _ERF_SMALL, small[0] + small[1], one_minus[0] + (one_minus[1] - right[1])),
                               x)  # erf is odd, and erf(-0) = -0
    return value.astype(dtype, copy=False)[()]


def _erfc(x):
    """erfc(x) = 1 - erf(x) elementwise, in x's dtype, its relative accuracy kept in the tail
    x -> +inf down to the subnormals; erfc(x) = 2 - erfc(-x) for x < 0."""
    x, dtype = _erf_input(x)
    with numpy.errstate(all="ignore"):
        y = numpy.abs(x)
        small = _erf_small(x)
        right = _erfc_right(y)
        near = _two_sum(1.0, -small[0])
        left = _two_sum(2.0, -right[0])
        value = numpy.where(y <= _ERF_SMALL, near[0] + (near[1] - small[1]),
                            numpy.where(x < 0, left[0] + (left[1] - right[1]), right[0] + right[1]))
    return value.astype(dtype, copy=False)[()]
