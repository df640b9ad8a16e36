"""Typed forms of merged values that are not plain numbers: criterion answers and list rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .provenance import Source


@dataclass(frozen=True)
class Answer:
    """One unit's answer to an evidence criterion (是否完成, 工作情况说明, 佐证材料)."""

    done: bool | None
    note: str = ""
    evidence: tuple[str, ...] = ()
    unit: str = ""
    source: Source | None = None

    @property
    def complete(self) -> bool:
        return bool(self.done) and bool(self.note.strip()) and bool(self.evidence)

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "note": self.note, "evidence": list(self.evidence), "unit": self.unit}


@dataclass(frozen=True)
class ListRow:
    """One row of a list sheet, keyed by the §2 headers."""

    cells: Mapping[str, Any]
    unit: str = ""
    source: Source | None = None

    def get(self, column: str) -> Any:
        return self.cells.get(column)

    def as_dict(self) -> dict[str, Any]:
        return {k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v)) for k, v in self.cells.items()}


def split_evidence(text: Any) -> tuple[str, ...]:
    """Material names, one per line (also tolerating ；and ; separators)."""
    if text is None:
        return ()
    if isinstance(text, (list, tuple)):
        items = [str(t) for t in text]
    else:
        items = str(text).replace("\r", "\n").replace("；", "\n").replace(";", "\n").split("\n")
    return tuple(s.strip() for s in items if s.strip())
