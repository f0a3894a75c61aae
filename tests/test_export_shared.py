"""The exported numpy module shared by test_export.py and test_export_numpy.py (no tests here).

Written once per test process as `smoothsym export` (the command line) writes it from the stable
forms and the code's own formulas (``export.export``'s call, ``assemble``, with the derivations
verified once in the session: tests/shared_verification.py), imported from the written file. Both
test files import this module by its plain name (tests/ on sys.path) and run in one xdist worker
(conftest.py's GROUPED_MODULES), so they share one export instead of one each. The command line's
own export is run by test_export.py's tests of it.
"""

from __future__ import annotations

import functools
import importlib.util
import tempfile
from pathlib import Path

from smoothsym import export
from smoothsym.files import write_atomically
from shared_verification import verified

ROOT = Path(__file__).resolve().parents[1]
STABLE = str(ROOT / "derivations" / "stable_forms.py")
FORMS = str(ROOT / "derivations" / "export_forms.py")


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"exported_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def written_module():
    """(path, module) of the numpy module `smoothsym export` writes; the folder lives as long as the process."""
    folder = Path(tempfile.mkdtemp(prefix="smoothsym-export-test-"))
    path = folder / "smooth_numpy.py"
    command = f"smoothsym export {STABLE} {FORMS} --target numpy -o {path}"  # what cmd_export writes in the header
    done = export.assemble([STABLE, FORMS], target="numpy", command=command, verified=verified([STABLE, FORMS]))
    assert done.exports and not done.refused, done.refused
    write_atomically(str(path), done.source)
    return path, load(path)
