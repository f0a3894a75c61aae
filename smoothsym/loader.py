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
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import processes
from .files import DEFAULT_PATH, derivation_files  # noqa: F401 - this module's API
from .errors import DerivationError, LoadError, NoDerivationError, StepTimeout, UnknownDerivationError
from .model import Derivation
from .timelimit import time_limit
from . import steps as _kinds  # noqa: F401 - every step kind registered in STEP_KINDS

LOAD_TIME_LIMIT = 30.0  # CPU seconds to import one derivation file: building expressions, not checking them
LOAD_WALL_SECONDS = 60.0  # and wall-clock seconds, enforced from outside (a sleep uses no CPU)


@dataclass
class Catalog:
    """The derivations found, in file order, and the files that failed to load."""

    derivations: list[Derivation] = field(default_factory=list)
    errors: list[DerivationError] = field(default_factory=list)
    # each file that loaded: its path, what its import read (replay.Inputs, with
    # discover(record=True); else None) and the derivations it defined
    files: list[tuple[Path, object, list[Derivation]]] = field(default_factory=list)
    order: list[Path] = field(default_factory=list)  # every file of the run, skipped ones included

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


def load_file(path: Path, wall_seconds: float = LOAD_WALL_SECONDS) -> tuple[list[Derivation], DerivationError | None]:
    """Import one derivation file; its derivations, or the error that stopped it.

    The file is imported first in a forked child (a *trial import*), under a wall-clock bound
    enforced from outside: a file that hangs, sleeps, exits (``sys.exit``, ``os._exit``), leaves
    a thread running or crashes the interpreter becomes a ``LoadError`` for that file alone, and
    the run goes on. Only a file whose trial import succeeded is imported into this process."""
    trouble = _TrialImport(path, wall_seconds).trouble()
    if trouble is not None:
        return [], trouble
    return _import(path)


def _import(path: Path) -> tuple[list[Derivation], DerivationError | None]:
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
    except SystemExit as exc:
        return [], LoadError(
            f"importing it called sys.exit({exc.code!r}); a derivation file must not end the run",
            file=shown,
            line=_line_in(path, exc.__traceback__),
        )
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
        return [], NoDerivationError(
            "defines no derivation; assign one at module level: derivation = Derivation(...)",
            file=shown,
            line=1,
        )
    for derivation in found:
        list(derivation.chain())
    return found, None


# -- the trial import ------------------------------------------------------------------------


def _trial(path: Path, connection) -> None:
    """In the forked child: import, then report the error (as plain fields: exceptions with
    keyword-only arguments do not pickle) or None, and exit without waiting for threads."""
    try:
        _, error = _import(path)
        error = _running_thread(path) or error  # the thread is why, whatever else went wrong
        connection.send(None if error is None else (type(error).__name__, _fields(error)))
    except BaseException as exc:  # a failure of the import machinery itself
        connection.send(("LoadError", {"message": f"importing it failed: {type(exc).__name__}: {exc}", "file": os.path.relpath(path)}))
    finally:
        connection.close()
        os._exit(0)


def _fields(error: DerivationError) -> dict:
    return {k: getattr(error, k) for k in ("message", "file", "line", "derivation", "step", "label")}


def _running_thread(path: Path) -> LoadError | None:
    """A thread the import started and left running would run on beside the checks (and keep
    the process from exiting): an error, naming the thread's function."""
    others = [t for t in threading.enumerate() if t is not threading.current_thread()]
    if not others:
        return None
    target = getattr(others[0], "_target", None)
    code = getattr(target, "__code__", None)
    where = f" ({code.co_name} at {os.path.relpath(code.co_filename)}:{code.co_firstlineno})" if code else ""
    return LoadError(
        f"importing it started a thread that is still running{where}; a derivation file should only "
        "build expressions, not start threads",
        file=os.path.relpath(path),
        line=code.co_firstlineno if code and os.path.abspath(code.co_filename) == str(path.resolve()) else None,
    )


class _TrialImport:
    """A trial import running in its own child, and its verdict on the file."""

    def __init__(self, path: Path, wall_seconds: float = LOAD_WALL_SECONDS) -> None:
        self.path = path
        self.wall_seconds = wall_seconds
        self.unreadable_name = _unreadable_name(path)
        self.process, self.connection = (None, None) if self.unreadable_name else processes.start_child(_trial, path)
        self.deadline = time.monotonic() + wall_seconds

    def trouble(self) -> DerivationError | None:
        """Wait for the child: None when the file imported cleanly, else the error."""
        if self.unreadable_name:
            return self.unreadable_name
        shown = os.path.relpath(self.path)
        try:
            if not processes.wait_for([self.connection], self.deadline):
                return LoadError(
                    f"importing it took longer than {self.wall_seconds:g} s of wall-clock time, so it was stopped "
                    "(a loop, a sleep or a wait at module level; a derivation file should only build expressions)",
                    file=shown,
                )
            try:
                answer = self.connection.recv()
            except (EOFError, OSError):
                self.process.join()
                return LoadError(
                    f"importing it ended the process ({processes.exit_code_text(self.process)}): a derivation file "
                    "must not call os._exit, and this one exited or crashed the interpreter",
                    file=shown,
                )
        finally:
            self.stop()
        if answer is None:
            return None
        kind, fields = answer
        kinds = {"LoadError": LoadError, "NoDerivationError": NoDerivationError}
        return kinds.get(kind, DerivationError)(fields.pop("message"), **fields)

    def stop(self) -> None:
        if self.process is not None:
            processes.stop(self.process, self.connection)


def _unreadable_name(path: Path) -> LoadError | None:
    """Python cannot import a module whose path is not valid UTF-8 (a name from another
    encoding, kept by the file system as raw bytes)."""
    try:
        str(path.resolve()).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        return LoadError(f"its path is not valid UTF-8, so Python cannot import it; rename the file", file=shown)
    return None


def _recorded_import(path: Path):
    """``_import``, with what it read (``replay.Inputs``)."""
    from .replay import Recording

    with Recording() as inputs:
        derivations, error = _import(path)
    return derivations, error, inputs


def _loaded(files: list[Path], wall_seconds: float, ahead: int = 2, record: bool = False):
    """(path, derivations, error, inputs) for each file in order (inputs None unless
    ``record``); the trial imports of the next ``ahead`` files run while this process imports
    the current one."""
    trials: list[_TrialImport] = []
    try:
        for index, path in enumerate(files):
            while len(trials) < ahead and index + len(trials) < len(files):
                trials.append(_TrialImport(files[index + len(trials)], wall_seconds))
            trouble = trials.pop(0).trouble()
            if trouble is not None:
                yield path, [], trouble, None
            else:
                yield (path, *_recorded_import(path)) if record else (path, *_import(path), None)
    finally:
        for trial in trials:
            trial.stop()


def discover(paths: list[str] | None = None, wall_seconds: float = LOAD_WALL_SECONDS, record: bool = False,
             skip: set | None = None) -> Catalog:
    """Load every derivation under ``paths`` (default: ``derivations/``), each file's import
    bounded by ``wall_seconds`` of wall-clock time; with ``record``, what each import read is
    kept in ``catalog.files`` (see replay.py); the files in ``skip`` are not imported."""
    catalog = Catalog()
    seen: dict[str, Derivation] = {}
    catalog.order = derivation_files(list(paths or []))
    for path, derivations, error, inputs in _loaded([f for f in catalog.order if f not in (skip or ())], wall_seconds,
                                                    record=record):
        if error is not None:
            catalog.errors.append(error)
        else:
            catalog.files.append((path, inputs, list(derivations)))
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
