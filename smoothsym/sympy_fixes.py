"""Fixes to SymPy bugs that would make a claim mean something else before any check sees it.

Imported with the engine (``symbolic`` imports it), so they are in force before a derivation file
builds its expressions. Each fix names the bug; each is tested in tests/test_claims_from_others.py.

sec, csc and cot have no evalf handler in SymPy 1.14 (sin, cos and tan have ``evalf_trig``, which
reduces a large argument at the precision it needs): their low-precision values, which SymPy's
sign queries use (``is_positive`` evaluates to 2 digits), come out with the wrong sign at large
arguments (SymPy issue #29850: sec(19 pi/500 - 26944) = -89.08 evaluates to 3.7e2 at 2 digits).
Abs, Max, sign and sqrt then rewrite as the expression is built: |sec(19 pi/500 - 26944)| became
sec(19 pi/500 - 26944) itself, and a false |s| = s was "proved" as an identical expression.
Here they are evaluated as 1/cos, 1/sin and cos/sin, through evalf_trig.
"""

from __future__ import annotations

from sympy import cos, cot, csc, sec, sin
from sympy.core import evalf as _evalf

_RECIPROCALS = {sec: lambda a: 1 / cos(a), csc: lambda a: 1 / sin(a), cot: lambda a: cos(a) / sin(a)}


def _evalf_reciprocal_trig(value, prec: int, options: dict):
    return _evalf.evalf(_RECIPROCALS[type(value)](value.args[0]), prec, options)


if not _evalf.evalf_table:  # SymPy fills its table on the first evalf (and rebinds the name)
    _evalf._create_evalf_table()
for _function in _RECIPROCALS:
    _evalf.evalf_table.setdefault(_function, _evalf_reciprocal_trig)
