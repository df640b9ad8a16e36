"""Turn what people type into typed values, or into a catalogue code saying why not.

Shared by the workbook reader and ``score --values``. Nothing here knows about cells; callers
attach the location. Numbers become :class:`~decimal.Decimal` built from text, never via binary
floats (a float cell is taken through its shortest repr, which is what the user typed).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_AMBIGUOUS = re.compile(r"约|左右|大约|大概|上下|多|余|以上|以下|不足|超过|近|~|～|至|到|\d\s*[-—–]\s*\d|[?？]")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
YES = frozenset({"是", "√", "✓", "✔", "☑", "y", "yes", "true", "1", "已完成", "完成", "对", "有"})
NO = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "未完成", "无", "没有"})
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(20\d{2})(\d{2})(\d{2})$")  # 20250120
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_CN_DIGITS = dict(zip("〇零○Ｏ一二三四五六七八九", "0000123456789"))
_CN_DATE = re.compile(
    r"^([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(元|[一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?$"
)
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Characters nobody sees: zero-width space/joiners, word joiner, BOM, no-break spaces, soft hyphen.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00a0\u202f\u2007\u00ad]")


@dataclass(frozen=True)
class Parsed:
    """A parsed value, or the catalogue code of the problem; ``note`` is a warning code."""

    value: Any = None
    error: str = ""
    note: str = ""
    shown: str = ""
    params: Mapping[str, str] = field(default_factory=dict)  # the error's own parameters (a unit slip)

    @property
    def ok(self) -> bool:
        return not self.error


def clean_text(value: Any) -> str:
    """NFKC (full-width digits and punctuation to ASCII), trimmed, inner spaces kept: for what is
    matched or parsed (keys, headers, numbers, dates, choices). Text people read back (notes)
    goes through :func:`parse_text`, which keeps the ，。；（） they typed."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


MAX_NUMBER_CHARS = 40  # longer "numbers" are not typed by people; refusing them bounds the work
MAX_MAGNITUDE = 15  # decimal exponent beyond which no figure of a county is plausible (Excel keeps 15 digits)
MIN_MAGNITUDE = -10  # a non-zero figure smaller than 1e-10 is a typing accident, not data


def parse_number(
    value: Any,
    kind: str = "amount",
    unit: str = "",
    maximum: Decimal | None = None,
    slips: Mapping[str, Fraction] | None = None,
) -> Parsed:
    """Parse a number typed by a person and apply the field kind's constraints.

    kind: ``count`` (non-negative integer), ``amount`` (non-negative), ``score`` (0–100; a value
    in (0, 1] is taken as a fraction typed in a percent-formatted cell and scaled ×100).
    ``maximum`` is the field's plausibility bound (fields.yaml ``max``); ``slips`` the unit slips
    its ``unit`` admits (fields.yaml ``unit_slips``): a count between 0 and 1 that a larger unit
    makes whole (0.86 人 is 8600 typed in 万人) names the slip. The work is bounded
    whatever is typed: text is length-capped and the exponent is checked before any arithmetic
    (``1e999999999`` would otherwise become a billion-digit integer or string).
    """
    if is_blank(value):
        return Parsed()
    note, percent = "", False
    if isinstance(value, bool):
        return Parsed(error="value_not_number", shown=str(value))
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return Parsed(error="value_not_number", shown=str(value))
        number = Decimal(repr(value))
    elif isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return Parsed(error="value_not_number", shown=str(value))
    else:
        text = str(value)
        if _INVISIBLE.search(text):
            text, note = _INVISIBLE.sub("", text), "value_invisible_chars"
        text = clean_text(text)
        if len(text) > MAX_NUMBER_CHARS:
            return Parsed(error="value_not_number", shown=text[:MAX_NUMBER_CHARS] + "…")
        if text.upper() in EXCEL_ERRORS:
            return Parsed(error="value_error_cell", shown=text)
        compact = re.sub(r"\s+", "", text)
        if unit and compact.endswith(unit) and len(compact) > len(unit):
            compact = compact[: -len(unit)]
        if compact.endswith("%"):
            if kind != "score":
                return Parsed(error="value_not_number", shown=text)
            compact, note, percent = compact[:-1], note or "value_percent_sign", True
        if _THOUSANDS.match(compact):
            compact = compact.replace(",", "")
        if not _PLAIN.match(compact):
            code = "value_ambiguous" if _AMBIGUOUS.search(text) and re.search(r"\d", text) else "value_not_number"
            return Parsed(error=code, shown=text)
        try:
            number = Decimal(compact)
        except InvalidOperation:
            return Parsed(error="value_not_number", shown=text)
        note = note or "value_text_number"
    shown = _INVISIBLE.sub("", str(value)).strip() if not isinstance(value, float) else _typed(value)
    if not number.is_finite():
        return Parsed(error="value_not_number", shown=shown)
    if number and not MIN_MAGNITUDE <= number.adjusted() <= MAX_MAGNITUDE:
        return Parsed(error="value_implausible", shown=shown[:MAX_NUMBER_CHARS])
    if kind == "count" and 0 < number < 1:
        slip = _larger_unit(number, unit, slips or {}, maximum)
        if slip:
            return Parsed(error="value_not_integer_slip", shown=shown, params=slip)
    return _constrain(number, kind, note, shown, maximum, percent)


