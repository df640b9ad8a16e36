"""Cell addresses and cell text, as the user sees them (A1 notation, numbers without '.0')."""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA); cached, as every issue and
    every provenance record names its cell."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@lru_cache(maxsize=4096)
def col_number(letters: str | bytes) -> int:
    """Upper-case Excel letters -> 1-based column number (A -> 1, AA -> 27); str or ASCII bytes."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n


def a1(row: int, col: int) -> str:
    """0-based (row, col) -> "B7"."""
    return f"{col_letter(col)}{row + 1}"


def is_empty(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def filled_cells(row: list[Any]) -> list[tuple[int, Any]]:
    """(column, value) of the cells of ``row`` that hold something.

    calamine pads every grid row with "" up to the used width, so most cells of a template are
    empty: one comprehension that drops them spares the per-cell checks that follow. Same test
    as :func:`is_empty` (``v == v`` is False only for NaN; ``isspace`` is ``not strip()`` for a
    non-empty string)."""
    return [
        (c, v)
        for c, v in enumerate(row)
        if v != "" and v is not None and v == v and not (isinstance(v, str) and v.isspace())
    ]


def cell_text(value: Any) -> str:
    """The text a cell shows, trimmed: 2.0 -> "2", dates as 2024-06-15."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()
