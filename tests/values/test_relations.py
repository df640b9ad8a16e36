"""Figures checked against each other (issue 20 §1): a part above its whole, a series that jumps.

The three inflated scores of the issue each become a run over a real filled template, asserting
the code, the cell and the score; the rule that picks the cell more likely wrong is tested at its
boundaries on plain values (the same check ``score --values`` runs)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from helpers import CONTACT, fill_workbook, write_outputs
from returned import cell_at

from yongji_xls.collect.run import run
from yongji_xls.issues import Severity, Status, UnitState
from yongji_xls.system.parts import part_pairs
from yongji_xls.values.relations import check_relations

SERIES = {
    "online_retail@2022": D(150000),
    "online_retail@2023": D(200000),
    "online_retail@2024": D(210000),
    "social_retail@2022": D(500000),
    "social_retail@2023": D(540000),
    "social_retail@2024": D(560000),
}


def _codes(checked) -> list[tuple[str, str]]:
    return [(i.code, i.key) for i in checked.issues]


def test_every_rate_numerator_is_part_of_its_denominator_and_the_declared_parts_are_kept(spec):
    pairs = set(part_pairs(spec))
    assert {
        ("ecommerce_tax", "total_tax"),
        ("online_employment", "total_employment"),
        ("online_retail", "social_retail"),
        ("operators_2y", "online_operators"),
        ("online_operators", "market_entities"),
        ("complaints_closed_on_time", "complaints_total"),
        ("supervisors_trained", "supervisors_total"),
    } <= pairs
    # I11.1 compares users with 50 % of staff (form: product): users may outnumber staff
    assert ("platform_users", "regulatory_staff") not in pairs


@pytest.mark.parametrize(
    ("part", "whole", "flagged"),
    [(D(100000), D(100000), False), (D("100000.0001"), D(100000), True), (D(99999), D(100000), False)],
)
def test_a_part_equal_to_its_whole_passes_and_one_ten_thousandth_above_is_an_error(spec, part, whole, flagged):
    checked = check_relations(spec, {"ecommerce_tax": part, "total_tax": whole}, file="v.json")
    assert bool(checked.issues) is flagged
    assert bool(checked.withheld) is flagged


def test_a_part_typed_in_yuan_is_the_cell_blamed_because_only_its_slip_restores_the_relation(spec):
    # 2000 万元 typed as 20000000 (元): /10^4 gives 2000 <= 100000. The whole ×10^4 (typed in 亿元)
    # would be 10^9 万元, above the plausibility bound of 10^8: not a candidate.
    checked = check_relations(spec, {"ecommerce_tax": D(20000000), "total_tax": D(100000)}, file="v.json")
    assert _codes(checked) == [("value_part_exceeds", "ecommerce_tax")]
    assert checked.withheld == {"ecommerce_tax"}
    assert "疑似按“元”填报，本表单位为“万元”" in checked.issues[0].message
    assert checked.issues[0].severity == Severity.ERROR


def test_a_whole_typed_in_wan_ren_is_the_cell_blamed(spec):
    # 10 万人 typed as 10 where the unit is 人: ×10^4 = 100000 >= 2000; the part has no slip that helps
    checked = check_relations(spec, {"online_employment": D(2000), "total_employment": D(10)}, file="v.json")
    assert _codes(checked) == [("value_whole_below", "total_employment")]
    assert "疑似按“万人”填报，本表单位为“人”" in checked.issues[0].message


def test_when_both_cells_could_be_the_slip_the_year_that_breaks_its_series_is_blamed(spec):
    # 社零 2024 typed in 亿元 (56): both 网上零售额/10^4 and 社零×10^4 restore the relation, but only
    # 社零 2024 is about 10^-4 of its 2023 figure
    values = {**SERIES, "social_retail@2024": D(56)}
    checked = check_relations(spec, values, file="v.json")
    assert _codes(checked) == [("value_whole_below", "social_retail@2024")]
    assert checked.withheld == {"social_retail@2024"}
    assert "疑似按“亿元”填报" in checked.issues[0].message


def test_when_nothing_decides_both_figures_are_withheld_and_the_part_is_named(spec):
    # 1000 万元 total and 5000000 e-commerce tax: ecommerce/10^4 = 500 <= 1000 and total×10^4 =
    # 10^7 (within the bound of 2×10^7) >= 5×10^6: both restore, neither is a series
    checked = check_relations(spec, {"ecommerce_tax": D(5000000), "total_tax": D(1000)}, file="v.json")
    assert _codes(checked) == [("value_part_exceeds", "ecommerce_tax")]
    assert checked.withheld == {"ecommerce_tax", "total_tax"}
    assert "请核对两项的计量单位" in checked.issues[0].message


def test_a_zero_whole_is_left_to_the_rule_that_names_a_zero_denominator(spec):
    assert not check_relations(spec, {"ecommerce_tax": D(5), "total_tax": D(0)}).issues


@pytest.mark.parametrize(
    ("value_2024", "warned"),
    [(D(5400000), False), (D("5400000.01"), True), (D(54000), False), (D("53999.99"), True)],
)
def test_a_series_jump_beyond_ten_times_either_way_is_a_warning_on_the_year_that_breaks(spec, value_2024, warned):
    values = {**SERIES, "social_retail@2024": value_2024, "online_retail@2024": D(50000)}
    checked = check_relations(spec, values, file="v.json")
    jumps = [i for i in checked.issues if i.code == "value_jump"]
    assert [(i.key, i.severity) for i in jumps] == ([("social_retail@2024", Severity.WARNING)] if warned else [])
    assert not checked.withheld


def test_the_first_year_is_blamed_when_the_later_two_agree(spec):
    values = {
        **SERIES,
        "express_volume@2022": D(12000000),
        "express_volume@2023": D(1300),
        "express_volume@2024": D(1500),
    }
    jumps = [i for i in check_relations(spec, values).issues if i.code == "value_jump"]
    assert [i.key for i in jumps] == ["express_volume@2022"]
    assert "疑似按“件”填报" in jumps[0].message


# -- the three inflated scores of the issue, end to end over real filled templates -------------


def _run_one(spec, templates, tmp_path: Path, unit: str, values: dict) -> tuple:
    folder = tmp_path / "in"
    folder.mkdir()
    path = fill_workbook(templates[unit], values, folder / f"{unit}.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    return result, path, {i.key: i for i in result.card.indicators}


def test_tax_typed_in_yuan_no_longer_scores_i08_two_points(spec, templates, tmp_path):
    result, path, ind = _run_one(
        spec, templates, tmp_path, "市税务局", {"ecommerce_tax": 20000000, "total_tax": 100000}
    )
    found = [i for i in result.report if i.code == "value_part_exceeds"]
    sheet, cell = cell_at(path, "ecommerce_tax", "填报值")
    assert [(i.file, i.sheet, i.cell, i.unit) for i in found] == [(path.name, sheet, cell, "市税务局")]
    assert (ind["I08"].score, ind["I08"].status) == (0, Status.MISSING)  # was 2 (占比20000%)
    assert result.unit_status("市税务局").state == UnitState.RESUBMIT  # the owner must correct it
    written = write_outputs(result, tmp_path / "out")
    assert written[path.name].name == "市税务局_问题反馈.xlsx"


def test_employment_total_typed_in_wan_ren_no_longer_scores_i07_two_points(spec, templates, tmp_path):
    values = {"online_employment": 2000, "total_employment": 10}
    result, path, ind = _run_one(spec, templates, tmp_path, "市人社局", values)
    found = [i for i in result.report if i.code == "value_whole_below"]
    sheet, cell = cell_at(path, "total_employment", "填报值")
    assert [(i.sheet, i.cell, i.key) for i in found] == [(sheet, cell, "total_employment")]
    assert (ind["I07"].score, ind["I07"].status) == (0, Status.MISSING)  # was 2 (占比20000%)


def test_social_retail_typed_in_yi_yuan_no_longer_scores_i06_and_i02_for_that_year(spec, templates, tmp_path):
    values = {k: int(v) for k, v in SERIES.items()} | {"social_retail@2024": 56}
    result, path, ind = _run_one(spec, templates, tmp_path, "市统计局", values)
    found = [i for i in result.report if i.code == "value_whole_below"]
    sheet, cell = cell_at(path, "social_retail@2024", "填报值")
    assert [(i.sheet, i.cell) for i in found] == [(sheet, cell)]
    parts = {c.key: c for c in ind["I06"].criteria}
    # 2023: 200000/540000 = 37.0 % > 32.72 % → 1 point; 2024 (比重232142.9% before) withheld → missing
    assert (parts["I06@2023"].score, parts["I06@2024"].score, parts["I06@2024"].status) == (1, 0, Status.MISSING)
    assert ind["I06"].score == 1  # was 2
    growth = {c.key: c for c in ind["I02"].criteria}
    assert growth["I02@2024"].status == Status.MISSING  # 社零 −99.99 % would have credited the year
    assert "social_retail@2024" not in result.values


def test_a_part_typed_in_yuan_with_its_whole_blank_is_refused_by_its_whole_s_plausible_range(spec, templates, tmp_path):
    # 5200 万元 typed as 52000000 (元) with 地区总税收额 left blank: no relation to check, but a part
    # cannot exceed what its whole may plausibly be, so the bound of total_tax applies to it too
    assert spec.field("ecommerce_tax").max == spec.field("total_tax").max < 52000000
    result, path, ind = _run_one(spec, templates, tmp_path, "市税务局", {"ecommerce_tax": 52000000})
    found = [i for i in result.report if i.code == "value_implausible"]
    sheet, cell = cell_at(path, "ecommerce_tax", "填报值")
    assert [(i.sheet, i.cell, i.key, i.severity) for i in found] == [(sheet, cell, "ecommerce_tax", Severity.ERROR)]
    assert "ecommerce_tax" not in result.values
    assert (ind["I08"].score, ind["I08"].status) == (0, Status.MISSING)


@pytest.mark.parametrize(("typed", "refused"), [(20000000, False), (20000001, True)])
def test_the_tax_bound_is_two_hundred_billion_yuan_for_the_whole_and_its_part(
    spec, templates, tmp_path, typed, refused
):
    result, _, _ = _run_one(spec, templates, tmp_path, "市税务局", {"ecommerce_tax": typed})
    assert any(i.code == "value_implausible" for i in result.report) is refused


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_series_figure_beyond_the_jump_factor_is_used_in_no_growth_comparison(spec, templates, tmp_path):
    # 网上零售额 2023 typed in 亿元 (18.95 for 189500 万元): the jump is a warning, and the growth of
    # 2023 (−99.99 %) and of 2024 (+1064807.7 %) compare nothing — the criteria of both years are
    # missing, naming both years, and no such growth reaches the report
    values = {k: int(v) for k, v in SERIES.items()} | {"online_retail@2023": 18.95}
    result, path, ind = _run_one(spec, templates, tmp_path, "市统计局", values)
    assert [i.key for i in result.report if i.code == "value_jump"] == ["online_retail@2023"]
    for key in ("I01", "I02"):
        parts = {c.key: c for c in ind[key].criteria}
        for year in (2023, 2024):
            c = parts[f"{key}@{year}"]
            assert (c.score, c.status) == (0, Status.MISSING), (c.key, c.reason)
            assert f"{year}年" in str(c.reason) and f"{year - 1}年" in str(c.reason), c.reason
    written = write_outputs(result, tmp_path / "out")
    text = "\n".join(_docx_text(p) for p in written.values() if p.suffix == ".docx")
    assert "1064807" not in text and "99.99" not in text
    quoted = [line for line in text.splitlines() if "18.95" in line]  # only the warning quotes it, as typed
    assert quoted and all("变化异常" in line and "如数据无误可不改" in line for line in quoted), quoted


@pytest.mark.parametrize(("value_2023", "suspect"), [(D(21000), False), (D("20999.99"), True)])
def test_a_growth_at_exactly_the_jump_factor_is_still_compared(spec, value_2023, suspect):
    from yongji_xls.scoring.engine import score

    values = {**SERIES, "online_retail@2024": D(210000), "online_retail@2023": value_2023}
    card = score(spec, values, 2024, "中部")
    c = next(c for i in card.indicators if i.key == "I02" for c in i.criteria if c.key == "I02@2024")
    assert (c.status == Status.MISSING) is suspect  # 210000 / 21000 = 10 exactly: not beyond


SALES = "年度电子商务销售额（万元）"


def _firms(sales: object) -> list[dict]:
    return [
        {"企业名称": "永济市五老峰电子商务有限公司", "达标年度": 2023, SALES: sales},
        {"企业名称": "永济市蒲州农产品有限公司", "达标年度": 2024, SALES: 12000},
    ]


@pytest.mark.parametrize("sales", [86500000, 210001])
def test_a_list_sales_figure_above_the_county_s_online_retail_of_its_year_does_not_count(
    spec, templates, tmp_path, sales
):
    # 8650 万元 typed as 86500000 (元): larger than the whole county's 网上零售额 of 2023 (200000),
    # an error on that cell suggesting the 元 slip, and the row does not count (I04 was 2/2)
    values = {k: int(v) for k, v in SERIES.items()} | {"I04": _firms(sales)}
    result, path, ind = _run_one(spec, templates, tmp_path, "市统计局", values)
    found = [i for i in result.report if i.code == "value_list_exceeds"]
    assert [(i.severity, i.sheet) for i in found] == [(Severity.ERROR, "清单-新增规模以上网络交易经营者")]
    assert found[0].cell.startswith(_sales_column(path)) and "（2023年）" in found[0].message
    assert "疑似按“元”填报" in found[0].message
    assert ind["I04"].score == 1


def test_a_list_sales_figure_equal_to_the_county_s_online_retail_counts(spec, templates, tmp_path):
    values = {k: int(v) for k, v in SERIES.items()} | {"I04": _firms(200000)}
    result, _, ind = _run_one(spec, templates, tmp_path, "市统计局", values)
    assert not [i for i in result.report if i.code == "value_list_exceeds"]
    assert ind["I04"].score == 2


def test_a_list_sales_figure_beyond_the_plausible_range_is_refused_at_its_cell(spec, templates, tmp_path):
    result, path, ind = _run_one(spec, templates, tmp_path, "市统计局", {"I04": _firms(200000000)})
    found = [i for i in result.report if i.code == "value_implausible"]
    assert len(found) == 1 and found[0].cell.startswith(_sales_column(path))
    assert ind["I04"].score == 1  # the other firm's 2024 sales of 12000 万元 alone: 1 enterprise (was 2)


def _sales_column(path: Path) -> str:
    import openpyxl

    ws = openpyxl.load_workbook(path)["清单-新增规模以上网络交易经营者"]
    return next(c.column_letter for row in ws.iter_rows() for c in row if c.value == SALES)


def test_a_list_column_part_of_an_unknown_field_is_a_load_problem(spec):
    from dataclasses import replace

    from yongji_xls.system.parts import validate_parts

    ls = spec.list_spec("I04")
    cols = tuple(replace(c, part_of="online_retial") if c.part_of else c for c in ls.columns)
    bad = replace(spec, lists=tuple(replace(x, columns=cols) if x.key == "I04" else x for x in spec.lists))
    problems: list[str] = []
    validate_parts(bad, problems)
    assert len(problems) == 1 and "online_retial" in problems[0]
