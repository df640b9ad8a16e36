"""What each unit is asked for: its share of 附件2 and of the main tasks.

The template writer, the reader (which keys a unit may answer), the merge (who has not
submitted and what that costs) and the reports all use this one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .keys import note_key, year_of
from .model import Criterion, DataField, Indicator, ListSpec, Spec, Task


@dataclass(frozen=True)
class FieldRequest:
    field: DataField
    key: str  # value key, e.g. online_retail@2024
    year: int | None
    role: str  # owner | cross_check


@dataclass(frozen=True)
class UnitShare:
    unit: str
    indicators: tuple[Indicator, ...]
    fields: tuple[FieldRequest, ...]
    criteria: tuple[Criterion, ...]
    notes: tuple[Indicator, ...]
    lists: tuple[ListSpec, ...]
    tasks: tuple[Task, ...]

    @cached_property
    def keys(self) -> frozenset[str]:
        """Every row key this unit's workbook carries (list and task keys included)."""
        return frozenset(
            [f.key for f in self.fields]
            + [c.key for c in self.criteria]
            + [note_key(i.key) for i in self.notes]
            + [ls.key for ls in self.lists]
            + [t.key for t in self.tasks]
        )

    @property
    def rows_asked(self) -> int:
        return len(self.fields) + len(self.criteria) + len(self.notes) + len(self.lists) + len(self.tasks)


def _field_requests(spec: Spec, unit: str, year: int) -> list[FieldRequest]:
    out = []
    for f in spec.fields:
        role = "owner" if f.owner == unit else "cross_check" if unit in f.cross_check else ""
        if role:
            for key in f.keys(year, spec.data_span):
                y = year_of(key)
                out.append(FieldRequest(f, key, y, role))
    return out


def unit_share(spec: Spec, unit: str, year: int) -> UnitShare:
    """The share of ``unit`` for assessment year ``year`` (computed once per spec and year)."""
    return spec.derived.memo(_compute_share, unit, year)


def _compute_share(spec: Spec, unit: str, year: int) -> UnitShare:
    indicators = spec.responsible(unit)
    fields = _field_requests(spec, unit, year)
    field_keys = {r.field.key for r in fields}
    lists = tuple(ls for ls in spec.lists if unit in ls.units)
    list_keys = {ls.key for ls in lists}
    criteria = tuple(c for i in indicators for c in i.criteria if c.kind == "evidence")
    notes = tuple(i for i in indicators if i.rule is not None and not (set(i.fields) & (field_keys | list_keys)))
    tasks = tuple(t for t in spec.tasks if unit in t.units)
    return UnitShare(unit, indicators, tuple(fields), criteria, notes, lists, tasks)


def all_shares(spec: Spec, year: int) -> dict[str, UnitShare]:
    """Shares of every unit with at least one responsibility, in registry order."""
    shares = {u.name: unit_share(spec, u.name, year) for u in spec.units}
    return {name: s for name, s in shares.items() if s.rows_asked}
