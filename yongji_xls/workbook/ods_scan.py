"""The .ods counterpart of :mod:`.xlsx_scan`: formula and error cells from ``content.xml``.

calamine shows an ODS error cell (``#DIV/0!``) as empty; LibreOffice marks it
``calcext:value-type="error"``. One regex pass over the bytes finds formula cells, counting
rows and columns through ``number-rows-repeated`` / ``number-columns-repeated``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .xlsx_scan import MAX_SHEET_BYTES, CellMark, ScanError, SheetScan

_TOKEN = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS = re.compile(rb'table:number-columns-repeated="(\d+)"')
_TEXT = re.compile(rb"<text:p[^>]*>([^<]*)<")


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def scan_ods(path: str | Path) -> dict[str, SheetScan]:
    """Sheet name -> marked cells (formulas, error values) of an .ods file."""
    try:
        with zipfile.ZipFile(path) as zf:
            if zf.getinfo("content.xml").file_size > MAX_SHEET_BYTES:
                return {}
            data = zf.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise ScanError("file_corrupt", str(e)[:80] or type(e).__name__) from e
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise ScanError("file_xml_entity", "DOCTYPE")
    return scan_content_xml(data)


def scan_content_xml(data: bytes) -> dict[str, SheetScan]:
    out: dict[str, SheetScan] = {}
    scan = SheetScan()
    row, next_row, col = -1, 0, 0
    for m in _TOKEN.finditer(data):
        kind, attrs = m.group(1), m.group(2)
        if kind == b"table":
            name = _NAME.search(attrs)
            scan = out.setdefault(_unescape(name.group(1)) if name else "", SheetScan())
            row, next_row = -1, 0
        elif kind == b"table-row":
            reps = _ROWS.search(attrs)
            row, next_row, col = next_row, next_row + (int(reps.group(1)) if reps else 1), 0
        else:
            reps = _COLS.search(attrs)
            if b"table:formula=" in attrs:
                scan.marks[(row, col)] = _mark(data, m.end(), attrs, bool(m.group(3)))
            col += int(reps.group(1)) if reps else 1
    return out


def _mark(data: bytes, pos: int, attrs: bytes, closed: bool) -> CellMark:
    if b'calcext:value-type="error"' in attrs:
        text = _TEXT.match(data, pos) if not closed else None
        return CellMark(True, True, _unescape(text.group(1)).strip() if text else "#ERROR")
    return CellMark(True, b"office:value-type=" in attrs)
