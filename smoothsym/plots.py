"""Convergence plots: the error of a limit against k, drawn with matplotlib as SVG and PDF.

The errors come from the verdict's ``ConvergenceEvidence`` (computed with Arb balls at the
verification precision); nothing is re-evaluated. They are strings such as ``"6.931e-5"`` or
``"<1.0e-950"`` (below the resolution), so they are read with mpmath: a float64 would round
1e-435 to 0 and lose the curve. What is drawn is log10 |error|, computed with mpmath.

A ``Plot`` is plain data (labels, k values, log10 errors, styles); ``svg`` and ``pdf`` draw it.
Axes: k on a log scale (for a limit at a finite point a, the distance |x - a| = 1/u instead);
the error on a log axis when every rate is a power of k, and log10 |error| on a linear axis
when one is exponential or an error is too small for a float (a log axis would cut such a curve
off at a floor after one point; here 1e-435 sits at -435). Each series has its own
colour, marker (shrinking with its rank, filled or hollow) and dash, so identical series stay
visible, each point at its own k; the points a rate was read from carry the fitted line as a
pale band.
When two or more series are c k^-p with the same p, a second panel shows their |error| k^p,
which tends to c: 0.693/k and 0.527/k, one line on log-log axes, are told apart at a glance.
Output is byte-stable: a hash salt fixed per plot (its digest), no dates, text kept as text
(``svg.fonttype = "none"``: the browser draws it with DejaVu Sans or its sans-serif).

>>> from smoothsym.verdict import ConvergenceEvidence, ConvergencePath
>>> path = ConvergencePath({"x": "0"}, ("10", "100", "1000"), ("0.1", "0.01", "0.001"), "~ 1.0 k^-1.00", True)
>>> plot = convergence_plot(ConvergenceEvidence("lim", "k", (path,), 50, "always >= 0", "~ 1.0 k^-1.00"))
>>> [s.label for s in plot.series], plot.series[0].logs, plot.semilog, plot.series[0].fit
(['x = 0'], (-1.0, -2.0, -3.0), False, ((1.0, -1.0), (3.0, -3.0)))
>>> fast = ConvergencePath({"x": "0"}, ("10", "100", "1000"), ("4.5e-5", "3.7e-44", "5.1e-435"), "~ c e^(-1.0 k) (exponential)", True)
>>> plot = convergence_plot(ConvergenceEvidence("lim", "k", (fast,), 50, "always >= 0", ""))
>>> plot.semilog, plot.series[0].logs[-1], plot.ylabel
(True, -434.29243, 'log10 |error|')
>>> svg(plot) == svg(plot), svg(plot).startswith("<svg")
(True, True)
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import math
import os
import re
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import mpmath

from . import processes
from .prose import marked_prose
from .verdict import ConvergenceEvidence, ConvergencePath

MAX_SERIES = 5
FLOAT_FLOOR = -300  # log10 of the smallest error a float (and so a log axis) still holds well

# one style per series: colours told apart also in grey and by colour-blind readers (Okabe-Ito),
# markers and dashes so that series drawn on top of each other still show each one
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", ":", "-.")


@dataclass(frozen=True, slots=True)
class Series:
    """One line: log10 k and log10 |error| per point (None: below the resolution)."""

    label: str
    note: str  # the fitted rate, as the evidence states it
    xs: tuple[float, ...]  # log10 of k (or of the distance, at a finite point)
    logs: tuple[float | None, ...]
    fit: tuple[tuple[float, float], tuple[float, float]] | None  # the fitted line, two (x, log10 error) ends
    colour: str
    marker: str
    dash: str
    bounds: tuple[float | None, ...] = ()  # log10 of the bound of each point below the resolution
    power: float | None = None  # p of a rate c k^-p


@dataclass(frozen=True, slots=True)
class Plot:
    title: str
    xlabel: str
    ylabel: str
    semilog: bool  # y is log10 |error| on a linear axis (an exponential rate, or errors beyond floats)
    series: tuple[Series, ...]
    distance: bool = False  # x is the distance 1/u to a finite point
    variable: str = "k"  # what the x axis shows: the variable, or its distance |x - a| to a finite point
    scaled_power: float | None = None  # series ~ c k^-p with this p: a second panel shows |error| k^p -> c

    @property
    def digest(self) -> str:
        """A name for this plot's content: its figure file and its SVG ids derive from it."""
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()[:16]

    @property
    def pdf_file(self) -> str:
        """The PDF figure's file name beside the .tex (a '+' no derivation name holds)."""
        return f"plot+{self.digest}.pdf"


