"""`--reference` files and `score --values` national figures: every problem names file and line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from scenarios import full_values

from yongji_xls.cli import main
from yongji_xls.system.load import load_spec
from yongji_xls.values.json_input import validate_values
from yongji_xls.values.references import ReferenceFileError, read_references


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def _file(tmp_path, text, name="参考值.yaml"):
    f = tmp_path / name
    f.write_text(text, "utf-8")
    return f


def _problems(path, spec):
    with pytest.raises(ReferenceFileError) as e:
        read_references(path, spec, 2024)
    return e.value.problems


def test_good_file_reads_exactly_with_no_warnings(tmp_path, spec):
    refs, warnings = read_references(
        _file(tmp_path, "national.mediation_success_rate@2024: 85.5\nnational.online_retail_growth@2024: '7.3%'\n"),
        spec,
        2024,
    )
    assert {r.key: str(r.value) for r in refs} == {
        "national.mediation_success_rate@2024": "85.5",
        "national.online_retail_growth@2024": "7.3",
    }
    assert warnings == []


def test_missing_file_is_said_in_chinese(tmp_path, spec):
    assert _problems(tmp_path / "没有.yaml", spec) == [
        f"参考值文件「{tmp_path / '没有.yaml'}」不存在，请检查路径和文件名"
    ]


def test_not_yaml_names_the_line(tmp_path, spec):
    [p] = _problems(_file(tmp_path, "national.online_share@2024: 31.8\nmediation: [1\n"), spec)
    assert p.startswith("参考值文件「参考值.yaml」第") and "不是有效的YAML" in p


def test_brackets_nested_too_deep_are_a_sentence_not_a_recursion_error(tmp_path, spec):
    [p] = _problems(_file(tmp_path, "national.online_share@2024: " + "[" * 5000 + "\n"), spec)
    assert p.startswith("参考值文件「参考值.yaml」不是有效的YAML：括号嵌套过深")


def test_each_bad_entry_names_its_line_and_all_are_listed(tmp_path, spec):
    text = (
        "\n".join(
            [
                "national.online_share@2024: 31.8",  # 1 fine
                "national.online_share@2024: 32",  # 2 duplicate of line 1
                "national.express_growth@2024:",  # 3 empty
                "national.satisfaction_rate@2024: .nan",  # 4 NaN
                "national.odr_on_time_rate@2024: .inf",  # 5 INF
                "national.odr_settlement_rate@2024: 约80",  # 6 text
                "foo: 1",  # 7 bad key
            ]
        )
        + "\n"
    )
    assert _problems(_file(tmp_path, text), spec) == [
        "参考值.yaml第2行：「national.online_share@2024」与第1行重复，请只保留一行",
        "参考值.yaml第3行：「national.express_growth@2024」没有填写数值，请填写数字或删除该行",
        "参考值.yaml第4行：「national.satisfaction_rate@2024」的值「.nan」不是有限的数字，请填写实际数值",
        "参考值.yaml第5行：「national.odr_on_time_rate@2024」的值「.inf」不是有限的数字，请填写实际数值",
        "参考值.yaml第6行：「national.odr_settlement_rate@2024」的值「约80」不是数字，请只填写数字（如7.2，百分比不带%亦可）",
        "参考值.yaml第7行：键「foo」格式应为 national.名称@年份，例如 national.online_retail_growth@2024",
    ]


def test_doubtful_entries_are_warned_with_their_line(tmp_path, spec):
    text = (
        "national.mediaton_success_rate@2024: 85\nnational.online_share@2019: "
        "20\nnational.satisfaction_rate@2024: 0.58\n"
    )
    refs, warnings = read_references(_file(tmp_path, text), spec, 2024)
    assert len(refs) == 3  # warned, still read
    assert [w.code for w in warnings] == ["reference_unknown_name", "reference_year_unused", "reference_fraction"]
    assert all(w.severity == "warning" and w.file == "参考值.yaml" for w in warnings)
    assert warnings[0].message.startswith(
        "第1行「national.mediaton_success_rate@2024」：本指标体系不使用名为「mediaton_success_rate」"
    )
    assert "mediation_success_rate" in warnings[0].message
    assert (
        warnings[1].message
        == "第2行「national.online_share@2019」：2019年不在本次评估年度（2023、2024年）内，该值不参与计分。请核对年份"
    )
    assert "如为58%请填写58" in warnings[2].message


def test_run_shows_reference_warnings_and_keeps_them_in_the_issues(tmp_path):
    ref = _file(tmp_path, "national.mediation_success_rate@2024: 0.8\n")
    out = tmp_path / "输出"
    r = CliRunner().invoke(main, ["run", "sample_workbooks", "--out", str(out), "--reference", str(ref)])
    assert r.exit_code == 0, r.output
    assert (
        "[警告] 文件「参考值.yaml」：第1行「national.mediation_success_rate@2024」的值「0.8」像是小数形式的比率"
        in r.output
    )
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    assert "reference_fraction" in {i["code"] for i in doc["issues"]}


def test_values_file_follows_the_same_rules(spec):
    raw = {
        "national.online_share@2024": float("nan"),
        "online_retail@2024": float("inf"),
        "national.satisfaction_rate@2024": 0.8,
        "online_retail@2019": 5,
        "national.online_share@2019": 30,
        "national.typo_rate@2024": 3,
    }
    values, issues = validate_values(spec, raw, "values.json", year=2024)
    codes = {(i.key, i.code) for i in issues}
    assert ("national.online_share@2024", "value_not_finite") in codes and (
        "online_retail@2024",
        "value_not_finite",
    ) in codes
    assert "national.online_share@2024" not in values and "online_retail@2024" not in values
    assert ("national.satisfaction_rate@2024", "reference_fraction") in codes
    assert ("online_retail@2019", "value_year_unused") in codes and (
        "national.online_share@2019",
        "reference_year_unused",
    ) in codes
    assert ("national.typo_rate@2024", "reference_unknown_name") in codes
    assert (
        next(i for i in issues if i.code == "value_year_unused").message
        == "键「online_retail@2019」的年份不在本次计分所需年度（2022、2023、2024年）内，该值不参与计分。请核对年份"
    )


def test_score_command_rejects_nan_in_values(tmp_path):
    v = full_values()
    v["national.online_share@2024"] = "NaN"
    f = tmp_path / "values.json"
    f.write_text(json.dumps({"year": 2024, "region": "中部", "values": v}, ensure_ascii=False), "utf-8")
    r = CliRunner().invoke(main, ["score", "--values", str(f), "--out", str(tmp_path / "s.json")])
    said = "文件「values.json」中的键「national.online_share@2024」：「NaN」不是有限的数字"
    assert r.exit_code == 0 and said in r.output


def test_score_checks_reference_years_against_the_values_files_year(tmp_path):
    ref = _file(tmp_path, "national.mediation_success_rate@2023: 80\n")
    f = tmp_path / "values.json"
    f.write_text(json.dumps({"year": 2023, "region": "中部", "values": full_values()}, ensure_ascii=False), "utf-8")
    r = CliRunner().invoke(
        main, ["score", "--values", str(f), "--out", str(tmp_path / "s.json"), "--reference", str(ref)]
    )
    assert r.exit_code == 0, r.output
    issues = json.loads((tmp_path / "s.json").read_text("utf-8"))["issues"]
    assert not [i for i in issues if i["file"] == "参考值.yaml"]  # 2023 is in the file's window (2022–2023)
    assert any(
        i["code"] == "reference_year_unused" and i["key"] == "national.mediation_success_rate@2024" for i in issues
    )  # the values' own


def test_reference_file_formats(tmp_path):
    f = tmp_path / "ref.yaml"
    f.write_text("national.mediation_success_rate@2024: 85.5\nnational.online_retail_growth@2024: '7.3%'\n", "utf-8")
    refs = {r.key: r.value for r in read_references(f)[0]}
    assert str(refs["national.mediation_success_rate@2024"]) == "85.5"
    assert str(refs["national.online_retail_growth@2024"]) == "7.3"
    bad = tmp_path / "bad.yaml"
    bad.write_text("mediation: [1\n", "utf-8")
    with pytest.raises(ReferenceFileError, match="不是有效的YAML") as caught:
        read_references(bad)
    assert str(caught.value).startswith("参考值文件有误：")  # not "指标体系数据有误": the system is fine
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("foo: 1\n", "utf-8")
    with pytest.raises(ReferenceFileError, match="national.名称@年份"):
        read_references(wrong)


def test_a_source_without_a_value_is_named_by_its_words_not_its_key(tmp_path) -> None:
    from leaks import leaks

    from yongji_xls import api

    sp = api.load_system()
    key = api.pending_references(sp, 2024)[0]
    saved = api.save_references(tmp_path / "参考.yaml", {key: ("", "国家市场监管总局通报", "")}, spec=sp, year=2024)
    assert not (tmp_path / "参考.yaml").exists()
    assert len(saved.problems) == 1
    assert "2023年全国网络消费纠纷调解成功率" in saved.problems[0]
    assert not leaks(saved.problems[0]), saved.problems[0]
