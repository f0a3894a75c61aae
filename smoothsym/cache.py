"""The verification cache: a speed-up, never evidence. A derivation whose checked content is
unchanged is not verified again; ``--no-cache`` (``--smoothsym-no-cache`` under pytest) runs
without it, and a verdict read from it is marked ``cached`` in its ``StepResult``.

An entry is keyed by what is checked, as built, not by the files it was built from: a claim
changed through a helper package, a data file, an environment variable or an ``importlib``
import is a different key. The key is the SHA-256 of a canonical serialisation of:

- the derivation's name and its declared symbols (``sympy.srepr``, which shows assumptions);
- for every step of ``derivation.chain()``, in order: its number, its kind, every field of the
  step except its source location (claim, variable, old/new, term, limit, direction,
  ``fixed_by``, ``where``, ``expect_refuted``, label, why, export, ...), the expression it
  starts from (``before``) and the constraints it is checked under
  (``derivation.constraints_for(step)``); SymPy values as ``srepr`` plus the name and
  assumptions of each undefined function (``srepr`` omits them);
- for a ``Generalise`` step, the *outputs* of its ``instance`` (and ``variables``) function at
  each n of ``ns``: what the check compares, whatever code produced it;
- the check settings (digits, points, seed, time limit, ...);
- the engine: ``smoothsym.__version__`` and a hash of every ``*.py`` file of the package;
- the oracles: the SymPy, mpmath, python-flint and NumPy versions and Python's.

What has no canonical serialisation is not cached at all (the derivation is verified every
run) rather than guessed at: a step class other than the registered kind (a subclass in a
derivation file may override ``check``), a SymPy node of a class defined outside SymPy and
smoothsym (its ``eval`` or ``_eval_evalf`` is code the key cannot see), an undefined function
with an implementation attached (``implemented_function``), any other Python object in a
step's field, an instance function that raises, exits or runs for more than ``KEY_TIME_LIMIT``
CPU seconds or ``KEY_WALL_SECONDS`` of wall-clock time (a derivation whose key calls its own
functions is keyed in a forked child, so that they never run in the reporting process), or a
value ``srepr`` cannot print. ``Dummy`` symbols print a per-process index, so a
derivation holding one is never found again (a miss, never a wrong hit). The instance
functions must be deterministic: ``store`` files the verdicts under the key ``load`` computed
(keying is not paid twice), so a function whose output changes from call to call is not caught.

The file's source is not in the key: everything in it that decides a verdict reaches the key
through the built steps (and code the key cannot see makes the derivation uncached, above), so
a comment, a reformatted line or an expression moved into a helper need not re-verify. The
prose fields (label, why, export) are in the key although no check reads them: a new field
of a step kind is then keyed too, without a list here to keep up to date.

Each entry is signed: its first line holds an HMAC-SHA256 of the rest under a per-user secret
kept outside the cache folder and the repository, in ``$XDG_CONFIG_HOME/smoothsym/cache-key``
(default ``~/.config/smoothsym/cache-key``, created with mode 0600 on first use), or in the file
named by ``SMOOTHSYM_CACHE_SECRET``. An entry whose signature, format or key does not match (one
edited and re-checksummed, or written under another secret) is ignored and rebuilt, never
trusted. A secret that cannot be read or created, is shorter than 32 bytes, or is readable by
others disables the cache (``VerificationCache.problem`` says why) instead of signing weakly.

Where entries live: ``.smoothsym_cache/`` beside each derivation file, or the folder named by
``SMOOTHSYM_CACHE_DIR``; one JSON file per derivation, written through a temporary file and a
rename, so an interrupted run (Ctrl-C) leaves the old entry or the new one, never half of one.

Timeouts are stored (a step's time limit counts CPU seconds, so they recur under the same key);
a result with an ``error`` verdict, or with a step stopped by the wall clock
(``runner.WALL_CLOCK_METHOD``, which depends on the machine's load), is not.

>>> from smoothsym.verdict import Counterexample
>>> v = Verdict(Status.REFUTED, "mpmath counterexample", (Counterexample("lhs = rhs", {"x": "-1"},
...     "1.0", "-1.0", "2.0", "1e-47", 50, 100, 2, "python -c ..."),), seconds=0.5)
>>> verdict_from_json(json.loads(json.dumps(verdict_to_json(v)))) == v
True
>>> import sympy as sp
>>> canonical(sp.Symbol("x", positive=True) + 1)
['sympy', "Add(Symbol('x', positive=True), Integer(1))", []]
>>> canonical(lambda n: n)
Traceback (most recent call last):
...
smoothsym.cache.NotCanonical: a function has no canonical form
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import time
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef, UndefinedFunction

from . import processes, replay
from .identity import CACHE_DIRECTORY_VARIABLE as ENVIRONMENT_VARIABLE, CACHE_FOLDER as FOLDER, CACHE_FORMAT as FORMAT
from .identity import _oracle_versions, engine_fingerprint, load_secret, signature, signed_payload
from .identity import SECRET_BYTES, SECRET_VARIABLE, _create_secret, secret_path  # noqa: F401 - this module's API
from .errors import StepTimeout
from .files import replace_atomically
from .model import STEP_KINDS, Derivation
from .runner import WALL_CLOCK_METHOD, DerivationResult, StepResult
from .settings import CheckSettings
from .timelimit import time_limit
from . import steps as _kinds  # noqa: F401 - every step kind registered in STEP_KINDS
from .verdict import ConvergenceEvidence, ConvergencePath, Counterexample, NumericEvidence, Status, Verdict

KEY_TIME_LIMIT = 30.0  # CPU seconds to build a key (instance functions included), as for an import
KEY_WALL_SECONDS = 60.0  # and wall-clock seconds when it calls the derivation's own functions

# The fields of a step kind that are functions of n, and the field holding the n they are
# called at: the key holds their outputs there (what ``Generalise.check`` compares).
FUNCTIONS_OF_N = {"generalise": (("instance", "variables"), "ns")}

# What SymPy itself sets on an undefined function's class (``Function("f", real=True)``);
# anything else (``_imp_`` from implemented_function, a method patched in) is code.
_UNDEFINED_ATTRIBUTES = {
    "__module__", "__doc__", "__qualname__", "_kwargs", "_explicit_class_assumptions",
    "default_assumptions", "_prop_handler", "name", "_sage_", "_nargs",
}


class NotCanonical(TypeError):
    """A value the key cannot serialise canonically: the derivation is not cached (and is
    verified every run). Never raised out of ``VerificationCache``."""


# -- what the key is made of ------------------------------------------------------------------


def _in_package(module: str | None, package: str) -> bool:
    return module == package or (module or "").startswith(package + ".")


def _undefined_function(cls) -> list:
    """An undefined function (``Function("f", real=True)``) by name, assumptions and arity,
    which ``srepr`` omits; one with code attached has no canonical form."""
    extra = sorted(name for name in vars(cls) if name not in _UNDEFINED_ATTRIBUTES and not name.startswith("is_"))
    if type(cls) is not UndefinedFunction or extra:
        raise NotCanonical(f"the function {cls.__name__} carries code ({', '.join(extra) or type(cls).__name__})")
    kwargs = sorted((str(k), repr(v)) for k, v in getattr(cls, "_kwargs", {}).items())
    return [cls.__name__, kwargs, repr(getattr(cls, "_nargs", None))]


def _sympy(expr: sp.Basic) -> list:
    """``srepr``, checked to say everything: every node's class is SymPy's or smoothsym's own
    (covered by the versions and the engine hash), and undefined functions are listed."""
    undefined = []
    for node in sp.preorder_traversal(expr):
        cls = node if isinstance(node, type) else type(node)
        if isinstance(node, AppliedUndef) or isinstance(cls, UndefinedFunction):
            undefined.append(_undefined_function(cls))
        elif not (_in_package(cls.__module__, "sympy") or _in_package(cls.__module__, "smoothsym")):
            raise NotCanonical(f"{cls.__qualname__} (from {cls.__module__}) is not a SymPy class")
    return ["sympy", sp.srepr(expr), undefined]


def canonical(value) -> list:
    """A JSON-able, tagged form of a step's field, or ``NotCanonical``."""
    if value is None:
        return ["none"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", value.hex()]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, sp.Basic):
        return _sympy(value)
    if isinstance(value, (tuple, list)):
        return [type(value).__name__, [canonical(v) for v in value]]
    if isinstance(value, dict):  # in its order: a variables= dict is read in order
        return ["dict", [[canonical(k), canonical(v)] for k, v in value.items()]]
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and _in_package(type(value).__module__, "smoothsym"):
        return ["data", type(value).__qualname__, {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}]
    if callable(value):
        raise NotCanonical("a function has no canonical form")
    raise NotCanonical(f"a {type(value).__qualname__} has no canonical form")


def _step_content(step) -> dict:
    """Every field of a step but its location, a function of n by its outputs at each n."""
    if type(step) is not STEP_KINDS.get(step.kind):
        raise NotCanonical(f"{type(step).__qualname__} is not the registered step kind {step.kind!r}")
    functions, at = FUNCTIONS_OF_N.get(step.kind, ((), None))
    fields = {}
    for f in dataclasses.fields(step):
        if f.name == "location":
            continue
        value = getattr(step, f.name)
        if f.name in functions and value is not None:
            ns = getattr(step, at)
            fields[f.name] = ["outputs", [[str(n), canonical(value(n))] for n in ns]]
        else:
            fields[f.name] = canonical(value)
    return {"kind": step.kind, "fields": fields}


def key_content(derivation: Derivation, settings: CheckSettings) -> dict:
    """What the key hashes (see the module docstring), or ``NotCanonical``."""
    if type(derivation) is not Derivation:
        raise NotCanonical(f"{type(derivation).__qualname__} is not a Derivation")
    steps = []
    for number, step, before in derivation.chain():
        steps.append(
            {
                "number": number,
                "step": _step_content(step),
                "before": canonical(before),
                "constraints": canonical(tuple(derivation.constraints_for(step))),
            }
        )
    return {
        "format": FORMAT,
        "derivation": derivation.name,
        "symbols": canonical(derivation.symbols),
        "steps": steps,
        "settings": dataclasses.asdict(settings),
        "engine": engine_fingerprint(),
        "oracles": _oracle_versions(),
    }


def _key_here(derivation: Derivation, settings: CheckSettings) -> str | None:
    try:
        with time_limit(KEY_TIME_LIMIT):
            content = key_content(derivation, settings)
            text = json.dumps(content, sort_keys=True, ensure_ascii=False)
    except StepTimeout:
        return None
    except Exception:  # noqa: BLE001 - NotCanonical, or user code (an instance function) raising
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _send_key(derivation: Derivation, settings: CheckSettings, record: bool, connection) -> None:
    """In a forked child: compute the key, send it (or None) with what the derivation's own
    functions read while it was computed (``replay.Inputs``, when ``record``), and exit
    without cleanup."""
    try:
        if record:
            with replay.Recording() as inputs:
                key = _key_here(derivation, settings)
            connection.send((key, inputs.to_json()))
        else:
            connection.send((_key_here(derivation, settings), None))
    except BaseException:  # noqa: BLE001 - sys.exit in an instance function: no key
        pass
    finally:
        connection.close()
        os._exit(0)


class _KeyInChild:
    """A key being computed in a forked child, under a wall-clock bound: the user's functions
    it calls may sleep, wait or exit, and must not hang or end the process that reports."""

    def __init__(self, derivation: Derivation, settings: CheckSettings, record: bool = False) -> None:
        engine_fingerprint(), _oracle_versions()  # computed here once, inherited by every child
        self.process, self.connection = processes.start_child(_send_key, derivation, settings, record)
        self.deadline = time.monotonic() + KEY_WALL_SECONDS
        self.inputs: replay.Inputs | None = None  # what its functions read, when recorded

    def key(self) -> str | None:
        answer = None
        try:
            if processes.wait_for([self.connection], self.deadline):
                answer = self.connection.recv()
        except (EOFError, OSError):  # the child died without a key
            answer = None
        finally:
            processes.stop(self.process, self.connection)
        if not (isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], str)):
            return None
        if answer[1] is not None:
            self.inputs = replay.Inputs.from_json(answer[1])
        return answer[0]


