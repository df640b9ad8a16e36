"""The WSGI server under the page: waitress, chosen by measurement (docs/design-decisions.md, issue 21).

waitress is pure Python and runs the same on Windows. Its I/O loop reads a request's headers and
body before a worker thread sees it, so a slow or stalled client holds a socket, never one of the
bounded pool's threads; a request body is spooled to a temporary file past a few MB. On top of its
idle timeout (``channel_timeout``) a connection that has been sending the same request's headers
for longer than ``header_timeout`` is closed (a client dribbling one byte a second never goes idle).
No ``Server`` header is sent (``ident=""``). The few answers waitress gives itself, before the app
sees a request (a body over its limit, malformed or oversized headers), are Chinese sentences, not
waitress's English text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServerLimits:
    """How many threads and connections, and how long a connection may take (seconds)."""

    threads: int = 8
    connection_limit: int = 400  # below the 512 sockets select() takes on Windows
    channel_timeout: int = 30  # idle connection
    header_timeout: float = 20.0  # the headers of one request, however slowly they come
    cleanup_interval: int = 5  # how often both are checked
    body_limit: int = 0  # bytes; 0: waitress's default (serve: twice the app's, so the app answers first)


DEFAULT_SERVER = ServerLimits()

OWN_ANSWERS = {
    400: "请求格式不正确，本次操作未完成。请回到页面重新操作。",
    413: "上传内容过大，本次上传的文件都没有保存。请分几次上传，每次少选几个文件。",
    431: "请求头过大，本次操作未完成。请关闭浏览器后重新打开页面。",
}
"""What waitress answers itself, by status (anything else: the 500 sentence)."""
OWN_FALLBACK = "服务器内部出错，本次操作未完成。请稍后重试。"


def _channel_class() -> type:
    """waitress's HTTP channel whose error task answers in Chinese (an HTML-free text page)."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class ChineseErrorTask(ErrorTask):
        def execute(self) -> None:
            code = self.request.error.code
            body = OWN_ANSWERS.get(code, OWN_FALLBACK).encode("utf-8")
            self.status = f"{code} {self.request.error.reason}"
            self.response_headers.append(("Content-Type", "text/plain; charset=utf-8"))
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class Channel(HTTPChannel):
        error_task_class = ChineseErrorTask

    return Channel


class AppSlot:
    """The server needs an app before it is bound; the app needs the port it was bound to
    (allowed Host headers, links). The slot is served, and the app put into it once built."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        if self.app is None:  # pragma: no cover - filled before serving starts
            start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
            return ["正在启动，请稍候".encode()]
        return self.app(environ, start_response)


class Server:
    """A bound waitress server with the page's limits; ``run()`` serves until ``close()``."""

    def __init__(self, host: str, port: int, limits: ServerLimits = DEFAULT_SERVER) -> None:
        from waitress.server import create_server

        self.slot = AppSlot()
        self.limits = limits
        extra = {"max_request_body_size": limits.body_limit} if limits.body_limit else {}
        self._server = create_server(
            self.slot,
            host=host,
            port=port,
            threads=limits.threads,
            connection_limit=limits.connection_limit,
            channel_timeout=limits.channel_timeout,
            cleanup_interval=limits.cleanup_interval,
            ident="",
            expose_tracebacks=False,
            clear_untrusted_proxy_headers=True,
            **extra,
        )
        self._server.channel_class = _channel_class()
        self._seen: dict[tuple[int, int], float] = {}
        idle = self._server.maintenance
        self._server.maintenance = lambda now: (idle(now), self._close_slow_headers(now))
        self.port: int = self._server.effective_port
        self._running = False

    def _close_slow_headers(self, now: float) -> None:
        """Close a connection whose current request's headers are still incomplete after
        ``header_timeout`` seconds (measured from the first check that saw them incomplete)."""
        seen: dict[tuple[int, int], float] = {}
        for channel in list(self._server.active_channels.values()):
            request = getattr(channel, "request", None)
            if request is None or getattr(request, "headers_finished", True) or channel.requests:
                continue
            key = (id(channel), id(request))
            first = self._seen.get(key, now)
            seen[key] = first
            if now - first >= self.limits.header_timeout:
                channel.will_close = True
        self._seen = seen

    def run(self) -> None:
        self._running = True
        self._server.run()

    def close(self) -> None:
        """Stop serving: the loop's own thread closes every socket (through waitress's trigger),
        so no socket is closed under a select() in progress; then the worker threads end. Closing
        again, or after the loop has ended, closes what is left here and raises nothing."""
        from waitress import wasyncore

        server = self._server
        if not self._running:  # never served (start-up failed after binding): no loop to ask, close here
            wasyncore.close_all(server._map)
        else:
            try:
                server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
            except OSError:  # the loop has ended and closed its sockets, its trigger's among them
                wasyncore.close_all(server._map, ignore_all=True)
        server.task_dispatcher.shutdown()
