"""Figures checked against each other: a part above its whole, a series that jumps.

Scoring is exact, so a typing slip of a unit (2000 万元 typed as 20000000, in 元) used to become an
exact and wrong score: I08 占比20000%, 2 points. Here the merged figures (of a run, or of a
``--values`` file: the same check on both paths) are checked against the relations of the
indicator system (:func:`yongji_xls.system.parts.part_pairs`) before they are scored.

**A part above its whole** is an error on the cell more likely wrong, decided by a stated rule:

1. A *candidate* is a cell of the pair and a unit slip its field's unit admits (``fields.yaml``
   ``unit_slips``: typed in 元 where the unit is 万元, the figure is 10⁴ times too large) such that
   the figure corrected for that slip restores the relation and stays within the field's
   plausibility bound (``max``).
2. When both cells have candidates, a series figure that breaks its own series by about that
   factor (its ratio to a neighbouring year within √10 of the slip's factor) is the one.
3. One cell left: it is blamed, with the slip named (「疑似按“元”填报，本表单位为“万元”」), and its
   figure is withheld from scoring. No cell or both cells left: the part is blamed, the message
   asks to check both units, and both figures are withheld.

Either way neither figure is scored where they combine, so the indicator is ``missing`` (补报数据)
for the owner to correct, never credited.

**A part far below its whole** is the mirror: a part that is a smaller share of its whole than the
factor of a slip to a larger unit its unit admits (``unit_slips`` factors below 1: 0.86 typed in
万人 where the unit is 人, under one in ten thousand of the employed), whose corrected figure still
fits the whole and the bound, is a warning naming the slip and the corrected figure
(「「0.86」万人？本表单位为人，如按万人填写应为8600」), and is withheld like a part above its whole.

**A jump**: a series figure more than ``jump`` times
(or less than 1/``jump`` of) its previous year's is a warning on the year that breaks the series
(the one whose neighbours agree with each other), naming both years' cells and a slip that fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..issues import Issue, issue
from ..system.keys import base_of, split_year, with_year
from ..system.model import DataField, Spec
from ..system.parts import part_pairs
from .figures import plain
from .parse import exact
from .types import ListRow, Source

TEN = Fraction(10)


@dataclass(frozen=True)
class Checked:
    """The issues found and the keys whose figures must not be scored."""

    issues: list[Issue]
    withheld: frozenset[str]
    rows: frozenset[tuple[str, int]] = frozenset()  # (list key, row index): a list row that must not count

    def without(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` without the withheld figures and list rows."""
        out = {k: v for k, v in values.items() if k not in self.withheld}
        for key in {k for k, _ in self.rows}:
            out[key] = [r for n, r in enumerate(out.get(key) or []) if (key, n) not in self.rows]
        return out


def check_relations(
    spec: Spec, values: Mapping[str, Any], sources: Mapping[str, Source] | None = None, file: str = ""
) -> Checked:
    """Check ``values`` (merged, key -> figure) against the system's part-of relations and series
    jump factors; ``sources`` locates each figure (a run), else issues name ``file`` and the key."""
    where = _Where(spec, sources or {}, file)
    issues: list[Issue] = []
    withheld: set[str] = set()
    jumps = [found for f in spec.fields if f.series and f.jump is not None for found in _jumps(spec, values, f)]
    jumped = {key for key, _, _ in jumps}
    for part, whole in part_pairs(spec):
        for pk, wk in _keys(spec, values, part, whole):
            a, b = exact(values.get(pk)), exact(values.get(wk))
            if a is None or b is None or b == 0:
                continue
            if a <= b:
                tiny = None if pk in jumped else _too_small(spec, pk, a, b)  # a jump already names both years
                if tiny is not None:
                    withheld.add(pk)
                    issues.append(where.tiny(pk, wk, a, b, *tiny))
                continue
            blamed, slip = _blame(spec, values, pk, wk, a, b)
            withheld.update((pk, wk) if blamed is None else (blamed,))
            issues.append(where.exceeds(pk, wk, a, b, blamed, slip))
    issues.extend(where.jump(key, other, slip, values) for key, other, slip in jumps if key not in withheld)
    rows: set[tuple[str, int]] = set()
    for ls in spec.lists:
        for col in (c for c in ls.columns if c.part_of):
            for n, issue_ in _list_exceeds(spec, values, ls.key, col, where):
                rows.add((ls.key, n))
                issues.append(issue_)
    return Checked(issues, frozenset(withheld), frozenset(rows))


