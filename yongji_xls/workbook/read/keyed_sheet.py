"""Read one sheet that has a ``字段键`` header: rows by key, columns by header text.

Addresses never matter: the header row is searched for, each row's key says what it is
(field, criterion, note, list, task — :meth:`yongji_xls.system.model.Spec.key_kind`), and the key's row kind says
which headers hold the unit's input. Everything else a user could have typed is reported:

* above the header: any text that is not one of the template's banner texts;
* in the header row: any text that is not a template header (its whole column is "outside");
* in a keyed row: cells in columns without a template header, and cells under input headers
  the row's kind does not use (e.g. ``是否完成`` of a note row); a read-only cell (计量单位, 年度,
  数据项 …) that no longer holds the template's text is ``label_changed``, naming what was typed;
* in a row without key: it belongs to the list when it follows list rows or sits between the
  header and the first list row (inserted rows); otherwise its cells under input headers or
  outside the table are reported.

Ignored cells are reported per block (:func:`report_ignored`); a key met twice is settled by
``KeyedSheet._again`` (filled beats blank, two different filled rows are an error); merged ranges
over input cells are ``cells_merged``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ...issues import issue
from ...records import Entry, Submission, TaskProgress
from ...system.keys import is_task
from ...system.model import Spec
from ...system.placeholders import matcher
from ...system.shares import UnitShare, unit_share
from ...values.json_input import parse_list_row
from ...values.parse import parse_choice, parse_number, parse_text, parse_yes_no
from ...values.types import Answer, ListRow, Source, split_evidence
from .. import layout as L
from ..cells import a1, cell_text, filled_cells, is_empty
from .safety.xlsx_scan import CellMark

_PARAMS = dict.fromkeys(
    ("label", "scaled", "choices", "column", "kept", "detail", "field", "year", "expected", "other", "count"), ""
)


@dataclass
class ReadContext:
    """What all sheets of one file share: the unit's share, issues, keys already read."""

    spec: Spec
    sub: Submission
    share: UnitShare
    banners: frozenset[str]
    seen: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (sheet, row)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {read-only header: template text}
    present: set[str] = field(default_factory=set)  # keys of the share found in the file (list keys too)
    blank: dict[str, tuple[str, str]] = field(default_factory=dict)  # owned field left blank -> (sheet, cell)
    empty: Callable[[str], bool] = field(init=False)  # the system's placeholder test (:func:`matcher`)

    def __post_init__(self) -> None:
        self.empty = matcher(self.spec)

    @property
    def unit(self) -> str:
        return self.share.unit

    def add(self, code: str, sheet: str, cell: str = "", key: str = "", value: Any = "", **params: Any) -> None:
        self.sub.issues.append(
            issue(
                code,
                file=self.sub.file,
                sheet=sheet,
                cell=cell,
                key=key,
                value=value,
                unit=self.unit,
                **{**_PARAMS, **params},
            )
        )

    def source(self, sheet: str, cell: str) -> Source:
        return Source(self.sub.file, sheet, cell, self.unit)


def known_headers(spec: Spec) -> frozenset[str]:
    """Every header a template writes; memoised per spec (asked once per sheet read)."""
    return spec.derived.memo(_known_headers)


def _known_headers(spec: Spec) -> frozenset[str]:
    inputs = {h for hs in L.INPUT_HEADERS.values() for h in hs} | {h for ls in spec.lists for h in ls.headers}
    return frozenset({L.KEY_HEADER, *L.READONLY_HEADERS, *inputs})


def template_labels(spec: Spec, share: UnitShare, year: int) -> dict[str, dict[str, str]]:
    """key -> {read-only header: the text the template wrote}; memoised per spec, unit and year."""
    return spec.derived.memo(_template_labels, share.unit, year)


def _template_labels(spec: Spec, unit: str, year: int) -> dict[str, dict[str, str]]:
    return {
        row.key: {h: cell_text(v) for h, v in row.cells.items() if h in L.READONLY_HEADERS}
        for sheet in L.keyed_sheets(spec, unit_share(spec, unit, year), year)
        for row in sheet.rows
        if row.kind != "list"
    }


