"""Which units a file name names: the one matching rule for every place a name is read.

``_meta`` decides whose file a readable workbook is (DESIGN.md §4); the name only says something
when it disagrees (another unit's template) or when there is nothing else to go by (a file that
cannot be opened, a .csv saved from the template).
"""

from __future__ import annotations

from pathlib import Path

from .load import normalise_name
from .model import Spec

MIN_NAME = 3  # shorter aliases (「统计」) occur inside too many other words to name a unit


def units_named(spec: Spec, file: str) -> list[str]:
    """The units whose name or an alias of at least :data:`MIN_NAME` characters occurs in the
    stem of ``file`` (a path or a display name such as 「压缩包.zip/成员.xlsx」), in registry order."""
    stem = normalise_name(Path(file).stem)
    return [
        u.name
        for u in spec.units
        if any(len(n) >= MIN_NAME and normalise_name(n) in stem for n in (u.name, *u.aliases))
    ]


def names_own_unit(spec: Spec, file: str, unit: str) -> bool:
    """Whether the stem of ``file`` holds ``unit``'s name or any of its aliases (of any length)."""
    stem = normalise_name(Path(file).stem)
    return any(normalise_name(n) in stem for u in spec.units if u.name == unit for n in (u.name, *u.aliases))


def unit_of_name(spec: Spec, file: str) -> str | None:
    """The one unit ``file``'s name names, or None when it names none or several."""
    named = units_named(spec, file)
    return named[0] if len(named) == 1 else None


def other_units_named(spec: Spec, file: str, unit: str) -> list[str]:
    """The units ``file``'s name names when it does not name ``unit`` (its ``_meta`` unit): a unit
    that filled another unit's template. Empty when the name names its own unit or none."""
    if names_own_unit(spec, file, unit):
        return []
    return [u for u in units_named(spec, file) if u != unit]
