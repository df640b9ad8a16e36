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
from ..system.keys import base_of, is_note, note_key
from ..system.model import Indicator, Spec
from ..values.types import Source
from .context import lost_reason, readable, reminder_context

SOURCE_LINES = 8  # 数据来源 shows this many file/sheet lines, then 「等N处」 (N counts all of them)


@dataclass(frozen=True)
class Col:
    """A column: header, width in characters, and kind (text wraps; short/num/pct/int are centred)."""

    header: str
    width: float
    kind: str = "text"


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
    Col("一级指标", 8, "group"),
    Col("二级指标", 8, "group"),
    Col("编号", 4, "short"),
    Col("变量性质", 6, "short"),
    Col("三级指标", 14),
    Col("指标说明及打分标准", 38),
    Col("评估方式及数据或资料来源", 18),
    Col("责任单位", 16),
    Col("牵头单位", 10),
    Col("满分", 5, "num"),
    Col("得分", 5, "num"),
    Col("失分", 5, "num"),
    Col("计算得分", 6, "num"),
    Col("状态", 8, "short"),
    Col("失分原因", 30),
    Col("计分说明", 36),
    Col("数据来源", 44),
    Col("核定说明", 18),
]


def breakdown_rows(result: RunResult) -> list[list[Any]]:
    """The 附件2 table, one row per indicator, with the score columns appended."""
    rows, labels = [], result.spec.reference_labels
    seconds = result.spec.levels == 3
    for ind in result.spec.indicators:
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
                ind.lead,
                s.max,
                s.score,
                s.lost,
                s.computed_score,
                STATUS_TEXT[s.status],
                lost_reason(s, labels) if s.lost else "",
                readable(s.reason, labels),
                sources_of(result, ind),
                s.review_note,
            ]
        )
    return rows


UNIT_COLS_HEAD = [
    Col("序号", 5, "int"),
    Col("单位", 18),
    Col("报送状态", 9, "short"),
    Col("负责指标", 8, "int"),
    Col("牵头指标", 8, "int"),
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
    Col("序号", 5, "int"),
    Col("单位", 18),
    Col("报送状态", 9, "short"),
    Col("报送文件", 28),
    Col("填报人", 10),
    Col("联系电话", 14),
    Col("报送时间", 17),
    Col("已填行数", 8, "int"),
    Col("应填行数", 8, "int"),
    Col("填报率", 8, "pct"),
    Col("错误", 6, "int"),
    Col("警告", 6, "int"),
    Col("影响分值", 8, "num"),
    Col("涉及评分要点", 16),
    Col("催报文本", 56),
]


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
                u.used_file or "\n".join(u.files),
                u.contact.get("填报人", ""),
                u.contact.get("联系电话", ""),
                u.submitted_at or u.contact.get("填报日期", ""),
                u.rows_filled,
                u.rows_asked,
                rate,
                u.errors,
                u.warnings,
                u.points_at_stake,
                "、".join(u.items_at_stake),
                text,
            ]
        )
    return rows


ISSUE_COLS = [
    Col("序号", 5, "int"),
    Col("级别", 6, "short"),
    Col("单位", 16),
    Col("文件", 28),
    Col("工作表", 12),
    Col("单元格", 8, "short"),
    Col("键", 16),
    Col("填报内容", 18),
    Col("问题及修改意见", 70),
    Col("代码", 18),
]


def issue_rows(result: RunResult) -> list[list[Any]]:
    return [
        [
            n,
            SEVERITY_TEXT.get(i.severity, i.severity),
            i.unit,
            i.file,
            i.sheet,
            i.cell,
            i.key,
            i.value,
            i.message,
            i.code,
        ]
        for n, i in enumerate(result.report, 1)
    ]


CONFLICT_COLS = [
    Col("序号", 5, "int"),
    Col("键", 18),
    Col("数据项", 26),
    Col("主责单位", 16),
    Col("采用数值", 12, "num"),
    Col("主责单位来源", 36),
    Col("核对单位", 16),
    Col("核对单位数值", 12, "num"),
    Col("核对单位来源", 36),
    Col("差额", 10, "num"),
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
                c.key,
                c.label,
                c.owner,
                c.owner_value,
                str(c.owner_source),
                c.other,
                c.other_value,
                str(c.other_source),
                diff,
            ]
        )
    return rows


RAW_COLS = [
    Col("序号", 6, "int"),
    Col("键", 24),
    Col("数据项", 30),
    Col("数值", 14, "num"),
    Col("计量单位", 8, "short"),
    Col("填报单位", 16),
    Col("文件", 28),
    Col("工作表", 12),
    Col("单元格", 8, "short"),
]


