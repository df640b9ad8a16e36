"""The records every stage after scoring passes on: what one returned workbook contained
(:class:`Submission`, its :class:`Entry` values and :class:`TaskProgress` rows) and the outcome of a
run (:class:`RunResult` with its merged values, conflicts and unit states).

A submission is the boundary between the Excel edge and the merge: plain typed values with their
provenance (:class:`~yongji_xls.values.types.Source`) and the issues found while reading. The run
result holds everything the output writers need, already decided: writers (breakdown workbook,
Word report, scores.json, feedback files) only format what is here; they never re-read inputs or
re-score. This module sits above ``scoring`` (a result carries its scorecard) and below the
workbook reader, ``collect`` and every writer, so none of them climbs up to reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .issues import Issue, Report, Severity, UnitState
from .scoring.scorecard import Scorecard
from .scoring.year_on_year import YearOnYear
from .system.model import Spec
from .values.types import Answer, ListRow, Source


@dataclass(frozen=True)
class Entry:
    """A scalar value (a Decimal for data fields) and where it was typed."""

    key: str
    value: Any
    source: Source
    raw: str = ""


@dataclass(frozen=True)
class TaskProgress:
    key: str
    status: str  # 未启动 | 推进中 | 已完成 | ""
    progress: str
    plan: str
    unit: str
    source: Source | None = None


@dataclass
class Submission:
    """One input file. ``unit`` is None when the file could not be attributed to a unit."""

    file: str  # name as shown to users (relative to the input folder)
    path: Path
    unit: str | None = None
    year: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)  # 填报人, 联系电话, 分管领导, 填报日期
    values: dict[str, Entry] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)  # criterion keys and Inn.note
    lists: dict[str, list[ListRow]] = field(default_factory=dict)
    tasks: dict[str, TaskProgress] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True
    mtime: float = 0.0
    digest: str = ""
    rows_filled: int = 0
    used: bool = True  # False when superseded by a newer file of the same unit
    rejected: dict[str, str] = field(
        default_factory=dict
    )  # key (list cells: 'I32[0].级别') -> the text typed where a value was refused (「约3000」)
    columns: dict[str, dict[int, str]] = field(
        default_factory=dict
    )  # sheet -> {column index: template header}, to place problems
    round: int = 1  # _meta.round: 1 for a template, 2 and up for a feedback workbook sent back

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.ERROR]

    @property
    def unfilled(self) -> bool:
        """A unit's template that came back with nothing typed into it: 未填写, not a submission."""
        typed = self.values or self.answers or self.tasks or any(self.lists.values()) or self.rejected
        return bool(self.readable and self.unit and not typed and not self.errors)

    @property
    def filled_date(self) -> str:
        return self.contact.get("填报日期", "")

    def number(self, key: str) -> Decimal | None:
        e = self.values.get(key)
        return e.value if e is not None and isinstance(e.value, Decimal) else None


@dataclass(frozen=True)
class Conflict:
    """A cross-check unit's figure that differs from the owner's (the owner's is kept)."""

    key: str
    label: str
    owner: str
    owner_value: Any
    owner_source: Source
    other: str
    other_value: Any
    other_source: Source


@dataclass(frozen=True)
class MergedValue:
    """One merged scalar value with its provenance (a row of 原始数据)."""

    key: str
    label: str
    value: Any
    unit: str
    source: Source
    measure: str = ""  # 计量单位


@dataclass
class UnitStatus:
    """Submission state of one unit (a row of 报送情况)."""

    unit: str
    no: int
    state: str  # 已报送 | 未报送 | 未填写 (nothing typed) | 需重报 (readable but with errors) | 无效 (no readable file)
    files: list[str] = field(default_factory=list)
    used_file: str = ""
    contact: dict[str, str] = field(default_factory=dict)
    submitted_at: str = ""
    rows_asked: int = 0
    rows_filled: int = 0
    errors: int = 0
    warnings: int = 0
    points_at_stake: Fraction = Fraction(0)
    items_at_stake: list[str] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.state in (UnitState.SUBMITTED, UnitState.RESUBMIT)


@dataclass
class RunResult:
    spec: Spec
    year: int
    region: str
    card: Scorecard  # after review overrides (== computed when there are none)
    computed: Scorecard  # before overrides
    values: dict[str, Any]  # typed merged values, the input of scoring
    merged: list[MergedValue]
    answers: dict[str, list[Answer]]  # criterion key (and Inn.note) -> every unit's answer
    lists: dict[str, list[ListRow]]
    tasks: dict[str, list[TaskProgress]]
    conflicts: list[Conflict]
    units: list[UnitStatus]
    submissions: list[Submission]
    report: Report
    input_dir: Path | None = None
    generated_at: str = ""
    report_texts: dict[str, str] = field(default_factory=dict)  # report section -> the office's own text
    previous: YearOnYear | None = None  # this year against last year's results (``run --previous``)

    @property
    def missing_units(self) -> list[UnitStatus]:
        return [u for u in self.units if not u.submitted]

    def unit_status(self, unit: str) -> UnitStatus:
        return next(u for u in self.units if u.unit == unit)
