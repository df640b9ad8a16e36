"""Cell formats and data-validation rules of the templates (look and input help, nothing else),
and the workbook factory and fonts every workbook the tool writes shares.

Kept apart from the writer so the colour legend, the Chinese input messages and the limits
(non-negative; integers for counts; 0–100 for the satisfaction score) are in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

INPUT_FILL = "#FFF2CC"  # light yellow: cells to fill
PREFILLED_FILL = "#DDEBF7"  # light blue: 已预填, a known figure the unit may keep or change
PROBLEM_FILL = "#FFC7CE"  # light red: a cell with a problem (feedback workbooks)
_VARIANT_FILL = {"prefilled": PREFILLED_FILL, "problem": PROBLEM_FILL}
READONLY_FILL = "#F2F2F2"  # light grey: template text
HEADER_FILL = "#D9D9D9"
DISABLED_FILL = "#BFBFBF"

# 宋体 and 黑体 ship with every Windows PC; charset 134 (GB2312) lets Excel/WPS on any locale pick them.
# "font_scheme": "none" matters: xlsxwriter marks every other font as the theme's minor font, and
# Excel then shows the theme's face (Calibri/等线) whatever name the format carries.
SONG: dict[str, Any] = {"font_name": "宋体", "font_charset": 134, "font_scheme": "none"}
HEI: dict[str, Any] = {"font_name": "黑体", "font_charset": 134, "font_scheme": "none"}
_BASE = {
    **SONG,
    "font_size": 11,
    "valign": "top",
    "text_wrap": True,
}
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "text_wrap": False},
    "section": {"bold": True, "font_size": 12, "font_color": "#1F4E79"},
    "label": {"bold": True},
    "text": {},
    "hint": {"italic": True, "font_color": "#595959"},
    "th": {"bold": True, "bg_color": HEADER_FILL, "border": 1, "align": "center", "valign": "vcenter"},
    "td": {"bg_color": READONLY_FILL, "border": 1},
    "key": {"font_color": "#808080", "text_wrap": False},
    "disabled": {"bg_color": DISABLED_FILL, "border": 1},
    "legend_input": {"bg_color": INPUT_FILL, "border": 1},
    "legend_readonly": {"bg_color": READONLY_FILL, "border": 1},
    "input": {"bg_color": INPUT_FILL, "border": 1, "locked": False},
}
_INPUT_NUM_FORMAT = {
    "date": "yyyy-mm-dd",
    "year": "0",
    "number": "General",
    "code": "@",
}  # code: text, so Excel keeps all 18 characters


class Styles:
    """Formats created once per workbook (xlsxwriter formats belong to one workbook)."""

    def __init__(self, workbook: Any):
        self._wb = workbook
        self._cache: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = self._wb.add_format({**_BASE, **_STYLES[name]})
        return self._cache[name]

    def input(self, kind: str, variant: str = "") -> Any:
        """Unlocked yellow input cell (light blue when prefilled, light red for a problem);
        dates and years get a display format."""
        name = f"input:{kind}:{variant}"
        if name not in self._cache:
            props = {**_BASE, **_STYLES["input"]}
            if variant in _VARIANT_FILL:
                props["bg_color"] = _VARIANT_FILL[variant]
            if kind in _INPUT_NUM_FORMAT:
                props["num_format"] = _INPUT_NUM_FORMAT[kind]
            if kind in ("number", "date", "year", "yesno", "status", "choice", "code"):
                props["text_wrap"] = False
            self._cache[name] = self._wb.add_format(props)
        return self._cache[name]


def _msg(
    title: str, message: str, error_title: str = "", error_message: str = "", error_type: str = "stop"
) -> dict[str, Any]:
    out: dict[str, Any] = {"input_title": title[:32], "input_message": message[:255]}
    if error_message:
        out.update(error_title=error_title[:32], error_message=error_message[:255], error_type=error_type)
    else:
        out["show_error"] = False
    return out


def validation(kind: str, label: str = "", source: str = "") -> dict[str, Any]:
    """The data-validation dict for an input cell of ``kind`` (Chinese prompts and alerts)."""
    if kind == "count":
        return {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            **_msg(
                "请填写整数",
                f"{label}：填写不小于0的整数，只填阿拉伯数字，不带单位。",
                "输入有误",
                "请填写不小于0的整数，不要填写文字、单位或小数。",
            ),
        }
    if kind == "amount":
        return {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            **_msg(
                "请填写数字",
                f"{label}：填写不小于0的数字（可带小数），不带单位、不写“约”“左右”。",
                "输入有误",
                "请填写不小于0的数字，不要填写文字或单位。",
            ),
        }
    if kind == "score":
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100,
            **_msg(
                "请填写百分制分值",
                f"{label}：填写0到100之间的分值，如96.5（不要填96.5%）。",
                "输入有误",
                "请填写0到100之间的分值，如96.5。",
            ),
        }
    if kind in ("yesno", "status", "choice"):
        prompt = {"yesno": "请从下拉列表选择“是”或“否”。", "status": "请选择：未启动、推进中、已完成。"}.get(
            kind, "请从下拉列表中选择。"
        )
        return {
            "validate": "list",
            "source": source,
            **_msg("请选择", prompt, "输入有误", "请从下拉列表中选择，不要手工输入其他内容。"),
        }
    if kind == "date":
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(2000, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            **_msg("请填写日期", "请按2024-06-15格式填写日期。", "日期格式", "请按2024-06-15格式填写日期。", "warning"),
        }
    if kind == "year":
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": 2000,
            "maximum": 2100,
            **_msg("请填写年度", "填写四位年份，如2024。", "输入有误", "请填写四位年份，如2024。"),
        }
    if kind == "contact":
        prompt = "请按2024-06-15格式填写日期。" if label == "填报日期" else f"请填写{label}。"
        return {"validate": "any", **_msg(label, prompt)}
    if label == "佐证材料":
        return {"validate": "any", **_msg("佐证材料", "每行写一份材料名称（单元格内换行：Alt+Enter）。")}
    return {"validate": "any", **_msg("请填写", f"请填写{label}。")}


def text_width(text: str, han: float = 1.7) -> float:
    """Display width in Excel column units (one unit = a digit of the body font); a Han character
    or full-width punctuation is about ``han`` units (1.7–1.8 in Excel and WPS).

    Counted from the UTF-8 length (C speed): ASCII is 1 byte, Han characters and full-width
    punctuation are 3, so the number of wide characters is (bytes − chars) / 2."""
    wide = (len(text.encode("utf-8")) - len(text)) / 2
    return len(text) + (han - 1) * wide


def fit_height(
    cells: Iterable[tuple[Any, float]], minimum: float = 15.0, han: float = 1.7, line: float = 14.0
) -> float:
    """Row height (points) for wrapped text, since Excel, WPS and LibreOffice do not grow rows
    of generated files on open (and never grow merged cells); at most Excel's 409 points.
    ``line``: points a line takes (14 for 10–11 pt text, 12 for 9 pt)."""
    lines = 1
    for value, width in cells:
        lines = max(lines, _wrapped_lines(str(value), max(width - 1.0, 4), han))
    return min(409.0, max(minimum, line * lines + 4))


@functools.lru_cache(maxsize=16384)
def _wrapped_lines(text: str, usable: float, han: float) -> int:
    """Lines ``text`` wraps to; memoised, since every template and feedback workbook repeats the
    same instruction, criterion and task texts (a messy run sizes ~4,000 rows)."""
    return sum(math.ceil(max(text_width(p, han), 1) / usable) for p in text.split("\n"))


def print_setup(
    ws: Any, repeat: tuple[int, int] | None, landscape: bool = True, fit_width: bool = True, center: bool = False
) -> None:
    """A4 with narrow margins, page numbers in the footer, ``repeat`` rows (first, last) on every
    page, fitted to the page width: the one print layout of every sheet this tool writes."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    if fit_width:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if center:
        ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    if repeat is not None:
        ws.repeat_rows(*repeat)


def new_workbook(path: Path | str | Any, font_size: int | None = None) -> Any:
    """Every workbook the tool writes: text stays text (nothing a unit typed becomes a formula, a
    number or a link), parts are built in memory (xlsxwriter otherwise writes ~20 temporary files
    a workbook). With ``font_size`` every format starts from 宋体 of that size; without it the
    caller's formats carry the font themselves (the templates, whose column widths assume
    xlsxwriter's default Normal style)."""
    import xlsxwriter

    options: dict[str, Any] = {
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "in_memory": True,
    }
    if font_size is not None:
        options["default_format_properties"] = {**SONG, "font_size": font_size}
    return xlsxwriter.Workbook(path if hasattr(path, "write") else str(path), options)


def header_sheet(wb: Any, name: str, columns: Sequence[tuple[str, float]], header_format: Any) -> Any:
    """A new worksheet with its columns' widths and a header row: the label/value sheets of the
    office configuration and the indicator-system workbook all start this way."""
    ws = wb.add_worksheet(name)
    for c, (title, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(0, c, title, header_format)
    return ws
