"""Any-one indicators (「符合一项即可得3分」, I28–I31) and 否 answers, as every output reads them.

An any-one indicator that has its points names the criterion that earned them; its other,
unmet criteria are no lost point anywhere: not in its reason, not in 达标路径's items, not in
scores.json. The items of 达标路径 always add up to the points lost (max − total), overrides
included as the office's own items. A unit that answered 否 is quoted with its reason.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from scenarios import full_values
from test_path_to_pass import _synthetic

from yongji_xls.report.scores_json import values_document
from yongji_xls.scoring.display import merge_reasons
from yongji_xls.scoring.engine import apply_overrides, score
from yongji_xls.scoring.path_to_pass import path_to_pass, plan


def _answer(unit: str, done: bool, note: str = "", evidence: tuple[str, ...] = ()) -> dict:
    return {"done": done, "note": note, "evidence": list(evidence), "unit": unit}


@pytest.fixture
def full_mark_any_one(spec):
    """I30 earned by its first criterion; its second and third answered 否 (with and without a reason)."""
    values = full_values()
    values["I30.1"] = [_answer("市工科局（市商务局）", True, "建成电商公共服务体系", ("建设方案",))]
    values["I30.2"] = [_answer("市工科局（市商务局）", False, "本年度未开展"), _answer("市发改局", False)]
    values["I30.3"] = [_answer("市发改局", False, "")]
    return score(spec, values, 2024, "中部")


def test_a_full_mark_any_one_indicator_names_what_earned_it_and_loses_nothing(spec, full_mark_any_one):
    card = full_mark_any_one
    i30 = card.indicator("I30")
    assert i30.score == i30.max == 3
    assert [c.status for c in i30.criteria] == ["met", "not_met", "not_met"]
    assert i30.reason.startswith("符合第1项评分要点（符合一项即可得分）：市工科局（市商务局）已完成")
    assert "不得分" not in i30.reason and i30.losing == ()
    assert "I30" not in {i.key for i in card.lost}
    path = path_to_pass(spec, card)
    assert not [i for i in path.items if i.indicator == "I30"]
    doc = values_document(spec, card)
    ind = next(i for i in doc["indicators"] if i["key"] == "I30")
    assert "不得分" not in ind["reason"] and ind["reason_code"] == "any_met"
    assert not [i for i in doc["path_to_pass"]["items"] if i["indicator"] == "I30"]


def test_a_not_done_criterion_quotes_each_unit_and_its_reason(full_mark_any_one):
    second = full_mark_any_one.indicator("I30").criteria[1]
    assert second.reason == "市工科局（市商务局）：未完成（本年度未开展）；市发改局：未完成，不得分"
    assert "填报未完成" not in second.reason


def test_a_real_blank_is_still_said_as_a_blank(spec):
    values = full_values()
    values.pop("I30.2", None)
    values["I30.2"] = []
    card = score(spec, values, 2024, "中部")
    second = card.indicator("I30").criteria[1]
    assert second.status == "missing" and second.reason.code == "no_answer"


def test_an_any_one_indicator_at_zero_has_one_item_for_its_three_points(spec):
    """I31 with no criterion met: one unit claimed the first without material, the others said 否.
    The indicator lost 3 points, so its items lose 3 (the material would recover all of it)."""
    values = full_values()
    values["I31.1"] = [_answer("市发改局", True, "出台扶持政策")]  # 是 without material
    values["I31.2"] = [_answer("市发改局", False, "无")]
    values["I31.3"] = [_answer("市发改局", False, "未开展")]
    card = score(spec, values, 2024, "中部")
    i31 = card.indicator("I31")
    assert i31.score == 0 and i31.lost == 3
    items = [i for i in path_to_pass(spec, card).items if i.indicator == "I31"]
    assert [(i.key, i.lost, i.kind) for i in items] == [("I31.1", 3, "no_evidence")]


def _items_sum(path) -> Fraction:
    return sum((i.lost for i in path.items), Fraction(0))


def test_items_add_up_to_the_points_lost_with_an_override(spec, full_mark_any_one):
    card = apply_overrides(spec, full_mark_any_one, {"I06": (Decimal(1), "核定")})
    path = path_to_pass(spec, card)
    assert _items_sum(path) == card.max - card.total
    overridden = [i for i in path.items if i.kind == "overridden"]
    assert [(i.key, i.lost) for i in overridden] == [("I06", card.indicator("I06").lost)]


@pytest.mark.parametrize("seed", range(40))
def test_items_add_up_to_the_points_lost_on_random_cards(seed):
    card, aggregate = _synthetic(random.Random(1000 + seed))
    result = plan(card, aggregate, card.max * Fraction(3, 4), Fraction(3, 4))
    assert _items_sum(result) == card.max - card.total
    assert sum(result.by_kind.values(), Fraction(0)) == card.max - card.total


@pytest.mark.parametrize("confirmed", [Decimal(1), Decimal(2), Decimal(3)])
def test_an_any_one_indicator_confirmed_above_what_its_criteria_scored_says_so(spec, confirmed):
    """I31 scored 0 (nothing met); the office confirms a higher score by hand. No criterion reaches
    the confirmed score, so no criterion 'earned' it: the reason says the criteria's own reasons and
    the card serialises (it raised IndexError)."""
    values = full_values()
    for n in (1, 2, 3):
        values[f"I31.{n}"] = [_answer("市发改局", False, "未开展")]
    card = apply_overrides(spec, score(spec, values, 2024, "中部"), {"I31": (confirmed, "经核实已开展")})
    i31 = card.indicator("I31")
    assert i31.score == confirmed and i31.computed_score == 0
    d = i31.as_dict()
    assert d["score"] == int(confirmed) and d["review_note"] == "经核实已开展"
    assert i31.earned_by == ()  # no criterion earned what the office confirmed
    assert d["reason"] == merge_reasons([c.reason for c in i31.criteria])
