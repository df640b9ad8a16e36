"""`yongji-xls score` and `yongji-xls spec` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from scenarios import full_values

from yongji_xls.cli import main


def _write(tmp_path, values, year=2024, region="中部"):
    f = tmp_path / "values.json"
    f.write_text(json.dumps({"year": year, "region": region, "values": values}, ensure_ascii=False), "utf-8")
    return f


def test_score_writes_contract_fields(tmp_path):
    out = tmp_path / "scores.json"
    r = CliRunner().invoke(main, ["score", "--values", str(_write(tmp_path, full_values())), "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text("utf-8"))
    for k in ("year", "total", "max", "passed", "first_level", "second_level", "indicators", "missing_units", "issues"):
        assert k in doc
    assert doc["total"] == 100 and doc["max"] == 100 and doc["passed"] is True and doc["year"] == 2024
    assert [f["name"] for f in doc["first_level"]] == ["促进发展", "规范监管", "优化服务", "探索创新", "综合保障"]
    assert doc["first_level"][0] == {"name": "促进发展", "score": 20, "max": 20, "rate": 100.0, "passed": True}
    assert len(doc["second_level"]) == 10 and len(doc["indicators"]) == 41
    i11 = doc["indicators"][10]
    assert i11["no"] == 11 and i11["name"] == "强化智慧监管" and i11["status"] == "met"
    assert [c["key"] for c in i11["criteria"]] == ["I11.1", "I11.2", "I11.3"]
    assert {"key", "score", "status", "reason"} <= set(i11["criteria"][0])
    assert "100分" in r.output and "达到合格标准" in r.output


def test_score_bad_values_are_reported_by_key(tmp_path):
    v = full_values()
    v["leads_total"] = -3
    v["online_operators"] = "约3000"
    v["market_entities"] = "10,000"
    v["supervisors_total"] = 2.5
    v["I12.1"] = "yes"
    v["bogus_key"] = 5
    out = tmp_path / "scores.json"
    r = CliRunner().invoke(main, ["score", "--values", str(_write(tmp_path, v)), "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text("utf-8"))
    by_key = {i["key"]: i for i in doc["issues"]}
    assert by_key["leads_total"]["code"] == "value_negative"
    assert by_key["online_operators"]["code"] == "value_ambiguous"
    assert by_key["supervisors_total"]["code"] == "value_not_integer"
    assert by_key["I12.1"]["code"] == "value_bad_type"
    assert by_key["bogus_key"]["code"] == "value_unknown_key" and by_key["bogus_key"]["severity"] == "warning"
    assert "market_entities" not in by_key  # "10,000" is a plain number
    i03 = doc["indicators"][2]
    assert i03["status"] == "missing" and "网络交易经营者数量" in i03["reason"]
    assert "Traceback" not in r.output
    said = [line for line in r.output.splitlines() if "bogus_key" in line]
    assert said and said[0].startswith("［警告］文件「values.json」："), said  # the file, then the key in the message
    assert "[warning]" not in r.output and "[error]" not in r.output and "［错误］" in r.output


def test_score_bad_json_is_a_message(tmp_path):
    f = tmp_path / "v.json"
    f.write_text('{"year": 2024, "values": {', "utf-8")
    r = CliRunner().invoke(main, ["score", "--values", str(f), "--out", str(tmp_path / "s.json")])
    assert r.exit_code != 0 and "不是有效的JSON" in r.output and "第1行" in r.output
    assert not (tmp_path / "s.json").exists()
    f.write_text("[1, 2]", "utf-8")
    r = CliRunner().invoke(main, ["score", "--values", str(f), "--out", str(tmp_path / "s.json")])
    assert r.exit_code != 0 and "values" in r.output
    r = CliRunner().invoke(main, ["score", "--values", str(tmp_path / "nope.json"), "--out", str(tmp_path / "s.json")])
    assert r.exit_code != 0 and "无法读取数据文件" in r.output


def test_score_reference_file(tmp_path):
    v = {"mediations_success": 45, "mediations_total": 50}
    ref = tmp_path / "ref.yaml"
    ref.write_text("national.mediation_success_rate@2024: 89.9\n", "utf-8")
    out = tmp_path / "s.json"
    r = CliRunner().invoke(
        main, ["score", "--values", str(_write(tmp_path, v)), "--out", str(out), "--reference", str(ref)]
    )
    assert r.exit_code == 0, r.output
    crit = {c["key"]: c for i in json.loads(out.read_text("utf-8"))["indicators"] for c in i["criteria"]}
    assert crit["I25.2"]["score"] == 1 and crit["I25.2"]["status"] == "met"
    ref.write_text("national.mediation_success_rate@2024: 90\n", "utf-8")
    CliRunner().invoke(
        main, ["score", "--values", str(_write(tmp_path, v)), "--out", str(out), "--reference", str(ref)]
    )
    crit = {c["key"]: c for i in json.loads(out.read_text("utf-8"))["indicators"] for c in i["criteria"]}
    assert crit["I25.2"]["score"] == 0


def test_score_region_and_year_from_file(tmp_path):
    rows = [{"企业名称": "甲", "统一社会信用代码": "A", "达标年度": 2024, "年度电子商务销售额（万元）": 15000}]
    out = tmp_path / "s.json"
    CliRunner().invoke(
        main, ["score", "--values", str(_write(tmp_path, {"I04": rows}, region="东部")), "--out", str(out)]
    )
    assert json.loads(out.read_text("utf-8"))["indicators"][3]["score"] == 0
    CliRunner().invoke(
        main, ["score", "--values", str(_write(tmp_path, {"I04": rows}, region="中部")), "--out", str(out)]
    )
    assert json.loads(out.read_text("utf-8"))["indicators"][3]["score"] == 1


def test_score_unknown_region_in_file_is_a_message(tmp_path):
    out = tmp_path / "s.json"
    r = CliRunner().invoke(main, ["score", "--values", str(_write(tmp_path, {}, region="北部")), "--out", str(out)])
    assert r.exit_code != 0 and "数据文件中的地区「北部」无效，应为：东部、中部、西部" in r.output
    assert "Traceback" not in r.output and not out.exists()


def test_spec_command_table_and_json():
    r = CliRunner().invoke(main, ["spec"])
    assert r.exit_code == 0 and "I41" in r.output and "强化普法、宣传，营造良好社会氛围" in r.output
    r = CliRunner().invoke(main, ["spec", "--format", "json"])
    doc = json.loads(r.output)
    assert len(doc["indicators"]) == 41 and doc["max_points"] == 100 and len(doc["tasks"]) == 21


def test_python_m_entry_point():
    r = subprocess.run(
        [sys.executable, "-m", "yongji_xls", "--help"], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert r.returncode == 0 and "score" in r.stdout and "spec" in r.stdout


def test_every_command_has_help():
    for name, cmd in main.commands.items():
        assert cmd.help and any("\u4e00" <= ch <= "\u9fff" for ch in cmd.help), name
