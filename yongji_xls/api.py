"""The library face: the functions every front-end (the CLI, the web page) calls.

Front-ends parse their own input, call one of these, and show what comes back. Nothing here
prints or knows about click or HTTP; a fatal problem is a :class:`~yongji_xls.issues.YongjiError`
carrying the Chinese sentence to show, everything else is an Issue in the returned objects.
Heavy modules are imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .issues import Issue, UnitState, YongjiError, os_reason

if TYPE_CHECKING:
    from .collect.read import Progress
    from .executor import Executor
    from .records import RunResult, Submission
    from .scoring.scorecard import Scorecard
    from .system.model import Reference, Spec

__all__ = [
    "Written",
    "executor",
    "find_previous",
    "keep_earlier_results",
    "year_on_year_view",
    "YongjiError",
    "check_dirs",
    "check_file",
    "export_system",
    "init_office",
    "office_plan",
    "load_references",
    "read_references",
    "load_system",
    "rollup",
    "path_to_pass",
    "path_to_pass_lines",
    "read_review",
    "reminders",
    "report_date",
    "run",
    "check_system",
    "score_values",
    "write_outputs",
    "write_review",
    "write_templates",
    "zip_folder",
]


@dataclass
class Written:
    """What :func:`write_outputs` wrote: output name -> path, and the issues writing raised."""

    paths: dict[str, Path] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per writer (the benchmark prints them)


def load_system(system: str | Path | None = None, config: str | Path | None = None) -> Spec:
    """The validated indicator system (shipped, a spec YAML folder or a system workbook) with
    an office's unit configuration (单位配置.xlsx) laid over it; defaults: 2022 system, Yongji."""
    return _build_system(system or None, config or None)  # SpecError, ConfigError: fatal, every problem listed


def check_system(system: str | Path | None = None, config: str | Path | None = None) -> list[str]:
    """Every problem of an indicator system (structure first, then consistency), each naming its
    file and path; empty when it loads. A system that is not there at all is fatal (YongjiError)."""
    from .system.load import SpecError, SpecNotFound

    try:
        _build_system(system or None, config or None)
    except SpecNotFound:
        raise
    except SpecError as e:
        return list(e.problems)
    return []


def _read_system(system: str | Path | None) -> dict[str, Any]:
    """The raw system from where it is: an Excel workbook is read at the workbook edge, a YAML
    folder (or the shipped one) by ``system``; both give the same plain shape."""
    from .system.load import read_system

    p = Path(system) if system else None
    if p is not None and p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
        from .workbook.write.system_workbook import read_system_workbook

        return read_system_workbook(p)
    return read_system(p)


def _build_system(system: str | Path | None, config: str | Path | None) -> Spec:
    """Compose the workbook edge and ``system``: read the system and the office configuration
    into plain data, lay one over the other, then check and build (raises SpecError/ConfigError)."""
    from .system.load import build_system, load_spec, with_office

    if not config and (not system or Path(system).is_dir()):
        return load_spec(str(system) if system else None)  # cached per process (and on disk when shipped)
    raw = _read_system(system)
    if config:
        from .workbook.write.office_config import read_config

        units, region = read_config(config, tuple(raw["system"]["region"]["thresholds"]))
        raw = with_office(raw, units, region)
    locate = None
    if "_where" in raw:
        from .workbook.write.system_workbook import locate_problems

        def locate(problems: list[str]) -> list[str]:
            return locate_problems(problems, raw["_where"])

    return build_system(raw, locate)


def load_references(path: str | Path | None) -> tuple[Reference, ...]:
    """National reference figures from a ``--reference`` file (none when ``path`` is empty),
    without the warnings that need the indicator system (see :func:`read_references`)."""
    if not path:
        return ()
    from .values.references import read_references as _read

    return _read(path)[0]  # ReferenceFileError: fatal, every problem listed


