"""Every rule of 附件2 at its boundaries, with exact arithmetic.

Expected scores are written by hand from the document and DESIGN.md §3; the engine is only
ever the thing under test.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction

import pytest
from scenarios import NATIONAL_EXTRA, evidence, full_values, without

from yongji_xls.scoring.engine import apply_overrides, score
from yongji_xls.system.load import load_spec
from yongji_xls.system.model import Reference


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def run(spec, values, year=2024, region="中部", refs=()):
    return score(spec, values, year, region, refs)


def ind(card, key):
    return card.indicator(key)


def part(card, key):
    return next(c for c in card.criteria() if c.key == key)


def test_full_marks(spec):
    card = run(spec, full_values())
    bad = [(i.key, i.score, i.reason) for i in card.indicators if i.score != i.max]
    assert bad == []
    assert card.total == 100 and card.passed and card.total_ok and card.levels_ok


# --- I01 / I05: growth vs published national growth (2023: 11.0 %, 2024: 7.2 %) -------------


@pytest.mark.parametrize(
    ("v2022", "v2023", "v2024", "expected", "statuses"),
    [
        (100000, 111000, 118992, 0, ["not_met", "not_met"]),  # exactly 11.0 % and exactly 7.2 %: "超过" is strict
        (100000, 111001, 118994, 2, ["met", "met"]),  # just above both
        (100000, 110999, 118993, 1, ["not_met", "met"]),  # 2024: 118993/110999 − 1 = 7.2017 %
        (100000, 120000, 120000, 1, ["met", "not_met"]),  # zero growth in 2024
        (100000, 90000, 99000, 1, ["not_met", "met"]),  # decline, then 10 %
    ],
)
def test_i01_growth_vs_national(spec, v2022, v2023, v2024, expected, statuses):
    v = {"online_retail@2022": v2022, "online_retail@2023": v2023, "online_retail@2024": v2024}
    card = run(spec, v)
    assert ind(card, "I01").score == expected
    assert [c.status for c in ind(card, "I01").criteria] == statuses
    assert [c.key for c in ind(card, "I01").criteria] == ["I01@2023", "I01@2024"]


def test_float_trap_growth_exactly_eleven_percent(spec):
    # In binary floats 111000/100000 − 1 = 0.11000000000000010 → 11.000000000000009 % > 11.0.
    assert (111000 / 100000 - 1) * 100 > 11.0
    card = run(spec, {"online_retail@2022": 100000, "online_retail@2023": 111000.0, "online_retail@2024": 1})
    c = part(card, "I01@2023")
    assert c.score == 0 and c.status == "not_met"
    assert "增长11%，未超过全国11%（持平）" in c.reason


def test_growth_reason_has_figures(spec):
    card = run(spec, {"online_retail@2022": 100000, "online_retail@2023": 100000, "online_retail@2024": 107300})
    assert part(card, "I01@2024").reason == "2024年网上零售额同比增长7.3%，高于全国7.2%，得1分"


def test_growth_missing_previous_year_names_owner(spec):
    card = run(spec, {"online_retail@2023": 100, "online_retail@2024": 120})
    c = part(card, "I01@2023")
    assert c.status == "missing" and "网上零售额（2022年）" in c.reason and "市统计局" in c.reason
    assert part(card, "I01@2024").score == 1
    assert ind(card, "I01").status == "partial"


def test_growth_zero_base_is_a_data_error(spec):
    card = run(spec, {"online_retail@2022": 0, "online_retail@2023": 100, "online_retail@2024": 120})
    assert part(card, "I01@2023").status == "missing" and "为0" in part(card, "I01@2023").reason


def test_missing_national_reference_is_review(spec):
    v = {"online_retail@2024": 100, "online_retail@2025": 200, "online_retail@2026": 300}
    card = run(spec, v, year=2026)
    c2026 = part(card, "I01@2026")
    assert c2026.status == "review" and c2026.score == 0 and "national.online_retail_growth@2026" in c2026.reason
    assert part(card, "I01@2025").score == 1  # 2025 published: 8.6 %
    card2 = run(spec, v, year=2026, refs=[Reference("online_retail_growth", 2026, Decimal("49.9"))])
    assert part(card2, "I01@2026").score == 1
    card3 = run(spec, v, year=2026, refs=[Reference("online_retail_growth", 2026, Decimal("50"))])
    assert part(card3, "I01@2026").score == 0  # 300/200 − 1 = 50 % is not "超过" 50 %


@pytest.mark.parametrize(
    ("v2023", "v2024", "expected"),
    [(1194, "1450.71", 0), (1195, "1451.93", 2), (1194, "1450.72", 1), (1195, "1451.92", 1)],
)
def test_i05_express_growth(spec, v2023, v2024, expected):
    # 2023: 19.4 % of 1000 → 1194 is exactly equal; 2024: 21.5 % → 1194 × 1.215 = 1450.71, 1195 × 1.215 = 1451.925
    card = run(spec, {"express_volume@2022": 1000, "express_volume@2023": v2023, "express_volume@2024": v2024})
    assert ind(card, "I05").score == expected


def test_i02_equal_growth_does_not_score(spec):
    v = {
        "online_retail@2022": 100,
        "online_retail@2023": 110,
        "online_retail@2024": 121,
        "social_retail@2022": 1000,
        "social_retail@2023": 1100,
        "social_retail@2024": 1200,
    }
    card = run(spec, v)
    assert [c.score for c in ind(card, "I02").criteria] == [0, 1]  # 10 % = 10 %; 10 % > 9.09 %


@pytest.mark.parametrize(
    ("online", "social", "expected"),
    [(3182, 10000, 0), (3183, 10000, 1), (0, 10000, 0)],  # 2024 national share 31.82 %
)
def test_i06_share_vs_national_2024(spec, online, social, expected):
    card = run(spec, {"online_retail@2024": online, "social_retail@2024": social})
    assert part(card, "I06@2024").score == expected


def test_i06_zero_social_retail_is_data_error(spec):
    card = run(spec, {"online_retail@2024": 1, "social_retail@2024": 0})
    assert part(card, "I06@2024").status == "missing"


# --- ratio bands, "比值区间均含本数" ---------------------------------------------------------

BANDS = {
    "I03": ("online_operators", "market_entities", 8, 15),
    "I07": ("online_employment", "total_employment", 3, 5),
    "I08": ("ecommerce_tax", "total_tax", 3, 5),
    "I09": ("operators_2y", "online_operators", 30, 50),
}


@pytest.mark.parametrize("key", sorted(BANDS))
@pytest.mark.parametrize(
    ("offset", "which", "expected"),
    [(-1, "low", 0), (0, "low", 1), (1, "low", 1), (-1, "high", 1), (0, "high", 2), (1, "high", 2)],
)
def test_ratio_band_edges(spec, key, offset, which, expected):
    num, den, low, high = BANDS[key]
    # denominator 10000: one unit is 0.01 percentage points
    n = (low if which == "low" else high) * 100 + offset
    card = run(spec, {num: n, den: 10000})
    assert ind(card, key).score == expected
    assert ind(card, key).status == {0: "not_met", 1: "partial", 2: "met"}[expected]


def test_ratio_band_exact_fifteen_percent(spec):
    card = run(spec, {"online_operators": 15, "market_entities": 100})
    assert ind(card, "I03").score == 2 and "15%以上" in ind(card, "I03").reason


def test_ratio_band_decimal_inputs(spec):
    # 2.01 / 67 = 3 % exactly; in floats 2.01/67*100 = 2.9999999999999996
    assert 2.01 / 67 * 100 < 3
    card = run(spec, {"ecommerce_tax": 2.01, "total_tax": 67})
    assert ind(card, "I08").score == 1


def test_ratio_band_zero_denominator_is_data_error(spec):
    card = run(spec, {"online_employment": 0, "total_employment": 0})
    assert ind(card, "I07").score == 0 and ind(card, "I07").status == "missing" and "为0" in ind(card, "I07").reason


def test_ratio_band_missing(spec):
    card = run(spec, {"ecommerce_tax": 5})
    assert ind(card, "I08").status == "missing" and "市税务局" in ind(card, "I08").reason


# --- I04: list of enterprises above the regional threshold ------------------------------


def _ent(name, code, year, sales):
    return {"企业名称": name, "统一社会信用代码": code, "达标年度": year, "年度电子商务销售额（万元）": sales}


@pytest.mark.parametrize(
    ("rows", "region", "expected"),
    [
        ([], "中部", 0),
        ([_ent("甲", "A1", 2024, 10000)], "中部", 1),  # exactly 1亿元 is "以上"
        ([_ent("甲", "A1", 2024, "9999.99")], "中部", 0),
        ([_ent("甲", "A1", 2024, 10000), _ent("乙", "B2", 2023, 30000)], "中部", 2),
        ([_ent("甲", "A1", 2024, 10000), _ent("甲公司", "A1", 2023, 30000)], "中部", 1),  # same credit code
        ([_ent("甲", "", 2024, 10000), _ent(" 甲 ", "", 2023, 30000)], "中部", 1),  # same name
        ([_ent("甲", "A1", 2022, 50000)], "中部", 0),  # outside 近2年
        ([_ent("甲", "A1", "2024年", 15000), _ent("乙", "B2", 2024, 25000)], "东部", 1),  # 东部: 2亿元
        ([_ent("甲", "A1", 2024, 5000)], "西部", 1),
    ],
)
def test_i04_enterprises(spec, rows, region, expected):
    card = run(spec, {"I04": rows}, region=region)
    assert ind(card, "I04").score == expected


def test_i04_not_filled_is_missing(spec):
    assert ind(run(spec, {}), "I04").status == "missing"


# --- evidence criteria -----------------------------------------------------------------


def test_evidence_rules(spec):
    card = run(
        spec,
        {
            "I12.1": [evidence("市发改局")],
            "I12.2": [evidence("市发改局", materials=())],
            "I12.3": [evidence("市发改局", done=False)],
            "I13.1": [evidence("市发改局", note="")],
            "I13.2": [evidence("市教育局", done=False), evidence("市交通局", materials=()), evidence("市住建局")],
        },
    )
    assert (part(card, "I12.1").score, part(card, "I12.1").status) == (1, "met")
    assert (part(card, "I12.2").score, part(card, "I12.2").status) == (0, "no_evidence")
    assert "缺少佐证材料" in part(card, "I12.2").reason
    assert (part(card, "I12.3").score, part(card, "I12.3").status) == (0, "not_met")
    assert (part(card, "I13.1").score, part(card, "I13.1").status) == (0, "no_evidence")
    assert part(card, "I13.2").score == 1 and "市住建局" in part(card, "I13.2").reason
    assert part(card, "I13.3").status == "missing"
    assert ind(card, "I12").score == 1 and ind(card, "I12").status == "partial"


def test_evidence_claimed_without_material_everywhere(spec):
    card = run(spec, {"I10.1": [evidence(materials=())]})
    assert ind(card, "I10").score == 0 and ind(card, "I10").status == "no_evidence"


def test_single_answer_dict_is_accepted(spec):
    card = run(spec, {"I16.1": {"done": True, "note": "制定了办案流程", "evidence": ["流程.pdf"]}})
    assert ind(card, "I16").score == 3


@pytest.mark.parametrize("key", ["I28", "I29", "I30", "I31"])
def test_any_of_indicators(spec, key):
    assert ind(run(spec, {f"{key}.2": [evidence()]}), key).score == 3
    assert ind(run(spec, {f"{key}.1": [evidence()], f"{key}.3": [evidence()]}), key).score == 3
    assert ind(run(spec, {f"{key}.1": [evidence(done=False)]}), key).score == 0


# --- computed criteria -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "key", "expected"),
    [
        ({"platform_users": 50, "regulatory_staff": 100}, "I11.1", 0),  # 50 % is not "超过50%"
        ({"platform_users": 51, "regulatory_staff": 100}, "I11.1", 1),
        ({"platform_users": 1, "regulatory_staff": 1}, "I11.1", 1),
        ({"claims_processed": 99, "claims_distributed": 100}, "I11.2", 0),
        ({"claims_processed": 100, "claims_distributed": 100}, "I11.2", 1),
        ({"claims_processed": 101, "claims_distributed": 100}, "I11.2", 1),
        ({"leads_checked_on_time": 19, "leads_total": 20}, "I17.1", 0),  # 19/20 = 95 % is not > 95 %
        ({"leads_checked_on_time": 96, "leads_total": 100}, "I17.1", 1),
        ({"leads_checked_on_time": 0, "leads_total": 0}, "I17.1", 1),  # no cases
        ({"assigned_handled_timely": 91, "assigned_completed": 90, "assigned_total": 100}, "I17.2", 0),
        ({"assigned_handled_timely": 90, "assigned_completed": 91, "assigned_total": 100}, "I17.2", 0),
        ({"assigned_handled_timely": 91, "assigned_completed": 91, "assigned_total": 100}, "I17.2", 1),
        (
            {"reconsideration_upheld": 96, "reconsideration_total": 100, "litigation_won": 95, "litigation_total": 100},
            "I18.1",
            0,
        ),
        (
            {"reconsideration_upheld": 96, "reconsideration_total": 100, "litigation_won": 0, "litigation_total": 0},
            "I18.1",
            1,
        ),
        (
            {"reconsideration_upheld": 0, "reconsideration_total": 0, "litigation_won": 0, "litigation_total": 0},
            "I18.1",
            1,
        ),
        ({"procedural_losses": 0}, "I18.2", 1),
        ({"procedural_losses": 1}, "I18.2", 0),
        ({"monitoring_checked_timely": 90, "monitoring_total": 100}, "I19.1", 0),
        ({"monitoring_checked_timely": 91, "monitoring_total": 100}, "I19.1", 1),
        ({"monitoring_completed": 9, "monitoring_total": 10}, "I19.2", 0),
        ({"monitoring_completed": 10, "monitoring_total": 10}, "I19.2", 1),
        ({"complaints_initial_on_time": 96, "complaints_closed_on_time": 95, "complaints_total": 100}, "I25.1", 0),
        ({"complaints_initial_on_time": 96, "complaints_closed_on_time": 96, "complaints_total": 100}, "I25.1", 1),
        ({"complaints_initial_on_time": 0, "complaints_closed_on_time": 0, "complaints_total": 0}, "I25.1", 1),
        ({"satisfaction_rate": "80.36"}, "I25.3", 0),  # equal to the 2024 national 80.36
        ({"satisfaction_rate": "80.37"}, "I25.3", 1),
        ({"supervisors_trained": 10, "supervisors_total": 10, "min_training_hours": 50}, "I38.2", 1),
        ({"supervisors_trained": 10, "supervisors_total": 10, "min_training_hours": "49.9"}, "I38.2", 0),
        ({"supervisors_trained": 9, "supervisors_total": 10, "min_training_hours": 80}, "I38.2", 0),
    ],
)
def test_computed_criteria(spec, values, key, expected):
    c = part(run(spec, values), key)
    assert c.score == expected, c.reason
    assert c.status == ("met" if expected else "not_met")


def test_zero_case_is_flagged(spec):
    c = part(run(spec, {"leads_checked_on_time": 0, "leads_total": 0}), "I17.1")
    assert "无相关业务，视同达标" in c.reason and c.figures.get("no_business") == "1"


def test_zero_denominator_without_zero_rule(spec):
    c = part(run(spec, {"claims_processed": 0, "claims_distributed": 0}), "I11.2")
    assert c.score == 0 and c.status == "missing"


@pytest.mark.parametrize(("users", "expected"), [(0, "not_met"), (1, "met")])
def test_i11_1_with_no_staff_follows_users_above_half_of_staff(spec, users, expected):
    # DESIGN.md §2: platform_users > 50 % × regulatory_staff; with 0 staff that is users > 0.
    c = part(run(spec, {"platform_users": users, "regulatory_staff": 0}), "I11.1")
    assert c.status == expected
    assert "在编监管人员数为0" in c.reason and f"用户数{users}，" in c.reason


def test_computed_missing_names_owner(spec):
    c = part(run(spec, {"leads_total": 10}), "I17.1")
    assert c.status == "missing" and "按时核查数" in c.reason and "市市场监管局" in c.reason


def test_national_rate_missing_is_review(spec):
    card = run(
        spec,
        {"mediations_success": 45, "mediations_total": 50, "odr_total": 1, "odr_closed_on_time": 1, "odr_settled": 1},
    )
    assert part(card, "I25.2").status == "review"
    assert part(card, "I26.1").status == "review"
    assert {c.key for c in card.pending_review} >= {"I25.2", "I26.1"}


@pytest.mark.parametrize(("success", "expected"), [(40, 0), (41, 1)])
def test_mediation_vs_national_from_values(spec, success, expected):
    v = {"mediations_success": success, "mediations_total": 50, "national.mediation_success_rate@2024": 80}
    assert part(run(spec, v), "I25.2").score == expected  # 40/50 = 80 % is not > 80 %


def test_odr_both_rates(spec):
    v = {"odr_total": 10, "odr_closed_on_time": 10, "odr_settled": 8, **NATIONAL_EXTRA}
    assert part(run(spec, v), "I26.1").score == 0  # settlement 80 % = national 80 %
    v["odr_settled"] = 9
    assert part(run(spec, v), "I26.1").score == 1


# --- lists I32–I34 ------------------------------------------------------------------------


def _rec(level, name="经验"):
    return {"认可事项": name, "认可形式": "典型经验", "认可机关": "某机关", "级别": level, "日期": "2024-01-01"}


def _news(level, title="报道"):
    return {"报道标题": title, "媒体名称": "某报", "媒体级别": level, "报道日期": "2024-01-01", "链接": ""}


def _result(kind, name, no=""):
    return {"成果名称": name, "类别": kind, "文号或标准号": no, "发布日期": "2024-01-01"}


@pytest.mark.parametrize(
    ("levels", "expected"), [([], 0), (["市级", "县级"], 0), (["省级"], 3), (["国家级"], 3), (["市级", "省级"], 3)]
)
def test_i32_recognition(spec, levels, expected):
    rows = [_rec(lv, f"事项{n}") for n, lv in enumerate(levels)]
    assert ind(run(spec, {"I32": rows}), "I32").score == expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [(["其他"], 0), (["国家级"], 2), (["省部级"], 1), (["国家级", "省部级"], 3), (["国家级", "国家级"], 2)],
)
def test_i33_media(spec, levels, expected):
    rows = [_news(lv, f"报道{n}") for n, lv in enumerate(levels)]
    assert ind(run(spec, {"I33": rows}), "I33").score == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], 0),
        ([_result("标准", "规范A", "T/1")], 1),
        ([_result("标准", "规范A", "T/1"), _result("规章", "办法B", "令2")], 2),
        ([_result("标准", "规范A", "T/1"), _result("规章", "办法B", "令2"), _result("法规", "条例C", "3")], 2),
        ([_result("标准", "规范A", "T/1"), _result("标准", "规范A（修订）", "T/1")], 1),  # same number
        ([_result("其他", "规范A", "T/1")], 0),
    ],
)
def test_i34_results(spec, rows, expected):
    assert ind(run(spec, {"I34": rows}), "I34").score == expected


# --- pass rule ------------------------------------------------------------------------------


def _lose_development_5(v):
    v = copy.deepcopy(v)
    v["online_retail@2023"] = v["online_retail@2024"] = v["online_retail@2022"]  # I01, I02: 0 % growth
    v.update(
        {"social_retail@2022": 280000, "social_retail@2023": 290000, "social_retail@2024": 300000}
    )  # I06: 34.5 %, 33.3 %
    v["online_operators"] = 1000  # I03: 10 % → 1 point; I09: 1200/1000 → still ≥ 50 %
    return v


def test_pass_at_exact_boundaries(spec):
    v = _lose_development_5(full_values())
    v = without(v, "I20.1", "I20.2", "I20.3", "I21.1", "I21.2", "I28.1", "I28.2", "I28.3")
    v["I34"] = []
    card = run(spec, v)
    rates = {f.name: f.rate for f in card.first_level}
    assert card.total == 85
    assert (
        rates["促进发展"] == Fraction(3, 4)
        and rates["优化服务"] == Fraction(3, 4)
        and rates["探索创新"] == Fraction(3, 4)
    )
    assert card.passed and card.total_ok and card.levels_ok


def test_fail_on_one_first_level_below_75(spec):
    v = _lose_development_5(full_values())
    v = without(v, "I35.1", "I36.1", "I36.2", "I12.1", "I12.2", "I12.3", "I13.1", "I13.2", "I13.3")
    card = run(spec, v)
    rates = {f.name: f.rate for f in card.first_level}
    assert card.total == 85 and card.total_ok
    assert rates["综合保障"] == Fraction(11, 15)  # 73.3 %
    assert not card.levels_ok and not card.passed
    assert [f.passed for f in card.first_level] == [True, True, True, True, False]


def test_fail_on_total_84(spec):
    v = without(
        _lose_development_5(full_values()),
        "I20.1",
        "I20.2",
        "I20.3",
        "I21.1",
        "I21.2",
        "I28.1",
        "I28.2",
        "I28.3",
        "I41.1",
    )
    v["I34"] = []
    card = run(spec, v)
    assert card.total == 84 and not card.total_ok and card.levels_ok and not card.passed


def test_overrides_recompute_levels(spec):
    card = run(spec, without(full_values(), "I35.1"))
    assert card.total == 98
    out = apply_overrides(spec, card, {"I35": (Decimal("1.5"), "经核实部分完成")})
    i35 = out.indicator("I35")
    assert i35.score == Fraction(3, 2) and i35.computed_score == 0 and i35.status == "overridden"
    assert out.total == Fraction(199, 2)
    assert out.as_dict()["total"] == 99.5


@pytest.mark.parametrize(("typed", "kept"), [(Decimal("99"), Fraction(2)), (Decimal("-1"), Fraction(0))])
def test_an_override_is_kept_within_zero_and_the_indicator_points(spec, typed, kept):
    card = run(spec, without(full_values(), "I35.1"))
    out = apply_overrides(spec, card, {"I35": (typed, "核定")})
    assert out.indicator("I35").max == 2 and out.indicator("I35").score == kept
    assert out.total == card.total + kept


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"assigned_total": 0}, "I17.2"),  # numerators not given: there was nothing to handle
        ({"supervisors_total": 0}, "I38.2"),  # no supervisors: no training hours to report
        ({"odr_total": 0}, "I26.1"),  # no ODR cases: no national rate needed
        ({"complaints_total": 0}, "I25.1"),
    ],
)
def test_zero_cases_need_nothing_else(spec, values, key):
    c = part(run(spec, values), key)
    assert (c.score, c.status) == (1, "met") and "无相关业务" in c.reason, c.reason


def test_zero_case_with_a_contradicting_figure_still_checks_it(spec):
    c = part(run(spec, {"supervisors_total": 0, "supervisors_trained": 0, "min_training_hours": 40}), "I38.2")
    assert c.score == 0 and c.status == "not_met"
