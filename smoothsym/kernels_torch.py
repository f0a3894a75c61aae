"""The torch code templates of ``smoothsym export --target torch``: reductions over dims, their
verified backward passes, and the helpers the printed elementwise functions call.

This file mirrors smoothsym/kernels_numpy.py (read its docstring: the same formulas, the same
rules for +-inf and NaN rows, the same batch invariance), with torch's conventions: ``dim`` (an
int, a tuple of ints, or None for every dim; default -1) and ``keepdim``; float16 and bfloat16
are computed in float32 and rounded once, float32 and float64 in their own dtype; an integer or
bool input becomes torch's default float dtype. Each row pivots on its own max M = x_p and keeps
the pivot's own term e^0 = 1 out of the sum: the terms equal to 1 (the max and its ties) are
summed apart from the others and m - 1 of them added back as an exact integer, so nothing is ever
computed as "sum - 1" (which cancels), and a row of two is the binary smooth max:

    s             = sum_{j != p} e^{k(x_j - M)}
    logsumexp     = M + log1p(s)/k
    log_softmax_i = k(x_i - M) - log1p(s)
    softmax_i     = e^{k(x_i - M)} / (1 + s)      (x - M's rounding put back, TwoSum, but in float64
                                                  rows of two; float64 rows over two:
                                                  1 + s summed exactly split, see _over_total)
    cross-entropy = (M - z_y) + log1p(s)             (exactly log1p(s) when y is the max)
    its gradient  = softmax(z) - onehot(y), -s/(1 + s) at a target that is the max

The backward passes are the catalog's verified derivatives, not autograd through the forward:
dLSE/dx_i = softmax_k(x)_i; the softmax VJP g -> k p (g - sum_j g_j p_j); the log_softmax VJP
g -> k (g - p sum_j g_j); the cross-entropy's dL/dz = softmax(z) - onehot(y) (y gets none). They
are computed from the same stable pieces (M and s saved by the forward), in place on new tensors
unless the backward is itself differentiated. k is a number, not a
tensor that requires grad: the catalog has no verified derivative in k. The backward passes are
differentiable torch ops on the saved tensors (no once_differentiable), so a second derivative
(create_graph=True, torch.autograd.gradgradcheck, a Hessian) is autograd through the verified
VJPs: the softmax a backward needs is then _Softmax of x, whose own backward is softmax's VJP. At
k = inf the backward passes are the limits, constants (no second derivative).

>>> x = torch.tensor([0.0, -40.0], dtype=torch.float64)
>>> logsumexp(x).item()  # ln(1 + e^-40); torch.logsumexp gives 0.0
4.248354255291589e-18
>>> logsumexp(torch.tensor([100.0, 99.0]))
tensor(100.3133)
>>> logsumexp(torch.tensor([[-math.inf, -math.inf], [0.0, math.inf]]), dim=1)
tensor([-inf, inf])
>>> softmax(torch.tensor([1.0, 1.0, 0.0]), k=math.inf)
tensor([0.5000, 0.5000, 0.0000])
>>> softmax(torch.tensor([1.0, 2.0]), dim=3)
Traceback (most recent call last):
IndexError: dim 3 is out of range for a tensor of 1 dimension (expected -1..0)
"""

import math

import torch


def _real(value, name):
    """``value`` as a floating tensor (a tensor is kept as it is; integers and booleans become
    torch's default float dtype); a TypeError naming the argument otherwise."""
    if isinstance(value, torch.Tensor):
        tensor = value
    else:
        try:
            tensor = torch.as_tensor(value)
        except Exception as exc:  # e.g. ragged nested lists, strings
            raise TypeError(f"{name} must be a tensor of real numbers (or convertible to one): {exc}") from None
    if tensor.is_complex():
        raise TypeError(f"{name} must be a tensor of real numbers, not of dtype {tensor.dtype}")
    if not tensor.is_floating_point():
        return tensor.to(torch.get_default_dtype())
    return tensor


def _working(dtype):
    """The dtype a computation runs in: float32 for float16 and bfloat16 (rounded once at the end,
    so the exponent range and the thresholds are float32's), else the dtype itself."""
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype


def _elementwise_working(dtype, device):
    """The dtype an elementwise formula runs in: float64 for the narrower floats, rounded once to
    the input's dtype at the end. An elementwise pass is cheap next to a reduction, and the
    printed formulas round several times (softplus's log1p of an exp, the BCE gradient's
    (1 - t) sigma(z) - t sigma(-z), which cancels where sigma(z) ~ t): in float32 itself they
    erred by up to 0.96 and 28.6 ULP, worse than F.softplus (0.74) and an optax-style gradient
    (3.7). Devices without float64 (Apple's MPS) keep float32."""
    if dtype in (torch.float16, torch.bfloat16, torch.float32) and getattr(device, "type", "cpu") != "mps":
        return torch.float64
    return _working(dtype)


