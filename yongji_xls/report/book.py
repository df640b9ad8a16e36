"""What every breakdown sheet is built with: the workbook and its shared formats (xlsxwriter formats
must be created once), typed cell writing, row heights for wrapped text, and the titled table sheet
with its print layout (:mod:`.paging`). Every user text is written with ``write_string`` and the
workbook is opened with ``strings_to_formulas``/``strings_to_urls`` off, so a unit's 「=SUM(…)」 or
「+86 …」 stays text."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..workbook.write.styles import HEI, fit_height, new_workbook
from . import paging
from . import sheets as S

HEADER_ROW, FIRST_ROW = 1, 2  # row 0 is the sheet title


class Book:
    """The workbook with its shared formats (xlsxwriter formats must be created once)."""

    def __init__(self, path: Path) -> None:
        self.wb = new_workbook(path, font_size=10)
        base = {"border": 1, "valign": "vcenter"}  # the font: 宋体 10 of every format (new_workbook)
        self.f = {
            "title": self.wb.add_format({**HEI, "font_size": 14, "bold": True, "align": "center", "valign": "vcenter"}),
            "header": self.wb.add_format(
                {**base, "bold": True, "bg_color": "#D9E1F2", "align": "center", "text_wrap": True}
            ),
            "vheader": self.wb.add_format(
                {**base, "bold": True, "bg_color": "#D9E1F2", "align": "center", "rotation": 90}
            ),
            "text": self.wb.add_format({**base, "text_wrap": True, "valign": "top"}),
            "short": self.wb.add_format({**base, "align": "center"}),
            "num": self.wb.add_format({**base, "align": "center"}),  # General: 2 and 1.5 (Excel shows "0.##" as "2.")
            "int": self.wb.add_format({**base, "align": "center", "num_format": "0"}),
            "pct": self.wb.add_format({**base, "align": "center", "num_format": "0.0%"}),
            "group": self.wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True}),
            "input": self.wb.add_format({**base, "bg_color": "#FFE699", "align": "center"}),
            "input_text": self.wb.add_format({**base, "bg_color": "#FFE699", "text_wrap": True}),
            "note": self.wb.add_format({"text_wrap": True, "valign": "top", "font_color": "#7F6000"}),
            "label": self.wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"}),
        }
        self._base = base
        self._fills: dict[str, Any] = {}
        self.write_string, self.write_number, self.write_blank = cell_writers()

    def pct_format(self, rate: Fraction, line: Fraction) -> Any:
        """「0.0%」, or as many decimals as it takes for ``rate`` to display on its side of ``line``."""
        from ..scoring.display import compare

        places = max(1, len(compare(rate * 100, line * 100).left.partition(".")[2]))
        key = f"pct{places}"
        if key not in self.f:
            self.f[key] = self.wb.add_format({**self._base, "align": "center", "num_format": "0." + "0" * places + "%"})
        return self.f[key]

    def verdict(self, passed: bool) -> Any:
        """结论 in colour: green when the pass rule is met, red when not."""
        key = f"verdict{passed}"
        if key not in self.f:
            colour = "#C6EFCE" if passed else "#FFC7CE"
            self.f[key] = self.wb.add_format({**self._base, "align": "center", "bold": True, "bg_color": colour})
        return self.f[key]

    def fill(self, colour: str) -> Any:
        if colour not in self._fills:
            self._fills[colour] = self.wb.add_format({"bg_color": colour})
        return self._fills[colour]

    def format_of(self, kind: str) -> Any:
        """The shared format of a column ``kind`` (the text format for a kind without its own)."""
        return self.f[kind if kind in self.f else "text"]

    def put(self, ws, row: int, col: int, value: Any, kind: str = "text", fmt: Any = None) -> None:
        """Write one value by type: text always as a string, numbers as numbers, None blank."""
        self.put_cell(ws, row, col, value, fmt or self.format_of(kind))

    def put_cell(self, ws, row: int, col: int, value: Any, fmt: Any) -> None:
        """:meth:`put` with the format already chosen: the breakdown writes ~8,000 cells, the
        common types (text, float, int, Fraction, None) are told apart by one type check."""
        kind = type(value)
        if kind is str:
            if value:
                self.write_string(ws, row, col, value, fmt)
            else:
                self.write_blank(ws, row, col, None, fmt)
        elif kind is float or kind is int or kind is Fraction:
            self.write_number(ws, row, col, float(value), fmt)
        elif value is None or value == "":
            self.write_blank(ws, row, col, None, fmt)
        elif isinstance(value, bool):
            self.write_string(ws, row, col, "是" if value else "否", fmt)
        elif isinstance(value, (int, float, Fraction, Decimal)):
            self.write_number(ws, row, col, float(value), fmt)
        else:
            self.write_string(ws, row, col, str(value), fmt)

    def colour(self, ws, rng: tuple[int, int, int, int], colours: dict[str, str]) -> None:
        """Conditional background colour by the exact cell text (statuses, states, severities)."""
        for text, colour in colours.items():
            ws.conditional_format(
                *rng, {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": self.fill(colour)}
            )


def cell_writers() -> tuple[Any, Any, Any]:
    """xlsxwriter's string, number and blank cell writers, as functions of (sheet, row, column,
    value, format): the undecorated ``_write_string``/``_write_number``/``_write_blank`` its own
    ``write()`` dispatches to when it has them (the public methods first try to read the row as
    A1 notation, more than half the cost of a cell), else the public ones (same arguments)."""
    from xlsxwriter.worksheet import Worksheet

    inner = [getattr(Worksheet, f"_write_{k}", None) for k in ("string", "number", "blank")]
    if all(callable(f) for f in inner):
        return inner[0], inner[1], inner[2]
    return Worksheet.write_string, Worksheet.write_number, Worksheet.write_blank


HAN_WIDTH = 1.8  # the breakdown's 宋体 10 pt body: a Han character is ~1.8 digit widths


def row_height(values: list[Any], widths: list[float], kinds: list[str]) -> float:
    """Points needed by the tallest wrapped text cell: explicit heights, because LibreOffice (and
    WPS) do not re-fit rows of a generated file, and clipped 打分标准 text would be unreadable."""
    return fit_height(
        [(v, w) for v, w, k in zip(values, widths, kinds) if k == "text" and isinstance(v, str) and v], han=HAN_WIDTH
    )


def table(
    book: Book,
    name: str,
    title: str,
    cols: list[S.Col],
    rows: list[list[Any]],
    freeze_cols: int = 0,
    vertical_from: int | None = None,
    print_cols: int | None = None,
    repeat: int = 0,
    natural: list[int] | tuple[int, ...] = (),
) -> Any:
    """A titled table sheet; headers from ``vertical_from`` on are rotated (matrix columns);
    ``print_cols`` limits the printed columns (the title is centred over them); the print layout
    (:mod:`.paging`) repeats the first ``repeat`` columns on every page width and breaks between
    the ``natural`` column groups; hidden columns hold keys."""
    ws = book.wb.add_worksheet(name)
    last_col = len(cols) - 1
    shown = [c for c in cols[: print_cols or len(cols)] if not c.hidden]
    ws.merge_range(0, 0, 0, max(len(shown) - 1, 1), title, book.f["title"])
    ws.set_row(0, 28)
    ws.set_row(HEADER_ROW, 150 if vertical_from is not None else 30)
    for c, col in enumerate(cols):
        vertical = vertical_from is not None and c >= vertical_from
        ws.write_string(HEADER_ROW, c, col.header, book.f["vheader" if vertical else "header"])
        ws.set_column(c, c, col.width, None, {"hidden": True} if col.hidden else None)
    widths, kinds = [c.width for c in cols], [c.kind for c in cols]
    formats = [book.format_of(k) for k in kinds]
    put = book.put_cell
    height = 0.0
    for r, values in enumerate(rows, FIRST_ROW):
        h = row_height(values, widths, kinds)
        height += h
        ws.set_row(r, h)
        for c, value in enumerate(values):
            put(ws, r, c, value, formats[c])
    last_row = max(FIRST_ROW, FIRST_ROW + len(rows) - 1)
    ws.freeze_panes(FIRST_ROW, freeze_cols)
    ws.autofilter(HEADER_ROW, 0, last_row, last_col)
    printed = [c.width for c in cols[: print_cols or len(cols)] if not c.hidden]
    if print_cols:
        ws.print_area(0, 0, last_row, print_cols - 1)
    head = 28 + (150 if vertical_from is not None else 30)
    paging.apply(ws, paging.layout(printed, repeat, natural, height, head), (0, HEADER_ROW), center=True)
    return ws
