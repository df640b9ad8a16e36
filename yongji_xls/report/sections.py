"""The report's sections an office may replace, as plain text: the generated wording of each (rendered
alone from the template's macros, with the context of the run) for the breakdown's 报告文字 sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..records import RunResult
from ..workbook.layout import report_sections
from .context import build_context, cn_number
from .templates_path import TEMPLATES, template_env, templates_dir


def section_drafts(
    result: RunResult, templates: Path | None = None, context: dict[str, Any] | None = None
) -> list[tuple[str, str, str]]:
    """(key, title, generated text) of every section an office may replace
    (:func:`yongji_xls.workbook.layout.report_sections`): the report's own wording, rendered
    alone and in plain text (paragraphs as lines, subheadings numbered as the report numbers them),
    for the breakdown's 报告文字 sheet. ``context``: the Word report's context of the same run
    (built here when not given); the section macros render the generated text whatever office
    text or date it carries (only the report's ``section`` macro reads ``office_text``)."""
    context = build_context(result) if context is None else context
    module = template_env(templates or templates_dir()).get_template(TEMPLATES[0]).make_module(vars=context)
    macros = {
        "开头": module.opening_text,
        "基本情况": module.basic_text,
        "存在的问题": module.problems_text,
        "下一步工作打算": module.next_steps_text,
    }
    for g in context["practice"]:
        macros[f"主要做法和成效：{g['name']}"] = lambda g=g: module.practice_text(g)
    out = []
    for key, title in report_sections(result.spec):
        text = str(macros[key]()) if key in macros else ""
        out.append((key, title, plain_text(text)))
    return out


def plain_text(rendered: str) -> str:
    """Template lines as a person reads them: markup dropped, 「##」 subheadings numbered."""
    out, n = [], 0
    for line in (x.strip() for x in rendered.splitlines()):
        if not line:
            continue
        if line.startswith("## "):
            n += 1
            line = f"（{cn_number(n)}）{line[3:].strip()}"
        elif line.startswith("@lead "):
            line = line[6:].replace("|", "", 1)
        elif line.startswith("\\"):
            line = line[1:]
        out.append(line)
    return "\n".join(out)
