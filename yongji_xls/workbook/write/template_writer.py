"""Write one fill-in workbook per unit with xlsxwriter, from :mod:`.layout`.

xlsxwriter because it writes files Excel, WPS and LibreOffice open without a repair prompt and
gives full control over validation, protection and print setup. Every user-facing text goes
through ``write_string`` (never ``write``), so no text can turn into a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...files.atomic import write_with
from ...files.safe_names import safe_filename
from ...system.model import Spec
from ...system.shares import UnitShare, all_shares
from .. import layout as L
from ..cells import col_letter
from ..instructions import WIDTHS, instruction_lines
from .fill import ACCEPTED, CellFill, Fill, safe_text
from .styles import Styles, fit_height, new_workbook, print_setup, validation

KEYED_FIRST_ROW = 3  # 0-based row of the first keyed row (banner, hint, header above)
PROTECT_OPTIONS = {"insert_rows": True, "format_cells": True, "format_columns": True, "format_rows": True}


def template_file_name(unit_no: int, unit: str, year: int) -> str:
    """``01_市自然资源局_2024年度填报表.xlsx``, made safe on Windows by the shared rule."""
    return safe_filename(f"{unit_no:02d}_{unit}_{year}年度填报表", ".xlsx", max_len=120)


def _deadline_text(deadline: Any) -> str:
    if deadline is None:
        return ""
    if isinstance(deadline, (dt.date, dt.datetime)):
        return deadline.isoformat()[:10]
    return str(deadline).strip()


def write_templates(
    spec: Spec,
    out_dir: str | Path,
    year: int,
    deadline: Any = None,
    units: Iterable[str] | None = None,
    fills: dict[str, Fill] | None = None,
) -> list[Path]:
    """Write the workbooks of ``units`` (canonical names; default: every unit with a share);
    ``fills``: unit -> what its template is prefilled with (``templates --prefill``).

    Raises KeyError naming a unit that has nothing to fill, so a typo never silently yields
    fewer files than asked for.
    """
    shares = all_shares(spec, year)
    names = list(shares) if units is None else list(dict.fromkeys(units))
    missing = [n for n in names if n not in shares]
    if missing:
        raise KeyError("、".join(missing))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    generated = dt.datetime.now().isoformat(timespec="seconds")
    paths = []
    for name in names:
        share = shares[name]
        target = out / template_file_name(spec.unit(name).no, name, year)
        fill = (fills or {}).get(name)
        write_with(
            target,
            lambda tmp, s=share, f=fill: write_workbook(spec, s, year, tmp, _deadline_text(deadline), generated, f),
        )
        paths.append(target)
    return paths


def write_workbook(
    spec: Spec,
    share: UnitShare,
    year: int,
    path: Path | Any,
    deadline: str = "",
    generated_at: str = "",
    fill: Fill | None = None,
) -> Styles:
    """One unit's workbook at ``path`` (a path or a binary file object); with ``fill``, its input
    cells prefilled (``templates --prefill``; the package feedback workbooks are patched from) and
    extra ``_meta`` pairs written after the usual ones. Returns the workbook's formats, whose
    ``xf_index`` the package keeps (see :mod:`.package`)."""
    wb = new_workbook(path)
    styles = build_workbook(wb, spec, share, year, deadline, generated_at, fill)
    wb.close()
    return styles


def build_workbook(
    wb: Any,
    spec: Spec,
    share: UnitShare,
    year: int,
    deadline: str = "",
    generated_at: str = "",
    fill: Fill | None = None,
) -> Styles:
    """Every sheet of one unit's workbook into the open xlsxwriter ``wb`` (not closed)."""
    wb.set_properties(
        {"title": f"{share.unit}{year}年度填报表", "author": spec.office.get("name", ""), "comments": spec.title}
    )
    styles = Styles(wb)
    sources = _list_sources(spec)
    fill = fill or Fill()
    writer = _Writer(styles, comment_author(spec))
    if fill.front is not None:
        write_front(wb.add_worksheet(fill.front[0]), fill.front[1], fill.front[2], styles)
    _write_instructions(
        wb.add_worksheet(L.SHEET_INSTRUCTIONS),
        spec,
        share,
        year,
        deadline,
        styles,
        writer,
        fill.contact,
        fill.front is None,
    )
    for sheet in L.keyed_sheets(spec, share, year, fill.list_rows()):
        _write_keyed(wb.add_worksheet(sheet.name), sheet, styles, sources, writer, fill)
    _write_pairs(wb.add_worksheet(L.SHEET_META), meta_rows(spec, share, year, deadline, generated_at, fill.meta))
    choices = L.list_choices(spec)
    width = max(len(v) for v in choices.values())
    columns = [[h, *v, *[""] * (width - len(v))] for h, v in choices.items()]
    _write_pairs(wb.add_worksheet(L.SHEET_LISTS), [list(r) for r in zip(*columns)])
    return styles


