"""What the whole-change review of the web page found (issue 21 follow-up), through Flask's test
client on a real workspace: downloads built privately under the run's lock and sent as bytes,
templates swapped only when all were written, save errors shown in Chinese, staged uploads never
left behind, servers closed when start-up fails after binding, rate-limit memory bounded."""

from __future__ import annotations

import shutil
import socket
import threading
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from web_support import SAMPLES

from yongji_xls import api
from yongji_xls.web.app import create_app
from yongji_xls.web.settings import CSRF_COOKIE, Settings
from yongji_xls.web.workspace import RESULTS, RETURNS, TEMPLATES, Workspace

CSRF = "test-csrf-token"


def _client(ws: Workspace):
    c = create_app(ws, Settings(hosts={"localhost"})).test_client()
    c.set_cookie(CSRF_COOKIE, CSRF)
    return c


@pytest.fixture(scope="module")
def done(tmp_path_factory, spec):
    """A workspace after one run of the sample returns."""
    root = tmp_path_factory.mktemp("fixes") / "ws"
    ws = Workspace(root, spec=spec)
    for p in sorted(SAMPLES.iterdir()):
        if p.is_file():
            shutil.copy(p, ws.folder(RETURNS) / p.name)
    ws.start_run()
    ws.wait(300)
    assert ws.result is not None and not ws.job.error
    return ws


def _open_in(folder: Path) -> list[str]:
    """Files under ``folder`` this process holds open (what Windows refuses to replace)."""
    fds = Path("/proc/self/fd")
    held = []
    for fd in fds.iterdir():
        try:
            target = Path(fd.readlink())
        except OSError:
            continue
        if folder in target.parents:
            held.append(str(target))
    return held


@pytest.mark.parametrize("what", ["all", "feedback", "breakdown"])
def test_a_download_is_sent_as_bytes_and_leaves_no_file_behind(done, what):
    c = _client(done)
    before = sorted(p.name for p in done.state_dir.iterdir())
    resp = c.get(f"/download/{what}", buffered=False)
    try:
        assert resp.status_code == 200
        assert _open_in(done.folder(RESULTS)) == []  # nothing a run's swap would be refused over
        data = b"".join(resp.response)
    finally:
        resp.close()
    if what != "breakdown":
        with zipfile.ZipFile(BytesIO(data)) as zf:
            assert zf.namelist() and zf.testzip() is None
    else:
        assert data == done.written.paths["breakdown"].read_bytes()
    assert sorted(p.name for p in done.state_dir.iterdir()) == before  # no zip left at a fixed path


def test_a_download_waits_while_a_run_writes_the_results(done):
    c = _client(done)
    got = {}
    with done.output_lock:
        t = threading.Thread(target=lambda: got.update(r=c.get("/download/all")))
        t.start()
        t.join(2)
        assert t.is_alive() and not got  # held back while write_outputs may swap the folder
    t.join(60)
    assert got["r"].status_code == 200 and got["r"].data[:2] == b"PK"


def test_a_library_error_while_zipping_is_a_chinese_page_not_a_500(done, monkeypatch):
    def refuse(*a, **k):
        raise api.YongjiError("write_failed", path="全部成果.zip", reason="磁盘已满")

    monkeypatch.setattr(api, "zip_outputs", refuse)
    monkeypatch.setattr(api, "zip_folder", refuse)
    c = _client(done)
    for what in ("all", "templates", "feedback"):
        r = c.get(f"/download/{what}")
        assert r.status_code != 500 and "磁盘已满" in r.get_data(as_text=True)


def _make_templates(c, year: str = "2024"):
    return c.post("/templates", data={"csrf": CSRF, "year": year}, follow_redirects=True)


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), "yongji"])
def test_templates_that_cannot_be_written_leave_the_old_ones_and_say_why(tmp_path, spec, monkeypatch, error):
    ws = Workspace(tmp_path / "ws", spec=spec)
    c = _client(ws)
    assert _make_templates(c).status_code == 200
    old = {p.name: p.read_bytes() for p in ws.folder(TEMPLATES).glob("*.xlsx")}
    assert old

    def fail(folder, **kwargs):
        Path(folder, "半个.xlsx").write_bytes(b"partial")  # what a failing writer may leave
        if error == "yongji":
            raise api.YongjiError("write_failed_open", path=Path(folder) / "半个.xlsx", reason="文件被占用")
        raise error

    monkeypatch.setattr(api, "write_templates", fail)
    r = _make_templates(c)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and ("文件被占用" in text or "Excel" in text)
    assert {p.name: p.read_bytes() for p in ws.folder(TEMPLATES).glob("*.xlsx")} == old
    assert not [p for p in ws.state_dir.rglob("*") if p.suffix == ".xlsx"]  # no temporary folder left


def test_new_templates_replace_the_old_set_and_keep_other_files(tmp_path, spec):
    ws = Workspace(tmp_path / "ws", spec=spec)
    (ws.folder(TEMPLATES) / "旧单位_填报表.xlsx").write_bytes(b"old")
    (ws.folder(TEMPLATES) / "说明.txt").write_text("办公室自己的说明", "utf-8")
    r = _make_templates(_client(ws))
    assert r.status_code == 200 and "已生成" in r.get_data(as_text=True)
    names = {p.name for p in ws.folder(TEMPLATES).iterdir()}
    assert "旧单位_填报表.xlsx" not in names and "说明.txt" in names and len(names) > 2


