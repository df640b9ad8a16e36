"""Keys <-> cells: the one description of a unit's workbook, used for writing and for reading.

The writer turns :func:`keyed_sheets` into cells; the reader never relies on addresses but on
what is fixed here: sheet names, the ``字段键`` header, header texts, the input headers each row
kind uses (:data:`INPUT_HEADERS`), and the banner texts above each table (so it can tell the
template's own text from text a user typed). Change the layout here and both sides follow.

Where things live:

* ``填报说明`` — instructions and the 单位信息 block (label cell, value cell to its right);
* ``数据填报`` — scalar field rows (``填报值``);
* ``评分要点`` — evidence criterion rows **and** the ``Inn.note`` rows (a note row has no
  ``是否完成``: that cell is locked and grey);
* ``清单I04`` … — one sheet per list, the list key on every row;
* ``重点任务`` — task rows;
* ``_meta`` (hidden) — key/value pairs identifying the unit; ``_lists`` (hidden) — dropdown sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..issues import TASK_CHOICES
from ..system.keys import note_key
from ..system.model import Spec
from ..system.shares import UnitShare, unit_share

TEMPLATE_VERSION = "1"

SHEET_INSTRUCTIONS = "填报说明"
SHEET_DATA = "数据填报"
SHEET_CRITERIA = "评分要点"
SHEET_TASKS = "重点任务"
SHEET_META = "_meta"
SHEET_LISTS = "_lists"
SHEET_PROBLEMS = "问题清单"  # first sheet of a feedback workbook (``_meta.kind = feedback``): not a data sheet
LIST_SHEET_PREFIX = "清单"

KEY_HEADER = "字段键"
H_VALUE = "填报值"
H_DONE = "是否完成"
H_NOTE = "工作情况说明"
H_EVIDENCE = "佐证材料"
H_STATUS = "进展状态"
H_PROGRESS = "工作进展"
H_PLAN = "下一步计划"
# read-only columns
H_INDICATOR = "指标编号"
H_ITEM = "数据项"
H_UNIT = "计量单位"
H_YEAR = "年度"
H_ROLE = "角色"
H_INDICATOR_NAME = "三级指标"  # the indicator's name column is called what the system's indicators are:
H_INDICATOR_NAMES = ("三级指标", "二级指标")  # 二级指标 in a two-level system (Spec.indicator_level)
H_CRITERION = "评分要点"
H_POINTS = "分值"
H_TASK_NO = "任务编号"
H_TASK = "任务名称"
H_TASK_TEXT = "任务内容"

CONTACT_LABELS = ("填报人", "联系电话", "分管领导", "填报日期")
YES_NO = ("是", "否")
TASK_STATUSES = tuple(s.value for s in TASK_CHOICES)
ROLE_TEXT = {"owner": "填报", "cross_check": "核对"}
META_KEYS = ("unit", "unit_no", "year", "spec_version", "template_version", "generated_at", "deadline", "kind")
KIND_TEMPLATE, KIND_FEEDBACK, KIND_BREAKDOWN = "template", "feedback", "breakdown"  # _meta.kind

LIST_ROWS = 20  # pre-keyed empty rows per list sheet
HEADER_SEARCH_ROWS = 30  # the reader looks for the 字段键 header in this many rows

INPUT_HEADERS: dict[str, tuple[str, ...]] = {
    "field": (H_VALUE,),
    "criterion": (H_DONE, H_NOTE, H_EVIDENCE),
    "note": (H_NOTE, H_EVIDENCE),
    "task": (H_STATUS, H_PROGRESS, H_PLAN),
}
READONLY_HEADERS = frozenset(
    {
        H_INDICATOR,
        H_ITEM,
        H_UNIT,
        H_YEAR,
        H_ROLE,
        *H_INDICATOR_NAMES,
        H_CRITERION,
        H_POINTS,
        H_TASK_NO,
        H_TASK,
        H_TASK_TEXT,
    }
)


@dataclass(frozen=True)
class Column:
    """One column of a keyed sheet; ``input`` columns are unlocked and yellow."""

    header: str
    width: float
    input: bool = False
    kind: str = "text"  # text | long | number | yesno | status | choice | date | year | code


@dataclass
class Row:
    """One keyed row: read-only cell values by header, plus what the writer needs for inputs."""

    key: str
    kind: str  # field | criterion | note | list | task
    cells: dict[str, Any] = field(default_factory=dict)
    number_kind: str = ""  # count | amount | score (field rows)
    label: str = ""


@dataclass
class SheetLayout:
    name: str
    title: str
    hint: str
    columns: tuple[Column, ...]
    rows: list[Row]


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


def list_sheet_name(ls: Any) -> str:
    """A list's sheet: 「清单-新增规模以上网络交易经营者」 (its title, within Excel's 31 characters;
    no key on a tab people read)."""
    return f"{LIST_SHEET_PREFIX}-{_SHEET_NAME_BAD.sub('', ls.title)}"[:31]


def legacy_list_sheet_name(list_key: str) -> str:
    """The list sheet of templates written before issue 19 (「清单I04」): still read as a template's own."""
    return f"{LIST_SHEET_PREFIX}{list_key}"