def _positive(value, name, infinite=False):
    """One positive number (a Python number or a 0-d tensor that does not require grad) as a
    Python float; inf only where the function has its limit form (infinite=True)."""
    what = "positive (inf for the limit)" if infinite else "positive and finite"
    if isinstance(value, torch.Tensor):
        if value.requires_grad:
            raise ValueError(f"{name} requires grad, but there is no verified derivative in {name}; pass {name} as a number")
        if value.dim() != 0 or value.is_complex() or value.dtype == torch.bool:
            raise ValueError(f"{name} must be one {what} number, not {value!r}")
        number = value.item()
    elif isinstance(value, (bool, str, bytes)) or getattr(value, "ndim", 0) != 0:
        raise ValueError(f"{name} must be one {what} number, not {value!r}")
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be one {what} number, not {value!r}") from None
    number = float(number)
    if not (number > 0 and (number <= math.inf if infinite else number < math.inf)):  # NaN fails both
        raise ValueError(f"{name} must be {what}, not {value!r}")
    return number


def _dims(x, dim):
    """The reduced dims of x as a sorted tuple of non-negative ints (None: every dim). A 0-d
    tensor has one dim here (as in torch: dim 0 or -1), of length 1."""
    ndim = max(x.dim(), 1)
    if dim is None:
        return tuple(range(ndim))
    items = dim if isinstance(dim, (tuple, list)) else (dim,)
    if not items:
        raise ValueError("dim=() reduces no dim; pass None to reduce every dim")
    found = []
    for d in items:
        if isinstance(d, bool) or not hasattr(d, "__index__"):
            raise TypeError(f"dim must be None, an int or a tuple of ints, not {dim!r}")
        d = d.__index__()
        if not -ndim <= d < ndim:
            raise IndexError(f"dim {d} is out of range for a tensor of {x.dim()} dimension{'s' * (x.dim() != 1)}"
                             f" (expected {-ndim}..{ndim - 1})")
        d %= ndim
        if d in found:
            raise ValueError(f"dim {d} is repeated in dim={dim!r}")
        found.append(d)
    return tuple(sorted(found))


def _rows(x, dims):
    """x with the reduced dims moved last and flattened into one dim, contiguous: (rows, restore).
    A contiguous x reduced over its last dims is used as it is (a view); any other layout is
    copied, so that each row is summed in the same order in any batch and layout (torch sums a
    strided dim in an order that depends on the number of rows beside it). ``restore(out,
    per_row)`` maps a tensor of the rows' shape (per_row: of their keepdim shape) back to x's dims
    (a permuted view where the dims were moved)."""
    if x.dim() == 0:
        return x.reshape(1, 1), lambda out, per_row: out.reshape(())
    kept = [a for a in range(x.dim()) if a not in dims]
    kept_shape = [x.shape[a] for a in kept]
    n = 1
    for a in dims:
        n *= x.shape[a]
    order = kept + list(dims)
    inverse = [order.index(a) for a in range(x.dim())]
    moved = x.permute(order)
    rows = moved.reshape(kept_shape + [n]).contiguous()

    def restore(out, per_row):
        shape = kept_shape + [1] * len(dims) if per_row else list(moved.shape)
        return out.reshape(shape).permute(inverse)
    return rows, restore


def _squeezed(out, x, dims):
    """A keepdim result (ones at the reduced dims) without those dims."""
    return out.reshape([size for a, size in enumerate(x.shape) if a not in dims])


def _row_sum(t, d):
    """Each row's sum (keepdim); a row of two as one addition (torch's reductions over a dim of
    length 2 are several times slower than an elementwise pass)."""
    if t.shape[d] == 2:
        return t.narrow(d, 0, 1) + t.narrow(d, 1, 1)
    return t.sum(dim=d, keepdim=True)


def _first_max(x, d):
    """Each row's pivot: the index of its first max (keepdim; in a row holding NaN any index, the
    row's results being NaN)."""
    if x.shape[d] == 2:
        return torch.gt(x.narrow(d, 1, 1), x.narrow(d, 0, 1)).long()
    return torch.argmax(x, dim=d, keepdim=True)


def _terms(x, d, k):
    """Each row's max M (keepdim; NaN propagates) and the terms e^{k(x_j - M)}, a new tensor
    (every exponent <= 0, so nothing overflows)."""
    top = torch.amax(x, dim=d, keepdim=True)
    terms = torch.sub(x, top)
    if k != 1:
        terms.mul_(k)
    return top, terms.exp_()


