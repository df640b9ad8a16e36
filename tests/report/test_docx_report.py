"""The Word report, re-read with python-docx: GB/T 9704 page and fonts, East-Asian font names on
every run, headings, the score table, the page-number field, the chart, the template contract,
and a LibreOffice conversion."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import jinja2
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from factories import build_result, pdf_text, to_pdf
from jinja2 import meta

from yongji_xls.report import chart
from yongji_xls.report.brief import brief_context
from yongji_xls.report.context import build_context, reminder_context
from yongji_xls.report.docx_report import TemplateMarkupError, write_docx_report
from yongji_xls.report.templates_path import ENV_VAR, templates_dir
from yongji_xls.scoring.display import show


@pytest.fixture(scope="module")
def result():
    return build_result()


@pytest.fixture(scope="module")
def written(tmp_path_factory, result):
    out = tmp_path_factory.mktemp("docx")
    path, issues = write_docx_report(result, out / "自评报告.docx", chart_dir=out / "charts")
    return path, issues, out


@pytest.fixture(scope="module")
def doc(written):
    return docx.Document(str(written[0]))


def runs_of(element) -> list:
    return list(element.iter(qn("w:r")))


def east_asia(run_element) -> str | None:
    fonts = run_element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def paragraph(doc, start: str):
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def test_a4_page_and_gb9704_margins(doc):
    s = doc.sections[0]
    assert (round(s.page_width.mm, 1), round(s.page_height.mm, 1)) == (210.0, 297.0)
    for name, mm in (("top_margin", 37), ("bottom_margin", 35), ("left_margin", 28), ("right_margin", 26)):
        assert abs(getattr(s, name).mm - mm) <= 0.1, name


def test_title_is_xiaobiaosong_erhao(doc):
    title = doc.paragraphs[0]
    assert title.text.startswith("永济市创建全国网络市场监管")
    for run in title.runs:
        assert run.font.size == Pt(22)
        assert east_asia(run._element) == "方正小标宋简体"


def test_body_is_fangsong_sanhao_with_exact_28pt_lines(doc):
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.font.name == "仿宋_GB2312"
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28)
    body = paragraph(doc, "根据《")
    assert body.style.name == "Normal" and body.paragraph_format.first_line_indent in (None, Pt(32))
    assert all(r.font.size == Pt(16) and east_asia(r._element) == "仿宋_GB2312" for r in body.runs)


def test_every_run_names_an_east_asian_font(doc):
    parts = [doc.element.body] + [f._element for s in doc.sections for f in (s.footer, s.even_page_footer)]
    runs = [r for part in parts for r in runs_of(part)]
    assert len(runs) > 400
    assert [r for r in runs if not east_asia(r)] == []


SCHEMA_ORDER = {  # ECMA-376 child sequences of the elements we add to: Word repairs files that break them
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden "
    "color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc "
    "hidden ins del trPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
    "tblInd tblBorders shd "
    "tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
}


def test_added_elements_keep_schema_order(doc):
    parts = [doc.element.body, doc.styles.element, doc.sections[0].footer._element]
    for name, sequence in SCHEMA_ORDER.items():
        rank = {tag: n for n, tag in enumerate(sequence.split())}
        for part in parts:
            for el in part.iter(qn(f"w:{name}")):
                tags = [c.tag.split("}")[1] for c in el]
                ranks = [rank[t] for t in tags if t in rank]
                assert ranks == sorted(ranks), (name, tags)


def test_heading_fonts(doc):
    h1 = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p for p in doc.paragraphs if p.text.startswith("（一）")]
    assert [p.text for p in h1] == [
        "一、基本情况",
        "二、自评得分情况",
        "三、主要做法和成效",
        "四、存在的问题",
        "五、下一步工作打算",
    ]
    assert all(east_asia(r._element) == "黑体" for p in h1 for r in p.runs)
    assert h2 and all(east_asia(r._element) == "楷体_GB2312" for p in h2 for r in p.runs)
    assert all(r.font.size == Pt(16) for p in h1 + h2 for r in p.runs)


def test_score_table_has_the_five_first_level_rows(doc, result):
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "一级指标")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == [f.name for f in result.card.first_level] + ["合计"]
    for row, level in zip(rows, result.card.first_level):
        assert row[1:4] == [show(level.max), show(level.score), show(level.rate * 100) + "%"]
        assert row[5] == ("是" if level.passed else "否")
    assert rows[0][1:4] == ["20", "14", "70%"] and rows[-1][2] == "87"


def test_footer_has_page_field_in_dash_form(doc):
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
        assert all(east_asia(r) == "宋体" for r in runs_of(footer._element))


def test_chart_is_embedded(doc, written):
    assert len(doc.inline_shapes) == 1
    images = [p for p in doc.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 1 and images[0].blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert (written[2] / "charts" / "一级指标得分率.png").is_file()
    assert written[1] == []  # a CJK font is installed here (.ci/run installs fonts-noto-cjk)


def test_sections_annexes_and_signature(doc, result):
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "自评总分为87分（满分100分）" in text
    assert "促进发展得分率70%，未达到75%" in text and "自评结果未达到合格标准" in text
    assert "暂未达到" not in text  # the pending points are in 优化服务: they cannot turn the verdict
    assert text.index("特此报告。") < text.index("附件：1.三级指标自评得分明细") < text.index("附件1\n")
    assert "2.佐证材料目录" in text and "附件2" in text and "任务分解表" not in text
    annex = annex_table(doc)
    assert len(annex.rows) == 1 + 41 + 1
    assert [c.text for c in annex.rows[0].cells] == ["编号", "三级指标", "分值", "得分", "得分依据"]


def annex_table(doc):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["编号", "三级指标"])


def test_annex_basis_is_in_words_and_the_catalogue_names_indicators_and_units(doc, result):
    annex = annex_table(doc)
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in annex.rows[1:] if r.cells[0].text}
    assert rows["1"][1] == result.card.indicators[0].name and "%" in rows["1"][4]
    catalogue = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["编号", "三级指标", "责任单位及佐证材料"]
    )
    entries = [[c.text for c in r.cells] for r in catalogue.rows[1:]]
    units = {u.name for u in result.spec.units}
    assert entries and all(e[2].split("：")[0] in units for e in entries)  # every row names its unit
    named = {e[1] for e in entries if e[1]}
    assert named <= {i.name for i in result.card.indicators}  # indicators by name, never by key


def test_overrides_show_computed_and_confirmed(tmp_path):
    from decimal import Decimal

    res = build_result(overrides={"I06": (Decimal(2), "统计口径经省局确认")})
    path, _ = write_docx_report(res, tmp_path / "r.docx")
    d = docx.Document(str(path))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "其中1项指标经领导小组办公室核定调整（计算得分合计87分）" in text
    row = next(r for r in annex_table(d).rows if r.cells[0].text == "6")
    assert "计算得分0分，核定为2分（统计口径经省局确认）" in row.cells[4].text and row.cells[3].text == "2"


def test_without_cjk_font_the_chart_is_ascii_and_warned(tmp_path, result, monkeypatch):
    monkeypatch.setattr(chart, "find_cjk_font", lambda *a, **k: None)
    path, issues = write_docx_report(result, tmp_path / "r.docx")
    assert [i.code for i in issues] == ["font_missing"] and issues[0].severity == "warning"
    d = docx.Document(str(path))
    assert len(d.inline_shapes) == 1
    assert any("L1 促进发展" in p.text for p in d.paragraphs)


_CHART_ALONE = """
import sys
from fractions import Fraction
from pathlib import Path
from yongji_xls.report.chart import render_rate_chart
from yongji_xls.scoring.scorecard import LevelScore

