"""Feedback workbooks: the unit's template regenerated and prefilled with what was accepted.

Each test builds real unit files in code, runs the whole pipeline and re-reads the feedback
with the project's own reader (and openpyxl, to look at fills and comments)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import CONTACT, fill_workbook, locate, random_values, submission_content, write_outputs

from yongji_xls.collect.run import run
from yongji_xls.system.shares import unit_share
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024
UNIT = "市市场监管局"


_content = submission_content


def _score(result, key: str) -> Decimal:
    return next(i.score for i in result.card.indicators if i.key == key)


@pytest.fixture(scope="module")
def messy(spec, templates, tmp_path_factory):
    """Three units with typical problems; one clean unit (which must get no feedback)."""
    folder = tmp_path_factory.mktemp("fb-in")
    values = random_values(spec, unit_share(spec, UNIT, YEAR), seed=11)
    values["online_operators"] = "约3000"  # refused: shown as typed
    values["market_entities"] = "38,200"  # accepted with a warning
    values["I12.1"] = {L.H_DONE: "是", L.H_NOTE: "建立制度", L.H_EVIDENCE: ""}  # 是 without material
    values["I32"][1] = {**values["I32"][1], "级别": "乡级"}  # not a choice: shown as typed
    fill_workbook(templates[UNIT], values, folder / "监管局.xlsx", contact=CONTACT)
    fill_workbook(
        templates["市税务局"],
        {"total_tax": 10000, "ecommerce_tax": "6OO"},
        folder / "税务.xlsx",
        contact={"填报日期": CONTACT["填报日期"]},
    )
    fill_workbook(
        templates["市邮政分公司"],
        {"express_volume@2022": 1000, "express_volume@2023": 1300, "express_volume@2024": 1600},
        folder / "邮政.xlsx",
        contact=CONTACT,
    )
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04broken")  # nobody's submission: its issue, no workbook
    out = tmp_path_factory.mktemp("fb-out")
    result = run(spec, folder, YEAR)
    paths = write_outputs(result, out)
    return folder, result, paths, out


def test_feedback_reread_gives_exactly_the_accepted_values(spec, messy):
    _, result, paths, _ = messy
    for sub in result.submissions:
        if sub.file not in paths or sub.unit is None:
            continue
        back = read_workbook(spec, paths[sub.file], paths[sub.file].name, YEAR)
        assert _content(back) == _content(sub), sub.file
        assert back.meta["kind"] == "feedback" and back.meta["round"] == "2"
        assert back.meta["based_on"] == sub.file and back.meta["based_on_sha256"] == sub.digest
        # only the refused entries are still problems; the 问题清单 sheet is not read as data
        assert {i.code for i in back.issues if i.severity != "info"} <= {
            "value_ambiguous",
            "value_not_number",
            "evidence_missing",
            "value_bad_choice",
        }
        assert not [i for i in back.issues if i.sheet == L.SHEET_PROBLEMS]


def test_problem_cells_are_highlighted_and_refused_text_shown(messy):
    _, result, paths, _ = messy
    wb = openpyxl.load_workbook(paths["监管局.xlsx"])
    assert wb.sheetnames[0] == L.SHEET_PROBLEMS
    sheet, cell = locate(wb, "online_operators", L.H_VALUE)
    c = wb[sheet][cell]
    assert c.value == "约3000" and "确切数字" in c.comment.text and c.fill.fgColor.rgb.endswith("FFC7CE")
    sheet, cell = locate(wb, "market_entities", L.H_VALUE)
    c = wb[sheet][cell]
    assert c.value == 38200 and "文本" in c.comment.text and c.fill.fgColor.rgb.endswith("FFC7CE")
    sheet, cell = locate(wb, "I12.1", L.H_EVIDENCE)
    assert "佐证材料" in wb[sheet][cell].comment.text
    sheet, cell = locate(wb, "I32", "级别", 1)
    assert wb[sheet][cell].value == "乡级" and "下拉列表" in wb[sheet][cell].comment.text
    sheet, cell = locate(wb, "market_entities", L.H_ITEM)
    assert wb[sheet][cell].comment is None  # read-only cells carry no comment
    front = [
        list(r) for r in openpyxl.load_workbook(paths["监管局.xlsx"])[L.SHEET_PROBLEMS].iter_rows(values_only=True)
    ]
    assert L.KEY_HEADER not in front[0] and front[0][-2:] == ["问题", "修改方法"]
    codes = {i.code for i in result.report if i.file == "监管局.xlsx"}
    assert (
        len(front) - 1 == sum(1 for i in result.report if i.file == "监管局.xlsx" and i.unit in ("", UNIT))
        and {"value_ambiguous", "evidence_missing"} <= codes
    )
    row = next(r for r in front if r[3] and "约3000" in r[5])
    assert row[6].startswith("请") and row[4] == f"{L.SHEET_DATA}·网络交易经营者数量（年末）·{L.H_VALUE}"
    # protection and validations are the template's
    assert wb[sheet].protection.sheet and wb[sheet].data_validations.dataValidation


def test_unit_without_problems_gets_no_feedback(messy):
    _, _, paths, out = messy
    assert "邮政.xlsx" not in paths and "坏文件.xlsx" not in paths
    assert sorted(p.name for p in (out / "反馈").iterdir()) == [
        "市市场监管局_问题反馈.xlsx",
        "市税务局_问题反馈.xlsx",
    ]


def _with_live_parts(src: Path, dst: Path) -> Path:
    """The unit's file with a formula cell, an external-link part and a macro project added."""
    wb = openpyxl.load_workbook(src)
    sheet, cell = locate(wb, "total_tax", L.H_VALUE)
    wb[sheet][cell] = "=[1]Sheet1!A1*2"
    sheet, cell = locate(wb, "ecommerce_tax", L.H_VALUE)
    wb[sheet][cell] = "=1+1"
    wb.save(dst)
    tmp = dst.with_suffix(".tmp")
    with zipfile.ZipFile(dst) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr(
            "xl/externalLinks/externalLink1.xml",
            '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        )
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0fake vba")
    tmp.replace(dst)
    return dst


def _no_live_parts(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert not [n for n in names if "externalLink" in n or "vbaProject" in n or n.endswith(".bin")]
        for n in names:
            if n.startswith("xl/worksheets/") and n.endswith(".xml"):
                assert b"<f>" not in z.read(n) and b"<f " not in z.read(n)


def test_nothing_live_reaches_feedback(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    src = fill_workbook(
        templates["市税务局"], {"total_tax": 10000, "ecommerce_tax": 600}, tmp_path / "t.xlsx", contact=CONTACT
    )
    _with_live_parts(src, in_dir / "税务.xlsx")
    with zipfile.ZipFile(in_dir / "税务.xlsx") as z:
        assert "xl/externalLinks/externalLink1.xml" in z.namelist()
    paths = write_outputs(run(spec, in_dir, YEAR), tmp_path / "out")
    fb = paths["税务.xlsx"]
    _no_live_parts(fb)
    assert fb.name == "市税务局_问题反馈.xlsx"


def _patch_sheet_xml(path: Path, old: bytes, new: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, data.replace(old, new))
    tmp.replace(path)


def test_merged_cells_and_control_characters_do_not_stop_feedback(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    values = random_values(spec, unit_share(spec, UNIT, YEAR), seed=5)
    values["I12.1"] = {L.H_DONE: "是", L.H_NOTE: "制度CTRLMARK建立", L.H_EVIDENCE: "方案.pdf"}
    values["online_operators"] = "约3000"
    path = fill_workbook(templates[UNIT], values, in_dir / "监管局.xlsx", contact=CONTACT)
    wb = openpyxl.load_workbook(path)
    sheet, cell = locate(wb, "market_entities", L.H_VALUE)
    ws = wb[sheet]
    below = ws[cell].offset(row=1).coordinate
    ws.merge_cells(f"{cell}:{below}")  # a value merged over two rows
    wb.save(path)
    _patch_sheet_xml(path, b"CTRLMARK", b"_x0001__x001F_")
    result = run(spec, in_dir, YEAR)
    sub = result.submissions[0]
    codes = {i.code for i in sub.issues}
    assert (
        sub.answers["I12.1"].note == "制度建立" and {"text_control_chars", "cells_merged"} <= codes
    )  # cleaned once, at the reader, and reported
    fb = write_outputs(result, tmp_path / "out")["监管局.xlsx"]
    back = read_workbook(spec, fb, fb.name, YEAR)
    assert back.answers["I12.1"].note == "制度建立" and back.values.keys() == sub.values.keys()
    assert not openpyxl.load_workbook(fb)[sheet].merged_cells.ranges or all(
        str(r) != f"{cell}:{below}" for r in openpyxl.load_workbook(fb)[sheet].merged_cells.ranges
    )


def test_a_known_units_file_of_another_year_gets_a_problem_list_only(spec, tmp_path):
    from yongji_xls.workbook.write.template_writer import write_templates

    in_dir = tmp_path / "in"
    in_dir.mkdir()
    [old] = write_templates(spec, tmp_path / "tpl", YEAR - 1, None, ["市税务局"])
    shutil.copy(old, in_dir / "去年的表.xlsx")
    written = write_outputs(run(spec, in_dir, YEAR), tmp_path / "out")
    wb = openpyxl.load_workbook(written["去年的表.xlsx"])
    assert wb.sheetnames == [L.SHEET_PROBLEMS] and "模板年度为2023年" in wb[L.SHEET_PROBLEMS]["F2"].value
    assert written["去年的表.xlsx"].name == "去年的表_问题反馈.xlsx"


# -- the resubmission loop -------------------------------------------------------------------
GOOD = {"ecommerce_tax": 600}  # with total_tax 10000: 6 % → I08 2 points


@pytest.fixture(scope="module")
def first_round(spec, templates, tmp_path_factory) -> tuple[Path, Path]:
    """The first round, run once for the module: 「约10000」 typed, I08 scores 0, feedback written.
    Its input and output folders, and where the feedback is in the output folder."""
    base = tmp_path_factory.mktemp("first-round")
    folder = base / "in"
    folder.mkdir()
    fill_workbook(
        templates["市税务局"], {"total_tax": "约10000", "ecommerce_tax": 600}, folder / "税务局.xlsx", contact=CONTACT
    )
    result = run(spec, folder, YEAR)
    assert _score(result, "I08") == 0
    feedback = write_outputs(result, base / "out")["税务局.xlsx"]
    return base, feedback.relative_to(base / "out")


def _first_round(first_round, folder: Path, out: Path) -> Path:
    """The first round's input and whole output set copied into this test's folders; the feedback."""
    base, feedback = first_round
    shutil.copytree(base / "in", folder, dirs_exist_ok=True)
    shutil.copytree(base / "out", out)
    return out / feedback


def _correct(feedback: Path, target: Path, date: dt.datetime | None) -> Path:
    """The unit fixes the highlighted cell in Excel and (maybe) updates 填报日期."""
    return fill_workbook(feedback, {"total_tax": 10000}, target, contact={"填报日期": date} if date else None)


@pytest.mark.parametrize("keep_original", [True, False])
def test_corrected_feedback_wins_by_later_date_and_reaches_the_score(spec, first_round, tmp_path, keep_original):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    fb = _first_round(first_round, folder, out)
    if not keep_original:
        (folder / "税务局.xlsx").unlink()
    corrected = _correct(fb, folder / "税务局_修改后.xlsx", dt.datetime(2025, 2, 3))
    result = run(spec, folder, YEAR)
    used = result.unit_status("市税务局").used_file
    assert used == corrected.name and _score(result, "I08") == 2
    assert [i.code for i in result.report if i.file == corrected.name and i.severity != "info"] == []
    written = write_outputs(result, out)
    assert corrected.name not in written and not (out / "反馈").exists()  # nothing left to fix, no stale feedback


def test_corrected_feedback_with_the_same_date_wins_by_file_time(spec, first_round, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    fb = _first_round(first_round, folder, out)
    corrected = _correct(fb, folder / "税务局_反馈修改.xlsx", None)  # 填报日期 kept as prefilled
    later = (folder / "税务局.xlsx").stat().st_mtime + 60
    os.utime(corrected, (later, later))
    result = run(spec, folder, YEAR)
    assert result.unit_status("市税务局").used_file == corrected.name and _score(result, "I08") == 2


@pytest.mark.slow  # LibreOffice
def test_libreoffice_opens_every_feedback_workbook(messy, tmp_path):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.fail("LibreOffice (soffice) 未安装") if os.environ.get("CI") else pytest.skip(
            "LibreOffice (soffice) 未安装"
        )
    _, _, _, out = messy
    books = sorted((out / "反馈").glob("*.xlsx"))
    assert len(books) == 2
    profile = (tmp_path / "profile").as_uri()
    cmd = [
        exe,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path / "pdf"),
        *map(str, books),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    for b in books:
        pdf = tmp_path / "pdf" / (b.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 2000 and re.match(rb"%PDF-", pdf.read_bytes()[:5])


def test_problems_are_placed_by_key_when_the_unit_moved_rows(spec, templates, tmp_path):
    """Rows inserted above the tables and keyed rows shuffled: the problem still lands on its key."""
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    values = random_values(spec, unit_share(spec, UNIT, YEAR), seed=21)
    values["complaints_total"] = "约1500"
    values["I12.1"] = {L.H_DONE: "是", L.H_NOTE: "建立制度", L.H_EVIDENCE: ""}
    src = fill_workbook(
        templates[UNIT], values, in_dir / "监管局.xlsx", contact=CONTACT, insert_above=3, reorder=True, seed=4
    )
    moved = openpyxl.load_workbook(src)
    fb = write_outputs(run(spec, in_dir, YEAR), tmp_path / "out")["监管局.xlsx"]
    wb = openpyxl.load_workbook(fb)
    for key, header, needle in (("complaints_total", L.H_VALUE, "确切数字"), ("I12.1", L.H_EVIDENCE, "佐证材料")):
        assert locate(moved, key, header) != locate(wb, key, header)  # the unit's cell is elsewhere
        sheet, cell = locate(wb, key, header)
        assert wb[sheet][cell].comment is not None and needle in wb[sheet][cell].comment.text
    marked = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment is not None]
    assert len(marked) == 2


def test_a_list_longer_than_the_template_comes_back_whole(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    values = random_values(
        spec, unit_share(spec, UNIT, YEAR), seed=8, list_rows=L.LIST_ROWS + 6
    )  # rows inserted by the unit
    values["online_operators"] = "约3000"
    fill_workbook(templates[UNIT], values, in_dir / "监管局.xlsx", contact=CONTACT)
    result = run(spec, in_dir, YEAR)
    sub = result.submissions[0]
    assert all(len(rows) == L.LIST_ROWS + 6 for rows in sub.lists.values())
    fb = write_outputs(result, tmp_path / "out")["监管局.xlsx"]
    back = read_workbook(spec, fb, fb.name, YEAR)
    assert _content(back) == _content(sub)
