"""「暂未达到」 only when the points 待核定 could turn the verdict (issue 19b, item 1).

Cards are built by hand: two first levels of 10 points; a criterion 待核定 (status review)
scores 0 now and at most its maximum once the national figure is supplied. Pass rule: total
≥ ``total_min`` and each first level ≥ 75% (7.5 of 10), compared exactly.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from yongji_xls.scoring.scorecard import CriterionScore, IndicatorScore, LevelScore, Scorecard
from yongji_xls.scoring.verdict import pending_could_pass, pending_gains

RATE = Fraction(3, 4)
F = Fraction


def _indicator(key: str, first: str, crits: list[tuple[Fraction, Fraction, str]], agg: str = "sum") -> IndicatorScore:
    cs = tuple(CriterionScore(f"{key}.{n}", "要点", m, s, st, "原因") for n, (m, s, st) in enumerate(crits, 1))
    top = max(c.max for c in cs) if agg == "any" else sum((c.max for c in cs), F(0))
    got = max(c.score for c in cs) if agg == "any" else sum((c.score for c in cs), F(0))
    return IndicatorScore(key, 0, key, first, "", "", top, got, "partial", cs, (), "", aggregate=agg)


def _card(indicators: list[IndicatorScore], total_min: Fraction) -> Scorecard:
    levels = []
    for first in ("甲", "乙"):
        mine = [i for i in indicators if i.first == first]
        levels.append(LevelScore(first, sum((i.score for i in mine), F(0)), sum((i.max for i in mine), F(0))))
    total = sum((lv.score for lv in levels), F(0))
    top = sum((lv.max for lv in levels), F(0))
    passed = total >= total_min and all(lv.score >= lv.max * RATE for lv in levels)
    return Scorecard(2024, "中部", "t", total, top, passed, False, False, "", tuple(levels), (), tuple(indicators))


def _demo_like(pending_first: str, short: Fraction, pending: Fraction) -> Scorecard:
    """甲 scores 7.5 − ``short`` of 10; one criterion worth ``pending`` waits in ``pending_first``;
    the rest of 乙 is full, so only the 甲 rule can fail (total_min 10 is met)."""
    in_a, in_b = (pending, F(0)) if pending_first == "甲" else (F(0), pending)
    a = _indicator("I01", "甲", [(F(10) - in_a, F(15, 2) - short, "not_met")])
    b = _indicator("I03", "乙", [(F(10) - in_b, F(10) - in_b, "met")])
    return _card([a, b, _indicator("I02", pending_first, [(pending, F(0), "review")])], F(10))


def test_pending_points_in_another_group_cannot_change_the_verdict():
    # the demo's case: 促进发展 short, the pending points in 优化服务
    card = _demo_like("乙", short=F(2), pending=F(2))
    assert not card.passed
    assert pending_gains(card) == {"乙": F(2)}
    assert pending_could_pass(card, F(10), RATE) is False


@pytest.mark.parametrize(
    ("short", "pending", "provisional"),
    [
        (F(1), F(1), True),
        (F(1), F(2), True),
        (F(3, 2), F(1), False),
        (F(1, 2), F(1, 2), True),
        (F(1, 2), F(1, 3), False),
    ],
)
def test_pending_points_in_the_failing_group_make_it_provisional_at_the_boundary(short, pending, provisional):
    card = _demo_like("甲", short=short, pending=pending)
    assert not card.passed
    assert pending_could_pass(card, F(10), RATE) is provisional


def test_the_total_rule_counts_too():
    # both levels pass their rate; the total is 1 short of 18; 1 point pending closes it exactly
    a = _indicator("I01", "甲", [(F(9), F(9), "met"), (F(1), F(0), "review")])
    b = _indicator("I02", "乙", [(F(10), F(8), "not_met")])
    card = _card([a, b], F(18))
    assert not card.passed and pending_could_pass(card, F(18), RATE) is True
    assert pending_could_pass(_card([a, b], F(37, 2)), F(37, 2), RATE) is False


def test_an_any_one_indicator_gains_only_up_to_its_best_criterion():
    # 甲 at 7 of 10 needs 0.5; the pending alternative of an any-one indicator already at its
    # maximum adds nothing, so the verdict is final
    full = _indicator("I01", "甲", [(F(2), F(2), "met"), (F(2), F(0), "review")], agg="any")
    rest = _indicator("I02", "甲", [(F(8), F(5), "not_met")])
    b = _indicator("I03", "乙", [(F(10), F(10), "met")])
    card = _card([full, rest, b], F(10))
    assert pending_gains(card) == {}
    assert pending_could_pass(card, F(10), RATE) is False


def test_a_card_that_passes_is_never_provisional():
    a = _indicator("I01", "甲", [(F(9), F(9), "met"), (F(1), F(0), "review")])
    b = _indicator("I02", "乙", [(F(10), F(10), "met")])
    card = _card([a, b], F(10))
    assert card.passed and pending_could_pass(card, F(10), RATE) is False
