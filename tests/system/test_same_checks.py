"""Same checks on every path (issue 20 §8): numbers out of range refuse an edited system with the
sheet, row and column; ``score --values`` warns where ``run`` warns; ``rollup`` reads a county's
breakdown workbook when there is no scores.json and names every folder it could not use."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from yongji_xls import api
from yongji_xls.system.load import SpecError, _read_raw, build_spec


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("sys") / "指标体系.xlsx"
    return api.export_system(path)


def _edited(exported, tmp_path, sheet: str, cell: str, value) -> str:  # noqa: ANN001
    wb = openpyxl.load_workbook(exported)
    wb[sheet][cell] = value
    out = tmp_path / "改过.xlsx"
    wb.save(out)
    return str(out)


@pytest.mark.parametrize("rate", [800, 0, -5])
def test_a_first_level_rate_outside_0_to_100_is_a_load_error_at_its_cell(exported, tmp_path, rate):
    problems = api.check_system(_edited(exported, tmp_path, "合格标准", "B3", rate))
    assert [p.code for p in problems] == ["pass_rate_range"]
    assert problems[0].startswith("改过.xlsx 工作表「合格标准」第3行「数值」列（B3）：")


def test_a_rate_of_100_is_the_top_and_loads(exported, tmp_path):
    assert api.check_system(_edited(exported, tmp_path, "合格标准", "B3", 100)) == []


def test_a_group_total_that_no_longer_matches_is_named_with_sheet_row_and_column(exported, tmp_path):
    problems = api.check_system(_edited(exported, tmp_path, "一级二级指标", "D2", 11))
    located = {p.code: p for p in problems}
    assert located["second_level_points"].startswith("改过.xlsx 工作表「一级二级指标」第2行「二级指标分值」列（D2）：")
    assert located["first_level_points"].startswith("改过.xlsx 工作表「一级二级指标」第2行「一级指标分值」列（B2）：")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda r: r["indicators"]["indicators"][2]["rule"].update(high=150), "rule_rate_range"),
        (lambda r: r["indicators"]["indicators"][2]["rule"].update(high_points=3), "rule_points_range"),
        (lambda r: r["indicators"]["indicators"][0]["rule"].update(points_per_year=2), "rule_years_points"),
        (lambda r: r["system"]["pass_rule"].update(total_min=101), "pass_total_range"),
    ],
)
def test_points_and_rates_outside_their_range_refuse_a_yaml_system(change, code):
    raw = _read_raw(None)
    change(raw)
    with pytest.raises(SpecError) as e:
        build_spec(raw)
    assert code in [p.code for p in e.value.problems]


def test_score_values_warns_of_one_name_under_two_codes_as_run_does(spec, tmp_path):
    rows = [
        {
            "企业名称": "永济甲公司",
            "统一社会信用代码": "91140881MA0K000001",
            "达标年度": 2024,
            "年度电子商务销售额（万元）": 20000,
        },
        {
            "企业名称": "永济甲公司",
            "统一社会信用代码": "91140881MA0K000002",
            "达标年度": 2024,
            "年度电子商务销售额（万元）": 20000,
        },
    ]
    path = tmp_path / "v.json"
    answer = {"done": True, "note": "开展", "evidence": ["同上"]}
    path.write_text(json.dumps({"year": 2024, "values": {"I04": rows, "I10.1": answer}}, ensure_ascii=False), "utf-8")
    _, issues = api.score_values(path, spec=spec)
    assert {(i.code, i.key) for i in issues} >= {("list_name_two_codes", "I04"), ("evidence_placeholder", "I10.1")}


def test_rollup_reads_a_breakdown_beside_the_runs_manifest_and_names_an_empty_folder(demo_run, tmp_path):
    demo = demo_run[1]  # the sample workbooks' run and outputs, once per session (conftest; only copied here)
    counties = tmp_path / "counties"
    (counties / "甲县").mkdir(parents=True)
    for name in ("任务分解表_2024年度.xlsx", ".yongji-outputs.json"):  # the run's own manifest, no scores.json
        shutil.copy(demo / name, counties / "甲县" / name)
    (counties / "乙县").mkdir()
    (counties / "乙县" / "说明.txt").write_text("还没做完", "utf-8")
    data, _ = api.rollup(counties, tmp_path / "out")
    assert [c.kind for c in data.counties] == ["breakdown"]
    assert [(i.code, i.file) for i in data.issues if i.code == "rollup_folder_unused"] == [
        ("rollup_folder_unused", "乙县")
    ]
    assert not [i for i in data.issues if i.file.endswith(".yongji-outputs.json")]
