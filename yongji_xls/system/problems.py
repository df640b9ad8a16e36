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
    # the structural check (system/structure.py): shapes, rule kinds and their parameters
    "file_not_mapping": "缺少内容或不是映射（键: 值）",
    "required": "缺少必填项",
    "expected": "应为{expected}",
    "wrong_type": "应为{expected}，实际为「{value}」",
    "unknown_key": "未知字段「{key}」（可用：{allowed}）",
    "key_obsolete": "「{key}」已不再使用（{why}），请删除这一项",
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
    # the consistency checks of a built system (system/checks.py)
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
    "indicator_first_unknown": "指标{indicator}的一级指标「{first}」不在system.yaml中",
    "indicator_second_in_two_levels": (
        "指标{indicator}填写了二级指标「{second}」，但本指标体系只有两级（一级指标下直接是计分的指标）。"
        "请删去，或在system.yaml中为每个一级指标列出二级指标"
    ),
    "levels_mixed": (
        "一级指标「{name}」没有列出二级指标，而其他一级指标有：指标体系须全部为三级（一级→二级→三级指标）"
        "或全部为两级（一级→二级指标）"
    ),
    "total_points": "总分应为{expected}分，实际指标之和为{actual}分",
    "field_unused": "数据项{field}没有被任何指标使用",
    "field_unit_not_responsible": "数据项{field}的单位「{unit}」不是指标{indicator}的责任单位",
    "office_city_missing": "units.yaml的office缺少city（所在市县名称）",
    "office_name_missing": "units.yaml的office缺少name（领导小组办公室名称）",
    "reference_label_missing": "全国参考值「{name}」在national.yaml的labels中没有中文名称",
    "task_without_units": "任务{task}没有可识别的责任单位",
    "placeholder_pattern_bad": "非材料用语的第{n}个模式「{pattern}」不是有效的正则表达式（{error}）。请改正或删除",
    # numbers within what they can mean (system/checks.py validate_ranges)
    "pass_rate_range": "一级指标得分率下限为{value}%，应在0到100之间（如75）。请改正",
    "pass_total_range": "合格总分为{value}分，应大于0且不超过总分{points}分。请改正",
    "points_not_positive": "指标{key}的分值为{value}，应为正整数。请改正",
    "criterion_points_range": "评分要点{key}的分值为{value}，应大于0且不超过所属指标的{points}分。请改正",
    "rule_rate_range": "{key}的{param}为{value}，比率以百分数填写，应在0到100之间。请改正",
    "rule_points_range": "{key}的{param}为{value}，应大于0且不超过指标分值{points}分。请改正",
    "rule_points_order": "{key}的下限得分{low}大于上限得分{high}。请改正",
    "rule_years_points": "{key}每年得分{value}分、共{years}年，合计{total}分，超过指标分值{points}分。请改正",
    # relations between fields (system/parts.py)
    "part_of_unknown": "数据项{field}的所属总量「{whole}」不是已有的数据项键。请填写数据项表中的键",
    "part_of_self": "数据项{field}的所属总量不能是它自己。请填写它所属的另一数据项的键，或留空",
    "part_of_unlike": (
        "数据项{field}（{unit}）与所属总量{whole}（{whole_unit}）的计量单位或是否按年度填报不同，无法比较。"
        "请改为同一计量单位、同样按年度（或不按年度）填报的数据项"
    ),
    "part_of_circle": "数据项{field}与{whole}的所属总量互相包含（形成循环）。请删去其中一项的所属总量",
    "jump_not_series": "数据项{field}不按年度填报，不能设同比倍数上限。请留空",
    "jump_too_small": "数据项{field}的同比倍数上限{jump}应大于1（如10表示增减超过10倍即提示）。请改正",
    "unit_slip_bad": "计量单位「{unit}」误填为「{slip}」的倍数「{factor}」应为不等于1的正数（如10000或0.0001）。请改正",
    "unit_slip_unused": "计量单位误填表中的「{unit}」不是任何数据项的计量单位。请核对或删除该行",
    "task_key_format": "任务键「{key}」应为T加两位数字（如T01），与任务序号{no}一致",
    "task_lead_not_responsible": "任务{task}的牵头单位「{lead}」不是该任务的责任单位",
    "obsolete_tasks_file": (
        "「{path}」已不再使用：重点任务是本县工作方案的内容，不属于指标体系，已移入units.yaml的tasks部分"
        "（或单位配置.xlsx的「重点任务」表）。请把其中的任务移过去后删除此文件"
    ),
    # the loader (system/load.py)
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
    "system_yaml_unreadable": "指标体系文件「{path}」无法读取：{error}",
    "system_yaml_invalid": "指标体系文件「{path}」第{line}行不是有效的YAML（{error}），请检查缩进、冒号和括号",
    "system_yaml_too_deep": "指标体系文件「{path}」不是有效的YAML：括号嵌套过深，请检查括号是否成对",
    "system_file_not_utf8": "指标体系文件「{path}」不是UTF-8编码的文本，请另存为UTF-8",
    "system_incomplete": (
        "指标体系数据不完整（{error_type}：{error}）。请对照 yongji-xls system export 导出的工作簿检查"
    ),
    # the indicator-system workbook (workbook/write/system_workbook.py)
    "book_unreadable": "{book}：无法打开（{error_type}）。请在Excel或WPS中另存为.xlsx后重试",
    "book_is_config": (
        "{book}是单位配置表，不是指标体系工作簿。请用 --config 指定它；--system 应指定由 yongji-xls "
        "system export 导出的工作簿"
    ),
    "book_incomplete": "{book}：内容不完整（{error_type}：{error}）。请对照 yongji-xls system export 导出的工作簿检查",
    "sheet_missing": "缺少工作表「{sheet}」。请恢复该工作表（可用 yongji-xls system export 导出一份对照）",
    "column_missing": "缺少「{header}」列。请恢复该列的表头",
    "cell_empty": "未填写。请填写{header}",
    "row_missing": "缺少「{label}」一行。请在第一列添加「{label}」并在第二列填写",
    "not_a_number": "「{text}」不是数字。请填写数字",
    "not_arabic_number": "「{text}」不是数字。请填写阿拉伯数字，如75",
    "not_an_integer": "「{text}」不是整数。请填写整数",
    "not_yes_no": "「{text}」应为“是”或“否”。请从下拉列表选择",
    "not_integers": "「{text}」应为用“、”分隔的整数，如“1、2”。请改正",
    "not_a_choice": "「{text}」不是可选值。请填写{choices}之一",
    "rule_kind_not_listed": "规则类型「{text}」不存在。请填写{kinds}之一（含义见「{sheet}」表）",
    "op_invalid": "比较符「{text}」无效。请填写 >、>=、<、<= 之一",
    "ref_invalid": "参考值「{text}」应为数字（百分数），或national.名称（全国参考值）。请改正",
    "condition_without_operand": "条件既无“分子”也无“数据项”。请填写其一",
    "first_level_rows_apart": "一级指标「{name}」的各行不相邻。请把同一一级指标的二级指标排在一起",
    "first_level_twice": "一级指标「{name}」出现了两次。请只保留一行",
    "first_level_points_differ": "一级指标「{name}」的分值与上一行不同。请统一填写",
    "criterion_owner_unknown": "所属指标「{owner}」不在「{sheet}」表中。请填写三级指标的编号",
    "list_column_owner_unknown": "清单「{key}」不在「{sheet}」表中。请填写清单键",
    "default_region_unknown": "默认地区「{region}」不在「{sheet}」表中。请填写其中的地区",
    "obsolete_tasks_sheet": (
        "「{sheet}」表已不再属于指标体系：重点任务是本县工作方案的内容，请填在单位配置.xlsx的「{sheet}」表"
        "（用 yongji-xls init 生成），然后删除此表"
    ),
    # the office's unit configuration (workbook/write/office_config.py, 单位配置.xlsx)
    "config_not_found": "单位配置文件「{path}」不存在。请先用 yongji-xls init 生成，或核对路径",
    "config_is_system": (
        "{book}是指标体系工作簿，不是单位配置表。请用 --system 指定它；--config 应指定由 "
        "yongji-xls init 生成的单位配置.xlsx"
    ),
    "config_sheet_missing": "缺少工作表「{sheet}」。请恢复该工作表（可参照新生成的单位配置表）",
    "config_header_columns_missing": "第{row}行表头缺少「{headers}」列。请恢复这些列的表头（可参照新生成的单位配置表）",
    "config_header_not_found": "找不到表头行（应含「{headers}」）。请恢复表头",
    "config_not_yes_no": "「{header}」列应填“是”或“否”，现为「{text}」。请从下拉列表选择",
    "config_row_missing": "缺少「{label}」一行。请在“项目”列添加「{label}」并在“内容”列填写",
    "config_value_empty": "「{label}」未填写。请在B{row}单元格填写",
    "config_region_invalid": "地区类别「{value}」无效。请填写{regions}之一",
    "config_unit_name_empty": "「{header}」未填写。请填写单位的规范名称，或删除该行",
    "config_unit_no_invalid": "「{name}」的序号「{no}」不是正整数。请填写1、2、3……",
    "config_unit_no_duplicate": "序号{no}与第{row}行重复。请改为不重复的序号",
    "config_unit_duplicate": "单位「{name}」重复出现。请删除重复的行",
    "config_alias_taken": "别名「{alias}」已属于{owner}。请删去重复的别名，或把两行合并为一个单位",
    "config_no_units": "没有任何单位。请逐行填写本地各责任单位",
    "config_group_name_empty": "「{header}」未填写。请填写指标体系中使用的分组称谓，或删除该行",
    "config_group_members_invalid": "分组「{name}」的成员「{members}」无效。请填写“{member}”或“{town}”",
    "config_group_empty": (
        "分组「{name}」没有成员。请在工作表「{sheet}」的「{members}」列为相应单位填“是”（如本地各镇、街道）"
    ),
    "config_lead_unknown": "牵头单位「{lead}」不在工作表「{sheet}」中。请填写其中的单位名称",
    "config_lead_not_member": (
        "牵头单位「{lead}」不是分组「{name}」的成员。请为该单位在「{members}」列填“是”，或改填其成员"
    ),
    "config_group_name_taken": "分组称谓「{alias}」已是单位{unit}的名称或别名。请改用其他称谓",
    "config_tasks_sheet_missing": (
        "缺少工作表「{sheet}」（本县工作方案的主要任务）。请用 yongji-xls init 新建一份单位配置，把其中的「{sheet}」表"
        "复制到本文件后逐项填写；工作方案没有主要任务的，只保留表头即可"
    ),
    "config_task_no_invalid": "编号「{no}」不是1到99之间的整数。请填写该任务在工作方案中的序号，如1、2、3……",
    "config_task_no_duplicate": "编号{no}与第{row}行重复。请改为不重复的编号",
    "config_task_empty": "任务{no}的「{header}」未填写。请按工作方案填写，或删除该行",
    "config_task_unit_unknown": (
        "任务{no}的责任单位「{name}」既不是工作表「{sheet}」中的单位名称或别名，也不是「{groups}」表中的分组。"
        "请改为名录中的名称，或在「{sheet}」表中添加该单位（或把它作为别名）"
    ),
    "config_task_lead_twice": "任务{no}标了{count}个牵头单位（{names}）。每项任务只在一个单位后标“（牵头）”",
    "config_task_example_edited": (
        "这一行是示例行（编号为“{example}”），但内容已被修改。请把“编号”改为该任务的序号（如1），或删除该行"
    ),
}

LOCATIONS: dict[str, str] = {
    "sheet": "{book} 工作表「{sheet}」",
    "sheet_row": "{book} 工作表「{sheet}」第{row}行",
    "column_cell": "「{header}」列（{cell}）",
}
"""Where a workbook problem is: the prefix put before it (:func:`location`)."""


def location(code: str, /, **params: object) -> str:
    """A workbook location from :data:`LOCATIONS` (plain text, put in front of a problem)."""
    return LOCATIONS[code].format(**params)


class Problem(CodedText):
    """A spec problem: the sentence, its ``code`` in :data:`SPEC_PROBLEMS` and its ``params``."""

    catalogue = SPEC_PROBLEMS


def problem(code: str, /, **params: object) -> Problem:
    """Build a problem from the catalogue; an unknown code or a missing parameter is a KeyError."""
    return Problem.make(code, **params)
