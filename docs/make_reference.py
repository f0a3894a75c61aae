"""Write docs/reference.md, the reference of the step kinds, from the code itself.

Run by hand after changing a step kind (its docstring, its fields or their defaults)::

    .venv/bin/python docs/make_reference.py

Each kind registered in ``smoothsym.model.STEP_KINDS`` gets a section: its rule (the class
docstring, as written), its signature and arguments with their defaults (the dataclass fields,
with the comment written on a field's line as its meaning) and an example, a derivation file in
miniature kept below in ``EXAMPLES``. ``Derivation``, the keywords common to every step and
``Condition`` get one each too. The output depends only on the code: the same tree gives the same
page, byte for byte. ``tests/test_reference.py`` fails when the page is stale, runs every example
as written and verifies it with the default profile, and checks every registered kind is here.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import smoothsym.steps  # noqa: E402,F401 - the kinds register themselves in STEP_KINDS when imported
from smoothsym.model import STEP_KINDS, Derivation, Step  # noqa: E402
from smoothsym.steps import Condition  # noqa: E402

PAGE = ROOT / "docs" / "reference.md"
COMMAND = ".venv/bin/python docs/make_reference.py"

# Fields every kind inherits from Step (documented once, under "Keywords of every step"); the
# location is recorded by the constructor (the caller's file and line), never given.
COMMON = tuple(f.name for f in dataclasses.fields(Step) if f.name != "location")
HIDDEN = ("location",)

# What is documented next to a kind: its section is followed by theirs.
COMPANIONS = {"integrate": (Condition,)}

# One example per section, keyed by the kind's registered name (or "Derivation", "Step",
# "Condition"). Each is a complete derivation file in miniature: it imports what it uses and
# defines its Derivation(s) at the top level, as a file in derivations/ does; every step in it
# passes under the default profile (tests/test_reference.py verifies it as printed).
EXAMPLES = {
    "Derivation": '''
from sympy import Eq, Symbol, sqrt

from smoothsym import Derivation, Given, Rewrite

x = Symbol("x", real=True)

derivation = Derivation(
    name="root-of-square",
    title="sqrt(x^2) = x for x >= 0",
    symbols=(x,),
    domain=(x >= 0,),
    source="(1)",
    conclusion=Eq(sqrt(x**2), x),
    steps=[
        Given(sqrt(x**2), label="(1)", why="the root of a square (SymPy writes it |x| for real x)"),
        Rewrite(x, label="(1)", why="|x| = x on the domain x >= 0"),
    ],
)
''',
    "Step": '''
from sympy import Symbol, exp, log, sqrt

from smoothsym import Derivation, Given, Rewrite

x = Symbol("x", real=True)

derivation = Derivation(
    name="keywords",
    title="label, why, where, expect_refuted and export",
    symbols=(x,),
    steps=[
        Given(log(1 + exp(x)), label="(1)", why="softplus: e^x overflows for x > 709"),
        Rewrite(x + log(1 + exp(-x)), label="(2)", why="factor e^x out of the log", export="softplus_large(x)"),
        Given(sqrt(x**2), label="(3)", why="the root of a square"),
        Rewrite(x, label="(3)", why="the page's claim, for x >= 0 only", where=(x >= 0,)),
        Given(sqrt(x**2), label="(4)", why="the same root"),
        Rewrite(x, label="(4)", why="the claim without its where", expect_refuted="for x < 0 the root is -x, not x"),
    ],
)
''',
    "given": '''
from sympy import Symbol

from smoothsym import Derivation, Given, Rewrite

x = Symbol("x", real=True)

derivation = Derivation(
    name="two-squares",
    title="Two chains in one derivation",
    symbols=(x,),
    steps=[
        Given((x + 1) ** 2, label="(1)", why="a square"),
        Rewrite(x**2 + 2 * x + 1, label="(1)", why="expanded"),
        Given(x**2 - 1, label="(2)", why="a new start: the difference of two squares"),
        Rewrite((x - 1) * (x + 1), label="(2)", why="factored"),
    ],
)
''',
    "rewrite": '''
from sympy import Symbol, exp

from smoothsym import Derivation, Given, Rewrite

x = Symbol("x", real=True)

derivation = Derivation(
    name="sigmoid-forms",
    title="The sigmoid, two ways",
    symbols=(x,),
    steps=[
        Given(1 / (1 + exp(-x)), label="(1)", why="the logistic sigmoid"),
        Rewrite(exp(x) / (1 + exp(x)), label="(1)", why="multiply above and below by e^x"),
    ],
)
''',
    "differentiate": '''
from sympy import Symbol, exp, log

from smoothsym import Derivation, Differentiate, Given, Rewrite

x = Symbol("x", real=True)

derivation = Derivation(
    name="softplus-gradient",
    title="The derivative of softplus is the sigmoid",
    symbols=(x,),
    steps=[
        Given(log(1 + exp(x)), label="(1)", why="softplus"),
        Differentiate(x, exp(x) / (1 + exp(x)), label="(2)", why="the chain rule"),
        Rewrite(1 / (1 + exp(-x)), label="(2)", why="divide above and below by e^x: the sigmoid"),
    ],
)
''',
    "integrate": '''
from sympy import Symbol, exp, oo, pi, sqrt

from smoothsym import Condition, Derivation, Given, Integrate

x = Symbol("x", real=True)

derivation = Derivation(
    name="integrals",
    title="An antiderivative through (0, 1), and a definite integral",
    symbols=(x,),
    steps=[
        Given(2 * x, label="(1)", why="a slope"),
        Integrate(x, x**2 + 1, fixed_by=Condition(0, 1), label="(2)", why="x^2 + C, and C = 1 at x = 0"),
        Given(exp(-(x**2)), label="(3)", why="the Gaussian"),
        Integrate(x, sqrt(pi) / 2, over=(0, oo), label="(4)", why="half of the Gaussian integral sqrt(pi)"),
    ],
)
''',
    "Condition": '''
from sympy import Symbol, exp, log, oo

from smoothsym import Condition, Derivation, Given, Integrate

x = Symbol("x", real=True)

derivation = Derivation(
    name="sigmoid-antiderivative",
    title="softplus is the antiderivative of the sigmoid that vanishes at -oo",
    symbols=(x,),
    steps=[
        Given(1 / (1 + exp(-x)), label="(1)", why="the sigmoid"),
        Integrate(
            x, log(1 + exp(x)),
            fixed_by=Condition(-oo, 0, why="no area under the sigmoid far to the left"),
            label="(2)", why="d/dx ln(1 + e^x) = e^x/(1 + e^x)",
        ),
    ],
)
''',
    "substitute": '''
from sympy import Abs, Symbol, exp, log, sqrt

from smoothsym import Derivation, Given, Substitute

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)

derivation = Derivation(
    name="substitutions",
    title="An exact substitution and one exact in the limit",
    symbols=(x, y, k),
    steps=[
        Given(log(exp(x) + exp(y)), label="(1)", why="LogSumExp of x and y"),
        Substitute(y, 0, log(1 + exp(x)), label="(2)", why="with y = 0 it is softplus"),
        Given(Abs(x) + 1, label="(3)", why="|x| + 1, not smooth at 0"),
        Substitute(
            Abs(x), sqrt(x**2 + 1 / k), sqrt(x**2 + 1 / k) + 1,
            limit=k, label="(4)", why="sqrt(x^2 + 1/k) is a smooth |x|, exact as k -> oo",
        ),
    ],
)
''',
    "limit": '''
from sympy import Max, Symbol, exp, log, oo, sin

from smoothsym import Derivation, Given, Limit

x = Symbol("x", real=True)
y = Symbol("y", real=True)
k = Symbol("k", positive=True)

derivation = Derivation(
    name="limits",
    title="Limits at +oo, -oo, a point and a point from the right",
    symbols=(x, y, k),
    steps=[
        Given(log(exp(k * x) + exp(k * y)) / k, label="(1)", why="LogSumExp at temperature 1/k"),
        Limit(k, Max(x, y), label="(2)", why="the largest exponential dominates as k -> oo"),
        Given(x * exp(x), label="(3)", why="x e^x"),
        Limit(x, 0, to=-oo, label="(3)", why="e^x vanishes faster than x grows"),
        Given(sin(x) / x, label="(4)", why="the sinc function"),
        Limit(x, 1, to=0, label="(4)", why="sin x = x - x^3/6 + ..."),
        Given(x * log(x), label="(5)", why="x ln x, defined for x > 0 only"),
        Limit(x, 0, to=0, side="+", label="(5)", why="x vanishes faster than ln x grows"),
    ],
)
''',
    "drop-term": '''
from sympy import Symbol, exp, log

from smoothsym import Derivation, DropTerm, Given

x = Symbol("x", real=True)
k = Symbol("k", positive=True)

derivation = Derivation(
    name="drop-a-term",
    title="A term whose effect vanishes as k -> oo",
    symbols=(x, k),
    steps=[
        Given(x + log(1 + exp(-k)) / k, label="(1)", why="x plus a correction"),
        DropTerm(log(1 + exp(-k)) / k, x, limit=k, label="(2)", why="ln(1 + e^-k)/k -> 0 as k -> oo"),
    ],
)
''',
    "bound": '''
from sympy import Max, Symbol, exp, log

from smoothsym import Bound, Derivation, Given

x = Symbol("x", real=True)

derivation = Derivation(
    name="softplus-bounds",
    title="softplus lies between the ReLU and the ReLU + ln 2",
    symbols=(x,),
    steps=[
        Given(log(1 + exp(x)), label="(1)", why="softplus"),
        Bound(Max(x, 0), ">=", label="(2)", why="1 + e^x exceeds both 1 and e^x"),
        Given(log(1 + exp(x)), label="(1)", why="softplus, again"),
        Bound(Max(x, 0) + log(2), label="(3)", why="1 + e^x <= 2 max(1, e^x)"),
    ],
)
''',
    "approximate": '''
from sympy import Rational, Symbol, erf, pi, sqrt, tanh

from smoothsym import Approximate, Derivation, Given

x = Symbol("x", real=True)

derivation = Derivation(
    name="gelu-tanh",
    title="GELU's tanh form is within 4.74e-4 of x Phi(x)",
    symbols=(x,),
    steps=[
        Given(x * (1 + erf(x / sqrt(2))) / 2, label="(1)", why="GELU(x) = x Phi(x)"),
        Approximate(x / 2 * (1 + tanh(sqrt(2 / pi) * (x + Rational("0.044715") * x**3))), Rational("4.74e-4"),
                    label="(2)", why="Hendrycks and Gimpel's tanh form; largest error 4.7324e-4 at |x| = 2.699"),
    ],
)
''',
    "asymptotic": '''
from sympy import Symbol, log, sin

from smoothsym import Asymptotic, Derivation, Given

x = Symbol("x", real=True)

derivation = Derivation(
    name="taylor",
    title="Two Taylor polynomials with their O terms",
    symbols=(x,),
    steps=[
        Given(sin(x), label="(1)"),
        Asymptotic(x, x - x**3 / 6, 5, label="(2)", why="sin x = x - x^3/6 + x^5/120 - ..."),
        Given(log(x), label="(3)"),
        Asymptotic(x, x - 1, 2, to=1, label="(4)", why="log x = (x - 1) - (x - 1)^2/2 + ..."),
    ],
)
''',
    "generalise": '''
from sympy import Eq, IndexedBase, Sum, Symbol, symbols

from smoothsym import Derivation, Generalise, Given

x = Symbol("x", real=True)
c = Symbol("c", real=True)
i = Symbol("i", integer=True, positive=True)
n = Symbol("n", integer=True, positive=True)
X = IndexedBase(x)


def expanded_square(count):
    """The claim for count variables x_1..x_count: (lhs, rhs)."""
    xs = symbols(f"x_1:{count + 1}", real=True)
    return sum((v - c) ** 2 for v in xs), sum(v**2 for v in xs) - 2 * c * sum(xs) + count * c**2


SQUARES = Sum((X[i] - c) ** 2, (i, 1, n))

derivation = Derivation(
    name="sum-of-squares",
    title="A sum of squares about c, expanded, for n variables",
    symbols=(x, c, i, n),
    steps=[
        Given(SQUARES, label="(1)", why="the squared distances of x_1..x_n from c"),
        Generalise(
            Eq(SQUARES, Sum(X[i] ** 2, (i, 1, n)) - 2 * c * Sum(X[i], (i, 1, n)) + n * c**2),
            expanded_square, ns=(2, 3, 4),
            label="(2)", why="(x_i - c)^2 = x_i^2 - 2 c x_i + c^2, summed",
        ),
    ],
)
''',
}


# -- the docstrings, as markdown ---------------------------------------------------------------

_FIELD_ENTRY = re.compile(r"``(\w+)``\s+(.*)")


def _markdown(text: str) -> str:
    """Prose from a docstring, as markdown: the docstrings are written so that it reads the same
    (``code`` is a code span in both, *as stated* emphasis); only a line break is a space."""
    return " ".join(text.split())


def _docstring(cls: type) -> tuple[list[str], dict[str, str]]:
    """A class docstring as (blocks, meanings): each paragraph one markdown block (a doctest
    kept as a ``pycon`` code block, line by line); a field list (lines starting with ``name``, as
    in Derivation's and Step's docstrings) becomes the meaning of each field, shown in its
    argument table instead."""
    blocks, meanings = [], {}
    for block in re.split(r"\n\s*\n", inspect.cleandoc(cls.__doc__ or "")):
        if block.lstrip().startswith(">>>"):
            blocks.append("```pycon\n" + block.strip("\n") + "\n```")
            continue
        prose, current = [], None
        for line in block.splitlines():
            match = _FIELD_ENTRY.match(line.strip()) if line == line.lstrip() else None
            if match:
                current = match.group(1)
                meanings[current] = match.group(2).strip()
            elif current is not None:
                meanings[current] += " " + line.strip()
            else:
                prose.append(line.strip())
        if prose:
            blocks.append(_markdown(" ".join(prose)))
    return blocks, {name: meaning.rstrip(";.") for name, meaning in meanings.items()}


def _split_arguments(text: str) -> list[str]:
    """``x, F, fixed_by=Condition(at, value)`` split at its top-level commas."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    return parts + ([current.strip()] if current.strip() else [])