def find_header(grid: list[list[Any]]) -> tuple[int, int] | None:
    """(row, col) of the ``字段键`` cell within the first rows, or None."""
    for r, row in enumerate(grid[: L.HEADER_SEARCH_ROWS]):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() == L.KEY_HEADER:
                return r, c
    return None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


_INPUTS = {kind: frozenset(headers) for kind, headers in L.INPUT_HEADERS.items()}
_NO_INPUTS: frozenset[str] = frozenset()
BLOCK_MIN = 3  # up to this many ignored cells in one block are reported one by one


def _blocks(cells: list[tuple[int, int, Any]]) -> list[tuple[tuple[int, int, int, int], list[tuple[int, int, Any]]]]:
    """Group cells into blocks: consecutive rows (gap of at most one) whose column spans touch.

    Linear in the cells: only blocks ending on the previous two rows are still open."""
    out: list[list[Any]] = []  # [r0, c0, r1, c1, cells]
    open_blocks: list[list[Any]] = []
    by_row: dict[int, list[tuple[int, int, Any]]] = {}
    for cell in cells:
        by_row.setdefault(cell[0], []).append(cell)
    for r in sorted(by_row):
        row = by_row[r]
        lo, hi = min(c for _, c, _ in row), max(c for _, c, _ in row)
        open_blocks = [b for b in open_blocks if r - b[2] <= 2]
        block = next((b for b in open_blocks if lo <= b[3] + 1 and hi >= b[1] - 1), None)
        if block is None:
            block = [r, lo, r, hi, []]
            out.append(block)
            open_blocks.append(block)
        block[1], block[2], block[3] = min(block[1], lo), r, max(block[3], hi)
        block[4].extend(row)
    return [((b[0], b[1], b[2], b[3]), b[4]) for b in out]


def report_ignored(ctx: ReadContext, sheet: str, cells: list[tuple[int, int, Any]]) -> None:
    """Ignored cells of one sheet, per block: a few stray cells one by one, a pasted table as one range."""
    for (r0, c0, r1, c1), block in _blocks(cells):
        if len(block) <= BLOCK_MIN:
            for r, c, value in block:
                ctx.add("cell_ignored", sheet, a1(r, c), value=cell_text(value))
        else:
            ctx.add(
                "cells_ignored_block",
                sheet,
                a1(r0, c0),
                value=cell_text(block[0][2]),
                count=len(block),
                range=f"{a1(r0, c0)}:{a1(r1, c1)}",
            )


_INDICATOR_KEY = re.compile(r"(?<![A-Za-z])I0*(\d+)")


def _same_label(typed: str, expected: str) -> bool:
    """A label cell as the template wrote it (spacing and width aside); an indicator shown as its
    key (「I04」, templates before issue 19) is the same as its number (「4」)."""
    if typed == expected:  # the usual case: spare the normalisation
        return True

    def squash(text: str) -> str:
        return _INDICATOR_KEY.sub(r"\1", "".join(unicodedata.normalize("NFKC", text).split()))

    return squash(typed) == squash(expected)


def _content(item: Any) -> Any:
    """What a unit typed in a row, without where (to compare two rows of one key)."""
    if isinstance(item, Entry):
        return item.value
    if isinstance(item, Answer):
        return (item.done, item.note, item.evidence)
    return (item.status, item.progress, item.plan)


def _shown(item: Any) -> str:
    if isinstance(item, Entry):
        return item.raw or str(item.value)
    if isinstance(item, Answer):
        return "；".join(
            x for x in ({True: "是", False: "否"}.get(item.done, ""), item.note, "、".join(item.evidence)) if x
        )
    return "；".join(x for x in (item.status, item.progress, item.plan) if x)


