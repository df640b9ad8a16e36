"""pandas views of a run, for analysts (``run --csv`` and the library).

pandas is imported only here, and only when asked for: it costs ~0.4 s to import, more than a
whole ``run`` of a county's workbooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..files.csv_cells import neutralise_cell
from ..records import RunResult
from ..scoring.display import show_number
from ..scoring.scorecard import STATUS_TEXT

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def raw_data_frame(result: RunResult) -> pd.DataFrame:
    """Every merged value with its provenance, one row each (the 原始数据 table)."""
    from fractions import Fraction

    import pandas as pd

    rows = [
        {
            "键": m.key,
            "数据项": m.label,
            "数值": show_number(Fraction(m.value)),
            "计量单位": m.measure,
            "填报单位": m.unit,
            "文件": m.source.file,
            "工作表": m.source.sheet,
            "单元格": m.source.cell,
        }
        for m in result.merged
    ]
    return pd.DataFrame(rows, columns=["键", "数据项", "数值", "计量单位", "填报单位", "文件", "工作表", "单元格"])


def scores_frame(result: RunResult) -> pd.DataFrame:
    """One row per indicator: levels, score, maximum, status, reason, lead unit."""
    import pandas as pd

    card, spec = result.card, result.spec
    rows = [
        {
            "编号": i.key,
            "一级指标": i.first,
            **({"二级指标": i.second} if spec.levels == 3 else {}),
            spec.indicator_level: i.name,
            "满分": float(i.max),
            "得分": float(i.score),
            "计算得分": float(i.computed_score if i.computed_score is not None else i.score),
            "状态": STATUS_TEXT[i.status],
            "牵头单位": i.lead,
            "失分原因": i.reason,
        }
        for i in card.indicators
    ]
    return pd.DataFrame(rows).set_index("编号")


def responsibility_matrix(result: RunResult) -> pd.DataFrame:
    """Unit × indicator: 1 where the unit is responsible, with each unit's submission state."""
    import pandas as pd

    pairs = [(u, i.key) for i in result.spec.indicators for u in i.units]
    frame = pd.DataFrame(pairs, columns=["单位", "指标"]).assign(负责=1)
    matrix = frame.pivot_table(index="单位", columns="指标", values="负责", aggfunc="sum", fill_value=0)
    order = [u.unit for u in result.units if u.unit in matrix.index]
    matrix = matrix.loc[order]
    matrix.insert(0, "报送状态", [result.unit_status(u).state for u in order])
    return matrix


def write_csv(result: RunResult, folder: Path) -> dict[str, Path]:
    """CSV files (UTF-8 with BOM, so Excel opens the Chinese correctly), written atomically."""
    from ..files.atomic import write_text

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, frame, index in (
        ("原始数据.csv", raw_data_frame(result), False),
        ("指标得分.csv", scores_frame(result), True),
        ("单位指标责任矩阵.csv", responsibility_matrix(result), True),
    ):
        out[name] = write_text(folder / name, "\ufeff" + neutralised(frame).to_csv(index=index))
    return out


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell, index label and column name neutralised (CSV injection)."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(neutralise_cell)
    out.index = out.index.map(neutralise_cell)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out
