"""The county's work plan: the 重点任务 sheet of 单位配置.xlsx, written by `init`, read back row by row,
and followed by the templates and the reader (a plan edited after the templates went out)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import CONTACT, fill_workbook, key_rows

from yongji_xls import api
from yongji_xls.api import YongjiError, init_office, load_system
from yongji_xls.cli import main
from yongji_xls.system.load import shipped_units
from yongji_xls.system.shares import unit_share
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.write.work_plan import EXAMPLE_NO, SHEET_TASKS, TASK_HEADERS

YEAR = 2024
TOWNS = ("猗氏镇", "嵋阳镇")


def with_towns(path: Path) -> Path:
    """A derived configuration made loadable: its towns entered (nothing else changed)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["单位"]
    n = ws.max_row
    for i, town in enumerate(TOWNS, 1):
        ws.append([n + i - 1, town, "", "否", "是"])
    wb.save(path)
    return path


def write_plan(path: Path, rows: list[list[object]], keep_example: bool = False) -> Path:
    """Replace the 重点任务 rows (编号, 所属方面, 任务名称, 任务内容, 责任单位) of a configuration."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_TASKS]
    assert [c.value for c in ws[1]] == list(TASK_HEADERS)
    if not keep_example:
        ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(YongjiError) as e:
        load_system(config=path)
    return e.value.message.splitlines()[1:]


def test_plain_init_leaves_an_example_row_that_is_never_a_task(tmp_path):
    path = with_towns(init_office(tmp_path, "临猗县"))
    ws = openpyxl.load_workbook(path)[SHEET_TASKS]
    assert ws.max_row == 2 and ws.cell(2, 1).value == EXAMPLE_NO
    assert "（牵头）" in ws.cell(2, 5).value and "县" in ws.cell(2, 5).value  # the county's own unit names
    assert load_system(config=path).tasks == ()  # the example as written: skipped, no task

    # the example edited, its 编号 kept: refused, not read as a task
    wb = openpyxl.load_workbook(path)
    wb[SHEET_TASKS].cell(2, 3).value = "加快农村电商发展"
    wb.save(path)
    assert problems_of(path) == [
        "  - 单位配置.xlsx 工作表「重点任务」第2行：这一行是示例行（编号为“示例”），但内容已被修改。"
        "请把“编号”改为该任务的序号（如1），或删除该行"
    ]
    # a number typed over 示例 while the （示例） texts stay: still the example, refused
    wb = openpyxl.load_workbook(path)
    wb[SHEET_TASKS].cell(2, 1).value = 1
    wb[SHEET_TASKS].cell(2, 3).value = "（示例）加大政策扶持力度"
    wb.save(path)
    assert "示例行" in problems_of(path)[0]


def test_a_plan_of_the_countys_own_is_read_with_keys_from_its_numbers_and_leads_marked(tmp_path):
    path = with_towns(init_office(tmp_path, "临猗县"))
    write_plan(
        path,
        [
            [1, "发展", "培育苹果电商品牌", "打造临猗苹果网络品牌。", "县统计局、县工科局（县商务局）（牵头）"],
            [2, "", "强化网络交易监管", "开展网络市场专项整治。", "县市场监管局"],
            [12, "发展", "推进电商进乡村", "建设镇村电商服务站。", "各镇（街道）、县农业农村局"],
        ],
    )
    spec = load_system(config=path)
    assert [(t.key, t.no, t.section, t.title) for t in spec.tasks] == [
        ("T01", 1, "发展", "培育苹果电商品牌"),
        ("T02", 2, "", "强化网络交易监管"),
        ("T12", 12, "发展", "推进电商进乡村"),
    ]
    t1, _, t12 = spec.tasks
    assert t1.lead == "县工科局（县商务局）" and t1.units == ("县统计局", "县工科局（县商务局）")
    assert t1.units_text == "县统计局、县工科局（县商务局）"  # the mark is not part of the text
    assert t12.units[:2] == TOWNS and t12.lead == TOWNS[0]  # a group: its members, its lead
    # the towns' templates carry T12 and nothing of Yongji's plan
    share = unit_share(spec, TOWNS[0], YEAR)
    assert [t.key for t in share.tasks] == ["T12"]


def test_numbers_and_leads_are_read_as_plans_write_them(tmp_path):
    path = with_towns(init_office(tmp_path, "临猗县"))
    write_plan(
        path,
        [
            ["3.", "", "甲", "内容。", "牵头单位：县工科局；配合单位：县财政局、县统计局"],
            ["任务5", "", "乙", "内容。", "县市场监管局牵头，县统计局配合"],
            ["十二", "", "丙", "内容。", "县统计局 （牵头）、各镇"],
            ["（7）", "", "丁", "内容。", "县财政局"],
        ],
    )
    spec = load_system(config=path)
    assert [(t.key, t.no, t.lead) for t in spec.tasks] == [
        ("T03", 3, "县工科局（县商务局）"),  # 县工科局 is an alias: the lead is the canonical unit
        ("T05", 5, "县市场监管局"),
        ("T12", 12, "县统计局"),
        ("T07", 7, "县财政局"),
    ]
    assert spec.task("T03").units_text == "县工科局；县财政局、县统计局"
    assert spec.task("T05").units == ("县市场监管局", "县统计局")
    assert spec.task("T12").units == ("县统计局", *TOWNS)


def test_a_bad_plan_is_refused_row_by_row(tmp_path):
    path = with_towns(init_office(tmp_path, "临猗县"))
    write_plan(
        path,
        [
            [1, "", "培育电商品牌", "打造网络品牌。", "县商务局"],  # an alias of 县工科局（县商务局）: fine
            [1, "", "重复编号的任务", "内容。", "县统计局"],  # row 3
            ["第三项", "", "编号不是数字", "内容。", "县统计局"],  # row 4
            [4, "", "", "", "县统计局"],  # row 5: no title, no text
            [5, "", "单位不在名录", "内容。", "县统计局、县电商办"],  # row 6
            [6, "", "两个牵头", "内容。", "县统计局（牵头）、县财政局(牵头)"],  # row 7
            [7, "", "没有责任单位", "内容。", ""],  # row 8
            [100, "", "编号太大", "内容。", "县统计局"],  # row 9
        ],
    )
    where = "  - 单位配置.xlsx 工作表「重点任务」"
    assert problems_of(path) == [
        f"{where}第3行：编号1与第2行重复。请改为不重复的编号",
        f"{where}第4行：编号「第三项」不是1到99之间的整数。请填写该任务在工作方案中的序号，如1、2、3……",
        f"{where}第5行：任务4的「任务名称」未填写。请按工作方案填写，或删除该行",
        f"{where}第5行：任务4的「任务内容」未填写。请按工作方案填写，或删除该行",
        f"{where}第6行：任务5的责任单位「县电商办」既不是工作表「单位」中的单位名称或别名，也不是「分组」表中的分组。"
        "请改为名录中的名称，或在「单位」表中添加该单位（或把它作为别名）",
        f"{where}第7行：任务6标了2个牵头单位（县统计局、县财政局）。每项任务只在一个单位后标“（牵头）”",
        f"{where}第8行：任务7的「责任单位」未填写。请按工作方案填写，或删除该行",
        f"{where}第9行：编号「100」不是1到99之间的整数。请填写该任务在工作方案中的序号，如1、2、3……",
    ]


def test_a_configuration_without_the_tasks_sheet_is_told_where_the_plan_goes(tmp_path):
    path = init_office(tmp_path, "永济市", from_yongji=True)
    wb = openpyxl.load_workbook(path)
    wb.remove(wb[SHEET_TASKS])
    wb.save(path)
    (problem,) = problems_of(path)
    assert problem.startswith("  - 单位配置.xlsx：缺少工作表「重点任务」（本县工作方案的主要任务）")


def test_init_from_yongji_copies_the_21_tasks_and_lists_them_to_review(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "万荣"), "--city", "万荣县", "--from-yongji"])
    assert result.exit_code == 0, result.output
    shipped = shipped_units()["tasks"]
    lines = [line for line in result.output.splitlines() if line.startswith("  待核对")]
    assert len(shipped) == 21 and len(lines) == 21
    assert lines[0].startswith("  待核对  任务1 加大政策扶持力度（市发改局")
    assert "「重点任务」表已从永济市的工作方案复制21项主要任务作为起点，须按本县工作方案逐项核对修改" in result.output
    spec = load_system(config=tmp_path / "万荣" / "单位配置.xlsx")
    assert [(t.key, t.title, t.text) for t in spec.tasks] == [(t["key"], t["title"], t["text"]) for t in shipped]
    assert spec.task("T08").units_text == "万荣县网络市场监管局际联席会议各成员单位"  # the group named for the county
    assert spec.office["seat"] == "县市场监管局"  # 「领导小组办公室（设在县市场监管局）」, not 市


def test_plain_init_tells_the_office_to_enter_its_plan(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "临猗"), "--city", "临猗县"])
    assert result.exit_code == 0, result.output
    assert "请在「重点任务」表中按本县工作方案逐项填写主要任务（表中第一行是示例，填好后删除）" in result.output
    assert "待核对" not in result.output


def _task_rows(path: Path) -> dict[str, int]:
    ws = openpyxl.load_workbook(path)[L.SHEET_TASKS]
    return {k: rows[0] for k, rows in key_rows(ws).items()}


def test_a_template_returned_after_the_plan_was_edited_names_each_changed_row(tmp_path):
    path = with_towns(init_office(tmp_path, "临猗县"))
    unit = "县市场监管局"
    write_plan(
        path,
        [
            [1, "", "强化网络交易监管", "开展专项整治。", unit],
            [2, "", "建设智慧监管平台", "对接省级平台。", unit],
            [3, "", "开展消费维权", "处理网络消费投诉。", unit],
        ],
    )
    old = api.write_templates(tmp_path / "旧模板", spec=load_system(config=path), units=[unit])[0]
    rows = _task_rows(old)
    progress = {L.H_STATUS: "推进中", L.H_PROGRESS: "已开展", L.H_PLAN: "继续"}
    values = {"T01": progress, "T02": progress, "T03": progress}
    filled = fill_workbook(old, values, tmp_path / "报送" / old.name, contact=CONTACT)

    write_plan(  # the plan edited: task 2 dropped, task 3 renamed
        path,
        [[1, "", "强化网络交易监管", "开展专项整治。", unit], [3, "", "开展网络消费维权", "处理网络消费投诉。", unit]],
    )
    sub = api.check_file(filled, spec=load_system(config=path), year=YEAR)
    assert sorted(sub.tasks) == ["T01", "T03"]  # T02 not read; T03 still counts for task 3
    gone = [i for i in sub.issues if i.code == "task_not_in_plan"]
    assert [(i.sheet, i.cell, i.key) for i in gone] == [(L.SHEET_TASKS, f"C{rows['T02']}", "T02")]  # its 任务名称
    assert gone[0].message == (
        "重点任务「建设智慧监管平台」已不在本县现行工作方案中（模板生成后工作方案作了修改），本行填写的进展未计入。"
        "如该任务仍需报送进展，请与领导小组办公室核对后按新模板填写"
    )
    changed = [i for i in sub.issues if i.code == "task_changed_in_plan"]
    assert [(i.cell, i.value) for i in changed] == [(f"C{rows['T03']}", "开展消费维权")]
    assert "现行方案为「开展网络消费维权」。本行进展仍计入现行方案的任务3" in changed[0].message
    assert not [i for i in sub.issues if i.code in ("key_unknown", "label_changed")]
