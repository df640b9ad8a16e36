"""What a unit removed, moved, merged or pasted into its workbook: read by key, every change
reported once, the cost of a pasted ledger bounded (DESIGN.md §4, §7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from returned import TAX, cell_at, criterion, tax_file

from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024


def _codes(sub, code):
    return [i for i in sub.issues if i.code == code]


@pytest.mark.slow  # LibreOffice
def test_merged_input_cells_are_reported_and_the_answer_is_not_completed(spec, templates, tmp_path):
    import openpyxl

    path = tax_file(templates, tmp_path / "税务局.xlsx", {"I12.1": criterion(), "I12.2": criterion()})
    wb = openpyxl.load_workbook(path)
    sheet, note1 = cell_at(path, "I12.1", L.H_NOTE)
    _, note2 = cell_at(path, "I12.2", L.H_NOTE)
    _, done1 = cell_at(path, "I12.1", L.H_DONE)
    _, done2 = cell_at(path, "I12.2", L.H_DONE)
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
    first = cell_at(path, "total_tax", L.H_VALUE)[1]
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
