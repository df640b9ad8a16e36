"""The reader: exact round trip by key, and one test per message code with the cell it names."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import YEAR
from helpers import (
    CONTACT,
    Formula,
    beside_cell,
    expected_number,
    fill_workbook,
    header_of,
    key_rows,
    locate,
    make_workbook,
    meta_rows,
    random_values,
)

from yongji_xls.records import Submission
from yongji_xls.system.shares import unit_share
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

CCA = "市消费者协会"  # counts, the satisfaction score, criteria, tasks
STATS = "市统计局"  # amounts by year, lists I04/I32/I33/I34
ROUND_TRIP_UNITS = ["市市场监管局", STATS, CCA, "市工科局（市商务局）", "市交通局", "城西街道", "市金融服务中心"]


def read(spec, path: Path, year: int | None = YEAR) -> Submission:
    return read_workbook(spec, path, path.name, year)


def found(sub: Submission, code: str) -> list[tuple[str, str]]:
    return [(i.sheet, i.cell) for i in sub.issues if i.code == code]


BLANK = ("value_blank_needed", "file_unfilled")  # figures left blank, an untouched file: tested on their own


def codes(sub: Submission) -> list[str]:
    """The codes a test's one edit raised (not the blanks of the figures it did not fill)."""
    return [i.code for i in sub.issues if i.code not in BLANK]


SHAPE = (
    "keys_missing",
    "label_changed",
)  # what a hand-made book lacking the template's other rows and labels also gets


def own_codes(sub: Submission) -> list[str]:
    return [c for c in codes(sub) if c not in SHAPE]


@pytest.fixture
def fill(tmp_path: Path, templates: dict[str, Path]):
    """fill(unit, values, **options) -> the filled copy (renamed) of the unit's template."""

    def _fill(unit: str, values: dict[str, Any], name: str = "报送表（最终版）.xlsx", **kw: Any) -> Path:
        kw.setdefault("contact", CONTACT)  # a unit fills in its 单位信息; contact=None leaves it empty
        return fill_workbook(templates[unit], values, tmp_path / name, **kw)

    return _fill


def _edit(path: Path, fn) -> Path:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)
    return path


def _where(path: Path, key: str, header: str = L.H_VALUE) -> tuple[str, str]:
    return locate(openpyxl.load_workbook(path), key, header)


# -- round trip ---------------------------------------------------------------------------------


