"""Validate a ``--values`` mapping (DESIGN.md §5) into typed merged values plus issues.

The same typed form is what :mod:`yongji_xls.collect.merge` produces from workbooks, so
``score --values`` and ``run`` score through one path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..issues import Issue, issue
from ..system.keys import is_national, parse_key
from ..system.model import Spec
from ..system.placeholders import matcher
from .figures import plain
from .identity import row_groups
from .parse import (
    Parsed,
    clean_text,
    exact,
    parse_choice,
    parse_date,
    parse_number,
    parse_text,
    parse_year,
    parse_yes_no,
)
from .types import Answer, ListRow, split_evidence


def parse_list_row(
    spec: Spec, list_key: str, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, Parsed]]]:
    """Typed cells of one list row and the (column, problem) pairs found."""
    ls = spec.list_spec(list_key)
    cells: dict[str, Any] = {}
    problems: list[tuple[str, Parsed]] = []
    for col in ls.columns:
        raw_value = raw.get(col.name)
        if col.choices:
            p = parse_choice(raw_value, col.choices)
        elif col.type == "year":
            p = parse_year(raw_value)
        elif col.type == "amount":
            bound = spec.field(col.part_of).max if col.part_of else None  # no more than its whole may be
            p = parse_number(raw_value, "amount", maximum=bound)
        elif col.type == "date":
            p = parse_date(raw_value)
        elif col.type == "code":
            p = Parsed(clean_text(raw_value) or None)  # codes are ASCII: full-width letters and digits made so
        else:  # a unit's text as typed, trimmed: its full-width 「：」「（）」 are what documents quote
            p = Parsed(("" if raw_value is None else str(raw_value).strip()) or None)
        if p.error:
            problems.append((col.name, p))
            cells[col.name] = None
        else:
            cells[col.name] = p.value
    return cells, problems


def _not_finite(value: Any) -> bool:
    """NaN/Infinity (JSON allows them; ``float('nan')`` would otherwise read as blank)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, str) and value.strip().lstrip("+-").lower() in ("nan", "inf", "infinity")


def validate_values(
    spec: Spec, raw: Mapping[str, Any], file: str = "", year: int | None = None
) -> tuple[dict[str, Any], list[Issue]]:
    """Typed values and the issues found; bad entries are dropped (and so score as missing).
    With ``year``, yearly keys outside what scoring reads and unknown national names are warned
    (the rules of a ``--reference`` file, :mod:`.reference_file`)."""
    from .references import check_value_years

    out: dict[str, Any] = {}
    issues: list[Issue] = []
    criteria = {c.key: c for i in spec.indicators for c in i.criteria}
    lists = {ls.key for ls in spec.lists}
    for key, value in raw.items():
        key = str(key)
        if _not_finite(value):
            issues.append(issue("value_not_finite", file=file, key=key, value=value))
            continue
        unused = check_value_years(spec, key, year)
        if unused is not None and unused[0] == "reference_unknown_name":
            issues.append(
                issue(
                    "reference_unknown_name",
                    file=file,
                    key=key,
                    where="",
                    name=unused[1],
                    known="、".join(sorted(spec.reference_labels)),
                )
            )
        elif unused is not None and unused[0] == "reference_year_unused":
            issues.append(
                issue(
                    "reference_year_unused",
                    file=file,
                    key=key,
                    where="",
                    year=str(parse_key(key).year),
                    years=unused[1],
                )
            )
        elif unused is not None:
            issues.append(issue("value_year_unused", file=file, key=key, years=unused[1]))
        if is_national(key):
            number = exact(str(value).strip().rstrip("%")) if isinstance(value, str) else exact(value)
            if number is None:
                issues.append(issue("value_not_number", file=file, key=key, value=value))
            else:
                out[key] = number
                if 0 < abs(number) <= 1:
                    issues.append(
                        issue(
                            "reference_fraction", file=file, key=key, value=value, where="", percent=plain(number * 100)
                        )
                    )
            continue
        if key in criteria and criteria[key].kind == "evidence":
            answers = _answers(key, value, file, issues)
            if answers is not None:
                out[key] = answers
                issues.extend(answer_warnings(spec, key, answers, file))
            continue
        if key in lists:
            if not isinstance(value, list):
                issues.append(issue("value_bad_type", file=file, key=key, detail="清单应为对象数组"))
                continue
            rows = []
            for n, row in enumerate(value, 1):
                if not isinstance(row, Mapping):
                    issues.append(issue("value_bad_type", file=file, key=key, detail=f"第{n}行应为对象"))
                    continue
                cells, problems = parse_list_row(spec, key, row)
                for col, p in problems:
                    issues.append(
                        issue(
                            p.error, file=file, key=f"{key}[{n}].{col}", value=p.shown, choices=_choices(spec, key, col)
                        )
                    )
                rows.append(ListRow(cells, clean_text(row.get("unit", ""))))
            out[key] = rows
            issues.extend(_two_codes(spec, key, rows, file))
            continue
        if spec.key_kind(key) in ("task", "note", "criterion"):
            out[key] = value
            continue
        k = parse_key(key)
        if k is None or k.kind != "field" or not spec.has_field(k.base):
            issues.append(issue("value_unknown_key", file=file, key=key))
            continue
        field = spec.field(k.base)
        if field.series != (k.year is not None):
            detail = (
                f"{field.label}是按年度填报的数据项，键应为{field.key}@年份"
                if field.series
                else f"{field.label}不分年度，键应为{field.key}"
            )
            issues.append(issue("value_bad_type", file=file, key=key, detail=detail))
            continue
        p = parse_number(value, field.kind, field.unit, field.max, spec.unit_slips.get(field.unit))
        if p.error:
            issues.append(issue(p.error, file=file, key=key, value=p.shown, label=field.label, **p.params))
        elif p.value is not None:
            if p.note in ("value_percent_scaled",):
                issues.append(issue(p.note, file=file, key=key, value=p.shown, scaled=p.value))
            out[key] = p.value
    return out, issues


