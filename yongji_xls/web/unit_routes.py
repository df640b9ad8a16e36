"""A unit's upload link (``--lan`` only): ``/u/<no>/<token>``.

The token must be that unit's: another unit's token, or none, is a 403. The unit uploads its
own file and sees that file's problems and nothing else; a file that cannot be read, or that
is another unit's template, is reported and not stored.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request

from ..issues import issue
from .security import same
from .upload_routes import too_large
from .uploads import TooLarge, read_capped
from .workspace import WORKBOOK_SUFFIXES

unit = Blueprint("unit", __name__)


def _unit(no: int, token: str) -> str:
    ws, st = current_app.extensions["yongji"]
    if not st.lan or st.tokens is None:
        abort(404)
    name = next((u.name for u in ws.spec.units if u.no == no), None)
    if name is None or not same(token, st.tokens.units.get(name)):
        abort(403, "上传链接无效：口令与单位不符。请使用领导小组办公室发给本单位的链接")
    return name


@unit.route("/u/<int:no>/<token>", methods=["GET", "POST"])
def upload(no: int, token: str) -> Any:
    name = _unit(no, token)
    if request.method == "GET":
        return render_template("unit.html", unit=name, row=None)
    ws, st = current_app.extensions["yongji"]
    f = request.files.get("file")
    if f is None or not f.filename:
        return render_template("unit.html", unit=name, row=None, message="请选择要上传的文件")
    try:
        data = read_capped(f.stream, st.file_limit)
    except TooLarge:
        abort(413, too_large([f.filename], st.file_limit))
    original = f.filename
    ext = Path(original.replace("\\", "/")).suffix.lower()
    row: dict[str, Any] = {"original": original, "stored": "", "issues": []}
    if ext not in WORKBOOK_SUFFIXES:
        row["issues"] = [issue("file_unsupported", file=original, ext=ext or "无扩展名")]
        ws.log(name, "单位链接", original, "", data)
        return render_template("unit.html", unit=name, row=row)
    staged = ws.files.staging(data, ext)
    try:
        sub = ws.check(staged, Path(original.replace("\\", "/")).name)
        issues = list(sub.issues)
        if sub.readable and sub.unit not in (None, name):
            issues.append(issue("upload_other_unit", file=sub.file, found=sub.unit, unit=name))
        accepted = sub.readable and sub.unit == name
        if accepted:  # this upload supersedes the unit's earlier ones
            stored = ws.store(original, data, unit=name, batch=secrets.token_hex(6), staged=staged)
            row["stored"], row["replaced"] = stored.path.name, stored.replaced
            ws.start_run()
    finally:
        staged.unlink(missing_ok=True)
    ws.log(name, "单位链接", original, row["stored"], data)
    row["issues"] = issues
    row["accepted"] = accepted
    return render_template("unit.html", unit=name, row=row)
