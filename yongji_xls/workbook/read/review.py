"""The 核定 sheet: read the office's 核定得分 back from a task-breakdown workbook (``run … --review
FILE``) or from a review file of the same shape written for 核定得分 entered elsewhere (the web
page, :mod:`yongji_xls.workbook.write.review_file`), so that one reader validates every entry.

Rows are found by the 指标键 column, never by address: the office may sort, filter, insert rows
or re-save the file in WPS or LibreOffice. The file is our own output, but it passed through
people's hands, so every cell is treated as untrusted: anything that is not a number between 0
and the indicator's maximum becomes a ``review_bad`` issue naming the cell, and a file that cannot
be opened or has no review table becomes ``review_unreadable``. Nothing raises.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from ...issues import Issue, Severity, issue
from ...scoring.display import show
from ...system.model import Spec
from ...values.parse import clean_text, parse_text
from ..cells import a1, cell_text
from ..layout import H_OFFICE_TEXT, H_SECTION, H_SECTION_KEY, SHEET_REPORT_TEXT, report_sections
from .clean import clean_string

SHEET = "核定"
KEY_HEADER, SCORE_HEADER, NOTE_HEADER = "指标键", "核定得分", "核定说明"
MAX_ROWS = 5000  # the table has 41 rows; stop early on a sheet someone filled with junk
HEADER_ROWS = 30

Overrides = dict[str, tuple[Decimal, str]]


def parse_score(value: Any) -> Decimal | None:
    """A number typed by a person: 2, 2.5, 「２.５」, 「2.5分」; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        text = repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        text = clean_text(value).removesuffix("分").strip()
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return (
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number
    )  # a cell's 2.0 is the 2 typed


Grid = list[list[Any]]


def _note(row: list[Any], col: int | None) -> str:
    """The 核定说明 as typed: text people read back keeps its ，。；（）, so it is read as the
    reader reads any free text, not through :func:`clean_text` (NFKC, for keys and numbers)."""
    return str(parse_text(row[col]).value or "") if col is not None and len(row) > col else ""


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The header row (1-based) and the column index of each header, if the sheet has one."""
    for n, row in enumerate(grid[:HEADER_ROWS], 1):
        names = {clean_text(v): i for i, v in enumerate(row) if v is not None and v != ""}
        if KEY_HEADER in names and SCORE_HEADER in names:
            return n, names
    return None


def _review_sheet(wb: Any) -> tuple[str, Grid, int, dict[str, int]] | None:
    sheets = list(wb.sheet_names)
    for name in ([SHEET] if SHEET in sheets else []) + [n for n in sheets if n != SHEET]:
        grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        found = _header(grid)
        if found:
            return name, grid, found[0], found[1]
    return None


def _read(spec: Spec, wb: Any, file: str) -> tuple[Overrides, list[Issue]]:
    found = _review_sheet(wb)
    if found is None:
        return {}, [
            issue(
                "review_unreadable", file=file, detail=f"找不到“{SHEET}”工作表或其中的“{KEY_HEADER}”“{SCORE_HEADER}”列"
            )
        ]
    title, grid, header_row, cols = found
    maxima = {i.key: Decimal(i.points) for i in spec.indicators}
    key_col, score_col, note_col = cols[KEY_HEADER], cols[SCORE_HEADER], cols.get(NOTE_HEADER)
    overrides: Overrides = {}
    issues: list[Issue] = []
    for n, row in enumerate(grid[:MAX_ROWS], 1):
        if n <= header_row or len(row) <= key_col:
            continue
        key = clean_text(row[key_col]).upper()
        raw = row[score_col] if len(row) > score_col else None
        if key not in maxima or key in overrides or raw is None or clean_text(raw) == "":
            continue
        value = parse_score(raw)
        if value is None or not 0 <= value <= maxima[key]:
            issues.append(
                issue(
                    "review_bad",
                    file=file,
                    sheet=title,
                    cell=a1(n - 1, score_col),
                    key=key,
                    value=cell_text(raw),
                    max=show(Fraction(maxima[key])),
                )
            )
            continue
        note = _note(row, note_col)
        overrides[key] = (value, note)
    return overrides, issues


def read_entries(spec: Spec, path: Path) -> dict[str, tuple[str, str]]:
    """Indicator key -> (核定得分 as typed, 核定说明) of every row that has either, valid or not:
    what a page shows and edits (a note without a score, a score the reader refuses, kept as typed).
    An unreadable file has no entries (its problem is :func:`read_review`'s to report)."""
    import io

    from python_calamine import CalamineWorkbook

    from .safety.preflight import preflight

    path = Path(path)
    if not path.is_file():
        return {}
    pre = preflight(path, path.name)
    if not pre.ok or pre.kind not in ("xlsx", "xlsm", "ods"):
        return {}
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(pre.data if pre.data is not None else path.read_bytes()))
    except Exception:  # noqa: BLE001 - unreadable: nothing to show
        return {}
    try:
        found = _review_sheet(wb)
    finally:
        wb.close()
    if found is None:
        return {}
    _, grid, header_row, cols = found
    keys = {i.key for i in spec.indicators}
    key_col, score_col, note_col = cols[KEY_HEADER], cols[SCORE_HEADER], cols.get(NOTE_HEADER)
    out: dict[str, tuple[str, str]] = {}
    for row in grid[header_row:MAX_ROWS]:
        key = clean_text(row[key_col]).upper() if len(row) > key_col else ""
        score = cell_text(row[score_col]) if len(row) > score_col and row[score_col] not in (None, "") else ""
        note = _note(row, note_col)
        if key in keys and key not in out and (score or note):
            out[key] = (score, note)
    return out


