"""Presentation MathML for the HTML reports: SymPy's printer, fixed where browsers need it.

SymPy's presentation printer is close to what Chromium (MathML Core) renders, with these gaps
this module closes:

- its text nodes are written raw, so a relation prints ``<mo><</mo>`` and breaks the page:
  ``<``, ``>`` and stray ``&`` are escaped, named entities become numeric references;
- ``e`` and ``d`` come out as the double-struck U+2147/U+2146, which the math fonts draw as
  outline letters: they are printed as an upright ``e`` and ``d``;
- ``Piecewise`` prints as ``piecewise((1, x > 0), ...)``: it is printed as cases, a brace and a
  table;
- ``Heaviside(x)`` prints its second argument, ``Θ(x, 1/2)``: it is printed as ``θ(x)``;
- a bare negative number, ``-1``, comes out as two nodes once its minus is a real minus sign:
  they are wrapped in one row (a claim ``Limit(k, -1)`` broke the page's XML);
- ``d/dx (-ln x)`` prints as ``d/dx - ln x``, which reads as a difference: it is bracketed, as a
  sum is;
- ``KroneckerDelta(i, j)`` prints as ``kroneckerdelta(i, j)``: it is printed as ``δ_ij``;
- Chromium draws stretchy parentheses from the font's size variants, with a gap inside:
  parentheses around nothing tall (no fraction, table, limit) are marked ``stretchy="false"``.

The caller wraps the result in ``<math>`` (the templates decide inline or display).

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> print(to_mathml(sp.exp(x)))
<msup><mi mathvariant="normal">e</mi><mi>x</mi></msup>
>>> print(to_mathml(x < 1))
<mrow><mi>x</mi><mo>&lt;</mo><mn>1</mn></mrow>
>>> print(to_mathml(sp.log(x)))
<mrow><mi>ln</mi><mrow><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow></mrow>
>>> ">(</mo>" in to_mathml(sp.Derivative(x**2 + x, x))  # d/dx (x^2 + x), not (d/dx x^2) + x
True
>>> i, j = sp.symbols("i j", integer=True)
>>> print(to_mathml(sp.KroneckerDelta(i, j)))
<msub><mi>δ</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub>
>>> print(to_mathml(sp.Integer(-1)))  # a claim Limit(k, -1) prints its -1 as a minus and a 1
<mrow><mo>−</mo><mn>1</mn></mrow>
>>> print(to_mathml(sp.Derivative(-sp.log(x), x)))  # d/dx (-ln x), not d/dx - ln x
<mrow><mfrac><mrow><mi mathvariant="normal">d</mi></mrow><mrow><mi mathvariant="normal">d</mi><mi>x</mi></mrow></mfrac><mrow><mo stretchy="false">(</mo><mrow><mo>−</mo><mrow><mi>ln</mi><mrow><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow></mrow></mrow><mo stretchy="false">)</mo></mrow></mrow>
>>> print(to_mathml(sp.Heaviside(x) - 1))
<mrow><mrow><mi>θ</mi><mrow><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></mrow></mrow><mo>−</mo><mn>1</mn></mrow>
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as ET

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);")


def _escape_text(data: str) -> str:
    """Escape raw text for XML, keeping the entity references the printer writes on purpose."""
    out = []
    last = 0
    for match in _ENTITY.finditer(data):
        out.append(_escape_plain(data[last:match.start()]))
        out.append(_entity(match.group(1)))
        last = match.end()
    out.append(_escape_plain(data[last:]))
    return "".join(out)


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entity(name: str) -> str:
    """A named entity as a numeric reference (valid in HTML, XHTML and XML alike); the final
    ElementTree pass writes it as the character itself (the pages are UTF-8)."""
    if name.startswith("#"):
        return f"&{name};"
    chars = html.entities.html5.get(name + ";")
    if chars is None:
        return f"&amp;{name};"
    return "".join(f"&#x{ord(c):X};" for c in chars)


class ReportMathMLPrinter(MathMLPresentationPrinter):
    """SymPy's presentation printer with the fixes listed in the module docstring."""

    def __init__(self, settings=None):
        super().__init__({"ln_notation": True, **(settings or {})})
        raw = self.dom.createTextNode

        def escaped(data):
            return raw(_escape_text(str(data)))

        self.dom.createTextNode = escaped

    def _upright(self, letter: str):
        mi = self.dom.createElement("mi")
        mi.setAttribute("mathvariant", "normal")
        mi.appendChild(self.dom.createTextNode(letter))
        return mi

    def _print_Exp1(self, e):
        return self._upright("e")

    def _print_Heaviside(self, e):
        mrow = self.dom.createElement("mrow")
        mi = self.dom.createElement("mi")
        mi.appendChild(self.dom.createTextNode("\u03b8"))
        mrow.appendChild(mi)
        mrow.appendChild(self._paren_comma_separated(e.args[0]))
        return mrow

    def _print_KroneckerDelta(self, e):
        # SymPy's presentation printer has no rule for it and writes kroneckerdelta(i, j):
        # the Kronecker delta is δ with its two indices as a subscript, δ_ij (δ_{i,j+1} when an
        # index is more than one letter or digit)
        msub = self.dom.createElement("msub")
        mi = self.dom.createElement("mi")
        mi.appendChild(self.dom.createTextNode("\u03b4"))
        msub.appendChild(mi)
        indices = self.dom.createElement("mrow")
        simple = all(isinstance(a, (sp.Symbol, sp.Integer)) and len(str(a)) == 1 for a in e.args)
        for number, index in enumerate(e.args):
            if number and not simple:
                comma = self.dom.createElement("mo")
                comma.appendChild(self.dom.createTextNode(","))
                indices.appendChild(comma)
            indices.appendChild(self._print(index))
        msub.appendChild(indices)
        return msub

    def _print_Piecewise(self, e):
        mrow = self.dom.createElement("mrow")
        brace = self.dom.createElement("mo")
        brace.appendChild(self.dom.createTextNode("{"))
        mrow.appendChild(brace)
        table = self.dom.createElement("mtable")
        table.setAttribute("columnalign", "left left")
        for value, condition in e.args:
            row = self.dom.createElement("mtr")
            cell = self.dom.createElement("mtd")
            cell.appendChild(self._print(value))
            row.appendChild(cell)
            cell = self.dom.createElement("mtd")
            text = self.dom.createElement("mtext")
            if condition == sp.true:
                text.appendChild(self.dom.createTextNode("\u2003otherwise"))
                cell.appendChild(text)
            else:
                text.appendChild(self.dom.createTextNode("\u2003if\u2002"))
                cell.appendChild(text)
                cell.appendChild(self._print(condition))
            row.appendChild(cell)
            table.appendChild(row)
        mrow.appendChild(table)
        return mrow

    def _print_Derivative(self, e):
        # SymPy prints d/dx (a + b) as d/dx a + b, which reads as (d/dx a) + b, and d/dx (-ln x) as
    # d/dx - ln x, which reads as a difference: a sum and a negated term are bracketed
        mrow = super()._print_Derivative(e)
        if isinstance(e.expr, sp.Add) or e.expr.could_extract_minus_sign():  # and d/dx (-ln x)
            body = mrow.lastChild
            mrow.removeChild(body)
            fenced = self.dom.createElement("mrow")
            for text, node in (("(", None), (None, body), (")", None)):
                if node is None:
                    node = self.dom.createElement("mo")
                    node.appendChild(self.dom.createTextNode(text))
                fenced.appendChild(node)
            mrow.appendChild(fenced)
        return mrow

    def _print_Order(self, e):
        # SymPy prints O(x^5) as order(x^5, (x, 0)): it is printed as O(x^5), O((x - a)^n; x -> a)
        mrow = self.dom.createElement("mrow")
        mi = self.dom.createElement("mi")
        mi.appendChild(self.dom.createTextNode("O"))
        mrow.appendChild(mi)
        inside = self.dom.createElement("mrow")
        inside.appendChild(self._print(e.expr))
        if e.point and any(p != 0 for p in e.point):
            semicolon = self.dom.createElement("mo")
            semicolon.appendChild(self.dom.createTextNode(";"))
            inside.appendChild(semicolon)
            for variable, point in zip(e.variables, e.point):
                inside.appendChild(self._print(variable))
                arrow = self.dom.createElement("mo")
                arrow.appendChild(self.dom.createTextNode("\u2192"))
                inside.appendChild(arrow)
                inside.appendChild(self._print(point))
        fenced = self.dom.createElement("mrow")
        for text, node in (("(", None), (None, inside), (")", None)):
            if node is None:
                node = self.dom.createElement("mo")
                node.appendChild(self.dom.createTextNode(text))
            fenced.appendChild(node)
        mrow.appendChild(fenced)
        return mrow

    def _print_Max(self, e):
        return self._named_function("max", e.args)

    def _print_Min(self, e):
        return self._named_function("min", e.args)

    def _named_function(self, name, args):
        mrow = self.dom.createElement("mrow")
        mi = self.dom.createElement("mi")
        mi.appendChild(self.dom.createTextNode(name))
        mrow.appendChild(mi)
        mrow.appendChild(self._paren_comma_separated(*sorted(args, key=sp.default_sort_key)))
        return mrow

    def mathml_tag(self, e):
        tag = super().mathml_tag(e)
        # d/dx: SymPy's U+2146 is drawn double-struck; to_mathml makes it an upright d
        return "d" if tag == "&dd;" else tag


