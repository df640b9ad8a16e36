"""Short Chinese summaries printed by the CLI."""

from __future__ import annotations

from fractions import Fraction

from ..issues import Status, UnitState
from ..scoring.display import join_some, plain, show
from ..scoring.path_to_pass import KIND_TEXT, RECOVERABLE, PathToPass
from ..scoring.scorecard import STATUS_TEXT, Scorecard
from ..system.model import Spec
from ..system.words import words
from .year_sheet import year_lines

CHOSEN_SHOWN = 6  # the CLI names this many chosen items, then 「等N项」


def summary_lines(card: Scorecard, rate_min: Fraction | None = None) -> list[str]:
    """Total, first levels (rates shown with the digits it takes to read true against
    ``rate_min``), statuses and pending reviews."""
    verdict = "达到" if card.passed else "未达到"
    lines = [
        f"{card.year}年度自评总分：{show(card.total)}分（满分{show(card.max)}分），{verdict}合格标准（{card.pass_rule}）。"
    ]
    for f in card.first_level:
        mark = "✓" if f.passed else "✗"
        rate = show(f.rate * 100, rate_min * 100 if rate_min is not None else None)
        lines.append(f"  {mark} {f.name}：{show(f.score)}/{show(f.max)}分，得分率{rate}%")
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
    done = sum(1 for u in units if u.state == UnitState.SUBMITTED)
    redo = sum(1 for u in units if u.state == UnitState.RESUBMIT)
    unfilled = sum(1 for u in units if u.state == UnitState.UNFILLED)
    missing = result.missing_units
    errors = len(result.report.errors)
    warnings = len(result.report.warnings)
    lines = [
        f"共读取文件{len(subs)}个；应报单位{len(units)}个，已报送{done}个，需重报{redo}个，"
        f"未报送、未填写或无效{len(missing)}个" + (f"（其中未填写{unfilled}个）" if unfilled else "") + "。"
    ]
    if missing:
        label = "未报送或未填写" if unfilled else "未报送"
        lines.append(f"  {label}：" + join_some([u.unit for u in missing], 12))
    lines.append(
        f"发现问题：错误{errors}条，警告{warnings}条；数据冲突{len(result.conflicts)}处（详见任务分解表“问题清单”“数据冲突”）。"
    )
    lines.extend(summary_lines(result.card, result.spec.pass_rule.rate_min))
    if result.card is not result.computed:
        lines.append(f"  （含人工核定；计算得分{show(result.computed.total)}分）")
    if result.previous is not None:
        lines.extend(year_lines(result.previous, result.spec.indicator_level))
    from ..scoring.path_to_pass import path_for_run

    lines.extend(path_lines(path_for_run(result), result.spec))
    return lines


def needs_text(path: PathToPass) -> str:
    """「总分还差2分；促进发展还差2分（需达到15分）」: what each failing rule still needs."""
    parts = []
    if path.total_needed:
        parts.append(f"总分还差{plain(path.total_needed)}分（需达到{plain(path.total_min)}分）")
    parts += [f"{lv.name}还差{plain(lv.needed)}分（需达到{plain(lv.min_score)}分）" for lv in path.levels if lv.needed]
    return "；".join(parts)


def kinds_text(path: PathToPass) -> str:
    """「补充佐证材料可挽回3分，…，实际未达到11分」 over every lost point."""
    parts = [f"{KIND_TEXT[k]}可挽回{plain(path.by_kind[k])}分" for k in RECOVERABLE if path.by_kind.get(k)]
    parts += [
        f"{KIND_TEXT[k]}{plain(path.by_kind[k])}分" for k in (Status.NOT_MET, Status.OVERRIDDEN) if path.by_kind.get(k)
    ]
    return "，".join(parts)


def item_text(item, spec: Spec) -> str:  # noqa: ANN001 - LostItem
    """「及时受理…第2项评分要点：补充全国参考值并核定（市市场监管局，2025-01-25前）」."""
    when = f"，{item.deadline}前" if item.deadline else ""
    units = f"{'、'.join(item.units[:2])}{'等' if len(item.units) > 2 else ''}"
    return f"{words(spec, item.key)}：{KIND_TEXT[item.kind]}（{units}{when}）"


def shortfall_text(path: PathToPass) -> str:
    parts = [f"{lv.name}仍差{plain(lv.shortfall)}分" for lv in path.levels if lv.shortfall]
    if path.total_shortfall:
        parts.insert(0, f"总分仍差{plain(path.total_shortfall)}分")
    return "，".join(parts)


def path_lines(path: PathToPass, spec: Spec) -> list[str]:
    """The three CLI lines of 达标路径: what is needed, how the lost points split, the plan
    (items named in words, :func:`yongji_xls.system.words.words`)."""
    if path.passed:
        return ["达标路径：已达到合格标准。" + (f"失分中{kinds_text(path)}。" if path.items else "")]
    lines = [f"达标路径：{needs_text(path)}。", f"  失分{plain(path.total_lost)}分中：{kinds_text(path)}。"]
    if path.reachable:
        chosen = [item_text(i, spec) for i in path.chosen]
        shown = "、".join(chosen[:CHOSEN_SHOWN]) + (f"等{len(chosen)}项" if len(chosen) > CHOSEN_SHOWN else "")
        lines.append(
            f"  最少完成{len(chosen)}项即可达标（可挽回{plain(path.total_gain)}分，"
            f"涉及{len(path.units())}个单位）：{shown}。"
        )
    else:
        lines.append(f"  仅靠补充材料和数据无法达标：全部可挽回项补齐后，{shortfall_text(path)}，须提升实际工作成效。")
    return lines
