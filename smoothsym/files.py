"""Writing output files whole or not at all: a temporary file in the same directory, then a rename.

A temporary file is named ``.tmp-*.part``: unique to its writer (two runs at once never touch each
other's), hidden, and with no report suffix, so a stray one left by a killed run is never taken
for a report. A file that cannot be written (a read-only folder, a full disk) is a ``WriteError``
naming the path, and the file that was there is left as it was.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     write_atomically(os.path.join(d, "a", "b.txt"), "hello\\n")
...     print(open(os.path.join(d, "a", "b.txt")).read(), sorted(os.listdir(os.path.join(d, "a"))))
hello
 ['b.txt']
>>> with tempfile.TemporaryDirectory() as d:
...     open(os.path.join(d, "file"), "w").close()
...     write_atomically(os.path.join(d, "file", "b.txt"), "hello\\n")  # doctest: +ELLIPSIS
Traceback (most recent call last):
smoothsym.files.WriteError: cannot write .../file: it is a file, not a folder
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import LoadError, SmoothsymError

DEFAULT_PATH = "derivations"


def derivation_files(paths: list[str]) -> list[Path]:
    """The ``*.py`` files under each path (a directory) or the path itself (a file)."""
    files: list[Path] = []
    for raw in paths or [DEFAULT_PATH]:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        elif path.is_file():
            files.append(path)
        else:
            raise LoadError(f"no such file or directory: {raw}", file=str(raw))
    return files

TEMP_PREFIX = ".tmp-"
TEMP_SUFFIX = ".part"


class WriteError(SmoothsymError, OSError):
    """An output file could not be written: the folder is read-only or missing, or the disk is
    full. ``path`` is the file (or folder) at fault; what was there before is unchanged.

    Remedy: free space, or choose a folder you may write to (``--out``, ``--json``, ``-o``).
    """

    def __init__(self, path: str, reason: str, unchanged: str | None = None) -> None:
        self.path = path
        self.reason = reason
        tail = f"; {unchanged}" if unchanged else ""
        super().__init__(f"cannot write {shown_path(path)}: {reason}{tail}")


def shown_path(path: str) -> str:
    """``path`` as text that prints anywhere: bytes that are not UTF-8 in a file name (which
    Python holds as lone surrogates) written as ``\\xff``.

    >>> shown_path("caf\\udce9.py")
    'caf\\\\xe9.py'
    """
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def reason(exc: OSError) -> str:
    """An OSError's cause in words: "No space left on device", "Read-only file system"."""
    return exc.strerror or type(exc).__name__


def make_folder(directory: str, unchanged: str | None = None) -> None:
    """Create ``directory`` (and its parents) unless it exists; a WriteError naming it if not."""
    if os.path.isdir(directory):
        return
    if os.path.lexists(directory):
        raise WriteError(directory, "it is a file, not a folder", unchanged)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise WriteError(directory, reason(exc), unchanged) from None


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    replace_atomically(path, text.encode("utf-8"))


def replace_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    make_folder(directory)
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise WriteError(path, reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(path, reason(exc), f"{shown_path(path)} is unchanged") from None
        raise


def is_temporary(name: str) -> bool:
    """A file name this module (or a staging folder) uses while writing: never an output."""
    return name.startswith(".")
