"""A feedback workbook written as its unit's rendered template package with the filled cells
patched into the sheet parts (issue 24): values, problem highlights, comments (comments part,
VML drawing, the sheet's relationships and legacy drawing), the 问题清单 rows and ``_meta``.

Every cell is written as xlsxwriter writes it in :mod:`.template_writer` (same value rule, same
formats, shared strings escaped the same way, row heights by the same rule), so a patched
workbook reads back exactly like one the template writer fills; the equality is tested value
by value and issue by issue. Text is always escaped: xlsxwriter passes a string that starts
with ``<r>`` and ends with ``</r>`` through as rich text, which a unit's typed text must not be.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from ...files.zip_pieces import Piece, piece, write_zip
from ...system.model import Spec
from ...system.shares import UnitShare
from .. import layout as L
from ..cells import col_letter
from ..instructions import WIDTHS
from .fill import CellFill, Fill
from .package import Package, PackageMismatch, SheetPart, join_sheet, sst_body
from .template_writer import (
    COMMENT_SCALE,
    KEYED_FIRST_ROW,
    cell_value,
    comment_author,
    comment_text,
    contact_cells,
    fillable,
    front_row_height,
    front_width,
    keyed_row_height,
    meta_rows,
    row_fill,
)

_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ESCAPE_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_HT_ATTR = re.compile(r' ht="[^"]*"| customHeight="1"')
_STRMAX = 32767
_DEFAULT_ROW_PX, _DEFAULT_COL_PX = 20, 64


def write_patched(
    path: Path,
    pkg: Package,
    spec: Spec,
    share: UnitShare,
    year: int,
    deadline: str,
    generated_at: str,
    fill: Fill,
    layouts: list[L.SheetLayout],
) -> None:
    """The feedback workbook of ``fill`` at ``path``, from the rendered ``pkg`` (``layouts``: the
    keyed sheets of ``fill``'s shape, as :func:`.layout.keyed_sheets` gives them)."""
    strings = _Strings(pkg.sst_count, pkg.sst_unique)
    edits: dict[str, _Sheet] = {}

    def sheet(name: str, widths: list[int]) -> _Sheet:
        if name not in edits:
            if name not in pkg.sheets:
                raise PackageMismatch(name)
            edits[name] = _Sheet(pkg.sheets[name], pkg.xf, strings, widths)
        return edits[name]

    by_key, list_seen = fill.by_key(), {}
    for layout in layouts:
        widths = [0] + [_col_px(c.width) for c in layout.columns[1:]]  # column A (keys) is hidden
        for i, row in enumerate(layout.rows):
            filled = row_fill(fill, by_key, row, list_seen)
            if not filled:
                continue
            ed, r = sheet(layout.name, widths), KEYED_FIRST_ROW + i
            for c, col in enumerate(layout.columns[1:], 1):
                if col.header in filled and fillable(row, col):
                    ed.put(r, c, col.kind, filled[col.header])
            ed.height(r, keyed_row_height(layout, row, filled))
    where = spec.derived.memo(_contact_cells, share.unit, year, deadline)
    for label, cell in fill.contact.items():
        if label in where:
            sheet(L.SHEET_INSTRUCTIONS, [_col_px(w) for w in WIDTHS]).put(*where[label], "text", cell)
    if fill.front is not None:
        _front(sheet(fill.front[0], []), fill.front[2], len(fill.front[1]))
    meta = sheet(L.SHEET_META, [])
    meta.replace_rows(meta_rows(spec, share, year, deadline, generated_at, fill.meta), None)
    write_zip(path, _assemble(pkg, edits, strings, comment_author(spec), fill.front))


def _contact_cells(spec: Spec, unit: str, year: int, deadline: str) -> dict[str, tuple[int, int]]:
    from ...system.shares import unit_share

    return contact_cells(spec, unit_share(spec, unit, year), year, deadline)


class _Strings:
    """New shared strings appended after the package's own."""

    def __init__(self, count: int, unique: int):
        self.count, self.unique, self.index, self.xml = count, unique, {}, []

    def add(self, text: str) -> int:
        self.count += 1
        if text not in self.index:
            self.index[text] = self.unique
            self.unique += 1
            esc = _ESCAPE_ESCAPE.sub(r"_x005F\1", text)
            esc = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", esc)
            esc = esc.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
            self.xml.append(f"<si><t{_preserve(esc)}>{_esc(esc)}</t></si>")
        return self.index[text]

    def pieces(self, base: bytes, deflated: bytes | None) -> list[Piece]:
        head_end = base.index(b">", base.index(b"<sst")) + 1
        head = re.sub(rb' count="\d+"', f' count="{self.count}"'.encode(), base[:head_end], count=1)
        head = re.sub(rb' uniqueCount="\d+"', f' uniqueCount="{self.unique}"'.encode(), head, count=1)
        new = ("".join(self.xml) + "</sst>").encode("utf-8")
        return [piece(head), piece(sst_body(base), deflated), piece(new)]


class _Sheet:
    """The edits of one worksheet part: replaced cells, row heights, new rows, comments."""

    def __init__(self, base: SheetPart, xf: dict[tuple[str, str], int], strings: _Strings, widths: list[int]):
        self.base, self.xf, self.strings, self.widths = base, xf, strings, widths
        self.rows = dict(base.rows)
        self.heights = dict(base.heights)
        self.comments: list[tuple[int, int, str]] = []
        self.dimension: str | None = None
        self.filter_ref: str | None = None

    def put(self, r: int, c: int, kind: str, cell: CellFill) -> None:
        how, value = cell_value(cell.value)
        ref = f"{col_letter(c)}{r + 1}"
        if how == "number" and not math.isfinite(value):
            how, value = "text", str(cell.value)
        s = self.xf[("date" if how == "date" else kind, cell.style)]
        if how == "date":
            xml = f'<c r="{ref}" s="{s}"><v>{_excel_date(value):.16G}</v></c>'
        elif how == "number":
            xml = f'<c r="{ref}" s="{s}"><v>{value:.16G}</v></c>'
        elif how == "blank":
            xml = f'<c r="{ref}" s="{s}"/>'
        else:
            xml = f'<c r="{ref}" s="{s}" t="s"><v>{self.strings.add(_truncate(value))}</v></c>'
        row = self.rows.get(r)
        start = row.find(f'<c r="{ref}"') if row is not None else -1
        if row is None or start < 0:
            raise PackageMismatch(f"{self.base.part}!{ref}")
        tag_end = row.index(">", start)
        end = tag_end + 1 if row[tag_end - 1] == "/" else row.index("</c>", tag_end) + 4
        self.strings.count -= row.count(' t="s"', start, end)
        self.rows[r] = row[:start] + xml + row[end:]
        if cell.comment:
            self.comments.append((r, c, comment_text(cell.comment)))

    def height(self, r: int, points: float) -> None:
        px = int(points * 4.0 / 3.0 + 0.5)
        if px == self.heights.get(r, _DEFAULT_ROW_PX):
            return
        row = self.rows[r]
        tag_end = row.index(">")
        closed = row[tag_end - 1] == "/"
        tag = row[: tag_end - closed]
        if " ht=" in tag:
            tag = _HT_ATTR.sub("", tag)
        if px != _DEFAULT_ROW_PX:
            tag += f' ht="{px * 0.75:.16g}" customHeight="1"'
            self.heights[r] = px
        else:
            self.heights.pop(r, None)
        self.rows[r] = tag + row[tag_end - closed :]

    def replace_rows(self, rows: list[list[str]], style: int | None, first: int = 0, heights: list[float] = ()) -> None:
        """Rows ``first``… of plain text cells (``_meta``, the 问题清单 list), in place of the package's."""
        for r in [r for r in self.rows if r >= first]:
            self.strings.count -= self.rows.pop(r).count(' t="s"')  # the count is of references
        s = f' s="{style}"' if style is not None else ""
        last_col = max((len(r) for r in rows), default=1)
        for n, values in enumerate(rows):
            r = first + n
            cells = "".join(
                f'<c r="{col_letter(c)}{r + 1}"{s} t="s"><v>{self.strings.add(_truncate(str(v)))}</v></c>'
                for c, v in enumerate(values)
                if v != "" or style is not None
            )
            self.rows[r] = f'<row r="{r + 1}" spans="1:{last_col}">{cells}</row>'
            if n < len(heights):
                self.height(r, heights[n])
        if rows:
            self.dimension = f"A1:{col_letter(last_col - 1)}{max(self.rows) + 1}"

    def pieces(self, legacy_rid: str | None, deflated: dict[str, bytes]) -> list[Piece]:
        """The part as pieces: the package's head and tail reused unless this sheet changed them."""
        part, head, tail = self.base.part, self.base.head, self.base.tail.removesuffix("</worksheet>")
        if self.dimension is not None:
            head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{self.dimension}"/>', head, count=1)
        reuse_tail = self.filter_ref is None
        if not reuse_tail:
            tail = re.sub(r'<autoFilter ref="[^"]*"/>', f'<autoFilter ref="{self.filter_ref}"/>', tail, count=1)
        body = "".join(self.rows[r] for r in sorted(self.rows)).encode("utf-8")
        end = (f'<legacyDrawing r:id="{legacy_rid}"/>' if legacy_rid else "") + "</worksheet>"
        return [
            piece(head.encode("utf-8"), deflated.get("head:" + part) if self.dimension is None else None),
            piece(body),
            piece(tail.encode("utf-8"), deflated.get("tail:" + part) if reuse_tail else None),
            piece(end.encode("utf-8")),
        ]

    def row_px(self, r: int) -> int:
        return self.heights.get(r, _DEFAULT_ROW_PX)

    def col_px(self, c: int) -> int:
        return self.widths[c] if c < len(self.widths) else _DEFAULT_COL_PX


def _front(ed: _Sheet, rows: list[list[str]], ncols: int) -> None:
    """The 问题清单 rows under the package's header row; its filter covers them."""
    ed.replace_rows(rows, ed.xf[("td", "")], 1, [front_row_height(r) for r in rows])
    last = f"{col_letter(ncols - 1)}{max(len(rows), 1) + 1}"
    ed.filter_ref = f"A1:{last}"
    ed.widths = [_col_px(front_width(c)) for c in range(ncols)]


def _assemble(
    pkg: Package, edits: dict[str, _Sheet], strings: _Strings, author: str, front: Any
) -> list[tuple[str, list[Piece]]]:
    out: list[tuple[str, list[Piece]]] = []
    extra: list[tuple[str, list[Piece]]] = []
    overrides: list[str] = []
    by_part = {ed.base.part: ed for ed in edits.values()}
    unedited = {s.part: s for s in pkg.sheets.values() if s.part not in by_part}
    n_comments, data_id = 0, 1
    for name, data in pkg.parts:
        ed = by_part.get(name)
        if name in unedited:
            pieces = [piece(join_sheet(unedited[name]), pkg.deflated.get(name))]
        elif ed is not None:
            rid = None
            if ed.comments:
                n_comments += 1
                rid = "rId1"
                file = name.rsplit("/", 1)[1]
                extra.append((f"xl/worksheets/_rels/{file}.rels", [piece(_sheet_rels(n_comments))]))
                extra.append((f"xl/drawings/vmlDrawing{n_comments}.vml", [piece(_vml(ed, data_id))]))
                extra.append((f"xl/comments{n_comments}.xml", [piece(_comments_xml(ed.comments, author))]))
                overrides.append(f"/xl/comments{n_comments}.xml")
                data_id += 1 + len(ed.comments) // 1024
            pieces = ed.pieces(rid, pkg.deflated)
        elif name == "xl/sharedStrings.xml":
            pieces = strings.pieces(data, pkg.deflated.get("sst"))
        elif name == "xl/workbook.xml" and front is not None:
            ref = next((e.filter_ref for e in edits.values() if e.filter_ref), None)
            pieces = [piece(_filter_name(data, ref))] if ref is not None else [piece(data, pkg.deflated.get(name))]
        elif name == "docProps/core.xml":
            now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
            pieces = [piece(re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + now, data))]
        elif name == "[Content_Types].xml":
            pieces = []  # after the comments are known
        else:
            pieces = [piece(data, pkg.deflated.get(name))]
        out.append((name, pieces))
    types = dict(pkg.parts)["[Content_Types].xml"]
    out = [
        (n, p or [piece(_content_types(types, overrides)) if overrides else piece(types, pkg.deflated.get(n))])
        for n, p in out
    ]
    return out + extra