def read_references(
    path: str | Path | None, *, spec: Spec | None = None, year: int | None = None
) -> tuple[tuple[Reference, ...], list[Issue]]:
    """National figures from a ``--reference`` file and the warnings about them (unknown names,
    years outside the assessed window, 0.58 for 58 %); pass the warnings to :func:`run`."""
    if not path:
        return (), []
    from .values.references import read_references as _read

    return _read(path, spec or load_system(), year)


def check_dirs(in_dir: str | Path, out_dir: str | Path) -> None:
    """Refuse an input folder that does not exist, an output folder inside the input (the tool
    never writes among the units' files) and an output path that is a file; create the output folder."""
    from .files.safe_names import ensure_outside

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
    from .collect.run import run as _run

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
        from .scoring.year_on_year import compare

        result.previous = compare(result.card, past)
    return result


def _previous(path: str | Path, spec: Spec, year: int) -> Any:
    """Last year's results, refused unless they are an earlier year of this county."""
    from .values.previous import check_previous, read_previous

    past = read_previous(path)
    check_previous(past, year, str(spec.office.get("city", "")))
    return past


def keep_earlier_results(results: str | Path, archive: str | Path, year: int) -> Path | None:
    """Keep the results folder's scores.json of an earlier year under ``archive`` (see
    :func:`yongji_xls.values.previous.keep_earlier`) before a run of ``year`` replaces it."""
    from .values.previous import keep_earlier

    try:
        return keep_earlier(results, archive, year)
    except OSError as e:
        raise YongjiError("write_failed", path=archive, reason=os_reason(e)) from e


def year_on_year_view(result: RunResult) -> dict[str, Any] | None:
    """The change on last year as the web overview shows it (ready strings), or None."""
    from .report.year_sheet import change_text, year_label

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
    from .values.previous import find_previous as _find

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
    from .executor import Executor
    from .report.write_stage import warm

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
    from .report.docx_fonts import FONT_SETS
    from .report.write_stage import write_all

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
        from .report.frames import write_csv

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
    from .collect.read import read_one

    spec = spec or load_system()
    p = Path(path)
    return read_one(spec, p, display or p.name, year or spec.default_year)


def values_year(values_path: str | Path) -> int | None:
    """The year a values file declares (the window its reference figures are checked against),
    or None when it declares none or cannot be read (:func:`score_values` then says why)."""
    from .scoring.values_file import InputError, read_values_file

    try:
        year = read_values_file(values_path).get("year")
        return int(year) if year else None
    except (InputError, TypeError, ValueError):
        return None


def write_scores(out: str | Path, card: Scorecard, issues: Iterable[Issue], *, spec: Spec | None = None) -> Path:
    """The scores.json of :func:`score_values`' card (built where every scores.json is)."""
    from .files.atomic import write_text
    from .report.scores_json import dumps, values_document

    try:
        return write_text(out, dumps(values_document(spec or load_system(), card, issues)))
    except OSError as e:
        raise YongjiError("write_failed", path=out, reason=os_reason(e)) from e


def score_summary_lines(card: Scorecard, *, spec: Spec | None = None) -> list[str]:
    """What the CLI prints after ``score``: the verdict, the first levels and the 达标路径."""
    from .report.summary import path_lines, summary_lines
    from .scoring.path_to_pass import path_to_pass as _path

    spec = spec or load_system()
    return summary_lines(card, spec.pass_rule.rate_min) + path_lines(_path(spec, card), spec)


def run_summary_lines(result: RunResult) -> list[str]:
    """What the CLI prints after ``run``: the verdict, the first levels, units and the 达标路径."""
    from .report.summary import run_summary_lines as _lines

    return _lines(result)


def system_table(spec: Spec) -> str:
    """The indicator system as the ``spec`` command prints it."""
    from .system.view import spec_table

    return spec_table(spec)


def system_dict(spec: Spec) -> dict[str, Any]:
    """The indicator system as ``spec --format json`` prints it."""
    from .system.view import spec_as_dict

    return spec_as_dict(spec)


def sample_workbooks() -> Path:
    """The bundled sample workbooks of ``demo``."""
    from .files.data_paths import bundled

    try:
        return bundled("sample_workbooks")
    except FileNotFoundError as e:
        raise YongjiError("samples_missing", detail=str(e)) from e


