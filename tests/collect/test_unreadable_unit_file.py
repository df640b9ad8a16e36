"""Tester defect D4: a unit whose only returned file cannot be read (a password, a .csv saved from
the template) sent something: it is 需重报 with the reason and the fix, recognised by the file
name, in the CLI summary, the 催报 text, the breakdown's 报送情况 and the internal brief."""

from __future__ import annotations

import csv
import io

import openpyxl
from demo_docs import texts
from helpers import CONTACT, fill_workbook, write_outputs

from yongji_xls import api
from yongji_xls.collect.run import run
from yongji_xls.issues import UnitState

HR = "市人社局"
TAX = "市税务局"
HR_VALUES = {"online_employment": 8600, "total_employment": 215000}


def _folder(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    fill_workbook(templates[TAX], {"ecommerce_tax": 5200, "total_tax": 128000}, folder / "税务局.xlsx", contact=CONTACT)
    return folder


def _encrypted(templates, folder, name):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = fill_workbook(templates[HR], HR_VALUES, folder.parent / "plain.xlsx", contact=CONTACT)
    out = io.BytesIO()
    with plain.open("rb") as f:
        OOXMLFile(f).encrypt("123456", out)
    (folder / name).write_bytes(out.getvalue())


def _csv(templates, folder, name):
    plain = fill_workbook(templates[HR], HR_VALUES, folder.parent / "plain.xlsx", contact=CONTACT)
    ws = openpyxl.load_workbook(plain)["数据填报"]
    with open(folder / name, "w", newline="", encoding="gbk") as fh:
        writer = csv.writer(fh)
        for row in ws.iter_rows(values_only=True):
            writer.writerow(["" if x is None else x for x in row])


def _resubmit_everywhere(result, tmp_path, file, code, said, fix):
    status = result.unit_status(HR)
    assert status.state == UnitState.RESUBMIT and status.files == [file] and status.errors == 1
    assert HR not in {u.unit for u in result.missing_units}
    assert not [i for i in result.report if i.code == "unit_not_submitted" and i.unit == HR]
    found = next(i for i in result.report if i.file == file)
    assert (found.code, found.severity) == (code, "error") and said in found.message and fix in found.message
    assert found.unit == HR
    summary = api.run_summary_lines(result)
    assert "需重报1个" in summary[0] and not any(HR in line for line in summary[1:3])
    reminder = api.reminders(result)[HR]
    assert said in reminder and fix in reminder and "尚未报送" not in reminder
    paths = write_outputs(result, tmp_path / "out")
    sheet = openpyxl.load_workbook(paths["breakdown"])["报送情况"]
    row = next(r for r in sheet.iter_rows(values_only=True) if HR in r)
    assert "需重报" in row and any(said in str(c) for c in row if c)
    brief = "\n".join(texts(paths["brief"]))
    assert said in brief and fix in brief


def test_a_unit_whose_only_file_has_a_password_is_resubmit_with_the_fix(spec, templates, tmp_path):
    folder = _folder(spec, templates, tmp_path)
    _encrypted(templates, folder, "09_市人社局_2024年度填报表.xlsx")
    result = run(spec, folder, 2024)
    _resubmit_everywhere(
        result,
        tmp_path,
        "09_市人社局_2024年度填报表.xlsx",
        "file_encrypted",
        "文件设有打开密码",
        "请取消密码后另存为.xlsx重新报送",
    )


def test_a_unit_whose_only_file_is_a_csv_is_resubmit_with_the_fix(spec, templates, tmp_path):
    folder = _folder(spec, templates, tmp_path)
    _csv(templates, folder, "09_市人社局_数据.csv")
    result = run(spec, folder, 2024)
    assert not [i for i in result.report if i.code == "file_csv"]
    _resubmit_everywhere(
        result, tmp_path, "09_市人社局_数据.csv", "file_csv_unit", ".csv不能保留模板结构", "请在模板中填写并保存为.xlsx"
    )


def test_a_file_named_for_no_unit_or_for_two_leaves_the_units_unattributed(spec, templates, tmp_path):
    folder = _folder(spec, templates, tmp_path)
    _encrypted(templates, folder, "新建 Microsoft Excel 工作表.xlsx")
    _csv(templates, folder, "市人社局和市统计局.csv")
    result = run(spec, folder, 2024)
    assert result.unit_status(HR).state == UnitState.NOT_SUBMITTED
    assert result.unit_status("市统计局").state == UnitState.NOT_SUBMITTED
    assert {i.code for i in result.report if i.file.endswith(".csv")} == {"file_csv"}


def test_an_unreadable_copy_beside_the_units_good_file_does_not_change_its_state(spec, templates, tmp_path):
    folder = _folder(spec, templates, tmp_path)
    fill_workbook(templates[HR], HR_VALUES, folder / "人社局.xlsx", contact=CONTACT)
    _encrypted(templates, folder, "09_市人社局_加密.xlsx")
    result = run(spec, folder, 2024)
    status = result.unit_status(HR)
    assert (status.state, status.used_file) == (UnitState.SUBMITTED, "人社局.xlsx")


def test_the_figures_of_an_unreadable_file_are_said_unreadable_not_missing(spec, templates, tmp_path):
    """The indicator's reason says the unit's file could not be read, never that the unit left the
    figure blank (「缺少…，请市人社局填报」): it did send it."""
    folder = _folder(spec, templates, tmp_path)
    _encrypted(templates, folder, "09_市人社局_2024年度填报表.xlsx")
    result = run(spec, folder, 2024)
    asked = [i for i in spec.indicators if any(f in ("online_employment", "total_employment") for f in i.fields)]
    assert asked
    for ind in asked:
        reason = str(result.card.indicator(ind.key).reason)
        assert "「09_市人社局_2024年度填报表.xlsx」文件无法读取，未采用" in reason, reason
        assert "缺少" not in reason and "未填报" not in reason, reason
        assert reason.count("文件无法读取") == 1, reason  # two figures of one file: said once
