"""Human and machine views of the indicator system (``yongji-xls spec``)."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .model import Spec


def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, cols: int) -> str:
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > cols - 1 and used + w > cols:
            return out[:-1] + "…" if out else out
        out += ch
        used += w
    return out


def pad(text: str, cols: int) -> str:
    text = clip(text, cols)
    return text + " " * max(0, cols - width(text))


def spec_table(spec: Spec) -> str:
    three = spec.levels == 3
    cols = (
        ("编号", 5),
        ("一级", 9),
        *((("二级", 13),) if three else ()),
        ("性质", 10),
        (spec.indicator_level, 44),
        ("分值", 5),
        ("要点", 5),
        ("牵头单位", 18),
        ("责任单位数", 10),
    )
    lines = [f"{spec.title}  版本{spec.version}  总分{spec.max_points}分  合格标准：{spec.pass_rule.text}", ""]
    lines.append("".join(pad(n, w) for n, w in cols))
    lines.append("".join("-" * (w - 1) + " " for _, w in cols))
    for i in spec.indicators:
        row = (
            i.key,
            i.first,
            *((i.second,) if three else ()),
            i.nature,
            i.name,
            str(i.points),
            str(len(i.criteria) or "-"),
            i.lead,
            str(len(i.units)),
        )
        lines.append("".join(pad(v, w) for v, (_, w) in zip(row, cols)).rstrip())
    lines.append("")
    for f in spec.first_levels:
        parts = f.second if three else [spec.indicator(k).name for k in f.indicators]
        lines.append(f"{f.name}（{f.points}分）：" + "、".join(parts))
    lines.append(f"主要任务{len(spec.tasks)}项，责任单位{len(spec.units)}个。")
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def spec_as_dict(spec: Spec) -> dict[str, Any]:
    d = asdict(spec)
    d["max_points"] = spec.max_points
    d["levels"] = spec.levels
    return _plain(d)
