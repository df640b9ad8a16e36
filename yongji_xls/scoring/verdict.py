"""Whether a verdict of 未达到 is provisional: 「暂未达到」 only when the points still 待核定 could
turn it.

A criterion 待核定 (a national figure not yet published) scores 0 until the office supplies the
figure; supplying it can only add points. So a card that passes stays passed, and a card that
fails is provisional exactly when crediting every pending criterion in full meets both pass
rules (total ≥ ``total_min`` and every first-level rate ≥ ``rate_min``), computed per indicator
(an any-one indicator and the indicator cap make criteria not additive) with Fractions. When
even that fails, the report says 「未达到」 plainly: the pending figures cannot change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ..system.model import Spec
from .path_to_pass import gain_when_recovered
from .scorecard import Scorecard


def pending_gains(card: Scorecard, aggregate: Mapping[str, str] | None = None) -> dict[str, Fraction]:
    """First-level name -> the points crediting every 待核定 criterion in full would add, for
    the levels where that is more than nothing (an office-confirmed indicator keeps its score)."""
    pending = {c.key for c in card.pending_review}
    out: dict[str, Fraction] = {}
    for ind in card.indicators:
        if ind.computed_score is not None or not any(c.key in pending for c in ind.criteria):
            continue
        gain = gain_when_recovered(ind, (aggregate or {}).get(ind.key, ind.aggregate), pending)
        if gain:
            out[ind.first] = out.get(ind.first, Fraction(0)) + gain
    return out


def pending_could_pass(
    card: Scorecard, total_min: Fraction, rate_min: Fraction, aggregate: Mapping[str, str] | None = None
) -> bool:
    """True when the card fails now but would pass with every 待核定 point credited."""
    if card.passed:
        return False
    gains = pending_gains(card, aggregate)
    if not gains:
        return False
    total = card.total + sum(gains.values(), Fraction(0))
    levels = all(lv.score + gains.get(lv.name, Fraction(0)) >= lv.max * rate_min for lv in card.first_level)
    return total >= total_min and levels


def provisional(spec: Spec, card: Scorecard) -> bool:
    """:func:`pending_could_pass` with ``spec``'s pass rule: the verdict reads 「暂未达到」."""
    rule = spec.pass_rule
    aggregate = {i.key: i.aggregate for i in spec.indicators}
    return pending_could_pass(card, Fraction(rule.total_min), rule.rate_min, aggregate)
