"""达标路径: the cheapest recoverable set that meets both pass rules, checked by brute force.

The brute force below re-scores every subset of recoverable items from the criteria alone
(sum or any, capped at the indicator's points) and never calls the module under test.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

import pytest
from scenarios import full_values, without

from yongji_xls.scoring.engine import score
from yongji_xls.scoring.path_to_pass import RECOVERABLE, path_to_pass, plan
from yongji_xls.scoring.scorecard import CriterionScore, IndicatorScore, LevelScore, Scorecard
from yongji_xls.system.load import load_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def _no_material(unit: str = "市市场监管局") -> list[dict]:
    return [{"done": True, "note": "已开展", "evidence": [], "unit": unit}]


def brute_force(
    card: Scorecard, aggregate: dict[str, str], total_min: Fraction, rate_min: Fraction
) -> tuple[int, Fraction] | None:
    """(fewest items, most points with that many) over every subset, or None if none passes."""
    items = [
        (i, c)
        for i in card.indicators
        if i.computed_score is None
        for c in i.criteria
        if c.score < c.max and c.status in RECOVERABLE
    ]

    def rescore(chosen: set[str]) -> tuple[Fraction, dict[str, Fraction]]:
        levels: dict[str, Fraction] = {}
        for ind in card.indicators:
            if ind.computed_score is not None:
                value = ind.score
            else:
                parts = [c.max if c.key in chosen else c.score for c in ind.criteria]
                value = min(
                    max(parts, default=Fraction(0)) if aggregate[ind.key] == "any" else sum(parts, Fraction(0)), ind.max
                )
            levels[ind.first] = levels.get(ind.first, Fraction(0)) + value
        return sum(levels.values(), Fraction(0)), levels

    for k in range(len(items) + 1):
        best = None
        for pick in combinations(items, k):
            total, levels = rescore({c.key for _, c in pick})
            if total >= total_min and all(levels.get(lv.name, 0) >= lv.max * rate_min for lv in card.first_level):
                best = total if best is None else max(best, total)
        if best is not None:
            return k, best - card.total
    return None


def _synthetic(rng: random.Random) -> tuple[Scorecard, dict[str, str]]:
    """Two first levels, 2–3 indicators each, 1–3 criteria with random statuses and points."""
    indicators, aggregate, levels = [], {}, []
    n = 0
    for first in ("甲", "乙"):
        level_score = level_max = Fraction(0)
        for _ in range(rng.randint(2, 3)):
            n += 1
            key = f"I{n:02d}"
            agg = rng.choice(("sum", "sum", "any"))
            crits = []
            for c in range(rng.randint(1, 3)):
                pts = Fraction(rng.choice((1, 2, 3)))
                status = rng.choice(("met", "met", "no_evidence", "missing", "review", "not_met"))
                got = pts if status == "met" else Fraction(0)
                crits.append(CriterionScore(f"{key}.{c + 1}", "要点", pts, got, status, "原因", ("市商务局",)))
            top = max(c.max for c in crits) if agg == "any" else sum((c.max for c in crits), Fraction(0))
            scored = max(c.score for c in crits) if agg == "any" else sum((c.score for c in crits), Fraction(0))
            indicators.append(
                IndicatorScore(
                    key, n, key, first, "二级", "定性", top, scored, "partial", tuple(crits), ("市商务局",), "市商务局"
                )
            )
            aggregate[key] = agg
            level_score += scored
            level_max += top
        levels.append(LevelScore(first, level_score, level_max))
    total = sum((lv.score for lv in levels), Fraction(0))
    top = sum((lv.max for lv in levels), Fraction(0))
    card = Scorecard(2024, "中部", "t", total, top, False, False, False, "", tuple(levels), (), tuple(indicators))
    return card, aggregate


@pytest.mark.parametrize("seed", range(60))
def test_chosen_set_is_as_cheap_as_brute_force_on_small_cards(seed):
    rng = random.Random(seed)
    card, aggregate = _synthetic(rng)
    total_min = card.max * Fraction(rng.choice((60, 75, 85)), 100)
    rate_min = Fraction(rng.choice((50, 70, 80)), 100)
    result = plan(card, aggregate, total_min, rate_min)
    expected = brute_force(card, aggregate, total_min, rate_min)
    if expected is None:
        assert not result.reachable and result.chosen == ()
        assert result.total_shortfall > 0 or any(lv.shortfall > 0 for lv in result.levels)
    else:
        k, gain = expected
        assert result.reachable
        assert (len(result.chosen), result.total_gain) == (k, gain)


def test_already_passed_needs_nothing(spec):
    card = score(spec, full_values(), 2024, "中部")
    path = path_to_pass(spec, card)
    assert card.passed and path.passed and path.reachable and path.chosen == ()
    assert path.as_dict()["by_paperwork_alone"] is False
    assert path.as_dict()["needed"]["total"] == 0


def test_reachable_by_materials_picks_the_fewest_items(spec):
    # 规范监管 (25 points, floor 18.75) loses I16.1 (3) and the twelve 1-point points of I12–I15
    # for want of material: 10/25. Nine points are needed: I16.1 plus six 1-pointers = 7 items.
    values = full_values()
    for key in ["I16.1"] + [f"I{n}.{k}" for n in (12, 13, 14, 15) for k in (1, 2, 3)]:
        values[key] = _no_material()
    card = score(spec, values, 2024, "中部")
    assert card.total == 85 and not card.levels_ok
    path = path_to_pass(spec, card)
    assert path.reachable and path.as_dict()["by_paperwork_alone"] is True
    assert len(path.chosen) == 7 and "I16.1" in {i.key for i in path.chosen}
    assert {i.kind for i in path.chosen} == {"no_evidence"}
    need = {lv.name: lv.needed for lv in path.levels}
    assert need["规范监管"] == Fraction(35, 4)  # 18.75 − 10
    assert path.total_gain == 9
    assert brute_force(card, {i.key: i.aggregate for i in spec.indicators}, Fraction(85), Fraction(3, 4)) == (
        7,
        Fraction(9),
    )


def test_blocked_only_by_one_first_level_rate_and_unreachable(spec):
    # 0 % online growth in 2024 loses I01@2024 and I02@2024 (1 each), 5 % operators loses I03
    # (2), I10.1 answered 否 loses 2: 促进发展 14/20 = 70 % < 75 %, total 94 ≥ 85. Nothing in
    # 促进发展 is recoverable on paper.
    values = full_values()
    values["online_retail@2024"] = 120000  # 0 % growth: I01@2024, I02@2024, I06@2024 lost (not_met)
    values["online_operators"] = 500  # I03: 5 % < 8 %: 0 points (not_met)
    values = without(values, "I10.1")
    card = score(spec, values, 2024, "中部")
    assert card.total_ok and not card.levels_ok
    path = path_to_pass(spec, card)
    assert not path.reachable and path.chosen == ()
    short = path.as_dict()["shortfall"]
    assert short["total"] == 0 and set(short["first_level"]) == {"促进发展"}
    assert path.by_kind.get("not_met") == card.max - card.total


def test_blocked_by_one_rate_is_recoverable_with_one_item(spec):
    values = full_values()
    values["online_retail@2024"] = 120000
    values["online_operators"] = 500
    values["I10.1"] = _no_material("市商务局")
    card = score(spec, values, 2024, "中部")
    assert card.total_ok and not card.levels_ok
    path = path_to_pass(spec, card, {"市商务局": "2025-03-31"})
    assert path.reachable and [i.key for i in path.chosen] == ["I10.1"]
    assert path.chosen[0].deadline == "2025-03-31" and path.chosen[0].units == ("市商务局",)


def test_unreachable_total_reports_the_shortfall(spec):
    values = without(full_values(), *[f"I{n}.{k}" for n in (12, 13, 14, 15, 20, 22, 23) for k in (1, 2, 3)])
    card = score(spec, values, 2024, "中部")
    path = path_to_pass(spec, card)
    assert not path.reachable
    assert path.total_shortfall == Fraction(85) - card.total


def test_review_items_name_the_office_and_every_lost_point_has_one_kind(spec):
    values = full_values()
    del values["national.mediation_success_rate@2024"]
    values["I20.1"] = _no_material()
    values.pop("platform_users")
    card = score(spec, values, 2024, "中部")
    path = path_to_pass(spec, card)
    kinds = {i.key: i.kind for i in path.items}
    assert kinds["I25.2"] == "review" and kinds["I20.1"] == "no_evidence" and kinds["I11.1"] == "missing"
    assert next(i for i in path.items if i.key == "I25.2").units == ("市市场监管局",)
    assert sum(path.by_kind.values()) == card.max - card.total


def test_any_indicator_points_are_counted_once(spec):
    # I28 scores 3 if any of its three criteria is met: three items lost, but 3 points, not 9.
    values = full_values()
    for k in (1, 2, 3):
        values[f"I28.{k}"] = _no_material()
    card = score(spec, values, 2024, "中部")
    path = path_to_pass(spec, card)
    assert path.by_kind == {"no_evidence": Fraction(3)}
    assert card.passed and path.chosen == ()


def test_overridden_indicator_is_not_recoverable(spec):
    from yongji_xls.scoring.engine import apply_overrides

    values = full_values()
    values["I12.1"] = _no_material()
    card = apply_overrides(spec, score(spec, values, 2024, "中部"), {"I12": (Fraction(1), "专家核定")})
    path = path_to_pass(spec, card)
    item = next(i for i in path.items if i.indicator == "I12")
    assert item.kind == "overridden" and item.lost == 2 and not item.recoverable
    assert path.by_kind == {"overridden": Fraction(2)}


def test_score_command_prints_three_lines_and_writes_path_to_pass(tmp_path):
    import json

    from click.testing import CliRunner

    from yongji_xls.cli import main

    values = full_values()
    values["online_retail@2024"] = 120000
    values["online_operators"] = 500
    values["operators_2y"] = 300  # a part of the 500 (issue 20): 60 % keeps I09's 2 points
    values["I10.1"] = _no_material("市工科局（市商务局）")
    f = tmp_path / "values.json"
    f.write_text(json.dumps({"year": 2024, "region": "中部", "values": values}, ensure_ascii=False), "utf-8")
    out = tmp_path / "scores.json"
    r = CliRunner().invoke(main, ["score", "--values", str(f), "--out", str(out)])
    assert r.exit_code == 0, r.output
    lines = [
        x for x in r.output.splitlines() if "达标路径" in x or x.startswith("  失分") or x.startswith("  最少完成")
    ]
    assert lines == [
        "达标路径：促进发展还差1分（需达到15分）。",
        "  失分6分中：补充佐证材料可挽回2分，实际未达到4分。",
        # the values file's unit text, as cleaned,
        "  最少完成1项即可达标（可挽回2分，涉及1个单位）："
        "有特色网络市场产业评分要点：补充佐证材料（市工科局(市商务局)）。",
    ]
    doc = json.loads(out.read_text("utf-8"))["path_to_pass"]
    assert doc["reachable"] is True and doc["by_paperwork_alone"] is True and doc["shortfall"] is None
    assert [c["key"] for c in doc["chosen"]] == ["I10.1"] and doc["chosen"][0]["kind"] == "no_evidence"
    assert doc["needed"]["first_level"][0] == {"name": "促进发展", "needed": 1, "score": 14, "min_score": 15}


def test_demo_path_is_in_scores_json_and_the_breakdown_sheet(tmp_path):
    import json

    import openpyxl

    from yongji_xls import api

    result = api.run("sample_workbooks")
    api.write_outputs(result, tmp_path)
    doc = json.loads((tmp_path / "scores.json").read_text("utf-8"))["path_to_pass"]
    assert doc["reachable"] is False and doc["shortfall"] == {"total": 0, "first_level": {"促进发展": 2}}
    assert doc["lost_by_kind"] == {"review": 2, "not_met": 11}
    ws = openpyxl.load_workbook(next(tmp_path.glob("任务分解表*.xlsx")))["达标路径"]
    assert ws["A1"].value.startswith("达标路径：促进发展还差2分（需达到15分）。")
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(doc["items"]) and {r[6] for r in rows} == {"补充全国参考值并核定", "实际未达到"}
    review = next(r for r in rows if r[11] == "I25.2")  # the hidden key column
    assert review[2] == "第2项" and review[7] == "市市场监管局" and review[8]  # the office acts, by the deadline
    assert sum(r[5] for r in rows) == 13  # column F: the points the title says were lost
    assert "失分13分中" in ws["A1"].value
