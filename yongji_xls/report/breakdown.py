"""The task-breakdown workbook (任务分解表.xlsx), written with xlsxwriter.

Layout only: the rows come from :mod:`.sheets`. Every user text is written with
``write_string`` and the workbook is opened with ``strings_to_formulas``/``strings_to_urls`` off,
so a unit's 「=SUM(…)」 or 「+86 …」 stays text (no formula injection). The only formulas are
our own (validation and conditional formats on fixed cells). Every table sheet has a title row,
one header row, frozen panes, an autofilter and an A4-landscape print setup fitted to the width.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..files.atomic import write_with
from ..issues import Severity, Status, TaskStatus, UnitState, colours
from ..records import RunResult
from ..scoring.display import show, spec_groups
from ..scoring.scorecard import STATUS_TEXT
from ..system.model import Spec
from . import paging
from . import sheets as S
from .book import FIRST_ROW, Book, row_height, table
from .context import join_units, lost_reason
from .office_sheets import write_evidence, write_path, write_report_text, write_review
from .year_sheet import write_year_on_year

STATUS_COLOURS = colours(Status)
STATE_COLOURS = colours(UnitState)
TASK_COLOURS = colours(TaskStatus)
SEVERITY_COLOURS = colours(Severity)
CHART_SIZE = {"width": 400, "height": 270}  # two charts side by side below the tables, within A:I
SUMMARY_WIDTHS = [22, 9, 7, 8, 7, 9, 8, 30, 18]


def _facts(result: RunResult) -> list[tuple[str, Any, str]]:
    card, rule = result.card, result.spec.pass_rule
    changed = [
        f"{i.no}.{i.name}（计算{show(i.computed_score)}分→核定{show(i.score)}分）"
        for i in card.indicators
        if i.computed_score is not None
    ]
    return [
        ("自评总分", card.total, "num"),
        ("满分", card.max, "num"),
        ("合格标准", rule.text, "text"),
        (f"总分≥{show(Fraction(rule.total_min))}分", card.total_ok, "short"),
        (f"每个一级指标得分率≥{show(Fraction(rule.first_level_rate_min))}%", card.levels_ok, "short"),
        ("结论", "达到合格标准" if card.passed else "未达到合格标准", "short"),
        ("计算总分（核定前）", result.computed.total, "num"),
        ("核定调整", "；".join(changed) or "无", "text"),
        ("评估年度 / 地区", f"{result.year}年 / {result.region}", "text"),
        ("指标体系", result.spec.title, "text"),
        ("生成时间", result.generated_at.replace("T", " "), "text"),
    ]


def _block(book: Book, ws, row: int, headers: list[str], rows: list[list[Any]], kinds: list[str]) -> tuple[int, int]:
    """A small headed block on the summary sheet; returns its first and last data rows."""
    for c, h in enumerate(headers):
        ws.write_string(row, c, h, book.f["header"])
    formats = [book.format_of(k) for k in kinds]
    for r, values in enumerate(rows, row + 1):
        ws.set_row(r, row_height(values, SUMMARY_WIDTHS, kinds))
        for c, value in enumerate(values):
            book.put_cell(ws, r, c, value, formats[c])
    return row + 1, row + len(rows)


def write_summary(book: Book, result: RunResult) -> None:
    """评分汇总: verdict on both rules, level scores and rates, points lost, two native charts."""
    ws = book.wb.add_worksheet("评分汇总")
    card = result.card
    for c, w in enumerate(SUMMARY_WIDTHS):
        ws.set_column(c, c, w)
    ws.merge_range(
        0,
        0,
        0,
        8,
        f"{result.spec.office['city']}创建{result.spec.programme}自评得分汇总（{result.year}年度）",
        book.f["title"],
    )
    ws.set_row(0, 28)
    row = 2
    for label, value, kind in _facts(result):
        ws.write_string(row, 0, label, book.f["label"])
        fmt = book.verdict(card.passed) if label == "结论" else book.f[kind]
        ws.merge_range(row, 1, row, 6, "", fmt)
        book.put(ws, row, 1, value, kind, fmt)
        ws.set_row(row, row_height([value], [sum(SUMMARY_WIDTHS[1:7])], [kind]))
        row += 1
    rate = result.spec.pass_rule.rate_min
    first_rows = [[f.name, f.max, f.score, f.rate, f.max - f.score, bool(f.passed), rate] for f in card.first_level]
    f1, l1 = _block(
        book,
        ws,
        row + 1,
        ["一级指标", "满分", "得分", "得分率", "失分", f"得分率≥{show(rate * 100)}%", "合格线"],
        first_rows,
        ["short", "num", "num", "pct", "num", "short", "pct"],
    )
    for r, f in enumerate(card.first_level, f1):  # a rate just under the line must not display as the line
        book.put(ws, r, 3, f.rate, fmt=book.pct_format(f.rate, rate))
    seconds = [[s.name, s.first, s.max, s.score, s.rate, s.max - s.score] for s in card.second_level]
    l2 = l1
    if seconds:  # a two-level system has no subgroups to list
        _, l2 = _block(
            book,
            ws,
            l1 + 2,
            ["二级指标", "一级指标", "满分", "得分", "得分率", "失分"],
            seconds,
            ["short", "short", "num", "num", "pct", "num"],
        )
    lost = [
        [
            f"{i.name}",
            i.no,
            i.max,
            i.score,
            i.lost,
            STATUS_TEXT[i.status],
            i.computed_score,
            lost_reason(i, result.spec),
            join_units((i.lead, *i.units), groups=spec_groups(result.spec)),
        ]
        for i in card.lost
    ]
    ws.write_string(l2 + 2, 0, f"失分项（按可挽回分值排序，共失{show(card.max - card.total)}分）", book.f["label"])
    _, l3 = _block(
        book,
        ws,
        l2 + 3,
        [result.spec.indicator_level, "编号", "满分", "得分", "失分", "状态", "计算得分", "失分原因", "责任单位"],
        lost,
        ["text", "short", "num", "num", "num", "short", "num", "text", "text"],
    )
    _charts(book, ws, f1, l1, result.spec, l3 + 2)
    ws.freeze_panes(1, 0)
    paging.apply(ws, paging.layout(SUMMARY_WIDTHS), (0, 0), center=True)


def _charts(book: Book, ws, first: int, last: int, spec: Spec, at: int) -> None:
    """First-level rates against the pass line (column + line), points by indicator (stacked
    bar), side by side from row ``at`` (within the printed columns)."""
    rates = book.wb.add_chart({"type": "column"})
    rates.add_series(
        {
            "name": "得分率",
            "categories": ["评分汇总", first, 0, last, 0],
            "values": ["评分汇总", first, 3, last, 3],
            "data_labels": {"value": True, "num_format": "0.0%"},
            "fill": {"color": "#2F6F9F"},
        }
    )
    line = book.wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": "合格线",
            "categories": ["评分汇总", first, 0, last, 0],
            "values": ["评分汇总", first, 6, last, 6],
            "line": {"color": "#D35400", "dash_type": "dash", "width": 1.5},
            "marker": {"type": "none"},
        }
    )
    rates.combine(line)
    rates.set_title({"name": "各一级指标得分率"})
    rates.set_y_axis(
        {"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}}
    )
    rates.set_legend({"position": "bottom"})
    rates.set_size(CHART_SIZE)
    ws.insert_chart(at, 0, rates)
    points = book.wb.add_chart({"type": "column", "subtype": "stacked"})
    last_ind = FIRST_ROW + len(spec.indicators) - 1
    cols = S.leveled(S.BREAKDOWN_COLS, spec)
    no_col = S.col_index(cols, "编号")
    for name, colour in (("得分", "#2F6F9F"), ("失分", "#E74C3C")):
        col = S.col_index(cols, name)
        points.add_series(
            {
                "name": name,
                "categories": ["指标任务分解", FIRST_ROW, no_col, last_ind, no_col],
                "values": ["指标任务分解", FIRST_ROW, col, last_ind, col],
                "fill": {"color": colour},
                "gap": 30,
            }
        )
    points.set_title({"name": f"各{spec.indicator_level}得分与失分（按编号）"})
    points.set_x_axis({"num_font": {"size": 7}, "interval_unit": 2})
    points.set_y_axis({"min": 0, "max": max(i.points for i in spec.indicators), "major_unit": 1})
    points.set_legend({"position": "bottom"})
    points.set_size(CHART_SIZE)
    ws.insert_chart(at, 0, points, {"x_offset": CHART_SIZE["width"] + 10})


def _merge_groups(book: Book, ws, col: int, labels: list[str], points: dict[str, int]) -> None:
    """Merge runs of equal 一级/二级 labels down a column, as in 附件2 ("促进发展（20分）")."""
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            text = f"{labels[start]}\n（{points.get(labels[start], '')}分）"
            if i - start > 1:
                ws.merge_range(FIRST_ROW + start, col, FIRST_ROW + i - 1, col, text, book.f["group"])
            else:
                ws.write_string(FIRST_ROW + start, col, text, book.f["group"])
            start = i


def write_breakdown_sheet(book: Book, result: RunResult) -> None:
    rows = S.breakdown_rows(result)
    spec = result.spec
    title = f"{spec.office.get('city', '')}创建{spec.programme}评估指标体系任务分解（{result.year}年度自评得分）"
    cols = S.leveled(S.BREAKDOWN_COLS, spec)
    groups = spec.levels - 1  # group columns merged down: 一级指标 (and 二级指标)
    printed = S.BREAKDOWN_PRINT_COLS - (len(S.BREAKDOWN_COLS) - len(cols))
    ws = table(book, "指标任务分解", title, cols, rows, freeze_cols=groups + 3, print_cols=printed)
    _merge_groups(book, ws, 0, [r[0] for r in rows], {f.name: f.points for f in spec.first_levels})
    if groups == 2:
        _merge_groups(book, ws, 1, [r[1] for r in rows], {s.name: s.points for s in spec.second_levels})
    last = FIRST_ROW + len(rows) - 1
    status = S.col_index(cols, "状态")
    book.colour(ws, (FIRST_ROW, status, last, status), STATUS_COLOURS)
    lost = S.col_index(cols, "失分")
    ws.conditional_format(
        FIRST_ROW, lost, last, lost, {"type": "cell", "criteria": ">", "value": 0, "format": book.fill("#FFC7CE")}
    )


def _group_starts(result: RunResult, first_col: int) -> list[int]:
    """The matrix columns where a first-level group's indicators begin (page-width breaks)."""
    starts, seen = [], set()
    for n, ind in enumerate(result.spec.indicators):
        if ind.first not in seen:
            seen.add(ind.first)
            starts.append(first_col + n)
    return starts


