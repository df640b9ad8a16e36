"""Rows of the task-breakdown workbook's table sheets, as plain values (no xlsxwriter here).

Keeping the rows apart from the writer keeps :mod:`.breakdown` about layout only, and lets a
reader of this module see what each sheet says. Values are str (user text stays str: the writer
never turns it into a formula), numbers (int/float/Fraction/Decimal) or None for blank.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ..issues import SEVERITY_TEXT, TaskStatus, UnitState
from ..records import RunResult
from ..scoring.scorecard import STATUS_TEXT, IndicatorScore
from ..system.keys import base_of, note_key
from ..system.model import Indicator, Spec
from ..system.words import words
from ..values.types import Source
from .context import items_in_words, lost_reason, readable, reminder_context

SOURCE_LINES = 5  # 数据来源 shows this many file/sheet lines, then 「等N处」 (N counts all of them)


@dataclass(frozen=True)
class Col:
    """A column: header, width in characters, and kind (text wraps; short/num/pct/int are centred);
    ``hidden`` columns carry keys for the tool (and for filters), never shown or printed."""

    header: str
    width: float
    kind: str = "text"
    hidden: bool = False


def part_label(spec: Spec, key: str) -> str:
    """What part of its indicator a scored part is, in words: 「第2项」 for a criterion, 「2024年」
    for a year's part, 「」 for a part that is the indicator itself."""
    if "@" in key:
        return f"{key.rsplit('@', 1)[1]}年"
    indicator, _, number = key.partition(".")
    if number.isdigit() and any(i.key == indicator for i in spec.indicators):
        return f"第{number}项" if len(spec.indicator(indicator).criteria) > 1 else "评分要点"
    return ""


def where(source: Source | None) -> list[str]:
    return (
        [source.file + (f"（{source.origin}）" if source.origin else ""), source.sheet, source.cell]
        if source
        else ["", "", ""]
    )


def method_text(ind: Indicator) -> str:
    """The 附件2 column 评估方式及数据或资料来源, rebuilt in the document's own form."""
    lines = [f"方式：{ind.method}。", "数据或资料来源："]
    if len(ind.sources) == 1:
        return "\n".join(lines + [f"{ind.sources[0]}。"])
    return "\n".join(
        lines + [f"{n}.{s}{'。' if n == len(ind.sources) else '；'}" for n, s in enumerate(ind.sources, 1)]
    )


def sources_of(result: RunResult, ind: Indicator) -> str:
    """Where the figures and answers behind an indicator were typed: one line per file and
    sheet, 「文件｜工作表!E5、E6」, so the column stays short enough to read."""
    keys = set(ind.fields)
    found: list[Source] = [m.source for m in result.merged if base_of(m.key) in keys]
    for key in [c.key for c in ind.criteria] + [note_key(ind.key)]:
        found += [a.source for a in result.answers.get(key, []) if a.source]
    for list_key in sorted(keys & set(result.lists)):
        found += [r.source for r in result.lists[list_key] if r.source]
    cells: dict[tuple[str, str], list[str]] = {}
    for src in found:
        cells.setdefault((src.file, src.sheet), []).append(src.cell)
    lines = [f"{file}｜{sheet}!{'、'.join(dict.fromkeys(c for c in cs if c))}" for (file, sheet), cs in cells.items()]
    extra = f"\n等{len(lines)}处（每处为一个文件的一个工作表）" if len(lines) > SOURCE_LINES else ""
    return "\n".join(lines[:SOURCE_LINES]) + extra


def col_index(cols: list[Col], header: str) -> int:
    """0-based column of ``header`` in a sheet's column list (no hand-counted positions)."""
    return [c.header for c in cols].index(header)


def leveled(cols: list[Col], spec: Spec) -> list[Col]:
    """A sheet's columns for the system's levels: the indicator column named as its indicators
    are (三级指标, or 二级指标 in a two-level system, which has no 二级指标 group column)."""
    if spec.levels == 3:
        return cols
    return [
        replace(c, header=spec.indicator_level) if c.header == INDICATOR_HEADER else c
        for c in cols
        if not (c.header == "二级指标" and c.kind == "group")
    ]


INDICATOR_HEADER = "三级指标"  # the header :func:`leveled` renames


