"""达标路径: what it takes to pass, computed exactly from a Scorecard (no Excel, no I/O).

Every lost point is classed by what recovers it: 补充佐证材料 (``no_evidence``), 补报数据
(``missing``), 补充全国参考值/核定 (``review``), or nothing the office can do on paper
(``not_met``: the figure itself is short; ``overridden``: the office already fixed the score).
The first three are *recoverable items* (one per criterion). The plan is the cheapest set of
recoverable items whose recovery meets both parts of the pass rule — total ≥ ``total_min`` and
every first-level rate ≥ ``rate_min`` — or, when even all of them do not, the shortfall per rule.

"Cheapest" (docs/design-decisions.md): fewest items; then the most points recovered (the same
work with the widest margin); then the surer kinds (材料 before 数据 before 参考值, whose outcome
depends on the figure supplied); then indicator order. Indicator scores are not additive in
their criteria (``any`` indicators, the indicator cap), so gains are computed per indicator from
the criteria actually recovered, and the optimum is found exactly: every subset of an
indicator's items (an indicator has a handful), a max-plus knapsack over item counts within a
first level, and a second one across first levels with every level's need as a hard floor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

from ..issues import Status
from ..system.model import Spec
from .reasons import reason
from .scorecard import CriterionScore, IndicatorScore, Scorecard, number

RECOVERABLE = (Status.NO_EVIDENCE, Status.MISSING, Status.REVIEW)
KIND_TEXT = {
    "no_evidence": "补充佐证材料",
    "missing": "补报数据",
    "review": "补充全国参考值并核定",
    "not_met": "实际未达到",
    "overridden": "已人工核定",
}
_RANK = {k: n for n, k in enumerate(RECOVERABLE)}
MAX_SUBSET_ITEMS = 12  # an indicator with more recoverable items uses the greedy order (exact for sums)
# One DP value: (points recovered, -(sum of kind ranks)); tuples add componentwise and compare
# lexicographically, which is compatible with addition, so max-plus sums stay exact.
_Value = tuple[Fraction, int]
_ZERO: _Value = (Fraction(0), 0)


@dataclass(frozen=True)
class LostItem:
    """One criterion's lost points and what recovers them."""

    key: str
    indicator: str
    no: int
    name: str
    first: str
    text: str
    lost: Fraction
    kind: str
    units: tuple[str, ...]
    reason: str
    deadline: str = ""

    @property
    def recoverable(self) -> bool:
        return self.kind in RECOVERABLE

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "indicator": self.indicator,
            "no": self.no,
            "name": self.name,
            "first": self.first,
            "text": self.text,
            "lost": number(self.lost),
            "kind": self.kind,
            "kind_text": KIND_TEXT[self.kind],
            "units": list(self.units),
            "reason": self.reason,
            "deadline": self.deadline,
        }


@dataclass(frozen=True)
class LevelNeed:
    name: str
    score: Fraction
    max: Fraction
    min_score: Fraction  # rate_min × max: the score the level must reach
    gain: Fraction = Fraction(0)  # recovered by the chosen items (or by all items when unreachable)

    @property
    def needed(self) -> Fraction:
        return max(Fraction(0), self.min_score - self.score)

    @property
    def shortfall(self) -> Fraction:
        return max(Fraction(0), self.needed - self.gain)