class KeyedSheet:
    """Reads one keyed sheet into ``ctx.sub``; one instance per sheet."""

    def __init__(
        self,
        ctx: ReadContext,
        name: str,
        grid: list[list[Any]],
        header: tuple[int, int],
        marks: dict[tuple[int, int], CellMark],
        merges: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
        percent: set[tuple[int, int]] | None = None,
    ):
        self.ctx, self.name, self.grid, self.marks = ctx, name, grid, marks
        self.percent = percent or set()
        self.merges = merges or []
        self.ignored: list[tuple[int, int, Any]] = []
        self.unknown: list[int] = []  # rows whose key is not a key
        self.header_row, self.key_col = header
        self.cols: dict[str, int] = {}
        self.col_header: dict[int, str] = {}
        self.missing_reported: set[str] = set()
        self.not_asked_reported: set[str] = set()
        self.marked_rows = {r for r, _ in marks}
        self._plans: dict[frozenset[str], tuple[frozenset[int], dict[int, str]]] = {}

    def read(self) -> None:
        self._banner_and_header()
        self.ctx.sub.columns[self.name] = dict(self.col_header)
        self._read_rows()
        self._report_merges()
        self._report_ignored()

    def _read_rows(self) -> None:
        current_list = self._leading_list()  # (list key, asked) of the list rows above
        ctx, grid, key_col = self.ctx, self.grid, self.key_col
        asked, kind_of = ctx.share.keys, ctx.spec.key_kind
        read_row = {"field": self._field_row, "criterion": self._criterion_row, "note": self._note_row}
        read_row["task"] = self._task_row
        for r in range(self.header_row + 1, len(grid)):
            row = grid[r]
            raw = row[key_col] if key_col < len(row) else None
            key = raw.strip() if raw.__class__ is str else cell_text(raw)
            if not key:
                if current_list[0]:
                    if current_list[1]:
                        self._list_row(r, current_list[0])
                else:
                    self._extras(r, _NO_INPUTS)
                continue
            current_list = ("", False)
            kind = kind_of(key)
            if kind is None and is_task(key):
                self._task_gone(r, key)
            elif kind is None:
                self.unknown.append(r)
            elif key not in asked:
                if key not in self.not_asked_reported:
                    ctx.add("key_not_asked", self.name, a1(r, key_col), key=key)
                    self.not_asked_reported.add(key)
                current_list = (key, False) if kind == "list" else current_list
            elif kind == "list":
                current_list = (key, True)
                ctx.present.add(key)
                self._list_row(r, key)
            else:
                ctx.present.add(key)
                if self._first_time(r, key):
                    read_row[kind](r, key)
                else:
                    self._again(r, key, kind)
                self._extras(r, _INPUTS[kind], key)

    def _leading_list(self) -> tuple[str, bool]:
        """Rows inserted between the header and the first list row belong to that list."""
        for r in range(self.header_row + 1, len(self.grid)):
            key = cell_text(self._raw(r, self.key_col))
            if key:
                if self.ctx.spec.key_kind(key) == "list":
                    return key, key in self.ctx.share.keys
                break
        return "", False

    # -- layout checks -------------------------------------------------------------------
    def _banner_and_header(self) -> None:
        known = known_headers(self.ctx.spec)
        for r in range(self.header_row):
            for c, value in filled_cells(self.grid[r]):
                if cell_text(value) not in self.ctx.banners:
                    self._ignored(r, c, value)
        for c, value in filled_cells(self.grid[self.header_row]):
            text = cell_text(value)
            if c == self.key_col:
                continue
            if text in known and text not in self.cols:
                self.cols[text] = c
                self.col_header[c] = text
            else:
                self._ignored(self.header_row, c, value)

    def _plan(self, used: frozenset[str]) -> tuple[frozenset[int], dict[int, str]]:
        """For rows whose input headers are ``used``: the columns never looked at (the key, the
        inputs) and the read-only columns by header; any other filled cell is ignored. Made once
        per sheet and row kind instead of deciding every cell of every row again."""
        plan = self._plans.get(used)
        if plan is None:
            readonly = {c: h for c, h in self.col_header.items() if h in L.READONLY_HEADERS}
            skip = frozenset(
                {self.key_col, *(c for c, h in self.col_header.items() if h not in L.READONLY_HEADERS and h in used)}
            )
            plan = self._plans[used] = (skip, readonly)
        return plan

    def _extras(self, r: int, used: frozenset[str], key: str = "") -> None:
        labels = self.ctx.labels.get(key) if key else None
        skip, readonly = self._plan(used)
        checked: set[int] = set()  # read-only cells of this row that hold something
        for c, value in filled_cells(self.grid[r]):
            if c in skip:
                continue
            header = readonly.get(c)
            if header is None:
                self.ignored.append((r, c, value))
            elif labels is not None:
                checked.add(c)
                if header in labels:
                    self._check_label(r, c, header, labels[header], value, key)
        if labels:  # a label cell emptied is a change too
            cols = self.cols
            for header, expected in labels.items():
                c = cols.get(header)
                if expected and c is not None and c not in checked:
                    self._check_label(r, c, header, expected, "", key)

    def _check_label(self, r: int, c: int, header: str, expected: str, value: Any, key: str) -> None:
        if _same_label(cell_text(value), expected):
            return
        if is_task(key) and header in (L.H_TASK, L.H_TASK_TEXT):  # the plan was edited after the template
            no = self.ctx.spec.task(key).no
            typed = cell_text(value) or "（空白）"
            self.ctx.add(
                "task_changed_in_plan", self.name, a1(r, c), key, typed, column=header, expected=expected, no=no
            )
            return
        self.ctx.add(
            "label_changed", self.name, a1(r, c), key, cell_text(value) or "（空白）", column=header, expected=expected
        )

    def _task_gone(self, r: int, key: str) -> None:
        """A task row of a template made before the plan was edited, whose task the plan no longer
        has: named with the title the row carries, its typed progress reported, never read."""
        title_col = self.cols.get(L.H_TASK)
        title = cell_text(self._raw(r, title_col)) if title_col is not None else ""
        typed = any(cell_text(self._raw(r, self.cols[h])) for h in L.INPUT_HEADERS["task"] if h in self.cols)
        self.ctx.add(
            "task_not_in_plan",
            self.name,
            a1(r, self.key_col if title_col is None else title_col),  # the cell the office sees
            key,
            title or key,
            title=title or "（无名称）",
            typed="，本行填写的进展未计入" if typed else "",
        )

    def _ignored(self, r: int, c: int, value: Any) -> None:
        self.ignored.append((r, c, value))

    def _report_ignored(self) -> None:
        """Ignored cells, per block: a few stray cells one by one, a pasted table as one range.

        A few rows with an unrecognised key are an edited key (one issue each); many are a table
        pasted over the key column, whose cells join the ignored blocks."""
        if len(self.unknown) <= BLOCK_MIN:
            for r in self.unknown:
                self.ctx.add("key_unknown", self.name, a1(r, self.key_col), value=cell_text(self._raw(r, self.key_col)))
        else:
            self.ignored.extend((r, c, v) for r in self.unknown for c, v in filled_cells(self.grid[r]))
        report_ignored(self.ctx, self.name, self.ignored)

    def _report_merges(self) -> None:
        """Merged ranges over input cells: only the top-left cell keeps its content."""
        inputs = {c: h for h, c in self.cols.items() if h not in L.READONLY_HEADERS}
        for (r0, c0), (r1, c1) in self.merges:
            if r1 < self.header_row + 1 or (r0 == r1 and c0 == c1):
                continue
            hit = [inputs[c] for c in range(c0, c1 + 1) if c in inputs]
            if hit:
                self.ctx.add(
                    "cells_merged", self.name, a1(r0, c0), column="、".join(hit), range=f"{a1(r0, c0)}:{a1(r1, c1)}"
                )

    def _first_time(self, r: int, key: str) -> bool:
        seen = self.ctx.seen.get(key)
        if seen is None:
            self.ctx.seen[key] = (self.name, r)
            return True
        return False

    def _again(self, r: int, key: str, kind: str) -> None:
        """A key present twice: a filled row beats a blank one; two different filled rows are an error."""
        store: dict[str, Any] = {"field": self.ctx.sub.values, "task": self.ctx.sub.tasks}.get(
            kind, self.ctx.sub.answers
        )
        before = store.pop(key, None)
        getattr(self, f"_{kind}_row")(r, key)
        after = store.get(key)
        seen = self.ctx.seen[key]
        kept = f"第{seen[1] + 1}行" if seen[0] == self.name else f"工作表「{seen[0]}」第{seen[1] + 1}行"
        here = a1(r, self.key_col)
        if after is None:  # this copy is blank: nothing of it is lost (no issue when both are blank)
            if before is not None:
                store[key] = before
                self.ctx.add("key_duplicate", self.name, here, key=key, kept=kept)
        elif before is None:
            self.ctx.seen[key] = (self.name, r)
            self.ctx.add("key_duplicate", self.name, here, key=key, kept=f"工作表「{self.name}」第{r + 1}行")
        elif _content(before) == _content(after):
            store[key] = before
            self.ctx.add("key_duplicate", self.name, here, key=key, kept=kept)
        else:
            del store[key]
            self.ctx.add(
                "key_conflict",
                self.name,
                after.source.cell if after.source else here,
                key=key,
                value=_shown(after),
                kept=f"{before.source.sheet}!{before.source.cell}" if before.source else kept,
                other=_shown(before),
            )

    # -- cells ---------------------------------------------------------------------------
    def _raw(self, r: int, c: int) -> Any:
        row = self.grid[r]
        return row[c] if c < len(row) else None

    def _value(self, r: int, header: str, key: str) -> tuple[Any, str, bool]:
        """(raw value, A1 cell, bad): formulas and error values are reported here."""
        col = self.cols.get(header)
        if col is None:
            if header not in self.missing_reported:
                self.ctx.add("column_missing", self.name, key=key, column=header)
                self.missing_reported.add(header)
            return None, "", True
        cell, raw = a1(r, col), self._raw(r, col)
        mark = self.marks.get((r, col))
        if mark is not None:
            if mark.error:
                self.ctx.add("value_error_cell", self.name, cell, key, mark.error)
                return None, cell, True
            if not mark.cached:
                self.ctx.add("value_formula_no_cache", self.name, cell, key)
                return None, cell, True
            self.ctx.add("value_formula", self.name, cell, key, cell_text(raw))
        return raw, cell, False

    def _text(self, r: int, header: str, key: str) -> tuple[str, str, bool]:
        raw, cell, bad = self._value(r, header, key)
        return (parse_text(raw).value or "") if not bad else "", cell, bad

    # -- rows ----------------------------------------------------------------------------
    def _field_row(self, r: int, key: str) -> None:
        fld = self.ctx.spec.field(key)
        raw, cell, bad = self._value(r, L.H_VALUE, key)
        if bad or is_empty(raw):
            if not bad and cell and fld.owner == self.ctx.unit:
                self.ctx.blank.setdefault(key, (self.name, cell))
            return
        p = parse_number(raw, fld.kind, fld.unit, fld.max, self.ctx.spec.unit_slips.get(fld.unit))
        if p.error:
            self.ctx.add(p.error, self.name, cell, key, p.shown, label=fld.label, **p.params)
            self.ctx.sub.rejected[key] = cell_text(raw)
            return
        if p.note:
            self.ctx.add(p.note, self.name, cell, key, p.shown, scaled=_plain(p.value))
        if fld.kind != "score" and (r, self.cols[L.H_VALUE]) in self.percent:
            shown = f"{_plain(p.value * 100)}%"
            self.ctx.add(
                "value_percent_format",
                self.name,
                cell,
                key,
                shown,
                scaled=_plain(p.value),
                label=fld.label,
                measure=fld.unit,
            )
        self.ctx.sub.values[key] = Entry(key, p.value, self.ctx.source(self.name, cell), cell_text(raw))

    def _criterion_row(self, r: int, key: str, with_done: bool = True) -> None:
        done_raw, done_cell, done_bad = self._value(r, L.H_DONE, key) if with_done else (None, "", False)
        note, note_cell, note_bad = self._text(r, L.H_NOTE, key)
        evidence, ev_cell, ev_bad = self._text(r, L.H_EVIDENCE, key)
        if is_empty(done_raw) and not note and not evidence and not (done_bad or note_bad or ev_bad):
            return
        done = parse_yes_no(done_raw)
        if done.error:
            self.ctx.add(done.error, self.name, done_cell, key, done.shown)
            self.ctx.sub.rejected[key] = cell_text(done_raw)
        empty = self.ctx.empty
        items = split_evidence(evidence)
        real = [e for e in items if not empty(e)]
        if items and not real:
            self.ctx.add("evidence_placeholder", self.name, ev_cell, key, evidence)
        if empty(note):
            self.ctx.add("note_placeholder", self.name, note_cell, key, note)
        if with_done and done.value is None and not done.error and not done_bad and (note or evidence):
            self.ctx.add("done_missing", self.name, done_cell, key)
        if done.value is True and not items and not ev_bad:
            self.ctx.add("evidence_missing", self.name, ev_cell, key)
        elif done.value is True and not note.strip() and not note_bad:
            self.ctx.add("note_missing", self.name, note_cell, key)
        cell = done_cell if with_done and done_cell else note_cell
        self.ctx.sub.answers[key] = Answer(done.value, note, items, self.ctx.unit, self.ctx.source(self.name, cell))

    def _note_row(self, r: int, key: str) -> None:
        self._criterion_row(r, key, with_done=False)

    def _task_row(self, r: int, key: str) -> None:
        raw, cell, bad = self._value(r, L.H_STATUS, key)
        progress, _, p_bad = self._text(r, L.H_PROGRESS, key)
        plan, _, n_bad = self._text(r, L.H_PLAN, key)
        if is_empty(raw) and not progress and not plan and not (bad or p_bad or n_bad):
            return
        status = parse_choice(raw, L.TASK_STATUSES)
        if status.error:
            self.ctx.add("value_bad_status", self.name, cell, key, status.shown)
            self.ctx.sub.rejected[key] = cell_text(raw)
        self.ctx.sub.tasks[key] = TaskProgress(
            key, status.value or "", progress, plan, self.ctx.unit, self.ctx.source(self.name, cell)
        )

    def _blank_row(self, r: int) -> bool:
        """Nothing typed in the row (the pre-keyed list rows mostly): skip the per-cell work."""
        if r in self.marked_rows:
            return False
        key_col = self.key_col
        return all(v is None or v == "" or c == key_col for c, v in enumerate(self.grid[r]))

    def _list_row(self, r: int, key: str) -> None:
        if self._blank_row(r):
            return
        ls = self.ctx.spec.list_spec(key)
        raws: dict[str, Any] = {}
        cells: dict[str, str] = {}
        bad: set[str] = set()
        for col in ls.columns:
            raws[col.name], cells[col.name], is_bad = self._value(r, col.name, key)
            if is_bad:
                bad.add(col.name)
        self._extras(r, frozenset(ls.headers))
        if all(is_empty(v) for v in raws.values()) and not (bad - self.missing_reported):
            return
        for col in ls.columns:  # Excel keeps 15 significant digits: a code typed as a number has lost some
            raw = raws[col.name]
            if col.type == "code" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
                self.ctx.add("code_as_number", self.name, cells[col.name], key, cell_text(raw), column=col.name)
                raws[col.name] = None
                bad.add(col.name)
        typed, problems = parse_list_row(self.ctx.spec, key, raws)
        for name, p in problems:
            choices = "、".join(next(c.choices for c in ls.columns if c.name == name))
            self.ctx.add(p.error, self.name, cells[name], key, p.shown, choices=choices, label=name)
            self.ctx.sub.rejected[f"{key}[{len(self.ctx.sub.lists.get(key, []))}].{name}"] = cell_text(raws[name])
            bad.add(name)
        for col in ls.columns:
            if col.required and is_empty(raws[col.name]) and col.name not in bad:
                self.ctx.add("list_row_incomplete", self.name, cells[col.name], key, column=col.name)
        first = next((cells[c.name] for c in ls.columns if cells[c.name]), a1(r, self.key_col))
        self.ctx.sub.lists.setdefault(key, []).append(
            ListRow(typed, self.ctx.unit, self.ctx.source(self.name, first), cells)
        )
