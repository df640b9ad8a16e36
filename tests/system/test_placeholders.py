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
