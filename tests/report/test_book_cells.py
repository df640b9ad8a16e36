"""The breakdown's typed cell writing (issue 24, write stage): xlsxwriter's undecorated writers and
the one-type-check dispatch write exactly the cells the public methods and the isinstance chain
wrote, re-read as text, numbers and blanks."""

from __future__ import annotations

import enum
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
from xlsxwriter.worksheet import Worksheet

from yongji_xls.report.book import Book, cell_writers


class Shade(str, enum.Enum):
    RED = "红"


VALUES = [
    "文字 =SUM(A1)",
    "",
    None,
    0,
    7,
    1.5,
    Fraction(1, 3),
    Fraction(-7, 2),
    True,
    False,
    Decimal("2.50"),
    Shade.RED,
    ["不是数"],
]
KINDS = ["text", "short", "num", "int", "pct", "no-such-kind"]


def _reference(book: Book, ws, row: int, col: int, value, fmt) -> None:
    """What the breakdown wrote before issue 24: public methods, an isinstance chain."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, (int, float, Fraction, Decimal)):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _write(path: Path, how: str) -> Path:
    book = Book(path)
    ws = book.wb.add_worksheet("格")
    for r, kind in enumerate(KINDS):
        for c, value in enumerate(VALUES):
            if how == "reference":
                _reference(book, ws, r, c, value, book.f[kind if kind in book.f else "text"])
            elif how == "put":
                book.put(ws, r, c, value, kind)
            else:
                book.put_cell(ws, r, c, value, book.format_of(kind))
    book.wb.close()
    return path


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_the_cells_are_byte_for_byte_what_the_public_methods_wrote(tmp_path):
    reference = _parts(_write(tmp_path / "ref.xlsx", "reference"))
    assert _parts(_write(tmp_path / "put.xlsx", "put")) == reference
    assert _parts(_write(tmp_path / "cell.xlsx", "put_cell")) == reference


def test_values_read_back_by_type(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path / "b.xlsx", "put_cell"))["格"]
    row = [ws.cell(1, c + 1).value for c in range(len(VALUES))]
    assert row[0] == "文字 =SUM(A1)" and ws.cell(1, 1).data_type == "s"  # text stays text
    assert row[1] is None and row[2] is None
    assert row[3:8] == [0, 7, 1.5, 1 / 3, -3.5]
    assert row[8:10] == ["是", "否"]
    assert row[10] == 2.5
    assert row[11] == str(Shade.RED) and row[12] == "['不是数']"
    assert ws.cell(1, 2).border.left.style == "thin"  # a blank cell keeps its format (the table's border)


def test_the_undecorated_writers_are_used_and_the_public_ones_write_the_same(tmp_path):
    assert cell_writers() == (Worksheet._write_string, Worksheet._write_number, Worksheet._write_blank)
    fast = _parts(_write(tmp_path / "fast.xlsx", "put_cell"))
    book = Book(tmp_path / "public.xlsx")
    book.write_string, book.write_number, book.write_blank = (
        Worksheet.write_string,
        Worksheet.write_number,
        Worksheet.write_blank,
    )
    ws = book.wb.add_worksheet("格")
    for r, kind in enumerate(KINDS):
        for c, value in enumerate(VALUES):
            book.put_cell(ws, r, c, value, book.format_of(kind))
    book.wb.close()
    assert _parts(tmp_path / "public.xlsx") == fast