def _texts(spec: Spec, wb: Any, file: str) -> tuple[dict[str, str], list[Issue]]:
    """Section key -> the office's own text from the 报告文字 sheet (rows found by the hidden
    章节键, else by the 章节 title; empty texts skipped); a filled row naming no section is an issue,
    not a silent loss."""
    if SHEET_REPORT_TEXT not in list(wb.sheet_names):
        return {}, []
    grid = wb.get_sheet_by_name(SHEET_REPORT_TEXT).to_python(skip_empty_area=False)
    office, key_head, title_head = clean_text(H_OFFICE_TEXT), clean_text(H_SECTION_KEY), clean_text(H_SECTION)
    header = next(
        (
            (n, {clean_text(v): i for i, v in enumerate(row) if v not in (None, "")})
            for n, row in enumerate(grid[:HEADER_ROWS], 1)
            if any(clean_text(v) == office for v in row)
        ),
        None,
    )
    if header is None:
        return {}, []
    row_no, cols = header
    sections = report_sections(spec)
    by_title = {clean_text(title): key for key, title in sections}
    keys = {key for key, _ in sections}
    texts: dict[str, str] = {}
    issues: list[Issue] = []
    for n, row in enumerate(grid[row_no:MAX_ROWS], row_no + 1):

        def cell(header: str, row: list[Any] = row) -> str:
            """The cell as typed (the office's punctuation kept: it is report text, not a key)."""
            c = cols.get(header)
            return clean_string(str(row[c])).strip() if c is not None and c < len(row) and row[c] is not None else ""

        text = "\n".join(ln.strip() for ln in cell(office).splitlines() if ln.strip())
        if not text:
            continue
        key = cell(key_head)
        key = key if key in keys else by_title.get(clean_text(cell(title_head)), "")
        if not key:
            where = a1(n - 1, cols[office])
            issues.append(issue("review_text_unknown", file=file, sheet=SHEET_REPORT_TEXT, cell=where, value=text))
            continue
        texts[key] = text
    return texts, issues


def read_review_file(spec: Spec, path: Path) -> tuple[Overrides, dict[str, str], list[Issue]]:
    """The 核定 sheet (:func:`read_review`) and the office's own report texts (sheet 报告文字)."""
    return _open(spec, Path(path), lambda wb, file: (*_read(spec, wb, file), *_texts(spec, wb, file)))


def read_review(spec: Spec, path: Path) -> tuple[Overrides, list[Issue]]:
    """Indicator key → (核定得分, 核定说明) from the 核定 sheet, and the problems found."""
    overrides, _, issues = read_review_file(spec, path)
    return overrides, issues


def _open(spec: Spec, path: Path, read: Any) -> tuple[Overrides, dict[str, str], list[Issue]]:
    """Open a review file and apply ``read(wb, file) -> (overrides, issues, texts, text_issues)``.

    Read with python-calamine from the bytes pre-flight vetted (openpyxl stays off the ``run``
    path); a LibreOffice re-save as .ods is read too. Nothing raises."""
    import io

    from python_calamine import CalamineWorkbook

    from .safety.preflight import preflight

    pre = preflight(path, path.name)
    if not pre.ok or pre.kind not in ("xlsx", "xlsm", "ods"):
        detail = "；".join(i.message for i in pre.issues if i.severity == Severity.ERROR) or "不是.xlsx文件"
        return {}, {}, [issue("review_unreadable", file=path.name, detail=detail[:120])]
    try:
        data = pre.data if pre.data is not None else path.read_bytes()
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - any failure to open is reported, never raised
        return {}, {}, [issue("review_unreadable", file=path.name, detail=f"{type(e).__name__}: {e}"[:120])]
    try:
        overrides, issues, texts, text_issues = read(wb, path.name)
        return overrides, texts, [*issues, *text_issues]
    except Exception as e:  # noqa: BLE001 - a malformed sheet inside a valid zip
        return {}, {}, [issue("review_unreadable", file=path.name, detail=f"{type(e).__name__}: {e}"[:120])]
    finally:
        wb.close()
