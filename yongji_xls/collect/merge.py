"""Submissions → merged values with provenance, conflicts, duplicates and completeness.

Rules (DESIGN.md §2, §4): the owner's figure is authoritative; a cross-check unit's differing
figure is a conflict (both kept in the report, the owner's scored); when the owner sent
nothing, the cross-check figure is used and marked as such. Evidence answers of every unit are
kept. Lists are concatenated and de-duplicated by identity. Of several files of one unit the
newest wins by a stated rule (:func:`_newer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..issues import REFUSALS, Issue, Severity, Status, UnitState, issue, refusal
from ..records import Conflict, MergedValue, Submission, TaskProgress, UnitStatus
from ..scoring.display import join_some, show, show_number
from ..scoring.scorecard import Scorecard
from ..system.keys import base_of, is_note, year_of
from ..system.model import Spec
from ..system.shares import UnitShare, all_shares
from ..system.unit_names import other_units_named, unit_of_name
from ..values.identity import row_groups
from ..values.types import Answer, ListRow, place


@dataclass
class Merged:
    values: dict[str, Any] = field(default_factory=dict)
    merged: list[MergedValue] = field(default_factory=list)
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    lists: dict[str, list[ListRow]] = field(default_factory=dict)
    tasks: dict[str, list[TaskProgress]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    used: dict[str, Submission] = field(default_factory=dict)  # unit -> the file that counts
    substituted: dict[str, str] = field(default_factory=dict)  # key -> cross-check unit used for a blank owner
    refused: dict[str, str] = field(default_factory=dict)  # key -> 「约8600」不是确定的数字: the owner's figure refused


FINAL_WORDS = ("终稿", "定稿", "正式")
DRAFT_WORDS = ("初稿", "草稿", "征求意见")


def _filled_on(sub: Submission) -> dt.date | None:
    try:
        return dt.date.fromisoformat(sub.filled_date)
    except ValueError:
        return None


def _name_rank(sub: Submission) -> int:
    stem = Path(sub.file).stem
    return 1 if any(w in stem for w in FINAL_WORDS) else -1 if any(w in stem for w in DRAFT_WORDS) else 0


def _misnamed(sub: Submission) -> bool:
    """A file named for another unit than its template's (unit A filled unit B's template): it
    never outranks a file of B whose name and template agree (tester defect D5)."""
    return any(i.code == "file_name_other_unit" for i in sub.issues)


def _newer(a: Submission, b: Submission) -> tuple[int, str]:
    """Compare two files of one unit by the stated rule: (sign, the rule that decided).

    A file named for another unit never outranks one whose name agrees with its template, a
    filled file beats an untouched template; then the latest 填报日期; when the dates tie or one is
    missing: higher round (_meta.round), then a name with 终稿/定稿/正式 over one with
    初稿/草稿/征求意见, then the newer file time."""
    if _misnamed(a) != _misnamed(b):
        return (1 if _misnamed(b) else -1), "文件名与模板中的单位一致的文件优先于文件名写的是其他单位的文件"
    if a.unfilled != b.unfilled:
        return (1 if b.unfilled else -1), "已填写的文件优先于未填写的模板"
    da, db = _filled_on(a), _filled_on(b)
    if da and db and da != db:
        return (1 if da > db else -1), f"填报日期较晚（{max(da, db).isoformat()}）"
    if a.round != b.round:
        return (
            1 if a.round > b.round else -1
        ), f"填报日期{'相同' if da and db else '缺失'}，轮次较高（第{max(a.round, b.round)}轮反馈后重报）"
    ra, rb = _name_rank(a), _name_rank(b)
    if ra != rb:
        return (
            (1 if ra > rb else -1),
            f"填报日期{'相同' if da and db else '缺失'}，"
            f"文件名含“{'/'.join(FINAL_WORDS)}”优先于“{'/'.join(DRAFT_WORDS)}”",
        )
    if a.mtime != b.mtime:
        return (1 if a.mtime > b.mtime else -1), f"填报日期{'相同' if da and db else '缺失'}，文件修改时间较新"
    return (
        1 if a.file > b.file else -1 if a.file < b.file else 0
    ), f"填报日期{'相同' if da and db else '缺失'}且无其他区别，按文件名排序"


def pick_files(subs: list[Submission]) -> tuple[dict[str, Submission], list[Issue]]:
    """One file per unit by the stated rule (:func:`_newer`); the others are reported and marked
    unused, each message naming every file of the unit and the rule that decided."""
    by_unit: dict[str, list[Submission]] = {}
    for s in subs:
        if (
            s.unit
            and s.readable
            and not any(i.code.startswith("meta_") and i.severity == Severity.ERROR for i in s.issues)
        ):
            by_unit.setdefault(s.unit, []).append(s)
        else:
            s.used = False
    chosen, issues = {}, []
    for unit, files in by_unit.items():
        winner = files[0]
        for other in files[1:]:
            if _newer(other, winner)[0] > 0:
                winner = other
        chosen[unit] = winner
        names = "、".join(f"「{f.file}」" for f in files)
        for other in files:
            if other is winner:
                continue
            other.used = False
            if other.digest and other.digest == winner.digest:
                issues.append(issue("duplicate_same_content", file=other.file, unit=unit, winner=winner.file))
            else:
                issues.append(
                    issue(
                        "duplicate_submission",
                        file=other.file,
                        unit=unit,
                        winner=winner.file,
                        count=len(files),
                        files=names,
                        rule=_newer(winner, other)[1],
                    )
                )
    return chosen, issues


def refused_in(sub: Submission, key: str) -> str | None:
    """What the file said about its figure of ``key`` when it refused it (「「约8600」不是确定的
    数字」, quoted as typed), or None when the figure was not refused."""
    found = next((i for i in sub.issues if i.key == key and (i.severity == Severity.ERROR or i.code in REFUSALS)), None)
    if found is None:
        return None
    return refusal(found.code, sub.rejected.get(key) or found.value)


def refused_figures(
    spec: Spec, chosen: dict[str, Submission], values: dict[str, Any], withheld: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Key -> why the owner's figure is not scored, for every figure its owner typed and the run
    refused (at its cell, or ``withheld`` after the relations between figures): the reasons say
    it was not accepted, never that the owner left it blank (tester defect D6)."""
    out: dict[str, str] = {}
    for f in spec.fields:
        sub = chosen.get(f.owner)
        if sub is None:
            continue
        keys = {i.key for i in sub.errors if i.key and base_of(i.key) == f.key}
        keys |= {k for k in withheld if base_of(k) == f.key and k in sub.values}
        for key in sorted(keys):
            if key in values and key not in withheld and sub.values.get(key) is not None:
                continue
            said = refused_in(sub, key)
            if said is None and key in sub.values:
                said = refusal("withheld", show_number(Fraction(sub.values[key].value)))
            if said:
                out[key] = said
    return out


