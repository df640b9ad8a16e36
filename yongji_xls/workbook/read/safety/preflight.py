"""Pre-flight: decide cheaply, from bytes alone, whether a returned file may be handed to a reader.

It runs on every file before python-calamine or openpyxl sees it, so it must be fast (about
0.35 ms for a small workbook, 0.8 ms for a filled template) and must never inflate or parse
anything it has not bounded first. It reads the magic number, the zip central directory or the
OLE directory, and scans the XML parts with regular expressions (no DOM, nothing executed).

What is refused, and why (measured with python-calamine 0.9.1 and openpyxl 3.1.5):

* Cells **with content** far away (e.g. ``XFD1048576``): calamine allocates rows x columns of the
  used range and aborts the whole process (SIGABRT, tafia/calamine#693). calamine places a cell
  without ``r`` after its predecessor, reads prefixed ``<x:c>`` as a cell, always opens
  ``xl/workbook.xml`` (whatever ``_rels/.rels`` says) and follows the relationships to sheet parts
  of any name: the scan does the same, over every workbook part any reader might pick.
  For .ods, calamine repeats cells by ``number-columns-repeated``/``number-rows-repeated``.
  Where the far cells sit in an ordinary sheet part (``xl/worksheets/sheetN.xml`` of the one
  workbook part, every row and cell with an ``r``), they are *cut out* of the bytes handed to the
  reader instead (``cells_far_cut`` names them): the unit keeps the rest of its file. The rebuilt
  package then passes the whole check again, so the reader only ever sees vetted bytes.
* Not refused, because calamine ignores them (measured, see tests): the ``<dimension ref>``
  (XlsxWriter writes ``A1:XFD2`` for a whole-column format), whole-column ``<col>`` formats,
  blank styled cells ``<c r="XFD1048576" s="1"/>``, and LibreOffice's repeated empty ods rows.
* Zip bombs, from the central directory only (member count, sizes, ratios); every XML part is
  then inflated with its declared size + 1 as the cap, and must match that size and its CRC.
* ``<!DOCTYPE`` / ``<!ENTITY`` in any XML part (billion laughs, external entities), UTF-16 too.
* Encrypted workbooks (OOXML inside OLE, a password-protected .xls, an encrypted .ods) and
  .et files; files whose bytes are not a workbook whatever their name says.
* OLE files above the size limit before their directory is read, and OLE files with a sector chain
  that loops or leaves the file (``cfb.py``): calamine follows chains without loop detection and
  aborts on a multi-GB allocation. An EncryptionInfo is bounded (``ole_crypto.py``) before
  msoffcrypto-tool tries Excel's default password.

Every regex is linear on junk input (no ``<`` inside a tag; unrolled attribute loops).
``Preflight.kind`` is what the bytes are (an .xlsx renamed .xls is ``'xlsx'``, with an info
issue); it is None whenever ``ok`` is False.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import unquote

from ....issues import Issue, issue, os_reason
from ...cells import col_letter, col_number
from .cfb import Cfb, biff_filepass, describe_ole
from .ods_scan import scan_content_xml
from .ole_crypto import may_try_default_password
from .xlsx_scan import SheetScan, percent_cells, percent_styles, scan_sheet_xml

MB = 1 << 20
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Every threshold of the pre-flight. Override with ``dataclasses.replace(DEFAULT_LIMITS, ...)``."""

    max_file_bytes: int = 50 * MB
    max_members: int = 2000
    max_total_uncompressed: int = 200 * MB
    max_member_uncompressed: int = 100 * MB
    max_ratio: int = 100  # uncompressed : compressed, for members above ratio_floor
    ratio_floor: int = 1 * MB
    max_rows: int = 20000  # extent of the cells that carry content, per sheet
    max_cols: int = 200  # column GR


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Preflight:
    kind: str | None  # 'xlsx' | 'xlsm' | 'xls' | 'ods', or None when not ok
    ok: bool  # safe to hand to calamine
    issues: tuple[Issue, ...] = ()
    # .xlsx/.xlsm/.ods: sheet name -> formula/error cells, from the XML pre-flight inflated anyway
    # (saves the reader a second inflate and scan of every sheet)
    scans: dict[str, SheetScan] | None = field(default=None, compare=False)
    # zip packages: the bytes that were checked, so the reader parses exactly these (one read)
    data: bytes | None = field(default=None, compare=False, repr=False)
    # sha256 of the file's own bytes (``data`` may be a rebuilt package: see _cut_far_cells)
    digest: str = ""


