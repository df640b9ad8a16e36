"""Atomic output: write beside the target, then rename, so an interrupted run leaves the
previous output intact. Works on Windows (os.replace) and POSIX alike."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces the target.
    ``private``: the file keeps mkstemp's owner-only mode (0600); on Windows the folder's ACL applies."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=target.suffix + ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if private and os.name != "nt":
            os.chmod(tmp_path, 0o600)  # a writer (a workbook library) may have recreated the file
        else:
            _default_mode(tmp_path)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _process_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux's
    /proc/self/status); elsewhere probed once, at import, with a safe mask (022) in the instant."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = 0 if os.name == "nt" else _process_umask()


def _default_mode(path: Path) -> None:
    """mkstemp creates 0600; give the output the permissions a normal file would get. The umask
    is read once: setting it to probe it is process-wide, and a file another thread (the web
    page's uploads) created in that instant would be world-writable."""
    if os.name == "nt":
        return
    os.chmod(path, 0o666 & ~_UMASK)


def write_bytes(target: str | Path, data: bytes, *, private: bool = False) -> Path:
    with atomic_path(target, private=private) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str, *, private: bool = False) -> Path:
    return write_bytes(target, text.encode("utf-8"), private=private)


def write_with(target: str | Path, writer: Callable[[Path], object], *, private: bool = False) -> Path:
    """Call ``writer(tmp_path)`` (e.g. a workbook's save) and move the result into place."""
    with atomic_path(target, private=private) as tmp:
        writer(tmp)
    return Path(target)
