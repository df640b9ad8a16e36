"""The server under the page and its defences, over real sockets on 127.0.0.1: no version header,
slow headers timed out while others are served, per-token rate limits with Retry-After, ``next``
only a page of this site, token files owner-only, no token in a log line or an error page, the
port and address messages, and a workspace that remembers its county."""

from __future__ import annotations

import errno
import logging
import os
import socket
import time

import pytest
from web_support import Client, samples, serving

from yongji_xls import api
from yongji_xls.web.server import bind_error, start
from yongji_xls.web.settings import MB
from yongji_xls.web.workspace import Workspace
from yongji_xls.web.wsgi import OWN_ANSWERS, ServerLimits


def test_no_server_header_names_the_software(tmp_path):
    with serving(tmp_path / "ws") as running:
        c = Client(running)
        assert c.get("/")[0] == 200
        assert "server" not in c.headers and "via" not in c.headers


def test_a_body_beyond_what_the_server_reads_is_refused_in_chinese(tmp_path):
    """Past twice the app's request limit waitress answers itself, before reading the body."""
    with serving(tmp_path / "ws", request_limit=MB) as running:
        s = socket.create_connection(("127.0.0.1", running.port), timeout=10)
        s.sendall(
            f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\nContent-Type: multipart/form-data; "
            f"boundary=x\r\nContent-Length: {2 * MB + 1}\r\n\r\n".encode()
        )
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
        s.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ") and b"text/plain; charset=utf-8" in head.lower()
    assert body.decode("utf-8") == OWN_ANSWERS[413] and b"waitress" not in answer.lower()


def test_stalled_headers_are_closed_and_others_are_served_meanwhile(tmp_path):
    limits = ServerLimits(channel_timeout=60, header_timeout=2, cleanup_interval=1)
    with serving(tmp_path / "ws", server_limits=limits) as running:
        slow = []
        for n in range(300):  # each sends part of its headers, then one more byte now and then
            s = socket.create_connection(("127.0.0.1", running.port), timeout=10)
            s.sendall(f"GET /status HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\nX-{n}: ".encode())
            slow.append(s)
        start = time.monotonic()
        status, _ = Client(running).get("/status")
        assert status == 200 and time.monotonic() - start < 2  # the pool is not held by them
        deadline = time.monotonic() + 8
        for s in slow[:50]:  # dribbling keeps them active: only the header timeout ends them
            s.sendall(b"x")
        closed = 0
        for s in slow:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                closed += s.recv(1) == b""
            except (TimeoutError, ConnectionResetError):
                pass
            s.close()
        assert closed == 300
        assert Client(running).get("/status")[0] == 200


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.com",
        "//evil.com",
        "/\\evil.com",
        "/indicators\r\nSet-Cookie: x=1",
        "/%0d%0aSet-Cookie:x",
        "http://evil.com/",
        "https:evil.com",
        "/nowhere",
    ],
)
def test_next_is_only_a_page_of_this_site(tmp_path, target):
    with serving(tmp_path / "ws") as running:
        c = Client(running)
        c.get("/")
        status, _ = c.post("/run", {"csrf": c.csrf, "next": target})
        assert status == 303 and c.headers["location"] in ("/", f"http://127.0.0.1:{running.port}/")


def test_next_returns_to_the_page_the_form_was_on(tmp_path):
    with serving(tmp_path / "ws") as running:
        c = Client(running)
        c.get("/")
        assert c.post("/run", {"csrf": c.csrf, "next": "/indicators/I01"})[0] == 303
        assert c.headers["location"].endswith("/indicators/I01")