def _list_exceeds(spec: Spec, values: Mapping[str, Any], key: str, col: Any, where: _Where) -> list[tuple[int, Issue]]:
    """Rows of list ``key`` whose ``col`` figure exceeds its whole (of the row's year for a series)."""
    ls = spec.list_spec(key)
    whole = spec.field(col.part_of)
    year_col = next((c.name for c in ls.columns if c.type == "year"), "")
    out = []
    for n, row in enumerate(values.get(key) or []):
        cells = row.cells if isinstance(row, ListRow) else row
        if not isinstance(cells, Mapping):
            continue
        year = exact(cells.get(year_col)) if whole.series else None
        if whole.series and (year is None or year.denominator != 1):
            continue
        wk = with_year(whole.key, int(year)) if year is not None else whole.key
        a, b = exact(cells.get(col.name)), exact(values.get(wk))
        if a is None or b is None or b == 0 or a <= b:
            continue
        slip = next((s for s, f in spec.unit_slips.get(whole.unit, {}).items() if a / f <= b and f > 1), "")
        src = row.source if isinstance(row, ListRow) else None
        at = {"file": where.file, "key": key}
        if src is not None:
            cell = (row.at or {}).get(col.name) or src.cell
            at = {"file": src.file, "sheet": src.sheet, "cell": cell, "key": key, "unit": src.unit or row.unit}
        issue_ = issue(
            "value_list_exceeds",
            **at,
            value=plain(a),
            whole=where.label(wk),
            whole_value=plain(b),
            whole_cell=where.cell(wk, "") if src is None else _cell_beside(where, wk, src),
            measure=whole.unit,
            slip=f"疑似按“{slip}”填报，本列单位为“{whole.unit}”。" if slip else "",
        )
        out.append((n, issue_))
    return out


def _cell_beside(where: _Where, key: str, src: Source) -> str:
    other = where.sources.get(key)
    if other is None:
        return ""
    return f"（{other.sheet}!{other.cell}）" if other.file == src.file else f"（{other}）"


def _keys(spec: Spec, values: Mapping[str, Any], part: str, whole: str) -> list[tuple[str, str]]:
    """The value keys of a pair present in ``values``: the field keys, or each year's."""
    if not spec.field(part).series:
        return [(part, whole)]
    years = sorted({y for k in values for b, y in [split_year(k)] if b == part and y is not None})
    return [(with_year(part, y), with_year(whole, y)) for y in years]


def _near(ratio: Fraction, factor: Fraction) -> bool:
    """``ratio`` within a factor √10 of ``factor`` (half a power of ten either side)."""
    q = ratio / factor
    return Fraction(1, 10) <= q * q <= TEN


