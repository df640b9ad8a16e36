"""The .ods counterpart of :mod:`.xlsx_scan`: formula, error and merged cells from ``content.xml``.

calamine shows an ODS error cell (``#DIV/0!``) as empty; LibreOffice marks it
``calcext:value-type="error"``. One regex pass over the bytes finds formula cells, counting
rows and columns through ``number-rows-repeated`` / ``number-columns-repeated``.
"""

from __future__ import annotations

import re
from html import unescape

from .xlsx_scan import CellMark, SheetScan

_TOKEN = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_NAME = re.compile(rb'table:name="([^"]*)"')
_ROWS = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS = re.compile(rb'table:number-columns-repeated="(\d+)"')
_TEXT = re.compile(rb"<text:p[^>]*>([^<]*)<")
_SPAN_ROWS = re.compile(rb'table:number-rows-spanned="(\d+)"')
_SPAN_COLS = re.compile(rb'table:number-columns-spanned="(\d+)"')


def scan_content_xml(data: bytes) -> dict[str, SheetScan]:
    """Sheet name -> marked cells (formulas, error values) of ``content.xml``, which pre-flight
    has already inflated and checked."""
    out: dict[str, SheetScan] = {}
    scan = SheetScan()
    row, next_row, col = -1, 0, 0
    for m in _TOKEN.finditer(data):
        kind, attrs = m.group(1), m.group(2)
        if kind == b"table":
            name = _NAME.search(attrs)
            scan = out.setdefault(_text(name.group(1)) if name else "", SheetScan())
            row, next_row = -1, 0
        elif kind == b"table-row":
            reps = _ROWS.search(attrs)
            row, next_row, col = next_row, next_row + (int(reps.group(1)) if reps else 1), 0
        else:
            reps = _COLS.search(attrs)
            if b"table:formula=" in attrs:
                scan.marks[(row, col)] = _mark(data, m.end(), attrs, bool(m.group(3)))
            if b'value-type="percentage"' in attrs:  # shown as 15 %, stored as 0.15
                scan.percent.add((row, col))
            if b"-spanned=" in attrs:  # a merged range (calamine does not report .ods merges)
                rs, cs = _SPAN_ROWS.search(attrs), _SPAN_COLS.search(attrs)
                rows, cols = int(rs.group(1)) if rs else 1, int(cs.group(1)) if cs else 1
                if rows > 1 or cols > 1:
                    scan.merges.append(((row, col), (row + rows - 1, col + cols - 1)))
            col += int(reps.group(1)) if reps else 1
    return out


def _text(raw: bytes) -> str:
    return unescape(raw.decode("utf-8", "replace"))


def _mark(data: bytes, pos: int, attrs: bytes, closed: bool) -> CellMark:
    if b'calcext:value-type="error"' in attrs:
        text = _TEXT.match(data, pos) if not closed else None
        return CellMark(True, True, _text(text.group(1)).strip() if text else "#ERROR")
    return CellMark(True, b"office:value-type=" in attrs)
