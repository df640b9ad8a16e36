"""What is not evidence: the placeholder list of the system data and the form texts are compared in
(DESIGN.md §3: 无, 暂无, 待补充, 略, /, -, —, N/A, 见附件 with no name, 同上, 后补 and the like)."""

from __future__ import annotations

import pytest

from yongji_xls.system.load import load_spec
from yongji_xls.system.placeholders import is_placeholder, placeholder_key

NAMED_BY_THE_DESIGN = ["无", "暂无", "待补充", "略", "/", "-", "—", "N/A", "见附件", "同上", "后补"]


@pytest.mark.parametrize("text", NAMED_BY_THE_DESIGN)
def test_every_placeholder_the_design_names_is_in_the_shipped_list(text):
    assert placeholder_key(text) in load_spec().placeholders


@pytest.mark.parametrize("text", ["同上", " 同上。", "同上；后补", "见附件1", "N/A", "n/a"])
def test_a_placeholder_is_recognised_in_the_forms_people_type(text):
    assert is_placeholder(text, load_spec().placeholders)


@pytest.mark.parametrize("text", ["同上级文件转发通知.pdf", "工作台账.xlsx", "附件：实施方案.pdf", ""])
def test_a_real_material_is_not_a_placeholder(text):
    assert not is_placeholder(text, load_spec().placeholders)


@pytest.mark.parametrize("placeholder", ["同上", "后补", "无"])
def test_an_answer_whose_material_is_a_placeholder_is_no_evidence(spec, placeholder):
    from yongji_xls.scoring.engine import score

    answer = {"done": True, "note": "开展了专项整治", "evidence": [placeholder]}
    card = score(spec, {"I10.1": answer}, 2024, "中部")
    assert next(c for c in card.criteria() if c.key == "I10.1").status == "no_evidence"
    real = score(spec, {"I10.1": {**answer, "evidence": ["实施方案.pdf"]}}, 2024, "中部")
    assert next(c for c in real.criteria() if c.key == "I10.1").status == "met"


# -- the patterns beside the list (issue 20 §2) ---------------------------------------------------
PATTERN_CASES = [
    "详见附件1-5",
    "见附件1、2",
    "附件3至5",
    "详见附件一至三",
    "0",
    "12",
    "2024",
    "xxx",
    "。。。",
    "好",
    "详见附件1-5；后补",
]


@pytest.mark.parametrize("text", PATTERN_CASES)
def test_a_text_the_patterns_name_is_no_material(spec, text):
    from yongji_xls.system.placeholders import matcher

    assert matcher(spec)(text)
    assert not is_placeholder(text, spec.placeholders)  # the list alone misses them: the patterns decide


@pytest.mark.parametrize("text", ["附件1：实施方案", "《2024年工作方案》", "12345热线工单", "xx县工作台账", "会议纪要"])
def test_a_material_that_starts_like_a_pattern_is_still_material(spec, text):
    from yongji_xls.system.placeholders import matcher

    assert not matcher(spec)(text)


@pytest.mark.parametrize("evidence", ["详见附件1-5", "0"])
def test_the_issues_two_non_materials_no_longer_earn_the_points_on_either_path(spec, tmp_path, evidence):
    """「详见附件1-5」 and the number 0 counted as material: the same matcher rules ``score --values``."""
    import json

    from yongji_xls.scoring.values_file import score_values_file

    path = tmp_path / "v.json"
    answer = {"done": True, "note": "开展了专项整治", "evidence": [evidence]}
    path.write_text(json.dumps({"year": 2024, "values": {"I10.1": answer}}, ensure_ascii=False), "utf-8")
    card, _ = score_values_file(spec, path)
    assert [(c.score, c.status) for c in card.criteria() if c.key == "I10.1"] == [(0, "no_evidence")]


def test_a_pattern_that_does_not_compile_is_a_load_problem():
    from yongji_xls.system.load import SpecError, _read_raw, build_spec

    raw = _read_raw(None)
    raw["system"]["evidence_placeholder_patterns"] = ["附件(", "无+"]
    with pytest.raises(SpecError) as e:
        build_spec(raw)
    assert [p.code for p in e.value.problems] == ["placeholder_pattern_bad"]
    assert "第1个模式「附件(」" in e.value.problems[0]