def _rule_names(cls: type, rule: str) -> dict[str, str]:
    """What the rule calls each argument (as markdown): a kind's docstring opens with a call, e.g.
    ``Substitute(a, b, c): c = previous with a replaced by b``, so old is a, new b, claim c; and
    a keyword the prose spells out, e.g. "with ``limit=k``", is k."""
    fields = _own_fields(cls)
    positional = [f.name for f in fields if not f.kw_only]
    known = {f.name for f in fields}
    names: dict[str, list[str]] = {}
    opening = cls.__name__ + "("
    # each paragraph that opens with a call is one form of the kind, e.g. Integrate(x, F,
    # fixed_by=...) and Integrate(x, v, over=(a, b)): the claim is F in one and v in the other
    for paragraph in rule.split("\n"):
        if not paragraph.startswith(opening):
            continue
        depth, end = 0, None
        for position in range(len(opening) - 1, len(paragraph)):
            depth += {"(": 1, ")": -1}.get(paragraph[position], 0)
            if depth == 0:
                end = position
                break
        for number, argument in enumerate(_split_arguments(paragraph[len(opening):end]) if end else []):
            keyword = re.match(r"(\w+)=(.+)", argument)
            if keyword and keyword.group(1) in known:
                names.setdefault(keyword.group(1), []).append(keyword.group(2))
            elif not keyword and number < len(positional):
                names.setdefault(positional[number], []).append(argument)
    for name, written in re.findall(r"``(\w+)=([^`]+)``", rule):
        if name in known and name not in names:
            names[name] = [written]
    # a value written out (Bound(b, "<="), ``ns=(2..8)``) names nothing: it is an instance
    literal = re.compile(r"[\"'\d]|\([\d.,\s]*\)$")
    shown = {}
    for name, written in names.items():
        kept = list(dict.fromkeys(w for w in written if w != name and not literal.match(w)))
        if kept:
            shown[name] = " or ".join(f"`{w}`" for w in kept)
    return shown


