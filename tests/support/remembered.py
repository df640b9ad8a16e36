"""Corpus makers run once per session: a hostile or broken file is written once, then copied.

Several modules build the same hostile corpus (pre-flight, the OLE scan, whole runs, the input
folder); some makers cost a second (xlsxwriter spanning a million rows, LibreOffice converting a
document). The first call runs the maker in a private folder and keeps every file it leaves there;
later calls with the same arguments write those bytes into the caller's folder and return the same
name in it. The memo belongs to each maker (never a global table keyed by an address), keyed by the
``repr`` of the other arguments; an argument whose ``repr`` is an address is never a key.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def remembered(maker: Callable[..., Path]) -> Callable[..., Path]:
    """``maker(dir, *args, **kw) -> Path``, its files written once per session and copied after."""
    made: dict[str, tuple[str, dict[str, bytes]]] = {}

    @functools.wraps(maker)
    def make(dir: Path, *args, **kw) -> Path:
        key = repr((args, sorted(kw.items())))
        if " at 0x" in key:
            return maker(dir, *args, **kw)
        if key not in made:
            private = Path(tempfile.mkdtemp(prefix="made-"))
            try:
                path = Path(maker(private, *args, **kw))
                files = {str(p.relative_to(private)): p.read_bytes() for p in private.rglob("*") if p.is_file()}
                made[key] = (str(path.relative_to(private)), files)
            finally:
                shutil.rmtree(private, ignore_errors=True)
        name, files = made[key]
        for rel, data in files.items():
            target = Path(dir) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return Path(dir) / name

    return make
