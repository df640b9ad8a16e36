"""The issues page filters by indicator through the key grammar (``api.indicator_of``), not a
pattern of its own: a criterion or note belongs to its indicator, a data field to every
indicator that reads it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from yongji_xls import api
from yongji_xls.web.views import indicators_of_key


@pytest.mark.parametrize(
    ("key", "indicator"),
    [
        ("I12.1", "I12"),
        ("I07.note", "I07"),
        ("I01@2023", "I01"),
        ("I01", "I01"),
        ("online_retail@2024", ""),
        ("T03", ""),
        ("national.online_retail_growth@2024", ""),
        ("I1.2", ""),
        ("", ""),
    ],
)
def test_a_key_belongs_to_the_indicator_its_grammar_names(key: str, indicator: str) -> None:
    assert api.indicator_of(key) == indicator


def test_a_data_field_belongs_to_every_indicator_that_reads_it(spec) -> None:
    result = SimpleNamespace(spec=spec)
    field = next(f for i in spec.indicators for f in i.fields)
    readers = [i.key for i in spec.indicators if field in i.fields]
    assert indicators_of_key(result, f"{field}@2024") == readers
    assert indicators_of_key(result, "I12.1") == ["I12"]
    assert indicators_of_key(result, "") == []
