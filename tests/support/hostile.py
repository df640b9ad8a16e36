"""A corpus of broken and hostile workbooks, generated in code (no committed binaries).

Every ``make_<case>(dir) -> Path`` writes one file into ``dir`` and returns its path; each takes
well under a second and writes at most a few hundred KB. ``CASES`` maps each case to the
pre-flight verdict it must get: the catalogue code of the refusal, or None for a file that is
safe to read (possibly with info issues). ``make_xls`` needs LibreOffice (``soffice``) and raises
``unittest.SkipTest`` without it.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import uuid
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import xlsxwriter
from remembered import remembered

SHEET = "数据填报"  # the sheet that carries the hostile content
SHEET_XML = "xl/worksheets/sheet1.xml"


# --- building blocks -----------------------------------------------------------------------------


def make_normal_xlsx(dir: Path, name: str = "normal.xlsx", rows: int = 30) -> Path:
    """A small, ordinary workbook shaped like a filled template (Chinese sheet names, a hidden _meta)."""
    path = Path(dir) / name
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "border": 1})
    ws = wb.add_worksheet(SHEET)
    ws.write_row(0, 0, ["序号", "数据项", "单位", "填报值", "字段键"], bold)
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [r, f"数据项{r}", "万元", r * 1.5, f"field_{r}@2024"])
    ws.data_validation(1, 3, rows, 3, {"validate": "decimal", "criteria": ">=", "value": 0})
    ws.set_column("E:E", None, None, {"hidden": True})
    tasks = wb.add_worksheet("主要任务")
    tasks.write_row(0, 0, ["任务", "进展状态", "工作进展"], bold)
    tasks.write_row(1, 0, ["T01", "推进中", "已召开联席会议"])
    meta = wb.add_worksheet("_meta")
    for r, (k, v) in enumerate({"unit": "市市场监管局", "year": 2024, "spec_version": "2022"}.items()):
        meta.write_row(r, 0, [k, v])
    meta.hide()
    wb.close()
    return path


def _rewrite(
    src: Path,
    dst: Path,
    changes: dict[str, bytes | Callable[[bytes], bytes]] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy a zip package member by member, replacing or patching some members and adding others."""
    changes, extra = changes or {}, extra or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            change = changes.get(info.filename)
            if change is not None:
                data = change(data) if callable(change) else change
            zout.writestr(info.filename, data)
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def _patched(dir: Path, name: str, sheet: Callable[[bytes], bytes] | None = None, **kw) -> Path:
    base = make_normal_xlsx(dir, f".base-{name}")
    changes = kw.pop("changes", {})
    if sheet is not None:
        changes[SHEET_XML] = sheet
    out = _rewrite(base, Path(dir) / name, changes, **kw)
    base.unlink()
    return out


