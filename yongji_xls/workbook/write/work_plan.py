"""The 重点任务 sheet of 单位配置.xlsx: the county's own work plan, written and read back.

Every county writes its own 工作方案 with its own main tasks and units (河津市's 实施办法 is not
Yongji's plan), so the tasks are county data beside the unit registry, never part of the
indicator system. A row is one task: 编号 (its key is ``T`` and the number, so a task keeps its
key while the plan around it is edited), 所属方面 (optional: the plan's part), 任务名称, 任务内容
and 责任单位 — several names from the registry, its aliases or its groups, the lead marked
「（牵头）」 (unmarked: the first unit leads, as for an indicator). Reading checks every row against
the registry and says which row, which name and what to do, all at once.

A plain ``init`` leaves one example row. It can never be taken for a task: an example row left as
written is skipped, and a row that still carries the example's 编号 or its 「（示例）」 texts but was
edited is an error naming the row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ...system.keys import TASK_NUMBERS, task_key
from ...system.load import normalise_name
from ...system.problems import location, problem
from ..cells import cell_text

SHEET_TASKS = "重点任务"
T_NO, T_SECTION, T_TITLE, T_TEXT, T_UNITS = "编号", "所属方面", "任务名称", "任务内容", "责任单位"
TASK_HEADERS = (T_NO, T_SECTION, T_TITLE, T_TEXT, T_UNITS)
REQUIRED_HEADERS = (T_NO, T_TITLE, T_TEXT, T_UNITS)  # 所属方面 may be left out: a plan without parts
WIDTHS = (7, 20, 24, 70, 46)
LEAD_MARK = "（牵头）"  # after normalise_name: （牵头） (牵头) [牵头] alike
EXAMPLE_NO = "示例"
EXAMPLE_MARK = "（示例）"
EXAMPLE_TITLE = f"{EXAMPLE_MARK}加大政策扶持力度"
EXAMPLE_TEXT = (
    f"{EXAMPLE_MARK}本行是填写示例，不是任务，不会被读取。请照本县工作方案的“主要任务”逐项填写：一行一项任务，"
    "“编号”填任务序号（1、2、3……），“责任单位”填「单位」表中的名称、别名或「分组」表中的分组称谓，"
    "用“、”分隔，牵头单位后加“（牵头）”。填好后删除本行。"
)
_SPLIT = re.compile(r"[、，,；;\s]+")
_LEAD = re.compile(r"\s*(?:[（(\[【]\s*牵头\s*[）)\]】]|牵头(?=[、，,；;\s]|$))")  # 「X（牵头）」, 「X牵头」
_HELPER = re.compile(r"\s*(?:[（(\[【]\s*配合\s*[）)\]】]|配合(?=[、，,；;\s]|$))")  # 「X（配合）」: just a unit
_LEAD_PREFIX = re.compile(r"牵头单位\s*[：:]\s*")  # 「牵头单位：X；配合单位：Y」, as plans write it
_OTHER_PREFIX = re.compile(r"(?:责任|配合|参与|协办)单位\s*[：:]\s*")
_MARK_SPACE = re.compile(r"\s+(?=[（(\[【]\s*(?:牵头|配合)\s*[）)\]】])")
_NUMBER = re.compile(r"(?:任务)?[（(]?\s*([0-9]+|[一二三四五六七八九十]+)\s*[)）]?[.、．]?")
_CN = {c: n for n, c in enumerate("一二三四五六七八九", 1)}


def example_row(units: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The example row of a plan not yet entered, naming two of the county's own units."""
    names = [str(u["name"]) for u in units if not u.get("town")][:2] or ["牵头单位", "配合单位"]
    return {
        T_NO: EXAMPLE_NO,
        T_SECTION: f"{EXAMPLE_MARK}促进网络经济高效发展",
        T_TITLE: EXAMPLE_TITLE,
        T_TEXT: EXAMPLE_TEXT,
        T_UNITS: "、".join([names[0] + LEAD_MARK, *names[1:]]),
    }


