"""Issue 10 end to end: one folder holding every kind of returned file beside two good ones.

`run` and `write_outputs` must write every output, the good files' values and scores must be
exact, each problem file must get its code, and no input may change (hash before/after)."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import CONTACT, fill_workbook, write_outputs
from returned import libreoffice_convert, patch_xml

from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.write.filler import header_of, key_rows

pytestmark = pytest.mark.slow  # its corpus holds a .xls made by LibreOffice

YEAR = 2024
GOOD_POST = {"express_volume@2022": 1000, "express_volume@2023": 1300, "express_volume@2024": 1600}  # I05: 2 points
GOOD_HR = {"online_employment": 600, "total_employment": 10000}  # I07: 6 % → 2 points
CRIT = {L.H_DONE: "是", L.H_NOTE: "已开展", L.H_EVIDENCE: "《方案》"}
GBK_NAME = os.fsdecode("市交通局报送.xlsx".encode("gbk")) if os.name != "nt" else "市交通局报送.xlsx"


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _edit(path: Path, fn) -> Path:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def _corpus(spec, templates, folder: Path, work: Path) -> dict[str, str]:
    """Write every case into ``folder``; returns display name -> the code it must get."""
    t = templates
    expect: dict[str, str] = {}

    def fill(unit, name, values=None, **kw):
        kw.setdefault("contact", CONTACT)
        return fill_workbook(t[unit], values or {}, folder / name, **kw)

    fill("市邮政分公司", "邮政.xlsx", GOOD_POST)
    fill("市人社局", "人社局.xlsx", GOOD_HR)
    # §1 numbers, invisible characters, control characters, a changed label
    tax = fill(
        "市税务局",
        "税务局.xlsx",
        {"total_tax": "1e999999999", "ecommerce_tax": "\u200b600", "I12.1": {**CRIT, L.H_EVIDENCE: "ZZEV"}},
    )
    _edit(
        tax,
        lambda wb: (
            wb[L.SHEET_DATA]
            .cell(key_rows(wb[L.SHEET_DATA])["total_tax"][0], header_of(wb[L.SHEET_DATA])[1][L.H_UNIT])
            .__setattr__("value", "亿元")
        ),
    )
    patch_xml(tax, {"ZZEV": "甲_x000B_乙_x0001_"})
    expect.update({"税务局.xlsx": "value_implausible"})
    # §3 placeholders and a blank 是否完成
    fill("市自然资源局", "自然资源局.xlsx", {"I10.1": {**CRIT, L.H_EVIDENCE: "无"}, "I12.1": {**CRIT, L.H_DONE: None}})
    expect["自然资源局.xlsx"] = "evidence_placeholder"
    # §2 a pasted ledger
    ledger = fill("市委宣传部", "宣传部.xlsx", {"I10.1": CRIT})

    def paste(wb):
        ws = wb[L.SHEET_CRITERIA]
        for r in range(60, 560):
            for c in range(12, 32):
                ws.cell(r, c).value = f"台账{r}"

    _edit(ledger, paste)
    expect["宣传部.xlsx"] = "cells_ignored_block"
    # §4 a deleted sheet and a copied sheet with a different answer
    org = fill("市委组织部", "组织部.xlsx", {"I10.1": CRIT})

    def copy_and_delete(wb):
        copy = wb.copy_worksheet(wb[L.SHEET_CRITERIA])
        copy.cell(key_rows(copy)["I10.1"][0], header_of(copy)[1][L.H_NOTE]).value = "另一种说法"
        del wb[L.SHEET_TASKS]

    _edit(org, copy_and_delete)
    expect["组织部.xlsx"] = "key_conflict"
    # §5 two files of one unit, a file named after another unit, date forms
    fill("市发改局", "发改局初稿.xlsx", {"I10.1": {**CRIT, L.H_DONE: "否"}})
    fill("市发改局", "发改局终稿.xlsx", {"I10.1": CRIT})
    expect["发改局初稿.xlsx"] = "duplicate_submission"
    fill("市教育局", "城西街道.xlsx", {"I10.1": CRIT})
    expect["城西街道.xlsx"] = "file_name_other_unit"
    fill("市文旅局", "文旅局.xlsx", {"I10.1": CRIT}, contact={**CONTACT, "填报日期": "下周"})
    expect["文旅局.xlsx"] = "filled_date_bad"
    # §6 a credit code typed as a number
    fill(
        "市统计局",
        "统计局.xlsx",
        {
            "I04": [
                {
                    "企业名称": "甲公司",
                    "统一社会信用代码": 911408810123456789,
                    "达标年度": 2024,
                    "年度电子商务销售额（万元）": 20000,
                }
            ]
        },
    )
    expect["统计局.xlsx"] = "code_as_number"
    # §7 .xls with an error value, default-password encryption, a zip, archives, csv, lock files, own outputs
    src = fill_workbook(
        t["市审批服务管理局"],
        {"online_operators": "=1/0", "market_entities": 5000},
        work / "审批局.xlsx",
        contact=CONTACT,
    )
    libreoffice_convert(src, "xls", work / "xls").rename(folder / "审批局.xls")
    expect["审批局.xls"] = "value_error_cell"
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = fill_workbook(t["市司法局"], {"I10.1": CRIT}, work / "司法局.xlsx", contact=CONTACT)
    with open(plain, "rb") as f, open(folder / "司法局.xlsx", "wb") as out:
        OOXMLFile(f).encrypt("VelvetSweatshop", out)
    expect["司法局.xlsx"] = "file_default_password"
    with zipfile.ZipFile(folder / "一批.zip", "w") as z:
        z.write(fill_workbook(t["市财政局"], {"I10.1": CRIT}, work / "财政局.xlsx", contact=CONTACT), "财政局.xlsx")
        z.writestr("__MACOSX/._财政局.xlsx", b"\x00")
    (folder / "镇街.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (folder / "导出.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "~$邮政.xlsx").write_bytes(b"\x00")
    (folder / "._邮政.xlsx").write_bytes(b"\x00")
    expect.update({"镇街.rar": "file_archive", "导出.csv": "file_csv"})
    if os.name != "nt":
        fill("市交通局", GBK_NAME, {"total_employment": 1, "I10.1": CRIT})
    return expect


@pytest.fixture(scope="module")
def outcome(spec, templates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("returned-in")
    work = tmp_path_factory.mktemp("returned-work")
    expect = _corpus(spec, templates, folder, work)
    earlier = write_outputs(
        run(spec, folder, YEAR), work / "earlier"
    )  # an earlier run's outputs, dropped into the input
    (folder / "上次输出").mkdir()
    for name in ("scores", "breakdown"):
        (folder / "上次输出" / earlier[name].name).write_bytes(earlier[name].read_bytes())
    (folder / "任务分解表副本.xlsx").write_bytes(earlier["breakdown"].read_bytes())
    expect.update({"上次输出": "file_own_output", "任务分解表副本.xlsx": "file_own_output"})
    before = _digests(folder)
    result = run(spec, folder, YEAR)
    out = work / "out"
    paths = write_outputs(result, out)
    return result, paths, expect, before, folder


def test_every_output_is_written(outcome):
    result, paths, *_ = outcome
    for key in ("scores", "breakdown", "report"):
        assert paths[key].is_file() and paths[key].stat().st_size > 1000
    doc = json.loads(paths["scores"].read_text(encoding="utf-8"))
    assert doc["total"] == float(result.card.total) and doc["issues"]
    openpyxl.load_workbook(paths["breakdown"])  # opens (no illegal character made it in)


def test_good_files_values_and_scores_intact(outcome):
    result, *_ = outcome
    for key, value in {**GOOD_POST, **GOOD_HR}.items():
        assert result.values[key] == Decimal(value), key
    assert result.card.indicator("I05").score == 2 and result.card.indicator("I07").score == 2


def test_each_problem_file_gets_its_code(outcome):
    result, _, expect, *_ = outcome
    codes: dict[str, set[str]] = {}
    for i in result.report:
        codes.setdefault(i.file, set()).add(i.code)
    for file, code in expect.items():
        assert code in codes.get(file, set()), (file, code, codes.get(file))
    assert "一批.zip/财政局.xlsx" in {s.file for s in result.submissions}
    assert not any(f.startswith(("~$", "._")) or "__MACOSX" in f for f in codes)
    if os.name != "nt":
        assert "市交通局报送.xlsx" in {s.file for s in result.submissions}


def test_no_inflated_score_from_problem_files(outcome):
    result, *_ = outcome
    assert "total_tax" not in result.values and "online_operators" not in result.values
    assert result.unit_status("市发改局").used_file == "发改局终稿.xlsx"
    i04 = result.card.indicator("I04")
    assert i04.score == 1  # the enterprise counts once, by its name, its broken code dropped


def test_no_control_character_in_any_issue(outcome):
    result, *_ = outcome
    bad = [i for i in result.report if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in i.text)]
    assert not bad


def test_inputs_byte_identical(outcome):
    *_, before, folder = outcome
    assert _digests(folder) == before
