"""scores.json, built in one place: for a run (:func:`run_document`, written by the write stage)
and for already-merged values (:func:`values_document`, ``score --values``). Both are the
scorecard's own dict with the 达标路径, the issues and which system and county they belong to
(DESIGN.md §5); a run adds its units, conflicts and the values each unit supplied."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..issues import Issue, UnitState, code_of
from ..records import RunResult
from ..scoring.path_to_pass import PathToPass, path_for_run, path_to_pass
from ..scoring.scorecard import Scorecard
from ..system.model import Spec
from ..workbook.write.prefill import submitted_values


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)


def scores_document(
    card: Scorecard,
    issues: Iterable[Issue] = (),
    missing_units: Iterable[dict[str, Any]] = (),
    extra: dict[str, Any] | None = None,
    path: PathToPass | None = None,
) -> dict[str, Any]:
    """The scores.json document (DESIGN.md §5); ``path``: the 达标路径 (``path_to_pass``)."""
    doc = card.as_dict()
    if path is not None:
        doc["path_to_pass"] = path.as_dict()
    doc["missing_units"] = list(missing_units)
    doc["issues"] = [i.as_dict() for i in issues]
    if extra:
        doc.update(extra)
    return doc


def system_info(spec: Spec) -> dict[str, Any]:
    """Which system and which county a scores.json belongs to (the city's rollup groups by it)."""
    office = spec.office
    return {
        "system": {
            "version": spec.version,
            "title": spec.title,
            "basis": spec.basis,
            "levels": spec.levels,  # 2: groups → indicators (``second_level`` is then an empty list); 3
            "pass_rule": {
                "total_min": float(spec.pass_rule.total_min),
                "first_level_rate_min": float(spec.pass_rule.first_level_rate_min),
            },
        },
        "county": office.get("city", ""),
        "prefecture": office.get("prefecture", ""),
    }


def values_document(spec: Spec, card: Scorecard, issues: Iterable[Issue] = ()) -> dict[str, Any]:
    """The scores.json of ``score --values``: the card, its 达标路径, the issues and the system."""
    return scores_document(card, issues, path=path_to_pass(spec, card), extra=system_info(spec))


def with_issues(doc: dict[str, Any], issues: Iterable[Issue]) -> dict[str, Any]:
    """``doc`` with ``issues`` listed after its own (what writing the outputs raised, known last)."""
    doc["issues"].extend(i.as_dict() for i in issues)
    return doc


def run_document(result: RunResult) -> dict[str, Any]:
    """The scores.json of a run, with the run's own issues (:func:`with_issues` adds what writing
    the outputs raised, after them)."""
    missing = [
        {
            "unit": u.unit,
            "state": u.state,
            "state_code": code_of(UnitState, u.state),
            "points_at_stake": float(u.points_at_stake),
            "items": u.items_at_stake,
        }
        for u in result.missing_units
    ]
    extra: dict[str, Any] = {
        **system_info(result.spec),
        "generated_at": result.generated_at,
        "units": [
            {
                "unit": u.unit,
                "state": u.state,
                "state_code": code_of(UnitState, u.state),
                "file": u.used_file,
                "rows_asked": u.rows_asked,
                "rows_filled": u.rows_filled,
                "errors": u.errors,
                "warnings": u.warnings,
                "contact": u.contact,
            }
            for u in result.units
        ],
        "conflicts": [
            {
                "key": c.key,
                "label": c.label,
                "owner": c.owner,
                "owner_value": str(c.owner_value),
                "owner_source": c.owner_source.as_dict(),
                "other": c.other,
                "other_value": str(c.other_value),
                "other_source": c.other_source.as_dict(),
            }
            for c in result.conflicts
        ],
        "values": submitted_values(result),
    }
    if result.card is not result.computed:
        extra["computed_total"] = float(result.computed.total)
    if result.previous is not None:
        extra["previous"] = result.previous.as_dict()
    return scores_document(result.card, result.report, missing, extra, path_for_run(result))