def task_row(task: Mapping[str, Any]) -> dict[str, Any]:
    """A task of the raw shape (``units.yaml`` ``tasks``) as its row; a named lead gets its mark."""
    units = str(task.get("units_text", ""))
    lead = str(task.get("lead") or "")
    if lead:
        parts = re.split(f"({_SPLIT.pattern})", units)
        at = next((i for i, part in enumerate(parts) if normalise_name(part) == normalise_name(lead)), None)
        if at is None:
            parts = [lead, "、", *parts]
            at = 0
        parts[at] += LEAD_MARK
        units = "".join(parts)
    return {
        T_NO: int(task["no"]),
        T_SECTION: str(task.get("section") or ""),
        T_TITLE: str(task["title"]),
        T_TEXT: str(task["text"]).strip(),
        T_UNITS: units,
    }


def write_tasks_sheet(wb: Any, tasks: list[Mapping[str, Any]], units: list[Mapping[str, Any]], f: Any) -> None:
    """The 重点任务 sheet: the plan's tasks, or (none yet) the example row. ``f``: the formats of
    the configuration workbook (``th`` header, ``td`` input)."""
    from .styles import fit_height, print_setup

    ws = wb.add_worksheet(SHEET_TASKS)
    for c, (header, width) in enumerate(zip(TASK_HEADERS, WIDTHS)):
        ws.set_column(c, c, width)
        ws.write_string(0, c, header, f["th"])
    rows = [task_row(t) for t in tasks] or [example_row(units)]
    for r, row in enumerate(rows, 1):
        for c, header in enumerate(TASK_HEADERS):
            value = row[header]
            if isinstance(value, int):
                ws.write_number(r, c, value, f["td"])
            else:
                ws.write_string(r, c, value, f["td"])
        ws.set_row(r, fit_height([(row[h], w) for h, w in zip(TASK_HEADERS, WIDTHS) if isinstance(row[h], str)]))
    ws.freeze_panes(1, 3)
    ws.autofilter(0, 0, len(rows), len(TASK_HEADERS) - 1)
    print_setup(ws, (0, 0))


def read_tasks_sheet(
    ws: Any,
    book: str,
    units: list[Mapping[str, Any]],
    groups: list[Mapping[str, Any]],
    header_of: Any,
    problems: list[str],
) -> list[dict[str, Any]]:
    """The plan's tasks in the raw shape, every row checked: 编号 a number 1–99 used once, a
    名称, a 内容 and 责任单位 each of which the registry knows, at most one 牵头. ``header_of``
    finds the header row (:func:`.office_config._header`)."""
    sheet = location("sheet", book=book, sheet=SHEET_TASKS)
    head = header_of(ws, REQUIRED_HEADERS, sheet, problems)
    if head is None:
        return []
    hrow, cols = head
    known = {normalise_name(n) for u in units for n in (u["name"], *u.get("aliases", ()))}
    known |= {normalise_name(n) for g in groups for n in (g["name"], *g.get("aliases", ()))}
    numbers: dict[int, int] = {}
    tasks: list[dict[str, Any]] = []
    for r, row in enumerate(ws.iter_rows(min_row=hrow + 1, values_only=True), hrow + 1):
        vals = {h: cell_text(row[c]) if c < len(row) else "" for h, c in cols.items() if h in TASK_HEADERS}
        if not any(vals.values()):
            continue
        where = location("sheet_row", book=book, sheet=SHEET_TASKS, row=r) + "："
        found = _task(vals, known, numbers, r)
        if isinstance(found, list):
            problems.extend(p.located(where) for p in found)
        elif found is not None:
            tasks.append(found)
    return tasks


def _is_example(vals: Mapping[str, str]) -> bool | None:
    """True: the example row as written (skipped); False: a row derived from it but edited (an
    error); None: an ordinary row."""
    unchanged = vals[T_NO] == EXAMPLE_NO and vals.get(T_TITLE) == EXAMPLE_TITLE and vals.get(T_TEXT) == EXAMPLE_TEXT
    if unchanged:
        return True
    derived = vals[T_NO] == EXAMPLE_NO or any(vals.get(h, "").startswith(EXAMPLE_MARK) for h in TASK_HEADERS)
    return False if derived else None


