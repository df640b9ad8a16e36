"""GB/T 9704-2012 layout helpers for python-docx: page, fonts, styles, page numbers, tables.

Why every run gets explicit fonts: Word and WPS pick the East-Asian font from ``w:eastAsia``
only; a style's Latin font name or a theme font does not reach Chinese characters, and the
default template's theme fonts (``asciiTheme``…) override names set beside them. So each run
carries ascii/hAnsi/eastAsia/cs names and the theme attributes are removed.

Type area and line grid (GB/T 9704-2012 §5.2): A4 210 × 297 mm, margins top 37, bottom 35,
left 28, right 26 mm, so the type area is 156 × 225 mm (442.2 × 637.8 pt).
- Lines: body 三号 (16 pt) at a fixed 28 pt line pitch gives floor(637.8 / 28) = 22 lines.
- Characters: 442.2 pt / 28 = 15.79 pt per character; a 16 pt character is condensed by 0.25 pt
  (``w:spacing w:val=-5``, twentieths of a point) so 28 × 15.75 = 441 pt fits one line.
No document grid is used: LibreOffice and WPS snap table rows to a grid differently, and the
explicit spacing gives the same 22 × 28 page in Word, WPS and LibreOffice.
"""

from __future__ import annotations

import functools
import re
from copy import deepcopy

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
SIZE_ER = Pt(22)  # 二号
SIZE_SAN = Pt(16)  # 三号
SIZE_SI = Pt(14)  # 四号
SIZE_XIAOSI = Pt(12)  # 小四 (tables)
LINE_PITCH = Pt(28)
CONDENSE_TWIPS = -5  # −0.25 pt per character → 28 characters per line
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr_owner, font: str) -> None:
    """Name ``font`` for every script on a run or style (``rPr/rFonts``), dropping theme fonts."""
    _name_fonts(rpr_owner.get_or_add_rPr().get_or_add_rFonts(), font)


def _name_fonts(fonts, font: str) -> None:
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def font_run(run, font: str, size: Pt, bold: bool = False, condensed: bool = False):
    """Font, size and weight of one run, East-Asian name included; returns the run.

    A new run (no ``w:rPr`` yet: every run the writers make) gets a copy of the properties
    :func:`_run_look` built once for this look: setting them through python-docx looks up each
    child's schema position among ~40 successor tags, several times a run (11 % of a report)."""
    if run._element.rPr is None:
        run._element.insert(0, deepcopy(_run_look(font, size, bold, condensed)))
        return run
    return _format_run(run, font, size, bold, condensed)


@functools.lru_cache(maxsize=64)
def _run_look(font: str, size: Pt, bold: bool, condensed: bool):
    """The ``w:rPr`` :func:`_format_run` gives a new run: a prototype, only ever copied."""
    from docx.text.run import Run

    r = OxmlElement("w:r")
    _format_run(Run(r, None), font, size, bold, condensed)
    return r.rPr


def _format_run(run, font: str, size: Pt, bold: bool, condensed: bool):
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    set_fonts(run._element, font)
    if condensed:
        _spacing(run._element.get_or_add_rPr(), CONDENSE_TWIPS)
    return run


# Word rejects (repair prompt) children out of schema order, so new elements go before these.
_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_AFTER_CANT_SPLIT = (
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
)
_AFTER_TBL_HEADER = _AFTER_CANT_SPLIT[2:]
_AFTER_TBL_LAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _child(parent, tag: str, successors: tuple[str, ...]):
    """The ``tag`` child of ``parent``, created in its schema position if missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.insert_element_before(el, *successors)
    return el


def _spacing(rpr, twips: int) -> None:
    _child(rpr, "w:spacing", _AFTER_SPACING).set(qn("w:val"), str(twips))


def exact_lines(paragraph_format, pitch: Pt = LINE_PITCH) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = pitch
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def setup_page(section) -> None:
    """A4 portrait with the GB/T 9704 margins; the footer sits 7 mm below the type area."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # 35 − 7 mm gap − ~6 mm footer line


