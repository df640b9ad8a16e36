"""The workspace folder the page works in, and the one run at a time it does there.

A workspace holds 模板/ (templates), 报送/ (returned files, exactly as uploaded) and 结果/
(the outputs of the last run). Uploads are stored under a name we make (never a path from the
client) and logged in an append-only 上传记录.csv. Runs happen in a background thread, one at a
time, so a page can show progress; a failed run keeps the previous result and records the
Chinese message to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import api

TEMPLATES, RETURNS, RESULTS = "模板", "报送", "结果"
PAST_RESULTS = "往年结果"  # earlier years' scores.json (<年度>年度/scores.json), compared with this year's
REVIEW_FILE = "核定得分.xlsx"
UPLOAD_LOG = "上传记录.csv"
STATE_DIR = ".yongji-serve"
LOG_HEADERS = ("时间", "单位", "来源", "原文件名", "保存为", "字节数", "sha256")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")


@dataclass
class Job:
    """What the running (or last) run is doing, for the progress bar."""

    running: bool = False
    phase: str = ""
    done: int = 0
    total: int = 0
    error: str = ""
    finished_at: str = ""
    runs: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "running": self.running,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "error": self.error,
            "finished_at": self.finished_at,
            "runs": self.runs,
        }


@dataclass
class Stored:
    """One uploaded file as stored: the name shown, the stored path and its digest."""

    original: str
    path: Path | None
    size: int
    sha256: str
    duplicate: bool = False


@dataclass
class Workspace:
    root: Path
    year: int | None = None
    spec: Any = None
    result: Any = None
    written: Any = None
    job: Job = field(default_factory=Job)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _store_lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None
    _again: bool = False

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        for name in (TEMPLATES, RETURNS, RESULTS, STATE_DIR):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        if self.spec is None:
            self.spec = api.load_system()
        self.year = self.year or self.spec.default_year

    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def review_path(self) -> Path:
        return self.root / REVIEW_FILE

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    # --- uploads ---------------------------------------------------------------------------

    def store(self, original: str, data: bytes) -> Stored:
        """Save ``data`` in 报送/ under a safe name made from the client's file name (its last
        component only, never used as a path); identical bytes already there are not stored twice."""
        digest = hashlib.sha256(data).hexdigest()
        base = original.replace("\\", "/").rsplit("/", 1)[-1]
        stem, dot, ext = base.rpartition(".")
        if not dot:
            stem, ext = base, ""
        suffix = "." + ext.lower() if ext else ""
        folder = self.folder(RETURNS)
        with self._store_lock:
            for p in folder.iterdir():
                if (
                    p.is_file()
                    and p.stat().st_size == len(data)
                    and hashlib.sha256(p.read_bytes()).hexdigest() == digest
                ):
                    return Stored(original, p, len(data), digest, duplicate=True)
            name = api.safe_filename(stem, suffix)
            n = 2
            while (folder / name).exists():
                name = api.safe_filename(f"{stem}_{n}", suffix)
                n += 1
            path = folder / name
            with open(path, "xb") as f:
                f.write(data)
        return Stored(original, path, len(data), digest)

    def log(self, unit: str, source: str, original: str, stored: str, data: bytes) -> None:
        """One line of the append-only 上传记录.csv (rejected uploads too, with 保存为 empty)."""
        path = self.root / UPLOAD_LOG
        new = not path.exists()
        buf = io.StringIO()
        writer = csv.writer(buf)
        if new:
            writer.writerow(LOG_HEADERS)
        now = dt.datetime.now().isoformat(timespec="seconds")
        digest = hashlib.sha256(data).hexdigest()
        cell = api.csv_cell  # a file name never becomes a spreadsheet formula
        writer.writerow([now, cell(unit), source, cell(original), cell(stored), len(data), digest])
        with self._store_lock, open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as f:
            f.write(buf.getvalue())

    def check(self, path: Path, display: str) -> Any:
        """Pre-flight and read one file with the library (the upload's immediate feedback)."""
        return api.check_file(path, display, spec=self.spec, year=self.year)

    # --- runs ------------------------------------------------------------------------------

    def start_run(self) -> bool:
        """Start a run in the background; when one is already running, another follows it (so
        files stored meanwhile are counted) and False is returned."""
        with self._lock:
            if self.job.running:
                self._again = True
                return False
            self.job = Job(running=True, phase="准备", runs=self.job.runs)
            self._thread = threading.Thread(target=self._run, name="yongji-run", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        """Until no run is going (tests, and the first run at start-up)."""
        while True:
            thread = self._thread
            if thread is None:
                return
            thread.join(timeout)
            if thread is self._thread:
                return

    def _progress(self, n: int, total: int, name: str) -> None:
        self.job.phase, self.job.done, self.job.total = "读取报送文件", n, total

    def _run(self) -> None:
        job = self.job
        try:
            review = self.review_path if self.review_path.is_file() else None
            api.keep_earlier_results(self.folder(RESULTS), self.folder(PAST_RESULTS), self.year)
            previous = api.find_previous([self.folder(PAST_RESULTS)], self.year)
            result = api.run(
                self.folder(RETURNS),
                spec=self.spec,
                year=self.year,
                review=review,
                progress=self._progress,
                previous=previous,
            )
            job.phase = "写出任务分解表、自评报告和反馈表"
            written = api.write_outputs(result, self.folder(RESULTS))
            self.result, self.written = result, written
        except api.YongjiError as e:
            job.error = e.message
        except Exception as e:  # noqa: BLE001 - the page shows a sentence, the console keeps the trace
            traceback.print_exc()
            job.error = (
                f"计算时出现程序错误（{type(e).__name__}），上次的结果保持不变。请把命令行窗口中的出错信息发给技术支持"
            )
        finally:
            job.finished_at = dt.datetime.now().isoformat(timespec="seconds")
            job.phase = "完成" if not job.error else "失败"
            job.runs += 1
            with self._lock:
                job.running = False
                again, self._again = self._again, False
            if again:
                self.start_run()
