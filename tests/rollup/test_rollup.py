"""The city bureau's rollup over counties' outputs made here: `score` (scores.json) for three
counties of 2024 and one of 2023, `run` for a fifth whose breakdown workbook alone is sent."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from factories import pdf_text, to_pdf
from helpers import assert_stock_chinese_faces
from scenarios import full_values, without

from yongji_xls.api import init_office
from yongji_xls.cli import main
from yongji_xls.rollup.collect import collect

COUNTIES = ("临猗县", "万荣县", "芮城县", "稷山县")


def _score(folder: Path, values: dict, year: int, config: Path | None, reference: Path | None = None) -> Path:
    folder.mkdir(parents=True)
    data = folder / "values.json"
    data.write_text(
        json.dumps({"year": year, "region": "中部", "values": values}, ensure_ascii=False, default=str), "utf-8"
    )
    args = ["score", "--values", str(data), "--out", str(folder / "scores.json")]
    args += ["--config", str(config)] if config else []
    args += ["--reference", str(reference)] if reference else []
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data.unlink()
    return folder / "scores.json"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("city")
    configs = {}
    for name in COUNTIES:
        configs[name] = init_office(base / "配置" / name, name, from_yongji=True)
    inbox = base / "各县上报"
    _score(inbox / "永济市", full_values(), 2024, None)
    reference = base / "ref.yaml"
    reference.write_text("national.online_retail_growth@2024: 7.5\n", "utf-8")
    _score(
        inbox / "临猗县", without(full_values(), "I12.1", "I28.1", "I28.2", "I28.3"), 2024, configs["临猗县"], reference
    )
    _score(inbox / "万荣县", without(full_values(), "I12.1", "I13.2"), 2024, configs["万荣县"])
    _score(inbox / "稷山县", full_values(), 2023, configs["稷山县"])  # another year: flagged, not mixed
    empty = base / "芮城县报送"
    empty.mkdir()
    result = CliRunner().invoke(
        main, ["run", str(empty), "--out", str(base / "芮城县结果"), "--config", str(configs["芮城县"])]
    )
    assert result.exit_code == 0, result.output
    (inbox / "芮城县").mkdir()
    breakdown = next((base / "芮城县结果").glob("*任务分解表*.xlsx"))
    (inbox / "芮城县" / breakdown.name).write_bytes(breakdown.read_bytes())
    (inbox / "说明.json").write_text('{"note": 1}', "utf-8")
    return base


def test_rollup_matrix_and_flags(outputs):
    base = outputs
    result = CliRunner().invoke(main, ["rollup", str(base / "各县上报"), "--out", str(base / "市局汇总")])
    assert result.exit_code == 0, result.output
    book = base / "市局汇总" / "运城市各县（市、区）自评汇总_2024.xlsx"
    assert book.is_file() and (base / "市局汇总" / "运城市各县（市、区）自评汇总_2024.docx").is_file()
    assert_stock_chinese_faces(book)
    wb = openpyxl.load_workbook(book)
    ws = wb["指标得分"]
    header = [c.value for c in ws[3]]
    assert header[4:8] == [
        "万荣县",
        "临猗县",
        "永济市",
        "芮城县",
    ]  # input order: the files, then breakdown-only folders
    col = {name: header.index(name) + 1 for name in ("万荣县", "临猗县", "永济市", "芮城县")}
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value}
    i12, i28, i13 = rows[12], rows[28], rows[13]
    assert [ws.cell(i12, col[c]).value for c in ("永济市", "临猗县", "万荣县")] == [3, 2, 2]
    assert ws.cell(i12, col["永济市"]).number_format == "General"  # "0.##" shows 3 as "3." in Excel
    assert [ws.cell(i28, col[c]).value for c in ("永济市", "临猗县", "万荣县")] == [3, 0, 3]
    assert [ws.cell(i13, col[c]).value for c in ("永济市", "临猗县", "万荣县")] == [3, 3, 2]
    assert ws.cell(i12, col["临猗县"]).fill.fgColor.rgb.endswith("FFEB9C")  # 部分达标
    assert ws.cell(i28, col["临猗县"]).fill.fgColor.rgb.endswith("FFC7CE")  # 未达标
    assert ws.cell(i12, len(header) - 1).value == 3  # 失分县数: 临猗, 万荣 and 芮城 (nothing submitted)
    summary = {r[0]: r for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert set(summary) == {"永济市", "临猗县", "万荣县", "芮城县"}
    assert summary["永济市"][1] == 100 and summary["临猗县"][1] == 96 and summary["万荣县"][1] == 98
    assert summary["永济市"][5] == "合格" and summary["芮城县"][5] == "不合格"
    lost = list(wb["失分最多指标"].iter_rows(min_row=4, values_only=True))
    # ranked by points lost: I28 lost 3 in 临猗 and 3 in 芮城 (6, two counties); I12 1+1+3 (5, three)
    assert [(r[1], r[4], r[5]) for r in lost[:3]] == [(28, 2, 6), (12, 3, 5), (13, 2, 4)]
    excluded = list(wb["未纳入汇总"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1]) for r in excluded] == [("稷山县", 2023)]
    refs = {r[-1]: r for r in wb["全国参考值"].iter_rows(min_row=4, values_only=True) if r[0]}  # the hidden key
    assert (
        refs["national.online_retail_growth@2024"][-2] == "不一致"
        and refs["national.express_growth@2024"][-2] == "不一致"
    )
    assert refs["national.online_retail_growth@2024"][0] == "2024年全国网上零售额同比增速"  # in words
    issues = [r[2] for r in wb["问题清单"].iter_rows(min_row=4, values_only=True) if r[2]]
    assert any("稷山县按指标体系「2022」版、2023年度评分" in t for t in issues)
    assert "稷山县" in result.output


def test_rollup_summary_names_the_rule_each_failing_county_missed_and_keeps_ties(outputs, tmp_path):
    """The Word summary: every failing county with each rule it failed and by how much (the pass
    rule from the system data), and the weakest indicators by points lost, ties kept."""
    import docx

    out = tmp_path / "汇总"
    assert CliRunner().invoke(main, ["rollup", str(outputs / "各县上报"), "--out", str(out)]).exit_code == 0
    d = docx.Document(str(next(out.glob("*.docx"))))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "合格标准为总分不低于85分，且每个一级指标得分率不低于75%" in text
    # 芮城县 sent nothing: 0 of 100, every first level at 0 % — each rule said with its gap
    ruicheng = next(p.text for p in d.paragraphs if p.text.startswith("芮城县：总分"))
    assert ruicheng.startswith("芮城县：总分0分，低于85分（差85分）；促进发展得分率0%，低于75%（差15分）")
    assert "规范监管得分率0%，低于75%（差18.75分）" in ruicheng and ruicheng.endswith("（差11.25分）。")
    ranked = [p.text for p in d.paragraphs if p.text[:1].isdigit() and "合计失" in p.text]
    assert ranked[0].startswith("1.第28项") and "合计失6分" in ranked[0] and ranked[1].startswith("2.第12项")
    data = collect(outputs / "各县上报")
    table = data.most_lost()
    fifth = table["lost"].iloc[4]
    tied = int((table["lost"] >= fifth).sum())
    assert tied > 5 and len(ranked) == tied  # every indicator tied with the fifth is kept


def test_rollup_reads_breakdown_like_scores(outputs):
    data = collect(outputs / "各县上报")
    ruicheng = next(c for c in data.counties if c.county == "芮城县")
    doc = json.loads((outputs / "芮城县结果" / "scores.json").read_text("utf-8"))
    assert ruicheng.kind == "breakdown" and ruicheng.version == "2022" and ruicheng.year == 2024
    assert float(ruicheng.total) == doc["total"]
    assert [float(i["score"]) for i in ruicheng.indicators] == [i["score"] for i in doc["indicators"]]
    assert [f["rate"] for f in ruicheng.first_level] == [f["rate"] for f in doc["first_level"]]


@pytest.mark.slow  # LibreOffice
def test_rollup_documents_open_in_libreoffice(outputs, tmp_path):
    out = tmp_path / "汇总"
    result = CliRunner().invoke(main, ["rollup", str(outputs / "各县上报"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pdfs = to_pdf(sorted(out.iterdir()), tmp_path)
    texts = [pdf_text(p) for p in pdfs]
    assert any("临猗县" in t and "稷山县" in t for t in texts)
    assert any("运城市各县（市、区）创建全国网络市场" in t for t in texts)


def test_rollup_of_an_empty_folder_is_a_clear_error(tmp_path):
    (tmp_path / "空").mkdir()
    result = CliRunner().invoke(main, ["rollup", str(tmp_path / "空"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "没有可汇总的评分结果" in result.output


def test_rollup_findings_are_issues(outputs, tmp_path):
    inbox = tmp_path / "各县"
    for name in ("永济市", "临猗县"):
        (inbox / name).mkdir(parents=True)
        (inbox / name / "scores.json").write_bytes((outputs / "各县上报" / name / "scores.json").read_bytes())
    again = json.loads((inbox / "临猗县" / "scores.json").read_text("utf-8"))
    again["generated_at"] = "2099-01-01T00:00:00"
    (inbox / "临猗县再报").mkdir()
    (inbox / "临猗县再报" / "scores.json").write_text(json.dumps(again, ensure_ascii=False), "utf-8")
    old = dict(again, generated_at="")
    old.pop("county")
    (inbox / "老版本").mkdir()
    (inbox / "老版本" / "scores.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    (inbox / "坏.json").write_text("{", "utf-8")
    (inbox / "其他.json").write_text("[1, 2]", "utf-8")
    (inbox / "芮城县").mkdir()
    breakdown = next((outputs / "芮城县结果").glob("*任务分解表*.xlsx"))
    wb = openpyxl.load_workbook(breakdown)
    ws = wb["评分汇总"]
    for row in ws.iter_rows():
        if row[0].value == "指标体系":
            row[1].value = None
            row[0].value = None
    for row in wb["_meta"].iter_rows():  # the version is kept in _meta since issue 19
        if row[0].value == "spec_version":
            row[1].value = None
    wb.save(inbox / "芮城县" / breakdown.name)
    data = collect(inbox)
    codes = {(i.code, i.file) for i in data.issues}
    assert ("rollup_duplicate", "临猗县/scores.json") in codes  # the 2099 one wins
    assert ("rollup_no_county", "老版本/scores.json") in codes
    assert ("rollup_unreadable", "坏.json") in codes and ("rollup_not_result", "其他.json") in codes
    assert ("rollup_version_unknown", f"芮城县/{breakdown.name}") in codes
    assert {c.county for c in data.counties} == {"永济市", "临猗县", "老版本", "芮城县"}
    assert next(c for c in data.counties if c.county == "临猗县").source == "临猗县再报/scores.json"
    assert not any(code == "rollup_other_system" for code, _ in codes)


def test_rollup_config_names_the_city_and_system_fixes_the_version(outputs, tmp_path):
    config = init_office(tmp_path / "市局", "洪洞县", prefecture="临汾市", from_yongji=True)
    result = CliRunner().invoke(
        main, ["rollup", str(outputs / "各县上报"), "--out", str(tmp_path / "out"), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "临汾市各县（市、区）自评汇总_2024.xlsx").is_file()
    data = collect(outputs / "各县上报")
    data.prefecture = ""
    from yongji_xls.rollup.write import output_names

    assert output_names(data)["workbook"] == "全市各县（市、区）自评汇总_2024.xlsx"
