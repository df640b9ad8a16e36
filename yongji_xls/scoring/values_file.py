"""``score --values``: read a values JSON file, validate it and score it (its scores.json is
built where every scores.json is, :mod:`yongji_xls.report.scores_json`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..issues import Issue, YongjiError, os_reason
from ..system.model import Reference, Spec
from ..values.json_input import validate_values
from ..values.relations import check_relations
from .engine import score
from .scorecard import Scorecard


class InputError(YongjiError, ValueError):
    """A values file that cannot be scored: fatal (``values_invalid``), the sentence says why."""

    def __init__(self, detail: str) -> None:
        super().__init__("values_invalid", detail=detail)


def read_values_file(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text("utf-8-sig")
    except OSError as e:
        raise InputError(f"无法读取数据文件「{p}」：{os_reason(e)}") from e
    except UnicodeDecodeError as e:
        raise InputError(f"数据文件「{p.name}」不是UTF-8编码的文本，请另存为UTF-8后重试") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"第{e.lineno}行第{e.colno}列附近有误，请检查引号、逗号和括号"
        raise InputError(f"数据文件「{p.name}」不是有效的JSON（{where}）") from e
    except RecursionError as e:  # arrays nested thousands deep
        raise InputError(f"数据文件「{p.name}」不是有效的JSON（括号嵌套过深）") from e
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise InputError(f'数据文件「{p.name}」应为 {{"year": 2024, "region": "中部", "values": {{键: 值}}}} 形式')
    return data


def score_values_file(
    spec: Spec,
    path: str | Path,
    references: Iterable[Reference] = (),
    year: int | None = None,
    region: str | None = None,
) -> tuple[Scorecard, list[Issue]]:
    data = read_values_file(path)
    y = year or data.get("year") or spec.default_year
    try:
        y = int(y)
    except (TypeError, ValueError) as e:
        raise InputError(f"数据文件中的年度「{data.get('year')}」不是有效年份") from e
    values, issues = validate_values(spec, data["values"], file=Path(path).name, year=y)
    checked = check_relations(spec, values, file=Path(path).name)  # the checks run makes on the same figures
    values = checked.without(values)
    issues.extend(checked.issues)
    try:
        return score(spec, values, y, region or data.get("region"), references), issues
    except YongjiError as e:  # an unknown region, named by score()
        raise InputError(f"数据文件中的{e.message}") from e
