"""Figures that never contradict the verdict, counts as integers, merged clauses, unit groups.

Each wording rule is tested at its boundary through the real scorer where it matters, so the
sentence a reader sees is the thing checked.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from scenarios import full_values

from yongji_xls.scoring.display import compare, count, figure, fixed, merge_reasons, units_text
from yongji_xls.scoring.engine import score
from yongji_xls.scoring.reasons import reason
from yongji_xls.system.load import load_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def part(card, key):
    return next(c for c in card.criteria() if c.key == key)


def test_rounding_is_half_away_from_zero_and_exact():
    assert [
        fixed(Fraction(5, 2), 0),
        fixed(Fraction(-5, 2), 0),
        fixed(Fraction(1, 8), 2),
        fixed(Fraction(1, 3), 4),
    ] == ["3", "-3", "0.13", "0.3333"]


def test_band_ratio_just_below_five_percent_never_prints_as_five(spec):
    # 4999.99999 / 100000 = 4.99999999 %: in the 3 %-5 % band (1 point); it must not read 「5.0%…在3%-5%之间」.
    card = score(spec, {"online_employment": "4999.99999", "total_employment": 100000}, 2024, "中部")
    c = part(card, "I07")
    assert c.score == 1
    assert c.reason.startswith("占比略低于5%（4999.99999/100000，低0.00000001个百分点），在3%-5%之间")
    assert "5.0%" not in c.reason and "5.000000%" not in c.reason


def test_band_ratio_at_the_bound_reads_as_the_bound(spec):
    card = score(spec, {"online_employment": 5000, "total_employment": 100000}, 2024, "中部")
    assert part(card, "I07").reason.startswith("占比5%（5000/100000），达到5%以上，得2分")


def test_growth_a_hair_above_the_national_rate_says_slightly_above(spec):
    # 2024 national express growth is 21.5 %; 1215000000001/1000000000000 − 1 = 21.5000000001 %.
    values = {"express_volume@2023": 1000000000000, "express_volume@2024": 1215000000001}
    c = part(score(spec, values, 2024, "中部"), "I05@2024")
    assert c.score == 1
    assert "略高于全国21.5%（高0.0000000001个百分点）" in c.reason
    assert "21.500000%" not in c.reason


def test_growth_a_hair_below_reads_below():
    c = compare(Fraction("21.4999"), Fraction("21.5"))
    assert (c.left, c.right, c.slight) == ("21.4999", "21.5", False)
    c = compare(Fraction("21.49999"), Fraction("21.5"))  # 21.5000 at four places: not shown as equal
    assert c.slight and c.relation() == "略低于" and c.difference == "0.00001"


def test_difference_that_does_not_terminate_is_approximate():
    c = compare(Fraction(5) - Fraction(1, 3 * 10**7), Fraction(5))
    assert c.slight and c.difference == "约0.0000000333"


def test_figure_uses_the_digits_the_nearest_bound_needs():
    assert figure(Fraction("2.99"), (Fraction(3), Fraction(5))) == ("2.99%", "")
    assert figure(Fraction(100, 3), (Fraction(30), Fraction(50))) == ("33.3%", "")


def test_counts_are_integers(spec):
    values = full_values()
    values["procedural_losses"] = 0
    c = part(score(spec, values, 2024, "中部"), "I18.2")
    assert "0件" in c.reason and "0.0" not in c.reason
    assert count(Fraction(0)) == "0" and count(3) == "3"


def test_three_not_done_points_are_one_clause():
    declined = reason("not_done", answers="市发改局：未完成")
    assert merge_reasons([declined] * 3) == "3个评分要点均为“市发改局：未完成”，不得分"
    assert merge_reasons(["甲", "乙", "甲"]) == "2个评分要点均为：甲；乙"


def test_indicator_reason_merges_its_criteria(spec):
    values = full_values()
    for k in (1, 2, 3):
        values[f"I12.{k}"] = [{"done": False, "note": "", "evidence": [], "unit": "市发改局"}]
    ind = score(spec, values, 2024, "中部").indicator("I12")
    assert ind.reason == "3个评分要点均为“市发改局：未完成”，不得分"


def test_no_business_is_said_once_per_criterion(spec):
    values = full_values()
    values.update({"assigned_total": 0, "assigned_handled_timely": 0, "assigned_completed": 0})
    c = part(score(spec, values, 2024, "中部"), "I17.2")
    assert c.reason.count("无相关业务，视同达标") == 1 and c.score == c.max


def test_whole_group_reads_as_its_count(spec):
    groups = {g.name: g.members for g in spec.groups}
    members = list(groups["联席会议成员单位"])
    assert units_text(members, groups) == "联席会议26个成员单位"
    assert units_text([*members, "城西街道"], groups) == "联席会议26个成员单位、城西街道"
    assert units_text(members[:3], groups) == "、".join(members[:3])
    assert units_text(members[:6], groups) == "、".join(members[:4]) + "等6个单位"


def test_zero_social_retail_is_a_data_error_for_i02(spec):
    values = {"online_retail@2023": 100, "online_retail@2024": 110, "social_retail@2023": 100, "social_retail@2024": 0}
    c = part(score(spec, values, 2024, "中部"), "I02@2024")
    assert c.status == "missing" and "−100" not in c.reason and "-100" not in c.reason
    assert "社会消费品零售总额（2024年）为0" in c.reason
