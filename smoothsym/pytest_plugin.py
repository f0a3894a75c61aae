"""The pytest plugin: each derivation a test node, each step a test item.

``pytest derivations/`` collects the files ``smoothsym verify derivations/`` loads (every
``*.py`` directly in the folder, not starting with ``_``, except test modules and conftest.py),
loaded the same way, with one item per step::

    derivations/smooth_abs.py::smooth-abs::step-4[(3)]

Derivation files are collected only under the paths given on the command line or listed in the
ini option ``smoothsym_paths``, so a plain ``pytest`` with the project's ``testpaths`` never
picks them up, and ``--doctest-modules`` never imports them a second time.

Outcomes: ``proved``, ``checked`` and ``given`` pass; ``refuted``, ``disputed`` and ``error``
fail with the step, the counterexample and a line that reproduces it; a step declared
``expect_refuted`` is an xfail when it is refuted (and fails when it is not); a ``timeout``
fails, or is skipped with ``--smoothsym-allow-timeout``. A file that does not load is one
failing item, ``FILE::load``, and the other files still run; a file that imports cleanly, defines no
derivation and never mentions smoothsym is a helper module, not collected. Each derivation is
verified once, when its first step runs, in a worker process under the wall-clock bound (as
``smoothsym verify`` does), through the verification cache (``--smoothsym-no-cache`` bypasses it).
With pytest-xdist (``pytest -n 2 derivations/``) the steps of one derivation go to one worker
(``--dist loadscope``), so that no derivation is verified twice.
Every step records its verdict and method as ``user_properties`` (JUnit XML properties).
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from .cache import VerificationCache
from .errors import DerivationError, LoadError, NoDerivationError
from .loader import load_file
from .model import any_integer_size
from .prose import plain
from .runner import DerivationResult, StepResult, verify_many
from .settings import PROFILES
from .verdict import Status

_PACKAGE_DIR = Path(__file__).resolve().parent
_FAILING = (Status.REFUTED, Status.DISPUTED, Status.ERROR)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("smoothsym", "smoothsym derivations")
    group.addoption("--smoothsym-allow-timeout", action="store_true", help="skip, rather than fail, a step whose symbolic check timed out")
    group.addoption("--smoothsym-profile", choices=sorted(PROFILES), default="default", help="the check settings profile (default: default)")
    group.addoption("--smoothsym-time-limit", type=float, metavar="SECONDS", help="seconds for each step's symbolic proof (default: the profile's)")
    group.addoption("--smoothsym-wall-limit", type=float, metavar="SECONDS", help="wall-clock seconds for importing one file and for checking one step (as smoothsym verify --wall-limit)")
    group.addoption("--smoothsym-no-cache", action="store_true", help="verify every derivation again, ignoring the verification cache")
    parser.addini("smoothsym_paths", type="paths", default=[], help="directories or files whose derivations are collected by a plain `pytest`")


def pytest_configure(config: pytest.Config) -> None:
    """A run without paths (the configured testpaths) also collects ``smoothsym_paths``."""
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        config.args += [str(p) for p in config.getini("smoothsym_paths")]


def _roots(config: pytest.Config) -> list[Path]:
    """Where derivation files are collected: the paths given on the command line (never the
    configured testpaths), and the ``smoothsym_paths`` ini option."""
    roots = [Path(p).resolve() for p in config.getini("smoothsym_paths")]
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        base = config.invocation_params.dir
        roots += [(base / arg.split("::")[0]).resolve() for arg in config.args]
    return roots


def _is_derivation_file(path: Path, config: pytest.Config) -> bool:
    """What the loader would load from the roots: a root file itself, or a ``*.py`` directly in
    a root folder (not ``_*``), never the engine, a test module or a conftest.py."""
    if path.suffix != ".py" or path.name == "conftest.py" or path.name.startswith("_"):
        return False
    if _PACKAGE_DIR in path.parents or any(fnmatch.fnmatch(path.name, p) for p in config.getini("python_files")):
        return False  # the engine itself, or a test module: those belong to pytest's Python plugin
    return any(root == path or root == path.parent for root in _roots(config))


def _mentions_smoothsym(path: Path) -> bool:
    try:
        return "smoothsym" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """A derivation file becomes a ``DerivationFile`` instead of a doctest module."""
    collected = yield
    if not _is_derivation_file(file_path, parent.config):
        return collected
    from _pytest.doctest import DoctestModule  # a derivation file holds no doctests to run

    if _mentions_smoothsym(file_path):
        collected = [c for c in collected if not isinstance(c, DoctestModule)]
    return collected + [DerivationFile.from_parent(parent, path=file_path)]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist's default distribution, keep each derivation's steps on one worker
    (``loadscope``: a derivation is verified once, when its first step runs). An explicit
    ``--dist`` other than ``load`` is kept."""
    if config.getoption("dist", "load") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    return LoadScopeScheduling(config, log)


class LoadFailed(Exception):
    """A derivation file could not be loaded; the message names file, line and step."""


class StepFailed(Exception):
    """A step was refuted, disputed, errored or timed out; the message shows the evidence."""


_NAMES_SEEN = pytest.StashKey[dict]()  # derivation name -> where it was first defined, per session


