"""Golden outputs compared by meaning: the sample run's task-breakdown workbook and Word report
must say exactly what ``tests/golden/*.json`` say (cell values, merged ranges, validations;
paragraph and table text). A failure shows a short diff; when the change is intended, run
``python scripts/regen_golden.py`` and commit the golden diff with it (see tests/support/golden.py)."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any

import golden
import pytest

from yongji_xls import api
from yongji_xls.system.load import load_spec

NAMES = list(golden.GOLDEN_FILES)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The meaning of the sample run's outputs (one run per module, in this process: no executor)."""
    return golden.meanings(golden.fixture_outputs(tmp_path_factory.mktemp("golden")))


@pytest.mark.parametrize("name", NAMES)
def test_the_sample_run_says_what_its_golden_file_says(outputs, name):
    path = golden.golden_path(name)
    assert path.is_file(), f"{path} is missing: run `{golden.REGEN_COMMAND}` and commit it"
    message = golden.difference(name, golden.read_golden(name), outputs[name])
    if message is not None:
        pytest.fail(message, pytrace=False)


def test_the_fixed_run_time_is_what_the_outputs_show(outputs):
    """``api.run(now=...)`` is the only time in the outputs: 生成时间, ``_meta`` and the report's date."""
    sheets = outputs["breakdown"]["sheets"]
    assert sheets["评分汇总"]["cells"]["B13"] == "2025-03-31 09:30:00"
    assert sheets["_meta"]["cells"]["B4"] == golden.FIXED_NOW.isoformat() == "2025-03-31T09:30:00"
    assert {"style": "Normal", "text": "2025年3月31日"} in outputs["report"]["body"]


def test_a_run_in_the_helper_process_with_no_spec_cache_says_the_same(outputs, tmp_path, monkeypatch):
    """The report written by the spawned helper, from a spec built from the YAML (not the pickle)."""
    monkeypatch.setenv("YONGJI_XLS_CACHE", "off")
    spec = load_spec.__wrapped__()
    with api.executor(helper=True) as executor:
        assert executor.helper is not None
        again = golden.meanings(golden.fixture_outputs(tmp_path, spec, executor))
        assert executor.helper is not None  # it wrote the report: it did not fail and was not dropped
    for name in NAMES:
        message = golden.difference(name, outputs[name], again[name])
        if message is not None:
            pytest.fail(message, pytrace=False)


def test_a_changed_cell_and_paragraph_give_a_short_diff_naming_where(outputs):
    breakdown = copy.deepcopy(outputs["breakdown"])
    review = breakdown["sheets"]["核定"]
    review["cells"]["A3"] = "指标编号"
    review["validations"][0]["formula1"] = "AND(ISNUMBER(G4),G4>=0)"
    message = golden.difference("breakdown", outputs["breakdown"], breakdown)
    assert message is not None
    assert "@@ sheets › 核定 › validations[0] @@" in message and "@@ sheets › 核定 › cells › A3 @@" in message
    assert '-    "A3": "编号",' in message and '+    "A3": "指标编号",' in message
    assert "G4<=D4" in message and "(2 lines differ)" in message

    report = copy.deepcopy(outputs["report"])
    at = next(n for n, block in enumerate(report["body"]) if block.get("text") == "一、基本情况")
    report["body"][at]["text"] = "一、总体情况"
    message = golden.difference("report", outputs["report"], report)
    assert message is not None and f"@@ body[{at}] @@" in message and "(1 line differs)" in message
    assert '+  {"style": "Heading 1", "text": "一、总体情况"},' in message


def test_a_diff_of_thousands_of_lines_shows_only_the_first_forty(outputs):
    evidence = copy.deepcopy(outputs["breakdown"])
    cells = evidence["sheets"]["佐证材料清单"]["cells"]
    for ref in list(cells)[:1500]:
        cells[ref] = f"{cells[ref]}*"
    message = golden.difference("breakdown", outputs["breakdown"], evidence)
    assert message is not None
    changed = [line for line in message.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    assert len(changed) == golden.MAX_DIFF_LINES
    assert len(message.splitlines()) < 60 and "1500 lines differ in all" in message


def test_the_golden_file_is_the_rendered_meaning_and_reads_back_the_same(outputs, tmp_path):
    for name in NAMES:
        assert golden.write_golden(name, outputs[name], tmp_path) is True
        assert golden.write_golden(name, outputs[name], tmp_path) is False
        assert golden.read_golden(name, tmp_path) == outputs[name]
        text = golden.golden_path(name, tmp_path).read_text("utf-8")
        assert text == golden.text_of(outputs[name]) and "\\u" not in text


def _regen_script() -> Any:
    path = Path(golden.ROOT, "scripts", "regen_golden.py")
    spec = importlib.util.spec_from_file_location("regen_golden", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerating_is_refused_under_ci_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CI", "true")
    assert _regen_script().main(["--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []
    assert "CI is set" in capsys.readouterr().err
    assert golden.regen_refusal({"CI": ""}) is None and golden.regen_refusal({"CI": "1"}) is not None


def test_the_report_extractor_gives_a_merged_cell_once_and_the_footer_text(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("一、基本情况", level=1)
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["合计", "", "备注"], ["20", "13", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 2).merge(table.cell(1, 2))
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    document.core_properties.title = "自评报告"
    document.save(tmp_path / "r.docx")

    meaning = golden.report_meaning(tmp_path / "r.docx")
    assert meaning["properties"]["title"] == "自评报告"
    assert meaning["sections"] == [{"orientation": "portrait", "footer": ["— 1 —"]}]
    assert meaning["body"] == [
        {"style": "Heading 1", "text": "一、基本情况"},
        {"table": [[{"span": 2, "text": "合计"}, "备注"], ["20", "13", None]]},
    ]


def test_the_workbook_extractor_types_values_and_lists_validation_items(tmp_path):
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(tmp_path / "b.xlsx")
    ws = wb.add_worksheet("核定")
    ws.merge_range("A1:C1", "标题")
    ws.write_datetime("A2", dt.datetime(2025, 1, 10), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_number("B2", 0.925)
    ws.write_number("C2", 87)
    ws.data_validation("D2:D9", {"validate": "list", "source": ["是", "否"]})
    ws.freeze_panes(2, 0)
    wb.add_worksheet("_meta").hide()
    wb.close()

    sheets = golden.breakdown_meaning(tmp_path / "b.xlsx")["sheets"]
    assert list(sheets) == ["核定", "_meta"] and sheets["_meta"]["state"] == "hidden"
    sheet = sheets["核定"]
    assert sheet["cells"] == {"A1": "标题", "A2": "2025-01-10T00:00:00", "B2": 0.925, "C2": 87}
    assert sheet["merged"] == ["A1:C1"] and sheet["freeze_panes"] == "A3"
    assert sheet["validations"] == [
        {"allow_blank": True, "formula1": '"是,否"', "items": ["是", "否"], "sqref": "D2:D9", "type": "list"}
    ]