def indicator_no(spec: Spec, key: str) -> str:
    """The number an indicator is shown by (「4」), as 附件2 numbers it."""
    return str(spec.indicator(key).no)


def _title(name: str, unit: str, year: int) -> str:
    return f"{name}（{unit}，{year}年度）"


HINT_DATA = (
    "浅黄色单元格为填报区域。只填阿拉伯数字，不带单位（如3000，不写“约3000”“3000万元”）；"
    "角色为“核对”的数据请按本单位掌握的数字填写，用于交叉核对。"
)
HINT_CRITERIA = (
    "每项评分要点请选择“是否完成”，填写工作情况说明，并在“佐证材料”栏逐行列出材料名称（单元格内换行："
    "Alt+Enter）。“不计分”行请说明本单位配合开展的工作。"
)
HINT_TASKS = "请为每项重点任务选择进展状态，并简述工作进展和下一步计划。"
HINT_LIST = (
    "每行填写一条；行数不够时请在表格中间插入行（右键→插入），不要在表格外填写。带下拉箭头的列请从下拉列表选择。"
)


def _data_sheet(spec: Spec, share: UnitShare, unit: str, year: int) -> SheetLayout:
    cols = (
        Column(KEY_HEADER, 16),
        Column(H_INDICATOR, 10),
        Column(H_ITEM, 40),
        Column(H_UNIT, 9),
        Column(H_YEAR, 8),
        Column(H_ROLE, 7),
        Column(H_VALUE, 18, True, "number"),
    )
    rows = [
        Row(
            r.key,
            "field",
            {
                H_INDICATOR: "、".join(indicator_no(spec, k) for k in r.field.used_by),
                H_ITEM: r.field.label,
                H_UNIT: r.field.unit,
                H_YEAR: f"{r.year or year}年",
                H_ROLE: ROLE_TEXT[r.role],
            },
            number_kind=r.field.kind,
            label=r.field.label,
        )
        for r in share.fields
    ]
    return SheetLayout(SHEET_DATA, _title(SHEET_DATA, unit, year), HINT_DATA, cols, rows)


NOTE_TEXT = "（不计分）本单位是该定量指标的责任单位，请说明配合开展的工作、提供的数据或材料。"


def _criteria_sheet(share: UnitShare, unit: str, year: int, name_header: str = H_INDICATOR_NAME) -> SheetLayout:
    cols = (
        Column(KEY_HEADER, 10),
        Column(H_INDICATOR, 9),
        Column(name_header, 18),
        Column(H_CRITERION, 50),
        Column(H_POINTS, 7),
        Column(H_DONE, 10, True, "yesno"),
        Column(H_NOTE, 48, True, "long"),
        Column(H_EVIDENCE, 40, True, "long"),
    )
    notes = {i.key for i in share.notes}
    rows: list[Row] = []
    for ind in share.indicators:
        for c in share.criteria:
            if c.indicator == ind.key:
                cells = {H_INDICATOR: str(ind.no), name_header: ind.name, H_CRITERION: c.text, H_POINTS: c.points}
                rows.append(Row(c.key, "criterion", cells))
        if ind.key in notes:
            cells = {H_INDICATOR: str(ind.no), name_header: ind.name, H_CRITERION: NOTE_TEXT, H_POINTS: "不计分"}
            rows.append(Row(note_key(ind.key), "note", cells))
    return SheetLayout(SHEET_CRITERIA, _title(SHEET_CRITERIA, unit, year), HINT_CRITERIA, cols, rows)


