"""Support for the web page's tests: Debian's chromium through Playwright, a server on a free
127.0.0.1 port in this process, and a small HTTP client for requests a browser would not make.

The browser tests fail (not skip) under CI when chromium or Playwright is missing, like the
LibreOffice tests: CI installs both, so a missing one is a broken setup, not a reason to pass.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from yongji_xls.web.server import Running, start
from yongji_xls.web.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    exe = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if exe is None:
        _missing("Debian chromium（/usr/bin/chromium）未安装，无法运行浏览器测试")
    return exe


def launch_browser() -> Iterator[Any]:
    """One chromium per test module's fixture (no download: Debian's binary via executable_path); Playwright
    gives each launch a fresh temporary profile (user-data-dir)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing('playwright 未安装（pip install ".[test]"），无法运行浏览器测试')
    exe = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def browser_context(browser: Any, width: int = 1360, **options: Any) -> Iterator[Any]:
    """A fresh context (its own cookies) in the session's chromium."""
    ctx = browser.new_context(
        locale="zh-CN", accept_downloads=True, viewport={"width": width, "height": 900}, **options
    )
    ctx.set_default_timeout(60_000)
    try:
        yield ctx
    finally:
        ctx.close()


@contextmanager
def serving(root: Path, **kwargs: Any) -> Iterator[Running]:
    with serving_workspace(Workspace(root), **kwargs) as running:
        yield running


@contextmanager
def serving_workspace(workspace: Workspace, **kwargs: Any) -> Iterator[Running]:
    running = start(workspace, host="127.0.0.1", port=0, **kwargs)
    try:
        yield running
    finally:
        running.workspace.wait(120)
        running.stop()


def wait_idle(page: Any, timeout: float = 120_000) -> None:
    """Until the page's own progress polling has seen the run finish."""
    page.wait_for_selector("body[data-job='idle'], body[data-job='failed']", timeout=timeout)


def samples() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_file())


class Client:
    """A plain HTTP client with a cookie jar: for forged, oversized and odd requests."""

    def __init__(self, running: Running, host: str | None = None) -> None:
        self.port = running.port
        self.host = host or f"127.0.0.1:{self.port}"
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}  # of the last response

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        status, data = self.request_bytes(method, path, body, headers)
        return status, data.decode("utf-8", "replace")

    def request_bytes(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """The answer's status and body as sent (a download)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Host": self.host, **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        self.headers = {k.lower(): v for k, v in resp.getheaders()}
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                k, _, rest = value.partition("=")
                self.cookies[k] = rest.split(";", 1)[0]
        data = resp.read()
        conn.close()
        return resp.status, data

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(
        self,
        path: str,
        fields: dict[str, str],
        files: list[tuple[str, str, bytes]] = (),
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        body, ctype = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": ctype, **(headers or {})})

    @property
    def csrf(self) -> str:
        return self.cookies.get("yx_csrf", "")


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """multipart/form-data; ``files``: (field, file name exactly as sent, bytes)."""
    boundary = "----yx" + secrets.token_hex(8)
    out = bytearray()
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    for field, name, data in files:
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"
