"""The catalogue of scoring reasons: every sentence that says why a criterion scored what it did.

A reason is a :class:`Reason` — a ``str`` (the workbook, report, web pages and scores.json read it
as text, unchanged) that carries its ``code`` and ``params`` (scores.json gives ``reason_code``).

What stays composed of catalogued parts (each part is a code below, the glue is punctuation):

- ``conditions_*``: the ``clauses`` are 「；」-joined ``compare*`` / ``ratio_denominator_zero`` /
  ``zero_product`` clauses, and a ``no_business`` clause whose ``zeros`` are ``is_zero`` parts;
- a reason whose figure came from a cross-check unit carries ``substitute_note`` (or
  ``substitute_refused_note``, the owner's figure refused) clauses as ``notes`` (same code, text
  followed by 「；…」);
- a ``data_refused`` reason (the owner's figure refused) carries the other refused figures and a
  ``data_missing`` clause for blank ones as ``notes``;
- an indicator's reason (:func:`.display.merge_reasons`) is its criterion's reason when there is
  one, ``merged_same`` / ``merged_not_done`` for identical ones, and otherwise the 「；」-joined
  reasons as plain text (no single code: scores.json gives ``reason_code: null``);
- figures are parameters formatted by :mod:`.display` (a ``note`` such as 「，低0.0001个百分点」 is
  the figure's detail, empty when the figures separate), and unit lists by ``units_text``.
"""

from __future__ import annotations

from ..coded_text import CodedText

REASONS: dict[str, str] = {
    # data that cannot be scored
    "data_missing": "缺少{names}，请{who}填报",
    "data_refused": "{label}：主责单位{owner}填报的{refused}，未采用，请{owner}改正",
    "reference_missing": "缺少全国参考值{reference}，待核定",
    "growth_base_zero": "{label}为0，无法计算{year}年增速，请{owner}核实",
    "growth_suspect": (
        "{label}与{previous}相差超过{jump}倍，疑似计量单位误填，未用于计算{year}年增速，请{owner}核对两年数据"
    ),
    "growth_total_zero": "{label}为0，无法比较增速，请{owner}核实",
    "share_base_zero": "{label}为0，无法计算占比，请{owner}核实",
    "substitute_note": "{label}采用{unit}填报数（主责单位{owner}未填报）",
    "substitute_refused_note": "{label}采用{unit}填报数（主责单位{owner}填报的{refused}，未采用）",
    # one year's figure against the national one or another growth (I01, I02, I05, I06)
    "year_above": "{year}年{what}{local}%，高于{against}{target}%，得{points}分",
    "year_slightly_above": "{year}年{what}{local}%，略高于{against}{target}%（高{difference}个百分点），得{points}分",
    "year_not_above": "{year}年{what}{local}%，未超过{against}{target}%，不得分",
    "year_equal": "{year}年{what}{local}%，未超过{against}{target}%（持平），不得分",
    "year_slightly_below": "{year}年{what}{local}%，略低于{against}{target}%（低{difference}个百分点），不得分",
    # a ratio in bands (I03, I07–I09)
    "band_high": "占比{rate}（{num}/{den}{note}），达到{high}%以上，得{score}分",
    "band_middle": "占比{rate}（{num}/{den}{note}），在{low}%-{high}%之间，得{score}分",
    "band_low": "占比{rate}（{num}/{den}{note}），低于{low}%，得{score}分",
    # enterprises over the regional threshold (I04)
    "threshold_list_missing": "未填报清单，请{units}填报",
    "threshold_found": "{years}年达标企业{count}家（{names}），得{score}分",
    "threshold_none": "{years}年达标企业{count}家，得{score}分",
    # computed criteria: clauses, then the verdict
    "compare": "{subject}{value}{unit}，{relation}{against}{target}{unit}",
    "compare_slightly_above": "{subject}{value}{unit}，略高于{against}{target}{unit}（高{difference}{measure}）",
    "compare_slightly_below": "{subject}{value}{unit}，略低于{against}{target}{unit}（低{difference}{measure}）",
    "ratio_denominator_zero": "{den}为0，无法计算比率",
    "zero_product": "{den}为0，{num}{count}，{relation}{target}%×0=0",
    "is_zero": "{label}为0",
    "no_business": "{zeros}，无相关业务，视同达标",
    "conditions_met": "{clauses}，得{points}分",
    "conditions_not_met": "{clauses}，不得分",
    "conditions_unclear": "{clauses}，请核实数据",
    # evidence criteria (是/否 + 工作情况说明 + 佐证材料)
    "evidence_met": "{who}已完成并提供佐证材料{count}份，得{points}分",
    "claimed_without_evidence": "{who}填“是”但缺少佐证材料，不得分",
    "claimed_without_note": "{who}填“是”但缺少工作情况说明，不得分",
    "not_done": "{answers}，不得分",
    "answer_without_done": "{who}填写了说明或材料但未填“是否完成”，不得分，请{who}补填“是否完成”",
    "no_answer": "无单位填报，请{who}填报",
    # list criteria (I32–I34)
    "list_any_met": "有{levels}{count}项（{first}等），得{points}分",
    "list_any_none": "无{levels}项，不得分",
    "list_missing": "清单未填报，请{who}填报",
    "list_count": "{title}{count}项，得{score}分",
    # an indicator's reason from its criteria's
    "merged_not_done": "{count}个评分要点均为“{answers}”，不得分",
    "any_met": "符合第{which}项评分要点（符合一项即可得分）：{reason}",
    "merged_same": "{count}个评分要点均为：{reason}",
    # 达标路径
    "overridden": "已人工核定",
}

