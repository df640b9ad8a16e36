"""Starting the page: refuse unsafe bindings, make the LAN links, serve until Ctrl+C.

Without ``--lan`` only 127.0.0.1 is accepted. With it, the office link is printed and one link
per unit is written to 上传链接.xlsx in the workspace (the office sends each unit its own; unit
tokens are never printed, so no console or log holds them).
"""

from __future__ import annotations

import errno
import socket
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import api
from .app import create_app
from .security import LOOPBACK, Tokens, allowed_hosts
from .settings import Settings, office_link, unit_link
from .workspace import RETURNS, Workspace
from .wsgi import DEFAULT_SERVER, Server, ServerLimits

LINKS_FILE = "上传链接.xlsx"


class BindRefused(ValueError):
    """A binding that the options do not allow (the message is the Chinese sentence)."""


def lan_address() -> str:
    """This PC's address on its LAN (the interface a default route would use), or loopback."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("10.255.255.255", 1))
        return s.getsockname()[0]
    except OSError:
        return LOOPBACK
    finally:
        s.close()


def choose_host(host: str | None, lan: bool) -> str:
    if not lan:
        if host not in (None, LOOPBACK, "localhost"):
            raise BindRefused(f"只有加 --lan 才能在「{host}」上提供服务；不加 --lan 时本页面只在本机（127.0.0.1）可用")
        return LOOPBACK
    return host or lan_address()


def write_links(ws: Workspace, settings: Any) -> Path:
    """上传链接.xlsx: the office link, then each unit's link (text cells, never formulas)."""
    rows: list[tuple[Any, ...]] = [("", "领导小组办公室（勿外发）", office_link(settings))]
    rows += [(settings.unit_numbers[u], u, unit_link(settings, u)) for u in settings.tokens.units]
    return api.write_table(
        ws.root / LINKS_FILE,
        "上传链接",
        ("序号", "单位", "上传链接（只发给该单位）"),
        rows,
        widths={1: 28, 2: 90},
        private=True,
    )


@dataclass
class Running:
    """A started server: its address, the thread serving, and how to stop it (tests use this)."""

    url: str
    server: Server
    thread: threading.Thread
    workspace: Workspace
    settings: Any

    @property
    def port(self) -> int:
        return self.server.port

    def stop(self) -> None:
        self.server.close()
        self.thread.join(10)


def start(
    workspace: Workspace,
    *,
    host: str | None = None,
    port: int = 8765,
    lan: bool = False,
    server_limits: ServerLimits = DEFAULT_SERVER,
    **limits: Any,
) -> Running:
    """Build the app and serve it from a thread (``port=0``: any free port)."""
    bind = choose_host(host, lan)
    settings = Settings(hosts=set(), lan=lan, **limits)
    # waitress reads a body up to twice the app's limit, so a request moderately over it is answered
    # by the app's own 413 page after it arrived (a reply while the browser still sends is a reset)
    server = Server(bind, port, replace(server_limits, body_limit=2 * settings.request_limit))
    try:  # bound from here on: any failure (the token file unwritable) closes the socket again
        shown = (
            LOOPBACK
            if bind in ("0.0.0.0", "::") and not lan
            else (lan_address() if bind in ("0.0.0.0", "::") else bind)
        )
        extra = [shown, socket.gethostname()] if lan else []
        settings.hosts = allowed_hosts(bind, server.port, extra)
        settings.base_url = f"http://{shown}:{server.port}"
        settings.unit_numbers = {u.name: u.no for u in workspace.spec.units}
        if lan:
            settings.tokens = Tokens.load_or_create(workspace.state_dir, [u.name for u in workspace.spec.units])
        server.slot.app = create_app(workspace, settings)
        thread = threading.Thread(target=server.run, name="yongji-serve", daemon=True)
        thread.start()
        if any(p.is_file() for p in workspace.folder(RETURNS).iterdir()):
            workspace.start_run()
    except BaseException:
        server.close()
        raise
    return Running(office_link(settings), server, thread, workspace, settings)


def serve(
    root: Path,
    *,
    host: str | None = None,
    port: int = 8765,
    lan: bool = False,
    open_browser: bool = True,
    year: int | None = None,
    config: str | Path | None = None,
    system: str | Path | None = None,
    echo: Any = print,
) -> None:
    """``yongji-xls serve``: start, print the office's link, open the browser, serve until Ctrl+C.

    ``config``/``system`` are remembered by the workspace: the next start without them uses them again."""
    import time
    import webbrowser

    choose_host(host, lan)  # refuse before touching the workspace
    quiet_server_log()
    workspace = Workspace.open(Path(root), year=year, config=config, system=system)
    try:
        running = start(workspace, host=host, port=port, lan=lan)
    except OSError as e:
        raise bind_error(e, host or LOOPBACK, port) from e
    echo(f"工作区：{workspace.root.resolve()}（模板/、报送/、结果/）")
    echo(f"本县（市、区）：{workspace.spec.office.get('city', '')}；指标体系：{workspace.spec.title}")
    try:  # the links workbook open in Excel stops the page and frees the port
        echo(f"请在浏览器中打开：{running.url}")
        if lan:
            path = write_links(workspace, running.settings)
            echo(f"各单位的上传链接已写入：{path}（每个单位只发给该单位；办公室链接勿外发）")
        echo("按 Ctrl+C 停止。")
        if open_browser:
            webbrowser.open(running.url)
        while running.thread.is_alive():
            time.sleep(0.5)
    except KeyboardInterrupt:
        echo("已停止。")
    finally:
        running.stop()


_BIND_REASONS = {
    errno.EADDRINUSE: "端口已被其他程序占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
    errno.EACCES: "没有使用该端口的权限",
}


def bind_error(e: OSError, host: str, port: int) -> api.YongjiError:
    """The Chinese sentence for a port or address the server could not bind (never the OS's English)."""
    reason = _BIND_REASONS.get(e.errno or 0, "系统拒绝了监听请求")
    if e.errno == errno.EADDRNOTAVAIL or isinstance(e, socket.gaierror):
        return api.YongjiError("address_unavailable", host=host, reason=reason)
    return api.YongjiError("port_unavailable", port=port, reason=reason)


def quiet_server_log() -> None:
    """waitress warns of a busy queue; nothing else of it belongs in the office's console."""
    import logging

    logging.getLogger("waitress").setLevel(logging.ERROR)
