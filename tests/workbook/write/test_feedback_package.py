"""Feedback workbooks patched into the unit's rendered template package (issue 24) against the
template writer filling a fresh template (the writer before issue 24, kept as the reference):
read back by the project's reader value by value and issue by issue, and opened by openpyxl
cell by cell (value, fill, number format, lock, comment), row heights, validations, merges,
protection, filters and the comment boxes' anchors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import CONTACT, fill_workbook, random_values, submission_content
from lxml import etree

from yongji_xls.collect.read import read_one
from yongji_xls.collect.run import run
from yongji_xls.system.shares import unit_share
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.write import package as P
from yongji_xls.workbook.write.feedback import feedback_jobs, write_one

YEAR = 2024
FAULTS = {  # unit -> what it typed wrong (warnings and errors of every placement kind)
    "市市场监管局": {"online_operators": "约3000", "market_entities": "38,200"},
    "市税务局": {"ecommerce_tax": "6OO"},
    "市工科局（市商务局）": {},
    "城西街道": {},
    "市邮政分公司": {"express_volume@2024": -5},
    "市统计局": {},
    "市消费者协会": {},
}


def _describe(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out: dict = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        cells = {
            c.coordinate: (
                c.value,
                c.fill.fgColor.rgb,
                c.number_format,
                c.protection.locked,
                c.alignment.wrap_text,
                c.comment.text if c.comment else None,
            )
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.has_style
        }
        out[ws.title] = (
            cells,
            {r: d.height for r, d in ws.row_dimensions.items() if d.height},
            {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
            sorted((str(v.sqref), v.type, v.formula1, v.prompt, v.error) for v in ws.data_validations.dataValidation),
            sorted(str(m) for m in ws.merged_cells.ranges),
            (ws.protection.sheet, ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows),
        )
    return out


def _anchors(path: Path) -> dict[str, list[str]]:
    where = re.compile(r"margin-left:[^;]*;margin-top:[^;]*|<x:Anchor>[^<]*|<x:Row>\d+|<x:Column>\d+")
    with zipfile.ZipFile(path) as z:
        return {n: where.findall(z.read(n).decode()) for n in z.namelist() if n.endswith(".vml")}


def _read_back(spec, path: Path) -> tuple:
    sub = read_one(spec, path, path.name, YEAR)
    meta = {k: v for k, v in sub.meta.items() if k != "generated_at"}
    return (
        *submission_content(sub),
        dict(sub.rejected),
        meta,
        [(i.code, i.severity, i.sheet, i.cell, i.key, i.message) for i in sub.issues],
    )


def _both(result, out: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for name, sub, issues in feedback_jobs(result):
        old, new = out / "writer" / name, out / "patched" / name
        old.parent.mkdir(parents=True, exist_ok=True)
        new.parent.mkdir(parents=True, exist_ok=True)
        write_one(result, sub, issues, old, patched=False)
        write_one(result, sub, issues, new)
        pairs.append((old, new))
    return pairs


@pytest.fixture(scope="module")
def pairs(spec, templates, tmp_path_factory):
    """A first-round folder (faults of every kind, a list longer than the template, no contact
    line in one unit) and both writers' feedback workbooks for it."""
    folder = tmp_path_factory.mktemp("pkg-in")
    for n, (unit, faults) in enumerate(FAULTS.items()):
        share = unit_share(spec, unit, YEAR)
        values = random_values(spec, share, seed=n, list_rows=L.LIST_ROWS if unit == "市工科局（市商务局）" else 3)
        values.update(faults)
        if share.criteria:
            c = share.criteria[0]
            values[c.key] = {L.H_DONE: "是", L.H_NOTE: "已落实", L.H_EVIDENCE: ""}  # 是 without material
        fill_workbook(templates[unit], values, folder / f"{unit}.xlsx", contact=None if n % 2 else CONTACT)
    result = run(spec, folder, YEAR)
    return result, _both(result, tmp_path_factory.mktemp("pkg-out"))


def test_every_unit_of_the_set_gets_a_patched_workbook(pairs):
    result, written = pairs
    assert len(written) == len(FAULTS) and all(new.stat().st_size > 10_000 for _, new in written)


