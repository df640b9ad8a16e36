"""RunResult → plain template context (str/int/bool, lists and dicts of them).

The jinja2 templates under ``templates/`` are edited by office staff, so they see ready-to-print
strings only: every number is already rounded for display here (comparisons were made exactly by
the scorer; display never decides anything), every key is already in words
(:func:`yongji_xls.system.words.words`). The same context feeds the Word tables, so the prose and
the tables cannot disagree. User texts are flattened to one line, because the template markup is
line-based (a unit's note must not turn into a heading).

Two documents are built from here: the self-evaluation report (:func:`build_context`, upward, no
collection statistics, no 达标路径) and the internal brief (:mod:`.brief`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from ..issues import ERROR, Status, TaskStatus
from ..records import RunResult, UnitStatus
from ..scoring.display import merge_reasons, show, spec_groups, units_text
from ..scoring.scorecard import IndicatorScore, LevelScore
from ..scoring.verdict import provisional
from ..system.keys import base_of
from ..system.model import Spec
from ..system.words import words, words_in_text
from ..values.figures import plain
from ..values.parse import exact
from ..workbook.layout import report_sections
from ..workbook.write.office_config import work_plan
from . import findings, narrative

CN_DIGITS = "零一二三四五六七八九十"
EVIDENCE_NAMES = 1  # material names a unit shows in 附件2, then 「等N份」


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals, for 一、 and （一） heading numbers."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def as_date(value: str | dt.date | None = "") -> dt.date:
    """A date from ISO text (a run's ``generated_at``), a date, or today."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value or "").strip()).date()
    except ValueError:
        return dt.date.today()


def cn_date(value: str | dt.date | None = "") -> str:
    """「2025年6月15日」 (GB/T 9704-2012: Arabic numerals, no leading zeros) from ISO, else today."""
    d = as_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


def one_line(text: Any, limit: int = 0) -> str:
    """Collapse whitespace and line breaks; optionally clip to ``limit`` characters."""
    s = " ".join(str(text or "").split())
    return s if not limit or len(s) <= limit else s[: limit - 1] + "…"


def readable(text: str, spec: Spec) -> str:
    """A sentence of the scorer or the catalogue with every key it names put in words."""
    return words_in_text(spec, text)


def fmt(x: Fraction | int) -> str:
    return show(Fraction(x))


def pct(rate: Fraction) -> str:
    return show(rate * 100) + "%"


def pct_vs(rate: Fraction, line: Fraction) -> str:
    """A rate beside its pass line, with the digits it takes to read on the right side of it."""
    return show(rate * 100, line * 100) + "%"


def join_units(units: Iterable[str], limit: int = 4, groups: Mapping[str, Any] | None = None) -> str:
    """「市统计局、市工科局（市商务局）」, or the first ``limit`` names and 「等N个单位」; a whole
    group reads 「联席会议26个成员单位」 (``groups``: name -> members, :func:`.display.units_text`)."""
    return units_text(units, groups, limit)


def lost_reason(ind: IndicatorScore, spec: Spec) -> str:
    """The reasons of the criteria that cost points (a full-mark any-one indicator's unmet
    alternatives cost nothing), in words; the whole reason if none did."""
    parts = [c.reason for c in ind.losing if c.reason]
    return readable(one_line(merge_reasons(parts) or ind.reason), spec)


def verdict(result: RunResult) -> str:
    """「达到」, 「暂未达到」 (the points 待核定 could still meet both pass rules,
    :func:`yongji_xls.scoring.verdict.provisional`) or 「未达到」."""
    if result.card.passed:
        return "达到"
    return "暂未达到" if provisional(result.spec, result.card) else "未达到"


def level_row(level: LevelScore, rate_min: Fraction) -> dict[str, Any]:
    passed = level.passed if level.passed is not None else level.rate >= rate_min
    return {
        "name": level.name,
        "score": fmt(level.score),
        "max": fmt(level.max),
        "rate": pct_vs(level.rate, rate_min),
        "passed": bool(passed),
        "lost": fmt(level.max - level.score),
    }


# ---- annexes ----------------------------------------------------------------------------------


_SAID_TWICE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([^\d，；。]{0,4})，等于\1\2(?=[，；。]|$)")


def said_once(text: str) -> str:
    """「…涉网案件数0件，等于0件」 -> 「…涉网案件数0件」: a figure equal to its target said once."""
    return _SAID_TWICE.sub(r"\1\2", text)


def _ratio_fields(ind: IndicatorScore, spec: Spec) -> list[tuple[str, str]]:
    """(numerator, denominator) field keys of the ratios the indicator's rules compute."""
    model = spec.indicator(ind.key)
    rules = [model.rule] + [c.rule for c in model.criteria]
    pairs = []
    for rule in (r for r in rules if r is not None):
        if rule.get("num") and rule.get("den"):
            pairs.append((rule.get("num"), rule.get("den")))
        pairs += [(c["num"], c["den"]) for c in rule.get("all") or () if "num" in c and "den" in c]
    return pairs


def with_units(text: str, ind: IndicatorScore, spec: Spec, values: Mapping[str, Any]) -> str:
    """「8600/215000」 -> 「8600人/215000人」: each ratio the scorer wrote, its figures with their
    fields' units (a figure written otherwise is left as it is)."""
    for num, den in _ratio_fields(ind, spec):
        a, b = (None if isinstance(v, str) else exact(v) for v in (values.get(num), values.get(den)))
        if a is None or b is None or not (spec.has_field(num) and spec.has_field(den)):
            continue
        ua, ub = spec.field(num).unit, spec.field(den).unit
        sa, sb = plain(a), plain(b)
        if ua or ub:
            text = re.sub(rf"(?<=[=（]){re.escape(sa)}/{re.escape(sb)}(?=[=），])", f"{sa}{ua}/{sb}{ub}", text)
    return text


def basis(ind: IndicatorScore, spec: Spec, values: Mapping[str, Any] | None = None) -> str:
    """得分依据 of 附件1 in words, criteria in their order: the criteria that earned points said
    together (「3个评分要点均已完成，佐证材料108份」; an any-one indicator names the one that
    earned them), each other criterion's reason (a figure equal to its target said once, ratios
    with their units), then the office's 核定. The scorer's reasons (scores.json) are unchanged."""
    parts: list[tuple[int, str]] = []
    evidence = [c for c in ind.earned_by if "evidence" in c.figures and c.score >= c.max]
    others = [c for c in ind.criteria if c not in evidence and (c in ind.losing or c in ind.earned_by)]
    if evidence:
        n = sum(int(c.figures["evidence"]) for c in evidence)
        which = "、".join(str(ind.criteria.index(c) + 1) for c in evidence)
        if ind.aggregate == "any":
            said = f"符合第{which}项评分要点，佐证材料{n}份，得{fmt(ind.score)}分"
        elif len(ind.criteria) == 1:
            said = f"已完成，佐证材料{n}份"
        elif len(evidence) == len(ind.criteria):
            said = f"{len(evidence)}个评分要点均已完成，佐证材料{n}份"
        else:
            said = f"第{which}项评分要点已完成，佐证材料{n}份"
        parts.append((-1 if ind.aggregate == "any" else ind.criteria.index(evidence[0]), said))
    for c in others:
        numbered = len(ind.criteria) > 1 and "@" not in c.key  # a year's part says its year itself
        if c.status == Status.REVIEW and c.figures.get("reference"):
            text = f"{words(spec, c.figures['reference'])}尚未公布，暂按0分计，待公布后核定"
        else:
            text = with_units(said_once(readable(one_line(c.reason), spec)), ind, spec, values or {})
        parts.append((ind.criteria.index(c), f"第{ind.criteria.index(c) + 1}项：{text}" if numbered else text))
    said = [text for _, text in sorted(parts, key=lambda p: p[0]) if text]
    if ind.computed_score is not None:
        said.append(
            f"计算得分{fmt(ind.computed_score)}分，核定为{fmt(ind.score)}分"
            + (f"（{ind.review_note}）" if ind.review_note else "")
        )
    return "；".join(said)


def score_rows(result: RunResult) -> list[dict[str, str]]:
    """附件1: one row per indicator (编号、三级指标、分值、得分、得分依据)."""
    return [
        {
            "no": str(i.no),
            "name": i.name,
            "max": fmt(i.max),
            "score": fmt(i.score),
            "basis": basis(i, result.spec, result.values),
        }
        for i in result.card.indicators
    ]


def evidence_catalogue(result: RunResult) -> list[dict[str, str]]:
    """附件2: per indicator and unit, how many materials the unit named and the first names; one
    row per indicator that has any (its name shown on its first row only)."""
    spec = result.spec
    order = {u.name: n for n, u in enumerate(spec.units)}
    rows = []
    for ind in spec.indicators:
        by_unit: dict[str, list[str]] = {}
        for key in [c.key for c in ind.criteria] + [f"{ind.key}.note"]:
            for a in result.answers.get(key, []):
                if a.unit and a.evidence and a.done is not False:
                    by_unit.setdefault(a.unit, []).extend(one_line(m) for m in a.evidence)
        for n, unit in enumerate(sorted(by_unit, key=lambda u: order.get(u, 999))):
            names = sorted(dict.fromkeys(by_unit[unit]), key=lambda m: not m.startswith("《"))  # documents first
            shown = "；".join(names[:EVIDENCE_NAMES]) + (f"等{len(names)}份" if len(names) > EVIDENCE_NAMES else "")
            rows.append(
                {
                    "no": str(ind.no) if n == 0 else "",
                    "name": ind.name if n == 0 else "",
                    "unit": unit,
                    "materials": shown,
                }
            )
    return rows


# ---- the parts of the report ------------------------------------------------------------------


def task_progress(result: RunResult) -> dict[str, int]:
    """How the work plan's main tasks stand: done by every unit, under way, not started by any."""
    done = doing = todo = 0
    for t in result.spec.tasks:
        statuses = [p.status for p in result.tasks.get(t.key, []) if p.unit in t.units]
        if statuses and len(statuses) >= len(t.units) and all(s == TaskStatus.DONE for s in statuses):
            done += 1
        elif any(s in (TaskStatus.DONE, TaskStatus.IN_PROGRESS) for s in statuses):
            doing += 1
        else:
            todo += 1
    return {"count": len(result.spec.tasks), "done": done, "doing": doing, "todo": todo}


def escape(text: str) -> list[str]:
    """An office's own text as body lines: a line that starts like markup is kept as text."""
    return [("\\" + ln if ln[:1] in "@#\\" else ln) for ln in (x.strip() for x in str(text).splitlines()) if ln]


def build_context(
    result: RunResult, date: dt.date | None = None, texts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Everything the report templates may use; keys are the template-variable contract.
    ``date``: 成文日期 (default the run's date); ``texts``: the office's own text per section
    (:func:`yongji_xls.workbook.layout.report_sections`), replacing the generated one."""
    spec, card = result.spec, result.card
    office = spec.office
    rule = spec.pass_rule
    groups = spec_groups(spec)
    plan_title, plan_number = work_plan(spec)
    levels = [level_row(f, rule.rate_min) for f in card.first_level]
    for row, f in zip(levels, card.first_level):
        row["seconds"] = [level_row(s, rule.rate_min) for s in card.second_level if s.first == f.name]
    found = findings.findings(result)
    city = office.get("city", "")
    pending = findings.pending_paragraph(result, narrative.county_word(city))
    overrides = [i for i in card.indicators if i.computed_score is not None]
    known = {key for key, _ in report_sections(spec)}
    return {
        "city": city,
        "county_word": narrative.county_word(city),
        "title": f"{city}创建{spec.programme}{result.year}年度自评报告",
        "year": result.year,
        "next_year": result.year + 1,
        "period": "、".join(f"{y}年" for y in spec.years(result.year)),
        "addressee": office.get("superior", ""),
        "office": office.get("name", ""),
        "seat": office.get("seat", ""),
        "date_cn": cn_date(date or result.generated_at),
        "doc_number": office.get("doc_number", ""),
        "signer": office.get("signer", ""),
        "copy_to": office.get("copy_to", ""),
        "issuer": office.get("issuer", ""),
        "issue_date": office.get("issue_date", ""),
        "system_title": spec.title,
        "basis": spec.basis,
        "plan_title": plan_title,
        "plan_number": plan_number,
        "units_count": len(spec.units),
        "units_text": units_text([u.name for u in spec.units], groups),
        "indicator_count": len(card.indicators),
        "tasks": task_progress(result),
        "headline": narrative.headline(result),
        "levels": spec.levels,
        "indicator_level": spec.indicator_level,
        "total": fmt(card.total),
        "max": fmt(card.max),
        "passed": card.passed,
        "verdict": verdict(result),
        "total_ok": card.total_ok,
        "levels_ok": card.levels_ok,
        "total_min": fmt(Fraction(rule.total_min)),
        "rate_min": fmt(Fraction(rule.first_level_rate_min)) + "%",
        "groups": levels,
        "weak_groups": [g for g in levels if not g["passed"]],
        "met_count": sum(1 for i in card.indicators if i.lost == 0),
        "lost_count": sum(1 for i in card.indicators if i.lost > 0),
        "lost_total": fmt(card.max - card.total),
        "overrides": len(overrides),
        "computed_total": fmt(result.computed.total),
        "practice": narrative.practice(result),
        "findings": found,
        "listed_lost": fmt(card.max - card.total - sum(findings.pending_shares(card).values(), Fraction(0))),
        "pending": pending,
        "by_kind": {**findings.kinds_in(found), "pending": pending["items"] if pending else []},
        "score_rows": score_rows(result),
        "evidence_rows": evidence_catalogue(result),
        "office_text": {k: escape(v) for k, v in (texts or {}).items() if k in known and str(v).strip()},
        "previous": previous_context(result),
    }


def previous_context(result: RunResult) -> dict[str, Any] | None:
    """The change on last year (``run --previous``) for 基本情况, ready to print; None without it.
    ``change_text`` reads 「提高4.5分」「降低1分」「持平」 (exact, as every figure is shown)."""
    from .year_sheet import change_text, year_label

    yoy = result.previous
    if yoy is None:
        return None
    return {
        "label": year_label(yoy),
        "year": yoy.previous_year,
        "total": fmt(yoy.previous_total),
        "change_text": change_text(yoy.total_change),
        "compared": len(yoy.indicators),
        "gained": len(yoy.gained),
        "lost": len(yoy.lost),
        "not_comparable": len(yoy.not_comparable),
        "passed_before": yoy.previous_passed,
    }


def items_in_words(spec: Spec, keys: Iterable[str]) -> str:
    """Criterion keys a unit answers for, as the names of their indicators (「发挥信用监管的基础
    作用、建立健全协同监管」)."""
    names = []
    for key in keys:
        base = re.split(r"[.@]", base_of(key))[0]
        try:
            names.append(spec.indicator(base).name)
        except KeyError:
            names.append(words_in_text(spec, key))
    return "、".join(dict.fromkeys(names))


def reminder_context(result: RunResult, unit: UnitStatus) -> dict[str, Any]:
    """Context of ``reminder.j2``: one 催报 text for a unit that has not submitted or must resubmit."""
    mine = [i for i in result.report if i.unit == unit.unit or (i.file and i.file in unit.files)]
    examples = [readable(one_line(i.text, 60), result.spec) for i in mine if i.severity == ERROR][:2]
    unusable = not unit.used_file and bool(unit.files)  # every file it sent failed: each reason said whole
    reasons = [i.message.rstrip("。") for i in mine if unusable and i.severity == ERROR]
    return {
        "unusable": unusable,
        "reasons": list(dict.fromkeys(reasons)),
        "unit": unit.unit,
        "state": unit.state,
        "year": result.year,
        "file": unit.used_file or "、".join(unit.files),
        "errors": unit.errors,
        "examples": examples,
        "points": fmt(unit.points_at_stake),
        "items": items_in_words(result.spec, unit.items_at_stake),
        "office": result.spec.office.get("name", ""),
        "seat": result.spec.office.get("seat", ""),
    }
