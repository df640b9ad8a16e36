"""The consistency checks of a built system: points that do not add up are refused whichever way
they miss (DESIGN.md §8: loading checks everything)."""

from __future__ import annotations

import copy

import pytest

from yongji_xls.system.load import SpecError, build_spec, read_system


def _i12(edit) -> dict:
    raw = copy.deepcopy(read_system(None))
    ind = next(i for i in raw["indicators"]["indicators"] if i["key"] == "I12")
    edit(ind)
    return raw


def _raise_first(ind: dict) -> None:
    ind["criteria"][0]["points"] = 2


def _drop_last(ind: dict) -> None:
    del ind["criteria"][-1]


@pytest.mark.parametrize("edit, total", [(_drop_last, 2), (_raise_first, 4)], ids=["below", "above"])
def test_criteria_that_do_not_add_up_to_the_indicator_are_refused(edit, total):
    # I12 is worth 3 points in three criteria of 1: without the last they sum to 2, with the first at 2 to 4
    with pytest.raises(SpecError) as e:
        build_spec(_i12(edit))
    sums = [p for p in e.value.problems if p.code == "criteria_points_sum"]
    assert [p.params for p in sums] == [{"indicator": "I12", "total": total, "points": 3}]


def test_the_shipped_points_add_up():
    spec = build_spec(read_system(None))  # a criteria sum that did not add up would raise SpecError
    assert spec.max_points == 100 and len(spec.indicators) == 41