def test_patched_reads_back_as_the_writer_fills_it(spec, pairs):
    _, written = pairs
    for old, new in written:
        assert _read_back(spec, new) == _read_back(spec, old), new.name


def test_patched_opens_cell_by_cell_as_the_writer_fills_it(pairs):
    _, written = pairs
    for old, new in written:
        assert _describe(new) == _describe(old), new.name
        assert _anchors(new) == _anchors(old), new.name


def test_every_part_is_well_formed_xml_and_the_zip_is_sound(pairs):
    _, written = pairs
    for _, new in written:
        with zipfile.ZipFile(new) as z:
            assert z.testzip() is None
            names = z.namelist()
            for name in names:
                if name.endswith((".xml", ".rels", ".vml")):
                    etree.fromstring(z.read(name))
            types = z.read("[Content_Types].xml").decode()
            for comments in (n for n in names if re.fullmatch(r"xl/comments\d+\.xml", n)):
                assert f'PartName="/{comments}"' in types
            assert ("xl/drawings/vmlDrawing1.vml" in names) == ("xl/comments1.xml" in names)
            sst = z.read("xl/sharedStrings.xml").decode()
            refs = sum(z.read(n).decode().count(' t="s"') for n in names if n.startswith("xl/worksheets/sheet"))
            counts = re.search(r' count="(\d+)" uniqueCount="(\d+)"', sst)
            assert counts is not None and (int(counts[1]), int(counts[2])) == (refs, sst.count("<si>"))


CONTROL = "开头\x01\x02中间\x1f结尾\x0b换行\r回车\ufffe"  # the reader cleans these; the writers must too
HOSTILE = {
    "long": "长" * 40_000,  # Excel keeps 32,767 characters
    "exact": "满" * 32_767,
    "formula": "=cmd|' /C calc'!A0",
    "escape": "_x0041_ 与 _x005F_",
    "spaces": "  前后空格  ",
    "markup": "<b>&amp;</b> \"引号\" 'x'",
}


def test_hostile_text_numbers_and_dates_read_back_as_from_the_writer(spec, templates, tmp_path):
    unit = "市市场监管局"
    share = unit_share(spec, unit, YEAR)
    values = random_values(spec, share, seed=3)
    fields = [f.key for f in share.fields if f.field.kind == "count"]
    values[fields[0]] = 10**20  # more digits than Excel keeps: stays text
    values[fields[1]] = "约3000"  # a warning, so the unit gets a workbook
    values[fields[2]] = 999_999_999_999_999
    contact = {**CONTACT, "填报日期": dt.datetime(2024, 2, 29, 13, 45)}
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    fill_workbook(templates[unit], values, in_dir / "监管局.xlsx", contact=contact)
    result = run(spec, in_dir, YEAR)
    sub = result.submissions[0]
    for c, text in zip(share.criteria, [*HOSTILE.values(), CONTROL]):  # as accepted, whatever the reader allows
        sub.answers[c.key] = dataclasses.replace(sub.answers[c.key], done=True, note=text)
    [(old, new)] = _both(result, tmp_path / "out")
    assert _read_back(spec, new) == _read_back(spec, old)
    assert _describe(new) == _describe(old)
    back = read_one(spec, new, new.name, YEAR)
    notes = {a.note for a in back.answers.values()}
    assert {"满" * 32_767, "=cmd|' /C calc'!A0", "_x0041_ 与 _x005F_", "<b>&amp;</b> \"引号\" 'x'"} <= notes
    assert "开头中间结尾\n换行\r回车" in notes or "开头中间结尾\n换行\n回车" in notes
    assert "长" * 32_767 in notes and back.contact["填报日期"] == result.submissions[0].contact["填报日期"]
    wb = openpyxl.load_workbook(new)
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)  # text stays text


def test_text_that_looks_like_rich_text_stays_text(spec, templates, tmp_path):
    """xlsxwriter passes a string between <r> and </r> through unescaped (a broken workbook);
    the patcher escapes every text."""
    unit = "市税务局"
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    fill_workbook(templates[unit], {"total_tax": "<r>x</r>", "ecommerce_tax": 5}, in_dir / "税务.xlsx")
    result = run(spec, in_dir, YEAR)
    [(name, sub, issues)] = feedback_jobs(result)
    path = write_one(result, sub, issues, tmp_path / name)
    back = read_one(spec, path, path.name, YEAR)
    assert back.rejected.get("total_tax") == "<r>x</r>" or back.values["total_tax"].value == "<r>x</r>"