def comment_author(spec: Spec) -> str:
    return spec.office.get("name", "") or "领导小组办公室"


def meta_rows(
    spec: Spec, share: UnitShare, year: int, deadline: str, generated_at: str, extra: dict[str, str]
) -> list[list[str]]:
    """The ``_meta`` pairs: the usual keys in order (``extra`` may set one, e.g. kind), then the rest."""
    meta = {
        "unit": share.unit,
        "unit_no": str(spec.unit(share.unit).no),
        "year": str(year),
        "spec_version": spec.version,
        "template_version": L.TEMPLATE_VERSION,
        "generated_at": generated_at or dt.datetime.now().isoformat(timespec="seconds"),
        "deadline": deadline,
        "kind": L.KIND_TEMPLATE,
    }
    meta.update({k: v for k, v in extra.items() if k in meta})  # a filled template may set a usual key (kind, say)
    return [[k, meta[k]] for k in L.META_KEYS] + [[k, v] for k, v in extra.items() if k not in meta]


def _list_sources(spec: Spec) -> dict[str, str]:
    """Dropdown source formula per header, pointing into the hidden ``_lists`` sheet."""
    out = {}
    for n, (header, values) in enumerate(L.list_choices(spec).items()):
        col = col_letter(n)
        out[header] = f"='{L.SHEET_LISTS}'!${col}$2:${col}${len(values) + 1}"
    return out


class _Writer:
    """Writes a filled input cell: value by type, look by :class:`.fill.CellFill` style, comment."""

    def __init__(self, styles: Styles, author: str):
        self.styles, self.author = styles, author

    def put(self, ws: Any, r: int, c: int, kind: str, cell: CellFill) -> None:
        variant = "" if cell.style == ACCEPTED else cell.style
        how, value = cell_value(cell.value)
        if how == "date":
            ws.write_datetime(r, c, value, self.styles.input("date", variant))
        elif how == "number":
            ws.write_number(r, c, value, self.styles.input(kind, variant))
        elif how == "blank":
            ws.write_blank(r, c, None, self.styles.input(kind, variant))
        else:
            ws.write_string(r, c, value, self.styles.input(kind, variant))
        if cell.comment:
            ws.write_comment(r, c, comment_text(cell.comment), {"author": self.author, **COMMENT_SCALE})


COMMENT_SCALE = {"x_scale": 2.4, "y_scale": 1.8}


def comment_text(comment: str) -> str:
    return safe_text(comment)[:2000]


def cell_value(value: Any) -> tuple[str, Any]:
    """How a filled input cell is written: ("date", datetime), ("number", float or int),
    ("blank", None) or ("text", safe text). A Decimal of more than 15 digits stays text, as
    Excel would round it; the one rule both the xlsxwriter writer and the package patcher use."""
    if isinstance(value, (dt.date, dt.datetime)):
        return "date", value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    if isinstance(value, Decimal) and len(value.as_tuple().digits) <= 15:
        return "number", float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number", value
    if value is None or str(value) == "":
        return "blank", None
    return "text", safe_text(value)


def fillable(row: L.Row, col: L.Column) -> bool:
    """An input cell a fill may write (a list row's every input; a keyed row's own inputs)."""
    return col.input and (row.kind == "list" or col.header in L.INPUT_HEADERS[row.kind])


