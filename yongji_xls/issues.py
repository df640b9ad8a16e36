"""The message catalogue and the Issue/Report objects.

Every problem found anywhere (spec values, files, cells, merge, scoring) becomes an
:class:`Issue` built from one catalogue entry, so the CLI summary, the issue sheet, the unit
feedback files, ``scores.json`` and the tests all see the same code and the same Chinese text.
Each template says what is wrong and how to fix it; the location prefix is added uniformly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class _Word(str, Enum):
    """A word of the vocabulary, defined once: the value the code stores and compares, its
    English ``code`` (what scores.json carries), its Chinese ``label`` and the fill ``colour`` of
    workbooks. A member is a ``str`` (its value), so it compares, formats and serialises as one."""

    code: str
    label: str
    colour: str

    def __new__(cls, value: str, code: str, label: str, colour: str) -> _Word:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.code, obj.label, obj.colour = code, label, colour
        return obj

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Status(_Word):
    """An indicator's or criterion's scoring status; stored as its English code (scores.json)."""

    MET = ("met", "met", "达标", "#C6EFCE")
    PARTIAL = ("partial", "partial", "部分达标", "#FFEB9C")
    NOT_MET = ("not_met", "not_met", "未达标", "#FFC7CE")
    MISSING = ("missing", "missing", "数据缺失", "#F8CBAD")
    NO_EVIDENCE = ("no_evidence", "no_evidence", "缺少佐证", "#F8CBAD")
    REVIEW = ("review", "review", "待核定", "#BDD7EE")
    OVERRIDDEN = ("overridden", "overridden", "已核定", "#D9D2E9")


class UnitState(_Word):
    """Whether a unit's workbook came back usable; stored as its Chinese label (the sheets show it)."""

    SUBMITTED = ("已报送", "submitted", "已报送", "#C6EFCE")
    RESUBMIT = ("需重报", "resubmit", "需重报", "#FFEB9C")
    NOT_SUBMITTED = ("未报送", "not_submitted", "未报送", "#FFC7CE")
    UNFILLED = ("未填写", "unfilled", "未填写", "#F8CBAD")  # the template came back with nothing typed
    INVALID = ("无效", "invalid", "无效", "#FFC7CE")


class TaskStatus(_Word):
    """A main task's progress as a unit reported it (the first three are the template's choices),
    or, in the breakdown, that the unit did not report it or left the status empty."""

    NOT_STARTED = ("未启动", "not_started", "未启动", "#F8CBAD")
    IN_PROGRESS = ("推进中", "in_progress", "推进中", "#FFEB9C")
    DONE = ("已完成", "done", "已完成", "#C6EFCE")
    NOT_REPORTED = ("未报送", "not_reported", "未报送", "#FFC7CE")
    NO_STATUS = ("未填状态", "no_status", "未填状态", "#D9D9D9")


TASK_CHOICES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)


class Trend(_Word):
    """How a score moved from last year to this year (``run --previous``); stored as its English
    code (scores.json), shown as 「较上年提高」/「降低」/「持平」."""

    UP = ("up", "up", "提高", "#C6EFCE")
    DOWN = ("down", "down", "降低", "#FFC7CE")
    SAME = ("same", "same", "持平", "#F2F2F2")


class Severity(_Word):
    """How serious an Issue is; stored as its English code."""

    ERROR = ("error", "error", "错误", "#FFC7CE")
    WARNING = ("warning", "warning", "警告", "#FFEB9C")
    INFO = ("info", "info", "提示", "#DDEBF7")


def labels(words: type[_Word]) -> dict[str, str]:
    """value -> Chinese label, for code that maps stored values to what people read."""
    return {w.value: w.label for w in words}


def colours(words: type[_Word]) -> dict[str, str]:
    """Chinese label -> fill colour, for colouring cells by what they show."""
    return {w.label: w.colour for w in words}


def code_of(words: type[_Word], value: str) -> str:
    """The English code of a stored value ('' for a value outside the vocabulary)."""
    try:
        return words(value).code
    except ValueError:
        return ""


ERROR, WARNING, INFO = Severity.ERROR.value, Severity.WARNING.value, Severity.INFO.value
SEVERITY_TEXT = labels(Severity)

