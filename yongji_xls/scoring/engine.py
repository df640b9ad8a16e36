"""Merged values → Scorecard. Pure and exact; knows nothing of Excel.

Each indicator's parts come from the rule functions in :mod:`yongji_xls.scoring.rules`, chosen by the
``kind`` in the indicator data; this module only aggregates: criteria → indicator → group (and
subgroup, in a three-level system) → total, then applies the pass rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..issues import Status, YongjiError
from ..system.keys import is_national, year_of
from ..system.model import Indicator, Reference, Spec
from ..values.parse import exact
from .reasons import Reason
from .rules import CRITERION_RULES, INDICATOR_RULES, Context
from .scorecard import CriterionScore, IndicatorScore, LevelScore, Scorecard

_PRIORITY = (Status.REVIEW, Status.MISSING, Status.NO_EVIDENCE, Status.NOT_MET)


def references_for(
    spec: Spec, extra: Iterable[Reference] = (), values: Mapping[str, Any] | None = None
) -> dict[str, Fraction]:
    """Shipped national figures, replaced by ``--reference`` ones, then by ``national.*`` values."""
    refs = {r.key: Fraction(r.value) for r in spec.references}
    refs.update({r.key: Fraction(r.value) for r in extra})
    for key, value in (values or {}).items():
        if is_national(key):
            v = exact(value)
            if v is not None:
                refs[key] = v
    return refs


def _status(score: Fraction, maximum: Fraction, parts: Iterable[CriterionScore]) -> str:
    if score >= maximum:
        return Status.MET
    if score > 0:
        return Status.PARTIAL
    statuses = {p.status for p in parts}
    return next((s for s in _PRIORITY if s in statuses), Status.NOT_MET)


def _noted(ctx: Context, part: CriterionScore, keys: list[str]) -> CriterionScore:
    """A part whose figures came (partly) from a cross-check unit says so in its reason."""
    year = year_of(part.key)
    if year is not None:  # a per-year part only names that year's (and the base year's) figures
        keys = [k for k in keys if year_of(k) is None or year_of(k) in (year, year - 1)]
    notes = ctx.substitute_notes(keys) if part.status != Status.MISSING else []
    if not notes:
        return part
    if isinstance(part.reason, Reason):
        return replace(part, reason=part.reason.with_notes(notes))
    return replace(part, reason="；".join([part.reason, *notes]))


def _criterion(ctx: Context, crit, units: tuple[str, ...]) -> CriterionScore:  # noqa: ANN001 - model.Criterion
    ctx.read.clear()
    part = CRITERION_RULES[crit.rule.kind if crit.rule else "evidence"](ctx, crit, crit.rule, units)
    return _noted(ctx, part, list(ctx.read)) if ctx.substitutes else part


def score_indicator(ctx: Context, ind: Indicator) -> IndicatorScore:
    if ind.rule is not None:
        ctx.read.clear()
        parts = INDICATOR_RULES[ind.rule.kind](ctx, ind, ind.rule)
        if ctx.substitutes:
            parts = [_noted(ctx, p, list(ctx.read)) for p in parts]
    else:
        parts = [_criterion(ctx, c, ind.units) for c in ind.criteria]
    maximum = Fraction(ind.points)
    if ind.aggregate == "any":
        total = max((p.score for p in parts), default=Fraction(0))
    else:
        total = sum((p.score for p in parts), Fraction(0))
    total = min(total, maximum)
    return IndicatorScore(
        ind.key,
        ind.no,
        ind.name,
        ind.first,
        ind.second,
        ind.nature,
        maximum,
        total,
        _status(total, maximum, parts),
        tuple(parts),
        ind.units,
        ind.lead,
        aggregate=ind.aggregate,
    )


def assemble(
    spec: Spec, year: int, region: str, indicators: list[IndicatorScore], refs: Mapping[str, Fraction]
) -> Scorecard:
    """Roll indicator scores up to levels, total and the pass verdict."""
    by_key = {i.key: i for i in indicators}
    seconds = tuple(
        LevelScore(s.name, sum((by_key[k].score for k in s.indicators), Fraction(0)), Fraction(s.points), first=s.first)
        for s in spec.second_levels
    )
    rate_min = spec.pass_rule.rate_min
    firsts = []
    for f in spec.first_levels:  # from its indicators, however many levels lie between
        score = sum((by_key[k].score for k in f.indicators), Fraction(0))
        firsts.append(LevelScore(f.name, score, Fraction(f.points), passed=score / f.points >= rate_min))
    total = sum((i.score for i in indicators), Fraction(0))
    total_ok = total >= Fraction(spec.pass_rule.total_min)
    levels_ok = all(f.passed for f in firsts)
    used = {k: float(v) for k, v in sorted(refs.items()) if (y := year_of(k)) is not None and abs(y - year) <= 2}
    return Scorecard(
        year,
        region,
        spec.version,
        total,
        Fraction(spec.max_points),
        total_ok and levels_ok,
        total_ok,
        levels_ok,
        spec.pass_rule.text,
        tuple(firsts),
        seconds,
        tuple(indicators),
        used,
    )


def score(
    spec: Spec,
    values: Mapping[str, Any],
    year: int | None = None,
    region: str | None = None,
    references: Iterable[Reference] = (),
    substitutes: Mapping[str, str] | None = None,
    refused: Mapping[str, str] | None = None,
) -> Scorecard:
    """Score all indicators from merged ``values`` (DESIGN.md §5 keys); ``substitutes`` names the
    cross-check unit of each figure used because its owner's is blank or refused, ``refused`` why
    each owner's figure was refused (both said in the reasons)."""
    year = year or spec.default_year
    region = region or spec.default_region
    if region not in spec.region_thresholds:
        raise YongjiError("region_unknown", region=region, choices="、".join(spec.region_thresholds))
    refs = references_for(spec, references, values)
    ctx = Context(spec, year, region, values, refs, dict(substitutes or {}), dict(refused or {}))
    return assemble(spec, year, region, [score_indicator(ctx, ind) for ind in spec.indicators], refs)


def apply_overrides(spec: Spec, card: Scorecard, overrides: Mapping[str, tuple[Decimal | Fraction, str]]) -> Scorecard:
    """The office's 核定得分: replace indicator scores, keep the computed ones beside them."""
    indicators = []
    for ind in card.indicators:
        if ind.key in overrides:
            value, note = overrides[ind.key]
            confirmed = min(max(Fraction(value), Fraction(0)), ind.max)
            ind = replace(ind, score=confirmed, status=Status.OVERRIDDEN, computed_score=ind.score, review_note=note)
        indicators.append(ind)
    refs = {k: Fraction(str(v)) for k, v in card.references.items()}
    out = assemble(spec, card.year, card.region, indicators, refs)
    return replace(out, references=card.references)
