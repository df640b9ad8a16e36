"""Zip a folder of outputs (templates, feedback workbooks) for one download.

Members are named relative to the folder with forward slashes (what Windows' 压缩文件夹 and
every unzip tool expect), UTF-8 flagged so Chinese names survive; the archive is written
atomically beside its target.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .atomic import write_with


def zip_folder(folder: Path, dest: Path, suffixes: tuple[str, ...] = (".xlsx",)) -> Path:
    """Every file under ``folder`` ending in one of ``suffixes`` (temporary files skipped)."""
    folder = Path(folder)
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith((".", "~$"))
    )

    def build(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in files:
                zf.write(p, p.relative_to(folder).as_posix())

    return write_with(dest, build)
