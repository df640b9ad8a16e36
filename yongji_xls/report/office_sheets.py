"""The breakdown's sheets the office works in: 达标路径, 佐证材料清单, 核定 and 报告文字.

核定 and 报告文字 are read back by ``run --review``: rows are found by their hidden key columns
(指标键, 章节键), so the office may sort and filter; both sheets are protected except their input
columns (a stray edit of a computed score or of a key cannot happen by accident; no password, so
the office can still unprotect them). 核定 lists the indicators 待核定 first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..records import RunResult
from ..workbook import layout as L
from ..workbook.cells import a1
from ..workbook.read.review import SHEET as REVIEW_SHEET
from ..workbook.write.styles import HEI, fit_height
from . import office_rows as R
from . import paging
from . import sheets as S
from .book import FIRST_ROW, HEADER_ROW, Book, row_height, table

PROTECT = {
    "autofilter": True,
    "sort": True,
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}
DRAFT_CHARS = 600  # a generated paragraph longer than this is shown over several rows (row heights stop at 409 pt)


def write_path(book: Book, result: RunResult) -> None:
    """达标路径: every lost point with what recovers it; the chosen cheapest set marked 是. The
    title is the CLI's three lines; column F (失分) sums to the points they say were lost."""
    from ..scoring.path_to_pass import path_for_run
    from .summary import path_lines

    path = path_for_run(result)
    title = "".join(line.strip() for line in path_lines(path, result.spec))
    cols = S.leveled(R.PATH_COLS, result.spec)
    ws = table(book, "达标路径", title, cols, R.path_rows(result, path), freeze_cols=4)
    wrap = book.wb.add_format(
        {**HEI, "font_size": 12, "bold": True, "align": "left", "valign": "vcenter", "text_wrap": True}
    )
    ws.write_string(0, 0, title, wrap)  # the merged title cell, wrapped: the three summary lines
    ws.set_row(0, 20 * max(2, -(-len(title) // 75)))
    chosen = S.col_index(cols, "列入达标方案")
    book.colour(ws, (FIRST_ROW, chosen, FIRST_ROW + max(len(path.items), 1) - 1, chosen), {"是": "#C6EFCE"})


def write_evidence(book: Book, result: RunResult) -> None:
    """佐证材料清单: per indicator a heading row, then each unit with all the materials it named
    (9 pt, portrait, the unit in front of its materials: the demo's 1,500 names on 15 pages)."""
    cols = R.EVIDENCE_COLS
    rows = R.evidence_sheet_rows(result)
    ws = book.wb.add_worksheet("佐证材料清单")
    small = {**book._base, "font_size": R.EVIDENCE_FONT}
    f = {
        "text": book.wb.add_format({**small, "text_wrap": True, "valign": "top"}),
        "heading": book.wb.add_format({**small, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True}),
        "header": book.wb.add_format({**small, "bold": True, "bg_color": "#D9E1F2", "align": "center"}),
        "plain": book.wb.add_format(small),
    }
    count = sum(1 for k, _ in rows if k == "row")
    ws.write_string(0, 1, f"佐证材料清单（{count}个单位次）", book.f["title"])
    ws.set_row(0, 24)
    for c, col in enumerate(cols):
        ws.write_string(HEADER_ROW, c, col.header, f["header"])
        ws.set_column(c, c, col.width, None, {"hidden": True} if col.hidden else None)
    shown = next(c.width for c in cols if not c.hidden)
    string, number = book.write_string, book.write_number
    for r, (kind, values) in enumerate(rows, FIRST_ROW):
        ws.set_row(r, small_height(values[1], shown))
        number(ws, r, 0, values[0], f["plain"])
        string(ws, r, 1, values[1], f["heading" if kind == "heading" else "text"])
        string(ws, r, 2, values[2], f["plain"])
        if values[3] is not None:
            number(ws, r, 3, values[3], f["plain"])
    last = FIRST_ROW + max(len(rows), 1) - 1
    ws.freeze_panes(FIRST_ROW, 0)
    ws.autofilter(HEADER_ROW, 0, last, len(cols) - 1)
    paging.apply(ws, paging.layout([shown]), (HEADER_ROW, HEADER_ROW), center=True)


def small_height(text: str, width: float) -> float:
    """Row height of 9 pt wrapped text, enough both where digits are 7 pixels (Excel, WPS: more
    lines of 11.5 pt, SimSun 9 pt) and where they are 8.5 (LibreOffice with a substitute font: fewer
    lines of 13 pt)."""
    windows = fit_height([(text, width)], minimum=0, han=12 / 7, line=11.5) - 4
    wide = fit_height([(text, width * 8.5 / 7)], minimum=0, han=12 / 7, line=13) - 4
    return max(windows, wide, 12) + 1


def _protect(book: Book, ws: Any) -> None:
    ws.protect("", PROTECT)


REVIEW_NOTE = (
    "说明：如需调整某项指标的得分，请在“核定得分”列填写0到满分之间的数，并在“核定说明”列写明依据；"
    "空白表示采用计算得分。待核定的指标排在最前。填好保存后，在自评工具中把本文件作为核定文件重新计分，"
    "即按核定得分重新汇总（网页“核定”页也可直接填写）。"
)
TEXT_NOTE = (
    "说明：右列为空时，报告采用中间列生成的文字（根据各单位报送的内容生成，每次计分后更新）。需要改写某一部分时，"
    "在该部分的“办公室文字”列填写完整的替换文字（可分段填在该部分的各行中，每行为一段），"
    "保存后在自评工具中把本文件作为核定文件重新计分，报告即采用办公室文字。请勿修改“章节”列。"
)


def _titled(book: Book, ws: Any, last_col: int, title: str, note: str, note_height: float) -> None:
    """A sheet's title (row 1) and its instructions (row 2), each across the shown columns."""
    ws.merge_range(0, 0, 0, last_col, title, book.f["title"])
    ws.merge_range(1, 0, 1, last_col, note, book.f["note"])
    ws.set_row(0, 28)
    ws.set_row(1, note_height)


def write_review(book: Book, result: RunResult) -> None:
    """核定: one row per indicator (待核定 first), keyed by a hidden 指标键; the office fills
    核定得分/核定说明, the only unlocked cells, and passes the workbook back as the review file."""
    ws = book.wb.add_worksheet(REVIEW_SHEET)
    cols, rows = S.leveled(R.REVIEW_COLS, result.spec), R.review_rows(result)
    header, first = 2, 3
    last_col, last = len(cols) - 1, first + len(rows) - 1
    shown = [c for c in cols if not c.hidden]
    _titled(book, ws, len(shown) - 1, f"{result.year}年度自评得分核定表", REVIEW_NOTE, 44)
    unlocked = {
        R.REVIEW_SCORE_COL: book.wb.add_format(
            {**book._base, "bg_color": "#FFE699", "align": "center", "locked": False}
        ),
        R.REVIEW_NOTE_COL: book.wb.add_format(
            {**book._base, "bg_color": "#FFE699", "text_wrap": True, "valign": "top", "locked": False}
        ),
    }
    for c, col in enumerate(cols):
        ws.write_string(header, c, col.header, book.f["header"])
        ws.set_column(c, c, col.width, None, {"hidden": True} if col.hidden else None)
    widths, kinds = [c.width for c in cols], [c.kind for c in cols]
    formats = [unlocked.get(c) or book.format_of(k) for c, k in enumerate(kinds)]
    for r, values in enumerate(rows, first):
        ws.set_row(r, row_height(values, widths, kinds))
        for c, value in enumerate(values):
            book.put_cell(ws, r, c, value, formats[c])
    ref, top = a1(first, R.REVIEW_SCORE_COL), a1(first, S.col_index(cols, "满分"))
    ws.data_validation(
        first,
        R.REVIEW_SCORE_COL,
        last,
        R.REVIEW_SCORE_COL,
        {
            "validate": "custom",
            "value": f"=AND(ISNUMBER({ref}),{ref}>=0,{ref}<={top})",
            "ignore_blank": True,
            "error_title": "核定得分无效",
            "error_message": "核定得分应为0到该指标满分之间的数。",
        },
    )
    ws.freeze_panes(first, 3)
    ws.autofilter(header, 0, last, last_col)
    _protect(book, ws)
    paging.apply(ws, paging.layout([c.width for c in shown]), (0, header), center=True)


def _draft_rows(text: str) -> list[str]:
    """A section's generated text as rows: one per paragraph, a long paragraph cut at sentence
    ends into pieces of at most :data:`DRAFT_CHARS` characters (a cell taller than Excel's 409 pt
    row would be cut off)."""
    out = []
    for para in text.splitlines():
        piece = ""
        for sentence in (s + "。" for s in para.split("。") if s):
            if piece and len(piece) + len(sentence) > DRAFT_CHARS:
                out.append(piece)
                piece = ""
            piece += sentence
        out.append(piece.rstrip("。") + ("。" if para.endswith("。") else "") if piece else para)
    return out or [""]


def write_report_text(
    book: Book, result: RunResult, templates: Path | None = None, context: dict[str, Any] | None = None
) -> None:
    """报告文字: each section of the report an office may replace, the generated text beside an
    empty column for the office's own (filled in, it replaces the whole section at the next run
    with this workbook as the review file); ``context``: the run's report context, if built."""
    from .sections import section_drafts
    from .templates_path import is_template_error

    ws = book.wb.add_worksheet(L.SHEET_REPORT_TEXT)
    heads = [(L.H_SECTION_KEY, 10), (L.H_SECTION, 12), (L.H_DRAFT, 60), (L.H_OFFICE_TEXT, 46)]
    _titled(book, ws, 3, f"{result.year}年度自评报告各部分文字", TEXT_NOTE, 58)
    text_in = book.wb.add_format(
        {**book._base, "bg_color": "#FFE699", "text_wrap": True, "valign": "top", "locked": False}
    )
    for c, (h, w) in enumerate(heads):
        ws.write_string(HEADER_ROW + 1, c, h, book.f["header"])
        ws.set_column(c, c, w, None, {"hidden": True} if c == 0 else None)
    r = HEADER_ROW + 2
    try:
        drafts = section_drafts(result, templates, context)
    except Exception as e:  # noqa: BLE001 - a mistyped wording file: the report names it; this sheet still serves
        if not is_template_error(e):
            raise
        drafts = [(key, title, f"（报告措辞模板有误，未能生成：{e}）") for key, title in L.report_sections(result.spec)]
    for key, title, draft in drafts:
        for n, piece in enumerate(_draft_rows(draft)):
            ws.set_row(r, fit_height([(piece, heads[2][1]), (title if n == 0 else "", heads[1][1])], han=1.8))
            ws.write_string(r, 0, key, book.f["short"])
            ws.write_string(r, 1, title if n == 0 else "", book.f["text"])
            ws.write_string(r, 2, piece, book.f["text"])
            ws.write_blank(r, 3, None, text_in)
            r += 1
    ws.freeze_panes(HEADER_ROW + 2, 2)
    _protect(book, ws)
    paging.apply(ws, paging.layout([w for _, w in heads[1:]]), (0, HEADER_ROW + 1), center=True)
