"""The verification cache: an unchanged derivation is not verified again.

An entry is keyed by what decides the verdicts, and by nothing else:

- the derivation's name and the source of its file, plus the sources of the catalog modules it
  imports (sibling ``*.py`` files, followed transitively);
- the engine: ``smoothsym.__version__`` and a hash of every ``*.py`` file of the package, so any
  engine change invalidates every entry;
- the check settings (digits, points, seed, time limit, ...).

Where it lives: ``.smoothsym_cache/`` beside each derivation file, or the folder named by the
environment variable ``SMOOTHSYM_CACHE_DIR``. One JSON file per derivation. Each file starts with
a line holding the SHA-256 of the rest; an entry whose checksum, format or key does not match is
ignored (and rebuilt), never trusted. Entries are written through a temporary file and a rename,
so an interrupted run (Ctrl-C) leaves the old entry or the new one, never half of one.

Results with a ``timeout`` or ``error`` verdict are not stored: they depend on the machine's
load, and the next run should try again.

>>> from smoothsym.verdict import Counterexample
>>> v = Verdict(Status.REFUTED, "mpmath counterexample", (Counterexample("lhs = rhs", {"x": "-1"},
...     "1.0", "-1.0", "2.0", "1e-47", 50, 100, 2, "python -c ..."),), seconds=0.5)
>>> verdict_from_json(json.loads(json.dumps(verdict_to_json(v)))) == v
True
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
import os
import re
from pathlib import Path

from . import __version__
from .files import replace_atomically
from .model import Derivation
from .runner import DerivationResult, StepResult
from .settings import CheckSettings
from .verdict import ConvergenceEvidence, ConvergencePath, Counterexample, NumericEvidence, Status, Verdict

ENVIRONMENT_VARIABLE = "SMOOTHSYM_CACHE_DIR"
FOLDER = ".smoothsym_cache"
FORMAT = "smoothsym-cache 1"
_PACKAGE_DIR = Path(__file__).resolve().parent
_NOT_STORED = (Status.TIMEOUT, Status.ERROR)


# -- what the key is made of ------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """The version and a hash of the engine's own sources: an engine change invalidates all."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:16]}"


def _catalog_imports(path: Path, tree: ast.AST) -> list[Path]:
    """The sibling modules a derivation file imports (``import softplus``, ``from lse import f``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return [path.parent / f"{name}.py" for name in sorted(names) if (path.parent / f"{name}.py").is_file()]


def source_hash(path: str | os.PathLike) -> str:
    """A hash of a derivation file and, transitively, the catalog modules it imports."""
    digest = hashlib.sha256()
    pending, seen = [Path(path).resolve()], set()
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        data = current.read_bytes()
        digest.update(current.name.encode() + b"\0" + data + b"\0")
        try:
            pending += _catalog_imports(current, ast.parse(data))
        except SyntaxError:  # it cannot have loaded either; its bytes are in the hash all the same
            pass
    return digest.hexdigest()


def _oracle_versions() -> dict[str, str]:
    """The versions of the libraries that compute verdicts: a new SymPy, mpmath or Arb may judge
    a step differently, so their verdicts are never reused across versions."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("sympy", "mpmath", "python-flint"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:  # pragma: no cover - every one is a dependency
            found[package] = "missing"
    return found


def cache_key(derivation: Derivation, settings: CheckSettings) -> str:
    parts = {
        "derivation": derivation.name,
        "source": source_hash(derivation.location.file),
        "engine": engine_fingerprint(),
        "oracles": _oracle_versions(),
        "settings": dataclasses.asdict(settings),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# -- verdicts as JSON -------------------------------------------------------------------------


def verdict_to_json(verdict: Verdict) -> dict:
    return {
        "status": verdict.status.value,
        "method": verdict.method,
        "detail": verdict.detail,
        "seconds": verdict.seconds,
        "evidence": [{"type": type(e).__name__, **dataclasses.asdict(e)} for e in verdict.evidence],
    }


def _evidence_from_json(data: dict):
    data = dict(data)
    kind = data.pop("type")
    if kind == "NumericEvidence":
        return NumericEvidence(**data)
    if kind == "Counterexample":
        return Counterexample(**data)
    if kind == "ConvergenceEvidence":
        data["paths"] = tuple(
            ConvergencePath(**{**p, "ks": tuple(p["ks"]), "errors": tuple(p["errors"])}) for p in data["paths"]
        )
        data["beyond_range"] = tuple(data["beyond_range"])
        data["inconclusive"] = tuple(data.get("inconclusive", ()))
        return ConvergenceEvidence(**data)
    raise ValueError(f"unknown evidence type {kind!r}")


def verdict_from_json(data: dict) -> Verdict:
    return Verdict(
        Status(data["status"]),
        data["method"],
        tuple(_evidence_from_json(e) for e in data["evidence"]),
        data["detail"],
        float(data["seconds"]),
    )


# -- the cache --------------------------------------------------------------------------------


class VerificationCache:
    """Cached step verdicts, one entry per derivation; ``directory`` overrides where they live
    (default: ``$SMOOTHSYM_CACHE_DIR``, else ``.smoothsym_cache/`` beside the derivation file)."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = directory or os.environ.get(ENVIRONMENT_VARIABLE) or None

    def entry_path(self, derivation: Derivation) -> Path:
        file = Path(derivation.location.file).resolve()
        folder = Path(self.directory) if self.directory else file.parent / FOLDER
        where = hashlib.sha256(str(file).encode()).hexdigest()[:8]
        return folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', derivation.name)}-{where}.json"

    def load(self, derivation: Derivation, settings: CheckSettings) -> DerivationResult | None:
        """The cached result, or None when there is none, it is stale, or it is damaged."""
        try:
            text = self.entry_path(derivation).read_text(encoding="utf-8")
            header, payload = text.split("\n", 1)
            if header != f"{FORMAT} {hashlib.sha256(payload.encode()).hexdigest()}":
                return None
            data = json.loads(payload)
            if data["key"] != cache_key(derivation, settings):
                return None
            verdicts = {int(n): verdict_from_json(v) for n, v in data["steps"].items()}
            chain = list(derivation.chain())
            if sorted(verdicts) != [n for n, _, _ in chain]:
                return None
            steps = tuple(StepResult(n, step, before, verdicts[n]) for n, step, before in chain)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return DerivationResult(derivation.name, derivation.location.file, derivation, steps)

    def store(self, result: DerivationResult, settings: CheckSettings) -> bool:
        """Store a complete result; False (nothing written) for errors, timeouts, partial runs,
        or a folder that cannot be written."""
        derivation = result.derivation
        if derivation is None or result.error is not None:
            return False
        if any(r.verdict.status in _NOT_STORED for r in result.steps):
            return False
        if [r.number for r in result.steps] != list(range(1, len(derivation.steps) + 1)):
            return False  # a partial run (only some steps) is not a derivation's verdict
        payload = json.dumps(
            {
                "key": cache_key(derivation, settings),
                "derivation": derivation.name,
                "file": derivation.location.file,
                "steps": {str(r.number): verdict_to_json(r.verdict) for r in result.steps},
            },
            ensure_ascii=False,  # no sort_keys: a point's coordinates keep their order
        )
        header = f"{FORMAT} {hashlib.sha256(payload.encode()).hexdigest()}"
        try:
            replace_atomically(str(self.entry_path(derivation)), f"{header}\n{payload}".encode())
        except OSError:  # a read-only checkout: the run goes on, uncached
            return False
        return True