def _field_comments(cls: type) -> dict[str, str]:
    """The comment written on a field's own line in the class body: ``ns: tuple = ...  # why``
    (a line indented as the body's first line, not one inside a method)."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    lines = source.splitlines()
    start = next((number for number, line in enumerate(lines) if line.lstrip().startswith("class ")), 0)
    body = next((line for line in lines[start + 1:] if line.strip()), "")
    body_indent = len(body) - len(body.lstrip())
    comments = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = lines[token.start[0] - 1]
        match = re.match(r"( *)(\w+)\s*:[^#]", line)
        if match and len(match.group(1)) == body_indent and token.start[1] > body_indent:
            comments[match.group(2)] = token.string.lstrip("#").strip()
    return comments


# -- the arguments -----------------------------------------------------------------------------

def _default(f: dataclasses.Field) -> str | None:
    """The default written as code, or None for a required argument."""
    if f.default is not dataclasses.MISSING:
        value = f.default
    elif f.default_factory is not dataclasses.MISSING:
        value = f.default_factory()
    else:
        return None
    if isinstance(value, str) and '"' not in value and "\\" not in value:
        return f'"{value}"'
    return repr(value)


def _own_fields(cls: type) -> list[dataclasses.Field]:
    """The fields a user gives, positional ones first (as the constructor takes them); a step
    kind's common keywords are left to their own section."""
    skip = set(HIDDEN) | (set(COMMON) if issubclass(cls, Step) else set())
    chosen = [f for f in dataclasses.fields(cls) if f.name not in skip]
    return [f for f in chosen if not f.kw_only] + [f for f in chosen if f.kw_only]