def _rest_sum(terms, d, keep):
    """s = the sum of each row's terms but the pivot's own, never as "sum - 1" (which cancels):
    the terms equal to 1 (the max and its ties, e^0 each) are taken out by frac (1 -> 0, t < 1 -> t,
    exactly) and m - 1 of them added back as an exact integer, s = sum_{t < 1} t + (m - 1). m is
    recovered by rounding sum(t) - sum(frac t), exact while each sum errs by under 1/8 (n^2 eps <=
    1/4: float32 rows up to 1448 entries, float64 up to 6.7e7); longer rows zero the first max's
    term by its index (torch.argmax, a slower pass). keep=False: the terms may be overwritten.

    Tried for speed (2026-12-03) and not taken: log1p(sum(t) - 1), one sum with the pivot's 1 in it
    (the speed of torch.logsumexp), is worse even where sum(t) >= 2 (the partial sums holding the 1
    round at its ULP: over random rows of 3-1000 entries the worst ULP per unit kappa went ~2.5-3.8
    -> 3.7-6.2, measured against long double) and loses a small s entirely (logsumexp([0, -40]) = 0);
    summing it in float64 fixes float32 but not float64; the pivot zeroed by the index of torch.max
    (values and indices in one pass) ran at 0.56-0.87x torch.logsumexp's speed, slower than this."""
    n = terms.shape[d]
    if n * n * torch.finfo(terms.dtype).eps <= 0.25:
        # sum(t) only gives the integer m, which any order of summation rounds to: for short rows
        # a matrix-vector product, whose bits may depend on the batch (2-3x faster than torch's
        # sum over rows of 10, even at 32-64, slower from 64-128 on); the bits of s are those of
        # rest, a sum over each row alone.
        if d == terms.dim() - 1 and n < 32:
            everything = torch.matmul(terms, torch.ones(n, 1, dtype=terms.dtype, device=terms.device))
        else:
            everything = terms.sum(dim=d, keepdim=True)
        below_one = terms.frac_() if not keep else torch.frac(terms)
        rest = below_one.sum(dim=d, keepdim=True)
        return everything.sub_(rest).round_().sub_(1).add_(rest)  # (m - 1) + rest: one rounding
    where = torch.argmax(terms, dim=d, keepdim=True)  # the first term 1 (a NaN row: its NaN)
    return (terms if not keep else terms.clone()).scatter_(d, where, 0.0).sum(dim=d, keepdim=True)


def _max_and_rest(x, d, k):
    """Each row's max M (keepdim) and s = sum_{j != p} e^{k(x_j - M)}. Rows of two by the binary
    smooth max's pieces, column by column (stable-forms: max(a, b) + log1p(e^{-k|a - b|})/k; torch's
    reductions over a dim of length 2 are ~10x slower than two elementwise passes)."""
    if x.shape[d] == 2:
        a, b = x.narrow(d, 0, 1), x.narrow(d, 1, 1)
        top = torch.maximum(a, b)  # NaN propagates
        s = torch.minimum(a, b).sub_(top)
        if k != 1:
            s.mul_(k)
        return top, s.exp_()
    top, terms = _terms(x, d, k)
    return top, _rest_sum(terms, d, keep=False)


def _not_finite(top):
    """The rows whose max is +inf, -inf or NaN (scipy.special's unshifted rule applies there)."""
    return ~torch.isfinite(top)


def _unshifted(value, top):
    """value (per row, keepdim) with top itself in each row whose max is not finite; value as it
    is when every max is finite (the usual case: no where over every row)."""
    not_finite = _not_finite(top)
    if not bool(not_finite.any()):
        return value
    return torch.where(not_finite, top, value)


def _nan_rows(out, top):
    """out with NaN in every row whose max is not finite (in place). One check of the row maxima
    decides: in the usual case, every max finite, out is returned as it is (a broadcast
    masked_fill over every entry costs more than the exp pass itself)."""
    not_finite = _not_finite(top)
    if not bool(not_finite.any()):
        return out
    return out.masked_fill_(not_finite, math.nan)


def _rest_of_softmax(p, d, where, s):
    """1 - p_pivot, never computed as that difference (which cancels when the pivot's p is near 1):
    s/(1 + s) from the forward's s, or, when the backward is being differentiated (grad mode on),
    the sum of the other entries of p, which is differentiable in p (s has no graph)."""
    if _differentiated():
        return _row_sum(p.scatter(d, where, 0.0), d)
    return s / (1 + s)


def _differentiated():
    """True inside a backward pass that is itself being differentiated (create_graph=True): the
    backward must then be out-of-place torch ops, which autograd records; otherwise in place."""
    return torch.is_grad_enabled()