# code: (severity, template). Templates use str.format fields given to `issue()`.
CATALOGUE: dict[str, tuple[str, str]] = {
    # values (score --values and cells)
    "value_not_number": (ERROR, "「{value}」不是数字。请只填写阿拉伯数字（可带小数点），不要填写文字或单位"),
    "value_ambiguous": (ERROR, "「{value}」是估计值或含文字，无法确定数额。请填写确切数字"),
    "value_negative": (ERROR, "「{value}」为负数。请填写不小于0的数"),
    "value_not_integer": (ERROR, "「{value}」不是整数。{label}是计数，请填写不小于0的整数"),
    "value_not_integer_slip": (
        ERROR,
        "「{value}」{slip}？本表单位为{measure}，如按{slip}填写应为{corrected}。{label}是计数，请换算后填写整数",
    ),
    "value_implausible": (
        ERROR,
        "「{value}」的数量级明显不合理，超出{label}可能的范围，未读取。请核对数量级和计量单位后填写确切数字",
    ),
    "value_out_of_range": (ERROR, "「{value}」超出范围。请填写0到100之间的分值"),
    "value_percent_scaled": (WARNING, "「{value}」按百分比读取为{scaled}分。如有误请直接填写百分制分值（如96.5）"),
    "value_percent_sign": (WARNING, "「{value}」带有百分号，已按数值{scaled}读取。如有误请填写不带百分号的数字"),
    "value_invisible_chars": (
        WARNING,
        "「{value}」含不可见字符（零宽字符、BOM或不间断空格，多见于从网页或微信复制的数字），已删除后按数字{scaled}读取。请删除该单元格内容后重新输入数字",
    ),
    "value_percent_format": (
        WARNING,
        "单元格设为百分比格式，显示为「{value}」，实际数值为{scaled}，已按{scaled}{measure}读取。{label}不是百分比：如应为其他数值，请把单元格格式改为“常规”后重新填写",
    ),
    "value_text_number": (WARNING, "「{value}」以文本形式保存，已按数字{scaled}读取。建议将单元格设为数值格式"),
    "value_error_cell": (ERROR, "单元格为Excel错误值「{value}」。请改正公式或直接填写数字"),
    "value_formula_no_cache": (
        ERROR,
        "单元格含公式但没有保存计算结果。请在Excel或WPS中打开并保存后重新报送，或直接填写数字",
    ),
    "value_formula": (WARNING, "填报单元格含公式，已读取其计算结果{value}。建议直接填写数字"),
    "value_bad_choice": (ERROR, "「{value}」不是可选值。请从下拉列表中选择：{choices}"),
    "value_bad_date": (ERROR, "「{value}」不是有效日期。请按“2024-06-15”格式填写"),
    "value_bad_year": (ERROR, "「{value}」不是有效年度。请填写四位年份，如2024"),
    "value_bad_type": (
        ERROR,
        "键「{key}」的值类型不正确：{detail}。请参照使用说明（README）中 score --values 的数据格式改正",
    ),
    "value_not_finite": (ERROR, "「{value}」不是有限的数字（NaN或无穷大）。请填写实际数值"),
    "value_year_unused": (WARNING, "键「{key}」的年份不在本次计分所需年度（{years}年）内，该值不参与计分。请核对年份"),
    "value_unknown_key": (WARNING, "键「{key}」不属于本指标体系，已忽略。请核对键名"),
    "value_bad_done": (ERROR, "「{value}」无法识别为是/否。请从下拉列表选择“是”或“否”"),
    "value_bad_status": (ERROR, "「{value}」不是可选的进展状态。请选择：未启动、推进中、已完成"),
    # figures against each other (values/relations.py)
    "value_part_exceeds": (
        ERROR,
        "{label}{value}{measure}大于其所属的{whole}{whole_value}{measure}{whole_cell}，部分不能超过总量。{slip}"
        "两项数据在相关指标中均未用于计分。请核对后改正",
    ),
    "value_list_exceeds": (
        ERROR,
        "「{value}」大于{whole}{whole_value}{measure}{whole_cell}，一家企业的数额不能超过全县总量，该行不计分。{slip}"
        "请核对后改正",
    ),
    "value_whole_below": (
        ERROR,
        "{label}{value}{measure}小于其中的{part}{part_value}{measure}{part_cell}，总量不能小于其中的部分。{slip}"
        "两项数据在相关指标中均未用于计分。请核对后改正",
    ),
    "value_part_tiny": (
        WARNING,
        "「{value}」{slip}？本表单位为{measure}，如按{slip}填写应为{corrected}。{label}{value}{measure}不到{whole}"
        "{whole_value}{measure}{whole_cell}的{fraction}，数量级明显偏小，暂未用于计分。请核对计量单位后改正",
    ),
    "value_jump": (
        WARNING,
        "{label}{value}是{other}{other_value}{other_cell}的{ratio}，变化异常。{slip}如数据无误可不改，否则请改正",
    ),
    # list rows
    "list_row_incomplete": (WARNING, "清单行缺少必填项「{column}」，该行不计分。请补充完整"),
    "code_as_number": (
        WARNING,
        "{column}「{value}」被保存为数字，Excel只保留15位有效数字，代码已丢失部分位数，本行按企业名称识别。请先把单元格设为“文本”格式，再重新输入完整的18位代码",
    ),
    "list_name_two_codes": (
        WARNING,
        "{name}在清单中出现了两个不同的统一社会信用代码（{codes}），按两家企业计数。请核实代码",
    ),
    "list_duplicate": (INFO, "清单行与{other}重复，已合并为一条"),
    # criteria
    "evidence_missing": (WARNING, "{key}填“是”但未列出佐证材料，该项不得分。请在“佐证材料”栏逐行列出材料名称"),
    "evidence_placeholder": (
        WARNING,
        "{key}的佐证材料「{value}」没有写出材料名称（只写“无”“同上”“见附件”或编号等不算），不算佐证，该项不得分。请逐行列出实际材料名称（如《xx工作方案》），没有材料请如实选择“否”",
    ),
    "note_placeholder": (WARNING, "{key}的工作情况说明「{value}」不是说明，该项不得分。请简要写明做了哪些工作"),
    "done_missing": (WARNING, "{key}已填写工作情况说明或佐证材料，但“是否完成”为空，该项不得分。请选择“是”或“否”"),
    "note_missing": (WARNING, "{key}填“是”但未填写工作情况说明，该项不得分。请简要说明完成情况"),
    # files
    "pool_fallback": (INFO, "并行读取未能完成（{detail}），其余文件已改为逐个读取，结果不受影响"),
    "file_empty": (ERROR, "文件为空（0字节）。请重新导出并报送"),
    "file_corrupt": (ERROR, "文件已损坏或不完整，无法打开（{detail}）。请在Excel或WPS中重新保存后报送"),
    "file_not_workbook": (ERROR, "文件扩展名为{ext}，但内容不是Excel工作簿（{detail}）。请报送由模板填写的.xlsx文件"),
    "file_et": (ERROR, "WPS原生格式（.et）无法读取。请在WPS中另存为.xlsx后重新报送"),
    "file_encrypted": (
        ERROR,
        "文件设有打开密码，无法读取。请取消密码后另存为.xlsx重新报送（Excel：文件→信息→保护工作簿；WPS：文件→文档加密）",
    ),
    "file_zip_bomb": (ERROR, "文件结构异常（{detail}），为安全起见未打开。请在Excel或WPS中另存为新文件后报送"),
    "file_xml_entity": (ERROR, "文件含有XML实体声明（DTD），为安全起见未打开。请在Excel或WPS中另存为新文件后报送"),
    "cells_far_cut": (
        WARNING,
        "工作表「{sheet}」中有{count}个有内容的单元格远在填报区域之外（{cells}），未读取，文件其余内容照常读取。如需报送请填入对应行；否则请删除这些单元格的内容后重新保存",
    ),
    "file_huge_range": (ERROR, "使用范围过大（{detail}），为安全起见未读取。请删除远处单元格中的内容后重新保存"),
    "file_default_password": (
        INFO,
        "文件使用Excel默认密码加密（打开时不提示密码），已解密读取。建议另存为未加密的.xlsx后报送",
    ),
    "file_macros": (INFO, "文件含宏（.xlsm），宏未被执行，已忽略"),
    "file_read_failed": (ERROR, "读取文件时出错（{detail}）。请在Excel或WPS中打开并另存为.xlsx后重新报送"),
    "file_unsupported": (INFO, "非表格文件（{ext}），已跳过"),
    "file_unreadable_format": (
        ERROR,
        "本工具无法读取这个{what}的内部格式（文件不一定有误，Excel或WPS可能可以打开）。请在Excel或WPS中打开并另存为.xlsx后重新报送",
    ),
    "sheet_unreadable": (
        ERROR,
        "这个工作表的内容无法读取，文件其余部分已照常读取。请在Excel或WPS中打开并另存为.xlsx后重新报送",
    ),
    "file_old_format": (
        ERROR,
        "文件是{what}，本工具无法读取这种旧格式。请在Excel或WPS中打开并另存为.xlsx（Excel工作簿）后重新报送",
    ),
    "file_xlsb": (
        INFO,
        "文件为Excel二进制工作簿（.xlsb），已读取；其中的公式和错误值无法逐格检查。建议今后另存为.xlsx后报送",
    ),
    "zip_nested_deep": (
        WARNING,
        "压缩包「{member}」套在两层以上的压缩包里，未读取。请解压后把其中的表格文件直接放入输入文件夹",
    ),
    "file_archive": (
        WARNING,
        "{ext}压缩包无法直接读取，未读取其中的文件。请解压后把其中的表格文件放入输入文件夹（.zip压缩包可直接读取）",
    ),
    "file_csv": (
        WARNING,
        "CSV文件不是填报模板，未读取（CSV不保存模板中隐藏的单位信息和字段键）。请使用下发的.xlsx模板填写后报送",
    ),
    "file_csv_unit": (
        ERROR,
        "文件是.csv格式，.csv不能保留模板结构（隐藏的单位信息和字段键），未读取。请在模板中填写并保存为.xlsx后重新报送",
    ),
    "file_own_output": (INFO, "这是本工具生成的文件（{detail}），不是单位报送的材料，已跳过"),
    "file_legacy_format": (INFO, "文件为{ext}格式，已读取。建议今后使用.xlsx格式报送"),
    "file_too_large": (
        ERROR,
        "文件过大（{detail}），为安全起见未打开。请删除多余的图片或工作表，在Excel或WPS中另存为.xlsx后重新报送",
    ),
    "file_ext_mismatch": (
        INFO,
        "文件扩展名为{ext}，但实际是{detail}，已按实际格式检查。建议在Excel或WPS中另存为.xlsx后报送",
    ),
    # workbook contract
    "meta_missing": (
        ERROR,
        "找不到模板中隐藏的单位信息，无法识别填报单位。请使用领导小组办公室下发的模板填写，不要复制到新工作簿",
    ),
    "meta_bad": (ERROR, "模板中隐藏的单位信息（{field}）缺失或被修改（「{value}」）。请使用下发的原始模板重新填写"),
    "meta_unknown_unit": (ERROR, "模板中的单位「{value}」不在单位名录中。请使用本单位的模板"),
    "meta_wrong_year": (ERROR, "模板年度为{value}年，本次评估年度为{year}年。请使用{year}年度模板重新填写"),
    "meta_wrong_version": (
        WARNING,
        "模板的指标体系版本为「{value}」，与当前版本「{expected}」不同，已尽量读取。建议使用新模板",
    ),
    "keycol_missing": (ERROR, "工作表「{sheet}」缺少“字段键”列，无法按键读取。请使用原始模板，不要删除隐藏列"),
    "key_unknown": (WARNING, "“字段键”列中的「{value}」无法识别（可能被改写），该行未读取"),
    "key_not_asked": (WARNING, "字段「{key}」不属于本单位的填报内容，已忽略"),
    "task_not_in_plan": (
        WARNING,
        "重点任务「{title}」已不在本县现行工作方案中（模板生成后工作方案作了修改）{typed}。"
        "如该任务仍需报送进展，请与领导小组办公室核对后按新模板填写",
    ),
    "task_changed_in_plan": (
        WARNING,
        "重点任务“{column}”与本县现行工作方案不同（模板生成后工作方案作了修改）：本文件中为「{value}」，"
        "现行方案为「{expected}」。本行进展仍计入现行方案的任务{no}，请核对是否为同一项任务",
    ),
    "key_duplicate": (
        INFO,
        "字段「{key}」在本文件中出现多次（可能复制了行或工作表），已采用填写了内容的{kept}。请删除重复的行",
    ),
    "key_conflict": (
        ERROR,
        "字段「{key}」在本文件中出现两次且内容不同：本单元格为「{value}」，{kept}为「{other}」，两者均未采用。请删除重复的行，只保留正确的一行",
    ),
    "keys_missing": (
        WARNING,
        "模板中的{count}项内容在报送文件中找不到：{items}。可能删除了行或工作表，请使用原始模板补填",
    ),
    "label_changed": (
        WARNING,
        "“{column}”栏原为「{expected}」，被改为「{value}」。该栏不是填报区域，改动未被读取，本行仍按原模板读取。请恢复原文；如计量单位或年度不同，请换算后填入填报值",
    ),
    "cells_merged": (
        WARNING,
        "{range}被合并（“{column}”栏），合并后只保留左上角单元格的内容，其余行视为未填写。请取消合并，逐行分别填写",
    ),
    "cells_ignored_block": (
        WARNING,
        "{range}区域有{count}个单元格不在填报区域，未读取（首个单元格内容「{value}」）。如需报送请填入对应行，无关内容请删除",
    ),
    "column_missing": (
        ERROR,
        "工作表「{sheet}」缺少“{column}”列，该列内容无法读取。请使用原始模板，不要删除或改写表头",
    ),
    "cell_ignored": (WARNING, "单元格在填报区域之外，内容「{value}」未被读取。如需报送请填入对应行"),
    "text_control_chars": (
        INFO,
        "{count}个单元格（如{first}）含有不可见的控制字符（如Word中的手动换行符），已删除或换成换行后读取。如内容有误请改正",
    ),
    "text_too_long": (
        WARNING,
        "单元格内容有{length}个字符，超过Excel单元格上限32767个字符，只读取了前32767个字符。请精简内容，详细材料另附",
    ),
    "issues_capped": (
        WARNING,
        "本文件问题较多，只列出了前{limit}条，另有{count}条（其中错误{errors}条）未逐条列出。请先改正已列出的问题，重新报送后再检查",
    ),
    "sheet_ignored": (WARNING, "工作表「{sheet}」不是模板的一部分，其中的内容未被读取"),
    # merge
    "duplicate_submission": (
        WARNING,
        "{unit}报送了{count}个文件（{files}），已采用「{winner}」，依据：{rule}；本文件未使用。如应采用其他文件，请把不用的文件移出输入文件夹后重新运行",
    ),
    "filled_date_bad": (
        WARNING,
        "填报日期「{value}」无法识别，未用于判断哪个文件较新。请按“2025-01-20”或“2025年1月20日”格式填写",
    ),
    "file_name_other_unit": (
        ERROR,
        "文件名写的是{named}，但模板中的单位信息属于「{meta_unit}」，疑似误用了其他单位的模板。本文件按「{meta_unit}」读取，"
        "但不优先于「{meta_unit}」文件名与模板一致的文件，{named}按需重报统计。请用本单位模板重新填报",
    ),
    "duplicate_same_content": (INFO, "与「{winner}」内容相同（重复报送），已忽略"),
    "conflict": (
        WARNING,
        "{label}：{owner}填报{owner_value}（{owner_cell}），{other}填报{other_value}。以{owner}数据为准，请两单位核实",
    ),
    "value_from_cross_check": (
        INFO,
        "{label}：主责单位{unit}未填报，计分采用{source_unit}填报的数值。请{unit}核实并在下次报送时填写",
    ),
    "value_from_cross_check_refused": (
        INFO,
        "{label}：主责单位{unit}填报的{refused}，未采用，计分采用{source_unit}填报的数值。请{unit}改正后重新报送",
    ),
    "unit_not_submitted": (WARNING, "{unit}未报送，影响分值{points}分（{items}）。请督促报送"),
    "file_unfilled": (
        WARNING,
        "模板没有填写任何内容，按“未填写”统计。请填写后重新报送",
    ),
    "value_blank_needed": (
        WARNING,
        "{label}未填写，计分需要这项数据（{items}），该项暂按数据缺失计0分。请填写",
    ),
    "contact_missing": (INFO, "单位信息（填报人、联系电话）未填写。请补充以便联系"),
    # references
    "reference_unknown_name": (
        WARNING,
        "{where}「{key}」：本指标体系不使用名为「{name}」的全国参考值，该项未参与计分。请核对名称（可用：{known}）",
    ),
    "reference_year_unused": (
        WARNING,
        "{where}「{key}」：{year}年不在本次评估年度（{years}年）内，该值不参与计分。请核对年份",
    ),
    "reference_fraction": (
        WARNING,
        "{where}「{key}」的值「{value}」像是小数形式的比率。全国参考值按百分数填写（如为{percent}%请填写{percent}），请核对",
    ),
    "reference_missing": (
        WARNING,
        "缺少全国参考值{reference}，{key}暂记0分（待核定）。取得该数据后，请在自评工具中补充这项全国参考值并重新计分",
    ),
    # review
    "review_bad": (ERROR, "核定得分「{value}」无效。请填写0到{max}之间的数"),
    "review_unreadable": (ERROR, "无法读取核定文件（{detail}）。请使用本工具生成的任务分解表"),
    "review_text_unknown": (
        WARNING,
        "这一行填写了办公室文字，但看不出替换报告的哪一部分，未采用。请不要修改“章节”列，把文字填在对应章节的行中",
    ),
    # rollup (city bureau)
    "rollup_unreadable": (
        ERROR,
        "无法读取（{detail}），未纳入汇总。请该县用自评工具重新计分后，提供其评分结果或任务分解表",
    ),
    "rollup_not_result": (INFO, "不是自评工具计分后写出的评分结果，已跳过"),
    "rollup_folder_unused": (
        WARNING,
        "文件夹中没有自评工具计分后写出的评分结果或任务分解表，该文件夹未纳入汇总。请该县提供其中之一",
    ),
    "rollup_no_county": (
        WARNING,
        "未记录县（市、区）名称，按所在文件夹名「{county}」汇总。如有误，请该县用最新版本的自评工具重新计分",
    ),
    "rollup_other_system": (
        WARNING,
        "{county}按指标体系「{version}」版、{year}年度评分，与本次汇总的「{main_version}」版、{main_year}年度不同，未纳入汇总矩阵（另列于“未纳入汇总”表）。请该县按同一指标体系和年度重新评分",
    ),
    "rollup_duplicate": (WARNING, "{county}有多份评分结果，已采用「{used}」（较新），其余已忽略。如有误，请只保留一份"),
    "rollup_version_unknown": (
        WARNING,
        "任务分解表未记录指标体系版本，按{year}年度、「{main_version}」版纳入汇总。建议改为提供该县的 scores.json",
    ),
    # uploads through the web page (serve)
    "upload_zip_empty": (WARNING, "压缩包中没有工作簿（.xlsx、.xls、.ods），未保存任何文件。请检查压缩包内容"),
    "upload_other_unit": (ERROR, "这是{found}的填报表，不是{unit}的，未保存。请使用本单位的模板填写后重新上传"),
    # outputs
    "output_failed": (
        ERROR,
        "{output}未能生成（{detail}），其余成果已照常写出。请重新运行；如仍出错，请将此信息反馈给技术支持",
    ),
    "output_template_bad": (
        ERROR,
        "{output}未能生成：报告措辞模板有误（{detail}），其余成果已照常写出。请检查 templates 文件夹中的 .j2 "
        "文件后重新运行",
    ),
    "font_missing": (
        WARNING,
        "未找到中文字体，{detail}中的图表已改用英文标注（L1–L5依次对应各一级指标）。请安装中文字体（如黑体、"
        "微软雅黑、Noto Sans CJK SC）后重新生成",
    ),
}


