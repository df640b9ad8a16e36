"""RunResult → plain template context (str/int/bool, lists and dicts of them).

The jinja2 templates under ``templates/`` are edited by office staff, so they must only see
ready-to-print strings: every number is already rounded for display here (comparisons were made
exactly by the scorer; display never decides anything). The same context feeds the Word tables,
so the prose and the tables can never disagree. User texts are flattened to one line, because
the template markup is line-based (a unit's note must not turn into a heading).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from ..issues import ERROR, Status, TaskStatus, UnitState
from ..records import RunResult, UnitStatus
from ..scoring.display import show, spec_groups, units_text
from ..scoring.path_to_pass import KIND_TEXT, PathToPass, path_for_run
from ..scoring.scorecard import STATUS_TEXT, IndicatorScore, LevelScore, Scorecard
from ..system.keys import NATIONAL_IN_TEXT, is_note
from ..values.types import Answer
from ..workbook.layout import TASK_STATUSES

CN_DIGITS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals, for 一、 and （一） heading numbers."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(iso: str = "") -> str:
    """「2025年6月15日」 (GB/T 9704-2012: Arabic numerals, no leading zeros) from ISO, else today."""
    try:
        d = datetime.fromisoformat(iso.strip()).date() if iso.strip() else date.today()
    except ValueError:
        d = date.today()
    return f"{d.year}年{d.month}月{d.day}日"


def one_line(text: Any, limit: int = 0) -> str:
    """Collapse whitespace and line breaks; optionally clip to ``limit`` characters."""
    s = " ".join(str(text or "").split())
    return s if not limit or len(s) <= limit else s[: limit - 1] + "…"


def readable(text: str, labels: Mapping[str, str]) -> str:
    """Scorer reasons name references by key (national.x@2024); a report names them in Chinese
    (``labels``: the spec's ``reference_labels``)."""
    return NATIONAL_IN_TEXT.sub(lambda m: f"{m.group(2)}年{labels.get(m.group(1), m.group(1))}", text)


def fmt(x: Fraction | int) -> str:
    return show(Fraction(x))


def pct(rate: Fraction) -> str:
    return show(rate * 100) + "%"


def join_units(units: Iterable[str], limit: int = 4, groups: Mapping[str, Any] | None = None) -> str:
    """「市统计局、市工科局（市商务局）」, or the first ``limit`` names and 「等N个单位」; a whole
    group reads 「联席会议26个成员单位」 (``groups``: name -> members, :func:`.display.units_text`)."""
    return units_text(units, groups, limit)


def level_row(level: LevelScore, rate_min: Fraction) -> dict[str, Any]:
    passed = level.passed if level.passed is not None else level.rate >= rate_min
    return {
        "name": level.name,
        "score": fmt(level.score),
        "max": fmt(level.max),
        "rate": pct(level.rate),
        "passed": bool(passed),
        "lost": fmt(level.max - level.score),
        "first": level.first,
    }


def lost_reason(ind: IndicatorScore, labels: Mapping[str, str]) -> str:
    """The scorecard's reasons of the criteria that lost points (the full reason if none did)."""
    from ..scoring.display import merge_reasons

    parts = [c.reason for c in ind.criteria if c.score < c.max and c.reason]
    return readable(one_line(merge_reasons(parts) or ind.reason), labels)


def key_figures(ind: IndicatorScore, labels: Mapping[str, str]) -> str:
    """The figures behind a score: computed criteria verbatim, met evidence criteria summed up."""
    from ..scoring.display import merge_reasons

    evidence = [c for c in ind.criteria if c.status == Status.MET and "evidence" in c.figures]
    parts = [c.reason for c in ind.criteria if c not in evidence and c.reason]
    if evidence:
        n = sum(int(c.figures["evidence"]) for c in evidence)
        done = f"{len(evidence)}个评分要点已完成" if len(ind.criteria) > 1 else "已完成"
        parts.insert(0, f"{done}并提供佐证材料{n}份")
    return readable(one_line(merge_reasons(parts)), labels)


def indicator_row(
    ind: IndicatorScore, labels: Mapping[str, str], groups: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "key": ind.key,
        "no": ind.no,
        "name": ind.name,
        "first": ind.first,
        "second": ind.second,
        "nature": ind.nature,
        "score": fmt(ind.score),
        "max": fmt(ind.max),
        "lost": fmt(ind.lost),
        "status": STATUS_TEXT[ind.status],
        "reason": readable(one_line(ind.reason), labels),
        "figures": key_figures(ind, labels),
        "lost_reason": lost_reason(ind, labels) if ind.lost else "",
        "lead": ind.lead,
        "units": join_units((ind.lead, *ind.units), groups=groups),
        "computed": fmt(ind.computed_score) if ind.computed_score is not None else "",
        "review_note": one_line(ind.review_note),
        "full": ind.lost == 0,
    }


def _groups(
    card: Scorecard, rate_min: Fraction, labels: Mapping[str, str], groups: Mapping[str, Any]
) -> list[dict[str, Any]]:
    out = []
    for n, f in enumerate(card.first_level, 1):
        row = level_row(f, rate_min)
        row["cn"] = cn_number(n)
        row["rate"] = pct_vs(f.rate, rate_min)
        row["seconds"] = [level_row(s, rate_min) for s in card.second_level if s.first == f.name]
        row["indicators"] = [indicator_row(i, labels, groups) for i in card.indicators if i.first == f.name]
        row["lost_items"] = [r for r in row["indicators"] if not r["full"]]
        row["full_count"] = len(row["indicators"]) - len(row["lost_items"])
        row["full_nos"] = "、".join(str(r["no"]) for r in row["indicators"] if r["full"])
        out.append(row)
    return out


def pct_vs(rate: Fraction, line: Fraction) -> str:
    """A rate beside its pass line, with the digits it takes to read on the right side of it."""
    return show(rate * 100, line * 100) + "%"


def _unit_row(u: UnitStatus) -> dict[str, Any]:
    return {
        "unit": u.unit,
        "no": u.no,
        "state": u.state,
        "file": u.used_file or "、".join(u.files),
        "errors": u.errors,
        "warnings": u.warnings,
        "points": fmt(u.points_at_stake),
        "items": "、".join(u.items_at_stake),
        "filled": u.rows_filled,
        "asked": u.rows_asked,
    }


def _units(result: RunResult) -> dict[str, Any]:
    units = result.units
    asked = sum(u.rows_asked for u in units)
    filled = sum(u.rows_filled for u in units)
    by_state = {s.value: [u.unit for u in units if u.state == s] for s in UnitState}
    submitted = [u for u in units if u.submitted]
    stake = sum((u.points_at_stake for u in result.missing_units), Fraction(0))
    return {
        "stake": fmt(stake),
        "has_stake": stake > 0,
        "total": len(units),
        "submitted": len(submitted),
        "complete": len(by_state[UnitState.SUBMITTED]),
        "not_submitted": by_state[UnitState.NOT_SUBMITTED] + by_state[UnitState.INVALID],
        "resubmit": by_state[UnitState.RESUBMIT],
        "rate": pct(Fraction(len(submitted), len(units))) if units else "0%",
        "rows_asked": asked,
        "rows_filled": filled,
        "rows_rate": pct(Fraction(filled, asked)) if asked else "0%",
        "problem_rows": [_unit_row(u) for u in units if u.state != UnitState.SUBMITTED or u.errors],
    }


def _tasks(result: RunResult) -> list[dict[str, Any]]:
    groups = spec_groups(result.spec)
    out = []
    for t in result.spec.tasks:
        rows = result.tasks.get(t.key, [])
        counts = {s: sum(1 for r in rows if r.status == s) for s in TASK_STATUSES}
        reported = {r.unit for r in rows}
        highlights = list(
            dict.fromkeys(
                _clause(r.progress, t.title)
                for r in rows
                if r.status in (TaskStatus.DONE, TaskStatus.IN_PROGRESS) and one_line(r.progress)
            )
        )[:2]
        out.append(
            {
                "key": t.key,
                "no": t.no,
                "title": t.title,
                "section": t.section,
                "units": join_units(t.units, groups=groups),
                "done": counts[TaskStatus.DONE],
                "doing": counts[TaskStatus.IN_PROGRESS],
                "todo": counts[TaskStatus.NOT_STARTED],
                "unreported": len([u for u in t.units if u not in reported]),
                "highlights": "；".join(highlights),
            }
        )
    return out


def _clause(text: str, title: str) -> str:
    """A progress note as a clause: one line, at most 80 characters, without the task title
    repeated in front or the closing 。 (the template adds its own punctuation)."""
    s = one_line(text, 80)
    for prefix in (f"{title}：", f"{title}:"):
        s = s[len(prefix) :] if s.startswith(prefix) else s
    return s.rstrip("。；;，, ")


def _task_sections(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks grouped by the document's sections, in document order (jinja's groupby would sort),
    with the section's totals and the tasks most often reported 未启动 (at most 3)."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for t in tasks:
        sections.setdefault(t["section"], []).append(t)
    out = []
    for name, items in sections.items():
        totals = _task_totals(items)
        lagging = sorted((t for t in items if t["todo"]), key=lambda t: (-t["todo"], t["no"]))[:3]
        out.append(
            {
                "name": name,
                "tasks": items,
                **totals,
                "lagging": "、".join(f"{t['title']}（{t['todo']}个单位未启动）" for t in lagging),
            }
        )
    return out


def _task_totals(tasks: list[dict[str, Any]]) -> dict[str, int]:
    totals = {k: sum(t[k] for t in tasks) for k in ("done", "doing", "todo", "unreported")}
    totals["reports"] = totals["done"] + totals["doing"] + totals["todo"]
    return totals


def evidence_rows(result: RunResult) -> list[dict[str, str]]:
    """Every material named, by criterion and unit (annex and 佐证材料清单)."""
    out = []
    for key in sorted(result.answers, key=_criterion_order):
        for a in result.answers[key]:
            for material in a.evidence:
                out.append(
                    {
                        "key": key,
                        "indicator": key.split(".")[0],
                        "unit": a.unit,
                        "material": one_line(material),
                        "done": _done(a),
                    }
                )
    return out


def evidence_groups(result: RunResult) -> list[dict[str, str]]:
    """One row per criterion with materials: who listed them, how many, the first few names
    (the annex stays compact; every material is in the workbook's 佐证材料清单)."""
    groups = spec_groups(result.spec)
    out = []
    for key in sorted((k for k in result.answers if not is_note(k)), key=_criterion_order):
        listed = [a for a in result.answers[key] if a.evidence]
        materials = list(dict.fromkeys(one_line(m) for a in listed for m in a.evidence))
        if not materials:
            continue
        shown = "；".join(one_line(m, 24) for m in materials[:EVIDENCE_SHOWN])
        more = f"等{len(materials)}份" if len(materials) > EVIDENCE_SHOWN else ""
        out.append(
            {
                "key": key,
                "units": join_units((a.unit for a in listed), groups=groups),
                "count": str(len(materials)),
                "materials": shown + more,
            }
        )
    return out


EVIDENCE_SHOWN = 3  # material names shown per criterion in the report annex


def path_context(result: RunResult, path: PathToPass | None = None) -> dict[str, Any]:
    """达标路径 for the report: ready sentences (the CLI's wording) and the rows of its table."""
    from .summary import kinds_text, needs_text, shortfall_text

    path = path or path_for_run(result)
    groups, labels = spec_groups(result.spec), result.spec.reference_labels

    def row(n: int, i: Any) -> dict[str, str]:
        return {
            "n": str(n),
            "key": i.key,
            "indicator": f"{i.no}.{i.name}",
            "lost": fmt(i.lost),
            "kind": KIND_TEXT[i.kind],
            "units": join_units(i.units, 3, groups),
            "deadline": i.deadline,
            "reason": readable(one_line(i.reason), labels),
        }

    recoverable = [i for i in path.items if i.recoverable]
    deadlines = sorted({i.deadline for i in path.chosen if i.deadline})
    return {
        "passed": path.passed,
        "reachable": path.reachable,
        "needs": needs_text(path),
        "kinds": kinds_text(path),
        "shortfall": shortfall_text(path),
        "gain": fmt(path.total_gain),
        "chosen": [row(n, i) for n, i in enumerate(path.chosen, 1)],
        "chosen_count": len(path.chosen),
        "units": join_units(path.units(), 4, groups),
        "unit_count": len(path.units()),
        "deadline": cn_date(deadlines[0]) if deadlines else "",
        "recoverable": [row(n, i) for n, i in enumerate(recoverable, 1)],
        "recoverable_count": len(recoverable),
        "recoverable_points": fmt(path.recoverable_points),
        "blocked": "、".join(lv.name for lv in path.levels if lv.shortfall) or ("总分" if path.total_shortfall else ""),
    }


def _done(a: Answer) -> str:
    return "是" if a.done else "否" if a.done is False else ""


def _criterion_order(key: str) -> tuple[int, int]:
    ind, _, sub = key.partition(".")
    return int(ind[1:]) if ind[1:].isdigit() else 999, int(sub) if sub.isdigit() else 0


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


def _issue_counts(result: RunResult) -> dict[str, int]:
    report = result.report
    errors, warnings = len(report.errors), len(report.warnings)
    return {
        "errors": errors,
        "warnings": warnings,
        "infos": len(report) - errors - warnings,
        "conflicts": len(result.conflicts),
    }


def build_context(result: RunResult) -> dict[str, Any]:
    """Everything the report templates may use; keys are the template-variable contract."""
    spec, card = result.spec, result.card
    rate_min = spec.pass_rule.rate_min
    years = spec.years(result.year)
    labels = spec.reference_labels
    unit_groups = spec_groups(spec)
    groups = _groups(card, rate_min, labels, unit_groups)
    lost = [dict(indicator_row(i, labels, unit_groups), rank=n) for n, i in enumerate(card.lost, 1)]
    overrides = [indicator_row(i, labels, unit_groups) for i in card.indicators if i.computed_score is not None]
    city = spec.office["city"]
    tasks = _tasks(result)
    evidence = evidence_rows(result)
    return {
        "city": city,
        "title": f"{city}创建{spec.programme}自评报告",
        "year": result.year,
        "period": "、".join(f"{y}年" for y in years),
        "region": result.region,
        "addressee": spec.office.get("superior", ""),
        "office": spec.office.get("name", ""),
        "seat": spec.office.get("seat", ""),
        "date_cn": cn_date(result.generated_at),
        "basis": spec.basis,
        "document": spec.document,
        "system_title": spec.title,
        "system_version": spec.version,
        "levels": spec.levels,
        "indicator_level": spec.indicator_level,
        "pass_rule": spec.pass_rule.text,
        "total_min": fmt(Fraction(spec.pass_rule.total_min)),
        "rate_min": fmt(Fraction(spec.pass_rule.first_level_rate_min)) + "%",
        "total": fmt(card.total),
        "max": fmt(card.max),
        "passed": card.passed,
        "total_ok": card.total_ok,
        "levels_ok": card.levels_ok,
        "computed_total": fmt(result.computed.total),
        "overrides": overrides,
        "groups": groups,
        "weak_groups": [g for g in groups if not g["passed"]],
        "indicator_count": len(card.indicators),
        "met_count": sum(1 for i in card.indicators if i.lost == 0),
        "lost": lost,
        "lost_total": fmt(card.max - card.total),
        "pending": [{"key": c.key, "reason": readable(one_line(c.reason), labels)} for c in card.pending_review],
        "units": _units(result),
        "tasks": tasks,
        "task_sections": _task_sections(tasks),
        "task_totals": _task_totals(tasks),
        "task_count": len(tasks),
        "issue_counts": _issue_counts(result),
        "evidence": evidence,
        "evidence_count": len(evidence),
        "evidence_groups": evidence_groups(result),
        "path": path_context(result),
        "previous": previous_context(result),
    }


def reminder_context(result: RunResult, unit: UnitStatus) -> dict[str, Any]:
    """Context of ``reminder.j2``: one 催报 text for a unit that has not submitted or must resubmit."""
    mine = [i for i in result.report if i.unit == unit.unit or (i.file and i.file in unit.files)]
    examples = [one_line(i.text, 60) for i in mine if i.severity == ERROR][:2]
    return {
        "unit": unit.unit,
        "state": unit.state,
        "year": result.year,
        "file": unit.used_file or "、".join(unit.files),
        "errors": unit.errors,
        "examples": examples,
        "points": fmt(unit.points_at_stake),
        "items": "、".join(unit.items_at_stake),
        "office": result.spec.office.get("name", ""),
        "seat": result.spec.office.get("seat", ""),
    }