# -- logsumexp --------------------------------------------------------------------------------------


def _lse_forward(x, d, k):
    """LSE_k of each row along d (keepdim), and the pieces its gradient needs: (value, M, s)."""
    if k == math.inf:  # the limit k -> oo: the max (NaN propagates, +-inf rows give +-inf)
        top = torch.amax(x, dim=d, keepdim=True)
        return top, top, None
    top, s = _max_and_rest(x, d, k)
    value = torch.log1p(s)
    if k != 1:
        value.div_(k)
    value.add_(top)
    # A row whose max is not finite: unshifted, ln sum e^{k x_j} / k is the max itself there
    # (+inf, -inf for an all -inf row, NaN), which the pivoted form would turn into NaN.
    return _unshifted(value, top), top, s


def _softmax_from(x, d, k, top, s):
    """softmax_k of each row from the forward's pieces: e^{k(x_i - M)} / (1 + s); NaN in a row
    whose max is not finite (scipy.special.softmax's rule). At k = inf the limit: the tied maxima
    share 1/m."""
    if k == math.inf:
        hits = torch.eq(x, top).to(x.dtype)
        p = hits / _row_sum(hits, d)
    else:
        p = torch.sub(x, top)
        if k != 1:
            p.mul_(k)
        p.exp_()
        p.div_(1 + s)
    return _nan_rows(p, top)


def _softmax_of_saved(x, d, k, top, s):
    """softmax_k(x) for a backward pass: from the forward's saved M and s, or, when the backward
    is itself being differentiated (create_graph=True: grad mode is on inside backward), as
    _Softmax of x, so that a second derivative goes through softmax's own verified VJP (M and s
    were computed without a graph)."""
    if _differentiated():
        return _Softmax.apply(x, d, k)
    return _softmax_from(x, d, k, top, s)


class _LogSumExp(torch.autograd.Function):
    """LSE_k over one dim (keepdim); backward: dLSE/dx_i = softmax_k(x)_i (catalog: lse-gradient)."""

    @staticmethod
    def forward(ctx, x, d, k):
        value, top, s = _lse_forward(x, d, k)
        ctx.d, ctx.k = d, k
        ctx.save_for_backward(x, top, s)
        return value

    @staticmethod
    def backward(ctx, g):
        x, top, s = ctx.saved_tensors
        p = _softmax_of_saved(x, ctx.d, ctx.k, top, s)
        return (p * g if _differentiated() else p.mul_(g)), None, None


def _empty_row_lse(x, dims, keepdim):
    """LSE over an empty dim: ln 0 = -inf (as torch and scipy), still connected to x for autograd."""
    return x.sum(dim=dims, keepdim=keepdim) - math.inf


def logsumexp(x, dim=-1, keepdim=False, *, k=1):
    x = _real(x, "x")
    k = _positive(k, "k", infinite=True)
    dims = _dims(x, dim)
    dtype = x.dtype
    if x.dim() > 0 and any(x.shape[a] == 0 for a in dims):
        return _empty_row_lse(x, dims, keepdim)
    rows, restore = _rows(x.to(_working(dtype)), dims)
    value = restore(_LogSumExp.apply(rows, rows.dim() - 1, k), per_row=True)
    if not keepdim and x.dim() > 0:
        value = _squeezed(value, x, dims)
    return value.to(dtype)


# -- softmax and log_softmax ----------------------------------------------------------------------


def _softmax_forward(x, d, k, exact_exponent=False):
    """softmax_k of each row along d: e^{k(x_i - M)} / (1 + s), s summed without the pivot's term
    (in a row of two, s is the smaller of the two terms: the other is the pivot's e^0 = 1).
    exact_exponent: the terms from x - M with its rounding error put back (_exact_terms)."""
    top = torch.amax(x, dim=d, keepdim=True)
    if k == math.inf:
        return _softmax_from(x, d, k, top, None)
    terms = _exact_terms(x, top, k) if exact_exponent else _terms_at(x, top, k)
    if x.shape[d] == 2:
        s = torch.minimum(terms.narrow(d, 0, 1), terms.narrow(d, 1, 1))  # NaN propagates
    elif x.dtype == torch.float64 and x.shape[d] <= _SPLIT_ROWS:
        return _nan_rows(_over_total(terms, d), top)
    else:
        s = _rest_sum(terms, d, keep=True)
    return _nan_rows(terms.div_(1 + s), top)


_SPLIT_BITS = 36  # _over_total's high parts: multiples of 2^-36, so rows up to 2^(53 - 36) sum them exactly
_SPLIT_ROWS = 1 << (53 - _SPLIT_BITS)


