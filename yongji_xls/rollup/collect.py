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
    levels: int = 3  # 2: groups → indicators (the system's indicators are its 二级指标)


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
        """Indicators by how many counties lost points on them, then by points lost in all."""
        frame = self.long_frame()
        lost = frame[frame["lost"] > 0]
        table = (
            lost.groupby(["key", "no", "name", "max"], sort=False)
            .agg(counties=("county", "count"), lost=("lost", "sum"), names=("county", "、".join))
            .reset_index()
        )
        return table.sort_values(["counties", "lost", "no"], ascending=[False, False, True], kind="stable").reset_index(
            drop=True
        )

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
    finally:
        wb.close()
    m = _TITLE.match(str(summary[0][0] or ""))
    if not m:
        raise ValueError("评分汇总表的标题无法识别")
    facts = {str(r[0]): r[1] for r in summary if r and r[0] is not None and len(r) > 1}
    vm = _VERSION.search(str(facts.get("指标体系") or ""))
    head = next(n for n, r in enumerate(review) if r and r[0] == "指标键")
    cols = {str(v): c for c, v in enumerate(review[head]) if v}
    levels = 3 if "三级指标" in cols else 2  # a two-level system's 核定 sheet names its indicators 二级指标
    name_col = cols["三级指标" if levels == 3 else "二级指标"]
    indicators, firsts = [], {}
    for r in review[head + 1 :]:
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
        version=vm.group("version") if vm else "",
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


def _sources(folder: Path) -> tuple[list[Path], list[Path]]:
    """(scores.json-like files, breakdown workbooks of folders that hold no scores.json)."""

    def visible(p: Path) -> bool:
        return p.is_file() and not p.name.startswith(("~$", "._", ".~lock")) and "__MACOSX" not in p.parts

    jsons = sorted(p for p in folder.rglob("*.json") if visible(p))
    with_json = {p.parent for p in jsons}
    books = sorted(p for p in folder.rglob("*任务分解表*.xlsx") if visible(p) and p.parent not in with_json)
    return jsons, books


def collect(folder: str | Path, spec: Spec | None = None) -> Rollup:
    """Read every county result under ``folder``; ``spec`` (given with --system/--config) fixes
    the version compared and the prefecture's name, otherwise the most common version/year wins."""
    folder = Path(folder)
    issues: list[Issue] = []
    results: list[CountyResult] = []
    jsons, books = _sources(folder)
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
    for p in books:
        rel = str(p.relative_to(folder))
        try:
            results.append(from_breakdown(p, rel, rate_min))
        except Exception as e:  # noqa: BLE001 - any unreadable workbook is one finding, not a stop
            issues.append(
                issue("rollup_unreadable", file=rel, detail=str(e) if isinstance(e, ValueError) else type(e).__name__)
            )
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
    history = {county: [years[y] for y in sorted(years)] for county, years in earlier.items()}
    return Rollup(prefecture, main[1], main[0], title, text, chosen, excluded, issues, history)
