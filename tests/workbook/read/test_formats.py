"""Every file named truly (issue 20 §4): what calamine refuses is read by a second reader before
anything is called corrupt; .xlsb is read or named; old formats get save-as advice; a zip inside a
zip is read; a library's English stays in the issue's ``detail``."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from helpers import CONTACT, fill_workbook

from yongji_xls.collect.read import read_one
from yongji_xls.collect.run import run
from yongji_xls.issues import UnitState
from yongji_xls.workbook.read.safety.preflight import preflight

TAX = "市税务局"
VALUES = {"ecommerce_tax": 600, "total_tax": 10000}
LATIN = re.compile(r"[A-Za-z]{3,}")


def _rewrite(path: Path, out: Path, change) -> Path:  # noqa: ANN001 - change(name, bytes) -> bytes
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
        extra = change("", b"")
        if extra:
            zout.writestr("xl/macrosheets/sheet1.xml", extra)
    return out


MACRO_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?><xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData/></xm:macrosheet>'
)


def with_macro_sheet(path: Path, out: Path) -> Path:
    """``path`` with an Excel 4.0 macro sheet (as Excel saves one in an .xlsm): calamine refuses it."""

    def change(name: str, data: bytes) -> bytes:
        if name == "":
            return MACRO_SHEET
        if name == "xl/workbook.xml":
            return data.replace(
                b"</sheets>",
                (
                    '<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                    'name="宏1" sheetId="99" r:id="rIdMacro"/></sheets>'
                ).encode(),
            )
        if name == "xl/_rels/workbook.xml.rels":
            rel = (
                b'<Relationship Id="rIdMacro" Type="http://schemas.microsoft.com/office/2006/relationships/'
                b'xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>'
            )
            return data.replace(b"</Relationships>", rel)
        if name == "[Content_Types].xml":
            over = (
                b'<Override PartName="/xl/macrosheets/sheet1.xml" '
                b'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>'
            )
            return data.replace(b"</Types>", over)
        return data

    return _rewrite(path, out, change)


def test_an_xlsm_with_a_macro_sheet_is_read_by_the_second_reader(spec, templates, tmp_path):
    from python_calamine import CalamineWorkbook

    filled = fill_workbook(templates[TAX], VALUES, tmp_path / "filled.xlsx", contact=CONTACT)
    path = with_macro_sheet(filled, tmp_path / "税务局.xlsm")
    with pytest.raises(Exception, match="sheet:type"):  # what calamine says: the reason for a second reader
        CalamineWorkbook.from_path(str(path))
    sub = read_one(spec, path, path.name, 2024)
    assert sub.readable and sub.unit == TAX
    assert {k: int(e.value) for k, e in sub.values.items()} == VALUES
    assert not [i for i in sub.issues if i.code in ("file_corrupt", "file_unreadable_format")]


def test_a_file_no_reader_opens_is_named_without_blame_and_the_library_text_is_kept_as_detail(spec, tmp_path):
    path = tmp_path / "坏.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # a package whose workbook part is junk: calamine and openpyxl fail
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='a' r:id='x'/>")
    path.write_bytes(buf.getvalue())
    sub = read_one(spec, path, path.name, 2024)
    [found] = [i for i in sub.issues if i.severity == "error"]
    assert not sub.readable
    assert found.detail  # calamine's own words, for developers (scores.json)
    assert not LATIN.findall(found.message.replace("Excel", "").replace("WPS", "").replace("xlsx", ""))
    assert "损坏" not in found.message


def _xlsb_package() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr("xl/workbook.bin", b"\x83\x01\x00\x84\x01\x00")
    return buf.getvalue()


def test_an_xlsb_is_recognised_and_read_in_the_isolated_reader_never_skipped_as_not_a_spreadsheet(spec, tmp_path):
    path = tmp_path / "统计.xlsb"
    path.write_bytes(_xlsb_package())
    pre = preflight(path, path.name)
    assert (pre.ok, pre.kind, [i.code for i in pre.issues]) == (True, "xlsb", ["file_xlsb"])
    sub = read_one(spec, path, path.name, 2024)  # this one is no real workbook: named, not blamed
    assert [i.code for i in sub.issues] == ["file_unreadable_format"]
    assert "Excel二进制工作簿（.xlsb）" in sub.issues[0].message and "另存为.xlsx" in sub.issues[0].message


@pytest.mark.parametrize(
    ("name", "head", "what"),
    [
        ("老表.xls", b"\x09\x04\x06\x00\x00\x00\x10\x00" + bytes(64), "Excel 2.x–4.0"),
        ("老表2.xls", b"\x09\x00\x04\x00\x02\x00\x10\x00" + bytes(64), "Excel 2.x–4.0"),
        (
            "另存.xls",
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "Excel 2003 XML表格",
        ),
    ],
)
def test_old_excel_formats_are_named_with_save_as_advice(spec, tmp_path, name, head, what):
    path = tmp_path / name
    path.write_bytes(head)
    [found] = read_one(spec, path, name, 2024).issues
    assert found.code == "file_old_format" and what in found.message and "另存为.xlsx" in found.message


def test_a_spreadsheetml_xml_in_the_input_folder_is_named_not_skipped(spec, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "报表.xml").write_bytes(
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
    )
    result = run(spec, folder, 2024)
    assert [(i.file, i.code) for i in result.report if i.file == "报表.xml"] == [("报表.xml", "file_old_format")]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_zip_inside_a_zip_is_read_and_a_third_level_is_named(spec, templates, tmp_path):
    filled = fill_workbook(templates[TAX], VALUES, tmp_path / "税务局.xlsx", contact=CONTACT).read_bytes()
    inner = _zip({"税务局.xlsx": filled})
    deeper = _zip({"更深.zip": _zip({"x.xlsx": filled})})
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "各单位.zip").write_bytes(_zip({"城区/税务局.zip": inner, "第三层.zip": deeper}))
    result = run(spec, folder, 2024)
    assert result.unit_status(TAX).state == UnitState.SUBMITTED
    assert result.unit_status(TAX).used_file == "各单位.zip/城区/税务局.zip/税务局.xlsx"
    deep = [i for i in result.report if i.code == "zip_nested_deep"]
    assert [i.file for i in deep] == ["各单位.zip/第三层.zip/更深.zip"]
    assert not [i for i in result.report if i.code == "file_unsupported"]


def test_a_sheet_neither_reader_parses_is_named_and_the_others_are_read(spec, templates, tmp_path):
    """calamine cannot parse one sheet (a shared string missing, say) and the second reader cannot
    either: that sheet is ``sheet_unreadable`` (Chinese, the library's words as detail)."""
    from yongji_xls.records import Submission
    from yongji_xls.workbook.read.reader import _grid

    class Book:
        sheet_names = ["坏表"]

        def get_sheet_by_name(self, name):  # noqa: ANN001, ANN202
            raise ValueError("Cell string index not found in shared strings table")

    sub = Submission("x.xlsx", tmp_path / "x.xlsx")
    assert _grid(Book(), "坏表", sub) == (None, [])
    [found] = sub.issues
    assert (found.code, found.sheet) == ("sheet_unreadable", "坏表")
    assert "shared strings" in found.detail
    assert not LATIN.findall(found.message.replace("Excel", "").replace("WPS", "").replace(".xlsx", ""))
