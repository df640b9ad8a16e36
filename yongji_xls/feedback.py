"""退回修改: one feedback workbook per unit whose file had errors or warnings.

It is a copy of the unit's own workbook (the input is never touched) with each problem cell
highlighted and commented, plus a 问题清单 sheet in front; for files that cannot be opened (or
legacy formats) it is a workbook holding just the 问题清单.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from .atomic import write_with
from .issues import SEVERITY_TEXT, Issue
from .result import RunResult
from .safe_names import safe_filename

FILL = "FFC7CE"
HEADERS = ("序号", "严重程度", "工作表", "单元格", "字段键", "问题及修改方法")


def _text(cell: Any, value: str) -> None:
    """Write user-derived text as a string, never as a formula."""
    cell.value = value
    cell.data_type = "s"


def _issue_sheet(wb: Any, issues: list[Issue]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("问题清单", 0)
    for col, h in enumerate(HEADERS, 1):
        c = ws.cell(row=1, column=col)
        _text(c, h)
        c.font = Font(bold=True)
    for n, i in enumerate(issues, 1):
        row = (str(n), SEVERITY_TEXT.get(i.severity, i.severity), i.sheet, i.cell, i.key, i.message)
        for col, value in enumerate(row, 1):
            c = ws.cell(row=n + 1, column=col)
            _text(c, value)
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (6, 10, 14, 10, 18, 90)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.active = 0


def _mark_cells(wb: Any, issues: list[Issue]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor=FILL)
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for i in issues:
        if i.sheet in wb.sheetnames and i.cell:
            notes[(i.sheet, i.cell)].append(i.message)
    for (sheet, cell), messages in notes.items():
        try:
            c = wb[sheet][cell]
        except (ValueError, KeyError):
            continue
        c.fill = fill
        c.comment = Comment("\n".join(messages)[:2000], "领导小组办公室", width=320, height=160)


def _feedback_book(source: Path | None, issues: list[Issue]) -> Any:
    from openpyxl import Workbook, load_workbook

    wb = None
    if source is not None and source.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            wb = load_workbook(source, keep_vba=False)
        except Exception:  # noqa: BLE001 - fall back to a list-only workbook
            wb = None
    if wb is None:
        wb = Workbook()
        wb.remove(wb.active)
    else:
        _mark_cells(wb, issues)
    _issue_sheet(wb, issues)
    return wb


def write_feedback(result: RunResult, folder: Path) -> dict[str, Path]:
    """Write ``folder/<unit>_问题反馈.xlsx`` for every file with errors or warnings."""
    by_file: dict[str, list[Issue]] = defaultdict(list)
    for i in result.report:
        if i.file and i.severity in ("error", "warning"):
            by_file[i.file].append(i)
    written: dict[str, Path] = {}
    used_names: set[str] = set()
    for sub in result.submissions:
        issues = by_file.get(sub.file)
        if not issues:
            continue
        base = sub.unit or Path(sub.file).stem
        name = safe_filename(f"{base}_问题反馈", ".xlsx")
        n = 2
        while name in used_names:
            name = safe_filename(f"{base}_问题反馈_{n}", ".xlsx")
            n += 1
        used_names.add(name)
        source = sub.path if sub.readable else None
        wb = _feedback_book(source, issues)
        written[sub.file] = write_with(folder / name, wb.save)
    if written:
        written["feedback_dir"] = folder
    return written