def sample_previous() -> Path:
    """The bundled previous-year results of ``demo`` (the sample county's 2023 scores.json, made
    by ``scripts/make_previous_year.py``), kept apart from the demo's input folder."""
    from .files.data_paths import bundled

    try:
        return bundled("sample_previous") / SCORES_NAME
    except FileNotFoundError as e:
        raise YongjiError("samples_missing", detail=str(e)) from e


SCORES_NAME = "scores.json"


def score_values(
    values_path: str | Path,
    *,
    spec: Spec | None = None,
    references: Iterable[Reference] = (),
    year: int | None = None,
    region: str | None = None,
) -> tuple[Scorecard, list[Issue]]:
    """Score an already-merged values JSON file (``score --values``)."""
    from .scoring.values_file import score_values_file

    spec = spec or load_system()
    _check_region(spec, region)
    return score_values_file(spec, values_path, tuple(references), year, region)  # InputError: values_invalid


def write_templates(
    out_dir: str | Path,
    *,
    spec: Spec | None = None,
    year: int | None = None,
    deadline: str | None = None,
    units: Sequence[str] = (),
    prefill: str | Path | None = None,
) -> list[Path]:
    """One fill-in workbook per unit (``units``: names or aliases; default every unit);
    ``prefill``: a previous run's output folder or scores.json whose known values are written
    into the templates (:mod:`yongji_xls.workbook.write.prefill`)."""
    from .system.load import resolver_of
    from .values.parse import parse_date
    from .workbook.write.template_writer import write_templates as _write

    spec = spec or load_system()
    names = []
    for name in units:
        canonical = resolver_of(spec).canonical(name)
        if canonical is None:
            raise YongjiError("unit_unknown", name=name)
        names.append(canonical)
    when: Any = None
    if deadline:
        parsed = parse_date(deadline)
        if not parsed.ok or parsed.value is None:
            raise YongjiError("deadline_invalid", deadline=deadline)
        when = parsed.value.isoformat()
    fills = None
    if prefill:
        from .system.shares import all_shares
        from .workbook.write.prefill import PrefillError, fill_for, load_known

        try:
            known = load_known(prefill)
        except PrefillError as e:
            raise YongjiError("prefill_invalid", detail=str(e)) from e
        target = year or spec.default_year
        fills = {
            u: f for u in (names or all_shares(spec, target)) if (f := fill_for(spec, known, u, target)) is not None
        }
    try:
        return _write(spec, Path(out_dir), year or spec.default_year, when, names or None, fills)
    except KeyError as e:
        raise YongjiError("units_nothing_to_fill", units=e.args[0]) from e
    except OSError as e:
        raise YongjiError("write_failed", path=out_dir, reason=os_reason(e)) from e


CONFIG_NAME = "单位配置.xlsx"


