"""Writing output files whole or not at all: a temporary file in the same directory, then a rename.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     write_atomically(os.path.join(d, "a", "b.txt"), "hello\\n")
...     print(open(os.path.join(d, "a", "b.txt")).read(), sorted(os.listdir(os.path.join(d, "a"))))
hello
 ['b.txt']
"""

from __future__ import annotations

import os
import tempfile


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    replace_atomically(path, text.encode("utf-8"))


def replace_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
