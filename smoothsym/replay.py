"""The warm path of ``smoothsym verify``: when nothing a derivation file read has changed since
its verdicts were cached, the run prints what that run printed, without importing the file.

Importing the catalog's files and keying their steps costs seconds (SymPy builds every
expression again; a ``Generalise`` calls its instance functions), and a warm run did nothing
else. So when a file is imported for a run with the cache on, the import is watched and what
it *read* is recorded (``Inputs``):

- the file's own bytes, and every module outside Python's and the installed packages' folders
  that is loaded in the process by then (the derivation's helper modules; loaded earlier by
  another file is still counted, so the set is a superset of what the file used);
- every file opened and every directory listed or globbed (Python's audit events ``open``,
  ``os.listdir``, ``os.scandir``, ``glob.glob``), by content;
- every environment variable looked up (``os.environ`` is a recording view during the import;
  iterating over it records the whole environment);
- and the same for the instance functions that keying calls (in their forked children).

What cannot be recorded makes the file *untracked*, and it is never replayed: the network
(``socket.*``), other programs (``subprocess``, ``os.system``, ``os.exec*``, ``os.posix_spawn``),
native code loaded by ``ctypes``, a database (``sqlite3``), and random numbers drawn from
Python's or NumPy's global generator (their state before and after is compared). A claim that
depends on the clock or on ``os.urandom`` is not seen (no audit event says so): such a claim
changes from run to run, which no cache can stand for; ``--no-cache`` or ``--strict`` verify
everything.

A file's record (``*.replay`` in the cache folder, signed like the cache's entries)
holds those inputs, the run's context (engine, oracle versions, settings, working directory),
and for each derivation its cache key and the lines and JSON a cached run prints. A run is
replayed only when every file it names has a record whose signature, context and inputs all
match, and whose cache entries are still there under the recorded keys (deleting an entry, or
the cache folder, makes the next run verify); otherwise it runs in full (and records again).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import sys
import sysconfig
from collections.abc import MutableMapping
from pathlib import Path

from .files import derivation_files, replace_atomically
from .identity import (CACHE_DIRECTORY_VARIABLE, CACHE_FOLDER, CACHE_FORMAT, _oracle_versions, engine_fingerprint,
                       load_secret, signature, signed_payload)

FORMAT = "smoothsym-replay 1 hmac-sha256"
_PACKAGE_DIR = Path(__file__).resolve().parent
_UNTRACKED_EVENTS = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                     "os.fork", "ctypes.", "sqlite3.", "urllib.", "http.", "ftplib.", "smtplib.",
                     "mmap.", "os.startfile")


def _installed_roots() -> tuple[str, ...]:
    """Python's own folders and the installed packages': covered by the versions in the key."""
    roots = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            roots.add(os.path.realpath(sysconfig.get_path(name)))
        except KeyError:  # pragma: no cover - every Python names them
            pass
    roots.add(os.path.realpath(sys.base_prefix))
    roots.add(os.path.realpath(sys.prefix))  # a virtualenv: its packages and its scripts
    roots.add(str(_PACKAGE_DIR))  # the engine: its fingerprint is in the key
    return tuple(sorted(roots))


_ROOTS = _installed_roots()


def _ours(path: str) -> bool:
    """A user's file: not under Python's, the packages' or the engine's folders, not bytecode."""
    return not (path.startswith(_ROOTS) or "__pycache__" in path or path.endswith(".pyc"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return _sha(handle.read())
    except OSError:
        return None  # gone or unreadable: recorded as such, and compared as such


def _listing_digest(path: str) -> str | None:
    try:
        return _sha("\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape"))
    except OSError:
        return None


def _glob_digest(pattern: str, recursive: bool) -> str:
    import glob

    return _sha("\0".join(sorted(glob.glob(pattern, recursive=recursive))).encode("utf-8", "surrogateescape"))


@dataclasses.dataclass
class Inputs:
    """What an import (or a keying) read: path -> digest, variable -> value (None: unset)."""

    modules: dict = dataclasses.field(default_factory=dict)
    files: dict = dataclasses.field(default_factory=dict)
    listings: dict = dataclasses.field(default_factory=dict)
    globs: dict = dataclasses.field(default_factory=dict)
    environment: dict = dataclasses.field(default_factory=dict)
    whole_environment: str | None = None
    untracked: list = dataclasses.field(default_factory=list)  # why it cannot be replayed

    def merge(self, other: "Inputs") -> None:
        for name in ("modules", "files", "listings", "globs", "environment"):
            getattr(self, name).update(getattr(other, name))
        self.whole_environment = self.whole_environment or other.whole_environment
        self.untracked += [u for u in other.untracked if u not in self.untracked]

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Inputs":
        return cls(**data)

    def changed(self) -> str | None:
        """What differs from now, or None when every input is as recorded."""
        if self.untracked:
            return f"untracked: {self.untracked[0]}"
        for kind, table, digest in (("module", self.modules, file_digest), ("file", self.files, file_digest),
                                    ("directory", self.listings, _listing_digest)):
            for path, recorded in table.items():
                if digest(path) != recorded:
                    return f"the {kind} {path} changed"
        for key, recorded in self.globs.items():
            pattern, recursive = json.loads(key)
            if _glob_digest(pattern, recursive) != recorded:
                return f"the files matching {pattern} changed"
        for name, value in self.environment.items():
            if os.environ.get(name) != value:
                return f"the environment variable {name} changed"
        if self.whole_environment is not None and self.whole_environment != _environment_digest():
            return "the environment changed"
        return None


def _environment_digest() -> str:
    return _sha(json.dumps(sorted(os.environ.items())).encode("utf-8", "surrogateescape"))


class _RecordingEnviron(MutableMapping):
    """``os.environ`` during a recording: every lookup is written down, then answered."""

    def __init__(self, real, inputs: Inputs) -> None:
        self._real, self._inputs = real, inputs

    def _seen(self, key) -> None:
        if isinstance(key, str):
            self._inputs.environment.setdefault(key, self._real.get(key))

    def __getitem__(self, key):
        self._seen(key)
        return self._real[key]

    def get(self, key, default=None):
        self._seen(key)
        return self._real.get(key, default)

    def __contains__(self, key):
        self._seen(key)
        return key in self._real

    def __setitem__(self, key, value):
        self._real[key] = value

    def __delitem__(self, key):
        del self._real[key]

    def __iter__(self):
        self._inputs.whole_environment = _environment_digest()
        return iter(self._real)

    def __len__(self):
        self._inputs.whole_environment = _environment_digest()
        return len(self._real)

    def copy(self):
        self._inputs.whole_environment = _environment_digest()
        return self._real.copy()

    def __getattr__(self, name):  # encodekey, decodevalue ...: os's own helpers
        return getattr(self._real, name)


_ACTIVE: list = []  # the recording in progress, if any (one at a time per process)
_HOOKED = False


def _audit(event: str, args: tuple) -> None:
    if not _ACTIVE:
        return
    inputs = _ACTIVE[-1]
    try:
        if event == "open":
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)):
                path = os.path.realpath(os.fsdecode(path))
                if _ours(path):
                    inputs.files.setdefault(path, None)
        elif event in ("os.listdir", "os.scandir"):
            path = args[0] if args and args[0] is not None else "."
            if isinstance(path, (str, bytes, os.PathLike)):
                path = os.path.realpath(os.fsdecode(path))
                if _ours(path):
                    inputs.listings.setdefault(path, None)
        elif event == "glob.glob":
            inputs.globs.setdefault(json.dumps([os.path.abspath(os.fsdecode(args[0])), bool(args[1])]), None)
        elif event.startswith(_UNTRACKED_EVENTS):
            if event not in inputs.untracked:
                inputs.untracked.append(f"it used {event}")
    except Exception:  # noqa: BLE001 - an odd argument: say the import cannot be replayed
        inputs.untracked.append(f"an {event} event could not be recorded")


def _numpy_state():
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    state = numpy.random.get_state()
    return _sha(repr((state[0], state[1].tobytes(), state[2:])).encode())


class Recording:
    """``with Recording() as inputs:`` watch what the block reads (see the module docstring)."""

    def __enter__(self) -> Inputs:
        global _HOOKED
        if not _HOOKED:
            sys.addaudithook(_audit)  # hooks cannot be removed: it does nothing when not recording
            _HOOKED = True
        self.inputs = Inputs()
        self._environ = os.environ
        self._random = random.getstate()
        self._numpy = _numpy_state()
        os.environ = _RecordingEnviron(self._environ, self.inputs)
        _ACTIVE.append(self.inputs)
        return self.inputs

    def __exit__(self, *exc) -> None:
        _ACTIVE.remove(self.inputs)
        os.environ = self._environ
        inputs = self.inputs
        if random.getstate() != self._random:
            inputs.untracked.append("it drew numbers from Python's global random generator")
        if self._numpy is not None and _numpy_state() != self._numpy:
            inputs.untracked.append("it drew numbers from NumPy's global random generator")
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None) if name != "__main__" else None  # the command itself
            if isinstance(path, str):
                path = os.path.realpath(path)
                if _ours(path):
                    inputs.modules[path] = None
        for table, digest in ((inputs.modules, file_digest), (inputs.files, file_digest), (inputs.listings, _listing_digest)):
            for path in table:
                table[path] = digest(path)
        for key in inputs.globs:
            pattern, recursive = json.loads(key)
            inputs.globs[key] = _glob_digest(pattern, recursive)
        return None


# -- the records --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Replayed:
    """One derivation as the last run printed it: enough for ``verify``'s output, nothing more."""

    name: str
    file: str
    steps: tuple[dict, ...]  # each step line's columns, styles, and its detail lines (cli.py)
    entry: dict  # its JSON entry, as a cached run writes it
    counts_: dict
    passing: bool
    failures: str  # "step 3 (4) refuted, ..." when it does not pass
    step_count: int
    error = None

    def counts(self) -> dict:
        return dict(self.counts_)

    def passes(self, strict: bool = False) -> bool:
        return self.passing and not strict


