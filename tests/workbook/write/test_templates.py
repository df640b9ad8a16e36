"""Generated templates, re-read with openpyxl: sheets, keys, protection, validation, printing."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import DEADLINE, YEAR
from helpers import header_of, key_rows

from yongji_xls.cli import main
from yongji_xls.system.load import load_spec
from yongji_xls.system.model import key_kind
from yongji_xls.system.shares import all_shares, unit_share
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.write.template_writer import template_file_name

UNITS = list(all_shares(load_spec(), YEAR))
EXACT_HEADERS = {
    "数据填报": ("字段键", "指标编号", "数据项", "计量单位", "年度", "角色", "填报值"),
    "评分要点": ("字段键", "指标编号", "三级指标", "评分要点", "分值", "是否完成", "工作情况说明", "佐证材料"),
    "重点任务": ("字段键", "任务编号", "任务名称", "任务内容", "进展状态", "工作进展", "下一步计划"),
}


def _input_headers(spec, key: str, kind: str) -> tuple[str, ...]:
    """Headers under which a row of this key holds what the unit typed."""
    return spec.list_spec(key).headers if kind == "list" else L.INPUT_HEADERS[kind]


@cache
def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _keyed(wb: openpyxl.Workbook) -> list:
    return [ws for ws in wb.worksheets if header_of(ws)]


def test_one_workbook_per_unit_with_safe_names(templates: dict[str, Path]) -> None:
    assert len(templates) == 38
    for unit, path in templates.items():
        assert re.fullmatch(r"\d{2}_.+_2024年度填报表\.xlsx", path.name), path.name
        assert unit in path.name and not re.search(r'[\\/:*?"<>|]', path.name)
        assert path.is_file() and not list(path.parent.glob("*.tmp"))


def test_file_names_safe_on_windows() -> None:
    name = template_file_name(7, 'a/b\\c:d*e?f"g<h>i|j', 2024)
    assert name.startswith("07_a") and name.endswith("_2024年度填报表.xlsx") and not re.search(r'[\\/:*?"<>|]', name)
    long = template_file_name(1, "长" * 300, 2024)
    assert len(long) <= 120 and len(long.encode("utf-8")) <= 255 and long.endswith(".xlsx")


@pytest.mark.parametrize("unit", UNITS)
def test_sheets_meta_and_keys(unit: str, templates: dict[str, Path], spec) -> None:
    wb = _load(templates[unit])
    share = unit_share(spec, unit, YEAR)
    assert wb.sheetnames[0] == L.SHEET_INSTRUCTIONS
    expected = {L.SHEET_INSTRUCTIONS, L.SHEET_META, L.SHEET_LISTS, L.SHEET_CRITERIA, L.SHEET_TASKS}
    expected |= {L.SHEET_DATA} if share.fields else set()
    expected |= {L.list_sheet_name(ls) for ls in share.lists}  # 「清单-新增规模以上网络交易经营者」: no key on a tab
    assert set(wb.sheetnames) == expected
    meta = {r[0]: r[1] for r in wb[L.SHEET_META].iter_rows(values_only=True)}
    assert wb[L.SHEET_META].sheet_state == "hidden" and wb[L.SHEET_LISTS].sheet_state == "hidden"
    assert (meta["unit"], meta["year"], meta["spec_version"], meta["deadline"]) == (
        unit,
        str(YEAR),
        spec.version,
        DEADLINE,
    )
    assert meta["unit_no"] == str(spec.unit(unit).no) and meta["template_version"] and meta["generated_at"]
    keys = set()
    for ws in _keyed(wb):
        rows = key_rows(ws)
        keys |= set(rows)
        lists = {L.list_sheet_name(ls): ls.key for ls in share.lists}
        if ws.title in lists:
            assert set(rows) == {lists[ws.title]} and len(rows[lists[ws.title]]) == L.LIST_ROWS
        else:
            assert all(len(r) == 1 for r in rows.values()), ws.title
    assert keys == share.keys


@pytest.mark.parametrize("unit", UNITS)
def test_headers_exact_and_frozen(unit: str, templates: dict[str, Path], spec) -> None:
    wb = _load(templates[unit])
    for ws in _keyed(wb):
        hrow, _ = header_of(ws)
        headers = tuple(c.value for c in ws[hrow] if c.value)
        lists = {L.list_sheet_name(ls): ls for ls in spec.lists}
        if ws.title in lists:
            assert headers == ("字段键", *lists[ws.title].headers)
        else:
            assert headers == EXACT_HEADERS[ws.title]
        assert ws.freeze_panes == f"A{hrow + 1}"
        assert ws.column_dimensions["A"].hidden


def _inputs(ws, spec) -> set[str]:
    """Cells a unit should type in, by key and header."""
    hrow, cols = header_of(ws)
    out = set()
    for key, rows in key_rows(ws).items():
        kind = key_kind(spec, key)
        for r in rows:
            out |= {ws.cell(r, cols[h]).coordinate for h in _input_headers(spec, key, kind)}
    return out


@pytest.mark.parametrize("unit", UNITS)
def test_protection_only_inputs_unlocked(unit: str, templates: dict[str, Path], spec) -> None:
    wb = _load(templates[unit])
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
        if ws.title == L.SHEET_INSTRUCTIONS:
            labels = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value in L.CONTACT_LABELS}
            assert sorted(labels.values()) == sorted(L.CONTACT_LABELS)
            assert unlocked == {ws.cell(ws[a].row, ws[a].column + 1).coordinate for a in labels}
        elif header_of(ws):
            assert unlocked == _inputs(ws, spec), ws.title
            assert not ws.protection.insertRows and not ws.protection.formatCells  # False = allowed
        else:
            assert not unlocked


def _dv_for(ws, coord: str):
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) == 1, (ws.title, coord)
    return found[0]


@pytest.mark.parametrize("unit", UNITS)
def test_validations(unit: str, templates: dict[str, Path], spec) -> None:
    wb = _load(templates[unit])
    lists = {row[0].value: [c.value for c in row[1:] if c.value] for row in wb[L.SHEET_LISTS].iter_cols()}
    for ws in _keyed(wb):
        _, cols = header_of(ws)
        for key, rows in key_rows(ws).items():
            kind = key_kind(spec, key)
            for header in _input_headers(spec, key, kind):
                dv = _dv_for(ws, ws.cell(rows[0], cols[header]).coordinate)
                assert dv.prompt and dv.promptTitle
                if kind == "field":
                    fk = spec.field(key).kind
                    assert (dv.type, dv.operator) == {
                        "count": ("whole", "greaterThanOrEqual"),
                        "amount": ("decimal", "greaterThanOrEqual"),
                        "score": ("decimal", None),
                    }[fk]  # between is the default
                    assert dv.formula1 == "0" and (fk != "score" or dv.formula2 == "100")
                    assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and "请填写" in dv.error
                elif header in lists:
                    assert dv.type == "list" and dv.formula1.startswith("'_lists'!")
                    col = dv.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
                    assert lists[header] == [c.value for c in wb[L.SHEET_LISTS][col][1:] if c.value]
    assert lists["是否完成"] == ["是", "否"] and lists["进展状态"] == ["未启动", "推进中", "已完成"]
    assert lists["级别"] == ["国家级", "省级", "市级", "县级"] and lists["媒体级别"] == ["国家级", "省部级", "其他"]
    assert lists["类别"] == ["法规", "规章", "规范性文件", "标准"] and lists["认可形式"][0] == "表彰表扬"


@pytest.mark.parametrize("unit", UNITS)
def test_print_setup(unit: str, templates: dict[str, Path]) -> None:
    wb = _load(templates[unit])
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        assert str(ws.page_setup.paperSize) == "9", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        if header_of(ws):
            hrow, _ = header_of(ws)
            assert ws.print_title_rows == f"${hrow}:${hrow}"


def test_instructions_say_what_is_asked(templates: dict[str, Path], spec) -> None:
    unit = "市市场监管局"
    ws = _load(templates[unit])[L.SHEET_INSTRUCTIONS]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for needle in (unit, f"{YEAR}年", DEADLINE, spec.office["name"], "浅黄色", "请勿重命名", ".xlsx", "不带单位"):
        assert needle in text, needle
    share = unit_share(spec, unit, YEAR)
    numbers = [c.value for c in ws["A"] if isinstance(c.value, int)]  # the indicators by number, as 附件2 numbers them
    assert numbers == [i.no for i in share.indicators]
    assert not [c.value for c in ws["A"] if isinstance(c.value, str) and re.fullmatch(r"I\d\d", c.value)]


def test_no_formulas_anywhere(templates: dict[str, Path]) -> None:
    for path in templates.values():
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in zf.read(name), (path.name, name)


def test_cli_templates_resolves_aliases(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["templates", "--out", str(tmp_path), "--unit", "市商务局", "--deadline", "2025/3/31"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["20_市工科局（市商务局）_2024年度填报表.xlsx"]
    meta = dict(openpyxl.load_workbook(next(tmp_path.iterdir()))[L.SHEET_META].iter_rows(values_only=True))
    assert meta["deadline"] == "2025-03-31"


def test_cli_templates_unknown_unit(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "--out", str(tmp_path), "--unit", "市不存在局"])
    assert result.exit_code == 2 and "不在单位名录中" in result.output
    assert not list(tmp_path.iterdir())