def _signature(cls: type) -> str:
    """The constructor's call, every argument with its default: ``Bound(claim, direction="<=", *, ...)``."""
    fields = _own_fields(cls)
    positional = [f for f in fields if not f.kw_only]
    keywords = [f for f in fields if f.kw_only]
    if issubclass(cls, Step):
        keywords += [f for f in dataclasses.fields(Step) if f.name in COMMON]

    def written(f):
        default = _default(f)
        return f.name if default is None else f"{f.name}={default}"

    parts = [written(f) for f in positional]
    if keywords:
        parts += ["*"] + [written(f) for f in keywords]
    return f"{cls.__name__}({', '.join(parts)})"


def _cell(text: str) -> str:
    return _markdown(text).replace("|", r"\|")


def _table(cls: type, fields: list[dataclasses.Field], meanings: dict[str, str], rule: str) -> list[str]:
    meanings = {**_field_comments(cls), **meanings}
    for name, written in _rule_names(cls, rule).items():
        meanings[name] = f"{written} in the rule" + (f"; {meanings[name]}" if meanings.get(name) else "")
    rows = ["| argument | given | default | type | meaning |", "|---|---|---|---|---|"]
    for f in fields:
        default = _default(f)
        rows.append(
            f"| `{f.name}` | {'by keyword' if f.kw_only else 'positional'} | "
            f"{'required' if default is None else '`' + _cell(default) + '`'} | "
            f"`{_cell(str(f.type))}` | {_cell(meanings.get(f.name, ''))} |"
        )
    return rows


