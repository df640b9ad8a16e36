"""Tester defect D10: a part thousands of times too small for its whole (从业人数 typed in 万人,
a 万元 amount typed in 亿元) is warned with the likely unit slip and scores nothing unseen: the
figure is not used, and the reason says why (the mirror of issue 20's part above its whole)."""

from __future__ import annotations

import pytest
from helpers import CONTACT, fill_workbook

from yongji_xls.collect.run import run
from yongji_xls.issues import Status
from yongji_xls.values.relations import check_relations

HR = "市人社局"
TAX = "市税务局"


def _run(spec, templates, tmp_path, unit, values):
    """One unit's template filled with ``values``, run alone."""
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(templates[unit], values, folder / f"{unit}.xlsx", contact=CONTACT)
    return run(spec, folder, 2024)


def test_a_count_typed_in_wanren_is_warned_with_the_slip_and_not_scored(spec, templates, tmp_path):
    result = _run(spec, templates, tmp_path, HR, {"online_employment": 1, "total_employment": 215000})
    found = next(i for i in result.report if i.code == "value_part_tiny")
    assert (found.severity, found.file, found.sheet, found.key) == (
        "warning",
        "市人社局.xlsx",
        "数据填报",
        "online_employment",
    )
    assert "「1」万人？本表单位为人，如按万人填写应为10000" in found.message
    assert "地方就业人员总数量215000人" in found.message
    i07 = next(c for c in result.card.criteria() if c.key == "I07")
    assert (i07.status, i07.score) == (Status.MISSING, 0)
    assert "主责单位市人社局填报的「1」数量级明显偏小，未采用" in str(i07.reason)
    assert result.unit_status(HR).warnings >= 1


def test_an_amount_typed_in_yiyuan_is_warned_with_the_slip(spec, templates, tmp_path):
    result = _run(spec, templates, tmp_path, TAX, {"ecommerce_tax": 0.52, "total_tax": 128000})
    found = next(i for i in result.report if i.code == "value_part_tiny")
    assert "「0.52」亿元？本表单位为万元，如按亿元填写应为5200" in found.message
    i08 = next(c for c in result.card.criteria() if c.key == "I08")
    assert i08.status == Status.MISSING and "未采用" in str(i08.reason)


@pytest.mark.parametrize(("part", "flagged"), [(1, True), (21, True), (21.5, False), (22, False), (0, False)])
def test_the_boundary_is_a_share_below_the_slip_factor_with_the_corrected_figure_within_the_whole(spec, part, flagged):
    """215000 × 1/10000 = 21.5: a share below the factor of the 万人 slip (strictly), its figure
    ×10000 within the whole; 0 is a figure, not a slip."""
    values = {"online_employment": part, "total_employment": 215000}
    checked = check_relations(spec, values)
    codes = [i.code for i in checked.issues]
    assert ("value_part_tiny" in codes) is flagged
    assert ("online_employment" in checked.withheld) is flagged


def test_a_fraction_of_a_person_names_the_wanren_slip(spec, templates, tmp_path):
    result = _run(spec, templates, tmp_path, HR, {"online_employment": 0.86, "total_employment": 215000})
    found = next(i for i in result.report if i.key == "online_employment")
    assert (found.code, found.severity) == ("value_not_integer_slip", "error")
    assert found.message.startswith("「0.86」万人？本表单位为人，如按万人填写应为8600。")
    i07 = next(c for c in result.card.criteria() if c.key == "I07")
    assert i07.status == Status.MISSING and "「0.86」不是整数，疑似计量单位有误，未采用" in str(i07.reason)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (0.86, "value_not_integer_slip"),
        (0.123456, "value_not_integer"),
        (3.5, "value_not_integer"),
        (0.0000001, "value_not_integer"),
    ],
)
def test_a_fraction_is_a_slip_only_when_the_larger_unit_makes_it_whole(spec, typed, code):
    from yongji_xls.values.parse import parse_number

    fld = spec.field("online_employment")
    assert parse_number(typed, fld.kind, fld.unit, fld.max, spec.unit_slips.get(fld.unit)).error == code


@pytest.mark.parametrize(("typed", "shown"), [(-1.0, "-1"), (-2.5, "-2.5"), (0.86, "0.86")])
def test_a_float_cell_is_quoted_as_typed(typed, shown):
    from yongji_xls.values.parse import parse_number

    assert parse_number(typed, "count").shown == shown
