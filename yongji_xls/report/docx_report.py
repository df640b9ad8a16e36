"""The Word self-evaluation report (自评报告.docx) in GB/T 9704-2012 layout.

Wording comes from ``templates/report_main.j2`` and ``report_annex.j2`` (jinja2, one paragraph
per line, a tiny line-start markup for headings, tables, the chart and the signature), so the
office edits phrasing without touching code; tables are built here from the same context, so
prose and tables always agree. Layout helpers live in :mod:`.docx_style`.
"""

from __future__ import annotations

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
from .templates_path import template_env, templates_dir

TEMPLATES = ("report_main.j2", "report_annex.j2")


class TemplateMarkupError(ValueError):
    """A template line uses an unknown directive or table name (a wording file was mistyped)."""


def render_lines(name: str, context: dict[str, Any], folder: Path | None = None) -> list[str]:
    """Render one template with StrictUndefined; returns its non-empty lines."""
    env = template_env(folder)
    text = env.get_template(name).render(**context)
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportBuilder:
    """Turns rendered template lines into paragraphs, tables and the chart of one document."""

    def __init__(self, context: dict[str, Any], chart: Path | None, chart_note: str = "") -> None:
        from docx import Document

        self.ctx, self.chart, self.chart_note = context, chart, chart_note
        self.doc = Document()
        st.setup_styles(self.doc)
        section = self.doc.sections[0]
        st.setup_page(section)
        st.setup_footers(self.doc, section)
        self.doc.core_properties.title = context["title"]
        self.doc.core_properties.author = context["office"]
        self._h1 = self._h2 = 0
        self._attach = 0
        self._title = None
        self._previous = ""
        self.tables: dict[str, Callable[[str], None]] = {
            "levels": self.table_levels,
            "lost": self.table_lost,
            "indicators": self.table_indicators,
            "evidence": self.table_evidence,
            "units": self.table_units,
            "figures": self.table_figures,
            "path": self.table_path,
            "tasks": self.table_tasks,
        }

    # ---- paragraphs -------------------------------------------------------------------------
    def body(
        self,
        text: str,
        indent: bool = True,
        align=None,
        font: str = st.FANGSONG,
        size: Pt = st.SIZE_SAN,
        style: str | None = None,
    ):
        p = self.doc.add_paragraph(style=style)
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

    def heading(self, text: str, level: int) -> None:
        if level == 1:
            self._h1, self._h2 = self._h1 + 1, 0
            label, font = f"{cn_number(self._h1)}、", st.HEITI
        else:
            self._h2 += 1
            label, font = f"（{cn_number(self._h2)}）", st.KAITI
        p = self.doc.add_paragraph(style=f"Heading {level}")
        st.font_run(p.add_run(label + text), font, st.SIZE_SAN, condensed=True)

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
        """Signature and date: the date 右空四字, the signature centred above the date."""
        p = self.body(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.keep_with_next = not date
        date_width = 4 + len(self.ctx["date_cn"]) * 0.75  # digits are half width
        chars = 4 if date else max(0.0, 4 + date_width / 2 - len(text) / 2)
        p.paragraph_format.right_indent = Pt(st.SIZE_SAN.pt * chars)
        if not date:
            p.paragraph_format.space_before = Pt(56)

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
            self.body(line[1:] if line.startswith("\\") else line)

    def table(self, text: str, source: str, n: int) -> None:
        """``@table name`` or ``@table figures 一级指标名称``."""
        name, _, arg = text.partition(" ")
        if name not in self.tables:
            raise TemplateMarkupError(
                f"模板{source}第{n}个段落：没有名为「{name}」的表格，可用：{'、'.join(self.tables)}"
            )
        if name == "figures" and arg.strip() not in {g["name"] for g in self.ctx["groups"]}:
            raise TemplateMarkupError(
                f"模板{source}第{n}个段落：figures表格须写明一级指标名称，"
                f"可用：{'、'.join(g['name'] for g in self.ctx['groups'])}"
            )
        self.tables[name](arg.strip())

    # ---- tables -----------------------------------------------------------------------------
    def grid(
        self, headers: list[str], widths_mm: list[float], rows: list[list[str]], center: set[int] = frozenset()
    ) -> Any:
        """A bordered table: bold 黑体 header repeated on each page, 仿宋 小四 cells.

        One prototype body row is formatted through python-docx; every data row is a copy of
        its XML with the text replaced (the object API costs ~1 ms a cell; annexes have
        thousands of cells)."""
        table = self.doc.add_table(rows=2, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for i, h in enumerate(headers):
            st.cell_text(table.rows[0].cells[i], h, st.HEITI, st.SIZE_XIAOSI, align=WD_ALIGN_PARAGRAPH.CENTER)
            st.cell_text(
                table.rows[1].cells[i], "X", align=WD_ALIGN_PARAGRAPH.CENTER if i in center else WD_ALIGN_PARAGRAPH.LEFT
            )
        st.repeat_header(table.rows[0])
        st.column_widths(table, [Mm(w) for w in widths_mm])
        for row in table.rows:
            st.no_split(row)
        proto = table.rows[1]._tr
        for values in rows:
            proto.addprevious(st.row_copy(proto, values))
        proto.getparent().remove(proto)
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(14)  # air below the table
        st.font_run(self.doc.paragraphs[-1].add_run(), st.FANGSONG, st.SIZE_XIAOSI)
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

    def table_lost(self, _: str = "") -> None:
        rows = [[str(i["rank"]), i["name"], i["lost"], i["lost_reason"], i["units"]] for i in self.ctx["lost"]]
        self.grid(
            ["序号", self.ctx["indicator_level"], "失分", "失分原因", "责任单位"], [14, 36, 14, 58, 34], rows, {0, 2}
        )

    def table_indicators(self, _: str = "") -> None:
        rows = []
        for g in self.ctx["groups"]:
            for i in g["indicators"]:
                status = f"{i['status']}（计算{i['computed']}分）" if i["computed"] else i["status"]
                rows.append([str(i["no"]), i["first"], i["name"], i["max"], i["score"], status])
        rows.append(["", "合计", "", self.ctx["max"], self.ctx["total"], ""])
        heads = ["编号", "一级指标", self.ctx["indicator_level"], "分值", "得分", "状态"]
        self.grid(heads, [14, 22, 70, 14, 14, 22], rows, {0, 3, 4})

    def table_evidence(self, _: str = "") -> None:
        """One row per criterion (not per material): who listed material, how many, the first names."""
        rows = [
            [str(n), r["key"], r["units"], r["count"], r["materials"]]
            for n, r in enumerate(self.ctx["evidence_groups"], 1)
        ]
        self.grid(["序号", "评分要点", "提供单位", "份数", "主要材料"], [12, 20, 44, 12, 68], rows, {0, 1, 3})

    def table_figures(self, level: str) -> None:
        """The indicators of one first level: score and the key figures behind it."""
        group = next(g for g in self.ctx["groups"] if g["name"] == level)
        rows = [[str(i["no"]), i["name"], f"{i['score']}/{i['max']}", i["figures"]] for i in group["indicators"]]
        heads = ["编号", self.ctx["indicator_level"], "得分", "关键数据及计分说明"]
        self.grid(heads, [14, 40, 14, 88], rows, {0, 2})

    def table_path(self, _: str = "") -> None:
        rows = [
            [r["n"], r["key"], r["indicator"], r["lost"], r["kind"], r["units"], r["deadline"]]
            for r in self.ctx["path"]["chosen"]
        ]
        self.grid(
            ["序号", "评分要点", self.ctx["indicator_level"], "可挽回", "补齐方式", "责任单位", "截止日期"],
            [10, 18, 44, 14, 24, 26, 20],
            rows,
            {0, 1, 3, 6},
        )

    def table_tasks(self, _: str = "") -> None:
        """One row per task: units, how many units report it done / under way / not started, highlights."""
        rows = [
            [str(t["no"]), t["title"], t["units"], str(t["done"]), str(t["doing"]), str(t["todo"]), t["highlights"]]
            for t in self.ctx["tasks"]
        ]
        self.grid(
            ["序号", "主要任务", "责任单位", "已完成", "推进中", "未启动", "主要进展"],
            [10, 28, 35, 17, 17, 17, 32],
            rows,
            {0, 3, 4, 5},
        )

    def table_units(self, _: str = "") -> None:
        rows = [
            [str(n), u["unit"], u["state"], str(u["errors"]), str(u["warnings"]), u["points"], u["file"]]
            for n, u in enumerate(self.ctx["units"]["problem_rows"], 1)
        ]
        self.grid(
            ["序号", "单位", "报送状态", "错误", "警告", "影响分值", "报送文件"],
            [14, 34, 22, 13, 13, 22, 38],
            rows,
            {0, 2, 3, 4, 5},
        )


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
    result: RunResult, path: Path, chart_dir: Path | None = None, fonts: str = "gb", templates: Path | None = None
) -> tuple[Path, list[Issue]]:
    """Write 自评报告.docx atomically; returns its path and issues (e.g. ``font_missing``).
    ``fonts``: ``gb`` names the GB/T 9704 fonts with declared fallbacks, ``windows`` the stock
    Windows faces (:mod:`.docx_fonts`); ``templates``: the wording folder (default: where
    :func:`.templates_path.templates_dir` finds it)."""
    from .docx_fonts import finish_fonts

    context = build_context(result)
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
