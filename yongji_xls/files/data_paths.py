"""Locate the bundled data folders (report wording templates, sample workbooks).

In the source tree they are the repository's top-level ``templates/`` and ``sample_workbooks/``
(the layout the user asked for; the README sends people there). A built wheel carries the same
folders inside the package as ``yongji_xls/_bundled/<name>`` (``setup.py`` maps them), found with
:mod:`importlib.resources` — no search through install prefixes, which missed ``--user``,
``--target`` and embedded-Python installs.
"""

from __future__ import annotations

from pathlib import Path


def candidate_dirs(name: str) -> list[Path]:
    """Where ``name`` may be, in the order searched: inside the installed package, then the
    source tree (a checkout or an editable install)."""
    from importlib.resources import files

    packaged = files("yongji_xls") / "_bundled" / name
    out = [Path(str(packaged))] if isinstance(packaged, Path) else []  # a zip import has no folder to hand out
    return [*out, Path(__file__).resolve().parents[2] / name]


def bundled(name: str) -> Path:
    """The first existing ``name`` folder of :func:`candidate_dirs`."""
    candidates = candidate_dirs(name)
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(
        f"找不到随程序安装的「{name}」文件夹（已查找：{'；'.join(map(str, candidates))}）。请重新安装本工具"
    )
