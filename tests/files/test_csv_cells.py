"""CSV cells never become formulas (DESIGN.md §7): one neutralisation for every CSV the tool writes."""

from __future__ import annotations

import pytest

from yongji_xls.files.csv_cells import neutralise_cell


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_is_neutralised(trigger):
    assert neutralise_cell(f"{trigger}SUM(1)") == f"'{trigger}SUM(1)"


@pytest.mark.parametrize("value", ["永济市统计局.xlsx", " =1", "a=b", "", 3, None, -3])
def test_anything_else_is_left_as_it_is(value):
    assert neutralise_cell(value) == value
