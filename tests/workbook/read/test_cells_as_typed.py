"""What a unit typed into a cell, read as typed: absurd numbers, invisible characters, codes typed
as numbers, percent formats (.xlsx, .ods, .xls) and the error values and formulas of a legacy .xls."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import CONTACT, fill_workbook
from returned import cell_at, tax_file

from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024


def _codes(sub, code):
    return [i for i in sub.issues if i.code == code]


I04_ROW = {
    "企业名称": "永济市甲电商有限公司",
    "统一社会信用代码": "91140881MA0XXXXX1A",
    "达标年度": 2024,
    "年度电子商务销售额（万元）": 20000,
}


def test_absurd_number_in_a_cell_names_thecell_at(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", {"total_tax": "1e999999999", "ecommerce_tax": "1e-999999999"})
    t = time.perf_counter()
    sub = read_workbook(spec, path, path.name, YEAR)
    assert time.perf_counter() - t < 5
    found = {i.cell: i for i in _codes(sub, "value_implausible")}
    assert set(found) == {cell_at(path, "total_tax", L.H_VALUE)[1], cell_at(path, "ecommerce_tax", L.H_VALUE)[1]}
    assert "total_tax" not in sub.values and "ecommerce_tax" not in sub.values
    assert "地区总税收额" in found[cell_at(path, "total_tax", L.H_VALUE)[1]].message


def test_invisible_characters_in_number_cells(spec, templates, tmp_path):
    path = tax_file(
        templates, tmp_path / "税务局.xlsx", {"total_tax": "\u200b10000\ufeff", "ecommerce_tax": "6\u00a000"}
    )
    sub = read_workbook(spec, path, path.name, YEAR)
    found = {i.cell: i for i in _codes(sub, "value_invisible_chars")}
    assert set(found) == {cell_at(path, "total_tax", L.H_VALUE)[1], cell_at(path, "ecommerce_tax", L.H_VALUE)[1]}
    assert "不可见字符" in found[cell_at(path, "total_tax", L.H_VALUE)[1]].message
    assert sub.number("total_tax") == 10000 and sub.number("ecommerce_tax") == 600


def test_credit_code_typed_as_a_number(spec, templates, tmp_path):
    path = fill_workbook(
        templates["市统计局"],
        {"I04": [{**I04_ROW, "统一社会信用代码": 911408810123456789}]},
        tmp_path / "统计局.xlsx",
        contact=CONTACT,
    )
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "code_as_number")
    assert warn.cell == cell_at(path, "I04", "统一社会信用代码")[1] and "15位" in warn.message
    [row] = sub.lists["I04"]
    assert row.get("统一社会信用代码") is None and row.get("企业名称") == I04_ROW["企业名称"]


def _postal_with_percent(templates, tmp_path, values: dict) -> Path:
    """市邮政分公司's template with 2024's 快递业务量 cell formatted 0% (2023's, when given, 0.00)."""
    import openpyxl

    from yongji_xls.workbook.write.filler import header_of, key_rows

    path = fill_workbook(templates["市邮政分公司"], values, tmp_path / "邮政.xlsx", contact=CONTACT)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_DATA]
    cols = header_of(ws)[1]
    for key in values:
        ws.cell(key_rows(ws)[key][0], cols[L.H_VALUE]).number_format = "0%" if key.endswith("2024") else "0.00"
    wb.save(path)
    return path


def test_percent_formatted_cell_in_a_non_percent_field(spec, templates, tmp_path):
    path = _postal_with_percent(templates, tmp_path, {"express_volume@2024": 0.15, "express_volume@2023": 1300})
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "value_percent_format")
    assert (
        warn.cell == cell_at(path, "express_volume@2024", L.H_VALUE)[1]
        and warn.value == "15%"
        and "0.15" in warn.message
    )
    assert sub.number("express_volume@2024") == Decimal("0.15") and sub.number("express_volume@2023") == 1300


@pytest.mark.slow  # LibreOffice
def test_percent_format_found_in_ods_too(spec, templates, tmp_path):
    from returned import libreoffice_convert

    path = _postal_with_percent(templates, tmp_path, {"express_volume@2024": 0.15})
    ods = libreoffice_convert(path, "ods", tmp_path / "ods")
    sub = read_workbook(spec, ods, ods.name, YEAR)
    assert [i.cell for i in _codes(sub, "value_percent_format")] == [cell_at(path, "express_volume@2024", L.H_VALUE)[1]]


@pytest.mark.slow  # LibreOffice
def test_percent_format_found_in_legacy_xls_too(spec, templates, tmp_path):
    """The .xls re-save keeps the cell's 0% format in its XF record; the BIFF scan finds it."""
    from returned import libreoffice_convert

    path = _postal_with_percent(templates, tmp_path, {"express_volume@2024": 0.15, "express_volume@2023": 1300})
    xls = libreoffice_convert(path, "xls", tmp_path / "xls")
    result = run(spec, xls.parent, YEAR)
    warn = [i for i in result.report if i.code == "value_percent_format"]
    assert [(i.file, i.cell) for i in warn] == [(xls.name, cell_at(path, "express_volume@2024", L.H_VALUE)[1])]
    assert result.values["express_volume@2023"] == 1300


@pytest.mark.slow  # LibreOffice
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
    assert [(i.cell, i.value) for i in err] == [(cell_at(src, "total_tax", L.H_VALUE)[1], "#DIV/0!")]
    assert [i.cell for i in formula] == [cell_at(src, "ecommerce_tax", L.H_VALUE)[1]]
    assert "total_tax" not in sub.values and sub.number("ecommerce_tax") == 600
