"""Write a review file (核定得分 entered somewhere other than Excel, e.g. the web page).

The file has the same 核定 sheet and headers that :mod:`yongji_xls.report.review` reads, so
the one reader validates every entry: what the office typed is stored as typed (a number when
it parses as one, else the text), and a bad entry comes back as a ``review_bad`` issue naming
the cell, exactly as for an edited task-breakdown workbook.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..files.atomic import write_with
from ..spec.model import Spec
from .review import KEY_HEADER, NOTE_HEADER, SCORE_HEADER, SHEET, parse_score

HEADERS = (KEY_HEADER, "指标名称", "满分", SCORE_HEADER, NOTE_HEADER)


def write_review_file(spec: Spec, path: Path, entries: Mapping[str, tuple[str, str]]) -> Path:
    """``entries``: indicator key -> (核定得分 as typed, 核定说明); empty scores are left blank."""
    import xlsxwriter

    def build(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = book.add_worksheet(SHEET)
        bold = book.add_format({"bold": True})
        ws.write_row(0, 0, HEADERS, bold)
        for row, ind in enumerate(spec.indicators, 1):
            typed, note = entries.get(ind.key, ("", ""))
            typed = (typed or "").strip()
            ws.write_string(row, 0, ind.key)
            ws.write_string(row, 1, ind.name)
            ws.write_number(row, 2, float(ind.points))
            number = parse_score(typed) if typed else None
            if number is not None:
                ws.write_number(row, 3, float(number))
            elif typed:
                ws.write_string(row, 3, typed)
            if note:
                ws.write_string(row, 4, note.strip())
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, 36)
        ws.set_column(3, 4, 14)
        ws.set_column(4, 4, 50)
        book.close()

    return write_with(path, build)