def write_matrix(book: Book, result: RunResult) -> None:
    cols = S.UNIT_COLS_HEAD + [
        S.Col(f"{i.no:02d} {i.name[:12]}{'…' if len(i.name) > 12 else ''}", 3.4, "short")
        for i in result.spec.indicators
    ]
    rows = S.unit_matrix_rows(result)
    head = len(S.UNIT_COLS_HEAD)
    ws = table(
        book,
        "单位任务清单",
        "单位任务清单（★牵头　●负责）",
        cols,
        rows,
        freeze_cols=3,
        vertical_from=head,
        repeat=head,
        natural=_group_starts(result, head),
    )
    state = S.col_index(cols, "报送状态")
    book.colour(ws, (FIRST_ROW, state, FIRST_ROW + len(rows) - 1, state), STATE_COLOURS)


def write_submissions(book: Book, result: RunResult, reminder: Callable[[dict[str, Any]], str]) -> None:
    rows = S.submission_rows(result, reminder)
    ws = table(
        book,
        "报送情况",
        f"{result.year}年度自评材料报送情况",
        S.SUBMISSION_COLS,
        rows,
        freeze_cols=2,
        print_cols=S.SUBMISSION_PRINT_COLS,
    )
    state = S.col_index(S.SUBMISSION_COLS, "报送状态")
    book.colour(ws, (FIRST_ROW, state, FIRST_ROW + len(rows) - 1, state), STATE_COLOURS)