def _two_codes(spec: Spec, key: str, rows: list[ListRow], file: str) -> list[Issue]:
    """One name under two different codes: the warning ``run`` gives when it merges the lists."""
    ls = spec.list_spec(key)
    _, two = row_groups([r.cells for r in rows], ls.identity, ls.identity_combined)
    return [issue("list_name_two_codes", file=file, key=key, name=name, codes="、".join(codes)) for name, codes in two]


def answer_warnings(spec: Spec, key: str, answers: list[Answer], file: str) -> list[Issue]:
    """The warnings the workbook reader gives on an answer's cells, for answers given as data
    (``score --values``): placeholder materials or 说明, 是 without material or 说明, no 是/否."""
    empty = matcher(spec)
    out = []
    for a in answers:
        shown = "、".join(a.evidence)
        if a.evidence and all(empty(e) for e in a.evidence):
            out.append(issue("evidence_placeholder", file=file, key=key, value=shown))
        if a.note and empty(a.note):
            out.append(issue("note_placeholder", file=file, key=key, value=a.note))
        if a.done is None and (a.note or a.evidence):
            out.append(issue("done_missing", file=file, key=key))
        if a.done is True and not a.evidence:
            out.append(issue("evidence_missing", file=file, key=key))
        elif a.done is True and not a.note.strip():
            out.append(issue("note_missing", file=file, key=key))
    return out


def _choices(spec: Spec, list_key: str, column: str) -> str:
    col = next((c for c in spec.list_spec(list_key).columns if c.name == column), None)
    return "、".join(col.choices) if col else ""


def _answers(key: str, value: Any, file: str, issues: list[Issue]) -> list[Answer] | None:
    items = value if isinstance(value, list) else [value]
    answers = []
    for item in items:
        if not isinstance(item, Mapping):
            issues.append(
                issue(
                    "value_bad_type",
                    file=file,
                    key=key,
                    detail='评分要点应为 {"done": true, "note": "…", "evidence": ["…"]}',
                )
            )
            return None
        done = parse_yes_no(item.get("done"))
        if done.error:
            issues.append(issue("value_bad_done", file=file, key=key, value=done.shown))
        answers.append(
            Answer(
                done.value,
                str(parse_text(item.get("note")).value or ""),  # free text as typed, as a workbook's
                split_evidence(item.get("evidence")),
                clean_text(item.get("unit")),
            )
        )
    return answers
