"""The returned files the page keeps: 报送/ (what the next run reads), 已替换/ and 已撤回/ (what it no
longer reads), and the append-only 上传记录.csv.

A stored name is unique by construction, with no loop: the client's name made safe; if that is
taken, the same stem cut short with the first 12 hex digits of the bytes' sha256 before the suffix;
if even that is taken (identical bytes are never stored twice, so only by a 48-bit collision), the
full digest. Moved files get a counter in front, which only grows. Everything slow — hashing,
writing the bytes, reading a workbook — happens outside the lock; under it are a dictionary look-up,
two ``exists`` checks, a rename and a small JSON file.

Which unit a stored file belongs to is recorded (``uploads.json`` in the state folder), so a unit's
new upload moves its files of earlier uploads to 已替换/: the run, the page and the warnings see one
file per unit and the older ones as history, never as duplicate submissions.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import api

RETURNS, REPLACED, WITHDRAWN = "报送", "已替换", "已撤回"
UPLOAD_LOG = "上传记录.csv"
LOG_HEADERS = ("时间", "单位", "来源", "原文件名", "保存为", "字节数", "sha256")
STATE_FILE = "uploads.json"
HASH_CHARS = 12


@dataclass
class Stored:
    """One uploaded file as stored: the name shown, the stored path and its digest."""

    original: str
    path: Path
    size: int
    sha256: str
    duplicate: bool = False
    replaced: list[str] = field(default_factory=list)  # this unit's earlier files moved to 已替换/


@dataclass(frozen=True)
class Moved:
    """A file no longer read: which unit's, where it went, when and why."""

    unit: str
    name: str  # its name in 报送/ when it was read
    path: Path
    at: str
    why: str  # 已替换 | 已撤回


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def split_name(original: str) -> tuple[str, str]:
    """The client's last path component as (stem, lower-case suffix); never used as a path."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        return base, ""
    return stem, "." + ext.lower()


def candidates(original: str, digest: str) -> list[str]:
    """The names a file may be stored under, in order; different bytes never share all three."""
    stem, suffix = split_name(original)
    plain = api.safe_filename(stem, suffix)
    return [plain, api.safe_filename(stem, f"_{digest[:HASH_CHARS]}{suffix}"), api.safe_filename(digest, suffix)]


class Store:
    """报送/ and its history, safe under concurrent uploads (one lock, nothing slow under it)."""

    def __init__(self, root: Path, state_dir: Path) -> None:
        self.root, self.state_dir = Path(root), Path(state_dir)
        for name in (RETURNS, REPLACED, WITHDRAWN):
            (self.root / name).mkdir(parents=True, exist_ok=True)
        self.returns = self.root / RETURNS
        self._lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._state = self._load_state()
        self._digests = {self._digest(p): p.name for p in self.returns.iterdir() if p.is_file()}

    # --- state ----------------------------------------------------------------------------

    def _load_state(self) -> dict[str, Any]:
        path = self.state_dir / STATE_FILE
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            data = {}
        files = data.get("files") if isinstance(data.get("files"), dict) else {}
        moved = data.get("moved") if isinstance(data.get("moved"), list) else []
        return {"files": files, "moved": moved, "counter": int(data.get("counter") or len(moved))}

    def _save_state(self) -> None:
        api.write_text(self.state_dir / STATE_FILE, json.dumps(self._state, ensure_ascii=False))

    @staticmethod
    def _digest(path: Path) -> str:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()

    # --- storing ----------------------------------------------------------------------------

    def staging(self, data: bytes, suffix: str) -> Path:
        """The bytes in a private temporary file of the state folder (for checking, then storing)."""
        incoming = self.state_dir / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        tmp = incoming / f"{secrets.token_hex(8)}{suffix if len(suffix) <= 8 else ''}"
        tmp.write_bytes(data)
        return tmp

    def store(self, original: str, data: bytes, unit: str = "", batch: str = "", staged: Path | None = None) -> Stored:
        """Keep ``data`` in 报送/ (``staged``: the same bytes already written, moved into place).
        A ``unit``'s files of other batches (earlier uploads) move to 已替换/."""
        digest = hashlib.sha256(data).hexdigest()
        names = candidates(original, digest)
        tmp = staged or self.staging(data, split_name(original)[1])
        try:
            with self._lock:
                known = self._digests.get(digest)
                if known is not None and (self.returns / known).is_file():
                    return Stored(original, self.returns / known, len(data), digest, duplicate=True)
                name = next((n for n in names if not (self.returns / n).exists()), names[-1])
                os.replace(tmp, self.returns / name)
                self._digests[digest] = name
                replaced = self._supersede(unit, batch) if unit else []
                self._state["files"][name] = {"unit": unit, "original": original, "at": now(), "batch": batch}
                self._save_state()
        finally:
            if tmp.exists():
                tmp.unlink()
        return Stored(original, self.returns / name, len(data), digest, replaced=replaced)

    def _supersede(self, unit: str, batch: str) -> list[str]:
        older = [n for n, f in self._state["files"].items() if f.get("unit") == unit and f.get("batch") != batch]
        return [n for n in older if self._move(n, REPLACED) is not None]

    def _move(self, name: str, folder: str) -> Moved | None:
        """Under the lock: 报送/name to ``folder`` under a counter-prefixed name."""
        source = next((p for p in self.returns.iterdir() if p.name == name and p.is_file()), None)
        info = self._state["files"].pop(name, {})
        if source is None:
            return None
        self._state["counter"] += 1
        stem, suffix = split_name(name)
        target = self.root / folder / api.safe_filename(f"{self._state['counter']:04d}_{stem}", suffix)
        os.replace(source, target)
        self._digests = {d: n for d, n in self._digests.items() if n != name}
        moved = {"unit": info.get("unit", ""), "name": name, "path": target.name, "at": now(), "why": folder}
        self._state["moved"].append(moved)
        self.log(info.get("unit", ""), folder, name, f"{folder}/{target.name}", b"", size=target.stat().st_size)
        return Moved(moved["unit"], name, target, moved["at"], folder)

    def withdraw(self, name: str) -> Moved | None:
        """Move a stored file (by its name in 报送/, looked up, never joined) to 已撤回/; logged."""
        with self._lock:
            moved = self._move(name, WITHDRAWN)
            self._save_state()
        return moved

    # --- what the page lists -----------------------------------------------------------------

    def files(self) -> list[dict[str, Any]]:
        """Every file the next run reads, with the unit and time of its upload when the page took it."""
        info = self._state["files"]
        out = []
        for p in sorted(self.returns.rglob("*")):
            if p.is_file():
                rel = p.relative_to(self.returns).as_posix()
                meta = info.get(rel, {})
                size = p.stat().st_size
                out.append({"name": rel, "unit": meta.get("unit", ""), "at": meta.get("at", ""), "size": size})
        return out

    def history(self) -> dict[str, list[Moved]]:
        """Unit -> its files no longer read (replaced or withdrawn), newest first."""
        out: dict[str, list[Moved]] = {}
        for m in reversed(self._state["moved"]):
            out.setdefault(m["unit"], []).append(
                Moved(m["unit"], m["name"], self.root / m["why"] / m["path"], m["at"], m["why"])
            )
        return out

    # --- the log -------------------------------------------------------------------------------

    def log(self, unit: str, source: str, original: str, stored: str, data: bytes, size: int | None = None) -> None:
        """One line of the append-only 上传记录.csv; its header is written once, under the lock."""
        path = self.root / UPLOAD_LOG
        cell = api.csv_cell  # a file name never becomes a spreadsheet formula
        digest = hashlib.sha256(data).hexdigest() if data else ""
        row = [now(), cell(unit), source, cell(original), cell(stored), len(data) if size is None else size, digest]
        with self._log_lock:
            new = not path.exists() or path.stat().st_size == 0
            buf = io.StringIO()
            writer = csv.writer(buf)
            if new:
                writer.writerow(LOG_HEADERS)
            writer.writerow(row)
            with open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as f:
                f.write(buf.getvalue())
