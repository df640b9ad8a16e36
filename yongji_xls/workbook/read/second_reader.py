"""The second reader: openpyxl over the same vetted bytes, when calamine refuses an .xlsx/.xlsm.

calamine refuses some workbooks that Excel, openpyxl and LibreOffice open: an .xlsm with an Excel 4
macro sheet or a dialog sheet (「Unrecognized sheet:type」), a package whose relationships name a
part in an unusual way (「Relationship not found」), a sheet whose shared string is missing. Such a
file is not corrupt, so before calling it anything it is read again by openpyxl (read-only, cached
values only, nothing executed), through an object shaped like calamine's workbook, so the
key-based reader and every check after it run unchanged. Pre-flight has already vetted the bytes
(bombs, DTDs, the extent of the cells with content), so rows and columns are read only within
its limits. Macro, dialog and chart sheets hold no cells a unit typed: they read as empty.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from .safety.preflight import DEFAULT_LIMITS

SECOND_KINDS = ("xlsx", "xlsm")


class SecondBook:
    """calamine's workbook interface (``sheet_names``, ``get_sheet_by_name``) over openpyxl."""

    def __init__(self, data: bytes) -> None:
        import openpyxl

        with warnings.catch_warnings():  # openpyxl's English notes on what it drops must not reach the console
            warnings.simplefilter("ignore")
            self._wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self.sheet_names = list(self._wb.sheetnames)

    def get_sheet_by_name(self, name: str) -> SecondSheet:
        return SecondSheet(self._wb[name])

    def close(self) -> None:
        self._wb.close()

    def __enter__(self) -> SecondBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SecondSheet:
    """One sheet: rows from A1 (so indexes are addresses), no merged ranges (read-only openpyxl
    does not keep them; they only sharpen a message)."""

    merged_cell_ranges: list[Any] = []

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        if not hasattr(self._ws, "iter_rows"):  # a chart sheet
            return []
        rows: list[list[Any]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for n, row in enumerate(self._ws.iter_rows(values_only=True, max_col=DEFAULT_LIMITS.max_cols)):
                if n >= DEFAULT_LIMITS.max_rows:
                    break
                rows.append(list(row))
        while rows and not any(v is not None and v != "" for v in rows[-1]):
            rows.pop()
        return rows


def second_book(kind: str, data: bytes) -> SecondBook | None:
    """openpyxl's reading of ``data`` when ``kind`` is one it reads, else None (also when it too fails)."""
    if kind not in SECOND_KINDS:
        return None
    try:
        return SecondBook(data)
    except Exception:  # noqa: BLE001 - the second reader failing too is the caller's verdict
        return None