# -- the page ------------------------------------------------------------------------------------

def _example(key: str) -> list[str]:
    try:
        source = EXAMPLES[key]
    except KeyError:
        raise SystemExit(
            f"{key} has no example: add one to EXAMPLES in docs/make_reference.py (a derivation "
            "using it that verifies), then run " + COMMAND
        ) from None
    return ["Example (run and verified by `tests/test_reference.py`):", "", "```python", source.strip("\n"), "```"]


def _section(cls: type, key: str, heading: str | None = None) -> list[str]:
    paragraphs, meanings = _docstring(cls)
    lines = [f"## {heading or cls.__name__}", ""]
    if issubclass(cls, Step) and cls is not Step:
        lines += [f"Registered as `{cls.kind}`. Defined in `{cls.__module__}`.", ""]
    else:
        lines += [f"Defined in `{cls.__module__}`.", ""]
    if cls is not Step:
        lines += ["```python", _signature(cls), "```", ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    if cls is Step:
        fields = [f for f in dataclasses.fields(Step) if f.name in COMMON]
    else:
        fields = _own_fields(cls)
    if fields:
        prose = "\n".join(p for p in paragraphs if not p.startswith("```"))  # a doctest's output is no rule
        lines += _table(cls, fields, meanings, prose) + [""]
    if issubclass(cls, Step) and cls is not Step:
        lines += [
            "And the keywords of every step: "
            + ", ".join(f"`{name}`" for name in COMMON)
            + " ([see there](#keywords-of-every-step)).",
            "",
        ]
    return lines + _example(key) + [""]


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def render() -> str:
    """The whole page, as text."""
    sections: list[tuple[str, type, str]] = [
        ("Derivation", Derivation, "Derivation"),
        ("Keywords of every step", Step, "Step"),
    ]
    for kind, cls in STEP_KINDS.items():
        sections.append((cls.__name__, cls, kind))
        for companion in COMPANIONS.get(kind, ()):
            sections.append((companion.__name__, companion, companion.__name__))
    lines = [
        "# Reference: a derivation and its step kinds",
        "",
        f"<!-- Generated from the docstrings and fields in smoothsym/model.py and smoothsym/steps.py "
        f"by docs/make_reference.py: do not edit by hand; run {COMMAND} -->",
        "",
        "A derivation is a chain of steps over declared symbols: `Given(e)` starts it, and each later "
        "step relates the expression before it (*previous*) to its own claim, which the next step "
        "starts from. Each section below gives a kind's rule (its docstring), its arguments with their "
        "defaults, and an example: a derivation file in miniature, which `tests/test_reference.py` "
        "runs as printed and verifies with the default profile (every step passes). "
        "[The guide](guide.md) walks through writing, verifying and testing a derivation of your own.",
        "",
        "Import everything from `smoothsym`: "
        + "`from smoothsym import "
        + ", ".join(sorted({cls.__name__ for _, cls, _ in sections if cls is not Step}))
        + "`.",
        "",
        "Contents: " + " · ".join(f"[{heading}](#{_anchor(heading)})" for heading, _, _ in sections) + ".",
        "",
    ]
    for heading, cls, key in sections:
        lines += _section(cls, key, heading)
    unused = sorted(set(EXAMPLES) - {key for _, _, key in sections})
    if unused:
        raise SystemExit(f"EXAMPLES in docs/make_reference.py names no section: {', '.join(unused)}")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    text = render()
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)} ({len(STEP_KINDS)} step kinds, {text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
