"""Read one returned workbook into a :class:`~yongji_xls.records.Submission`.

python-calamine reads every format (.xlsx/.xlsm/.xls/.ods) about 20× faster than openpyxl;
for .xlsx/.xlsm/.ods the regex pass pre-flight makes over the sheet XML (:mod:`.xlsx_scan`, :mod:`.ods_scan`) adds
what calamine hides (formulas without a cached value, error values). For .xls (binary BIFF) the
same marks come from the FORMULA and BOOLERR records (:mod:`.xls_scan`, in the isolated worker).
The file is only ever read.

Decisions:

* The unit comes from ``_meta``, never from the file name. When ``_meta`` is missing or names
  an unknown unit, ``unit`` is None; when the year does not match (or ``_meta`` is damaged), the
  unit is set (so tracking can say who sent what) but an error is reported. In every one of
  these cases the Submission carries **no values, answers, lists or tasks** (only ``meta``,
  ``contact`` and the issues), so nothing from a wrong template can be merged by mistake.
  A different ``spec_version`` is only a warning; the file is read with the current system.
* Sheets are recognised by their ``字段键`` header, not their name: a renamed template sheet is
  still read. A template sheet name without that header → ``keycol_missing``; any other sheet
  with content → ``sheet_ignored``. ``_meta`` and ``_lists`` are never reported.
* On 填报说明 the 单位信息 values are found to the right of their labels; any other text that is
  not the template's own (:func:`.instructions.instruction_texts`) is reported ``cell_ignored``.
* Every string cell is cleaned once here (:mod:`.clean`) before anything reads it; keys the
  unit's template asked for and the file no longer holds are listed in one ``keys_missing``;
  issues are capped per file (:func:`cap_issues`). ``_meta.kind = breakdown`` (the tool's own
  output) is skipped; ``_meta.round`` orders a unit's files (:func:`yongji_xls.collect.merge.pick_files`).
* ``rows_filled`` counts filled scalar rows, answered criterion/note rows, task rows with any
  entry, and each list with at least one row — comparable with ``UnitShare.rows_asked``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ...issues import Severity, issue, os_reason
from ...records import Submission
from ...system.keys import note_key, year_of
from ...system.load import resolver_of
from ...system.model import Spec
from ...system.shares import unit_share
from ...system.unit_names import other_units_named
from ...values.parse import parse_date, parse_text
from .. import layout as L
from ..cells import a1, cell_text, filled_cells, is_empty
from ..instructions import instruction_texts
from .clean import Cleaned, clean_grid
from .keyed_sheet import KeyedSheet, ReadContext, find_header, report_ignored, template_labels
from .safety.xlsx_scan import SheetScan

_LABEL_TRIM = re.compile(r"[\s:：*＊]+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_workbook(
    spec: Spec,
    path: str | Path,
    display_name: str,
    year: int | None = None,
    kind: str | None = None,
    scans: dict[str, SheetScan] | None = None,
    data: bytes | None = None,
    digest: str = "",
) -> Submission:
    """Everything a unit typed in ``path``, typed and located, plus every problem found.

    ``kind``, ``scans`` and ``data`` are what pre-flight found: the format of the bytes ('xlsx',
    'xlsm', 'xls', 'ods'), the formula and error cells of each sheet, and the bytes it checked
    (so they are read once and calamine parses exactly what was vetted). Without ``kind``
    pre-flight runs here first, so the reader is safe on its own (calamine aborts the process on
    some hostile files). The content, not the name, picks the reader.
    """
    from python_calamine import CalamineWorkbook, PasswordError

    path = Path(path)
    sub = Submission(file=display_name, path=path)
    if kind is None:
        from .safety.preflight import preflight

        pre = preflight(path, display_name)
        if not pre.ok:
            sub.readable = False
            sub.issues.extend(pre.issues)
            return sub
        kind, scans, data, digest = pre.kind, pre.scans, pre.data, pre.digest
        sub.issues.extend(
            i for i in pre.issues if i.severity != Severity.INFO
        )  # a far cell cut out, say; format notes stay with run's pre-flight
    try:
        sub.mtime = path.stat().st_mtime
        if data is None:
            data = path.read_bytes()
        sub.digest = (
            digest or hashlib.sha256(data).hexdigest()
        )  # of the file as sent, even when pre-flight cut far cells
        if kind == "xls":
            from .safety.preflight import DEFAULT_LIMITS
            from .safety.xls_scan import cut_far_xls, scan_xls

            scans = scans or scan_xls(data)
            data, far = cut_far_xls(data, DEFAULT_LIMITS.max_rows, DEFAULT_LIMITS.max_cols)
            for sheet, cells in far.items():  # memory follows the cells present, not the farthest one
                shown = "、".join(cells[:5]) + (f"等{len(cells)}个" if len(cells) > 5 else "")
                sub.issues.append(issue("cells_far_cut", file=sub.file, sheet=sheet, count=len(cells), cells=shown))
    except OSError as e:
        return _unreadable(sub, "file_read_failed", detail=os_reason(e))
    second = _Second(kind, data)
    try:
        wb: Any = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        return _unreadable(sub, "file_encrypted")
    except Exception as e:  # noqa: BLE001 - calamine raises several error types for files it cannot parse
        wb = second.book()  # Excel, openpyxl or LibreOffice may open what calamine refuses: never "corrupt" yet
        if wb is None:
            return _unreadable(sub, "file_unreadable_format", what=KIND_TEXT.get(kind, "文件"), library=e)
    with wb:
        _read_book(spec, wb, scans or {}, sub, year, second)
    second.close()
    cap_issues(sub)
    return sub


MAX_ISSUES_PER_FILE = 200


def cap_issues(sub: Submission, limit: int = MAX_ISSUES_PER_FILE) -> None:
    """Keep at most ``limit`` issues of one file, errors first, in their order; one more line
    counts the rest, so a pasted ledger cannot flood the outputs (DESIGN.md §7)."""
    if len(sub.issues) <= limit:
        return
    rank = {"error": 0, "warning": 1, "info": 2}
    keep = sorted(sorted(range(len(sub.issues)), key=lambda n: rank.get(sub.issues[n].severity, 3))[:limit])
    kept = set(keep)
    dropped = [i for n, i in enumerate(sub.issues) if n not in kept]
    sub.issues = [sub.issues[n] for n in keep]
    errors = sum(1 for i in dropped if i.severity == Severity.ERROR)
    sub.issues.append(
        issue("issues_capped", file=sub.file, unit=sub.unit or "", count=len(dropped), errors=errors, limit=limit)
    )


KIND_TEXT = {
    "xlsx": "Excel工作簿（.xlsx）",
    "xlsm": "启用宏的Excel工作簿（.xlsm）",
    "xls": "Excel 97-2003工作簿（.xls）",
    "ods": "OpenDocument表格（.ods）",
    "xlsb": "Excel二进制工作簿（.xlsb）",
}


class _Second:
    """The second reader of this file (:mod:`.second_reader`), opened only if calamine fails."""

    def __init__(self, kind: str, data: bytes) -> None:
        self.kind, self.data, self._book, self._tried = kind, data, None, False

    def book(self) -> Any:
        if not self._tried:
            from .second_reader import second_book

            self._tried, self._book = True, second_book(self.kind, self.data)
        return self._book

    def close(self) -> None:
        if self._book is not None:
            self._book.close()


def _unreadable(sub: Submission, code: str, **params: Any) -> Submission:
    sub.readable = False
    sub.issues.append(issue(code, file=sub.file, **{"detail": "", **params}))
    return sub


Merges = list[tuple[tuple[int, int], tuple[int, int]]]


def _grid(wb: Any, name: str, sub: Submission, second: _Second | None = None) -> tuple[list[list[Any]] | None, Merges]:
    """The sheet as rows of cell values from A1 (so indexes are addresses), or None if unreadable
    (pre-flight has already bounded its extent), and its merged ranges ((row, col), (row, col))
    when the format says (calamine parses the sheet on every ``get_sheet_by_name``: once here).
    A sheet calamine cannot parse is read by the second reader before it is called unreadable."""
    try:
        sheet = wb.get_sheet_by_name(name)
        grid = sheet.to_python(skip_empty_area=False)
    except Exception as e:  # noqa: BLE001 - one broken sheet must not hide the others
        book = second.book() if second is not None and second.book() is not wb else None
        if book is not None and name in book.sheet_names:
            try:
                return book.get_sheet_by_name(name).to_python(), []
            except Exception:  # noqa: BLE001 - both readers failed: named below
                pass
        sub.issues.append(issue("sheet_unreadable", file=sub.file, sheet=name, library=e))
        return None, []
    try:
        merges = list(sheet.merged_cell_ranges or ())
    except Exception:  # noqa: BLE001 - merges only sharpen messages; never fail a file for them
        merges = []
    return grid, merges


def _report_absent(spec: Spec, ctx: ReadContext) -> None:
    """One warning listing every key the unit's template asked for and the file no longer holds."""
    share = ctx.share
    asked = [f.key for f in share.fields] + [c.key for c in share.criteria] + [note_key(i.key) for i in share.notes]
    asked += [ls.key for ls in share.lists] + [t.key for t in share.tasks]
    absent = [k for k in asked if k not in ctx.present]
    if not absent:
        return
    labels = [_key_label(spec, k) for k in absent]
    shown = "、".join(labels[:12]) + (f"等{len(labels)}项" if len(labels) > 12 else "")
    ctx.sub.issues.append(issue("keys_missing", file=ctx.sub.file, unit=ctx.unit, count=len(absent), items=shown))