def _before_sheet_data_end(addition: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", addition + b"</sheetData>")


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand from (name, raw deflate data, crc, declared size): sizes can be forged."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        raw_name = name.encode()
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, len(data), size, len(raw_name), 0)
        central += (
            b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(out)) + raw_name
        )
        out += b"PK\x03\x04" + fields + raw_name + data
    eocd = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central) + b"PK\x05\x06" + eocd)
    return path


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _members_of(src: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(src) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def _cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding ``streams`` at its root.

    Streams under 4096 bytes go into the mini stream, as [MS-CFB] requires.
    """
    ss, end, free, fatsect = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    sectors: list[bytes] = []
    fat: list[int] = []

    def alloc(data: bytes) -> int:
        if not data:
            return end
        start, n = len(sectors), -(-len(data) // ss)
        for k in range(n):
            sectors.append(data[k * ss : (k + 1) * ss].ljust(ss, b"\0"))
            fat.append(start + k + 1 if k < n - 1 else end)
        return start

    mini, minifat, entries = bytearray(), [], []
    for name, data in sorted(streams.items(), key=lambda kv: (len(kv[0]), kv[0].upper())):
        if len(data) < 4096:
            first, n = len(mini) // 64, max(1, -(-len(data) // 64))
            mini += data.ljust(n * 64, b"\0")
            minifat += [first + k + 1 for k in range(n - 1)] + [end]
            entries.append((name, first, len(data)))
        else:
            entries.append((name, alloc(data), len(data)))
    mini_start = alloc(bytes(mini))
    minifat_start = alloc(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else end

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, free, right, child, b"", 0, 0, 0, start, size)

    directory = entry("Root Entry", 5, free, 1 if entries else free, mini_start, len(mini))
    for i, (name, start, size) in enumerate(entries, 1):
        directory += entry(name, 2, i + 1 if i < len(entries) else free, free, start, size)
    dir_start = alloc(directory.ljust(-(-len(directory) // ss) * ss, b"\0"))
    n_fat = 1
    while len(sectors) + n_fat > n_fat * (ss // 4):
        n_fat += 1
    fat_ids = list(range(len(sectors), len(sectors) + n_fat))
    fat += [fatsect] * n_fat
    fat += [free] * (n_fat * (ss // 4) - len(fat))
    table = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [table[k * ss : (k + 1) * ss] for k in range(n_fat)]
    difat = fat_ids + [free] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, n_fat, dir_start, 0, 4096, minifat_start, 1 if minifat else 0, end, 0, *difat,
    )  # fmt: skip
    return header + b"".join(sectors)


def _biff_globals(encrypted: bool, pad_to: int = 0) -> bytes:
    """The first records of a BIFF8 workbook stream: BOF, then FILEPASS if it has an open password."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0406)
    filepass = struct.pack("<HH", 0x002F, 54) + struct.pack("<HHH", 1, 1, 1) + bytes(48) if encrypted else b""
    eof = struct.pack("<HH", 0x000A, 0)
    return (bof + filepass + eof).ljust(pad_to, b"\0")


# --- the cases -----------------------------------------------------------------------------------


def make_empty(dir: Path) -> Path:
    path = Path(dir) / "空文件.xlsx"
    path.write_bytes(b"")
    return path


def make_truncated_xlsx(dir: Path) -> Path:
    base = make_normal_xlsx(dir, ".base-truncated.xlsx")
    path = Path(dir) / "截断.xlsx"
    data = base.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    base.unlink()
    return path


def make_text_as_xlsx(dir: Path) -> Path:
    path = Path(dir) / "文本.xlsx"
    path.write_text("单位,数值\n市统计局,3000\n", encoding="utf-8")
    return path


def make_html_as_xls(dir: Path) -> Path:
    path = Path(dir) / "网页导出.xls"
    path.write_text(
        "<html><body><table><tr><td>网上零售额</td><td>3000</td></tr></table></body></html>", encoding="utf-8"
    )
    return path


def make_png_as_xlsx(dir: Path) -> Path:
    path = Path(dir) / "截图.xlsx"
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")
    )
    return path


def make_docx_as_xlsx(dir: Path) -> Path:
    path = Path(dir) / "说明.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        )
    return path


def make_fake_et(dir: Path) -> Path:
    """A WPS .et: an OLE compound file with a Workbook stream, as WPS writes it."""
    path = Path(dir) / "WPS表格.et"
    path.write_bytes(_cfb({"Workbook": _biff_globals(False, 4096), "ETExtData": bytes(100)}))
    return path


def make_encrypted_xlsx(dir: Path) -> Path:
    """An Excel 'encrypt with password' file: OLE with EncryptionInfo + EncryptedPackage streams."""
    path = Path(dir) / "加密.xlsx"
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 5000) + os.urandom(5008)
    path.write_bytes(_cfb({"EncryptionInfo": info, "EncryptedPackage": package, "\x06DataSpaces": b"\0" * 64}))
    return path


def make_encrypted_xls(dir: Path) -> Path:
    """An Excel 97-2003 file with an open password (FILEPASS record), Workbook in the mini stream."""
    path = Path(dir) / "加密旧版.xls"
    path.write_bytes(_cfb({"Workbook": _biff_globals(True)}))
    return path


