"""Small frozen dataclasses for the indicator system.

They are built once from the YAML files in ``spec/`` by :mod:`yongji_xls.spec.load`; every
other module (scoring, templates, reader, reports) reads these objects and never the YAML, so a
change of the indicator system is a data change.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .keys import base_of, national_key, with_year


@dataclass(frozen=True)
class Unit:
    """A responsible unit; ``name`` is canonical and is what `_meta` carries."""

    no: int
    name: str
    aliases: tuple[str, ...] = ()
    attachment1: bool = False
    town: bool = False


@dataclass(frozen=True)
class Group:
    """A collective name in a 责任单位 text (联席会议成员单位, 各镇（街道）)."""

    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    lead: str


@dataclass(frozen=True)
class DataField:
    """A quantitative input; ``series`` fields are asked per year and keyed ``key@YYYY``."""

    key: str
    label: str
    unit: str
    kind: str  # count | amount | score
    series: bool
    owner: str
    cross_check: tuple[str, ...]
    used_by: tuple[str, ...] = ()
    max: Decimal | None = None  # plausibility bound (fields.yaml); a larger figure is a typing error

    def keys(self, year: int, span: int = 3) -> tuple[str, ...]:
        """The value keys asked for assessment year ``year`` (series: Y-2..Y)."""
        if not self.series:
            return (self.key,)
        return tuple(with_year(self.key, y) for y in range(year - span + 1, year + 1))


@dataclass(frozen=True)
class Rule:
    """A scoring rule: ``kind`` selects the function in :mod:`yongji_xls.scoring.rules`."""

    kind: str
    params: Mapping[str, Any]

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class Criterion:
    """A numbered sub-item of 附件2 (evidence, computed or list)."""

    key: str
    indicator: str
    text: str
    points: int
    rule: Rule | None = None

    @property
    def kind(self) -> str:
        """evidence | computed | list: derived from the rule that scores it, never stored."""
        from ..scoring.rules import criterion_kind

        return criterion_kind(self.rule)


@dataclass(frozen=True)
class Indicator:
    key: str
    no: int
    first: str
    second: str
    nature: str
    name: str
    points: int
    description: str
    method: str
    sources: tuple[str, ...]
    units_text: str
    units: tuple[str, ...]
    lead: str
    aggregate: str  # sum | any
    rule: Rule | None
    criteria: tuple[Criterion, ...]
    fields: tuple[str, ...] = ()  # data fields (and list keys) the rules read


@dataclass(frozen=True)
class ListColumn:
    name: str
    type: str = "text"  # text | year | amount | date | code (an identifier: text, never a number)
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class ListSpec:
    key: str
    title: str
    columns: tuple[ListColumn, ...]
    identity: tuple[str, ...]
    units: tuple[str, ...]
    identity_combined: bool = False  # True: all identity columns together; False: the first present (see identity.py)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class Task:
    key: str
    no: int
    section: str
    title: str
    text: str
    units_text: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class SecondLevel:
    name: str
    first: str
    points: int
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class FirstLevel:
    name: str
    points: int
    second: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """A national figure (percent, or points for satisfaction) with where it comes from."""

    name: str
    year: int
    value: Decimal
    source: str = ""
    published: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        return national_key(self.name, self.year)


@dataclass(frozen=True)
class PassRule:
    total_min: Decimal
    first_level_rate_min: Decimal  # percent, as written in system.yaml
    text: str

    @property
    def rate_min(self) -> Fraction:
        """The first-level rate threshold as an exact fraction of 1 (75 -> 3/4)."""
        return Fraction(self.first_level_rate_min) / 100


_MEMOS: dict[int, dict[str, Any]] = {}


def spec_memo(spec: Spec) -> dict[str, Any]:
    """Derived tables of one Spec (lookups by key, unit shares, key kinds, the unit resolver),
    kept beside it rather than inside: the Spec stays frozen and free of mutable state, and the
    memo goes when the Spec does."""
    key = id(spec)
    memo = _MEMOS.get(key)
    if memo is None:
        memo = _MEMOS[key] = {}
        weakref.finalize(spec, _MEMOS.pop, key, None)
    return memo


def programme_of(system_title: str) -> str:
    """The programme an indicator system belongs to, named by the outputs' titles: the system's
    title before 「评估指标体系」 (the whole title when it has no such part)."""
    return system_title.split("评估指标体系")[0] or system_title


@dataclass(frozen=True)
class Spec:
    """The whole indicator system of one version."""

    version: str
    title: str
    basis: str
    document: str
    pass_rule: PassRule
    default_year: int
    assessed_years: int
    default_region: str
    region_thresholds: Mapping[str, Decimal]
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    office: Mapping[str, str]
    fields: tuple[DataField, ...]
    indicators: tuple[Indicator, ...]
    lists: tuple[ListSpec, ...]
    tasks: tuple[Task, ...]
    first_levels: tuple[FirstLevel, ...]
    second_levels: tuple[SecondLevel, ...]
    references: tuple[Reference, ...]
    reference_labels: Mapping[str, str] = field(default_factory=dict)  # national figure name -> 中文名称
    placeholders: tuple[str, ...] = ()  # normalised texts that are not evidence (system.yaml)
    total_points: int = 100  # what the indicators' points must add up to (system.yaml total_points)

    @property
    def programme(self) -> str:
        """「全国网络市场监管与服务示范区」: what the outputs' titles name, from the system's title."""
        return programme_of(self.title)

    @property
    def max_points(self) -> int:
        return sum(i.points for i in self.indicators)

    def indicator(self, key: str) -> Indicator:
        return self._lookup("indicator", self.indicators, key)

    def field(self, key: str) -> DataField:
        return self._lookup("field", self.fields, base_of(key))

    def list_spec(self, key: str) -> ListSpec:
        return self._lookup("list", self.lists, key)

    def unit(self, name: str) -> Unit:
        return self._lookup("unit", self.units, name)

    def criterion(self, key: str) -> Criterion:
        return self.indicator(key.split(".", 1)[0]).criteria[int(key.split(".", 1)[1]) - 1]

    def task(self, key: str) -> Task:
        return self._lookup("task", self.tasks, key)

    def _lookup(self, kind: str, items: tuple[Any, ...], key: str) -> Any:
        memo = spec_memo(self)
        table = memo.get(kind)
        if table is None:
            attr = "name" if kind == "unit" else "key"
            table = memo[kind] = {getattr(i, attr): i for i in items}
        return table[key]

    def has_field(self, key: str) -> bool:
        try:
            self.field(key)
        except KeyError:
            return False
        return True

    def years(self, year: int) -> tuple[int, ...]:
        """The assessed years ("近2年"): Y-1 and Y."""
        return tuple(range(year - self.assessed_years + 1, year + 1))

    def national_names(self) -> tuple[str, ...]:
        """The national figures the rules compare against, from each rule kind's declared parameters."""
        from ..scoring.rules import rule_references

        rules = [i.rule for i in self.indicators] + [c.rule for i in self.indicators for c in i.criteria]
        return tuple(dict.fromkeys(n for rule in rules for n in rule_references(rule)[1]))

    @property
    def data_span(self) -> int:
        """How many years of a series field are asked: the assessed years and the one before
        them (a growth rate needs the previous year's figure)."""
        return self.assessed_years + 1

    def responsible(self, unit: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if unit in i.units)
