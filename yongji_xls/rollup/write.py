"""The rollup's two outputs side by side: the county × indicator workbook (:mod:`.workbook`) and the
short Word summary (:mod:`.docx`), named after the prefecture and year."""

from __future__ import annotations

from pathlib import Path

from .collect import Rollup
from .docx import write_rollup_docx
from .workbook import write_rollup_workbook


def output_names(rollup: Rollup) -> dict[str, str]:
    base = f"{rollup.prefecture or '全市'}各县（市、区）自评汇总_{rollup.year}"
    return {"workbook": f"{base}.xlsx", "summary": f"{base}.docx"}


def write_rollup(rollup: Rollup, out_dir: str | Path) -> dict[str, Path]:
    """The county × indicator workbook and the short Word summary, written atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = output_names(rollup)
    return {
        "workbook": write_rollup_workbook(rollup, out / names["workbook"]),
        "summary": write_rollup_docx(rollup, out / names["summary"]),
    }