@dataclass(frozen=True)
class PathToPass:
    passed: bool
    reachable: bool
    total: Fraction
    total_min: Fraction
    total_gain: Fraction
    levels: tuple[LevelNeed, ...]
    chosen: tuple[LostItem, ...]
    items: tuple[LostItem, ...]  # every lost item, in indicator order
    by_kind: dict[str, Fraction] = field(default_factory=dict)  # lost points attributed to each kind

    @property
    def total_needed(self) -> Fraction:
        return max(Fraction(0), self.total_min - self.total)

    @property
    def total_shortfall(self) -> Fraction:
        return max(Fraction(0), self.total_needed - self.total_gain)

    @property
    def total_lost(self) -> Fraction:
        return sum(self.by_kind.values(), Fraction(0))

    def units(self) -> list[str]:
        return list(dict.fromkeys(u for i in self.chosen for u in i.units))

    def as_dict(self) -> dict[str, Any]:
        """The ``path_to_pass`` object of scores.json (shape documented in docs/design-decisions.md)."""
        return {
            "passed": self.passed,
            "reachable": self.reachable,
            "by_paperwork_alone": self.reachable and not self.passed,
            "needed": {
                "total": number(self.total_needed),
                "first_level": [
                    {
                        "name": lv.name,
                        "needed": number(lv.needed),
                        "score": number(lv.score),
                        "min_score": number(lv.min_score),
                    }
                    for lv in self.levels
                ],
            },
            "gain": {"total": number(self.total_gain), "first_level": {lv.name: number(lv.gain) for lv in self.levels}},
            "shortfall": None
            if self.reachable
            else {
                "total": number(self.total_shortfall),
                "first_level": {lv.name: number(lv.shortfall) for lv in self.levels if lv.shortfall},
            },
            "chosen": [i.as_dict() for i in self.chosen],
            "units": self.units(),
            "lost_by_kind": {k: number(v) for k, v in self.by_kind.items()},
            "items": [i.as_dict() for i in self.items],
        }


def lost_items(
    card: Scorecard,
    office: str = "",
    deadlines: Mapping[str, str] | None = None,
    default_deadline: str = "",
    aggregate: Mapping[str, str] | None = None,
) -> list[LostItem]:
    """Every criterion that cost points, classed; an overridden indicator is one fixed item.
    ``office`` acts on 参考值 items (the office supplies national figures and confirms scores).

    An item's ``lost`` is what recovering it adds to its indicator, criteria taken surest kind
    first (材料, 数据, 参考值, then what is really short), so the items of an indicator sum to
    the points it lost: a not-met alternative of an any-one indicator that has its points (or
    whose points another criterion already recovers) is no item; ``aggregate`` (indicator key ->
    sum|any) defaults to the scorecard's own."""
    deadlines = deadlines or {}
    out = []
    for ind in card.indicators:
        if ind.computed_score is not None:
            if ind.lost > 0:
                out.append(
                    LostItem(
                        ind.key,
                        ind.key,
                        ind.no,
                        ind.name,
                        ind.first,
                        ind.name,
                        ind.lost,
                        Status.OVERRIDDEN,
                        (),
                        ind.review_note or reason(Status.OVERRIDDEN),
                    )
                )
            continue
        how = (aggregate or {}).get(ind.key, ind.aggregate)
        losses = _losses(ind, how)
        for c in ind.criteria:
            if losses.get(c.key, 0) <= 0:
                continue
            kind = _kind(c)
            units = (office,) if kind == Status.REVIEW and office else tuple(c.units) or tuple(ind.units)
            due = (
                min((deadlines[u] for u in units if deadlines.get(u)), default=default_deadline)
                if kind in RECOVERABLE
                else ""
            )
            out.append(
                LostItem(c.key, ind.key, ind.no, ind.name, ind.first, c.text, losses[c.key], kind, units, c.reason, due)
            )
    return out


def _kind(c: CriterionScore) -> str:
    return c.status if c.status in RECOVERABLE else Status.NOT_MET


def _losses(ind: IndicatorScore, aggregate: str) -> dict[str, Fraction]:
    """Criterion key -> the points recovering it adds, criteria taken surest kind first, then the
    larger shortfall, then in order: the indicator's lost points, split exactly once."""
    short = [c for c in ind.criteria if c.score < c.max]
    rank = {**_RANK, Status.NOT_MET: len(_RANK)}
    order = sorted(short, key=lambda c: (rank[_kind(c)], -(c.max - c.score), ind.criteria.index(c)))
    out: dict[str, Fraction] = {}
    done: set[str] = set()
    before = Fraction(0)
    for c in order:
        done.add(c.key)
        now = gain_when_recovered(ind, aggregate, done)
        out[c.key] = now - before
        before = now
    return out