def _filter_name(data: bytes, ref: str) -> bytes:
    """The hidden ``_FilterDatabase`` name the filter of the first sheet needs."""
    a, b = ref.split(":")
    absolute = "$" + re.sub(r"(\d+)", r"$\1", a) + ":$" + re.sub(r"(\d+)", r"$\1", b)
    return re.sub(
        rb'(<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">[^<!]*!)[^<]*',
        rb"\g<1>" + absolute.encode(),
        data,
        count=1,
    )


def _content_types(data: bytes, comments: list[str]) -> bytes:
    xml = data.decode("utf-8")
    if 'Extension="vml"' not in xml:
        vml = '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
        plain = '<Default Extension="xml" ContentType="application/xml"/>'
        xml = xml.replace(plain, plain + vml, 1)
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
    extra = "".join(f'<Override PartName="{p}" ContentType="{ct}"/>' for p in comments)
    return xml.replace("</Types>", extra + "</Types>").encode("utf-8")


def _sheet_rels(n: int) -> bytes:
    return (
        f'{_DECL}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC_RELS}/vmlDrawing" Target="../drawings/vmlDrawing{n}.vml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_RELS}/comments" Target="../comments{n}.xml"/></Relationships>'
    ).encode()


def _comments_xml(comments: list[tuple[int, int, str]], author: str) -> bytes:
    font = '<rPr><sz val="8"/><color indexed="81"/><rFont val="Tahoma"/><family val="2"/></rPr>'
    items = "".join(
        f'<comment ref="{col_letter(c)}{r + 1}" authorId="0"><text><r>{font}'
        f"<t{_preserve(t)}>{_esc(t)}</t></r></text></comment>"
        for r, c, t in sorted(comments)
    )
    return (
        f'{_DECL}<comments xmlns="{_MAIN}"><authors><author>{_esc(author)}</author></authors>'
        f"<commentList>{items}</commentList></comments>"
    ).encode()