FIGURE_NAME = re.compile(r"plot\+[0-9a-f]{16}\.pdf")


def log10_error(text: str) -> int | float | None:
    """log10 |error| of an evidence string; None when it is below the resolution (or zero).

    >>> log10_error("-1e-435"), log10_error("<1.0e-950"), log10_error("0.0")
    (-435.0, None, None)
    """
    text = text.strip()
    if text.startswith("<"):
        return None
    try:
        value = mpmath.mpf(text)
    except (ValueError, TypeError):  # "undefined"
        return None
    if value == 0:
        return None
    return round(float(mpmath.log10(abs(value))), 6)


def _bound(text: str) -> float | None:
    """log10 of the bound of an error only known below it ("<1.0e-950" -> -950.0)."""
    text = text.strip()
    if not text.startswith("<"):
        return None
    return log10_error(text[1:])


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


def exponential(rate: str) -> bool:
    """Whether a rate text (numeric._rate's) says the error falls faster than any power of k.

    >>> exponential("~ c e^(-2.0 k) (exponential)"), exponential("~ 0.693 k^-1.00")
    (True, False)
    """
    return "e^(" in rate or "exponential" in rate or "faster than any power" in rate


# the rate is written in the variable the limit was followed along (k, or x, or u for x = a + 1/u)
_POWER = re.compile(r"~ ([-+0-9.e]+) \w+\^-([0-9.]+)")
_EXPONENTIAL = re.compile(r"~ c e\^\(-([-+0-9.e]+) \w+\)")


def _fit(rate: str, ks: tuple[str, ...], logs: tuple[float | None, ...]):
    """The fitted line over the points numeric._rate reads a rate from: the last four resolved
    points for c k^-p (its slopes[-3:]), the last two for c e^(-a k), anchored at the last one
    (c is not stated). None when the rate states no fit."""
    resolved = [(int(k), v) for k, v in zip(ks, logs) if v is not None]
    if len(resolved) < 2:
        return None
    if match := _POWER.search(rate):
        c, p = mpmath.mpf(match.group(1)), float(match.group(2))
        used = resolved[-4:]
        ends = (used[0][0], used[-1][0])
        return tuple((round(math.log10(k), 6), round(float(mpmath.log10(c)) - p * math.log10(k), 6)) for k in ends)
    if match := _EXPONENTIAL.search(rate):
        a = mpmath.mpf(match.group(1))
        (k1, _), (k2, v2) = resolved[-2:]
        start = v2 + float(a * (k2 - k1) / mpmath.log(10))
        return ((round(math.log10(k1), 6), round(start, 6)), (round(math.log10(k2), 6), v2))
    return None


def rate_in(rate: str, variable: str, finite: str | None = None, judged: str = "k") -> str:
    """A rate as numeric._rate writes it (in ``judged``, the variable the limit was followed
    along: k, or u for x = a + 1/u) said in the plot's own variable: the variable itself at
    infinity, the distance |x - a| = 1/u at a finite point a.

    >>> rate_in("~ 0.693 k^-1.00", "t"), rate_in("~ 0.167 k^-2.00", "x", "0")
    ('~ 0.693 t^-1.00', '~ 0.167 |x|^2.00')
    >>> rate_in("~ c e^(-2.0 k) (exponential)", "x", "1"), rate_in("4.7e-15 at k = 10, then below resolution", "-x")
    ('~ c e^(-2.0/|x - 1|) (exponential)', '4.7e-15 at (-x) = 10, then below resolution')
    >>> rate_in("~ 0.167 u^-2.00", "x", "0", judged="u")
    '~ 0.167 |x|^2.00'
    """
    k = re.escape(judged)
    if finite is None:
        name = variable if re.fullmatch(r"\w+", variable) else f"({variable})"
        return re.sub(rf"\b{k}\b", name, rate)
    q = distance_name(variable, finite)
    rate = re.sub(rf"\b{k}\^-([0-9.]+)", lambda m: f"{q}^{m.group(1)}", rate)
    rate = re.sub(rf"e\^\(-([-+0-9.e]+) {k}\)", lambda m: f"e^(-{m.group(1)}/{q})", rate)
    return re.sub(rf"\b{k} = ([0-9]+)", lambda m: f"{q} = 1/{m.group(1)}", rate)