def _over_total(terms, d):
    """float64 terms / (1 + s), with 1 + s (the sum of every term, the pivot's 1 among them) correct
    to ~0.5 ULP and its rounding put back in the quotient. Each term t in [0, 1] is split exactly
    into hi = t rounded to a multiple of 2^-36 ((t + C) - C, C = 1.5 * 2^16) and lo = t - hi
    (|lo| <= 2^-37): the sum of the hi parts is exact in any order (multiples of 2^-36 below 2^17),
    the sum of the lo parts errs by ~n 2^-89, so total = hi_sum + lo_sum rounds once, and its error
    lo_sum - (total - hi_sum) is exact (Fast2Sum). Over export's adversarial rows, five seeds, the worst
    ULP of p where well conditioned went 1.98-3.92 -> 1.39-1.53 (torch.softmax 1.90-3.36) with
    x - M's rounding put back too; neither alone got below torch's 1.90 on the benchmark's rows
    (a 33-entry row's 1 + s one ULP low took every entry to 2.1-2.2 ULP). Both sums are per row.
    Rows of two keep 1 + s of the smaller term, rounded once, and x - M as rounded (1.39-1.53 on
    those seeds all the same)."""
    magic = 1.5 * 2.0 ** (52 - _SPLIT_BITS)
    hi = torch.add(terms, magic).sub_(magic)
    lo = torch.sub(terms, hi)
    hi_sum, lo_sum = _row_sum(hi, d), _row_sum(lo, d)
    total = hi_sum + lo_sum
    err = lo_sum.sub_(total - hi_sum)
    terms.div_(total)
    return terms.addcmul_(terms, err.div_(total).neg_())


def _terms_at(x, top, k):
    """e^{k(x_j - M)}, a new tensor."""
    terms = torch.sub(x, top)
    if k != 1:
        terms.mul_(k)
    return terms.exp_()


def _exact_terms(x, top, k):
    """e^{k(x_j - M)} with the rounding error of x - M put back: x - M = d + err exactly (TwoSum),
    and e^{k(d + err)} = e^{kd} (1 + k err) to first order (|err| <= |d| eps/2). The rounding of
    x - M costs up to |x - M| eps/2 relative in the term, 1-2 ULP of p at |x - M| of a few, as much
    as the exp's own error; about six more elementwise passes. Where x or M is infinite the error is
    NaN and taken as 0 (the term is 0 or the row is NaN there anyway)."""
    terms = torch.sub(x, top)  # d
    back = torch.sub(terms, x)  # d - x: the -M that d holds
    err = torch.sub(terms, back)  # the x that d holds
    torch.sub(x, err, out=err)  # x - (d - back)
    torch.sub(top.neg(), back, out=back)  # -M - back
    err.add_(back).nan_to_num_(0.0, 0.0, 0.0)
    if k != 1:
        terms.mul_(k)
        err.mul_(k)
    terms.exp_()
    return terms.addcmul_(terms, err)


class _Softmax(torch.autograd.Function):
    """softmax_k over one dim; backward: the VJP g -> k p (g - sum_j g_j p_j)
    (d softmax_i/dx_j = k p_i (delta_ij - p_j)), p the forward's own output."""

    @staticmethod
    def forward(ctx, x, d, k):
        # x - M's rounding put back (the 16-bit floats are computed in float32): float32's worst
        # ULP of p where well conditioned went 2.55 -> 1.76 (torch.softmax: 2.26) on export's
        # adversarial rows, for 1.3x (rows of 2, 10) to 1.7x (rows of 1000) our float32 time.
        # float64 needs it with the accurate 1 + s of _over_total (either alone left 2.14-2.21 on
        # the benchmark's rows, torch's 1.90): 2.21 -> 1.39 there (see _over_total), for ~3x our
        # float64 time at rows of 10 and 1000 (measured 2026-12-03 at load 9: 1.30x -> 0.44x and
        # 0.21x -> 0.07x torch.softmax's speed). float64 rows of two keep the cheap form.
        # (Computing float32 rows in float64 gave 0.5 ULP, but at 4-10x the time: float64's exp.)
        p = _softmax_forward(x, d, k, exact_exponent=x.dtype == torch.float32 or (x.dtype == torch.float64 and x.shape[d] > 2))
        ctx.d, ctx.k = d, k
        ctx.save_for_backward(p)
        return p

    @staticmethod
    def backward(ctx, g):
        # out of place, from differentiable ops on p (the saved output, connected to x when the
        # backward is differentiated) and g: a second derivative is autograd through this VJP
        (p,) = ctx.saved_tensors
        if ctx.k == math.inf:  # the limit of k p (g - <g, p>): 0 where p is one-hot; k p_i p_j -> oo between
            # tied maxima, whose VJP entries are k/m (g_i - mean of g over the ties): finite only where
            # the tied g agree. A one-hot row (no ties) has zero gradient, the limit.
            hits = p > 0
            tied = _row_sum(hits.to(p.dtype), ctx.d) > 1
            spread = _row_sum(g * p, ctx.d)
            return torch.where(hits & tied & (g != spread), math.inf * torch.sign(g - spread), 0.0).to(p.dtype), None, None
        # The VJP is unchanged by g -> g - c (sum_j p_j = 1); with c = g at the pivot (a largest p),
        # the pivot's own entry is p_p (0 - sum_{j != p} h_j p_j), never p_p (g_p - g_p p_p - ...),
        # which cancels when p_p is near 1 (a one-hot g at a confident max would get 0, not p_p (1 - p_p)).
        h = g - g.gather(ctx.d, _first_max(p, ctx.d))
        if _differentiated():
            gradient = p * (h - _row_sum(h * p, ctx.d))
            return (gradient * ctx.k if ctx.k != 1 else gradient), None, None
        spread = _row_sum(h * p, ctx.d)
        gradient = h.sub_(spread).mul_(p)
        if ctx.k != 1:
            gradient.mul_(ctx.k)
        return gradient, None, None