def _blame(spec: Spec, values: Mapping[str, Any], pk: str, wk: str, a: Fraction, b: Fraction) -> tuple[str | None, str]:
    """(the key more likely wrong, the unit it was likely typed in), or (None, "") undecided."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for key, value, is_part in ((pk, a, True), (wk, b, False)):
        fld = spec.field(base_of(key))
        for slip, factor in spec.unit_slips.get(fld.unit, {}).items():
            corrected = value / factor
            restores = corrected <= b if is_part else a <= corrected
            if restores and (fld.max is None or corrected <= fld.max):
                found.setdefault(key, []).append((slip, _breaks_series(spec, values, key, factor)))
    if len(found) == 2:
        evident = {k: c for k, c in found.items() if any(e for _, e in c)}
        found = evident if len(evident) == 1 else {}
    if len(found) != 1:
        return None, ""
    key, candidates = next(iter(found.items()))
    slip = next((s for s, e in candidates if e), candidates[0][0])
    return key, slip


def _too_small(spec: Spec, pk: str, a: Fraction, b: Fraction) -> tuple[str, Fraction, Fraction] | None:
    """(the larger unit the part was likely typed in, its factor, the figure in the field's unit)
    when the part is a smaller share of its whole than that slip's factor (strictly: 0.86 of
    215000, under one in ten thousand, for 万人 where the unit is 人) and the corrected figure
    still lies within its whole and its plausibility bound; else None. 0 is a figure, not a slip."""
    fld = spec.field(base_of(pk))
    if a <= 0:
        return None
    for slip, factor in spec.unit_slips.get(fld.unit, {}).items():
        corrected = a / factor
        if factor < 1 and a / b < factor and corrected <= b and (fld.max is None or corrected <= fld.max):
            return slip, factor, corrected
    return None


def _breaks_series(spec: Spec, values: Mapping[str, Any], key: str, factor: Fraction) -> bool:
    base, year = split_year(key)
    value = exact(values.get(key))
    if year is None or value is None:
        return False
    for other in (year - 1, year + 1):
        n = exact(values.get(with_year(base, other)))
        if n and value and _near(value / n, factor):
            return True
    return False


def _jumps(spec: Spec, values: Mapping[str, Any], f: DataField) -> list[tuple[str, str, str]]:
    """(key that breaks the series, the neighbouring key it is compared with, a fitting slip)."""
    assert f.jump is not None
    limit = Fraction(f.jump)
    series = {
        y: v for k in values for b, y in [split_year(k)] if b == f.key and y is not None if (v := exact(values[k]))
    }
    years = sorted(series)

    def jumps(y0: int, y1: int) -> bool:
        if y0 not in series or y1 not in series:
            return False
        r = series[y1] / series[y0]
        return r > limit or r < 1 / limit

    out = []
    for y in years:
        if not jumps(y - 1, y):
            continue
        prev_odd = jumps(y - 2, y - 1) or (y - 2 not in series and y + 1 in series and not jumps(y, y + 1))
        odd, other = (y - 1, y) if prev_odd else (y, y - 1)
        if any(k == with_year(f.key, odd) for k, _, _ in out):
            continue
        ratio = series[odd] / series[other]
        slip = next((s for s, factor in spec.unit_slips.get(f.unit, {}).items() if _near(ratio, factor)), "")
        out.append((with_year(f.key, odd), with_year(f.key, other), slip))
    return out


def _times(ratio: Fraction) -> str:
    """「约12000倍」 or 「约万分之一」-style: how far apart two years are, for the message."""
    if ratio >= 1:
        return f"约{plain(Fraction(round(ratio)))}倍"
    return f"约{plain(Fraction(round(1 / ratio)))}分之一"


class _Where:
    """Builds the located issues: at a figure's cell in a run, by key for a values file."""

    def __init__(self, spec: Spec, sources: Mapping[str, Source], file: str):
        self.spec, self.sources, self.file = spec, sources, file

    def label(self, key: str) -> str:
        base, year = split_year(key)
        label = self.spec.field(base).label
        return f"{label}（{year}年）" if year else label

    def cell(self, key: str, beside: str) -> str:
        """「（工作表!单元格）」 where the figure was typed (the file too when it is not the file of
        ``beside``, the figure the issue is on); blank for a values file."""
        src, here = self.sources.get(key), self.sources.get(beside)
        if src is None:
            return ""
        return f"（{src.sheet}!{src.cell}）" if here is not None and here.file == src.file else f"（{src}）"

    def at(self, key: str) -> dict[str, str]:
        src = self.sources.get(key)
        if src is None:
            return {"file": self.file, "key": key}
        unit = src.unit or self.spec.field(base_of(key)).owner
        return {"file": src.file, "sheet": src.sheet, "cell": src.cell, "key": key, "unit": unit}

    def slip_text(self, key: str, slip: str) -> str:
        unit = self.spec.field(base_of(key)).unit
        return f"疑似按“{slip}”填报，本表单位为“{unit}”。" if slip else "请核对两项的计量单位。"

    def exceeds(self, pk: str, wk: str, a: Fraction, b: Fraction, blamed: str | None, slip: str) -> Issue:
        unit = self.spec.field(base_of(pk)).unit
        if blamed == wk:
            return issue(
                "value_whole_below",
                **self.at(wk),
                value=plain(b),
                label=self.label(wk),
                part=self.label(pk),
                part_value=plain(a),
                part_cell=self.cell(pk, wk),
                measure=unit,
                slip=self.slip_text(wk, slip),
            )
        return issue(
            "value_part_exceeds",
            **self.at(pk),
            value=plain(a),
            label=self.label(pk),
            whole=self.label(wk),
            whole_value=plain(b),
            whole_cell=self.cell(wk, pk),
            measure=unit,
            slip=self.slip_text(pk, slip) if blamed else self.slip_text(pk, ""),
        )

    def tiny(
        self, pk: str, wk: str, a: Fraction, b: Fraction, slip: str, factor: Fraction, corrected: Fraction
    ) -> Issue:
        return issue(
            "value_part_tiny",
            **self.at(pk),
            value=plain(a),
            label=self.label(pk),
            whole=self.label(wk),
            whole_value=plain(b),
            whole_cell=self.cell(wk, pk),
            measure=self.spec.field(base_of(pk)).unit,
            slip=slip,
            corrected=plain(corrected),
            fraction=f"{plain(1 / factor)}分之一",
        )

    def jump(self, key: str, other: str, slip: str, values: Mapping[str, Any]) -> Issue:
        value, base = exact(values[key]) or Fraction(0), exact(values[other]) or Fraction(1)
        return issue(
            "value_jump",
            **self.at(key),
            value=plain(value),
            label=self.label(key),
            other=self.label(other),
            other_value=plain(base),
            other_cell=self.cell(other, key),
            ratio=_times(value / base),
            slip=f"疑似按“{slip}”填报，本表单位为“{self.spec.field(base_of(key)).unit}”。" if slip else "",
        )
