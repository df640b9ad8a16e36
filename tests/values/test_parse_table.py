"""What people type, as a table: number, date, year and yes/no parsing at their boundaries.
Expected values are worked out by hand in the rows themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yongji_xls.values.parse import NO, YES, parse_date, parse_number, parse_year, parse_yes_no


@pytest.mark.parametrize(
    ("typed", "kind", "unit", "value", "error", "note"),
    [
        ("5,200", "amount", "", Decimal("5200"), "", "value_text_number"),  # thousands separators
        ("1,2345", "amount", "", None, "value_not_number", ""),  # not a thousands grouping
        ("１２３", "count", "", Decimal("123"), "", "value_text_number"),  # full-width digits (NFKC)
        ("1\u200b23", "count", "", Decimal("123"), "", "value_invisible_chars"),  # zero-width space from WeChat
        ("100万元", "amount", "万元", Decimal("100"), "", "value_text_number"),  # the field's own unit typed after it
        ("约100", "amount", "", None, "value_ambiguous", ""),
        ("100-200", "amount", "", None, "value_ambiguous", ""),
        ("-1", "amount", "", None, "value_negative", ""),
        ("3.5", "count", "", None, "value_not_integer", ""),
        (2.0, "count", "", Decimal("2"), "", ""),
        (0.1, "amount", "", Decimal("0.1"), "", ""),  # via the float's shortest repr, not 0.1000000000000000055…
        ("12%", "amount", "", None, "value_not_number", ""),  # a percent sign only for scores
        ("#DIV/0!", "amount", "", None, "value_error_cell", ""),
        ("1e999999999", "amount", "", None, "value_implausible", ""),  # bounded before any arithmetic
        (True, "count", "", None, "value_not_number", ""),
        ("", "count", "", None, "", ""),
    ],
)
def test_number_table(typed, kind, unit, value, error, note):
    p = parse_number(typed, kind, unit)
    assert (p.value, p.error, p.note) == (value, error, note)


@pytest.mark.parametrize(
    ("typed", "value", "error", "note"),
    [
        (Decimal("0.96"), Decimal("96.00"), "", "value_percent_scaled"),  # 0 < n <= 1: a fraction in a percent cell
        (1, Decimal("100"), "", "value_percent_scaled"),  # the upper end of the rule is included
        (0, Decimal("0"), "", ""),  # 0 is not scaled (0 < n)
        (Decimal("1.01"), Decimal("1.01"), "", ""),  # just above 1: taken as typed
        ("96%", Decimal("96"), "", "value_percent_sign"),  # a typed percent sign is never scaled again
        ("0.5%", Decimal("0.5"), "", "value_percent_sign"),
        (100, Decimal("100"), "", ""),
        (Decimal("100.01"), None, "value_out_of_range", ""),
    ],
)
def test_satisfaction_score_rule(typed, value, error, note):
    p = parse_number(typed, "score")
    assert (p.value, p.error, p.note) == (value, error, note)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (20000, "value_bad_date"),  # the serial window is open: 20000 < n < 80000
        (20001, dt.date(1954, 10, 4)),  # 1899-12-30 + 20001 days
        (45292, dt.date(2024, 1, 1)),
        ("45292", dt.date(2024, 1, 1)),  # a serial kept as text
        ("20000", "value_bad_date"),  # the same open window for a serial kept as text
        ("20001", dt.date(1954, 10, 4)),
        ("79999", dt.date(2119, 1, 10)),
        ("80000", "value_bad_date"),
        (79999, dt.date(2119, 1, 10)),
        (80000, "value_bad_date"),
        ("2024年6月15日", dt.date(2024, 6, 15)),
        ("2024.6.15", dt.date(2024, 6, 15)),
        ("20250120", dt.date(2025, 1, 20)),
        ("2024年6月", dt.date(2024, 6, 1)),
        ("2024-02-30", "value_bad_date"),
    ],
)
def test_date_table_and_the_excel_serial_window(typed, expected):
    p = parse_date(typed)
    assert (p.error if isinstance(expected, str) else p.value) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (1989, "value_bad_year"),
        (1990, 1990),
        ("2024年", 2024),
        (2024.0, 2024),
        (2100, 2100),
        (2101, "value_bad_year"),
        ("24", "value_bad_year"),
        (dt.date(2023, 5, 1), 2023),
    ],
)
def test_year_floor_and_ceiling(typed, expected):
    p = parse_year(typed)
    assert (p.error if isinstance(expected, str) else p.value) == expected


def test_the_yes_and_no_words():
    assert YES == {"是", "√", "✓", "✔", "☑", "y", "yes", "true", "1", "已完成", "完成", "对", "有"}
    assert NO == {"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "未完成", "无", "没有"}
    assert all(parse_yes_no(w).value is True for w in YES) and all(parse_yes_no(w).value is False for w in NO)
    assert parse_yes_no("ＹＥＳ").value is True and parse_yes_no(" 是 ").value is True  # full-width and spaces
    assert parse_yes_no(1).value is True and parse_yes_no(0.0).value is False
    assert parse_yes_no("是的").error == "value_bad_done" and parse_yes_no("已基本完成").error == "value_bad_done"
    assert parse_yes_no("").value is None and not parse_yes_no("").error