def gain_when_recovered(ind: IndicatorScore, aggregate: str, recovered: set[str]) -> Fraction:
    """Indicator points gained when the criteria in ``recovered`` reach full marks."""
    parts = [c.max if c.key in recovered else c.score for c in ind.criteria]
    whole = max(parts, default=Fraction(0)) if aggregate == "any" else sum(parts, Fraction(0))
    return max(Fraction(0), min(whole, ind.max) - ind.score)


def _indicator_options(
    ind: IndicatorScore, aggregate: str, items: list[LostItem]
) -> list[tuple[_Value, tuple[LostItem, ...]]]:
    """For k = 0..len(items): the best value reachable with exactly k of this indicator's items."""
    options: list[tuple[_Value, tuple[LostItem, ...]]] = [(_ZERO, ())]
    if len(items) > MAX_SUBSET_ITEMS:
        order = sorted(items, key=lambda i: (-i.lost, _RANK[i.kind]))
        for k in range(1, len(order) + 1):
            pick = tuple(order[:k])
            options.append(
                ((gain_when_recovered(ind, aggregate, {i.key for i in pick}), -sum(_RANK[i.kind] for i in pick)), pick)
            )
        return options
    for k in range(1, len(items) + 1):
        best: tuple[_Value, tuple[LostItem, ...]] | None = None
        for pick in combinations(items, k):
            value = (gain_when_recovered(ind, aggregate, {i.key for i in pick}), -sum(_RANK[i.kind] for i in pick))
            if best is None or value > best[0]:
                best = (value, pick)
        assert best is not None
        options.append(best)
    return options


def _add(a: _Value, b: _Value) -> _Value:
    return (a[0] + b[0], a[1] + b[1])


def _combine(tables: Iterable[list[tuple[_Value, tuple[LostItem, ...]]]]) -> list[tuple[_Value, tuple[LostItem, ...]]]:
    """Max-plus convolution over item counts: best value using exactly k items in total."""
    acc: list[tuple[_Value, tuple[LostItem, ...]]] = [(_ZERO, ())]
    for table in tables:
        nxt: dict[int, tuple[_Value, tuple[LostItem, ...]]] = {}
        for i, (va, pa) in enumerate(acc):
            for j, (vb, pb) in enumerate(table):
                value = _add(va, vb)
                if i + j not in nxt or value > nxt[i + j][0]:
                    nxt[i + j] = (value, pa + pb)
        acc = [nxt[k] for k in range(len(nxt))]
    return acc


def path_to_pass(
    spec: Spec, card: Scorecard, deadlines: Mapping[str, str] | None = None, default_deadline: str = ""
) -> PathToPass:
    """The cheapest set of recoverable items that meets both pass rules of ``spec``, or the shortfall."""
    return plan(
        card,
        {i.key: i.aggregate for i in spec.indicators},
        Fraction(spec.pass_rule.total_min),
        spec.pass_rule.rate_min,
        spec.office.get("seat", "") or spec.office.get("name", ""),
        deadlines,
        default_deadline,
    )


