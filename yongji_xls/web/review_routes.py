"""The office's 核定 and 参考值 pages: what people decide, saved row by row.

核定: each indicator's row is its own form carrying the version of the row it loaded; a save
writes that row alone, and only if the row still holds what the page showed (else both values
are shown and nothing is written). A 核定说明 without a score is kept. The row shows what now
applies at once, from the file just written (the run that follows updates the rest of the page).

参考值: the national figures the system does not ship, entered with their source and date and
saved as the workspace's 参考值.yaml, the file ``run`` reads as its reference file.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for

from .. import api
from .office import office, page
from .office import ws as _ws


def _review_state(ws: Any) -> tuple[dict[str, tuple[str, str]], dict[str, Any], dict[str, str]]:
    """Typed entries, the scores that apply (valid ones) and each refused entry's message."""
    if not ws.review_path.is_file():
        return {}, {}, {}
    entries = api.review_entries(ws.review_path, spec=ws.spec)
    applied, problems = api.read_review(ws.review_path, spec=ws.spec)
    return entries, applied, {i.key: i.message for i in problems if i.key}


def render_review(conflict: dict[str, Any] | None = None, refused: dict[str, Any] | None = None) -> str:
    ws = _ws()
    entries, applied, bad = _review_state(ws)
    versions = {i.key: api.review_row_version(entries.get(i.key)) for i in ws.spec.indicators}
    typed = dict(entries)
    for held in (conflict, refused):
        if held:
            typed[held["key"]] = held["typed"]
            if held is conflict:
                versions[held["key"]] = held["version"]
    return page(
        "review.html",
        entries=typed,
        applied=applied,
        bad=bad,
        versions=versions,
        conflict=conflict,
        refused=refused,
        just_saved=request.args.get("saved", ""),
    )


@office.get("/review")
def review() -> str:
    return render_review()


@office.post("/review/<key>")
def review_row(key: str) -> Any:
    ws = _ws()
    ind = next((i for i in ws.spec.indicators if i.key == key), None)
    if ind is None:
        abort(404)
    typed = (request.form.get("score", ""), request.form.get("note", ""))
    try:
        with ws.review_lock:
            saved = api.save_review_row(ws.review_path, ind.key, *typed, request.form.get("version", ""), spec=ws.spec)
    except api.YongjiError as e:  # the file open in Excel: what was typed stays on the page
        return render_review(refused={"key": ind.key, "typed": typed, "message": e.message}), 503
    if saved.problem:
        return render_review(refused={"key": ind.key, "typed": typed, "message": saved.problem}), 422
    if saved.conflict:
        held = {"key": ind.key, "typed": typed, "current": saved.current, "version": saved.version}
        return render_review(conflict=held), 409
    ws.start_run()
    return redirect(url_for("office.review", saved=ind.key, _anchor=f"row-{ind.key}"), 303)


@office.route("/references", methods=["GET", "POST"])
def references() -> Any:
    ws = _ws()
    keys = api.pending_references(ws.spec, ws.year)
    if request.method == "POST":
        entries = {
            key: tuple(request.form.get(f"{field}_{n}", "") for field in ("value", "source", "date"))
            for n, key in enumerate(keys)
        }
        try:
            with ws.reference_lock:
                saved = api.save_references(ws.reference_path, entries, spec=ws.spec, year=ws.year)
            problems, status = saved.problems, 422
        except api.YongjiError as e:  # the file open in another program: what was typed stays
            problems, status = (e.message,), 503
        if problems:
            typed = {k: {"value": v[0], "source": v[1], "date": v[2]} for k, v in entries.items()}
            return page("references.html", keys=keys, typed=typed, problems=problems), status
        flash("参考值已保存，正在重新计算。" + "".join(f"提示：{w.message}" for w in saved.warnings))
        ws.start_run()
        return redirect(url_for("office.references"), 303)
    typed = {
        k: {"value": e.value, "source": e.source, "date": e.date}
        for k, e in api.reference_entries(ws.reference_path).items()
    }
    return page("references.html", keys=keys, typed=typed, problems=())
