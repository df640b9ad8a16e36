"""Where a value came from: file, sheet, cell and unit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    cell: str
    unit: str

    def __str__(self) -> str:
        return f"{self.file}｜{self.sheet}!{self.cell}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell, "unit": self.unit}
