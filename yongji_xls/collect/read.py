"""Read the returned files: pre-flight, then the reader, one file at a time or in a process pool.

Reading never raises: a file that fails at any step becomes a :class:`Submission` marked
unreadable with the reason as an Issue, so one bad file costs that file only. Large folders are
read by the reading pool of the caller's :class:`yongji_xls.executor.Executor` (spawn, so the
same on Windows); a broken pool falls back to serial reading.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..executor import Executor
from ..issues import Issue, issue
from ..records import Submission
from ..system.model import Spec

ISOLATED_KINDS = {"xls", "xlsb"}  # binary sheets: pre-flight vets the container, not the records calamine parses
POOL_MIN_FILES = 300  # below this a pool's start-up (~0.3 s a worker) costs more than it saves
POOL_CHUNK = 32
Progress = Callable[[int, int, str], None]
_WORKER_SPEC: Spec | None = None  # inside a pool worker only: the spec its initializer received


def read_one(spec: Spec, path: Path, display: str, year: int) -> Submission:
    """Pre-flight, then read; never raises."""
    from ..workbook.read.safety.preflight import preflight

    try:
        pre = preflight(path, display)
    except Exception as e:  # noqa: BLE001 - a checker bug must not stop the run
        return Submission(
            display,
            path,
            readable=False,
            issues=[issue("file_read_failed", file=display, detail="预检出错", library=e)],
        )
    if not pre.ok:
        return Submission(display, path, readable=False, issues=list(pre.issues))
    from ..workbook.read.reader import KIND_TEXT, read_workbook

    try:
        if pre.kind in ISOLATED_KINDS:
            from ..workbook.read.safety.safe_read import read_isolated

            sub = read_isolated(read_workbook, spec, str(path), display, year, pre.kind)
        else:
            sub = read_workbook(spec, path, display, year, pre.kind, pre.scans, pre.data, pre.digest)
    except Exception as e:  # noqa: BLE001 - reader crash costs one file
        what = KIND_TEXT.get(pre.kind or "", "文件")  # a reader's crash says nothing about the file: never "corrupt"
        notes = [i for i in pre.issues if i.code not in READ_NOTES]
        return Submission(
            display,
            path,
            readable=False,
            issues=[*notes, issue("file_unreadable_format", file=display, what=what, library=_said(e))],
        )
    notes = [i for i in pre.issues if sub.readable or i.code not in READ_NOTES]  # 「已读取」 only if it was
    sub.issues[:0] = notes
    return sub


READ_NOTES = ("file_legacy_format", "file_xlsb")  # notes that say the file was read


def _said(e: Exception) -> str:
    """What a reader said, for the issue's ``detail`` (a crashed worker's own account included)."""
    return f"{type(e).__name__}: {getattr(e, 'detail', '') or e}"


def read_all(
    spec: Spec,
    files: list[tuple[Path, str]],
    year: int,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> tuple[list[Submission], list[Issue]]:
    """Every (path, display name) read in order; the issues are about the reading itself
    (``pool_fallback``), the files' own issues are on their submissions. A large folder is read
    by the reading pool of ``executor`` (the caller's; without one, a pool made for this call)."""
    size = pool_size(len(files), executor.read_workers if executor is not None else None)
    if size == 1:
        return [_report(progress, i, len(files), read_one(spec, p, d, year)) for i, (p, d) in enumerate(files)], []
    if executor is None:
        with Executor() as own:
            return read_all(spec, files, year, progress, own)
    subs: list[Submission] = []
    try:
        pool = executor.read_pool(size, _init_worker, (spec,))
        for sub in pool.map(_worker_read, [(str(p), d, year) for p, d in files], chunksize=POOL_CHUNK):
            subs.append(_report(progress, len(subs), len(files), sub))
    except Exception as e:  # noqa: BLE001 - a broken pool (killed worker) must not lose the run
        executor.close_read_pool()
        for p, d in files[len(subs) :]:
            subs.append(_report(progress, len(subs), len(files), read_one(spec, p, d, year)))
        return subs, [issue("pool_fallback", detail="读取进程意外退出", library=e)]
    return subs, []


def pool_size(n_files: int, workers: int | None) -> int:
    """Worker processes for ``n_files``: as asked, else one per CPU (≤ 8) for large folders only."""
    if workers is not None:
        return max(1, workers)
    cpus = os.cpu_count() or 1
    return min(cpus, 8) if n_files >= POOL_MIN_FILES and cpus > 1 else 1


def _report(progress: Progress | None, done: int, total: int, sub: Submission) -> Submission:
    if progress:
        progress(done + 1, total, sub.file)
    return sub


def _init_worker(spec: Spec) -> None:
    """Pool worker start-up: keep the caller's spec (sent once per worker, not once per file)."""
    global _WORKER_SPEC
    _WORKER_SPEC = spec


def _worker_read(args: tuple[str, str, int]) -> Submission:
    """Top-level (picklable, spawn-safe) entry of a pool worker."""
    assert _WORKER_SPEC is not None, "pool worker started without a spec"
    path, display, year = args
    return read_one(_WORKER_SPEC, Path(path), display, year)
