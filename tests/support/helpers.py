"""Test helpers: random valid values for a unit, and small workbooks from inline tables.

Filling by key lives in :mod:`yongji_xls.workbook.write.filler` (shared with the sample script and the
benchmark) and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from yongji_xls.system.model import Spec
from yongji_xls.system.shares import UnitShare
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.write import filler
from yongji_xls.workbook.write.filler import beside_cell, header_of, key_rows, locate  # noqa: F401 - re-exported for tests

_FILLED: dict[tuple[bytes, str], bytes] = {}


def fill_workbook(path: Path, values_by_key: Mapping[str, Any], out: Path | None = None, **kw: Any) -> Path:
    """:func:`yongji_xls.workbook.write.filler.fill_workbook`, remembered for the session.

    Many tests fill the same template with the same values; an openpyxl load and save costs
    ~0.1 s, so an identical call (same template bytes, same arguments in the same order) gets the
    bytes written the first time. ``repr`` keeps types apart (``1``, ``'1'``, ``True``, ``1.0``)
    and order (rows are filled in order); an argument whose ``repr`` is its address is not kept.
    """
    args = repr((dict(values_by_key), kw))
    key = (hashlib.sha256(Path(path).read_bytes()).digest(), args)
    target = Path(out or path)
    if key in _FILLED:
        target.write_bytes(_FILLED[key])
        return target
    filler.fill_workbook(path, values_by_key, out, **kw)
    if " at 0x" not in args:  # an address can be reused by another object: never a key
        _FILLED[key] = target.read_bytes()
    return target


_PARSED: dict[bytes, bytes] = {}


def load_workbook(path: Path) -> Any:
    """``openpyxl.load_workbook(path)``, parsed once per session for the same bytes.

    Tests that edit one exported workbook many ways (a case per broken cell) parse ~0.15 s of XML
    each time; the parse is kept pickled, keyed by the file's bytes (never by its path or an
    object), and every call gets its own fresh copy to edit and save.

    For the system workbook and the unit configuration a copy, edited and saved, writes the same
    parts as a fresh load does (checked for both, with rows never written touched and a row
    appended; only docProps' time differs). Not for templates: a copy of a template with lists
    saves fewer cell styles than a fresh load, and merged ranges in another order.
    """
    import pickle

    import openpyxl

    _pickle_dimensions_faithfully()
    data = Path(path).read_bytes()
    key = hashlib.sha256(data).digest()
    if key not in _PARSED:
        _PARSED[key] = pickle.dumps(openpyxl.load_workbook(path))
    return pickle.loads(_PARSED[key])


def _pickle_dimensions_faithfully() -> None:
    """openpyxl's row and column dimensions are ``defaultdict`` subclasses whose pickled form is a
    plain defaultdict's: the factory would come back as their ``reference`` and a row never touched
    would be a KeyError. Pickle them as class, factory, attributes and items instead."""
    import copyreg

    from openpyxl.utils.bound_dictionary import BoundDictionary
    from openpyxl.worksheet.dimensions import DimensionHolder

    for cls in (BoundDictionary, DimensionHolder):
        copyreg.pickle(
            cls, lambda d: (_empty_defaultdict, (type(d), d.default_factory), d.__dict__, None, iter(d.items()))
        )


def _empty_defaultdict(cls: type, factory: Any) -> Any:
    made = cls.__new__(cls)
    made.default_factory = factory
    return made


def submission_content(sub: Any) -> tuple:
    """What a submission holds, as plain values: figures, answers, tasks, list rows, contact."""
    return (
        {k: e.value for k, e in sub.values.items()},
        {k: (a.done, a.note, a.evidence) for k, a in sub.answers.items()},
        {k: (t.status, t.progress, t.plan) for k, t in sub.tasks.items()},
        {k: [dict(r.cells) for r in rows] for k, rows in sub.lists.items()},
        sub.contact,
    )


# -- random valid values ---------------------------------------------------------------------


def random_values(spec: Spec, share: UnitShare, seed: int = 0, list_rows: int = 3) -> dict[str, Any]:
    """Valid values for every key of a unit's share, as a unit would type them."""
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    for req in share.fields:
        kind = req.field.kind
        if kind == "count":
            out[req.key] = rng.randint(0, 50000)
        elif kind == "score":
            out[req.key] = round(rng.uniform(60, 99), 1)
        else:
            top = min(1e6, float(req.field.max)) if req.field.max is not None else 1e6
            out[req.key] = round(rng.uniform(0, top), 2)
    _consistent(spec, out, rng)
    for c in share.criteria:
        out[c.key] = {
            L.H_DONE: rng.choice(L.YES_NO),
            L.H_NOTE: f"{c.key}工作说明{rng.randint(1, 99)}",
            L.H_EVIDENCE: f"文件{rng.randint(1, 9)}号\n会议纪要{c.key}",
        }
    for ind in share.notes:
        out[f"{ind.key}.note"] = {L.H_NOTE: f"配合{ind.key}提供数据", L.H_EVIDENCE: "统计报表"}
    for t in share.tasks:
        out[t.key] = {L.H_STATUS: rng.choice(L.TASK_STATUSES), L.H_PROGRESS: f"{t.key}进展", L.H_PLAN: f"{t.key}计划"}
    for ls in share.lists:
        out[ls.key] = [_list_item(ls, rng, n) for n in range(list_rows)]
    return out


def _consistent(spec: Spec, out: dict[str, Any], rng: random.Random) -> None:
    """Random figures a careful unit could have typed: a part within its whole, each series year
    within ×0.8–1.3 of the one before (the relations of issue 20 check exactly this)."""
    from yongji_xls.system.keys import split_year, with_year
    from yongji_xls.system.parts import part_pairs

    series: dict[str, list[int]] = {}
    for key in out:
        base, year = split_year(key)
        if year is not None:
            series.setdefault(base, []).append(year)
    for base, years in series.items():
        years.sort()
        for prev, year in zip(years, years[1:]):
            value = out[with_year(base, prev)] * rng.uniform(0.8, 1.3)
            out[with_year(base, year)] = (
                round(value, 2) if isinstance(out[with_year(base, year)], float) else int(value)
            )
    for part, whole in part_pairs(spec):
        for key in [k for k in out if split_year(k)[0] == part]:
            other = with_year(whole, split_year(key)[1]) if split_year(key)[1] else whole
            if other in out and out[key] > out[other]:
                out[key], out[other] = out[other], out[key]


def _list_item(ls: Any, rng: random.Random, n: int) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for col in ls.columns:
        if col.choices:
            item[col.name] = rng.choice(col.choices)
        elif col.type == "year":
            item[col.name] = rng.choice([2023, 2024])
        elif col.type == "amount":
            item[col.name] = round(rng.uniform(10000, 90000), 2)
        elif col.type == "date":
            item[col.name] = dt.datetime(2024, rng.randint(1, 12), rng.randint(1, 28))
        else:
            item[col.name] = f"{ls.key}{col.name}{n}"
    return item


def expected_number(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


CONTACT = {"填报人": "张三", "联系电话": "0359-8021234", "分管领导": "李四", "填报日期": dt.datetime(2025, 1, 20)}


# -- small workbooks from inline tables (xlsxwriter: true error cells, cached formulas) --------


class Formula:
    """A formula cell with the cached value xlsxwriter should store (e.g. '#DIV/0!')."""

    def __init__(self, text: str, cached: Any):
        self.text, self.cached = text, cached


def meta_rows(unit: str, year: int = 2024, version: str = "2022") -> list[list[str]]:
    return [
        ["unit", unit],
        ["unit_no", "0"],
        ["year", str(year)],
        ["spec_version", version],
        ["template_version", L.TEMPLATE_VERSION],
    ]


def make_workbook(path: Path, sheets: Mapping[str, list[list[Any]]]) -> Path:
    """Write ``{sheet: rows}`` with xlsxwriter; ``Formula`` cells keep their cached value."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, Formula):
                    ws.write_formula(r, c, value.text, None, value.cached)
                elif value is not None:
                    ws.write(r, c, value)
    wb.close()
    return path


def write_outputs(result: Any, out_dir: Path) -> dict[str, Path]:
    """The whole output set through the library face; output name -> path."""
    from yongji_xls import api

    return api.write_outputs(result, out_dir).paths


def workbook_fonts(path: Path) -> list[str]:
    """The <font> entries of an xlsx's styles part, as XML text."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        return re.findall(r"<font>(.*?)</font>", z.read("xl/styles.xml").decode("utf-8"))


def assert_stock_chinese_faces(path: Path) -> None:
    """Every font is 宋体 or 黑体 with the GB2312 charset and no theme scheme (with a scheme Excel
    shows the theme's Calibri/等线 whatever name the format carries)."""
    import re

    fonts = workbook_fonts(path)
    assert fonts and {re.search(r'<name val="([^"]+)"', f).group(1) for f in fonts} <= {"宋体", "黑体"}, fonts
    assert all('<charset val="134"/>' in f and "<scheme" not in f for f in fonts), fonts
