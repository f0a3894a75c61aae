"""docs/reference.md is current with the code, and runs as written: the page is regenerated (in
memory) from the docstrings and compared with the file; each ```python example in it is executed
as printed, like a derivation file, and every Derivation it defines is verified with the default
profile and must pass; every registered step kind has its section and its example uses it."""

import difflib
import importlib.util
import re
from pathlib import Path

import pytest

from smoothsym import PROFILES, Derivation
import smoothsym.steps  # noqa: E402,F401 - the kinds register themselves in STEP_KINDS when imported
from smoothsym.model import STEP_KINDS
from smoothsym.runner import verify

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference.md"
REGENERATE = ".venv/bin/python docs/make_reference.py"


def _generator():
    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "docs" / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sections(text: str) -> dict[str, str]:
    """The page's ``## `` sections by heading."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def examples(text: str) -> list[tuple[str, int, str]]:
    """(section heading, line in the page, code) of each example: the ```python block after
    "Example (run and verified ...)" (the other ```python blocks show a signature)."""
    found, heading = [], None
    example = r"^Example \(run and verified by `tests/test_reference.py`\):\n\n```python\n(.*?)^```$"
    for match in re.finditer(r"^## ([^\n]+)$|" + example, text, flags=re.M | re.S):
        if match.group(1) is not None:
            heading = match.group(1)
        else:
            line = text.count("\n", 0, match.start(2)) + 1
            found.append((heading, line, match.group(2)))
    return found


PAGE_TEXT = PAGE.read_text(encoding="utf-8") if PAGE.is_file() else ""
EXAMPLES = examples(PAGE_TEXT)


def test_the_page_is_current():
    assert PAGE.is_file(), f"docs/reference.md is missing: run {REGENERATE}"
    current = _generator().render()
    if current != PAGE_TEXT:
        diff = difflib.unified_diff(PAGE_TEXT.splitlines(), current.splitlines(), "docs/reference.md", "regenerated", lineterm="", n=1)
        pytest.fail(f"docs/reference.md is stale: run {REGENERATE}\n" + "\n".join(list(diff)[:30]), pytrace=False)


@pytest.mark.parametrize("heading, line, code", EXAMPLES, ids=[heading for heading, _, _ in EXAMPLES])
def test_the_example_verifies_as_written(heading, line, code):
    # compiled under the page's name, on its own lines: an error points at docs/reference.md:LINE
    namespace = {"__name__": f"reference_{heading.lower()}"}
    exec(compile("\n" * (line - 1) + code, str(PAGE), "exec"), namespace)
    derivations = [value for value in namespace.values() if isinstance(value, Derivation)]
    assert derivations, f"the {heading} example defines no Derivation"
    kind = next((cls for cls in STEP_KINDS.values() if cls.__name__ == heading), None)
    if kind is not None:
        assert any(isinstance(step, kind) for d in derivations for step in d.steps), \
            f"the {heading} example has no {heading} step"
    for derivation in derivations:
        result = verify(derivation, PROFILES["default"])
        failing = [f"step {r.number} ({r.step.kind}): {r.outcome}: {r.verdict.summary()}"
                   for r in result.steps if not r.passes()]
        assert result.passes(), f"the {heading} example does not verify:\n" + "\n".join(failing)


def test_every_step_kind_is_in_the_page():
    found = sections(PAGE_TEXT)
    with_example = {heading for heading, _, _ in EXAMPLES}
    for kind, cls in STEP_KINDS.items():
        assert cls.__name__ in found, f"step kind {kind!r} ({cls.__name__}) is not in docs/reference.md: run {REGENERATE}"
        assert f"Registered as `{kind}`" in found[cls.__name__]
        assert cls.__name__ in with_example, f"the {cls.__name__} section has no example"
    for name in ("Derivation", "Condition", "Keywords of every step"):
        assert name in found and name in with_example, f"docs/reference.md has no {name} section with an example"
