"""The task-breakdown workbook, re-read with openpyxl: sheets, 附件2 rows, merges, safety,
print setup, and the 核定 round trip through read_review and apply_overrides."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from factories import FORMULA_TEXT, build_result, pdf_text, to_pdf

from yongji_xls.report.breakdown import write_breakdown
from yongji_xls.report.office_rows import REVIEW_COLS
from yongji_xls.scoring.engine import apply_overrides
from yongji_xls.workbook.read.review import read_review

HEADERS = {
    "达标路径": [
        "序号",
        "列入达标方案",
        "评分要点",
        "三级指标",
        "一级指标",
        "失分",
        "挽回方式",
        "责任单位",
        "截止日期",
        "评分要点内容",
        "失分原因",
        "要点键",
    ],
    "指标任务分解": [
        "一级指标",
        "二级指标",
        "编号",
        "变量性质",
        "三级指标",
        "指标说明及打分标准",
        "评估方式及数据或资料来源",
        "责任单位",
        "满分",
        "得分",
        "失分",
        "状态",
        "失分原因",
        "牵头单位",
        "计算得分",
        "计分说明",
        "数据来源",
        "核定说明",
    ],
    "单位任务清单": ["序号", "单位", "报送状态", "负责指标", "牵头指标"],
    "报送情况": [
        "序号",
        "单位",
        "报送状态",
        "错误",
        "警告",
        "影响分值",
        "涉及指标",
        "催报文本",
        "报送文件",
        "填报人",
        "联系电话",
        "报送时间",
        "已填行数",
        "应填行数",
        "填报率",
    ],
    "问题清单": [
        "序号",
        "级别",
        "单位",
        "文件",
        "工作表",
        "单元格",
        "数据项或评分要点",
        "填报内容",
        "问题及修改意见",
        "键",
        "代码",
    ],
    "数据冲突": [
        "序号",
        "数据项",
        "主责单位",
        "采用数值",
        "主责单位来源",
        "核对单位",
        "核对单位数值",
        "核对单位来源",
        "差额",
        "键",
    ],
    "原始数据": ["序号", "数据项", "数值", "计量单位", "填报单位", "文件", "工作表", "单元格", "键"],
    "佐证材料清单": ["编号", "单位及佐证材料", "单位", "份数"],
    "重点任务进展": ["序号", "主要任务", "已完成", "推进中", "未启动", "未报送"],
    "任务进展明细": ["序号", "主要任务", "单位", "进展状态", "工作进展", "下一步计划", "文件", "工作表", "单元格"],
}
HIDDEN = {  # key columns: for the tool and for filters, never shown or printed
    "达标路径": ["L"],
    "问题清单": ["J", "K"],
    "数据冲突": ["J"],
    "原始数据": ["I"],
    "佐证材料清单": ["A", "C", "D"],
    "核定": ["J"],
    "报告文字": ["A"],
}
SHEETS = ["评分汇总", *HEADERS, "核定", "报告文字", "_meta"]  # _meta: hidden, kind = breakdown


@pytest.fixture(scope="module")
def result():
    return build_result()


@pytest.fixture(scope="module")
def book_path(tmp_path_factory, result) -> Path:
    return write_breakdown(result, tmp_path_factory.mktemp("bd") / "任务分解表.xlsx")


@pytest.fixture(scope="module")
def wb(book_path):
    return openpyxl.load_workbook(book_path)


def header(ws, row: int = 2) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def rows_by_key(ws, key_col: int = 10, header_row: int = 3) -> dict[str, int]:
    return {ws.cell(r, key_col).value: r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, key_col).value}


def test_every_sheet_with_its_headers(wb):
    assert wb.sheetnames == SHEETS
    for name, expected in HEADERS.items():
        assert header(wb[name])[: len(expected)] == expected, name
    assert header(wb["核定"], 3) == [c.header for c in REVIEW_COLS]
    unit_cols = header(wb["单位任务清单"])
    assert len(unit_cols) == 5 + 41 and unit_cols[5].startswith("01 ")
    for name, cols in HIDDEN.items():
        ws = wb[name]
        shown = {c for c in "ABCDEFGHIJKL" if not ws.column_dimensions[c].hidden}
        assert set(cols) == {c for c in "ABCDEFGHIJKL" if ws.column_dimensions[c].hidden}, name
        assert shown, name


def test_41_indicator_rows_with_scorecard_scores(wb, result):
    ws = wb["指标任务分解"]
    cols = {h: i + 1 for i, h in enumerate(header(ws))}
    rows = list(range(3, ws.max_row + 1))
    assert [ws.cell(r, cols["编号"]).value for r in rows] == list(range(1, 42))
    for r, ind in zip(rows, result.card.indicators):
        assert ws.cell(r, cols["得分"]).value == float(ind.score), ind.key
        assert ws.cell(r, cols["满分"]).value == float(ind.max)
        assert ws.cell(r, cols["失分"]).value == float(ind.lost)
    i06 = rows[5]
    assert ws.cell(i06, cols["状态"]).value == "未达标"
    assert "未超过全国" in ws.cell(i06, cols["失分原因"]).value
    assert "数据填报!" in ws.cell(i06, cols["数据来源"]).value
    assert "方式：数据比对、资料审查。" in ws.cell(3, cols["评估方式及数据或资料来源"]).value


def test_first_and_second_levels_are_merged(wb, result):
    merged = {str(r) for r in wb["指标任务分解"].merged_cells.ranges}
    start = 3
    for level in result.spec.first_levels:
        n = sum(1 for i in result.spec.indicators if i.first == level.name)
        assert f"A{start}:A{start + n - 1}" in merged, level.name
        assert wb["指标任务分解"][f"A{start}"].value == f"{level.name}\n（{level.points}分）"
        start += n
    assert "B3:B7" in merged  # 发展规模: I01–I05


def test_summary_verdict_levels_and_native_charts(wb, result):
    ws = wb["评分汇总"]
    facts = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, 13)}
    assert facts["自评总分"] == float(result.card.total) == 87
    assert facts["总分≥85分"] == "是" and facts["每个一级指标得分率≥75%"] == "否"
    assert facts["结论"] == "未达到合格标准"
    levels = {ws.cell(r, 1).value: (ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(14, 19)}
    assert levels["促进发展"] == (14, pytest.approx(0.7))
    assert len(ws._charts) == 2


def test_the_verdict_is_coloured_and_only_the_review_inputs_are_unlocked(wb, result):
    ws = wb["评分汇总"]
    row = next(r for r in range(3, 15) if ws.cell(r, 1).value == "结论")
    assert ws.cell(row, 2).fill.fgColor.rgb.endswith("FFC7CE")  # red: the demo fails the pass rule
    review = wb["核定"]
    assert review.protection.sheet
    cols = {c.value: c.column for c in review[3] if c.value}
    rows = range(4, review.max_row + 1)
    for r in rows:
        for c in review[r]:
            assert c.protection.locked == (c.column not in (cols["核定得分"], cols["核定说明"])), c.coordinate
    numbers = [review.cell(r, cols["编号"]).value for r in rows]
    pending = sorted({result.spec.indicator(c.key.split(".")[0]).no for c in result.card.pending_review})
    assert pending == [25, 26] and numbers == pending + [n for n in range(1, 42) if n not in pending]  # to decide first


def test_user_text_never_becomes_a_formula(wb):
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in (
        FORMULA_TEXT,  # (the note 「=开展宣传报道12次」 is quoted only in the report and 报告文字's draft)
        '=HYPERLINK("http://example.cn","报道")',
        "+普法活动照片.zip",
        "@张伟",
        "-3",
    ):
        holding = [c for t, c in texts.items() if text in t]  # as typed, or quoted in a longer text
        assert holding, text
        assert all(c.data_type == "s" for c in holding), text


def test_frozen_headers_filters_and_a4_print_no_smaller_than_9_points(wb):
    """Every sheet prints on A4 at a scale the file states (never fit-to-page, whose scale the
    application picks): the smallest font times the scale is 9 pt or more; wide matrices are
    split into page-wide column groups with their identifying columns repeated."""
    for name in SHEETS[1:-1]:
        ws = wb[name]
        assert ws.freeze_panes in ("A3", "A4") or ws.freeze_panes[1:] in ("3", "4", "5"), name
        assert ws.auto_filter.ref or name == "报告文字", name
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":  # _meta is never printed
            continue
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        scale = int(ws.page_setup.scale or 100)
        sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None and c.font and c.font.sz}
        assert min(sizes) * scale / 100 >= 9, (ws.title, min(sizes), scale)
    for name, repeat in (("单位任务清单", "$A:$E"), ("重点任务进展", "$A:$B")):
        ws = wb[name]
        assert ws.col_breaks.brk and ws.print_title_cols == repeat, name
    assert wb["指标任务分解"].freeze_panes == "F3"


def test_submission_sheet_has_reminders_for_late_units(wb):
    ws = wb["报送情况"]
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(3, ws.max_row + 1)}
    assert rows["市委组织部"][2] == "未报送" and "尚未报送" in rows["市委组织部"][7]
    assert rows["市人社局"][2] == "需重报" and "重新报送" in rows["市人社局"][7]
    assert rows["市市场监管局"][7] is None
    assert len(rows) == 38


def _fill_review(src: Path, dst: Path, scores: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(src)
    ws = wb["核定"]
    keys = rows_by_key(ws)
    for key, value in scores.items():
        ws.cell(keys[key], 7).value = value
        ws.cell(keys[key], 8).value = f"{key}经核实调整"
    wb.save(dst)


def test_review_round_trip_changes_totals(book_path, tmp_path, result, spec):
    filled = tmp_path / "核定.xlsx"
    _fill_review(book_path, filled, {"I06": 2, "I33": "3"})
    overrides, issues = read_review(spec, filled)
    assert issues == []
    assert overrides == {"I06": (Decimal(2), "I06经核实调整"), "I33": (Decimal(3), "I33经核实调整")}
    card = apply_overrides(spec, result.computed, overrides)
    assert card.total - result.computed.total == Fraction(4)  # I06 0→2, I33 1→3
    again = write_breakdown(build_result(overrides=overrides), tmp_path / "第二版.xlsx")
    ws = openpyxl.load_workbook(again)["指标任务分解"]
    assert (ws["J8"].value, ws["O8"].value, ws["L8"].value) == (2, 0, "已核定")  # I06: confirmed and computed
    assert read_review(spec, again) == (overrides, [])  # the confirmed scores survive a second pass


def test_review_bad_cells_are_reported_with_their_address(book_path, tmp_path, spec):
    filled = tmp_path / "坏核定.xlsx"
    _fill_review(book_path, filled, {"I01": "abc", "I02": 99, "I03": 1.5, "I04": "２分"})
    overrides, issues = read_review(spec, filled)
    assert overrides == {"I03": (Decimal("1.5"), "I03经核实调整"), "I04": (Decimal(2), "I04经核实调整")}
    assert [(i.code, i.key, i.sheet, i.cell, i.value) for i in issues] == [
        ("review_bad", "I01", "核定", "G6", "abc"),  # the two rows 待核定 (I25, I26) come first
        ("review_bad", "I02", "核定", "G7", "99"),
    ]
    assert "0到2之间" in issues[1].message


def test_review_finds_rows_by_key_after_edits(book_path, tmp_path, spec):
    wb = openpyxl.load_workbook(book_path)
    ws = wb["核定"]
    ws.insert_rows(2, amount=3)
    ws.cell(3, 1).value = "办公室备注：以下为核定结果"
    keys = rows_by_key(ws, header_row=6)
    ws.cell(keys["I40"], 7).value = 1
    wb.move_sheet("核定", offset=-10)
    wb.save(tmp_path / "改过.xlsx")
    assert read_review(spec, tmp_path / "改过.xlsx") == ({"I40": (Decimal(1), "")}, [])


def test_review_unreadable_files(tmp_path, spec):
    junk = tmp_path / "任务分解表.xlsx"
    junk.write_bytes(b"not a zip at all")
    _, issues = read_review(spec, junk)
    assert [(i.code, i.file) for i in issues] == [("review_unreadable", "任务分解表.xlsx")]
    other = tmp_path / "别的表.xlsx"
    openpyxl.Workbook().save(other)
    _, issues = read_review(spec, other)
    assert issues[0].code == "review_unreadable" and "指标键" in issues[0].message


@pytest.mark.slow  # LibreOffice
def test_libreoffice_converts_it_and_the_total_is_printed(book_path, tmp_path, result):
    (pdf,) = to_pdf([book_path], tmp_path)
    text = pdf_text(pdf)
    assert f"自评总分{int(result.card.total)}" in text
    assert "指标说明及打分标准" in text


@pytest.mark.slow  # LibreOffice
def test_review_survives_a_libreoffice_resave(book_path, tmp_path, spec):
    filled = tmp_path / "核定.xlsx"
    _fill_review(book_path, filled, {"I25": 3, "I26": "abc"})
    (tmp_path / "lo").mkdir()
    (resaved,) = to_pdf([filled], tmp_path / "lo", fmt="xlsx")
    overrides, issues = read_review(spec, resaved)
    assert overrides == {"I25": (Decimal(3), "I25经核实调整")}
    assert [(i.code, i.cell) for i in issues] == [("review_bad", "G5")]


def test_a_rate_just_under_the_line_is_shown_with_the_digits_it_needs(tmp_path):
    res = build_result(overrides={"I06": (Decimal("0.998"), "核定")})  # 促进发展 14.998/20 = 74.99 % < 75 %
    level = res.card.first_level[0]
    assert level.rate == Fraction(7499, 10000) and not level.passed
    ws = openpyxl.load_workbook(write_breakdown(res, tmp_path / "b.xlsx"))["评分汇总"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == float(level.rate))
    assert cell.number_format == "0.00%"  # 74.99 %, not 「75.0%」 beside 「否」


def test_a_review_score_with_more_digits_than_a_float_holds_reads_back_as_typed(tmp_path, spec) -> None:
    from yongji_xls.workbook.read.review import read_entries, read_review
    from yongji_xls.workbook.write.review_file import write_review_file

    key = spec.indicators[0].key
    typed = "1.2345678901234567"  # 17 significant digits: a float keeps 1.2345678901234568
    path = write_review_file(spec, tmp_path / "核定.xlsx", {key: (typed, "复核")})
    assert read_entries(spec, path)[key] == (typed, "复核")
    overrides = read_review(spec, path)[0]
    assert overrides[key][0] == Decimal(typed)


@pytest.mark.parametrize(("typed", "number"), [("1.23456789012345", True), ("1.234567890123456", False), ("2.5", True)])
def test_a_review_score_is_a_number_cell_up_to_excels_fifteen_digits(tmp_path, spec, typed: str, number: bool) -> None:
    from yongji_xls.workbook.read.review import read_entries
    from yongji_xls.workbook.write.review_file import write_review_file

    key = spec.indicators[0].key
    path = write_review_file(spec, tmp_path / "核定.xlsx", {key: (typed, "")})
    cell = openpyxl.load_workbook(path)["核定"]["D2"]
    assert isinstance(cell.value, float) is number
    assert read_entries(spec, path)[key] == (typed, "")
