"""One vocabulary: status, unit state, task status and severity are defined once (code, Chinese
label, colour) and scores.json carries English codes for unit and task states beside the labels."""

from __future__ import annotations

import json

from yongji_xls.issues import (
    SEVERITY_TEXT,
    TASK_CHOICES,
    Severity,
    Status,
    TaskStatus,
    UnitState,
    code_of,
    colours,
    labels,
)
from yongji_xls.report.breakdown import STATE_COLOURS, STATUS_COLOURS
from yongji_xls.rollup.workbook import STATUS_FILL
from yongji_xls.scoring.scorecard import STATUS_TEXT
from yongji_xls.workbook.layout import TASK_STATUSES


def test_status_codes_are_the_scores_json_contract_and_labels_are_defined_once():
    assert [s.value for s in Status] == ["met", "partial", "not_met", "missing", "no_evidence", "review", "overridden"]
    assert (
        STATUS_TEXT == labels(Status) and STATUS_TEXT["no_evidence"] == "缺少佐证" and STATUS_TEXT["review"] == "待核定"
    )
    assert STATUS_COLOURS == STATUS_FILL == colours(Status)
    assert SEVERITY_TEXT == {"error": "错误", "warning": "警告", "info": "提示"} == labels(Severity)
    assert STATE_COLOURS == {
        "已报送": "#C6EFCE",
        "需重报": "#FFEB9C",
        "未报送": "#FFC7CE",
        "未填写": "#F8CBAD",
        "无效": "#FFC7CE",
    }


def test_a_word_is_a_string_where_strings_are_compared_hashed_and_written():
    assert UnitState.SUBMITTED == "已报送" and {"已报送": 1}[UnitState.SUBMITTED] == 1
    assert (
        f"{UnitState.RESUBMIT}" == "需重报"
        and json.dumps([Status.MET, TaskStatus.DONE], ensure_ascii=False) == '["met", "已完成"]'
    )
    assert TASK_STATUSES == ("未启动", "推进中", "已完成") == tuple(TASK_CHOICES)
    assert (
        code_of(UnitState, "无效") == "invalid"
        and code_of(TaskStatus, "推进中") == "in_progress"
        and code_of(TaskStatus, "别的") == ""
    )


def test_scores_json_gains_english_state_codes_beside_the_chinese_labels(demo_cli):
    out, r = demo_cli  # `demo --out …`, once per session (conftest)
    assert r.exit_code == 0
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    codes = {s.value: s.code for s in UnitState}
    assert doc["units"] and all(u["state_code"] == codes[u["state"]] for u in doc["units"])
    assert [(u["state"], u["state_code"]) for u in doc["missing_units"]] == [("未报送", "not_submitted")]
    tasks = [t for unit in doc["values"].values() for t in (unit.get("tasks") or {}).values() if t.get("status")]
    assert tasks and all(t["status_code"] == TaskStatus(t["status"]).code for t in tasks)
    assert {i["status"] for i in doc["indicators"]} <= {s.value for s in Status}


def test_no_status_or_severity_is_spelled_as_a_bare_literal():
    """Statuses and severities are written as ``Status.MET``, ``Severity.ERROR`` …, never as the
    bare string, anywhere but their definition (``issues.py``); a dict key naming a template
    field and the one xlsxwriter parameter value below are not the vocabulary."""
    import ast
    from pathlib import Path

    from yongji_xls.issues import Severity, Status

    words = {w.value for w in Status} | {w.value for w in Severity}
    allowed = {("workbook/write/styles.py", "warning")}  # xlsxwriter's data-validation error_type
    root = Path(__file__).resolve().parents[1] / "yongji_xls"
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel == "issues.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        keys = {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys if k is not None}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and node.value in words
                and id(node) not in keys
                and (rel, node.value) not in allowed
            ):
                found.append(f"{rel}:{node.lineno}: {node.value!r}")
    assert found == []
