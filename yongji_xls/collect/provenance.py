"""Where a value came from: file, sheet, cell and unit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    cell: str
    unit: str
    origin: str = ""  # e.g. 「预填（来源：…）」: the unit kept a figure prefilled in its template

    def __str__(self) -> str:
        return f"{self.file}｜{self.sheet}!{self.cell}" + (f"（{self.origin}）" if self.origin else "")

    def as_dict(self) -> dict[str, str]:
        d = {"file": self.file, "sheet": self.sheet, "cell": self.cell, "unit": self.unit}
        if self.origin:
            d["origin"] = self.origin
        return d


def place(source: Source | None) -> dict[str, str]:
    """``file``, ``sheet`` and ``cell`` of ``source`` (blank without one), to locate an Issue there."""
    return {"file": source.file, "sheet": source.sheet, "cell": source.cell} if source else {}
