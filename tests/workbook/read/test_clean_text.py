"""Text cleaned once, at the reader (workbook/read/clean.py): control characters and text longer
than an Excel cell, reported and never reaching an output."""

from __future__ import annotations

from helpers import write_outputs
from returned import cell_at, criterion, patch_xml, tax_file

from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024


def _codes(sub, code):
    return [i for i in sub.issues if i.code == code]


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
    assert warn.cell == cell_at(path, "I12.1", L.H_NOTE)[1] and "40000" in warn.message
    assert len(sub.answers["I12.1"].note) == 32767
