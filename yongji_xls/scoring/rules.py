"""One small function per rule kind of 附件2, selected by the ``kind`` in the indicator data.

Every comparison uses :class:`fractions.Fraction`; values arrive as Decimal/int/str and are
converted exactly (never through binary floats), so 19/20 is not "> 95 %" and 15/100 is 15 %.
Display rounds; comparison never does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..issues import Status
from ..system.keys import national_key, national_ref_name, split_year, with_year
from ..system.model import Criterion, Indicator, Rule, Spec
from ..system.placeholders import matcher
from ..system.rule_kinds import OPS, RULE_KINDS, RuleKind
from ..values.identity import row_groups
from ..values.parse import exact
from ..values.types import Answer, ListRow, split_evidence, without_placeholders
from .display import (
    compare,
    count,
    declined,
    figure,
    no_business,
    show,
    show_number,
    shown,
    spec_groups,
    units_text,
)
from .reasons import REPORTING_UNIT, Reason, phrase, reason
from .scorecard import CriterionScore

HUNDRED = Fraction(100)


@dataclass
class Context:
    """What a rule may read: values, national references, the year, the region. Not frozen: it
    records the keys a rule reads (``read``, cleared by the engine before each indicator), so that
    a figure taken from a cross-check unit can be named in the reason of the rule that used it."""

    spec: Spec
    year: int
    region: str
    values: Mapping[str, Any]
    refs: Mapping[str, Fraction]
    substitutes: Mapping[str, str] = field(default_factory=dict)  # key -> cross-check unit whose figure was used
    refused: Mapping[str, str] = field(default_factory=dict)  # key -> why its owner's figure was refused
    read: list[str] = field(default_factory=list)  # keys read since the scorer last cleared it

    def number(self, key: str) -> Fraction | None:
        self.read.append(key)
        return exact(self.values.get(key))

    def substitute_notes(self, keys: Iterable[str]) -> list[Reason]:
        """「网络零售额（2024年）采用市商务局填报数（主责单位市统计局未填报）」 for each key read
        whose figure came from a cross-check unit (「…填报的「约3000」不是确定的数字，未采用」 when
        the owner's figure was refused)."""
        out = []
        for key in dict.fromkeys(keys):
            unit = self.substitutes.get(key)
            if not unit:
                continue
            said = {"label": self.label(key), "unit": unit, "owner": self.owner(key)}
            if key in self.refused:
                out.append(reason("substitute_refused_note", **said, refused=self.refused[key]))
            else:
                out.append(reason("substitute_note", **said))
        return out

    def ref(self, name: str, year: int | None = None) -> Fraction | None:
        return self.refs.get(national_key(name, year or self.year))

    def label(self, key: str) -> str:
        base, year = split_year(key)
        try:
            f = self.spec.field(base)
        except KeyError:
            return key
        return phrase("year_label", label=f.label, year=year) if year else f.label

    def owner(self, key: str) -> str:
        try:
            return self.spec.field(key).owner
        except KeyError:
            return ""

    def missing(self, key: str, text: str, points: int, keys: list[str], units: tuple[str, ...] = ()) -> CriterionScore:
        """0 points, status missing, naming the data and who must supply it."""
        owners = list(dict.fromkeys(self.owner(k) for k in keys if self.owner(k)))
        blank = [k for k in keys if k not in self.refused]
        same: dict[tuple[str, str], list[str]] = {}  # figures refused for one reason are said once
        for k in keys:
            if k in self.refused:
                same.setdefault((self.owner(k), self.refused[k]), []).append(self.label(k))
        said = [
            reason("data_refused", label="、".join(labels), owner=owner, refused=refused)
            for (owner, refused), labels in same.items()
        ]
        if blank:
            names = "、".join(self.label(k) for k in blank)
            who = "、".join(dict.fromkeys(self.owner(k) for k in blank if self.owner(k))) or self.who(units)
            said.append(reason("data_missing", names=names, who=who))
        return CriterionScore(
            key,
            text,
            Fraction(points),
            Fraction(0),
            Status.MISSING,
            said[0].with_notes(said[1:]),
            tuple(owners) or units,
        )

    def who(self, units: Sequence[str]) -> str:
        """Units for a message: a whole group as 「联席会议26个成员单位」 (:func:`.display.units_text`)."""
        return units_text(units, spec_groups(self.spec))

    def reference_missing(
        self, key: str, text: str, points: int, name: str, year: int, units: tuple[str, ...]
    ) -> CriterionScore:
        ref = national_key(name, year)
        return CriterionScore(
            key,
            text,
            Fraction(points),
            Fraction(0),
            Status.REVIEW,
            reason("reference_missing", reference=ref),
            units,
            {"reference": ref},
        )


IndicatorRule = Callable[[Context, Indicator, Rule], list[CriterionScore]]
CriterionRule = Callable[[Context, Criterion, Rule, tuple[str, ...]], CriterionScore]
INDICATOR_RULES: dict[str, IndicatorRule] = {}
CRITERION_RULES: dict[str, CriterionRule] = {}


def _declared(kind: str, level: str) -> RuleKind:
    decl = RULE_KINDS.get(kind)
    if decl is None or decl.level != level:
        raise LookupError(f"rule kind {kind!r} is not declared as an {level} rule in system.rule_kinds")
    return decl


def indicator_rule(kind: str) -> Callable[[IndicatorRule], IndicatorRule]:
    """Register the function that scores the indicator rule ``kind`` declared in :data:`RULE_KINDS`."""
    _declared(kind, "indicator")

    def register(fn: IndicatorRule) -> IndicatorRule:
        INDICATOR_RULES[kind] = fn
        return fn

    return register


def criterion_rule(kind: str) -> Callable[[CriterionRule], CriterionRule]:
    """Register the function that scores the criterion rule ``kind`` declared in :data:`RULE_KINDS`."""
    _declared(kind, "criterion")

    def register(fn: CriterionRule) -> CriterionRule:
        CRITERION_RULES[kind] = fn
        return fn

    return register


def _growth(ctx: Context, field: str, year: int) -> tuple[Fraction | None, list[str], Reason | None]:
    """growth(y) = v@y / v@(y-1) − 1, in percent; returns (growth, missing keys, error)."""
    cur_key, prev_key = with_year(field, year), with_year(field, year - 1)
    cur, prev = ctx.number(cur_key), ctx.number(prev_key)
    missing = [k for k, v in ((prev_key, prev), (cur_key, cur)) if v is None]
    if missing:
        return None, missing, None
    if prev == 0:
        label = ctx.label(with_year(field, year - 1))
        return None, [], reason("growth_base_zero", label=label, year=year, owner=ctx.owner(field))
    jump = ctx.spec.field(field).jump
    if jump is not None and cur and not 1 / Fraction(jump) <= cur / prev <= Fraction(jump):
        # a suspect figure (the value_jump warning) is used on neither side of a growth comparison;
        # a zero is left to the zero reasons
        times = show_number(Fraction(jump))
        labels = {"label": ctx.label(cur_key), "previous": ctx.label(prev_key), "owner": ctx.owner(field)}
        return None, [], reason("growth_suspect", jump=times, year=year, **labels)
    return (cur / prev - 1) * HUNDRED, [], None


def _year_part(
    ctx: Context, ind: Indicator, year: int, points: int, local: Fraction, target: Fraction, what: str, against: str
) -> CriterionScore:
    met = local > target
    c = compare(local, target)
    if c.slight:
        code = "year_slightly_above" if c.sign > 0 else "year_slightly_below"
    elif c.sign == 0:
        code = "year_equal"
    else:
        code = "year_above" if met else "year_not_above"
    why = reason(
        code,
        year=year,
        what=what,
        local=c.left,
        against=against,
        target=c.right,
        difference=c.difference,
        points=points,
    )
    return CriterionScore(
        with_year(ind.key, year),
        phrase("year_beats", year=year, what=what, against=against),
        Fraction(points),
        Fraction(points if met else 0),
        Status.MET if met else Status.NOT_MET,
        why,
        ind.units,
        {"local": c.left, "target": c.right},
    )


def _against_national(
    ctx: Context, ind: Indicator, rule: Rule, year: int, pts: int, text: str, local: Fraction, what: str
) -> CriterionScore:
    """One year's local figure against the rule's national figure of that year (待核定 without one)."""
    national = ctx.ref(rule.get("national"), year)
    if national is None:
        return ctx.reference_missing(with_year(ind.key, year), text, pts, rule.get("national"), year, ind.units)
    return _year_part(ctx, ind, year, pts, local, national, what, phrase("national"))


@indicator_rule("growth_vs_national")
def growth_vs_national(ctx: Context, ind: Indicator, rule: Rule) -> list[CriterionScore]:
    """I01, I05: local growth(y) > published national growth(y), 1 point per assessed year."""
    parts = []
    pts = int(rule.get("points_per_year", 1))
    label = ctx.spec.field(rule.get("field")).label
    for year in ctx.spec.years(ctx.year):
        text = phrase("growth_beats_national", year=year, label=label)
        growth, missing, error = _growth(ctx, rule.get("field"), year)
        if missing or error:
            parts.append(_data_problem(ctx, with_year(ind.key, year), text, pts, missing, error, ind.units))
            continue
        parts.append(_against_national(ctx, ind, rule, year, pts, text, growth, phrase("growth_of", label=label)))
    return parts


@indicator_rule("growth_vs_growth")
def growth_vs_growth(ctx: Context, ind: Indicator, rule: Rule) -> list[CriterionScore]:
    """I02: growth of one field > growth of another, 1 point per assessed year."""
    parts = []
    pts = int(rule.get("points_per_year", 1))
    a, b = ctx.spec.field(rule.get("field")), ctx.spec.field(rule.get("other"))
    for year in ctx.spec.years(ctx.year):
        text = phrase("growth_beats_growth", year=year, label=a.label, other=b.label)
        ga, miss_a, err_a = _growth(ctx, a.key, year)
        gb, miss_b, err_b = _growth(ctx, b.key, year)
        if (
            not err_b and ctx.number(with_year(b.key, year)) == 0
        ):  # a zero total is a data error (as in I06), not −100 %
            err_b = reason("growth_total_zero", label=ctx.label(with_year(b.key, year)), owner=ctx.owner(b.key))
        if miss_a or miss_b or err_a or err_b:
            parts.append(
                _data_problem(ctx, with_year(ind.key, year), text, pts, miss_a + miss_b, err_a or err_b, ind.units)
            )
            continue
        what, against = phrase("growth_of", label=a.label), phrase("growth_rate_of", label=b.label)
        parts.append(_year_part(ctx, ind, year, pts, ga, gb, what, against))
    return parts


@indicator_rule("share_vs_national")
def share_vs_national(ctx: Context, ind: Indicator, rule: Rule) -> list[CriterionScore]:
    """I06: num@y / den@y > national share(y), 1 point per assessed year."""
    parts = []
    pts = int(rule.get("points_per_year", 1))
    num, den = rule.get("num"), rule.get("den")
    for year in ctx.spec.years(ctx.year):
        share = phrase("share_of", num=ctx.spec.field(num).label, den=ctx.spec.field(den).label)
        text = phrase("share_beats_national", year=year, share=share)
        keys = [with_year(num, year), with_year(den, year)]
        a, b = ctx.number(keys[0]), ctx.number(keys[1])
        missing = [k for k, v in zip(keys, (a, b)) if v is None]
        error = None if missing or b != 0 else reason("share_base_zero", label=ctx.label(keys[1]), owner=ctx.owner(den))
        if missing or error:
            parts.append(_data_problem(ctx, with_year(ind.key, year), text, pts, missing, error, ind.units))
            continue
        parts.append(_against_national(ctx, ind, rule, year, pts, text, a / b * HUNDRED, share))
    return parts


@indicator_rule("ratio_band")
def ratio_band(ctx: Context, ind: Indicator, rule: Rule) -> list[CriterionScore]:
    """I03, I07–I09: low ≤ r < high → low_points; r ≥ high → high_points ("比值区间均含本数")."""
    num, den = rule.get("num"), rule.get("den")
    low, high = exact(rule.get("low")), exact(rule.get("high"))
    lp, hp = int(rule.get("low_points", 1)), int(rule.get("high_points", 2))
    text = phrase(
        "band_text",
        num=ctx.label(num),
        den=ctx.label(den),
        low=show(low),
        high=show(high),
        low_points=lp,
        high_points=hp,
    )
    a, b = ctx.number(num), ctx.number(den)
    missing = [k for k, v in ((num, a), (den, b)) if v is None]
    if missing:
        return [ctx.missing(ind.key, text, hp, missing, ind.units)]
    if b == 0:
        return [
            _data_problem(
                ctx,
                ind.key,
                text,
                hp,
                [],
                reason("share_base_zero", label=ctx.label(den), owner=ctx.owner(den)),
                ind.units,
            )
        ]
    r = a / b * HUNDRED
    score = hp if r >= high else lp if r >= low else 0
    status = Status.MET if score == hp else Status.PARTIAL if score else Status.NOT_MET
    rate, note = figure(r, (low, high))
    why = reason(
        "band_high" if score == hp else "band_middle" if score else "band_low",
        rate=rate,
        num=show_number(a),
        den=show_number(b),
        note="，" + note if note else "",
        low=show(low),
        high=show(high),
        score=score,
    )
    return [CriterionScore(ind.key, text, Fraction(hp), Fraction(score), status, why, ind.units, {"rate": shown(r, 8)})]


def _data_problem(
    ctx: Context, key: str, text: str, pts: int, missing: list[str], error: Reason | None, units: tuple[str, ...]
) -> CriterionScore:
    if missing or error is None:
        return ctx.missing(key, text, pts, missing, units)
    return CriterionScore(key, text, Fraction(pts), Fraction(0), Status.MISSING, error, units)


def list_rows(ctx: Context, key: str) -> list[Mapping[str, Any]]:
    rows = ctx.values.get(key) or []
    return [r.cells if isinstance(r, ListRow) else r for r in rows if isinstance(r, (ListRow, Mapping))]


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _year_of(v: Any) -> int | None:
    text = _text(v).rstrip("年").split("-")[0].split("/")[0].split(".")[0]
    return int(text) if text.isdigit() and len(text) == 4 else None


@indicator_rule("list_threshold_count")
def list_threshold_count(ctx: Context, ind: Indicator, rule: Rule) -> list[CriterionScore]:
    """I04: distinct enterprises reaching the regional threshold in Y-1 or Y; 1 → 1, ≥2 → 2."""
    spec = ctx.spec.list_spec(rule.get("list"))
    threshold = ctx.spec.region_thresholds[ctx.region]
    steps = [int(s) for s in rule.get("steps", (1, 2))]
    years = set(ctx.spec.years(ctx.year))
    sales_col = next(c.name for c in spec.columns if c.type == "amount")
    year_col = next(c.name for c in spec.columns if c.type == "year")
    found: dict[str, str] = {}
    rows = list_rows(ctx, spec.key)
    for row, ident in zip(rows, row_groups(rows, spec.identity, spec.identity_combined)[0]):
        sales = exact(row.get(sales_col))
        if _year_of(row.get(year_col)) in years and sales is not None and sales >= threshold:
            if ident and ident not in found:
                found[ident] = _text(row.get(spec.columns[0].name))
    n = len(found)
    score = sum(1 for s in steps if n >= s)
    text = phrase(
        "threshold_text",
        years=ctx.spec.assessed_years,
        title=spec.title,
        region=ctx.region,
        threshold=show_number(Fraction(threshold)),
    )
    if spec.key not in ctx.values:
        return [
            CriterionScore(
                ind.key,
                text,
                Fraction(len(steps)),
                Fraction(0),
                Status.MISSING,
                reason("threshold_list_missing", units="、".join(spec.units)),
                spec.units,
            )
        ]
    names = "、".join(found.values())
    why = reason(
        "threshold_found" if names else "threshold_none",
        years="、".join(map(str, sorted(years))),
        count=n,
        names=names,
        score=score,
    )
    status = Status.MET if score == len(steps) else Status.PARTIAL if score else Status.NOT_MET
    return [
        CriterionScore(ind.key, text, Fraction(len(steps)), Fraction(score), status, why, ind.units, {"count": str(n)})
    ]


def _verdict(subject: str, value: Fraction, target: Fraction, word: str, against: str, unit: str) -> Reason:
    """「<subject>X%，高于全国Y%」 with the digits it takes (:mod:`.display`), 「略高于…」 when none
    suffice; ``word`` is the comparison word of :data:`OPS` for the exact outcome."""
    c = compare(value, target)
    code = "compare" if not c.slight else "compare_slightly_above" if c.sign > 0 else "compare_slightly_below"
    return reason(
        code,
        subject=subject,
        value=c.left,
        unit=unit,
        relation=word,
        against=against,
        target=c.right,
        difference=c.difference,
        measure="个百分点" if unit == "%" else unit,
    )


def _condition(ctx: Context, cond: Mapping[str, Any], zero_ok: bool) -> tuple[str, bool | None, list[str], str, bool]:
    """Evaluate one condition: (description, met?, missing keys, missing reference, zero case).
    In the zero case the description is the zero denominator's label (merged by the caller)."""
    fn, yes, no = OPS[str(cond["op"])]
    if "den" in cond and zero_ok and ctx.number(cond["den"]) == 0:  # no such cases: nothing to compare
        return ctx.label(cond["den"]), True, [], "", True
    ref = cond["ref"]
    name = national_ref_name(ref)
    if name:
        target = ctx.ref(name)
        if target is None:
            return "", None, [], name, False
        against = phrase("national")
    else:
        target, against = exact(ref), ""
    if "field" in cond:
        value = ctx.number(cond["field"])
        if value is None:
            return "", None, [cond["field"]], "", False
        ok = fn(value, target)
        unit = ctx.spec.field(cond["field"]).unit if ctx.spec.has_field(cond["field"]) else ""
        verdict = _verdict(ctx.label(cond["field"]), value, target, yes if ok else no, against, unit)
        return verdict, ok, [], "", False
    num, den = ctx.number(cond["num"]), ctx.number(cond["den"])
    missing = [k for k, v in ((cond["num"], num), (cond["den"], den)) if v is None]
    if missing:
        return "", None, missing, "", False
    if den == 0 and cond.get("form") == "product":  # 「用户数超过在编人员数50%」: users > 50 % × 0
        ok = fn(num * HUNDRED, target * den)
        clause = reason(
            "zero_product",
            den=ctx.label(cond["den"]),
            num=ctx.label(cond["num"]),
            count=count(num),
            relation=yes if ok else no,
            target=show(target),
        )
        return clause, ok, [], "", False
    if den == 0:
        return reason("ratio_denominator_zero", den=ctx.label(cond["den"])), None, [], "", False
    rate = num / den * HUNDRED
    ok = fn(rate, target)
    subject = f"{ctx.label(cond['num'])}/{ctx.label(cond['den'])}={show_number(num)}/{show_number(den)}="
    return _verdict(subject, rate, target, yes if ok else no, against, "%"), ok, [], "", False


@criterion_rule("conditions")
def conditions(ctx: Context, crit: Criterion, rule: Rule, units: tuple[str, ...]) -> CriterionScore:
    """Computed criteria: every condition (ratio or value against a constant or national figure) holds."""
    zero_ok = bool(rule.get("zero_ok", False))
    conds = list(rule.get("all", ()))
    results = [_condition(ctx, cond, zero_ok) for cond in conds]
    ratio_zero = [r[4] for c, r in zip(conds, results) if "den" in c]
    all_zero = bool(ratio_zero) and all(ratio_zero)  # no cases at all: a missing companion figure is moot
    texts, missing, oks, zero = [], [], [], []
    for cond, (text, ok, miss, ref_missing, was_zero) in zip(conds, results):
        if ref_missing:
            return ctx.reference_missing(crit.key, crit.text, crit.points, ref_missing, ctx.year, units)
        if miss and all_zero and "field" in cond:
            continue
        missing += miss
        if was_zero:
            zero.append(text)
        elif text:
            texts.append(text)
        oks.append(ok)
    if zero:
        texts.append(no_business(zero))
    if missing:
        return ctx.missing(crit.key, crit.text, crit.points, list(dict.fromkeys(missing)), units)
    if any(ok is None for ok in oks):
        unclear = reason("conditions_unclear", clauses="；".join(texts))
        return CriterionScore(crit.key, crit.text, Fraction(crit.points), Fraction(0), Status.MISSING, unclear, units)
    met = all(oks)
    score = crit.points if met else 0
    verdict = reason("conditions_met" if met else "conditions_not_met", clauses="；".join(texts), points=score)
    return CriterionScore(
        crit.key,
        crit.text,
        Fraction(crit.points),
        Fraction(score),
        Status.MET if met else Status.NOT_MET,
        verdict,
        units,
        {"no_business": "1"} if zero else {},
    )


def answers_of(value: Any) -> list[Answer]:
    """Accept Answer objects, one dict or a list of dicts ({done, note, evidence, unit})."""
    items = value if isinstance(value, (list, tuple)) else [value] if value is not None else []
    out = []
    for item in items:
        if isinstance(item, Answer):
            out.append(item)
        elif isinstance(item, Mapping):
            done = item.get("done")
            out.append(
                Answer(
                    done if isinstance(done, bool) else None,
                    _text(item.get("note")),
                    split_evidence(item.get("evidence")),
                    _text(item.get("unit")),
                )
            )
    return out


@criterion_rule("evidence")
def evidence(ctx: Context, crit: Criterion, rule: Rule | None, units: tuple[str, ...]) -> CriterionScore:
    """Met when one responsible unit answered 是 with a 工作情况说明 and at least one 佐证材料."""
    given = answers_of(ctx.values.get(crit.key))
    empty = matcher(ctx.spec)
    answers = [without_placeholders(a, empty) for a in given]
    pts = Fraction(crit.points)
    complete = [a for a in answers if a.complete]
    if complete:
        who = units_text((a.unit for a in complete if a.unit), spec_groups(ctx.spec))
        n = sum(len(a.evidence) for a in complete)
        return CriterionScore(
            crit.key,
            crit.text,
            pts,
            pts,
            Status.MET,
            reason("evidence_met", who=who, count=n, points=crit.points),
            units,
            {"evidence": str(n)},
        )
    claimed = [a for a in answers if a.done]
    if claimed:
        claimers = tuple(dict.fromkeys(a.unit for a in claimed if a.unit))
        lack = "claimed_without_evidence" if any(not a.evidence for a in claimed) else "claimed_without_note"
        return CriterionScore(
            crit.key,
            crit.text,
            pts,
            Fraction(0),
            Status.NO_EVIDENCE,
            reason(lack, who="、".join(claimers) or REPORTING_UNIT),
            claimers or units,
        )
    refused = [(a.unit or REPORTING_UNIT, a.note) for a in answers if a.done is False]
    if refused:
        said = declined(refused, spec_groups(ctx.spec))
        return CriterionScore(
            crit.key, crit.text, pts, Fraction(0), Status.NOT_MET, reason("not_done", answers=said), units
        )
    unanswered = [a for a in given if a.done is None and (a.note.strip() or a.evidence)]
    if unanswered:
        who = "、".join(dict.fromkeys(a.unit for a in unanswered if a.unit)) or REPORTING_UNIT
        return CriterionScore(
            crit.key,
            crit.text,
            pts,
            Fraction(0),
            Status.MISSING,
            reason("answer_without_done", who=who),
            units,
        )
    return CriterionScore(
        crit.key, crit.text, pts, Fraction(0), Status.MISSING, reason("no_answer", who=ctx.who(units)), units
    )


def _list_matches(ctx: Context, rule: Rule) -> tuple[list[Mapping[str, Any]], bool]:
    spec = ctx.spec.list_spec(rule.get("list"))
    rows = list_rows(ctx, spec.key)
    values = set(rule.get("values", ()))
    seen, out = set(), []
    for row, ident in zip(rows, row_groups(rows, spec.identity, spec.identity_combined)[0]):
        if ident and ident not in seen and _text(row.get(rule.get("column"))) in values:
            seen.add(ident)
            out.append(row)
    return out, spec.key in ctx.values


@criterion_rule("list_any")
def list_any(ctx: Context, crit: Criterion, rule: Rule, units: tuple[str, ...]) -> CriterionScore:
    """I32, I33: full points if any row's level is among the qualifying values."""
    rows, present = _list_matches(ctx, rule)
    pts = Fraction(crit.points)
    levels = "或".join(rule.get("values", ()))
    first = ctx.spec.list_spec(rule.get("list")).columns[0].name
    if rows:
        return CriterionScore(
            crit.key,
            crit.text,
            pts,
            pts,
            Status.MET,
            reason("list_any_met", levels=levels, count=len(rows), first=_text(rows[0].get(first)), points=crit.points),
            units,
            {"count": str(len(rows))},
        )
    if not present:
        return CriterionScore(
            crit.key, crit.text, pts, Fraction(0), Status.MISSING, reason("list_missing", who=ctx.who(units)), units
        )
    return CriterionScore(
        crit.key, crit.text, pts, Fraction(0), Status.NOT_MET, reason("list_any_none", levels=levels), units
    )


@criterion_rule("list_count")
def list_count(ctx: Context, crit: Criterion, rule: Rule, units: tuple[str, ...]) -> CriterionScore:
    """I34: per_row points for each distinct qualifying row, capped at the criterion's points."""
    rows, present = _list_matches(ctx, rule)
    per = exact(rule.get("per_row", 1))
    score = min(Fraction(crit.points), per * len(rows))
    if not rows and not present:
        return CriterionScore(
            crit.key,
            crit.text,
            Fraction(crit.points),
            Fraction(0),
            Status.MISSING,
            reason("list_missing", who=ctx.who(units)),
            units,
        )
    status = Status.MET if score == crit.points else Status.PARTIAL if score else Status.NOT_MET
    return CriterionScore(
        crit.key,
        crit.text,
        Fraction(crit.points),
        score,
        status,
        reason(
            "list_count", title=ctx.spec.list_spec(rule.get("list")).title, count=len(rows), score=show_number(score)
        ),
        units,
        {"count": str(len(rows))},
    )
