"""The office's ``--reference`` file: national figures, checked line by line.

A figure typed here decides points, so every problem names the file and the line as the
editor shows it (YAML is read as nodes, which keep their line numbers). Problems that make a
figure unusable — the file missing or not YAML, an empty value, a duplicate key, NaN/INF, text —
are fatal and listed together (:class:`ReferenceFileError`); doubts — a name the
indicator system does not use, a year outside the assessed window, 0.58 where 58 % was meant —
become warning Issues that reach the CLI output and the run's issue list.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..issues import Issue, ProblemsError, issue, os_reason
from ..system.keys import REFERENCE_KEY, national_key, parse_key
from ..system.model import Reference, Spec

_NULLS = {"", "~", "null", "Null", "NULL"}
SOURCE = "--reference 文件"


def _value(raw: str) -> Decimal | None:
    """The figure typed (``7.3``, ``'7.3%'``), exactly; None when it is not a finite number."""
    text = raw.strip().rstrip("%").strip()
    try:
        dec = Decimal(text)
    except InvalidOperation:
        return None
    return dec if dec.is_finite() else None


def _is_nan_or_inf(raw: str) -> bool:
    t = raw.strip().lstrip("+-").lower()
    return t in (".nan", "nan", ".inf", "inf", "infinity")


class ReferenceFileError(ProblemsError):
    """The ``--reference`` file cannot be used; every fatal problem names the file and line."""

    fatal_code = "references_invalid"


def read_references(
    path: str | Path, spec: Spec | None = None, year: int | None = None
) -> tuple[tuple[Reference, ...], list[Issue]]:
    """National figures from ``path`` and the warnings about them; raises ReferenceFileError listing
    every fatal problem, each as 「文件名第N行：…」."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise ReferenceFileError([f"参考值文件「{p}」不存在，请检查路径和文件名"])
    try:
        text = p.read_text("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReferenceFileError([f"参考值文件「{p.name}」不是UTF-8编码的文本，请另存为UTF-8后重试"]) from e
    except OSError as e:
        raise ReferenceFileError([f"无法读取参考值文件「{p}」：{os_reason(e)}"]) from e
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else ""
        raise ReferenceFileError(
            [
                f"参考值文件「{p.name}」{where}不是有效的YAML：{getattr(e, 'problem', None) or e}。"
                "请按“national.名称@年份: 数值”每行一项填写"
            ]
        ) from e
    except RecursionError as e:  # brackets nested thousands deep: PyYAML's composer recurses per level
        raise ReferenceFileError(
            [f"参考值文件「{p.name}」不是有效的YAML：括号嵌套过深。请按“national.名称@年份: 数值”每行一项填写"]
        ) from e
    if root is None:
        raise ReferenceFileError([f"参考值文件「{p.name}」是空的，请按“national.名称@年份: 数值”每行一项填写"])
    if not isinstance(root, yaml.MappingNode):
        raise ReferenceFileError(
            [f"参考值文件「{p.name}」第{root.start_mark.line + 1}行：应为“national.名称@年份: 数值”形式的映射"]
        )
    names = set(spec.reference_labels) | set(spec.national_names()) if spec is not None else None
    window = set(spec.years(year or spec.default_year)) if spec is not None else None
    problems: list[str] = []
    warnings: list[Issue] = []
    seen: dict[str, int] = {}
    out: list[Reference] = []
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        where = f"{p.name}第{line}行"
        key = str(key_node.value).strip()
        m = REFERENCE_KEY.fullmatch(key)
        if not isinstance(key_node, yaml.ScalarNode) or not m:
            problems.append(f"{where}：键「{key}」格式应为 national.名称@年份，例如 national.online_retail_growth@2024")
            continue
        name, y = m.group(1), int(m.group(2))
        full = national_key(name, y)
        if full in seen:
            problems.append(f"{where}：「{full}」与第{seen[full]}行重复，请只保留一行")
            continue
        seen[full] = line
        if not isinstance(value_node, yaml.ScalarNode):
            problems.append(f"{where}：「{full}」的值应为一个数字")
            continue
        raw = str(value_node.value)
        if raw.strip() in _NULLS and value_node.style is None:
            problems.append(f"{where}：「{full}」没有填写数值，请填写数字或删除该行")
            continue
        if _is_nan_or_inf(raw):
            problems.append(f"{where}：「{full}」的值「{raw}」不是有限的数字，请填写实际数值")
            continue
        value = _value(raw)
        if value is None:
            problems.append(f"{where}：「{full}」的值「{raw}」不是数字，请只填写数字（如7.2，百分比不带%亦可）")
            continue
        if names is not None and name not in names:
            known = "、".join(sorted(names))
            warnings.append(
                issue("reference_unknown_name", file=p.name, key=full, where=f"第{line}行", name=name, known=known)
            )
        elif window is not None and y not in window:
            warnings.append(
                issue(
                    "reference_year_unused",
                    file=p.name,
                    key=full,
                    where=f"第{line}行",
                    year=y,
                    years="、".join(map(str, sorted(window))),
                )
            )
        if 0 < abs(value) <= 1:
            warnings.append(
                issue(
                    "reference_fraction", file=p.name, key=full, value=raw, where=f"第{line}行", percent=_percent(value)
                )
            )
        out.append(Reference(name, y, value, source=SOURCE))
    if problems:
        raise ReferenceFileError(problems)
    return tuple(out), warnings


def _percent(value: Decimal) -> str:
    return format((value * 100).normalize(), "f")


def check_value_years(spec: Spec, key: str, year: int | None) -> tuple[str, Any] | None:
    """For ``score --values``: (code, detail) when a yearly key lies outside what the run reads
    (the assessed years, and the base year of a growth), else None."""
    k = parse_key(key)
    if year is None or k is None or k.year is None:
        return None
    y = k.year
    years = set(spec.years(year))
    if k.kind == "national":
        name = k.base
        if name not in set(spec.reference_labels) | set(spec.national_names()):
            return "reference_unknown_name", name
        return ("reference_year_unused", "、".join(map(str, sorted(years)))) if int(y) not in years else None
    years.add(min(years) - 1)
    return ("value_year_unused", "、".join(map(str, sorted(years)))) if int(y) not in years else None
