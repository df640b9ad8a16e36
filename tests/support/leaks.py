"""What must never reach a text a person reads: keys, CLI flags and commands, stray Latin words.

One detector for every test that walks the outputs (report, brief, workbooks' visible cells, web
pages, CLI summary), so they all agree on what a leak is. ``leaks(text)`` lists the offending
pieces; an empty list is a clean text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KEY = re.compile(
    r"(?<![A-Za-z0-9_.])(?:"
    r"national\.[A-Za-z_]*(?:@\d{4})?"  # national.mediation_success_rate@2024
    r"|[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:@\d{4})?"  # online_retail, online_retail@2023
    r"|[A-Za-z_]*@\d{4}"  # anything@2024
    r"|I\d{2}(?:\.\d+|\.note|@\d{4})?"  # I25, I25.2, I12.note, I01@2023
    r"|T\d{2}"  # T03
    r")(?![A-Za-z0-9_])"
)
FLAG = re.compile(r"(?<![A-Za-z0-9-])--[a-z][a-z-]*|yongji[-_]xls|python -m")
LATIN = re.compile(r"[A-Za-z]{2,}")
ALLOWED_LATIN = frozenset({"Excel", "WPS", "PDF", "Word"})
"""Product names a Chinese office text uses as they are; a test passes more (a file name's
extension, a unit's own words) through ``allow``."""


def leaks(text: str, allow: Iterable[str] = ()) -> list[str]:
    """The keys, flags and Latin words in ``text`` that no reader should see (``allow``: further
    Latin words accepted in this text, e.g. ``xlsx`` where a file name is shown)."""
    allowed = ALLOWED_LATIN | set(allow)
    found = [m.group(0) for m in KEY.finditer(text)]
    found += [m.group(0) for m in FLAG.finditer(text)]
    rest = FLAG.sub(" ", KEY.sub(" ", text))
    found += [w for w in LATIN.findall(rest) if w not in allowed]
    return found


def leaks_in(texts: Iterable[str], allow: Iterable[str] = ()) -> dict[str, list[str]]:
    """``text -> its leaks`` for every text of ``texts`` that has any (a failing assert shows them)."""
    allow = tuple(allow)
    return {t: found for t in texts if (found := leaks(t, allow))}


def typed_latin(result) -> set[str]:  # noqa: ANN001 - a RunResult
    """Latin words the units typed themselves (「MCN机构」「APP」, a credit code, a link): theirs to
    write, so a test walking an output allows them; a key or a flag is never among them."""
    import re

    typed = [a.note + " " + " ".join(a.evidence) for answers in result.answers.values() for a in answers]
    typed += [f"{p.progress} {p.plan}" for rows in result.tasks.values() for p in rows]
    typed += [" ".join(str(v) for v in r.cells.values()) for rows in result.lists.values() for r in rows]
    return {w for text in typed for w in re.findall(r"[A-Za-z]{2,}", text)}