def _task(
    vals: Mapping[str, str], known: set[str], numbers: dict[int, int], r: int
) -> dict[str, Any] | list[Any] | None:
    """One row as a task, or the problems that keep it from being one (None: the example row)."""
    example = _is_example(vals)
    if example:
        return None
    if example is False:
        return [problem("config_task_example_edited", example=EXAMPLE_NO)]
    found: list[Any] = []
    text = vals[T_NO]
    no = task_number(text)
    if no is None:
        found.append(problem("config_task_no_invalid", no=text or "（空白）"))
        no = 0
    if no in numbers:
        found.append(problem("config_task_no_duplicate", no=no, row=numbers[no]))
    elif no:
        numbers[no] = r
    label = no or text or f"第{r}行"
    for header in (T_TITLE, T_TEXT, T_UNITS):
        if not vals.get(header):
            found.append(problem("config_task_empty", no=label, header=header))
    units_text, leads = responsible(vals.get(T_UNITS, ""))
    for part in _SPLIT.split(units_text):
        if part and normalise_name(part) not in known:
            found.append(problem("config_task_unit_unknown", no=label, name=part, sheet="单位", groups="分组"))
    if len(leads) > 1:
        found.append(problem("config_task_lead_twice", no=label, count=len(leads), names="、".join(leads)))
    if found:
        return found
    task: dict[str, Any] = {
        "key": task_key(no),
        "no": no,
        "title": vals[T_TITLE],
        "text": vals[T_TEXT],
        "units_text": units_text,
    }
    if vals.get(T_SECTION):
        task["section"] = vals[T_SECTION]
    if leads:
        task["lead"] = leads[0]
    return task


def task_number(text: str) -> int | None:
    """The task's number as a plan writes it — 3, 「3.」「3、」「（3）」「任务3」「三」「十二」 —, or
    None when it is not a number from 1 to 99."""
    m = _NUMBER.fullmatch(unicodedata.normalize("NFKC", str(text)).strip())
    if not m:
        return None
    digits = m.group(1)
    if digits.isdigit():
        no = int(digits)
    else:
        tens, _, ones = digits.rpartition("十")
        if "十" not in digits:
            no = _CN.get(digits, 0) if len(digits) == 1 else 0
        elif len(tens) > 1 or len(ones) > 1 or (tens and tens not in _CN) or (ones and ones not in _CN):
            no = 0
        else:
            no = (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)
    return no if no in TASK_NUMBERS else None


def responsible(cell: str) -> tuple[str, list[str]]:
    """(the 责任单位 text without its marks, the units marked as leading) of a cell as a plan writes
    it: 「县商务局（牵头）、县财政局」, 「县商务局牵头，县财政局配合」, 「牵头单位：县商务局；配合单位：县财政局」."""
    leads: list[str] = []
    parts = []
    for clause in re.split(r"([；;]\s*)", str(cell)):
        lead_prefix = bool(_LEAD_PREFIX.match(clause.strip()))
        clause = _OTHER_PREFIX.sub("", _LEAD_PREFIX.sub("", clause))
        clause = _MARK_SPACE.sub("", clause)  # 「县统计局 （牵头）」: the mark belongs to the name before it
        pieces = re.split(f"({_SPLIT.pattern})", clause)
        for i, piece in enumerate(pieces):
            if not piece or _SPLIT.fullmatch(piece):
                continue
            marked = bool(_LEAD.search(piece))
            piece = _HELPER.sub("", _LEAD.sub("", piece)).strip()
            pieces[i] = piece
            first = not any(p and not _SPLIT.fullmatch(p) for p in pieces[:i])
            if piece and (marked or (lead_prefix and first)):
                leads.append(piece)
        parts.append("".join(pieces))
    return "".join(parts).strip("、，,；; "), leads
