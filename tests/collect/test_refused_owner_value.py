"""Tester defect D6: an owner's figure that was refused (「约8600」, a negative count) is said as
refused, with why, wherever the run explains a substitute or a missing figure — never as 「未填报」."""

from __future__ import annotations

from demo_docs import texts
from helpers import CONTACT, fill_workbook, write_outputs

from yongji_xls.collect.run import run
from yongji_xls.issues import Status

STATS = "市统计局"
TRADE = "市工科局（市商务局）"
HR = "市人社局"
SAMR = "市市场监管局"


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def test_a_substitute_for_a_refused_owner_figure_says_the_owner_figure_was_not_accepted(spec, templates, tmp_path):
    folder = _folder(tmp_path)
    stats = {"online_retail@2022": 150000, "online_retail@2023": "约190000", "online_retail@2024": 201800}
    fill_workbook(templates[STATS], stats, folder / "统计局.xlsx", contact=CONTACT)
    fill_workbook(templates[TRADE], {"online_retail@2023": 180000}, folder / "商务局.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    flag = next(i for i in result.report if i.key == "online_retail@2023" and i.file == "商务局.xlsx")
    assert flag.code == "value_from_cross_check_refused"
    assert "主责单位市统计局填报的「约190000」不是确定的数字，未采用" in flag.message
    assert "未填报" not in flag.message
    reasons = {c.key: str(c.reason) for c in result.card.criteria()}
    note = (
        "网上零售额（2023年）采用市工科局（市商务局）填报数（主责单位市统计局填报的「约190000」不是确定的数字，未采用）"
    )
    assert note in reasons["I01@2024"] and note in reasons["I01@2023"]
    assert all("未填报" not in r for r in reasons.values() if "采用" in r)


def test_a_refused_owner_figure_with_no_substitute_is_said_refused_in_reason_and_report(spec, templates, tmp_path):
    folder = _folder(tmp_path)
    hr = {"online_employment": "约8600", "total_employment": 215000}
    fill_workbook(templates[HR], hr, folder / "人社局.xlsx", contact=CONTACT)
    fill_workbook(templates[SAMR], {"procedural_losses": -1}, folder / "市场监管局.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    by_key = {c.key: c for c in result.card.criteria()}
    i07 = by_key["I07"]
    assert i07.status == Status.MISSING and i07.score == 0
    assert str(i07.reason) == (
        "网络市场就业人员数量：主责单位市人社局填报的「约8600」不是确定的数字，未采用，请市人社局改正"
    )
    assert i07.reason.code == "data_refused"
    i18 = by_key["I18.2"]
    assert i18.status == Status.MISSING
    assert "主责单位市市场监管局填报的「-1」是负数，未采用" in str(i18.reason)
    paths = write_outputs(result, tmp_path / "out")
    report = "\n".join(texts(paths["report"]))
    assert "网络市场就业人员数量：主责单位市人社局填报的「约8600」不是确定的数字，未采用" in report
    assert "缺少网络市场就业人员数量" not in report


def test_a_blank_owner_figure_is_still_said_missing(spec, templates, tmp_path):
    folder = _folder(tmp_path)
    fill_workbook(templates[HR], {"total_employment": 215000}, folder / "人社局.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    i07 = next(c for c in result.card.criteria() if c.key == "I07")
    assert str(i07.reason) == "缺少网络市场就业人员数量，请市人社局填报"


def test_a_figure_withheld_for_breaking_its_whole_is_said_refused_not_blank(spec, templates, tmp_path):
    folder = _folder(tmp_path)
    tax = {"ecommerce_tax": 5200000, "total_tax": 128000}  # 520 万元 typed in 元
    fill_workbook(templates["市税务局"], tax, folder / "税务局.xlsx", contact=CONTACT)
    result = run(spec, folder, 2024)
    i08 = next(c for c in result.card.criteria() if c.key == "I08")
    assert i08.status == Status.MISSING
    said = "电子商务纳税额：主责单位市税务局填报的「5200000」大于其所属的总量，未采用，请市税务局改正"
    assert str(i08.reason) == said
