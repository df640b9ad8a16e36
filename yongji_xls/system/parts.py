"""Which figures are parts of which: the ``part_of`` relations of an indicator system.

A part never exceeds its whole (电子商务纳税额 ≤ 地区总税收额). Two sources, one list:

* declared per field in the data (``fields.yaml`` ``part_of``, the system workbook's 「所属总量」
  column): relations that hold whatever the scoring formula is (网上零售额 ≤ 社零);
* derived from the rules: every numerator of a rate is part of its denominator (``ratio_band``,
  ``share_vs_national`` and the ratio conditions of ``conditions``). Derived, not declared as well,
  so that editing a rule cannot leave a stale declaration behind (the same reason the fields a rule
  reads are derived). A ``form: product`` condition (用户数超过在编人员数的50%) is not a rate of a
  part to its whole and gives no relation.

A pair is only a relation when both fields share their unit and their being per year (a series
part is compared with its whole year by year). The checks of the declarations are in
:func:`validate_parts`; the values are checked in :mod:`yongji_xls.values.relations`.
"""

from __future__ import annotations

from .model import DataField, Rule, Spec
from .problems import problem

RATE_KINDS = ("ratio_band", "share_vs_national")


def part_pairs(spec: Spec) -> tuple[tuple[str, str], ...]:
    """(part, whole) field keys, declared first then derived from the rules, each once; memoised."""
    return spec.derived.memo(_pairs)


def _pairs(spec: Spec) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = [(f.key, f.part_of) for f in spec.fields if f.part_of]
    rules = [i.rule for i in spec.indicators] + [c.rule for i in spec.indicators for c in i.criteria]
    for rule in rules:
        pairs.extend(_rate_pairs(rule))
    fields = {f.key: f for f in spec.fields}
    out = []
    for part, whole in dict.fromkeys(pairs):
        a, b = fields.get(part), fields.get(whole)
        if a is not None and b is not None and part != whole and _comparable(a, b):
            out.append((part, whole))
    return tuple(out)


def _rate_pairs(rule: Rule | None) -> list[tuple[str, str]]:
    if rule is None:
        return []
    if rule.kind in RATE_KINDS and rule.get("num") and rule.get("den"):
        return [(str(rule.get("num")), str(rule.get("den")))]
    if rule.kind == "conditions":
        return [
            (str(c["num"]), str(c["den"]))
            for c in rule.get("all") or ()
            if isinstance(c, dict) and c.get("num") and c.get("den") and c.get("form") != "product"
        ]
    return []


def _comparable(a: DataField, b: DataField) -> bool:
    return a.unit == b.unit and a.series == b.series


def validate_parts(spec: Spec, problems: list[str]) -> None:
    """The declared relations and factors make sense: ``part_of`` names another field of the same
    unit and the same per-year kind, without a circle; ``jump`` is on a series field and above 1;
    every unit slip is of a unit some field uses."""
    fields = {f.key: f for f in spec.fields}
    for f in spec.fields:
        if f.part_of:
            whole = fields.get(f.part_of)
            if whole is None:
                problems.append(problem("part_of_unknown", field=f.key, whole=f.part_of))
            elif whole.key == f.key:
                problems.append(problem("part_of_self", field=f.key))
            elif not _comparable(f, whole):
                problems.append(
                    problem(
                        "part_of_unlike",
                        field=f.key,
                        whole=whole.key,
                        unit=f.unit,
                        whole_unit=whole.unit,
                    )
                )
            elif _circle(fields, f.key):
                problems.append(problem("part_of_circle", field=f.key, whole=whole.key))
        if f.jump is not None:
            if not f.series:
                problems.append(problem("jump_not_series", field=f.key))
            elif f.jump <= 1:
                problems.append(problem("jump_too_small", field=f.key, jump=f.jump))
    for ls in spec.lists:  # a list amount column's whole: a field (its row's year when a series)
        for col in ls.columns:
            if col.part_of and col.part_of not in fields:
                problems.append(problem("part_of_unknown", field=f"{ls.key}.{col.name}", whole=col.part_of))
    units = {f.unit for f in spec.fields}
    for unit in spec.unit_slips:
        if unit not in units:
            problems.append(problem("unit_slip_unused", unit=unit))


def _circle(fields: dict[str, DataField], start: str) -> bool:
    seen, key = {start}, fields[start].part_of
    while key and key in fields:
        if key in seen:
            return True
        seen.add(key)
        key = fields[key].part_of
    return False
