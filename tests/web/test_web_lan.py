"""``serve --lan``: tokens, unit links, CSRF, Host check, size and rate limits, safe names.

A real server on 127.0.0.1 in LAN mode; the browser (Debian chromium) where a browser is the
attacker or the user, a raw HTTP client for requests no browser would send (``../`` names,
forged headers, oversized bodies).
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from leaks import leaks
from web_support import Client, browser_context, launch_browser, samples, serving

from yongji_xls import api
from yongji_xls.issues import issue
from yongji_xls.web.app import MB
from yongji_xls.web.security import Tokens
from yongji_xls.web.server import BindRefused, choose_host, write_links


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture(scope="module")
def lan(tmp_path_factory):
    root = tmp_path_factory.mktemp("lan") / "工作区"
    with serving(root, lan=True, request_limit=40 * MB) as running:
        yield running


def sample_of(unit: str) -> Path:
    return next(p for p in samples() if f"_{unit}_" in p.name)


def unit_url(running, unit: str, token_of: str | None = None) -> str:
    st = running.settings
    return f"{st.base_url}/u/{st.unit_numbers[unit]}/{st.tokens.units[token_of or unit]}"


def office_client(running) -> Client:
    c = Client(running)
    status, _ = c.get(f"/?token={running.settings.tokens.office}")
    assert status == 302
    assert c.get("/upload")[0] == 200 and c.csrf
    return c


@pytest.mark.slow  # drives chromium
def test_office_pages_need_the_office_token(lan, browser):
    with browser_context(browser) as ctx:
        page = ctx.new_page()
        for path in ("/", "/issues", "/units", "/review", "/download/scores", "/status"):
            resp = page.goto(lan.settings.base_url + path)
            assert resp.status == 403, path
        assert "需要办公室的访问口令" in page.inner_text("body")
        assert page.goto(lan.settings.base_url + "/?token=not-the-token").status == 403
        resp = page.goto(lan.url)
        assert resp.status == 200 and "token=" not in page.url  # the token moves into a cookie
        assert page.goto(lan.settings.base_url + "/issues").status == 200


@pytest.mark.slow  # drives chromium
def test_another_units_token_is_refused_and_a_unit_token_opens_no_office_page(lan, browser):
    with browser_context(browser) as ctx:
        page = ctx.new_page()
        assert page.goto(unit_url(lan, "市统计局", token_of="市发改局")).status == 403
        assert "口令与单位不符" in page.inner_text("body")
        assert page.goto(unit_url(lan, "市统计局")).status == 200
        assert page.inner_text("h1") == "市统计局"
        assert page.goto(lan.settings.base_url + "/units").status == 403


@pytest.mark.slow  # drives chromium
def test_a_unit_sees_its_own_files_problems_and_nothing_of_other_units(lan, browser, spec):
    before = len(list(lan.workspace.folder("报送").iterdir()))
    with browser_context(browser) as ctx:
        page = ctx.new_page()
        page.goto(unit_url(lan, "市发改局"))
        page.set_input_files("#files", str(sample_of("市发改局")))
        page.click("#upload-button")
        page.wait_for_selector("#unit-result")
        text = page.inner_text("body")
        result = page.inner_text("#unit-result")
        assert "已收到" in result and api.words(spec, "I30.1") in result  # the sample's own warning, at once
        assert not leaks(text, allow=("xlsx", "MB"))  # its key in words, no key on the page
        others = [u.name for u in spec.units if u.name != "市发改局" and u.name not in "市发改局"]
        assert not [u for u in others if u in text]
        page.goto(unit_url(lan, "市发改局"))
        page.set_input_files("#files", str(sample_of("市教育局")))
        page.click("#upload-button")
        page.wait_for_selector("#unit-result")
        expected = issue("upload_other_unit", found="市教育局", unit="市发改局").message
        assert expected in page.inner_text("#unit-result") and "未收到" in page.inner_text("#unit-result")
    lan.workspace.wait(120)
    stored = list(lan.workspace.folder("报送").iterdir())
    assert len(stored) == before + 1  # only its own file was kept
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in stored}
    assert hashlib.sha256(sample_of("市发改局").read_bytes()).hexdigest() in digests
    assert hashlib.sha256(sample_of("市教育局").read_bytes()).hexdigest() not in digests
    log = (lan.workspace.root / "上传记录.csv").read_text("utf-8-sig")
    assert "市发改局,单位链接" in log


@pytest.mark.slow  # drives chromium
def test_an_oversized_upload_is_named_before_sending_and_by_the_413(lan, browser):
    big = {"name": "大文件.xlsx", "mimeType": "application/octet-stream", "buffer": b"\0" * (20 * MB + 1)}
    with browser_context(browser) as ctx:  # the page checks each file's size before sending
        page = ctx.new_page()
        page.goto(unit_url(lan, "市教育局"))
        posts = []
        page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
        page.set_input_files("#files", files=[big])
        assert "「大文件.xlsx」超过每个文件20MB" in page.inner_text("#size-error")
        page.click("#upload-button")
        page.wait_for_timeout(500)
        assert posts == [] and page.is_visible("#size-error")
    with browser_context(browser, java_script_enabled=False) as ctx:  # without the check: the server's 413
        page = ctx.new_page()
        page.goto(unit_url(lan, "市教育局"))
        page.set_input_files("#files", files=[big])
        with page.expect_response(lambda r: r.request.method == "POST") as resp:
            page.click("#upload-button")
        assert resp.value.status == 413
        page.wait_for_selector("body[data-error='413']")
        assert "「大文件.xlsx」超过每个文件20MB的上限" in page.inner_text("body")
    with browser_context(browser) as ctx:  # the office page checks the total too
        page = ctx.new_page()
        page.goto(lan.url)
        page.goto(lan.settings.base_url + "/upload")
        page.set_input_files(
            "#files", files=[{**big, "name": f"{n}.xlsx", "buffer": bytes([n]) * (15 * MB)} for n in range(3)]
        )
        assert "所选3个文件合计45MB，超过每次上传40MB的上限" in page.inner_text("#size-error")
    c = office_client(lan)
    three = [("files", f"{n}.xlsx", bytes([n]) * (15 * MB)) for n in range(3)]  # each under 20 MB, together over 40 MB
    status, text = c.post("/upload", {"csrf": c.csrf}, three)
    assert status == 413 and "每次上传合计不超过40MB" in text  # the app's page, after the body arrived
    assert not [p for p in lan.workspace.folder("报送").iterdir() if p.stat().st_size >= 15 * MB]
    small = sample_of("市农业农村局").read_bytes()
    status, text = c.post(
        "/upload", {"csrf": c.csrf}, [("files", "小.xlsx", small), ("files", "大.xlsx", b"\0" * (20 * MB + 1))]
    )
    assert status == 413 and "「大.xlsx」超过每个文件20MB的上限" in text and "小.xlsx" not in text
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in lan.workspace.folder("报送").iterdir()}
    assert hashlib.sha256(small).hexdigest() not in digests  # a 413 stores nothing of the request


def test_a_dotdot_file_name_is_stored_under_a_safe_name_inside_the_returns_folder(lan):
    c = office_client(lan)
    a, b = sample_of("市财政局").read_bytes(), sample_of("市人社局").read_bytes()
    status, text = c.post(
        "/upload", {"csrf": c.csrf}, [("files", "../../逃逸.xlsx", a), ("files", "..\\..\\..\\evil.xlsx", b)]
    )
    assert status == 200 and "市财政局" in text and "市人社局" in text
    root = lan.workspace.root
    assert (
        not list(root.parent.glob("逃逸*"))
        and not list(root.glob("逃逸*"))
        and not list(root.parent.parent.glob("evil*"))
    )
    stored = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in lan.workspace.folder("报送").iterdir()}
    for data in (a, b):
        name = stored[hashlib.sha256(data).hexdigest()]  # byte-identical
        assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert stored[hashlib.sha256(a).hexdigest()].endswith("逃逸.xlsx")
    log = (root / "上传记录.csv").read_text("utf-8-sig")
    assert "../../逃逸.xlsx" in log and hashlib.sha256(a).hexdigest() in log


class _Attacker(BaseHTTPRequestHandler):
    target = ""
    version = ""  # of the empty row: the forged save would be accepted but for the CSRF checks

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        page = (
            f'<html><body><form id="f" method="post" action="{self.target}/review/I01">'
            '<input name="csrf" value="guessed"><input name="score" value="0">'
            f'<input name="version" value="{self.version}">'
            "</form>"
            '<script>document.getElementById("f").submit()</script></body></html>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.slow  # drives chromium
def test_a_forged_cross_site_post_is_refused(lan, browser):
    review = lan.workspace.review_path
    review.unlink(missing_ok=True)
    _Attacker.target = lan.settings.base_url
    _Attacker.version = api.review_row_version(None)
    evil = ThreadingHTTPServer(("127.0.0.1", 0), _Attacker)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with browser_context(browser) as ctx:
            page = ctx.new_page()
            page.goto(lan.url)  # the office is logged in: its cookies would be sent along
            with page.expect_response(lambda r: r.request.method == "POST") as resp:
                page.goto(f"http://localhost:{evil.server_port}/")
            assert resp.value.status == 403
    finally:
        evil.shutdown()
    assert not review.exists()
    c = office_client(lan)
    row = {"score": "0", "version": _Attacker.version}
    assert c.post("/review/I01", row)[0] == 403  # no CSRF token
    assert c.post("/review/I01", {"csrf": c.csrf, **row}, headers={"Origin": "http://evil.example"})[0] == 403
    assert not review.exists()
    assert c.post("/review/I01", {"csrf": c.csrf, **row})[0] == 303  # the same request from our page is accepted
    assert review.exists()
    review.unlink()
    lan.workspace.wait(120)


def test_a_foreign_host_header_is_refused(lan):
    c = Client(lan, host=f"attacker.example:{lan.port}")
    status, text = c.get(f"/?token={lan.settings.tokens.office}")
    assert status == 400 and "请使用启动时显示的地址访问本页面" in text


def test_zip_uploads_take_only_their_workbooks_within_limits(lan):
    c = office_client(lan)

    def zipped(members: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        return buf.getvalue()

    good = zipped(
        {
            "报送/市司法局.xlsx": sample_of("市司法局").read_bytes(),
            "__MACOSX/报送/._市司法局.xlsx": b"junk",
            "说明.txt": b"x",
        }
    )
    status, text = c.post("/upload", {"csrf": c.csrf}, [("files", "各单位.zip", good)])
    assert status == 200 and "各单位.zip/报送/市司法局.xlsx" in text and "._市司法局" not in text
    assert hashlib.sha256(sample_of("市司法局").read_bytes()).hexdigest() in {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in lan.workspace.folder("报送").iterdir()
    }
    status, text = c.post("/upload", {"csrf": c.csrf}, [("files", "空.zip", zipped({"说明.txt": b"x"}))])
    assert issue("upload_zip_empty", file="空.zip").message in text
    before = sorted(p.name for p in lan.workspace.folder("报送").iterdir())
    bomb = zipped({f"单位{n}.xlsx": b"\0" * (19 * MB) for n in range(10)})  # the audit's 195 KB of 190 MB
    assert len(bomb) < MB
    status, text = c.post("/upload", {"csrf": c.csrf}, [("files", "炸弹.zip", bomb)])
    assert status == 200 and "为安全起见未打开" in text and "压缩比" in text
    status, text = c.post("/upload", {"csrf": c.csrf}, [("files", "坏.zip", b"PK\x03\x04" + b"garbage" * 10)])
    assert "压缩结构不完整" in text
    assert sorted(p.name for p in lan.workspace.folder("报送").iterdir()) == before  # nothing of either stored
    lan.workspace.wait(120)


def test_the_rate_limit_answers_429(tmp_path):
    with serving(tmp_path / "ws", rate_limit=5) as running:
        c = Client(running)
        codes = [c.get("/status")[0] for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


def test_binding_beyond_loopback_needs_lan(tmp_path):
    from click.testing import CliRunner

    from yongji_xls.cli import main

    with pytest.raises(BindRefused):
        choose_host("0.0.0.0", lan=False)
    assert choose_host(None, lan=False) == "127.0.0.1"
    assert choose_host("192.168.1.20", lan=True) == "192.168.1.20"
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "ws"), "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code != 0 and "只有加 --lan 才能" in result.output
    assert not (tmp_path / "ws").exists()  # refused before anything was made


def test_links_are_written_to_the_workspace_and_survive_a_restart(lan):
    from openpyxl import load_workbook

    path = write_links(lan.workspace, lan.settings)
    rows = list(load_workbook(path, read_only=True)["上传链接"].iter_rows(values_only=True))
    assert rows[1][2] == lan.url and len(rows) == 2 + len(lan.settings.tokens.units)
    by_unit = {r[1]: r[2] for r in rows[2:]}
    assert by_unit["市统计局"] == unit_url(lan, "市统计局")
    again = Tokens.load_or_create(lan.workspace.state_dir, list(lan.settings.tokens.units))
    assert again == lan.settings.tokens
    assert len(set(again.units.values())) == len(again.units) and again.office not in again.units.values()


def test_the_serve_command_starts_the_page(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "yongji_xls", "serve", str(tmp_path / "工作区"), "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
        text=True,
        encoding="utf-8",
    )
    try:
        url = ""
        for line in proc.stdout:
            if "请在浏览器中打开：" in line:
                url = line.split("：", 1)[1].strip()
                break
        assert url.startswith("http://127.0.0.1:")
        import urllib.request

        with urllib.request.urlopen(url) as resp:
            assert resp.status == 200 and "还没有计算结果" in resp.read().decode("utf-8")
        assert {p.name for p in (tmp_path / "工作区").iterdir()} >= {"模板", "报送", "结果"}
    finally:
        proc.terminate()
        proc.wait(20)
