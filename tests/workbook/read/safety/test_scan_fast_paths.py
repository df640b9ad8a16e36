"""Pre-flight's shortcuts (issue 24, ingest) decide exactly as the checks they stand for."""

from __future__ import annotations

import random

from yongji_xls.workbook.read.safety import preflight as P
from yongji_xls.workbook.read.safety.xlsx_scan import _MARK_HINTS, may_have_marks

_FRAGMENTS = [
    b'<c r="A1">',
    b"<v>1</v>",
    b"</c>",
    b"f>",
    b"</f>",
    b"<x:f>",
    b":f>",
    b'"shared"',
    b't="e"',
    b"t=",
    b'e"',
    b"<f",
    b"x",
]


def test_mark_hints_in_three_passes_equal_the_four() -> None:
    rng = random.Random(24)
    seen = set()
    for _ in range(5000):
        data = b"".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 6)))
        expected = any(hint in data for hint in _MARK_HINTS)
        assert may_have_marks(data) == expected, data
        seen.add(expected)
    assert seen == {True, False}


_RELS = (
    b'<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://x/worksheet" Target="/xl/worksheets/other.xml"/></Relationships>'
)
_WB = (
    b'<workbook><sheets><sheet name="&#22635;A" sheetId="1" r:id="rId1"/>'
    b'<sheet name="B" r:id="rId2"/></sheets></workbook>'
)


def test_remembered_parse_equals_a_fresh_one_small_and_large() -> None:
    expected = {"xl/worksheets/sheet1.xml": "填A", "xl/worksheets/other.xml": "B"}
    assert P._sheet_names(_WB, _RELS, "xl") == expected
    assert P._sheet_names(_WB, _RELS, "xl") == expected  # from the memo
    padded = _WB + b" " * (P._MEMO_BYTES + 1)  # too large to be remembered: parsed each time
    assert P._sheet_names(padded, _RELS, "xl") == expected
    result = P._sheet_names(_WB, _RELS, "xl")
    result["changed"] = "x"  # a caller changing its copy does not change the remembered answer
    assert P._sheet_names(_WB, _RELS, "xl") == expected
    types = (
        b'<Types><Override PartName="/xl/book2.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    assert P._workbook_parts(b"", types) == ("xl/workbook.xml", "xl/book2.xml")
    assert P._workbook_parts(b"", types + b" " * P._MEMO_BYTES) == ("xl/workbook.xml", "xl/book2.xml")
