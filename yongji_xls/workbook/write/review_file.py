"""A review file: the 核定 sheet alone, for 核定得分 typed outside Excel (the web page). It has the
shape the ``--review`` reader (:mod:`yongji_xls.workbook.read.review`) reads from a breakdown
workbook, so that one reader validates every entry, wherever it was typed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from ...files.atomic import write_with
from ...issues import issue
from ...scoring.display import show
from ...system.model import Spec
from ..read.review import KEY_HEADER, NOTE_HEADER, SCORE_HEADER, SHEET, parse_score, read_entries
from .styles import new_workbook

REVIEW_FILE_HEADERS = (KEY_HEADER, "指标名称", "满分", SCORE_HEADER, NOTE_HEADER)
EXCEL_DIGITS = 15  # significant digits Excel keeps of a number (it shows and saves no more)


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
            if number is not None and len(number.as_tuple().digits) <= EXCEL_DIGITS:
                ws.write_number(row, 3, float(number))
            elif typed:  # not a number, or more digits than Excel keeps of a number: as typed
                ws.write_string(row, 3, typed)
            if note:
                ws.write_string(row, 4, note.strip())
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, 36)
        ws.set_column(3, 4, 14)
        ws.set_column(4, 4, 50)
        book.close()

    return write_with(path, build)


def row_version(entry: tuple[str, str] | None) -> str:
    """A row's version: a digest of what it holds (score as typed, note). A page sends back the
    version it loaded; a row holding anything else has changed since, whoever changed it."""
    score, note = entry or ("", "")
    return hashlib.sha256(f"{score.strip()}\x1f{note.strip()}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RowSave:
    """What saving one row did: ``saved``, or not because the row had changed (``conflict``);
    ``current`` is what the row holds now, ``version`` its version."""

    saved: bool
    current: tuple[str, str]
    version: str
    problem: str = ""  # the score typed is refused (nothing written): the review reader's message

    @property
    def conflict(self) -> bool:
        return not self.saved and not self.problem


def save_row(spec: Spec, path: Path, key: str, entry: tuple[str, str], loaded_version: str) -> RowSave:
    """Write one indicator's (核定得分, 核定说明) into the review file, leaving every other row as
    it is, unless the row no longer holds what the page loaded (then nothing is written). The caller
    serialises saves to one file (a lock); the file itself is replaced atomically."""
    entries = read_entries(spec, path)
    now = entries.get(key, ("", ""))
    if row_version(now) != loaded_version:
        return RowSave(False, now, row_version(now))
    new = ((entry[0] or "").strip(), (entry[1] or "").strip())
    points = Decimal(spec.indicator(key).points)
    number = parse_score(new[0]) if new[0] else None
    if new[0] and (number is None or not 0 <= number <= points):
        refused = issue("review_bad", value=new[0], max=show(Fraction(points)))
        return RowSave(False, now, row_version(now), problem=refused.message)
    if new == ("", ""):
        entries.pop(key, None)
    else:
        entries[key] = new
    write_review_file(spec, path, entries)
    stored = read_entries(spec, path).get(key, ("", ""))  # as the file holds it (２.５ is written as 2.5)
    return RowSave(True, stored, row_version(stored))
