"""Zip a folder of outputs (templates, feedback workbooks), or a run's set, for one download.

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
    return zip_files(folder, [p.relative_to(folder) for p in files], dest)


def zip_files(folder: Path, files: list[Path], dest: Path) -> Path:
    """``files`` (relative to ``folder``) under their relative names."""

    def build(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for rel in files:
                zf.write(Path(folder) / rel, Path(rel).as_posix())

    return write_with(dest, build)
