"""``run``: collect every returned file, check, merge, score, and write the outputs.

The library entry point is :func:`run`; it returns a :class:`~yongji_xls.collect.result.RunResult`
and writes files only into ``out_dir``. One bad file never stops the others: every failure
becomes an Issue on that file, and its unit counts as not (validly) submitted.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..files.safe_names import display_name
from ..issues import Issue, Report, issue
from ..scoring.engine import apply_overrides, score
from ..spec.model import Reference, Spec
from ..workbook.safety.preflight import EXTENSIONS
from .merge import merge, unit_statuses
from .result import RunResult
from .submission import Submission

ISOLATED_KINDS = {"xls"}  # binary .xls: pre-flight checks only size and password, so read in a worker
Progress = Callable[[int, int, str], None]


SILENT_PREFIXES = ("~$", ".~lock", "._")  # Office/WPS lock files, LibreOffice locks, macOS resource forks
SILENT_NAMES = ("Thumbs.db", ".DS_Store", "desktop.ini")
SILENT_FOLDERS = ("__MACOSX",)
ARCHIVES = (".rar", ".7z")
OWN_OUTPUT_MARK = "scores.json"  # a folder holding this is an earlier run's output folder


def discover(in_dir: Path) -> tuple[list[Path], list[Issue]]:
    """Every file under ``in_dir`` in a stable order; lock/temporary files are skipped silently,
    an earlier output folder with one info line, and anything else not read is listed with the
    reason so nothing disappears silently."""
    files, skipped = [], []
    own_dirs: list[Path] = []
    for p in sorted(in_dir.rglob("*"), key=lambda x: str(x.relative_to(in_dir))):
        rel_parts = p.relative_to(in_dir).parts
        if any(part in SILENT_FOLDERS for part in rel_parts) or any(d in p.parents for d in own_dirs):
            continue
        if p.is_dir():
            if (p / OWN_OUTPUT_MARK).is_file():
                own_dirs.append(p)
                skipped.append(
                    issue(
                        "file_own_output",
                        file=display_name(str(p.relative_to(in_dir))),
                        detail="以前运行本工具生成的输出文件夹",
                    )
                )
            continue
        if not p.is_file():
            continue
        rel = display_name(str(p.relative_to(in_dir)))
        name = p.name
        suffix = p.suffix.lower()
        if name.startswith(SILENT_PREFIXES) or name in SILENT_NAMES:
            continue
        if suffix in EXTENSIONS or suffix == ".zip":
            files.append(p)
        elif name == OWN_OUTPUT_MARK:
            skipped.append(issue("file_own_output", file=rel, detail="以前运行本工具生成的scores.json"))
        elif suffix in ARCHIVES:
            skipped.append(issue("file_archive", file=rel, ext=suffix))
        elif suffix == ".csv":
            skipped.append(issue("file_csv", file=rel))
        else:
            skipped.append(issue("file_unsupported", file=rel, ext=p.suffix or "无扩展名"))
    return files, skipped


def read_one(spec: Spec, path: Path, display: str, year: int) -> Submission:
    """Pre-flight, then read; never raises."""
    from ..workbook.safety.preflight import preflight

    try:
        pre = preflight(path, display)
    except Exception as e:  # noqa: BLE001 - a checker bug must not stop the run
        return Submission(
            display, path, readable=False, issues=[issue("file_read_failed", file=display, detail=type(e).__name__)]
        )
    if not pre.ok:
        return Submission(display, path, readable=False, issues=list(pre.issues))
    from ..workbook.reader import read_workbook

    try:
        if pre.kind in ISOLATED_KINDS:
            from ..workbook.safety.safe_read import read_isolated

            sub = read_isolated(read_workbook, spec, str(path), display, year, pre.kind)
        else:
            sub = read_workbook(spec, path, display, year, pre.kind, pre.scans, pre.data, pre.digest)
    except Exception as e:  # noqa: BLE001 - reader crash costs one file
        detail = str(e)[:80] or type(e).__name__
        return Submission(
            display, path, readable=False, issues=[*pre.issues, issue("file_read_failed", file=display, detail=detail)]
        )
    sub.issues[:0] = list(pre.issues)
    return sub


POOL_MIN_FILES = 300  # below this a pool's start-up (~0.3 s a worker) costs more than it saves
POOL_CHUNK = 32
_WORKER_SPEC: Spec | None = None


def _init_worker(spec: Spec) -> None:
    """Pool worker start-up: keep the caller's spec (sent once per worker, not once per file)."""
    global _WORKER_SPEC
    _WORKER_SPEC = spec


def _worker_read(args: tuple[str, str, int]) -> Submission:
    """Top-level (picklable, spawn-safe) entry of a pool worker."""
    assert _WORKER_SPEC is not None, "pool worker started without a spec"
    path, display, year = args
    return read_one(_WORKER_SPEC, Path(path), display, year)


