"""The two point caps: an indicator never scores above its points, and a per-row list criterion
never above the criterion's points."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from yongji_xls.scoring.engine import score
from yongji_xls.system.load import load_spec

# growth 2023 = 120/100 - 1 = 20 % > 11.0 % (national); 2024 = 140/120 - 1 = 16.7 % > 7.2 %: both years beat it
GROWING = {"online_retail@2022": 100, "online_retail@2023": 120, "online_retail@2024": 140}


def _rows(n: int) -> list[dict[str, str]]:
    return [
        {"成果名称": f"办法{k}", "类别": "规范性文件", "文号或标准号": f"永政发〔2024〕{k}号"} for k in range(1, n + 1)
    ]


def test_an_indicator_is_capped_at_its_points():
    spec = load_spec()
    i01 = next(i for i in score(spec, GROWING, 2024).indicators if i.key == "I01")
    assert [p.score for p in i01.criteria] == [1, 1] and i01.score == 2
    # 2 points a year over 2 years no longer loads (issue 20: points outside their range); the engine's
    # cap still holds for a spec built in code
    first = spec.indicators[0]
    rule = replace(first.rule, params={**first.rule.params, "points_per_year": 2})
    wide = replace(spec, indicators=(replace(first, rule=rule), *spec.indicators[1:]))
    i01 = next(i for i in score(wide, GROWING, 2024).indicators if i.key == "I01")
    assert [p.score for p in i01.criteria] == [2, 2] and i01.score == Fraction(2) == i01.max  # 4 capped at 2


def test_a_list_count_criterion_is_capped_at_its_points():
    spec = load_spec()
    by_rows = {}
    for n in (1, 2, 3):
        i34 = next(i for i in score(spec, {"I34": _rows(n)}, 2024).indicators if i.key == "I34")
        by_rows[n] = (i34.criteria[0].score, i34.criteria[0].status)
    assert by_rows == {1: (1, "partial"), 2: (2, "met"), 3: (2, "met")}  # 1 point per row, at most 2
