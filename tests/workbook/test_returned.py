"""Issue 10, read side: what units really send back never stops the run, never vanishes silently
and never earns points it should not. One test per class, each asserting the code and the cell."""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest
from helpers import CONTACT, fill_workbook, write_outputs
from returned import TAX, criterion, patch_xml, tax_file

from yongji_xls.collect.run import run
from yongji_xls.values.parse import parse_number
from yongji_xls.values.types import split_evidence
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024


def _codes(sub, code):
    return [i for i in sub.issues if i.code == code]


def _cell(path, key, header):
    import openpyxl

    from yongji_xls.workbook.write.filler import locate

    return locate(openpyxl.load_workbook(path), key, header)


# --- §1 numbers: bounded work, a plausibility range per field ----------------------------------


@pytest.mark.parametrize("text", ["1e400", "1e999999999", "1e-999999999", "9" * 39])
def test_absurd_magnitude_is_an_error_not_a_hang(text):
    t = time.perf_counter()
    p = parse_number(text, "count", maximum=Decimal(10**7))
    assert time.perf_counter() - t < 0.05
    assert p.error in ("value_implausible", "value_not_number") and p.value is None


def test_plausibility_range_comes_from_the_field(spec):
    f = spec.field("total_tax")
    assert f.max == Decimal(100000000)  # fields.yaml max_by_unit 万元
    assert parse_number("100000001", f.kind, f.unit, f.max).error == "value_implausible"
    assert parse_number("99999999", f.kind, f.unit, f.max).value == Decimal(99999999)


def test_absurd_number_in_a_cell_names_the_cell(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", {"total_tax": "1e999999999", "ecommerce_tax": "1e-999999999"})
    t = time.perf_counter()
    sub = read_workbook(spec, path, path.name, YEAR)
    assert time.perf_counter() - t < 5
    found = {i.cell: i for i in _codes(sub, "value_implausible")}
    assert set(found) == {_cell(path, "total_tax", L.H_VALUE)[1], _cell(path, "ecommerce_tax", L.H_VALUE)[1]}
    assert "total_tax" not in sub.values and "ecommerce_tax" not in sub.values
    assert "地区总税收额" in found[_cell(path, "total_tax", L.H_VALUE)[1]].message


# --- §1 control characters, cleaned once at the reader ------------------------------------------


def test_control_characters_are_cleaned_and_reported(spec, templates, tmp_path):
    path = tax_file(
        templates,
        tmp_path / "税务局.xlsx",
        {"I12.1": criterion(note="开展ZZNOTE", evidence="ZZEV")},
        beside={"I12.2": "ZZOUT"},
    )
    patch_xml(
        path, {"ZZNOTE": "检查_x0001_工作_x000C_", "ZZEV": "《方案》_x000B_签到表_x000B_照片", "ZZOUT": "备注_x0007_"}
    )
    sub = read_workbook(spec, path, path.name, YEAR)
    info = _codes(sub, "text_control_chars")
    assert len(info) == 1 and info[0].severity == "info" and info[0].sheet and "3个单元格" in info[0].message
    ans = sub.answers["I12.1"]
    assert ans.evidence == ("《方案》", "签到表", "照片")
    assert ans.note == "开展检查工作"
    ignored = [i for i in sub.issues if i.code == "cell_ignored"]
    assert ignored and all("\x07" not in i.value for i in ignored)


def test_control_characters_reach_no_output(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I12.1": criterion(evidence="ZZEV")}, beside={"I12.2": "ZZOUT"})
    patch_xml(path, {"ZZEV": "材料_x0002_甲", "ZZOUT": "旁注_x001F_"})
    result = run(spec, folder, YEAR)
    out = write_outputs(result, tmp_path / "out")
    assert out["breakdown"].exists() and out["report"].exists() and out["scores"].exists()
    text = out["scores"].read_text(encoding="utf-8")
    assert "\\u0002" not in text and "\\u001f" not in text


def test_text_over_an_excel_cell_is_cut_with_a_warning(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", {"I12.1": criterion(note="ZZLONG")})
    patch_xml(path, {"ZZLONG": "说" * 40000})
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "text_too_long")
    assert warn.cell == _cell(path, "I12.1", L.H_NOTE)[1] and "40000" in warn.message
    assert len(sub.answers["I12.1"].note) == 32767


# --- §1 file names that are not valid Unicode ---------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="surrogate-escaped names exist only on POSIX file systems")
def test_gbk_file_name_from_a_windows_zip(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = "城东街道报送.xlsx".encode("gbk")
    name = os.fsdecode(raw)
    assert any("\udc80" <= ch <= "\udcff" for ch in name)
    tax_file(templates, folder / name, {"total_tax": "abc"})
    result = run(spec, folder, YEAR)
    out = write_outputs(result, tmp_path / "out")
    assert result.submissions[0].file == "城东街道报送.xlsx"
    assert any(i.file == "城东街道报送.xlsx" and i.code == "value_not_number" for i in result.report)
    assert "城东街道报送.xlsx" in out["scores"].read_text(encoding="utf-8")


# --- §3 what counts as evidence, and what counts as an answer ------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("材料A、材料B、材料C", ("材料A", "材料B", "材料C")),
        ("1. 会议纪要\r\n2. 通知", ("会议纪要", "通知")),
        ("①方案②总结", ("方案", "总结")),
        ("（一）方案（二）总结", ("方案", "总结")),
        ("甲\u2028乙\x0b丙；丁;戊", ("甲", "乙", "丙", "丁", "戊")),
        ("《关于甲、乙工作的通知》、签到表", ("《关于甲、乙工作的通知》", "签到表")),
        ("2024年1.5万元项目报告", ("2024年1.5万元项目报告",)),
    ],
)
def test_materials_split_on_every_separator(text, expected):
    assert split_evidence(text) == expected


@pytest.mark.parametrize(
    "placeholder",
    ["无", "暂无", "待补充", "略", "/", "-", "—", "见附件", "详见附件2", "N/A", " 无。", "暂无，后补", "无（待补充）"],
)
def test_placeholder_evidence_scores_nothing(spec, templates, tmp_path, placeholder):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(evidence=placeholder)})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.status == "no_evidence" and c.score == 0 and TAX in c.reason
    [warn] = [i for i in result.report if i.code == "evidence_placeholder"]
    assert warn.cell == _cell(path, "I10.1", L.H_EVIDENCE)[1] and warn.severity == "warning"


