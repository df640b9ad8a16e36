"""The library calls the web page added to api, and the workspace's storing and logging,
without a browser: review files typed outside Excel, 催报 texts, zipped folders, safe names."""

from __future__ import annotations

import csv
import hashlib
import threading
import time
import zipfile
from decimal import Decimal

import pytest
from web_support import SAMPLES

from yongji_xls import api
from yongji_xls.web.workspace import Workspace


def test_a_review_file_from_typed_entries_reads_back_through_the_review_reader(tmp_path, spec):
    path = api.write_review(
        tmp_path / "核定得分.xlsx",
        {"I06": ("2", "经核实达标"), "I25": ("２.５", ""), "I07": ("很多", "x"), "I01": ("", "只有说明")},
        spec=spec,
    )
    overrides, problems = api.read_review(path, spec=spec)
    assert overrides == {"I06": (Decimal("2"), "经核实达标"), "I25": (Decimal("2.5"), "")}
    assert [(i.code, i.key, i.cell, i.value) for i in problems] == [("review_bad", "I07", "D8", "很多")]


def test_a_review_file_changes_the_run_like_the_breakdown_workbook(tmp_path, spec):
    base = api.run(SAMPLES, spec=spec)
    i06 = base.card.indicator("I06")
    path = api.write_review(tmp_path / "r.xlsx", {"I06": (str(i06.max), "核定")}, spec=spec)
    reviewed = api.run(SAMPLES, spec=spec, review=path)
    assert reviewed.card.total == base.card.total + i06.lost
    assert reviewed.computed.total == base.card.total and reviewed.card.indicator("I06").review_note == "核定"


def test_reminders_are_the_breakdown_wording_for_units_not_submitted(spec):
    result = api.run(SAMPLES, spec=spec)
    texts = api.reminders(result)
    late = [u.unit for u in result.units if u.state != "已报送"]
    assert sorted(texts) == sorted(late) and late
    assert all(t.startswith(f"{u}：") and "报送" in t for u, t in texts.items())


def test_zip_folder_packs_the_workbooks_with_their_chinese_names(tmp_path):
    (tmp_path / "模板" / "子").mkdir(parents=True)
    (tmp_path / "模板" / "市统计局_填报表.xlsx").write_bytes(b"a")
    (tmp_path / "模板" / "子" / "城西街道.xlsx").write_bytes(b"b")
    (tmp_path / "模板" / "~$市统计局_填报表.xlsx").write_bytes(b"lock")
    (tmp_path / "模板" / "说明.txt").write_bytes(b"c")
    path = api.zip_folder(tmp_path / "模板", tmp_path / "out.zip")
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["子/城西街道.xlsx", "市统计局_填报表.xlsx"]
        assert zf.read("子/城西街道.xlsx") == b"b"
    try:
        api.zip_folder(tmp_path / "没有", tmp_path / "x.zip")
    except api.YongjiError as e:
        assert "不存在" in e.message
    else:
        raise AssertionError("a missing folder must be a YongjiError")


def test_the_workspace_stores_safe_names_byte_identical_once_and_logs_every_upload(tmp_path, spec):
    ws = Workspace(tmp_path / "ws", spec=spec)
    data = b"PK\x03\x04 bytes as sent"
    a = ws.store("..\\..\\CON.xlsx", data)
    b = ws.store("../x/CON.XLSX", data)  # identical bytes: not stored twice
    c = ws.store("CON.xlsx", data + b"!")  # same name, other bytes: a second name
    assert a.path == b.path and b.duplicate and not a.duplicate
    assert a.path.parent == ws.folder("报送") and c.path.parent == ws.folder("报送") and a.path != c.path
    assert a.path.name == "_CON.xlsx" and a.path.read_bytes() == data  # a Windows device name is never a file name
    ws.log("市统计局", "办公室上传", '=HYPERLINK("x")', a.path.name, data)
    rows = list(csv.reader((ws.root / "上传记录.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["时间", "单位", "来源", "原文件名", "保存为", "字节数", "sha256"]
    assert (
        rows[1][3] == '\'=HYPERLINK("x")'
        and rows[1][5] == str(len(data))
        and rows[1][6] == hashlib.sha256(data).hexdigest()
    )


def test_a_missing_browser_fails_the_browser_tests_under_ci_and_skips_them_elsewhere(monkeypatch):
    import pytest
    import web_support

    monkeypatch.setattr(web_support.shutil, "which", lambda name: None)
    monkeypatch.setattr(web_support, "Path", lambda p: type("Absent", (), {"exists": lambda self: False})())
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        web_support.chromium_path()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        web_support.chromium_path()


@pytest.mark.parametrize("name", ["@SUM(1).xlsx", "+1.xlsx", "-1.xlsx", "\t1.xlsx"])
def test_the_upload_log_neutralises_every_formula_trigger_of_a_name(tmp_path, spec, name):
    ws = Workspace(tmp_path / "ws", spec=spec)
    ws.log("@市统计局", "办公室上传", name, "", b"x")
    rows = list(csv.reader((ws.root / "上传记录.csv").read_text("utf-8-sig").splitlines()))
    assert rows[1][1] == "'@市统计局" and rows[1][3] == "'" + name


NOTE = "经核实，已按全国口径达标。依据：市局文件（2024）；见附件"


def test_a_review_note_keeps_its_full_width_punctuation_through_a_save_and_a_run(tmp_path, spec):
    """A 核定说明 is text people read back: ，。；：（） stay as typed, on the page and in the run
    (NFKC, right for keys and numbers, would turn them into ASCII , . ; : ( ))."""
    path = tmp_path / "核定得分.xlsx"
    i06 = spec.indicator("I06")
    saved = api.save_review_row(path, "I06", str(i06.points), NOTE, api.review_row_version(None), spec=spec)
    assert saved.saved and saved.current == (str(i06.points), NOTE)
    assert api.review_entries(path, spec=spec)["I06"] == (str(i06.points), NOTE)  # what the page shows
    overrides, problems = api.read_review(path, spec=spec)
    assert overrides["I06"][1] == NOTE and not problems
    result = api.run(SAMPLES, spec=spec, review=path)
    assert result.card.indicator("I06").review_note == NOTE


def test_waiting_while_a_run_is_being_started_never_joins_a_thread_not_yet_started(tmp_path, spec, monkeypatch):
    """A page's upload starts a run while another thread waits for runs to end: the waiter must
    never see the new thread before it has started (Thread.join would raise)."""
    import yongji_xls.web.workspace as workspace_module

    class SlowStart(threading.Thread):
        def start(self) -> None:
            time.sleep(0.5)  # the gap between creating the run's thread and starting it, widened
            super().start()

    ws = Workspace(tmp_path / "ws", spec=spec)
    monkeypatch.setattr(workspace_module.threading, "Thread", SlowStart)
    starter = threading.Thread(target=ws.start_run)
    starter.start()
    deadline = time.monotonic() + 30
    while not ws.job.running and time.monotonic() < deadline:  # start_run holds the lock from here on
        time.sleep(0.01)
    try:
        ws.wait(60)
    finally:
        starter.join()
        ws.wait(120)
    assert ws.job.runs == 1 and not ws.job.running  # waited for the run that was being started
