"""Ball arithmetic: a SymPy expression evaluated as a rigorous enclosure (Arb, via python-flint).

A ball ``[m +/- r]`` is guaranteed to contain the true value, so a difference whose ball excludes
0 is a *certified* counterexample, and one whose ball is narrower than the tolerance is an
agreement to that tolerance; a value that lost its digits only widens the ball, it never moves
it. Every value is complex (``acb``), as SymPy's semantics are (log(-1) = i pi, (-8)^(1/3) is
the principal root); a real result has an exactly-zero imaginary part.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> f = ball_function(sp.exp(x) - (1 + sp.tanh(x/2)) / (1 - sp.tanh(x/2)), (x,))
>>> with working_bits(4000):
...     value = f(exact_ball(sp.Integer(1000)))
>>> value.real.contains(0), value.real.rad() < 1e-300
(True, True)

The working precision is scoped (``with working_bits(b)``) and always restored: python-flint's
precision is process-global, so nothing here leaves it changed.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache

import mpmath
import sympy as sp
from flint import acb, arb, ctx, fmpq


class Unsupported(Exception):
    """A function or object Arb has no counterpart for here; the caller uses mpmath instead."""


class Undecided(ArithmeticError):
    """A branch (a Piecewise condition, sign, Heaviside, floor) whose argument's ball still
    contains the branch point at this precision, or a pole (1/u, log u) whose argument's ball
    contains 0. ``node`` is the SymPy sub-expression to decide exactly (a relational, or the
    argument that may be exactly 0), so a tie at an algebraic point such as x = sqrt(2) is
    decided by SymPy rather than by more digits, which could never separate it."""

    def __init__(self, what: str, node=None):
        super().__init__(what)
        self.node = node


class Undefined(ArithmeticError):
    """The expression is certainly undefined at the point (e.g. Max of a non-real number)."""


@contextlib.contextmanager
def working_bits(bits: int):
    """Arb's working precision (bits) inside the block; the previous one is restored after."""
    previous = ctx.prec
    ctx.prec = int(bits)
    try:
        yield
    finally:
        ctx.prec = previous


_HULLS = [False]  # inside ``hulls()``: an undecided branch gives the hull of its candidates


@contextlib.contextmanager
def hulls():
    """Inside the block, a Piecewise, Heaviside or sign whose condition a ball cannot decide
    gives a ball holding every branch that may apply (Piecewise((1, |x| < 1), (0, True)) over
    [1/2, 3/2] is [0, 1]) instead of raising Undecided: an enclosure of the function over a
    ball, as an integral's partition needs across a jump. At a point, Undecided stays the
    signal to raise the precision, so this is for enclosures over intervals only."""
    _HULLS.append(True)
    try:
        yield
    finally:
        _HULLS.pop()


def _union(values: list) -> acb:
    hull = values[0]
    for v in values[1:]:
        hull = hull.union(v)
    return hull


def digits_to_bits(digits: int) -> int:
    return int(digits * 3.3219280948873626) + 1


def midpoint(x: arb):
    """An arb's midpoint as an mpmath number at mpmath's working precision: from its binary
    mantissa and exponent (exact, then rounded), not through decimal text."""
    if x.is_zero():
        return mpmath.mpf(0)
    if not x.is_finite():
        return mpmath.mpf(x.mid().str(40, radius=False))
    man, exp = x.mid().man_exp()
    return mpmath.mpf((int(man), int(exp)))


def is_finite(z: acb) -> bool:
    return z.real.is_finite() and z.imag.is_finite()


def is_real(z: acb) -> bool:
    """The imaginary part is exactly zero (a real value, not a ball that merely contains 0)."""
    return z.imag.is_zero()


def excludes_zero(z: acb) -> bool:
    return not z.real.contains(0) or not z.imag.contains(0)


# -- translation ------------------------------------------------------------------------
# Each SymPy node becomes a closure of the point's values (a dict Symbol -> acb), evaluated at
# the current working precision: constants such as pi are recomputed at each precision.


def _real_part(z: acb, what: str) -> arb:
    if z.imag.is_zero():
        return z.real
    if not z.imag.contains(0):
        raise Undefined(f"{what} of a non-real number")
    raise Undecided(what)


def _sign_of(value: arb, node=None) -> int:
    if value.is_zero():
        return 0
    if value > 0:
        return 1
    if value < 0:
        return -1
    raise Undecided("sign", node)


