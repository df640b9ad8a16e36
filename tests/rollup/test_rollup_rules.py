"""The rollup judges a county read from its breakdown workbook by the pass rule of the system data
(the first-level rate at or above the line passes), never by reading it back out of a sentence."""

from __future__ import annotations

from fractions import Fraction

import pytest

from yongji_xls.rollup.collect import first_level_rows


@pytest.mark.parametrize(
    "score, passed",
    [(Fraction(15), True), (Fraction(1499, 100), False), (Fraction(16), True)],
    ids=["at the line", "just under", "above"],
)
def test_a_first_level_rate_at_the_line_passes(score, passed):
    [row] = first_level_rows({"促进发展": [score, Fraction(20)]}, Fraction(3, 4))  # 15/20 = 75 %
    assert row["passed"] is passed and row["name"] == "促进发展"


def test_the_line_is_the_systems_not_a_fixed_75():
    [row] = first_level_rows({"促进发展": [Fraction(15), Fraction(20)]}, Fraction(4, 5))  # the 2026 rule: 80 %
    assert row["passed"] is False and row["rate"] == 75.0


def test_a_level_without_points_does_not_pass():
    assert first_level_rows({"空": [Fraction(0), Fraction(0)]}, Fraction(3, 4))[0]["passed"] is False
