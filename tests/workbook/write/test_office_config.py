"""Another county: `init` writes an editable 单位配置.xlsx, `--config` makes every command follow it,
and a bad configuration is reported row by row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from factories import pdf_text, to_pdf
from helpers import CONTACT, fill_workbook, random_values

from yongji_xls.api import YongjiError, init_office, load_system
from yongji_xls.cli import main
from yongji_xls.system.shares import all_shares
from yongji_xls.workbook.write.office_config import SHEET_GROUPS, SHEET_OFFICE, SHEET_UNITS, split_plan, work_plan

YEAR = 2024
TOWNS = ("猗氏镇", "嵋阳镇", "临晋镇")


def _rows(ws) -> dict[str, int]:
    """unit name -> row number in the 单位 sheet."""
    return {str(ws.cell(r, 2).value): r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value}


def make_linyi(folder: Path) -> Path:
    """临猗县 via `init`, then edited as an office would: its towns, 县工科局 renamed 县工信局,
    and a unit Yongji has no counterpart for (县乡村振兴局, a member of the 联席会议)."""
    result = CliRunner().invoke(main, ["init", str(folder), "--city", "临猗县"])
    assert result.exit_code == 0, result.output
    path = folder / "单位配置.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_UNITS]
    rows = _rows(ws)
    ws.cell(rows["县工科局（县商务局）"], 2).value = "县工信局"
    n = ws.max_row
    for i, town in enumerate(TOWNS, 1):
        ws.append([n + i - 1, town, "", "否", "是"])
    ws.append([n + len(TOWNS), "县乡村振兴局", "乡村振兴局", "是", "否"])
    office = wb[SHEET_OFFICE]
    for r in range(1, office.max_row + 1):
        if office.cell(r, 1).value == "联系人":
            office.cell(r, 2).value = "王五"
    wb.save(path)
    return path


def test_from_yongji_config_gives_the_shipped_system(tmp_path):
    path = init_office(tmp_path, "永济市", from_yongji=True)
    assert load_system(config=path) == load_system()
    with pytest.raises(YongjiError, match="已存在"):
        init_office(tmp_path, "永济市", from_yongji=True)
    other = load_system(config=init_office(tmp_path / "河津", "河津市", from_yongji=True))
    assert other.office["city"] == "河津市" and other.document == "河津市创建全国网络市场监管与服务示范区工作方案"
    assert other.indicator("I36").units_text.startswith("河津市网络市场监管局际联席会议各成员单位、")
    assert other.indicator("I36").units == load_system().indicator("I36").units  # same registry, same shares


def test_derived_config_needs_towns_and_says_so(tmp_path):
    path = init_office(tmp_path, "临猗县")
    with pytest.raises(YongjiError) as e:
        load_system(config=path)
    assert f"单位配置.xlsx 工作表「{SHEET_GROUPS}」第3行：分组「各镇（街道）」没有成员" in e.value.message


def test_config_problems_are_row_precise(tmp_path):
    path = init_office(tmp_path, "永济市", from_yongji=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_UNITS]
    ws.cell(12, 3).value = "市工科局（市商务局）"  # a unit's own name as another unit's alias
    ws.cell(13, 3).value = "市商务局"  # an alias already used further down by 市工科局（市商务局）
    ws.cell(14, 1).value = "十四"
    ws.cell(15, 4).value = "可能"
    office = wb[SHEET_OFFICE]
    office.cell(9, 2).value = "南部"
    wb.save(path)
    with pytest.raises(YongjiError) as e:
        load_system(config=path)
    text = e.value.message
    name13 = ws.cell(13, 2).value
    assert "单位配置.xlsx 工作表「单位」第12行：别名「市工科局（市商务局）」已属于市工科局（市商务局）" in text
    assert f"单位配置.xlsx 工作表「单位」第21行：别名「市商务局」已属于{name13}" in text
    assert f"第14行：「{ws.cell(14, 2).value}」的序号「十四」不是正整数" in text
    assert "第15行：「联席会议成员单位」列应填“是”或“否”，现为「可能」" in text
    assert "工作表「基本信息」第9行：地区类别「南部」无效" in text


def test_unit_named_by_the_system_but_missing_from_the_registry_is_listed(tmp_path):
    path = make_linyi(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_UNITS]
    ws.delete_rows(_rows(ws)["县税务局"])
    wb.save(path)
    with pytest.raises(YongjiError) as e:
        load_system(config=path)
    assert "以下责任单位不在单位名录（单位配置.xlsx）中：市税务局（指标I08、指标I20" in e.value.message


@pytest.fixture(scope="module")
def linyi_templates(tmp_path_factory):
    """临猗县: configured and its templates generated (what the template test needs; no run)."""
    base = tmp_path_factory.mktemp("linyi")
    config = make_linyi(base / "临猗")
    out = base / "模板"
    result = CliRunner().invoke(main, ["templates", "--out", str(out), "--config", str(config)])
    assert result.exit_code == 0, result.output
    return base, config, load_system(config=config), out


@pytest.fixture(scope="module")
def linyi(linyi_templates):
    """临猗县's templates filled (县乡村振兴局 does not return its file) and run."""
    base, config, spec, out = linyi_templates
    returned = base / "报送"
    returned.mkdir()
    templates = {p.name.split("_")[1]: p for p in out.glob("*.xlsx")}
    for n, (unit, share) in enumerate(all_shares(spec, YEAR).items()):
        if unit != "县乡村振兴局":
            fill_workbook(
                templates[unit],
                random_values(spec, share, seed=n, list_rows=1),
                returned / f"{n}.xlsx",
                contact=CONTACT,
            )
    results = base / "结果"
    result = CliRunner().invoke(main, ["run", str(returned), "--out", str(results), "--config", str(config)])
    assert result.exit_code == 0, result.output
    return spec, out, results


