"""Convergence plots as data: error against k on log-log axes, from a limit's evidence.

The errors come from the verdict's ``ConvergenceEvidence`` (computed with Arb balls at the
verification precision); nothing is re-evaluated. They are strings such as ``"6.931e-5"`` or
``"<1.0e-950"`` (below the resolution), so they are read with mpmath: a float64 would round
1e-435 to 0 and lose the curve.

A plot is plain data in a unit square (x, y in [0, 1], y upwards), rounded to fixed decimals so
the output is byte-stable; the templates scale it to SVG or to a LaTeX picture.

>>> from smoothsym.verdict import ConvergenceEvidence, ConvergencePath
>>> path = ConvergencePath({"x": "0"}, ("10", "100", "1000"), ("0.1", "0.01", "0.001"), "~ 1.0 k^-1.00", True)
>>> plot = convergence_plot(ConvergenceEvidence("lim", "k", (path,), 50, "always >= 0", "~ 1.0 k^-1.00"))
>>> [s.label for s in plot.series], plot.series[0].points[0], plot.series[0].points[-1]
(['x = 0'], (0.0, 1.0), (1.0, 0.0))
>>> [t.label for t in plot.xticks]
['1', '2', '3']
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath

from .verdict import ConvergenceEvidence, ConvergencePath

MAX_DECADES = 60  # the y-axis spans at most this many decades; smaller errors sit on its floor
MAX_SERIES = 5


@dataclass(frozen=True, slots=True)
class Tick:
    at: float  # position along the axis, 0..1
    label: str  # the exponent: the tick stands for 10^label


@dataclass(frozen=True, slots=True)
class Series:
    """One line: (x, y) in the unit square; ``floor`` the points below the plot's range."""

    label: str
    note: str  # e.g. the fitted rate
    points: tuple[tuple[float, float], ...]
    floor: tuple[tuple[float, float], ...]
    group: int  # colour index (the step, in a comparison)
    dash: int  # dash index (the point, in a comparison)


@dataclass(frozen=True, slots=True)
class Plot:
    title: str
    variable: str
    xticks: tuple[Tick, ...]
    yticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    floor_label: str  # what the floor stands for, e.g. "below 1e-60"


def log10_error(text: str) -> int | float | None:
    """log10 |error| of an evidence string; None when it is below the resolution (or zero).

    >>> log10_error("-1e-435"), log10_error("<1.0e-950"), log10_error("0.0")
    (-435.0, None, None)
    """
    text = text.strip()
    if text.startswith("<"):
        return None
    value = mpmath.mpf(text)
    if value == 0:
        return None
    return round(float(mpmath.log10(abs(value))), 6)


def point_label(point: dict[str, str]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in point.items()) or "(no symbols)"


def _distinct(paths) -> list[ConvergencePath]:
    seen, found = set(), []
    for path in paths:
        key = tuple(path.point.items())
        if key not in seen:
            seen.add(key)
            found.append(path)
    return found


def _slowness(path: ConvergencePath) -> tuple:
    """Sort key, slowest first: the largest error at the largest k that still has one."""
    logs = [log10_error(e) for e in path.errors]
    reached = [(i, v) for i, v in enumerate(logs) if v is not None]
    if not reached:
        return (1, 0.0)
    i, v = reached[-1]
    return (0, -i, -v)


def representative_paths(evidence: ConvergenceEvidence, limit: int = MAX_SERIES) -> list[ConvergencePath]:
    """The distinct points worth drawing, slowest first; paths with no visible error dropped
    unless nothing else is left."""
    paths = sorted(_distinct(evidence.paths), key=_slowness)
    visible = [p for p in paths if any(log10_error(e) is not None for e in p.errors)]
    return (visible or paths[:1])[:limit]


def _ticks(low: float, high: float, most: int) -> tuple[Tick, ...]:
    span = high - low
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if span / s <= most)
    first = math.ceil(low / step) * step
    return tuple(
        Tick(round((v - low) / span, 4), str(v)) for v in range(first, int(high) + 1, step)
    )


def _frame(lines: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> tuple[float, float, float, float]:
    """x range (log10 k) and y range (log10 error) covering every line."""
    xs = [math.log10(int(k)) for ks, _ in lines for k in ks]
    ys = [v for _, errors in lines for v in (log10_error(e) for e in errors) if v is not None]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    if x1 == x0:
        x1 = x0 + 1
    if not ys:
        return x0, x1, -2.0, 0.0
    top = math.ceil(max(ys))
    bottom = max(math.floor(min(ys)), top - MAX_DECADES)
    if bottom == top:
        bottom = top - 1
    return x0, x1, bottom, top


def _series(label, note, ks, errors, frame, group, dash) -> Series:
    x0, x1, y0, y1 = frame
    points, floor = [], []
    for k, error in zip(ks, errors):
        x = round((math.log10(int(k)) - x0) / (x1 - x0), 4)
        v = log10_error(error)
        if v is None or v < y0:
            floor.append((x, 0.0))
        else:
            points.append((x, round((v - y0) / (y1 - y0), 4)))
    return Series(label, note, tuple(points), tuple(floor), group, dash)


def _plot(title, variable, lines, frame) -> Plot:
    x0, x1, y0, y1 = frame
    series = tuple(
        _series(label, note, ks, errors, frame, group, dash) for label, note, ks, errors, group, dash in lines
    )
    return Plot(
        title=title,
        variable=variable,
        xticks=_ticks(x0, x1, 8),
        yticks=_ticks(y0, y1, 8),
        series=series,
        floor_label=f"below 1e{int(y0)}",
    )


def convergence_plot(evidence: ConvergenceEvidence, title: str = "") -> Plot:
    """The error of one limit along growing k at its representative points."""
    paths = representative_paths(evidence)
    lines = [(point_label(p.point), p.rate, p.ks, p.errors, i, 0) for i, p in enumerate(paths)]
    frame = _frame([(p.ks, p.errors) for p in paths])
    return _plot(title or evidence.what, evidence.variable, lines, frame)


def comparison_plot(entries: list[tuple[str, ConvergenceEvidence]], title: str) -> Plot | None:
    """Several limits (e.g. the alternatives (11), (13), (14)) on one plot, at two points their
    evidence shares (the slowest, and the slowest that is not a tie), or else each at its slowest
    point. None if fewer than two have evidence."""
    entries = [(label, ev) for label, ev in entries if ev.paths]
    if len(entries) < 2:
        return None
    shared = set.intersection(*(set(tuple(p.point.items()) for p in ev.paths) for _, ev in entries))
    lines = []
    if shared:
        by_point = {key: [p for _, ev in entries for p in ev.paths if tuple(p.point.items()) == key] for key in shared}
        # the slowest shared point (usually a tie x = y), then the slowest one that is not a tie
        ranked = sorted(shared, key=lambda key: (min(_slowness(p) for p in by_point[key]), key))
        untied = [key for key in ranked[1:] if len({value for _, value in key}) == len(key)]
        keys = ranked[:1] + untied[:1]
        for dash, key in enumerate(keys):
            for group, (label, ev) in enumerate(entries):
                path = next(p for p in ev.paths if tuple(p.point.items()) == key)
                lines.append((f"{label} at {point_label(path.point)}", path.rate, path.ks, path.errors, group, dash))
    else:
        for group, (label, ev) in enumerate(entries):
            path = representative_paths(ev, 1)[0]
            lines.append((f"{label} at {point_label(path.point)}", path.rate, path.ks, path.errors, group, 0))
    frame = _frame([(line[2], line[3]) for line in lines])
    return _plot(title, entries[0][1].variable, lines, frame)
