"""What each page shows, taken from the run's result objects (read-only; display only).

Nothing is re-read or re-scored: figures come from the Scorecard and UnitStatus objects,
wording from the issue catalogue, and 达标路径 from the result when the library provides it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import api
from ..issues import UnitState


def counts(result: Any) -> dict[str, int]:
    """Units by state, as 报送情况 and scores.json count them."""
    states = Counter(u.state for u in result.units)
    return {
        "units": len(result.units),
        "submitted": states[UnitState.SUBMITTED],
        "resubmit": states[UnitState.RESUBMIT],
        "unfilled": states[UnitState.UNFILLED],  # a template sent back with nothing typed
        "missing": states[UnitState.NOT_SUBMITTED] + states[UnitState.INVALID],
        "not_submitted": states[UnitState.NOT_SUBMITTED],
        "invalid": states[UnitState.INVALID],
    }


def path_to_pass(result: Any) -> dict[str, Any]:
    """The 达标路径 of the run, from the library: its sentences and its items as plain data."""
    path = api.path_to_pass(result)
    return {"lines": api.path_to_pass_lines(result), **path.as_dict()}


def unit_of_file(result: Any) -> dict[str, str]:
    return {s.file: s.unit for s in result.submissions if s.unit}


def indicators_of_key(result: Any, key: str) -> list[str]:
    """The indicators an issue's key belongs to: its own (I12.1, I07.note) or those reading the
    data field (online_retail@2024)."""
    if not key:
        return []
    own = api.indicator_of(key)
    if own:
        return [own]
    base = api.base_key(key)
    return [i.key for i in result.spec.indicators if base in i.fields]


def issue_rows(result: Any, unit: str = "", severity: str = "", indicator: str = "") -> list[dict[str, Any]]:
    owners = unit_of_file(result)
    rows = []
    for i in result.report:
        who = i.unit or owners.get(i.file, "")
        inds = indicators_of_key(result, i.key)
        if (unit and who != unit) or (severity and i.severity != severity) or (indicator and indicator not in inds):
            continue
        rows.append({"issue": i, "unit": who, "indicators": inds})
    return rows


def evidence_rows(result: Any, ind: Any) -> dict[str, list[Any]]:
    """Criterion key -> every unit's answer, for the indicator's detail page."""
    keys = [c.key for c in ind.criteria] + [api.note_key(ind.key)]
    return {k: result.answers.get(k, []) for k in keys if result.answers.get(k)}


def merged_rows(result: Any, ind: Any) -> list[Any]:
    fields = set(ind.fields)
    return [m for m in result.merged if api.base_key(m.key) in fields]


def list_rows(result: Any, ind: Any) -> dict[str, list[Any]]:
    return {k: result.lists[k] for k in ind.fields if k in result.lists}
