"""Short Chinese summaries printed by the CLI."""

from __future__ import annotations

from .rules import join_some, show
from .scorecard import STATUS_TEXT, Scorecard


def summary_lines(card: Scorecard) -> list[str]:
    verdict = "达到" if card.passed else "未达到"
    lines = [f"{card.year}年度自评总分：{show(card.total)}分（满分{show(card.max)}分），{verdict}合格标准（{card.pass_rule}）。"]
    for f in card.first_level:
        mark = "✓" if f.passed else "✗"
        lines.append(f"  {mark} {f.name}：{show(f.score)}/{show(f.max)}分，得分率{show(f.rate * 100)}%")
    counts: dict[str, int] = {}
    for i in card.indicators:
        counts[i.status] = counts.get(i.status, 0) + 1
    lines.append("  指标状态：" + "，".join(f"{STATUS_TEXT[k]}{v}项" for k, v in counts.items()))
    if card.pending_review:
        lines.append(f"  待核定要点{len(card.pending_review)}项（缺少全国参考值），请补充后重新计分。")
    return lines


def run_summary_lines(result) -> list[str]:  # noqa: ANN001 - RunResult, imported lazily
    """The short Chinese summary printed after ``run``."""
    subs = result.submissions
    units = result.units
    done = sum(1 for u in units if u.state == "已报送")
    redo = sum(1 for u in units if u.state == "需重报")
    missing = result.missing_units
    errors = len(result.report.errors)
    warnings = len(result.report.warnings)
    lines = [f"共读取文件{len(subs)}个；应报单位{len(units)}个，已报送{done}个，需重报{redo}个，未报送或无效{len(missing)}个。"]
    if missing:
        lines.append("  未报送：" + join_some([u.unit for u in missing], 12))
    lines.append(f"发现问题：错误{errors}条，警告{warnings}条；数据冲突{len(result.conflicts)}处（详见任务分解表“问题清单”“数据冲突”）。")
    lines.extend(summary_lines(result.card))
    if result.card is not result.computed:
        lines.append(f"  （含人工核定；计算得分{show(result.computed.total)}分）")
    return lines
