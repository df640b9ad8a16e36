"""Locate bundled data folders (report templates, sample workbooks).

Running from a source checkout they sit at the repository root; after ``pip install .`` they
are installed under ``<prefix>/share/yongji-xls/`` (setup.cfg ``data_files``).
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path


def bundled(name: str) -> Path:
    """The first existing ``name`` folder: source checkout, then installed data locations."""
    candidates = [Path(__file__).resolve().parents[1] / name]
    for prefix in {sys.prefix, sysconfig.get_paths().get("data", sys.prefix)}:
        candidates.append(Path(prefix) / "share" / "yongji-xls" / name)
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(f"找不到随程序安装的「{name}」文件夹（已查找：{'；'.join(map(str, candidates))}）。请重新安装本工具")
