"""Tester defect D5: unit A filled unit B's template (the file is named for A, its hidden unit
information says B). It is a conflict naming both units, it never outranks B's own file whatever
its date, and A is 需重报."""

from __future__ import annotations

from helpers import CONTACT, fill_workbook

from yongji_xls import api
from yongji_xls.collect.run import run
from yongji_xls.issues import UnitState

HR = "市人社局"
TAX = "市税务局"
OWN = "19_市税务局_2024年度填报表.xlsx"
MISTAKE = "09_市人社局_2024年度填报表（改）.xlsx"


def _run(spec, templates, tmp_path, own=True):
    folder = tmp_path / "in"
    folder.mkdir()
    if own:
        fill_workbook(
            templates[TAX],
            {"ecommerce_tax": 5200, "total_tax": 128000},
            folder / OWN,
            contact={**CONTACT, "填报日期": "2025-01-10"},
        )
    fill_workbook(  # 人社局's figures typed into 税务局's rows, dated later
        templates[TAX],
        {"ecommerce_tax": 8600, "total_tax": 215000},
        folder / MISTAKE,
        contact={**CONTACT, "填报人": "周强", "填报日期": "2025-01-18"},
    )
    return run(spec, folder, 2024)


def test_another_units_template_never_outranks_the_units_own_file(spec, templates, tmp_path):
    result = _run(spec, templates, tmp_path)
    tax = result.unit_status(TAX)
    assert (tax.used_file, tax.state) == (OWN, UnitState.SUBMITTED)
    assert result.values["ecommerce_tax"] == 5200 and result.values["total_tax"] == 128000
    found = next(i for i in result.report if i.file == MISTAKE and i.code == "file_name_other_unit")
    assert found.severity == "error"
    assert "「市人社局」" in found.message and "「市税务局」" in found.message
    assert "请用本单位模板重新填报" in found.message
    dup = next(i for i in result.report if i.file == MISTAKE and i.code == "duplicate_submission")
    assert f"已采用「{OWN}」" in dup.message and "文件名与模板中的单位一致" in dup.message


def test_the_unit_that_used_another_units_template_is_resubmit(spec, templates, tmp_path):
    result = _run(spec, templates, tmp_path)
    hr = result.unit_status(HR)
    assert (hr.state, hr.files, hr.errors) == (UnitState.RESUBMIT, [MISTAKE], 1)
    assert HR not in {u.unit for u in result.missing_units}
    reminder = api.reminders(result)[HR]
    assert "请用本单位模板重新填报" in reminder and "尚未报送" not in reminder


def test_alone_the_mistaken_file_is_still_read_for_the_template_unit_and_both_must_resubmit(spec, templates, tmp_path):
    result = _run(spec, templates, tmp_path, own=False)
    assert result.unit_status(TAX).used_file == MISTAKE
    assert result.unit_status(TAX).state == UnitState.RESUBMIT
    assert result.unit_status(HR).state == UnitState.RESUBMIT