def _pool_size(n_files: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    cpus = os.cpu_count() or 1
    return min(cpus, 8) if n_files >= POOL_MIN_FILES and cpus > 1 else 1


def collect(
    spec: Spec, in_dir: Path, year: int, progress: Progress | None = None, workers: int | None = None
) -> tuple[list[Submission], list[Issue]]:
    """Read every file; a process pool (spawn, so Windows-safe) for large folders only."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="yongji-zip-") as tmp:  # zip members live here while they are read
        return _collect(spec, in_dir, year, progress, workers, Path(tmp))


def _collect(
    spec: Spec, in_dir: Path, year: int, progress: Progress | None, workers: int | None, tmp: Path
) -> tuple[list[Submission], list[Issue]]:
    from ..workbook.safety.zip_input import expand_zip

    found, skipped = discover(in_dir)
    files, displays = [], []
    for n, p in enumerate(found):
        display = display_name(str(p.relative_to(in_dir)))
        if p.suffix.lower() != ".zip":
            files.append(p)
            displays.append(display)
            continue
        folder = tmp / f"{n:04d}"
        folder.mkdir()
        members, zip_issues = expand_zip(p, display, folder)
        skipped.extend(zip_issues)
        files.extend(m for m, _ in members)
        displays.extend(d for _, d in members)
    size = _pool_size(len(files), workers)
    if size == 1:
        results = (read_one(spec, p, d, year) for p, d in zip(files, displays))
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(
            size, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker, initargs=(spec,)
        )
        results = pool.map(_worker_read, [(str(p), d, year) for p, d in zip(files, displays)], chunksize=POOL_CHUNK)
    subs: list[Submission] = []
    try:
        for sub in results:
            subs.append(sub)
            if progress:
                progress(len(subs), len(files), sub.file)
    except Exception as e:  # noqa: BLE001 - a broken pool (killed worker) must not lose the run
        if size == 1:
            raise
        skipped.append(issue("pool_fallback", detail=f"{type(e).__name__}: {e}"[:120]))
        for p, d in list(zip(files, displays))[len(subs) :]:
            subs.append(read_one(spec, p, d, year))
            if progress:
                progress(len(subs), len(files), d)
    finally:
        if size > 1:
            pool.shutdown(cancel_futures=True)
    return subs, skipped


def run(
    spec: Spec,
    in_dir: Path,
    year: int | None = None,
    region: str | None = None,
    references: Iterable[Reference] = (),
    review: Path | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Read, check, merge and score everything in ``in_dir``; writes nothing."""
    year = year or spec.default_year
    region = region or spec.default_region
    subs, skipped = collect(spec, in_dir, year, progress)
    merged = merge(spec, subs)
    computed = score(spec, merged.values, year, region, references, merged.substituted)
    card = computed
    report = Report()
    report.extend(skipped)
    for s in subs:
        report.extend(s.issues)
    report.extend(merged.issues)
    if review is not None:
        from ..report.review import read_review

        overrides, review_issues = read_review(spec, review)
        report.extend(review_issues)
        if overrides:
            card = apply_overrides(spec, computed, overrides)
    units, unit_issues = unit_statuses(spec, year, subs, merged.used, computed)
    report.extend(unit_issues)
    for c in computed.pending_review:
        report.add(issue("reference_missing", key=c.key, reference=c.figures.get("reference", "")))
    return RunResult(
        spec=spec,
        year=year,
        region=region,
        card=card,
        computed=computed,
        values=merged.values,
        merged=merged.merged,
        answers=merged.answers,
        lists=merged.lists,
        tasks=merged.tasks,
        conflicts=merged.conflicts,
        units=units,
        submissions=subs,
        report=report,
        input_dir=in_dir,
        generated_at=dt.datetime.now().isoformat(timespec="seconds"),
    )


def output_names(year: int) -> dict[str, str]:
    """Output file names: fixed by the README and DESIGN.md (the output folder is the county's own,
    so the names carry no county; scores.json and the documents' titles name it)."""
    from ..report.write_stage import output_names as names

    return names(year)


def write_outputs(result: RunResult, out_dir: Path, fonts: str = "gb") -> dict[str, Path]:
    """scores.json, the task-breakdown workbook, the Word report (``fonts``: gb | windows) and unit
    feedback files, as one set (:mod:`yongji_xls.report.write_stage`): output name -> path. The
    writers' issues are returned by :func:`yongji_xls.api.write_outputs`; ``result`` is not touched."""
    from ..report.write_stage import write_all

    return write_all(result, Path(out_dir), fonts=fonts).paths


def check_dirs(in_dir: Path, out_dir: Path) -> None:
    from ..files.safe_names import ensure_outside

    if not in_dir.is_dir():
        raise ValueError(f"输入文件夹「{in_dir}」不存在或不是文件夹")
    ensure_outside(out_dir, in_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"输出路径「{out_dir}」已存在且不是文件夹")
    os.makedirs(out_dir, exist_ok=True)
