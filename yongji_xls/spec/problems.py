"""The catalogue of indicator-system problems: what the structural check, the consistency checks
and the loader find wrong in the spec data, each sentence saying where and how to fix it.

A problem is a :class:`Problem` — a ``str`` (``SpecError.problems`` stays a list of sentences, as
the CLI, the web page and the tests read them) carrying its ``code`` and ``params``. What stays
composed: the structural check's location 「indicators.yaml: indicators[3].rule: 」 and the system
workbook's 「工作表「…」第N行：」 are a ``prefix`` in front of a catalogued problem
(:meth:`~yongji_xls.coded_text.CodedText.located`); ``units_unknown`` lists 「名称（指标I01、任务T02）」
with the places named by ``place_indicator``/``place_task``.
"""

from __future__ import annotations

from ..coded_text import CodedText

SPEC_PROBLEMS: dict[str, str] = {
    # the structural check (spec/structure.py): shapes, rule kinds and their parameters
    "file_not_mapping": "缺少内容或不是映射（键: 值）",
    "required": "缺少必填项",
    "expected": "应为{expected}",
    "wrong_type": "应为{expected}，实际为「{value}」",
    "unknown_key": "未知字段「{key}」（可用：{allowed}）",
    "unknown_rule_kind": "未知规则类型「{kind}」（可用：{allowed}）",
    "rule_for_indicator_only": "规则类型「{kind}」只能用于指标的rule",
    "rule_for_criterion_only": "规则类型「{kind}」只能用于评分要点的rule",
    "rule_param_missing": "规则类型「{kind}」缺少参数「{param}」",
    "rule_param_unknown": "规则类型「{kind}」没有参数「{param}」（可用：{allowed}）",
    "rule_takes_no_param": "规则类型「{kind}」没有参数「{param}」（可用：无）",
    "conditions_empty": "应为非空的{expected}",
    "condition_param_unknown": "条件没有参数「{param}」（可用：{allowed}）",
    "condition_ratio_pair": "比率条件须同时给出num和den",
    "condition_field_or_ratio": "条件须给出field，或num和den（二者选一）",
    "unknown_op": "未知比较符「{op}」（可用：{allowed}）",
    "unknown_form": "未知形式「{form}」（可用：product）",
    "criterion_kind_mismatch": "类型「{kind}」与其规则不符，应为「{derived}」（可省略，由规则决定）",
    # the consistency checks of a built system (spec/checks.py)
    "list_key_not_indicator": "清单「{key}」应以其所属指标的编号为键",
    "duplicate_key": "键「{key}」重复（{first}与{second}）",
    "duplicate_criterion_key": "评分要点键「{key}」重复",
    "criterion_key_prefix": "指标{indicator}的评分要点键「{key}」应以「{indicator}.」开头",
    "indicator_not_scored": "指标{indicator}既无计分规则也无评分要点",
    "any_points": "指标{indicator}为“符合一项即可得分”，各要点分值应为{points}分：{keys}",
    "criteria_points_sum": "指标{indicator}各评分要点分值之和{total}不等于指标分值{points}",
    "indicator_without_units": "指标{indicator}没有可识别的责任单位",
    "rule_field_unknown": "指标{indicator}的规则引用了不存在的数据项「{field}」",
    "second_level_points": "二级指标「{name}」分值{points}与其三级指标之和{total}不符",
    "first_level_points": "一级指标「{name}」分值{points}与其二级指标之和{total}不符",
    "indicator_level_unknown": "指标{indicator}的一级/二级指标「{first}/{second}」不在system.yaml中",
    "total_points": "总分应为{expected}分，实际指标之和为{actual}分",
    "field_unused": "数据项{field}没有被任何指标使用",
    "field_unit_not_responsible": "数据项{field}的单位「{unit}」不是指标{indicator}的责任单位",
    "office_city_missing": "units.yaml的office缺少city（所在市县名称）",
    "office_name_missing": "units.yaml的office缺少name（领导小组办公室名称）",
    "reference_label_missing": "全国参考值「{name}」在national.yaml的labels中没有中文名称",
    "task_without_units": "任务{task}没有可识别的责任单位",
    # the loader (spec/load.py)
    "field_owner_unknown": "数据项{field}：填报单位「{owner}」不在单位名录中",
    "field_cross_check_unknown": "数据项{field}：核对单位「{unit}」不在单位名录中",
    "units_unknown": (
        "以下责任单位不在单位名录（{source}）中：{listed}。请在单位名录中添加这些单位，或把它们作为别名填在对应单位的行中"
    ),
    "place_indicator": "指标{key}",
    "place_task": "任务{key}",
    "reference_key_format": "参考值键「{key}」格式应为 national.名称@年份，例如 national.online_retail_growth@2024",
    "reference_not_number": "参考值「{key}」的值「{value}」不是数字",
    "system_not_found": (
        "指标体系「{path}」不存在或不是文件夹/工作簿。请指定含system.yaml等文件的文件夹，或由 yongji-xls "
        "system export 导出的.xlsx文件"
    ),
    "system_files_missing": "指标体系文件夹「{path}」缺少{files}。请补齐这些文件",
    "system_yaml_unreadable": "指标体系文件夹「{path}」中的YAML无法读取：{error}",
    "system_incomplete": (
        "指标体系数据不完整（{error_type}：{error}）。请对照 yongji-xls system export 导出的工作簿检查"
    ),
}


class Problem(CodedText):
    """A spec problem: the sentence, its ``code`` in :data:`SPEC_PROBLEMS` and its ``params``."""

    catalogue = SPEC_PROBLEMS


def problem(code: str, /, **params: object) -> Problem:
    """Build a problem from the catalogue; an unknown code or a missing parameter is a KeyError."""
    return Problem.make(code, **params)
