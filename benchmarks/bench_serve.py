"""Load test of ``serve --lan`` on 127.0.0.1 (bounded: the sample units x ROUNDS uploads, then stops).

    python benchmarks/bench_serve.py [--rounds 4] [--server waitress|cheroot]

Starts the page on a free loopback port over a fresh workspace, uploads the bundled sample
workbooks as the units, each through its own link and token (all units at once, one thread per
unit, every round a re-save so the bytes differ), and prints p50/p95/max latency, errors, whether
every upload is in 上传记录.csv and whether the page's final total equals the CLI's ``run`` of the
same files. ``--server cheroot`` serves the same Flask app on cheroot (installed by hand) for the
comparison recorded in docs/design-decisions.md; then a slow-header check holds 300 connections
sending headers slowly and times a normal request meanwhile.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import socket
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]


def resaved(data: bytes, n: int) -> bytes:
    """The same workbook with other bytes (its members rewritten at another compression level)."""
    if not data.startswith(b"PK"):
        return data
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info), compresslevel=1 + n % 9)
    return out.getvalue()


def cheroot_start(workspace, lan: bool):  # noqa: ANN001, ANN201 - the comparison's server
    """The same app on cheroot's WSGI server (pool of 10 threads, its defaults)."""
    from cheroot import wsgi

    from yongji_xls.web.app import create_app
    from yongji_xls.web.security import Tokens, allowed_hosts
    from yongji_xls.web.settings import Settings

    server = wsgi.Server(("127.0.0.1", 0), None, numthreads=10)
    server.prepare()
    port = server.bind_addr[1]
    settings = Settings(hosts=allowed_hosts("127.0.0.1", port), lan=lan)
    settings.base_url = f"http://127.0.0.1:{port}"
    settings.unit_numbers = {u.name: u.no for u in workspace.spec.units}
    settings.tokens = Tokens.load_or_create(workspace.state_dir, [u.name for u in workspace.spec.units])
    server.wsgi_app = create_app(workspace, settings)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    return settings, port, server.stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--server", choices=("waitress", "cheroot"), default="waitress")
    parser.add_argument("--slow-only", action="store_true", help="only the slow-header check")
    args = parser.parse_args()
    from web_support import Client, multipart, samples

    from yongji_xls import api
    from yongji_xls.web.server import quiet_server_log, start
    from yongji_xls.web.workspace import Workspace

    quiet_server_log()  # as serve does: no queue-depth warnings among the figures

    tmp = Path(tempfile.mkdtemp(prefix="yx-bench-serve-"))
    ws = Workspace(tmp / "工作区")
    if args.server == "waitress":
        running = start(ws, host="127.0.0.1", port=0, lan=True, rate_limit=10_000, post_rate_limit=10_000)
        settings, port, stop = running.settings, running.port, running.stop
    else:
        settings, port, stop = cheroot_start(ws, lan=True)
    if args.slow_only:
        print(f"server={args.server} slow-header: {slow_headers(port)}")
        stop()
        return
    by_unit = {}
    for p in samples():
        sub = api.check_file(p, spec=ws.spec)
        if sub.unit and sub.unit in settings.tokens.units:
            by_unit[sub.unit] = p.read_bytes()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def unit_rounds(unit: str, data: bytes) -> None:
        try:
            one_unit(unit, data)
        except OSError as e:  # a connection the server dropped is an error, not a lost thread
            with lock:
                errors.append(f"{unit}: {type(e).__name__}")

    def one_unit(unit: str, data: bytes) -> None:
        path = f"/u/{settings.unit_numbers[unit]}/{settings.tokens.units[unit]}"
        for n in range(args.rounds):
            c = Client.__new__(Client)
            c.port, c.host, c.cookies, c.headers = port, f"127.0.0.1:{port}", {}, {}
            c.get(path)
            body, ctype = multipart({"csrf": c.csrf}, [("file", f"{unit}_第{n + 1}轮.xlsx", resaved(data, n))])
            start_t = time.monotonic()
            status, text = c.request("POST", path, body, {"Content-Type": ctype})
            took = time.monotonic() - start_t
            with lock:
                latencies.append(took)
                if status != 200 or "已收到" not in text:
                    errors.append(f"{unit} 第{n + 1}轮: {status}")

    threads = [threading.Thread(target=unit_rounds, args=item) for item in by_unit.items()]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    ws.wait(300)
    while ws.job.running:
        time.sleep(0.2)
        ws.wait(300)
    log = list(csv.reader((ws.root / "上传记录.csv").read_text("utf-8-sig").splitlines()))[1:]
    logged = sum(1 for r in log if r[2] == "单位链接" and r[4])
    cli = api.run(ws.folder("报送"), spec=ws.spec).card.total
    web = ws.result.card.total if ws.result is not None else None
    lat = sorted(latencies)
    print(f"server={args.server} units={len(by_unit)} rounds={args.rounds} uploads={len(lat)} wall={wall:.1f}s")
    print(
        f"latency p50={statistics.median(lat):.3f}s p95={lat[int(0.95 * (len(lat) - 1))]:.3f}s max={lat[-1]:.3f}s "
        f"errors={len(errors)} {errors[:3]}"
    )
    kept = len(list(ws.folder("报送").iterdir()))
    print(f"logged={logged}/{len(lat)} files_in_returns={kept} web_total={web} cli_total={cli}")
    print(f"slow-header: {slow_headers(port)}")
    stop()


def slow_headers(port: int, count: int = 300, hold: float = 40.0) -> str:
    """Hold ``count`` connections sending their headers one byte a second (never idle); time one
    normal request meanwhile, and for each slow one the seconds from its first byte until the
    server closed it (its end of the socket reads as end-of-file), waiting up to ``hold`` seconds.

    The server checks every ``cleanup_interval`` and counts ``header_timeout`` from the first
    check that saw a request's headers incomplete, so a connection is closed between
    ``header_timeout`` and ``header_timeout + cleanup_interval`` after it began (20-25 s by
    default): ``hold`` must be longer than that. A close is seen by reading (end-of-file), not by
    a failed send, which only fails one send after the peer's reset."""
    import selectors

    sel = selectors.DefaultSelector()
    opened: dict[socket.socket, float] = {}
    for n in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(f"GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-{n}: ".encode())
        s.setblocking(False)
        opened[s] = time.monotonic()
        sel.register(s, selectors.EVENT_READ)
    t = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=hold)
        conn.request("GET", "/favicon.ico", headers={"Host": f"127.0.0.1:{port}"})
        status = conn.getresponse().status
    except OSError as e:
        status = f"失败（{type(e).__name__}）"
    normal = time.monotonic() - t
    deadline = min(opened.values()) + hold
    took: list[float] = []
    next_byte = time.monotonic()
    while opened and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:  # closed by the server
                took.append(time.monotonic() - opened.pop(s))
                sel.unregister(s)
                s.close()
        if time.monotonic() >= next_byte:
            next_byte += 1.0
            for s in list(opened):
                try:
                    s.send(b"x")  # one byte a second: never idle
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    pass  # reset: the read above sees the close
    for s in opened:
        sel.unregister(s)
        s.close()
    sel.close()
    closed = f"{len(took)}/{count} slow connections closed within {hold:.0f}s"
    if took:
        took.sort()
        closed += f" (after {took[0]:.1f}s min, {statistics.median(took):.1f}s median, {took[-1]:.1f}s max)"
    return f"normal request {status} in {normal:.2f}s; {closed}"


if __name__ == "__main__":
    main()