# -- the package and its cache ---------------------------------------------------------------
def _one_job(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    fill_workbook(templates["市税务局"], {"total_tax": 10000, "ecommerce_tax": "6OO"}, in_dir / "税务.xlsx")
    result = run(spec, in_dir, YEAR)
    [job] = feedback_jobs(result)
    return result, job


def test_the_package_is_rendered_once_and_then_read_from_the_cache(spec, templates, tmp_path, monkeypatch):
    monkeypatch.setenv("YONGJI_XLS_CACHE", str(tmp_path / "cache"))
    result, (name, sub, issues) = _one_job(spec, templates, tmp_path)
    renders = []
    real = P.render
    monkeypatch.setattr(P, "render", lambda *a: renders.append(a) or real(*a))
    spec.derived._made.clear()
    write_one(result, sub, issues, tmp_path / "a.xlsx")
    write_one(result, sub, issues, tmp_path / "b.xlsx")  # same process: kept in memory
    assert len(renders) == 1 and len(list((tmp_path / "cache" / "packages").glob("*.pickle"))) == 1
    spec.derived._made.clear()  # a new run: read from disk
    write_one(result, sub, issues, tmp_path / "c.xlsx")
    assert len(renders) == 1
    assert _read_back(spec, tmp_path / "c.xlsx") == _read_back(spec, tmp_path / "a.xlsx")


def test_a_damaged_cache_file_is_rendered_again(spec, templates, tmp_path, monkeypatch):
    monkeypatch.setenv("YONGJI_XLS_CACHE", str(tmp_path / "cache"))
    result, (name, sub, issues) = _one_job(spec, templates, tmp_path)
    spec.derived._made.clear()
    write_one(result, sub, issues, tmp_path / "a.xlsx")
    [cached] = (tmp_path / "cache" / "packages").glob("*.pickle")
    cached.write_bytes(b"not a pickle")
    spec.derived._made.clear()
    write_one(result, sub, issues, tmp_path / "b.xlsx")
    assert _read_back(spec, tmp_path / "b.xlsx") == _read_back(spec, tmp_path / "a.xlsx")
    assert cached.read_bytes() != b"not a pickle"


def test_another_deadline_is_another_package(spec):
    share = unit_share(spec, "市税务局", YEAR)
    assert P._digest(spec, share, YEAR, "2025-01-10", {}) != P._digest(spec, share, YEAR, "2025-01-11", {})
    assert P._digest(spec, share, YEAR, "", {}) != P._digest(spec, share, YEAR, "", {"I32": 30})


def test_a_package_the_patcher_does_not_know_falls_back_to_the_writer(spec, templates, tmp_path, monkeypatch):
    monkeypatch.setenv("YONGJI_XLS_CACHE", "off")
    result, (name, sub, issues) = _one_job(spec, templates, tmp_path)
    spec.derived._made.clear()

    def broken(*a):
        raise P.PackageMismatch("xl/worksheets/sheet3.xml!D5")

    monkeypatch.setattr(P, "render", broken)
    path = write_one(result, sub, issues, tmp_path / name)
    old = write_one(result, sub, issues, tmp_path / "old.xlsx", patched=False)
    assert _read_back(spec, path) == _read_back(spec, old)
    spec.derived._made.clear()


@pytest.mark.slow  # LibreOffice
def test_libreoffice_resaves_a_patched_workbook_and_it_reads_back_the_same(spec, pairs, tmp_path):
    """Opened and saved again by LibreOffice (as a unit would), a patched feedback workbook
    still reads as it was written: every value, answer, task, list row and contact."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        message = "LibreOffice (soffice) 未安装"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    _, written = pairs
    books = [new for _, new in written]
    cmd = [exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore"]
    cmd += ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), *map(str, books)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    for book in books:
        resaved = tmp_path / "lo" / book.name
        assert resaved.is_file(), book.name
        again, first = read_one(spec, resaved, book.name, YEAR), read_one(spec, book, book.name, YEAR)
        assert submission_content(again) == submission_content(first), book.name
        assert again.meta["kind"] == "feedback"