def keyed_row_height(sheet: L.SheetLayout, row: L.Row, filled: dict[str, CellFill]) -> float:
    """A keyed row's height: its read-only texts and the filled texts, wrapped."""
    readonly = [(row.cells.get(col.header, ""), col.width) for col in sheet.columns[1:] if not col.input]
    if filled:
        readonly += [
            (v.value, col.width)
            for col in sheet.columns[1:]
            if (v := filled.get(col.header)) is not None and isinstance(v.value, str)
        ]
    return fit_height(readonly, 30 if any(c.kind == "long" for c in sheet.columns) else 18)


def contact_cells(spec: Spec, share: UnitShare, year: int, deadline: str) -> dict[str, tuple[int, int]]:
    """单位信息 label -> (row, column) of its input cell on the 填报说明 sheet."""
    return {
        line.cells[0][0]: (r, c)
        for r, line in enumerate(instruction_lines(spec, share, year, deadline))
        for c, (_, style) in enumerate(line.cells)
        if style == "input"
    }


FRONT_WIDTHS = (6, 8, 14, 10, 22, 48, 40)


def front_width(c: int) -> float:
    return FRONT_WIDTHS[c] if c < len(FRONT_WIDTHS) else 20


def front_row_height(row: list[str]) -> float:
    return fit_height([(v, front_width(c)) for c, v in enumerate(row)])


def write_front(ws: Any, headers: tuple[str, ...], rows: list[list[str]], styles: Styles) -> None:
    """A plain list sheet in front of the template (the feedback workbook's 问题清单)."""
    for c, h in enumerate(headers):
        ws.set_column(c, c, front_width(c))
        ws.write_string(0, c, h, styles.get("th"))
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            ws.write_string(r, c, safe_text(value), styles.get("td"))
        ws.set_row(r, front_row_height(row))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    ws.set_tab_color("#C00000")
    print_setup(ws, (0, 0))
    ws.activate()


def _write_instructions(
    ws: Any,
    spec: Spec,
    share: UnitShare,
    year: int,
    deadline: str,
    styles: Styles,
    writer: _Writer | None = None,
    contact: dict[str, CellFill] | None = None,
    active: bool = True,
) -> None:
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    last = len(WIDTHS) - 1
    for r, line in enumerate(instruction_lines(spec, share, year, deadline)):
        spans = [
            sum(WIDTHS[c:]) if line.span and c == len(line.cells) - 1 else WIDTHS[c] for c in range(len(line.cells))
        ]
        ws.set_row(
            r, fit_height([(v, w) for (v, s), w in zip(line.cells, spans) if s != "title"], 20 if r == 0 else 15)
        )
        for c, (value, style) in enumerate(line.cells):
            fmt = styles.get(style)
            if line.span and c == len(line.cells) - 1 and c < last:
                ws.merge_range(r, c, r, last, "", fmt)
            if style == "input":
                label = line.cells[0][0]
                if writer is not None and contact and label in contact:
                    writer.put(ws, r, c, "text", contact[label])
                else:
                    ws.write_blank(r, c, None, fmt)
                ws.data_validation(r, c, r, c, validation("contact", label=label))
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, fmt)
            else:
                ws.write_string(r, c, str(value), fmt)
    ws.set_tab_color("#4472C4")
    ws.protect("", PROTECT_OPTIONS)
    print_setup(ws, None, landscape=False)
    if active:
        ws.activate()


