"""Indicator systems of two levels (groups → scored indicators), the shape of SAMR's 2026 rules,
through the shipped example ``docs/examples/两级指标体系示例.xlsx``: loading, exporting, scoring a
card computed by hand (``score --values`` and the Excel round trip), and every output following."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import CONTACT, fill_workbook

from yongji_xls import api
from yongji_xls.cli import main
from yongji_xls.system.load import build_spec
from yongji_xls.system.shares import all_shares
from yongji_xls.workbook import layout as L

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "两级指标体系示例.xlsx"
YEAR = 2024

# The card, worked out by hand against the example's texts (national figures: 2023 +11.0 %, 2024 +7.2 %):
#   I01 2023: 112/100-1 = 12 % > 11.0 → 5; 2024: 118/112-1 = 5.36 % < 7.2 → 0           =  5 / 10
#   I02 15/100 = 15 %, the band's upper bound (以上含本数) → 10                             = 10 / 10
#   I03 是, 说明 and material → 5                                                           =  5 / 5
#   I04 41 users against 50 % × 82 staff = 41: not 超过 → 0; 100/100 处置 → 5; 是 without material → 0 =  5 / 15
#   I05 19/20 = 95 %: not 大于95% → 0; no assigned cases: 视同达标 → 5; 衔接机制 是 → 5     = 10 / 15
#   I06 960/1000 = 96 % and 951/1000 = 95.1 %, both > 95 % → 10                            = 10 / 10
#   I07 是, 否 (with its reason), 是 → 5 + 0 + 5                                            = 10 / 15
#   I08 是 → 10                                                                             = 10 / 10
#   I09 one 省部级 report, none 国家级 → 4                                                  =  4 / 10
# total 69; 促进发展 20/25 = 80 % (at the 80 % line: passes), 规范监管 15/30 = 50 %, 优化服务 20/25 = 80 %,
# 综合保障 14/20 = 70 %; total < 85 and two groups below 80 %: not passed.
FIGURES = {
    "online_retail@2022": 100,
    "online_retail@2023": 112,
    "online_retail@2024": 118,
    "online_operators": 15,
    "market_entities": 100,
    "platform_users": 41,
    "regulatory_staff": 82,
    "claims_distributed": 100,
    "claims_processed": 100,
    "leads_total": 20,
    "leads_checked_on_time": 19,
    "assigned_total": 0,
    "assigned_handled_timely": 0,
    "assigned_completed": 0,
    "complaints_total": 1000,
    "complaints_initial_on_time": 960,
    "complaints_closed_on_time": 951,
}
DONE = {"I03.1", "I04.3", "I05.3", "I07.1", "I07.3", "I08.1"}
NO_MATERIAL, NOT_DONE = "I04.3", ("I07.2", "本年度未开展掌上办理")
REPORT = {
    "报道标题": "网络市场监管创新做法",
    "媒体名称": "山西日报",
    "媒体级别": "省部级",
    "报道日期": dt.datetime(2024, 5, 6),
}
EXPECTED = {"I01": 5, "I02": 10, "I03": 5, "I04": 5, "I05": 10, "I06": 10, "I07": 10, "I08": 10, "I09": 4}
LEVELS = {"促进发展": (20, 25), "规范监管": (15, 30), "优化服务": (20, 25), "综合保障": (14, 20)}


@pytest.fixture(scope="module")
def spec():
    return api.load_system(EXAMPLE)


def _script():
    path = ROOT / "scripts" / "make_two_level_example.py"
    module = importlib.util.spec_from_file_location("make_two_level_example", path)
    loaded = importlib.util.module_from_spec(module)
    module.loader.exec_module(loaded)
    return loaded


def test_the_example_is_a_marked_two_level_system(spec):
    assert spec.levels == 2 and spec.second_levels == () and spec.indicator_level == "二级指标"
    assert spec.level_names == ("一级指标", "二级指标")
    assert "示例" in spec.title and "非官方" in spec.title and "示例" in spec.version and "示例" in spec.basis
    assert [(f.name, f.points, f.second) for f in spec.first_levels] == [
        ("促进发展", 25, ()),
        ("规范监管", 30, ()),
        ("优化服务", 25, ()),
        ("综合保障", 20, ()),
    ]
    assert {f.name: f.indicators for f in spec.first_levels}["规范监管"] == ("I04", "I05")
    assert all(i.second == "" for i in spec.indicators) and spec.pass_rule.first_level_rate_min == 80
    with zipfile.ZipFile(EXAMPLE) as z:
        names = z.read("xl/workbook.xml").decode("utf-8")
    assert 'name="一级指标"' in names and 'name="二级指标"' in names and "三级指标" not in names


def test_the_shipped_example_is_what_its_script_makes_from_the_small_yaml(spec, tmp_path):
    script = _script()
    assert build_spec(script.example_raw()) == spec
    fresh = script.main(tmp_path / "再生成.xlsx")
    assert api.load_system(fresh) == spec


def test_system_export_of_the_example_round_trips_equal(spec, tmp_path):
    out = tmp_path / "导出.xlsx"
    r = CliRunner().invoke(main, ["system", "export", "--system", str(EXAMPLE), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert api.load_system(out) == spec


def _values_json(tmp_path: Path) -> Path:
    values: dict[str, object] = dict(FIGURES)
    for key in DONE:
        material = [] if key == NO_MATERIAL else [f"{key}材料.pdf"]
        values[key] = {"done": True, "note": f"{key}已完成", "evidence": material}
    values[NOT_DONE[0]] = {"done": False, "note": NOT_DONE[1], "evidence": []}
    values["I09"] = [{**REPORT, "报道日期": "2024-05-06"}]
    path = tmp_path / "values.json"
    path.write_text(json.dumps({"year": YEAR, "region": "中部", "values": values}, ensure_ascii=False), "utf-8")
    return path


def _check_card(doc: dict) -> None:
    assert doc["total"] == 69 and doc["max"] == 100 and doc["passed"] is False
    assert {i["key"]: i["score"] for i in doc["indicators"]} == EXPECTED
    assert [(f["name"], f["score"], f["max"], f["passed"]) for f in doc["first_level"]] == [
        (name, s, m, Fraction(s, m) >= Fraction(4, 5)) for name, (s, m) in LEVELS.items()
    ]
    assert doc["first_level"][0]["passed"] is True and doc["first_level"][0]["rate"] == 80.0  # at the line
    assert doc["second_level"] == []  # documented: a two-level system has none
    assert doc["system"]["levels"] == 2
    assert doc["pass_rule"]["total_ok"] is False and doc["pass_rule"]["first_level_ok"] is False
    i04 = next(i for i in doc["indicators"] if i["key"] == "I04")
    assert [c["status"] for c in i04["criteria"]] == ["not_met", "met", "no_evidence"]


def test_score_values_gives_the_hand_computed_card(tmp_path):
    out = tmp_path / "scores.json"
    args = ["score", "--values", str(_values_json(tmp_path)), "--out", str(out), "--system", str(EXAMPLE)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    _check_card(json.loads(out.read_text("utf-8")))


def _fill_unit(share, spec) -> dict[str, object]:
    """What this unit types: its figures, and the answers of the indicators it leads."""
    values: dict[str, object] = {req.key: FIGURES[req.key] for req in share.fields}
    for c in share.criteria:
        if spec.indicator(c.indicator).units[0] != share.unit:
            continue
        if c.key in DONE:
            material = "" if c.key == NO_MATERIAL else f"{c.key}材料.pdf"
            values[c.key] = {L.H_DONE: "是", L.H_NOTE: f"{c.key}已完成", L.H_EVIDENCE: material}
        elif c.key == NOT_DONE[0]:
            values[c.key] = {L.H_DONE: "否", L.H_NOTE: NOT_DONE[1], L.H_EVIDENCE: ""}
    for ls in share.lists:
        values[ls.key] = [REPORT] if share.unit == "市融媒体中心" else []
    return values


def test_the_excel_round_trip_gives_the_same_card_and_outputs_follow_two_levels(spec, tmp_path):
    templates = api.write_templates(tmp_path / "模板", spec=spec)
    shares = all_shares(spec, YEAR)
    assert len(templates) == len(shares)
    (tmp_path / "报送").mkdir()
    for share, template in zip(shares.values(), templates):
        fill_workbook(template, _fill_unit(share, spec), tmp_path / "报送" / template.name, contact=CONTACT)
    result = api.run(tmp_path / "报送", spec=spec)
    written = api.write_outputs(result, tmp_path / "结果")
    doc = json.loads(written.paths["scores"].read_text("utf-8"))
    _check_card(doc)

    texts = {name: _texts(path) for name, path in written.paths.items() if name in ("breakdown", "report", "brief")}
    for name, text in texts.items():
        assert "三级指标" not in text, name  # a two-level system's indicators are its 二级指标
    assert "对照9项二级指标" in texts["report"] and "二级指标得分" not in texts["report"]
    assert "二级指标自评得分明细" in texts["report"]  # 附件1's title
    template_text = _texts(templates[0])
    assert "三级指标" not in template_text and "二级指标" in template_text


def _texts(path: Path) -> str:
    """Every text part of an Office file (shared strings, sheets, document body)."""
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_the_rollup_of_a_two_level_system_names_its_indicators_as_the_system_does(tmp_path):
    out = tmp_path / "各县上报" / "永济市"
    out.mkdir(parents=True)
    args = [
        "score",
        "--values",
        str(_values_json(tmp_path)),
        "--out",
        str(out / "scores.json"),
        "--system",
        str(EXAMPLE),
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    r = CliRunner().invoke(main, ["rollup", str(tmp_path / "各县上报"), "--out", str(tmp_path / "汇总")])
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(next((tmp_path / "汇总").glob("*.xlsx")))
    ws = book["指标得分"]
    assert ws["A1"].value == "各县（市、区）二级指标得分（2024年度）" and ws["C3"].value == "二级指标"
    assert [c.value for c in book["失分最多指标"][3]][2] == "二级指标"
    assert ws.max_row - 3 >= 9 and ws["C4"].value == "网上零售额同比增速"
