"""Prose with inline math: a title's or a justification's ``$...$`` is TeX.

A derivation's title, a step's label and its ``why=`` are words with inline formulas written as
TeX between dollars, ``"the sigmoid's derivative is $\\sigma(a)(1 - \\sigma(a))$"``; ``\\$`` is a
dollar sign. The HTML report draws each formula as MathML (``mathml.tex_to_mathml``), the LaTeX
report passes it through as math; everything without markup (the terminal, error messages,
``--json``'s ``*_text`` fields, the pytest plugin, exported docstrings, a page's ``<title>``)
prints it as Unicode text through one function, ``plain``. The text is checked when the
derivation is built (``math_problem``, called by the model's validation), so a stray dollar or an
unknown command is a load error naming the file, line and step, never a page that pdflatex
rejects.

This module is plain text handling; it sits at the bottom of the import graph with the model.

>>> split(r"a \\$5 fee, and $x^2$ too")
[(False, 'a $5 fee, and '), (True, 'x^2'), (False, ' too')]
>>> print(math_problem("costs $x", "the step's why"))
the step's why 'costs $x' has an unbalanced '$' (at character 7): close the formula with '$', or write \\$ for a dollar sign
"""

from __future__ import annotations

import decimal
import re
import unicodedata

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

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
          "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega"}
_GREEK_NAME = "|".join(sorted(_GREEK - {"pi"}, key=len, reverse=True))
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
    rf"|(?P<coord>\b(?P<cn>(?:{_GREEK_NAME}|[A-Za-z])(?:_\w+)?) = (?P<cv>-?(?:sqrt\([0-9]+\)|pi|[0-9][0-9.]*(?:e-?[0-9]+)?)(?:/[0-9]+)?)(?![\w.(/])(?! [-+*/] ))"
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


LONG_FRACTION = 24  # digits of numerator and denominator beyond which a page shows leading digits


def long_fraction_tex(sign: str, top: int, bottom: int) -> str:
    """A long exact fraction (a searched point, 4419833687848160104843195097333/125 10^52) as its
    first six digits and an ellipsis: a fraction that long cannot break across a line, and its
    digits are in the evidence's reproduce line and the JSON."""
    with decimal.localcontext() as exact:
        exact.prec = 6
        exact.rounding = decimal.ROUND_DOWN
        quotient = decimal.Decimal(top) / decimal.Decimal(bottom)
    mantissa, _, exponent = f"{quotient:.5e}".partition("e")
    power = int(exponent)
    shown = f"{quotient:f}\\ldots" if -4 <= power < 6 else f"{mantissa}\\ldots \\cdot 10^{{{power}}}"
    return f"{'-' if sign else ''}{shown}"


def _number_tex(value: str) -> str:
    """A sample value as the engine writes it (-3/2, sqrt(2)/2, pi/4, 1.5e-8) in TeX."""
    fraction = _FRACTION.fullmatch(value)
    if fraction:
        sign, top, bottom = fraction.groups()
        if top.isdigit() and len(top) + len(bottom) > LONG_FRACTION:
            return long_fraction_tex(sign, int(top), int(bottom))
        return f"{'-' if sign else ''}\\frac{{{_tex_text(top)}}}{{{bottom}}}"
    mantissa, e, exponent = value.partition("e")
    if e:
        return f"{mantissa} \\cdot 10^{{{exponent}}}"
    return _tex_text(value)


_UNICODE_TEX = {
    "−": "-", "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "→": r"\to ", "∞": r"\infty ", "·": r"\cdot ",
    "×": r"\times ", "±": r"\pm ", "∂": r"\partial ", "∇": r"\nabla ", "Σ": r"\sum ", "∏": r"\prod ",
    "≈": r"\approx ", "∼": r"\sim ", "∈": r"\in ", "′": "'", "…": r"\ldots ", "ℓ": r"\ell ",
}


_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}