def test_placeholder_note_scores_nothing(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(note="暂无")})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.status == "no_evidence" and c.score == 0
    [warn] = [i for i in result.report if i.code == "note_placeholder"]
    assert warn.cell == _cell(path, "I10.1", L.H_NOTE)[1]


def test_placeholder_in_score_values_scores_nothing(spec):
    from yongji_xls.scoring.engine import score
    from yongji_xls.values.json_input import validate_values

    values, _ = validate_values(spec, {"I10.1": {"done": True, "note": "开展了", "evidence": ["无"]}})
    card = score(spec, values, YEAR, "中部")
    assert next(c for c in card.criteria() if c.key == "I10.1").status == "no_evidence"


def test_real_material_beside_a_placeholder_counts(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(evidence="《工作方案》\n无")})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.status == "met" and "1份" in c.reason


def test_done_blank_with_note_and_material_names_the_unit(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(done=None)})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.score == 0 and TAX in c.reason and "是否完成" in c.reason and "无单位填报" not in c.reason
    [warn] = [i for i in result.report if i.code == "done_missing"]
    assert warn.cell == _cell(path, "I10.1", L.H_DONE)[1]


# --- §1/§3 merged cells over input cells -----------------------------------------------------------


def test_merged_input_cells_are_reported_and_the_answer_is_not_completed(spec, templates, tmp_path):
    import openpyxl

    path = tax_file(templates, tmp_path / "税务局.xlsx", {"I12.1": criterion(), "I12.2": criterion()})
    wb = openpyxl.load_workbook(path)
    sheet, note1 = _cell(path, "I12.1", L.H_NOTE)
    _, note2 = _cell(path, "I12.2", L.H_NOTE)
    _, done1 = _cell(path, "I12.1", L.H_DONE)
    _, done2 = _cell(path, "I12.2", L.H_DONE)
    wb[sheet].merge_cells(f"{note1}:{note2}")
    wb[sheet].merge_cells(f"{done1}:{done2}")
    wb.save(path)
    from returned import libreoffice_convert

    for book in (
        path,
        libreoffice_convert(path, "ods", tmp_path / "ods"),
        libreoffice_convert(path, "xls", tmp_path / "xls"),
    ):
        sub = read_workbook(spec, book, book.name, YEAR)
        merged = {i.cell: i for i in _codes(sub, "cells_merged")}
        assert (
            set(merged) == {note1, done1} and f"{note1}:{note2}被合并（“工作情况说明”栏）" in merged[note1].message
        ), book.suffix
        assert sub.answers["I12.1"].complete and not sub.answers["I12.2"].complete
        assert [i.cell for i in _codes(sub, "done_missing")] == [done2]


