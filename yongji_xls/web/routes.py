"""The office's pages: 总览, 上传, 报送情况, 指标, 问题, 核定, 下载, 模板.

Each view asks the workspace (which asks :mod:`yongji_xls.api`) and renders a template; a
fatal library error is shown as its Chinese sentence. Files are served by what they are
(``breakdown``, a unit's number), never by a path the client sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for

from .. import api
from ..issues import issue
from . import views
from .security import same
from .settings import OFFICE_COOKIE, unit_link
from .uploads import TooLarge, read_capped, unpack_zip
from .workspace import RESULTS, RETURNS, TEMPLATES, WORKBOOK_SUFFIXES

office = Blueprint("office", __name__)


def _ws() -> Any:
    return current_app.extensions["yongji"][0]


def _settings() -> Any:
    return current_app.extensions["yongji"][1]


@office.before_request
def need_office_token() -> Any:
    """With --lan, office pages need the office token (given once in the link, then a cookie)."""
    st = _settings()
    if not st.lan:
        return None
    token = request.args.get("token")
    if token is not None and request.method == "GET" and same(token, st.tokens.office):
        resp = redirect(url_for(request.endpoint or "office.overview", **(request.view_args or {})))
        resp.set_cookie(OFFICE_COOKIE, token, httponly=True, samesite="Strict")
        return resp
    if not same(request.cookies.get(OFFICE_COOKIE), st.tokens.office):
        abort(403)
    return None


def page(template: str, **ctx: Any) -> str:
    ws = _ws()
    return render_template(template, ws=ws, result=ws.result, job=ws.job, **ctx)


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
    target = request.form.get("next", "")
    local = target.startswith("/") and not target.startswith(("//", "/\\"))  # our own page, never another site
    return redirect(target if local else url_for("office.overview"), 303)


# --- 上传 -----------------------------------------------------------------------------------


@office.route("/upload", methods=["GET", "POST"])
def upload() -> str:
    if request.method == "GET":
        return page("upload.html", rows=None)
    ws, st = _ws(), _settings()
    files = request.files.getlist("files")
    if len(files) > st.files_per_request:
        abort(413)
    received = []
    for f in files:  # every size is checked before anything is stored: a 413 stores nothing
        try:
            received.append((f.filename or "未命名", read_capped(f.stream, st.file_limit)))
        except TooLarge:
            abort(413)
    rows: list[dict[str, Any]] = []
    for name, data in received:
        ext = Path(name.replace("\\", "/")).suffix.lower()
        if ext == ".zip":
            members, problems = unpack_zip(name, data, st.file_limit, st.request_limit)
            if problems:
                rows.append({"original": name, "stored": "", "unit": "", "issues": problems, "duplicate": False})
            ws.log("", "办公室上传", name, "", data)
            rows += [_take(ws, f"{name}／{m.name}", m.name, m.data) for m in members]
        elif ext in WORKBOOK_SUFFIXES:
            rows.append(_take(ws, name, name, data))
        else:
            ws.log("", "办公室上传", name, "", data)
            rows.append(
                {
                    "original": name,
                    "stored": "",
                    "unit": "",
                    "issues": [issue("file_unsupported", file=name, ext=ext or "无扩展名")],
                    "duplicate": False,
                }
            )
    if any(r["stored"] for r in rows):
        ws.start_run()
    return page("upload.html", rows=rows)


def _take(ws: Any, shown: str, name: str, data: bytes) -> dict[str, Any]:
    stored = ws.store(name, data)
    sub = ws.check(stored.path, stored.path.name)
    ws.log(sub.unit or "", "办公室上传", shown, stored.path.name, data)
    return {
        "original": shown,
        "stored": stored.path.name,
        "unit": sub.unit or "",
        "issues": sub.issues,
        "duplicate": stored.duplicate,
    }


# --- 报送情况 / 指标 / 问题 --------------------------------------------------------------------


@office.get("/units")
def units() -> str:
    ws, st = _ws(), _settings()
    result = ws.result
    texts = api.reminders(result) if result is not None else {}
    feedback = _feedback_by_unit(ws)
    links = _unit_links(st) if st.lan else {}
    return page(
        "units.html", texts=texts, feedback=feedback, links=links, numbers={u.name: u.no for u in ws.spec.units}
    )


def _unit_links(st: Any) -> dict[str, str]:
    return {u: unit_link(st, u) for u in st.tokens.units}


def _feedback_by_unit(ws: Any) -> dict[str, Path]:
    if ws.result is None or ws.written is None:
        return {}
    paths = ws.written.paths
    out = {}
    for u in ws.result.units:
        for f in [u.used_file, *u.files]:
            if f and f in paths:
                out[u.unit] = paths[f]
                break
    return out


@office.get("/units/<int:no>/feedback")
def unit_feedback(no: int) -> Any:
    ws = _ws()
    unit = next((u.name for u in ws.spec.units if u.no == no), None)
    path = _feedback_by_unit(ws).get(unit or "")
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)


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


# --- 核定 -------------------------------------------------------------------------------------


@office.route("/review", methods=["GET", "POST"])
def review() -> Any:
    ws = _ws()
    if request.method == "POST":
        entries = {
            i.key: (request.form.get(f"score_{i.key}", ""), request.form.get(f"note_{i.key}", ""))
            for i in ws.spec.indicators
        }
        try:
            api.write_review(ws.review_path, entries, spec=ws.spec)
        except api.YongjiError as e:
            flash(e.message)
            return redirect(url_for("office.review"), 303)
        ws.start_run()
        return redirect(url_for("office.review", saved=1), 303)
    saved: dict[str, tuple[Any, str]] = {}
    if ws.review_path.is_file():
        saved, _ = api.read_review(ws.review_path, spec=ws.spec)
    problems = [i for i in ws.result.report if i.code.startswith("review_")] if ws.result is not None else []
    return page("review.html", saved=saved, problems=problems, just_saved=bool(request.args.get("saved")))


# --- 下载 / 模板 ------------------------------------------------------------------------------

DOWNLOADS = {"breakdown": "任务分解表", "report": "自评报告", "scores": "scores.json"}


@office.get("/downloads")
def downloads() -> str:
    ws = _ws()
    paths = ws.written.paths if ws.written is not None else {}
    templates = sorted((ws.folder(TEMPLATES)).glob("*.xlsx"))
    return page("downloads.html", paths=paths, names=DOWNLOADS, templates=templates, feedback=_feedback_by_unit(ws))


@office.get("/download/<what>")
def download(what: str) -> Any:
    ws = _ws()
    if what in DOWNLOADS:
        path = ws.written.paths.get(what) if ws.written is not None else None
    elif what in ("templates", "feedback"):
        folder = ws.folder(TEMPLATES) if what == "templates" else ws.folder(RESULTS) / "反馈"
        name = "填报模板.zip" if what == "templates" else "问题反馈表.zip"
        try:
            path = api.zip_folder(folder, ws.state_dir / name)
        except api.YongjiError as e:
            abort(404, e.message)
    else:
        abort(404)
    if path is None or not Path(path).is_file():
        abort(404, "还没有这个文件：请先上传报送文件并完成计算")
    return send_file(path, as_attachment=True, download_name=Path(path).name)


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
        for old in folder.glob("*.xlsx"):
            old.unlink()
        try:
            paths = api.write_templates(folder, **kwargs)
        except api.YongjiError as e:
            flash(e.message)
            return redirect(url_for("office.templates"), 303)
        flash(f"已生成{len(paths)}个{year}年度填报模板")
        return redirect(url_for("office.templates"), 303)
    return page(
        "templates.html",
        files=sorted(folder.glob("*.xlsx")),
        prefill=True,
        returns=len(list(ws.folder(RETURNS).iterdir())),
    )
