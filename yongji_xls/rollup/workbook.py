"""The city bureau's rollup workbook (「<市>各县（市、区）自评汇总_YYYY.xlsx」), xlsxwriter.

Sheets: 汇总 (county verdicts on both rules, first-level rates, two native charts), 指标得分
(county × indicator, cells coloured by status), 失分最多指标, 缺失与待核定, 全国参考值 (where
counties used different figures), 未纳入汇总 (other versions/years), 问题清单. Every text goes
through ``write_string``: a county or unit name never becomes a formula.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from ..files.atomic import write_with
from ..issues import SEVERITY_TEXT, Status, colours
from ..report.year_sheet import change_text
from ..system.load import load_spec
from ..system.words import words
from ..workbook.write.styles import new_workbook, print_setup
from .collect import Rollup

STATUS_FILL = colours(Status)
PASS_FILL, FAIL_FILL = "#C6EFCE", "#FFC7CE"


class _Book:
    def __init__(self, path: Path) -> None:
        self.wb = new_workbook(path, font_size=10)
        base = {"valign": "vcenter", "border": 1}
        self.f = {
            "title": self.wb.add_format({"bold": True, "font_size": 14}),
            "note": self.wb.add_format({"text_wrap": True, "valign": "top"}),
            "th": self.wb.add_format(
                {**base, "bold": True, "bg_color": "#D9D9D9", "align": "center", "text_wrap": True}
            ),
            "td": self.wb.add_format({**base, "text_wrap": True}),
            "name": self.wb.add_format(base),
            "num": self.wb.add_format(base),  # General: 2 and 1.5 (Excel shows "0.##" as "2.")
            "pct": self.wb.add_format({**base, "num_format": "0.0%"}),
        }
        self._fills: dict[tuple[str, str], Any] = {}

    def fill(self, colour: str, kind: str = "td") -> Any:
        if (colour, kind) not in self._fills:
            props = {"valign": "vcenter", "border": 1, "bg_color": colour, "text_wrap": True}
            if kind == "pct":
                props["num_format"] = "0.0%"
            self._fills[(colour, kind)] = self.wb.add_format(props)
        return self._fills[(colour, kind)]

    def put(self, ws: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        fmt = fmt or self.f["td"]
        if value is None or value == "":
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, "是" if value else "否", fmt)
        elif isinstance(value, (int, float, Fraction)):
            ws.write_number(r, c, float(value), fmt)
        else:
            ws.write_string(r, c, str(value), fmt)

    def sheet(self, name: str, title: str, headers: list[str], widths: list[int], note: str = "") -> Any:
        ws = self.wb.add_worksheet(name)
        ws.write_string(0, 0, title, self.f["title"])
        if note:
            ws.merge_range(1, 0, 1, max(len(headers) - 1, 1), note, self.f["note"])
            ws.set_row(1, 30)
        for c, (h, w) in enumerate(zip(headers, widths)):
            ws.set_column(c, c, w)
            ws.write_string(HEAD, c, h, self.f["th"])
        ws.set_row(HEAD, 30)
        ws.freeze_panes(HEAD + 1, 1)
        print_setup(ws, (0, HEAD))
        return ws


HEAD = 2


def _rate(f: dict[str, Any]) -> Fraction:
    return Fraction(str(f["score"])) / Fraction(str(f["max"])) if f.get("max") else Fraction(0)


def write_summary(book: _Book, rollup: Rollup) -> None:
    firsts = [f["name"] for f in rollup.counties[0].first_level] if rollup.counties else []
    headers = [
        "县（市、区）",
        "总分",
        "满分",
        "总分达标",
        "一级指标得分率均达标",
        "结论",
        *[f"{n}得分率" for n in firsts],
        "未报送或需重报单位",
        "待核定项",
        "来源文件",
    ]
    widths = [16, 7, 7, 9, 11, 12, *[10] * len(firsts), 30, 16, 30]
    title = f"{rollup.prefecture or '全市'}各县（市、区）创建{rollup.programme}自评汇总（{rollup.year}年度）"
    note = f"指标体系：{rollup.system_title}；合格标准：{rollup.rule_text}。共{len(rollup.counties)}个县（市、区）。"
    ws = book.sheet("汇总", title, headers, widths, note)
    for r, c in enumerate(rollup.counties, HEAD + 1):
        book.put(ws, r, 0, c.county)
        book.put(ws, r, 1, c.total, book.f["num"])
        book.put(ws, r, 2, c.max, book.f["num"])
        book.put(ws, r, 3, "是" if c.total_ok else "否", book.fill(PASS_FILL if c.total_ok else FAIL_FILL))
        book.put(ws, r, 4, "是" if c.levels_ok else "否", book.fill(PASS_FILL if c.levels_ok else FAIL_FILL))
        book.put(ws, r, 5, "合格" if c.passed else "不合格", book.fill(PASS_FILL if c.passed else FAIL_FILL))
        by_name = {f["name"]: f for f in c.first_level}
        for k, name in enumerate(firsts):
            f = by_name.get(name)
            if f is None:
                book.put(ws, r, 6 + k, "")
                continue
            book.put(ws, r, 6 + k, _rate(f), book.fill(PASS_FILL if f.get("passed") else FAIL_FILL, "pct"))
        book.put(ws, r, 6 + len(firsts), "、".join(c.missing_units))
        book.put(ws, r, 7 + len(firsts), "、".join(c.names(c.pending)))
        book.put(ws, r, 8 + len(firsts), c.source)
    if not rollup.counties:
        return
    first, last = HEAD + 1, HEAD + len(rollup.counties)
    totals = book.wb.add_chart({"type": "column"})
    totals.add_series(
        {
            "name": "总分",
            "categories": ["汇总", first, 0, last, 0],
            "values": ["汇总", first, 1, last, 1],
            "data_labels": {"value": True},
            "fill": {"color": "#2F6F9F"},
        }
    )
    totals.set_title({"name": "各县（市、区）自评总分"})
    totals.set_y_axis({"min": 0, "max": 100})
    totals.set_x_axis({"interval_unit": 1, "num_font": {"size": 8}})
    totals.set_legend({"none": True})
    totals.set_size({"width": max(620, 56 * len(rollup.counties)), "height": 300})
    ws.insert_chart(last + 2, 0, totals)
    rates = book.wb.add_chart({"type": "column"})
    for k, name in enumerate(firsts):
        rates.add_series(
            {"name": name, "categories": ["汇总", first, 0, last, 0], "values": ["汇总", first, 6 + k, last, 6 + k]}
        )
    rates.set_title({"name": "各县（市、区）一级指标得分率"})
    rates.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
    rates.set_x_axis({"interval_unit": 1, "num_font": {"size": 8}})
    rates.set_legend({"position": "bottom"})
    rates.set_size({"width": max(620, 56 * len(rollup.counties)), "height": 300})
    ws.insert_chart(last + 18, 0, rates)


def write_matrix(book: _Book, rollup: Rollup) -> None:
    scores, statuses = rollup.matrices()
    counties = list(scores.columns)
    info = {i["key"]: i for i in rollup.counties[0].indicators} if rollup.counties else {}
    headers = ["编号", "一级指标", rollup.indicator_level, "满分", *counties, "失分县数", "平均得分"]
    legend = "；".join(f"{k}" for k in STATUS_FILL)
    ws = book.sheet(
        "指标得分",
        f"各县（市、区）{rollup.indicator_level}得分（{rollup.year}年度）",
        headers,
        [6, 10, 44, 6, *[10] * len(counties), 9, 9],
        f"单元格颜色表示状态：{legend}（颜色说明见下方图例）。",
    )
    r = HEAD
    for r, key in enumerate(scores.index, HEAD + 1):
        i = info.get(key, {"no": key, "first": "", "name": key, "max": 0})
        book.put(ws, r, 0, i["no"])
        book.put(ws, r, 1, i["first"])
        book.put(ws, r, 2, i["name"], book.f["name"])
        book.put(ws, r, 3, Fraction(str(i["max"])), book.f["num"])
        lost = 0
        values = []
        for c, county in enumerate(counties, 4):
            score, status = scores.at[key, county], statuses.at[key, county]
            if score is None or score != score:  # a county without this indicator (NaN)
                book.put(ws, r, c, "")
                continue
            values.append(score)
            lost += score < Fraction(str(i["max"]))
            book.put(ws, r, c, score, book.fill(STATUS_FILL.get(str(status), "#FFFFFF"), "num"))
        book.put(ws, r, 4 + len(counties), lost, book.f["num"])
        book.put(ws, r, 5 + len(counties), sum(values, Fraction(0)) / len(values) if values else "", book.f["num"])
    r += 2
    ws.write_string(r, 2, "图例", book.f["th"])
    for k, (name, colour) in enumerate(STATUS_FILL.items(), 1):
        ws.write_string(r + k, 2, name, book.fill(colour))
    ws.autofilter(HEAD, 0, HEAD + len(scores.index), len(headers) - 1)


def write_most_lost(book: _Book, rollup: Rollup) -> None:
    table = rollup.most_lost()
    ws = book.sheet(
        "失分最多指标",
        "失分最多的指标（按合计失分、失分县数排序）",
        ["序号", "编号", rollup.indicator_level, "满分", "失分县数", "合计失分", "失分的县（市、区）"],
        [6, 6, 44, 6, 9, 9, 60],
    )
    for n, row in enumerate(table.itertuples(index=False), 1):
        r = HEAD + n
        for c, value in enumerate([n, row.no, row.name, Fraction(str(row.max)), row.counties, row.lost, row.names]):
            book.put(ws, r, c, value, book.f["num"] if c in (3, 4, 5) else book.f["name"] if c == 2 else None)


def write_gaps(book: _Book, rollup: Rollup) -> None:
    ws = book.sheet(
        "缺失与待核定",
        "数据缺失和待核定情况",
        ["县（市、区）", "未报送或需重报单位", "数据缺失的指标", "待核定项"],
        [16, 50, 40, 30],
    )
    r = HEAD
    for c in rollup.counties:
        missing = [i["name"] for i in c.indicators if i.get("status_text") == "数据缺失"]
        if c.missing_units or missing or c.pending:
            r += 1
            for col, value in enumerate(
                [c.county, "、".join(c.missing_units), "、".join(missing), "、".join(c.names(c.pending))]
            ):
                book.put(ws, r, col, value)


def write_references(book: _Book, rollup: Rollup) -> None:
    counties = [c.county for c in rollup.counties]
    ws = book.sheet(
        "全国参考值",
        "各县（市、区）评分所用的全国参考值（%，满意度为分）",
        ["参考值", *counties, "是否一致", "键"],
        [34, *[10] * len(counties), 9, 12],
        "按任务分解表汇总的县未记录参考值，显示为空白。不一致的行标为红色，请核实各县采用的全国数据。",
    )
    ws.set_column(len(counties) + 2, len(counties) + 2, 12, None, {"hidden": True})
    spec = load_spec()
    for r, (key, values, same) in enumerate(rollup.references(), HEAD + 1):
        fmt = None if same else book.fill(FAIL_FILL)
        book.put(ws, r, 0, words(spec, key), fmt)
        for c, value in enumerate(values, 1):
            book.put(
                ws, r, c, value if value is not None else "", book.f["num"] if same else book.fill(FAIL_FILL, "num")
            )
        book.put(ws, r, len(values) + 1, "一致" if same else "不一致", fmt)
        book.put(ws, r, len(values) + 2, key)


def write_excluded(book: _Book, rollup: Rollup) -> None:
    ws = book.sheet(
        "未纳入汇总",
        "未纳入汇总矩阵的评分结果",
        ["县（市、区）", "年度", "指标体系版本", "总分", "来源文件", "原因"],
        [16, 8, 14, 8, 36, 50],
    )
    for r, (c, why) in enumerate(rollup.excluded, HEAD + 1):
        for col, value in enumerate([c.county, c.year, c.version or "未知", c.total, c.source, why]):
            book.put(ws, r, col, value, book.f["num"] if col in (1, 3) else None)


def trend_years(rollup: Rollup) -> list[int]:
    """Every year the trend sheet shows, oldest first (the compared year last)."""
    return sorted({r.year for _, past in rollup.trends() for r in past} | {rollup.year})


def trend_row(county: Any, past: list[Any]) -> tuple[str, str, str]:
    """(change on the year before, pass before → now, note on system versions) of one county."""
    before = past[-1]
    label = "上年" if before.year == county.year - 1 else f"{before.year}年度"
    verdict = {True: "合格", False: "不合格"}
    versions = [f"{r.year}年度为版本{r.version or '未知'}" for r in past if r.version != county.version]
    note = f"指标体系版本不同（{'，'.join(versions)}），总分仅供参考" if versions else ""
    return (
        f"较{label}{change_text(county.total - before.total)}",
        f"{verdict[before.passed]}→{verdict[county.passed]}",
        note,
    )


def write_trend(book: _Book, rollup: Rollup) -> None:
    """历年趋势: each compared county's totals by year, when earlier years were given."""
    trends = rollup.trends()
    if not trends:
        return
    years = trend_years(rollup)
    headers = ["县（市、区）", *[f"{y}年度总分" for y in years], "变化", "合格情况", "说明"]
    ws = book.sheet(
        "历年趋势",
        f"各县（市、区）历年自评总分（{years[0]}—{years[-1]}年度）",
        headers,
        [16, *[10] * len(years), 16, 16, 40],
        "单元格颜色表示当年是否合格；只列出有往年结果的县（市、区）。",
    )
    for r, (county, past) in enumerate(trends, HEAD + 1):
        by_year = {p.year: p for p in [*past, county]}
        book.put(ws, r, 0, county.county)
        for k, y in enumerate(years, 1):
            res = by_year.get(y)
            fill = book.fill(PASS_FILL if res and res.passed else FAIL_FILL, "num") if res else None
            book.put(ws, r, k, res.total if res else "", fill)
        for k, text in enumerate(trend_row(county, past), len(years) + 1):
            book.put(ws, r, k, text)


def write_issues(book: _Book, rollup: Rollup) -> None:
    ws = book.sheet("问题清单", f"问题清单（共{len(rollup.issues)}条）", ["文件", "级别", "说明"], [40, 8, 100])
    for r, i in enumerate(rollup.issues, HEAD + 1):
        for col, value in enumerate([i.file, SEVERITY_TEXT.get(i.severity, i.severity), i.message]):
            book.put(ws, r, col, value)


def build(rollup: Rollup, path: Path) -> None:
    book = _Book(path)
    write_summary(book, rollup)
    write_trend(book, rollup)
    write_matrix(book, rollup)
    write_most_lost(book, rollup)
    write_gaps(book, rollup)
    write_references(book, rollup)
    write_excluded(book, rollup)
    write_issues(book, rollup)
    book.wb.set_properties(
        {
            "title": f"{rollup.prefecture or '全市'}各县（市、区）自评汇总（{rollup.year}年度）",
            "comments": f"{rollup.system_title}",
        }
    )
    book.wb.close()


def write_rollup_workbook(rollup: Rollup, path: Path) -> Path:
    return write_with(path, lambda tmp: build(rollup, tmp))
