"""The spec is one checked contract: the raw YAML is checked structurally before anything is
built, every problem named by file and path; rule parameters come from the rule declarations."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from spec_files import copy_spec, edit_yaml

from yongji_xls.cli import main
from yongji_xls.system.load import SpecError, load_spec, read_system
from yongji_xls.system.model import Rule
from yongji_xls.system.rule_kinds import RULE_KINDS, criterion_kind
from yongji_xls.system.structure import check_structure


def _index(data, key):
    return next(n for n, ind in enumerate(data["indicators"]) if ind["key"] == key)


def _problems(folder) -> list[str]:
    with pytest.raises(SpecError) as e:
        load_spec.__wrapped__(str(folder))
    return e.value.problems


def test_the_shipped_spec_is_structurally_sound():
    assert check_structure(read_system(None)) == []


def test_spec_system_names_file_and_path_of_a_misspelt_kind_a_missing_field_and_an_unknown_parameter(tmp_path):
    d = copy_spec(tmp_path)

    def broken(data):
        data["indicators"][_index(data, "I03")]["rule"]["kind"] = "ratio_bnd"
        del data["indicators"][_index(data, "I05")]["name"]
        data["indicators"][_index(data, "I07")]["rule"]["hgh"] = 5

    edit_yaml(d / "indicators.yaml", broken)
    result = CliRunner().invoke(main, ["spec", "--system", str(d)])
    assert result.exit_code == 2, result.output
    out = result.output
    assert "indicators.yaml: indicators[2].rule.kind: 未知规则类型「ratio_bnd」" in out
    assert "indicators.yaml: indicators[4].name: 缺少必填项" in out
    assert "indicators.yaml: indicators[6].rule.hgh: 规则类型「ratio_band」没有参数「hgh」" in out
    assert "指标体系有3处问题" in out


def test_a_missing_required_parameter_and_a_wrong_type_are_load_errors(tmp_path):
    d = copy_spec(tmp_path)

    def broken(data):
        del data["indicators"][_index(data, "I01")]["rule"]["national"]
        data["indicators"][_index(data, "I03")]["rule"]["low"] = "八"
        data["indicators"][_index(data, "I03")]["points"] = "两分"

    edit_yaml(d / "indicators.yaml", broken)
    problems = _problems(d)
    assert (
        "indicators.yaml: indicators[0].rule.national: 规则类型「growth_vs_national」缺少参数「national」" in problems
    )
    assert "indicators.yaml: indicators[2].rule.low: 应为数字，实际为「八」" in problems
    assert "indicators.yaml: indicators[2].points: 应为整数，实际为「两分」" in problems


def test_an_unknown_comparison_operator_in_a_condition_is_a_load_error(tmp_path):
    d = copy_spec(tmp_path)
    where = {}

    def broken(data):
        for i, ind in enumerate(data["indicators"]):
            for j, crit in enumerate(ind.get("criteria") or ()):
                if (crit.get("rule") or {}).get("kind") == "conditions" and not where:
                    crit["rule"]["all"][0]["op"] = "=>"
                    crit["rule"]["all"][0]["reff"] = 1
                    where["path"] = f"indicators[{i}].criteria[{j}].rule.all[0]"

    edit_yaml(d / "indicators.yaml", broken)
    problems = _problems(d)
    assert f"indicators.yaml: {where['path']}.op: 未知比较符「=>」（可用：> >= ==）" in problems
    assert any(p.startswith(f"indicators.yaml: {where['path']}.reff: 条件没有参数「reff」") for p in problems)


def test_a_criterion_rule_kind_on_an_indicator_and_an_unknown_key_are_named(tmp_path):
    d = copy_spec(tmp_path)

    def broken(data):
        data["indicators"][_index(data, "I02")]["rule"] = {"kind": "evidence"}
        data["indicators"][_index(data, "I04")]["unitstext"] = "市统计局"

    edit_yaml(d / "indicators.yaml", broken)
    edit_yaml(d / "fields.yaml", lambda data: data["fields"][0].pop("owner"))
    problems = _problems(d)
    assert "indicators.yaml: indicators[1].rule.kind: 规则类型「evidence」只能用于评分要点的rule" in problems
    assert any(p.startswith("indicators.yaml: indicators[3].unitstext: 未知字段「unitstext」") for p in problems)
    assert "fields.yaml: fields[0].owner: 缺少必填项" in problems


def test_a_misspelt_top_level_key_is_named_not_ignored(tmp_path):
    d = copy_spec(tmp_path)

    def misspelt(data):
        data["evidence_placeholder"] = data.pop("evidence_placeholders")  # would silently drop the list

    edit_yaml(d / "system.yaml", misspelt)
    problems = _problems(d)
    assert any(p.startswith("system.yaml: evidence_placeholder: 未知字段「evidence_placeholder」") for p in problems)


def test_a_key_earlier_versions_wrote_is_named_as_obsolete(tmp_path):
    d = copy_spec(tmp_path)
    edit_yaml(d / "system.yaml", lambda data: data.update(statuses={"met": "达标"}))
    assert _problems(d) == ["system.yaml: statuses: 「statuses」已不再使用（状态名称由程序统一定义），请删除这一项"]


def test_criterion_kind_is_derived_from_its_rule(tmp_path):
    spec = load_spec()
    kinds = {c.key: c.kind for i in spec.indicators for c in i.criteria}
    assert kinds["I10.1"] == "evidence"
    assert {c.kind for c in spec.indicator("I32").criteria} == {"list"}
    assert criterion_kind(None) == "evidence"
    assert criterion_kind(Rule("conditions", {"all": []})) == "computed"
    assert criterion_kind(Rule("list_count", {})) == "list"
    d = copy_spec(tmp_path)

    def without_kinds(data):
        for ind in data["indicators"]:
            for crit in ind.get("criteria") or ():
                crit.pop("kind", None)

    edit_yaml(d / "indicators.yaml", without_kinds)
    assert {c.key: c.kind for i in load_spec.__wrapped__(str(d)).indicators for c in i.criteria} == kinds
    edit_yaml(
        d / "indicators.yaml",
        lambda data: data["indicators"][_index(data, "I32")]["criteria"][0].update(kind="evidence"),
    )
    problems = _problems(d)
    assert any(
        "indicators.yaml: indicators[31].criteria[0].kind: 类型「evidence」与其规则不符，应为「list」" in p
        for p in problems
    )


def test_national_names_and_rule_fields_come_from_the_declared_parameters():
    spec = load_spec()
    assert set(spec.national_names()) == {
        "online_retail_growth",
        "express_growth",
        "online_share",
        "mediation_success_rate",
        "satisfaction_rate",
        "odr_on_time_rate",
        "odr_settlement_rate",
    }
    assert spec.indicator("I06").fields == ("online_retail", "social_retail")
    assert spec.indicator("I04").fields == ("I04",)
    declared = {k: {p.name for p in d.params} for k, d in RULE_KINDS.items()}
    assert declared["ratio_band"] == {"num", "den", "low", "high", "low_points", "high_points"}
    assert declared["evidence"] == set()


def test_a_bad_system_folder_that_is_not_there_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["spec", "--system", str(tmp_path / "无此文件夹")])
    assert result.exit_code == 2 and "不存在" in result.output  # a bad argument: 2 (issue 20, DESIGN §5)


def test_the_total_and_the_regions_come_from_the_spec(tmp_path):
    d = copy_spec(tmp_path)
    edit_yaml(d / "system.yaml", lambda data: data.update(total_points=90))
    assert "总分应为90分，实际指标之和为100分" in _problems(d)
    edit_yaml(
        d / "system.yaml", lambda data: data.update(total_points=100) or data["region"]["thresholds"].update(北部=8000)
    )
    assert load_spec.__wrapped__(str(d)).region_thresholds["北部"] == 8000
    values = tmp_path / "values.json"
    values.write_text('{"year": 2024, "values": {}}', "utf-8")
    out = tmp_path / "scores.json"
    bad = CliRunner().invoke(main, ["score", "--values", str(values), "--out", str(out), "--region", "北部"])
    assert bad.exit_code == 2 and "地区类别「北部」无效。请填写东部、中部、西部之一" in bad.output
    good = CliRunner().invoke(
        main, ["score", "--values", str(values), "--out", str(out), "--region", "北部", "--system", str(d)]
    )
    assert good.exit_code == 0, good.output


def test_what_a_spec_derives_is_kept_with_it_never_pickled_or_compared():
    import pickle

    from yongji_xls.system.model import _table

    spec = load_spec()
    copy = pickle.loads(pickle.dumps(spec))
    assert copy == spec and copy.derived is not spec.derived
    assert not copy.derived._made  # the disk cache carries data only
    assert copy.indicator("I12").key == "I12" and copy.derived.memo(_table, "indicator")["I12"] is copy.indicator("I12")
    assert copy.key_kind("I12.1") == "criterion" and copy.derived._made  # memoised on the copy, by function
    assert copy == spec  # what was memoised is never compared


def test_the_programme_the_titles_name_comes_from_the_system_title():
    from yongji_xls.system.model import programme_of

    assert load_spec().programme == "全国网络市场监管与服务示范区"
    assert programme_of("全国质量强县示范区评估指标体系（2025年版）") == "全国质量强县示范区"
    assert programme_of("某示范区创建考核细则") == "某示范区创建考核细则"
