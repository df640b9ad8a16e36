"""This year against last year: the total, each first level's rate, each indicator gained or lost.

Pure and exact: this year's :class:`~.scorecard.Scorecard` against what last year's scores.json
said (:class:`~yongji_xls.values.previous.PastResult`). The indicator systems of the two years may
differ (SAMR's 2026 revision): an indicator is compared only when both years have its key *and*
its name (a renumbered system must not pair two different indicators), a first level only when
both have its name; everything else is listed as not comparable, with why. The totals are always
compared: both are the year's self-assessment score out of its maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..issues import Trend
from ..values.previous import PastResult
from .scorecard import Scorecard, number


def direction(change: Fraction) -> Trend:
    return Trend.UP if change > 0 else Trend.DOWN if change < 0 else Trend.SAME


def _rate(score: Fraction, maximum: Fraction) -> Fraction:
    return score / maximum if maximum else Fraction(0)


@dataclass(frozen=True)
class LevelChange:
    name: str
    previous_score: Fraction
    previous_max: Fraction
    current_score: Fraction
    current_max: Fraction

    @property
    def previous_rate(self) -> Fraction:
        return _rate(self.previous_score, self.previous_max)

    @property
    def current_rate(self) -> Fraction:
        return _rate(self.current_score, self.current_max)

    @property
    def score_change(self) -> Fraction:
        return self.current_score - self.previous_score

    @property
    def rate_change(self) -> Fraction:
        """In percentage points (exact)."""
        return (self.current_rate - self.previous_rate) * 100

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "previous_score": number(self.previous_score),
            "previous_max": number(self.previous_max),
            "previous_rate": round(float(self.previous_rate * 100), 2),
            "current_score": number(self.current_score),
            "current_max": number(self.current_max),
            "current_rate": round(float(self.current_rate * 100), 2),
            "score_change": number(self.score_change),
            "rate_change": round(float(self.rate_change), 2),
            "direction": direction(self.score_change),
        }


@dataclass(frozen=True)
class IndicatorChange:
    key: str
    no: int
    name: str
    previous_score: Fraction
    previous_max: Fraction
    previous_status: str
    current_score: Fraction
    current_max: Fraction
    current_status: str

    @property
    def change(self) -> Fraction:
        return self.current_score - self.previous_score

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "no": self.no,
            "name": self.name,
            "previous_score": number(self.previous_score),
            "previous_max": number(self.previous_max),
            "previous_status": self.previous_status,
            "current_score": number(self.current_score),
            "current_max": number(self.current_max),
            "current_status": self.current_status,
            "change": number(self.change),
            "direction": direction(self.change),
        }


@dataclass(frozen=True)
class NotComparable:
    """An indicator of one year without its counterpart in the other (``why``: only_current,
    only_previous, renamed)."""

    key: str
    name: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "name": self.name, "why": self.why}


@dataclass(frozen=True)
class YearOnYear:
    previous_year: int
    current_year: int
    previous_version: str
    current_version: str
    source: str
    previous_total: Fraction
    previous_max: Fraction
    previous_passed: bool
    current_total: Fraction
    current_max: Fraction
    current_passed: bool
    levels: tuple[LevelChange, ...]
    indicators: tuple[IndicatorChange, ...]
    not_comparable: tuple[NotComparable, ...]
    levels_not_comparable: tuple[str, ...] = ()

    @property
    def total_change(self) -> Fraction:
        return self.current_total - self.previous_total

    @property
    def direction(self) -> Trend:
        return direction(self.total_change)

    @property
    def same_system(self) -> bool:
        return self.previous_version == self.current_version and not self.not_comparable

    @property
    def gained(self) -> tuple[IndicatorChange, ...]:
        return tuple(i for i in self.indicators if i.change > 0)

    @property
    def lost(self) -> tuple[IndicatorChange, ...]:
        return tuple(i for i in self.indicators if i.change < 0)

    @property
    def consecutive(self) -> bool:
        """Last year's results are of the year just before (else the texts name the year)."""
        return self.previous_year == self.current_year - 1

    def as_dict(self) -> dict[str, Any]:
        """scores.json's ``previous`` (documented in docs/design-decisions.md, issue 22)."""
        return {
            "year": self.previous_year,
            "source": self.source,
            "system_version": self.previous_version,
            "same_system": self.same_system,
            "total": {
                "previous": number(self.previous_total),
                "current": number(self.current_total),
                "change": number(self.total_change),
                "direction": self.direction,
            },
            "max": {"previous": number(self.previous_max), "current": number(self.current_max)},
            "passed": {"previous": self.previous_passed, "current": self.current_passed},
            "first_level": [lv.as_dict() for lv in self.levels],
            "first_level_not_comparable": list(self.levels_not_comparable),
            "indicators": [i.as_dict() for i in self.indicators],
            "gained": [i.key for i in self.gained],
            "lost": [i.key for i in self.lost],
            "not_comparable": {
                "count": len(self.not_comparable),
                "items": [n.as_dict() for n in self.not_comparable],
            },
        }


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def compare(card: Scorecard, past: PastResult) -> YearOnYear:
    """This year's card against last year's results (see the module docstring for what pairs)."""
    before = {i.key: i for i in past.indicators}
    now = {i.key for i in card.indicators}
    pairs, apart = [], []
    for ind in card.indicators:
        old = before.get(ind.key)
        if old is None:
            apart.append(NotComparable(ind.key, ind.name, "only_current"))
        elif not _same_name(old.name, ind.name):
            apart.append(NotComparable(ind.key, ind.name, "renamed"))
        else:
            pairs.append(
                IndicatorChange(
                    ind.key, ind.no, ind.name, old.score, old.max, old.status, ind.score, ind.max, str(ind.status)
                )
            )
    apart += [NotComparable(i.key, i.name, "only_previous") for i in past.indicators if i.key not in now]
    old_levels = {lv.name: lv for lv in past.first_level}
    levels = tuple(
        LevelChange(f.name, old_levels[f.name].score, old_levels[f.name].max, f.score, f.max)
        for f in card.first_level
        if f.name in old_levels
    )
    current_names = {f.name for f in card.first_level}
    levels_apart = tuple(
        [f.name for f in card.first_level if f.name not in old_levels]
        + [lv.name for lv in past.first_level if lv.name not in current_names]
    )
    return YearOnYear(
        previous_year=past.year,
        current_year=card.year,
        previous_version=past.version,
        current_version=card.spec_version,
        source=past.source,
        previous_total=past.total,
        previous_max=past.max,
        previous_passed=past.passed,
        current_total=card.total,
        current_max=card.max,
        current_passed=card.passed,
        levels=levels,
        indicators=tuple(pairs),
        not_comparable=tuple(apart),
        levels_not_comparable=levels_apart,
    )
