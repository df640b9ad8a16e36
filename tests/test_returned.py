"""Issue 10, read side: what units really send back never stops the run, never vanishes silently
and never earns points it should not. One test per class, each asserting the code and the cell."""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest
from returned import TAX, criterion, patch_xml, tax_file

from yongji_xls.answers import split_evidence
from yongji_xls.normalise import parse_number
from yongji_xls.pipeline import run, write_outputs
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.reader import read_workbook

YEAR = 2024


def _codes(sub, code):
    return [i for i in sub.issues if i.code == code]


def _cell(path, key, header):
    import openpyxl

    from yongji_xls.workbook.filler import locate

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
    path = tax_file(templates, tmp_path / "税务局.xlsx", {"I12.1": criterion(note="开展ZZNOTE", evidence="ZZEV")},
                    beside={"I12.2": "ZZOUT"})
    patch_xml(path, {"ZZNOTE": "检查_x0001_工作_x000C_", "ZZEV": "《方案》_x000B_签到表_x000B_照片", "ZZOUT": "备注_x0007_"})
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


@pytest.mark.parametrize("text, expected", [
    ("材料A、材料B、材料C", ("材料A", "材料B", "材料C")),
    ("1. 会议纪要\r\n2. 通知", ("会议纪要", "通知")),
    ("①方案②总结", ("方案", "总结")),
    ("（一）方案（二）总结", ("方案", "总结")),
    ("甲\u2028乙\x0b丙；丁;戊", ("甲", "乙", "丙", "丁", "戊")),
    ("《关于甲、乙工作的通知》、签到表", ("《关于甲、乙工作的通知》", "签到表")),
    ("2024年1.5万元项目报告", ("2024年1.5万元项目报告",)),
])
def test_materials_split_on_every_separator(text, expected):
    assert split_evidence(text) == expected


@pytest.mark.parametrize("placeholder", ["无", "暂无", "待补充", "略", "/", "-", "—", "见附件", "N/A", " 无。"])
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
    from yongji_xls.scoring import score
    from yongji_xls.values import validate_values

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