# --- §4 what a unit removed or moved -------------------------------------------------------------


def test_deleted_rows_and_sheet_are_listed_once(spec, templates, tmp_path):
    import openpyxl

    from yongji_xls.workbook.write.filler import key_rows

    path = tax_file(templates, tmp_path / "税务局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    ws.delete_rows(key_rows(ws)["ecommerce_tax"][0])
    del wb[L.SHEET_TASKS]
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "keys_missing")
    assert "电子商务纳税额" in warn.message and "重点任务T08" in warn.message and warn.severity == "warning"
    assert sub.number("total_tax") == 10000


def test_copied_sheet_filled_beats_blank(spec, templates, tmp_path):
    import openpyxl

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = tax_file(templates, tmp_path / "税务局.xlsx", {"total_tax": None})
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb[L.SHEET_DATA])
    copy.cell(key_rows(copy)["total_tax"][0], header_of(copy)[1][L.H_VALUE]).value = 12345
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    assert sub.number("total_tax") == 12345 and sub.values["total_tax"].source.sheet == copy.title
    assert sub.number("ecommerce_tax") == 600
    assert not _codes(sub, "key_conflict") and _codes(sub, "key_duplicate")


def test_two_different_values_for_one_key_is_an_error_naming_both(spec, templates, tmp_path):
    import openpyxl

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = tax_file(templates, tmp_path / "税务局.xlsx")
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb[L.SHEET_DATA])
    row, col = key_rows(copy)["total_tax"][0], header_of(copy)[1][L.H_VALUE]
    copy.cell(row, col).value = 20000
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    [err] = _codes(sub, "key_conflict")
    first = _cell(path, "total_tax", L.H_VALUE)[1]
    assert err.severity == "error" and err.sheet == copy.title and err.cell == copy.cell(row, col).coordinate
    assert first in err.message and "20000" in err.message and "10000" in err.message
    assert "total_tax" not in sub.values