def _key_in_child(derivation: Derivation, settings: CheckSettings) -> str | None:
    return _KeyInChild(derivation, settings).key()


def cache_keys(derivations, settings: CheckSettings, jobs: int = 2, inputs: dict | None = None) -> list[str | None]:
    """``cache_key`` of each derivation; those that call their own functions are keyed in up
    to ``jobs`` children at once (a Generalise's instances can take a second). With an
    ``inputs`` dict, what those functions read is recorded in it, by derivation index."""
    derivations = list(derivations)
    keys: list[str | None] = [None] * len(derivations)
    in_children = [i for i, d in enumerate(derivations) if _calls_user_code(d)]
    running: list[tuple[int, _KeyInChild]] = []

    def collect(j: int, child: _KeyInChild) -> None:
        keys[j] = child.key()
        if inputs is not None:
            inputs[j] = child.inputs

    try:
        for i, d in enumerate(derivations):
            if i not in in_children:
                keys[i] = _key_here(d, settings)
                if inputs is not None:
                    inputs[i] = replay.Inputs()  # srepr alone: no code of the derivation's runs
        for i in in_children:
            if len(running) >= jobs:
                collect(*running.pop(0))
            running.append((i, _KeyInChild(derivations[i], settings, inputs is not None)))
        while running:
            collect(*running.pop(0))
    finally:
        for _, child in running:
            processes.stop(child.process, child.connection)
    return keys


