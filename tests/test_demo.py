"""The README's main command: `yongji-xls demo` on the bundled sample workbooks, with the
real-life faults the samples are made to carry."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from yongji_xls.cli import main


def test_demo_runs_and_shows_the_sample_faults(demo_cli):
    out, r = demo_cli  # `demo --out …`, once per session (conftest)
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    assert doc["total"] == 87 and doc["passed"] is False  # 促进发展 65 % < 75 %
    assert [f["passed"] for f in doc["first_level"]] == [False, True, True, True, True]
    assert [u["unit"] for u in doc["missing_units"]] == ["市委网信办"]
    codes = {(i["code"], i["file"].split("_")[0] if i["file"][:2].isdigit() else i["file"]) for i in doc["issues"]}
    assert ("conflict", "20") in codes  # 市工科局（市商务局） vs 市统计局 on online retail 2024
    assert ("evidence_missing", "04") in codes  # 市发改局: 是 without material
    assert ("value_text_number", "19") in codes  # 市税务局: "5,200" typed as text
    assert ("file_legacy_format", "23") in codes  # 市邮政分公司 re-saved as .xls, still read
    assert doc["indicators"][4]["score"] == 2  # I05 comes from the .xls file
    assert len(doc["conflicts"]) == 1 and doc["conflicts"][0]["key"] == "online_retail@2024"
    wb = openpyxl.load_workbook(next(out.glob("*任务分解表*.xlsx")), read_only=True)
    assert {"评分汇总", "指标任务分解", "报送情况", "问题清单", "数据冲突", "核定"} <= set(wb.sheetnames)
    assert (out / "反馈").is_dir() and any((out / "反馈").glob("市税务局_问题反馈.xlsx"))
    assert next(out.glob("*自评报告*.docx")).stat().st_size > 10000
    assert "87分" in r.output
    # the bundled 2023 results (sample_previous/, outside the input folder): the change, and no new warning
    assert "历年对比：总分较上年提高11分（2023年度76分）" in r.output and doc["previous"]["year"] == 2023
    assert not [i for i in doc["issues"] if "scores.json" in i["file"]]


@pytest.fixture(scope="module")
def sample_csv_run(tmp_path_factory):
    """`run` on the sample workbooks with --csv, once for the module (read only): the CSV test reads
    its tables, the review test takes its breakdown as the first round."""
    from yongji_xls.files.data_paths import bundled

    out = tmp_path_factory.mktemp("sample-run") / "out"
    r = CliRunner().invoke(main, ["run", str(bundled("sample_workbooks")), "--out", str(out), "--csv"])
    return out, r


def test_csv_frames_match_the_scorecard(sample_csv_run):
    import pandas as pd

    from yongji_xls.collect.run import run
    from yongji_xls.files.data_paths import bundled
    from yongji_xls.report.frames import responsibility_matrix, scores_frame
    from yongji_xls.system.load import load_spec

    out, r = sample_csv_run
    assert r.exit_code == 0, r.output
    scores = pd.read_csv(out / "数据表" / "指标得分.csv", encoding="utf-8-sig", index_col=0)
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    assert list(scores.index) == [i["key"] for i in doc["indicators"]]
    assert scores["得分"].sum() == doc["total"] == 87
    raw = pd.read_csv(out / "数据表" / "原始数据.csv", encoding="utf-8-sig", dtype=str)
    assert raw.set_index("键").loc["online_retail@2024", "数值"] == "201800"
    result = run(load_spec(), bundled("sample_workbooks"))
    assert scores_frame(result).loc["I05", "得分"] == 2
    matrix = responsibility_matrix(result)
    assert matrix.shape == (38, 42) and matrix.loc["市税务局", "I08"] == 1 and matrix.loc["市税务局", "I01"] == 0
    assert matrix.loc["市委网信办", "报送状态"] == "未报送"


def test_review_round_trip_through_run(sample_csv_run, tmp_path):
    from yongji_xls.files.data_paths import bundled

    samples = bundled("sample_workbooks")
    first, r = sample_csv_run
    assert r.exit_code == 0
    breakdown = next(first.glob("*任务分解表*.xlsx"))
    wb = openpyxl.load_workbook(breakdown)
    ws = wb["核定"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=5) if any(c.value == "指标键" for c in r))
    cols = {c.value: c.column for c in header}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        if row[cols["指标键"] - 1].value == "I06":
            row[cols["核定得分"] - 1].value = 2
            row[cols["核定说明"] - 1].value = "经核实，按商务部门口径达标"
    reviewed = tmp_path / "核定.xlsx"
    wb.save(reviewed)
    second = tmp_path / "second"
    r = CliRunner().invoke(main, ["run", str(samples), "--out", str(second), "--review", str(reviewed)])
    assert r.exit_code == 0, r.output
    doc = json.loads((second / "scores.json").read_text("utf-8"))
    i06 = doc["indicators"][5]
    assert (i06["score"], i06["computed_score"], i06["status"]) == (2, 0, "overridden")
    assert doc["total"] == 89 and doc["computed_total"] == 87
    assert doc["first_level"][0]["score"] == 15 and doc["first_level"][0]["passed"] is True
    assert doc["passed"] is True  # 89 ≥ 85 and 促进发展 now 75 %
    assert "计算得分87分" in r.output
