"""Shared fixtures: load a derivation file as a user's catalog would, and verify it."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers beside: shared_verification, test_export_shared
import shared_verification  # noqa: E402

from smoothsym.loader import discover  # noqa: E402
from smoothsym.runner import verify  # noqa: E402
from smoothsym.settings import PROFILES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Fixture derivations are data, some deliberately broken: never import them as tests.
collect_ignore_glob = ["fixtures/*"]


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="also run the tests marked slow (CI runs them: CI=true)")


# `make test-fast` (the edit-test loop) leaves these out with -m "not heavy": each spends most of its
# time exporting and measuring modules, in torch or JAX compiling kernels, or in one fresh
# `python -m smoothsym.cli` process after another. `make test` runs them.
HEAVY_MODULES = ("test_export.py", "test_export_numpy.py", "test_export_torch.py", "test_export_jax.py",
                 "test_export_frameworks.py", "kernels_torch.py", "kernels_jax.py", "test_guide.py",
                 "test_warm_runs.py", "test_cli_conventions.py", "test_robust_runs.py", "test_robust_outputs.py",
                 "test_reports.py", "test_vectors_and_symbolic_n.py")


def pytest_configure(config):
    config.addinivalue_line("markers", "heavy: left out of `make test-fast` (exports, frameworks, many subprocesses; see conftest.py)")
    _keep_jax_compilations(config)


def _keep_jax_compilations(config):
    """JAX's own persistent compilation cache, in pytest's cache folder (.pytest_cache/d/): the
    JAX tests compile ~1000 small kernels (shapes, dtypes, jit, grad), 73 s of the JAX module's 76
    on the 2-core machine cold and 19 s with the compilations kept (2026-12-07). A cached
    executable is the one XLA compiled for the same program, options, device and jax version (JAX's
    key), so the results are the same bits; a first run, CI's clean checkout or `pytest
    --cache-clear` compiles everything. Set before any test module imports jax (JAX reads these at
    import); a JAX_COMPILATION_CACHE_DIR of the user's own is left as it is."""
    cache = getattr(config, "cache", None)  # None under -p no:cacheprovider: nothing kept
    if cache is None or "JAX_COMPILATION_CACHE_DIR" in os.environ:
        return
    os.environ["JAX_COMPILATION_CACHE_DIR"] = str(cache.mkdir("jax-compilations"))
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")  # the kernels compile in ~0.05 s each
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1")  # keep every size


# torch and JAX start threads when imported, and the engine forks (workers, trial imports): a fork
# beside live framework threads can deadlock (JAX warns so). Their test modules are collected last,
# so that under xdist (one module per worker) little else runs in a worker after them. Among them,
# the longest first (seconds measured on the 2-core machine, 2026-12-07: jax 75, frameworks 47,
# gelu 34, torch 5): one worker takes JAX's module while the other takes the next two, and both end
# together; in file-name order one worker ran gelu then JAX (109 s) while the other idled after 52 s.
_FRAMEWORK_MODULES = ("test_export_jax.py", "test_export_frameworks.py", "test_export_gelu.py", "test_export_torch.py",
                      "kernels_torch.py", "kernels_jax.py")


def pytest_collection_modifyitems(config, items):
    """The framework tests last (see above). The slow tests (the whole catalog's mutants, every
    derivation verified whole) run in CI (``.ci/run`` sets CI=true), with ``--run-slow``, or when
    selected with ``-m slow``; a local ``make test`` skips them, saying so, to stay within a few minutes."""
    last = {name: place for place, name in enumerate(_FRAMEWORK_MODULES, start=1)}
    items.sort(key=lambda item: last.get(item.path.name, 0))  # stable: the rest keeps its order
    for item in items:
        if item.path.name in HEAVY_MODULES:
            item.add_marker(pytest.mark.heavy)
    if os.environ.get("CI") or config.getoption("--run-slow") or "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI (CI=true) or with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# Under `pytest -n 2` (xdist's default `--dist load`) a module's tests are shared out one by one to
# both workers, so a module-scoped fixture (an export written and measured, frameworks imported,
# pages rendered) was built in both. The scheduler below keeps the tests of each module named here
# together, one unit run by one worker; the other modules' tests are still handed out one at a time.
# test_export.py and test_export_numpy.py share one written module: one unit. (xdist's own
# `--dist loadgroup` marks do not work with pytest 9, whose node ids xdist cannot suffix.)
GROUPED_MODULES = {
    "test_export.py": "numpy-export", "test_export_numpy.py": "numpy-export",
    **{name: name for name in ("test_export_frameworks.py", "test_export_torch.py", "test_export_jax.py",
                               "test_export_gelu.py", "test_report_structure.py", "test_reports.py",
                               "test_notebook.py", "test_plots.py", "test_report_display.py",
                               "test_catalog_part1.py", "test_bad_input.py")},
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist load`` (what ``-n 2`` does by default) with GROUPED_MODULES kept together, in
    collection order (the framework modules last, see below); any other ``--dist`` as asked."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesKeptTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return GROUPED_MODULES.get(nodeid.split("::", 1)[0].rsplit("/", 1)[-1], nodeid)

    config.option.loadscopereorder = False  # in collection order, not the biggest unit first
    return ModulesKeptTogether(config, log)


@pytest.fixture(scope="session", autouse=True)
def shared_verification_folder(tmp_path_factory):
    """The folder of ``shared_verification.verified`` (one verification per file version and
    settings in the session): the parent of the base temporary folder under xdist, which both
    workers share (``pytest-N/``, beside ``popen-gw0``, ``popen-gw1``), else the base folder."""
    base = tmp_path_factory.getbasetemp()
    shared_verification.set_folder(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)
    return shared_verification.folder()


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    """Every test's verification cache is a fresh temporary folder, never one in the repository,
    signed with a secret of the test session's own, never the user's ~/.config one."""
    folder = tmp_path_factory.mktemp("smoothsym_cache")
    monkeypatch.setenv("SMOOTHSYM_CACHE_DIR", str(folder))
    monkeypatch.setenv("SMOOTHSYM_CACHE_SECRET", str(folder / "cache-key"))
    return folder


@pytest.fixture
def load():
    """load(path) -> the one derivation the file defines (relative to the repository root)."""

    def _load(path):
        catalog = discover([str(ROOT / path)])
        assert not catalog.errors, catalog.errors
        (derivation,) = catalog.derivations
        return derivation

    return _load


@pytest.fixture
def run(load):
    """run(path_or_derivation, steps={numbers} or None, **settings) -> DerivationResult, with the
    default profile; only the numbered steps are verified when ``steps`` is given."""

    def _run(what, steps=None, **changes):
        derivation = load(what) if isinstance(what, (str, Path)) else what
        return verify(derivation, PROFILES["default"].replace(**changes), steps=steps)

    return _run
