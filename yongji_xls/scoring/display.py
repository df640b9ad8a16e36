"""How figures and reasons read: rounding that never contradicts the verdict, merged clauses.

Scoring compares exactly (Fractions); this module only decides what a person sees. The rule:
a displayed comparison must read true. Two figures are shown with the fewest decimals (at least
``MIN_PLACES``, at most ``MAX_PLACES``) at which the shown numbers compare the way the exact ones
do; a figure that is exact with fewer decimals is shown exactly (5 %, 21.5 %). When even
``MAX_PLACES`` cannot separate them, the sentence says 「略高于/略低于」 and gives the exact
difference instead of printing two equal-looking numbers under "高于". Rounding is 四舍五入
(half away from zero), as people expect, not Python's banker's rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..coded_text import code_of
from ..values.figures import MAX_PLACES, fixed, plain, shown, terminating_places
from .reasons import phrase, reason

MIN_PLACES = 1
SIGNIFICANT = 3  # digits of a non-terminating difference (shown with 约)


def count(x: Any) -> str:
    """A count is an integer: 「0件」, never 「0.0件」."""
    f = Fraction(x)
    return str(int(f)) if f.denominator == 1 else plain(f)


@dataclass(frozen=True)
class Comparison:
    """Two figures as they will be printed, and how they compare."""

    left: str
    right: str
    sign: int  # -1, 0, 1: the exact comparison of left with right
    slight: bool  # True when the shown figures look equal although the exact ones differ
    difference: str  # exact |left − right| (or 约… to SIGNIFICANT digits) when slight

    def relation(self, higher: str = "高于", lower: str = "低于", equal: str = "等于") -> str:
        word = equal if self.sign == 0 else higher if self.sign > 0 else lower
        return "略" + word if self.slight else word


def _value(text: str) -> Fraction:
    return Fraction(text)


def difference_text(d: Fraction) -> str:
    """An exact difference; a non-terminating one to SIGNIFICANT significant digits with 约."""
    d = abs(d)
    places = terminating_places(d)
    if places is not None:
        return fixed(d, places)
    places = 0
    while d * 10**places < 10 ** (SIGNIFICANT - 1):
        places += 1
    return "约" + fixed(d, places)


def compare(left: Fraction, right: Fraction, min_places: int = MIN_PLACES, max_places: int = MAX_PLACES) -> Comparison:
    """Show ``left`` and ``right`` with the digits it takes for their shown order to be true."""
    sign = (left > right) - (left < right)
    for places in range(min_places, max_places + 1):
        a, b = shown(left, places), shown(right, places)
        shown_sign = (_value(a) > _value(b)) - (_value(a) < _value(b))
        if shown_sign == sign:
            return Comparison(a, b, sign, False, "")
    a, b = shown(left, max_places), shown(right, max_places)
    return Comparison(a, b, sign, True, difference_text(left - right))


def figure(
    value: Fraction, bounds: Sequence[Fraction], unit: str = "%", diff_unit: str = "个百分点"
) -> tuple[str, str]:
    """``value`` shown so that it reads true against every bound (a band's low and high ends):
    (text, note). When a bound cannot be separated within MAX_PLACES the text is 「略低于5%」 and
    the note 「低0.00000001个百分点」, to be put beside the figure's other details."""
    comparisons = [compare(value, b) for b in bounds]
    slight = next((c for c in comparisons if c.slight), None)
    if slight is not None:
        return (
            f"{slight.relation()}{slight.right}{unit}",
            phrase("above_by" if slight.sign > 0 else "below_by", difference=slight.difference, measure=diff_unit),
        )
    places = max((len(c.left.partition(".")[2]) for c in comparisons), default=MIN_PLACES)
    return shown(value, max(places, MIN_PLACES)) + unit, ""


# ---- reasons ----------------------------------------------------------------------------------


def merge_reasons(reasons: Sequence[str]) -> str:
    """One sentence for an indicator: identical criterion reasons are said once with their count
    (「3个评分要点均为“市发改局：未完成”，不得分」, 「2个评分要点均为：…」); order is kept. A single
    sentence keeps its code (a :class:`.reasons.Reason`); several are joined as plain text."""
    counts: dict[str, int] = {}  # keyed by the first of equal texts, which keeps its code
    for r in reasons:
        if r:
            counts[r] = counts.get(r, 0) + 1
    out: list[str] = []
    for r, n in counts.items():
        if n == 1:
            out.append(r)
        elif code_of(r) == "not_done":
            out.append(reason("merged_not_done", count=n, answers=r.params["answers"]))
        else:
            out.append(reason("merged_same", count=n, reason=r))
    return out[0] if len(out) == 1 else "；".join(out)


DECLINED_REASON_CHARS = 80  # a 否's reason is quoted up to this length


def declined(answers: Iterable[tuple[str, str]], groups: Mapping[str, Sequence[str]] | None = None) -> str:
    """「市市场监管局：未完成（正在对接省级平台接口）」: the units that answered 否, each with its own
    reason (its 工作情况说明); units giving the same reason, or none, are named together."""
    by_reason: dict[str, list[str]] = {}
    for unit, why in answers:
        text = " ".join(str(why or "").split()).rstrip("。；;，,. ")
        if len(text) > DECLINED_REASON_CHARS:
            text = text[: DECLINED_REASON_CHARS - 1] + "…"
        by_reason.setdefault(text, []).append(unit)
    parts = []
    for why, units in by_reason.items():
        who = units_text(units, groups)
        parts.append(phrase("declined_because", who=who, why=why) if why else phrase("declined", who=who))
    return "；".join(parts)


def no_business(labels: Iterable[str]) -> str:
    """「A为0、B为0，无相关业务，视同达标」: one verdict for all the zero denominators of a criterion."""
    names = list(dict.fromkeys(labels))
    return reason("no_business", zeros="、".join(reason("is_zero", label=n) for n in names))


def units_text(units: Iterable[str], groups: Mapping[str, Sequence[str]] | None = None, limit: int = 4) -> str:
    """Units for a reader: a whole group as 「联席会议26个成员单位」, otherwise the names, or the
    first ``limit`` and 「等N个单位」. ``groups``: group name -> its members."""
    items = list(dict.fromkeys(u for u in units if u))
    parts: list[str] = []
    for name, members in (groups or {}).items():
        if len(members) > limit and set(members) <= set(items):
            parts.append(_group_label(name, len(members)))
            items = [u for u in items if u not in set(members)]
    if len(items) > limit:
        parts.append(phrase("units_and_more", names="、".join(items[:limit]), count=len(items)))
    else:
        parts.extend(items)
    return "、".join(parts)


def _group_label(name: str, n: int) -> str:
    """联席会议成员单位 -> 联席会议26个成员单位; 各镇（街道） -> 10个镇（街道）."""
    if name.endswith("成员单位"):
        return phrase("group_members", name=name[: -len("成员单位")], count=n)
    if name.startswith("各"):
        return phrase("group_each", name=name[1:], count=n)
    return phrase("group_units", name=name, count=n)


def spec_groups(spec: Any) -> dict[str, tuple[str, ...]]:
    """The spec's unit groups as name -> members (the argument of :func:`units_text`)."""
    return {g.name: tuple(g.members) for g in getattr(spec, "groups", ())}


def show(x: Fraction, other: Fraction | None = None, unit: str = "") -> str:
    """Round for display (:mod:`.display`): with ``other``, the digits it takes for the two to
    compare as they truly do; alone, one decimal (integers as integers)."""
    x = Fraction(x)
    return (shown(x, 1) if other is None else compare(x, Fraction(other)).left) + unit


def show_number(x: Fraction) -> str:
    """A figure as typed: exact when its decimals terminate (4999.99999 stays 4999.99999), else 4 places."""
    return shown(Fraction(x), 12 if terminating_places(Fraction(x)) is not None else 4)


def join_some(names: Sequence[str], at_most: int = 6) -> str:
    """The first ``at_most`` names joined with 、, then 等 if there were more (for messages)."""
    return "、".join(names[:at_most]) + ("等" if len(names) > at_most else "")