def _ascii_tex(tex: str) -> str | None:
    """The engine's TeX of a label's words with their Unicode as TeX ("e^{zᵢ − z_y}" as
    ``e^{z_{i} - z_y}``: a script letter as a script, a Greek letter or a sign as its command),
    or None when a character has no TeX command here.

    >>> _ascii_tex("e^{zᵢ − z_y}"), _ascii_tex("x²θ"), _ascii_tex("e^{☃}")
    ('e^{z_{i} - z_y}', 'x^{2}\\\\theta ', None)
    """
    out: list[str] = []
    for ch in tex:
        if ch.isascii():
            out.append(ch)
            continue
        if ch in _UNICODE_TEX:
            out.append(_UNICODE_TEX[ch])
            continue
        kind, _, code = unicodedata.decomposition(ch).partition(" ")
        mark = {"<sub>": "_", "<super>": "^"}.get(kind)
        if mark and code:
            base = _ascii_tex(chr(int(code, 16)))
            if base is None:
                return None
            if out and out[-1].startswith(mark + "{"):  # zᵢⱼ: one script, z_{ij}
                out[-1] = out[-1][:-1] + base + "}"
            else:
                out.append(f"{mark}{{{base}}}")
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("GREEK SMALL LETTER ") and name.rsplit(" ", 1)[-1].lower() in _GREEK | {"upsilon"}:
            out.append("\\" + name.rsplit(" ", 1)[-1].lower() + " ")
        elif name.startswith("GREEK CAPITAL LETTER ") and name.rsplit(" ", 1)[-1].capitalize() in _CAPITALS:
            out.append("\\" + name.rsplit(" ", 1)[-1].capitalize() + " ")
        else:
            return None
    return "".join(out)


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
        tex = _ascii_tex(_engine_tex(m))
        if tex is None:  # a letter TeX has no command for: left as words (escaped, so it prints)
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


# -- prose as plain text: what a terminal, --json's *_text fields and a page's <title> show ---------
# One function (``plain``) for every output without markup: each formula's TeX read into Unicode
# (σ, ≤, x², zᵢ, dσ/da, Σᵢ₌₁ⁿ, ∞), its words as written. It never fails: TeX it does not know
# is shown without its backslash (a formula refused at load is still quoted by its error as source).

_SYMBOLS = {
    # Greek (TeX's \epsilon and \phi are the lunate forms; a terminal reads ε and φ better)
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # relations and arrows
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼",
    "simeq": "≃", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "gets": "←", "mapsto": "↦", "Rightarrow": "⇒", "implies": "⇒", "Leftrightarrow": "⇔",
    "iff": "⇔", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "mid": "|", "uparrow": "↑",
    "downarrow": "↓", "searrow": "↘", "nearrow": "↗",
    # operators
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆", "circ": "∘",
    "cup": "∪", "cap": "∩", "setminus": "∖", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "oplus": "⊕",
    "otimes": "⊗",
    # big operators and other symbols
    "sum": "Σ", "prod": "Π", "int": "∫", "oint": "∮", "infty": "∞", "partial": "∂", "nabla": "∇",
    "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬", "emptyset": "∅", "varnothing": "∅", "ell": "ℓ",
    "hbar": "ℏ", "prime": "′", "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
    "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|", "vert": "|", "lVert": "‖", "rVert": "‖",
    "Vert": "‖", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "top": "⊤", "bot": "⊥",
    "quad": " ", "qquad": " ", "colon": ":",
}
_WORDS = {"ln", "log", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sec", "csc", "cot", "arcsin",
          "arccos", "arctan", "arg", "det", "dim", "ker", "gcd", "lim", "liminf", "limsup", "max", "min", "sup",
          "inf", "argmax", "argmin", "Pr", "erf", "erfc", "sgn"}
_BINARY = set("=<>+−±∓×÷∗∘≤≥≠≈∼≃≡∝≪≫→←↦⇒⇔∈∉⊂⊆∪∩∖∧∨⊕⊗")  # spaced in running text (· is not: 4.74·10⁻⁴)
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
            "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7"}
_FONTS = {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "boldsymbol", "bm", "operatorname", "mathcal",
          "mathscr", "mathfrak"}
_DOUBLE_STRUCK = dict(zip("RNZQCE", "ℝℕℤℚℂ𝔼"))
_SIZES = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
          "displaystyle", "textstyle", "limits", "nolimits"}
_SUPER = dict(zip("0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδφχθ",
                  "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᵠᵡᶿ"))
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
_TEX_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|.", re.S)


