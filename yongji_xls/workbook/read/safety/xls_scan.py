"""Formulas and error values of a legacy .xls, from its BIFF8 records (what calamine hides).

calamine returns a formula's cached value and reads an error cell (#DIV/0!) as empty, so a unit's
broken formula would look like a blank cell. The records say it plainly: FORMULA (0x0006) for a
formula cell, with its cached result (an error when the result type is 2), and BOOLERR (0x0205)
with fError set for a typed error constant. Number cells (NUMBER, RK, MULRK, FORMULA) shown as a
percentage are found from their cell format: XF (0x00E0) names a number format, built-in 9/10
or a FORMAT (0x041E) whose code has a ``%`` outside quotes. Only those records are looked at, in
one linear pass over the Workbook stream; the sheet names come from BOUNDSHEET8. Runs inside the isolated reader
worker, like everything that touches an .xls. Any parse problem yields no marks (never a crash).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from .cfb import CUTOFF, Cfb
from .xlsx_scan import PERCENT_BUILTIN, CellMark, SheetScan

_BOF, _EOF, _BOUNDSHEET, _FORMULA, _BOOLERR = 0x0809, 0x000A, 0x0085, 0x0006, 0x0205
_FORMAT, _XF, _NUMBER, _RK, _MULRK = 0x041E, 0x00E0, 0x0203, 0x027E, 0x00BD
ERROR_CODES = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
}
MAX_STREAM = 64 << 20


def scan_xls(data: bytes) -> dict[str, SheetScan]:
    """Sheet name -> formula/error cells of an .xls file's bytes; {} when it cannot be parsed."""
    try:
        cfb = Cfb(io.BytesIO(data), len(data))
        entry = cfb.workbook()  # the stream calamine reads
        if entry is None or entry.kind != 2 or entry.size < CUTOFF:
            return {}
        return scan_biff(cfb.stream(entry, MAX_STREAM))
    except (ValueError, struct.error, IndexError):
        return {}


def _percent_code(body: bytes) -> bool:
    """A FORMAT record's code shows a percentage (a ``%`` that is not quoted or escaped)."""
    if len(body) < 5:
        return False
    cch, flags = struct.unpack_from("<HB", body, 2)
    raw = body[5 : 5 + cch * (2 if flags & 1 else 1)]
    code = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
    return "%" in code.replace('"%"', "").replace("\\%", "")


def _records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(position, record type, body) of every BIFF record of a stream, in order."""
    pos, n = 0, len(stream)
    while pos + 4 <= n:
        kind, length = struct.unpack_from("<HH", stream, pos)
        yield pos, kind, stream[pos + 4 : pos + 4 + length]
        pos += 4 + length


def _boundsheet(body: bytes) -> tuple[int, str]:
    """BOUNDSHEET8: (stream position of the sheet's BOF, the sheet's name)."""
    offset, _, cch, flags = struct.unpack_from("<IHBB", body, 0)
    raw = body[8 : 8 + cch * (2 if flags & 1 else 1)]
    return offset, raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def scan_biff(stream: bytes) -> dict[str, SheetScan]:
    sheets: dict[int, str] = {}
    out: dict[str, SheetScan] = {}
    percent_formats, xf_formats = set(PERCENT_BUILTIN), []
    percent_xf: frozenset[int] = frozenset()
    current = None
    for pos, kind, body in _records(stream):
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset, name = _boundsheet(body)
            sheets[offset] = name
        elif kind == _FORMAT and len(body) >= 2:
            if _percent_code(body):
                percent_formats.add(struct.unpack_from("<H", body, 0)[0])
        elif kind == _XF and len(body) >= 4:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _BOF:
            current = out.setdefault(sheets[pos], SheetScan()) if pos in sheets else None
            if current is not None and not percent_xf:
                percent_xf = frozenset(i for i, f in enumerate(xf_formats) if f in percent_formats)
        elif current is not None and kind in (_NUMBER, _RK) and len(body) >= 6:
            row, col, xf = struct.unpack_from("<HHH", body, 0)
            if xf in percent_xf:
                current.percent.add((row, col))
        elif current is not None and kind == _MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body, 0)
            for i in range((len(body) - 6) // 6):
                if struct.unpack_from("<H", body, 4 + 6 * i)[0] in percent_xf:
                    current.percent.add((row, first + i))
        elif kind == _EOF:
            current = None
        elif current is not None and kind == _FORMULA and len(body) >= 14:
            row, col = struct.unpack_from("<HH", body, 0)
            value = body[6:14]
            error = ERROR_CODES.get(value[2], "#ERROR") if value[6:8] == b"\xff\xff" and value[0] == 2 else ""
            current.marks[(row, col)] = CellMark(True, True, error)
            if struct.unpack_from("<H", body, 4)[0] in percent_xf:
                current.percent.add((row, col))
        elif current is not None and kind == _BOOLERR and len(body) >= 8 and body[7] == 1:
            row, col = struct.unpack_from("<HH", body, 0)
            current.marks[(row, col)] = CellMark(False, True, ERROR_CODES.get(body[6], "#ERROR"))
    return {k: v for k, v in out.items() if v.marks or v.percent}


# Records of a cell that carries content (BLANK and MULBLANK are formatting only: calamine skips them).
_CONTENT = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6, 0x00BD}
_NOOP = 0x0000  # what a cut record becomes: a type no reader of BIFF8 cells acts on (calamine skips it)


def cut_far_xls(data: bytes, max_rows: int, max_cols: int) -> tuple[bytes, dict[str, list[str]]]:
    """``data`` with every cell record beyond ``max_rows`` × ``max_cols`` turned into a no-op
    record (patched in place in the compound file, so its structure is untouched), and the A1
    addresses of the cut cells by sheet.

    calamine builds a dense grid from A1 to the farthest cell: a 42 KB .xls with a label at IV65536
    cost 1.2 GB. As for .xlsx (:func:`.preflight._cut_far_cells`), the unit keeps the rest of its
    file and the cut cells are named. Any parse problem leaves ``data`` as it is."""
    from ...cells import a1

    try:
        cfb = Cfb(io.BytesIO(data), len(data))
        entry = cfb.workbook()
        if entry is None or entry.kind != 2:
            return data, {}
        stream = cfb.stream(entry, MAX_STREAM)
        far: list[tuple[int, str, str]] = []  # (stream position, sheet, address)
        sheets: dict[int, str] = {}
        current = ""
        for pos, kind, body in _records(stream):
            if kind == _BOUNDSHEET and len(body) >= 8:
                offset, name = _boundsheet(body)
                sheets[offset] = name
            elif kind == _BOF:
                current = sheets.get(pos, "")
            elif kind in _CONTENT and current and len(body) >= 4:
                row, col = struct.unpack_from("<HH", body, 0)
                last = col + max((len(body) - 6) // 6, 1) - 1 if kind == _MULRK else col
                if row >= max_rows or last >= max_cols:
                    far.append((pos, current, a1(row, col)))
        if not far:
            return data, {}
        out = bytearray(data)
        cut: dict[str, list[str]] = {}
        for at, sheet, address in far:
            for k in range(2):  # the two bytes of the record type may straddle a sector boundary
                out[cfb.file_offset(entry, at + k)] = (_NOOP >> (8 * k)) & 0xFF
            cut.setdefault(sheet, []).append(address)
        return bytes(out), cut
    except (ValueError, struct.error, IndexError, AssertionError):
        return data, {}
