"""Which file of a unit is its submission (DESIGN.md §4): the latest 填报日期 first; only when the
dates tie or one is missing, the feedback round, then 终稿/定稿/正式 over 初稿/草稿, then file time."""

from __future__ import annotations

from pathlib import Path

import pytest

from yongji_xls.collect.merge import pick_files
from yongji_xls.records import Submission

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