def make_encrypted_xls_large(dir: Path) -> Path:
    """As make_encrypted_xls, with the Workbook stream in regular sectors."""
    path = Path(dir) / "加密旧版大.xls"
    path.write_bytes(_cfb({"Workbook": _biff_globals(True, 8192)}))
    return path


def make_doc_as_xls(dir: Path) -> Path:
    path = Path(dir) / "文档.xls"
    path.write_bytes(_cfb({"WordDocument": bytes(600)}))
    return path


def make_zip_bomb(dir: Path, megabytes: int = 210) -> Path:
    """A real xlsx whose sheet XML inflates to ``megabytes`` MB of blanks (about 200 KB on disk).

    The deflate stream is built from one compressed 1 MB block repeated (each block ends with a
    full flush, so the copies are independent): writing takes milliseconds, not seconds.
    """
    path = Path(dir) / "压缩炸弹.xlsx"
    block = b" " * (1 << 20)
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    repeated = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    data = first + repeated * megabytes + c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * megabytes + len(tail)
    base = make_normal_xlsx(dir, ".base-bomb.xlsx")
    members = [(n, _deflate(d), zlib.crc32(d), len(d)) for n, d in _members_of(base) if n != SHEET_XML]
    base.unlink()
    return _raw_zip(path, [*members, (SHEET_XML, data, crc, size)])


def make_forged_size(dir: Path) -> Path:
    """The central directory says the sheet XML is 1 KB; it inflates to much more."""
    path = Path(dir) / "大小不符.xlsx"
    base = make_normal_xlsx(dir, ".base-forged.xlsx", rows=400)
    members = [(n, _deflate(d), zlib.crc32(d), 1024 if n == SHEET_XML else len(d)) for n, d in _members_of(base)]
    base.unlink()
    return _raw_zip(path, members)


def make_many_members(dir: Path, count: int = 5000) -> Path:
    path = Path(dir) / "成员过多.xlsx"
    base = make_normal_xlsx(dir, ".base-many.xlsx")
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        for n in range(count):
            zout.writestr(f"customXml/item{n}.bin", b"x")
    base.unlink()
    return path


def _dtd_in(dir: Path, name: str, part: str, doctype: bytes) -> Path:
    def add_doctype(xml: bytes) -> bytes:
        return re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + doctype, xml, count=1)

    return _patched(dir, name, changes={part: add_doctype})


BILLION_LAUGHS = (
    b'<!DOCTYPE sst [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
    b'<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;"><!ENTITY j "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">]>'
)


def make_billion_laughs(dir: Path) -> Path:
    return _dtd_in(dir, "实体膨胀.xlsx", "xl/sharedStrings.xml", BILLION_LAUGHS)


def make_external_entity(dir: Path) -> Path:
    return _dtd_in(
        dir, "外部实体.xlsx", "xl/workbook.xml", b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )


def make_dtd_in_content_types(dir: Path) -> Path:
    return _dtd_in(dir, "类型声明.xlsx", "[Content_Types].xml", b"<!DOCTYPE Types>")


def make_dtd_in_rels(dir: Path) -> Path:
    return _dtd_in(
        dir,
        "关系声明.xlsx",
        "xl/_rels/workbook.xml.rels",
        b'<!DOCTYPE Relationships SYSTEM "http://example.invalid/x.dtd">',
    )


def make_dtd_utf16(dir: Path) -> Path:
    """sharedStrings.xml re-encoded as UTF-16 with a DTD: a naive ASCII search would miss it."""

    def to_utf16(xml: bytes) -> bytes:
        text = xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        text = re.sub(r"^(<\?xml[^>]*\?>)", r"\1" + BILLION_LAUGHS.decode(), text)
        return text.encode("utf-16")

    return _patched(dir, "实体膨胀UTF16.xlsx", changes={"xl/sharedStrings.xml": to_utf16})


def make_far_corner(dir: Path) -> Path:
    """A value at XFD1048576: calamine would allocate 2^34 cells and abort the process."""
    path = Path(dir) / "远角单元格.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.write("A1", "字段键")
    ws.write("XFD1048576", "x")
    wb.add_worksheet("_meta").write("A1", "unit")
    wb.close()
    return path


