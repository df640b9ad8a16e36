"""The formula/error scan of sheet XML, including the shapes its fast path must not miss."""

from __future__ import annotations

import pytest

from yongji_xls.workbook.read.safety.xlsx_scan import scan_sheet_xml

WRAP = (
    b"<worksheet><sheetData><row "
    b'r="1">%s</row></sheetData><dataValidations><dataValidation><formula1>1</formula1></dataValidation></dataVa'
    b"lidations></worksheet>"
)


@pytest.mark.parametrize(
    ("cell", "formula", "cached", "error"),
    [
        (b'<c r="B1"><f>1+1</f><v>2</v></c>', True, True, ""),
        (b'<c r="B1"><f>A1/0</f></c>', True, False, ""),
        (b'<c r="B1"><f t="shared" si="0"/><v>3</v></c>', True, True, ""),  # self-closing shared formula
        (b'<x:c r="B1"><x:f>1+1</x:f><x:v>2</x:v></x:c>', True, True, ""),  # prefixed markup
        (b'<c r="B1" t="e"><v>#DIV/0!</v></c>', False, True, "#DIV/0!"),
    ],
)
def test_marks_found(cell, formula, cached, error):
    marks = scan_sheet_xml(WRAP % cell).marks
    assert set(marks) == {(0, 1)}
    m = marks[(0, 1)]
    assert (m.formula, m.cached, m.error) == (formula, cached, error)


def test_plain_sheet_takes_the_fast_path():
    # <formula1> of a data validation is not a formula cell
    assert scan_sheet_xml(WRAP % b'<c r="B1" t="s"><v>0</v></c><c r="C1"><v>5</v></c>').marks == {}