def _log_softmax_forward(x, d, k):
    """log softmax_k of each row along d: k(x_i - M) - log1p(s), and the pieces (M, s)."""
    if k == math.inf:
        top = torch.amax(x, dim=d, keepdim=True)
        hits = torch.eq(x, top).to(x.dtype)
        out = torch.log(hits) - torch.log(_row_sum(hits, d))
        # scipy.special.log_softmax: a row whose max is not finite is not shifted, x - ln sum e^x = x - max
        return torch.where(_not_finite(top), x - top, out), top, None
    if x.shape[d] == 2:
        top, s = _max_and_rest(x, d, k)
        out = torch.sub(x, top)
        if k != 1:
            out.mul_(k)
    else:
        top = torch.amax(x, dim=d, keepdim=True)
        out = torch.sub(x, top)
        if k != 1:
            out.mul_(k)
        s = _rest_sum(torch.exp(out), d, keep=False)
    # a row whose max is not finite: k x - ln sum e^{k x} = k(x - max) there (unshifted, as scipy)
    out.sub_(torch.log1p(s).masked_fill_(_not_finite(top), 0.0))
    return out, top, s


class _LogSoftmax(torch.autograd.Function):
    """log softmax_k over one dim; backward: the VJP g -> k (g - p sum_j g_j)
    (d ln softmax_i/dx_j = k (delta_ij - p_j)), p the pivoted softmax from the saved M and s."""

    @staticmethod
    def forward(ctx, x, d, k):
        out, top, s = _log_softmax_forward(x, d, k)
        ctx.d, ctx.k = d, k
        ctx.save_for_backward(x, top, s)
        return out

    @staticmethod
    def backward(ctx, g):
        x, top, s = ctx.saved_tensors
        p = _softmax_of_saved(x, ctx.d, ctx.k, top, s)
        total = _row_sum(g, ctx.d)
        if ctx.k == math.inf:  # k (g - p sum g) -> oo unless g = p sum g; the limit, entrywise
            rest = g - p * total
            return torch.where(rest == 0, 0.0, math.inf * torch.sign(rest)).to(p.dtype), None, None
        # at the pivot, g_p - p_p G = (g_p - G) + G (1 - p_p), 1 - p_p never computed as that
        # difference, which cancels (log_softmax([0, -40])[0] would get gradient [0, -e^-40]).
        # A row whose max is not finite has p and s NaN, so NaN here too.
        where = _first_max(x, ctx.d)
        at_pivot = (g.gather(ctx.d, where) - total) + total * _rest_of_softmax(p, ctx.d, where, s)
        if _differentiated():
            gradient = (g - p * total).scatter(ctx.d, where, at_pivot)
            return (gradient * ctx.k if ctx.k != 1 else gradient), None, None
        gradient = torch.sub(g, p.mul_(total), out=p).scatter_(ctx.d, where, at_pivot)
        if ctx.k != 1:
            gradient.mul_(ctx.k)
        return gradient, None, None


def _rowwise(x, dim, k, function):
    """``function`` (an autograd Function over one dim) applied to every row of x over ``dim``,
    in the working dtype; the result of x's shape and dtype."""
    x = _real(x, "x")
    k = _positive(k, "k", infinite=True)
    dims = _dims(x, dim)
    if x.numel() == 0:
        return x.clone()
    dtype = x.dtype
    rows, restore = _rows(x.to(_working(dtype)), dims)
    return restore(function.apply(rows, rows.dim() - 1, k), per_row=False).to(dtype)