def _rational(q: sp.Rational):
    p, d = int(q.p), int(q.q)
    if d == 1:
        return lambda env: acb(p)
    return lambda env: acb(arb(fmpq(p, d)))


# A claim's sides share sub-expressions (the sigmoids of a loss and of its gradient), and an
# agreement is confirmed at the same bits: at the precisions that a cancellation forces (2^12 to
# 2^16 bits, where one exp costs 0.1-4 ms) the catalog asked for the same exp about 4 times
# (2127 calls, 491 distinct balls). Arb's result depends only on the ball and the precision, so
# a remembered one is the very same ball. Below MEMO_BITS a key would cost what exp does.
MEMO_BITS = 4096
_EXPS: dict = {}


def _ball_key(x: arb) -> tuple:
    """An arb's exact identity: its midpoint's and radius's (mantissa, exponent)."""
    return x.mid().man_exp(), x.rad().mid().man_exp()


def _exp(z: acb) -> acb:
    bits = ctx.prec
    if bits < MEMO_BITS or not is_finite(z):
        return z.exp()
    key = (bits, _ball_key(z.real), _ball_key(z.imag))
    found = _EXPS.get(key)
    if found is None:
        if len(_EXPS) >= 512:  # a bound on the memory (~8 MB at 2^16 bits), oldest first
            _EXPS.pop(next(iter(_EXPS)))
        found = _EXPS[key] = z.exp()
    return found


def _reciprocal(function, at_zero=None):
    """acoth, asech, acsch, acot as mpmath defines them and SymPy evaluates them: atanh, acosh,
    asinh, atan of 1/z (the same values on the branch cuts too: compared at 24 points each, tests/
    test_certified_numerics.py). At z = 0 SymPy's value (acoth(0) = i pi/2), or a pole (asech,
    acsch); near 0, where the value jumps, undecided."""

    def op(z: acb) -> acb:
        if z.is_zero():
            if at_zero is None:
                raise ZeroDivisionError("a pole at 0")
            return at_zero()
        if not excludes_zero(z):
            raise Undecided("near 0")
        return function(1 / z)

    return op


_UNARY = {
    sp.exp: _exp,
    sp.acoth: _reciprocal(lambda w: w.atanh(), at_zero=lambda: acb(0, arb.pi() / 2)),
    sp.asech: _reciprocal(lambda w: w.acosh()),
    sp.acsch: _reciprocal(lambda w: w.asinh()),
    sp.acot: _reciprocal(lambda w: w.atan(), at_zero=lambda: acb(arb.pi() / 2)),  # acot(0) = pi/2 (SymPy, mpmath)
    sp.sin: lambda z: z.sin(),
    sp.cos: lambda z: z.cos(),
    sp.tan: lambda z: z.tan(),
    sp.cot: lambda z: z.cot(),
    sp.sec: lambda z: z.sec(),
    sp.csc: lambda z: z.csc(),
    sp.sinh: lambda z: z.sinh(),
    sp.cosh: lambda z: z.cosh(),
    sp.tanh: lambda z: z.tanh(),
    sp.coth: lambda z: z.coth(),
    sp.sech: lambda z: z.sech(),
    sp.csch: lambda z: z.csch(),
    sp.asin: lambda z: z.asin(),
    sp.acos: lambda z: z.acos(),
    sp.atan: lambda z: z.atan(),
    sp.asinh: lambda z: z.asinh(),
    sp.acosh: lambda z: z.acosh(),
    sp.atanh: lambda z: z.atanh(),
    sp.erf: lambda z: z.erf(),
    sp.erfc: lambda z: z.erfc(),
    sp.gamma: lambda z: z.gamma(),
    sp.loggamma: lambda z: z.lgamma(),
    sp.conjugate: lambda z: z.conjugate(),
    sp.re: lambda z: acb(z.real),
    sp.im: lambda z: acb(z.imag),
    sp.Abs: lambda z: acb(abs(z)),
    # special functions with Arb counterparts of the same convention and branch cuts as SymPy's
    # (compared at negative, fractional and large points, tests/test_certified_numerics.py):
    # claims using them get certified counterexamples, not mpmath's
    sp.erfi: lambda z: z.erfi(),
    sp.Ei: lambda z: z.ei(),
    sp.li: lambda z: z.li(),
    sp.Si: lambda z: z.si(),
    sp.Ci: lambda z: z.ci(),
    sp.Shi: lambda z: z.shi(),
    sp.Chi: lambda z: z.chi(),
    sp.fresnels: lambda z: z.fresnel_s(),
    sp.fresnelc: lambda z: z.fresnel_c(),
    sp.airyai: lambda z: z.airy_ai(),
    sp.airybi: lambda z: z.airy_bi(),
    sp.digamma: lambda z: z.digamma(),
    sp.zeta: lambda z: z.zeta(),
    sp.sinc: lambda z: z.sinc(),
}

