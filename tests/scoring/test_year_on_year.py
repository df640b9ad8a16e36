"""This year against last year (pure): what pairs, what does not, and the exact changes."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from scenarios import full_values

from yongji_xls.issues import Trend
from yongji_xls.scoring.engine import score
from yongji_xls.scoring.year_on_year import compare
from yongji_xls.system.load import load_spec
from yongji_xls.values.previous import PastIndicator, PastLevel, PastResult

YEAR = 2024


def _past(card, **changes) -> PastResult:
    """Last year's results as this card would have written them, then edited."""
    base = PastResult(
        year=YEAR - 1,
        county="永济市",
        version=card.spec_version,
        title="",
        total=card.total,
        max=card.max,
        passed=card.passed,
        first_level=tuple(PastLevel(f.name, f.score, f.max) for f in card.first_level),
        indicators=tuple(PastIndicator(i.key, i.no, i.name, i.score, i.max, str(i.status)) for i in card.indicators),
        source="scores.json",
    )
    return replace(base, **changes)


def test_the_same_card_a_year_later_is_level_everywhere():
    card = score(load_spec(), full_values(), YEAR)
    yoy = compare(card, _past(card))
    assert yoy.total_change == 0 and yoy.direction == Trend.SAME and yoy.consecutive
    assert len(yoy.indicators) == 41 and not yoy.gained and not yoy.lost and yoy.not_comparable == ()
    assert all(lv.rate_change == 0 for lv in yoy.levels) and yoy.same_system


def test_changes_are_exact_and_named_by_indicator():
    card = score(load_spec(), full_values(), YEAR)  # 100 points
    before = list(_past(card).indicators)
    before[0] = replace(before[0], score=Fraction(0), status="not_met")  # I01 gained 2 this year
    before[11] = replace(before[11], score=Fraction(5, 2))  # I12 scored 2.5 of 3 last year: gained 0.5
    levels = [PastLevel("促进发展", Fraction(18), Fraction(20)), PastLevel("规范监管", Fraction(49, 2), Fraction(25))]
    past = _past(card, indicators=tuple(before), total=Fraction(195, 2), first_level=tuple(levels), passed=True)
    yoy = compare(card, past)
    assert yoy.total_change == Fraction(5, 2) and yoy.direction == Trend.UP
    assert [(i.key, i.change) for i in yoy.gained] == [("I01", 2), ("I12", Fraction(1, 2))] and yoy.lost == ()
    i01 = yoy.gained[0]
    assert (i01.previous_status, i01.current_status) == ("not_met", "met")
    assert [(lv.name, lv.score_change, lv.rate_change) for lv in yoy.levels] == [
        ("促进发展", 2, 10),  # 18/20 = 90 % → 100 %: 10 percentage points
        ("规范监管", Fraction(1, 2), 2),  # 24.5/25 = 98 % → 100 %
    ]
    assert yoy.levels_not_comparable == ("优化服务", "探索创新", "综合保障")  # not in last year's results
    doc = yoy.as_dict()
    assert doc["total"] == {"previous": 97.5, "current": 100, "change": 2.5, "direction": "up"}
    assert doc["gained"] == ["I01", "I12"] and doc["lost"] == [] and doc["not_comparable"]["count"] == 0


def test_indicators_pair_only_where_key_and_name_both_match():
    card = score(load_spec(), full_values(), YEAR)
    before = list(_past(card).indicators)
    before[1] = replace(before[1], name="另一个指标（体系调整后编号相同）")  # I02 renamed: not the same indicator
    del before[40]  # I41 is new this year
    before.append(PastIndicator("I42", 42, "去年才有的指标", Fraction(2), Fraction(2), "met"))
    yoy = compare(card, _past(card, indicators=tuple(before), version="2021"))
    assert [(n.key, n.why) for n in yoy.not_comparable] == [
        ("I02", "renamed"),
        ("I41", "only_current"),
        ("I42", "only_previous"),
    ]
    assert len(yoy.indicators) == 39 and not yoy.same_system
    assert yoy.as_dict()["not_comparable"]["count"] == 3


def test_a_lower_score_is_a_fall_and_a_gap_year_is_named():
    card = score(load_spec(), full_values(), YEAR)
    yoy = compare(card, _past(card, total=Fraction(101), year=YEAR - 2))
    assert yoy.direction == Trend.DOWN and yoy.total_change == -1 and not yoy.consecutive