def _key_label(spec: Spec, key: str) -> str:
    kind = spec.key_kind(key)
    if kind == "field":
        f = spec.field(key)
        return f"{f.label}（{year_of(key)}年）" if year_of(key) else f.label
    if kind == "list":
        return f"清单{key}"
    if kind == "task":
        return f"重点任务{key}"
    return f"评分要点{key}" if kind == "criterion" else f"{key.split('.')[0]}情况说明"


def _has_content(grid: list[list[Any]]) -> bool:
    return any(not is_empty(v) for row in grid for v in row)


def _read_book(
    spec: Spec, wb: Any, scans: dict[str, SheetScan], sub: Submission, year: int | None, second: _Second | None = None
) -> None:
    names = list(wb.sheet_names)
    read = {
        n: _grid(wb, n, sub, second) if n != L.SHEET_LISTS else (None, []) for n in names
    }  # _lists: dropdown sources, never read
    grids = {n: g for n, (g, _) in read.items()}
    merges = {n: m for n, (_, m) in read.items()}
    cleaned = {n: clean_grid(g) for n, g in grids.items() if g is not None}
    instructions = grids.get(L.SHEET_INSTRUCTIONS)
    labels: set[tuple[int, int]] = set()
    if instructions is not None:
        sub.contact, labels = read_contact(instructions)
    ok = _read_meta(spec, grids.get(L.SHEET_META), L.SHEET_META in names, sub, year)
    _report_cleaned(sub, cleaned)
    if instructions is not None:
        _filled_date(sub, instructions)
    if not ok:
        return
    _name_names_other_unit(spec, sub)
    share = unit_share(spec, sub.unit or "", sub.year or 0)
    ctx = ReadContext(
        spec, sub, share, L.banner_texts(spec, share, sub.year or 0), labels=template_labels(spec, share, sub.year or 0)
    )
    template_names = L.template_sheet_names(spec)
    for name in names:
        grid = grids[name]
        if (
            grid is None
            or name in (L.SHEET_META, L.SHEET_LISTS)
            or (name == L.SHEET_PROBLEMS and sub.meta.get("kind") == "feedback")
        ):
            continue
        if name == L.SHEET_INSTRUCTIONS:
            expected = instruction_texts(spec, share, sub.year or 0, sub.meta.get("deadline", ""))
            _instructions_extras(ctx, grid, labels, expected)
            continue
        header = find_header(grid)
        if header is not None:
            scan = scans.get(name, SheetScan())
            KeyedSheet(ctx, name, grid, header, scan.marks, merges.get(name) or scan.merges, scan.percent).read()
        elif _has_content(grid):
            sub.issues.append(
                issue(
                    "keycol_missing" if name in template_names else "sheet_ignored",
                    file=sub.file,
                    sheet=name,
                    unit=ctx.unit,
                )
            )
            if name in template_names:  # its keys are already reported with the sheet, not again as missing
                ctx.present.update(
                    row.key for s in L.keyed_sheets(spec, share, sub.year or 0) if s.name == name for row in s.rows
                )
    _report_absent(spec, ctx)
    mark_prefilled(sub)
    sub.rows_filled = (
        len(sub.values) + len(sub.answers) + len(sub.tasks) + sum(1 for rows in sub.lists.values() if rows)
    )
    _report_blank(spec, ctx)
    if sub.rows_filled and instructions is not None and not (sub.contact.get("填报人") and sub.contact.get("联系电话")):
        cell = next(
            (a1(r, c + 1) for r, row in enumerate(instructions) for c, v in enumerate(row) if _label(v) == "填报人"), ""
        )
        sub.issues.append(issue("contact_missing", file=sub.file, sheet=L.SHEET_INSTRUCTIONS, cell=cell, unit=ctx.unit))