def _vml(ed: _Sheet, data_id: int) -> bytes:
    """The legacy drawing of a sheet's comment boxes, placed as xlsxwriter places them (next
    to the cell, 2.4 × 1.8 the default box)."""
    count = len(ed.comments)
    ids = ",".join(str(i) for i in range(data_id, data_id + count // 1024 + 1))
    shapes = []
    for z, (r, c, _) in enumerate(sorted(ed.comments), 1):
        v = _vertices(ed, r, c, int(0.5 + 128 * COMMENT_SCALE["x_scale"]), int(0.5 + 74 * COMMENT_SCALE["y_scale"]))
        left, top, width, height = (x * 0.75 for x in v[8:12])
        anchor = ", ".join(str(x) for x in (v[0], v[2], v[1], v[3], v[4], v[6], v[5], v[7]))
        shapes.append(
            f'<v:shape id="_x0000_s{1024 * data_id + z}" type="#_x0000_t202" style="position:absolute;'
            f"margin-left:{left:.15g}pt;margin-top:{top:.15g}pt;width:{width:.15g}pt;height:{height:.15g}pt;"
            f'z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{anchor}</x:Anchor>'
            f"<x:AutoFill>False</x:AutoFill><x:Row>{r}</x:Row><x:Column>{c}</x:Column></x:ClientData></v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
        f'<o:idmap v:ext="edit" data="{ids}"/></o:shapelayout><v:shapetype id="_x0000_t202" '
        'coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>' + "".join(shapes) + "</xml>"
    ).encode("utf-8")


def _vertices(ed: _Sheet, row: int, col: int, width: int, height: int) -> list[int]:
    """xlsxwriter's placement of a comment box: from the cell right of ``col``, a row above."""
    start_row, y1 = (0, 2) if row == 0 else (row - 1, 10)
    start_col, x1 = col + 1, 15
    x_abs = sum(ed.col_px(c) for c in range(start_col)) + x1
    y_abs = sum(ed.row_px(r) for r in range(start_row)) + y1
    start_col, x1 = _advance(ed.col_px, start_col, x1)
    start_row, y1 = _advance(ed.row_px, start_row, y1)
    col_end, w = _advance(ed.col_px, start_col, width + x1 if ed.col_px(start_col) > 0 else width)
    row_end, h = _advance(ed.row_px, start_row, height + y1 if ed.row_px(start_row) > 0 else height)
    return [start_col, start_row, x1, y1, col_end, row_end, w, h, x_abs, y_abs, width, height]


def _advance(size: Any, index: int, offset: int) -> tuple[int, int]:
    """The column (row) an offset in pixels from ``index`` falls in, and the offset within it."""
    while offset >= size(index):
        offset -= size(index)
        index += 1
    return index, offset


def _col_px(width: float) -> int:
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def _excel_date(when: dt.datetime) -> float:
    delta = when - dt.datetime(1899, 12, 31)
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return serial + 1 if serial > 59 else serial  # Excel's 1900 leap day


def _truncate(text: str) -> str:
    """At most Excel's 32,767 characters, counted in UTF-16 units as xlsxwriter counts them."""
    if len(text) <= _STRMAX // 2 or len(text.encode("utf-16-le")) // 2 <= _STRMAX:
        return text
    out, units = [], 0
    for ch in text:
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > _STRMAX:
            break
        out.append(ch)
    return "".join(out)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _preserve(text: str) -> str:
    return ' xml:space="preserve"' if text and (text[0].isspace() or text[-1].isspace()) else ""
