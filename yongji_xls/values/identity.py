"""Which list rows are the same real-world item (DESIGN.md §3, "List identity").

Two modes, chosen by the list's spec:

* fallback (I04, I34): the first identity column (统一社会信用代码, 文号或标准号) decides when
  present; a row without it is the same item as a row whose normalised second column (企业名称,
  成果名称) matches. One name under two different codes counts as two items and is reported.
* combined (I32, I33): all identity columns together (认可事项 + 认可机关, 报道标题 + 媒体名称).

Texts are compared after NFKC (full-width brackets, letters and digits to half-width), with
spaces removed and case folded, so 永济市（某）公司 and 永济市(某)公司 are one enterprise.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any


def normalised(value: Any) -> str:
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def row_groups(
    rows: Sequence[Mapping[str, Any]], identity: Sequence[str], combined: bool = False
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """A group id per row ("" when the row carries no identity) and the (name, codes) of names
    found under more than one code."""
    if not identity:
        return [""] * len(rows), []
    if combined:
        ids = []
        for row in rows:
            parts = [normalised(row.get(c)) for c in identity]
            ids.append("|".join(parts) if any(parts) else "")
        return ids, []
    primary, secondary = identity[0], identity[1] if len(identity) > 1 else None
    codes_of: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for row in rows:
        code, name = normalised(row.get(primary)), normalised(row.get(secondary)) if secondary else ""
        if code and name:
            known = codes_of.setdefault(name, [])
            if code not in known:
                known.append(code)
            shown.setdefault(name, str(row.get(secondary)).strip())
    ids = []
    for row in rows:
        code, name = normalised(row.get(primary)), normalised(row.get(secondary)) if secondary else ""
        if code:
            ids.append(f"{primary}:{code}")
        elif name and codes_of.get(name):
            ids.append(f"{primary}:{codes_of[name][0]}")
        elif name:
            ids.append(f"{secondary}:{name}")
        else:
            ids.append("")
    conflicts = [(shown[n], codes) for n, codes in codes_of.items() if len(codes) > 1]
    return ids, conflicts