def softmax(x, dim=-1, *, k=1):
    return _rowwise(x, dim, k, _Softmax)


def log_softmax(x, dim=-1, *, k=1):
    return _rowwise(x, dim, k, _LogSoftmax)


# -- the cross-entropy with integer targets -------------------------------------------------------


def _scores_and_targets(z, y):
    """The scores as a (rows, classes) tensor in the working dtype and the targets as a (rows, 1)
    long tensor, checked: classes on z's last dim, y of shape z.shape[:-1], indices in range."""
    z = _real(z, "z")
    if z.dim() == 0:
        raise ValueError("z must have at least one dim (the classes, its last dim)")
    if z.shape[-1] == 0:
        raise ValueError("z has no classes (its last dim is empty)")
    if not isinstance(y, torch.Tensor):
        try:
            y = torch.as_tensor(y)
        except Exception as exc:
            raise TypeError(f"y must be integer class indices: {exc}") from None
    if y.is_floating_point() or y.is_complex() or y.dtype == torch.bool:
        raise TypeError(f"y must be integer class indices, not of dtype {y.dtype}")
    if tuple(y.shape) != tuple(z.shape[:-1]):
        raise ValueError(f"y has shape {tuple(y.shape)}, but z of shape {tuple(z.shape)} needs y of shape {tuple(z.shape[:-1])}")
    if y.numel() and (bool(y.min() < 0) or bool(y.max() >= z.shape[-1])):
        raise ValueError(f"y must be class indices in 0..{z.shape[-1] - 1}")
    rows = z.to(_working(z.dtype)).reshape(-1, z.shape[-1])
    return z, rows, y.reshape(-1, 1).to(device=z.device, dtype=torch.long)


def _cross_entropy_gradient(p, z, y, top, s):
    """softmax(z) - onehot(y) per row from p = softmax(z) (a new tensor): p_y - 1 at the target,
    computed as -(1 - p_y) by _rest_of_softmax when the target is a max (p_y is near 1 there, so
    p_y - 1 would cancel); NaN rows as softmax's (p and s are NaN there)."""
    at_target = torch.where(z.gather(1, y) == top, -_rest_of_softmax(p, 1, y, s), p.gather(1, y) - 1)
    return p.scatter(1, y, at_target) if _differentiated() else p.scatter_(1, y, at_target)


class _CrossEntropy(torch.autograd.Function):
    """-ln softmax(z)_y per row of a (rows, classes) block; backward: dL/dz = softmax(z) - onehot(y)
    times g (the catalog's), no gradient for y."""

    @staticmethod
    def forward(ctx, z, y):
        top, s = _max_and_rest(z, 1, 1.0)
        # (M - z_y) + log1p(s): exactly log1p(s) when y is the max. A row whose max is not finite:
        # ln sum e^z - z_y unshifted, which is M - z_y there (scipy.special's rule).
        value = (top - z.gather(1, y)) + torch.log1p(s).masked_fill_(_not_finite(top), 0.0)
        ctx.save_for_backward(z, y, top, s)
        return value.squeeze(1)

    @staticmethod
    def backward(ctx, g):
        z, y, top, s = ctx.saved_tensors
        p = _softmax_of_saved(z, 1, 1.0, top, s)
        gradient = _cross_entropy_gradient(p, z, y, top, s)
        return (gradient * g.unsqueeze(1) if _differentiated() else gradient.mul_(g.unsqueeze(1))), None


def softmax_cross_entropy(z, y):
    z, rows, y = _scores_and_targets(z, y)
    return _CrossEntropy.apply(rows, y).reshape(z.shape[:-1]).to(z.dtype)


def softmax_cross_entropy_grad(z, y):
    z, rows, y = _scores_and_targets(z, y)
    with torch.no_grad():  # a value, not a differentiable function: the catalog verifies no second derivative
        top, s = _max_and_rest(rows, 1, 1.0)
        p = _softmax_from(rows, 1, 1.0, top, s)
        return _cross_entropy_gradient(p, rows, y, top, s).reshape(z.shape).to(z.dtype)


# -- the helpers of the printed elementwise functions ---------------------------------------------


