"""Numbers as people type them: bounded work and a plausibility range per field (DESIGN.md §7)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from yongji_xls.values.parse import parse_number


@pytest.mark.parametrize("text", ["1e400", "1e999999999", "1e-999999999", "9" * 39])
def test_absurd_magnitude_is_an_error_not_a_hang(text):
    t = time.perf_counter()
    p = parse_number(text, "count", maximum=Decimal(10**7))
    assert time.perf_counter() - t < 2  # a hang never ends; a slow CI machine is not a hang
    assert p.error in ("value_implausible", "value_not_number") and p.value is None


def test_plausibility_range_comes_from_the_field(spec):
    f = spec.field("social_retail")
    assert f.max == Decimal(100000000)  # fields.yaml max_by_unit 万元
    assert parse_number("100000001", f.kind, f.unit, f.max).error == "value_implausible"
    assert parse_number("99999999", f.kind, f.unit, f.max).value == Decimal(99999999)
    assert spec.field("total_tax").max == Decimal(20000000)  # its own max wins over the unit's
