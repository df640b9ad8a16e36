"""The outcome of ``run``: everything the output writers need, already decided.

Writers (breakdown workbook, Word report, scores.json, feedback files) only format what is
here; they never re-read inputs or re-score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..issues import Report, UnitState
from ..scoring.scorecard import Scorecard
from ..spec.model import Spec
from ..values.types import Answer, ListRow
from .provenance import Source
from .submission import Submission, TaskProgress


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
    state: str  # 已报送 | 未报送 | 需重报 (readable but with errors) | 无效 (no readable file)
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

    @property
    def missing_units(self) -> list[UnitStatus]:
        return [u for u in self.units if not u.submitted]

    def unit_status(self, unit: str) -> UnitStatus:
        return next(u for u in self.units if u.unit == unit)
