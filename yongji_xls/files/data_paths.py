"""Locate bundled data folders (report templates, sample workbooks).

Running from a source checkout they sit at the repository root; after ``pip install .`` they
are installed under ``<prefix>/share/yongji-xls/`` (setup.cfg ``data_files``), where the prefix
may be the environment, the data scheme, the user base (``pip install --user``) or the base
interpreter.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path


def candidate_dirs(name: str) -> list[Path]:
    """Where ``name`` may be, in the order searched: the source tree, then install prefixes."""
    out = [Path(__file__).resolve().parents[2] / name]
    prefixes = [sys.prefix, sysconfig.get_path("data"), getattr(site, "USER_BASE", None) or "", sys.base_prefix]
    for prefix in dict.fromkeys(p for p in prefixes if p):
        out.append(Path(prefix) / "share" / "yongji-xls" / name)
    return out


def bundled(name: str) -> Path:
    """The first existing ``name`` folder of :func:`candidate_dirs`."""
    candidates = candidate_dirs(name)
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(
        f"找不到随程序安装的「{name}」文件夹（已查找：{'；'.join(map(str, candidates))}）。请重新安装本工具"
    )
