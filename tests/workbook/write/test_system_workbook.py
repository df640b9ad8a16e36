"""The indicator system as an editable workbook: export → load is the shipped system, edits in
Excel change templates and scores with no code change, mistakes are named by sheet/row/column,
and `run` refuses templates of another system version."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from factories import pdf_text, to_pdf
from helpers import load_workbook
from scenarios import full_values, without

from yongji_xls.api import YongjiError, load_system
from yongji_xls.cli import main
from yongji_xls.scoring.engine import score
from yongji_xls.system.load import load_spec
from yongji_xls.system.shares import unit_share
from yongji_xls.workbook.write.filler import header_of, key_rows
from yongji_xls.workbook.write.system_workbook import S_CRITERIA, S_INDICATORS, S_INFO, S_LEVELS, S_PASS, S_REGIONS

YEAR = 2024


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("system") / "指标体系.xlsx"
    result = CliRunner().invoke(main, ["system", "export", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _edited(src: Path, dst: Path, *changes: tuple) -> Path:
    """``src`` saved as ``dst`` with each change ``(sheet, key, header, value[, key_header])`` made:
    the cell under ``header`` in the row whose first (or ``key_header``) column is ``key``.

    One parse (shared by the session for the same bytes) and one save for all the changes of a test.
    """
    wb = load_workbook(src)
    for sheet, key, header, value, *key_header in changes:
        ws = wb[sheet]
        heads = {c.value: c.column for c in ws[1]}
        kcol = heads[key_header[0]] if key_header else 1
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, kcol).value == key)
        ws.cell(row, heads[header]).value = value
    wb.save(dst)
    return dst


def _second(second: str, header: str, value) -> tuple:
    return (S_LEVELS, second, header, value, "二级指标")


@pytest.mark.slow  # LibreOffice
def test_export_then_load_is_the_shipped_system(exported, tmp_path):
    loaded = load_system(exported)
    assert loaded == load_spec()
    assert loaded.indicator("I11").description == load_spec().indicator("I11").description
    wb = openpyxl.load_workbook(exported, read_only=True)
    assert {
        "三级指标",
        "评分要点",
        "计分条件",
        "数据项",
        "清单",
        "清单列",
        "合格标准",
        "地区阈值",
        "全国参考值",
        "一级二级指标",
    } <= set(wb.sheetnames)
    rows = list(wb[S_PASS].iter_rows(values_only=True))
    assert rows[1][:2] == ("总分不低于（分）", 85) and rows[2][:2] == ("每个一级指标得分率不低于（%）", 75)
    pdf = to_pdf([exported], tmp_path)[0]
    assert "网上零售额同比增速" in pdf_text(pdf)


def test_pass_rule_80_percent_changes_the_verdict(exported, tmp_path):
    edited = _edited(
        exported,
        tmp_path / "2026.xlsx",
        (S_PASS, "每个一级指标得分率不低于（%）", "数值", 80),
        (S_INFO, "版本", "内容", "2026试行"),
    )
    spec26, spec22 = load_system(edited), load_spec()
    assert spec26.pass_rule.text == "总分≧85分，且每个一级指标得分率≧80%" and spec26.version == "2026试行"
    # 探索创新 loses 5 of 20 points (75 %): enough under the 2022 rule, not under 80 %
    values = without(full_values(), "I28.1", "I28.2", "I28.3")
    values["I34"] = values["I34"][:1]  # one 成果 (2 → 1) ... and I33 loses its 省部级 report
    values["I33"] = values["I33"][:1]
    old, new = score(spec22, values, YEAR, "中部"), score(spec26, values, YEAR, "中部")
    inno = next(f for f in old.first_level if f.name == "探索创新")
    assert (inno.score, inno.max) == (15, 20) and old.total == 95
    assert old.passed and old.levels_ok
    assert not new.passed and not new.levels_ok and new.total_ok and new.total == 95


def test_band_and_regional_thresholds_change_scores(exported, tmp_path):
    edited = _edited(
        exported,
        tmp_path / "band.xlsx",
        (S_INDICATORS, "I03", "区间上限（%）", 12),
        (S_REGIONS, "中部", "阈值（万元）", 13000),
    )
    values = full_values()
    values["online_operators"] = 1300  # 13 % of 10000 market entities
    old, new = score(load_spec(), values, YEAR, "中部"), score(load_system(edited), values, YEAR, "中部")
    assert old.indicator("I03").score == 1 and new.indicator("I03").score == 2
    # I04: sales of 12000 and 15000 万元; only the second reaches a 13000 threshold
    assert old.indicator("I04").score == 2 and new.indicator("I04").score == 1


def test_criterion_points_change_templates_and_scores(exported, tmp_path):
    edited = _edited(
        exported,
        tmp_path / "points.xlsx",
        (S_CRITERIA, "I12.1", "分值", 2),
        (S_INDICATORS, "I12", "分值", 4),
        _second("完善监管", "二级指标分值", 16),
        *(_second(second, "一级指标分值", 26) for second in ("完善监管", "规范执法")),
        (S_CRITERIA, "I34.1", "分值", 1),
        (S_INDICATORS, "I34", "分值", 1),
        _second("创新效果", "二级指标分值", 7),
        *(_second(second, "一级指标分值", 19) for second in ("创新工作", "创新效果")),
    )
    spec = load_system(edited)
    assert spec.criterion("I12.1").points == 2 and spec.max_points == 100
    card = score(spec, without(full_values(), "I12.1"), YEAR, "中部")
    assert card.indicator("I12").score == 2 and card.indicator("I12").max == 4 and card.total == 98
    assert next(f for f in card.first_level if f.name == "规范监管").max == 26
    out = tmp_path / "模板"
    unit = spec.indicator("I12").lead
    result = CliRunner().invoke(main, ["templates", "--out", str(out), "--system", str(edited), "--unit", unit])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    ws = next(ws for ws in wb.worksheets if "I12.1" in key_rows(ws))
    _, cols = header_of(ws)
    assert ws.cell(key_rows(ws)["I12.1"][0], cols["分值"]).value == 2


def test_responsible_units_edit_changes_shares(exported, tmp_path):
    edited = _edited(exported, tmp_path / "units.xlsx", (S_INDICATORS, "I08", "责任单位", "市税务局、市财政局"))
    spec = load_system(edited)
    assert spec.indicator("I08").units == ("市税务局", "市财政局")
    assert "I08.note" in unit_share(spec, "市财政局", YEAR).keys
    assert "I08.note" not in unit_share(load_spec(), "市财政局", YEAR).keys
    out = tmp_path / "模板"
    result = CliRunner().invoke(main, ["templates", "--out", str(out), "--system", str(edited), "--unit", "市财政局"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(next(out.glob("*市财政局*.xlsx")))
    assert any("I08.note" in key_rows(ws) for ws in wb.worksheets)


def test_mistakes_are_named_by_sheet_row_and_column(exported, tmp_path):
    edited = _edited(
        exported,
        tmp_path / "bad.xlsx",
        (S_INDICATORS, "I05", "分值", "两分"),
        (S_INDICATORS, "I03", "规则类型", "ratio_bands"),
        (S_CRITERIA, "I12.1", "分值", 2),
        (S_PASS, "总分不低于（分）", "数值", "八十五"),
    )
    with pytest.raises(YongjiError) as e:
        load_system(edited)
    text = e.value.message
    assert "bad.xlsx 工作表「三级指标」第6行「分值」列（G6）：「两分」不是整数。请填写整数" in text
    assert "bad.xlsx 工作表「三级指标」第4行「规则类型」列（M4）：规则类型「ratio_bands」不存在" in text
    assert "bad.xlsx 工作表「合格标准」第2行「总分不低于（分）」列（B2）：「八十五」不是数字" in text
    fixed = _edited(exported, tmp_path / "sum.xlsx", (S_CRITERIA, "I12.1", "分值", 2))
    with pytest.raises(YongjiError) as e:
        load_system(fixed)
    assert "sum.xlsx 工作表「三级指标」第13行：指标I12各评分要点分值之和4不等于指标分值3" in e.value.message


@pytest.mark.parametrize("typed", ["Infinity", "1e999999999", "-1E+40"])
def test_a_number_no_one_means_is_named_not_computed(exported, tmp_path, typed):
    """Decimal reads these; int() of the second would run for hours, of the first it overflows."""
    edited = _edited(exported, tmp_path / "bad.xlsx", (S_PASS, "总分不低于（分）", "数值", typed))
    with pytest.raises(YongjiError) as e:
        load_system(edited)
    assert f"bad.xlsx 工作表「合格标准」第2行「总分不低于（分）」列（B2）：「{typed}」不是数字" in e.value.message


def test_run_refuses_templates_of_another_system_version(exported, tmp_path):
    edited = _edited(
        exported,
        tmp_path / "2026.xlsx",
        (S_INFO, "版本", "内容", "2026"),
        (S_PASS, "每个一级指标得分率不低于（%）", "数值", 80),
    )
    runner = CliRunner()
    folder = tmp_path / "报送"
    result = runner.invoke(
        main,
        ["templates", "--out", str(folder), "--system", str(edited), "--unit", "市税务局", "--unit", "市邮政分公司"],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["run", str(folder), "--out", str(tmp_path / "旧")])
    assert result.exit_code == 1
    assert "版本「2026」" in result.output and "当前指标体系" in result.output and "版本「2022」" in result.output
    assert not (tmp_path / "旧" / "scores.json").exists()
    result = runner.invoke(main, ["run", str(folder), "--out", str(tmp_path / "新"), "--system", str(edited)])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "新" / "scores.json").read_text("utf-8"))
    assert doc["spec_version"] == "2026" and doc["system"]["version"] == "2026"
    assert (
        doc["system"]["pass_rule"]["first_level_rate_min"] == 80
        and doc["county"] == "永济市"
        and doc["prefecture"] == "运城市"
    )
    assert "≧80%" in doc["pass_rule"]["text"]
    import docx

    report = next((tmp_path / "新").glob("*自评报告*.docx"))
    text = "".join(p.text for p in docx.Document(str(report)).paragraphs)
    assert "每个一级指标得分率不低于80%" in text and "版本" not in text  # the edited rule, no spec field


def test_the_two_workbooks_are_not_confused(exported, tmp_path):
    from yongji_xls.api import init_office

    config = init_office(tmp_path, "永济市", from_yongji=True)
    with pytest.raises(YongjiError, match="是单位配置表，不是指标体系工作簿。请用 --config"):
        load_system(config)
    with pytest.raises(YongjiError, match="是指标体系工作簿，不是单位配置表。请用 --system"):
        load_system(config=exported)
    result = CliRunner().invoke(main, ["spec", "--system", str(tmp_path / "无此文件夹")])
    assert result.exit_code == 2 and "不存在" in result.output


def test_a_system_with_fewer_levels_is_a_data_edit(exported, tmp_path):
    """2026-style: no second level. The office repeats each first-level name as its only second level."""
    edited = tmp_path / "two.xlsx"
    wb = load_workbook(exported)
    levels = wb[S_LEVELS]
    firsts = list(dict.fromkeys((r[0], r[1]) for r in levels.iter_rows(min_row=2, values_only=True) if r[0]))
    levels.delete_rows(2, levels.max_row)
    for name, points in firsts:
        levels.append([name, points, name, points])
    ws = wb[S_INDICATORS]
    heads = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        ws.cell(r, heads["二级指标"]).value = ws.cell(r, heads["一级指标"]).value
    wb.save(edited)
    spec = load_system(edited)
    assert [s.name for s in spec.second_levels] == [f.name for f in spec.first_levels]
    card = score(spec, without(full_values(), "I12.1"), YEAR, "中部")
    assert card.total == 99 and [s.max for s in card.second_level] == [20, 25, 20, 20, 15]


@pytest.mark.slow  # LibreOffice
def test_system_workbook_resaved_by_libreoffice_still_loads_equal(exported, tmp_path):
    from factories import to_pdf as convert

    resaved = convert([exported], tmp_path, fmt="xlsx")[0]
    assert resaved.read_bytes() != exported.read_bytes()
    assert load_system(resaved) == load_spec()
