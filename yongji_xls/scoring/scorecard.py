"""Result objects of scoring, and their JSON form (the ``scores.json`` contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..coded_text import code_of
from ..issues import Status, labels

STATUS_TEXT = labels(Status)


def number(x: Fraction | int) -> int | float:
    """JSON number: an int when whole, else a float (display only; comparisons used Fractions)."""
    f = Fraction(x)
    return int(f) if f.denominator == 1 else float(round(f, 4))


@dataclass(frozen=True)
class CriterionScore:
    key: str
    text: str
    max: Fraction
    score: Fraction
    status: Status
    reason: str
    units: tuple[str, ...] = ()
    figures: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "text": self.text,
            "score": number(self.score),
            "max": number(self.max),
            "status": self.status,
            "status_text": STATUS_TEXT[self.status],
            "reason": self.reason,
            "reason_code": code_of(self.reason),
            "units": list(self.units),
            "figures": dict(self.figures),
        }


@dataclass(frozen=True)
class IndicatorScore:
    key: str
    no: int
    name: str
    first: str
    second: str
    nature: str
    max: Fraction
    score: Fraction
    status: Status
    criteria: tuple[CriterionScore, ...]
    units: tuple[str, ...]
    lead: str
    computed_score: Fraction | None = None
    review_note: str = ""
    aggregate: str = "sum"  # "any": the best criterion's points (符合一项即可得分), else their sum

    @property
    def lost(self) -> Fraction:
        return self.max - self.score

    @property
    def earned_by(self) -> tuple[CriterionScore, ...]:
        """The criteria whose points the indicator has: for an any-one indicator those at its
        score (the others lost nothing), otherwise every criterion that scored."""
        if self.aggregate == "any":
            return tuple(c for c in self.criteria if c.score > 0 and c.score >= min(self.score, c.max))
        return tuple(c for c in self.criteria if c.score > 0)

    @property
    def losing(self) -> tuple[CriterionScore, ...]:
        """The criteria that cost the indicator points: below their maximum, and for an any-one
        indicator only those that could still raise its score (a not-met alternative of a
        full-mark any-one indicator costs nothing)."""
        if self.aggregate == "any":
            return tuple(c for c in self.criteria if c.score < c.max and c.max > self.score)
        return tuple(c for c in self.criteria if c.score < c.max)

    @property
    def reason(self) -> str:
        """One sentence for the breakdown table: what was scored and why points were lost
        (identical criterion reasons said once, with their count); an any-one indicator that
        scored names the criteria that earned its points and the first one's reason (one
        suffices), then what still falls short."""
        from .display import merge_reasons
        from .reasons import reason

        earned = self.earned_by if self.aggregate == "any" and self.score > 0 else ()
        if not earned:  # not any-one, nothing scored, or a confirmed score no criterion reached
            return merge_reasons([c.reason for c in self.criteria])
        which = "、".join(str(self.criteria.index(c) + 1) for c in earned)
        said = reason("any_met", which=which, reason=earned[0].reason)
        short = [c.reason for c in self.losing if c not in earned]
        return "；".join([said, merge_reasons(short)]) if short else said

    def as_dict(self) -> dict[str, Any]:
        reason = self.reason
        d = {
            "no": self.no,
            "key": self.key,
            "name": self.name,
            "first": self.first,
            "second": self.second,
            "nature": self.nature,
            "score": number(self.score),
            "max": number(self.max),
            "status": self.status,
            "status_text": STATUS_TEXT[self.status],
            "reason": reason,
            "reason_code": code_of(reason),
            "units": list(self.units),
            "lead": self.lead,
            "criteria": [c.as_dict() for c in self.criteria],
        }
        if self.computed_score is not None:
            d["computed_score"] = number(self.computed_score)
            d["review_note"] = self.review_note
        return d


@dataclass(frozen=True)
class LevelScore:
    name: str
    score: Fraction
    max: Fraction
    first: str = ""
    passed: bool | None = None

    @property
    def rate(self) -> Fraction:
        return self.score / self.max if self.max else Fraction(0)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "score": number(self.score),
            "max": number(self.max),
            "rate": round(float(self.rate * 100), 2),
        }
        if self.first:
            d["first"] = self.first
        if self.passed is not None:
            d["passed"] = self.passed
        return d


@dataclass(frozen=True)
class Scorecard:
    year: int
    region: str
    spec_version: str
    total: Fraction
    max: Fraction
    passed: bool
    total_ok: bool
    levels_ok: bool
    pass_rule: str
    first_level: tuple[LevelScore, ...]
    second_level: tuple[LevelScore, ...]
    indicators: tuple[IndicatorScore, ...]
    references: dict[str, Any] = field(default_factory=dict)

    def indicator(self, key: str) -> IndicatorScore:
        return next(i for i in self.indicators if i.key == key)

    def criteria(self) -> list[CriterionScore]:
        return [c for i in self.indicators for c in i.criteria]

    @property
    def lost(self) -> list[IndicatorScore]:
        """Indicators with points lost, most points recoverable first."""
        return sorted((i for i in self.indicators if i.lost > 0), key=lambda i: (-i.lost, i.no))

    @property
    def pending_review(self) -> list[CriterionScore]:
        return [c for c in self.criteria() if c.status == Status.REVIEW]

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "region": self.region,
            "spec_version": self.spec_version,
            "total": number(self.total),
            "max": number(self.max),
            "passed": self.passed,
            "pass_rule": {"text": self.pass_rule, "total_ok": self.total_ok, "first_level_ok": self.levels_ok},
            "first_level": [f.as_dict() for f in self.first_level],
            "second_level": [s.as_dict() for s in self.second_level],
            "indicators": [i.as_dict() for i in self.indicators],
            "lost": [
                {
                    "key": i.key,
                    "name": i.name,
                    "lost": number(i.lost),
                    "status": i.status,
                    "reason": i.reason,
                    "units": list(i.units),
                }
                for i in self.lost
            ],
            "pending_review": [{"key": c.key, "reason": c.reason} for c in self.pending_review],
            "references": self.references,
        }
