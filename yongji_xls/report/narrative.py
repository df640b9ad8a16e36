"""What the county did, in sentences: the figures behind its indicators and the measures its units
wrote, for the report's 一、基本情况 and 三、主要做法和成效.

Figures are read from the merged values through the rule each indicator declares (one small
function per rule kind, as scoring has one): a growth is said as 「2024年网上零售额20.18亿元，同比
增长6.5%」, a band as 「网络交易经营者数量3650户，占市场主体数量的9.6%」, a rate condition as
「涉网违法案件线索举报数138件，按时核查数134件，占97.1%」, a list by its rows. A comparison with the
national figure is said only where it is favourable: the shortfalls are 四、存在的问题's.

Measures come from the units' own 工作情况说明: the first sentence (at most ~120 characters) of a
completed answer, its 「我局」 turned into the unit's name so that each measure is attributed, a
document the unit names as material added when the sentence does not cite it; no sentence twice,
no placeholder, a unit at most once per part. Everything is ordered by the indicator system and
the unit registry, so the same inputs give the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..records import RunResult
from ..scoring.display import compare, units_text
from ..system.keys import note_key, with_year
from ..system.model import Indicator, Rule
from ..system.placeholders import is_placeholder
from ..values.figures import plain
from ..values.parse import exact

SENTENCE_END = "。！？"
CLAUSE_CHARS = 120  # a unit's measure: its first sentence, cut at a comma before this length
PER_INDICATOR = 2  # units quoted per indicator (the lead first), the others counted
LIST_ROWS = 3  # rows of a list named in a figure sentence
_SELF = re.compile(r"我(?:局|部|委|办|公司|分公司|中心|行|镇|街道|会|队|院|室|单位|支行)|本(?:局|单位|部门)")
_BRACKETED = re.compile(r"（[^（）]*）$")
_BRACKET_SPACE = re.compile(r"(?<=〔)\s+|\s+(?=〕)")  # 「〔 2024 〕」 -> 「〔2024〕」
_DOCUMENT = re.compile(r"《[^》]+》(?:（[^（）]*〔\d{4}〕[^（）]*）)?")


def short_label(label: str) -> str:
    """「网络交易经营者数量（年末）」 -> 「网络交易经营者数量」: the figure's name in a sentence."""
    return _BRACKETED.sub("", label) or label


def amount(value: Fraction, unit: str) -> str:
    """A figure with its unit, money over 1亿 in 亿元 (201800万元 -> 20.18亿元); counts as integers."""
    if unit == "万元" and abs(value) >= 10000:
        return plain(value / 10000, 2) + "亿元"
    return plain(value, 2) + unit


def percent(x: Fraction) -> str:
    return plain(x * 100, 1) + "%"


def county_word(city: str) -> str:
    """全市 / 全县 / 全区 / 全旗: how a county names itself in a sentence."""
    return "全" + (city[-1] if city and city[-1] in "市县区旗" else "县")


@dataclass
class Figures:
    """Reads figures of one run and remembers which have been said (no figure twice in a part)."""

    result: RunResult
    said: set[str] = field(default_factory=set)

    @property
    def year(self) -> int:
        return self.result.year

    def value(self, key: str) -> Fraction | None:
        v = self.result.values.get(key)
        return None if v is None or isinstance(v, (str, bool, dict, list)) else exact(v)

    def national(self, name: str, year: int) -> Fraction | None:
        v = self.result.card.references.get(f"national.{name}@{year}")
        return None if v is None else exact(v)

    def label(self, key: str) -> str:
        return short_label(self.result.spec.field(key).label)

    def unit(self, key: str) -> str:
        return self.result.spec.field(key).unit

    def stated(self, key: str) -> str:
        """「网上零售额20.18亿元」 of this year's (or the scalar) value, or ''."""
        v = self.value(key)
        return "" if v is None else f"{self.label(key)}{amount(v, self.unit(key))}"

    def growth(self, field_key: str, year: int) -> Fraction | None:
        now, before = self.value(with_year(field_key, year)), self.value(with_year(field_key, year - 1))
        if now is None or before is None or before <= 0:
            return None
        return (now / before - 1) * 100

    def first(self, key: str) -> bool:
        """True the first time ``key`` is said in this part."""
        if key in self.said:
            return False
        self.said.add(key)
        return True


