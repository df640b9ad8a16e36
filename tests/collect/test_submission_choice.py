"""Which file of a unit is its submission (DESIGN.md §4): the latest 填报日期 first; only when the
dates tie or one is missing, the feedback round, then 终稿/定稿/正式 over 初稿/草稿, then file time."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import CONTACT
from returned import TAX, tax_file

from yongji_xls.collect.merge import pick_files
from yongji_xls.collect.run import run
from yongji_xls.records import Submission
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

UNIT = "市税务局"


def _file(name: str, date: str = "", round: int = 1, mtime: float = 0.0) -> Submission:
    return Submission(name, Path(name), unit=UNIT, contact={"填报日期": date} if date else {}, round=round, mtime=mtime)


@pytest.mark.parametrize("order", ["later first", "later second"])
def test_the_later_filled_date_wins_over_a_higher_round(order):
    later = _file("a.xlsx", "2025-01-25", round=1)
    earlier = _file("b.xlsx", "2025-01-20", round=3)  # a feedback workbook sent back before the date above
    files = [later, earlier] if order == "later first" else [earlier, later]
    chosen, issues = pick_files(files)
    assert chosen[UNIT] is later and not earlier.used
    [dup] = issues
    assert dup.code == "duplicate_submission" and "填报日期较晚（2025-01-25）" in dup.message


def test_the_round_decides_when_the_dates_tie():
    first, sent_back = _file("a.xlsx", "2025-01-25", round=1), _file("b.xlsx", "2025-01-25", round=2)
    chosen, issues = pick_files([first, sent_back])
    assert chosen[UNIT] is sent_back and "轮次较高" in issues[0].message


@pytest.mark.parametrize(
    "a, b, winner, rule",
    [
        (_file("税务局终稿.xlsx", mtime=1.0), _file("税务局初稿.xlsx", mtime=2.0), 0, "终稿"),
        (_file("税务局.xlsx", mtime=1.0), _file("税务局草稿.xlsx", mtime=2.0), 0, "草稿"),
        (_file("x.xlsx", mtime=1.0), _file("y.xlsx", mtime=2.0), 1, "文件修改时间较新"),
        (_file("x.xlsx", "2025-01-25", mtime=2.0), _file("y.xlsx", mtime=1.0), 0, "填报日期缺失，文件修改时间较新"),
    ],
)
def test_without_dates_the_stated_rule_decides(a, b, winner, rule):
    chosen, issues = pick_files([a, b])
    assert chosen[UNIT] is (a, b)[winner] and rule in issues[0].message


YEAR = 2024


def _codes(sub, code):
    return [i for i in sub.issues if i.code == code]


def _two_files(templates, folder, first: dict, second: dict, names=("a.xlsx", "b.xlsx")):
    a = tax_file(
        templates, folder / names[0], {"total_tax": 10000}, contact={**CONTACT, **first.pop("contact", {})}, **first
    )
    b = tax_file(
        templates, folder / names[1], {"total_tax": 20000}, contact={**CONTACT, **second.pop("contact", {})}, **second
    )
    return a, b


@pytest.mark.parametrize(
    "typed",
    [
        "2025-01-20",
        "2025/1/20",
        "2025.1.20",
        "2025年1月20日",
        "1月20日",
        "1月20号",
        45677,
        "45677",
        "20250120",
        "2025-1-20 10:30",
    ],
)
def test_filled_date_in_the_forms_people_type(spec, templates, tmp_path, typed):
    path = tax_file(templates, tmp_path / "税务局.xlsx", contact={**CONTACT, "填报日期": typed})
    sub = read_workbook(spec, path, path.name, YEAR)
    assert sub.filled_date == "2025-01-20" and not _codes(sub, "filled_date_bad")


def test_unreadable_filled_date_is_a_warning_and_not_used(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", contact={**CONTACT, "填报日期": "下周一"})
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "filled_date_bad")
    assert warn.sheet == L.SHEET_INSTRUCTIONS and warn.cell and warn.value == "下周一" and sub.filled_date == ""


@pytest.mark.parametrize(
    "first, second, names, winner, rule",
    [
        ({"contact": {"填报日期": "2025-01-25"}}, {}, ("a.xlsx", "b.xlsx"), "a.xlsx", "填报日期较晚"),
        ({"cells": {"_meta": {"A40": "round", "B40": 2}}}, {}, ("a.xlsx", "b.xlsx"), "a.xlsx", "轮次较高"),
        ({}, {}, ("税务局终稿.xlsx", "税务局初稿.xlsx"), "税务局终稿.xlsx", "终稿"),
        ({"contact": {"填报日期": None}}, {}, ("税务局草稿.xlsx", "税务局.xlsx"), "税务局.xlsx", "缺失"),
    ],
)
def test_files_of_one_unit_ordered_by_the_stated_rule(spec, templates, tmp_path, first, second, names, winner, rule):
    folder = tmp_path / "in"
    folder.mkdir()
    _two_files(templates, folder, first, second, names)
    result = run(spec, folder, YEAR)
    used = result.unit_status(TAX).used_file
    assert used == winner
    [dup] = [i for i in result.report if i.code == "duplicate_submission"]
    assert dup.file != winner and rule in dup.message and all(f"「{n}」" in dup.message for n in names)
    assert result.values["total_tax"] == (Decimal(10000) if winner == names[0] else Decimal(20000))


def test_round_read_from_meta(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "税务局.xlsx", cells={"_meta": {"A40": "round", "B40": 3}})
    assert read_workbook(spec, path, path.name, YEAR).round == 3
    assert read_workbook(spec, tax_file(templates, tmp_path / "b.xlsx"), "b.xlsx", YEAR).round == 1


def test_file_named_after_another_unit(spec, templates, tmp_path):
    path = tax_file(templates, tmp_path / "城西街道报送表.xlsx")
    sub = read_workbook(spec, path, path.name, YEAR)
    [warn] = _codes(sub, "file_name_other_unit")
    assert "城西街道" in warn.message and TAX in warn.message
    own = tax_file(templates, tmp_path / "市税务局_2024年度填报表.xlsx")
    assert not _codes(read_workbook(spec, own, own.name, YEAR), "file_name_other_unit")
