"""``rollup``: the city bureau's view of several counties' ``run`` outputs.

Each county sends its scores.json (or its task-breakdown workbook). Counties scored under one
system version and one assessment year are compared; a county of another version or year is
flagged and listed apart, never mixed into the matrix, because its points do not mean the same.
Earlier years of a compared county are its trend (a creation period is assessed year after
year): kept apart from the matrix, shown as each county's totals by year.
The county × indicator tables are pandas pivots (imported lazily: the other commands never
need pandas).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..issues import Issue, Status, issue
from ..system.load import load_spec
from ..system.model import programme_of

if TYPE_CHECKING:
    import pandas as pd

    from ..system.model import Spec


@dataclass
class CountyResult:
    """One county's scores, from its scores.json or its breakdown workbook."""

    county: str
    prefecture: str
    year: int
    version: str  # "" when the source did not record it
    system_title: str
    total: Fraction
    max: Fraction
    passed: bool
    total_ok: bool
    levels_ok: bool
    pass_text: str
    first_level: list[dict[str, Any]]  # name, score, max, rate (percent), passed
    indicators: list[dict[str, Any]]  # key, no, name, first, score, max, status_text
    missing_units: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    references: dict[str, float] | None = None  # None: the source does not carry them
    source: str = ""
    generated_at: str = ""
    kind: str = "scores"
    rule: tuple[Fraction, Fraction] | None = None  # (total_min, first-level rate_min as a fraction of 1), if recorded
    levels: int = 3  # 2: groups → indicators (the system's indicators are its 二级指标)

    def names(self, keys: list[str]) -> list[str]:
        """Indicator or criterion keys of this county as its indicators' names (the keys stay in
        its scores.json)."""
        by_key = {str(i["key"]): str(i["name"]) for i in self.indicators}
        return list(dict.fromkeys(by_key.get(re.split(r"[.@]", k)[0], k) for k in keys))