def _growth_words(g: Fraction) -> str:
    return f"同比增长{plain(g, 1)}%" if g >= 0 else f"同比下降{plain(-g, 1)}%"


def _series_clause(f: Figures, field_key: str) -> str:
    """「网上零售额20.18亿元，同比增长6.5%」 of the assessed year (said once per part; the
    paragraph names the year)."""
    key = with_year(field_key, f.year)
    if not f.first(key) or f.value(key) is None:
        return ""
    g = f.growth(field_key, f.year)
    return f.stated(key) + (f"，{_growth_words(g)}" if g is not None else "")


def _beats(local: Fraction, target: Fraction | None, whom: str, unit: str = "%") -> str:
    """「，高于全国7.2%」 when ``local`` is above ``target``, else '' (shortfalls are said elsewhere)."""
    if target is None or local <= target:
        return ""
    shown = compare(local, target)
    return f"，高于{whom}{shown.right}{unit}"


def _growth_vs_national(f: Figures, ind: Indicator, rule: Rule) -> list[str]:
    clause = _series_clause(f, rule.get("field"))
    g = f.growth(rule.get("field"), f.year)
    if clause and g is not None:
        clause += _beats(g, f.national(rule.get("national"), f.year), "全国")
    return [clause] if clause else []


def _growth_vs_growth(f: Figures, ind: Indicator, rule: Rule) -> list[str]:
    main, other = rule.get("field"), rule.get("other")
    out = [c for c in (_series_clause(f, main), _series_clause(f, other)) if c]
    g, h = f.growth(main, f.year), f.growth(other, f.year)
    if g is not None and h is not None and g > h and f.first(f"{main}>{other}"):
        gap = Fraction(plain(g, 1)) - Fraction(plain(h, 1))  # as the two shown rates differ
        out.append(f"{f.label(main)}增速高于{f.label(other)}增速{plain(gap, 1)}个百分点")
    return out


def _share_vs_national(f: Figures, ind: Indicator, rule: Rule) -> list[str]:
    num, den = with_year(rule.get("num"), f.year), with_year(rule.get("den"), f.year)
    a, b = f.value(num), f.value(den)
    if a is None or not b or not f.first(f"{num}/{den}"):
        return []
    share = a / b * 100
    beat = _beats(share, f.national(rule.get("national"), f.year), "全国")
    return [f"{f.label(rule.get('num'))}占{f.label(rule.get('den'))}的比重为{plain(share, 1)}%{beat}"]


def _ratio_band(f: Figures, ind: Indicator, rule: Rule) -> list[str]:
    num, den = rule.get("num"), rule.get("den")
    a, b = f.value(num), f.value(den)
    if a is None or not b or not f.first(f"{num}/{den}"):
        return []
    f.first(num)
    return [f"{f.stated(num)}，占{f.label(den)}的{percent(a / b)}"]


def _list_threshold(f: Figures, ind: Indicator, rule: Rule) -> list[str]:
    score = f.result.card.indicator(ind.key)
    params = getattr(score.criteria[0].reason, "params", {}) if score.criteria else {}
    count = int(params.get("count", 0) or 0)
    if not count or not f.first(rule.get("list")):
        return []
    title = f.result.spec.list_spec(rule.get("list")).title
    names = params.get("names", "")
    return [f"{params.get('years', '')}年{title}{count}家" + (f"（{names}）" if names else "")]


def _conditions(f: Figures, rule: Rule) -> list[str]:
    """A computed criterion's figures: each rate as its two counts and their share, each single
    figure as itself (a favourable national comparison added)."""
    out = []
    for cond in rule.get("all") or ():
        if "num" in cond and "den" in cond:
            num, den = cond["num"], cond["den"]
            a, b = f.value(num), f.value(den)
            if a is None or not b:
                continue
            parts = [f.stated(den)] if f.first(den) else []
            if f.first(num):
                parts.append(f.stated(num) + ("" if cond.get("form") == "product" else f"，占{percent(a / b)}"))
            out.extend(p for p in parts if p)
        elif "field" in cond and f.first(cond["field"]):
            v = f.value(cond["field"])
            if v is None:
                continue
            ref = str(cond.get("ref", ""))
            target = f.national(ref.removeprefix("national."), f.year) if ref.startswith("national.") else None
            out.append(f.stated(cond["field"]) + _beats(v, target, "全国", f.unit(cond["field"])))
    return out