def distance_name(variable: str, finite: str) -> str:
    return f"|{variable}|" if finite == "0" else f"|{variable} - {finite}|"


def _series(label, note, ks, errors, rank, colour, dash, variable, finite=None, judged="k") -> Series:
    logs = tuple(log10_error(e) for e in errors)
    xs = tuple(round(float(mpmath.log10(mpmath.mpf(k))), 6) for k in ks)
    fit = _fit(note, ks, logs)
    if finite is not None:  # at a finite point the axis is |x - a| = 1/u
        xs = tuple(-x for x in xs)
        fit = tuple((-x, y) for x, y in fit) if fit else None
    return Series(label, rate_in(note, variable, finite, judged), xs, logs, fit, colour, MARKERS[rank % len(MARKERS)],
                  dash, tuple(_bound(e) for e in errors), _power(note))


def _power(rate: str) -> float | None:
    """p of a rate "~ c k^-p" (None for any other rate).

    >>> _power("~ 0.693 k^-1.00"), _power("~ c e^(-1.0 k) (exponential)")
    (1.0, None)
    """
    match = _POWER.search(rate)
    return float(match.group(2)) if match else None


def _plot(title, variable, finite, series) -> Plot:
    logs = [v for s in series for v in s.logs if v is not None]
    semilog = any(exponential(s.note) for s in series) or (bool(logs) and min(logs) < FLOAT_FLOOR)
    distance = finite is not None
    xlabel = axis_label(variable, finite)
    ylabel = "log10 |error|" if semilog else "|error| (log scale)"
    # two or more series ~ c k^-p with one p: a panel of |error| k^p -> c tells their c apart
    powers = [s.power for s in series]
    shared = sorted({p for p in powers if p is not None and powers.count(p) >= 2}, key=lambda p: -powers.count(p))
    scaled = shared[0] if shared else None
    quantity = distance_name(variable, finite) if distance else variable
    return Plot(title, xlabel, ylabel, semilog, tuple(series), distance, quantity, scaled)


def axis_label(variable: str, finite: str | None = None) -> str:
    """The x axis: the limit variable (log scale), or its distance to a finite point.

    >>> axis_label("k"), axis_label("x", "0"), axis_label("x", "1")
    ('k (log scale)', '|x| (log scale)', '|x - 1| (log scale)')
    """
    return f"{variable if finite is None else distance_name(variable, finite)} (log scale)"


def convergence_plot(evidence: ConvergenceEvidence, title: str = "", variable: str | None = None,
                     finite: str | None = None) -> Plot:
    """The error of one limit along growing k at its representative points. For a limit at a
    finite point ``finite`` of ``variable``, the evidence follows u -> oo with variable = a +- 1/u,
    and the plot shows the distance 1/u."""
    paths = representative_paths(evidence)
    series = [
        _series(point_label(p.point), p.rate, p.ks, p.errors, i, COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)],
                variable or evidence.variable, finite, evidence.variable)
        for i, p in enumerate(paths)
    ]
    return _plot(title or evidence.what, variable or evidence.variable, finite, series)


def comparison_plot(entries: list[tuple[str, ConvergenceEvidence]], title: str, variable: str | None = None,
                    finite: str | None = None) -> Plot | None:
    """Several limits (e.g. the alternatives (11), (13), (14)) on one plot, at two points their
    evidence shares (the slowest, and the slowest that is not a tie), or else each at its slowest
    point. A colour per limit, a dash per point, a marker per line. None if fewer than two have
    evidence."""
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
                lines.append((f"{label} at {point_label(path.point)}", path, group, dash))
    else:
        for group, (label, ev) in enumerate(entries):
            path = representative_paths(ev, 1)[0]
            lines.append((f"{label} at {point_label(path.point)}", path, group, 0))
    series = [
        _series(label, path.rate, path.ks, path.errors, rank, COLOURS[group % len(COLOURS)],
                DASHES[dash % len(DASHES)], variable or entries[0][1].variable, finite, entries[group][1].variable)
        for rank, (label, path, group, dash) in enumerate(lines)
    ]
    return _plot(title, variable or entries[0][1].variable, finite, series)