# Why an owner's figure was not accepted, said where another unit's figure or nothing was used
# instead (「主责单位市人社局填报的「约8600」不是确定的数字，未采用」): error code -> phrase; two are
# the run's own, no catalogue code: ``withheld`` (against related figures) and ``file_unusable``
# (the unit's only files could not be read).
REFUSALS: dict[str, str] = {
    "value_not_number": "不是数字",
    "value_ambiguous": "不是确定的数字",
    "value_negative": "是负数",
    "value_not_integer": "不是整数",
    "value_not_integer_slip": "不是整数，疑似计量单位有误",
    "value_implausible": "数量级明显不合理",
    "value_out_of_range": "超出0到100的范围",
    "value_error_cell": "是Excel错误值",
    "value_formula_no_cache": "是没有保存计算结果的公式",
    "value_not_finite": "不是有限的数字",
    "key_conflict": "与本文件另一处填写的不一致",
    "value_part_exceeds": "大于其所属的总量",
    "value_whole_below": "小于其中的部分",
    "value_part_tiny": "数量级明显偏小",
    "withheld": "与相关数据矛盾",
    "file_unusable": "文件无法读取",
}
REFUSED_OTHER = "有误"
"""The phrase of an error code not listed in :data:`REFUSALS`."""


def refusal(code: str, value: object = "") -> str:
    """「「约8600」不是确定的数字」: what was typed, quoted as typed, and why it was refused."""
    shown = _show(value)
    why = REFUSALS.get(code, REFUSED_OTHER)
    return f"「{shown}」{why}" if shown else why


