"""The one grammar of keys: every key a value, a score or a message carries is parsed and built here.

    online_retail@2024          a data field (``@YYYY`` only for a series field)
    I12  I04                    an indicator (and the list it owns: a list key is its indicator's key)
    I12.1                       a criterion of an indicator
    I12.note                    the 工作情况说明 row of an indicator (not scored)
    I01@2024                    a per-year part of an indicator's score
    national.online_share@2024  a national reference figure (``--reference`` files may omit ``national.``)
    T03                         a main task of the county's work plan (its 编号 3)

Parsing used to be done ad hoc in a dozen places (``partition("@")``, ``endswith(".note")``,
``startswith("national.")``) and two of them disagreed on what a key is; one definition keeps the
readers of workbooks, the values file, scoring and the writers agreeing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NATIONAL_PREFIX = "national."
NOTE_SUFFIX = ".note"
_YEAR = r"(?:@(?P<year>\d{4}))?"
_PATTERNS = (
    ("national", re.compile(r"national\.(?P<base>[a-z_][a-z_0-9]*)" + _YEAR)),
    ("note", re.compile(r"(?P<base>I\d{2})\.note")),
    ("criterion", re.compile(r"(?P<base>I\d{2}\.\d+)")),
    ("indicator", re.compile(r"(?P<base>I\d{2})" + _YEAR)),
    ("task", re.compile(r"(?P<base>T\d{2})")),
    ("field", re.compile(r"(?P<base>[a-z_0-9]+)" + _YEAR)),
)
NATIONAL_IN_TEXT = re.compile(r"national\.([a-z_]+)@(\d{4})")
"""A national key inside a sentence (a scorer's reason), for naming it in Chinese."""
REFERENCE_KEY = re.compile(r"(?:national\.)?([a-z_]+)@(\d{4})")
"""A key of a ``--reference`` file: ``national.name@YYYY`` or ``name@YYYY``."""


@dataclass(frozen=True)
class Key:
    """A parsed key: its ``kind`` (field, indicator, criterion, note, task, national), the part
    before any ``@`` (for a national key, the figure's name) and the year after it."""

    kind: str
    base: str
    year: int | None = None

    @property
    def indicator(self) -> str:
        """The indicator a criterion, note or indicator-part key belongs to ('' for others)."""
        return self.base[:3] if self.kind in ("indicator", "criterion", "note") else ""


def parse_key(text: str) -> Key | None:
    """The key ``text`` spells, or None when it follows no form of the grammar."""
    text = str(text).strip()
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            year = m.groupdict().get("year")
            return Key(kind, m.group("base"), int(year) if year else None)
    return None


def split_year(key: str) -> tuple[str, int | None]:
    """``("online_retail", 2024)`` for ``online_retail@2024``; the year is None without ``@YYYY``."""
    base, at, year = str(key).rpartition("@")
    if at and year.isdigit() and len(year) == 4:
        return base, int(year)
    return str(key), None


def base_of(key: str) -> str:
    """The key without its year: ``online_retail@2024`` → ``online_retail``."""
    return split_year(key)[0]


def year_of(key: str) -> int | None:
    return split_year(key)[1]


def with_year(base: str, year: int | None) -> str:
    """``online_retail@2024`` (``base`` alone when ``year`` is None)."""
    return f"{base}@{year}" if year is not None else base


def note_key(indicator: str) -> str:
    """``I12.note``: the 工作情况说明 row of an indicator."""
    return f"{indicator}{NOTE_SUFFIX}"


TASK_NUMBERS = range(1, 100)
"""A task's 编号 in the county's plan: its key is ``T`` and the number in two digits."""


def task_key(no: int) -> str:
    """``T03`` for the plan's task 3: the key is the office's own numbering, so a task keeps its
    key (and a returned template its rows) while the plan around it is edited."""
    return f"T{int(no):02d}"


def is_task(key: str) -> bool:
    k = parse_key(key)
    return k is not None and k.kind == "task"


def is_note(key: str) -> bool:
    k = parse_key(key)
    return k is not None and k.kind == "note"


def national_key(name: str, year: int) -> str:
    """``national.online_share@2024``."""
    return f"{NATIONAL_PREFIX}{name}@{year}"


def is_national(key: str) -> bool:
    return str(key).startswith(NATIONAL_PREFIX)


def national_ref_name(ref: object) -> str | None:
    """The figure a rule's ``ref: national.x`` names (x), or None for a plain number."""
    if isinstance(ref, str) and ref.startswith(NATIONAL_PREFIX) and ref[len(NATIONAL_PREFIX) :]:
        return ref[len(NATIONAL_PREFIX) :]
    return None