def to_mathml(expr) -> str:
    """The presentation MathML of a SymPy expression (or relation), without the ``<math>`` wrapper."""
    printer = ReportMathMLPrinter()
    text = printer.doprint(sp.sympify(expr))
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    return _fix_fences(text)


_TALL = {"mfrac", "mtable", "munder", "mover", "munderover", "msqrt", "mroot"}
_FENCES = {"(": ")", "[": "]"}


def _fix_fences(text: str) -> str:
    """Parentheses around nothing tall are made non-stretchy: Chromium otherwise draws them from
    the font's stretchy variants, with a visible gap inside, as in ``ln ( x )``."""
    # the minus of -1 becomes its own <mo>, so a bare negative number is two nodes: one row
    root = ET.fromstring(f"<mrow>{text}</mrow>")
    if len(root) == 1 and not (root.text or "").strip():
        root = root[0]
    for row in root.iter():
        children = list(row)
        for i, child in enumerate(children):
            if child.tag != "mo" or child.text not in _FENCES:
                continue
            depth = 0
            for j in range(i + 1, len(children)):
                other = children[j]
                if other.tag == "mo" and other.text == child.text:
                    depth += 1
                elif other.tag == "mo" and other.text == _FENCES[child.text]:
                    if depth == 0:
                        inside = children[i + 1:j]
                        if not any(e.tag in _TALL for node in inside for e in node.iter()):
                            child.set("stretchy", "false")
                            other.set("stretchy", "false")
                        break
                    depth -= 1
    return ET.tostring(root, encoding="unicode")