levels = [LevelScore(name="促进发展", score=Fraction(12), max=Fraction(20), first=True, passed=False)]
path, _ = render_rate_chart(levels, Fraction(3, 4), Path(sys.argv[1]))
from PIL import Image

alone = hasattr(Image, "_import_plugin_for_extension")  # Pillow 13: save() by extension loads one plugin
plugins = sorted(m for m in sys.modules if m.endswith("ImagePlugin"))
print(path.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n", alone, plugins)
"""


def test_the_chart_loads_the_png_plugin_alone(tmp_path):
    """Saving with format="PNG" made Pillow load five image plugins first (~40 ms of a run); by
    the file's extension Pillow 13 loads the PNG plugin alone (older versions load all five
    whatever the call, so there the PNG is only checked)."""
    script = tmp_path / "chart.py"
    script.write_text(_CHART_ALONE, "utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "c.png")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    png, alone, plugins = done.stdout.split(" ", 2)
    assert png == "True" and "'PIL.PngImagePlugin'" in plugins
    assert plugins.strip() == "['PIL.PngImagePlugin']" or alone == "False"


def undeclared(name: str, folder: Path) -> set[str]:
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    return meta.find_undeclared_variables(env.parse((folder / name).read_text(encoding="utf-8")))


def test_template_variable_contract(result, tmp_path):
    folder = templates_dir()
    names = sorted(p.name for p in folder.glob("*.j2"))
    assert {"report_main.j2", "report_annex.j2", "reminder.j2"} <= set(names)
    contexts = {
        "reminder.j2": reminder_context(result, result.unit_status("市人社局")),
        "brief.j2": brief_context(result),
    }
    for name in names:
        supplied = contexts.get(name) or build_context(result)
        missing = undeclared(name, folder) - set(supplied)
        assert not missing, f"{name} uses {missing}"
    (tmp_path / "bad.j2").write_text("{{ total }}{{ 不存在的变量 }}", encoding="utf-8")
    assert undeclared("bad.j2", tmp_path) - set(build_context(result)) == {"不存在的变量"}


def test_edited_templates_are_used_and_checked(tmp_path, result, monkeypatch):
    folder = tmp_path / "tpl"
    shutil.copytree(templates_dir(), folder)
    main = folder / "report_main.j2"
    main.write_text(
        main.read_text(encoding="utf-8").replace("现将有关情况报告如下：", "现将情况报告如下（已修改）："),
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV_VAR, str(folder))
    path, _ = write_docx_report(result, tmp_path / "r.docx")
    assert any("现将情况报告如下（已修改）：" in p.text for p in docx.Document(str(path)).paragraphs)
    main.write_text(main.read_text(encoding="utf-8") + "\n@table 不存在\n", encoding="utf-8")
    with pytest.raises(TemplateMarkupError, match="不存在"):
        write_docx_report(result, tmp_path / "r2.docx")
    (folder / "report_annex.j2").write_text("{{ 未定义 }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        write_docx_report(result, tmp_path / "r3.docx")
    assert not (tmp_path / "r3.docx").exists()


def test_compiled_templates_are_cached_but_never_stale(tmp_path, result, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("YONGJI_XLS_CACHE", str(cache))
    folder = tmp_path / "tpl"
    shutil.copytree(templates_dir(), folder)
    monkeypatch.setenv(ENV_VAR, str(folder))
    texts = lambda path: [p.text for p in docx.Document(str(path)).paragraphs]  # noqa: E731
    first = texts(write_docx_report(result, tmp_path / "a.docx")[0])
    compiled = sorted((cache / "jinja").glob("__jinja2_*.cache"))
    assert len(compiled) == 2
    assert texts(write_docx_report(result, tmp_path / "b.docx")[0]) == first  # served from the cache
    main = folder / "report_main.j2"
    main.write_text(
        main.read_text(encoding="utf-8").replace("现将有关情况报告如下：", "现将情况报告如下（缓存后修改）："),
        encoding="utf-8",
    )
    edited = texts(write_docx_report(result, tmp_path / "c.docx")[0])
    assert any("现将情况报告如下（缓存后修改）：" in t for t in edited) and edited != first
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("YONGJI_XLS_CACHE", str(blocker))  # a cache that cannot be created only costs time
    assert texts(write_docx_report(result, tmp_path / "d.docx")[0]) == edited


@pytest.mark.slow  # LibreOffice
def test_libreoffice_converts_the_report(written, result):
    (pdf,) = to_pdf([written[0]], written[2])
    text = pdf_text(pdf)
    assert f"自评总分为{show(result.card.total)}分" in text
    assert "—1—" in text and "附件1" in text
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    body = next(
        n for n, page in enumerate(pages) if page.lstrip().startswith("附件1") or page.lstrip().startswith("附件 1")
    )
    assert 8 <= body <= 15, body  # the body the bureau reads; long lists are in the annexes


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("永济市创建全国网络市场监管与服务示范区自评报告", ["永济市创建全国网络市场监管", "与服务示范区自评报告"]),
        (
            "运城市各县（市、区）创建全国网络市场监管与服务示范区自评情况汇总",
            ["运城市各县（市、区）创建全国网络市场监管", "与服务示范区自评情况汇总"],
        ),
        ("永济市创建全国质量强县示范区自评报告", ["永济市创建全国质量强县示范区自评报告"]),
        ("甲" * 19 + "（乙）" + "丙" * 10, ["甲" * 19, "（乙）" + "丙" * 10]),
        ("甲" * 41, ["甲" * 14, "甲" * 13, "甲" * 14]),
    ],
)
def test_a_long_title_is_broken_where_it_reads_best(title, lines):
    from yongji_xls.report.docx_report import TITLE_WIDTH, title_lines

    assert title_lines(title) == lines
    assert "".join(lines) == title and all(len(line) <= TITLE_WIDTH for line in lines)
