"""What is lacking, said as a reviewer reads it: 四、存在的问题 and the items 五、下一步工作打算 acts on.

Every criterion that cost points (:attr:`~yongji_xls.scoring.scorecard.IndicatorScore.losing`, so a
not-met alternative of a full-mark any-one indicator is none) becomes one finding of its
indicator, worded from the reason's code and figures rather than its scoring sentence: a year
that fell short of the national figure is 「2023、2024年网上零售额占社会消费品零售总额比重16.3%、
16.6%，低于全国32.7%、31.8%」 (the years of one indicator said together), a unit's 否 is quoted
with its reason, a missing national figure is said neutrally (「……尚未公布，该项暂按0分计」).
Findings are grouped by first-level group; the kind of each (data short, 否, no material, no
answer, figure to be published) lets the wording templates phrase the next steps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..coded_text import code_of
from ..issues import Status
from ..records import RunResult
from ..scoring.display import show, spec_groups, units_text
from ..scoring.path_to_pass import lost_items
from ..scoring.scorecard import CriterionScore, IndicatorScore, Scorecard
from ..system.model import Spec
from ..system.words import words, words_in_text
from ..values.figures import plain
from ..values.parse import exact

_VERDICT = re.compile(r"[，；](?:得[\d.]+分|不得分|请[^，；。]*|待核定)(?=$|[，；。])")
YEARLY = ("year_not_above", "year_equal", "year_slightly_below")
KINDS = ("short", "declined", "no_material", "unanswered", "no_data", "pending", "confirmed")


@dataclass(frozen=True)
class Finding:
    """One indicator's shortfall: what is lacking (``text``), who answers for it, and its kind
    (``short``: a figure below the standard; ``declined``: a unit answered 否; ``no_material``;
    ``unanswered``; ``no_data``; ``pending``: a national figure not yet published;
    ``confirmed``: the office's 核定)."""

    no: int
    name: str
    lost: str
    text: str
    units: str
    kind: str
    criteria: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "name": self.name,
            "lost": self.lost,
            "text": self.text,
            "units": self.units,
            "kind": self.kind,
            "criteria": "、".join(f"“{c}”" for c in self.criteria),
            "quoted": f"“{self.name}”",  # a name may hold 、 or ，: quoted, it reads as one
        }


def without_verdict(text: str) -> str:
    """A reason without its scoring clause (「，不得分」「，得1分」「，请…填报」)."""
    return _VERDICT.sub("", str(text)).rstrip("，；。 ")


def _kind(c: CriterionScore) -> str:
    code = code_of(c.reason)
    if c.status == Status.REVIEW:
        return "pending"
    if code == "not_done":
        return "declined"
    if c.status == Status.NO_EVIDENCE:
        return "no_material"
    if code in ("no_answer", "answer_without_done", "list_missing", "threshold_list_missing"):
        return "unanswered"
    if c.status == Status.MISSING:
        return "no_data"
    return "short"


def _yearly(parts: Sequence[CriterionScore]) -> str:
    """The years of one indicator that fell short, said together."""
    p = [c.reason.params for c in parts]
    years = "、".join(str(x["year"]) for x in p)
    rel = "低于" if all(c.reason.code != "year_equal" for c in parts) else "未超过"
    return f"{years}年{p[0]['what']}{'%、'.join(str(x['local']) for x in p)}%，{rel}{p[0]['against']}" + (
        "%、".join(str(x["target"]) for x in p) + "%"
    )


