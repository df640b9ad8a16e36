"""The indicator system as shipped: counts, points, units, keys, and validation messages."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from spec_files import copy_spec, edit_yaml

from yongji_xls.system.load import SpecError, load_spec, normalise_name, resolver_of


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def test_counts_and_points(spec):
    assert len(spec.first_levels) == 5
    assert len(spec.second_levels) == 10
    assert len(spec.indicators) == 41
    assert [i.key for i in spec.indicators] == [f"I{n:02d}" for n in range(1, 42)]
    assert spec.max_points == 100
    assert {f.name: f.points for f in spec.first_levels} == {
        "促进发展": 20,
        "规范监管": 25,
        "优化服务": 20,
        "探索创新": 20,
        "综合保障": 15,
    }
    assert {s.name: s.points for s in spec.second_levels} == {
        "发展规模": 10,
        "发展质量": 10,
        "完善监管": 15,
        "规范执法": 10,
        "服务网络经营": 11,
        "服务网络消费": 9,
        "创新工作": 12,
        "创新效果": 8,
        "组织机制保障": 7,
        "工作基础保障": 8,
    }
    assert len(spec.tasks) == 21 and [t.key for t in spec.tasks][-1] == "T21"
    assert spec.pass_rule.total_min == 85 and spec.pass_rule.first_level_rate_min == 75


def test_criteria_points_add_up(spec):
    for ind in spec.indicators:
        if ind.aggregate == "any":
            assert ind.key in {"I28", "I29", "I30", "I31"}
            assert all(c.points == ind.points for c in ind.criteria)
        elif ind.criteria:
            assert sum(c.points for c in ind.criteria) == ind.points, ind.key
        else:
            assert ind.rule is not None and ind.no <= 9
    single = {i.key for i in spec.indicators if len(i.criteria) == 1}
    assert {"I10", "I16", "I35"} <= single
    computed = {c.key for i in spec.indicators for c in i.criteria if c.kind == "computed"}
    assert computed == {
        "I11.1",
        "I11.2",
        "I17.1",
        "I17.2",
        "I18.1",
        "I18.2",
        "I19.1",
        "I19.2",
        "I25.1",
        "I25.2",
        "I25.3",
        "I26.1",
        "I38.2",
    }
    assert spec.criterion("I11.3").kind == "evidence" and spec.criterion("I38.1").kind == "evidence"


def test_verbatim_texts(spec):
    i11 = spec.indicator("I11")
    assert i11.name == "强化智慧监管" and i11.nature == "定性+定量"
    assert "国家网络交易监管平台用户数超过在编监管人员数50%；（1分）" in i11.description
    assert spec.indicator("I03").description.startswith(
        "网络交易经营者数量/市场主体数量。占比8%-15%得1分，15%以上得2分。（比值区间均含本数，下同）"
    )
    assert spec.indicator("I01").units_text == "市统计局、市工科局[市商务局]"
    assert spec.task("T13").units == ("市审批服务管理局",)
    assert spec.task("T01").title == "加大政策扶持力度"


def test_units_resolve_in_document_order(spec):
    assert len(spec.units) == 38
    assert spec.indicator("I01").units == ("市统计局", "市工科局（市商务局）")
    assert spec.indicator("I07").units[:3] == ("市委网信办", "市人社局", "市文旅局")
    assert spec.indicator("I07").lead == "市人社局"  # the owner of its data leads
    members = [u.name for u in spec.units if u.attachment1]
    assert len(members) == 26 and spec.indicator("I41").units == tuple(members)
    towns = [u.name for u in spec.units if u.town]
    assert len(towns) == 10 and spec.indicator("I36").units == tuple(members) + tuple(towns)
    assert spec.indicator("I25").units == ("市市场监管局", "市消费者协会")
    assert "市金融服务中心" in spec.indicator("I22").units
    res = resolver_of(spec)
    for alias in (
        "市工科局",
        "市工科局[市商务局]",
        "市工科局（市商务局）",
        "市工科局(市商务局)",
        " 市工科局 [ 市商务局 ] ",
    ):
        assert res.canonical(alias) == "市工科局（市商务局）"
    assert normalise_name("各镇[街道]") == "各镇（街道）"


def test_fields_owned_by_responsible_units(spec):
    assert len(spec.fields) == 39
    for f in spec.fields:
        assert f.used_by, f.key
        for ind in f.used_by:
            assert f.owner in spec.indicator(ind).units
    assert spec.field("online_retail").cross_check == ("市工科局（市商务局）",)
    assert spec.field("online_retail@2023").series


def test_national_references_with_sources(spec):
    refs = {r.key: r for r in spec.references}
    assert refs["national.online_retail_growth@2024"].value == Decimal("7.2")
    assert refs["national.online_share@2023"].value == Decimal("32.72")
    assert refs["national.express_growth@2024"].value == Decimal("21.5")
    assert refs["national.satisfaction_rate@2024"].value == Decimal("80.36")
    assert "国家统计局" in refs["national.online_retail_growth@2024"].source
    assert not any(
        r.name in ("mediation_success_rate", "odr_on_time_rate", "odr_settlement_rate") for r in spec.references
    )


def test_validation_reports_bad_points(tmp_path):
    d = copy_spec(tmp_path)
    edit_yaml(d / "indicators.yaml", lambda data: data["indicators"][11]["criteria"][0].update(points=2))
    with pytest.raises(SpecError) as e:
        load_spec.__wrapped__(str(d))
    text = str(e.value)
    assert "指标I12各评分要点分值之和4不等于指标分值3" in text


def test_validation_reports_unknown_unit_and_duplicate_key(tmp_path):
    d = copy_spec(tmp_path)

    def broken(data):
        data["indicators"][4]["units_text"] = "市邮政分公司、市火星局"
        data["indicators"][5]["key"] = "I05"

    edit_yaml(d / "indicators.yaml", broken)
    with pytest.raises(SpecError) as e:
        load_spec.__wrapped__(str(d))
    assert any("市火星局" in p for p in e.value.problems)
    assert any("「I05」重复" in p for p in e.value.problems)


def test_validation_reports_field_owner_not_responsible(tmp_path):
    d = copy_spec(tmp_path)
    edit_yaml(d / "fields.yaml", lambda data: data["fields"][7].update(owner="市财政局"))
    with pytest.raises(SpecError) as e:
        load_spec.__wrapped__(str(d))
    assert any("ecommerce_tax" in p and "市财政局" in p for p in e.value.problems)


def test_validation_reports_unnamed_national_figure_and_missing_city(tmp_path):
    d = copy_spec(tmp_path)
    edit_yaml(d / "national.yaml", lambda data: data["labels"].pop("odr_settlement_rate"))
    edit_yaml(d / "units.yaml", lambda data: data["office"].pop("city"))
    with pytest.raises(SpecError) as e:
        load_spec.__wrapped__(str(d))
    assert any("odr_settlement_rate" in p and "labels" in p for p in e.value.problems)
    assert any("office缺少city" in p for p in e.value.problems)


def test_every_national_figure_a_rule_uses_has_a_report_label(spec):
    assert spec.national_names() and set(spec.national_names()) <= set(spec.reference_labels)
    assert spec.reference_labels["online_retail_growth"] == "全国网上零售额同比增速"


def test_disk_cache_is_used_and_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("YONGJI_XLS_CACHE", str(tmp_path))
    load_spec.cache_clear()
    try:
        stale = tmp_path / "spec-0123456789abcdef0123.pickle"  # left by an older version
        stale.write_bytes(b"old")
        first = load_spec()
        files = list(tmp_path.glob("spec-*.pickle"))
        assert len(files) == 1 and not stale.exists()
        load_spec.cache_clear()
        again = load_spec()
        assert again == first and again is not first
        files[0].write_bytes(b"not a pickle")  # a corrupt cache is rebuilt, never trusted
        load_spec.cache_clear()
        assert load_spec() == first
    finally:
        load_spec.cache_clear()


def test_the_disk_cache_key_covers_every_module_that_builds_or_checks_the_spec():
    import yongji_xls.system.load as loader

    shaping = set(loader.shaping_sources())
    root = Path(loader.__file__).resolve().parents[1]
    system = {root / "system" / n for n in ("load.py", "structure.py", "checks.py", "model.py", "keys.py")}
    assert system | {root / "system" / "rule_kinds.py", root / "system" / "placeholders.py"} <= shaping
    assert all(p.is_file() for p in shaping) and root / "coded_text.py" in shaping  # problems' base class
    # derived, not listed: whatever a system module imports joins the key, transitively
    assert not any(p.is_relative_to(root / "scoring") or p.is_relative_to(root / "workbook") for p in shaping)
    loaded = {Path(m.__file__).resolve() for n, m in sys.modules.items() if n.startswith("yongji_xls.system.")}
    assert loaded <= shaping
