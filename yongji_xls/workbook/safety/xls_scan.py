"""Formulas and error values of a legacy .xls, from its BIFF8 records (what calamine hides).

calamine returns a formula's cached value and reads an error cell (#DIV/0!) as empty, so a unit's
broken formula would look like a blank cell. The records say it plainly: FORMULA (0x0006) for a
formula cell, with its cached result (an error when the result type is 2), and BOOLERR (0x0205)
with fError set for a typed error constant. Only those records are looked at, in one linear pass
over the Workbook stream; the sheet names come from BOUNDSHEET8. Runs inside the isolated reader
worker, like everything that touches an .xls. Any parse problem yields no marks (never a crash).
"""

from __future__ import annotations

import io
import struct

from .cfb import Cfb
from .xlsx_scan import CellMark, SheetScan

_BOF, _EOF, _BOUNDSHEET, _FORMULA, _BOOLERR = 0x0809, 0x000A, 0x0085, 0x0006, 0x0205
ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
MAX_STREAM = 64 << 20


def scan_xls(data: bytes) -> dict[str, SheetScan]:
    """Sheet name -> formula/error cells of an .xls file's bytes; {} when it cannot be parsed."""
    try:
        cfb = Cfb(io.BytesIO(data), len(data))
        entry = cfb.entries.get("workbook") or cfb.entries.get("book")
        if entry is None or entry[0] != 2:
            return {}
        return scan_biff(cfb.stream(entry[1], entry[2], MAX_STREAM))
    except (ValueError, struct.error, IndexError):
        return {}


def scan_biff(stream: bytes) -> dict[str, SheetScan]:
    sheets: dict[int, str] = {}
    out: dict[str, SheetScan] = {}
    pos, current, n = 0, None, len(stream)
    while pos + 4 <= n:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + length]
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset, _, cch, flags = struct.unpack_from("<IHBB", body, 0)
            raw = body[8 : 8 + cch * (2 if flags & 1 else 1)]
            sheets[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
        elif kind == _BOF:
            current = out.setdefault(sheets[pos], SheetScan()) if pos in sheets else None
        elif kind == _EOF:
            current = None
        elif current is not None and kind == _FORMULA and len(body) >= 14:
            row, col = struct.unpack_from("<HH", body, 0)
            value = body[6:14]
            error = ERROR_CODES.get(value[2], "#ERROR") if value[6:8] == b"\xff\xff" and value[0] == 2 else ""
            current.marks[(row, col)] = CellMark(True, True, error)
        elif current is not None and kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
            row, col = struct.unpack_from("<HH", body, 0)
            current.marks[(row, col)] = CellMark(False, True, ERROR_CODES.get(body[6], "#ERROR"))
        pos += 4 + length
    return {k: v for k, v in out.items() if v.marks}