def _criterion_said(spec: Spec, c: CriterionScore, ind: IndicatorScore) -> str:
    """What one criterion lacks."""
    code, params = code_of(c.reason), getattr(c.reason, "params", {})
    quoted = f"“{c.text}”一项" if len(ind.criteria) > 1 else ""
    if c.status == Status.REVIEW:
        ref = words(spec, str(params.get("reference", "")))
        return f"{ref}尚未公布，{quoted or '该项'}暂按0分计" if ref else f"{quoted or '该项'}暂按0分计，待核定"
    if code == "not_done":
        return f"{quoted}{'，' if quoted else ''}{params['answers']}"
    if code == "claimed_without_evidence":
        return f"{quoted}{'，' if quoted else ''}{params['who']}填报已完成，但未提供佐证材料"
    if code == "claimed_without_note":
        return f"{quoted}{'，' if quoted else ''}{params['who']}填报已完成，但未填写工作情况说明"
    if code in ("no_answer", "answer_without_done", "list_missing"):
        return f"{quoted}{'，' if quoted else ''}{params.get('who', '')}填报未完成"
    if code in ("band_low", "band_middle"):
        return f"{ind.name}{params['rate']}，未达到{params['high']}%"
    rule = spec.indicator(ind.key).rule
    if code in ("threshold_found", "threshold_none") and rule is not None:
        return f"{without_verdict(c.reason)}，未达到{max(int(s) for s in rule.get('steps', (1, 2)))}家"
    if code == "list_count":
        crit = spec.criterion(c.key)
        per = crit.rule.get("per_row", 1) if crit.rule is not None else 1
        return f"{without_verdict(c.reason)}，未达到{show(c.max / Fraction(str(per)))}项"
    if code == "list_any_none":
        return f"未实现“{c.text}”"
    return words_in_text(spec, without_verdict(c.reason))


def _units(spec: Spec, names: Sequence[str]) -> str:
    return units_text(names, spec_groups(spec), 3)


def pending_shares(card: Scorecard) -> dict[str, Fraction]:
    """Indicator key -> its points 待核定: the share of its loss that supplying the national
    figures recovers (:func:`~yongji_xls.scoring.path_to_pass.lost_items`, so an indicator's
    pending and lost points add up to what it lost)."""
    out: dict[str, Fraction] = {}
    for item in lost_items(card):
        if item.kind == Status.REVIEW:
            out[item.indicator] = out.get(item.indicator, Fraction(0)) + item.lost
    return out


def finding(spec: Spec, ind: IndicatorScore, pending: Fraction = Fraction(0)) -> Finding | None:
    """The finding of an indicator that lost points other than its ``pending`` ones, or None
    (points 待核定 are not a failing of the county: :func:`pending_paragraph` says them)."""
    lost = ind.lost - pending
    if lost <= 0:
        return None
    if ind.computed_score is not None:
        note = f"（{ind.review_note}）" if ind.review_note else ""
        text = f"计算得分{show(ind.computed_score)}分，经领导小组办公室核定为{show(ind.score)}分{note}"
        return Finding(ind.no, ind.name, show(ind.lost), text, "", "confirmed")
    losing = [c for c in ind.losing if c.status != Status.REVIEW]
    yearly = [c for c in losing if code_of(c.reason) in YEARLY]
    said = [_yearly(yearly)] if yearly else []
    said += [_criterion_said(spec, c, ind) for c in losing if c not in yearly]
    kinds = [_kind(c) for c in losing]
    kind = next(k for k in KINDS if k in kinds)
    named = {"declined", "no_material", "unanswered", "no_data", "pending"}
    units = "" if kind in named else _units(spec, [ind.lead, *(u for u in ind.units if u != ind.lead)][:1])
    if kind in ("no_material", "unanswered", "declined"):
        units = _units(spec, [u for c in losing for u in c.units])
    quoted = tuple(c.text for c in losing if len(ind.criteria) > 1 and _kind(c) != "short")
    return Finding(ind.no, ind.name, show(lost), "；".join(s for s in said if s), units, kind, quoted)