def _style(doc, name: str, font: str, size: Pt):
    """A body style: ``font`` at ``size``, exact 28 pt lines, a two-character first-line indent."""
    style = doc.styles[name]
    style.font.name, style.font.size, style.font.bold, style.font.italic = font, size, False, False
    style.font.color.rgb = None
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    exact_lines(fmt)
    fmt.first_line_indent = Pt(size.pt * 2)
    return style


def setup_styles(doc) -> None:
    """Normal = 仿宋_GB2312 三号 at 28 pt; Heading 1/2 = 黑体 / 楷体_GB2312 三号 (outline kept)."""
    normal = _style(doc, "Normal", FANGSONG, SIZE_SAN)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False
    _spacing(normal.element.get_or_add_rPr(), CONDENSE_TWIPS)
    lang = _child(normal.element.get_or_add_rPr(), "w:lang", ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for name, font in (("Heading 1", HEITI), ("Heading 2", KAITI)):
        style = _style(doc, name, font, SIZE_SAN)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            _name_fonts(fonts, FANGSONG)


def _field(paragraph, instr: str, font: str, size: Pt) -> None:
    """A complex field (begin, instrText, separate, placeholder, end), each run with fonts."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        run = font_run(paragraph.add_run(), font, size)
        if kind == "text":
            run.text = text
        elif kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._element.append(el)
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)


def page_number(footer, odd: bool) -> None:
    """「— n —」 in 宋体 四号: odd pages right, even pages left, one character in from the edge."""
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.first_line_indent = Pt(0)
    if odd:
        p.paragraph_format.right_indent = SIZE_SI
    else:
        p.paragraph_format.left_indent = SIZE_SI
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    font_run(p.add_run("— "), SONGTI, SIZE_SI)
    _field(p, "PAGE", SONGTI, SIZE_SI)
    font_run(p.add_run(" —"), SONGTI, SIZE_SI)


def setup_footers(doc, section) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    page_number(section.footer, odd=True)
    page_number(section.even_page_footer, odd=False)


def repeat_header(row) -> None:
    """Repeat a table's header row on every page it spans."""
    _child(row._tr.get_or_add_trPr(), "w:tblHeader", _AFTER_TBL_HEADER).set(qn("w:val"), "true")


def no_split(row) -> None:
    _child(row._tr.get_or_add_trPr(), "w:cantSplit", _AFTER_CANT_SPLIT)


def column_widths(table, widths) -> None:
    """Fixed column widths in both places readers look: the grid (LibreOffice) and each cell (Word)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    _child(table._tbl.tblPr, "w:tblLayout", _AFTER_TBL_LAYOUT).set(qn("w:type"), "fixed")
    for col, w in zip(table.columns, widths):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def cell_text(cell, text: str, font: str = FANGSONG, size: Pt = SIZE_XIAOSI, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    """Replace a table cell's text; lines of ``text`` become paragraphs, single-spaced, no indent.

    Formatting one cell through python-docx costs ~1 ms, and an evidence annex has thousands:
    the first cell of each look is formatted through the API, later ones copy its XML."""
    lines = str(text).split("\n") or [""]
    first = cell.paragraphs[0]
    for run in first.runs:  # (``.text = ""`` would leave a run without fonts)
        run._element.getparent().remove(run._element)
    key = (font, size, align)
    cached = _CELL_LOOKS.get(key)
    for n, line in enumerate(lines):
        p = first if n == 0 else cell.add_paragraph()
        if cached is None:
            fmt = p.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.space_before = fmt.space_after = Pt(0)
            fmt.alignment = align
            run = font_run(p.add_run(line), font, size)
            cached = _CELL_LOOKS[key] = (deepcopy(p._p.pPr), deepcopy(run._element.rPr))
            continue
        ppr, rpr = cached
        if p._p.pPr is not None:
            p._p.remove(p._p.pPr)
        p._p.insert(0, deepcopy(ppr))
        r = p._p.add_r()
        r.insert(0, deepcopy(rpr))
        r.text = line


_CELL_LOOKS: dict[tuple, tuple] = {}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def xml_text(text: object) -> str:
    """Text safe for XML: control characters a spreadsheet may carry are dropped."""
    return _XML_ILLEGAL.sub("", str(text))


_TC, _P, _R_T = qn("w:tc"), qn("w:p"), f"{qn('w:r')}/{qn('w:t')}"


def row_copy(proto, values):
    """A copy of the prototype ``w:tr`` with each cell's text replaced (lines → paragraphs)."""
    tr = deepcopy(proto)
    for tc, value in zip(tr.findall(_TC), values):
        p = tc.find(_P)
        lines = xml_text("" if value is None else value).split("\n")
        for n, line in enumerate(lines):
            para = p if n == 0 else deepcopy(p)
            if n:
                tc.append(para)
            t = para.find(_R_T)
            t.text = line
            if line != line.strip():
                t.set(_XML_SPACE, "preserve")
    return tr


SIZE_WU = Pt(10.5)  # 五号 (the annex tables)
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def tab_stop_right(paragraph, position: Pt) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT

    paragraph.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def red_rule(paragraph, space_pt: int = 11) -> None:
    """The red separator under 发文字号 (GB/T 9704-2012 7.2.7: 4 mm below, the type area's width)."""
    border = _child(paragraph._p.get_or_add_pPr(), "w:pBdr", _AFTER_PBDR)
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", str(space_pt)), ("w:color", "FF0000")):
        bottom.set(qn(k), v)
    border.append(bottom)


def _borders(cell, top: int, bottom: int) -> None:
    """Only horizontal rules on a 版记 cell (sizes in eighths of a point; 0 = none)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = _child(
        tcpr,
        "w:tcBorders",
        ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
    )
    for side, size in (("top", top), ("left", 0), ("bottom", bottom), ("right", 0)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if size else "nil")
        if size:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:color"), "000000")
        borders.append(el)


THICK, THIN = 8, 6  # 版记 rules: 0.35 mm and 0.25 mm, in eighths of a point (1 pt and 0.75 pt)


def imprint_table(doc, rows: list[tuple[str, str]]) -> None:
    """版记: one row per element (抄送 across, 印发机关 left and 印发日期 right, each a character in
    from the edge), 四号 仿宋, a thick rule above the first and below the last and thin ones
    between, the table floated to the foot of the last page's type area (GB/T 9704-2012 7.4)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    pos = OxmlElement("w:tblpPr")
    for k, v in (
        ("w:leftFromText", "0"),
        ("w:rightFromText", "0"),
        ("w:vertAnchor", "margin"),
        ("w:horzAnchor", "margin"),
        ("w:tblpXSpec", "center"),
        ("w:tblpYSpec", "bottom"),
    ):
        pos.set(qn(k), v)
    style = tblpr.find(qn("w:tblStyle"))
    (style.addnext(pos) if style is not None else tblpr.insert(0, pos))
    column_widths(table, [Mm(90), Mm(66)])
    for n, (left, right) in enumerate(rows):
        cells = table.rows[n].cells
        if not right:
            cells = [cells[0].merge(cells[1])]
        for cell, text, align in zip(cells, (left, right), (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT)):
            cell_text(cell, text, FANGSONG, SIZE_SI, align=align)
            fmt = cell.paragraphs[0].paragraph_format
            fmt.left_indent = fmt.right_indent = SIZE_SI
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_PITCH
            _borders(cell, THICK if n == 0 else 0, THICK if n == len(rows) - 1 else THIN)
    doc.add_paragraph().paragraph_format.line_spacing = Pt(1)  # a floating table anchors to a paragraph


def plain_page_numbers(section) -> None:
    """「第n页」 centred in 宋体 五号: the page numbers of a plain (non-公文) document."""
    p = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    font_run(p.add_run("第"), SONGTI, SIZE_WU)
    _field(p, "PAGE", SONGTI, SIZE_WU)
    font_run(p.add_run("页"), SONGTI, SIZE_WU)