def unreadable_figures(spec: Spec, year: int, subs: list[Submission], merged: Merged) -> dict[str, str]:
    """Key -> 「「X.csv」文件无法读取」 for every figure asked of a unit whose only files could not be
    read (a password, a .csv; attributed by name, :func:`attribute_by_name`) and that no other
    unit's figure fills: the reasons say the unit's file was unusable, never that the unit left
    the figure blank."""
    files: dict[str, list[str]] = {}
    for s in subs:
        if s.unit and not s.readable and s.unit not in merged.used:
            files.setdefault(s.unit, []).append(s.file)
    shares = all_shares(spec, year)
    out: dict[str, str] = {}
    for unit, names in files.items():
        said = refusal("file_unusable", "、".join(names))
        for req in shares[unit].fields if unit in shares else ():
            if req.key not in merged.values or req.key in merged.substituted:
                out[req.key] = said
    return out


def _merge_fields(spec: Spec, chosen: dict[str, Submission], out: Merged) -> None:
    for f in spec.fields:
        for key in sorted({k for s in chosen.values() for k in s.values if base_of(k) == f.key}):
            owner_sub = chosen.get(f.owner)
            owner_entry = owner_sub.values.get(key) if owner_sub else None
            others = [(u, chosen[u].values[key]) for u in f.cross_check if u in chosen and key in chosen[u].values]
            entry, unit = (
                (owner_entry, f.owner)
                if owner_entry is not None
                else (others[0][1], others[0][0])
                if others
                else (None, "")
            )
            if entry is None:
                continue
            out.values[key] = entry.value
            year = f"{year_of(key)}年" if year_of(key) else ""
            label = f.label + (f"（{year}）" if year else "")
            out.merged.append(MergedValue(key, label, entry.value, unit, entry.source, f.unit))
            if owner_entry is None:
                out.substituted[key] = unit
                refused = refused_in(owner_sub, key) if owner_sub else None
                if refused:
                    out.refused[key] = refused
                out.issues.append(
                    issue(
                        "value_from_cross_check_refused" if refused else "value_from_cross_check",
                        file=entry.source.file,
                        sheet=entry.source.sheet,
                        cell=entry.source.cell,
                        key=key,
                        unit=f.owner,
                        label=label,
                        source_unit=unit,
                        refused=refused or "",
                    )
                )
                continue
            for other_unit, other in others:
                if Decimal(other.value) != Decimal(owner_entry.value):
                    out.conflicts.append(
                        Conflict(
                            key,
                            label,
                            f.owner,
                            owner_entry.value,
                            owner_entry.source,
                            other_unit,
                            other.value,
                            other.source,
                        )
                    )
                    out.issues.append(
                        issue(
                            "conflict",
                            file=other.source.file,
                            sheet=other.source.sheet,
                            cell=other.source.cell,
                            key=key,
                            unit=other_unit,
                            label=label,
                            owner=f.owner,
                            owner_value=show_number(Fraction(owner_entry.value)),
                            owner_cell=str(owner_entry.source),
                            other=other_unit,
                            other_value=show_number(Fraction(other.value)),
                        )
                    )