BREAKDOWN_COLS = [
    Col("一级指标", 6, "group"),
    Col("二级指标", 6, "group"),
    Col("编号", 4, "short"),
    Col("变量性质", 4, "short"),
    Col("三级指标", 12),
    Col("指标说明及打分标准", 28),
    Col("评估方式及数据或资料来源", 12),
    Col("责任单位", 12),
    Col("满分", 4, "num"),
    Col("得分", 4, "num"),
    Col("失分", 4, "num"),
    Col("状态", 7, "short"),
    Col("失分原因", 17),
    Col("牵头单位", 10),
    Col("计算得分", 6, "num"),
    Col("计分说明", 36),
    Col("数据来源", 60),
    Col("核定说明", 18),
]
BREAKDOWN_PRINT_COLS = (
    13  # 附件2's columns and the score up to 失分原因 print on A4 landscape; the rest is for the screen
)


def breakdown_rows(result: RunResult) -> list[list[Any]]:
    """The 附件2 table, one row per indicator, with the score columns appended."""
    rows, spec = [], result.spec
    seconds = spec.levels == 3
    for ind in spec.indicators:
        s: IndicatorScore = result.card.indicator(ind.key)
        rows.append(
            [
                ind.first,
                *([ind.second] if seconds else []),
                ind.no,
                ind.nature,
                f"{ind.name}。（{ind.points}分）",
                ind.description,
                method_text(ind),
                ind.units_text,
                s.max,
                s.score,
                s.lost,
                STATUS_TEXT[s.status],
                lost_reason(s, spec) if s.lost else "",
                ind.lead,
                s.computed_score,
                readable(s.reason, spec),
                sources_of(result, ind),
                s.review_note,
            ]
        )
    return rows


UNIT_COLS_HEAD = [
    Col("序号", 4, "int"),
    Col("单位", 16),
    Col("报送状态", 7, "short"),
    Col("负责指标", 5, "int"),
    Col("牵头指标", 5, "int"),
]


def unit_matrix_rows(result: RunResult) -> list[list[Any]]:
    """Units × indicators: ★ leads, ● responsible; with each unit's submission state."""
    states = {u.unit: u.state for u in result.units}
    rows = []
    for n, u in enumerate(result.spec.units, 1):
        marks = ["★" if i.lead == u.name else "●" if u.name in i.units else None for i in result.spec.indicators]
        rows.append([n, u.name, states.get(u.name, ""), sum(m is not None for m in marks), marks.count("★"), *marks])
    return rows


SUBMISSION_COLS = [
    Col("序号", 4, "int"),
    Col("单位", 14),
    Col("报送状态", 7, "short"),
    Col("错误", 4, "int"),
    Col("警告", 4, "int"),
    Col("影响分值", 5, "num"),
    Col("涉及指标", 16),
    Col("催报文本", 44),
    Col("报送文件", 20),
    Col("填报人", 7),
    Col("联系电话", 12),
    Col("报送时间", 10),
    Col("已填行数", 5, "int"),
    Col("应填行数", 5, "int"),
    Col("填报率", 6, "pct"),
]
SUBMISSION_PRINT_COLS = 8  # who, in what state, what it costs and the 催报 text print on A4; the rest is for the screen


def submission_rows(result: RunResult, reminder: Any) -> list[list[Any]]:
    """One row per unit; ``reminder(context) -> str`` renders the 催报 text of late or faulty units."""
    rows = []
    for n, u in enumerate(sorted(result.units, key=lambda x: x.no), 1):
        text = reminder(reminder_context(result, u)) if u.state != UnitState.SUBMITTED else ""
        rate = Fraction(u.rows_filled, u.rows_asked) if u.rows_asked else None
        rows.append(
            [
                n,
                u.unit,
                u.state,
                u.errors,
                u.warnings,
                u.points_at_stake,
                items_in_words(result.spec, u.items_at_stake),
                text,
                u.used_file or "\n".join(u.files),
                u.contact.get("填报人", ""),
                u.contact.get("联系电话", ""),
                u.submitted_at or u.contact.get("填报日期", ""),
                u.rows_filled,
                u.rows_asked,
                rate,
            ]
        )
    return rows


ISSUE_COLS = [
    Col("序号", 4, "int"),
    Col("级别", 5, "short"),
    Col("单位", 11),
    Col("文件", 16),
    Col("工作表", 8),
    Col("单元格", 6, "short"),
    Col("数据项或评分要点", 14),
    Col("填报内容", 10),
    Col("问题及修改意见", 44),
    Col("键", 12, hidden=True),
    Col("代码", 16, hidden=True),
]