def test_changed_label_cell_is_reported(spec, templates, tmp_path):
    import openpyxl

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = tax_file(templates, tmp_path / "税务局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    row, cols = key_rows(ws)["total_tax"][0], header_of(ws)[1]
    ws.cell(row, cols[L.H_UNIT]).value = "亿元"
    ws.cell(key_rows(ws)["ecommerce_tax"][0], cols[L.H_YEAR]).value = 650
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    found = {i.cell: i for i in _codes(sub, "label_changed")}
    unit_cell = ws.cell(row, cols[L.H_UNIT]).coordinate
    year_cell = ws.cell(key_rows(ws)["ecommerce_tax"][0], cols[L.H_YEAR]).coordinate
    assert set(found) == {unit_cell, year_cell}
    assert "万元" in found[unit_cell].message and "亿元" in found[unit_cell].message and found[year_cell].value == "650"


# --- §2 bounded cost: a ledger pasted beside the table ----------------------------------------------


def test_pasted_ledger_is_one_block_issue(spec, templates, tmp_path):
    import openpyxl

    path = tax_file(templates, tmp_path / "税务局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    for r in range(100, 600):
        for c in range(1, 21):
            ws.cell(r, c).value = f"台账{r}-{c}"
    ws["Z3"] = "旁注"
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    [block] = _codes(sub, "cells_ignored_block")
    assert block.cell == "A100" and "A100:T599区域有10000个单元格" in block.message and block.sheet == L.SHEET_DATA
    assert [i.cell for i in _codes(sub, "cell_ignored")] == ["Z3"]
    assert sub.number("total_tax") == 10000


def test_issues_per_file_are_capped_errors_first(spec, templates, tmp_path):
    import openpyxl

    from yongji_xls.workbook.read.reader import MAX_ISSUES_PER_FILE
    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = tax_file(templates, tmp_path / "统计局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    ws.cell(key_rows(ws)["total_tax"][0], header_of(ws)[1][L.H_VALUE]).value = "约一万"
    for r in range(200, 200 + 3 * MAX_ISSUES_PER_FILE, 3):  # stray cells far apart: one issue each
        ws.cell(r, 30).value = "零散备注"
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    assert len(sub.issues) == MAX_ISSUES_PER_FILE + 1
    [capped] = _codes(sub, "issues_capped")
    assert sub.issues[-1] is capped and "另有" in capped.message
    assert _codes(sub, "value_ambiguous") or _codes(sub, "value_not_number")  # the error survived the cap


# --- §5 which file is the unit's submission ------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "2025-01-20",
        "2025/1/20",
        "2025.1.20",
        "2025年1月20日",
        "1月20日",
        "1月20号",
        45677,
        "45677",
        "20250120",
        "2025-1-20 10:30",
    ],
)
def test_filled_date_in_the_forms_people_type(spec, templates, tmp_path, typed):
    path = tax_file(templates, tmp_path / "税务局.xlsx", contact={**CONTACT, "填报日期": typed})
    sub = read_workbook(spec, path, path.name, YEAR)
    assert sub.filled_date == "2025-01-20" and not _codes(sub, "filled_date_bad")


def test_unreadable_filled_date_is_a_warning_and_not_used(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", contact={**CONTACT, "填报日期": "下周一"})
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "filled_date_bad")
    assert warn.sheet == L.SHEET_INSTRUCTIONS and warn.cell and warn.value == "下周一" and sub.filled_date == ""


def _two_files(templates, folder, first: dict, second: dict, names=("a.xlsx", "b.xlsx")):
    a = tax_file(
        templates, folder / names[0], {"total_tax": 10000}, contact={**CONTACT, **first.pop("contact", {})}, **first
    )
    b = tax_file(
        templates, folder / names[1], {"total_tax": 20000}, contact={**CONTACT, **second.pop("contact", {})}, **second
    )
    return a, b


@pytest.mark.parametrize(
    "first, second, names, winner, rule",
    [
        ({"contact": {"填报日期": "2025-01-25"}}, {}, ("a.xlsx", "b.xlsx"), "a.xlsx", "填报日期较晚"),
        ({"cells": {"_meta": {"A40": "round", "B40": 2}}}, {}, ("a.xlsx", "b.xlsx"), "a.xlsx", "轮次较高"),
        ({}, {}, ("税务局终稿.xlsx", "税务局初稿.xlsx"), "税务局终稿.xlsx", "终稿"),
        ({"contact": {"填报日期": None}}, {}, ("税务局草稿.xlsx", "税务局.xlsx"), "税务局.xlsx", "缺失"),
    ],
)
def test_files_of_one_unit_ordered_by_the_stated_rule(spec, templates, tmp_path, first, second, names, winner, rule):
    folder = tmp_path / "in"
    folder.mkdir()
    _two_files(templates, folder, first, second, names)
    result = run(spec, folder, YEAR)
    used = result.unit_status(TAX).used_file
    assert used == winner
    [dup] = [i for i in result.report if i.code == "duplicate_submission"]
    assert dup.file != winner and rule in dup.message and all(f"「{n}」" in dup.message for n in names)
    assert result.values["total_tax"] == (Decimal(10000) if winner == names[0] else Decimal(20000))


def test_round_read_from_meta(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", cells={"_meta": {"A40": "round", "B40": 3}})
    assert read_workbook(spec, path, path.name, YEAR).round == 3
    assert read_workbook(spec, tax_file(templates, tmp_path / "b.xlsx"), "b.xlsx", YEAR).round == 1


def test_file_named_after_another_unit(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "城西街道报送表.xlsx")
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "file_name_other_unit")
    assert "城西街道" in warn.message and TAX in warn.message
    own = tax_file(templates, tmp_path / "市税务局_2024年度填报表.xlsx")
    assert not _codes(read_workbook(spec, own, own.name, YEAR), "file_name_other_unit")


# --- §7 containers and the tool's own outputs --------------------------------------------------------


def test_lock_files_mac_forks_archives_csv_and_old_outputs(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx")
    (folder / "~$税务局.xlsx").write_bytes(b"\x00lock")
    (folder / ".~lock.税务局.xlsx#").write_text("lock")
    (folder / "._税务局.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._税务局.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (folder / "城东街道.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (folder / "报表.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    (folder / "导出.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    first = run(spec, folder, YEAR)
    old = folder / "上次结果"
    write_outputs(first, old)
    result = run(spec, folder, YEAR)
    by_file = {i.file: i for i in result.report if i.file}
    assert not any(f.startswith(("~$", ".~lock", "._", "__MACOSX")) for f in by_file)
    assert by_file["城东街道.rar"].code == "file_archive" and "解压" in by_file["城东街道.rar"].message
    assert by_file["报表.7z"].code == "file_archive"
    assert by_file["导出.csv"].code == "file_csv" and by_file["导出.csv"].severity == "warning"
    assert by_file["上次结果"].code == "file_own_output" and by_file["上次结果"].severity == "info"
    assert not any(f.startswith("上次结果/") for f in by_file)
    assert [s.file for s in result.submissions] == ["税务局.xlsx"] and result.values["total_tax"] == Decimal(10000)


def test_breakdown_workbook_in_the_input_is_skipped(spec, templates, tmp_path):
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx")
    out = write_outputs(run(spec, folder, YEAR), tmp_path / "out")
    shutil.copyfile(out["breakdown"], folder / "任务分解表.xlsx")
    result = run(spec, folder, YEAR)
    [own] = [i for i in result.report if i.file == "任务分解表.xlsx"]
    assert own.code == "file_own_output" and own.severity == "info"
    assert result.unit_status(TAX).used_file == "税务局.xlsx"


def test_templates_carry_kind(spec, templates):
    sub = read_workbook(spec, templates[TAX], "t.xlsx", YEAR)
    assert sub.meta["kind"] == "template"


# --- §8 nothing live leaves the tool -------------------------------------------------------------


def test_csv_cells_are_neutralised(spec, templates, tmp_path):
    import csv

    from yongji_xls.report.frames import write_csv

    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "=HYPERLINK(1).xlsx")
    fill_workbook(templates["市邮政分公司"], {"express_volume@2024": 5}, folder / "@SUM(1).xlsx", contact=CONTACT)
    paths = write_csv(run(spec, folder, YEAR), tmp_path / "csv")
    with open(paths["原始数据.csv"], encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    files = [c for c in cells if "HYPERLINK" in c or "SUM(1)" in c]
    assert len(set(files)) == 2 and all(c.startswith("'") for c in files)
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_invisible_characters_in_number_cells(spec, templates, tmp_path):
    path = tax_file(
        templates, tmp_path / "税务局.xlsx", {"total_tax": "\u200b10000\ufeff", "ecommerce_tax": "6\u00a000"}
    )
    sub = read_workbook(spec, path, path.name, YEAR)
    found = {i.cell: i for i in _codes(sub, "value_invisible_chars")}
    assert set(found) == {_cell(path, "total_tax", L.H_VALUE)[1], _cell(path, "ecommerce_tax", L.H_VALUE)[1]}
    assert "不可见字符" in found[_cell(path, "total_tax", L.H_VALUE)[1]].message
    assert sub.number("total_tax") == 10000 and sub.number("ecommerce_tax") == 600


# --- §6 identifiers and lists --------------------------------------------------------------------

I04_ROW = {
    "企业名称": "永济市甲电商有限公司",
    "统一社会信用代码": "91140881MA0XXXXX1A",
    "达标年度": 2024,
    "年度电子商务销售额（万元）": 20000,
}


def test_credit_code_typed_as_a_number(spec, templates, tmp_path):
    path = fill_workbook(
        templates["市统计局"],
        {"I04": [{**I04_ROW, "统一社会信用代码": 911408810123456789}]},
        tmp_path / "统计局.xlsx",
        contact=CONTACT,
    )
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "code_as_number")
    assert warn.cell == _cell(path, "I04", "统一社会信用代码")[1] and "15位" in warn.message
    [row] = sub.lists["I04"]
    assert row.get("统一社会信用代码") is None and row.get("企业名称") == I04_ROW["企业名称"]


def test_template_formats_code_cells_as_text(templates):
    import openpyxl

    wb = openpyxl.load_workbook(templates["市统计局"])
    sheet, cell = _cell(templates["市统计局"], "I04", "统一社会信用代码")
    assert wb[sheet][cell].number_format == "@"


@pytest.mark.parametrize(
    "second, count",
    [
        (
            {"统一社会信用代码": None, "企业名称": "永济市 甲电商有限公司"},
            1,
        ),  # no code, same normalised name: one enterprise
        ({"统一社会信用代码": "91140881MA0XXXXX1A", "企业名称": "甲电商"}, 1),  # same code: one enterprise
        ({"统一社会信用代码": "91140881MA0YYYYY2B", "企业名称": "永济市乙电商有限公司"}, 2),
    ],
)
def test_i04_identity_follows_the_real_world(spec, templates, tmp_path, second, count):
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(
        templates["市统计局"], {"I04": [I04_ROW, {**I04_ROW, **second}]}, folder / "统计局.xlsx", contact=CONTACT
    )
    result = run(spec, folder, YEAR)
    assert result.card.indicator("I04").score == count


def test_one_name_under_two_codes_is_a_warning(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(
        templates["市统计局"],
        {"I04": [I04_ROW, {**I04_ROW, "统一社会信用代码": "91140881MA0ZZZZZ3C"}]},
        folder / "统计局.xlsx",
        contact=CONTACT,
    )
    result = run(spec, folder, YEAR)
    [warn] = [i for i in result.report if i.code == "list_name_two_codes"]
    assert I04_ROW["企业名称"] in warn.message and "91140881MA0ZZZZZ3C" in warn.message and warn.file == "统计局.xlsx"


def test_i32_identity_is_matter_and_authority_together():
    from yongji_xls.values.identity import row_groups

    rows = [
        {"认可事项": "直播电商监管", "认可机关": "省市场监管局"},
        {"认可事项": "直播电商监管", "认可机关": "国家市场监管总局"},
        {"认可事项": "直播电商监管 ", "认可机关": "省市场监管局"},
    ]
    ids, _ = row_groups(rows, ("认可事项", "认可机关"), combined=True)
    assert ids[0] == ids[2] != ids[1]


def _encrypt(src, dst, password):
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as f, open(dst, "wb") as out:
        OOXMLFile(f).encrypt(password, out)
    return dst


def test_default_password_workbook_is_decrypted_and_read(spec, templates, tmp_path):
    plain = tax_file(templates, tmp_path / "plain.xlsx", {"total_tax": "abc"})
    path = _encrypt(plain, tmp_path / "税务局.xlsx", "VelvetSweatshop")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    folder = tmp_path / "in"
    folder.mkdir()
    path.rename(folder / path.name)
    result = run(spec, folder, YEAR)
    sub = result.submissions[0]
    assert sub.readable and sub.unit == TAX and sub.number("ecommerce_tax") == 600
    assert [i.code for i in sub.issues if i.code == "file_default_password"] == ["file_default_password"]
    assert any(i.code == "value_not_number" and i.cell == _cell(plain, "total_tax", L.H_VALUE)[1] for i in sub.issues)


def test_real_password_stays_an_error(spec, templates, tmp_path):
    path = _encrypt(tax_file(templates, tmp_path / "plain.xlsx"), tmp_path / "税务局.xlsx", "secret123")
    sub = read_workbook(spec, path, path.name, YEAR)
    assert (
        not sub.readable and [i.code for i in sub.issues] == ["file_encrypted"] and "取消密码" in sub.issues[0].message
    )


# --- §7 legacy .xls: error values and formulas in input cells ------------------------------------


def test_xls_error_values_and_formulas_are_reported(spec, templates, tmp_path):
    from returned import libreoffice_convert

    src = tax_file(templates, tmp_path / "税务局.xlsx", {"total_tax": "=1/0", "ecommerce_tax": "=300*2"})
    xls = libreoffice_convert(src, "xls", tmp_path / "xls")
    folder = tmp_path / "in"
    folder.mkdir()
    xls.rename(folder / xls.name)
    result = run(spec, folder, YEAR)
    sub = result.submissions[0]
    err = _codes(sub, "value_error_cell")
    formula = _codes(sub, "value_formula")
    assert [(i.cell, i.value) for i in err] == [(_cell(src, "total_tax", L.H_VALUE)[1], "#DIV/0!")]
    assert [i.cell for i in formula] == [_cell(src, "ecommerce_tax", L.H_VALUE)[1]]
    assert "total_tax" not in sub.values and sub.number("ecommerce_tax") == 600


# --- §7 a .zip of returned workbooks ---------------------------------------------------------------


def test_zip_of_workbooks_is_read(spec, templates, tmp_path):
    import zipfile

    class GbkName(zipfile.ZipInfo):  # what Windows' "send to compressed folder" writes for Chinese names
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    tax = tax_file(templates, tmp_path / "税务局.xlsx")
    post = fill_workbook(
        templates["市邮政分公司"], {"express_volume@2024": 1600}, tmp_path / "邮政.xlsx", contact=CONTACT
    )
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "第一批.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(GbkName("报送/市税务局报表.xlsx"), tax.read_bytes())
        z.write(post, "邮政.xlsx")
        z.writestr("__MACOSX/._邮政.xlsx", b"\x00\x05\x16\x07")
        z.writestr("../../逃逸.xlsx", b"not a workbook")
        z.writestr("说明.txt", "见附件")
    before = (folder / "第一批.zip").read_bytes()
    result = run(spec, folder, YEAR)
    files = sorted(s.file for s in result.submissions)
    assert files == ["第一批.zip/../../逃逸.xlsx", "第一批.zip/报送/市税务局报表.xlsx", "第一批.zip/邮政.xlsx"]
    assert result.values["total_tax"] == Decimal(10000) and result.values["express_volume@2024"] == Decimal(1600)
    assert any(i.file == "第一批.zip/说明.txt" and i.code == "file_unsupported" for i in result.report)
    assert any(i.file == "第一批.zip/../../逃逸.xlsx" and i.code == "file_not_workbook" for i in result.report)
    assert not (tmp_path / "逃逸.xlsx").exists() and not (folder.parent.parent / "逃逸.xlsx").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["第一批.zip"] and (folder / "第一批.zip").read_bytes() == before


def test_zip_bomb_container_is_refused(spec, tmp_path):
    from hostile import make_zip_bomb

    folder = tmp_path / "in"
    folder.mkdir()
    make_zip_bomb(tmp_path).rename(folder / "炸弹.zip")
    result = run(spec, folder, YEAR)
    assert [(i.file, i.code) for i in result.report if i.file] == [("炸弹.zip", "file_zip_bomb")]


def test_percent_formatted_cell_in_a_non_percent_field(spec, templates, tmp_path):
    import openpyxl

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = fill_workbook(
        templates["市邮政分公司"],
        {"express_volume@2024": 0.15, "express_volume@2023": 1300},
        tmp_path / "邮政.xlsx",
        contact=CONTACT,
    )
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    cols = header_of(ws)[1]
    for key in ("express_volume@2024", "express_volume@2023"):
        ws.cell(key_rows(ws)[key][0], cols[L.H_VALUE]).number_format = "0%" if key.endswith("2024") else "0.00"
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "value_percent_format")
    assert (
        warn.cell == _cell(path, "express_volume@2024", L.H_VALUE)[1] and warn.value == "15%" and "0.15" in warn.message
    )
    assert sub.number("express_volume@2024") == Decimal("0.15") and sub.number("express_volume@2023") == 1300


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold control characters")
def test_control_character_in_a_file_name(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务\x01局.xlsx", {"total_tax": "abc"})
    result = run(spec, folder, YEAR)
    out = write_outputs(result, tmp_path / "out")
    assert result.submissions[0].file == "税务?局.xlsx" and out["breakdown"].is_file()
    assert any(i.file == "税务?局.xlsx" and i.code == "value_not_number" for i in result.report)


def test_ledger_on_the_instructions_sheet_is_one_block(spec, templates, tmp_path):
    import openpyxl

    path = tax_file(templates, tmp_path / "税务局.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_INSTRUCTIONS]
    for r in range(60, 260):
        for c in range(1, 11):
            ws.cell(r, c).value = f"台账{r}"
    wb.save(path)
    sub = read_workbook(spec, path, path.name, YEAR)
    [block] = _codes(sub, "cells_ignored_block")
    assert block.sheet == L.SHEET_INSTRUCTIONS and block.cell == "A60" and "A60:J259区域有2000个单元格" in block.message
    assert not _codes(sub, "cell_ignored")


def test_percent_format_found_in_ods_too(spec, templates, tmp_path):
    import openpyxl
    from returned import libreoffice_convert

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = fill_workbook(
        templates["市邮政分公司"], {"express_volume@2024": 0.15}, tmp_path / "邮政.xlsx", contact=CONTACT
    )
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    ws.cell(key_rows(ws)["express_volume@2024"][0], header_of(ws)[1][L.H_VALUE]).number_format = "0%"
    wb.save(path)
    ods = libreoffice_convert(path, "ods", tmp_path / "ods")
    sub = read_workbook(spec, ods, ods.name, YEAR)
    assert [i.cell for i in _codes(sub, "value_percent_format")] == [_cell(path, "express_volume@2024", L.H_VALUE)[1]]


def test_percent_format_found_in_legacy_xls_too(spec, templates, tmp_path):
    """The .xls re-save keeps the cell's 0% format in its XF record; the BIFF scan finds it."""
    import openpyxl
    from returned import libreoffice_convert

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = fill_workbook(
        templates["市邮政分公司"],
        {"express_volume@2024": 0.15, "express_volume@2023": 1300},
        tmp_path / "邮政.xlsx",
        contact=CONTACT,
    )
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    ws.cell(key_rows(ws)["express_volume@2024"][0], header_of(ws)[1][L.H_VALUE]).number_format = "0%"
    wb.save(path)
    xls = libreoffice_convert(path, "xls", tmp_path / "xls")
    result = run(spec, xls.parent, YEAR)
    warn = [i for i in result.report if i.code == "value_percent_format"]
    assert [(i.file, i.cell) for i in warn] == [(xls.name, _cell(path, "express_volume@2024", L.H_VALUE)[1])]
    assert result.values["express_volume@2023"] == 1300


# --- §2 a note typed far away costs the cell, not the file ----------------------------------------


def test_a_note_typed_at_the_far_corner_is_cut_out_and_the_rest_of_the_file_counts(spec, templates, tmp_path):
    """Before, one cell at XFD1048576 refused the whole file (file_huge_range) and the unit counted
    as not submitted. Now the cell is reported by address and the unit's figures still score."""
    import openpyxl

    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[L.SHEET_DATA]["XFD1048576"] = "备注：以上数据截至12月31日"
    wb.save(path)
    before = path.read_bytes()
    result = run(spec, folder, YEAR)
    far = [i for i in result.report if i.code == "cells_far_cut"]
    assert [(i.file, i.sheet, i.severity) for i in far] == [
        ("税务.xlsx", L.SHEET_DATA, "warning")
    ] and "XFD1048576" in far[0].message
    assert result.values["total_tax"] == Decimal(10000) and result.values["ecommerce_tax"] == Decimal(600)
    assert result.unit_status(TAX).state == "已报送" and result.card.indicator("I08").score == 2
    assert path.read_bytes() == before


def test_two_copies_with_a_far_cell_are_still_one_submission(spec, templates, tmp_path):
    """The bytes handed to the reader are rebuilt when a far cell is cut out; the file's identity
    (duplicate detection, the feedback's based_on) is still the sha256 of the file as sent."""
    import hashlib
    import shutil

    import openpyxl

    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[L.SHEET_DATA]["ZZ30000"] = "草稿区"
    wb.save(path)
    shutil.copyfile(path, folder / "税务（副本）.xlsx")
    result = run(spec, folder, YEAR)
    digests = {s.digest for s in result.submissions}
    assert digests == {hashlib.sha256(path.read_bytes()).hexdigest()}
    assert [i.code for i in result.report if i.code.startswith("duplicate_")] == ["duplicate_same_content"]
