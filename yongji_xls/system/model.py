"""Small frozen dataclasses for the indicator system.

They are built once from the YAML files in ``system/data/`` by :mod:`yongji_xls.system.load`; every
other module (scoring, templates, reader, reports) reads these objects and never the YAML, so a
change of the indicator system is a data change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from .keys import base_of, national_key, parse_key, with_year
from .rule_kinds import criterion_kind, rule_references

T = TypeVar("T")


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
    part_of: str = ""  # the field this figure is a part of (never exceeds it): fields.yaml ``part_of``
    jump: Decimal | None = None  # series: a year-over-year factor beyond which a figure is suspect

    def keys(self, year: int, span: int = 3) -> tuple[str, ...]:
        """The value keys asked for assessment year ``year`` (series: Y-2..Y)."""
        if not self.series:
            return (self.key,)
        return tuple(with_year(self.key, y) for y in range(year - span + 1, year + 1))


@dataclass(frozen=True)
class Rule:
    """A scoring rule: ``kind`` is one of :data:`.rule_kinds.RULE_KINDS`; scoring picks its function by it."""

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
    part_of: str = ""  # a field the figure cannot exceed (of the row's year when a series): I04 sales ≤ 网上零售额


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
    """A main task of the county's work plan (office configuration, not the indicator system);
    ``section`` is the plan's part it belongs to ('' when the plan has none)."""

    key: str
    no: int
    section: str
    title: str
    text: str
    units_text: str
    units: tuple[str, ...]
    lead: str = ""


@dataclass(frozen=True)
class SecondLevel:
    """A subgroup of a three-level system (groups → subgroups → indicators)."""

    name: str
    first: str
    points: int
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class FirstLevel:
    """A group: its subgroups (none in a two-level system) and, either way, its indicators, so
    that totals and rates never depend on how many levels lie between."""

    name: str
    points: int
    second: tuple[str, ...]
    indicators: tuple[str, ...] = ()


LEVEL_NAMES = ("一级指标", "二级指标", "三级指标")
"""What each level is called: a two-level system's indicators are its 二级指标."""


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


class Derived:
    """What is computed from one Spec and kept with it: lookup tables, key kinds, unit shares,
    the unit resolver, the texts a template writes. ``memo(make, *args)`` computes
    ``make(spec, *args)`` once; the function itself is the key, so no two modules can meet on a
    name, and the memo lives and dies with its Spec. It is never pickled (the disk cache of a
    Spec carries data only) and never compared (two equal Specs are equal whatever they memoised).
    """

    __slots__ = ("_spec", "_made")

    def __init__(self, spec: Spec) -> None:
        self._spec = spec
        self._made: dict[tuple[Any, ...], Any] = {}

    def memo(self, make: Callable[..., T], *args: Any) -> T:
        key = (make, *args)
        if key not in self._made:
            self._made[key] = make(self._spec, *args)
        return self._made[key]


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
    placeholder_patterns: tuple[str, ...] = ()  # regexes of texts that are not evidence (system.yaml)
    total_points: int = 100  # what the indicators' points must add up to (system.yaml total_points)
    unit_slips: Mapping[str, Mapping[str, Fraction]] = field(default_factory=dict)  # unit -> {typed unit: factor}

    def __post_init__(self) -> None:
        object.__setattr__(self, "_derived", Derived(self))  # not a field: never compared, copied or dumped

    @property
    def derived(self) -> Derived:
        """What is computed from this Spec and kept with it (:class:`Derived`)."""
        return self.__dict__["_derived"]

    def __getstate__(self) -> dict[str, Any]:  # the disk cache carries data only
        return {k: v for k, v in self.__dict__.items() if k != "_derived"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "_derived", Derived(self))

    @property
    def programme(self) -> str:
        """「全国网络市场监管与服务示范区」: what the outputs' titles name, from the system's title."""
        return programme_of(self.title)

    @property
    def levels(self) -> int:
        """2 (groups → indicators, SAMR's 2026 shape) or 3 (groups → subgroups → indicators, 2022)."""
        return 3 if self.second_levels else 2

    @property
    def level_names(self) -> tuple[str, ...]:
        """「一级指标」「二级指标」[「三级指标」]: the name of each level, the indicators' last."""
        return LEVEL_NAMES[: self.levels]

    @property
    def indicator_level(self) -> str:
        """What the scored indicators are called: 三级指标, or 二级指标 in a two-level system."""
        return self.level_names[-1]

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
        return self.derived.memo(_table, kind)[key]

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
        rules = [i.rule for i in self.indicators] + [c.rule for i in self.indicators for c in i.criteria]
        return tuple(dict.fromkeys(n for rule in rules for n in rule_references(rule)[1]))

    @property
    def data_span(self) -> int:
        """How many years of a series field are asked: the assessed years and the one before
        them (a growth rate needs the previous year's figure)."""
        return self.assessed_years + 1

    def key_kind(self, key: str) -> str | None:
        """What ``key`` stands for in this system (:func:`key_kind`), memoised: every
        returned workbook asks about the same few hundred keys."""
        return self.derived.memo(key_kind, key)

    def responsible(self, unit: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if unit in i.units)


def _table(spec: Spec, kind: str) -> dict[str, Any]:
    """key (a unit's name) -> item, for one of the Spec's lookups."""
    items = {
        "indicator": spec.indicators,
        "field": spec.fields,
        "list": spec.lists,
        "unit": spec.units,
        "task": spec.tasks,
    }
    attr = "name" if kind == "unit" else "key"
    return {getattr(i, attr): i for i in items[kind]}


def key_kind(spec: Spec, key: str) -> str | None:
    """What ``key`` stands for in this indicator system — field, criterion, note, list or task —
    or None when it is not part of it (``nonsense.note``, ``I99.1``, a series field without its
    year). Callers ask ``spec.key_kind(key)``, which memoises this."""
    if any(ls.key == key for ls in spec.lists):
        return "list"
    k = parse_key(key)
    if k is None or str(key) != str(key).strip():
        return None
    if k.kind == "task":
        return "task" if any(t.key == k.base for t in spec.tasks) else None
    if k.kind == "note":
        return "note" if any(i.key == k.base for i in spec.indicators) else None
    if k.kind == "criterion":
        try:
            return "criterion" if spec.criterion(k.base).key == k.base else None
        except (KeyError, ValueError, IndexError):
            return None
    if k.kind == "field" and spec.has_field(k.base) and spec.field(k.base).series == (k.year is not None):
        return "field"
    return None