class _Refused(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".xlsb")
_NATIVE = {
    "xlsx": (".xlsx", ".xlsm"),
    "xlsm": (".xlsx", ".xlsm"),
    "xls": (".xls",),
    "ods": (".ods",),
    "xlsb": (".xlsb",),
}
_KIND_TEXT = {
    "xlsx": ".xlsx工作簿",
    "xlsm": ".xlsm工作簿",
    "xls": ".xls工作簿",
    "ods": ".ods表格",
    "xlsb": ".xlsb工作簿",
}
# The first record of an Excel 2.x/3.0/4.0 worksheet file (not a compound file): BOF of BIFF2, 3, 4.
_OLD_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")
SPREADSHEETML = "urn:schemas-microsoft-com:office:spreadsheet"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def preflight(path: Path, display_name: str, limits: Limits = DEFAULT_LIMITS) -> Preflight:
    """Safety verdict for one file; never raises for a bad file, never modifies it."""
    path = Path(path)
    notes: list[tuple[str, dict[str, object]]] = []
    scans: dict[str, SheetScan] = {}
    try:
        kind, data, digest = _check(path, path.suffix.lower(), limits, notes, scans)
    except _Refused as r:
        return Preflight(None, False, (issue(r.code, file=display_name, **r.params),))
    except OSError as e:
        return Preflight(
            None,
            False,
            (issue("file_read_failed", file=display_name, detail=f"无法读取文件：{os_reason(e)}", library=e),),
        )
    except (
        ValueError,
        LookupError,
        struct.error,
        zlib.error,
        zipfile.BadZipFile,
        EOFError,
        OverflowError,
    ) as e:  # fail closed
        return Preflight(None, False, (issue("file_corrupt", file=display_name, detail="文件结构无法识别", library=e),))
    return Preflight(
        kind,
        True,
        tuple(issue(code, file=display_name, **params) for code, params in notes),
        scans if kind != "xls" else None,
        data,
        digest,
    )


def _check(path: Path, ext: str, limits: Limits, notes: list, scans: dict) -> tuple[str, bytes | None, str]:
    if ext not in EXTENSIONS:
        raise _Refused("file_unsupported", ext=ext or "无扩展名")
    size = path.stat().st_size
    if size == 0:
        raise _Refused("file_empty")
    with path.open("rb") as f:
        head = f.read(512)
        if head.startswith(_OLE_MAGIC):
            fmt = "ole"
        elif head[:4] in _ZIP_MAGICS:
            fmt = "zip"
        elif head[:2] in _OLD_BOF and ext != ".et":
            raise _Refused("file_old_format", what="Excel 2.x–4.0的旧格式工作表")
        elif is_spreadsheetml(head):
            raise _Refused("file_old_format", what="Excel 2003 XML表格")
        else:
            raise _Refused("file_not_workbook", ext=ext, detail=_describe(head))
        if ext == ".et":
            raise _Refused("file_et")
        data, digest = None, ""
        if fmt == "ole":
            kind = _check_ole(f, size, ext, limits)
            if kind == "encrypted-ooxml":
                data = _decrypt_default(f, limits)
                kind, data = _check_zip(data, ext if ext != ".xls" else ".xlsx", limits, notes, scans)
                notes.append(("file_default_password", {}))
        else:
            _too_large(size, limits)
            f.seek(0)
            data = f.read()
            digest = hashlib.sha256(data).hexdigest()
            kind, data = _check_zip(data, ext, limits, notes, scans)
    if ext not in _NATIVE[kind]:
        notes.append(("file_ext_mismatch", {"ext": ext, "detail": _KIND_TEXT[kind]}))
    if kind in ("xls", "ods"):
        notes.append(("file_legacy_format", {"ext": "." + kind}))
    return kind, data, digest


DEFAULT_PASSWORD = "VelvetSweatshop"  # Excel's "encrypted without a password" (opens without a prompt)


def _decrypt_default(f: BinaryIO, limits: Limits) -> bytes:
    """The package of an OOXML file encrypted with Excel's default password; a real password
    (or a broken container) stays ``file_encrypted``. The declared package size is checked
    against the limits before anything is decrypted."""
    try:
        import msoffcrypto
    except ImportError as e:  # the optional dependency is missing: the file cannot be opened
        raise _Refused("file_encrypted") from e
    f.seek(0)
    out = io.BytesIO()
    try:
        office = msoffcrypto.OfficeFile(f)
        office.load_key(password=DEFAULT_PASSWORD)
        office.decrypt(out)
    except Exception as e:  # noqa: BLE001 - wrong password, unknown scheme, damaged container: all "encrypted"
        raise _Refused("file_encrypted") from e
    data = out.getvalue()
    _too_large(len(data), limits)
    return data