def _list_rows(f: Figures, rule: Rule) -> list[str]:
    key = rule.get("list")
    if not f.first(key):
        return []
    spec = f.result.spec.list_spec(key)
    rows = f.result.lists.get(key, [])
    shown = [_row_text(spec, r.cells) for r in rows[:LIST_ROWS]]
    if not shown:
        return []
    more = f"等{len(rows)}项" if len(rows) > LIST_ROWS else ""
    return [f"{spec.title}：{'；'.join(shown)}{more}"]


def _row_text(spec: Any, cells: dict[str, Any]) -> str:
    """「永济：直播电商助农增收（山西日报，省部级，2024年7月3日）」: a list row in words (links and
    codes left out: they are not for reading aloud)."""
    texts = []
    for col in spec.columns:
        v = cells.get(col.name)
        if v in (None, "") or getattr(col, "type", "") == "code" or col.name == "链接":
            continue
        texts.append(
            cn_day(v) if isinstance(v, (dt.date, dt.datetime)) else _BRACKET_SPACE.sub("", " ".join(str(v).split()))
        )
    return texts[0] + (f"（{'，'.join(texts[1:])}）" if len(texts) > 1 else "") if texts else ""


def cn_day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


INDICATOR_FIGURES: dict[str, Callable[[Figures, Indicator, Rule], list[str]]] = {
    "growth_vs_national": _growth_vs_national,
    "growth_vs_growth": _growth_vs_growth,
    "share_vs_national": _share_vs_national,
    "ratio_band": _ratio_band,
    "list_threshold_count": _list_threshold,
}
CRITERION_FIGURES: dict[str, Callable[[Figures, Rule], list[str]]] = {
    "conditions": _conditions,
    "list_any": _list_rows,
    "list_count": _list_rows,
}
"""The figures each rule kind can state; a kind with no entry (evidence) states none."""


def figures(f: Figures, indicators: Iterable[Indicator]) -> list[str]:
    """The figure clauses behind ``indicators``, in order, none twice within ``f``."""
    out: list[str] = []
    for ind in indicators:
        if ind.rule is not None and ind.rule.kind in INDICATOR_FIGURES:
            out += INDICATOR_FIGURES[ind.rule.kind](f, ind, ind.rule)
        for c in ind.criteria:
            if c.rule is not None and c.rule.kind in CRITERION_FIGURES:
                out += CRITERION_FIGURES[c.rule.kind](f, c.rule)
    return [c for c in out if c]


def headline(result: RunResult) -> list[str]:
    """一、基本情况's figures: every series figure of the year with its growth, then the parts the
    band indicators measure (经营者、就业、纳税…), in the indicator system's order."""
    f = Figures(result)
    out: list[str] = []
    for ind in result.spec.indicators:
        rule = ind.rule
        if rule is None:
            continue
        if rule.kind in ("growth_vs_national", "growth_vs_growth"):
            out += [c for c in (_series_clause(f, rule.get(k)) for k in ("field", "other") if rule.get(k)) if c]
        elif rule.kind == "ratio_band" and f.first(rule.get("num")):
            said = f.stated(rule.get("num"))
            out += [said] if said else []
    return out


# ---- measures: what the units wrote ------------------------------------------------------------


CLOSING_MARKS = "。！？；;…：:，,、"


def closed_lines(text: str) -> str:
    """A unit's text with each of its lines closed: a line break the unit typed between two
    sentences without a mark becomes 「。」, so joined lines never run on (「…26场 2024年…」)."""
    lines = [" ".join(ln.split()) for ln in str(text or "").splitlines()]
    lines = [ln for ln in lines if ln]
    return "".join(ln if n == len(lines) - 1 or ln[-1] in CLOSING_MARKS else ln + "。" for n, ln in enumerate(lines))


def first_sentence(text: str, limit: int = CLAUSE_CHARS) -> str:
    """The first sentence of ``text`` (its lines closed, :func:`closed_lines`), cut at the last
    comma or semicolon before ``limit`` characters when longer; always ends with 「。」, added
    when the unit's text ends without 。！？；."""
    s = closed_lines(text)
    end = min((s.find(c) for c in SENTENCE_END if c in s), default=-1)
    s = s[: end + 1] if end >= 0 else s
    body = s.rstrip("。！？；;，, ")
    if len(body) > limit:
        cut = max(body.rfind(c, 0, limit) for c in "，；,;、")
        body = body[:cut] if cut > limit // 3 else body[: limit - 1] + "…"
    return body.rstrip("，；,;、 ") + "。" if body else ""


