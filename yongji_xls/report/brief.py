"""内部工作提示 (``内部工作提示_YYYY年度.docx``): the working material of the leading group and its
office, kept out of the upward report.

What the office acts on: who has not sent what (报送率, the units missing with their 催报 text),
达标路径 (what recovers which points, the cheapest set meeting both pass rules), the items 待核定 and
what each needs, conflicts and warnings that change points, deadlines, main tasks not started.
Plain layout (宋体 小四, 黑体 headings, page numbers 「第n页」), not a 公文: it is not sent anywhere.
Wording from ``templates/brief.j2`` with the report's line markup; tables built here.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ..files.atomic import write_with
from ..issues import ERROR, WARNING, Issue, TaskStatus, UnitState
from ..records import RunResult
from ..scoring.display import plain, spec_groups, units_text
from ..scoring.path_to_pass import KIND_TEXT, PathToPass, path_for_run
from ..system.keys import base_of
from ..system.words import words
from ..values.parse import exact
from . import docx_style as st
from .context import as_date, cn_date, fmt, level_row, one_line, readable, reminder_context, verdict
from .docx_report import ReportBuilder, render_lines, title_lines
from .summary import kinds_text, needs_text, shortfall_text
from .templates_path import template_env, templates_dir

TEMPLATE = "brief.j2"
PENDING_NEEDS = "尚未公布。取得该数据后，在自评工具中补充这项全国参考值并重新计分"


class BriefBuilder(ReportBuilder):
    """The report's line markup in a plain layout: A4, 25 mm margins, 宋体 小四 at 1.5 lines,
    黑体 headings, 「第n页」 centred below."""

    BODY_FONT = st.SONGTI
    BODY_SIZE = Pt(12)
    TABLE_SIZE = st.SIZE_WU

    def setup(self) -> None:
        doc = self.doc
        st.setup_styles(doc)
        for name in ("Normal", "Heading 1", "Heading 2"):
            style = doc.styles[name]
            style.font.size = self.BODY_SIZE
            st.set_fonts(style.element, st.HEITI if name != "Normal" else st.SONGTI)
            fmt_ = style.paragraph_format
            fmt_.line_spacing_rule = None
            fmt_.line_spacing = 1.5
            fmt_.first_line_indent = Pt(24)
        section = doc.sections[0]
        st.setup_page(section)
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Mm(25))
        section.footer_distance = Mm(12)
        st.plain_page_numbers(section)
        self.tables.update(
            {
                "late": self.table_late,
                "path": self.table_path,
                "pending": self.table_pending,
                "conflicts": self.table_conflicts,
                "warnings": self.table_warnings,
                "tasks": self.table_tasks,
            }
        )

    def title(self, text: str) -> None:
        p = self.body(
            "\n".join(title_lines(text, 24)), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=st.HEITI, size=Pt(18)
        )
        p.paragraph_format.space_after = Pt(6)

    def heading(self, text: str, level: int) -> None:
        super().heading(text, level).paragraph_format.space_before = Pt(6)

    def attach(self, text: str) -> None:  # a note below the title (「@attach」 in brief.j2)
        self.body(text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font=st.KAITI, size=st.SIZE_WU)

    def table_late(self, _: str = "") -> None:
        rows = [[u["unit"], u["state"], u["reminder"]] for u in self.ctx["late"]]
        self.grid(["单位", "报送状态", "催报文字"], [30, 22, 108], rows, {1})

    def table_path(self, _: str = "") -> None:
        rows = [
            [r["n"], r["chosen"], r["name"], r["lost"], r["kind"], r["units"], r["deadline"]]
            for r in self.ctx["path"]["rows"]
        ]
        level = f"{self.ctx['indicator_level']}及评分要点"
        headers = ["序号", "列入达标方案", level, "失分", "挽回方式", "责任单位", "截止日期"]
        self.grid(headers, [11, 15, 50, 11, 22, 26, 25], rows, {0, 1, 3, 6})

    def table_pending(self, _: str = "") -> None:
        rows = [[r["name"], r["needs"]] for r in self.ctx["pending"]]
        self.grid([f"{self.ctx['indicator_level']}及评分要点", "需要做什么"], [70, 90], rows)

    def table_conflicts(self, _: str = "") -> None:
        rows = [[r["label"], r["owner"], r["other"], r["used"]] for r in self.ctx["conflicts"]]
        self.grid(["数据项", "主责单位填报", "核对单位填报", "采用"], [44, 42, 42, 32], rows)

    def table_warnings(self, _: str = "") -> None:
        rows = [[r["unit"], r["where"], r["text"]] for r in self.ctx["warnings"]]
        self.grid(["单位", "位置", "问题及修改意见"], [28, 40, 92], rows)

    def table_tasks(self, _: str = "") -> None:
        rows = [[r["no"], r["title"], r["units"]] for r in self.ctx["tasks_lagging"]]
        self.grid(["序号", "主要任务", "未启动或未报送进展的单位"], [12, 70, 78], rows, {0})


def _path_rows(result: RunResult, path: PathToPass, on: dt.date) -> list[dict[str, str]]:
    groups = spec_groups(result.spec)
    chosen = {i.key for i in path.chosen}
    order = sorted(path.items, key=lambda i: (i.key not in chosen, not i.recoverable))
    return [
        {
            "n": str(n),
            "chosen": "是" if i.key in chosen else "",
            "name": words(result.spec, i.key),
            "lost": fmt(i.lost),
            "kind": KIND_TEXT[i.kind],
            "units": units_text(i.units, groups, 3),
            "deadline": (cn_date(i.deadline) + ("\n（已过）" if deadline_passed(i.deadline, on) else ""))
            if i.deadline
            else "",
        }
        for n, i in enumerate(order, 1)
    ]


def _points_issues(result: RunResult, path: PathToPass) -> list[Issue]:
    """Errors, and warnings on the figures or answers of an indicator that lost points: what may
    change a score once corrected."""
    spec = result.spec
    losing = {i.indicator for i in path.items}
    fields = {f for ind in spec.indicators if ind.key in losing for f in ind.fields}
    out = []
    for i in result.report:
        if i.severity == ERROR:
            out.append(i)
        elif i.severity == WARNING and i.key and i.code not in ("reference_missing", "unit_not_submitted"):
            base = base_of(i.key)
            if base in fields or base.split(".")[0] in losing:
                out.append(i)
    return out


def _lagging_tasks(result: RunResult) -> list[dict[str, str]]:
    groups = spec_groups(result.spec)
    out = []
    for t in result.spec.tasks:
        reported = {p.unit: p.status for p in result.tasks.get(t.key, [])}
        behind = [u for u in t.units if reported.get(u) in (None, "", TaskStatus.NOT_STARTED)]
        if behind:
            out.append({"no": str(t.no), "title": t.title, "units": units_text(behind, groups, 4)})
    return out


def brief_context(result: RunResult, date: dt.date | None = None, reminder: Any = None) -> dict[str, Any]:
    """Everything ``brief.j2`` may use. ``reminder(context) -> str`` renders a 催报 text."""
    spec, card = result.spec, result.card
    path = path_for_run(result)
    units = result.units
    submitted = [u for u in units if u.submitted]
    asked = sum(u.rows_asked for u in units)
    filled = sum(u.rows_filled for u in units)
    reminder = reminder or _reminder()
    late = [
        {"unit": u.unit, "state": u.state, "reminder": reminder(reminder_context(result, u))}
        for u in units
        if u.state != UnitState.SUBMITTED
    ]
    deadlines = sorted({i.deadline for i in path.items if i.deadline})
    on = date or as_date(result.generated_at)
    pending = [
        {
            "name": words(spec, c.key),
            "needs": f"{words(spec, c.figures['reference'])}{PENDING_NEEDS}"
            if c.figures.get("reference")
            else readable(one_line(c.reason), spec),
        }
        for c in card.pending_review
    ]
    conflicts = [
        {
            "label": words(spec, c.key),
            "owner": f"{c.owner}：{_figure(spec, c.key, c.owner_value)}",
            "other": f"{c.other}：{_figure(spec, c.key, c.other_value)}",
            "used": f"{c.owner}的数据",
        }
        for c in result.conflicts
    ]
    warnings = [
        {
            "unit": i.unit,
            "where": "｜".join(x for x in (i.file, i.sheet, i.cell) if x),
            "text": readable(i.message, spec),
        }
        for i in _points_issues(result, path)
    ]
    city = spec.office.get("city", "")
    return {
        "title": f"{city}创建{spec.programme}{result.year}年度自评内部工作提示",
        "office": spec.office.get("name", ""),
        "date_cn": cn_date(date or result.generated_at),
        "year": result.year,
        "indicator_level": spec.indicator_level,
        "total": fmt(card.total),
        "max": fmt(card.max),
        "passed": card.passed,
        "verdict": verdict(result),
        "groups": [level_row(f, spec.pass_rule.rate_min) for f in card.first_level],
        "rate_min": fmt(Fraction(spec.pass_rule.first_level_rate_min)) + "%",
        "total_min": fmt(Fraction(spec.pass_rule.total_min)),
        "units_total": len(units),
        "units_submitted": len(submitted),
        "units_rate": plain(Fraction(len(submitted), len(units)) * 100, 1) + "%" if units else "0%",
        "rows_rate": plain(Fraction(filled, asked) * 100, 1) + "%" if asked else "0%",
        "errors": len(result.report.errors),
        "warnings_count": len(result.report.warnings),
        "late": late,
        "path": {
            "passed": path.passed,
            "reachable": path.reachable,
            "needs": needs_text(path),
            "kinds": kinds_text(path),
            "shortfall": shortfall_text(path),
            "gain": fmt(path.total_gain),
            "chosen_count": len(path.chosen),
            "lost": fmt(path.total_lost),
            "rows": _path_rows(result, path, on),
        },
        "pending": pending,
        "overrides": [
            f"{i.name}：计算{fmt(i.computed_score)}分，核定{fmt(i.score)}分"
            + (f"（{i.review_note}）" if i.review_note else "")
            for i in card.indicators
            if i.computed_score is not None
        ],
        "conflicts": conflicts,
        "warnings": warnings,
        "deadline": cn_date(deadlines[0]) if deadlines else "",
        "deadline_passed": bool(deadlines) and deadline_passed(deadlines[0], on),
        "tasks_lagging": _lagging_tasks(result),
    }


def deadline_passed(deadline: str, on: dt.date) -> bool:
    """True when the templates' deadline (ISO date) lies before ``on`` (the brief's date; the
    deadline day itself has not passed); a deadline that is not a date has not passed."""
    try:
        return dt.date.fromisoformat(str(deadline).strip()[:10]) < on
    except ValueError:
        return False


def _figure(spec: Any, key: str, value: Any) -> str:
    """A conflicting figure as people write it (「201800万元」), or the text that was typed."""
    number = exact(value) if not isinstance(value, str) else None
    unit = spec.field(key).unit if spec.has_field(base_of(key)) else ""
    return f"{plain(number)}{unit}" if number is not None else str(value)


def _reminder() -> Any:
    template = template_env().get_template("reminder.j2")
    return lambda ctx: " ".join(template.render(**ctx).split())


def write_brief(
    result: RunResult, path: Path, templates: Path | None = None, date: dt.date | None = None, fonts: str = "gb"
) -> tuple[Path, list[Issue]]:
    """Write 内部工作提示.docx atomically (``templates``, ``fonts`` as for the report)."""
    from .docx_fonts import finish_fonts

    folder = templates or templates_dir()
    env = template_env(folder)
    reminder = env.get_template("reminder.j2")
    context = brief_context(result, date, lambda ctx: " ".join(reminder.render(**ctx).split()))
    builder = BriefBuilder(context, None)
    builder.add_lines(render_lines(TEMPLATE, context, folder), TEMPLATE)
    finish_fonts(builder.doc, fonts)
    write_with(path, builder.doc.save)
    return Path(path), []
