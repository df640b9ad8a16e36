"""What a regenerated template is prefilled with: values by key and header, never by address.

Two writers fill a unit's template instead of leaving it blank: the feedback workbook (every
value the tool accepted from the unit, problem cells highlighted) and ``templates --prefill``
(figures already known, in the 已预填 style). Both describe the content here and hand it to
:func:`.template_writer.write_workbook`, which places it by the one layout of :mod:`.layout`;
so a filled template has exactly the cells, validations and protection of a blank one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ACCEPTED, PREFILLED, PROBLEM = "accepted", "prefilled", "problem"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_text(value: Any) -> str:
    """Text without the control characters XML 1.0 cannot hold (a unit's file may carry them;
    Excel would show them as ``_x0001_``); U+000B, the Excel in-cell line break, becomes a newline."""
    return _ILLEGAL.sub("", str(value).replace("\x0b", "\n"))


@dataclass(frozen=True)
class CellFill:
    """One input cell: its value (None: left empty, e.g. a problem with nothing accepted), the
    look (:data:`ACCEPTED` plain input, :data:`PREFILLED` 已预填, :data:`PROBLEM` highlighted)
    and an optional comment (the problem and its fix, or where a prefilled figure came from)."""

    value: Any = None
    style: str = ACCEPTED
    comment: str = ""


@dataclass
class Fill:
    """Everything a filled template holds beyond the blank one.

    ``cells``: (row key, header) -> cell of a keyed row; ``lists``: list key -> rows, each
    header -> cell; ``contact``: 单位信息 label -> cell; ``meta``: extra ``_meta`` pairs (kind,
    round, based_on, …); ``front``: an optional first sheet (name, header row, rows) that is
    not a data sheet (no 字段键 header), e.g. the feedback workbook's 问题清单."""

    cells: dict[tuple[str, str], CellFill] = field(default_factory=dict)
    lists: dict[str, list[dict[str, CellFill]]] = field(default_factory=dict)
    contact: dict[str, CellFill] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    front: tuple[str, tuple[str, ...], list[list[str]]] | None = None

    def list_rows(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.lists.items()}

    def by_key(self) -> dict[str, dict[str, CellFill]]:
        """``cells`` grouped by row key (what the writer looks up once per row)."""
        out: dict[str, dict[str, CellFill]] = {}
        for (key, header), cell in self.cells.items():
            out.setdefault(key, {})[header] = cell
        return out

    def mark(self, target: tuple[str, str] | tuple[str, int, str] | str, comment: str, style: str = PROBLEM) -> bool:
        """Highlight a cell and add ``comment`` to it, keeping its value; a target is
        (key, header), (list key, row, header) or a 单位信息 label. False when the cell does
        not exist in this template (the problem is then only listed)."""
        if isinstance(target, str):
            book: dict[Any, CellFill] = self.contact
            slot: Any = target
        elif len(target) == 3:
            key, n, header = target  # type: ignore[misc]
            rows = self.lists.get(key)
            if rows is None or not 0 <= n < len(rows):
                return False
            book, slot = rows[n], header
        else:
            book, slot = self.cells, target
        old = book.get(slot, CellFill())
        text = f"{old.comment}\n{comment}" if old.comment and old.style == style else comment
        book[slot] = CellFill(old.value, style, text)
        return True
