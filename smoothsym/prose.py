"""Prose with inline math: a title's or a justification's ``$...$`` is TeX.

A derivation's title, a step's label and its ``why=`` are words with inline formulas written as
TeX between dollars, ``"the sigmoid's derivative is $\\sigma(a)(1 - \\sigma(a))$"``; ``\\$`` is a
dollar sign. The HTML report draws each formula as MathML (``mathml.tex_to_mathml``), the LaTeX
report passes it through as math. The text is checked when the derivation is built
(``math_problem``, called by the model's validation), so a stray dollar or an unknown command is
a load error naming the file, line and step, never a page that pdflatex rejects.

This module is plain text handling; it sits at the bottom of the import graph with the model.

>>> split(r"a \\$5 fee, and $x^2$ too")
[(False, 'a $5 fee, and '), (True, 'x^2'), (False, ' too')]
>>> print(math_problem("costs $x", "the step's why"))
the step's why 'costs $x' has an unbalanced '$' (at character 7): close the formula with '$', or write \\$ for a dollar sign
"""

from __future__ import annotations

import re

# What a formula may not hold: TeX's comment, parameter and alignment characters (unescaped)
# would end or break the LaTeX page around it; text mode commands do not belong in math.
_FORBIDDEN = re.compile(r"(?<!\\)[%#&]")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_OUTSIDE_MATH = {"input", "include", "write", "openout", "read", "def", "newcommand", "renewcommand", "catcode",
                 "immediate", "csname", "endcsname", "begin", "end", "usepackage", "documentclass"}


def split(text: str) -> list[tuple[bool, str]]:
    """``text`` as (is_math, piece) pairs in order: words (``\\$`` a dollar) and the TeX between
    dollars. Raises ValueError for an unbalanced dollar (``math_problem`` says it in words)."""
    pieces: list[tuple[bool, str]] = []
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] == "$":
            words.append("$")
            i += 2
            continue
        if ch == "$":
            end = _closing(text, i + 1)
            if end is None:
                raise ValueError(i)
            if words:
                pieces.append((False, "".join(words)))
                words = []
            pieces.append((True, text[i + 1:end]))
            i = end + 1
            continue
        words.append(ch)
        i += 1
    if words:
        pieces.append((False, "".join(words)))
    return pieces