def _report_blank(spec: Spec, ctx: ReadContext) -> None:
    """A template sent back with nothing typed is one warning (未填写, the unit is reminded); in a
    filled one, each figure the unit owns and left blank is a warning at its cell, naming the
    indicators that need it, so the unit gets it back in its feedback workbook."""
    sub = ctx.sub
    if sub.unfilled:
        sub.issues.append(issue("file_unfilled", file=sub.file, unit=ctx.unit))
        return
    for key, (sheet, cell) in ctx.blank.items():
        if key in sub.values or key in sub.rejected:
            continue
        fld = spec.field(key)
        label = f"{fld.label}（{year_of(key)}年）" if year_of(key) else fld.label
        items = "、".join(spec.indicator(k).name for k in fld.used_by)
        sub.issues.append(
            issue(
                "value_blank_needed",
                file=sub.file,
                sheet=sheet,
                cell=cell,
                key=key,
                unit=ctx.unit,
                label=label,
                items=items,
            )
        )


def _filled_date(sub: Submission, grid: list[list[Any]]) -> None:
    """填报日期 in the forms people type; 1月20日 takes the deadline's year. Unreadable: a warning,
    and the date is left out (it must not decide which of a unit's files counts)."""
    raw = sub.contact.get("填报日期", "")
    if not raw or _ISO_DATE.match(raw):
        return
    deadline = parse_date(sub.meta.get("deadline", ""))
    p = parse_date(raw, deadline.value.year if deadline.ok and deadline.value else None)
    if p.ok and p.value is not None:
        sub.contact["填报日期"] = p.value.isoformat()
        return
    del sub.contact["填报日期"]
    cell = next(
        (
            a1(r, c2)
            for r, row in enumerate(grid)
            for c, v in enumerate(row)
            if _label(v) == "填报日期"
            for c2 in range(c + 1, len(row))
            if cell_text(row[c2]) == raw
        ),
        "",
    )
    sub.issues.append(
        issue("filled_date_bad", file=sub.file, sheet=L.SHEET_INSTRUCTIONS, cell=cell, value=raw, unit=sub.unit or "")
    )


