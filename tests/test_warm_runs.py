"""A warm `smoothsym verify`: when nothing a derivation file read has changed, the run prints
what the last run printed without importing the file (or SymPy); any change to what the file
read, however it reached the claim, makes the run verify again; a record that is forged, from
another secret, or whose cache entry is gone is never replayed (see smoothsym/replay.py).

Each run is a fresh `python -m smoothsym.cli` process, as a user runs it. Whether a run was
replayed is read off `-X importtime`: a replayed run never imports SymPy."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests/fixtures/cache"
CLEAN = "x**2 - 1 = (x - 1)(x + 1)"


@pytest.fixture
def folder(tmp_path):
    """A copy of tests/fixtures/cache (claims that come from outside their files), with a cache
    folder and a signing secret of its own; without custom_function.py, which is never cached
    (its own Function subclass), so never replayed (see the last test)."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    (tmp_path / "sources/custom_function.py").unlink()
    return tmp_path


def run(folder: Path, *args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, bool]:
    """``smoothsym verify`` on the copied sources; (the process, whether it was replayed)."""
    environment = {**os.environ, "SMOOTHSYM_CACHE_DIR": str(folder / "cache"),
                   "SMOOTHSYM_CACHE_SECRET": str(folder / "secret"), "PYTHONDONTWRITEBYTECODE": "1",
                   "PYTHONPATH": str(ROOT)}
    environment.pop("SMOOTHSYM_TEST_CLAIM", None)
    environment.pop("SMOOTHSYM_TEST_BOUND", None)
    environment.update(env or {})
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "smoothsym.cli", "verify", *args],
                          cwd=folder, env=environment, capture_output=True, text=True, timeout=600)
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    errors = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("import time:"))
    done.stderr = errors
    return done, "sympy" not in imported


def step_lines(done: subprocess.CompletedProcess) -> list[str]:
    """The step lines and the summary without its time."""
    lines = done.stdout.splitlines()
    return lines[:-1] + [lines[-1].rsplit(" in ", 1)[0]]