def _closing(text: str, start: int) -> int | None:
    """The index of the dollar closing a formula opened before ``start`` (``\\$`` inside it is
    TeX's escaped dollar, not the end)."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "$":
            return i
        i += 1
    return None


def has_math(text: str) -> bool:
    return "$" in str(text)


def math_problem(text: object, what: str) -> str | None:
    """Why the inline math of ``text`` cannot be typeset, or None.

    >>> print(math_problem(r"$\\frac{1}{2$ of it", "the title"))
    the title: the formula $\\frac{1}{2$ has unbalanced braces
    >>> print(math_problem(r"$\\input{x}$", "the title"))
    the title: the formula $\\input{x}$ uses \\input, which is not a math command
    """
    if not isinstance(text, str) or "$" not in text:
        return None
    shown = text if len(text) <= 60 else text[:57] + "..."
    try:
        pieces = split(text)
    except ValueError as exc:
        return (f"{what} {shown!r} has an unbalanced '$' (at character {exc.args[0] + 1}): close the formula "
                "with '$', or write \\$ for a dollar sign")
    for is_math, tex in pieces:
        if not is_math:
            continue
        if not tex.strip():
            return f"{what} {shown!r} has an empty formula '$$': write \\$\\$ for two dollar signs"
        depth = 0
        for m in re.finditer(r"\\[{}]|[{}]", tex):
            if len(m.group(0)) == 1:
                depth += 1 if m.group(0) == "{" else -1
                if depth < 0:
                    break
        if depth != 0:
            return f"{what}: the formula ${tex}$ has unbalanced braces"
        foreign = next((ch for ch in tex if not ch.isascii()), None)
        if foreign:
            return (f"{what}: the formula ${tex}$ holds {foreign!r}, which pdflatex cannot set in math: "
                    "write it as a TeX command (\\theta, \\le, \\sum, ...)")
        forbidden = _FORBIDDEN.search(tex)
        if forbidden:
            return f"{what}: the formula ${tex}$ holds {forbidden.group(0)!r}, which LaTeX reads as markup: write \\{forbidden.group(0)}"
        for name in _COMMAND.findall(tex):
            if name in _OUTSIDE_MATH:
                return f"{what}: the formula ${tex}$ uses \\{name}, which is not a math command"
        from .mathml import tex_problem  # the MathML converter knows which commands it draws

        problem = tex_problem(tex)
        if problem:
            return f"{what}: the formula ${tex}$ {problem}"
    return None


# -- the engine's evidence text, its math marked -----------------------------------------------
# The checks write their evidence as plain text ("lim_(k->oo) previous = claim", "~ 0.693 k^-1.00",
# "~ c e^(-0.5 k)", "always >= 0"): what they say is data the plots and the JSON output read too.
# For a page it is marked here: each formula becomes $TeX$, the relations become their signs.

_NAME = r"[A-Za-z]\w*"
_TO = r"-?oo|[-+]?[0-9.]+[+-]?|[A-Za-z]\w*"
_GROUP = r"\|[^|]+\||\([^()]*\)"
_ENGINE = re.compile(
    rf"(?P<lim>lim_\((?P<lv>{_NAME})\s*->\s*(?P<lto>{_TO})\))"
    rf"|(?P<deriv>\bd/d(?P<dv>{_NAME}))"
    rf"|(?P<big>\bO\((?P<order>[^()]*(?:\([^()]*\)[^()]*)*)\))"
    rf"|(?P<rate>~ (?:(?P<c>[0-9][-+0-9.e]*)|c) (?P<base>{_GROUP}|e|{_NAME})\^(?P<exp>\([^()]*\)|-?[0-9.]+))"
    rf"|(?P<power>(?P<pb>{_GROUP}|\b{_NAME}|\b[0-9]+)\^(?P<pe>\{{[^{{}}]*\}}|\([^()]*\)|-?[\w.]+))"
    rf"|(?P<arrow>\b(?P<av>[A-Za-z](?:_\w+)?) -> (?P<ato>{_TO}))"
    rf"|(?P<coord>\b(?P<cn>[A-Za-z](?:_\w+)?) = (?P<cv>-?(?:sqrt\([0-9]+\)|pi|[0-9][0-9.]*(?:e-?[0-9]+)?)(?:/[0-9]+)?)(?![\w.(/])(?! [-+*/] ))"
)
_FRACTION = re.compile(r"(-?)(sqrt\([0-9]+\)|pi|[0-9.]+)/([0-9]+)")
_SIGNS = (("<=", "\u2264"), (">=", "\u2265"), ("!=", "\u2260"), ("->", "\u2192"))


def _tex_name(name: str) -> str:
    """A symbol's name in TeX: z_1 as z_{1}, a Greek name as its letter."""
    head, _, sub = name.partition("_")
    if head in _GREEK:
        head = "\\" + head
    elif len(head) > 1:
        head = f"\\mathrm{{{head}}}"
    return f"{head}_{{{sub}}}" if sub else head


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
          "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega"}