def _typed_list_row(spec, list_key: str, item: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for col in spec.list_spec(list_key).columns:
        v = item.get(col.name)
        out[col.name] = v.date() if isinstance(v, dt.datetime) else expected_number(v) if col.type == "amount" else v
    return out


def _answer(value: dict[str, Any]) -> tuple:
    done = {"是": True, "否": False}.get(value.get(L.H_DONE))
    return done, value[L.H_NOTE], tuple(value[L.H_EVIDENCE].split("\n"))


@pytest.mark.parametrize("unit", ROUND_TRIP_UNITS)
def test_round_trip_exact(unit: str, spec, fill) -> None:
    share = unit_share(spec, unit, YEAR)
    values = random_values(spec, share, seed=len(unit), list_rows=L.LIST_ROWS + 3)
    extra = {"name": "我的草稿", "rows": [["草稿", 1]]}
    path = fill(unit, values, contact=CONTACT, insert_above=3, reorder=True, extra_sheet=extra, seed=7)
    sub = read(spec, path)
    assert (sub.unit, sub.year, sub.file, sub.readable) == (unit, YEAR, path.name, True)
    assert codes(sub) == ["sheet_ignored"] and found(sub, "sheet_ignored") == [("我的草稿", "")]
    fields = {r.key for r in share.fields}
    assert {k: e.value for k, e in sub.values.items()} == {k: expected_number(values[k]) for k in fields}
    wb = openpyxl.load_workbook(path)
    for key, entry in sub.values.items():
        assert (entry.source.sheet, entry.source.cell) == locate(wb, key, L.H_VALUE) and entry.source.file == path.name
        assert entry.source.unit == unit
    answer_keys = {c.key for c in share.criteria} | {f"{i.key}.note" for i in share.notes}
    assert {k: (a.done, a.note, a.evidence) for k, a in sub.answers.items()} == {
        k: _answer(values[k]) for k in answer_keys
    }
    assert all(a.unit == unit and a.source.file == path.name for a in sub.answers.values())
    for ls in share.lists:
        got = sorted(repr(sorted(r.cells.items())) for r in sub.lists[ls.key])
        assert got == sorted(repr(sorted(_typed_list_row(spec, ls.key, v).items())) for v in values[ls.key])
        assert all(r.unit == unit and r.source.sheet == L.list_sheet_name(ls) for r in sub.lists[ls.key])
    assert set(sub.lists) == {ls.key for ls in share.lists}
    tasks = {k: (t.status, t.progress, t.plan) for k, t in sub.tasks.items()}
    assert tasks == {t.key: tuple(values[t.key][h] for h in (L.H_STATUS, L.H_PROGRESS, L.H_PLAN)) for t in share.tasks}
    assert sub.contact == {"填报人": "张三", "联系电话": "0359-8021234", "分管领导": "李四", "填报日期": "2025-01-20"}
    assert sub.rows_filled == share.rows_asked
    assert sub.digest == hashlib.sha256(path.read_bytes()).hexdigest() and sub.mtime == path.stat().st_mtime
    assert sub.meta["unit"] == unit and sub.meta["year"] == str(YEAR)


def test_empty_template_reads_clean(spec, templates: dict[str, Path]) -> None:
    sub = read(spec, templates["市市场监管局"])
    assert codes(sub) == [] and sub.unit == "市市场监管局"
    assert [i.code for i in sub.issues] == ["file_unfilled"]  # sent back untouched: 未填写 (issue 20)
    assert not (sub.values or sub.answers or sub.lists or sub.tasks or sub.contact) and sub.rows_filled == 0


def test_input_file_untouched(spec, fill) -> None:
    path = fill(CCA, {"complaints_total": "约3000"})
    before, listing = path.read_bytes(), sorted(path.parent.iterdir())
    stat = path.stat()
    read(spec, path)
    assert path.read_bytes() == before and sorted(path.parent.iterdir()) == listing
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


# -- number cells ---------------------------------------------------------------------------------

NUMBER_CASES = [
    ("complaints_total", "约3000", "value_ambiguous", None),
    ("complaints_total", "3000左右", "value_ambiguous", None),
    ("complaints_total", "abc", "value_not_number", None),
    ("complaints_total", -5, "value_negative", None),
    ("complaints_total", 12.5, "value_not_integer", None),
    ("satisfaction_rate", 120, "value_out_of_range", None),
    ("complaints_total", "3,000", "value_text_number", Decimal(3000)),
    ("complaints_total", "１２３", "value_text_number", Decimal(123)),
    ("complaints_total", " 12 ", "value_text_number", Decimal(12)),
    ("satisfaction_rate", 0.965, "value_percent_scaled", Decimal("96.5")),
    ("satisfaction_rate", "96.5%", "value_percent_sign", Decimal("96.5")),
    ("complaints_total", "=B1*2", "value_formula_no_cache", None),  # openpyxl saves no cached value
]


@pytest.mark.parametrize("key,typed,code,stored", NUMBER_CASES)
def test_number_cell(key: str, typed: Any, code: str, stored: Decimal | None, spec, fill) -> None:
    path = fill(CCA, {key: typed, "mediations_total": 7})
    sub = read(spec, path)
    assert codes(sub) == [code]
    assert found(sub, code) == [_where(path, key)]
    assert sub.issues[0].key == key and sub.issues[0].unit == CCA
    assert sub.number(key) == stored and sub.number("mediations_total") == 7


def _small_book(path: Path, rows: list[list[Any]], unit: str = CCA) -> Path:
    return make_workbook(
        path, {L.SHEET_DATA: [[L.KEY_HEADER, L.H_ITEM, L.H_VALUE], *rows], L.SHEET_META: meta_rows(unit)}
    )


def test_error_value_cell(spec, tmp_path: Path) -> None:
    path = _small_book(
        tmp_path / "err.xlsx",
        [["complaints_total", "投诉", Formula("=1/0", "#DIV/0!")], ["mediations_total", "调解", 3]],
    )
    sub = read(spec, path)
    assert own_codes(sub) == ["value_error_cell"] and found(sub, "value_error_cell") == [(L.SHEET_DATA, "C2")]
    assert (
        sub.issues[0].value == "#DIV/0!"
        and "complaints_total" not in sub.values
        and sub.number("mediations_total") == 3
    )


def test_formula_with_cached_value(spec, tmp_path: Path) -> None:
    path = _small_book(tmp_path / "f.xlsx", [["complaints_total", "投诉", Formula("=1+1", 2)]])
    sub = read(spec, path)
    assert own_codes(sub) == ["value_formula"] and found(sub, "value_formula") == [(L.SHEET_DATA, "C2")]
    assert sub.number("complaints_total") == 2


# -- other cells -------------------------------------------------------------------------------------

CHOICE_CASES = [
    (STATS, "I32", "级别", "部级", "value_bad_choice"),
    (STATS, "I32", "日期", "去年春天", "value_bad_date"),
    (STATS, "I04", "达标年度", "今年", "value_bad_year"),
    (STATS, "I10.1", L.H_DONE, "也许", "value_bad_done"),
    (STATS, "T10", L.H_STATUS, "进行中", "value_bad_status"),
]
LIST_ROWS = {
    "I32": {
        "认可事项": "直播电商监管经验",
        "认可形式": "典型经验",
        "认可机关": "省市场监管局",
        "级别": "省级",
        "日期": dt.datetime(2024, 5, 6),
    },
    "I04": {
        "企业名称": "永济某电商公司",
        "统一社会信用代码": "91140881MA0000000X",
        "达标年度": 2024,
        "年度电子商务销售额（万元）": 12000,
    },
}


@pytest.mark.parametrize("unit,key,header,typed,code", CHOICE_CASES)
def test_bad_choice_date_year_done_status(unit: str, key: str, header: str, typed: str, code: str, spec, fill) -> None:
    if key in LIST_ROWS:
        values: dict[str, Any] = {key: [{**LIST_ROWS[key], header: typed}]}
    else:
        values = {key: {header: typed, **({L.H_NOTE: "说明"} if header == L.H_DONE else {L.H_PROGRESS: "进展"})}}
    path = fill(unit, values)
    sub = read(spec, path)
    assert codes(sub) == [code] and found(sub, code) == [_where(path, key, header)]
    if key in LIST_ROWS:
        assert len(sub.lists[key]) == 1 and sub.lists[key][0].cells[header] is None
    elif header == L.H_DONE:
        assert sub.answers[key].done is None and sub.answers[key].note == "说明"
    else:
        assert sub.tasks[key].status == "" and sub.tasks[key].progress == "进展"


def test_list_row_incomplete_is_kept(spec, fill) -> None:
    path = fill(STATS, {"I04": [{"企业名称": "只写了名称的公司"}]})
    sub = read(spec, path)
    assert codes(sub) == ["list_row_incomplete", "list_row_incomplete"]
    assert found(sub, "list_row_incomplete") == [
        _where(path, "I04", "达标年度"),
        _where(path, "I04", "年度电子商务销售额（万元）"),
    ]
    assert [r.cells["企业名称"] for r in sub.lists["I04"]] == ["只写了名称的公司"]


def test_a_template_written_before_issue_19_reads_without_a_warning(spec, fill) -> None:
    """Templates once showed indicator keys (「I04」 in 指标编号, 「清单I32」 as the list sheet and in
    its title): a unit returning one is read as before, its labels and banners not taken for
    text the unit changed or typed."""

    def legacy(wb):
        for ls in spec.lists:
            name = L.list_sheet_name(ls)
            if name in wb.sheetnames:
                ws = wb[name]
                ws.title = L.legacy_list_sheet_name(ls.key)
                for row in ws.iter_rows(max_row=3):
                    for c in row:
                        if isinstance(c.value, str) and c.value.startswith(ls.title):
                            c.value = f"{L.legacy_list_sheet_name(ls.key)} {c.value}"
        for ws in wb.worksheets:
            found = header_of(ws) if ws.title != L.SHEET_INSTRUCTIONS else None
            hrow, cols = found or (None, {})
            if hrow and L.H_INDICATOR in cols:
                for r in range(hrow + 1, ws.max_row + 1):
                    v = ws.cell(r, cols[L.H_INDICATOR]).value
                    if isinstance(v, str) and v:
                        ws.cell(r, cols[L.H_INDICATOR]).value = "、".join(f"I{int(n):02d}" for n in v.split("、"))
        for row in wb[L.SHEET_INSTRUCTIONS].iter_rows():
            for c in row:
                if isinstance(c.value, (int, float)) and c.column == 1 and 1 <= c.value <= 41:
                    c.value = f"I{int(c.value):02d}"
                elif isinstance(c.value, str) and "逐条填报清单" in c.value:
                    for ls in spec.lists:
                        c.value = c.value.replace(L.list_sheet_name(ls), L.legacy_list_sheet_name(ls.key))

    values = {"online_retail@2024": 201800, "I32": [LIST_ROWS["I32"]]}
    path = _edit(fill(STATS, values), legacy)
    assert "清单I32" in openpyxl.load_workbook(path).sheetnames  # the old form, really
    sub, today = read(spec, path), read(spec, fill(STATS, values))

    def said(s):
        return [(i.code, i.cell, i.key) for i in s.issues]

    assert sub.lists["I32"] and sub.values == today.values
    assert said(sub) == said(today) and all(i.code == "value_blank_needed" for i in sub.issues)


def test_rows_inserted_above_the_first_list_row_belong_to_the_list(spec, fill) -> None:
    def insert(wb):
        ws = wb[L.list_sheet_name(spec.list_spec("I32"))]
        hrow, cols = header_of(ws)
        ws.insert_rows(hrow + 1)
        for h, v in LIST_ROWS["I32"].items():
            ws.cell(hrow + 1, cols[h]).value = v

    path = _edit(fill(STATS, {}), insert)
    sub = read(spec, path)
    assert codes(sub) == [] and [r.cells["认可事项"] for r in sub.lists["I32"]] == ["直播电商监管经验"]
    assert sub.lists["I32"][0].source.cell == "B4"


# -- text outside the input area ----------------------------------------------------------------------


def test_text_beside_the_table(spec, fill) -> None:
    path = fill(CCA, {"complaints_total": 10}, beside={"complaints_total": "含去年结转"}, insert_above=2, reorder=True)
    sub = read(spec, path)
    cell = beside_cell(openpyxl.load_workbook(path)[L.SHEET_DATA], "complaints_total")
    assert codes(sub) == ["cell_ignored"] and found(sub, "cell_ignored") == [(L.SHEET_DATA, cell)]
    assert sub.issues[0].value == "含去年结转" and sub.number("complaints_total") == 10


def _above(wb) -> str:
    ws = wb[L.SHEET_DATA]
    ws.insert_rows(header_of(ws)[0])
    return f"D{header_of(ws)[0] - 1}"


def _below(wb) -> str:
    ws = wb[L.SHEET_DATA]
    _, cols = header_of(ws)
    return ws.cell(ws.max_row + 2, cols[L.H_VALUE]).coordinate


def _instructions(wb) -> str:
    return "F3"


@pytest.mark.parametrize(
    "where,sheet", [(_above, L.SHEET_DATA), (_below, L.SHEET_DATA), (_instructions, L.SHEET_INSTRUCTIONS)]
)
def test_text_outside_the_table_is_reported(where, sheet: str, spec, fill) -> None:
    path = fill(CCA, {"complaints_total": 10})
    cells: list[str] = []
    _edit(path, lambda wb: cells.append(where(wb)) or wb[sheet].__setitem__(cells[0], "备注：数据来自台账"))
    sub = read(spec, path)
    assert codes(sub) == ["cell_ignored"] and found(sub, "cell_ignored") == [(sheet, cells[0])]
    assert sub.issues[0].value == "备注：数据来自台账" and sub.number("complaints_total") == 10


def test_done_typed_on_a_note_row_is_reported(spec, fill) -> None:
    unit = "市交通局"
    note = f"{unit_share(spec, unit, YEAR).notes[0].key}.note"
    path = fill(unit, {note: {L.H_DONE: "是", L.H_NOTE: "提供了数据"}})
    sub = read(spec, path)
    assert codes(sub) == ["cell_ignored"] and found(sub, "cell_ignored") == [_where(path, note, L.H_DONE)]
    assert sub.answers[note].note == "提供了数据" and sub.answers[note].done is None


def test_extra_sheets(spec, fill) -> None:
    path = fill(CCA, {}, extra_sheet={"name": "附件", "rows": [["材料清单"]]})
    _edit(path, lambda wb: wb.create_sheet("空白页"))
    sub = read(spec, path)
    assert codes(sub) == ["sheet_ignored"] and found(sub, "sheet_ignored") == [("附件", "")]


# -- the workbook contract ------------------------------------------------------------------------------


def _set_meta(name: str, value: Any):
    def edit(wb):
        for row in wb[L.SHEET_META].iter_rows():
            if row[0].value == name:
                row[1].value = value

    return edit


@pytest.mark.parametrize(
    "edit,code,cell,unit",
    [
        (lambda wb: wb.remove(wb[L.SHEET_META]), "meta_missing", ("", ""), None),
        (_set_meta("unit", "某某局"), "meta_unknown_unit", (L.SHEET_META, "B1"), None),
        (_set_meta("unit", None), "meta_bad", (L.SHEET_META, "B1"), None),
        (_set_meta("year", "二〇二四"), "meta_bad", (L.SHEET_META, "B3"), CCA),
        (_set_meta("year", "2023"), "meta_wrong_year", (L.SHEET_META, "B3"), CCA),
    ],
)
def test_meta_errors_carry_no_values(edit, code: str, cell: tuple[str, str], unit: str | None, spec, fill) -> None:
    path = _edit(fill(CCA, {"complaints_total": 5, "T10": {L.H_STATUS: "推进中"}}, contact=CONTACT), edit)
    sub = read(spec, path)
    assert codes(sub) == [code] and found(sub, code) == [cell] and sub.issues[0].severity == "error"
    assert sub.unit == unit and not (sub.values or sub.answers or sub.lists or sub.tasks)
    assert sub.contact["填报人"] == "张三"


def test_wrong_year_asked(spec, fill) -> None:
    sub = read(spec, fill(CCA, {"complaints_total": 5}), year=YEAR + 1)
    assert codes(sub) == ["meta_wrong_year"] and str(YEAR + 1) in sub.issues[0].message and not sub.values


def test_other_spec_version_is_read_with_a_warning(spec, fill) -> None:
    sub = read(spec, _edit(fill(CCA, {"complaints_total": 5}), _set_meta("spec_version", "2019")))
    assert codes(sub) == ["meta_wrong_version"] and found(sub, "meta_wrong_version") == [(L.SHEET_META, "B4")]
    assert sub.number("complaints_total") == 5


def test_deleted_key_column(spec, fill) -> None:
    path = _edit(
        fill(CCA, {"complaints_total": 5, "T10": {L.H_STATUS: "推进中"}}), lambda wb: wb[L.SHEET_DATA].delete_cols(1)
    )
    sub = read(spec, path)
    assert codes(sub) == ["keycol_missing"] and found(sub, "keycol_missing") == [(L.SHEET_DATA, "")]
    assert not sub.values and sub.tasks["T10"].status == "推进中"


def _set_key(old: str, new: str):
    def edit(wb):
        ws = wb[L.SHEET_DATA]
        ws.cell(key_rows(ws)[old][0], 1).value = new

    return edit


@pytest.mark.parametrize(
    "old,new,code",
    [
        ("complaints_total", "complaints_totl", "key_unknown"),
        ("complaints_total", "online_retail@2024", "key_not_asked"),
        ("mediations_total", "complaints_total", "key_conflict"),
    ],
)
def test_overwritten_key(old: str, new: str, code: str, spec, fill) -> None:
    path = fill(CCA, {"complaints_total": 5, "mediations_total": 9})
    wb = openpyxl.load_workbook(path)
    row = key_rows(wb[L.SHEET_DATA])[old][0]
    cell = (
        f"A{row}"
        if code != "key_conflict"
        else f"{openpyxl.utils.get_column_letter(header_of(wb[L.SHEET_DATA])[1][L.H_VALUE])}{row}"
    )
    sub = read(spec, _edit(path, _set_key(old, new)))
    missing = [i for i in sub.issues if i.code == "keys_missing"]
    assert (
        len(missing) == 1
        and ("网络消费投诉数" if old == "complaints_total" else "网络消费纠纷调解数") in missing[0].message
    )
    assert [c for c in codes(sub) if c not in SHAPE] == [code] and found(sub, code) == [(L.SHEET_DATA, cell)]
    if code == "key_conflict":  # two different figures for one key: neither is taken
        assert "complaints_total" not in sub.values and "5" in sub.issues[0].message and "9" in sub.issues[0].message
        assert found(sub, "label_changed")  # the row's 数据项 no longer matches its key
    else:
        assert "complaints_total" not in sub.values and sub.number("mediations_total") == 9


def test_deleted_input_column(spec, fill) -> None:
    def drop(wb):
        ws = wb[L.SHEET_CRITERIA]
        ws.delete_cols(header_of(ws)[1][L.H_EVIDENCE])

    crit = unit_share(spec, CCA, YEAR).criteria[0].key
    path = _edit(fill(CCA, {crit: {L.H_DONE: "是", L.H_NOTE: "已完成", L.H_EVIDENCE: "文件"}}), drop)
    sub = read(spec, path)
    assert codes(sub) == ["column_missing"] and found(sub, "column_missing") == [(L.SHEET_CRITERIA, "")]
    assert (sub.answers[crit].done, sub.answers[crit].note, sub.answers[crit].evidence) == (True, "已完成", ())


# -- damaged files -------------------------------------------------------------------------------------


def test_truncated_file(spec, fill, tmp_path: Path) -> None:
    data = fill(CCA, {}).read_bytes()
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    sub = read(spec, bad)
    assert codes(sub) == ["file_corrupt"] and not sub.readable and sub.unit is None


def test_xml_entity_declaration(spec, fill, tmp_path: Path) -> None:
    src = fill(CCA, {})
    bad = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            zout.writestr(item, data)
    sub = read(spec, bad)
    assert codes(sub) == ["file_xml_entity"] and not sub.readable


def test_a_far_cell_is_cut_out_and_the_rest_is_read(spec, fill) -> None:
    path = _edit(fill(CCA, {"complaints_total": 5}), lambda wb: wb[L.SHEET_DATA].__setitem__("XFD1048576", "x"))
    sub = read(spec, path)
    assert codes(sub) == ["cells_far_cut"] and found(sub, "cells_far_cut") == [(L.SHEET_DATA, "")]
    assert (
        sub.readable and sub.values["complaints_total"].value == 5
    )  # calamine parsed the vetted bytes without the far cell


def test_same_content_under_another_name(spec, fill, tmp_path: Path) -> None:
    path = fill(CCA, {"complaints_total": 5})
    other = tmp_path / "另存为.xlsx"
    shutil.copyfile(path, other)
    a, b = read(spec, path), read(spec, other)
    assert (
        a.digest == b.digest
        and a.unit == b.unit
        and a.values["complaints_total"].value == b.values["complaints_total"].value
    )
    assert b.values["complaints_total"].source.file == "另存为.xlsx"


def test_contact_missing_names_the_cell(spec, fill) -> None:
    path = fill(CCA, {"complaints_total": 5}, contact=None)
    sub = read(spec, path)
    assert codes(sub) == ["contact_missing"]
    assert [i.severity for i in sub.issues if i.code == "contact_missing"] == ["info"]
    wb = openpyxl.load_workbook(path)
    label = next(c for row in wb[L.SHEET_INSTRUCTIONS].iter_rows() for c in row if c.value == "填报人")
    assert found(sub, "contact_missing") == [
        (L.SHEET_INSTRUCTIONS, wb[L.SHEET_INSTRUCTIONS].cell(label.row, label.column + 1).coordinate)
    ]


def test_note_missing_when_yes_without_explanation(spec, fill) -> None:
    share = unit_share(spec, CCA, YEAR)
    key = share.criteria[0].key
    sub = read(spec, fill(CCA, {key: {L.H_DONE: "是", L.H_NOTE: "", L.H_EVIDENCE: "台账.xlsx"}}))
    assert codes(sub) == ["note_missing"]
    assert found(sub, "note_missing") == [
        (L.SHEET_CRITERIA, locate(openpyxl.load_workbook(sub.path), key, L.H_NOTE)[1])
    ]
