"""Text cleaned once, at the reader: what a unit typed may hold characters no output may carry.

Word's Shift+Enter (U+000B), form feeds and the other C0 controls (except tab and line breaks),
U+FFFE/U+FFFF and lone surrogates are illegal in XML: openpyxl refuses them and a docx with one
does not open. Calamine hands them over as typed, so every string cell of a grid is cleaned here
before anything reads it, and nothing downstream needs to care. Vertical tab and form feed
become line breaks (they are line breaks to the person who typed them, and material lists are
split on lines); the others are dropped. Text longer than an Excel cell can hold is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_AS_LINE_BREAK = {"\x0b": "\n", "\x0c": "\n"}
MAX_CELL_CHARS = 32767  # Excel's limit for one cell


@dataclass
class Cleaned:
    """Where one sheet's text was changed: 0-based (row, col) of each kind of change."""

    controls: list[tuple[int, int]] = field(default_factory=list)
    too_long: list[tuple[int, int, int]] = field(default_factory=list)  # (row, col, original length)


def clean_string(text: str) -> str:
    """``text`` without characters illegal in XML (VT/FF as line breaks)."""
    return _ILLEGAL.sub(lambda m: _AS_LINE_BREAK.get(m.group(), ""), text)


def clean_grid(grid: list[list[Any]]) -> Cleaned:
    """Clean every string cell of ``grid`` in place: one C-speed search over all the sheet's text,
    and the cell by cell walk only when it finds something to clean."""
    found = Cleaned()
    texts = [v for row in grid for v in row if v.__class__ is str]
    if not _ILLEGAL.search("".join(texts)) and max(map(len, texts), default=0) <= MAX_CELL_CHARS:
        return found  # the usual sheet: one search over all its text proves nothing needs cleaning
    search = _ILLEGAL.search
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value.__class__ is not str or not value:
                continue
            if search(value):
                value = row[c] = clean_string(value)
                found.controls.append((r, c))
            if len(value) > MAX_CELL_CHARS:
                row[c] = value[:MAX_CELL_CHARS]
                found.too_long.append((r, c, len(value)))
    return found
