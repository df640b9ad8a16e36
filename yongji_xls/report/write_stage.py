"""The write stage: feedback set, task-breakdown workbook, Word report and scores.json, as one set.

* **Guarded writers.** Each output is written by its own guarded call; a failure (a broken
  wording template, a bug) becomes an ``output_failed`` Issue and the other outputs are still
  written. scores.json is written last so it lists those Issues too.
* **One set.** Everything is built in a staging folder inside ``out_dir``, then swapped in: the
  previous set's files (named in a small manifest, ``.yongji-outputs.json``) are first moved
  aside, the new ones moved into place, and only then is the old set deleted. So there is never
  a stale ``反馈/`` file or an old scores.json beside a new report. Moving aside is where a file
  open in Excel or WPS is found on Windows (it cannot be renamed): everything already moved is
  put back and the PermissionError goes up, leaving the previous set untouched. No file is ever
  renamed over an open one.
* **Second core.** The Word report (python-docx, Pillow, jinja2: Python-bound) and a share of
  the feedback workbooks are written in the caller's helper process (:class:`yongji_xls.executor.
  Executor`, started with :func:`warm` before the inputs are read, so its start-up is hidden)
  while this one writes the breakdown workbook and the rest. A helper that fails costs nothing:
  its share is written here and the executor drops it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..executor import Executor
from ..issues import Issue, issue
from ..records import RunResult
from .scores_json import dumps, run_document, with_issues
from .templates_path import is_template_error

MANIFEST = ".yongji-outputs.json"
LABELS = {
    "report": "自评报告",
    "brief": "内部工作提示",
    "breakdown": "任务分解表",
    "feedback": "问题反馈表",
    "scores": "scores.json",
}


@dataclass
class StageResult:
    """What the write stage produced: output name -> final path, issues, seconds per writer."""

    paths: dict[str, Path] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def output_names(year: int) -> dict[str, str]:
    return {
        "scores": "scores.json",
        "breakdown": f"任务分解表_{year}年度.xlsx",
        "report": f"自评报告_{year}年度.docx",
        "brief": f"内部工作提示_{year}年度.docx",
        "feedback": "反馈",
    }


# -- the writers (top-level functions: the report one also runs in a spawned process) -------
def write_report(
    result: RunResult,
    path: Path,
    templates: Path | None = None,
    fonts: str = "gb",
    date: dt.date | None = None,
    context: dict[str, Any] | None = None,
) -> tuple[Path, list[Issue]]:
    """The Word report; ``templates``: the wording folder as the caller found it (the helper
    process was started earlier and must use the caller's choice, e.g. an edited copy);
    ``date``: 成文日期 (default the run's date); ``context``: the run's report context
    (:func:`report_context`), built here when not given."""
    from .docx_report import write_docx_report

    return write_docx_report(result, path, fonts=fonts, templates=templates, date=date, context=context)


def write_brief(
    result: RunResult, path: Path, templates: Path | None = None, fonts: str = "gb", date: dt.date | None = None
) -> tuple[Path, list[Issue]]:
    """The internal brief (内部工作提示), with the report's wording folder and fonts."""
    from .brief import write_brief as _write

    return _write(result, path, templates, date, fonts)


def write_breakdown(
    result: RunResult, path: Path, templates: Path | None = None, context: dict[str, Any] | None = None
) -> tuple[Path, list[Issue]]:
    """The breakdown workbook; ``templates``: the report's wording (its 报告文字 sheet shows the
    generated text of each section the office may replace, rendered from ``context``, the run's
    report context, built here when not given)."""
    from .breakdown import build

    build(result, path, templates, context)
    return path, []


def report_context(result: RunResult, date: dt.date | None = None) -> dict[str, Any] | None:
    """The report's context (:func:`.context.build_context`), built once per run and handed to
    both writers that render the wording: the breakdown's 报告文字 drafts and the Word report
    (≈13 % of the breakdown's time when each built its own). None when building it fails: each
    writer then builds its own and fails on its own, so both failures are still reported as
    before (an ``output_failed`` per output) and the other outputs are written."""
    from .context import build_context

    try:
        return build_context(result, date, result.report_texts)
    except Exception:  # noqa: BLE001 - reported by the writers that need it, each as its own failure
        return None


def write_feedback_set(
    result: RunResult, folder: Path, jobs: list[Any] | None = None
) -> tuple[dict[str, Path], list[Issue]]:
    """The feedback workbooks (``jobs``: a share of :func:`.feedback.feedback_jobs`, default
    all); one that fails is an Issue naming its file, the others are written."""
    from ..workbook.write.feedback import feedback_jobs, write_one

    written: dict[str, Path] = {}
    problems: list[Issue] = []
    jobs = feedback_jobs(result) if jobs is None else jobs
    if jobs:
        folder.mkdir(parents=True, exist_ok=True)
    for name, sub, issues in jobs:
        try:
            written[sub.file] = write_one(result, sub, issues, folder / name)
        except Exception as e:  # noqa: BLE001 - one unit's feedback must not stop the others
            problems.append(failure("feedback", e, file=sub.file))
    return written, problems


def failure(name: str, e: BaseException, file: str = "") -> Issue:
    """The Issue for a writer that raised: the wording templates get their own fix."""
    detail = f"{type(e).__name__}：{e}"[:160]
    if is_template_error(e):
        return issue("output_template_bad", file=file, output=LABELS[name], detail=detail)
    return issue("output_failed", file=file, output=LABELS[name], detail=detail)


# -- the helper process ----------------------------------------------------------------------
def warm() -> None:
    """Helper start-up: import what its writers need while the parent reads the inputs."""
    import docx  # noqa: F401
    import jinja2  # noqa: F401
    import PIL.Image  # noqa: F401
    import xlsxwriter  # noqa: F401

    from ..workbook.write import feedback  # noqa: F401
    from . import docx_report  # noqa: F401


def _templates() -> Path | None:
    """The wording folder the caller would use (None when there is none: the report's writer
    then names the problem as its failure)."""
    from .templates_path import templates_dir

    try:
        return templates_dir()
    except FileNotFoundError:
        return None


# -- the stage -------------------------------------------------------------------------------
# Relative costs measured on the 38-unit sets (docs/performance.md): the Word report ≈ 12 and the
# breakdown workbook ≈ 10 feedback workbooks; the helper gets the report and enough feedback
# workbooks that both processes finish together.
REPORT_COST, BREAKDOWN_COST = 12, 10


def _guarded(name: str, fn: Callable[[], Any], out: StageResult) -> Any:
    t = time.perf_counter()
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - one failing writer becomes an Issue, the others still write
        out.issues.append(failure(name, e))
        return None
    finally:
        out.timings[name] = out.timings.get(name, 0.0) + time.perf_counter() - t


def write_part(
    result: RunResult,
    staging: Path,
    jobs: list[Any],
    report: bool,
    templates: Path | None = None,
    fonts: str = "gb",
    date: dt.date | None = None,
    context: dict[str, Any] | None = None,
) -> StageResult:
    """The Word report and the internal brief (if ``report``) and the feedback workbooks of
    ``jobs``, each guarded; top-level so that the helper process can run it. Paths are keyed as in
    :func:`write_all`; ``context``: the run's report context (:func:`report_context`)."""
    names = output_names(result.year)
    part = StageResult()
    if report:
        writers: tuple[tuple[str, Callable[[], tuple[Path, list[Issue]]]], ...] = (
            ("report", lambda: write_report(result, staging / names["report"], templates, fonts, date, context)),
            ("brief", lambda: write_brief(result, staging / names["brief"], templates, fonts, date)),
        )
        for name, writer in writers:
            done = _guarded(name, writer, part)
            if done:
                part.paths[name] = done[0]
                part.issues.extend(done[1])
    if jobs:
        written = _guarded("feedback", lambda: write_feedback_set(result, staging / names["feedback"], jobs), part)
        if written:
            part.paths.update({f"feedback:{k}": v for k, v in written[0].items()})
            part.issues.extend(written[1])
    return part


def _merge(into: StageResult, part: StageResult) -> None:
    into.paths.update(part.paths)
    into.issues.extend(part.issues)
    for k, v in part.timings.items():
        into.timings[k] = into.timings.get(k, 0.0) + v


def write_all(
    result: RunResult,
    out_dir: Path,
    executor: Executor | None = None,
    fonts: str = "gb",
    date: dt.date | None = None,
) -> StageResult:
    """Write the whole set for ``result`` and swap it in place of the previous one (``date``:
    the report's 成文日期, default the run's date).

    The work is shared with ``executor``'s helper process when it has one. Raises
    PermissionError/OSError only when the set cannot be put in place (the previous set is then
    left as it was)."""
    from ..workbook.write.feedback import feedback_jobs

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = output_names(result.year)
    stage = StageResult()
    for left in out_dir.glob(".yongji-new-*"):  # a staging folder an interrupted run left behind
        shutil.rmtree(left, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".yongji-new-", dir=out_dir))
    try:
        jobs = _guarded("feedback", lambda: feedback_jobs(result), stage) or []
        helper = executor.helper if executor is not None else None
        templates = _templates()
        context = report_context(result, date)
        sent, mine = False, jobs
        if helper is not None:
            share = max(0, min(len(jobs), (len(jobs) + REPORT_COST - BREAKDOWN_COST + 1) // 2))
            mine, theirs = jobs[:share], jobs[share:]
            try:
                helper.submit(write_part, result, staging, theirs, True, templates, fonts, date, context)
                sent = True
            except Exception:  # noqa: BLE001 - a dead helper, a result that will not pickle: all is written here
                executor.drop_helper()
                mine = jobs
        built = _guarded(
            "breakdown", lambda: write_breakdown(result, staging / names["breakdown"], templates, context), stage
        )
        if built:
            stage.paths["breakdown"] = built[0]
        _merge(stage, write_part(result, staging, mine, not sent, templates, fonts, date, context))
        doc = _guarded("scores", lambda: run_document(result), stage)  # built while the helper finishes
        if sent:
            _merge(stage, _part_of(executor, result, staging, jobs[len(mine) :], templates, fonts, date, context))
        text = None if doc is None else _guarded("scores", lambda: dumps(with_issues(doc, stage.issues)), stage)
        if text is not None:
            (staging / names["scores"]).write_text(text, "utf-8")
            stage.paths["scores"] = staging / names["scores"]
        relative = {k: p.relative_to(staging) for k, p in stage.paths.items()}
        swap_in(staging, out_dir, list(relative.values()), _previous_set(out_dir, names))
        stage.paths = {k.removeprefix("feedback:"): out_dir / rel for k, rel in relative.items()}
        if any(k.startswith("feedback:") for k in relative):
            stage.paths["feedback_dir"] = out_dir / names["feedback"]
        return stage
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _part_of(
    executor: Executor,
    result: RunResult,
    staging: Path,
    jobs: list[Any],
    templates: Path | None,
    fonts: str,
    date: dt.date | None = None,
    context: dict[str, Any] | None = None,
) -> StageResult:
    """The helper's share. Its writers are guarded there, so an exception here means the helper
    itself failed (the process died, the result could not be sent back): the executor drops it
    and the share is written here."""
    assert executor.helper is not None
    try:
        return executor.helper.result()
    except Exception:  # noqa: BLE001 - WorkerDied, an unpicklable result, ...: nothing may be lost
        executor.drop_helper()
        return write_part(result, staging, jobs, True, templates, fonts, date, context)


def _previous_set(out_dir: Path, names: dict[str, str]) -> list[Path]:
    """The files of the previous run's set (relative): from its manifest, or, for a folder
    written before manifests existed, this year's names and the feedback workbooks."""
    listed = written_set(out_dir)
    if listed is not None:
        return listed
    found = [Path(names[k]) for k in ("scores", "breakdown", "report", "brief")]
    folder = out_dir / names["feedback"]
    if folder.is_dir():
        found += [p.relative_to(out_dir) for p in folder.glob("*_问题反馈*.xlsx")]
    return found


def written_set(out_dir: Path) -> list[Path] | None:
    """The files (relative) of the set last written into ``out_dir``, as its manifest lists them;
    None without a readable manifest."""
    try:
        listed = json.loads((Path(out_dir) / MANIFEST).read_text("utf-8"))
        return [Path(p) for p in listed.get("files", []) if _inside(p)]
    except (OSError, ValueError, AttributeError):
        return None


def _inside(rel: str) -> bool:
    p = Path(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts


def swap_in(staging: Path, out_dir: Path, new: list[Path], previous: list[Path]) -> None:
    """Replace the previous set by the staged one, all or nothing (see the module docstring)."""
    backup = Path(tempfile.mkdtemp(prefix=".yongji-old-", dir=out_dir))
    moved_out: list[Path] = []
    moved_in: list[Path] = []
    try:
        for rel in dict.fromkeys([*previous, *new]):
            if (out_dir / rel).is_file():
                (backup / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(out_dir / rel, backup / rel)
                moved_out.append(rel)
        for rel in new:
            (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, out_dir / rel)
            moved_in.append(rel)
    except OSError:
        for rel in moved_in:
            (out_dir / rel).unlink(missing_ok=True)
        for rel in moved_out:
            os.replace(backup / rel, out_dir / rel)
        shutil.rmtree(backup, ignore_errors=True)
        raise
    _tidy(out_dir, backup, new, previous)


def _tidy(out_dir: Path, backup: Path, new: list[Path], previous: list[Path]) -> None:
    """After the swap: the manifest, the old set deleted, emptied folders removed. The new set
    is already in place, so nothing here may fail the run (a manifest that cannot be written
    only means the next run falls back to the usual names; a folder open in Explorer stays)."""
    from ..files.atomic import write_text

    try:
        write_text(out_dir / MANIFEST, json.dumps({"files": [p.as_posix() for p in new]}, ensure_ascii=False, indent=1))
    except OSError:
        pass
    shutil.rmtree(backup, ignore_errors=True)
    for rel in previous:
        parent = (out_dir / rel).parent
        try:
            if parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
        except OSError:
            pass