def test_a_second_run_with_nothing_changed_is_replayed_with_the_same_output(folder):
    first, replayed = run(folder, "sources", "-j", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    assert not replayed
    second, replayed = run(folder, "sources", "-j", "2")
    assert replayed, "the second run imported SymPy: it was not replayed"
    # what a cached run prints: the same lines, the time column 'cached'
    shutil.rmtree(folder / "cache")
    run(folder, "sources", "-j", "2")
    for record in (folder / "cache").glob("*.replay"):
        record.unlink()
    cached, replayed = run(folder, "sources", "-j", "2")
    assert not replayed
    assert step_lines(second) == step_lines(cached)
    assert second.returncode == cached.returncode == 0
    assert all("cached" in line for line in second.stdout.splitlines()[:-1] if line.split()[2:3] != ["given"])


def test_the_replayed_json_is_the_cached_runs_json(folder):
    run(folder, "sources", "--json", "first.json")
    replay, replayed = run(folder, "sources", "--json", "-")
    assert replayed
    for record in (folder / "cache").glob("*.replay"):
        record.unlink()
    cached, replayed = run(folder, "sources", "--json", "-")
    assert not replayed
    assert json.loads(replay.stdout) == json.loads(cached.stdout)
    assert all(step["cached"] for d in json.loads(replay.stdout)["derivations"] for step in d["steps"])


def _falsify(folder: Path, how: str) -> dict:
    """Make the claim of one fixture false from outside its derivation file; the environment
    the next run needs."""
    sources = folder / "sources"
    if how == "helper module":
        claims = sources / "helpers/__init__.py"
        claims.write_text(claims.read_text().replace("(x - 1) * (x + 1)", "(x - 1) * (x + 2)"))
    elif how == "data file":
        (sources / "claim.txt").write_text("(x - 1)*(x + 2)\n")
    elif how == "importlib module":
        source = sources / "_claim_source.py"
        source.write_text(source.read_text().replace("(x - 1) * (x + 1)", "(x - 1) * (x + 2)"))
    elif how == "environment variable":
        return {"SMOOTHSYM_TEST_CLAIM": "(x - 1)*(x + 2)"}
    elif how == "instance function's environment variable":
        return {"SMOOTHSYM_TEST_BOUND": "1"}
    return {}


@pytest.mark.parametrize("how, file", [
    ("helper module", "claim_from_package.py"), ("data file", "claim_from_data_file.py"),
    ("importlib module", "claim_from_importlib.py"), ("environment variable", "claim_from_environment.py"),
    ("instance function's environment variable", "generalise_reads_at_check_time.py"),
])
def test_a_claim_made_false_outside_its_file_is_not_replayed_but_refuted(folder, how, file):
    path = f"sources/{file}"
    first, _ = run(folder, path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert run(folder, path)[1], "nothing changed: the run should be replayed"
    env = _falsify(folder, how)
    after, replayed = run(folder, path, env=env)
    assert not replayed
    assert after.returncode == 1, after.stdout
    assert "refuted" in after.stdout


def test_editing_the_derivation_file_is_not_replayed(folder):
    run(folder, "sources")
    path = folder / "sources/claim_from_environment.py"
    path.write_text(path.read_text() + "\n# a comment\n")
    after, replayed = run(folder, "sources")
    assert not replayed  # the file changed: imported again (its verdicts come from the cache: a comment is no claim)
    assert after.returncode == 0


def test_a_new_file_in_the_folder_is_not_replayed(folder):
    run(folder, "sources")
    shutil.copy(ROOT / "derivations/softplus.py", folder / "sources/softplus.py")
    after, replayed = run(folder, "sources")
    assert not replayed
    assert "softplus" in after.stdout


def test_randomness_at_import_is_never_replayed(folder):
    (folder / "sources/drawn.py").write_text(
        "import random\nfrom sympy import Symbol, Integer\nfrom smoothsym import Derivation, Given, Rewrite\n"
        "x = Symbol('x', real=True)\nc = Integer(random.randint(1, 10 ** 6))\n"
        "derivation = Derivation(name='drawn', title='t', symbols=(x,), steps=[Given(x + c), Rewrite(c + x)])\n")
    run(folder, "sources")
    after, replayed = run(folder, "sources")
    assert not replayed
    assert after.returncode == 0


@pytest.mark.parametrize("damage", ["edited payload", "other secret", "entry deleted"])
def test_a_forged_or_orphaned_record_is_not_replayed(folder, damage):
    run(folder, "sources/claim_from_environment.py")
    (record,) = (folder / "cache").glob("*.replay")
    if damage == "edited payload":
        text = record.read_text()
        record.write_text(text.replace("proved", "PROVED", 1) if "proved" in text else text + " ")
    elif damage == "other secret":
        (folder / "secret").write_text("f" * 64 + "\n")
    else:
        (entry,) = (folder / "cache").glob("*.json")
        entry.unlink()
    after, replayed = run(folder, "sources/claim_from_environment.py")
    assert not replayed
    assert after.returncode == 0
    assert "PROVED" not in after.stdout


def test_no_cache_strict_and_other_settings_are_never_replayed(folder):
    run(folder, "sources/claim_from_environment.py")
    assert run(folder, "sources/claim_from_environment.py")[1]
    for options in (["--no-cache"], ["--strict"], ["--seed", "7"], ["--digits", "60"]):
        done, replayed = run(folder, "sources/claim_from_environment.py", *options)
        assert not replayed, options
        assert "cached" not in done.stdout or options[0] in ("--seed", "--digits")


def test_only_selects_among_replayed_derivations(folder):
    run(folder, "sources")
    done, replayed = run(folder, "sources", "--only", "claim-from-data-file")
    assert replayed
    assert {line.split()[0] for line in done.stdout.splitlines()[:-1]} == {"claim-from-data-file"}
    unknown, replayed = run(folder, "sources", "--only", "no-such-derivation")
    assert not replayed  # the full run names the derivations there are
    assert unknown.returncode == 2 and "no-such-derivation" in unknown.stderr


def test_a_file_that_cannot_be_cached_is_imported_and_the_others_are_replayed(folder):
    shutil.copy(SOURCES / "custom_function.py", folder / "sources/custom_function.py")
    marker = "import sys\nprint('importing', __name__.rsplit('.', 1)[-1].rsplit('_', 1)[0], file=sys.stderr)\n"
    for name in ("claim_from_data_file.py", "custom_function.py"):
        path = folder / "sources" / name
        path.write_text(marker + path.read_text())
    first, _ = run(folder, "sources")
    assert "importing claim_from_data_file" in first.stderr and "importing custom_function" in first.stderr
    second, replayed = run(folder, "sources")
    assert not replayed  # custom_function.py is imported, and SymPy with it
    assert "importing custom_function" in second.stderr
    assert "importing claim_from_data_file" not in second.stderr  # replayed
    replayed_lines = [line for line in second.stdout.splitlines() if line.startswith("claim-from-data-file")]
    assert replayed_lines and all(" cached " in line for line in replayed_lines if " given " not in line)
    names = [line.split()[0] for line in second.stdout.splitlines()[:-1]]
    assert names == [line.split()[0] for line in first.stdout.splitlines()[:-1]]  # the file order kept
    assert second.returncode == first.returncode == 0
