"""Short Chinese summaries printed by the CLI."""

from __future__ import annotations

from .rules import show
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
