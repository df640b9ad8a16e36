"""`templates --prefill`: a previous run's accepted values written into new templates.

Year Y → Y+1: the year-series figures both years ask for are prefilled (the unit's own only);
same year: a resubmission template holds everything the unit sent. A prefilled figure the unit
leaves untouched is read with provenance 「预填（来源…）」."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import CONTACT, fill_workbook, locate

from yongji_xls import api
from yongji_xls.cli import main
from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

STATS = {
    "online_retail@2022": 168000,
    "online_retail@2023": 189500,
    "online_retail@2024": 201800.5,
    "social_retail@2022": 1100000,
    "social_retail@2023": 1163000,
    "social_retail@2024": 1215000,
}
CROSS = {"online_retail@2023": 190000, "online_retail@2024": 203000}  # 市工科局 cross-checks


@pytest.fixture(scope="module")
def run_2024(spec, templates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pf-in")
    fill_workbook(templates["市统计局"], STATS, folder / "统计.xlsx", contact=CONTACT)
    fill_workbook(templates["市工科局（市商务局）"], CROSS, folder / "工科.xlsx", contact=CONTACT)
    fill_workbook(
        templates["市税务局"], {"total_tax": 10000, "ecommerce_tax": 600}, folder / "税务.xlsx", contact=CONTACT
    )
    out = tmp_path_factory.mktemp("pf-out")
    api.write_outputs(run(spec, folder, 2024), out)
    return out


def test_scores_json_carries_each_units_accepted_values(run_2024):
    doc = json.loads((run_2024 / "scores.json").read_text("utf-8"))
    stats = doc["values"]["市统计局"]
    assert stats["file"] == "统计.xlsx" and len(stats["sha256"]) == 64 and stats["year"] == 2024
    assert (
        stats["fields"]["online_retail@2024"]["value"] == "201800.5"
        and stats["fields"]["online_retail@2024"]["sheet"] == L.SHEET_DATA
    )
    assert doc["values"]["市工科局（市商务局）"]["fields"]["online_retail@2024"]["value"] == "203000"


def _value(path, key):
    wb = openpyxl.load_workbook(path)
    sheet, cell = locate(wb, key, L.H_VALUE)
    return wb[sheet][cell]


def test_next_year_templates_prefill_the_overlapping_series(spec, run_2024, tmp_path):
    r = CliRunner().invoke(
        main, ["templates", "--out", str(tmp_path / "tpl"), "--year", "2025", "--prefill", str(run_2024)]
    )
    assert r.exit_code == 0, r.output
    stats = next((tmp_path / "tpl").glob("*_市统计局_2025年度填报表.xlsx"))
    cell = _value(stats, "online_retail@2024")
    assert (
        cell.value == 201800.5
        and cell.fill.fgColor.rgb.endswith("DDEBF7")
        and "已预填" in cell.comment.text
        and "统计.xlsx" in cell.comment.text
    )
    assert _value(stats, "online_retail@2023").value == 189500 and _value(stats, "social_retail@2023").value == 1163000
    assert _value(stats, "online_retail@2025").value is None  # the new year is the unit's to fill
    assert not cell.protection.locked  # still editable
    cross = next((tmp_path / "tpl").glob("*_市工科局（市商务局）_2025年度填报表.xlsx"))
    assert _value(cross, "online_retail@2024").value == 203000  # its own figure, not the owner's
    tax = next((tmp_path / "tpl").glob("*_市税务局_2025年度填报表.xlsx"))
    assert _value(tax, "total_tax").value is None  # a stock of 2024 is not a 2025 figure
    # read back untouched: the unit's submission, with provenance 预填
    sub = read_workbook(spec, stats, stats.name, 2025)
    assert sub.number("online_retail@2024") == Decimal("201800.5") and "prefill:online_retail@2024" in sub.meta
    assert (
        "预填" in sub.values["online_retail@2024"].source.origin
        and "2024年度" in sub.values["online_retail@2024"].source.origin
    )
    assert not [i for i in sub.issues if i.severity != "info" and i.code != "value_blank_needed"]  # 2025: the unit's


def test_a_changed_prefilled_figure_is_the_units_own(spec, run_2024, tmp_path):
    api.write_templates(tmp_path / "tpl", spec=spec, year=2025, units=["市统计局"], prefill=run_2024 / "scores.json")
    path = next((tmp_path / "tpl").glob("*.xlsx"))
    fill_workbook(path, {"online_retail@2024": 202000, "online_retail@2025": 230000}, contact=CONTACT)
    sub = read_workbook(spec, path, path.name, 2025)
    assert sub.values["online_retail@2024"].source.origin == "" and sub.values["online_retail@2025"].source.origin == ""
    assert sub.values["online_retail@2023"].source.origin.startswith("预填")
    folder = tmp_path / "in"
    folder.mkdir()
    path.rename(folder / path.name)
    result = run(spec, folder, 2025)
    raw = next(m for m in result.merged if m.key == "online_retail@2023")
    assert "预填" in str(raw.source) and raw.value == 189500


def test_resubmission_template_for_one_unit_holds_everything_it_sent(spec, run_2024, tmp_path):
    paths = api.write_templates(tmp_path / "tpl", spec=spec, year=2024, units=["市税务局"], prefill=run_2024)
    assert len(paths) == 1
    sub = read_workbook(spec, paths[0], paths[0].name, 2024)
    assert sub.number("total_tax") == 10000 and sub.number("ecommerce_tax") == 600
    assert sub.meta["round"] == "2" and "prefill_source" in sub.meta
    assert sub.contact == {k: v for k, v in CONTACT.items() if k != "填报日期"}  # the date is left to the unit


def test_prefill_from_a_folder_without_scores_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(main, ["templates", "--out", str(tmp_path / "tpl"), "--prefill", str(tmp_path / "empty")])
    assert r.exit_code == 2 and "无法读取预填来源" in r.output
    (tmp_path / "old.json").write_text('{"year": 2024, "total": 50}', "utf-8")
    r = CliRunner().invoke(main, ["templates", "--out", str(tmp_path / "tpl"), "--prefill", str(tmp_path / "old.json")])
    assert r.exit_code == 2 and "没有已采用的填报数据" in r.output
