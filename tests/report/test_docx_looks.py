"""Run properties copied from a prototype and style ids looked up once (issue 24, write stage):
the XML is what python-docx's own setters write, and no run shares its properties with another."""

from __future__ import annotations

import pytest
from docx import Document
from docx.shared import Pt
from lxml import etree

from yongji_xls.report import docx_style as st
from yongji_xls.report.docx_report import ReportBuilder

LOOKS = [
    (st.FANGSONG, st.SIZE_SAN, False, True),
    (st.FANGSONG, st.SIZE_SAN, True, True),
    (st.HEITI, st.SIZE_SI, False, False),
    (st.XIAOBIAOSONG, st.SIZE_ER, False, False),
    (st.SONGTI, Pt(10.5), False, False),
]


def _xml(el) -> bytes:
    return etree.tostring(el)


@pytest.mark.parametrize(("font", "size", "bold", "condensed"), LOOKS)
def test_a_new_run_gets_exactly_what_the_setters_write(font, size, bold, condensed):
    doc = Document()
    p = doc.add_paragraph()
    fast = st.font_run(p.add_run("正文 text"), font, size, bold=bold, condensed=condensed)
    slow = st._format_run(p.add_run("正文 text"), font, size, bold, condensed)
    assert _xml(fast._element) == _xml(slow._element)
    names = fast._element.rPr.find(st.qn("w:rFonts"))
    assert {names.get(st.qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {font}
    assert fast.font.size == size and fast.font.bold is bold
    spacing = fast._element.rPr.find(st.qn("w:spacing"))
    assert (spacing is not None and spacing.get(st.qn("w:val")) == str(st.CONDENSE_TWIPS)) == condensed


def test_runs_share_no_properties():
    doc = Document()
    p = doc.add_paragraph()
    first = st.font_run(p.add_run("甲"), st.FANGSONG, st.SIZE_SAN)
    second = st.font_run(p.add_run("乙"), st.FANGSONG, st.SIZE_SAN)
    first.font.bold = True
    first.font.size = Pt(30)
    assert second.font.bold is False and second.font.size == st.SIZE_SAN
    third = st.font_run(p.add_run("丙"), st.FANGSONG, st.SIZE_SAN)
    assert third.font.bold is False and third.font.size == st.SIZE_SAN
    assert first._element.rPr is not second._element.rPr


def test_a_run_that_has_properties_keeps_them_and_gets_the_font():
    doc = Document()
    run = doc.add_paragraph().add_run("已有格式")
    run.font.italic = True
    run.font.size = Pt(9)
    st.font_run(run, st.KAITI, st.SIZE_SAN, bold=True)
    assert run.font.italic is True and run.font.bold is True and run.font.size == st.SIZE_SAN
    assert run._element.rPr.find(st.qn("w:rFonts")).get(st.qn("w:eastAsia")) == st.KAITI


def test_a_styled_paragraph_is_what_add_paragraph_writes():
    builder = ReportBuilder({"title": "标题", "office": "办公室"}, None)
    doc = builder.doc
    for style in ("Heading 1", "Heading 2", "Normal", None):
        ours = builder.paragraph(style)
        theirs = doc.add_paragraph(style=style)
        assert _xml(ours._p) == _xml(theirs._p), style
        assert ours.style.name == (style or "Normal")
    assert builder.style_id("Heading 1") == doc.styles["Heading 1"].style_id
    assert builder.style_id("Normal") is None  # the default style is never written
    table = builder.grid(["甲", "乙"], [20, 20], [["1", "2"]])
    assert table.style.name == "Table Grid"
