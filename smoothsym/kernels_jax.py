"""The jax code templates of ``smoothsym export --target jax``: reductions over axes with the
verified derivatives as ``jax.custom_jvp`` rules, and the helpers the printed elementwise code calls.

As kernels_numpy.py (same formulas, same rules), for jax arrays: the module docstring and the
imports are not copied into an exported module (it starts with ``import math``, ``import jax``,
``import jax.numpy as jnp``); every other top-level statement is copied verbatim, and each public
function gets the export's docstring inserted after its one-line header (so a public function here
has no docstring of its own). Each reduction evaluates a verified step of the catalog
(``derivations/export_forms.py``), each row pivoted on its own max M with the pivot's own term
e^0 = 1 kept out of the sum s = sum_{j != p} e^{k(x_j - M)} (the ties' terms left out and m - 1
added back as an exact integer, never "sum - 1", which cancels):

* logsumexp:    LSE_k(x) = M + log1p(s)/k, so logsumexp([0, -40]) = log1p(e^-40) = 4.25e-18
                (jax.nn.logsumexp gives 0.0);
* log_softmax:  k(x_i - M) - log1p(s);
* softmax:      e^{k(x_i - M)} / (1 + s), the roundings of x - M and of 1 + s put back (TwoSum,
                fused into the exp's and the division's loops: <= 2 ULP where well conditioned on
                export's adversarial rows, float32 and float64);
* the cross-entropy with integer target y (classes on the last axis, one loss per row):
  (z_p - z_y) + log1p(s), exactly log1p(s) when y is the max; its gradient softmax(z) - onehot(y),
  -s/(1 + s) at a target that is the max (p_y - 1 would cancel).

The derivatives are the derivation's, as custom_jvp rules (so jax.grad, jax.jvp, jax.vjp and
jax.jit all use them; k and the axes are not differentiable; the rules are jnp code, so a second
derivative such as jax.hessian differentiates them in turn): the JVP of LSE_k is sum_i p_i t_i
(catalog lse-gradient, "grad LSE = softmax"), of softmax k p (t - sum_j p_j t_j), of log_softmax
k (t - sum_j p_j t_j), of the cross-entropy sum_i (p_i - onehot_i) t_i, with p the pivoted softmax.
They never differentiate the forward's jnp.where (whose unused branch, inf - inf at a non-finite
row, would make gradients NaN).

Rules as scipy.special: a row whose max is +inf, -inf or NaN is computed unshifted (an all -inf row
gives logsumexp -inf, a +inf entry +inf, NaN propagates, a softmax row holding +inf is all NaN, its
gradient NaN). k is keyword-only, a positive number (not a traced value); k = inf is the limit
(the max; a one-hot softmax whose tied maxima share 1/m). The kernels are compiled once per shape,
dtype and axes (and once more for k = inf): a finite k is a run-time argument, so a schedule of k
(a temperature annealed step by step) compiles nothing new. float16 and bfloat16 are computed in
float32 and rounded once; float32 and float64 in their own dtype. Every row is computed from its
own entries only (batch invariance: no shift shared between rows). float64 needs
``jax.config.update("jax_enable_x64", True)`` in the caller: this module never changes jax's
configuration.
"""

import math

import jax
import jax.numpy as jnp


# -- inputs ------------------------------------------------------------------------------------------


