"""Last year's results (``run --previous``): an earlier run's scores.json, read into plain figures.

SAMR's 2026 rules make creation a period of at least three years, assessed year after year, so a
county wants to see how this year compares with the last. What is compared is what last year's
run *said* (its scores.json: total, first levels, each indicator's score and status), never a
re-scoring of last year's workbooks: a figure in last year's report must stay the figure compared.
A folder is accepted too (last year's output folder: its scores.json). Every way the file can be
wrong is one Chinese sentence naming it (:class:`~yongji_xls.issues.YongjiError`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..issues import YongjiError

SCORES_NAME = "scores.json"


@dataclass(frozen=True)
class PastIndicator:
    key: str
    no: int
    name: str
    score: Fraction
    max: Fraction
    status: str  # the status code scores.json carries (met, partial, …)


@dataclass(frozen=True)
class PastLevel:
    name: str
    score: Fraction
    max: Fraction


@dataclass(frozen=True)
class PastResult:
    """What last year's scores.json says, exactly as it says it (its numbers as written)."""

    year: int
    county: str
    version: str
    title: str
    total: Fraction
    max: Fraction
    passed: bool
    first_level: tuple[PastLevel, ...]
    indicators: tuple[PastIndicator, ...]
    source: str  # the file, as the office named it


def _exact(value: Any) -> Fraction:
    """A JSON number as it is written (0.1 stays one tenth, never the float's binary value)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(value)
    return Fraction(str(value))


def past_from_document(doc: Mapping[str, Any], source: str) -> PastResult:
    """A scores.json document as a :class:`PastResult`; KeyError/TypeError/ValueError when it is
    not one (the caller names the file)."""
    system = doc.get("system") or {}
    return PastResult(
        year=int(doc["year"]),
        county=str(doc.get("county") or ""),
        version=str(system.get("version") or doc.get("spec_version") or ""),
        title=str(system.get("title") or ""),
        total=_exact(doc["total"]),
        max=_exact(doc["max"]),
        passed=bool(doc["passed"]),
        first_level=tuple(
            PastLevel(str(f["name"]), _exact(f["score"]), _exact(f["max"])) for f in doc.get("first_level") or ()
        ),
        indicators=tuple(
            PastIndicator(
                str(i["key"]), int(i["no"]), str(i["name"]), _exact(i["score"]), _exact(i["max"]), str(i["status"])
            )
            for i in doc["indicators"]
        ),
        source=source,
    )


def scores_file(path: str | Path) -> Path:
    """The scores.json ``path`` names: the file itself, or the one in an output folder."""
    p = Path(path)
    return p / SCORES_NAME if p.is_dir() else p


def read_previous(path: str | Path) -> PastResult:
    """Last year's results from ``path`` (a scores.json, or the output folder holding one)."""
    file = scores_file(path)
    if not file.is_file():
        raise YongjiError("previous_missing", path=path)
    try:
        doc = json.loads(file.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise YongjiError("previous_unreadable", path=file, detail=type(e).__name__) from e
    try:
        if not isinstance(doc, Mapping):
            raise TypeError(type(doc).__name__)
        return past_from_document(doc, file.name)
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
        raise YongjiError("previous_not_scores", path=file) from e


def check_previous(past: PastResult, year: int, county: str) -> None:
    """Last year's results must be an earlier year of the same county."""
    if past.year >= year:
        raise YongjiError("previous_not_earlier", path=past.source, previous=past.year, year=year)
    if past.county and county and past.county != county:
        raise YongjiError("previous_other_county", path=past.source, previous=past.county, county=county)


def find_previous(folders: Iterable[str | Path], year: int) -> Path | None:
    """The scores.json of ``year - 1`` in ``folders`` or their subfolders (the web page's
    workspace keeps earlier years' results there), or None."""
    for folder in folders:
        root = Path(folder)
        if not root.is_dir():
            continue
        for file in sorted([root / SCORES_NAME, *root.glob(f"*/{SCORES_NAME}")]):
            try:
                if file.is_file() and int(json.loads(file.read_text("utf-8-sig")).get("year")) == year - 1:
                    return file
            except (OSError, ValueError, TypeError, AttributeError, RecursionError):
                continue  # not a results file: the run does without a comparison
    return None


def keep_earlier(results: str | Path, archive: str | Path, year: int) -> Path | None:
    """Copy ``results``' scores.json into ``archive/<年度>年度/`` when it is of a year before
    ``year`` (a workspace moving on to a new year keeps last year's results before this year's
    run replaces them); the copy, or None when there was nothing earlier to keep."""
    file = Path(results) / SCORES_NAME
    try:
        past = int(json.loads(file.read_text("utf-8-sig")).get("year"))
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    if past >= year:
        return None
    target = Path(archive) / f"{past}年度" / SCORES_NAME
    if not target.is_file():
        from ..files.atomic import write_bytes

        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, file.read_bytes())
    return target
