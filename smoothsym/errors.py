"""Errors smoothsym raises: one root, each saying what went wrong, where, and how to fix it.

Every error that points into a derivation carries the file, line, derivation name and step
as attributes as well as in its text, so the command line, the pytest plugin and the reports
can show them without parsing messages. A step's label is named in the text as plain text
(``prose.plain``), its ``$...$`` read into Unicode; ``label`` holds it as written.
"""

from __future__ import annotations

from .prose import plain


class SmoothsymError(Exception):
    """Root of every error smoothsym raises on purpose."""


class DerivationError(SmoothsymError, ValueError):
    """A derivation is malformed: an undeclared symbol, a non-SymPy claim, a broken chain.

    Remedy: edit the derivation file at the line named in the message.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        derivation: str | None = None,
        step: int | None = None,
        label: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.derivation = derivation
        self.step = step
        self.label = label
        super().__init__(self._text())

    def _text(self) -> str:
        where = []
        if self.file:
            where.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.derivation:
            where.append(f"derivation {self.derivation!r}")
        if self.step is not None:
            step = f"step {self.step}"
            if self.label:
                # an equation label reads as itself, "(6)"; any other label is quoted, its
                # formulas as text ("recipe: $g^{-1}$" as 'recipe: g⁻¹'; the attribute keeps the source)
                label = plain(self.label, label=True)
                step += f" {label}" if label.startswith("(") else f" {label!r}"
            where.append(step)
        return (", ".join(where) + ": " if where else "") + self.message


class LoadError(DerivationError):
    """A derivation module could not be loaded: syntax error, exception on import, no derivation,
    or two derivations with the same name.

    Remedy: run the file with ``python FILE`` to see the full traceback, then fix the line named.
    """


class NoDerivationError(LoadError):
    """A file loaded cleanly but defines no ``Derivation`` at module level.

    Remedy: assign one at module level, ``derivation = Derivation(...)``.
    """


class UnknownDerivationError(SmoothsymError, LookupError):
    """A derivation name given on the command line matches no derivation in the catalog."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(
            f"no derivation named {name!r}; known: {', '.join(known) or '(none)'}"
        )


class StepTimeout(BaseException):
    """Raised inside a check when its time limit passes.

    A ``BaseException`` on purpose: SymPy catches ``Exception`` in places, and a time limit
    must not be swallowed there. The verifier turns it into a ``timeout`` verdict.
    """
