"""Starting the page: refuse unsafe bindings, make the LAN links, serve until Ctrl+C.

Without ``--lan`` only 127.0.0.1 is accepted. With it, the office link and one link per unit
are printed and written to 上传链接.xlsx in the workspace (the office sends each unit its own).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import api
from .app import create_app
from .security import LOOPBACK, Tokens, allowed_hosts
from .settings import Settings, office_link, unit_link
from .workspace import RETURNS, Workspace

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
        ws.root / LINKS_FILE, "上传链接", ("序号", "单位", "上传链接（只发给该单位）"), rows, widths={1: 28, 2: 90}
    )


@dataclass
class Running:
    """A started server: its address, the thread serving, and how to stop it (tests use this)."""

    url: str
    server: Any
    thread: threading.Thread
    workspace: Workspace
    settings: Any

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


def start(
    workspace: Workspace, *, host: str | None = None, port: int = 8765, lan: bool = False, **limits: Any
) -> Running:
    """Build the app and serve it from a thread (``port=0``: any free port)."""
    from werkzeug.serving import make_server

    bind = choose_host(host, lan)
    sock_server = make_server(bind, port, _Placeholder(), threaded=True)
    real_port = sock_server.server_port
    shown = (
        LOOPBACK if bind in ("0.0.0.0", "::") and not lan else (lan_address() if bind in ("0.0.0.0", "::") else bind)
    )
    extra = [shown, socket.gethostname()] if lan else []
    settings = Settings(hosts=allowed_hosts(bind, real_port, extra), lan=lan, **limits)
    settings.base_url = f"http://{shown}:{real_port}"
    settings.unit_numbers = {u.name: u.no for u in workspace.spec.units}
    if lan:
        settings.tokens = Tokens.load_or_create(workspace.state_dir, [u.name for u in workspace.spec.units])
    sock_server.app = create_app(workspace, settings)
    thread = threading.Thread(target=sock_server.serve_forever, name="yongji-serve", daemon=True)
    thread.start()
    if any(p.is_file() for p in workspace.folder(RETURNS).iterdir()):
        workspace.start_run()
    return Running(office_link(settings), sock_server, thread, workspace, settings)


class _Placeholder:
    """make_server needs an app before the port (and so the allowed hosts) is known."""

    def __call__(self, environ: Any, start_response: Any) -> Any:  # pragma: no cover - replaced before serving
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b""]


def serve(
    root: Path,
    *,
    host: str | None = None,
    port: int = 8765,
    lan: bool = False,
    open_browser: bool = True,
    year: int | None = None,
    echo: Any = print,
) -> None:
    """``yongji-xls serve``: start, print the links, open the browser, serve until Ctrl+C."""
    import logging
    import time
    import webbrowser

    choose_host(host, lan)  # refuse before touching the workspace
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in the office's console
    workspace = Workspace(Path(root), year=year, spec=api.load_system())
    try:
        running = start(workspace, host=host, port=port, lan=lan)
    except OSError as e:
        raise api.YongjiError("port_unavailable", port=port, reason=e.strerror or e) from e
    echo(f"工作区：{workspace.root.resolve()}（模板/、报送/、结果/）")
    echo(f"请在浏览器中打开：{running.url}")
    if lan:
        path = write_links(workspace, running.settings)
        echo("局域网上传链接（每个单位只发给该单位；办公室链接勿外发）：")
        for unit in running.settings.tokens.units:
            echo(f"  {unit}：{unit_link(running.settings, unit)}")
        echo(f"以上链接已写入：{path}")
    echo("按 Ctrl+C 停止。")
    if open_browser:
        webbrowser.open(running.url)
    try:
        while running.thread.is_alive():
            time.sleep(0.5)
    except KeyboardInterrupt:
        echo("已停止。")
    finally:
        running.stop()