# -- drawing -------------------------------------------------------------------------------------


def _drawn(s: Series) -> list[tuple[float, float | None]]:
    """The (x, log10 error) points of a series worth drawing: every resolved one, and those below
    the resolution up to the first one after the last resolved (the rest say nothing more)."""
    last = max((i for i, v in enumerate(s.logs) if v is not None), default=-1)
    return [(x, v) for i, (x, v) in enumerate(zip(s.xs, s.logs)) if i <= last + 1]


@functools.cache
def _share_math_layouts() -> None:
    """Lay out each math text (a tick label $10^{-3}$, a legend's rate) once per process.

    matplotlib keeps a parsed layout in a cache keyed by the parser object as well, and each
    figure's renderer brings its own parser, so every figure parsed every tick label again: half
    the time of rendering the catalog's pages. A layout depends only on the text, the font, the
    dpi, the glyph flags and the kind of output (paths or pixels), so it is kept under those;
    the figures come out byte for byte the same. On a matplotlib without this internal
    (``MathTextParser._parse_cached``) nothing changes."""
    from matplotlib.mathtext import MathTextParser

    parse = getattr(MathTextParser._parse_cached, "__wrapped__", None)
    if parse is None:  # pragma: no cover - another matplotlib
        return
    parsers: dict[str, MathTextParser] = {}

    @functools.lru_cache(4096)
    def shared(output_type, s, dpi, prop, antialiased, load_glyph_flags):
        parser = parsers.setdefault(output_type, MathTextParser({"vector": "path", "raster": "agg"}[output_type]))
        return parse(parser, s, dpi, prop, antialiased, load_glyph_flags)

    MathTextParser._parse_cached = lambda self, *key: shared(self._output_type, *key)


