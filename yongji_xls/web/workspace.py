"""The workspace folder the page works in, and the one run at a time it does there.

A workspace holds 模板/ (templates), 报送/ (returned files, exactly as uploaded), 已替换/ and
已撤回/ (files no longer read, see :mod:`.store`), 结果/ (the outputs of the last run), the office's
核定得分.xlsx and 参考值.yaml, and the state folder. It remembers the office configuration and the
indicator system it was opened with, so a restart without them serves the same county. Runs
happen in a background thread, one at a time, so a page can show progress; a failed run keeps the
previous result and records the Chinese message to show.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import api
from .store import REPLACED, RETURNS, UPLOAD_LOG, WITHDRAWN, Store, Stored
from .wording import on_page

TEMPLATES, RESULTS = "模板", "结果"
PAST_RESULTS = "往年结果"  # earlier years' scores.json (<年度>年度/scores.json), compared with this year's
REVIEW_FILE = "核定得分.xlsx"
REFERENCE_FILE = "参考值.yaml"
STATE_DIR = ".yongji-serve"
SETUP_FILE = "workspace.json"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
__all__ = ["REPLACED", "RETURNS", "UPLOAD_LOG", "WITHDRAWN", "Stored", "Workspace"]


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


@dataclass(frozen=True)
class Outcome:
    """The last good run's result and the set it wrote: one pair, replaced whole under the lock,
    so a page read on another thread never pairs one run's result with another's files."""

    result: Any = None
    written: Any = None


@dataclass
class Workspace:
    root: Path
    year: int | None = None
    spec: Any = None
    outcome: Outcome = field(default_factory=Outcome)
    setup: dict[str, str] = field(default_factory=dict)
    job: Job = field(default_factory=Job)
    review_lock: threading.Lock = field(default_factory=threading.Lock)
    reference_lock: threading.Lock = field(default_factory=threading.Lock)
    output_lock: threading.Lock = field(default_factory=threading.Lock)  # 结果/ and 模板/ while written
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None
    _again: bool = False

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        for name in (TEMPLATES, RESULTS, STATE_DIR):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        if self.spec is None:
            self.spec = api.load_system()
        self.year = self.year or self.spec.default_year
        self.files = Store(self.root, self.state_dir)

    @classmethod
    def open(
        cls, root: Path, *, year: int | None = None, config: str | Path | None = None, system: str | Path | None = None
    ) -> Workspace:
        """The workspace with the office configuration and system given, or those it remembers
        (paths kept absolute in the state folder); fatal problems of either are a YongjiError."""
        root = Path(root)
        setup_path = root / STATE_DIR / SETUP_FILE
        try:
            remembered = json.loads(setup_path.read_text("utf-8"))
        except (OSError, ValueError):
            remembered = {}
        chosen = {
            "config": str(Path(config).resolve()) if config else remembered.get("config") or "",
            "system": str(Path(system).resolve()) if system else remembered.get("system") or "",
        }
        spec = api.load_system(chosen["system"] or None, chosen["config"] or None)
        ws = cls(root, year=year, spec=spec)
        if chosen != {k: remembered.get(k, "") for k in chosen}:
            api.write_text(setup_path, json.dumps(chosen, ensure_ascii=False, indent=2))
        ws.setup = chosen
        return ws

    @property
    def result(self) -> Any:
        return self.outcome.result

    @property
    def written(self) -> Any:
        return self.outcome.written

    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def review_path(self) -> Path:
        return self.root / REVIEW_FILE

    @property
    def reference_path(self) -> Path:
        return self.root / REFERENCE_FILE

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    # --- uploads ---------------------------------------------------------------------------

    def store(self, original: str, data: bytes, unit: str = "", batch: str = "", staged: Path | None = None) -> Stored:
        return self.files.store(original, data, unit, batch, staged)

    def log(self, unit: str, source: str, original: str, stored: str, data: bytes) -> None:
        self.files.log(unit, source, original, stored, data)

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
            with self._lock:  # start_run creates and starts the thread under it: never an unstarted one
                thread = self._thread
            if thread is None:
                return
            thread.join(timeout)
            with self._lock:
                if thread is self._thread:
                    return

    def _progress(self, n: int, total: int, name: str) -> None:
        self.job.phase, self.job.done, self.job.total = "读取报送文件", n, total

    def _run(self) -> None:
        job = self.job
        try:
            review = self.review_path if self.review_path.is_file() else None
            refs, warnings = api.read_references(
                self.reference_path if self.reference_path.is_file() else None, spec=self.spec, year=self.year
            )
            api.keep_earlier_results(self.folder(RESULTS), self.folder(PAST_RESULTS), self.year)
            previous = api.find_previous([self.folder(PAST_RESULTS)], self.year)
            result = api.run(
                self.folder(RETURNS),
                spec=self.spec,
                year=self.year,
                review=review,
                references=refs,
                reference_issues=warnings,
                progress=self._progress,
                previous=previous,
            )
            job.phase = "写出任务分解表、自评报告和反馈表"
            with self.output_lock:  # downloads read 结果/ under it: never a half-swapped set
                written = api.write_outputs(result, self.folder(RESULTS))
                with self._lock:
                    self.outcome = Outcome(result, written)
        except api.YongjiError as e:
            job.error = on_page(e.code, e.message)
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