def _elementwise_inputs(**named):
    """The named inputs as tensors of one broadcast shape in the working dtype (Python numbers
    become tensors too), and the result dtype: the tensors' promoted float dtype (integer and bool
    tensors count as torch's default float dtype), or the default float dtype for numbers only.
    torch.broadcast_tensors keeps autograd: each gradient is summed back to its input's shape."""
    tensors, numbers = {}, {}
    for name, value in named.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers[name] = float(value)
        else:
            tensors[name] = _real(value, name)
    dtype = torch.get_default_dtype()
    if tensors:
        dtype = None
        for t in tensors.values():
            dtype = t.dtype if dtype is None else torch.promote_types(dtype, t.dtype)
    device = next(iter(tensors.values())).device if tensors else None
    work = _elementwise_working(dtype, device)
    try:
        torch.broadcast_shapes(*(t.shape for t in tensors.values()))
    except RuntimeError:
        shapes = ", ".join(f"{name} {tuple(t.shape)}" for name, t in tensors.items())
        raise ValueError(f"the shapes of {shapes} do not broadcast together") from None
    values = [tensors[name].to(work) if name in tensors else torch.tensor(numbers[name], dtype=work, device=device)
              for name in named]
    return tuple(torch.broadcast_tensors(*values)), dtype


def _maximum(a, b):
    """max(a, b) elementwise, either a Python number; NaN propagates (torch.clamp keeps a NaN of
    the tensor, and a NaN bound is a NaN result)."""
    return _extreme(a, b, torch.maximum, "min")


def _minimum(a, b):
    """min(a, b) elementwise, either a Python number; NaN propagates."""
    return _extreme(a, b, torch.minimum, "max")


def _extreme(a, b, both_tensors, bound):
    if not isinstance(a, torch.Tensor):
        a, b = b, a
    if not isinstance(a, torch.Tensor):  # two numbers
        if a != a or b != b:
            return math.nan
        return max(a, b) if both_tensors is torch.maximum else min(a, b)
    if isinstance(b, torch.Tensor):
        return both_tensors(a, b)
    if b != b:
        return torch.full_like(a, math.nan)
    return torch.clamp(a, **{bound: b})


def _at_infinity(k, value, limit):
    """limit() (the formula at k = oo) where k is inf, else value(); k is _positive's float."""
    return limit() if k == math.inf else value()


def _any_nan(inputs):
    """True where any input is NaN (every input has the one broadcast shape)."""
    nan = None
    for a in inputs:
        if isinstance(a, torch.Tensor):
            nan = torch.isnan(a) if nan is None else nan | torch.isnan(a)
    return nan


def _settle(value, naive, *args):
    """Where the stable form meets inf - inf (an infinite input; no input NaN), the naive form,
    which gives the limit there without overflow: e.g. smooth_max(inf, inf) = inf."""
    broken = torch.isnan(value)
    if not bool(broken.any()):
        return value
    nan = _any_nan(args)
    if nan is not None:
        broken &= ~nan
    return torch.where(broken, naive(*args), value)


def _finish(value, dtype, inputs):
    """The result in ``dtype``, NaN wherever an input is NaN (a Piecewise or a max would otherwise
    turn NaN into a number)."""
    if not isinstance(value, torch.Tensor):
        value = torch.full(inputs[0].shape, float(value), dtype=inputs[0].dtype, device=inputs[0].device)
    nan = _any_nan(inputs)
    if nan is not None and bool(nan.any()):
        value = torch.where(nan, math.nan, value)
    return value.to(dtype)


class _Verified(torch.autograd.Function):
    """An elementwise value whose backward pass is the catalog's derivatives: g * d_i for input i.
    The derivatives are computed with the value (only when a gradient is wanted) and saved."""

    @staticmethod
    def forward(ctx, value, derivatives, *inputs):
        out = value(*inputs)
        if not isinstance(out, torch.Tensor):  # a constant formula
            out = torch.full(inputs[0].shape, float(out), dtype=inputs[0].dtype, device=inputs[0].device)
        ctx.derivatives = derivatives
        return out

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, g):
        return (None, None, *(None if d is None else g * d for d in ctx.derivatives))


def _verified(value, derivatives, inputs, dtype):
    wanted = torch.is_grad_enabled() and any(a.requires_grad for a in inputs)
    if not wanted:
        with torch.no_grad():
            return _finish(value(*inputs), dtype, inputs)
    with torch.no_grad():
        found = derivatives(*inputs)
    for i, (a, d) in enumerate(zip(inputs, found)):
        if d is None and a.requires_grad:
            raise ValueError(f"no verified derivative of this function in argument #{i + 1} (counting from 1), which requires grad")
    # each derivative is saved as a tensor of the inputs' shape (a printed constant becomes one)
    found = tuple(None if d is None else torch.as_tensor(d, dtype=a.dtype, device=a.device).expand_as(a)
                  for a, d in zip(inputs, found))
    out = _Verified.apply(value, found, *inputs)
    return _finish(out, dtype, inputs)


def _autodiff(value, inputs, dtype):
    """The value with torch's own autograd through the printed formula (no verified derivative)."""
    return _finish(value(*inputs), dtype, inputs)