def raw_rows(result: RunResult) -> list[list[Any]]:
    """Every merged value with its provenance, then every list row (cells joined as text)."""
    rows: list[list[Any]] = [
        [m.key, m.label, m.value, m.measure, m.unit or m.source.unit, *where(m.source)] for m in result.merged
    ]
    for key, items in result.lists.items():
        title = result.spec.list_spec(key).title if any(ls.key == key for ls in result.spec.lists) else key
        for r in items:
            text = "；".join(f"{k}：{'' if v is None else v}" for k, v in r.cells.items())
            rows.append([key, title, text, "", r.unit, *where(r.source)])
    return [[n, *row] for n, row in enumerate(rows, 1)]


EVIDENCE_COLS = [
    Col("序号", 6, "int"),
    Col("编号", 5, "short"),
    Col("三级指标", 20),
    Col("评分要点", 8, "short"),
    Col("要点内容", 30),
    Col("单位", 16),
    Col("是否完成", 8, "short"),
    Col("工作情况说明", 34),
    Col("佐证材料", 30),
    Col("文件", 26),
    Col("工作表", 10),
    Col("单元格", 8, "short"),
]


def evidence_sheet_rows(result: RunResult) -> list[list[Any]]:
    """Every material named (one row each), by indicator and unit, plus 是 answers naming none
    (those score 0 as 缺少佐证, so the office sees whom to ask)."""
    rows = []
    for ind in result.spec.indicators:
        for key in [c.key for c in ind.criteria] + [note_key(ind.key)]:
            text = result.spec.criterion(key).text if not is_note(key) else "工作情况说明（不计分）"
            for a in result.answers.get(key, []):
                if not a.evidence and not a.done:
                    continue  # a plain 否 names no material; it is in the unit's answers, not in this list
                done = "是" if a.done else "否" if a.done is False else ""
                for material in a.evidence or ("",):
                    rows.append([ind.no, ind.name, key, text, a.unit, done, a.note, material, *where(a.source)])
    return [[n, *row] for n, row in enumerate(rows, 1)]


TASK_HEAD = [
    Col("编号", 6, "short"),
    Col("主要任务", 22),
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
        rows.append([t.key, t.title, *counts, *cells])
    return rows


TASK_DETAIL_COLS = [
    Col("编号", 6, "short"),
    Col("主要任务", 22),
    Col("单位", 16),
    Col("进展状态", 8, "short"),
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
                    t.key,
                    t.title,
                    u,
                    (p.status or TaskStatus.NO_STATUS.value) if p else TaskStatus.NOT_REPORTED.value,
                    p.progress if p else "",
                    p.plan if p else "",
                    *where(p.source if p else None),
                ]
            )
    return rows


REVIEW_COLS = [
    Col("指标键", 8, "short"),
    Col("编号", 5, "short"),
    Col("一级指标", 10),
    Col("三级指标", 30),
    Col("满分", 6, "num"),
    Col("计算得分", 8, "num"),
    Col("计算状态", 9, "short"),
    Col("核定得分", 9, "num"),
    Col("核定说明", 36),
    Col("计分说明", 60),
]
REVIEW_SCORE_COL, REVIEW_NOTE_COL = col_index(REVIEW_COLS, "核定得分"), col_index(REVIEW_COLS, "核定说明")


def review_rows(result: RunResult) -> list[list[Any]]:
    """Computed scores; 核定得分/核定说明 pre-filled with the overrides already applied, if any."""
    rows = []
    for comp in result.computed.indicators:
        final = result.card.indicator(comp.key)
        confirmed = final.score if final.computed_score is not None else None
        rows.append(
            [
                comp.key,
                comp.no,
                comp.first,
                comp.name,
                comp.max,
                comp.score,
                STATUS_TEXT[comp.status],
                confirmed,
                final.review_note,
                readable(comp.reason, result.spec.reference_labels),
            ]
        )
    return rows


PATH_COLS = [
    Col("序号", 5, "int"),
    Col("列入达标方案", 8, "short"),
    Col("评分要点", 9, "short"),
    Col("三级指标", 18),
    Col("一级指标", 9, "short"),
    Col("失分", 5, "num"),
    Col("挽回方式", 12, "short"),
    Col("责任单位", 22),
    Col("截止日期", 11, "short"),
    Col("评分要点内容", 30),
    Col("失分原因", 40),
]


def path_rows(result: RunResult, path: Any) -> list[list[Any]]:
    """达标路径: the chosen items first, then the other recoverable ones, then what paper cannot change."""
    from ..scoring.display import spec_groups, units_text
    from ..scoring.path_to_pass import KIND_TEXT

    chosen = {i.key for i in path.chosen}
    order = sorted(path.items, key=lambda i: (i.key not in chosen, not i.recoverable))
    groups, labels = spec_groups(result.spec), result.spec.reference_labels
    return [
        [
            n,
            "是" if i.key in chosen else "",
            i.key,
            f"{i.no}.{i.name}",
            i.first,
            i.lost,
            KIND_TEXT[i.kind],
            units_text(i.units, groups),
            i.deadline,
            i.text,
            readable(i.reason, labels),
        ]
        for n, i in enumerate(order, 1)
    ]
