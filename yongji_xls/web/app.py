"""The Flask application: configuration, the security checks every request passes, errors.

Pages live in :mod:`.routes` (the office) and :mod:`.unit_routes` (a unit's upload link).
Errors never show a stack trace: every error page is a Chinese sentence.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask, abort, g, render_template, request, send_from_directory
from werkzeug.exceptions import TooManyRequests

from .. import api
from ..issues import SEVERITY_TEXT, Status, labels
from . import review_routes, routes, upload_routes  # noqa: F401 - each registers its pages on the blueprint
from .office import office
from .security import RateLimit, RedactTokens, new_token, same
from .settings import CSRF_COOKIE, MB, OFFICE_COOKIE, Settings
from .unit_routes import unit
from .wording import on_page
from .workspace import Workspace

STATUS_TEXT = labels(Status)


def create_app(workspace: Workspace, settings: Settings) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)
    app.config.update(
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=settings.request_limit,
        MAX_FORM_PARTS=settings.files_per_request + 50,
        TEMPLATES_AUTO_RELOAD=False,
        JSON_AS_ASCII=False,
    )
    app.extensions["yongji"] = (workspace, settings)
    app.jinja_env.filters.update(
        show=_show,
        status_text=lambda s: STATUS_TEXT.get(s, s),
        severity_text=lambda s: SEVERITY_TEXT.get(s, s),
        num=_num,
    )
    app.jinja_env.globals.update(
        city=workspace.spec.office.get("city", ""),
        lan=settings.lan,
        file_limit=settings.file_limit,
        file_limit_mb=settings.file_limit // MB,
        request_limit=settings.request_limit,
        request_limit_mb=settings.request_limit // MB,
    )
    spec = workspace.spec
    app.jinja_env.filters.update(
        readable=lambda text: api.words_in_text(spec, text or ""),  # national.x@2024 -> 2024年全国…
        words=lambda key: api.words(spec, key or ""),
        said=lambda i: said(spec, i),
        said_message=lambda i: said(spec, i, located=False),
    )
    every = RateLimit(settings.rate_limit)
    posts = RateLimit(settings.post_rate_limit)
    origins = settings.origins or {f"http://{h}" for h in settings.hosts}
    for name in ("waitress", app.logger.name):
        logging.getLogger(name).addFilter(RedactTokens())

    @app.before_request
    def guard() -> Any:
        if request.host not in settings.hosts:
            abort(400, "请使用启动时显示的地址访问本页面。")
        client = _client(settings)
        wait = every.wait(client) or (posts.wait(client) if request.method == "POST" else 0)
        if wait:
            raise TooManyRequests(f"操作太频繁，请{wait}秒后再试。", retry_after=wait)
        if request.path.startswith("/u/"):
            request.max_content_length = settings.file_limit + MB  # a unit sends one file
        g.csrf = request.cookies.get(CSRF_COOKIE) or ""
        g.new_csrf = ""
        if not g.csrf:
            g.csrf = g.new_csrf = new_token()
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and origin not in origins:
                abort(403, "跨站提交已拒绝：请在本工具的页面中操作")
            if not same(request.form.get("csrf"), request.cookies.get(CSRF_COOKIE)):
                abort(403, "页面已过期，请刷新后重试。")
        return None

    @app.after_request
    def headers(resp: Any) -> Any:
        if g.get("new_csrf"):
            resp.set_cookie(CSRF_COOKIE, g.new_csrf, httponly=True, samesite="Strict")
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors "
            "'none'; form-action 'self'"
        )
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    for code, title in (
        (400, "请求无效"),
        (403, "无权访问"),
        (404, "页面不存在"),
        (405, "请求方式不对"),
        (413, "文件过大"),
        (429, "操作太频繁"),
        (500, "程序出错"),
        (503, "暂时无法完成"),
    ):
        app.register_error_handler(code, _error_page(code, title, settings))

    @app.get("/favicon.ico")
    def favicon() -> Any:
        return send_from_directory(app.static_folder or "", "favicon.svg", mimetype="image/svg+xml", max_age=86400)

    app.register_blueprint(office)
    app.register_blueprint(unit)
    return app


def _client(settings: Settings) -> str:
    """Whom a request is counted against: the unit whose link it uses, the office (its cookie),
    or, without a valid token, the address it comes from (units behind one NAT keep their own budgets)."""
    if settings.lan and settings.tokens is not None:
        parts = request.path.split("/")
        if len(parts) >= 4 and parts[1] == "u":
            unit = settings.tokens.unit_of(parts[3])
            if unit is not None:
                return f"unit:{unit}"
        if same(request.cookies.get(OFFICE_COOKIE), settings.tokens.office):
            return "office"
    elif request.remote_addr in ("127.0.0.1", "::1"):
        return "office"
    return f"ip:{request.remote_addr or '?'}"


DEFAULT_TEXT = {
    403: "需要办公室的访问口令。请使用启动时显示（或“上传链接.xlsx”中）的办公室链接打开本页。",
    404: "没有这个页面或文件。",
    413: "上传内容超过大小限制：每个文件不超过{file}MB，每次上传合计不超过{request}MB。"
    "请删除多余的图片或工作表后另存再上传，或分几次上传。",
    429: "操作太频繁，请稍等片刻再试。",
    503: "暂时无法完成本次操作，请稍后重试。",
    500: "程序内部出错，本次操作未完成。请把命令行窗口中的出错信息发给技术支持。",
}


def _error_page(code: int, title: str, settings: Settings):  # noqa: ANN202 - a Flask error handler
    def handler(e: Any) -> Any:
        description = getattr(e, "description", "") or ""
        if not description or not any("\u4e00" <= ch <= "\u9fff" for ch in description):
            description = DEFAULT_TEXT.get(code, title).format(
                file=settings.file_limit // MB, request=settings.request_limit // MB
            )
        headers = {"Retry-After": str(e.retry_after)} if getattr(e, "retry_after", None) else {}
        return render_template("error.html", title=title, message=description, code=code), code, headers

    return handler


def said(spec: Any, i: Any, located: bool = True) -> str:
    """An issue as the page shows it: its keys in words, its advice the page's own; ``located``:
    with its 文件/工作表/单元格 in front (tables show those in their own columns)."""
    return on_page(i.code, api.words_in_text(spec, i.text if located else i.message))


def _show(x: Any) -> str:
    return api.show_figure(x) if x is not None else ""


def _num(x: Any) -> str:
    """A typed value as the user would write it: 168000, not 168000.0."""
    return api.show_value(x)
