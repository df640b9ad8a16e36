"""The indicator system as an Excel workbook an office can read and edit (``system export``,
``--system 指标体系.xlsx``).

SAMR revises the system (January 2026: fewer levels, every first-level rate ≥ 80 %) and its
full table reaches counties as a document, not as YAML; an office encodes it by editing this
workbook. Each part of the system is one sheet with named columns; reading turns it back into
the raw spec (the shape of the YAML files), so ``build_spec`` validates it exactly as it does
the shipped folder. Every problem names workbook, sheet, row, column and the fix, all at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ...system.checks import level_key
from ...system.keys import national_ref_name
from ...system.load import SpecError, shipped_units
from ...system.problems import Problem, location, problem
from ...system.rule_kinds import RULE_KINDS
from ..cells import cell_text

S_HELP, S_INFO, S_PASS, S_LEVELS, S_INDICATORS = "填写说明", "体系信息", "合格标准", "一级二级指标", "三级指标"
S_LEVELS_2, S_INDICATORS_2 = "一级指标", "二级指标"  # a two-level system's group and indicator sheets
S_CRITERIA, S_CONDITIONS, S_FIELDS, S_LISTS, S_LIST_COLUMNS = "评分要点", "计分条件", "数据项", "清单", "清单列"
S_REGIONS, S_NATIONAL, S_LABELS = "地区阈值", "全国参考值", "参考值名称"
S_TASKS = "重点任务"  # no longer part of the system (the county's plan is in 单位配置.xlsx): refused when found
S_BOUNDS, S_PLACEHOLDERS, S_SLIPS = "数值上限", "非材料用语", "计量单位误填"
S_PATTERNS = "非材料模式"
PASS_TOTAL, PASS_RATE = "总分不低于（分）", "每个一级指标得分率不低于（%）"

AGGREGATE = {"各项得分相加": "sum", "符合一项即得满分": "any"}
CRITERION_KIND = {"佐证材料": "evidence", "数据计算": "computed", "清单计分": "list"}
FIELD_KIND = {"计数": "count", "数额": "amount", "分值": "score"}
FILLED_BY = {"填报单位及核对单位": "owner_and_cross_check", "指标责任单位": "responsible"}
CONDITION_FORM = {"乘积": "product"}  # 分子 与 参考值%×分母 比较（分母为0也可计算）；空白为比值（分子÷分母）
IDENTITY_MODE = {"各列合起来": "combined"}  # 空白：依次按各列（前一列为空时用后一列）
COLUMN_TYPE = {"文本": "text", "年度": "year", "数额": "amount", "日期": "date", "代码": "code"}
OPS = {">": ">", ">=": ">=", "≥": ">=", "<": "<", "<=": "<=", "≤": "<=", "=": "==", "==": "=="}
RULE_KIND_TEXT = {
    "growth_vs_national": "近N年本地增速超过全国增速，每超过1年得“每年得分”",
    "growth_vs_growth": "近N年“数据项”增速超过“对比数据项”增速，每超过1年得“每年得分”",
    "share_vs_national": "近N年“分子/分母”占比超过全国占比，每超过1年得“每年得分”",
    "ratio_band": "“分子/分母”在区间下限至上限（%）得“下限得分”，达到上限得“上限得分”",
    "list_threshold_count": "清单中达到地区阈值的行数，达到“计分阶梯”中每一级各得1分",
    "conditions": "评分要点：满足「计分条件」表中本要点的全部条件即得分",
    "list_any": "评分要点：清单“清单列”的值属于“计数取值”之一的行存在即得分",
    "list_count": "评分要点：清单“清单列”的值属于“计数取值”的每一行得“每行得分”，以要点分值为限",
}


@dataclass(frozen=True)
class Col:
    """One named column: its header, the raw key, how to read it, and whether it must be filled."""

    header: str
    key: str
    kind: str = "text"  # text | int | num | bool | names | ints | choice | rule_kind | ref | op
    required: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)
    width: int = 14
    since: str = ""  # the issue that added the column: a workbook exported before it may lack it


RULE_COLUMNS = (
    Col("规则类型", "rule_kind", "rule_kind", width=22),
    Col("数据项", "field"),
    Col("对比数据项", "other"),
    Col("全国参考值", "national", width=20),
    Col("每年得分", "points_per_year", "int"),
    Col("分子", "num", width=20),
    Col("分母", "den", width=20),
    Col("区间下限（%）", "low", "num"),
    Col("区间上限（%）", "high", "num"),
    Col("下限得分", "low_points", "int"),
    Col("上限得分", "high_points", "int"),
    Col("清单", "list"),
    Col("计分阶梯", "steps", "ints"),
    Col("清单列", "column"),
    Col("计数取值", "values", "names", width=24),
    Col("每行得分", "per_row", "int"),
    Col("分母为0视为达标", "zero_ok", "bool"),
)
INDICATOR_COLUMNS = (
    Col("编号", "key", required=True, width=8),
    Col("序号", "no", "int", True, width=6),
    Col("一级指标", "first", required=True),
    Col("二级指标", "second", required=True),
    Col("变量性质", "nature", required=True, width=10),
    Col("三级指标", "name", required=True, width=28),
    Col("分值", "points", "int", True, width=6),
    Col("指标说明及打分标准", "description", required=True, width=60),
    Col("评估方式", "method", required=True, width=18),
    Col("数据来源", "sources", "names", width=24),
    Col("责任单位", "units_text", required=True, width=40),
    Col("计分方式", "aggregate", "choice", choices=AGGREGATE, width=16),
) + RULE_COLUMNS
CRITERION_COLUMNS = (
    Col("要点键", "key", required=True, width=8),
    Col("所属指标", "indicator", required=True, width=8),
    Col("要点内容", "text", required=True, width=60),
    Col("分值", "points", "int", True, width=6),
    Col("类型", "kind", "choice", True, CRITERION_KIND, width=10),
) + RULE_COLUMNS
CONDITION_COLUMNS = (
    Col("所属要点", "owner", required=True, width=10),
    Col("分子", "num", width=24),
    Col("分母", "den", width=24),
    Col("数据项", "field", width=20),
    Col("比较", "op", "op", True, width=8),
    Col("参考值", "ref", "ref", True, width=28),
    Col("比较形式", "form", "choice", choices=CONDITION_FORM, width=10),
)
FIELD_COLUMNS = (
    Col("键", "key", required=True, width=24),
    Col("名称", "label", required=True, width=30),
    Col("计量单位", "unit", required=True, width=8),
    Col("类型", "kind", "choice", True, FIELD_KIND, width=8),
    Col("按年度填报", "series", "bool", width=10),
    Col("填报单位", "owner", required=True, width=20),
    Col("核对单位", "cross_check", "names", width=24),
    Col("数值上限", "max", "num", width=12),
    Col("所属总量", "part_of", width=18, since="20"),  # 部分不超过总量（如电子商务纳税额属于地区总税收额）
    Col("同比倍数上限", "jump", "num", width=12, since="20"),  # 按年度的数据同比增减超过此倍数时提示
)
LIST_COLUMNS = (
    Col("清单键", "key", required=True, width=8),
    Col("名称", "title", required=True, width=30),
    Col("填报方式", "filled_by", "choice", True, FILLED_BY, width=18),
    Col("填报单位", "owner", width=16),
    Col("核对单位", "cross_check", "names", width=24),
    Col("去重依据", "identity", "names", width=30),
    Col("去重方式", "identity_mode", "choice", choices=IDENTITY_MODE, width=12),
)
LIST_COLUMN_COLUMNS = (
    Col("清单键", "list", required=True, width=8),
    Col("列名", "name", required=True, width=30),
    Col("类型", "type", "choice", choices=COLUMN_TYPE, width=8),
    Col("可选值", "choices", "names", width=40),
    Col("必填", "required", "bool", width=6),
    Col("所属总量", "part_of", width=18, since="20"),  # 该列数额不超过此数据项（按行的年度）
)
LEVEL_COLUMNS = (
    Col("一级指标", "first", required=True),
    Col("一级指标分值", "first_points", "int", True),
    Col("二级指标", "second", required=True),
    Col("二级指标分值", "second_points", "int", True),
)
REGION_COLUMNS = (
    Col("地区", "region", required=True, width=8),
    Col("阈值（万元）", "threshold", "num", True, width=14),
)
NATIONAL_COLUMNS = (
    Col("名称键", "name", required=True, width=24),
    Col("年度", "year", "int", True, width=8),
    Col("数值", "value", "num", True, width=10),
    Col("来源", "source", width=60),
    Col("发布时间", "published", width=10),
    Col("备注", "note", width=20),
)
LABEL_COLUMNS = (Col("名称键", "name", required=True, width=24), Col("中文名称", "label", required=True, width=40))
BOUND_COLUMNS = (
    Col("计量单位", "unit", required=True, width=10),
    Col("数值上限", "max", "num", True, width=14),
)  # 超过即视为填写错误
PLACEHOLDER_COLUMNS = (Col("用语", "text", required=True, width=24),)
PATTERN_COLUMNS = (Col("正则表达式", "pattern", required=True, width=60),)  # 整段文字符合即不算材料（如“详见附件1-5”）
SLIP_COLUMNS = (
    Col("计量单位", "unit", required=True, width=10),
    Col("误填单位", "slip", required=True, width=10),
    Col("倍数", "factor", "num", True, width=12),
)  # 按“误填单位”填写时，数字是实际数的多少倍（本表万元、误按元填：10000）  # 佐证材料或说明只写这些，不算已提供
INFO_ROWS = (
    ("版本", "version", "text"),
    ("名称", "title", "text"),
    ("依据文件", "basis", "text"),
    ("默认评估年度", "default_year", "int"),
    ("“近N年”的年数", "assessed_years", "int"),
    ("默认地区", "region", "text"),
)
INDICATOR_COLUMNS_2 = tuple(
    Col("二级指标", c.key, c.kind, c.required, c.choices, c.width) if c.key == "name" else c
    for c in INDICATOR_COLUMNS
    if c.key != "second"
)  # a two-level system: no subgroup column, and its indicators are its 二级指标
LEVEL_COLUMNS_2 = LEVEL_COLUMNS[:2]
TABLES: dict[str, tuple[Col, ...]] = {
    S_LEVELS: LEVEL_COLUMNS,
    S_INDICATORS: INDICATOR_COLUMNS,
    S_CRITERIA: CRITERION_COLUMNS,
    S_CONDITIONS: CONDITION_COLUMNS,
    S_FIELDS: FIELD_COLUMNS,
    S_LISTS: LIST_COLUMNS,
    S_LIST_COLUMNS: LIST_COLUMN_COLUMNS,
    S_REGIONS: REGION_COLUMNS,
    S_NATIONAL: NATIONAL_COLUMNS,
    S_LABELS: LABEL_COLUMNS,
    S_BOUNDS: BOUND_COLUMNS,
    S_PLACEHOLDERS: PLACEHOLDER_COLUMNS,
    S_SLIPS: SLIP_COLUMNS,
    S_PATTERNS: PATTERN_COLUMNS,
}
OPTIONAL_SHEETS = frozenset({S_SLIPS, S_PATTERNS})  # added by issue 20: a workbook exported before it has none


def level_sheets(levels: int) -> tuple[str, str]:
    """(groups sheet, indicators sheet) of a system of ``levels`` levels: 「一级二级指标」「三级指标」,
    or 「一级指标」「二级指标」 for a two-level one, so each sheet is called what its rows are."""
    return (S_LEVELS, S_INDICATORS) if levels == 3 else (S_LEVELS_2, S_INDICATORS_2)


def tables_for(levels: int) -> dict[str, tuple[Col, ...]]:
    """The table sheets of a system of ``levels`` levels, in workbook order."""
    if levels == 3:
        return dict(TABLES)
    groups, indicators = level_sheets(2)
    rest = {k: v for k, v in TABLES.items() if k not in (S_LEVELS, S_INDICATORS)}
    return {groups: LEVEL_COLUMNS_2, indicators: INDICATOR_COLUMNS_2, **rest}


def levels_of(raw_system: Mapping[str, Any]) -> int:
    """3 when the raw system's groups list subgroups (``second``), else 2."""
    return 3 if any(f.get("second") for f in raw_system.get("first_level") or ()) else 2