def context(settings) -> dict:
    """What a record holds for the whole run: a different one is never replayed."""
    return {"engine": engine_fingerprint(), "oracles": _oracle_versions(),
            "settings": dataclasses.asdict(settings), "cwd": os.getcwd(), "python": sys.executable}


class Records:
    """Where a run's records live (the cache's folder) and the secret that signs them."""

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory or os.environ.get(CACHE_DIRECTORY_VARIABLE) or None
        self.secret, self.problem = load_secret()

    def path(self, file: str) -> Path:
        resolved = Path(file).resolve()
        folder = Path(self.directory) if self.directory else resolved.parent / CACHE_FOLDER
        where = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
        return folder / f"{resolved.stem}-{where}.replay"

    def entry_holds(self, path: str, key: str) -> bool:
        """Whether the cache entry at ``path`` is signed with this secret and filed under ``key``."""
        try:
            payload = signed_payload(Path(path).read_text(encoding="utf-8"), CACHE_FORMAT, self.secret)
            return payload is not None and json.loads(payload)["key"] == key
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def store(self, file: str, inputs: Inputs, settings, derivations: list[dict]) -> bool:
        """Write a file's record; False (nothing written) when it cannot be replayed or written."""
        if inputs.untracked or self.secret is None:
            return False
        payload = json.dumps({"file": str(Path(file).resolve()), "context": context(settings),
                              "inputs": inputs.to_json(), "derivations": derivations}, ensure_ascii=False, default=str)
        try:
            replace_atomically(str(self.path(file)), f"{FORMAT} {signature(self.secret, FORMAT, payload)}\n{payload}".encode())
        except OSError:
            return False
        return True

    def load(self, file: Path, settings) -> list[Replayed] | None:
        """A file's derivations as last printed, or None when its record is missing, forged,
        from another context, or any input changed, or a cache entry it names is gone."""
        try:
            payload = signed_payload(self.path(str(file)).read_text(encoding="utf-8"), FORMAT, self.secret)
            if payload is None:
                return None
            data = json.loads(payload)
            if data["file"] != str(file.resolve()) or data["context"] != json.loads(json.dumps(context(settings))):
                return None
            if Inputs.from_json(data["inputs"]).changed() is not None:
                return None
            found = []
            for d in data["derivations"]:
                if not self.entry_holds(d["entry"], d["key"]):
                    return None
                found.append(Replayed(d["name"], d["file"], tuple(d["steps"]), d["json"], d["counts"], d["passes"],
                                      d["failures"], d["step_count"]))
            return found or None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def replayable(self, paths, settings, only=None) -> dict:
        """Each file of the run -> its derivations as last printed, or None where the file must
        be imported (no record, or a record that does not hold now); {} when the run cannot
        start (a missing path: the full run says so) or nothing can be signed."""
        if self.secret is None:
            return {}
        try:
            files = derivation_files(list(paths or []))
        except Exception:  # noqa: BLE001
            return {}
        return {file: self.load(file, settings) for file in files}