def _figure(plot: Plot):
    """The matplotlib Figure of a plot (no pyplot: no global figure state)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

    _share_math_layouts()
    n = len(plot.series)
    scaled = plot.scaled_power is not None
    ids = f"plot-{plot.digest}"  # the lines' ids, unique on a page that shows several plots
    fig = Figure(figsize=(10.4 if scaled else 7.2, 3.4), dpi=100)
    axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.28}) if scaled else [fig.subplots()]
    ax = axes[0]
    resolved = [v for s in plot.series for _, v in _drawn(s) if v is not None]
    fits = [y for s in plot.series if s.fit for _, y in s.fit]
    top = max(resolved + fits, default=0.0)
    bottom = min(resolved + fits, default=-2.0)
    span = max(top - bottom, 1.0)
    floor = bottom - 0.08 * span  # where the points below the resolution are drawn, as ▽

    def x(v):  # v is log10 k (or of the distance)
        return 10.0 ** v

    def y(v):
        return v if plot.semilog else 10.0 ** v

    for rank, s in enumerate(plot.series):
        # series drawn on top of each other stay visible: markers shrink and alternate between
        # filled and hollow with the rank, so identical points nest; dashes differ per point
        style = dict(color=s.colour, marker=s.marker, markersize=max(8.0 - 1.3 * rank, 3.5),
                     markerfacecolor="white" if rank % 2 else s.colour, markeredgewidth=1.3)
        drawn = _drawn(s)
        xs = [x(a) for a, v in drawn if v is not None]
        ys = [y(v) for _, v in drawn if v is not None]
        line, = ax.plot(xs, ys, linestyle=s.dash, linewidth=max(2.4 - 0.35 * rank, 1.0),
                        label=mathtext(f"{s.label}: {s.note}"), **style)
        line.set_gid(f"{ids}-series-{rank}")
        below = [x(a) for a, v in drawn if v is None]
        if below:
            # nested like the points: ▽ of several series at one k stay apart
            low, = ax.plot(below, [y(floor)] * len(below), color=s.colour, marker="v", linestyle="none",
                           markersize=max(8.0 - 1.3 * rank, 3.5), markerfacecolor="none", markeredgewidth=1.2)
            low.set_gid(f"{ids}-below-{rank}")
        if s.fit:
            (x1, y1), (x2, y2) = s.fit
            # a wide pale band, not a pattern: a dotted thick line looks like more data points
            fitted, = ax.plot([x(x1), x(x2)], [y(y1), y(y2)], color=s.colour, linestyle="-",
                              linewidth=8.0, alpha=0.12, solid_capstyle="butt")
            fitted.set_gid(f"{ids}-fit-{rank}")
        if scaled and s.power == plot.scaled_power:
            # |error| k^p tends to the constant c of c k^-p: 0.693 and 0.527 apart at a glance
            pts = [(a, 10.0 ** (v + plot.scaled_power * (-a if plot.distance else a))) for a, v in drawn if v is not None]
            twin, = axes[1].plot([x(a) for a, _ in pts], [c for _, c in pts], linestyle=s.dash,
                                 linewidth=max(2.4 - 0.35 * rank, 1.0), **style)
            twin.set_gid(f"{ids}-scaled-{rank}")
    for one in axes:
        one.set_xscale("log")
        one.xaxis.set_major_locator(LogLocator(numticks=9))
        one.xaxis.set_minor_locator(NullLocator())  # dozens of decades: minor ticks only clutter (and cost)
        if plot.distance:
            one.invert_xaxis()  # the distance shrinks towards the limit, drawn on the right
        one.grid(True, which="major", color="#e4e6ea", linewidth=0.8)
        one.set_axisbelow(True)
        one.set_xlabel(plot.xlabel)
    if plot.semilog:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=7, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    else:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(numticks=9))
        ax.yaxis.set_minor_locator(NullLocator())
    ax.set_ylim(y(floor - 0.04 * span), y(top + 0.06 * span))
    ax.set_ylabel(plot.ylabel)
    if scaled:
        p = f"{plot.scaled_power:.2f}".rstrip("0").rstrip(".")
        q = plot.variable
        if plot.distance:  # error ~ c |x - a|^p
            axes[1].set_ylabel(mathtext(f"|error| / {q}{'' if p == '1' else '^' + p}  (tends to c)"))
            axes[1].set_title(mathtext(f"the constants c of c {q}^{p}"), fontsize=9)
        else:
            q = q if re.fullmatch(r"\w+", q) else f"({q})"
            axes[1].set_ylabel(mathtext(f"|error| \u00d7 {q}{'' if p == '1' else '^' + p}  (tends to c)"))
            axes[1].set_title(mathtext(f"the constants c of c {q}^-{p}"), fontsize=9)
    handles, labels = ax.get_legend_handles_labels()
    handles += [Line2D([], [], color="#777777", linestyle="-", linewidth=8.0, alpha=0.2, solid_capstyle="butt"),
                Line2D([], [], color="#777777", marker="v", linestyle="none", markerfacecolor="none")]
    labels += ["the fitted rate, over the points it was read from", "below the working resolution"]
    fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.06, -0.02), frameon=False, fontsize=8.5,
               ncol=1, borderaxespad=0)
    return fig


def mathtext(text: str) -> str:
    """A legend's or a label's text for matplotlib: the label's own ``$...$`` and the rate's
    formulas (``~ 0.693 k^-1.00``, as the evidence states it) as mathtext, the rest as words.
    Text that mathtext cannot draw is shown as it is, every dollar a dollar.

    >>> mathtext("(11) at x = 1: ~ 0.693 k^-1.00")
    '(11) at $x = 1$: $\\\\sim 0.693\\\\,k^{-1.00}$'
    """
    from matplotlib.mathtext import MathTextParser

    shown = marked_prose(text)
    try:
        MathTextParser("path").parse(shown)
    except ValueError:  # TeX mathtext does not know
        return str(text).replace("$", r"\$")
    return shown


def _style():
    return {
        "svg.fonttype": "none",  # text stays text: searchable, and the browser's own sans font
        "svg.image_inline": True,
        "path.simplify": False,
        "font.family": "DejaVu Sans",
        "font.size": 9.5,
        "pdf.compression": 6,
        "pdf.fonttype": 42,
    }


def _drawing_style(extra=None):
    """matplotlib's own defaults with _style() on top, whatever the caller's rcParams (a
    matplotlibrc or a notebook's settings would otherwise change the bytes of a figure; with them
    fixed, a figure depends on its plot alone, which is what lets _remember keep it)."""
    import matplotlib.style

    return matplotlib.style.context(["default", {**_style(), **(extra or {})}])


def svg(plot: Plot) -> str:
    """The plot as an inline ``<svg>`` element (no XML prolog), byte-identical on every run: the
    ids inside are salted with the plot's digest, so two plots on one page never share one."""
    return _remember("svg", plot, _svg)