def plain(text: object, *, label: bool = False) -> str:
    """Prose as plain Unicode text: its words as written (``\\$`` a dollar), each ``$...$``
    formula read into Unicode. Prose whose dollars do not pair is shown as written. A step's
    ``label`` has its words read as the engine's notation too, as a page shows them
    (``marked_prose``): ``recipe: g^{-1}`` as ``recipe: g⁻¹``, ``x >= 0`` as ``x ≥ 0``.

    >>> plain(r"the sigmoid's derivative, $\\frac{d\\sigma}{da} = \\sigma(a)(1 - \\sigma(a))$, costs \\$0")
    "the sigmoid's derivative, dσ/da = σ(a)(1 − σ(a)), costs $0"
    >>> plain(r"$g^{-1}(x)$, $\\lim_{k \\to \\infty} L_k \\ge 0$, $\\sum_{i=1}^{n} e^{z_i - z_y}$")
    'g⁻¹(x), lim (k → ∞) Lₖ ≥ 0, Σᵢ₌₁ⁿ e^(zᵢ − z_y)'
    >>> plain(r"$\\ln(1 + e^{x})$, $\\sqrt{2\\pi}$, $\\frac{1}{1 + e^{-x}}$, $\\foo x$"), plain("costs $5")
    ('ln(1 + eˣ), √(2π), 1/(1 + e⁻ˣ), foo x', 'costs $5')
    >>> plain("recipe: g^{-1}, (11) when x, y >= 0", label=True), plain("g(t) -> 0 as t -> -oo", label=True)
    ('recipe: g⁻¹, (11) when x, y ≥ 0', 'g(t) → 0 as t → −∞')
    """
    if text is None:
        return ""
    text = marked_prose(text) if label else str(text)
    try:
        pieces = split(text)
    except ValueError:
        return text
    return "".join(math_text(piece) if is_math else piece for is_math, piece in pieces)


def math_text(tex: str) -> str:
    """One TeX formula as plain Unicode text (``plain`` reads each ``$...$`` with it)."""
    tokens = [t for t in _TEX_TOKEN.findall(tex)]
    items, _ = _read(tokens, 0, closing=None)
    return _joined(items, spaced=True)


# A formula is read into items, (kind, text): "ord" (a letter, a number, a group), "op" (a binary
# operator or a relation, spaced), "open", "close", "punct", "word" (ln, max: a space before a letter).

def _read(tokens: list[str], i: int, closing: str | None):
    items: list[tuple[str, str]] = []
    while i < len(tokens):
        token = tokens[i]
        if closing is not None and token == closing:
            return items, i + 1
        i += 1
        if token.isspace():
            continue
        if token in ("^", "_"):
            script, i = _argument(tokens, i)
            base = items.pop() if items else ("ord", "")
            items.append(_scripted(base, token, _joined(script, spaced=False), _joined(script, spaced=True)))
            continue
        if token == "{":
            group, i = _read(tokens, i, "}")
            items.append(("ord", _joined(group, spaced=True)))
            continue
        if token == "}":
            continue  # a stray brace (refused at load): dropped
        if token.startswith("\\"):
            item, i = _command(token[1:].rstrip("*"), tokens, i)
            if item is not None:
                items.append(item)
            continue
        items.append(_char(token))
    return items, i


def _char(ch: str) -> tuple[str, str]:
    if ch == "-":
        return ("op", "−")
    if ch == "'":
        return ("ord", "′")
    if ch in _BINARY:
        return ("op", ch)
    if ch in "([":
        return ("open", ch)
    if ch in ")]":
        return ("close", ch)
    if ch in ",;:!":
        return ("punct", ch)
    return ("ord", ch)