class DerivationFile(pytest.File):
    """A derivation file: its derivations, loaded as ``smoothsym verify`` loads them. A file
    that does not load is one failing item, ``FILE::load``, and the other files still run."""

    def collect(self):
        wall = self.config.option.smoothsym_wall_limit
        derivations, error = load_file(self.path) if wall is None else load_file(self.path, wall)
        if isinstance(error, NoDerivationError) and not _mentions_smoothsym(self.path):
            return  # a helper module beside the derivations
        if error is not None:
            yield LoadItem.from_parent(self, name="load", error=error)
        seen = self.session.stash.setdefault(_NAMES_SEEN, {})
        for derivation in derivations:
            first = seen.setdefault(derivation.name, derivation.location)
            if first is not derivation.location:  # the CLI's rule: one derivation per name
                duplicate = LoadError(
                    f"a derivation named {derivation.name!r} is already defined at {first}; names must be unique",
                    file=derivation.location.file, line=derivation.location.line, derivation=derivation.name,
                )
                yield LoadItem.from_parent(self, name=f"load-{derivation.name}", error=duplicate)
                continue
            yield DerivationNode.from_parent(self, name=derivation.name, derivation=derivation)


class LoadItem(pytest.Item):
    """A derivation file that could not be loaded: fails with the file, line and step."""

    def __init__(self, *, error: DerivationError, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise LoadFailed(str(self.error))

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(LoadFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, (self.error.line or 1) - 1, f"{self.path.name}: load"


class DerivationNode(pytest.Collector):
    """One derivation; its steps are the items. The derivation is verified once, for all."""

    def __init__(self, *, derivation, **kwargs) -> None:
        super().__init__(**kwargs)
        self.derivation = derivation
        self._result: DerivationResult | None = None

    def collect(self):
        for number, step, _ in self.derivation.chain():
            name = f"step-{number}" + (f"[{step.label.replace('::', ':')}]" if step.label else "")
            # The id is given as text so that pytest parses "[label]" as the item's parameters,
            # exactly as it parses the ids it stored for --lf (pytest >= 9.2 compares parsed ids).
            yield StepItem.from_parent(self, name=name, number=number, nodeid=f"{self.nodeid}::{name}")

    def result(self) -> DerivationResult:
        """The verdicts of every step, from the cache or verified now (once per session)."""
        if self._result is None:
            options = self.config.option
            settings = PROFILES[options.smoothsym_profile]
            if options.smoothsym_time_limit is not None:
                settings = settings.replace(time_limit=options.smoothsym_time_limit)
            if options.smoothsym_wall_limit is not None:
                settings = settings.replace(wall_seconds=options.smoothsym_wall_limit)
            cache = None if options.smoothsym_no_cache else VerificationCache()
            (self._result,) = verify_many([self.derivation], settings, 1, cache)  # run to the end: its workers stop
        return self._result

    def reportinfo(self):
        return self.path, self.derivation.location.line - 1, self.derivation.name


class StepItem(pytest.Item):
    """One step of a derivation, passing or failing by its verdict."""

    def __init__(self, *, number: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.number = number
        self.step = self.parent.derivation.steps[number - 1]

    def runtest(self) -> None:
        with any_integer_size():  # a claim may hold 3000!, and the failure text prints it
            self._judge()

    def _judge(self) -> None:
        result = self.parent.result()
        (r,) = [r for r in result.steps if r.number == self.number]
        verdict = r.verdict
        self.user_properties += [("verdict", r.outcome), ("method", verdict.method), ("seconds", f"{verdict.seconds:.3f}")]
        if self.step.expect_refuted:
            if verdict.status is Status.REFUTED:
                pytest.xfail(f"refuted as stated (expected): {plain(self.step.expect_refuted)}")
            raise StepFailed(_failure_text(result, r, f"expected to be refuted ({plain(self.step.expect_refuted)}), but {verdict.status.value}"))
        if verdict.status is Status.TIMEOUT:
            if self.config.option.smoothsym_allow_timeout:
                # reported at the step's line in the derivation file, not at this line
                raise pytest.skip.Exception(f"timeout: {verdict.detail}", _use_item_location=True)
            raise StepFailed(_failure_text(result, r, "timeout (--smoothsym-allow-timeout skips timeouts)"))
        if verdict.status in _FAILING:
            raise StepFailed(_failure_text(result, r, verdict.status.value))

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(StepFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, self.step.location.line - 1, f"{self.parent.name} step {self.number}"


def _failure_text(result: DerivationResult, r: StepResult, outcome: str) -> str:
    """The step as written, its verdict and evidence, and how to see it again."""
    step, verdict = r.step, r.verdict
    label = f" {plain(step.label, label=True)}" if step.label else ""
    lines = [
        f"{result.name} step {r.number}{label} ({step.kind}, {step.location}): {outcome}",
        f"  {step!r}",
    ]
    if step.why:
        lines.append(f"  why: {plain(step.why)}")
    if r.before is not None:
        lines.append(f"  from: {r.before}")
    if verdict.method:
        lines.append(f"  method: {verdict.method}")
    if verdict.detail:
        lines.append(f"  detail: {verdict.detail}")
    ce = verdict.counterexample
    if ce is not None:
        point = ", ".join(f"{k} = {v}" for k, v in ce.point.items()) or "(no symbols)"
        lines += [
            f"  counterexample: {ce.what} fails at {point}",
            f"    lhs = {ce.lhs}",
            f"    rhs = {ce.rhs}",
            f"    difference = {ce.difference} (tolerance {ce.tolerance}; replayed at {ce.replay_digits} digits)",
            f"    seed = {ce.seed}",
            f"  reproduce: {ce.reproduce}",
        ]
    else:
        lines += [f"  evidence: {e.summary()}" for e in verdict.evidence]
    lines.append(f"  rerun: smoothsym verify {result.file} --only {result.name} --no-cache")
    return "\n".join(lines)
