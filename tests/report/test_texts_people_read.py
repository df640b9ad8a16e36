"""Every text a person reads in the workbooks the tool hands out, and the office's own report text.

The breakdown, the feedback workbooks and the templates are walked cell by cell (visible sheets,
visible columns: keys live in hidden columns only) with the one detector of keys, flags and stray
Latin words. The 报告文字 sheet shows each replaceable section's generated text; the office's text
typed there replaces that section at the next run with the workbook as the review file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from leaks import leaks_in, typed_latin

from yongji_xls import api
from yongji_xls.workbook import layout as L

TOOL_LATIN = {"xlsx", "xls", "et", "Alt", "Enter"}  # file formats and a key combination the instructions name
PREVIOUS_FILE = {"scores", "json"}  # 历年对比 names the file of last year's results as the office gave it


def visible_texts(path: Path) -> list[str]:
    """Text cells of the visible sheets, hidden columns and rows left out."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden = {k for k, d in ws.column_dimensions.items() if d.hidden}
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.column_letter not in hidden and not ws.row_dimensions[c.row].hidden:
                    out.append(c.value)
                if c.comment is not None:
                    out.append(c.comment.text)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    result = api.run(api.sample_workbooks(), now=dt.datetime(2025, 1, 20, 9, 0), previous=api.sample_previous())
    api.write_outputs(result, out)
    return result, out


def test_the_breakdown_shows_no_key(demo):
    result, out = demo
    book = out / "任务分解表_2024年度.xlsx"
    assert "历年对比" in openpyxl.load_workbook(book, read_only=True).sheetnames
    texts = visible_texts(book)
    assert len(texts) > 1000
    assert leaks_in(texts, typed_latin(result) | TOOL_LATIN | PREVIOUS_FILE | {"ODR"}) == {}


def test_the_office_configuration_shows_no_key(tmp_path):
    for n, kwargs in enumerate(({"city": "临猗县"}, {"city": "永济市", "from_yongji": True})):
        texts = visible_texts(api.init_office(tmp_path / str(n), **kwargs))
        assert len(texts) > 100
        assert leaks_in(texts, TOOL_LATIN | {"MCN"}) == {}  # MCN: a term in Yongji's plan's own task text


def test_the_feedback_workbooks_show_no_key(demo):
    result, out = demo
    books = sorted((out / "反馈").glob("*.xlsx"))
    assert len(books) == 3
    for book in books:
        assert leaks_in(visible_texts(book), typed_latin(result) | TOOL_LATIN | {"ODR"}) == {}, book.name


def test_the_templates_show_no_key(spec, templates):
    document = " ".join(
        [t.text + t.title for t in spec.tasks] + [i.description + i.name for i in spec.indicators]
    )  # the work plan's and the system's own words (「MCN机构」, 「ODR」)
    allowed = TOOL_LATIN | set(re.findall(r"[A-Za-z]{2,}", document))
    for unit, path in templates.items():
        assert leaks_in(visible_texts(path), allowed) == {}, unit


def test_keys_stay_in_hidden_columns_where_the_tool_reads_them(demo):
    wb = openpyxl.load_workbook(demo[1] / "任务分解表_2024年度.xlsx")
    review = wb["核定"]
    header = [c.value for c in review[3]]
    key_col = header.index("指标键") + 1
    assert review.column_dimensions[openpyxl.utils.get_column_letter(key_col)].hidden
    keys = [review.cell(r, key_col).value for r in range(4, review.max_row + 1)]
    assert sorted(keys) == sorted(i.key for i in demo[0].spec.indicators)
    assert keys[:2] == ["I25", "I26"]  # the rows 待核定 come first


def _fill_office_text(src: Path, dst: Path, rows: dict[str, str]) -> None:
    """Type the office's text in the 办公室文字 column of the rows whose 章节 is ``rows``' key."""
    wb = openpyxl.load_workbook(src)
    ws = wb[L.SHEET_REPORT_TEXT]
    head = next(r for r in range(1, 10) if ws.cell(r, 4).value == L.H_OFFICE_TEXT)
    for r in range(head + 1, ws.max_row + 1):
        title = ws.cell(r, 2).value
        if title in rows:
            ws.cell(r, 4).value = rows[title]
    wb.save(dst)


def test_the_offices_own_text_replaces_a_section_of_the_report(demo, tmp_path):
    result, out = demo
    ws = openpyxl.load_workbook(out / "任务分解表_2024年度.xlsx")[L.SHEET_REPORT_TEXT]
    sections = [ws.cell(r, 2).value for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value]
    assert sections == [title for _, title in L.report_sections(result.spec)]
    drafts = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert all(drafts) and all(len(d) <= 700 for d in drafts)  # long paragraphs over several rows
    office = "2023年以来，永济市把示范区创建列为全市优化营商环境的重点工作。\n#领导小组每季度听取一次创建工作汇报。"
    review = tmp_path / "核定.xlsx"
    _fill_office_text(out / "任务分解表_2024年度.xlsx", review, {"一、基本情况": office})
    again = api.run(api.sample_workbooks(), review=review)
    assert again.report_texts == {"基本情况": office}
    api.write_outputs(again, tmp_path / "出")
    d = docx.Document(str(tmp_path / "出" / "自评报告_2024年度.docx"))
    body = [p.text for p in d.paragraphs]
    start = body.index("一、基本情况")
    assert body[start + 1 : start + 3] == office.splitlines()  # a line starting with # stays text
    assert body[start + 3] == "二、自评得分情况"
    assert any("主要做法和成效" in t for t in body)  # the other sections are the generated ones


def test_office_text_in_a_row_that_names_no_section_is_reported(demo, tmp_path):
    result, out = demo
    wb = openpyxl.load_workbook(out / "任务分解表_2024年度.xlsx")
    ws = wb[L.SHEET_REPORT_TEXT]
    row = ws.max_row + 1
    ws.cell(row, 4).value = "一段无处安放的文字"
    wb.save(tmp_path / "核定.xlsx")
    again = api.run(api.sample_workbooks(), review=tmp_path / "核定.xlsx")
    found = [i for i in again.report if i.code == "review_text_unknown"]
    assert [(i.sheet, i.cell, i.value) for i in found] == [(L.SHEET_REPORT_TEXT, f"D{row}", "一段无处安放的文字")]
    assert again.report_texts == {}