def _real(value, name):
    """``value`` as a jax array of a real floating dtype (integers and booleans become jax's default
    float dtype); a TypeError naming the argument otherwise."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers, not {value!r}")
    try:
        array = jnp.asarray(value)
    except Exception as exc:  # e.g. ragged nested lists, arbitrary objects
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if jnp.issubdtype(array.dtype, jnp.integer) or jnp.issubdtype(array.dtype, jnp.bool_):
        return array.astype(jnp.result_type(float))
    if not jnp.issubdtype(array.dtype, jnp.floating):
        raise TypeError(f"{name} must be an array of real numbers, not of dtype {array.dtype}")
    return array


def _working(dtype):
    """The dtype a computation runs in: float32 for the 16-bit floats (rounded once at the end),
    else the dtype itself."""
    return jnp.dtype(jnp.float32) if jnp.dtype(dtype).itemsize < 4 else jnp.dtype(dtype)


def _positive(value, name, infinite=False):
    """One positive number (a Python number or a 0-d array, not a traced value) as a Python float;
    inf only where ``infinite`` (the function has its limit form there); a ValueError naming the
    parameter otherwise. A traced value (under jax.grad or jax.jit) is refused: the derivation
    verifies no derivative in it, and the k = inf branch is chosen in Python."""
    what = "positive (inf for the limit)" if infinite else "positive and finite"
    if isinstance(value, jax.core.Tracer):
        raise ValueError(f"{name} must be one concrete number, not a traced value: there is no verified "
                         f"derivative in {name}; pass {name} as a number (under jax.jit: closed over or static)")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif getattr(value, "shape", None) == () and hasattr(value, "dtype") and (
            jnp.issubdtype(value.dtype, jnp.integer) or jnp.issubdtype(value.dtype, jnp.floating)):
        number = float(value)
    else:
        raise ValueError(f"{name} must be {what} (one real number), not {value!r}")
    if not (number > 0 and (number < math.inf or infinite)):  # NaN fails both comparisons
        raise ValueError(f"{name} must be {what}, not {value!r}")
    return number


def _axes(x, axis):
    """The reduced axes of x as a sorted tuple (None: every axis); a TypeError for a non-integer
    axis, a ValueError for one out of bounds or repeated."""
    if axis is None:
        return tuple(range(x.ndim))
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    found = []
    for a in items:
        if isinstance(a, bool) or not hasattr(a, "__index__"):
            raise TypeError(f"axis must be None, an integer or a tuple of integers, not {axis!r}")
        a = a.__index__()
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"axis {a} is out of bounds for array of dimension {x.ndim}")
        a %= max(x.ndim, 1)
        if a in found:
            raise ValueError(f"axis {a} is repeated in axis={axis!r}")
        found.append(a)
    return tuple(sorted(found))


def _kept_shape(x, axes, keepdims):
    """The shape of a reduction of x over ``axes``."""
    if keepdims:
        return tuple(1 if a in axes else size for a, size in enumerate(x.shape))
    return tuple(size for a, size in enumerate(x.shape) if a not in axes)


# -- the pivoted pieces every reduction shares ------------------------------------------------------------


_SHORT = 32  # rows up to this length: the sum and the ties' count in one pass (lax.reduce of a pair)


def _pivoted(x, axes, k, exact=False):
    """Each row's max M (kept dims), the exponents k(x - M) <= 0, their terms e^{k(x - M)} (a tie's
    term exactly 1), and s = the sum of the terms but the pivot's own: the ties' terms are left out
    and m - 1 of them added back as the exact integer, so 1 + s rounds once and log1p(s) keeps
    every digit of a tiny s (summing 1 + e^-20 + e^-20 ... would round at every term). A tie is an
    exponent of exactly 0 (so an entry whose k(x_j - M) underflows to 0 counts as one: its term is 1
    all the same). In a row whose max is not finite these pieces are NaN; the callers take scipy's
    values there. exact: the terms with x - M's rounding error put back (_rounding_of_difference).
    k: a finite positive number or 0-d array in x's dtype (multiplying by k = 1 is exact, so k = 1
    needs no branch of its own)."""
    top = jnp.max(x, axis=axes, keepdims=True)  # NaN if the row holds one
    difference = x - top
    exponent = k * difference
    terms = jnp.exp(exponent)
    if exact:
        err = _rounding_of_difference(x, top, difference)
        terms = terms + terms * (k * err)  # e^{k(d + err)} = e^{kd} (1 + k err)
    n = math.prod(x.shape[a] for a in axes)
    if n <= _SHORT:
        # XLA fuses both sums of a two-operand reduce into one loop (faster than jax.nn for short rows)
        ties = (exponent == 0).astype(x.dtype)
        rest, m = _sums((terms - ties, ties), axes)
    else:
        # Long rows: the rest summed as a fixed tree (_pairwise_sum: XLA's own reductions group a
        # row's terms differently alone and in a batch); the ties' count is exact in any order.
        ties = exponent == 0
        rest = _pairwise_sum(jnp.where(ties, 0, terms), axes)
        m = jnp.sum(ties, axis=axes, dtype=x.dtype)
    shape = tuple(1 if a in axes else size for a, size in enumerate(x.shape))
    s = (rest + (m - 1)).reshape(shape)
    return top, exponent, terms, s


def _rounding_of_difference(x, top, d):
    """err with x - M = d + err exactly, d = fl(x - M) (TwoSum; XLA keeps float operations as
    written). The rounding of x - M costs up to |x - M| eps/2 relative in the term e^{x - M}, 1-2 ULP
    of a softmax entry at |x - M| of a few; fused into the exp's loop it is nearly free. 0 where x
    or M is infinite (the error is NaN there; the term is 0 or the row NaN anyway)."""
    back = d - x
    err = (x - (d - back)) + (-top - back)
    return jnp.where(jnp.isfinite(err), err, 0)


def _quotient(terms, s):
    """terms / (1 + s) with the rounding of 1 + s put back: 1 + s = total + err exactly (TwoSum), and
    t/(total + err) = q (1 - err/total) to first order, q = t/total; fused into the division's loop.
    On export's adversarial rows the worst softmax ULP where well conditioned went from 2.26 to 1.9
    in float32 (with the exponent's rounding put back too; jax.nn.softmax: 3.36) and from 1.9 to
    1.68 in float64 (jax.nn.softmax: 1.9)."""
    total = 1 + s
    back = total - 1
    err = (1 - (total - back)) + (s - back)
    q = terms / total
    return q - q * (err / total)


_TREE_GROUP = 64  # the levels of _pairwise_sum's tree written as one expression, 6 at a time


def _pairwise_sum(t, axes):
    """The sum over ``axes`` of each row as a fixed tree of halves (zero-padded to a power of two):
    elementwise adds only, so a row's bits never depend on the batch's shape (XLA's own reductions
    of long rows group the terms differently for one row and for many: measured 2026-12-03 for
    jnp.sum and for lax.reduce of one and of two operands, rows of 33 to 3000 alone and among
    7 to 5000 rows, float32 and float64), and O(log n) ULP. Entry i is added to entry i + width/2
    at each level; six levels at a time are one expression over 64 slices of the row, which XLA
    fuses into one loop (the same tree, the same bits: one level per step materialised every
    level and took 4-6x jnp.sum's time at rows of 1000, the six-level steps ~1-1.5x)."""
    kept = [a for a in range(t.ndim) if a not in axes]
    rows = jnp.transpose(t, kept + list(axes)).reshape(tuple(t.shape[a] for a in kept) + (-1,))
    n = rows.shape[-1]
    width = 1 << (n - 1).bit_length()
    rows = jnp.pad(rows, [(0, 0)] * (rows.ndim - 1) + [(0, width - n)])
    while width > 1:
        group = min(width, _TREE_GROUP)
        step = width // group
        parts = [rows[..., j * step:(j + 1) * step] for j in range(group)]
        while len(parts) > 1:  # part j + half is added to part j: entry i to entry i + width/2, ...
            half = len(parts) // 2
            parts = [parts[j] + parts[j + half] for j in range(half)]
        rows, width = parts[0], step
    return rows[..., 0]


def _add_pairs(a, b):
    """The reducer of lax.reduce over tuples of sums."""
    return tuple(u + v for u, v in zip(a, b))


def _sums_value(operands, axes):
    zero = jnp.zeros((), operands[0].dtype)
    return tuple(jax.lax.reduce(tuple(operands), (zero,) * len(operands), _add_pairs, axes))


# The row sums of several arrays in one lax.reduce; jax has no derivative of a general lax.reduce,
# so the (linear) one is given: the sums of the tangents (a second derivative goes through here).
_sums = jax.custom_jvp(_sums_value, nondiff_argnums=(1,))


def _sums_jvp(axes, primals, tangents):
    (operands,), (changes,) = primals, tangents
    return _sums_value(operands, axes), tuple(jnp.sum(t, axis=axes) for t in changes)


_sums.defjvp(_sums_jvp)  # a statement, not a decorator: export.py copies a def from its own line


def _maxima(x, axes):
    """The limit k = oo: each row's max M, the indicator of its tied maxima and their count m."""
    top = jnp.max(x, axis=axes, keepdims=True)
    hit = (x == top).astype(x.dtype)
    return top, hit, jnp.sum(hit, axis=axes, keepdims=True)


def _logsumexp_and_softmax(x, axes, k, limit):
    """LSE_k of each row (kept dims) and softmax_k, its gradient (NaN in a row whose max is not
    finite, as scipy.special.softmax). A row whose max is +-inf or NaN has LSE = its max: scipy's
    unshifted ln(sum e^{k x_j})/k is +inf with a +inf entry, -inf for an all -inf row, NaN with a NaN.
    limit: k = oo (a Python bool, chosen before compiling; k is not used then)."""
    if limit:  # the max, and the one-hot softmax split among the ties
        top, hit, m = _maxima(x, axes)
        finite = jnp.isfinite(top)
        return top, jnp.where(finite, hit / m, jnp.nan)
    top, _, terms, s = _pivoted(x, axes, k)
    finite = jnp.isfinite(top)
    return jnp.where(finite, top + jnp.log1p(s) / k, top), jnp.where(finite, terms / (1 + s), jnp.nan)


def _softmax_and_log(x, axes, k, limit, exact=False):
    """softmax_k and log_softmax_k of each row (exact: with _pivoted's exact terms and _quotient, for
    softmax). Where a row's max is not finite: softmax NaN
    (scipy.special.softmax shifts by the max anyway) and log_softmax x - M (scipy's unshifted
    k x - ln sum e^{k x}: -inf at a finite entry beside +inf, NaN at the +inf, NaN for all -inf).
    limit: k = oo, as _logsumexp_and_softmax."""
    if limit:  # the tied maxima share 1/m
        top, hit, m = _maxima(x, axes)
        finite = jnp.isfinite(top)
        return jnp.where(finite, hit / m, jnp.nan), jnp.where(finite, jnp.log(hit) - jnp.log(m), x - top)
    top, exponent, terms, s = _pivoted(x, axes, k, exact=exact)
    finite = jnp.isfinite(top)
    p = _quotient(terms, s) if exact else terms / (1 + s)
    return jnp.where(finite, p, jnp.nan), jnp.where(finite, exponent - jnp.log1p(s), x - top)


def _no_finite_derivative(x, axes, log):
    """The derivative at k = oo, where softmax is one-hot: 0 in a row whose finite max is unique
    (softmax, and log_softmax at that max, are locally constant), NaN elsewhere (at tied maxima the
    one-hot jumps, and log_softmax = -inf off the max: k(delta_ij - p_j) has no finite limit)."""
    top, hit, m = _maxima(x, axes)
    unique = jnp.isfinite(top) & (m == 1)
    if log:
        unique = unique & (hit == 1)
    return jnp.where(unique, 0.0, jnp.nan).astype(x.dtype)


# -- the reductions with their verified derivatives (custom_jvp; axes and the limit not differentiable) ----
#
# k is a run-time argument (a 0-d array in the working dtype), so it is one of the primals, but the
# public functions refuse a traced k (_positive): its tangent is always zero here, and the rules
# give none. ``limit`` (k = oo) and the axes are static.


def _logsumexp_rows(x, k, axes, limit):
    return _logsumexp_and_softmax(x, axes, k, limit)[0]


_logsumexp_rule = jax.custom_jvp(_logsumexp_rows, nondiff_argnums=(2, 3))


def _logsumexp_jvp(axes, limit, primals, tangents):
    # d LSE_k = sum_i softmax_k(x)_i dx_i (catalog lse-gradient); at k = oo the one-hot split among ties
    (x, k), (dx, _) = primals, tangents
    value, p = _logsumexp_and_softmax(x, axes, k, limit)
    return value, jnp.sum(p * dx, axis=axes, keepdims=True)


_logsumexp_rule.defjvp(_logsumexp_jvp)  # a statement, not a decorator: export.py copies a def from its own line


def _softmax_rows(x, k, axes, limit):
    # exact: softmax's own roundings put back (1.9 ULP float32 where well conditioned, not 2.26);
    # log_softmax and the gradients need not pay for them (1.31 ULP either way)
    return _softmax_and_log(x, axes, k, limit, exact=True)[0]


_softmax_rule = jax.custom_jvp(_softmax_rows, nondiff_argnums=(2, 3))


def _softmax_jvp(axes, limit, primals, tangents):
    # d softmax_i = k p_i (dx_i - sum_j p_j dx_j)   (d softmax_i/dx_j = k p_i (delta_ij - p_j))
    (x, k), (dx, _) = primals, tangents
    p = _softmax_rows(x, k, axes, limit)
    if limit:
        return p, _no_finite_derivative(x, axes, log=False) * dx
    return p, k * (p * (dx - jnp.sum(p * dx, axis=axes, keepdims=True)))


_softmax_rule.defjvp(_softmax_jvp)  # a statement, not a decorator: export.py copies a def from its own line


def _log_softmax_rows(x, k, axes, limit):
    return _softmax_and_log(x, axes, k, limit)[1]


_log_softmax_rule = jax.custom_jvp(_log_softmax_rows, nondiff_argnums=(2, 3))


def _log_softmax_jvp(axes, limit, primals, tangents):
    # d log_softmax_i = k (dx_i - sum_j p_j dx_j)   (d ln softmax_i/dx_j = k (delta_ij - p_j))
    (x, k), (dx, _) = primals, tangents
    p, value = _softmax_and_log(x, axes, k, limit)
    if limit:
        return value, _no_finite_derivative(x, axes, log=True) * dx
    return value, k * (dx - jnp.sum(p * dx, axis=axes, keepdims=True))


_log_softmax_rule.defjvp(_log_softmax_jvp)  # a statement, not a decorator: export.py copies a def from its own line

def _cross_entropy_and_gradient(z, y):
    """The loss (z_p - z_y) + log1p(s) of each row of scores z (classes on the last axis) and its
    gradient softmax(z) - onehot(y), -s/(1 + s) at a target that is the max. A row whose max is not
    finite: the loss is scipy's unshifted LSE - z_y = M - z_y, the gradient NaN. A target out of
    0..C-1 (possible only under jax.jit: an eager call is checked first) gives NaN."""
    classes = z.shape[-1]
    top, _, terms, s = _pivoted(z, (z.ndim - 1,), 1)
    finite = jnp.isfinite(top)
    target = jnp.arange(classes) == y[..., None]
    at_target = jnp.sum(jnp.where(target, z, 0), axis=-1, keepdims=True)  # z_y exactly: one term, the rest 0
    valid = ((y >= 0) & (y < classes))[..., None]
    loss = jnp.where(finite, (top - at_target) + jnp.log1p(s), top - at_target)
    p = terms / (1 + s)
    pivot = at_target == top  # the target is a max: p_y - 1 = -s/(1 + s), with no cancellation
    gradient = jnp.where(target, jnp.where(pivot, -s / (1 + s), p - 1), p)
    return jnp.where(valid, loss, jnp.nan)[..., 0], jnp.where(valid & finite, gradient, jnp.nan)


def _cross_entropy_rows(z, y):
    return _cross_entropy_and_gradient(z, y)[0]


_cross_entropy_rule = jax.custom_jvp(_cross_entropy_rows)


def _cross_entropy_jvp(primals, tangents):
    # dL = sum_i (softmax(z)_i - onehot(y)_i) dz_i; the integer targets y have no tangent
    (z, y), (dz, _) = primals, tangents
    loss, gradient = _cross_entropy_and_gradient(z, y)
    return loss, jnp.sum(gradient * dz, axis=-1)


_cross_entropy_rule.defjvp(_cross_entropy_jvp)  # a statement, not a decorator: export.py copies a def from its own line


# Compiled once per shape, dtype and axes (a finite k is an argument; k = oo compiles its own), so an
# eager call is one dispatch, not one per operation (under a caller's jax.jit they are inlined; jit
# keeps the custom_jvp rules).
_logsumexp_compiled = jax.jit(_logsumexp_rule, static_argnums=(2, 3))
_softmax_compiled = jax.jit(_softmax_rule, static_argnums=(2, 3))
_log_softmax_compiled = jax.jit(_log_softmax_rule, static_argnums=(2, 3))
_cross_entropy_compiled = jax.jit(_cross_entropy_rule)
_cross_entropy_gradient_compiled = jax.jit(lambda z, y: _cross_entropy_and_gradient(z, y)[1])


def _rowwise(x, axis, k, compiled):
    """softmax or log_softmax of x over ``axis``: checked inputs, the working dtype, x's dtype back."""
    x = _real(x, "x")
    k = _positive(k, "k", infinite=True)
    axes = _axes(x, axis)
    if x.size == 0:
        return jnp.zeros(x.shape, dtype=x.dtype)
    return _call(compiled, x, axes, k).astype(x.dtype)


def _call(compiled, x, axes, k):
    """A compiled reduction of x (in its working dtype) over ``axes`` at k (a Python float; k = inf
    takes the limit's kernel, k itself then unused)."""
    work = _working(x.dtype)
    limit = k == math.inf
    return compiled(x.astype(work), jnp.asarray(1 if limit else k, dtype=work), axes, limit)


def _scores_and_targets(z, y):
    """The scores z (classes on the last axis) and the integer targets y of shape z.shape[:-1],
    checked (the range only where y is concrete: under jax.jit a bad target gives NaN)."""
    z = _real(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least one axis (the classes, its last axis)")
    if z.shape[-1] == 0:
        raise ValueError(f"z of shape {z.shape} has no classes (its last axis is empty)")
    try:
        y = jnp.asarray(y)
    except Exception as exc:
        raise TypeError(f"y must be integer class indices: {exc}") from None
    if not jnp.issubdtype(y.dtype, jnp.integer):
        raise TypeError(f"y must be integer class indices, not of dtype {y.dtype}")
    if y.shape != z.shape[:-1]:
        raise ValueError(f"y has shape {y.shape}, but z of shape {z.shape} needs y of shape {z.shape[:-1]}")
    try:
        out_of_range = y.size > 0 and bool(jnp.any((y < 0) | (y >= z.shape[-1])))
    except jax.errors.ConcretizationTypeError:  # traced under jax.jit: checked per row instead
        out_of_range = False
    if out_of_range:
        raise ValueError(f"y must be class indices in 0..{z.shape[-1] - 1}")
    return z, y


# -- the public reductions (docstrings are inserted by the export) ----------------------------------------


def logsumexp(x, axis=None, keepdims=False, *, k=1):
    # LSE_k(x) = M + log1p(s)/k over ``axis`` (None: every axis), pivoted per row; its derivative
    # is softmax_k (a custom_jvp rule). An empty reduction is -inf (the log of an empty sum).
    x = _real(x, "x")
    k = _positive(k, "k", infinite=True)
    axes = _axes(x, axis)
    if any(x.shape[a] == 0 for a in axes):
        return jnp.full(_kept_shape(x, axes, keepdims), -jnp.inf, dtype=x.dtype)
    if x.size == 0:
        return jnp.zeros(_kept_shape(x, axes, keepdims), dtype=x.dtype)
    value = _call(_logsumexp_compiled, x, axes, k)
    return (value if keepdims else jnp.squeeze(value, axis=axes)).astype(x.dtype)


def softmax(x, axis=-1, *, k=1):
    # softmax_k(x)_i = e^{k(x_i - M)}/(1 + s) over ``axis``; derivative k p (t - sum p t).
    return _rowwise(x, axis, k, _softmax_compiled)


def log_softmax(x, axis=-1, *, k=1):
    # log softmax_k(x)_i = k(x_i - M) - log1p(s) over ``axis``; derivative k (t - sum p t).
    return _rowwise(x, axis, k, _log_softmax_compiled)


def softmax_cross_entropy(z, y):
    # -ln softmax(z)_y = (z_p - z_y) + log1p(s) per row (classes on the last axis, no mean); its
    # derivative in z is softmax(z) - onehot(y) (a custom_jvp rule), none in y.
    z, y = _scores_and_targets(z, y)
    return _cross_entropy_compiled(z.astype(_working(z.dtype)), y).astype(z.dtype)


def softmax_cross_entropy_grad(z, y):
    # softmax(z) - onehot(y), -s/(1 + s) at a target that is the max (p_y - 1 would cancel).
    z, y = _scores_and_targets(z, y)
    return _cross_entropy_gradient_compiled(z.astype(_working(z.dtype)), y).astype(z.dtype)


# -- the helpers of the printed elementwise functions -------------------------------------------------------


def _elementwise_inputs(**named):
    """Each named value as an array in the working dtype, all broadcast to one shape by
    jnp.broadcast_arrays (so autodiff sums a gradient back to each input's own shape), and the
    result dtype: the array inputs' promoted float dtype (Python numbers are weak: float32 input
    stays float32), jax's default float dtype if every input is a Python number."""
    arrays = {}
    for name, value in named.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            arrays[name] = float(value)
        else:
            arrays[name] = _real(value, name)
    strong = [a.dtype for a in arrays.values() if not isinstance(a, float)]
    try:
        shape = jnp.broadcast_shapes(*(jnp.shape(a) for a in arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {jnp.shape(a)}" for name, a in arrays.items())
        raise ValueError(f"the shapes of {shapes} do not broadcast together") from None
    dtype = jnp.result_type(*strong) if strong else jnp.dtype(jnp.result_type(float))
    work = _working(dtype)
    converted = [jnp.asarray(a, dtype=work) for a in arrays.values()]
    return tuple(jnp.broadcast_arrays(*converted)) if converted else (), dtype


def _maximum(a, b):
    """max(a, b) elementwise, either a Python number; NaN propagates."""
    return jnp.maximum(a, b)


def _minimum(a, b):
    """min(a, b) elementwise, either a Python number; NaN propagates."""
    return jnp.minimum(a, b)


def _at_infinity(k, value, limit):
    """limit() (the formula at k = oo) if k is inf, else value(); k is a Python float (_positive)."""
    return limit() if k == math.inf else value()


def _settle(value, naive, *args):
    """Where the stable form met inf - inf (value NaN, no argument NaN: an infinite input), the naive
    form, which gives the limit there without overflow: e.g. smooth_max(inf, inf) = inf."""
    value = jnp.asarray(value)
    broken = jnp.isnan(value)
    for a in args:
        broken = broken & ~jnp.isnan(a)
    return jnp.where(broken, naive(*args), value)


def _finish(value, dtype, *inputs):
    """The result in ``dtype``, NaN wherever an input is NaN (a max or a Piecewise would otherwise
    turn NaN into a number)."""
    value = jnp.asarray(value)
    nan = jnp.zeros(value.shape, dtype=bool)
    for a in inputs:
        nan = nan | jnp.isnan(a)
    return jnp.where(nan, jnp.nan, value).astype(dtype)


def _verified(value, derivatives, inputs, dtype):
    """value(*inputs) whose JVP is sum_i d_i t_i with (d_1, ...) = derivatives(*inputs), the verified
    partial derivatives (the inputs share one shape); an entry None: that input has no verified
    derivative, and jax differentiates ``value`` in it. NaN where an input is NaN, cast to ``dtype``."""
    rule = jax.custom_jvp(lambda *xs: value(*xs))

    @rule.defjvp
    def _jvp(primals, tangents):
        out = jnp.asarray(value(*primals))
        change = jnp.zeros(out.shape, out.dtype)
        for i, d in enumerate(derivatives(*primals)):
            if d is None:  # no verified derivative in this input: jax's autodiff of value
                def along(xi, i=i):
                    return value(*primals[:i], xi, *primals[i + 1:])
                change = change + jax.jvp(along, (primals[i],), (tangents[i],))[1]
            else:
                change = change + d * tangents[i]
        return out, jnp.broadcast_to(change, out.shape).astype(out.dtype)

    return _finish(rule(*inputs), dtype, *inputs)


def _autodiff(value, inputs, dtype):
    """value(*inputs) differentiated by jax's own autodiff; NaN where an input is NaN, cast to dtype."""
    return _finish(value(*inputs), dtype, *inputs)
