"""The office's pages: 总览, 上传, 报送情况, 指标, 问题, 核定, 下载, 模板.

Each view asks the workspace (which asks :mod:`yongji_xls.api`) and renders a template; a
fatal library error is shown as its Chinese sentence. Files are served by what they are
(``breakdown``, a unit's number), never by a path the client sent.
"""

from __future__ import annotations

import shutil
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import abort, flash, jsonify, redirect, request, send_file, url_for

from .. import api
from . import views
from .office import office, page
from .office import settings as _settings
from .office import ws as _ws
from .security import local_path
from .settings import unit_link
from .workspace import RESULTS, RETURNS, TEMPLATES


@office.get("/")
def overview() -> str:
    result = _ws().result
    if result is None:
        return page("overview.html", counts=None, path=None)
    return page(
        "overview.html",
        counts=views.counts(result),
        path=views.path_to_pass(result),
        rate_min=_rate_min(result),
        previous=api.year_on_year_view(result),
    )


def _rate_min(result: Any) -> float:
    """The first-level pass line in percent, for the chart's threshold line."""
    return float(result.spec.pass_rule.first_level_rate_min)


@office.get("/status")
def status() -> Any:
    ws = _ws()
    return jsonify({**ws.job.as_dict(), "has_result": ws.result is not None})


@office.post("/run")
def rerun() -> Any:
    _ws().start_run()
    target = local_path(request.form.get("next"), _is_page)
    return redirect(target or url_for("office.overview"), 303)


def _is_page(path: str) -> bool:
    """A path one of this site's pages answers with GET (where a form may send the office back)."""
    from flask import current_app
    from werkzeug.exceptions import HTTPException

    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return False
    return True


# --- 报送情况 / 指标 / 问题 --------------------------------------------------------------------


@office.get("/units")
def units() -> str:
    ws, st = _ws(), _settings()
    result = ws.result
    texts = api.reminders(result) if result is not None else {}
    feedback = _feedback_by_unit(ws)
    links = _unit_links(st) if st.lan else {}
    return page(
        "units.html",
        texts=texts,
        feedback=feedback,
        links=links,
        numbers={u.name: u.no for u in ws.spec.units},
        history=ws.files.history(),
    )


def _unit_links(st: Any) -> dict[str, str]:
    return {u: unit_link(st, u) for u in st.tokens.units}


def _feedback_by_unit(ws: Any) -> dict[str, Path]:
    pair = ws.outcome  # one run's result with the files that run wrote
    if pair.result is None or pair.written is None:
        return {}
    paths = pair.written.paths
    out = {}
    for u in pair.result.units:
        for f in [u.used_file, *u.files]:
            if f and f in paths:
                out[u.unit] = paths[f]
                break
    return out


@office.get("/units/<int:no>/feedback")
def unit_feedback(no: int) -> Any:
    ws = _ws()
    unit = next((u.name for u in ws.spec.units if u.no == no), None)
    with ws.output_lock:
        path = _feedback_by_unit(ws).get(unit or "")
        if path is None or not path.is_file():
            abort(404)
        data = path.read_bytes()
    return _send(data, path.name)


def _send(data: bytes, name: str) -> Any:
    """The bytes read under the lock: no file of 结果/ stays open while a run may replace it."""
    return send_file(BytesIO(data), as_attachment=True, download_name=name)


@office.get("/indicators")
def indicators() -> str:
    return page("indicators.html")


@office.get("/indicators/<key>")
def indicator(key: str) -> str:
    result = _ws().result
    if result is None:
        return redirect(url_for("office.indicators"))
    ind = next((i for i in result.spec.indicators if i.key == key.upper()), None)
    if ind is None:
        abort(404)
    score = result.card.indicator(ind.key)
    return page(
        "indicator.html",
        ind=ind,
        score=score,
        merged=views.merged_rows(result, ind),
        answers=views.evidence_rows(result, ind),
        lists=views.list_rows(result, ind),
        issues=views.issue_rows(result, indicator=ind.key),
    )


@office.get("/issues")
def issues() -> str:
    result = _ws().result
    f = {k: request.args.get(k, "") for k in ("unit", "severity", "indicator")}
    rows = views.issue_rows(result, **f) if result is not None else []
    return page("issues.html", rows=rows, filters=f)


# --- 下载 / 模板 ------------------------------------------------------------------------------

