"""Known values between rounds and years: exported in scores.json, read back by ``templates --prefill``.

scores.json carries a ``values`` section (:func:`submitted_values`): per unit, what its file in
use gave (figures with their cell, answers, lists, tasks, contact), with the file name and
sha256. ``templates --prefill SOURCE`` reads it back (:func:`load_known`) and prefills each
unit's template with what that unit itself supplied (never another unit's figure, so a
cross-check stays a check):

* same assessment year (a resubmission round): every value and the 单位信息 but 填报日期 (the
  new file's own date orders it after the old one), ``_meta.round`` = previous + 1;
* another year: only the year-series figures whose year the new template also asks for
  (a run of 2024 holds ``@2022..2024``; a 2025 template asks ``@2023..2025``).

Prefilled figures are recorded in ``_meta`` (``prefill:<key>``, ``prefill_source``); a figure
the unit leaves untouched is read with provenance 「预填（来源…）」
(:func:`yongji_xls.workbook.read.reader.mark_prefilled`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ...issues import TaskStatus, code_of, os_reason
from ...records import RunResult
from ...system.keys import is_note, year_of
from ...system.model import Spec
from .. import layout as L
from .fill import PREFILLED, CellFill, Fill

SCORES = "scores.json"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def submitted_values(result: RunResult) -> dict[str, Any]:
    """The ``values`` section of scores.json: unit -> what its file in use gave."""
    out: dict[str, Any] = {}
    for sub in result.submissions:
        if not (sub.used and sub.unit and sub.readable and sub.year) or sub.unit in out:
            continue
        out[sub.unit] = {
            "file": sub.file,
            "sha256": sub.digest,
            "year": sub.year,
            "round": sub.meta.get("round", "") or "1",
            "fields": {
                k: {"value": _plain(e.value), "sheet": e.source.sheet, "cell": e.source.cell}
                for k, e in sub.values.items()
            },
            "answers": {
                k: {"done": a.done, "note": a.note, "evidence": list(a.evidence)} for k, a in sub.answers.items()
            },
            "tasks": {
                k: {
                    "status": t.status,
                    "status_code": code_of(TaskStatus, t.status),
                    "progress": t.progress,
                    "plan": t.plan,
                }
                for k, t in sub.tasks.items()
            },
            "lists": {k: [{h: _plain(v) for h, v in r.cells.items()} for r in rows] for k, rows in sub.lists.items()},
            "contact": dict(sub.contact),
        }
    return out


@dataclass(frozen=True)
class Known:
    """What a previous run knew: its year, a description of the source, per-unit values."""

    year: int
    source: str
    units: dict[str, dict[str, Any]]


class PrefillError(ValueError):
    """SOURCE cannot be read (the Chinese sentence says why)."""


def load_known(source: str | Path) -> Known:
    """A previous run's output folder or its scores.json."""
    path = Path(source)
    if path.is_dir():
        path = path / SCORES
    try:
        doc = json.loads(path.read_text("utf-8-sig"))
    except OSError as e:
        raise PrefillError(
            f"无法读取预填来源「{path}」：{os_reason(e)}。请指定上次运行的输出文件夹或其中的scores.json"
        ) from e
    except json.JSONDecodeError as e:
        raise PrefillError(f"预填来源「{path.name}」不是有效的JSON（第{e.lineno}行第{e.colno}列附近有误）") from e
    except ValueError as e:  # not UTF-8
        raise PrefillError(f"预填来源「{path.name}」不是UTF-8编码的JSON文件") from e
    except RecursionError as e:  # arrays nested thousands deep
        raise PrefillError(f"预填来源「{path.name}」不是有效的JSON（括号嵌套过深）") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), dict) or not isinstance(doc.get("year"), int):
        raise PrefillError(
            f"预填来源「{path.name}」中没有已采用的填报数据（values）。请使用本版本工具运行后生成的scores.json"
        )
    when = str(doc.get("generated_at", ""))[:10]
    return Known(
        doc["year"], f"{doc['year']}年度汇总结果{path.name}" + (f"（{when}生成）" if when else ""), doc["values"]
    )


def _number(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def _date(text: Any) -> Any:
    import datetime as dt

    if isinstance(text, str) and len(text) == 10:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def fill_for(spec: Spec, known: Known, unit: str, year: int) -> Fill | None:
    """The prefill of ``unit``'s template for ``year``, or None when nothing is known."""
    from ...system.shares import unit_share

    data = known.units.get(unit)
    if not isinstance(data, dict):
        return None
    keys = unit_share(spec, unit, year).keys
    same_year = known.year == year
    fill = Fill()
    where = f"{data.get('file', '')}"

    def note(extra: str = "") -> str:
        return f"已预填：来源为{known.source}，{unit}报送的「{where}」{extra}。如有变化请直接修改。"

    for key, item in (data.get("fields") or {}).items():
        if key not in keys or not isinstance(item, dict) or (not same_year and year_of(key) is None):
            continue
        value = _number(item.get("value"))
        if value is None:
            continue
        fill.cells[(key, L.H_VALUE)] = CellFill(
            value, PREFILLED, note(f"{item.get('sheet', '')}!{item.get('cell', '')}")
        )
        fill.meta[f"prefill:{key}"] = str(item.get("value"))
    if same_year:
        _same_year(data, keys, fill, note())
    if not fill.cells and not fill.lists:
        return None
    fill.meta["prefill_source"] = f"{known.source}，{where}"
    if same_year:
        fill.meta["round"] = str(int(data["round"]) + 1 if str(data.get("round", "")).isdigit() else 2)
    return fill


def _same_year(data: dict[str, Any], keys: frozenset[str] | set[str], fill: Fill, comment: str) -> None:
    for key, a in (data.get("answers") or {}).items():
        if key not in keys or not isinstance(a, dict):
            continue
        if a.get("done") is not None and not is_note(key):
            fill.cells[(key, L.H_DONE)] = CellFill("是" if a["done"] else "否", PREFILLED, comment)
        if a.get("note"):
            fill.cells[(key, L.H_NOTE)] = CellFill(str(a["note"]), PREFILLED)
        if a.get("evidence"):
            fill.cells[(key, L.H_EVIDENCE)] = CellFill("\n".join(map(str, a["evidence"])), PREFILLED)
    for key, t in (data.get("tasks") or {}).items():
        if key in keys and isinstance(t, dict):
            for header, name in ((L.H_STATUS, "status"), (L.H_PROGRESS, "progress"), (L.H_PLAN, "plan")):
                if t.get(name):
                    fill.cells[(key, header)] = CellFill(str(t[name]), PREFILLED)
    for label, value in (data.get("contact") or {}).items():
        if label != "填报日期" and label in L.CONTACT_LABELS and value:  # the date is the new submission's own
            fill.contact[label] = CellFill(str(value), PREFILLED)
    for key, rows in (data.get("lists") or {}).items():
        if key in keys and isinstance(rows, list):
            fill.lists[key] = [
                {h: CellFill(_date(v), PREFILLED) for h, v in r.items() if v not in (None, "")}
                for r in rows
                if isinstance(r, dict)
            ]
