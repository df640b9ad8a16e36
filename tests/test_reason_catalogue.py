"""Scoring reasons and spec problems are catalogue codes: every entry is emitted by the package and
formats in Chinese, no reason or problem is left as a Chinese f-string in the converted modules,
and a real scored criterion, a real spec problem and scores.json carry the code."""

from __future__ import annotations

import ast
import copy
import functools
import json
import multiprocessing
import pickle
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import answers, list_values, scalar_values, spec
from helpers import load_workbook
from scenarios import full_values

from yongji_xls.cli import main
from yongji_xls.coded_text import CodedText
from yongji_xls.scoring.engine import apply_overrides, score
from yongji_xls.scoring.path_to_pass import path_to_pass
from yongji_xls.scoring.reasons import CLAUSES_WITHOUT_WORDS, PHRASES, REASONS, Reason, phrase, reason
from yongji_xls.system.load import SpecError, _read_raw, build_spec, parse_references, read_system
from yongji_xls.system.problems import SPEC_PROBLEMS, Problem, problem
from yongji_xls.system.rule_kinds import OPS
from yongji_xls.values.types import Answer
from yongji_xls.workbook.write.office_config import ConfigError, read_config, write_config
from yongji_xls.workbook.write.system_workbook import (
    S_CONDITIONS,
    S_CRITERIA,
    S_INDICATORS,
    S_INFO,
    S_LEVELS,
    S_LIST_COLUMNS,
    S_LISTS,
    S_PASS,
    write_system_workbook,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "yongji_xls"
CJK = re.compile(r"[\u4e00-\u9fff]")
CONVERTED = (
    "scoring/rules.py",
    "scoring/engine.py",
    "scoring/scorecard.py",
    "scoring/path_to_pass.py",
    "scoring/display.py",
    "scoring/reasons.py",
    "system/structure.py",
    "system/checks.py",
    "system/load.py",
    "system/problems.py",
    "workbook/write/system_workbook.py",
    "workbook/write/office_config.py",
)
ALLOWED_FUNCTIONS = {  # (module, function): why its Chinese f-strings are not reasons or problems
    ("workbook/write/system_workbook.py", "pass_text"): "the pass rule's wording, written into the workbook",
    ("workbook/write/system_workbook.py", "_write"): "the exported workbook's title and properties",
    ("workbook/write/system_workbook.py", "_write_help"): "the exported workbook's help sheet",
    ("workbook/write/office_config.py", "derived_units"): "the office names derived for another county",
    ("workbook/write/office_config.py", "_write"): "the configuration workbook's title and properties",
}


def load_system_spec(system, config=None):
    """The system as ``api.load_system`` builds it (the workbook edge composed with ``system``)."""
    from yongji_xls import api

    return api.load_system(system, config)


@functools.cache
def _source(skip: str) -> str:
    """The package's source but one file (read once per file left out: ~200 cases ask)."""
    return "\n".join(p.read_text("utf-8") for p in PACKAGE.rglob("*.py") if p.name != skip)


def _sample(template: str) -> dict[str, str]:
    return {f: "甲" for f in re.findall(r"{(\w+)}", template)}


@pytest.mark.parametrize(
    ("catalogue", "home", "code"),
    [("REASONS", "reasons.py", c) for c in sorted(REASONS)]
    + [("PHRASES", "reasons.py", c) for c in sorted(PHRASES)]
    + [("SPEC_PROBLEMS", "problems.py", c) for c in sorted(SPEC_PROBLEMS)],
)
def test_code_is_emitted_by_the_package(catalogue, home, code):
    assert f'"{code}"' in _source(skip=home), f"{catalogue}[{code!r}] is never used"


@pytest.mark.parametrize("code", sorted(REASONS))
def test_reason_formats_in_chinese(code):
    r = reason(code, **_sample(REASONS[code]))
    assert isinstance(r, str) and r.code == code and "{" not in r and r.rebuilt() == r
    if code in CLAUSES_WITHOUT_WORDS:  # its words are parameters: it reads Chinese with each of them
        assert not CJK.search(REASONS[code])
        for _, yes, no in OPS.values():
            assert CJK.search(reason(code, **{**_sample(REASONS[code]), "relation": yes}).replace("甲", ""))
            assert CJK.search(reason(code, **{**_sample(REASONS[code]), "relation": no}).replace("甲", ""))
    else:
        assert CJK.search(REASONS[code]), f"{code}: a reason must be Chinese"


@pytest.mark.parametrize("code", sorted(PHRASES))
def test_phrase_formats_in_chinese(code):
    text = phrase(code, **_sample(PHRASES[code]))
    assert "{" not in text and CJK.search(PHRASES[code])


@pytest.mark.parametrize("code", sorted(SPEC_PROBLEMS))
def test_spec_problem_formats_in_chinese(code):
    p = problem(code, **_sample(SPEC_PROBLEMS[code]))
    assert p.code == code and "{" not in p and p.rebuilt() == p
    assert CJK.search(SPEC_PROBLEMS[code])


def test_unknown_code_or_missing_parameter_is_a_programming_error():
    with pytest.raises(KeyError):
        reason("缺少数据")
    with pytest.raises(KeyError):
        reason("data_missing", names="网络零售额")  # no `who`
    with pytest.raises(KeyError):
        problem("unknown_rule_kind", kind="ratio_bnd")  # no `allowed`


def _chinese_fstrings(rel: str, src: str, allowed=ALLOWED_FUNCTIONS) -> list[tuple[int, str, str]]:
    """(line, function, text) of every f-string with Chinese in it (in its text or its
    expressions), outside the ``allowed`` functions."""
    tree = ast.parse(src)
    enclosing: dict[ast.AST, str] = {}
    for fn in ast.walk(tree):  # outer functions come first, so the innermost name wins
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            enclosing.update((node, fn.name) for node in ast.walk(fn))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            segment = ast.get_source_segment(src, node) or ""
            function = enclosing.get(node, "")
            if CJK.search(segment) and (rel, function) not in allowed:
                found.append((node.lineno, function, segment[:80]))
    return found


@pytest.mark.parametrize("rel", CONVERTED)
def test_no_chinese_fstring_left_in_converted_modules(rel):
    assert _chinese_fstrings(rel, (PACKAGE / rel).read_text("utf-8")) == []


def test_the_scan_finds_chinese_fstrings_and_every_allowed_function_needs_it():
    sample = 'x = f"缺少{name}，请填报"\ny = f"{a}/{b}="\nz = f"{n}{\'高\' if up else \'低\'}"\nw = "未完成"\n'
    assert [line for line, _, _ in _chinese_fstrings("scoring/sample.py", sample)] == [1, 3]
    nested = 'def pass_text():\n    def inner():\n        return f"第{n}行"\n    return f"地区{r}"\n'
    assert _chinese_fstrings("workbook/write/system_workbook.py", nested) == [(3, "inner", 'f"第{n}行"')]
    for module, function in ALLOWED_FUNCTIONS:
        hits = _chinese_fstrings(module, (PACKAGE / module).read_text("utf-8"), allowed={})
        assert any(f == function for _, f, _ in hits), f"stale allow-list entry {module}: {function}"


# -- behaviour: real scoring --------------------------------------------------------------------


def _values() -> dict:
    sp = spec()
    return {**scalar_values(), **list_values(), **answers(sp)}


def test_scored_criteria_carry_their_codes():
    sp = spec()
    card = score(sp, _values())
    i03 = card.indicator("I03").criteria[0]
    assert i03.status == "partial" and i03.reason.code == "band_middle"
    assert i03.reason == "占比8.7%（2150/24800），在8%-15%之间，得1分"
    assert i03.reason.params["low"] == "8" and i03.reason.params["high"] == "15"
    crit = {c.key: c for c in card.criteria()}
    assert crit["I29.2"].reason.code == "not_done"
    assert crit["I29.2"].reason == "市市场监管局：未完成（本年度未开展），不得分"  # the unit's 否 with its own reason
    assert crit["I12.3"].reason.code == "claimed_without_evidence"
    assert crit["I36.2"].status == "missing" and crit["I36.2"].reason.code == "no_answer"
    assert card.pending_review and {c.reason.code for c in card.pending_review} == {"reference_missing"}
    for c in card.criteria():
        assert isinstance(c.reason, Reason) and c.reason.rebuilt() == c.reason


def test_missing_data_and_a_zero_base_have_their_codes():
    sp = spec()
    values = _values()
    del values["online_retail@2024"]
    values["express_volume@2023"] = 0
    card = score(sp, values)
    part = next(c for c in card.indicator("I01").criteria if c.key == "I01@2024")
    assert part.status == "missing" and part.reason.code == "data_missing"
    assert part.reason == f"缺少{part.reason.params['names']}，请{part.reason.params['who']}填报"
    assert "网上零售额" in part.reason.params["names"]
    zero = [c for c in card.criteria() if c.reason.code == "growth_base_zero"]
    assert zero and all(c.status == "missing" and "为0，无法计算2024年增速" in c.reason for c in zero)


def test_a_substituted_figure_keeps_the_code_and_adds_a_catalogued_note():
    sp = spec()
    plain = score(sp, _values())
    noted = score(sp, _values(), substitutes={"online_retail@2024": "市商务局"})
    before = next(c for c in plain.indicator("I01").criteria if c.key == "I01@2024").reason
    after = next(c for c in noted.indicator("I01").criteria if c.key == "I01@2024").reason
    assert after.code == before.code == "year_above" and after.params == before.params
    assert [n.code for n in after.notes] == ["substitute_note"]
    assert after == before + "；" + after.notes[0] and "采用市商务局填报数" in after
    assert after.rebuilt() == after


def test_identical_reasons_merge_under_a_code_and_distinct_ones_have_none():
    card = score(spec(), _values())
    merged = [i for i in card.indicators if getattr(i.reason, "code", None) == "merged_same"]
    assert merged
    for ind in merged:
        inner = ind.reason.params["reason"]
        assert ind.reason == f"{len(ind.criteria)}个评分要点均为：{inner}" and isinstance(inner, Reason)
    joined = next(i for i in card.indicators if len({c.reason for c in i.criteria}) > 1)
    assert not isinstance(joined.reason, CodedText) and joined.reason == "；".join(c.reason for c in joined.criteria)


def test_reasons_survive_pickling_and_the_helper_process():
    card = score(spec(), _values(), substitutes={"online_retail@2024": "市商务局"})
    again = pickle.loads(pickle.dumps(card))
    pairs = [(c.reason.code, c.reason.params, c.reason.notes, str(c.reason)) for c in card.criteria()]
    assert [(c.reason.code, c.reason.params, c.reason.notes, str(c.reason)) for c in again.criteria()] == pairs
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        back = pool.submit(copy.copy, card).result(timeout=120)  # pickled to a spawned process and back
    assert [(c.reason.code, c.reason.params, c.reason.notes, str(c.reason)) for c in back.criteria()] == pairs
    assert [getattr(i.reason, "code", None) for i in back.indicators] == [
        getattr(i.reason, "code", None) for i in card.indicators
    ]


def _growth_2024() -> Fraction:
    v = scalar_values()
    return (Fraction(v["online_retail@2024"]) / Fraction(v["online_retail@2023"]) - 1) * 100


def _scenarios() -> dict[str, tuple[dict, dict, dict]]:
    """Values (and substitutes) that between them make every reason of the catalogue."""
    base, sp = _values(), spec()
    ev = next(i for i in sp.indicators if sum(c.kind == "evidence" for c in i.criteria) > 1 and not i.rule)
    tiny = Fraction(1, 10**9)
    changes = {
        "base": {},
        "missing": {"online_retail@2024": None, "I04": None, "I32": None},
        "zero bases": {"online_retail@2023": 0, "social_retail@2024": 0, "market_entities": 0},
        "zero cases": {"regulatory_staff": 0, "claims_distributed": 0, "leads_total": 0},
        "suspect growth": {"express_volume@2023": 1},  # a jump beyond ×10: the growth compares nothing
        "low": {"online_operators": 1, "leads_checked_on_time": 1, "I04": []},
        "equal": {"national.online_retail_growth@2024": _growth_2024()},
        "slightly above": {
            "national.online_retail_growth@2024": _growth_2024() - tiny,
            "leads_total": 10**7,
            "leads_checked_on_time": 95 * 10**5 + 1,
        },
        "slightly below": {
            "national.online_retail_growth@2024": _growth_2024() + tiny,
            "leads_total": 10**7,
            "leads_checked_on_time": 95 * 10**5 - 1,
        },
        "answers": {
            ev.criteria[0].key: [Answer(True, "", ("方案.pdf",), "市商务局")],
            ev.criteria[1].key: [Answer(None, "已开展", (), "市商务局")],
        },
        "not done": {c.key: [Answer(False, "", (), ev.lead)] for c in ev.criteria},
    }
    out = {}
    for name, change in changes.items():
        values = {k: v for k, v in {**base, **change}.items() if v is not None}
        out[name] = (values, {}, {})
    out["substituted"] = (base, {"online_retail@2024": "市商务局"}, {})
    refused = {"online_retail@2024": "「约3000」不是确定的数字", "online_employment": "「-1」是负数"}
    out["refused"] = (
        {k: v for k, v in base.items() if k != "online_employment"},
        {"online_retail@2024": "市商务局"},
        refused,
    )
    return out


def test_every_reason_is_made_by_real_scoring(monkeypatch):
    """Clauses live inside composed reasons as text, so the codes are recorded as they are made."""
    sp = spec()
    made: dict[str, str] = {}
    scenario = [""]
    build = Reason.make.__func__

    def recording(cls, code, /, **params):
        made.setdefault(code, scenario[0])
        return build(cls, code, **params)

    monkeypatch.setattr(Reason, "make", classmethod(recording))
    for name, (values, substitutes, refused) in _scenarios().items():
        scenario[0] = name
        card = score(sp, values, substitutes=substitutes, refused=refused)
        indicator_reasons = [i.reason for i in card.indicators]  # made when read
        assert any(isinstance(r, Reason) for r in indicator_reasons)
        overridden = apply_overrides(sp, card, {"I01": (Fraction(0), "")})
        assert {i.reason.code for i in path_to_pass(sp, overridden).items if i.kind == "overridden"} == {"overridden"}
        assert all(c.reason.rebuilt() == c.reason for c in card.criteria())
    assert sorted(set(REASONS) - set(made)) == []
    assert made["year_equal"] == "equal" and made["compare_slightly_below"] == "slightly below"
    assert made["zero_product"] == "zero cases" and made["merged_not_done"] == "not done"


def test_path_to_pass_items_keep_the_reason_codes():
    sp = spec()
    card = score(sp, _values())
    items = path_to_pass(sp, card).items
    assert items and all(isinstance(i.reason, Reason) for i in items)
    assert {i.reason.code for i in items if i.kind == "review"} == {"reference_missing"}


def test_scores_json_has_reason_codes(tmp_path):
    values = full_values()
    values.pop("online_retail@2024")
    f = tmp_path / "values.json"
    f.write_text(json.dumps({"year": 2024, "region": "中部", "values": values}, ensure_ascii=False), "utf-8")
    out = tmp_path / "scores.json"
    r = CliRunner().invoke(main, ["score", "--values", str(f), "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text("utf-8"))
    criteria = [c for i in doc["indicators"] for c in i["criteria"]]
    assert criteria and all(c["reason_code"] in REASONS for c in criteria)
    i01 = next(c for c in criteria if c["key"] == "I01@2024")
    assert i01["reason_code"] == "data_missing" and i01["reason"].startswith("缺少")
    for ind in doc["indicators"]:
        assert "reason_code" in ind and (ind["reason_code"] is None or ind["reason_code"] in REASONS)
        if len(ind["criteria"]) == 1:
            assert ind["reason_code"] == ind["criteria"][0]["reason_code"]


# -- behaviour: real spec problems ----------------------------------------------------------------


@functools.cache
def _shipped_raw() -> bytes:
    """The shipped system's raw data, read from its YAML once for the ~100 cases that mutate it."""
    return pickle.dumps(_read_raw(None))


def _problems(mutate) -> list[str]:
    raw = pickle.loads(_shipped_raw())
    mutate(raw)
    with pytest.raises(SpecError) as e:
        build_spec(raw)
    return e.value.problems


def test_a_structural_problem_carries_its_code_and_location():
    def bad_kind(raw):
        raw["indicators"]["indicators"][0]["rule"]["kind"] = "ratio_bnd"

    (p,) = _problems(bad_kind)
    assert isinstance(p, Problem) and p.code == "unknown_rule_kind" and p.params["kind"] == "ratio_bnd"
    assert p.prefix == "indicators.yaml: indicators[0].rule.kind: "
    assert p.startswith("indicators.yaml: indicators[0].rule.kind: 未知规则类型「ratio_bnd」（可用：")
    again = pickle.loads(pickle.dumps(p))
    assert (again.code, again.prefix, str(again)) == (p.code, p.prefix, str(p)) and again.rebuilt() == p


def test_consistency_and_loader_problems_carry_their_codes():
    def broken(raw):
        ind = next(i for i in raw["indicators"]["indicators"] if i.get("criteria"))
        ind["criteria"][0]["points"] += 1
        raw["units"]["tasks"][0]["units_text"] = "某某办"
        raw["units"]["office"] = {k: v for k, v in raw["units"]["office"].items() if k != "city"}

    problems = _problems(broken)
    codes = [p.code for p in problems]
    assert "criteria_points_sum" in codes and "units_unknown" in codes and "office_city_missing" in codes
    unknown = next(p for p in problems if p.code == "units_unknown")
    task = _read_raw(None)["units"]["tasks"][0]["key"]
    assert f"某某办（任务{task}）" in unknown and unknown.params["source"] == "units.yaml"
    assert all(p.rebuilt() == p for p in problems)


def _inds(raw):
    return raw["indicators"]["indicators"]


def _with_criteria(raw, n=1):
    return next(i for i in _inds(raw) if len(i.get("criteria") or ()) >= n and not i.get("rule"))


def _conditions(raw):
    criteria = [c for i in _inds(raw) for c in i.get("criteria") or ()]
    return next(c for c in criteria if (c.get("rule") or {}).get("kind") == "conditions")


def _set(target, key, value):
    target[key] = value


def _zero_points(r: dict) -> None:
    """An indicator of 0 points (and one more point elsewhere, so the totals still add up)."""
    _inds(r)[9]["points"] = 0
    _inds(r)[9]["criteria"][0]["points"] = 0


def _two_levels(raw) -> bool:
    """The shipped system with its subgroups dropped: groups → indicators."""
    for f in raw["system"]["first_level"]:
        f.pop("second")
    for i in _inds(raw):
        i.pop("second")
    return True


PROBLEM_CASES = {
    "file_not_mapping": lambda r: r.pop("national"),
    "required": lambda r: r["system"].pop("version"),
    "expected": lambda r: _set(r["system"], "first_level", 5),
    "wrong_type": lambda r: _set(r["system"], "assessed_years", "两"),
    "unknown_key": lambda r: _set(r["system"], "evidence_placeholder", []),
    "key_obsolete": lambda r: _set(r["system"], "statuses", {"met": "达标"}),
    "unknown_rule_kind": lambda r: _set(_inds(r)[0]["rule"], "kind", "ratio_bnd"),
    "rule_for_indicator_only": lambda r: _set(_conditions(r)["rule"], "kind", "ratio_band"),
    "rule_for_criterion_only": lambda r: _set(_inds(r)[0]["rule"], "kind", "conditions"),
    "rule_param_missing": lambda r: _inds(r)[0]["rule"].pop("field"),
    "rule_param_unknown": lambda r: _set(_inds(r)[0]["rule"], "fields", "x"),
    "rule_takes_no_param": lambda r: _set(_with_criteria(r)["criteria"][0], "rule", {"kind": "evidence", "x": 1}),
    "conditions_empty": lambda r: _set(_conditions(r)["rule"], "all", []),
    "condition_param_unknown": lambda r: _set(_conditions(r)["rule"]["all"][0], "value", 1),
    "condition_ratio_pair": lambda r: _conditions(r)["rule"]["all"][0].pop("den"),
    "condition_field_or_ratio": lambda r: _set(_conditions(r)["rule"]["all"][0], "field", "x"),
    "unknown_op": lambda r: _set(_conditions(r)["rule"]["all"][0], "op", "<>"),
    "unknown_form": lambda r: _set(_conditions(r)["rule"]["all"][0], "form", "sum"),
    "criterion_kind_mismatch": lambda r: _set(_conditions(r), "kind", "evidence"),
    "list_key_not_indicator": lambda r: _set(r["system"]["lists"], "Z99", r["system"]["lists"].pop("I04")),
    "duplicate_key": lambda r: _set(_inds(r)[4], "key", _inds(r)[3]["key"]),
    "duplicate_criterion_key": lambda r: _set(
        _with_criteria(r, 2)["criteria"][1], "key", _with_criteria(r, 2)["criteria"][0]["key"]
    ),
    "criterion_key_prefix": lambda r: _set(_with_criteria(r)["criteria"][0], "key", "X9.1"),
    "indicator_not_scored": lambda r: _set(_with_criteria(r), "criteria", []),
    "any_points": lambda r: _set(_with_criteria(r, 2), "aggregate", "any"),
    "criteria_points_sum": lambda r: _set(_with_criteria(r)["criteria"][0], "points", 99),
    "indicator_without_units": lambda r: _set(_inds(r)[2], "units_text", "某某局"),
    "rule_field_unknown": lambda r: _set(_inds(r)[0]["rule"], "field", "nope"),
    "second_level_points": lambda r: _set(_inds(r)[3], "points", _inds(r)[3]["points"] + 1),
    "first_level_points": lambda r: _set(r["system"]["first_level"][0]["second"][0], "points", 99),
    "indicator_level_unknown": lambda r: _set(_inds(r)[0], "second", "无此二级指标"),
    "levels_mixed": lambda r: r["system"]["first_level"][0].pop("second"),
    "indicator_second_in_two_levels": lambda r: [f.pop("second") for f in r["system"]["first_level"]],
    "indicator_first_unknown": lambda r: _two_levels(r) and _set(_inds(r)[0], "first", "无此一级指标"),
    "total_points": lambda r: _set(r["system"], "total_points", 99),
    "field_unused": lambda r: r["fields"]["fields"].append({**r["fields"]["fields"][0], "key": "unused"}),
    "field_unit_not_responsible": lambda r: _set(r["fields"]["fields"][0], "cross_check", ["市委组织部"]),
    "office_city_missing": lambda r: r["units"]["office"].pop("city"),
    "office_name_missing": lambda r: r["units"]["office"].pop("name"),
    "reference_label_missing": lambda r: _set(r["national"], "labels", {}),
    "task_without_units": lambda r: _set(r["units"]["tasks"][0], "units_text", "某某办"),
    "task_key_format": lambda r: _set(r["units"]["tasks"][0], "key", "T1"),
    "task_lead_not_responsible": lambda r: _set(r["units"]["tasks"][0], "lead", "市统计局"),
    "field_owner_unknown": lambda r: _set(r["fields"]["fields"][0], "owner", "无此局"),
    "field_cross_check_unknown": lambda r: _set(r["fields"]["fields"][0], "cross_check", ["无此办"]),
    "units_unknown": lambda r: _set(_inds(r)[2], "units_text", "某某局"),
    "place_indicator": lambda r: _set(_inds(r)[2], "units_text", "某某局"),
    "place_task": lambda r: _set(r["units"]["tasks"][0], "units_text", "某某办"),
    # relations (issue 20): fields[0] is online_retail (万元, per year), fields[6] total_employment (人)
    "part_of_unknown": lambda r: _set(r["fields"]["fields"][0], "part_of", "no_such_field"),
    "part_of_self": lambda r: _set(r["fields"]["fields"][0], "part_of", "online_retail"),
    "part_of_unlike": lambda r: _set(r["fields"]["fields"][0], "part_of", "total_tax"),
    "part_of_circle": lambda r: _set(r["fields"]["fields"][1], "part_of", "online_retail"),
    "jump_not_series": lambda r: _set(r["fields"]["fields"][6], "jump", 10),
    "jump_too_small": lambda r: _set(r["fields"]["fields"][0], "jump", 1),
    "unit_slip_bad": lambda r: _set(r["fields"]["unit_slips"], "万元", {"元": 0}),
    # numbers out of what they can mean (issue 20 §8): _inds(r)[2] is I03 (ratio_band, 2 points)
    "pass_rate_range": lambda r: _set(r["system"]["pass_rule"], "first_level_rate_min", 800),
    "pass_total_range": lambda r: _set(r["system"]["pass_rule"], "total_min", 0),
    "points_not_positive": lambda r: _set(r["system"], "total_points", 100) or _zero_points(r),
    "criterion_points_range": lambda r: _set(_inds(r)[10]["criteria"][0], "points", 0),
    "rule_rate_range": lambda r: _set(_inds(r)[2]["rule"], "high", 150),
    "rule_points_range": lambda r: _set(_inds(r)[2]["rule"], "high_points", 3),
    "rule_points_order": lambda r: (
        _set(_inds(r)[2]["rule"], "low_points", 2) or _set(_inds(r)[2]["rule"], "high_points", 1)
    ),
    "rule_years_points": lambda r: _set(_inds(r)[0]["rule"], "points_per_year", 2),
    "placeholder_pattern_bad": lambda r: _set(r["system"], "evidence_placeholder_patterns", ["附件("]),
    "unit_slip_unused": lambda r: _set(r["fields"]["unit_slips"], "公斤", {"吨": 1000}),
}


def _problem_outside_the_build(code: str, tmp_path: Path) -> list[str]:
    bad_yaml = tmp_path / "bad"
    bad_yaml.mkdir()
    for name in ("system", "units", "fields", "indicators", "national"):
        (bad_yaml / f"{name}.yaml").write_text("a: [1" if name == "units" else "{}", "utf-8")
    not_utf8 = tmp_path / "gbk"
    shutil.copytree(bad_yaml, not_utf8)
    (not_utf8 / "units.yaml").write_bytes("city: 永济市".encode("gbk"))
    unreadable = tmp_path / "unreadable"
    shutil.copytree(bad_yaml, unreadable)
    (unreadable / "units.yaml").write_text("city: \x01", "utf-8")  # a control character: no line to name
    too_deep = tmp_path / "deep"
    shutil.copytree(bad_yaml, too_deep)
    (too_deep / "units.yaml").write_text("a: " + "[" * 100_000 + "]" * 100_000, "utf-8")  # crashed the C loader
    old_folder = tmp_path / "old"
    shutil.copytree(bad_yaml, old_folder)
    (old_folder / "tasks.yaml").write_text("tasks: []", "utf-8")  # an office's folder from before issue 22
    calls = {
        "obsolete_tasks_file": lambda: read_system(old_folder),
        "reference_key_format": lambda: parse_references({"online_retail_growth": 1}),
        "reference_not_number": lambda: parse_references({"national.online_retail_growth@2024": "很多"}),
        "system_not_found": lambda: read_system(tmp_path / "无此文件夹"),
        "system_files_missing": lambda: read_system(tmp_path),
        "system_yaml_invalid": lambda: read_system(bad_yaml),
        "system_file_not_utf8": lambda: read_system(not_utf8),
        "system_yaml_unreadable": lambda: read_system(unreadable),
        "system_yaml_too_deep": lambda: read_system(too_deep),
    }
    with pytest.raises(SpecError) as e:
        calls[code]()
    return e.value.problems


OUTSIDE_THE_BUILD = ("reference_key_format", "reference_not_number", "system_not_found", "system_files_missing")
OUTSIDE_THE_BUILD += ("system_yaml_invalid", "system_file_not_utf8", "system_yaml_unreadable", "system_yaml_too_deep")
OUTSIDE_THE_BUILD += ("obsolete_tasks_file",)
NOT_MADE_BY_A_TEST = {"book_incomplete": "a workbook whose reading fails although no cell was reported"}


def test_every_spec_problem_has_a_case():
    cases = set(PROBLEM_CASES) | set(OUTSIDE_THE_BUILD) | set(BOOK_CASES) | set(CONFIG_CASES) | set(WHOLE_FILE_CASES)
    cases |= set(TWO_LEVEL_BOOK_CASES)
    cases.add("system_incomplete")  # test_a_shape_only_the_build_trips_on_is_named
    assert set(SPEC_PROBLEMS) == cases | set(NOT_MADE_BY_A_TEST)


@pytest.mark.parametrize("code", sorted(PROBLEM_CASES) + sorted(OUTSIDE_THE_BUILD))
def test_a_broken_spec_reports_the_problem_by_code(code, tmp_path, monkeypatch):
    made: list[str] = []
    build = Problem.make.__func__

    def recording(cls, c, /, **params):
        made.append(c)
        return build(cls, c, **params)

    monkeypatch.setattr(Problem, "make", classmethod(recording))
    if code in OUTSIDE_THE_BUILD:
        problems = _problem_outside_the_build(code, tmp_path)
    else:
        problems = _problems(PROBLEM_CASES[code])
    assert code in made
    assert all(isinstance(p, Problem) and p.rebuilt() == p for p in problems)
    if not code.startswith("place_"):  # a place is a part of units_unknown, not a problem of its own
        assert code in {p.code for p in problems}


# -- the system workbook and the unit configuration -----------------------------------------------


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    raw = _read_raw(None)
    system, config = folder / "指标体系.xlsx", folder / "单位配置.xlsx"
    write_system_workbook(raw, system)
    write_config(config, raw["units"])
    return {"system": system, "config": config}


def _cell(ws, row: int, column: int, value) -> None:
    ws.cell(row, column).value = value  # None too (ws.cell(r, c, None) would keep the old value)


def _column(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _row_of(ws, key, column: int = 1) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == key)


def _put(wb, sheet: str, header: str, value, row: int = 2, key=None) -> None:
    ws = wb[sheet]
    ws.cell(_row_of(ws, key) if key is not None else row, _column(ws, header)).value = value


def _ratio_condition_row(ws) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, _column(ws, "分子")).value)


BOOK_CASES = {
    "sheet_missing": lambda wb: wb.remove(wb[S_CONDITIONS]),
    "column_missing": lambda wb: _cell(wb[S_CRITERIA], 1, 2, "乱填"),
    "cell_empty": lambda wb: _put(wb, S_PASS, "数值", None),
    "row_missing": lambda wb: wb[S_INFO].delete_rows(2),
    "not_a_number": lambda wb: _put(wb, S_PASS, "数值", True),
    "not_arabic_number": lambda wb: _put(wb, S_PASS, "数值", "八十五"),
    "not_an_integer": lambda wb: _put(wb, S_INDICATORS, "分值", "两分", key="I05"),
    "not_yes_no": lambda wb: _put(wb, S_INDICATORS, "分母为0视为达标", "乱填"),
    "not_integers": lambda wb: _put(wb, S_INDICATORS, "计分阶梯", "乱填"),
    "not_a_choice": lambda wb: _put(wb, S_INDICATORS, "计分方式", "乱填"),
    "rule_kind_not_listed": lambda wb: _put(wb, S_INDICATORS, "规则类型", "ratio_bands", key="I03"),
    "op_invalid": lambda wb: _put(wb, S_CONDITIONS, "比较", "乱填"),
    "ref_invalid": lambda wb: _put(wb, S_CONDITIONS, "参考值", "乱填"),
    "condition_without_operand": lambda wb: _put(
        wb, S_CONDITIONS, "分子", None, _ratio_condition_row(wb[S_CONDITIONS])
    ),
    "first_level_rows_apart": lambda wb: wb[S_LEVELS].move_range("A2:Z2", rows=wb[S_LEVELS].max_row, cols=0),
    "first_level_points_differ": lambda wb: _put(wb, S_LEVELS, "一级指标分值", 99, 3),
    "criterion_owner_unknown": lambda wb: _put(wb, S_CRITERIA, "所属指标", "I99"),
    "list_column_owner_unknown": lambda wb: _put(wb, S_LIST_COLUMNS, "清单键", "Z9"),
    "default_region_unknown": lambda wb: _cell(wb[S_INFO], _row_of(wb[S_INFO], "默认地区"), 2, "北部"),
    "obsolete_tasks_sheet": lambda wb: wb.create_sheet("重点任务"),
}


def _unit_row(wb, name: str) -> int:
    return _row_of(wb["单位"], name, 2)


CONFIG_CASES = {
    "config_sheet_missing": lambda wb: wb.remove(wb["分组"]),
    "config_header_columns_missing": lambda wb: _cell(wb["单位"], 1, 3, "乱填"),
    "config_header_not_found": lambda wb: [_cell(wb["单位"], 1, c, "乱填") for c in (1, 2)],
    "config_not_yes_no": lambda wb: _cell(wb["单位"], 2, 4, "乱填"),
    "config_row_missing": lambda wb: _cell(wb["基本信息"], 2, 1, "乱填"),
    "config_value_empty": lambda wb: _cell(wb["基本信息"], 2, 2, None),
    "config_region_invalid": lambda wb: _cell(wb["基本信息"], _row_of(wb["基本信息"], "地区类别"), 2, "北部"),
    "config_unit_name_empty": lambda wb: _cell(wb["单位"], 2, 2, None),
    "config_unit_no_invalid": lambda wb: _cell(wb["单位"], 2, 1, "乱填"),
    "config_unit_no_duplicate": lambda wb: _cell(wb["单位"], 3, 1, wb["单位"].cell(2, 1).value),
    "config_unit_duplicate": lambda wb: _cell(wb["单位"], 3, 2, wb["单位"].cell(2, 2).value),
    "config_alias_taken": lambda wb: _cell(wb["单位"], 2, 3, wb["单位"].cell(3, 2).value),
    "config_no_units": lambda wb: wb["单位"].delete_rows(2, wb["单位"].max_row),
    "config_group_name_empty": lambda wb: _cell(wb["分组"], 2, 1, None),
    "config_group_members_invalid": lambda wb: _cell(wb["分组"], 2, 3, "乱填"),
    "config_group_empty": lambda wb: [_cell(wb["单位"], r, 5, "否") for r in range(2, wb["单位"].max_row + 1)],
    "config_lead_unknown": lambda wb: _cell(wb["分组"], 2, 4, "无此局"),
    "config_lead_not_member": lambda wb: _cell(wb["分组"], 3, 4, "市统计局"),
    "config_group_name_taken": lambda wb: _cell(wb["分组"], 2, 2, "市统计局"),
    "config_tasks_sheet_missing": lambda wb: wb.remove(wb["重点任务"]),
    "config_task_no_invalid": lambda wb: _cell(wb["重点任务"], 2, 1, "乱填"),
    "config_task_no_duplicate": lambda wb: _cell(wb["重点任务"], 3, 1, 1),
    "config_task_empty": lambda wb: _cell(wb["重点任务"], 2, 4, None),
    "config_task_unit_unknown": lambda wb: _cell(wb["重点任务"], 2, 5, "无此局"),
    "config_task_lead_twice": lambda wb: _cell(wb["重点任务"], 2, 5, "市发改局（牵头）、市财政局（牵头）"),
    "config_task_example_edited": lambda wb: _cell(wb["重点任务"], 2, 1, "示例"),
}
WHOLE_FILE_CASES = ("book_unreadable", "book_is_config", "config_not_found", "config_is_system")


def _recorded(monkeypatch) -> list[str]:
    made: list[str] = []
    build = Problem.make.__func__

    def recording(cls, c, /, **params):
        made.append(c)
        return build(cls, c, **params)

    monkeypatch.setattr(Problem, "make", classmethod(recording))
    return made


def _edited(src: Path, dst: Path, edit) -> Path:
    wb = load_workbook(src)
    edit(wb)
    wb.save(dst)
    return dst


def _book_problem(path: Path, code: str, monkeypatch) -> Problem:
    """The problem ``code`` loading the system workbook ``path`` raised (made by that code)."""
    made = _recorded(monkeypatch)
    with pytest.raises(SpecError) as e:
        load_system_spec(path)
    assert code in made and code in {p.code for p in e.value.problems}
    found = next(p for p in e.value.problems if p.code == code)
    assert found.rebuilt() == found
    return found


@pytest.mark.parametrize("code", sorted(BOOK_CASES))
def test_a_broken_system_workbook_reports_the_problem_by_code(code, books, tmp_path, monkeypatch):
    path = _edited(books["system"], tmp_path / "体系.xlsx", BOOK_CASES[code])
    found = _book_problem(path, code, monkeypatch)
    assert found.startswith("体系.xlsx") and found.prefix.startswith("体系.xlsx")


TWO_LEVEL_BOOK_CASES = {
    "first_level_twice": lambda wb: wb["一级指标"].append([c.value for c in wb["一级指标"][2]]),
}


@pytest.mark.parametrize("code", sorted(TWO_LEVEL_BOOK_CASES))
def test_a_broken_two_level_system_workbook_reports_the_problem_by_code(code, tmp_path, monkeypatch):
    raw = _read_raw(None)
    _two_levels(raw)
    write_system_workbook(raw, tmp_path / "两级.xlsx")
    path = _edited(tmp_path / "两级.xlsx", tmp_path / "体系.xlsx", TWO_LEVEL_BOOK_CASES[code])
    assert _book_problem(path, code, monkeypatch).startswith("体系.xlsx 工作表「一级指标」第7行")


@pytest.mark.parametrize("code", sorted(CONFIG_CASES))
def test_a_broken_unit_configuration_reports_the_problem_by_code(code, books, tmp_path, monkeypatch):
    path = _edited(books["config"], tmp_path / "配置.xlsx", CONFIG_CASES[code])
    made = _recorded(monkeypatch)
    with pytest.raises(ConfigError) as e:
        read_config(path)
    assert code in made and code in {p.code for p in e.value.problems}
    found = next(p for p in e.value.problems if p.code == code)
    assert found.startswith("配置.xlsx") and found.rebuilt() == found


def test_whole_file_problems_carry_their_codes(books, tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    cases = [
        (lambda: load_system_spec(bad), SpecError, "book_unreadable"),
        (lambda: load_system_spec(books["config"]), SpecError, "book_is_config"),
        (lambda: read_config(bad), ConfigError, "book_unreadable"),
        (lambda: read_config(tmp_path / "无此文件.xlsx"), ConfigError, "config_not_found"),
        (lambda: read_config(books["system"]), ConfigError, "config_is_system"),
    ]
    for call, error, code in cases:
        with pytest.raises(error) as e:
            call()
        assert [p.code for p in e.value.problems] == [code]
    assert {code for _, _, code in cases} == set(WHOLE_FILE_CASES)


def test_a_build_problem_of_a_workbook_is_located_and_keeps_its_code(books, tmp_path):
    path = _edited(books["system"], tmp_path / "分值.xlsx", lambda wb: _put(wb, S_CRITERIA, "分值", 2, key="I12.1"))
    with pytest.raises(SpecError) as e:
        load_system_spec(path)
    (p,) = e.value.problems
    assert p == "分值.xlsx 工作表「三级指标」第13行：指标I12各评分要点分值之和4不等于指标分值3"
    assert p.code == "criteria_points_sum" and p.prefix == "分值.xlsx 工作表「三级指标」第13行："
    assert p.params == {"indicator": "I12", "total": 4, "points": 3} and p.rebuilt() == p


def test_a_shape_only_the_build_trips_on_is_named(books, tmp_path):
    def rename_list(wb):
        for sheet in (S_LISTS, S_LIST_COLUMNS):
            ws = wb[sheet]
            for r in range(2, ws.max_row + 1):
                if ws.cell(r, _column(ws, "清单键")).value == "I32":
                    _cell(ws, r, _column(ws, "清单键"), "Z32")

    path = _edited(books["system"], tmp_path / "清单.xlsx", rename_list)
    with pytest.raises(SpecError) as e:
        load_system_spec(path)
    (p,) = e.value.problems
    assert p.code == "system_incomplete" and p.params == {"error_type": "KeyError", "error": "'Z32'"}
    assert p == "指标体系数据不完整（KeyError：'Z32'）。请对照 yongji-xls system export 导出的工作簿检查"


def test_a_refused_owner_figure_is_said_refused_with_why_and_blank_ones_still_missing():
    sp = spec()
    values = {k: v for k, v in _values().items() if k not in ("online_employment", "total_employment")}
    card = score(sp, values, refused={"online_employment": "「约8600」不是确定的数字"})
    i07 = card.indicator("I07").criteria[0].reason
    assert i07.code == "data_refused"
    assert [n.code for n in i07.notes] == ["data_missing"]
    assert i07 == (
        "网络市场就业人员数量：主责单位市人社局填报的「约8600」不是确定的数字，未采用，请市人社局改正；"
        "缺少地方就业人员总数量，请市人社局填报"
    )
    assert i07.rebuilt() == i07