_UPRIGHT_D = '<mi mathvariant="normal">d</mi>'
# the differential d upright, and a real minus sign (U+2212) instead of the ASCII hyphen
_TIDY = (
    (re.compile(r"<mo>(?:d|&#x2146;)</mo>"), _UPRIGHT_D),
    (re.compile(r"<mo>-</mo>"), "<mo>&#x2212;</mo>"),
    (re.compile(r"<mn>-([0-9])"), r"<mo>&#x2212;</mo><mn>\1"),
)


# -- inline TeX of prose (a title's or a justification's $...$) ----------------------------------

_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
# TeX that latex2mathml draws as an identifier although it is an operator or a spacing
_TEX_OPERATORS = {"~": "\u223c"}  # \sim comes out as <mi>~</mi>


def _tex_tree(tex: str) -> ET.Element:
    """latex2mathml's MathML of ``tex`` as an element tree, namespace dropped, its ``<math>``
    wrapper replaced by an ``<mrow>``."""
    from latex2mathml.converter import convert  # TeX -> MathML Core; pure Python, no network

    root = ET.fromstring(convert(tex))
    for node in root.iter():
        if node.tag.startswith(_MATHML_NS):
            node.tag = node.tag[len(_MATHML_NS):]
        if node.tag == "mi" and node.text in _TEX_OPERATORS:
            node.tag, node.text = "mo", _TEX_OPERATORS[node.text]
    root.tag = "mrow"
    root.attrib.clear()
    for row in list(root.iter()):
        _space_functions(row)
        _prefix_signs(row)
    if len(root) == 1 and root[0].tag == "mrow" and not root[0].attrib:
        root = root[0]
    return root


_FUNCTIONS = {"ln", "log", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sec", "csc", "cot", "arg", "det"}
_MINUS = "\u2212"


def _space_functions(row: ET.Element) -> None:
    """``\\ln s`` comes out as ``<mi>ln</mi><mi>s</mi>``, drawn "lns": a thin space after a function
    name, as TeX puts one, unless a bracket follows (``ln(1 + u)``)."""
    children = list(row)
    for i, child in enumerate(children[:-1]):
        after = children[i + 1]
        if child.tag == "mi" and child.text in _FUNCTIONS and not (after.tag == "mo" and after.text in ("(", "[", "|")):
            space = ET.Element("mspace", width="0.1667em")
            row.insert(list(row).index(child) + 1, space)


def _prefix_signs(row: ET.Element) -> None:
    """A minus sign after a relation or an opening bracket (``t = -1000``) is the number's sign:
    it and its operand in one row make it a prefix operator, drawn without a binary gap."""
    children = list(row)
    i = 0
    while i < len(children) - 1:
        child = children[i]
        before = children[i - 1] if i else None
        if child.tag == "mo" and child.text in (_MINUS, "-") and (before is None or before.tag == "mo") and i + 1 < len(children):
            operand = children[i + 1]
            if not (operand.tag == "mo"):
                at = list(row).index(child)
                row.remove(child)
                row.remove(operand)
                sign = ET.Element("mrow")
                sign.extend([child, operand])
                row.insert(at, sign)
                i += 2
                continue
        i += 1


def tex_problem(tex: str) -> str | None:
    """Why the TeX formula ``tex`` cannot be drawn as MathML, or None: a command the converter
    does not know (it would print its name), or TeX it cannot parse.

    >>> print(tex_problem(r"\\frac{d\\sigma}{da}")), print(tex_problem(r"\\foo x"))
    None
    uses \\foo, which is not a known math command
    (None, None)
    """
    try:
        root = _tex_tree(tex)
    except Exception as exc:  # latex2mathml's own errors name the construct it could not read
        return f"cannot be read as TeX ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"
    for node in root.iter():
        if node.text and node.text.startswith("\\") and len(node.text) > 1:
            return f"uses {node.text}, which is not a known math command"
    return None


def tex_to_mathml(tex: str) -> str:
    """The presentation MathML of a TeX formula, without the ``<math>`` wrapper.

    >>> print(tex_to_mathml(r"y(1 - y)"))
    <mrow><mi>y</mi><mo stretchy="false">(</mo><mn>1</mn><mo>−</mo><mi>y</mi><mo stretchy="false">)</mo></mrow>
    """
    return ET.tostring(_tex_tree(tex), encoding="unicode")
