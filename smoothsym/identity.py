"""What identifies how a verdict was made, and who may vouch for it: the engine's own sources,
the versions of the oracles that computed it, and the per-user secret that signs the cache's
entries and the warm path's records (see cache.py and replay.py). Kept apart from them, and
free of SymPy, so that a warm ``verify`` can check a record without importing SymPy.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

from . import __version__

CACHE_FORMAT = "smoothsym-cache 2 hmac-sha256"
CACHE_DIRECTORY_VARIABLE = "SMOOTHSYM_CACHE_DIR"  # where entries live, else CACHE_FOLDER beside each file
CACHE_FOLDER = ".smoothsym_cache"
SECRET_VARIABLE = "SMOOTHSYM_CACHE_SECRET"
SECRET_BYTES = 32
_PACKAGE_DIR = Path(__file__).resolve().parent
_ORACLES = ("sympy", "mpmath", "python-flint", "numpy")


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """The version and a hash of the engine's own sources: an engine change invalidates all."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:16]}"


@functools.lru_cache(maxsize=1)
def _oracle_versions() -> dict[str, str]:
    """The versions of what computes verdicts: a new SymPy, mpmath, Arb (python-flint), NumPy
    (the bound search) or Python may judge a step differently, so no verdict crosses versions."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": f"{sys.implementation.name} {sys.version}"}
    for package in _ORACLES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:  # pragma: no cover - every one is a dependency
            found[package] = "missing"
    return found


# -- the secret that signs entries ------------------------------------------------------------


def secret_path() -> Path:
    """``$SMOOTHSYM_CACHE_SECRET``, else ``$XDG_CONFIG_HOME/smoothsym/cache-key`` (an absolute
    ``XDG_CONFIG_HOME`` only, as the XDG spec says), else ``~/.config/smoothsym/cache-key``."""
    named = os.environ.get(SECRET_VARIABLE)
    if named:
        return Path(named)
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if os.path.isabs(config) else Path.home() / ".config"
    return base / "smoothsym" / "cache-key"


def _create_secret(path: Path) -> None:
    """Write a new random secret to ``path`` (mode 0600) unless one is there: written to a
    temporary file, then hard-linked into place, so two first runs agree on one secret."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:  # another run created it first: use theirs
            pass
    finally:
        os.unlink(temporary)


def load_secret(path: Path | None = None) -> tuple[bytes | None, str | None]:
    """(the secret, None), or (None, why it cannot be used)."""
    path = path or secret_path()
    try:
        if not path.exists():
            _create_secret(path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            data = handle.read().strip()
    except (OSError, RuntimeError) as exc:  # RuntimeError: no home directory
        return None, f"the cache secret {path} cannot be read or created ({exc})"
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o077):
        return None, f"the cache secret {path} is not private to you (chmod 600 it, or delete it to make a new one)"
    if len(data) < SECRET_BYTES:
        return None, f"the cache secret {path} is shorter than {SECRET_BYTES} bytes (delete it to make a new one)"
    return data, None


def signature(secret: bytes, format_line: str, payload: str) -> str:
    """The HMAC-SHA256 of a file's payload under its format line: what its header carries."""
    return hmac.new(secret, f"{format_line}\n{payload}".encode("utf-8"), hashlib.sha256).hexdigest()


def signed_payload(text: str, format_line: str, secret: bytes) -> str | None:
    """The payload of a file written as ``format_line signature`` + newline + payload, or None
    when its header is not that format signed with that secret."""
    header, _, payload = text.partition("\n")
    expected = f"{format_line} {signature(secret, format_line, payload)}"
    return payload if hmac.compare_digest(header.encode("utf-8"), expected.encode("utf-8")) else None