# (order or index, argument) -> value, the first argument SymPy's
_BINARY = {
    sp.besselj: lambda n, z: z.bessel_j(n),
    sp.bessely: lambda n, z: z.bessel_y(n),
    sp.besseli: lambda n, z: z.bessel_i(n),
    sp.besselk: lambda n, z: z.bessel_k(n),
    sp.polylog: lambda s, z: z.polylog(s),
    sp.polygamma: lambda m, z: z.polygamma(m),
}


def _log(z: acb, node=None) -> acb:
    if z.is_zero():
        raise ZeroDivisionError("log(0)")
    if not excludes_zero(z):
        raise Undecided("log near 0", node)
    return z.log()


@lru_cache(maxsize=1024)
def _real_root_ball_at(root: sp.CRootOf, bits: int) -> acb:
    width = sp.Rational(1, 2 ** (bits + 8))
    near = root.eval_rational(dx=width, n=max(15, bits // 3))  # within width of the root (SymPy's isolating interval)
    return acb(arb(fmpq(int(near.p), int(near.q)), arb(fmpq(int(width.p), int(width.q)))))


def _real_root_ball(root: sp.CRootOf) -> acb:
    """A real root of an integer polynomial (an irreducible cubic's x^3 - x - 1 = 0, which no
    radicals of degree <= 2 give) as a ball of the working precision's width around it: SymPy's
    isolating interval bisected that far, so the ball holds the root for certain."""
    return _real_root_ball_at(root, ctx.prec)


def _one_plus(argument: sp.Basic):
    """u where ``argument`` is 1 + u (an Add holding the term 1), else None."""
    if isinstance(argument, sp.Add) and sp.S.One in argument.args:
        return sp.Add(*(a for a in argument.args if a is not sp.S.One))
    return None


def _log_one_plus(u: acb, node=None) -> acb:
    """log(1 + u), as Arb's log1p(u) where u is real and > -1: at u = e^(-10^16) the ball 1 + u
    is [1 +- u] at any precision short of 10^16 digits, and its log would lose u itself
    (log(1 + e^x) <= (1 - 10^-20) e^x fails as x -> -oo, by ~10^-20 e^x: unseen that way)."""
    if is_real(u) and u.real > -1:
        return acb(u.real.log1p())
    return _log(1 + u, node)


def _pow(base: acb, exponent: acb, integer_exponent: int | None, node=None) -> acb:
    if integer_exponent is not None:
        if integer_exponent < 0 and base.is_zero():
            raise ZeroDivisionError("0 to a negative power")
        if integer_exponent < 0 and not excludes_zero(base):
            raise Undecided("a pole", node)
        return base ** integer_exponent
    if base.is_zero():
        if exponent.real > 0:
            return acb(0)
        raise ZeroDivisionError("0 to a non-positive power")
    if not excludes_zero(base):
        raise Undecided("a power of a number near 0", node)
    return base ** exponent


def _compare(rel: type, difference: acb, node=None) -> bool:
    d = _real_part(difference, "a comparison")
    s = _sign_of(d, node)
    return {
        sp.StrictGreaterThan: s > 0,
        sp.GreaterThan: s >= 0,
        sp.StrictLessThan: s < 0,
        sp.LessThan: s <= 0,
        sp.Eq: s == 0,
        sp.Ne: s != 0,
    }[rel]


@lru_cache(maxsize=8192)
def _compile(expr: sp.Basic):
    """A closure env -> acb for ``expr`` (raises Unsupported at build time for unknown nodes)."""
    if expr.is_Symbol:
        return lambda env: env[expr]
    if expr.is_Integer or expr.is_Rational:
        return _rational(expr)
    if expr.is_Float:
        return _rational(sp.Rational(expr))
    if expr is sp.pi:
        return lambda env: acb(arb.pi())
    if expr is sp.E:
        return lambda env: acb(arb.const_e())
    if expr is sp.EulerGamma:
        return lambda env: acb(arb.const_euler())
    if expr is sp.Catalan:
        return lambda env: acb(arb.const_catalan())
    if expr is sp.I:
        return lambda env: acb(0, 1)
    if isinstance(expr, sp.CRootOf) and expr.is_real:
        return lambda env: _real_root_ball(expr)
    if expr in (sp.true, sp.false):
        value = bool(expr)
        return lambda env: value
    args = [_compile(a) for a in expr.args] if not isinstance(expr, sp.Piecewise) else None
    if isinstance(expr, sp.Add):
        def add(env, args=args):
            total = args[0](env)
            for a in args[1:]:
                total = total + a(env)
            return total
        return add
    if isinstance(expr, sp.Mul):
        def mul(env, args=args):
            total = args[0](env)
            for a in args[1:]:
                total = total * a(env)
            return total
        return mul
    if isinstance(expr, sp.Pow):
        base, exponent = args
        e = expr.args[1]
        integer = int(e) if e.is_Integer else None
        b_node = expr.args[0]
        if e == sp.Rational(1, 2):
            return lambda env: base(env).sqrt()
        if e == sp.Rational(-1, 2):
            # 1/sqrt(y), not sqrt(1/y): they differ on the branch cut (y = -1: -i against i)
            return lambda env: _pow(base(env).sqrt(), None, -1, b_node)
        return lambda env: _pow(base(env), exponent(env), integer, b_node)
    if isinstance(expr, sp.log):
        if len(args) == 2:
            value, base = args
            return lambda env: _log(value(env), expr.args[0]) / _log(base(env), expr.args[1])
        (argument,) = expr.args
        rest = _one_plus(argument)
        if rest is not None:
            u = _compile(rest)
            return lambda env: _log_one_plus(u(env), argument)
        (value,) = args
        return lambda env: _log(value(env), argument)
    if type(expr) in _UNARY and len(args) == 1:
        op, (a,) = _UNARY[type(expr)], args
        return lambda env: op(a(env))
    if type(expr) in _BINARY and len(args) == 2:
        op, (first, second) = _BINARY[type(expr)], args
        return lambda env: op(first(env), second(env))
    name = type(expr).__name__
    if name in ("log1p", "expm1"):  # sympy.codegen's: accurate near 0 for a real argument
        (a,) = args
        accurate = arb.log1p if name == "log1p" else arb.expm1
        plain = (lambda z: _log(1 + z)) if name == "log1p" else (lambda z: z.exp() - 1)

        def near_zero(env):
            z = a(env)
            return acb(accurate(z.real)) if is_real(z) else plain(z)
        return near_zero
    if isinstance(expr, sp.atan2):
        y, x_ = args
        return lambda env: acb(arb.atan2(_real_part(y(env), "atan2"), _real_part(x_(env), "atan2")))
    if isinstance(expr, (sp.Max, sp.Min)):
        pick = (lambda a, b: a.max(b)) if isinstance(expr, sp.Max) else (lambda a, b: a.min(b))
        def extreme(env, args=args, pick=pick, what=name):
            values = [_real_part(a(env), what) for a in args]
            best = values[0]
            for v in values[1:]:
                best = pick(best, v)
            return acb(best)
        return extreme
    if isinstance(expr, sp.sign):
        (a,) = args
        def sign(env):
            z = a(env)
            if is_real(z):
                try:
                    return acb(_sign_of(z.real, expr.args[0]))
                except Undecided:
                    if not _HULLS[-1]:
                        raise
                    return acb(arb(0, 1))
            if z.is_zero():
                return acb(0)
            if not excludes_zero(z):
                raise Undecided("sign", expr.args[0])
            return z / abs(z)
        return sign
    if isinstance(expr, sp.Heaviside):
        a = args[0]
        at_zero = args[1] if len(args) > 1 else _rational(sp.Rational(1, 2))
        def heaviside(env):
            try:
                s = _sign_of(_real_part(a(env), "Heaviside"), expr.args[0])
            except Undecided:
                if not _HULLS[-1]:
                    raise
                return _union([acb(0), acb(1), at_zero(env)])
            return acb(1) if s > 0 else acb(0) if s < 0 else at_zero(env)
        return heaviside
    if isinstance(expr, sp.DiracDelta):
        # d/dx sign(x) = 2 DiracDelta(x): 0 off its support; at the support it is no number, so
        # the point is undefined there (skipped and counted, or a counterexample), never a pass
        a = args[0]
        def dirac_delta(env):
            if _sign_of(_real_part(a(env), "DiracDelta"), expr.args[0]) == 0:
                raise Undefined("DiracDelta at its support")
            return acb(0)
        return dirac_delta
    if isinstance(expr, (sp.floor, sp.ceiling)):
        (a,) = args
        up = isinstance(expr, sp.ceiling)
        def rounding(env):
            v = _real_part(a(env), name)
            r = v.ceil() if up else v.floor()
            if not r.is_exact():
                raise Undecided(name, expr)
            return acb(r)
        return rounding
    if isinstance(expr, sp.KroneckerDelta):
        i, j = args[:2]
        return lambda env: acb(1 if _sign_of(_real_part(i(env) - j(env), "KroneckerDelta"), expr.args[0] - expr.args[1]) == 0 else 0)
    if isinstance(expr, (sp.factorial,)):
        (a,) = args
        return lambda env: (a(env) + 1).gamma()
    if isinstance(expr, sp.binomial):
        n, m = args
        return lambda env: (n(env) + 1).gamma() / ((m(env) + 1).gamma() * (n(env) - m(env) + 1).gamma())
    if isinstance(expr, sp.LambertW) and len(args) == 1:
        (a,) = args
        return lambda env: a(env).lambertw()
    if isinstance(expr, sp.Piecewise):
        branches = [(_compile(e), _compile(c)) for e, c in expr.args]
        def piecewise(env):
            candidates = []  # branches that may apply where a condition is undecided (hulls())
            for value, condition in branches:
                try:
                    holds = condition(env)
                except Undecided:
                    if not _HULLS[-1]:
                        raise
                    candidates.append(value(env))
                    continue
                if holds:
                    return _union(candidates + [value(env)])
            if candidates:
                return _union(candidates)
            raise Undefined("no Piecewise branch applies")
        return piecewise
    if isinstance(expr, sp.core.relational.Relational) and type(expr) in (
        sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan, sp.Eq, sp.Ne
    ):
        left, right = args
        rel = type(expr)
        return lambda env: _compare(rel, left(env) - right(env), expr)
    if isinstance(expr, sp.And):
        return lambda env: all(a(env) for a in args)
    if isinstance(expr, sp.Or):
        return lambda env: any(a(env) for a in args)
    if isinstance(expr, sp.Not):
        (a,) = args
        return lambda env: not a(env)
    raise Unsupported(name)


def ball_function(expr: sp.Basic, symbols: tuple):
    """``expr`` as a function of acb values of ``symbols`` (positional), evaluated at the current
    working precision. Raises Unsupported when the expression has a node Arb cannot evaluate."""
    expr = sp.sympify(expr)
    body = _compile(expr)  # raises Unsupported for a node Arb cannot evaluate
    symbols = tuple(symbols)
    if len(set(symbols)) == len(symbols) and expr.free_symbols <= set(symbols):
        try:
            return _generated(expr, symbols)
        except RecursionError:  # a very deep expression: the closures serve
            pass

    def function(*values):
        return body(dict(zip(symbols, values)))

    return function


# -- straight-line code: each distinct sub-expression evaluated once ------------------------
# The closures above evaluate a sub-expression at every place it occurs (the sum in a softmax's
# denominator once per entry). ``_generated`` writes one Python function per expression that
# evaluates the same operations in the same order, each distinct node once: Arb's result for a
# node depends only on its inputs and the precision, so the balls are the very same, and an
# exception is raised at the same first failing node. Nodes whose parts are evaluated only on
# some paths (Piecewise, Heaviside, sign, relations, And/Or, log1p) keep their closure.

_STRAIGHT = (sp.Add, sp.Mul, sp.Pow, sp.log, sp.Max, sp.Min, sp.atan2)


@lru_cache(maxsize=4096)
def _generated(expr: sp.Basic, symbols: tuple):
    names: dict = {s: f"v{i}" for i, s in enumerate(symbols)}
    namespace = {"acb": acb, "arb": arb, "_pow": _pow, "_log": _log, "_log_one_plus": _log_one_plus, "_real_part": _real_part}
    lines: list[str] = []
    needs_env = [False]

    def constant(value, prefix="c") -> str:
        name = f"{prefix}{len(namespace)}"
        namespace[name] = value
        return name

    def fresh(code: str) -> str:
        name = f"t{len(lines)}"
        lines.append(f"    {name} = {code}")
        return name

    def emit(node) -> str:
        if node in names:
            return names[node]
        if node.is_Rational and node.is_Integer:
            name = constant(acb(int(node.p)))  # exact at every precision
        elif node.is_Rational or node.is_Float:
            q = sp.Rational(node)
            name = constant(acb(int(q.p))) if q.q == 1 else fresh(f"acb(arb({constant(fmpq(int(q.p), int(q.q)))}))")
        elif node is sp.I:
            name = constant(acb(0, 1))
        elif isinstance(node, _STRAIGHT) and not (node.is_Symbol or node.is_Number):
            name = straight(node)
        else:  # a constant (pi, E), a unary function, or a node with paths: its closure
            if type(node) in _UNARY and len(node.args) == 1:
                argument = emit(node.args[0])
                name = fresh(f"{constant(_UNARY[type(node)], 'u')}({argument})")
            else:
                needs_env[0] = True
                name = fresh(f"{constant(_compile(node), 'f')}(env)")
        names[node] = name
        return name

    def straight(node) -> str:
        args = node.args
        if isinstance(node, (sp.Add, sp.Mul)):
            parts = [emit(a) for a in args]
            return fresh((" + " if isinstance(node, sp.Add) else " * ").join(parts))
        if isinstance(node, sp.Pow):
            b, e = args
            base = emit(b)
            if e == sp.Rational(1, 2):
                return fresh(f"{base}.sqrt()")
            if e == sp.Rational(-1, 2):
                return fresh(f"_pow({base}.sqrt(), None, -1, {constant(b, 'n')})")
            exponent = emit(e)
            integer = int(e) if e.is_Integer else None
            return fresh(f"_pow({base}, {exponent}, {integer!r}, {constant(b, 'n')})")
        if isinstance(node, sp.log):
            if len(args) == 2:
                value = fresh(f"_log({emit(args[0])}, {constant(args[0], 'n')})")
                base = fresh(f"_log({emit(args[1])}, {constant(args[1], 'n')})")
                return fresh(f"{value} / {base}")
            rest = _one_plus(args[0])
            if rest is not None:
                return fresh(f"_log_one_plus({emit(rest)}, {constant(args[0], 'n')})")
            return fresh(f"_log({emit(args[0])}, {constant(args[0], 'n')})")
        if isinstance(node, sp.atan2):
            y = fresh(f"_real_part({emit(args[0])}, 'atan2')")
            x = fresh(f"_real_part({emit(args[1])}, 'atan2')")
            return fresh(f"acb(arb.atan2({y}, {x}))")
        what = type(node).__name__  # Max, Min
        pick = "max" if isinstance(node, sp.Max) else "min"
        best = None
        for a in args:
            value = fresh(f"_real_part({emit(a)}, {what!r})")
            best = value if best is None else fresh(f"{best}.{pick}({value})")
        return fresh(f"acb({best})")

    result = emit(expr)
    parameters = ", ".join(f"v{i}" for i in range(len(symbols)))
    head = [f"def function({parameters}):"]
    if needs_env[0]:
        namespace["_symbols"] = symbols
        head.append(f"    env = dict(zip(_symbols, ({parameters}{',' if len(symbols) == 1 else ''})))")
    code = "\n".join(head + lines + [f"    return {result}"])
    exec(compile(code, "<smoothsym.balls>", "exec"), namespace)
    return namespace["function"]


def exact_ball(value: sp.Basic) -> acb:
    """An exact SymPy number (a rational, or an algebraic / closed-form real such as sqrt(2))
    as a ball at the current precision."""
    value = sp.sympify(value)
    if value.is_Rational:
        return _rational(value)(None)
    return _compile(value)({})


# -- holomorphic functions: the integrand of Arb's rigorous integration ----------------------
# acb.integral bounds its error through the integrand's values on complex balls around the
# path, so it must learn where the integrand is not holomorphic: with ``analytic`` set, a branch
# function (sqrt, log, a non-integer power) returns a non-finite ball wherever its ball touches
# a branch cut, as python-flint's ``analytic=`` does; meromorphic functions need nothing (a pole
# gives a non-finite ball). Nodes that are nowhere holomorphic (Abs, Max, Piecewise, ...) are
# Unsupported here: the caller encloses such an integrand some other way.

_ENTIRE_OR_MEROMORPHIC = {
    sp.exp: lambda z: z.exp(), sp.sin: lambda z: z.sin(), sp.cos: lambda z: z.cos(),
    sp.tan: lambda z: z.tan(), sp.cot: lambda z: z.cot(), sp.sec: lambda z: z.sec(), sp.csc: lambda z: z.csc(),
    sp.sinh: lambda z: z.sinh(), sp.cosh: lambda z: z.cosh(), sp.tanh: lambda z: z.tanh(),
    sp.coth: lambda z: z.coth(), sp.sech: lambda z: z.sech(), sp.csch: lambda z: z.csch(),
    sp.erf: lambda z: z.erf(), sp.erfc: lambda z: z.erfc(),
}

_NOT_FINITE = acb(arb("nan"), arb("nan"))


def _holomorphic(expr: sp.Basic):
    """A closure (env, analytic) -> acb for ``expr``, or Unsupported."""
    if expr.is_Symbol:
        return lambda env, analytic: env[expr]
    if expr.is_Rational or expr.is_Float or expr in (sp.pi, sp.E, sp.EulerGamma, sp.Catalan, sp.I):
        value = _compile(expr)
        return lambda env, analytic: value(env)
    args = [_holomorphic(a) for a in expr.args]
    if isinstance(expr, (sp.Add, sp.Mul)):
        add = isinstance(expr, sp.Add)

        def combined(env, analytic, args=args):
            total = args[0](env, analytic)
            for a in args[1:]:
                total = total + a(env, analytic) if add else total * a(env, analytic)
            return total
        return combined
    if isinstance(expr, sp.Pow):
        (base, exponent), e = args, expr.args[1]
        if e.is_Integer:
            n = int(e)
            return lambda env, analytic: base(env, analytic) ** n
        if e == sp.Rational(1, 2):
            return lambda env, analytic: base(env, analytic).sqrt(analytic=analytic)
        if e == sp.Rational(-1, 2):
            return lambda env, analytic: base(env, analytic).rsqrt(analytic=analytic)
        if e.free_symbols:  # b^e with e varying: e^(e log b)
            return lambda env, analytic: (exponent(env, analytic) * base(env, analytic).log(analytic=analytic)).exp()
        return lambda env, analytic: base(env, analytic).pow(exponent(env, analytic), analytic=analytic)
    if isinstance(expr, sp.log) and len(args) == 1:
        (value,) = args
        return lambda env, analytic: value(env, analytic).log(analytic=analytic)
    if type(expr) in _ENTIRE_OR_MEROMORPHIC and len(args) == 1:
        op, (a,) = _ENTIRE_OR_MEROMORPHIC[type(expr)], args
        return lambda env, analytic: op(a(env, analytic))
    if isinstance(expr, sp.atan) and len(args) == 1:  # atan z = (log(1 + iz) - log(1 - iz))/(2i): its cuts
        (a,) = args
        i = acb(0, 1)

        def arctangent(env, analytic):
            z = a(env, analytic)
            if not analytic:
                return z.atan()
            return ((1 + i * z).log(analytic=True) - (1 - i * z).log(analytic=True)) / (2 * i)
        return arctangent
    raise Unsupported(type(expr).__name__)


def holomorphic_function(expr: sp.Basic, symbols: tuple):
    """``expr`` as a function (values..., analytic) -> acb for ``acb.integral``: with ``analytic``
    True, a non-finite ball wherever the ball of an argument meets a branch cut. Raises
    Unsupported for a node that is not holomorphic (Abs, Max, Piecewise, floor, ...) or unknown.

    >>> x = sp.Symbol("x", real=True)
    >>> f = holomorphic_function(sp.sqrt(x), (x,))
    >>> with working_bits(64):
    ...     is_finite(f(acb(0), True)), is_finite(f(acb(4), True))
    (False, True)
    """
    body = _holomorphic(sp.sympify(expr))
    symbols = tuple(symbols)

    def function(*values_and_flag):
        *values, analytic = values_and_flag
        try:
            value = body(dict(zip(symbols, values)), bool(analytic))
        except (ZeroDivisionError, ValueError):
            return _NOT_FINITE
        return value if isinstance(value, acb) else acb(value)

    return function
