"""Cell text and emptiness: the rules every "nothing typed is lost" check relies on."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from yongji_xls.workbook.cells import a1, cell_text, col_letter, filled_cells, is_empty

TRICKY = [
    "",
    " ",
    "\u3000",
    "\t\n",
    "\xa0",
    "0",
    " x ",
    0,
    0.0,
    -0.0,
    1.5,
    2.0,
    math.nan,
    math.inf,
    None,
    False,
    True,
    dt.date(2024, 6, 15),
    dt.datetime(2024, 6, 15, 8, 30),
    dt.time(8, 30),
]


def test_filled_cells_is_exactly_the_non_empty_cells():
    row = TRICKY + list(reversed(TRICKY))
    assert filled_cells(row) == [(c, v) for c, v in enumerate(row) if not is_empty(v)]
    assert [v for _, v in filled_cells(["", " ", "\u3000", math.nan, None])] == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  年度  ", "年度"),
        ("\u3000", ""),
        (None, ""),
        (math.nan, ""),
        (2.0, "2"),
        (-0.0, "0"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (True, "TRUE"),
        (False, "FALSE"),
        (7, "7"),
        (dt.datetime(2024, 6, 15, 8, 30), "2024-06-15"),
    ],
)
def test_cell_text_is_what_the_cell_shows(value, text):
    assert cell_text(value) == text


def test_addresses():
    assert [col_letter(c) for c in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]
    assert a1(0, 0) == "A1" and a1(6, 1) == "B7"