def test_rate_limits_count_per_unit_token_and_answer_retry_after(tmp_path):
    with serving(tmp_path / "ws", lan=True, rate_limit=4) as running:
        st = running.settings
        a, b = (f"/u/{st.unit_numbers[u]}/{st.tokens.units[u]}" for u in ("市统计局", "市发改局"))
        c = Client(running)  # both units behind one address (a NAT)
        assert [c.get(a)[0] for _ in range(4)] == [200] * 4
        status, text = c.get(a)
        assert status == 429 and 1 <= int(c.headers["retry-after"]) <= 60 and "秒后再试" in text
        assert c.get(b)[0] == 200  # the other unit keeps its own budget
        assert [c.get("/u/1/wrong-token")[0] for _ in range(4)] == [403] * 4
        assert c.get("/u/1/wrong-token")[0] == 429  # anonymous: counted per address


def test_token_files_are_owner_only(tmp_path):
    from yongji_xls.web.server import write_links

    with serving(tmp_path / "ws", lan=True) as running:
        links = write_links(running.workspace, running.settings)
        if os.name != "nt":
            assert (running.workspace.state_dir / "tokens.json").stat().st_mode & 0o777 == 0o600
            assert links.stat().st_mode & 0o777 == 0o600


def test_no_token_in_a_log_line_or_an_error_page(tmp_path, caplog, monkeypatch):
    with serving(tmp_path / "ws", lan=True) as running:
        st = running.settings
        token = st.tokens.units["市统计局"]
        url = f"/u/{st.unit_numbers['市统计局']}/{token}"

        def broken(*args, **kwargs):
            raise RuntimeError(f"cannot read {url}")

        monkeypatch.setattr(running.workspace, "check", broken)
        c = Client(running)
        c.get(url)
        with caplog.at_level(logging.DEBUG):
            status, text = c.post(url, {"csrf": c.csrf}, [("file", "a.xlsx", samples()[0].read_bytes())])
        assert status == 500 and token not in text and "程序内部出错" in text
        assert caplog.records and token not in caplog.text and "/u/" in caplog.text


def test_a_port_in_use_and_an_address_not_here_are_said_in_chinese(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with pytest.raises(OSError) as e:
            start(Workspace(tmp_path / "ws"), host="127.0.0.1", port=taken.getsockname()[1])
    finally:
        taken.close()
    message = bind_error(e.value, "127.0.0.1", 8765).message
    assert "端口8765" in message and "已被其他程序占用" in message and "Address" not in message
    assert bind_error(OSError(errno.EADDRNOTAVAIL, "Cannot assign"), "10.9.9.9", 8765).message.startswith(
        "无法在地址「10.9.9.9」上启动网页（本机没有这个地址）"
    )
    with pytest.raises(api.YongjiError) as refused:
        raise bind_error(OSError(errno.EADDRINUSE, "in use"), "127.0.0.1", 80)
    assert refused.value.code == "port_unavailable"
    assert bind_error(OSError(errno.EADDRNOTAVAIL, "x"), "h", 1).code == "address_unavailable"


def test_the_workspace_remembers_its_county_and_system(tmp_path):
    config = api.init_office(tmp_path / "临猗", "临猗县", from_yongji=True)
    system = api.export_system(tmp_path / "指标体系.xlsx")
    ws = Workspace.open(tmp_path / "工作区", config=config, system=system)
    assert ws.spec.office["city"] == "临猗县"
    again = Workspace.open(tmp_path / "工作区")
    assert again.spec.office["city"] == "临猗县" and again.setup == ws.setup
    assert Workspace.open(tmp_path / "另一个").spec.office["city"] == "永济市"


def test_stopping_twice_or_after_the_loop_ended_raises_nothing(tmp_path):
    """The loop closes every socket of its map, its trigger's too; a second stop (a test's own and
    the fixture's, or a stop after the loop died) pulled a closed trigger: OSError EBADF."""
    import threading

    from yongji_xls.web.wsgi import Server

    server = Server("127.0.0.1", 0)
    loop = threading.Thread(target=server.run, daemon=True)
    loop.start()
    server.close()
    loop.join(10)
    assert not loop.is_alive()
    server.close()  # raised OSError: [Errno 9] Bad file descriptor