def attributed(unit: str, sentence: str) -> str:
    """The unit named for its 「我局」 (every self-reference), or put in front of the sentence."""
    if _SELF.search(sentence):
        return _SELF.sub(unit, sentence)
    return f"{unit}{'' if sentence.startswith(unit) else '：'}{sentence}" if not sentence.startswith(unit) else sentence


def _document(materials: Iterable[str], sentence: str) -> str:
    """A document the unit lists as material (「《…》（…〔2024〕N号）」) that the sentence does not cite."""
    for m in materials:
        found = _DOCUMENT.search(m)
        if found and found.group(0).split("（")[0] not in sentence:
            return found.group(0)
    return ""


@dataclass(frozen=True)
class Measure:
    unit: str
    text: str  # the attributed sentence, ending with 。


def _answers(result: RunResult, ind: Indicator) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(unit, 说明, materials) of every completed answer and note of ``ind``, in criteria order."""
    placeholders = result.spec.placeholders
    for key in [c.key for c in ind.criteria] + [note_key(ind.key)]:
        for a in result.answers.get(key, []):
            note = (a.note or "").strip()
            if a.done is False or not note or is_placeholder(note, placeholders) or not a.unit:
                continue
            if a.done is None and not key.endswith(".note"):
                continue
            yield a.unit, note, tuple(a.evidence)


def measures(result: RunResult, indicators: Iterable[Indicator], used: set[str]) -> tuple[list[Measure], list[str]]:
    """The quoted measures of a part (the lead unit of each indicator first, then the unit whose
    first sentence carries figures, then registry order; at most :data:`PER_INDICATOR` a
    indicator, a unit once a part, no sentence already in ``used``), and the other units that
    answered, in registry order."""
    order = {u.name: n for n, u in enumerate(result.spec.units)}
    quoted: list[Measure] = []
    cited: set[str] = set()
    others: dict[str, None] = {}
    for ind in indicators:
        by_unit: dict[str, tuple[str, tuple[str, ...]]] = {}
        for unit, note, materials in _answers(result, ind):
            by_unit.setdefault(unit, (note, materials))
            others.setdefault(unit)
        ranked = sorted(
            by_unit,
            key=lambda u: (u != ind.lead, not re.search(r"\d", first_sentence(by_unit[u][0])), order.get(u, 999)),
        )
        taken = 0
        for unit in ranked:
            if taken >= PER_INDICATOR or unit in cited:
                continue
            note, materials = by_unit[unit]
            sentence = first_sentence(note)
            norm = re.sub(r"\W", "", sentence)
            if not sentence or norm in used:
                continue
            text = attributed(unit, sentence)
            doc = _document(materials, text)
            if doc:
                text = f"{text[:-1]}（佐证材料：{doc}）。"
            used.add(norm)
            cited.add(unit)
            quoted.append(Measure(unit, text))
            taken += 1
    rest = sorted((u for u in others if u not in cited), key=lambda u: order.get(u, 999))
    return quoted, rest


@dataclass(frozen=True)
class Part:
    """One numbered paragraph of 三、主要做法和成效: a second-level group (or a first-level group
    without subgroups), its figures, its quoted measures and the other units counted."""

    name: str
    figures: list[str]
    measures: list[str]
    others: str
    other_count: int


def practice(result: RunResult) -> list[dict[str, Any]]:
    """三、主要做法和成效, per first-level group: its parts (by second-level group when it has them,
    else its indicators as one part)."""
    spec = result.spec
    groups = {g.name: tuple(g.members) for g in spec.groups}
    used: set[str] = set()
    out = []
    for first in spec.first_levels:
        seconds = [s for s in spec.second_levels if s.first == first.name]
        blocks = (
            [(s.name, [spec.indicator(k) for k in s.indicators]) for s in seconds]
            if seconds
            else [(first.name, [i for i in spec.indicators if i.first == first.name])]
        )
        parts = []
        for name, inds in blocks:
            f = Figures(result)
            quoted, rest = measures(result, inds, used)
            parts.append(Part(name, figures(f, inds), [m.text for m in quoted], units_text(rest, groups, 3), len(rest)))
        out.append({"name": first.name, "parts": parts})
    return out