DOWNLOADS = {"breakdown": "任务分解表", "report": "自评报告", "brief": "内部工作提示", "scores": "scores.json"}
ALL_OUTPUTS = "全部成果.zip"


@office.get("/downloads")
def downloads() -> str:
    ws = _ws()
    paths = ws.written.paths if ws.written is not None else {}
    templates = sorted((ws.folder(TEMPLATES)).glob("*.xlsx"))
    return page("downloads.html", paths=paths, names=DOWNLOADS, templates=templates, feedback=_feedback_by_unit(ws))


@office.get("/download/<what>")
def download(what: str) -> Any:
    ws = _ws()
    if what not in (*DOWNLOADS, "all", "templates", "feedback"):
        abort(404)
    try:
        with ws.output_lock:  # the run holds it while it writes 结果/ (and the 模板 page while it swaps)
            got = _read_download(ws, what)
    except api.YongjiError as e:
        abort(503, e.message)
    if got is None:
        abort(404, "还没有这个文件：请先上传报送文件并完成计算")
    return _send(*got)


def _read_download(ws: Any, what: str) -> tuple[bytes, str] | None:
    """The download's bytes and name; a zip is built under a private temporary name, read, removed."""
    if what in DOWNLOADS:
        path = ws.written.paths.get(what) if ws.written is not None else None
        return (path.read_bytes(), path.name) if path is not None and Path(path).is_file() else None
    with tempfile.TemporaryDirectory(dir=ws.state_dir, prefix="download-") as tmp:
        if what == "all":
            path = api.zip_outputs(ws.folder(RESULTS), Path(tmp) / ALL_OUTPUTS)
        else:
            folder = ws.folder(TEMPLATES) if what == "templates" else ws.folder(RESULTS) / "反馈"
            name = "填报模板.zip" if what == "templates" else "问题反馈表.zip"
            if not folder.is_dir():
                return None
            path = api.zip_folder(folder, Path(tmp) / name)
        return (path.read_bytes(), path.name) if path is not None else None


@office.route("/templates", methods=["GET", "POST"])
def templates() -> Any:
    ws = _ws()
    folder = ws.folder(TEMPLATES)
    if request.method == "POST":
        try:
            year = int(request.form.get("year") or ws.year)
        except ValueError:
            flash("年度请填写四位数字，如2024")
            return redirect(url_for("office.templates"), 303)
        kwargs: dict[str, Any] = {"spec": ws.spec, "year": year, "deadline": request.form.get("deadline") or None}
        last = ws.written.paths.get("scores") if ws.written is not None else None
        if request.form.get("prefill") and last is not None and Path(last).is_file():
            kwargs["prefill"] = last  # the last run's scores.json (api.write_templates reads its values)
        try:
            paths = _replace_templates(ws, folder, kwargs)
        except api.YongjiError as e:
            flash(e.message.rstrip("。") + "。原有模板保持不变")
            return redirect(url_for("office.templates"), 303)
        flash(f"已生成{len(paths)}个{year}年度填报模板")
        return redirect(url_for("office.templates"), 303)
    return page(
        "templates.html",
        files=sorted(folder.glob("*.xlsx")),
        prefill=True,
        returns=len(list(ws.folder(RETURNS).iterdir())),
    )


def _replace_templates(ws: Any, folder: Path, kwargs: dict[str, Any]) -> list[Path]:
    """Write the new set into a temporary folder beside the old one, then swap: a failure (a
    template open in Excel) is a YongjiError and leaves the old set as it was. Files of 模板/ that
    are not workbooks (the office's own) are carried over."""
    with tempfile.TemporaryDirectory(dir=ws.state_dir, prefix="templates-") as tmp:
        new, old = Path(tmp) / "new", Path(tmp) / "old"
        try:
            paths = api.write_templates(new, **kwargs)
            for p in folder.iterdir():
                if p.suffix.lower() != ".xlsx":
                    (shutil.copytree if p.is_dir() else shutil.copy2)(p, new / p.name)
            with ws.output_lock:  # no templates download reads a half-swapped folder
                folder.rename(old)
                try:
                    new.rename(folder)
                except OSError:
                    old.rename(folder)
                    raise
        except OSError as e:
            raise api.YongjiError("write_failed_open", path=folder, reason=api.os_reason(e)) from e
        return [folder / p.name for p in paths]