def _write_keyed(
    ws: Any,
    sheet: L.SheetLayout,
    styles: Styles,
    sources: dict[str, str],
    writer: _Writer | None = None,
    fill: Fill | None = None,
) -> None:
    """Banner (title, hint), header row, then one row per key; inputs unlocked and validated."""
    header_row, first = KEYED_FIRST_ROW - 1, KEYED_FIRST_ROW
    ncols = len(sheet.columns)
    ws.set_column(0, 0, sheet.columns[0].width, styles.get("key"), {"hidden": True})
    for c, col in enumerate(sheet.columns[1:], 1):
        ws.set_column(c, c, col.width)
    ws.write_string(0, 1, sheet.title, styles.get("title"))
    ws.merge_range(1, 1, 1, ncols - 1, "", styles.get("hint"))
    ws.write_string(1, 1, sheet.hint, styles.get("hint"))
    ws.set_row(1, fit_height([(sheet.hint, sum(c.width for c in sheet.columns[1:]))]))
    for c, col in enumerate(sheet.columns):
        ws.write_string(header_row, c, col.header, styles.get("th"))
    checks: list[tuple[int, int, tuple]] = []
    list_seen: dict[str, int] = {}
    by_key = fill.by_key() if fill is not None else {}
    for i, row in enumerate(sheet.rows):
        r = first + i
        ws.write_string(r, 0, row.key, styles.get("key"))
        filled = row_fill(fill, by_key, row, list_seen)
        ws.set_row(r, keyed_row_height(sheet, row, filled))
        for c, col in enumerate(sheet.columns[1:], 1):
            check = _write_cell(ws, r, c, col, row, styles, sources)
            if filled and col.header in filled and writer is not None and fillable(row, col):
                writer.put(ws, r, c, col.kind, filled[col.header])
            if check:
                checks.append((c, r, check))
    _validate_runs(ws, checks)
    ws.freeze_panes(first, 0)
    ws.set_tab_color("#FFC000")
    ws.protect("", PROTECT_OPTIONS)
    print_setup(ws, (header_row, header_row))


def row_fill(
    fill: Fill | None, by_key: dict[str, dict[str, CellFill]], row: L.Row, list_seen: dict[str, int]
) -> dict[str, CellFill]:
    """The filled cells of one layout row, by header (list rows are filled in order)."""
    if fill is None:
        return {}
    if row.kind == "list":
        n = list_seen.get(row.key, 0)
        list_seen[row.key] = n + 1
        rows = fill.lists.get(row.key, [])
        return rows[n] if n < len(rows) else {}
    return by_key.get(row.key, {})


def _write_cell(
    ws: Any, r: int, c: int, col: L.Column, row: L.Row, styles: Styles, sources: dict[str, str]
) -> tuple | None:
    """Write one cell; an input cell returns its validation as (kind, label, source)."""
    if not col.input:
        value = row.cells.get(col.header, "")
        if isinstance(value, (int, float)):
            ws.write_number(r, c, value, styles.get("td"))
        else:
            ws.write_string(r, c, str(value), styles.get("td"))
        return None
    if row.kind != "list" and col.header not in L.INPUT_HEADERS[row.kind]:
        ws.write_blank(r, c, None, styles.get("disabled"))
        return None
    ws.write_blank(r, c, None, styles.input(col.kind))
    kind = (
        row.number_kind
        if col.kind == "number" and row.kind == "field"
        else "amount"
        if col.kind == "number"
        else col.kind
    )
    return (kind, row.label or col.header, sources.get(col.header, ""))


def _validate_runs(ws: Any, checks: list[tuple[int, int, tuple]]) -> None:
    """One data validation per run of adjacent rows with the same rule and message.

    A list sheet has hundreds of identical input cells; one validation per cell made the
    workbooks larger and template writing ~3x slower (xlsxwriter re-parses each formula)."""
    checks.sort(key=lambda x: (x[0], x[1]))
    start = None
    for n, (c, r, check) in enumerate(checks):
        if start is None:
            start = r
        nxt = checks[n + 1] if n + 1 < len(checks) else None
        if nxt is None or nxt[0] != c or nxt[1] != r + 1 or nxt[2] != check:
            kind, label, source = check
            ws.data_validation(start, c, r, c, validation(kind, label=label, source=source))
            start = None


def _write_pairs(ws: Any, rows: list[list[str]]) -> None:
    """A hidden, protected sheet of plain strings (``_meta``, ``_lists``)."""
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value != "":
                ws.write_string(r, c, str(value))
    ws.set_column(0, 1, 18)
    ws.hide()
    ws.protect()