def _argument(tokens: list[str], i: int):
    """The next argument of a command or a script: a group, or one token."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return [], i
    if tokens[i] == "{":
        return _read(tokens, i + 1, "}")
    if tokens[i].startswith("\\"):
        item, j = _command(tokens[i][1:].rstrip("*"), tokens, i + 1)
        return ([item] if item else []), j
    return [_char(tokens[i])], i + 1


def _command(name: str, tokens: list[str], i: int):
    if name in ("frac", "dfrac", "tfrac"):
        top, i = _argument(tokens, i)
        bottom, i = _argument(tokens, i)
        parts = [_joined(part, spaced=True) for part in (top, bottom)]
        return ("ord", "/".join(p if _atomic(p) else f"({p})" for p in parts)), i
    if name == "sqrt":
        inner, i = _argument(tokens, i)
        shown = _joined(inner, spaced=True)
        return ("ord", "√" + (shown if len(shown) <= 1 or shown.isdigit() else f"({shown})")), i
    if name in ("text", "textrm", "textit", "textbf", "mbox"):
        words, i = _verbatim(tokens, i)
        return ("ord", words), i
    if name in _FONTS:
        inner, i = _argument(tokens, i)
        shown = _joined(inner, spaced=True)
        return (("word" if name == "operatorname" else "ord"), shown), i
    if name == "mathbb":
        inner, i = _argument(tokens, i)
        shown = _joined(inner, spaced=True)
        return ("ord", "".join(_DOUBLE_STRUCK.get(c, c) for c in shown)), i
    if name in _ACCENTS:
        inner, i = _argument(tokens, i)
        shown = _joined(inner, spaced=True)
        return ("ord", shown + _ACCENTS[name] if len(shown) == 1 else f"{name}({shown})"), i
    if name in _SIZES:
        return None, i  # \left( is its bracket, read next; \left. is nothing
    if name in _WORDS:
        return ("word", name), i
    if name in ("sum", "prod", "int", "oint"):
        return ("word", _SYMBOLS[name]), i  # a big operator: a space before its operand
    if name in _SYMBOLS:
        symbol = _SYMBOLS[name]
        return (_char(symbol)[0] if symbol not in "|" else "ord", symbol), i
    if name in (",", ";", ":", ">", " ", "~"):
        return ("ord", " "), i
    if name in ("!", "/"):
        return None, i
    if len(name) == 1 and not name.isalpha():  # \{ \} \$ \% \# \& \_ \|
        return ("ord", {"|": "‖"}.get(name, name)), i
    return ("word", name), i  # a command not known here: its name, without the backslash


def _verbatim(tokens: list[str], i: int):
    """\\text{...}'s words as written (its spaces kept, nested braces read)."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens) or tokens[i] != "{":
        return "", i
    depth, out, i = 1, [], i + 1
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                break
        out.append(token[1:] if token.startswith("\\") and len(token) == 2 else token)
    return "".join(out), i


def _atomic(text: str) -> bool:
    """Whether ``text`` reads as one factor beside a slash (dσ, ∂fⱼ, 2π; not 1 + x)."""
    return bool(text) and not any(c.isspace() or c in "+−-=<>≤≥/·×,;:" for c in text)


def _scripted(base: tuple[str, str], mark: str, script: str, spaced: str) -> tuple[str, str]:
    """``base`` with a superscript or subscript: in Unicode where it has every character (x², zᵢ,
    Σᵢ₌₁ⁿ, g⁻¹), else ``x^(...)`` (``z_y``, ``e^(−k|x − y|)``); a prime is a prime (f′)."""
    kind, shown = base
    table = _SUPER if mark == "^" else _SUB
    if script in ("′", "′′"):
        return (kind, shown + script)
    if script and all(c in table for c in script):
        return (kind, shown + "".join(table[c] for c in script))
    if kind == "word" and mark == "_" and shown in _WORDS:  # lim (k → ∞), max (i ≠ y): read aloud so too
        return (kind, f"{shown} ({spaced})")
    if len(script) == 1:
        return (kind, f"{shown}{mark}{script}")
    return (kind, f"{shown}{mark}({spaced})")


def _joined(items: list[tuple[str, str]], spaced: bool) -> str:
    """Items as text: in running text (``spaced``) a relation or a binary operator between spaces,
    a sign (after an operator, a bracket, a comma or at the start) against its operand, a space
    after a comma and after a function's name before its argument; in a script, no spaces."""
    out: list[str] = []
    previous = None
    for kind, shown in items:
        if not shown:
            continue
        if kind == "op" and spaced:
            sign = shown in "−+±∓" and previous in (None, "op", "open", "punct")
            out.append(shown if sign else f" {shown} ")
            kind = "sign" if sign else kind
        elif kind == "punct" and spaced and shown in ",;":
            out.append(shown + " ")
        elif kind in ("word", "ord") and previous == "word" and spaced and not shown[0] in "(^_":
            out.append(" " + shown)  # ln s, max x
        elif kind == "word" and previous in ("ord", "close") and spaced:
            out.append(" " + shown)  # k max, 1/k ln(...)
        else:
            out.append(shown)
        previous = kind
    return re.sub(r"\s+", " ", "".join(out)).strip()
