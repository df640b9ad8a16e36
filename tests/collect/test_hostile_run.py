"""Hostile and broken submissions through the whole `run`: nothing crashes, nothing is lost,
nothing gets in, and the good files in the same folder are still scored exactly."""

from __future__ import annotations

import hashlib
import json
import os
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import CONTACT, fill_workbook, locate, write_outputs
from hostile import CASES

from yongji_xls.cli import main
from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L

YEAR = 2024
GOOD_TAX = {"total_tax": 10000, "ecommerce_tax": 600}  # I08: 6 % → 2 points
GOOD_POST = {"express_volume@2022": 1000, "express_volume@2023": 1300, "express_volume@2024": 1600}  # I05: 2 points


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, templates):
    folder = tmp_path_factory.mktemp("hostile-in")
    made = {}
    for case, (maker, code) in CASES.items():
        sub = folder / case
        sub.mkdir()
        try:
            made[case] = (maker(sub), code)
        except pytest.skip.Exception:
            continue
    fill_workbook(templates["市税务局"], GOOD_TAX, folder / "税务局.xlsx", contact=CONTACT)
    fill_workbook(templates["市邮政分公司"], GOOD_POST, folder / "邮政.xlsx", contact=CONTACT)
    return folder, made


@pytest.fixture(scope="module")
def outcome(spec, corpus, tmp_path_factory):
    folder, made = corpus
    before = _digests(folder)
    t = time.perf_counter()
    result = run(spec, folder, YEAR)
    elapsed = time.perf_counter() - t
    out = tmp_path_factory.mktemp("hostile-out")
    write_outputs(result, out)
    return result, before, elapsed, out


def test_every_case_gets_its_message(corpus, outcome):
    folder, made = corpus
    result = outcome[0]
    for case, (path, code) in made.items():
        name = str(path.relative_to(folder))
        codes = [i.code for i in result.report if i.file == name]
        if code is None:
            assert not [
                i for i in result.report if i.file == name and i.code.startswith("file_") and i.severity == "error"
            ], (case, codes)
        else:
            assert code in codes, (case, codes)
            msg = next(i for i in result.report if i.file == name and i.code == code)
            assert msg.file == name and "请" in msg.message
    huge = next(i for i in result.report if i.code == "file_huge_range" and i.file.startswith("prefixed_far_cell"))
    assert huge.sheet  # names the sheet


def test_good_files_still_scored_exactly(outcome):
    result = outcome[0]
    assert result.values["total_tax"] == Decimal(10000)
    assert result.card.indicator("I08").score == 2
    assert result.card.indicator("I05").score == 2
    assert result.unit_status("市税务局").state == "已报送"


def test_inputs_untouched_and_nothing_written_beside(corpus, outcome):
    folder, _ = corpus
    assert _digests(folder) == outcome[1]


def test_time_bounded(outcome):
    assert outcome[2] < 60  # a generous bound: a zip bomb or far-corner file would take minutes or kill the process


def test_unreadable_files_listed_with_reason(corpus, outcome):
    folder, made = corpus
    doc = json.loads((outcome[3] / "scores.json").read_text("utf-8"))
    files = {i["file"] for i in doc["issues"]}
    for path, code in made.values():
        if code:
            assert str(path.relative_to(folder)) in files


def test_output_inside_input_is_refused(spec, corpus):
    folder, _ = corpus
    r = CliRunner().invoke(main, ["run", str(folder), "--out", str(folder / "输出")])
    assert r.exit_code != 0 and "输入文件夹" in r.output
    assert not (folder / "输出").exists()