def _calls_user_code(derivation: Derivation) -> bool:
    """Whether keying calls a function of the derivation's (a Generalise instance)."""
    for step in derivation.steps:
        functions, _ = FUNCTIONS_OF_N.get(getattr(step, "kind", None), ((), None))
        if any(getattr(step, name, None) is not None for name in functions):
            return True
    return False


def cache_key(derivation: Derivation, settings: CheckSettings) -> str | None:
    """The entry's key, or None when the derivation cannot be keyed (it is then not cached).
    When keying calls the derivation's own functions, it runs in a forked child, bounded by
    ``KEY_WALL_SECONDS`` of wall-clock time and ``KEY_TIME_LIMIT`` CPU seconds."""
    if _calls_user_code(derivation):
        return _key_in_child(derivation, settings)
    return _key_here(derivation, settings)


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


def storable(verdict: Verdict) -> bool:
    """Whether a verdict may be reused: not an error, not a step stopped by the wall clock."""
    return verdict.status is not Status.ERROR and verdict.method != WALL_CLOCK_METHOD


# -- the cache --------------------------------------------------------------------------------


class VerificationCache:
    """Cached step verdicts, one signed entry per derivation; ``directory`` overrides where they
    live (default: ``$SMOOTHSYM_CACHE_DIR``, else ``.smoothsym_cache/`` beside the derivation
    file). ``problem`` is None, or why this cache loads and stores nothing (its secret).
    ``secret`` names the file of the signing secret (default: as ``identity.load_secret`` finds it)."""

    def __init__(self, directory: str | os.PathLike | None = None, secret: str | os.PathLike | None = None) -> None:
        self.directory = directory or os.environ.get(ENVIRONMENT_VARIABLE) or None
        self.secret_path = secret
        self._secret: bytes | None = None
        self._problem: str | None = None
        self._keys: dict[int, tuple[Derivation, str | None, CheckSettings]] = {}  # id -> the key load computed
        # With ``record`` (``verify``'s warm path, see replay.py): each derivation's key as
        # computed, and what its functions read while keyed, by id
        self.record = False
        self.keys: dict[int, str | None] = {}
        self.key_inputs: dict[int, "replay.Inputs | None"] = {}

    @property
    def problem(self) -> str | None:
        self._signing_secret()
        return self._problem

    def _signing_secret(self) -> bytes | None:
        if self._secret is None and self._problem is None:
            self._secret, self._problem = load_secret(Path(self.secret_path) if self.secret_path else None)
        return self._secret

    def _signature(self, payload: str) -> str | None:
        secret = self._signing_secret()
        if secret is None:
            return None
        return signature(secret, FORMAT, payload)

    def entry_path(self, derivation: Derivation) -> Path:
        file = Path(derivation.location.file).resolve()
        folder = Path(self.directory) if self.directory else file.parent / FOLDER
        where = hashlib.sha256(str(file).encode()).hexdigest()[:8]
        return folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', derivation.name)}-{where}.json"

    def load_many(self, derivations, settings: CheckSettings, jobs: int = 2) -> list[DerivationResult | None]:
        """``load`` for each derivation, their keys computed ``jobs`` at a time."""
        derivations = list(derivations)
        if self._signing_secret() is not None:
            inputs: dict | None = {} if self.record else None
            for i, (derivation, key) in enumerate(zip(derivations, cache_keys(derivations, settings, jobs, inputs))):
                self._keys[id(derivation)] = (derivation, key, settings)
                if self.record:
                    self.keys[id(derivation)] = key
                    self.key_inputs[id(derivation)] = inputs.get(i)
        return [self.load(d, settings) for d in derivations]

    def load(self, derivation: Derivation, settings: CheckSettings) -> DerivationResult | None:
        """The cached result (each step marked ``cached``), or None when there is none, it is
        stale, its signature is wrong, or the derivation cannot be keyed."""
        if self._signing_secret() is None:
            return None
        known = self._keys.get(id(derivation))
        key = known[1] if known is not None and known[0] is derivation and known[2] == settings else cache_key(derivation, settings)
        self._keys[id(derivation)] = (derivation, key, settings)
        if key is None:
            return None
        try:
            payload = signed_payload(self.entry_path(derivation).read_text(encoding="utf-8"), FORMAT, self._signing_secret())
            if payload is None:
                return None
            data = json.loads(payload)
            if data["key"] != key:
                return None
            verdicts = {int(n): verdict_from_json(v) for n, v in data["steps"].items()}
            chain = list(derivation.chain())
            if sorted(verdicts) != [n for n, _, _ in chain] or not all(map(storable, verdicts.values())):
                return None
            steps = tuple(StepResult(n, step, before, verdicts[n], cached=True) for n, step, before in chain)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        del self._keys[id(derivation)]  # a hit is not stored again
        return DerivationResult(derivation.name, derivation.location.file, derivation, steps)

    def store(self, result: DerivationResult, settings: CheckSettings) -> bool:
        """Store a complete result; False (nothing written) for an error, a step stopped by the
        wall clock, a partial run, a derivation that cannot be keyed, no usable secret, or a folder
        that cannot be written."""
        derivation = result.derivation
        if derivation is None or result.error is not None:
            return False
        if not all(storable(r.verdict) for r in result.steps):
            return False
        if [r.number for r in result.steps] != list(range(1, len(derivation.steps) + 1)):
            return False  # a partial run (only some steps) is not a derivation's verdict
        if self._signing_secret() is None:
            return False
        loaded = self._keys.pop(id(derivation), None)
        # the key computed when the entry was looked up: keying may call the derivation's own
        # functions (a Generalise's instances, ~1 s for stable-forms), so it is not paid twice
        key = loaded[1] if loaded is not None and loaded[0] is derivation and loaded[2] == settings else cache_key(derivation, settings)
        if key is None:
            return False
        payload = json.dumps(
            {
                "key": key,
                "derivation": derivation.name,
                "file": derivation.location.file,
                "steps": {str(r.number): verdict_to_json(r.verdict) for r in result.steps},
            },
            ensure_ascii=False,  # no sort_keys: a point's coordinates keep their order
        )
        try:
            replace_atomically(str(self.entry_path(derivation)), f"{FORMAT} {self._signature(payload)}\n{payload}".encode())
        except OSError:  # a read-only checkout: the run goes on, uncached
            return False
        return True
