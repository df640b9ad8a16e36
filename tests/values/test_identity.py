"""List identity (DESIGN.md §3): texts compared after NFKC, spaces and case, so the same enterprise
typed with full-width brackets, letters or digits is one item."""

from __future__ import annotations

import pytest

from yongji_xls.values.identity import normalised, row_groups


@pytest.mark.parametrize(
    "a, b",
    [
        ("永济市（某）电子商务有限公司", "永济市(某)电子商务有限公司"),  # full-width brackets
        ("ＡＢＣ电商", "abc电商"),  # full-width letters, case
        ("９１１４０８８１ＭＡ０Ｌ", "91140881MA0L"),  # full-width digits of a credit code
        ("永济 某 公司", "永济某公司"),  # spaces
    ],
)
def test_the_same_text_typed_differently_is_one_identity(a, b):
    assert normalised(a) == normalised(b)


def test_rows_typed_in_full_width_and_half_width_are_one_enterprise():
    rows = [
        {"统一社会信用代码": "９１１４０８８１ＭＡ０Ｌ", "企业名称": "甲公司"},
        {"统一社会信用代码": "91140881MA0L", "企业名称": "甲公司"},
        {"统一社会信用代码": "", "企业名称": "永济市（乙）公司"},
        {"统一社会信用代码": "", "企业名称": "永济市(乙)公司"},
    ]
    ids, conflicts = row_groups(rows, ("统一社会信用代码", "企业名称"))
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2] and conflicts == []


def test_combined_identity_needs_every_column_to_match():
    rows = [
        {"认可事项": "经验做法", "认可机关": "山西省市场监管局"},
        {"认可事项": "经验做法", "认可机关": "山西省市场监督管理局"},
        {"认可事项": "经验做法", "认可机关": "山西省市场监管局 "},
    ]
    ids, _ = row_groups(rows, ("认可事项", "认可机关"), combined=True)
    assert ids[0] != ids[1] and ids[0] == ids[2]
