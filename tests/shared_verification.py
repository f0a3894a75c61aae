"""One verification per file version and settings in a test session, shared by every module and
both xdist workers (no tests here).

Many modules inspect the verified catalog (its pages, exports, plots, verdicts) in module-scoped
fixtures, and under ``pytest -n 2`` a module's tests run in both workers: each verified the same
files again, cold. ``verified(what, settings)`` verifies through ``runner.verify_many`` (the
worker processes ``smoothsym verify`` and ``report`` use) with a ``VerificationCache`` in a folder
of this session's, shared by its xdist workers, signed with a secret of the session's own (never
the user's). A file is locked (``fcntl.flock``) while it is verified, so that the other worker
waits for its verdicts instead of computing them too. A replayed result is what the engine wrote
for that exact derivation as built, under those settings, in this session (the cache is keyed on
them: see smoothsym/cache.py), its steps marked ``cached``; the session's first request of a file
verifies it cold. Tests of the cache, of timing, of cold or warm runs and of how the verifier
behaves verify for themselves and do not use this.

The folder is set by the session fixture in conftest.py: the parent of the worker's base
temporary folder under xdist (``.../pytest-N/``, shared by ``popen-gw0`` and ``popen-gw1``), the
base folder itself without xdist; a new one each session.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from smoothsym.cache import VerificationCache
from smoothsym.loader import discover
from smoothsym.model import Derivation
from smoothsym.runner import DerivationResult, verify_many
from smoothsym.settings import PROFILES, CheckSettings

FOLDER_NAME = "shared-verification-cache"
_folder: Path | None = None


def set_folder(base: Path) -> None:
    global _folder
    _folder = base / FOLDER_NAME
    _folder.mkdir(mode=0o700, exist_ok=True)


def folder() -> Path:
    if _folder is None:  # imported outside a pytest session: a folder of this process's own
        set_folder(Path(tempfile.mkdtemp(prefix="smoothsym-tests-")))
    return _folder


class SharedCache(VerificationCache):
    """The session's cache: its folder and its secret given, not read from the environment
    (the autouse ``cache_dir`` fixture points that at each test's own folder)."""

    def __init__(self) -> None:
        super().__init__(folder() / "entries", secret=folder() / "cache-key")
        assert self.problem is None, self.problem


@contextlib.contextmanager
def _locked(files):
    """Hold an exclusive lock per file, taken in sorted order (so two callers never deadlock)."""
    with contextlib.ExitStack() as stack:
        for file in sorted(set(files)):
            name = hashlib.sha256(file.encode()).hexdigest()[:16]
            handle = stack.enter_context(open(folder() / f"{name}.lock", "w"))
            fcntl.flock(handle, fcntl.LOCK_EX)
            stack.callback(fcntl.flock, handle, fcntl.LOCK_UN)
        yield


def verified(what, settings: CheckSettings = PROFILES["default"]) -> list[DerivationResult]:
    """The results of the derivations ``what`` names: paths of derivation files or folders
    (each loaded as the user's catalog would be, in ``discover`` order) and Derivation objects,
    in that order; every step of each, under ``settings``."""
    items = [what] if isinstance(what, (str, os.PathLike, Derivation)) else list(what)
    derivations = []
    for item in items:
        if isinstance(item, Derivation):
            derivations.append(item)
        else:
            catalog = discover([str(item)])
            assert not catalog.errors, catalog.errors
            derivations.extend(catalog.derivations)
    files = [str(Path(d.location.file).resolve()) for d in derivations]
    cache = SharedCache()
    with _locked(files):
        return list(verify_many(derivations, settings, jobs=1, cache=cache))
