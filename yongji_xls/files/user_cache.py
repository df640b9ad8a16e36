"""The user's cache folder: derived data that is safe to lose (the pickled spec, compiled
report templates, the template packages feedback workbooks are patched from).

Everything stored here is keyed by a hash of its source, so an edited file is never served
stale; a folder that cannot be created or written only costs the time the cache would save.
``YONGJI_XLS_CACHE`` moves the folder, or turns caching off with ``off``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ENV_VAR = "YONGJI_XLS_CACHE"


def cache_dir() -> Path | None:
    """The platform's user cache folder for the tool (platformdirs: ``%LOCALAPPDATA%\\yongji-xls\\Cache``
    on Windows, ``$XDG_CACHE_HOME/yongji-xls`` on Linux, ``~/Library/Caches/yongji-xls`` on macOS);
    None when caching is off."""
    env = os.environ.get(ENV_VAR)
    if env == "off":
        return None
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("yongji-xls", appauthor=False))


def jinja_bytecode_cache() -> Any | None:
    """A jinja2 bytecode cache in ``<cache>/jinja``, or None when there is no usable folder.

    Compiling the two report templates costs ~60 ms, about a tenth of a whole ``run``; jinja2
    checks each cached entry against a checksum of the template source, so an edited wording
    file is recompiled. A failed write is ignored, never raised."""
    import jinja2

    base = cache_dir()
    if base is None:
        return None
    folder = base / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None

    class _QuietCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return _QuietCache(str(folder))
