"""National figures entered in a form (the page's 参考值), kept as a ``--reference`` file.

The file written is the YAML the ``--reference`` reader reads, one figure a line; its source and
publication date ride along as a comment the reader ignores and this module reads back. Values
are written quoted, so nothing typed in a form can add a line or a key; the reader still judges
them (「约85」 is refused with its own message). Before the file replaces the previous one, the
same reader reads the candidate under the same file name: a fatal problem leaves the old file.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..files.atomic import write_text
from ..issues import Issue
from ..system.keys import REFERENCE_KEY, national_key
from ..system.model import Spec
from ..system.words import words
from .references import ReferenceFileError, read_references

_LINE = re.compile(
    r"^(?P<key>national\.[A-Za-z0-9_]+@\d{4})\s*:\s*(?P<value>\"(?:[^\"\\]|\\.)*\"|[^#]*?)\s*(?:#(?P<note>.*))?$"
)
_NOTE = re.compile(r"来源：(?P<source>.*?)(?:；发布日期：(?P<date>.*))?$")


@dataclass(frozen=True)
class Entry:
    """One figure as typed: value (percent number as text), source, publication date."""

    value: str = ""
    source: str = ""
    date: str = ""


def pending(spec: Spec, year: int) -> list[str]:
    """The national figures the rules compare against, for the assessed years, that the system
    does not ship (they stay 待核定 until the office enters them), as keys in rule order."""
    shipped = {(r.name, r.year) for r in spec.references}
    return [
        national_key(name, y) for name in spec.national_names() for y in spec.years(year) if (name, y) not in shipped
    ]


def read_entries(path: Path) -> dict[str, Entry]:
    """Key -> Entry of a reference file written here (or by hand, one ``key: value`` a line)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    out: dict[str, Entry] = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if not m or not REFERENCE_KEY.fullmatch(m["key"]):
            continue
        value = m["value"].strip()
        if value.startswith('"'):
            try:
                value = str(json.loads(value))
            except ValueError:
                pass
        note = _NOTE.search((m["note"] or "").strip())
        source, date = ((note["source"] or "").strip(), (note["date"] or "").strip()) if note else ("", "")
        out[m["key"]] = Entry(value, source, date)
    return out


def _one_line(text: str) -> str:
    return " ".join(str(text or "").split())


def render(entries: dict[str, Entry]) -> str:
    """The YAML text: a header comment, then ``key: "value"  # 来源：…；发布日期：…`` per figure."""
    lines = ["# 全国参考值（百分数直接写数字，85.3 表示 85.3%）。由网页“参考值”页保存，也可用记事本修改。"]
    for key in sorted(entries):
        e = entries[key]
        note = f"  # 来源：{_one_line(e.source)}；发布日期：{_one_line(e.date)}" if (e.source or e.date) else ""
        lines.append(f"{key}: {json.dumps(_one_line(e.value), ensure_ascii=False)}{note}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Saved:
    """What saving did: ``problems`` (fatal, nothing written) or the reader's ``warnings``."""

    problems: tuple[str, ...] = ()
    warnings: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def save(path: Path, entries: dict[str, Entry], spec: Spec, year: int) -> Saved:
    """Check ``entries`` with the ``--reference`` reader, then replace ``path`` atomically. Entries
    with nothing typed are left out; a source or date without a value is a problem."""
    path = Path(path)
    kept = {k: e for k, e in entries.items() if _one_line(e.value) or _one_line(e.source) or _one_line(e.date)}
    missing = [k for k, e in kept.items() if not _one_line(e.value)]
    if missing:
        return Saved(
            tuple(f"「{words(spec, k)}」填写了来源或日期，但没有填写数值。请填写数值，或清空该行" for k in missing)
        )
    if not kept:
        path.unlink(missing_ok=True)  # the reader refuses an empty file: no figures, no file
        return Saved()
    text = render(kept)
    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / path.name
        candidate.write_text(text, "utf-8")
        try:
            _, warnings = read_references(candidate, spec, year)
        except ReferenceFileError as e:
            return Saved(tuple(e.problems))
    write_text(path, text)
    return Saved((), tuple(warnings))
