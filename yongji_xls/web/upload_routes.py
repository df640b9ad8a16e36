"""The office's 上传 page: files and zips uploaded, each checked at once, stored, and withdrawn.

A file is checked (pre-flight and read, by the library) from a private temporary copy before it
is stored, so the store knows whose file it is: a unit's file from an earlier upload is then
superseded (moved to 已替换/). Every size is checked before anything is stored: one file over the
limit is a 413 naming it, and nothing of that request is kept.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, flash, redirect, request, url_for

from .. import api
from ..issues import Severity, issue
from .office import office, page
from .office import settings as _settings
from .office import ws as _ws
from .settings import MB
from .store import split_name
from .uploads import TooLarge, read_capped
from .workspace import WORKBOOK_SUFFIXES

SOURCE = "办公室上传"


def too_large(names: list[str], limit: int) -> str:
    """The 413 sentence naming the files over the per-file limit."""
    shown = "」「".join(n.replace("\\", "/").rsplit("/", 1)[-1] for n in names[:5])
    more = f"等{len(names)}个文件" if len(names) > 5 else ""
    return (
        f"「{shown}」{more}超过每个文件{limit // MB}MB的上限，本次上传的文件都没有保存。"
        "请删除其中多余的图片或工作表后另存再上传，其余文件可以先上传"
    )


@office.route("/upload", methods=["GET", "POST"])
def upload() -> Any:
    ws, st = _ws(), _settings()
    if request.method == "GET":
        return page("upload.html", rows=None, stored=ws.files.files(), limit=st.file_limit)
    files = request.files.getlist("files")
    if len(files) > st.files_per_request:
        abort(413, f"一次最多上传{st.files_per_request}个文件，请分几次上传")
    received, over = [], []
    for f in files:  # every size is checked before anything is stored: a 413 stores nothing
        name = f.filename or "未命名"
        try:
            received.append((name, read_capped(f.stream, st.file_limit)))
        except TooLarge:
            over.append(name)
    if over:
        abort(413, too_large(over, st.file_limit))
    batch = secrets.token_hex(6)
    rows: list[dict[str, Any]] = []
    for name, data in received:
        ext = split_name(name)[1]
        if ext == ".zip":
            ws.log("", SOURCE, name, "", data)
            members, problems = api.zip_workbooks(data, name, st.file_limit)
            if not members and not any(i.severity == Severity.ERROR for i in problems):
                problems = [*problems, issue("upload_zip_empty", file=name)]
            if problems:
                rows.append(_row(name, issues=problems))
            rows += [take(ws, shown, body, batch) for shown, body in members]
        elif ext in WORKBOOK_SUFFIXES:
            rows.append(take(ws, name, data, batch))
        else:
            ws.log("", SOURCE, name, "", data)
            rows.append(_row(name, issues=[issue("file_unsupported", file=name, ext=ext or "无扩展名")]))
    if any(r["stored"] and not r["duplicate"] for r in rows):
        ws.start_run()
    return page("upload.html", rows=rows, stored=ws.files.files(), limit=st.file_limit)


def _row(original: str, **fields: Any) -> dict[str, Any]:
    return {"original": original, "stored": "", "unit": "", "issues": [], "duplicate": False, "replaced": [], **fields}


def take(ws: Any, shown: str, data: bytes, batch: str) -> dict[str, Any]:
    """Check a file from a private copy, then store that copy (superseding the unit's earlier upload)."""
    base = shown.replace("\\", "/").rsplit("/", 1)[-1]
    staged = ws.files.staging(data, split_name(base)[1])
    try:
        sub = ws.check(staged, base)
        stored = ws.store(base, data, unit=sub.unit or "", batch=batch, staged=staged)
    finally:  # stored: moved into 报送/ already; a check that raised: never left in incoming/
        staged.unlink(missing_ok=True)
    ws.log(sub.unit or "", SOURCE, shown, stored.path.name, data)
    return _row(
        shown,
        stored=stored.path.name,
        unit=sub.unit or "",
        issues=sub.issues,
        duplicate=stored.duplicate,
        replaced=stored.replaced,
    )


@office.post("/files/withdraw")
def withdraw() -> Any:
    """Move a stored file to 已撤回/ (looked up by its name among the stored files); logged."""
    ws = _ws()
    moved = ws.files.withdraw(request.form.get("name", ""))
    if moved is None:
        flash("没有找到这个文件，可能已被撤回或替换。")
    else:
        flash(f"已撤回「{moved.name}」（移到工作区的“已撤回”文件夹），正在重新计算。")
        ws.start_run()
    return redirect(url_for("office.upload"), 303)