@dataclass
class Rollup:
    """The counties compared (one version, one year), the ones set apart, and every finding."""

    prefecture: str  # "" when no county recorded it: the outputs then say 全市
    year: int
    version: str
    system_title: str
    pass_text: str
    counties: list[CountyResult]
    excluded: list[tuple[CountyResult, str]]
    issues: list[Issue]
    total_min: Fraction = Fraction(85)  # the pass rule of the system data (scores.json's, or --system's)
    rate_min: Fraction = Fraction(3, 4)
    history: dict[str, list[CountyResult]] = field(default_factory=dict)  # county -> its earlier years

    @property
    def indicator_level(self) -> str:
        """What the compared system's indicators are called (三级指标, or 二级指标)."""
        levels = self.counties[0].levels if self.counties else 3
        return "三级指标" if levels == 3 else "二级指标"

    def trends(self) -> list[tuple[CountyResult, list[CountyResult]]]:
        """Each compared county with its results of earlier years (oldest first), for the
        counties that have any: a creation period is assessed year after year."""
        return [(c, self.history[c.county]) for c in self.counties if self.history.get(c.county)]

    @property
    def programme(self) -> str:
        """What the titles name (「全国网络市场监管与服务示范区」), from the compared system's title
        (the shipped system's when no county recorded one)."""
        return programme_of(self.system_title) if self.system_title else load_spec().programme

    def long_frame(self) -> pd.DataFrame:
        """One row per county × indicator (score, max, lost, status)."""
        import pandas as pd

        rows = [
            {
                "county": c.county,
                "key": i["key"],
                "no": i["no"],
                "name": i["name"],
                "first": i["first"],
                "score": Fraction(str(i["score"])),
                "max": Fraction(str(i["max"])),
                "status": i.get("status_text", ""),
            }
            for c in self.counties
            for i in c.indicators
        ]
        frame = pd.DataFrame(rows, columns=["county", "key", "no", "name", "first", "score", "max", "status"])
        frame["lost"] = frame["max"] - frame["score"]
        return frame

    def matrices(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(scores, statuses): indicator rows × county columns, counties in input order."""
        frame = self.long_frame()
        order = [c.county for c in self.counties]
        scores = frame.pivot(index="key", columns="county", values="score").reindex(columns=order)
        statuses = frame.pivot(index="key", columns="county", values="status").reindex(columns=order)
        keys = list(dict.fromkeys(frame.sort_values("no")["key"]))
        return scores.reindex(keys), statuses.reindex(keys)

    def most_lost(self) -> pd.DataFrame:
        """Indicators by the points lost on them across counties, then by how many counties lost
        points, then by number."""
        frame = self.long_frame()
        lost = frame[frame["lost"] > 0]
        table = (
            lost.groupby(["key", "no", "name", "max"], sort=False)
            .agg(counties=("county", "count"), lost=("lost", "sum"), names=("county", "、".join))
            .reset_index()
        )
        return table.sort_values(["lost", "counties", "no"], ascending=[False, False, True], kind="stable").reset_index(
            drop=True
        )

    def weakest(self, at_least: int = 5) -> pd.DataFrame:
        """The ``at_least`` indicators that lost most points, and every one tied with the last of them."""
        table = self.most_lost()
        if len(table) <= at_least:
            return table
        floor = table["lost"].iloc[at_least - 1]
        return table[table["lost"] >= floor].reset_index(drop=True)

    def shortfalls(self, county: CountyResult) -> list[str]:
        """What a county failed, by the pass rule and by how much: 「总分83分，低于85分（差2分）」,
        「促进发展得分率65%，低于75%（差2分）」."""
        from ..scoring.display import plain, show

        out = []
        if county.total < self.total_min:
            gap = self.total_min - county.total
            out.append(f"总分{plain(county.total)}分，低于{plain(self.total_min)}分（差{plain(gap)}分）")
        for f in county.first_level:
            score, top = Fraction(str(f["score"])), Fraction(str(f["max"]))
            if top and score / top < self.rate_min:
                rate = show(score / top * 100, self.rate_min * 100)
                gap = self.rate_min * top - score
                out.append(f"{f['name']}得分率{rate}%，低于{plain(self.rate_min * 100)}%（差{plain(gap)}分）")
        return out

    @property
    def rule_text(self) -> str:
        """The pass rule in words, from its numbers (never a sentence read back)."""
        from ..scoring.display import show

        return f"总分不低于{show(self.total_min)}分，且每个一级指标得分率不低于{show(self.rate_min * 100)}%"

    def references(self) -> list[tuple[str, list[float | None], bool]]:
        """(reference key, value per county, all counties agree) for every national figure used."""
        keys = sorted({k for c in self.counties for k in (c.references or {})})
        out = []
        for key in keys:
            values = [(c.references or {}).get(key) if c.references is not None else None for c in self.counties]
            known = {v for v in values if v is not None}
            out.append((key, values, len(known) <= 1 and None not in values))
        return out


def _frac(value: Any) -> Fraction:
    return Fraction(str(value)) if value is not None else Fraction(0)


def from_scores(doc: dict[str, Any], source: str, folder_name: str, issues: list[Issue]) -> CountyResult:
    county = str(doc.get("county") or "")
    if not county:
        county = folder_name
        issues.append(issue("rollup_no_county", file=source, county=county))
    system = doc.get("system") or {}
    pr = doc.get("pass_rule") or {}
    recorded = system.get("pass_rule") or {}
    rule = (
        (Fraction(str(recorded["total_min"])), Fraction(str(recorded["first_level_rate_min"])) / 100)
        if {"total_min", "first_level_rate_min"} <= set(recorded)
        else None
    )
    return CountyResult(
        county=county,
        prefecture=str(doc.get("prefecture") or ""),
        year=int(doc["year"]),
        version=str(system.get("version") or doc.get("spec_version") or ""),
        system_title=str(system.get("title") or ""),
        total=_frac(doc["total"]),
        max=_frac(doc["max"]),
        passed=bool(doc["passed"]),
        total_ok=bool(pr.get("total_ok")),
        levels_ok=bool(pr.get("first_level_ok")),
        pass_text=str(pr.get("text") or ""),
        first_level=[dict(f) for f in doc.get("first_level", ())],
        indicators=[
            {k: i.get(k) for k in ("key", "no", "name", "first", "score", "max", "status_text")}
            for i in doc["indicators"]
        ],
        missing_units=[f"{u['unit']}（{u.get('state', '')}）" for u in doc.get("missing_units", ())],
        pending=[str(p["key"]) for p in doc.get("pending_review", ())],
        references={str(k): float(v) for k, v in (doc.get("references") or {}).items()},
        source=source,
        generated_at=str(doc.get("generated_at") or ""),
        kind="scores",
        rule=rule,
        levels=int(system.get("levels") or 3),
    )


_TITLE = re.compile(r"^(?P<county>.+?)创建.*（(?P<year>\d{4})年度）$")
_VERSION = re.compile(r"（版本(?P<version>[^（）]+)）$")


def first_level_rows(firsts: dict[str, list[Fraction]], rate_min: Fraction) -> list[dict[str, Any]]:
    """name -> [score, max] as the first-level rows of a county: the rate in percent and whether
    it reaches ``rate_min`` (the pass rule's line, a fraction of 1: at the line passes)."""
    return [
        {
            "name": n,
            "score": float(s),
            "max": float(x),
            "rate": round(float(s / x * 100), 2) if x else 0.0,
            "passed": bool(x) and s / x >= rate_min,
        }
        for n, (s, x) in firsts.items()
    ]


def from_breakdown(path: Path, source: str, rate_min: Fraction) -> CountyResult:
    """Scores from a task-breakdown workbook: the 评分汇总 facts and the 核定 sheet's rows; a
    first level passes at ``rate_min``, the pass rule of the system data (the workbook's sentence
    「得分率≧75%」 is shown as it is, never read back for the rule)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        summary = [row for row in wb["评分汇总"].iter_rows(max_row=40, values_only=True)]
        review = [row for row in wb["核定"].iter_rows(values_only=True)]
        meta = (
            {str(r[0]): r[1] for r in wb["_meta"].iter_rows(values_only=True) if r and r[0]}
            if "_meta" in wb.sheetnames
            else {}
        )
    finally:
        wb.close()
    m = _TITLE.match(str(summary[0][0] or ""))
    if not m:
        raise ValueError("评分汇总表的标题无法识别")
    facts = {str(r[0]): r[1] for r in summary if r and r[0] is not None and len(r) > 1}
    vm = _VERSION.search(str(facts.get("指标体系") or ""))  # a workbook written before _meta held it
    version = str(meta.get("spec_version") or (vm.group("version") if vm else ""))
    head = next(n for n, r in enumerate(review) if r and "指标键" in r)
    cols = {str(v): c for c, v in enumerate(review[head]) if v}
    levels = 3 if "三级指标" in cols else 2  # a two-level system's 核定 sheet names its indicators 二级指标
    name_col = cols["三级指标" if levels == 3 else "二级指标"]
    indicators, firsts = [], {}
    rows = [r for r in review[head + 1 :] if r and r[cols["指标键"]]]
    rows.sort(key=lambda r: int(r[cols["编号"]]))  # the 核定 sheet lists the rows 待核定 first
    for r in rows:
        if not r or not r[cols["指标键"]]:
            continue
        confirmed = r[cols["核定得分"]]
        score = confirmed if confirmed not in (None, "") else r[cols["计算得分"]]
        ind = {
            "key": str(r[cols["指标键"]]),
            "no": int(r[cols["编号"]]),
            "name": str(r[name_col]),
            "first": str(r[cols["一级指标"]]),
            "score": score,
            "max": r[cols["满分"]],
            "status_text": "已核定" if confirmed not in (None, "") else str(r[cols["计算状态"]] or ""),
        }
        indicators.append(ind)
        f = firsts.setdefault(ind["first"], [Fraction(0), Fraction(0)])
        f[0] += _frac(score)
        f[1] += _frac(ind["max"])
    text = str(facts.get("合格标准") or "")
    first_level = first_level_rows(firsts, rate_min)
    yes = {"是", True}
    return CountyResult(
        county=m.group("county"),
        prefecture="",
        year=int(m.group("year")),
        version=version,
        system_title=str(facts.get("指标体系") or ""),
        total=_frac(facts.get("自评总分")),
        max=_frac(facts.get("满分")),
        passed=facts.get("结论") == "达到合格标准",
        total_ok=next((v in yes for k, v in facts.items() if k.startswith("总分≥")), False),
        levels_ok=next((v in yes for k, v in facts.items() if k.startswith("每个一级指标得分率")), False),
        pass_text=text,
        first_level=first_level,
        indicators=indicators,
        pending=[i["key"] for i in indicators if i["status_text"] == Status.REVIEW.label],
        references=None,
        source=source,
        generated_at=str(facts.get("生成时间") or ""),
        kind="breakdown",
        levels=levels,
    )


def _visible(p: Path, root: Path) -> bool:
    """A file someone put there: not hidden (the run's own ``.yongji-outputs.json``), not a lock
    file or a macOS fork."""
    parts = p.relative_to(root).parts
    return p.is_file() and not any(x.startswith((".", "~$", "._")) or x == "__MACOSX" for x in parts)


def _is_breakdown(path: Path) -> bool:
    """A task-breakdown workbook by its name, or by its ``_meta`` (``kind = breakdown``) when renamed."""
    if "任务分解表" in path.name:
        return True
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if "_meta" not in wb.sheetnames:
                return False
            meta = {str(r[0]): r[1] for r in wb["_meta"].iter_rows(max_row=40, values_only=True) if r and r[0]}
            return meta.get("kind") == "breakdown"
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - not a workbook we can open: not a breakdown
        return False


def _unused_folders(folder: Path, used: set[Path], named: set[str]) -> list[Issue]:
    """Every folder holding files from which no result was taken and none of whose files was
    named already: 「未纳入汇总」, never silently dropped."""
    out = []
    dirs = sorted({p.parent for p in folder.rglob("*") if _visible(p, folder)})
    for d in dirs:
        if any(u == d or d in u.parents or u in d.parents for u in used):
            continue
        rel = str(d.relative_to(folder)) if d != folder else "."
        if any(n == rel or n.startswith(rel + "/") or n.startswith(rel + "\\") for n in named):
            continue
        out.append(issue("rollup_folder_unused", file=rel))
    return out


def collect(folder: str | Path, spec: Spec | None = None) -> Rollup:
    """Read every county result under ``folder``; ``spec`` (given with --system/--config) fixes
    the version compared and the prefecture's name, otherwise the most common version/year wins."""
    folder = Path(folder)
    issues: list[Issue] = []
    results: list[CountyResult] = []
    jsons = sorted(p for p in folder.rglob("*.json") if _visible(p, folder))
    rate_min = (spec or load_spec()).pass_rule.rate_min  # a breakdown-only county is judged by the system data
    for p in jsons:
        rel = str(p.relative_to(folder))
        try:
            doc = json.loads(p.read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
            issues.append(issue("rollup_unreadable", file=rel, detail=type(e).__name__))
            continue
        if not isinstance(doc, dict) or not {"year", "total", "indicators"} <= set(doc):
            issues.append(issue("rollup_not_result", file=rel))
            continue
        try:
            results.append(from_scores(doc, rel, p.parent.name if p.parent != folder else p.stem, issues))
        except (KeyError, TypeError, ValueError) as e:
            issues.append(issue("rollup_unreadable", file=rel, detail=f"缺少或无效的项目{e}"))
    with_result = {folder / r.source for r in results}
    done = {p.parent for p in with_result}  # a folder with a usable scores.json: its breakdown is not read again
    books = sorted(
        p for p in folder.rglob("*.xlsx") if _visible(p, folder) and p.parent not in done and _is_breakdown(p)
    )
    for p in books:
        rel = str(p.relative_to(folder))
        try:
            results.append(from_breakdown(p, rel, rate_min))
        except Exception as e:  # noqa: BLE001 - any unreadable workbook is one finding, not a stop
            issues.append(
                issue("rollup_unreadable", file=rel, detail=str(e) if isinstance(e, ValueError) else type(e).__name__)
            )
    used = {(folder / r.source).parent for r in results}
    issues.extend(_unused_folders(folder, used, {str(Path(i.file).parent) for i in issues if i.file}))
    return _group(results, issues, spec)


def _group(results: list[CountyResult], issues: list[Issue], spec: Spec | None) -> Rollup:
    latest: dict[str, CountyResult] = {}  # each county votes once, with its latest year: earlier ones are its trend
    for r in results:
        if r.county not in latest or r.year > latest[r.county].year:
            latest[r.county] = r
    voters = list(latest.values())
    known = [(r.version, r.year) for r in voters if r.version]
    if spec is not None:
        years = Counter(y for v, y in known if v == spec.version) or Counter(r.year for r in voters)
        main = (spec.version, max(years, key=lambda y: (years[y], y)) if years else spec.default_year)
    elif known:
        counts = Counter(known)
        main = max(counts, key=lambda k: (counts[k], k[1], k[0]))
    else:
        years = Counter(r.year for r in voters)
        main = ("", max(years, key=lambda y: (years[y], y))) if years else ("", 0)
    counties: dict[str, CountyResult] = {}
    excluded: list[tuple[CountyResult, str]] = []
    in_main = {r.county for r in results if r.year == main[1] and not (r.version and main[0] and r.version != main[0])}
    earlier: dict[str, dict[int, CountyResult]] = {}
    for r in results:
        if r.county in in_main and r.year < main[1]:  # a compared county's earlier year: its trend
            old = earlier.setdefault(r.county, {}).get(r.year)
            if old is None or (r.generated_at, r.kind == "scores") > (old.generated_at, old.kind == "scores"):
                earlier[r.county][r.year] = r
            continue
        if r.year != main[1] or (r.version and main[0] and r.version != main[0]):
            issues.append(
                issue(
                    "rollup_other_system",
                    file=r.source,
                    county=r.county,
                    version=r.version or "未知",
                    year=r.year,
                    main_version=main[0] or "未知",
                    main_year=main[1],
                )
            )
            excluded.append((r, f"指标体系「{r.version or '未知'}」版、{r.year}年度，与本次汇总不同"))
            continue
        if not r.version:
            issues.append(issue("rollup_version_unknown", file=r.source, year=r.year, main_version=main[0] or "未知"))
        old = counties.get(r.county)
        if old is not None:
            keep, drop = (
                (r, old)
                if (r.generated_at, r.kind == "scores") > (old.generated_at, old.kind == "scores")
                else (old, r)
            )
            issues.append(issue("rollup_duplicate", file=drop.source, county=r.county, used=keep.source))
            excluded.append((drop, f"重复，已采用{keep.source}"))
            counties[r.county] = keep
        else:
            counties[r.county] = r
    chosen = list(counties.values())
    prefectures = Counter(c.prefecture for c in chosen if c.prefecture)
    prefecture = (spec.office.get("prefecture", "") if spec is not None else "") or (
        prefectures.most_common(1)[0][0] if prefectures else ""
    )
    title = next((c.system_title for c in chosen if c.system_title), spec.title if spec is not None else "")
    text = next((c.pass_text for c in chosen if c.pass_text), "")
    system = spec or load_spec()
    history = {county: [years[y] for y in sorted(years)] for county, years in earlier.items()}
    rules = Counter(c.rule for c in chosen if c.rule is not None)
    total_min, rate_min = (
        rules.most_common(1)[0][0]
        if rules and spec is None
        else (Fraction(system.pass_rule.total_min), system.pass_rule.rate_min)
    )
    return Rollup(prefecture, main[1], main[0], title, text, chosen, excluded, issues, total_min, rate_min, history)