def _svg(plot: Plot) -> str:
    with _drawing_style({"svg.hashsalt": f"smoothsym-{plot.digest}"}):
        buffer = io.StringIO()
        fig = _figure(plot)
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "smoothsym"})
    text = buffer.getvalue()
    text = text[text.index("<svg"):].replace("<svg ", f'<svg class="plot" role="img" aria-label="{_attr(plot.title)}" ', 1)
    # inline in a page that shows several plots: matplotlib's own element ids (figure_1, axes_1,
    # ...; nothing refers to them) made unique, and its style kept to the plots
    text = re.sub(r' id="([A-Za-z][A-Za-z0-9.]*_\d+)"', lambda m: f' id="plot-{plot.digest}-{m.group(1)}"', text)
    return text.replace('<style type="text/css">*{', '<style type="text/css">svg.plot *{', 1)


def pdf(plot: Plot) -> bytes:
    """The plot as a PDF figure for pdflatex's \\includegraphics, with no date in it."""
    return _remember("pdf", plot, _pdf)


def _pdf(plot: Plot) -> bytes:
    with _drawing_style(), _font_subsets_kept():
        buffer = io.BytesIO()
        fig = _figure(plot)
        fig.savefig(buffer, format="pdf", bbox_inches="tight", metadata={"CreationDate": None, "ModDate": None, "Producer": "smoothsym",
                                                    "Creator": "smoothsym"})
    return buffer.getvalue()


# (font file, face, glyph indices) -> (the subset font's bytes, matplotlib's glyph index map)
_SUBSETS: OrderedDict[tuple, tuple[bytes, dict]] = OrderedDict()
KEPT_SUBSETS = 256  # a subset of DejaVu Sans for a figure's glyphs is ~10-20 kB


@contextmanager
def _font_subsets_kept():
    """matplotlib embeds each TrueType font of a PDF figure as a subset that fontTools cuts from
    the whole font file, about 0.13 s a font, half the time of drawing a PDF; yet the figures of a
    catalog use few glyph sets (the figures of seven pages: 104 subsets, 30 distinct). Within the
    block a subset is cut once per glyph set and then read back from its bytes, which are what
    matplotlib would write: the PDFs are byte-identical (the committed reports' figures are
    compared byte for byte by ``smoothsym report --check``). matplotlib's own function is
    restored after the block, so a user's figures in the same process are left as they are."""
    from fontTools.ttLib import TTFont
    from matplotlib.backends import _backend_pdf_ps

    original = _backend_pdf_ps.get_glyphs_subset

    def kept(fontfile, glyphs):
        glyphs = tuple(sorted(set(glyphs)))
        key = (str(fontfile), getattr(fontfile, "face_index", 0), glyphs)
        found = _SUBSETS.get(key)
        if found is None:
            with original(fontfile, set(glyphs)) as cut:
                found = (_backend_pdf_ps.font_as_file(cut.font).getvalue(), dict(cut.glyph_index_map))
            _SUBSETS[key] = found
            while len(_SUBSETS) > KEPT_SUBSETS:
                _SUBSETS.popitem(last=False)
        else:
            _SUBSETS.move_to_end(key)
        data, index_map = found
        # read back as fontTools' subsetter loads a font: no timestamp or bounds recomputed on save
        font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
        return _backend_pdf_ps.SubsetResults(font, dict(index_map))._as_cm()

    _backend_pdf_ps.get_glyphs_subset = kept
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = original


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


# -- figures drawn once per process, and ahead in several processes ----------------------------------

# (format, digest) -> the figure, for the plots drawn in this process (or drawn ahead for it), the
# least recently used forgotten first. A figure depends only on its plot (its digest is a hash of
# all of the plot's data; the style is fixed, see _drawing_style), so a page rendered again in the
# same process (a notebook's display, the report after the check) does not draw it again.
_DRAWN: OrderedDict[tuple[str, str], str | bytes] = OrderedDict()
KEPT_FIGURES = 512  # both formats of 256 plots, ~15 MB (an SVG ~30 kB, a PDF ~27 kB)


