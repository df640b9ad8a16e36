"""A run: read a folder, merge and score (:func:`run`), write the output set (:func:`write_outputs`),
score figures given as data, roll counties up, and what the faces say about a result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..issues import Issue, UnitState, YongjiError, os_reason
from ..values.previous import SCORES_NAME
from .display import show_figure
from .system import load_system

if TYPE_CHECKING:
    from ..collect.read import Progress
    from ..executor import Executor
    from ..records import RunResult, Submission
    from ..scoring.scorecard import Scorecard
    from ..system.model import Reference, Spec


@dataclass
class Written:
    """What :func:`write_outputs` wrote: output name -> path, and the issues writing raised."""

    paths: dict[str, Path] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per writer (the benchmark prints them)


def check_dirs(in_dir: str | Path, out_dir: str | Path) -> None:
    """Refuse an input folder that does not exist, an output folder inside the input (the tool
    never writes among the units' files) and an output path that is a file; create the output folder."""
    from ..files.safe_names import ensure_outside

    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.is_dir():
        raise YongjiError("input_dir_missing", path=in_dir)
    try:
        ensure_outside(out_dir, in_dir)
    except ValueError as e:
        raise YongjiError("output_inside_input", out=out_dir, input=in_dir) from e
    if out_dir.exists() and not out_dir.is_dir():
        raise YongjiError("output_not_dir", path=out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise YongjiError("output_dir_unwritable", path=out_dir, reason=os_reason(e)) from e


def run(
    in_dir: str | Path,
    *,
    spec: Spec | None = None,
    year: int | None = None,
    region: str | None = None,
    references: Iterable[Reference] = (),
    review: str | Path | None = None,
    progress: Progress | None = None,
    reference_issues: Iterable[Issue] = (),
    now: dt.datetime | None = None,
    executor: Executor | None = None,
    previous: str | Path | None = None,
) -> RunResult:
    """Read, check, merge and score every file in ``in_dir``; writes nothing.
    ``reference_issues``: the warnings of :func:`read_references`, kept in the run's issues.
    ``now``: the run's time, which every output shows (生成时间, the report's date); default the
    clock. A fixed one makes the outputs of the same inputs identical (the golden tests).
    ``executor``: the caller's (:func:`executor`), whose reading pool reads a large folder.
    ``previous``: last year's output folder or scores.json; the result then carries the change
    (``result.previous``, a :class:`~yongji_xls.scoring.year_on_year.YearOnYear`)."""
    from ..collect.run import run as _run

    spec = spec or load_system()
    _check_region(spec, region)
    in_dir = Path(in_dir)
    if not in_dir.is_dir():
        raise YongjiError("input_dir_missing", path=in_dir)
    if review and not Path(review).is_file():
        raise YongjiError("review_missing", path=review)
    past = _previous(previous, spec, year or spec.default_year) if previous else None  # refused before reading
    result = _run(
        spec, in_dir, year, region, tuple(references), Path(review) if review else None, progress, now, executor
    )
    result.report.extend(reference_issues)
    _refuse_other_system(spec, result)
    if past is not None:
        from ..scoring.year_on_year import compare

        result.previous = compare(result.card, past)
    return result


def _previous(path: str | Path, spec: Spec, year: int) -> Any:
    """Last year's results, refused unless they are an earlier year of this county."""
    from ..values.previous import check_previous, read_previous

    past = read_previous(path)
    check_previous(past, year, str(spec.office.get("city", "")))
    return past


def keep_earlier_results(results: str | Path, archive: str | Path, year: int) -> Path | None:
    """Keep the results folder's scores.json of an earlier year under ``archive`` (see
    :func:`yongji_xls.values.previous.keep_earlier`) before a run of ``year`` replaces it."""
    from ..values.previous import keep_earlier

    try:
        return keep_earlier(results, archive, year)
    except OSError as e:
        raise YongjiError("write_failed", path=archive, reason=os_reason(e)) from e


def year_on_year_view(result: RunResult) -> dict[str, Any] | None:
    """The change on last year as the web overview shows it (ready strings), or None."""
    from ..report.year_sheet import change_text, year_label

    yoy = result.previous
    if yoy is None:
        return None
    before = f"{yoy.previous_year}年度{show_figure(yoy.previous_total)}分"
    return {
        "headline": f"较{year_label(yoy)}{change_text(yoy.total_change)}（{before}）",
        "label": year_label(yoy),
        "levels": [
            {
                "name": lv.name,
                "previous": show_figure(lv.previous_rate * 100) + "%",
                "current": show_figure(lv.current_rate * 100) + "%",
                "change": change_text(lv.rate_change, "个百分点"),
            }
            for lv in yoy.levels
        ],
        "gained": len(yoy.gained),
        "lost": len(yoy.lost),
        "compared": len(yoy.indicators),
        "not_comparable": len(yoy.not_comparable),
    }


def find_previous(folders: Iterable[str | Path], year: int) -> Path | None:
    """The scores.json of the year before ``year`` in ``folders`` or their subfolders (the web
    page's workspace keeps earlier years' results), or None."""
    from ..values.previous import find_previous as _find

    return _find(folders, year)


def _check_region(spec: Spec, region: str | None) -> None:
    """The region categories are the system's (``region.thresholds``), not a list in the code."""
    if region and region not in spec.region_thresholds:
        raise YongjiError("region_invalid", region=region, choices="、".join(spec.region_thresholds))


def _refuse_other_system(spec: Spec, result: RunResult) -> None:
    """Scores of one system must never be computed from templates of another: a folder in which
    no template carries the current ``spec_version`` is refused (a stray old file among current
    ones only gets the reader's per-file warning)."""
    versions: dict[str, list[str]] = {}
    for sub in result.submissions:
        version = sub.meta.get("spec_version", "") if sub.meta.get("kind", "template") == "template" else ""
        if version:
            versions.setdefault(version, []).append(sub.file)
    if versions and spec.version not in versions:
        found = "；".join(
            f"版本「{v}」：{'、'.join(files[:3])}{'等' + str(len(files)) + '个文件' if len(files) > 3 else ''}"
            for v, files in versions.items()
        )
        raise YongjiError("other_system", found=found, title=spec.title, version=spec.version)


CSV_FOLDER = "数据表"


def executor(*, helper: bool | None = None, read_workers: int | None = None) -> Executor:
    """The processes of a caller's runs, to be closed by the caller (``with api.executor() as ex:``).

    Its report helper process starts now, so that its start-up is hidden behind reading
    (``helper``: None when a second core is free — ``YONGJI_XLS_HELPER=0/1`` decides instead —,
    True always, False never); its reading pool reads a folder of 300 files or more
    (``read_workers``: its size; default one per CPU, at most 8). Pass it to :func:`run` and
    :func:`write_outputs`; without one they read and write in this process."""
    from ..executor import Executor
    from ..report.write_stage import warm

    return Executor(helper=None if helper is False else warm, force_helper=bool(helper), read_workers=read_workers)


def write_outputs(
    result: RunResult,
    out_dir: str | Path,
    *,
    fonts: str = "gb",
    csv: bool = False,
    executor: Executor | None = None,
    date: dt.date | None = None,
) -> Written:
    """Write scores.json, the breakdown workbook, the Word report and the feedback set, as one
    set replacing the previous run's; a writer that fails is an Issue in ``Written.issues``.
    ``fonts``: ``gb`` (GB/T 9704 names with declared fallbacks) or ``windows`` (仿宋/楷体/宋体/黑体);
    ``csv``: also the analysts' tables in ``数据表/`` (keyed by file name in ``Written.paths``);
    ``executor``: the caller's (:func:`executor`), whose helper process writes the Word report
    and a share of the feedback workbooks; ``date``: the report's 成文日期 (:func:`report_date`;
    default the run's date)."""
    from ..report.docx_fonts import FONT_SETS
    from ..report.write_stage import write_all

    if fonts not in FONT_SETS:
        raise YongjiError("fonts_invalid", fonts=fonts, choices="、".join(FONT_SETS))
    out_dir = Path(out_dir)
    try:
        stage = write_all(result, out_dir, executor, fonts=fonts, date=date)
    except PermissionError as e:
        raise YongjiError("output_locked", path=e.filename or out_dir) from e
    except OSError as e:
        raise YongjiError("output_dir_unwritable", path=out_dir, reason=os_reason(e)) from e
    written = Written(dict(stage.paths), list(stage.issues), dict(stage.timings))
    if csv:
        from ..report.frames import write_csv

        written.paths.update(write_csv(result, out_dir / CSV_FOLDER))
    return written


def report_date(text: str) -> dt.date:
    """成文日期 as typed: 「2025-01-28」 or 「2025年1月28日」; a YongjiError otherwise."""
    import re

    found = re.fullmatch(r"\s*(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?\s*", str(text or ""))
    try:
        if found:
            return dt.date(*(int(g) for g in found.groups()))
    except ValueError:
        pass
    raise YongjiError("date_invalid", date=text)


def check_file(
    path: str | Path, display: str | None = None, *, spec: Spec | None = None, year: int | None = None
) -> Submission:
    """Pre-flight and read one returned file on its own (an upload, say); never raises."""
    from ..collect.read import read_one

    spec = spec or load_system()
    p = Path(path)
    return read_one(spec, p, display or p.name, year or spec.default_year)


def values_year(values_path: str | Path) -> int | None:
    """The year a values file declares (the window its reference figures are checked against),
    or None when it declares none or cannot be read (:func:`score_values` then says why)."""
    from ..scoring.values_file import InputError, read_values_file

    try:
        year = read_values_file(values_path).get("year")
        return int(year) if year else None
    except (InputError, TypeError, ValueError):
        return None


def write_scores(out: str | Path, card: Scorecard, issues: Iterable[Issue], *, spec: Spec | None = None) -> Path:
    """The scores.json of :func:`score_values`' card (built where every scores.json is)."""
    from ..files.atomic import write_text
    from ..report.scores_json import dumps, values_document

    try:
        return write_text(out, dumps(values_document(spec or load_system(), card, issues)))
    except OSError as e:
        raise YongjiError("write_failed", path=out, reason=os_reason(e)) from e


def score_summary_lines(card: Scorecard, *, spec: Spec | None = None) -> list[str]:
    """What the CLI prints after ``score``: the verdict, the first levels and the 达标路径."""
    from ..report.summary import path_lines, summary_lines
    from ..scoring.path_to_pass import path_to_pass as _path

    spec = spec or load_system()
    return summary_lines(card, spec.pass_rule.rate_min) + path_lines(_path(spec, card), spec)


def run_summary_lines(result: RunResult) -> list[str]:
    """What the CLI prints after ``run``: the verdict, the first levels, units and the 达标路径."""
    from ..report.summary import run_summary_lines as _lines

    return _lines(result)


def sample_workbooks() -> Path:
    """The bundled sample workbooks of ``demo``."""
    from ..files.data_paths import bundled

    try:
        return bundled("sample_workbooks")
    except FileNotFoundError as e:
        raise YongjiError("samples_missing", detail=str(e)) from e


def sample_previous() -> Path:
    """The bundled previous-year results of ``demo`` (the sample county's 2023 scores.json, made
    by ``scripts/make_previous_year.py``), kept apart from the demo's input folder."""
    from ..files.data_paths import bundled

    try:
        return bundled("sample_previous") / SCORES_NAME
    except FileNotFoundError as e:
        raise YongjiError("samples_missing", detail=str(e)) from e


def score_values(
    values_path: str | Path,
    *,
    spec: Spec | None = None,
    references: Iterable[Reference] = (),
    year: int | None = None,
    region: str | None = None,
) -> tuple[Scorecard, list[Issue]]:
    """Score an already-merged values JSON file (``score --values``)."""
    from ..scoring.values_file import score_values_file

    spec = spec or load_system()
    _check_region(spec, region)
    return score_values_file(spec, values_path, tuple(references), year, region)  # InputError: values_invalid


def rollup(in_dir: str | Path, out_dir: str | Path, *, spec: Spec | None = None) -> tuple[Any, dict[str, Path]]:
    """The city bureau's rollup of the county results under ``in_dir`` (scores.json files or
    breakdown workbooks): returns the :class:`~yongji_xls.rollup.collect.Rollup` and the paths written.
    ``spec`` (from --system/--config) fixes the system version compared and the city's name."""
    from ..rollup.collect import collect
    from ..rollup.write import write_rollup

    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.is_dir():
        raise YongjiError("folder_missing", path=in_dir)
    data = collect(in_dir, spec)
    if not data.counties:
        detail = "；".join(i.text for i in data.issues[:5])
        raise YongjiError("rollup_nothing", path=in_dir, detail=detail)
    try:
        return data, write_rollup(data, out_dir)
    except PermissionError as e:
        raise YongjiError("output_locked_rollup", path=e.filename or out_dir) from e
    except OSError as e:
        raise YongjiError("output_dir_unwritable", path=out_dir, reason=os_reason(e)) from e


def reminders(result: RunResult) -> dict[str, str]:
    """Unit -> its 催报 text (the wording of ``templates/reminder.j2``), for units not 已报送."""
    from ..report.context import reminder_context
    from ..report.templates_path import template_env

    template = template_env().get_template("reminder.j2")
    return {
        u.unit: " ".join(template.render(**reminder_context(result, u)).split())
        for u in result.units
        if u.state != UnitState.SUBMITTED
    }


def path_to_pass(result: RunResult) -> Any:
    """The 达标路径 of a run (:class:`~yongji_xls.scoring.path_to_pass.PathToPass`): what it takes to pass,
    with the deadlines from the units' templates; its ``as_dict()`` is scores.json's ``path_to_pass``."""
    from ..scoring.path_to_pass import path_for_run

    return path_for_run(result)


def path_to_pass_lines(result: RunResult) -> list[str]:
    """The 达标路径 in the three sentences the CLI prints (the web page shows the same)."""
    from ..report.summary import path_lines

    return [line.strip() for line in path_lines(path_to_pass(result), result.spec)]
