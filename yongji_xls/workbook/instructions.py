"""The 填报说明 sheet as data: what the writer puts there and what the reader expects to find.

One pure function builds the lines; the writer styles them and the reader uses the same texts to
tell the template's own words from anything a unit typed on that sheet (reported, never lost).
The 单位信息 block is label / value pairs; the reader finds the labels by text, not address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..system.model import Spec
from ..system.shares import UnitShare, unit_share
from .layout import CONTACT_LABELS, SHEET_CRITERIA, SHEET_DATA, SHEET_TASKS, legacy_list_sheet_name, list_sheet_name

# styles the writer knows: title, section, label, text, input, legend_input, legend_readonly, th, td
Cell = tuple[Any, str]
WIDTHS = (16, 46, 8, 62)


@dataclass(frozen=True)
class Line:
    """One row of the sheet; ``span`` merges the last cell across the remaining columns."""

    cells: tuple[Cell, ...] = ()
    span: bool = False


def _asked(share: UnitShare, ind_key: str, legacy: bool = False) -> str:
    """What this unit is asked for one indicator, and on which sheet (``legacy``: as templates
    before issue 19 named list sheets)."""
    parts = []
    n_fields = sum(1 for f in share.fields if ind_key in f.field.used_by)
    if n_fields:
        parts.append(f"数据项{n_fields}项（“{SHEET_DATA}”表）")
    n_crit = sum(1 for c in share.criteria if c.indicator == ind_key)
    if n_crit:
        parts.append(f"评分要点{n_crit}项（“{SHEET_CRITERIA}”表）")
    if any(i.key == ind_key for i in share.notes):
        parts.append(f"配合工作说明（“{SHEET_CRITERIA}”表，不计分）")
    for ls in share.lists:
        if ls.key == ind_key:
            sheet = legacy_list_sheet_name(ls.key) if legacy else list_sheet_name(ls)
            parts.append(f"逐条填报清单（“{sheet}”表）")
    return "；".join(parts) or "由其他单位提供数据，本单位无需填报"


def _rules(spec: Spec) -> list[str]:
    office = spec.office.get("name", "领导小组办公室")
    return [
        "只在浅黄色单元格中填写；灰色内容是模板内容，请勿修改。",
        "数字只填阿拉伯数字，不带单位、不写“约”“左右”（如填3000，不填“约3000”或“3000万元”）；计数填整数"
        + "".join(f"；{f.label.split('（')[0]}填百分制分值（如96.5）" for f in spec.fields if f.kind == "score")
        + "。",
        "“是否完成”“进展状态”及清单中带下拉箭头的列，请从下拉列表中选择。",
        "“佐证材料”每行写一份材料名称（单元格内换行：Alt+Enter），材料原件按办公室要求另行报送。",
        "清单行数不够时，请在表格中间插入行（右键→插入），不要在表格外或新工作表中填写。",
        "请勿重命名或删除工作表，请勿删除隐藏列或改动“字段键”列，请勿复制到新工作簿中填写。",
        "请保存为.xlsx格式（WPS用户请勿另存为.et格式）；文件名可以修改。",
        f"填写完成后请核对单位信息，按时将本文件报送{office}。",
    ]


def office_line(office: dict[str, str] | Any) -> str:
    """「永济市…领导小组办公室（设在市市场监管局）」: the office and where it sits, both from the
    configuration (a 县's office sits in its 县市场监管局); no bracket when no seat is configured."""
    name, seat = office.get("name", ""), office.get("seat", "")
    return f"{name}（设在{seat}）" if seat else name


def _years_text(spec: Spec, year: int) -> str:
    """「2024年（“近2年”指2023年和2024年；按年度填报的数据为2022年至2024年）」, from the spec."""
    assessed = "和".join(f"{y}年" for y in spec.years(year))
    return (
        f"{year}年（“近{spec.assessed_years}年”指{assessed}；"
        f"按年度填报的数据为{year - spec.data_span + 1}年至{year}年）"
    )


def instruction_lines(spec: Spec, share: UnitShare, year: int, deadline: str = "", legacy: bool = False) -> list[Line]:
    """Every line of the 填报说明 sheet, top to bottom (``legacy``: the indicator keys and list
    sheet names templates showed before issue 19, which the reader still knows as the template's)."""
    office = spec.office
    lines = [
        Line(((f"{spec.title} {year}年度自评材料填报表", "title"),), span=True),
        Line(),
        Line((("填报单位", "label"), (share.unit, "text")), span=True),
        Line((("评估年度", "label"), (_years_text(spec, year), "text")), span=True),
        Line((("报送截止", "label"), (deadline or "请按领导小组办公室通知要求报送", "text")), span=True),
        Line((("收表单位", "label"), (office_line(office), "text")), span=True),
        *(
            [
                Line(
                    (
                        ("办公室联系人", "label"),
                        (" ".join(filter(None, (office.get("contact"), office.get("phone")))), "text"),
                    ),
                    span=True,
                )
            ]
            if office.get("contact") or office.get("phone")
            else []
        ),
        Line(),
        Line((("单位信息", "section"), ("请填写以下信息，便于核实联系", "text")), span=True),
    ]
    lines += [Line(((label, "label"), ("", "input"))) for label in CONTACT_LABELS]
    lines += [
        Line(),
        Line((("颜色说明", "section"),)),
        Line((("浅黄色", "legend_input"), ("需要填写的单元格", "text")), span=True),
        Line((("灰色", "legend_readonly"), ("模板内容（只读）", "text")), span=True),
        Line(),
        Line((("本单位填报内容", "section"),)),
        Line((("指标编号", "th"), (spec.indicator_level, "th"), ("分值", "th"), ("需填报内容", "th"))),
    ]
    for ind in share.indicators:
        no, asked = (ind.key if legacy else ind.no), _asked(share, ind.key, legacy)
        lines.append(Line(((no, "td"), (ind.name, "td"), (ind.points, "td"), (asked, "td"))))
    if share.tasks:
        tasks = "、".join(f"任务{t.no}{t.title}" for t in share.tasks)
        lines.append(Line((("重点任务", "td"), (f"{tasks}（“{SHEET_TASKS}”表）", "td")), span=True))
    lines += [Line(), Line((("填写与报送要求", "section"),))]
    lines += [Line(((f"{n}.", "label"), (text, "text")), span=True) for n, text in enumerate(_rules(spec), 1)]
    return lines


def instruction_texts(spec: Spec, share: UnitShare, year: int, deadline: str = "") -> frozenset[str]:
    """The non-empty texts the template writes on 填报说明 (numbers as their plain text);
    memoised per spec, unit, year and deadline."""
    return spec.derived.memo(_instruction_texts, share.unit, year, deadline)


def _instruction_texts(spec: Spec, unit: str, year: int, deadline: str) -> frozenset[str]:
    share = unit_share(spec, unit, year)
    out = set()
    lines = instruction_lines(spec, share, year, deadline) + instruction_lines(spec, share, year, deadline, legacy=True)
    for line in lines:
        for value, style in line.cells:
            if style != "input" and str(value).strip():
                out.add(str(value).strip())
    return frozenset(out)