def test_second_county_templates_follow_its_registry(linyi_templates):
    _, _, spec, out = linyi_templates
    names = sorted(p.name for p in out.glob("*.xlsx"))
    assert any("_县工信局_" in n for n in names) and any("_县乡村振兴局_" in n for n in names)
    assert {t for t in TOWNS if any(f"_{t}_" in n for n in names)} == set(TOWNS)
    assert not any("永济" in n or "城西街道" in n or "工科局" in n for n in names)
    assert "县乡村振兴局" in spec.indicator("I36").units and "县工信局" in spec.indicator("I01").units
    wb = openpyxl.load_workbook(next(p for p in out.glob("*县工信局*")))
    texts = " ".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "临猗县网络市场监管与服务示范区创建工作领导小组办公室" in texts and "永济" not in texts
    assert "办公室联系人 王五" in texts  # the office's contact from 基本信息


@pytest.mark.slow  # LibreOffice
def test_second_county_outputs_name_the_county_and_its_units(linyi, tmp_path):
    import docx

    _, _, results = linyi
    breakdown = results / "任务分解表_2024年度.xlsx"
    report = results / "自评报告_2024年度.docx"
    assert breakdown.is_file() and report.is_file()
    doc = docx.Document(str(report))
    text = "".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "临猗县创建全国网络市场监管" in text and "运城市市场监督管理局" in text
    assert "县工信局" in text and "临猗县网络市场监管与服务示范区创建工作领导小组办公室" in text
    assert "《临猗县创建全国网络市场监管与服务示范区工作方案》" in text and "永济" not in text
    wb = openpyxl.load_workbook(breakdown, read_only=True)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert any(c.startswith("临猗县创建全国网络市场监管与服务示范区自评得分汇总") for c in cells)
    assert "县工信局" in cells and "猗氏镇" in cells and "县乡村振兴局" in cells
    assert not [c for c in cells if "永济" in c or "市统计局" in c]  # 责任单位 texts read as this county's registry
    assert "县委网信办、县人社局、县文旅局、县工信局、县交通局、县邮政分公司、县市场监管局" in cells  # I07
    pdfs = to_pdf([results.parent / "临猗" / "单位配置.xlsx", report], tmp_path)
    assert "县工信局" in pdf_text(pdfs[0]) and "临猗县" in pdf_text(pdfs[1])


def test_init_from_another_countys_configuration(tmp_path):
    linyi = make_linyi(tmp_path / "临猗")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "万荣"), "--city", "万荣县", "--config", str(linyi)])
    assert result.exit_code == 0, result.output
    spec = load_system(config=tmp_path / "万荣" / "单位配置.xlsx")
    assert spec.office["city"] == "万荣县" and spec.office["superior"] == "运城市市场监督管理局"
    assert spec.groups[1].members == TOWNS and "县工信局" in spec.indicator("I01").units
    assert spec.document == "万荣县创建全国网络市场监管与服务示范区工作方案"


@pytest.mark.slow  # LibreOffice
def test_configuration_resaved_by_libreoffice_still_loads(tmp_path):
    path = make_linyi(tmp_path / "临猗")
    resaved = to_pdf([path], tmp_path, fmt="xlsx")[0]
    assert load_system(config=resaved) == load_system(config=path)


def test_the_work_plan_and_the_formal_rows_are_written_and_read(tmp_path):
    """基本信息 holds the plan's title and 文号 apart, and the optional 公文 rows; Yongji's shipped
    configuration fills the plan and the 印发机关, and the report cites the plan as 公文 do."""
    path = init_office(tmp_path, "永济市", from_yongji=True)
    ws = openpyxl.load_workbook(path)[SHEET_OFFICE]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert rows["工作方案名称"] == "永济市创建全国网络市场监管与服务示范区工作方案"
    assert rows["工作方案文号"] == "永政办发〔2023〕12号"
    assert {"发文字号", "签发人", "抄送", "印发机关", "印发日期"} <= set(rows) and "本县工作方案" not in rows
    assert rows["印发机关"] == "永济市网络市场监管与服务示范区创建工作领导小组办公室"
    spec = load_system(config=path)
    assert work_plan(spec) == ("永济市创建全国网络市场监管与服务示范区工作方案", "永政办发〔2023〕12号")


def test_an_older_configuration_with_one_plan_row_is_split_without_a_word(tmp_path):
    path = init_office(tmp_path, "永济市", from_yongji=True)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_OFFICE]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value in ("工作方案名称", "工作方案文号"):
            ws.delete_rows(r)
    ws.append(["本县工作方案", "永济市创建全国网络市场监管与服务示范区工作方案（永政办发〔2023〕12号）附件2", ""])
    wb.save(path)
    spec = load_system(config=path)  # no problem raised
    assert work_plan(spec) == ("永济市创建全国网络市场监管与服务示范区工作方案", "永政办发〔2023〕12号")


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("××县创建工作方案（×政办发〔2023〕5号）附件2", ("××县创建工作方案", "×政办发〔2023〕5号")),
        ("《××县创建工作方案》（×政发〔2024〕1号）", ("××县创建工作方案", "×政发〔2024〕1号")),
        ("××县创建工作方案", ("××县创建工作方案", "")),
        ("××县创建工作方案（试行）附件2", ("××县创建工作方案（试行）", "")),
        ("", ("", "")),
    ],
)
def test_a_plan_text_splits_into_title_and_number(text, split):
    assert split_plan(text) == split
