"""Cell addresses and cell text, as the user sees them (A1 notation, numbers without '.0')."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def col_letter(col: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    """0-based (row, col) -> "B7"."""
    return f"{col_letter(col)}{row + 1}"


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value))


def cell_text(value: Any) -> str:
    """The text a cell shows, trimmed: 2.0 -> "2", dates as 2024-06-15."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()