def _merge_lists(spec: Spec, chosen: dict[str, Submission], out: Merged) -> None:
    for ls in spec.lists:
        seen: dict[str, ListRow] = {}
        rows: list[ListRow] = []
        given = [row for unit in ls.units if unit in chosen for row in chosen[unit].lists.get(ls.key, ())]
        present = any(ls.key in chosen[u].lists for u in ls.units if u in chosen)
        groups, two_codes = row_groups([r.cells for r in given], ls.identity, ls.identity_combined)
        ident_of = {id(r): g for r, g in zip(given, groups)}
        for name, codes in two_codes:
            first = next(r for r in given if str(r.get(ls.identity[1]) or "").strip() == name)
            out.issues.append(
                issue(
                    "list_name_two_codes",
                    **place(first.source),
                    key=ls.key,
                    unit=first.unit,
                    name=name,
                    codes="、".join(codes),
                )
            )
        for unit in ls.units:
            sub = chosen.get(unit)
            if sub is None or ls.key not in sub.lists:
                continue
            for row in sub.lists[ls.key]:
                ident = ident_of[id(row)]
                if ident and ident in seen:
                    first = seen[ident]
                    out.issues.append(
                        issue(
                            "list_duplicate",
                            **place(row.source),
                            key=ls.key,
                            unit=unit,
                            other=f"{first.unit}「{first.source.file if first.source else ''}」",
                        )
                    )
                    continue
                if ident:
                    seen[ident] = row
                rows.append(row)
        if present:
            out.lists[ls.key] = rows
            out.values[ls.key] = rows


def attribute_by_name(spec: Spec, subs: list[Submission], chosen: dict[str, Submission]) -> None:
    """A file that could not be read (a password, a .csv) has no ``_meta`` to say whose it is: when
    its name names one unit that has no usable file, it is that unit's (and its issues name the
    unit), so the unit is 需重报 with the reason and the fix, not 未报送 (tester defect D4)."""
    for sub in subs:
        if sub.unit is None and not sub.readable:
            unit = unit_of_name(spec, sub.file)
            if unit and unit not in chosen:
                sub.unit = unit
                sub.issues = [i if i.unit else replace(i, unit=unit) for i in sub.issues]


def merge(spec: Spec, subs: list[Submission]) -> Merged:
    out = Merged()
    chosen, dup_issues = pick_files(subs)
    attribute_by_name(spec, subs, chosen)
    out.used = chosen
    out.issues.extend(dup_issues)
    _merge_fields(spec, chosen, out)
    _merge_lists(spec, chosen, out)
    for sub in chosen.values():
        for key, ans in sub.answers.items():
            out.answers.setdefault(key, []).append(ans)
        for key, prog in sub.tasks.items():
            out.tasks.setdefault(key, []).append(prog)
    for key, answers in out.answers.items():
        if not is_note(key):
            out.values[key] = answers
    return out


def at_stake(card: Scorecard, unit: str) -> tuple[Fraction, list[str]]:
    """Points not earned on missing items this unit must supply: items where it is the only
    supplier named (data owners) or the indicator's lead. Items shared by many units are not
    charged to each of them, which would count the same points dozens of times."""
    total, items = Fraction(0), []
    for ind in card.indicators:
        for c in ind.criteria:
            if (
                c.status == Status.MISSING
                and unit in c.units
                and c.score < c.max
                and (len(c.units) == 1 or ind.lead == unit)
            ):
                total += c.max - c.score
                items.append(c.key)
    return total, items


def unit_statuses(
    spec: Spec, year: int, subs: list[Submission], chosen: dict[str, Submission], card: Scorecard
) -> tuple[list[UnitStatus], list[Issue]]:
    """One row per unit asked for something: state, file, contact, completeness, points at stake."""
    shares: dict[str, UnitShare] = all_shares(spec, year)
    named_for = {id(s): other_units_named(spec, s.file, s.unit or "") for s in subs if _misnamed(s)}
    rows, issues = [], []
    for unit, share in shares.items():
        sent = [s for s in subs if s.unit == unit or unit in named_for.get(id(s), ())]
        files = [s.file for s in sent]
        sub = chosen.get(unit)
        points, items = at_stake(card, unit)
        if sub is None:  # a unit that sent only files it cannot use (or another unit's template) must send again
            state = UnitState.RESUBMIT if files else UnitState.NOT_SUBMITTED
        elif sub.unfilled:
            state = UnitState.UNFILLED
        else:
            state = UnitState.RESUBMIT if sub.errors else UnitState.SUBMITTED
        row = UnitStatus(
            unit=unit,
            no=spec.unit(unit).no,
            state=state,
            files=files,
            used_file=sub.file if sub else "",
            contact=dict(sub.contact) if sub else {},
            submitted_at=sub.filled_date if sub else "",
            rows_asked=share.rows_asked,
            rows_filled=sub.rows_filled if sub else 0,
            errors=len(sub.errors) if sub else sum(len(s.errors) for s in sent),
            warnings=sum(1 for i in sub.issues if i.severity == Severity.WARNING) if sub else 0,
            points_at_stake=points,
            items_at_stake=items,
        )
        rows.append(row)
        if not files:
            shown = join_some(items, 8) if items else "暂无直接失分"
            issues.append(issue("unit_not_submitted", unit=unit, points=show(points), items=shown))
    return rows, issues
