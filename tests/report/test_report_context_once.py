"""The report's context is built once per run and serves both writers that render the wording:
the breakdown's 报告文字 drafts and the Word report (issue 24, write stage)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from helpers import CONTACT, fill_workbook

from yongji_xls.collect.run import run
from yongji_xls.report import context, docx_report, sections, write_stage
from yongji_xls.report.breakdown import write_breakdown
from yongji_xls.workbook import layout as L

YEAR = 2024
OWN_OPENING = "这是办公室自己写的开头，不是生成的文字。"


@pytest.fixture(scope="module")
def result(spec, templates, tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    fill_workbook(
        templates["市税务局"], {"total_tax": 10000, "ecommerce_tax": 600}, folder / "税务.xlsx", contact=CONTACT
    )
    fill_workbook(templates["市邮政分公司"], {"express_volume@2024": "约1600"}, folder / "邮政.xlsx", contact=CONTACT)
    return run(spec, folder, YEAR)


def _drafts(path: Path) -> list[tuple[str, str]]:
    """(section key, generated text) rows of the 报告文字 sheet, as written."""
    ws = openpyxl.load_workbook(path, read_only=True)[L.SHEET_REPORT_TEXT]
    rows = list(ws.iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r and r[0] == L.H_SECTION_KEY)
    assert rows[head][2] == L.H_DRAFT
    return [(r[0], r[2]) for r in rows[head + 1 :]]


def test_one_run_builds_the_report_context_once(result, tmp_path, monkeypatch):
    calls = []
    original = context.build_context

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return original(*args, **kwargs)

    for module in (context, sections, docx_report):
        monkeypatch.setattr(module, "build_context", counted)
    stage = write_stage.write_all(result, tmp_path / "out")
    assert {"report", "breakdown"} <= set(stage.paths) and not stage.issues
    assert len(calls) == 1
    # on its own, each writer still builds its own
    write_breakdown(result, tmp_path / "b.xlsx")
    assert len(calls) == 2


def test_the_drafts_are_the_generated_text_when_the_office_wrote_its_own_and_chose_a_date(result, tmp_path):
    """The shared context carries the office's text and the 成文日期 for the report; the 报告文字
    sheet still shows the generated wording, exactly as a breakdown written alone shows it."""
    own = dataclasses.replace(result, report_texts={"开头": OWN_OPENING})
    stage = write_stage.write_all(own, tmp_path / "out", date=dt.date(2025, 4, 8))
    alone = write_breakdown(result, tmp_path / "alone.xlsx")
    drafts = _drafts(stage.paths["breakdown"])
    assert drafts == _drafts(alone)
    opening = "".join(text for key, text in drafts if key == "开头")
    assert opening.startswith("根据《") and OWN_OPENING not in opening
    paragraphs = [p.text for p in Document(str(stage.paths["report"])).paragraphs]
    assert OWN_OPENING in paragraphs and "2025年4月8日" in paragraphs
    assert opening not in paragraphs  # the report carries the office's opening, not the generated one


def test_a_context_that_cannot_be_built_fails_both_its_outputs_and_nothing_else(result, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("坏了")

    for module in (context, sections, docx_report):
        monkeypatch.setattr(module, "build_context", broken)
    stage = write_stage.write_all(result, tmp_path / "out")
    failed = sorted(i.message for i in stage.issues if i.code == "output_failed")
    assert len(failed) == 2 and any("任务分解表" in m for m in failed) and any("自评报告" in m for m in failed)
    assert {"brief", "scores", "邮政.xlsx"} <= set(stage.paths)
    assert "report" not in stage.paths and "breakdown" not in stage.paths