def make_dimension_lying(dir: Path) -> Path:
    """``<dimension>`` claims A1:B2 but a value sits at XFD1048576."""

    def lie(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', xml)
        return xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )

    return _patched(dir, "尺寸造假.xlsx", lie)


def make_dimension_huge(dir: Path) -> Path:
    """``<dimension>`` claims A1:XFD1048576 over a few real cells: harmless (calamine ignores it)."""
    return _patched(
        dir, "尺寸夸大.xlsx", lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    )


def make_whole_column_format(dir: Path) -> Path:
    """Every column formatted (``<col min="1" max="16384" style=..>``), as Excel/WPS write it: harmless."""
    path = Path(dir) / "整列格式.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    fill = wb.add_format({"bg_color": "#FFFF00", "border": 1})
    ws = wb.add_worksheet(SHEET)
    ws.set_column("A:XFD", 12, fill)
    ws.write_row(0, 0, ["字段键", "填报值"])
    ws.write_row(1, 0, ["online_retail@2024", 3000])
    wb.close()
    return path


def make_blank_far_cell(dir: Path) -> Path:
    """A formatted but empty cell at XFD1048576 (``<c r=".." s="1"/>``): calamine skips it."""
    path = Path(dir) / "远角空格式.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    border = wb.add_format({"border": 1})
    ws = wb.add_worksheet(SHEET)
    ws.write_row(0, 0, ["字段键", "填报值"])
    ws.write_blank("XFD1048576", None, border)
    wb.close()
    return path


def make_cells_without_refs(dir: Path) -> Path:
    """No ``r`` attributes: the 16384th cell of a row is column XFD, found only by counting."""
    row = b"<row>" + b"<c/>" * 16383 + b'<c t="inlineStr"><is><t>x</t></is></c></row>'
    return _patched(dir, "无坐标单元格.xlsx", _before_sheet_data_end(row))


def make_rows_without_refs(dir: Path, rows: int = 25000) -> Path:
    """Rows without ``r``: the value lands on row 25031, beyond the row limit."""
    return _patched(
        dir,
        "无坐标行.xlsx",
        _before_sheet_data_end(b"<row/>" * rows + b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'),
    )


def make_prefixed_far_cell(dir: Path) -> Path:
    """A namespace-prefixed cell (``<x:c>``) at XFD1048576: calamine reads prefixed cells too, and aborts."""
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet ", b'<worksheet xmlns:x="' + ns + b'" ', 1)
        return xml.replace(
            b"</sheetData>",
            b'<row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></row></sheetData>',
        )

    return _patched(dir, "前缀单元格.xlsx", prefixed)


def make_sheet_part_not_named_xml(dir: Path) -> Path:
    """The far cell sits in a sheet part named ``.bin``; calamine finds it through the relationships."""
    base = make_far_corner(dir)
    path = Path(dir) / "伪装表格.xlsx"
    renamed = {SHEET_XML: "xl/worksheets/data.bin"}
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"worksheets/sheet1.xml", b"worksheets/data.bin")
            zout.writestr(renamed.get(info.filename, info.filename), data)
    base.unlink()
    return path


def make_directory_count_lie(dir: Path, count: int = 5000) -> Path:
    """The end record says 12 members; the central directory holds 5012 entries."""
    path = make_many_members(dir, count)
    data = bytearray(path.read_bytes())
    pos = data.rfind(b"PK\x05\x06")
    data[pos + 8 : pos + 12] = struct.pack("<HH", 12, 12)
    path.write_bytes(bytes(data))
    return path


def make_decoy_workbook(dir: Path) -> Path:
    """``_rels/.rels`` names a harmless decoy workbook; calamine reads xl/workbook.xml regardless,
    whose sheet (outside worksheets/) holds the far cell."""
    far = make_far_corner(dir)
    path = Path(dir) / "诱饵工作簿.xlsx"
    with zipfile.ZipFile(far) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data, name = zin.read(info.filename), info.filename
            if name == "_rels/.rels":
                data = data.replace(b"xl/workbook.xml", b"xl/decoy.xml")
            if name == "xl/_rels/workbook.xml.rels":
                zout.writestr(
                    "xl/_rels/decoy.xml.rels", data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet2.xml")
                )
                data = data.replace(b"worksheets/sheet1.xml", b"hidden.xml")
            if name == "xl/workbook.xml":
                zout.writestr("xl/decoy.xml", data)
            zout.writestr("xl/hidden.xml" if name == SHEET_XML else name, data)
    far.unlink()
    return path