# Fatal errors: code -> template. Nothing is written; the front-end shows the sentence and stops.
FATAL: dict[str, str] = {
    # a data file the office supplies, refused: the code names the input, the problems (or the
    # detail) are the located sentences of the checker that read it (file, sheet, row or path, fix)
    "system_invalid": "指标体系数据有误：\n{problems}",
    "config_invalid": "单位配置有误：\n{problems}",
    "references_invalid": "参考值文件有误：\n{problems}",
    "values_invalid": "{detail}",
    "prefill_invalid": "{detail}",
    "input_dir_missing": "输入文件夹「{path}」不存在或不是文件夹",
    "output_inside_input": (
        "输出文件夹「{out}」是输入文件夹「{input}」本身或在其中。为避免改动报送文件，请另选一个不在输入文件夹内的输出文件夹"
    ),
    "output_not_dir": "输出路径「{path}」已存在且不是文件夹，请另选一个文件夹",
    "folder_missing": "文件夹「{path}」不存在或不是文件夹",
    "samples_missing": "{detail}",
    "review_missing": "核定文件「{path}」不存在",
    "previous_missing": "上年结果「{path}」不存在。请指定上一年度运行输出的文件夹，或其中的scores.json",
    "previous_unreadable": (
        "上年结果「{path}」无法读取（{detail}）。请指定上一年度运行输出的scores.json，不要修改该文件"
    ),
    "previous_not_scores": (
        "「{path}」不是本工具输出的scores.json（缺少年度、总分或各项指标得分）。请指定上一年度运行输出的scores.json"
    ),
    "previous_not_earlier": ("上年结果「{path}」是{previous}年度的，不早于本次评估年度{year}年。请指定更早年度的结果"),
    "previous_other_county": "上年结果「{path}」属于{previous}，不是{county}。请指定本县（市、区）上一年度的结果",
    "other_system": (
        "报送文件的模板是按其他版本的指标体系生成的（{found}），当前指标体系「{title}」为版本「{version}」，未汇总。"
        "请用 --system 指定生成这些模板时使用的指标体系，或用当前指标体系重新生成模板（yongji-xls templates）"
        "后请各单位重新填报"
    ),
    "fonts_invalid": "字体方案「{fonts}」无效，应为：{choices}",
    "date_invalid": "成文日期「{date}」无法识别。请写成2025-01-28或2025年1月28日",
    "output_locked": "无法写入「{path}」：文件可能正在Excel或WPS中打开。请关闭后重新运行（上次的输出未被改动）",
    "output_locked_rollup": "无法写入「{path}」：文件可能正在Excel、WPS或Word中打开。请关闭后重新运行",
    "output_dir_unwritable": "无法写入输出文件夹「{path}」：{reason}。请检查磁盘空间和权限",
    "write_failed": "无法写入「{path}」：{reason}",
    "write_failed_open": "无法写入「{path}」：{reason}。如该文件正在Excel或WPS中打开，请关闭后重试",
    "review_unwritable": "无法写入核定文件「{path}」：{reason}。请关闭正在打开它的Excel或WPS后重试",
    "unit_unknown": "单位「{name}」不在单位名录中，请核对名称（可用 yongji-xls spec 查看各指标的责任单位）",
    "deadline_invalid": "截止日期「{deadline}」无效，请按2025-03-31格式填写",
    "units_nothing_to_fill": "以下单位没有需要填报的内容，未生成模板：{units}",
    "city_missing": "请用 --city 指定县（市、区）名称，如：--city 临猗县",
    "config_exists": "「{path}」已存在，未覆盖。请直接编辑该文件，或换一个文件夹",
    "region_invalid": "地区类别「{region}」无效。请填写{choices}之一",
    "region_unknown": "地区「{region}」无效，应为：{choices}",
    "rollup_nothing": "「{path}」中没有可汇总的评分结果（各县 yongji-xls run 输出的 scores.json 或任务分解表）。"
    "{detail}",
    "bundle_missing": "文件夹「{path}」不存在，没有可打包的文件",
    "port_unavailable": (
        "无法在端口{port}上启动网页（{reason}）。请关闭占用该端口的程序，或换一个端口启动（例如 --port 8766）"
    ),
    "address_unavailable": (
        "无法在地址「{host}」上启动网页（{reason}）。请去掉 --host 使用本机的局域网地址，或填写本机网卡的地址"
    ),
}


