"""The verification cache: a hit spares the verification, any change to what decides the
verdicts is a miss, and a damaged entry is ignored and rebuilt, never trusted."""

import shutil
from pathlib import Path

import pytest

import smoothsym.cache as cache_module
import smoothsym.files
import smoothsym.runner
from smoothsym.cache import VerificationCache
from smoothsym.cli import main
from smoothsym.loader import discover
from smoothsym.runner import verify
from smoothsym.settings import PROFILES
from smoothsym.verdict import Status

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = PROFILES["default"]


@pytest.fixture
def catalog(tmp_path):
    """A copy of smooth_abs.py in a temporary folder."""
    shutil.copy(ROOT / "derivations/smooth_abs.py", tmp_path / "smooth_abs.py")
    return tmp_path


@pytest.fixture
def verified(monkeypatch):
    """The names of the derivations the runner really verifies (not taken from the cache)."""
    names = []

    def counting(derivation, settings, steps=None):
        names.append(derivation.name)
        return verify(derivation, settings, steps)

    monkeypatch.setattr(smoothsym.runner, "verify", counting)
    return names


def _load(path):
    (derivation,) = discover([str(path)]).derivations
    return derivation


def test_the_second_run_is_a_hit_with_the_same_verdicts(catalog, verified, cache_dir, capsys):
    assert main(["verify", str(catalog)]) == 0
    first = capsys.readouterr().out
    assert main(["verify", str(catalog)]) == 0
    second = capsys.readouterr().out
    assert verified == ["smooth-abs"]
    assert first.splitlines()[:-1] == second.splitlines()[:-1]  # all but the timing summary
    assert len(list(cache_dir.glob("*.json"))) == 1


def test_a_loaded_entry_equals_the_verified_result(catalog):
    derivation = _load(catalog / "smooth_abs.py")
    result = verify(derivation, SETTINGS)
    cache = VerificationCache()
    assert cache.store(result, SETTINGS)
    loaded = cache.load(derivation, SETTINGS)
    assert [r.verdict for r in loaded.steps] == [r.verdict for r in result.steps]
    assert [repr(r.verdict) for r in loaded.steps] == [repr(r.verdict) for r in result.steps]  # dict order too
    assert [r.before for r in loaded.steps] == [r.before for r in result.steps]


def test_editing_the_file_is_a_miss(catalog, verified):
    main(["verify", str(catalog)])
    with open(catalog / "smooth_abs.py", "a") as f:
        f.write("# an edit\n")
    main(["verify", str(catalog)])
    assert verified == ["smooth-abs", "smooth-abs"]


def test_editing_a_catalog_module_it_imports_is_a_miss(catalog):
    (catalog / "helpers.py").write_text("from sympy import Symbol\nx = Symbol('x', real=True)\n")
    source = (catalog / "smooth_abs.py").read_text().replace('x = Symbol("x", real=True)', "from helpers import x")
    (catalog / "smooth_abs.py").write_text(source)
    before = cache_module.source_hash(catalog / "smooth_abs.py")
    (catalog / "helpers.py").write_text("from sympy import Symbol\nx = Symbol('x', real=True)  # edited\n")
    assert cache_module.source_hash(catalog / "smooth_abs.py") != before


def test_other_settings_or_another_engine_are_a_miss(catalog, monkeypatch):
    derivation = _load(catalog / "smooth_abs.py")
    cache = VerificationCache()
    cache.store(verify(derivation, SETTINGS), SETTINGS)
    assert cache.load(derivation, SETTINGS) is not None
    assert cache.load(derivation, SETTINGS.replace(seed=1)) is None
    monkeypatch.setattr(cache_module, "engine_fingerprint", lambda: "0.1.0+changed")
    assert cache.load(derivation, SETTINGS) is None


def test_the_engine_fingerprint_covers_the_engine_sources():
    fingerprint = cache_module.engine_fingerprint()
    assert fingerprint.startswith(smoothsym.__version__ + "+") and len(fingerprint.split("+")[1]) == 16


@pytest.mark.parametrize("damage", ["truncate", "tamper", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rebuilt(catalog, verified, cache_dir, damage):
    main(["verify", str(catalog)])
    (entry,) = cache_dir.glob("*.json")
    text = entry.read_text()
    damaged = {
        "truncate": text[: len(text) // 2],
        "tamper": text.replace('"status": "proved"', '"status": "refuted"', 1),  # valid JSON, wrong checksum
        "garbage": "\x00\x01 not a cache entry",
        "empty": "",
    }[damage]
    assert damaged != text
    entry.write_text(damaged)
    assert VerificationCache().load(_load(catalog / "smooth_abs.py"), SETTINGS) is None
    assert main(["verify", str(catalog)]) == 0
    assert verified == ["smooth-abs", "smooth-abs"]
    assert VerificationCache().load(_load(catalog / "smooth_abs.py"), SETTINGS) is not None  # rebuilt


def test_no_cache_verifies_again(catalog, verified):
    main(["verify", str(catalog)])
    main(["verify", str(catalog), "--no-cache"])
    assert verified == ["smooth-abs", "smooth-abs"]


def test_errors_and_timeouts_are_not_stored(cache_dir):
    derivation = _load(ROOT / "tests/fixtures/cases/empty_domain.py")
    result = verify(derivation, SETTINGS)
    assert result.steps[-1].verdict.status is Status.ERROR
    assert not VerificationCache().store(result, SETTINGS)
    assert not list(cache_dir.iterdir())


def test_an_interrupted_write_leaves_the_old_entry_whole(catalog, cache_dir, monkeypatch):
    """Ctrl-C while an entry is written: the previous entry still loads, no temporary is left."""
    derivation = _load(catalog / "smooth_abs.py")
    result = verify(derivation, SETTINGS)
    cache = VerificationCache()
    cache.store(result, SETTINGS)
    before = sorted(p.name for p in cache_dir.iterdir())

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(smoothsym.files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.store(result, SETTINGS)
    monkeypatch.undo()
    assert sorted(p.name for p in cache_dir.iterdir()) == before
    assert cache.load(derivation, SETTINGS) is not None


def test_the_folder_is_beside_the_derivation_without_the_environment_variable(catalog, monkeypatch):
    monkeypatch.delenv("SMOOTHSYM_CACHE_DIR")
    derivation = _load(catalog / "smooth_abs.py")
    assert VerificationCache().entry_path(derivation).parent == catalog / ".smoothsym_cache"


def test_parallel_runs_use_the_cache_too(catalog, verified, capsys):
    shutil.copy(ROOT / "tests/fixtures/cases/checked_arctan.py", catalog / "arctan.py")
    main(["verify", str(catalog), "-j", "2"])
    first = capsys.readouterr().out
    main(["verify", str(catalog), "-j", "2"])
    assert capsys.readouterr().out.splitlines()[:-1] == first.splitlines()[:-1]
    assert verified == []  # both were verified in forked children; the second run in none
