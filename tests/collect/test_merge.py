"""Merging submissions: owners win, conflicts reported, duplicates resolved, absences costed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from yongji_xls.collect.merge import merge, pick_files, unit_statuses
from yongji_xls.records import Entry, Submission
from yongji_xls.scoring.engine import score
from yongji_xls.system.load import load_spec
from yongji_xls.values.types import Answer, ListRow, Source


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def sub(unit, file, values=None, date="2025-01-10", mtime=0.0, digest="", answers=None, lists=None):
    s = Submission(
        file=file, path=Path(file), unit=unit, year=2024, contact={"填报日期": date}, mtime=mtime, digest=digest or file
    )
    for n, (k, v) in enumerate((values or {}).items(), 5):
        s.values[k] = Entry(k, Decimal(str(v)), Source(file, "数据填报", f"F{n}", unit))
    for k, a in (answers or {}).items():
        s.answers[k] = a
    for k, rows in (lists or {}).items():
        s.lists[k] = [ListRow(r, unit, Source(file, f"清单{k}", f"B{n}", unit)) for n, r in enumerate(rows, 3)]
    return s


def test_owner_is_authoritative_and_conflict_reported(spec):
    subs = [
        sub("市统计局", "统计局.xlsx", {"online_retail@2024": 120000}),
        sub("市工科局（市商务局）", "商务.xlsx", {"online_retail@2024": 125000, "online_retail@2023": 100000}),
    ]
    m = merge(spec, subs)
    assert m.values["online_retail@2024"] == Decimal(120000)
    assert m.values["online_retail@2023"] == Decimal(100000)  # owner silent: cross-check figure used
    prov = {v.key: v for v in m.merged}
    assert (
        prov["online_retail@2023"].unit == "市工科局（市商务局）"
        and prov["online_retail@2024"].source.file == "统计局.xlsx"
    )
    assert len(m.conflicts) == 1
    c = m.conflicts[0]
    assert (c.owner, c.other, c.owner_value, c.other_value) == (
        "市统计局",
        "市工科局（市商务局）",
        Decimal(120000),
        Decimal(125000),
    )
    conflict = next(i for i in m.issues if i.code == "conflict")
    assert (
        conflict.file == "商务.xlsx"
        and conflict.cell == "F5"
        and "120000" in conflict.message
        and "125000" in conflict.message
    )


def test_cross_check_figure_used_for_a_blank_owner_is_flagged_and_named_in_the_reason(spec):
    subs = [
        sub("市统计局", "统计局.xlsx", {"online_retail@2024": 120000, "online_retail@2022": 90000}),
        sub("市工科局（市商务局）", "商务.xlsx", {"online_retail@2023": 100000}),
    ]
    m = merge(spec, subs)
    assert m.substituted == {"online_retail@2023": "市工科局（市商务局）"}
    flag = next(i for i in m.issues if i.code == "value_from_cross_check")
    assert (flag.severity, flag.file, flag.cell, flag.key, flag.unit) == (
        "info",
        "商务.xlsx",
        "F5",
        "online_retail@2023",
        "市统计局",
    )
    assert "主责单位市统计局未填报" in flag.message and "市工科局（市商务局）" in flag.message
    card = score(spec, m.values, 2024, "中部", substitutes=m.substituted)
    by_key = {c.key: c for c in card.criteria()}
    note = "网上零售额（2023年）采用市工科局（市商务局）填报数（主责单位市统计局未填报）"
    assert note in by_key["I01@2024"].reason and note in by_key["I01@2023"].reason
    assert "采用" not in by_key["I06@2024"].reason  # I06@2024 reads only 2024 figures


def test_equal_cross_check_is_no_conflict(spec):
    m = merge(
        spec,
        [
            sub("市市场监管局", "a.xlsx", {"online_operators": 10}),
            sub("市审批服务管理局", "b.xlsx", {"online_operators": "10.0"}),
        ],
    )
    assert m.conflicts == []


def test_duplicates_newest_by_date_then_mtime(spec):
    old = sub("市税务局", "税务-旧.xlsx", {"total_tax": 1}, date="2025-01-01", mtime=9e9)
    new = sub("市税务局", "税务-新.xlsx", {"total_tax": 2}, date="2025-01-05", mtime=1)
    chosen, issues = pick_files([old, new])
    assert chosen["市税务局"] is new and not old.used
    assert (
        issues[0].code == "duplicate_submission"
        and issues[0].file == "税务-旧.xlsx"
        and "税务-新.xlsx" in issues[0].message
    )
    a = sub("市税务局", "a.xlsx", date="2025-01-05", mtime=1)
    b = sub("市税务局", "b.xlsx", date="2025-01-05", mtime=2)
    chosen, _ = pick_files([a, b])
    assert chosen["市税务局"] is b


def test_same_content_under_two_names(spec):
    a = sub("市税务局", "税务.xlsx", digest="x", mtime=1)
    b = sub("市税务局", "税务 - 副本.xlsx", digest="x", mtime=2)
    _, issues = pick_files([a, b])
    assert [i.code for i in issues] == ["duplicate_same_content"] and issues[0].file == "税务.xlsx"


def test_evidence_answers_of_every_unit_kept(spec):
    a = Answer(True, "说明", ("材料1",), "市发改局")
    b = Answer(False, "", (), "市教育局")
    m = merge(
        spec, [sub("市发改局", "fg.xlsx", answers={"I12.1": a}), sub("市教育局", "jy.xlsx", answers={"I12.1": b})]
    )
    assert m.answers["I12.1"] == [a, b] and m.values["I12.1"] == [a, b]
    assert score(spec, m.values).indicator("I12").criteria[0].score == 1


def test_lists_merged_and_deduplicated(spec):
    row = {"成果名称": "办法", "类别": "规范性文件", "文号或标准号": "永政发〔2024〕1号", "发布日期": None}
    row2 = {"成果名称": "标准", "类别": "标准", "文号或标准号": "T/YJ 1", "发布日期": None}
    m = merge(
        spec,
        [
            sub("市发改局", "fg.xlsx", lists={"I34": [row]}),
            sub("市教育局", "jy.xlsx", lists={"I34": [dict(row), row2]}),
        ],
    )
    assert [r.cells["成果名称"] for r in m.lists["I34"]] == ["办法", "标准"]
    dup = next(i for i in m.issues if i.code == "list_duplicate")
    assert dup.file == "jy.xlsx" and dup.cell == "B3"


def test_meta_error_files_are_not_used(spec):
    from yongji_xls.issues import issue

    bad = sub("市税务局", "x.xlsx", {"total_tax": 5})
    bad.issues.append(issue("meta_wrong_year", file="x.xlsx", value=2023, year=2024))
    m = merge(spec, [bad])
    assert "total_tax" not in m.values and not bad.used


def test_missing_units_cost(spec):
    subs = [sub("市统计局", "tj.xlsx", {f"online_retail@{y}": v for y, v in ((2022, 100), (2023, 120), (2024, 150))})]
    m = merge(spec, subs)
    card = score(spec, m.values)
    rows, issues = unit_statuses(spec, 2024, subs, m.used, card)
    by_unit = {r.unit: r for r in rows}
    assert len(rows) == 38
    assert by_unit["市统计局"].state == "已报送"
    tax = by_unit["市税务局"]
    assert tax.state == "未报送" and tax.points_at_stake >= 2 and "I08" in tax.items_at_stake
    post = by_unit["市邮政分公司"]
    assert {"I05@2023", "I05@2024"} <= set(post.items_at_stake)
    msg = next(i for i in issues if i.unit == "市税务局")
    assert msg.code == "unit_not_submitted" and "I08" in msg.message