def issue_rows(result: RunResult) -> list[list[Any]]:
    spec = result.spec
    return [
        [
            n,
            SEVERITY_TEXT.get(i.severity, i.severity),
            i.unit,
            i.file,
            i.sheet,
            i.cell,
            words(spec, i.key) if i.key else "",
            i.value,
            readable(i.message, spec),
            i.key,
            i.code,
        ]
        for n, i in enumerate(result.report, 1)
    ]


CONFLICT_COLS = [
    Col("序号", 4, "int"),
    Col("数据项", 16),
    Col("主责单位", 12),
    Col("采用数值", 10, "num"),
    Col("主责单位来源", 20),
    Col("核对单位", 12),
    Col("核对单位数值", 10, "num"),
    Col("核对单位来源", 20),
    Col("差额", 8, "num"),
    Col("键", 12, hidden=True),
]


def _number(value: Any) -> Fraction | None:
    from ..values.parse import exact

    return exact(value) if not isinstance(value, str) else None


def conflict_rows(result: RunResult) -> list[list[Any]]:
    rows = []
    for n, c in enumerate(result.conflicts, 1):
        a, b = _number(c.owner_value), _number(c.other_value)
        diff = a - b if a is not None and b is not None else None
        rows.append(
            [
                n,
                words(result.spec, c.key),
                c.owner,
                c.owner_value,
                str(c.owner_source),
                c.other,
                c.other_value,
                str(c.other_source),
                diff,
                c.key,
            ]
        )
    return rows


RAW_COLS = [
    Col("序号", 5, "int"),
    Col("数据项", 28),
    Col("数值", 12, "num"),
    Col("计量单位", 6, "short"),
    Col("填报单位", 14),
    Col("文件", 24),
    Col("工作表", 10),
    Col("单元格", 6, "short"),
    Col("键", 16, hidden=True),
]


def raw_rows(result: RunResult) -> list[list[Any]]:
    """Every merged value with its provenance, then every list row (cells joined as text)."""
    spec = result.spec
    rows: list[list[Any]] = [
        [words(spec, m.key), m.value, m.measure, m.unit or m.source.unit, *where(m.source), m.key]
        for m in result.merged
    ]
    for key, items in result.lists.items():
        title = spec.list_spec(key).title if any(ls.key == key for ls in spec.lists) else key
        for r in items:
            text = "；".join(f"{k}：{'' if v is None else v}" for k, v in r.cells.items())
            rows.append([title, text, "", r.unit, *where(r.source), key])
    return [[n, *row] for n, row in enumerate(rows, 1)]


TASK_HEAD = [
    Col("序号", 4, "short"),
    Col("主要任务", 20),
    *(
        Col(s.label, 7, "int")
        for s in (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.NOT_REPORTED)
    ),
]


def task_units(result: RunResult) -> list[str]:
    """Units with at least one main task, in registry order (the matrix columns)."""
    return [u.name for u in result.spec.units if any(u.name in t.units for t in result.spec.tasks)]


def task_matrix_rows(result: RunResult) -> list[list[Any]]:
    units = task_units(result)
    rows = []
    for t in result.spec.tasks:
        by_unit = {p.unit: p.status or TaskStatus.NO_STATUS.value for p in result.tasks.get(t.key, [])}
        cells = [by_unit.get(u, TaskStatus.NOT_REPORTED.value) if u in t.units else None for u in units]
        counts = [
            sum(c == s for c in cells)
            for s in (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.NOT_REPORTED)
        ]
        rows.append([t.no, t.title, *counts, *cells])
    return rows


TASK_DETAIL_COLS = [
    Col("序号", 4, "short"),
    Col("主要任务", 18),
    Col("单位", 13),
    Col("进展状态", 7, "short"),
    Col("工作进展", 44),
    Col("下一步计划", 30),
    Col("文件", 26),
    Col("工作表", 10),
    Col("单元格", 8, "short"),
]


def task_detail_rows(result: RunResult) -> list[list[Any]]:
    rows = []
    for t in result.spec.tasks:
        reported = {p.unit: p for p in result.tasks.get(t.key, [])}
        for u in t.units:
            p = reported.get(u)
            rows.append(
                [
                    t.no,
                    t.title,
                    u,
                    (p.status or TaskStatus.NO_STATUS.value) if p else TaskStatus.NOT_REPORTED.value,
                    p.progress if p else "",
                    p.plan if p else "",
                    *where(p.source if p else None),
                ]
            )
    return rows