PHRASES: dict[str, str] = {
    # what a rule-built criterion says it scores (the criterion's ``text``)
    "growth_beats_national": "{year}年{label}同比增速超过全国",
    "growth_beats_growth": "{year}年{label}同比增速超过{other}同比增速",
    "share_beats_national": "{year}年{share}超过全国",
    "year_beats": "{year}年{what}超过{against}",
    "band_text": "{num}/{den}：{low}%-{high}%得{low_points}分，{high}%以上得{high_points}分",
    "threshold_text": "近{years}年{title}（{region}地区年度电子商务销售额{threshold}万元以上）",
    # the parts reasons name figures with
    "year_label": "{label}（{year}年）",
    "growth_of": "{label}同比增长",
    "growth_rate_of": "{label}增速",
    "share_of": "{num}占{den}比重",
    "national": "全国",
    "above_by": "高{difference}{measure}",
    "below_by": "低{difference}{measure}",
    # units named in a reason (display.units_text)
    "units_and_more": "{names}等{count}个单位",
    "group_members": "{name}{count}个成员单位",
    "group_each": "{count}个{name}",
    "group_units": "{name}{count}个单位",
    # a 否 answer quoted with the unit's own reason (the evidence rule's not_done reason)
    "declined": "{who}：未完成",
    "declined_because": "{who}：未完成（{why}）",
}
"""Criterion texts, figure and unit names the rules build (plain text: they are not reasons)."""

REPORTING_UNIT = "填报单位"
"""Who answered, when an answer names no unit (a parameter of the evidence reasons)."""

CLAUSES_WITHOUT_WORDS = {
    "compare": "its words are parameters: the comparison word of system.rule_kinds.OPS and the labels"
}
"""Templates with no Chinese word of their own (the Chinese comes in with their parameters)."""


class Reason(CodedText):
    """A scoring reason: the sentence, its ``code`` in :data:`REASONS` and its ``params``."""

    catalogue = REASONS


def phrase(code: str, /, **params: object) -> str:
    """A criterion text or figure name from :data:`PHRASES`."""
    return PHRASES[code].format(**params)


def reason(code: str, /, **params: object) -> Reason:
    """Build a reason from the catalogue; an unknown code or a missing parameter is a KeyError."""
    return Reason.make(code, **params)