def _list_sheet(spec: Spec, key: str, unit: str, year: int, filled: int = 0) -> SheetLayout:
    """``filled`` rows are prefilled: the sheet has :data:`LIST_ROWS` rows, or, when more are
    filled, half as many empty rows again after them."""
    ls = spec.list_spec(key)
    cols = [Column(KEY_HEADER, 8)]
    for c in ls.columns:
        kind = (
            "choice"
            if c.choices
            else {"date": "date", "year": "year", "amount": "number", "code": "code"}.get(c.type, "long")
        )
        cols.append(
            Column(
                c.name,
                14 if kind in ("choice", "date", "year") else 18 if kind == "number" else 24 if kind == "code" else 34,
                True,
                kind,
            )
        )
    rows = [Row(key, "list") for _ in range(max(LIST_ROWS, filled + LIST_ROWS // 2))]
    return SheetLayout(list_sheet_name(ls), _title(ls.title, unit, year), HINT_LIST, tuple(cols), rows)


def _tasks_sheet(share: UnitShare, unit: str, year: int) -> SheetLayout:
    cols = (
        Column(KEY_HEADER, 8),
        Column(H_TASK_NO, 9),
        Column(H_TASK, 18),
        Column(H_TASK_TEXT, 56),
        Column(H_STATUS, 11, True, "status"),
        Column(H_PROGRESS, 44, True, "long"),
        Column(H_PLAN, 36, True, "long"),
    )
    rows = [Row(t.key, "task", {H_TASK_NO: f"任务{t.no}", H_TASK: t.title, H_TASK_TEXT: t.text}) for t in share.tasks]
    return SheetLayout(SHEET_TASKS, _title(SHEET_TASKS, unit, year), HINT_TASKS, cols, rows)


def keyed_sheets(spec: Spec, share: UnitShare, year: int, list_rows: dict[str, int] | None = None) -> list[SheetLayout]:
    """The unit's input sheets in workbook order; sheets with no rows are left out.
    ``list_rows``: list key -> rows a prefilled template holds (see :func:`_list_sheet`)."""
    unit = share.unit
    sheets = [_data_sheet(spec, share, unit, year), _criteria_sheet(share, unit, year, spec.indicator_level)]
    sheets += [_list_sheet(spec, ls.key, unit, year, (list_rows or {}).get(ls.key, 0)) for ls in share.lists]
    sheets.append(_tasks_sheet(share, unit, year))
    return [s for s in sheets if s.rows]


def template_sheet_names(spec: Spec) -> frozenset[str]:
    """Every sheet name a template can have (so the reader knows what is not an extra sheet)."""
    names = {SHEET_INSTRUCTIONS, SHEET_DATA, SHEET_CRITERIA, SHEET_TASKS, SHEET_META, SHEET_LISTS}
    lists = {name for ls in spec.lists for name in (list_sheet_name(ls), legacy_list_sheet_name(ls.key))}
    return frozenset(names | lists)


def banner_texts(spec: Spec, share: UnitShare, year: int) -> frozenset[str]:
    """Texts the template writes above the header rows (title and hint of every sheet);
    memoised per spec, unit and year, as every returned file needs them."""
    return spec.derived.memo(_banner_texts, share.unit, year)


def _banner_texts(spec: Spec, unit: str, year: int) -> frozenset[str]:
    share = unit_share(spec, unit, year)
    legacy = {
        _title(f"{legacy_list_sheet_name(ls.key)} {ls.title}", unit, year) for ls in share.lists
    }  # before issue 19
    return frozenset({t for s in keyed_sheets(spec, share, year) for t in (s.title, s.hint)} | legacy)


def list_choices(spec: Spec) -> dict[str, tuple[str, ...]]:
    """Dropdown sources written to ``_lists``: header -> choices, in a stable order."""
    out: dict[str, tuple[str, ...]] = {H_DONE: YES_NO, H_STATUS: TASK_STATUSES}
    for ls in spec.lists:
        for c in ls.columns:
            if c.choices:
                out.setdefault(c.name, c.choices)
    return out


# ---- the review workbook's 报告文字 sheet (the breakdown carries it; ``run --review`` reads it) ----
SHEET_REPORT_TEXT = "报告文字"
H_SECTION_KEY = "章节键"  # hidden column: which section a row replaces
H_SECTION = "章节"
H_DRAFT = "生成的文字（参考）"
H_OFFICE_TEXT = "办公室文字（填写后替换生成的文字）"
_CN = "一二三四五六七八九十"


def report_sections(spec: Spec) -> list[tuple[str, str]]:
    """(key, title) of every section of the report an office may replace by its own text: the
    opening, 一、基本情况, each first-level part of 三、主要做法和成效, 四 and 五. The figures of
    二、自评得分情况 are the computed ones and are not replaced."""
    parts = [
        (f"主要做法和成效：{f.name}", f"三、主要做法和成效（{_CN[n] if n < 10 else n + 1}）{f.name}")
        for n, f in enumerate(spec.first_levels)
    ]
    return [
        ("开头", "开头（主送机关之后的第一段）"),
        ("基本情况", "一、基本情况"),
        *parts,
        ("存在的问题", "四、存在的问题"),
        ("下一步工作打算", "五、下一步工作打算"),
    ]
