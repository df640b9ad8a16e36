"""The short Word summary of a rollup for the city bureau, in the report's GB/T 9704 layout.

It reuses the report's :class:`~.docx_report.ReportBuilder` (title, headings, body, tables,
signature), so both documents share page, fonts and numbering; the wording here is short and
factual, built from the rollup alone.
"""

from __future__ import annotations

from pathlib import Path

from ..files.atomic import write_with
from ..report.context import cn_date
from ..scoring.display import show
from ..system.load import load_spec
from ..system.words import words
from .collect import CountyResult, Rollup
from .workbook import trend_row


def _names(items: list[str]) -> str:
    return "、".join(items) if items else "无"


def trend_sentence(county: CountyResult, past: list[CountyResult]) -> str:
    """「临猗县：2022年度70分、2023年度76分、2024年度87分，较上年提高11分，由不合格转为合格。」"""
    change, verdicts, note = trend_row(county, past)
    totals = "、".join(f"{r.year}年度{show(r.total)}分" for r in [*past, county])
    before, now = verdicts.split("→")
    verdict = f"由{before}转为{now}" if before != now else f"仍{now}"
    return f"{county.county}：{totals}，{change}，{verdict}{'（' + note + '）' if note else ''}。"


def build(rollup: Rollup, path: Path) -> None:
    from ..report.docx_report import ReportBuilder

    city = rollup.prefecture or "全市"
    title = f"{city}各县（市、区）创建{rollup.programme}自评情况汇总"
    ctx = {
        "title": title,
        "office": f"{rollup.prefecture}市场监督管理局" if rollup.prefecture else "",
        "date_cn": cn_date(),
    }
    doc = ReportBuilder(ctx, None)
    doc.title(title)
    counties = rollup.counties
    passed = [c.county for c in counties if c.passed]
    failed = [c.county for c in counties if not c.passed]
    doc.heading("总体情况", 1)
    doc.body(
        f"本次汇总{len(counties)}个县（市、区）{rollup.year}年度自评结果，均按《{rollup.system_title}》评分，"
        f"合格标准为{rollup.rule_text}。达到合格标准的{len(passed)}个：{_names(passed)}；未达到的{len(failed)}个：{_names(failed)}。"
    )
    if counties:
        best = max(counties, key=lambda c: c.total)
        worst = min(counties, key=lambda c: c.total)
        doc.body(
            f"自评总分最高的是{best.county}（{show(best.total)}分），最低的是{worst.county}（{show(worst.total)}分）。"
        )
        rows = [
            [
                c.county,
                show(c.total),
                "是" if c.total_ok else "否",
                "是" if c.levels_ok else "否",
                "合格" if c.passed else "不合格",
            ]
            for c in counties
        ]
        doc.caption("表1  各县（市、区）自评得分")
        doc.grid(
            ["县（市、区）", "总分", "总分达标", "一级指标达标", "结论"],
            [40, 24, 28, 32, 32],
            rows,
            center={1, 2, 3, 4},
        )
    if failed:
        doc.heading("未达到合格标准的县（市、区）", 1)
        for c in counties:
            if not c.passed:
                doc.body(f"{c.county}：{'；'.join(rollup.shortfalls(c)) or '未达到合格标准'}。")
    doc.heading("失分较多的指标", 1)
    table = rollup.weakest(5)
    if table.empty:
        doc.body("各县（市、区）均未失分。")
    else:
        doc.body("按各县（市、区）合计失分排列（失分相同的一并列出）：")
    for n, row in enumerate(table.itertuples(index=False), 1):
        doc.body(
            f"{n}.第{row.no}项“{row.name}”（满分{show(row.max)}分）：合计失{show(row.lost)}分，"
            f"{row.counties}个县（市、区）失分（{row.names}）。"
        )
    trends = rollup.trends()
    if trends:
        doc.heading("历年变化", 1)
        for county, past in trends:
            doc.body(trend_sentence(county, past))
    doc.heading("需要关注的情况", 1)
    gaps = [c for c in counties if c.missing_units or c.pending]
    for c in gaps:
        parts = []
        if c.missing_units:
            parts.append(f"未报送或需重报单位{len(c.missing_units)}个")
        if c.pending:
            parts.append(f"待核定{len(c.pending)}项（{'、'.join(c.names(c.pending))}）")
        doc.body(f"{c.county}：{'，'.join(parts)}。")
    spec = load_spec()
    differ = [words(spec, key) for key, _, same in rollup.references() if not same]
    if differ:
        doc.body(
            f"各县采用的全国参考值不一致或未记录的有{len(differ)}项"
            f"（{'、'.join(differ[:6])}{'等' if len(differ) > 6 else ''}），请核实。"
        )
    for c, why in rollup.excluded:
        doc.body(f"{c.county}（{c.source}）未纳入本次汇总：{why}。")
    if not gaps and not differ and not rollup.excluded:
        doc.body("各县（市、区）数据完整，无待核定事项。")
    if ctx["office"]:
        doc.sign(ctx["office"], False)
    doc.sign(ctx["date_cn"], True)
    doc.doc.core_properties.title = title
    doc.doc.save(str(path))


def write_rollup_docx(rollup: Rollup, path: Path) -> Path:
    return write_with(path, lambda tmp: build(rollup, tmp))
