"""Consistency checks of a built indicator system: points add up, keys are unique, every unit
and field resolves. Every finding is collected (in Chinese) so an editor sees them all at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .keys import task_key
from .model import Spec
from .parts import validate_parts
from .problems import problem


def validate(spec: Spec, problems: list[str]) -> None:
    """Append a :class:`.problems.Problem` to ``problems`` for every inconsistency found."""
    keys: dict[str, str] = {}
    for ls in spec.lists:
        if ls.key not in {i.key for i in spec.indicators}:
            problems.append(problem("list_key_not_indicator", key=ls.key))
    for kind, items in (("指标", spec.indicators), ("数据项", spec.fields), ("任务", spec.tasks)):
        for item in items:
            if item.key in keys:
                problems.append(problem("duplicate_key", key=item.key, first=keys[item.key], second=kind))
            keys[item.key] = kind
    for ind in spec.indicators:
        for c in ind.criteria:
            if c.key in keys:
                problems.append(problem("duplicate_criterion_key", key=c.key))
            keys[c.key] = "评分要点"
            if not c.key.startswith(ind.key + "."):
                problems.append(problem("criterion_key_prefix", indicator=ind.key, key=c.key))
        if ind.rule is None and not ind.criteria:
            problems.append(problem("indicator_not_scored", indicator=ind.key))
        if ind.criteria:
            if ind.aggregate == "any":
                bad = [c.key for c in ind.criteria if c.points != ind.points]
                if bad:
                    problems.append(problem("any_points", indicator=ind.key, points=ind.points, keys=bad))
            elif sum(c.points for c in ind.criteria) != ind.points:
                total = sum(c.points for c in ind.criteria)
                problems.append(problem("criteria_points_sum", indicator=ind.key, total=total, points=ind.points))
        if not ind.units:
            problems.append(problem("indicator_without_units", indicator=ind.key))
        for f in ind.fields:
            if f not in keys and f not in {ls.key for ls in spec.lists}:
                problems.append(problem("rule_field_unknown", indicator=ind.key, field=f))
    _levels(spec, problems)
    if spec.max_points != spec.total_points or sum(f.points for f in spec.first_levels) != spec.total_points:
        problems.append(problem("total_points", expected=spec.total_points, actual=spec.max_points))
    for fld in spec.fields:
        if not fld.used_by:
            problems.append(problem("field_unused", field=fld.key))
        for ind_key in fld.used_by:
            ind = spec.indicator(ind_key)
            for u in (fld.owner, *fld.cross_check):
                if u and u not in ind.units:
                    problems.append(problem("field_unit_not_responsible", field=fld.key, unit=u, indicator=ind_key))
    for key, code in (("city", "office_city_missing"), ("name", "office_name_missing")):
        if not spec.office.get(key):
            problems.append(problem(code))
    for name in spec.national_names():
        if name not in spec.reference_labels:
            problems.append(problem("reference_label_missing", name=name))
    for t in spec.tasks:
        if not t.units:
            problems.append(problem("task_without_units", task=t.key))
        if t.key != task_key(t.no):
            problems.append(problem("task_key_format", key=t.key, no=t.no))
    validate_parts(spec, problems)
    validate_ranges(spec, problems)


def _levels(spec: Spec, problems: list[str]) -> None:
    """Points add up level by level, and every indicator sits in one group (and subgroup, when
    the system has three levels); all groups have subgroups or none do."""
    with_seconds = [f.name for f in spec.first_levels if f.second]
    if with_seconds and len(with_seconds) < len(spec.first_levels):
        for f in spec.first_levels:
            if not f.second:
                problems.append(problem("levels_mixed", name=f.name))
    seconds = {s.name: s for s in spec.second_levels}
    for s in spec.second_levels:
        total = sum(spec.indicator(k).points for k in s.indicators)
        if total != s.points:
            at = level_key("second", s.name)
            problems.append(problem("second_level_points", name=s.name, points=s.points, total=total, at=at))
    for f in spec.first_levels:
        parts = [seconds[n].points for n in f.second] if f.second else [spec.indicator(k).points for k in f.indicators]
        if sum(parts) != f.points:
            at = level_key("first", f.name)
            problems.append(problem("first_level_points", name=f.name, points=f.points, total=sum(parts), at=at))
    if spec.levels == 3:
        assigned = {k for s in spec.second_levels for k in s.indicators}
        for ind in spec.indicators:
            if ind.key not in assigned:
                where = {"indicator": ind.key, "first": ind.first, "second": ind.second}
                problems.append(problem("indicator_level_unknown", **where))
        return
    firsts = {f.name for f in spec.first_levels}
    for ind in spec.indicators:
        if ind.second:
            problems.append(problem("indicator_second_in_two_levels", indicator=ind.key, second=ind.second))
        elif ind.first not in firsts:
            problems.append(problem("indicator_first_unknown", indicator=ind.key, first=ind.first))


def level_key(level: str, name: str) -> str:
    """How a first- or second-level group is named for locating a problem (``at``) in the system
    workbook's 「一级二级指标」 sheet."""
    return f"{level}:{name}"