def init_office(
    directory: str | Path,
    city: str,
    *,
    region: str | None = None,
    prefecture: str = "运城市",
    from_yongji: bool = False,
    system: str | Path | None = None,
    config: str | Path | None = None,
) -> Path:
    """Create an office folder with an editable 单位配置.xlsx (and 模板/报送/结果 subfolders).

    ``from_yongji`` copies Yongji's registry (towns included) as the starting point, ``config``
    another county's configuration; otherwise the registry is derived for ``city`` (市统计局 →
    县统计局, the system's names kept as aliases) and the towns are left to fill in. ``system``
    gives the regions offered. An existing configuration is never overwritten."""
    from .workbook.write.office_config import copy_registry, derived_units, read_config, seat_for, write_config

    city = (city or "").strip()
    if not city:
        raise YongjiError("city_missing")
    target = Path(directory) / CONFIG_NAME
    if target.exists():
        raise YongjiError("config_exists", path=target)
    raw = _read_system(system or None)
    regions = tuple(raw["system"]["region"]["thresholds"])
    base = read_config(config, regions) if config else None
    region = region or (base[1] if base and base[1] else raw["system"]["region"]["default"])
    if region not in regions:
        raise YongjiError("region_invalid", region=region, choices="、".join(regions))
    if from_yongji or base:
        start = base[0] if base else raw["units"]
        registry = copy_registry(start)
        home = str(start.get("office", {}).get("city", ""))
        registry["office"] = {**registry["office"], "city": city, "prefecture": prefecture}
        registry["document"] = start.get("document") or raw["system"].get("document", "")
        if city != home:
            registry["office"] = {
                "city": city,
                "prefecture": prefecture,
                "name": f"{city}网络市场监管与服务示范区创建工作领导小组办公室",
                "seat": seat_for(city, registry["office"].get("seat", "")),
                "superior": f"{prefecture}市场监督管理局",
            }
            registry["document"] = f"{city}创建全国网络市场监管与服务示范区工作方案"
            for g in registry["groups"]:
                g["aliases"] = list(
                    dict.fromkeys([*(a.replace(home, city) for a in g.get("aliases", ())), *g.get("aliases", ())])
                )
            for task in registry["tasks"]:  # the plan's texts are the other county's, to review
                task["units_text"] = str(task["units_text"]).replace(home, city)
    else:
        registry = derived_units(raw["units"], city, prefecture)
    try:
        for sub in ("模板", "报送", "结果"):
            (Path(directory) / sub).mkdir(parents=True, exist_ok=True)
        return write_config(target, registry, region, regions)
    except OSError as e:
        raise YongjiError("write_failed", path=directory, reason=os_reason(e)) from e


def office_plan(config: str | Path) -> tuple[str, list[dict[str, Any]]]:
    """(the county, its work plan's tasks as configured) of a 单位配置.xlsx, for ``init`` to list
    what an office must review; ConfigError (fatal, every problem listed) when it does not read."""
    from .workbook.write.office_config import read_config

    units, _region = read_config(config)
    return str(units["office"].get("city", "")), list(units.get("tasks") or ())


def export_system(out: str | Path, *, system: str | Path | None = None) -> Path:
    """Write the indicator system (default: the shipped 2022 one) as an editable workbook."""
    from .workbook.write.system_workbook import write_system_workbook

    load_system(system)  # never export a system that does not load
    try:
        return write_system_workbook(_read_system(system or None), out)
    except OSError as e:
        raise YongjiError("write_failed_open", path=out, reason=os_reason(e)) from e


def rollup(in_dir: str | Path, out_dir: str | Path, *, spec: Spec | None = None) -> tuple[Any, dict[str, Path]]:
    """The city bureau's rollup of the county results under ``in_dir`` (scores.json files or
    breakdown workbooks): returns the :class:`~yongji_xls.rollup.collect.Rollup` and the paths written.
    ``spec`` (from --system/--config) fixes the system version compared and the city's name."""
    from .rollup.collect import collect
    from .rollup.write import write_rollup

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


def write_review(path: str | Path, entries: dict[str, tuple[str, str]], *, spec: Spec | None = None) -> Path:
    """A review file holding 核定得分/核定说明 typed outside Excel (the web page); pass it as
    ``run(review=...)``, whose reader validates every entry."""
    from .workbook.write.review_file import write_review_file

    try:
        return write_review_file(spec or load_system(), Path(path), entries)
    except OSError as e:
        raise YongjiError("review_unwritable", path=path, reason=os_reason(e)) from e


def read_review(path: str | Path, *, spec: Spec | None = None) -> tuple[dict[str, tuple[Any, str]], list[Issue]]:
    """Indicator key -> (核定得分, 核定说明) of a review file, and its problems; never raises."""
    from .workbook.read.review import read_review as _read

    return _read(spec or load_system(), Path(path))


def review_entries(path: str | Path, *, spec: Spec | None = None) -> dict[str, tuple[str, str]]:
    """Indicator key -> (核定得分 as typed, 核定说明) of every filled row of a review file, valid or not
    (a note without a score included): what the 核定 page shows and edits."""
    from .workbook.read.review import read_entries

    return read_entries(spec or load_system(), Path(path))