def plan(
    card: Scorecard,
    aggregate: Mapping[str, str],
    total_min: Fraction,
    rate_min: Fraction,
    office: str = "",
    deadlines: Mapping[str, str] | None = None,
    default_deadline: str = "",
) -> PathToPass:
    """:func:`path_to_pass` on explicit rule parameters (``aggregate``: indicator key -> sum|any)."""
    items = lost_items(card, office, deadlines, default_deadline, aggregate)
    by_ind: dict[str, list[LostItem]] = {}
    for it in items:
        if it.recoverable:
            by_ind.setdefault(it.indicator, []).append(it)
    level_tables = []
    for lv in card.first_level:
        inds = [i for i in card.indicators if i.first == lv.name and i.key in by_ind]
        level_tables.append(_combine(_indicator_options(i, aggregate[i.key], by_ind[i.key]) for i in inds))
    needs = [lv.max * rate_min for lv in card.first_level]
    by_kind = _attribute(items)
    # Across levels: best[k] = best value with k items in total, every level's floor met so far.
    best: dict[int, tuple[_Value, tuple[LostItem, ...]]] = {0: (_ZERO, ())}
    for lv, table, need in zip(card.first_level, level_tables, needs):
        nxt: dict[int, tuple[_Value, tuple[LostItem, ...]]] = {}
        for i, (va, pa) in best.items():
            for j, (vb, pb) in enumerate(table):
                if lv.score + vb[0] < need:
                    continue
                value = _add(va, vb)
                if i + j not in nxt or value > nxt[i + j][0]:
                    nxt[i + j] = (value, pa + pb)
        best = nxt
    chosen: tuple[LostItem, ...] | None = None
    for k in sorted(best):
        if card.total + best[k][0][0] >= total_min:
            chosen = best[k][1]
            break
    reachable = chosen is not None
    picked = list(chosen) if reachable else [it for it in items if it.recoverable]
    gains = _gains_by_level(card, aggregate, picked)
    order = {it.key: n for n, it in enumerate(items)}
    levels = tuple(
        LevelNeed(lv.name, lv.score, lv.max, need, gains.get(lv.name, Fraction(0)))
        for lv, need in zip(card.first_level, needs)
    )
    return PathToPass(
        passed=card.passed,
        reachable=reachable,
        total=card.total,
        total_min=total_min,
        total_gain=sum(gains.values(), Fraction(0)),
        levels=levels,
        chosen=tuple(sorted(chosen, key=lambda i: order[i.key])) if chosen else (),
        items=tuple(items),
        by_kind=by_kind,
    )


def _gains_by_level(card: Scorecard, aggregate: Mapping[str, str], picked: Sequence[LostItem]) -> dict[str, Fraction]:
    keys = {i.key for i in picked}
    out: dict[str, Fraction] = {}
    for ind in card.indicators:
        if ind.computed_score is None and any(i.indicator == ind.key for i in picked):
            out[ind.first] = out.get(ind.first, Fraction(0)) + gain_when_recovered(ind, aggregate[ind.key], keys)
    return out


def _attribute(items: Sequence[LostItem]) -> dict[str, Fraction]:
    """Every lost point in exactly one kind: the items' own shares (:func:`_losses` takes the
    surest recovery first), what none recovers ``not_met``, an office's fix ``overridden``."""
    out = {k: Fraction(0) for k in (*RECOVERABLE, Status.NOT_MET, Status.OVERRIDDEN)}
    for it in items:
        out[it.kind] += it.lost
    return {k: v for k, v in out.items() if v}


def submission_deadlines(submissions: Iterable[Any]) -> tuple[dict[str, str], str]:
    """Each unit's deadline from its template's ``_meta`` and the most common one (for items
    of units that sent nothing)."""
    per_unit: dict[str, str] = {}
    counts: dict[str, int] = {}
    for s in submissions:
        due = str((getattr(s, "meta", None) or {}).get("deadline", "") or "").strip()
        if due and getattr(s, "unit", None):
            per_unit[s.unit] = due
            counts[due] = counts.get(due, 0) + 1
    common = max(counts, key=lambda d: (counts[d], d), default="")
    return per_unit, common


def path_for_run(result: Any) -> PathToPass:
    """The path of a :class:`~yongji_xls.records.RunResult`, with deadlines from the templates."""
    per_unit, common = submission_deadlines(result.submissions)
    return path_to_pass(result.spec, result.card, per_unit, common)