def _remember(kind: str, plot: Plot, draw):
    key = (kind, plot.digest)
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    figure = _stored(kind, plot.digest)
    if figure is None:
        figure = draw(plot)
        if _STORE:
            _STORE.save(kind, plot.digest, figure.encode("utf-8") if kind == "svg" else figure)
    _keep(key, figure)
    return figure


def _stored(kind: str, digest: str) -> str | bytes | None:
    """The figure as the active FigureStore holds it (an SVG as text), or None."""
    data = _STORE.load(kind, digest) if _STORE else None
    return data.decode("utf-8") if data is not None and kind == "svg" else data


def _keep(key: tuple[str, str], figure) -> None:
    _DRAWN[key] = figure
    while len(_DRAWN) > KEPT_FIGURES:
        _DRAWN.popitem(last=False)


FIGURE_FORMAT = "smoothsym-figure 1 hmac-sha256"


@functools.lru_cache(maxsize=1)
def drawing_fingerprint() -> str:
    """What a figure depends on besides its plot: the engine (its sources, which hold the style,
    the layout and the math-text marking), matplotlib's and fontTools' versions (the PDF's font
    subsetting) and the font files the figures use."""
    import fontTools
    import matplotlib
    from matplotlib import font_manager

    from .identity import engine_fingerprint

    fonts = []
    for family in (_style()["font.family"], "DejaVu Sans Mono", "STIXGeneral"):
        path = font_manager.findfont(family, fallback_to_default=True)
        fonts.append(f"{path}:{os.path.getsize(path)}")
    text = "\n".join([engine_fingerprint(), matplotlib.__version__, fontTools.version, *fonts])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class FigureStore:
    """Figures drawn by earlier runs, on disk, so that ``smoothsym report`` draws only the plots
    that changed: one file per figure, named by its plot's digest and ``drawing_fingerprint()``
    (a new engine, matplotlib or font draws again), signed as the verification cache's entries
    are (an HMAC-SHA256 under the same per-user secret, ``identity.load_secret``), written
    through a temporary file and a rename. A file that is not signed by that secret for that name
    and those bytes (edited, truncated, copied from another user) is drawn again and replaced,
    never shown. ``problem``: None, or why nothing is loaded or stored (the secret). Like the
    verification cache, a speed-up: ``--no-cache`` runs without it. A figure read is touched; the
    first store of a run removes the figure files no run has read or written for UNUSED_DAYS (the
    plots of edited derivations, the figures of older engines), so the folder does not only grow."""

    UNUSED_DAYS = 30

    def __init__(self, folder: str | os.PathLike, secret: str | os.PathLike | None = None) -> None:
        from .identity import load_secret

        self.folder = Path(folder)
        self._secret, self.problem = load_secret(Path(secret) if secret else None)
        self._pruned = False

    def path(self, kind: str, digest: str) -> Path:
        return self.folder / f"{digest}-{drawing_fingerprint()}.{kind}"

    def _header(self, kind: str, digest: str, data: bytes) -> bytes:
        from .identity import signature

        payload = f"{self.path(kind, digest).name}\n{hashlib.sha256(data).hexdigest()}"
        return f"{FIGURE_FORMAT} {signature(self._secret, FIGURE_FORMAT, payload)}\n".encode("ascii")

    def load(self, kind: str, digest: str) -> bytes | None:
        if self._secret is None:
            return None
        try:
            stored = self.path(kind, digest).read_bytes()
        except OSError:
            return None
        header, newline, data = stored.partition(b"\n")
        if not newline or not hmac.compare_digest(header + b"\n", self._header(kind, digest, data)):
            return None
        try:
            os.utime(self.path(kind, digest))  # in use: not pruned
        except OSError:
            pass
        return data

    def save(self, kind: str, digest: str, data: bytes) -> None:
        """Store a figure; a folder that cannot be written costs the speed-up only, never the run."""
        from .errors import SmoothsymError
        from .files import replace_atomically

        if self._secret is None:
            return
        if not self._pruned:
            self._pruned = True
            self._prune()
        try:
            replace_atomically(str(self.path(kind, digest)), self._header(kind, digest, data) + data)
        except (OSError, SmoothsymError):
            pass

    def _prune(self) -> None:
        import time

        oldest = time.time() - self.UNUSED_DAYS * 86400
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if not _FIGURE_FILE.fullmatch(name):
                continue
            try:
                if os.stat(self.folder / name).st_mtime < oldest:
                    os.unlink(self.folder / name)
            except OSError:  # another run removed it, or cannot: a speed-up only
                pass