def findings(result: RunResult) -> list[dict[str, Any]]:
    """四、存在的问题 by first-level group: the group, its points lost (those 待核定 apart) and its
    findings; a group that lost only points 待核定 is none."""
    shares = pending_shares(result.card)
    out = []
    for level in result.card.first_level:
        inds = [i for i in result.card.indicators if i.first == level.name]
        items = [finding(result.spec, i, shares.get(i.key, Fraction(0))) for i in inds]
        found = [f.as_dict() for f in items if f is not None]
        if found:
            lost = level.max - level.score - sum((shares.get(i.key, Fraction(0)) for i in inds), Fraction(0))
            out.append({"name": level.name, "lost": show(lost), "items": found})
    return out


def _missing_references(result: RunResult, c: CriterionScore) -> list[tuple[str, str]]:
    """(national key, the county's own figure in words or '') of each national figure the
    criterion compares with and the run does not have, in the rule's order."""
    spec, year = result.spec, result.year
    rule = spec.criterion(c.key).rule
    conditions = list(rule.get("all") or ()) if rule is not None else []
    out = []
    for cond in conditions:
        ref = str(cond.get("ref", ""))
        key = f"{ref}@{year}"
        if not ref.startswith("national.") or key in result.card.references:
            continue
        label = spec.reference_labels.get(ref.removeprefix("national."), "").removeprefix("全国")
        own = ""
        if "num" in cond and "den" in cond:
            a, b = (result.values.get(cond[k]) for k in ("num", "den"))
            if a is not None and b and not isinstance(a, (str, bool)) and not isinstance(b, (str, bool)):
                own = f"{label}{plain(exact(a) / exact(b) * 100, 1)}%"
        elif "field" in cond and result.values.get(cond["field"]) is not None:
            value = result.values[cond["field"]]
            if not isinstance(value, (str, bool)):
                own = f"{label}{plain(exact(value), 1)}{spec.field(cond['field']).unit}"
        out.append((key, own))
    if not out and c.figures.get("reference"):
        out.append((c.figures["reference"], ""))
    return out


def pending_paragraph(result: RunResult, county: str) -> dict[str, Any] | None:
    """The points 待核定, said once and neutrally after the points lost: how many criteria and
    points, which national figures are not yet published (the year said once) and the county's
    own figures beside them; None when nothing waits."""
    card = result.card
    shares = pending_shares(card)
    keys = {item.key for item in lost_items(card) if item.kind == Status.REVIEW}  # pending points that count
    waiting = [c for i in card.indicators for c in i.criteria if c.key in keys]
    if not waiting:
        return None
    refs: dict[str, str] = {}
    for c in waiting:
        for key, own in _missing_references(result, c):
            refs.setdefault(key, own)
    named = "、".join(words(result.spec, k) for k in refs)
    years = {k.rsplit("@", 1)[-1] for k in refs if "@" in k}
    if len(years) == 1:  # 「2024年全国A、全国B」: the year said once
        year = f"{years.pop()}年"
        named = year + named.replace(year, "")
    owns = [o for o in refs.values() if o]
    points = sum(shares.values(), Fraction(0))
    items = [
        {
            "no": i.no,
            "name": i.name,
            "label": f"第{i.no}项“{i.name}”",
            "criteria": "、".join(f"“{c.text}”" for c in i.criteria if c in waiting),
        }
        for i in card.indicators
        if shares.get(i.key)
    ]
    return {
        "count": len(waiting),
        "points": show(points),
        "references": named,
        "own": f"{county}同期{'，'.join(owns)}" if owns else "",
        "items": items,
    }


def kinds_in(groups: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The findings of every group by kind (the next steps are planned by kind); ``short_by``
    gathers the figures below standard by the units that answer for them (one step each)."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for g in groups:
        for item in g["items"]:
            out.setdefault(item["kind"], []).append({**item, "group": g["name"]})
    by_units: dict[str, list[str]] = {}
    for item in out["short"]:
        by_units.setdefault(item["units"], []).append(item["quoted"])
    out["short_by"] = [{"units": u, "names": "".join(names), "count": len(names)} for u, names in by_units.items()]
    return out