def test_a_review_file_that_cannot_be_written_is_a_chinese_message_on_the_page(tmp_path, spec, monkeypatch):
    ws = Workspace(tmp_path / "ws", spec=spec)
    key = spec.indicators[0].key

    def locked(path, *a, **k):
        raise api.YongjiError("review_unwritable", path=path, reason="文件被另一程序占用")

    monkeypatch.setattr(api, "save_review_row", locked)
    r = _client(ws).post(f"/review/{key}", data={"csrf": CSRF, "score": "1", "note": "核实", "version": ""})
    text = r.get_data(as_text=True)
    assert r.status_code != 500 and "文件被另一程序占用" in text and "请关闭正在打开它的Excel" in text


def _reference_form(ws: Workspace) -> dict[str, str]:
    keys = api.pending_references(ws.spec, ws.year)
    assert keys
    return {"csrf": CSRF, "value_0": "12.5", "source_0": "国家统计局", "date_0": "2025-01-20"}


def test_a_reference_file_that_cannot_be_written_is_a_chinese_message_on_the_page(tmp_path, spec):
    ws = Workspace(tmp_path / "ws", spec=spec)
    ws.reference_path.mkdir()  # os.replace onto it fails, as onto a file open in another program on Windows
    r = _client(ws).post("/references", data=_reference_form(ws))
    text = r.get_data(as_text=True)
    assert r.status_code != 500 and "无法写入" in text and "参考值.yaml" in text
    assert 'value="国家统计局"' in text


def test_saving_references_waits_for_the_references_lock(tmp_path, spec):
    ws = Workspace(tmp_path / "ws", spec=spec)
    c, got = _client(ws), {}
    with ws.reference_lock:
        t = threading.Thread(target=lambda: got.update(r=c.post("/references", data=_reference_form(ws))))
        t.start()
        t.join(2)
        assert t.is_alive() and not ws.reference_path.exists()
    t.join(60)
    assert got["r"].status_code == 303 and ws.reference_path.is_file()
    ws.wait(300)


def test_the_staged_copy_is_removed_when_checking_the_upload_fails(tmp_path, spec, monkeypatch):
    ws = Workspace(tmp_path / "ws", spec=spec)

    def broken(self, path, display):
        assert path.is_file()
        raise RuntimeError("a reader bug")

    monkeypatch.setattr(Workspace, "check", broken)
    sample = next(p for p in sorted(SAMPLES.iterdir()) if p.suffix == ".xlsx")
    r = _client(ws).post(
        "/upload",
        data={"csrf": CSRF, "files": (BytesIO(sample.read_bytes()), sample.name)},
        content_type="multipart/form-data",
    )
    assert r.status_code == 500
    assert [p for p in (ws.state_dir / "incoming").iterdir()] == []
    assert list(ws.folder(RETURNS).iterdir()) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_a_start_that_fails_after_binding_closes_the_port(tmp_path, spec):
    from yongji_xls.web.server import start

    ws = Workspace(tmp_path / "ws", spec=spec)
    (ws.state_dir / "tokens.json").mkdir()  # the token file cannot be written
    port = _free_port()
    with pytest.raises((OSError, api.YongjiError)):
        start(ws, host="127.0.0.1", port=port, lan=True)
    assert _port_is_free(port)


def test_serve_closes_the_port_when_the_links_workbook_cannot_be_written(tmp_path, spec):
    from yongji_xls.web.server import LINKS_FILE, serve

    root = tmp_path / "ws"
    (root / LINKS_FILE).mkdir(parents=True)  # as if open in Excel: it cannot be replaced
    port = _free_port()
    with pytest.raises((OSError, api.YongjiError)):
        serve(root, host="127.0.0.1", port=port, lan=True, open_browser=False, echo=lambda *a: None)
    assert _port_is_free(port)


def test_the_rate_limit_forgets_clients_whose_window_has_passed():
    from yongji_xls.web.security import RateLimit

    now = [100.0]
    limit = RateLimit(2, window=60, clock=lambda: now[0])
    assert [limit.wait("ip:a"), limit.wait("ip:a"), limit.wait("ip:a")] == [0, 0, 60]
    for n in range(50):
        limit.wait(f"ip:{n}")
    now[0] += 61
    assert limit.wait("ip:b") == 0
    assert set(limit._hits) == {"ip:b"}  # nothing kept for clients not seen in the window


def test_the_result_and_its_written_set_are_one_pair_replaced_whole(done):
    import dataclasses

    pair = done.outcome
    assert pair.result is done.result and pair.written is done.written
    assert pair.written.paths["scores"].parent == done.folder(RESULTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.result = None  # readers on other threads hold a pair no run changes under them
    with pytest.raises(AttributeError):
        done.result = None  # only a run replaces it, whole, under the lock