def _name_names_other_unit(spec: Spec, sub: Submission) -> None:
    """城东街道 sent 城西街道's template: the file name names a known unit other than ``_meta``'s."""
    named = other_units_named(spec, sub.file, sub.unit or "")
    if named:
        sub.issues.append(
            issue(
                "file_name_other_unit",
                file=sub.file,
                unit=sub.unit or "",
                named="、".join(f"「{u}」" for u in named[:3]),
                meta_unit=sub.unit or "",
            )
        )


def _report_cleaned(sub: Submission, cleaned: dict[str, Cleaned]) -> None:
    """One info line per sheet for control characters; one warning per over-long cell."""
    for name, found in cleaned.items():
        if found.controls:
            r, c = found.controls[0]
            sub.issues.append(
                issue(
                    "text_control_chars",
                    file=sub.file,
                    sheet=name,
                    unit=sub.unit or "",
                    count=len(found.controls),
                    first=a1(r, c),
                )
            )
        for r, c, length in found.too_long:
            sub.issues.append(
                issue("text_too_long", file=sub.file, sheet=name, cell=a1(r, c), unit=sub.unit or "", length=length)
            )


def _read_meta(spec: Spec, grid: list[list[Any]] | None, present: bool, sub: Submission, year: int | None) -> bool:
    """Fill unit/year/meta from ``_meta``; False when the file must not be read further."""
    if not present or grid is None:
        sub.issues.append(issue("meta_missing", file=sub.file, sheet=L.SHEET_META if present else ""))
        return False
    rows = {cell_text(row[0]): r for r, row in enumerate(grid) if row and cell_text(row[0])}
    sub.meta = {k: cell_text(grid[r][1]) if len(grid[r]) > 1 else "" for k, r in rows.items()}

    def report(code: str, name: str, **params: Any) -> bool:
        cell = a1(rows[name], 1) if name in rows else ""
        value = sub.meta.get(name, "")
        sub.issues.append(
            issue(code, file=sub.file, sheet=L.SHEET_META, cell=cell, value=value, unit=sub.unit or "", **params)
        )
        return False

    if sub.meta.get("kind") == L.KIND_BREAKDOWN:
        sub.readable = False
        sub.issues.append(issue("file_own_output", file=sub.file, detail="以前运行生成的任务分解表"))
        return False
    raw_unit = sub.meta.get("unit", "")
    if not raw_unit:
        return report("meta_bad", "unit", field="单位")
    sub.unit = resolver_of(spec).canonical(raw_unit)
    if sub.unit is None:
        return report("meta_unknown_unit", "unit")
    raw_year = sub.meta.get("year", "")
    if not (raw_year.isdigit() and len(raw_year) == 4):
        return report("meta_bad", "year", field="年度")
    sub.year = int(raw_year)
    if year is not None and sub.year != year:
        return report("meta_wrong_year", "year", year=year)
    raw_round = sub.meta.get("round", "")
    sub.round = int(raw_round) if raw_round.isdigit() and 0 < int(raw_round) < 100 else 1
    if sub.meta.get("spec_version", "") != spec.version:
        report("meta_wrong_version", "spec_version", expected=spec.version)
    return True


