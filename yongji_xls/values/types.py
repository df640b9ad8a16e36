"""Typed forms of merged values that are not plain numbers: criterion answers and list rows, and
where a value came from (:class:`Source`: file, sheet, cell and unit)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    cell: str
    unit: str
    origin: str = ""  # e.g. 「预填（来源：…）」: the unit kept a figure prefilled in its template

    def __str__(self) -> str:
        return f"{self.file}｜{self.sheet}!{self.cell}" + (f"（{self.origin}）" if self.origin else "")

    def as_dict(self) -> dict[str, str]:
        d = {"file": self.file, "sheet": self.sheet, "cell": self.cell, "unit": self.unit}
        if self.origin:
            d["origin"] = self.origin
        return d


def place(source: Source | None) -> dict[str, str]:
    """``file``, ``sheet`` and ``cell`` of ``source`` (blank without one), to locate an Issue there."""
    return {"file": source.file, "sheet": source.sheet, "cell": source.cell} if source else {}


@dataclass(frozen=True)
class Answer:
    """One unit's answer to an evidence criterion (是否完成, 工作情况说明, 佐证材料)."""

    done: bool | None
    note: str = ""
    evidence: tuple[str, ...] = ()
    unit: str = ""
    source: Source | None = None

    @property
    def complete(self) -> bool:
        return bool(self.done) and bool(self.note.strip()) and bool(self.evidence)

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "note": self.note, "evidence": list(self.evidence), "unit": self.unit}


@dataclass(frozen=True)
class ListRow:
    """One row of a list sheet, keyed by the §2 headers."""

    cells: Mapping[str, Any]
    unit: str = ""
    source: Source | None = None
    at: Mapping[str, str] = field(default_factory=dict)  # column -> the cell it was typed in

    def get(self, column: str) -> Any:
        return self.cells.get(column)

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v)) for k, v in self.cells.items()
        }


# Separators between materials: every line break Excel, WPS and Word leave (CRLF, U+2028/2029,
# Word's Shift+Enter U+000B, form feed, NEL) and the list punctuation 、；;.
_SEPARATORS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85、；;")
_OPEN, _CLOSE = "《〈“「『", "》〉”」』"  # a title in book-title marks is one material, 、 or not
# A list marker at the start of an item or after a separator or space: 1. 1、 1) ① (一) 一、
_MARKER = re.compile(
    r"(?:(?:(?<=^)|(?<=[\s、；;,，]))(?:\d{1,2}\s*[.．、)）](?!\d)|[(（]\s*\d{1,2}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、)|[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]|[①-⑳㈠-㈩])\s*"
)
_SEPARATOR = re.compile("[" + re.escape("".join(sorted(_SEPARATORS))) + "]")
_TITLE_OPEN = re.compile("[" + _OPEN + "]")
_MAY_SPLIT = re.compile(
    "[\n\r\u2028\u2029\x0b\x0c\x85、；;①-⑳㈠-㈩]|[(（]\\s*(?:\\d|[一二三四五六七八九十])|\\d\\s*[.．)）]"
)


def split_evidence(text: Any) -> tuple[str, ...]:
    """Material names: one per line, also split on 、；; and at list markers (1. ① (一)).

    "材料A、材料B、材料C" is three materials; 《关于甲、乙的通知》 stays one (separators inside
    book-title marks and quotes do not split)."""
    if text is None:
        return ()
    if isinstance(text, (list, tuple)):
        return tuple(item for t in text for item in split_evidence(t))
    text = str(text)
    if not _MAY_SPLIT.search(text):  # one material (the common case): spare the character walk
        return (text.strip(),) if text.strip() else ()
    text = _MARKER.sub("\n", text)
    if not _TITLE_OPEN.search(text):  # no book-title mark or quote: every separator splits
        return tuple(s.strip() for s in _SEPARATOR.split(text) if s.strip())
    return _split_outside_titles(text)


def _split_outside_titles(text: str) -> tuple[str, ...]:
    """``text`` split at the separators that are not inside book-title marks or quotes."""
    items, current, depth = [], [], 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in _SEPARATORS and not depth:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return tuple(s.strip() for s in items if s.strip())


def without_placeholders(answer: Answer, empty: Callable[[str], bool]) -> Answer:
    """``answer`` with placeholder materials dropped and a placeholder 说明 blanked, so that it
    cannot count as evidence (DESIGN.md §3); ``empty`` is the system's
    :func:`~yongji_xls.system.placeholders.matcher`."""
    evidence = tuple(e for e in answer.evidence if not empty(e))
    note = "" if empty(answer.note) else answer.note
    if evidence == answer.evidence and note == answer.note:
        return answer
    return replace(answer, evidence=evidence, note=note)
