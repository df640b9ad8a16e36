"""What one returned workbook contained, as read by :mod:`yongji_xls.workbook.reader`.

This is the boundary between the Excel edge and the merge: plain typed values with their
provenance, and the issues found while reading. Nothing here knows about cells beyond the
:class:`~yongji_xls.collect.provenance.Source` labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..issues import Issue
from ..values.types import Answer, ListRow
from .provenance import Source


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
        return [i for i in self.issues if i.severity == "error"]

    @property
    def filled_date(self) -> str:
        return self.contact.get("填报日期", "")

    def number(self, key: str) -> Decimal | None:
        e = self.values.get(key)
        return e.value if e is not None and isinstance(e.value, Decimal) else None