def review_row_version(entry: tuple[str, str] | None) -> str:
    """The version of one review row as a page loaded it (:func:`save_review_row` compares it)."""
    from .workbook.write.review_file import row_version

    return row_version(entry)


def save_review_row(
    path: str | Path, key: str, score: str, note: str, loaded_version: str, *, spec: Spec | None = None
) -> Any:
    """Save one indicator's 核定得分 and 核定说明, the other rows untouched; nothing is written when
    the row changed since the page loaded it (``RowSave.conflict``, with what the row holds now)."""
    from .workbook.write.review_file import save_row

    try:
        return save_row(spec or load_system(), Path(path), key, (score, note), loaded_version)
    except OSError as e:
        raise YongjiError("review_unwritable", path=path, reason=os_reason(e)) from e


def pending_references(spec: Spec, year: int | None = None) -> list[str]:
    """The national figures of the assessed years that the system does not ship (待核定 until entered)."""
    from .values.reference_form import pending

    return pending(spec, year or spec.default_year)


def reference_entries(path: str | Path) -> dict[str, Any]:
    """Key -> (value, source, date) as entered, from a reference file (:func:`save_references`)."""
    from .values.reference_form import read_entries

    return read_entries(Path(path))


def save_references(path: str | Path, entries: dict[str, tuple[str, str, str]], *, spec: Spec, year: int) -> Any:
    """Write the ``--reference`` file from entered figures (value, source, date), checked first by
    the reader ``run --reference`` uses; ``Saved.problems`` (nothing written) or ``Saved.warnings``."""
    from .values.reference_form import Entry, save

    try:
        return save(Path(path), {k: Entry(*v) for k, v in entries.items()}, spec, year)
    except OSError as e:
        raise YongjiError("write_failed", path=path, reason=os_reason(e)) from e


def zip_workbooks(data: bytes, display: str, member_limit: int) -> tuple[list[tuple[str, bytes]], list[Issue]]:
    """The workbook members of an uploaded .zip, bounded by the pre-flight's limits (member count,
    sizes, ratios, total) and ``member_limit`` per member, or none with the issue saying why."""
    from .workbook.read.safety.zip_input import read_zip

    return read_zip(data, display, member_limit)


def reminders(result: RunResult) -> dict[str, str]:
    """Unit -> its 催报 text (the wording of ``templates/reminder.j2``), for units not 已报送."""
    from .report.context import reminder_context
    from .report.templates_path import template_env

    template = template_env().get_template("reminder.j2")
    return {
        u.unit: " ".join(template.render(**reminder_context(result, u)).split())
        for u in result.units
        if u.state != UnitState.SUBMITTED
    }


def zip_folder(folder: str | Path, dest: str | Path) -> Path:
    """The workbooks under ``folder`` as one .zip (templates, feedback) for a single download."""
    from .files.bundle import zip_folder as _zip

    if not Path(folder).is_dir():
        raise YongjiError("bundle_missing", path=folder)
    try:
        return _zip(Path(folder), Path(dest))
    except OSError as e:
        raise YongjiError("write_failed", path=dest, reason=os_reason(e)) from e


def zip_outputs(out_dir: str | Path, dest: str | Path) -> Path | None:
    """Every file of the set the last run wrote into ``out_dir`` (its manifest: scores.json, the
    breakdown, the report, the internal brief, the feedback workbooks, whatever a later writer
    adds) as one .zip under the names they have in the folder; None when no set is there."""
    from .files.bundle import zip_files
    from .report.write_stage import written_set

    out_dir = Path(out_dir)
    files = [p for p in written_set(out_dir) or [] if (out_dir / p).is_file()]
    if not files:
        return None
    try:
        return zip_files(out_dir, files, Path(dest))
    except OSError as e:
        raise YongjiError("write_failed", path=dest, reason=os_reason(e)) from e


def path_to_pass(result: RunResult) -> Any:
    """The 达标路径 of a run (:class:`~yongji_xls.scoring.path_to_pass.PathToPass`): what it takes to pass,
    with the deadlines from the units' templates; its ``as_dict()`` is scores.json's ``path_to_pass``."""
    from .scoring.path_to_pass import path_for_run

    return path_for_run(result)


