"""List identity (DESIGN.md §3): texts compared after NFKC, spaces and case, so the same enterprise
typed with full-width brackets, letters or digits is one item."""

from __future__ import annotations

import pytest
from helpers import CONTACT, fill_workbook
from returned import cell_at

from yongji_xls.collect.run import run
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


YEAR = 2024


I04_ROW = {
    "企业名称": "永济市甲电商有限公司",
    "统一社会信用代码": "91140881MA0XXXXX1A",
    "达标年度": 2024,
    "年度电子商务销售额（万元）": 20000,
}


@pytest.mark.parametrize(
    "second, count",
    [
        (
            {"统一社会信用代码": None, "企业名称": "永济市 甲电商有限公司"},
            1,
        ),  # no code, same normalised name: one enterprise
        ({"统一社会信用代码": "91140881MA0XXXXX1A", "企业名称": "甲电商"}, 1),  # same code: one enterprise
        ({"统一社会信用代码": "91140881MA0YYYYY2B", "企业名称": "永济市乙电商有限公司"}, 2),
    ],
)
def test_i04_identity_follows_the_real_world(spec, templates, tmp_path, second, count):
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(
        templates["市统计局"], {"I04": [I04_ROW, {**I04_ROW, **second}]}, folder / "统计局.xlsx", contact=CONTACT
    )
    result = run(spec, folder, YEAR)
    assert result.card.indicator("I04").score == count


def test_one_name_under_two_codes_is_a_warning(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(
        templates["市统计局"],
        {"I04": [I04_ROW, {**I04_ROW, "统一社会信用代码": "91140881MA0ZZZZZ3C"}]},
        folder / "统计局.xlsx",
        contact=CONTACT,
    )
    result = run(spec, folder, YEAR)
    [warn] = [i for i in result.report if i.code == "list_name_two_codes"]
    assert I04_ROW["企业名称"] in warn.message and "91140881MA0ZZZZZ3C" in warn.message and warn.file == "统计局.xlsx"


def test_i32_identity_is_matter_and_authority_together():
    from yongji_xls.values.identity import row_groups

    rows = [
        {"认可事项": "直播电商监管", "认可机关": "省市场监管局"},
        {"认可事项": "直播电商监管", "认可机关": "国家市场监管总局"},
        {"认可事项": "直播电商监管 ", "认可机关": "省市场监管局"},
    ]
    ids, _ = row_groups(rows, ("认可事项", "认可机关"), combined=True)
    assert ids[0] == ids[2] != ids[1]


def test_template_formats_code_cells_as_text(templates):
    import openpyxl

    wb = openpyxl.load_workbook(templates["市统计局"])
    sheet, cell = cell_at(templates["市统计局"], "I04", "统一社会信用代码")
    assert wb[sheet][cell].number_format == "@"