_FIGURE_FILE = re.compile(r"[0-9a-f]{16}-[0-9a-f]{16}\.(svg|pdf)")
_STORE: FigureStore | None = None


@contextmanager
def figures_from(store: FigureStore | None):
    """Within the block, figures not drawn in this process yet are read from ``store`` (and the
    ones drawn are written to it); None: drawn, as without the block."""
    global _STORE
    previous, _STORE = _STORE, store
    try:
        yield
    finally:
        _STORE = previous


def forget_drawn() -> None:
    """Forget every figure drawn so far: the next ``svg`` or ``pdf`` draws it again (for tests
    that compare two drawings, or that make drawing fail)."""
    _DRAWN.clear()


def _at_hand(plot: Plot) -> bool:
    """Both figures of the plot drawn in this process already, or read now from the store."""
    for kind in ("svg", "pdf"):
        if (kind, plot.digest) in _DRAWN:
            continue
        stored = _stored(kind, plot.digest)
        if stored is None:
            return False
        _keep((kind, plot.digest), stored)
    return True


def _cost(plot: Plot) -> int:
    """A plot's drawing time, roughly: a figure, then its points (a second panel doubles them)."""
    points = sum(len(s.xs) for s in plot.series)
    return 40 + points * (2 if plot.scaled_power is not None else 1)


def _shares(plots: list[Plot], jobs: int) -> list[list[Plot]]:
    """The plots dealt out to ``jobs`` drawers, the costliest first to the least loaded."""
    shares: list[list[Plot]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for plot in sorted(plots, key=_cost, reverse=True):
        least = loads.index(min(loads))
        shares[least].append(plot)
        loads[least] += _cost(plot)
    return shares


def _draw(plots: list[Plot]) -> dict[str, tuple[str, bytes]]:
    """Each plot's SVG and PDF by digest; one that fails is left out (drawn again on demand,
    where its error is its page's)."""
    drawn = {}
    for plot in plots:
        try:
            drawn[plot.digest] = (svg(plot), pdf(plot))
        except Exception:  # noqa: BLE001 - the page that shows it reports the error
            continue
    return drawn


def _draw_in_child(plots: list[Plot], connection) -> None:
    connection.send(_draw(plots))
    connection.close()


@contextmanager
def drawn_ahead(plots, jobs: int = 1):
    """Within the block (and after it, while remembered), ``svg(p)`` and ``pdf(p)`` of these plots
    return what ``jobs`` processes drew ahead: ``jobs - 1`` forked children
    (``processes.start_child``: each dies with this process and ignores Ctrl-C) and this process,
    each a share of the plots not drawn yet. A figure depends only on its plot, so the bytes are
    those drawn one by one; a plot a child could not draw (it died, or the plot fails) is drawn
    when asked for. With one job, or a single plot to draw, nothing is drawn ahead."""
    unique = list({p.digest: p for p in plots if not _at_hand(p)}.values())
    if jobs <= 1 or len(unique) < 2:
        yield
        return
    _figure_modules()  # imported before the fork, not once in each child
    own, *others = _shares(unique, min(jobs, len(unique)))
    children = [processes.start_child(_draw_in_child, share) for share in others if share]
    ahead = {}
    try:
        ahead.update(_draw(own))
        for _process, connection in children:
            try:
                processes.wait_for([connection], math.inf)  # woken by a signal within SIGNAL_LATENCY
                ahead.update(connection.recv())
            except (EOFError, OSError):  # the child died: its plots are drawn when asked for
                pass
    finally:
        for process, connection in children:
            processes.stop(process, connection)
    for digest, (svg_text, pdf_bytes) in ahead.items():
        _keep(("svg", digest), svg_text)
        _keep(("pdf", digest), pdf_bytes)
    yield


def _figure_modules() -> None:
    import matplotlib.backends.backend_pdf  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
