"""Rows of the breakdown sheets the office works in (佐证材料清单, 核定, 达标路径), as plain values;
the layout is :mod:`.office_sheets`'s."""

from __future__ import annotations

from typing import Any

from ..issues import Status
from ..records import RunResult
from ..scoring.scorecard import STATUS_TEXT, IndicatorScore
from ..system.keys import note_key
from .context import readable
from .sheets import Col, col_index, part_label

EVIDENCE_COLS = [
    Col("编号", 4, "short", hidden=True),
    Col("单位及佐证材料", 74),
    Col("单位", 12, hidden=True),
    Col("份数", 4, "int", hidden=True),
]
EVIDENCE_FONT = 9  # pt: a county's 1,500 material names on 15 A4 pages, still legible


def evidence_sheet_rows(result: RunResult) -> list[tuple[str, list[Any]]]:
    """佐证材料清单: per indicator a heading row (「10　有特色网络市场产业」), then one row per unit
    with every material it named for the indicator's criteria and notes (「市财政局：A；B」), and
    the criteria it answered 是 without naming any (those score 0 as 缺少佐证: whom to ask).
    Hidden columns keep 编号, 单位 and 份数 for filtering."""
    spec = result.spec
    order = {u.name: n for n, u in enumerate(spec.units)}
    out: list[tuple[str, list[Any]]] = []
    for ind in spec.indicators:
        keys = [c.key for c in ind.criteria] + [note_key(ind.key)]
        materials: dict[str, list[str]] = {}
        lacking: dict[str, list[str]] = {}
        for key in keys:
            for a in result.answers.get(key, []):
                if a.done is False or not a.unit:
                    continue
                if a.evidence:
                    materials.setdefault(a.unit, []).extend(" ".join(m.split()) for m in a.evidence)
                elif a.done:
                    lacking.setdefault(a.unit, []).append(part_label(spec, key))
        units = sorted(set(materials) | set(lacking), key=lambda u: order.get(u, 999))
        if not units:
            continue
        out.append(("heading", [ind.no, f"{ind.no}　{ind.name}", "", None]))
        for unit in units:
            names = list(dict.fromkeys(materials.get(unit, [])))
            text = "；".join(names)
            if unit in lacking:
                text += ("；" if text else "") + f"（{'、'.join(lacking[unit])}填“是”但未列出材料）"
            out.append(("row", [ind.no, f"{unit}：{text}", unit, len(names)]))
    return out


REVIEW_COLS = [
    Col("编号", 4, "short"),
    Col("一级指标", 7),
    Col("三级指标", 22),
    Col("满分", 4, "num"),
    Col("计算得分", 6, "num"),
    Col("计算状态", 7, "short"),
    Col("核定得分", 6, "num"),
    Col("核定说明", 22),
    Col("计分说明", 36),
    Col("指标键", 8, "short", hidden=True),
]
REVIEW_SCORE_COL, REVIEW_NOTE_COL = col_index(REVIEW_COLS, "核定得分"), col_index(REVIEW_COLS, "核定说明")


def review_rows(result: RunResult) -> list[list[Any]]:
    """Computed scores, the rows 待核定 first (then in indicator order); 核定得分/核定说明
    pre-filled with the overrides already applied, if any. The reader finds rows by 指标键."""
    rows = []
    ordered = sorted(result.computed.indicators, key=lambda i: (not _pending(i), i.no))
    for comp in ordered:
        final = result.card.indicator(comp.key)
        confirmed = final.score if final.computed_score is not None else None
        rows.append(
            [
                comp.no,
                comp.first,
                comp.name,
                comp.max,
                comp.score,
                STATUS_TEXT[comp.status],
                confirmed,
                final.review_note,
                readable(comp.reason, result.spec),
                comp.key,
            ]
        )
    return rows


def _pending(ind: IndicatorScore) -> bool:
    return any(c.status == Status.REVIEW for c in ind.criteria)


PATH_COLS = [
    Col("序号", 4, "int"),
    Col("列入达标方案", 6, "short"),
    Col("评分要点", 6, "short"),
    Col("三级指标", 18),
    Col("一级指标", 8, "short"),
    Col("失分", 4, "num"),
    Col("挽回方式", 9, "short"),
    Col("责任单位", 14),
    Col("截止日期", 9, "short"),
    Col("评分要点内容", 18),
    Col("失分原因", 24),
    Col("要点键", 8, hidden=True),
]


def path_rows(result: RunResult, path: Any) -> list[list[Any]]:
    """达标路径: the chosen items first, then the other recoverable ones, then what paper cannot
    change; column F (失分) sums to the points lost."""
    from ..scoring.display import spec_groups, units_text
    from ..scoring.path_to_pass import KIND_TEXT

    spec = result.spec
    chosen = {i.key for i in path.chosen}
    order = sorted(path.items, key=lambda i: (i.key not in chosen, not i.recoverable))
    groups = spec_groups(spec)
    return [
        [
            n,
            "是" if i.key in chosen else "",
            part_label(spec, i.key),
            f"{i.no}.{i.name}",
            i.first,
            i.lost,
            KIND_TEXT[i.kind],
            units_text(i.units, groups),
            i.deadline,
            i.text,
            readable(i.reason, spec),
            i.key,
        ]
        for n, i in enumerate(order, 1)
    ]