def _tex_text(text: str) -> str:
    """A short formula of the engine's (an exponent, an order, a limit point) in TeX."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1]:
        text = text[1:-1]
    text = re.sub(r"\boo\b", r"\\infty", text)
    text = re.sub(r"\bsqrt\(([^()]*)\)", r"\\sqrt{\1}", text)
    text = re.sub(rf"\b{_NAME}\b", lambda m: m.group(0) if m.group(0) in ("infty", "sqrt") else _tex_name(m.group(0)), text)
    text = re.sub(rf"({_GROUP}|\\?\w+|[0-9]+)\^\(?(-?[\w.]+)\)?", r"\1^{\2}", text)
    return text.replace("*", r"\,").replace("\\mathrm{infty}", "\\infty")


def _limit_point(to: str) -> str:
    if to.endswith(("+", "-")) and len(to) > 1:
        return f"{_tex_text(to[:-1])}^{to[-1]}"
    return _tex_text(to)


def _engine_tex(m: re.Match) -> str:
    if m.group("lim"):
        return rf"\lim_{{{_tex_name(m.group('lv'))} \to {_limit_point(m.group('lto'))}}}"
    if m.group("deriv"):
        return rf"\frac{{d}}{{d{_tex_name(m.group('dv'))}}}"
    if m.group("big"):
        return f"O({_tex_text(m.group('order'))})"
    if m.group("rate"):
        c = m.group("c") or "c"
        base = m.group("base")
        return rf"\sim {c}\,{_tex_text(base) if base != 'e' else 'e'}^{{{_tex_text(m.group('exp'))}}}"
    if m.group("power"):
        exponent = m.group("pe")
        exponent = exponent[1:-1] if exponent.startswith("{") else _tex_text(exponent)
        return f"{_tex_text(m.group('pb'))}^{{{exponent}}}"
    if m.group("arrow"):
        return rf"{_tex_name(m.group('av'))} \to {_limit_point(m.group('ato'))}"
    return f"{_tex_name(m.group('cn'))} = {_number_tex(m.group('cv'))}"


def _number_tex(value: str) -> str:
    """A sample value as the engine writes it (-3/2, sqrt(2)/2, pi/4, 1.5e-8) in TeX."""
    fraction = _FRACTION.fullmatch(value)
    if fraction:
        sign, top, bottom = fraction.groups()
        return f"{'-' if sign else ''}\\frac{{{_tex_text(top)}}}{{{bottom}}}"
    mantissa, e, exponent = value.partition("e")
    if e:
        return f"{mantissa} \\cdot 10^{{{exponent}}}"
    return _tex_text(value)


def escaped(text: str) -> str:
    """Words as prose that holds no formula: each dollar written \\$."""
    return str(text).replace("$", "\\$")


def marked(text: str) -> str:
    """The engine's evidence text as prose: its formulas as $TeX$, its relations as signs.

    >>> marked("lim_(k->oo) previous = claim"), marked("previous >= claim")
    ('$\\\\lim_{k \\\\to \\\\infty}$ previous = claim', 'previous ≥ claim')
    >>> marked("~ 0.693 k^-1.00"), marked("~ c e^(-0.5 k) (exponential)")
    ('$\\\\sim 0.693\\\\,k^{-1.00}$', '$\\\\sim c\\\\,e^{-0.5 k}$ (exponential)')
    >>> marked("d/dz_1 previous = claim; costs $5")
    '$\\\\frac{d}{dz_{1}}$ previous = claim; costs \\\\$5'
    """
    out, last = [], 0
    text = str(text)
    for m in _ENGINE.finditer(text):
        tex = _engine_tex(m)
        if not tex.isascii():  # "e^{zᵢ − z_y}" in a label: TeX has no such letters; left as words
            continue
        out.append(_signs(escaped(text[last:m.start()])))
        out.append(f"${tex}$")
        last = m.end()
    out.append(_signs(escaped(text[last:])))
    return "".join(out)


def marked_prose(text: str) -> str:
    """Prose whose ``$...$`` is already TeX, its other words read as the engine's text (a step's
    label, "recipe: g^{-1}, (11)", also names the step in tests and messages, so it stays as
    written in the source and is typeset here).

    >>> marked_prose("recipe: g^{-1}, (11)"), marked_prose("$x$ >= 0")
    ('recipe: $g^{-1}$, (11)', '$x$ ≥ 0')
    """
    try:
        pieces = split(str(text))
    except ValueError:  # refused at load; a page built without the model's validation shows it as words
        return escaped(text)
    return "".join(f"${piece}$" if is_math else marked(piece) for is_math, piece in pieces)


def _signs(words: str) -> str:
    for ascii_sign, sign in _SIGNS:
        words = words.replace(ascii_sign, sign)
    return re.sub(r"\boo\b", "\u221e", words)