def write_tasks(book: Book, result: RunResult) -> None:
    units = S.task_units(result)
    cols = S.TASK_HEAD + [S.Col(u, 6.5, "short") for u in units]
    rows = S.task_matrix_rows(result)
    ws = table(
        book,
        "重点任务进展",
        "重点任务进展（主要任务×责任单位）",
        cols,
        rows,
        freeze_cols=2,
        vertical_from=len(S.TASK_HEAD),
        repeat=2,
    )
    book.colour(ws, (FIRST_ROW, len(S.TASK_HEAD), FIRST_ROW + len(rows) - 1, len(cols) - 1), TASK_COLOURS)
    detail = S.task_detail_rows(result)
    ws = table(book, "任务进展明细", "重点任务进展明细", S.TASK_DETAIL_COLS, detail, freeze_cols=3, print_cols=6)
    book.colour(ws, (FIRST_ROW, 3, FIRST_ROW + max(len(detail), 1) - 1, 3), TASK_COLOURS)


def _reminder() -> Callable[[dict[str, Any]], str]:
    from .templates_path import template_env

    template = template_env().get_template("reminder.j2")
    return lambda ctx: " ".join(template.render(**ctx).split())


def build(result: RunResult, path: Path, templates: Path | None = None, context: dict[str, Any] | None = None) -> None:
    """Write every sheet into ``path`` (a temporary file; :func:`write_breakdown` moves it);
    ``templates``: the report's wording folder (the 报告文字 sheet shows its generated text);
    ``context``: the run's report context when the caller has built it for the Word report too."""
    book = Book(path)
    write_summary(book, result)
    write_path(book, result)
    write_breakdown_sheet(book, result)
    write_matrix(book, result)
    write_submissions(book, result, _reminder())
    table(book, "问题清单", f"问题清单（共{len(result.report)}条）", S.ISSUE_COLS, S.issue_rows(result), freeze_cols=2)
    book.colour(
        book.wb.get_worksheet_by_name("问题清单"),
        (FIRST_ROW, 1, FIRST_ROW + max(len(result.report), 1) - 1, 1),
        SEVERITY_COLOURS,
    )
    table(book, "数据冲突", "数据冲突（以主责单位数据为准）", S.CONFLICT_COLS, S.conflict_rows(result), freeze_cols=2)
    table(book, "原始数据", "原始数据（汇总值及来源）", S.RAW_COLS, S.raw_rows(result), freeze_cols=2)
    write_evidence(book, result)
    write_tasks(book, result)
    write_year_on_year(book, result)
    write_review(book, result)
    write_report_text(book, result, templates, context)
    _write_meta(book, result)
    book.wb.close()


def _write_meta(book: Book, result: RunResult) -> None:
    """A hidden ``_meta`` with ``kind = breakdown``, so a breakdown dropped into an input folder is
    recognised as the tool's own output and skipped, never read as a unit's data."""
    ws = book.wb.add_worksheet("_meta")
    meta = {
        "kind": "breakdown",
        "year": str(result.year),
        "spec_version": result.spec.version,
        "generated_at": result.generated_at,
    }
    for r, (k, v) in enumerate(meta.items()):
        ws.write_string(r, 0, k)
        ws.write_string(r, 1, v)
    ws.hide()


def write_breakdown(result: RunResult, path: Path, templates: Path | None = None) -> Path:
    """Write the task-breakdown workbook atomically and return its path."""
    return write_with(path, lambda tmp: build(result, tmp, templates))