BAD_INPUT: frozenset[str] = frozenset(
    {
        "system_invalid",
        "config_invalid",
        "references_invalid",
        "values_invalid",
        "prefill_invalid",
        "input_dir_missing",
        "output_inside_input",
        "output_not_dir",
        "folder_missing",
        "review_missing",
        "fonts_invalid",
        "unit_unknown",
        "deadline_invalid",
        "city_missing",
        "region_invalid",
        "region_unknown",
    }
)
"""Fatal codes that refuse what the user gave (a broken data file, a bad argument): the command
line exits 2 for these on every command (DESIGN.md §5), 1 for the rest."""


class YongjiError(Exception):
    """A fatal problem (nothing can be written): ``code`` from :data:`FATAL` and the parameters
    of its template; ``message`` is the Chinese sentence to show the user.

    Front-ends show ``str(error)`` and nothing else; the cause stays chained for developers."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in FATAL:
            raise KeyError(f"unknown fatal error code {code!r}")
        self.code, self.params = code, params
        self.message = FATAL[code].format(**params)
        super().__init__(self.message)


class ProblemsError(YongjiError, ValueError):
    """A data file an office edits is wrong (the indicator system, the office configuration, the
    reference file): fatal, with every problem found listed at once, each a sentence that names
    where and how to fix it. Subclasses name their code of :data:`FATAL` (``fatal_code``), whose
    template titles the list; ``problems`` keeps the located sentences (each may carry ``.code``)."""

    fatal_code = ""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__(self.fatal_code, problems="\n".join(f"  - {p}" for p in self.problems))


@dataclass(frozen=True)
class Issue:
    """One finding, located as the user sees it (file name, sheet name, A1 cell)."""

    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    key: str = ""
    value: str = ""
    unit: str = ""
    detail: str = ""  # a library's own (English) text, kept for developers in scores.json, never in the sentence

    @property
    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件「{self.file}」")
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格{self.cell}")
        return "".join(parts)

    @property
    def text(self) -> str:
        """The full Chinese sentence: where, what, how to fix."""
        return f"{self.location}：{self.message}" if self.location else self.message

    def as_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["text"] = self.text
        return d


def issue(
    code: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    key: str = "",
    value: object = "",
    unit: str = "",
    library: object = "",
    **params: object,
) -> Issue:
    """Build an Issue from the catalogue; unknown codes are a programming error. ``library``: what
    a library or the system said (an exception), kept as the issue's ``detail``, never shown in
    the Chinese sentence."""
    severity, template = CATALOGUE[code]
    shown = _show(value)
    fields = {"file": file, "sheet": sheet, "cell": cell, "key": key, "value": shown, "unit": unit, **params}
    return Issue(code, severity, template.format(**fields), file, sheet, cell, key, shown, unit, _library(library))


def _library(said: object) -> str:
    if isinstance(said, BaseException):
        text = f"{type(said).__name__}: {said}"
    else:
        text = str(said or "")
    return text[:300]


_OS_REASONS = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有访问权限，或文件正在被其他程序使用",
    "EPERM": "没有访问权限，或文件正在被其他程序使用",
    "ENOSPC": "磁盘空间不足",
    "EROFS": "磁盘为只读",
    "EISDIR": "这是一个文件夹",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EEXIST": "已存在同名文件",
    "ENAMETOOLONG": "路径过长",
    "EBUSY": "文件正在被其他程序使用",
    "EMFILE": "打开的文件过多",
    "EINVAL": "路径或名称无效",
}


def os_reason(error: BaseException) -> str:
    """Why the system refused a file operation, in Chinese (the system's own words are English on
    most machines and are never shown in a sentence)."""
    import errno

    name = errno.errorcode.get(getattr(error, "errno", None) or -1, "")
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    number = getattr(error, "errno", None)
    return f"系统错误（代码{number}）" if number else "系统错误"


def _show(value: object) -> str:
    """A cell's value as the unit typed it: a whole number read as a float (readers give
    ``-1.0`` for a typed -1) is quoted without its 「.0」."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass
class Report:
    """An ordered collection of issues, the single channel for every finding."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, item: Issue) -> Issue:
        self.issues.append(item)
        return item

    def extend(self, items: Iterable[Issue]) -> None:
        self.issues.extend(items)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    def flatten(self, fields: Iterable[str] = ("code", "severity", "file", "sheet", "cell", "key")) -> list[list[Any]]:
        """Each issue as the list of its ``fields`` (as frictionless' ``report.flatten``), in order:
        ``report.flatten(["code", "cell"])`` keeps a test's assertion on what was found short."""
        names = list(fields)
        return [[getattr(i, name) for name in names] for i in self.issues]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]
