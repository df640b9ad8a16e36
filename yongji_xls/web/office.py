"""The office's blueprint: the token check every office page passes, and what every page is
rendered with. The pages themselves are in :mod:`.routes`, :mod:`.upload_routes` and
:mod:`.review_routes`, which register on this blueprint."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from .security import same
from .settings import OFFICE_COOKIE

office = Blueprint("office", __name__)


def ws() -> Any:
    return current_app.extensions["yongji"][0]


def settings() -> Any:
    return current_app.extensions["yongji"][1]


@office.before_request
def need_office_token() -> Any:
    """With --lan, office pages need the office token (given once in the link, then a cookie)."""
    st = settings()
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
    w = ws()
    return render_template(template, ws=w, result=w.result, job=w.job, **ctx)