def _too_large(size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise _Refused("file_too_large", detail=f"{_size(size)}，上限为{_size(limits.max_file_bytes)}")


# --- what a non-workbook looks like ------------------------------------------------------------

_SIGNATURES = (
    (b"\x89PNG", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF8", "GIF图片"),
    (b"%PDF", "PDF文件"),
    (b"Rar!", "RAR压缩包"),
    (b"7z\xbc\xaf", "7z压缩包"),
    (b"\x1f\x8b", "gzip压缩包"),
    (b"{\\rtf", "RTF文档"),
    (b"MZ", "可执行程序"),
)


def _describe(head: bytes) -> str:
    for sig, text in _SIGNATURES:
        if head.startswith(sig):
            return text
    text = _as_text(head)
    if text is None:
        return "无法识别的二进制内容"
    low = text.lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in low:
        return "Excel 2003 XML表格，本工具无法读取"
    if low.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in low:
        return "网页（HTML）文件"
    if low.startswith("<?xml"):
        return "XML文件"
    return "纯文本（如CSV）文件"


def is_spreadsheetml(head: bytes) -> bool:
    """An Excel 2003 XML spreadsheet (SpreadsheetML), from its first bytes."""
    text = (_as_text(head) or "").lower()
    return SPREADSHEETML in text or 'progid="excel.sheet"' in text


def _as_text(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if b"\0" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(head)  # a cut character at the end is fine
        except UnicodeDecodeError:
            continue
    return None


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{max(n // 1024, 1)} KB"


class _Lazy:
    """A member name shortened for a message only if a message is made."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return _short(self.name)


def _short(name: str) -> str:
    name = "".join(ch if ch.isprintable() else "?" for ch in name)
    return name if len(name) <= 60 else name[:57] + "…"


# --- OLE compound files: legacy .xls and encrypted OOXML ----------------------------------------


def _check_ole(f: BinaryIO, size: int, ext: str, limits: Limits) -> str:
    _too_large(size, limits)  # before the directory is read: nothing beyond the limit is parsed
    try:
        cfb = Cfb(f, size)
        names = cfb.names
        if "encryptioninfo" in names and "encryptedpackage" in names:
            if not may_try_default_password(cfb):
                raise _Refused("file_encrypted")
            return "encrypted-ooxml"  # maybe Excel's default password: :func:`_decrypt_default` tries it
        if "encryptioninfo" in names or "encryptedpackage" in names:
            raise _Refused("file_encrypted")
        book = cfb.workbook()
        if book is None or book.kind != 2:
            raise _Refused("file_not_workbook", ext=ext, detail=describe_ole(names))
        cfb.check_chain(book)
        # any stream a reader might take for the workbook (another case, a storage's): one password is enough
        encrypted = any(biff_filepass(cfb.head(e)) for e in cfb.entries("Workbook", "Book") if e.kind == 2)
    except (ValueError, struct.error, IndexError) as e:
        raise _Refused("file_corrupt", detail="OLE复合文档结构损坏，文件可能被截断") from e
    if encrypted:
        raise _Refused("file_encrypted")
    return "xls"


# --- zip packages: .xlsx/.xlsm and .ods -----------------------------------------------------------


def _check_zip(raw: bytes, ext: str, limits: Limits, notes: list, scans: dict, cut: bool = True) -> tuple[str, bytes]:
    """The package's kind and the bytes the reader may parse: ``raw``, or, when far cells were cut
    out of an ordinary sheet (``cut``), a rebuilt package that passed the whole check again."""
    _eocd_count(raw, limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error, NotImplementedError) as e:
        raise _Refused("file_corrupt", detail="压缩结构不完整，文件可能被截断") from e
    with zf:
        infos = zf.infolist()
    _check_directory(infos, limits)
    pkg = _Package(raw, infos, cut)
    if "mimetype" in pkg.by_name:
        return _check_ods(pkg, ext, limits, scans), raw
    if "xl/workbook.bin" in pkg.by_name:
        return _check_xlsb(pkg, notes), raw
    kind = _check_ooxml(pkg, ext, limits, notes, scans)
    if not pkg.replaced:
        return kind, raw
    rebuilt = _rebuilt(pkg)
    again: dict = {}
    kind2, _ = _check_zip(
        rebuilt, ext, limits, [], again, cut=False
    )  # fail closed: the new bytes pass as any file must
    scans.clear()
    scans.update(again)
    return kind2, rebuilt


def _rebuilt(pkg: _Package) -> bytes:
    """The package with the replaced parts; every other member inflated with its checks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in pkg.infos:
            if not info.is_dir():
                body = pkg.replaced.get(info.filename)
                member = zipfile.ZipInfo(
                    info.filename, info.date_time
                )  # the same file always rebuilds to the same bytes
                member.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(member, pkg._inflate(info) if body is None else body)
    return buf.getvalue()


def _eocd_count(raw: bytes, limits: Limits) -> None:
    """Refuse a huge member count before zipfile parses every directory entry.

    zipfile walks the directory by its byte size, not by the count the end record states, so the
    entry signatures in the directory's bytes are counted as well.
    """
    pos = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 22 - 65535))
    if pos < 0 or pos + 22 > len(raw):
        raise _Refused("file_corrupt", detail="压缩结构不完整，文件可能被截断")
    stated, cd_size = struct.unpack_from("<HI", raw, pos + 10)
    count = max(stated, raw.count(b"PK\x01\x02", max(0, pos - cd_size), pos))
    if count > limits.max_members:
        raise _Refused("file_zip_bomb", detail=f"压缩包内有{count}个成员，超过上限{limits.max_members}个")


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    def bomb(detail: str) -> _Refused:
        return _Refused("file_zip_bomb", detail=detail)

    if len(infos) > limits.max_members:
        raise bomb(f"压缩包内有{len(infos)}个成员，超过上限{limits.max_members}个")
    seen: set[str] = set()
    total = 0
    for i in infos:
        name = i.filename.casefold()
        if name in seen:
            raise bomb(f"压缩包内有重名成员「{_short(i.filename)}」")
        seen.add(name)
        if i.flag_bits & 1:
            raise _Refused("file_encrypted")
        if i.file_size > limits.max_member_uncompressed:
            raise bomb(
                f"成员「{_short(i.filename)}」解压后为{_size(i.file_size)}，超过上限{_size(limits.max_member_uncompressed)}"
            )
        if i.file_size > limits.ratio_floor and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise bomb(f"成员「{_short(i.filename)}」压缩比为{ratio}:1，超过上限{limits.max_ratio}:1")
        total += i.file_size
    if total > limits.max_total_uncompressed:
        raise bomb(f"解压后总计{_size(total)}，超过上限{_size(limits.max_total_uncompressed)}")


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class _Package:
    """The zip's members, inflated from the file's bytes with the size each one declares as a cap."""

    def __init__(self, raw: bytes, infos: list[zipfile.ZipInfo], cut: bool = False) -> None:
        self.raw, self.infos = raw, infos
        self.by_name = {i.filename.casefold(): i for i in infos}
        self.kept: dict[str, bytes] = {}
        self.cut = cut  # far cells of an ordinary sheet part may be cut out (see _cut_far_cells)
        self.replaced: dict[str, bytes] = {}  # member name -> its XML with the far cells cut out

    def xml(self, info: zipfile.ZipInfo | None, keep: bool = False) -> bytes:
        """One XML part, inflated and checked: no DTD, exactly the declared size, the right CRC.

        UTF-16 parts come back with their NUL bytes dropped, so ASCII markup stays searchable.
        ``keep`` caches the result (for the few small parts that are looked at twice).
        """
        if info is None:
            return b""
        if info.filename in self.kept:
            return self.kept[info.filename]
        data = self._inflate(info)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in data[:4]:
            data = data.replace(b"\0", b"")
        if b"!" in data and _DTD.search(data):  # a one-byte search runs at memchr speed
            raise _Refused("file_xml_entity")
        if keep:
            self.kept[info.filename] = data
        return data

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        name = _Lazy(info.filename)
        raw, off = self.raw, info.header_offset
        if raw[off : off + 4] != b"PK\x03\x04":
            raise _Refused("file_corrupt", detail=f"成员「{name}」的位置记录有误")
        n, extra = struct.unpack_from("<HH", raw, off + 26)
        start = off + 30 + n + extra
        packed = memoryview(raw)[start : start + info.compress_size]
        if len(packed) < info.compress_size:
            raise _Refused("file_corrupt", detail=f"成员「{name}」不完整，文件可能被截断")
        if info.compress_type == zipfile.ZIP_STORED:
            data = bytes(packed)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            try:
                data = inflater.decompress(packed, info.file_size + 1)  # never more than declared + 1
            except zlib.error as e:
                raise _Refused("file_corrupt", detail=f"成员「{name}」无法解压") from e
            if len(data) > info.file_size:
                raise _Refused("file_zip_bomb", detail=f"成员「{name}」解压后大于记录的大小")
        else:
            raise _Refused("file_corrupt", detail=f"成员「{name}」使用了不支持的压缩方式")
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise _Refused("file_corrupt", detail=f"成员「{name}」校验失败")
        return data


def _is_xml(info: zipfile.ZipInfo) -> bool:
    return info.filename.casefold().endswith(_XML_SUFFIXES) and not info.is_dir()


# --- OOXML ---------------------------------------------------------------------------------------

# A start tag's attributes, quote-aware. XML allows no "<" inside a tag, not even in a quoted value:
# excluding it ends every match attempt at the next "<", which keeps the scans linear on junk input.
# Unrolled as normal* (quoted normal*)*: a quote can only open a quoted value, so no backtracking.
_ATTRS = r"([^<>\"']*(?:(?:\"[^<\"]*\"|'[^<']*')[^<>\"']*)*)"
_PREFIX = r"<(?:[A-Za-z_][\w.-]*:)?"
_REL_TAG = re.compile((_PREFIX + r"Relationship(?=[\s/>])" + _ATTRS + ">").encode())
_SHEET_TAG = re.compile((_PREFIX + r"sheet(?=[\s/>])" + _ATTRS + ">").encode())
_OVERRIDE_TAG = re.compile((_PREFIX + r"Override(?=[\s/>])" + _ATTRS + ">").encode())
_ATTR = re.compile(rb"(?<![\w.:-])([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")  # starts only where a name starts
_SHEET_DIR = re.compile(r"(?:^|/)(?:worksheets|macrosheets|dialogsheets)/[^/]+\.xml$")


def _check_ooxml(pkg: _Package, ext: str, limits: Limits, notes: list, scans: dict) -> str:
    by_name = pkg.by_name
    root_rels, types = (
        pkg.xml(by_name.get("_rels/.rels"), keep=True),
        pkg.xml(by_name.get("[content_types].xml"), keep=True),
    )
    parts = [p for p in _workbook_parts(root_rels, types) if p.casefold() in by_name]
    if not any(p.casefold().endswith(".xml") for p in parts):
        raise _Refused("file_not_workbook", ext=ext, detail=_describe_zip(by_name))
    sheets: dict[str, str] = {}
    for part in parts:  # every workbook part some reader may pick, so a decoy cannot hide a sheet
        folder, base = posixpath.split(part)
        rels = pkg.xml(by_name.get(posixpath.join(folder, "_rels", base + ".rels").casefold()), keep=True)
        sheets.update(_sheet_names(pkg.xml(by_name[part.casefold()], keep=True), rels, folder))
    percent = percent_styles(pkg.xml(by_name.get("xl/styles.xml"), keep=True))
    for info in pkg.infos:
        key = info.filename.casefold()
        is_sheet = key in sheets or _SHEET_DIR.search(key) is not None  # calamine follows the rels, whatever the name
        if is_sheet or _is_xml(info):
            data = pkg.xml(info)
            if is_sheet:
                name = sheets.get(key) or posixpath.basename(info.filename)
                ordinary = (
                    pkg.cut
                    and key in sheets
                    and _ORDINARY_SHEET.fullmatch(key) is not None
                    and len({p.casefold() for p in parts}) == 1
                )
                cut = _check_cells(data, name, limits, ordinary)
                if cut is not None:
                    if _is_utf16(pkg, info):
                        raise _Refused(
                            "file_huge_range", sheet=name, detail=_range_detail(*_extent_counted(data), limits)
                        )
                    data, far = cut
                    pkg.replaced[info.filename] = data
                    if far:
                        notes.append(("cells_far_cut", {"sheet": name, "count": len(far), "cells": _some(far)}))
                if key in sheets:
                    scans[name] = scan_sheet_xml(data)
                    if percent:
                        scans[name].percent = percent_cells(data, percent)
    if any(k.endswith("vbaproject.bin") for k in by_name):
        notes.append(("file_macros", {}))
        return "xlsm"
    return "xlsm" if ext == ".xlsm" else "xlsx"


def _check_xlsb(pkg: _Package, notes: list) -> str:
    """An Excel Binary Workbook: the package checks (bombs, DTD, sizes, CRCs of every XML part)
    hold; its sheets are binary records, so the formula/error scan and the extent check cannot be
    done here: it is read in the isolated worker (a memory cap, a crash costs one file) and says so."""
    for info in pkg.infos:
        if _is_xml(info):
            pkg.xml(info)
    notes.append(("file_xlsb", {}))
    return "xlsb"


_WORKBOOK_TYPE = re.compile(
    rb"(?:spreadsheetml\.(?:sheet|template)|ms-excel\.(?:sheet|template)\.macroenabled)\.main\+xml", re.IGNORECASE
)


_MEMO_BYTES = 64 * 1024  # package parts up to this size have their parse remembered (same template, same bytes)


def _remembered(parse: Callable[..., T]) -> Callable[..., T]:
    """``parse`` of small parts remembered by their bytes: the files of one template version carry
    the same workbook, relationship and content-type parts. A pure function of the bytes, so the
    cache (bounded: 64 results, parts of at most 64 KB) cannot change a verdict."""
    cached = functools.lru_cache(maxsize=64)(parse)

    @functools.wraps(parse)
    def parsed(*parts: Any) -> T:
        if all(len(p) <= _MEMO_BYTES for p in parts if isinstance(p, bytes)):
            return cached(*parts)
        return parse(*parts)

    return parsed


@_remembered
def _workbook_parts(root_rels: bytes, content_types: bytes) -> tuple[str, ...]:
    """Where readers look for the workbook: calamine always at xl/workbook.xml, others by
    ``_rels/.rels`` or by the content type declared in ``[Content_Types].xml``."""
    parts = ["xl/workbook.xml"]
    for a in _tags(_REL_TAG, root_rels):
        if a.get(b"Type", b"").endswith(b"/officeDocument") and a.get(b"Target"):
            parts.append(_resolve("", _text(a[b"Target"])))
    for a in _tags(_OVERRIDE_TAG, content_types):
        if _WORKBOOK_TYPE.search(a.get(b"ContentType", b"")) and a.get(b"PartName"):
            parts.append(_resolve("", _text(a[b"PartName"])))
    return tuple(dict.fromkeys(parts))


def _tags(pattern: re.Pattern, data: bytes) -> list[dict[bytes, bytes]]:
    """The raw attributes of every tag ``pattern`` finds; decode with :func:`_text`."""
    return [{k: v1 or v2 for k, v1, v2 in _ATTR.findall(m.group(1))} for m in pattern.finditer(data)]


def _text(raw: bytes | None) -> str:
    text = (raw or b"").decode("utf-8", "replace")
    return unescape(text) if "&" in text else text


def _resolve(folder: str, target: str) -> str:
    target = unquote(target).replace("\\", "/")
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _sheet_names(wb_xml: bytes, rels: bytes, folder: str) -> dict[str, str]:
    """Casefolded part name -> sheet name as the user sees it."""
    return dict(_sheet_pairs(wb_xml, rels, folder))


@_remembered
def _sheet_pairs(wb_xml: bytes, rels: bytes, folder: str) -> tuple[tuple[str, str], ...]:
    targets = {
        a.get(b"Id"): a.get(b"Target", b"")
        for a in _tags(_REL_TAG, rels)
        if a.get(b"TargetMode", b"").lower() != b"external"
    }
    out = {}
    for a in _tags(_SHEET_TAG, wb_xml):
        rid = next((v for k, v in a.items() if k.endswith(b":id")), None)
        target = targets.get(rid)
        if target:
            part = _resolve(folder, _text(target))
            out[part.casefold()] = _text(a.get(b"name")) or posixpath.basename(part)
    return tuple(out.items())


def _describe_zip(by_name: dict) -> str:
    if any(k.startswith("word/") for k in by_name):
        return "Word文档（.docx）"
    if any(k.startswith("ppt/") for k in by_name):
        return "PowerPoint演示文稿（.pptx）"
    if any(k.endswith("workbook.bin") for k in by_name):
        return "Excel二进制工作簿（.xlsb），请另存为.xlsx"
    return "普通ZIP压缩包"


# Excel, WPS, LibreOffice, openpyxl and XlsxWriter write every cell as <c r="B7" ...>. One regex
# (compiled from the limits) finds any cell tag that is not <c r="{a cell within the limits}">; a
# second finds prefixed cells (<x:c>, which calamine reads as cells too). Only when either hits is
# the sheet counted exactly, the way calamine places cells, with only the cells that carry
# content (calamine skips blank styled cells).
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_ROW_OR_CELL = re.compile((_PREFIX + r"(row|c)(?=[\s/>])" + _ATTRS + ">").encode())
_R_ATTR = re.compile(rb"\sr\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_A1 = re.compile(r"\$?([A-Za-z]{1,9})\$?([0-9]+)")
_HUGE = 10**12


def _check_cells(data: bytes, sheet: str, limits: Limits, may_cut: bool = False) -> tuple[bytes, list[str]] | None:
    """Refuse a sheet whose cells with content span more than the limits, unless ``may_cut`` and
    the far cells can be cut out exactly: then the sheet's XML without them, and their addresses.

    A unit that typed one note at XFD1048576 (or pasted far off) keeps the rest of its file; the
    cut cells are reported. Only plain ``<c r="A1">`` cells in an ordinary sheet part are cut: there
    calamine places every cell by its ``r``, exactly as counted here."""
    if _unusual_cell(limits.max_rows, limits.max_cols).search(data) or _PREFIXED_CELL.search(data):
        rows, cols = _extent_counted(data)
        if rows > limits.max_rows or cols > limits.max_cols:
            cut = _cut_far_cells(data, limits) if may_cut else None
            if cut is None:
                raise _Refused("file_huge_range", sheet=sheet, detail=_range_detail(rows, cols, limits))
            return cut
    return None


_ORDINARY_SHEET = re.compile(r"xl/worksheets/sheet\d{1,4}\.xml")
_CELL = re.compile((r"<c(?=[\s/>])" + _ATTRS + ">").encode())
_CELL_END = b"</c>"


def _cut_far_cells(data: bytes, limits: Limits) -> tuple[bytes, list[str]] | None:
    """``data`` without the cells beyond the limits, and the addresses of those with content;
    None (refuse) unless every cell is an unprefixed ``<c>`` with an A1 ``r`` and every row has an ``r``."""
    if _PREFIXED_CELL.search(data) or re.search(rb"<row(?=[\s/>])(?![^<>]*\sr\s*=)", data):
        return None
    pieces, far, pos = [], [], 0
    for m in _CELL.finditer(data):
        if m.start() < pos:
            return None
        r = _R_ATTR.search(m.group(1))
        ref = (
            _A1.fullmatch(unescape((r.group(1) or r.group(2) or b"").decode("utf-8", "replace")).strip()) if r else None
        )
        if ref is None:
            return None
        if _number(ref.group(2)) <= limits.max_rows and col_number(ref.group(1).upper()) <= limits.max_cols:
            continue
        empty = m.group(1).rstrip().endswith(b"/")
        end = m.end() if empty else data.find(_CELL_END, m.end())
        if end < 0:
            return None
        pieces.append(data[pos : m.start()])
        pos = end if empty else end + len(_CELL_END)
        if not empty:
            far.append(ref.group(0).upper().replace("$", ""))
    pieces.append(data[pos:])
    return b"".join(pieces), far


def _some(refs: list[str], at_most: int = 5) -> str:
    return "、".join(refs[:at_most]) + (f"等{len(refs)}个" if len(refs) > at_most else "")


def _is_utf16(pkg: _Package, info: zipfile.ZipInfo) -> bool:
    """UTF-16 parts come back from :meth:`_Package.xml` with NULs dropped: not bytes to write back."""
    head = pkg._inflate(info)[:4]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in head


@functools.lru_cache(maxsize=16)
def _unusual_cell(max_rows: int, max_cols: int) -> re.Pattern:
    """Matches a cell tag other than ``<c r="A1"`` with A1 inside the limits."""
    cols = _not_above(_col_letters(max_cols), "A", "A", "Z", "[A-Z]")
    rows = _not_above(str(max_rows), "1", "0", "9", r"\d")
    return re.compile(f'<c(?=[\\s/>])(?! r="{cols}{rows}")'.encode())


def _not_above(limit: str, first: str, low: str, top: str, any_char: str) -> str:
    """A regex for the strings (no leading zero) that sort at or before ``limit``: shorter, or as long and
    not larger."""
    n = len(limit)
    alternatives = [f"[{first}-{top}]{any_char}{{0,{n - 2}}}"] if n > 1 else []
    for i, ch in enumerate(limit):
        start = first if i == 0 else low
        if ch > start:
            rest = f"{any_char}{{{n - i - 1}}}" if n - i - 1 else ""
            alternatives.append(f"{re.escape(limit[:i])}[{start}-{chr(ord(ch) - 1)}]{rest}")
    alternatives.append(re.escape(limit))
    return "(?:" + "|".join(alternatives) + ")"


def _extent_counted(data: bytes) -> tuple[int, int]:
    """Extent when some cells or rows have no ``r``: they follow their predecessor, as in calamine.

    A row without ``r`` is numbered after the highest row seen so far, which can only overstate.
    """
    row = seen = col = rows = cols = 0
    for m in _ROW_OR_CELL.finditer(data):
        attrs = m.group(2)
        r = _R_ATTR.search(attrs)
        value = unescape((r.group(1) or r.group(2) or b"").decode("utf-8", "replace")).strip() if r else ""
        if m.group(1) == b"row":
            row = _number(value) if value.isascii() and value.isdigit() else max(row, seen) + 1
            col = 0
            continue
        ref = _A1.fullmatch(value)
        if ref:
            col, at = col_number(ref.group(1).upper()), _number(ref.group(2))
        else:
            col, at = col + 1, max(row, 1)
        seen = max(seen, at)
        if not attrs.rstrip().endswith(b"/"):
            rows, cols = max(rows, at), max(cols, col)
    return rows, cols


def _number(digits: str | bytes) -> int:
    """An ASCII digit string as a number, leading zeros ignored, saturating at a trillion."""
    digits = digits.lstrip("0" if isinstance(digits, str) else b"0")
    return int(digits or 0) if len(digits) <= 12 else _HUGE


def _col_letters(n: int) -> str:
    """1-based column number -> letters (0 counts as A)."""
    return col_letter(max(n, 1) - 1)


def _range_detail(rows: int, cols: int, limits: Limits) -> str:
    corner = f"{_col_letters(cols)}{rows}" if cols <= 16384 else f"第{rows}行、第{cols}列"
    return (
        f"有内容的单元格延伸到{corner}，"
        f"上限为{limits.max_rows}行、{limits.max_cols}列（{_col_letters(limits.max_cols)}列）"
    )


# --- OpenDocument spreadsheets -------------------------------------------------------------------

_ODS_TAG = re.compile(
    (r"<(/?)(?:[A-Za-z_][\w.-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + _ATTRS + ">").encode()
)
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d+)")
_COLS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d+)")
_TABLE_NAME = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _check_ods(pkg: _Package, ext: str, limits: Limits, scans: dict) -> str:
    mime_info = pkg.by_name["mimetype"]
    mime = pkg.xml(mime_info).strip() if mime_info.file_size <= 200 else b""
    if mime != _ODS_MIME:
        kind = mime.decode("ascii", "replace").rsplit(".", 1)[-1]
        raise _Refused("file_not_workbook", ext=ext, detail=f"OpenDocument文件（{_short(kind) or '未知类型'}）")
    kept = {info.filename.casefold(): pkg.xml(info) for info in pkg.infos if _is_xml(info)}
    if b"encryption-data" in kept.get("meta-inf/manifest.xml", b""):
        raise _Refused("file_encrypted")
    if "content.xml" not in kept:
        raise _Refused("file_corrupt", detail="缺少content.xml")
    _check_ods_tables(kept["content.xml"], limits)
    scans.update(scan_content_xml(kept["content.xml"]))
    return "ods"


def _check_ods_tables(data: bytes, limits: Limits) -> None:
    """Rows and columns spanned by cells with content, counting every repeat."""
    sheet, row, rows, cols = "", 0, 0, 0
    row_rep, col, row_cols = 1, 0, 0
    for m in _ODS_TAG.finditer(data):
        closing, name, attrs = m.groups()
        empty = attrs.rstrip().endswith(b"/")
        if name == b"table":
            if not closing:
                n = _TABLE_NAME.search(attrs)
                sheet = unescape((n.group(1) or n.group(2) or b"").decode("utf-8", "replace")) if n else ""
                row = rows = cols = 0
        elif name == b"table-row":
            if not closing:
                rep = _ROWS_REPEATED.search(attrs)
                row_rep, col, row_cols = _number(rep.group(1)) if rep else 1, 0, 0
            if closing or empty:
                if row_cols:
                    rows, cols = max(rows, row + row_rep), max(cols, row_cols)
                    if rows > limits.max_rows or cols > limits.max_cols:
                        raise _Refused("file_huge_range", sheet=sheet, detail=_range_detail(rows, cols, limits))
                row += row_rep
        elif not closing:
            rep = _COLS_REPEATED.search(attrs)
            col += _number(rep.group(1)) if rep else 1
            if not empty or b"value-type" in attrs:
                row_cols = col
