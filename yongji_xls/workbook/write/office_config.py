"""The office's unit configuration (单位配置.xlsx): who the county is and which units it has.

The indicator system names units and groups (市统计局, 各镇（街道）, 联席会议成员单位); each
county has its own registry, its own towns and its own office. This module writes that registry
as an editable workbook (``init``) and reads it back with row-precise Chinese messages, as the
``units`` part of the raw spec (the shape of ``system/data/units.yaml``), so the spec loader overlays it
without knowing where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...issues import ProblemsError
from ...system.load import normalise_name as _norm
from ...system.problems import Problem, location, problem
from ..cells import cell_text
from .work_plan import SHEET_TASKS, read_tasks_sheet

SHEET_HELP = "填写说明"
SHEET_OFFICE = "基本信息"
SHEET_UNITS = "单位"
SHEET_GROUPS = "分组"

# 基本信息 label -> office key; (required, hint)
OFFICE_ROWS: tuple[tuple[str, str, bool, str], ...] = (
    ("县（市、区）名称", "city", True, "如：永济市、临猗县。报告标题、文件名和表头都使用此名称"),
    ("所属地级市", "prefecture", False, "如：运城市。市局汇总各县结果时按此归类"),
    ("领导小组办公室", "name", True, "填报说明中的收表单位、报告署名"),
    ("办公室设在", "seat", False, "如：县市场监管局"),
    ("报告报送机关", "superior", False, "自评报告的主送机关，如：运城市市场监督管理局"),
    ("联系人", "contact", False, ""),
    ("联系电话", "phone", False, ""),
    ("地区类别", "region", False, "东部、中部或西部（决定“新增规模以上网络交易经营者数量”的年销售额标准）；山西为中部"),
    (
        "工作方案名称",
        "plan_title",
        False,
        "本县创建工作方案的标题（不加书名号），报告开头和基本情况引用，如：××县创建全国网络市场监管与服务示范区工作方案",
    ),
    ("工作方案文号", "plan_number", False, "工作方案的发文字号，如：×政办发〔2023〕×号"),
    (
        "发文字号",
        "doc_number",
        False,
        "（可选）自评报告的发文字号，如：×网创办〔2025〕1号；填写后显示在报告首页标题之上",
    ),
    ("签发人", "signer", False, "（可选）上行文的签发人姓名，与发文字号同一行"),
    ("抄送", "copy_to", False, "（可选）报告版记中的抄送机关，多个用“，”分隔"),
    (
        "印发机关",
        "issuer",
        False,
        "（可选）报告版记中的印发机关，如：××县网络市场监管与服务示范区创建工作领导小组办公室",
    ),
    ("印发日期", "issue_date", False, "（可选）版记中的印发日期，如：2025年1月28日；不填时与成文日期相同"),
)
LEGACY_ROWS = {"本县工作方案": "document"}
"""Rows of older configurations still read: 「本县工作方案」 held the plan's title and 文号 together
(「××工作方案（×政办发〔2023〕×号）附件2」) and is split into the two rows that replaced it."""
H_NO, H_NAME, H_ALIASES, H_MEMBER, H_TOWN = "序号", "单位名称", "别名", "联席会议成员单位", "镇（街道）"
UNIT_HEADERS = (H_NO, H_NAME, H_ALIASES, H_MEMBER, H_TOWN)
G_NAME, G_ALIASES, G_MEMBERS, G_LEAD = "分组名称", "别名", "成员", "牵头单位"
GROUP_HEADERS = (G_NAME, G_ALIASES, G_MEMBERS, G_LEAD)
MEMBER_FLAGS = {H_MEMBER: "attachment1", H_TOWN: "town"}
YES, NO = "是", "否"
_SPLIT = re.compile(r"[、，,；;\n]+")


class ConfigError(ProblemsError):
    """The unit configuration is wrong (every finding row-precise)."""

    fatal_code = "config_invalid"


def _names(value: Any) -> list[str]:
    return [p.strip() for p in _SPLIT.split(cell_text(value)) if p.strip()]


# -- the work plan --------------------------------------------------------------------------
_PLAN = re.compile(r"^《?(?P<title>.*?)》?\s*[（(](?P<number>[^（）()]*〔\d{4}〕[^（）()]*号)[）)]")


def split_plan(text: str) -> tuple[str, str]:
    """「××工作方案（×政办发〔2023〕×号）附件2」 -> (「××工作方案」, 「×政办发〔2023〕×号」); a text
    without a 文号 in brackets is the title alone (a trailing 「附件N」 dropped)."""
    text = " ".join(str(text or "").split())
    found = _PLAN.match(text)
    if found:
        return found.group("title").strip(), found.group("number").strip()
    return re.sub(r"附件\d*$", "", text).strip().strip("《》"), ""


def work_plan(spec: Any) -> tuple[str, str]:
    """(title, 文号) of the county's work plan: the configuration's rows, else the system's
    ``document`` split (a configuration or system written before the rows existed)."""
    office = spec.office
    if office.get("plan_title"):
        return str(office["plan_title"]).strip("《》"), str(office.get("plan_number", ""))
    return split_plan(getattr(spec, "document", ""))


def _plan_rows(registry: Mapping[str, Any]) -> dict[str, Any]:
    """The office rows to write: a registry from before the plan rows has its ``document`` split."""
    office = dict(registry.get("office", {}))
    if not office.get("plan_title") and registry.get("document"):
        title, number = split_plan(registry["document"])
        office["plan_title"], office["plan_number"] = title, number
    return office


# -- writing -------------------------------------------------------------------------------


def copy_registry(raw_units: Mapping[str, Any]) -> dict[str, Any]:
    """A registry as it stands (Yongji's ``system/data/units.yaml``, or another county's
    configuration), to start from."""
    out = {
        "units": [dict(u) for u in raw_units["units"]],
        "groups": [dict(g) for g in raw_units.get("groups", ())],
        "office": dict(raw_units.get("office", {})),
        "tasks": [dict(t) for t in raw_units.get("tasks") or ()],
    }
    if raw_units.get("document"):
        out["document"] = raw_units["document"]
    return out


def seat_for(city: str, seat: str) -> str:
    """Where a county's office sits, named for that county: a 县's 市场监管局 is the
    县市场监管局 (「领导小组办公室（设在县市场监管局）」), whatever the registry it started from."""
    suffix = city[-1] if city and city[-1] in "县市区旗" else "县"
    if seat and seat[0] in "县市区旗":
        return suffix + seat[1:]
    return seat or suffix + "市场监管局"


def derived_units(raw_units: Mapping[str, Any], city: str, prefecture: str = "运城市") -> dict[str, Any]:
    """A registry for another county, derived from Yongji's: 市统计局 becomes 县统计局 (with
    the indicator system's name kept as an alias, so its 责任单位 texts still resolve), 人行永济支行
    becomes 人行<县名>支行, and the towns are left for the office to enter."""
    suffix = city[-1] if city and city[-1] in "县市区旗" else "县"
    stem = city[:-1] if city and city[-1] in "县市区旗" else city
    old_city = str(raw_units.get("office", {}).get("city", "永济市"))
    old_stem = old_city[:-1]

    def adapt(name: str) -> str:
        out = name.replace(old_stem, stem) if old_stem else name
        if out.startswith("市"):
            out = suffix + out[1:]
        return out.replace("（市", f"（{suffix}").replace("[市", f"[{suffix}")

    units = []
    for u in raw_units["units"]:
        if u.get("town"):
            continue
        name = adapt(str(u["name"]))
        aliases = [
            a
            for a in dict.fromkeys(
                [
                    str(u["name"]),
                    *map(str, u.get("aliases", ()) or ()),
                    *(adapt(str(a)) for a in u.get("aliases", ()) or ()),
                ]
            )
            if a != name
        ]
        units.append(
            {"no": len(units) + 1, "name": name, "aliases": aliases, "attachment1": bool(u.get("attachment1"))}
        )
    groups = []
    for g in raw_units.get("groups", ()):
        aliases = list(
            dict.fromkeys([*(a.replace(old_city, city) for a in g.get("aliases", ())), *g.get("aliases", ())])
        )
        lead = "" if g["members_from"] == "town" else adapt(str(g["lead"]))
        groups.append({"name": g["name"], "aliases": aliases, "members_from": g["members_from"], "lead": lead})
    office = {
        "city": city,
        "prefecture": prefecture,
        "name": f"{city}网络市场监管与服务示范区创建工作领导小组办公室",
        "seat": seat_for(city, ""),
        "superior": f"{prefecture}市场监督管理局",
        "plan_title": f"{city}创建全国网络市场监管与服务示范区工作方案",
    }
    return {
        "units": units,
        "groups": groups,
        "office": office,
        "tasks": [],  # the county's own plan: the sheet gets an example row to replace
    }


def write_config(
    path: str | Path,
    registry: Mapping[str, Any],
    region: str = "中部",
    regions: tuple[str, ...] = ("东部", "中部", "西部"),
) -> Path:
    """Write 单位配置.xlsx (atomically): instructions, 基本信息, 单位, 分组, 重点任务."""
    from ...files.atomic import write_with

    return write_with(path, lambda tmp: _write(tmp, registry, region, regions))


def _write(path: Path, registry: Mapping[str, Any], region: str, regions: tuple[str, ...]) -> None:
    from .styles import fit_height, header_sheet, new_workbook, print_setup
    from .work_plan import write_tasks_sheet

    wb = new_workbook(path, font_size=11)
    base = {"valign": "top", "text_wrap": True}
    f_title = wb.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
    f_th = wb.add_format({**base, "bold": True, "bg_color": "#D9D9D9", "border": 1, "align": "center"})
    f_td = wb.add_format({**base, "border": 1, "bg_color": "#FFF2CC"})
    f_text = wb.add_format(base)
    office = {**_plan_rows(registry), "region": region}
    city = office.get("city", "")

    ws = wb.add_worksheet(SHEET_HELP)
    ws.set_column(0, 0, 100)
    lines = [
        (f"{city}单位配置表（网络市场监管与服务示范区创建自评工具）", f_title),
        (
            "本文件说明本县（市、区）的领导小组办公室、各责任单位及指标体系所称的单位分组。改完保存后，"
            "本工具的各项操作指定使用本文件即可（命令行的写法见使用说明）。",
            f_text,
        ),
        (
            "一、「基本信息」表：逐项填写“内容”列。县（市、区）名称用于报告标题、输出文件名和各表表头；地区类别决定“新增规模以上网络交易经营者数量”的年销售额标准。",
            f_text,
        ),
        (
            "二、「单位」表：每行一个单位。“单位名称”为规范名称（模板文件名、报告都用它）；“别名”填指标体系（任务分解表）或各单位习惯使用的其他称呼，多个用“、”分隔，如：市工科局、市商务局。",
            f_text,
        ),
        ("    同一名称只能属于一个单位；“序号”决定模板文件名前的编号和各表中的排列顺序，不能重复。", f_text),
        (
            "    “联席会议成员单位”列填“是”的单位，即指标体系中“联席会议成员单位”“各成员单位”所指的单位；"
            "“镇（街道）”列填“是”的单位，即“各镇（街道）”所指的单位。",
            f_text,
        ),
        (
            "    本地没有的单位可删除整行；本地另有的单位在表末添加一行（需承担指标的，"
            "请把它标为联席会议成员单位，或在指标体系中写明）。",
            f_text,
        ),
        (
            "三、「分组」表：指标体系责任单位一栏中的集合称谓。“成员”填“联席会议成员单位”或“镇（街道）”，表示取「单位」表中该列为“是”的单位；“牵头单位”为该组的牵头单位，空白时取第一个成员。",
            f_text,
        ),
        ("四、指标体系中出现、但本表既无此名称也无此别名的单位，生成模板或汇总时会逐一列出，请补充后重试。", f_text),
        (
            "五、「重点任务」表：本县工作方案“主要任务”，一行一项。“编号”填任务序号（1、2、3……，不能重复）；"
            "“所属方面”填工作方案中该任务所在的部分（没有可留空）；“任务名称”“任务内容”照工作方案填写；"
            "“责任单位”填「单位」表中的名称或别名，或「分组」表中的分组称谓，多个用“、”分隔，"
            "牵头单位后加“（牵头）”（也可照工作方案写“牵头单位：××；配合单位：××”），未标的以第一个单位为牵头单位。"
            "各单位的填报模板据此列出其负责的任务。",
            f_text,
        ),
        (
            "    工作方案修改后（增删任务、调整责任单位），请重新生成模板；已下发的旧模板中不再属于本县工作方案的任务，"
            "汇总时会逐行提示。",
            f_text,
        ),
    ]
    for r, (text, fmt) in enumerate(lines):
        ws.write_string(r, 0, text, fmt)
        if r:
            ws.set_row(r, fit_height([(text, 100)]))
    ws.activate()
    print_setup(ws, None)

    ws = header_sheet(wb, SHEET_OFFICE, (("项目", 20), ("内容", 50), ("说明", 60)), f_th)
    for r, (label, key, _required, hint) in enumerate(OFFICE_ROWS, 1):
        ws.write_string(r, 0, label, f_th)
        ws.write_string(r, 1, str(office.get(key, "") or ""), f_td)
        ws.write_string(r, 2, hint, f_text)
        ws.set_row(r, fit_height([(hint, 60), (office.get(key, "") or "", 50)]))
        if key == "region":
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": list(regions)})
    ws.freeze_panes(1, 0)
    print_setup(ws, (0, 0))

    ws = wb.add_worksheet(SHEET_UNITS)
    for c, width in enumerate((8, 30, 50, 18, 14)):
        ws.set_column(c, c, width)
    for c, h in enumerate(UNIT_HEADERS):
        ws.write_string(0, c, h, f_th)
    units = list(registry["units"])
    for r, u in enumerate(units, 1):
        ws.write_number(r, 0, int(u["no"]), f_td)
        ws.write_string(r, 1, str(u["name"]), f_td)
        ws.write_string(r, 2, "、".join(map(str, u.get("aliases", ()) or ())), f_td)
        ws.write_string(r, 3, YES if u.get("attachment1") else NO, f_td)
        ws.write_string(r, 4, YES if u.get("town") else NO, f_td)
    last = max(len(units) + 200, 300)
    for c in (3, 4):
        ws.data_validation(1, c, last, c, {"validate": "list", "source": [YES, NO]})
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, len(units), len(UNIT_HEADERS) - 1)
    print_setup(ws, (0, 0))

    ws = wb.add_worksheet(SHEET_GROUPS)
    for c, width in enumerate((22, 60, 22, 26)):
        ws.set_column(c, c, width)
    for c, h in enumerate(GROUP_HEADERS):
        ws.write_string(0, c, h, f_th)
    flag_label = {v: k for k, v in MEMBER_FLAGS.items()}
    for r, g in enumerate(registry.get("groups", ()), 1):
        ws.write_string(r, 0, str(g["name"]), f_td)
        ws.write_string(r, 1, "、".join(map(str, g.get("aliases", ()) or ())), f_td)
        ws.write_string(r, 2, flag_label[g["members_from"]], f_td)
        ws.write_string(r, 3, str(g.get("lead", "") or ""), f_td)
    ws.data_validation(1, 2, 50, 2, {"validate": "list", "source": list(MEMBER_FLAGS)})
    ws.freeze_panes(1, 1)
    print_setup(ws, (0, 0))
    write_tasks_sheet(wb, list(registry.get("tasks") or ()), units, {"th": f_th, "td": f_td})
    wb.set_properties({"title": f"{city}单位配置", "comments": "yongji-xls init"})
    wb.close()


# -- reading -------------------------------------------------------------------------------


def _say(problems: list[str], where: str, found: Problem) -> None:
    """Record ``found`` after its location 「<where>：」."""
    problems.append(found.located(f"{where}："))


def _header(ws: Any, wanted: tuple[str, ...], where: str, problems: list[str]) -> tuple[int, dict[str, int]] | None:
    """(header row, {header: 0-based column}) from the first rows of a sheet."""
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=5, values_only=True), 1):
        cols = {cell_text(v): c for c, v in enumerate(row) if cell_text(v)}
        if wanted[0] in cols or wanted[1] in cols:
            missing = [h for h in wanted if h not in cols]
            if missing:
                _say(problems, where, problem("config_header_columns_missing", row=r, headers="」「".join(missing)))
                return None
            return r, cols
    _say(problems, where, problem("config_header_not_found", headers="」「".join(wanted)))
    return None


def _rows(ws: Any, start: int) -> list[tuple[int, tuple[Any, ...]]]:
    return [
        (r, row)
        for r, row in enumerate(ws.iter_rows(min_row=start + 1, values_only=True), start + 1)
        if any(cell_text(v) for v in row)
    ]


def _flag(value: Any, where: str, header: str, problems: list[str]) -> bool:
    text = cell_text(value)
    if text in ("", NO, "N", "n", "0", "False", "FALSE", "×"):
        return False
    if text in (YES, "Y", "y", "1", "True", "TRUE", "√"):
        return True
    _say(problems, where, problem("config_not_yes_no", header=header, text=text))
    return False


def read_config(path: str | Path, regions: tuple[str, ...] = ("东部", "中部", "西部")) -> tuple[dict[str, Any], str]:
    """(units part of the raw spec, region) from 单位配置.xlsx; raises ConfigError listing
    every problem as 「文件 工作表「…」第n行：…。请…」."""
    import openpyxl

    p = Path(path)
    book = p.name
    if not p.is_file():
        raise ConfigError([problem("config_not_found", path=p)])
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise ConfigError([problem("book_unreadable", book=book, error_type=type(e).__name__)]) from e
    problems: list[str] = []
    try:
        if {"三级指标", "二级指标"} & set(wb.sheetnames) and SHEET_UNITS not in wb.sheetnames:
            raise ConfigError([problem("config_is_system", book=book)])
        for name in (SHEET_OFFICE, SHEET_UNITS, SHEET_GROUPS):
            if name not in wb.sheetnames:
                _say(problems, book, problem("config_sheet_missing", sheet=name))
        if problems:
            raise ConfigError(problems)
        office, region = _read_office(wb[SHEET_OFFICE], book, regions, problems)
        units = _read_units(wb[SHEET_UNITS], book, problems)
        groups = _read_groups(wb[SHEET_GROUPS], book, units, problems)
        tasks: list[dict[str, Any]] = []
        if SHEET_TASKS in wb.sheetnames:
            tasks = read_tasks_sheet(wb[SHEET_TASKS], book, units, groups, _header, problems)
        else:  # made before the tasks were county data: say so rather than run without them
            _say(problems, book, problem("config_tasks_sheet_missing", sheet=SHEET_TASKS))
    finally:
        wb.close()
    if problems:
        raise ConfigError(problems)
    out: dict[str, Any] = {"units": units, "groups": groups, "office": office, "source": book, "tasks": tasks}
    legacy = office.pop("document", "")
    title, number = split_plan(legacy)
    if title and not office.get("plan_title"):
        office["plan_title"] = title
        if number and not office.get("plan_number"):
            office["plan_number"] = number
    return out, region


def _read_office(ws: Any, book: str, regions: tuple[str, ...], problems: list[str]) -> tuple[dict[str, str], str]:
    found: dict[str, tuple[int, str]] = {}
    labels = {label: (key, required) for label, key, required, _ in OFFICE_ROWS}
    labels.update({label: (key, False) for label, key in LEGACY_ROWS.items()})
    for r, row in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
        label = cell_text(row[0]) if row else ""
        if label in labels:
            found[labels[label][0]] = (r, cell_text(row[1]) if len(row) > 1 else "")
    office: dict[str, str] = {}
    region = ""
    for label, key, required, _ in (*OFFICE_ROWS, *((lb, k, False, "") for lb, k in LEGACY_ROWS.items())):
        if key not in found:
            if required:
                here = location("sheet", book=book, sheet=SHEET_OFFICE)
                _say(problems, here, problem("config_row_missing", label=label))
            continue
        r, value = found[key]
        here = location("sheet_row", book=book, sheet=SHEET_OFFICE, row=r)
        if required and not value:
            _say(problems, here, problem("config_value_empty", label=label, row=r))
        if key == "region":
            if value and value not in regions:
                _say(problems, here, problem("config_region_invalid", value=value, regions="、".join(regions)))
            region = value
        elif value:
            office[key] = value
    return office, region


def _read_units(ws: Any, book: str, problems: list[str]) -> list[dict[str, Any]]:
    sheet = location("sheet", book=book, sheet=SHEET_UNITS)
    head = _header(ws, UNIT_HEADERS, sheet, problems)
    if head is None:
        return []
    hrow, cols = head
    owner: dict[str, str] = {}
    numbers: dict[int, int] = {}
    units: list[dict[str, Any]] = []
    pending: list[tuple[str, str, list[str]]] = []
    for r, row in _rows(ws, hrow):
        where = location("sheet_row", book=book, sheet=SHEET_UNITS, row=r)

        def cell(h: str, row: tuple[Any, ...] = row) -> Any:
            c = cols[h]
            return row[c] if c < len(row) else None

        name = cell_text(cell(H_NAME))
        if not name:
            _say(problems, where, problem("config_unit_name_empty", header=H_NAME))
            continue
        no_text = cell_text(cell(H_NO))
        try:
            no = int(no_text)
            if no <= 0:
                raise ValueError(no_text)
        except ValueError:
            _say(problems, where, problem("config_unit_no_invalid", name=name, no=no_text))
            no = 0
        if no and no in numbers:
            _say(problems, where, problem("config_unit_no_duplicate", no=no, row=numbers[no]))
        numbers.setdefault(no, r)
        aliases = _names(cell(H_ALIASES))
        if _norm(name) in owner:
            _say(problems, where, problem("config_unit_duplicate", name=name))
        owner.setdefault(_norm(name), name)
        pending.append((where, name, aliases))
        unit: dict[str, Any] = {"no": no, "name": name}
        if aliases:
            unit["aliases"] = [a for a in dict.fromkeys(aliases) if _norm(a) != _norm(name)]
        for header, flag in MEMBER_FLAGS.items():
            if _flag(cell(header), where, header, problems):
                unit[flag] = True
        units.append(unit)
    for where, name, aliases in pending:  # names first: an alias never takes a unit's own name
        for alias in aliases:
            key = _norm(alias)
            if owner.setdefault(key, name) != name:
                _say(problems, where, problem("config_alias_taken", alias=alias, owner=owner[key]))
    if not units and not any(sheet in p for p in problems):
        _say(problems, sheet, problem("config_no_units"))
    return units


def _read_groups(ws: Any, book: str, units: list[dict[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    sheet = location("sheet", book=book, sheet=SHEET_GROUPS)
    head = _header(ws, GROUP_HEADERS, sheet, problems)
    if head is None:
        return []
    hrow, cols = head
    names = {_norm(n): u["name"] for u in units for n in (u["name"], *u.get("aliases", ()))}
    groups: list[dict[str, Any]] = []
    for r, row in _rows(ws, hrow):
        where = location("sheet_row", book=book, sheet=SHEET_GROUPS, row=r)
        vals = {h: cell_text(row[c]) if c < len(row) else "" for h, c in cols.items()}
        name = vals[G_NAME]
        if not name:
            _say(problems, where, problem("config_group_name_empty", header=G_NAME))
            continue
        members = vals[G_MEMBERS]
        if members not in MEMBER_FLAGS:
            invalid = problem("config_group_members_invalid", name=name, members=members, member=H_MEMBER, town=H_TOWN)
            _say(problems, where, invalid)
            continue
        flag = MEMBER_FLAGS[members]
        member_names = [u["name"] for u in units if u.get(flag)]
        if not member_names:
            _say(problems, where, problem("config_group_empty", name=name, sheet=SHEET_UNITS, members=members))
            continue
        lead_text = vals[G_LEAD]
        lead = names.get(_norm(lead_text), "") if lead_text else member_names[0]
        if lead_text and not lead:
            _say(problems, where, problem("config_lead_unknown", lead=lead_text, sheet=SHEET_UNITS))
            continue
        if lead not in member_names:
            _say(problems, where, problem("config_lead_not_member", lead=lead, name=name, members=members))
            continue
        for alias in (name, *_names(vals[G_ALIASES])):
            if _norm(alias) in names:
                taken = problem("config_group_name_taken", alias=alias, unit=names[_norm(alias)])
                _say(problems, where, taken)
        group = {"name": name, "members_from": flag, "lead": lead}
        aliases = _names(vals[G_ALIASES])
        if aliases:
            group["aliases"] = aliases
        groups.append(group)
    return groups
