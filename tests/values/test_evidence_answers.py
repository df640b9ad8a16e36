"""What counts as evidence and what counts as an answer (DESIGN.md §3): materials split on every
separator, placeholders score nothing, in a workbook and in ``score --values`` alike."""

from __future__ import annotations

import pytest
from returned import TAX, cell_at, criterion, tax_file

from yongji_xls.collect.run import run
from yongji_xls.values.types import split_evidence
from yongji_xls.workbook import layout as L

YEAR = 2024


@pytest.mark.parametrize(
    "text, expected",
    [
        ("材料A、材料B、材料C", ("材料A", "材料B", "材料C")),
        ("1. 会议纪要\r\n2. 通知", ("会议纪要", "通知")),
        ("①方案②总结", ("方案", "总结")),
        ("（一）方案（二）总结", ("方案", "总结")),
        ("甲\u2028乙\x0b丙；丁;戊", ("甲", "乙", "丙", "丁", "戊")),
        ("《关于甲、乙工作的通知》、签到表", ("《关于甲、乙工作的通知》", "签到表")),
        ("2024年1.5万元项目报告", ("2024年1.5万元项目报告",)),
    ],
)
def test_materials_split_on_every_separator(text, expected):
    assert split_evidence(text) == expected


@pytest.mark.parametrize(
    "placeholder",
    ["无", "暂无", "待补充", "略", "/", "-", "—", "见附件", "详见附件2", "N/A", " 无。", "暂无，后补", "无（待补充）"],
)
def test_placeholder_evidence_scores_nothing(spec, templates, tmp_path, placeholder):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(evidence=placeholder)})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.status == "no_evidence" and c.score == 0 and TAX in c.reason
    [warn] = [i for i in result.report if i.code == "evidence_placeholder"]
    assert warn.cell == cell_at(path, "I10.1", L.H_EVIDENCE)[1] and warn.severity == "warning"


def test_placeholder_note_scores_nothing(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(note="暂无")})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.status == "no_evidence" and c.score == 0
    [warn] = [i for i in result.report if i.code == "note_placeholder"]
    assert warn.cell == cell_at(path, "I10.1", L.H_NOTE)[1]


def test_placeholder_in_score_values_scores_nothing(spec):
    from yongji_xls.scoring.engine import score
    from yongji_xls.values.json_input import validate_values

    values, _ = validate_values(spec, {"I10.1": {"done": True, "note": "开展了", "evidence": ["无"]}})
    card = score(spec, values, YEAR, "中部")
    assert next(c for c in card.criteria() if c.key == "I10.1").status == "no_evidence"


def test_real_material_beside_a_placeholder_counts(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(evidence="《工作方案》\n无")})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.status == "met" and "1份" in c.reason


def test_done_blank_with_note_and_material_names_the_unit(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(done=None)})
    result = run(spec, folder, YEAR)
    c = next(c for c in result.card.criteria() if c.key == "I10.1")
    assert c.score == 0 and TAX in c.reason and "是否完成" in c.reason and "无单位填报" not in c.reason
    [warn] = [i for i in result.report if i.code == "done_missing"]
    assert warn.cell == cell_at(path, "I10.1", L.H_DONE)[1]


def test_a_note_keeps_its_full_width_punctuation_in_a_workbook_and_in_score_values(spec, templates, tmp_path):
    """A note is text people read back: ，。；：（） stay as typed on both ways in."""
    from yongji_xls.values.json_input import validate_values

    note = "开展了检查，共3次（含抽查）；详见：台账。"
    values, _ = validate_values(spec, {"I10.1": {"done": True, "note": note, "evidence": ["《工作方案》"]}})
    assert values["I10.1"][0].note == note
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx", {"I10.1": criterion(note=note)})
    assert run(spec, folder, YEAR).answers["I10.1"][0].note == note
