"""The one key grammar: every form parses to its kind, base and year; builders and parsers agree;
the values file and the workbook reader classify keys the same way."""

from __future__ import annotations

import pytest

from yongji_xls.system.keys import (
    Key,
    base_of,
    is_national,
    is_note,
    national_key,
    national_ref_name,
    note_key,
    parse_key,
    split_year,
    with_year,
    year_of,
)
from yongji_xls.system.load import load_spec
from yongji_xls.system.model import key_kind
from yongji_xls.values.json_input import validate_values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("online_retail@2024", Key("field", "online_retail", 2024)),
        ("online_operators", Key("field", "online_operators", None)),
        ("I12", Key("indicator", "I12", None)),
        ("I01@2023", Key("indicator", "I01", 2023)),
        ("I12.1", Key("criterion", "I12.1", None)),
        ("I12.note", Key("note", "I12", None)),
        ("national.online_share@2024", Key("national", "online_share", 2024)),
        ("national.online_share", Key("national", "online_share", None)),
        ("T03", Key("task", "T03", None)),
        (" online_retail@2024 ", Key("field", "online_retail", 2024)),
    ],
)
def test_every_form_parses_to_kind_base_and_year(text, expected):
    assert parse_key(text) == expected


@pytest.mark.parametrize(
    "text", ["", "nonsense.note", "I1.note", "网上零售额", "online_retail@24", "I12.x", "national.@2024", "T3x"]
)
def test_what_follows_no_form_is_not_a_key(text):
    assert parse_key(text) is None


def test_builders_and_parsers_agree():
    assert with_year("online_retail", 2024) == "online_retail@2024" and with_year("x", None) == "x"
    assert split_year("online_retail@2024") == ("online_retail", 2024) and split_year("I12.1") == ("I12.1", None)
    assert base_of("social_retail@2023") == "social_retail" and year_of("I01@2024") == 2024 and year_of("I01") is None
    assert parse_key(note_key("I07")) == Key("note", "I07") and is_note("I07.note") and not is_note("I07.1")
    assert national_key("express_growth", 2024) == "national.express_growth@2024" and is_national(
        national_key("x", 2024)
    )
    assert national_ref_name("national.odr_on_time_rate") == "odr_on_time_rate"
    assert national_ref_name(95) is None and national_ref_name("national.") is None and national_ref_name("95") is None
    assert (
        parse_key("I12.1").indicator == "I12"
        and parse_key("I12.note").indicator == "I12"
        and parse_key("T01").indicator == ""
    )


def test_key_kind_knows_the_system():
    spec = load_spec()
    assert key_kind(spec, "online_retail@2024") == "field"
    assert key_kind(spec, "online_retail") is None  # a series field needs its year
    assert key_kind(spec, "online_operators@2024") is None  # a single figure has none
    assert key_kind(spec, "I12.1") == "criterion" and key_kind(spec, "I12.9") is None
    assert (
        key_kind(spec, "I12.note") == "note"
        and key_kind(spec, "I99.note") is None
        and key_kind(spec, "nonsense.note") is None
    )
    assert key_kind(spec, "I04") == "list" and key_kind(spec, "T01") == "task" and key_kind(spec, "T99") is None


def test_the_values_file_and_the_grammar_agree_on_note_keys():
    """``validate_values`` used to take any key ending in .note; now only an indicator's note row."""
    spec = load_spec()
    values, issues = validate_values(spec, {"nonsense.note": "x", "I99.note": "y", "I12.note": "说明", "T99": "z"})
    assert values == {"I12.note": "说明"}
    assert sorted(i.key for i in issues if i.code == "value_unknown_key") == ["I99.note", "T99", "nonsense.note"]
