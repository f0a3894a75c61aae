"""The exported numpy module shared by test_export.py and test_export_numpy.py (no tests here).

Written once per test process by `smoothsym export` (the command line) from the stable forms and
the code's own formulas, imported from the written file. Both test files import this module by
its plain name (tests/ on sys.path), so they share one export (about 20 s) instead of two.
"""

from __future__ import annotations

import functools
import importlib.util
import tempfile
from pathlib import Path

from smoothsym.cli import main

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
    assert main(["export", STABLE, FORMS, "--target", "numpy", "-o", str(path)]) == 0
    return path, load(path)