HUNDRED = Decimal(100)


def validate_ranges(spec: Spec, problems: list[str]) -> None:
    """Numbers within what they can mean: a rate in percent is 0–100, the pass total within the
    system's points, an indicator's part points within its points (a first-level rate of 800 used
    to load and fail every group)."""
    rate = spec.pass_rule.first_level_rate_min
    if not 0 < rate <= HUNDRED:
        problems.append(problem("pass_rate_range", value=_num(rate), at="first_level_rate_min"))
    if not 0 < spec.pass_rule.total_min <= spec.total_points:
        value = _num(spec.pass_rule.total_min)
        problems.append(problem("pass_total_range", value=value, points=spec.total_points, at="total_min"))
    for ind in spec.indicators:
        if ind.points <= 0:
            problems.append(problem("points_not_positive", key=ind.key, value=ind.points))
        for c in ind.criteria:
            if not 0 < c.points <= ind.points:
                problems.append(problem("criterion_points_range", key=c.key, value=c.points, points=ind.points))
        for rule, key in [(ind.rule, ind.key), *((c.rule, c.key) for c in ind.criteria)]:
            if rule is not None:
                _rule_ranges(spec, key, rule, ind.points, problems)


def _rule_ranges(spec: Spec, key: str, rule: Any, points: int, problems: list[str]) -> None:
    for name in ("low", "high"):
        value = rule.get(name)
        if isinstance(value, (int, float, Decimal)) and not 0 <= Decimal(str(value)) <= HUNDRED:
            problems.append(problem("rule_rate_range", key=key, param=RATE_WORDS[name], value=_num(value)))
    for cond in rule.get("all") or ():
        ref = cond.get("ref") if isinstance(cond, dict) else None
        ratio = isinstance(cond, dict) and "num" in cond
        if ratio and isinstance(ref, (int, float)) and not 0 <= Decimal(str(ref)) <= HUNDRED:
            problems.append(problem("rule_rate_range", key=key, param="参考值", value=_num(ref)))
    low, high = rule.get("low_points"), rule.get("high_points")
    for name, value in (("low_points", low), ("high_points", high), ("points_per_year", rule.get("points_per_year"))):
        if isinstance(value, int) and not 0 < value <= points:
            problems.append(problem("rule_points_range", key=key, param=RATE_WORDS[name], value=value, points=points))
    if isinstance(low, int) and isinstance(high, int) and low > high:
        problems.append(problem("rule_points_order", key=key, low=low, high=high))
    per_year = rule.get("points_per_year")
    if isinstance(per_year, int) and 0 < per_year <= points and per_year * spec.assessed_years > points:
        total = per_year * spec.assessed_years
        problems.append(
            problem("rule_years_points", key=key, value=per_year, years=spec.assessed_years, total=total, points=points)
        )


RATE_WORDS = {
    "low": "区间下限（%）",
    "high": "区间上限（%）",
    "low_points": "下限得分",
    "high_points": "上限得分",
    "points_per_year": "每年得分",
}


def _num(value: Any) -> str:
    d = Decimal(str(value))
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
