"""Issue 20 §3 and §6: an untouched template is 未填写, a blank needed cell is named, a 公文 date
is read, and only a unit's file gets a feedback workbook."""

from __future__ import annotations

import shutil

import pytest
from helpers import CONTACT, fill_workbook, make_workbook, write_outputs
from returned import cell_at

from yongji_xls import api
from yongji_xls.collect.run import run
from yongji_xls.issues import Status, UnitState
from yongji_xls.values.parse import parse_date

STATS = "市统计局"
TAX = "市税务局"


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("二〇二五年一月二十日", "2025-01-20"),
        ("二零二五年十二月三十一日", "2025-12-31"),
        ("二〇二五年元月", "2025-01-01"),
        ("２０２５年１月２０日", "2025-01-20"),
        ("２０２５－０１－２０", "2025-01-20"),
    ],
)
def test_a_date_in_chinese_numerals_or_full_width_digits_is_read(typed, iso):
    assert parse_date(typed).value.isoformat() == iso


@pytest.mark.parametrize("typed", ["二〇二五年十三月一日", "二〇二五年一月三十二日"])
def test_an_impossible_date_in_chinese_numerals_is_refused_as_typed(typed):
    p = parse_date(typed)
    assert (p.error, p.shown) == ("value_bad_date", typed)


def test_untouched_templates_are_unfilled_counted_for_reminders_and_named(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for unit in (TAX, "市人社局"):
        shutil.copy(templates[unit], folder / templates[unit].name)
    fill_workbook(templates[STATS], {"online_retail@2024": 1000}, folder / "统计局.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    states = {u.unit: u.state for u in result.units}
    assert (states[TAX], states["市人社局"], states[STATS]) == (
        UnitState.UNFILLED,
        UnitState.UNFILLED,
        UnitState.SUBMITTED,
    )
    assert {u.unit for u in result.missing_units} >= {TAX, "市人社局"}
    unfilled = [(i.file, i.unit) for i in result.report if i.code == "file_unfilled"]
    assert sorted(unfilled) == sorted([(templates[TAX].name, TAX), (templates["市人社局"].name, "市人社局")])
    reminders = api.reminders(result)
    assert "没有填写任何内容" in reminders[TAX] and STATS not in reminders
    summary = api.run_summary_lines(result)[0]
    assert "已报送1个" in summary and "其中未填写2个" in summary


def test_a_filled_file_beats_an_untouched_template_of_the_same_unit_whatever_the_dates(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(templates[TAX], {"ecommerce_tax": 600, "total_tax": 10000}, folder / "税务局.xlsx", contact=CONTACT)
    fill_workbook(templates[TAX], {}, folder / "税务局_空白.xlsx", contact={**CONTACT, "填报日期": "2025-03-01"})
    result = run(spec, folder, 2024)
    assert result.unit_status(TAX).used_file == "税务局.xlsx"
    assert result.unit_status(TAX).state == UnitState.SUBMITTED


def test_a_blank_cell_a_scored_item_needs_is_named_and_the_unit_gets_its_feedback(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    values = {
        "online_retail@2022": 150000,
        "online_retail@2023": 200000,
        "online_retail@2024": 230000,
        "social_retail@2023": 540000,
        "social_retail@2024": 560000,
    }  # 社零 2022 left blank: I02's 2023 growth cannot be computed
    path = fill_workbook(templates[STATS], values, folder / "统计局.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    blank = [(i.sheet, i.cell, i.key) for i in result.report if i.code == "value_blank_needed"]
    assert (*cell_at(path, "social_retail@2022", "填报值"), "social_retail@2022") in blank
    growth = {c.key: c for i in result.card.indicators if i.key == "I02" for c in i.criteria}
    assert (growth["I02@2023"].score, growth["I02@2023"].status) == (0, Status.MISSING)
    written = write_outputs(result, tmp_path / "out")
    assert written["统计局.xlsx"].name == f"{STATS}_问题反馈.xlsx"


def test_a_file_that_is_no_units_submission_gets_its_issue_and_no_feedback_workbook(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_workbook(folder / "别人的表.xlsx", {"Sheet1": [["名称", "数量"], ["甲", 1]]})
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04 truncated")
    fill_workbook(
        templates[TAX], {"ecommerce_tax": "约600", "total_tax": 10000}, folder / "税务局.xlsx", contact=CONTACT
    )
    result = run(spec, folder, 2024)
    codes = {(i.file, i.code) for i in result.report}
    assert {("别人的表.xlsx", "meta_missing"), ("坏文件.xlsx", "file_corrupt")} <= codes
    out = tmp_path / "out"
    written = write_outputs(result, out)
    assert sorted(p.name for p in (out / "反馈").iterdir()) == [f"{TAX}_问题反馈.xlsx"]
    assert "别人的表.xlsx" not in written and "坏文件.xlsx" not in written


def test_the_file_dated_in_chinese_numerals_is_the_newer_one(spec, templates, tmp_path):
    """「二〇二五年一月二十日」 was not read: the older file won and the message said the date was missing."""
    folder = tmp_path / "in"
    folder.mkdir()
    old = {**CONTACT, "填报日期": "2025-01-10"}
    new = {**CONTACT, "填报日期": "二〇二五年一月二十日"}
    fill_workbook(templates[TAX], {"ecommerce_tax": 600, "total_tax": 10000}, folder / "税务局_a.xlsx", contact=new)
    fill_workbook(templates[TAX], {"ecommerce_tax": 100, "total_tax": 10000}, folder / "税务局_b.xlsx", contact=old)
    result = run(spec, folder, 2024)
    assert result.unit_status(TAX).used_file == "税务局_a.xlsx"
    assert not [i for i in result.report if i.code == "filled_date_bad"]
    [dup] = [i for i in result.report if i.code == "duplicate_submission"]
    assert dup.file == "税务局_b.xlsx" and "填报日期较晚（2025-01-20）" in dup.message
