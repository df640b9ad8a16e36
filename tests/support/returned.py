"""Returned workbooks as units really send them back (issue 10), built in code from real templates.

Each ``make_<case>(templates, dir) -> Path`` writes one filled template carrying one real-life
edit; ``EXPECT`` names the catalogue code each must raise and where. Control characters cannot
be written through openpyxl (it refuses them, as Excel's file format escapes them), so a token
typed with openpyxl is replaced in the saved XML by the ``_xHHHH_`` escape Excel itself writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from helpers import CONTACT, fill_workbook, locate

from yongji_xls.workbook import layout as L

TAX = "市税务局"
GOOD_TAX = {"total_tax": 10000, "ecommerce_tax": 600}


def patch_xml(path: Path, replace: dict[str, str]) -> Path:
    """Replace text tokens in every XML part of a saved workbook (in place)."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith(".xml"):
                for token, text in replace.items():
                    data = data.replace(token.encode(), text.encode())
            zout.writestr(info, data)
    os.replace(tmp, path)
    return path


def cell_of(path: Path, key: str, header: str) -> tuple[str, str]:
    wb = openpyxl.load_workbook(path)
    return locate(wb, key, header)


def tax_file(templates: dict[str, Path], out: Path, values: dict[str, Any] | None = None, **kw: Any) -> Path:
    kw.setdefault("contact", CONTACT)
    return fill_workbook(templates[TAX], {**GOOD_TAX, **(values or {})}, out, **kw)


def criterion(done: Any = "是", note: Any = "已开展专项工作", evidence: Any = "《工作方案》") -> dict[str, Any]:
    return {L.H_DONE: done, L.H_NOTE: note, L.H_EVIDENCE: evidence}


def libreoffice_convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """``src`` re-saved by LibreOffice as ``fmt`` (xls, ods, xlsx) into ``out_dir``: the real client."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required for this test"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # a private profile: parallel runs do not collide
        cmd = [
            soffice,
            f"-env:UserInstallation={(Path(profile) / uuid.uuid4().hex).as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    return out_dir / (src.stem + "." + fmt)


def cell_at(path: Path, key: str, header: str) -> tuple[str, str]:
    """(sheet, A1 cell) where ``key``'s ``header`` column is in a filled workbook."""
    import openpyxl

    from yongji_xls.workbook.write.filler import locate

    return locate(openpyxl.load_workbook(path), key, header)
