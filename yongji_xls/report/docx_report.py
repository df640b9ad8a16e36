"""The Word self-evaluation report (自评报告.docx) in GB/T 9704-2012 layout.

Wording comes from ``templates/report_main.j2`` and ``report_annex.j2`` (jinja2, one paragraph
per line, a tiny line-start markup for headings, tables, the chart and the signature), so the
office edits phrasing without touching code; tables are built here from the same context, so
prose and tables always agree. Layout helpers live in :mod:`.docx_style`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from ..files.atomic import write_with
from ..issues import Issue
from ..records import RunResult
from . import docx_style as st
from .chart import render_rate_chart
from .context import build_context, cn_number
from .templates_path import TEMPLATES, TemplateMarkupError, render_lines, templates_dir

TERMS = {"ODR": "在线消费纠纷解决（ODR）"}
"""Latin abbreviations the indicator system uses, spelled out at their first use in a document
(a term already bracketed after its Chinese name, 「……机制（ODR）」, counts as explained)."""


class ReportBuilder:
    """Turns rendered template lines into paragraphs, tables and the chart of one document
    (GB/T 9704-2012 layout; :class:`.brief.BriefBuilder` lays out the plain internal brief)."""

    BODY_FONT = st.FANGSONG
    BODY_SIZE = st.SIZE_SAN
    TABLE_SIZE = st.SIZE_XIAOSI

    def __init__(self, context: dict[str, Any], chart: Path | None, chart_note: str = "") -> None:
        from docx import Document

        self.ctx, self.chart, self.chart_note = context, chart, chart_note
        self.doc = Document()
        self.doc.core_properties.title = context["title"]
        self.doc.core_properties.author = context["office"]
        self._h1 = self._h2 = 0
        self._attach = 0
        self._title = None
        self._previous = ""
        self._explained: set[str] = set()
        self._style_ids: dict[tuple[str, Any], str | None] = {}
        self.tables: dict[str, Callable[[str], None]] = {
            "levels": self.table_levels,
            "scores": self.table_scores,
            "evidence": self.table_evidence,
        }
        self.setup()

    def setup(self) -> None:
        st.setup_styles(self.doc)
        section = self.doc.sections[0]
        st.setup_page(section)
        st.setup_footers(self.doc, section)

    def style_id(self, name: str, kind: Any = None) -> str | None:
        """The id of the style named ``name`` (None for the default), looked up once per document:
        python-docx walks every style of the document for the default at each assignment."""
        from docx.enum.style import WD_STYLE_TYPE

        kind = WD_STYLE_TYPE.PARAGRAPH if kind is None else kind
        if (name, kind) not in self._style_ids:
            self._style_ids[name, kind] = self.doc.part.get_style_id(name, kind)
        return self._style_ids[name, kind]

    def paragraph(self, style: str | None = None) -> Any:
        """A new body paragraph, in ``style`` if given (what ``add_paragraph(style=…)`` writes)."""
        p = self.doc.add_paragraph()
        if style is not None:
            p._p.style = self.style_id(style)
        return p

    # ---- paragraphs -------------------------------------------------------------------------
    def body(
        self,
        text: str,
        indent: bool = True,
        align=None,
        font: str | None = None,
        size: Pt | None = None,
        style: str | None = None,
    ):
        size, font = size or self.BODY_SIZE, font or self.BODY_FONT
        p = self.paragraph(style)
        if not indent:
            p.paragraph_format.first_line_indent = Pt(0)
        if align is not None:
            p.paragraph_format.alignment = align
        st.font_run(p.add_run(text), font, size, condensed=size == st.SIZE_SAN)
        return p

    def title(self, text: str) -> None:
        """Consecutive @title lines form one centred title with line breaks (二号 小标宋); a line
        too long for the type area is broken where it reads best (:func:`title_lines`)."""
        lines = title_lines(text)
        if len(lines) > 1:
            for line in lines:
                self.title(line)
            return
        if self._title is None:
            p = self.doc.add_paragraph()
            fmt = p.paragraph_format
            fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
            st.exact_lines(fmt, Pt(35))
            fmt.space_after = st.LINE_PITCH  # one blank body line below the title
            self._title = p
        else:
            self._title.runs[-1].add_break()
        st.font_run(self._title.add_run(text), st.XIAOBIAOSONG, st.SIZE_ER)

    def heading(self, text: str, level: int) -> Any:
        if level == 1:
            self._h1, self._h2 = self._h1 + 1, 0
            label, font = f"{cn_number(self._h1)}、", st.HEITI
        else:
            self._h2 += 1
            label, font = f"（{cn_number(self._h2)}）", st.KAITI
        p = self.paragraph(f"Heading {level}")
        st.font_run(p.add_run(label + text), font, self.BODY_SIZE, condensed=self.BODY_SIZE == st.SIZE_SAN)
        return p

    def caption(self, text: str) -> None:
        """A table title stays with its table; a figure title (after @chart) stays with nothing."""
        p = self.body(text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=st.HEITI, size=st.SIZE_SI)
        p.paragraph_format.keep_with_next = self._previous != "@chart"

    def attach(self, text: str) -> None:
        """附件说明: 「附件：1.…」 then the next items aligned under the first item's number."""
        self._attach += 1
        p = self.body(("附件：" if self._attach == 1 else "") + text)
        p.paragraph_format.keep_with_next = True  # never a page holding only the signature
        if self._attach == 1:
            p.paragraph_format.space_before = st.LINE_PITCH
        else:
            p.paragraph_format.first_line_indent = Pt(st.SIZE_SAN.pt * 5)

    def sign(self, text: str, date: bool) -> None:
        """署名 右空二字 (DESIGN §6), one blank line below the body (the seal presses on it and on
        the date); 成文日期 on the next line, 右空四字 (GB/T 9704-2012 7.3.5)."""
        p = self.body(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.keep_with_next = not date
        p.paragraph_format.right_indent = Pt(st.SIZE_SAN.pt * (4 if date else 2))
        if not date:
            p.paragraph_format.space_before = st.LINE_PITCH

    def lead(self, text: str) -> None:
        """A paragraph opening with a bold 仿宋 heading (「1.发展规模。」) run into its text."""
        head, _, rest = text.partition("|")
        p = self.doc.add_paragraph()
        st.font_run(p.add_run(head.strip()), st.FANGSONG, st.SIZE_SAN, bold=True, condensed=True)
        if rest.strip():
            st.font_run(p.add_run(rest.strip()), st.FANGSONG, st.SIZE_SAN, condensed=True)

    def docno(self, text: str) -> None:
        """发文字号 (左空一字) and 签发人 (右空一字, 「签发人：」 仿宋, the name 楷体) on one line above the
        title, then the red separator line (GB/T 9704-2012 7.2.5–7.2.7)."""
        number, _, signer = text.partition("|")
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.left_indent = fmt.right_indent = st.SIZE_SAN
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        st.tab_stop_right(p, Pt(442 - st.SIZE_SAN.pt * 2))
        st.font_run(p.add_run(number.strip()), st.FANGSONG, st.SIZE_SAN)
        if signer.strip():
            st.font_run(p.add_run("\t签发人："), st.FANGSONG, st.SIZE_SAN)
            st.font_run(p.add_run(signer.strip()), st.KAITI, st.SIZE_SAN)
        st.red_rule(p)
        fmt.space_after = st.LINE_PITCH

    def imprint(self) -> None:
        """版记 on the last page: 抄送 and 印发机关/印发日期 between full-width rules (thick first and
        last, thin between), 四号 仿宋, kept at the foot of the type area (GB/T 9704-2012 7.4)."""
        cc, issuer = self.ctx.get("copy_to", ""), self.ctx.get("issuer", "")
        if not cc and not issuer:
            return
        rows = []
        if cc:
            rows.append((f"抄送：{cc}。", ""))
        if issuer:
            rows.append((issuer, f"{self.ctx.get('issue_date') or self.ctx['date_cn']}印发"))
        st.imprint_table(self.doc, rows)

    def annex(self, text: str) -> None:
        """A new page with 「附件N」 (黑体, top left) and the centred annex title."""
        label, _, title = text.partition("|")
        self.body(label.strip(), indent=False, font=st.HEITI).paragraph_format.page_break_before = True
        p = self.doc.add_paragraph()
        p.paragraph_format.alignment, p.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
        st.exact_lines(p.paragraph_format, Pt(35))
        p.paragraph_format.space_after = Pt(14)
        st.font_run(p.add_run(title.strip()), st.XIAOBIAOSONG, st.SIZE_ER)

    def picture(self) -> None:
        if self.chart is None:
            return
        p = self.doc.add_paragraph()
        p.paragraph_format.alignment, p.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # exact spacing would crop the image
        p.paragraph_format.keep_with_next = True
        st.font_run(p.add_run(), st.FANGSONG, st.SIZE_SAN).add_picture(str(self.chart), width=Mm(135))
        if self.chart_note:
            self.body(self.chart_note, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=st.SIZE_XIAOSI)

    def explain(self, text: str) -> str:
        """``text`` with each of :data:`TERMS` spelled out where the document first uses it."""
        for term, full in TERMS.items():
            if term in self._explained or term not in text:
                continue
            self._explained.add(term)
            first = text.index(term)
            if not text[first - 1 : first] == "（":
                text = text[:first] + full + text[first + len(term) :]
        return text

    # ---- dispatch ---------------------------------------------------------------------------
    def add_lines(self, lines: Iterable[str], source: str) -> None:
        for n, line in enumerate(lines, 1):
            self._title = self._title if line.startswith("@title ") else None
            self.add_line(line, source, n)
            self._previous = line.partition(" ")[0]

    def add_line(self, line: str, source: str, n: int) -> None:
        directive, _, rest = line.partition(" ")
        rest = rest.strip()
        simple: dict[str, Callable[[], None]] = {
            "@title": lambda: self.title(rest),
            "@to": lambda: self.body(rest, indent=False),
            "#": lambda: self.heading(rest, 1),
            "##": lambda: self.heading(rest, 2),
            "@caption": lambda: self.caption(rest),
            "@attach": lambda: self.attach(rest),
            "@sign": lambda: self.sign(rest, False),
            "@lead": lambda: self.lead(self.explain(rest)),
            "@docno": lambda: self.docno(rest),
            "@imprint": self.imprint,
            "@date": lambda: self.sign(rest, True),
            "@annex": lambda: self.annex(rest),
            "@chart": self.picture,
            "@table": lambda: self.table(rest, source, n),
        }
        if directive in simple:
            simple[directive]()
        elif line.startswith("@"):
            raise TemplateMarkupError(f"模板{source}第{n}个段落：无法识别的标记「{directive}」")
        else:
            self.body(self.explain(line[1:] if line.startswith("\\") else line))

    def table(self, text: str, source: str, n: int) -> None:
        """``@table name`` or ``@table figures 一级指标名称``."""
        name, _, arg = text.partition(" ")
        if name not in self.tables:
            raise TemplateMarkupError(
                f"模板{source}第{n}个段落：没有名为「{name}」的表格，可用：{'、'.join(self.tables)}"
            )
        self.tables[name](arg.strip())

    # ---- tables -----------------------------------------------------------------------------
    def grid(
        self,
        headers: list[str],
        widths_mm: list[float],
        rows: list[list[str]],
        center: set[int] = frozenset(),
        size: Pt | None = None,
    ) -> Any:
        """A bordered table: bold 黑体 header repeated on each page, 仿宋 cells (小四, annexes 五号).

        One prototype body row is formatted through python-docx; every data row is a copy of
        its XML with the text replaced (the object API costs ~1 ms a cell; annexes have
        thousands of cells)."""
        size = size or self.TABLE_SIZE
        from docx.enum.style import WD_STYLE_TYPE

        table = self.doc.add_table(rows=2, cols=len(headers))
        table._tbl.tblStyle_val = self.style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for i, h in enumerate(headers):
            st.cell_text(table.rows[0].cells[i], h, st.HEITI, size, align=WD_ALIGN_PARAGRAPH.CENTER)
            st.cell_text(
                table.rows[1].cells[i],
                "X",
                size=size,
                align=WD_ALIGN_PARAGRAPH.CENTER if i in center else WD_ALIGN_PARAGRAPH.LEFT,
            )
        st.repeat_header(table.rows[0])
        st.column_widths(table, [Mm(w) for w in widths_mm])
        for row in table.rows:
            st.no_split(row)
        proto = table.rows[1]._tr
        for values in rows:
            proto.addprevious(st.row_copy(proto, values))
        proto.getparent().remove(proto)
        air = self.doc.add_paragraph()  # air below the table
        air.paragraph_format.line_spacing = Pt(14)
        st.font_run(air.add_run(), st.FANGSONG, st.SIZE_XIAOSI)
        return table

    def table_levels(self, _: str = "") -> None:
        rows = []
        seconds = self.ctx["levels"] == 3  # a two-level system has no subgroup column
        for g in self.ctx["groups"]:
            parts = "\n".join(f"{s['name']} {s['score']}/{s['max']}" for s in g["seconds"])
            rows.append([g["name"], g["max"], g["score"], g["rate"], *([parts] if seconds else []), _yes(g["passed"])])
        verdict = "达到合格标准" if self.ctx["passed"] else "未达到合格标准"
        rows.append(["合计", self.ctx["max"], self.ctx["total"], "", *([""] if seconds else []), verdict])
        heads = ["一级指标", "分值", "得分", "得分率", "二级指标得分", f"得分率≥{self.ctx['rate_min']}"]
        widths = [26, 14, 14, 18, 48, 36]
        if not seconds:
            del heads[4], widths[4]
        self.grid(heads, widths, rows, {1, 2, 3, len(heads) - 1})

    def table_scores(self, _: str = "") -> None:
        """附件1: 编号、三级指标（or the system's indicator level）、分值、得分、得分依据 in words, then the total."""
        rows = [[r["no"], r["name"], r["max"], r["score"], r["basis"]] for r in self.ctx["score_rows"]]
        rows.append(["", "合计", self.ctx["max"], self.ctx["total"], ""])
        heads = ["编号", self.ctx["indicator_level"], "分值", "得分", "得分依据"]
        self.grid(heads, [12, 44, 13, 13, 74], rows, {0, 2, 3}, st.SIZE_WU)

    def table_evidence(self, _: str = "") -> None:
        """附件2: per indicator and unit, the materials named (the indicator on its first row)."""
        rows = [[r["no"], r["name"], f"{r['unit']}：{r['materials']}"] for r in self.ctx["evidence_rows"]]
        heads = ["编号", self.ctx["indicator_level"], "责任单位及佐证材料"]
        self.grid(heads, [12, 40, 104], rows, {0}, st.SIZE_WU)


def _chart(result: RunResult, folder: Path) -> tuple[Path, list[Issue], str]:
    threshold = result.spec.pass_rule.rate_min
    path, issues = render_rate_chart(result.card.first_level, threshold, folder / "一级指标得分率.png")
    note = ""
    if issues:
        levels = result.card.first_level
        note = (
            f"（图中L1–L{len(levels)}依次为：" + "、".join(f"L{n} {lv.name}" for n, lv in enumerate(levels, 1)) + "）"
        )
    return path, issues, note


def write_docx_report(
    result: RunResult,
    path: Path,
    chart_dir: Path | None = None,
    fonts: str = "gb",
    templates: Path | None = None,
    date: dt.date | None = None,
    context: dict[str, Any] | None = None,
) -> tuple[Path, list[Issue]]:
    """Write 自评报告.docx atomically; returns its path and issues (e.g. ``font_missing``).
    ``fonts``: ``gb`` names the GB/T 9704 fonts with declared fallbacks, ``windows`` the stock
    Windows faces (:mod:`.docx_fonts`); ``templates``: the wording folder (default: where
    :func:`.templates_path.templates_dir` finds it); ``date``: 成文日期 (default the run's date).
    A section the office wrote itself (the review workbook's 报告文字, ``result.report_texts``)
    replaces the generated one. ``context``: :func:`.context.build_context` of this result, date
    and texts when the caller has built it already (the write stage builds it once per run)."""
    from .docx_fonts import finish_fonts

    if context is None:
        context = build_context(result, date, result.report_texts)
    folder = templates or templates_dir()
    lines = {name: render_lines(name, context, folder) for name in TEMPLATES}
    with tempfile.TemporaryDirectory(prefix="yongji-chart-") as tmp:
        chart, issues, note = _chart(result, Path(chart_dir) if chart_dir else Path(tmp))
        builder = ReportBuilder(context, chart, note)
        for name in TEMPLATES:
            builder.add_lines(lines[name], name)
        finish_fonts(builder.doc, fonts)
        write_with(path, builder.doc.save)
    return Path(path), issues


TITLE_WIDTH = 20  # 二号 (22 pt) full-width characters on the 156 mm GB/T 9704 type area
_BREAK_BEFORE = "与和及暨（「《"
_BREAK_AFTER = "）」》"


def title_lines(text: str, width: int = TITLE_WIDTH) -> list[str]:
    """A title in lines of at most ``width`` characters, as few as fit and as even as possible,
    preferring a break before 与/和/及/暨 or around a bracketed part (「创建全国网络市场监管 / 与服务
    示范区自评报告」), never after an opening bracket; titles are built from the county's and the
    programme's names, so the break cannot be written into the wording template."""
    if len(text) <= width:
        return [text]
    n = len(text)
    parts = -(-n // width)
    target = n / parts

    def cost(i: int) -> float:
        preferred = text[i] in _BREAK_BEFORE or text[i - 1] in _BREAK_AFTER
        bad = text[i - 1] in "（「《" or text[i] in "）」》、，。"
        return abs(i - target) - (width / 2 if preferred else 0) + (width if bad else 0)

    candidates = [i for i in range(max(1, n - width * (parts - 1)), min(width, n - 1) + 1)]
    best = min(candidates, key=cost)
    return [text[:best], *title_lines(text[best:], width)]


def _yes(flag: bool) -> str:
    return "是" if flag else "否"