def make_sheet_inside_workbook_part(dir: Path) -> Path:
    """A sheet whose relationship points at xl/workbook.xml itself, which also carries a far cell.

    calamine 0.9 happens to ignore the cell there; refused anyway (no genuine file looks like this)."""
    far_cell = b'<sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return _patched(
        dir,
        "自指工作簿.xlsx",
        changes={
            "xl/workbook.xml": lambda xml: xml.replace(b"</workbook>", far_cell + b"</workbook>"),
            "xl/_rels/workbook.xml.rels": lambda rels: rels.replace(b"worksheets/sheet1.xml", b"workbook.xml"),
        },
    )


ESCAPED_SHEET = "收入&支出<2024>"


def make_far_cell_escaped_sheet_name(dir: Path) -> Path:
    """A far cell on a sheet whose name needs XML escaping: the issue must name it as the user sees it."""
    path = Path(dir) / "特殊表名.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("说明").write("A1", "x")
    ws = wb.add_worksheet(ESCAPED_SHEET)
    ws.write("A1", 1)
    ws.write("A30000", 2)
    wb.close()
    return path


def make_xlsm_with_macros(dir: Path) -> Path:
    path = Path(dir) / "带宏.xlsm"
    vba = Path(dir) / ".vbaProject.bin"
    vba.write_bytes(_cfb({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nName="VBAProject"\r\n'}))
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet(SHEET).write_row(0, 0, ["字段键", "填报值"])
    wb.add_vba_project(str(vba))
    wb.close()
    vba.unlink()
    return path


def make_xlsx_named_xls(dir: Path) -> Path:
    path = Path(dir) / "改了扩展名.xls"
    make_normal_xlsx(dir, ".base-renamed.xlsx").rename(path)
    return path


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods(path: Path, tables: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        f'office:version="1.3"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")  # stored, first
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        z.writestr("content.xml", content)
    return path


def _ods_cell(text: str, extra: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'


_ODS_TRAILER = (  # what LibreOffice writes after the last row: empty cells and rows repeated to the sheet's end
    '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
    'table:number-columns-repeated="16384"/></table:table-row>'
)


def make_ods(dir: Path) -> Path:
    """A valid .ods with LibreOffice's huge repeats of *empty* rows and cells (harmless)."""
    rows = (
        f"<table:table-row>{_ods_cell('字段键')}{_ods_cell('填报值')}<table:table-cell "
        'table:number-columns-repeated="16382"/></table:table-row>'
        "<table:table-row><table:table-cell "
        'office:value-type="string"><text:p>online_retail@2024</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="3000"/><table:table-cell '
        'table:number-columns-repeated="16382"/></table:table-row>'
    )
    return _ods(Path(dir) / "开源格式.ods", f'<table:table table:name="{SHEET}">{rows}{_ODS_TRAILER}</table:table>')


def make_ods_repeated(dir: Path) -> Path:
    """A cell with content repeated 16384 columns x 1048576 rows."""
    cell = _ods_cell("x", ' table:number-columns-repeated="16384"')
    row = f'<table:table-row table:number-rows-repeated="1048576">{cell}</table:table-row>'
    return _ods(Path(dir) / "重复单元格.ods", f'<table:table table:name="{SHEET}">{row}</table:table>')


def make_ods_far_cell(dir: Path) -> Path:
    """Empty repeats (harmless alone) that push one value to the far corner."""
    rows = (
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
        f'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>{_ods_cell("x")}</table:table-row>'
    )
    return _ods(Path(dir) / "远角.ods", f'<table:table table:name="{SHEET}">{rows}</table:table>')


def make_ods_dtd(dir: Path) -> Path:
    path = make_ods(dir)
    out = Path(dir) / "实体膨胀.ods"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "content.xml":
                data = data.replace(b"?>", b"?>" + BILLION_LAUGHS.replace(b"sst", b"office:document-content"), 1)
            zout.writestr(info, data)
    path.unlink()
    return out


def make_xls(dir: Path) -> Path:
    """A genuine Excel 97-2003 workbook, converted by LibreOffice from a normal .xlsx."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise unittest.SkipTest("LibreOffice (soffice) is not installed")
    src = make_normal_xlsx(dir, "旧版格式.xlsx")
    with tempfile.TemporaryDirectory() as profile:  # a private profile: parallel runs do not collide
        cmd = [
            soffice,
            f"-env:UserInstallation={(Path(profile) / uuid.uuid4().hex).as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(dir),
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    src.unlink()
    return Path(dir) / "旧版格式.xls"


# every maker, also when called by another: its files are written once per session and copied after
for _name, _maker in list(globals().items()):
    if _name.startswith("make_") and callable(_maker):
        globals()[_name] = remembered(_maker)

# case -> (maker, the refusal code, or None when the file must pass)
CASES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "empty": (make_empty, "file_empty"),
    "truncated_xlsx": (make_truncated_xlsx, "file_corrupt"),
    "text_as_xlsx": (make_text_as_xlsx, "file_not_workbook"),
    "html_as_xls": (make_html_as_xls, "file_not_workbook"),
    "png_as_xlsx": (make_png_as_xlsx, "file_not_workbook"),
    "docx_as_xlsx": (make_docx_as_xlsx, "file_not_workbook"),
    "doc_as_xls": (make_doc_as_xls, "file_not_workbook"),
    "fake_et": (make_fake_et, "file_et"),
    "encrypted_xlsx": (make_encrypted_xlsx, "file_encrypted"),
    "encrypted_xls": (make_encrypted_xls, "file_encrypted"),
    "encrypted_xls_large": (make_encrypted_xls_large, "file_encrypted"),
    "zip_bomb": (make_zip_bomb, "file_zip_bomb"),
    "forged_size": (make_forged_size, "file_zip_bomb"),
    "many_members": (make_many_members, "file_zip_bomb"),
    "billion_laughs": (make_billion_laughs, "file_xml_entity"),
    "external_entity": (make_external_entity, "file_xml_entity"),
    "dtd_in_content_types": (make_dtd_in_content_types, "file_xml_entity"),
    "dtd_in_rels": (make_dtd_in_rels, "file_xml_entity"),
    "dtd_utf16": (make_dtd_utf16, "file_xml_entity"),
    "prefixed_far_cell": (make_prefixed_far_cell, "file_huge_range"),
    "sheet_part_not_named_xml": (make_sheet_part_not_named_xml, "file_huge_range"),
    "decoy_workbook": (make_decoy_workbook, "file_huge_range"),
    "sheet_inside_workbook_part": (make_sheet_inside_workbook_part, "file_huge_range"),
    "directory_count_lie": (make_directory_count_lie, "file_zip_bomb"),
    "cells_without_refs": (make_cells_without_refs, "file_huge_range"),
    "rows_without_refs": (make_rows_without_refs, "file_huge_range"),
    "ods_repeated": (make_ods_repeated, "file_huge_range"),
    "ods_far_cell": (make_ods_far_cell, "file_huge_range"),
    "ods_dtd": (make_ods_dtd, "file_xml_entity"),
    "normal_xlsx": (make_normal_xlsx, None),
    "far_corner": (make_far_corner, None),  # the far cell is cut out and reported (cells_far_cut), the rest read
    "dimension_lying": (make_dimension_lying, None),
    "dimension_huge": (make_dimension_huge, None),
    "whole_column_format": (make_whole_column_format, None),
    "blank_far_cell": (make_blank_far_cell, None),
    "xlsm_with_macros": (make_xlsm_with_macros, None),
    "xlsx_named_xls": (make_xlsx_named_xls, None),
    "ods": (make_ods, None),
}