def test_formula_injection_never_reaches_outputs(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    evil = '=HYPERLINK("http://evil.example/","点我")'
    values = {
        "I12.1": {L.H_DONE: "是", L.H_NOTE: evil, L.H_EVIDENCE: "+cmd|' /C calc'!A0\n@SUM(1+1)"},
        "I34": [{"成果名称": "-2+3", "类别": "标准", "文号或标准号": "=1+1", "发布日期": "2024-01-01"}],
    }
    path = fill_workbook(templates["市发改局"], values, in_dir / "发改.xlsx", contact=dict(CONTACT, 填报人="=cmd"))
    _as_typed_text(path)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["run", str(in_dir), "--out", str(out)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(next(out.glob("*任务分解表*.xlsx")))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(t in c.value for t in ("HYPERLINK", "cmd", "SUM", "2+3", "1+1")):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    seen.add(c.value)
    assert "=cmd" in seen  # the 填报人 as typed, in 报送情况
    assert any("+cmd|' /C calc'!A0" in v and "@SUM(1+1)" in v for v in seen)  # the materials, in 佐证材料清单
    # the note itself (``evil``) is not in the workbook: the report and its 报告文字 draft quote notes
    list_cells = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "=1+1" in c.value
    ]
    assert list_cells and all(c.data_type == "s" for c in list_cells)


def _as_typed_text(path: Path) -> None:
    """Text a user typed with a leading apostrophe ('=1+1) is a string cell, not a formula."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
    wb.save(path)


def test_feedback_copy_highlights_the_cell(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    src = fill_workbook(
        templates["市税务局"], {"total_tax": "约3000", "ecommerce_tax": 50}, in_dir / "税务.xlsx", contact=CONTACT
    )
    before = src.read_bytes()
    sheet, cell = locate(openpyxl.load_workbook(src), "total_tax", L.H_VALUE)
    out = tmp_path / "out"
    result = run(spec, in_dir, YEAR)
    paths = write_outputs(result, out)
    assert src.read_bytes() == before and sorted(p.name for p in in_dir.iterdir()) == ["税务.xlsx"]
    fb = out / "反馈" / "市税务局_问题反馈.xlsx"
    assert paths["税务.xlsx"] == fb and fb.exists()
    wb = openpyxl.load_workbook(fb)
    assert wb.sheetnames[0] == "问题清单"
    rows = [[c.value for c in r] for r in wb["问题清单"].iter_rows(min_row=2)]
    assert any(r[2] == sheet and r[3] == cell and "约3000" in r[5] for r in rows)
    c = wb[sheet][cell]
    assert c.value == "约3000" and c.comment is not None and "确切数字" in c.comment.text
    assert c.fill.fgColor.rgb.endswith("FFC7CE")


def test_an_unreadable_file_is_nobodys_and_gets_its_issue_but_no_feedback(spec, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    (in_dir / "坏文件.xlsx").write_bytes(b"PK\x03\x04broken")
    out = tmp_path / "out"
    result = run(spec, in_dir, YEAR)
    write_outputs(result, out)
    assert [i.code for i in result.report if i.file == "坏文件.xlsx"] == ["file_corrupt"]
    assert not (out / "反馈").exists()  # issue 20 §6: no unit to send it to


def test_cli_exits_zero_with_problem_files(tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    (in_dir / "空.xlsx").write_bytes(b"")
    (in_dir / "说明.txt").write_text("hello", "utf-8")
    r = CliRunner().invoke(main, ["run", str(in_dir), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "out" / "scores.json").read_text("utf-8"))
    codes = {(i["file"], i["code"]) for i in doc["issues"]}
    assert ("空.xlsx", "file_empty") in codes and ("说明.txt", "file_unsupported") in codes
    assert len(doc["missing_units"]) == 38
    assert sorted(os.listdir(in_dir)) == sorted(["说明.txt", "空.xlsx"])


def test_output_locked_is_a_message_not_a_traceback(templates, tmp_path, monkeypatch):
    import yongji_xls.files.atomic as atomic

    in_dir = tmp_path / "in"
    in_dir.mkdir()
    fill_workbook(templates["市税务局"], GOOD_TAX, in_dir / "税务.xlsx", contact=CONTACT)
    out = tmp_path / "out"

    def locked(src, dst):  # what Windows does while Excel holds the previous output open
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(atomic.os, "replace", locked)
    r = CliRunner().invoke(main, ["run", str(in_dir), "--out", str(out)])
    assert r.exit_code == 1 and "正在Excel或WPS中打开" in r.output and "Traceback" not in r.output
    assert not [p for p in out.rglob("*") if p.is_file()]  # no half-written files left behind