def _typed(value: float) -> str:
    """A float cell as it was typed: readers give ``-1.0`` for a typed -1 (quoted 「-1」)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _larger_unit(number: Decimal, unit: str, slips: Mapping[str, Fraction], maximum: Decimal | None) -> dict[str, str]:
    """The first larger unit (slip factor below 1) that makes ``number`` a whole count within
    ``maximum``, as the parameters of ``value_not_integer_slip``; empty when none does."""
    for slip, factor in slips.items():
        corrected = Fraction(number) / factor
        if factor < 1 and corrected.denominator == 1 and (maximum is None or corrected <= maximum):
            return {"slip": slip, "measure": unit, "corrected": str(corrected.numerator)}
    return {}


def _constrain(
    number: Decimal, kind: str, note: str, shown: str, maximum: Decimal | None = None, percent: bool = False
) -> Parsed:
    if number < 0:
        return Parsed(error="value_negative", shown=shown)
    if kind == "count" and number != number.to_integral_value():
        return Parsed(error="value_not_integer", shown=shown)
    if kind == "score":
        if 0 < number <= 1 and not percent:
            return Parsed(number * 100, note="value_percent_scaled", shown=shown)
        if number > 100:
            return Parsed(error="value_out_of_range", shown=shown)
    if maximum is not None and number > maximum:
        return Parsed(error="value_implausible", shown=shown)
    if kind == "count":
        number = Decimal(int(number))
    return Parsed(number, note=note, shown=shown)


def parse_yes_no(value: Any) -> Parsed:
    if value.__class__ is str:  # 是/否 as the dropdown writes them: no normalisation needed
        known = _YES_NO_AS_TYPED.get(value)
        if known is not None:
            return known
    if is_blank(value):
        return Parsed()
    if isinstance(value, bool):
        return Parsed(value)
    text = clean_text(value).lower()
    if isinstance(value, (int, float)) and value in (0, 1):
        return Parsed(bool(value))
    if text in YES:
        return Parsed(True)
    if text in NO:
        return Parsed(False)
    return Parsed(error="value_bad_done", shown=str(value))


_YES_NO_AS_TYPED = {
    text: Parsed(text in YES) for text in YES | NO if unicodedata.normalize("NFKC", text).strip().lower() == text
}  # the texts parse_yes_no would find unchanged by its normalisation


def parse_date(value: Any, default_year: int | None = None) -> Parsed:
    """Dates as typed: date cells, Excel serials, 2024-06-15, 2024/6/15, 2024.6.15, 2024年6月15日,
    2024年6月; with ``default_year`` also 6月15日 (the year a person leaves out: the deadline's)."""
    if is_blank(value):
        return Parsed()
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(value)))
    original = clean_text(value)
    text = _arabic_date(original)
    if text.isdigit() and 20000 < int(text) < 80000:  # a serial kept as text
        return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(text)))
    md = _MONTH_DAY.match(text) if default_year else None
    if md:
        try:
            return Parsed(dt.date(default_year or 0, int(md.group(1)), int(md.group(2))))
        except ValueError:
            return Parsed(error="value_bad_date", shown=original)
    m = _DATE.match(text) or _COMPACT_DATE.match(text) or _MONTH.match(text)
    if m:
        try:
            day = int(m.group(3)) if m.re is not _MONTH else 1
            return Parsed(dt.date(int(m.group(1)), int(m.group(2)), day))
        except ValueError:
            pass
    try:
        return Parsed(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return Parsed(error="value_bad_date", shown=original)


def _cn_number(text: str) -> int:
    """一..九, 十, 十一..十九, 二十..三十一 (a month or a day written in Chinese numerals)."""
    if "十" not in text:
        return int(_CN_DIGITS[text]) if len(text) == 1 else 0
    tens, _, units = text.partition("十")
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[units]) if units else 0)


def _arabic_date(text: str) -> str:
    """二〇二五年一月二十日 → 2025年1月20日, 二〇二五年元月 → 2025年1月: the way a 公文 dates itself;
    anything else unchanged (full-width digits were made ASCII by :func:`clean_text`)."""
    m = _CN_DATE.match(text)
    if not m:
        return text
    year = "".join(_CN_DIGITS[c] for c in m.group(1))
    month = 1 if m.group(2) == "元" else _cn_number(m.group(2))
    day = f"{_cn_number(m.group(3))}日" if m.group(3) else ""
    return f"{year}年{month}月{day}"


def parse_year(value: Any) -> Parsed:
    if is_blank(value):
        return Parsed()
    if isinstance(value, (dt.date, dt.datetime)):
        return Parsed(value.year)
    text = clean_text(value).rstrip("年")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text.isdigit() and len(text) == 4 and 1990 <= int(text) <= 2100:
        return Parsed(int(text))
    return Parsed(error="value_bad_year", shown=str(value))


def parse_choice(value: Any, choices: tuple[str, ...]) -> Parsed:
    if is_blank(value):
        return Parsed()
    text = re.sub(r"\s+", "", clean_text(value))
    for c in choices:
        if text == unicodedata.normalize("NFKC", c):
            return Parsed(c)
    return Parsed(error="value_bad_choice", shown=str(value))


def parse_text(value: Any) -> Parsed:
    """Free text: kept as typed (numbers typed into text cells are shown without '.0')."""
    if is_blank(value):
        return Parsed()
    if isinstance(value, float) and value.is_integer():
        return Parsed(str(int(value)))
    if isinstance(value, (dt.datetime, dt.date)):
        return Parsed(value.isoformat()[:10])
    return Parsed(str(value).strip())


def exact(value: Any) -> Fraction | None:
    """An exact Fraction from int/Decimal/str/float (float via its shortest repr), else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    try:
        return Fraction(Decimal(str(value).strip()))
    except Exception:  # noqa: BLE001 - anything unparseable is "no number"
        return None
