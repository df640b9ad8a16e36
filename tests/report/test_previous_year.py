"""`run --previous`: this year against last year's scores.json, in scores.json, the breakdown's
历年对比, the report's 基本情况 and the CLI; every figure checked against the two files themselves."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from yongji_xls import api
from yongji_xls.cli import main
from yongji_xls.report.context import build_context
from yongji_xls.report.docx_report import render_lines
from yongji_xls.scoring.year_on_year import compare
from yongji_xls.values.previous import read_previous

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
PREVIOUS = ROOT / "sample_previous" / "scores.json"


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[dict, dict, Path, str]:
    """(this year's scores.json, last year's, the output folder, the CLI output) of one run."""
    out = tmp_path_factory.mktemp("previous") / "结果"
    r = CliRunner().invoke(main, ["run", str(SAMPLES), "--out", str(out), "--previous", str(PREVIOUS)])
    assert r.exit_code == 0, r.output
    now = json.loads((out / "scores.json").read_text("utf-8"))
    return now, json.loads(PREVIOUS.read_text("utf-8")), out, r.output


def _f(x) -> Fraction:
    return Fraction(str(x))


def test_previous_figures_are_the_difference_of_the_two_scores_files(compared):
    now, before, _, _ = compared
    doc = now["previous"]
    assert doc["year"] == before["year"] == now["year"] - 1 and doc["system_version"] == before["system"]["version"]
    assert _f(doc["total"]["change"]) == _f(now["total"]) - _f(before["total"])
    assert (doc["total"]["previous"], doc["total"]["current"]) == (before["total"], now["total"])
    old_levels = {f["name"]: f for f in before["first_level"]}
    assert [f["name"] for f in doc["first_level"]] == [f["name"] for f in now["first_level"]]
    for row, cur in zip(doc["first_level"], now["first_level"]):
        old = old_levels[cur["name"]]
        assert _f(row["score_change"]) == _f(cur["score"]) - _f(old["score"])
        rate_change = (_f(cur["score"]) / _f(cur["max"]) - _f(old["score"]) / _f(old["max"])) * 100
        assert row["rate_change"] == round(float(rate_change), 2)
    old_inds = {i["key"]: i for i in before["indicators"]}
    changes = {i["key"]: _f(i["score"]) - _f(old_inds[i["key"]]["score"]) for i in now["indicators"]}
    assert {i["key"]: _f(i["change"]) for i in doc["indicators"]} == changes
    assert doc["gained"] == [k for k, c in changes.items() if c > 0]
    assert doc["lost"] == [k for k, c in changes.items() if c < 0]
    assert doc["gained"] and doc["not_comparable"] == {"count": 0, "items": []}
    statuses = {i["key"]: (old_inds[i["key"]]["status"], i["status"]) for i in now["indicators"]}
    assert {i["key"]: (i["previous_status"], i["current_status"]) for i in doc["indicators"]} == statuses


def test_the_cli_and_the_report_say_the_change(compared):
    now, before, out, output = compared
    change = _f(now["total"]) - _f(before["total"])
    assert change == 11  # the bundled 2023 results: 76 points, this year's demo 87
    assert "历年对比：总分较上年提高11分（2023年度76分）" in output
    from docx import Document

    body = "\n".join(p.text for p in Document(str(next(out.glob("自评报告_*.docx")))).paragraphs)
    basics = body.split("基本情况", 1)[1].split("自评得分情况", 1)[0]
    assert "本年度自评总分87分，较上年提高11分（2023年度76分）" in basics


def test_the_breakdown_has_a_year_on_year_sheet(compared):
    now, before, out, _ = compared
    wb = openpyxl.load_workbook(next(out.glob("任务分解表_*.xlsx")))
    ws = wb["历年对比"]
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "历年对比（2023年度 → 2024年度）"
    facts = {r[0]: r[1] for r in rows if r and r[0] and r[1] and isinstance(r[1], str)}
    assert facts["自评总分"] == "76分 → 87分，较上年提高11分"
    assert facts["无法对比的指标"] == "0项"
    head = next(n for n, r in enumerate(rows) if r[0] == "一级指标")
    old = {f["name"]: f for f in before["first_level"]}
    for r, cur in zip(rows[head + 1 : head + 6], now["first_level"]):
        assert r[0] == cur["name"] and r[1] == old[cur["name"]]["score"] and r[4] == cur["score"]
        assert r[7] == cur["score"] - old[cur["name"]]["score"]
    start = next(n for n, r in enumerate(rows) if r[0] == "编号")
    indicators = [r for r in rows[start + 1 :] if r[0] is not None]
    assert len(indicators) == 41 and rows[start][1] == "三级指标"
    by_no = {r[0]: r for r in indicators}
    for i in now["indicators"]:
        assert by_no[i["no"]][6] == i["score"] - next(p["score"] for p in before["indicators"] if p["key"] == i["key"])


def test_level_and_lower_scores_are_said_as_such():
    result = api.run(SAMPLES)
    past = read_previous(PREVIOUS)

    def basics(total: Fraction) -> str:
        result.previous = compare(result.card, replace(past, total=total))
        return next(line for line in render_lines("report_main.j2", build_context(result)) if "本年度自评总分" in line)

    assert basics(Fraction(87)).startswith("本年度自评总分87分，较上年持平（2023年度87分）")
    assert basics(Fraction(179, 2)).startswith("本年度自评总分87分，较上年降低2.5分（2023年度89.5分）")
    result.previous = None
    assert not [line for line in render_lines("report_main.j2", build_context(result)) if "较上年" in line]


def test_a_previous_that_cannot_be_compared_is_refused_with_a_sentence(tmp_path):
    def run(previous: Path) -> str:
        r = CliRunner().invoke(main, ["run", str(SAMPLES), "--out", str(tmp_path / "out"), "--previous", str(previous)])
        assert r.exit_code != 0 and "Traceback" not in r.output
        return r.output

    assert "上年结果「" in run(tmp_path / "无此文件夹") and "不存在" in run(tmp_path / "无此文件夹")
    same_year = tmp_path / "2024.json"
    doc = json.loads(PREVIOUS.read_text("utf-8"))
    same_year.write_text(json.dumps({**doc, "year": 2024}, ensure_ascii=False), "utf-8")
    assert "是2024年度的，不早于本次评估年度2024年" in run(same_year)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**doc, "county": "临猗县"}, ensure_ascii=False), "utf-8")
    assert "属于临猗县，不是永济市" in run(other)
    broken = tmp_path / "broken.json"
    broken.write_text('{"year": 2023, "total": 1}', "utf-8")
    assert "不是本工具输出的scores.json" in run(broken)
    assert not (tmp_path / "out" / "scores.json").exists()  # refused before anything was written


def test_an_output_folder_is_accepted_as_last_years_results(tmp_path):
    folder = tmp_path / "2023年度结果"
    folder.mkdir()
    shutil.copyfile(PREVIOUS, folder / "scores.json")
    result = api.run(SAMPLES, previous=folder)
    assert result.previous is not None and result.previous.previous_year == 2023 and result.previous.total_change == 11


def test_a_workspace_keeps_last_years_results_and_finds_them(tmp_path):
    results, archive = tmp_path / "结果", tmp_path / "往年结果"
    results.mkdir()
    shutil.copyfile(PREVIOUS, results / "scores.json")
    assert api.keep_earlier_results(results, archive, 2023) is None  # not earlier than 2023: nothing kept
    kept = api.keep_earlier_results(results, archive, 2024)
    assert kept == archive / "2023年度" / "scores.json" and kept.read_bytes() == PREVIOUS.read_bytes()
    assert api.find_previous([archive], 2024) == kept and api.find_previous([archive], 2025) is None