def _label(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return _trimmed(value) if len(value) <= _CACHED_LABEL_CHARS else _LABEL_TRIM.sub("", value.strip())


_CACHED_LABEL_CHARS = 1000


@functools.lru_cache(maxsize=1024)
def _trimmed(text: str) -> str:
    """A text without spaces, colons and stars; remembered, as every unit's 填报说明 repeats the
    template's own texts (bounded: at most 1,024 texts of at most 1,000 characters)."""
    return _LABEL_TRIM.sub("", text.strip())


def read_contact(grid: list[list[Any]]) -> tuple[dict[str, str], set[tuple[int, int]]]:
    """单位信息 by label text: the first non-empty cell right of each label; also returns the
    (row, col) of labels and values so they are not reported as ignored."""
    contact: dict[str, str] = {}
    used: set[tuple[int, int]] = set()
    for r, row in enumerate(grid):
        for c, value in filled_cells(row):
            label = _label(value)
            if label not in L.CONTACT_LABELS or label in contact:
                continue
            used.add((r, c))
            contact[label] = ""
            for c2 in range(c + 1, len(row)):
                if not is_empty(row[c2]):
                    contact[label] = _contact_value(label, row[c2])
                    used.add((r, c2))
                    break
    return {k: v for k, v in contact.items() if v}, used


def _contact_value(label: str, value: Any) -> str:
    if label == "填报日期":
        p = parse_date(value)
        if p.ok and p.value is not None:
            return p.value.isoformat()
    return str(parse_text(value).value or "")


def _instructions_extras(
    ctx: ReadContext, grid: list[list[Any]], used: set[tuple[int, int]], expected: frozenset[str]
) -> None:
    ignored = [
        (r, c, value)
        for r, row in enumerate(grid)
        for c, value in filled_cells(row)
        if (r, c) not in used and cell_text(value) not in expected
    ]
    report_ignored(ctx, L.SHEET_INSTRUCTIONS, ignored)


def mark_prefilled(sub: Submission) -> None:
    """Figures left as prefilled get the provenance 「预填（来源…）」 (called by the reader)."""
    source = sub.meta.get("prefill_source", "")
    if not source:
        return
    for key, entry in list(sub.values.items()):
        try:
            known = Decimal(sub.meta.get(f"prefill:{key}", "x"))
        except (InvalidOperation, ValueError):
            continue
        if known is not None and isinstance(entry.value, Decimal) and known == entry.value:
            sub.values[key] = replace(entry, source=replace(entry.source, origin=f"预填（来源：{source}）"))
