"""The breakdown workbook's 历年对比 sheet (``run --previous``): this year against last year.

Three blocks, top to bottom: the verdict in words (total, pass, how many indicators moved and
how many could not be compared, and why), the first levels' scores and rates, and every
comparable indicator with its score and status in both years. The rows are plain values from
:class:`~yongji_xls.scoring.year_on_year.YearOnYear` (exact; the sheet's General format shows
1.5 as 1.5); the writer is the breakdown's ``Book`` (passed in, so this module does not import
the breakdown writer that calls it).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..issues import Trend, colours, labels
from ..records import RunResult
from ..scoring.display import show
from ..scoring.scorecard import STATUS_TEXT
from ..scoring.year_on_year import YearOnYear, direction
from ..workbook.write.styles import fit_height
from . import paging

SHEET = "历年对比"
TREND_TEXT = labels(Trend)
WIDTHS = [14, 34, 10, 10, 11, 10, 10, 11, 12]
NOT_COMPARABLE = {"only_current": "本年新增", "only_previous": "本年已无", "renamed": "名称不同"}
HAN_WIDTH = 1.8  # the breakdown's 宋体 10 pt: a Han character is ~1.8 digit widths (breakdown.HAN_WIDTH)


def year_label(yoy: YearOnYear) -> str:
    """「上年」 for the year just before, else 「2022年度」."""
    return "上年" if yoy.consecutive else f"{yoy.previous_year}年度"


def change_text(change: Fraction, unit: str = "分") -> str:
    """「提高4.5分」「降低1分」「持平」: a change in words, exact (shown as the display rounds)."""
    trend = direction(change)
    return TREND_TEXT[trend] if trend == Trend.SAME else f"{TREND_TEXT[trend]}{show(abs(change))}{unit}"


def facts(yoy: YearOnYear) -> list[tuple[str, str]]:
    """(label, sentence) rows of the sheet's first block."""
    word = {True: "达到合格标准", False: "未达到合格标准"}
    change = change_text(yoy.total_change)
    moved = (
        f"{len(yoy.indicators)}项（得分提高{len(yoy.gained)}项、降低{len(yoy.lost)}项、"
        f"持平{len(yoy.indicators) - len(yoy.gained) - len(yoy.lost)}项）"
    )
    apart = "；".join(f"{n.name}（{NOT_COMPARABLE[n.why]}）" for n in yoy.not_comparable)
    versions = f"上年版本{yoy.previous_version or '未知'}，本年版本{yoy.current_version}"
    system = (
        "相同" if yoy.previous_version == yoy.current_version else f"不同（{versions}），只对比编号和名称都相同的指标"
    )
    return [
        ("对比年度", f"{yoy.previous_year}年度 → {yoy.current_year}年度"),
        ("上年结果", yoy.source),
        ("指标体系", system),
        ("自评总分", f"{show(yoy.previous_total)}分 → {show(yoy.current_total)}分，较{year_label(yoy)}{change}"),
        ("合格情况", f"{word[yoy.previous_passed]} → {word[yoy.current_passed]}"),
        ("可对比的指标", moved),
        ("无法对比的指标", f"{len(yoy.not_comparable)}项" + (f"：{apart}" if yoy.not_comparable else "")),
    ]


def year_lines(yoy: YearOnYear, level_name: str) -> list[str]:
    """The CLI's lines: the total's change, the indicators that moved, each first level's rate."""
    apart = f"，另有{len(yoy.not_comparable)}项无法对比" if yoy.not_comparable else ""
    lines = [
        f"历年对比：总分较{year_label(yoy)}{change_text(yoy.total_change)}（{yoy.previous_year}年度"
        f"{show(yoy.previous_total)}分）；可对比的{len(yoy.indicators)}项{level_name}中得分提高{len(yoy.gained)}项、"
        f"降低{len(yoy.lost)}项{apart}。"
    ]
    if yoy.levels:
        rates = [f"{lv.name}{show(lv.previous_rate * 100)}%→{show(lv.current_rate * 100)}%" for lv in yoy.levels]
        lines.append("  一级指标得分率：" + "，".join(rates) + "。")
    return lines


def level_rows(yoy: YearOnYear) -> list[list[Any]]:
    return [
        [
            lv.name,
            lv.previous_score,
            lv.previous_max,
            lv.previous_rate,
            lv.current_score,
            lv.current_max,
            lv.current_rate,
            lv.score_change,
            lv.rate_change,
        ]
        for lv in yoy.levels
    ]


def indicator_rows(yoy: YearOnYear) -> list[list[Any]]:
    return [
        [
            i.no,
            i.name,
            i.previous_score,
            STATUS_TEXT.get(i.previous_status, i.previous_status),
            i.current_score,
            STATUS_TEXT.get(i.current_status, i.current_status),
            i.change,
            TREND_TEXT[direction(i.change)],
        ]
        for i in yoy.indicators
    ]


def write_year_on_year(book: Any, result: RunResult) -> None:
    """The 历年对比 sheet, when the run was given last year's results."""
    yoy = result.previous
    if yoy is None:
        return
    ws = book.wb.add_worksheet(SHEET)
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    title = f"历年对比（{yoy.previous_year}年度 → {yoy.current_year}年度）"
    ws.merge_range(0, 0, 0, len(WIDTHS) - 1, title, book.f["title"])
    ws.set_row(0, 28)
    row = 2
    for label, text in facts(yoy):
        ws.write_string(row, 0, label, book.f["label"])
        ws.merge_range(row, 1, row, len(WIDTHS) - 1, text, book.f["text"])
        ws.set_row(row, fit_height([(text, sum(WIDTHS[1:]))], han=HAN_WIDTH))
        row += 1
    row += 1
    heads = [
        "一级指标",
        "上年得分",
        "上年满分",
        "上年得分率",
        "本年得分",
        "本年满分",
        "本年得分率",
        "得分变化",
        "得分率变化（百分点）",
    ]
    kinds = ["short", "num", "num", "pct", "num", "num", "pct", "num", "points"]
    book.f.setdefault("points", book.wb.add_format({"border": 1, "align": "center", "num_format": "0.0"}))
    row = _block(book, ws, row, heads, level_rows(yoy), kinds)
    row += 1
    heads = ["编号", result.spec.indicator_level, "上年得分", "上年状态", "本年得分", "本年状态", "变化", "较上年"]
    kinds = ["short", "text", "num", "short", "num", "short", "num", "short"]
    first = row + 1
    row = _block(book, ws, row, heads, indicator_rows(yoy), kinds)
    trend = len(heads) - 1
    book.colour(ws, (first, trend, max(first, row - 1), trend), colours(Trend))
    ws.freeze_panes(1, 0)
    paging.apply(ws, paging.layout(WIDTHS), (0, 0), center=True)


def _block(book: Any, ws: Any, row: int, heads: list[str], rows: list[list[Any]], kinds: list[str]) -> int:
    """A headed table from ``row``; returns the row after it. Rates are fractions shown as %,
    the 百分点 column an exact number."""
    for c, h in enumerate(heads):
        ws.write_string(row, c, h, book.f["header"])
    ws.set_row(row, 30)
    for r, values in enumerate(rows, row + 1):
        ws.set_row(r, fit_height([(v, WIDTHS[c]) for c, v in enumerate(values) if isinstance(v, str)], han=HAN_WIDTH))
        for c, value in enumerate(values):
            book.put(ws, r, c, value, kinds[c])
    return row + 1 + len(rows)
