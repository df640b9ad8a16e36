"""Fill a generated template the way a unit would: openpyxl, by key, never by address.

Used by the sample-workbook script, the benchmark and the tests; it finds each key's row and
each header's column in the file, so it exercises the same contract the reader relies on.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import layout as L


def header_of(ws: Any) -> tuple[int, dict[str, int]] | None:
    """(header row, {header: column}) of a keyed sheet (1-based, openpyxl style)."""
    for row in ws.iter_rows(min_row=1, max_row=L.HEADER_SEARCH_ROWS):
        for cell in row:
            if cell.value == L.KEY_HEADER:
                cols = {c.value: c.column for c in ws[cell.row] if isinstance(c.value, str)}
                return cell.row, cols
    return None


def key_rows(ws: Any) -> dict[str, list[int]]:
    found = header_of(ws)
    if not found:
        return {}
    hrow, cols = found
    out: dict[str, list[int]] = {}
    for r in range(hrow + 1, ws.max_row + 1):
        key = ws.cell(r, cols[L.KEY_HEADER]).value
        if key:
            out.setdefault(str(key), []).append(r)
    return out


def locate(wb: Any, key: str, header: str, n: int = 0) -> tuple[str, str]:
    """(sheet, A1) of ``header``'s cell in the n-th row keyed ``key``."""
    for ws in wb.worksheets:
        rows = key_rows(ws).get(key)
        if rows:
            _, cols = header_of(ws)
            return ws.title, ws.cell(rows[n], cols[header]).coordinate
    raise KeyError(key)


def beside_cell(ws: Any, key: str) -> str:
    """A1 of the cell two columns right of the table, in ``key``'s row ("text beside the table")."""
    _, cols = header_of(ws)
    return ws.cell(key_rows(ws)[key][0], max(cols.values()) + 2).coordinate


def _write_row(ws: Any, row: int, cols: Mapping[str, int], cells: Mapping[str, Any]) -> None:
    for header, value in cells.items():
        ws.cell(row, cols[header]).value = value


def _fill_list(ws: Any, cols: Mapping[str, int], rows: list[int], items: list[Mapping[str, Any]]) -> None:
    """Fill the pre-keyed rows; beyond them insert rows (empty key) right after the list."""
    for i, item in enumerate(items):
        if i >= len(rows):
            ws.insert_rows(rows[-1] + 1 + (i - len(rows)))
            r = rows[-1] + 1 + (i - len(rows))
        else:
            r = rows[i]
        _write_row(ws, r, cols, item)


def _reorder(ws: Any, rng: random.Random) -> None:
    """Shuffle the keyed rows of a sheet (whole rows, values only)."""
    found = header_of(ws)
    if not found:
        return
    hrow, _ = found
    rows = list(range(hrow + 1, ws.max_row + 1))
    values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in rows]
    rng.shuffle(values)
    for r, vals in zip(rows, values):
        for c, v in enumerate(vals, 1):
            ws.cell(r, c).value = v


def fill_workbook(
    path: Path,
    values_by_key: Mapping[str, Any],
    out: Path | None = None,
    *,
    contact: Mapping[str, Any] | None = None,
    insert_above: int = 0,
    reorder: bool = False,
    extra_sheet: Mapping[str, Any] | None = None,
    beside: Mapping[str, Any] | None = None,
    cells: Mapping[str, Mapping[str, Any]] | None = None,
    seed: int = 0,
) -> Path:
    """Fill ``path`` (a generated template) by key and save it as ``out`` (default: in place).

    values_by_key: field key -> value (written under 填报值); criterion/note/task key ->
    {header: value}; list key -> [{header: value}, …]. ``insert_above`` inserts that many
    empty rows above every table; ``reorder`` shuffles keyed rows; ``beside`` writes {key: text}
    next to the table in that key's row (:func:`beside_cell`); ``extra_sheet`` is
    {"name": ..., "rows": [[...]]}; ``cells`` writes raw values {sheet: {A1: value}} last.
    """
    import openpyxl

    out = out or path
    if out != path:
        shutil.copyfile(path, out)
    wb = openpyxl.load_workbook(out)
    rng = random.Random(seed)
    for ws in wb.worksheets:
        found = header_of(ws)
        if not found:
            continue
        if insert_above:
            ws.insert_rows(found[0], insert_above)
            found = header_of(ws)
        hrow, cols = found
        rows = key_rows(ws)
        for key, value in values_by_key.items():
            if key not in rows:
                continue
            if isinstance(value, list):
                _fill_list(ws, cols, rows[key], value)
            elif isinstance(value, Mapping):
                _write_row(ws, rows[key][0], cols, value)
            else:
                ws.cell(rows[key][0], cols[L.H_VALUE]).value = value
        if reorder:
            _reorder(ws, rng)
        for key, text in (beside or {}).items():
            if key in key_rows(ws):
                ws[beside_cell(ws, key)] = text
    if contact:
        ws = wb[L.SHEET_INSTRUCTIONS]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in contact:
                    ws.cell(cell.row, cell.column + 1).value = contact[cell.value]
    if extra_sheet:
        ws = wb.create_sheet(extra_sheet["name"])
        for row in extra_sheet["rows"]:
            ws.append(row)
    for sheet, mapping in (cells or {}).items():
        for ref, value in mapping.items():
            wb[sheet][ref].value = value
    wb.save(out)
    return out
