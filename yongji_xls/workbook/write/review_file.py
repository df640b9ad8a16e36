"""A review file: the 核定 sheet alone, for 核定得分 typed outside Excel (the web page). It has the
shape the ``--review`` reader (:mod:`yongji_xls.workbook.read.review`) reads from a breakdown
workbook, so that one reader validates every entry, wherever it was typed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ...files.atomic import write_with
from ...system.model import Spec
from ..read.review import KEY_HEADER, NOTE_HEADER, SCORE_HEADER, SHEET, parse_score
from .styles import new_workbook

REVIEW_FILE_HEADERS = (KEY_HEADER, "指标名称", "满分", SCORE_HEADER, NOTE_HEADER)


def write_review_file(spec: Spec, path: Path, entries: Mapping[str, tuple[str, str]]) -> Path:
    """``entries``: indicator key -> (核定得分 as typed, 核定说明); empty scores are left blank."""

    def build(tmp: Path) -> None:
        book = new_workbook(tmp)
        ws = book.add_worksheet(SHEET)
        bold = book.add_format({"bold": True})
        ws.write_row(0, 0, REVIEW_FILE_HEADERS, bold)
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
