"""Finding derivations: every ``*.py`` in ``derivations/`` (or the paths given), imported in
isolation, each ``Derivation`` it defines collected. No registration by hand.

A file that cannot be loaded becomes a ``LoadError`` naming the file and line, and the rest of
the catalog still loads.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DerivationError, LoadError, StepTimeout, UnknownDerivationError
from .model import Derivation
from .timelimit import time_limit

DEFAULT_PATH = "derivations"
LOAD_TIME_LIMIT = 30.0  # seconds to import one derivation file: building expressions, not checking them


@dataclass
class Catalog:
    """The derivations found, in file order, and the files that failed to load."""

    derivations: list[Derivation] = field(default_factory=list)
    errors: list[DerivationError] = field(default_factory=list)

    def names(self) -> list[str]:
        return [d.name for d in self.derivations]

    def select(self, names: list[str]) -> "Catalog":
        """Only the derivations named (by name or file stem); unknown names raise."""
        if not names:
            return self
        chosen = []
        for name in names:
            found = [d for d in self.derivations if name in (d.name, Path(d.location.file).stem)]
            if not found:
                raise UnknownDerivationError(name, self.names())
            chosen += [d for d in found if d not in chosen]
        return Catalog(chosen, [])


def derivation_files(paths: list[str]) -> list[Path]:
    """The ``*.py`` files under each path (a directory) or the path itself (a file)."""
    files: list[Path] = []
    for raw in paths or [DEFAULT_PATH]:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        elif path.is_file():
            files.append(path)
        else:
            raise LoadError(f"no such file or directory: {raw}", file=str(raw))
    return files


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    return f"smoothsym_catalog.{path.stem}_{digest}"


def _line_in(path: Path, tb) -> int | None:
    """The last line of ``path`` in a traceback: where the derivation file went wrong."""
    line = None
    for frame in traceback.extract_tb(tb):
        if os.path.abspath(frame.filename) == str(path.resolve()):
            line = frame.lineno
    return line


def load_file(path: Path) -> tuple[list[Derivation], DerivationError | None]:
    """Import one derivation file; its derivations, or the error that stopped it."""
    shown = os.path.relpath(path)
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent.resolve()))
    try:
        with time_limit(LOAD_TIME_LIMIT):
            spec.loader.exec_module(module)
    except StepTimeout:
        return [], LoadError(
            f"importing it took longer than {LOAD_TIME_LIMIT:g} s; a derivation file should only build "
            "expressions (look for a SymPy call that simplifies or expands a large expression)",
            file=shown,
        )
    except SyntaxError as exc:
        return [], LoadError(f"syntax error: {exc.msg}", file=shown, line=exc.lineno)
    except DerivationError as exc:
        return [], exc
    except Exception as exc:
        line = _line_in(path, exc.__traceback__)
        return [], LoadError(f"importing it raised {type(exc).__name__}: {exc}", file=shown, line=line)
    finally:
        sys.path.remove(str(path.parent.resolve()))
    found: list[Derivation] = []
    for value in vars(module).values():
        if isinstance(value, Derivation) and value not in found and value.location.file.endswith(path.name):
            found.append(value)
    if not found:
        return [], LoadError(
            "defines no derivation; assign one at module level: derivation = Derivation(...)",
            file=shown,
            line=1,
        )
    return found, None


def discover(paths: list[str] | None = None) -> Catalog:
    """Load every derivation under ``paths`` (default: ``derivations/``)."""
    catalog = Catalog()
    seen: dict[str, Derivation] = {}
    for path in derivation_files(list(paths or [])):
        derivations, error = load_file(path)
        if error is not None:
            catalog.errors.append(error)
        for d in derivations:
            if d.name in seen:
                first = seen[d.name].location
                catalog.errors.append(
                    LoadError(
                        f"a derivation named {d.name!r} is already defined at {first}; names must be unique",
                        file=d.location.file,
                        line=d.location.line,
                        derivation=d.name,
                    )
                )
                continue
            seen[d.name] = d
            catalog.derivations.append(d)
    return catalog
