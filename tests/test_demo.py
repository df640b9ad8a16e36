"""The README's main command: `yongji-xls demo` on the bundled sample workbooks, with the
real-life faults the samples are made to carry."""

from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner

from yongji_xls.cli import main


def test_demo_runs_and_shows_the_sample_faults(tmp_path):
    out = tmp_path / "演示输出"
    r = CliRunner().invoke(main, ["demo", "--out", str(out)])
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
    wb = openpyxl.load_workbook(next(out.glob("任务分解表*.xlsx")), read_only=True)
    assert {"评分汇总", "指标任务分解", "报送情况", "问题清单", "数据冲突", "核定"} <= set(wb.sheetnames)
    assert (out / "反馈").is_dir() and any((out / "反馈").glob("市税务局_问题反馈.xlsx"))
    assert next(out.glob("自评报告*.docx")).stat().st_size > 10000
    assert "87分" in r.output