def pass_text(total: Any, rate: Any) -> str:
    """The pass rule as the report words it, from its two numbers (so an edit cannot leave the
    sentence behind)."""
    return f"总分≧{_plain(total)}分，且每个一级指标得分率≧{_plain(rate)}%"


def _plain(x: Any) -> str:
    d = Decimal(str(x))
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else format(d.normalize(), "f")


# -- export --------------------------------------------------------------------------------


def _rule_row(rule: Mapping[str, Any] | None) -> dict[str, Any]:
    if not rule:
        return {}
    known = {c.key for c in RULE_COLUMNS} | {"all", "kind"}
    unknown = set(rule) - known
    if unknown:
        raise ValueError(f"rule parameters without a workbook column: {sorted(unknown)}")
    return {("rule_kind" if k == "kind" else k): v for k, v in rule.items() if k != "all"}


def _criterion_kind(rule: Mapping[str, Any] | None) -> str:
    return RULE_KINDS[str(rule["kind"])].criterion_kind if rule else "evidence"


def export_rows(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table sheet, from a raw spec (the parsed YAML)."""
    system, national = raw["system"], raw["national"]
    levels = levels_of(system)
    tables = tables_for(levels)
    s_levels, s_indicators = level_sheets(levels)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    for f in system["first_level"]:
        if levels == 2:
            out[s_levels].append({"first": f["name"], "first_points": f["points"]})
        for s in f.get("second") or ():
            out[s_levels].append(
                {"first": f["name"], "first_points": f["points"], "second": s["name"], "second_points": s["points"]}
            )
    for ind in raw["indicators"]["indicators"]:
        row = {c.key: ind.get(c.key) for c in tables[s_indicators] if c.key in ind}
        row.update(_rule_row(ind.get("rule")))
        row["description"] = str(ind["description"]).strip()
        out[s_indicators].append(row)
        for cond in (ind.get("rule") or {}).get("all", ()):
            out[S_CONDITIONS].append({"owner": ind["key"], **cond})
        for c in ind.get("criteria") or ():
            crow = {
                "key": c["key"],
                "indicator": ind["key"],
                "text": c["text"],
                "points": c["points"],
                "kind": c.get("kind") or _criterion_kind(c.get("rule")),
            }
            crow.update(_rule_row(c.get("rule")))
            out[S_CRITERIA].append(crow)
            for cond in (c.get("rule") or {}).get("all", ()):
                out[S_CONDITIONS].append({"owner": c["key"], **cond})
    out[S_FIELDS] = [dict(f) for f in raw["fields"]["fields"]]
    for key, ls in system.get("lists", {}).items():
        out[S_LISTS].append({"key": key, **{k: v for k, v in ls.items() if k != "columns"}})
        for col in ls["columns"]:
            out[S_LIST_COLUMNS].append({"list": key, **col})
    out[S_REGIONS] = [{"region": k, "threshold": v} for k, v in system["region"]["thresholds"].items()]
    sources = national.get("sources", {}) or {}
    for v in national.get("values", ()):
        out[S_NATIONAL].append({**v, "source": sources.get(v.get("source"), v.get("source", ""))})
    out[S_LABELS] = [{"name": k, "label": v} for k, v in (national.get("labels") or {}).items()]
    out[S_BOUNDS] = [{"unit": k, "max": v} for k, v in (raw["fields"].get("max_by_unit") or {}).items()]
    out[S_PLACEHOLDERS] = [{"text": str(t)} for t in system.get("evidence_placeholders") or ()]
    out[S_PATTERNS] = [{"pattern": str(t)} for t in system.get("evidence_placeholder_patterns") or ()]
    out[S_SLIPS] = [
        {"unit": unit, "slip": slip, "factor": factor}
        for unit, slips in (raw["fields"].get("unit_slips") or {}).items()
        for slip, factor in slips.items()
    ]
    return out


def write_system_workbook(raw: Mapping[str, Any], path: str | Path) -> Path:
    """Write the indicator system ``raw`` as 指标体系.xlsx (atomically)."""
    from ...files.atomic import write_with

    rows = export_rows(raw)
    return write_with(path, lambda tmp: _write(tmp, raw, rows))


def _write(path: Path, raw: Mapping[str, Any], rows: Mapping[str, list[dict[str, Any]]]) -> None:
    from .styles import fit_height, header_sheet, new_workbook, print_setup

    wb = new_workbook(path, font_size=11)
    base = {"valign": "top", "text_wrap": True}
    f_title = wb.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
    f_th = wb.add_format({**base, "bold": True, "bg_color": "#D9D9D9", "border": 1, "align": "center"})
    f_td = wb.add_format({**base, "border": 1})
    system = raw["system"]
    _write_help(wb.add_worksheet(S_HELP), system, f_title, f_td)
    ws = header_sheet(wb, S_INFO, (("项目", 18), ("内容", 80)), f_th)
    for r, (label, key, _kind) in enumerate(INFO_ROWS, 1):
        value = system["region"]["default"] if key == "region" else system.get(key, "")
        ws.write_string(r, 0, label, f_th)
        _cell(ws, r, 1, value, f_td)
    print_setup(ws, None)
    ws = header_sheet(wb, S_PASS, (("项目", 32), ("数值", 12), ("说明", 60)), f_th)
    pr = system["pass_rule"]
    ws.write_string(1, 0, PASS_TOTAL, f_th)
    _cell(ws, 1, 1, pr["total_min"], f_td)
    ws.write_string(1, 2, "总分（满分100分）达到此分数", f_td)
    ws.write_string(2, 0, PASS_RATE, f_th)
    _cell(ws, 2, 1, pr["first_level_rate_min"], f_td)
    ws.write_string(2, 2, "以百分数填写：75即75%。2026年创建管理办法为80", f_td)
    print_setup(ws, None)
    for name, cols in tables_for(levels_of(system)).items():
        ws = wb.add_worksheet(name)
        for c, col in enumerate(cols):
            ws.set_column(c, c, col.width)
            ws.write_string(0, c, col.header, f_th)
            if col.choices:
                ws.data_validation(1, c, 2000, c, {"validate": "list", "source": list(col.choices)})
            elif col.kind == "rule_kind":
                ws.data_validation(1, c, 2000, c, {"validate": "list", "source": list(RULE_KIND_TEXT)})
        for r, row in enumerate(rows[name], 1):
            for c, col in enumerate(cols):
                value = row.get(col.key)
                if col.choices and value is not None:
                    value = {v: k for k, v in col.choices.items()}.get(value, value)
                _cell(ws, r, c, value, f_td)
            ws.set_row(
                r,
                fit_height([(row.get(col.key) or "", col.width) for col in cols if isinstance(row.get(col.key), str)]),
            )
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, max(len(rows[name]), 1), len(cols) - 1)
        print_setup(ws, (0, 0))
    wb.set_properties(
        {"title": system["title"], "subject": f"版本{system['version']}", "comments": "yongji-xls system export"}
    )
    wb.close()


def _write_help(ws: Any, system: Mapping[str, Any], f_title: Any, f_td: Any) -> None:
    from .styles import fit_height, print_setup

    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 90)
    groups, indicators = level_sheets(levels_of(system))
    lines = [
        f"{system['title']}（版本{system['version']}）",
        "本工作簿是指标体系的可编辑形式。修改后用 --system 本文件路径 运行各条命令即可生效，无需改程序；"
        "改动后请修改「体系信息」中的版本号，旧版本生成的模板将被拒绝汇总。",
        "各表第一行为表头，请勿改动表头文字；可增删行。多个值用“、”分隔。各级指标分值须逐级相加一致，总分100分。",
        f"指标体系可以是三级（「{S_LEVELS}」表每行一个二级指标，「{S_INDICATORS}」表每行一个计分的三级指标），"
        f"也可以是两级（「{S_LEVELS_2}」表每行一个一级指标，「{S_INDICATORS_2}」表每行一个计分的二级指标，"
        "没有“二级指标”分组列）；本工作簿为" + ("三级。" if indicators == S_INDICATORS else "两级。"),
        "「合格标准」：总分和一级指标得分率（百分数）两条同时满足才合格；「地区阈值」：I04年度电子商务销售额门槛（万元）。",
        f"「{indicators}」「评分要点」的“规则类型”及其参数列决定计分方法（见下表）；定性要点“类型”填“佐证材料”，规则类型留空。",
        "「计分条件」：规则类型为conditions的要点，每行一个条件：分子/分母（比率，%）或数据项，与参考值（数字，或national.名称）比较。",
        "「全国参考值」：数值为百分数（11.0即11.0%），满意度为百分制分值；「参考值名称」给出报告中使用的中文名称。",
        "责任单位按单位名录（单位配置.xlsx）解析，名录中没有的单位会被逐一列出。",
    ]
    ws.write_string(0, 0, lines[0], f_title)
    for r, text in enumerate(lines[1:], 1):
        ws.merge_range(r, 0, r, 1, text, f_td)
        ws.set_row(r, fit_height([(text, 114)]))
    r = len(lines) + 1
    ws.write_string(r, 0, "规则类型", f_td)
    ws.write_string(r, 1, "含义", f_td)
    for kind, meaning in RULE_KIND_TEXT.items():
        r += 1
        ws.write_string(r, 0, kind, f_td)
        ws.write_string(r, 1, meaning, f_td)
    ws.activate()
    print_setup(ws, None)


def _cell(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    if value is None or value == "" or value == []:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(r, c, float(value), fmt)
    elif isinstance(value, (list, tuple)):
        ws.write_string(r, c, "、".join(str(v) for v in value), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


# -- reading -------------------------------------------------------------------------------


class _Reader:
    """Reads one workbook's sheets into raw rows, collecting pyxform-style problems."""

    def __init__(self, wb: Any, book: str, levels: int = 3):
        self.wb, self.book, self.levels = wb, book, levels
        self.tables = tables_for(levels)
        self.problems: list[str] = []
        self.where: dict[str, tuple[Any, ...]] = {}  # key -> (sheet, row[, header, column]), to locate build errors
        self.columns: dict[str, dict[str, int]] = {}  # sheet -> header -> column index

    def at(self, sheet: str, row: int, header: str = "", col: int | None = None) -> str:
        from ..cells import col_letter

        cell = (
            location("column_cell", header=header, cell=f"{col_letter(col)}{row}") if header and col is not None else ""
        )
        return location("sheet_row", book=self.book, sheet=sheet, row=row) + cell

    def say(self, where: str, found: Problem) -> None:
        """Record ``found`` after its location 「<where>：」."""
        self.problems.append(found.located(f"{where}："))

    def sheet(self, name: str) -> Any:
        if name not in self.wb.sheetnames:
            self.say(self.book, problem("sheet_missing", sheet=name))
            return None
        return self.wb[name]

    def table(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        if name in OPTIONAL_SHEETS and name not in self.wb.sheetnames:
            return []
        ws = self.sheet(name)
        if ws is None:
            return []
        cols = self.tables[name]
        it = ws.iter_rows(values_only=True)
        header = [cell_text(v) for v in next(it, ())]
        index: dict[str, int] = {}
        for col in cols:
            if col.header in header:
                index[col.key] = header.index(col.header)
            elif not col.since:
                self.say(self.at(name, 1), problem("column_missing", header=col.header))
        if len(index) < len([c for c in cols if not c.since]):
            return []
        self.columns[name] = {c.header: index[c.key] for c in cols if c.key in index}
        out = []
        for r, values in enumerate(it, 2):
            if not any(cell_text(v) for v in values):
                continue
            row: dict[str, Any] = {}
            for col in cols:
                if col.key not in index:
                    continue
                c = index[col.key]
                value = self.convert(col, values[c] if c < len(values) else None, name, r, c)
                if value is not None:
                    row[col.key] = value
            out.append((r, row))
        return out

    def convert(self, col: Col, value: Any, sheet: str, r: int, c: int) -> Any:
        text = cell_text(value)
        where = self.at(sheet, r, col.header, c)
        if not text:
            if col.required:
                self.say(where, problem("cell_empty", header=col.header))
            return None
        try:
            return _convert(col, value, text)
        except _CellError as e:
            self.say(where, e.problem)
            return None

    def pairs(self, name: str, rows: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
        ws = self.sheet(name)
        if ws is None:
            return {}
        labels = {label: (key, kind) for label, key, kind in rows}
        out: dict[str, Any] = {}
        for r, values in enumerate(ws.iter_rows(values_only=True), 1):
            label = cell_text(values[0]) if values else ""
            if label in labels:
                key, kind = labels[label]
                value = values[1] if len(values) > 1 else None
                converted = self.convert(Col(label, key, kind, True), value, name, r, 1)
                if converted is not None:
                    out[key] = converted
                self.where[key] = (name, r, "数值" if name == S_PASS else "内容", 1)
        for label, key, _ in rows:
            if key not in self.where:
                self.say(location("sheet", book=self.book, sheet=name), problem("row_missing", label=label))
        return out


MAX_DIGITS = 30  # a typed number with more digits than this is a typing mistake


class _CellError(ValueError):
    """A cell that cannot be converted, with the problem to report."""

    def __init__(self, found: Problem):
        self.problem = found
        super().__init__(found)


def _number(value: Any, text: str) -> int | float:
    if isinstance(value, bool):
        raise _CellError(problem("not_a_number", text=text))
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    try:
        d = Decimal(text.rstrip("%").replace(",", ""))
    except InvalidOperation:
        raise _CellError(problem("not_arabic_number", text=text)) from None
    if not d.is_finite() or abs(d.adjusted()) > MAX_DIGITS:  # 「Infinity」; 「1e999999999」 would take int() hours
        raise _CellError(problem("not_arabic_number", text=text))
    return int(d) if d == d.to_integral_value() else float(d)


def _convert(col: Col, value: Any, text: str) -> Any:
    kind = col.kind
    if kind in ("int", "num"):
        try:
            n = _number(value, text)
        except _CellError:
            if kind == "int":
                raise _CellError(problem("not_an_integer", text=text)) from None
            raise
        if kind == "int" and not isinstance(n, int):
            raise _CellError(problem("not_an_integer", text=text))
        return n
    if kind == "bool":
        if text in ("是", "Y", "y", "1", "True", "TRUE", "√"):
            return True
        if text in ("否", "N", "n", "0", "False", "FALSE", "×"):
            return False
        raise _CellError(problem("not_yes_no", text=text))
    if kind == "names":
        return [p.strip() for p in re.split(r"[、，,；;\n]+", text) if p.strip()]
    if kind == "ints":
        try:
            return [int(p) for p in re.split(r"[、，,；;\s]+", text) if p]
        except ValueError:
            raise _CellError(problem("not_integers", text=text)) from None
    if kind == "choice":
        if text in col.choices:
            return col.choices[text]
        if text in col.choices.values():
            return text
        raise _CellError(problem("not_a_choice", text=text, choices="、".join(col.choices)))
    if kind == "rule_kind":
        if text not in RULE_KIND_TEXT:
            raise _CellError(problem("rule_kind_not_listed", text=text, kinds="、".join(RULE_KIND_TEXT), sheet=S_HELP))
        return text
    if kind == "op":
        if text not in OPS:
            raise _CellError(problem("op_invalid", text=text))
        return OPS[text]
    if kind == "ref":
        if national_ref_name(text):
            return text
        try:
            return _number(value, text)
        except _CellError:
            raise _CellError(problem("ref_invalid", text=text)) from None
    return text


def _rule(row: Mapping[str, Any], conditions: Mapping[str, list[dict[str, Any]]], key: str) -> dict[str, Any] | None:
    params = {("kind" if c.key == "rule_kind" else c.key): row[c.key] for c in RULE_COLUMNS if c.key in row}
    if "kind" not in params:
        return None
    if params["kind"] == "conditions":
        params["all"] = conditions.get(key, [])
    return params


def read_system_workbook(path: str | Path) -> dict[str, Any]:
    """The raw spec (the YAML files' shape) from an indicator-system workbook; the unit registry
    is the shipped one (an office's own comes from ``--config``). Raises SpecError. The build
    locates its problems with :func:`locate_problems` and ``raw["_where"]``."""
    import openpyxl

    p = Path(path)
    book = p.name
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise SpecError([problem("book_unreadable", book=book, error_type=type(e).__name__)]) from e
    levels = 2 if S_INDICATORS_2 in wb.sheetnames and S_INDICATORS not in wb.sheetnames else 3
    if level_sheets(levels)[1] not in wb.sheetnames and {"单位", "分组"} <= set(wb.sheetnames):
        wb.close()
        raise SpecError([problem("book_is_config", book=book)])
    if S_TASKS in wb.sheetnames:  # exported before the tasks became county data: never dropped unsaid
        wb.close()
        raise SpecError([problem("obsolete_tasks_sheet", sheet=S_TASKS).located(f"{book}：")])
    rd = _Reader(wb, book, levels)
    try:
        raw = _assemble(rd)
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:  # broken data the checks above already named
        if not rd.problems:
            rd.problems.append(problem("book_incomplete", book=book, error_type=type(e).__name__, error=str(e)))
    finally:
        wb.close()
    if rd.problems:
        raise SpecError(rd.problems)
    raw["units"] = shipped_units()
    raw["_where"] = (book, rd.where)
    return raw


def _assemble(rd: _Reader) -> dict[str, Any]:
    info = rd.pairs(S_INFO, INFO_ROWS)
    rule = rd.pairs(S_PASS, ((PASS_TOTAL, "total_min", "num"), (PASS_RATE, "first_level_rate_min", "num")))
    tables = {name: rd.table(name) for name in rd.tables}
    s_levels, s_indicators = level_sheets(rd.levels)
    for name, key in (
        (s_indicators, "key"),
        (S_CRITERIA, "key"),
        (S_FIELDS, "key"),
        (S_LISTS, "key"),
    ):
        for r, row in tables[name]:
            if row.get(key):
                rd.where.setdefault(str(row[key]), (name, r))
    conditions: dict[str, list[dict[str, Any]]] = {}
    for r, row in tables[S_CONDITIONS]:
        cond = {k: v for k, v in row.items() if k != "owner"}
        if not any(k in cond for k in ("num", "field")):
            rd.say(rd.at(S_CONDITIONS, r), problem("condition_without_operand"))
        conditions.setdefault(str(row.get("owner", "")), []).append(cond)
    first_level = _groups(rd, tables[s_levels], s_levels)
    criteria: dict[str, list[dict[str, Any]]] = {}
    indicator_keys = {str(row.get("key")) for _, row in tables[s_indicators]}
    for r, row in tables[S_CRITERIA]:
        owner = str(row.get("indicator", ""))
        if owner and owner not in indicator_keys:
            rd.say(rd.at(S_CRITERIA, r), problem("criterion_owner_unknown", owner=owner, sheet=s_indicators))
        crit = {k: row[k] for k in ("key", "text", "points", "kind") if k in row}
        rule_params = _rule(row, conditions, str(row.get("key")))
        if rule_params:
            crit["rule"] = rule_params
        criteria.setdefault(owner, []).append(crit)
    indicators = []
    for _, row in tables[s_indicators]:
        ind = {
            k: row[k]
            for k in ("key", "no", "first", "second", "nature", "name", "points", "description", "method", "units_text")
            if k in row
        }
        ind["sources"] = row.get("sources", [])
        ind["aggregate"] = row.get("aggregate", "sum")
        ind["rule"] = _rule(row, conditions, str(row.get("key")))
        ind["criteria"] = criteria.get(str(row.get("key")), [])
        indicators.append(ind)
    lists: dict[str, Any] = {}
    for _, row in tables[S_LISTS]:
        lists[str(row.get("key"))] = {**{k: v for k, v in row.items() if k != "key"}, "columns": []}
    for r, row in tables[S_LIST_COLUMNS]:
        key = str(row.get("list", ""))
        if key not in lists:
            rd.say(rd.at(S_LIST_COLUMNS, r), problem("list_column_owner_unknown", key=key, sheet=S_LISTS))
            continue
        lists[key]["columns"].append({k: v for k, v in row.items() if k != "list"})
    system = {
        "version": str(info.get("version", "")),
        "title": info.get("title", ""),
        "basis": info.get("basis", ""),
        "pass_rule": {**rule, "text": pass_text(rule.get("total_min") or 0, rule.get("first_level_rate_min") or 0)},
        "assessed_years": info.get("assessed_years", 2),
        "default_year": info.get("default_year", 2024),
        "region": {
            "default": info.get("region", ""),
            "thresholds": {row["region"]: row.get("threshold") for _, row in tables[S_REGIONS] if "region" in row},
        },
        "first_level": first_level,
        "lists": lists,
        "evidence_placeholders": [row["text"] for _, row in tables[S_PLACEHOLDERS] if "text" in row],
        "evidence_placeholder_patterns": [row["pattern"] for _, row in tables[S_PATTERNS] if "pattern" in row],
    }
    if system["region"]["default"] not in system["region"]["thresholds"]:
        name, r = rd.where.get("region", (S_INFO, 0))[:2]
        region = system["region"]["default"]
        rd.say(rd.at(name, r), problem("default_region_unknown", region=region, sheet=S_REGIONS))
    national = {
        "labels": {row["name"]: row.get("label", "") for _, row in tables[S_LABELS] if "name" in row},
        "values": [dict(row) for _, row in tables[S_NATIONAL]],
    }
    return {
        "system": system,
        "fields": {
            "fields": [dict(row) for _, row in tables[S_FIELDS]],
            "max_by_unit": {row["unit"]: row.get("max") for _, row in tables[S_BOUNDS] if "unit" in row},
            "unit_slips": _slips(tables[S_SLIPS]),
        },
        "indicators": {"indicators": indicators},
        "national": national,
    }


def _slips(rows: Sequence[tuple[int, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for _, row in rows:
        if "unit" in row and "slip" in row:
            out.setdefault(str(row["unit"]), {})[str(row["slip"])] = row.get("factor")
    return out


def _groups(rd: _Reader, rows: list[tuple[int, dict[str, Any]]], sheet: str) -> list[dict[str, Any]]:
    """The raw ``first_level``: a group per run of rows with its subgroups (three levels), or a
    group per row (two levels); a group's rows kept together, its points the same on each."""
    first_level: list[dict[str, Any]] = []
    cols = rd.columns.get(sheet, {})
    for r, row in rows:
        for level, header in (("first", "一级指标分值"), ("second", "二级指标分值")):  # where a total is
            if row.get(level) is not None:
                rd.where.setdefault(level_key(level, str(row.get(level))), (sheet, r, header, cols.get(header)))
        if not first_level or first_level[-1]["name"] != row.get("first") or rd.levels == 2:
            if any(f["name"] == row.get("first") for f in first_level):
                twice = "first_level_rows_apart" if rd.levels == 3 else "first_level_twice"
                rd.say(rd.at(sheet, r), problem(twice, name=row.get("first")))
            first_level.append({"name": row.get("first"), "points": row.get("first_points")})
        elif row.get("first_points") != first_level[-1]["points"]:
            rd.say(rd.at(sheet, r), problem("first_level_points_differ", name=row.get("first")))
        if rd.levels == 3:
            first_level[-1].setdefault("second", []).append(
                {"name": row.get("second"), "points": row.get("second_points")}
            )
    return first_level


def locate_problems(problems: Sequence[str], where: tuple[str, Mapping[str, tuple[str, int]]]) -> list[str]:
    """Append the sheet and row of the key a build problem names (指标I12 → 「三级指标」第13行)."""
    from ..cells import col_letter

    book, index = where
    out = []
    for p in problems:
        at = p.params.get("at") if isinstance(p, Problem) else None
        keys = [at] if at in index else [k for k in re.findall(r"[A-Za-z][A-Za-z0-9_]*(?:\.\d+)?", p) if k in index]
        if keys:
            sheet, row, *column = index[keys[0]]
            prefix = location("sheet_row", book=book, sheet=sheet, row=row)
            if column and column[1] is not None:
                prefix += location("column_cell", header=column[0], cell=f"{col_letter(column[1])}{row}")
            prefix += "："
        else:
            prefix = f"{book}："
        out.append(p.located(prefix) if isinstance(p, Problem) else prefix + p)
    return out