def path_to_pass_lines(result: RunResult) -> list[str]:
    """The 达标路径 in the three sentences the CLI prints (the web page shows the same)."""
    from .report.summary import path_lines

    return [line.strip() for line in path_lines(path_to_pass(result), result.spec)]


# -- for the faces: how figures, keys and files are shown and written -------------------------
# The CLI and the web page import this module (and ``issues``) only; these small helpers hand
# them the few things of the stages below they show, so no face reaches past the door.


def show_figure(x: Any) -> str:
    """A score, points or a rate as every output shows it (exact fractions, 四舍五入)."""
    from fractions import Fraction

    from .scoring.display import show

    return show(Fraction(x))


def show_value(x: Any) -> str:
    """A typed value as the user would write it: 168000, not 168000.0; text as it is."""
    from decimal import Decimal
    from fractions import Fraction

    from .scoring.display import show_number

    if isinstance(x, (Decimal, Fraction, int)) and not isinstance(x, bool):
        return show_number(Fraction(x))
    return "" if x is None else str(x)


def words(spec: Spec, key: str) -> str:
    """A key in words (``I25.2`` → 「…第2项评分要点」, ``national.x@2024`` → 「2024年全国…」)."""
    from .system.words import words as _words

    return _words(spec, key)


def words_in_text(spec: Spec, text: str) -> str:
    """``text`` with every key of the system it cites put in words."""
    from .system.words import words_in_text as _in_text

    return _in_text(spec, text)


def readable(text: str, spec: Spec) -> str:
    """A reason or message with every key it names in words (national.x@2024 → 2024年全国…,
    I25.2 → the criterion's words): :func:`yongji_xls.system.words.words_in_text`."""
    from .system.words import words_in_text

    return words_in_text(spec, text)


def note_key(indicator: str) -> str:
    """``I12.note``: the key of an indicator's 工作情况说明 row."""
    from .system.keys import note_key as _note_key

    return _note_key(indicator)


def indicator_of(key: str) -> str:
    """The indicator a criterion, note or indicator key belongs to (``I12.1`` → ``I12``); ''
    for a data field, task or national key, which indicators read rather than belong to."""
    from .system.keys import parse_key

    parsed = parse_key(key)
    return parsed.indicator if parsed is not None else ""


def base_key(key: str) -> str:
    """A key without its year: ``online_retail@2024`` → ``online_retail``."""
    from .system.keys import base_of

    return base_of(key)


def safe_filename(stem: str, suffix: str = "") -> str:
    """A name valid on Windows, macOS and Linux for a stored file (:mod:`.files.safe_names`)."""
    from .files.safe_names import safe_filename as _safe

    return _safe(stem, suffix)


def csv_cell(value: Any) -> Any:
    """A CSV cell that stays text: a leading = + - @ tab or CR gets an apostrophe (CSV injection)."""
    from .files.csv_cells import neutralise_cell

    return neutralise_cell(value)


def write_text(path: str | Path, text: str, *, private: bool = False) -> Path:
    """``text`` written atomically (UTF-8): a reader never sees half a file. ``private``: readable
    by its owner only (0600 where the system has modes; a secret such as tokens)."""
    from .files.atomic import write_text as _write

    return _write(path, text, private=private)


def write_table(
    path: str | Path,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: dict[int, float] | None = None,
    private: bool = False,
) -> Path:
    """A one-sheet workbook: a bold header row, then ``rows`` (text stays text, never a formula);
    ``private`` as for :func:`write_text`."""
    from .files.atomic import write_with
    from .workbook.write.styles import new_workbook

    def build(tmp: Path) -> None:
        book = new_workbook(tmp)
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, tuple(headers), book.add_format({"bold": True}))
        for n, row in enumerate(rows, 1):
            ws.write_row(n, 0, tuple(row))
        for col, width in (widths or {}).items():
            ws.set_column(col, col, width)
        book.close()

    return write_with(Path(path), build, private=private)
